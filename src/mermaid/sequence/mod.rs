//! Sequence diagrams (`sequenceDiagram`): grammar in `grammars/mermaid-sequence.ebnf`.
//!
//! The modal lexer ([`lexer`]) turns the text into tokens; the grammar ([`grammar`]) is nom
//! combinators over those tokens. Parsing happens in two steps, as in mermaid: the statements
//! are read into a flat list of records (participants, messages, block starts and ends, ...), then the records are applied in
//! order to build the model, which is where mermaid's own checks happen (deactivating an
//! inactive participant, a created participant without its creating message, ...).

mod grammar;
mod lexer;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::mermaid::jison_rules::{lex_all, mask_entities};
use crate::mermaid::token_input::Tokens;
use crate::mermaid::{DiagramGraph, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::source::SourceText;
use grammar::*;
pub use lexer::Arrow;
use lexer::{Lexer, TokKind};
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

/// One entry of a participant's menu of links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantLink {
    pub label: String,
    pub url: String,
    /// The text of the `link`/`links` statement that gave it.
    #[serde(skip)]
    pub range: Range<usize>,
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
    pub links: Vec<ParticipantLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantBox {
    pub label: Option<String>,
    pub color: String,
    pub members: Vec<String>,
}

impl ParticipantBox {
    /// The box as a browser draws it. mermaid's renderer asks the browser (`CSS.supports`)
    /// whether the first word is a colour, and browsers take colour names in any case: `box
    /// Purple Alice & John` is purple and labelled `Alice & John`. The model keeps what
    /// mermaid's parser gives without a browser (lower-case names only, the reference's).
    pub fn drawn(&self) -> ParticipantBox {
        let mut drawn = self.clone();
        let Some(label) = self
            .label
            .as_deref()
            .filter(|_| self.color == "transparent")
        else {
            return drawn;
        };
        let word_end = label
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(label.len());
        let (word, rest) = label.split_at(word_end);
        let name = word.to_ascii_lowercase();
        if CSS_COLOURS.contains(&name.as_str()) {
            let rest = rest.trim();
            drawn.color = name;
            drawn.label = (!rest.is_empty()).then(|| rest.to_string());
        }
        drawn
    }
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
        /// Written `nowrap:`: the note keeps its lines as written.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        no_wrap: bool,
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
                            kind: arrow.name(),
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

/// The entries of `@{ ... }` with a text value, read as mermaid reads them: the text trimmed,
/// then its YAML reader (JSON schema) over `{`, the text, `}` on lines of their own when the
/// text is one line, else over the text itself as a block mapping (so the first entry's
/// indentation is gone and later ones must not be indented). `Err` carries the reader's
/// complaint.
fn config_entries(content: &str) -> Result<Vec<(String, String)>, String> {
    let content = content.trim();
    let yaml = if content.contains('\n') {
        format!("{content}\n")
    } else {
        format!("{{\n{content}\n}}")
    };
    let documents =
        yaml_rust2::YamlLoader::load_from_str(&yaml).map_err(|e| e.info().to_string())?;
    let Some(yaml_rust2::Yaml::Hash(entries)) = documents.into_iter().next() else {
        // Anything but a mapping configures nothing (mermaid reads `type` and `alias` of it).
        return Ok(Vec::new());
    };
    Ok(entries
        .into_iter()
        .filter_map(|(key, value)| Some((yaml_text(key)?, yaml_text(value)?)))
        .collect())
}

/// A YAML scalar as text; `None` for null, lists, mappings and the values JavaScript counts
/// as false (`false`, `0`, `""`), which configure nothing in mermaid either.
fn yaml_text(value: yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match value {
        Yaml::String(text) if !text.is_empty() => Some(text),
        Yaml::Real(text) if text.parse::<f64>().is_ok_and(|n| n != 0.0) => Some(text),
        Yaml::Integer(n) if n != 0 => Some(n.to_string()),
        Yaml::Boolean(true) => Some("true".into()),
        _ => None,
    }
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
    let error = |diagnostics: &mut Vec<Diagnostic>, code: Code, msg: String, r: Range<usize>| {
        diagnostics.push(src.diagnostic(code, msg, r));
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
                        Code::CreatingExistingParticipant,
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
                    // The message after `create X` must go to X; after `destroy X` it must
                    // come from or go to X.
                    let unmatched = if let Some((created, at)) = last_created.take() {
                        (to != &created).then(|| {
                            (
                                Code::CreatedParticipantUnused,
                                format!("the created participant `{created}` must receive the next message"),
                                at,
                                "created here",
                            )
                        })
                    } else if let Some((destroyed, at)) = last_destroyed.take() {
                        (to != &destroyed && from != &destroyed).then(|| {
                            (
                                Code::DestroyedParticipantUnused,
                                format!("the destroyed participant `{destroyed}` must send or receive the next message"),
                                at,
                                "destroyed here",
                            )
                        })
                    } else {
                        None
                    };
                    if let Some((code, message, at, note)) = unmatched {
                        diagnostics.push(src.diagnostic(code, message, range).with_related(
                            src.path.clone(),
                            src.span(at),
                            note,
                        ));
                        return d;
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
                        Code::DeactivatingInactive,
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
            Record::Ignored { range, why } => diagnostics.push(src.diagnostic(
                Code::UnreadableParticipantLinks,
                format!("this is ignored: {why}"),
                range,
            )),
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
                Code::ActivationNeverEnded,
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
        match config_entries(content) {
            Ok(entries) => {
                for (key, value) in entries {
                    match key.as_str() {
                        "type" => kind = Some(value),
                        "alias" if description.as_deref().is_none_or(|t| t == id) => {
                            description = Some(value)
                        }
                        _ => {}
                    }
                }
            }
            Err(why) => {
                diagnostics.push(src.diagnostic(
                    Code::BadParticipantConfig,
                    format!("invalid participant configuration: {why}"),
                    config_range.clone(),
                ));
                return false;
            }
        }
    }
    if let Some(&i) = index.get(&id) {
        let old_box = d.participants[i].group;
        if let (Some(cur), Some(old)) = (current_box, old_box) {
            if cur != old {
                diagnostics.push(src.diagnostic(
                    Code::ParticipantInTwoBoxes,
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

/// Parses a sequence diagram; see the module documentation.
pub fn parse(prepared: &Prepared) -> (Option<SequenceDiagram>, Vec<Diagnostic>) {
    let src = &prepared.source;
    let text = prepared.text.as_str();
    let start = prepared.keyword.end;
    if text[start..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
    {
        let end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |e| start + e);
        let d = src.diagnostic(
            Code::SequenceSyntax,
            format!(
                "expected end of line after `sequenceDiagram`, found `{}`",
                &text[prepared.keyword.start..end]
            ),
            prepared.keyword.start..end,
        );
        return (None, vec![d]);
    }
    let masked = mask_entities(text);
    let mut lexer = Lexer::new(&masked, start);
    let tokens = lex_all(|| lexer.next_token(), |t| t.kind == TokKind::Eof);
    let (records, errors) = diagram(Tokens::new(&tokens));
    if !errors.is_empty() {
        let diagnostics = errors
            .into_iter()
            .map(|e| {
                e.diagnostic(
                    src,
                    Code::SequenceSyntax,
                    &tokens,
                    text.len(),
                    |t| match &t.kind {
                        TokKind::Actor | TokKind::Invalid if !t.text.is_empty() => {
                            format!("`{}`", t.text)
                        }
                        k => k.describe(),
                    },
                )
            })
            .collect();
        return (None, diagnostics);
    }
    let mut diagnostics = Vec::new();
    let model = apply(src, records, &mut diagnostics);
    // A failed check rejects the diagram, as mermaid does.
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    ((!failed).then_some(model), diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mermaid::test_support::{self, run_family, FamilyResult};

    fn run(text: &str) -> FamilyResult<SequenceDiagram> {
        run_family(text, parse)
    }

    fn first_error(text: &str) -> Diagnostic {
        test_support::first_error(run(text).1)
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

    /// An unclosed `@{` reads to the end of the text: the error is where the missing `}` was
    /// due (mermaid: "Expecting 'CONFIG_END', got '1'" at the end), not at the configuration
    /// that the closing alternative's summary came back to.
    #[test]
    fn the_alternative_that_got_further_explains_the_error() {
        let d =
            first_error("sequenceDiagram\n  participant E@{ \"type\": \"entity\"\n  E ->> E: x\n");
        assert_eq!(d.message, "expected `}`, found end of diagram");
        assert_eq!(d.span.line, 4);
    }

    /// Each syntax error as `line:column expected`, in order.
    fn syntax_errors(text: &str) -> Vec<String> {
        run(text)
            .1
            .iter()
            .map(|d| format!("{}:{} {}", d.span.line, d.span.column, d.message))
            .collect()
    }

    #[test]
    fn recovery_reports_each_broken_line_once() {
        // A broken message, a stray `else` in a loop and a stray `end` at the top level: three
        // errors, and the lines between them (the block's `end` included) read normally.
        let errors = syntax_errors(concat!(
            "sequenceDiagram\n",
            "A->>B\n",
            "loop l\n",
            "  else\n",
            "  A->>B: ok\n",
            "end\n",
            "end\n",
            "B->>A: fine\n",
        ));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("2:6 expected `:` and a text"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("4:3 expected a statement or `end`"),
            "{errors:?}"
        );
        assert!(
            errors[2].starts_with("7:1 expected a statement ("),
            "{errors:?}"
        );
        // An unclosed block is one error at the end, not one per enclosing block.
        let errors = syntax_errors("sequenceDiagram\nloop a\nloop b\nA->>B: x\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        // A message inside a box is its line's error; the box still closes at its `end`.
        let errors =
            syntax_errors("sequenceDiagram\nbox Front\nA->>B: x\nparticipant C\nend\nC->>A: y\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("3:1 expected `participant`, `actor` or `end` inside `box`"),
            "{errors:?}"
        );
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
    fn destroyed_participant_needs_its_message() {
        let d = first_error("sequenceDiagram\nA->>B: a\ndestroy B\nA->>C: b\n");
        assert_eq!(d.code, "MMD206");
        assert_eq!(d.span.line, 4);
        assert_eq!(d.related[0].span.line, 3);
        let (model, diags) = run("sequenceDiagram\nA->>B: a\ndestroy B\nB-xA: bye\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(model.unwrap().participants[1].destroyed);
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
        assert_eq!(model.participants[0].links[0].label, "Repo");
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD208", "MMD209"]);
        assert_eq!(diags[1].span.line, 2);
    }

    #[test]
    fn multi_line_participant_configuration() {
        // The text is trimmed before it is read as a block mapping, so the first entry loses
        // its indentation and the later ones must have none either (as mermaid 12.3 reads it).
        let (model, diags) = run(concat!(
            "sequenceDiagram\n",
            "participant DB@{\n",
            "  \"type\": \"database\"\n",
            "\"alias\": \"Orders DB\"\n",
            "}\n",
            "DB->>DB: vacuum\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        let p = &model.unwrap().participants[0];
        assert_eq!(
            (p.kind.as_str(), p.label.as_str()),
            ("database", "Orders DB")
        );
        let (model, diags) = run(concat!(
            "sequenceDiagram\n",
            "participant DB@{\n",
            "  \"type\": \"database\"\n",
            "  \"alias\": \"Orders DB\"\n",
            "}\n",
        ));
        assert!(model.is_none());
        assert_eq!(diags[0].code, "MMD207");
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
    fn graph_view() {
        let (model, _) = run(concat!(
            "sequenceDiagram\n",
            "box Team\nparticipant A\nend\n",
            "A->>B: one\nNote over A: n\nB-->>A: two\n",
        ));
        let g = model.unwrap().graph();
        assert_eq!(g.graph.node_count(), 2);
        assert_eq!(g.graph.edge_count(), 2);
        assert_eq!(g.groups[0].label, "Team");
        let a = g.graph.node_indices().next().unwrap();
        assert_eq!(g.graph[a].group.as_deref(), Some("box0"));
        let kinds: Vec<&str> = g.graph.edge_weights().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["solid", "dotted"]);
        assert_eq!(Arrow::BidirectionalDotted.name(), "bidirectional_dotted");
    }

    #[test]
    fn numbers_and_accessibility_at_the_end_of_the_text() {
        let (model, diags) = run("sequenceDiagram\naccDescr {\n  two\n  lines\n}\nautonumber 10");
        assert!(diags.is_empty(), "{diags:?}");
        let model = model.unwrap();
        assert_eq!(model.acc_descr.as_deref(), Some("two\n  lines"));
        assert!(matches!(
            &model.events[0],
            Event::Autonumber { start: Some(s), .. } if s == "10"
        ));
    }

    #[test]
    fn participant_configuration_entries() {
        assert_eq!(
            config_entries("\"type\": \"database\", alias: 'Orders DB', url: http://x:8080/a"),
            Ok(vec![
                ("type".into(), "database".into()),
                ("alias".into(), "Orders DB".into()),
                ("url".into(), "http://x:8080/a".into()),
            ])
        );
        // As lenient as a YAML reader: plain values with spaces, a trailing comma, nested
        // values (left out), a block mapping over several lines.
        assert_eq!(
            config_entries("type: queue, alias: Order events, tags: [a, b],"),
            Ok(vec![
                ("type".into(), "queue".into()),
                ("alias".into(), "Order events".into()),
            ])
        );
        assert_eq!(
            config_entries("type: database\nalias: DB"),
            Ok(vec![
                ("type".into(), "database".into()),
                ("alias".into(), "DB".into())
            ])
        );
        assert!(config_entries("\"type\" \"control\"").is_err());
        assert!(config_entries("\"type: \"entity\"").is_err());
        assert!(config_entries("type: database alias: x").is_err());
        assert!(config_entries("type: database, type: queue").is_err());
        // Several lines are a block mapping, where a comma after a quoted value is no separator.
        assert!(config_entries("\"type\": \"database\",\n\"alias\": \"DB\"").is_err());
        assert_eq!(config_entries("  "), Ok(vec![]));
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
    use crate::mermaid::test_support::pieces_are_placed;
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
            pieces_are_placed("sequenceDiagram", PIECES, &pieces)?;
        }
    }
}
