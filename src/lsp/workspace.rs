//! The files the server checks and what it knows about them: every input of the root folder
//! read once at start, each kept as the per-file stage left it, with the editor's unsaved
//! buffers in place of their files.
//!
//! An edit is checked in two ways. At once ([`Workspace::recheck_changed`]): the changed files
//! are read again, the Smithy model is loaded only for their neighbourhood (the files that
//! define the namespaces they mention, and the files that mention theirs), and the dependency
//! stage runs over every plan; the other files keep what the last whole check found. On save
//! ([`Workspace::recheck`]): the whole cross-file stage, exactly what `check` reports.

use crate::check::{self, CheckOptions, Checked, CrossFile, Document, Inputs, ReadFile};
use crate::diagnostic::Diagnostic;
use crate::discover::{InputError, InputFile, InputKind};
use crate::tuning::{ConfigChoice, Tuning};
use lsp_types::Url;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub struct Workspace {
    /// The root folder (absolute): the server's working directory, so identities are relative
    /// to it as they are for `check` run there.
    root: PathBuf,
    options: CheckOptions,
    inputs: Inputs,
    /// The per-file results, one per `inputs.files`, in that order.
    files: Vec<Result<ReadFile, InputError>>,
    /// The buffers the editor holds open, by identity.
    open: HashMap<String, String>,
    /// A `plansmith.toml` that cannot be used: reported, and the run goes on without it.
    config_problem: Option<Diagnostic>,
    /// The whole result of the last check.
    pub checked: Checked,
    /// What the last whole check found, kept for the files an edit does not touch.
    whole: CrossFile,
    /// The namespaces each file's Smithy declares and names.
    names: HashMap<String, Names>,
    /// Files changed since the last whole check.
    changed: BTreeSet<String>,
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
            .map(|input| check::read_file(input, None, idl_version))
            .collect();
        let mut workspace = Workspace {
            root,
            options,
            inputs,
            files,
            open: HashMap::new(),
            config_problem,
            checked: Checked::default(),
            whole: CrossFile::default(),
            names: HashMap::new(),
            changed: BTreeSet::new(),
        };
        workspace.recheck();
        workspace
    }

    /// Runs the whole cross-file stage again over the per-file results as they are now.
    pub fn recheck(&mut self) {
        let (checked, whole) =
            check::assemble_keeping(&self.inputs, self.files.clone(), &self.options);
        self.checked = checked;
        self.whole = whole;
        self.names = self
            .files
            .iter()
            .filter_map(|f| f.as_ref().ok())
            .map(|read| (document_path(&read.document), Names::of(&read.document)))
            .collect();
        self.changed.clear();
        self.add_config_problem();
    }

    /// Checks the files changed since the last whole check, and the dependencies between all
    /// plans, keeping the last whole check's findings for the others.
    pub fn recheck_changed(&mut self) {
        let changed = self.changed.clone();
        let declared_by_changed = |names: &HashMap<String, Names>| -> Vec<String> {
            changed
                .iter()
                .filter_map(|identity| names.get(identity))
                .flat_map(|n| n.declares.iter().cloned())
                .collect()
        };
        // What the changed files declared before and declare now: the files that name it are
        // redone.
        let mut touched: BTreeSet<String> = declared_by_changed(&self.names).into_iter().collect();
        for identity in &changed {
            self.replace_document(identity);
        }
        touched.extend(declared_by_changed(&self.names));
        // The neighbourhood: the changed files and those that name their namespaces (whose
        // findings are redone), with the files declaring what any of them name.
        let redo: BTreeSet<&str> = self
            .names
            .iter()
            .filter(|(_, names)| names.mentions.iter().any(|n| touched.contains(n)))
            .map(|(identity, _)| identity.as_str())
            .chain(changed.iter().map(String::as_str))
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
        let loaded = crate::smithy::load_with(inputs, !self.options.skip_smithy_validation);

        let mut smithy_diagnostics: Vec<Diagnostic> = self
            .whole
            .smithy_diagnostics
            .iter()
            .filter(|d| !redo.contains(d.path.as_str()))
            .cloned()
            .collect();
        smithy_diagnostics.extend(
            loaded
                .diagnostics
                .iter()
                .filter(|d| redo.contains(d.path.as_str()))
                .cloned(),
        );
        let mut shape_uses: Vec<_> = self
            .whole
            .shape_uses
            .iter()
            .filter(|u| !redo.contains(u.from_plan.as_str()))
            .cloned()
            .collect();
        shape_uses.extend(
            check::shape_uses(&loaded.model, &checked.plans)
                .into_iter()
                .filter(|u| redo.contains(u.from_plan.as_str())),
        );
        shape_uses.sort();
        let model = &mut self.checked.model;
        model
            .shapes
            .retain(|_, shape| !changed.contains(&*shape.location.path));
        for (id, shape) in loaded.model.shapes {
            if changed.contains(&*shape.location.path) {
                model.shapes.insert(id, shape);
            }
        }

        let dependency_diagnostics = check::cross_plan(&mut self.checked, &shape_uses);
        let mut diagnostics = self.inputs.skipped.clone();
        let mut input_errors = self.inputs.errors.clone();
        for file in &self.files {
            match file {
                Ok(read) => diagnostics.extend(read.diagnostics.iter().cloned()),
                Err(error) => input_errors.push(error.clone()),
            }
        }
        diagnostics.extend(smithy_diagnostics);
        diagnostics.extend(dependency_diagnostics);
        self.checked.diagnostics = diagnostics;
        self.checked.input_errors = input_errors;
        check::finish(&mut self.checked, &self.options);
        self.add_config_problem();
    }

    /// Puts the changed file's fresh per-file result in the place of its old one among the
    /// checked plans and files.
    fn replace_document(&mut self, identity: &str) {
        let found = self.input_index(identity);
        let checked = &mut self.checked;
        checked.plans.retain(|p| p.path != identity);
        checked.files.retain(|f| f.source.path != identity);
        self.names.remove(identity);
        let Some(index) = found else {
            return;
        };
        let input = &self.inputs.files[index];
        checked
            .locations
            .insert(input.display.clone(), input.path.clone());
        let Ok(read) = &self.files[index] else {
            return;
        };
        self.names
            .insert(identity.to_string(), Names::of(&read.document));
        match &read.document {
            Document::Plan(plan) => {
                let at = checked
                    .plans
                    .partition_point(|p| p.path.as_str() < identity);
                checked.plans.insert(at, (**plan).clone());
            }
            Document::File(block) => {
                let at = checked
                    .files
                    .partition_point(|f| f.source.path.as_str() < identity);
                checked.files.insert(at, block.clone());
            }
        }
    }

    fn add_config_problem(&mut self) {
        if let Some(problem) = &self.config_problem {
            self.checked.diagnostics.insert(0, problem.clone());
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
        let read = check::read_file(
            &self.inputs.files[index],
            Some(text.as_bytes()),
            self.options.tuning.smithy_version(),
        );
        if self.files.len() == self.inputs.files.len() {
            self.files[index] = read;
        } else {
            self.files.insert(index, read);
        }
        self.open.insert(identity.to_string(), text);
        self.changed.insert(identity.to_string());
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
        let input = &self.inputs.files[index];
        self.changed.insert(identity.to_string());
        if !input.path.exists() {
            self.inputs.files.remove(index);
            drop(self.files.remove(index));
            return true;
        }
        self.files[index] = check::read_file(input, None, self.options.tuning.smithy_version());
        true
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

fn document_path(document: &Document) -> String {
    match document {
        Document::Plan(plan) => plan.path.clone(),
        Document::File(block) => block.source.path.clone(),
    }
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
    fn of(document: &Document) -> Names {
        let smithy = |b: &&crate::plan::Block| b.kind == crate::plan::BlockKind::Smithy;
        let (texts, json): (Vec<&str>, bool) = match document {
            Document::Plan(plan) => (
                plan.blocks
                    .iter()
                    .filter(smithy)
                    .map(|b| b.source.text.as_str())
                    .collect(),
                false,
            ),
            Document::File(block) => (
                std::iter::once(block)
                    .filter(smithy)
                    .map(|b| b.source.text.as_str())
                    .collect(),
                block.source.path.ends_with(".json"),
            ),
        };
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
