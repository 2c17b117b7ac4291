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

fn is_private(model: &Model, id: &str) -> bool {
    model
        .shapes
        .get(id)
        .is_some_and(|s| model.has_trait(s, "smithy.api#private"))
}

/// Every relationship of a shape to another shape, named as the reference names it.
fn relationships(shape: &Shape) -> Vec<(String, &str, &Reference)> {
    let r = &shape.relations;
    let mut out: Vec<(String, &str, &Reference)> = Vec::new();
    for (name, x) in [("input", &r.input), ("output", &r.output)] {
        if let Some(x) = x {
            out.push((shape.id.clone(), name, x));
        }
    }
    let lists: [(&str, &Vec<Reference>); 4] = [
        ("error", &r.errors),
        ("operation", &r.operations),
        ("resource", &r.resources),
        ("collection_operation", &r.collection_operations),
    ];
    for (name, list) in lists {
        out.extend(list.iter().map(|x| (shape.id.clone(), name, x)));
    }
    for (name, x) in &r.lifecycle {
        out.push((shape.id.clone(), name.as_str(), x));
    }
    out.extend(
        r.identifiers
            .iter()
            .map(|(_, x)| (shape.id.clone(), "identifier", x)),
    );
    out.extend(
        r.properties
            .iter()
            .map(|(_, x)| (shape.id.clone(), "property", x)),
    );
    out.extend(shape.mixins.iter().map(|x| (shape.id.clone(), "mixin", x)));
    out
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        let ns = namespace(&shape.id);
        for (from, kind, x) in relationships(shape) {
            if namespace(&x.target) != ns && is_private(model, &x.target) {
                ev.error("PrivateAccess", &x.location, &from, format!(
                    "This shape has an invalid {kind} relationship that targets a private shape, `{}`, in another namespace.",
                    x.target
                ));
            }
        }
        for m in &shape.members {
            if namespace(&m.target) != ns && is_private(model, &m.target) {
                ev.error("PrivateAccess", &m.target_location, &shape.member_id(&m.name), format!(
                    "This shape has an invalid member_target relationship that targets a private shape, `{}`, in another namespace.",
                    m.target
                ));
            }
        }
        for (owner, traits) in Owner::all_of(shape) {
            for (trait_id, tv) in traits {
                if namespace(trait_id) != ns && is_private(model, trait_id) {
                    ev.emit("PrivateAccess", Severity::Warning, &tv.location, &owner.id(), format!(
                        "This shape has an invalid trait relationship that targets a private shape, `{trait_id}`, in another namespace."
                    ));
                }
            }
        }
    }
}
