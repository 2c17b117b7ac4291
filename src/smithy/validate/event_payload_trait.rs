//! `EventPayloadTrait`: in a structure with an `@eventPayload` member, every other member is an
//! `@eventHeader`.

use super::shared::ticked;
use super::Events;
use crate::smithy::ast::ShapeType;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // A structure without an `@eventPayload` member has nothing to report.
    let structures = ev.carriers("smithy.api#eventPayload");
    for structure in structures.filter(|s| s.shape_type == ShapeType::Structure) {
        let members = model.members_of(structure);
        let marked = |t: &str| members.iter().filter(|m| m.traits.contains_key(t)).count();
        let payloads = marked("smithy.api#eventPayload");
        let unmarked: Vec<&str> = members
            .iter()
            .filter(|m| {
                !m.traits.contains_key("smithy.api#eventHeader")
                    && !m.traits.contains_key("smithy.api#eventPayload")
            })
            .map(|m| m.name.as_str())
            .collect();
        if unmarked.is_empty() {
            continue;
        }
        // The reference reports once per `@eventPayload` member.
        for _ in 0..payloads {
            ev.error("EventPayloadTrait", &structure.location, &structure.id, format!(
                "This event structure contains a member marked with the `eventPayload` trait, so all other members must be marked with the `eventHeader` trait. However, the following member(s) are not marked with the eventHeader trait: {}",
                ticked(&unmarked)
            ));
        }
    }
}
