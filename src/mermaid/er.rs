//! Entity-relationship diagrams (`erDiagram`).
//!
//! Mermaid's ER lexer decides tokens by the first rule that matches at the current position,
//! in a fixed order and depending on a mode (top level, attribute block, style list). That
//! order is what makes `123abc` two entity names and `one` a cardinality rather than a name,
//! so the token functions below follow it exactly; the grammar on top is nom combinators whose
//! terminals are those tokens. The grammar is in `grammars/mermaid-er.ebnf`.
//!
//! After a syntax error the parser goes on at the next line (or past the open attribute
//! block), so that one run reports every broken statement.

use super::jison_rules::{self as lex, is_js_space, is_js_word, SyntaxError};
use super::{DiagramGraph, GraphEdge, GraphNode, Prepared};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::SourceText;
use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::multi::{many0, many1};
use nom::sequence::{delimited, preceded};
use nom::{Err as NomErr, IResult, Parser};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// How many instances one side of a relationship allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Cardinality {
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
    OnlyOne,
    /// `u`: the parent of a master-detail relationship.
    MdParent,
}

impl Cardinality {
    pub fn as_str(self) -> &'static str {
        match self {
            Cardinality::ZeroOrOne => "ZERO_OR_ONE",
            Cardinality::ZeroOrMore => "ZERO_OR_MORE",
            Cardinality::OneOrMore => "ONE_OR_MORE",
            Cardinality::OnlyOne => "ONLY_ONE",
            Cardinality::MdParent => "MD_PARENT",
        }
    }
}

/// Whether the child's identity depends on the parent (`--`) or not (`..`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Identification {
    Identifying,
    NonIdentifying,
}

impl Identification {
    pub fn as_str(self) -> &'static str {
        match self {
            Identification::Identifying => "IDENTIFYING",
            Identification::NonIdentifying => "NON_IDENTIFYING",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    #[serde(rename = "type")]
    pub ty: String,
    pub name: String,
    /// `PK`, `FK`, `UK` as written (mermaid keeps their case).
    pub keys: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub name: String,
    /// The display name given with `NAME["alias"]`.
    pub alias: Option<String>,
    pub attributes: Vec<Attribute>,
    /// Classes given with `:::` or `class`.
    pub classes: Vec<String>,
    /// Inline styles given with `style`.
    pub styles: Vec<String>,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relationship {
    /// Index into [`ErDiagram::entities`] of the entity written first.
    pub from: usize,
    pub to: usize,
    pub label: String,
    /// Cardinality at the `from` end (written next to it).
    pub from_cardinality: Cardinality,
    /// Cardinality at the `to` end.
    pub to_cardinality: Cardinality,
    pub identification: Identification,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDef {
    pub name: String,
    pub styles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErDiagram {
    /// `TB` unless a `direction` statement says otherwise.
    pub direction: String,
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
    /// Entities in order of first mention.
    pub entities: Vec<Entity>,
    pub relationships: Vec<Relationship>,
    pub class_defs: Vec<ClassDef>,
}

impl ErDiagram {
    /// The id mermaid gives an entity's node: `entity-NAME-INDEX`.
    pub fn entity_id(&self, index: usize) -> String {
        format!("entity-{}-{index}", self.entities[index].name)
    }

    pub fn graph(&self) -> DiagramGraph {
        let mut view = DiagramGraph::default();
        let nodes: Vec<_> = self
            .entities
            .iter()
            .map(|e| {
                view.graph.add_node(GraphNode {
                    id: e.name.clone(),
                    label: e.alias.clone().unwrap_or_else(|| e.name.clone()),
                    kind: "entity".into(),
                    group: None,
                })
            })
            .collect();
        for r in &self.relationships {
            view.graph.add_edge(
                nodes[r.from],
                nodes[r.to],
                GraphEdge {
                    kind: format!(
                        "{}-{}-{}",
                        r.from_cardinality.as_str(),
                        r.identification.as_str(),
                        r.to_cardinality.as_str()
                    ),
                    label: r.label.clone(),
                },
            );
        }
        view
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Newline,
    EntityName,
    Word,
    ErDiagram,
    BlockStart,
    Brkt,
    Comma,
    StyleSeparator,
    Colon,
    Sqs,
    Sqe,
    Style,
    ClassDef,
    Class,
    Card(Cardinality),
    DecimalNum,
    EntityOne,
    Num,
    Rel(Identification),
    UnicodeText,
    AccTitle,
    AccDescr,
    AccDescrMultiline,
    Direction(&'static str),
    /// Any other single character.
    Char,
    // Inside `{ ... }`.
    AttributeKey,
    AttributeWord,
    Comment,
    BlockStop,
    // After `style` and `classDef`.
    StyleText,
    Semi,
    /// Text no rule of the style mode matches.
    Unrecognized,
    Eof,
}

impl Tok {
    fn describe(self) -> &'static str {
        match self {
            Tok::Newline => "a line break",
            Tok::EntityName => "a quoted name",
            Tok::Word => "a quoted text",
            Tok::ErDiagram => "`erDiagram`",
            Tok::BlockStart => "`{`",
            Tok::Brkt => "`#`",
            Tok::Comma => "`,`",
            Tok::StyleSeparator => "`:::`",
            Tok::Colon => "`:`",
            Tok::Sqs => "`[`",
            Tok::Sqe => "`]`",
            Tok::Style => "`style`",
            Tok::ClassDef => "`classDef`",
            Tok::Class => "`class`",
            Tok::Card(_) => "a cardinality",
            Tok::DecimalNum | Tok::Num | Tok::EntityOne => "a number",
            Tok::Rel(_) => "`--` or `..`",
            Tok::UnicodeText => "a name",
            Tok::AccTitle => "`accTitle:`",
            Tok::AccDescr => "`accDescr:`",
            Tok::AccDescrMultiline => "`accDescr {`",
            Tok::Direction(_) => "a direction statement",
            Tok::Char => "a character",
            Tok::AttributeKey => "an attribute key (PK, FK, UK)",
            Tok::AttributeWord => "an attribute type or name",
            Tok::Comment => "a quoted comment",
            Tok::BlockStop => "`}`",
            Tok::StyleText => "a style or class name",
            Tok::Semi => "`;`",
            Tok::Unrecognized => "unrecognised text",
            Tok::Eof => "the end of the diagram",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Lexed<'a> {
    tok: Tok,
    text: &'a str,
}

/// Text of `rest` up to the first character `.` does not match in JavaScript.
fn dot_run(rest: &str) -> &str {
    let end = rest
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The `direction` statement rule: from here, anything on the line, then `direction`,
/// whitespace (which may cross lines) and a direction; the token runs to the end of that line.
fn direction_rule(rest: &str) -> Option<(Tok, usize)> {
    if !lex::line_may_hold_direction(rest) {
        return None;
    }
    let line = dot_run(rest);
    for dir in ["TB", "BT", "RL", "LR"] {
        // `.*` is greedy: the last `direction` on the line that fits wins.
        let mut best = None;
        for (at, _) in line.char_indices() {
            if !lex::starts_with_ci(&line[at..], "direction") {
                continue;
            }
            let after = &rest[at + "direction".len()..];
            let spaces = after.len() - after.trim_start_matches(is_js_space).len();
            if spaces > 0 && lex::starts_with_ci(&after[spaces..], dir) {
                let value_end = at + "direction".len() + spaces + 2;
                let line_end = rest[value_end..]
                    .find('\n')
                    .map_or(rest.len(), |e| value_end + e);
                best = Some(line_end);
            }
        }
        if let Some(end) = best {
            return Some((Tok::Direction(dir), end));
        }
    }
    None
}

/// Keyword-like rules of the top level, in mermaid's order; `word` marks those that must not be
/// followed by a word character.
const CARDINALITY_WORDS: &[(&str, bool, Cardinality)] = &[
    ("one or zero", true, Cardinality::ZeroOrOne),
    ("one or more", true, Cardinality::OneOrMore),
    ("one or many", true, Cardinality::OneOrMore),
    ("1+", false, Cardinality::OneOrMore),
    ("|o", true, Cardinality::ZeroOrOne),
    ("zero or one", true, Cardinality::ZeroOrOne),
    ("zero or more", true, Cardinality::ZeroOrMore),
    ("zero or many", true, Cardinality::ZeroOrMore),
    ("0+", false, Cardinality::ZeroOrMore),
    ("}o", true, Cardinality::ZeroOrMore),
    ("many(0)", false, Cardinality::ZeroOrMore),
    ("many(1)", false, Cardinality::OneOrMore),
    ("many", true, Cardinality::ZeroOrMore),
    ("}|", false, Cardinality::OneOrMore),
    ("one", true, Cardinality::OnlyOne),
    ("only one", true, Cardinality::OnlyOne),
];

const SYMBOL_RULES: &[(&str, bool, Tok)] = &[
    ("||", false, Tok::Card(Cardinality::OnlyOne)),
    ("o|", false, Tok::Card(Cardinality::ZeroOrOne)),
    ("o{", false, Tok::Card(Cardinality::ZeroOrMore)),
    ("|{", false, Tok::Card(Cardinality::OneOrMore)),
];

const RELATION_RULES: &[(&str, bool, Tok)] = &[
    ("..", false, Tok::Rel(Identification::NonIdentifying)),
    ("--", false, Tok::Rel(Identification::Identifying)),
    ("to", true, Tok::Rel(Identification::Identifying)),
    (
        "optionally to",
        true,
        Tok::Rel(Identification::NonIdentifying),
    ),
    (".-", false, Tok::Rel(Identification::NonIdentifying)),
    ("-.", false, Tok::Rel(Identification::NonIdentifying)),
];

fn literal(rest: &str, word: &str, needs_boundary: bool) -> bool {
    lex::starts_with_ci(rest, word) && (!needs_boundary || lex::word_boundary_at(rest, word.len()))
}

/// One token of the top-level mode, whitespace skipped first. Returns the token and the rest.
fn lex_top(input: &str) -> (Lexed<'_>, &str) {
    let mut rest = input;
    loop {
        let (tok, len) = top_rule(rest);
        if let Some(tok) = tok {
            let (text, after) = rest.split_at(len);
            return (Lexed { tok, text }, after);
        }
        rest = &rest[len..];
    }
}

/// The first top-level rule matching at `rest`: `(None, n)` skips `n` bytes of whitespace.
fn top_rule(rest: &str) -> (Option<Tok>, usize) {
    if rest.is_empty() {
        return (Some(Tok::Eof), 0);
    }
    if let Some(len) = lex::acc_keyword(rest, "accTitle", ':', true) {
        return (Some(Tok::AccTitle), len);
    }
    if let Some(len) = lex::acc_keyword(rest, "accDescr", ':', true) {
        return (Some(Tok::AccDescr), len);
    }
    if let Some(len) = lex::acc_keyword(rest, "accDescr", '{', true) {
        return (Some(Tok::AccDescrMultiline), len);
    }
    if let Some((tok, len)) = direction_rule(rest) {
        return (Some(tok), len);
    }
    let newlines = rest.len() - rest.trim_start_matches('\n').len();
    if newlines > 0 {
        return (Some(Tok::Newline), newlines);
    }
    let spaces = rest.len() - rest.trim_start_matches(is_js_space).len();
    if spaces > 0 {
        return (None, spaces);
    }
    if let Some(len) = lex::quoted(rest, |c| {
        !matches!(c, '"' | '%' | '\r' | '\n' | '\u{0B}' | '\u{08}' | '\\')
    })
    .filter(|&l| l > 2)
    {
        return (Some(Tok::EntityName), len);
    }
    if let Some(len) = lex::quoted(rest, |c| c != '"') {
        return (Some(Tok::Word), len);
    }
    if literal(rest, "erDiagram", true) {
        return (Some(Tok::ErDiagram), "erDiagram".len());
    }
    for (text, tok) in [
        ("{", Tok::BlockStart),
        ("#", Tok::Brkt),
        (",", Tok::Comma),
        (":::", Tok::StyleSeparator),
        (":", Tok::Colon),
        ("[", Tok::Sqs),
        ("]", Tok::Sqe),
    ] {
        if rest.starts_with(text) {
            return (Some(tok), text.len());
        }
    }
    for (text, tok) in [
        ("style", Tok::Style),
        ("classDef", Tok::ClassDef),
        ("class", Tok::Class),
    ] {
        if literal(rest, text, true) {
            return (Some(tok), text.len());
        }
    }
    for &(text, boundary, card) in CARDINALITY_WORDS {
        if literal(rest, text, boundary) {
            return (Some(Tok::Card(card)), text.len());
        }
    }
    let digits = lex::ascii_digits(rest);
    if digits > 0 && rest[digits..].starts_with('.') {
        let fraction = lex::ascii_digits(&rest[digits + 1..]);
        if fraction > 0 {
            return (Some(Tok::DecimalNum), digits + 1 + fraction);
        }
    }
    if let Some(after_one) = rest.strip_prefix('1') {
        let gap = after_one.len() - after_one.trim_start_matches(is_js_space).len();
        let next = after_one[gap..].chars().next();
        let word_follows = gap > 0
            && next.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '"' | '\''));
        let digit_follows = gap > 0 && next.is_some_and(|c| c.is_ascii_digit());
        let relation_follows = ["--", "..", ".-", "-."]
            .iter()
            .any(|r| after_one.starts_with(r));
        if word_follows || digit_follows || relation_follows {
            return (Some(Tok::Card(Cardinality::OnlyOne)), 1);
        }
        if lex::word_boundary_at(rest, 1) {
            return (Some(Tok::EntityOne), 1);
        }
    }
    if digits > 0 {
        return (Some(Tok::Num), digits);
    }
    for &(text, boundary, tok) in SYMBOL_RULES {
        if literal(rest, text, boundary) {
            return (Some(tok), text.len());
        }
    }
    let mut chars = rest.chars();
    if matches!(chars.next(), Some('u' | 'U')) && matches!(chars.next(), Some('.' | '-' | '|')) {
        return (Some(Tok::Card(Cardinality::MdParent)), 1);
    }
    for &(text, boundary, tok) in RELATION_RULES {
        if literal(rest, text, boundary) {
            return (Some(tok), text.len());
        }
    }
    let text_len = lex::run_len(rest, |c| {
        !c.is_ascii() || is_js_word(c) || matches!(c, '-' | '*' | '.')
    });
    if text_len > 0 {
        return (Some(Tok::UnicodeText), text_len);
    }
    let first = rest.chars().next().map_or(0, char::len_utf8);
    (Some(Tok::Char), first)
}

/// One token inside an attribute block.
fn lex_block(input: &str) -> (Lexed<'_>, &str) {
    let rest = input.trim_start_matches(is_js_space);
    let (tok, len) = block_rule(rest);
    let (text, after) = rest.split_at(len);
    (Lexed { tok, text }, after)
}

fn block_rule(rest: &str) -> (Tok, usize) {
    if rest.is_empty() {
        return (Tok::Eof, 0);
    }
    for key in ["PK", "FK", "UK"] {
        if literal(rest, key, true) {
            return (Tok::AttributeKey, 2);
        }
    }
    if let Some(len) = tilde_word(rest) {
        return (Tok::AttributeWord, len);
    }
    let is_start = |c: char| c.is_ascii_alphabetic() || matches!(c, '*' | '_') || c >= '\u{C0}';
    let is_inner = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '-' | '_' | '[' | ']' | '(' | ')' | '*')
            || c >= '\u{C0}'
    };
    if rest.starts_with(is_start) {
        let first = rest.chars().next().map_or(0, char::len_utf8);
        return (
            Tok::AttributeWord,
            first + lex::run_len(&rest[first..], is_inner),
        );
    }
    if let Some(len) = lex::quoted(rest, |c| c != '"') {
        return (Tok::Comment, len);
    }
    if rest.starts_with('}') {
        return (Tok::BlockStop, 1);
    }
    (Tok::Char, rest.chars().next().map_or(0, char::len_utf8))
}

/// The rule for generic types: non-blanks, `~`, anything on the line, `~`, non-blanks. Both
/// stars are greedy, so the word ends after the line's last `~` and the blanks that follow.
fn tilde_word(rest: &str) -> Option<usize> {
    // Look at the line only when the word itself holds a `~`: keeps long lines linear.
    let leading = lex::run_len(rest, |c| !is_js_space(c));
    if !rest[..leading].contains('~') {
        return None;
    }
    let line = dot_run(rest);
    let last_tilde = line.rfind('~')?;
    // The first `~` must lie within the leading non-blank run and before the last one.
    let first_tilde = line[..leading.min(last_tilde)].rfind('~')?;
    if first_tilde >= last_tilde {
        return None;
    }
    let after = last_tilde + 1;
    Some(after + lex::run_len(&rest[after..], |c| !is_js_space(c)))
}

/// One token after `style` or `classDef`; `\s+` may run over line ends, as mermaid's does.
fn lex_style(input: &str) -> (Lexed<'_>, &str) {
    let mut rest = input;
    let mut skipped_blanks = false;
    loop {
        if rest.is_empty() {
            // Mermaid parses the text with a line break appended. Blanks before it swallow that
            // break too, and the style mode then meets the raw end, which no rule accepts.
            let tok = if skipped_blanks {
                Tok::Unrecognized
            } else {
                Tok::Eof
            };
            return (Lexed { tok, text: rest }, rest);
        }
        let newlines = rest.len() - rest.trim_start_matches('\n').len();
        if newlines > 0 {
            let (text, after) = rest.split_at(newlines);
            return (
                Lexed {
                    tok: Tok::Newline,
                    text,
                },
                after,
            );
        }
        let spaces = rest.len() - rest.trim_start_matches(is_js_space).len();
        if spaces == 0 {
            break;
        }
        skipped_blanks = true;
        rest = &rest[spaces..];
    }
    let (tok, len) = match rest.chars().next() {
        Some(':') => (Tok::Colon, 1),
        Some(',') => (Tok::Comma, 1),
        Some('#') => (Tok::Brkt, 1),
        Some(';') => (Tok::Semi, 1),
        _ => {
            let len = lex::run_len(rest, |c| {
                !c.is_ascii() || is_js_word(c) || matches!(c, '-' | '*')
            });
            if len > 0 {
                (Tok::StyleText, len)
            } else {
                (
                    Tok::Unrecognized,
                    rest.chars().next().map_or(0, char::len_utf8),
                )
            }
        }
    };
    let (text, after) = rest.split_at(len);
    (Lexed { tok, text }, after)
}

// ---------------------------------------------------------------------------------------------
// Grammar

type Res<'a, T> = IResult<&'a str, T, SyntaxError<'a>>;

#[derive(Clone, Copy)]
enum Mode {
    Top,
    Block,
    Style,
}

fn next(mode: Mode, input: &str) -> (Lexed<'_>, &str) {
    match mode {
        Mode::Top => lex_top(input),
        Mode::Block => lex_block(input),
        Mode::Style => lex_style(input),
    }
}

/// A terminal: the next token of `mode` when `accept` says so.
fn token<'a>(
    mode: Mode,
    accept: impl Fn(Tok) -> bool,
    expected: &'static str,
) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    move |input| {
        let (lexed, rest) = next(mode, input);
        if accept(lexed.tok) {
            Ok((rest, lexed))
        } else {
            Err(NomErr::Error(SyntaxError::new(
                lexed.text,
                expected,
                lexed.tok == Tok::Eof,
            )))
        }
    }
}

fn top<'a>(tok: Tok) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    token(Mode::Top, move |t| t == tok, tok.describe())
}

fn unquote(text: &str) -> String {
    text.replace('"', "")
}

fn entity_name(input: &str) -> Res<'_, Lexed<'_>> {
    token(
        Mode::Top,
        |t| {
            matches!(
                t,
                Tok::EntityName | Tok::UnicodeText | Tok::Num | Tok::DecimalNum | Tok::EntityOne
            )
        },
        "an entity name",
    )(input)
}

fn cardinality(input: &str) -> Res<'_, Cardinality> {
    let (rest, lexed) = token(
        Mode::Top,
        |t| matches!(t, Tok::Card(_)),
        "a cardinality (`||`, `|o`, `}o`, `}|`, `one or more`, ...)",
    )(input)?;
    match lexed.tok {
        Tok::Card(c) => Ok((rest, c)),
        _ => unreachable!("token() accepted only cardinalities"),
    }
}

fn identification(input: &str) -> Res<'_, Identification> {
    let (rest, lexed) = token(
        Mode::Top,
        |t| matches!(t, Tok::Rel(_)),
        "`--` (identifying) or `..` (non-identifying)",
    )(input)?;
    match lexed.tok {
        Tok::Rel(r) => Ok((rest, r)),
        _ => unreachable!("token() accepted only relation kinds"),
    }
}

/// `item {, item}`, a comma committing to another item.
fn comma_list<'a, T>(
    item: impl Fn(&'a str) -> Res<'a, T> + Copy,
    comma: impl Fn(&'a str) -> Res<'a, Lexed<'a>>,
) -> impl FnMut(&'a str) -> Res<'a, Vec<T>> {
    let mut list = (item, many0(preceded(comma, cut(item))));
    move |input| {
        let (rest, (first, more)) = list.parse(input)?;
        Ok((rest, std::iter::once(first).chain(more).collect()))
    }
}

fn style_comma(input: &str) -> Res<'_, Lexed<'_>> {
    token(Mode::Style, |t| t == Tok::Comma, "`,`")(input)
}

/// Class or entity names separated by commas (top level).
fn id_list(input: &str) -> Res<'_, Vec<Lexed<'_>>> {
    comma_list(|i| top(Tok::UnicodeText)(i), top(Tok::Comma))(input)
}

/// Class or entity names after `style` and `classDef`.
fn style_id_list(input: &str) -> Res<'_, Vec<Lexed<'_>>> {
    comma_list(
        |i| token(Mode::Style, |t| t == Tok::StyleText, "a name")(i),
        style_comma,
    )(input)
}

/// One style: its pieces (`fill`, `:`, `#`, `f9f`) joined.
fn style(input: &str) -> Res<'_, String> {
    let piece = token(
        Mode::Style,
        |t| matches!(t, Tok::StyleText | Tok::Colon | Tok::Brkt),
        "a style such as `fill:#f9f`",
    );
    map(many1(piece), |pieces| {
        pieces.iter().map(|p| p.text).collect()
    })
    .parse(input)
}

/// Styles separated by commas, then the end of the statement: `;`, a line break or the end.
/// After `;` the style mode lasts until the line break, so nothing else may follow on the line.
fn style_list(input: &str) -> Res<'_, Vec<String>> {
    let (rest, (styles, _)) = (
        comma_list(style, style_comma),
        alt((
            map(
                (
                    token(Mode::Style, |t| t == Tok::Semi, "`;`"),
                    cut(token(
                        Mode::Style,
                        |t| matches!(t, Tok::Newline | Tok::Eof),
                        "the end of the line after `;`",
                    )),
                ),
                |_| (),
            ),
            map(
                token(
                    Mode::Style,
                    |t| matches!(t, Tok::Newline | Tok::Eof),
                    "`,`, `;` or the end of the line",
                ),
                |_| (),
            ),
        )),
    )
        .parse(input)?;
    Ok((rest, styles))
}

/// One statement, as it appears in the model.
#[derive(Debug)]
enum Statement<'a> {
    Entity {
        name: Lexed<'a>,
        alias: Option<Lexed<'a>>,
        classes: Vec<Lexed<'a>>,
        block: Option<Vec<Attribute>>,
    },
    Relationship {
        from: Lexed<'a>,
        from_classes: Vec<Lexed<'a>>,
        spec: (Cardinality, Identification, Cardinality),
        to: Lexed<'a>,
        to_classes: Vec<Lexed<'a>>,
        label: String,
        end: &'a str,
    },
    AccTitle(String),
    AccDescr(String),
    Direction(&'static str),
    ClassDef(Vec<Lexed<'a>>, Vec<String>),
    Class(Vec<Lexed<'a>>, Vec<Lexed<'a>>),
    Style(Vec<Lexed<'a>>, Vec<String>),
    Blank,
}

fn class_suffix(input: &str) -> Res<'_, Vec<Lexed<'_>>> {
    preceded(top(Tok::StyleSeparator), cut(id_list)).parse(input)
}

/// A single-character token of the attribute block, such as the `,` between keys.
fn block_char<'a>(c: char, expected: &'static str) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    move |input| {
        let (lexed, rest) = lex_block(input);
        if lexed.tok == Tok::Char && lexed.text.starts_with(c) {
            Ok((rest, lexed))
        } else {
            Err(NomErr::Error(SyntaxError::new(
                lexed.text,
                expected,
                lexed.tok == Tok::Eof,
            )))
        }
    }
}

/// `type name [key {, key}] ["comment"]`.
fn attribute(input: &str) -> Res<'_, Attribute> {
    let word = |what| token(Mode::Block, |t| t == Tok::AttributeWord, what);
    let key = || token(Mode::Block, |t| t == Tok::AttributeKey, "PK, FK or UK");
    let (rest, (ty, name, keys, comment)) = (
        word("an attribute type"),
        cut(word("an attribute name")),
        opt((key(), many0(preceded(block_char(',', "`,`"), cut(key()))))),
        opt(token(Mode::Block, |t| t == Tok::Comment, "a comment")),
    )
        .parse(input)?;
    let keys = keys
        .map(|(first, more)| {
            std::iter::once(first)
                .chain(more)
                .map(|k| k.text.to_string())
                .collect()
        })
        .unwrap_or_default();
    Ok((
        rest,
        Attribute {
            ty: ty.text.to_string(),
            name: name.text.to_string(),
            keys,
            comment: comment.map(|c| unquote(c.text)).filter(|c| !c.is_empty()),
        },
    ))
}

fn block(input: &str) -> Res<'_, Vec<Attribute>> {
    preceded(
        top(Tok::BlockStart),
        cut(|i| {
            let (rest, attributes) = many0(attribute).parse(i)?;
            let (rest, _) = token(
                Mode::Block,
                |t| t == Tok::BlockStop,
                "an attribute (type then name) or `}`",
            )(rest)?;
            Ok((rest, attributes))
        }),
    )
    .parse(input)
}

/// What follows the first entity of a relationship: spec, second entity, its classes, label.
type RelationshipTail<'a> = (
    (Cardinality, Identification, Cardinality),
    Lexed<'a>,
    Vec<Lexed<'a>>,
    String,
);

fn relationship_tail<'a>(input: &'a str) -> Res<'a, RelationshipTail<'a>> {
    let (rest, left) = cardinality(input)?;
    cut(move |i: &'a str| {
        let (rest, kind) = identification(i)?;
        let (rest, right) = cardinality(rest)?;
        let (rest, to) = entity_name(rest)?;
        let (rest, to_classes) = opt(class_suffix).parse(rest)?;
        let (rest, _) = top(Tok::Colon)(rest)?;
        let (rest, label) = token(
            Mode::Top,
            |t| matches!(t, Tok::Word | Tok::EntityName | Tok::UnicodeText),
            "a relationship label (a word or a quoted text)",
        )(rest)?;
        let label = if label.tok == Tok::UnicodeText {
            label.text.to_string()
        } else {
            unquote(label.text)
        };
        Ok((
            rest,
            (
                (left, kind, right),
                to,
                to_classes.unwrap_or_default(),
                label,
            ),
        ))
    })
    .parse(rest)
}

fn entity_statement(input: &str) -> Res<'_, Statement<'_>> {
    let (rest, name) = entity_name(input)?;
    let (rest, alias) = opt(delimited(
        top(Tok::Sqs),
        cut(entity_name),
        cut(top(Tok::Sqe)),
    ))
    .parse(rest)?;
    let (rest, classes) = opt(class_suffix).parse(rest)?;
    let classes = classes.unwrap_or_default();
    if alias.is_none() {
        if let (after, Some((spec, to, to_classes, label))) = opt(relationship_tail).parse(rest)? {
            return Ok((
                after,
                Statement::Relationship {
                    from: name,
                    from_classes: classes,
                    spec,
                    to,
                    to_classes,
                    label,
                    end: after,
                },
            ));
        }
    }
    let (rest, block) = opt(block).parse(rest)?;
    Ok((
        rest,
        Statement::Entity {
            name,
            alias,
            classes,
            block,
        },
    ))
}

/// Text up to the end of the line, trimmed (accessibility values).
fn rest_of_line(input: &str) -> (&str, String) {
    let end = input.find('\n').unwrap_or(input.len());
    (&input[end..], input[..end].trim().to_string())
}

fn accessibility(input: &str) -> Res<'_, Statement<'_>> {
    let (rest, lexed) = token(
        Mode::Top,
        |t| matches!(t, Tok::AccTitle | Tok::AccDescr | Tok::AccDescrMultiline),
        "an accessibility statement",
    )(input)?;
    Ok(match lexed.tok {
        Tok::AccTitle => {
            let (rest, value) = rest_of_line(rest);
            (rest, Statement::AccTitle(value))
        }
        Tok::AccDescr => {
            let (rest, value) = rest_of_line(rest);
            (rest, Statement::AccDescr(value))
        }
        _ => {
            let Some(end) = rest.find('}') else {
                return Err(NomErr::Failure(SyntaxError::new(
                    &rest[rest.len()..],
                    "`}` closing `accDescr {`",
                    true,
                )));
            };
            let value = rest[..end].trim().to_string();
            (&rest[end + 1..], Statement::AccDescr(value))
        }
    })
}

fn statement(input: &str) -> Res<'_, Statement<'_>> {
    alt((
        map(top(Tok::Newline), |_| Statement::Blank),
        accessibility,
        map(
            token(Mode::Top, |t| matches!(t, Tok::Direction(_)), "a direction"),
            |l| match l.tok {
                Tok::Direction(d) => Statement::Direction(d),
                _ => unreachable!("token() accepted only directions"),
            },
        ),
        map(
            preceded(top(Tok::ClassDef), cut((style_id_list, style_list))),
            |(ids, styles)| Statement::ClassDef(ids, styles),
        ),
        map(
            preceded(top(Tok::Style), cut((style_id_list, style_list))),
            |(ids, styles)| Statement::Style(ids, styles),
        ),
        map(
            preceded(top(Tok::Class), cut((id_list, id_list))),
            |(ids, classes)| Statement::Class(ids, classes),
        ),
        entity_statement,
    ))
    .parse(input)
}

// ---------------------------------------------------------------------------------------------
// Building the model

struct Builder<'s> {
    base: usize,
    diagram: ErDiagram,
    index: HashMap<String, usize>,
    class_uses: Vec<(String, Range<usize>)>,
    style_targets: Vec<(String, Range<usize>)>,
    /// `title` lines, which mermaid's ER grammar reads as entity names.
    title_lines: Vec<Range<usize>>,
    src: &'s SourceText,
}

impl Builder<'_> {
    fn range(&self, text: &str) -> Range<usize> {
        let start = text.as_ptr() as usize - self.base;
        start..start + text.len()
    }

    fn entity_name(lexed: &Lexed) -> String {
        if lexed.tok == Tok::EntityName {
            unquote(lexed.text)
        } else {
            lexed.text.to_string()
        }
    }

    fn add_entity(&mut self, lexed: &Lexed, alias: Option<String>) -> usize {
        let name = Self::entity_name(lexed);
        if let Some(&i) = self.index.get(&name) {
            let entity = &mut self.diagram.entities[i];
            if entity.alias.is_none() {
                entity.alias = alias;
            }
            return i;
        }
        let range = self.range(lexed.text);
        self.diagram.entities.push(Entity {
            name: name.clone(),
            alias,
            attributes: Vec::new(),
            classes: Vec::new(),
            styles: Vec::new(),
            range,
        });
        self.index.insert(name, self.diagram.entities.len() - 1);
        self.diagram.entities.len() - 1
    }

    fn set_classes(&mut self, entity: usize, classes: &[Lexed]) {
        for class in classes {
            let range = self.range(class.text);
            self.class_uses.push((class.text.to_string(), range));
            self.diagram.entities[entity]
                .classes
                .push(class.text.to_string());
        }
    }

    fn apply(&mut self, statement: Statement, start: &str) {
        match statement {
            Statement::Entity {
                name,
                alias,
                classes,
                block,
            } => {
                if name.tok == Tok::UnicodeText && name.text.eq_ignore_ascii_case("title") {
                    let range = self.range(name.text);
                    self.title_lines.push(range);
                }
                let alias = alias.map(|a| Self::entity_name(&a));
                let i = self.add_entity(&name, alias);
                if let Some(attributes) = block {
                    self.diagram.entities[i].attributes.extend(attributes);
                }
                self.set_classes(i, &classes);
            }
            Statement::Relationship {
                from,
                from_classes,
                spec,
                to,
                to_classes,
                label,
                end,
            } => {
                let a = self.add_entity(&from, None);
                let b = self.add_entity(&to, None);
                let begin = self.range(start).start;
                let finish = self.range(end).start;
                self.diagram.relationships.push(Relationship {
                    from: a,
                    to: b,
                    label,
                    from_cardinality: spec.0,
                    identification: spec.1,
                    to_cardinality: spec.2,
                    range: begin..finish,
                });
                self.set_classes(a, &from_classes);
                self.set_classes(b, &to_classes);
            }
            Statement::AccTitle(t) => self.diagram.acc_title = Some(t),
            Statement::AccDescr(d) => self.diagram.acc_descr = Some(d),
            Statement::Direction(d) => self.diagram.direction = d.to_string(),
            Statement::ClassDef(ids, styles) => {
                for id in ids {
                    match self
                        .diagram
                        .class_defs
                        .iter_mut()
                        .find(|c| c.name == id.text)
                    {
                        Some(class) => class.styles.extend(styles.iter().cloned()),
                        None => self.diagram.class_defs.push(ClassDef {
                            name: id.text.to_string(),
                            styles: styles.clone(),
                        }),
                    }
                }
            }
            Statement::Class(ids, classes) => {
                for id in ids {
                    match self.index.get(id.text).copied() {
                        Some(i) => self.set_classes(i, &classes),
                        None => {
                            let range = self.range(id.text);
                            self.style_targets.push((id.text.to_string(), range));
                        }
                    }
                }
            }
            Statement::Style(ids, styles) => {
                for id in ids {
                    match self.index.get(id.text).copied() {
                        Some(i) => self.diagram.entities[i].styles.extend(styles.clone()),
                        None => {
                            let range = self.range(id.text);
                            self.style_targets.push((id.text.to_string(), range));
                        }
                    }
                }
            }
            Statement::Blank => {}
        }
    }

    /// Our own checks: mermaid ignores these silently.
    fn warnings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for range in &self.title_lines {
            out.push(
                self.src
                    .diagnostic(
                        Code::ErTitleReadAsEntities,
                        "`title` is not an ER statement: mermaid reads it and the words after it as entities",
                        range.clone(),
                    )
                    .with_help("give the title in front matter: ---\ntitle: ...\n---"),
            );
        }
        for (name, range) in &self.style_targets {
            out.push(
                self.src
                    .diagnostic(
                        Code::ErStyleOnMissingEntity,
                        format!("`{name}` is not an entity defined above; mermaid ignores this style or class"),
                        range.clone(),
                    )
                    .with_help("style and class statements apply only to entities already named"),
            );
        }
        let defined: HashSet<&str> = self
            .diagram
            .class_defs
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let mut reported = HashSet::new();
        for (class, range) in &self.class_uses {
            if !defined.contains(class.as_str()) && reported.insert(class.as_str()) {
                out.push(self.src.diagnostic(
                    Code::ErClassUndefined,
                    format!("class `{class}` has no `classDef`"),
                    range.clone(),
                ));
            }
        }
        out
    }
}

/// Parses an `erDiagram` (see the module documentation).
pub fn parse(src: &SourceText, prepared: &Prepared) -> (Option<ErDiagram>, Vec<Diagnostic>) {
    // Mermaid turns CR LF and lone CR into LF before parsing; two LFs keep our offsets.
    let normalized = prepared.text.replace('\r', "\n");
    let text = normalized.as_str();
    lex::reset_direction_memo();
    let base = text.as_ptr() as usize;
    let keyword = &text[prepared.keyword.clone()];
    let after_keyword = &text[prepared.keyword.end..];
    let mut builder = Builder {
        base,
        diagram: ErDiagram {
            direction: "TB".into(),
            acc_title: None,
            acc_descr: None,
            entities: Vec::new(),
            relationships: Vec::new(),
            class_defs: Vec::new(),
        },
        index: HashMap::new(),
        class_uses: Vec::new(),
        style_targets: Vec::new(),
        title_lines: Vec::new(),
        src,
    };
    if !lex::word_boundary_at(&text[prepared.keyword.start..], keyword.len()) {
        let d = src.diagnostic(
            Code::ErSyntax,
            "expected `erDiagram` followed by a space or a line break",
            prepared.keyword.start..prepared.keyword.end + 1,
        );
        return (None, vec![d]);
    }

    let mut rest = after_keyword;
    let mut previous_was_entity = false;
    let mut errors = Vec::new();
    loop {
        let (lexed, _) = lex_top(rest);
        if lexed.tok == Tok::Eof {
            break;
        }
        match statement(rest) {
            Ok((after, st)) => {
                let is_blank = matches!(st, Statement::Blank);
                if !is_blank {
                    previous_was_entity = matches!(st, Statement::Entity { block: None, .. });
                }
                builder.apply(st, rest);
                rest = after;
            }
            Err(NomErr::Error(e)) | Err(NomErr::Failure(e)) => {
                let e = if e.at.as_ptr() as usize <= lexed.text.as_ptr() as usize {
                    // Nothing of a statement matched: say what may come here.
                    let expected = if previous_was_entity {
                        "a statement, or after an entity name a cardinality (`||`, `}o`, ...), `{`, `[` or `:::`"
                    } else {
                        "a statement (an entity, a relationship, classDef, class, style, direction, accTitle or accDescr)"
                    };
                    SyntaxError::new(lexed.text, expected, false)
                } else {
                    e
                };
                errors.push(e.diagnostic(src, base, Code::ErSyntax));
                if errors.len() == MAX_ERRORS {
                    break;
                }
                rest = resume_after_error(rest, e.at);
                previous_was_entity = false;
            }
            Err(NomErr::Incomplete(_)) => unreachable!("complete input only"),
        }
    }
    if !errors.is_empty() {
        return (None, errors);
    }
    let warnings = builder.warnings();
    (Some(builder.diagram), warnings)
}

/// Syntax errors reported per diagram before giving up.
const MAX_ERRORS: usize = 20;

/// Where to go on after a syntax error at `at` in the statement starting at `statement`: past
/// the `}` of an attribute block the statement opened, else at the next line. Always moves on.
fn resume_after_error<'a>(statement: &'a str, at: &'a str) -> &'a str {
    let error_offset = (at.as_ptr() as usize - statement.as_ptr() as usize).min(statement.len());
    // Did the statement open a block before the error? Its tokens up to `{` are top-level ones.
    let mut in_block = false;
    let mut scan = statement;
    while statement.len() - scan.len() < error_offset {
        let (lexed, after) = lex_top(scan);
        if lexed.tok == Tok::Eof || after.len() == scan.len() {
            break;
        }
        if lexed.tok == Tok::BlockStart {
            in_block = statement.len() - after.len() <= error_offset;
            break;
        }
        scan = after;
    }
    let from = &statement[error_offset..];
    let skip = if in_block {
        from.find('}').map_or(from.len(), |close| close + 1)
    } else {
        from.find('\n').map_or(from.len(), |line_end| line_end + 1)
    };
    let next = &from[skip..];
    if next.len() == statement.len() {
        // The error was at the statement's very start on an empty skip: take one character.
        let first = statement.chars().next().map_or(0, char::len_utf8);
        &statement[first..]
    } else {
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mermaid::test_support::{run_family, without_errors, FamilyResult};

    fn run(text: &str) -> FamilyResult<ErDiagram> {
        run_family(text, parse)
    }

    fn ok(text: &str) -> ErDiagram {
        without_errors(run(text))
    }

    #[test]
    fn keywords_need_word_ends_and_rules_come_first() {
        // Numbers are lexed before names: `123abc` is two entities, as in mermaid.
        let d = ok("erDiagram\nA ||--o{ B : has\n123abc\n");
        let names: Vec<_> = d.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "123", "abc"]);
        let r = &d.relationships[0];
        assert_eq!(r.from_cardinality, Cardinality::OnlyOne);
        assert_eq!(r.to_cardinality, Cardinality::ZeroOrMore);
        assert_eq!(r.identification, Identification::Identifying);
    }

    #[test]
    fn word_cardinalities_and_aliases() {
        let d = ok("erDiagram\n  p[\"Person\"] {\n string name PK, FK \"the name\"\n }\n  p one or more optionally to zero or one q : \"owns\"\n");
        assert_eq!(d.entities[0].alias.as_deref(), Some("Person"));
        assert_eq!(d.entities[0].attributes[0].keys, ["PK", "FK"]);
        assert_eq!(
            d.entities[0].attributes[0].comment.as_deref(),
            Some("the name")
        );
        let r = &d.relationships[0];
        assert_eq!(r.identification, Identification::NonIdentifying);
        assert_eq!(
            (r.from_cardinality, r.to_cardinality),
            (Cardinality::OneOrMore, Cardinality::ZeroOrOne)
        );
    }

    #[test]
    fn generic_attribute_types() {
        let d = ok("erDiagram\nA {\n  List~int~ ids\n  string(99) name\n}\n");
        assert_eq!(d.entities[0].attributes[0].ty, "List~int~");
        assert_eq!(d.entities[0].attributes[1].ty, "string(99)");
    }

    #[test]
    fn error_position_and_expectation() {
        let (d, diags) = run("erDiagram\n  A ||--o{ B\n");
        assert!(d.is_none());
        assert_eq!(diags[0].code, "MMD401");
        assert_eq!((diags[0].span.line, diags[0].span.column), (2, 13));
        assert!(diags[0].message.contains("`:`"), "{}", diags[0].message);
        let (_, diags) = run("erDiagram\nA : has\n");
        assert_eq!((diags[0].span.line, diags[0].span.column), (2, 3));
    }

    #[test]
    fn errors_on_several_lines_are_all_reported() {
        let (d, diags) =
            run("erDiagram\n  A ||--o{ B\n  C {\n    int\n  }\n  D ||..|| E : ok\n  F : x\n");
        assert!(d.is_none());
        let lines: Vec<_> = diags.iter().map(|d| d.span.line).collect();
        assert_eq!(lines, [2, 5, 7]);
    }

    #[test]
    fn style_statements_and_warnings() {
        let d = ok(
            "erDiagram\nA\nclassDef hot fill:#f96, stroke: red\nclass A hot\nstyle A color:red\n",
        );
        assert_eq!(d.class_defs[0].styles, ["fill:#f96", "stroke:red"]);
        assert_eq!(d.entities[0].classes, ["hot"]);
        let (_, diags) = run("erDiagram\nA:::cold\nstyle B fill:#fff\n");
        let codes: Vec<_> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD402", "MMD403"]);
        let (d, diags) = run("erDiagram\ntitle Orders\n");
        assert_eq!(d.unwrap().entities.len(), 2);
        assert_eq!(diags[0].code, "MMD404");
        // Style lists accept no `.`: mermaid rejects this.
        assert!(run("erDiagram\nA\nstyle A stroke-width:2.5px\n")
            .0
            .is_none());
    }

    #[test]
    fn crlf_line_ends_like_mermaid() {
        // Mermaid turns CR LF into LF first, so the style list ends at the line break.
        let d = ok("erDiagram\r\n  A\r\n  style A fill:#f9f\r\n  B ||--o{ A : has\r\n");
        assert_eq!(d.entities.len(), 2);
        assert_eq!(d.entities[0].styles, ["fill:#f9f"]);
        // Blanks before the line break let the style list run on, in mermaid too.
        assert!(run("erDiagram\nA\nstyle A fill:#f9f \nB ||--o{ A : has\n")
            .0
            .is_none());
    }

    #[test]
    fn direction_and_accessibility() {
        let d = ok("erDiagram\ndirection LR\naccTitle: Orders\naccDescr {\n  two\n  lines\n}\nA\n");
        assert_eq!(d.direction, "LR");
        assert_eq!(d.acc_title.as_deref(), Some("Orders"));
        assert_eq!(d.acc_descr.as_deref(), Some("two\n  lines"));
    }

    #[test]
    fn long_lines_stay_linear() {
        // One line of many tokens: the per-token `direction` look-up must not rescan the line.
        let line = "A ".repeat(30_000);
        let d = ok(&format!("erDiagram\n{line}\n"));
        assert_eq!(d.entities.len(), 1);
        let block = format!("erDiagram\nA {{\n{}}}\n", "int x ".repeat(20_000));
        assert_eq!(ok(&block).entities[0].attributes.len(), 20_000);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "erDiagram", "\n", " ", "\r\n", "A", "\"q\"", "\"", "{", "}", "[", "]", ":", ":::",
            "||", "|o", "}o", "o{", "|{", "}|", "--", "..", "to", "one or more", "1", "2.5", "u",
            "PK", "FK,", "~", "string", "é", "😀", "style", "classDef", "class", "fill:#f9f", ";",
            ",", "direction LR", "accTitle:", "accDescr {", "%%", "#",
        ]), 0..40)) {
            let text = pieces.concat();
            let _ = run(&text);
            let _ = run(&format!("erDiagram\n{text}"));
        }
    }

    #[test]
    fn snapshot() {
        let d = ok("erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  ORDER ||--|{ LINE-ITEM : contains\n  CUSTOMER }|..|{ DELIVERY-ADDRESS : uses\n  ORDER {\n    int orderNumber PK\n    string deliveryAddress \"where to\"\n  }\n");
        insta::assert_json_snapshot!(d);
    }
}
