//! `Union`: a tagged union has at least one member; `@box` on a union member (IDL 1.0) has no
//! effect (WARNING).

use super::super::ast::ShapeType;
use super::shared::trait_at;
use super::Events;
use crate::diagnostic::Severity;

pub(super) fn check(ev: &mut Events) {
    for union in ev.shapes_of(ShapeType::Union) {
        let members = ev.members.members(union);
        if members.is_empty() {
            ev.error(
                "Union",
                &union.location,
                &union.id,
                "Tagged unions must have one or more members".to_string(),
            );
            continue;
        }
        for m in members {
            if m.traits.contains_key("smithy.api#box") {
                ev.emit(
                    "Union",
                    Severity::Warning,
                    &trait_at(&m.traits, "smithy.api#box", &m.location),
                    &format!("{}${}", union.id, m.name),
                    "Invalid box trait found on a union member. The box trait on union members has no effect because union members are implicitly nullable.".to_string(),
                );
            }
        }
    }
}
