//! Rules a team can tune, through the binary as a team uses it: `plansmith.toml` (found upward,
//! `--config`, `--no-config`; errors at their line and column), per-code severities, excludes,
//! the template file, inline suppressions, a baseline, `explain`, and SARIF rule help. The
//! fixture folders are under `tests/fixtures/tuning`.

use crate::bin::plansmith;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/tuning/{name}")
}

/// `check ARGS --format json`: the exit status and the diagnostics as (path, line, code, severity).
fn check_json(args: &[&str]) -> (i32, Vec<(String, u64, String, String)>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (status, stdout, stderr) = plansmith(&all);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (status, found)
}

fn codes(found: &[(String, u64, String, String)]) -> Vec<&str> {
    found.iter().map(|(_, _, code, _)| code.as_str()).collect()
}

#[test]
fn config_errors_point_into_the_file_and_stop_the_run() {
    for (folder, line, column, words) in [
        ("bad-key", 2, 1, "unknown field `fail_on`"),
        ("bad-value", 5, 11, "unknown variant `loud`"),
    ] {
        let plans = fixture(&format!("{folder}/plans"));
        let (status, stdout, _) = plansmith(&["check", "--format", "json", &plans]);
        assert_eq!(status, 2, "{stdout}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let d = &report["diagnostics"][0];
        assert_eq!(
            report["diagnostics"].as_array().unwrap().len(),
            1,
            "{stdout}"
        );
        assert_eq!(d["code"], "CFG001");
        assert_eq!(d["path"], fixture(&format!("{folder}/plansmith.toml")));
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(column))
        );
        assert!(d["message"].as_str().unwrap().contains(words), "{d}");

        // The same in human form, with the snippet of the config file, for `build` too.
        let (status, stdout, _) = plansmith(&["check", &plans]);
        assert_eq!(status, 2);
        assert!(
            stdout.contains(&format!("plansmith.toml:{line}:{column}")),
            "{stdout}"
        );
        let out = tempfile::tempdir().unwrap();
        let out = out.path().to_str().unwrap();
        let (status, _, stderr) = plansmith(&["build", &plans, "--out", out]);
        assert_eq!(status, 2);
        assert!(stderr.contains("error[CFG001]"), "{stderr}");
    }
}

#[test]
fn severities_from_the_config_found_upward() {
    let plans = fixture("rules/plans/sub");
    let (status, found) = check_json(&[&plans]);
    // PLAN003 is off, PLAN005 made a note, PLAN006 a warning, and the config's fail-on is
    // `warning`.
    assert!(!codes(&found).contains(&"PLAN003"), "{found:?}");
    assert!(found.iter().any(
        |(p, l, c, s)| p == "tests/fixtures/tuning/rules/plans/sub/alpha.md"
            && *l == 9
            && c == "PLAN005"
            && s == "note"
    ));
    assert!(found.iter().any(
        |(p, _, c, s)| p == "tests/fixtures/tuning/rules/plans/sub/beta.md"
            && c == "PLAN006"
            && s == "warning"
    ));
    assert_eq!(status, 1);
    // The command line wins over the config's fail-on.
    let (status, _) = check_json(&[&plans, "--fail-on", "error"]);
    assert_eq!(status, 0);
    // Without the config, the default severities are back.
    let (_, found) = check_json(&[&plans, "--no-config"]);
    assert!(codes(&found).contains(&"PLAN003"), "{found:?}");
    assert!(!found
        .iter()
        .any(|(_, _, c, s)| c == "PLAN005" && s == "note"));
}

#[test]
fn a_config_named_on_the_command_line_replaces_the_one_found() {
    let (_, found) = check_json(&[
        &fixture("exclude"),
        "--config",
        &fixture("rules/plansmith.toml"),
    ]);
    // The rules of the named file apply; the exclude of the file beside the plans does not.
    assert!(!codes(&found).contains(&"PLAN003"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(p, ..)| p == "tests/fixtures/tuning/exclude/drafts/beta.md"),
        "{found:?}"
    );
    let (status, stdout, _) =
        plansmith(&["check", &fixture("exclude"), "--config", "no-such.toml"]);
    assert_eq!(status, 2);
    assert!(stdout.contains("cannot read the config file"), "{stdout}");
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plansmith.toml"),
        "[rules]\nPLAN005 = \"off\"\n",
    )
    .unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("plans")).unwrap();
    std::fs::write(repo.join("plans/a.md"), "# A\n\nA [placeholder].\n").unwrap();
    let plans = repo.join("plans");
    let (_, found) = check_json(&[plans.to_str().unwrap()]);
    assert!(codes(&found).contains(&"PLAN005"), "{found:?}");
    // Inside the repository it is found, from any of several inputs' common folder.
    std::fs::rename(
        dir.path().join("plansmith.toml"),
        repo.join("plansmith.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(repo.join("more")).unwrap();
    std::fs::write(repo.join("more/b.md"), "# B\n\nB [placeholder].\n").unwrap();
    let more = repo.join("more/b.md");
    let (_, found) = check_json(&[plans.to_str().unwrap(), more.to_str().unwrap()]);
    assert!(!codes(&found).contains(&"PLAN005"), "{found:?}");
}

#[test]
fn excluded_files_are_not_read_unless_named() {
    let (_, found) = check_json(&[&fixture("exclude")]);
    assert!(!found.iter().any(|(p, ..)| p.contains("beta")), "{found:?}");
    assert!(
        found.iter().any(|(p, ..)| p.ends_with("alpha.md")),
        "{found:?}"
    );
    let beta = fixture("exclude/drafts/beta.md");
    let (_, found) = check_json(&[&beta]);
    assert!(
        found.iter().any(|(p, ..)| p.ends_with("beta.md")),
        "{found:?}"
    );
}

#[test]
fn the_template_is_not_a_plan() {
    let (_, stdout, _) = plansmith(&["check", "--format", "json", &fixture("template")]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let plans: Vec<&str> = report["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(
        plans.iter().all(|p| !p.ends_with("template.md")),
        "{plans:?}"
    );
    let notes: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CFG004")
        .collect();
    assert_eq!(notes.len(), 1, "{stdout}");
    assert_eq!(notes[0]["severity"], "note");
    assert!(notes[0]["path"].as_str().unwrap().ends_with("template.md"));

    // Named in the config: that file is skipped silently, and a template.md is a plan.
    let (_, found) = check_json(&[&fixture("template-named")]);
    assert!(!codes(&found).contains(&"CFG004"), "{found:?}");
    assert!(
        !found.iter().any(|(p, ..)| p.ends_with("team-template.md")),
        "{found:?}"
    );
    assert!(found
        .iter()
        .any(|(p, ..)| p.ends_with("/template.md") || p == "template.md"));
}

#[test]
fn suppressions_next_line_region_unused_and_unknown() {
    let (_, found) = check_json(&[&fixture("suppressions")]);
    let at: Vec<(u64, &str)> = found.iter().map(|(_, l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(
        at,
        [
            (15, "PLAN005"),
            (17, "CFG002"),
            (20, "CFG003"),
            (21, "PLAN005")
        ],
        "{found:?}"
    );
    assert!(found
        .iter()
        .filter(|(_, _, c, _)| c.starts_with("CFG"))
        .all(|(_, _, _, s)| s == "warning"));
}

#[test]
fn smithy_version_and_model_paths_from_the_config() {
    let plans = fixture("smithy/plans");
    let (status, found) = check_json(&[&plans]);
    // A 1.0 `set` is valid; like `smithy validate`, plansmith only notes its deprecation.
    assert_eq!(status, 0, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(_, _, code, severity)| code == "ModelDeprecation" && severity == "warning"),
        "{found:?}"
    );
    let (status, found) = check_json(&[&plans, "--no-config"]);
    assert_eq!(status, 1);
    assert!(codes(&found).contains(&"SMY004"), "{found:?}");
}

fn copy_plan(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let alpha = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("exclude/plans/alpha.md"));
    std::fs::copy(alpha, to.join("alpha.md")).unwrap();
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    copy_plan(&plans);
    let baseline: PathBuf = dir.path().join("plansmith-baseline.json");
    let (plans_arg, baseline_arg) = (plans.to_str().unwrap(), baseline.to_str().unwrap());

    let (status, _, stderr) = plansmith(&["check", plans_arg, "--write-baseline", baseline_arg]);
    assert_eq!(status, 0, "{stderr}");
    let written = std::fs::read_to_string(&baseline).unwrap();
    let recorded: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(recorded["version"], 1);
    let findings = recorded["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{written}");
    let keys: Vec<(String, String)> = findings
        .iter()
        .map(|f| (f["path"].to_string(), f["code"].to_string()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // The same findings write the same bytes.
    plansmith(&["check", plans_arg, "--write-baseline", baseline_arg]);
    assert_eq!(std::fs::read_to_string(&baseline).unwrap(), written);

    let (status, found) = check_json(&[plans_arg, "--baseline", baseline_arg]);
    assert_eq!((status, found.len()), (0, 0), "{found:?}");
    let (_, human, _) = plansmith(&["check", plans_arg, "--baseline", baseline_arg]);
    assert!(
        human.ends_with("0 notes (2 findings in the baseline not shown)\n"),
        "{human}"
    );
    let site = dir.path().join("site");
    let (status, _, stderr) = plansmith(&[
        "build",
        plans_arg,
        "--out",
        site.to_str().unwrap(),
        "--baseline",
        baseline_arg,
        "--fail-on",
        "warning",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings, 0 notes"), "{stderr}");

    // Lines move and a new mistake comes in: only the new one is reported.
    let alpha = plans.join("alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    let text = text.replace(
        "## Overview\n",
        "## Overview\n\nSome new text.\n\nAlso [a new gap].\n",
    );
    std::fs::write(&alpha, format!("<!-- moved down -->\n\n{text}")).unwrap();
    let (status, found) = check_json(&[plans_arg, "--baseline", baseline_arg]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2, "PLAN005");
    assert_eq!(found[0].1, 13);
    assert_eq!(status, 0);

    let (status, _, stderr) = plansmith(&["check", plans_arg, "--baseline", "no-such.json"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("baseline"), "{stderr}");
}

#[test]
fn explain_prints_the_documentation_of_a_code() {
    let (status, stdout, _) = plansmith(&["explain", "PLAN005"]);
    assert_eq!(status, 0);
    assert!(
        stdout.starts_with("PLAN005: unfilled template placeholder\n"),
        "{stdout}"
    );
    assert!(stdout.contains("One per placeholder"), "{stdout}");
    let (status, lower, _) = plansmith(&["explain", "plan005"]);
    assert_eq!((status, &lower), (0, &stdout));
    let (status, stdout, _) = plansmith(&["explain", "TraitValue.UnknownMember.http.foo"]);
    assert_eq!(status, 0);
    assert!(stdout.starts_with("TraitValue: "), "{stdout}");

    let (status, stdout, stderr) = plansmith(&["explain", "PLAN05"]);
    assert_eq!(status, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("did you mean PLAN005?"), "{stderr}");
}

/// The anchors GitHub gives the headings of docs/diagnostics.md, computed here independently.
fn documented_anchors() -> BTreeSet<String> {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    docs.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            l.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect()
}

#[test]
fn sarif_rules_carry_help_and_their_anchors_exist() {
    let anchors = documented_anchors();
    for (code, _) in plansmith::codes::registered() {
        let uri = plansmith::docs::help_uri(code);
        let anchor = uri.rsplit_once('#').unwrap().1;
        assert!(
            anchors.contains(anchor),
            "{code}: #{anchor} is not a heading"
        );
    }
    let (_, sarif, _) = plansmith(&["check", "examples/broken", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.len() > 5);
    for rule in rules {
        let anchor = rule["helpUri"]
            .as_str()
            .unwrap()
            .rsplit_once('#')
            .unwrap()
            .1;
        assert!(anchors.contains(anchor), "{rule}");
        assert!(
            !rule["fullDescription"]["text"].as_str().unwrap().is_empty(),
            "{rule}"
        );
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty(), "{rule}");
        assert!(
            rule["help"]["markdown"].as_str().unwrap().contains("**"),
            "{rule}"
        );
    }
}

#[test]
fn the_example_config_is_valid_and_names_the_template() {
    let (status, stdout, _) = plansmith(&["check", "--format", "json", "examples"]);
    assert_ne!(status, 2, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(diagnostics
        .iter()
        .all(|d| d["code"] != "CFG001" && d["code"] != "CFG004"));
    assert!(report["plans"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["path"] != "template.md"));
}
