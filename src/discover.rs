//! Finding the input files: folders walked honouring `.gitignore` (the `ignore` crate), files
//! named directly taken as they are. Symbolic links are not followed, so nothing outside the
//! given paths is read.

use std::path::{Path, PathBuf};

/// What an input file holds, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputKind {
    Markdown,
    Smithy,
    Mermaid,
    /// Smithy JSON AST; only read when named directly or through `--model-path`.
    SmithyJson,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// The identity used in reports: relative to the folder it was found under, or the path as
    /// given for a file named directly; always with `/` separators.
    pub display: String,
    /// Where to read it (the given root joined with the relative path).
    pub path: PathBuf,
    pub kind: InputKind,
    /// Whether the file came from `--model-path`: a model that plans use, not a plan.
    pub model_only: bool,
}

/// A path that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

fn kind_by_extension(path: &Path, named_directly: bool) -> Option<InputKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" => Some(InputKind::Markdown),
        "smithy" => Some(InputKind::Smithy),
        "mmd" => Some(InputKind::Mermaid),
        "json" if named_directly => Some(InputKind::SmithyJson),
        _ => None,
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Finds every input under `paths` (plans and models) and `model_paths` (models only, where
/// `.json` files in folders count too). The result is sorted and free of duplicates.
pub fn discover(paths: &[PathBuf], model_paths: &[PathBuf]) -> (Vec<InputFile>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let roots = paths
        .iter()
        .map(|p| (p, false))
        .chain(model_paths.iter().map(|p| (p, true)));
    for (root, model_only) in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(InputError {
                    path: root.display().to_string(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if meta.is_file() {
            match kind_by_extension(root, true) {
                Some(kind) => files.push(InputFile {
                    display: slash_path(root),
                    path: root.clone(),
                    kind,
                    model_only,
                }),
                None => errors.push(InputError {
                    path: root.display().to_string(),
                    message: "not a .md, .smithy, .mmd or .json file".to_string(),
                }),
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(false)
            .require_git(false)
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    errors.push(InputError {
                        path: root.display().to_string(),
                        message: e.to_string(),
                    });
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Some(kind) = kind_by_extension(entry.path(), model_only) else {
                continue;
            };
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(InputFile {
                display: slash_path(relative),
                path: entry.path().to_path_buf(),
                kind,
                model_only,
            });
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}
