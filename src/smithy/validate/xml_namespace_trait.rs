//! `XmlNamespaceTrait`: the `uri` of `@xmlNamespace` is a syntactically valid URI (RFC 2396, as
//! `java.net.URI` reads it).

use super::shared::{describe, trait_at};
use super::Events;
use serde_json::Value;

/// Whether a URI parses: an optional scheme (a letter, then letters, digits, `+`, `-`, `.`)
/// before a colon, then a non-empty remainder of URI characters; a relative reference may not
/// start with a colon.
fn is_uri(uri: &str) -> bool {
    let allowed = |c: char| {
        c.is_ascii_alphanumeric() || "-_.!~*'();/?:@&=+$,#%[]".contains(c) || !c.is_ascii()
    };
    if uri.is_empty() || !uri.chars().all(allowed) {
        return uri.is_empty();
    }
    match uri.split_once(':') {
        Some((scheme, rest)) if !scheme.contains(['/', '?', '#']) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
        }
        _ => true,
    }
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        let Some(uri) = model
            .trait_value(shape, "smithy.api#xmlNamespace")
            .and_then(|x| x.get("uri"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if !is_uri(uri) {
            let at = trait_at(&shape.traits, "smithy.api#xmlNamespace", &shape.location);
            ev.error(
                "XmlNamespaceTrait",
                &at,
                &shape.id,
                format!(
                    "An `xmlNamespace` trait is applied to the {} shape with an invalid uri: {uri}",
                    describe(model, &shape.id)
                ),
            );
        }
    }
}
