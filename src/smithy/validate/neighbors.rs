//! The directed relationships between shapes the reference's neighbour provider follows
//! (members, member targets, mixins, service, resource and operation bindings; not traits),
//! and walks over them: the closure of a service or of a set of root shapes.

use super::super::ast::ShapeType;
use super::super::model::{Member, Model, Shape};
use super::super::prelude;
use std::collections::{BTreeSet, HashMap};

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

/// A member of the model by its member ID (`shape$name`), inherited mixin members included.
/// A shape's own member wins over an inherited one of the same name, so it is looked up first:
/// merging the mixins' members costs what all of them cost.
pub(super) fn member<'a>(model: &'a Model, id: &str) -> Option<(&'a Shape, &'a Member)> {
    let (root, name) = id.split_once('$')?;
    let shape = model.shapes.get(root)?;
    if let Some(own) = shape.members.iter().find(|m| m.name == name) {
        return Some((shape, own));
    }
    if shape.mixins.is_empty() {
        return None;
    }
    let m = model
        .members_of(shape)
        .into_iter()
        .find(|m| m.name == name)?;
    Some((shape, m))
}

/// The relationship of a member: to its target, except for the members of enums, which the
/// reference does not connect to `smithy.api#Unit`.
fn member_neighbors(container: &Shape, m: &Member) -> Vec<(Relationship, String)> {
    if matches!(container.shape_type, ShapeType::Enum | ShapeType::IntEnum) {
        Vec::new()
    } else {
        vec![(Relationship::MemberTarget, m.target.clone())]
    }
}

/// The shapes `id` refers to (member IDs for members), with the kind of reference. Prelude
/// shapes have no relationships that matter here.
pub(super) fn neighbors(model: &Model, id: &str) -> Vec<(Relationship, String)> {
    shape_neighbors(model, id, &mut HashMap::new())
}

/// [`neighbors`], and for a shape also the neighbours of each of its members, by member ID,
/// into `member_neighbors_out`: the members are merged with their mixins' once.
fn shape_neighbors(
    model: &Model,
    id: &str,
    member_neighbors_out: &mut HashMap<String, Vec<(Relationship, String)>>,
) -> Vec<(Relationship, String)> {
    if id.contains('$') {
        return member(model, id)
            .map(|(container, m)| member_neighbors(container, m))
            .unwrap_or_default();
    }
    let Some(shape) = model.shapes.get(id) else {
        return Vec::new();
    };
    let mut out: Vec<(Relationship, String)> = shape
        .mixins
        .iter()
        .map(|m| (Relationship::Mixin, m.target.clone()))
        .collect();
    for m in model.members_of(shape) {
        let member_id = format!("{id}${}", m.name);
        member_neighbors_out.insert(member_id.clone(), member_neighbors(shape, m));
        out.push((Relationship::Member, member_id));
    }
    let r = &shape.relations;
    let mut push = |kind: Relationship, target: &str| out.push((kind, target.to_string()));
    for x in &r.operations {
        push(Relationship::Operation, &x.target);
    }
    for x in &r.resources {
        push(Relationship::Resource, &x.target);
    }
    for x in &r.errors {
        push(Relationship::Error, &x.target);
    }
    if let Some(x) = &r.input {
        push(Relationship::Input, &x.target);
    }
    if let Some(x) = &r.output {
        push(Relationship::Output, &x.target);
    }
    for (_, x) in &r.identifiers {
        push(Relationship::Identifier, &x.target);
    }
    for (_, x) in &r.properties {
        push(Relationship::Property, &x.target);
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
        push(Relationship::Lifecycle(kind), &x.target);
    }
    for x in &r.collection_operations {
        push(Relationship::CollectionOperation, &x.target);
    }
    out
}

/// Whether a shape ID (member IDs included) names a shape of the model or the prelude.
pub(super) fn exists(model: &Model, id: &str) -> bool {
    if id.contains('$') {
        member(model, id).is_some()
    } else {
        model.shapes.contains_key(id) || prelude::absolute_shape_type(id).is_some()
    }
}

/// Every shape reachable from the roots (the roots included), member IDs included; references
/// to missing shapes are left out.
pub(super) fn closure<'a>(
    model: &Model,
    roots: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = roots
        .into_iter()
        .filter(|id| exists(model, id))
        .map(str::to_string)
        .collect();
    // The targets of the members met so far: a member is reached from its container, whose
    // members were merged once then, so it need not be looked up again by name.
    let mut member_targets: HashMap<String, Vec<(Relationship, String)>> = HashMap::new();
    while let Some(id) = queue.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let next_ids = match member_targets.remove(&id) {
            Some(known) => known,
            None => shape_neighbors(model, &id, &mut member_targets),
        };
        for (_, next) in next_ids {
            if !seen.contains(&next) && exists(model, &next) {
                queue.push(next);
            }
        }
    }
    seen
}

/// Every relationship of the model by the shape it points at: target → (source ID, kind).
pub(super) fn reverse_index(model: &Model) -> HashMap<String, Vec<(String, Relationship)>> {
    let mut out: HashMap<String, Vec<(String, Relationship)>> = HashMap::new();
    for shape in model.shapes.values() {
        let mut member_targets = HashMap::new();
        let own = shape_neighbors(model, &shape.id, &mut member_targets);
        for (id, neighbors) in std::iter::once((shape.id.clone(), own)).chain(member_targets) {
            for (kind, target) in neighbors {
                out.entry(target).or_default().push((id.clone(), kind));
            }
        }
    }
    out
}
