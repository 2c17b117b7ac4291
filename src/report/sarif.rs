//! SARIF 2.1.0, with stable rule ids, relative paths and fingerprints that do not depend on
//! line numbers (so a finding keeps its identity when lines above it move).

use super::code_title;
use crate::check::Checked;
use crate::diagnostic::Severity;
use crate::paths::{absolute, encode_uri_path, file_uri};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The root every artifact URI is relative to; `originalUriBaseIds` says where it is.
const ROOT_BASE_ID: &str = "%SRCROOT%";

/// A file's artifact location: its identity, percent-encoded, relative to the root. A path that
/// is no identity (an input that could not be read) is placed by the working directory.
fn artifact_location(checked: &Checked, path: &str) -> Value {
    let relative_to_root = if checked.locations.contains_key(path) {
        Some(path.to_string())
    } else {
        checked.root.identity(&absolute(Path::new(path)))
    };
    match relative_to_root {
        Some(identity) => json!({ "uri": encode_uri_path(&identity), "uriBaseId": ROOT_BASE_ID }),
        None => json!({ "uri": file_uri(&absolute(Path::new(path))) }),
    }
}

fn location(checked: &Checked, path: &str, span: crate::diagnostic::Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(checked, path),
            "region": {
                "startLine": span.line.max(1),
                "startColumn": span.column.max(1),
                "endLine": span.end_line.max(span.line).max(1),
                "endColumn": span.end_column.max(1),
            }
        }
    })
}

/// A rule: its title, and its section of docs/diagnostics.md as full description and help.
fn rule(code: &str) -> Value {
    let mut rule = json!({
        "id": code,
        "shortDescription": { "text": code_title(code).unwrap_or(code) },
        "helpUri": crate::docs::help_uri(code),
    });
    if let Some(section) = crate::docs::section(code) {
        let text = crate::docs::plain_text(section);
        rule["fullDescription"] = json!({ "text": text });
        rule["help"] = json!({ "text": text, "markdown": section });
    }
    rule
}

pub fn render_sarif(checked: &Checked, min: Severity) -> String {
    // Fingerprints are made over every finding (as a baseline makes them), then filtered.
    let fingerprints = crate::tuning::fingerprints(&checked.diagnostics);
    let diagnostics: Vec<_> = checked
        .diagnostics
        .iter()
        .zip(&fingerprints)
        .filter(|(d, _)| d.severity >= min)
        .collect();
    let codes: BTreeSet<&str> = diagnostics.iter().map(|(d, _)| d.code.as_str()).collect();
    let rule_index: BTreeMap<&str, usize> =
        codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let rules: Vec<Value> = codes.iter().map(|code| rule(code)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|(d, fingerprint)| {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index[d.code.as_str()],
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [location(checked, &d.path, d.span)],
                "partialFingerprints": { "plansmith/v1": fingerprint },
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut loc = location(checked, &r.path, r.span);
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": r.message });
                        loc
                    })
                    .collect();
            }
            result
        })
        .collect();
    let document = document(
        rules,
        results,
        json!({
            "originalUriBaseIds": { ROOT_BASE_ID: { "uri": checked.root.uri() } },
            "columnKind": "unicodeCodePoints",
        }),
    );
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// A SARIF 2.1.0 document of one plansmith run: its rules and results, and any other properties
/// of the run (`run_properties`, an object).
pub(super) fn document(rules: Vec<Value>, results: Vec<Value>, run_properties: Value) -> Value {
    let mut run = json!({
        "tool": { "driver": {
            "name": "plansmith",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/plansmith/plansmith",
            "rules": rules,
        }},
        "results": results,
    });
    if let (Some(run), Value::Object(extra)) = (run.as_object_mut(), run_properties) {
        run.extend(extra);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}
