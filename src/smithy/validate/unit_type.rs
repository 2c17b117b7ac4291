//! `UnitType`: `smithy.api#Unit` may only be an operation's input or output or the target of a
//! union, enum or intEnum member.

use super::super::ast::ShapeType;
use super::neighbors::Relationship;
use super::Events;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let reverse = ev.reverse_relations().to_any(["smithy.api#Unit"]);
    for (source, kind) in reverse.get("smithy.api#Unit").into_iter().flatten() {
        match kind {
            Relationship::Input | Relationship::Output => {}
            Relationship::MemberTarget => {
                let Some((container, m)) = ev.members.member(source) else {
                    continue;
                };
                if !matches!(
                    container.shape_type,
                    ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
                ) {
                    ev.error(
                        "UnitType",
                        &m.target_location,
                        source,
                        "Only members of a union, enum, or intEnum can reference smithy.api#Unit"
                            .to_string(),
                    );
                }
            }
            other => {
                let Some(shape) = model.shapes.get(source) else {
                    continue;
                };
                ev.error(
                    "UnitType",
                    &shape.location,
                    source,
                    format!(
                        "This shape has an invalid {} reference to smithy.api#Unit",
                        other.name()
                    ),
                );
            }
        }
    }
}
