//! The `check` pipeline: discover files, read each plan and parse its blocks in parallel, then
//! collect everything in a deterministic order.

use crate::deps::{self, PlanGraph};
use crate::diagnostic::{sort_diagnostics, Diagnostic, Severity, Span};
use crate::discover::{discover, InputError, InputFile, InputKind};
use crate::mermaid;
use crate::plan::{self, Block, BlockKind, Plan};
use crate::smithy::{self, IdlOrigin, SmithyInput};
use crate::tuning::Tuning;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    /// Models that plans may use but that are not plans (`--model-path`).
    pub model_paths: Vec<PathBuf>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// The config file, suppressions and baseline (see `tuning`).
    pub tuning: Tuning,
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
    /// The plans' dependency graph, resolved and checked.
    pub graph: PlanGraph,
    /// The Smithy model of all plans, standalone files and `--model-path` models.
    pub model: smithy::Model,
}

impl Checked {
    /// The text of a reported file, for snippets.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        if let Ok(i) = self.plans.binary_search_by(|p| p.path.as_str().cmp(path)) {
            return Some(&self.plans[i].source.text);
        }
        self.files
            .iter()
            .find(|b| b.source.path == path)
            .map(|b| b.source.text.as_str())
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

enum Document {
    Plan(Plan),
    File(Block),
}

/// Runs the check over `options.paths` on a pool of `options.jobs` threads.
pub fn check(options: &CheckOptions) -> Checked {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build();
    match pool {
        Ok(pool) => pool.install(|| check_in_pool(options)),
        Err(_) => check_in_pool(options),
    }
}

fn check_in_pool(options: &CheckOptions) -> Checked {
    let (inputs, input_errors) = discover(&options.paths, &options.model_paths);
    let (inputs, skipped) = options.tuning.select_inputs(inputs, &options.paths);
    let results: Vec<Result<(Document, Vec<Diagnostic>), InputError>> =
        inputs.par_iter().map(read_input).collect();

    let mut checked = Checked {
        input_errors,
        diagnostics: skipped,
        ..Checked::default()
    };
    for input in &inputs {
        checked
            .locations
            .insert(input.display.clone(), input.path.clone());
    }
    for result in results {
        match result {
            Ok((document, diagnostics)) => {
                checked.diagnostics.extend(diagnostics);
                match document {
                    Document::Plan(plan) => checked.plans.push(plan),
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

    let loaded = smithy::load(smithy_inputs(
        &checked,
        &inputs,
        options.tuning.smithy_version(),
    ));
    let shape_uses = shape_uses(&loaded.model, &checked.plans);
    checked.diagnostics.extend(loaded.diagnostics);
    checked.model = loaded.model;

    let locations = &checked.locations;
    let exists = |plan: &str, link: &str| {
        let Some(on_disk) = locations.get(plan) else {
            return false;
        };
        on_disk.parent().is_some_and(|dir| dir.join(link).exists())
    };
    let (graph, dependency_diagnostics) = deps::analyse(&mut checked.plans, &shape_uses, &exists);
    checked.graph = graph;
    checked.diagnostics.extend(dependency_diagnostics);
    for error in &checked.input_errors {
        checked.diagnostics.push(Diagnostic::new(
            "PLAN001",
            Severity::Error,
            format!("cannot read input: {}", error.message),
            error.path.clone(),
            Span::point(1, 1),
        ));
    }
    sort_diagnostics(&mut checked.diagnostics);
    options
        .tuning
        .apply(&checked.plans, &mut checked.diagnostics);
    checked
}

/// Reads one input file and parses what can be parsed per file.
fn read_input(input: &InputFile) -> Result<(Document, Vec<Diagnostic>), InputError> {
    let bytes = std::fs::read(&input.path).map_err(|e| InputError {
        path: input.display.clone(),
        message: e.to_string(),
    })?;
    let mut diagnostics = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid_up_to = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = crate::source::SourceText::whole_file(input.display.clone(), &text[..]);
            let at = valid_up_to.min(text.len());
            diagnostics.push(source.diagnostic(
                "PLAN007",
                Severity::Error,
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
            for block in plan
                .blocks
                .iter_mut()
                .filter(|b| b.kind == BlockKind::Mermaid)
            {
                parse_mermaid(block, &mut diagnostics);
            }
            Document::Plan(plan)
        }
        InputKind::Mermaid => {
            let mut block = plan::read_standalone(&input.display, &text, BlockKind::Mermaid);
            parse_mermaid(&mut block, &mut diagnostics);
            Document::File(block)
        }
        InputKind::Smithy | InputKind::SmithyJson => Document::File(plan::read_standalone(
            &input.display,
            &text,
            BlockKind::Smithy,
        )),
    };
    Ok((document, diagnostics))
}

/// Every smithy block of every plan (in plan and block order, each block inheriting the
/// namespace its predecessor in the plan ends in), then the standalone model files.
fn smithy_inputs(
    checked: &Checked,
    inputs: &[InputFile],
    idl_version: Option<smithy::ast::IdlVersion>,
) -> Vec<SmithyInput> {
    let mut result = Vec::new();
    for plan in &checked.plans {
        let mut namespace: Option<String> = None;
        for block in plan.blocks.iter().filter(|b| b.kind == BlockKind::Smithy) {
            let origin = IdlOrigin::MarkdownBlock {
                inherited_namespace: namespace.clone(),
                idl_version,
            };
            namespace = smithy::block_namespace(&block.source, namespace.as_deref());
            result.push(SmithyInput::Idl {
                source: block.source.clone(),
                origin,
            });
        }
    }
    let kinds: BTreeMap<&str, InputKind> = inputs
        .iter()
        .map(|i| (i.display.as_str(), i.kind))
        .collect();
    for file in &checked.files {
        let source = file.source.clone();
        match kinds.get(file.source.path.as_str()) {
            Some(InputKind::Smithy) => result.push(SmithyInput::Idl {
                source,
                origin: IdlOrigin::StandaloneFile,
            }),
            Some(InputKind::SmithyJson) => result.push(SmithyInput::JsonAst { source }),
            _ => {}
        }
    }
    result
}

/// Uses of a shape defined in one plan by the Smithy of another plan, for implied dependencies.
fn shape_uses(model: &smithy::Model, plans: &[Plan]) -> Vec<deps::ShapeUse> {
    let is_plan = |path: &str| {
        plans
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .is_ok()
    };
    let mut uses = Vec::new();
    for shape in model.shapes.values().filter(|s| is_plan(&s.location.path)) {
        for reference in shape.references() {
            let Some(target) = model.shapes.get(&reference.target) else {
                continue;
            };
            if target.location.path != shape.location.path && is_plan(&target.location.path) {
                uses.push(deps::ShapeUse {
                    from_plan: shape.location.path.clone(),
                    to_plan: target.location.path.clone(),
                    shape: target.id.clone(),
                    at: reference.location.span,
                    defined_at: target.location.span,
                });
            }
        }
    }
    uses.sort();
    uses
}

fn parse_mermaid(block: &mut Block, diagnostics: &mut Vec<Diagnostic>) {
    let parsed = mermaid::parse(&block.source);
    block.diagram = parsed.detected.map(|d| d.name().to_string());
    diagnostics.extend(parsed.diagnostics);
}
