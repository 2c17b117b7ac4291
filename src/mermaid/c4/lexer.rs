//! The C4 lexer: the tokens of the top level, in mermaid's rule order.

use crate::mermaid::jison_rules::{self as lex, is_js_space};

// ---------------------------------------------------------------------------------------------
// Tokens of the top level

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Macro {
    Element(&'static str),
    Container(&'static str),
    Component(&'static str),
    /// Boundary keyword; the type mermaid inserts as third argument, if any.
    Boundary(Option<&'static str>),
    /// Deployment node of the given node type.
    Node(&'static str),
    Rel(&'static str),
    RelIndex,
    UpdateElementStyle,
    UpdateRelStyle,
    UpdateLayoutConfig,
}

/// Macro keywords in the lexer's order (a keyword must end at a word boundary).
pub(super) const MACROS: &[(&str, Macro)] = &[
    ("Person_Ext", Macro::Element("external_person")),
    ("Person", Macro::Element("person")),
    ("SystemQueue_Ext", Macro::Element("external_system_queue")),
    ("SystemDb_Ext", Macro::Element("external_system_db")),
    ("System_Ext", Macro::Element("external_system")),
    ("SystemQueue", Macro::Element("system_queue")),
    ("SystemDb", Macro::Element("system_db")),
    ("System", Macro::Element("system")),
    ("Boundary", Macro::Boundary(None)),
    ("Enterprise_Boundary", Macro::Boundary(Some("ENTERPRISE"))),
    ("System_Boundary", Macro::Boundary(Some("SYSTEM"))),
    (
        "ContainerQueue_Ext",
        Macro::Container("external_container_queue"),
    ),
    ("ContainerDb_Ext", Macro::Container("external_container_db")),
    ("Container_Ext", Macro::Container("external_container")),
    ("ContainerQueue", Macro::Container("container_queue")),
    ("ContainerDb", Macro::Container("container_db")),
    ("Container", Macro::Container("container")),
    ("Container_Boundary", Macro::Boundary(Some("CONTAINER"))),
    (
        "ComponentQueue_Ext",
        Macro::Component("external_component_queue"),
    ),
    ("ComponentDb_Ext", Macro::Component("external_component_db")),
    ("Component_Ext", Macro::Component("external_component")),
    ("ComponentQueue", Macro::Component("component_queue")),
    ("ComponentDb", Macro::Component("component_db")),
    ("Component", Macro::Component("component")),
    ("Deployment_Node", Macro::Node("node")),
    ("Node", Macro::Node("node")),
    ("Node_L", Macro::Node("nodeL")),
    ("Node_R", Macro::Node("nodeR")),
    ("Rel", Macro::Rel("rel")),
    ("BiRel", Macro::Rel("birel")),
    ("Rel_Up", Macro::Rel("rel_u")),
    ("Rel_U", Macro::Rel("rel_u")),
    ("Rel_Down", Macro::Rel("rel_d")),
    ("Rel_D", Macro::Rel("rel_d")),
    ("Rel_Left", Macro::Rel("rel_l")),
    ("Rel_L", Macro::Rel("rel_l")),
    ("Rel_Right", Macro::Rel("rel_r")),
    ("Rel_R", Macro::Rel("rel_r")),
    ("Rel_Back", Macro::Rel("rel_b")),
    ("RelIndex", Macro::RelIndex),
    ("UpdateElementStyle", Macro::UpdateElementStyle),
    ("UpdateRelStyle", Macro::UpdateRelStyle),
    ("UpdateLayoutConfig", Macro::UpdateLayoutConfig),
];

pub(super) const DIAGRAM_KEYWORDS: [&str; 5] = [
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    Direction,
    Title,
    AccDescription,
    AccTitle,
    AccDescr,
    AccDescrMultiline,
    Newline,
    DiagramKeyword,
    Macro(Macro),
    LBrace,
    RBrace,
    /// Text no top-level rule matches.
    Unrecognized,
    Eof,
}

pub(super) type Lexed<'a> = lex::Lexed<'a, Tok>;

pub(super) fn is_word_at(text: &str, word: &str) -> bool {
    text.starts_with(word) && lex::word_boundary_at(text, word.len())
}

/// The `direction` rule (case-sensitive here): anything on the line, `direction`, blanks and a
/// direction; the token runs to the end of that line.
pub(super) fn direction_len(rest: &str) -> Option<usize> {
    if !lex::line_may_hold_direction(rest) {
        return None;
    }
    let line_end = rest
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .unwrap_or(rest.len());
    let line = &rest[..line_end];
    for (at, _) in line.match_indices("direction") {
        let after = &rest[at + "direction".len()..];
        let spaces = lex::run_len(after, is_js_space);
        if spaces > 0
            && ["TB", "BT", "RL", "LR"]
                .iter()
                .any(|d| after[spaces..].starts_with(d))
        {
            let value_end = at + "direction".len() + spaces + 2;
            return Some(
                rest[value_end..]
                    .find('\n')
                    .map_or(rest.len(), |e| value_end + e),
            );
        }
    }
    None
}

/// `keyword` + one blank + at least one character other than `#`, `;` and a line end.
pub(super) fn text_line_len(rest: &str, keyword: &str) -> Option<usize> {
    let after = rest.strip_prefix(keyword)?;
    let blank = after.chars().next().filter(|&c| is_js_space(c))?;
    let value = lex::run_len(&after[blank.len_utf8()..], |c| {
        !matches!(c, '#' | '\n' | ';')
    });
    (value > 0).then_some(keyword.len() + blank.len_utf8() + value)
}

/// One top-level token, skipping blanks and `%%` comments.
pub(super) fn lex_top(input: &str) -> (Lexed<'_>, &str) {
    let mut rest = input;
    loop {
        let (tok, len) = top_rule(rest);
        match tok {
            Some(tok) => return Lexed::split(tok, rest, len),
            None => rest = &rest[len..],
        }
    }
}

pub(super) fn top_rule(rest: &str) -> (Option<Tok>, usize) {
    if let Some(len) = direction_len(rest) {
        return (Some(Tok::Direction), len);
    }
    if let Some(len) = text_line_len(rest, "title") {
        return (Some(Tok::Title), len);
    }
    if let Some(len) = text_line_len(rest, "accDescription") {
        return (Some(Tok::AccDescription), len);
    }
    if let Some(len) = lex::acc_keyword(rest, "accTitle", ':', false) {
        return (Some(Tok::AccTitle), len);
    }
    if let Some(len) = lex::acc_keyword(rest, "accDescr", ':', false) {
        return (Some(Tok::AccDescr), len);
    }
    if let Some(len) = lex::acc_keyword(rest, "accDescr", '{', false) {
        return (Some(Tok::AccDescrMultiline), len);
    }
    if rest.starts_with("%%") {
        // A comment runs to the end of its line and takes the line breaks after it.
        let line = rest.find('\n').unwrap_or(rest.len());
        let breaks = lex::run_len(&rest[line..], |c| c == '\n');
        return (None, line + breaks);
    }
    let blanks = lex::run_len(rest, is_js_space);
    if let Some(last_break) = rest[..blanks].rfind('\n') {
        return (Some(Tok::Newline), last_break + 1);
    }
    if blanks > 0 {
        return (None, blanks);
    }
    if rest.is_empty() {
        return (Some(Tok::Eof), 0);
    }
    for keyword in DIAGRAM_KEYWORDS {
        if is_word_at(rest, keyword) {
            return (Some(Tok::DiagramKeyword), keyword.len());
        }
    }
    for &(keyword, kind) in MACROS {
        if is_word_at(rest, keyword) {
            return (Some(Tok::Macro(kind)), keyword.len());
        }
    }
    match rest.as_bytes()[0] {
        b'{' => (Some(Tok::LBrace), 1),
        b'}' => (Some(Tok::RBrace), 1),
        _ => {
            let len = rest.chars().next().map_or(0, char::len_utf8);
            (Some(Tok::Unrecognized), len)
        }
    }
}
