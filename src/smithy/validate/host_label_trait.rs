//! `HostLabelTrait`: the `@endpoint` host prefix of an operation expands to a valid host, ends
//! with a period when it has labels (DANGER), and its labels and the input's `@hostLabel`
//! members correspond one to one.

use super::shared::{io_shape, ticked, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;
use std::collections::BTreeSet;

/// The labels (`{name}`) of a host prefix, and the prefix with every label replaced by `foo`.
fn labels_and_stub(prefix: &str) -> (Vec<String>, String) {
    let mut labels = Vec::new();
    let mut stub = String::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        stub.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            stub.push_str(&rest[open..]);
            rest = "";
            break;
        };
        labels.push(rest[open + 1..open + close].to_string());
        stub.push_str("foo");
        rest = &rest[open + close + 1..];
    }
    stub.push_str(rest);
    (labels, stub)
}

/// `^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}(\.[a-zA-Z0-9-]{1,63})*\.?$`: an RFC 3986 host name.
fn is_host(text: &str) -> bool {
    let text = text.strip_suffix('.').unwrap_or(text);
    let label_ok = |l: &str, max: usize| {
        !l.is_empty() && l.len() <= max && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let mut parts = text.split('.');
    let first = parts.next().unwrap_or("");
    first
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && label_ok(first, 63)
        && parts.all(|p| label_ok(p, 63))
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in ev.shapes_of(ShapeType::Operation) {
        let Some(prefix) = model
            .trait_value(op, "smithy.api#endpoint")
            .and_then(|e| e.get("hostPrefix"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let at = trait_at(&op.traits, "smithy.api#endpoint", &op.location);
        let (labels, stub) = labels_and_stub(prefix);
        if !is_host(&stub) {
            ev.error("HostLabelTrait", &at, &op.id, format!(
                "The `endpoint` trait hostPrefix, {prefix}, could not expand in to a valid RFC 3986 host: {stub}"
            ));
        }
        if !prefix.ends_with('.') && !labels.is_empty() {
            ev.danger("HostLabelTrait", &at, &op.id, "`endpoint` trait hostPrefix contains host labels and does not end in a period (`.`). This can result in clients inadvertently sending data to domains you do not control.".to_string());
        }
        let input_id = match &op.relations.input {
            None => "smithy.api#Unit".to_string(),
            Some(r) if model.shape_type(&r.target) == Some(ShapeType::Structure) => {
                r.target.clone()
            }
            Some(_) => continue,
        };
        let mut unbound: BTreeSet<&str> = labels.iter().map(String::as_str).collect();
        if let Some(input) = io_shape(model, op, true) {
            for m in model.members_of(input) {
                let Some(tv) = m.traits.get("smithy.api#hostLabel") else {
                    continue;
                };
                unbound.remove(m.name.as_str());
                if !labels.contains(&m.name) {
                    ev.error("HostLabelTrait", &tv.location, &format!("{}${}", input.id, m.name), format!(
                        "This `{}` structure member is marked with the `hostLabel` trait, but no corresponding `endpoint` label could be found when used as the input of the `{}` operation.",
                        m.name, op.id
                    ));
                }
            }
        }
        if !unbound.is_empty() {
            ev.error("HostLabelTrait", &op.location, &op.id, format!(
                "This operation uses {input_id} as input, but the following host labels found in the operation's `endpoint` trait do not have a corresponding member marked with the `hostLabel` trait: {}",
                ticked(unbound)
            ));
        }
    }
}
