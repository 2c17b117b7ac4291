//! The class diagram lexer. As in mermaid, lexing is modal: after `class` a name and an
//! optional body follow, inside `{ ... }` every line is one member, inside `namespace X { ... }`
//! only class statements and notes are read. Tokens are produced on demand; small recognisers
//! are nom parsers.

use crate::mermaid::jison_rules::{accessibility, is_js_word_byte, ModeStack, TextToken};
use nom::bytes::complete::{tag, take_while1};
use nom::{IResult, Parser};

/// The relation ends (`<|`, `*`, `o`, `<`/`>`, `()`), numbered as mermaid numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationEnd {
    Aggregation,
    Extension,
    Composition,
    Dependency,
    Lollipop,
}

impl RelationEnd {
    pub fn code(self) -> u32 {
        match self {
            RelationEnd::Aggregation => 0,
            RelationEnd::Extension => 1,
            RelationEnd::Composition => 2,
            RelationEnd::Dependency => 3,
            RelationEnd::Lollipop => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokKind {
    Newline,
    Eof,
    /// `direction TB` (and the rest of its line).
    Direction(&'static str),
    AccTitle,
    AccDescr,
    /// A double-quoted string (the text between the quotes).
    Str,
    /// A back-quoted name.
    BqStr,
    /// `~T~` (the text between the tildes).
    Generic,
    Style,
    ClassDef,
    Namespace,
    Class,
    StructStart,
    StructStop,
    /// One line of a class body.
    Member,
    CssClass,
    Callback,
    Link,
    Click,
    NoteFor,
    Note,
    AnnotationStart,
    AnnotationEnd,
    Href,
    LinkTarget,
    CallbackName,
    CallbackArgs,
    RelationEnd(RelationEnd),
    Line,
    DottedLine,
    /// `: text` (the text includes the colon).
    Label,
    StyleSeparator,
    Minus,
    Dot,
    Colon,
    Comma,
    Hash,
    Percent,
    /// A word of letters, digits and underscores.
    Alpha,
    /// One non-ASCII letter.
    Unicode,
    SquareOpen,
    SquareClose,
    /// A `"` or `~` that nothing closes.
    Unclosed,
    /// Characters the grammar never accepts (`+`, `=`, `!`, `{` inside a body, `[*]`, ...).
    Other,
}

impl TokKind {
    pub fn describe(&self) -> String {
        let s = match self {
            TokKind::Newline => "end of line",
            TokKind::Eof => "end of diagram",
            TokKind::Direction(_) => "`direction`",
            TokKind::AccTitle => "`accTitle`",
            TokKind::AccDescr => "`accDescr`",
            TokKind::Str => "a string",
            TokKind::BqStr => "a back-quoted name",
            TokKind::Generic => "a generic type `~T~`",
            TokKind::Style => "`style`",
            TokKind::ClassDef => "`classDef`",
            TokKind::Namespace => "`namespace`",
            TokKind::Class => "`class`",
            TokKind::StructStart => "`{`",
            TokKind::StructStop => "`}`",
            TokKind::Member => "a member",
            TokKind::CssClass => "`cssClass`",
            TokKind::Callback => "`callback`",
            TokKind::Link => "`link`",
            TokKind::Click => "`click`",
            TokKind::NoteFor => "`note for`",
            TokKind::Note => "`note`",
            TokKind::AnnotationStart => "`<<`",
            TokKind::AnnotationEnd => "`>>`",
            TokKind::Href => "`href`",
            TokKind::LinkTarget => "a link target",
            TokKind::CallbackName => "a callback name",
            TokKind::CallbackArgs => "callback arguments",
            TokKind::RelationEnd(_) => "a relation end",
            TokKind::Line => "`--`",
            TokKind::DottedLine => "`..`",
            TokKind::Label => "a `:` label",
            TokKind::StyleSeparator => "`:::`",
            TokKind::Minus => "`-`",
            TokKind::Dot => "`.`",
            TokKind::Colon => "`:`",
            TokKind::Comma => "`,`",
            TokKind::Hash => "`#`",
            TokKind::Percent => "`%`",
            TokKind::Alpha | TokKind::Unicode => "a name",
            TokKind::SquareOpen => "`[`",
            TokKind::SquareClose => "`]`",
            TokKind::Unclosed => "an unclosed quote",
            TokKind::Other => "unexpected text",
        };
        s.to_string()
    }
}

pub type Tok = TextToken<TokKind>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    Class,
    ClassBody,
    Namespace,
    NamespaceBody,
}

pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    modes: ModeStack<Mode>,
    /// Where a `;` is dropped (mermaid removes the last `;` of `style`/`classDef` lines that
    /// contain a colour).
    dropped_semicolons: Vec<usize>,
    /// Every `direction XX` in the text: where its line starts, where the word starts, where
    /// its line ends, and the direction. Found once, so that lexing stays linear.
    directions: Vec<DirectionAt>,
    /// Callback arguments still to be returned: start, length, whether `)` closes them.
    pending_args: Option<(usize, usize, bool)>,
}

fn word(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_').parse(input)
}

/// A literal keyword followed by a word boundary (mermaid's lexer adds one to words).
fn keyword<'i>(input: &'i str, kw: &str) -> bool {
    let res: IResult<&'i str, &'i str> = tag(kw).parse(input);
    match res {
        Ok((rest, _)) => {
            !kw.as_bytes().last().is_some_and(|b| is_js_word_byte(*b))
                || !rest.as_bytes().first().is_some_and(|b| is_js_word_byte(*b))
        }
        Err(_) => false,
    }
}

/// The length of `\s*(\r?\n)+` at the start of `s` (whitespace, then at least one line
/// break), or 0.
fn newline_run(s: &str) -> usize {
    let ws_end = s
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(s.len(), |(i, _)| i);
    // The run ends after the last line break within the leading whitespace.
    s[..ws_end].rfind('\n').map_or(0, |i| i + 1)
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, start: usize) -> Lexer<'a> {
        let mut dropped_semicolons = Vec::new();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if (trimmed.starts_with("style") || trimmed.starts_with("classDef"))
                && line.contains('#')
                && line.contains(':')
            {
                if let Some(semi) = line.rfind(';') {
                    dropped_semicolons.push(line_start + semi);
                }
            }
            line_start += line.len();
        }
        let mut directions = Vec::new();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            let mut search = 0;
            while let Some(at) = content[search..].find("direction") {
                let word = search + at;
                if let Some(dir) = direction_after(&content[word + 9..]) {
                    directions.push(DirectionAt {
                        line_start,
                        word: line_start + word,
                        line_end: line_start + content.len(),
                        dir,
                    });
                }
                search = word + 9;
            }
            line_start += line.len();
        }
        Lexer {
            text,
            directions,
            pos: start,
            modes: ModeStack::new(Mode::Initial, Mode::Initial),
            dropped_semicolons,
            pending_args: None,
        }
    }

    fn tok(&mut self, kind: TokKind, len: usize, text: impl Into<String>) -> Tok {
        Tok::consume(kind, &mut self.pos, len, text)
    }

    pub fn next_token(&mut self) -> Tok {
        loop {
            if let Some(t) = self.next_or_skip() {
                return t;
            }
        }
    }

    /// One lexing step: a token, or `None` after skipping something.
    fn next_or_skip(&mut self) -> Option<Tok> {
        if let Some((start, len, closed)) = self.pending_args.take() {
            self.pos = start;
            let args = self.text[start..start + len].to_string();
            let tok = self.tok(TokKind::CallbackArgs, len, args);
            self.pos += usize::from(closed);
            return Some(tok);
        }
        let rest = &self.text[self.pos..];
        let mode = self.modes.current();
        if rest.is_empty() {
            return Some(self.tok(TokKind::Eof, 0, ""));
        }
        if self.dropped_semicolons.binary_search(&self.pos).is_ok() {
            self.pos += 1;
            return None;
        }
        if mode == Mode::ClassBody {
            return self.class_body(rest);
        }
        if mode == Mode::Initial {
            if let Some(t) = self.initial_only(rest) {
                return t;
            }
        } else {
            let run = newline_run(rest);
            if run > 0 {
                if mode != Mode::NamespaceBody {
                    self.modes.pop();
                }
                return Some(self.tok(TokKind::Newline, run, ""));
            }
            let ws = rest.len() - rest.trim_start().len();
            if ws > 0 {
                self.pos += ws;
                return None;
            }
        }
        let rest = &self.text[self.pos..];
        if let Some(body) = rest.strip_prefix('"') {
            return self.quoted(body, '"', TokKind::Str);
        }
        if mode == Mode::Initial {
            if keyword(rest, "style") {
                return Some(self.tok(TokKind::Style, 5, "style"));
            }
            if keyword(rest, "classDef") {
                return Some(self.tok(TokKind::ClassDef, 8, "classDef"));
            }
        }
        if mode != Mode::Class && keyword(rest, "namespace") {
            self.modes.push(Mode::Namespace);
            return Some(self.tok(TokKind::Namespace, 9, "namespace"));
        }
        match mode {
            Mode::Initial | Mode::NamespaceBody if keyword(rest, "class") => {
                self.modes.push(Mode::Class);
                return Some(self.tok(TokKind::Class, 5, "class"));
            }
            Mode::Namespace if rest.starts_with('{') => {
                self.modes.push(Mode::NamespaceBody);
                return Some(self.tok(TokKind::StructStart, 1, "{"));
            }
            Mode::Namespace if rest.starts_with('}') => {
                // Leave the namespace header and read the brace again.
                self.modes.pop();
                return None;
            }
            Mode::NamespaceBody if rest.starts_with('}') => {
                self.modes.pop();
                return Some(self.tok(TokKind::StructStop, 1, "}"));
            }
            Mode::NamespaceBody if rest.starts_with("[*]") => {
                return Some(self.tok(TokKind::Other, 3, "[*]"));
            }
            Mode::Class if rest.starts_with('}') => {
                self.modes.pop();
                self.modes.pop();
                return Some(self.tok(TokKind::StructStop, 1, "}"));
            }
            Mode::Class if rest.starts_with('{') => {
                self.modes.push(Mode::ClassBody);
                return Some(self.tok(TokKind::StructStart, 1, "{"));
            }
            _ => {}
        }
        self.common(rest, mode)
    }

    /// Rules of the default mode that come before the shared ones. `Some(None)` = skipped.
    /// mermaid's `.*direction\s+XX[^\n]*`: a `direction XX` later on the current line makes
    /// the rest of the line a direction token (rules tried in the order TB, BT, RL, LR).
    fn direction_here(&self) -> Option<(&'static str, usize)> {
        let first = self.directions.partition_point(|d| d.word < self.pos);
        let on_this_line = self.directions[first..]
            .iter()
            .take_while(|d| d.line_start <= self.pos);
        let mut best: Option<&DirectionAt> = None;
        for d in on_this_line {
            let rank = |x: &str| ["TB", "BT", "RL", "LR"].iter().position(|r| *r == x);
            if best.is_none_or(|b| rank(d.dir) < rank(b.dir)) {
                best = Some(d);
            }
        }
        best.map(|d| (d.dir, d.line_end - self.pos))
    }

    fn initial_only(&mut self, rest: &str) -> Option<Option<Tok>> {
        if let Some((dir, len)) = self.direction_here() {
            return Some(Some(self.tok(TokKind::Direction(dir), len, dir)));
        }
        if rest.starts_with("%%") {
            let line_len = rest.find('\n').unwrap_or(rest.len());
            // A comment runs to the end of its line and takes the line breaks after it.
            let after = &rest[line_len..];
            let breaks = after.len() - after.trim_start_matches('\n').len();
            self.pos += line_len + breaks;
            return Some(None);
        }
        if let Some(acc) = accessibility(rest, false) {
            let (descr, len, value) = acc.whole(rest);
            let kind = if descr {
                TokKind::AccDescr
            } else {
                TokKind::AccTitle
            };
            return Some(Some(self.tok(kind, len, value)));
        }
        let run = newline_run(rest);
        if run > 0 {
            return Some(Some(self.tok(TokKind::Newline, run, "")));
        }
        let ws = rest.len() - rest.trim_start().len();
        if ws > 0 {
            self.pos += ws;
            return Some(None);
        }
        if rest.starts_with("[*]") {
            return Some(Some(self.tok(TokKind::Other, 3, "[*]")));
        }
        if let Some(after) = rest.strip_prefix("call") {
            let ws = after.len() - after.trim_start().len();
            if ws > 0 {
                return Some(Some(self.callback(4 + ws)));
            }
        }
        None
    }

    /// `call name(args)`: the name, then the arguments as one more token when present.
    fn callback(&mut self, skip: usize) -> Tok {
        self.pos += skip;
        let rest = &self.text[self.pos..];
        let name_len = rest.find('(').unwrap_or(rest.len());
        let name_tok = self.tok(TokKind::CallbackName, name_len, &rest[..name_len]);
        let rest = &self.text[self.pos..];
        if let Some(after) = rest.strip_prefix('(') {
            let close = after.find(')');
            let args_len = close.unwrap_or(after.len());
            let args = &after[..args_len];
            if args.trim().is_empty() {
                self.pos += 1 + args_len + usize::from(close.is_some());
            } else {
                // Arguments become a token of their own, read on the next call.
                self.pending_args = Some((self.pos + 1, args_len, close.is_some()));
                self.pos += 1;
            }
        }
        name_tok
    }

    fn quoted(&mut self, body: &str, quote: char, kind: TokKind) -> Option<Tok> {
        let Some(len) = body.find(quote) else {
            // mermaid's lexer keeps returning empty strings at the end of the text.
            return Some(self.tok(TokKind::Unclosed, 1, quote.to_string()));
        };
        let close = Some(len);
        let value = body[..len].to_string();
        let consumed = 1 + len + usize::from(close.is_some());
        if value.is_empty() {
            // mermaid makes no token of an empty string.
            self.pos += consumed;
            return None;
        }
        Some(self.tok(kind, consumed, value))
    }

    fn class_body(&mut self, rest: &str) -> Option<Tok> {
        if let Some(body) = rest.strip_prefix('"') {
            return self.quoted(body, '"', TokKind::Str);
        }
        if rest.starts_with('}') {
            self.modes.pop();
            return Some(self.tok(TokKind::StructStop, 1, "}"));
        }
        if rest.starts_with("[*]") {
            return Some(self.tok(TokKind::Other, 3, "[*]"));
        }
        if rest.starts_with('{') {
            return Some(self.tok(TokKind::Other, 1, "{"));
        }
        if rest.starts_with('\n') {
            self.pos += 1;
            return None;
        }
        let len = rest.find(['{', '}', '\n']).unwrap_or(rest.len());
        Some(self.tok(TokKind::Member, len, &rest[..len]))
    }

    /// The rules every mode shares.
    fn common(&mut self, rest: &str, mode: Mode) -> Option<Tok> {
        const WORDS: &[(&str, TokKind)] = &[
            ("cssClass", TokKind::CssClass),
            ("callback", TokKind::Callback),
            ("link", TokKind::Link),
            ("click", TokKind::Click),
            ("note for", TokKind::NoteFor),
            ("note", TokKind::Note),
        ];
        for (w, kind) in WORDS {
            if keyword(rest, w) {
                return Some(self.tok(kind.clone(), w.len(), *w));
            }
        }
        if rest.starts_with("<<") {
            return Some(self.tok(TokKind::AnnotationStart, 2, "<<"));
        }
        if rest.starts_with(">>") {
            return Some(self.tok(TokKind::AnnotationEnd, 2, ">>"));
        }
        if keyword(rest, "href") {
            return Some(self.tok(TokKind::Href, 4, "href"));
        }
        if let Some(body) = rest.strip_prefix('~') {
            let Some(len) = body.find('~') else {
                return Some(self.tok(TokKind::Unclosed, 1, "~"));
            };
            let close = Some(len);
            let consumed = 1 + len + usize::from(close.is_some());
            if len == 0 {
                self.pos += consumed;
                return None;
            }
            return Some(self.tok(TokKind::Generic, consumed, &body[..len]));
        }
        if let Some(body) = rest.strip_prefix('`') {
            let close = body.find('`');
            let len = close.unwrap_or(body.len());
            let consumed = 1 + len + usize::from(close.is_some());
            if len == 0 {
                self.pos += consumed;
                return None;
            }
            return Some(self.tok(TokKind::BqStr, consumed, &body[..len]));
        }
        for target in ["_self", "_blank", "_parent", "_top"] {
            if keyword(rest, target) {
                return Some(self.tok(TokKind::LinkTarget, target.len(), target));
            }
        }
        for (spelling, end) in [
            ("<|", RelationEnd::Extension),
            ("|>", RelationEnd::Extension),
            (">", RelationEnd::Dependency),
            ("<", RelationEnd::Dependency),
            ("*", RelationEnd::Composition),
        ] {
            if rest.starts_with(spelling) {
                return Some(self.tok(TokKind::RelationEnd(end), spelling.len(), spelling));
            }
        }
        if keyword(rest, "o") {
            return Some(self.tok(TokKind::RelationEnd(RelationEnd::Aggregation), 1, "o"));
        }
        if rest.starts_with("()") {
            return Some(self.tok(TokKind::RelationEnd(RelationEnd::Lollipop), 2, "()"));
        }
        if rest.starts_with("--") {
            return Some(self.tok(TokKind::Line, 2, "--"));
        }
        if rest.starts_with("..") {
            return Some(self.tok(TokKind::DottedLine, 2, ".."));
        }
        if let Some(after) = rest.strip_prefix(':') {
            let len = label_len(after);
            if len > 0 {
                return Some(self.tok(TokKind::Label, 1 + len, &rest[..1 + len]));
            }
            if rest.starts_with(":::") {
                return Some(self.tok(TokKind::StyleSeparator, 3, ":::"));
            }
        }
        let first = rest.chars().next().unwrap_or(' ');
        let single = |kind| (kind, first.len_utf8());
        let (kind, len) = match first {
            '-' => single(TokKind::Minus),
            '.' => single(TokKind::Dot),
            ':' if mode == Mode::Initial => single(TokKind::Colon),
            ',' if mode == Mode::Initial => single(TokKind::Comma),
            '#' if mode == Mode::Initial => single(TokKind::Hash),
            '%' => single(TokKind::Percent),
            '[' => single(TokKind::SquareOpen),
            ']' => single(TokKind::SquareClose),
            _ => {
                if let Ok((_, w)) = word(rest) {
                    (TokKind::Alpha, w.len())
                } else if first.is_alphabetic() {
                    // One letter per token, as in mermaid (names join them again).
                    single(TokKind::Unicode)
                } else {
                    single(TokKind::Other)
                }
            }
        };
        let text = rest[..len].to_string();
        Some(self.tok(kind, len, text))
    }
}

/// The length of a `: label` after its colon: up to `:`, `;` or a line break, where an entity
/// such as `#amp;` is text (mermaid encodes entities before lexing).
fn label_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b':' | b'\n' | b';' => break,
            b'#' => {
                let word = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                if word > 0 && b.get(i + 1 + word) == Some(&b';') {
                    i += word + 2;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    i
}

/// A `direction` statement found by [`Lexer::new`].
struct DirectionAt {
    line_start: usize,
    word: usize,
    line_end: usize,
    dir: &'static str,
}

/// The direction after the word `direction`: whitespace, then TB, BT, RL or LR.
fn direction_after(after: &str) -> Option<&'static str> {
    let trimmed = after.trim_start();
    if trimmed.len() == after.len() {
        return None;
    }
    ["TB", "BT", "RL", "LR"]
        .into_iter()
        .find(|d| trimmed.starts_with(d))
}
