//! Members whose nullability (as a client sees it) changed (`ChangedNullability`), with the
//! reason as a sub-ID: `@input` added or removed, `@clientOptional`, `@required` or
//! `@default` added or removed, a default changed to or from null.

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatModel, FlatShape, Kind};
use crate::smithy::diff::node::compact;
use crate::smithy::diff::{Changed, DiffEvent, Differences, Severity};

const INPUT: &str = "smithy.api#input";
const REQUIRED: &str = "smithy.api#required";
const DEFAULT: &str = "smithy.api#default";
const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    let mut changes: Vec<Changed> = d.changed_of(&[Kind::Member]).copied().collect();
    // Members of structures that gained or lost `@input`, when the member is in both.
    for change in d.changed_of(&[Kind::Shape(ShapeType::Structure)]) {
        if change.trait_added(INPUT) || change.trait_removed(INPUT) {
            for new_member in d.new.members(change.new) {
                let name = new_member.member_name().unwrap_or_default();
                if let Some(old_member) = d.old.member(change.old, name) {
                    changes.push(Changed {
                        old: old_member,
                        new: new_member,
                    });
                }
            }
        }
    }
    let mut events = Vec::new();
    for change in changes {
        let was_nullable = is_nullable(d.old, change.old);
        let is_now_nullable = is_nullable(d.new, change.new);
        if was_nullable != is_now_nullable {
            errors(d, &change, was_nullable, &mut events);
        }
    }
    events.sort();
    events.dedup();
    out.extend(events);
}

/// Whether a client treats a member as nullable.
fn is_nullable(model: &FlatModel, member: &FlatShape) -> bool {
    let Some(container) = member.container().and_then(|c| model.get(c)) else {
        return false;
    };
    match container.kind {
        Kind::Shape(ShapeType::Structure) => {
            member.has_trait(CLIENT_OPTIONAL)
                || container.has_trait(INPUT)
                || (!member.has_trait(REQUIRED) && !has_non_null_default(member))
        }
        Kind::Shape(ShapeType::Map) if member.member_name() == Some("key") => false,
        Kind::Shape(ShapeType::Map | ShapeType::List) => container.has_trait("smithy.api#sparse"),
        _ => false,
    }
}

fn has_non_null_default(member: &FlatShape) -> bool {
    member.traits.get(DEFAULT).is_some_and(|v| !v.is_null())
}

fn container_has_input(model: &FlatModel, member: &FlatShape) -> bool {
    member
        .container()
        .and_then(|c| model.get(c))
        .is_some_and(|c| c.has_trait(INPUT))
}

fn errors(d: &Differences, change: &Changed, was_nullable: bool, out: &mut Vec<DiffEvent>) {
    let (old, new) = (change.old, change.new);
    let (from, to) = if was_nullable {
        ("nullable", "non-nullable")
    } else {
        ("non-nullable", "nullable")
    };
    let prefix = format!(
        "Member `{}` changed from {from} to {to}",
        old.member_name().unwrap_or_default()
    );
    let shape = old.id.as_str();
    let container = new.container().unwrap_or_default();
    let target_type = new
        .target
        .as_deref()
        .and_then(|t| d.new.get(t))
        .and_then(FlatShape::shape_type);
    let aggregate = matches!(target_type, Some(ShapeType::Structure | ShapeType::Union));
    let type_name = target_type.map_or("", ShapeType::as_str);
    let mut events = Vec::new();
    let mut emit = |severity: Severity, suffix: &str, detail: String| {
        events.push(DiffEvent::new(
            format!("ChangedNullability.{suffix}"),
            severity,
            shape,
            format!("{prefix}: {detail}"),
        ));
    };
    let (old_input, new_input) = (
        container_has_input(d.old, old),
        container_has_input(d.new, new),
    );
    if old_input && !new_input {
        emit(
            Severity::Error,
            "RemovedInputTrait",
            format!("The `@input` trait was removed from {container}"),
        );
    } else if !old_input && new_input {
        emit(
            Severity::Danger,
            "AddedInputTrait",
            format!("The `@input` trait was added to {container}"),
        );
    } else if !old_input && !new_input {
        if change.trait_added(CLIENT_OPTIONAL) && change.trait_in_both(REQUIRED) {
            emit(
                Severity::Error,
                "AddedClientOptionalTrait",
                "The `@clientOptional` trait was added to a `@required` member.".to_string(),
            );
        } else if change.trait_removed(CLIENT_OPTIONAL) && change.trait_in_both(REQUIRED) {
            emit(
                Severity::Error,
                "RemovedClientOptionalTrait",
                "The `@clientOptional` trait was removed from a `@required` member.".to_string(),
            );
        } else if change.trait_added(REQUIRED) && !new.has_trait(CLIENT_OPTIONAL) {
            if aggregate {
                emit(
                    Severity::Warning,
                    "AddedRequiredTrait.StructureOrUnion",
                    format!("The `@required` trait was added to a member that targets a {type_name}. This is backward compatible in generators that always treat structures and unions as optional (e.g., AWS generators)"),
                );
            } else {
                emit(
                    Severity::Error,
                    "AddedRequiredTrait",
                    "The `@required` trait was added to a member.".to_string(),
                );
            }
        }
        if change.trait_added(DEFAULT) && !change.trait_removed(REQUIRED) {
            emit(
                Severity::Error,
                "AddedDefaultTrait",
                "The `@default` trait was added to a member that was not previously `@required`."
                    .to_string(),
            );
        }
        if change.trait_removed(REQUIRED)
            && !new.has_trait(DEFAULT)
            && !old.has_trait(CLIENT_OPTIONAL)
        {
            if aggregate {
                emit(
                    Severity::Warning,
                    "RemovedRequiredTrait.StructureOrUnion",
                    format!("The @required trait was removed from a member that targets a {type_name}. This is backward compatible in generators that always treat structures and unions as optional (e.g., AWS generators)"),
                );
            } else {
                emit(
                    Severity::Error,
                    "RemovedRequiredTrait",
                    "The @required trait was removed and not replaced with the @default trait and @addedDefault trait.".to_string(),
                );
            }
        }
    }
    if let (Some(old_default), Some(new_default)) =
        (old.traits.get(DEFAULT), new.traits.get(DEFAULT))
    {
        if !old_default.is_null() && new_default.is_null() {
            emit(
                Severity::Error,
                "AddedNullDefault",
                format!(
                    "The `@default` trait was changed from `{}` to `null`.",
                    compact(old_default)
                ),
            );
        } else if old_default.is_null() && !new_default.is_null() {
            emit(
                Severity::Error,
                "RemovedNullDefault",
                format!(
                    "The `@default` trait was changed from `null` to `{}`.",
                    compact(new_default)
                ),
            );
        }
    }
    if events.is_empty() {
        events.push(DiffEvent::new(
            "ChangedNullability",
            Severity::Error,
            shape,
            prefix,
        ));
    }
    out.extend(events);
}
