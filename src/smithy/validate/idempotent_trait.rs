//! `IdempotentTrait`: `exists` and `notFound` of `@idempotent` are not both given, and the
//! errors they name are errors of the operation.

use super::shared::{ticked, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in ev.shapes_of(ShapeType::Operation) {
        let Some(value) = model.trait_value(op, "smithy.api#idempotent") else {
            continue;
        };
        let at = trait_at(&op.traits, "smithy.api#idempotent", &op.location);
        let list = |key: &str| value.get(key).and_then(Value::as_array);
        if list("exists").is_some() && list("notFound").is_some() {
            ev.error("IdempotentTrait", &at, &op.id, "The `exists` and `notFound` properties of the `@idempotent` trait are mutually exclusive. Only one may be specified.".to_string());
        }
        let errors: Vec<&str> = op
            .relations
            .errors
            .iter()
            .map(|e| e.target.as_str())
            .collect();
        for key in ["exists", "notFound"] {
            for error in list(key).into_iter().flatten().filter_map(Value::as_str) {
                if !errors.contains(&error) {
                    ev.error("IdempotentTrait", &at, &op.id, format!(
                        "The `{key}` property references error `{error}`, but it is not in the operation's errors list. Expected one of {}",
                        ticked(&errors)
                    ));
                }
            }
        }
    }
}
