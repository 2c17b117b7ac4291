//! `PatternTrait` (WARNING): a `@pattern` that is not anchored at both ends (`^…$`), so that
//! part of a string matching is enough.

use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    let mut found = Vec::new();
    for &n in index.with_trait("smithy.api#pattern") {
        let node = index.node(n);
        let pattern = node.traits().get("smithy.api#pattern");
        let Some(pattern) = pattern.and_then(|p| p.as_str()) else {
            continue;
        };
        let missing: Vec<&str> = [
            (!pattern.starts_with('^')).then_some("leading '^'"),
            (!pattern.ends_with('$')).then_some("trailing '$'"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !node.prelude && !missing.is_empty() {
            found.push((node.id().into_owned(), missing.join(" and ")));
        }
    }
    for (shape, missing) in found {
        let at = trait_location(model, &shape, "smithy.api#pattern");
        ev.emit("PatternTrait", Severity::Warning, &at, &shape, format!(
            "A pattern trait is applied without a {missing}, meaning only part of the string must match the regular expression. Explicitly anchoring regular expressions is preferable because it is more restrictive by default and does not require modelers to understand that Smithy patterns are not automatically anchored."
        ));
    }
}
