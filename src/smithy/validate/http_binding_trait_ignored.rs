//! `HttpBindingTraitIgnored.Input` / `.Output` / `.TopLevel` (WARNING): an HTTP binding trait
//! on a member of a structure that is also used where the binding means nothing: `@httpLabel`,
//! `@httpQuery` and `@httpQueryParams` count only in an operation's input, `@httpResponseCode`
//! only in its output, the others only at the top level of an input, output or error. The
//! message lists the other uses by relationship ("ignored in all contexts" when every kind of
//! use ignores it). Members of mixins are reported where they are mixed in.

use super::neighbors::Relationship;
use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::{MemberIndex, Shape};
use crate::smithy::selector::index::Kind;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const ONLY_IN_INPUT: [&str; 3] = [
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
];
const ONLY_IN_OUTPUT: [&str; 1] = ["smithy.api#httpResponseCode"];
const BINDINGS: [&str; 7] = [
    "smithy.api#httpHeader",
    "smithy.api#httpLabel",
    "smithy.api#httpPayload",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpResponseCode",
];

/// The reference's relationship types in their declared order, which its messages follow.
const RELATIONSHIP_ORDER: [&str; 19] = [
    "RESOURCE",
    "OPERATION",
    "COLLECTION_OPERATION",
    "INSTANCE_OPERATION",
    "BOUND",
    "PUT",
    "CREATE",
    "READ",
    "UPDATE",
    "DELETE",
    "LIST",
    "IDENTIFIER",
    "PROPERTY",
    "MEMBER_CONTAINER",
    "MEMBER_TARGET",
    "INPUT",
    "OUTPUT",
    "ERROR",
    "MIXIN",
];

/// The uses of a shape, grouped by kind in the reference's order: `{member target: [a, b],
/// output: [c]}` (IDs sorted within a kind).
pub(super) fn describe_uses(uses: &[(String, Relationship)]) -> String {
    let mut by_kind: BTreeMap<usize, (&str, BTreeSet<&str>)> = BTreeMap::new();
    for (source, kind) in uses {
        let name = kind.name();
        let rank = RELATIONSHIP_ORDER
            .iter()
            .position(|n| *n == name)
            .unwrap_or(RELATIONSHIP_ORDER.len());
        by_kind
            .entry(rank)
            .or_insert_with(|| (name, BTreeSet::new()))
            .1
            .insert(source);
    }
    let parts: Vec<String> = by_kind
        .values()
        .map(|(name, sources)| {
            let ids: Vec<&str> = sources.iter().copied().collect();
            format!(
                "{}: [{}]",
                name.to_lowercase().replace('_', " "),
                ids.join(", ")
            )
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// The members with one of `traits` (applied or inherited) of structures that are not mixins,
/// with their containers, and every use of those containers.
pub(super) type MembersAndUses<'m> = (
    Vec<(String, &'m Shape, Vec<&'static str>)>,
    rustc_hash::FxHashMap<String, Vec<(String, Relationship)>>,
);

pub(super) fn members_with_traits<'m>(
    ev: &Events<'m>,
    traits: &[&'static str],
) -> MembersAndUses<'m> {
    let model = ev.model;
    let index = ev.selector_index();
    let mut members: BTreeMap<String, (&'m Shape, Vec<&'static str>)> = BTreeMap::new();
    for trait_id in traits {
        for &n in index.with_trait(trait_id) {
            let node = index.node(n);
            let Some(container) = node.shape.filter(|_| node.kind == Kind::Member) else {
                continue;
            };
            if container.shape_type != ShapeType::Structure
                || model.has_trait(container, "smithy.api#mixin")
            {
                continue;
            }
            members
                .entry(node.id().into_owned())
                .or_insert_with(|| (container, Vec::new()))
                .1
                .push(trait_id);
        }
    }
    let containers: HashSet<&str> = members.values().map(|(c, _)| c.id.as_str()).collect();
    let uses = ev.reverse_relations().to_any(containers.iter().copied());
    let members = members
        .into_iter()
        .map(|(id, (container, traits))| (id, container, traits))
        .collect();
    (members, uses)
}

/// Whether a member of `container` comes from one of its mixins.
pub(super) fn is_mixed_in(members: &MemberIndex, container: &Shape, name: &str) -> bool {
    container.mixins.iter().any(|m| {
        members
            .model
            .shapes
            .get(&m.target)
            .is_some_and(|mixin| members.members(mixin).iter().any(|x| x.name == name))
    })
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let (members, uses) = members_with_traits(ev, &BINDINGS);
    let mut found = Vec::new();
    for (member_id, container, mut traits) in members {
        traits.sort_unstable();
        let only_input: Vec<&str> = traits
            .iter()
            .copied()
            .filter(|t| ONLY_IN_INPUT.contains(t))
            .collect();
        let only_output: Vec<&str> = traits
            .iter()
            .copied()
            .filter(|t| ONLY_IN_OUTPUT.contains(t))
            .collect();
        let container_uses = uses.get(&container.id).map_or(&[][..], Vec::as_slice);
        let ignored: Vec<(String, Relationship)> = container_uses
            .iter()
            .filter(|(_, kind)| {
                if !only_input.is_empty() {
                    *kind != Relationship::Input
                } else if !only_output.is_empty() {
                    *kind != Relationship::Output
                } else {
                    !matches!(
                        kind,
                        Relationship::Input | Relationship::Output | Relationship::Error
                    )
                }
            })
            .cloned()
            .collect();
        if ignored.is_empty() {
            continue;
        }
        let (kind, trait_id) = if let Some(t) = only_input.first() {
            ("Input", *t)
        } else if let Some(t) = only_output.first() {
            ("Output", *t)
        } else {
            ("TopLevel", traits[0])
        };
        let kinds: HashSet<&str> = ignored.iter().map(|(_, k)| k.name()).collect();
        let extent = if kinds.len() == container_uses.len() {
            "ignored in all contexts.".to_string()
        } else {
            format!("ignored in some contexts: {}", describe_uses(&ignored))
        };
        let name = member_id.rsplit_once('$').map_or("", |(_, n)| n);
        let mixed = if is_mixed_in(ev.members, container, name) {
            " mixed in"
        } else {
            ""
        };
        let short = trait_id.trim_start_matches("smithy.api#");
        let at = trait_location(model, &member_id, trait_id);
        found.push((
            format!("HttpBindingTraitIgnored.{kind}"),
            at,
            member_id,
            format!("The `{short}` trait applied to this{mixed} member is {extent}"),
        ));
    }
    for (id, at, member, message) in found {
        ev.emit(&id, Severity::Warning, &at, &member, message);
    }
}
