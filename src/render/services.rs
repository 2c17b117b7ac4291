//! A Smithy service as a map: the service, its resources (nested), its operations, and each
//! operation's input, output and error shapes, laid out left to right.

use super::generic::{layout_graph, GraphStyle};
use super::layout::Direction;
use super::theme::Theme;
use super::{Hooks, Rendered};
use crate::mermaid::link::SafeUrl;
use crate::mermaid::{DiagramGraph, GraphEdge, GraphNode};
use crate::smithy::ast::ShapeType;
use crate::smithy::{Model, Shape};
use petgraph::graph::NodeIndex;
use std::collections::BTreeMap;

fn fill_of_kind(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "service" => "#dbeafe",
        "resource" => "#dcfce7",
        "operation" => "#fef3c7",
        "error" => "#fee2e2",
        _ => "#f3f4f6",
    })
}

/// The short name of a shape id: `com.example#Order` is `Order`.
fn short(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

struct MapBuilder<'a> {
    model: &'a Model,
    graph: DiagramGraph,
    nodes: BTreeMap<String, NodeIndex>,
}

impl MapBuilder<'_> {
    fn node(&mut self, id: &str, kind: &str, label: String) -> NodeIndex {
        if let Some(&n) = self.nodes.get(id) {
            return n;
        }
        let n = self.graph.graph.add_node(GraphNode {
            id: id.to_string(),
            label,
            kind: kind.to_string(),
            group: None,
        });
        self.nodes.insert(id.to_string(), n);
        n
    }

    fn edge(&mut self, from: NodeIndex, to: NodeIndex, label: &str) {
        if self.graph.graph.find_edge(from, to).is_none() {
            self.graph.graph.add_edge(
                from,
                to,
                GraphEdge {
                    kind: label.to_string(),
                    label: label.to_string(),
                },
            );
        }
    }

    fn operation(&mut self, parent: NodeIndex, id: &str, role: &str) {
        let label = match self
            .model
            .shapes
            .get(id)
            .and_then(|op| self.model.trait_value(op, "smithy.api#http"))
        {
            Some(http) => format!(
                "{}\n{} {}",
                short(id),
                http.get("method").and_then(|m| m.as_str()).unwrap_or(""),
                http.get("uri").and_then(|u| u.as_str()).unwrap_or("")
            ),
            None => short(id).to_string(),
        };
        let op = self.node(id, "operation", label);
        self.edge(parent, op, role);
        let Some(shape) = self.model.shapes.get(id) else {
            return;
        };
        let relations = &shape.relations;
        for (role, reference) in [("input", &relations.input), ("output", &relations.output)] {
            if let Some(r) = reference.as_ref().filter(|r| r.target != "smithy.api#Unit") {
                let n = self.node(&r.target, "structure", short(&r.target).to_string());
                self.edge(op, n, role);
            }
        }
        for error in &relations.errors {
            let n = self.node(&error.target, "error", short(&error.target).to_string());
            // Error boxes are red; a label on every edge into them would only add clutter.
            self.edge(op, n, "");
        }
    }

    fn resource(&mut self, parent: NodeIndex, id: &str, depth: usize) {
        let node = self.node(id, "resource", short(id).to_string());
        self.edge(parent, node, "resource");
        let Some(shape) = self.model.shapes.get(id) else {
            return;
        };
        let r = shape.relations.clone();
        for (role, op) in &r.lifecycle {
            self.operation(node, &op.target, role);
        }
        for op in r.operations.iter().chain(&r.collection_operations) {
            self.operation(node, &op.target, "operation");
        }
        // Resources can nest; a cycle in a broken model must not recurse for ever.
        if depth < 16 {
            for child in &r.resources {
                self.resource(node, &child.target, depth + 1);
            }
        }
    }
}

/// The service map of `service`, drawn with the layered layout, hooks written.
pub fn render_service_map(model: &Model, service: &Shape, id_prefix: &str) -> Rendered {
    render_service_map_graph(
        &service_map_graph(model, service),
        id_prefix,
        Hooks::Written,
        &BTreeMap::new(),
    )
}

/// The graph a service map draws: cheap to make, so a build can tell from it whether the
/// map changed before laying it out.
pub fn service_map_graph(model: &Model, service: &Shape) -> DiagramGraph {
    let mut builder = MapBuilder {
        model,
        graph: DiagramGraph::default(),
        nodes: BTreeMap::new(),
    };
    let label = match &service.relations.version {
        Some(version) => format!("{}\nversion {version}", short(&service.id)),
        None => short(&service.id).to_string(),
    };
    let root = builder.node(&service.id, "service", label);
    for op in &service.relations.operations {
        builder.operation(root, &op.target, "operation");
    }
    for resource in &service.relations.resources {
        builder.resource(root, &resource.target, 0);
    }
    for error in &service.relations.errors {
        let n = builder.node(&error.target, "error", short(&error.target).to_string());
        builder.edge(root, n, "error");
    }
    builder.graph
}

/// Lays out and draws a graph made by [`service_map_graph`]; the nodes named in `links` (by
/// shape id) link to their URLs, opened in the page that shows the drawing.
pub fn render_service_map_graph(
    graph: &DiagramGraph,
    id_prefix: &str,
    hooks: Hooks,
    links: &BTreeMap<String, SafeUrl>,
) -> Rendered {
    let style = GraphStyle {
        direction: Direction::LeftRight,
        fill_of_kind,
        max_label_width: 360.0,
    };
    let theme = Theme {
        font_size: 14.0,
        ..Theme::default()
    };
    let mut scene = layout_graph(graph, &theme, style);
    if !links.is_empty() {
        scene.link_nodes(links);
    }
    Rendered::painted(scene, id_prefix, hooks)
}

/// Every service of the model with its map, by shape id.
pub fn service_maps(model: &Model) -> BTreeMap<String, Rendered> {
    model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Service)
        .enumerate()
        .map(|(i, s)| {
            (
                s.id.clone(),
                render_service_map(model, s, &format!("s{i}-")),
            )
        })
        .collect()
}
