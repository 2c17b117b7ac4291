//! `MetadataTrait`: one `@metadata` type per metadata key, and none for the keys Smithy reserves.

use super::Events;
use crate::smithy::model::{Model, Shape};
use crate::smithy::prelude;
use std::collections::BTreeMap;

const RESERVED: [&str; 3] = ["severityOverrides", "suppressions", "validators"];

pub(super) fn check(ev: &mut Events) {
    for (key, shapes) in metadata_types(ev.model) {
        for shape in &shapes {
            let at = &shape.traits["smithy.api#metadata"].location;
            let id = &shape.id;
            if RESERVED.contains(&key) {
                ev.error("MetadataTrait", at, id, format!(
                    "The metadata key `{key}` has been reserved by Smithy and may not be defined elsewhere."
                ));
            } else if shapes.len() > 1 {
                let others: Vec<&str> = shapes
                    .iter()
                    .map(|o| o.id.as_str())
                    .filter(|o| o != id)
                    .collect();
                ev.error("MetadataTrait", at, id, format!(
                    "A type has already been defined for the metadata key `{key}`. Conflicts with: [{}]",
                    others.join(", ")
                ));
            }
        }
    }
}

/// The shapes with `@metadata` by key, the prelude's (the type of `shapeClosures`) included,
/// each key's in ID order.
pub(super) fn metadata_types(model: &Model) -> BTreeMap<&str, Vec<&Shape>> {
    let mut by_key: BTreeMap<&str, Vec<&Shape>> = BTreeMap::new();
    for shape in model
        .shapes
        .values()
        .chain(prelude::value_shapes().shapes.values())
    {
        let key = shape
            .traits
            .get("smithy.api#metadata")
            .and_then(|t| t.value.get("key"))
            .and_then(|k| k.as_str());
        if let Some(key) = key {
            by_key.entry(key).or_default().push(shape);
        }
    }
    for shapes in by_key.values_mut() {
        shapes.sort_by(|a, b| a.id.cmp(&b.id));
    }
    by_key
}
