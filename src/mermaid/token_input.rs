//! nom over a token stream. Mermaid's lexers choose their modes themselves, so every family
//! that is not lexed by its grammar (flowchart, state, sequence, class) tokenizes first and runs
//! nom combinators over the tokens. One input type serves them all, and one error, the
//! [`SyntaxError`] of every mermaid parser, naming the offending token by its index;
//! [`resume_after`] finds where statement-level recovery goes on.

use super::jison_rules::TextToken;
use super::syntax_error::SyntaxError;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceText;
use nom::{Err, IResult, Input, Needed};
use std::borrow::Cow;

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

/// A syntax error of a token grammar: at the index of the offending token.
pub type TokenError = SyntaxError<usize>;

impl TokenError {
    /// The error at the first token of `input`.
    pub fn at_start<T>(input: Tokens<'_, T>, what: impl Into<Cow<'static, str>>) -> Self {
        SyntaxError::new(input.offset, what)
    }

    /// The error as diagnostic `code`, "expected …, found …", at the token where parsing
    /// stopped or at the end of the text (`text_len` bytes); `describe` names the token.
    pub fn diagnostic<K>(
        &self,
        src: &SourceText,
        code: Code,
        tokens: &[TextToken<K>],
        text_len: usize,
        describe: impl Fn(&TextToken<K>) -> String,
    ) -> Diagnostic {
        let (found, range) = match tokens.get(self.at) {
            Some(t) => (describe(t), t.range.clone()),
            None => ("end of diagram".to_string(), text_len..text_len),
        };
        src.diagnostic(code, self.message(&found), range)
    }
}

pub type TokResult<'t, T, O> = IResult<Tokens<'t, T>, O, TokenError>;

/// One token satisfying `accept`; otherwise a recoverable error saying `what` was expected.
pub fn token<'t, T>(
    what: &'static str,
    accept: impl Fn(&T) -> bool,
) -> impl Fn(Tokens<'t, T>) -> TokResult<'t, T, &'t T> {
    move |input: Tokens<'t, T>| match input.first() {
        Some(t) if accept(t) => Ok((input.take_from(1), t)),
        _ => Err(Err::Error(TokenError::at_start(input, what))),
    }
}

/// Always fails, at the current token, with `what` as the [summary](SyntaxError::summary) of
/// the alternatives tried before it.
pub fn expected<'t, T, O>(what: &'static str) -> impl Fn(Tokens<'t, T>) -> TokResult<'t, T, O> {
    move |input: Tokens<'t, T>| Err(Err::Error(SyntaxError::summary(input.offset, what)))
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
