//! Helm release name shortening (`fluxcd_core::release::shorten_name`) on
//! 100,000 composed names of 20 to 80 bytes (two thirds are shortened, each
//! with one SHA-256).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fluxcd_core::release;

fn bench(c: &mut Criterion) {
    let names = fluxcd_core_benches::release_names(100_000, 0x5eed);
    let mut group = c.benchmark_group("release");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("shorten_100k", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| release::shorten_name(n).unwrap().len())
                .sum::<usize>()
        })
    });
    group.bench_function("shorten_and_validate_100k", |b| {
        b.iter(|| {
            names
                .iter()
                .filter(|n| release::release_name(n).is_ok())
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
