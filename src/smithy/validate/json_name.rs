//! `JsonName`: no two members of a shape serialize to the same JSON name (their `@jsonName`,
//! else their member name).

use super::Events;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in ev.carriers("smithy.api#jsonName") {
        let members = model.members_of(shape);
        if !members
            .iter()
            .any(|m| m.traits.contains_key("smithy.api#jsonName"))
        {
            continue;
        }
        let mut by_name: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for m in &members {
            let name = m
                .traits
                .get("smithy.api#jsonName")
                .and_then(|t| t.value.as_str())
                .unwrap_or(&m.name);
            by_name.entry(name).or_default().insert(&m.name);
        }
        for (name, members) in by_name.iter().filter(|(_, m)| m.len() > 1) {
            let listed: Vec<&str> = members.iter().copied().collect();
            ev.error(
                "JsonName",
                &shape.location,
                &shape.id,
                format!(
                    "This shape contains members with conflicting JSON names that resolve to '{name}': {}",
                    listed.join(", ")
                ),
            );
        }
    }
}
