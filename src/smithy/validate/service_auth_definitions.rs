//! `ServiceAuthDefinitions` (WARNING): a service with more than one auth scheme (traits whose
//! definition is an `@authDefinition`) and no `@auth` trait to order them.

use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;

pub(super) fn check(ev: &mut Events) {
    let index = ev.selector_index();
    let mut found = Vec::new();
    for n in 0..index.len() {
        let node = index.node(n);
        if node.kind != crate::smithy::selector::index::Kind::Shape(ShapeType::Service)
            || node.prelude
            || node.traits().contains_key("smithy.api#auth")
        {
            continue;
        }
        let schemes = node
            .traits()
            .keys()
            .filter_map(|t| index.lookup(t))
            .filter(|&t| {
                index
                    .node(t)
                    .traits()
                    .contains_key("smithy.api#authDefinition")
            })
            .count();
        if let (true, Some(service)) = (schemes > 1, node.shape) {
            found.push((service.id.clone(), service.location.clone()));
        }
    }
    for (service, at) in found {
        ev.emit("ServiceAuthDefinitions", Severity::Warning, &at, &service,
            "This service uses multiple authentication schemes but does not have the `@auth` trait applied. The `@auth` trait defines a priority ordering of auth schemes for a client to use. Without it, the ordering of auth schemes is alphabetical based on the absolute shape ID of the auth schemes.".to_string());
    }
}
