//! Metadata keys added, removed and changed.

use crate::smithy::diff::node::pretty;
use crate::smithy::diff::{DiffEvent, Differences, Severity};

/// Added keys are found by comparing the two models, also in the narrower differences that
/// `ChangedMemberTarget` evaluates again (the reference computes them from the models).
pub fn added(d: &Differences, out: &mut Vec<DiffEvent>) {
    let old = &d.old.model.metadata;
    for (key, value) in &d.new.model.metadata {
        if !old.contains_key(key) {
            let message = format!(
                "Metadata key `{key}` was added with the following value: {}",
                pretty(value)
            );
            out.push(DiffEvent::without_shape(
                "AddedMetadata",
                Severity::Note,
                message,
            ));
        }
    }
}

pub fn removed(d: &Differences, out: &mut Vec<DiffEvent>) {
    if !d.with_metadata {
        return;
    }
    let new = &d.new.model.metadata;
    for (key, value) in &d.old.model.metadata {
        if !new.contains_key(key) {
            let message = format!(
                "Metadata key `{key}` was removed with the following value: {}",
                pretty(value)
            );
            let id = format!("RemovedMetadata.{key}");
            out.push(DiffEvent::without_shape(id, Severity::Danger, message));
        }
    }
}

pub fn changed(d: &Differences, out: &mut Vec<DiffEvent>) {
    if !d.with_metadata {
        return;
    }
    let new = &d.new.model.metadata;
    for (key, old_value) in &d.old.model.metadata {
        match new.get(key) {
            Some(new_value) if new_value != old_value => {
                let message = format!(
                    "Metadata key `{key}` was changed from {} to {}",
                    pretty(old_value),
                    pretty(new_value)
                );
                out.push(DiffEvent::without_shape(
                    "ChangedMetadata",
                    Severity::Warning,
                    message,
                ));
            }
            _ => {}
        }
    }
}
