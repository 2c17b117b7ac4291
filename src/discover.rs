//! Finding the input files: folders walked honouring `.gitignore` (the `ignore` crate), files
//! named directly taken as they are. Symbolic links are not followed, so nothing outside the
//! given paths is read. Each file gets its identity here: its path relative to the run's
//! [`Root`].
//!
//! Architecture Invariant: nothing outside the given paths is read; later stages read only the
//! files returned here.

use crate::paths::{absolute, slash_path, Root};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// The identity used in reports and artifacts: the path relative to the run's [`Root`],
    /// with `/` separators.
    pub display: String,
    /// Where to read it (the path given, joined with the path found under it).
    pub path: PathBuf,
    pub kind: InputKind,
    /// Whether the file came from `--model-path`: a model that plans use, not a plan.
    pub model_only: bool,
}

/// A path that could not be used, or a run that found nothing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given (or the identity of a file that could not be read).
    pub path: String,
    /// The whole message, e.g. `cannot read input: No such file or directory (os error 2)`.
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

/// The inputs under the folder `root` (in no particular order: the caller sorts them), walked
/// on as many threads as the run's pool has, and what could not be read.
fn walk(
    root: &Path,
    model_only: bool,
    identity: &(dyn Fn(&Path) -> String + Sync),
) -> (Vec<InputFile>, Vec<InputError>) {
    let found = Mutex::new((Vec::new(), Vec::new()));
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .threads(rayon::current_num_threads())
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let input = match entry {
                Ok(entry) => match entry.file_type().is_some_and(|t| t.is_file()) {
                    true => kind_by_extension(entry.path(), model_only).map(|kind| InputFile {
                        display: identity(entry.path()),
                        path: entry.path().to_path_buf(),
                        kind,
                        model_only,
                    }),
                    false => None,
                },
                Err(e) => {
                    let error = InputError {
                        path: slash_path(root),
                        message: format!("cannot read input: {e}"),
                    };
                    found
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .1
                        .push(error);
                    None
                }
            };
            if let Some(input) = input {
                found
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .0
                    .push(input);
            }
            ignore::WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// A plan whose text comes from standard input (`check -`): an editor's unsaved buffer. It
/// takes the place of the file at `path` when the walk finds it, and is added otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdinInput {
    /// The name given with `--stdin-filename`; it need not exist.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What [`discover`] found.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    /// Sorted by identity, free of duplicates.
    pub files: Vec<InputFile>,
    pub errors: Vec<InputError>,
    pub root: Root,
    /// The identity of the standard-input plan, if there is one.
    pub stdin_identity: Option<String>,
}

/// Finds every input under `paths` (plans and models) and `model_paths` (models only, where
/// `.json` files in folders count too), and names each by its identity under the run's root.
/// `stdin_path` names the plan read from standard input, which need not exist on disk.
pub fn discover(
    paths: &[PathBuf],
    model_paths: &[PathBuf],
    stdin_path: Option<&Path>,
) -> Discovered {
    let mut errors = Vec::new();
    let mut found: Vec<(&PathBuf, bool, std::fs::Metadata)> = Vec::new();
    let given = paths
        .iter()
        .map(|p| (p, false))
        .chain(model_paths.iter().map(|p| (p, true)));
    for (root, model_only) in given {
        match std::fs::metadata(root) {
            Ok(meta) => found.push((root, model_only, meta)),
            Err(e) => errors.push(InputError {
                path: slash_path(root),
                message: format!("cannot read input: {e}"),
            }),
        }
    }
    // Folders given, and the folders of files given, decide the root.
    let mut anchors: Vec<PathBuf> = found
        .iter()
        .map(|(given, _, meta)| {
            let path = absolute(given);
            match (meta.is_file(), path.parent()) {
                (true, Some(parent)) => parent.to_path_buf(),
                _ => path,
            }
        })
        .collect();
    if let Some(parent) = stdin_path.and_then(|p| absolute(p).parent().map(Path::to_path_buf)) {
        anchors.push(parent);
    }
    let working_dir = absolute(Path::new("."));
    let root = Root::for_inputs(&working_dir, &anchors);
    let identity = |path: &Path| {
        let path = absolute(path);
        root.identity(&path).unwrap_or_else(|| slash_path(&path))
    };

    let mut files = Vec::new();
    for (root, model_only, meta) in found {
        if meta.is_file() {
            match kind_by_extension(root, true) {
                Some(kind) => files.push(InputFile {
                    display: identity(root),
                    path: root.clone(),
                    kind,
                    model_only,
                }),
                None => errors.push(InputError {
                    path: slash_path(root),
                    message: "cannot read input: not a .md, .smithy, .mmd or .json file"
                        .to_string(),
                }),
            }
            continue;
        }
        let (found, mut walk_errors) = walk(root, model_only, &identity);
        files.extend(found);
        // The walk runs on several threads: its errors are sorted to come out the same.
        walk_errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
        errors.extend(walk_errors);
    }
    let stdin_identity = stdin_path.map(|path| {
        let display = identity(path);
        files.retain(|f| f.display != display);
        files.push(InputFile {
            display: display.clone(),
            path: path.to_path_buf(),
            kind: kind_by_extension(path, true).unwrap_or(InputKind::Markdown),
            model_only: false,
        });
        display
    });
    // The same file reached through two given paths is read once (as a plan if either says so).
    files.sort();
    files.dedup_by(|a, b| a.display == b.display);
    Discovered {
        files,
        errors,
        root,
        stdin_identity,
    }
}
