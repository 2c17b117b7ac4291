//! `ResourceCycle`: the resource hierarchy (a resource's `resources`) has no cycle.

use super::super::ast::ShapeType;
use super::super::model::Model;
use super::Events;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for resource in model.shapes.values() {
        if resource.shape_type != ShapeType::Resource {
            continue;
        }
        let mut visited = Vec::new();
        if let Some(repeated) = find_cycle(model, &resource.id, &mut visited) {
            let Some(shape) = model.shapes.get(&repeated) else {
                continue;
            };
            ev.error(
                "ResourceCycle",
                &shape.location,
                &shape.id,
                format!(
                    "Circular resource hierarchy found: {} -> {}",
                    visited.join(" -> "),
                    shape.id
                ),
            );
        }
    }
}

/// Depth-first over child resources; like the reference, every resource reached stays in
/// `visited`, which becomes the reported chain.
fn find_cycle(model: &Model, id: &str, visited: &mut Vec<String>) -> Option<String> {
    if visited.iter().any(|v| v == id) {
        return Some(id.to_string());
    }
    visited.push(id.to_string());
    let shape = model.shapes.get(id)?;
    for child in &shape.relations.resources {
        if model.shape_type(&child.target) == Some(ShapeType::Resource) {
            if let Some(found) = find_cycle(model, &child.target, visited) {
                return Some(found);
            }
        }
    }
    None
}
