//! `CorsTrait`: `origin` and `origins` (a map of named origins) of `@cors` are not both given.

use super::shared::trait_at;
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in ev.shapes_of(ShapeType::Service) {
        let Some(cors) = model.trait_value(service, "smithy.api#cors") else {
            continue;
        };
        let origins = cors
            .get("origins")
            .and_then(Value::as_object)
            .is_some_and(|o| !o.is_empty());
        if cors.get("origin").is_some() && origins {
            let at = trait_at(&service.traits, "smithy.api#cors", &service.location);
            ev.error(
                "CorsTrait",
                &at,
                &service.id,
                "The `origin` and `origins` members of the `cors` trait are mutually exclusive."
                    .to_string(),
            );
        }
    }
}
