//! State diagram structure against mermaid's: every rendered state (id, shape, parent) and
//! every transition (endpoints), in mermaid's order. Mermaid names the last concurrent region
//! of a composite with a random id; both sides' generated ids are compared by position.

use plansmith::mermaid::Diagram;
use serde_json::Value;

/// Replaces ids of the form `id-<random>-<n>` by their order of appearance.
fn normalise(ids: &mut Vec<String>) -> impl FnMut(&str) -> String + '_ {
    move |s: &str| {
        let mut out = String::new();
        for (i, part) in s.split("_").enumerate() {
            if i > 0 {
                out.push('_');
            }
            let generated = part.starts_with("id-") && part.matches('-').count() >= 2;
            if generated {
                let pos = ids.iter().position(|x| x == part).unwrap_or_else(|| {
                    ids.push(part.to_string());
                    ids.len() - 1
                });
                out.push_str(&format!("<generated {pos}>"));
            } else {
                out.push_str(part);
            }
        }
        out
    }
}

#[allow(irrefutable_let_patterns)]
pub fn compare(diagram: &Diagram, expected: &Value) -> Result<(), String> {
    let Diagram::State(d) = diagram else {
        return Err("not a state diagram".into());
    };
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    if str_of(expected, "direction").as_deref() != Some(d.direction.as_str()) {
        return Err(format!(
            "direction {:?} != {:?}",
            d.direction,
            expected.get("direction")
        ));
    }
    let mut want_ids = Vec::new();
    let mut got_ids = Vec::new();
    type Node = (String, Option<String>, Option<String>, String);
    let want_nodes: Vec<Node> = {
        let mut n = normalise(&mut want_ids);
        expected["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| {
                (
                    n(&str_of(v, "id").unwrap_or_default()),
                    str_of(v, "shape"),
                    str_of(v, "parent").map(|p| n(&p)),
                    n(&str_of(v, "label").unwrap_or_default()),
                )
            })
            .collect()
    };
    let got_nodes: Vec<Node> = {
        let mut n = normalise(&mut got_ids);
        d.states
            .iter()
            .map(|s| {
                (
                    n(&s.id),
                    s.shape.clone(),
                    s.parent.as_deref().map(&mut n),
                    n(&s.label),
                )
            })
            .collect()
    };
    super::same("states", &got_nodes, &want_nodes)?;
    let want_edges: Vec<(String, String, String)> = {
        let mut n = normalise(&mut want_ids);
        expected["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    n(&str_of(e, "from").unwrap_or_default()),
                    n(&str_of(e, "to").unwrap_or_default()),
                    str_of(e, "label").unwrap_or_default(),
                )
            })
            .collect()
    };
    let got_edges: Vec<(String, String, String)> = {
        let mut n = normalise(&mut got_ids);
        d.transitions
            .iter()
            .map(|t| (n(&t.from), n(&t.to), t.label.clone()))
            .collect()
    };
    super::same("transitions", &got_edges, &want_edges)
}

/// Every prefix of every corpus state diagram parses without panicking, and every error names
/// a position inside the text.
#[test]
fn state_prefixes_never_panic() {
    super::every_prefix_parses("state");
}
