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
    for m in members.each_member(shape) {
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

/// A shape or member met on a walk, borrowed from the model: walks that keep few of the IDs
/// they pass need not build them.
#[derive(Debug, Clone, Copy)]
pub(super) enum Node<'m> {
    /// A shape by ID (of the model, the prelude, or missing).
    Shape(&'m str),
    /// A member, with its container.
    Member(&'m Shape, &'m Member),
}

impl<'m> Node<'m> {
    /// The node a shape ID (member IDs included) names; an ID of a missing member stays a
    /// [`Node::Shape`] without relationships.
    pub(super) fn of(members: &MemberIndex<'m>, id: &'m str) -> Node<'m> {
        match id.contains('$').then(|| members.member(id)).flatten() {
            Some((container, m)) => Node::Member(container, m),
            None => Node::Shape(id),
        }
    }

    /// Equal for nodes with equal IDs (container and member name for a member).
    pub(super) fn key(self) -> (&'m str, &'m str) {
        match self {
            Node::Shape(id) => (id, ""),
            Node::Member(container, m) => (&container.id, &m.name),
        }
    }

    pub(super) fn id(self) -> String {
        match self {
            Node::Shape(id) => id.to_string(),
            Node::Member(container, m) => format!("{}${}", container.id, m.name),
        }
    }

    /// The shapes this one refers to, with the kind of reference. Prelude shapes have no
    /// relationships that matter here.
    pub(super) fn neighbors(self, members: &MemberIndex<'m>) -> Vec<(Relationship, Node<'m>)> {
        let id = match self {
            Node::Member(container, m) => {
                return member_target(container, m)
                    .map(|target| vec![(Relationship::MemberTarget, Node::of(members, target))])
                    .unwrap_or_default();
            }
            Node::Shape(id) => id,
        };
        let Some(shape) = members.model.shapes.get(id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        visit_relationships(members, shape, |source, kind, target| match source {
            Source::Shape => out.push((kind, Node::of(members, target))),
            Source::Member(m) if kind == Relationship::Member => {
                out.push((kind, Node::Member(shape, m)));
            }
            Source::Member(_) => {}
        });
        out
    }
}

/// The shapes `id` refers to (member IDs for members), with the kind of reference, and for a shape also the neighbours of each of its members, by member ID,
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

/// What [`closure`] reaches, kept as shapes: a member is in that closure exactly when its
/// container is (or when a reference names the member itself), so member IDs are built only
/// for the rare reference to a member.
pub(super) struct ShapeClosure<'m> {
    /// The shapes of the model and of the prelude reached.
    pub(super) shapes: HashSet<&'m str>,
    /// Members reached by a reference to the member itself.
    named_members: HashSet<&'m str>,
    members: &'m MemberIndex<'m>,
}

impl ShapeClosure<'_> {
    /// Whether [`closure`] would hold the ID.
    pub(super) fn contains(&self, id: &str) -> bool {
        match id.split_once('$') {
            Some((root, _)) => {
                self.named_members.contains(id)
                    || (self.shapes.contains(root) && self.members.member(id).is_some())
            }
            None => self.shapes.contains(id),
        }
    }
}

/// [`closure`] of the roots as a [`ShapeClosure`].
pub(super) fn shape_closure<'m>(
    members: &'m MemberIndex<'m>,
    roots: impl IntoIterator<Item = &'m str>,
) -> ShapeClosure<'m> {
    let mut out = ShapeClosure {
        shapes: HashSet::default(),
        named_members: HashSet::default(),
        members,
    };
    // Shapes of the model whose relationships are still to be visited. A shape enters the set
    // when it is first met, before it is looked up: an ID met again (most are) costs one hash
    // of its long text, a new one two.
    let mut todo: Vec<&'m Shape> = Vec::new();
    for root in roots {
        reach(members, &mut out, &mut todo, root);
    }
    while let Some(shape) = todo.pop() {
        visit_relationships(members, shape, |_, kind, target| {
            if kind != Relationship::Member {
                reach(members, &mut out, &mut todo, target);
            }
        });
    }
    out
}

/// Adds an ID to the closure when the model or the prelude has it: a shape's relationships
/// are queued the first time it is met, a member named itself brings its target.
fn reach<'m>(
    members: &'m MemberIndex<'m>,
    out: &mut ShapeClosure<'m>,
    todo: &mut Vec<&'m Shape>,
    mut id: &'m str,
) {
    // A loop, not a recursion: a member's target may name a member in turn.
    while id.contains('$') {
        let Some((container, m)) = members.member(id) else {
            return;
        };
        if !out.named_members.insert(id) {
            return;
        }
        match member_target(container, m) {
            Some(target) => id = target,
            None => return,
        }
    }
    if !out.shapes.insert(id) {
        return;
    }
    match members.model.shapes.get(id) {
        Some(shape) => todo.push(shape),
        None if prelude::absolute_shape_type(id).is_some() => {}
        None => {
            out.shapes.remove(id);
        }
    }
}

/// One relationship as seen from its target: the shape (or member of a shape) it starts from,
/// and its kind.
#[derive(Debug, Clone, Copy)]
pub(super) struct Referrer<'m> {
    pub(super) shape: &'m Shape,
    pub(super) member: Option<&'m Member>,
    pub(super) kind: Relationship,
}

impl Referrer<'_> {
    /// The ID of the shape or member the relationship starts from.
    pub(super) fn source_id(&self) -> String {
        match self.member {
            Some(m) => format!("{}${}", self.shape.id, m.name),
            None => self.shape.id.clone(),
        }
    }
}

/// Every relationship but a shape's own members, by target, each list in model order: built in
/// one walk over the model for all the validators that ask who refers to a shape (each of
/// them walked the whole model before).
pub(super) struct ReverseRelations<'m> {
    by_target: HashMap<&'m str, Vec<Referrer<'m>>>,
}

impl<'m> ReverseRelations<'m> {
    pub(super) fn new(members: &MemberIndex<'m>) -> ReverseRelations<'m> {
        // Nearly every shape is a target: room for all of them at once, rather than growing
        // through a dozen rehashes of a hundred thousand entries.
        let mut by_target: HashMap<&'m str, Vec<Referrer<'m>>> =
            HashMap::with_capacity_and_hasher(members.model.shapes.len(), Default::default());
        for shape in members.model.shapes.values() {
            visit_relationships(members, shape, |source, kind, target| {
                if kind == Relationship::Member {
                    return;
                }
                let member = match source {
                    Source::Shape => None,
                    Source::Member(m) => Some(m),
                };
                by_target.entry(target).or_default().push(Referrer {
                    shape,
                    member,
                    kind,
                });
            });
        }
        ReverseRelations { by_target }
    }

    /// The relationships that point at a shape, in model order.
    pub(super) fn to(&self, target: &str) -> &[Referrer<'m>] {
        self.by_target.get(target).map_or(&[], Vec::as_slice)
    }

    /// The relationships that point at one of `targets`, by target: target → (source ID, kind).
    pub(super) fn to_any<'t>(
        &self,
        targets: impl IntoIterator<Item = &'t str>,
    ) -> HashMap<String, Vec<(String, Relationship)>> {
        targets
            .into_iter()
            .filter_map(|target| {
                let found = self.to(target);
                let listed = found.iter().map(|r| (r.source_id(), r.kind)).collect();
                (!found.is_empty()).then(|| (target.to_string(), listed))
            })
            .collect()
    }
}
