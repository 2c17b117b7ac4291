//! Turning a [`Checked`] result into text: human snippets, a JSON document, SARIF 2.1.0 or
//! GitHub workflow commands. Pure functions from data to strings; the CLI decides where they go.

mod diff;
mod github;
mod human;
mod json;
mod sarif;

use crate::check::Checked;
use crate::diagnostic::Diagnostic;

pub use diff::{
    render_diff_github, render_diff_human, render_diff_json, render_diff_markdown,
    render_diff_sarif,
};
pub use github::render_github;
pub use human::{render_human, summary_line};
pub use json::render_json;
pub use sarif::render_sarif;

/// The path to show for a diagnostic where the reader must find the file (human, GitHub): the
/// identity when the run's root is the working directory, else the absolute path. A path that
/// is no identity (an input that could not be read) is shown as it was given.
fn disk_path(checked: &Checked, diagnostic_path: &str) -> String {
    if checked.locations.contains_key(diagnostic_path) {
        checked.root.display(diagnostic_path)
    } else {
        diagnostic_path.to_string()
    }
}

/// A short title for each diagnostic code (refined codes take their parent's), for SARIF rules.
pub fn code_title(code: &str) -> Option<&'static str> {
    crate::docs::title(code)
}

/// Diagnostics at or above `min` severity, in report order.
pub fn visible(
    diagnostics: &[Diagnostic],
    min: crate::diagnostic::Severity,
) -> impl Iterator<Item = &Diagnostic> {
    diagnostics.iter().filter(move |d| d.severity >= min)
}
