//! Smithy IDL 2.0 and 1.0: parser, semantic model, JSON AST output and input, name resolution
//! against a prelude shipped in the crate, and first-tier validation.
//!
//! [`load`] is the entry point: all smithy blocks of all plans, standalone `.smithy` files and
//! JSON AST files form one model. Each IDL text is parsed once ([`ParsedText::parse`]; `check`
//! does it per file, in parallel, and the block keeps the result) and handed to `load` as
//! [`SmithyInput::Parsed`]. A Markdown block without `namespace` continues the namespace of the
//! previous block of its plan: parse the blocks in order and pass [`ParsedText::namespace`] on
//! to the next block as [`IdlOrigin::MarkdownBlock::inherited_namespace`].

pub mod ast;
pub mod build;
pub mod diff;
pub mod json_ast;
pub mod lexeme;
pub mod model;
pub mod parser;
pub mod prelude;
pub mod root_cause;
pub mod selector;
pub mod shape_map;
pub mod sorted_map;
pub mod trait_creation;
pub mod upgrade;
pub mod validate;

use crate::diagnostic::{sort_diagnostics, Code, Diagnostic};
use crate::source::SourceText;
use ast::IdlVersion;
use build::{ParsedIdl, ParsedInput};
pub use model::{Location, Member, Model, Reference, RelationLists, Relations, Shape, TraitValue};
use parser::ParseOptions;
use rayon::prelude::*;
use std::sync::Arc;

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
    /// An IDL text parsed before, by [`ParsedText::parse`].
    Parsed(Arc<ParsedText>),
}

/// One IDL text, parsed once: the syntax tree, what parsing found, and whether the text is a
/// block of a plan (those are kept for `root_cause`).
#[derive(Debug)]
pub struct ParsedText {
    pub idl: Arc<ParsedIdl>,
    pub diagnostics: Vec<Diagnostic>,
    in_plan: bool,
    /// The namespace the text ends in: its own `namespace`, else the inherited one.
    namespace: Option<String>,
}

impl ParsedText {
    pub fn parse(source: SourceText, origin: &IdlOrigin) -> ParsedText {
        let options = origin.parse_options();
        let (file, diagnostics) = parser::parse_idl(&source, &options);
        let namespace = file.namespace.clone().or(options.inherited_namespace);
        ParsedText {
            idl: Arc::new(ParsedIdl { source, file }),
            diagnostics,
            in_plan: matches!(origin, IdlOrigin::MarkdownBlock { .. }),
            namespace,
        }
    }

    /// The namespace the text ends in, for the next block of the same plan to inherit.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }
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
    load_with(inputs, true)
}

/// [`load`], with or without validation (parsing and loading are always checked).
pub fn load_with(inputs: Vec<SmithyInput>, validate: bool) -> LoadedModel {
    build_model(inputs).validated(validate)
}

/// A model built from its inputs and not yet validated: the first half of [`load_with`], for a
/// caller that has work to do with the model while it is validated.
pub struct BuiltModel {
    pub model: Model,
    /// Parsing's and `use` statements' findings.
    diagnostics: Vec<Diagnostic>,
    /// The loader's findings, which validation sorts out with its own.
    loader_events: Vec<Diagnostic>,
    plan_blocks: Vec<root_cause::BlockCauses>,
    /// Whether the model has no blocks of plans (see [`BuiltModel::validated`]).
    staged: bool,
}

/// Parses every input (in parallel) and merges them into one model.
pub fn build_model(inputs: Vec<SmithyInput>) -> BuiltModel {
    let has_plan_blocks = inputs.iter().any(|i| match i {
        SmithyInput::Idl { origin, .. } => matches!(origin, IdlOrigin::MarkdownBlock { .. }),
        SmithyInput::Parsed(text) => text.in_plan,
        SmithyInput::JsonAst { .. } => false,
    });
    let parsed: Vec<(ParsedInput, Vec<Diagnostic>, Kept)> = inputs
        .into_par_iter()
        .map(|input| match input {
            SmithyInput::Idl { source, origin } => parsed_idl(&ParsedText::parse(source, &origin)),
            SmithyInput::Parsed(text) => parsed_idl(&text),
            SmithyInput::JsonAst { source } => {
                let mut diagnostics = Vec::new();
                let doc = json_ast::read_json_ast(&source, &mut diagnostics);
                (ParsedInput::Json(doc), diagnostics, Kept::Nothing)
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut inputs = Vec::with_capacity(parsed.len());
    let mut plan_blocks = Vec::new();
    let mut model_files = Vec::new();
    for (input, input_diagnostics, kept) in parsed {
        diagnostics.extend(input_diagnostics);
        match kept {
            Kept::PlanBlock(causes) => plan_blocks.push(causes),
            Kept::ModelFile(source, uses) => model_files.push((source, uses)),
            Kept::Nothing => {}
        }
        inputs.push(input);
    }
    // `build` lets each syntax tree go once it has made the tree's shapes (unless a caller
    // keeps it: the language server); what comes after needs only what `Kept` holds.
    let mut loader_events = Vec::new();
    let model = build::build(inputs, &mut loader_events);
    diagnostics.extend(undefined_uses(&model_files, &model));
    BuiltModel {
        model,
        diagnostics,
        loader_events,
        plan_blocks,
        staged: !has_plan_blocks,
    }
}

impl BuiltModel {
    /// Validates the model (unless `validate` is false) and sorts out the findings: the second
    /// half of [`load_with`].
    pub fn validated(self, validate: bool) -> LoadedModel {
        let BuiltModel {
            model,
            mut diagnostics,
            loader_events,
            plan_blocks,
            staged,
        } = self;
        // Standalone models are checked as `smithy validate` checks them: nothing after a loader
        // error, and validation in tiers that stop at the first ERROR. Plans go on validating, and
        // `root_cause` keeps one message per mistake.
        let loader_failed = has_loader_errors(&diagnostics) || has_loader_errors(&loader_events);
        // Malformed `suppressions` or `severityOverrides` metadata: an ERROR the reference has in
        // hand before its validators run (named `Model`, not a loader error of ours).
        let config_broken = loader_events.iter().any(|d| {
            d.severity == crate::diagnostic::Severity::Error && d.code.as_str() == "Model"
        });
        let mut events: Vec<validate::Event> = loader_events
            .into_iter()
            .map(validate::Event::about_the_model)
            .collect();
        // The plans' references are followed while the validators run: both only read the model.
        let (root_causes, validated) = rayon::join(
            || root_cause::RootCauses::find(&plan_blocks, &model),
            || {
                (validate && !(staged && loader_failed))
                    .then(|| validate::validate(&model, staged, config_broken))
            },
        );
        drop(plan_blocks);
        match validated {
            Some(validated) => events.extend(validated),
            // The reference's loader warns of `@enum` traits as it applies them.
            None if validate => events.extend(validate::enum_trait_deprecations(&model)),
            None => {}
        }
        diagnostics.extend(root_causes.one_message_per_mistake(&model, events));
        sort_diagnostics(&mut diagnostics);
        LoadedModel { model, diagnostics }
    }
}

/// The reference's warning for each `use` of a standalone model file that names no shape (in
/// plans the same mistake is an error, see `root_cause`).
fn undefined_uses(files: &[(SourceText, Vec<ast::ShapeRef>)], model: &Model) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (source, uses) in files {
        for used in uses.iter().filter(|u| !model.contains(&u.id)) {
            found.push(
                source
                    .diagnostic(
                        Code::UseOfUndefinedShape,
                        format!("Use statement refers to undefined shape: {}", used.id),
                        used.range.clone(),
                    )
                    .with_severity(crate::diagnostic::Severity::Warning),
            );
        }
    }
    found
}

/// What the loader keeps of an input's syntax tree for after the model is built.
enum Kept {
    /// A smithy block of a plan: what `root_cause` needs.
    PlanBlock(root_cause::BlockCauses),
    /// A standalone IDL file: its text and `use` statements.
    ModelFile(SourceText, Vec<ast::ShapeRef>),
    Nothing,
}

/// A parsed text as `build` takes it, with its diagnostics and what is kept of it.
fn parsed_idl(text: &ParsedText) -> (ParsedInput, Vec<Diagnostic>, Kept) {
    let kept = if text.in_plan {
        let broken = text
            .diagnostics
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error);
        Kept::PlanBlock(root_cause::BlockCauses::of(&text.idl, broken))
    } else {
        Kept::ModelFile(text.idl.source.clone(), text.idl.file.uses.clone())
    };
    (
        ParsedInput::Idl(Arc::clone(&text.idl)),
        text.diagnostics.clone(),
        kept,
    )
}

/// Whether parsing and loading found an error (an `SMY` code; the loader's DANGER
/// `SyntacticShapeIdTarget` does not count). The reference validates nothing after a loader
/// error, because further events "only obscure the root cause"; [`load`] follows it for models
/// made of standalone files and JSON ASTs (what `smithy validate` sees). A model with blocks of
/// plans is validated anyway: one broken block must not silence the other plans.
fn has_loader_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| {
        d.severity == crate::diagnostic::Severity::Error && d.code.as_str().starts_with("SMY")
    })
}
