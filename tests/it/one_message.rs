//! One mistake, one message: each fixture folder under `tests/fixtures/check` plants one kind
//! of mistake; the reports are snapshotted by `check::fixture_reports`, and here each folder's
//! promise is asserted: the mistake is reported once, where it was made, and nothing it caused
//! elsewhere is.

use crate::check::check_paths;
use plansmith::check::Checked;
use plansmith::diagnostic::{Diagnostic, Severity};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

/// The fixture folder checked, with its paths made relative to the folder again, so that
/// the assertions read as the fixture's own file names.
fn checked(name: &str) -> Checked {
    let mut checked = check_paths(&[fixture(name)], 1);
    let prefix = format!("tests/fixtures/check/{name}/");
    let strip = |path: &mut String| {
        if let Some(rest) = path.strip_prefix(&prefix) {
            *path = rest.to_string();
        }
    };
    for d in &mut checked.diagnostics {
        strip(&mut d.path);
        d.related.iter_mut().for_each(|r| strip(&mut r.path));
    }
    checked.plans.iter_mut().for_each(|p| strip(&mut p.path));
    checked
}

/// (path, line, code) of every diagnostic except the plain placeholder warnings.
fn findings(checked: &Checked) -> Vec<(&str, u32, &str)> {
    checked
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.span.line, d.code.as_str()))
        .collect()
}

fn only<'c>(checked: &'c Checked, code: &str) -> Vec<&'c Diagnostic> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

#[test]
fn unclosed_fences_at_start_and_end_are_one_error_each() {
    let checked = checked("unclosed-fences");
    assert_eq!(
        findings(&checked),
        [("end.md", 23, "PLAN008"), ("start.md", 1, "PLAN008")],
        "{:#?}",
        checked.diagnostics
    );
    assert!(checked
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Error && d.span.column == 1));
    let start = &checked.plans[1];
    assert_eq!(start.path, "start.md");
    // The text after the fence is read as the plan again: its header and its Smithy block.
    assert_eq!(start.status, Some(plansmith::plan::metadata::Status::Draft));
    let langs: Vec<&str> = start.blocks.iter().map(|b| b.lang.as_str()).collect();
    assert_eq!(langs, ["smithy"]);
    assert!(checked.diagnostics[1].message.contains("```smithy line 13"));
    assert_eq!(checked.diagnostics[1].related[0].span.line, 13);
    // The unclosed block at the end is not parsed as a diagram.
    let end = &checked.plans[0];
    assert!(end.blocks.iter().all(|b| b.lang == "smithy"));
}

#[test]
fn smithy_syntax_errors_have_no_follow_on_events() {
    let checked = checked("smithy-root-cause");
    assert_eq!(
        findings(&checked),
        [
            ("billing.md", 24, "SMY001"),
            ("billing.md", 33, "SMY001"),
            ("billing.md", 45, "SMY001"),
            // A service binding a misspelt operation: one message, not a second one for the
            // unquoted name.
            ("catalog.md", 18, "Target.UnresolvedShape"),
            // The ledger's own mistakes are still found: two unresolved shapes.
            ("ledger.md", 27, "Target.UnresolvedShape"),
            ("ledger.md", 36, "Target.UnresolvedShape"),
        ],
        "{:#?}",
        checked.diagnostics
    );
    let targets = only(&checked, "Target.UnresolvedShape");
    assert!(targets[0]
        .message
        .contains("Did you mean com.example.catalog#GetThing?"));
    assert!(targets[1].message.contains("#Amout"));
    assert!(targets[2].message.contains("#EntryIdd"));
}

#[test]
fn a_dead_link_naming_a_plan_is_one_message_with_the_replacement() {
    let checked = checked("dead-link-names-plan");
    assert_eq!(
        findings(&checked),
        [("orders/plan.md", 9, "DEP001")],
        "{:#?}",
        checked.diagnostics
    );
    let dead = &checked.diagnostics[0];
    assert_eq!(
        dead.help.as_deref(),
        Some("replace with [Users](../users/plan.md)")
    );
    let fix = dead.fix.as_ref().expect("a machine-readable replacement");
    assert_eq!(fix.replacement, "../users/plan.md");
    let text = std::fs::read_to_string(fixture("dead-link-names-plan/orders/plan.md")).unwrap();
    let line: Vec<char> = text.lines().nth(8).unwrap().chars().collect();
    let replaced: String = line[fix.span.column as usize - 1..fix.span.end_column as usize - 1]
        .iter()
        .collect();
    assert_eq!(replaced, "../user/plan.md");
    let graph = &checked.graph.graph;
    let externals: Vec<&str> = graph
        .node_weights()
        .filter(|n| n.external)
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(externals, ["Stripe API"]);
}

#[test]
fn a_use_typo_is_reported_once_at_the_use() {
    let checked = checked("use-typo");
    assert_eq!(
        findings(&checked),
        [("cart.md", 16, "SMY023")],
        "{:#?}",
        checked.diagnostics
    );
    let help = checked.diagnostics[0].help.as_deref().unwrap_or("");
    assert!(help.contains("com.example.catalog#Product"), "{help}");
}

#[test]
fn common_mistakes_get_hints() {
    let checked = checked("hints");
    let help = |code: &str| only(&checked, code)[0].help.clone().unwrap_or_default();
    assert_eq!(help("PLAN002"), "did you mean `Approved`?");
    assert!(
        help("PLAN004").contains("`30-06-2027`"),
        "{}",
        help("PLAN004")
    );
    assert!(help("MMD101").contains("did you mean `-->`?"));
    assert_eq!(only(&checked, "PLAN002")[0].severity, Severity::Error);
}

#[test]
fn mmd602_is_an_error() {
    let checked = checked("hints");
    let relation = only(&checked, "MMD602");
    assert_eq!(relation.len(), 1);
    assert_eq!(relation[0].severity, Severity::Error);
}

/// The template's placeholders, found independently of the reader: every `[` that opens a
/// bracketed phrase starting with a letter, outside code fences, plus those in `///` Smithy
/// documentation comments.
fn placeholder_lines(template: &str) -> Vec<u32> {
    let mut lines = Vec::new();
    let mut fence: Option<(bool, u32)> = None;
    for (i, line) in template.lines().enumerate() {
        let number = i as u32 + 1;
        if line.trim_start().starts_with("```") {
            fence = match fence {
                None => Some((line.contains("smithy"), number)),
                Some(_) => None,
            };
            continue;
        }
        let in_smithy_docs =
            matches!(fence, Some((true, _))) && line.trim_start().starts_with("///");
        if fence.is_some() && !in_smithy_docs {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for (at, c) in chars.iter().enumerate() {
            if *c == '[' && chars.get(at + 1).is_some_and(|n| n.is_alphabetic()) {
                lines.push(number);
            }
        }
    }
    lines
}

#[test]
fn every_template_placeholder_is_found_and_none_is_a_dependency() {
    let checked = checked("template-copy");
    let template = std::fs::read_to_string(fixture("template-copy/draft/plan.md")).unwrap();
    let expected = placeholder_lines(&template);
    let found: Vec<u32> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "PLAN005" && d.path == "draft/plan.md")
        .map(|d| d.span.line)
        .collect();
    assert_eq!(found, expected);
    assert!(found.len() >= 29, "{}", found.len());
    let draft = checked
        .plans
        .iter()
        .find(|p| p.path == "draft/plan.md")
        .unwrap();
    assert!(draft.dependencies.is_empty(), "{:?}", draft.dependencies);
    assert!(checked
        .graph
        .graph
        .node_weights()
        .all(|n| !n.external || n.label == "Payment provider API"));
}

#[test]
fn unfinished_content_is_an_error_once_approved() {
    let checked = checked("template-copy");
    for d in checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "PLAN005" || d.code == "PLAN006")
    {
        let expected = if d.path == "approved/plan.md" || d.span.line == 3 {
            Severity::Error // approved, or the unfilled Status itself
        } else {
            Severity::Warning
        };
        assert_eq!(d.severity, expected, "{d:?}");
    }
    assert!(only(&checked, "PLAN006")
        .iter()
        .any(|d| d.path == "approved/plan.md" && d.severity == Severity::Error));
}
