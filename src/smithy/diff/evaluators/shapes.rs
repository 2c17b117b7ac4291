//! Shapes added and removed (`AddedShape`, `RemovedShape`), trait definitions added and
//! removed, shape types changed (`ChangedShapeType`) and members reordered
//! (`ChangedMemberOrder`).

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatModel, FlatShape, Kind};
use crate::smithy::diff::{DiffEvent, Differences, Severity};

pub fn added(d: &Differences, out: &mut Vec<DiffEvent>) {
    for shape in &d.added {
        if is_member_outside(shape, d.old) || is_member_of_converted_enum(shape, d) {
            continue;
        }
        let message = format!("Added {} `{}`", shape.kind.name(), shape.id);
        out.push(DiffEvent::new(
            "AddedShape",
            Severity::Note,
            &shape.id,
            message,
        ));
    }
}

pub fn removed(d: &Differences, out: &mut Vec<DiffEvent>) {
    for shape in &d.removed {
        if shape.has_trait("smithy.api#private") || is_member_outside(shape, d.new) {
            continue;
        }
        let message = format!("Removed {} `{}`", shape.kind.name(), shape.id);
        let event = if is_inconsequential(shape) {
            DiffEvent::new(
                "RemovedShape.ScalarShape",
                Severity::Warning,
                &shape.id,
                message,
            )
        } else {
            DiffEvent::new("RemovedShape", Severity::Error, &shape.id, message)
        };
        out.push(event);
    }
}

pub fn added_trait_definition(d: &Differences, out: &mut Vec<DiffEvent>) {
    for shape in d.added.iter().filter(|s| s.has_trait("smithy.api#trait")) {
        let message = format!("Trait definition `{}` was added", shape.id);
        out.push(DiffEvent::new(
            "AddedTraitDefinition",
            Severity::Note,
            &shape.id,
            message,
        ));
    }
}

pub fn removed_trait_definition(d: &Differences, out: &mut Vec<DiffEvent>) {
    for shape in d.removed.iter().filter(|s| s.has_trait("smithy.api#trait")) {
        let message = format!("Trait definition `{}` was removed", shape.id);
        out.push(DiffEvent::new(
            "RemovedTraitDefinition",
            Severity::Error,
            &shape.id,
            message,
        ));
    }
}

pub fn changed_type(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in &d.changed {
        let (old, new) = (change.old, change.new);
        if old.kind == new.kind
            || set_became_unique_list(old, new)
            || enum_trait_became_enum(old, new)
        {
            continue;
        }
        let message = format!(
            "Shape `{}` type was changed from `{}` to `{}`.",
            old.id,
            old.kind.name(),
            new.kind.name()
        );
        out.push(DiffEvent::new(
            "ChangedShapeType",
            Severity::Error,
            &new.id,
            message,
        ));
    }
}

pub fn changed_member_order(d: &Differences, out: &mut Vec<DiffEvent>) {
    let kinds = [
        Kind::Shape(ShapeType::Structure),
        Kind::Shape(ShapeType::Union),
    ];
    for change in d.changed_of(&kinds[..1]).chain(d.changed_of(&kinds[1..])) {
        let reordered = change
            .old
            .members
            .iter()
            .zip(&change.new.members)
            .any(|(a, b)| a != b);
        if reordered {
            let message = format!(
                "{} shape members were reordered. This can cause ABI compatibility issues in languages like C and C++ where the layout and alignment of a data structure matters.",
                change.old.kind.name()
            );
            out.push(DiffEvent::new(
                "ChangedMemberOrder",
                Severity::Danger,
                &change.new.id,
                message,
            ));
        }
    }
}

/// A member whose container does not exist in the other model: the container's own event
/// covers it.
fn is_member_outside(shape: &FlatShape, other: &FlatModel) -> bool {
    shape
        .container()
        .is_some_and(|container| !other.shapes.contains_key(container))
}

/// A member of an enum that was a string with the `@enum` trait: `ChangedEnumTrait` reports
/// changed values.
fn is_member_of_converted_enum(shape: &FlatShape, d: &Differences) -> bool {
    let Some(container) = shape.container() else {
        return false;
    };
    let was_enum_string = d.old.shapes.get(container).is_some_and(|s| {
        s.kind == Kind::Shape(ShapeType::String) && s.has_trait("smithy.api#enum")
    });
    let is_enum = d
        .new
        .shapes
        .get(container)
        .is_some_and(|s| s.kind == Kind::Shape(ShapeType::Enum));
    was_enum_string && is_enum
}

/// Removing a simple shape other than an enum string is only a warning.
fn is_inconsequential(shape: &FlatShape) -> bool {
    use ShapeType as T;
    match shape.kind {
        Kind::Shape(T::String) => !shape.has_trait("smithy.api#enum"),
        Kind::Shape(t) => matches!(
            t,
            T::BigDecimal
                | T::BigInteger
                | T::Blob
                | T::Boolean
                | T::Byte
                | T::Double
                | T::Float
                | T::Short
                | T::Timestamp
                | T::Long
                | T::Integer
        ),
        Kind::Member => false,
    }
}

/// A set that became a list with `@uniqueItems`: the recommended replacement of `set`.
fn set_became_unique_list(old: &FlatShape, new: &FlatShape) -> bool {
    old.kind == Kind::Shape(ShapeType::Set)
        && new.kind == Kind::Shape(ShapeType::List)
        && new.has_trait("smithy.api#uniqueItems")
}

/// A string with `@enum` that became an enum shape: the recommended replacement of `@enum`.
pub fn enum_trait_became_enum(old: &FlatShape, new: &FlatShape) -> bool {
    old.has_trait("smithy.api#enum") && new.kind == Kind::Shape(ShapeType::Enum)
}
