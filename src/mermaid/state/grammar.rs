//! The state diagram grammar as nom combinators over [`lexer`](super::lexer) tokens.

use super::lexer::{Tok, Token};
use super::{label, trim_colon, NoteDecl, NotePosition, StateKind, StateRef, Statement};
use crate::mermaid::jison_rules::unmask_entities;
use crate::mermaid::token_input::{token, TokResult, TokenError, Tokens};
use crate::mermaid::Direction;
use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::multi::many_till;
use nom::sequence::preceded;
use nom::Parser;
use std::cell::RefCell;

pub type In<'a> = Tokens<'a, Token>;
type R<'a, O> = TokResult<'a, Token, O>;

fn t<'a>(kind: Tok) -> impl Fn(In<'a>) -> R<'a, &'a Token> {
    token(kind.describe(), move |x: &Token| x.kind == kind)
}

/// Things the grammar notes on the side while it builds statements.
#[derive(Default)]
pub struct Side {
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
    /// One-line note texts, for the check that mermaid shows them whole.
    pub note_texts: Vec<Token>,
}

pub struct Grammar<'t> {
    pub text: &'t str,
    pub side: RefCell<Side>,
    /// How many composite states enclose the statement being read.
    pub depth: std::cell::Cell<usize>,
}

/// Composite states nest at most this deep: each level is a recursion of the parser.
pub const MAX_DEPTH: usize = 64;

impl<'t> Grammar<'t> {
    fn slice(&self, t: &Token) -> String {
        unmask_entities(&self.text[t.start..t.end])
    }

    /// `ID | "[*]"`, then `::: class`.
    fn state_ref<'a>(&self, i: In<'a>) -> R<'a, StateRef> {
        map(
            (
                alt((t(Tok::Id), t(Tok::EdgeState))),
                // like mermaid's parser, commit once `:::` or `-->` is read
                opt(preceded(t(Tok::StyleSep), cut(t(Tok::Id)))),
            ),
            |(id, class)| {
                let mut state = StateRef::named(self.slice(id).trim(), id.start..id.end);
                if let Some(class) = class {
                    state.classes.push(self.slice(class).trim().to_string());
                }
                state
            },
        )
        .parse(i)
    }

    /// `state-ref [DESCR]` or `state-ref --> state-ref [DESCR]`.
    fn state_or_transition<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        let (i, from) = self.state_ref(i)?;
        let description = |d: &Token| label(&trim_colon(&self.slice(d)));
        // bound first: the parsers borrow `from` and `description`
        let result = alt((
            map(
                (
                    t(Tok::Arrow),
                    cut(|i| self.state_ref(i)),
                    opt(t(Tok::Descr)),
                ),
                |(_, to, d)| Statement::Transition {
                    from: from.clone(),
                    to,
                    label: d.map(description),
                },
            ),
            map(opt(t(Tok::Descr)), |d| {
                let mut state = from.clone();
                state.descriptions.extend(d.map(description));
                Statement::State(state)
            }),
        ))
        .parse(i);
        result
    }

    /// `state id { body }`; a bare `state id` is text to mermaid and declares nothing.
    fn composite<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        let (i, id) = t(Tok::CompositState)(i)?;
        match t(Tok::StructStart)(i) {
            Ok((i, _)) => map(
                |i| self.body(i),
                |body| {
                    let mut state = StateRef::named(self.slice(id).trim(), id.start..id.end);
                    state.body = Some(body);
                    Statement::State(state)
                },
            )
            .parse(i),
            Err(_) => Ok((i, Statement::Other)),
        }
    }

    /// `state "description" as id [{ body }]`.
    fn described<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        let (i, (descr, _, id)) = (t(Tok::StateDescr), t(Tok::As), t(Tok::Id)).parse(i)?;
        let description = self.slice(descr);
        let raw_id = self.slice(id);
        let range = id.start..id.end;
        if let Ok((i, _)) = t(Tok::StructStart)(i) {
            let (i, body) = self.body(i)?;
            let mut state = StateRef::named(raw_id.trim(), range);
            state.descriptions.push(label(&description));
            state.body = Some(body);
            return Ok((i, Statement::State(state)));
        }
        // `state "d" as id:extra` gives the state two descriptions
        let state = match raw_id.split_once(':') {
            Some((id, extra)) => {
                let mut state = StateRef::named(id.trim(), range);
                state.descriptions.push(label(description.trim()));
                state
                    .descriptions
                    .push(label(extra.split(':').next().unwrap_or_default()));
                state
            }
            None => {
                let mut state = StateRef::named(raw_id.trim(), range);
                state.descriptions.push(label(description.trim()));
                state
            }
        };
        Ok((i, Statement::State(state)))
    }

    fn fork_like<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        map(alt((t(Tok::Fork), t(Tok::Join), t(Tok::Choice))), |tok| {
            let mut state = StateRef::named(&self.slice(tok), tok.start..tok.end);
            state.kind = match tok.kind {
                Tok::Fork => StateKind::Fork,
                Tok::Join => StateKind::Join,
                _ => StateKind::Choice,
            };
            Statement::State(state)
        })
        .parse(i)
    }

    /// `note left of id : text` (or a multi-line text up to `end note`), and floating notes,
    /// which mermaid reads and does not draw.
    fn note<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        let (i, _) = t(Tok::Note)(i)?;
        alt((
            map(
                (
                    alt((t(Tok::LeftOf), t(Tok::RightOf))),
                    t(Tok::Id),
                    t(Tok::NoteText),
                ),
                |(position, id, text)| {
                    self.side.borrow_mut().note_texts.push(text.clone());
                    let mut state = StateRef::named(self.slice(id).trim(), id.start..id.end);
                    state.is_note = true;
                    state.note = Some(NoteDecl {
                        position: if position.kind == Tok::LeftOf {
                            NotePosition::LeftOf
                        } else {
                            NotePosition::RightOf
                        },
                        text: label(&unmask_entities(text.value.as_deref().unwrap_or_default())),
                    });
                    Statement::State(state)
                },
            ),
            map((t(Tok::NoteText), t(Tok::As), t(Tok::Id)), |_| {
                Statement::Other
            }),
        ))
        .parse(i)
    }

    fn accessibility<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        alt((
            map(
                (alt((t(Tok::AccTitle), t(Tok::AccDescr))), t(Tok::AccValue)),
                |(head, value)| {
                    let value = self.slice(value).trim().to_string();
                    let mut side = self.side.borrow_mut();
                    if head.kind == Tok::AccTitle {
                        side.acc_title = Some(value);
                    } else {
                        side.acc_descr = Some(value);
                    }
                    Statement::Other
                },
            ),
            map(t(Tok::AccDescrBlock), |block| {
                self.side.borrow_mut().acc_descr = Some(self.slice(block).trim().to_string());
                Statement::Other
            }),
        ))
        .parse(i)
    }

    /// `click id "url" "tooltip"` or `click id href "url"`, then a line break.
    fn click<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        map(
            (
                t(Tok::Click),
                |i| self.state_ref(i),
                alt((
                    map((t(Tok::Str), t(Tok::Str)), |(url, _)| url),
                    map((t(Tok::Href), t(Tok::Str)), |(_, url)| url),
                )),
                alt((t(Tok::Nl), t(Tok::Eof))),
            ),
            |(_, state, url, _)| Statement::Click {
                id: state.id,
                url: self.slice(url).trim_matches('"').to_string(),
                url_range: url.start..url.end,
            },
        )
        .parse(i)
    }

    fn styling<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        let text = |t: &Token| self.slice(t).trim().to_string();
        let result = alt((
            map(
                (
                    t(Tok::ClassDef),
                    |i| match t(Tok::ClassDefId)(i) {
                        Err(nom::Err::Error(e)) => Err(nom::Err::Error(TokenError::new(
                            e.at,
                            "a class name (mermaid does not accept `default` here)",
                        ))),
                        other => other,
                    },
                    t(Tok::ClassDefStyles),
                ),
                |(_, id, styles)| Statement::ClassDef {
                    id: text(id),
                    styles: text(styles),
                },
            ),
            map(
                (t(Tok::Style), t(Tok::StyleIds), t(Tok::StyleOpts)),
                |(_, ids, styles)| Statement::Style {
                    ids: text(ids),
                    styles: text(styles),
                },
            ),
            map(
                (t(Tok::Class), t(Tok::ClassIds), t(Tok::ClassName)),
                |(_, ids, class)| Statement::ApplyClass {
                    ids: text(ids),
                    class: text(class),
                },
            ),
        ))
        .parse(i);
        result
    }

    /// One statement. An error at its first token names what may start a statement.
    pub fn statement<'a>(&self, i: In<'a>) -> R<'a, Statement> {
        let start = i.offset;
        alt((
            |i| self.styling(i),
            |i| self.state_or_transition(i),
            map(t(Tok::HideEmpty), |_| Statement::Other),
            map((t(Tok::Scale), t(Tok::Width)), |_| Statement::Other),
            |i| self.composite(i),
            |i| self.described(i),
            |i| self.fork_like(i),
            map(t(Tok::Concurrent), |tok| {
                // numbered once the whole diagram is read, in source order
                let mut state = StateRef::named("", tok.start..tok.end);
                state.kind = StateKind::Divider;
                Statement::State(state)
            }),
            |i| self.note(i),
            map(t(Tok::Direction), |tok| Statement::Direction {
                // The lexer's direction words are mermaid's names.
                value: Direction::from_word(tok.value.as_deref().unwrap_or_default())
                    .unwrap_or_default(),
            }),
            |i| self.accessibility(i),
            |i| self.click(i),
        ))
        .parse(i)
        .map_err(|e| {
            e.map(|e| {
                if e.at == start {
                    let what = if i.first().is_some_and(|t| t.kind == Tok::StructStart) {
                        "a state (`{` must follow `state <id>` on the same line)"
                    } else {
                        "a state, a transition or a statement keyword"
                    };
                    TokenError::new(start, what)
                } else {
                    e
                }
            })
        })
    }

    /// The statements of a composite state, up to its `}`.
    fn body<'a>(&self, i: In<'a>) -> R<'a, Vec<Statement>> {
        if self.depth.get() >= MAX_DEPTH {
            return Err(nom::Err::Failure(TokenError::new(
                i.offset,
                "at most 64 nested composite states",
            )));
        }
        self.depth.set(self.depth.get() + 1);
        let result = self.body_statements(i);
        self.depth.set(self.depth.get() - 1);
        result
    }

    fn body_statements<'a>(&self, i: In<'a>) -> R<'a, Vec<Statement>> {
        map(
            many_till(
                |i: In<'a>| {
                    let start = i.offset;
                    self.statement(i).map_err(|e| {
                        e.map(|e| {
                            if e.at == start {
                                TokenError::new(
                                    start,
                                    "a statement or `}` to close the composite state",
                                )
                            } else {
                                e
                            }
                        })
                    })
                },
                t(Tok::StructStop),
            ),
            |(statements, _)| statements,
        )
        .parse(i)
    }
}
