//! The flowchart lexer. Mermaid's flowchart lexer is modal (node text, edge text, strings,
//! `click` arguments, shape data each have their own rules) and picks the FIRST rule that
//! matches, not the longest; so does this one. The modes are driven by the lexer alone, which
//! lets us tokenize the whole diagram before parsing.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, one_of};
use nom::combinator::{opt, recognize};
use nom::multi::many1_count;
use nom::{IResult, Parser};
use std::collections::BTreeSet;

use crate::mermaid::jison_rules::{
    accessibility, entity_len, first_keyword, is_js_word, keyword_at, lex_all, AccessibilityKinds,
    DirectionLines, ModeStack, SpanToken,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    AccTitle,
    AccDescr,
    /// The value after `accTitle:` / `accDescr:` (rest of the line).
    AccValue,
    /// The body of `accDescr { ... }`.
    AccDescrBlock,
    /// `@{ ... }`; the token's `value` holds the data as mermaid assembles it.
    ShapeData,
    /// A `"..."` string; the range is the content.
    Str,
    /// A ``"`...`"`` markdown string; the range is the content.
    MdStr,
    Style,
    Default,
    LinkStyle,
    Interpolate,
    ClassDef,
    Class,
    Href,
    /// `click <id>`: the range is the id.
    Click,
    CallbackName,
    CallbackArgs,
    Graph,
    Dir,
    NoDir,
    Subgraph,
    End,
    LinkTarget,
    /// A `direction XX` line; `value` holds the direction.
    Direction,
    LinkId,
    Num,
    Brkt,
    StyleSep,
    Colon,
    Amp,
    Semi,
    Comma,
    Mult,
    Link,
    StartLink,
    EdgeText,
    EllipseStart,
    EllipseEnd,
    Text,
    StadiumStart,
    StadiumEnd,
    SubroutineStart,
    SubroutineEnd,
    PropsStart,
    TagEnd,
    CylinderStart,
    CylinderEnd,
    DoubleCircleStart,
    DoubleCircleEnd,
    TrapStart,
    InvTrapStart,
    TrapEnd,
    InvTrapEnd,
    TagStart,
    Up,
    Sep,
    Down,
    NodeString,
    Minus,
    Unicode,
    Pipe,
    Ps,
    Pe,
    Sqs,
    Sqe,
    DiamondStart,
    DiamondStop,
    Newline,
    Space,
    Eof,
    /// Text no rule of the current mode recognises.
    Unrecognized,
    /// A `"` whose string runs to the end of the diagram.
    UnclosedString,
}

impl Tok {
    /// How an error message names the token.
    pub fn describe(self) -> &'static str {
        match self {
            Tok::AccTitle => "`accTitle:`",
            Tok::AccDescr => "`accDescr:`",
            Tok::AccValue => "accessibility text",
            Tok::AccDescrBlock => "`accDescr { ... }`",
            Tok::ShapeData => "`@{ ... }` shape data",
            Tok::Str => "a quoted string",
            Tok::MdStr => "a markdown string",
            Tok::Style => "`style`",
            Tok::Default => "`default`",
            Tok::LinkStyle => "`linkStyle`",
            Tok::Interpolate => "`interpolate`",
            Tok::ClassDef => "`classDef`",
            Tok::Class => "`class`",
            Tok::Href => "`href`",
            Tok::Click => "`click`",
            Tok::CallbackName => "a callback name",
            Tok::CallbackArgs => "callback arguments",
            Tok::Graph => "a diagram keyword",
            Tok::Dir => "a direction",
            Tok::NoDir => "a line break",
            Tok::Subgraph => "`subgraph`",
            Tok::End => "`end`",
            Tok::LinkTarget => "a link target",
            Tok::Direction => "a `direction` statement",
            Tok::LinkId => "an edge id",
            Tok::Num => "a number",
            Tok::Brkt => "`#`",
            Tok::StyleSep => "`:::`",
            Tok::Colon => "`:`",
            Tok::Amp => "`&`",
            Tok::Semi => "`;`",
            Tok::Comma => "`,`",
            Tok::Mult => "`*`",
            Tok::Link => "a link",
            Tok::StartLink => "the start of a labelled link",
            Tok::EdgeText => "link text",
            Tok::EllipseStart => "`(-`",
            Tok::EllipseEnd => "`-)`",
            Tok::Text => "text",
            Tok::StadiumStart => "`([`",
            Tok::StadiumEnd => "`])`",
            Tok::SubroutineStart => "`[[`",
            Tok::SubroutineEnd => "`]]`",
            Tok::PropsStart => "`[|`",
            Tok::TagEnd => "`>`",
            Tok::CylinderStart => "`[(`",
            Tok::CylinderEnd => "`)]`",
            Tok::DoubleCircleStart => "`(((`",
            Tok::DoubleCircleEnd => "`)))`",
            Tok::TrapStart => "`[/`",
            Tok::InvTrapStart => "`[\\`",
            Tok::TrapEnd => "`\\]`",
            Tok::InvTrapEnd => "`/]`",
            Tok::TagStart => "`<`",
            Tok::Up => "`^`",
            Tok::Sep => "`\\|`",
            Tok::Down => "`v`",
            Tok::NodeString => "a node id",
            Tok::Minus => "`-`",
            Tok::Unicode => "a letter",
            Tok::Pipe => "`|`",
            Tok::Ps => "`(`",
            Tok::Pe => "`)`",
            Tok::Sqs => "`[`",
            Tok::Sqe => "`]`",
            Tok::DiamondStart => "`{`",
            Tok::DiamondStop => "`}`",
            Tok::Newline => "a line break",
            Tok::Space => "a space",
            Tok::Eof => "the end of the diagram",
            Tok::Unrecognized => "unrecognised text",
            Tok::UnclosedString => "a string that is never closed",
        }
    }
}

pub type Token = SpanToken<Tok>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    Dir,
    Text,
    EllipseText,
    TrapText,
    EdgeText,
    ThickEdgeText,
    DottedEdgeText,
    Click,
    CallbackName,
    CallbackArgs,
}

/// Tokenizes `text` from `start` (just after the diagram keyword, which is `Graph`).
pub fn tokenize(text: &str, keyword_end: usize) -> Vec<Token> {
    let entities = entity_starts(text);
    let mut lexer = Lexer {
        t: text,
        pos: keyword_end,
        modes: ModeStack::new(Mode::Dir, Mode::Initial),
        entities,
        pending: None,
        scan: Scan::new(text),
    };
    lex_all(
        || lexer.next(),
        |t| matches!(t.kind, Tok::Eof | Tok::Unrecognized | Tok::UnclosedString),
    )
}

/// Offsets of `#name;` entity codes. Mermaid replaces them with private characters before
/// parsing, so outside of text they are unrecognised (except the `;` mermaid strips from
/// `style ...:#...;` lines, which [`style_semicolons`] turns into a space beforehand).
fn entity_starts(text: &str) -> BTreeSet<usize> {
    let bytes = text.as_bytes();
    let mut set = BTreeSet::new();
    let mut i = 0;
    while i < bytes.len() {
        match entity_len(&bytes[i..]) {
            Some(len) => {
                set.insert(i);
                i += len;
            }
            None => i += 1,
        }
    }
    set
}

/// Mermaid drops the last `;` of a line that contains `style…:…#…;` or `classDef…:…#…;`
/// (so `fill:#fff;` is not read as an entity). We replace it with a space, keeping offsets.
pub fn style_semicolons(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        for keyword in ["style", "classDef"] {
            let current = std::str::from_utf8(&out[line_start..line_start + line.len()])
                .unwrap_or("")
                .to_string();
            if let Some(k) = current.find(keyword) {
                let after = &current[k + keyword.len()..];
                let matched = after.char_indices().any(|(c, ch)| {
                    ch == ':' && {
                        let rest = &after[c + 1..];
                        let run_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                        rest[..run_end]
                            .find('#')
                            .is_some_and(|h| rest[h..].trim_end_matches('\n').contains(';'))
                    }
                });
                if matched {
                    if let Some(semi) = current.trim_end_matches('\n').rfind(';') {
                        out[line_start + semi] = b' ';
                    }
                }
            }
        }
        line_start += line.len();
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

struct Lexer<'a> {
    t: &'a str,
    pos: usize,
    modes: ModeStack<Mode>,
    entities: BTreeSet<usize>,
    /// A token already lexed together with the previous one.
    pending: Option<Token>,
    scan: Scan,
}

/// Facts about the text computed once, so that rules which look far ahead (to the end of the
/// line or of a run of characters) do not make lexing quadratic.
struct Scan {
    /// Where `direction\s+<DIR>` starts on each line, for each of [`DIRECTIONS`].
    directions: DirectionLines<5>,
    /// Per byte, the end of the whitespace run starting there (itself when not whitespace).
    whitespace_end: Vec<usize>,
    /// Per byte, the offset just after the last `@` that can end an edge id in the run of
    /// non-space, non-quote characters holding it.
    link_id_end: Vec<Option<usize>>,
}

const DIRECTIONS: [&str; 5] = ["TB", "BT", "RL", "LR", "TD"];

impl Scan {
    fn new(text: &str) -> Scan {
        let bytes = text.as_bytes();
        let mut whitespace_end = vec![0; bytes.len() + 1];
        whitespace_end[bytes.len()] = bytes.len();
        for i in (0..bytes.len()).rev() {
            whitespace_end[i] =
                if text.is_char_boundary(i) && text[i..].starts_with(char::is_whitespace) {
                    let len = text[i..].chars().next().map_or(1, char::len_utf8);
                    whitespace_end[i + len]
                } else {
                    i
                };
        }
        let mut link_id_end = vec![None; bytes.len() + 1];
        let mut run_end_value: Option<usize> = None;
        for i in (0..bytes.len()).rev() {
            let boundary = bytes[i] == b'"' || (bytes[i] as char).is_ascii_whitespace();
            if boundary {
                run_end_value = None;
                continue;
            }
            if bytes[i] == b'@' && run_end_value.is_none() {
                let next = bytes.get(i + 1);
                if next.is_some_and(|&n| n != b'{' && n != b'"') {
                    run_end_value = Some(i + 1);
                }
            }
            link_id_end[i] = run_end_value;
        }
        Scan {
            directions: DirectionLines::new(text, DIRECTIONS, false),
            whitespace_end,
            link_id_end,
        }
    }

    /// `.*direction\s+(TB|BT|RL|LR|TD)[^\n]*` from `pos`, rules tried in that order.
    fn direction_from(&self, pos: usize) -> Option<&'static str> {
        self.directions.first_from(pos).map(|d| DIRECTIONS[d])
    }

    /// `[^\s"]+@(?=[^{"])` at `pos`: the edge id's length.
    fn link_id_len(&self, pos: usize) -> Option<usize> {
        self.link_id_end
            .get(pos)
            .copied()
            .flatten()
            .filter(|&end| end > pos + 1)
            .map(|end| end - pos)
    }

    /// Whether a link can start at `pos` (after its leading whitespace).
    fn link_possible(&self, text: &str, pos: usize) -> bool {
        let after = self.whitespace_end.get(pos).copied().unwrap_or(pos);
        text[after..]
            .chars()
            .next()
            .is_some_and(|c| "xo<-=.~".contains(c))
    }
}

type R<'a> = IResult<&'a str, &'a str>;

/// The rule that closes a labelled link of one stroke.
type LinkRule = fn(&str) -> R<'_>;

fn ws0(i: &str) -> R<'_> {
    take_while(char::is_whitespace).parse(i)
}

/// `\s*[xo<]?--+[-xo>]\s*`
fn normal_link(i: &str) -> R<'_> {
    recognize((ws0, opt(one_of("xo<")), dashes_then_head, ws0)).parse(i)
}

/// `--+[-xo>]`: at least two dashes and a head, the head possibly being a third dash.
fn dashes_then_head(i: &str) -> R<'_> {
    let (rest, dashes) = take_while1(|c| c == '-').parse(i)?;
    match rest.chars().next() {
        Some(c) if "xo>".contains(c) && dashes.len() >= 2 => {
            Ok((&rest[1..], &i[..dashes.len() + 1]))
        }
        _ if dashes.len() >= 3 => Ok((rest, dashes)),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// `\s*[xo<]?==+[=xo>]\s*`
fn thick_link(i: &str) -> R<'_> {
    let head = |i| -> R<'_> {
        let (rest, eqs) = take_while1(|c| c == '=').parse(i)?;
        match rest.chars().next() {
            Some(c) if "xo>".contains(c) && eqs.len() >= 2 => Ok((&rest[1..], &i[..eqs.len() + 1])),
            _ if eqs.len() >= 3 => Ok((rest, eqs)),
            _ => Err(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::Tag,
            ))),
        }
    };
    recognize((ws0, opt(one_of("xo<")), head, ws0)).parse(i)
}

/// `\s*[xo<]?-?\.+-[xo>]?\s*`
fn dotted_link(i: &str) -> R<'_> {
    recognize((
        ws0,
        opt(one_of("xo<")),
        opt(char('-')),
        many1_count(char('.')),
        char('-'),
        opt(one_of("xo>")),
        ws0,
    ))
    .parse(i)
}

/// `\s*~~~+\s*`
fn invisible_link(i: &str) -> R<'_> {
    recognize((ws0, tag("~~"), take_while1(|c| c == '~'), ws0)).parse(i)
}

fn start_link(i: &str) -> IResult<&str, (&str, Mode)> {
    alt((
        recognize((ws0, opt(one_of("xo<")), tag("--"), ws0)).map(|s| (s, Mode::EdgeText)),
        recognize((ws0, opt(one_of("xo<")), tag("=="), ws0)).map(|s| (s, Mode::ThickEdgeText)),
        recognize((ws0, opt(one_of("xo<")), tag("-."), ws0)).map(|s| (s, Mode::DottedEdgeText)),
    ))
    .parse(i)
}

/// Characters of a node string besides `-` and `=`, which have look-ahead conditions.
fn node_string_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"#$%&'*+.`?\\_/".contains(c)
}

/// The letters mermaid accepts in ids outside ASCII.
fn unicode_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic()
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.t[self.pos..]
    }

    fn token(&mut self, kind: Tok, len: usize) -> Token {
        Token::consume(kind, &mut self.pos, len)
    }

    /// `word` followed by a word boundary (jison appends `\b` to rules ending in a letter).
    fn keyword(&self, word: &str) -> bool {
        keyword_at(self.rest(), word, false)
    }

    /// Mermaid turns `"text\n   more"` in shape data into `text<br/>more`; the rest of the
    /// data is kept as written.
    fn shape_data(&mut self) -> Token {
        let start = self.pos;
        self.pos += 2;
        let mut data = String::new();
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                return Token::new(Tok::Eof, self.pos, self.pos);
            };
            match c {
                '}' => {
                    self.pos += 1;
                    self.skip_after_brace();
                    return Token {
                        kind: Tok::ShapeData,
                        start,
                        end: self.pos,
                        value: Some(data),
                    };
                }
                '"' => {
                    data.push('"');
                    let body = &rest[1..];
                    let close = body.find('"').unwrap_or(body.len());
                    let mut content = body[..close].to_string();
                    while let Some(nl) = content.find('\n') {
                        let after = content[nl..].trim_start().len();
                        let ws_end = content.len() - after;
                        content.replace_range(nl..ws_end, "<br/>");
                    }
                    data.push_str(&content);
                    if close == body.len() {
                        return self.token(Tok::UnclosedString, 1);
                    }
                    self.pos += 1 + close;
                    data.push('"');
                    self.pos += 1;
                }
                '^' => return self.token(Tok::Unrecognized, 1),
                _ => {
                    let run = rest.find(['}', '^', '"']).unwrap_or(rest.len());
                    data.push_str(&rest[..run]);
                    self.pos += run;
                }
            }
        }
    }

    /// Mermaid's flowchart parser first rewrites `}\s*\n` as `}\n`: whitespace after a closing
    /// brace up to the last line break of the run is not seen.
    fn skip_after_brace(&mut self) {
        let rest = self.rest();
        let ws = rest.len() - rest.trim_start().len();
        // keep the final line break itself: it is the statement separator
        if let Some(last_nl) = rest[..ws].rfind('\n') {
            self.pos += last_nl;
        }
    }

    /// A string or markdown string starting at the current `"`; `None` for an empty string,
    /// which mermaid's lexer drops.
    fn string(&mut self) -> Option<Token> {
        let rest = self.rest();
        if let Some(body) = rest.strip_prefix("\"`") {
            let content_len = body.find(['`', '"']).unwrap_or(body.len());
            let start = self.pos + 2;
            if body[content_len..].starts_with("`\"") {
                self.pos = start + content_len + 2;
                return Some(Token::new(Tok::MdStr, start, start + content_len));
            }
            if content_len == body.len() {
                return Some(self.token(Tok::UnclosedString, 2));
            }
            self.pos = start + content_len;
            return Some(self.unrecognized());
        }
        let body = &rest[1..];
        let close = body.find('"');
        if close.is_none() {
            return Some(self.token(Tok::UnclosedString, 1));
        }
        let content_len = close.unwrap_or(body.len());
        let start = self.pos + 1;
        self.pos = start + content_len + usize::from(close.is_some());
        if close.is_some() && content_len > 0 {
            if self.t[self.pos - 1..].starts_with('}') {
                self.skip_after_brace();
            }
            Some(Token::new(Tok::Str, start, start + content_len))
        } else {
            None
        }
    }

    fn next(&mut self) -> Token {
        if let Some(t) = self.pending.take() {
            return t;
        }
        loop {
            if self.pos >= self.t.len() {
                return Token::new(Tok::Eof, self.t.len(), self.t.len());
            }
            let token = match self.modes.current() {
                Mode::Initial => self.initial(),
                Mode::Dir => self.dir(),
                Mode::Text | Mode::EllipseText | Mode::TrapText => self.text_mode(),
                Mode::EdgeText | Mode::ThickEdgeText | Mode::DottedEdgeText => self.edge_text(),
                Mode::Click => self.click(),
                Mode::CallbackName => self.callback_name(),
                Mode::CallbackArgs => self.callback_args(),
            };
            if let Some(token) = token {
                if token.kind == Tok::DiamondStop {
                    self.skip_after_brace();
                }
                return token;
            }
        }
    }

    /// Rules shared by every mode (`<*>` in mermaid's lexer), in their order. Returns `None`
    /// when none applies.
    fn any_mode_openers(&mut self) -> Option<Token> {
        let rest = self.rest();
        let (kind, len, mode) = if rest.starts_with("(-") {
            (Tok::EllipseStart, 2, Mode::EllipseText)
        } else if rest.starts_with("([") {
            (Tok::StadiumStart, 2, Mode::Text)
        } else if rest.starts_with("[[") {
            (Tok::SubroutineStart, 2, Mode::Text)
        } else if rest.starts_with("[(") {
            (Tok::CylinderStart, 2, Mode::Text)
        } else if rest.starts_with("(((") {
            (Tok::DoubleCircleStart, 3, Mode::Text)
        } else if rest.starts_with("[/") {
            (Tok::TrapStart, 2, Mode::TrapText)
        } else if rest.starts_with("[\\") {
            (Tok::InvTrapStart, 2, Mode::TrapText)
        } else {
            return None;
        };
        self.modes.push(mode);
        Some(self.token(kind, len))
    }

    fn simple_openers(&mut self) -> Option<Token> {
        let (kind, mode) = match self.rest().chars().next()? {
            '|' => (Tok::Pipe, Mode::Text),
            '(' => (Tok::Ps, Mode::Text),
            '[' => (Tok::Sqs, Mode::Text),
            '{' => (Tok::DiamondStart, Mode::Text),
            _ => return None,
        };
        self.modes.push(mode);
        Some(self.token(kind, 1))
    }

    fn unrecognized(&mut self) -> Token {
        let start = self.pos;
        let len = self.rest().chars().next().map_or(0, char::len_utf8);
        let t = Token::new(Tok::Unrecognized, start, start + len);
        self.pos = self.t.len();
        t
    }

    fn initial(&mut self) -> Option<Token> {
        let rest = self.rest();
        // `@{` and strings start with symbols, every keyword rule with a letter or `_`, so
        // testing them in this order keeps mermaid's rule order.
        if rest.starts_with("@{") {
            return Some(self.shape_data());
        }
        if rest.starts_with('"') {
            return self.string();
        }
        if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            if let Some(t) = self.initial_keywords(rest) {
                return t;
            }
        }
        if let Some(dir) = self.scan.direction_from(self.pos) {
            let len = rest.find('\n').unwrap_or(rest.len());
            let mut t = self.token(Tok::Direction, len);
            t.value = Some(dir.to_string());
            return Some(t);
        }
        if let Some(len) = self.scan.link_id_len(self.pos) {
            return Some(self.token(Tok::LinkId, len));
        }
        if self.entities.contains(&self.pos) {
            return Some(self.unrecognized());
        }
        let c = rest.chars().next()?;
        if c.is_ascii_digit() {
            let len = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            return Some(self.token(Tok::Num, len));
        }
        if rest.starts_with(":::") {
            return Some(self.token(Tok::StyleSep, 3));
        }
        let single = match c {
            '#' => Some(Tok::Brkt),
            ':' => Some(Tok::Colon),
            '&' => Some(Tok::Amp),
            ';' => Some(Tok::Semi),
            ',' => Some(Tok::Comma),
            '*' => Some(Tok::Mult),
            _ => None,
        };
        if let Some(kind) = single {
            return Some(self.token(kind, 1));
        }
        let link_possible = self.scan.link_possible(self.t, self.pos);
        if !link_possible {
            return self.initial_after_links(rest, c);
        }
        if let Ok((_, m)) = normal_link(rest) {
            return Some(self.token(Tok::Link, m.len()));
        }
        if let Ok((_, (m, mode))) = start_link(rest) {
            // The three start rules are interleaved with the link rules in mermaid's order:
            // a thick or dotted complete link wins over a later start rule.
            if mode == Mode::EdgeText {
                self.modes.push(mode);
                return Some(self.token(Tok::StartLink, m.len()));
            }
        }
        if let Ok((_, m)) = thick_link(rest) {
            return Some(self.token(Tok::Link, m.len()));
        }
        if let Ok((_, (m, Mode::ThickEdgeText))) = start_link(rest) {
            self.modes.push(Mode::ThickEdgeText);
            return Some(self.token(Tok::StartLink, m.len()));
        }
        if let Ok((_, m)) = dotted_link(rest) {
            return Some(self.token(Tok::Link, m.len()));
        }
        if let Ok((_, (m, Mode::DottedEdgeText))) = start_link(rest) {
            self.modes.push(Mode::DottedEdgeText);
            return Some(self.token(Tok::StartLink, m.len()));
        }
        if let Ok((_, m)) = invisible_link(rest) {
            return Some(self.token(Tok::Link, m.len()));
        }
        self.initial_after_links(rest, c)
    }

    /// The INITIAL rules after the link rules.
    fn initial_after_links(&mut self, rest: &'a str, c: char) -> Option<Token> {
        if rest.starts_with("(-") {
            return self.any_mode_openers();
        }
        if rest.starts_with("([") || rest.starts_with("[[") {
            return self.any_mode_openers();
        }
        if rest.starts_with("[|") {
            return Some(self.token(Tok::PropsStart, 2));
        }
        if c == '>' {
            self.modes.push(Mode::Text);
            return Some(self.token(Tok::TagEnd, 1));
        }
        if let Some(t) = self.any_mode_openers() {
            return Some(t);
        }
        match c {
            '<' => return Some(self.token(Tok::TagStart, 1)),
            '^' => return Some(self.token(Tok::Up, 1)),
            _ => {}
        }
        if rest.starts_with("\\|") {
            return Some(self.token(Tok::Sep, 2));
        }
        if self.keyword("v") {
            return Some(self.token(Tok::Down, 1));
        }
        let node_len = node_string_len(rest);
        if node_len > 0 {
            // An entity code inside a node string is where mermaid's lexer stops.
            let end = self
                .entities
                .range(self.pos..self.pos + node_len)
                .next()
                .map_or(node_len, |e| e - self.pos);
            if end > 0 {
                return Some(self.token(Tok::NodeString, end));
            }
        }
        if c == '-' {
            return Some(self.token(Tok::Minus, 1));
        }
        if unicode_letter(c) {
            return Some(self.token(Tok::Unicode, c.len_utf8()));
        }
        if let Some(t) = self.simple_openers() {
            return Some(t);
        }
        if c == '\n' {
            let len = rest.len() - rest.trim_start_matches('\n').len();
            return Some(self.token(Tok::Newline, len));
        }
        if c.is_whitespace() {
            return Some(self.token(Tok::Space, c.len_utf8()));
        }
        Some(self.unrecognized())
    }

    /// The keyword rules of INITIAL, in mermaid's order: `Some(token)` when one applies
    /// (`Some(None)` when it only changes mode).
    fn initial_keywords(&mut self, rest: &'a str) -> Option<Option<Token>> {
        if let Some(t) = self.accessibility() {
            return Some(t);
        }
        if rest.starts_with("call") && rest[4..].starts_with(char::is_whitespace) {
            let ws = rest[4..].len() - rest[4..].trim_start().len();
            self.pos += 4 + ws;
            self.modes.push(Mode::CallbackName);
            return Some(None);
        }
        const STYLE_KEYWORDS: [(&str, Tok); 6] = [
            ("style", Tok::Style),
            ("default", Tok::Default),
            ("linkStyle", Tok::LinkStyle),
            ("interpolate", Tok::Interpolate),
            ("classDef", Tok::ClassDef),
            ("class", Tok::Class),
        ];
        if let Some((kind, len)) = first_keyword(rest, &STYLE_KEYWORDS, false) {
            return Some(Some(self.token(kind, len)));
        }
        if rest.starts_with("href") && rest[4..].starts_with(char::is_whitespace) {
            let ws = rest[4..].chars().next().map_or(0, char::len_utf8);
            return Some(Some(self.token(Tok::Href, 4 + ws)));
        }
        if rest.starts_with("click") && rest[5..].starts_with(char::is_whitespace) {
            let ws = rest[5..].len() - rest[5..].trim_start().len();
            self.pos += 5 + ws;
            self.modes.push(Mode::Click);
            return Some(None);
        }
        let diagram_keywords = ["flowchart-elk", "graph", "flowchart"].map(|w| (w, Tok::Graph));
        if let Some((kind, len)) = first_keyword(rest, &diagram_keywords, false) {
            // Only the diagram's first keyword opens the direction mode; it was consumed
            // before tokenizing started.
            return Some(Some(self.token(kind, len)));
        }
        if self.keyword("subgraph") {
            return Some(Some(self.token(Tok::Subgraph, 8)));
        }
        if self.keyword("end") {
            let ws = rest[3..].len() - rest[3..].trim_start().len();
            return Some(Some(self.token(Tok::End, 3 + ws)));
        }
        let targets = ["_self", "_blank", "_parent", "_top"].map(|w| (w, Tok::LinkTarget));
        if let Some((kind, len)) = first_keyword(rest, &targets, false) {
            return Some(Some(self.token(kind, len)));
        }
        None
    }

    const ACCESSIBILITY: AccessibilityKinds<Tok> = AccessibilityKinds::new(
        Tok::AccTitle,
        Tok::AccDescr,
        Tok::AccValue,
        Tok::AccDescrBlock,
    );

    /// `accTitle:`, `accDescr:` and `accDescr { ... }`, which read raw text.
    fn accessibility(&mut self) -> Option<Option<Token>> {
        let statement = accessibility(self.rest(), false)?;
        let (token, value, taken) =
            statement.span_tokens(self.rest(), self.pos, &Self::ACCESSIBILITY);
        self.pos += taken;
        match value {
            Some(value) => self.pending = Some(value),
            None => self.skip_after_brace(),
        }
        Some(Some(token))
    }

    fn dir(&mut self) -> Option<Token> {
        let rest = self.rest();
        // `(\r?\n)*\s*\n`: any line break after only whitespace means "no direction"
        let ws = rest.len() - rest.trim_start().len();
        if let Some(nl) = rest[..ws].rfind('\n') {
            self.modes.pop();
            return Some(self.token(Tok::NoDir, nl + 1));
        }
        let after = &rest[ws..];
        for dir in ["LR", "RL", "TB", "BT", "TD", "BR", "<", ">", "^", "v"] {
            let word = dir.chars().all(char::is_alphabetic);
            if after.starts_with(dir)
                && !(word && after[dir.len()..].chars().next().is_some_and(is_js_word))
            {
                self.modes.pop();
                let mut t = self.token(Tok::Dir, ws + dir.len());
                t.value = Some(dir.to_string());
                return Some(t);
            }
        }
        if rest.starts_with('"') {
            return self.string();
        }
        if let Some(t) = self.any_mode_openers() {
            return Some(t);
        }
        if let Some(t) = self.simple_openers() {
            return Some(t);
        }
        // point at the unreadable text, not at the space before it
        self.pos += rest.len() - rest.trim_start().len();
        Some(self.unrecognized())
    }

    fn text_mode(&mut self) -> Option<Token> {
        let mode = self.modes.current();
        let rest = self.rest();
        if rest.starts_with('"') {
            return self.string();
        }
        if let Ok((_, m)) = invisible_link(rest) {
            return Some(self.token(Tok::Link, m.len()));
        }
        if mode == Mode::EllipseText {
            let mut chars = rest.chars();
            let first = chars.next()?;
            if "-/)".contains(first) && chars.next() == Some(')') {
                self.modes.pop();
                return Some(self.token(Tok::EllipseEnd, 2));
            }
            if !"()[]{}".contains(first) {
                return Some(self.token(Tok::Text, first.len_utf8()));
            }
        }
        if let Some(t) = self.any_mode_openers_in_text(mode) {
            return Some(t);
        }
        if mode == Mode::Text {
            for (close, kind) in [
                ("])", Tok::StadiumEnd),
                ("]]", Tok::SubroutineEnd),
                (")]", Tok::CylinderEnd),
                (")))", Tok::DoubleCircleEnd),
                ("|", Tok::Pipe),
                (")", Tok::Pe),
                ("]", Tok::Sqe),
                ("}", Tok::DiamondStop),
            ] {
                if rest.starts_with(close) {
                    self.modes.pop();
                    return Some(self.token(kind, close.len()));
                }
            }
        }
        if let Some(t) = self.simple_openers() {
            return Some(t);
        }
        if mode == Mode::Text {
            let len = rest
                .find(['[', ']', '(', ')', '{', '}', '|', '"'])
                .unwrap_or(rest.len());
            if len > 0 {
                return Some(self.token(Tok::Text, len));
            }
        }
        Some(self.unrecognized())
    }

    /// The `<*>` openers and, in trapezoid text, its own closing and text rules, in mermaid's
    /// order (the ellipse, stadium, subroutine, cylinder and double circle rules come before
    /// the trapezoid ones).
    fn any_mode_openers_in_text(&mut self, mode: Mode) -> Option<Token> {
        let rest = self.rest();
        if rest.starts_with("(-") {
            return self.any_mode_openers();
        }
        if mode == Mode::Text && rest.starts_with("])") {
            self.modes.pop();
            return Some(self.token(Tok::StadiumEnd, 2));
        }
        if rest.starts_with("([") {
            return self.any_mode_openers();
        }
        if mode == Mode::Text && rest.starts_with("]]") {
            self.modes.pop();
            return Some(self.token(Tok::SubroutineEnd, 2));
        }
        if rest.starts_with("[[") {
            return self.any_mode_openers();
        }
        if mode == Mode::Text && rest.starts_with(")]") {
            self.modes.pop();
            return Some(self.token(Tok::CylinderEnd, 2));
        }
        if rest.starts_with("[(") {
            return self.any_mode_openers();
        }
        if mode == Mode::Text && rest.starts_with(")))") {
            self.modes.pop();
            return Some(self.token(Tok::DoubleCircleEnd, 3));
        }
        if rest.starts_with("(((") {
            return self.any_mode_openers();
        }
        if mode == Mode::TrapText {
            let mut chars = rest.chars();
            let first = chars.next()?;
            let second = chars.next();
            if "\\(?=]".contains(first) && second == Some(']') {
                self.modes.pop();
                return Some(self.token(Tok::TrapEnd, 2));
            }
            if first == '/' && second == Some(']') {
                self.modes.pop();
                return Some(self.token(Tok::InvTrapEnd, 2));
            }
            if first == '/' || first == '\\' {
                return Some(self.token(Tok::Text, 1));
            }
            let len = rest
                .find(['\\', '[', ']', '(', ')', '{', '}', '/'])
                .unwrap_or(rest.len());
            if len > 0 {
                return Some(self.token(Tok::Text, len));
            }
        }
        if rest.starts_with("[/") || rest.starts_with("[\\") {
            return self.any_mode_openers();
        }
        None
    }

    fn edge_text(&mut self) -> Option<Token> {
        let mode = self.modes.current();
        let rest = self.rest();
        if rest.starts_with('"') {
            return self.string();
        }
        let (link, text_char_ok): (LinkRule, fn(&str) -> bool) = match mode {
            Mode::EdgeText => (normal_link, |r| {
                !r.starts_with('-') || !r[1..].starts_with('-')
            }),
            Mode::ThickEdgeText => (thick_link, |r| {
                !r.starts_with('=') || !r[1..].starts_with('=')
            }),
            _ => (dotted_link, |r| {
                !r.starts_with('.') || !r[1..].starts_with('-')
            }),
        };
        if self.scan.link_possible(self.t, self.pos) {
            if let Ok((_, m)) = link(rest) {
                self.modes.pop();
                return Some(self.token(Tok::Link, m.len()));
            }
        }
        if text_char_ok(rest) {
            let len = rest.chars().next().map_or(0, char::len_utf8);
            return Some(self.token(Tok::EdgeText, len));
        }
        if let Some(t) = self.any_mode_openers() {
            return Some(t);
        }
        if let Some(t) = self.simple_openers() {
            return Some(t);
        }
        Some(self.unrecognized())
    }

    fn click(&mut self) -> Option<Token> {
        let rest = self.rest();
        if rest.starts_with('"') {
            return self.string();
        }
        if let Some(c) = rest.chars().next().filter(|c| c.is_whitespace()) {
            self.modes.pop();
            self.pos += c.len_utf8();
            return None;
        }
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(self.token(Tok::Click, len))
    }

    fn callback_name(&mut self) -> Option<Token> {
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix('(') {
            let inner = after.trim_start();
            self.modes.pop();
            if inner.starts_with(')') {
                self.pos += 1 + (after.len() - inner.len()) + 1;
            } else {
                self.pos += 1;
                self.modes.push(Mode::CallbackArgs);
            }
            return None;
        }
        match rest.find('(') {
            Some(len) => Some(self.token(Tok::CallbackName, len)),
            None => {
                // `[^(]*` also matches the empty rest, so mermaid's lexer returns the name
                // twice: a `call` without `(` is always an error.
                let name = self.token(Tok::CallbackName, rest.len());
                self.pending = Some(Token::new(Tok::CallbackName, self.pos, self.pos));
                Some(name)
            }
        }
    }

    fn callback_args(&mut self) -> Option<Token> {
        let rest = self.rest();
        if rest.starts_with(')') {
            self.modes.pop();
            self.pos += 1;
            return None;
        }
        let len = rest.find(')').unwrap_or(rest.len());
        Some(self.token(Tok::CallbackArgs, len))
    }
}

/// `([A-Za-z0-9!"#$%&'*+.`?\\_/]|-(?=[^>\-.])|=(?!=))+`
fn node_string_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        let ok = if c == '-' {
            bytes
                .get(i + 1)
                .is_some_and(|&n| n != b'>' && n != b'-' && n != b'.')
        } else if c == '=' {
            bytes.get(i + 1) != Some(&b'=')
        } else {
            c.is_ascii() && node_string_char(c)
        };
        if !ok {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src, 0).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn links_and_ids() {
        assert_eq!(
            kinds(" TD\nA-->B"),
            vec![
                Tok::Dir,
                Tok::Newline,
                Tok::NodeString,
                Tok::Link,
                Tok::NodeString,
                Tok::Eof
            ]
        );
        assert_eq!(
            kinds("\nA -- text --> B"),
            vec![
                Tok::NoDir,
                Tok::NodeString,
                Tok::StartLink,
                Tok::EdgeText,
                Tok::EdgeText,
                Tok::EdgeText,
                Tok::EdgeText,
                Tok::Link,
                Tok::NodeString,
                Tok::Eof
            ]
        );
        let scan = Scan::new("A e1@-->B\nA@{ shape: x }\nflowchart direction LR x");
        assert_eq!(scan.link_id_len(2), Some(3));
        assert_eq!(scan.link_id_len(10), None);
        assert_eq!(scan.direction_from(26), Some("LR"));
        assert_eq!(scan.direction_from(50), None);
        assert_eq!(node_string_len("a-b-->c"), 3);
    }

    #[test]
    fn style_semicolon_is_dropped() {
        assert_eq!(
            style_semicolons("style A fill:#fff;\nA;"),
            "style A fill:#fff \nA;"
        );
    }
}
