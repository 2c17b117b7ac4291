//! `NoInlineDocumentSupport`: a service whose protocol is defined with
//! `noInlineDocumentSupport` has no document shape in its closure.

use super::shared::{closure, protocols, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::Shape;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in ev.shapes_of(ShapeType::Service) {
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
        let mut documents: Vec<&Shape> = closure(ev.members, service)
            .into_iter()
            .filter(|s| s.shape_type == ShapeType::Document)
            .collect();
        // Listed in ID order, as the reference lists them.
        documents.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let documents: Vec<String> = documents
            .into_iter()
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
