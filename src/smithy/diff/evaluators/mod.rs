//! The diff evaluators, one file per kind of change, each named after the reference's
//! evaluator whose events it reports. [`ALL`] runs them in the reference's order, which is the
//! order `ChangedMemberTarget` lists nested events in.

mod added_required_member;
mod changed_default;
mod changed_enum_trait;
mod changed_member_target;
mod changed_nullability;
mod entity_bindings;
mod errors;
mod length_and_range;
mod metadata;
mod modified_trait;
mod operation_io;
mod service_rename;
mod shapes;
mod trait_breaking_change;

use super::{DiffEvent, Differences};

pub type Evaluator = fn(&Differences, &mut Vec<DiffEvent>);

pub const ALL: &[Evaluator] = &[
    entity_bindings::added,
    metadata::added,
    errors::added_to_operation,
    added_required_member::run,
    errors::added_to_service,
    shapes::added,
    shapes::added_trait_definition,
    changed_default::run,
    changed_enum_trait::run,
    length_and_range::length,
    shapes::changed_member_order,
    changed_member_target::run,
    metadata::changed,
    changed_nullability::run,
    operation_io::input,
    operation_io::output,
    length_and_range::range,
    operation_io::resource_identifiers,
    shapes::changed_type,
    modified_trait::run,
    entity_bindings::removed,
    metadata::removed,
    errors::removed_from_operation,
    errors::removed_from_service,
    shapes::removed,
    shapes::removed_trait_definition,
    service_rename::run,
    trait_breaking_change::run,
];
