//! `PaginatedTrait`: the `@paginated` members exist in the operation's input and output, with
//! the right types, merged with the defaults of each service that binds the operation.

use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use serde_json::Value;
use std::collections::BTreeMap;

pub(super) fn check(ev: &mut Events) {
    for shape in ev.model.shapes.values() {
        check_shape(ev, shape);
    }
}

fn check_shape(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    if shape.shape_type != ShapeType::Operation {
        return;
    }
    let Some(own) = model.trait_value(shape, "smithy.api#paginated") else {
        return;
    };
    // Service-level defaults fill in what the operation leaves out.
    let strings = |v: Option<&Value>| -> BTreeMap<String, String> {
        v.and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let own = strings(Some(own));
    let mut settings = own.clone();
    let at_trait = model
        .shapes
        .get(&shape.id)
        .and_then(|s| s.traits.get("smithy.api#paginated"))
        .map_or(shape.location.clone(), |t| t.location.clone());
    let services = ev
        .services_by_operation
        .get(shape.id.as_str())
        .cloned()
        .unwrap_or_default();
    for service in services {
        let mut merged = strings(model.trait_value(service, "smithy.api#paginated"));
        merged.extend(own.clone());
        for key in ["inputToken", "outputToken"] {
            if !merged.contains_key(key) {
                ev.error(
                    "PaginatedTrait",
                    &at_trait,
                    &shape.id,
                    format!(
                    "When bound within the `{}` service, paginated trait `{key}` is not configured",
                    service.id
                ),
                );
            }
        }
        settings = merged;
    }
    let io = |r: &Option<Reference>| r.as_ref().and_then(|x| model.shapes.get(&x.target));
    let input = io(&shape.relations.input);
    let output = io(&shape.relations.output);
    let at = model
        .shapes
        .get(&shape.id)
        .and_then(|s| s.traits.get("smithy.api#paginated"))
        .map_or(shape.location.clone(), |t| t.location.clone());
    for (key, on_input, kinds) in [
        ("inputToken", true, &["map", "string"][..]),
        ("outputToken", false, &["map", "string"][..]),
        ("items", false, &["list", "map"][..]),
        ("pageSize", true, &["byte", "integer", "long", "short"][..]),
    ] {
        let Some(path) = settings.get(key) else {
            continue;
        };
        if matches!(key, "pageSize" | "inputToken") && path.contains('.') {
            ev.error(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!("paginated trait `{key}` does not allow path values"),
            );
            continue;
        }
        let parts: Vec<&str> = path.split('.').collect();
        if parts.len() > 2 {
            ev.emit(
                &format!("PaginatedTrait.DeeplyNested.{key}"),
                Severity::Warning,
                &at,
                &shape.id,
                format!("paginated trait `{key}` contains a path with more than two parts, which can make your API cumbersome to use"),
            );
        }
        let mut container = if on_input { input } else { output };
        let mut found: Option<&Member> = None;
        for part in &parts {
            let Some(c) = container else {
                found = None;
                break;
            };
            found = model.members_of(c).into_iter().find(|m| m.name == *part);
            container = found.and_then(|m| model.shapes.get(&m.target));
        }
        let Some(member) = found else {
            ev.error(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` targets a member `{}` that does not exist",
                    parts.last().unwrap_or(&"")
                ),
            );
            continue;
        };
        let target_type = model.shape_type(&member.target);
        // An unresolved target is the Target validator's business.
        let type_ok = target_type.is_none_or(|t| {
            kinds.iter().any(|k| match *k {
                "string" => matches!(t, ShapeType::String | ShapeType::Enum),
                "list" => matches!(t, ShapeType::List | ShapeType::Set),
                "integer" => matches!(t, ShapeType::Integer | ShapeType::IntEnum),
                other => t.as_str() == other,
            })
        });
        if !type_ok {
            let listed: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
            ev.error("PaginatedTrait", &at, &shape.id, format!(
                "paginated trait `{key}` member `{}` targets a {} shape, but must target one of the following: [{}]",
                member.name,
                target_type.map_or("unknown", ShapeType::as_str),
                listed.join(", ")
            ));
        }
        // Types that are allowed but discouraged.
        let discouraged = match (key, target_type) {
            ("inputToken" | "outputToken", Some(ShapeType::Map)) => Some(("string", true)),
            ("pageSize", Some(ShapeType::Byte | ShapeType::Short | ShapeType::Long)) => {
                Some(("integer", false))
            }
            _ => None,
        };
        if let (Some((better, sub_id)), Some(t)) = (discouraged, target_type) {
            let id = if sub_id {
                format!("PaginatedTrait.WrongShapeType.{key}")
            } else {
                "PaginatedTrait".to_string()
            };
            ev.danger(&id, &at, &shape.id, format!(
                "paginated trait `{key}` member `{}` targets a {} shape, but this is not recommended. One of [`{better}`] SHOULD be targeted.",
                member.name,
                t.as_str()
            ));
        }
        let required = member.traits.contains_key("smithy.api#required");
        if required && key == "outputToken" {
            ev.danger(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` member `{}` should not be required",
                    member.name
                ),
            );
        }
        if required && key == "inputToken" {
            ev.error(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` member `{}` must not be required",
                    member.name
                ),
            );
        }
        if required && key == "pageSize" {
            ev.emit(
                "PaginatedTrait.ShouldNotBeRequired.pageSize",
                Severity::Warning,
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` member `{}` should not be required",
                    member.name
                ),
            );
        }
    }
}
