//! Members that target another shape (`ChangedMemberTarget`). A change to a shape of the same
//! simple, list or map type is judged by diffing the two targets (and their members) with
//! every evaluator: the member's event carries the nested events and their worst severity.

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatShape, Kind};
use crate::smithy::diff::{evaluate, Changed, DiffEvent, Differences, Severity};

const COMPATIBLE: &str = "This was determined backward compatible.";

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&[Kind::Member]) {
        let (Some(old_target), Some(new_target)) = (&change.old.target, &change.new.target) else {
            continue;
        };
        if old_target == new_target {
            continue;
        }
        let old_shape = d.old.get(old_target);
        let new_shape = d.new.get(new_target);
        let (severity, verdict) = match (old_shape, new_shape) {
            (Some(old), Some(new)) => judge(d, old, new),
            _ => (Severity::Warning, COMPATIBLE.to_string()),
        };
        let type_of = |s: Option<&FlatShape>| s.map_or("null", |s| s.kind.name());
        let message = format!(
            "The shape targeted by the member `{}` changed from `{old_target}` ({}) to `{new_target}` ({}). {verdict}",
            change.old.id,
            type_of(old_shape),
            type_of(new_shape),
        );
        out.push(DiffEvent::new(
            "ChangedMemberTarget",
            severity,
            &change.new.id,
            message,
        ));
    }
}

/// The severity of replacing one target with another, and why.
fn judge(d: &Differences, old: &FlatShape, new: &FlatShape) -> (Severity, String) {
    if old.kind != new.kind {
        return (
            Severity::Error,
            format!(
                "The type of the targeted shape changed from {} to {}.",
                old.kind.name(),
                new.kind.name()
            ),
        );
    }
    let interchangeable = match old.kind {
        Kind::Shape(ShapeType::Enum | ShapeType::IntEnum) => false,
        Kind::Shape(t) => !matches!(
            t,
            ShapeType::Structure
                | ShapeType::Union
                | ShapeType::Service
                | ShapeType::Resource
                | ShapeType::Operation
        ),
        Kind::Member => false,
    };
    if !interchangeable {
        return (
            Severity::Error,
            format!("The name of a {} is significant.", old.kind.name()),
        );
    }
    if old.has_trait("smithy.api#enum") {
        return (
            Severity::Error,
            "The `smithy.api#enum` trait was found on the target, so the name of the targeted shape matters for codegen.".to_string(),
        );
    }
    // The targets, and their members, compared as if they were one shape.
    let mut changed = vec![Changed { old, new }];
    let member_names: &[&str] = match old.kind {
        Kind::Shape(ShapeType::List | ShapeType::Set) => &["member"],
        Kind::Shape(ShapeType::Map) => &["key", "value"],
        _ => &[],
    };
    for name in member_names {
        if let (Some(old), Some(new)) = (d.old.member(old, name), d.new.member(new, name)) {
            changed.push(Changed { old, new });
        }
    }
    let nested = Differences {
        old: d.old,
        new: d.new,
        added: Vec::new(),
        removed: Vec::new(),
        changed,
        with_metadata: false,
    };
    let events = evaluate(&nested);
    if events.is_empty() {
        return (Severity::Warning, COMPATIBLE.to_string());
    }
    let mut severity = Severity::Warning;
    let mut message = String::from("This will result in the following effective differences:\n\n");
    for event in &events {
        severity = severity.max(event.severity);
        let indented: Vec<String> = event
            .message
            .split('\n')
            .map(|l| format!("  {l}"))
            .collect();
        message.push_str(&format!(
            "- [{}] {}\n",
            event.severity.name(),
            indented.join("\n").trim()
        ));
    }
    if severity <= Severity::Warning {
        message.insert_str(0, "This was determined backward compatible. ");
    }
    (severity, message.trim().to_string())
}
