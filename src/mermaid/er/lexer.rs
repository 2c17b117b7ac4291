//! The ER lexer: mermaid's first-match rules per mode (top level, attribute block, style list).

use super::*;
use crate::mermaid::jison_rules::{self as lex, is_js_space, is_js_word};

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
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
    pub(super) fn describe(self) -> &'static str {
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

pub(super) type Lexed<'a> = lex::Lexed<'a, Tok>;

/// Text of `rest` up to the first character `.` does not match in JavaScript.
pub(super) fn dot_run(rest: &str) -> &str {
    let end = rest
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The `direction` statement rule: from here, anything on the line, then `direction`,
/// whitespace (which may cross lines) and a direction; the token runs to the end of that line.
pub(super) fn direction_rule(rest: &str) -> Option<(Tok, usize)> {
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
pub(super) const CARDINALITY_WORDS: &[(&str, bool, Cardinality)] = &[
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

pub(super) const SYMBOL_RULES: &[(&str, bool, Tok)] = &[
    ("||", false, Tok::Card(Cardinality::OnlyOne)),
    ("o|", false, Tok::Card(Cardinality::ZeroOrOne)),
    ("o{", false, Tok::Card(Cardinality::ZeroOrMore)),
    ("|{", false, Tok::Card(Cardinality::OneOrMore)),
];

pub(super) const RELATION_RULES: &[(&str, bool, Tok)] = &[
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

pub(super) fn literal(rest: &str, word: &str, needs_boundary: bool) -> bool {
    lex::starts_with_ci(rest, word) && (!needs_boundary || lex::word_boundary_at(rest, word.len()))
}

/// One token of the top-level mode, whitespace skipped first. Returns the token and the rest.
pub(super) fn lex_top(input: &str) -> (Lexed<'_>, &str) {
    let mut rest = input;
    loop {
        let (tok, len) = top_rule(rest);
        if let Some(tok) = tok {
            return Lexed::split(tok, rest, len);
        }
        rest = &rest[len..];
    }
}

/// The first top-level rule matching at `rest`: `(None, n)` skips `n` bytes of whitespace.
pub(super) fn top_rule(rest: &str) -> (Option<Tok>, usize) {
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
pub(super) fn lex_block(input: &str) -> (Lexed<'_>, &str) {
    let rest = input.trim_start_matches(is_js_space);
    let (tok, len) = block_rule(rest);
    Lexed::split(tok, rest, len)
}

pub(super) fn block_rule(rest: &str) -> (Tok, usize) {
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
pub(super) fn tilde_word(rest: &str) -> Option<usize> {
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
pub(super) fn lex_style(input: &str) -> (Lexed<'_>, &str) {
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
            return Lexed::split(tok, rest, 0);
        }
        let newlines = rest.len() - rest.trim_start_matches('\n').len();
        if newlines > 0 {
            return Lexed::split(Tok::Newline, rest, newlines);
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
    Lexed::split(tok, rest, len)
}
