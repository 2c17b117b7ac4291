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

/// The README's workflow uses the repository's action with inputs the action has.
#[test]
fn readme_ci_workflow_uses_the_action_with_its_inputs() {
    let workflow = yaml_rust2::YamlLoader::load_from_str(&ci_workflow(&readme())).unwrap();
    let action_text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action = &yaml_rust2::YamlLoader::load_from_str(&action_text).unwrap()[0];
    let steps = workflow[0]["jobs"]["plansmith"]["steps"].as_vec().unwrap();
    let uses_action: Vec<_> = steps
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.contains("/plansmith@"))
        })
        .collect();
    assert_eq!(uses_action.len(), 1);
    for (key, _) in uses_action[0]["with"].as_hash().unwrap() {
        let key = key.as_str().unwrap();
        assert!(
            !action["inputs"][key].is_badvalue(),
            "the action has no input {key}"
        );
    }
}
