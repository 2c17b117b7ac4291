//! `NoInlineDocumentSupport`: a service whose protocol is defined with
//! `noInlineDocumentSupport` has no document shape in its closure.

use super::shared::{closure, protocols, shapes_of, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in shapes_of(model, ShapeType::Service) {
        let no_documents: Vec<&str> = protocols(model, service)
            .into_iter()
            .filter(|(_, d)| {
                d.get("noInlineDocumentSupport").and_then(Value::as_bool) == Some(true)
            })
            .map(|(id, _)| id)
            .collect();
        if no_documents.is_empty() {
            continue;
        }
        let documents: Vec<String> = closure(model, service)
            .into_iter()
            .filter_map(|id| model.shapes.get(id))
            .filter(|s| s.shape_type == ShapeType::Document)
            .map(|s| {
                format!(
                    "{} @ {} [{}, {}]",
                    s.id, s.location.path, s.location.span.line, s.location.span.column
                )
            })
            .collect();
        if documents.is_empty() {
            continue;
        }
        for protocol in no_documents {
            let at = trait_at(&service.traits, protocol, &service.location);
            ev.error("NoInlineDocumentSupport", &at, &service.id, format!(
                "This service uses the `{protocol}` protocol which does not support inline document types, but the following document types were found in the closure of the service: [{}]",
                documents.join(", ")
            ));
        }
    }
}
