//! The model as selectors see it: every shape of the model and of the prelude, every member
//! (those inherited from mixins too) as a shape of its own with its effective traits, and the
//! relationships between them in both directions. Built once per model in O(n log n).

use crate::smithy::ast::ShapeType;
use crate::smithy::model::{Member, MemberIndex, Model, Shape, SortedMap, LIFECYCLE};
use crate::smithy::prelude;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde_json::Value;
use std::borrow::Cow;

pub type NodeId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shape(ShapeType),
    Member,
}

/// One shape as selectors see it. A large model has a million or more: what can be read from
/// the model is (a member's name and target, a service's version), which made a node 128
/// bytes instead of 80.
#[derive(Debug)]
pub struct Node<'m> {
    pub id: String,
    pub kind: Kind,
    /// Effective traits by absolute trait ID: applied, inherited from mixins and, for enum
    /// members, the implied `enumValue`.
    pub traits: TraitMap<'m>,
    /// The shape of the model (for a member: its container); `None` for the prelude.
    pub shape: Option<&'m Shape>,
    /// A member's declaration (in its container or in a mixin of it).
    declaration: Option<&'m Member>,
    pub prelude: bool,
}

impl<'m> Node<'m> {
    /// The member name of a member.
    pub fn member(&self) -> Option<&'m str> {
        self.declaration.map(|m| m.name.as_str())
    }

    /// The target of a member.
    pub fn target(&self) -> Option<&'m str> {
        self.declaration.map(|m| m.target.as_str())
    }

    /// The version of a service.
    pub fn version(&self) -> Option<&'m str> {
        match self.declaration {
            Some(_) => None,
            None => self.shape?.relations.version.as_deref(),
        }
    }

    pub fn is_service(&self) -> bool {
        self.kind == Kind::Shape(ShapeType::Service)
    }

    pub fn shape_type(&self) -> Option<ShapeType> {
        match self.kind {
            Kind::Shape(t) => Some(t),
            Kind::Member => None,
        }
    }
}

/// A relationship label as selectors name it; `""` for a member's target, which only `>`
/// and `~>` follow.
pub type Label = &'static str;

pub struct ShapeIndex<'m> {
    nodes: Vec<Node<'m>>,
    /// Shapes (not members: see [`ShapeIndex::lookup`]) by ID, borrowed from the model.
    by_id: HashMap<Cow<'m, str>, NodeId>,
    forward: Adjacency<(Label, NodeId)>,
    reverse: Adjacency<(Label, NodeId)>,
    /// Shape → the trait shapes applied to it, and back.
    trait_forward: Adjacency<NodeId>,
    trait_reverse: Adjacency<NodeId>,
    /// Shapes by trait ID, for starting sets.
    with_trait: HashMap<&'m str, Vec<NodeId>>,
    pub model: &'m Model,
}

/// The edges of every node in one vector, node after node (a vector per node would be most of
/// the index's memory: most shapes have one or two edges).
struct Adjacency<T> {
    edges: Vec<T>,
    /// Where the edges of node `n` start; `starts[n + 1]` is where they end.
    starts: Vec<usize>,
}

impl<T: Copy> Adjacency<T> {
    /// `pairs` (node, edge) grouped by node, keeping their order within a node: counted into
    /// place, as a sort of a few million edges cost more than the rest of the index.
    fn new(nodes: usize, pairs: Vec<(NodeId, T)>) -> Adjacency<T> {
        let nodes = pairs
            .iter()
            .map(|&(n, _)| n + 1)
            .max()
            .unwrap_or(0)
            .max(nodes);
        let mut starts = vec![0; nodes + 1];
        for &(n, _) in &pairs {
            starts[n + 1] += 1;
        }
        for n in 0..nodes {
            starts[n + 1] += starts[n];
        }
        let Some(&(_, filler)) = pairs.first() else {
            return Adjacency {
                edges: Vec::new(),
                starts,
            };
        };
        let mut next = starts.clone();
        let mut edges = vec![filler; pairs.len()];
        for (n, edge) in pairs {
            edges[next[n]] = edge;
            next[n] += 1;
        }
        Adjacency { edges, starts }
    }

    fn of(&self, n: NodeId) -> &[T] {
        &self.edges[self.starts[n]..self.starts[n + 1]]
    }
}

/// Effective traits by trait ID (borrowed from the model: a large model has a million nodes).
pub type TraitMap<'m> = SortedMap<&'m str, Cow<'m, Value>>;

/// The traits a shape has, mixins included (memoised per shape: chains of mixins stay linear).
fn effective_traits<'m>(
    model: &'m Model,
    shape: &'m Shape,
    memo: &mut HashMap<&'m str, TraitMap<'m>>,
    visiting: &mut Vec<&'m str>,
) -> TraitMap<'m> {
    if shape.mixins.is_empty() {
        return shape
            .traits
            .iter()
            .map(|(id, t)| (id.as_str(), Cow::Borrowed(&t.value)))
            .collect();
    }
    if let Some(done) = memo.get(shape.id.as_str()) {
        return done.clone();
    }
    let mut out = TraitMap::new();
    if visiting.contains(&shape.id.as_str()) {
        return out;
    }
    visiting.push(&shape.id);
    for mixin_ref in &shape.mixins {
        let Some(mixin) = model.shapes.get(&mixin_ref.target) else {
            continue;
        };
        let local_only: Vec<&str> = mixin
            .traits
            .get("smithy.api#mixin")
            .and_then(|m| m.value.get("localTraits"))
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (id, value) in effective_traits(model, mixin, memo, visiting) {
            if id != "smithy.api#mixin" && !local_only.contains(&id) {
                out.insert(id, value);
            }
        }
    }
    for (id, t) in &shape.traits {
        out.insert(id.as_str(), Cow::Borrowed(&t.value));
    }
    visiting.pop();
    memo.insert(&shape.id, out.clone());
    out
}

/// The traits of member `name` of a shape: those of the same member in its mixins, then its own.
/// Memoised per shape and member name, so that a member inherited down a chain of mixins is
/// merged once per link rather than once per link per member.
pub(crate) fn member_traits<'m>(
    model: &'m Model,
    shape: &'m Shape,
    name: &'m str,
    memo: &mut HashMap<(&'m str, &'m str), TraitMap<'m>>,
    visiting: &mut HashSet<&'m str>,
) -> TraitMap<'m> {
    let own = || shape.member(name).map(own_traits).unwrap_or_default();
    if shape.mixins.is_empty() {
        return own();
    }
    if let Some(done) = memo.get(&(shape.id.as_str(), name)) {
        return done.clone();
    }
    let mut out = TraitMap::new();
    if !visiting.insert(&shape.id) {
        return out;
    }
    for mixin_ref in &shape.mixins {
        if let Some(mixin) = model.shapes.get(&mixin_ref.target) {
            out.extend(member_traits(model, mixin, name, memo, visiting));
        }
    }
    out.extend(own());
    visiting.remove(shape.id.as_str());
    memo.insert((&shape.id, name), out.clone());
    out
}

/// The traits applied to a member where it is declared.
fn own_traits(member: &Member) -> TraitMap<'_> {
    member
        .traits
        .iter()
        .map(|(id, t)| (id.as_str(), Cow::Borrowed(&t.value)))
        .collect()
}

/// The member names declared by more than one shape that has or is a mixin: only their traits
/// need merging along the mixins (elsewhere a member has the traits of its one declaration).
fn redeclared_mixin_members(model: &Model) -> HashSet<&str> {
    let mixins: HashSet<&str> = model
        .shapes
        .values()
        .flat_map(|s| s.mixins.iter().map(|m| m.target.as_str()))
        .collect();
    let mut declared = HashSet::default();
    let mut redeclared = HashSet::default();
    for shape in model.shapes.values() {
        if shape.mixins.is_empty() && !mixins.contains(shape.id.as_str()) {
            continue;
        }
        for m in &shape.members {
            if !declared.insert(m.name.as_str()) {
                redeclared.insert(m.name.as_str());
            }
        }
    }
    redeclared
}

/// The traits the prelude's own shapes carry that selectors look at: `@trait` (with the
/// selector) on trait shapes, `@authDefinition` on the HTTP auth traits, `@unitType` on
/// `Unit`.
fn prelude_traits(name: &str) -> TraitMap<'static> {
    let mut traits = TraitMap::new();
    if prelude::trait_def(name).is_some() {
        let mut definition = serde_json::Map::new();
        if let Some(selector) = prelude::selector(name).filter(|s| *s != "*") {
            definition.insert("selector".into(), Value::String(selector.into()));
        }
        traits.insert("smithy.api#trait", Cow::Owned(Value::Object(definition)));
    }
    if prelude::UNSTABLE_TRAITS.contains(&name) {
        traits.insert(
            "smithy.api#unstable",
            Cow::Owned(Value::Object(serde_json::Map::new())),
        );
    }
    if name.starts_with("http") && name.ends_with("Auth") {
        traits.insert(
            "smithy.api#authDefinition",
            Cow::Owned(Value::Object(serde_json::Map::new())),
        );
    }
    if name == "Unit" {
        traits.insert(
            "smithy.api#unitType",
            Cow::Owned(Value::Object(serde_json::Map::new())),
        );
    }
    traits
}

impl<'m> ShapeIndex<'m> {
    pub fn new(model: &'m Model) -> ShapeIndex<'m> {
        ShapeIndex::with_members(&MemberIndex::new(model))
    }

    /// [`ShapeIndex::new`] with the members of the model already merged with their mixins'.
    pub fn with_members(members: &MemberIndex<'m>) -> ShapeIndex<'m> {
        let model = members.model;
        // Declared members: those inherited from mixins may add a few more.
        let member_count: usize = model.shapes.values().map(|s| s.members.len()).sum();
        let prelude_count = prelude::SHAPES.len() + prelude::TRAITS.len();
        let mut nodes: Vec<Node<'m>> =
            Vec::with_capacity(model.shapes.len() + member_count + prelude_count);
        let mut memo = HashMap::default();
        let mut member_memo = HashMap::default();
        let redeclared = redeclared_mixin_members(model);
        for shape in model.shapes.values() {
            nodes.push(Node {
                id: shape.id.clone(),
                kind: Kind::Shape(shape.shape_type),
                traits: effective_traits(model, shape, &mut memo, &mut Vec::new()),
                shape: Some(shape),
                declaration: None,
                prelude: false,
            });
            for m in members.each_member(shape) {
                let mut traits = if redeclared.contains(m.name.as_str()) {
                    member_traits(
                        model,
                        shape,
                        &m.name,
                        &mut member_memo,
                        &mut HashSet::default(),
                    )
                } else {
                    // Declared once: the member's traits are those of its one declaration.
                    own_traits(m)
                };
                if shape.shape_type == ShapeType::Enum
                    && !traits.contains_key("smithy.api#enumValue")
                {
                    traits.insert(
                        "smithy.api#enumValue",
                        Cow::Owned(Value::String(m.name.clone())),
                    );
                }
                nodes.push(Node {
                    id: format!("{}${}", shape.id, m.name),
                    kind: Kind::Member,
                    traits,
                    shape: Some(shape),
                    declaration: Some(m),
                    prelude: false,
                });
            }
        }
        let prelude_names = prelude::SHAPES
            .iter()
            .map(|(n, t)| (*n, *t))
            .chain(prelude::TRAITS.iter().map(|t| (t.name, t.shape_type)));
        for (name, shape_type) in prelude_names {
            let id = format!("{}#{name}", prelude::NAMESPACE);
            if model.shapes.contains_key(&id) {
                continue;
            }
            nodes.push(Node {
                id,
                kind: Kind::Shape(shape_type),
                traits: prelude_traits(name),
                shape: None,
                declaration: None,
                prelude: true,
            });
        }
        let mut by_id: HashMap<Cow<'m, str>, NodeId> = HashMap::default();
        by_id.reserve(model.shapes.len() + prelude_count);
        let shape_nodes = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.member().is_none());
        by_id.extend(shape_nodes.map(|(i, n)| match n.shape {
            Some(shape) => (Cow::Borrowed(shape.id.as_str()), i),
            None => (Cow::Owned(n.id.clone()), i),
        }));
        let mut index = ShapeIndex {
            forward: Adjacency::new(0, Vec::new()),
            reverse: Adjacency::new(0, Vec::new()),
            trait_forward: Adjacency::new(0, Vec::new()),
            trait_reverse: Adjacency::new(0, Vec::new()),
            with_trait: HashMap::default(),
            nodes,
            by_id,
            model,
        };
        index.link();
        index
    }

    fn link(&mut self) {
        // A member has two edges (from its container, to its target): room for most at once.
        let mut edges: Vec<(NodeId, Label, NodeId)> = Vec::with_capacity(2 * self.nodes.len());
        let mut trait_edges: Vec<(NodeId, NodeId)> = Vec::new();
        // Per trait ID: its definition's node, looked up once per distinct ID, and its carriers.
        let mut with_trait: HashMap<&'m str, (Option<NodeId>, Vec<NodeId>)> = HashMap::default();
        let lookup = |id: &str| self.by_id.get(id).copied();
        for (from, node) in self.nodes.iter().enumerate() {
            for trait_id in node.traits.keys() {
                let (definition, carriers) = with_trait
                    .entry(*trait_id)
                    .or_insert_with(|| (lookup(trait_id), Vec::new()));
                carriers.push(from);
                if let Some(t) = *definition {
                    trait_edges.push((from, t));
                }
            }
            let Some(shape) = node.shape else { continue };
            if node.member().is_none() {
                let mixins = shape.mixins.iter().filter_map(|m| lookup(&m.target));
                edges.extend(mixins.map(|to| (from, "mixin", to)));
                // A shape's member nodes follow it (see `with_members`).
                let member_nodes = self.nodes[from + 1..]
                    .iter()
                    .take_while(|n| n.member().is_some())
                    .count();
                edges.extend((from + 1..=from + member_nodes).map(|m| (from, "member", m)));
            }
            let mut add = |label: Label, target: &str| {
                if let Some(to) = lookup(target) {
                    edges.push((from, label, to));
                }
            };
            if node.member().is_some() {
                // Enum members have no target relationship.
                let is_enum = matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum);
                if let (false, Some(target)) = (is_enum, node.target()) {
                    add("", target);
                }
                continue;
            }
            let r = &shape.relations;
            match shape.shape_type {
                ShapeType::Service => {
                    r.operations
                        .iter()
                        .for_each(|x| add("operation", &x.target));
                    r.resources.iter().for_each(|x| add("resource", &x.target));
                    r.errors.iter().for_each(|x| add("error", &x.target));
                }
                ShapeType::Resource => {
                    r.identifiers
                        .iter()
                        .for_each(|(_, x)| add("identifier", &x.target));
                    r.properties
                        .iter()
                        .for_each(|(_, x)| add("property", &x.target));
                    r.resources.iter().for_each(|x| add("resource", &x.target));
                    for (name, x) in &r.lifecycle {
                        if let Some(label) = LIFECYCLE.iter().find(|l| **l == name.as_str()) {
                            add(label, &x.target);
                        }
                    }
                    r.operations
                        .iter()
                        .for_each(|x| add("operation", &x.target));
                    r.collection_operations
                        .iter()
                        .for_each(|x| add("collectionOperation", &x.target));
                }
                ShapeType::Operation => {
                    // A 2.0 operation without input or output has `smithy.api#Unit`.
                    let unit = "smithy.api#Unit";
                    add(
                        "input",
                        r.input.as_ref().map_or(unit, |x| x.target.as_str()),
                    );
                    add(
                        "output",
                        r.output.as_ref().map_or(unit, |x| x.target.as_str()),
                    );
                    r.errors.iter().for_each(|x| add("error", &x.target));
                }
                _ => {}
            }
        }
        let count = self.nodes.len();
        let reverse = edges.iter().map(|&(from, label, to)| (to, (label, from)));
        self.reverse = Adjacency::new(count, reverse.collect());
        let forward = edges
            .into_iter()
            .map(|(from, label, to)| (from, (label, to)));
        self.forward = Adjacency::new(count, forward.collect());
        let trait_reverse = trait_edges.iter().map(|&(from, to)| (to, from));
        self.trait_reverse = Adjacency::new(count, trait_reverse.collect());
        self.trait_forward = Adjacency::new(count, trait_edges);
        self.with_trait = with_trait
            .into_iter()
            .map(|(id, (_, carriers))| (id, carriers))
            .collect();
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: NodeId) -> &Node<'m> {
        &self.nodes[id]
    }

    pub fn lookup(&self, shape_id: &str) -> Option<NodeId> {
        let Some((container, member)) = shape_id.split_once('$') else {
            return self.by_id.get(shape_id).copied();
        };
        // A shape's member nodes follow it.
        let first = self.by_id.get(container).copied()? + 1;
        self.nodes[first..]
            .iter()
            .take_while(|n| n.member().is_some())
            .position(|n| n.member() == Some(member))
            .map(|i| first + i)
    }

    /// The shapes a trait is applied to (effective traits, so mixins included).
    pub fn with_trait(&self, trait_id: &str) -> &[NodeId] {
        self.with_trait.get(trait_id).map_or(&[], Vec::as_slice)
    }

    /// Every trait applied to a shape (effective traits), with the shapes it is applied to; in
    /// no particular order.
    pub fn applied_traits(&self) -> impl Iterator<Item = (&'m str, &[NodeId])> + '_ {
        self.with_trait
            .iter()
            .map(|(id, nodes)| (*id, nodes.as_slice()))
    }

    pub fn forward(&self, id: NodeId) -> &[(Label, NodeId)] {
        self.forward.of(id)
    }

    pub fn reverse(&self, id: NodeId) -> &[(Label, NodeId)] {
        self.reverse.of(id)
    }

    pub fn trait_forward(&self, id: NodeId) -> &[NodeId] {
        self.trait_forward.of(id)
    }

    pub fn trait_reverse(&self, id: NodeId) -> &[NodeId] {
        self.trait_reverse.of(id)
    }
}
