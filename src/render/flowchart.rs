//! Flowcharts: mermaid's named shapes, edge strokes and heads, subgraphs as titled clusters,
//! `classDef`/`class`/`style`/`linkStyle` colours, and `click` links for safe URLs only.

use super::draw::{self, Head, Label, Style};
use super::layout::{
    self, DagreLayout, Direction, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode, LayoutOutput,
    Point, Rect,
};
use super::scene::{Anchor, Cluster, Curve, Edge, Mark, Marker, Node, Scene, Stroke};
use super::shapes::Shape;
use super::{RenderContext, Rendered};
use crate::mermaid::flowchart::{FlowEdge, FlowNode, Flowchart, LabelKind};
use crate::mermaid::link::SafeUrl;
use std::collections::HashMap;

/// Mermaid's default wrapping width for labels.
const MAX_LABEL_WIDTH: f64 = 200.0;
const PADDING_X: f64 = 15.0;
const PADDING_Y: f64 = 12.0;

/// One drawn node: its model node, shape, label (measured) and resolved style.
struct NodeDraw<'a> {
    node: &'a FlowNode,
    shape: Shape,
    label: Label,
    style: Style,
}

/// A node's, edge's or subgraph's style: `classDef default`, then its classes in order, then
/// its own `style`/`linkStyle` declarations.
fn style_of(fc: &Flowchart, classes: &[String], own: &[String]) -> Style {
    let class_def = |name| {
        let defs = fc.class_defs.iter().filter(move |c| c.id == name);
        defs.map(|c| &c.styles)
    };
    Style::cascade(class_def, classes.iter().map(String::as_str), own)
}

/// Subgraphs as titled boxes, outer ones first so that inner ones are drawn over them.
fn subgraph_clusters(
    fc: &Flowchart,
    parent: &HashMap<&str, usize>,
    titles: &[Label],
    rects: &[Rect],
    ctx: &RenderContext<'_>,
) -> Vec<Cluster> {
    let theme = &ctx.theme;
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(&p) = parent.get(fc.subgraphs[i].id.as_str()) {
            d += 1;
            i = p;
            if d > fc.subgraphs.len() {
                break;
            }
        }
        d
    };
    let mut order: Vec<usize> = (0..fc.subgraphs.len()).collect();
    order.sort_by_key(|i| depth(*i));
    let mut clusters = Vec::new();
    for i in order {
        let rect = rects[i];
        if rect.width <= 0.0 {
            continue;
        }
        let sg = &fc.subgraphs[i];
        // `style <subgraph id>` lands on a node of that id, which is not drawn as a node.
        let own = fc
            .nodes
            .iter()
            .find(|n| n.id == sg.id)
            .map(|n| n.styles.as_slice())
            .unwrap_or_default();
        let style = style_of(fc, &sg.classes, own);
        let title = &titles[i];
        clusters.push(Cluster {
            id: sg.id.clone(),
            rect,
            marks: vec![
                outline(
                    Shape::Rect.paths(rect).0.concat(),
                    style.fill.as_deref().unwrap_or(&theme.cluster_bkg),
                    style.stroke.as_deref().unwrap_or(&theme.cluster_border),
                    &style,
                ),
                Mark::Label {
                    at: Point {
                        x: rect.x + rect.width / 2.0,
                        y: rect.y + 4.0 + title.height / 2.0,
                    },
                    label: title.clone(),
                    fill: style
                        .color
                        .as_deref()
                        .unwrap_or(&theme.text_color)
                        .to_string(),
                    anchor: Anchor::Middle,
                },
            ],
        });
    }
    clusters
}

/// One drawn edge: its model edge, label, resolved style and the layout boxes it joins.
struct EdgeDraw<'a> {
    edge: &'a FlowEdge,
    label: Label,
    style: Style,
    from: usize,
    to: usize,
}

pub fn render(fc: &Flowchart, ctx: &RenderContext<'_>) -> Rendered {
    let theme = &ctx.theme;
    let size = theme.font_size;
    let direction = Direction::from_mermaid(fc.direction.as_str());
    let subgraphs = Subgraphs::of(fc);
    let (draws, mut boxes) = collect_nodes(fc, &subgraphs, direction, size);
    let titles: Vec<Label> = fc
        .subgraphs
        .iter()
        .map(|sg| draw::make_label(&sg.title, false, size, MAX_LABEL_WIDTH * 1.5))
        .collect();
    boxes.add_placeholders(fc, &titles);
    let (edge_draws, layout_edges, cluster_ends) =
        collect_edges(fc, &subgraphs, &boxes, size * 0.875);
    let input = LayoutInput {
        direction,
        nodes: boxes.nodes,
        clusters: subgraph_layout_clusters(fc, &subgraphs, &titles),
        edges: layout_edges,
        node_spacing: 50.0,
        rank_spacing: 50.0,
    };
    let directions: Vec<Option<Direction>> = fc
        .subgraphs
        .iter()
        .map(|sg| sg.direction.map(|d| Direction::from_mermaid(d.as_str())))
        .collect();
    let out = layout::layout_nested(&DagreLayout, &input, &directions, &cluster_ends);
    let edges = routed_edges(&edge_draws, &draws, &subgraphs, &out, ctx);
    let nodes = draws
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let link = d.node.link.as_deref().and_then(SafeUrl::check);
            let rect = out.nodes[i];
            Node {
                id: d.node.id.clone(),
                label: d.label.plain(),
                rect,
                marks: node_marks(d, rect, ctx),
                link,
                link_target: None,
            }
        })
        .collect();
    let scene = Scene {
        width: out.width,
        height: out.height,
        heading: super::data_common::front_matter_heading(ctx),
        title: fc.acc_title.clone(),
        description: fc.acc_descr.clone(),
        background: theme.background.clone(),
        clusters: subgraph_clusters(fc, &subgraphs.parent, &titles, &out.clusters, ctx),
        edges,
        nodes,
        ..Scene::default()
    };
    Rendered::painted(scene, &ctx.id_prefix, ctx.hooks)
}

/// Subgraphs by id, and the innermost subgraph holding each id (mermaid lists inner ones
/// first).
struct Subgraphs<'a> {
    index: HashMap<&'a str, usize>,
    parent: HashMap<&'a str, usize>,
}

impl<'a> Subgraphs<'a> {
    fn of(fc: &'a Flowchart) -> Self {
        let index = fc
            .subgraphs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut parent = HashMap::new();
        for (i, sg) in fc.subgraphs.iter().enumerate().rev() {
            for member in &sg.members {
                parent.insert(member.as_str(), i);
            }
        }
        Subgraphs { index, parent }
    }
}

/// The boxes the layout places: one per node, then a placeholder in each empty subgraph.
struct LayoutBoxes<'a> {
    nodes: Vec<LayoutNode>,
    node_index: HashMap<&'a str, usize>,
    /// For each empty subgraph, its placeholder box.
    placeholder: HashMap<usize, usize>,
}

/// The nodes drawn (every node that is not a subgraph), styled, labelled and sized for their
/// shape.
fn collect_nodes<'a>(
    fc: &'a Flowchart,
    subgraphs: &Subgraphs<'a>,
    direction: Direction,
    size: f64,
) -> (Vec<NodeDraw<'a>>, LayoutBoxes<'a>) {
    let mut draws: Vec<NodeDraw<'_>> = Vec::new();
    let mut boxes = LayoutBoxes {
        nodes: Vec::new(),
        node_index: HashMap::new(),
        placeholder: HashMap::new(),
    };
    for node in &fc.nodes {
        if subgraphs.index.contains_key(node.id.as_str()) {
            continue;
        }
        let shape = Shape::from_name(node.shape.as_deref());
        let style = style_of(fc, &node.classes, &node.styles);
        let mut label = draw::make_label(
            &node.label,
            node.label_kind == LabelKind::Markdown,
            size,
            MAX_LABEL_WIDTH,
        );
        label.emphasise(&style);
        let (w, h) = shape.size(
            label.width + 2.0 * PADDING_X,
            label.height + 2.0 * PADDING_Y,
            direction.is_horizontal(),
        );
        boxes.node_index.insert(node.id.as_str(), draws.len());
        boxes.nodes.push(LayoutNode {
            width: w,
            height: h,
            cluster: subgraphs.parent.get(node.id.as_str()).copied(),
        });
        draws.push(NodeDraw {
            node,
            shape,
            style,
            label,
        });
    }
    (draws, boxes)
}

impl LayoutBoxes<'_> {
    /// An empty subgraph still shows as a box: a placeholder node holds its place.
    fn add_placeholders(&mut self, fc: &Flowchart, titles: &[Label]) {
        for (i, sg) in fc.subgraphs.iter().enumerate() {
            if sg.members.is_empty() {
                self.placeholder.insert(i, self.nodes.len());
                self.nodes.push(LayoutNode {
                    width: titles[i].width.max(40.0),
                    height: 20.0,
                    cluster: Some(i),
                });
            }
        }
    }

    /// The box an edge to `id` attaches to: the node's own, or for a subgraph the first node
    /// inside it (depth first), or its placeholder.
    fn representative(&self, fc: &Flowchart, subgraphs: &Subgraphs<'_>, id: &str) -> Option<usize> {
        if let Some(&n) = self.node_index.get(id) {
            return Some(n);
        }
        let mut stack = vec![*subgraphs.index.get(id)?];
        let mut seen = 0;
        while let Some(sg) = stack.pop() {
            seen += 1;
            if seen > fc.subgraphs.len() + 1 {
                break;
            }
            if let Some(&p) = self.placeholder.get(&sg) {
                return Some(p);
            }
            for member in &fc.subgraphs[sg].members {
                if let Some(&n) = self.node_index.get(member.as_str()) {
                    return Some(n);
                }
            }
            stack.extend(
                fc.subgraphs[sg]
                    .members
                    .iter()
                    .rev()
                    .filter_map(|m| subgraphs.index.get(m.as_str()).copied()),
            );
        }
        None
    }
}

/// Each subgraph end of an edge, for the layout to route to the subgraph's border.
type ClusterEnds = Vec<(Option<usize>, Option<usize>)>;

/// The edges between boxes that exist: labelled, styled (with their `linkStyle`s), as the
/// layout's edges and as what is drawn along the routes.
fn collect_edges<'a>(
    fc: &'a Flowchart,
    subgraphs: &Subgraphs<'_>,
    boxes: &LayoutBoxes<'_>,
    label_size: f64,
) -> (Vec<EdgeDraw<'a>>, Vec<LayoutEdge>, ClusterEnds) {
    let mut edge_draws = Vec::new();
    let mut layout_edges = Vec::new();
    let mut cluster_ends = Vec::new();
    for (index, edge) in fc.edges.iter().enumerate() {
        let (Some(from), Some(to)) = (
            boxes.representative(fc, subgraphs, &edge.from),
            boxes.representative(fc, subgraphs, &edge.to),
        ) else {
            continue;
        };
        let label = draw::make_label(
            &edge.label,
            edge.label_kind == LabelKind::Markdown,
            label_size,
            MAX_LABEL_WIDTH,
        );
        let has_label = !label.is_empty();
        layout_edges.push(LayoutEdge {
            from,
            to,
            label_width: if has_label { label.width + 8.0 } else { 0.0 },
            label_height: if has_label { label.height + 4.0 } else { 0.0 },
            min_length: edge.length.max(1),
        });
        cluster_ends.push((
            subgraphs.index.get(edge.from.as_str()).copied(),
            subgraphs.index.get(edge.to.as_str()).copied(),
        ));
        let mut own: Vec<String> = Vec::new();
        for (target, styles) in &fc.link_styles {
            if target.is_none() || *target == Some(index) {
                own.extend(styles.iter().cloned());
            }
        }
        edge_draws.push(EdgeDraw {
            edge,
            style: style_of(fc, &edge.classes, &own),
            label,
            from,
            to,
        });
    }
    (edge_draws, layout_edges, cluster_ends)
}

/// Subgraphs as layout clusters, nested as in the diagram, with room for their titles.
fn subgraph_layout_clusters(
    fc: &Flowchart,
    subgraphs: &Subgraphs<'_>,
    titles: &[Label],
) -> Vec<LayoutCluster> {
    fc.subgraphs
        .iter()
        .enumerate()
        .map(|(i, sg)| LayoutCluster {
            parent: subgraphs.parent.get(sg.id.as_str()).copied(),
            label_width: titles[i].width,
            label_height: if titles[i].is_empty() {
                0.0
            } else {
                titles[i].height
            },
        })
        .collect()
}

/// The visible edges along their routes, ends on the outline of round and slanted shapes
/// and on the border of subgraphs, labelled.
fn routed_edges(
    edge_draws: &[EdgeDraw<'_>],
    draws: &[NodeDraw<'_>],
    subgraphs: &Subgraphs<'_>,
    out: &LayoutOutput,
    ctx: &RenderContext<'_>,
) -> Vec<Edge> {
    let theme = &ctx.theme;
    let mut edges = Vec::new();
    for (e, route) in edge_draws.iter().zip(&out.edges) {
        if route.points.len() < 2 || e.edge.stroke == "invisible" {
            continue;
        }
        let mut points = route.points.clone();
        if let Some(d) = draws.get(e.from) {
            clip_end(&mut points, d.shape, out.nodes[e.from], true);
        }
        if let Some(d) = draws.get(e.to) {
            clip_end(&mut points, d.shape, out.nodes[e.to], false);
        }
        for (id, at_start) in [(&e.edge.from, true), (&e.edge.to, false)] {
            if let Some(&c) = subgraphs.index.get(id.as_str()) {
                points = draw::clip_to_rect(&points, out.clusters[c], at_start);
            }
        }
        let mut label = Vec::new();
        if let (Some(at), false) = (route.label, e.label.is_empty()) {
            let colour = e.style.color.as_deref().unwrap_or(&theme.text_color);
            label = draw::edge_label(at, &e.label, &theme.edge_label_background, colour);
        }
        edges.push(scene_edge(e, points, label, ctx));
    }
    edges
}

/// An edge's line along `points`: stroke by kind (thick, dotted) unless styled, heads in the
/// line's colour.
fn scene_edge(
    e: &EdgeDraw<'_>,
    points: Vec<Point>,
    label: Vec<Mark>,
    ctx: &RenderContext<'_>,
) -> Edge {
    let colour = e.style.stroke.as_deref().unwrap_or(&ctx.theme.line_color);
    let (start, end) = heads(&e.edge.kind);
    let width = match e.edge.stroke.as_str() {
        "thick" => "3.5",
        _ => "2",
    };
    let dash = match (&e.style.stroke_dasharray, e.edge.stroke.as_str()) {
        (Some(dash), _) => Some(dash.clone()),
        (None, "dotted") => Some("3 3".to_string()),
        _ => None,
    };
    let marker = |head: Head| Marker {
        head,
        colour: colour.to_string(),
    };
    Edge {
        from: e.edge.from.clone(),
        to: e.edge.to.clone(),
        points,
        curve: Curve::Rounded,
        stroke: Stroke {
            colour: colour.to_string(),
            width: e
                .style
                .stroke_width
                .clone()
                .or_else(|| Some(width.to_string())),
            dash,
        },
        start: start.map(marker),
        end: end.map(marker),
        label,
    }
}

/// The heads at the start and end of an edge of mermaid's `kind`.
fn heads(kind: &str) -> (Option<Head>, Option<Head>) {
    let (double, base) = match kind.strip_prefix("double_") {
        Some(rest) => (true, rest),
        None => (false, kind),
    };
    let head = match base {
        "arrow_point" => Some(Head::Arrow),
        "arrow_circle" => Some(Head::Circle),
        "arrow_cross" => Some(Head::Cross),
        _ => None,
    };
    (head.filter(|_| double), head)
}

/// Moves the first (or last) point of a route onto the outline of a round or diamond shape.
fn clip_end(points: &mut [Point], shape: Shape, rect: Rect, first: bool) {
    let n = points.len();
    let (end, next) = if first { (0, 1) } else { (n - 1, n - 2) };
    if let Some(p) = shape.border_point(rect, points[next]) {
        points[end] = p;
    }
}

/// A filled, stroked outline with the style's stroke width and dashes.
fn outline(d: String, fill: &str, stroke: &str, style: &Style) -> Mark {
    Mark::Outline {
        d,
        fill: fill.to_string(),
        stroke: Some(style.stroke_in(stroke)),
    }
}

fn node_marks(d: &NodeDraw<'_>, rect: Rect, ctx: &RenderContext<'_>) -> Vec<Mark> {
    let theme = &ctx.theme;
    let (outlines, lines) = d.shape.paths(rect);
    let (default_fill, default_stroke) = match d.shape {
        Shape::Text | Shape::BraceLeft | Shape::BraceRight | Shape::Braces => ("none", "none"),
        Shape::Note => (
            theme.note_bkg_color.as_str(),
            theme.note_border_color.as_str(),
        ),
        Shape::SmallCircle | Shape::FilledCircle | Shape::ForkBar => {
            (theme.line_color.as_str(), theme.line_color.as_str())
        }
        _ => (
            theme.primary_color.as_str(),
            theme.primary_border_color.as_str(),
        ),
    };
    let fill = d.style.fill.as_deref().unwrap_or(default_fill);
    let stroke = d.style.stroke.as_deref().unwrap_or(default_stroke);
    let mut marks = Vec::new();
    if d.shape.hides_label() {
        // Glyph shapes show no label; a tooltip keeps it in the document.
        marks.push(Mark::Tooltip(d.label.plain()));
    }
    for d_path in outlines {
        marks.push(outline(d_path, fill, stroke, &d.style));
    }
    if !lines.is_empty() {
        let line_colour = if stroke == "none" {
            theme.primary_border_color.as_str()
        } else {
            stroke
        };
        // The framed circle's inner circle is a filled dot; other inner lines are lines.
        let inner_fill = if d.shape == Shape::FramedCircle {
            line_colour
        } else {
            "none"
        };
        marks.push(Mark::Outline {
            d: lines,
            fill: inner_fill.to_string(),
            stroke: Some(Stroke {
                colour: line_colour.to_string(),
                width: d.style.stroke_width.clone().or_else(|| Some("1".into())),
                dash: None,
            }),
        });
    }
    if !d.shape.hides_label() {
        let colour = d
            .style
            .color
            .as_deref()
            .unwrap_or(&theme.primary_text_color);
        marks.push(Mark::Label {
            at: d.shape.label_centre(rect),
            label: d.label.clone(),
            fill: colour.to_string(),
            anchor: Anchor::Middle,
        });
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_by_kind() {
        assert_eq!(heads("arrow_point"), (None, Some(Head::Arrow)));
        assert_eq!(
            heads("double_arrow_circle"),
            (Some(Head::Circle), Some(Head::Circle))
        );
        assert_eq!(heads("arrow_open"), (None, None));
    }
}
