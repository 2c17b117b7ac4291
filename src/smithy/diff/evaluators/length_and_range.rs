//! `@length` and `@range` made more restrictive (`ChangedLengthTrait`, `ChangedRangeTrait`).

use crate::smithy::diff::java_number;
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use serde_json::Value;

pub fn length(d: &Differences, out: &mut Vec<DiffEvent>) {
    bounds(d, out, "smithy.api#length", "ChangedLengthTrait");
}

pub fn range(d: &Differences, out: &mut Vec<DiffEvent>) {
    bounds(d, out, "smithy.api#range", "ChangedRangeTrait");
}

/// A bound as the reference prints it and as a number.
fn bound(value: &Value, key: &str) -> Option<(String, f64)> {
    let n = value.get(key)?;
    Some((java_number::bound(&n.to_string()), n.as_f64()?))
}

fn bounds(d: &Differences, out: &mut Vec<DiffEvent>, trait_id: &str, event_id: &str) {
    for change in &d.changed {
        let Some((old, new)) = change.changed_trait(trait_id) else {
            continue;
        };
        let zero = || ("0".to_string(), 0.0);
        let (old_min, new_min) = (
            bound(old, "min").unwrap_or_else(zero),
            bound(new, "min").unwrap_or_else(zero),
        );
        if new_min.1 > old_min.1 {
            let message = format!(
                "{trait_id} trait value `min` was made more restrictive by raising from {} to {}",
                old_min.0, new_min.0
            );
            out.push(DiffEvent::new(
                event_id,
                Severity::Error,
                &change.new.id,
                message,
            ));
        }
        let (old_max, new_max) = (bound(old, "max"), bound(new, "max"));
        if let Some(new_max) = new_max {
            if old_max.as_ref().is_none_or(|old_max| old_max.1 > new_max.1) {
                let message = format!(
                    "{trait_id} trait value `max` was made more restrictive by lowering from {} to {}",
                    old_max.map_or("null".to_string(), |m| m.0),
                    new_max.0
                );
                out.push(DiffEvent::new(
                    event_id,
                    Severity::Error,
                    &change.new.id,
                    message,
                ));
            }
        }
    }
}
