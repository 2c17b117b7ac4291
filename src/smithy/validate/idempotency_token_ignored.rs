//! `IdempotencyTokenIgnored` (WARNING): `@idempotencyToken` on a member of a structure that is
//! used other than as an operation's input, where the token has no effect. Members of mixins
//! are reported where they are mixed in.

use super::http_binding_trait_ignored::{describe_uses, members_with_traits};
use super::neighbors::Relationship;
use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;

const TOKEN: &str = "smithy.api#idempotencyToken";

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let (members, uses) = members_with_traits(ev, &[TOKEN]);
    let mut found = Vec::new();
    for (member_id, container, _) in members {
        let ignored: Vec<(String, Relationship)> = uses
            .get(&container.id)
            .into_iter()
            .flatten()
            .filter(|(_, kind)| *kind != Relationship::Input)
            .cloned()
            .collect();
        if !ignored.is_empty() {
            let at = trait_location(model, &member_id, TOKEN);
            found.push((member_id, at, describe_uses(&ignored)));
        }
    }
    for (member, at, uses) in found {
        ev.emit("IdempotencyTokenIgnored", Severity::Warning, &at, &member, format!(
            "The `idempotencyToken` trait only has an effect when applied to a top-level operation input member, but it was applied and ignored in the following contexts: {uses}"
        ));
    }
}
