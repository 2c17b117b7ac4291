//! Layered graph layout behind our own types, so that the engine can be replaced.
//!
//! [`LayeredLayout`] takes boxes (with their sizes), nested clusters and edges (with label
//! sizes) and returns positions, cluster rectangles and edge routes. [`DagreLayout`] implements
//! it with dugong, a port of dagre (the layout mermaid uses); if the engine fails, a plain grid
//! layout is returned instead, so that rendering never fails.

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
        let result = std::panic::catch_unwind(|| dagre(input)).ok().flatten();
        let mut output = result.unwrap_or_else(|| grid(input));
        normalise(&mut output, input);
        output
    }
}

fn node_key(i: usize) -> String {
    format!("n{i}")
}

fn cluster_key(i: usize) -> String {
    format!("c{i}")
}

fn dagre(input: &LayoutInput) -> Option<LayoutOutput> {
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
    for (i, cluster) in input.clusters.iter().enumerate().filter(|(i, _)| used[*i]) {
        if let Some(parent) = cluster.parent.filter(|p| *p < used.len() && used[*p]) {
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
    let clusters = cluster_rects(input, &nodes, &edges, &used);
    let label = g.graph();
    Some(LayoutOutput {
        nodes,
        clusters,
        edges,
        width: label.width,
        height: label.height,
    })
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
    // Whether cluster `c` holds node `i`, directly or through nested clusters.
    let holds = |c: usize, i: usize| {
        let mut k = input.nodes.get(i).and_then(|node| node.cluster);
        for _ in 0..=n {
            match k {
                Some(x) if x == c => return true,
                Some(x) if x < n => k = input.clusters[x].parent,
                _ => return false,
            }
        }
        false
    };
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
        let title = if cluster.label_height > 0.0 {
            cluster.label_height + 4.0
        } else {
            0.0
        };
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
        .map(|e| match (nodes.get(e.from), nodes.get(e.to)) {
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
        })
        .collect();
    let used = vec![true; input.clusters.len()];
    let clusters = cluster_rects(input, &nodes, &edges, &used);
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
}
