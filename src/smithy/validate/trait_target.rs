//! `TraitTarget`: a trait is applied only where its selector (or the prelude's placement
//! rule) allows, and mixin traits are not applied at all.

use super::shared::{owners, trait_display};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use crate::smithy::{prelude, selector};
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) fn check(ev: &mut Events) {
    for shape in ev.model.shapes.values() {
        check_shape(ev, shape);
    }
}

/// Whether a type is in a space-separated list of type names (with `simple`, `number` and
/// `plainstring` as classes).
fn type_in(list: &str, t: ShapeType) -> bool {
    list.split(' ').any(|w| match w {
        "*" => true,
        "simple" => t.is_simple(),
        "number" => t.is_number(),
        "list" => matches!(t, ShapeType::List | ShapeType::Set),
        "string" => matches!(t, ShapeType::String | ShapeType::Enum),
        "plainstring" => t == ShapeType::String,
        "integer" => matches!(t, ShapeType::Integer | ShapeType::IntEnum),
        other => t.as_str() == other,
    })
}

/// Whether a shape reaches a float, double or document through its members.
fn reaches_inexact(model: &Model, id: &str, seen: &mut BTreeSet<String>) -> bool {
    if !seen.insert(id.to_string()) {
        return false;
    }
    match model.shape_type(id) {
        Some(ShapeType::Float | ShapeType::Double | ShapeType::Document) => true,
        _ => model.shapes.get(id).is_some_and(|s| {
            model
                .members_of(s)
                .iter()
                .any(|m| reaches_inexact(model, &m.target, seen))
        }),
    }
}

/// Whether a prelude trait's placement rule (see [`prelude::PreludeTrait::applies_to`]) admits
/// the shape or member.
fn placement_ok(
    model: &Model,
    io_structures: &BTreeSet<String>,
    rule: &str,
    container: &Shape,
    member: Option<&Member>,
) -> bool {
    let target_type = |m: &Member| model.shape_type(&m.target);
    let has = |t: &str| model.has_trait(container, t);
    let collection = |t: ShapeType| {
        t.is_simple() || matches!(t, ShapeType::List | ShapeType::Set | ShapeType::Map)
    };
    match rule {
        "*" | "-" => return true,
        "default" => {
            return match member {
                None => collection(container.shape_type),
                Some(m) => {
                    container.shape_type == ShapeType::Structure
                        && target_type(m).is_none_or(collection)
                }
            }
        }
        "io-member-structure" => {
            return member.is_some_and(|m| {
                io_structures.contains(&container.id)
                    && model.shape_type(&m.target) == Some(ShapeType::Structure)
            });
        }
        "io-member-or-trait" => {
            return match member {
                Some(_) => io_structures.contains(&container.id),
                None => has("smithy.api#trait"),
            };
        }
        "unique-items" => {
            return member.is_none()
                && matches!(container.shape_type, ShapeType::List | ShapeType::Set)
                && !container
                    .member("member")
                    .is_some_and(|m| reaches_inexact(model, &m.target, &mut BTreeSet::new()));
        }
        _ => {}
    }
    let Some((head, list)) = rule.split_once(':') else {
        return true;
    };
    let mut parts = head.split('+');
    let kind = parts.next().unwrap_or("");
    let condition_ok = parts.all(|c| match c {
        "required" => member.is_some_and(|m| m.traits.contains_key("smithy.api#required")),
        "default" => member.is_some_and(|m| m.traits.contains_key("smithy.api#default")),
        "not-input" => !has("smithy.api#input"),
        "error" => has("smithy.api#error"),
        "not-io" => !has("smithy.api#input") && !has("smithy.api#output"),
        "put" => container
            .relations
            .lifecycle
            .iter()
            .any(|(k, _)| k == "put"),
        "not-sparse" => member
            .and_then(|m| model.shapes.get(&m.target))
            .is_none_or(|map| !map.traits.contains_key("smithy.api#sparse")),
        "aggregate" => matches!(
            container.shape_type,
            ShapeType::Structure | ShapeType::Union
        ),
        _ => true,
    });
    if !condition_ok {
        return false;
    }
    match (kind, member) {
        ("shapes", None) => type_in(list, container.shape_type),
        ("shapes", Some(_)) | ("member", None) | ("member-value", None) => false,
        ("member", Some(_)) => match list {
            "structure" => container.shape_type == ShapeType::Structure,
            "aggregate" => matches!(
                container.shape_type,
                ShapeType::Structure | ShapeType::Union
            ),
            "enum" => matches!(container.shape_type, ShapeType::Enum | ShapeType::IntEnum),
            _ => true,
        },
        ("value", None) => type_in(list, container.shape_type),
        ("value", Some(m)) => target_type(m).is_none_or(|t| type_in(list, t)),
        ("member-value", Some(m)) => {
            let container_ok = container.shape_type == ShapeType::Structure
                || (head.contains("aggregate") && container.shape_type == ShapeType::Union);
            container_ok && target_type(m).is_none_or(|t| type_in(list, t))
        }
        _ => true,
    }
}

fn check_shape(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    for (owner, member, traits) in owners(shape) {
        for (id, tv) in traits {
            let name = trait_display(id);
            if let Some(def) = model.shapes.get(id) {
                if def.traits.contains_key("smithy.api#mixin") {
                    ev.error(
                        "TraitTarget",
                        &tv.location,
                        &owner,
                        format!("Trait `{id}` is a mixin and cannot be applied to `{owner}`."),
                    );
                }
                let selector = model
                    .trait_value(def, "smithy.api#trait")
                    .and_then(|t| t.get("selector"))
                    .and_then(Value::as_str);
                if let Some(selector) = selector.filter(|s| !s.trim().is_empty()) {
                    if selector::matches(model, selector, shape, member) == Some(false) {
                        ev.error("TraitTarget", &tv.location, &owner, format!(
                            "Trait `{id}` cannot be applied to `{owner}`. This trait may only be applied to shapes that match the following selector: {selector}"
                        ));
                    }
                }
                continue;
            }
            let Some(short) = id.strip_prefix("smithy.api#") else {
                continue;
            };
            let Some(def) = prelude::trait_def(short) else {
                continue;
            };
            if !placement_ok(model, &ev.io_structures, def.applies_to, shape, member) {
                let selector = prelude::selector(short).unwrap_or("*");
                ev.error("TraitTarget", &tv.location, &owner, format!(
                    "Trait `{name}` cannot be applied to `{owner}`. This trait may only be applied to shapes that match the following selector: {selector}"
                ));
            }
        }
    }
}
