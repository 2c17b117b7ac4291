//! Pieces shared by the token functions of the ER and C4 parsers, which follow the lexing rules
//! of mermaid's generated lexers: JavaScript's idea of whitespace and word characters,
//! case-insensitive keywords that must end at a word boundary, and a nom error that remembers
//! the offending token and what was expected there.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceText;
use nom::error::{ErrorKind, ParseError};
use std::cell::Cell;

/// JavaScript's `\s`.
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// JavaScript's `\w` (ASCII only).
pub fn is_js_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` starts with `word`, ignoring ASCII case.
pub fn starts_with_ci(text: &str, word: &str) -> bool {
    text.len() >= word.len() && text.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
}

/// Whether `text` contains `word`, ignoring ASCII case.
pub fn contains_ci(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

thread_local! {
    /// Addresses `[start, end)` of text known to hold no `direction` before its line end.
    static NO_DIRECTION: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Forgets what [`line_may_hold_direction`] learnt; each parse starts with this, as the memo is
/// keyed by address.
pub fn reset_direction_memo() {
    NO_DIRECTION.with(|m| m.set((0, 0)));
}

/// Whether the rest of the line from `rest` (up to `\n`, `\r`, U+2028 or U+2029) contains
/// `direction` in any case. Mermaid's lexers try their `.*direction` rule at every token; a
/// failed look-up holds for every later token of the same line, so it is remembered, which keeps
/// a long line from being scanned once per token.
pub fn line_may_hold_direction(rest: &str) -> bool {
    let at = rest.as_ptr() as usize;
    let (start, end) = NO_DIRECTION.with(Cell::get);
    if start <= at && at < end {
        return false;
    }
    let line_end = rest
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .unwrap_or(rest.len());
    if contains_ci(&rest[..line_end], "direction") {
        return true;
    }
    NO_DIRECTION.with(|m| m.set((at, at + line_end.max(1))));
    false
}

/// JavaScript's `\b` at byte `at` of `text`, where `text` starts at the token's first character
/// (the lexer sees no character before it).
pub fn word_boundary_at(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back().is_some_and(is_js_word);
    let after = text[at..].chars().next().is_some_and(is_js_word);
    before != after
}

/// Length in bytes of the leading run of characters satisfying `pred`.
pub fn run_len(text: &str, pred: impl Fn(char) -> bool) -> usize {
    text.find(|c| !pred(c)).unwrap_or(text.len())
}

pub fn ascii_digits(text: &str) -> usize {
    run_len(text, |c| c.is_ascii_digit())
}

/// `"` then characters satisfying `inner` then `"`: the length including both quotes.
pub fn quoted(text: &str, inner: impl Fn(char) -> bool) -> Option<usize> {
    let body = text.strip_prefix('"')?;
    let len = run_len(body, inner);
    body[len..].starts_with('"').then_some(len + 2)
}

/// `keyword\s*punct\s*`: the accessibility openers. `ignore_case` follows the lexer's
/// `case-insensitive` option (the ER lexer has it, the C4 lexer not).
pub fn acc_keyword(text: &str, keyword: &str, punct: char, ignore_case: bool) -> Option<usize> {
    let matches = if ignore_case {
        starts_with_ci(text, keyword)
    } else {
        text.starts_with(keyword)
    };
    if !matches {
        return None;
    }
    let after = &text[keyword.len()..];
    let gap = run_len(after, is_js_space);
    let after_punct = after[gap..].strip_prefix(punct)?;
    let trailing = run_len(after_punct, is_js_space);
    Some(keyword.len() + gap + punct.len_utf8() + trailing)
}

/// A syntax error at a token: the token's text (a slice of the parsed text, empty at the end)
/// and what the grammar would have accepted there.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError<'a> {
    pub at: &'a str,
    pub expected: Vec<&'static str>,
    pub at_end: bool,
}

impl<'a> SyntaxError<'a> {
    pub fn new(at: &'a str, expected: &'static str, at_end: bool) -> Self {
        SyntaxError {
            at,
            expected: vec![expected],
            at_end,
        }
    }

    /// The diagnostic, positioned at the token; `base` is the address of the parsed text.
    pub fn diagnostic(&self, src: &SourceText, base: usize, code: &str) -> Diagnostic {
        let start = (self.at.as_ptr() as usize).saturating_sub(base);
        let found = if self.at_end || self.at.is_empty() {
            "the end of the diagram".to_string()
        } else if self.at.starts_with('\n') {
            "a line break".to_string()
        } else {
            let shown: String = self.at.chars().take(40).collect();
            format!("`{shown}`")
        };
        let expected = match self.expected.as_slice() {
            [] => "valid syntax".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        };
        src.diagnostic(
            code,
            Severity::Error,
            format!("expected {expected}, found {found}"),
            start..start + self.at.len(),
        )
    }
}

impl<'a> ParseError<&'a str> for SyntaxError<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        SyntaxError {
            at: &input[..0],
            expected: Vec::new(),
            at_end: input.is_empty(),
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two alternatives, the one that got further explains the failure; at the same place,
    /// both expectations count.
    fn or(mut self, other: Self) -> Self {
        let (mine, theirs) = (self.at.as_ptr() as usize, other.at.as_ptr() as usize);
        if theirs > mine {
            return other;
        }
        if theirs == mine {
            for e in other.expected {
                if !self.expected.contains(&e) {
                    self.expected.push(e);
                }
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_and_keywords() {
        assert!(word_boundary_at("to B", 2));
        assert!(!word_boundary_at("total", 2));
        assert!(word_boundary_at("|o-", 2));
        assert_eq!(
            acc_keyword("accTitle :  x", "accTitle", ':', false),
            Some(12)
        );
        assert_eq!(acc_keyword("acctitle: x", "accTitle", ':', false), None);
        assert_eq!(acc_keyword("acctitle: x", "accTitle", ':', true), Some(10));
        assert_eq!(acc_keyword("accDescr {\n", "accDescr", '{', true), Some(11));
        assert_eq!(quoted("\"ab\" c", |c| c != '"'), Some(4));
        assert_eq!(quoted("\"ab", |c| c != '"'), None);
    }
}
