//! Dependency ordering on a random DAG of 10,000 Kustomizations with up to 5
//! `dependsOn` entries each: Flux's sort alone, and the whole analysis (sort,
//! cycles, waves, critical path). Goal: under 10 ms.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fluxcd_core::deps::{self, Graph, Kind};

fn bench(c: &mut Criterion) {
    let objects = fluxcd_core_benches::random_dag(10_000, 5, 0x5eed);
    let edges: usize = objects.iter().map(|o| o.depends_on.len()).sum();
    eprintln!(
        "random DAG: {} Kustomizations, {edges} dependsOn entries",
        objects.len()
    );
    let mut group = c.benchmark_group("deps");
    group.throughput(Throughput::Elements(objects.len() as u64));
    group.bench_function("sort_10k", |b| b.iter(|| deps::sort(&objects).unwrap()));
    group.bench_function("sort_waves_cycles_10k", |b| {
        b.iter(|| Graph::build(Kind::Kustomization, &objects))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
