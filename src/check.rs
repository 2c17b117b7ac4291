//! The `check` pipeline: discover files, read each plan and parse its blocks in parallel, then
//! collect everything in a deterministic order.
//!
//! Every block is parsed here, once: each [`Block`] keeps its parsed diagram or Smithy text in
//! [`Block::model`], the Smithy model is loaded from those, and `build` draws from them.
//!
//! Architecture Invariant: one bad block never ends a run. A panic is contained where the work
//! is split (per block, the Smithy model, the plan graph) and becomes PLAN009; the result is
//! sorted after every parallel stage, so it never depends on the thread count.

use crate::codes::Code;
use crate::deps::{self, PlanGraph};
use crate::diagnostic::{sort_diagnostics, Diagnostic, Severity, Span};
use crate::discover::{discover, InputError, InputFile, InputKind, StdinInput};
use crate::mermaid;
use crate::paths::Root;
use crate::plan::{self, Block, BlockKind, BlockModel, LinkRoot, Plan};
use crate::smithy::{self, IdlOrigin, ParsedText, SmithyInput};
use crate::source::SourceText;
use crate::tuning::Tuning;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    /// Models that plans may use but that are not plans (`--model-path`).
    pub model_paths: Vec<PathBuf>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// The config file, suppressions and baseline (see `tuning`).
    pub tuning: Tuning,
    /// A plan read from standard input (`check -`), checked along with `paths`.
    pub stdin: Option<StdinInput>,
    /// Build the Smithy model without validating it: what `diff` needs, as `smithy diff`
    /// loads its models.
    pub skip_smithy_validation: bool,
    /// Leave mermaid blocks unparsed (and unlinted): `diff` parses only the diagrams whose
    /// text changed ([`parsed_mermaid`]), most of a side's diagrams being the other side's.
    pub skip_diagram_parsing: bool,
    /// Keep of each parsed diagram only its family (and whether it is drawn), for a run that
    /// draws nothing (`check`): the models of 10,000 plans' diagrams were a tenth of the run's
    /// peak memory. The mermaid and Smithy blocks of plans let their texts go too once parsed
    /// (their plans' texts hold them): with their line tables, 0.15 GB of 10,000 plans' peak.
    pub release_diagrams: bool,
}

/// Everything a check found, in report order.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Markdown files, sorted by path.
    pub plans: Vec<Plan>,
    /// Standalone `.smithy`, `.mmd` and `.json` model files, sorted by path.
    pub files: Vec<Block>,
    pub diagnostics: Vec<Diagnostic>,
    /// Paths that could not be read at all.
    pub input_errors: Vec<InputError>,
    /// Where each reported path is on disk, relative to the working directory.
    pub locations: BTreeMap<String, PathBuf>,
    /// The folder every reported path (every plan's identity) is relative to.
    pub root: Root,
    /// The plans' dependency graph, resolved and checked.
    pub graph: PlanGraph,
    /// The Smithy model of all plans, standalone files and `--model-path` models.
    pub model: smithy::Model,
    /// Findings left out because the baseline records them.
    pub baselined: usize,
}

impl Checked {
    /// The text of a reported file, for snippets.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.source_of(path).map(|s| s.text.as_str())
    }

    /// The source of a plan or file of the run, by path.
    pub fn source_of(&self, path: &str) -> Option<&SourceText> {
        if let Ok(i) = self.plans.binary_search_by(|p| p.path.as_str().cmp(path)) {
            return Some(&self.plans[i].source);
        }
        self.files
            .iter()
            .find(|b| b.source.path == path)
            .map(|b| &b.source)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// One input file as the per-file stage left it.
#[derive(Debug, Clone)]
pub enum Document {
    Plan(Box<Plan>),
    File(Block),
}

/// One input file read and parsed on its own, with what that found: the per-file stage, which a
/// caller that keeps results between runs (the language server) can redo for one file.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
}

/// The files of a run, found and selected, before any is read.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Sorted by identity.
    pub files: Vec<InputFile>,
    pub errors: Vec<InputError>,
    /// Notes about files left out (the template).
    pub skipped: Vec<Diagnostic>,
    pub root: Root,
    /// The identity of the plan read from standard input, if there is one.
    pub stdin_identity: Option<String>,
}

/// Runs the check over `options.paths` on a pool of `options.jobs` threads.
pub fn check(options: &CheckOptions) -> Checked {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build();
    match pool {
        Ok(pool) => pool.install(|| check_alongside(options, |_| |_: &Plan| false, |_| ()).0),
        Err(_) => check_alongside(options, |_| |_: &Plan| false, |_| ()).0,
    }
}

/// [`check`] on the current thread pool, running `alongside` over the run as read (its plans
/// sorted by path and its root, before the cross-file stage: no model and no graph yet) while
/// the Smithy model is built: merging the files' shapes is serial, so work that needs only the
/// plans' own blocks (drawing their diagrams) keeps the other threads busy meanwhile.
///
/// Before that, `each_plan` (made from the run's inputs) sees every plan as soon as its blocks
/// are parsed, on the thread that read it, and says whether it drew the plan's diagrams, whose
/// models then go: `build` draws them there, so that it never holds more than a few plans'
/// diagram models.
pub fn check_alongside<T: Send, E: Fn(&Plan) -> bool + Sync>(
    options: &CheckOptions,
    each_plan: impl FnOnce(&Inputs) -> E,
    alongside: impl FnOnce(&Checked) -> T + Send,
) -> (Checked, T) {
    let inputs = find_inputs(options);
    let each_plan = each_plan(&inputs);
    let idl_version = options.tuning.smithy_version();
    let results: Vec<Result<ReadFile, InputError>> = inputs
        .files
        .par_iter()
        .map(|input| {
            let from_stdin = options
                .stdin
                .as_ref()
                .filter(|_| inputs.stdin_identity.as_deref() == Some(input.display.as_str()));
            let unsaved = from_stdin.map(|s| s.bytes.as_slice());
            let diagrams = match (options.skip_diagram_parsing, options.release_diagrams) {
                (true, _) => Diagrams::Skip,
                (false, true) => Diagrams::ParseAndRelease,
                (false, false) => Diagrams::ParseAndKeep,
            };
            read_file_with(input, unsaved, idl_version, (diagrams, &each_plan))
        })
        .collect();
    let syntax = SmithySyntax::Release;
    let (checked, _, extra) = assemble_alongside(&inputs, results, options, syntax, alongside);
    (checked, extra)
}

/// Discovers the inputs of `options` and leaves out what the config excludes and the template.
pub fn find_inputs(options: &CheckOptions) -> Inputs {
    let stdin_path = options.stdin.as_ref().map(|s| s.path.as_path());
    let discovered = discover(&options.paths, &options.model_paths, stdin_path);
    let found_any = discovered.files.iter().any(|i| !i.model_only);
    let named: Vec<PathBuf> = options
        .paths
        .iter()
        .cloned()
        .chain(stdin_path.map(Path::to_path_buf))
        .collect();
    let (files, skipped) = options.tuning.select_inputs(discovered.files, &named);
    let mut errors = discovered.errors;
    if errors.is_empty() && !files.iter().any(|i| !i.model_only) {
        errors.push(no_plan_found(&options.paths, found_any));
    }
    Inputs {
        files,
        errors,
        skipped,
        root: discovered.root,
        stdin_identity: discovered.stdin_identity,
    }
}

/// The cross-file stage: collects the per-file results (one per `inputs.files`, in that order),
/// loads the one Smithy model, resolves dependencies, sorts and applies the team's tuning.
pub fn assemble(
    inputs: &Inputs,
    results: Vec<Result<ReadFile, InputError>>,
    options: &CheckOptions,
) -> Checked {
    assemble_keeping(inputs, results, options).0
}

/// What the cross-file stage found besides [`Checked`], for a caller that redoes it for a few
/// files later (the language server): the model's and the dependency stage's findings (not yet
/// tuned; only [`assemble_keeping`] fills them in), the shape uses between plans, and what the
/// dependency stage learnt from the disk.
#[derive(Debug, Default)]
pub struct CrossFile {
    pub smithy_diagnostics: Vec<Diagnostic>,
    pub dependency_diagnostics: Vec<Diagnostic>,
    pub shape_uses: Vec<deps::ShapeUse>,
    pub disk: DiskLookups,
}

/// [`assemble`], also returning the [`CrossFile`] findings.
pub fn assemble_keeping(
    inputs: &Inputs,
    results: Vec<Result<ReadFile, InputError>>,
    options: &CheckOptions,
) -> (Checked, CrossFile) {
    let syntax = SmithySyntax::Keep;
    let (checked, cross, ()) = assemble_alongside(inputs, results, options, syntax, |_| ());
    (checked, cross)
}

/// Whether the Smithy blocks keep their syntax trees once the model is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SmithySyntax {
    /// For a caller that loads the model again from the blocks (the language server).
    Keep,
    /// A run loads the model once: the trees go once it is built, before validation (the
    /// run's peak of memory), and the blocks are left [`BlockModel::Unparsed`].
    Release,
}

/// [`assemble_keeping`], running `alongside` over the collected plans in parallel with the
/// Smithy model's building (see [`check_alongside`]), then the dependency stage in parallel
/// with the model's validation.
fn assemble_alongside<T: Send>(
    inputs: &Inputs,
    results: Vec<Result<ReadFile, InputError>>,
    options: &CheckOptions,
    syntax: SmithySyntax,
    alongside: impl FnOnce(&Checked) -> T + Send,
) -> (Checked, CrossFile, T) {
    let mut checked = collect(inputs, results);
    let smithy_inputs = smithy_inputs(&checked.plans, &checked.files, &inputs.files);
    if syntax == SmithySyntax::Release {
        let plan_blocks = checked.plans.iter_mut().flat_map(|p| &mut p.blocks);
        for block in plan_blocks.chain(&mut checked.files) {
            if matches!(block.model, BlockModel::Smithy(_)) {
                block.model = BlockModel::Unparsed;
            }
        }
    }
    let validate = !options.skip_smithy_validation;
    let first = first_input(&smithy_inputs);
    let (built, extra) = rayon::join(
        || build_model_contained(smithy_inputs, first.clone()),
        || alongside(&checked),
    );
    let model = match &built {
        Ok(built) => &built.model,
        Err(failed) => &failed.model,
    };
    let mut cross = CrossFile {
        shape_uses: shape_uses(model, &checked.plans),
        ..CrossFile::default()
    };
    // The dependency stage needs the model's shapes, not their validation: it runs meanwhile,
    // as one thread's work among the validators'.
    let (loaded, dependency_diagnostics) = rayon::join(
        || validate_contained(built, validate, first),
        || cross_plan_remembering(&mut checked, &cross.shape_uses, &mut cross.disk),
    );
    // Only a caller that redoes the cross-file stage (it keeps the syntax) reads these findings
    // again; a run moves them, as at 10,000 plans they are tens of thousands.
    let keep = syntax == SmithySyntax::Keep;
    if keep {
        cross.smithy_diagnostics = loaded.diagnostics.clone();
    }
    checked.diagnostics.extend(loaded.diagnostics);
    checked.model = loaded.model;
    if keep {
        cross.dependency_diagnostics = dependency_diagnostics.clone();
    }
    checked.diagnostics.extend(dependency_diagnostics);
    finish(&mut checked, options);
    (checked, cross, extra)
}

/// The per-file results gathered into one [`Checked`] (plans and files sorted by path), with
/// their diagnostics; no model and no graph yet.
pub fn collect(inputs: &Inputs, results: Vec<Result<ReadFile, InputError>>) -> Checked {
    let mut checked = Checked {
        input_errors: inputs.errors.clone(),
        diagnostics: inputs.skipped.clone(),
        root: inputs.root.clone(),
        ..Checked::default()
    };
    for input in &inputs.files {
        checked
            .locations
            .insert(input.display.clone(), input.path.clone());
    }
    for result in results {
        match result {
            Ok(read) => {
                checked.diagnostics.extend(read.diagnostics);
                match read.document {
                    Document::Plan(plan) => checked.plans.push(*plan),
                    Document::File(block) => checked.files.push(block),
                }
            }
            Err(error) => checked.input_errors.push(error),
        }
    }
    checked.plans.sort_by(|a, b| a.path.cmp(&b.path));
    checked
        .files
        .sort_by(|a, b| a.source.path.cmp(&b.source.path));
    checked
}

/// The dependency stage over `checked.plans` (each plan's link root, entries resolved, the
/// graph and its checks); sets `checked.graph` and returns what it found.
pub fn cross_plan(checked: &mut Checked, shape_uses: &[deps::ShapeUse]) -> Vec<Diagnostic> {
    cross_plan_remembering(checked, shape_uses, &mut DiskLookups::default())
}

/// What the dependency stage asked the disk: the git repository holding each folder, and
/// whether each linked path exists. A caller that runs the stage again after an edit (the
/// language server) keeps it, so that an edit asks the disk only about links it has not seen.
#[derive(Debug, Default)]
pub struct DiskLookups {
    repositories: HashMap<PathBuf, Option<PathBuf>>,
    exists: std::cell::RefCell<HashMap<PathBuf, bool>>,
}

impl DiskLookups {
    fn exists(&self, path: PathBuf) -> bool {
        *self
            .exists
            .borrow_mut()
            .entry(path)
            .or_insert_with_key(|path| path.exists())
    }
}

/// [`cross_plan`], answering from `disk` what it already knows.
pub fn cross_plan_remembering(
    checked: &mut Checked,
    shape_uses: &[deps::ShapeUse],
    disk: &mut DiskLookups,
) -> Vec<Diagnostic> {
    let link_roots = link_roots(&checked.root, &checked.plans, &mut disk.repositories);
    for plan in &mut checked.plans {
        plan.link_root = link_roots
            .get(&plan.path)
            .map(|dir| link_root_names(dir, &checked.root.dir));
    }
    let locations = &checked.locations;
    let disk = &*disk;
    let exists = |plan: &str, link: &str| match link.strip_prefix('/') {
        Some(from_root) => link_roots
            .get(plan)
            .is_some_and(|dir| disk.exists(dir.join(from_root))),
        None => locations
            .get(plan)
            .and_then(|on_disk| on_disk.parent())
            .is_some_and(|dir| disk.exists(dir.join(link))),
    };
    let first_plan = checked
        .plans
        .first()
        .map(|plan| (plan.path.clone(), Span::point(1, 1)));
    let doing = "checking the dependencies between plans";
    let analyse = || deps::analyse(&mut checked.plans, shape_uses, &exists);
    match contained_stage(first_plan, doing, analyse) {
        (Some((graph, dependency_diagnostics)), _) => {
            checked.graph = graph;
            dependency_diagnostics
        }
        (None, failure) => {
            checked.graph = PlanGraph::default();
            failure.into_iter().collect()
        }
    }
}

/// The last step: input errors as PLAN001, report order, then the team's tuning.
pub fn finish(checked: &mut Checked, options: &CheckOptions) {
    let unreadable = checked.input_errors.iter().map(input_error_diagnostic);
    checked.diagnostics.extend(unreadable);
    sort_diagnostics(&mut checked.diagnostics);
    checked.baselined = options
        .tuning
        .apply(&checked.plans, &mut checked.diagnostics);
}

/// An input that could not be read, as a finding (PLAN001).
pub fn input_error_diagnostic(error: &InputError) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableInput,
        error.message.clone(),
        error.path.clone(),
        Span::point(1, 1),
    )
}

/// Where links written from the repository root start, for each plan (absolute): the root of
/// the git repository that holds the plan, else the deepest folder holding every input. Only
/// asks whether `.git` exists in the plan's folder and above; reads nothing.
fn link_roots(
    root: &Root,
    plans: &[Plan],
    repository_of: &mut HashMap<PathBuf, Option<PathBuf>>,
) -> BTreeMap<String, PathBuf> {
    plans
        .iter()
        .map(|plan| {
            let on_disk = root.dir.join(&plan.path);
            let folder = on_disk.parent().unwrap_or(&root.dir);
            let repository = repository_root(folder, repository_of);
            let link_root = repository.unwrap_or_else(|| root.inputs_ancestor.clone());
            (plan.path.clone(), link_root)
        })
        .collect()
}

/// The nearest folder at or above `folder` that holds `.git`, remembered per folder.
fn repository_root(
    folder: &Path,
    known: &mut HashMap<PathBuf, Option<PathBuf>>,
) -> Option<PathBuf> {
    if let Some(found) = known.get(folder) {
        return found.clone();
    }
    let found = if folder.join(".git").exists() {
        Some(folder.to_path_buf())
    } else {
        folder
            .parent()
            .and_then(|parent| repository_root(parent, known))
    };
    known.insert(folder.to_path_buf(), found.clone());
    found
}

/// A plan's link root and the run's root as names relative to the deepest folder holding both.
fn link_root_names(link_root: &Path, root: &Path) -> LinkRoot {
    let common = crate::paths::common_ancestor(&[link_root.to_path_buf(), root.to_path_buf()])
        .unwrap_or_default();
    let name = |path: &Path| {
        path.strip_prefix(&common)
            .map(crate::paths::slash_path)
            .unwrap_or_default()
    };
    LinkRoot {
        base: name(link_root),
        root: name(root),
    }
}

/// The input error of a run that found nothing to check: there is no verdict to trust.
fn no_plan_found(paths: &[PathBuf], all_left_out: bool) -> InputError {
    let given: Vec<String> = paths
        .iter()
        .map(|p| format!("`{}`", crate::paths::slash_path(p)))
        .collect();
    InputError {
        path: paths
            .first()
            .map_or_else(|| ".".to_string(), |p| crate::paths::slash_path(p)),
        message: if all_left_out {
            format!(
                "no plan found: every .md, .smithy and .mmd file in {} is excluded or the template",
                given.join(", ")
            )
        } else {
            format!(
                "no plan found: {} holds no .md, .smithy or .mmd file",
                given.join(", ")
            )
        },
    }
}

/// Reads one input file and parses its blocks (what can be parsed per file; the Smithy
/// model is loaded from them later). `unsaved` is its text when it does not come from the disk
/// (standard input, an editor's buffer).
pub fn read_file(
    input: &InputFile,
    unsaved: Option<&[u8]>,
    idl_version: Option<smithy::ast::IdlVersion>,
) -> Result<ReadFile, InputError> {
    read_file_with(
        input,
        unsaved,
        idl_version,
        (Diagrams::ParseAndKeep, &|_| false),
    )
}

/// What reading a file does with its mermaid blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Diagrams {
    /// Leave them unparsed ([`CheckOptions::skip_diagram_parsing`]).
    Skip,
    /// Parse and lint them, keeping the models for drawing.
    ParseAndKeep,
    /// Parse and lint them, keeping only their families ([`CheckOptions::release_diagrams`]).
    ParseAndRelease,
}

/// [`read_file`], parsing the mermaid blocks as `diagrams` says, and showing a plan to
/// `each_plan` once its blocks are parsed (see [`check_alongside`]).
fn read_file_with(
    input: &InputFile,
    unsaved: Option<&[u8]>,
    idl_version: Option<smithy::ast::IdlVersion>,
    (diagrams, each_plan): (Diagrams, &(dyn Fn(&Plan) -> bool + Sync)),
) -> Result<ReadFile, InputError> {
    let bytes = match unsaved {
        Some(bytes) => bytes.to_vec(),
        None => std::fs::read(&input.path).map_err(|e| InputError {
            path: input.display.clone(),
            message: format!("cannot read input: {e}"),
        })?,
    };
    let mut diagnostics = Vec::new();
    // A UTF-8 byte order mark is no text: editors show no column for it, and before a plan's
    // `#` it would hide the title heading.
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = crate::source::SourceText::whole_file(input.display.clone(), &text[..]);
            let at = valid_up_to.min(text.len());
            diagnostics.push(source.diagnostic(
                Code::NotUtf8,
                "the file is not valid UTF-8; invalid bytes were replaced",
                at..at,
            ));
            text
        }
    };
    let document = match input.kind {
        InputKind::Markdown => {
            let (mut plan, plan_diagnostics) = plan::read_plan(&input.display, &text);
            diagnostics.extend(plan_diagnostics);
            parse_plan_blocks(&mut plan, (idl_version, diagrams), &mut diagnostics);
            let drawn = diagrams != Diagrams::Skip && each_plan(&plan);
            if diagrams == Diagrams::ParseAndRelease {
                release_plan_blocks(&mut plan);
            } else if drawn {
                plan.blocks
                    .iter_mut()
                    .for_each(|b| b.model.release_diagram());
            }
            Document::Plan(Box::new(plan))
        }
        InputKind::Mermaid => {
            let mut block = plan::read_standalone(&input.display, text, BlockKind::Mermaid);
            parse_mermaid(&mut block, diagrams, &mut diagnostics);
            Document::File(block)
        }
        InputKind::Smithy => {
            let mut block = plan::read_standalone(&input.display, text, BlockKind::Smithy);
            let source = block.source.clone();
            let parse = || ParsedText::parse(source, &IdlOrigin::StandaloneFile);
            if let Some(parsed) = contained(&block, &mut diagnostics, parse) {
                block.model = BlockModel::Smithy(Arc::new(parsed));
            }
            Document::File(block)
        }
        // A JSON AST is read by `smithy::load`, which moves its shapes into the model.
        InputKind::SmithyJson => Document::File(plan::read_standalone(
            &input.display,
            text,
            BlockKind::Smithy,
        )),
    };
    Ok(ReadFile {
        document,
        diagnostics,
    })
}

/// Parses the blocks of a plan, in order: a Smithy block without `namespace` continues the
/// namespace its predecessor ends in. Every model is kept: the caller lets them go
/// ([`release_plan_blocks`]) once the plan was shown to whoever wanted to see it whole.
fn parse_plan_blocks(
    plan: &mut Plan,
    (idl_version, diagrams): (Option<smithy::ast::IdlVersion>, Diagrams),
    diagnostics: &mut Vec<Diagnostic>,
) {
    let diagrams = match diagrams {
        Diagrams::Skip => Diagrams::Skip,
        _ => Diagrams::ParseAndKeep,
    };
    let mut namespace: Option<String> = None;
    for block in &mut plan.blocks {
        match block.kind {
            BlockKind::Mermaid => parse_mermaid(block, diagrams, diagnostics),
            BlockKind::Smithy => {
                let origin = IdlOrigin::MarkdownBlock {
                    inherited_namespace: namespace.take(),
                    idl_version,
                };
                let source = block.source.clone();
                let parse = || ParsedText::parse(source, &origin);
                if let Some(parsed) = contained(block, diagnostics, parse) {
                    namespace = parsed.namespace().map(str::to_string);
                    block.model = BlockModel::Smithy(Arc::new(parsed));
                }
            }
            BlockKind::Other => {}
        }
    }
}

/// Lets the parsed blocks of a plan keep only what a run that draws nothing reads of them
/// ([`CheckOptions::release_diagrams`]): a diagram's family, and no text (the plan's text
/// holds it). A parsed Smithy text keeps its own handle on its text for as long as the loader
/// needs it, and the report shows a block from its plan's text.
fn release_plan_blocks(plan: &mut Plan) {
    for block in &mut plan.blocks {
        let parsed = match block.kind {
            BlockKind::Mermaid => true,
            BlockKind::Smithy => matches!(block.model, BlockModel::Smithy(_)),
            BlockKind::Other => false,
        };
        if parsed {
            block.model.release_diagram();
            block.source = block.source.without_text();
        }
    }
}

/// Every smithy block of every plan (in plan and block order), then the standalone model
/// files: the IDL texts as `read_input` parsed them, the JSON ASTs to be read.
pub fn smithy_inputs<'a>(
    plans: impl IntoIterator<Item = &'a Plan>,
    files: impl IntoIterator<Item = &'a Block>,
    inputs: &[InputFile],
) -> Vec<SmithyInput> {
    let parsed = |block: &Block| match &block.model {
        BlockModel::Smithy(text) => Some(SmithyInput::Parsed(Arc::clone(text))),
        _ => None,
    };
    let mut result: Vec<SmithyInput> = plans
        .into_iter()
        .flat_map(|plan| plan.blocks.iter().filter_map(parsed))
        .collect();
    let kinds: BTreeMap<&str, InputKind> = inputs
        .iter()
        .map(|i| (i.display.as_str(), i.kind))
        .collect();
    for file in files {
        match kinds.get(file.source.path.as_str()) {
            Some(InputKind::Smithy) => result.extend(parsed(file)),
            Some(InputKind::SmithyJson) => result.push(SmithyInput::JsonAst {
                source: file.source.clone(),
            }),
            _ => {}
        }
    }
    result
}

/// Uses of a shape defined in one plan by the Smithy of another plan, for implied dependencies.
pub fn shape_uses(model: &smithy::Model, plans: &[Plan]) -> Vec<deps::ShapeUse> {
    let is_plan = |path: &str| {
        plans
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .is_ok()
    };
    let shapes: Vec<&smithy::Shape> = model.shapes.values().collect();
    // Each shape's uses on their own (in parallel), sorted at the end: the order is the same
    // for any number of threads.
    let mut uses: Vec<deps::ShapeUse> = shapes
        .par_iter()
        .filter(|shape| is_plan(&shape.location.path))
        .flat_map_iter(|shape| {
            shape.referenced().filter_map(move |(target, at)| {
                let target = model.shapes.get(target)?;
                let elsewhere = target.location.path != shape.location.path;
                (elsewhere && is_plan(&target.location.path)).then(|| deps::ShapeUse {
                    from_plan: shape.location.path.to_string(),
                    to_plan: target.location.path.to_string(),
                    shape: target.id.clone(),
                    at: at.span,
                    defined_at: target.location.span,
                })
            })
        })
        .collect();
    uses.sort();
    uses
}

/// Loads (and validates) the one Smithy model; a panic while doing so is contained: PLAN009 at
/// the first Smithy text, no model, and the plans and diagrams are still checked.
pub fn load_model_contained(inputs: Vec<SmithyInput>, validate: bool) -> smithy::LoadedModel {
    let first = first_input(&inputs);
    validate_contained(
        build_model_contained(inputs, first.clone()),
        validate,
        first,
    )
}

/// Where a failure of the model's loading is reported: the start of the first input.
fn first_input(inputs: &[SmithyInput]) -> Option<(String, Span)> {
    inputs.first().map(|input| {
        let source = match input {
            SmithyInput::Idl { source, .. } | SmithyInput::JsonAst { source } => source,
            SmithyInput::Parsed(text) => &text.idl.source,
        };
        (source.path.to_string(), source.span(0..0))
    })
}

/// [`smithy::build_model`], a panic contained: then the load's result is an empty model and
/// PLAN009 at `first`.
fn build_model_contained(
    inputs: Vec<SmithyInput>,
    first: Option<(String, Span)>,
) -> Result<smithy::BuiltModel, Box<smithy::LoadedModel>> {
    match contained_stage(first, LOADING_THE_MODEL, || smithy::build_model(inputs)) {
        (Some(built), _) => Ok(built),
        (None, failure) => Err(Box::new(failed_load(failure))),
    }
}

/// Validates a model [`build_model_contained`] built, a panic contained as there.
fn validate_contained(
    built: Result<smithy::BuiltModel, Box<smithy::LoadedModel>>,
    validate: bool,
    first: Option<(String, Span)>,
) -> smithy::LoadedModel {
    match built {
        Ok(built) => loaded_or_internal_error(first, || built.validated(validate)),
        Err(failed) => *failed,
    }
}

const LOADING_THE_MODEL: &str = "loading the Smithy model";

/// What `load` loaded, or, when it panicked, an empty model and PLAN009 at `first`.
fn loaded_or_internal_error(
    first: Option<(String, Span)>,
    load: impl FnOnce() -> smithy::LoadedModel,
) -> smithy::LoadedModel {
    let (loaded, failure) = contained_stage(first, LOADING_THE_MODEL, load);
    loaded.unwrap_or_else(|| failed_load(failure))
}

/// The model of a load that panicked: none, and the failure (PLAN009) if it has a place.
fn failed_load(failure: Option<Diagnostic>) -> smithy::LoadedModel {
    smithy::LoadedModel {
        model: smithy::Model::default(),
        diagnostics: failure.into_iter().collect(),
    }
}

/// Runs a whole-run stage; a panic in it is contained: no result, and PLAN009 at `at` (none
/// when there is no place to report it, which only an empty run has).
fn contained_stage<T>(
    at: Option<(String, Span)>,
    doing: &str,
    stage: impl FnOnce() -> T,
) -> (Option<T>, Option<Diagnostic>) {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(stage)) {
        Ok(done) => (Some(done), None),
        Err(_) => (
            None,
            at.map(|(path, span)| internal_error(&path, span, doing)),
        ),
    }
}

/// Parses and lints a mermaid block (unless `diagrams` says to skip it); the block keeps the
/// model for `build`, or only the family when `diagrams` says to release it.
fn parse_mermaid(block: &mut Block, diagrams: Diagrams, diagnostics: &mut Vec<Diagnostic>) {
    if diagrams == Diagrams::Skip {
        return;
    }
    let Some(parsed) = contained(block, diagnostics, || mermaid::parse(&block.source)) else {
        return;
    };
    diagnostics.extend(parsed.diagnostics.iter().cloned());
    block.model = BlockModel::Mermaid(Arc::new(parsed));
    if diagrams == Diagrams::ParseAndRelease {
        block.model.release_diagram();
    }
}

/// A mermaid block's parsed diagram: the one the check kept, else parsed now (a run with
/// [`CheckOptions::skip_diagram_parsing`]); `None` for other blocks, and for a parse that
/// panicked (contained, as in a check).
pub fn parsed_mermaid(block: &Block) -> Option<Arc<mermaid::ParsedDiagram>> {
    match &block.model {
        BlockModel::Mermaid(parsed) => Some(Arc::clone(parsed)),
        _ if block.kind == BlockKind::Mermaid => {
            contained(block, &mut Vec::new(), || mermaid::parse(&block.source)).map(Arc::new)
        }
        _ => None,
    }
}

/// Runs a parser on one block; a panic in it (ours or a dependency's) is contained there:
/// PLAN009 at the block, the block left unparsed, and the run goes on.
fn contained<T>(
    block: &Block,
    diagnostics: &mut Vec<Diagnostic>,
    parse: impl FnOnce() -> T,
) -> Option<T> {
    let at = (block.source.path.to_string(), block.source.span(0..0));
    let (parsed, failure) = contained_stage(Some(at), "reading this block", parse);
    diagnostics.extend(failure);
    parsed
}

/// PLAN009 at `path` and `span`: plansmith failed (panicked) while `doing` something there.
pub fn internal_error(path: &str, span: crate::diagnostic::Span, doing: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InternalError,
        format!("internal error while {doing}; it was skipped"),
        path.to_string(),
        span,
    )
    .with_help("this is a bug in plansmith: please report it with the input")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::read_standalone;

    #[test]
    fn a_panic_while_reading_a_block_is_plan009_at_the_block_and_the_run_goes_on() {
        let block = read_standalone(
            "plans/a.mmd",
            "flowchart LR\n  a --> b\n",
            BlockKind::Mermaid,
        );
        let mut diagnostics = Vec::new();
        let parsed: Option<()> = contained(&block, &mut diagnostics, || panic!("injected"));
        assert!(parsed.is_none());
        let [finding] = diagnostics.as_slice() else {
            panic!("one finding expected: {diagnostics:?}");
        };
        assert_eq!(
            (
                finding.code.as_str(),
                finding.severity,
                finding.path.as_str()
            ),
            ("PLAN009", Severity::Error, "plans/a.mmd")
        );
        assert_eq!((finding.span.line, finding.span.column), (1, 1));
        // The next block is read as usual.
        let read = contained(&block, &mut diagnostics, || mermaid::parse(&block.source));
        assert!(read.is_some_and(|parsed| parsed.diagnostics.is_empty()));
        assert_eq!(diagnostics.len(), 1);
    }

    #[test]
    fn a_panic_while_loading_the_smithy_model_is_plan009_at_the_first_smithy_text() {
        let at = Span::point(3, 1);
        let first = Some(("plans/a.md".to_string(), at));
        let loaded = loaded_or_internal_error(first, || panic!("injected"));
        assert!(loaded.model.shapes.is_empty());
        let codes: Vec<(&str, &str, Span)> = loaded
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.path.as_str(), d.span))
            .collect();
        assert_eq!(codes, [("PLAN009", "plans/a.md", at)]);
        assert_eq!(loaded.diagnostics[0].severity, Severity::Error);
    }

    #[test]
    fn a_whole_run_stage_that_panics_gives_no_result_and_plan009_where_there_is_a_place() {
        let at = || Some(("plans/a.md".to_string(), Span::point(1, 1)));
        let (done, failure) = contained_stage(at(), "checking", || 7);
        assert_eq!((done, failure.is_none()), (Some(7), true));
        let (done, failure) = contained_stage(at(), "checking", || -> u8 { panic!("injected") });
        assert!(done.is_none());
        let failure = failure.expect("PLAN009");
        assert_eq!(
            (failure.code.as_str(), failure.path.as_str()),
            ("PLAN009", "plans/a.md")
        );
        assert!(failure.message.contains("checking"), "{}", failure.message);
        let (done, failure) = contained_stage(None, "checking", || -> u8 { panic!("injected") });
        assert!(done.is_none() && failure.is_none());
    }
}
