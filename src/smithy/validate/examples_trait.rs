//! `ExamplesTrait`: each `@examples` entry of an operation fits it: input, output and error
//! values fit their structures (unknown members are warnings `ExamplesTrait.UnknownMember.…`,
//! missing required members errors, or warnings when `allowConstraintErrors` is set), an
//! example has an output or an error but not both, `allowConstraintErrors` needs an error,
//! and the error is one the operation (or every service binding it) can return.
//!
//! Values are checked for structure members; the type checks of member values are the
//! trait-value checker's.

use super::shared::{service_operations, shapes_of, trait_at};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use serde_json::Value;

/// Where the events of one example go, and how strict they are.
struct Example<'a> {
    op: &'a Shape,
    at: Location,
    allow_constraint_errors: bool,
}

/// Checks an object value against a structure (`None`: the `Unit` structure).
fn check_structure(
    ev: &mut Events,
    example: &Example,
    context: &str,
    value: &Value,
    structure: Option<&Shape>,
) {
    let model = ev.model;
    let Some(object) = value.as_object() else {
        return;
    };
    let structure_id = structure.map_or("smithy.api#Unit", |s| s.id.as_str());
    let members = structure.map(|s| model.members_of(s)).unwrap_or_default();
    for (key, member_value) in object {
        match members.iter().find(|m| m.name == *key) {
            None => ev.emit(
                &format!("ExamplesTrait.UnknownMember.{structure_id}.{key}"),
                Severity::Warning,
                &example.at,
                &example.op.id,
                format!("{context}: Member `{key}` does not exist in `{structure_id}`"),
            ),
            Some(m) => {
                let target = model.shapes.get(&m.target);
                if let Some(t) = target.filter(|t| t.shape_type == ShapeType::Structure) {
                    check_structure(
                        ev,
                        example,
                        &format!("{context}.{key}"),
                        member_value,
                        Some(t),
                    );
                }
            }
        }
    }
    let severity = if example.allow_constraint_errors {
        Severity::Warning
    } else {
        Severity::Error
    };
    for m in members {
        if m.traits.contains_key("smithy.api#required") && !object.contains_key(&m.name) {
            ev.emit(
                "ExamplesTrait",
                severity,
                &example.at,
                &example.op.id,
                format!(
                    "{context}: Missing required structure member `{}` for `{structure_id}`",
                    m.name
                ),
            );
        }
    }
}

/// The structure an operation's input or output is, `Ok(None)` for `Unit`, `Err` when it
/// does not resolve.
fn io<'a>(model: &'a Model, r: &Option<Reference>) -> Result<Option<&'a Shape>, ()> {
    match r {
        None => Ok(None),
        Some(r) if r.target == "smithy.api#Unit" => Ok(None),
        Some(r) => model.shapes.get(&r.target).map(Some).ok_or(()),
    }
}

/// Whether every service that binds the operation lists the error (the reference's rule:
/// false when the model has no service, true when no service binds the operation).
fn services_contain_error(model: &Model, op: &Shape, error: &str) -> bool {
    let mut services = shapes_of(model, ShapeType::Service).peekable();
    if services.peek().is_none() {
        return false;
    }
    services
        .filter(|s| service_operations(model, s).contains(&op.id))
        .all(|s| s.relations.errors.iter().any(|e| e.target == error))
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in shapes_of(model, ShapeType::Operation) {
        let Some(examples) = model
            .trait_value(op, "smithy.api#examples")
            .and_then(Value::as_array)
        else {
            continue;
        };
        let at = trait_at(&op.traits, "smithy.api#examples", &op.location);
        for entry in examples {
            let title = entry.get("title").and_then(Value::as_str).unwrap_or("");
            let example = Example {
                op,
                at: at.clone(),
                allow_constraint_errors: entry
                    .get("allowConstraintErrors")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            };
            let output = entry.get("output");
            let error = entry.get("error");
            if let Ok(input) = io(model, &op.relations.input) {
                if example.allow_constraint_errors && error.is_none() {
                    ev.error("ExamplesTrait", &at, &op.id, format!(
                        "Example: `{title}` has allowConstraintErrors enabled, so error must be defined."
                    ));
                }
                let empty = Value::Object(Default::default());
                let value = entry.get("input").unwrap_or(&empty);
                check_structure(
                    ev,
                    &example,
                    &format!("Example input of `{title}`"),
                    value,
                    input,
                );
            }
            match (output, error) {
                (Some(_), Some(_)) => ev.error("ExamplesTrait", &at, &op.id, format!(
                    "Example: `{title}` has both output and error defined, only one should be present."
                )),
                (Some(value), None) => {
                    if let Ok(output) = io(model, &op.relations.output) {
                        check_structure(ev, &example, &format!("Example output of `{title}`"), value, output);
                    }
                }
                (None, Some(error)) => {
                    let id = error.get("shapeId").and_then(Value::as_str).unwrap_or("");
                    let shape = model.shapes.get(id);
                    let bound = op.relations.errors.iter().any(|e| e.target == id)
                        || services_contain_error(model, op, id);
                    match shape {
                        Some(shape) if bound => {
                            let empty = Value::Object(Default::default());
                            let content = error.get("content").unwrap_or(&empty);
                            check_structure(ev, &example, &format!("Example error of `{title}`"), content, Some(shape));
                        }
                        _ => ev.error("ExamplesTrait", &at, &op.id, format!(
                            "Error parameters provided for operation without the `{id}` error: `{title}`"
                        )),
                    }
                }
                (None, None) => {}
            }
        }
    }
}
