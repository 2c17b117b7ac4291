//! Access to `../shared` (the conformance suites), which a clone of the project alone lacks.

use std::path::PathBuf;

/// `$CARGO_MANIFEST_DIR/../shared/conformance/<sub>`, or `None` with a printed notice when the
/// folder is absent, so that the calling test can return early and pass. With
/// `PLANSMITH_REQUIRE_SHARED=1` (CI sets it) an absent folder fails the test instead.
pub fn conformance_dir(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance")
        .join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("PLANSMITH_REQUIRE_SHARED").as_deref() != Ok("1"),
            "{} is absent and PLANSMITH_REQUIRE_SHARED=1",
            dir.display()
        );
        eprintln!(
            "notice: {} is absent; skipping the {sub} conformance suite",
            dir.display()
        );
        None
    }
}

/// Reads a TSV file with a header line into rows of named fields.
pub fn read_tsv(path: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect()
}

/// One diagnostic as the event fixtures write it: `line:column severity code message`.
pub fn event_line(d: &plansmith::diagnostic::Diagnostic) -> String {
    format!(
        "{}:{} {} {} {}",
        d.span.line,
        d.span.column,
        d.severity.as_str(),
        d.code,
        d.message
    )
}

/// Every Markdown file below `dir`, in sorted order.
pub fn markdown_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// A standalone Smithy file (`.smithy` IDL, or a `.json` AST) under `dir`, as a load input
/// named by its path relative to `dir`.
pub fn smithy_input(dir: &std::path::Path, rel: &str) -> plansmith::smithy::SmithyInput {
    use plansmith::smithy::{IdlOrigin, SmithyInput};
    let text = std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let source = plansmith::source::SourceText::whole_file(rel, text);
    if rel.ends_with(".json") {
        SmithyInput::JsonAst { source }
    } else {
        SmithyInput::Idl {
            source,
            origin: IdlOrigin::StandaloneFile,
        }
    }
}
