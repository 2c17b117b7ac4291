//! `XmlFlattenedTrait` (WARNING): an `@xmlFlattened` member without `@xmlName` of its own that
//! targets a list whose member has an `@xmlName` other than the member's name: flattened
//! elements take the member's name, so the list member's `@xmlName` has no effect.

use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::selector::index::Kind;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    let mut found = Vec::new();
    for &n in index.with_trait("smithy.api#xmlFlattened") {
        let node = index.node(n);
        if node.kind != Kind::Member || node.traits().contains_key("smithy.api#xmlName") {
            continue;
        }
        let (Some(name), Some(target)) = (node.member(), node.target()) else {
            continue;
        };
        let is_list = matches!(
            model.shape_type(target),
            Some(ShapeType::List | ShapeType::Set)
        );
        let list_member = format!("{target}$member");
        let Some(xml_name) = index
            .lookup(&list_member)
            .filter(|_| is_list)
            .and_then(|m| index.node(m).traits().get("smithy.api#xmlName"))
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        if xml_name != name {
            let id = node.id();
            let at = ev
                .members
                .member(&id)
                .map(|(_, m)| m.location.clone())
                .unwrap_or_default();
            found.push((id.into_owned(), at, format!(
                "Member is `@xmlFlattened`, so `@xmlName` of target's member (`{list_member}`) has no effect. The flattened list elements will have the name of this member - `{name}`. If this is unintended, you can add `@xmlName(\"{xml_name}\")` to this member."
            )));
        }
    }
    for (member, at, message) in found {
        ev.emit(
            "XmlFlattenedTrait",
            Severity::Warning,
            &at,
            &member,
            message,
        );
    }
}
