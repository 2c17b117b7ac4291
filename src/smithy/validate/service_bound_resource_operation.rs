//! `ServiceBoundResourceOperation.<service>.<operation>` (WARNING): an operation bound directly
//! to a service whose input or output has a `@required` member named and typed like an
//! identifier of one of the service's resources: it may belong to that resource instead.

use super::shared::{io_shape, service_resources, ticked};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use std::collections::BTreeSet;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut found = Vec::new();
    for service in ev.shapes_of(ShapeType::Service) {
        let resources = service_resources(model, service);
        if resources.is_empty() {
            continue;
        }
        let operations: BTreeSet<&str> = service
            .relations
            .operations
            .iter()
            .map(|o| o.target.as_str())
            .collect();
        for op in operations.into_iter().filter_map(|id| model.shapes.get(id)) {
            let members: Vec<_> = [true, false]
                .into_iter()
                .filter_map(|input| io_shape(model, op, input))
                .flat_map(|io| ev.members.members(io))
                .filter(|m| m.traits.contains_key("smithy.api#required"))
                .collect();
            let better: Vec<&str> = resources
                .iter()
                .filter(|resource| {
                    members.iter().any(|m| {
                        resource
                            .relations
                            .identifiers
                            .iter()
                            .any(|(name, target)| *name == m.name && target.target == m.target)
                    })
                })
                .map(|resource| resource.id.as_str())
                .collect();
            if !better.is_empty() {
                found.push((service, op, ticked(better)));
            }
        }
    }
    for (service, op, resources) in found {
        let name = op.id.rsplit_once('#').map_or(op.id.as_str(), |(_, n)| n);
        let id = format!("ServiceBoundResourceOperation.{}.{name}", service.id);
        ev.emit(&id, Severity::Warning, &service.location, &op.id, format!(
            "The `{}` operation is bound to the `{}` service but has members that match identifiers of the following resource shapes: [{resources}]. It may be more accurately bound to one of them than directly to the service.",
            op.id, service.id
        ));
    }
}
