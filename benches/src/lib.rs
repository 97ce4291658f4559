//! Benchmarks of fluxcd-core; see `benches/`. Run with `cargo bench -p fluxcd-core-benches`.

use std::path::PathBuf;

/// `../shared/corpus` beside the project, if present.
pub fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    p.is_dir().then_some(p)
}

/// A random DAG of `n` Kustomizations in `flux-system`, each depending on up
/// to `max_deps` earlier ones (a seeded splitmix64, so every run and the Go
/// side see the same graph), listed in a shuffled order.
pub fn random_dag(n: usize, max_deps: usize, seed: u64) -> Vec<fluxcd_core::deps::DependentObject> {
    use fluxcd_core::deps::DependentObject;
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut objects: Vec<DependentObject> = (0..n)
        .map(|i| {
            let mut o = DependentObject::new("flux-system", format!("ks-{i:05}"));
            if i > 0 {
                for _ in 0..(next() as usize % (max_deps + 1)) {
                    let dep = next() as usize % i;
                    o = o.depends_on("", &format!("ks-{dep:05}"));
                }
            }
            o
        })
        .collect();
    for i in (1..objects.len()).rev() {
        let j = next() as usize % (i + 1);
        objects.swap(i, j);
    }
    objects
}
