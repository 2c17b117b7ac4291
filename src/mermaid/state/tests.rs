use super::*;
use crate::mermaid::test_support::{block_errors as errors, block_model, nested, parse_text};
use crate::mermaid::Diagram;

fn state(text: &str) -> StateDiagram {
    block_model(text, |d| match d {
        Diagram::State(s) => Some(s),
        _ => None,
    })
}

fn ids(d: &StateDiagram) -> Vec<(String, Option<String>)> {
    d.states
        .iter()
        .map(|s| (s.id.clone(), s.parent.clone()))
        .collect()
}

#[test]
fn start_end_and_composites() {
    let d =
        state("stateDiagram-v2\n[*] --> A\nstate A {\n  [*] --> B\n  B --> [*]\n}\nA --> [*]\n");
    let got = ids(&d);
    assert_eq!(got[0], ("root_start".to_string(), None));
    assert!(got.contains(&("A_start".to_string(), Some("A".to_string()))));
    assert!(got.contains(&("A_end".to_string(), Some("A".to_string()))));
    assert!(got.contains(&("root_end".to_string(), None)));
    let a = d.states.iter().find(|s| s.id == "A").unwrap();
    assert_eq!(a.shape.as_deref(), Some("roundedWithTitle"));
}

#[test]
fn descriptions_forks_and_notes() {
    let d = state(
        "stateDiagram\n  s1 : first\n  state \"Second\" as s2\n  state f <<fork>>\n  s1 --> f : go\n  note right of s1 : careful\n",
    );
    let s1 = d.states.iter().find(|s| s.id == "s1").unwrap();
    assert_eq!(s1.label, "first");
    assert_eq!(
        d.states
            .iter()
            .find(|s| s.id == "f")
            .unwrap()
            .shape
            .as_deref(),
        Some("fork")
    );
    assert!(d.states.iter().any(|s| s.id == "s1----note-1"));
    assert_eq!(d.transitions[0].label, "go");
}

#[test]
fn concurrent_regions() {
    let d = state("stateDiagram-v2\nstate A {\n  a1 --> a2\n  --\n  b1 --> b2\n}\n");
    let dividers: Vec<_> = d
        .states
        .iter()
        .filter(|s| s.shape.as_deref() == Some("divider"))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(dividers, ["divider-id-1", "id-generated-1"]);
}

#[test]
fn errors_have_positions() {
    let e = errors("stateDiagram-v2\n  A --> \"B\"\n");
    assert_eq!((e[0].span.line, e[0].span.column), (2, 9));
    let e = errors("stateDiagram-v2\nstate A {\n  B\n");
    assert!(e[0].message.contains("`}`"), "{}", e[0].message);
}

#[test]
fn snapshot_model() {
    let d = state(
        "stateDiagram-v2\n  direction LR\n  classDef hot fill:#f96\n  [*] --> Idle\n  Idle --> Busy : job\n  state Busy {\n    [*] --> Working\n    Working --> [*]\n  }\n  Busy --> [*]\n  class Busy hot\n",
    );
    insta::assert_json_snapshot!(d);
}

#[test]
fn parsing_goes_on_after_an_error() {
    let e = errors("stateDiagram-v2\n  A --> \"B\"\n  C --> D\n  E --> default\n");
    let lines: Vec<u32> = e.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, [2, 4]);
}

#[test]
fn quirks_mermaid_has() {
    // a bare `state X` declares nothing; `#` starts a comment; keywords ignore case
    let d = state("stateDiagram-v2\nstate X\nA --> B # comment\nSTATE C {\n  D\n}\n");
    let ids: Vec<_> = d.states.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D"]);
    // `state "d" as id` and a multi-line note; a note on the left links note to state
    let d = state("stateDiagram\nstate \"Long name\" as s\nnote left of s\n  line one\n  line two\nend note\n");
    assert_eq!(
        d.states.iter().find(|n| n.id == "s").unwrap().label,
        "Long name"
    );
    let note = d
        .states
        .iter()
        .find(|n| n.shape.as_deref() == Some("note"))
        .unwrap();
    assert_eq!(note.label, "line one\n  line two");
    assert_eq!(d.transitions[0].to, "s");
    // a composite with a second description is refused
    let e = errors("stateDiagram-v2\nstate \"A\" as a {\n  b\n}\na : more\n");
    assert_eq!(e[0].code, "MMD502");
    // the keyword needs whitespace after it (the end of the text will do)
    assert_eq!(errors("stateDiagram[*] --> A\n")[0].code, "MMD501");
    assert!(errors("stateDiagram-v2").is_empty());
}

#[test]
fn graph_view() {
    let d = state("stateDiagram-v2\n[*] --> A\nstate A {\n  b --> c\n}\n");
    let g = d.graph();
    assert_eq!(g.groups.len(), 1);
    assert_eq!(g.graph.edge_count(), 2);
    let c = g.graph.node_weights().find(|n| n.id == "c").unwrap();
    assert_eq!(c.group.as_deref(), Some("A"));
}

#[test]
fn note_colon_warning() {
    let parsed = parse_text("stateDiagram-v2\nA\nnote right of A:hello\nnote left of A : fine\n");
    let warnings: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "MMD504")
        .collect();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message.contains("`ello`"),
        "{}",
        warnings[0].message
    );
    assert_eq!(warnings[0].span.line, 3);
}

#[test]
fn an_unexpected_character_is_named() {
    let e = errors("stateDiagram-v2\n  A --> B\n  - C\n");
    assert_eq!((e[0].span.line, e[0].span.column), (3, 3));
    assert!(e[0].message.contains("unexpected `-`"), "{}", e[0].message);
}

#[test]
fn undefined_class_warns() {
    let parsed = parse_text("stateDiagram-v2\nA:::ghost --> B\n");
    let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["MMD503"]);
    assert!(parsed.diagram.is_some());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let nested = |n| {
        nested(
            "stateDiagram-v2",
            n,
            |i| format!("state s{i} {{\n"),
            "a --> b\n",
            "}\n",
        )
    };
    assert!(errors(&nested(grammar::MAX_DEPTH)).is_empty());
    let e = errors(&nested(5000));
    assert!(
        e[0].message.contains("nested composite"),
        "{}",
        e[0].message
    );
}

#[test]
fn floating_note_starting_with_a_multibyte_character() {
    // Issue 15: the lexer sliced two bytes into `日`, `€` or `—` and panicked.
    for text in ["日本語", "€", "—x", "é"] {
        let d = state(&format!(
            "stateDiagram-v2\nnote \"{text}\" as N1\nA --> N1\n"
        ));
        assert!(
            d.states.iter().any(|s| s.id == "N1"),
            "{text}: {:?}",
            d.states
        );
    }
}
