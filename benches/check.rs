//! Whole `check` runs over a generated folder of 1,000 plans, on one thread and on all cores.

use criterion::{criterion_group, criterion_main, Criterion};
use plansmith::check::{check, CheckOptions};

#[path = "support/corpus.rs"]
mod corpus;

fn bench_check(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    corpus::generate(dir.path(), 1000).expect("write corpus");
    let mut group = c.benchmark_group("check-1000-plans");
    group.sample_size(10);
    for jobs in [1, 0] {
        let options = CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            model_paths: Vec::new(),
            jobs,
            ..CheckOptions::default()
        };
        let name = if jobs == 0 {
            "all-cores".to_string()
        } else {
            format!("{jobs}-thread")
        };
        group.bench_function(name, |b| b.iter(|| check(&options)));
    }
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
