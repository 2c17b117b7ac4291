//! Structure comparison for class diagrams: classes in order (id, label, annotations, member
//! and method texts as mermaid stores them), relations (endpoints, both end types and the line
//! type, label, cardinalities), namespaces with their classes, and the direction.

use plansmith::mermaid::class::{Member, RelationEnd};
use plansmith::mermaid::Diagram;
use serde_json::{json, Value};

/// The text mermaid stores for a member: the visibility escaped with a backslash and angle
/// brackets as HTML entities.
fn mermaid_member_text(m: &Member) -> String {
    let display = m.display();
    let escaped = match m.visibility {
        Some(_) => format!("\\{display}"),
        None => display,
    };
    let text = escaped.replace('<', "&lt;").replace('>', "&gt;");
    match text.strip_prefix("\\&lt;") {
        Some(rest) => format!("~{rest}"),
        None => text,
    }
}

fn end_code(e: Option<RelationEnd>) -> Value {
    e.map_or(json!("none"), |e| json!(e.code()))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::Class(d) = diagram else {
        return Err("not a class diagram".into());
    };
    let want_dir = expected["direction"].as_str().unwrap_or("TB");
    if d.direction.as_str() != want_dir {
        return Err(format!("direction {:?} != {want_dir}", d.direction));
    }
    let want_nodes = expected["nodes"].as_array().cloned().unwrap_or_default();
    if d.classes.len() != want_nodes.len() {
        return Err(format!(
            "classes differ: got {:?}, want {:?}",
            d.classes.iter().map(|c| &c.id).collect::<Vec<_>>(),
            want_nodes.iter().map(|n| &n["id"]).collect::<Vec<_>>()
        ));
    }
    for (c, n) in d.classes.iter().zip(&want_nodes) {
        let got = (
            c.id.clone(),
            c.label.clone(),
            c.annotations.clone(),
            c.members
                .iter()
                .map(mermaid_member_text)
                .collect::<Vec<_>>(),
            c.methods
                .iter()
                .map(mermaid_member_text)
                .collect::<Vec<_>>(),
        );
        let want = (
            n["id"].as_str().unwrap_or_default().to_string(),
            n["label"].as_str().unwrap_or_default().to_string(),
            strings(&n["annotations"]),
            strings(&n["members"]),
            strings(&n["methods"]),
        );
        if got != want {
            return Err(format!("class differs: got {got:?}, want {want:?}"));
        }
    }
    let want_edges = expected["edges"].as_array().cloned().unwrap_or_default();
    if d.relations.len() != want_edges.len() {
        return Err(format!(
            "relation count {} != {}",
            d.relations.len(),
            want_edges.len()
        ));
    }
    for (r, e) in d.relations.iter().zip(&want_edges) {
        let mut got = json!({
            "from": r.from,
            "to": r.to,
            "type": {"type1": end_code(r.from_end), "type2": end_code(r.to_end), "lineType": r.line.code()},
        });
        if let Some(l) = &r.label {
            got["label"] = json!(l);
        }
        if let Some(c) = &r.from_cardinality {
            got["card_from"] = json!(c);
        }
        if let Some(c) = &r.to_cardinality {
            got["card_to"] = json!(c);
        }
        // mermaid stores relation labels HTML-escaped; plansmith keeps them as written.
        let mut e = e.clone();
        if let Some(l) = e["label"].as_str() {
            e["label"] = json!(l.replace("&lt;", "<").replace("&gt;", ">"));
        }
        if got != e {
            return Err(format!("relation differs: got {got}, want {e}"));
        }
    }
    let got_groups: Vec<Value> = d
        .namespaces
        .iter()
        .map(|n| json!({"id": n.id, "members": n.classes}))
        .collect();
    let want_groups = expected["groups"].as_array().cloned().unwrap_or_default();
    if got_groups != want_groups {
        return Err(format!(
            "namespaces differ: got {got_groups:?}, want {want_groups:?}"
        ));
    }
    Ok(())
}
