//! Class diagrams (`classDiagram`, `classDiagram-v2`): grammar in
//! `grammars/mermaid-class.ebnf`.
//!
//! The modal lexer ([`lexer`]) turns the text into tokens; the grammar ([`grammar`]) is nom
//! combinators over those tokens and yields statements. The statements are then applied in
//! order, as mermaid's database applies them, so its checks (an annotation or a click on an
//! undeclared class, a method it cannot read) happen in source order and reject the diagram.

mod grammar;
mod lexer;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::mermaid::jison_rules::lex_all;
use crate::mermaid::token_input::Tokens;
use crate::mermaid::{DiagramGraph, Direction, GraphEdge, GraphGroup, GraphNode, Prepared};
use crate::source::SourceText;
use grammar::*;
pub use lexer::RelationEnd;
use lexer::{Lexer, TokKind};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDiagram {
    /// `TB` unless a `direction` statement says otherwise.
    pub direction: Direction,
    pub acc_title: Option<String>,
    pub acc_descr: Option<String>,
    /// Classes in order of first mention.
    pub classes: Vec<Class>,
    pub relations: Vec<Relation>,
    /// Namespaces in order of creation; nested ones have dotted ids (`A.B`).
    pub namespaces: Vec<Namespace>,
    pub notes: Vec<Note>,
    /// Interfaces drawn as lollipops (`foo ()-- Bar`), referred to as `interface<N>`.
    pub interfaces: Vec<Interface>,
    /// `classDef` style classes.
    pub style_classes: Vec<StyleClass>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Class {
    pub id: String,
    /// The generic parameter of `class Square~Shape~`.
    pub generic: Option<String>,
    pub label: String,
    pub annotations: Vec<String>,
    /// Attributes, in order.
    pub members: Vec<Member>,
    pub methods: Vec<Member>,
    pub css_classes: Vec<String>,
    pub styles: Vec<String>,
    pub link: Option<String>,
    /// Where the link's URL is written.
    #[serde(skip)]
    pub link_range: Option<Range<usize>>,
    pub link_target: Option<String>,
    pub callback: Option<String>,
    pub tooltip: Option<String>,
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Attribute,
    Method,
}

/// One attribute or method, split as mermaid splits it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub kind: MemberKind,
    /// `+`, `-`, `#` or `~`.
    pub visibility: Option<char>,
    pub name: String,
    /// Methods only: the text between the parentheses.
    pub parameters: Option<String>,
    pub return_type: Option<String>,
    /// `$` (static) or `*` (abstract).
    pub classifier: Option<char>,
}

impl Member {
    /// The member as mermaid displays it, generics `~T~` shown as `<T>`.
    pub fn display(&self) -> String {
        let mut text = String::new();
        if let Some(v) = self.visibility {
            text.push(v);
        }
        text.push_str(&generic_types(&self.name));
        if let Some(params) = &self.parameters {
            text.push('(');
            text.push_str(&generic_types(params));
            text.push(')');
            if let Some(ret) = &self.return_type {
                text.push_str(" : ");
                text.push_str(&generic_types(ret));
            }
        }
        text
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStyle {
    Solid,
    Dotted,
}

impl LineStyle {
    pub fn code(self) -> u32 {
        match self {
            LineStyle::Solid => 0,
            LineStyle::Dotted => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    pub from: String,
    pub to: String,
    /// The end drawn at `from` (`<|` in `A <|-- B`).
    pub from_end: Option<RelationEnd>,
    pub to_end: Option<RelationEnd>,
    pub line: LineStyle,
    pub label: Option<String>,
    pub from_cardinality: Option<String>,
    pub to_cardinality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Namespace {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
    /// Classes declared directly inside, in order.
    pub classes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub class: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interface {
    pub id: String,
    pub label: String,
    pub class: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StyleClass {
    pub id: String,
    pub styles: Vec<String>,
}

impl ClassDiagram {
    /// Classes and lollipop interfaces are nodes (grouped by namespace); relations are edges.
    pub fn graph(&self) -> DiagramGraph {
        let mut g = DiagramGraph::default();
        for ns in &self.namespaces {
            g.groups.push(GraphGroup {
                id: ns.id.clone(),
                label: ns.label.clone(),
                parent: ns.parent.clone(),
            });
        }
        let mut index = HashMap::new();
        for c in &self.classes {
            let n = g.graph.add_node(GraphNode {
                id: c.id.clone(),
                label: c.label.clone(),
                kind: "class".into(),
                group: c.namespace.clone(),
            });
            index.insert(c.id.clone(), n);
        }
        for i in &self.interfaces {
            let n = g.graph.add_node(GraphNode {
                id: i.id.clone(),
                label: i.label.clone(),
                kind: "interface".into(),
                group: None,
            });
            index.insert(i.id.clone(), n);
        }
        for r in &self.relations {
            if let (Some(a), Some(b)) = (index.get(&r.from), index.get(&r.to)) {
                let kind = [r.from_end, r.to_end]
                    .iter()
                    .flatten()
                    .map(|e| format!("{e:?}").to_lowercase())
                    .next()
                    .unwrap_or_else(|| "association".into());
                g.graph.add_edge(
                    *a,
                    *b,
                    GraphEdge {
                        kind,
                        label: r.label.clone().unwrap_or_default(),
                    },
                );
            }
        }
        g
    }

    pub fn class(&self, id: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.id == id)
    }
}

/// mermaid's generic notation: pairs of `~` become `<` and `>` (`List~List~T~~`), commas
/// inside one generic kept together.
pub fn generic_types(input: &str) -> String {
    let parts: Vec<&str> = split_keep_commas(input);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let mut set = parts[i].to_string();
        if set == "," && i > 0 && i + 1 < parts.len() {
            let prev = parts[i - 1];
            let next = parts[i + 1];
            if prev.matches('~').count() == 1 && next.matches('~').count() == 1 {
                set = format!("{prev},{next}");
                i += 1;
                out.pop();
            }
        }
        out.push(process_generic_set(&set));
        i += 1;
    }
    out.concat()
}

fn split_keep_commas(input: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in input.char_indices() {
        if c == ',' {
            parts.push(&input[start..i]);
            parts.push(",");
            start = i + 1;
        }
    }
    parts.push(&input[start..]);
    parts
}

fn process_generic_set(input: &str) -> String {
    let count = input.matches('~').count();
    if count <= 1 {
        return input.to_string();
    }
    let (prefix, body) = if !count.is_multiple_of(2) && input.starts_with('~') {
        ("~", &input[1..])
    } else {
        ("", input)
    };
    let mut chars: Vec<char> = body.chars().collect();
    loop {
        let first = chars.iter().position(|c| *c == '~');
        let last = chars.iter().rposition(|c| *c == '~');
        match (first, last) {
            (Some(f), Some(l)) if f != l => {
                chars[f] = '<';
                chars[l] = '>';
            }
            _ => break,
        }
    }
    format!("{prefix}{}", chars.into_iter().collect::<String>())
}

/// Splits one member line as mermaid does. `Err` when it looks like a method (a `)` after the
/// first character) but has no `name(...)` shape: mermaid fails on those.
fn parse_member(input: &str) -> Result<Member, ()> {
    let is_visibility = |c: char| matches!(c, '#' | '+' | '~' | '-');
    if input.find(')').is_some_and(|i| i > 0) {
        // `[vis] name ( params ) [classifier] return`, with the name as long as possible.
        let last_close = input.rfind(')').ok_or(())?;
        let try_split = |from: usize| -> Option<usize> {
            input[..last_close]
                .char_indices()
                .rev()
                .find(|(i, c)| *c == '(' && *i > from)
                .map(|(i, _)| i)
        };
        let first = input.chars().next().ok_or(())?;
        let (visibility, name_start, open) = match try_split(0) {
            Some(open) if is_visibility(first) && open > first.len_utf8() => {
                (Some(first), first.len_utf8(), open)
            }
            Some(open) => (None, 0, open),
            None => return Err(()),
        };
        let name = &input[name_start..open];
        let parameters = input[open + 1..last_close].trim().to_string();
        let after = &input[last_close + 1..];
        let mut classifier = None;
        let mut rest = after;
        if let Some(c) = after.chars().next() {
            if c == '$' || c == '*' {
                classifier = Some(c);
                rest = &after[1..];
            } else if c.is_whitespace() {
                rest = &after[c.len_utf8()..];
            }
        }
        let mut return_type = rest.trim().to_string();
        if classifier.is_none() && (return_type.ends_with('$') || return_type.ends_with('*')) {
            classifier = return_type.pop();
        }
        return Ok(Member {
            kind: MemberKind::Method,
            visibility,
            name: keep_one_leading_space(name),
            parameters: Some(parameters),
            return_type: (!return_type.is_empty()).then_some(return_type),
            classifier,
        });
    }
    let first = input.chars().next();
    let visibility = first.filter(|c| is_visibility(*c));
    let last = input.chars().last();
    let classifier = last.filter(|c| *c == '$' || *c == '*');
    let start = visibility.map_or(0, char::len_utf8);
    let end = input.len() - classifier.map_or(0, char::len_utf8);
    let name = if start <= end { &input[start..end] } else { "" };
    Ok(Member {
        kind: MemberKind::Attribute,
        visibility,
        name: keep_one_leading_space(name),
        parameters: None,
        return_type: None,
        classifier,
    })
}

/// mermaid trims a member name but keeps one leading space if there was any.
fn keep_one_leading_space(name: &str) -> String {
    if name.starts_with(' ') {
        format!(" {}", name.trim())
    } else {
        name.trim().to_string()
    }
}

/// `Name~T~` → (`Name`, `T`).
fn split_generic(id: &str) -> (String, Option<String>) {
    match id.find('~') {
        Some(i) if i > 0 => {
            let mut parts = id.split('~');
            let name = parts.next().unwrap_or_default().to_string();
            let generic = parts.next().unwrap_or_default().to_string();
            (name, Some(generic))
        }
        _ => (id.to_string(), None),
    }
}

/// A check of mermaid's that failed: code, message, where.
struct Failed {
    code: Code,
    message: String,
    range: Range<usize>,
}

/// Applies statements in order, as mermaid's database does, with its checks.
struct Applier<'a> {
    src: &'a SourceText,
    model: ClassDiagram,
    class_index: HashMap<String, usize>,
    namespace_stack: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Applier<'_> {
    fn statement(&mut self, s: Statement<'_>) -> Result<(), Failed> {
        match s {
            Statement::Direction(d) => {
                self.model.direction = Direction::from_word(d).unwrap_or_default()
            }
            Statement::AccTitle(t) => self.model.acc_title = Some(t),
            Statement::AccDescr(t) => self.model.acc_descr = Some(t),
            Statement::Relation(r) => self.relation(r),
            Statement::Member(name, label) => {
                self.check_name(&name);
                let index = self.add_class(&name.text);
                let text = label.text.strip_prefix(':').unwrap_or(&label.text);
                self.add_member(index, text, label.range.clone())?;
            }
            Statement::Mention(name) => self.check_name(&name),
            Statement::Class(decl) => {
                self.class(decl)?;
            }
            Statement::Namespace(ns) => self.namespace(ns)?,
            Statement::Annotation(annotation, name) => {
                let (id, _) = split_generic(&name.text);
                match self.class_index.get(&id) {
                    Some(&i) => self.model.classes[i].annotations.push(annotation),
                    None => {
                        return Err(Failed {
                            code: Code::AnnotationOfUndeclaredClass,
                            message: format!(
                                "annotation `<<{annotation}>>` for class `{id}`, which is not declared yet"
                            ),
                            range: name.range,
                        })
                    }
                }
            }
            Statement::Callback(name, function, tooltip) => {
                for one in name.text.split(',') {
                    match self.class_index.get(one) {
                        Some(&i) => self.model.classes[i].callback = Some(function.clone()),
                        None => return Err(unknown_class_click(one, name.range.clone())),
                    }
                }
                self.add_css_class(&name.text, "clickable");
                self.tooltip(&name, tooltip)?;
            }
            Statement::Link(name, url, tooltip, target) => {
                for one in name.text.split(',') {
                    self.warn_unknown_class(one, "a link", name.range.clone());
                    if let Some(&i) = self.class_index.get(one) {
                        self.model.classes[i].link = Some(url.text.clone());
                        self.model.classes[i].link_range = Some(url.range.clone());
                        self.model.classes[i].link_target =
                            Some(target.clone().unwrap_or_else(|| "_blank".into()));
                    }
                }
                self.add_css_class(&name.text, "clickable");
                self.tooltip(&name, tooltip)?;
            }
            Statement::Style(id, styles) => {
                self.warn_unknown_class(&id.text, "`style`", id.range.clone());
                if let Some(&i) = self.class_index.get(&id.text) {
                    for s in styles {
                        self.model.classes[i]
                            .styles
                            .extend(s.split(',').map(str::to_string));
                    }
                }
            }
            Statement::CssClass(ids, class) => {
                for id in ids.text.split(',') {
                    self.warn_unknown_class(id, "`cssClass`", ids.range.clone());
                }
                self.add_css_class(&ids.text, &class);
            }
            Statement::ClassDef(ids, styles) => {
                for id in ids {
                    for c in &mut self.model.classes {
                        if c.css_classes.contains(&id) {
                            c.styles.extend(
                                styles.iter().flat_map(|s| s.split(',')).map(str::to_string),
                            );
                        }
                    }
                    self.model.style_classes.push(StyleClass {
                        id,
                        styles: styles.clone(),
                    });
                }
            }
            Statement::Note(class, text) => self.note(class, text),
        }
        Ok(())
    }

    fn check_name(&mut self, name: &Name) {
        if name.spaced {
            self.diagnostics.push(
                self.src
                    .diagnostic(
                        Code::ClassNameWordsRunTogether,
                        format!("the words of this class name run together as `{}`", name.text),
                        name.range.clone(),
                    )
                    .with_help(
                        "mermaid drops the spaces; use a back-quoted name or a `[\"label\"]` to keep them",
                    ),
            );
        }
    }

    /// mermaid silently ignores styles and links for classes that do not exist.
    fn warn_unknown_class(&mut self, id: &str, what: &str, range: Range<usize>) {
        if !self.class_index.contains_key(id) {
            self.diagnostics.push(self.src.diagnostic(
                Code::ClassStyleOnMissingClass,
                format!("{what} for `{id}`, which is not a declared class, has no effect"),
                range,
            ));
        }
    }

    fn tooltip(&mut self, name: &Name, tooltip: Option<String>) -> Result<(), Failed> {
        if let Some(tooltip) = tooltip {
            for one in name.text.split(',') {
                match self.class_index.get(one) {
                    Some(&i) => self.model.classes[i].tooltip = Some(tooltip.clone()),
                    None => return Err(unknown_class_click(one, name.range.clone())),
                }
            }
        }
        Ok(())
    }

    fn note(&mut self, class: Option<Name>, text: String) {
        if let Some(c) = &class {
            self.check_name(c);
        }
        self.model.notes.push(Note {
            class: class.map(|c| c.text),
            text,
        });
    }

    fn add_class(&mut self, raw_id: &str) -> usize {
        let (id, generic) = split_generic(raw_id);
        if let Some(&i) = self.class_index.get(&id) {
            return i;
        }
        self.class_index
            .insert(id.clone(), self.model.classes.len());
        self.model.classes.push(Class {
            label: id.clone(),
            id,
            generic,
            annotations: Vec::new(),
            members: Vec::new(),
            methods: Vec::new(),
            css_classes: Vec::new(),
            styles: Vec::new(),
            link: None,
            link_range: None,
            link_target: None,
            callback: None,
            tooltip: None,
            namespace: None,
        });
        self.model.classes.len() - 1
    }

    fn add_member(&mut self, class: usize, raw: &str, range: Range<usize>) -> Result<(), Failed> {
        let member = raw.trim();
        let class = &mut self.model.classes[class];
        if member.len() >= 4 && member.starts_with("<<") && member.ends_with(">>") {
            class
                .annotations
                .push(member[2..member.len() - 2].to_string());
            return Ok(());
        }
        if member.is_empty() {
            return Ok(());
        }
        match parse_member(member) {
            Ok(m) if m.kind == MemberKind::Method => class.methods.push(m),
            Ok(m) => class.members.push(m),
            Err(()) => {
                return Err(Failed {
                    code: Code::MalformedMethod,
                    message: format!(
                        "`{member}` has a `)` but is not a method of the form `name(parameters)`"
                    ),
                    range,
                })
            }
        }
        Ok(())
    }

    fn add_css_class(&mut self, ids: &str, class: &str) {
        for id in ids.split(',') {
            if let Some(&i) = self.class_index.get(id) {
                self.model.classes[i].css_classes.push(class.to_string());
            }
        }
    }

    /// Returns the class id.
    fn class(&mut self, decl: ClassDecl<'_>) -> Result<String, Failed> {
        self.check_name(&decl.name);
        let index = self.add_class(&decl.name.text);
        if let Some(label) = decl.label {
            self.model.classes[index].label = label;
        }
        if let Some(style) = decl.style {
            self.model.classes[index].css_classes.push(style);
        }
        if let Some(annotation) = decl.annotation {
            self.model.classes[index].annotations.push(annotation);
        }
        for m in decl.members {
            self.add_member(index, &m.text, m.range.clone())?;
        }
        Ok(self.model.classes[index].id.clone())
    }

    fn relation(&mut self, r: RelationDecl) {
        self.check_name(&r.first);
        self.check_name(&r.second);
        let (first, second) = (r.first.text, r.second.text);
        let (mut from, mut to) = (first.clone(), second.clone());
        if r.from_end == Some(RelationEnd::Lollipop) && r.to_end.is_none() {
            self.add_class(&second);
            let id = format!("interface{}", self.model.interfaces.len());
            self.model.interfaces.push(Interface {
                id: id.clone(),
                label: first,
                class: split_generic(&second).0,
            });
            from = id;
        } else if r.to_end == Some(RelationEnd::Lollipop) && r.from_end.is_none() {
            self.add_class(&first);
            let id = format!("interface{}", self.model.interfaces.len());
            self.model.interfaces.push(Interface {
                id: id.clone(),
                label: second,
                class: split_generic(&first).0,
            });
            to = id;
        } else {
            self.add_class(&first);
            self.add_class(&second);
        }
        self.model.relations.push(Relation {
            from: split_generic(&from).0,
            to: split_generic(&to).0,
            from_end: r.from_end,
            to_end: r.to_end,
            line: r.line,
            label: r.label,
            from_cardinality: r.from_cardinality.map(|c| c.trim().to_string()),
            to_cardinality: r.to_cardinality.map(|c| c.trim().to_string()),
        });
    }

    fn namespace(&mut self, ns: NamespaceDecl<'_>) -> Result<(), Failed> {
        if self.namespace_stack.len() >= MAX_NESTING {
            return Err(Failed {
                code: Code::ClassSyntax,
                message: format!("expected at most {MAX_NESTING} nested namespaces"),
                range: ns.keyword.range.clone(),
            });
        }
        let id = self.add_namespace(&ns.name, ns.label);
        let mut classes = Vec::new();
        for item in ns.items {
            match item {
                NamespaceItem::Class(decl) => classes.push(self.class(decl)?),
                NamespaceItem::Note(class, text) => self.note(class, text),
                NamespaceItem::Namespace(inner) => self.namespace(inner)?,
            }
        }
        self.namespace_stack.pop();
        if let Some(n) = self.model.namespaces.iter_mut().find(|n| n.id == id) {
            for class in classes {
                if let Some(&i) = self.class_index.get(&class) {
                    self.model.classes[i].namespace = Some(id.clone());
                }
                if !n.classes.contains(&class) {
                    n.classes.push(class);
                }
            }
        }
        Ok(())
    }

    /// Creates the namespace (and its dotted ancestors) inside the current one.
    fn add_namespace(&mut self, name: &str, label: Option<String>) -> String {
        let qualified = match self.namespace_stack.last() {
            Some(prefix) => format!("{prefix}.{name}"),
            None => name.to_string(),
        };
        self.namespace_stack.push(qualified.clone());
        let parts: Vec<&str> = qualified.split('.').collect();
        let mut id = String::new();
        let mut parent: Option<String> = None;
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                id.push('.');
            }
            id.push_str(part);
            let is_leaf = i + 1 == parts.len();
            match self.model.namespaces.iter_mut().find(|n| n.id == id) {
                Some(existing) => {
                    if is_leaf {
                        if let Some(l) = &label {
                            existing.label = l.clone();
                        }
                    }
                }
                None => self.model.namespaces.push(Namespace {
                    id: id.clone(),
                    label: match (&label, is_leaf) {
                        (Some(l), true) => l.clone(),
                        _ => part.to_string(),
                    },
                    parent: parent.clone(),
                    classes: Vec::new(),
                }),
            }
            parent = Some(id.clone());
        }
        qualified
    }
}

fn unknown_class_click(id: &str, range: Range<usize>) -> Failed {
    Failed {
        code: Code::CallbackOnUndeclaredClass,
        message: format!("click, callback or tooltip for class `{id}`, which is not declared yet"),
        range,
    }
}

/// Parses a class diagram; see the module documentation.
pub fn parse(prepared: &Prepared) -> (Option<ClassDiagram>, Vec<Diagnostic>) {
    let src = &prepared.source;
    let text = prepared.text.as_str();
    let mut lexer = Lexer::new(text, prepared.keyword.end);
    let tokens = lex_all(|| lexer.next_token(), |t| t.kind == TokKind::Eof);
    let (statements, errors) = diagram(Tokens::new(&tokens));
    if !errors.is_empty() {
        let diagnostics = errors
            .iter()
            .map(|e| {
                e.diagnostic(src, Code::ClassSyntax, &tokens, text.len(), |t| {
                    match t.kind {
                        TokKind::Alpha | TokKind::Unicode | TokKind::Other | TokKind::Member => {
                            format!("`{}`", t.text.trim())
                        }
                        ref k => k.describe(),
                    }
                })
            })
            .collect();
        return (None, diagnostics);
    }
    let mut applier = Applier {
        src,
        model: ClassDiagram {
            direction: Direction::TopToBottom,
            acc_title: None,
            acc_descr: None,
            classes: Vec::new(),
            relations: Vec::new(),
            namespaces: Vec::new(),
            notes: Vec::new(),
            interfaces: Vec::new(),
            style_classes: Vec::new(),
        },
        class_index: HashMap::new(),
        namespace_stack: Vec::new(),
        diagnostics: Vec::new(),
    };
    // Each statement mermaid's database refuses is reported; the others still apply, so a
    // later refusal is reported too.
    let mut refused = false;
    for statement in statements {
        if let Err(f) = applier.statement(statement) {
            let d = src.diagnostic(f.code, f.message, f.range);
            applier.diagnostics.push(d);
            refused = true;
        }
    }
    ((!refused).then_some(applier.model), applier.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mermaid::test_support::{self, run_family, FamilyResult};

    fn run(text: &str) -> FamilyResult<ClassDiagram> {
        run_family(text, parse)
    }

    fn first_error(text: &str) -> Diagnostic {
        test_support::first_error(run(text).1)
    }

    #[test]
    fn model_snapshot() {
        let (model, diags) = run(concat!(
            "classDiagram\n",
            "  direction LR\n",
            "  namespace Shop.Orders {\n",
            "    class Order~T~ {\n",
            "      +List~Item~ items\n",
            "      -int count$\n",
            "      +total(List~int~ discounts) decimal*\n",
            "    }\n",
            "    class Item[\"Line item\"]:::highlight\n",
            "  }\n",
            "  <<interface>> Order\n",
            "  Order \"1\" *-- \"many\" Item : contains\n",
            "  Order ..|> Payable\n",
            "  Serializable ()-- Order\n",
            "  Item : +sku String\n",
            "  note for Order \"aggregate root\"\n",
            "  classDef highlight fill:#f96,stroke:#333\n",
            "  click Item href \"https://example.com\" \"Items\" _blank\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        insta::assert_json_snapshot!(model.expect("parsed"));
    }

    #[test]
    fn members_split_as_mermaid_does() {
        let m = parse_member("+run(List~T~ items) bool$").unwrap();
        assert_eq!(m.kind, MemberKind::Method);
        assert_eq!(m.visibility, Some('+'));
        assert_eq!(m.name, "run");
        assert_eq!(m.parameters.as_deref(), Some("List~T~ items"));
        assert_eq!(m.return_type.as_deref(), Some("bool"));
        assert_eq!(m.classifier, Some('$'));
        assert_eq!(m.display(), "+run(List<T> items) : bool");
        let a = parse_member("-Map~K, V~ entries*").unwrap();
        assert_eq!(a.display(), "-Map<K, V> entries");
        assert_eq!(a.classifier, Some('*'));
        assert!(parse_member("+swim)").is_err());
        assert_eq!(generic_types("List~List~int~~"), "List<List<int>>");
    }

    #[test]
    fn recovery_reports_each_broken_statement_once() {
        let (model, diags) = run(concat!(
            "classDiagram\n",
            "class A.\n",
            "namespace N {\n",
            "  class B\n",
            "  B -->\n",
            "}\n",
            "A --> C\n",
            "class D {\n",
            "  +x int\n",
            "}\n",
            "C <|--\n",
        ));
        assert!(model.is_none());
        let found: Vec<(u32, u32)> = diags.iter().map(|d| (d.span.line, d.span.column)).collect();
        // The name broken at its `.`, the namespace (skipped whole, its `}` included) and the
        // relation after the class body; the lines between them read normally.
        assert_eq!(found.len(), 3, "{diags:?}");
        assert_eq!(found[0].0, 2, "{diags:?}");
        assert_eq!(found[1].0, 5, "{diags:?}");
        assert_eq!(found[2].0, 11, "{diags:?}");
        // Refusals of mermaid's database are each reported too.
        let (_, diags) = run("classDiagram\nclass A\nclick X href \"u\"\nclick Y href \"v\"\n");
        assert_eq!(diags.len(), 2, "{diags:?}");
    }

    #[test]
    fn header_needs_a_statement() {
        let d = first_error("classDiagram\n");
        assert_eq!(d.code, "MMD301");
        assert_eq!(d.span.line, 2);
    }

    #[test]
    fn relation_without_target_points_at_the_line_end() {
        let d = first_error("classDiagram\n  A <|-- \n  B --> C\n");
        assert_eq!(d.code, "MMD301");
        assert!(d.message.contains("class name"), "{}", d.message);
        assert_eq!((d.span.line, d.span.column), (2, 9));
    }

    #[test]
    fn unclosed_body_is_reported() {
        let d = first_error("classDiagram\nclass A {\n  +x int\n");
        assert!(d.message.contains("`}`"), "{}", d.message);
    }

    #[test]
    fn malformed_method_fails_as_in_mermaid() {
        let d = first_error("classDiagram\nclass Duck {\n  +swim)\n}\n");
        assert_eq!(d.code, "MMD304");
        assert_eq!(d.span.line, 3);
    }

    #[test]
    fn annotation_and_click_need_a_declared_class() {
        assert_eq!(
            first_error("classDiagram\n<<interface>> Shape\n").code,
            Code::AnnotationOfUndeclaredClass
        );
        assert_eq!(
            first_error("classDiagram\nclass A\ncallback B \"fn\"\n").code,
            Code::CallbackOnUndeclaredClass
        );
        let (model, diags) = run("classDiagram\nclass A\nlink B \"https://x\"\n");
        // mermaid ignores a link to an unknown class; plansmith warns.
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD305"]);
        assert!(model.unwrap().class("B").is_none());
    }

    #[test]
    fn unclosed_quote_is_an_error() {
        let d = first_error("classDiagram\nclass A\nnote for A oops\"\n");
        assert_eq!(d.code, "MMD301");
        assert!(d.message.contains("unclosed quote"), "{}", d.message);
    }

    #[test]
    fn keywords_need_a_boundary_and_names_concatenate() {
        let (model, diags) = run("classDiagram\noperator --> classy\nmy-item <|-- Other\n");
        assert!(diags.is_empty(), "{diags:?}");
        let ids: Vec<String> = model.unwrap().classes.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["operator", "classy", "my-item", "Other"]);
        // No boundary is needed before a keyword: `my-class` reads `my`, `-`, `class`.
        let d = first_error("classDiagram\nmy-class <|-- Other\n");
        assert_eq!((d.span.line, d.span.column), (2, 4));
    }

    #[test]
    fn own_warnings() {
        let (model, diags) = run(concat!(
            "classDiagram\n",
            "class Big Order\n",
            "style Missing fill:#f9f\n",
        ));
        assert_eq!(
            model.expect("warnings do not reject").classes[0].id,
            "BigOrder"
        );
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["MMD306", "MMD305"]);
        assert_eq!((diags[0].span.column, diags[0].span.end_column), (7, 16));
    }

    #[test]
    fn graph_view() {
        let (model, _) = run(concat!(
            "classDiagram\n",
            "namespace Core { class A }\n",
            "A <|-- B\nlog ()-- B\n",
        ));
        let g = model.unwrap().graph();
        assert_eq!(g.graph.node_count(), 3, "two classes and one interface");
        let kinds: Vec<&str> = g.graph.edge_weights().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["extension", "lollipop"]);
        assert_eq!(g.groups[0].id, "Core");
        let a = g.graph.node_indices().next().unwrap();
        assert_eq!(g.graph[a].group.as_deref(), Some("Core"));
    }

    #[test]
    fn entities_in_labels_and_accessibility() {
        let (model, diags) = run(concat!(
            "classDiagram\n",
            "accTitle: Shop\n",
            "accDescr {\n  Orders and items\n}\n",
            "A --> B : uses #amp; owns\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        let m = model.unwrap();
        assert_eq!(m.acc_title.as_deref(), Some("Shop"));
        assert_eq!(m.acc_descr.as_deref(), Some("Orders and items"));
        assert_eq!(m.relations[0].label.as_deref(), Some("uses #amp; owns"));
    }

    #[test]
    fn lollipop_interfaces() {
        let (model, _) = run("classDiagram\nbar ()-- Foo\nFoo --() baz\n");
        let m = model.unwrap();
        assert_eq!(m.classes.len(), 1);
        assert_eq!(m.relations[0].from, "interface0");
        assert_eq!(m.relations[1].to, "interface1");
        assert_eq!(m.interfaces[1].label, "baz");
    }
}

#[cfg(test)]
mod robustness {
    use crate::mermaid::test_support::pieces_are_placed;
    use proptest::prelude::*;

    /// Pieces of class syntax, so that random input reaches deep into the grammar.
    const PIECES: &[&str] = &[
        "class ",
        "A",
        "B",
        "{",
        "}",
        "\n",
        " ",
        "<|--",
        "*--",
        "o--",
        "-->",
        "..>",
        "..|>",
        "()--",
        "--()",
        "\"1\"",
        ":",
        " : label",
        ":::x",
        "<<",
        ">>",
        "~T~",
        "~",
        "`q`",
        "namespace ",
        "N.M",
        "note for ",
        "note ",
        "\"",
        "+run(x) int$",
        "-y*",
        ")",
        "(",
        "click ",
        "call ",
        "f(a)",
        "href ",
        "link ",
        "callback ",
        "_blank",
        "style ",
        "fill:#f9f",
        "classDef ",
        ",",
        ";",
        "%%",
        "direction LR",
        "accDescr {",
        "é",
        "[",
        "]",
        "\r\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn never_panics(pieces in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            pieces_are_placed("classDiagram", PIECES, &pieces)?;
        }
    }
}
