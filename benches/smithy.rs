//! Parse + resolve + JSON AST output of the 7 AWS service models of the conformance suite, on
//! one thread. Skipped when `../shared` is absent.

use criterion::{criterion_group, criterion_main, Criterion};
use plansmith::smithy::{self, IdlOrigin, SmithyInput};
use plansmith::source::SourceText;
use std::path::PathBuf;

fn aws_model_sources() -> Option<Vec<SourceText>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/smithy");
    let list = std::fs::read_to_string(dir.join("expect/realworld-aws-idl.txt")).ok()?;
    let sources = list
        .lines()
        .filter(|l| !l.is_empty())
        .map(|rel| {
            let text = std::fs::read_to_string(dir.join(rel)).expect("listed model");
            SourceText::whole_file(rel, text)
        })
        .collect();
    Some(sources)
}

fn bench(c: &mut Criterion) {
    let Some(sources) = aws_model_sources() else {
        eprintln!("notice: ../shared/conformance/smithy is absent; skipping the smithy bench");
        return;
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one-thread pool");
    let mut group = c.benchmark_group("smithy");
    group.sample_size(10);
    group.bench_function("aws-7-models-parse-resolve-json", |b| {
        b.iter(|| {
            pool.install(|| {
                for source in &sources {
                    let loaded = smithy::load(vec![SmithyInput::Idl {
                        source: source.clone(),
                        origin: IdlOrigin::StandaloneFile,
                    }]);
                    std::hint::black_box(loaded.model.to_json_ast());
                }
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
