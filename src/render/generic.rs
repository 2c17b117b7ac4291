//! A graph drawn plainly (service maps use it): nodes as rounded boxes, groups as clusters, edges as
//! arrows with labels, laid out by the layered layout.

use super::draw::Head;
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode,
    Point, Rect,
};
use super::scene::{Anchor, Cluster, Curve, Edge, Emphasis, Mark, Marker, Node, Scene, Stroke};
use super::short_path::PathSink;
use super::text::{self, LINE_HEIGHT};
use super::theme::Theme;
use super::{Hooks, Rendered};
use crate::mermaid::DiagramGraph;
use petgraph::visit::EdgeRef;
use std::collections::HashMap;

const PADDING_X: f64 = 16.0;
const PADDING_Y: f64 = 10.0;
const MAX_LABEL_WIDTH: f64 = 220.0;

/// How a graph is drawn: the flow direction and, per node kind, a fill colour other than the
/// theme's.
#[derive(Clone, Copy)]
pub struct GraphStyle {
    pub direction: Direction,
    pub fill_of_kind: fn(&str) -> Option<&'static str>,
    /// Labels wider than this wrap.
    pub max_label_width: f64,
}

impl Default for GraphStyle {
    fn default() -> GraphStyle {
        GraphStyle {
            direction: Direction::TopBottom,
            fill_of_kind: |_| None,
            max_label_width: MAX_LABEL_WIDTH,
        }
    }
}

/// Draws a graph that need not come from a mermaid diagram (service maps use it too), hooks
/// written.
pub fn render_styled(
    graph: &DiagramGraph,
    theme: &Theme,
    id_prefix: &str,
    style: GraphStyle,
) -> Rendered {
    Rendered::painted(layout_graph(graph, theme, style), id_prefix, Hooks::Written)
}

/// The scene of a plain graph: rounded boxes, titled groups, labelled arrows.
pub fn layout_graph(graph: &DiagramGraph, theme: &Theme, style: GraphStyle) -> Scene {
    let size = theme.font_size;
    let g = &graph.graph;
    let group_index: HashMap<&str, usize> = graph
        .groups
        .iter()
        .enumerate()
        .map(|(i, grp)| (grp.id.as_str(), i))
        .collect();
    let node_lines: Vec<Vec<String>> = g
        .node_indices()
        .map(|n| text::wrap(&g[n].label, size, false, style.max_label_width))
        .collect();
    let nodes: Vec<LayoutNode> = g
        .node_indices()
        .map(|n| {
            let (w, h) = text::block_size(&node_lines[n.index()], size, false);
            LayoutNode {
                width: w + 2.0 * PADDING_X,
                height: h + 2.0 * PADDING_Y,
                cluster: g[n]
                    .group
                    .as_deref()
                    .and_then(|grp| group_index.get(grp).copied()),
            }
        })
        .collect();
    let clusters: Vec<LayoutCluster> = graph
        .groups
        .iter()
        .map(|grp| LayoutCluster {
            parent: grp
                .parent
                .as_deref()
                .and_then(|p| group_index.get(p).copied()),
            label_width: text::width(&grp.label, size, false),
            label_height: if grp.label.is_empty() {
                0.0
            } else {
                size * LINE_HEIGHT
            },
        })
        .collect();
    let small = size * 0.85;
    let edge_lines: Vec<Vec<String>> = g
        .edge_references()
        .map(|e| text::wrap(&e.weight().label, small, false, style.max_label_width))
        .collect();
    let edges: Vec<LayoutEdge> = g
        .edge_references()
        .zip(&edge_lines)
        .map(|(e, lines)| {
            let has_label = lines.iter().any(|l| !l.is_empty());
            let (w, h) = if has_label {
                text::block_size(lines, small, false)
            } else {
                (0.0, 0.0)
            };
            LayoutEdge {
                from: e.source().index(),
                to: e.target().index(),
                label_width: w + 8.0 * f64::from(u8::from(has_label)),
                label_height: h,
                min_length: 1,
            }
        })
        .collect();
    let input = LayoutInput {
        direction: style.direction,
        nodes,
        clusters,
        edges,
        node_spacing: 40.0,
        rank_spacing: 50.0,
    };
    let out = DagreLayout.layout(&input);

    let text = |at: Point, lines: &[String], size: f64, fill: &str| Mark::Text {
        at,
        lines: lines.to_vec(),
        size,
        bold: false,
        fill: fill.to_string(),
        anchor: Anchor::Middle,
        emphasis: Emphasis::default(),
    };
    let clusters = graph
        .groups
        .iter()
        .zip(&out.clusters)
        .filter(|(_, rect)| rect.width > 0.0)
        .map(|(grp, rect)| {
            let title = text(
                Point {
                    x: rect.x + rect.width / 2.0,
                    y: rect.y + 4.0 + size * LINE_HEIGHT / 2.0,
                },
                std::slice::from_ref(&grp.label),
                size,
                &theme.text_color,
            );
            let border = Stroke::solid(&theme.cluster_border, 1.0);
            group_box(grp.id.clone(), *rect, border, title, theme)
        })
        .collect();
    let edges = g
        .edge_references()
        .zip(&out.edges)
        .filter(|(_, route)| route.points.len() >= 2)
        .map(|(e, route)| {
            let mut label = Vec::new();
            if let Some(at) = route.label {
                let lines = &edge_lines[e.id().index()];
                let (w, h) = text::block_size(lines, small, false);
                label.push(Mark::Box {
                    rect: Rect {
                        x: at.x - w / 2.0 - 4.0,
                        y: at.y - h / 2.0,
                        width: w + 8.0,
                        height: h,
                    },
                    rx: 2.0,
                    fill: theme.edge_label_background.clone(),
                    stroke: None,
                });
                label.push(text(at, lines, small, &theme.text_color));
            }
            Edge {
                from: g[e.source()].id.clone(),
                to: g[e.target()].id.clone(),
                points: route.points.clone(),
                curve: Curve::Straight,
                stroke: Stroke::solid(&theme.line_color, 1.5),
                start: None,
                end: Some(Marker {
                    head: Head::Arrow,
                    colour: theme.line_color.clone(),
                }),
                label,
            }
        })
        .collect();
    let nodes = g
        .node_indices()
        .map(|n| {
            let rect = out.nodes[n.index()];
            Node {
                id: g[n].id.clone(),
                label: g[n].label.clone(),
                rect,
                marks: vec![
                    Mark::Box {
                        rect,
                        rx: 5.0,
                        fill: (style.fill_of_kind)(&g[n].kind)
                            .unwrap_or(&theme.primary_color)
                            .to_string(),
                        stroke: Some(Stroke::solid(&theme.primary_border_color, 1.0)),
                    },
                    text(
                        rect.centre(),
                        &node_lines[n.index()],
                        size,
                        &theme.primary_text_color,
                    ),
                ],
                link: None,
                link_target: None,
            }
        })
        .collect();
    Scene {
        width: out.width,
        height: out.height,
        heading: None,
        title: None,
        description: None,
        background: theme.background.clone(),
        clusters,
        edges,
        nodes,
        ..Scene::default()
    }
}

/// An SVG path through the points.
pub(super) fn path_data(points: &[Point], path: &mut dyn PathSink) {
    for (i, p) in points.iter().enumerate() {
        path.command(if i == 0 { b'M' } else { b'L' }, &[*p]);
    }
}

/// A group drawn as a rounded box in the theme's cluster fill under its title (service-map
/// groups, class namespaces).
pub(super) fn group_box(
    id: String,
    rect: Rect,
    border: Stroke,
    title: Mark,
    theme: &Theme,
) -> Cluster {
    Cluster {
        id,
        rect,
        marks: vec![
            Mark::Box {
                rect,
                rx: 4.0,
                fill: theme.cluster_bkg.clone(),
                stroke: Some(border),
            },
            title,
        ],
    }
}
