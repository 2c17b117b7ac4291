//! `ExamplesTrait`: each `@examples` entry of an operation fits it: input, output and error
//! values are checked against their shapes by the node validator (as custom trait values are:
//! types, members, constraint traits), with unknown members as warnings
//! `ExamplesTrait.UnknownMember.…`; when `allowConstraintErrors` is set, violated constraints
//! and missing required members are warnings. An example has an output or an error but not
//! both, `allowConstraintErrors` needs an error, and the error is one the operation (or every
//! service binding it) can return.

use super::node_value::NodeValidator;
use super::shared::{service_operations, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use serde_json::Value;

/// Where the events of one example go, and how strict they are.
struct Example<'a> {
    op: &'a Shape,
    at: Location,
    allow_constraint_errors: bool,
}

/// Checks a value against the shape `id` (an input, output or error structure; `Unit` when
/// the operation has no input or output). One validator serves every example, so that each
/// `@pattern` is compiled once.
fn check_value(
    ev: &mut Events,
    values: &mut NodeValidator,
    example: &Example,
    (context, value, id): (&str, &Value, &str),
) {
    values.allow_constraint_errors(example.allow_constraint_errors);
    values.check_shape(id, value, context);
    for e in values.events.drain(..) {
        ev.emit(&e.id, e.severity, &example.at, &example.op.id, e.message);
    }
}

/// The shape an operation's input or output is (`smithy.api#Unit` when there is none), `None`
/// when it does not resolve.
fn io<'a>(model: &Model, r: &'a Option<Reference>) -> Option<&'a str> {
    match r {
        None => Some("smithy.api#Unit"),
        Some(r) if r.target == "smithy.api#Unit" || model.shapes.contains_key(&r.target) => {
            Some(&r.target)
        }
        Some(_) => None,
    }
}

/// Whether every service that binds the operation lists the error (the reference's rule:
/// false when the model has no service, true when no service binds the operation).
fn services_contain_error(ev: &Events, op: &Shape, error: &str) -> bool {
    let model = ev.model;
    let mut services = ev.shapes_of(ShapeType::Service).peekable();
    if services.peek().is_none() {
        return false;
    }
    services
        .filter(|s| service_operations(model, s).contains(&op.id))
        .all(|s| s.relations.errors.iter().any(|e| e.target == error))
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut values = NodeValidator::new(model, "ExamplesTrait", false);
    for op in ev.shapes_of(ShapeType::Operation) {
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
            if let Some(input) = io(model, &op.relations.input) {
                if example.allow_constraint_errors && error.is_none() {
                    ev.error("ExamplesTrait", &at, &op.id, format!(
                        "Example: `{title}` has allowConstraintErrors enabled, so error must be defined."
                    ));
                }
                let empty = Value::Object(Default::default());
                let value = entry.get("input").unwrap_or(&empty);
                let context = format!("Example input of `{title}`");
                check_value(ev, &mut values, &example, (&context, value, input));
            }
            match (output, error) {
                (Some(_), Some(_)) => ev.error("ExamplesTrait", &at, &op.id, format!(
                    "Example: `{title}` has both output and error defined, only one should be present."
                )),
                (Some(value), None) => {
                    if let Some(output) = io(model, &op.relations.output) {
                        let context = format!("Example output of `{title}`");
                        check_value(ev, &mut values, &example, (&context, value, output));
                    }
                }
                (None, Some(error)) => {
                    let id = error.get("shapeId").and_then(Value::as_str).unwrap_or("");
                    let shape = model.shapes.get(id);
                    let bound = op.relations.errors.iter().any(|e| e.target == id)
                        || services_contain_error(ev, op, id);
                    match shape {
                        Some(shape) if bound => {
                            let empty = Value::Object(Default::default());
                            let content = error.get("content").unwrap_or(&empty);
                            let context = format!("Example error of `{title}`");
                            check_value(ev, &mut values, &example, (&context, content, &shape.id));
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
