//! `EnumShape`: enum members have unique, non-empty string values; intEnum members have unique
//! integer values; member names should be UPPER_SNAKE_CASE (a warning).

use super::super::ast::ShapeType;
use super::super::model::{Member, Shape};
use super::Events;
use crate::diagnostic::Severity;
use serde_json::Value;
use std::collections::HashSet;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        match shape.shape_type {
            ShapeType::Enum => check_enum(ev, shape),
            ShapeType::IntEnum => check_int_enum(ev, shape),
            _ => {}
        }
    }
}

fn check_enum(ev: &mut Events, shape: &Shape) {
    let mut values = HashSet::new();
    for m in ev.model.members_of(shape) {
        let id = shape.member_id(&m.name);
        let value = m.traits.get("smithy.api#enumValue");
        match value.map(|t| &t.value) {
            Some(Value::String(s)) => {
                if !values.insert(s.clone()) {
                    ev.error(
                        "EnumShape",
                        &m.location,
                        &id,
                        format!("Multiple enum members found with duplicate value `{s}`"),
                    );
                }
                if s.is_empty() {
                    ev.error(
                        "EnumShape",
                        &m.location,
                        &id,
                        "enum values may not be empty.".to_string(),
                    );
                }
            }
            // Without a value the member's name is its value.
            None => {
                if !values.insert(m.name.clone()) {
                    ev.error(
                        "EnumShape",
                        &m.location,
                        &id,
                        format!(
                            "Multiple enum members found with duplicate value `{}`",
                            m.name
                        ),
                    );
                }
            }
            Some(other) => {
                let at = value.map_or(&m.location, |t| &t.location);
                ev.error(
                    "EnumShape",
                    at,
                    &id,
                    format!("enum members can only be assigned string values, but found: {other}"),
                );
            }
        }
        check_name(ev, &id, m);
    }
}

fn check_int_enum(ev: &mut Events, shape: &Shape) {
    let mut values = HashSet::new();
    for m in ev.model.members_of(shape) {
        let id = shape.member_id(&m.name);
        let Some(trait_value) = m.traits.get("smithy.api#enumValue") else {
            ev.error(
                "EnumShape",
                &m.location,
                &id,
                "intEnum members must be assigned an integer value".to_string(),
            );
            continue;
        };
        let at = &trait_value.location;
        let Value::Number(number) = &trait_value.value else {
            ev.error(
                "EnumShape",
                at,
                &id,
                format!(
                    "intEnum members require integer values, but found: {}",
                    trait_value.value
                ),
            );
            continue;
        };
        let text = number.to_string();
        if text.contains(['.', 'e', 'E']) {
            ev.error(
                "EnumShape",
                at,
                &id,
                format!("intEnum members do not support floating point values: {text}"),
            );
            continue;
        }
        let Some(value) = number.as_i64().and_then(|v| i32::try_from(v).ok()) else {
            ev.error(
                "EnumShape",
                at,
                &id,
                format!("intEnum members must fit within an integer, but found: {text}"),
            );
            continue;
        };
        if !values.insert(value) {
            ev.error(
                "EnumShape",
                &m.location,
                &id,
                format!("Multiple intEnum members found with duplicate value `{value}`"),
            );
        }
        check_name(ev, &id, m);
    }
}

/// The reference's recommended name pattern, `^[A-Z]+[A-Z_0-9]*$`.
fn check_name(ev: &mut Events, id: &str, m: &Member) {
    let recommended = m.name.starts_with(|c: char| c.is_ascii_uppercase())
        && m.name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !recommended {
        ev.emit("EnumShape", Severity::Warning, &m.location, id, format!(
            "The name `{}` does not match the recommended enum name format of beginning with an uppercase letter, followed by any number of uppercase letters, numbers, or underscores.",
            m.name
        ));
    }
}
