//! `SingleOperationBinding`: an operation is bound only once in a service's closure (by the
//! service or by one of its resources).

use super::shared::{service_operations, service_resources};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;

fn binds(shape: &Shape, op: &str) -> bool {
    let r = &shape.relations;
    r.operations
        .iter()
        .chain(&r.collection_operations)
        .chain(r.lifecycle.iter().map(|(_, x)| x))
        .any(|x| x.target == op)
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in ev.shapes_of(ShapeType::Service) {
        let resources = service_resources(model, service);
        for op_id in service_operations(model, service) {
            let Some(op) = model.shapes.get(&op_id) else {
                continue;
            };
            let mut containers: Vec<String> = Vec::new();
            if service
                .relations
                .operations
                .iter()
                .any(|x| x.target == op_id)
            {
                containers.push(format!("(service: `{}`)", service.id));
            }
            for resource in resources.iter().filter(|r| binds(r, &op_id)) {
                containers.push(format!("(resource: `{}`)", resource.id));
            }
            containers.sort();
            containers.dedup();
            if containers.len() > 1 {
                ev.error("SingleOperationBinding", &op.location, &op.id, format!(
                    "An operation can appear only once in an entire service closure. This operation is illegally bound into the `{}` service closure from multiple shapes: {}",
                    service.id,
                    containers.join(", ")
                ));
            }
        }
    }
}
