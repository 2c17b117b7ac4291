//! Helpers the family test modules share: parsing a text as a whole block or with one family's
//! parser, picking out its diagnostics, and the robustness checks every family runs.

use crate::diagnostic::{Diagnostic, Severity};
use crate::mermaid::{parse, prepare, Diagram, ParsedDiagram, Prepared};
use crate::source::SourceText;
use proptest::test_runner::TestCaseError;

/// What one family's parser returns.
pub type FamilyResult<M> = (Option<M>, Vec<Diagnostic>);

/// A family's parser, as each family module exports it.
pub type FamilyParser<M> = fn(&Prepared) -> FamilyResult<M>;

fn source(text: &str) -> SourceText {
    SourceText::whole_file("t.mmd", text)
}

/// `text` parsed as a mermaid block: detection, preprocessing and the family's parser.
pub fn parse_text(text: &str) -> ParsedDiagram {
    parse(&source(text))
}

/// The model of `text` parsed as a block; `pick` takes it out of its family's variant.
pub fn block_model<M>(text: &str, pick: impl FnOnce(Diagram) -> Option<M>) -> M {
    let parsed = parse_text(text);
    match parsed.diagram.map(pick) {
        Some(Some(model)) => model,
        _ => panic!("not parsed as expected: {:?}", parsed.diagnostics),
    }
}

/// The errors (not warnings) of `text` parsed as a block.
pub fn block_errors(text: &str) -> Vec<Diagnostic> {
    parse_text(text)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The codes of every diagnostic of `text` parsed as a block.
pub fn block_codes(text: &str) -> Vec<String> {
    parse_text(text)
        .diagnostics
        .into_iter()
        .map(|d| d.code.to_string())
        .collect()
}

/// `text` prepared and read by one family's parser, without detection.
pub fn run_family<M>(text: &str, parser: FamilyParser<M>) -> FamilyResult<M> {
    parser(&prepare(&source(text)))
}

/// The model of a text that must parse without errors (warnings are allowed).
pub fn without_errors<M>((model, diagnostics): FamilyResult<M>) -> M {
    assert!(
        diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{diagnostics:?}"
    );
    model.expect("a model")
}

/// The first error among `diagnostics`.
pub fn first_error(diagnostics: Vec<Diagnostic>) -> Diagnostic {
    diagnostics
        .into_iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error")
}

/// `header`, then `depth` nested blocks opened by `open(level)` and closed by `close`, around
/// one statement.
pub fn nested(
    header: &str,
    depth: usize,
    open: impl Fn(usize) -> String,
    statement: &str,
    close: &str,
) -> String {
    let mut text = format!("{header}\n");
    for level in 0..depth {
        text.push_str(&open(level));
    }
    text.push_str(statement);
    text.push_str(&close.repeat(depth));
    text
}

/// [`diagnostics_are_placed`] for `header` and then the `pieces` picked (by index) from a
/// family's table of syntax pieces.
pub fn pieces_are_placed(
    header: &str,
    table: &[&str],
    pieces: &[usize],
) -> Result<(), TestCaseError> {
    let body: String = pieces.iter().map(|i| table[*i]).collect();
    diagnostics_are_placed(&format!("{header}\n{body}"))
}

/// Every diagnostic of `text` parsed as a block points inside the text, and no diagram fails
/// silently.
pub fn diagnostics_are_placed(text: &str) -> Result<(), TestCaseError> {
    let src = source(text);
    let parsed = parse(&src);
    let lines = src.text.lines().count() as u32 + 1;
    for d in &parsed.diagnostics {
        proptest::prop_assert!(d.span.line >= 1 && d.span.end_line <= lines, "{d:?}");
    }
    proptest::prop_assert_eq!(parsed.diagram.is_some(), parsed.is_valid());
    Ok(())
}
