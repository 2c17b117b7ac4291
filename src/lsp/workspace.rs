//! The files the server checks and what it knows about them: every input of the root folder
//! read once at start, each kept as the per-file stage left it, with the editor's unsaved
//! buffers in place of their files, and each file's findings as they were last published.
//!
//! An edit is checked in two ways. At once ([`Workspace::recheck_changed`]): the changed files
//! are read again, the Smithy model is loaded only for their neighbourhood (the files that
//! define the namespaces they mention, and the files that mention theirs), and the dependency
//! stage runs over every plan (asking the disk only about links it has not seen); only the
//! findings of the files this can change are gathered again and compared with what was
//! published. Whole ([`Snapshot::check`], on any thread): the whole cross-file stage over a
//! snapshot of the per-file results, exactly what `check` reports; its result replaces the
//! workspace's ([`Workspace::adopt`]) unless the documents changed since the snapshot.

use crate::check::{
    self, CheckOptions, Checked, CrossFile, DiskLookups, Document, Inputs, ReadFile,
};
use crate::deps::ShapeUse;
use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::discover::{InputError, InputFile, InputKind};
use crate::plan::{Block, BlockKind};
use crate::tuning::{ConfigChoice, Tuning};
use lsp_types::Url;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

type FileResult = Arc<Result<ReadFile, InputError>>;

pub struct Workspace {
    /// The root folder (absolute): the server's working directory, so identities are relative
    /// to it as they are for `check` run there.
    root: PathBuf,
    options: CheckOptions,
    inputs: Inputs,
    /// The per-file results, one per `inputs.files`, in that order (shared with the snapshots
    /// of whole checks).
    files: Vec<FileResult>,
    /// The buffers the editor holds open, by identity.
    open: HashMap<String, String>,
    /// A `plansmith.toml` that cannot be used: reported, and the run goes on without it.
    config_problem: Option<Diagnostic>,
    /// The plans, files, model and graph as the last checks left them (its `diagnostics` are
    /// in `published`, by file).
    pub checked: Checked,
    /// Each file's findings as last published: tuned, in report order, never empty.
    published: HashMap<String, Vec<Diagnostic>>,
    /// The model's findings (not yet tuned), by file.
    smithy_found: HashMap<String, Vec<Diagnostic>>,
    /// The dependency stage's findings (not yet tuned), by file.
    dependency_found: HashMap<String, Vec<Diagnostic>>,
    /// The shape uses between plans, sorted.
    shape_uses: Vec<ShapeUse>,
    /// What the dependency stage learnt from the disk since the last whole check.
    disk: DiskLookups,
    /// The namespaces each file's Smithy declares and names.
    names: HashMap<String, Names>,
    /// The IDs of the shapes of `checked.model` each file defines.
    shapes_of: HashMap<String, Vec<String>>,
    /// Files changed since the last check.
    fresh: BTreeSet<String>,
    /// Raised by every change of a document, so that a whole check of older documents is
    /// not taken for the present.
    generation: u64,
}

/// What a whole check needs, taken from the workspace at one moment: it runs on another thread
/// while the workspace goes on.
pub struct Snapshot {
    generation: u64,
    inputs: Inputs,
    files: Vec<FileResult>,
    options: CheckOptions,
}

/// The result of a whole check, for [`Workspace::adopt`].
pub struct WholeCheck {
    generation: u64,
    checked: Checked,
    cross: CrossFile,
    names: HashMap<String, Names>,
    shapes_of: HashMap<String, Vec<String>>,
}

impl Snapshot {
    /// The whole cross-file stage over the snapshot's per-file results: what `check` finds.
    pub fn check(self) -> WholeCheck {
        let files = self.files.iter().map(|file| (**file).clone()).collect();
        let (checked, cross) = check::assemble_keeping(&self.inputs, files, &self.options);
        let plans = checked
            .plans
            .iter()
            .map(|plan| (plan.path.clone(), Names::of(&plan.blocks)));
        let files = checked.files.iter().map(|file| {
            (
                file.source.path.clone(),
                Names::of(std::slice::from_ref(file)),
            )
        });
        let mut shapes_of: HashMap<String, Vec<String>> = HashMap::new();
        for (id, shape) in &checked.model.shapes {
            shapes_of
                .entry(shape.location.path.to_string())
                .or_default()
                .push(id.clone());
        }
        WholeCheck {
            generation: self.generation,
            names: plans.chain(files).collect(),
            shapes_of,
            checked,
            cross,
        }
    }
}

impl Workspace {
    /// Reads every input under `root` (with its `plansmith.toml`) and checks them.
    pub fn load(root: &Path) -> Workspace {
        let root = crate::paths::absolute(root);
        let (config, config_problem) = match crate::tuning::config::resolve(
            std::slice::from_ref(&root),
            ConfigChoice::Discover,
        ) {
            Ok(config) => (config, None),
            Err(error) => (None, Some(error.diagnostic)),
        };
        let model_paths = config
            .as_ref()
            .map(|c| c.model_paths.clone())
            .unwrap_or_default();
        let options = CheckOptions {
            paths: vec![root.clone()],
            model_paths,
            tuning: Tuning {
                config,
                baseline: None,
            },
            ..CheckOptions::default()
        };
        let inputs = check::find_inputs(&options);
        let idl_version = options.tuning.smithy_version();
        let files = inputs
            .files
            .par_iter()
            .map(|input| Arc::new(check::read_file(input, None, idl_version)))
            .collect();
        let mut workspace = Workspace {
            root,
            options,
            inputs,
            files,
            open: HashMap::new(),
            config_problem,
            checked: Checked::default(),
            published: HashMap::new(),
            smithy_found: HashMap::new(),
            dependency_found: HashMap::new(),
            shape_uses: Vec::new(),
            disk: DiskLookups::default(),
            names: HashMap::new(),
            shapes_of: HashMap::new(),
            fresh: BTreeSet::new(),
            generation: 0,
        };
        let whole = workspace.snapshot().check();
        workspace.adopt(whole);
        workspace
    }

    /// The documents as they are now, for a whole check.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            generation: self.generation,
            inputs: self.inputs.clone(),
            files: self.files.clone(),
            options: self.options.clone(),
        }
    }

    /// Takes the result of a whole check in place of what the edits found, unless a document
    /// changed since its snapshot (then None: it is out of date). Returns the files whose
    /// findings changed.
    pub fn adopt(&mut self, whole: WholeCheck) -> Option<Vec<String>> {
        if whole.generation != self.generation {
            return None;
        }
        let WholeCheck {
            mut checked,
            cross,
            names,
            shapes_of,
            ..
        } = whole;
        let mut published = by_file(std::mem::take(&mut checked.diagnostics));
        if let Some(problem) = &self.config_problem {
            published
                .entry(problem.path.clone())
                .or_default()
                .insert(0, problem.clone());
        }
        let changed = self
            .published
            .keys()
            .chain(published.keys())
            .filter(|path| self.published.get(*path) != published.get(*path))
            .cloned()
            .collect::<BTreeSet<String>>();
        self.checked = checked;
        self.published = published;
        self.smithy_found = by_file(cross.smithy_diagnostics);
        self.dependency_found = by_file(cross.dependency_diagnostics);
        self.shape_uses = cross.shape_uses;
        self.disk = cross.disk;
        self.names = names;
        self.shapes_of = shapes_of;
        self.fresh.clear();
        Some(changed.into_iter().collect())
    }

    /// Checks the files changed since the last check with their neighbourhood, and the
    /// dependencies between all plans; returns the files whose findings changed.
    pub fn recheck_changed(&mut self) -> Vec<String> {
        let fresh = std::mem::take(&mut self.fresh);
        let declared_by_fresh = |names: &HashMap<String, Names>| -> Vec<String> {
            fresh
                .iter()
                .filter_map(|identity| names.get(identity))
                .flat_map(|n| n.declares.iter().cloned())
                .collect()
        };
        // What the changed files declared before and declare now: the files that name it are
        // redone.
        let mut touched: BTreeSet<String> = declared_by_fresh(&self.names).into_iter().collect();
        for identity in &fresh {
            self.replace_document(identity);
        }
        touched.extend(declared_by_fresh(&self.names));
        // The neighbourhood: the changed files and those that name their namespaces (whose
        // findings are redone), with the files declaring what any of them name.
        let redo: BTreeSet<&str> = self
            .names
            .iter()
            .filter(|(_, names)| names.mentions.iter().any(|n| touched.contains(n)))
            .map(|(identity, _)| identity.as_str())
            .chain(fresh.iter().map(String::as_str))
            .collect();
        let needed: BTreeSet<&String> = redo
            .iter()
            .filter_map(|identity| self.names.get(*identity))
            .flat_map(|names| &names.mentions)
            .collect();
        let names = &self.names;
        let defines = |path: &str| {
            redo.contains(path)
                || names
                    .get(path)
                    .is_some_and(|n| n.declares.iter().any(|d| needed.contains(&d)))
        };
        let checked = &self.checked;
        let inputs = check::smithy_inputs(
            checked.plans.iter().filter(|p| defines(&p.path)),
            checked.files.iter().filter(|f| defines(&f.source.path)),
            &self.inputs.files,
        );
        // Contained as in `check`: a panic in the model is PLAN009, not a dead server.
        let loaded =
            crate::check::load_model_contained(inputs, !self.options.skip_smithy_validation);

        // The redone files' model findings and shape uses take the place of their old ones.
        let mut dirty: BTreeSet<String> = redo.iter().map(|path| path.to_string()).collect();
        for path in &redo {
            self.smithy_found.remove(*path);
        }
        for diagnostic in loaded.diagnostics {
            if redo.contains(diagnostic.path.as_str()) {
                self.smithy_found
                    .entry(diagnostic.path.clone())
                    .or_default()
                    .push(diagnostic);
            }
        }
        let uses = check::shape_uses(&loaded.model, &self.checked.plans);
        self.shape_uses
            .retain(|u| !redo.contains(u.from_plan.as_str()));
        self.shape_uses.extend(
            uses.into_iter()
                .filter(|u| redo.contains(u.from_plan.as_str())),
        );
        self.shape_uses.sort();
        // The changed files' shapes take the place of theirs in the model.
        let model = &mut self.checked.model;
        for path in &fresh {
            for id in self.shapes_of.remove(path).unwrap_or_default() {
                if model
                    .shapes
                    .get(&id)
                    .is_some_and(|s| *s.location.path == **path)
                {
                    model.shapes.remove(&id);
                }
            }
        }
        for (id, shape) in loaded.model.shapes {
            if fresh.contains(&*shape.location.path) {
                self.shapes_of
                    .entry(shape.location.path.to_string())
                    .or_default()
                    .push(id.clone());
                model.shapes.insert(id, shape);
            }
        }

        let found =
            check::cross_plan_remembering(&mut self.checked, &self.shape_uses, &mut self.disk);
        let dependency_found = by_file(found);
        dirty.extend(
            self.dependency_found
                .keys()
                .chain(dependency_found.keys())
                .filter(|path| self.dependency_found.get(*path) != dependency_found.get(*path))
                .cloned(),
        );
        self.dependency_found = dependency_found;

        let mut changed = Vec::new();
        for path in dirty {
            let now = self.findings_of(&path);
            if self.published.get(&path).map_or(&[][..], Vec::as_slice) != now.as_slice() {
                if now.is_empty() {
                    self.published.remove(&path);
                } else {
                    self.published.insert(path.clone(), now);
                }
                changed.push(path);
            }
        }
        changed
    }

    /// A file's findings from what each stage last found for it, tuned as `check` tunes them
    /// (every tuning step looks only at the file's own findings and plan).
    fn findings_of(&self, path: &str) -> Vec<Diagnostic> {
        let mut found: Vec<Diagnostic> = self
            .inputs
            .skipped
            .iter()
            .filter(|d| d.path == path)
            .cloned()
            .collect();
        let mut input_errors: Vec<&InputError> = self
            .inputs
            .errors
            .iter()
            .filter(|e| e.path == path)
            .collect();
        if let Some(index) = self.input_index(path) {
            match &*self.files[index] {
                Ok(read) => found.extend(read.diagnostics.iter().cloned()),
                Err(error) => input_errors.push(error),
            }
        }
        found.extend(input_errors.into_iter().map(check::input_error_diagnostic));
        for stage in [&self.smithy_found, &self.dependency_found] {
            found.extend(stage.get(path).into_iter().flatten().cloned());
        }
        sort_diagnostics(&mut found);
        let plans = &self.checked.plans;
        let plan = match plans.binary_search_by(|p| p.path.as_str().cmp(path)) {
            Ok(index) => std::slice::from_ref(&plans[index]),
            Err(_) => &[],
        };
        self.options.tuning.apply(plan, &mut found);
        if let Some(problem) = self.config_problem.as_ref().filter(|p| p.path == path) {
            found.insert(0, problem.clone());
        }
        found
    }

    /// Every file with findings.
    pub fn files_with_findings(&self) -> impl Iterator<Item = &str> {
        self.published.keys().map(String::as_str)
    }

    /// A file's findings as last published.
    pub fn findings(&self, identity: &str) -> &[Diagnostic] {
        self.published.get(identity).map_or(&[], Vec::as_slice)
    }

    /// Puts the changed file's fresh per-file result in the place of its old one among the
    /// checked plans and files.
    fn replace_document(&mut self, identity: &str) {
        let found = self.input_index(identity);
        let checked = &mut self.checked;
        if let Ok(at) = checked
            .plans
            .binary_search_by(|p| p.path.as_str().cmp(identity))
        {
            checked.plans.remove(at);
        }
        checked.files.retain(|f| f.source.path != identity);
        self.names.remove(identity);
        let Some(index) = found else {
            return;
        };
        let input = &self.inputs.files[index];
        checked
            .locations
            .insert(input.display.clone(), input.path.clone());
        let Ok(read) = &*self.files[index] else {
            return;
        };
        match &read.document {
            Document::Plan(plan) => {
                self.names
                    .insert(identity.to_string(), Names::of(&plan.blocks));
                let at = checked
                    .plans
                    .partition_point(|p| p.path.as_str() < identity);
                checked.plans.insert(at, (**plan).clone());
            }
            Document::File(block) => {
                self.names
                    .insert(identity.to_string(), Names::of(std::slice::from_ref(block)));
                let at = checked
                    .files
                    .partition_point(|f| f.source.path.as_str() < identity);
                checked.files.insert(at, block.clone());
            }
        }
    }

    /// The identity of a file URI, when it is under the root.
    pub fn identity(&self, uri: &Url) -> Option<String> {
        let path = uri.to_file_path().ok()?;
        self.inputs
            .root
            .identity(&crate::paths::normalise(&crate::paths::absolute(&path)))
    }

    pub fn uri(&self, identity: &str) -> Option<Url> {
        Url::from_file_path(self.root.join(identity)).ok()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The text of a file as the editor sees it: its open buffer, else what the check read,
    /// else the disk (for files that are not inputs, such as `plansmith.toml`).
    pub fn text(&self, identity: &str) -> Option<Cow<'_, str>> {
        if let Some(buffer) = self.open.get(identity) {
            return Some(Cow::Borrowed(buffer));
        }
        if let Some(text) = self.checked.text_of(identity) {
            return Some(Cow::Borrowed(text));
        }
        std::fs::read_to_string(self.root.join(identity))
            .ok()
            .map(Cow::Owned)
    }

    /// An editor opened or changed a file: its buffer takes the file's place. Returns false for
    /// a file plansmith does not read.
    pub fn set_buffer(&mut self, identity: &str, text: String) -> bool {
        let index = match self.input_index(identity) {
            Some(index) => index,
            None => match self.add_input(identity) {
                Some(index) => index,
                None => return false,
            },
        };
        let read = Arc::new(check::read_file(
            &self.inputs.files[index],
            Some(text.as_bytes()),
            self.options.tuning.smithy_version(),
        ));
        if self.files.len() == self.inputs.files.len() {
            self.files[index] = read;
        } else {
            self.files.insert(index, read);
        }
        self.open.insert(identity.to_string(), text);
        self.mark_changed(identity);
        true
    }

    /// The editor closed a file: the disk's copy counts again (a buffer never saved is dropped).
    pub fn close(&mut self, identity: &str) -> bool {
        self.open.remove(identity);
        self.reread(identity)
    }

    /// A file was saved or changed on disk: read it again unless its buffer is open.
    pub fn reread(&mut self, identity: &str) -> bool {
        if self.open.contains_key(identity) {
            return false;
        }
        let Some(index) = self.input_index(identity) else {
            return false;
        };
        self.mark_changed(identity);
        let input = &self.inputs.files[index];
        if !input.path.exists() {
            self.inputs.files.remove(index);
            drop(self.files.remove(index));
            return true;
        }
        let read = check::read_file(input, None, self.options.tuning.smithy_version());
        self.files[index] = Arc::new(read);
        true
    }

    fn mark_changed(&mut self, identity: &str) {
        self.fresh.insert(identity.to_string());
        self.generation += 1;
    }

    fn input_index(&self, identity: &str) -> Option<usize> {
        self.inputs
            .files
            .binary_search_by(|f| f.display.as_str().cmp(identity))
            .ok()
    }

    /// Takes a file opened in the editor into the inputs (a new plan, not yet on disk when the
    /// workspace was read), as `check` takes a file named on its command line; its result is
    /// inserted at the same index by the caller.
    fn add_input(&mut self, identity: &str) -> Option<usize> {
        let kind = match Path::new(identity).extension()?.to_str()? {
            "md" | "markdown" => InputKind::Markdown,
            "smithy" => InputKind::Smithy,
            "mmd" => InputKind::Mermaid,
            _ => return None,
        };
        let index = self
            .inputs
            .files
            .binary_search_by(|f| f.display.as_str().cmp(identity))
            .unwrap_err();
        self.inputs.files.insert(
            index,
            InputFile {
                display: identity.to_string(),
                path: self.root.join(identity),
                kind,
                model_only: false,
            },
        );
        Some(index)
    }
}

/// Each file's diagnostics, in the order given.
fn by_file(diagnostics: Vec<Diagnostic>) -> HashMap<String, Vec<Diagnostic>> {
    let mut grouped: HashMap<String, Vec<Diagnostic>> = HashMap::new();
    for diagnostic in diagnostics {
        grouped
            .entry(diagnostic.path.clone())
            .or_default()
            .push(diagnostic);
    }
    grouped
}

/// The namespaces a file's Smithy declares (`namespace` statements; every namespace of a JSON
/// AST) and names (those, `use` statements and absolute shape IDs). A file whose namespaces
/// another file names is in that file's neighbourhood.
#[derive(Debug, Default)]
struct Names {
    declares: BTreeSet<String>,
    mentions: BTreeSet<String>,
}

impl Names {
    /// The names of a file's blocks (a plan's, or the one block of a standalone file).
    fn of(blocks: &[Block]) -> Names {
        let smithy = blocks.iter().filter(|b| b.kind == BlockKind::Smithy);
        let texts: Vec<&str> = smithy.map(|b| b.source.text.as_str()).collect();
        let json = matches!(blocks, [block] if block.source.path.ends_with(".json"));
        let mut names = Names::default();
        let is_id = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '#' | '$');
        for line in texts.iter().flat_map(|text| text.lines()) {
            if let Some(name) = line.trim_start().strip_prefix("namespace ") {
                names.declares.insert(name.trim().to_string());
            }
            for word in line.split(|c: char| !is_id(c)) {
                if let Some((namespace, _)) = word.split_once('#') {
                    if !namespace.is_empty() {
                        names.mentions.insert(namespace.to_string());
                    }
                }
            }
        }
        if json {
            names.declares.extend(names.mentions.iter().cloned());
        }
        names.mentions.extend(names.declares.iter().cloned());
        names
    }
}
