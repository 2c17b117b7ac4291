//! Flowcharts (`graph`, `flowchart`, `flowchart-elk`).
//!
//! The grammar is `grammars/mermaid-flowchart.ebnf`. [`lexer`] reproduces mermaid's modal,
//! first-match lexer; this module is a recursive-descent parser over its tokens that builds
//! the model the way mermaid's flowchart database does (vertex order, subgraph membership,
//! generated edge ids), and then makes mermaid's post-parse checks.

mod lexer;
mod shapes;

use crate::diagnostic::{Diagnostic, Severity};
use crate::mermaid::{DiagramGraph, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::source::SourceText;
use lexer::{Tok, Token};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Mermaid's default `maxEdges`.
const MAX_EDGES: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flowchart {
    /// `graph`, `flowchart` or `flowchart-elk`.
    pub keyword: String,
    /// TB, BT, LR, RL (TD and `v` normalised to TB, `>` to LR, `<` to RL, `^` to BT).
    pub direction: String,
    pub nodes: Vec<FlowNode>,
    pub edges: Vec<FlowEdge>,
    /// In the order mermaid creates them: inner subgraphs before the ones that contain them.
    pub subgraphs: Vec<Subgraph>,
    pub class_defs: Vec<ClassDef>,
    /// `linkStyle` statements in order: the link index (`None` for `default`) and the styles.
    #[serde(skip)]
    pub link_styles: Vec<(Option<usize>, Vec<String>)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acc_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acc_descr: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    Text,
    String,
    Markdown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowNode {
    pub id: String,
    pub label: String,
    pub label_kind: LabelKind,
    /// Mermaid's shape name (`square`, `round`, `diamond`, or an `@{ shape: ... }` name); `None`
    /// for a node written without brackets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    pub classes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub styles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Where the `click` statement writes the link's URL.
    #[serde(skip)]
    pub link_range: Option<Range<usize>>,
    /// Where the node first appears (byte offsets into the block).
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowEdge {
    /// The user's `id@` or mermaid's generated `L_<from>_<to>_<n>`.
    pub id: String,
    pub from: String,
    pub to: String,
    /// `arrow_point`, `arrow_open`, `arrow_cross`, `arrow_circle`, their `double_` forms, or
    /// `INVALID` when the two ends of a labelled link disagree.
    pub kind: String,
    /// `normal`, `thick`, `dotted` or `invisible`.
    pub stroke: String,
    pub length: usize,
    pub label: String,
    pub label_kind: LabelKind,
    pub classes: Vec<String>,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subgraph {
    pub id: String,
    pub title: String,
    /// Node and subgraph ids directly inside, in mermaid's order.
    pub members: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    pub classes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDef {
    pub id: String,
    pub styles: Vec<String>,
}

impl Flowchart {
    /// The graph view: nodes, links, and subgraphs as groups.
    pub fn graph(&self) -> DiagramGraph {
        let mut parent: HashMap<&str, &str> = HashMap::new();
        for sg in self.subgraphs.iter().rev() {
            for m in &sg.members {
                parent.insert(m, &sg.id);
            }
        }
        let mut g = DiagramGraph::default();
        let mut index = HashMap::new();
        let group_ids: HashSet<&str> = self.subgraphs.iter().map(|s| s.id.as_str()).collect();
        for n in &self.nodes {
            if group_ids.contains(n.id.as_str()) {
                continue;
            }
            let ix = g.graph.add_node(GraphNode {
                id: n.id.clone(),
                label: n.label.clone(),
                kind: n.shape.clone().unwrap_or_else(|| "square".into()),
                group: parent.get(n.id.as_str()).map(|s| s.to_string()),
            });
            index.insert(n.id.as_str(), ix);
        }
        for e in &self.edges {
            if let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
                g.graph.add_edge(
                    a,
                    b,
                    GraphEdge {
                        kind: e.kind.clone(),
                        label: e.label.clone(),
                    },
                );
            }
        }
        g.groups = self
            .subgraphs
            .iter()
            .map(|s| GraphGroup {
                id: s.id.clone(),
                label: s.title.clone(),
                parent: parent.get(s.id.as_str()).map(|p| p.to_string()),
            })
            .collect();
        g
    }
}

/// Parses a flowchart. Errors are diagnostics; the model is returned only without errors.
pub fn parse(src: &SourceText, prepared: &Prepared) -> (Option<Flowchart>, Vec<Diagnostic>) {
    let lexing = LexText::new(&prepared.text);
    let mut p = FlowParser {
        src,
        lex: &lexing,
        toks: Vec::new(),
        i: 0,
        db: Db::default(),
        diagnostics: Vec::new(),
    };
    p.db.keyword = prepared.text[prepared.keyword.clone()].to_string();
    let keyword_end = lexing.local(prepared.keyword.end);
    if lexing.text[keyword_end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        let at = lexing.original(keyword_end);
        p.diagnostics.push(
            src.diagnostic(
                "MMD101",
                Severity::Error,
                format!(
                    "unrecognised text after the diagram keyword `{}`",
                    p.db.keyword
                ),
                prepared.keyword.start..at + 1,
            )
            .with_help("write the keyword, then a space and a direction (TB, TD, BT, RL, LR)"),
        );
        return (None, p.diagnostics);
    }
    p.toks = lexer::tokenize(&lexing.text, keyword_end);
    let ok = p.diagram().map_err(|e| p.report(e)).is_ok();
    if ok {
        p.final_checks();
    }
    let has_error = p.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let model = (!has_error).then(|| p.db.into_model());
    (model, p.diagnostics)
}

/// The text the lexer reads: mermaid's own clean-up applied (`\r` removed, double-quoted
/// HTML attributes single-quoted, the `;` of `style` lines dropped, a final line break added),
/// with a map back to block offsets.
struct LexText {
    text: String,
    /// Block offset of each byte of `text`, plus one entry for the end.
    origin: Vec<usize>,
}

impl LexText {
    fn new(block: &str) -> LexText {
        let mut text = String::with_capacity(block.len() + 1);
        let mut origin = Vec::with_capacity(block.len() + 2);
        let mut chars = block.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\r' {
                if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    continue;
                }
                text.push('\n');
                origin.push(i);
                continue;
            }
            text.push(c);
            origin.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
        text.push('\n');
        origin.push(block.len());
        origin.push(block.len());
        let text = lexer::style_semicolons(&single_quote_attributes(&text));
        LexText { text, origin }
    }

    fn original(&self, local: usize) -> usize {
        self.origin[local.min(self.origin.len() - 1)]
    }

    fn local(&self, original: usize) -> usize {
        self.origin.partition_point(|&o| o < original)
    }
}

/// `<tag a="x">` becomes `<tag a='x'>`, as mermaid does before parsing.
fn single_quote_attributes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            let Some(close) = bytes[i..].iter().position(|&b| b == b'>') else {
                break;
            };
            let tag = &bytes[i..i + close];
            let mut j = 0;
            while j + 1 < tag.len() {
                if tag[j] == b'=' && tag[j + 1] == b'"' {
                    if let Some(end) = tag[j + 2..].iter().position(|&b| b == b'"') {
                        out[i + j + 1] = b'\'';
                        out[i + j + 2 + end] = b'\'';
                        j += 2 + end + 1;
                        continue;
                    }
                }
                j += 1;
            }
            i += close + 1;
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// What a statement contributes to the subgraph around it (mermaid's document list).
enum Item {
    Nodes(Vec<String>),
    Subgraph(String),
    Direction(String),
    Other(String),
}

#[derive(Default)]
struct Db {
    keyword: String,
    direction: String,
    nodes: Vec<FlowNode>,
    node_index: HashMap<String, usize>,
    edges: Vec<FlowEdge>,
    subgraphs: Vec<Subgraph>,
    class_defs: Vec<ClassDef>,
    link_styles: Vec<(Option<usize>, Vec<String>)>,
    acc_title: Option<String>,
    acc_descr: Option<String>,
}

impl Db {
    fn into_model(self) -> Flowchart {
        Flowchart {
            keyword: self.keyword,
            direction: self.direction,
            nodes: self.nodes,
            edges: self.edges,
            subgraphs: self.subgraphs,
            class_defs: self.class_defs,
            link_styles: self.link_styles,
            acc_title: self.acc_title,
            acc_descr: self.acc_descr,
        }
    }

    /// Mermaid's `addVertex`: an id that names an edge is that edge, not a node.
    fn touch_vertex(&mut self, id: &str, range: Range<usize>) -> Option<usize> {
        if id.trim().is_empty() || self.edges.iter().any(|e| e.id == id) {
            return None;
        }
        if let Some(&ix) = self.node_index.get(id) {
            return Some(ix);
        }
        self.nodes.push(FlowNode {
            id: id.to_string(),
            label: id.to_string(),
            label_kind: LabelKind::Text,
            shape: None,
            classes: Vec::new(),
            styles: Vec::new(),
            link: None,
            link_range: None,
            range,
        });
        self.node_index.insert(id.to_string(), self.nodes.len() - 1);
        Some(self.nodes.len() - 1)
    }

    fn set_class(&mut self, ids: &str, class: &str) {
        for id in ids.split(',') {
            if let Some(&ix) = self.node_index.get(id) {
                self.nodes[ix].classes.push(class.to_string());
            }
            if let Some(e) = self.edges.iter_mut().find(|e| e.id == id) {
                e.classes.push(class.to_string());
            }
            if let Some(s) = self.subgraphs.iter_mut().find(|s| s.id == id) {
                s.classes.push(class.to_string());
            }
        }
    }
}

struct SyntaxError {
    token: usize,
    expected: String,
}

type PResult<T> = Result<T, SyntaxError>;

/// A link between node groups as the grammar delivers it.
struct LinkInfo {
    kind: String,
    stroke: String,
    length: usize,
    label: Option<(String, LabelKind)>,
    id: Option<String>,
    range: Range<usize>,
}

struct FlowParser<'a> {
    src: &'a SourceText,
    lex: &'a LexText,
    toks: Vec<Token>,
    i: usize,
    db: Db,
    diagnostics: Vec<Diagnostic>,
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

fn text_no_tags_token(kind: Tok) -> bool {
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

const NODE_EXPECTED: &str = "a node id";

impl<'a> FlowParser<'a> {
    fn peek(&self) -> Tok {
        self.toks.get(self.i).map_or(Tok::Eof, |t| t.kind)
    }

    fn peek_at(&self, n: usize) -> Tok {
        self.toks.get(self.i + n).map_or(Tok::Eof, |t| t.kind)
    }

    fn bump(&mut self) -> Token {
        let t = self.toks.get(self.i).cloned().unwrap_or(Token {
            kind: Tok::Eof,
            start: self.lex.text.len(),
            end: self.lex.text.len(),
            value: None,
        });
        if self.i < self.toks.len() {
            self.i += 1;
        }
        t
    }

    fn slice(&self, t: &Token) -> &'a str {
        &self.lex.text[t.start..t.end]
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

    fn orig_range(&self, start: usize, end: usize) -> Range<usize> {
        self.lex.original(start)..self.lex.original(end.max(start))
    }

    fn report(&mut self, e: SyntaxError) {
        let Some(t) = self.toks.get(e.token) else {
            return;
        };
        let found = t.kind;
        let range = self.orig_range(t.start, t.end.max(t.start));
        let message = if found == Tok::Unrecognized {
            format!(
                "unrecognised text `{}`; expected {}",
                &self.lex.text[t.start..t.end],
                e.expected
            )
        } else {
            format!("expected {}, found {}", e.expected, found.describe())
        };
        self.diagnostics.push(
            self.src
                .diagnostic("MMD101", Severity::Error, message, range),
        );
    }

    fn check_error(&mut self, code: &str, message: String, range: Range<usize>) {
        self.diagnostics
            .push(self.src.diagnostic(code, Severity::Error, message, range));
    }

    /// `graphConfig document`
    fn diagram(&mut self) -> PResult<()> {
        match self.peek() {
            Tok::NoDir => {
                self.bump();
                self.db.direction = "TB".into();
            }
            Tok::Dir => {
                let t = self.bump();
                self.db.direction = normalise_direction(t.value.as_deref().unwrap_or("TB"));
                // FirstStmtSeparator: `;`, a line break, or spaces then a line break
                match self.peek() {
                    Tok::Semi | Tok::Newline => {
                        self.bump();
                    }
                    Tok::Space => {
                        while self.peek() == Tok::Space {
                            self.bump();
                        }
                        self.expect(Tok::Newline)?;
                    }
                    _ => return self.error("`;` or a line break after the direction"),
                }
            }
            _ => return self.error("a direction (TB, TD, BT, RL, LR) or a line break"),
        }
        self.document(false)?;
        Ok(())
    }

    /// Statements up to `end` (inside a subgraph) or the end of the diagram.
    fn document(&mut self, in_subgraph: bool) -> PResult<Vec<Item>> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                Tok::Eof => {
                    if in_subgraph {
                        return self.error("`end` to close the subgraph");
                    }
                    return Ok(items);
                }
                Tok::End if in_subgraph => {
                    self.bump();
                    return Ok(items);
                }
                Tok::Semi => {
                    self.bump();
                    items.push(Item::Other(";".into()));
                }
                Tok::Newline | Tok::Space => {
                    self.bump();
                }
                _ => {
                    if let Some(item) = self.statement()? {
                        items.push(item);
                    }
                }
            }
        }
    }

    fn separator(&mut self) -> PResult<()> {
        match self.peek() {
            Tok::Newline | Tok::Semi => {
                self.bump();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => self.error("`;` or a line break"),
        }
    }

    fn statement(&mut self) -> PResult<Option<Item>> {
        match self.peek() {
            Tok::Direction => {
                let t = self.bump();
                Ok(Some(Item::Direction(t.value.unwrap_or_default())))
            }
            Tok::AccTitle | Tok::AccDescr => {
                let head = self.bump();
                let value = self.expect(Tok::AccValue)?;
                let value = self.slice(&value).trim().to_string();
                if head.kind == Tok::AccTitle {
                    self.db.acc_title = Some(value.clone());
                } else {
                    self.db.acc_descr = Some(value.clone());
                }
                Ok(Some(Item::Other(value)))
            }
            Tok::AccDescrBlock => {
                let t = self.bump();
                let value = self.slice(&t).trim().to_string();
                self.db.acc_descr = Some(value.clone());
                Ok(Some(Item::Other(value)))
            }
            Tok::Style => {
                self.style_statement()?;
                Ok(None)
            }
            Tok::LinkStyle => {
                self.link_style_statement()?;
                Ok(None)
            }
            Tok::ClassDef => {
                self.bump();
                self.expect(Tok::Space)?;
                let (ids, _) = self.id_string()?;
                self.expect(Tok::Space)?;
                let styles = self.styles()?;
                self.separator()?;
                self.add_class_def(&ids, &styles);
                Ok(None)
            }
            Tok::Class => {
                self.bump();
                self.expect(Tok::Space)?;
                let (ids, _) = self.id_string()?;
                self.expect(Tok::Space)?;
                let (class, _) = self.id_string()?;
                self.separator()?;
                self.db.set_class(&ids, &class);
                Ok(None)
            }
            Tok::Click => {
                self.click_statement()?;
                Ok(None)
            }
            Tok::Subgraph => self.subgraph().map(Some),
            kind if id_token(kind) => {
                let nodes = self.vertex_statement()?;
                self.separator()?;
                Ok(Some(Item::Nodes(nodes)))
            }
            Tok::End => self.error("a statement (`end` closes nothing here)"),
            _ => self.error("a statement"),
        }
    }

    /// `idString`: id tokens with nothing between them.
    fn id_string(&mut self) -> PResult<(String, Range<usize>)> {
        if !id_token(self.peek()) {
            return self.error(NODE_EXPECTED);
        }
        let start = self.toks[self.i].start;
        let mut end = start;
        let mut id = String::new();
        while id_token(self.peek()) {
            let t = self.bump();
            id.push_str(self.slice(&t));
            end = t.end;
        }
        Ok((id, start..end))
    }

    fn styles(&mut self) -> PResult<Vec<String>> {
        let mut styles = Vec::new();
        loop {
            if !style_token(self.peek()) {
                return self.error("a style such as `fill:#f9f`");
            }
            let mut style = String::new();
            while style_token(self.peek()) {
                let t = self.bump();
                style.push_str(self.slice(&t));
            }
            styles.push(style);
            if self.peek() == Tok::Comma {
                self.bump();
            } else {
                return Ok(styles);
            }
        }
    }

    fn add_class_def(&mut self, ids: &str, styles: &[String]) {
        for id in ids.split(',') {
            let styles = styles.iter().map(|s| s.trim().to_string()).collect();
            match self.db.class_defs.iter_mut().find(|c| c.id == id) {
                Some(existing) => existing.styles.extend(styles),
                None => self.db.class_defs.push(ClassDef {
                    id: id.to_string(),
                    styles,
                }),
            }
        }
    }

    fn style_statement(&mut self) -> PResult<()> {
        self.bump();
        self.expect(Tok::Space)?;
        let (id, range) = self.id_string()?;
        self.expect(Tok::Space)?;
        let styles = self.styles()?;
        self.separator()?;
        let range = self.orig_range(range.start, range.end);
        if !self.db.node_index.contains_key(&id) && !self.db.edges.iter().any(|e| e.id == id) {
            self.diagnostics.push(
                self.src
                    .diagnostic(
                        "MMD105",
                        Severity::Warning,
                        format!("`style` names `{id}`, which no statement before it defines; mermaid creates a new node"),
                        range.clone(),
                    )
                    .with_help("check the id for a typo, or define the node first"),
            );
        }
        if let Some(ix) = self.db.touch_vertex(&id, range) {
            self.db.nodes[ix].styles.extend(styles);
        }
        Ok(())
    }

    fn link_style_statement(&mut self) -> PResult<()> {
        self.bump();
        self.expect(Tok::Space)?;
        let mut positions: Vec<(usize, Range<usize>)> = Vec::new();
        if self.peek() == Tok::Default {
            self.bump();
        } else {
            loop {
                let t = self.expect(Tok::Num)?;
                let n = self.slice(&t).parse::<usize>().unwrap_or(usize::MAX);
                positions.push((n, self.orig_range(t.start, t.end)));
                if self.peek() == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        self.expect(Tok::Space)?;
        let mut styles = Vec::new();
        if self.peek() == Tok::Interpolate {
            self.bump();
            self.expect(Tok::Space)?;
            if !alpha_num_token(self.peek()) {
                return self.error("a curve name such as `basis`");
            }
            while alpha_num_token(self.peek()) {
                self.bump();
            }
            if self.peek() == Tok::Space {
                self.bump();
                styles = self.styles()?;
            }
        } else {
            styles = self.styles()?;
        }
        self.separator()?;
        if positions.is_empty() {
            self.db.link_styles.push((None, styles.clone()));
        }
        for (n, _) in &positions {
            self.db.link_styles.push((Some(*n), styles.clone()));
        }
        for (n, range) in positions {
            if n >= self.db.edges.len() {
                let edges = self.db.edges.len();
                self.check_error(
                    "MMD103",
                    format!(
                        "linkStyle index {n} is out of bounds: the diagram has {edges} link{} before this statement",
                        if edges == 1 { "" } else { "s" }
                    ),
                    range,
                );
            }
        }
        Ok(())
    }

    fn click_statement(&mut self) -> PResult<()> {
        let click = self.bump();
        let ids = self.slice(&click).to_string();
        let str_then_target = |p: &mut Self| -> PResult<()> {
            // [SPACE STR] [SPACE LINK_TARGET]
            if p.peek() == Tok::Space && p.peek_at(1) == Tok::Str {
                p.bump();
                p.bump();
            }
            if p.peek() == Tok::Space && p.peek_at(1) == Tok::LinkTarget {
                p.bump();
                p.bump();
            }
            Ok(())
        };
        match self.peek() {
            Tok::CallbackName => {
                self.bump();
                if self.peek() == Tok::CallbackArgs {
                    self.bump();
                }
                if self.peek() == Tok::Space && self.peek_at(1) == Tok::Str {
                    self.bump();
                    self.bump();
                }
                self.db.set_class(&ids, "clickable");
            }
            Tok::Href => {
                self.bump();
                let token = self.expect(Tok::Str)?;
                let url = self.slice(&token).to_string();
                str_then_target(self)?;
                self.set_link(&ids, url, self.orig_range(token.start, token.end));
            }
            Tok::Str => {
                let token = self.bump();
                let url = self.slice(&token).to_string();
                str_then_target(self)?;
                self.set_link(&ids, url, self.orig_range(token.start, token.end));
            }
            kind if alpha_num_token(kind) => {
                while alpha_num_token(self.peek()) {
                    self.bump();
                }
                if self.peek() == Tok::Space && self.peek_at(1) == Tok::Str {
                    self.bump();
                    self.bump();
                }
                self.db.set_class(&ids, "clickable");
            }
            _ => return self.error("a callback name, `call`, `href` or a quoted link"),
        }
        self.separator()
    }

    fn set_link(&mut self, ids: &str, url: String, range: Range<usize>) {
        for id in ids.split(',') {
            if let Some(&ix) = self.db.node_index.get(id) {
                self.db.nodes[ix].link = Some(url.clone());
                self.db.nodes[ix].link_range = Some(range.clone());
            }
        }
        self.db.set_class(ids, "clickable");
    }

    fn subgraph(&mut self) -> PResult<Item> {
        self.bump();
        let mut id_text: Option<(String, LabelKind)> = None;
        let mut title: Option<(String, LabelKind)> = None;
        if self.peek() == Tok::Space {
            self.bump();
            let text = match self.peek() {
                Tok::Str => {
                    let t = self.bump();
                    (self.slice(&t).to_string(), LabelKind::Text)
                }
                Tok::MdStr => {
                    let t = self.bump();
                    (self.slice(&t).to_string(), LabelKind::Markdown)
                }
                kind if text_no_tags_token(kind) => {
                    let mut s = String::new();
                    while text_no_tags_token(self.peek()) {
                        let t = self.bump();
                        s.push_str(self.slice(&t));
                    }
                    (s, LabelKind::Text)
                }
                _ => return self.error("a subgraph id or title"),
            };
            if self.peek() == Tok::Sqs {
                self.bump();
                title = Some(self.text(&[Tok::Sqe])?.0);
                self.expect(Tok::Sqe)?;
            }
            id_text = Some(text);
        }
        self.separator()?;
        let items = self.document(true)?;
        Ok(Item::Subgraph(self.add_subgraph(id_text, title, items)))
    }

    /// Mermaid's `addSubGraph`: a title-only subgraph whose title has spaces gets a generated
    /// id; members are de-duplicated and lose nodes an earlier subgraph already holds.
    fn add_subgraph(
        &mut self,
        id_text: Option<(String, LabelKind)>,
        title: Option<(String, LabelKind)>,
        items: Vec<Item>,
    ) -> String {
        let (id, title) = match (id_text, title) {
            (Some((id, _)), Some((title, _))) => (Some(id.trim().to_string()), title),
            (Some((text, _)), None) => {
                let id = (!text.chars().any(char::is_whitespace)).then(|| text.trim().to_string());
                (id, text)
            }
            (None, _) => (None, String::new()),
        };
        let mut members: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        let mut direction = None;
        for item in items {
            let names = match item {
                Item::Nodes(nodes) => nodes,
                Item::Subgraph(id) => vec![id],
                Item::Other(text) => vec![text],
                Item::Direction(dir) => {
                    direction = Some(dir);
                    continue;
                }
            };
            for name in names {
                if name.trim().is_empty() || !seen.insert(name.clone()) {
                    continue;
                }
                members.push(name);
            }
        }
        members.retain(|m| !self.db.subgraphs.iter().any(|s| s.members.contains(m)));
        let id = id.unwrap_or_else(|| format!("subGraph{}", self.db.subgraphs.len()));
        self.db.subgraphs.push(Subgraph {
            id: id.clone(),
            title: title.trim().to_string(),
            members,
            direction,
            classes: Vec::new(),
        });
        id
    }

    /// Node text up to one of `closers` (not consumed): one run of text, a string, or a
    /// markdown string.
    fn text(&mut self, closers: &[Tok]) -> PResult<((String, LabelKind), Range<usize>)> {
        let start = self.toks.get(self.i).map_or(0, |t| t.start);
        match self.peek() {
            Tok::Str => {
                let t = self.bump();
                Ok((
                    (self.slice(&t).to_string(), LabelKind::String),
                    start..t.end,
                ))
            }
            Tok::MdStr => {
                let t = self.bump();
                Ok((
                    (self.slice(&t).to_string(), LabelKind::Markdown),
                    start..t.end,
                ))
            }
            Tok::Text | Tok::Unicode | Tok::TagStart | Tok::TagEnd => {
                let mut s = String::new();
                let mut end = start;
                while matches!(
                    self.peek(),
                    Tok::Text | Tok::Unicode | Tok::TagStart | Tok::TagEnd
                ) {
                    let t = self.bump();
                    s.push_str(self.slice(&t));
                    end = t.end;
                }
                Ok(((s, LabelKind::Text), start..end))
            }
            _ => self.error(format!("text or {}", closers[0].describe())),
        }
    }

    /// `vertexStatement`: node groups joined by links. Returns mermaid's node list for the
    /// statement (the last group first).
    fn vertex_statement(&mut self) -> PResult<Vec<String>> {
        let mut previous = self.node_group()?;
        let mut all = previous.clone();
        while let Some(link) = self.link()? {
            let next = self.node_group()?;
            self.add_links(&previous, &next, &link)?;
            let mut combined = next.clone();
            combined.extend(all);
            all = combined;
            previous = next;
        }
        while self.peek() == Tok::Space {
            self.bump();
        }
        Ok(all)
    }

    /// `node`: styled vertices joined by ` & `, each optionally followed by shape data.
    fn node_group(&mut self) -> PResult<Vec<String>> {
        let mut ids = vec![self.styled_vertex()?];
        loop {
            if self.peek() == Tok::ShapeData {
                let t = self.bump();
                let last = ids.last().cloned().unwrap_or_default();
                self.shape_data(&last, &t)?;
            }
            // spaceList AMP spaceList styledVertex
            let mut n = 0;
            while self.peek_at(n) == Tok::Space {
                n += 1;
            }
            if n > 0 && self.peek_at(n) == Tok::Amp {
                self.i += n + 1;
                if self.peek() != Tok::Space {
                    return self.error("a space after `&`");
                }
                while self.peek() == Tok::Space {
                    self.bump();
                }
                ids.push(self.styled_vertex()?);
                continue;
            }
            return Ok(ids);
        }
    }

    fn styled_vertex(&mut self) -> PResult<String> {
        let id = self.vertex()?;
        if self.peek() == Tok::StyleSep {
            self.bump();
            let (class, _) = self.id_string()?;
            self.db.set_class(&id, &class);
        }
        Ok(id)
    }

    fn vertex(&mut self) -> PResult<String> {
        let (id, id_range) = self.id_string()?;
        let range = self.orig_range(id_range.start, id_range.end);
        let (shape, closers): (&str, &[Tok]) = match (self.peek(), self.peek_at(1)) {
            (Tok::Sqs, _) => ("square", &[Tok::Sqe]),
            (Tok::DoubleCircleStart, _) => ("doublecircle", &[Tok::DoubleCircleEnd]),
            (Tok::Ps, Tok::Ps) => ("circle", &[Tok::Pe, Tok::Pe]),
            (Tok::EllipseStart, _) => ("ellipse", &[Tok::EllipseEnd]),
            (Tok::StadiumStart, _) => ("stadium", &[Tok::StadiumEnd]),
            (Tok::SubroutineStart, _) => ("subroutine", &[Tok::SubroutineEnd]),
            (Tok::CylinderStart, _) => ("cylinder", &[Tok::CylinderEnd]),
            (Tok::Ps, _) => ("round", &[Tok::Pe]),
            (Tok::DiamondStart, Tok::DiamondStart) => {
                ("hexagon", &[Tok::DiamondStop, Tok::DiamondStop])
            }
            (Tok::DiamondStart, _) => ("diamond", &[Tok::DiamondStop]),
            (Tok::TagEnd, _) => ("odd", &[Tok::Sqe]),
            (Tok::TrapStart, _) | (Tok::InvTrapStart, _) => ("trap", &[]),
            (Tok::PropsStart, _) => ("rect", &[Tok::Sqe]),
            _ => {
                self.db.touch_vertex(&id, range);
                return Ok(id);
            }
        };
        let open = self.bump();
        let double = closers.len() == 2;
        if double {
            self.bump();
        }
        if open.kind == Tok::PropsStart {
            // `[|field:value|text]`
            self.expect(Tok::NodeString)?;
            self.expect(Tok::Colon)?;
            self.expect(Tok::NodeString)?;
            self.expect(Tok::Pipe)?;
        }
        let shape = if shape == "trap" {
            let (text, _) = self.text(&[Tok::TrapEnd])?;
            let close = match self.peek() {
                Tok::TrapEnd | Tok::InvTrapEnd => self.bump().kind,
                _ => return self.error("`\\]` or `/]` to close the shape"),
            };
            let shape = match (open.kind, close) {
                (Tok::TrapStart, Tok::TrapEnd) => "trapezoid",
                (Tok::TrapStart, _) => "lean_right",
                (_, Tok::TrapEnd) => "lean_left",
                _ => "inv_trapezoid",
            };
            self.set_vertex_text(&id, range, text, shape);
            return Ok(id);
        } else {
            shape
        };
        let (text, _) = self.text(closers)?;
        for &close in closers {
            if self.peek() != close {
                return self.error(format!("{} to close the node text", close.describe()));
            }
            self.bump();
        }
        self.set_vertex_text(&id, range, text, shape);
        Ok(id)
    }

    fn set_vertex_text(
        &mut self,
        id: &str,
        range: Range<usize>,
        (text, kind): (String, LabelKind),
        shape: &str,
    ) {
        if let Some(ix) = self.db.touch_vertex(id, range) {
            let node = &mut self.db.nodes[ix];
            node.label = strip_quotes(text.trim()).to_string();
            node.label_kind = kind;
            node.shape = Some(shape.to_string());
        }
    }

    fn shape_data(&mut self, id: &str, token: &Token) -> PResult<()> {
        let data = token.value.clone().unwrap_or_default();
        let range = self.orig_range(token.start, token.end);
        let props = match shapes::parse_properties(&data) {
            Ok(props) => props,
            Err(why) => {
                self.check_error("MMD104", format!("invalid shape data: {why}"), range);
                return Ok(());
            }
        };
        if self.db.edges.iter().any(|e| e.id == id) {
            return Ok(());
        }
        let Some(ix) = self.db.touch_vertex(id, range.clone()) else {
            return Ok(());
        };
        for (key, value) in props {
            match key.as_str() {
                "shape" => {
                    if let Err(why) = shapes::check_shape(&value) {
                        self.check_error("MMD102", why, range.clone());
                    } else {
                        self.db.nodes[ix].shape = Some(value);
                    }
                }
                "label" if !value.is_empty() => {
                    self.db.nodes[ix].label = value;
                    self.db.nodes[ix].label_kind = LabelKind::Markdown;
                }
                // an icon or image replaces the default label (the id)
                "icon" | "img" if self.db.nodes[ix].label == id => {
                    self.db.nodes[ix].label.clear();
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// An optional link: `LINK_ID? LINK (|text| SPACE?)?` or `LINK_ID? START_LINK text LINK`.
    fn link(&mut self) -> PResult<Option<LinkInfo>> {
        // `node spaceList` before an edge id (a link token carries its own spaces)
        let mut n = 0;
        while self.peek_at(n) == Tok::Space {
            n += 1;
        }
        if n > 0 && self.peek_at(n) == Tok::LinkId {
            self.i += n;
        }
        let start_index = self.i;
        let id = if self.peek() == Tok::LinkId {
            let t = self.bump();
            Some(self.slice(&t).replace('@', ""))
        } else {
            None
        };
        match self.peek() {
            Tok::Link => {
                let t = self.bump();
                let (kind, stroke, length) = destruct_end(self.slice(&t).trim());
                let mut label = None;
                if self.peek() == Tok::Pipe {
                    self.bump();
                    label = Some(self.text(&[Tok::Pipe])?.0);
                    self.expect(Tok::Pipe)?;
                    if self.peek() == Tok::Space {
                        self.bump();
                    }
                }
                Ok(Some(LinkInfo {
                    kind,
                    stroke,
                    length,
                    label,
                    id,
                    range: self.orig_range(self.toks[start_index].start, t.end),
                }))
            }
            Tok::StartLink => {
                let start = self.bump();
                let label = match self.peek() {
                    Tok::Str => {
                        let t = self.bump();
                        (self.slice(&t).to_string(), LabelKind::String)
                    }
                    Tok::MdStr => {
                        let t = self.bump();
                        (self.slice(&t).to_string(), LabelKind::Markdown)
                    }
                    Tok::EdgeText => {
                        let mut s = String::new();
                        while self.peek() == Tok::EdgeText {
                            let t = self.bump();
                            s.push_str(self.slice(&t));
                        }
                        (s, LabelKind::Text)
                    }
                    _ => return self.error("link text"),
                };
                let end = self.expect(Tok::Link)?;
                let (kind, stroke, length) =
                    destruct_link(self.slice(&end).trim(), self.slice(&start).trim());
                Ok(Some(LinkInfo {
                    kind,
                    stroke,
                    length,
                    label: Some(label),
                    id,
                    range: self.orig_range(self.toks[start_index].start, end.end),
                }))
            }
            _ if id.is_some() => self.error("a link after the edge id"),
            _ => Ok(None),
        }
    }

    fn add_links(&mut self, from: &[String], to: &[String], link: &LinkInfo) -> PResult<()> {
        for (a, start) in from.iter().enumerate() {
            for (b, end) in to.iter().enumerate() {
                // only the last start and first end of `a & b --> c & d` get the user's id
                let user_id = if a == from.len() - 1 && b == 0 {
                    link.id.clone()
                } else {
                    None
                };
                if self.db.edges.len() >= MAX_EDGES {
                    self.check_error(
                        "MMD106",
                        format!("more than {MAX_EDGES} links: mermaid's edge limit is exceeded"),
                        link.range.clone(),
                    );
                    return Ok(());
                }
                let id = match user_id {
                    Some(id) if !self.db.edges.iter().any(|e| e.id == id) => id,
                    _ => {
                        let existing = self
                            .db
                            .edges
                            .iter()
                            .filter(|e| &e.from == start && &e.to == end)
                            .count();
                        let counter = if existing == 0 { 0 } else { existing + 1 };
                        format!("L_{start}_{end}_{counter}")
                    }
                };
                let (label, label_kind) = match &link.label {
                    Some((text, kind)) => (strip_quotes(text.trim()).to_string(), *kind),
                    None => (String::new(), LabelKind::Text),
                };
                self.db.edges.push(FlowEdge {
                    id,
                    from: start.clone(),
                    to: end.clone(),
                    kind: link.kind.clone(),
                    stroke: link.stroke.clone(),
                    length: link.length.min(10),
                    label,
                    label_kind,
                    classes: Vec::new(),
                    range: link.range.clone(),
                });
            }
        }
        Ok(())
    }

    /// Warnings of our own, once the whole diagram is read.
    fn final_checks(&mut self) {
        let defined: HashSet<&str> = self
            .db
            .class_defs
            .iter()
            .map(|c| c.id.as_str())
            .chain(["clickable", "default"])
            .collect();
        let mut warned = HashSet::new();
        let mut warnings = Vec::new();
        for n in &self.db.nodes {
            for c in &n.classes {
                if !defined.contains(c.as_str()) && warned.insert(c.clone()) {
                    warnings.push(
                        self.src
                            .diagnostic(
                                "MMD107",
                                Severity::Warning,
                                format!("class `{c}` is applied but never defined with `classDef`"),
                                n.range.clone(),
                            )
                            .with_help(format!("add `classDef {c} fill:...` or remove the class")),
                    );
                }
            }
        }
        self.diagnostics.extend(warnings);
    }
}

fn strip_quotes(s: &str) -> &str {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

fn normalise_direction(dir: &str) -> String {
    match dir.trim() {
        "<" => "RL",
        "^" => "BT",
        ">" => "LR",
        "v" | "TD" => "TB",
        other => other,
    }
    .to_string()
}

/// Mermaid's reading of a complete link: head type, stroke, and length.
fn destruct_end(link: &str) -> (String, String, usize) {
    let mut line = &link[..link.len().saturating_sub(1)];
    let mut kind = "arrow_open".to_string();
    let last = link.chars().last().unwrap_or('-');
    let head = match last {
        'x' => Some(("arrow_cross", 'x')),
        '>' => Some(("arrow_point", '<')),
        'o' => Some(("arrow_circle", 'o')),
        _ => None,
    };
    if let Some((name, start)) = head {
        kind = name.to_string();
        if link.starts_with(start) {
            kind = format!("double_{name}");
            line = &line[1..];
        }
    }
    let mut stroke = "normal";
    let mut length = line.chars().count().saturating_sub(1);
    if line.starts_with('=') {
        stroke = "thick";
    }
    if line.starts_with('~') {
        stroke = "invisible";
    }
    let dots = line.matches('.').count();
    if dots > 0 {
        stroke = "dotted";
        length = dots;
    }
    (kind, stroke.to_string(), length)
}

/// A labelled link: the start (`--`, `==`, `-.`, with an optional head) must agree with the
/// end, else mermaid records the type `INVALID`.
fn destruct_link(end: &str, start: &str) -> (String, String, usize) {
    let (end_kind, end_stroke, length) = destruct_end(end);
    let (start_kind, rest) = match start.chars().next() {
        Some('<') => ("arrow_point", &start[1..]),
        Some('x') => ("arrow_cross", &start[1..]),
        Some('o') => ("arrow_circle", &start[1..]),
        _ => ("arrow_open", start),
    };
    let start_stroke = if rest.contains('.') {
        "dotted"
    } else if rest.contains('=') {
        "thick"
    } else {
        "normal"
    };
    if start_stroke != end_stroke {
        return ("INVALID".into(), "INVALID".into(), length);
    }
    let kind = if start_kind == "arrow_open" {
        end_kind
    } else if start_kind != end_kind {
        return ("INVALID".into(), "INVALID".into(), length);
    } else {
        format!("double_{start_kind}")
    };
    (kind, end_stroke, length)
}

#[cfg(test)]
mod tests;
