//! `HttpApiKeyAuthTrait`: an `@httpApiKeyAuth` with a `scheme` sends the key in a header.

use super::shared::trait_at;
use super::Events;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in ev.shapes_of(ShapeType::Service) {
        let Some(value) = model.trait_value(service, "smithy.api#httpApiKeyAuth") else {
            continue;
        };
        let location = value.get("in").and_then(Value::as_str).unwrap_or("");
        if value.get("scheme").is_some() && location != "header" {
            let at = trait_at(
                &service.traits,
                "smithy.api#httpApiKeyAuth",
                &service.location,
            );
            ev.error("HttpApiKeyAuthTrait", &at, &service.id, format!(
                "The httpApiKeyAuth trait must have an `in` value of `header` when a `scheme` is provided, found: {location}"
            ));
        }
    }
}
