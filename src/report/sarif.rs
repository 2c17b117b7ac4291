//! SARIF 2.1.0, with stable rule ids, relative paths and fingerprints that do not depend on
//! line numbers (so a finding keeps its identity when lines above it move).

use super::{code_title, disk_path};
use crate::check::Checked;
use crate::diagnostic::Severity;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// FNV-1a, 64 bit: small, stable across platforms and releases.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn location(checked: &Checked, path: &str, span: crate::diagnostic::Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": disk_path(checked, path), "uriBaseId": "%SRCROOT%" },
            "region": {
                "startLine": span.line.max(1),
                "startColumn": span.column.max(1),
                "endLine": span.end_line.max(span.line).max(1),
                "endColumn": span.end_column.max(1),
            }
        }
    })
}

pub fn render_sarif(checked: &Checked, min: Severity) -> String {
    let diagnostics: Vec<_> = super::visible(&checked.diagnostics, min).collect();
    let codes: BTreeSet<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    let rule_index: BTreeMap<&str, usize> =
        codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "id": code,
                "shortDescription": { "text": code_title(code).unwrap_or(code) },
                "helpUri": format!("https://github.com/plansmith/plansmith/blob/main/docs/diagnostics.md#{}", code.to_ascii_lowercase()),
            })
        })
        .collect();
    // Identical findings in one file are told apart by their order, not their line.
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let key = (d.code.clone(), d.path.clone(), d.message.clone());
            let occurrence = seen.entry(key).or_insert(0);
            *occurrence += 1;
            let fingerprint = fnv1a(&[&d.code, &d.path, &d.message, &occurrence.to_string()]);
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
                "partialFingerprints": { "plansmith/v1": format!("{fingerprint:016x}") },
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
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "plansmith",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/plansmith/plansmith",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
