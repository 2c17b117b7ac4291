//! The directed relationships between shapes the reference's neighbour provider follows
//! (members, member targets, mixins, service, resource and operation bindings; not traits),
//! and walks over them: the closure of a service or of a set of root shapes.

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
pub(super) fn member<'a>(model: &'a Model, id: &str) -> Option<(&'a Shape, &'a Member)> {
    let (root, name) = id.split_once('$')?;
    let shape = model.shapes.get(root)?;
    let m = model
        .members_of(shape)
        .into_iter()
        .find(|m| m.name == name)?;
    Some((shape, m))
}

/// The shapes `id` refers to (member IDs for members), with the kind of reference. Prelude
/// shapes have no relationships that matter here.
pub(super) fn neighbors(model: &Model, id: &str) -> Vec<(Relationship, String)> {
    if id.contains('$') {
        return member(model, id)
            .map(|(_, m)| vec![(Relationship::MemberTarget, m.target.clone())])
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
        out.push((Relationship::Member, format!("{id}${}", m.name)));
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
    while let Some(id) = queue.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        for (_, next) in neighbors(model, &id) {
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
        let mut ids = vec![shape.id.clone()];
        ids.extend(
            model
                .members_of(shape)
                .iter()
                .map(|m| format!("{}${}", shape.id, m.name)),
        );
        for id in ids {
            for (kind, target) in neighbors(model, &id) {
                out.entry(target).or_default().push((id.clone(), kind));
            }
        }
    }
    out
}
