//! `HttpResponseCodeSemantics`: an `@http` code is in the 2xx range and an `@httpError` code in
//! the range of its `@error` kind (DANGER); 204 and 205 responses have no body (warning).

use super::shared::{http_bindings, io_shape, trait_at, HttpLocation};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in ev.shapes_of(ShapeType::Operation) {
        let Some(http) = model.trait_value(op, "smithy.api#http") else {
            continue;
        };
        let code = http.get("code").and_then(Value::as_i64).unwrap_or(200);
        let at = trait_at(&op.traits, "smithy.api#http", &op.location);
        if !(200..300).contains(&code) {
            ev.danger(
                "HttpResponseCodeSemantics",
                &at,
                &op.id,
                format!("Expected an `http` code in the 2xx range, but found {code}"),
            );
        } else if code == 204 || code == 205 {
            let has_body = http_bindings(model, io_shape(model, op, false), false)
                .iter()
                .any(|(_, l)| matches!(l, HttpLocation::Document | HttpLocation::Payload));
            if has_body {
                ev.emit("HttpResponseCodeSemantics", Severity::Warning, &op.location, &op.id, format!(
                    "The HTTP {code} status code does not allow a response body. To use this status code, all output members need to be bound to @httpHeader, @httpPrefixHeaders, @httpResponseCode, etc."
                ));
            }
        }
    }
    for error in ev.shapes_of(ShapeType::Structure) {
        let Some(kind) = model
            .trait_value(error, "smithy.api#error")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(code) = model
            .trait_value(error, "smithy.api#httpError")
            .and_then(Value::as_i64)
        else {
            continue;
        };
        let range = match kind {
            "client" if !(400..500).contains(&code) => "4xx",
            "server" if !(500..600).contains(&code) => "5xx",
            _ => continue,
        };
        let at = trait_at(&error.traits, "smithy.api#httpError", &error.location);
        ev.danger(
            "HttpResponseCodeSemantics",
            &at,
            &error.id,
            format!("Expected an `httpError` code in the {range} range for a `{kind}` error, but found {code}"),
        );
    }
}
