//! Turning a [`Checked`] result into text: human snippets, a JSON document, SARIF 2.1.0 or
//! GitHub workflow commands. Pure functions from data to strings; the CLI decides where they go.

mod github;
mod human;
mod json;
mod sarif;

use crate::check::Checked;
use crate::diagnostic::Diagnostic;

pub use github::render_github;
pub use human::{render_human, summary_line};
pub use json::render_json;
pub use sarif::render_sarif;

/// The path to show for a diagnostic where the reader must find the file (SARIF, GitHub,
/// terminal links): the on-disk path as given, falling back to the reported path.
fn disk_path<'a>(checked: &'a Checked, diagnostic_path: &'a str) -> String {
    checked
        .locations
        .get(diagnostic_path)
        .map(|p| {
            p.components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_else(|| diagnostic_path.to_string())
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
