//! `PrivateMixinMember` (WARNING): `@private` on a member of a mixin, which neither keeps the
//! member from shapes of other namespaces nor keeps traits from being added to it.

use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::selector::index::Kind;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    let mut found = Vec::new();
    for &n in index.with_trait("smithy.api#private") {
        let node = index.node(n);
        let in_mixin = node
            .shape
            .is_some_and(|container| model.has_trait(container, "smithy.api#mixin"));
        if node.kind == Kind::Member && in_mixin {
            found.push(node.id().into_owned());
        }
    }
    for member in found {
        let at = trait_location(model, &member, "smithy.api#private");
        ev.emit("PrivateMixinMember", Severity::Warning, &at, &member,
            "The `@private` trait does not prevent a mixin member from being inherited by shapes in other namespaces, nor does it prevent new traits from being added to the inherited member. Apply `@private` to the mixin shape or target shape instead if cross-namespace access should be restricted.".to_string());
    }
}
