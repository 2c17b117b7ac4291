//! `HttpBindingsMissing`: when a service's protocol requires `@http` (its protocol definition
//! lists `smithy.api#http` among its traits), every operation of the service has it (an error);
//! when only some operations have it, the others are warned about. A model without any `@http`
//! is not checked.

use super::shared::{protocol_supports, protocols, service_operations};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // As the reference: a model where no shape has `@http` is not checked at all, even when a
    // service's protocol requires it.
    const HTTP: &str = "smithy.api#http";
    if !ev.carriers(HTTP).any(|s| model.has_trait(s, HTTP)) {
        return;
    }
    for service in ev.shapes_of(ShapeType::Service) {
        let operations: Vec<_> = service_operations(model, service)
            .iter()
            .filter_map(|id| model.shapes.get(id))
            .filter(|s| s.shape_type == ShapeType::Operation)
            .collect();
        let protocol_with_bindings = protocols(model, service)
            .into_iter()
            .find(|(_, definition)| protocol_supports(definition, HTTP))
            .map(|(id, _)| id);
        let has_http = |op: &&crate::smithy::model::Shape| model.has_trait(op, HTTP);
        let (severity, reason) = match protocol_with_bindings {
            Some(protocol) => (
                Severity::Error,
                format!("The `{protocol}` protocol requires all"),
            ),
            None if operations.iter().any(has_http) => {
                (Severity::Warning, "One or more".to_string())
            }
            None => continue,
        };
        for op in operations.iter().filter(|op| !has_http(op)) {
            ev.emit("HttpBindingsMissing", severity, &op.location, &op.id, format!(
                "{reason} operations in the `{}` service define the `http` trait, but this operation is missing the `http` trait.",
                service.id
            ));
        }
    }
}
