//! Parsing speed: every corpus diagram and mutant of the six parsed families (valid and
//! invalid), parsed on one thread; prints diagrams per second per family once, then criterion
//! times the whole set. Skips (with a notice) when `../shared/conformance/mermaid` is absent.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use plansmith::mermaid;
use plansmith::source::SourceText;
use std::path::PathBuf;
use std::time::Instant;

const FAMILIES: [&str; 6] = ["flowchart", "sequence", "class", "er", "state", "c4"];

fn diagrams() -> Option<Vec<(&'static str, SourceText)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/mermaid");
    if !dir.is_dir() {
        eprintln!(
            "notice: {} is absent; skipping the mermaid bench",
            dir.display()
        );
        return None;
    }
    let mut out = Vec::new();
    for family in FAMILIES {
        for folder in ["corpus", "mutants"] {
            let Ok(entries) = std::fs::read_dir(dir.join(folder).join(family)) else {
                continue;
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((
                    family,
                    SourceText::whole_file(path.display().to_string(), text),
                ));
            }
        }
    }
    Some(out)
}

fn bench_parse(c: &mut Criterion) {
    let Some(diagrams) = diagrams() else { return };
    for family in FAMILIES {
        let mine: Vec<&SourceText> = diagrams
            .iter()
            .filter(|(f, _)| *f == family)
            .map(|(_, s)| s)
            .collect();
        // Best of five passes, so that a busy machine shows less.
        let best = (0..5)
            .map(|_| {
                let start = Instant::now();
                for src in &mine {
                    std::hint::black_box(mermaid::parse(src));
                }
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        println!(
            "parse {family:<10} {:>5} diagrams  {:>9.0} diagrams/s",
            mine.len(),
            mine.len() as f64 / best
        );
    }
    let mut group = c.benchmark_group("mermaid-parse");
    group.sample_size(10);
    group.throughput(Throughput::Elements(diagrams.len() as u64));
    group.bench_function("corpus+mutants 1-thread", |b| {
        b.iter(|| {
            for (_, src) in &diagrams {
                std::hint::black_box(mermaid::parse(src));
            }
        })
    });
    group.finish();
}

/// Diagrams with very long lines (runs of spaces, `a:` ids, words) at two sizes ten times apart:
/// the times should differ about tenfold (they were quadratic once).
fn bench_long_lines(c: &mut Criterion) {
    let flowchart = |n: usize| {
        let spaces = " ".repeat(n);
        let ids = "a:".repeat(n / 2);
        format!("graph TD\nA{spaces}B\n{ids} --> C\nA -- {spaces} --> B\n")
    };
    let state = |n: usize| {
        let words = "w ".repeat(n / 2);
        format!("stateDiagram-v2\nstate {words}\nA --> B : {words}\n")
    };
    let mut group = c.benchmark_group("mermaid-long-lines");
    group.sample_size(10);
    for (family, make) in [
        ("flowchart", &flowchart as &dyn Fn(usize) -> String),
        ("state", &state),
    ] {
        for n in [10_000, 100_000] {
            let src = SourceText::whole_file("long.mmd".to_string(), make(n));
            group.throughput(Throughput::Bytes(src.text.len() as u64));
            group.bench_function(format!("{family} {n}"), |b| {
                b.iter(|| std::hint::black_box(mermaid::parse(&src)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_parse, bench_long_lines);
criterion_main!(benches);
