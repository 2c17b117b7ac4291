//! Operations and resources bound to or unbound from services and resources
//! (`AddedEntityBinding`, `RemovedEntityBinding`).

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatModel, FlatShape, Kind};
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use std::collections::BTreeSet;

const ENTITIES: [Kind; 2] = [
    Kind::Shape(ShapeType::Service),
    Kind::Shape(ShapeType::Resource),
];

fn name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

/// `Service`/`Resource` for IDs, `service`/`resource` for messages.
fn parent_names(parent: &FlatShape) -> (&'static str, &'static str) {
    if parent.kind == Kind::Shape(ShapeType::Resource) {
        ("Resource", "resource")
    } else {
        ("Service", "service")
    }
}

pub fn added(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&ENTITIES) {
        let (old, new) = (&change.old.bindings, &change.new.bindings);
        let (parent_id, parent_type) = parent_names(change.new);
        for (child_type, added) in [
            ("Operation", new.operations.difference(&old.operations)),
            ("Resource", new.resources.difference(&old.resources)),
        ] {
            for child in added {
                let id = format!("Added{child_type}Binding.To{parent_id}.{}", name(child));
                let message = format!(
                    "{child_type} binding of `{child}` was added to the {parent_type} shape, `{}`",
                    change.new.id
                );
                out.push(DiffEvent::new(id, Severity::Note, &change.new.id, message));
            }
        }
    }
}

pub fn removed(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&ENTITIES) {
        let (old, new) = (&change.old.bindings, &change.new.bindings);
        let (parent_id, parent_type) = parent_names(change.new);
        let is_service = change.new.kind == Kind::Shape(ShapeType::Service);
        let closure = if is_service {
            contained_operations(d.new, change.new)
        } else {
            BTreeSet::new()
        };
        for operation in old.operations.difference(&new.operations) {
            if closure.contains(operation.as_str()) {
                let message = format!(
                    "Operation binding of `{operation}` was removed from service shape, `{}`, but the operation remains in the service closure through a resource",
                    change.new.id
                );
                let id = format!("RemovedOperationBinding.FromService.{}", name(operation));
                out.push(DiffEvent::new(id, Severity::Note, &change.new.id, message));
            } else {
                out.push(removed_event(
                    "Operation",
                    parent_id,
                    parent_type,
                    change.new,
                    operation,
                ));
            }
        }
        for resource in old.resources.difference(&new.resources) {
            out.push(removed_event(
                "Resource",
                parent_id,
                parent_type,
                change.new,
                resource,
            ));
        }
    }
}

fn removed_event(
    child_type: &str,
    parent_id: &str,
    parent_type: &str,
    parent: &FlatShape,
    child: &str,
) -> DiffEvent {
    let id = format!("Removed{child_type}Binding.From{parent_id}.{}", name(child));
    let message = format!(
        "{child_type} binding of `{child}` was removed from {parent_type} shape, `{}`",
        parent.id
    );
    DiffEvent::new(id, Severity::Error, &parent.id, message)
}

/// Every operation of a service's closure: its own and those of its resources, recursively.
fn contained_operations<'a>(model: &'a FlatModel, service: &'a FlatShape) -> BTreeSet<&'a str> {
    let mut operations = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![service];
    while let Some(entity) = stack.pop() {
        if !seen.insert(entity.id.as_str()) {
            continue;
        }
        operations.extend(entity.bindings.all_operations.iter().map(String::as_str));
        stack.extend(
            entity
                .bindings
                .resources
                .iter()
                .filter_map(|r| model.shapes.get(r)),
        );
    }
    operations
}
