//! Flowchart structure against mermaid's: node ids (in mermaid's order), shapes and labels,
//! the subgraph each node belongs to, and edge endpoints, types, strokes, lengths, labels and
//! ids. Mermaid hides entity codes (`#quot;`) behind placeholder characters before parsing;
//! plansmith keeps them as written, so the expected labels are turned back.

use plansmith::mermaid::Diagram;
use serde_json::Value;

/// Mermaid's entity placeholders (`ﬂ°name¶ß`, `ﬂ°°123¶ß`) back to `#name;`.
fn entities_restored(label: &str) -> String {
    label
        .replace("ﬂ°°", "#")
        .replace("ﬂ°", "#")
        .replace("¶ß", ";")
}

// irrefutable while flowchart is the only family merged on this branch
#[allow(irrefutable_let_patterns)]
pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::Flowchart(f) = diagram else {
        return Err("not a flowchart".into());
    };
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    if str_of(expected, "direction").as_deref() != Some(f.direction.as_str()) {
        return Err(format!(
            "direction {:?} != {:?}",
            f.direction,
            expected.get("direction")
        ));
    }
    type Node = (String, Option<String>, String);
    let want_nodes: Vec<Node> = expected["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            (
                str_of(n, "id").unwrap_or_default(),
                str_of(n, "shape"),
                entities_restored(&str_of(n, "label").unwrap_or_default()),
            )
        })
        .collect();
    let got_nodes: Vec<Node> = f
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.shape.clone(), n.label.clone()))
        .collect();
    super::same("nodes", &got_nodes, &want_nodes)?;
    type Edge = (String, String, String, String, u64, String, String);
    let want_edges: Vec<Edge> = expected["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                str_of(e, "from").unwrap_or_default(),
                str_of(e, "to").unwrap_or_default(),
                str_of(e, "type").unwrap_or_default(),
                str_of(e, "stroke").unwrap_or_default(),
                e.get("length").and_then(Value::as_u64).unwrap_or_default(),
                entities_restored(&str_of(e, "label").unwrap_or_default()),
                str_of(e, "id").unwrap_or_default(),
            )
        })
        .collect();
    let got_edges: Vec<Edge> = f
        .edges
        .iter()
        .map(|e| {
            (
                e.from.clone(),
                e.to.clone(),
                e.kind.clone(),
                e.stroke.clone(),
                e.length as u64,
                e.label.clone(),
                e.id.clone(),
            )
        })
        .collect();
    super::same("edges", &got_edges, &want_edges)?;
    type Group = (String, String, Option<String>, Vec<String>);
    let want_groups: Vec<Group> = expected["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| {
            let members = g["members"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect();
            (
                str_of(g, "id").unwrap_or_default(),
                entities_restored(&str_of(g, "label").unwrap_or_default()),
                str_of(g, "dir"),
                members,
            )
        })
        .collect();
    // mermaid's rendered structure holds one group per id: a repeated subgraph id adds to it
    let mut got_groups: Vec<Group> = Vec::new();
    for s in &f.subgraphs {
        match got_groups.iter_mut().find(|g| g.0 == s.id) {
            Some(group) => group.3.extend(s.members.iter().cloned()),
            None => got_groups.push((
                s.id.clone(),
                s.title.clone(),
                s.direction.map(|d| d.as_str().to_string()),
                s.members.clone(),
            )),
        }
    }
    super::same("groups", &got_groups, &want_groups)
}

/// Every prefix of every corpus flowchart parses without panicking, and every error names a
/// position inside the text.
#[test]
fn flowchart_prefixes_never_panic() {
    super::every_prefix_parses("flowchart");
}
