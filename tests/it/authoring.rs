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

fn yaml(path: &str) -> yaml_rust2::Yaml {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut documents = yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{path} is not YAML: {e}"));
    assert_eq!(documents.len(), 1, "{path}");
    documents.remove(0)
}

/// The plansmith command lines of a shell script, with `$NAME` taken from `env`, as argument
/// lists; the shell's redirections and `|| true` are left out.
fn plansmith_commands(script: &str, env: &[(String, String)]) -> Vec<Vec<String>> {
    script
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("plansmith "))
        .map(|line| {
            let end = line.find(['>', '|', ';', '&']).unwrap_or(line.len());
            line[..end]
                .split_whitespace()
                .flat_map(|word| {
                    let word = word.trim_matches('"');
                    let name = word.trim_start_matches('$').trim_matches(['{', '}']);
                    match env
                        .iter()
                        .find(|(key, _)| word.starts_with('$') && key == name)
                    {
                        // An input may hold several words (paths).
                        Some((_, value)) => value.split_whitespace().map(String::from).collect(),
                        None => vec![word.to_string()],
                    }
                })
                .collect()
        })
        .collect()
}

fn parses(args: &[String]) -> Result<(), String> {
    use clap::Parser;
    plansmith::cli::Cli::try_parse_from(args)
        .map(drop)
        .map_err(|e| format!("{args:?}: {e}"))
}

#[test]
fn the_github_action_runs_commands_plansmith_accepts() {
    let action = yaml("action.yml");
    for key in ["name", "description"] {
        assert!(action[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    let inputs = action["inputs"].as_hash().expect("inputs");
    let default_of = |name: &str| -> Option<String> {
        let input = &action["inputs"][name];
        (!input.is_badvalue()).then(|| input["default"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let mut commands = 0;
    for step in steps {
        let name = step["name"].as_str().expect("every step is named");
        match (step["run"].as_str(), step["uses"].as_str()) {
            (Some(script), None) => {
                assert!(
                    step["shell"].as_str().is_some(),
                    "{name}: composite steps need a shell"
                );
                // Inputs reach scripts through the environment only, never pasted into them.
                assert!(!script.contains("${{"), "{name}: {script}");
                let env: Vec<(String, String)> = step["env"]
                    .as_hash()
                    .into_iter()
                    .flatten()
                    .map(|(key, value)| {
                        let key = key.as_str().unwrap().to_string();
                        let value = value.as_str().unwrap();
                        let input = value
                            .strip_prefix("${{ inputs.")
                            .and_then(|v| v.strip_suffix(" }}"))
                            .unwrap_or_else(|| panic!("{name}: {key} = {value}"));
                        let default =
                            default_of(input).unwrap_or_else(|| panic!("{name}: no input {input}"));
                        (key, default)
                    })
                    .collect();
                for args in plansmith_commands(script, &env) {
                    parses(&args).unwrap();
                    commands += 1;
                }
            }
            (None, Some(action)) => assert!(action.contains('@'), "{name}: pin {action}"),
            _ => panic!("{name}: a step either runs a script or uses an action"),
        }
        if let Some(condition) = step["if"].as_str() {
            let input = condition
                .trim_start_matches("inputs.")
                .split(' ')
                .next()
                .unwrap();
            assert!(default_of(input).is_some(), "{name}: no input {input}");
        }
    }
    assert!(commands >= 4, "{commands}");
    assert!(inputs.len() >= 4);
}

#[test]
fn the_pre_commit_hook_runs_a_command_plansmith_accepts() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().expect("a list of hooks");
    assert!(!hooks.is_empty());
    for hook in hooks {
        for key in ["id", "name", "entry", "language", "files"] {
            assert!(hook[key].as_str().is_some(), "{key}");
        }
        let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
        for plan in ["plans/a/plan.md", "model/orders.smithy", "flow.mmd"] {
            assert!(files.is_match(plan), "{plan}");
        }
        assert!(!files.is_match("src/main.rs"));
        let mut args: Vec<String> = hook["entry"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect();
        args.extend(
            hook["args"]
                .as_vec()
                .into_iter()
                .flatten()
                .map(|a| a.as_str().unwrap().to_string()),
        );
        parses(&args).unwrap();
    }
}

#[test]
fn the_workflows_are_well_formed() {
    for path in [".github/workflows/ci.yml", ".github/workflows/release.yml"] {
        let workflow = yaml(path);
        assert!(!workflow["on"].is_badvalue(), "{path}: on");
        let jobs = workflow["jobs"].as_hash().expect("jobs");
        for (name, job) in jobs {
            assert!(job["runs-on"].as_str().is_some(), "{path}: {name:?}");
            let steps = job["steps"].as_vec().expect("steps");
            assert!(steps
                .iter()
                .all(|s| s["run"].as_str().is_some() != s["uses"].as_str().is_some()));
        }
    }
    let ci = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/ci.yml"),
    )
    .unwrap();
    assert!(ci.contains("bash .ci/run"), "CI runs what .ci/run runs");
}

/// The action's script steps run as GitHub would run them in a plans repository with a broken
/// plan (plansmith already on the PATH): the reports succeed, the site and SARIF are written, the
/// summary holds the findings, and only the verdict fails.
#[test]
fn the_github_action_works_in_a_plans_repository() {
    let action = yaml("action.yml");
    let repository = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::bin::copy_tree(
        &root.join("examples/plans"),
        &repository.path().join("plans"),
    );
    std::fs::copy(
        root.join("examples/broken/dead-link.md"),
        repository.path().join("plans/dead-link.md"),
    )
    .unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_plansmith"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let summary = repository.path().join("summary.md");
    let inputs = [
        ("paths", "plans"),
        ("fail-on", "error"),
        ("sarif", "true"),
        ("site", "true"),
    ];
    let input = |name: &str| inputs.iter().find(|(n, _)| *n == name).unwrap().1;
    let mut statuses = Vec::new();
    for step in action["runs"]["steps"].as_vec().unwrap() {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        if let Some(condition) = step["if"].as_str() {
            let (name, value) = condition.split_once(" == ").unwrap();
            if input(name.trim_start_matches("inputs.")) != value.trim_matches('\'') {
                continue;
            }
        }
        let mut command = std::process::Command::new("bash");
        command
            .args(["-c", script])
            .current_dir(repository.path())
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_ACTION_PATH", root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        for (key, value) in step["env"].as_hash().into_iter().flatten() {
            let value = value.as_str().unwrap();
            let name = &value["${{ inputs.".len()..value.len() - " }}".len()];
            command.env(key.as_str().unwrap(), input(name));
        }
        statuses.push((
            step["name"].as_str().unwrap(),
            command.status().unwrap().code(),
        ));
    }
    let names: Vec<&str> = statuses.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "Install plansmith",
            "Check the plans",
            "Write SARIF",
            "Build the review site",
            "Verdict"
        ]
    );
    assert!(
        statuses[..4].iter().all(|(_, status)| *status == Some(0)) && statuses[4].1 == Some(1),
        "{statuses:?}"
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(repository.path().join("plansmith.sarif")).unwrap(),
    )
    .unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "plans/dead-link.md");
    assert!(repository
        .path()
        .join("plansmith-site/index.html")
        .is_file());
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("### plansmith\n```\n") && summary.contains("plans/dead-link.md"),
        "{summary}"
    );
}

/// `cargo install plansmith` and `cargo package`: the metadata crates.io shows is there (no
/// address that is not true: only docs.rs, which is the documentation of any published crate),
/// and nothing the crate compiles in, or its tests read, is left out of the package.
#[test]
fn the_crate_metadata_is_complete_and_the_package_keeps_what_it_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let package = manifest["package"].as_table().expect("[package]");
    let text = |key: &str| {
        package
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("package.{key}"))
    };
    for key in ["description", "license", "rust-version"] {
        assert!(!text(key).is_empty(), "{key}");
    }
    assert!(root.join(text("readme")).is_file());
    assert_eq!(text("documentation"), "https://docs.rs/plansmith");
    let list = |key: &str| -> Vec<&str> {
        package[key]
            .as_array()
            .unwrap_or_else(|| panic!("package.{key}"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect()
    };
    let keywords = list("keywords");
    assert!(!keywords.is_empty() && keywords.len() <= 5, "{keywords:?}");
    assert!(keywords.iter().all(|k| k.len() <= 20 && k.is_ascii()));
    assert!(!list("categories").is_empty());
    let excluded = list("exclude");
    let needed = [
        "src/lib.rs",
        "docs/diagnostics.md",
        "examples/template.md",
        "templates/site/site.css",
        "tests/it/main.rs",
        "action.yml",
        ".pre-commit-hooks.yaml",
        ".github/workflows/release.yml",
    ];
    for path in needed {
        assert!(root.join(path).is_file(), "{path}");
        let left_out = excluded
            .iter()
            .find(|pattern| format!("/{path}").starts_with(pattern.trim_end_matches('*')));
        assert_eq!(left_out, None, "{path} is left out of the package");
    }
}
