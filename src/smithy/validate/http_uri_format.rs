//! `HttpUriFormat`: an `@http` URI is plain ASCII.

use super::shared::trait_at;
use super::Events;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        let Some(uri) = model
            .trait_value(shape, "smithy.api#http")
            .and_then(|h| h.get("uri"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if !uri.is_ascii() {
            let at = trait_at(&shape.traits, "smithy.api#http", &shape.location);
            ev.error(
                "HttpUriFormat",
                &at,
                &shape.id,
                format!("@http trait `uri` is invalid: {uri}"),
            );
        }
    }
}
