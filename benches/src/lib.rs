//! Benchmarks of fluxcd-core; see `benches/`. Run with `cargo bench -p fluxcd-core-benches`.

use std::path::PathBuf;

/// `../shared/corpus` beside the project, if present.
pub fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    p.is_dir().then_some(p)
}
