//! Layered graph layout behind our own types, so that the engine can be replaced.
//!
//! [`LayeredLayout`] takes boxes (with their sizes), nested clusters and edges (with label
//! sizes) and returns positions, cluster rectangles and edge routes. [`DagreLayout`] implements
//! it with dugong, a port of dagre (the layout mermaid uses); if the engine fails, a plain grid
//! layout is returned instead, so that rendering never fails.

use super::routing;
use crate::layout_budget::LayoutSize;
use dugong::graphlib::{Graph, GraphOptions};
use dugong::{EdgeLabel, GraphLabel, NodeLabel, RankDir};

/// The direction ranks flow in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    TopBottom,
    BottomTop,
    LeftRight,
    RightLeft,
}

impl Direction {
    /// Mermaid's direction words: `TB`/`TD`, `BT`, `LR`, `RL` (and the arrows `v`, `^`, `>`, `<`).
    pub fn from_mermaid(word: &str) -> Direction {
        match word.trim() {
            "BT" | "^" => Direction::BottomTop,
            "LR" | ">" => Direction::LeftRight,
            "RL" | "<" => Direction::RightLeft,
            _ => Direction::TopBottom,
        }
    }

    pub fn is_horizontal(self) -> bool {
        matches!(self, Direction::LeftRight | Direction::RightLeft)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// A rectangle by its top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }

    /// Whether two rectangles share interior area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        const EPS: f64 = 0.5;
        self.x + EPS < other.x + other.width
            && other.x + EPS < self.x + self.width
            && self.y + EPS < other.y + other.height
            && other.y + EPS < self.y + self.height
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutNode {
    pub width: f64,
    pub height: f64,
    /// The innermost cluster holding the node.
    pub cluster: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutCluster {
    pub parent: Option<usize>,
    /// Room for the cluster's title, kept free at its top.
    pub label_width: f64,
    pub label_height: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutEdge {
    pub from: usize,
    pub to: usize,
    /// Size of the edge's label (0 when it has none).
    pub label_width: f64,
    pub label_height: f64,
    /// Minimum number of ranks the edge spans (mermaid's longer arrows: `--->`).
    pub min_length: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutInput {
    pub direction: Direction,
    pub nodes: Vec<LayoutNode>,
    pub clusters: Vec<LayoutCluster>,
    pub edges: Vec<LayoutEdge>,
    /// Space between neighbouring boxes in a rank, and between ranks.
    pub node_spacing: f64,
    pub rank_spacing: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeRoute {
    /// From the source box's border to the target box's border.
    pub points: Vec<Point>,
    /// Centre of the label, when the edge has one.
    pub label: Option<Point>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutOutput {
    pub nodes: Vec<Rect>,
    pub clusters: Vec<Rect>,
    pub edges: Vec<EdgeRoute>,
    pub width: f64,
    pub height: f64,
}

pub trait LayeredLayout {
    fn layout(&self, input: &LayoutInput) -> LayoutOutput;
}

/// dagre's algorithm through dugong.
#[derive(Debug, Clone, Copy, Default)]
pub struct DagreLayout;

/// Margin around the drawing.
const MARGIN: f64 = 8.0;
/// Padding inside a cluster around its content.
const CLUSTER_PADDING: f64 = 12.0;

impl LayeredLayout for DagreLayout {
    fn layout(&self, input: &LayoutInput) -> LayoutOutput {
        let key = LayoutKey::of(input);
        if let Some(key) = &key {
            let known = LAID_OUT.lock().map(|map| map.get(key).cloned());
            if let Ok(Some(output)) = known {
                return output.as_ref().clone();
            }
        }
        let (output, panicked) = laid_out(input, Ranker::NetworkSimplex);
        if panicked {
            ENGINE_PANICKED.set(true);
        } else if let (Some(key), Ok(mut map)) = (key, LAID_OUT.lock()) {
            if map.len() >= LAID_OUT_ENTRIES {
                map.clear();
            }
            map.insert(key, std::sync::Arc::new(output.clone()));
        }
        output
    }
}

/// dagre's algorithm with its cheaper "tight-tree" ranker: ranks from longest paths, pulled
/// tight along a spanning tree, without network simplex's rounds, which take most of the time
/// of a graph of a thousand boxes (the plans of a large repository: 1 s of network simplex,
/// 0.4 s of tight tree). Small graphs get the same ranks either way. Nothing is kept for
/// reuse: graphs this large are laid out once.
#[derive(Debug, Clone, Copy, Default)]
pub struct TightTreeLayout;

impl LayeredLayout for TightTreeLayout {
    fn layout(&self, input: &LayoutInput) -> LayoutOutput {
        let (output, panicked) = laid_out(input, Ranker::TightTree);
        if panicked {
            ENGINE_PANICKED.set(true);
        }
        output
    }
}

/// How dagre assigns ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ranker {
    /// dagre's default (and mermaid's).
    NetworkSimplex,
    TightTree,
}

/// How many layouts [`LAID_OUT`] keeps before it starts again (a few KB each).
const LAID_OUT_ENTRIES: usize = 4096;
/// The largest graph (boxes, clusters and edges) whose layout is kept: larger ones are rare
/// and cost more memory than a repeat would save.
const LAID_OUT_MAX_ITEMS: usize = 1000;

/// Layouts already made in this process, by their exact input. A layout is a function of its
/// input alone, and plans repeat graphs (a diagram copied from a template, services of the
/// same shape, whose maps differ only in names), so the same boxes and edges are often laid
/// out again: then the result is taken from here.
static LAID_OUT: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<LayoutKey, std::sync::Arc<LayoutOutput>>>,
> = std::sync::LazyLock::new(Default::default);

/// A [`LayoutInput`] as words, every number by its bits: equal keys are equal inputs.
#[derive(PartialEq, Eq, Hash)]
struct LayoutKey(Vec<u64>);

impl LayoutKey {
    /// The key of `input`, or `None` when the graph is too large to keep.
    fn of(input: &LayoutInput) -> Option<LayoutKey> {
        let items = input.nodes.len() + input.clusters.len() + input.edges.len();
        if items > LAID_OUT_MAX_ITEMS {
            return None;
        }
        let index = |i: Option<usize>| i.map_or(u64::MAX, |i| i as u64);
        let mut words = Vec::with_capacity(6 + 3 * items + 2 * input.edges.len());
        words.extend([
            input.direction as u64,
            input.node_spacing.to_bits(),
            input.rank_spacing.to_bits(),
            input.nodes.len() as u64,
            input.clusters.len() as u64,
            input.edges.len() as u64,
        ]);
        for node in &input.nodes {
            words.extend([
                node.width.to_bits(),
                node.height.to_bits(),
                index(node.cluster),
            ]);
        }
        for cluster in &input.clusters {
            words.extend([
                index(cluster.parent),
                cluster.label_width.to_bits(),
                cluster.label_height.to_bits(),
            ]);
        }
        for edge in &input.edges {
            words.extend([
                edge.from as u64,
                edge.to as u64,
                edge.label_width.to_bits(),
                edge.label_height.to_bits(),
                edge.min_length as u64,
            ]);
        }
        Some(LayoutKey(words))
    }
}

/// The layout of `input`, made now: dagre's, the rows of [`over_budget`] for a graph too large
/// for it, or the grid when the engine fails; and whether the engine panicked.
fn laid_out(input: &LayoutInput, ranker: Ranker) -> (LayoutOutput, bool) {
    if !layout_size(input).fits() {
        let mut output = over_budget(input);
        normalise(&mut output, input);
        return (output, false);
    }
    let result = std::panic::catch_unwind(|| dagre(input, ranker));
    let panicked = result.is_err();
    let mut output = result.ok().flatten().unwrap_or_else(|| grid(input));
    normalise(&mut output, input);
    (output, panicked)
}

thread_local! {
    /// Set when the layout engine panicked on this thread (the grid was drawn instead).
    static ENGINE_PANICKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the layout engine panicked on this thread since the last call: the caller that
/// reports (`build`) says so, since a drawing itself reports nothing.
pub fn take_engine_panic() -> bool {
    ENGINE_PANICKED.replace(false)
}

/// What stands for a box in one scope of [`layout_nested`]: a node, or a cluster laid out on
/// its own and placed as one box.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Item {
    Node(usize),
    Collapsed(usize),
}

/// One scope's layout: the whole drawing, or a cluster laid out in its own direction.
struct Scope {
    items: Vec<Item>,
    clusters: Vec<usize>,
    edges: Vec<usize>,
    out: LayoutOutput,
}

/// Lays out with `engine`, giving each cluster whose `directions` entry is set its own
/// direction, as mermaid does: only when no edge crosses the cluster's border (then it is laid
/// out alone and placed as one box); otherwise the direction is ignored.
///
/// `cluster_ends` says, per edge, which cluster its source and target stand for when the edge
/// was drawn to a cluster (mermaid's links to a subgraph id); such an edge ends at the cluster
/// when that is laid out on its own, and at its node otherwise.
pub fn layout_nested(
    engine: &dyn LayeredLayout,
    input: &LayoutInput,
    directions: &[Option<Direction>],
    cluster_ends: &[(Option<usize>, Option<usize>)],
) -> LayoutOutput {
    let n = input.clusters.len();
    let parent = |c: usize| input.clusters[c].parent.filter(|p| *p < n && *p != c);
    // The clusters holding a node, innermost first (bounded against parent cycles).
    let chain = |mut k: Option<usize>| {
        let mut list = Vec::new();
        while let Some(c) = k.filter(|c| *c < n) {
            if list.len() > n || list.contains(&c) {
                break;
            }
            list.push(c);
            k = parent(c);
        }
        list
    };
    let node_chains: Vec<Vec<usize>> = input.nodes.iter().map(|nd| chain(nd.cluster)).collect();
    let holds = |c: usize, node: usize| node_chains.get(node).is_some_and(|ch| ch.contains(&c));
    let ends = |k: usize| cluster_ends.get(k).copied().unwrap_or((None, None));
    // Whether an edge end is inside cluster `c`; an end standing for `c` itself is outside.
    let end_inside = |c: usize, node: usize, cluster: Option<usize>| match cluster {
        Some(x) if x < n => x != c && chain(Some(x)).contains(&c),
        _ => holds(c, node),
    };
    let separate: Vec<bool> = (0..n)
        .map(|c| {
            directions.get(c).copied().flatten().is_some()
                && (0..input.nodes.len()).any(|i| holds(c, i))
                && !input.edges.iter().enumerate().any(|(k, e)| {
                    let (from, to) = ends(k);
                    end_inside(c, e.from, from) != end_inside(c, e.to, to)
                })
        })
        .collect();
    if !separate.contains(&true) {
        return engine.layout(input);
    }
    // The nearest separately laid-out cluster above a cluster (None: the whole drawing).
    let scope_above = |c: usize| chain(parent(c)).into_iter().find(|x| separate[*x]);
    let node_scope = |i: usize| node_chains[i].iter().copied().find(|x| separate[*x]);
    // How node `i` appears in scope `s`: itself, or the separate cluster holding it there.
    let item_in = |i: usize, s: Option<usize>| -> Option<Item> {
        if node_scope(i) == s {
            return Some(Item::Node(i));
        }
        node_chains[i]
            .iter()
            .copied()
            .find(|x| separate[*x] && scope_above(*x) == s)
            .map(Item::Collapsed)
    };
    let mut order: Vec<Option<usize>> = (0..n).filter(|c| separate[*c]).map(Some).collect();
    order.sort_by_key(|c| std::cmp::Reverse(c.map_or(0, |c| chain(Some(c)).len())));
    order.push(None);
    let mut scopes: Vec<(Option<usize>, Scope)> = Vec::new();
    for s in order {
        let local_clusters: Vec<usize> = (0..n)
            .filter(|c| !separate[*c] && (0..input.nodes.len()).any(|i| holds(*c, i)))
            .filter(|c| chain(Some(*c)).into_iter().find(|x| separate[*x]) == s)
            .collect();
        let local_cluster =
            |c: Option<usize>| c.and_then(|c| local_clusters.iter().position(|x| *x == c));
        let mut items = Vec::new();
        let mut nodes = Vec::new();
        for (i, node) in input.nodes.iter().enumerate() {
            if node_scope(i) == s {
                items.push(Item::Node(i));
                nodes.push(LayoutNode {
                    cluster: local_cluster(node.cluster),
                    ..node.clone()
                });
            }
        }
        for (inner, scope) in &scopes {
            let Some(c) = *inner else { continue };
            if scope_above(c) != s {
                continue;
            }
            let title = title_room(&input.clusters[c]);
            let content_width = scope.out.width - 2.0 * MARGIN;
            items.push(Item::Collapsed(c));
            nodes.push(LayoutNode {
                width: (content_width + 2.0 * CLUSTER_PADDING)
                    .max(input.clusters[c].label_width + 2.0 * CLUSTER_PADDING),
                height: scope.out.height - 2.0 * MARGIN + 2.0 * CLUSTER_PADDING + title,
                cluster: local_cluster(parent(c)),
            });
        }
        let local_item = |item: Item| items.iter().position(|x| *x == item);
        // An end standing for a separate cluster is that cluster's box, in the scope where
        // the cluster (or a separate cluster around it) is one box, and nowhere else.
        let end_item = |node: usize, cluster: Option<usize>| match cluster {
            Some(x) if x < n && separate[x] => chain(Some(x))
                .into_iter()
                .find(|y| separate[*y] && scope_above(*y) == s)
                .map(Item::Collapsed),
            _ => item_in(node, s),
        };
        let mut edges = Vec::new();
        let mut edge_ids = Vec::new();
        for (k, edge) in input.edges.iter().enumerate() {
            let (from, to) = ends(k);
            let (Some(a), Some(b)) = (end_item(edge.from, from), end_item(edge.to, to)) else {
                continue;
            };
            if matches!((a, b), (Item::Collapsed(x), Item::Collapsed(y)) if x == y) {
                continue;
            }
            let (Some(from), Some(to)) = (local_item(a), local_item(b)) else {
                continue;
            };
            edge_ids.push(k);
            edges.push(LayoutEdge {
                from,
                to,
                ..edge.clone()
            });
        }
        let local = LayoutInput {
            direction: s
                .and_then(|c| directions.get(c).copied().flatten())
                .unwrap_or(input.direction),
            nodes,
            clusters: local_clusters
                .iter()
                .map(|c| LayoutCluster {
                    parent: local_cluster(parent(*c)),
                    ..input.clusters[*c].clone()
                })
                .collect(),
            edges,
            node_spacing: input.node_spacing,
            rank_spacing: input.rank_spacing,
        };
        let out = engine.layout(&local);
        scopes.push((
            s,
            Scope {
                items,
                clusters: local_clusters,
                edges: edge_ids,
                out,
            },
        ));
    }
    let mut result = LayoutOutput {
        nodes: vec![Rect::default(); input.nodes.len()],
        clusters: vec![Rect::default(); n],
        edges: vec![EdgeRoute::default(); input.edges.len()],
        width: 0.0,
        height: 0.0,
    };
    if let Some((_, root)) = scopes.iter().find(|(s, _)| s.is_none()) {
        result.width = root.out.width;
        result.height = root.out.height;
    }
    // Place each scope's content, from the whole drawing inwards.
    let mut pending: Vec<(Option<usize>, f64, f64)> = vec![(None, 0.0, 0.0)];
    while let Some((s, dx, dy)) = pending.pop() {
        let Some((_, scope)) = scopes.iter().find(|(x, _)| *x == s) else {
            continue;
        };
        let shift = |r: Rect| Rect {
            x: r.x + dx,
            y: r.y + dy,
            ..r
        };
        for (item, rect) in scope.items.iter().zip(&scope.out.nodes) {
            let rect = shift(*rect);
            match *item {
                Item::Node(i) => result.nodes[i] = rect,
                Item::Collapsed(c) => {
                    result.clusters[c] = rect;
                    let Some((_, inner)) = scopes.iter().find(|(x, _)| *x == Some(c)) else {
                        continue;
                    };
                    let content_width = inner.out.width - 2.0 * MARGIN;
                    let spare = (rect.width - content_width - 2.0 * CLUSTER_PADDING).max(0.0);
                    pending.push((
                        Some(c),
                        rect.x + CLUSTER_PADDING + spare / 2.0 - MARGIN,
                        rect.y + CLUSTER_PADDING + title_room(&input.clusters[c]) - MARGIN,
                    ));
                }
            }
        }
        for (c, rect) in scope.clusters.iter().zip(&scope.out.clusters) {
            if rect.width > 0.0 || rect.height > 0.0 {
                result.clusters[*c] = shift(*rect);
            }
        }
        for (k, route) in scope.edges.iter().zip(&scope.out.edges) {
            let move_point = |p: &Point| Point {
                x: p.x + dx,
                y: p.y + dy,
            };
            result.edges[*k] = EdgeRoute {
                points: route.points.iter().map(move_point).collect(),
                label: route.label.as_ref().map(move_point),
            };
        }
    }
    // Scopes were laid out apart: a route of one may cross a box of another.
    avoid(
        input,
        &result.nodes,
        &result.clusters,
        &mut result.edges,
        &[],
    );
    result
}

/// Where a cluster's title stands: centred at its top (edges may cross the top beside it).
fn title_rect(cluster: &LayoutCluster, rect: Rect) -> Rect {
    let width = (cluster.label_width + 8.0).min(rect.width);
    Rect {
        x: rect.x + (rect.width - width) / 2.0,
        y: rect.y,
        width,
        height: CLUSTER_PADDING / 2.0 + title_room(cluster),
    }
}

/// Room kept free above a cluster's content for its title.
fn title_room(cluster: &LayoutCluster) -> f64 {
    if cluster.label_height > 0.0 {
        cluster.label_height + 4.0
    } else {
        0.0
    }
}

fn node_key(i: usize) -> String {
    format!("n{i}")
}

fn cluster_key(i: usize) -> String {
    format!("c{i}")
}

fn dagre(input: &LayoutInput, ranker: Ranker) -> Option<LayoutOutput> {
    let mut g: Graph<NodeLabel, EdgeLabel, GraphLabel> = Graph::new(GraphOptions {
        multigraph: true,
        compound: true,
        directed: true,
    });
    g.set_graph(GraphLabel {
        rankdir: match input.direction {
            Direction::TopBottom => RankDir::TB,
            Direction::BottomTop => RankDir::BT,
            Direction::LeftRight => RankDir::LR,
            Direction::RightLeft => RankDir::RL,
        },
        nodesep: input.node_spacing,
        ranksep: input.rank_spacing,
        edgesep: 10.0,
        marginx: MARGIN,
        marginy: MARGIN,
        ranker: (ranker == Ranker::TightTree).then(|| "tight-tree".to_string()),
        ..GraphLabel::default()
    });
    // Only clusters that hold something take part: dagre has no use for an empty compound.
    let mut used = vec![false; input.clusters.len()];
    for node in &input.nodes {
        let mut c = node.cluster;
        while let Some(i) = c.filter(|i| *i < input.clusters.len()) {
            if std::mem::replace(&mut used[i], true) {
                break;
            }
            c = input.clusters[i].parent;
        }
    }
    for (i, cluster) in input.clusters.iter().enumerate().filter(|(i, _)| used[*i]) {
        let _ = cluster;
        g.set_node(cluster_key(i), NodeLabel::default());
    }
    // Parents as given may loop (a C4 boundary nested in one of the same alias), and dagre
    // panics on a loop: a parent that would close one is left out.
    let mut parent_of: Vec<Option<usize>> = vec![None; input.clusters.len()];
    for (i, cluster) in input.clusters.iter().enumerate().filter(|(i, _)| used[*i]) {
        let Some(parent) = cluster.parent.filter(|p| *p < used.len() && used[*p]) else {
            continue;
        };
        // `parent_of` holds no loop, so this walk ends.
        let mut above = Some(parent);
        while let Some(k) = above.filter(|k| *k != i) {
            above = parent_of[k];
        }
        if above.is_none() {
            parent_of[i] = Some(parent);
            g.set_parent(cluster_key(i), cluster_key(parent));
        }
    }
    for (i, node) in input.nodes.iter().enumerate() {
        g.set_node(
            node_key(i),
            NodeLabel {
                width: node.width,
                height: node.height,
                ..NodeLabel::default()
            },
        );
        if let Some(c) = node.cluster.filter(|c| *c < used.len()) {
            g.set_parent(node_key(i), cluster_key(c));
        }
    }
    for (i, edge) in input.edges.iter().enumerate() {
        if edge.from >= input.nodes.len() || edge.to >= input.nodes.len() {
            continue;
        }
        let label = EdgeLabel {
            width: edge.label_width,
            height: edge.label_height,
            minlen: edge.min_length.max(1),
            weight: 1.0,
            ..EdgeLabel::default()
        };
        let name = format!("e{i}");
        g.set_edge_named(
            node_key(edge.from),
            node_key(edge.to),
            Some(name.as_str()),
            Some(label),
        );
    }
    dugong::layout(&mut g).ok()?;

    let rect_of = |label: &NodeLabel| Rect {
        x: label.x.unwrap_or(0.0) - label.width / 2.0,
        y: label.y.unwrap_or(0.0) - label.height / 2.0,
        width: label.width,
        height: label.height,
    };
    let nodes: Vec<Rect> = (0..input.nodes.len())
        .map(|i| g.node(&node_key(i)).map(rect_of).unwrap_or_default())
        .collect();
    let edges: Vec<EdgeRoute> = input
        .edges
        .iter()
        .enumerate()
        .map(|(i, edge)| {
            let name = format!("e{i}");
            match g.edge(
                &node_key(edge.from),
                &node_key(edge.to),
                Some(name.as_str()),
            ) {
                Some(label) => EdgeRoute {
                    points: label
                        .points
                        .iter()
                        .map(|p| Point { x: p.x, y: p.y })
                        .collect(),
                    label: match (label.x, label.y, edge.label_width > 0.0) {
                        (Some(x), Some(y), true) => Some(Point { x, y }),
                        _ => None,
                    },
                },
                None => EdgeRoute::default(),
            }
        })
        .collect();
    let mut edges = edges;
    let kept = avoid_nodes(input, &nodes, &mut edges);
    let clusters = cluster_rects(input, &nodes, &edges, &used);
    avoid(input, &nodes, &clusters, &mut edges, &kept);
    let label = g.graph();
    Some(LayoutOutput {
        nodes,
        clusters,
        edges,
        width: label.width,
        height: label.height,
    })
}

/// Whether cluster `c` holds node `i`, directly or through nested clusters (bounded against
/// parent cycles).
fn cluster_holds(input: &LayoutInput, c: usize, i: usize) -> bool {
    let n = input.clusters.len();
    let mut k = input.nodes.get(i).and_then(|node| node.cluster);
    for _ in 0..=n {
        match k {
            Some(x) if x == c => return true,
            Some(x) if x < n => k = input.clusters[x].parent,
            _ => return false,
        }
    }
    false
}

/// Leads every route around the boxes other than its own two ends; says which routes it left
/// as they were.
fn avoid_nodes(input: &LayoutInput, nodes: &[Rect], routes: &mut [EdgeRoute]) -> Vec<bool> {
    avoid(input, nodes, &[], routes, &[])
}

/// Leads every route around the boxes other than its own two ends, the clusters that hold
/// neither end (an edge between two namespaces keeps out of a third), and every cluster's
/// title (no edge strikes through a title). A route that [`avoid_nodes`] left as it was
/// (`kept`) and that meets no cluster would only repeat the same search, and is skipped: in a
/// plan graph most long routes give up after their detours. Says which routes it left as they
/// were.
fn avoid(
    input: &LayoutInput,
    nodes: &[Rect],
    clusters: &[Rect],
    routes: &mut [EdgeRoute],
    kept: &[bool],
) -> Vec<bool> {
    let n = input.clusters.len();
    let holds = |c: usize, node: usize| cluster_holds(input, c, node);
    let boxes = routing::Obstacles::new(nodes.to_vec());
    let mut extra: Vec<Rect> = Vec::new();
    let mut unchanged = Vec::with_capacity(routes.len());
    for (i, (edge, route)) in input.edges.iter().zip(routes.iter_mut()).enumerate() {
        extra.clear();
        for (c, rect) in clusters.iter().enumerate().take(n) {
            if rect.width <= 0.0 {
                continue;
            }
            if !holds(c, edge.from) && !holds(c, edge.to) {
                extra.push(*rect);
            } else if title_room(&input.clusters[c]) > 0.0 {
                extra.push(title_rect(&input.clusters[c], *rect));
            }
        }
        if extra.is_empty() && kept.get(i) == Some(&true) {
            unchanged.push(true);
            continue;
        }
        let moved = boxes.route_around(&mut route.points, &[edge.from, edge.to], &extra);
        unchanged.push(!moved);
    }
    unchanged
}

/// The rectangle an edge's label takes, when it has one.
fn label_rect(edge: &LayoutEdge, route: &EdgeRoute) -> Option<Rect> {
    let at = route.label?;
    Some(Rect {
        x: at.x - edge.label_width / 2.0,
        y: at.y - edge.label_height / 2.0,
        width: edge.label_width,
        height: edge.label_height,
    })
}

/// Cluster rectangles around their content (nodes, nested clusters, and the routes and labels
/// of edges between their nodes), with room for titles. Computed from the positions so that
/// every box is inside its clusters whatever the engine did with compound bounds.
fn cluster_rects(
    input: &LayoutInput,
    nodes: &[Rect],
    routes: &[EdgeRoute],
    used: &[bool],
) -> Vec<Rect> {
    let n = input.clusters.len();
    let holds = |c: usize, i: usize| cluster_holds(input, c, i);
    let mut rects: Vec<Option<Rect>> = vec![None; n];
    // Depth of each cluster, so that inner clusters are sized before outer ones.
    let depth = |mut c: usize| {
        let mut d = 0;
        while let Some(p) = input.clusters[c].parent.filter(|p| *p < n) {
            d += 1;
            c = p;
            if d > n {
                break;
            }
        }
        d
    };
    let mut order: Vec<usize> = (0..n)
        .filter(|i| used.get(*i).copied().unwrap_or(false))
        .collect();
    order.sort_by_key(|c| std::cmp::Reverse(depth(*c)));
    for c in order {
        let mut content: Vec<Rect> = input
            .nodes
            .iter()
            .zip(nodes)
            .filter(|(node, _)| node.cluster == Some(c))
            .map(|(_, r)| *r)
            .collect();
        content.extend(
            (0..n)
                .filter(|k| input.clusters[*k].parent == Some(c))
                .filter_map(|k| rects[k]),
        );
        if content.is_empty() {
            continue;
        }
        for (edge, route) in input.edges.iter().zip(routes) {
            if !(holds(c, edge.from) && holds(c, edge.to)) {
                continue;
            }
            content.extend(label_rect(edge, route));
            // Bends of the route (its ends touch nodes already inside).
            let inner = route.points.len().saturating_sub(1);
            content.extend(route.points.iter().take(inner).skip(1).map(|p| Rect {
                x: p.x,
                y: p.y,
                width: 0.0,
                height: 0.0,
            }));
        }
        let Some(first) = content.first().copied() else {
            continue;
        };
        let (mut x0, mut y0, mut x1, mut y1) = (
            first.x,
            first.y,
            first.x + first.width,
            first.y + first.height,
        );
        for r in &content {
            x0 = x0.min(r.x);
            y0 = y0.min(r.y);
            x1 = x1.max(r.x + r.width);
            y1 = y1.max(r.y + r.height);
        }
        let cluster = &input.clusters[c];
        let title = title_room(cluster);
        let width =
            (x1 - x0 + 2.0 * CLUSTER_PADDING).max(cluster.label_width + 2.0 * CLUSTER_PADDING);
        let centre_x = (x0 + x1) / 2.0;
        rects[c] = Some(Rect {
            x: centre_x - width / 2.0,
            y: y0 - CLUSTER_PADDING - title,
            width,
            height: y1 - y0 + 2.0 * CLUSTER_PADDING + title,
        });
    }
    rects.into_iter().map(Option::unwrap_or_default).collect()
}

/// The size of `input` as [`LayoutSize`] measures it: what `check` measures of the same graph.
pub fn layout_size(input: &LayoutInput) -> LayoutSize {
    let edges: Vec<(usize, usize, usize)> = input
        .edges
        .iter()
        .map(|e| (e.from, e.to, e.min_length))
        .collect();
    LayoutSize::measure(input.nodes.len() + input.clusters.len(), &edges)
}

/// The drawing of a graph too large for the layered layout, in linear time: boxes in rows in
/// the order given, each cluster's boxes together (clusters in their nesting order), edges as
/// straight lines, no routing around boxes.
fn over_budget(input: &LayoutInput) -> LayoutOutput {
    let n = input.clusters.len();
    let parent = |c: usize| input.clusters[c].parent.filter(|p| *p < n && *p != c);
    // Each cluster's chain from the outermost, bounded against parent cycles.
    let chains: Vec<Vec<usize>> = (0..n)
        .map(|c| {
            let mut chain = vec![c];
            let mut k = parent(c);
            while let Some(p) = k.filter(|p| chain.len() <= n && !chain.contains(p)) {
                chain.push(p);
                k = parent(p);
            }
            chain.reverse();
            chain
        })
        .collect();
    let empty = Vec::new();
    let chain_of = |i: usize| {
        input.nodes[i]
            .cluster
            .filter(|c| *c < n)
            .map_or(&empty, |c| &chains[c])
    };
    let mut order: Vec<usize> = (0..input.nodes.len()).collect();
    order.sort_by(|a, b| chain_of(*a).cmp(chain_of(*b)).then(a.cmp(b)));
    let columns = (input.nodes.len() as f64).sqrt().ceil().max(1.0) as usize;
    let cell_w =
        input.nodes.iter().map(|n| n.width).fold(0.0, f64::max) + input.node_spacing.max(20.0);
    let cell_h =
        input.nodes.iter().map(|n| n.height).fold(0.0, f64::max) + input.rank_spacing.max(20.0);
    let mut nodes = vec![Rect::default(); input.nodes.len()];
    for (slot, i) in order.iter().enumerate() {
        let node = &input.nodes[*i];
        nodes[*i] = Rect {
            x: MARGIN + (slot % columns) as f64 * cell_w,
            y: MARGIN + (slot / columns) as f64 * cell_h,
            width: node.width,
            height: node.height,
        };
    }
    let edges = input
        .edges
        .iter()
        .map(|e| straight_route(&nodes, e))
        .collect();
    // Cluster rectangles around their boxes, inner ones first, each grown by its padding.
    let mut clusters: Vec<Option<Rect>> = vec![None; n];
    let union = |a: Option<Rect>, b: Rect| match a {
        None => Some(b),
        Some(a) => {
            let (x, y) = (a.x.min(b.x), a.y.min(b.y));
            Some(Rect {
                x,
                y,
                width: (a.x + a.width).max(b.x + b.width) - x,
                height: (a.y + a.height).max(b.y + b.height) - y,
            })
        }
    };
    for (i, node) in input.nodes.iter().enumerate() {
        if let Some(c) = node.cluster.filter(|c| *c < n) {
            clusters[c] = union(clusters[c], nodes[i]);
        }
    }
    let mut by_depth: Vec<usize> = (0..n).collect();
    by_depth.sort_by_key(|c| std::cmp::Reverse(chains[*c].len()));
    for c in by_depth {
        let Some(content) = clusters[c] else { continue };
        let title = title_room(&input.clusters[c]);
        let rect = Rect {
            x: content.x - CLUSTER_PADDING,
            y: content.y - CLUSTER_PADDING - title,
            width: content.width + 2.0 * CLUSTER_PADDING,
            height: content.height + 2.0 * CLUSTER_PADDING + title,
        };
        clusters[c] = Some(rect);
        if let Some(p) = parent(c).filter(|p| chains[*p].len() < chains[c].len()) {
            clusters[p] = union(clusters[p], rect);
        }
    }
    LayoutOutput {
        nodes,
        clusters: clusters
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        edges,
        width: 0.0,
        height: 0.0,
    }
}

/// A straight route between the centres of an edge's boxes, its label halfway.
fn straight_route(nodes: &[Rect], e: &LayoutEdge) -> EdgeRoute {
    match (nodes.get(e.from), nodes.get(e.to)) {
        (Some(a), Some(b)) => {
            let (p, q) = (a.centre(), b.centre());
            EdgeRoute {
                points: vec![p, q],
                label: Some(Point {
                    x: (p.x + q.x) / 2.0,
                    y: (p.y + q.y) / 2.0,
                }),
            }
        }
        _ => EdgeRoute::default(),
    }
}

/// A last-resort layout: boxes in rows, edges as straight lines.
fn grid(input: &LayoutInput) -> LayoutOutput {
    let columns = (input.nodes.len() as f64).sqrt().ceil().max(1.0) as usize;
    let cell_w =
        input.nodes.iter().map(|n| n.width).fold(0.0, f64::max) + input.node_spacing.max(20.0);
    let cell_h =
        input.nodes.iter().map(|n| n.height).fold(0.0, f64::max) + input.rank_spacing.max(20.0);
    let nodes: Vec<Rect> = input
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Rect {
            x: MARGIN + (i % columns) as f64 * cell_w,
            y: MARGIN + (i / columns) as f64 * cell_h,
            width: n.width,
            height: n.height,
        })
        .collect();
    let edges: Vec<EdgeRoute> = input
        .edges
        .iter()
        .map(|e| straight_route(&nodes, e))
        .collect();
    let used = vec![true; input.clusters.len()];
    let mut edges = edges;
    let kept = avoid_nodes(input, &nodes, &mut edges);
    let clusters = cluster_rects(input, &nodes, &edges, &used);
    avoid(input, &nodes, &clusters, &mut edges, &kept);
    LayoutOutput {
        nodes,
        clusters,
        edges,
        width: 0.0,
        height: 0.0,
    }
}

/// Moves everything so that the drawing starts at (MARGIN, MARGIN), and sets the size to hold
/// every box, cluster, route point and label.
fn normalise(out: &mut LayoutOutput, input: &LayoutInput) {
    let mut x0 = f64::INFINITY;
    let mut y0 = f64::INFINITY;
    let mut x1 = f64::NEG_INFINITY;
    let mut y1 = f64::NEG_INFINITY;
    let mut take = |x: f64, y: f64| {
        if x.is_finite() && y.is_finite() {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    };
    for r in out
        .nodes
        .iter()
        .chain(&out.clusters)
        .filter(|r| r.width > 0.0 || r.height > 0.0)
    {
        take(r.x, r.y);
        take(r.x + r.width, r.y + r.height);
    }
    for e in &out.edges {
        for p in &e.points {
            take(p.x, p.y);
        }
    }
    for (edge, route) in input.edges.iter().zip(&out.edges) {
        if let Some(r) = label_rect(edge, route) {
            take(r.x, r.y);
            take(r.x + r.width, r.y + r.height);
        }
    }
    if !x0.is_finite() {
        out.width = 2.0 * MARGIN;
        out.height = 2.0 * MARGIN;
        return;
    }
    let (dx, dy) = (MARGIN - x0, MARGIN - y0);
    for r in out
        .nodes
        .iter_mut()
        .chain(out.clusters.iter_mut())
        .filter(|r| r.width > 0.0 || r.height > 0.0)
    {
        r.x += dx;
        r.y += dy;
    }
    for e in &mut out.edges {
        for p in e.points.iter_mut().chain(e.label.iter_mut()) {
            p.x += dx;
            p.y += dy;
        }
    }
    out.width = x1 - x0 + 2.0 * MARGIN;
    out.height = y1 - y0 + 2.0 * MARGIN;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(n: usize) -> Vec<LayoutNode> {
        (0..n)
            .map(|_| LayoutNode {
                width: 60.0,
                height: 30.0,
                cluster: None,
            })
            .collect()
    }

    #[test]
    fn chain_flows_in_the_direction_asked() {
        let edges = vec![LayoutEdge {
            from: 0,
            to: 1,
            min_length: 1,
            ..Default::default()
        }];
        for (direction, horizontal) in [(Direction::TopBottom, false), (Direction::LeftRight, true)]
        {
            let input = LayoutInput {
                direction,
                nodes: boxes(2),
                clusters: vec![],
                edges: edges.clone(),
                node_spacing: 40.0,
                rank_spacing: 40.0,
            };
            let out = DagreLayout.layout(&input);
            let (a, b) = (out.nodes[0].centre(), out.nodes[1].centre());
            if horizontal {
                assert!(b.x > a.x + 60.0, "{out:?}");
            } else {
                assert!(b.y > a.y + 30.0, "{out:?}");
            }
            assert!(!out.nodes[0].overlaps(&out.nodes[1]));
            assert!(out.edges[0].points.len() >= 2);
        }
    }

    #[test]
    fn a_cluster_without_crossing_edges_gets_its_own_direction() {
        // Top to bottom overall; the cluster holding 1 -> 2 asks for left to right.
        let mut nodes = boxes(4);
        nodes[1].cluster = Some(0);
        nodes[2].cluster = Some(0);
        let edge = |from, to| LayoutEdge {
            from,
            to,
            min_length: 1,
            ..Default::default()
        };
        let input = LayoutInput {
            direction: Direction::TopBottom,
            nodes,
            clusters: vec![LayoutCluster {
                parent: None,
                label_width: 30.0,
                label_height: 16.0,
            }],
            edges: vec![edge(1, 2), edge(0, 3)],
            node_spacing: 30.0,
            rank_spacing: 40.0,
        };
        let out = layout_nested(&DagreLayout, &input, &[Some(Direction::LeftRight)], &[]);
        let (a, b) = (out.nodes[1].centre(), out.nodes[2].centre());
        assert!(b.x > a.x + 60.0 && (a.y - b.y).abs() < 1.0, "{out:?}");
        let c = out.clusters[0];
        for r in &out.nodes[1..3] {
            assert!(r.x >= c.x && r.y >= c.y + 16.0);
            assert!(r.x + r.width <= c.x + c.width && r.y + r.height <= c.y + c.height);
        }
        for i in 0..4 {
            for j in i + 1..4 {
                assert!(!out.nodes[i].overlaps(&out.nodes[j]), "{out:?}");
            }
            assert!(out.nodes[i].x + out.nodes[i].width <= out.width);
        }
        assert!(out.edges[0].points.len() >= 2);
        // An edge crossing the border: the direction is ignored, as mermaid does.
        let mut crossing = input.clone();
        crossing.edges.push(edge(0, 1));
        let out = layout_nested(&DagreLayout, &crossing, &[Some(Direction::LeftRight)], &[]);
        assert!(out.nodes[2].centre().y > out.nodes[1].centre().y + 30.0);
        // An edge to the cluster itself keeps the direction and ends at the cluster's box.
        let ends = [(None, None), (None, None), (None, Some(0))];
        let out = layout_nested(
            &DagreLayout,
            &crossing,
            &[Some(Direction::LeftRight)],
            &ends,
        );
        let (a, b) = (out.nodes[1].centre(), out.nodes[2].centre());
        assert!(b.x > a.x + 60.0 && (a.y - b.y).abs() < 1.0, "{out:?}");
        let end = *out.edges[2].points.last().unwrap();
        let c = out.clusters[0];
        assert!(end.y <= c.y + 1.0 || end.x <= c.x + 1.0, "{end:?} {c:?}");
    }

    #[test]
    fn clusters_whose_parents_loop_are_laid_out_by_the_engine() {
        // Found by fuzzing: a C4 boundary nested in a boundary of the same alias made its
        // cluster its own ancestor, and the engine panicked (the grid was drawn instead).
        let mut nodes = boxes(3);
        nodes[0].cluster = Some(0);
        nodes[1].cluster = Some(1);
        nodes[2].cluster = Some(2);
        let cluster = |parent| LayoutCluster {
            parent,
            label_width: 40.0,
            label_height: 16.0,
        };
        for clusters in [
            vec![cluster(Some(0)), cluster(Some(0)), cluster(None)],
            vec![cluster(Some(1)), cluster(Some(2)), cluster(Some(0))],
        ] {
            let input = LayoutInput {
                direction: Direction::TopBottom,
                nodes: nodes.clone(),
                clusters,
                edges: Vec::new(),
                node_spacing: 30.0,
                rank_spacing: 40.0,
            };
            take_engine_panic();
            let out = DagreLayout.layout(&input);
            assert!(!take_engine_panic(), "{input:?}");
            assert_eq!(out.nodes.len(), 3);
        }
    }

    #[test]
    fn clusters_hold_their_nodes_and_nothing_overlaps() {
        let mut nodes = boxes(5);
        nodes[1].cluster = Some(0);
        nodes[2].cluster = Some(1);
        nodes[3].cluster = Some(1);
        let clusters = vec![
            LayoutCluster {
                parent: None,
                label_width: 80.0,
                label_height: 16.0,
            },
            LayoutCluster {
                parent: Some(0),
                label_width: 40.0,
                label_height: 16.0,
            },
        ];
        let edges = vec![
            LayoutEdge {
                from: 0,
                to: 1,
                label_width: 40.0,
                label_height: 14.0,
                min_length: 1,
            },
            LayoutEdge {
                from: 1,
                to: 2,
                min_length: 1,
                ..Default::default()
            },
            LayoutEdge {
                from: 3,
                to: 3,
                min_length: 1,
                ..Default::default()
            },
            LayoutEdge {
                from: 3,
                to: 4,
                min_length: 2,
                ..Default::default()
            },
            LayoutEdge {
                from: 4,
                to: 0,
                min_length: 1,
                ..Default::default()
            },
        ];
        let input = LayoutInput {
            direction: Direction::TopBottom,
            nodes,
            clusters,
            edges,
            node_spacing: 30.0,
            rank_spacing: 40.0,
        };
        let out = DagreLayout.layout(&input);
        for i in 0..out.nodes.len() {
            for j in i + 1..out.nodes.len() {
                assert!(
                    !out.nodes[i].overlaps(&out.nodes[j]),
                    "{i} and {j}: {out:?}"
                );
            }
        }
        let inside = |r: &Rect, c: &Rect| {
            r.x >= c.x
                && r.y >= c.y
                && r.x + r.width <= c.x + c.width
                && r.y + r.height <= c.y + c.height
        };
        assert!(inside(&out.nodes[1], &out.clusters[0]));
        assert!(inside(&out.nodes[2], &out.clusters[1]));
        assert!(inside(&out.clusters[1], &out.clusters[0]));
        assert!(out.edges[0].label.is_some());
        for r in out.nodes.iter().chain(&out.clusters) {
            assert!(
                r.x >= 0.0
                    && r.y >= 0.0
                    && r.x + r.width <= out.width
                    && r.y + r.height <= out.height
            );
        }
    }

    #[test]
    fn routes_keep_out_of_foreign_clusters_and_title_bands() {
        let rect = |x: f64, y: f64, width: f64, height: f64| Rect {
            x,
            y,
            width,
            height,
        };
        // Node 0 in cluster 0 (left), node 1 in cluster 1 (right), cluster 2 between them,
        // node 3 outside every cluster, above cluster 0.
        let node = |cluster| LayoutNode {
            width: 40.0,
            height: 20.0,
            cluster,
        };
        let titled = LayoutCluster {
            parent: None,
            label_width: 30.0,
            label_height: 16.0,
        };
        let edge = |from, to| LayoutEdge {
            from,
            to,
            min_length: 1,
            ..LayoutEdge::default()
        };
        let input = LayoutInput {
            nodes: vec![node(Some(0)), node(Some(1)), node(Some(2)), node(None)],
            clusters: vec![titled.clone(), titled.clone(), titled],
            edges: vec![edge(0, 1), edge(0, 3)],
            ..LayoutInput::default()
        };
        let nodes = [
            rect(20.0, 60.0, 40.0, 20.0),
            rect(320.0, 60.0, 40.0, 20.0),
            rect(170.0, 100.0, 40.0, 20.0),
            rect(20.0, -60.0, 40.0, 20.0),
        ];
        let clusters = [
            rect(0.0, 20.0, 80.0, 80.0),
            rect(300.0, 20.0, 80.0, 80.0),
            rect(150.0, 40.0, 80.0, 100.0),
        ];
        let route = |points: Vec<Point>| EdgeRoute {
            points,
            label: None,
        };
        let mut routes = vec![
            route(vec![
                Point { x: 60.0, y: 70.0 },
                Point { x: 320.0, y: 70.0 },
            ]),
            route(vec![
                Point { x: 40.0, y: 60.0 },
                Point { x: 40.0, y: -40.0 },
            ]),
        ];
        let title_band = rect(21.0, 20.0, 38.0, CLUSTER_PADDING / 2.0 + 20.0);
        assert!(routing::route_enters(&routes[0].points, clusters[2]));
        assert!(routing::route_enters(&routes[1].points, title_band));
        avoid(&input, &nodes, &clusters, &mut routes, &[]);
        let (across, up) = (&routes[0].points, &routes[1].points);
        assert!(!routing::route_enters(across, clusters[2]), "{across:?}");
        assert!(!routing::route_enters(up, title_band), "{up:?}");
        assert_eq!(up.last(), Some(&Point { x: 40.0, y: -40.0 }));
    }

    #[test]
    fn a_repeated_layout_is_the_one_made_anew() {
        let mut nodes = boxes(4);
        nodes[2].cluster = Some(0);
        nodes[3].cluster = Some(0);
        let input = LayoutInput {
            direction: Direction::LeftRight,
            nodes,
            clusters: vec![LayoutCluster {
                parent: None,
                label_width: 50.0,
                label_height: 16.0,
            }],
            edges: [(0, 1), (1, 2), (2, 3), (0, 3)]
                .map(|(from, to)| LayoutEdge {
                    from,
                    to,
                    label_width: 20.0,
                    label_height: 12.0,
                    min_length: 1,
                })
                .to_vec(),
            node_spacing: 25.0,
            rank_spacing: 35.0,
        };
        let first = DagreLayout.layout(&input);
        let key = LayoutKey::of(&input).expect("small graphs are kept");
        assert!(LAID_OUT.lock().unwrap().contains_key(&key));
        assert_eq!(DagreLayout.layout(&input), first);
        assert_eq!(laid_out(&input, Ranker::NetworkSimplex), (first, false));
        // Another spacing is another input.
        let wider = LayoutInput {
            node_spacing: 26.0,
            ..input.clone()
        };
        assert!(LayoutKey::of(&wider) != Some(key));
    }
}
