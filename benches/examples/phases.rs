//! Prints how long each loading phase takes on the corpus, single-threaded, best of 5.
use std::time::{Duration, Instant};

use fluxcd_core::yaml::{parse_bytes, LoadOptions};

fn best(mut f: impl FnMut()) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let corpus = fluxcd_core_benches::corpus().expect("needs ../shared/corpus");
    let files = fluxcd_core::manifest::yaml_files(&corpus).unwrap();
    let data: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let mb = data.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let opts = LoadOptions::default();
    let report = |name: &str, d: Duration| {
        eprintln!(
            "{name:<28} {:>7.1} ms  {:>6.1} MB/s",
            d.as_secs_f64() * 1e3,
            mb / d.as_secs_f64()
        )
    };
    report(
        "parse",
        best(|| {
            for d in &data {
                std::hint::black_box(parse_bytes(d, &opts));
            }
        }),
    );
    let parsed: Vec<_> = data.iter().map(|d| parse_bytes(d, &opts).0).collect();
    report(
        "to_json",
        best(|| {
            for docs in &parsed {
                for d in docs {
                    if let Some(r) = &d.root {
                        std::hint::black_box(r.to_json());
                    }
                }
            }
        }),
    );
    report(
        "load_bytes (parse+check+type)",
        best(|| {
            for (d, f) in data.iter().zip(&files) {
                std::hint::black_box(fluxcd_core::manifest::load_bytes(
                    d,
                    Some(&f.to_string_lossy()),
                    &opts,
                ));
            }
        }),
    );
    report(
        "load_path (parallel, with I/O)",
        best(|| {
            std::hint::black_box(fluxcd_core::manifest::load_path(&corpus, &opts).unwrap());
        }),
    );
}
