//! `ModelDeprecation` (WARNING): what IDL 2.0 deprecates: `set` shapes (a list with
//! `@uniqueItems` says the same), and the `@enum` trait on a shape of a 2.0 file (the enum shape
//! replaces it).

use super::{Event, Events};
use crate::diagnostic::{Diagnostic, Severity};
use crate::smithy::ast::{IdlVersion, ShapeType};
use crate::smithy::model::{Location, Model, Shape, TraitValue};

pub(super) fn check(ev: &mut Events) {
    for shape in ev.model.shapes.values() {
        if shape.shape_type == ShapeType::Set {
            ev.emit("ModelDeprecation", Severity::Warning, &shape.location, &shape.id,
                "Set shapes are deprecated and have been removed in Smithy IDL v2. Use a list shape with the @uniqueItems trait instead.".to_string());
        }
    }
}

const ENUM_TRAIT_DEPRECATION: &str =
    "The enum trait is deprecated. Smithy 2.0 models should use the enum shape.";

/// The shapes of 2.0 files with the `@enum` trait. The reference's loader reports each as it
/// applies the trait, so the warning stands whatever validation finds (see
/// [`enum_trait_deprecations`]).
fn enum_traits(model: &Model) -> impl Iterator<Item = (&Shape, &TraitValue)> {
    model.shapes.values().filter_map(|shape| {
        let applied = shape.traits.get("smithy.api#enum")?;
        (shape.version == IdlVersion::V2).then_some((shape, applied))
    })
}

/// With the correctness tier: reported (and suppressible) whatever that tier finds.
pub(super) fn check_enum_trait(ev: &mut Events) {
    for (shape, applied) in enum_traits(ev.model) {
        let at = &applied.location;
        ev.emit(
            "ModelDeprecation",
            Severity::Warning,
            at,
            &shape.id,
            ENUM_TRAIT_DEPRECATION.to_string(),
        );
    }
}

/// The `@enum` warnings of a model whose loading failed, so that it is not validated: the
/// reference returns its loader's events as they are then, unsuppressed.
pub fn enum_trait_deprecations(model: &Model) -> impl Iterator<Item = Event> + '_ {
    enum_traits(model).map(|(shape, applied)| Event {
        diagnostic: enum_trait_deprecation(&shape.id, &applied.location),
        subject: Some(shape.id.clone()),
    })
}

/// The warning for an `@enum` applied to `shape` in a 2.0 file, as the loader gives it (also
/// for an `@enum` it cannot create, and so leaves off the shape).
pub fn enum_trait_deprecation(shape: &str, at: &Location) -> Diagnostic {
    Diagnostic::smithy_event(
        "ModelDeprecation",
        Severity::Warning,
        format!("{shape}: {ENUM_TRAIT_DEPRECATION}"),
        at.path.to_string(),
        at.span,
    )
}
