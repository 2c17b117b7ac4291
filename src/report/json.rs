//! The versioned JSON report: `{"version": 1, "root", "plans", "files", "diagnostics",
//! "summary"}`. Every `path` in it is relative to `root`.

use crate::check::Checked;
use crate::diagnostic::Severity;
use serde_json::json;

pub fn render_json(checked: &Checked) -> String {
    let files: Vec<_> = checked
        .files
        .iter()
        .map(|b| json!({ "path": b.source.path, "lang": b.lang, "diagram": b.diagram() }))
        .collect();
    let blocks: usize = checked.plans.iter().map(|p| p.blocks.len()).sum();
    let document = json!({
        "version": 1,
        "tool": { "name": "plansmith", "version": env!("CARGO_PKG_VERSION") },
        "root": checked.root.name(),
        "plans": checked.plans,
        "files": files,
        "cycles": checked.graph.cycles,
        "diagnostics": checked.diagnostics,
        "summary": {
            "plans": checked.plans.iter().filter(|p| p.is_plan).count(),
            "markdown_files": checked.plans.len(),
            "blocks": blocks,
            "files": checked.files.len(),
            "errors": checked.count(Severity::Error),
            "warnings": checked.count(Severity::Warning),
            "notes": checked.count(Severity::Note),
        },
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
