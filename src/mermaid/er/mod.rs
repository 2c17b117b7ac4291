//! Entity-relationship diagrams (`erDiagram`).
//!
//! Mermaid's ER lexer decides tokens by the first rule that matches at the current position,
//! in a fixed order and depending on a mode (top level, attribute block, style list). That
//! order is what makes `123abc` two entity names and `one` a cardinality rather than a name,
//! so the token functions of [`lexer`] follow it exactly; [`grammar`] on top is nom combinators whose
//! terminals are those tokens. The grammar is in `grammars/mermaid-er.ebnf`.
//!
//! After a syntax error the parser goes on at the next line (or past the open attribute
//! block), so that one run reports every broken statement.

mod grammar;
mod lexer;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::mermaid::jison_rules::{self as lex, TextError};
use crate::mermaid::{DiagramGraph, Direction, GraphEdge, GraphNode, Prepared};
use crate::source::SourceText;
use grammar::*;
use lexer::*;
use nom::Err as NomErr;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// How many instances one side of a relationship allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Cardinality {
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
    OnlyOne,
    /// `u`: the parent of a master-detail relationship.
    MdParent,
}

impl Cardinality {
    pub fn as_str(self) -> &'static str {
        match self {
            Cardinality::ZeroOrOne => "ZERO_OR_ONE",
            Cardinality::ZeroOrMore => "ZERO_OR_MORE",
            Cardinality::OneOrMore => "ONE_OR_MORE",
            Cardinality::OnlyOne => "ONLY_ONE",
            Cardinality::MdParent => "MD_PARENT",
        }
    }
}

/// Whether the child's identity depends on the parent (`--`) or not (`..`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Identification {
    Identifying,
    NonIdentifying,
}

impl Identification {
    pub fn as_str(self) -> &'static str {
        match self {
            Identification::Identifying => "IDENTIFYING",
            Identification::NonIdentifying => "NON_IDENTIFYING",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    #[serde(rename = "type")]
    pub ty: String,
    pub name: String,
    /// `PK`, `FK`, `UK` as written (mermaid keeps their case).
    pub keys: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub name: String,
    /// The display name given with `NAME["alias"]`.
    pub alias: Option<String>,
    pub attributes: Vec<Attribute>,
    /// Classes given with `:::` or `class`.
    pub classes: Vec<String>,
    /// Inline styles given with `style`.
    pub styles: Vec<String>,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relationship {
    /// Index into [`ErDiagram::entities`] of the entity written first.
    pub from: usize,
    pub to: usize,
    pub label: String,
    /// Cardinality at the `from` end (written next to it).
    pub from_cardinality: Cardinality,
    /// Cardinality at the `to` end.
    pub to_cardinality: Cardinality,
    pub identification: Identification,
    #[serde(skip)]
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDef {
    pub name: String,
    pub styles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErDiagram {
    /// `TB` unless a `direction` statement says otherwise.
    pub direction: Direction,
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
    /// Entities in order of first mention.
    pub entities: Vec<Entity>,
    pub relationships: Vec<Relationship>,
    pub class_defs: Vec<ClassDef>,
}

impl ErDiagram {
    /// The id mermaid gives an entity's node: `entity-NAME-INDEX`.
    pub fn entity_id(&self, index: usize) -> String {
        format!("entity-{}-{index}", self.entities[index].name)
    }

    pub fn graph(&self) -> DiagramGraph {
        let mut view = DiagramGraph::default();
        let nodes: Vec<_> = self
            .entities
            .iter()
            .map(|e| {
                view.graph.add_node(GraphNode {
                    id: e.name.clone(),
                    label: e.alias.clone().unwrap_or_else(|| e.name.clone()),
                    kind: "entity".into(),
                    group: None,
                })
            })
            .collect();
        for r in &self.relationships {
            view.graph.add_edge(
                nodes[r.from],
                nodes[r.to],
                GraphEdge {
                    kind: format!(
                        "{}-{}-{}",
                        r.from_cardinality.as_str(),
                        r.identification.as_str(),
                        r.to_cardinality.as_str()
                    ),
                    label: r.label.clone(),
                },
            );
        }
        view
    }
}

// ---------------------------------------------------------------------------------------------
// Building the model

struct Builder<'s> {
    positions: lex::Positions,
    diagram: ErDiagram,
    index: HashMap<String, usize>,
    class_uses: Vec<(String, Range<usize>)>,
    style_targets: Vec<(String, Range<usize>)>,
    /// `title` lines, which mermaid's ER grammar reads as entity names.
    title_lines: Vec<Range<usize>>,
    src: &'s SourceText,
}

impl Builder<'_> {
    fn range(&self, lexed: &Lexed) -> Range<usize> {
        self.positions.of(lexed)
    }

    fn entity_name(lexed: &Lexed) -> String {
        if lexed.tok == Tok::EntityName {
            unquote(lexed.text)
        } else {
            lexed.text.to_string()
        }
    }

    fn add_entity(&mut self, lexed: &Lexed, alias: Option<String>) -> usize {
        let name = Self::entity_name(lexed);
        if let Some(&i) = self.index.get(&name) {
            let entity = &mut self.diagram.entities[i];
            if entity.alias.is_none() {
                entity.alias = alias;
            }
            return i;
        }
        let range = self.range(lexed);
        self.diagram.entities.push(Entity {
            name: name.clone(),
            alias,
            attributes: Vec::new(),
            classes: Vec::new(),
            styles: Vec::new(),
            range,
        });
        self.index.insert(name, self.diagram.entities.len() - 1);
        self.diagram.entities.len() - 1
    }

    fn set_classes(&mut self, entity: usize, classes: &[Lexed]) {
        for class in classes {
            let range = self.range(class);
            self.class_uses.push((class.text.to_string(), range));
            self.diagram.entities[entity]
                .classes
                .push(class.text.to_string());
        }
    }

    fn apply(&mut self, statement: Statement, start: &str) {
        match statement {
            Statement::Entity {
                name,
                alias,
                classes,
                block,
            } => {
                if name.tok == Tok::UnicodeText && name.text.eq_ignore_ascii_case("title") {
                    let range = self.range(&name);
                    self.title_lines.push(range);
                }
                let alias = alias.map(|a| Self::entity_name(&a));
                let i = self.add_entity(&name, alias);
                if let Some(attributes) = block {
                    self.diagram.entities[i].attributes.extend(attributes);
                }
                self.set_classes(i, &classes);
            }
            Statement::Relationship {
                from,
                from_classes,
                spec,
                to,
                to_classes,
                label,
                end,
            } => {
                let a = self.add_entity(&from, None);
                let b = self.add_entity(&to, None);
                let begin = self.positions.of_rest(start);
                let finish = self.positions.of_rest(end);
                self.diagram.relationships.push(Relationship {
                    from: a,
                    to: b,
                    label,
                    from_cardinality: spec.0,
                    identification: spec.1,
                    to_cardinality: spec.2,
                    range: begin..finish,
                });
                self.set_classes(a, &from_classes);
                self.set_classes(b, &to_classes);
            }
            Statement::AccTitle(t) => self.diagram.acc_title = Some(t),
            Statement::AccDescr(d) => self.diagram.acc_descr = Some(d),
            Statement::Direction(d) => {
                self.diagram.direction = Direction::from_word(d).unwrap_or_default()
            }
            Statement::ClassDef(ids, styles) => {
                for id in ids {
                    match self
                        .diagram
                        .class_defs
                        .iter_mut()
                        .find(|c| c.name == id.text)
                    {
                        Some(class) => class.styles.extend(styles.iter().cloned()),
                        None => self.diagram.class_defs.push(ClassDef {
                            name: id.text.to_string(),
                            styles: styles.clone(),
                        }),
                    }
                }
            }
            Statement::Class(ids, classes) => {
                for id in ids {
                    match self.index.get(id.text).copied() {
                        Some(i) => self.set_classes(i, &classes),
                        None => {
                            let range = self.range(&id);
                            self.style_targets.push((id.text.to_string(), range));
                        }
                    }
                }
            }
            Statement::Style(ids, styles) => {
                for id in ids {
                    match self.index.get(id.text).copied() {
                        Some(i) => self.diagram.entities[i].styles.extend(styles.clone()),
                        None => {
                            let range = self.range(&id);
                            self.style_targets.push((id.text.to_string(), range));
                        }
                    }
                }
            }
            Statement::Blank => {}
        }
    }

    /// Our own checks: mermaid ignores these silently.
    fn warnings(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for range in &self.title_lines {
            out.push(
                self.src
                    .diagnostic(
                        Code::ErTitleReadAsEntities,
                        "`title` is not an ER statement: mermaid reads it and the words after it as entities",
                        range.clone(),
                    )
                    .with_help("give the title in front matter: ---\ntitle: ...\n---"),
            );
        }
        for (name, range) in &self.style_targets {
            out.push(
                self.src
                    .diagnostic(
                        Code::ErStyleOnMissingEntity,
                        format!("`{name}` is not an entity defined above; mermaid ignores this style or class"),
                        range.clone(),
                    )
                    .with_help("style and class statements apply only to entities already named"),
            );
        }
        let defined: HashSet<&str> = self
            .diagram
            .class_defs
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let mut reported = HashSet::new();
        for (class, range) in &self.class_uses {
            if !defined.contains(class.as_str()) && reported.insert(class.as_str()) {
                out.push(self.src.diagnostic(
                    Code::ErClassUndefined,
                    format!("class `{class}` has no `classDef`"),
                    range.clone(),
                ));
            }
        }
        out
    }
}

/// Parses an `erDiagram` (see the module documentation).
pub fn parse(prepared: &Prepared) -> (Option<ErDiagram>, Vec<Diagnostic>) {
    let src = &prepared.source;
    let text = prepared.text.as_str();
    lex::reset_direction_memo();
    let keyword = &text[prepared.keyword.clone()];
    let after_keyword = &text[prepared.keyword.end..];
    let positions = lex::Positions {
        text_len: text.len(),
    };
    let mut builder = Builder {
        positions,
        diagram: ErDiagram {
            direction: Direction::TopToBottom,
            acc_title: None,
            acc_descr: None,
            entities: Vec::new(),
            relationships: Vec::new(),
            class_defs: Vec::new(),
        },
        index: HashMap::new(),
        class_uses: Vec::new(),
        style_targets: Vec::new(),
        title_lines: Vec::new(),
        src,
    };
    if !lex::word_boundary_at(&text[prepared.keyword.start..], keyword.len()) {
        let d = src.diagnostic(
            Code::ErSyntax,
            "expected `erDiagram` followed by a space or a line break",
            prepared.keyword.start..prepared.keyword.end + 1,
        );
        return (None, vec![d]);
    }

    let mut rest = after_keyword;
    let mut previous_was_entity = false;
    let mut errors = Vec::new();
    loop {
        let (lexed, _) = lex_top(rest);
        if lexed.tok == Tok::Eof {
            break;
        }
        match statement(rest) {
            Ok((after, st)) => {
                let is_blank = matches!(st, Statement::Blank);
                if !is_blank {
                    previous_was_entity = matches!(st, Statement::Entity { block: None, .. });
                }
                builder.apply(st, rest);
                rest = after;
            }
            Err(NomErr::Error(e)) | Err(NomErr::Failure(e)) => {
                let e = if e.at.from_end >= lexed.from_end {
                    // Nothing of a statement matched: say what may come here.
                    let expected = if previous_was_entity {
                        "a statement, or after an entity name a cardinality (`||`, `}o`, ...), `{`, `[` or `:::`"
                    } else {
                        "a statement (an entity, a relationship, classDef, class, style, direction, accTitle or accDescr)"
                    };
                    TextError::at_token(&lexed, expected, false)
                } else {
                    e
                };
                errors.push(e.diagnostic(src, text.len(), Code::ErSyntax));
                if errors.len() == MAX_ERRORS {
                    break;
                }
                rest = resume_after_error(rest, e.at.from_end);
                previous_was_entity = false;
            }
            Err(NomErr::Incomplete(_)) => unreachable!("complete input only"),
        }
    }
    if !errors.is_empty() {
        return (None, errors);
    }
    let warnings = builder.warnings();
    (Some(builder.diagram), warnings)
}

/// Syntax errors reported per diagram before giving up.
const MAX_ERRORS: usize = 20;

/// Where to go on after a syntax error (`error_from_end`, see [`lex::Lexed`]) in the statement
/// starting at `statement`: past
/// the `}` of an attribute block the statement opened, else at the next line. Always moves on.
fn resume_after_error(statement: &str, error_from_end: usize) -> &str {
    // Both are measured to the end of the text.
    let error_offset = statement
        .len()
        .saturating_sub(error_from_end)
        .min(statement.len());
    // Did the statement open a block before the error? Its tokens up to `{` are top-level ones.
    let mut in_block = false;
    let mut scan = statement;
    while statement.len() - scan.len() < error_offset {
        let (lexed, after) = lex_top(scan);
        if lexed.tok == Tok::Eof || after.len() == scan.len() {
            break;
        }
        if lexed.tok == Tok::BlockStart {
            in_block = statement.len() - after.len() <= error_offset;
            break;
        }
        scan = after;
    }
    let from = &statement[error_offset..];
    let skip = if in_block {
        from.find('}').map_or(from.len(), |close| close + 1)
    } else {
        from.find('\n').map_or(from.len(), |line_end| line_end + 1)
    };
    let next = &from[skip..];
    if next.len() == statement.len() {
        // The error was at the statement's very start on an empty skip: take one character.
        let first = statement.chars().next().map_or(0, char::len_utf8);
        &statement[first..]
    } else {
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mermaid::test_support::{run_family, without_errors, FamilyResult};

    fn run(text: &str) -> FamilyResult<ErDiagram> {
        run_family(text, parse)
    }

    fn ok(text: &str) -> ErDiagram {
        without_errors(run(text))
    }

    #[test]
    fn keywords_need_word_ends_and_rules_come_first() {
        // Numbers are lexed before names: `123abc` is two entities, as in mermaid.
        let d = ok("erDiagram\nA ||--o{ B : has\n123abc\n");
        let names: Vec<_> = d.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "123", "abc"]);
        let r = &d.relationships[0];
        assert_eq!(r.from_cardinality, Cardinality::OnlyOne);
        assert_eq!(r.to_cardinality, Cardinality::ZeroOrMore);
        assert_eq!(r.identification, Identification::Identifying);
    }

    #[test]
    fn word_cardinalities_and_aliases() {
        let d = ok("erDiagram\n  p[\"Person\"] {\n string name PK, FK \"the name\"\n }\n  p one or more optionally to zero or one q : \"owns\"\n");
        assert_eq!(d.entities[0].alias.as_deref(), Some("Person"));
        assert_eq!(d.entities[0].attributes[0].keys, ["PK", "FK"]);
        assert_eq!(
            d.entities[0].attributes[0].comment.as_deref(),
            Some("the name")
        );
        let r = &d.relationships[0];
        assert_eq!(r.identification, Identification::NonIdentifying);
        assert_eq!(
            (r.from_cardinality, r.to_cardinality),
            (Cardinality::OneOrMore, Cardinality::ZeroOrOne)
        );
    }

    #[test]
    fn generic_attribute_types() {
        let d = ok("erDiagram\nA {\n  List~int~ ids\n  string(99) name\n}\n");
        assert_eq!(d.entities[0].attributes[0].ty, "List~int~");
        assert_eq!(d.entities[0].attributes[1].ty, "string(99)");
    }

    #[test]
    fn error_position_and_expectation() {
        let (d, diags) = run("erDiagram\n  A ||--o{ B\n");
        assert!(d.is_none());
        assert_eq!(diags[0].code, "MMD401");
        assert_eq!((diags[0].span.line, diags[0].span.column), (2, 13));
        assert!(diags[0].message.contains("`:`"), "{}", diags[0].message);
        let (_, diags) = run("erDiagram\nA : has\n");
        assert_eq!((diags[0].span.line, diags[0].span.column), (2, 3));
    }

    #[test]
    fn errors_on_several_lines_are_all_reported() {
        let (d, diags) =
            run("erDiagram\n  A ||--o{ B\n  C {\n    int\n  }\n  D ||..|| E : ok\n  F : x\n");
        assert!(d.is_none());
        let lines: Vec<_> = diags.iter().map(|d| d.span.line).collect();
        assert_eq!(lines, [2, 5, 7]);
    }

    #[test]
    fn style_statements_and_warnings() {
        let d = ok(
            "erDiagram\nA\nclassDef hot fill:#f96, stroke: red\nclass A hot\nstyle A color:red\n",
        );
        assert_eq!(d.class_defs[0].styles, ["fill:#f96", "stroke:red"]);
        assert_eq!(d.entities[0].classes, ["hot"]);
        let (_, diags) = run("erDiagram\nA:::cold\nstyle B fill:#fff\n");
        let codes: Vec<_> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD402", "MMD403"]);
        let (d, diags) = run("erDiagram\ntitle Orders\n");
        assert_eq!(d.unwrap().entities.len(), 2);
        assert_eq!(diags[0].code, "MMD404");
        // Style lists accept no `.`: mermaid rejects this.
        assert!(run("erDiagram\nA\nstyle A stroke-width:2.5px\n")
            .0
            .is_none());
    }

    #[test]
    fn crlf_line_ends_like_mermaid() {
        // Mermaid turns CR LF into LF first, so the style list ends at the line break.
        let d = ok("erDiagram\r\n  A\r\n  style A fill:#f9f\r\n  B ||--o{ A : has\r\n");
        assert_eq!(d.entities.len(), 2);
        assert_eq!(d.entities[0].styles, ["fill:#f9f"]);
        // Blanks before the line break let the style list run on, in mermaid too.
        assert!(run("erDiagram\nA\nstyle A fill:#f9f \nB ||--o{ A : has\n")
            .0
            .is_none());
    }

    #[test]
    fn direction_and_accessibility() {
        let d = ok("erDiagram\ndirection LR\naccTitle: Orders\naccDescr {\n  two\n  lines\n}\nA\n");
        assert_eq!(d.direction, Direction::LeftToRight);
        assert_eq!(d.acc_title.as_deref(), Some("Orders"));
        assert_eq!(d.acc_descr.as_deref(), Some("two\n  lines"));
    }

    #[test]
    fn long_lines_stay_linear() {
        // One line of many tokens: the per-token `direction` look-up must not rescan the line.
        let line = "A ".repeat(30_000);
        let d = ok(&format!("erDiagram\n{line}\n"));
        assert_eq!(d.entities.len(), 1);
        let block = format!("erDiagram\nA {{\n{}}}\n", "int x ".repeat(20_000));
        assert_eq!(ok(&block).entities[0].attributes.len(), 20_000);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "erDiagram", "\n", " ", "\r\n", "A", "\"q\"", "\"", "{", "}", "[", "]", ":", ":::",
            "||", "|o", "}o", "o{", "|{", "}|", "--", "..", "to", "one or more", "1", "2.5", "u",
            "PK", "FK,", "~", "string", "é", "😀", "style", "classDef", "class", "fill:#f9f", ";",
            ",", "direction LR", "accTitle:", "accDescr {", "%%", "#",
        ]), 0..40)) {
            let text = pieces.concat();
            let _ = run(&text);
            let _ = run(&format!("erDiagram\n{text}"));
        }
    }

    #[test]
    fn snapshot() {
        let d = ok("erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  ORDER ||--|{ LINE-ITEM : contains\n  CUSTOMER }|..|{ DELIVERY-ADDRESS : uses\n  ORDER {\n    int orderNumber PK\n    string deliveryAddress \"where to\"\n  }\n");
        insta::assert_json_snapshot!(d);
    }
}
