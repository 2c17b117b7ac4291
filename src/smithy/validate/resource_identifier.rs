//! `ResourceIdentifier`: an identifier is not also a property, and a child resource repeats
//! every identifier of its parent with the same target.

use super::super::ast::ShapeType;
use super::Events;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for resource in model.shapes.values() {
        if resource.shape_type != ShapeType::Resource {
            continue;
        }
        let r = &resource.relations;
        for (identifier, _) in &r.identifiers {
            let lower = identifier.to_lowercase();
            if r.properties.iter().any(|(p, _)| p.to_lowercase() == lower) {
                ev.error(
                    "ResourceIdentifier",
                    &resource.location,
                    &resource.id,
                    format!(
                        "Resource identifier `{identifier}` cannot also be a resource property"
                    ),
                );
            }
        }
        for child_ref in &r.resources {
            let Some(child) = model
                .shapes
                .get(&child_ref.target)
                .filter(|s| s.shape_type == ShapeType::Resource)
            else {
                continue;
            };
            let child_target = |name: &str| {
                child
                    .relations
                    .identifiers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, x)| x.target.as_str())
            };
            let mut missing: Vec<&str> = r
                .identifiers
                .iter()
                .filter(|(n, _)| child_target(n).is_none())
                .map(|(n, _)| n.as_str())
                .collect();
            missing.sort_unstable();
            if !missing.is_empty() {
                ev.error("ResourceIdentifier", &child.location, &child.id, format!(
                    "This resource is bound as a child of `{0}`, but it is invalid because its `identifiers` property is missing the following identifiers that are defined in `{0}`: [{1}]",
                    resource.id,
                    missing.join(", ")
                ));
            }
            let mut mismatched: Vec<String> = r
                .identifiers
                .iter()
                .filter_map(|(n, x)| {
                    let found = child_target(n)?;
                    (found != x.target).then(|| {
                        format!(
                        "expected the `{n}` member to target `{}`, but found a target of `{found}`",
                        x.target
                    )
                    })
                })
                .collect();
            mismatched.sort();
            if !mismatched.is_empty() {
                ev.error("ResourceIdentifier", &child.location, &child.id, format!(
                    "The `identifiers` property of this resource is incompatible with its binding to `{}`: {}",
                    resource.id,
                    mismatched.join("; ")
                ));
            }
        }
    }
}
