//! `DefaultTrait`: a `@default` value fits its shape, as the node validator checks values
//! (`node_value.rs`; a zero outside a `@range` is only a warning), null only on members, empty lists and
//! maps, documents without non-empty arrays or objects, base64 blobs), and a structure member
//! repeats the default of the shape it targets (or sets `null`).

use super::super::ast::{IdlVersion, ShapeType};
use super::super::model::{Model, TraitValue};
use super::node_value::NodeValidator;
use super::Events;
use crate::diagnostic::Severity;
use serde_json::Value;

const DEFAULT: &str = "smithy.api#default";

/// Shapes and members are checked with what they inherit from mixins (a shape's `@default`, and
/// mixed-in members), as the reference checks the copies it makes of them.
pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let members = ev.members;
    for shape in model.shapes.values() {
        if let Some(t) = model.trait_entry(shape, DEFAULT) {
            if t.value.is_null() {
                ev.error(
                    "DefaultTrait",
                    &t.location,
                    &shape.id,
                    "The @default trait can be set to null only on members".to_string(),
                );
            } else {
                let mut values = NodeValidator::new(model, "DefaultTrait", true);
                values.check_shape(&shape.id, &t.value, CONTEXT);
                report(ev, &shape.id, t, values);
                check_value(ev, &shape.id, shape.shape_type, t);
            }
        }
        for m in members.each_member(shape) {
            // Written only for a member that has a default or an event.
            let member_id = || shape.member_id(&m.name);
            if let Some(t) = m.traits.get(DEFAULT) {
                if let (false, Some(target_type)) = (t.value.is_null(), model.shape_type(&m.target))
                {
                    let member_id = member_id();
                    let mut values = NodeValidator::new(model, "DefaultTrait", true);
                    values.check_member(shape, m, &t.value, CONTEXT);
                    report(ev, &member_id, t, values);
                    check_value(ev, &member_id, target_type, t);
                }
            }
            if shape.shape_type == ShapeType::Structure && shape.version == IdlVersion::V2 {
                check_coherent(ev, member_id, &m.target, m.traits.get(DEFAULT), &m.location);
            }
        }
    }
}

const CONTEXT: &str = "Error validating @default trait";

/// The problems the node validator found in a default value, reported on its shape or member.
fn report(ev: &mut Events, id: &str, t: &TraitValue, values: NodeValidator) {
    for e in values.events {
        ev.emit(&e.id, e.severity, &t.location, id, e.message);
    }
}

/// The rules that depend on the type of the shape the default is for.
fn check_value(ev: &mut Events, id: &str, target_type: ShapeType, t: &TraitValue) {
    let at = &t.location;
    match (target_type, &t.value) {
        (ShapeType::Blob, Value::String(s)) if !is_base64(s) => {
            ev.emit(
                "DefaultTrait",
                Severity::Warning,
                at,
                id,
                "The @default value of a blob should be a valid base64 string.".to_string(),
            );
        }
        (ShapeType::Map, Value::Object(o)) if !o.is_empty() => {
            ev.error(
                "DefaultTrait",
                at,
                id,
                "The @default value of a map must be an empty map".to_string(),
            );
        }
        (ShapeType::List | ShapeType::Set, Value::Array(a)) if !a.is_empty() => {
            ev.error(
                "DefaultTrait",
                at,
                id,
                "The @default value of a list must be an empty list".to_string(),
            );
        }
        (ShapeType::Document, Value::Array(a)) if !a.is_empty() => {
            ev.error(
                "DefaultTrait",
                at,
                id,
                "The @default value of a document cannot be a non-empty array".to_string(),
            );
        }
        (ShapeType::Document, Value::Object(o)) if !o.is_empty() => {
            ev.error(
                "DefaultTrait",
                at,
                id,
                "The @default value of a document cannot be a non-empty object".to_string(),
            );
        }
        _ => {}
    }
}

/// The default of a shape: its `@default` (or its mixins'), or the zero of a prelude
/// `Primitive*` shape.
fn shape_default(model: &Model, id: &str) -> Option<Value> {
    if let Some(shape) = model.shapes.get(id) {
        return model.trait_value(shape, DEFAULT).cloned();
    }
    let name = id.strip_prefix("smithy.api#Primitive")?;
    Some(if name == "Boolean" {
        Value::Bool(false)
    } else {
        Value::from(0)
    })
}

fn check_coherent(
    ev: &mut Events,
    member_id: impl Fn() -> String,
    target: &str,
    member_default: Option<&TraitValue>,
    member_at: &super::super::model::Location,
) {
    let Some(target_default) = shape_default(ev.model, target) else {
        return;
    };
    if target_default.is_null() {
        return;
    }
    match member_default {
        None => ev.error("DefaultTrait", member_at, &member_id(), format!(
            "Member targets {target}, which requires that the member defines the same default of `{target_default}` or `null`"
        )),
        Some(t) if !t.value.is_null() && !same_value(&t.value, &target_default) => {
            ev.error("DefaultTrait", &t.location, &member_id(), format!(
                "Member defines a default value that differs from the default value of the target shape, {target}. The member has a default of `{}`, but the target has a default of `{target_default}`.",
                t.value
            ));
        }
        Some(_) => {}
    }
}

/// Node equality with numbers compared by value (`0` equals `0.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// What Java's basic base64 decoder accepts: the standard alphabet, optional `=` padding.
pub(super) fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    let padding = s.len() - body.len();
    body.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && padding <= 2
        && body.len() % 4 != 1
        && (padding == 0 || (body.len() + padding).is_multiple_of(4))
}
