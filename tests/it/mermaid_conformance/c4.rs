//! C4 structure: the diagram type, elements (alias, label, shape, enclosing boundary, technology
//! and description), boundaries (alias, label, type, parent; mermaid's implicit `global` first)
//! and relations (ends, type, label, technology), against mermaid's own parse.

use plansmith::mermaid::c4::Argument;
use plansmith::mermaid::Diagram;
use serde_json::{json, Value};

/// The label as mermaid keeps it: a `$key="value"` written in the label's position is not
/// unpacked there, so mermaid's label is that `{key: value}` object.
fn label(text: &str, arguments: &[Argument], position: usize) -> Value {
    match arguments.get(position) {
        Some(Argument::Named { key, value }) => json!({ key.as_str(): value }),
        _ => json!(text),
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::C4(c4) = diagram else {
        return Err("not parsed as a C4 diagram".into());
    };
    if expected["c4type"].as_str() != Some(c4.kind.keyword()) {
        return Err(format!("type {:?} != {}", c4.kind, expected["c4type"]));
    }
    let nodes: Vec<Value> = c4
        .elements
        .iter()
        .map(|e| {
            let mut v = json!({
                "id": e.alias,
                "label": label(&e.label, &e.arguments, 1),
                "shape": e.shape,
                "parent": e.parent.as_deref().unwrap_or("global"),
            });
            if let Some(t) = non_empty(&e.techn) {
                v["techn"] = json!(t);
            }
            if let Some(d) = non_empty(&e.descr) {
                v["descr"] = json!(d);
            }
            v
        })
        .collect();
    let mut groups =
        vec![json!({"id": "global", "label": "global", "type": "global", "parent": ""})];
    groups.extend(c4.boundaries.iter().map(|b| {
        json!({
            "id": b.alias,
            "label": label(&b.label, &b.arguments, 1),
            "type": b.kind,
            "parent": b.parent.as_deref().unwrap_or("global"),
        })
    }));
    let edges: Vec<Value> = c4
        .relations
        .iter()
        .map(|r| {
            let mut v = json!({"from": r.from, "to": r.to, "type": r.kind, "label": label(&r.label, &r.arguments, 2)});
            if let Some(t) = non_empty(&r.techn) {
                v["techn"] = json!(t);
            }
            v
        })
        .collect();
    super::same_items(("element", "elements"), &nodes, expected, "nodes")?;
    super::same_items(("boundary", "boundaries"), &groups, expected, "groups")?;
    super::same_items(("relation", "relations"), &edges, expected, "edges")
}
