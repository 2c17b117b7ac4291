//! Whole `build` runs over a generated folder of 1,000 plans: from nothing (`full`), again over
//! an unchanged folder (`unchanged`: the manifest's cache), and after editing one diagram of one
//! plan (`one-plan-edit`). Run one at a time with a short measurement, e.g.
//! `cargo bench --bench build -- unchanged --measurement-time 5`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use plansmith::build::{build, BuildOptions};
use plansmith::check::CheckOptions;

#[path = "support/corpus.rs"]
mod corpus;

fn no_progress(_: &str, _: usize, _: usize) {}

fn bench_build(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let plans = dir.path().join("plans");
    let paths = corpus::generate(&plans, 1000).expect("write corpus");
    let options = |out: &std::path::Path| BuildOptions {
        check: CheckOptions {
            paths: vec![plans.clone()],
            model_paths: Vec::new(),
            jobs: 0,
            ..CheckOptions::default()
        },
        out: out.to_path_buf(),
        base: None,
        svg_hooks: false,
    };
    let mut group = c.benchmark_group("build-1000-plans");
    group.sample_size(10);

    group.bench_function("full", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("output folder"),
            |out| build(&options(out.path()), &no_progress).expect("build"),
            BatchSize::PerIteration,
        )
    });

    let out = dir.path().join("site");
    build(&options(&out), &no_progress).expect("first build");
    group.bench_function("unchanged", |b| {
        b.iter(|| build(&options(&out), &no_progress).expect("build"))
    });

    // Each iteration gives one label of one plan's flowchart a new text.
    let edited = &paths[paths.len() / 2];
    let original = std::fs::read_to_string(edited).expect("read plan");
    let mut round = 0u64;
    group.bench_function("one-plan-edit", |b| {
        b.iter_batched(
            || {
                round += 1;
                let text = original.replacen("[Client]", &format!("[Client {round}]"), 1);
                std::fs::write(edited, text).expect("edit plan");
            },
            |()| build(&options(&out), &no_progress).expect("build"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_build);
criterion_main!(benches);
