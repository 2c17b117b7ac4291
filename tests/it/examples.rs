//! The shipped examples: the plans check clean, and every mistake planted in
//! `examples/broken` is reported with its code at its exact line.

use std::path::Path;

/// The exit status and stdout of a run.
fn plansmith(args: &[&str]) -> (i32, String) {
    let (status, stdout, _) = crate::bin::plansmith(args);
    (status, stdout)
}

/// (file in examples/broken, line, code): each mistake named in a comment in its plan.
const PLANTED: &[(&str, u32, &str)] = &[
    ("bad-status.md", 4, "PLAN002"),
    ("impossible-date.md", 6, "PLAN004"),
    ("date-format.md", 6, "PLAN003"),
    ("placeholder-left.md", 5, "PLAN005"),
    ("mermaid-keyword.md", 30, "MMD001"),
    ("mermaid-syntax.md", 34, "MMD101"),
    ("smithy-syntax.md", 67, "SMY001"),
    ("smithy-unresolved.md", 62, "Target.UnresolvedShape"),
    ("cycle-b.md", 24, "DEP002"),
    ("dead-link.md", 25, "DEP001"),
];

/// (path, line, code) of every diagnostic of a JSON report.
fn findings(report: &str) -> Vec<(String, u64, String)> {
    let report: serde_json::Value = serde_json::from_str(report).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Checked together with the plans their links lead to, the broken plans report exactly the
/// mistakes `examples/broken/README.md` lists, each at its line (as examples/README.md says).
#[test]
fn broken_plans_report_exactly_the_listed_mistakes() {
    let (status, stdout) = plansmith(&[
        "check",
        "examples/broken",
        "examples/plans",
        "--format",
        "json",
    ]);
    assert_eq!(status, 1, "{stdout}");
    let mut expected: Vec<(String, u64, String)> = PLANTED
        .iter()
        .map(|(file, line, code)| {
            let path = format!("examples/broken/{file}");
            assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path).is_file());
            (path, u64::from(*line), code.to_string())
        })
        .collect();
    expected.sort();
    let mut found = findings(&stdout);
    found.sort();
    assert_eq!(found, expected);
}

/// Checked alone, each link into `examples/plans` is a DEP004 note and nothing else changes.
#[test]
fn broken_plans_alone_note_the_links_they_cannot_follow() {
    let (_, alone) = plansmith(&["check", "examples/broken", "--format", "json"]);
    let (_, together) = plansmith(&[
        "check",
        "examples/broken",
        "examples/plans",
        "--format",
        "json",
    ]);
    let (notes, rest): (Vec<_>, Vec<_>) = findings(&alone)
        .into_iter()
        .partition(|(_, _, code)| code == "DEP004");
    assert!(!notes.is_empty());
    assert_eq!(rest, findings(&together));
}

/// The untouched template: its only error is the unfilled Status (a plan must say what state
/// it is in); every other placeholder is a warning, as in a Draft.
#[test]
fn template_reads_with_only_the_status_as_error() {
    let (_, stdout) = plansmith(&["check", "examples/template.md", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors: Vec<(u64, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["line"].as_u64().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(3, "PLAN005")]);
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "PLAN005" && d["severity"] == "warning"));
}

#[test]
fn formats_are_well_formed() {
    let (status, sarif) = plansmith(&["check", "examples/broken", "--format", "sarif"]);
    assert_eq!(status, 1);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("examples/broken/"), "{uri}");
        assert!(result["partialFingerprints"]["plansmith/v1"].is_string());
    }
    let (_, github) = plansmith(&["check", "examples/broken", "--format", "github"]);
    assert!(github.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
    assert!(
        github.contains("file=examples/broken/bad-status.md,line=4,col=15,"),
        "{github}"
    );
    let (status, human) = plansmith(&["check", "examples/broken", "--fail-on", "never"]);
    assert_eq!(status, 0);
    assert!(
        human.contains("error[PLAN002]") && !human.contains('\u{1b}'),
        "{human}"
    );
}

#[test]
fn empty_sarif_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.md"), "# Fine\n").unwrap();
    let (status, sarif) = plansmith(&["check", dir.path().to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(status, 0);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn usage_errors_and_missing_inputs_exit_2() {
    assert_eq!(plansmith(&["check", "--format", "xml"]).0, 2);
    assert_eq!(plansmith(&["check", "no/such/folder"]).0, 2);
}

#[test]
fn extract_writes_blocks_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (status, _) = plansmith(&[
        "extract",
        "tests/fixtures/check/blocks",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status, 0);
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    let files = index["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "tests/fixtures/check/blocks/plan/01-smithy.smithy",
            "tests/fixtures/check/blocks/plan/02-mermaid.mmd",
            "tests/fixtures/check/blocks/plan/03-mermaid.mmd",
            "tests/fixtures/check/blocks/plan/05-mermaid.mmd",
            "tests/fixtures/check/blocks/plan/06-mermaid.mmd",
        ]
    );
    assert_eq!(files[1]["line"], 21);
    let mermaid =
        std::fs::read_to_string(out.join("tests/fixtures/check/blocks/plan/02-mermaid.mmd"))
            .unwrap();
    assert_eq!(mermaid, "flowchart LR\n  A --> B\n");
}

#[test]
fn example_plans_check_clean() {
    let (status, stdout) = plansmith(&["check", "examples/plans"]);
    assert_eq!(status, 0, "{stdout}");
}
