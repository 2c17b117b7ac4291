//! The sequence diagram grammar: nom combinators over the lexer's tokens, yielding records.

use super::lexer::{Keyword, Tok, TokKind};
use super::*;
use crate::mermaid::token_input::{expected, resume_after, token, TokResult, TokenError, Tokens};
use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::multi::fold_many0;
use nom::sequence::preceded;
use nom::Parser as _;
use std::cell::RefCell;
use std::ops::Range;

#[derive(Debug, Clone)]
pub(super) enum Record {
    AddParticipant {
        id: String,
        draw: Option<&'static str>,
        description: Option<String>,
        config: Option<(String, Range<usize>)>,
        range: Range<usize>,
    },
    CreateParticipant {
        id: String,
        draw: Option<&'static str>,
        description: Option<String>,
        config: Option<(String, Range<usize>)>,
        range: Range<usize>,
    },
    DestroyParticipant {
        id: String,
        range: Range<usize>,
    },
    Message {
        event: Event,
        range: Range<usize>,
    },
    Activate {
        actor: String,
        range: Range<usize>,
    },
    Deactivate {
        actor: String,
        range: Range<usize>,
    },
    Plain(Event),
    Links {
        actor: String,
        links: Vec<ParticipantLink>,
    },
    BoxStart {
        label: Option<String>,
        color: String,
    },
    BoxEnd,
    /// Text mermaid logs and ignores (`link`/`links`/`properties` it cannot read).
    Ignored {
        range: Range<usize>,
        why: &'static str,
    },
    Title(String),
    AccTitle(String),
    AccDescr(String),
}

/// The grammar's input and result types.
pub(super) type In<'t> = Tokens<'t, Tok>;
pub(super) type R<'t, O> = TokResult<'t, Tok, O>;

/// Deeper nesting is refused rather than risking the stack.
pub(super) const MAX_NESTING: usize = 200;

/// mermaid's `parseMessage`: trims, and strips a leading `wrap:` / `nowrap:` (case-sensitive,
/// unlike the lexer).
pub(super) fn message_text(raw: &str) -> String {
    let t = raw.trim();
    let t = t.strip_prefix(':').unwrap_or(t);
    for prefix in ["wrap:", "nowrap:"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    raw.trim().to_string()
}

/// Whether a text starts with mermaid's `nowrap:` (after the `:` of the statement).
pub(super) fn is_no_wrap(raw: &str) -> bool {
    let t = raw.trim();
    t.strip_prefix(':').unwrap_or(t).starts_with("nowrap:")
}

pub(super) fn kw<'t>(k: Keyword, what: &'static str) -> impl Fn(In<'t>) -> R<'t, &'t Tok> {
    token(what, move |t: &Tok| t.kind == TokKind::Keyword(k))
}

pub(super) fn kind<'t>(k: TokKind, what: &'static str) -> impl Fn(In<'t>) -> R<'t, &'t Tok> {
    token(what, move |t: &Tok| t.kind == k)
}

pub(super) fn actor(i: In<'_>) -> R<'_, &Tok> {
    kind(TokKind::Actor, "a participant name")(i)
}

pub(super) fn newline(i: In<'_>) -> R<'_, &Tok> {
    kind(TokKind::Newline, "end of line")(i)
}

pub(super) fn text(i: In<'_>) -> R<'_, &Tok> {
    kind(TokKind::Text, "`:` and a text")(i)
}

pub(super) fn rest_of_line(i: In<'_>) -> R<'_, &Tok> {
    kind(TokKind::RestOfLine, "text")(i)
}

pub(super) fn arrow(i: In<'_>) -> R<'_, Arrow> {
    let (i, t) = token("a message arrow such as `->>`", |t: &Tok| {
        matches!(t.kind, TokKind::Arrow(_))
    })(i)?;
    match t.kind {
        TokKind::Arrow(a) => Ok((i, a)),
        _ => unreachable!("matched an arrow token"),
    }
}

/// A mention of a participant in a message or note, which declares it if new.
pub(super) fn participant_ref(actor: &Tok) -> Record {
    Record::AddParticipant {
        id: actor.text.clone(),
        draw: None,
        description: None,
        config: None,
        range: actor.range.clone(),
    }
}

/// What the grammar carries down into blocks: the nesting depth, and the syntax errors
/// reported so far (statement index, what was expected), which recovery collects.
#[derive(Clone, Copy)]
pub(super) struct Cx<'c> {
    pub(super) depth: usize,
    pub(super) errors: &'c RefCell<Vec<TokenError>>,
}

impl Cx<'_> {
    fn nested(self) -> Self {
        Cx {
            depth: self.depth + 1,
            ..self
        }
    }
}

/// A run of lines: the keywords that end it (read by the statement around it) and what a line
/// it cannot read is told was expected.
pub(super) struct Body {
    pub(super) closers: &'static [Keyword],
    pub(super) expected: &'static str,
}

/// The diagram's top level: only the end of the text ends it.
const TOP_LEVEL: Body = Body {
    closers: &[],
    expected: "a statement (`end`, `else`, `and` and `option` only close or divide blocks)",
};

/// Reported errors beyond which a diagram is not read further.
const MAX_REPORTED_ERRORS: usize = 10;

/// Lines up to a closer of `body` or the end of the text. A line that cannot be read is
/// reported and skipped: reading resumes after its line break, so later mistakes are reported
/// too. An error with no line break after it (an unclosed block) ends the parse.
pub(super) fn lines<'t>(
    mut i: In<'t>,
    cx: Cx<'_>,
    body: &Body,
    line: impl Fn(In<'t>) -> R<'t, Vec<Record>>,
) -> R<'t, Vec<Record>> {
    let mut records = Vec::new();
    loop {
        let Some(first) = i.first() else {
            return Ok((i, records));
        };
        match &first.kind {
            TokKind::Eof => return Ok((i, records)),
            TokKind::Keyword(k) if body.closers.contains(k) => return Ok((i, records)),
            _ => {}
        }
        let error = match line(i) {
            Ok((rest, mut read)) => {
                records.append(&mut read);
                i = rest;
                continue;
            }
            Err(nom::Err::Error(_)) => TokenError::at_start(i, body.expected),
            Err(nom::Err::Failure(e)) => e,
            Err(incomplete) => return Err(incomplete),
        };
        let room = cx.errors.borrow().len() + 1 < MAX_REPORTED_ERRORS;
        let resumed = (room && !error.fatal)
            .then(|| resume_after(i, error.at, |t: &Tok| t.kind == TokKind::Newline))
            .flatten();
        let Some(rest) = resumed else {
            return Err(nom::Err::Failure(error));
        };
        cx.errors.borrow_mut().push(error);
        i = rest;
    }
}

pub(super) fn line<'t>(i: In<'t>, cx: Cx<'_>) -> R<'t, Vec<Record>> {
    alt((
        map(
            token("end of line", |t: &Tok| {
                matches!(t.kind, TokKind::Newline | TokKind::Invalid)
            }),
            |_| Vec::new(),
        ),
        |i| statement(i, cx),
    ))
    .parse(i)
}

pub(super) fn statement<'t>(i: In<'t>, cx: Cx<'_>) -> R<'t, Vec<Record>> {
    alt((
        participant_statement,
        create_statement,
        |i| box_statement(i, cx),
        autonumber_statement,
        activation_statement,
        note_statement,
        link_statement,
        title_statement,
        |i| block_statement(i, cx),
        signal_statement,
    ))
    .parse(i)
}

/// `participant`/`actor` declarations and `destroy`.
pub(super) fn participant_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    alt((
        map(
            (kw(Keyword::Destroy, "`destroy`"), cut((actor, newline))),
            |(k, (a, _))| {
                vec![Record::DestroyParticipant {
                    id: a.text.clone(),
                    range: k.range.start..a.range.end,
                }]
            },
        ),
        map(
            (
                token("`participant` or `actor`", |t: &Tok| {
                    matches!(
                        t.kind,
                        TokKind::Keyword(Keyword::Participant | Keyword::Actor)
                    )
                }),
                cut(declaration),
            ),
            |(k, d)| vec![declaration_record(k, d, false)],
        ),
    ))
    .parse(i)
}

pub(super) fn create_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    map(
        (
            kw(Keyword::Create, "`create`"),
            cut((
                token("`participant` or `actor` after `create`", |t: &Tok| {
                    matches!(
                        t.kind,
                        TokKind::Keyword(Keyword::Participant | Keyword::Actor)
                    )
                }),
                declaration,
            )),
        ),
        |(_, (k, d))| vec![declaration_record(k, d, true)],
    )
    .parse(i)
}

/// What follows `participant`: the name, an optional `@{ ... }` and an optional alias.
pub(super) struct Declaration<'t> {
    pub(super) actor: &'t Tok,
    pub(super) config: Option<(String, Range<usize>)>,
    pub(super) description: Option<String>,
}

pub(super) fn declaration(i: In<'_>) -> R<'_, Declaration<'_>> {
    map(
        (
            actor,
            opt(config),
            alt((
                map(
                    (kind(TokKind::As, "`as`"), rest_of_line, newline),
                    |(_, l, _)| Some(message_text(&l.text)),
                ),
                map(newline, |_| None),
                expected("`as` or end of line"),
            )),
        ),
        |(actor, config, description)| Declaration {
            actor,
            config,
            description,
        },
    )
    .parse(i)
}

pub(super) fn config(i: In<'_>) -> R<'_, (String, Range<usize>)> {
    map(
        (
            kind(TokKind::ConfigStart, "`@{`"),
            cut(alt((
                map(
                    (
                        kind(TokKind::ConfigContent, "participant configuration"),
                        kind(TokKind::ConfigEnd, "`}`"),
                    ),
                    |(c, e)| (c.text.trim().to_string(), e.range.end),
                ),
                map(kind(TokKind::ConfigEnd, "`}`"), |e| {
                    (String::new(), e.range.end)
                }),
                expected("`}` closing the participant configuration"),
            ))),
        ),
        |(s, (text, end))| (text, s.range.start..end),
    )
    .parse(i)
}

pub(super) fn declaration_record(keyword: &Tok, d: Declaration<'_>, create: bool) -> Record {
    let draw = Some(if keyword.kind == TokKind::Keyword(Keyword::Actor) {
        "actor"
    } else {
        "participant"
    });
    let id = d.actor.text.clone();
    let range = keyword.range.start..d.actor.range.end;
    if create {
        Record::CreateParticipant {
            id,
            draw,
            description: d.description,
            config: d.config,
            range,
        }
    } else {
        Record::AddParticipant {
            id,
            draw,
            description: d.description,
            config: d.config,
            range,
        }
    }
}

pub(super) fn box_statement<'t>(i: In<'t>, cx: Cx<'_>) -> R<'t, Vec<Record>> {
    const BOX: Body = Body {
        closers: &[Keyword::End],
        expected: "`participant`, `actor` or `end` inside `box`",
    };
    fn member(i: In<'_>) -> R<'_, Vec<Record>> {
        alt((map(newline, |_| Vec::new()), participant_statement)).parse(i)
    }
    map(
        (
            kw(Keyword::Box, "`box`"),
            cut((
                rest_of_line,
                |i| lines(i, cx, &BOX, member),
                alt((kw(Keyword::End, "`end`"), expected(BOX.expected))),
            )),
        ),
        |(_, (line, mut members, _))| {
            let (color, label) = box_data(&line.text);
            let mut records = vec![Record::BoxStart { label, color }];
            records.append(&mut members);
            records.push(Record::BoxEnd);
            records
        },
    )
    .parse(i)
}

pub(super) fn autonumber_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    let number = || kind(TokKind::Num, "a number");
    let event = |start: Option<&Tok>, step: Option<&Tok>, visible| {
        vec![Record::Plain(Event::Autonumber {
            start: start.map(|t| t.text.clone()),
            step: step.map(|t| t.text.clone()),
            visible,
        })]
    };
    preceded(
        kw(Keyword::Autonumber, "`autonumber`"),
        cut(alt((
            map(newline, move |_| event(None, None, true)),
            map((kw(Keyword::Off, "`off`"), cut(newline)), move |_| {
                event(None, None, false)
            }),
            map(
                (
                    number(),
                    cut(alt((
                        map(newline, |_| None),
                        map((number(), cut(newline)), |(n, _)| Some(n)),
                        expected("a step number or end of line"),
                    ))),
                ),
                move |(start, step)| event(Some(start), step, true),
            ),
            expected("a start number, `off` or end of line"),
        ))),
    )
    .parse(i)
}

pub(super) fn activation_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    map(
        (
            token("`activate` or `deactivate`", |t: &Tok| {
                matches!(
                    t.kind,
                    TokKind::Keyword(Keyword::Activate | Keyword::Deactivate)
                )
            }),
            cut((actor, newline)),
        ),
        |(k, (a, _))| {
            let range = k.range.start..a.range.end;
            let actor = a.text.clone();
            vec![if k.kind == TokKind::Keyword(Keyword::Activate) {
                Record::Activate { actor, range }
            } else {
                Record::Deactivate { actor, range }
            }]
        },
    )
    .parse(i)
}

pub(super) fn note_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    let side = map(
        (
            token("`left of` or `right of`", |t: &Tok| {
                matches!(t.kind, TokKind::Keyword(Keyword::LeftOf | Keyword::RightOf))
            }),
            cut(actor),
        ),
        |(p, a)| {
            let placement = if p.kind == TokKind::Keyword(Keyword::LeftOf) {
                NotePlacement::LeftOf
            } else {
                NotePlacement::RightOf
            };
            (placement, vec![a])
        },
    );
    let over = map(
        (
            kw(Keyword::Over, "`over`"),
            cut((
                actor,
                opt(preceded(kind(TokKind::Comma, "`,`"), cut(actor))),
            )),
        ),
        |(_, (a, b))| (NotePlacement::Over, std::iter::once(a).chain(b).collect()),
    );
    map(
        (
            kw(Keyword::Note, "`note`"),
            cut((
                alt((side, over, expected("`left of`, `right of` or `over`"))),
                text,
                newline,
            )),
        ),
        |(_, ((placement, actors), text, _)): (_, ((NotePlacement, Vec<&Tok>), &Tok, _))| {
            let mut records: Vec<Record> = actors.iter().map(|a| participant_ref(a)).collect();
            records.push(Record::Plain(Event::Note {
                placement,
                actors: actors.iter().map(|a| a.text.clone()).collect(),
                text: message_text(&text.text),
                no_wrap: is_no_wrap(&text.text),
            }));
            records
        },
    )
    .parse(i)
}

/// `link`, `links`, `properties` and `details`.
pub(super) fn link_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    map(
        (
            token("`link`, `links`, `properties` or `details`", |t: &Tok| {
                matches!(
                    t.kind,
                    TokKind::Keyword(
                        Keyword::Links | Keyword::Link | Keyword::Properties | Keyword::Details
                    )
                )
            }),
            cut((actor, text, newline)),
        ),
        |(k, (a, t, _))| {
            let mut records = vec![participant_ref(a)];
            let value = message_text(&t.text);
            let ignored = |why: &'static str| Record::Ignored {
                range: t.range.clone(),
                why,
            };
            match k.kind {
                TokKind::Keyword(Keyword::Link) => match value.split_once('@') {
                    Some((label, url)) => records.push(Record::Links {
                        actor: a.text.clone(),
                        links: vec![ParticipantLink {
                            label: label.trim().to_string(),
                            url: url.trim().to_string(),
                            range: t.range.clone(),
                        }],
                    }),
                    None => records.push(ignored("a `link` needs the form `label @ url`")),
                },
                TokKind::Keyword(kw @ (Keyword::Links | Keyword::Properties)) => {
                    match serde_json::from_str::<serde_json::Value>(&value) {
                        Ok(serde_json::Value::Object(map)) if kw == Keyword::Links => {
                            records.push(Record::Links {
                                actor: a.text.clone(),
                                links: map
                                    .into_iter()
                                    .map(|(k, v)| {
                                        let v = v
                                            .as_str()
                                            .map_or_else(|| v.to_string(), str::to_string);
                                        ParticipantLink {
                                            label: k,
                                            url: v,
                                            range: t.range.clone(),
                                        }
                                    })
                                    .collect(),
                            })
                        }
                        Ok(serde_json::Value::Object(_)) => {}
                        _ => records.push(ignored("the text must be a JSON object")),
                    }
                }
                _ => {}
            }
            records
        },
    )
    .parse(i)
}

pub(super) fn title_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    map(
        token("`title`, `accTitle` or `accDescr`", |t: &Tok| {
            matches!(
                t.kind,
                TokKind::Title | TokKind::AccTitle | TokKind::AccDescr
            )
        }),
        |t| {
            vec![match t.kind {
                TokKind::Title => Record::Title(t.text.clone()),
                TokKind::AccTitle => Record::AccTitle(t.text.clone()),
                _ => Record::AccDescr(t.text.clone()),
            }]
        },
    )
    .parse(i)
}

/// `loop`, `rect`, `opt`, `break`, `alt`/`else`, `par`/`par_over`/`and`, `critical`/`option`.
pub(super) fn block_statement<'t>(i: In<'t>, cx: Cx<'_>) -> R<'t, Vec<Record>> {
    let (rest, opener) = token("a block keyword", |t: &Tok| {
        matches!(
            t.kind,
            TokKind::Keyword(
                Keyword::Loop
                    | Keyword::Rect
                    | Keyword::Opt
                    | Keyword::Break
                    | Keyword::Alt
                    | Keyword::Par
                    | Keyword::ParOver
                    | Keyword::Critical
            )
        )
    })(i)?;
    if cx.depth >= MAX_NESTING {
        let too_deep = TokenError::at_start(i, format!("at most {MAX_NESTING} nested blocks"));
        return Err(nom::Err::Failure(too_deep.fatal()));
    }
    let TokKind::Keyword(k) = opener.kind else {
        unreachable!("matched a keyword token")
    };
    const ENDED: Body = Body {
        closers: &[Keyword::End],
        expected: "a statement or `end`",
    };
    let (kind_, section, body) = match k {
        Keyword::Loop => (BlockKind::Loop, None, ENDED),
        Keyword::Rect => (BlockKind::Rect, None, ENDED),
        Keyword::Opt => (BlockKind::Opt, None, ENDED),
        Keyword::Break => (BlockKind::Break, None, ENDED),
        Keyword::Alt => (
            BlockKind::Alt,
            Some(Keyword::Else),
            Body {
                closers: &[Keyword::Else, Keyword::End],
                expected: "a statement, `else` or `end`",
            },
        ),
        Keyword::Par | Keyword::ParOver => (
            if k == Keyword::Par {
                BlockKind::Par
            } else {
                BlockKind::ParOver
            },
            Some(Keyword::And),
            Body {
                closers: &[Keyword::And, Keyword::End],
                expected: "a statement, `and` or `end`",
            },
        ),
        _ => (
            BlockKind::Critical,
            Some(Keyword::Option),
            Body {
                closers: &[Keyword::Option, Keyword::End],
                expected: "a statement, `option` or `end`",
            },
        ),
    };
    let end_message = body.expected;
    let body = |i| lines(i, cx.nested(), &body, |i| line(i, cx.nested()));
    let sections = fold_many0(
        move |i| match section {
            Some(s) => (kw(s, "a section keyword"), rest_of_line, body).parse(i),
            None => expected("")(i),
        },
        Vec::new,
        |mut acc, (_, label, mut records): (&Tok, &Tok, Vec<Record>)| {
            acc.push(Record::Plain(Event::BlockSection {
                kind: kind_,
                label: message_text(&label.text),
            }));
            acc.append(&mut records);
            acc
        },
    );
    let (rest, (label, mut first, mut others, _)) = cut((
        rest_of_line,
        body,
        sections,
        alt((kw(Keyword::End, "`end`"), expected(end_message))),
    ))
    .parse(rest)?;
    let mut records = vec![Record::Plain(Event::BlockStart {
        kind: kind_,
        label: message_text(&label.text),
    })];
    records.append(&mut first);
    records.append(&mut others);
    records.push(Record::Plain(Event::BlockEnd { kind: kind_ }));
    Ok((rest, records))
}

/// `A->>B: text`, with `+`/`-` (activation) or `()` (central connection) forms.
pub(super) fn signal_statement(i: In<'_>) -> R<'_, Vec<Record>> {
    let central = || kind(TokKind::CentralConnection, "`()`");
    let (rest, from) = actor(i)?;
    let (rest, (central_source, arrow, modifier, to, text, _)) = cut(alt((
        map(
            (
                central(),
                cut((arrow, opt(central()), actor, text, newline)),
            ),
            |(_, (a, m, to, t, n))| (true, a, m, to, t, n),
        ),
        map(
            (
                arrow,
                cut((
                    opt(token("`+`, `-` or `()`", |t: &Tok| {
                        matches!(
                            t.kind,
                            TokKind::Plus | TokKind::Minus | TokKind::CentralConnection
                        )
                    })),
                    actor,
                    text,
                    newline,
                )),
            ),
            |(a, (m, to, t, n))| (false, a, m, to, t, n),
        ),
        expected("a message arrow such as `->>`"),
    )))
    .parse(rest)?;
    let modifier = modifier.map(|m| m.kind.clone());
    let activates = modifier == Some(TokKind::Plus);
    let deactivates = modifier == Some(TokKind::Minus);
    let central_target = modifier == Some(TokKind::CentralConnection);
    let mut records = vec![participant_ref(from), participant_ref(to)];
    records.push(Record::Message {
        event: Event::Message {
            from: from.text.clone(),
            to: to.text.clone(),
            arrow,
            text: message_text(&text.text),
            activates_target: activates || central_target,
            deactivates_source: deactivates,
            central_source,
            central_target,
        },
        range: from.range.start..text.range.end,
    });
    if activates {
        records.push(Record::Activate {
            actor: to.text.clone(),
            range: to.range.clone(),
        });
    }
    if deactivates {
        records.push(Record::Deactivate {
            actor: from.text.clone(),
            range: from.range.clone(),
        });
    }
    if central_target {
        records.push(Record::Plain(Event::CentralConnection {
            actor: to.text.clone(),
        }));
    }
    if central_source {
        records.push(Record::Plain(Event::CentralConnection {
            actor: from.text.clone(),
        }));
    }
    Ok((rest, records))
}

/// `sequenceDiagram` is followed by lines up to the end of the text. Returns the records
/// and every syntax error found (token index, what was expected), in text order.
pub(super) fn diagram<'t>(i: In<'t>) -> (Vec<Record>, Vec<TokenError>) {
    let errors = RefCell::new(Vec::new());
    let cx = Cx {
        depth: 0,
        errors: &errors,
    };
    let records = match lines(i, cx, &TOP_LEVEL, |i| line(i, cx)) {
        Ok((_, records)) => records,
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            errors.borrow_mut().push(e);
            Vec::new()
        }
        Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
    };
    (records, errors.into_inner())
}
