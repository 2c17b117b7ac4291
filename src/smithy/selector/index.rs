//! The model as selectors see it: every shape of the model and of the prelude, every member
//! (those inherited from mixins too) as a shape of its own with its effective traits, and the
//! relationships between them in both directions. Built once per model in O(n log n).

use crate::smithy::ast::ShapeType;
use crate::smithy::model::{Member, MemberIndex, Model, Shape, SortedMap, Traits, LIFECYCLE};
use crate::smithy::prelude;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::OnceLock;

pub type NodeId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shape(ShapeType),
    Member,
}

/// One shape as selectors see it. A large model has a million or more, so a node holds only
/// references into the model: its ID is the shape's (a member's is written when asked, see
/// [`Node::id`]) and its traits are those where it is declared unless mixins or an implied
/// `enumValue` add some.
#[derive(Debug)]
pub struct Node<'m> {
    /// The shape's ID; for a member, its container's.
    shape_id: &'m str,
    traits: TraitSource<'m>,
    /// The shape of the model (for a member: its container); `None` for the prelude.
    pub shape: Option<&'m Shape>,
    /// A member's declaration (in its container or in a mixin of it).
    declaration: Option<&'m Member>,
    pub kind: Kind,
    pub prelude: bool,
}

/// Where a node's effective traits are kept.
#[derive(Debug)]
enum TraitSource<'m> {
    /// Nothing inherited or implied: the traits of the declaration itself.
    Declared(&'m Traits),
    /// Merged with those of mixins, or with the `enumValue` an enum member's name implies
    /// (the loader writes it for most), or the prelude's.
    Merged(Box<TraitMap<'m>>),
    None,
}

impl<'m> TraitSource<'m> {
    /// `merged` as a borrow of `declared` when it holds exactly the declared values.
    fn of(merged: TraitMap<'m>, declared: &'m Traits) -> TraitSource<'m> {
        let same = merged.len() == declared.len()
            && merged
                .iter()
                .all(|(id, value)| match (value, declared.get(*id)) {
                    (Cow::Borrowed(v), Some(t)) => std::ptr::eq(*v, &t.value),
                    _ => false,
                });
        match (same, merged.is_empty()) {
            (true, _) => TraitSource::Declared(declared),
            (false, true) => TraitSource::None,
            (false, false) => TraitSource::Merged(Box::new(merged)),
        }
    }

    /// The trait IDs, borrowed from the model (or the prelude) rather than from the node.
    fn keys(&self) -> impl Iterator<Item = &'m str> + '_ {
        let (declared, merged) = match self {
            TraitSource::Declared(t) => (Some(*t), None),
            TraitSource::Merged(m) => (None, Some(m)),
            TraitSource::None => (None, None),
        };
        let declared = declared
            .into_iter()
            .flat_map(|t| t.keys().map(String::as_str));
        let merged = merged.into_iter().flat_map(|m| m.keys().copied());
        declared.chain(merged)
    }

    fn view(&self) -> NodeTraits<'_> {
        match self {
            TraitSource::Declared(t) => NodeTraits::Declared(t),
            TraitSource::Merged(m) => NodeTraits::Merged(m),
            TraitSource::None => NodeTraits::None,
        }
    }
}

/// The effective traits of a node, by absolute trait ID in ID order: applied, inherited from
/// mixins and, for enum members, the implied `enumValue`.
#[derive(Debug, Clone, Copy)]
pub enum NodeTraits<'a> {
    Declared(&'a Traits),
    Merged(&'a TraitMap<'a>),
    None,
}

impl<'a> NodeTraits<'a> {
    pub fn get(self, trait_id: &str) -> Option<&'a Value> {
        match self {
            NodeTraits::Declared(t) => t.get(trait_id).map(|t| &t.value),
            NodeTraits::Merged(m) => m.get(trait_id).map(|v| v.as_ref()),
            NodeTraits::None => None,
        }
    }

    pub fn contains_key(self, trait_id: &str) -> bool {
        match self {
            NodeTraits::Declared(t) => t.contains_key(trait_id),
            NodeTraits::Merged(m) => m.contains_key(trait_id),
            NodeTraits::None => false,
        }
    }

    pub fn len(self) -> usize {
        match self {
            NodeTraits::Declared(t) => t.len(),
            NodeTraits::Merged(m) => m.len(),
            NodeTraits::None => 0,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub fn iter(self) -> impl Iterator<Item = (&'a str, &'a Value)> {
        let (declared, merged) = match self {
            NodeTraits::Declared(t) => (Some(t), None),
            NodeTraits::Merged(m) => (None, Some(m)),
            NodeTraits::None => (None, None),
        };
        let declared = declared
            .into_iter()
            .flat_map(|t| t.iter().map(|(id, t)| (id.as_str(), &t.value)));
        let merged = merged
            .into_iter()
            .flat_map(|m| m.iter().map(|(id, v)| (*id, v.as_ref())));
        declared.chain(merged)
    }

    pub fn keys(self) -> impl Iterator<Item = &'a str> {
        self.iter().map(|(id, _)| id)
    }

    pub fn values(self) -> impl Iterator<Item = &'a Value> {
        self.iter().map(|(_, v)| v)
    }
}

impl<'m> Node<'m> {
    /// The shape ID (`ns#Shape`, `ns#Shape$member` for a member, written on each call).
    pub fn id(&self) -> Cow<'m, str> {
        match self.declaration {
            Some(m) => Cow::Owned(format!("{}${}", self.shape_id, m.name)),
            None => Cow::Borrowed(self.shape_id),
        }
    }

    /// The ID of a shape, or of a member's container.
    pub fn shape_id(&self) -> &'m str {
        self.shape_id
    }

    /// The effective traits.
    pub fn traits(&self) -> NodeTraits<'_> {
        self.traits.view()
    }

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

/// Every label, so that an edge keeps the label's position in one byte.
const LABELS: [Label; 17] = [
    "",
    "member",
    "mixin",
    "operation",
    "resource",
    "error",
    "identifier",
    "property",
    "collectionOperation",
    "input",
    "output",
    "create",
    "put",
    "read",
    "update",
    "delete",
    "list",
];

fn label_code(label: Label) -> u8 {
    let code = LABELS.iter().position(|l| *l == label);
    code.expect("a known relationship label") as u8
}

/// A relationship to another node, in eight bytes (a million shapes have a few million).
#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    label: u8,
}

/// A node's position in eight bytes fewer than a `usize`'s: ample for any model.
fn compact(n: NodeId) -> u32 {
    u32::try_from(n).expect("fewer than 2^32 shapes")
}

pub struct ShapeIndex<'m> {
    nodes: Vec<Node<'m>>,
    /// Shapes (not members: see [`ShapeIndex::lookup`]) by ID, borrowed from the model.
    by_id: HashMap<&'m str, NodeId>,
    forward: Adjacency<Edge>,
    reverse: Adjacency<Edge>,
    /// Shape → the trait shapes applied to it (back: [`ShapeIndex::with_trait`]).
    trait_forward: Adjacency<u32>,
    /// Shapes by trait ID, for starting sets.
    with_trait: HashMap<&'m str, Vec<NodeId>>,
    pub model: &'m Model,
}

/// The edges of every node in one vector, node after node (a vector per node would be most of
/// the index's memory: most shapes have one or two edges).
struct Adjacency<T> {
    edges: Vec<T>,
    /// Where the edges of node `n` start; `starts[n + 1]` is where they end.
    starts: Vec<u32>,
}

impl<T: Copy> Adjacency<T> {
    /// The edges `edge` makes of `pairs` (a node and what it leads to), grouped by node,
    /// keeping their order within a node: counted into place, as a sort of a few million
    /// edges cost more than the rest of the index.
    fn new<P>(nodes: usize, pairs: &[P], edge: impl Fn(&P) -> (NodeId, T)) -> Adjacency<T> {
        let mut starts = vec![0u32; nodes + 1];
        for pair in pairs {
            starts[edge(pair).0 + 1] += 1;
        }
        for n in 0..nodes {
            starts[n + 1] += starts[n];
        }
        let Some(filler) = pairs.first().map(|p| edge(p).1) else {
            return Adjacency {
                edges: Vec::new(),
                starts,
            };
        };
        let mut next = starts.clone();
        let mut edges = vec![filler; pairs.len()];
        for pair in pairs {
            let (n, to) = edge(pair);
            edges[next[n] as usize] = to;
            next[n] += 1;
        }
        Adjacency { edges, starts }
    }

    fn of(&self, n: NodeId) -> &[T] {
        &self.edges[self.starts[n] as usize..self.starts[n + 1] as usize]
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

fn own_traits_of(traits: &Traits) -> TraitMap<'_> {
    traits
        .iter()
        .map(|(id, t)| (id.as_str(), Cow::Borrowed(&t.value)))
        .collect()
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

/// The prelude's shapes and traits with their IDs, in the order the index gives them nodes.
fn prelude_shapes() -> &'static [(String, &'static str, ShapeType)] {
    static SHAPES: OnceLock<Vec<(String, &'static str, ShapeType)>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let shapes = prelude::SHAPES.iter().map(|(n, t)| (*n, *t));
        let traits = prelude::TRAITS.iter().map(|t| (t.name, t.shape_type));
        shapes
            .chain(traits)
            .map(|(name, shape_type)| (format!("{}#{name}", prelude::NAMESPACE), name, shape_type))
            .collect()
    })
}

/// Shapes (with their members) per task when the index is built on the pool.
const SHAPES_PER_TASK: usize = 2048;
/// Nodes per task when their edges are found on the pool.
const NODES_PER_TASK: usize = 8192;

type TraitMemo<'m> = HashMap<&'m str, TraitMap<'m>>;

/// The nodes of `shape`: the shape, then each of its members (inherited ones too).
fn push_shape_nodes<'m>(
    members: &MemberIndex<'m>,
    shape: &'m Shape,
    memo: &mut TraitMemo<'m>,
    nodes: &mut Vec<Node<'m>>,
) {
    let model = members.model;
    let traits = match shape.mixins.is_empty() {
        true => TraitSource::Declared(&shape.traits),
        false => TraitSource::of(
            effective_traits(model, shape, memo, &mut Vec::new()),
            &shape.traits,
        ),
    };
    nodes.push(Node {
        shape_id: &shape.id,
        traits,
        shape: Some(shape),
        declaration: None,
        kind: Kind::Shape(shape.shape_type),
        prelude: false,
    });
    for m in members.each_member(shape) {
        // A member redeclared over a mixin member has that member's traits too: the loader
        // merged them into its own (`build::inherit_redeclared_member_traits`).
        let mut traits = TraitSource::Declared(&m.traits);
        // `@mixin` is never passed on, to a mixed-in member either.
        let inherited = || !shape.members.iter().any(|own| std::ptr::eq(own, m));
        if m.traits.contains_key("smithy.api#mixin") && inherited() {
            let mut merged = own_traits_of(&m.traits);
            merged.remove("smithy.api#mixin");
            traits = TraitSource::Merged(Box::new(merged));
        }
        let implied_value = shape.shape_type == ShapeType::Enum
            && !traits.view().contains_key("smithy.api#enumValue");
        if implied_value {
            let mut merged: TraitMap<'m> = match traits {
                TraitSource::Declared(t) => own_traits_of(t),
                TraitSource::Merged(m) => *m,
                TraitSource::None => TraitMap::new(),
            };
            merged.insert(
                "smithy.api#enumValue",
                Cow::Owned(Value::String(m.name.clone())),
            );
            traits = TraitSource::Merged(Box::new(merged));
        }
        nodes.push(Node {
            shape_id: &shape.id,
            traits,
            shape: Some(shape),
            declaration: Some(m),
            kind: Kind::Member,
            prelude: false,
        });
    }
}

/// What a run of nodes links: (from, to, label) edges, trait edges (from a node to the
/// definition of a trait it carries), and per trait ID its definition's node and carriers.
#[derive(Default)]
struct Links<'m> {
    edges: Vec<(u32, u32, u8)>,
    trait_edges: Vec<(u32, u32)>,
    with_trait: HashMap<&'m str, (Option<NodeId>, Vec<NodeId>)>,
}

impl<'m> ShapeIndex<'m> {
    pub fn new(model: &'m Model) -> ShapeIndex<'m> {
        ShapeIndex::with_members(&MemberIndex::new(model))
    }

    /// [`ShapeIndex::new`] with the members of the model already merged with their mixins'.
    pub fn with_members(members: &MemberIndex<'m>) -> ShapeIndex<'m> {
        let model = members.model;
        let prelude = prelude_shapes();
        // Shapes in runs on the pool, each run with memos of its own (they only save work),
        // joined in the model's order: the same nodes for any number of threads.
        let shapes: Vec<&'m Shape> = model.shapes.values().collect();
        let runs: Vec<Vec<Node<'m>>> = shapes
            .par_chunks(SHAPES_PER_TASK)
            .map(|run| {
                let mut nodes = Vec::with_capacity(4 * run.len());
                let mut memo = HashMap::default();
                for shape in run {
                    push_shape_nodes(members, shape, &mut memo, &mut nodes);
                }
                nodes
            })
            .collect();
        // Counted exactly: a vector grown past its room doubles, which at a million nodes is
        // tens of megabytes.
        let count = runs.iter().map(Vec::len).sum::<usize>() + prelude.len();
        let mut nodes: Vec<Node<'m>> = Vec::with_capacity(count);
        for run in runs {
            nodes.extend(run);
        }
        for (id, name, shape_type) in prelude {
            if model.shapes.contains_key(id) {
                continue;
            }
            let traits = prelude_traits(name);
            nodes.push(Node {
                shape_id: id,
                traits: match traits.is_empty() {
                    true => TraitSource::None,
                    false => TraitSource::Merged(Box::new(traits)),
                },
                shape: None,
                declaration: None,
                kind: Kind::Shape(*shape_type),
                prelude: true,
            });
        }
        let mut by_id: HashMap<&'m str, NodeId> = HashMap::default();
        by_id.reserve(model.shapes.len() + prelude.len());
        let shape_nodes = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.member().is_none());
        by_id.extend(shape_nodes.map(|(i, n)| (n.shape_id, i)));
        let mut index = ShapeIndex {
            forward: Adjacency::new(0, &[], |&(n, e): &(NodeId, Edge)| (n, e)),
            reverse: Adjacency::new(0, &[], |&(n, e): &(NodeId, Edge)| (n, e)),
            trait_forward: Adjacency::new(0, &[], |&(n, e): &(NodeId, u32)| (n, e)),
            with_trait: HashMap::default(),
            nodes,
            by_id,
            model,
        };
        index.link();
        index
    }

    fn link(&mut self) {
        // Runs of nodes on the pool, joined in order: the edges of each node keep the order
        // in which they are found, and each trait's carriers stay sorted.
        let runs: Vec<Links<'m>> = self
            .nodes
            .par_chunks(NODES_PER_TASK)
            .enumerate()
            .map(|(run, nodes)| {
                let mut links = Links {
                    // A member has two edges (from its container, to its target).
                    edges: Vec::with_capacity(2 * nodes.len()),
                    ..Links::default()
                };
                for (at, node) in nodes.iter().enumerate() {
                    self.link_node(run * NODES_PER_TASK + at, node, &mut links);
                }
                links
            })
            .collect();
        let mut edges = Vec::with_capacity(runs.iter().map(|r| r.edges.len()).sum());
        let mut trait_edges = Vec::new();
        let mut with_trait: HashMap<&'m str, Vec<NodeId>> = HashMap::default();
        for run in runs {
            edges.extend(run.edges);
            trait_edges.extend(run.trait_edges);
            for (id, (_, carriers)) in run.with_trait {
                with_trait.entry(id).or_default().extend(carriers);
            }
        }
        let count = self.nodes.len();
        let (forward, reverse) = rayon::join(
            || {
                Adjacency::new(count, &edges, |&(from, to, label)| {
                    (from as usize, Edge { to, label })
                })
            },
            || {
                Adjacency::new(count, &edges, |&(from, to, label)| {
                    (to as usize, Edge { to: from, label })
                })
            },
        );
        (self.forward, self.reverse) = (forward, reverse);
        drop(edges);
        self.trait_forward = Adjacency::new(count, &trait_edges, |&(from, to)| (from as usize, to));
        self.with_trait = with_trait
            .into_iter()
            .map(|(id, mut carriers)| {
                carriers.shrink_to_fit();
                (id, carriers)
            })
            .collect();
    }

    /// The edges from node `from`, and the traits it carries, added to `links`.
    fn link_node(&self, from: NodeId, node: &Node<'m>, links: &mut Links<'m>) {
        let lookup = |id: &str| self.by_id.get(id).copied();
        let from_compact = compact(from);
        for trait_id in node.traits.keys() {
            let (definition, carriers) = links
                .with_trait
                .entry(trait_id)
                .or_insert_with(|| (lookup(trait_id), Vec::new()));
            carriers.push(from);
            if let Some(t) = *definition {
                links.trait_edges.push((from_compact, compact(t)));
            }
        }
        let Some(shape) = node.shape else { return };
        let mut add = |label: Label, to: NodeId| {
            links
                .edges
                .push((from_compact, compact(to), label_code(label)));
        };
        if node.member().is_none() {
            for to in shape.mixins.iter().filter_map(|m| lookup(&m.target)) {
                add("mixin", to);
            }
            // A shape's member nodes follow it (see `with_members`).
            let member_nodes = self.nodes[from + 1..]
                .iter()
                .take_while(|n| n.member().is_some())
                .count();
            for m in from + 1..=from + member_nodes {
                add("member", m);
            }
        }
        let mut add = |label: Label, target: &str| {
            if let Some(to) = lookup(target) {
                add(label, to);
            }
        };
        if node.member().is_some() {
            // Enum members have no target relationship.
            let is_enum = matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum);
            if let (false, Some(target)) = (is_enum, node.target()) {
                add("", target);
            }
            return;
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
                // Input or output of `smithy.api#Unit` (said or left out) is no
                // relationship in the reference: `:test(-[output]->)` fails on it.
                for (label, x) in [("input", &r.input), ("output", &r.output)] {
                    if let Some(x) = x.as_ref().filter(|x| x.target != "smithy.api#Unit") {
                        add(label, &x.target);
                    }
                }
                r.errors.iter().for_each(|x| add("error", &x.target));
            }
            _ => {}
        }
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

    /// The relationships of a node, in the order the model gives them.
    pub fn forward(&self, id: NodeId) -> impl Iterator<Item = (Label, NodeId)> + Clone + '_ {
        self.relationships(id, false)
    }

    /// The relationships to a node, by the node they come from.
    pub fn reverse(&self, id: NodeId) -> impl Iterator<Item = (Label, NodeId)> + Clone + '_ {
        self.relationships(id, true)
    }

    /// [`ShapeIndex::forward`], or with `reverse` [`ShapeIndex::reverse`].
    pub fn relationships(
        &self,
        id: NodeId,
        reverse: bool,
    ) -> impl Iterator<Item = (Label, NodeId)> + Clone + '_ {
        let edges = match reverse {
            true => self.reverse.of(id),
            false => self.forward.of(id),
        };
        edges
            .iter()
            .map(|e| (LABELS[usize::from(e.label)], e.to as usize))
    }

    /// The trait shapes applied to a node, in trait ID order.
    pub fn trait_forward(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.trait_forward.of(id).iter().map(|&n| n as usize)
    }

    /// The shapes a trait shape is applied to.
    pub fn trait_reverse(&self, id: NodeId) -> &[NodeId] {
        let node = &self.nodes[id];
        match node.declaration {
            // A member is never a trait's definition.
            Some(_) => &[],
            None => self.with_trait(node.shape_id),
        }
    }
}
