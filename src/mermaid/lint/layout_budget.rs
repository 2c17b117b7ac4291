//! MMD702: a diagram too large for the layered layout (`crate::layout_budget`). The renderer
//! measures the same graph and draws it in rows with straight edges instead; this lint says so,
//! at the diagram's first line. Sequence diagrams are drawn row by row and have no such limit.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::layout_budget::LayoutSize;
use crate::mermaid::Diagram;
use crate::source::SourceText;

pub fn check(diagram: &Diagram, src: &SourceText) -> Option<Diagnostic> {
    if matches!(diagram, Diagram::Sequence(_)) {
        return None;
    }
    let graph = diagram.graph();
    let g = &graph.graph;
    let edges: Vec<(usize, usize, usize)> = g
        .edge_indices()
        .filter_map(|e| g.edge_endpoints(e))
        .map(|(a, b)| (a.index(), b.index(), 1))
        .collect();
    // Groups are laid out as boxes of their own.
    let excess = LayoutSize::measure(g.node_count() + graph.groups.len(), &edges).excess()?;
    let text = &src.text;
    let first_line = text.find('\n').unwrap_or(text.len());
    Some(
        src.diagnostic(
            Code::DiagramSimplified,
            format!(
                "the diagram is too large to lay out ({excess}); it is drawn in rows with straight edges"
            ),
            0..first_line,
        )
        .with_help("split the diagram into smaller ones, or shorten the edges that cross many ranks"),
    )
}
