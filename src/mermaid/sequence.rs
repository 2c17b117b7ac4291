//! Sequence diagrams (`sequenceDiagram`): grammar in `grammars/mermaid-sequence.ebnf`.
//!
//! Parsing happens in two steps, as in mermaid: the statements are read into a flat list of
//! records (participants, messages, block starts and ends, ...), then the records are applied in
//! order to build the model, which is where mermaid's own checks happen (deactivating an
//! inactive participant, a created participant without its creating message, ...).

pub use super::sequence_lexer::Arrow;
use super::sequence_lexer::{Keyword, Lexer, Tok, TokKind};
use super::{DiagramGraph, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceText;
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

/// A parsed sequence diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequenceDiagram {
    pub title: Option<String>,
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
    /// Participants in the order mermaid draws them (first mention).
    pub participants: Vec<Participant>,
    pub boxes: Vec<ParticipantBox>,
    /// Messages, notes and control records in source order.
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    pub id: String,
    /// The alias (`participant A as Alice`), else the id.
    pub label: String,
    /// `participant`, `actor`, or a type from `@{ "type": ... }` (`database`, `queue`, ...).
    pub kind: String,
    /// Index into [`SequenceDiagram::boxes`].
    pub group: Option<usize>,
    pub created: bool,
    pub destroyed: bool,
    /// `link A: label @ url` and `links A: {json}` entries, in order.
    pub links: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantBox {
    pub label: Option<String>,
    pub color: String,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotePlacement {
    LeftOf,
    RightOf,
    Over,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Loop,
    Rect,
    Opt,
    Alt,
    Par,
    ParOver,
    Critical,
    Break,
}

/// One record of the diagram's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Message {
        from: String,
        to: String,
        arrow: Arrow,
        text: String,
        /// `A->>+B` / `A->>-B` / `A()->>B` forms.
        activates_target: bool,
        deactivates_source: bool,
        central_source: bool,
        central_target: bool,
    },
    Note {
        placement: NotePlacement,
        actors: Vec<String>,
        text: String,
    },
    Activate {
        actor: String,
    },
    Deactivate {
        actor: String,
    },
    /// The marker mermaid records for a `()` end of a message.
    CentralConnection {
        actor: String,
    },
    Autonumber {
        start: Option<String>,
        step: Option<String>,
        visible: bool,
    },
    BlockStart {
        kind: BlockKind,
        label: String,
    },
    /// `else`, `and` or `option` inside a block.
    BlockSection {
        kind: BlockKind,
        label: String,
    },
    BlockEnd {
        kind: BlockKind,
    },
}

impl SequenceDiagram {
    /// Participants are nodes (grouped by box), messages are edges in order.
    pub fn graph(&self) -> DiagramGraph {
        let mut g = DiagramGraph::default();
        for (i, b) in self.boxes.iter().enumerate() {
            g.groups.push(GraphGroup {
                id: format!("box{i}"),
                label: b.label.clone().unwrap_or_default(),
                parent: None,
            });
        }
        let mut index = HashMap::new();
        for p in &self.participants {
            let n = g.graph.add_node(GraphNode {
                id: p.id.clone(),
                label: p.label.clone(),
                kind: p.kind.clone(),
                group: p.group.map(|i| format!("box{i}")),
            });
            index.insert(p.id.as_str(), n);
        }
        for e in &self.events {
            if let Event::Message {
                from,
                to,
                arrow,
                text,
                ..
            } = e
            {
                if let (Some(a), Some(b)) = (index.get(from.as_str()), index.get(to.as_str())) {
                    g.graph.add_edge(
                        *a,
                        *b,
                        GraphEdge {
                            kind: format!("{arrow:?}"),
                            label: text.clone(),
                        },
                    );
                }
            }
        }
        g
    }

    /// The messages, in order.
    pub fn messages(&self) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(|e| matches!(e, Event::Message { .. }))
    }
}

/// What one statement contributes, before mermaid's checks (see the module docs).
#[derive(Debug, Clone)]
enum Record {
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
        links: Vec<(String, String)>,
    },
    BoxStart {
        label: Option<String>,
        color: String,
    },
    BoxEnd,
    Title(String),
    AccTitle(String),
    AccDescr(String),
}

struct Parser<'a> {
    src: &'a SourceText,
    lexer: Lexer<'a>,
    peeked: Option<Tok>,
    records: Vec<Record>,
    diagnostics: Vec<Diagnostic>,
    /// Set after a syntax error: mermaid stops at its first one, and so do we.
    failed: bool,
    /// How many blocks enclose the statement being read.
    depth: usize,
}

/// Deeper nesting is refused rather than risking the stack.
const MAX_NESTING: usize = 200;

/// A syntax error: the token found and what was expected there.
struct Expected {
    found: Tok,
    expected: String,
}

type PResult<T> = Result<T, Expected>;

/// mermaid's `parseMessage`: trims, and strips a leading `wrap:` / `nowrap:` (case-sensitive,
/// unlike the lexer).
fn message_text(raw: &str) -> String {
    let t = raw.trim();
    let t = t.strip_prefix(':').unwrap_or(t);
    for prefix in ["wrap:", "nowrap:"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    raw.trim().to_string()
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> &Tok {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token());
        }
        self.peeked.as_ref().expect("just filled")
    }

    fn next(&mut self) -> Tok {
        match self.peeked.take() {
            Some(t) => t,
            None => self.lexer.next_token(),
        }
    }

    fn expect(&mut self, kind: &TokKind, what: &str) -> PResult<Tok> {
        if &self.peek().kind == kind {
            Ok(self.next())
        } else {
            Err(Expected {
                found: self.next(),
                expected: what.to_string(),
            })
        }
    }

    fn expect_actor(&mut self) -> PResult<Tok> {
        self.expect(&TokKind::Actor, "a participant name")
    }

    fn expect_newline(&mut self) -> PResult<()> {
        self.expect(&TokKind::Newline, "end of line").map(|_| ())
    }

    fn expect_text(&mut self) -> PResult<Tok> {
        self.expect(&TokKind::Text, "`:` and a text")
    }

    /// mermaid logs and ignores `link`/`links`/`properties` text it cannot read.
    fn warn_ignored(&mut self, text: &Tok, why: &str) {
        self.diagnostics.push(self.src.diagnostic(
            "MMD208",
            Severity::Warning,
            format!("this is ignored: {why}"),
            text.range.clone(),
        ));
    }

    fn report(&mut self, e: Expected) {
        let found = match &e.found.kind {
            TokKind::Actor | TokKind::Invalid if !e.found.text.is_empty() => {
                format!("`{}`", e.found.text)
            }
            k => k.describe(),
        };
        let range = if e.found.range.is_empty() {
            e.found.range.start..e.found.range.start
        } else {
            e.found.range.clone()
        };
        self.diagnostics.push(self.src.diagnostic(
            "MMD201",
            Severity::Error,
            format!("expected {}, found {found}", e.expected),
            range,
        ));
        self.failed = true;
    }

    /// Statements until `end`/`else`/`and`/`option` or the end of the diagram; returns the
    /// token that stopped the document (not consumed).
    fn document(&mut self) -> PResult<()> {
        loop {
            let kind = self.peek().kind.clone();
            match kind {
                TokKind::Eof => return Ok(()),
                TokKind::Newline | TokKind::Invalid => {
                    self.next();
                }
                TokKind::Keyword(Keyword::End | Keyword::Else | Keyword::And | Keyword::Option) => {
                    return Ok(())
                }
                _ => self.statement()?,
            }
        }
    }

    fn statement(&mut self) -> PResult<()> {
        let tok = self.next();
        match tok.kind.clone() {
            TokKind::Keyword(kw) => self.keyword_statement(kw, tok),
            TokKind::Title => {
                self.records.push(Record::Title(tok.text));
                Ok(())
            }
            TokKind::AccTitle => {
                self.records.push(Record::AccTitle(tok.text));
                Ok(())
            }
            TokKind::AccDescr => {
                self.records.push(Record::AccDescr(tok.text));
                Ok(())
            }
            TokKind::Actor => self.signal(tok),
            TokKind::Invalid if tok.range.is_empty() => Ok(()),
            _ => Err(Expected {
                found: tok,
                expected: "a statement (a message, participant, note or block)".into(),
            }),
        }
    }

    fn keyword_statement(&mut self, kw: Keyword, tok: Tok) -> PResult<()> {
        match kw {
            Keyword::Participant | Keyword::Actor | Keyword::Destroy => {
                self.participant_statement(kw, tok, false)
            }
            Keyword::Create => {
                let next = self.next();
                match next.kind {
                    TokKind::Keyword(k @ (Keyword::Participant | Keyword::Actor)) => {
                        self.participant_statement(k, next, true)
                    }
                    _ => Err(Expected {
                        found: next,
                        expected: "`participant` or `actor` after `create`".into(),
                    }),
                }
            }
            Keyword::Box => {
                let line = self.next();
                let (color, label) = box_data(&line.text);
                self.records.push(Record::BoxStart { label, color });
                loop {
                    let t = self.next();
                    match t.kind {
                        TokKind::Newline => {}
                        TokKind::Keyword(k @ (Keyword::Participant | Keyword::Actor)) => {
                            self.participant_statement(k, t, false)?;
                        }
                        TokKind::Keyword(Keyword::Destroy) => {
                            self.participant_statement(Keyword::Destroy, t, false)?;
                        }
                        TokKind::Keyword(Keyword::End) => break,
                        _ => {
                            return Err(Expected {
                                found: t,
                                expected: "`participant`, `actor` or `end` inside `box`".into(),
                            })
                        }
                    }
                }
                self.records.push(Record::BoxEnd);
                Ok(())
            }
            Keyword::Autonumber => {
                let t = self.next();
                let event = match t.kind {
                    TokKind::Newline => Event::Autonumber {
                        start: None,
                        step: None,
                        visible: true,
                    },
                    TokKind::Keyword(Keyword::Off) => {
                        self.expect_newline()?;
                        Event::Autonumber {
                            start: None,
                            step: None,
                            visible: false,
                        }
                    }
                    TokKind::Num => {
                        let second = self.next();
                        match second.kind {
                            TokKind::Newline => Event::Autonumber {
                                start: Some(t.text),
                                step: None,
                                visible: true,
                            },
                            TokKind::Num => {
                                self.expect_newline()?;
                                Event::Autonumber {
                                    start: Some(t.text),
                                    step: Some(second.text),
                                    visible: true,
                                }
                            }
                            _ => {
                                return Err(Expected {
                                    found: second,
                                    expected: "a step number or end of line".into(),
                                })
                            }
                        }
                    }
                    _ => {
                        return Err(Expected {
                            found: t,
                            expected: "a start number, `off` or end of line".into(),
                        })
                    }
                };
                self.records.push(Record::Plain(event));
                Ok(())
            }
            Keyword::Activate | Keyword::Deactivate => {
                let actor = self.expect_actor()?;
                self.expect_newline()?;
                let range = tok.range.start..actor.range.end;
                self.records.push(if kw == Keyword::Activate {
                    Record::Activate {
                        actor: actor.text,
                        range,
                    }
                } else {
                    Record::Deactivate {
                        actor: actor.text,
                        range,
                    }
                });
                Ok(())
            }
            Keyword::Note => self.note(),
            Keyword::Links | Keyword::Link | Keyword::Properties | Keyword::Details => {
                let actor = self.expect_actor()?;
                let text = self.expect_text()?;
                self.expect_newline()?;
                self.add_participant_ref(&actor);
                let value = message_text(&text.text);
                let links = match kw {
                    Keyword::Link => match value.split_once('@') {
                        Some((label, url)) => {
                            vec![(label.trim().to_string(), url.trim().to_string())]
                        }
                        None => {
                            self.warn_ignored(&text, "a `link` needs the form `label @ url`");
                            Vec::new()
                        }
                    },
                    Keyword::Links | Keyword::Properties => {
                        match serde_json::from_str::<serde_json::Value>(&value) {
                            Ok(serde_json::Value::Object(map)) if kw == Keyword::Links => map
                                .into_iter()
                                .map(|(k, v)| {
                                    (k, v.as_str().map_or_else(|| v.to_string(), str::to_string))
                                })
                                .collect(),
                            Ok(serde_json::Value::Object(_)) => Vec::new(),
                            _ => {
                                self.warn_ignored(&text, "the text must be a JSON object");
                                Vec::new()
                            }
                        }
                    }
                    _ => Vec::new(),
                };
                if !links.is_empty() {
                    self.records.push(Record::Links {
                        actor: actor.text,
                        links,
                    });
                }
                Ok(())
            }
            Keyword::Loop | Keyword::Rect | Keyword::Opt | Keyword::Break => {
                let kind = match kw {
                    Keyword::Loop => BlockKind::Loop,
                    Keyword::Rect => BlockKind::Rect,
                    Keyword::Opt => BlockKind::Opt,
                    _ => BlockKind::Break,
                };
                self.block(kind, None)
            }
            Keyword::Alt => self.block(BlockKind::Alt, Some(Keyword::Else)),
            Keyword::Par => self.block(BlockKind::Par, Some(Keyword::And)),
            Keyword::ParOver => self.block(BlockKind::ParOver, Some(Keyword::And)),
            Keyword::Critical => self.block(BlockKind::Critical, Some(Keyword::Option)),
            _ => Err(Expected {
                found: tok,
                expected: "a statement (a message, participant, note or block)".into(),
            }),
        }
    }

    fn block(&mut self, kind: BlockKind, section: Option<Keyword>) -> PResult<()> {
        let label = self.next();
        if self.depth >= MAX_NESTING {
            return Err(Expected {
                found: label,
                expected: format!("at most {MAX_NESTING} nested blocks"),
            });
        }
        self.depth += 1;
        let result = self.block_body(kind, section, label);
        self.depth -= 1;
        result
    }

    fn block_body(&mut self, kind: BlockKind, section: Option<Keyword>, label: Tok) -> PResult<()> {
        self.records.push(Record::Plain(Event::BlockStart {
            kind,
            label: message_text(&label.text),
        }));
        loop {
            self.document()?;
            let t = self.next();
            match t.kind {
                TokKind::Keyword(Keyword::End) => break,
                TokKind::Keyword(k) if Some(k) == section => {
                    let label = self.next();
                    self.records.push(Record::Plain(Event::BlockSection {
                        kind,
                        label: message_text(&label.text),
                    }));
                }
                _ => {
                    let expected = match section {
                        Some(k) => format!("`{}` or `end`", k.text()),
                        None => "`end`".into(),
                    };
                    return Err(Expected { found: t, expected });
                }
            }
        }
        self.records.push(Record::Plain(Event::BlockEnd { kind }));
        Ok(())
    }

    fn participant_statement(&mut self, kw: Keyword, kw_tok: Tok, create: bool) -> PResult<()> {
        let actor = self.expect_actor()?;
        if kw == Keyword::Destroy {
            self.expect_newline()?;
            self.records.push(Record::DestroyParticipant {
                id: actor.text,
                range: kw_tok.range.start..actor.range.end,
            });
            return Ok(());
        }
        let mut config = None;
        if self.peek().kind == TokKind::ConfigStart {
            let start = self.next();
            let content = self.next();
            let (text, end) = match content.kind {
                TokKind::ConfigContent => {
                    let end = self.expect(&TokKind::ConfigEnd, "`}`")?;
                    (content.text, end)
                }
                TokKind::ConfigEnd => (String::new(), content),
                _ => {
                    return Err(Expected {
                        found: content,
                        expected: "`}` closing the participant configuration".into(),
                    })
                }
            };
            config = Some((text.trim().to_string(), start.range.start..end.range.end));
        }
        let mut description = None;
        let t = self.next();
        match t.kind {
            TokKind::As => {
                let line = self.next();
                description = Some(message_text(&line.text));
                self.expect_newline()?;
            }
            TokKind::Newline => {}
            _ => {
                return Err(Expected {
                    found: t,
                    expected: "`as` or end of line".into(),
                })
            }
        }
        let draw = Some(if kw == Keyword::Actor {
            "actor"
        } else {
            "participant"
        });
        let range = kw_tok.range.start..actor.range.end;
        self.records.push(if create {
            Record::CreateParticipant {
                id: actor.text,
                draw,
                description,
                config,
                range,
            }
        } else {
            Record::AddParticipant {
                id: actor.text,
                draw,
                description,
                config,
                range,
            }
        });
        Ok(())
    }

    /// A mention of a participant in a message or note, which declares it if new.
    fn add_participant_ref(&mut self, actor: &Tok) {
        self.records.push(Record::AddParticipant {
            id: actor.text.clone(),
            draw: None,
            description: None,
            config: None,
            range: actor.range.clone(),
        });
    }

    fn note(&mut self) -> PResult<()> {
        let t = self.next();
        let (placement, actors) = match t.kind {
            TokKind::Keyword(Keyword::LeftOf) | TokKind::Keyword(Keyword::RightOf) => {
                let actor = self.expect_actor()?;
                let placement = if t.kind == TokKind::Keyword(Keyword::LeftOf) {
                    NotePlacement::LeftOf
                } else {
                    NotePlacement::RightOf
                };
                (placement, vec![actor])
            }
            TokKind::Keyword(Keyword::Over) => {
                let first = self.expect_actor()?;
                let mut actors = vec![first];
                if self.peek().kind == TokKind::Comma {
                    self.next();
                    actors.push(self.expect_actor()?);
                }
                (NotePlacement::Over, actors)
            }
            _ => {
                return Err(Expected {
                    found: t,
                    expected: "`left of`, `right of` or `over`".into(),
                })
            }
        };
        let text = self.expect_text()?;
        self.expect_newline()?;
        for a in &actors {
            self.add_participant_ref(a);
        }
        self.records.push(Record::Plain(Event::Note {
            placement,
            actors: actors.into_iter().map(|a| a.text).collect(),
            text: message_text(&text.text),
        }));
        Ok(())
    }

    fn signal(&mut self, from: Tok) -> PResult<()> {
        let mut central_source = false;
        if self.peek().kind == TokKind::CentralConnection {
            self.next();
            central_source = true;
        }
        let arrow_tok = self.next();
        let TokKind::Arrow(arrow) = arrow_tok.kind else {
            return Err(Expected {
                found: arrow_tok,
                expected: "a message arrow such as `->>`".into(),
            });
        };
        let (mut activates, mut deactivates, mut central_target) = (false, false, false);
        match self.peek().kind {
            TokKind::Plus if !central_source => {
                self.next();
                activates = true;
            }
            TokKind::Minus if !central_source => {
                self.next();
                deactivates = true;
            }
            TokKind::CentralConnection => {
                self.next();
                central_target = true;
            }
            _ => {}
        }
        let to = self.expect_actor()?;
        let text = self.expect_text()?;
        self.expect_newline()?;
        self.add_participant_ref(&from);
        self.add_participant_ref(&to);
        let range = from.range.start..text.range.end;
        self.records.push(Record::Message {
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
            range,
        });
        if activates {
            self.records.push(Record::Activate {
                actor: to.text.clone(),
                range: to.range.clone(),
            });
        }
        if deactivates {
            self.records.push(Record::Deactivate {
                actor: from.text.clone(),
                range: from.range.clone(),
            });
        }
        if central_target {
            self.records
                .push(Record::Plain(Event::CentralConnection { actor: to.text }));
        }
        if central_source {
            self.records
                .push(Record::Plain(Event::CentralConnection { actor: from.text }));
        }
        Ok(())
    }
}

/// CSS colour keywords a browser accepts exactly as written (lower case).
const CSS_COLOURS: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "transparent",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// mermaid's reading of `box <colour> <label>`: the first word is the colour when a browser
/// accepts it as written, otherwise the whole line is the label.
fn box_data(line: &str) -> (String, Option<String>) {
    let line = line.trim();
    let functional = ["rgb", "rgba", "hsl", "hsla"].iter().find_map(|f| {
        let rest = line.strip_prefix(f)?;
        let rest_trim = rest.trim_start();
        if !rest_trim.starts_with('(') {
            return None;
        }
        let close = line.rfind(')')?;
        Some(close + 1)
    });
    let split = functional.unwrap_or_else(|| {
        line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(line.len())
    });
    let (colour, title) = line.split_at(split);
    let is_colour = functional.is_some() || CSS_COLOURS.contains(&colour);
    let (colour, title) = if is_colour {
        (colour.to_string(), title.trim())
    } else {
        ("transparent".to_string(), line)
    };
    let title = message_text(title);
    (colour, (!title.is_empty()).then_some(title))
}

/// A minimal check of the YAML flow mapping in `@{ ... }`: `key: value` pairs separated by
/// commas, quotes closed. Returns what is wrong, if anything.
fn check_config(content: &str) -> Result<Option<String>, String> {
    let mut chars = content.char_indices().peekable();
    let mut entries: Vec<Vec<String>> = vec![Vec::new()];
    let mut scalars_in_entry = 0usize;
    let mut pending_plain = String::new();
    let flush = |plain: &mut String, entries: &mut Vec<Vec<String>>, n: &mut usize| {
        if !plain.trim().is_empty() {
            entries
                .last_mut()
                .expect("never empty")
                .push(plain.trim().to_string());
            *n += 1;
        }
        plain.clear();
    };
    while let Some((_, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                if !pending_plain.trim().is_empty() {
                    return Err("a quoted value cannot follow unquoted text".into());
                }
                let mut value = String::new();
                let mut closed = false;
                for (_, q) in chars.by_ref() {
                    if q == c {
                        closed = true;
                        break;
                    }
                    value.push(q);
                }
                if !closed {
                    return Err("unclosed quote".into());
                }
                entries.last_mut().expect("never empty").push(value);
                scalars_in_entry += 1;
                // After a quoted scalar, only `:`, `,` or spaces may follow.
                while let Some((_, n)) = chars.peek() {
                    if n.is_whitespace() && *n != '\n' {
                        chars.next();
                    } else {
                        break;
                    }
                }
                // Spaces, not line breaks: a line break ends a block-mapping entry.
                match chars.peek() {
                    None | Some((_, ':' | ',' | '\n')) => {}
                    Some(_) => return Err("missing comma between entries".into()),
                }
            }
            ':' => {
                flush(&mut pending_plain, &mut entries, &mut scalars_in_entry);
                if scalars_in_entry != 1 {
                    return Err("a `key: value` entry is malformed".into());
                }
                scalars_in_entry = 10;
            }
            // A multi-line configuration is a block mapping: one entry per line.
            ',' | '\n' => {
                flush(&mut pending_plain, &mut entries, &mut scalars_in_entry);
                entries.push(Vec::new());
                scalars_in_entry = 0;
            }
            c => pending_plain.push(c),
        }
    }
    flush(&mut pending_plain, &mut entries, &mut scalars_in_entry);
    let mut kind = None;
    for e in &entries {
        if e.len() > 2 {
            return Err("missing comma between entries".into());
        }
        if e.len() == 2 && e[0] == "type" {
            kind = Some(e[1].clone());
        }
    }
    Ok(kind)
}

/// Applies the records in order, as mermaid's database does, with its checks.
fn apply(
    src: &SourceText,
    records: Vec<Record>,
    diagnostics: &mut Vec<Diagnostic>,
) -> SequenceDiagram {
    let mut d = SequenceDiagram {
        title: None,
        acc_title: None,
        acc_descr: None,
        participants: Vec::new(),
        boxes: Vec::new(),
        events: Vec::new(),
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut current_box: Option<usize> = None;
    let mut activations: HashMap<String, i64> = HashMap::new();
    let mut last_activation: HashMap<String, Range<usize>> = HashMap::new();
    let mut last_created: Option<(String, Range<usize>)> = None;
    let mut last_destroyed: Option<(String, Range<usize>)> = None;
    let error = |diagnostics: &mut Vec<Diagnostic>, code: &str, msg: String, r: Range<usize>| {
        diagnostics.push(src.diagnostic(code, Severity::Error, msg, r));
    };
    for record in records {
        match record {
            Record::AddParticipant {
                id,
                draw,
                description,
                config,
                range,
            } => {
                if !add_participant(
                    src,
                    &mut d,
                    &mut index,
                    current_box,
                    id,
                    draw,
                    description,
                    config,
                    range,
                    diagnostics,
                ) {
                    return d;
                }
            }
            Record::CreateParticipant {
                id,
                draw,
                description,
                config,
                range,
            } => {
                if index.contains_key(&id) {
                    error(
                        diagnostics,
                        "MMD204",
                        format!("participant `{id}` already exists and cannot be created again; use an `as` alias for a second participant"),
                        range,
                    );
                    return d;
                }
                last_created = Some((id.clone(), range.clone()));
                if !add_participant(
                    src,
                    &mut d,
                    &mut index,
                    current_box,
                    id.clone(),
                    draw,
                    description,
                    config,
                    range,
                    diagnostics,
                ) {
                    return d;
                }
                if let Some(&i) = index.get(&id) {
                    d.participants[i].created = true;
                }
            }
            Record::DestroyParticipant { id, range } => {
                if let Some(&i) = index.get(&id) {
                    d.participants[i].destroyed = true;
                }
                last_destroyed = Some((id, range));
            }
            Record::Message { event, range } => {
                if let Event::Message { from, to, .. } = &event {
                    if let Some((created, at)) = last_created.take() {
                        if to != &created {
                            error(
                                diagnostics,
                                "MMD205",
                                format!("the created participant `{created}` must receive the next message"),
                                range,
                            );
                            diagnostics.last_mut().expect("just pushed").related.push(
                                crate::diagnostic::Related {
                                    path: src.path.clone(),
                                    span: src.span(at),
                                    message: "created here".into(),
                                },
                            );
                            return d;
                        }
                    } else if let Some((destroyed, at)) = last_destroyed.take() {
                        if to != &destroyed && from != &destroyed {
                            error(
                                diagnostics,
                                "MMD206",
                                format!("the destroyed participant `{destroyed}` must send or receive the next message"),
                                range,
                            );
                            diagnostics.last_mut().expect("just pushed").related.push(
                                crate::diagnostic::Related {
                                    path: src.path.clone(),
                                    span: src.span(at),
                                    message: "destroyed here".into(),
                                },
                            );
                            return d;
                        }
                    }
                }
                d.events.push(event);
            }
            Record::Activate { actor, range } => {
                *activations.entry(actor.clone()).or_default() += 1;
                last_activation.insert(actor.clone(), range);
                d.events.push(Event::Activate { actor });
            }
            Record::Deactivate { actor, range } => {
                let count = activations.entry(actor.clone()).or_default();
                if *count < 1 {
                    error(
                        diagnostics,
                        "MMD202",
                        format!("`{actor}` is deactivated but not active"),
                        range,
                    );
                    return d;
                }
                *count -= 1;
                d.events.push(Event::Deactivate { actor });
            }
            Record::Plain(e) => d.events.push(e),
            Record::Links { actor, links } => {
                if let Some(&i) = index.get(&actor) {
                    d.participants[i].links.extend(links);
                }
            }
            Record::BoxStart { label, color } => {
                d.boxes.push(ParticipantBox {
                    label,
                    color,
                    members: Vec::new(),
                });
                current_box = Some(d.boxes.len() - 1);
            }
            Record::BoxEnd => current_box = None,
            Record::Title(t) => d.title = Some(t),
            Record::AccTitle(t) => d.acc_title = Some(t),
            Record::AccDescr(t) => d.acc_descr = Some(t),
        }
    }
    // Our own check: activations left open are usually a forgotten `-` or `deactivate`.
    let mut open: Vec<(&String, &i64)> = activations.iter().filter(|(_, n)| **n > 0).collect();
    open.sort();
    for (actor, _) in open {
        if let Some(range) = last_activation.get(actor) {
            diagnostics.push(src.diagnostic(
                "MMD209",
                Severity::Warning,
                format!("`{actor}` is activated here and never deactivated"),
                range.clone(),
            ));
        }
    }
    d
}

/// mermaid's `addActor`. Returns false after an error that stops the diagram.
#[allow(clippy::too_many_arguments)]
fn add_participant(
    src: &SourceText,
    d: &mut SequenceDiagram,
    index: &mut HashMap<String, usize>,
    current_box: Option<usize>,
    id: String,
    draw: Option<&'static str>,
    description: Option<String>,
    config: Option<(String, Range<usize>)>,
    range: Range<usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let mut kind = draw.map(str::to_string);
    let mut description = description;
    if let Some((content, config_range)) = &config {
        match check_config(content) {
            Ok(Some(t)) => kind = Some(t),
            Ok(None) => {}
            Err(why) => {
                diagnostics.push(src.diagnostic(
                    "MMD207",
                    Severity::Error,
                    format!("invalid participant configuration: {why}"),
                    config_range.clone(),
                ));
                return false;
            }
        }
        if let Some(alias) = config_alias(content) {
            if description.as_deref().is_none_or(|t| t == id) {
                description = Some(alias);
            }
        }
    }
    if let Some(&i) = index.get(&id) {
        let old_box = d.participants[i].group;
        if let (Some(cur), Some(old)) = (current_box, old_box) {
            if cur != old {
                diagnostics.push(src.diagnostic(
                    "MMD203",
                    Severity::Error,
                    format!("participant `{id}` is already in another box"),
                    range,
                ));
                return false;
            }
        }
        let group = old_box.or(current_box);
        d.participants[i].group = group;
        // A later mention without an alias changes nothing (mermaid keeps the first type).
        if description.is_none() {
            return true;
        }
        let p = &mut d.participants[i];
        p.label = description.unwrap_or_else(|| id.clone());
        p.kind = kind.unwrap_or_else(|| "participant".into());
        if let Some(b) = current_box {
            d.boxes[b].members.push(id);
        }
        return true;
    }
    if let Some(b) = current_box {
        d.boxes[b].members.push(id.clone());
    }
    index.insert(id.clone(), d.participants.len());
    d.participants.push(Participant {
        label: description.unwrap_or_else(|| id.clone()),
        id,
        kind: kind.unwrap_or_else(|| "participant".into()),
        group: current_box,
        created: false,
        destroyed: false,
        links: Vec::new(),
    });
    true
}

/// The `alias` of a participant configuration, if any.
fn config_alias(content: &str) -> Option<String> {
    let at = content.find("alias")?;
    let rest = content[at + 5..].trim_start();
    let rest = rest
        .strip_prefix('"')
        .or_else(|| rest.strip_prefix('\''))
        .unwrap_or(rest);
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = &rest[1..];
        return body.find(quote).map(|e| body[..e].to_string());
    }
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    Some(rest[..end].trim().to_string())
}

/// Parses a sequence diagram; see the module documentation.
pub fn parse(src: &SourceText, prepared: &Prepared) -> (Option<SequenceDiagram>, Vec<Diagnostic>) {
    let text = prepared.text.as_str();
    let start = prepared.keyword.end;
    let mut parser = Parser {
        src,
        lexer: Lexer::new(text, start),
        peeked: None,
        records: Vec::new(),
        diagnostics: Vec::new(),
        failed: false,
        depth: 0,
    };
    if text[start..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
    {
        let end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |e| start + e);
        parser.diagnostics.push(src.diagnostic(
            "MMD201",
            Severity::Error,
            format!(
                "expected end of line after `sequenceDiagram`, found `{}`",
                &text[prepared.keyword.start..end]
            ),
            prepared.keyword.start..end,
        ));
        return (None, parser.diagnostics);
    }
    let result = parser.document().and_then(|()| {
        let t = parser.next();
        if t.kind == TokKind::Eof {
            Ok(())
        } else {
            Err(Expected {
                found: t,
                expected: "a statement (a stray `end`, `else`, `and` or `option` closes nothing)"
                    .into(),
            })
        }
    });
    if let Err(e) = result {
        parser.report(e);
    }
    let mut diagnostics = std::mem::take(&mut parser.diagnostics);
    if parser.failed {
        return (None, diagnostics);
    }
    let model = apply(src, std::mem::take(&mut parser.records), &mut diagnostics);
    // A failed check rejects the diagram, as mermaid does.
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    ((!failed).then_some(model), diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mermaid::prepare;

    fn run(text: &str) -> (Option<SequenceDiagram>, Vec<Diagnostic>) {
        let src = SourceText::whole_file("d.mmd", text);
        let prepared = prepare(&src);
        parse(&src, &prepared)
    }

    fn first_error(text: &str) -> Diagnostic {
        let (_, diags) = run(text);
        diags
            .into_iter()
            .find(|d| d.severity == Severity::Error)
            .expect("an error")
    }

    #[test]
    fn model_snapshot() {
        let (model, diags) = run(concat!(
            "sequenceDiagram\n",
            "  autonumber\n",
            "  box lightgreen Front\n",
            "    actor U as User\n",
            "    participant API@{ \"type\": \"boundary\" } as Public API\n",
            "  end\n",
            "  participant DB@{ \"type\": \"database\" }\n",
            "  U->>+API: login; API-->>DB: query\n",
            "  critical load\n",
            "    DB--)API: rows\n",
            "  option timeout\n",
            "    Note over API,DB: retry\n",
            "  end\n",
            "  API--x-U: done\n",
            "  create participant Log\n",
            "  API->>Log: write\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        insta::assert_json_snapshot!(model.expect("parsed"));
    }

    #[test]
    fn missing_text_is_reported_at_the_line_end() {
        let d = first_error("sequenceDiagram\n  A->>B\n  B->>A: x\n");
        assert_eq!(d.code, "MMD201");
        assert_eq!((d.span.line, d.span.column), (2, 8));
        assert!(d.message.contains("`:` and a text"), "{}", d.message);
    }

    #[test]
    fn unclosed_block_expects_end() {
        let d = first_error("sequenceDiagram\nloop every minute\n  A->>B: ping\n");
        assert!(d.message.contains("`end`"), "{}", d.message);
        assert_eq!(d.span.line, 4);
    }

    #[test]
    fn keyword_prefixes_are_keywords() {
        // `par` followed by a word boundary is the keyword, so `Par-x B` is not a message...
        assert_eq!(first_error("sequenceDiagram\nA->>end: x\n").code, "MMD201");
        // ...but a longer word is a name.
        let (model, diags) = run("sequenceDiagram\nparser->>endpoint: x\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(model.unwrap().participants[0].id, "parser");
    }

    #[test]
    fn deactivating_an_inactive_participant_fails() {
        let d = first_error("sequenceDiagram\nA->>+B: a\nB-->>-A: b\nB-->>-A: c\n");
        assert_eq!(d.code, "MMD202");
        assert_eq!((d.span.line, d.span.column), (4, 1));
    }

    #[test]
    fn created_participant_needs_its_message() {
        let d = first_error("sequenceDiagram\nA->>B: a\ncreate participant C\nA->>B: b\n");
        assert_eq!(d.code, "MMD205");
        assert_eq!(d.related.len(), 1);
    }

    #[test]
    fn participant_in_two_boxes() {
        let d = first_error(
            "sequenceDiagram\nbox One\nparticipant A\nend\nbox Two\nparticipant A as X\nend\n",
        );
        assert_eq!(d.code, "MMD203");
    }

    #[test]
    fn bad_participant_configuration() {
        let d = first_error("sequenceDiagram\nparticipant E@{ \"type: \"entity\" }\n");
        assert_eq!(d.code, "MMD207");
        let d = first_error("sequenceDiagram\nparticipant E@{ \"type\": \"entity\"\nE->>E: x\n");
        assert_eq!(d.code, "MMD201");
    }

    #[test]
    fn alias_with_spaces_and_names_with_spaces() {
        let (model, diags) = run("sequenceDiagram\nparticipant Big Service\nBig Service->>B: x\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(model.unwrap().participants[0].id, "Big Service");
        let d = first_error("sequenceDiagram\nparticipant X asAA:B\n");
        assert_eq!((d.span.line, d.span.column), (2, 13));
    }

    #[test]
    fn own_warnings() {
        let (model, diags) = run(concat!(
            "sequenceDiagram\n",
            "A->>+B: start\n",
            "links A: {\"Repo\": \"https://example.com\"}\n",
            "properties A: not json\n",
        ));
        let model = model.expect("warnings do not reject");
        assert_eq!(model.participants[0].links[0].0, "Repo");
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD208", "MMD209"]);
        assert_eq!(diags[1].span.line, 2);
    }

    #[test]
    fn multi_line_participant_configuration() {
        let (model, diags) = run(concat!(
            "sequenceDiagram\n",
            "participant DB@{\n",
            "  \"type\": \"database\"\n",
            "  \"alias\": \"Orders DB\"\n",
            "}\n",
            "DB->>DB: vacuum\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        let p = &model.unwrap().participants[0];
        assert_eq!(
            (p.kind.as_str(), p.label.as_str()),
            ("database", "Orders DB")
        );
    }

    #[test]
    fn wrap_prefix_next_to_multibyte_text() {
        let (model, diags) = run("sequenceDiagram\nA->>B:wrap: é long\nA->>B: é\n");
        assert!(diags.is_empty(), "{diags:?}");
        let texts: Vec<String> = model
            .unwrap()
            .messages()
            .map(|m| match m {
                Event::Message { text, .. } => text.clone(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(texts, ["é long", "é"]);
    }

    #[test]
    fn crlf_and_semicolons() {
        let (model, diags) = run("sequenceDiagram\r\nA->>B: one;B->>A: two\r\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(model.unwrap().messages().count(), 2);
    }
}

#[cfg(test)]
mod robustness {
    use crate::mermaid;
    use crate::source::SourceText;
    use proptest::prelude::*;

    /// Pieces of sequence syntax, so that random input reaches deep into the grammar.
    const PIECES: &[&str] = &[
        "participant ",
        "actor ",
        "A",
        "B",
        " as ",
        "@{",
        "}",
        "\"type\"",
        ":",
        " ",
        "\n",
        ";",
        "->>",
        "-->>",
        "-x",
        "--)",
        "<<->>",
        "+",
        "-",
        "()",
        "loop",
        "alt",
        "else",
        "end",
        "par",
        "and",
        "critical",
        "option",
        "box ",
        "note over ",
        "left of",
        ",",
        "#",
        "%%",
        "autonumber ",
        "1 ",
        "activate ",
        "deactivate ",
        "create ",
        "destroy ",
        "é",
        "\r\n",
        "accDescr {",
        "title x",
        "link A: x @ y",
        "links A: {\"a\": 1}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn never_panics(pieces in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let body: String = pieces.iter().map(|i| PIECES[*i]).collect();
            let src = SourceText::whole_file("d.mmd", format!("sequenceDiagram\n{body}"));
            let parsed = mermaid::parse(&src);
            // Every diagnostic points inside the text, and no diagram fails silently.
            let lines = src.text.lines().count() as u32 + 1;
            for d in &parsed.diagnostics {
                prop_assert!(d.span.line >= 1 && d.span.end_line <= lines, "{d:?}");
            }
            prop_assert_eq!(parsed.diagram.is_some(), parsed.is_valid());
        }
    }
}
