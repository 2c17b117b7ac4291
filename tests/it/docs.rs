//! The documentation stays in step with the code: every diagnostic code is documented, every
//! documented code exists, and each code's default severity is the documented one.

use plansmith::codes::{self, Code};
use plansmith::diagnostic::Severity;
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
    let registered: BTreeSet<&str> = codes::registered().map(|(code, _)| code).collect();
    assert_eq!(documented, registered);
}

/// The documentation states each code's severity first (`**warning or error** — …`); its
/// first word is the default the code's type carries.
#[test]
fn each_code_defaults_to_the_severity_its_documentation_names_first() {
    for code in Code::ALL {
        let section = code.documentation();
        let stated = section
            .strip_prefix("**")
            .and_then(|s| s.split(|c: char| !c.is_ascii_alphabetic()).next())
            .unwrap_or_else(|| panic!("{code}: the section names no severity: {section}"));
        let default = match code.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        assert_eq!(stated, default, "{code}");
        assert_eq!(Code::from_text(code.as_str()), Some(*code));
    }
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
