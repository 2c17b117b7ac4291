//! `MemberShouldReferenceResource`: a member named like an identifier of a resource and
//! targeting the same string shape probably refers to that resource, and says so with
//! `@references` (on the member or its container). A warning, left out for the resources the
//! member is bound to already: those from which its container can be reached, and their
//! child resources.

use super::neighbors::ReverseRelations;
use super::shared::ticked;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::Traits;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde_json::Value;
use std::collections::BTreeSet;

/// The resources a `@references` trait names.
fn referenced<'v>(references: Option<&'v Value>, out: &mut HashSet<&'v str>) {
    let entries = references.and_then(Value::as_array).into_iter().flatten();
    out.extend(entries.filter_map(|e| e.get("resource")?.as_str()));
}

fn member_references(traits: &Traits) -> Option<&Value> {
    traits.get("smithy.api#references").map(|t| &t.value)
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // Identifier name → identifier target → the resources with that identifier.
    let mut by_identifier: HashMap<&str, HashMap<&str, BTreeSet<&str>>> = HashMap::default();
    for resource in ev.shapes_of(ShapeType::Resource) {
        for (name, target) in &resource.relations.identifiers {
            by_identifier
                .entry(name)
                .or_default()
                .entry(&target.target)
                .or_default()
                .insert(&resource.id);
        }
    }
    if by_identifier.is_empty() {
        return;
    }
    // Per container: the resources its members are bound to (it is reachable from them).
    let mut bound_by_container: HashMap<&str, HashSet<&str>> = HashMap::default();
    let mut found = Vec::new();
    for shape in model.shapes.values() {
        for m in ev.members.members(shape) {
            let Some(candidates) = by_identifier
                .get(m.name.as_str())
                .and_then(|by_target| by_target.get(m.target.as_str()))
            else {
                continue;
            };
            if !matches!(
                model.shape_type(&m.target),
                Some(ShapeType::String | ShapeType::Enum)
            ) {
                continue;
            }
            let referrers = ev.reverse_relations();
            let bound = bound_by_container
                .entry(&shape.id)
                .or_insert_with(|| bound_resources(model, referrers, &shape.id));
            let mut ignored: HashSet<&str> = bound.clone();
            referenced(member_references(&m.traits), &mut ignored);
            referenced(
                model.trait_value(shape, "smithy.api#references"),
                &mut ignored,
            );
            let missing: Vec<&str> = candidates
                .iter()
                .copied()
                .filter(|r| !ignored.contains(r))
                .collect();
            if !missing.is_empty() {
                found.push((
                    shape.member_id(&m.name),
                    m.location.clone(),
                    ticked(missing),
                ));
            }
        }
    }
    for (member_id, at, resources) in found {
        ev.emit(
            "MemberShouldReferenceResource",
            Severity::Warning,
            &at,
            &member_id,
            format!("This member appears to reference the following resources without being included in a `@references` trait: [{resources}]"),
        );
    }
}

/// The resources from which `start` can be reached over directed relationships, and their
/// child resources. Each shape is visited once, however many paths lead to it.
fn bound_resources<'m>(
    model: &'m crate::smithy::model::Model,
    referrers: &ReverseRelations<'m>,
    start: &'m str,
) -> HashSet<&'m str> {
    let mut bound = HashSet::default();
    let mut seen: HashSet<&str> = HashSet::from_iter([start]);
    let mut queue = vec![start];
    while let Some(id) = queue.pop() {
        for referrer in referrers.to(id).iter().map(|r| r.shape.id.as_str()) {
            if !seen.insert(referrer) {
                continue;
            }
            queue.push(referrer);
            if let Some(resource) = model
                .shapes
                .get(referrer)
                .filter(|s| s.shape_type == ShapeType::Resource)
            {
                bound.insert(referrer);
                bound.extend(
                    resource
                        .relations
                        .resources
                        .iter()
                        .map(|r| r.target.as_str()),
                );
            }
        }
    }
    bound
}
