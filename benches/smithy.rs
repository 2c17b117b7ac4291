//! Parse + resolve + JSON AST output of the 7 AWS service models of the conformance suite, on
//! one thread (skipped when `../shared` is absent), and the load of chains of 300 and 1,000
//! mixins (`support/mixin_chain.rs`; was O(n^4)). Whole-run numbers for the 402 AWS models of
//! aws/api-models-aws come from `benches/aws-models.sh`.

use criterion::{criterion_group, criterion_main, Criterion};
use plansmith::smithy::{self, IdlOrigin, SmithyInput};
use plansmith::source::SourceText;
use std::path::PathBuf;

#[path = "support/mixin_chain.rs"]
mod mixin_chain;

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

fn bench_mixin_chains(c: &mut Criterion) {
    let mut group = c.benchmark_group("smithy-mixins");
    group.sample_size(10);
    for n in [300, 1000] {
        let source = SourceText::whole_file("chain.smithy", mixin_chain::mixin_chain(n));
        group.bench_function(format!("chain-{n}"), |b| {
            b.iter(|| {
                std::hint::black_box(smithy::load(vec![SmithyInput::Idl {
                    source: source.clone(),
                    origin: IdlOrigin::StandaloneFile,
                }]))
            })
        });
    }
    group.finish();
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

criterion_group!(benches, bench_mixin_chains, bench);
criterion_main!(benches);
