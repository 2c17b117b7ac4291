//! New structure members that are `@required` without a `@default` (`AddedRequiredMember`).

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::Kind;
use crate::smithy::diff::{DiffEvent, Differences, Severity};

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&[Kind::Shape(ShapeType::Structure)]) {
        for member in d.new.members(change.new) {
            let name = member.member_name().unwrap_or_default();
            let is_new = !change.old.members.iter().any(|m| m == name);
            if is_new
                && member.has_trait("smithy.api#required")
                && !member.has_trait("smithy.api#default")
                // A @clientOptional member is optional to clients whatever it becomes.
                && !member.has_trait("smithy.api#clientOptional")
            {
                out.push(DiffEvent::new(
                    "AddedRequiredMember",
                    Severity::Error,
                    &member.id,
                    "Adding a new member with the `required` trait but not the `default` trait is backwards-incompatible.".to_string(),
                ));
            }
        }
    }
}
