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
