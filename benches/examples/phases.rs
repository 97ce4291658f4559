//! Prints how long each loading phase takes on the corpus (for profiling).
use std::time::Instant;

use fluxcd_core::yaml::{parse_bytes, LoadOptions};

fn main() {
    let corpus = fluxcd_core_benches::corpus().expect("needs ../shared/corpus");
    let files = fluxcd_core::manifest::yaml_files(&corpus).unwrap();
    let data: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let opts = LoadOptions::default();
    for _ in 0..2 {
        let t = Instant::now();
        let mut nodes = 0;
        for d in &data {
            nodes += parse_bytes(d, &opts).0.len();
        }
        eprintln!("parse (1 thread): {:?} ({nodes} docs)", t.elapsed());
        let t = Instant::now();
        for d in &data {
            let _: Result<Vec<serde_json::Value>, _> =
                serde_saphyr::from_multiple(std::str::from_utf8(d).unwrap());
        }
        eprintln!("serde-saphyr plain Value (1 thread): {:?}", t.elapsed());
        let t = Instant::now();
        for (d, f) in data.iter().zip(&files) {
            fluxcd_core::manifest::load_bytes(d, Some(&f.to_string_lossy()), &opts);
        }
        eprintln!("load_bytes all (1 thread): {:?}", t.elapsed());
        let t = Instant::now();
        fluxcd_core::manifest::load_path(&corpus, &opts).unwrap();
        eprintln!("load_path (parallel): {:?}", t.elapsed());
    }
    let mut sizes: Vec<(usize, &std::path::PathBuf)> =
        data.iter().map(|d| d.len()).zip(&files).collect();
    sizes.sort();
    for (s, f) in sizes.iter().rev().take(5) {
        eprintln!("{s} {}", f.display());
    }
}
