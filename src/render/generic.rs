//! A graph drawn plainly (service maps use it): nodes as rounded boxes, groups as clusters, edges as
//! arrows with labels, laid out by the layered layout.

use super::data_common::draw_group;
use super::layout::Rect;
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode,
    Point,
};
use super::svg::{num, Paint, Svg, TextStyle};
use super::text::{self, LINE_HEIGHT};
use super::theme::Theme;
use super::{LabelledBox, Rendered};
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

/// Draws a graph that need not come from a mermaid diagram (service maps use it too).
pub fn render_styled(
    graph: &DiagramGraph,
    theme: &Theme,
    id_prefix: &str,
    style: GraphStyle,
) -> Rendered {
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

    let mut svg = Svg::new();
    let marker = format!("{id_prefix}arrow");
    svg.def(&format!(
        "<marker id=\"{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>\n",
        super::svg::escape(&marker),
        super::svg::escape(&theme.line_color)
    ));
    svg.background(out.width, out.height, &theme.background);
    let label_style = TextStyle {
        size,
        bold: false,
        fill: &theme.text_color,
        anchor: "middle",
    };
    let edge_style = TextStyle {
        size: small,
        ..label_style
    };
    let node_style = TextStyle {
        fill: &theme.primary_text_color,
        ..label_style
    };
    for (grp, rect) in graph.groups.iter().zip(&out.clusters) {
        if rect.width <= 0.0 {
            continue;
        }
        draw_group(&mut svg, theme, *rect, grp.label.clone(), 4.0, &label_style);
    }
    for (e, route) in g.edge_references().zip(&out.edges) {
        if route.points.len() < 2 {
            continue;
        }
        svg.element(
            "path",
            &[
                ("d", path_data(&route.points)),
                ("fill", "none".into()),
                ("stroke", theme.line_color.clone()),
                ("stroke-width", "1.5".into()),
                ("marker-end", format!("url(#{marker})")),
            ],
        );
        if let Some(at) = route.label {
            let lines = &edge_lines[e.id().index()];
            let (w, h) = text::block_size(lines, small, false);
            let background = Rect {
                x: at.x - w / 2.0 - 4.0,
                y: at.y - h / 2.0,
                width: w + 8.0,
                height: h,
            };
            svg.rect(
                background,
                2.0,
                Paint {
                    fill: &theme.edge_label_background,
                    stroke: "none",
                },
            );
            svg.text_block(at, lines, &edge_style);
        }
    }
    let mut boxes = Vec::new();
    for n in g.node_indices() {
        let rect = out.nodes[n.index()];
        svg.rect(
            rect,
            5.0,
            Paint {
                fill: (style.fill_of_kind)(&g[n].kind).unwrap_or(&theme.primary_color),
                stroke: &theme.primary_border_color,
            },
        );
        svg.text_block(rect.centre(), &node_lines[n.index()], &node_style);
        boxes.push(LabelledBox {
            id: g[n].id.clone(),
            label: g[n].label.clone(),
            rect,
        });
    }
    Rendered {
        svg: svg.finish(out.width, out.height, None),
        width: out.width,
        height: out.height,
        boxes,
    }
}

/// An SVG path through the points.
pub fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&num(p.x));
        d.push(',');
        d.push_str(&num(p.y));
    }
    d
}
