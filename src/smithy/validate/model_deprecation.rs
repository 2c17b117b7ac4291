//! `ModelDeprecation` (WARNING): what IDL 2.0 deprecates: `set` shapes (a list with
//! `@uniqueItems` says the same), and the `@enum` trait on a shape of a 2.0 file (the enum shape
//! replaces it).

use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::{IdlVersion, ShapeType};

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        if shape.shape_type == ShapeType::Set {
            ev.emit("ModelDeprecation", Severity::Warning, &shape.location, &shape.id,
                "Set shapes are deprecated and have been removed in Smithy IDL v2. Use a list shape with the @uniqueItems trait instead.".to_string());
        }
        if let (IdlVersion::V2, Some(t)) = (shape.version, shape.traits.get("smithy.api#enum")) {
            ev.emit(
                "ModelDeprecation",
                Severity::Warning,
                &t.location,
                &shape.id,
                "The enum trait is deprecated. Smithy 2.0 models should use the enum shape."
                    .to_string(),
            );
        }
    }
}
