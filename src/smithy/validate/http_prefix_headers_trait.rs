//! `HttpPrefixHeadersTrait`: no `@httpHeader` of a structure starts (case-insensitively) with
//! the prefix of its `@httpPrefixHeaders` member; an empty prefix only earns a note.

use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let structures = ev.carriers("smithy.api#httpPrefixHeaders");
    for structure in structures.filter(|s| s.shape_type == ShapeType::Structure) {
        let members = model.members_of(structure);
        for prefixed in &members {
            let Some(prefix) = prefixed
                .traits
                .get("smithy.api#httpPrefixHeaders")
                .and_then(|t| t.value.as_str())
            else {
                continue;
            };
            let prefix = prefix.to_lowercase();
            let prefixed_id = format!("{}${}", structure.id, prefixed.name);
            let (severity, detail) = if prefix.is_empty() {
                (Severity::Note, format!(
                    "The service will not be able to disambiguate between header parameters intended for the `{prefixed_id}` member and those explicitly bound to the `httpHeader` members."
                ))
            } else {
                (Severity::Error, "`httpHeader` bindings must not case-insensitively start with any `httpPrefixHeaders` bindings.".to_string())
            };
            for other in &members {
                let Some(tv) = other.traits.get("smithy.api#httpHeader") else {
                    continue;
                };
                let Some(header) = tv.value.as_str().map(str::to_lowercase) else {
                    continue;
                };
                if header.starts_with(&prefix) {
                    ev.emit(
                        "HttpPrefixHeadersTrait",
                        severity,
                        &tv.location,
                        &format!("{}${}", structure.id, other.name),
                        format!("`httpHeader` binding of `{header}` conflicts with the `httpPrefixHeaders` binding of `{prefixed_id}` to `{prefix}`. {detail}"),
                    );
                }
            }
        }
    }
}
