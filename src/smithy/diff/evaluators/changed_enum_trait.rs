//! Values of the `@enum` trait removed, renamed, inserted or appended (`ChangedEnumTrait`),
//! also when a string with `@enum` became an enum shape.

use super::shapes::enum_trait_became_enum;
use crate::smithy::diff::flat::FlatShape;
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use serde_json::Value;

const ENUM: &str = "smithy.api#enum";

/// One enum definition: its value and optional name.
struct Definition {
    value: String,
    name: Option<String>,
}

fn definitions(value: &Value) -> Vec<Definition> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|d| {
                    Some(Definition {
                        value: d.get("value")?.as_str()?.to_string(),
                        name: d.get("name").and_then(Value::as_str).map(str::to_string),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The definitions an enum shape stands for: each member's value and name.
fn enum_shape_definitions(d: &Differences, shape: &FlatShape) -> Vec<Definition> {
    d.new
        .members(shape)
        .filter_map(|m| {
            Some(Definition {
                value: m.traits.get("smithy.api#enumValue")?.as_str()?.to_string(),
                name: m.member_name().map(str::to_string),
            })
        })
        .collect()
}

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in &d.changed {
        let (old, new) = if let Some((old, new)) = change.changed_trait(ENUM) {
            (definitions(old), definitions(new))
        } else if enum_trait_became_enum(change.old, change.new) {
            let old = change
                .old
                .traits
                .get(ENUM)
                .map(|v| definitions(v))
                .unwrap_or_default();
            (old, enum_shape_definitions(d, change.new))
        } else {
            continue;
        };
        compare(&change.new.id, &old, &new, out);
    }
}

fn compare(shape: &str, old: &[Definition], new: &[Definition], out: &mut Vec<DiffEvent>) {
    let mut old_end = old.len() as i64 - 1;
    for (index, definition) in old.iter().enumerate() {
        match new.iter().find(|n| n.value == definition.value) {
            None => {
                let message = format!("Enum value `{}` was removed", definition.value);
                let id = format!("ChangedEnumTrait.Removed.{index}");
                out.push(DiffEvent::new(id, Severity::Error, shape, message));
                old_end -= 1;
            }
            Some(n) if n.name != definition.name => {
                let message = format!(
                    "Enum `name` changed from `{}` to `{}` for the `{}` value",
                    definition.name.as_deref().unwrap_or("null"),
                    n.name.as_deref().unwrap_or("null"),
                    definition.value
                );
                let id = format!("ChangedEnumTrait.NameChanged.{index}");
                out.push(DiffEvent::new(id, Severity::Error, shape, message));
            }
            Some(_) => {}
        }
    }
    for (position, definition) in new.iter().enumerate() {
        if old.iter().any(|o| o.value == definition.value) {
            continue;
        }
        if position as i64 <= old_end {
            let message = format!(
                "Enum value `{}` was inserted before the end of the list of existing values. This can cause compatibility issues when ordinal values are used for iteration, serialization, etc.",
                definition.value
            );
            let id = format!("ChangedEnumTrait.OrderChanged.{position}");
            out.push(DiffEvent::new(id, Severity::Error, shape, message));
            old_end += 1;
        } else {
            let message = format!("Enum value `{}` was appended", definition.value);
            let id = format!("ChangedEnumTrait.Appended.{position}");
            out.push(DiffEvent::new(id, Severity::Note, shape, message));
        }
    }
}
