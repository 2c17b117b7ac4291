//! The sequence diagram lexer: mermaid's lexing is modal (after `participant` an actor name may
//! contain spaces, after `loop` the rest of the line is one token, ...), so tokens are produced
//! on demand with a stack of modes, as mermaid's own lexer does. Small token recognisers are nom
//! parsers; the mode logic is a plain state machine.

use crate::mermaid::jison_rules::{
    accessibility, first_keyword, is_js_word_byte, starts_with_ci, unmask_entities, ModeStack,
    TextToken,
};
use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::digit1;
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

/// Statement keywords recognised at a token start in the default mode. Each needs a word
/// boundary after it (`parser` is an actor, `par` a keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Box,
    Participant,
    Actor,
    Create,
    Destroy,
    Loop,
    Rect,
    Opt,
    Alt,
    Else,
    Par,
    ParOver,
    And,
    Critical,
    Option,
    Break,
    End,
    LeftOf,
    RightOf,
    Links,
    Link,
    Properties,
    Details,
    Over,
    Note,
    Activate,
    Deactivate,
    SequenceDiagram,
    Autonumber,
    Off,
}

/// In mermaid's order: where one keyword is a prefix of another, the boundary check decides.
const KEYWORDS: &[(&str, Keyword)] = &[
    ("box", Keyword::Box),
    ("participant", Keyword::Participant),
    ("actor", Keyword::Actor),
    ("create", Keyword::Create),
    ("destroy", Keyword::Destroy),
    ("loop", Keyword::Loop),
    ("rect", Keyword::Rect),
    ("opt", Keyword::Opt),
    ("alt", Keyword::Alt),
    ("else", Keyword::Else),
    ("par", Keyword::Par),
    ("par_over", Keyword::ParOver),
    ("and", Keyword::And),
    ("critical", Keyword::Critical),
    ("option", Keyword::Option),
    ("break", Keyword::Break),
    ("end", Keyword::End),
    ("left of", Keyword::LeftOf),
    ("right of", Keyword::RightOf),
    ("links", Keyword::Links),
    ("link", Keyword::Link),
    ("properties", Keyword::Properties),
    ("details", Keyword::Details),
    ("over", Keyword::Over),
    ("note", Keyword::Note),
    ("activate", Keyword::Activate),
    ("deactivate", Keyword::Deactivate),
    ("sequenceDiagram", Keyword::SequenceDiagram),
    ("autonumber", Keyword::Autonumber),
    ("off", Keyword::Off),
];

impl Keyword {
    pub fn text(self) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("?", |(t, _)| t)
    }

    /// Keywords after which the rest of the line is one token (a label or a colour).
    fn takes_rest_of_line(self) -> bool {
        matches!(
            self,
            Keyword::Box
                | Keyword::Loop
                | Keyword::Rect
                | Keyword::Opt
                | Keyword::Alt
                | Keyword::Else
                | Keyword::Par
                | Keyword::ParOver
                | Keyword::And
                | Keyword::Critical
                | Keyword::Option
                | Keyword::Break
        )
    }

    /// Keywords after which an actor name is read in the participant mode.
    fn takes_actor_id(self) -> bool {
        matches!(
            self,
            Keyword::Participant
                | Keyword::Actor
                | Keyword::Destroy
                | Keyword::Activate
                | Keyword::Deactivate
        )
    }
}

/// Message arrow types, numbered as mermaid numbers them (the numbers are what
/// `expect/structure.jsonl` records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrow {
    Solid,
    Dotted,
    SolidCross,
    DottedCross,
    SolidOpen,
    DottedOpen,
    SolidPoint,
    DottedPoint,
    BidirectionalSolid,
    BidirectionalDotted,
    SolidTop,
    SolidBottom,
    StickTop,
    StickBottom,
    SolidTopReverse,
    SolidBottomReverse,
    StickTopReverse,
    StickBottomReverse,
    SolidTopDotted,
    SolidBottomDotted,
    StickTopDotted,
    StickBottomDotted,
    SolidTopReverseDotted,
    SolidBottomReverseDotted,
    StickTopReverseDotted,
    StickBottomReverseDotted,
}

/// Arrow spellings in mermaid's lexing order (first match wins, so order matters).
const ARROWS: &[(&str, Arrow)] = &[
    ("->>", Arrow::Solid),
    ("<<->>", Arrow::BidirectionalSolid),
    ("-->>", Arrow::Dotted),
    ("<<-->>", Arrow::BidirectionalDotted),
    ("->", Arrow::SolidOpen),
    ("-->", Arrow::DottedOpen),
    ("-x", Arrow::SolidCross),
    ("--x", Arrow::DottedCross),
    ("-)", Arrow::SolidPoint),
    ("--)", Arrow::DottedPoint),
    ("--|\\", Arrow::SolidTopDotted),
    ("--|/", Arrow::SolidBottomDotted),
    ("--\\\\", Arrow::StickTopDotted),
    ("--//", Arrow::StickBottomDotted),
    ("/|--", Arrow::SolidTopReverseDotted),
    ("\\|--", Arrow::SolidBottomReverseDotted),
    ("//--", Arrow::StickTopReverseDotted),
    ("\\\\--", Arrow::StickBottomReverseDotted),
    ("-|\\", Arrow::SolidTop),
    ("-|/", Arrow::SolidBottom),
    ("-\\\\", Arrow::StickTop),
    ("-//", Arrow::StickBottom),
    ("/|-", Arrow::SolidTopReverse),
    ("\\|-", Arrow::SolidBottomReverse),
    ("//-", Arrow::StickTopReverse),
    ("\\\\-", Arrow::StickBottomReverse),
];

impl Arrow {
    /// mermaid's `LINETYPE` number.
    pub fn code(self) -> u32 {
        match self {
            Arrow::Solid => 0,
            Arrow::Dotted => 1,
            Arrow::SolidCross => 3,
            Arrow::DottedCross => 4,
            Arrow::SolidOpen => 5,
            Arrow::DottedOpen => 6,
            Arrow::SolidPoint => 24,
            Arrow::DottedPoint => 25,
            Arrow::BidirectionalSolid => 33,
            Arrow::BidirectionalDotted => 34,
            Arrow::SolidTop => 41,
            Arrow::SolidBottom => 42,
            Arrow::StickTop => 43,
            Arrow::StickBottom => 44,
            Arrow::SolidTopReverse => 45,
            Arrow::SolidBottomReverse => 46,
            Arrow::StickTopReverse => 47,
            Arrow::StickBottomReverse => 48,
            Arrow::SolidTopDotted => 51,
            Arrow::SolidBottomDotted => 52,
            Arrow::StickTopDotted => 53,
            Arrow::StickBottomDotted => 54,
            Arrow::SolidTopReverseDotted => 55,
            Arrow::SolidBottomReverseDotted => 56,
            Arrow::StickTopReverseDotted => 57,
            Arrow::StickBottomReverseDotted => 58,
        }
    }

    /// The snake_case name (`solid`, `dotted_open`, `bidirectional_solid`, ...).
    pub fn name(self) -> String {
        let mut out = String::new();
        for c in format!("{self:?}").chars() {
            if c.is_ascii_uppercase() && !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    pub fn spelling(self) -> &'static str {
        ARROWS
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("?", |(s, _)| s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokKind {
    Newline,
    Eof,
    Num,
    Keyword(Keyword),
    /// `title text` or `title: text` (the text only).
    Title,
    AccTitle,
    AccDescr,
    /// An actor name (already trimmed: see `Tok::text`).
    Actor,
    Arrow(Arrow),
    /// `: text` after a message, note or link (the text after the colon).
    Text,
    /// The rest of a line after `loop`, `alt`, `box`, `as`, ...
    RestOfLine,
    ConfigStart,
    ConfigContent,
    ConfigEnd,
    As,
    Plus,
    Minus,
    CentralConnection,
    Comma,
    /// Text mermaid's lexer cannot turn into any token here.
    Invalid,
}

impl TokKind {
    pub fn describe(&self) -> String {
        match self {
            TokKind::Newline => "end of line".into(),
            TokKind::Eof => "end of diagram".into(),
            TokKind::Num => "number".into(),
            TokKind::Keyword(k) => format!("`{}`", k.text()),
            TokKind::Title => "`title`".into(),
            TokKind::AccTitle => "`accTitle`".into(),
            TokKind::AccDescr => "`accDescr`".into(),
            TokKind::Actor => "participant name".into(),
            TokKind::Arrow(a) => format!("arrow `{}`", a.spelling()),
            TokKind::Text => "`:` text".into(),
            TokKind::RestOfLine => "text".into(),
            TokKind::ConfigStart => "`@{`".into(),
            TokKind::ConfigContent => "participant configuration".into(),
            TokKind::ConfigEnd => "`}`".into(),
            TokKind::As => "`as`".into(),
            TokKind::Plus => "`+`".into(),
            TokKind::Minus => "`-`".into(),
            TokKind::CentralConnection => "`()`".into(),
            TokKind::Comma => "`,`".into(),
            TokKind::Invalid => "unrecognised text".into(),
        }
    }
}

pub type Tok = TextToken<TokKind>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    /// After `participant`/`actor`/...: one actor name, possibly with spaces.
    Id,
    /// After an actor name followed by ` as `.
    Alias,
    /// The rest of the line is one token.
    Line,
    /// Inside `@{ ... }`.
    Config,
}

pub struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    modes: ModeStack<Mode>,
    eof_newline_sent: bool,
}

/// Length of the text up to (not including) the first `#` comment start, `;` or newline
/// (entity codes are masked, so they count as text).
fn text_until_stop(s: &str) -> usize {
    s.find(['\n', ';', '#']).unwrap_or(s.len())
}

/// mermaid's number token: `12`, `1.5`, `.25`, only when a space or line break follows.
fn number(input: &str) -> IResult<&str, &str> {
    let frac = |i| recognize((tag("."), digit1)).parse(i);
    let (rest, n) = alt((recognize((digit1, opt(frac))), recognize(frac))).parse(input)?;
    // At most two decimals, as mermaid's `\.[0-9]{1,2}`.
    if let Some(dot) = n.find('.') {
        if n.len() - dot - 1 > 2 {
            return Err(nom::Err::Error(nom::error::Error::new(
                input,
                nom::error::ErrorKind::Digit,
            )));
        }
    }
    // mermaid appends a line break to every diagram, so the end of the text counts as one.
    match rest.as_bytes().first() {
        None | Some(b' ' | b'\n') => Ok((rest, n)),
        _ => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Digit,
        ))),
    }
}

fn keyword(input: &str) -> Option<(Keyword, usize)> {
    if !input
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic)
    {
        return None;
    }
    first_keyword(input, KEYWORDS, true)
}

fn arrow(input: &str) -> Option<(Arrow, usize)> {
    if !input.starts_with(['-', '<', '/', '\\']) {
        return None;
    }
    ARROWS
        .iter()
        .find(|(spelling, _)| starts_with_ci(input, spelling))
        .map(|(spelling, a)| (*a, spelling.len()))
}

/// Whether `s` is whitespace, then the word `as`, then whitespace (mermaid's `\s+as\s`).
fn followed_by_as(s: &str) -> bool {
    let trimmed = s.trim_start();
    let b = trimmed.as_bytes();
    trimmed.len() < s.len()
        && b.len() >= 3
        && b[..2].eq_ignore_ascii_case(b"as")
        && b[2].is_ascii_whitespace()
}

/// Characters that cannot start an actor name in the default mode.
fn actor_head_excluded(c: char) -> bool {
    matches!(
        c,
        '/' | '\\' | '+' | '(' | ')' | '<' | '-' | '>' | ':' | '\n' | ',' | ';'
    )
}

/// Characters that cannot continue an actor name after a dash.
fn actor_tail_excluded(c: char) -> bool {
    matches!(c, '+' | '<' | '-' | '>' | ':' | '\n' | ',' | ';')
}

/// Where a dash (or pair) inside an actor name starts an arrow, the name stops.
fn starts_arrowish(s: &str) -> bool {
    const STOPS: &[&str] = &[
        "-x", "--x", "-)", "--)", "-|\\", "-\\", "-/", "-//", "-|/", "/|-", "\\|-", "//-", "\\\\-",
        "--|\\", "--", "()",
    ];
    STOPS
        .iter()
        .any(|p| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

/// The length of an actor name in the default mode (mermaid's ACTOR rule), 0 if none.
fn actor_len(s: &str) -> usize {
    let head: usize = s
        .char_indices()
        .find(|(_, c)| actor_head_excluded(*c))
        .map_or(s.len(), |(i, _)| i);
    if head == 0 {
        return 0;
    }
    let mut end = head;
    loop {
        let rest = &s[end..];
        if starts_arrowish(rest) {
            break;
        }
        let dashes = rest.bytes().take_while(|b| *b == b'-').count();
        let tail = &rest[dashes..];
        let body = tail
            .char_indices()
            .find(|(_, c)| actor_tail_excluded(*c))
            .map_or(tail.len(), |(i, _)| i);
        if body == 0 {
            break;
        }
        end += dashes + body;
    }
    end
}

impl<'a> Lexer<'a> {
    /// A lexer over `text`, starting at byte `start` in the default mode.
    pub fn new(text: &'a str, start: usize) -> Lexer<'a> {
        Lexer {
            text,
            pos: start,
            modes: ModeStack::new(Mode::Initial, Mode::Initial),
            eof_newline_sent: false,
        }
    }

    /// The next token; its text with entity codes as written (the lexer reads masked text).
    fn tok(&mut self, kind: TokKind, len: usize, text: impl Into<String>) -> Tok {
        Tok::consume(kind, &mut self.pos, len, unmask_entities(&text.into()))
    }

    /// Skips spaces and tabs (not newlines) and `#` comments, for the line-bound modes.
    fn skip_same_line_space(&mut self) {
        loop {
            let rest = &self.text[self.pos..];
            let ws = rest
                .char_indices()
                .find(|(_, c)| !c.is_whitespace() || *c == '\n')
                .map_or(rest.len(), |(i, _)| i);
            self.pos += ws;
            let rest = &self.text[self.pos..];
            if rest.starts_with('#') {
                self.pos += rest.find('\n').unwrap_or(rest.len());
                continue;
            }
            break;
        }
    }

    pub fn next_token(&mut self) -> Tok {
        match self.modes.current() {
            Mode::Initial => self.next_initial(),
            Mode::Id => self.next_id(),
            Mode::Alias => self.next_alias(),
            Mode::Line => self.next_line(),
            Mode::Config => self.next_config(),
        }
    }

    fn next_initial(&mut self) -> Tok {
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                if self.eof_newline_sent {
                    return self.tok(TokKind::Eof, 0, "");
                }
                self.eof_newline_sent = true;
                return self.tok(TokKind::Newline, 0, "");
            };
            if c == '\n' {
                // A run of line breaks.
                let len = rest.bytes().take_while(|b| *b == b'\n').count();
                return self.tok(TokKind::Newline, len, "");
            }
            if c.is_whitespace() {
                // mermaid's `\s+` also swallows the line breaks after other whitespace.
                let len = rest
                    .char_indices()
                    .find(|(_, c)| !c.is_whitespace())
                    .map_or(rest.len(), |(i, _)| i);
                self.pos += len;
                continue;
            }
            if c == '#' {
                self.pos += rest.find('\n').unwrap_or(rest.len());
                continue;
            }
            // mermaid also drops a line from any character (but `}`) followed by `%%`.
            let inline_comment = c != '}' && rest[c.len_utf8()..].starts_with("%%");
            if inline_comment || (rest.starts_with("%%") && !rest.starts_with("%%{")) {
                self.pos += rest.find('\n').unwrap_or(rest.len());
                continue;
            }
            break;
        }
        let rest = &self.text[self.pos..];
        if let Ok((_, n)) = number(rest) {
            return self.tok(TokKind::Num, n.len(), n);
        }
        if let Some(tok) = self.title_or_acc(rest) {
            return tok;
        }
        if let Some((kw, len)) = keyword(rest) {
            if kw.takes_rest_of_line() {
                self.modes.push(Mode::Line);
            } else if kw.takes_actor_id() {
                self.modes.push(Mode::Id);
            }
            return self.tok(TokKind::Keyword(kw), len, kw.text());
        }
        if rest.starts_with(',') {
            return self.tok(TokKind::Comma, 1, ",");
        }
        if rest.starts_with(';') {
            return self.tok(TokKind::Newline, 1, "");
        }
        let len = actor_len(rest);
        if len > 0 {
            let name = rest[..len].trim().to_string();
            return self.tok(TokKind::Actor, len, name);
        }
        if let Some((a, len)) = arrow(rest) {
            return self.tok(TokKind::Arrow(a), len, a.spelling());
        }
        if let Some(after_colon) = rest.strip_prefix(':') {
            let len = text_until_stop(after_colon);
            let value = after_colon[..len].to_string();
            return self.tok(TokKind::Text, 1 + len, value);
        }
        if rest.starts_with('+') {
            return self.tok(TokKind::Plus, 1, "+");
        }
        if rest.starts_with("()") {
            return self.tok(TokKind::CentralConnection, 2, "()");
        }
        if rest.starts_with('-') {
            return self.tok(TokKind::Minus, 1, "-");
        }
        let len = rest.chars().next().map_or(0, char::len_utf8);
        self.tok(TokKind::Invalid, len, &rest[..len])
    }

    /// `title ...`, `title: ...`, `accTitle: ...`, `accDescr: ...` and `accDescr { ... }`.
    fn title_or_acc(&mut self, rest: &str) -> Option<Tok> {
        if starts_with_ci(rest, "title") {
            let after = &rest[5..];
            // `title: text` is the legacy spelling of `title text`.
            let skip = if after.starts_with(": ") || after.starts_with(":\t") {
                2
            } else if after.starts_with([' ', '\t']) {
                1
            } else {
                0
            };
            if skip > 0 {
                let body = &after[skip..];
                let len = text_until_stop(body);
                if len > 0 {
                    return Some(self.tok(TokKind::Title, 5 + skip + len, body[..len].trim()));
                }
            }
        }
        if let Some(acc) = accessibility(rest, true) {
            let (descr, len, value) = acc.whole(rest);
            let kind = if descr {
                TokKind::AccDescr
            } else {
                TokKind::AccTitle
            };
            return Some(self.tok(kind, len, value));
        }
        None
    }

    fn next_id(&mut self) -> Tok {
        self.skip_same_line_space();
        let rest = &self.text[self.pos..];
        if rest.starts_with("@{") {
            self.modes.push(Mode::Config);
            return self.tok(TokKind::ConfigStart, 2, "@{");
        }
        // A name directly followed by `@{`.
        let plain = rest
            .char_indices()
            .find(|(_, c)| {
                matches!(c, '<' | '=' | '>' | '-' | ':' | '\n' | ',' | ';' | '@')
                    || c.is_whitespace()
            })
            .map_or(rest.len(), |(i, _)| i);
        if plain > 0 && rest[plain..].starts_with("@{") {
            return self.tok(TokKind::Actor, plain, &rest[..plain]);
        }
        // A name followed by ` as `.
        let word = rest
            .char_indices()
            .find(|(_, c)| {
                matches!(c, '<' | '>' | ':' | '\n' | ',' | ';' | '@') || c.is_whitespace()
            })
            .map_or(rest.len(), |(i, _)| i);
        if word > 0 && followed_by_as(&rest[word..]) {
            self.modes.push(Mode::Alias);
            return self.tok(TokKind::Actor, word, &rest[..word]);
        }
        // A name (spaces allowed) up to the end of the statement.
        let long = rest
            .char_indices()
            .find(|(_, c)| matches!(c, '<' | '>' | ':' | '\n' | ',' | ';' | '@'))
            .map_or(rest.len(), |(i, _)| i);
        if long > 0 {
            // The longest prefix after which only spaces precede a newline, `;`, `#` or the end.
            let candidate = &rest[..long];
            let after = &rest[long..];
            let ends_statement = |tail: &str| {
                let t = tail.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
                t.is_empty() || t.starts_with(['\n', ';', '#'])
            };
            // Otherwise the name can only end before a `#` inside it (the last one: the match
            // is greedy).
            let best = if ends_statement(after) {
                Some(long)
            } else {
                candidate.rfind('#').filter(|&h| h > 0)
            };
            if let Some(len) = best {
                self.modes.pop();
                return self.tok(TokKind::Actor, len, rest[..len].trim());
            }
        }
        // Anything else up to the end of the line is invalid here.
        let len = rest.find('\n').unwrap_or(rest.len());
        self.modes.pop();
        if len == 0 {
            return self.tok(TokKind::Invalid, 0, "");
        }
        self.tok(TokKind::Invalid, len, rest[..len].trim())
    }

    fn next_alias(&mut self) -> Tok {
        self.skip_same_line_space();
        let rest = &self.text[self.pos..];
        let is_as = rest.len() >= 2
            && rest.as_bytes()[..2].eq_ignore_ascii_case(b"as")
            && !rest.as_bytes().get(2).is_some_and(|b| is_js_word_byte(*b));
        self.modes.pop();
        self.modes.pop();
        if is_as {
            self.modes.push(Mode::Line);
            return self.tok(TokKind::As, 2, "as");
        }
        self.tok(TokKind::Newline, 0, "")
    }

    fn next_line(&mut self) -> Tok {
        self.skip_same_line_space();
        let rest = &self.text[self.pos..];
        let len = text_until_stop(rest);
        self.modes.pop();
        self.tok(TokKind::RestOfLine, len, rest[..len].trim_end())
    }

    fn next_config(&mut self) -> Tok {
        let rest = &self.text[self.pos..];
        if let Some(after) = rest.strip_prefix('}') {
            self.modes.pop();
            if followed_by_as(after) {
                // Back in the participant mode, then the alias mode.
                self.modes.push(Mode::Alias);
            } else {
                self.modes.pop();
            }
            return self.tok(TokKind::ConfigEnd, 1, "}");
        }
        if rest.is_empty() {
            return self.tok(TokKind::Eof, 0, "");
        }
        let len = rest.find('}').unwrap_or(rest.len());
        self.tok(TokKind::ConfigContent, len, &rest[..len])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokKind> {
        let mut lx = Lexer::new(text, 0);
        let mut out = Vec::new();
        loop {
            let t = lx.next_token();
            if t.kind == TokKind::Eof {
                break;
            }
            out.push(t.kind);
            if out.len() > 100 {
                break;
            }
        }
        out
    }

    #[test]
    fn actor_names_stop_at_arrows() {
        assert_eq!(actor_len("Alice ->> Bob"), 6);
        assert_eq!(actor_len("Web-Server->>B"), 10);
        assert_eq!(actor_len("a--b"), 1);
        assert_eq!(actor_len("my-xyz"), 2);
    }

    #[test]
    fn keywords_need_a_boundary() {
        assert_eq!(
            kinds("parser->>B: x\n")[0],
            TokKind::Actor,
            "`parser` is a name"
        );
        assert_eq!(kinds("par x\n")[0], TokKind::Keyword(Keyword::Par));
        assert_eq!(kinds("END\n")[0], TokKind::Keyword(Keyword::End));
    }

    #[test]
    fn participant_alias_modes() {
        let mut lx = Lexer::new("participant A as The A\n", 0);
        let toks: Vec<Tok> = (0..5).map(|_| lx.next_token()).collect();
        assert_eq!(toks[1].text, "A");
        assert_eq!(toks[2].kind, TokKind::As);
        assert_eq!(toks[3].text, "The A");
        assert_eq!(toks[4].kind, TokKind::Newline);
    }
}
