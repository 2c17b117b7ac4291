//! `EnumTrait`: the entries of an `@enum` trait have distinct values and names, and either all
//! or none have a name (errors); names are UPPER_SNAKE_CASE (warning `EnumTrait.<name>`); entries
//! without names are warned about as `EnumNamesPresent`.

use super::shared::{owners_with, trait_at};
use super::Events;
use crate::diagnostic::Severity;
use serde_json::Value;
use std::collections::BTreeSet;

/// `^[A-Z]+[A-Z_0-9]*$`.
fn is_recommended_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn check(ev: &mut Events) {
    for shape in ev.carriers("smithy.api#enum") {
        for (owner, member, traits) in owners_with(shape, "smithy.api#enum") {
            let Some(entries) = traits
                .get("smithy.api#enum")
                .and_then(|t| t.value.as_array())
            else {
                continue;
            };
            let home = member.map_or(&shape.location, |m| &m.location);
            let at = trait_at(traits, "smithy.api#enum", home);
            let mut values = BTreeSet::new();
            for value in entries.iter().filter_map(|e| e.get("value")?.as_str()) {
                if !values.insert(value) {
                    ev.error("EnumTrait", &at, &owner, format!(
                        "Duplicate enum trait values found with the same `value` property of '{value}'"
                    ));
                }
            }
            let mut names = BTreeSet::new();
            for name in entries.iter().filter_map(|e| e.get("name")?.as_str()) {
                if !names.insert(name) {
                    ev.error("EnumTrait", &at, &owner, format!(
                        "Duplicate enum trait values found with the same `name` property of '{name}'"
                    ));
                }
                if !is_recommended_name(name) {
                    ev.emit(&format!("EnumTrait.{name}"), Severity::Warning, &at, &owner, format!(
                        "The name `{name}` does not match the recommended enum name format of beginning with an uppercase letter, followed by any number of uppercase letters, numbers, or underscores."
                    ));
                }
            }
            if names.is_empty() {
                ev.emit("EnumNamesPresent", Severity::Warning, &at, &owner, "Enums should define the `name` property to allow rich types to be generated in code generators.".to_string());
                continue;
            }
            for entry in entries.iter().filter(|e| e.get("name").is_none()) {
                let value = entry.get("value").and_then(Value::as_str).unwrap_or("");
                ev.error("EnumTrait", &at, &owner, format!(
                    "`{value}` enum value body is missing the `name` property; if any enum trait value contains a `name` property, then all values must contain the `name` property."
                ));
            }
        }
    }
}
