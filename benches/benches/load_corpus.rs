//! Loads, validates and types the whole shared corpus (four real fleet repositories).
//!
//! Reports criterion's time and bytes/s, and prints objects/s once at the start.

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fluxcd_core::manifest::load_path;
use fluxcd_core::yaml::LoadOptions;

fn bench(c: &mut Criterion) {
    let Some(corpus) = fluxcd_core_benches::corpus() else {
        eprintln!("SKIPPED: ../shared/corpus not found; nothing to benchmark");
        return;
    };
    let opts = LoadOptions::default();
    // One warm run for the totals.
    let start = Instant::now();
    let set = load_path(&corpus, &opts).unwrap();
    let once = start.elapsed();
    let (bytes, objects) = (set.stats.bytes, set.stats.objects + set.stats.patches);
    eprintln!(
        "corpus: {} files, {:.2} MB, {} objects, {} Flux objects; one run {:.1} ms = {:.0} objects/s, {:.1} MB/s",
        set.stats.files,
        bytes as f64 / 1e6,
        objects,
        set.stats.flux_objects,
        once.as_secs_f64() * 1e3,
        objects as f64 / once.as_secs_f64(),
        bytes as f64 / 1e6 / once.as_secs_f64()
    );
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("load_validate_type", |b| {
        b.iter(|| load_path(&corpus, &opts).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
