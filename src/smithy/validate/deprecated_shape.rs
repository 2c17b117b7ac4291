//! `DeprecatedShape.<target>` (WARNING): a shape refers to a `@deprecated` shape: a member
//! targets it, a service or resource binds it, an operation takes it as input, output or
//! error, a resource uses it as identifier or property, or a shape mixes it in. The message
//! adds the deprecation's message and `since`.

use super::target::NoTarget;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::Location;
use serde_json::Value;

const MIXIN: &str = "Applies a deprecated mixin";

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // The deprecated shapes, found once: a reference is then a look-up in a small set, and a
    // member's ID is built only for a member that targets one.
    let deprecated_shapes = ev.shapes_having("smithy.api#deprecated");
    if deprecated_shapes.is_empty() {
        return;
    }
    let mut found: Vec<(String, &str, &str, Location)> = Vec::new();
    for shape in model.shapes.values() {
        // The referring shape's ID is written only for a reference that is reported.
        let mut refer =
            |from: &dyn Fn() -> String, what: &'static str, target: &str, at: &Location| {
                let Some(&target) = deprecated_shapes.get(target) else {
                    return;
                };
                // A reference to a trait definition or a mixin other than as a mixin is a
                // Target error instead, as the reference's target validator reports it.
                if what == MIXIN || NoTarget::of(model, target).is_none() {
                    found.push((from(), what, target, at.clone()));
                }
            };
        if !matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum) {
            for m in ev.members.each_member(shape) {
                if deprecated_shapes.contains(m.target.as_str()) {
                    refer(
                        &|| shape.member_id(&m.name),
                        "Member targets a deprecated shape",
                        &m.target,
                        &m.target_location,
                    );
                }
            }
        }
        let id = || shape.id.clone();
        for m in &shape.mixins {
            refer(&id, MIXIN, &m.target, &m.location);
        }
        let r = &shape.relations;
        for x in &r.resources {
            refer(&id, "Binds a deprecated resource", &x.target, &x.location);
        }
        for x in &r.operations {
            refer(&id, "Binds a deprecated operation", &x.target, &x.location);
        }
        for (_, x) in &r.identifiers {
            refer(
                &id,
                "Resource identifier targets a deprecated shape",
                &x.target,
                &x.location,
            );
        }
        for (_, x) in &r.properties {
            refer(
                &id,
                "Resource property targets a deprecated shape",
                &x.target,
                &x.location,
            );
        }
        if let Some(x) = &r.input {
            refer(
                &id,
                "Operation input targets a deprecated shape",
                &x.target,
                &x.location,
            );
        }
        if let Some(x) = &r.output {
            refer(
                &id,
                "Operation output targets a deprecated shape",
                &x.target,
                &x.location,
            );
        }
        for x in &r.errors {
            refer(
                &id,
                "Operation error targets a deprecated shape",
                &x.target,
                &x.location,
            );
        }
    }
    for (from, what, target, at) in found {
        let deprecated = model
            .trait_value(&model.shapes[target], "smithy.api#deprecated")
            .cloned()
            .unwrap_or(Value::Null);
        let mut message = format!("{what}, {target}");
        if let Some(text) = deprecated.get("message").and_then(Value::as_str) {
            message.push_str(&format!(". {text}"));
        }
        if let Some(since) = deprecated.get("since").and_then(Value::as_str) {
            message.push_str(&format!(" (since {since})"));
        }
        ev.emit(
            &format!("DeprecatedShape.{target}"),
            Severity::Warning,
            &at,
            &from,
            message,
        );
    }
}
