//! Values composition of a HelmRelease with 10 `valuesFrom` ConfigMaps of
//! 1,000 keys each (deep-merged) and inline values: YAML reading, MergeMaps and
//! the final JSON, as helm-controller does on every reconciliation.

use criterion::{criterion_group, criterion_main, Criterion};
use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{self, ValuesReference};
use serde_json::Value;

fn bench(c: &mut Criterion) {
    let case: Value = serde_json::from_str(&fluxcd_core_benches::values_case_json()).unwrap();
    let mut store = ObjectStore::new();
    for o in case["objects"].as_array().unwrap() {
        let data = o["data"].as_object().unwrap();
        store.insert_config_map(
            "apps",
            o["name"].as_str().unwrap(),
            data.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())),
        );
    }
    let refs: Vec<ValuesReference> = serde_json::from_value(case["refs"].clone()).unwrap();
    let inline = case["inline"].clone();
    let mut group = c.benchmark_group("values");
    group.bench_function("compose_10x1000", |b| {
        b.iter(|| values::compose("apps", Some(&inline), &refs, &store).unwrap())
    });
    let v = values::compose("apps", Some(&inline), &refs, &store).unwrap();
    group.bench_function("digest_10x1000", |b| b.iter(|| values::digest(&v)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
