//! `@default` added, removed or changed (`ChangedDefault`).

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatShape, Kind};
use crate::smithy::diff::node::compact;
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use serde_json::Value;

const DEFAULT: &str = "smithy.api#default";

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in &d.changed {
        let new_shape = change.new;
        let (old, new) = (
            change.old.traits.get(DEFAULT),
            new_shape.traits.get(DEFAULT),
        );
        let message = match (old, new) {
            (None, None) => continue,
            (Some(a), Some(b)) if a == b => continue,
            (Some(old), None) => {
                if removal_is_harmless(d, new_shape, old) {
                    continue;
                }
                "@default trait was removed. This will break previously generated code.".to_string()
            }
            (None, Some(new)) => {
                if new_shape.kind != Kind::Member {
                    format!(
                        "Adding the @default trait to a root-level shape will break previously generated code. Added @default: {}",
                        compact(new)
                    )
                } else if new_shape.has_trait("smithy.api#addedDefault") || new.is_null() {
                    continue;
                } else {
                    format!(
                        "Adding the @default trait to a member without also adding the @addedDefault trait will break previously generated code. Added @default: {}",
                        compact(new)
                    )
                }
            }
            (Some(old), Some(new)) => {
                if new_shape.kind == Kind::Member {
                    out.push(changed_member_default(d, new_shape, old, new));
                    continue;
                }
                format!(
                    "Changing the @default value of a root-level shape will break previously generated code. Old value: {}. New value: {}",
                    compact(old),
                    compact(new)
                )
            }
        };
        out.push(DiffEvent::new(
            "ChangedDefault",
            Severity::Error,
            &new_shape.id,
            message,
        ));
    }
}

/// Removing `@default(null)` from a member whose target has no default (or a null one).
fn removal_is_harmless(d: &Differences, shape: &FlatShape, old: &Value) -> bool {
    if shape.kind != Kind::Member || !old.is_null() {
        return false;
    }
    shape
        .target
        .as_deref()
        .and_then(|t| d.new.get(t))
        .and_then(|t| t.traits.get(DEFAULT))
        .is_none_or(|v| v.is_null())
}

fn changed_member_default(
    d: &Differences,
    member: &FlatShape,
    old: &Value,
    new: &Value,
) -> DiffEvent {
    let target = member
        .target
        .as_deref()
        .and_then(|t| d.new.get(t))
        .and_then(FlatShape::shape_type);
    let old_zero = is_zero_value_in_v1(old, target);
    let new_zero = is_zero_value_in_v1(new, target);
    let (old_json, new_json) = (compact(old), compact(new));
    if old_zero == new_zero {
        let message = format!(
            "Changing the @default value of a member is dangerous and could break previously generated code or lead to subtle errors. Do this only when strictly necessary. Old value: {old_json}. New value: {new_json}"
        );
        DiffEvent::new("ChangedDefault", Severity::Danger, &member.id, message)
    } else if old_zero {
        let message = format!(
            "The @default trait of this member changed from the zero value of the target shape, `{old_json}`, to a value that is not the zero value, `{new_json}`. This will break previously generated code."
        );
        DiffEvent::new("ChangedDefault", Severity::Error, &member.id, message)
    } else {
        let message = format!(
            "The @default trait of this member changed from something other than the zero value of the target shape, `{old_json}`, to the zero value, `{new_json}`. This will break previously generated code."
        );
        DiffEvent::new("ChangedDefault", Severity::Error, &member.id, message)
    }
}

/// Whether a default is the zero value IDL 1.0 gave unboxed primitives: `false`, or a zero
/// number for numeric types (intEnum included).
pub fn is_zero_value_in_v1(value: &Value, target: Option<ShapeType>) -> bool {
    use ShapeType as T;
    match target {
        Some(T::Boolean) => value.as_bool() == Some(false),
        Some(T::Byte | T::Short | T::Integer | T::IntEnum | T::Long | T::Float | T::Double) => {
            value.as_f64() == Some(0.0)
        }
        _ => false,
    }
}
