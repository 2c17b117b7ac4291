//! Structure comparison for sequence diagrams: participants (id, label, type), messages in
//! order (endpoints, mermaid's line type number, text), the number of notes and of control
//! records (activations, autonumber, block starts/ends), and boxes with their members.

use plansmith::mermaid::sequence::Event;
use plansmith::mermaid::Diagram;
use serde_json::Value;

/// mermaid stores `#name;` entities in an encoded form (`ﬂ°name¶ß`, `ﬂ°°123¶ß` for numbers);
/// plansmith keeps the text as written, so the expectation is decoded back before comparing.
fn decode_entities(s: &str) -> String {
    s.replace("ﬂ°°", "#").replace("ﬂ°", "#").replace("¶ß", ";")
}

pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::Sequence(d) = diagram else {
        return Err("not a sequence diagram".into());
    };
    let nodes = expected["nodes"].as_array().cloned().unwrap_or_default();
    let got_nodes: Vec<(String, String, String)> = d
        .participants
        .iter()
        .map(|p| (p.id.clone(), p.label.clone(), p.kind.clone()))
        .collect();
    let want_nodes: Vec<(String, String, String)> = nodes
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap_or_default().to_string(),
                decode_entities(n["label"].as_str().unwrap_or_default()),
                n["shape"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if got_nodes != want_nodes {
        return Err(format!(
            "participants differ: got {got_nodes:?}, want {want_nodes:?}"
        ));
    }

    let got_edges: Vec<(String, String, u64, String)> = d
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Message {
                from,
                to,
                arrow,
                text,
                ..
            } => Some((
                from.clone(),
                to.clone(),
                u64::from(arrow.code()),
                text.clone(),
            )),
            _ => None,
        })
        .collect();
    let want_edges: Vec<(String, String, u64, String)> = expected["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap_or_default().to_string(),
                e["to"].as_str().unwrap_or_default().to_string(),
                e["type"].as_u64().unwrap_or(u64::MAX),
                decode_entities(e["label"].as_str().unwrap_or_default()),
            )
        })
        .collect();
    if got_edges != want_edges {
        let first = got_edges
            .iter()
            .zip(&want_edges)
            .position(|(a, b)| a != b)
            .unwrap_or(got_edges.len().min(want_edges.len()));
        return Err(format!(
            "messages differ at #{first} (got {}, want {}): got {:?}, want {:?}",
            got_edges.len(),
            want_edges.len(),
            got_edges.get(first),
            want_edges.get(first)
        ));
    }

    let notes = d
        .events
        .iter()
        .filter(|e| matches!(e, Event::Note { .. }))
        .count();
    let control = d.events.len() - notes - got_edges.len();
    let want_notes = expected["notes"].as_u64().unwrap_or(0) as usize;
    let want_control = expected["control_records"].as_u64().unwrap_or(0) as usize;
    if (notes, control) != (want_notes, want_control) {
        return Err(format!(
            "notes/control records differ: got {notes}/{control}, want {want_notes}/{want_control}"
        ));
    }

    let got_boxes: Vec<(Option<String>, Vec<String>)> = d
        .boxes
        .iter()
        .map(|b| (b.label.clone(), b.members.clone()))
        .collect();
    let want_boxes: Vec<(Option<String>, Vec<String>)> = expected["boxes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|b| {
            (
                b["label"].as_str().map(str::to_string),
                b["members"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .map(|m| m.as_str().unwrap_or_default().to_string())
                    .collect(),
            )
        })
        .collect();
    if got_boxes != want_boxes {
        return Err(format!(
            "boxes differ: got {got_boxes:?}, want {want_boxes:?}"
        ));
    }
    Ok(())
}
