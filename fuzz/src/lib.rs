//! What the fuzz targets share: each target turns libFuzzer's bytes into text the way plansmith
//! reads a file (invalid UTF-8 replaced) and hands it to one stage.

use plansmith::check::{check, CheckOptions};
use plansmith::mermaid::{self, Detected, Family};
use plansmith::source::SourceText;
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Parses a diagram as one family: the input as it is when it already starts with that
/// family's keyword, else after a first line with the keyword, so that every mutation reaches
/// the family's parser rather than the family detector.
pub fn parse_as(family: Family, keyword: &str, data: &[u8]) {
    let text = text_of(data);
    let detected = mermaid::prepare(&SourceText::whole_file("f.mmd", text.as_str())).detected;
    let text = if detected == Some(Detected::Supported(family)) {
        text
    } else {
        format!("{keyword}\n{text}")
    };
    let parsed = mermaid::parse(&SourceText::whole_file("f.mmd", text));
    assert_eq!(parsed.detected, Some(Detected::Supported(family)));
}

/// A folder holding one plan, made once per fuzzing process and rewritten for each input.
fn plan_folder() -> &'static (tempfile::TempDir, PathBuf) {
    static FOLDER: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    FOLDER.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder for the plan");
        let plan = dir.path().join("plan.md");
        (dir, plan)
    })
}

/// `plansmith check` of a folder holding one plan with these bytes, on one thread.
pub fn check_one_plan(data: &[u8]) {
    let (dir, plan) = plan_folder();
    std::fs::write(plan, data).expect("the plan is written");
    let checked = check(&CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        jobs: 1,
        ..CheckOptions::default()
    });
    assert_eq!(checked.plans.len(), 1, "the one plan is read");
}
