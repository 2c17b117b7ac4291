//! State diagrams (`stateDiagram`, `stateDiagram-v2`).
//!
//! The grammar is `grammars/mermaid-state.ebnf`. [`lexer`] reproduces mermaid's modal lexer;
//! this module parses its tokens into the statement tree mermaid builds, then derives the
//! rendered states and transitions as mermaid's state database does: `[*]` becomes
//! `<parent>_start` / `<parent>_end`, `--` splits a composite into concurrent regions, notes
//! become note nodes in a note group.

mod lexer;

use crate::diagnostic::{Diagnostic, Severity};
use crate::mermaid::{DiagramGraph, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::source::SourceText;
use lexer::{Tok, Token};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateDiagram {
    /// `stateDiagram` or `stateDiagram-v2`.
    pub keyword: String,
    pub direction: String,
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
    /// `left of` or `right of`.
    pub position: String,
    pub text: String,
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
        value: String,
    },
    Click {
        id: String,
        url: String,
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
pub fn parse(src: &SourceText, prepared: &Prepared) -> (Option<StateDiagram>, Vec<Diagnostic>) {
    let text = lexing_text(&prepared.text);
    let keyword = prepared.text[prepared.keyword.clone()].to_string();
    let mut diagnostics = Vec::new();
    // `stateDiagram\s+`: the keyword must be followed by whitespace (a line break at least)
    let after = &text[prepared.keyword.end..];
    // (mermaid appends a line break to every diagram, so the end of the text counts)
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        diagnostics.push(
            src.diagnostic(
                "MMD501",
                Severity::Error,
                format!("expected a line break after `{keyword}`"),
                prepared.keyword.end
                    ..prepared.keyword.end + after.chars().next().map_or(0, char::len_utf8),
            )
            .with_help("put the diagram's statements on the lines after the keyword"),
        );
        return (None, diagnostics);
    }
    let mut p = StateParser {
        src,
        text: &text,
        toks: lexer::tokenize(&text, prepared.keyword.end),
        i: 0,
        divider_count: 0,
        acc_title: None,
        acc_descr: None,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let statements = match p.document(false) {
        Ok(statements) => statements,
        Err(e) => {
            p.errors.push(p.report(e));
            Vec::new()
        }
    };
    diagnostics.append(&mut p.warnings);
    if !p.errors.is_empty() {
        diagnostics.append(&mut p.errors);
        return (None, diagnostics);
    }
    let (acc_title, acc_descr) = (p.acc_title.take(), p.acc_descr.take());
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
            Statement::Direction { value } => Some(value.clone()),
            _ => None,
        })
        .next()
        .unwrap_or_else(|| "TB".into());
    let mut layout = Layout::default();
    layout.document(None, &statements);
    for (id, range) in &layout.groups_with_descriptions {
        diagnostics.push(
            src.diagnostic(
                "MMD502",
                Severity::Error,
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

/// Mermaid's clean-up before lexing, keeping offsets: `\r` becomes a space, and entity codes
/// (`#name;`), which mermaid replaces by placeholder characters, lose their `#` and `;` so that
/// neither starts a comment nor ends a description.
fn lexing_text(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for b in bytes.iter_mut() {
        if *b == b'\r' {
            *b = b' ';
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if j > i + 1 && j < bytes.len() && bytes[j] == b';' {
                bytes[i] = ENTITY_START;
                bytes[j] = ENTITY_END;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

const ENTITY_START: u8 = 0x0e;
const ENTITY_END: u8 = 0x0f;

/// Restores entity codes in a label.
fn restore(text: &str) -> String {
    text.replace(ENTITY_START as char, "#")
        .replace(ENTITY_END as char, ";")
}

/// A description, transition label or note as mermaid's sanitising leaves it.
fn label(text: &str) -> String {
    crate::mermaid::flowchart::normalise_breaks(text)
}

struct SyntaxError {
    token: usize,
    expected: String,
}

type PResult<T> = Result<T, SyntaxError>;

struct StateParser<'a> {
    src: &'a SourceText,
    text: &'a str,
    toks: Vec<Token>,
    i: usize,
    divider_count: usize,
    acc_title: Option<String>,
    acc_descr: Option<String>,
    /// Syntax errors reported so far (parsing goes on at the next line after one).
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Syntax errors reported per diagram before parsing stops.
const MAX_REPORTED_ERRORS: usize = 10;

impl<'a> StateParser<'a> {
    fn peek(&self) -> Tok {
        self.toks.get(self.i).map_or(Tok::Eof, |t| t.kind)
    }

    fn bump(&mut self) -> Token {
        let t = self.toks.get(self.i).cloned().unwrap_or(Token {
            kind: Tok::Eof,
            start: self.text.len(),
            end: self.text.len(),
            value: None,
        });
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn slice(&self, t: &Token) -> String {
        restore(&self.text[t.start..t.end])
    }

    fn error<T>(&self, expected: impl Into<String>) -> PResult<T> {
        Err(SyntaxError {
            token: self.i.min(self.toks.len().saturating_sub(1)),
            expected: expected.into(),
        })
    }

    fn expect(&mut self, kind: Tok) -> PResult<Token> {
        if self.peek() == kind {
            Ok(self.bump())
        } else {
            self.error(kind.describe())
        }
    }

    fn report(&self, e: SyntaxError) -> Diagnostic {
        let (kind, range) = self
            .toks
            .get(e.token)
            .map_or((Tok::Eof, self.text.len()..self.text.len()), |t| {
                (t.kind, t.start..t.end)
            });
        let range = if kind == Tok::Eof {
            let end = self.text.trim_end().len();
            end..end
        } else {
            range
        };
        let message = if matches!(kind, Tok::Unrecognized | Tok::Invalid) {
            format!(
                "unexpected `{}`; expected {}",
                restore(&self.text[range.clone()]),
                e.expected
            )
        } else {
            format!("expected {}, found {}", e.expected, kind.describe())
        };
        self.src
            .diagnostic("MMD501", Severity::Error, message, range)
    }

    /// Statements up to `}` (in a composite) or the end of the diagram.
    fn document(&mut self, in_struct: bool) -> PResult<Vec<Statement>> {
        let mut statements = Vec::new();
        loop {
            match self.peek() {
                Tok::Eof if !in_struct => return Ok(statements),
                Tok::Eof => return self.error("`}` to close the composite state"),
                Tok::StructStop if in_struct => {
                    self.bump();
                    return Ok(statements);
                }
                Tok::Nl => {
                    self.bump();
                }
                _ => match self.statement() {
                    Ok(statement) => statements.push(statement),
                    Err(e) if in_struct => return Err(e),
                    Err(e) => {
                        // Go on at the next top-level line, unless nothing readable follows.
                        let kind = self.toks.get(e.token).map_or(Tok::Eof, |t| t.kind);
                        if matches!(kind, Tok::Eof | Tok::Unrecognized)
                            || self.errors.len() + 1 >= MAX_REPORTED_ERRORS
                        {
                            return Err(e);
                        }
                        self.errors.push(self.report(e));
                        while !matches!(self.peek(), Tok::Nl | Tok::Eof) {
                            self.bump();
                        }
                    }
                },
            }
        }
    }

    fn state_ref(&mut self) -> PResult<StateRef> {
        let t = match self.peek() {
            Tok::Id | Tok::EdgeState => self.bump(),
            _ => return self.error("a state id or `[*]`"),
        };
        let mut state = self.plain_state(self.slice(&t).trim().to_string(), t.start..t.end);
        if self.peek() == Tok::StyleSep {
            self.bump();
            let class = self.expect(Tok::Id)?;
            state.classes.push(self.slice(&class).trim().to_string());
        }
        Ok(state)
    }

    fn plain_state(&self, id: String, range: Range<usize>) -> StateRef {
        StateRef {
            id,
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

    fn statement(&mut self) -> PResult<Statement> {
        match self.peek() {
            Tok::ClassDef => {
                self.bump();
                let id = match self.peek() {
                    Tok::ClassDefId => self.bump(),
                    _ => {
                        return self.error("a class name (mermaid does not accept `default` here)")
                    }
                };
                let styles = self.expect(Tok::ClassDefStyles)?;
                Ok(Statement::ClassDef {
                    id: self.slice(&id).trim().to_string(),
                    styles: self.slice(&styles).trim().to_string(),
                })
            }
            Tok::Style => {
                self.bump();
                let ids = self.expect(Tok::StyleIds)?;
                let styles = self.expect(Tok::StyleOpts)?;
                Ok(Statement::Style {
                    ids: self.slice(&ids).trim().to_string(),
                    styles: self.slice(&styles).trim().to_string(),
                })
            }
            Tok::Class => {
                self.bump();
                let ids = self.expect(Tok::ClassIds)?;
                let class = self.expect(Tok::ClassName)?;
                Ok(Statement::ApplyClass {
                    ids: self.slice(&ids).trim().to_string(),
                    class: self.slice(&class).trim().to_string(),
                })
            }
            Tok::Id | Tok::EdgeState => {
                let mut from = self.state_ref()?;
                match self.peek() {
                    Tok::Descr => {
                        let d = self.bump();
                        from.descriptions.push(label(&trim_colon(&self.slice(&d))));
                        Ok(Statement::State(from))
                    }
                    Tok::Arrow => {
                        self.bump();
                        let to = self.state_ref()?;
                        let label = if self.peek() == Tok::Descr {
                            let d = self.bump();
                            Some(label(&trim_colon(&self.slice(&d))))
                        } else {
                            None
                        };
                        Ok(Statement::Transition { from, to, label })
                    }
                    _ => Ok(Statement::State(from)),
                }
            }
            Tok::HideEmpty => {
                self.bump();
                Ok(Statement::Other)
            }
            Tok::Scale => {
                self.bump();
                self.expect(Tok::Width)?;
                Ok(Statement::Other)
            }
            Tok::CompositState => {
                let t = self.bump();
                if self.peek() != Tok::StructStart {
                    // mermaid keeps a bare `state <id>` as text, not as a state
                    return Ok(Statement::Other);
                }
                self.bump();
                let mut state = self.plain_state(self.slice(&t).trim().to_string(), t.start..t.end);
                state.body = Some(self.document(true)?);
                Ok(Statement::State(state))
            }
            Tok::StateDescr => {
                let descr = self.bump();
                let description = self.slice(&descr);
                self.expect(Tok::As)?;
                let id_token = self.expect(Tok::Id)?;
                let raw_id = self.slice(&id_token);
                let range = id_token.start..id_token.end;
                if self.peek() == Tok::StructStart {
                    self.bump();
                    let body = self.document(true)?;
                    let mut state = self.plain_state(raw_id.trim().to_string(), range);
                    state.descriptions.push(label(&description));
                    state.body = Some(body);
                    return Ok(Statement::State(state));
                }
                // `state "d" as id:extra` gives the state two descriptions
                let mut state;
                if let Some((id, extra)) = raw_id.split_once(':') {
                    state = self.plain_state(id.trim().to_string(), range);
                    state.descriptions.push(label(description.trim()));
                    let extra = extra.split(':').next().unwrap_or_default();
                    state.descriptions.push(label(extra));
                } else {
                    state = self.plain_state(raw_id.trim().to_string(), range);
                    state.descriptions.push(label(description.trim()));
                }
                Ok(Statement::State(state))
            }
            Tok::Fork | Tok::Join | Tok::Choice => {
                let t = self.bump();
                let mut state = self.plain_state(self.slice(&t), t.start..t.end);
                state.kind = match t.kind {
                    Tok::Fork => StateKind::Fork,
                    Tok::Join => StateKind::Join,
                    _ => StateKind::Choice,
                };
                Ok(Statement::State(state))
            }
            Tok::Concurrent => {
                let t = self.bump();
                self.divider_count += 1;
                let mut state =
                    self.plain_state(format!("divider-id-{}", self.divider_count), t.start..t.end);
                state.kind = StateKind::Divider;
                Ok(Statement::State(state))
            }
            Tok::Note => {
                self.bump();
                match self.peek() {
                    Tok::LeftOf | Tok::RightOf => {
                        let position = self.bump();
                        let id = self.expect(Tok::Id)?;
                        let text = self.expect(Tok::NoteText)?;
                        self.check_note_colon(&text);
                        let mut state =
                            self.plain_state(self.slice(&id).trim().to_string(), id.start..id.end);
                        state.is_note = true;
                        state.note = Some(NoteDecl {
                            position: self.slice(&position).to_ascii_lowercase(),
                            text: label(&restore(text.value.as_deref().unwrap_or_default())),
                        });
                        Ok(Statement::State(state))
                    }
                    Tok::NoteText => {
                        self.bump();
                        self.expect(Tok::As)?;
                        self.expect(Tok::Id)?;
                        Ok(Statement::Other)
                    }
                    _ => self.error("`left of`, `right of` or a quoted note"),
                }
            }
            Tok::Direction => {
                let t = self.bump();
                Ok(Statement::Direction {
                    value: t.value.unwrap_or_default(),
                })
            }
            Tok::AccTitle | Tok::AccDescr => {
                let head = self.bump();
                let value = self.expect(Tok::AccValue)?;
                let value = self.slice(&value).trim().to_string();
                if head.kind == Tok::AccTitle {
                    self.acc_title = Some(value);
                } else {
                    self.acc_descr = Some(value);
                }
                Ok(Statement::Other)
            }
            Tok::AccDescrBlock => {
                let t = self.bump();
                self.acc_descr = Some(self.slice(&t).trim().to_string());
                Ok(Statement::Other)
            }
            Tok::Click => {
                self.bump();
                let state = self.state_ref()?;
                let url = match self.peek() {
                    Tok::Str => {
                        let url = self.bump();
                        self.expect(Tok::Str)?;
                        url
                    }
                    Tok::Href => {
                        self.bump();
                        self.expect(Tok::Str)?
                    }
                    _ => return self.error("a quoted link or `href`"),
                };
                if self.peek() != Tok::Eof {
                    self.expect(Tok::Nl)?;
                }
                Ok(Statement::Click {
                    id: state.id,
                    url: self.slice(&url).trim_matches('"').to_string(),
                })
            }
            Tok::StructStart => {
                self.error("a state (`{` must follow `state <id>` on the same line)")
            }
            _ => self.error("a state, a transition or a statement keyword"),
        }
    }
}

impl StateParser<'_> {
    /// Mermaid cuts two characters off `: text` of a one-line note, meant to be ` :`. With no
    /// space before the colon it loses the text's first letter; with two or more, the colon
    /// stays in the note.
    fn check_note_colon(&mut self, token: &Token) {
        let raw = &self.text[token.start..token.end];
        let ws = raw.chars().take_while(|c| c.is_whitespace()).count();
        let Some(after) = raw.trim_start().strip_prefix(':') else {
            return;
        };
        let loses_letter = ws == 0 && after.starts_with(|c: char| !c.is_whitespace());
        if loses_letter || ws >= 2 {
            let shown = token.value.clone().unwrap_or_default();
            self.warnings.push(
                self.src
                    .diagnostic(
                        "MMD504",
                        Severity::Warning,
                        format!("mermaid shows this note as `{shown}`"),
                        token.start..token.end,
                    )
                    .with_help("write one space before the colon: `note right of State : text`"),
            );
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
            let (from, to) = if note.position == "left of" {
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
                        "MMD503",
                        Severity::Warning,
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
