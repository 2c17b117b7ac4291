//! `PrivateAccess`: no shape refers to a `@private` shape of another namespace (an error), and
//! no shape applies a `@private` trait of another namespace (a warning, as the reference keeps
//! it for compatibility).

use super::shared::Owner;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::model::*;

fn namespace(id: &str) -> &str {
    id.split('#').next().unwrap_or("")
}

/// Every relationship of a shape to another shape, named as the reference names it.
fn relationships(shape: &Shape) -> Vec<(&str, &Reference)> {
    let r = &shape.relations;
    let mut out: Vec<(&str, &Reference)> = Vec::new();
    for (name, x) in [("input", &r.input), ("output", &r.output)] {
        if let Some(x) = x {
            out.push((name, x));
        }
    }
    let lists: [(&str, &Vec<Reference>); 4] = [
        ("error", &r.errors),
        ("operation", &r.operations),
        ("resource", &r.resources),
        ("collection_operation", &r.collection_operations),
    ];
    for (name, list) in lists {
        out.extend(list.iter().map(|x| (name, x)));
    }
    for (name, x) in &r.lifecycle {
        out.push((name.as_str(), x));
    }
    out.extend(r.identifiers.iter().map(|(_, x)| ("identifier", x)));
    out.extend(r.properties.iter().map(|(_, x)| ("property", x)));
    out.extend(shape.mixins.iter().map(|x| ("mixin", x)));
    out
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // The private shapes, found once among the trait's carriers. Nearly every reference
    // crosses a namespace (every prelude trait does), and this small set answers for each
    // instead of a look-up in the model and then in the shape's traits.
    let private = ev.shapes_having("smithy.api#private");
    if private.is_empty() {
        return;
    }
    let is_private = |id: &str| private.contains(id);
    for shape in model.shapes.values() {
        let ns = namespace(&shape.id);
        for (kind, x) in relationships(shape) {
            if namespace(&x.target) != ns && is_private(&x.target) {
                ev.error("PrivateAccess", &x.location, &shape.id, format!(
                    "This shape has an invalid {kind} relationship that targets a private shape, `{}`, in another namespace.",
                    x.target
                ));
            }
        }
        for m in &shape.members {
            if namespace(&m.target) != ns && is_private(&m.target) {
                ev.error("PrivateAccess", &m.target_location, &shape.member_id(&m.name), format!(
                    "This shape has an invalid member_target relationship that targets a private shape, `{}`, in another namespace.",
                    m.target
                ));
            }
        }
        for (owner, traits) in Owner::all_of(shape) {
            for (trait_id, tv) in traits {
                if namespace(trait_id) != ns && is_private(trait_id) {
                    ev.emit("PrivateAccess", Severity::Warning, &tv.location, &owner.id(), format!(
                        "This shape has an invalid trait relationship that targets a private shape, `{trait_id}`, in another namespace."
                    ));
                }
            }
        }
    }
}
