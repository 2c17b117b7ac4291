//! What a drawing is before it is SVG: positioned nodes, clusters and edge routes with their
//! labels, markers and links, in the diagram's coordinates. A family's layout makes a
//! [`Scene`]; [`super::paint::paint`] is the one place that turns a scene into markup. Tests
//! check geometry here (no edge through a box it does not join) instead of in coordinates of
//! the SVG text.

use super::draw::{Head, Label};
use super::layout::{Point, Rect};
use super::routing;
use crate::mermaid::link::SafeUrl;
use std::collections::BTreeMap;

/// Horizontal alignment of text at its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn as_svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a line is stroked. Colours are theme values or ones that passed the colour check.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    pub colour: String,
    /// `None`: SVG's default width of 1, not written.
    pub width: Option<String>,
    pub dash: Option<String>,
}

impl Stroke {
    pub fn solid(colour: &str, width: f64) -> Stroke {
        Stroke {
            colour: colour.to_string(),
            width: Some(super::svg::num(width)),
            dash: None,
        }
    }

    /// A line of SVG's default width.
    pub fn thin(colour: &str) -> Stroke {
        Stroke {
            colour: colour.to_string(),
            width: None,
            dash: None,
        }
    }

    pub fn dashed(mut self, dash: &str) -> Stroke {
        self.dash = Some(dash.to_string());
        self
    }
}

/// Emphasis of a text beyond its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Emphasis {
    pub italic: bool,
    pub underline: bool,
}

/// Where a node's link opens (mermaid's `click` targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    Blank,
    Itself,
    Parent,
    Top,
}

impl LinkTarget {
    /// The target a diagram names (`_blank`, `_self`, `_parent`, `_top`); others are ignored.
    pub fn parse(name: &str) -> Option<LinkTarget> {
        Some(match name {
            "_blank" => LinkTarget::Blank,
            "_self" => LinkTarget::Itself,
            "_parent" => LinkTarget::Parent,
            "_top" => LinkTarget::Top,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LinkTarget::Blank => "_blank",
            LinkTarget::Itself => "_self",
            LinkTarget::Parent => "_parent",
            LinkTarget::Top => "_top",
        }
    }
}

/// One drawn element with its presentation.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A rectangle with rounded corners (`rx`).
    Box {
        rect: Rect,
        rx: f64,
        fill: String,
        stroke: Option<Stroke>,
    },
    /// An outline given as path data (shapes of `shapes.rs`).
    Outline {
        d: String,
        fill: String,
        stroke: Option<Stroke>,
    },
    /// Plain lines of text centred vertically on `at`.
    Text {
        at: Point,
        lines: Vec<String>,
        size: f64,
        bold: bool,
        fill: String,
        anchor: Anchor,
        /// Italic and underlined (UML's abstract and static members).
        emphasis: Emphasis,
    },
    /// A label with bold and italic spans (flowchart and state labels).
    Label {
        at: Point,
        label: Label,
        fill: String,
        anchor: Anchor,
    },
    /// A see-through box behind a label, without a border.
    Backdrop {
        rect: Rect,
        fill: String,
        opacity: f64,
    },
    /// A tooltip: the text of a shape that shows none.
    Tooltip(String),
    Circle {
        centre: Point,
        r: f64,
        fill: String,
        stroke: Option<Stroke>,
    },
    /// A straight line (separators, dividers).
    Line {
        from: Point,
        to: Point,
        stroke: Stroke,
    },
}

impl Mark {
    /// Lines of text in one plain style, centred vertically on `at`.
    pub fn text(at: Point, lines: Vec<String>, size: f64, fill: &str, anchor: Anchor) -> Mark {
        Mark::Text {
            at,
            lines,
            size,
            bold: false,
            fill: fill.to_string(),
            anchor,
            emphasis: Emphasis::default(),
        }
    }

    /// The text set bold (other marks are unchanged).
    pub fn bold(mut self) -> Mark {
        if let Mark::Text { bold, .. } = &mut self {
            *bold = true;
        }
        self
    }
}

/// How an edge's route is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    /// Straight pieces from point to point.
    Straight,
    /// Straight ends and rounded bends (mermaid's basis look).
    Rounded,
    /// A spline through every point, so that the line passes through a label on a route point.
    Smooth,
    /// Cubic Bézier curves: from the first point, each next three are two control points and
    /// an end (a sequence message back to its own lifeline).
    Cubic,
}

/// The head at one end of an edge, in the edge's colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub head: Head,
    pub colour: String,
}

/// A node of the diagram: its id in the diagram (`data-id`), the label the checks look for,
/// its box and what is drawn for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub rect: Rect,
    pub marks: Vec<Mark>,
    pub link: Option<SafeUrl>,
    /// Where the link opens; `None`: as the scene says (see [`Scene::links_open_in_page`]).
    pub link_target: Option<LinkTarget>,
}

/// A group of nodes drawn as a box (subgraph, namespace, boundary): `data-cluster`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub id: String,
    pub rect: Rect,
    pub marks: Vec<Mark>,
}

/// An edge between the nodes `from` and `to` (their ids), routed along `points`.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub points: Vec<Point>,
    pub curve: Curve,
    pub stroke: Stroke,
    pub start: Option<Marker>,
    pub end: Option<Marker>,
    /// The label, drawn over the line.
    pub label: Vec<Mark>,
}

/// A title drawn above the diagram (front matter `title:`), in a band of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub text: String,
    pub size: f64,
    pub colour: String,
}

impl Heading {
    /// The height of the band the heading takes.
    pub fn band(&self) -> f64 {
        self.size * super::text::LINE_HEIGHT + 12.0
    }

    /// The width the heading needs.
    pub fn width(&self) -> f64 {
        super::text::width(&self.text, self.size, true) + 16.0
    }
}

/// A whole drawing. Painted in this order: background, `fixed` marks, heading, then (below
/// the heading's band, moved by `origin`) clusters, the underlay, edges, the overlay, nodes
/// and `marks` (legends).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    /// The size of the drawing below the heading.
    pub width: f64,
    pub height: f64,
    /// Where the layout's origin lies in the drawing below the heading: layouts whose edge
    /// labels reach beyond their own extent are moved right and down by this much.
    pub origin: Point,
    pub heading: Option<Heading>,
    /// The accessible title (`<title>`) and description (`<desc>`).
    pub title: Option<String>,
    pub description: Option<String>,
    pub background: String,
    pub clusters: Vec<Cluster>,
    pub edges: Vec<Edge>,
    pub nodes: Vec<Node>,
    pub marks: Vec<Mark>,
    /// Marks over the clusters and under the edges (a sequence diagram's lifelines, bars and
    /// fragments, over its participant groups).
    pub underlay: Vec<Mark>,
    /// Marks over the edges and under the nodes (a sequence diagram's notes, which a
    /// participant created on their row covers).
    pub overlay: Vec<Mark>,
    /// Marks in the picture's own coordinates, not moved by the heading or `origin`, painted
    /// right on the background (a title laid out with the drawing).
    pub fixed: Vec<Mark>,
    /// Whether node links open in the page that shows the drawing (`target="_top"`): the site
    /// shows its linked drawings through `<object>`, where a link would open inside the
    /// drawing's own frame.
    pub links_open_in_page: bool,
}

/// An edge that runs through the box of a node it does not join.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    pub from: String,
    pub to: String,
    pub through: String,
}

impl Scene {
    /// Links every node named in `links` (by id) to its URL, opened in the page that shows the
    /// drawing.
    pub fn link_nodes(&mut self, links: &BTreeMap<String, SafeUrl>) {
        for node in &mut self.nodes {
            if let Some(url) = links.get(&node.id) {
                node.link = Some(url.clone());
            }
        }
        self.links_open_in_page = true;
    }

    /// How far the drawing is moved down to make room for the heading.
    pub fn top(&self) -> f64 {
        self.heading.as_ref().map_or(0.0, Heading::band)
    }

    /// How far the layout's coordinates are moved on the picture: centred under a wider
    /// heading, below its band, and by [`Scene::origin`].
    pub fn shift(&self) -> Point {
        let (width, _) = self.outer_size();
        Point {
            x: (width - self.width) / 2.0 + self.origin.x,
            y: self.top() + self.origin.y,
        }
    }

    /// The size of the whole picture, heading included.
    pub fn outer_size(&self) -> (f64, f64) {
        let heading_width = self.heading.as_ref().map_or(0.0, Heading::width);
        (self.width.max(heading_width), self.height + self.top())
    }

    /// Every edge that enters a node other than its ends. Nodes are told apart by id, so an
    /// edge between two boxes of one id (none are drawn twice) never counts.
    pub fn crossings(&self) -> Vec<Crossing> {
        let mut found = Vec::new();
        for edge in &self.edges {
            for node in &self.nodes {
                if node.id == edge.from || node.id == edge.to {
                    continue;
                }
                if routing::route_enters(&edge.points, node.rect) {
                    found.push(Crossing {
                        from: edge.from.clone(),
                        to: edge.to.clone(),
                        through: node.id.clone(),
                    });
                }
            }
        }
        found
    }

    /// The edges that run through a cluster holding neither of their ends. An end is a node or,
    /// in flowcharts, a cluster; a cluster holds the ends whose centres lie inside its box, so
    /// an outer cluster holds what its inner clusters hold.
    pub fn cluster_crossings(&self) -> Vec<Crossing> {
        let boxes_named = |id: &str| {
            let nodes = self.nodes.iter().filter(|n| n.id == id).map(|n| n.rect);
            let clusters = self.clusters.iter().filter(|c| c.id == id).map(|c| c.rect);
            nodes.chain(clusters).collect::<Vec<_>>()
        };
        let holds = |cluster: &Cluster, id: &str| {
            boxes_named(id).iter().any(|end| {
                let centre = end.centre();
                let r = cluster.rect;
                (r.x..=r.x + r.width).contains(&centre.x)
                    && (r.y..=r.y + r.height).contains(&centre.y)
            })
        };
        let mut found = Vec::new();
        for edge in &self.edges {
            for cluster in &self.clusters {
                if holds(cluster, &edge.from) || holds(cluster, &edge.to) {
                    continue;
                }
                if routing::route_enters(&edge.points, cluster.rect) {
                    found.push(Crossing {
                        from: edge.from.clone(),
                        to: edge.to.clone(),
                        through: cluster.id.clone(),
                    });
                }
            }
        }
        found
    }
}
