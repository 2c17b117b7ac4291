//! Resolving and checking the dependencies of 10,000 plans with five dependencies each (links,
//! names and externals mixed, with some cycles), excluding the Markdown reading.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use plansmith::deps::{analyse, waves};
use plansmith::plan::{read_plan, Plan};

fn plans(n: usize) -> Vec<Plan> {
    let mut seed: u64 = 7;
    let mut next = |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        ((seed >> 33) as usize) % bound
    };
    (0..n)
        .map(|i| {
            let mut text = format!(
                "# Plan {i} Technical Implementation Plan\n\n| **Status:** Draft\n| **Owner:** T\n| **Target Date:** 2027-01-{:02}\n\n## Dependencies\n\n",
                1 + i % 28
            );
            for k in 0..5 {
                // Mostly earlier plans (acyclic), sometimes any plan (cycles), by link or by name.
                let j = if next(20) == 0 { next(n) } else { next(i.max(1)) };
                match k % 3 {
                    0 => text.push_str(&format!("- [Plan {j}](p{j:05}.md)\n")),
                    1 => text.push_str(&format!("- Plan {j}: shares data\n")),
                    _ => text.push_str(&format!("- External system {}\n", next(50))),
                }
            }
            read_plan(&format!("p{i:05}.md"), &text).0
        })
        .collect()
}

fn bench_deps(c: &mut Criterion) {
    let plans = plans(10_000);
    let mut group = c.benchmark_group("deps-10000-plans");
    group.sample_size(10);
    group.bench_function("resolve+cycles+review+waves", |b| {
        b.iter_batched(
            || plans.clone(),
            |mut plans| {
                let (graph, diagnostics) = analyse(&mut plans, &[], &|_, _| false);
                // Returned, so that freeing them is not timed.
                (waves(&graph).len(), diagnostics, graph, plans)
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_deps);
criterion_main!(benches);
