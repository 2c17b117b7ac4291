//! `HttpMethodSemantics`: an `@http` method agrees with the operation's `@readonly` and
//! `@idempotent` traits (warnings), OPTIONS is not modelled (warning), and GET, HEAD, TRACE and
//! DELETE requests carry no payload (DANGER, `HttpMethodSemantics.UnexpectedPayload`).

use super::shared::{http_bindings, io_shape, ticked, trait_at, HttpLocation};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use serde_json::Value;

/// Per method: readonly, idempotent, request payload allowed (`None`: no expectation).
struct Semantics {
    readonly: Option<bool>,
    idempotent: Option<bool>,
    payload: Option<bool>,
}

fn semantics(method: &str) -> Option<Semantics> {
    let s = |readonly, idempotent, payload| Semantics {
        readonly,
        idempotent,
        payload,
    };
    Some(match method {
        "GET" | "HEAD" | "TRACE" => s(Some(true), Some(false), Some(false)),
        "OPTIONS" => s(Some(true), Some(false), Some(true)),
        "POST" | "PATCH" => s(Some(false), None, Some(true)),
        "DELETE" => s(Some(false), Some(true), Some(false)),
        "PUT" => s(Some(false), Some(true), Some(true)),
        _ => return None,
    })
}

const OPTIONS_WARNING: &str = "OPTIONS requests are typically used as part of CORS and should not be modeled explicitly. They are an implementation detail that should not appear in generated client or server code. Instead, tooling should use the `cors` trait on a service to automatically configure CORS on clients and servers. It is the responsibility of service frameworks and API gateways to automatically manage OPTIONS requests. For example, OPTIONS requests are automatically created when using Smithy models with Amazon API Gateway.";

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for op in ev.shapes_of(ShapeType::Operation) {
        let Some(given) = model
            .trait_value(op, "smithy.api#http")
            .and_then(|h| h.get("method"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let method = given.to_uppercase();
        let Some(expected) = semantics(&method) else {
            continue;
        };
        let at = trait_at(&op.traits, "smithy.api#http", &op.location);
        let warn = |ev: &mut Events, id: &str, message: String| {
            ev.emit(id, Severity::Warning, &at, &op.id, message);
        };
        if given != method {
            warn(ev, "HttpMethodSemantics", format!(
                "This operation uses the `{given}` method in the `http` trait, but expected `{method}`."
            ));
        }
        if method == "OPTIONS" {
            warn(
                ev,
                "HttpMethodSemantics.OPTIONS",
                OPTIONS_WARNING.to_string(),
            );
        }
        for (trait_name, want, unnecessary, missing) in [
            (
                "readonly",
                expected.readonly,
                "HttpMethodSemantics.UnnecessaryReadonlyTrait",
                "HttpMethodSemantics.MissingReadonlyTrait",
            ),
            (
                "idempotent",
                expected.idempotent,
                "HttpMethodSemantics.UnnecessaryIdempotentTrait",
                "HttpMethodSemantics.MissingIdempotentTrait",
            ),
        ] {
            let has = model.has_trait(op, &format!("smithy.api#{trait_name}"));
            if want.is_some_and(|w| w != has) {
                let (id, is) = if has {
                    (unnecessary, "is")
                } else {
                    (missing, "is not")
                };
                warn(ev, id, format!(
                    "This operation uses the `{method}` method in the `http` trait, but {is} marked with the {trait_name} trait"
                ));
            }
        }
        if expected.payload != Some(false) {
            continue;
        }
        let bindings = http_bindings(model, io_shape(model, op, true), true);
        let named = |l: HttpLocation| -> Vec<&str> {
            bindings
                .iter()
                .filter(|(_, at)| *at == l)
                .map(|(m, _)| m.name.as_str())
                .collect()
        };
        let payload = named(HttpLocation::Payload);
        let document = named(HttpLocation::Document);
        let message = if let Some(member) = payload.first() {
            format!("This operation uses the `{method}` method in the `http` trait, but the `{member}` member is sent as the payload of the request because it is marked with the `httpPayload` trait. Many HTTP clients do not support payloads with {method} requests. Consider binding this member to other parts of the HTTP request such as a query string parameter using the `httpQuery` trait, a header using the `httpHeader` trait, or a path segment using the `httpLabel` trait.")
        } else if !document.is_empty() {
            format!("This operation uses the `{method}` method in the `http` trait, but the following members are sent as part of the payload of the request: {}. These members are sent as part of the payload because they are not explicitly configured to be sent in headers, in the query string, or in a URI segment. Many HTTP clients do not support payloads with {method} requests. Consider binding these members to other parts of the HTTP request such as query string parameters using the `httpQuery` trait, headers using the `httpHeader` trait, or URI segments using the `httpLabel` trait.", ticked(document))
        } else {
            continue;
        };
        ev.danger(
            "HttpMethodSemantics.UnexpectedPayload",
            &at,
            &op.id,
            message,
        );
    }
}
