//! The shipped examples: the plans check clean, and every mistake planted in
//! `examples/broken` is reported with its code at its exact line.

use std::path::Path;
use std::process::Command;

fn plansmith(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_plansmith"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run plansmith");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
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
    ("smithy-unresolved.md", 62, "Target"),
    ("cycle-b.md", 24, "DEP002"),
    ("dead-link.md", 25, "DEP001"),
];

#[test]
fn broken_plans_report_each_mistake_at_its_line() {
    let (status, stdout) = plansmith(&["check", "examples/broken", "--format", "json"]);
    assert_eq!(status, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, u64, String)> = report["diagnostics"]
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
        .collect();
    for (file, line, code) in PLANTED {
        assert!(
            found
                .iter()
                .any(|(p, l, c)| p == file && *l == u64::from(*line) && c == code),
            "{code} expected at {file}:{line}; found {found:?}"
        );
        assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/broken")
            .join(file)
            .is_file());
    }
}

#[test]
fn template_reads_without_errors() {
    let (_, stdout) = plansmith(&["check", "examples/template.md", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "PLAN005"));
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
        human.contains("warning[PLAN002]") && !human.contains('\u{1b}'),
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
            "plan/01-smithy.smithy",
            "plan/02-mermaid.mmd",
            "plan/03-mermaid.mmd",
            "plan/05-mermaid.mmd",
            "plan/06-mermaid.mmd",
            "plan/07-smithy.smithy"
        ]
    );
    assert_eq!(files[1]["line"], 21);
    let mermaid = std::fs::read_to_string(out.join("plan/02-mermaid.mmd")).unwrap();
    assert_eq!(mermaid, "flowchart LR\n  A --> B\n");
}

#[test]
fn example_plans_check_clean() {
    let (status, stdout) = plansmith(&["check", "examples/plans"]);
    assert_eq!(status, 0, "{stdout}");
}
