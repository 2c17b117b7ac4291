//! The formats of `plansmith diff`: human text, JSON, Markdown for a pull-request comment,
//! SARIF and GitHub annotations (the last two for breaking changes only: they are what a
//! review must look at).

use super::github::{escape_data, escape_property};
use crate::catalogue::markdown_escape;
use crate::diff::Report;
use crate::smithy::diff::{DiffEvent, Severity};
use serde_json::{json, Value};

fn shape_text(e: &DiffEvent) -> &str {
    e.shape.as_deref().unwrap_or("-")
}

fn message_with_reason(e: &DiffEvent) -> String {
    match &e.reason {
        Some(reason) => format!("{} ({reason})", e.message),
        None => e.message.clone(),
    }
}

fn counts(report: &Report) -> (usize, usize, usize) {
    let breaking = report
        .smithy
        .iter()
        .filter(|e| e.severity.is_breaking())
        .count()
        + report.plans.iter().filter(|c| c.kind.is_breaking()).count();
    let warnings = report
        .smithy
        .iter()
        .filter(|e| e.severity == Severity::Warning)
        .count()
        + report.plans.iter().filter(|c| c.kind.is_warning()).count();
    let others = report.smithy.len() + report.plans.len() - breaking - warnings;
    (breaking, warnings, others)
}

pub fn render_diff_human(report: &Report) -> String {
    let mut out = String::new();
    if !report.smithy.is_empty() {
        out.push_str(&format!("Smithy changes ({}):\n", report.smithy.len()));
        for e in &report.smithy {
            let message = message_with_reason(e).replace('\n', "\n    ");
            out.push_str(&format!(
                "  {:<10} {} {}: {message}\n",
                e.severity.name(),
                e.id,
                shape_text(e)
            ));
        }
    }
    if !report.plans.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("Plan changes ({}):\n", report.plans.len()));
        for c in &report.plans {
            let mark = if c.kind.is_breaking() {
                "BREAKING "
            } else if c.kind.is_warning() {
                "WARNING  "
            } else {
                ""
            };
            out.push_str(&format!("  {mark}{}: {}\n", c.plan, c.message()));
        }
    }
    let (breaking, warnings, others) = counts(report);
    if report.is_empty() {
        out.push_str(&format!(
            "No changes from {} to {}.\n",
            report.base, report.head
        ));
    } else {
        out.push_str(&format!(
            "\n{} → {}: {breaking} breaking, {warnings} warning{}, {others} other change{}\n",
            report.base,
            report.head,
            if warnings == 1 { "" } else { "s" },
            if others == 1 { "" } else { "s" }
        ));
    }
    out
}

fn event_json(e: &DiffEvent) -> Value {
    json!({
        "id": e.id,
        "severity": e.severity.name(),
        "shape": e.shape,
        "message": e.message,
        "reason": e.reason,
    })
}

pub fn render_diff_json(report: &Report) -> String {
    let value = json!({
        "base": report.base,
        "head": report.head,
        "breaking": report.is_breaking(),
        "smithy": report.smithy.iter().map(event_json).collect::<Vec<_>>(),
        "plans": report.plans,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// A pull-request comment: a summary table, the breaking changes, then every change in
/// folded sections. All text from plans and models is escaped.
pub fn render_diff_markdown(report: &Report) -> String {
    let (breaking, warnings, others) = counts(report);
    let mut out = format!(
        "## plansmith diff: `{}` → `{}`\n\n",
        report.base.replace('`', "'"),
        report.head.replace('`', "'")
    );
    if report.is_empty() {
        out.push_str("No changes to interfaces or plans.\n");
        return out;
    }
    out.push_str("| | changes |\n|---|---:|\n");
    out.push_str(&format!(
        "| Breaking | {breaking} |\n| Warnings | {warnings} |\n| Other | {others} |\n\n"
    ));
    let breaking_events: Vec<&DiffEvent> = report
        .smithy
        .iter()
        .filter(|e| e.severity.is_breaking())
        .collect();
    let breaking_plans: Vec<_> = report
        .plans
        .iter()
        .filter(|c| c.kind.is_breaking())
        .collect();
    if !breaking_events.is_empty() || !breaking_plans.is_empty() {
        out.push_str("### Breaking changes\n\n");
        for e in breaking_events {
            out.push_str(&format!(
                "- **{}** {} on {}: {}\n",
                e.severity.name(),
                markdown_escape(&e.id),
                markdown_escape(shape_text(e)),
                markdown_escape(&message_with_reason(e))
            ));
        }
        for c in breaking_plans {
            out.push_str(&format!(
                "- **BREAKING** {}: {}\n",
                markdown_escape(&c.plan),
                markdown_escape(&c.message())
            ));
        }
        out.push('\n');
    }
    let smithy_rows = report.smithy.iter().map(|e| {
        vec![
            e.severity.name().to_string(),
            markdown_escape(&e.id),
            markdown_escape(shape_text(e)),
            markdown_escape(&message_with_reason(e)),
        ]
    });
    let plan_rows = report
        .plans
        .iter()
        .map(|c| vec![markdown_escape(&c.plan), markdown_escape(&c.message())]);
    let smithy_columns = ["severity", "event", "shape", "message"];
    if let Some(table) = folded_table("Smithy changes", &smithy_columns, smithy_rows) {
        out.push_str(&table);
        out.push('\n');
    }
    out.extend(folded_table("Plan changes", &["plan", "change"], plan_rows));
    out
}

/// A table in a folded `<details>` section headed by its row count; `None` without rows.
fn folded_table(
    title: &str,
    columns: &[&str],
    rows: impl ExactSizeIterator<Item = Vec<String>>,
) -> Option<String> {
    if rows.len() == 0 {
        return None;
    }
    let mut table = format!(
        "<details><summary>{title} ({})</summary>\n\n| {} |\n|{}\n",
        rows.len(),
        columns.join(" | "),
        "---|".repeat(columns.len())
    );
    for row in rows {
        table.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    table.push_str("\n</details>\n");
    Some(table)
}

/// Breaking Smithy events as SARIF results, located at the shape's definition.
pub fn render_diff_sarif(report: &Report) -> String {
    let breaking: Vec<&DiffEvent> = report
        .smithy
        .iter()
        .filter(|e| e.severity.is_breaking())
        .collect();
    let mut rule_ids: Vec<&str> = breaking.iter().map(|e| base_id(&e.id)).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let results: Vec<Value> = breaking
        .iter()
        .map(|e| {
            let mut result = json!({
                "ruleId": base_id(&e.id),
                "level": if e.severity == Severity::Error { "error" } else { "warning" },
                "message": { "text": message_with_reason(e) },
                "properties": { "eventId": e.id, "shape": e.shape },
            });
            if let Some(at) = e.shape.as_ref().and_then(|s| report.locations.get(s)) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": crate::paths::encode_uri_path(&at.path) },
                        "region": {
                            "startLine": at.span.line.max(1),
                            "startColumn": at.span.column.max(1),
                        }
                    }
                }]);
            }
            result
        })
        .collect();
    let rules = rule_ids.iter().map(|id| json!({ "id": id })).collect();
    let value = super::sarif::document(rules, results, json!({}));
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The evaluator's ID without its sub-parts (`ModifiedTrait` of `ModifiedTrait.Update.x#y`).
fn base_id(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Breaking changes as GitHub workflow commands, at the shape's definition when known.
pub fn render_diff_github(report: &Report) -> String {
    let (escape, property) = (escape_data, escape_property);
    let mut out = String::new();
    for e in report.smithy.iter().filter(|e| e.severity.is_breaking()) {
        let at = e
            .shape
            .as_ref()
            .and_then(|s| report.locations.get(s))
            .map(|at| {
                format!(
                    "file={},line={},col={},",
                    property(&at.path),
                    at.span.line,
                    at.span.column
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            "::error {at}title={}::{}\n",
            property(&e.id),
            escape(&format!("{}: {}", shape_text(e), message_with_reason(e)))
        ));
    }
    for c in report.plans.iter().filter(|c| c.kind.is_breaking()) {
        out.push_str(&format!(
            "::error file={},title=plan diff::{}\n",
            property(&c.plan),
            escape(&c.message())
        ));
    }
    out
}
