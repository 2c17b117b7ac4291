//! `build --base REV`: the revision a build is compared with. The base is checked as `diff`
//! checks a side (without Smithy validation), but with its diagrams parsed; the build then
//! marks what changed in its drawings ([`Base::marks`]) and writes a Changes page from the
//! comparison ([`Base::report`]).

use super::plans::{self, DiagramMarks};
use super::revision;
use super::Report;
use crate::check::{check, CheckOptions, Checked};
use std::collections::BTreeMap;

/// The base of a build, checked.
pub struct Base {
    /// The revision or folder as the user named it.
    pub name: String,
    checked: Checked,
    /// The compared folder's path relative to the base run's root.
    prefix: String,
    /// Keeps a revision's files while the base is in use.
    _side: revision::Side,
}

impl Base {
    /// Reads `name` (a git revision of the repository around the first input path, or a
    /// folder) and checks it with the head's options.
    pub fn read(name: &str, head: &CheckOptions) -> Result<Base, String> {
        let folder = compared_folder(head);
        let side = revision::resolve(name, &folder)?;
        let options = CheckOptions {
            paths: side.paths.clone(),
            stdin: None,
            skip_smithy_validation: true,
            // Parsed now, once each: the marks and the Changes page both read the changed ones.
            skip_diagram_parsing: false,
            release_diagrams: false,
            ..head.clone()
        };
        let checked = check(&options);
        if let Some(error) = checked.input_errors.first() {
            return Err(format!("{name} ({}): {}", error.path, error.message));
        }
        let base_folder = crate::paths::absolute(&side.paths[0]);
        let prefix = checked.root.identity(&base_folder).unwrap_or_default();
        Ok(Base {
            name: name.to_string(),
            checked,
            prefix,
            _side: side,
        })
    }

    /// What to mark in the head's drawings: by plan path and block index, the nodes and edges
    /// each new or changed diagram did not have in the base. `head` needs only its plans.
    pub fn marks(
        &self,
        head: &Checked,
        options: &CheckOptions,
    ) -> BTreeMap<(String, usize), DiagramMarks> {
        let prefix = head_prefix(head, options);
        plans::marks(self.side(), plans::Side::of(head, &prefix))
    }

    /// The comparison of the base with the checked head, as `plansmith diff` reports it.
    pub fn report(&self, head: &Checked, options: &CheckOptions) -> Report {
        let prefix = head_prefix(head, options);
        Report::new(
            self.name.clone(),
            "the working tree".to_string(),
            (&self.checked, &self.prefix),
            (head, &prefix),
        )
    }

    fn side(&self) -> plans::Side<'_> {
        plans::Side::of(&self.checked, &self.prefix)
    }
}

/// The folder compared: the first path of the run (a folder of plans, or a plan's folder).
fn compared_folder(options: &CheckOptions) -> std::path::PathBuf {
    let first = options.paths.first().cloned().unwrap_or_default();
    let first = crate::paths::absolute(&first);
    if first.is_file() {
        first.parent().map(|p| p.to_path_buf()).unwrap_or(first)
    } else {
        first
    }
}

fn head_prefix(head: &Checked, options: &CheckOptions) -> String {
    head.root
        .identity(&compared_folder(options))
        .unwrap_or_default()
}
