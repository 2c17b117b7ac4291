//! `ShapeIdConflict`: two shape or member IDs differ only in case.

use super::Events;
use crate::smithy::model::*;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut by_lower: BTreeMap<String, Vec<(String, Location)>> = BTreeMap::new();
    for shape in model.shapes.values() {
        by_lower
            .entry(shape.id.to_lowercase())
            .or_default()
            .push((shape.id.clone(), shape.location.clone()));
        for m in &shape.members {
            let id = format!("{}${}", shape.id, m.name);
            by_lower
                .entry(id.to_lowercase())
                .or_default()
                .push((id, m.location.clone()));
        }
    }
    for ids in by_lower.values().filter(|v| v.len() > 1) {
        for (id, at) in ids {
            let others: BTreeSet<String> = ids
                .iter()
                .filter(|(o, _)| o != id)
                .map(|(o, _)| format!("`{o}`"))
                .collect();
            let others: Vec<String> = others.into_iter().collect();
            ev.error(
                "ShapeIdConflict",
                at,
                id,
                format!(
                    "Shape ID `{id}` conflicts with other shape IDs in the model: [{}]",
                    others.join(", ")
                ),
            );
        }
    }
}
