//! The ER grammar: nom combinators whose terminals are the lexer's tokens.

use super::lexer::*;
use super::*;
use crate::mermaid::jison_rules::TextError;
use nom::branch::alt;
use nom::combinator::{cut, map, opt};
use nom::multi::{many0, many1};
use nom::sequence::{delimited, preceded};
use nom::{Err as NomErr, IResult, Parser};

// ---------------------------------------------------------------------------------------------
// Grammar

pub(super) type Res<'a, T> = IResult<&'a str, T, TextError<'a>>;

#[derive(Clone, Copy)]
pub(super) enum Mode {
    Top,
    Block,
    Style,
}

pub(super) fn next(mode: Mode, input: &str) -> (Lexed<'_>, &str) {
    match mode {
        Mode::Top => lex_top(input),
        Mode::Block => lex_block(input),
        Mode::Style => lex_style(input),
    }
}

/// A terminal: the next token of `mode` when `accept` says so.
pub(super) fn token<'a>(
    mode: Mode,
    accept: impl Fn(Tok) -> bool,
    expected: &'static str,
) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    move |input| {
        let (lexed, rest) = next(mode, input);
        if accept(lexed.tok) {
            Ok((rest, lexed))
        } else {
            Err(NomErr::Error(TextError::at_token(
                &lexed,
                expected,
                lexed.tok == Tok::Eof,
            )))
        }
    }
}

pub(super) fn top<'a>(tok: Tok) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    token(Mode::Top, move |t| t == tok, tok.describe())
}

pub(super) fn unquote(text: &str) -> String {
    text.replace('"', "")
}

pub(super) fn entity_name(input: &str) -> Res<'_, Lexed<'_>> {
    token(
        Mode::Top,
        |t| {
            matches!(
                t,
                Tok::EntityName | Tok::UnicodeText | Tok::Num | Tok::DecimalNum | Tok::EntityOne
            )
        },
        "an entity name",
    )(input)
}

pub(super) fn cardinality(input: &str) -> Res<'_, Cardinality> {
    let (rest, lexed) = token(
        Mode::Top,
        |t| matches!(t, Tok::Card(_)),
        "a cardinality (`||`, `|o`, `}o`, `}|`, `one or more`, ...)",
    )(input)?;
    match lexed.tok {
        Tok::Card(c) => Ok((rest, c)),
        _ => unreachable!("token() accepted only cardinalities"),
    }
}

pub(super) fn identification(input: &str) -> Res<'_, Identification> {
    let (rest, lexed) = token(
        Mode::Top,
        |t| matches!(t, Tok::Rel(_)),
        "`--` (identifying) or `..` (non-identifying)",
    )(input)?;
    match lexed.tok {
        Tok::Rel(r) => Ok((rest, r)),
        _ => unreachable!("token() accepted only relation kinds"),
    }
}

/// `item {, item}`, a comma committing to another item.
pub(super) fn comma_list<'a, T>(
    item: impl Fn(&'a str) -> Res<'a, T> + Copy,
    comma: impl Fn(&'a str) -> Res<'a, Lexed<'a>>,
) -> impl FnMut(&'a str) -> Res<'a, Vec<T>> {
    let mut list = (item, many0(preceded(comma, cut(item))));
    move |input| {
        let (rest, (first, more)) = list.parse(input)?;
        Ok((rest, std::iter::once(first).chain(more).collect()))
    }
}

pub(super) fn style_comma(input: &str) -> Res<'_, Lexed<'_>> {
    token(Mode::Style, |t| t == Tok::Comma, "`,`")(input)
}

/// Class or entity names separated by commas (top level).
pub(super) fn id_list(input: &str) -> Res<'_, Vec<Lexed<'_>>> {
    comma_list(|i| top(Tok::UnicodeText)(i), top(Tok::Comma))(input)
}

/// Class or entity names after `style` and `classDef`.
pub(super) fn style_id_list(input: &str) -> Res<'_, Vec<Lexed<'_>>> {
    comma_list(
        |i| token(Mode::Style, |t| t == Tok::StyleText, "a name")(i),
        style_comma,
    )(input)
}

/// One style: its pieces (`fill`, `:`, `#`, `f9f`) joined.
pub(super) fn style(input: &str) -> Res<'_, String> {
    let piece = token(
        Mode::Style,
        |t| matches!(t, Tok::StyleText | Tok::Colon | Tok::Brkt),
        "a style such as `fill:#f9f`",
    );
    map(many1(piece), |pieces| {
        pieces.iter().map(|p| p.text).collect()
    })
    .parse(input)
}

/// Styles separated by commas, then the end of the statement: `;`, a line break or the end.
/// After `;` the style mode lasts until the line break, so nothing else may follow on the line.
pub(super) fn style_list(input: &str) -> Res<'_, Vec<String>> {
    let (rest, (styles, _)) = (
        comma_list(style, style_comma),
        alt((
            map(
                (
                    token(Mode::Style, |t| t == Tok::Semi, "`;`"),
                    cut(token(
                        Mode::Style,
                        |t| matches!(t, Tok::Newline | Tok::Eof),
                        "the end of the line after `;`",
                    )),
                ),
                |_| (),
            ),
            map(
                token(
                    Mode::Style,
                    |t| matches!(t, Tok::Newline | Tok::Eof),
                    "`,`, `;` or the end of the line",
                ),
                |_| (),
            ),
        )),
    )
        .parse(input)?;
    Ok((rest, styles))
}

/// One statement, as it appears in the model.
#[derive(Debug)]
pub(super) enum Statement<'a> {
    Entity {
        name: Lexed<'a>,
        alias: Option<Lexed<'a>>,
        classes: Vec<Lexed<'a>>,
        block: Option<Vec<Attribute>>,
    },
    Relationship {
        from: Lexed<'a>,
        from_classes: Vec<Lexed<'a>>,
        spec: (Cardinality, Identification, Cardinality),
        to: Lexed<'a>,
        to_classes: Vec<Lexed<'a>>,
        label: String,
        end: &'a str,
    },
    AccTitle(String),
    AccDescr(String),
    Direction(&'static str),
    ClassDef(Vec<Lexed<'a>>, Vec<String>),
    Class(Vec<Lexed<'a>>, Vec<Lexed<'a>>),
    Style(Vec<Lexed<'a>>, Vec<String>),
    Blank,
}

pub(super) fn class_suffix(input: &str) -> Res<'_, Vec<Lexed<'_>>> {
    preceded(top(Tok::StyleSeparator), cut(id_list)).parse(input)
}

/// A single-character token of the attribute block, such as the `,` between keys.
pub(super) fn block_char<'a>(
    c: char,
    expected: &'static str,
) -> impl Fn(&'a str) -> Res<'a, Lexed<'a>> {
    move |input| {
        let (lexed, rest) = lex_block(input);
        if lexed.tok == Tok::Char && lexed.text.starts_with(c) {
            Ok((rest, lexed))
        } else {
            Err(NomErr::Error(TextError::at_token(
                &lexed,
                expected,
                lexed.tok == Tok::Eof,
            )))
        }
    }
}

/// `type name [key {, key}] ["comment"]`.
pub(super) fn attribute(input: &str) -> Res<'_, Attribute> {
    let word = |what| token(Mode::Block, |t| t == Tok::AttributeWord, what);
    let key = || token(Mode::Block, |t| t == Tok::AttributeKey, "PK, FK or UK");
    let (rest, (ty, name, keys, comment)) = (
        word("an attribute type"),
        cut(word("an attribute name")),
        opt((key(), many0(preceded(block_char(',', "`,`"), cut(key()))))),
        opt(token(Mode::Block, |t| t == Tok::Comment, "a comment")),
    )
        .parse(input)?;
    let keys = keys
        .map(|(first, more)| {
            std::iter::once(first)
                .chain(more)
                .map(|k| k.text.to_string())
                .collect()
        })
        .unwrap_or_default();
    Ok((
        rest,
        Attribute {
            ty: ty.text.to_string(),
            name: name.text.to_string(),
            keys,
            comment: comment.map(|c| unquote(c.text)).filter(|c| !c.is_empty()),
        },
    ))
}

pub(super) fn block(input: &str) -> Res<'_, Vec<Attribute>> {
    preceded(
        top(Tok::BlockStart),
        cut(|i| {
            let (rest, attributes) = many0(attribute).parse(i)?;
            let (rest, _) = token(
                Mode::Block,
                |t| t == Tok::BlockStop,
                "an attribute (type then name) or `}`",
            )(rest)?;
            Ok((rest, attributes))
        }),
    )
    .parse(input)
}

/// What follows the first entity of a relationship: spec, second entity, its classes, label.
pub(super) type RelationshipTail<'a> = (
    (Cardinality, Identification, Cardinality),
    Lexed<'a>,
    Vec<Lexed<'a>>,
    String,
);

pub(super) fn relationship_tail<'a>(input: &'a str) -> Res<'a, RelationshipTail<'a>> {
    let (rest, left) = cardinality(input)?;
    cut(move |i: &'a str| {
        let (rest, kind) = identification(i)?;
        let (rest, right) = cardinality(rest)?;
        let (rest, to) = entity_name(rest)?;
        let (rest, to_classes) = opt(class_suffix).parse(rest)?;
        let (rest, _) = top(Tok::Colon)(rest)?;
        let (rest, label) = token(
            Mode::Top,
            |t| matches!(t, Tok::Word | Tok::EntityName | Tok::UnicodeText),
            "a relationship label (a word or a quoted text)",
        )(rest)?;
        let label = if label.tok == Tok::UnicodeText {
            label.text.to_string()
        } else {
            unquote(label.text)
        };
        Ok((
            rest,
            (
                (left, kind, right),
                to,
                to_classes.unwrap_or_default(),
                label,
            ),
        ))
    })
    .parse(rest)
}

pub(super) fn entity_statement(input: &str) -> Res<'_, Statement<'_>> {
    let (rest, name) = entity_name(input)?;
    let (rest, alias) = opt(delimited(
        top(Tok::Sqs),
        cut(entity_name),
        cut(top(Tok::Sqe)),
    ))
    .parse(rest)?;
    let (rest, classes) = opt(class_suffix).parse(rest)?;
    let classes = classes.unwrap_or_default();
    if alias.is_none() {
        if let (after, Some((spec, to, to_classes, label))) = opt(relationship_tail).parse(rest)? {
            return Ok((
                after,
                Statement::Relationship {
                    from: name,
                    from_classes: classes,
                    spec,
                    to,
                    to_classes,
                    label,
                    end: after,
                },
            ));
        }
    }
    let (rest, block) = opt(block).parse(rest)?;
    Ok((
        rest,
        Statement::Entity {
            name,
            alias,
            classes,
            block,
        },
    ))
}

/// Text up to the end of the line, trimmed (accessibility values).
pub(super) fn rest_of_line(input: &str) -> (&str, String) {
    let end = input.find('\n').unwrap_or(input.len());
    (&input[end..], input[..end].trim().to_string())
}

pub(super) fn accessibility(input: &str) -> Res<'_, Statement<'_>> {
    let (rest, lexed) = token(
        Mode::Top,
        |t| matches!(t, Tok::AccTitle | Tok::AccDescr | Tok::AccDescrMultiline),
        "an accessibility statement",
    )(input)?;
    Ok(match lexed.tok {
        Tok::AccTitle => {
            let (rest, value) = rest_of_line(rest);
            (rest, Statement::AccTitle(value))
        }
        Tok::AccDescr => {
            let (rest, value) = rest_of_line(rest);
            (rest, Statement::AccDescr(value))
        }
        _ => {
            let Some(end) = rest.find('}') else {
                return Err(NomErr::Failure(TextError::in_text(
                    &rest[rest.len()..],
                    0,
                    "`}` closing `accDescr {`",
                    true,
                )));
            };
            let value = rest[..end].trim().to_string();
            (&rest[end + 1..], Statement::AccDescr(value))
        }
    })
}

pub(super) fn statement(input: &str) -> Res<'_, Statement<'_>> {
    alt((
        map(top(Tok::Newline), |_| Statement::Blank),
        accessibility,
        map(
            token(Mode::Top, |t| matches!(t, Tok::Direction(_)), "a direction"),
            |l| match l.tok {
                Tok::Direction(d) => Statement::Direction(d),
                _ => unreachable!("token() accepted only directions"),
            },
        ),
        map(
            preceded(top(Tok::ClassDef), cut((style_id_list, style_list))),
            |(ids, styles)| Statement::ClassDef(ids, styles),
        ),
        map(
            preceded(top(Tok::Style), cut((style_id_list, style_list))),
            |(ids, styles)| Statement::Style(ids, styles),
        ),
        map(
            preceded(top(Tok::Class), cut((id_list, id_list))),
            |(ids, classes)| Statement::Class(ids, classes),
        ),
        entity_statement,
    ))
    .parse(input)
}
