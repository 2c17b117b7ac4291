//! Flowchart structure against mermaid's: node ids (in mermaid's order) and shapes, the
//! subgraph each node belongs to, and edge endpoints, types and strokes.

use plansmith::mermaid::Diagram;
use serde_json::Value;

// irrefutable while flowchart is the only family merged on this branch
#[allow(irrefutable_let_patterns)]
pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::Flowchart(f) = diagram else {
        return Err("not a flowchart".into());
    };
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    if str_of(expected, "direction").as_deref() != Some(f.direction.as_str()) {
        return Err(format!(
            "direction {} != {:?}",
            f.direction,
            expected.get("direction")
        ));
    }
    let want_nodes: Vec<(String, Option<String>)> = expected["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| (str_of(n, "id").unwrap_or_default(), str_of(n, "shape")))
        .collect();
    let got_nodes: Vec<(String, Option<String>)> = f
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.shape.clone()))
        .collect();
    if want_nodes != got_nodes {
        return Err(format!("nodes {got_nodes:?} != {want_nodes:?}"));
    }
    let want_edges: Vec<(String, String, String, String)> = expected["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                str_of(e, "from").unwrap_or_default(),
                str_of(e, "to").unwrap_or_default(),
                str_of(e, "type").unwrap_or_default(),
                str_of(e, "stroke").unwrap_or_default(),
            )
        })
        .collect();
    let got_edges: Vec<(String, String, String, String)> = f
        .edges
        .iter()
        .map(|e| {
            (
                e.from.clone(),
                e.to.clone(),
                e.kind.clone(),
                e.stroke.clone(),
            )
        })
        .collect();
    if want_edges != got_edges {
        return Err(format!("edges {got_edges:?} != {want_edges:?}"));
    }
    let want_groups: Vec<(String, Vec<String>)> = expected["groups"]
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
            (str_of(g, "id").unwrap_or_default(), members)
        })
        .collect();
    // mermaid's rendered structure holds one group per id: a repeated subgraph id adds to it
    let mut got_groups: Vec<(String, Vec<String>)> = Vec::new();
    for s in &f.subgraphs {
        match got_groups.iter_mut().find(|(id, _)| *id == s.id) {
            Some((_, members)) => members.extend(s.members.iter().cloned()),
            None => got_groups.push((s.id.clone(), s.members.clone())),
        }
    }
    if want_groups != got_groups {
        return Err(format!("groups {got_groups:?} != {want_groups:?}"));
    }
    Ok(())
}

/// Every prefix of every corpus flowchart parses without panicking, and every error names a
/// position inside the text.
#[test]
fn flowchart_prefixes_never_panic() {
    super::every_prefix_parses("flowchart");
}
