//! nom over a token stream. Mermaid's lexers choose their modes themselves, so every family
//! that is not lexed by its grammar (flowchart, state, sequence, class) tokenizes first and runs
//! nom combinators over the tokens. One input type serves them all; the two error types differ
//! on purpose: [`SyntaxError`] keeps the last alternative's expectation, as the sequence and
//! class grammars end their alternatives with a summary of what may come; [`Expected`] the
//! furthest token any alternative reached and everything expected there (flowchart, state).
//! Both name the token by its index, and [`resume_after`] finds where statement-level recovery
//! goes on.

use super::jison_rules::TextToken;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceText;
use nom::error::{ErrorKind, ParseError};
use nom::{Err, IResult, Input, Needed};

/// Tokens a lexer produced; `offset` is the index of the first one in the whole list.
#[derive(Debug)]
pub struct Tokens<'a, T> {
    pub slice: &'a [T],
    pub offset: usize,
}

// Copyable whatever `T` is: only the reference is copied.
impl<T> Clone for Tokens<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Tokens<'_, T> {}

impl<'a, T> Tokens<'a, T> {
    pub fn new(slice: &'a [T]) -> Self {
        Tokens { slice, offset: 0 }
    }

    pub fn first(&self) -> Option<&'a T> {
        self.slice.first()
    }
}

impl<'a, T> Input for Tokens<'a, T> {
    type Item = &'a T;
    type Iter = std::slice::Iter<'a, T>;
    type IterIndices = std::iter::Enumerate<std::slice::Iter<'a, T>>;

    fn input_len(&self) -> usize {
        self.slice.len()
    }

    fn take(&self, index: usize) -> Self {
        Tokens {
            slice: &self.slice[..index],
            offset: self.offset,
        }
    }

    fn take_from(&self, index: usize) -> Self {
        Tokens {
            slice: &self.slice[index..],
            offset: self.offset + index,
        }
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.slice.iter().position(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.slice.iter()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.slice.iter().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        if self.slice.len() >= count {
            Ok(count)
        } else {
            Err(Needed::new(count - self.slice.len()))
        }
    }
}

/// What the grammar expected at the furthest token any alternative reached. Failed
/// alternatives are frequent, so the common single expectation does not allocate.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// Index of the offending token.
    pub at: usize,
    first: Option<&'static str>,
    more: Vec<&'static str>,
}

impl Expected {
    pub fn new(at: usize, what: &'static str) -> Self {
        Expected {
            at,
            first: Some(what),
            more: Vec::new(),
        }
    }

    fn all(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.first.into_iter().chain(self.more.iter().copied())
    }

    /// "A", "A or B", "A, B or C".
    pub fn describe(&self) -> String {
        let all: Vec<&str> = self.all().collect();
        match all.as_slice() {
            [] => "something else".to_string(),
            [one] => one.to_string(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        }
    }
}

impl<'a, T> ParseError<Tokens<'a, T>> for Expected {
    fn from_error_kind(input: Tokens<'a, T>, _kind: ErrorKind) -> Self {
        Expected {
            at: input.offset,
            first: None,
            more: Vec::new(),
        }
    }

    fn append(_input: Tokens<'a, T>, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    /// The alternative that got further wins; at the same token, expectations add up.
    fn or(self, other: Self) -> Self {
        match self.at.cmp(&other.at) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal => {
                let mut merged = self;
                for w in other.all() {
                    if !merged.all().any(|x| x == w) {
                        if merged.first.is_none() {
                            merged.first = Some(w);
                        } else {
                            merged.more.push(w);
                        }
                    }
                }
                merged
            }
        }
    }
}

pub type TokResult<'a, T, O> = IResult<Tokens<'a, T>, O, Expected>;

/// One token satisfying `accept`, named `what` in errors.
pub fn one<'a, T>(
    accept: impl Fn(&T) -> bool,
    what: &'static str,
) -> impl Fn(Tokens<'a, T>) -> TokResult<'a, T, &'a T> {
    move |input: Tokens<'a, T>| match input.first() {
        Some(t) if accept(t) => Ok((input.take_from(1), t)),
        _ => Err(Err::Error(Expected::new(input.offset, what))),
    }
}

/// A syntax error: the token where parsing stopped (`at`, its index in the whole list) and
/// what the grammar expected there. A `fatal` error ends parsing: no statement-level recovery
/// after it (too deep a nesting, where resuming would only report the closers that follow).
#[derive(Debug, Clone)]
pub struct SyntaxError<'t, T> {
    pub at: usize,
    pub found: Option<&'t T>,
    pub expected: String,
    pub fatal: bool,
}

impl<'t, T> SyntaxError<'t, T> {
    /// The error at the first token of `input`.
    pub fn at_start(input: Tokens<'t, T>, expected: impl Into<String>) -> Self {
        SyntaxError {
            at: input.offset,
            found: input.first(),
            expected: expected.into(),
            fatal: false,
        }
    }
}

/// Statement-level recovery: the input after the first token at or after index `at` that
/// `ends_statement` accepts, or `None` when no statement follows (nothing to resume at).
pub fn resume_after<'t, T>(
    input: Tokens<'t, T>,
    at: usize,
    ends_statement: impl FnMut(&T) -> bool,
) -> Option<Tokens<'t, T>> {
    let from = at.saturating_sub(input.offset).min(input.slice.len());
    let end = input.slice[from..].iter().position(ends_statement)?;
    Some(input.take_from(from + end + 1))
}

impl<'t, T> ParseError<Tokens<'t, T>> for SyntaxError<'t, T> {
    fn from_error_kind(input: Tokens<'t, T>, kind: ErrorKind) -> Self {
        SyntaxError::at_start(input, format!("{kind:?}"))
    }

    fn append(_: Tokens<'t, T>, _: ErrorKind, other: Self) -> Self {
        other
    }
}

impl<K> SyntaxError<'_, TextToken<K>> {
    /// The error as diagnostic `code`, "expected …, found …", at the token where parsing
    /// stopped or at the end of the text (`text_len` bytes); `describe` names the token.
    pub fn diagnostic(
        &self,
        src: &SourceText,
        code: Code,
        text_len: usize,
        describe: impl Fn(&TextToken<K>) -> String,
    ) -> Diagnostic {
        let (found, range) = match self.found {
            Some(t) => (describe(t), t.range.clone()),
            None => ("end of diagram".to_string(), text_len..text_len),
        };
        src.diagnostic(
            code,
            format!("expected {}, found {found}", self.expected),
            range,
        )
    }
}

pub type TResult<'t, T, O> = IResult<Tokens<'t, T>, O, SyntaxError<'t, T>>;

/// One token satisfying `pred`; otherwise a recoverable error saying `expected`.
pub fn token<'t, T>(
    expected: &'static str,
    pred: impl Fn(&T) -> bool,
) -> impl Fn(Tokens<'t, T>) -> TResult<'t, T, &'t T> {
    move |input: Tokens<'t, T>| match input.first() {
        Some(t) if pred(t) => Ok((input.take_from(1), t)),
        _ => Err(Err::Error(SyntaxError::at_start(input, expected))),
    }
}

/// Always fails, saying what was expected at the current token.
pub fn expected<'t, T, O>(what: &'static str) -> impl Fn(Tokens<'t, T>) -> TResult<'t, T, O> {
    move |input: Tokens<'t, T>| Err(Err::Error(SyntaxError::at_start(input, what)))
}
