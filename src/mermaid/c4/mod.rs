//! C4 diagrams (`C4Context`, `C4Container`, `C4Component`, `C4Dynamic`, `C4Deployment`).
//!
//! A C4 diagram is a list of macro calls (`Person(alias, "Label", ...)`, `Rel(a, b, "Uses")`),
//! boundaries that nest with braces, and a few title and accessibility lines. Statements are
//! separated by line breaks. The argument lists follow mermaid's lexer exactly, including its
//! surprises: an unquoted argument runs to the next comma, even across `)` and line ends. The
//! grammar is in `grammars/mermaid-c4.ebnf`.

mod grammar;
mod lexer;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::mermaid::jison_rules::{self as lex, TextError};
use crate::mermaid::{DiagramGraph, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::source::SourceText;
use grammar::*;
use lexer::*;
use nom::{Err as NomErr, Parser};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// One argument of a macro call. Positional arguments fill a macro's parameters in order;
/// named ones set the field they name. (Mermaid keeps a named argument written in the alias or
/// label position as that alias or label; the model stores it under its name, and the
/// `arguments` of each element keep what was written.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Argument {
    /// A quoted or bare value (trimmed), or `""` and empty positions.
    Positional(String),
    /// `$key="value"`.
    Named { key: String, value: String },
}

/// A person, system, container or component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Element {
    pub alias: String,
    pub label: String,
    /// Mermaid's shape name: `person`, `external_system_db`, `container_queue`, ...
    pub shape: String,
    pub techn: Option<String>,
    pub descr: Option<String>,
    pub sprite: Option<String>,
    pub tags: Option<String>,
    pub link: Option<String>,
    /// The arguments as written.
    pub arguments: Vec<Argument>,
    /// Other named arguments and `UpdateElementStyle` settings, in order.
    pub properties: Vec<(String, String)>,
    /// The alias of the innermost enclosing boundary; `None` at the top level.
    pub parent: Option<String>,
    #[serde(skip)]
    pub range: Range<usize>,
}

/// A boundary or deployment node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Boundary {
    pub alias: String,
    pub label: String,
    /// Mermaid's boundary type: `ENTERPRISE`, `SYSTEM`, `CONTAINER`, `system` (plain
    /// `Boundary` without a type), `node`, or the type text given.
    pub kind: String,
    /// `node`, `nodeL` or `nodeR` for deployment nodes.
    pub node_type: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<String>,
    pub link: Option<String>,
    /// The arguments as written (without the type mermaid inserts).
    pub arguments: Vec<Argument>,
    pub properties: Vec<(String, String)>,
    pub parent: Option<String>,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    /// `rel`, `birel`, `rel_u`, `rel_d`, `rel_l`, `rel_r` or `rel_b` (`RelIndex` is `rel`).
    pub kind: String,
    pub from: String,
    pub to: String,
    pub label: String,
    pub techn: Option<String>,
    pub descr: Option<String>,
    pub sprite: Option<String>,
    pub tags: Option<String>,
    pub link: Option<String>,
    /// The arguments as written.
    pub arguments: Vec<Argument>,
    /// Other named arguments and `UpdateRelStyle` settings, in order.
    pub properties: Vec<(String, String)>,
    #[serde(skip)]
    pub range: Range<usize>,
}

/// The kind of C4 diagram its keyword names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum C4Kind {
    #[serde(rename = "C4Context")]
    Context,
    #[serde(rename = "C4Container")]
    Container,
    #[serde(rename = "C4Component")]
    Component,
    #[serde(rename = "C4Dynamic")]
    Dynamic,
    #[serde(rename = "C4Deployment")]
    Deployment,
}

impl C4Kind {
    const KEYWORDS: [(&'static str, C4Kind); 5] = [
        ("C4Context", C4Kind::Context),
        ("C4Container", C4Kind::Container),
        ("C4Component", C4Kind::Component),
        ("C4Dynamic", C4Kind::Dynamic),
        ("C4Deployment", C4Kind::Deployment),
    ];

    /// The kind a diagram keyword names (the keywords family detection knows).
    pub fn from_keyword(keyword: &str) -> Option<C4Kind> {
        Self::KEYWORDS
            .iter()
            .find(|(word, _)| *word == keyword)
            .map(|(_, kind)| *kind)
    }

    /// The diagram keyword.
    pub fn keyword(self) -> &'static str {
        Self::KEYWORDS
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or("C4Context", |(word, _)| word)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct C4Diagram {
    pub kind: C4Kind,
    pub title: Option<String>,
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
    /// In order of first definition (a redefinition updates the element in place).
    pub elements: Vec<Element>,
    pub boundaries: Vec<Boundary>,
    pub relations: Vec<Relation>,
    pub shapes_in_row: u32,
    pub boundaries_in_row: u32,
}

impl C4Diagram {
    pub fn graph(&self) -> DiagramGraph {
        let mut view = DiagramGraph::default();
        let mut index = HashMap::new();
        for e in &self.elements {
            let node = view.graph.add_node(GraphNode {
                id: e.alias.clone(),
                label: e.label.clone(),
                kind: e.shape.clone(),
                group: e.parent.clone(),
            });
            index.insert(e.alias.as_str(), node);
        }
        // Relations may join boundaries too; those get a node of their own.
        for r in &self.relations {
            for end in [&r.from, &r.to] {
                if !index.contains_key(end.as_str()) {
                    let boundary = self.boundaries.iter().find(|b| &b.alias == end);
                    let node = view.graph.add_node(GraphNode {
                        id: end.clone(),
                        label: boundary.map_or_else(|| end.clone(), |b| b.label.clone()),
                        kind: if boundary.is_some() {
                            "boundary".into()
                        } else {
                            "undefined".into()
                        },
                        group: boundary.and_then(|b| b.parent.clone()),
                    });
                    index.insert(end.as_str(), node);
                }
            }
            view.graph.add_edge(
                index[r.from.as_str()],
                index[r.to.as_str()],
                GraphEdge {
                    kind: r.kind.clone(),
                    label: r.label.clone(),
                },
            );
        }
        view.groups = self
            .boundaries
            .iter()
            .map(|b| GraphGroup {
                id: b.alias.clone(),
                label: b.label.clone(),
                parent: b.parent.clone(),
            })
            .collect();
        view
    }
}

// ---------------------------------------------------------------------------------------------
// Statements

/// Syntax errors reported per diagram before giving up.
const MAX_ERRORS: usize = 20;

/// How deep boundaries may nest; mermaid has no limit, real diagrams use a handful of levels.
const MAX_NESTING: usize = 200;

struct Reader<'s> {
    src: &'s SourceText,
    positions: lex::Positions,
    diagram: C4Diagram,
    /// Aliases of the boundaries enclosing the current statement, innermost last.
    open: Vec<String>,
    warnings: Vec<Diagnostic>,
    /// Relation ends, checked once everything is defined.
    references: Vec<(String, Range<usize>)>,
    element_index: HashMap<String, usize>,
    boundary_index: HashMap<String, usize>,
    relation_index: HashMap<(String, String), usize>,
    /// Syntax errors recovered from, in order.
    errors: Vec<Diagnostic>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Item {
    Other,
    Diagram,
}

impl<'s> Reader<'s> {
    /// From the start of token `first` to where `rest`, a suffix of the text, starts.
    fn span_between(&self, first: &Lexed, rest: &str) -> Range<usize> {
        self.positions.of(first).start..self.positions.of_rest(rest)
    }

    /// `statements` (top level, `in_boundary == false`) or the body of a boundary, which must
    /// start with a diagram statement. Statements are separated by line breaks, except that a
    /// title or accessibility statement may be followed directly by a diagram statement.
    fn statements<'a>(&mut self, input: &'a str, in_boundary: bool) -> Res<'a, ()> {
        let mut rest = input;
        let mut previous: Option<Item> = None;
        let mut after_break = true;
        loop {
            let (next, after_next) = lex_top(rest);
            let ends = if in_boundary {
                next.tok == Tok::RBrace
            } else {
                next.tok == Tok::Eof
            };
            if previous.is_some() && ends {
                return Ok((rest, ()));
            }
            if next.tok == Tok::Newline && previous.is_some() && !after_break {
                after_break = true;
                rest = after_next;
                continue;
            }
            let starts_diagram = matches!(next.tok, Tok::Macro(_));
            let allowed = match previous {
                None => starts_diagram || (!in_boundary && is_other(next.tok)),
                Some(_) if after_break => starts_diagram || is_other(next.tok),
                Some(Item::Other) => starts_diagram,
                Some(Item::Diagram) => false,
            };
            if !allowed {
                let expected = match (previous, after_break, in_boundary) {
                    (None, _, true) => "an element, relation or boundary inside the boundary",
                    (None, _, false) | (Some(_), true, false) => {
                        "a statement (an element, relation, boundary, style macro, title or accessibility statement)"
                    }
                    (Some(_), true, true) => "a statement or `}`",
                    (Some(_), false, true) => "a line break or `}`",
                    (Some(_), false, false) => "a line break",
                };
                let error = TextError::at_token(&next, expected, next.tok == Tok::Eof);
                if next.tok == Tok::Eof {
                    // Nothing left to resume at: the enclosing statement reports it.
                    return Err(NomErr::Failure(error));
                }
                rest = self.recover(rest, error)?;
                previous = Some(Item::Diagram);
                after_break = true;
                continue;
            }
            let parsed = if starts_diagram {
                self.diagram_statement(rest)
                    .map(|(after, ())| (after, Item::Diagram))
            } else {
                self.other_statement(next, after_next)
                    .map(|(after, ())| (after, Item::Other))
            };
            match parsed {
                Ok((after, item)) => {
                    previous = Some(item);
                    after_break = false;
                    rest = after;
                }
                Err(NomErr::Error(error) | NomErr::Failure(error)) => {
                    rest = self.recover(rest, error)?;
                    previous = Some(Item::Diagram);
                    after_break = true;
                }
                Err(incomplete) => return Err(incomplete),
            }
        }
    }

    /// Records a syntax error in the statement starting at `statement` and returns where to go
    /// on: the line after the error. Gives up (returns the error) once [`MAX_ERRORS`] are
    /// recorded.
    fn recover<'a>(
        &mut self,
        statement: &'a str,
        error: TextError<'a>,
    ) -> Result<&'a str, NomErr<TextError<'a>>> {
        if self.errors.len() + 1 >= MAX_ERRORS {
            return Err(NomErr::Failure(error));
        }
        let diagnostic = error.diagnostic(self.src, self.positions.text_len, Code::C4Syntax);
        if self.errors.last().map(|d| d.span) != Some(diagnostic.span) {
            self.errors.push(diagnostic);
        }
        // Both are measured to the end of the text.
        let offset = statement
            .len()
            .saturating_sub(error.at.from_end)
            .min(statement.len());
        let from = &statement[offset..];
        let skip = from.find('\n').map_or(from.len(), |line_end| line_end + 1);
        Ok(&from[skip..])
    }

    fn other_statement<'a>(&mut self, lexed: Lexed<'a>, rest: &'a str) -> Res<'a, ()> {
        let line_value = |rest: &'a str| {
            let end = rest.find('\n').unwrap_or(rest.len());
            (&rest[end..], rest[..end].trim().to_string())
        };
        match lexed.tok {
            Tok::Title => {
                self.diagram.title = Some(after_keyword_blank(lexed.text, "title"));
                Ok((rest, ()))
            }
            Tok::AccDescription => {
                self.diagram.acc_descr = Some(after_keyword_blank(lexed.text, "accDescription"));
                Ok((rest, ()))
            }
            Tok::AccTitle => {
                let (after, value) = line_value(rest);
                self.diagram.acc_title = Some(value);
                Ok((after, ()))
            }
            Tok::AccDescr => {
                let (after, value) = line_value(rest);
                self.diagram.acc_descr = Some(value);
                Ok((after, ()))
            }
            _ => {
                let Some(end) = rest.find('}') else {
                    return fail(&rest[rest.len()..], 0, "`}` closing `accDescr {`");
                };
                self.diagram.acc_descr = Some(rest[..end].trim().to_string());
                Ok((&rest[end + 1..], ()))
            }
        }
    }

    fn diagram_statement<'a>(&mut self, input: &'a str) -> Res<'a, ()> {
        let (keyword, after_keyword) = lex_top(input);
        let Tok::Macro(kind) = keyword.tok else {
            let at_end = keyword.text.is_empty();
            return Err(NomErr::Failure(TextError::at_token(
                &keyword, "a macro", at_end,
            )));
        };
        let (rest, args) = arguments(after_keyword)?;
        let range = self.span_between(&keyword, rest);
        match kind {
            Macro::Element(shape) => self.add_element(shape, ELEMENT_PARAMS, &args, range),
            Macro::Container(shape) | Macro::Component(shape) => {
                self.add_element(shape, CONTAINER_PARAMS, &args, range)
            }
            Macro::Boundary(_) | Macro::Node(_) => return self.boundary(kind, args, rest, range),
            Macro::Rel(rel) => self.add_relation(rel, &args, range),
            Macro::RelIndex => self.add_relation("rel", args.get(1..).unwrap_or(&[]), range),
            Macro::UpdateElementStyle => {
                let bound = Bound::new(ELEMENT_STYLE_PARAMS, &args);
                let name = bound.get("elementName").unwrap_or_default();
                let settings = bound.others(&["elementName"]);
                if let Some(&i) = self.element_index.get(&name) {
                    self.diagram.elements[i].properties.extend(settings);
                } else if let Some(&i) = self.boundary_index.get(&name) {
                    self.diagram.boundaries[i].properties.extend(settings);
                } else {
                    // Mermaid looks the target up when it reads the call: later ones miss.
                    self.warnings.push(self.src.diagnostic(
                        Code::C4StyleUpdateNamesNothing,
                        format!("`{name}` is not an element or boundary defined above; mermaid ignores this style"),
                        range,
                    ));
                }
            }
            Macro::UpdateRelStyle => {
                let bound = Bound::new(REL_STYLE_PARAMS, &args);
                let from = bound.get("from").unwrap_or_default();
                let to = bound.get("to").unwrap_or_default();
                let settings = bound.others(&["from", "to"]);
                match self.relation_index.get(&(from.clone(), to.clone())) {
                    Some(&i) => self.diagram.relations[i].properties.extend(settings),
                    None => self.warnings.push(self.src.diagnostic(
                        Code::C4StyleUpdateNamesNothing,
                        format!(
                            "no relation from `{from}` to `{to}` to style; mermaid ignores this"
                        ),
                        range,
                    )),
                }
            }
            Macro::UpdateLayoutConfig => {
                // Named arguments count by position here, whatever their name.
                let value = |i: usize| match args.get(i) {
                    Some(Argument::Named { value, .. }) => parse_leading_int(value),
                    Some(Argument::Positional(v)) => parse_leading_int(v),
                    None => None,
                };
                if let Some(n) = value(0).filter(|&n| n >= 1) {
                    self.diagram.shapes_in_row = n as u32;
                }
                if let Some(n) = value(1).filter(|&n| n >= 1) {
                    self.diagram.boundaries_in_row = n as u32;
                }
            }
        }
        Ok((rest, ()))
    }

    fn add_element(
        &mut self,
        shape: &str,
        params: &[&str],
        args: &[Argument],
        range: Range<usize>,
    ) {
        let bound = Bound::new(params, args);
        let alias = bound.get("alias").unwrap_or_default();
        let element = Element {
            alias: alias.clone(),
            label: bound.get("label").unwrap_or_default(),
            shape: shape.to_string(),
            techn: bound.get("techn"),
            descr: bound.get("descr"),
            sprite: bound.get("sprite"),
            tags: bound.get("tags"),
            link: bound.get("link"),
            properties: bound
                .others(&["alias", "label", "techn", "descr", "sprite", "tags", "link"]),
            arguments: args.to_vec(),
            parent: self.open.last().cloned(),
            range,
        };
        match self.element_index.get(&alias) {
            Some(&i) => {
                let earlier = self.src.span(self.diagram.elements[i].range.clone());
                self.warnings.push(
                    self.src
                        .diagnostic(
                            Code::C4AliasRedefined,
                            format!(
                                "`{alias}` is defined again; mermaid keeps only this definition"
                            ),
                            element.range.clone(),
                        )
                        .with_related(self.src.path.clone(), earlier, "first defined here"),
                );
                self.diagram.elements[i] = element;
            }
            None => {
                self.element_index
                    .insert(alias, self.diagram.elements.len());
                self.diagram.elements.push(element);
            }
        }
    }

    fn add_relation(&mut self, kind: &str, args: &[Argument], range: Range<usize>) {
        let bound = Bound::new(REL_PARAMS, args);
        let (Some(from), Some(to), Some(label)) =
            (bound.get("from"), bound.get("to"), bound.get("label"))
        else {
            self.warnings.push(
                self.src
                    .diagnostic(
                        Code::C4EmptyRelationDropped,
                        "a relation needs a source, a target and a label; mermaid drops this one",
                        range,
                    )
                    .with_help("write Rel(from, to, \"label\")"),
            );
            return;
        };
        self.references.push((from.clone(), range.clone()));
        self.references.push((to.clone(), range.clone()));
        let relation = Relation {
            kind: kind.to_string(),
            from,
            to,
            label,
            techn: bound.get("techn"),
            descr: bound.get("descr"),
            sprite: bound.get("sprite"),
            tags: bound.get("tags"),
            link: bound.get("link"),
            properties: bound.others(REL_PARAMS),
            arguments: args.to_vec(),
            range,
        };
        let key = (relation.from.clone(), relation.to.clone());
        match self.relation_index.get(&key) {
            Some(&i) => {
                let old = &mut self.diagram.relations[i];
                let earlier = self.src.span(old.range.clone());
                self.warnings.push(
                    self.src
                        .diagnostic(
                            Code::C4RelationReplaced,
                            format!(
                                "a second relation from `{}` to `{}` replaces the first in mermaid",
                                relation.from, relation.to
                            ),
                            relation.range.clone(),
                        )
                        .with_related(self.src.path.clone(), earlier, "first relation here"),
                );
                // Mermaid updates the earlier relation in place but keeps its styles.
                let properties = std::mem::take(&mut old.properties);
                *old = relation;
                old.properties.splice(0..0, properties);
            }
            None => {
                self.relation_index
                    .insert(key, self.diagram.relations.len());
                self.diagram.relations.push(relation);
            }
        }
    }

    fn boundary<'a>(
        &mut self,
        kind: Macro,
        args: Vec<Argument>,
        rest: &'a str,
        range: Range<usize>,
    ) -> Res<'a, ()> {
        let written = args.clone();
        let mut args = args;
        let (params, default_kind, node_type) = match kind {
            Macro::Boundary(Some(inserted)) => {
                let at = args.len().min(2);
                args.insert(at, Argument::Positional(inserted.to_string()));
                (BOUNDARY_PARAMS, "system", None)
            }
            Macro::Node(node_type) => (NODE_PARAMS, "node", Some(node_type.to_string())),
            _ => (BOUNDARY_PARAMS, "system", None),
        };
        let bound = Bound::new(params, &args);
        let alias = bound.get("alias").unwrap_or_default();
        let boundary = Boundary {
            alias: alias.clone(),
            label: bound.get("label").unwrap_or_default(),
            kind: bound
                .get("type")
                .unwrap_or_else(|| default_kind.to_string()),
            node_type,
            descr: bound.get("descr"),
            tags: bound.get("tags"),
            link: bound.get("link"),
            properties: bound
                .others(&["alias", "label", "type", "descr", "sprite", "tags", "link"]),
            arguments: written,
            parent: self.open.last().cloned(),
            range,
        };
        match self.boundary_index.get(&alias) {
            Some(&i) => self.diagram.boundaries[i] = boundary,
            None => {
                self.boundary_index
                    .insert(alias.clone(), self.diagram.boundaries.len());
                self.diagram.boundaries.push(boundary);
            }
        }

        let (body, ()) = open_brace(rest)?;
        if self.open.len() >= MAX_NESTING {
            // Each level is a recursive call; a bound keeps hostile input from exhausting the stack.
            return Err(NomErr::Failure(TextError::in_text(
                body,
                0,
                "at most 200 nested boundaries (plansmith's limit)",
                false,
            )));
        }
        self.open.push(alias);
        let (rest, ()) = self.statements(body, true)?;
        self.open.pop();
        let (rest, _) = expect(top(Tok::RBrace), "`}` closing the boundary")(rest)?;
        Ok((rest, ()))
    }

    /// Our own checks, after the whole diagram is read.
    fn check_references(&mut self) {
        let known: HashSet<&str> = self
            .diagram
            .elements
            .iter()
            .map(|e| e.alias.as_str())
            .chain(self.diagram.boundaries.iter().map(|b| b.alias.as_str()))
            .collect();
        let mut seen = HashSet::new();
        for (alias, range) in &self.references {
            if known.contains(alias.as_str()) || !seen.insert((alias.clone(), range.start)) {
                continue;
            }
            self.warnings.push(
                self.src
                    .diagnostic(
                        Code::C4RelationToUndefinedAlias,
                        format!("relation end `{alias}` is not a defined element or boundary"),
                        range.clone(),
                    )
                    .with_help(
                        "mermaid refuses to render the diagram; define the element or fix the alias spelling",
                    ),
            );
        }
    }
}

/// The text of a `title`/`accDescription` line after the keyword and the one blank after it.
fn after_keyword_blank(line: &str, keyword: &str) -> String {
    line[keyword.len()..].chars().skip(1).collect()
}

fn is_other(tok: Tok) -> bool {
    matches!(
        tok,
        Tok::Title | Tok::AccDescription | Tok::AccTitle | Tok::AccDescr | Tok::AccDescrMultiline
    )
}

/// JavaScript's `parseInt` on a decimal string: optional sign and leading digits.
fn parse_leading_int(text: &str) -> Option<i64> {
    let t = text.trim_start();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(d) => (-1, d),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let len = lex::ascii_digits(digits);
    digits[..len].parse::<i64>().ok().map(|n| sign * n)
}

/// Parses a C4 diagram (see the module documentation).
pub fn parse(prepared: &Prepared) -> (Option<C4Diagram>, Vec<Diagnostic>) {
    let src = &prepared.source;
    let text = prepared.text.as_str();
    lex::reset_direction_memo();
    let keyword = &text[prepared.keyword.clone()];
    let mut parser = Reader {
        src,
        positions: lex::Positions {
            text_len: text.len(),
        },
        diagram: C4Diagram {
            // Family detection found one of the five keywords.
            kind: C4Kind::from_keyword(keyword).unwrap_or(C4Kind::Context),
            title: None,
            acc_title: None,
            acc_descr: None,
            elements: Vec::new(),
            boundaries: Vec::new(),
            relations: Vec::new(),
            shapes_in_row: 4,
            boundaries_in_row: 2,
        },
        open: Vec::new(),
        warnings: Vec::new(),
        references: Vec::new(),
        element_index: HashMap::new(),
        boundary_index: HashMap::new(),
        relation_index: HashMap::new(),
        errors: Vec::new(),
    };
    let from_keyword = &text[prepared.keyword.start..];
    let outcome = (|| -> Res<'_, ()> {
        let (rest, _) = (
            expect(
                top(Tok::DiagramKeyword),
                "C4Context, C4Container, C4Component, C4Dynamic or C4Deployment",
            ),
            expect(top(Tok::Newline), "a line break after the diagram type"),
        )
            .parse(from_keyword)?;
        let (rest, ()) = parser.statements(rest, false)?;
        let (rest, _) = expect(top(Tok::Eof), "the end of the diagram")(rest)?;
        Ok((rest, ()))
    })();
    match outcome {
        Ok(_) if parser.errors.is_empty() => {
            parser.check_references();
            (Some(parser.diagram), parser.warnings)
        }
        Ok(_) => (None, parser.errors),
        Err(NomErr::Error(e) | NomErr::Failure(e)) => {
            let mut errors = parser.errors;
            let last = e.diagnostic(src, text.len(), Code::C4Syntax);
            // An error at the end often surfaces once per enclosing boundary: keep the first.
            if errors.last().map(|d| d.span) != Some(last.span) {
                errors.push(last);
            }
            (None, errors)
        }
        Err(NomErr::Incomplete(_)) => unreachable!("complete input only"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::mermaid::test_support::{run_family, without_errors, FamilyResult};

    fn run(text: &str) -> FamilyResult<C4Diagram> {
        run_family(text, parse)
    }

    fn ok(text: &str) -> C4Diagram {
        without_errors(run(text))
    }

    fn error_at(text: &str) -> (u32, u32, String) {
        let (d, diags) = run(text);
        assert!(d.is_none(), "accepted: {text}");
        let e = &diags[0];
        assert_eq!(e.code, "MMD601");
        (e.span.line, e.span.column, e.message.clone())
    }

    #[test]
    fn nested_boundaries_and_parents() {
        let d = ok("C4Context\n  Enterprise_Boundary(b0, \"Bank\") {\n    Person(a, \"A\")\n    System_Boundary(b1, \"Core\")\n    {\n      SystemDb_Ext(db, \"DB\", \"stores\")\n    }\n  }\n  Rel(a, db, \"Uses\", \"SQL\")\n");
        assert_eq!(d.boundaries[0].kind, "ENTERPRISE");
        assert_eq!(d.boundaries[1].parent.as_deref(), Some("b0"));
        assert_eq!(d.elements[1].parent.as_deref(), Some("b1"));
        assert_eq!(d.elements[1].shape, "external_system_db");
        assert_eq!(d.relations[0].techn.as_deref(), Some("SQL"));
    }

    #[test]
    fn named_and_empty_arguments() {
        let d = ok("C4Container\nContainer(c, \"App\", , \"does things\", $tags=\"v1\", $link=\"https://x\")\nUpdateLayoutConfig($c4ShapeInRow=\"3\", $c4BoundaryInRow=\"1\")\n");
        let c = &d.elements[0];
        assert_eq!(c.techn.as_deref(), Some(""));
        assert_eq!(c.descr.as_deref(), Some("does things"));
        assert_eq!(c.tags.as_deref(), Some("v1"));
        assert_eq!((d.shapes_in_row, d.boundaries_in_row), (3, 1));
    }

    #[test]
    fn bare_argument_runs_to_the_next_comma() {
        // As in mermaid: the bare `A)` swallows the line break and the next macro's name.
        let d = ok("C4Context\nPerson(a, A)\nPerson(b, \"B\")\n");
        assert_eq!(d.elements.len(), 1);
        assert_eq!(d.elements[0].label, "A)\nPerson(b");
    }

    #[test]
    fn errors_say_where_and_what() {
        let (line, col, msg) = error_at("C4Context\nBoundary(b, \"B\") {\n  Person(a, \"A\")\n");
        assert_eq!((line, col), (4, 1));
        assert!(msg.contains("`}`"), "{msg}");
        let (line, col, msg) = error_at("C4Context\nPerson (a, \"A\")\n");
        assert_eq!((line, col), (2, 7));
        assert!(msg.contains("`(`"), "{msg}");
        let (line, col, _) = error_at("C4Context\nRel(a, b, \"x\") Rel(b, a, \"y\")\n");
        assert_eq!((line, col), (2, 16));
        // An argument list cut off at the end.
        let (line, _, msg) = error_at("C4Context\nPerson(a, \"A\")\nRel(a, b");
        assert_eq!(line, 3);
        assert!(msg.contains("`)`"), "{msg}");
        // Mermaid 12 has no UpdateBoundaryStyle.
        assert_eq!(
            error_at("C4Context\nUpdateBoundaryStyle(b, $bgColor=\"red\")\n").0,
            2
        );
    }

    #[test]
    fn errors_on_several_lines_are_all_reported() {
        let (d, diags) = run("C4Context\nPerson (a, \"A\")\nSystem(s, \"S\")\nBoundary(b, \"B\") {\n  Rel(a, s, \"x\") y\n  Foo(x)\n}\n}\n");
        assert!(d.is_none());
        let lines: Vec<_> = diags.iter().map(|d| d.span.line).collect();
        assert_eq!(lines, [2, 5, 6, 8]);
        // One place, one error: the unclosed list is not reported again as a missing `}`.
        let (_, diags) = run("C4Context\nBoundary(b, \"B\") {\n  Rel(a, b\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
    }

    #[test]
    fn undefined_ends_and_dropped_relations() {
        let (d, diags) = run("C4Context\nPerson(a, \"A\")\nRel(a, ghost, \"Uses\")\nRel(a, \"a\")\nUpdateElementStyle(nobody, $bgColor=\"red\")\n");
        assert!(d.is_some());
        let codes: Vec<_> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD603", "MMD604", "MMD602"]);
        assert_eq!(diags[2].severity, Severity::Error);
    }

    #[test]
    fn titles_and_accessibility() {
        let d = ok("C4Dynamic\ntitle Request flow\naccTitle: Flow\naccDescr {\n  many\n  lines\n}\nPerson(a, \"A\")\nSystem(b, \"B\")\nRelIndex(1, a, b, \"calls\")\n");
        assert_eq!(d.title.as_deref(), Some("Request flow"));
        assert_eq!(d.acc_title.as_deref(), Some("Flow"));
        assert_eq!(d.acc_descr.as_deref(), Some("many\n  lines"));
        assert_eq!(
            (d.relations[0].from.as_str(), d.relations[0].kind.as_str()),
            ("a", "rel")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let open = "Boundary(b, \"B\") {\n".repeat(5_000);
        let text = format!("C4Context\n{open}Person(a, \"A\")\n{}", "}\n".repeat(5_000));
        let (_, _, message) = error_at(&text);
        assert!(message.contains("nested"), "{message}");
        let open = "Boundary(b, \"B\") {\n".repeat(199);
        ok(&format!(
            "C4Context\n{open}Person(a, \"A\")\n{}",
            "}\n".repeat(199)
        ));
    }

    #[test]
    fn long_lines_stay_linear() {
        let braces = format!("C4Context\n{}\n", "} ".repeat(50_000));
        assert_eq!(error_at(&braces).0, 2);
        let args = format!("C4Context\nPerson(a{})\n", ", \"x\"".repeat(50_000));
        assert_eq!(ok(&args).elements[0].arguments.len(), 50_001);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "C4Context", "C4Deployment", "\n", " ", "\r\n", "Person", "Rel", "System_Boundary",
            "Node_L", "UpdateRelStyle", "(", ")", ",", ",,", "\"", "\"\"", "$", "=", "$tags=\"x\"",
            "a", "{", "}", "title x", "accDescr {", "accTitle: t", "%%", "direction TB", "é", "😀",
        ]), 0..40)) {
            let text = pieces.concat();
            let _ = run(&text);
            let _ = run(&format!("C4Context\n{text}"));
        }
    }

    #[test]
    fn snapshot() {
        let d = ok("C4Deployment\ntitle Deployment\nDeployment_Node(dc, \"Data center\", \"Ubuntu\") {\n  Node_L(web, \"Web\", \"nginx\") {\n    Container(api, \"API\", \"Rust\", \"Serves plans\")\n  }\n  ContainerDb(db, \"DB\", \"Postgres\")\n}\nRel_R(api, db, \"Reads\", \"SQL\")\nUpdateRelStyle(api, db, $offsetY=\"-10\")\n");
        insta::assert_json_snapshot!(d);
    }
}
