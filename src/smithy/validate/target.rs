//! `Target`: members, mixins and relationships target shapes that exist and are of the right
//! type.

use super::shared::{article, describe, has_trait};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;

pub(super) fn check(ev: &mut Events) {
    for shape in ev.model.shapes.values() {
        check_shape(ev, shape);
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// `. Did you mean a, b?`: the shapes of the same namespace whose names are closest to the
/// unresolved one (within two edits).
fn suggestions(model: &Model, missing: &str) -> String {
    let Some((ns, name)) = missing.split_once('#') else {
        return String::new();
    };
    let mut best: Vec<&str> = Vec::new();
    let mut best_distance = 3;
    for id in model.shapes.keys() {
        let Some((other_ns, other)) = id.split_once('#') else {
            continue;
        };
        if other_ns != ns {
            continue;
        }
        let d = edit_distance(&name.to_lowercase(), &other.to_lowercase());
        if d < best_distance {
            best_distance = d;
            best.clear();
        }
        if d == best_distance {
            best.push(id);
        }
    }
    if best.is_empty() {
        String::new()
    } else {
        format!(". Did you mean {}?", best.join(", "))
    }
}

/// What a relationship may not target: a trait definition or a mixin can only be applied,
/// never referred to.
#[derive(Clone, Copy)]
pub(super) enum NoTarget {
    TraitDefinition,
    Mixin,
}

impl NoTarget {
    pub(super) fn of(model: &Model, id: &str) -> Option<NoTarget> {
        if has_trait(model, id, "smithy.api#trait") {
            Some(NoTarget::TraitDefinition)
        } else if model
            .shapes
            .get(id)
            .is_some_and(|s| s.traits.contains_key("smithy.api#mixin"))
        {
            Some(NoTarget::Mixin)
        } else {
            None
        }
    }

    /// The reference's message for a `relationship` (`MEMBER_TARGET`, `INPUT`, ...) to `id`.
    fn message(self, relationship: &str, id: &str) -> String {
        match self {
            NoTarget::TraitDefinition => format!(
                "Found a {relationship} reference to trait definition `{id}`. Trait definitions cannot be targeted by members or referenced by shapes in any other context other than applying them as traits."
            ),
            NoTarget::Mixin => format!(
                "Illegal {relationship} reference to mixin `{id}`; shapes marked with the mixin trait can only be referenced to apply them as a mixin."
            ),
        }
    }
}

/// The reference's id for a target that names no shape (a refinement of `Target`).
const UNRESOLVED: &str = "Target.UnresolvedShape";

fn check_shape(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    // A trait definition or mixin target is reported as such and nothing more.
    let no_target = |id: &str| NoTarget::of(model, id).is_some();
    // Members inherited from mixins included: the reference checks each member of a shape with
    // mixins, the inherited ones too, as a member of that shape.
    let members = ev.members;
    for m in members.each_member(shape) {
        if m.target.is_empty() || matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum) {
            continue;
        }
        // Written only when reported: most members are fine.
        let member_id = || shape.member_id(&m.name);
        let at = &m.target_location;
        if m.target.contains('$') {
            ev.error(
                "Target",
                at,
                &member_id(),
                format!(
                    "Members cannot target member shapes, but found {}",
                    describe(model, &m.target)
                ),
            );
            continue;
        }
        let Some(t) = model.shape_type(&m.target) else {
            ev.error(
                UNRESOLVED,
                at,
                &member_id(),
                format!(
                    "member shape targets an unresolved shape `{}`{}",
                    m.target,
                    suggestions(model, &m.target)
                ),
            );
            continue;
        };
        if matches!(
            t,
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation
        ) {
            ev.error(
                "Target",
                at,
                &member_id(),
                format!(
                    "Members cannot target {} shapes, but found {}",
                    t.as_str(),
                    describe(model, &m.target)
                ),
            );
        } else if let Some(no_target) = NoTarget::of(model, &m.target) {
            let message = no_target.message("MEMBER_TARGET", &m.target);
            ev.error("Target", at, &member_id(), message);
        } else if shape.shape_type == ShapeType::Map
            && m.name == "key"
            && !matches!(t, ShapeType::String | ShapeType::Enum)
        {
            ev.error(
                "Target",
                &shape.location,
                &shape.id,
                format!(
                    "Map key member targets {}, but is expected to target a string",
                    describe(model, &m.target)
                ),
            );
        }
    }
    for mixin in &shape.mixins {
        if let Some(m) = model.shapes.get(&mixin.target) {
            if !m.traits.contains_key("smithy.api#mixin") {
                ev.error(
                    "Target",
                    &mixin.location,
                    &shape.id,
                    format!(
                        "Attempted to use {} as a mixin, but it is not marked with the mixin trait",
                        mixin.target
                    ),
                );
            }
        }
    }
    let r = &shape.relations;
    let kind = shape.shape_type.as_str();
    let check = |ev: &mut Events, rel: &str, reference: &Reference, expected: &[ShapeType]| {
        match model.shape_type(&reference.target) {
            None => ev.error(
                UNRESOLVED,
                &reference.location,
                &shape.id,
                format!(
                    "{kind} shape has {} `{rel}` relationship to an unresolved shape `{}`{}",
                    article(rel),
                    reference.target,
                    suggestions(model, &reference.target)
                ),
            ),
            // As for members, and before the type: trait definitions and mixins are no targets.
            Some(_) if no_target(&reference.target) => {
                if let Some(no_target) = NoTarget::of(model, &reference.target) {
                    let message = no_target.message(&rel.to_uppercase(), &reference.target);
                    ev.error("Target", &reference.location, &shape.id, message);
                }
            }
            Some(t) if !expected.contains(&t) => {
                let want = expected[0].as_str();
                let message = if rel == "property" {
                    format!(
                        "Members cannot target {} shapes, but found {}",
                        t.as_str(),
                        describe(model, &reference.target)
                    )
                } else if LIFECYCLE.contains(&rel) {
                    format!(
                        "Resource {rel} lifecycle operation must target an operation, but found {}",
                        describe(model, &reference.target)
                    )
                } else {
                    format!(
                        "{kind} shape `{rel}` relationships must target a {want} shape, but found {}",
                        describe(model, &reference.target)
                    )
                };
                ev.error("Target", &reference.location, &shape.id, message);
            }
            Some(_) => {}
        }
    };
    const STRUCT: &[ShapeType] = &[ShapeType::Structure];
    const OP: &[ShapeType] = &[ShapeType::Operation];
    const RES: &[ShapeType] = &[ShapeType::Resource];
    const STR: &[ShapeType] = &[ShapeType::String, ShapeType::Enum];
    // What a member may target: anything but a service, resource or operation, the last three
    // of `ShapeType::ALL`.
    const PROPERTY: &[ShapeType] = ShapeType::ALL.split_at(ShapeType::ALL.len() - 3).0;
    match shape.shape_type {
        ShapeType::Operation => {
            for (rel, io) in [("input", &r.input), ("output", &r.output)] {
                let Some(io) = io else { continue };
                check(ev, rel, io, STRUCT);
                if !no_target(&io.target) && has_trait(model, &io.target, "smithy.api#error") {
                    let which = if rel == "input" { "input" } else { "output" };
                    ev.error("Target", &io.location, &shape.id, format!(
                        "Operation {which} targets an invalid structure `{}` that is marked with the `error` trait.",
                        io.target
                    ));
                }
            }
            for e in &r.errors {
                check(ev, "error", e, STRUCT);
                if model.shape_type(&e.target) == Some(ShapeType::Structure)
                    && !no_target(&e.target)
                    && !has_trait(model, &e.target, "smithy.api#error")
                {
                    ev.error("Target", &e.location, &shape.id, format!(
                        "`{}` cannot be bound as an error because it is not marked with the `error` trait.",
                        e.target
                    ));
                }
            }
        }
        ShapeType::Service | ShapeType::Resource => {
            for o in &r.operations {
                check(ev, "operation", o, OP);
            }
            for x in &r.resources {
                check(ev, "resource", x, RES);
            }
            for e in &r.errors {
                check(ev, "error", e, STRUCT);
                if model.shape_type(&e.target) == Some(ShapeType::Structure)
                    && !no_target(&e.target)
                    && !has_trait(model, &e.target, "smithy.api#error")
                {
                    ev.error("Target", &e.location, &shape.id, format!(
                        "`{}` cannot be bound as an error because it is not marked with the `error` trait.",
                        e.target
                    ));
                }
            }
            for o in &r.collection_operations {
                check(ev, "collection_operation", o, OP);
            }
            for (_, x) in &r.identifiers {
                check(ev, "identifier", x, STR);
            }
            for (_, x) in &r.properties {
                check(ev, "property", x, PROPERTY);
            }
            for (rel, x) in &r.lifecycle {
                check(ev, rel, x, OP);
            }
        }
        _ => {}
    }
}
