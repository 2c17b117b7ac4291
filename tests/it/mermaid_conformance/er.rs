//! ER structure: entities (name, alias, attributes with keys and comments), relationships (the
//! `entity-NAME-INDEX` ids mermaid gives their ends, label, cardinalities, identification) and
//! direction, against mermaid's own parse.

use plansmith::mermaid::Diagram;
use serde_json::{json, Value};

pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::Er(er) = diagram else {
        return Err("not parsed as an ER diagram".into());
    };
    let direction = expected["direction"].as_str().unwrap_or("TB");
    if er.direction.as_str() != direction {
        return Err(format!("direction {:?} != {direction}", er.direction));
    }
    let nodes: Vec<Value> = er
        .entities
        .iter()
        .map(|e| {
            let attributes: Vec<Value> = e
                .attributes
                .iter()
                .map(|a| {
                    let mut v = json!({"type": a.ty, "name": a.name});
                    if !a.keys.is_empty() {
                        v["keys"] = json!(a.keys);
                    }
                    if let Some(c) = &a.comment {
                        v["comment"] = json!(c);
                    }
                    v
                })
                .collect();
            let mut v = json!({"id": e.name});
            if let Some(alias) = &e.alias {
                v["label"] = json!(alias);
            }
            v["attributes"] = json!(attributes);
            v
        })
        .collect();
    let edges: Vec<Value> = er
        .relationships
        .iter()
        .map(|r| {
            json!({
                "from": er.entity_id(r.from),
                "to": er.entity_id(r.to),
                "label": r.label,
                "type": {
                    "cardA": r.to_cardinality.as_str(),
                    "relType": r.identification.as_str(),
                    "cardB": r.from_cardinality.as_str(),
                },
            })
        })
        .collect();
    super::same_items(("entity", "entities"), &nodes, expected, "nodes")?;
    super::same_items(("relationship", "relationships"), &edges, expected, "edges")
}
