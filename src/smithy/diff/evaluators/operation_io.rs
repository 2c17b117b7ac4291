//! Operation inputs and outputs replaced (`ChangedOperationInput`, `ChangedOperationOutput`)
//! and resource identifiers changed (`ChangedResourceIdentifiers`).

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::Kind;
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use std::collections::BTreeMap;

const OPERATION: [Kind; 1] = [Kind::Shape(ShapeType::Operation)];

pub fn input(d: &Differences, out: &mut Vec<DiffEvent>) {
    io(d, out, "input", "ChangedOperationInput", |b| {
        b.input.as_deref()
    });
}

pub fn output(d: &Differences, out: &mut Vec<DiffEvent>) {
    io(d, out, "output", "ChangedOperationOutput", |b| {
        b.output.as_deref()
    });
}

fn io(
    d: &Differences,
    out: &mut Vec<DiffEvent>,
    what: &str,
    event_id: &str,
    side: fn(&crate::smithy::diff::flat::Bindings) -> Option<&str>,
) {
    for change in d.changed_of(&OPERATION) {
        let old = side(&change.old.bindings).unwrap_or("smithy.api#Unit");
        let new = side(&change.new.bindings).unwrap_or("smithy.api#Unit");
        if old != new {
            let message = format!(
                "Changed operation {what} of `{}` from `{old}` to `{new}`",
                change.old.id
            );
            let id = format!("{event_id}.From.{old}.To.{new}");
            out.push(DiffEvent::new(id, Severity::Error, &change.new.id, message));
        }
    }
}

pub fn resource_identifiers(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&[Kind::Shape(ShapeType::Resource)]) {
        let (old, new) = (
            &change.old.bindings.identifiers,
            &change.new.bindings.identifiers,
        );
        let as_map = |ids: &Vec<(String, String)>| ids.iter().cloned().collect::<BTreeMap<_, _>>();
        if as_map(old) != as_map(new) {
            let message = format!(
                "Identifiers of resource `{}` changed from {} to {}.",
                change.old.id,
                java_map(old),
                java_map(new)
            );
            out.push(DiffEvent::new(
                "ChangedResourceIdentifiers",
                Severity::Error,
                &change.new.id,
                message,
            ));
        }
    }
}

/// A map as Java prints one: `{name=ns#Target, other=ns#Other}`.
fn java_map(entries: &[(String, String)]) -> String {
    let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", inner.join(", "))
}
