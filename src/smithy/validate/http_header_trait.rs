//! `HttpHeaderTrait`: `@httpHeader` names are valid header field names (RFC 9110 tokens), not
//! restricted headers (DANGER), and not bound twice in one structure (case-insensitively).

use super::shared::ticked;
use super::Events;
use std::collections::BTreeMap;

/// Headers a service may not bind: they belong to the HTTP layer.
const BLOCKED: &[&str] = &[
    "authorization",
    "connection",
    "content-length",
    "expect",
    "host",
    "max-forwards",
    "proxy-authenticate",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "www-authenticate",
    "x-forwarded-for",
];

/// An RFC 9110 `tchar`.
pub(super) fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in ev.carriers("smithy.api#httpHeader") {
        let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for m in model.members_of(shape) {
            let Some(tv) = m.traits.get("smithy.api#httpHeader") else {
                continue;
            };
            let Some(header) = tv.value.as_str() else {
                continue;
            };
            by_name
                .entry(header.to_lowercase())
                .or_default()
                .push(&m.name);
            let member_id = shape.member_id(&m.name);
            if BLOCKED.contains(&header.to_lowercase().as_str()) {
                ev.danger(
                    "HttpHeaderTrait",
                    &tv.location,
                    &member_id,
                    format!("`{header}` is not an allowed HTTP header binding"),
                );
            } else if !header.chars().all(is_tchar) {
                ev.danger("HttpHeaderTrait", &tv.location, &member_id, format!(
                    "`{header}` is not a valid HTTP header field name according to section 5.6.2 of RFC 9110"
                ));
            }
        }
        if shape.shape_type != crate::smithy::ast::ShapeType::Structure {
            continue;
        }
        for (header, members) in by_name.iter().filter(|(_, m)| m.len() > 1) {
            ev.error("HttpHeaderTrait", &shape.location, &shape.id, format!(
                "`httpHeader` field name binding conflicts found for the `{header}` header in the following structure members: {}",
                ticked(members)
            ));
        }
    }
}
