//! `MetadataTrait`: one `@metadata` type per metadata key, and none for the keys Smithy reserves.

use super::Events;
use std::collections::BTreeMap;

const RESERVED: [&str; 3] = ["severityOverrides", "suppressions", "validators"];

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for shape in model.shapes.values() {
        if let Some(key) = metadata_key(ev, &shape.id) {
            by_key.entry(key).or_default().push(&shape.id);
        }
    }
    for (key, ids) in by_key {
        for id in &ids {
            let at = &model.shapes[*id].traits["smithy.api#metadata"].location;
            if RESERVED.contains(&key) {
                ev.error("MetadataTrait", at, id, format!(
                    "The metadata key `{key}` has been reserved by Smithy and may not be defined elsewhere."
                ));
            } else if ids.len() > 1 {
                let others: Vec<&str> = ids.iter().copied().filter(|o| o != id).collect();
                ev.error("MetadataTrait", at, id, format!(
                    "A type has already been defined for the metadata key `{key}`. Conflicts with: [{}]",
                    others.join(", ")
                ));
            }
        }
    }
}

/// The key of the shape's `@metadata` trait.
pub(super) fn metadata_key<'a>(ev: &Events<'a>, id: &str) -> Option<&'a str> {
    ev.model
        .shapes
        .get(id)?
        .traits
        .get("smithy.api#metadata")?
        .value
        .get("key")?
        .as_str()
}
