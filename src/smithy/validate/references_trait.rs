//! `ReferencesTrait`: each `@references` entry names a resource; on a string shape it has no
//! `ids` and the resource has exactly one identifier; on a structure its `ids` (or, implicitly,
//! the resource's identifier names) are members of the structure that target strings, and
//! explicit `ids` bind exactly the resource's identifiers.

use super::shared::{ticked, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// `Reference{…}`: the entry as the reference prints it (compact JSON, `ids` sorted).
fn display(entry: &Map<String, Value>) -> String {
    let mut shown = Map::new();
    for key in ["resource", "ids", "service", "rel"] {
        let Some(v) = entry.get(key) else { continue };
        let v = match v.as_object() {
            Some(ids) if key == "ids" => {
                if ids.is_empty() {
                    continue;
                }
                let sorted: BTreeMap<&String, &Value> = ids.iter().collect();
                serde_json::to_value(sorted).unwrap_or(Value::Null)
            }
            _ => v.clone(),
        };
        shown.insert(key.to_string(), v);
    }
    format!("Reference{}", Value::Object(shown))
}

fn is_string(t: Option<ShapeType>) -> bool {
    matches!(t, Some(ShapeType::String | ShapeType::Enum))
}

/// The resource an entry names, when it names one; a shape of another kind is an error.
fn resource_of<'e>(
    ev: &mut Events,
    subject: &str,
    at: &Location,
    entry: &'e Map<String, Value>,
    shown: &str,
) -> Option<&'e str> {
    let resource_id = entry.get("resource")?.as_str()?;
    let kind = ev.model.shape_type(resource_id)?;
    if kind != ShapeType::Resource {
        ev.error(
            "ReferencesTrait",
            at,
            subject,
            format!(
                "`references` trait reference targets a {} shape not a resource: {shown}",
                kind.as_str()
            ),
        );
        return None;
    }
    Some(resource_id)
}

fn check_entry(
    ev: &mut Events,
    shape: &Shape,
    at: &Location,
    entry: &Map<String, Value>,
) -> Option<()> {
    let model = ev.model;
    let shown = display(entry);
    let ids: BTreeMap<&str, &str> = entry
        .get("ids")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let is_string_shape = is_string(Some(shape.shape_type));
    if is_string_shape && !ids.is_empty() {
        ev.error(
            "ReferencesTrait",
            at,
            &shape.id,
            format!("References applied to string shapes cannot contain 'ids': {shown}"),
        );
    }
    let resource_id = resource_of(ev, &shape.id, at, entry, &shown)?;
    let resource = model.shapes.get(resource_id)?;
    let identifiers: Vec<&str> = resource
        .relations
        .identifiers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    if is_string_shape {
        if identifiers.len() != 1 {
            ev.error("ReferencesTrait", at, &shape.id, format!(
                "This string shape contains an invalid reference to {resource_id}: {shown}. References on a string shape can only refer to resource shapes with exactly one entry in its identifiers property, but this shape has the following identifiers: [{}]",
                ticked(&identifiers)
            ));
        }
        return None;
    }
    if shape.shape_type != ShapeType::Structure {
        return None;
    }
    let implicit = ids.is_empty();
    let resolved: BTreeMap<&str, &str> = if implicit {
        identifiers.iter().map(|i| (*i, *i)).collect()
    } else {
        ids.clone()
    };
    if !implicit {
        if resolved.len() != identifiers.len() {
            let prefix = if identifiers.len() < ids.len() {
                "Too many identifiers"
            } else {
                "Not enough identifiers"
            };
            ev.error("ReferencesTrait", at, &shape.id, format!(
                "{prefix} were provided in the `ids` properties of {shown}. Expected {} identifiers(s), but found {}. This resource requires bindings for the following identifiers: [{}].",
                identifiers.len(),
                ids.len(),
                ticked(&identifiers)
            ));
        }
        let extra: Vec<&str> = resolved
            .keys()
            .filter(|k| !identifiers.contains(k))
            .copied()
            .collect();
        if !extra.is_empty() {
            ev.error("ReferencesTrait", at, &shape.id, format!(
                "`references` trait {shown} contains extraneous resource identifier bindings, [{}], that are not actually identifier names of the resource, `{resource_id}`. This resource has the following identifier names: [{}]",
                ticked(&extra),
                ticked(&identifiers)
            ));
        }
    }
    let members = model.members_of(shape);
    let mut reasons: Vec<String> = Vec::new();
    for name in resolved.values() {
        match members.iter().find(|m| m.name == *name) {
            None if implicit => reasons.push(format!("implicit binding of `{name}` is not part of the structure (set \"rel\" to \"collection\" to create a collection binding)")),
            None => reasons.push(format!("`{name}` refers to a member that is not part of the structure")),
            Some(m) if !is_string(model.shape_type(&m.target)) => reasons.push(format!("`{name}` refers to a member that does not target a string shape")),
            Some(_) => {}
        }
    }
    if !reasons.is_empty() {
        reasons.sort();
        reasons.dedup();
        ev.error(
            "ReferencesTrait",
            at,
            &shape.id,
            format!(
                "`references` trait {shown} is invalid for the following reasons: {}",
                reasons.join("; ")
            ),
        );
    }
    Some(())
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let members = ev.members;
    for shape in model.shapes.values() {
        let entries = model
            .trait_value(shape, "smithy.api#references")
            .and_then(Value::as_array);
        if let Some(entries) = entries {
            let at = trait_at(&shape.traits, "smithy.api#references", &shape.location);
            for entry in entries.iter().filter_map(Value::as_object) {
                check_entry(ev, shape, &at, entry);
            }
        }
        // On a member the trait is misplaced (a TraitTarget error), yet the reference still
        // checks that each entry names a resource.
        for m in members.each_member(shape) {
            let Some(t) = m.traits.get("smithy.api#references") else {
                continue;
            };
            let entries = t.value.as_array().into_iter().flatten();
            for entry in entries.filter_map(Value::as_object) {
                let member_id = shape.member_id(&m.name);
                resource_of(ev, &member_id, &t.location, entry, &display(entry));
            }
        }
    }
}
