//! Times values composition in Rust on the input the Go oracle times (see
//! `benches/values-vs-go.sh`).
//!
//! `cargo run --release -p fluxcd-core-benches --example values_vs_go -- FILE`
//! writes the case to FILE (the oracle's `compose` case), then prints the best
//! of 30 compositions, in nanoseconds, on standard output.
use std::time::{Duration, Instant};

use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{self, ValuesReference};
use serde_json::Value;

fn main() {
    let file = std::env::args().nth(1).expect("usage: values_vs_go FILE");
    let text = fluxcd_core_benches::values_case_json();
    std::fs::write(&file, &text).unwrap();
    let case: Value = serde_json::from_str(&text).unwrap();
    let mut store = ObjectStore::new();
    for o in case["objects"].as_array().unwrap() {
        let data = o["data"].as_object().unwrap();
        store.insert_config_map(
            "flux-system",
            o["name"].as_str().unwrap(),
            data.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())),
        );
    }
    let refs: Vec<ValuesReference> = serde_json::from_value(case["refs"].clone()).unwrap();
    let inline = case["inline"].clone();
    let mut best = Duration::MAX;
    let mut keys = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let v = values::compose("flux-system", Some(&inline), &refs, &store).unwrap();
        best = best.min(t.elapsed());
        keys = v.0.borrow().len();
    }
    eprintln!(
        "rust: compose 10 layers x 1,000 keys ({keys} top-level keys): best of 30 = {:.3} ms",
        best.as_secs_f64() * 1e3
    );
    println!("{}", best.as_nanos());
}
