//! `TraitBreakingChanges`: each `path` of a trait definition's `breakingChanges` (a JSON
//! pointer into the trait's value) names members that exist, segment by segment, starting at
//! the trait shape and following member targets.

use super::super::ast::ShapeType;
use super::shared::trait_at;
use super::Events;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        let Some(definition) = shape.traits.get("smithy.api#trait") else {
            continue;
        };
        let rules = definition
            .value
            .get("breakingChanges")
            .and_then(Value::as_array);
        for (element, rule) in rules.into_iter().flatten().enumerate() {
            let Some(path) = rule.get("path").and_then(Value::as_str) else {
                continue;
            };
            // An empty path is the whole trait.
            if path.is_empty() {
                continue;
            }
            let segments = pointer_segments(path);
            let mut current = shape.id.clone();
            for segment in &segments {
                let next = match model.shapes.get(&current) {
                    Some(s) => ev
                        .members
                        .members(s)
                        .into_iter()
                        .find(|m| m.name == *segment)
                        .map(|m| m.target.clone())
                        .filter(|target| model.shape_type(target).is_some()),
                    None => None,
                };
                let Some(next) = next else {
                    let kind = model
                        .shape_type(&current)
                        .map_or("shape", ShapeType::as_str);
                    ev.error(
                        "TraitBreakingChanges",
                        &trait_at(&shape.traits, "smithy.api#trait", &shape.location),
                        &shape.id,
                        format!(
                            "Invalid trait breakingChanges element {element}, '{path}', at segment '{segment}': Evaluated shape `{current}`, a {kind}, has no member named `{segment}`"
                        ),
                    );
                    break;
                };
                current = next;
            }
        }
    }
}

/// The reference tokens of a JSON pointer (`/a/b~1c` → `a`, `b/c`).
fn pointer_segments(pointer: &str) -> Vec<String> {
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect()
}
