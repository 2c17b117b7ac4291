//! `check` over fixture folders: the JSON report of each folder under `tests/fixtures/check`
//! is snapshotted; and the behaviours a snapshot cannot show (ignore files, exit statuses,
//! thread-count independence).

use plansmith::check::{check, CheckOptions, Checked};
use plansmith::report::render_json;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

pub fn check_paths(paths: &[PathBuf], jobs: usize) -> Checked {
    check(&CheckOptions {
        paths: paths.to_vec(),
        model_paths: Vec::new(),
        jobs,
        ..CheckOptions::default()
    })
}

#[test]
fn fixture_reports() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let checked = check_paths(&[folder], 1);
        insta::assert_snapshot!(format!("check-{name}"), render_json(&checked));
    }
}

#[test]
fn gitignored_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "drafts/\n").unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::write(dir.path().join("drafts/old.md"), "# Old [placeholder]\n").unwrap();
    std::fs::write(dir.path().join("kept.md"), "# Kept\n").unwrap();
    let checked = check_paths(&[dir.path().to_path_buf()], 1);
    let paths: Vec<&str> = checked.plans.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["kept.md"]);
}

#[test]
fn missing_path_is_an_input_error() {
    let checked = check_paths(&[fixtures().join("no-such-folder")], 1);
    assert_eq!(checked.input_errors.len(), 1);
    assert!(checked.diagnostics.iter().any(|d| d.code == "PLAN001"));
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let paths = [
        fixtures(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
    ];
    let one = render_json(&check_paths(&paths, 1));
    let two = render_json(&check_paths(&paths, 2));
    let four = render_json(&check_paths(&paths, 4));
    assert_eq!(one, two);
    assert_eq!(one, four);
}

/// A plan saved with CR LF line endings reports its diagram mistakes where the same plan with
/// LF endings does: a CR LF inside a fenced block is one line break, at the end of the line's
/// text (it once put an error at the end of a line one column too far right).
#[test]
fn crlf_plans_report_diagram_mistakes_at_the_lf_positions() {
    let plan = "# Plan\n\n```mermaid\nflowchart TD\n  A --> B\n  B --> C(\n  C --> D\n```\n\n\
                ```mermaid\nsequenceDiagram\n  A->>B: hi\n  A->>\n```\n";
    let dir = tempfile::tempdir().unwrap();
    let lf = dir.path().join("lf.md");
    let crlf = dir.path().join("crlf.md");
    std::fs::write(&lf, plan).unwrap();
    std::fs::write(&crlf, plan.replace('\n', "\r\n")).unwrap();
    let spans = |path: &PathBuf| {
        check_paths(std::slice::from_ref(path), 1)
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str().to_string(), d.span))
            .collect::<Vec<_>>()
    };
    let expected = spans(&lf);
    assert_eq!(
        expected.len(),
        2,
        "one mistake in each diagram: {expected:?}"
    );
    assert_eq!(spans(&crlf), expected);
}
