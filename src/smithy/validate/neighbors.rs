//! The directed relationships between shapes the reference's neighbour provider follows
//! (members, member targets, mixins, service, resource and operation bindings; not traits),
//! and walks over them: the closure of a service or of a set of root shapes.

use super::super::ast::ShapeType;
use super::super::model::{Member, MemberIndex, Reference, Shape};
use super::super::prelude;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeSet;

/// How one shape refers to another, named as the reference's relationship types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relationship {
    Member,
    MemberTarget,
    Mixin,
    Operation,
    Resource,
    Error,
    Input,
    Output,
    Identifier,
    Property,
    Lifecycle(&'static str),
    CollectionOperation,
}

impl Relationship {
    /// The reference's constant name (`MEMBER_TARGET`, `ERROR`, ...).
    pub(super) fn name(self) -> &'static str {
        match self {
            Relationship::Member => "MEMBER",
            Relationship::MemberTarget => "MEMBER_TARGET",
            Relationship::Mixin => "MIXIN",
            Relationship::Operation => "OPERATION",
            Relationship::Resource => "RESOURCE",
            Relationship::Error => "ERROR",
            Relationship::Input => "INPUT",
            Relationship::Output => "OUTPUT",
            Relationship::Identifier => "IDENTIFIER",
            Relationship::Property => "PROPERTY",
            Relationship::Lifecycle(name) => name,
            Relationship::CollectionOperation => "COLLECTION_OPERATION",
        }
    }
}

/// The relationship of a member: to its target, except for the members of enums, which the
/// reference does not connect to `smithy.api#Unit`.
fn member_target<'m>(container: &Shape, m: &'m Member) -> Option<&'m str> {
    match container.shape_type {
        ShapeType::Enum | ShapeType::IntEnum => None,
        _ => Some(&m.target),
    }
}

/// Where a relationship starts: a shape, or a member (inherited ones included) of a shape.
enum Source<'m> {
    Shape,
    Member(&'m Member),
}

/// Calls `visit` for every relationship of a shape and of its members, without building the
/// member IDs (most callers keep few of them).
fn visit_relationships<'m>(
    members: &MemberIndex<'m>,
    shape: &'m Shape,
    mut visit: impl FnMut(Source<'m>, Relationship, &'m str),
) {
    for m in &shape.mixins {
        visit(Source::Shape, Relationship::Mixin, &m.target);
    }
    for m in members.members(shape) {
        // The target of `Member` is the member itself, whose ID the caller builds if it needs it.
        visit(Source::Member(m), Relationship::Member, "");
        if let Some(target) = member_target(shape, m) {
            visit(Source::Member(m), Relationship::MemberTarget, target);
        }
    }
    let r = &shape.relations;
    let mut push = |kind: Relationship, x: &'m Reference| visit(Source::Shape, kind, &x.target);
    r.operations
        .iter()
        .for_each(|x| push(Relationship::Operation, x));
    r.resources
        .iter()
        .for_each(|x| push(Relationship::Resource, x));
    r.errors.iter().for_each(|x| push(Relationship::Error, x));
    // An operation without input or output says `smithy.api#Unit`, which the reference's
    // operation reports as no input or output at all: no relationship.
    let not_unit = |x: &&Reference| x.target != "smithy.api#Unit";
    r.input
        .iter()
        .filter(not_unit)
        .for_each(|x| push(Relationship::Input, x));
    r.output
        .iter()
        .filter(not_unit)
        .for_each(|x| push(Relationship::Output, x));
    for (_, x) in &r.identifiers {
        push(Relationship::Identifier, x);
    }
    for (_, x) in &r.properties {
        push(Relationship::Property, x);
    }
    for (name, x) in &r.lifecycle {
        let kind = match name.as_str() {
            "create" => "CREATE",
            "put" => "PUT",
            "read" => "READ",
            "update" => "UPDATE",
            "delete" => "DELETE",
            _ => "LIST",
        };
        push(Relationship::Lifecycle(kind), x);
    }
    r.collection_operations
        .iter()
        .for_each(|x| push(Relationship::CollectionOperation, x));
}

/// The shapes `id` refers to (member IDs for members), with the kind of reference. Prelude
/// shapes have no relationships that matter here.
pub(super) fn neighbors(members: &MemberIndex, id: &str) -> Vec<(Relationship, String)> {
    shape_neighbors(members, id, &mut HashMap::default())
}

/// [`neighbors`], and for a shape also the neighbours of each of its members, by member ID,
/// into `member_neighbors_out`: the members are merged with their mixins' once.
fn shape_neighbors(
    members: &MemberIndex,
    id: &str,
    member_neighbors_out: &mut HashMap<String, Vec<(Relationship, String)>>,
) -> Vec<(Relationship, String)> {
    if id.contains('$') {
        return members
            .member(id)
            .and_then(|(container, m)| member_target(container, m))
            .map(|target| vec![(Relationship::MemberTarget, target.to_string())])
            .unwrap_or_default();
    }
    let Some(shape) = members.model.shapes.get(id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut member_id = String::new();
    visit_relationships(members, shape, |source, kind, target| match source {
        Source::Shape => out.push((kind, target.to_string())),
        Source::Member(m) if kind == Relationship::Member => {
            member_id = format!("{id}${}", m.name);
            member_neighbors_out.insert(member_id.clone(), Vec::new());
            out.push((kind, member_id.clone()));
        }
        Source::Member(_) => {
            if let Some(list) = member_neighbors_out.get_mut(&member_id) {
                list.push((kind, target.to_string()));
            }
        }
    });
    out
}

/// Whether a shape ID (member IDs included) names a shape of the model or the prelude.
pub(super) fn exists(members: &MemberIndex, id: &str) -> bool {
    if id.contains('$') {
        members.member(id).is_some()
    } else {
        members.model.shapes.contains_key(id) || prelude::absolute_shape_type(id).is_some()
    }
}

/// Every shape reachable from the roots (the roots included), member IDs included; references
/// to missing shapes are left out.
pub(super) fn closure<'a>(
    members: &MemberIndex,
    roots: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    // Hashed while walking, ordered once at the end: member IDs share long prefixes, and an
    // ordered set compared them on every visit (a service closure has thousands of members).
    let mut seen: HashSet<String> = HashSet::default();
    let mut queue: Vec<String> = roots
        .into_iter()
        .filter(|id| exists(members, id))
        .map(str::to_string)
        .collect();
    // The targets of the members met so far: a member is reached from its container, whose
    // members were merged once then, so it need not be looked up again by name.
    let mut member_targets: HashMap<String, Vec<(Relationship, String)>> = HashMap::default();
    while let Some(id) = queue.pop() {
        if seen.contains(&id) {
            continue;
        }
        let next_ids = match member_targets.remove(&id) {
            Some(known) => known,
            None => shape_neighbors(members, &id, &mut member_targets),
        };
        seen.insert(id);
        for (_, next) in next_ids {
            if !seen.contains(&next) && exists(members, &next) {
                queue.push(next);
            }
        }
    }
    seen.into_iter().collect()
}

/// The relationships that point at one of `targets`, by target: target → (source ID, kind).
/// Only the kept relationships cost an allocation.
pub(super) fn references_to<S: std::hash::BuildHasher>(
    members: &MemberIndex,
    targets: &std::collections::HashSet<&str, S>,
) -> HashMap<String, Vec<(String, Relationship)>> {
    let mut out: HashMap<String, Vec<(String, Relationship)>> = HashMap::default();
    for shape in members.model.shapes.values() {
        visit_relationships(members, shape, |source, kind, target| {
            if !targets.contains(target) {
                return;
            }
            let source_id = match source {
                Source::Shape => shape.id.clone(),
                Source::Member(m) => format!("{}${}", shape.id, m.name),
            };
            out.entry(target.to_string())
                .or_default()
                .push((source_id, kind));
        });
    }
    out
}

/// The shapes that refer to each shape, by target: the reverse of every relationship but a
/// shape's own members (a member's reference counts as its container's, which is the only
/// shape that refers to the member).
pub(super) fn predecessors<'m>(members: &MemberIndex<'m>) -> HashMap<&'m str, Vec<&'m str>> {
    let mut out: HashMap<&'m str, Vec<&'m str>> = HashMap::default();
    for shape in members.model.shapes.values() {
        visit_relationships(members, shape, |_, kind, target| {
            if kind != Relationship::Member {
                out.entry(target).or_default().push(&shape.id);
            }
        });
    }
    out
}
