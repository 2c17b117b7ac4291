//! Where authors work: a plan checked from standard input as an editor sends it, a plan started
//! with `new`, completions and the manual page, and the files that plug plansmith into GitHub
//! Actions and pre-commit.

use crate::bin::{plansmith, plansmith_in};
use serde_json::Value;
use std::path::Path;

const CLEAN_FLOWCHART: &str = "```mermaid\nflowchart LR\n  a --> b\n```\n";
const BROKEN_FLOWCHART: &str = "```mermaid\nflowchart LR\n  a --> \n  b -- c\n```\n";

fn plan(title: &str, dependency: &str, diagram: &str) -> String {
    format!(
        "# {title} Technical Implementation Plan\n\n| **Status:** Draft\n| **Owner:** Ann\n| **Target Date:** 2027-02-12 |\n\n## Overview\n\nText.\n\n## Dependencies\n\n- {dependency}\n\n## Architecture\n\n{diagram}"
    )
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// (path, line, code) of the errors of a JSON report.
fn errors(json: &str) -> Vec<(String, u64, String)> {
    let report: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "plans/a/plan.md",
        &plan("A", "None", CLEAN_FLOWCHART),
    );
    write(
        dir.path(),
        "plans/b/plan.md",
        &plan("B", "[A](../a/plan.md)", CLEAN_FLOWCHART),
    );
    dir
}

#[test]
fn standard_input_replaces_the_named_plan_among_the_others() {
    let dir = workspace();
    let (status, out, err) = plansmith_in(dir.path(), &["check", "plans", "--format", "json"], "");
    assert_eq!((status, errors(&out)), (0, vec![]), "{err}");

    // The editor's unsaved buffer of plan A has a broken diagram; the file on disk has not.
    let args = [
        "check",
        "-",
        "plans",
        "--stdin-filename",
        "plans/a/plan.md",
        "--format",
        "json",
    ];
    let buffer = plan("A", "None", BROKEN_FLOWCHART);
    let (status, out, err) = plansmith_in(dir.path(), &args, &buffer);
    let found = errors(&out);
    assert_eq!(status, 1, "{err}");
    assert!(
        !found.is_empty()
            && found
                .iter()
                .all(|(path, line, code)| path == "plans/a/plan.md"
                    && *line >= 18
                    && code.starts_with("MMD")),
        "{found:?}"
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["summary"]["plans"], 2, "read once, not twice");

    // A buffer that fixes the file on disk checks clean, and B's link to it still resolves.
    write(
        dir.path(),
        "plans/a/plan.md",
        &plan("A", "None", BROKEN_FLOWCHART),
    );
    let buffer = plan("A", "None", CLEAN_FLOWCHART);
    let (status, out, err) = plansmith_in(dir.path(), &args, &buffer);
    assert_eq!((status, errors(&out)), (0, vec![]), "{err}");
}

#[test]
fn standard_input_alone_is_reported_under_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let buffer = plan("Notes", "None", BROKEN_FLOWCHART);
    let args = [
        "check",
        "-",
        "--stdin-filename",
        "drafts/notes.md",
        "--format",
        "json",
    ];
    let (status, out, err) = plansmith_in(dir.path(), &args, &buffer);
    assert_eq!(status, 1, "{err}");
    let found = errors(&out);
    assert!(
        !found.is_empty() && found.iter().all(|(path, ..)| path == "drafts/notes.md"),
        "{found:?}"
    );
    assert!(!dir.path().join("drafts").exists(), "nothing is written");

    let (status, out, _) = plansmith_in(dir.path(), &["check", "-", "--format", "json"], &buffer);
    assert_eq!(status, 1);
    assert!(errors(&out).iter().all(|(path, ..)| path == "stdin.md"));

    let (status, _, err) =
        plansmith_in(dir.path(), &["check", ".", "--stdin-filename", "x.md"], "");
    assert_eq!(status, 2);
    assert!(err.contains("--stdin-filename"), "{err}");
}

#[test]
fn new_starts_a_draft_from_the_template_and_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "new",
        "Order Export",
        "--owner",
        "Ann Lee",
        "--date",
        "2027-03-09",
        "--no-config",
    ];
    let (status, _, err) = plansmith_in(dir.path(), &args, "");
    assert_eq!(status, 0, "{err}");
    let path = dir.path().join("plans/order-export/plan.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# Order Export Technical Implementation Plan\n"),
        "{text}"
    );
    assert!(text.contains("| **Status:** Draft <!--"), "{text}");
    assert!(text.contains("| **Owner:** Ann Lee\n"), "{text}");
    assert!(
        text.contains("| **Target Date:** 09-03-2027 <!--"),
        "{text}"
    );

    // A new plan checks without errors: its placeholders are warnings while it is a draft.
    let (status, out, err) = plansmith_in(dir.path(), &["check", "plans", "--format", "json"], "");
    assert_eq!((status, errors(&out)), (0, vec![]), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["plans"][0]["status"], "Draft", "{out}");

    std::fs::write(&path, "mine").unwrap();
    let (status, _, err) = plansmith_in(dir.path(), &args, "");
    assert_eq!(status, 2);
    assert!(err.contains("never replaces"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn new_uses_the_template_the_config_names() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plansmith.toml", "template = \"docs/tpl.md\"\n");
    write(
        dir.path(),
        "docs/tpl.md",
        "# [Name]: design\n\n**Status:** [status]\n**Owner:** [owner]\n**Target Date:** TBD\n\n## Overview\n",
    );
    let args = [
        "new",
        "Search",
        "-o",
        "x/search.md",
        "--owner",
        "Bo",
        "--date",
        "01-02-2027",
    ];
    let (status, _, err) = plansmith_in(dir.path(), &args, "");
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("x/search.md")).unwrap(),
        "# Search: design\n\n**Status:** Draft\n**Owner:** Bo\n**Target Date:** 01-02-2027\n\n## Overview\n"
    );
    let (status, _, err) = plansmith_in(dir.path(), &["new", "X", "--date", "31-02-2027"], "");
    assert_eq!(status, 2);
    assert!(err.contains("not a date"), "{err}");
}

#[test]
fn completions_and_the_manual_page_name_every_command() {
    let commands = [
        "check", "build", "graph", "ast", "render", "extract", "explain", "new",
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (status, out, err) = plansmith(&["completions", shell]);
        assert_eq!(status, 0, "{shell}: {err}");
        for command in commands {
            assert!(out.contains(command), "{shell} completion lacks {command}");
        }
    }
    let (status, out, _) = plansmith(&["completions", "tcsh"]);
    assert_eq!((status, out.is_empty()), (2, true));

    let (status, man, err) = plansmith(&["man"]);
    assert_eq!(status, 0, "{err}");
    assert!(
        man.starts_with(".ie") || man.contains(".TH plansmith"),
        "{man}"
    );
    for command in commands {
        assert!(man.contains(command), "the manual lacks {command}");
    }
}
