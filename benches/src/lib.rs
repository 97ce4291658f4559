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

/// `n` composed release names of 20 to 80 ASCII bytes (about two thirds are
/// longer than 53 and get shortened), from a fixed seed (xorshift64*).
pub fn release_names(n: usize, seed: u64) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(2685821657736338717)
    };
    (0..n)
        .map(|_| {
            let len = 20 + (next() % 61) as usize;
            (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char)
                .collect()
        })
        .collect()
}

/// The values benchmark input: a HelmRelease namespace `apps` with 10
/// `valuesFrom` ConfigMaps (`layer-0` … `layer-9`), each a `values.yaml` of 1,000
/// keys in 20 maps that every layer shares (so every layer deep-merges), and
/// small inline values. Returned as the Go oracle's case (`kind: compose`): JSON
/// text with `inline`, `refs` and `objects`.
pub fn values_case_json() -> String {
    let mut objects = Vec::new();
    let mut refs = Vec::new();
    for layer in 0..10 {
        let mut yaml = String::new();
        for group in 0..20 {
            yaml.push_str(&format!("group{group}:\n"));
            for k in 0..50 {
                let key = group * 50 + k;
                yaml.push_str(&format!("  key{key}: value-{layer}-{key}\n"));
            }
        }
        let name = format!("layer-{layer}");
        objects.push(format!(
            "{{\"kind\":\"ConfigMap\",\"name\":\"{name}\",\"data\":{{\"values.yaml\":{}}}}}",
            json_string(&yaml)
        ));
        refs.push(format!("{{\"kind\":\"ConfigMap\",\"name\":\"{name}\"}}"));
    }
    format!(
        "{{\"name\":\"bench\",\"kind\":\"compose\",\"inline\":{{\"group0\":{{\"key0\":\"inline\"}},\"replicas\":3}},\"refs\":[{}],\"objects\":[{}]}}",
        refs.join(","),
        objects.join(",")
    )
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
