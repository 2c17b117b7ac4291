//! The plan dependency graph as SVG: plans coloured by status, external dependencies as dashed
//! boxes, implied edges dashed, cycle edges red, laid out left to right.

use super::data_common::{marker, smooth_path, trim_end};
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutEdge, LayoutInput, LayoutNode, Point, Rect,
};
use super::svg::{Paint, Svg, TextStyle};
use super::text::{self, LINE_HEIGHT};
use super::{LabelledBox, Rendered};
use crate::deps::{status_colour, PlanGraph};
use crate::plan::DependencyKind;
use petgraph::visit::EdgeRef;

const FONT_SIZE: f64 = 13.0;
const SMALL: f64 = 11.0;
const PADDING_X: f64 = 12.0;
const PADDING_Y: f64 = 8.0;
const MAX_WIDTH: f64 = 260.0;
const LINE: &str = "#4b5563";
const CYCLE_RED: &str = "#dc2626";
const STATUSES: [&str; 7] = [
    "Draft",
    "In Review",
    "Approved",
    "In Progress",
    "Completed",
    "On Hold",
    "Cancelled",
];

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
        text: node.status.clone().unwrap_or_else(|| "no status".into()),
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

/// Draws the plan graph; every id starts with `id_prefix`.
pub fn render_plan_graph(graph: &PlanGraph, id_prefix: &str) -> Rendered {
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
    for status in STATUSES {
        legend.push((status, legend_x));
        legend_x += swatch + 6.0 + text::width(status, SMALL, false) + 14.0;
    }
    let width = out.width.max(legend_x);
    let height = legend_top + swatch + 12.0;

    let mut svg = Svg::new();
    let arrow = format!("{id_prefix}plan-arrow");
    let cycle_arrow = format!("{id_prefix}plan-arrow-cycle");
    svg.def(&marker(&arrow, "M2,3 L18,10 L2,17 z", 18.0, LINE, LINE));
    svg.def(&marker(
        &cycle_arrow,
        "M2,3 L18,10 L2,17 z",
        18.0,
        CYCLE_RED,
        CYCLE_RED,
    ));
    svg.background(width, height, "#ffffff");
    for (e, route) in g.edge_references().zip(&out.edges) {
        if route.points.len() < 2 {
            continue;
        }
        let mut points = route.points.clone();
        trim_end(&mut points, false, 1.0);
        let cycle = e.weight().in_cycle;
        let mut attrs = vec![
            ("d", smooth_path(&points)),
            ("fill", "none".to_string()),
            ("stroke", if cycle { CYCLE_RED } else { LINE }.to_string()),
            (
                "stroke-width",
                if cycle { "2.5" } else { "1.3" }.to_string(),
            ),
            (
                "marker-end",
                format!("url(#{})", if cycle { &cycle_arrow } else { &arrow }),
            ),
        ];
        if e.weight().kind == DependencyKind::Implied {
            attrs.push(("stroke-dasharray", "6 4".to_string()));
        }
        svg.element("path", &attrs);
    }
    let mut boxes = Vec::new();
    for n in g.node_indices() {
        let node = &g[n];
        let rect = out.nodes[n.index()];
        let fill = if node.external {
            "#f9fafb"
        } else {
            status_colour(node.status.as_deref())
        };
        let mut attrs = vec![
            ("x", super::svg::num(rect.x)),
            ("y", super::svg::num(rect.y)),
            ("width", super::svg::num(rect.width)),
            ("height", super::svg::num(rect.height)),
            ("rx", if node.external { "12" } else { "3" }.to_string()),
            ("fill", fill.to_string()),
            ("stroke", "#6b7280".to_string()),
        ];
        if node.external {
            attrs.push(("stroke-dasharray", "5 3".to_string()));
        }
        svg.element("rect", &attrs);
        let block = &lines[n.index()];
        let (_, h) = lines_size(block);
        let mut y = rect.y + (rect.height - h) / 2.0;
        for line in block {
            let line_height = line.size * LINE_HEIGHT;
            svg.text_block(
                Point {
                    x: rect.x + rect.width / 2.0,
                    y: y + line_height / 2.0,
                },
                std::slice::from_ref(&line.text),
                &TextStyle {
                    size: line.size,
                    bold: line.bold,
                    fill: if line.bold { "#111827" } else { "#374151" },
                    anchor: "middle",
                },
            );
            y += line_height;
        }
        boxes.push(LabelledBox {
            id: node.id.clone(),
            label: node.label.clone(),
            rect,
        });
    }
    for (status, x) in legend {
        svg.rect(
            Rect {
                x,
                y: legend_top,
                width: swatch,
                height: swatch,
            },
            2.0,
            Paint {
                fill: status_colour(Some(status)),
                stroke: "#6b7280",
            },
        );
        svg.text_block(
            Point {
                x: x + swatch + 6.0,
                y: legend_top + swatch / 2.0,
            },
            &[status.to_string()],
            &TextStyle {
                size: SMALL,
                bold: false,
                fill: "#374151",
                anchor: "start",
            },
        );
    }
    Rendered {
        svg: svg.finish(width, height, Some("Plan dependencies")),
        width,
        height,
        boxes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deps::{Edge, Node};

    fn plan(id: &str, status: Option<&str>, external: bool) -> Node {
        Node {
            id: id.to_string(),
            label: id.trim_end_matches(".md").to_string(),
            external,
            status: status.map(str::to_string),
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
        let a = graph.graph.add_node(plan("a.md", Some("Approved"), false));
        let b = graph.graph.add_node(plan("b.md", None, false));
        let x = graph.graph.add_node(plan("external:x", None, true));
        graph
            .graph
            .add_edge(a, b, edge(DependencyKind::Implied, false));
        graph.graph.add_edge(b, a, edge(DependencyKind::Plan, true));
        graph
            .graph
            .add_edge(a, x, edge(DependencyKind::External, false));
        let rendered = render_plan_graph(&graph, "q-");
        let paths: Vec<&str> = rendered
            .svg
            .lines()
            .filter(|l| l.starts_with("<path") && l.contains("marker-end"))
            .collect();
        assert_eq!(paths.len(), 3);
        assert!(paths[0].contains("stroke-dasharray"), "implied edge dashed");
        assert!(paths[1].contains(CYCLE_RED) && paths[1].contains("q-plan-arrow-cycle"));
        assert!(!paths[2].contains("stroke-dasharray") && !paths[2].contains(CYCLE_RED));
        assert!(rendered
            .svg
            .contains(&format!("fill=\"{}\"", status_colour(Some("Approved")))));
        assert!(rendered.svg.contains(">no status<"));
        assert_eq!(rendered.boxes.len(), 3);
        assert!(!rendered.boxes[0].rect.overlaps(&rendered.boxes[1].rect));
    }
}
