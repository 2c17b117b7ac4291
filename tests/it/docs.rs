//! The documentation stays in step with the code: every diagnostic code is documented, every
//! documented code exists, and every code literal in the sources is registered.

use plansmith::diagnostic::CODES;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let docs = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    let documented: BTreeSet<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(str::trim)
        .collect();
    let registered: BTreeSet<&str> = CODES.iter().map(|(code, _)| *code).collect();
    assert_eq!(documented, registered);
}

/// Code literals such as `"PLAN002"` in `src/`, found by scanning the text.
fn code_literals(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            code_literals(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split('"').skip(1).step_by(2) {
                let letters = piece.trim_end_matches(|c: char| c.is_ascii_digit());
                let digits = piece.len() - letters.len();
                let is_code =
                    digits == 3 && ["PLAN", "DEP", "MMD", "SMY", "CFG"].contains(&letters);
                if is_code {
                    found.insert(piece.to_string());
                }
            }
        }
    }
}

#[test]
fn every_code_in_the_sources_is_registered() {
    let mut found = BTreeSet::new();
    code_literals(&root().join("src"), &mut found);
    let registered: BTreeSet<String> = CODES.iter().map(|(code, _)| code.to_string()).collect();
    let unregistered: Vec<&String> = found.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "codes used but not in diagnostic::CODES: {unregistered:?}"
    );
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// Every long option of every command, and every value an option takes, is in the README (the
/// `graph --format` list once lacked `svg`).
#[test]
fn readme_names_every_option_and_value() {
    use clap::CommandFactory;
    let readme = readme();
    let cli = plansmith::cli::Cli::command();
    let mut missing = Vec::new();
    for command in cli.get_subcommands() {
        let name = command.get_name();
        if !readme.contains(&format!("`plansmith {name}")) {
            missing.push(format!("command {name}"));
        }
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if !readme.contains(&format!("--{long}")) {
                missing.push(format!("{name} --{long}"));
            }
            if !arg.get_action().takes_values() {
                continue;
            }
            for value in arg.get_possible_values() {
                let value = value.get_name();
                let shown = [
                    format!("`{value}`"),
                    format!("|{value}"),
                    format!("{value}\\|"),
                ];
                if !shown.iter().any(|s| readme.contains(s.as_str())) {
                    missing.push(format!("{name} --{long} {value}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "not in README.md: {missing:?}");
}

/// The YAML of the README's "In CI" section.
fn ci_workflow(readme: &str) -> String {
    let section = &readme[readme.find("## In CI").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + "```yaml\n".len();
    section[start..start + section[start..].find("```").unwrap()].to_string()
}

/// The README's workflow works in a team's own plans repository: it installs plansmith there
/// (not from `.`, which is the team's repository), uploads SARIF and the site even when the
/// check fails, and its plansmith steps do what it says when run in such a repository.
#[test]
fn readme_ci_workflow_works_in_a_plans_repository() {
    let workflow = ci_workflow(&readme());
    assert!(!workflow.contains("--path .\n"), "{workflow}");
    assert!(workflow.contains("submodules: true") && workflow.contains("--path tools/plansmith"));
    // Steps are the items of `steps:`; every upload runs whatever happened before it.
    let steps: Vec<&str> = workflow.split("\n      - ").skip(1).collect();
    for step in steps.iter().filter(|s| s.contains("upload")) {
        assert!(step.contains("if: always()"), "{step}");
    }

    // A plans repository: the example plans under plans/, plus one with a dead link.
    let repository = tempfile::tempdir().unwrap();
    let plans = repository.path().join("plans");
    copy_tree(&root().join("examples/plans"), &plans);
    std::fs::copy(
        root().join("examples/broken/dead-link.md"),
        plans.join("dead-link.md"),
    )
    .unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_plansmith"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let summary = repository.path().join("summary.md");
    let runs: Vec<&str> = steps
        .iter()
        .filter_map(|step| {
            step.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("- run: ")
                    .or(l.trim().strip_prefix("run: "))
            })
        })
        .filter(|command| command.starts_with("plansmith "))
        .collect();
    assert_eq!(runs.len(), 3, "{runs:?}");
    let statuses: Vec<i32> = runs
        .iter()
        .map(|command| {
            std::process::Command::new("sh")
                .args(["-c", command])
                .current_dir(repository.path())
                .env("PATH", &path)
                .env("GITHUB_STEP_SUMMARY", &summary)
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap()
                .code()
                .unwrap_or(-1)
        })
        .collect();
    // The reports succeed although a plan is broken; the gate fails the job.
    assert_eq!(statuses, [0, 0, 1], "{runs:?}");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repository.path().join("plansmith.sarif")).unwrap(),
    )
    .unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "plans/dead-link.md");
    assert!(repository.path().join("site/index.html").is_file());
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.starts_with("# Plans and interfaces"), "{summary}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
