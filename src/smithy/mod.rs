//! Smithy IDL 2.0 and 1.0: parser, semantic model, JSON AST output and input, name resolution
//! against a prelude shipped in the crate, and first-tier validation.
//!
//! [`load`] is the entry point: all smithy blocks of all plans, standalone `.smithy` files and
//! JSON AST files form one model. A Markdown block without `namespace` continues the namespace
//! of the previous block of its plan: call [`block_namespace`] on each block in order and pass
//! the result to the next block as [`IdlOrigin::MarkdownBlock::inherited_namespace`].

pub mod ast;
pub mod build;
pub mod json_ast;
pub mod lexeme;
pub mod model;
pub mod parser;
pub mod prelude;
pub mod root_cause;
pub mod selector;
pub mod trait_creation;
pub mod upgrade;
pub mod validate;

use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::source::SourceText;
use ast::IdlVersion;
use build::{ParsedIdl, ParsedInput};
pub use model::{Location, Member, Model, Reference, Relations, Shape, TraitValue};
use parser::ParseOptions;
use rayon::prelude::*;

/// One input of a model.
#[derive(Debug, Clone)]
pub enum SmithyInput {
    Idl {
        source: SourceText,
        origin: IdlOrigin,
    },
    JsonAst {
        source: SourceText,
    },
}

/// Where an IDL text comes from; it decides the defaults of `$version` and `namespace`.
#[derive(Debug, Clone)]
pub enum IdlOrigin {
    /// A `.smithy` file: without `$version` it is IDL 1.0.
    StandaloneFile,
    /// A fenced block of a plan: without `$version` it is IDL 2.0 (or `idl_version`, when the
    /// config sets one); without `namespace` it continues `inherited_namespace` (else that is
    /// an error).
    MarkdownBlock {
        inherited_namespace: Option<String>,
        idl_version: Option<IdlVersion>,
    },
}

impl IdlOrigin {
    fn parse_options(&self) -> ParseOptions {
        match self {
            IdlOrigin::StandaloneFile => ParseOptions {
                default_version: IdlVersion::V1,
                inherited_namespace: None,
            },
            IdlOrigin::MarkdownBlock {
                inherited_namespace,
                idl_version,
            } => ParseOptions {
                default_version: idl_version.unwrap_or(IdlVersion::V2),
                inherited_namespace: inherited_namespace.clone(),
            },
        }
    }
}

/// The model of a run and everything found wrong with it, in report order.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses every input (in parallel), merges them into one model, resolves names and validates.
pub fn load(inputs: Vec<SmithyInput>) -> LoadedModel {
    let has_plan_blocks = inputs.iter().any(|i| {
        matches!(
            i,
            SmithyInput::Idl {
                origin: IdlOrigin::MarkdownBlock { .. },
                ..
            }
        )
    });
    let parsed: Vec<(ParsedInput, Vec<Diagnostic>, Option<bool>)> = inputs
        .into_par_iter()
        .map(|input| match input {
            SmithyInput::Idl { source, origin } => {
                let (file, diagnostics) = parser::parse_idl(&source, &origin.parse_options());
                // Blocks of plans are kept for `root_cause`, with whether they failed to parse.
                let plan_block = matches!(origin, IdlOrigin::MarkdownBlock { .. }).then(|| {
                    diagnostics
                        .iter()
                        .any(|d| d.severity == crate::diagnostic::Severity::Error)
                });
                (
                    ParsedInput::Idl(ParsedIdl { source, file }),
                    diagnostics,
                    plan_block,
                )
            }
            SmithyInput::JsonAst { source } => {
                let mut diagnostics = Vec::new();
                let doc = json_ast::read_json_ast(&source, &mut diagnostics);
                (ParsedInput::Json(doc), diagnostics, None)
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut inputs = Vec::with_capacity(parsed.len());
    let mut plan_blocks = Vec::new();
    for (input, input_diagnostics, plan_block) in parsed {
        diagnostics.extend(input_diagnostics);
        if let (ParsedInput::Idl(p), Some(broken)) = (&input, plan_block) {
            let copy = ParsedIdl {
                source: p.source.clone(),
                file: p.file.clone(),
            };
            plan_blocks.push((copy, broken));
        }
        inputs.push(input);
    }
    let mut events = Vec::new();
    let model = build::build(inputs, &mut events);
    // Standalone models are checked as `smithy validate` checks them: nothing after a loader
    // error, and validation in tiers that stop at the first ERROR. Plans go on validating, and
    // `root_cause` keeps one message per mistake.
    let staged = !has_plan_blocks;
    let loader_failed = has_loader_errors(&diagnostics) || has_loader_errors(&events);
    if !(staged && loader_failed) {
        events.extend(validate::validate(&model, staged));
    }
    let texts: Vec<root_cause::IdlText> = plan_blocks
        .iter()
        .map(|(parsed, broken)| root_cause::IdlText {
            parsed,
            in_plan: true,
            broken: *broken,
        })
        .collect();
    diagnostics.extend(root_cause::one_message_per_mistake(&texts, &model, events));
    sort_diagnostics(&mut diagnostics);
    LoadedModel { model, diagnostics }
}

/// Whether parsing and loading found an error (an `SMY` code; the loader's DANGER
/// `SyntacticShapeIdTarget` does not count). The reference validates nothing after a loader
/// error, because further events "only obscure the root cause"; [`load`] follows it for models
/// made of standalone files and JSON ASTs (what `smithy validate` sees). A model with blocks of
/// plans is validated anyway: one broken block must not silence the other plans.
fn has_loader_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error && d.code.starts_with("SMY"))
}

/// The namespace a Markdown block ends in (its own `namespace`, else the inherited one), so
/// that the next block of the same plan can inherit it.
pub fn block_namespace(source: &SourceText, inherited_namespace: Option<&str>) -> Option<String> {
    let options = ParseOptions {
        default_version: IdlVersion::V2,
        inherited_namespace: inherited_namespace.map(str::to_string),
    };
    let (file, _) = parser::parse_idl(source, &options);
    file.namespace
        .or_else(|| inherited_namespace.map(str::to_string))
}
