//! `DeprecatedTrait` (WARNING): a shape or member applies a trait definition marked
//! `@deprecated`; the message adds the deprecation's own message. The prelude's `@enum` is left
//! to `ModelDeprecation`, as the reference does.

use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    let mut found = Vec::new();
    for &definition in index.with_trait("smithy.api#deprecated") {
        let node = index.node(definition);
        if node.prelude || !node.traits().contains_key("smithy.api#trait") {
            continue;
        }
        let trait_id = node.id();
        let mut described = trait_id.to_string();
        if let Some(message) = node
            .traits()
            .get("smithy.api#deprecated")
            .and_then(|d| d.get("message"))
            .and_then(Value::as_str)
        {
            described = format!("{described}, {message}");
        }
        for &applied in index.with_trait(&trait_id) {
            let shape = index.node(applied);
            if !shape.prelude {
                found.push((shape.id().into_owned(), trait_id.clone(), described.clone()));
            }
        }
    }
    for (shape, trait_id, described) in found {
        let at = trait_location(model, &shape, &trait_id);
        ev.emit(
            "DeprecatedTrait",
            Severity::Warning,
            &at,
            &shape,
            format!("This shape applies a trait that is deprecated: {described}"),
        );
    }
}
