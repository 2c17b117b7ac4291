//! `DefaultValueInUpdate` (WARNING): an update-style operation (a resource's `update`, or an
//! operation whose name starts with `update` or `patch`, in any case) whose input has members
//! with `@default`: the service cannot tell an omitted member from one set to its default.

use super::shared::io_shape;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use std::collections::BTreeSet;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut operations: BTreeSet<&str> = model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Resource)
        .flat_map(|r| r.relations.lifecycle.iter())
        .filter(|(name, _)| name == "update")
        .map(|(_, op)| op.target.as_str())
        .collect();
    for op in model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Operation)
    {
        let name = op
            .id
            .rsplit_once('#')
            .map_or(op.id.as_str(), |(_, n)| n)
            .to_lowercase();
        if name.starts_with("update") || name.starts_with("patch") {
            operations.insert(&op.id);
        }
    }
    let mut found = Vec::new();
    for id in operations {
        let Some(op) = model
            .shapes
            .get(id)
            .filter(|s| s.shape_type == ShapeType::Operation)
        else {
            continue;
        };
        let Some(input) =
            io_shape(model, op, true).filter(|s| s.shape_type == ShapeType::Structure)
        else {
            continue;
        };
        let defaulted: BTreeSet<&str> = ev
            .members
            .members(input)
            .into_iter()
            .filter(|m| m.traits.contains_key("smithy.api#default"))
            .map(|m| m.name.as_str())
            .collect();
        if !defaulted.is_empty() {
            let list: Vec<&str> = defaulted.into_iter().collect();
            found.push((op, list.join(", ")));
        }
    }
    for (op, members) in found {
        ev.emit("DefaultValueInUpdate", Severity::Warning, &op.location, &op.id, format!(
            "This update style operation has top-level input members marked with the @default trait. It will be impossible to tell if the member was omitted or explicitly provided. Affected members: [{members}]"
        ));
    }
}
