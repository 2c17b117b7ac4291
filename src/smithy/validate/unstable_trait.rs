//! `UnstableTrait.<trait>` (WARNING): a shape or member applies a trait marked `@unstable`
//! (custom traits, and the prelude's `@longPoll` and `@httpChecksumRequired`).

use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    let mut found = Vec::new();
    for &definition in index.with_trait("smithy.api#unstable") {
        let trait_id = index.node(definition).id();
        for &applied in index.with_trait(&trait_id) {
            let node = index.node(applied);
            if !node.prelude {
                found.push((node.id().into_owned(), trait_id.clone()));
            }
        }
    }
    for (shape, trait_id) in found {
        let at = trait_location(model, &shape, &trait_id);
        ev.emit(
            &format!("UnstableTrait.{trait_id}"),
            Severity::Warning,
            &at,
            &shape,
            format!("This shape applies a trait that is unstable: {trait_id}"),
        );
    }
}
