//! Mermaid agreement beyond the shared corpus: a diagram for each cause of the misses found on
//! diagrams outside it (HTML attributes in labels, participant configuration read as YAML,
//! entity codes in names, multi-word composite states), in
//! `tests/fixtures/mermaid-agreement/{valid,invalid}`. Valid ones parse without an error and
//! their graph is snapshotted; invalid ones are refused, and their errors are snapshotted.

use plansmith::diagnostic::Severity;
use plansmith::mermaid;
use plansmith::source::SourceText;
use std::fmt::Write as _;
use std::path::Path;

/// Each `.mmd` file of a fixture folder, by name, with its parse.
fn parsed(folder: &str) -> Vec<(String, mermaid::ParsedDiagram)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mermaid-agreement")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mmd"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed = mermaid::parse(&SourceText::whole_file(name.clone(), &text));
            (name, parsed)
        })
        .collect()
}

fn errors(parsed: &mermaid::ParsedDiagram) -> Vec<String> {
    parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{} {} {}", d.span.line, d.span.column, d.code, d.message))
        .collect()
}

#[test]
fn valid_diagrams_parse_as_mermaid_reads_them() {
    let mut report = String::new();
    for (name, parsed) in parsed("valid") {
        assert_eq!(errors(&parsed), Vec::<String>::new(), "{name}");
        let diagram = parsed.diagram.as_ref().unwrap_or_else(|| panic!("{name}"));
        let graph = diagram.graph();
        let _ = writeln!(report, "{name}");
        for node in graph.graph.node_weights() {
            let _ = writeln!(
                report,
                "  node {:?} {:?} {}",
                node.id, node.label, node.kind
            );
        }
        for edge in graph.graph.edge_weights() {
            let _ = writeln!(report, "  edge {} {:?}", edge.kind, edge.label);
        }
    }
    insta::assert_snapshot!(report);
}

#[test]
fn invalid_diagrams_are_refused() {
    let mut report = String::new();
    for (name, parsed) in parsed("invalid") {
        let errors = errors(&parsed);
        assert!(!errors.is_empty(), "{name} was accepted");
        let _ = writeln!(report, "{name}\n  {}", errors.join("\n  "));
    }
    insta::assert_snapshot!(report);
}
