//! `ResourceOperationInputOutput`: the members of the input and output of a resource's lifecycle
//! and instance operations are its properties or identifiers, with the property's target; every
//! property is used by one of them.

use super::super::ast::ShapeType;
use super::super::model::{Member, Model, Shape};
use super::Events;
use std::collections::{BTreeMap, BTreeSet};

/// Prelude traits marked `@notProperty`: members carrying them are not resource properties.
const PRELUDE_NOT_PROPERTY: [&str; 4] = [
    "smithy.api#idempotencyToken",
    "smithy.api#resourceIdentifier",
    "smithy.api#notProperty",
    "smithy.api#nestedProperties",
];

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut not_property: BTreeSet<&str> = PRELUDE_NOT_PROPERTY.into_iter().collect();
    for shape in model.shapes.values() {
        if shape.traits.contains_key("smithy.api#trait")
            && shape.traits.contains_key("smithy.api#notProperty")
        {
            not_property.insert(&shape.id);
        }
    }
    for resource in model.shapes.values() {
        if resource.shape_type == ShapeType::Resource && !resource.relations.properties.is_empty() {
            check_resource(ev, resource, &not_property);
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Input,
    Output,
}

fn check_resource(ev: &mut Events, resource: &Shape, not_property: &BTreeSet<&str>) {
    let model = ev.model;
    let r = &resource.relations;
    let mut operations: Vec<(String, &str)> = Vec::new();
    for name in ["put", "create", "read", "update", "delete"] {
        if let Some((_, x)) = r.lifecycle.iter().find(|(n, _)| n == name) {
            operations.push((name.to_string(), &x.target));
        }
    }
    for x in &r.operations {
        let name = x.target.rsplit('#').next().unwrap_or(&x.target);
        operations.push((name.to_string(), &x.target));
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (role, op_id) in operations {
        let Some(op) = model
            .shapes
            .get(op_id)
            .filter(|s| s.shape_type == ShapeType::Operation)
        else {
            continue;
        };
        // The reference compares against the identifiers the operation's output binds, for the
        // input as well.
        let output_bindings =
            identifier_bindings(model, resource, io_shape(model, op, Direction::Output));
        for direction in [Direction::Input, Direction::Output] {
            let Some(shape) = properties_shape(model, op, direction) else {
                continue;
            };
            let bindings = identifier_bindings(model, resource, io_shape(model, op, direction));
            let mut by_property: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for m in model.members_of(shape) {
                let Some(property) = property_name(resource, m, &bindings, not_property) else {
                    continue;
                };
                used.insert(property.clone());
                by_property
                    .entry(property.clone())
                    .or_default()
                    .push(&m.name);
                let member_id = shape.member_id(&m.name);
                match r.properties.iter().find(|(n, _)| *n == property) {
                    Some((_, expected)) if expected.target != m.target => {
                        ev.error("ResourceOperationInputOutput", &m.location, &member_id, format!(
                            "This member must target `{}`. This member is used as part of the `{role}` operation of the `{}` resource and conflicts with its `{property}` resource property.",
                            expected.target, resource.id
                        ));
                    }
                    Some(_) => {}
                    None if !output_bindings.values().any(|b| *b == m.name) => {
                        ev.error("ResourceOperationInputOutput", &m.location, &member_id, format!(
                            "Member `{}` does not target a property or identifier for resource `{}`. If it is an identifier, apply the `smithy.api#resourceIdentifier` trait. If it is a property, apply the `smithy.api#property` trait. If it is neither, apply the `smithy.api#notProperty` trait.",
                            m.name, resource.id
                        ));
                    }
                    None => {}
                }
            }
            for (property, mut members) in by_property {
                if members.len() > 1 {
                    members.sort_unstable();
                    ev.error("ResourceOperationInputOutput", &shape.location, &shape.id, format!(
                        "This shape contains members with conflicting resource property names that resolve to '{property}': {}",
                        members.join(", ")
                    ));
                }
            }
        }
    }
    for (property, _) in &r.properties {
        if !used.contains(property) {
            ev.error("ResourceOperationInputOutput", &resource.location, &resource.id, format!(
                "Resource property `{property}` is not used in the input or output of create or an instance operation."
            ));
        }
    }
}

fn io_shape<'a>(model: &'a Model, op: &Shape, direction: Direction) -> Option<&'a Shape> {
    let reference = match direction {
        Direction::Input => op.relations.input.as_ref(),
        Direction::Output => op.relations.output.as_ref(),
    }?;
    model
        .shapes
        .get(&reference.target)
        .filter(|s| s.shape_type == ShapeType::Structure)
}

/// The structure holding the properties: the target of a `@nestedProperties` member, else the
/// input or output itself.
fn properties_shape<'a>(model: &'a Model, op: &Shape, direction: Direction) -> Option<&'a Shape> {
    let io = io_shape(model, op, direction)?;
    let nested = model.members_of(io).into_iter().find_map(|m| {
        if !m.traits.contains_key("smithy.api#nestedProperties") {
            return None;
        }
        model
            .shapes
            .get(&m.target)
            .filter(|s| s.shape_type == ShapeType::Structure)
    });
    Some(nested.unwrap_or(io))
}

/// Identifier name → member binding it: `@resourceIdentifier` members, else required members
/// named and typed like an identifier.
fn identifier_bindings(
    model: &Model,
    resource: &Shape,
    shape: Option<&Shape>,
) -> BTreeMap<String, String> {
    let mut bindings = BTreeMap::new();
    let Some(shape) = shape else {
        return bindings;
    };
    let mut implicit = Vec::new();
    for m in model.members_of(shape) {
        if let Some(name) = m
            .traits
            .get("smithy.api#resourceIdentifier")
            .and_then(|t| t.value.as_str())
        {
            bindings.insert(name.to_string(), m.name.clone());
        } else if m.traits.contains_key("smithy.api#required")
            && resource
                .relations
                .identifiers
                .iter()
                .any(|(n, x)| *n == m.name && x.target == m.target)
        {
            implicit.push(m.name.clone());
        }
    }
    for name in implicit {
        bindings.entry(name.clone()).or_insert(name);
    }
    bindings
}

/// The resource property a member stands for, if it stands for one.
fn property_name(
    resource: &Shape,
    m: &Member,
    bindings: &BTreeMap<String, String>,
    not_property: &BTreeSet<&str>,
) -> Option<String> {
    let is_binding = bindings.values().any(|b| *b == m.name);
    let exempt = is_binding || m.traits.keys().any(|t| not_property.contains(t.as_str()));
    let named_like_property = resource
        .relations
        .properties
        .iter()
        .any(|(n, _)| *n == m.name);
    if exempt && !named_like_property {
        return None;
    }
    let explicit = m
        .traits
        .get("smithy.api#property")
        .and_then(|t| t.value.get("name"))
        .and_then(|v| v.as_str());
    Some(explicit.unwrap_or(&m.name).to_string())
}
