//! nom over a token stream: the sequence and class grammars are nom combinators over the tokens
//! their modal lexers produce (mermaid's lexing depends on modes a character-level grammar
//! would have to thread through every rule).

use nom::error::{ErrorKind, ParseError};
use nom::{Err, IResult, Input, Needed};
use std::iter::{Cloned, Enumerate};
use std::slice::Iter;

/// A slice of tokens as nom input.
#[derive(Debug)]
pub struct Tokens<'t, T>(pub &'t [T]);

impl<T> Clone for Tokens<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Tokens<'_, T> {}

impl<'t, T> Tokens<'t, T> {
    pub fn first(&self) -> Option<&'t T> {
        self.0.first()
    }
}

impl<'t, T: Clone> Input for Tokens<'t, T> {
    type Item = T;
    type Iter = Cloned<Iter<'t, T>>;
    type IterIndices = Enumerate<Self::Iter>;

    fn input_len(&self) -> usize {
        self.0.len()
    }

    fn take(&self, index: usize) -> Self {
        Tokens(&self.0[..index])
    }

    fn take_from(&self, index: usize) -> Self {
        Tokens(&self.0[index..])
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        let (prefix, suffix) = self.0.split_at(index);
        (Tokens(suffix), Tokens(prefix))
    }

    fn position<P>(&self, predicate: P) -> Option<usize>
    where
        P: Fn(Self::Item) -> bool,
    {
        self.0.iter().position(|t| predicate(t.clone()))
    }

    fn iter_elements(&self) -> Self::Iter {
        self.0.iter().cloned()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        if self.0.len() >= count {
            Ok(count)
        } else {
            Err(Needed::new(count - self.0.len()))
        }
    }
}

/// A syntax error: the token where parsing stopped and what the grammar expected there.
#[derive(Debug, Clone)]
pub struct SyntaxError<'t, T> {
    pub found: Option<&'t T>,
    pub expected: String,
}

impl<'t, T> ParseError<Tokens<'t, T>> for SyntaxError<'t, T> {
    fn from_error_kind(input: Tokens<'t, T>, kind: ErrorKind) -> Self {
        SyntaxError {
            found: input.first(),
            expected: format!("{kind:?}"),
        }
    }

    fn append(_: Tokens<'t, T>, _: ErrorKind, other: Self) -> Self {
        other
    }
}

pub type TResult<'t, T, O> = IResult<Tokens<'t, T>, O, SyntaxError<'t, T>>;

/// One token satisfying `pred`; otherwise a recoverable error saying `expected`.
pub fn token<'t, T>(
    expected: &'static str,
    pred: impl Fn(&T) -> bool,
) -> impl Fn(Tokens<'t, T>) -> TResult<'t, T, &'t T> {
    move |input: Tokens<'t, T>| match input.0.split_first() {
        Some((t, rest)) if pred(t) => Ok((Tokens(rest), t)),
        _ => Err(Err::Error(SyntaxError {
            found: input.first(),
            expected: expected.to_string(),
        })),
    }
}

/// Always fails, saying what was expected at the current token.
pub fn expected<'t, T, O>(what: &'static str) -> impl Fn(Tokens<'t, T>) -> TResult<'t, T, O> {
    move |input: Tokens<'t, T>| {
        Err(Err::Error(SyntaxError {
            found: input.first(),
            expected: what.to_string(),
        }))
    }
}
