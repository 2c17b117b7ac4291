//! `RangeTrait`: the bounds of `@range` are whole numbers unless the shape (or the member's
//! target) is a float, double or bigDecimal, and `min` is not above `max`.

use super::shared::owners_with;
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

const RANGE: &str = "smithy.api#range";

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in ev.carriers(RANGE) {
        for (owner, member, traits) in owners_with(shape, RANGE) {
            let Some(range) = traits.get(RANGE) else {
                continue;
            };
            let at = &range.location;
            // A member is judged by its target; a shape by its own type.
            let subject = match member {
                Some(m) => model.shape_type(&m.target).map(|t| (t, m.target.as_str())),
                None => Some((shape.shape_type, "")),
            };
            for bound in ["min", "max"] {
                let Some(text) = range.value.get(bound).and_then(number_text) else {
                    continue;
                };
                let Some((subject_type, target)) = subject else {
                    continue;
                };
                if !is_fraction(&text) || supports_decimals(subject_type) {
                    continue;
                }
                let message = match member {
                    Some(_) => format!(
                        "Member `{owner}` is marked with the `range` trait, but its `{bound}` property is a decimal ({text}) when its target (`{target}`) does not support decimals."
                    ),
                    None => format!(
                        "Shape `{owner}` is marked with the `range` trait, but its `{bound}` property is a decimal ({text}) when its shape (`{}`) does not support decimals.",
                        subject_type.as_str()
                    ),
                };
                ev.error("RangeTrait", at, &owner, message);
            }
            let bound = |name: &str| {
                range
                    .value
                    .get(name)
                    .and_then(number_text)
                    .and_then(|t| t.parse::<f64>().ok())
            };
            if let (Some(min), Some(max)) = (bound("min"), bound("max")) {
                if min > max {
                    ev.error(
                        "RangeTrait",
                        at,
                        &owner,
                        "A range trait is applied with a `min` value greater than its `max` value."
                            .to_string(),
                    );
                }
            }
        }
    }
}

/// The number as written (numbers keep their text in the model).
fn number_text(v: &Value) -> Option<String> {
    v.as_number().map(|n| n.to_string())
}

/// Whether a number was written as a decimal: the reference reads such numbers as doubles, and
/// a double's bound always counts as one with a fraction (even `10.0`).
fn is_fraction(text: &str) -> bool {
    text.contains(['.', 'e', 'E'])
}

fn supports_decimals(t: ShapeType) -> bool {
    matches!(
        t,
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal
    )
}
