//! `ResourceIdentifierBinding`: the operations of a resource bind its identifiers (all of them
//! for instance operations, not all for collection operations, the parent's for children).

use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(ev: &mut Events) {
    for shape in ev.model.shapes.values() {
        check_shape(ev, shape);
    }
}

/// The identifiers an operation's input binds (name → members binding it): members marked
/// `@resourceIdentifier("name")`, else required members named like an identifier.
fn bound_identifiers<'m>(
    model: &'m Model,
    op: &Shape,
    identifiers: &[(String, Reference)],
) -> BTreeMap<String, Vec<&'m Member>> {
    let mut explicit: BTreeMap<String, Vec<&Member>> = BTreeMap::new();
    let mut implicit: BTreeMap<String, Vec<&Member>> = BTreeMap::new();
    let Some(input) = op
        .relations
        .input
        .as_ref()
        .and_then(|r| model.shapes.get(&r.target))
    else {
        return explicit;
    };
    for m in model.members_of(input) {
        if let Some(name) = m
            .traits
            .get("smithy.api#resourceIdentifier")
            .and_then(|t| t.value.as_str())
        {
            explicit.entry(name.to_string()).or_default().push(m);
        } else if identifiers
            .iter()
            .any(|(n, t)| *n == m.name && t.target == m.target)
            && m.traits.contains_key("smithy.api#required")
        {
            implicit.entry(m.name.clone()).or_default().push(m);
        }
    }
    for (name, members) in implicit {
        explicit.entry(name).or_insert(members);
    }
    explicit
}

/// Each operation of a resource once (the first place it is bound), and whether it is an
/// instance operation: as in the reference, one that is `create`, `list` or among the
/// collection operations is a collection operation wherever else it is bound too.
fn resource_operations(r: &Relations) -> Vec<(&Reference, bool)> {
    let collection: BTreeSet<&str> = r
        .lifecycle
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "create" | "list"))
        .map(|(_, x)| x.target.as_str())
        .chain(r.collection_operations.iter().map(|x| x.target.as_str()))
        .collect();
    let instance_lifecycle = r
        .lifecycle
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "read" | "update" | "delete" | "put"))
        .map(|(_, x)| x);
    let collection_lifecycle = r
        .lifecycle
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "create" | "list"))
        .map(|(_, x)| x);
    let mut seen = BTreeSet::new();
    instance_lifecycle
        .chain(&r.operations)
        .chain(collection_lifecycle)
        .chain(&r.collection_operations)
        .filter(|x| seen.insert(x.target.as_str()))
        .map(|x| (x, !collection.contains(x.target.as_str())))
        .collect()
}

fn check_shape(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    if shape.shape_type != ShapeType::Resource {
        return;
    }
    let r = &shape.relations;
    let ids: BTreeSet<String> = r.identifiers.iter().map(|(n, _)| n.clone()).collect();
    let mut inputs_checked = BTreeSet::new();
    for (op_ref, instance) in resource_operations(r) {
        let Some(op) = model.shapes.get(&op_ref.target) else {
            continue;
        };
        let bound = bound_identifiers(model, op, &r.identifiers);
        let input = op
            .relations
            .input
            .as_ref()
            .and_then(|x| model.shapes.get(&x.target));
        if let Some(input) = input {
            if inputs_checked.insert(input.id.clone()) {
                binding_conflicts(ev, input);
            }
        }
        // As the reference: every identifier is bound, by the member that binds it last, and
        // that member targets the identifier's shape (an explicit binding may not). A resource
        // without identifiers has them all bound: its collection operations are rejected.
        let all_bound = r.identifiers.iter().all(|(name, target)| {
            bound
                .get(name)
                .and_then(|members| members.last())
                .is_some_and(|m| m.target == target.target)
        });
        if instance && !all_bound {
            // Both lists as the reference writes them: sorted, a binding naming the member
            // that binds the identifier where "targets" would suggest a shape.
            let binding = |name: &str, to: &str| {
                format!("required member named `{name}` that targets `{to}`")
            };
            let mut expected: Vec<String> = r
                .identifiers
                .iter()
                .map(|(n, t)| binding(n, &t.target))
                .collect();
            expected.sort();
            let mut found: Vec<String> = bound
                .iter()
                .filter_map(|(n, members)| Some(binding(n, &members.last()?.name)))
                .collect();
            found.sort();
            ev.error("ResourceIdentifierBinding", &op_ref.location, &op.id, format!(
                "This operation does not form a valid instance operation when bound to resource `{}`. All of the identifiers of the resource were not implicitly or explicitly bound to the input of the operation. Expected the following identifier bindings: [{}]. Found the following identifier bindings: [{}]",
                shape.id,
                expected.join(", "),
                found.join(", ")
            ));
        }
        if !instance && all_bound {
            ev.error("ResourceIdentifierBinding", &op_ref.location, &op.id, format!(
                "This operation is bound as a collection operation on the `{}` resource, but it improperly binds all of the identifiers of the resource to members of the operation input.",
                shape.id
            ));
        }
    }
    // Operations of child resources must also bind the identifiers of this resource.
    for child_ref in &r.resources {
        let Some(child) = model.shapes.get(&child_ref.target) else {
            continue;
        };
        for (op_ref, _) in resource_operations(&child.relations) {
            let Some(op) = model.shapes.get(&op_ref.target) else {
                continue;
            };
            let bound = bound_identifiers(model, op, &r.identifiers);
            let missing: Vec<String> = ids
                .iter()
                .filter(|i| !bound.contains_key(*i))
                .map(|i| format!("`{i}`"))
                .collect();
            if !missing.is_empty() {
                ev.error("ResourceIdentifierBinding", &op_ref.location, &op.id, format!(
                    "This operation is bound to the `{}` resource, which is a child of the `{}` resource, and it is missing the following resource identifier bindings of `{}`: [{}]",
                    child.id,
                    shape.id,
                    shape.id,
                    missing.join(", ")
                ));
            }
        }
    }
}

/// Two members bound to one identifier, or an implicit binding hidden by an explicit one.
fn binding_conflicts(ev: &mut Events, input: &Shape) {
    let model = ev.model;
    let members = model.members_of(input);
    let mut explicit: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &members {
        if let Some(name) = m
            .traits
            .get("smithy.api#resourceIdentifier")
            .and_then(|t| t.value.as_str())
        {
            explicit
                .entry(name.to_string())
                .or_default()
                .push(m.name.clone());
        }
    }
    for (id, bound_by) in &explicit {
        let listed: Vec<String> = bound_by.iter().map(|m| format!("'{m}'")).collect();
        if bound_by.len() > 1 {
            ev.error("ResourceIdentifierBinding", &input.location, &input.id, format!(
                "Conflicting resource identifier member bindings found for identifier '{id}' between members: {}",
                listed.join(", ")
            ));
        }
        if members.iter().any(|m| m.name == *id) && !bound_by.contains(id) {
            ev.emit("ResourceIdentifierBinding", Severity::Warning, &input.location, &input.id, format!(
                "Implicit resource identifier for '{id}' is overridden by `resourceIdentifier` trait on members: {}",
                listed.join(", ")
            ));
        }
    }
}
