//! `smithy diff` conformance: the reference's own diff cases in `../shared/conformance/smithy-diff`
//! (pairs of models and the events `smithy diff` reports for them), under the suite's two bars:
//! the exact event lines of `expect/` for every case, and the upstream runner's matching rules
//! (severity, shape, ID prefix, message prefix) for the cases with an upstream `.events` file.

use crate::shared::{conformance_dir, read_tsv};
use plansmith::smithy;
use plansmith::smithy::diff::{compare, DiffEvent};
use std::path::Path;

/// Cases whose events equal `expect/` line for line; raise it as cases are fixed.
const EXACT_FLOOR: usize = 37;

fn load(dir: &Path, rel: &str) -> plansmith::smithy::model::Model {
    let input = crate::shared::smithy_input(dir, rel);
    let loaded = smithy::load(vec![input]);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == plansmith::diagnostic::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{rel} does not load: {errors:?}");
    loaded.model
}

/// An event in the `expect/` format.
fn line(e: &DiffEvent) -> String {
    let mut message = e.message.clone();
    if let Some(reason) = &e.reason {
        message.push_str(&format!(" ({reason})"));
    }
    let escaped = message
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
        .replace('\r', "\\r");
    format!(
        "{}\t{}\t{}\t{escaped}",
        e.severity.name(),
        e.id,
        e.shape.as_deref().unwrap_or("-")
    )
}

/// One expected event of an upstream `.events` file.
struct Expected {
    severity: String,
    shape: Option<String>,
    message: String,
    id: String,
}

/// Pieces separated by `-----`, each `[SEVERITY] SHAPE: MESSAGE | EVENTID`.
fn parse_upstream(text: &str) -> Vec<Expected> {
    text.split("-----")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter_map(|piece| {
            let rest = piece.strip_prefix('[')?;
            let (severity, rest) = rest.split_once("] ")?;
            let (shape, rest) = rest.split_once(": ")?;
            let (message, id) = rest.rsplit_once(" | ")?;
            let id = id.split(')').next().unwrap_or(id).trim();
            Some(Expected {
                severity: severity.to_string(),
                shape: (shape != "-").then(|| shape.to_string()),
                message: message.to_string(),
                id: id.to_string(),
            })
        })
        .collect()
}

fn satisfies(actual: &DiffEvent, expected: &Expected) -> bool {
    let flatten = |s: &str| s.replace("\r\n", "\\n").replace(['\n', '\r'], "\\n");
    let mut message = actual.message.clone();
    if let Some(reason) = &actual.reason {
        message.push_str(&format!(" ({reason})"));
    }
    actual.severity.name() == expected.severity
        && actual.shape == expected.shape
        && (actual.id == expected.id
            || actual
                .id
                .strip_prefix(&expected.id)
                .is_some_and(|rest| rest.starts_with('.')))
        && flatten(&message).starts_with(&flatten(&expected.message))
}

/// The upstream runner's verdict: every expected event satisfied by some actual one, every
/// actual event other than a SUPPRESSED one satisfying some expected one.
fn upstream_passes(actual: &[DiffEvent], expected: &[Expected]) -> bool {
    expected
        .iter()
        .all(|x| actual.iter().any(|a| satisfies(a, x)))
        && actual
            .iter()
            .filter(|a| a.severity != plansmith::smithy::diff::Severity::Suppressed)
            .all(|a| expected.iter().any(|x| satisfies(a, x)))
}

#[test]
fn smithy_diff_conformance() {
    let Some(dir) = conformance_dir("smithy-diff") else {
        return;
    };
    let mut exact = 0;
    let mut misses = Vec::new();
    let mut upstream_failures = Vec::new();
    let rows = read_tsv(&dir.join("MANIFEST.tsv"));
    for row in &rows {
        let case = &row["case"];
        let old = load(&dir, &row["model_a"]);
        let new = load(&dir, &row["model_b"]);
        let events = compare(&old, &new);
        let mut lines: Vec<String> = events.iter().map(line).collect();
        lines.sort();
        let expected_text = std::fs::read_to_string(dir.join(&row["expect"])).unwrap_or_default();
        let expected: Vec<&str> = expected_text.lines().collect();
        if lines == expected {
            exact += 1;
        } else {
            misses.push(format!(
                "{case}\n  expected:\n    {}\n  actual:\n    {}",
                expected.join("\n    "),
                lines.join("\n    ")
            ));
        }
        if row["upstream_events"] != "-" {
            let upstream = std::fs::read_to_string(
                dir.join("suite")
                    .join(row["upstream_events"].trim_start_matches("suite/")),
            )
            .unwrap_or_default();
            let must_match = !row["upstream_check"].contains("must NOT match");
            if upstream_passes(&events, &parse_upstream(&upstream)) != must_match {
                upstream_failures.push(case.clone());
            }
        }
    }
    eprintln!(
        "smithy diff: {exact}/{} cases exactly as the reference",
        rows.len()
    );
    for miss in &misses {
        eprintln!("{miss}");
    }
    assert!(
        upstream_failures.is_empty(),
        "upstream bar failed: {upstream_failures:?}"
    );
    assert!(
        exact >= EXACT_FLOOR,
        "{exact} exact cases, floor {EXACT_FLOOR}"
    );
}
