//! Rendering speed: every valid corpus diagram of the six families rendered on one thread, and
//! the median and 95th percentile time per diagram, printed once before criterion's runs.
//! Skips (with a notice) when `../shared/conformance/mermaid` is absent.

use criterion::{criterion_group, criterion_main, Criterion};
use plansmith::render::render_mermaid;
use plansmith::source::SourceText;
use std::path::PathBuf;
use std::time::Instant;

const FAMILIES: [&str; 6] = ["flowchart", "sequence", "class", "er", "state", "c4"];

/// (family, source) of every diagram mermaid judged valid.
fn corpus() -> Option<Vec<(String, SourceText)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/mermaid");
    let Ok(verdicts) = std::fs::read_to_string(dir.join("expect/verdicts.tsv")) else {
        eprintln!(
            "notice: {} is absent; skipping the render bench",
            dir.display()
        );
        return None;
    };
    let mut diagrams = Vec::new();
    for line in verdicts.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, family, verdict, ..] = fields[..] else {
            continue;
        };
        if verdict != "valid" || !FAMILIES.contains(&family) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("corpus").join(file)).expect("corpus file");
        diagrams.push((family.to_string(), SourceText::whole_file(file, text)));
    }
    Some(diagrams)
}

/// The value below which `share` of the sorted `times` lie.
fn percentile(sorted: &[f64], share: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times each diagram (best of a few runs, to leave out scheduling noise) and prints the median
/// and 95th percentile in milliseconds, overall and per family.
fn print_percentiles(diagrams: &[(String, SourceText)]) {
    const RUNS: usize = 5;
    let mut by_family: Vec<(&str, Vec<f64>)> = FAMILIES.iter().map(|f| (*f, Vec::new())).collect();
    let mut all = Vec::new();
    for (family, src) in diagrams {
        let best = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(render_mermaid(src, "d-"));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .fold(f64::INFINITY, f64::min);
        all.push(best);
        if let Some((_, times)) = by_family.iter_mut().find(|(f, _)| f == family) {
            times.push(best);
        }
    }
    let report = |name: &str, times: &mut Vec<f64>| {
        if times.is_empty() {
            return;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "render {name:<10} {:>4} diagrams  median {:.3} ms  p95 {:.3} ms  max {:.3} ms",
            times.len(),
            percentile(times, 0.5),
            percentile(times, 0.95),
            times[times.len() - 1]
        );
    };
    for (family, times) in &mut by_family {
        report(family, times);
    }
    report("all", &mut all);
}

fn bench_render(c: &mut Criterion) {
    let Some(diagrams) = corpus() else {
        return;
    };
    print_percentiles(&diagrams);
    let mut group = c.benchmark_group("render-corpus");
    group.sample_size(10);
    group.bench_function("1-thread", |b| {
        b.iter(|| {
            for (_, src) in &diagrams {
                std::hint::black_box(render_mermaid(src, "d-"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
