//! `TraitTarget`: every applied trait (custom or prelude, applied or inherited from a mixin)
//! is on a shape its definition's selector matches, and mixin traits are not applied at all.
//! Each distinct selector is evaluated once, from the shapes that can reach the shapes carrying
//! its traits (see `Selector::select_among`), not from the whole model.

use super::shared::trait_display;
use super::Events;
use crate::smithy::model::*;
use crate::smithy::selector::{NodeId, Selector, ShapeIndex};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Where a trait was written for a shape or member that has it: on the shape itself, else on
/// the mixin (or mixin member) it comes from.
pub(super) fn trait_location(model: &Model, shape_id: &str, trait_id: &str) -> Location {
    let (root, member) = match shape_id.split_once('$') {
        Some((r, m)) => (r, Some(m)),
        None => (shape_id, None),
    };
    let mut pending = vec![root];
    let mut seen = BTreeSet::new();
    let mut fallback = None;
    while let Some(id) = pending.pop() {
        let Some(shape) = model.shapes.get(id) else {
            continue;
        };
        if !seen.insert(id) {
            continue;
        }
        let traits = match member {
            Some(m) => shape.member(m).map(|m| &m.traits),
            None => Some(&shape.traits),
        };
        if let Some(t) = traits.and_then(|t| t.get(trait_id)) {
            return t.location.clone();
        }
        fallback.get_or_insert_with(|| match member.and_then(|m| shape.member(m)) {
            Some(m) => m.location.clone(),
            None => shape.location.clone(),
        });
        pending.extend(shape.mixins.iter().rev().map(|m| m.target.as_str()));
    }
    fallback.unwrap_or_default()
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    // Selector text → the traits that use it, for the traits applied in the model.
    let mut by_selector: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut mixin_traits: Vec<&str> = Vec::new();
    // The traits applied outside the prelude, in ID order: read from the index by trait, as
    // gathering them shape by shape compared a million IDs.
    let mut applied: Vec<&str> = index
        .applied_traits()
        .filter(|&(_, carriers)| carriers.iter().any(|&n| !index.node(n).prelude))
        .map(|(trait_id, _)| trait_id)
        .collect();
    applied.sort_unstable();
    for trait_id in applied {
        let Some(definition) = index.lookup(trait_id).map(|d| index.node(d)) else {
            continue;
        };
        if definition.traits().contains_key("smithy.api#mixin") {
            mixin_traits.push(trait_id);
        }
        let selector = definition
            .traits()
            .get("smithy.api#trait")
            .and_then(|t| t.get("selector"))
            .and_then(Value::as_str)
            .unwrap_or("*");
        if selector.trim() != "*" {
            by_selector
                .entry(selector.to_string())
                .or_default()
                .push(trait_id);
        }
    }
    let mut events: Vec<(String, String, String)> = Vec::new();
    for trait_id in mixin_traits {
        for &n in index.with_trait(trait_id) {
            let owner = index.node(n).id();
            events.push((
                owner.to_string(),
                trait_id.to_string(),
                format!(
                    "Trait `{}` is a mixin and cannot be applied to `{owner}`.",
                    trait_display(trait_id)
                ),
            ));
        }
    }
    for (text, traits) in &by_selector {
        // A selector that does not parse is reported with the trait definition.
        let Ok(selector) = Selector::parse(text) else {
            continue;
        };
        let matched = matching(index, &selector, traits);
        // The selector as one line, as the reference quotes it.
        let quoted = text
            .split('\n')
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join(" ");
        for trait_id in traits {
            for &n in index.with_trait(trait_id) {
                let node = index.node(n);
                if node.prelude || matched.contains(&n) {
                    continue;
                }
                let id = node.id();
                events.push((
                    id.to_string(),
                    trait_id.to_string(),
                    format!(
                        "Trait `{}` cannot be applied to `{}`. This trait may only be applied to shapes that match the following selector: {quoted}",
                        trait_display(trait_id),
                        id
                    ),
                ));
            }
        }
    }
    for (owner, trait_id, message) in events {
        let at = trait_location(model, &owner, &trait_id);
        ev.error("TraitTarget", &at, &owner, message);
    }
}

/// The shapes carrying one of `traits` that the selector matches.
fn matching(index: &ShapeIndex, selector: &Selector, traits: &[&str]) -> BTreeSet<NodeId> {
    let carriers: BTreeSet<NodeId> = traits
        .iter()
        .flat_map(|t| index.with_trait(t).iter().copied())
        .filter(|&n| !index.node(n).prelude)
        .collect();
    selector.select_among(index, &carriers)
}
