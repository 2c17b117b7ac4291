//! The flowchart grammar as nom combinators over [`lexer`](super::lexer) tokens. It builds
//! a syntax tree; `super` replays it through mermaid's flowchart database rules.

use super::lexer::{Tok, Token};
use super::LabelKind;
use crate::mermaid::token_input::{token, TokResult, TokenError, Tokens};
use nom::branch::alt;
use nom::combinator::{cut, map, opt, peek};
use nom::multi::{many0, many1, separated_list1};
use nom::sequence::{preceded, terminated};
use nom::{Input, Parser};
use std::cell::RefCell;
use std::ops::Range;

pub type In<'a> = Tokens<'a, Token>;
type R<'a, O> = TokResult<'a, Token, O>;

fn t<'a>(kind: Tok) -> impl Fn(In<'a>) -> R<'a, &'a Token> {
    token(kind.describe(), move |x: &Token| x.kind == kind)
}

/// `kind`, named `what` in errors.
fn t_as<'a>(kind: Tok, what: &'static str) -> impl Fn(In<'a>) -> R<'a, &'a Token> {
    token(what, move |x: &Token| x.kind == kind)
}

fn id_token(kind: Tok) -> bool {
    matches!(
        kind,
        Tok::Num
            | Tok::NodeString
            | Tok::Down
            | Tok::Minus
            | Tok::Default
            | Tok::Comma
            | Tok::Colon
            | Tok::Amp
            | Tok::Brkt
            | Tok::Mult
            | Tok::Unicode
    )
}

fn alpha_num_token(kind: Tok) -> bool {
    matches!(
        kind,
        Tok::Num
            | Tok::Unicode
            | Tok::NodeString
            | Tok::Dir
            | Tok::Down
            | Tok::Minus
            | Tok::Comma
            | Tok::Colon
            | Tok::Amp
            | Tok::Brkt
            | Tok::Mult
    )
}

fn style_token(kind: Tok) -> bool {
    matches!(
        kind,
        Tok::Num | Tok::NodeString | Tok::Colon | Tok::Space | Tok::Brkt | Tok::Style
    )
}

fn title_token(kind: Tok) -> bool {
    matches!(
        kind,
        Tok::Num
            | Tok::NodeString
            | Tok::Space
            | Tok::Minus
            | Tok::Amp
            | Tok::Unicode
            | Tok::Colon
            | Tok::Mult
            | Tok::Brkt
            | Tok::Style
            | Tok::LinkStyle
            | Tok::ClassDef
            | Tok::Class
            | Tok::Click
            | Tok::Graph
            | Tok::Dir
            | Tok::Subgraph
            | Tok::End
            | Tok::Down
            | Tok::Up
            | Tok::StartLink
    )
}

fn text_token(kind: Tok) -> bool {
    matches!(kind, Tok::Text | Tok::Unicode | Tok::TagStart | Tok::TagEnd)
}

/// A bracketed node shape: its name, opening tokens, and closing tokens with their names.
type BracketForm = (&'static str, &'static [Tok], &'static [(Tok, &'static str)]);

/// Text with where it was written (byte offsets into the lexing text).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub text: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vertex {
    pub id: Spanned,
    /// Mermaid's shape name for the bracket form, with the node text.
    pub shape: Option<(&'static str, String, LabelKind)>,
    pub class: Option<String>,
    /// `@{ ... }` after the vertex: the assembled data and where it was written.
    pub shape_data: Option<Spanned>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The link token(s): the closing token, and for a labelled link its opening one.
    pub end: String,
    pub start: Option<String>,
    pub label: Option<(String, LabelKind)>,
    pub id: Option<String>,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Click {
    Callback,
    /// The URL and where it is written (token offsets).
    Link(String, std::ops::Range<usize>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// Node groups joined by links: `groups.len() == links.len() + 1`.
    Vertices {
        groups: Vec<Vec<Vertex>>,
        links: Vec<Link>,
    },
    Style {
        id: Spanned,
        styles: Vec<String>,
    },
    LinkStyle {
        /// `None` for `default`.
        positions: Option<Vec<Spanned>>,
        styles: Vec<String>,
    },
    ClassDef {
        ids: String,
        styles: Vec<String>,
    },
    Class {
        ids: String,
        class: String,
    },
    Click {
        ids: String,
        action: Click,
    },
    Subgraph {
        keyword: Range<usize>,
        id_text: Option<(String, LabelKind)>,
        title: Option<(String, LabelKind)>,
        body: Vec<Stmt>,
    },
    Direction(String),
    AccTitle(String),
    AccDescr(String),
    /// A `;` on its own: mermaid counts it as a subgraph member.
    Semi,
}

pub struct Grammar<'t> {
    pub text: &'t str,
    /// Syntax errors met inside documents, where parsing went on at the next line.
    pub errors: RefCell<Vec<TokenError>>,
    /// How many subgraphs enclose the statement being read.
    pub depth: std::cell::Cell<usize>,
}

/// Subgraphs nest at most this deep: each level is a recursion of the parser.
pub const MAX_DEPTH: usize = 64;

/// Syntax errors reported per diagram before parsing stops.
pub const MAX_REPORTED_ERRORS: usize = 10;

impl<'t> Grammar<'t> {
    fn slice(&self, t: &Token) -> &'t str {
        &self.text[t.start..t.end]
    }

    fn joined(&self, tokens: &[&Token]) -> Spanned {
        let text = tokens.iter().map(|t| self.slice(t)).collect();
        let start = tokens.first().map_or(0, |t| t.start);
        let end = tokens.last().map_or(start, |t| t.end);
        Spanned {
            text,
            range: start..end,
        }
    }

    /// `idString`: id tokens with nothing between them.
    fn id<'a>(&self, i: In<'a>) -> R<'a, Spanned> {
        map(
            many1(token("a node id", |t: &Token| id_token(t.kind))),
            |tokens| self.joined(&tokens),
        )
        .parse(i)
    }

    /// `; | line break | end of text`
    fn separator<'a>(&self, i: In<'a>) -> R<'a, ()> {
        map(
            alt((
                t_as(Tok::Newline, "`;` or a line break"),
                t_as(Tok::Semi, "`;` or a line break"),
                peek(t_as(Tok::Eof, "`;` or a line break")),
            )),
            |_| (),
        )
        .parse(i)
    }

    fn styles<'a>(&self, i: In<'a>) -> R<'a, Vec<String>> {
        separated_list1(
            t(Tok::Comma),
            map(
                many1(token("a style such as `fill:#f9f`", |t: &Token| {
                    style_token(t.kind)
                })),
                |tokens| self.joined(&tokens).text,
            ),
        )
        .parse(i)
    }

    /// Node text: one run of text, a string, or a markdown string.
    fn text<'a>(&self, i: In<'a>) -> R<'a, (String, LabelKind)> {
        alt((
            map(t(Tok::Str), |s| {
                (self.slice(s).to_string(), LabelKind::String)
            }),
            map(t(Tok::MdStr), |s| {
                (self.slice(s).to_string(), LabelKind::Markdown)
            }),
            map(
                many1(token("node text", |t: &Token| text_token(t.kind))),
                |tokens| (self.joined(&tokens).text, LabelKind::Text),
            ),
        ))
        .parse(i)
    }

    /// `open text close`, committed once `open` is read.
    fn bracketed<'a>(
        &self,
        i: In<'a>,
        open: &[Tok],
        close: &[(Tok, &'static str)],
    ) -> R<'a, (String, LabelKind)> {
        let mut i = i;
        for &kind in open {
            i = t(kind)(i)?.0;
        }
        let (mut i, text) = cut(|i| self.text(i)).parse(i)?;
        for &(kind, what) in close {
            i = cut(t_as(kind, what)).parse(i)?.0;
        }
        Ok((i, text))
    }

    fn shape<'a>(&self, i: In<'a>) -> R<'a, (&'static str, String, LabelKind)> {
        const SQE: (Tok, &str) = (Tok::Sqe, "`]` to close the node text");
        const PE: (Tok, &str) = (Tok::Pe, "`)` to close the node text");
        const STOP: (Tok, &str) = (Tok::DiamondStop, "`}` to close the node text");
        let forms: [BracketForm; 11] = [
            ("square", &[Tok::Sqs], &[SQE]),
            (
                "doublecircle",
                &[Tok::DoubleCircleStart],
                &[(Tok::DoubleCircleEnd, "`)))` to close the node text")],
            ),
            ("circle", &[Tok::Ps, Tok::Ps], &[PE, PE]),
            (
                "ellipse",
                &[Tok::EllipseStart],
                &[(Tok::EllipseEnd, "`-)` to close the node text")],
            ),
            (
                "stadium",
                &[Tok::StadiumStart],
                &[(Tok::StadiumEnd, "`])` to close the node text")],
            ),
            (
                "subroutine",
                &[Tok::SubroutineStart],
                &[(Tok::SubroutineEnd, "`]]` to close the node text")],
            ),
            (
                "cylinder",
                &[Tok::CylinderStart],
                &[(Tok::CylinderEnd, "`)]` to close the node text")],
            ),
            ("round", &[Tok::Ps], &[PE]),
            (
                "hexagon",
                &[Tok::DiamondStart, Tok::DiamondStart],
                &[STOP, STOP],
            ),
            ("diamond", &[Tok::DiamondStart], &[STOP]),
            ("odd", &[Tok::TagEnd], &[SQE]),
        ];
        let mut error: Option<TokenError> = None;
        let first = i.first().map(|t| t.kind);
        for (shape, open, close) in forms {
            // only the forms that open with the current token can match
            if first != Some(open[0]) {
                continue;
            }
            match self.bracketed(i, open, close) {
                Ok((rest, (text, kind))) => return Ok((rest, (shape, text, kind))),
                Err(nom::Err::Error(e)) => {
                    error = Some(match error {
                        Some(prev) => prev.or(e),
                        None => e,
                    })
                }
                Err(other) => return Err(other),
            }
        }
        // `[/ text \]` and friends: the pair of ends names the shape
        let trapezoid = (
            alt((t(Tok::TrapStart), t(Tok::InvTrapStart))),
            cut(|i| self.text(i)),
            cut(alt((
                t_as(Tok::TrapEnd, "`\\]` or `/]` to close the shape"),
                t_as(Tok::InvTrapEnd, "`\\]` or `/]` to close the shape"),
            ))),
        );
        let trap = map(trapezoid, |(open, (text, kind), close)| {
            let shape = match (open.kind, close.kind) {
                (Tok::TrapStart, Tok::TrapEnd) => "trapezoid",
                (Tok::TrapStart, _) => "lean_right",
                (_, Tok::TrapEnd) => "lean_left",
                _ => "inv_trapezoid",
            };
            (shape, text, kind)
        });
        // `[|field:value| text]`
        let props = map(
            (
                t(Tok::PropsStart),
                cut((
                    t(Tok::NodeString),
                    t(Tok::Colon),
                    t(Tok::NodeString),
                    t(Tok::Pipe),
                    |i| self.text(i),
                    t_as(Tok::Sqe, "`]` to close the node text"),
                )),
            ),
            |(_, (_, _, _, _, (text, kind), _))| ("rect", text, kind),
        );
        match alt((trap, props)).parse(i) {
            Err(nom::Err::Error(e)) => Err(nom::Err::Error(match error {
                Some(prev) => prev.or(e),
                None => e,
            })),
            other => other,
        }
    }

    /// `vertex [::: class]`
    fn styled_vertex<'a>(&self, i: In<'a>) -> R<'a, Vertex> {
        map(
            (
                |i| self.id(i),
                opt(|i| self.shape(i)),
                opt(preceded(t(Tok::StyleSep), cut(|i| self.id(i)))),
            ),
            |(id, shape, class)| Vertex {
                id,
                shape,
                class: class.map(|c| c.text),
                shape_data: None,
            },
        )
        .parse(i)
    }

    fn shape_data<'a>(&self, i: In<'a>) -> R<'a, Spanned> {
        map(t(Tok::ShapeData), |tok| Spanned {
            text: tok.value.clone().unwrap_or_default(),
            range: tok.start..tok.end,
        })
        .parse(i)
    }

    /// `node`: styled vertices joined by ` & `, each optionally followed by shape data.
    fn node_group<'a>(&self, i: In<'a>) -> R<'a, Vec<Vertex>> {
        let vertex_with_data = |i| {
            map(
                (|i| self.styled_vertex(i), opt(|i| self.shape_data(i))),
                |(mut v, data)| {
                    v.shape_data = data;
                    v
                },
            )
            .parse(i)
        };
        let (mut i, first) = vertex_with_data(i)?;
        let mut group = vec![first];
        loop {
            let amp = (many1(t(Tok::Space)), t(Tok::Amp)).parse(i);
            let Ok((rest, _)) = amp else {
                return Ok((i, group));
            };
            let (rest, _) = cut(many1(t_as(Tok::Space, "a space after `&`"))).parse(rest)?;
            let (rest, v) = cut(vertex_with_data).parse(rest)?;
            group.push(v);
            i = rest;
        }
    }

    /// A link: `[id@] LINK [|text| [space]]` or `[id@] START text LINK`.
    fn link<'a>(&self, i: In<'a>) -> R<'a, Link> {
        let start = i.first().map_or(0, |t| t.start);
        let (i, id) = opt(preceded(many0(t(Tok::Space)), t(Tok::LinkId))).parse(i)?;
        let plain = map(
            (
                t(Tok::Link),
                opt(terminated(
                    (t(Tok::Pipe), cut(|i| self.text(i)), cut(t(Tok::Pipe))),
                    opt(t(Tok::Space)),
                )),
            ),
            |(end, label)| (None, end, label.map(|(_, text, _)| text)),
        );
        let labelled = map(
            (
                t(Tok::StartLink),
                cut((
                    alt((
                        map(t(Tok::Str), |s| {
                            (self.slice(s).to_string(), LabelKind::String)
                        }),
                        map(t(Tok::MdStr), |s| {
                            (self.slice(s).to_string(), LabelKind::Markdown)
                        }),
                        map(many1(t_as(Tok::EdgeText, "link text")), |tokens| {
                            (self.joined(&tokens).text, LabelKind::Text)
                        }),
                    )),
                    t_as(Tok::Link, "the end of the link, such as `-->`"),
                )),
            ),
            |(open, (label, end))| (Some(open), end, Some(label)),
        );
        let mut body = alt((plain, labelled));
        let (i, (open, end, label)) = if id.is_some() {
            cut(body).parse(i)?
        } else {
            body.parse(i)?
        };
        Ok((
            i,
            Link {
                end: self.slice(end).trim().to_string(),
                start: open.map(|o| self.slice(o).trim().to_string()),
                label,
                id: id.map(|t| self.slice(t).replace('@', "")),
                range: start..end.end,
            },
        ))
    }

    fn vertex_statement<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let (mut i, first) = self.node_group(i)?;
        let mut groups = vec![first];
        let mut links = Vec::new();
        loop {
            match self.link(i) {
                Ok((rest, link)) => {
                    let (rest, group) = cut(|i| self.node_group(i)).parse(rest)?;
                    links.push(link);
                    groups.push(group);
                    i = rest;
                }
                Err(nom::Err::Error(_)) => break,
                // a link that failed after committing (an edge id, an unclosed label)
                Err(failure) => return Err(failure),
            }
        }
        let (i, _) = many0(t(Tok::Space)).parse(i)?;
        let (i, _) = cut(|i| self.separator(i)).parse(i)?;
        Ok((i, Stmt::Vertices { groups, links }))
    }

    /// `<keyword> <first> <second>` then a separator: the shape of `style`, `classDef` and
    /// `class`, committed once the keyword is read.
    fn keyword_with_two<'a, A, B>(
        &self,
        i: In<'a>,
        keyword: Tok,
        first: impl Fn(In<'a>) -> R<'a, A>,
        second: impl Fn(In<'a>) -> R<'a, B>,
    ) -> R<'a, (A, B)> {
        map(
            (
                t(keyword),
                cut((t(Tok::Space), first, t(Tok::Space), second, |i| {
                    self.separator(i)
                })),
            ),
            |(_, (_, a, _, b, _))| (a, b),
        )
        .parse(i)
    }

    fn style<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let (i, (id, styles)) =
            self.keyword_with_two(i, Tok::Style, |i| self.id(i), |i| self.styles(i))?;
        Ok((i, Stmt::Style { id, styles }))
    }

    fn class_def<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let (i, (ids, styles)) =
            self.keyword_with_two(i, Tok::ClassDef, |i| self.id(i), |i| self.styles(i))?;
        let ids = ids.text;
        Ok((i, Stmt::ClassDef { ids, styles }))
    }

    fn class<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let (i, (ids, class)) =
            self.keyword_with_two(i, Tok::Class, |i| self.id(i), |i| self.id(i))?;
        let (ids, class) = (ids.text, class.text);
        Ok((i, Stmt::Class { ids, class }))
    }

    fn link_style<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let positions = alt((
            map(t(Tok::Default), |_| None),
            map(
                separated_list1(t(Tok::Comma), t_as(Tok::Num, "a link number or `default`")),
                |nums| {
                    Some(
                        nums.into_iter()
                            .map(|n| Spanned {
                                text: self.slice(n).to_string(),
                                range: n.start..n.end,
                            })
                            .collect(),
                    )
                },
            ),
        ));
        let curve = many1(token("a curve name such as `basis`", |t: &Token| {
            alpha_num_token(t.kind)
        }));
        let styling = alt((
            map(
                (
                    t(Tok::Interpolate),
                    t(Tok::Space),
                    curve,
                    opt(preceded(t(Tok::Space), |i| self.styles(i))),
                ),
                |(_, _, _, styles)| styles.unwrap_or_default(),
            ),
            |i| self.styles(i),
        ));
        map(
            (
                t(Tok::LinkStyle),
                cut((t(Tok::Space), positions, t(Tok::Space), styling, |i| {
                    self.separator(i)
                })),
            ),
            |(_, (_, positions, _, styles, _))| Stmt::LinkStyle { positions, styles },
        )
        .parse(i)
    }

    fn click<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let tooltip = || opt((t(Tok::Space), t(Tok::Str)));
        let target = || opt((t(Tok::Space), t(Tok::LinkTarget)));
        let callback = map(
            (t(Tok::CallbackName), opt(t(Tok::CallbackArgs)), tooltip()),
            |_| Click::Callback,
        );
        let href = map(
            (t(Tok::Href), cut(t(Tok::Str)), tooltip(), target()),
            |(_, url, _, _)| Click::Link(self.slice(url).to_string(), url.start..url.end),
        );
        let url = map((t(Tok::Str), tooltip(), target()), |(url, _, _)| {
            Click::Link(self.slice(url).to_string(), url.start..url.end)
        });
        let function = map(
            (
                many1(token(
                    "a callback name, `call`, `href` or a quoted link",
                    |t: &Token| alpha_num_token(t.kind),
                )),
                tooltip(),
            ),
            |_| Click::Callback,
        );
        map(
            (
                t(Tok::Click),
                cut((alt((callback, href, url, function)), |i| self.separator(i))),
            ),
            |(ids, (action, _))| Stmt::Click {
                ids: self.slice(ids).to_string(),
                action,
            },
        )
        .parse(i)
    }

    fn subgraph<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let keyword_index = i.offset;
        let (i, keyword) = t(Tok::Subgraph)(i)?;
        let title_text = alt((
            map(t(Tok::Str), |s| {
                (self.slice(s).to_string(), LabelKind::Text)
            }),
            map(t(Tok::MdStr), |s| {
                (self.slice(s).to_string(), LabelKind::Markdown)
            }),
            map(
                many1(token("a subgraph id or title", |t: &Token| {
                    title_token(t.kind)
                })),
                |tokens| (self.joined(&tokens).text, LabelKind::Text),
            ),
        ));
        let head = opt(preceded(
            t(Tok::Space),
            cut((
                title_text,
                opt((t(Tok::Sqs), cut(|i| self.text(i)), cut(t(Tok::Sqe)))),
            )),
        ));
        let (i, head) = cut(head).parse(i)?;
        let (i, _) = cut(|i| self.separator(i)).parse(i)?;
        if self.depth.get() >= MAX_DEPTH {
            return Err(nom::Err::Failure(TokenError::new(
                keyword_index,
                "at most 64 nested subgraphs",
            )));
        }
        self.depth.set(self.depth.get() + 1);
        let body = self.document(i, true);
        self.depth.set(self.depth.get() - 1);
        let (i, body) = body?;
        let (id_text, title) = match head {
            Some((id_text, title)) => (Some(id_text), title.map(|(_, text, _)| text)),
            None => (None, None),
        };
        Ok((
            i,
            Stmt::Subgraph {
                keyword: keyword.start..keyword.end,
                id_text,
                title,
                body,
            },
        ))
    }

    fn statement<'a>(&self, i: In<'a>) -> R<'a, Stmt> {
        let start = i.offset;
        alt((
            map(t(Tok::Direction), |d| {
                Stmt::Direction(d.value.clone().unwrap_or_default())
            }),
            map((t(Tok::AccTitle), t(Tok::AccValue)), |(_, v)| {
                Stmt::AccTitle(self.slice(v).trim().to_string())
            }),
            map((t(Tok::AccDescr), t(Tok::AccValue)), |(_, v)| {
                Stmt::AccDescr(self.slice(v).trim().to_string())
            }),
            map(t(Tok::AccDescrBlock), |v| {
                Stmt::AccDescr(self.slice(v).trim().to_string())
            }),
            |i| self.style(i),
            |i| self.link_style(i),
            |i| self.class_def(i),
            |i| self.class(i),
            |i| self.click(i),
            |i| self.subgraph(i),
            |i| self.vertex_statement(i),
        ))
        .parse(i)
        .map_err(|e| match e {
            // nothing matched: say what may start a statement
            nom::Err::Error(e) if e.at == start => {
                nom::Err::Error(TokenError::new(start, "a statement"))
            }
            other => other,
        })
    }

    /// Statements up to `end` (inside a subgraph) or the end of the text. After a syntax
    /// error, parsing goes on at the next line, unless nothing readable follows.
    pub fn document<'a>(&self, mut i: In<'a>, in_subgraph: bool) -> R<'a, Vec<Stmt>> {
        let mut statements = Vec::new();
        loop {
            let Some(first) = i.first() else {
                return Ok((i, statements));
            };
            match first.kind {
                Tok::Eof if in_subgraph => {
                    return Err(nom::Err::Failure(TokenError::new(
                        i.offset,
                        "`end` to close the subgraph",
                    )))
                }
                Tok::Eof => return Ok((i, statements)),
                Tok::End if in_subgraph => return Ok((i.take_from(1), statements)),
                Tok::Semi => {
                    statements.push(Stmt::Semi);
                    i = i.take_from(1);
                    continue;
                }
                Tok::Newline | Tok::Space => {
                    i = i.take_from(1);
                    continue;
                }
                _ => {}
            }
            let result = if first.kind == Tok::End {
                Err(nom::Err::Error(TokenError::new(
                    i.offset,
                    "a statement (`end` closes nothing here)",
                )))
            } else {
                self.statement(i)
            };
            match result {
                Ok((rest, statement)) => {
                    statements.push(statement);
                    i = rest;
                }
                Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                    let found = i.slice.get(e.at.saturating_sub(i.offset)).map(|t| t.kind);
                    let fatal = matches!(
                        found,
                        None | Some(Tok::Eof | Tok::Unrecognized | Tok::UnclosedString)
                    );
                    if fatal || self.errors.borrow().len() + 1 >= MAX_REPORTED_ERRORS {
                        return Err(nom::Err::Failure(e));
                    }
                    let from = e.at.saturating_sub(i.offset).min(i.slice.len());
                    let next_line = i.slice[from..]
                        .iter()
                        .position(|t| matches!(t.kind, Tok::Newline | Tok::Semi | Tok::Eof))
                        .map_or(i.slice.len(), |p| p + from);
                    self.errors.borrow_mut().push(e);
                    i = i.take_from(next_line.max(1).min(i.slice.len()));
                }
                Err(incomplete) => return Err(incomplete),
            }
        }
    }

    /// `graphConfig`: a direction or a line break after the keyword.
    pub fn header<'a>(&self, i: In<'a>) -> R<'a, String> {
        const AFTER: &str = "`;` or a line break after the direction";
        alt((
            map(
                t_as(
                    Tok::NoDir,
                    "a direction (TB, TD, BT, RL, LR) or a line break",
                ),
                |_| "TB".to_string(),
            ),
            map(
                (
                    t_as(Tok::Dir, "a direction (TB, TD, BT, RL, LR) or a line break"),
                    cut(alt((
                        map(t_as(Tok::Semi, AFTER), |_| ()),
                        map(t_as(Tok::Newline, AFTER), |_| ()),
                        map((many1(t(Tok::Space)), t_as(Tok::Newline, AFTER)), |_| ()),
                    ))),
                ),
                |(dir, _)| dir.value.clone().unwrap_or_else(|| "TB".into()),
            ),
        ))
        .parse(i)
    }
}
