//! State diagrams (`stateDiagram`, `stateDiagram-v2`).
//!
//! The grammar is `grammars/mermaid-state.ebnf`. [`lexer`] reproduces mermaid's modal lexer;
//! [`grammar`] parses its tokens with nom combinators into the statement tree mermaid builds;
//! this module then derives the rendered states and transitions as mermaid's state database
//! does: `[*]` becomes `<parent>_start` / `<parent>_end`, `--` splits a composite into
//! concurrent regions, notes become note nodes in a note group.

mod grammar;
mod lexer;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::mermaid::jison_rules::{mask_entities, unmask_entities};
use crate::mermaid::token_input::TokenError;
use crate::mermaid::{DiagramGraph, Direction, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::source::SourceText;
use lexer::{Tok, Token};
use nom::Input;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateDiagram {
    /// `stateDiagram` or `stateDiagram-v2`.
    pub keyword: String,
    pub direction: Direction,
    /// The statements as written (composite bodies nested), `[*]` already resolved.
    pub statements: Vec<Statement>,
    /// The states as mermaid renders them, parents before children.
    pub states: Vec<StateNode>,
    pub transitions: Vec<Transition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acc_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acc_descr: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StateKind {
    Default,
    Fork,
    Join,
    Choice,
    Divider,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteDecl {
    pub position: NotePosition,
    pub text: String,
}

/// Which side of its state a note is drawn on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NotePosition {
    #[serde(rename = "left of")]
    LeftOf,
    #[serde(rename = "right of")]
    RightOf,
}

/// A state as a statement names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateRef {
    pub id: String,
    pub kind: StateKind,
    /// `Some(true)` for a `[*]` start, `Some(false)` for a `[*]` end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Vec<Statement>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteDecl>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// Notes are statements about a state that do not set its type.
    #[serde(skip)]
    is_note: bool,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "statement", rename_all = "camelCase")]
pub enum Statement {
    State(StateRef),
    Transition {
        from: StateRef,
        to: StateRef,
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    ClassDef {
        id: String,
        styles: String,
    },
    Style {
        ids: String,
        styles: String,
    },
    ApplyClass {
        ids: String,
        class: String,
    },
    Direction {
        value: Direction,
    },
    Click {
        id: String,
        url: String,
        /// Where the URL is written.
        #[serde(skip)]
        url_range: Range<usize>,
    },
    /// Floating notes, `hide empty description`, `scale`, accessibility text.
    Other,
}

/// A rendered state: a node of the graph, or a group (composite, concurrent region, note
/// group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateNode {
    pub id: String,
    pub label: String,
    /// Mermaid's shape: `rect`, `rectWithTitle`, `stateStart`, `stateEnd`, `fork`, `join`,
    /// `choice`, `divider`, `roundedWithTitle`, `note`, `noteGroup`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub is_group: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub label: String,
    /// Links a note to its state.
    pub is_note: bool,
}

impl StateDiagram {
    pub fn graph(&self) -> DiagramGraph {
        let mut g = DiagramGraph::default();
        let mut index = HashMap::new();
        // Composite states are groups and also nodes: transitions reach them.
        for s in &self.states {
            let ix = g.graph.add_node(GraphNode {
                id: s.id.clone(),
                label: s.label.clone(),
                kind: s.shape.clone().unwrap_or_else(|| "rect".into()),
                group: s.parent.clone(),
            });
            index.insert(s.id.as_str(), ix);
        }
        for t in &self.transitions {
            if let (Some(&a), Some(&b)) = (index.get(t.from.as_str()), index.get(t.to.as_str())) {
                g.graph.add_edge(
                    a,
                    b,
                    GraphEdge {
                        kind: if t.is_note { "note" } else { "transition" }.into(),
                        label: t.label.clone(),
                    },
                );
            }
        }
        g.groups = self
            .states
            .iter()
            .filter(|s| s.is_group)
            .map(|s| GraphGroup {
                id: s.id.clone(),
                label: s.label.clone(),
                parent: s.parent.clone(),
            })
            .collect();
        g
    }
}

/// Parses a state diagram. The model is returned only without errors.
pub fn parse(prepared: &Prepared) -> (Option<StateDiagram>, Vec<Diagnostic>) {
    let src = &prepared.source;
    let text = lexing_text(&prepared.text);
    let keyword = prepared.text[prepared.keyword.clone()].to_string();
    let mut diagnostics = Vec::new();
    // `stateDiagram\s+`: the keyword must be followed by whitespace (a line break at least)
    let after = &text[prepared.keyword.end..];
    // (mermaid appends a line break to every diagram, so the end of the text counts)
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        diagnostics.push(
            src.diagnostic(
                Code::StateSyntax,
                format!("expected a line break after `{keyword}`"),
                prepared.keyword.end
                    ..prepared.keyword.end + after.chars().next().map_or(0, char::len_utf8),
            )
            .with_help("put the diagram's statements on the lines after the keyword"),
        );
        return (None, diagnostics);
    }
    let toks = lexer::tokenize(&text, prepared.keyword.end);
    let grammar = grammar::Grammar {
        text: &text,
        side: Default::default(),
        depth: Default::default(),
    };
    let mut statements = Vec::new();
    let mut errors = Vec::new();
    let mut input = grammar::In::new(&toks);
    loop {
        while input.first().is_some_and(|t| t.kind == Tok::Nl) {
            input = input.take_from(1);
        }
        if input.first().is_none_or(|t| t.kind == Tok::Eof) {
            break;
        }
        match grammar.statement(input) {
            Ok((rest, statement)) => {
                statements.push(statement);
                input = rest;
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                let found = toks.get(e.at).map_or(Tok::Eof, |t| t.kind);
                errors.push(syntax_error(src, &text, &toks, &e));
                // Go on at the next top-level line, unless nothing readable follows.
                if matches!(found, Tok::Eof | Tok::Unrecognized | Tok::MultiWordName)
                    || errors.len() >= MAX_REPORTED_ERRORS
                {
                    break;
                }
                let from = e.at.saturating_sub(input.offset).min(input.slice.len());
                let skip = input.slice[from..]
                    .iter()
                    .position(|t| matches!(t.kind, Tok::Nl | Tok::Eof))
                    .map_or(input.slice.len(), |p| p + from);
                input = input.take_from(skip.max(1).min(input.slice.len()));
            }
            Err(nom::Err::Incomplete(_)) => break,
        }
    }
    let side = grammar.side.into_inner();
    for note in &side.note_texts {
        check_note_colon(src, &text, note, &mut diagnostics);
    }
    if !errors.is_empty() {
        diagnostics.append(&mut errors);
        return (None, diagnostics);
    }
    number_dividers(&mut statements, &mut 0);
    let (acc_title, acc_descr) = (side.acc_title, side.acc_descr);
    let mut root = StateRef {
        id: "root".into(),
        kind: StateKind::Default,
        start: None,
        descriptions: Vec::new(),
        body: Some(statements),
        note: None,
        classes: Vec::new(),
        is_note: false,
        range: 0..0,
    };
    let mut generated = 0;
    translate(&mut root, "root", true, &mut generated);
    let statements = root.body.take().unwrap_or_default();
    let direction = statements
        .iter()
        .rev()
        .filter_map(|s| match s {
            Statement::Direction { value } => Some(*value),
            _ => None,
        })
        .next()
        .unwrap_or_default();
    let mut layout = Layout::default();
    layout.document(None, &statements);
    for (id, range) in &layout.groups_with_descriptions {
        diagnostics.push(
            src.diagnostic(
                Code::CompositeStateWithDescription,
                format!("composite state `{id}` can only have a label, not further descriptions"),
                range.clone(),
            )
            .with_help("give the composite one description (`state \"label\" as id { ... }`) and drop the `id : text` lines"),
        );
    }
    layout.warn_about_classes(src, &statements, &mut diagnostics);
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let model = StateDiagram {
        keyword,
        direction,
        statements,
        states: layout.nodes,
        transitions: layout.edges,
        acc_title,
        acc_descr,
    };
    ((!has_error).then_some(model), diagnostics)
}

/// Mermaid's clean-up before lexing, keeping offsets: entity codes (`#name;`) are masked (see
/// [`mask_entities`]).
fn lexing_text(text: &str) -> String {
    mask_entities(text)
}

/// A description, transition label or note as mermaid's sanitising leaves it.
fn label(text: &str) -> String {
    crate::mermaid::flowchart::normalise_breaks(text)
}

/// Syntax errors reported per diagram before parsing stops.
const MAX_REPORTED_ERRORS: usize = 10;

/// The diagnostic for a grammar error: what was expected, at the token where it failed.
fn syntax_error(src: &SourceText, text: &str, toks: &[Token], e: &TokenError) -> Diagnostic {
    let (kind, range) = toks
        .get(e.at)
        .map_or((Tok::Eof, text.len()..text.len()), |t| {
            (t.kind, t.start..t.end)
        });
    let range = if kind == Tok::Eof {
        let end = text.trim_end().len();
        end..end
    } else {
        range
    };
    if kind == Tok::MultiWordName {
        let found = unmask_entities(&text[range.clone()]);
        return src
            .diagnostic(
                Code::StateSyntax,
                format!(
                    "a state name must be a single word, found `{}`",
                    found.split_whitespace().collect::<Vec<_>>().join(" ")
                ),
                range,
            )
            .with_help(
                "quote a name of several words: `state \"Order Processing\" as Processing {`",
            );
    }
    let message = if matches!(kind, Tok::Unrecognized | Tok::Invalid) {
        format!(
            "unexpected `{}`; expected {}",
            unmask_entities(&text[range.clone()]),
            e.expected()
        )
    } else {
        e.message(kind.describe())
    };
    src.diagnostic(Code::StateSyntax, message, range)
}

/// Mermaid numbers `--` dividers as its parser meets them: in source order.
fn number_dividers(statements: &mut [Statement], count: &mut usize) {
    for statement in statements {
        if let Statement::State(state) = statement {
            if state.kind == StateKind::Divider && state.id.is_empty() {
                *count += 1;
                state.id = format!("divider-id-{count}");
            }
            if let Some(body) = &mut state.body {
                number_dividers(body, count);
            }
        }
    }
}

/// Mermaid cuts two characters off `: text` of a one-line note, meant to be ` :`. With no
/// space before the colon it loses the text's first letter; with two or more, the colon stays
/// in the note.
fn check_note_colon(src: &SourceText, text: &str, token: &Token, out: &mut Vec<Diagnostic>) {
    let raw = &text[token.start..token.end];
    let ws = raw.chars().take_while(|c| c.is_whitespace()).count();
    let Some(after) = raw.trim_start().strip_prefix(':') else {
        return;
    };
    let loses_letter = ws == 0 && after.starts_with(|c: char| !c.is_whitespace());
    if loses_letter || ws >= 2 {
        let shown = token.value.clone().unwrap_or_default();
        out.push(
            src.diagnostic(
                Code::OneLineNoteLosesText,
                format!("mermaid shows this note as `{shown}`"),
                token.start..token.end,
            )
            .with_help("write one space before the colon: `note right of State : text`"),
        );
    }
}

impl StateRef {
    /// A plain state named `id`.
    fn named(id: &str, range: Range<usize>) -> StateRef {
        StateRef {
            id: id.to_string(),
            kind: StateKind::Default,
            start: None,
            descriptions: Vec::new(),
            body: None,
            note: None,
            classes: Vec::new(),
            is_note: false,
            range,
        }
    }
}

/// Mermaid's `trimColon`.
fn trim_colon(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix(':').unwrap_or(s).trim().to_string()
}

/// Mermaid's `docTranslator`: resolves `[*]` against the enclosing state and splits bodies at
/// `--` into concurrent regions.
fn translate(state: &mut StateRef, parent_id: &str, first: bool, generated: &mut usize) {
    if state.id == "[*]" {
        state.id = format!("{parent_id}_{}", if first { "start" } else { "end" });
        state.start = Some(first);
    }
    let Some(body) = state.body.take() else {
        return;
    };
    let mut regions: Vec<Statement> = Vec::new();
    let mut current: Vec<Statement> = Vec::new();
    for statement in body {
        match statement {
            Statement::State(mut region) if region.kind == StateKind::Divider => {
                region.body = Some(std::mem::take(&mut current));
                regions.push(Statement::State(region));
            }
            other => current.push(other),
        }
    }
    // Mermaid keeps the body as written when it ends with `--`.
    let mut body = if !regions.is_empty() && !current.is_empty() {
        *generated += 1;
        let mut last = StateRef {
            id: format!("id-generated-{generated}"),
            kind: StateKind::Divider,
            start: None,
            descriptions: Vec::new(),
            body: Some(current),
            note: None,
            classes: Vec::new(),
            is_note: false,
            range: state.range.clone(),
        };
        last.range = state.range.clone();
        regions.push(Statement::State(last));
        regions
    } else {
        // undo the split: each region's statements, then its `--`
        let mut original = Vec::new();
        for region in regions {
            if let Statement::State(mut divider) = region {
                original.extend(divider.body.take().unwrap_or_default());
                original.push(Statement::State(divider));
            }
        }
        original.extend(current);
        original
    };
    let id = state.id.clone();
    for statement in &mut body {
        match statement {
            Statement::State(s) => translate(s, &id, true, generated),
            Statement::Transition { from, to, .. } => {
                translate(from, &id, true, generated);
                translate(to, &id, false, generated);
            }
            _ => {}
        }
    }
    state.body = Some(body);
}

/// Label of a rendered state while it is being built: the id, one text, or several.
#[derive(Clone)]
enum Label {
    One(String),
    Many(Vec<String>),
}

struct LayoutState {
    shape: Option<String>,
    label: Label,
    is_group: bool,
    range: Range<usize>,
}

/// Mermaid's `dataFetcher`: walks the translated statements and produces rendered nodes and
/// edges, in mermaid's order, with its generated note ids.
#[derive(Default)]
struct Layout {
    states: HashMap<String, LayoutState>,
    nodes: Vec<StateNode>,
    node_index: HashMap<String, usize>,
    edges: Vec<Transition>,
    item_count: usize,
    groups_with_descriptions: Vec<(String, Range<usize>)>,
}

impl Layout {
    fn document(&mut self, parent: Option<&str>, statements: &[Statement]) {
        for statement in statements {
            match statement {
                Statement::State(s) => self.state(parent, s),
                Statement::Transition { from, to, label } => {
                    self.state(parent, from);
                    self.state(parent, to);
                    self.edges.push(Transition {
                        from: from.id.clone(),
                        to: to.id.clone(),
                        label: label.clone().unwrap_or_default(),
                        is_note: false,
                    });
                    self.item_count += 1;
                }
                _ => {}
            }
        }
    }

    fn state(&mut self, parent: Option<&str>, item: &StateRef) {
        let id = item.id.clone();
        let initial_shape = match (item.start, item.kind) {
            (_, StateKind::Fork) => Some("fork"),
            (_, StateKind::Join) => Some("join"),
            (_, StateKind::Choice) => Some("choice"),
            (_, StateKind::Divider) => Some("divider"),
            // a note statement carries no type, and mermaid takes the missing type as the shape
            _ if item.is_note => None,
            (Some(true), _) => Some("stateStart"),
            (Some(false), _) => Some("stateEnd"),
            (None, _) => Some("rect"),
        };
        let entry = self.states.entry(id.clone()).or_insert(LayoutState {
            shape: initial_shape.map(str::to_string),
            label: Label::One(id.clone()),
            is_group: false,
            range: item.range.clone(),
        });
        // A composite's own description arrives like any other; empty ones are ignored.
        let descriptions: Vec<&String> =
            item.descriptions.iter().filter(|d| !d.is_empty()).collect();
        if !descriptions.is_empty() {
            let mut added: Vec<String> = descriptions.iter().map(|d| d.to_string()).collect();
            match &mut entry.label {
                Label::Many(list) => {
                    entry.shape = Some("rectWithTitle".into());
                    list.append(&mut added);
                }
                Label::One(current) if !current.is_empty() => {
                    entry.shape = Some("rectWithTitle".into());
                    let mut list = if *current == id {
                        Vec::new()
                    } else {
                        vec![current.clone()]
                    };
                    list.append(&mut added);
                    entry.label = Label::Many(list);
                }
                Label::One(_) => {
                    entry.shape = Some("rect".into());
                    entry.label = if added.len() == 1 {
                        Label::One(added.remove(0))
                    } else {
                        Label::Many(added)
                    };
                }
            }
        }
        if let Label::Many(list) = &entry.label {
            if list.len() == 1 && entry.shape.as_deref() == Some("rectWithTitle") {
                entry.shape = Some(
                    if entry.is_group {
                        "roundedWithTitle"
                    } else {
                        "rect"
                    }
                    .into(),
                );
            }
        }
        if !entry.is_group && item.body.is_some() {
            entry.is_group = true;
            entry.shape = Some(
                if item.kind == StateKind::Divider {
                    "divider"
                } else {
                    "roundedWithTitle"
                }
                .into(),
            );
        }
        let (label, extra) = match &entry.label {
            Label::One(text) => (text.clone(), 0),
            Label::Many(list) => (
                list.first().cloned().unwrap_or_default(),
                list.len().saturating_sub(1),
            ),
        };
        let label = if entry.shape.as_deref() == Some("divider") {
            String::new()
        } else {
            label
        };
        let shape = entry.shape.clone();
        let is_group = entry.is_group;
        if is_group && extra > 0 {
            let range = entry.range.clone();
            if !self.groups_with_descriptions.iter().any(|(g, _)| *g == id) {
                self.groups_with_descriptions.push((id.clone(), range));
            }
        }
        let parent = parent.filter(|p| *p != "root").map(str::to_string);
        let node = StateNode {
            id: id.clone(),
            label,
            shape,
            parent,
            is_group,
        };
        if let Some(note) = &item.note {
            let note_id = format!("{id}----note-{}", self.item_count);
            let group_id = format!("{id}----parent");
            self.item_count += 1;
            self.upsert(StateNode {
                id: group_id.clone(),
                label: note.text.clone(),
                shape: Some("noteGroup".into()),
                parent: None,
                is_group: true,
            });
            self.upsert(StateNode {
                id: note_id.clone(),
                label: note.text.clone(),
                shape: Some("note".into()),
                parent: Some(group_id),
                is_group,
            });
            self.upsert(node);
            let (from, to) = if note.position == NotePosition::LeftOf {
                (note_id, id.clone())
            } else {
                (id.clone(), note_id)
            };
            self.edges.push(Transition {
                from,
                to,
                label: String::new(),
                is_note: true,
            });
        } else {
            self.upsert(node);
        }
        if let Some(body) = &item.body {
            self.document(Some(&id), body);
        }
    }

    /// Mermaid's `insertOrUpdateNode`: a state seen again updates its first entry, except
    /// that a parent once set is kept when the new sighting has none.
    fn upsert(&mut self, node: StateNode) {
        if node.id.is_empty() || node.id == "</join></fork>" || node.id == "</choice>" {
            return;
        }
        match self.node_index.get(&node.id) {
            Some(&ix) => {
                let existing = &mut self.nodes[ix];
                let parent = node.parent.clone().or(existing.parent.take());
                *existing = StateNode { parent, ..node };
            }
            None => {
                self.node_index.insert(node.id.clone(), self.nodes.len());
                self.nodes.push(node);
            }
        }
    }

    /// Warnings of our own: classes applied but never defined.
    fn warn_about_classes(
        &self,
        src: &SourceText,
        statements: &[Statement],
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let mut defined = HashSet::new();
        collect_class_defs(statements, &mut defined);
        let mut warned = HashSet::new();
        let mut check = |class: &str, range: Range<usize>| {
            if !defined.contains(class) && warned.insert(class.to_string()) {
                diagnostics.push(
                    src.diagnostic(
                        Code::StateClassUndefined,
                        format!("class `{class}` is applied but never defined with `classDef`"),
                        range,
                    )
                    .with_help(format!(
                        "add `classDef {class} fill:...` or remove the class"
                    )),
                );
            }
        };
        visit_states(statements, &mut |s| {
            for c in &s.classes {
                check(c, s.range.clone());
            }
        });
    }
}

fn collect_class_defs(statements: &[Statement], defined: &mut HashSet<String>) {
    for s in statements {
        match s {
            Statement::ClassDef { id, .. } => {
                defined.insert(id.clone());
            }
            Statement::State(StateRef {
                body: Some(body), ..
            }) => collect_class_defs(body, defined),
            _ => {}
        }
    }
}

fn visit_states(statements: &[Statement], f: &mut dyn FnMut(&StateRef)) {
    for s in statements {
        match s {
            Statement::State(state) => {
                f(state);
                if let Some(body) = &state.body {
                    visit_states(body, f);
                }
            }
            Statement::Transition { from, to, .. } => {
                f(from);
                f(to);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
