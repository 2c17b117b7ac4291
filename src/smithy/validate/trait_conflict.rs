//! `TraitConflict`: a shape or member carries two traits that declare each other conflicting.

use super::shared::trait_display;
use super::Events;
use crate::smithy::model::*;
use crate::smithy::prelude;
use rustc_hash::FxHashSet;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // Only a shape or member with a trait that names conflicting traits can have a conflict:
    // the shapes with one of those traits, on themselves or a member, are the ones visited.
    let prelude_ids = prelude::TRAITS
        .iter()
        .filter(|t| !t.conflicts.is_empty())
        .map(|t| format!("smithy.api#{}", t.name));
    let declared_ids = ev
        .carriers("smithy.api#trait")
        .filter(|def| !def.id.starts_with("smithy.api#"))
        .filter(|def| {
            def.traits
                .get("smithy.api#trait")
                .and_then(|t| t.value.get("conflicts"))
                .and_then(Value::as_array)
                .is_some_and(|conflicts| !conflicts.is_empty())
        })
        .map(|def| def.id.clone());
    let mut candidates: FxHashSet<*const Shape> = FxHashSet::default();
    for trait_id in prelude_ids.chain(declared_ids) {
        candidates.extend(ev.carriers(&trait_id).map(|s| s as *const Shape));
    }
    for shape in model.shapes.values() {
        if candidates.contains(&(shape as *const Shape)) {
            check_shape(ev, shape);
        }
    }
}

fn check_shape(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    // The shape, then its members by name (their IDs are written only for an event: nearly
    // every shape and member has none).
    // Members inherited from mixins included: the reference validates the member a shape gets
    // from a mixin as its own.
    let members = ev.members;
    let owners = std::iter::once((None, shape.shape_type.as_str(), &shape.traits)).chain(
        members
            .each_member(shape)
            .map(|m| (Some(m.name.as_str()), "member", &m.traits)),
    );
    for (member, kind, traits) in owners {
        // A shape's traits include those its mixins pass on (the reference copies them into
        // the shape), so `@input` here conflicts with an `@output` of a mixin.
        let inherited = match member {
            None => model.inherited_trait_ids(shape),
            Some(_) => Vec::new(),
        };
        let has = |id: &str| traits.contains_key(id) || inherited.iter().any(|i| i == id);
        let mut ids: Vec<&String> = traits.keys().chain(inherited.iter()).collect();
        ids.sort();
        ids.dedup();
        let mut pairs: Vec<String> = Vec::new();
        for id in ids {
            let conflicts: Vec<String> = match id.strip_prefix("smithy.api#") {
                Some(short) => prelude::trait_def(short)
                    .map(|d| {
                        d.conflicts
                            .iter()
                            .map(|c| format!("smithy.api#{c}"))
                            .collect()
                    })
                    .unwrap_or_default(),
                None => model
                    .shapes
                    .get(id)
                    .and_then(|s| s.traits.get("smithy.api#trait"))
                    .and_then(|t| t.value.get("conflicts"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            let mut present: Vec<&String> =
                conflicts.iter().filter(|c| *c != id && has(c)).collect();
            present.sort();
            for c in present {
                pairs.push(format!(
                    "`{}` conflicts with `{}`",
                    trait_display(id),
                    trait_display(c)
                ));
            }
        }
        if !pairs.is_empty() {
            // At the first trait of its own; a shape whose conflicting traits are all
            // inherited is reported at its definition.
            let at = traits
                .values()
                .next()
                .map(|t| t.location.clone())
                .unwrap_or_else(|| match member {
                    None => shape.location.clone(),
                    Some(_) => Default::default(),
                });
            let owner = match member {
                Some(name) => shape.member_id(name),
                None => shape.id.clone(),
            };
            ev.error(
                "TraitConflict",
                &at,
                &owner,
                format!(
                    "Found conflicting traits on {kind} shape: {}",
                    pairs.join(", ")
                ),
            );
        }
    }
}
