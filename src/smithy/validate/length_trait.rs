//! `LengthTrait`: the bounds of `@length` are not negative, and `min` is not above `max`.

use super::shared::owners_with;
use super::Events;
use serde_json::Value;

const LENGTH: &str = "smithy.api#length";

pub(super) fn check(ev: &mut Events) {
    for shape in ev.carriers(LENGTH) {
        for (owner, _, traits) in owners_with(shape, LENGTH) {
            let Some(length) = traits.get(LENGTH) else {
                continue;
            };
            let at = &length.location;
            let bound = |name: &str| length.value.get(name).and_then(Value::as_f64);
            let (min, max) = (bound("min"), bound("max"));
            if min.is_some_and(|m| m < 0.0) {
                ev.error(
                    "LengthTrait",
                    at,
                    &owner,
                    "A length trait is applied with a negative `min` value.".to_string(),
                );
            }
            if max.is_some_and(|m| m < 0.0) {
                ev.error(
                    "LengthTrait",
                    at,
                    &owner,
                    "A length trait is applied with a negative `max` value.".to_string(),
                );
            }
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    ev.error(
                        "LengthTrait",
                        at,
                        &owner,
                        "A length trait is applied with a `min` value greater than its `max` value."
                            .to_string(),
                    );
                }
            }
        }
    }
}
