//! `HttpPayload`: when a member of a request, response or error structure is the
//! `@httpPayload`, every other member is bound to another part of the HTTP message.

use super::shared::{http_bindings, io_shape, ticked, HttpLocation};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;

fn check_structure(ev: &mut Events, structure: Option<&Shape>, request: bool) {
    let Some(structure) = structure else {
        return;
    };
    let unbound: Vec<&str> = http_bindings(ev.model, Some(structure), request)
        .into_iter()
        .filter(|(_, at)| *at == HttpLocation::Unbound)
        .map(|(m, _)| m.name.as_str())
        .collect();
    if !unbound.is_empty() {
        ev.error("HttpPayload", &structure.location, &structure.id, format!(
            "A member of this structure is marked with the `httpPayload` trait, but the following structure members are not explicitly bound to the HTTP message: {}",
            ticked(unbound)
        ));
    }
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in ev.shapes_of(ShapeType::Operation) {
        if !model.has_trait(op, "smithy.api#http") {
            continue;
        }
        check_structure(ev, io_shape(model, op, true), true);
        check_structure(ev, io_shape(model, op, false), false);
    }
    for structure in ev.shapes_of(ShapeType::Structure) {
        if model.has_trait(structure, "smithy.api#error") {
            check_structure(ev, Some(structure), false);
        }
    }
}
