//! Times postBuild substitution on a stream of resources, the same work the Go
//! oracle's `bench` command times (`benches/subst-vs-go.sh` runs both and prints
//! the ratio).
//!
//! ```sh
//! cargo run --release -p fluxcd-core-benches --example subst_vs_go -- STREAM.yaml VARS.json ITERATIONS
//! ```
//!
//! Prints one JSON object: nanoseconds per iteration of (a) envsubst over the
//! whole stream text and (b) the whole pipeline (variables read from a
//! ConfigMap once per iteration, then for every resource: re-emit, disable
//! check, substitution, YAML read-back; no provenance, as upstream).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use fluxcd_core::postbuild::{Kustomization, ObjectStore, Options, Pipeline};
use fluxcd_core::subst;
use fluxcd_core::yaml::{parse_documents, LoadOptions, Schema};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: subst_vs_go STREAM.yaml VARS.json [ITERATIONS]");
        std::process::exit(2);
    }
    let stream = std::fs::read_to_string(&args[1]).expect("read stream");
    let vars: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(&args[2]).expect("read vars"))
            .expect("vars JSON map");
    let iterations: u32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);

    // (a) envsubst over the whole text, strict, map lookup.
    let opts = subst::Options::strict(true);
    let _ = black_box(subst::envsubst(&stream, &vars, opts).expect("stream substitutes"));
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(subst::envsubst(black_box(&stream), &vars, opts).unwrap());
    }
    let envsubst_ns = start.elapsed().as_nanos() / u128::from(iterations);

    // (b) the pipeline per resource; loading the stream is not timed (the
    // controller gets the resources from kustomize build).
    let load = LoadOptions {
        schema: Schema::Kustomize,
        ..LoadOptions::default()
    };
    let (docs, _) = parse_documents(&stream, &load);
    let resources: Vec<serde_json::Value> = docs
        .into_iter()
        .filter_map(|d| d.root.map(|n| n.to_json()))
        .filter(|v| v.is_object())
        .collect();
    let ks = Kustomization::from_value(&serde_json::json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": "bench", "namespace": "flux-system"},
        "spec": {"postBuild": {"substituteFrom": [{"kind": "ConfigMap", "name": "bench-vars"}]}}
    }))
    .expect("kustomization");
    let mut store = ObjectStore::new();
    store.insert_config_map("flux-system", "bench-vars", vars.clone());
    let popts = Options::default();
    // Upstream computes no provenance; neither does this timing.
    let run = || {
        let pipeline = Pipeline::new(&ks, &store, &popts).provenance(false);
        for r in &resources {
            black_box(
                pipeline
                    .substitute(black_box(r))
                    .expect("resource substitutes"),
            );
        }
    };
    run();
    let start = Instant::now();
    for _ in 0..iterations {
        run();
    }
    let pipeline_ns = start.elapsed().as_nanos() / u128::from(iterations);
    println!(
        "{}",
        serde_json::json!({
            "envsubst_ns_per_iter": envsubst_ns as u64,
            "pipeline_ns_per_iter": pipeline_ns as u64,
            "resources": resources.len(),
            "bytes": stream.len(),
        })
    );
}
