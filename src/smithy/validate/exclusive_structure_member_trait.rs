//! `ExclusiveStructureMemberTrait`: a trait defined as `structurallyExclusive` is applied to at
//! most one member of a structure (`member`), or targeted by at most one member (`target`).

use super::shared::{ticked, trait_display};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::Shape;
use rustc_hash::FxHashSet;
use serde_json::Value;

/// The prelude traits that are structurally exclusive, and how.
const PRELUDE_EXCLUSIVE: &[(&str, &str)] = &[
    ("smithy.api#idempotencyToken", "member"),
    ("smithy.api#streaming", "target"),
    ("smithy.api#nestedProperties", "member"),
    ("smithy.api#httpQueryParams", "member"),
    ("smithy.api#httpPrefixHeaders", "member"),
    ("smithy.api#httpPayload", "member"),
    ("smithy.api#httpResponseCode", "member"),
    ("smithy.api#eventPayload", "member"),
];

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut exclusive: Vec<(String, String)> = PRELUDE_EXCLUSIVE
        .iter()
        .map(|(t, how)| (t.to_string(), how.to_string()))
        .collect();
    for def in ev.carriers("smithy.api#trait") {
        if let Some(how) = def
            .traits
            .get("smithy.api#trait")
            .and_then(|t| t.value.get("structurallyExclusive"))
            .and_then(Value::as_str)
        {
            exclusive.push((def.id.clone(), how.to_string()));
        }
    }
    // Only a structure with a member that carries one of the traits, or that targets a shape
    // with one, can have two: the others are not visited (most structures of a large model).
    let mut candidates: FxHashSet<*const Shape> = FxHashSet::default();
    let mut marked_targets: FxHashSet<&str> = FxHashSet::default();
    for (trait_id, how) in &exclusive {
        for shape in ev.carriers(trait_id) {
            if how != "target" {
                candidates.insert(shape);
            } else if model.has_trait(shape, trait_id) {
                marked_targets.insert(&shape.id);
            }
        }
    }
    if !marked_targets.is_empty() {
        for structure in ev.shapes_of(ShapeType::Structure) {
            let mut targets = ev.members.each_member(structure).map(|m| m.target.as_str());
            if targets.any(|t| marked_targets.contains(t)) {
                candidates.insert(structure);
            }
        }
    }
    let structures = ev.shapes_of(ShapeType::Structure);
    for structure in structures.filter(|s| candidates.contains(&(*s as *const Shape))) {
        let members = model.members_of(structure);
        for (trait_id, how) in &exclusive {
            let by_target = how == "target";
            let found: Vec<&str> = members
                .iter()
                .filter(|m| {
                    if by_target {
                        model
                            .shapes
                            .get(&m.target)
                            .is_some_and(|t| model.has_trait(t, trait_id))
                    } else {
                        m.traits.contains_key(trait_id)
                    }
                })
                .map(|m| m.name.as_str())
                .collect();
            if found.len() < 2 {
                continue;
            }
            let name = trait_display(trait_id);
            let message = if by_target {
                format!("Only a single member of a structure can target a shape marked with the `{name}` trait, but it was found on the following members: {}", ticked(&found))
            } else {
                format!("The `{name}` trait can be applied to only a single member of a shape, but it was found on the following members: {}", ticked(&found))
            };
            ev.error(
                "ExclusiveStructureMemberTrait",
                &structure.location,
                &structure.id,
                message,
            );
        }
    }
}
