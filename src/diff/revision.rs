//! The two sides of a diff: a path (a folder of plans or a model file) as it is on disk, or a
//! git revision of the repository that holds the plans, read with `git archive` into a
//! temporary folder: the working tree and the index are never touched.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One side, ready to be checked.
pub struct Side {
    /// How the user named it.
    pub name: String,
    /// The paths to check.
    pub paths: Vec<PathBuf>,
    /// Keeps a revision's files until the side is dropped.
    _scratch: Option<tempfile::TempDir>,
}

/// Resolves a side: an existing path is taken as it is; anything else is a git revision of
/// the repository around `folder`, whose copy of `folder` is checked.
pub fn resolve(name: &str, folder: &Path) -> Result<Side, String> {
    let as_path = Path::new(name);
    if as_path.exists() {
        return Ok(Side {
            name: name.to_string(),
            paths: vec![as_path.to_path_buf()],
            _scratch: None,
        });
    }
    let scratch =
        tempfile::tempdir().map_err(|e| format!("cannot create a scratch folder: {e}"))?;
    let target = export(name, folder, scratch.path())?;
    Ok(Side {
        name: name.to_string(),
        paths: vec![target],
        _scratch: Some(scratch),
    })
}

/// The working tree's copy of `folder`, named as the user would name it.
pub fn working_tree(folder: &Path) -> Side {
    Side {
        name: folder.display().to_string(),
        paths: vec![folder.to_path_buf()],
        _scratch: None,
    }
}

fn git(folder: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.trim().to_string());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Writes `folder` as it is at `revision` under `into`; returns the copy's path.
fn export(revision: &str, folder: &Path, into: &Path) -> Result<PathBuf, String> {
    let not_found = |why: String| {
        format!(
            "`{revision}` is neither a path nor a git revision of the repository at {}: {why}",
            folder.display()
        )
    };
    if revision.starts_with('-') {
        return Err(not_found("a revision does not start with `-`".to_string()));
    }
    let commit = git(
        folder,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        not_found(if e.is_empty() {
            "unknown revision".to_string()
        } else {
            e
        })
    })?;
    let prefix = git(folder, &["rev-parse", "--show-prefix"]).map_err(not_found)?;
    // Run from the top: from a subfolder, `git archive` keeps only that subfolder's part of
    // the tree it is given.
    let top = PathBuf::from(git(folder, &["rev-parse", "--show-toplevel"]).map_err(not_found)?);
    let tree = if prefix.is_empty() {
        commit
    } else {
        format!("{commit}:{}", prefix.trim_end_matches('/'))
    };
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["archive", "--format=tar", &tree])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let Some(stdout) = archive.stdout.take() else {
        return Err("git archive gave no output".to_string());
    };
    let unpacked = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(into)
        .stdin(stdout)
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive
        .wait_with_output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archived.status.success() {
        return Err(format!(
            "cannot read `{revision}`: {}",
            String::from_utf8_lossy(&archived.stderr).trim()
        ));
    }
    if !unpacked.status.success() {
        return Err(format!(
            "cannot unpack `{revision}`: {}",
            String::from_utf8_lossy(&unpacked.stderr).trim()
        ));
    }
    Ok(into.to_path_buf())
}
