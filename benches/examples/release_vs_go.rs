//! Times Helm release name shortening in Rust on the same names the Go oracle
//! times (see `benches/release-vs-go.sh`).
//!
//! `cargo run --release -p fluxcd-core-benches --example release_vs_go -- FILE`
//! writes 100,000 names to FILE (one per line), then prints the best of 10
//! runs over all of them, in nanoseconds, on standard output.
use std::time::{Duration, Instant};

fn main() {
    let file = std::env::args().nth(1).expect("usage: release_vs_go FILE");
    let names = fluxcd_core_benches::release_names(100_000, 0x5eed);
    std::fs::write(&file, names.join("\n") + "\n").unwrap();
    let mut best = Duration::MAX;
    let mut sum = 0;
    for _ in 0..10 {
        let t = Instant::now();
        sum = names
            .iter()
            .map(|n| fluxcd_core::release::shorten_name(n).unwrap().len())
            .sum::<usize>();
        best = best.min(t.elapsed());
    }
    eprintln!(
        "rust: {} names, checksum {sum}, best of 10 = {:.3} ms",
        names.len(),
        best.as_secs_f64() * 1e3
    );
    println!("{}", best.as_nanos());
}
