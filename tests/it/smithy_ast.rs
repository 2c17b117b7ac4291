//! Smithy models the reference loads in a particular way, one folder per case under
//! `tests/fixtures/smithy-ast/`: every `.smithy` and `.json` file of the folder but
//! `expected.json` is an input, in name order. The JSON AST of the model must equal
//! `expected.json` (when present), and the errors must be exactly those of
//! `expected-errors.txt` (`line:column code`, none when the file is absent).

use plansmith::diagnostic::Severity;
use plansmith::smithy::model::MemberIndex;
use plansmith::smithy::{self, IdlOrigin, SmithyInput};
use plansmith::source::SourceText;
use serde_json::Value;
use std::path::Path;

fn case_inputs(dir: &Path) -> Vec<SmithyInput> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| (n.ends_with(".smithy") || n.ends_with(".json")) && n != "expected.json")
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let source = SourceText::whole_file(
                name.clone(),
                std::fs::read_to_string(dir.join(name)).unwrap(),
            );
            if name.ends_with(".json") {
                SmithyInput::JsonAst { source }
            } else {
                SmithyInput::Idl {
                    source,
                    origin: IdlOrigin::StandaloneFile,
                }
            }
        })
        .collect()
}

#[test]
fn json_ast_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smithy-ast");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6);
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = smithy::load(case_inputs(dir));
        let mut errors: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}:{} {}", d.span.line, d.span.column, d.code))
            .collect();
        errors.sort();
        let mut expected_errors: Vec<String> =
            std::fs::read_to_string(dir.join("expected-errors.txt"))
                .unwrap_or_default()
                .lines()
                .map(str::to_string)
                .collect();
        expected_errors.sort();
        if errors != expected_errors {
            let messages: Vec<&str> = loaded
                .diagnostics
                .iter()
                .map(|d| d.message.as_str())
                .collect();
            failures.push(format!(
                "{name}: errors {errors:?}, expected {expected_errors:?} ({messages:?})"
            ));
        }
        if let Ok(text) = std::fs::read_to_string(dir.join("expected.json")) {
            let expected: Value = serde_json::from_str(&text).unwrap();
            let ours = loaded.model.to_json_ast();
            if ours != expected {
                failures.push(format!(
                    "{name}: JSON AST differs:\n{}",
                    serde_json::to_string_pretty(&ours).unwrap()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[path = "../../benches/support/mixin_chain.rs"]
mod mixin_chain;
use mixin_chain::mixin_chain;

#[test]
fn a_chain_of_a_thousand_mixins_loads() {
    let loaded = smithy::load(vec![SmithyInput::Idl {
        source: SourceText::whole_file("chain.smithy", mixin_chain(1000)),
        origin: IdlOrigin::StandaloneFile,
    }]);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let leaf = &loaded.model.shapes["example.chain#Leaf"];
    let members = loaded.model.members_of(leaf);
    assert_eq!(members.len(), 1000);
    assert_eq!(members[0].name, "m0");
    let owners = loaded.model.members_with_owners(leaf);
    assert_eq!(owners[999].1, "example.chain#M999");
}

/// Mixins in a diamond, a chain, a member redeclared with more traits, a mixin cycle and a
/// missing mixin: the members merged once per model must be those merged per shape.
const MIXIN_SHAPES: &str = r#"$version: "2.0"
namespace example.mixins

@mixin
structure Base { a: String, b: Integer }

@mixin
structure Left with [Base] { @required a: String, l: String }

@mixin
structure Right with [Base] { r: String }

structure Diamond with [Left, Right] { own: String }

structure Chain with [Left] { $b }

@mixin
structure CycleA with [CycleB] { x: String }

@mixin
structure CycleB with [CycleA] { y: String }

structure Dangling with [Missing] { z: String }
"#;

#[test]
fn the_member_index_agrees_with_merging_each_shape() {
    let loaded = smithy::load(vec![SmithyInput::Idl {
        source: SourceText::whole_file("mixins.smithy", MIXIN_SHAPES.to_string()),
        origin: IdlOrigin::StandaloneFile,
    }]);
    let model = &loaded.model;
    let index = MemberIndex::new(model);
    for shape in model.shapes.values() {
        let merged: Vec<_> = model.members_of(shape);
        assert_eq!(index.members(shape), merged, "{}", shape.id);
        for m in merged {
            let (container, found) = index.member(&format!("{}${}", shape.id, m.name)).unwrap();
            assert_eq!((container.id.as_str(), found), (shape.id.as_str(), m));
        }
        assert!(index.member(&format!("{}$nope", shape.id)).is_none());
    }
    let diamond = &model.shapes["example.mixins#Diamond"];
    let names: Vec<_> = index.members(diamond).iter().map(|m| &m.name).collect();
    assert_eq!(names, ["a", "b", "l", "r", "own"]);
    let (_, a) = index.member("example.mixins#Diamond$a").unwrap();
    assert!(a.traits.contains_key("smithy.api#required"));
}
