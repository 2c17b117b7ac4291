//! Flowcharts (`graph`, `flowchart`, `flowchart-elk`).
//!
//! The grammar is `grammars/mermaid-flowchart.ebnf`. [`lexer`] reproduces mermaid's modal,
//! first-match lexer; [`grammar`] parses its tokens with nom combinators into a syntax tree;
//! this module replays the tree the way mermaid's flowchart database does (vertex order,
//! subgraph membership, generated edge ids) and makes mermaid's checks.

mod grammar;
mod lexer;
mod shapes;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::mermaid::token_input::TokenError;
use crate::mermaid::{DiagramGraph, Direction, GraphEdge, GraphGroup, GraphNode, Prepared};
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
    pub direction: Direction,
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
    pub direction: Option<Direction>,
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
        // A node that names a subgraph (a link to it) stays a node, of kind `subgraph`.
        for n in &self.nodes {
            let kind = if group_ids.contains(n.id.as_str()) {
                "subgraph".to_string()
            } else {
                n.shape.clone().unwrap_or_else(|| "square".into())
            };
            let ix = g.graph.add_node(GraphNode {
                id: n.id.clone(),
                label: n.label.clone(),
                kind,
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
pub fn parse(prepared: &Prepared) -> (Option<Flowchart>, Vec<Diagnostic>) {
    let src = &prepared.source;
    let lexing = LexText::new(&prepared.text);
    let keyword = prepared.text[prepared.keyword.clone()].to_string();
    let keyword_end = prepared.keyword.end;
    if lexing.text[keyword_end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        let at = lexing.original(keyword_end);
        let diagnostic = src
            .diagnostic(
                Code::FlowchartSyntax,
                format!("unrecognised text after the diagram keyword `{keyword}`"),
                prepared.keyword.start..at + 1,
            )
            .with_help("write the keyword, then a space and a direction (TB, TD, BT, RL, LR)");
        return (None, vec![diagnostic]);
    }
    let toks = lexer::tokenize(&lexing.text, keyword_end);
    let grammar = grammar::Grammar {
        text: &lexing.text,
        errors: Default::default(),
        depth: Default::default(),
    };
    let parsed = grammar
        .header(grammar::In::new(&toks))
        .and_then(|(rest, direction)| {
            grammar
                .document(rest, false)
                .map(|(_, statements)| (direction, statements))
        });
    let mut errors = grammar.errors.into_inner();
    let parsed = match parsed {
        Ok(parsed) => Some(parsed),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            errors.push(e);
            None
        }
        Err(nom::Err::Incomplete(_)) => None,
    };
    let mut b = Builder {
        src,
        lex: &lexing,
        db: Db {
            keyword,
            ..Db::default()
        },
        diagnostics: errors
            .iter()
            .map(|e| syntax_error(src, &lexing, &toks, e))
            .collect(),
        mentioned: HashSet::new(),
        styled: Vec::new(),
    };
    if let (Some((direction, statements)), true) = (parsed, errors.is_empty()) {
        b.db.direction = normalise_direction(&direction);
        b.statements(&statements);
        b.final_checks();
    }
    let has_error = b.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let model = (!has_error).then(|| b.db.into_model());
    (model, b.diagnostics)
}

/// The diagnostic for a grammar error: what was expected, at the token where it failed.
fn syntax_error(src: &SourceText, lex: &LexText, toks: &[Token], e: &TokenError) -> Diagnostic {
    let Some(t) = toks.get(e.at).or(toks.last()) else {
        return src.diagnostic(Code::FlowchartSyntax, "empty flowchart", 0..0);
    };
    let range = if t.kind == Tok::Eof {
        // the end of the written text, not the line break mermaid appends
        let end = lex.original(lex.text.trim_end().len());
        end..end
    } else {
        lex.original(t.start)..lex.original(t.end.max(t.start))
    };
    let message = if t.kind == Tok::Unrecognized {
        format!(
            "unexpected `{}`; expected {}",
            &lex.text[t.start..t.end],
            e.expected()
        )
    } else {
        e.message(t.kind.describe())
    };
    let diagnostic = src.diagnostic(Code::FlowchartSyntax, message, range.clone());
    // `A -> B` is the most common slip: a flowchart link has at least two dashes.
    let written = src.text.get(range.start..).unwrap_or("");
    let before = src.text.get(..range.start).unwrap_or("");
    let single_dash_arrow = written.starts_with("->") && !before.ends_with(['-', '<']);
    if single_dash_arrow {
        diagnostic.with_help("did you mean `-->`? a flowchart link needs at least two dashes")
    } else {
        diagnostic
    }
}

/// The text the lexer reads: the `;` of `style` lines dropped and a final line break added, as
/// mermaid's clean-up does (`prepare` made the line breaks `\n` and single-quoted HTML
/// attributes). Same offsets as the block's text, up to the added line break.
struct LexText {
    text: String,
    /// The length of the block's text.
    block_len: usize,
}

impl LexText {
    fn new(block: &str) -> LexText {
        let text = lexer::style_semicolons(&format!("{block}\n"));
        LexText {
            text,
            block_len: block.len(),
        }
    }

    /// The block offset of an offset into `text` (the added line break is the block's end).
    fn original(&self, local: usize) -> usize {
        local.min(self.block_len)
    }
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
    direction: Direction,
    nodes: Vec<FlowNode>,
    node_index: HashMap<String, usize>,
    edges: Vec<FlowEdge>,
    subgraphs: Vec<Subgraph>,
    /// Every id some subgraph already holds (mermaid gives a node to one subgraph only).
    in_subgraph: HashSet<String>,
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

/// A link as the builder reads it from the syntax tree.
struct LinkInfo {
    kind: String,
    stroke: String,
    length: usize,
    label: Option<(String, LabelKind)>,
    id: Option<String>,
    range: Range<usize>,
}

/// Replays the syntax tree through mermaid's flowchart database rules: node order, labels and
/// shapes, generated edge ids, subgraph membership, and the checks mermaid makes as it goes.
struct Builder<'a> {
    src: &'a SourceText,
    lex: &'a LexText,
    db: Db,
    diagnostics: Vec<Diagnostic>,
    /// Ids written as nodes of a node or link statement.
    mentioned: HashSet<String>,
    /// Targets of `style` statements, for the check that they name a node.
    styled: Vec<(String, Range<usize>)>,
}

impl Builder<'_> {
    fn orig_range(&self, start: usize, end: usize) -> Range<usize> {
        self.lex.original(start)..self.lex.original(end.max(start))
    }

    fn check_error(&mut self, code: Code, message: String, range: Range<usize>) {
        self.diagnostics
            .push(self.src.diagnostic(code, message, range));
    }

    fn statements(&mut self, statements: &[grammar::Stmt]) -> Vec<Item> {
        statements
            .iter()
            .filter_map(|statement| self.statement(statement))
            .collect()
    }

    fn statement(&mut self, statement: &grammar::Stmt) -> Option<Item> {
        use grammar::Stmt;
        match statement {
            Stmt::Vertices { groups, links } => {
                let mut previous: Vec<String> = Vec::new();
                let mut all: Vec<String> = Vec::new();
                for (k, group) in groups.iter().enumerate() {
                    let ids: Vec<String> = group.iter().map(|v| self.vertex(v)).collect();
                    if k > 0 {
                        let link = self.link_info(&links[k - 1]);
                        self.add_links(&previous, &ids, &link);
                    }
                    // mermaid lists the statement's nodes last group first
                    let mut combined = ids.clone();
                    combined.extend(all);
                    all = combined;
                    previous = ids;
                }
                Some(Item::Nodes(all))
            }
            Stmt::Style { id, styles } => {
                let range = self.orig_range(id.range.start, id.range.end);
                self.styled.push((id.text.clone(), range.clone()));
                if let Some(ix) = self.db.touch_vertex(&id.text, range) {
                    self.db.nodes[ix].styles.extend(styles.iter().cloned());
                }
                None
            }
            Stmt::LinkStyle { positions, styles } => {
                match positions {
                    None => self.db.link_styles.push((None, styles.clone())),
                    Some(list) => {
                        for position in list {
                            let n = position.text.parse::<usize>().unwrap_or(usize::MAX);
                            self.db.link_styles.push((Some(n), styles.clone()));
                        }
                    }
                }
                for position in positions.iter().flatten() {
                    let n = position.text.parse::<usize>().unwrap_or(usize::MAX);
                    let edges = self.db.edges.len();
                    if n >= edges {
                        let range = self.orig_range(position.range.start, position.range.end);
                        self.check_error(
                            Code::LinkStyleOutOfRange,
                            format!(
                                "linkStyle index {n} is out of bounds: the diagram has {edges} link{} before this statement",
                                if edges == 1 { "" } else { "s" }
                            ),
                            range,
                        );
                    }
                }
                None
            }
            Stmt::ClassDef { ids, styles } => {
                self.add_class_def(ids, styles);
                None
            }
            Stmt::Class { ids, class } => {
                self.db.set_class(ids, class);
                None
            }
            Stmt::Click { ids, action } => {
                match action {
                    grammar::Click::Callback => self.db.set_class(ids, "clickable"),
                    grammar::Click::Link(url, range) => {
                        let range = self.orig_range(range.start, range.end);
                        self.set_link(ids, url.clone(), range)
                    }
                }
                None
            }
            Stmt::Subgraph {
                keyword,
                id_text,
                title,
                body,
            } => {
                let items = self.statements(body);
                let id = self.add_subgraph(id_text.clone(), title.clone(), items);
                if self.db.subgraphs.iter().filter(|s| s.id == id).count() > 1 {
                    let range = self.orig_range(keyword.start, keyword.end);
                    self.diagnostics.push(
                        self.src
                            .diagnostic(
                                Code::SubgraphIdShared,
                                format!("subgraph id `{id}` is used twice; mermaid draws one group holding both"),
                                range,
                            )
                            .with_help("give each subgraph its own id"),
                    );
                }
                Some(Item::Subgraph(id))
            }
            Stmt::Direction(dir) => Some(Item::Direction(dir.clone())),
            Stmt::AccTitle(text) => {
                self.db.acc_title = Some(text.clone());
                Some(Item::Other(text.clone()))
            }
            Stmt::AccDescr(text) => {
                self.db.acc_descr = Some(text.clone());
                Some(Item::Other(text.clone()))
            }
            Stmt::Semi => Some(Item::Other(";".into())),
        }
    }

    /// Adds or updates one vertex: shape and text, `:::` class, shape data.
    fn vertex(&mut self, v: &grammar::Vertex) -> String {
        let id = v.id.text.clone();
        self.mentioned.insert(id.clone());
        let range = self.orig_range(v.id.range.start, v.id.range.end);
        match &v.shape {
            Some((shape, text, kind)) => {
                self.set_vertex_text(&id, range, (text.clone(), *kind), shape)
            }
            None => {
                self.db.touch_vertex(&id, range);
            }
        }
        if let Some(class) = &v.class {
            self.db.set_class(&id, class);
        }
        if let Some(data) = &v.shape_data {
            self.shape_data(&id, data);
        }
        id
    }

    fn link_info(&self, link: &grammar::Link) -> LinkInfo {
        let (kind, stroke, length) = match &link.start {
            Some(start) => destruct_link(&link.end, start),
            None => destruct_end(&link.end),
        };
        LinkInfo {
            kind,
            stroke,
            length,
            label: link.label.clone(),
            id: link.id.clone(),
            range: self.orig_range(link.range.start, link.range.end),
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

    fn set_link(&mut self, ids: &str, url: String, range: Range<usize>) {
        for id in ids.split(',') {
            if let Some(&ix) = self.db.node_index.get(id) {
                self.db.nodes[ix].link = Some(url.clone());
                self.db.nodes[ix].link_range = Some(range.clone());
            }
        }
        self.db.set_class(ids, "clickable");
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
                    // The lexer's direction words are the five mermaid names.
                    direction = Direction::from_word(&dir).or(direction);
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
        members.retain(|m| !self.db.in_subgraph.contains(m));
        self.db.in_subgraph.extend(members.iter().cloned());
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

    fn set_vertex_text(
        &mut self,
        id: &str,
        range: Range<usize>,
        (text, kind): (String, LabelKind),
        shape: &str,
    ) {
        if let Some(ix) = self.db.touch_vertex(id, range) {
            let node = &mut self.db.nodes[ix];
            node.label = normalise_breaks(strip_quotes(text.trim()));
            node.label_kind = kind;
            node.shape = Some(shape.to_string());
        }
    }

    fn shape_data(&mut self, id: &str, data: &grammar::Spanned) {
        let range = self.orig_range(data.range.start, data.range.end);
        let props = match shapes::parse_properties(&data.text) {
            Ok(props) => props,
            Err(why) => {
                self.check_error(
                    Code::UnreadableShapeData,
                    format!("invalid shape data: {why}"),
                    range,
                );
                return;
            }
        };
        if self.db.edges.iter().any(|e| e.id == id) {
            return;
        }
        let Some(ix) = self.db.touch_vertex(id, range.clone()) else {
            return;
        };
        for (key, value) in props {
            match key.as_str() {
                "shape" => {
                    if let Err(why) = shapes::check_shape(&value) {
                        self.check_error(Code::UnknownFlowchartShape, why, range.clone());
                    } else {
                        self.db.nodes[ix].shape = Some(value);
                    }
                }
                "label" if !value.is_empty() => {
                    // mermaid takes shape-data labels as they are
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
    }

    fn add_links(&mut self, from: &[String], to: &[String], link: &LinkInfo) {
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
                        Code::TooManyLinks,
                        format!("more than {MAX_EDGES} links: mermaid's edge limit is exceeded"),
                        link.range.clone(),
                    );
                    return;
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
                    Some((text, kind)) => (normalise_breaks(strip_quotes(text.trim())), *kind),
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
                                Code::FlowchartClassUndefined,
                                format!("class `{c}` is applied but never defined with `classDef`"),
                                n.range.clone(),
                            )
                            .with_help(format!("add `classDef {c} fill:...` or remove the class")),
                    );
                }
            }
        }
        let subgraph_ids: HashSet<&str> = self.db.subgraphs.iter().map(|s| s.id.as_str()).collect();
        let edge_ids: HashSet<&str> = self.db.edges.iter().map(|e| e.id.as_str()).collect();
        for (id, range) in &self.styled {
            let known = self.mentioned.contains(id)
                || subgraph_ids.contains(id.as_str())
                || edge_ids.contains(id.as_str());
            if !known && warned.insert(format!("style {id}")) {
                warnings.push(
                    self.src
                        .diagnostic(
                            Code::FlowchartStyleOnUnusedId,
                            format!("`style` names `{id}`, which no other statement uses; mermaid draws it as a lone node"),
                            range.clone(),
                        )
                        .with_help("check the id for a typo"),
                );
            }
        }
        self.diagnostics.extend(warnings);
    }
}

/// Labels as mermaid's sanitising leaves them: line breaks written `<br>` however they were
/// spelled, and a `<` that starts no tag escaped as `&lt;`.
pub(crate) fn normalise_breaks(label: &str) -> String {
    if !label.contains('<') {
        return label.to_string();
    }
    let mut out = String::with_capacity(label.len());
    let mut rest = label;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let close = tag.find('>');
        let is_break = close.is_some_and(|c| {
            let inner = tag[1..c].trim_end_matches('/').trim();
            inner.eq_ignore_ascii_case("br")
        });
        match close {
            Some(c) if is_break => {
                out.push_str("<br>");
                rest = &tag[c + 1..];
            }
            _ if !tag[1..]
                .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') =>
            {
                out.push_str("&lt;");
                rest = &tag[1..];
            }
            _ => {
                out.push('<');
                rest = &tag[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn strip_quotes(s: &str) -> &str {
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// The header's direction: mermaid reads the arrows `<`, `^`, `>`, `v` and `TD` as the four
/// directions.
fn normalise_direction(dir: &str) -> Direction {
    match dir.trim() {
        "<" => Direction::RightToLeft,
        "^" => Direction::BottomToTop,
        ">" => Direction::LeftToRight,
        other => match Direction::from_word(other) {
            Some(Direction::TopDown) | None => Direction::TopToBottom,
            Some(direction) => direction,
        },
    }
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
