//! `ResourceLifecycle`: lifecycle operations carry the traits their role implies (`read` and
//! `list` readonly, `put` and `delete` idempotent, the others not readonly).

use super::super::ast::ShapeType;
use super::Events;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for resource in model.shapes.values() {
        if resource.shape_type != ShapeType::Resource {
            continue;
        }
        // The reference checks put, create, read, update, delete, list in that order.
        for name in ["put", "create", "read", "update", "delete", "list"] {
            let Some((_, reference)) = resource.relations.lifecycle.iter().find(|(n, _)| n == name)
            else {
                continue;
            };
            let Some(op) = model
                .shapes
                .get(&reference.target)
                .filter(|s| s.shape_type == ShapeType::Operation)
            else {
                continue;
            };
            let must_be_readonly = matches!(name, "read" | "list");
            if model.has_trait(op, "smithy.api#readonly") != must_be_readonly {
                let must = if must_be_readonly { "must" } else { "must not" };
                ev.error("ResourceLifecycle", &resource.location, &resource.id, format!(
                    "The `{name}` lifecycle operation of this resource targets an invalid operation, `{}`. The targeted operation {must} be marked with the readonly trait.",
                    op.id
                ));
            }
            if matches!(name, "put" | "delete") && !model.has_trait(op, "smithy.api#idempotent") {
                ev.error("ResourceLifecycle", &resource.location, &resource.id, format!(
                    "The `{name}` lifecycle operation of this resource targets an invalid operation, `{}`. The targeted operation must be marked as idempotent.",
                    op.id
                ));
            }
        }
    }
}
