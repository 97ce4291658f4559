//! Times Flux's dependency sort in Rust on the same random DAG the Go oracle
//! times (see `benches/deps-vs-go.sh`).
//!
//! `cargo run --release -p fluxcd-core-benches --example deps_vs_go -- FILE`
//! writes the DAG to FILE (the oracle's JSON object list), then prints the
//! best of 30 runs of the sort, in nanoseconds, on standard output.
use std::time::{Duration, Instant};

fn main() {
    let file = std::env::args().nth(1).expect("usage: deps_vs_go FILE");
    let objects = fluxcd_core_benches::random_dag(10_000, 5, 0x5eed);
    std::fs::write(&file, serde_json::to_string(&objects).unwrap()).unwrap();
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let order = fluxcd_core::deps::sort(&objects).unwrap();
        best = best.min(t.elapsed());
        n = order.len();
    }
    let t = Instant::now();
    let g = fluxcd_core::deps::Graph::build(fluxcd_core::deps::Kind::Kustomization, &objects);
    let full = t.elapsed();
    eprintln!(
        "rust: Sort of {} objects ({n} in the order): best of 30 = {:.3} ms; sort + cycles + waves + critical path once = {:.3} ms ({} waves)",
        objects.len(),
        best.as_secs_f64() * 1e3,
        full.as_secs_f64() * 1e3,
        g.waves.len()
    );
    println!("{}", best.as_nanos());
}
