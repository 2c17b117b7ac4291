//! Validation events of hand-written models, one case per `.smithy` file under
//! `tests/fixtures/smithy-events/`: the warnings and errors of the model must be exactly the
//! lines of the `.events` file next to it (`line:column severity code message`, any order).
//! Notes (suppressed events among them) are left out.

use plansmith::diagnostic::Severity;
use plansmith::smithy::{self, IdlOrigin, SmithyInput};
use plansmith::source::SourceText;
use std::path::Path;

#[test]
fn event_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smithy-events");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "smithy"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = smithy::load(vec![SmithyInput::Idl {
            source: SourceText::whole_file(name.clone(), std::fs::read_to_string(case).unwrap()),
            origin: IdlOrigin::StandaloneFile,
        }]);
        let mut events: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .map(crate::shared::event_line)
            .collect();
        events.sort();
        let mut expected: Vec<String> = std::fs::read_to_string(case.with_extension("events"))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        expected.sort();
        if events != expected {
            failures.push(format!(
                "{name}:\n  got:\n    {}\n  expected:\n    {}",
                events.join("\n    "),
                expected.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
