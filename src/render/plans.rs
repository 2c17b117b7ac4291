//! The plan dependency graph as SVG: plans coloured by status, external dependencies as dashed
//! boxes, implied edges dashed, cycle edges red, laid out left to right.

use super::draw::Head;
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutEdge, LayoutInput, LayoutNode, Point, Rect,
};
use super::scene::{Anchor, Curve, Edge, Emphasis, Mark, Marker, Node, Scene, Stroke};
use super::text::{self, LINE_HEIGHT};
use super::Rendered;
use crate::deps::{status_colour, PlanGraph};
use crate::mermaid::link::SafeUrl;
use crate::plan::metadata::Status;
use crate::plan::DependencyKind;
use petgraph::visit::EdgeRef;
use std::collections::BTreeMap;

const FONT_SIZE: f64 = 13.0;
const SMALL: f64 = 11.0;
const PADDING_X: f64 = 12.0;
const PADDING_Y: f64 = 8.0;
const MAX_WIDTH: f64 = 260.0;
const LINE: &str = "#4b5563";
const CYCLE_RED: &str = "#dc2626";

/// One line of a plan box, with the size it is set in.
struct BoxLine {
    text: String,
    size: f64,
    bold: bool,
}

fn box_lines(node: &crate::deps::Node) -> Vec<BoxLine> {
    let mut lines: Vec<BoxLine> = text::wrap(&node.label, FONT_SIZE, true, MAX_WIDTH)
        .into_iter()
        .map(|text| BoxLine {
            text,
            size: FONT_SIZE,
            bold: true,
        })
        .collect();
    if node.external {
        lines.push(BoxLine {
            text: "external".into(),
            size: SMALL,
            bold: false,
        });
        return lines;
    }
    lines.push(BoxLine {
        text: node.status.map_or("no status", Status::label).into(),
        size: SMALL,
        bold: false,
    });
    for text in text::wrap(&node.id, SMALL, false, MAX_WIDTH) {
        lines.push(BoxLine {
            text,
            size: SMALL,
            bold: false,
        });
    }
    lines
}

fn lines_size(lines: &[BoxLine]) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| text::width(&l.text, l.size, l.bold))
        .fold(0.0, f64::max);
    let h = lines.iter().map(|l| l.size * LINE_HEIGHT).sum();
    (w, h)
}

/// Draws the plan graph; every id starts with `id_prefix`. The nodes named in `links` (by
/// plan path) link to their URLs, opened in the page that shows the drawing.
pub fn render_plan_graph(
    graph: &PlanGraph,
    id_prefix: &str,
    links: &BTreeMap<String, SafeUrl>,
) -> Rendered {
    let mut scene = layout_plan_graph(graph);
    if !links.is_empty() {
        scene.link_nodes(links);
    }
    Rendered::painted(scene, id_prefix)
}

/// The scene of the plan graph, with the status legend under it.
pub fn layout_plan_graph(graph: &PlanGraph) -> Scene {
    let g = &graph.graph;
    let lines: Vec<Vec<BoxLine>> = g.node_indices().map(|n| box_lines(&g[n])).collect();
    let nodes: Vec<LayoutNode> = lines
        .iter()
        .map(|l| {
            let (w, h) = lines_size(l);
            LayoutNode {
                width: w + 2.0 * PADDING_X,
                height: h + 2.0 * PADDING_Y,
                cluster: None,
            }
        })
        .collect();
    let edges: Vec<LayoutEdge> = g
        .edge_references()
        .map(|e| LayoutEdge {
            from: e.source().index(),
            to: e.target().index(),
            min_length: 1,
            ..LayoutEdge::default()
        })
        .collect();
    let out = DagreLayout.layout(&LayoutInput {
        direction: Direction::LeftRight,
        nodes,
        clusters: Vec::new(),
        edges,
        node_spacing: 30.0,
        rank_spacing: 60.0,
    });

    // The legend goes under the graph, one swatch per status.
    let legend_top = out.height + 4.0;
    let swatch = 12.0;
    let mut legend_x = 8.0;
    let mut legend = Vec::new();
    for status in Status::ALL {
        legend.push((status, legend_x));
        legend_x += swatch + 6.0 + text::width(status.label(), SMALL, false) + 14.0;
    }
    let width = out.width.max(legend_x);
    let height = legend_top + swatch + 12.0;

    let edges = g
        .edge_references()
        .zip(&out.edges)
        .filter(|(_, route)| route.points.len() >= 2)
        .map(|(e, route)| {
            let colour = if e.weight().in_cycle { CYCLE_RED } else { LINE };
            let stroke = Stroke::solid(colour, if e.weight().in_cycle { 2.5 } else { 1.3 });
            Edge {
                from: g[e.source()].id.clone(),
                to: g[e.target()].id.clone(),
                points: route.points.clone(),
                curve: Curve::Smooth,
                stroke: if e.weight().kind == DependencyKind::Implied {
                    stroke.dashed("6 4")
                } else {
                    stroke
                },
                start: None,
                end: Some(Marker {
                    head: Head::Arrow,
                    colour: colour.to_string(),
                }),
                label: Vec::new(),
            }
        })
        .collect();
    let nodes = g
        .node_indices()
        .map(|n| {
            let node = &g[n];
            let rect = out.nodes[n.index()];
            let stroke = Stroke::solid("#6b7280", 1.0);
            let mut marks = vec![Mark::Box {
                rect,
                rx: if node.external { 12.0 } else { 3.0 },
                fill: if node.external {
                    "#f9fafb"
                } else {
                    status_colour(node.status)
                }
                .to_string(),
                stroke: Some(if node.external {
                    stroke.dashed("5 3")
                } else {
                    stroke
                }),
            }];
            let block = &lines[n.index()];
            let (_, h) = lines_size(block);
            let mut y = rect.y + (rect.height - h) / 2.0;
            for line in block {
                let line_height = line.size * LINE_HEIGHT;
                marks.push(Mark::Text {
                    at: Point {
                        x: rect.x + rect.width / 2.0,
                        y: y + line_height / 2.0,
                    },
                    lines: vec![line.text.clone()],
                    size: line.size,
                    bold: line.bold,
                    fill: if line.bold { "#111827" } else { "#374151" }.to_string(),
                    anchor: Anchor::Middle,
                    emphasis: Emphasis::default(),
                });
                y += line_height;
            }
            Node {
                id: node.id.clone(),
                label: node.label.clone(),
                rect,
                marks,
                link: None,
                link_target: None,
            }
        })
        .collect();
    let mut marks = Vec::new();
    for (status, x) in legend {
        marks.push(Mark::Box {
            rect: Rect {
                x,
                y: legend_top,
                width: swatch,
                height: swatch,
            },
            rx: 2.0,
            fill: status_colour(Some(status)).to_string(),
            stroke: Some(Stroke::solid("#6b7280", 1.0)),
        });
        marks.push(Mark::Text {
            at: Point {
                x: x + swatch + 6.0,
                y: legend_top + swatch / 2.0,
            },
            lines: vec![status.to_string()],
            size: SMALL,
            bold: false,
            fill: "#374151".to_string(),
            anchor: Anchor::Start,
            emphasis: Emphasis::default(),
        });
    }
    Scene {
        width,
        height,
        heading: None,
        title: Some("Plan dependencies".to_string()),
        description: None,
        background: "#ffffff".to_string(),
        clusters: Vec::new(),
        edges,
        nodes,
        links_open_in_page: false,
        marks,
        ..Scene::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::{Edge, Node};

    fn plan(id: &str, status: Option<Status>, external: bool) -> Node {
        Node {
            id: id.to_string(),
            label: id.trim_end_matches(".md").to_string(),
            external,
            status,
        }
    }

    fn edge(kind: DependencyKind, in_cycle: bool) -> Edge {
        Edge {
            kind,
            at: Default::default(),
            in_cycle,
        }
    }

    #[test]
    fn edges_and_boxes_show_kind_status_and_cycles() {
        let mut graph = PlanGraph::default();
        let a = graph
            .graph
            .add_node(plan("a.md", Some(Status::Approved), false));
        let b = graph.graph.add_node(plan("b.md", None, false));
        let x = graph.graph.add_node(plan("external:x", None, true));
        graph
            .graph
            .add_edge(a, b, edge(DependencyKind::Implied, false));
        graph.graph.add_edge(b, a, edge(DependencyKind::Plan, true));
        graph
            .graph
            .add_edge(a, x, edge(DependencyKind::External, false));
        let rendered = render_plan_graph(&graph, "q-", &BTreeMap::new());
        let svg = crate::render::style_sheet::inline_classes(&rendered.svg);
        let paths: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<path") && l.contains("marker-end"))
            .collect();
        assert_eq!(paths.len(), 3);
        assert!(paths[0].contains("stroke-dasharray"), "implied edge dashed");
        assert!(paths[1].contains(CYCLE_RED) && paths[1].contains("url(#q-marker-"));
        assert!(!paths[2].contains("stroke-dasharray") && !paths[2].contains(CYCLE_RED));
        assert!(rendered
            .svg
            .contains("<g data-from=\"b.md\" data-to=\"a.md\">"));
        assert!(rendered.svg.contains("<g data-id=\"external:x\">"));
        assert!(svg.contains(&format!(
            "fill=\"{}\"",
            status_colour(Some(Status::Approved))
        )));
        assert!(rendered.svg.contains(">no status<"));
        assert_eq!(rendered.boxes.len(), 3);
        assert!(!rendered.boxes[0].rect.overlaps(&rendered.boxes[1].rect));
    }
}
