//! Lints: passes over a parsed diagram's model that report what mermaid accepts but a plan
//! should not contain. Each lint is one file with a `check` function; they run after the
//! family parser, on every diagram that parsed, so `check` and `build` report the same.

mod layout_budget;
mod link_safety;

use super::Diagram;
use crate::diagnostic::Diagnostic;
use crate::source::SourceText;

/// Every lint's findings on one parsed diagram, in lint order.
pub fn lint(diagram: &Diagram, src: &SourceText) -> Vec<Diagnostic> {
    let mut found = link_safety::check(diagram, src);
    found.extend(layout_budget::check(diagram, src));
    found
}
