//! The plan dependency graph as SVG: plans coloured by status, external dependencies as dashed
//! boxes, implied edges dashed, cycle edges red, laid out left to right.

use super::draw::Head;
use super::layout::{
    DagreLayout, Direction, EdgeRoute, LayeredLayout, LayoutEdge, LayoutInput, LayoutNode,
    LayoutOutput, Point, Rect, TightTreeLayout,
};
use super::scene::{Anchor, Curve, Edge, Emphasis, Mark, Marker, Node, Scene, Stroke};
use super::text::{self, LINE_HEIGHT};
use super::{Hooks, Rendered};
use crate::deps::{status_colour, PlanGraph};
use crate::mermaid::link::SafeUrl;
use crate::plan::metadata::Status;
use crate::plan::DependencyKind;
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
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
    hooks: Hooks,
    links: &BTreeMap<String, SafeUrl>,
) -> Rendered {
    let mut scene = layout_plan_graph(graph);
    if !links.is_empty() {
        scene.link_nodes(links);
    }
    Rendered::painted(scene, id_prefix, hooks)
}

/// The number of plans in a connected part above which it is ranked with dagre's cheaper
/// ranker ([`TightTreeLayout`]).
const TIGHT_TREE_ABOVE: usize = 200;

/// Lays out each connected part of the graph on its own, in parallel, and stacks the parts top
/// to bottom in the order of their first plans ([`PlanGraph::connected_parts`]), as one layout
/// of the whole graph places them, in a fraction of its time.
fn layout_parts(graph: &PlanGraph, nodes: &[LayoutNode]) -> LayoutOutput {
    let layout = |part: &[usize]| {
        let edges = graph.part_edges(part);
        let input = LayoutInput {
            direction: Direction::LeftRight,
            nodes: part.iter().map(|&n| nodes[n].clone()).collect(),
            clusters: Vec::new(),
            edges: (edges.iter())
                .map(|&(_, from, to)| LayoutEdge {
                    from,
                    to,
                    min_length: 1,
                    ..LayoutEdge::default()
                })
                .collect(),
            node_spacing: 30.0,
            rank_spacing: 60.0,
        };
        let out = if part.len() > TIGHT_TREE_ABOVE {
            TightTreeLayout.layout(&input)
        } else {
            DagreLayout.layout(&input)
        };
        (edges, out)
    };
    let parts = graph.connected_parts();
    if parts.len() <= 1 {
        let whole: Vec<usize> = (0..nodes.len()).collect();
        return layout(&whole).1;
    }
    let laid_out: Vec<_> = parts.par_iter().map(|part| layout(part)).collect();
    let mut out = LayoutOutput {
        nodes: vec![Rect::default(); nodes.len()],
        edges: vec![EdgeRoute::default(); graph.graph.edge_count()],
        ..LayoutOutput::default()
    };
    // Each part's layout has its margin all round: stacked, two margins part them.
    for (part, (edges, part_out)) in parts.iter().zip(laid_out) {
        let top = out.height;
        for (&node, rect) in part.iter().zip(part_out.nodes) {
            out.nodes[node] = Rect {
                y: rect.y + top,
                ..rect
            };
        }
        for (&(edge, _, _), mut route) in edges.iter().zip(part_out.edges) {
            for p in route.points.iter_mut().chain(route.label.iter_mut()) {
                p.y += top;
            }
            out.edges[edge] = route;
        }
        out.width = out.width.max(part_out.width);
        out.height += part_out.height;
    }
    out
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
    let out = layout_parts(graph, &nodes);

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
        let rendered = render_plan_graph(&graph, "q-", Hooks::Written, &BTreeMap::new());
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

    #[test]
    fn connected_parts_are_laid_out_apart_and_stacked_in_plan_order() {
        // Two chains and a plan on its own, their nodes interleaved in the graph's order.
        let mut graph = PlanGraph::default();
        let nodes: Vec<_> = ["a.md", "p.md", "b.md", "q.md", "alone.md", "c.md"]
            .into_iter()
            .map(|id| graph.graph.add_node(plan(id, None, false)))
            .collect();
        for (from, to) in [(0, 2), (2, 5), (1, 3)] {
            let kind = DependencyKind::Plan;
            graph
                .graph
                .add_edge(nodes[from], nodes[to], edge(kind, false));
        }
        assert_eq!(
            graph.connected_parts(),
            vec![vec![0, 2, 5], vec![1, 3], vec![4]]
        );
        assert_eq!(graph.part_edges(&[1, 3]), vec![(2, 0, 1)]);
        let node = LayoutNode {
            width: 40.0,
            height: 20.0,
            cluster: None,
        };
        let out = layout_parts(&graph, &vec![node; 6]);
        let rect = |i: usize| out.nodes[i];
        let bottom = |part: &[usize]| {
            (part.iter())
                .map(|&i| rect(i).y + rect(i).height)
                .fold(f64::MIN, f64::max)
        };
        let top = |part: &[usize]| part.iter().map(|&i| rect(i).y).fold(f64::MAX, f64::min);
        let below = |upper: &[usize], lower: &[usize]| bottom(upper) < top(lower);
        assert!(
            below(&[0, 2, 5], &[1, 3]) && below(&[1, 3], &[4]),
            "{out:?}"
        );
        // A chain is laid out left to right; each edge runs from its plan to its dependency.
        assert!(rect(0).x < rect(2).x && rect(2).x < rect(5).x);
        assert_eq!(out.edges.len(), 3);
        let ends = |e: usize| {
            let points = &out.edges[e].points;
            (points[0], points[points.len() - 1])
        };
        let (start, end) = ends(2);
        assert!((rect(1).y..=rect(1).y + rect(1).height).contains(&start.y));
        assert!((rect(3).y..=rect(3).y + rect(3).height).contains(&end.y));
        assert!(out.height >= bottom(&[4]));
    }
}
