//! `RequestCompressionTrait`: an operation with `@requestCompression` has an input, no input
//! member targets a shape that is both `@streaming` and `@requiresLength`, and its `encodings`
//! are a non-empty list of supported algorithms.

use super::shared::{io_shape, ticked, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

/// The compression algorithms the reference supports.
const SUPPORTED: &[&str] = &["gzip"];

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in ev.shapes_of(ShapeType::Operation) {
        // Without `encodings` the reference cannot create the trait (a loader error), so
        // there is nothing to validate.
        let Some(encodings) = model
            .trait_value(op, "smithy.api#requestCompression")
            .and_then(|t| t.get("encodings"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        let at = trait_at(&op.traits, "smithy.api#requestCompression", &op.location);
        // An input of `smithy.api#Unit` is none, as the reference reads an operation's input.
        let no_input = op
            .relations
            .input
            .as_ref()
            .is_none_or(|input| input.target == "smithy.api#Unit");
        if no_input {
            ev.error("RequestCompressionTrait", &op.location, &op.id, "The `requestCompression` trait can only be applied to operations which have an input shape defined".to_string());
        } else if let Some(input) = io_shape(model, op, true) {
            for m in model.members_of(input) {
                let Some(target) = model.shapes.get(&m.target) else {
                    continue;
                };
                if model.has_trait(target, "smithy.api#streaming")
                    && model.has_trait(target, "smithy.api#requiresLength")
                {
                    ev.error("RequestCompressionTrait", &op.location, &op.id, format!(
                        "The `requestCompression` trait can only be applied to operations which do not have input members that target shapes with both the `streaming` and `requiresLength` traits applied, but found member `{}${}` targeting `{}`",
                        input.id, m.name, target.id
                    ));
                }
            }
        }
        let encodings: Vec<&str> = encodings.iter().filter_map(Value::as_str).collect();
        if encodings.is_empty() {
            ev.error("RequestCompressionTrait", &at, &op.id, format!(
                "There must be at least one compression algorithm in `encodings` for the `requestCompression` trait applied to `{}`",
                op.id
            ));
            continue;
        }
        let invalid: Vec<&str> = encodings
            .into_iter()
            .filter(|e| !SUPPORTED.contains(&e.to_lowercase().as_str()))
            .collect();
        if !invalid.is_empty() {
            let plural = if invalid.len() == 1 { "" } else { "s" };
            ev.error("RequestCompressionTrait", &at, &op.id, format!(
                "Invalid compression algorithm{plural} found in `requestCompression` trait applied to `{}`: {}",
                op.id,
                ticked(invalid)
            ));
        }
    }
}
