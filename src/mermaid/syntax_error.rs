//! The one syntax error of the six mermaid parsers.
//!
//! Whatever a family parses (a token list for flowchart, state, sequence and class; the text
//! itself for ER and C4), its grammar fails with a [`SyntaxError`]: where parsing stopped, what
//! the grammar would have accepted there, and whether the error ends the diagram (`fatal`). Only
//! the place differs, a token index or a [`TextPlace`], and each knows which of two places is
//! further into the text.
//!
//! Of two failed alternatives, the one that got further explains the failure, as in mermaid's
//! LR parsers, which report the token where no rule could go on; at the same place both
//! expectations count, unless the later one [sums up](SyntaxError::summary) those before it
//! ("a statement, `else` or `end`" instead of every statement's first keyword).

use super::token_input::Tokens;
use nom::error::{ErrorKind, ParseError};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A place in the parsed text that can be compared with another by how far into the text it is.
pub trait Place {
    /// `Greater` when `self` is further into the text than `other`.
    fn progress_cmp(&self, other: &Self) -> Ordering;
}

/// The token families' place: the index of the offending token in the whole token list.
impl Place for usize {
    fn progress_cmp(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
}

/// The text families' place: the offending text, where it starts (as the length of the text
/// from there to the end, the parsers being handed suffixes of one text) and whether it is the
/// end of the diagram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextPlace<'a> {
    pub shown: &'a str,
    pub from_end: usize,
    pub at_end: bool,
}

impl Place for TextPlace<'_> {
    fn progress_cmp(&self, other: &Self) -> Ordering {
        // Less text left means further into it.
        other.from_end.cmp(&self.from_end)
    }
}

/// A syntax error: where parsing stopped and what was expected there. Failed alternatives are
/// frequent, so the common single expectation does not allocate.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError<P> {
    pub at: P,
    first: Option<Cow<'static, str>>,
    more: Vec<Cow<'static, str>>,
    /// Sums up what the alternatives before it expected at the same place.
    summary: bool,
    /// Ends parsing: no statement-level recovery after it (too deep a nesting, where resuming
    /// would only report the closers that follow).
    pub fatal: bool,
}

impl<P: Place> SyntaxError<P> {
    /// At `at`, expecting `what`.
    pub fn new(at: P, what: impl Into<Cow<'static, str>>) -> Self {
        SyntaxError {
            at,
            first: Some(what.into()),
            more: Vec::new(),
            summary: false,
            fatal: false,
        }
    }

    /// At `at`, with no expectation of its own (a failed combinator that names nothing).
    pub fn unnamed(at: P) -> Self {
        SyntaxError {
            at,
            first: None,
            more: Vec::new(),
            summary: false,
            fatal: false,
        }
    }

    /// At `at`, expecting `what`, which names everything the alternatives tried before it
    /// expected at the same place: it replaces their expectations instead of adding to them.
    pub fn summary(at: P, what: impl Into<Cow<'static, str>>) -> Self {
        SyntaxError {
            summary: true,
            ..SyntaxError::new(at, what)
        }
    }

    /// The same error, ending the parse.
    pub fn fatal(self) -> Self {
        SyntaxError {
            fatal: true,
            ..self
        }
    }

    /// The same place, expecting `what` instead.
    pub fn instead(self, what: impl Into<Cow<'static, str>>) -> Self {
        SyntaxError {
            fatal: self.fatal,
            ..SyntaxError::new(self.at, what)
        }
    }

    fn expectations(&self) -> impl Iterator<Item = &str> {
        self.first.iter().chain(&self.more).map(|w| w.as_ref())
    }

    /// What was expected: "A", "A or B", "A, B or C".
    pub fn expected(&self) -> String {
        let all: Vec<&str> = self.expectations().collect();
        match all.as_slice() {
            [] => "valid syntax".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        }
    }

    /// "expected …, found `found`".
    pub fn message(&self, found: &str) -> String {
        format!("expected {}, found {found}", self.expected())
    }

    /// The error that explains why both alternatives failed: the one that got further; at the
    /// same place a summary replaces what came before, other expectations add up.
    pub fn or(self, other: Self) -> Self {
        match self.at.progress_cmp(&other.at) {
            Ordering::Greater => self,
            Ordering::Less => other,
            Ordering::Equal if other.summary => other,
            Ordering::Equal => {
                let mut merged = self;
                for what in other.first.into_iter().chain(other.more) {
                    if merged.expectations().any(|w| w == what) {
                        continue;
                    }
                    if merged.first.is_none() {
                        merged.first = Some(what);
                    } else {
                        merged.more.push(what);
                    }
                }
                merged.fatal |= other.fatal;
                merged
            }
        }
    }
}

impl<'t, T> ParseError<Tokens<'t, T>> for SyntaxError<usize> {
    fn from_error_kind(input: Tokens<'t, T>, _kind: ErrorKind) -> Self {
        SyntaxError::unnamed(input.offset)
    }

    fn append(_: Tokens<'t, T>, _: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        SyntaxError::or(self, other)
    }
}

impl<'a> ParseError<&'a str> for SyntaxError<TextPlace<'a>> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        SyntaxError::unnamed(TextPlace {
            shown: &input[..0],
            from_end: input.len(),
            at_end: input.is_empty(),
        })
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        SyntaxError::or(self, other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alternative_that_got_further_explains_the_failure() {
        let near = SyntaxError::new(3usize, "a node id");
        let far = SyntaxError::new(5usize, "`]`");
        assert_eq!(near.clone().or(far.clone()), far);
        assert_eq!(far.clone().or(near), far);
    }

    #[test]
    fn expectations_at_one_place_add_up_once_each() {
        let e = SyntaxError::new(2usize, "`-->`")
            .or(SyntaxError::new(2, "`;`"))
            .or(SyntaxError::unnamed(2))
            .or(SyntaxError::new(2, "`-->`"))
            .or(SyntaxError::new(2, "end of line"));
        assert_eq!(e.expected(), "`-->`, `;` or end of line");
        assert_eq!(
            e.message("`x`"),
            "expected `-->`, `;` or end of line, found `x`"
        );
        assert_eq!(SyntaxError::unnamed(0usize).expected(), "valid syntax");
    }

    #[test]
    fn a_summary_replaces_the_expectations_before_it_at_its_place_only() {
        let summed =
            SyntaxError::new(4usize, "`end`").or(SyntaxError::summary(4, "a statement or `end`"));
        assert_eq!(summed.expected(), "a statement or `end`");
        let deeper = SyntaxError::new(6usize, "`:` and a text");
        assert_eq!(
            deeper.clone().or(SyntaxError::summary(4, "a statement")),
            deeper
        );
        // What comes after a summary at its place adds to it.
        let after = SyntaxError::summary(4usize, "a statement").or(SyntaxError::new(4, "`end`"));
        assert_eq!(after.expected(), "a statement or `end`");
    }

    #[test]
    fn in_text_less_left_is_further() {
        let place = |shown, from_end| TextPlace {
            shown,
            from_end,
            at_end: false,
        };
        let early = SyntaxError::new(place("Rel", 40), "a macro");
        let late = SyntaxError::new(place(")", 12), "`,`");
        assert_eq!(early.clone().or(late.clone()), late);
        assert_eq!(late.clone().or(early), late);
    }

    #[test]
    fn instead_keeps_the_place_and_fatality() {
        let e = SyntaxError::new(7usize, "a").fatal().instead("b");
        assert_eq!((e.at, e.expected(), e.fatal), (7, "b".to_string(), true));
    }
}
