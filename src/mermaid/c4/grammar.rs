//! The C4 argument lists, as mermaid's lexer reads them.

use super::lexer::*;
use super::*;
use crate::mermaid::jison_rules::TextError;
use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, take_till, take_till1, take_while};
use nom::character::complete::char;
use nom::combinator::{map, opt, value};
use nom::multi::many_till;
use nom::sequence::{preceded, terminated};
use nom::{Err as NomErr, IResult, Parser};

// ---------------------------------------------------------------------------------------------
// Argument lists

pub(super) type Res<'a, T> = IResult<&'a str, T, TextError<'a>>;

/// A failure at the start of `rest`, a suffix of the text, showing its first `len` bytes.
pub(super) fn fail<'a, T>(rest: &'a str, len: usize, expected: &'static str) -> Res<'a, T> {
    Err(NomErr::Failure(TextError::in_text(
        rest,
        len,
        expected,
        len == 0,
    )))
}

/// A top-level token of kind `tok`.
pub(super) fn top<'a>(tok: Tok) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    move |input| {
        let (lexed, rest) = lex_top(input);
        if lexed.tok == tok {
            Ok((rest, lexed))
        } else {
            Err(NomErr::Error(TextError::at_token(
                &lexed,
                "another token",
                lexed.tok == Tok::Eof,
            )))
        }
    }
}

/// After a boundary's arguments: `{` and a line break, or a line break, `{` and an optional
/// line break.
pub(super) fn open_brace(input: &str) -> Res<'_, ()> {
    alt((
        map(
            (
                top(Tok::LBrace),
                expect(top(Tok::Newline), "a line break after `{`"),
            ),
            |_| (),
        ),
        map(
            (
                top(Tok::Newline),
                expect(top(Tok::LBrace), "`{` opening the boundary"),
                opt(top(Tok::Newline)),
            ),
            |_| (),
        ),
    ))
    .parse(input)
    .map_err(|e| match e {
        NomErr::Error(e) => {
            let at_end = e.at.at_end;
            NomErr::Failure(e.expecting("`{` opening the boundary", at_end))
        }
        other => other,
    })
}

/// Runs `parser`; a failure becomes "expected `what`" where the parser stopped, and commits.
pub(super) fn expect<'a, O>(
    mut parser: impl Parser<&'a str, Output = O, Error = TextError<'a>>,
    what: &'static str,
) -> impl FnMut(&'a str) -> Res<'a, O> {
    move |input| {
        parser.parse(input).map_err(|e| match e {
            NomErr::Error(e) | NomErr::Failure(e) => {
                let at_end = e.at.shown.is_empty();
                NomErr::Failure(e.expecting(what, at_end))
            }
            NomErr::Incomplete(n) => NomErr::Incomplete(n),
        })
    }
}

pub(super) fn spaces(input: &str) -> Res<'_, &str> {
    take_while(|c| c == ' ').parse(input)
}

pub(super) fn empty_argument() -> Argument {
    Argument::Positional(String::new())
}

/// `"text"` (trimmed); mermaid gives an unclosed string no end.
pub(super) fn quoted_argument(input: &str) -> Res<'_, Argument> {
    preceded(
        (spaces, char('"')),
        expect(
            terminated(take_till(|c| c == '"'), char('"')),
            "a closing `\"` for this string",
        ),
    )
    .map(|text: &str| Argument::Positional(text.trim().to_string()))
    .parse(input)
}

/// `$key="value"`: the key runs to `=`, the value must be non-empty.
pub(super) fn named_argument(input: &str) -> Res<'_, Argument> {
    preceded(
        (spaces, char('$')),
        (
            take_till(|c| c == '='),
            expect(
                (char('='), spaces, char('"')),
                "`=\"value\"` after the `$` name",
            ),
            expect(
                take_till1(|c| c == '"'),
                "a non-empty value for the `$` argument",
            ),
            expect(char('"'), "a closing `\"`"),
        ),
    )
    .map(|(key, _, value, _): (&str, _, &str, _)| Argument::Named {
        key: key.trim().to_string(),
        value: value.trim().to_string(),
    })
    .parse(input)
}

/// One item of an argument list; `None` for a separating comma.
pub(super) fn argument_item(input: &str) -> Res<'_, Option<Argument>> {
    alt((
        value(Some(empty_argument()), tag(",,")),
        value(None, char(',')),
        value(Some(empty_argument()), (spaces, tag("\"\""))),
        map(quoted_argument, Some),
        map(named_argument, Some),
        // A bare value runs to the next comma, whatever it crosses (`)` and line ends too).
        map(is_not(","), |text: &str| {
            Some(Argument::Positional(text.trim().to_string()))
        }),
    ))
    .parse(input)
}

/// The argument list right after a macro keyword: `(` with no blank before it, arguments, `)`.
/// The end of the text inside the list is an error: mermaid's lexer hands its parser an
/// internal end marker there, which no rule takes.
pub(super) fn arguments(input: &str) -> Res<'_, Vec<Argument>> {
    let (rest, _) = expect(char('('), "`(` right after the macro name")(input)?;
    let (rest, first_empty) = opt((spaces, char(','))).parse(rest)?;
    let (rest, (items, _)) = many_till(
        expect(argument_item, "`)` closing the argument list"),
        char(')'),
    )
    .parse(rest)?;
    let args: Vec<Argument> = first_empty
        .map(|_| empty_argument())
        .into_iter()
        .chain(items.into_iter().flatten())
        .collect();
    if args.is_empty() {
        let first = input.chars().next().map_or(0, char::len_utf8);
        return fail(input, first, "at least one argument");
    }
    Ok((rest, args))
}

/// Arguments matched to a macro's parameters: positional ones by position (the parameter list
/// is cut to its length, as JavaScript ignores extra arguments), named ones by their name.
pub(super) struct Bound {
    pub(super) values: Vec<(String, String)>,
}

impl Bound {
    pub(super) fn new(params: &[&str], args: &[Argument]) -> Bound {
        let mut values: Vec<(String, String)> = Vec::new();
        for (param, arg) in params.iter().zip(args) {
            let (key, value) = match arg {
                Argument::Positional(v) => (param.to_string(), v.clone()),
                Argument::Named { key, value } => (key.clone(), value.clone()),
            };
            match values.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => values.push((key, value)),
            }
        }
        Bound { values }
    }

    pub(super) fn get(&self, key: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// The values whose keys are not among `known`.
    pub(super) fn others(&self, known: &[&str]) -> Vec<(String, String)> {
        self.values
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

pub(super) const ELEMENT_PARAMS: &[&str] = &["alias", "label", "descr", "sprite", "tags", "link"];
pub(super) const CONTAINER_PARAMS: &[&str] =
    &["alias", "label", "techn", "descr", "sprite", "tags", "link"];
pub(super) const BOUNDARY_PARAMS: &[&str] = &["alias", "label", "type", "tags", "link"];
pub(super) const NODE_PARAMS: &[&str] =
    &["alias", "label", "type", "descr", "sprite", "tags", "link"];
pub(super) const REL_PARAMS: &[&str] = &[
    "from", "to", "label", "techn", "descr", "sprite", "tags", "link",
];
pub(super) const ELEMENT_STYLE_PARAMS: &[&str] = &[
    "elementName",
    "bgColor",
    "fontColor",
    "borderColor",
    "shadowing",
    "shape",
    "sprite",
    "techn",
    "legendText",
    "legendSprite",
];
pub(super) const REL_STYLE_PARAMS: &[&str] =
    &["from", "to", "textColor", "lineColor", "offsetX", "offsetY"];
