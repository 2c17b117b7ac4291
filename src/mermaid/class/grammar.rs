//! The class diagram grammar: nom combinators over the lexer's tokens, yielding statements.

use super::lexer::{Tok, TokKind};
use super::*;
use crate::mermaid::token_input::{expected, resume_after, token, TokResult, TokenError, Tokens};
use nom::branch::alt;
use nom::combinator::{cut, map, opt, peek, success};
use nom::multi::{fold_many1, many0, separated_list1};
use nom::sequence::{preceded, terminated};
use nom::{Input as _, Parser as _};
use std::ops::Range;

pub(super) type In<'t> = Tokens<'t, Tok>;
pub(super) type R<'t, O> = TokResult<'t, Tok, O>;

/// Deeper namespace nesting is refused rather than risking the stack.
pub(super) const MAX_NESTING: usize = 200;

/// A class name as written, with where it is.
#[derive(Debug, Clone)]
pub(super) struct Name {
    pub(super) text: String,
    pub(super) range: Range<usize>,
    /// Its words were separated by spaces, which mermaid drops.
    pub(super) spaced: bool,
}

/// A `class` statement.
#[derive(Debug)]
pub(super) struct ClassDecl<'t> {
    pub(super) name: Name,
    pub(super) label: Option<String>,
    pub(super) style: Option<String>,
    pub(super) annotation: Option<String>,
    pub(super) members: Vec<&'t Tok>,
}

/// An item of a namespace body.
#[derive(Debug)]
pub(super) enum NamespaceItem<'t> {
    Class(ClassDecl<'t>),
    Note(Option<Name>, String),
    Namespace(NamespaceDecl<'t>),
}

#[derive(Debug)]
pub(super) struct NamespaceDecl<'t> {
    pub(super) name: String,
    pub(super) label: Option<String>,
    /// The `namespace` keyword, for the nesting limit.
    pub(super) keyword: &'t Tok,
    pub(super) items: Vec<NamespaceItem<'t>>,
}

#[derive(Debug)]
pub(super) struct RelationDecl {
    pub(super) first: Name,
    pub(super) from_cardinality: Option<String>,
    pub(super) from_end: Option<RelationEnd>,
    pub(super) line: LineStyle,
    pub(super) to_end: Option<RelationEnd>,
    pub(super) to_cardinality: Option<String>,
    pub(super) second: Name,
    pub(super) label: Option<String>,
}

/// One statement, before mermaid's checks.
#[derive(Debug)]
pub(super) enum Statement<'t> {
    Direction(&'static str),
    AccTitle(String),
    AccDescr(String),
    Relation(RelationDecl),
    /// `A : +member` (the label token includes the colon).
    Member(Name, &'t Tok),
    /// A bare class name, which mermaid accepts and ignores.
    Mention(Name),
    Class(ClassDecl<'t>),
    Namespace(NamespaceDecl<'t>),
    Annotation(String, Name),
    Callback(Name, String, Option<String>),
    /// Class, URL token, tooltip, target.
    Link(Name, &'t Tok, Option<String>, Option<String>),
    Style(&'t Tok, Vec<String>),
    CssClass(&'t Tok, String),
    ClassDef(Vec<String>, Vec<String>),
    Note(Option<Name>, String),
}

pub(super) fn is_alnum(kind: &TokKind) -> bool {
    matches!(kind, TokKind::Alpha | TokKind::Unicode | TokKind::Minus)
}

pub(super) fn kind<'t>(k: TokKind, what: &'static str) -> impl Fn(In<'t>) -> R<'t, &'t Tok> {
    token(what, move |t: &Tok| t.kind == k)
}

pub(super) fn newline(i: In<'_>) -> R<'_, &Tok> {
    kind(TokKind::Newline, "end of line")(i)
}

pub(super) fn string(what: &'static str) -> impl Fn(In<'_>) -> R<'_, String> {
    move |i| map(kind(TokKind::Str, what), |t| t.text.clone()).parse(i)
}

pub(super) fn name_piece(what: &'static str) -> impl Fn(In<'_>) -> R<'_, String> {
    move |i| map(token(what, |t: &Tok| is_alnum(&t.kind)), |t| t.text.clone()).parse(i)
}

/// `["label"]` after a class or namespace name.
pub(super) fn square_label(i: In<'_>) -> R<'_, String> {
    preceded(
        kind(TokKind::SquareOpen, "`[`"),
        cut(terminated(
            string("a quoted label"),
            kind(TokKind::SquareClose, "`]`"),
        )),
    )
    .parse(i)
}

/// mermaid's class name: words, dashes and dots run together (spaces between them are
/// dropped), ending in an optional `~T~`; or a back-quoted name.
pub(super) fn class_name(i: In<'_>) -> R<'_, Name> {
    let toks = i.slice;
    let Some(first) = toks.first() else {
        return expected("a class name")(i);
    };
    if !(is_alnum(&first.kind) || first.kind == TokKind::BqStr) {
        return expected("a class name")(i);
    }
    let mut text = String::new();
    let mut spaced = false;
    let mut n = 0;
    let mut end = first.range.start;
    while let Some(t) = toks.get(n) {
        match &t.kind {
            TokKind::BqStr => {
                text.push_str(&t.text);
                end = t.range.end;
                n += 1;
                if let Some(g) = toks.get(n).filter(|g| g.kind == TokKind::Generic) {
                    text.push_str(&format!("~{}~", g.text));
                    end = g.range.end;
                    n += 1;
                }
                break;
            }
            k if is_alnum(k) => {
                if n > 0 && t.range.start > end && toks[n - 1].kind != TokKind::Dot {
                    spaced = true;
                }
                text.push_str(&t.text);
                end = t.range.end;
                n += 1;
                match toks.get(n).map(|t| &t.kind) {
                    Some(TokKind::Dot) => {
                        text.push('.');
                        n += 1;
                        // A dot must be followed by more of the name.
                        let more = toks
                            .get(n)
                            .is_some_and(|t| is_alnum(&t.kind) || t.kind == TokKind::BqStr);
                        if !more {
                            return Err(nom::Err::Failure(TokenError::at_start(
                                i.take_from(n),
                                "the rest of the class name after `.`",
                            )));
                        }
                    }
                    Some(TokKind::Generic) => {
                        text.push_str(&format!("~{}~", toks[n].text));
                        end = toks[n].range.end;
                        n += 1;
                        break;
                    }
                    _ => {}
                }
            }
            _ => break,
        }
    }
    let name = Name {
        text,
        range: first.range.start..end,
        spaced,
    };
    Ok((i.take_from(n), name))
}

pub(super) fn namespace_name(i: In<'_>) -> R<'_, String> {
    let (rest, name) = class_name(i)?;
    if name.text.contains('~') {
        // Namespace names take no generic type.
        return expected("a namespace name")(i);
    }
    Ok((rest, name.text))
}

/// `fill:#f9f,stroke:#333`: pieces run together, separated by commas.
pub(super) fn styles(i: In<'_>) -> R<'_, Vec<String>> {
    let piece = token("a style such as `fill:#f9f`", |t: &Tok| {
        matches!(
            t.kind,
            TokKind::Alpha
                | TokKind::Colon
                | TokKind::Hash
                | TokKind::Style
                | TokKind::Percent
                | TokKind::Label
        )
    });
    let style = fold_many1(piece, String::new, |mut acc, t| {
        acc.push_str(&t.text);
        acc
    });
    separated_list1(kind(TokKind::Comma, "`,`"), style).parse(i)
}

pub(super) fn class_body(i: In<'_>) -> R<'_, Vec<&Tok>> {
    preceded(
        kind(TokKind::StructStart, "`{`"),
        cut(terminated(
            many0(kind(TokKind::Member, "a member")),
            alt((
                kind(TokKind::StructStop, "`}`"),
                expected("a member or `}`"),
            )),
        )),
    )
    .parse(i)
}

/// `class Name ["label"] [:::style | <<annotation>>] [{ members }]`.
pub(super) fn class_statement(i: In<'_>) -> R<'_, ClassDecl<'_>> {
    let annotation = (
        kind(TokKind::AnnotationStart, "`<<`"),
        cut((
            name_piece("an annotation name"),
            kind(TokKind::AnnotationEnd, "`>>`"),
            opt(class_body),
        )),
    );
    let style = (
        kind(TokKind::StyleSeparator, "`:::`"),
        cut((name_piece("a style class name"), opt(class_body))),
    );
    map(
        preceded(
            kind(TokKind::Class, "`class`"),
            cut((
                class_name,
                opt(square_label),
                alt((
                    map(style, |(_, (s, body))| (Some(s), None, body)),
                    map(annotation, |(_, (a, _, body))| (None, Some(a), body)),
                    map(opt(class_body), |body| (None, None, body)),
                )),
            )),
        ),
        |(name, label, (style, annotation, members))| ClassDecl {
            name,
            label,
            style,
            annotation,
            members: members.unwrap_or_default(),
        },
    )
    .parse(i)
}

pub(super) fn note_statement(i: In<'_>) -> R<'_, (Option<Name>, String)> {
    alt((
        preceded(
            kind(TokKind::NoteFor, "`note for`"),
            cut(map(
                (class_name, string("the note text in double quotes")),
                |(n, t)| (Some(n), t),
            )),
        ),
        preceded(
            kind(TokKind::Note, "`note`"),
            cut(map(string("the note text in double quotes"), |t| (None, t))),
        ),
    ))
    .parse(i)
}

pub(super) fn namespace_statement(i: In<'_>) -> R<'_, NamespaceDecl<'_>> {
    let item = |i| {
        alt((
            map(class_statement, NamespaceItem::Class),
            map(note_statement, |(c, t)| NamespaceItem::Note(c, t)),
            map(namespace_statement, NamespaceItem::Namespace),
            expected("a class, note or namespace inside the namespace"),
        ))
        .parse(i)
    };
    map(
        (
            kind(TokKind::Namespace, "`namespace`"),
            cut((
                namespace_name,
                opt(square_label),
                kind(TokKind::StructStart, "`{` opening the namespace"),
                opt(newline),
                item,
                many0(preceded(newline, item)),
                opt(newline),
                alt((
                    kind(TokKind::StructStop, "`}`"),
                    expected("a line break or `}` closing the namespace"),
                )),
            )),
        ),
        |(keyword, (name, label, _, _, first, mut others, _, _))| {
            let mut items = vec![first];
            items.append(&mut others);
            NamespaceDecl {
                name,
                label,
                keyword,
                items,
            }
        },
    )
    .parse(i)
}

pub(super) fn relation_end(i: In<'_>) -> R<'_, RelationEnd> {
    let (rest, t) = token("a relation end", |t: &Tok| {
        matches!(t.kind, TokKind::RelationEnd(_))
    })(i)?;
    match t.kind {
        TokKind::RelationEnd(e) => Ok((rest, e)),
        _ => unreachable!("matched a relation end"),
    }
}

pub(super) fn line_style(i: In<'_>) -> R<'_, LineStyle> {
    alt((
        map(kind(TokKind::Line, "`--`"), |_| LineStyle::Solid),
        map(kind(TokKind::DottedLine, "`..`"), |_| LineStyle::Dotted),
        expected("a relation line `--` or `..`"),
    ))
    .parse(i)
}

/// A statement starting with a class name: a relation, a member line, or the bare name.
pub(super) fn relation_or_member(i: In<'_>) -> R<'_, Statement<'_>> {
    let starts_relation = token("a relation", |t: &Tok| {
        matches!(
            t.kind,
            TokKind::Str | TokKind::RelationEnd(_) | TokKind::Line | TokKind::DottedLine
        )
    });
    let relation = preceded(
        peek(starts_relation),
        cut((
            opt(string("a cardinality")),
            opt(relation_end),
            line_style,
            opt(relation_end),
            opt(string("a cardinality")),
            class_name,
            opt(kind(TokKind::Label, "a label")),
        )),
    );
    let (rest, first) = class_name(i)?;
    let (rest, tail) = alt((
        map(relation, |r| Some(Ok(r))),
        map(kind(TokKind::Label, "a label"), |l| Some(Err(l))),
        map(success(()), |_| None),
    ))
    .parse(rest)?;
    let statement = match tail {
        Some(Ok((from_cardinality, from_end, line, to_end, to_cardinality, second, label))) => {
            Statement::Relation(RelationDecl {
                first,
                from_cardinality,
                from_end,
                line,
                to_end,
                to_cardinality,
                second,
                label: label.map(|l| l.text.trim_start_matches(':').trim().to_string()),
            })
        }
        Some(Err(label)) => Statement::Member(first, label),
        None => Statement::Mention(first),
    };
    Ok((rest, statement))
}

/// What a `click` does: call a function (name with arguments, tooltip) or follow a link (URL
/// token, tooltip, target).
pub(super) enum ClickAction<'t> {
    Call(String, Option<String>),
    Href(&'t Tok, Option<String>, Option<String>),
}

/// `callback`, `link` and `click` statements.
pub(super) fn click_statement(i: In<'_>) -> R<'_, Statement<'_>> {
    let tooltip = || opt(string("a tooltip"));
    let target = || {
        opt(map(kind(TokKind::LinkTarget, "a link target"), |t| {
            t.text.clone()
        }))
    };
    let callback = map(
        preceded(
            kind(TokKind::Callback, "`callback`"),
            cut((
                class_name,
                string("a quoted callback function name"),
                tooltip(),
            )),
        ),
        |(n, f, t)| Statement::Callback(n, f, t),
    );
    let url = || kind(TokKind::Str, "a quoted URL");
    let link = map(
        preceded(
            kind(TokKind::Link, "`link`"),
            cut((class_name, url(), tooltip(), target())),
        ),
        |(n, u, t, g)| Statement::Link(n, u, t, g),
    );
    let call = map(
        (
            kind(TokKind::CallbackName, "`call`"),
            opt(kind(TokKind::CallbackArgs, "arguments")),
            tooltip(),
        ),
        |(f, args, t)| {
            let name = f.text.trim().to_string();
            let call = match args {
                Some(a) => format!("{name}({})", a.text),
                None => name,
            };
            ClickAction::Call(call, t)
        },
    );
    let href = map(
        preceded(
            kind(TokKind::Href, "`href`"),
            cut((url(), tooltip(), target())),
        ),
        |(u, t, g)| ClickAction::Href(u, t, g),
    );
    let click = map(
        preceded(
            kind(TokKind::Click, "`click`"),
            cut((class_name, alt((call, href, expected("`call` or `href`"))))),
        ),
        |(n, action)| match action {
            ClickAction::Call(f, tooltip) => Statement::Callback(n, f, tooltip),
            ClickAction::Href(url, tooltip, target) => Statement::Link(n, url, tooltip, target),
        },
    );
    alt((callback, link, click)).parse(i)
}

pub(super) fn statement(i: In<'_>) -> R<'_, Statement<'_>> {
    let single = token("a statement", |t: &Tok| {
        matches!(
            t.kind,
            TokKind::Direction(_) | TokKind::AccTitle | TokKind::AccDescr
        )
    });
    alt((
        map(single, |t| match t.kind {
            TokKind::Direction(d) => Statement::Direction(d),
            TokKind::AccTitle => Statement::AccTitle(t.text.clone()),
            _ => Statement::AccDescr(t.text.clone()),
        }),
        map(namespace_statement, Statement::Namespace),
        map(class_statement, Statement::Class),
        map(
            preceded(
                kind(TokKind::AnnotationStart, "`<<`"),
                cut((
                    name_piece("an annotation name"),
                    kind(TokKind::AnnotationEnd, "`>>`"),
                    class_name,
                )),
            ),
            |(a, _, n)| Statement::Annotation(a, n),
        ),
        click_statement,
        map(
            preceded(
                kind(TokKind::Style, "`style`"),
                cut((kind(TokKind::Alpha, "a class name"), styles)),
            ),
            |(id, s)| Statement::Style(id, s),
        ),
        map(
            preceded(
                kind(TokKind::CssClass, "`cssClass`"),
                cut((
                    kind(TokKind::Str, "a quoted list of class names"),
                    kind(TokKind::Alpha, "a style class name"),
                )),
            ),
            |(ids, c)| Statement::CssClass(ids, c.text.clone()),
        ),
        map(
            preceded(
                kind(TokKind::ClassDef, "`classDef`"),
                cut((
                    separated_list1(
                        kind(TokKind::Comma, "`,`"),
                        map(kind(TokKind::Alpha, "a style class name"), |t| {
                            t.text.clone()
                        }),
                    ),
                    styles,
                )),
            ),
            |(ids, s)| Statement::ClassDef(ids, s),
        ),
        map(note_statement, |(c, t)| Statement::Note(c, t)),
        relation_or_member,
        expected("a statement (a class, relation, member, namespace, note or style)"),
    ))
    .parse(i)
}

/// Reported syntax errors beyond which a diagram is not read further.
const MAX_REPORTED_ERRORS: usize = 10;

/// After `classDiagram`: a line break, then statements separated by line breaks. Returns the
/// statements read and every syntax error, in text order: a statement that cannot be read is
/// reported and skipped up to the next line break outside its braces, and reading resumes
/// there, so later mistakes are reported too.
pub(super) fn diagram(i: In<'_>) -> (Vec<Statement<'_>>, Vec<TokenError>) {
    let mut statements = Vec::new();
    let mut errors = Vec::new();
    let mut i = match alt((newline, expected("a line break after `classDiagram`"))).parse(i) {
        Ok((rest, _)) => rest,
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => return (statements, vec![e]),
        Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
    };
    loop {
        let error = match statement(i) {
            Ok((rest, read)) => {
                statements.push(read);
                let next = rest.first().map(|t| &t.kind);
                let after = rest.slice.get(1).map(|t| &t.kind);
                match (next, after) {
                    (None | Some(TokKind::Eof), _)
                    | (Some(TokKind::Newline), None | Some(TokKind::Eof)) => break,
                    (Some(TokKind::Newline), _) => {
                        i = rest.take_from(1);
                        continue;
                    }
                    _ => TokenError::at_start(rest, "end of line"),
                }
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => e,
            Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers only"),
        };
        let resumed = (errors.len() + 1 < MAX_REPORTED_ERRORS)
            .then(|| next_statement(i, error.at))
            .flatten();
        errors.push(error);
        match resumed {
            Some(rest) if rest.first().is_some_and(|t| t.kind != TokKind::Eof) => i = rest,
            _ => break,
        }
    }
    (statements, errors)
}

/// Where reading resumes after an error at token `at` in the statement starting `statement`:
/// after the first line break at or after the error that is outside the statement's braces
/// (a namespace or class body is skipped whole).
fn next_statement(statement: In<'_>, at: usize) -> Option<In<'_>> {
    let mut depth = 0usize;
    let mut index = statement.offset;
    resume_after(statement, statement.offset, |t| {
        match t.kind {
            TokKind::StructStart => depth += 1,
            TokKind::StructStop => depth = depth.saturating_sub(1),
            _ => {}
        }
        index += 1;
        t.kind == TokKind::Newline && depth == 0 && index > at
    })
}
