//! `SingleResourceBinding`: a resource is bound into a service's closure from one place only
//! (the service or one of the resources it contains).

use super::super::ast::ShapeType;
use super::shared::{service_resources, ticked};
use super::Events;
use std::collections::HashMap;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in ev.shapes_of(ShapeType::Service) {
        let contained = service_resources(model, service);
        // Resource ID → the shapes of the closure that bind it.
        let mut bound_from: HashMap<&str, Vec<&str>> = HashMap::new();
        for container in std::iter::once(service).chain(contained.iter().copied()) {
            for r in &container.relations.resources {
                let from = bound_from.entry(r.target.as_str()).or_default();
                if !from.contains(&container.id.as_str()) {
                    from.push(&container.id);
                }
            }
        }
        for resource in contained {
            let containers = bound_from
                .get(resource.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            if containers.len() > 1 {
                ev.error(
                    "SingleResourceBinding",
                    &resource.location,
                    &resource.id,
                    format!(
                        "A resource can appear only once in an entire service closure. This resource is illegally bound into the `{}` service closure from multiple shapes: [{}]",
                        service.id,
                        ticked(containers)
                    ),
                );
            }
        }
    }
}
