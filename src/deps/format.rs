//! The plan graph as text: Graphviz DOT, JSON, a mermaid flowchart, and the implementation
//! order. Plans are coloured by status, externals drawn apart, implied edges dashed, cycle
//! edges red. Every label is escaped for its format.

use super::{waves, PlanGraph};
use crate::plan::metadata::Status;
use crate::plan::DependencyKind;
use petgraph::visit::EdgeRef;
use serde_json::json;
use std::fmt::Write as _;

/// Fill colour per status (the same palette in every format).
pub fn status_colour(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Draft) => "#e5e7eb",
        Some(Status::InReview) => "#fef3c7",
        Some(Status::Approved) => "#dbeafe",
        Some(Status::InProgress) => "#ffedd5",
        Some(Status::Completed) => "#dcfce7",
        Some(Status::OnHold) => "#ede9fe",
        Some(Status::Cancelled) => "#fee2e2",
        None => "#ffffff",
    }
}

const CYCLE_RED: &str = "#dc2626";

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub fn render_dot(result: &PlanGraph) -> String {
    let g = &result.graph;
    let mut out = String::from(
        "digraph plans {\n  rankdir=LR;\n  node [fontname=\"DejaVu Sans\", fontsize=11];\n",
    );
    for n in g.node_indices() {
        let node = &g[n];
        if node.external {
            let _ = writeln!(
                out,
                "  n{} [label=\"{}\", shape=box, style=\"dashed,rounded\"];",
                n.index(),
                dot_escape(&node.label)
            );
        } else {
            let label = match &node.status {
                Some(status) => format!("{}\n{}", node.label, status),
                None => node.label.clone(),
            };
            let _ = writeln!(
                out,
                "  n{} [label=\"{}\", tooltip=\"{}\", shape=box, style=\"filled,rounded\", fillcolor=\"{}\"];",
                n.index(),
                dot_escape(&label),
                dot_escape(&node.id),
                status_colour(node.status)
            );
        }
    }
    for e in g.edge_references() {
        let mut attrs = Vec::new();
        if e.weight().kind == DependencyKind::Implied {
            attrs.push("style=dashed".to_string());
        }
        if e.weight().in_cycle {
            attrs.push(format!("color=\"{CYCLE_RED}\", penwidth=2"));
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(
            out,
            "  n{} -> n{}{attrs};",
            e.source().index(),
            e.target().index()
        );
    }
    out.push_str("}\n");
    out
}

pub fn render_json(result: &PlanGraph) -> String {
    let g = &result.graph;
    let nodes: Vec<_> = g.node_indices().map(|n| &g[n]).collect();
    let edges: Vec<_> = g
        .edge_references()
        .map(|e| json!({ "from": g[e.source()].id, "to": g[e.target()].id, "kind": e.weight().kind, "in_cycle": e.weight().in_cycle }))
        .collect();
    let document = json!({ "version": 1, "nodes": nodes, "edges": edges, "cycles": result.cycles, "waves": waves(result) });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Mermaid label text: quotes and markup characters as entity codes, so that a plan name can
/// never break out of its label.
fn mermaid_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub fn render_mermaid(result: &PlanGraph) -> String {
    let g = &result.graph;
    let mut out = String::from("flowchart LR\n");
    for n in g.node_indices() {
        let node = &g[n];
        if node.external {
            let _ = writeln!(
                out,
                "  n{}([\"{}\"])",
                n.index(),
                mermaid_escape(&node.label)
            );
        } else {
            let _ = writeln!(out, "  n{}[\"{}\"]", n.index(), mermaid_escape(&node.label));
        }
    }
    let mut red = Vec::new();
    for (i, e) in g.edge_references().enumerate() {
        let arrow = if e.weight().kind == DependencyKind::Implied {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(
            out,
            "  n{} {arrow} n{}",
            e.source().index(),
            e.target().index()
        );
        if e.weight().in_cycle {
            red.push(i.to_string());
        }
    }
    for n in g.node_indices() {
        let node = &g[n];
        if node.external {
            let _ = writeln!(
                out,
                "  style n{} fill:#ffffff,stroke:#6b7280,stroke-dasharray:4 3",
                n.index()
            );
        } else {
            let _ = writeln!(
                out,
                "  style n{} fill:{}",
                n.index(),
                status_colour(node.status)
            );
        }
    }
    if !red.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{CYCLE_RED},stroke-width:2px",
            red.join(",")
        );
    }
    out
}

/// The implementation order as text, one line per wave.
pub fn render_order(result: &PlanGraph) -> String {
    let mut out = String::new();
    for wave in waves(result) {
        let groups: Vec<String> = wave
            .groups
            .iter()
            .map(|g| {
                if g.cycle {
                    format!("[cycle: {}]", g.plans.join(", "))
                } else {
                    g.plans.join(", ")
                }
            })
            .collect();
        let _ = writeln!(out, "wave {}: {}", wave.number, groups.join(", "));
    }
    out
}
