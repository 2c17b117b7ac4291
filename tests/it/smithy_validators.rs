//! Validators declared in a model's `validators` metadata, with suppressions and severity
//! overrides, one folder per case under `tests/fixtures/smithy-validators/`: the `.smithy` files
//! of the folder make one model, and its events (every severity, in position order) must be
//! exactly the lines of `expected.txt` (`line:column severity code message`).

use plansmith::smithy::{self, IdlOrigin, SmithyInput};
use plansmith::source::SourceText;
use std::path::Path;

fn events_of(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".smithy"))
        .collect();
    names.sort();
    let inputs = names
        .iter()
        .map(|name| SmithyInput::Idl {
            source: SourceText::whole_file(
                name.clone(),
                std::fs::read_to_string(dir.join(name)).unwrap(),
            ),
            origin: IdlOrigin::StandaloneFile,
        })
        .collect();
    let loaded = smithy::load(inputs);
    let mut events: Vec<_> = loaded.diagnostics.iter().collect();
    events.sort_by(|a, b| {
        (a.span.line, a.span.column, &a.code, &a.message).cmp(&(
            b.span.line,
            b.span.column,
            &b.code,
            &b.message,
        ))
    });
    events
        .iter()
        .map(|d| crate::shared::event_line(d))
        .collect()
}

#[test]
fn declared_validator_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smithy-validators");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5);
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let ours = events_of(dir);
        let expected: Vec<String> = std::fs::read_to_string(dir.join("expected.txt"))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        if ours != expected {
            failures.push(format!(
                "{name}:\n  ours:\n    {}\n  expected:\n    {}",
                ours.join("\n    "),
                expected.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
