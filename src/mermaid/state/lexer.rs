//! The state diagram lexer: mermaid's rules, case-insensitive and first-match, with the
//! modes mermaid uses for `state ...`, notes, `classDef`/`class`/`style` lines and composite
//! bodies (`struct`, where line breaks are not tokens).

use nom::bytes::complete::{tag_no_case, take_while, take_while1};
use nom::character::complete::{char, satisfy};
use nom::combinator::recognize;
use nom::multi::many0_count;
use nom::{IResult, Parser};

use crate::mermaid::jison_rules::{
    accessibility, is_js_word, keyword_at, lex_all, starts_with_ci, AccessibilityKinds,
    DirectionLines, ModeStack, SpanToken,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Click,
    Href,
    Str,
    Default,
    /// A `direction XX` line; `value` holds the direction.
    Direction,
    Nl,
    Scale,
    Width,
    AccTitle,
    AccDescr,
    AccValue,
    AccDescrBlock,
    ClassDef,
    ClassDefId,
    DefaultClassDefId,
    ClassDefStyles,
    Class,
    ClassIds,
    ClassName,
    Style,
    StyleIds,
    StyleOpts,
    /// `state <id> <<fork>>`; the range is the id.
    Fork,
    Join,
    Choice,
    /// The quoted description of `state "..." as id`.
    StateDescr,
    As,
    Id,
    CompositState,
    StructStart,
    StructStop,
    Note,
    LeftOf,
    RightOf,
    NoteText,
    HideEmpty,
    EdgeState,
    Descr,
    Arrow,
    Concurrent,
    StyleSep,
    Invalid,
    Eof,
    Unrecognized,
    /// Two words after `state` and a `{` later on the second word's line, which mermaid's
    /// lexer refuses ("State name must be a single word"); lexing stops there.
    MultiWordName,
}

impl Tok {
    pub fn describe(self) -> &'static str {
        match self {
            Tok::Click => "`click`",
            Tok::Href => "`href`",
            Tok::Str => "a quoted string",
            Tok::Default => "`default`",
            Tok::Direction => "a `direction` statement",
            Tok::Nl => "a line break",
            Tok::Scale => "`scale`",
            Tok::Width => "a width",
            Tok::AccTitle => "`accTitle:`",
            Tok::AccDescr => "`accDescr:`",
            Tok::AccValue => "accessibility text",
            Tok::AccDescrBlock => "`accDescr { ... }`",
            Tok::ClassDef => "`classDef`",
            Tok::ClassDefId => "a class name",
            Tok::DefaultClassDefId => "`default` (not a class name here)",
            Tok::ClassDefStyles => "styles",
            Tok::Class => "`class`",
            Tok::ClassIds => "state ids",
            Tok::ClassName => "a class name",
            Tok::Style => "`style`",
            Tok::StyleIds => "state ids",
            Tok::StyleOpts => "styles",
            Tok::Fork => "a fork state",
            Tok::Join => "a join state",
            Tok::Choice => "a choice state",
            Tok::StateDescr => "a state description",
            Tok::As => "`as`",
            Tok::Id => "a state id",
            Tok::CompositState => "a state id",
            Tok::StructStart => "`{`",
            Tok::StructStop => "`}`",
            Tok::Note => "`note`",
            Tok::LeftOf => "`left of`",
            Tok::RightOf => "`right of`",
            Tok::NoteText => "note text",
            Tok::HideEmpty => "`hide empty description`",
            Tok::EdgeState => "`[*]`",
            Tok::Descr => "a `: description`",
            Tok::Arrow => "`-->`",
            Tok::Concurrent => "`--`",
            Tok::StyleSep => "`:::`",
            Tok::Invalid => "an unexpected character",
            Tok::Eof => "the end of the diagram",
            Tok::Unrecognized => "unrecognised text",
            Tok::MultiWordName => "a state name of more than one word",
        }
    }
}

pub type Token = SpanToken<Tok>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    Struct,
    State,
    StateString,
    StateId,
    Note,
    NoteId,
    NoteText,
    FloatingNote,
    FloatingNoteId,
    ClassDef,
    ClassDefId,
    Class,
    ClassStyle,
    Style,
    StyleDefStyles,
    Scale,
}

/// The length of `word, white space, word, anything but a line break, {` at `start` of `text`
/// (mermaid 12.3's `\w+\s+\w+.*?\{` in its `state` mode): a second word after a state's
/// name, also on the next line, with a `{` later on that word's line.
fn multi_word_name(text: &str, start: usize, braces: &Braces) -> Option<usize> {
    let rest = &text[start..];
    let word = |s: &str| {
        s.bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count()
    };
    let first = word(rest);
    let gap: usize = rest[first..]
        .chars()
        .take_while(|c| c.is_whitespace() || *c == '\u{feff}')
        .map(char::len_utf8)
        .sum();
    let second = word(&rest[first + gap..]);
    if first == 0 || gap == 0 || second == 0 {
        return None;
    }
    let after = start + first + gap + second;
    braces.first_on_line(after).map(|brace| brace + 1 - start)
}

/// Where the `{` and the line ends (as JavaScript's `.` sees them) of a text are, so that
/// "the first `{` later on this line" is two binary searches, not a scan: a long line of
/// words after `state` would otherwise be scanned once per word.
struct Braces {
    braces: Vec<usize>,
    line_ends: Vec<usize>,
}

impl Braces {
    fn new(text: &str) -> Braces {
        let mut braces = Vec::new();
        let mut line_ends = Vec::new();
        for (at, c) in text.char_indices() {
            match c {
                '{' => braces.push(at),
                // JavaScript's `.` stops at these line terminators.
                '\n' | '\r' | '\u{2028}' | '\u{2029}' => line_ends.push(at),
                _ => {}
            }
        }
        Braces { braces, line_ends }
    }

    /// The first `{` at or after `at` and before the end of its line.
    fn first_on_line(&self, at: usize) -> Option<usize> {
        let brace = *self.braces.get(self.braces.partition_point(|&b| b < at))?;
        let line_end = self
            .line_ends
            .get(self.line_ends.partition_point(|&e| e < at))
            .copied()
            .unwrap_or(usize::MAX);
        (brace < line_end).then_some(brace)
    }
}

pub fn tokenize(text: &str, start: usize) -> Vec<Token> {
    let mut lexer = Lexer {
        t: text,
        pos: start,
        modes: ModeStack::new(Mode::Initial, Mode::Initial),
        pending: None,
        directions: DirectionLines::new(text, DIRECTIONS, true),
        markers: marker_lines(text),
        braces: Braces::new(text),
    };
    lex_all(
        || lexer.next(),
        |t| matches!(t.kind, Tok::Eof | Tok::Unrecognized | Tok::MultiWordName),
    )
}

struct Lexer<'a> {
    t: &'a str,
    pos: usize,
    modes: ModeStack<Mode>,
    pending: Option<Token>,
    /// Where `direction\s+<DIR>` starts on each line (case-insensitive), for each of
    /// [`DIRECTIONS`].
    directions: DirectionLines<4>,
    /// Per line, for each of [`MARKERS`], the last offset where it starts.
    markers: Vec<[Option<usize>; 6]>,
    braces: Braces,
}

/// The `state` rules that look ahead to the end of the line, in mermaid's order.
const MARKERS: [(&str, Tok); 6] = [
    ("<<fork>>", Tok::Fork),
    ("<<join>>", Tok::Join),
    ("<<choice>>", Tok::Choice),
    ("[[fork]]", Tok::Fork),
    ("[[join]]", Tok::Join),
    ("[[choice]]", Tok::Choice),
];

/// The `direction` rules, in mermaid's order.
const DIRECTIONS: [&str; 4] = ["TB", "BT", "RL", "LR"];

/// Per line, for each of [`MARKERS`], the last offset where it starts (case-insensitive).
fn marker_lines(text: &str) -> Vec<[Option<usize>; 6]> {
    let mut markers = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        let mut found = [None; 6];
        for (m, (marker, _)) in MARKERS.iter().enumerate() {
            found[m] = lower.rfind(marker).map(|at| start + at);
        }
        markers.push(found);
        start += line.len();
    }
    markers
}

type R<'a> = IResult<&'a str, &'a str>;

fn ws1(i: &str) -> R<'_> {
    take_while1(char::is_whitespace).parse(i)
}

/// `\w+` then `("," \s* \w+)*`: the ids of a `class` line.
fn class_ids(i: &str) -> R<'_> {
    recognize((
        take_while1(is_js_word),
        many0_count((
            char(','),
            take_while(char::is_whitespace),
            take_while1(is_js_word),
        )),
    ))
    .parse(i)
}

/// `"-->"`-free id characters: `[^:\n\s\-\{]+`.
fn id_chars(i: &str) -> R<'_> {
    take_while1(|c: char| c != ':' && c != '-' && c != '{' && !c.is_whitespace()).parse(i)
}

/// `\s*":"(?:[^:\n;]|":"[^:\n;])+`
fn description(i: &str) -> R<'_> {
    let plain = |c: char| c != ':' && c != '\n' && c != ';';
    recognize((
        take_while(char::is_whitespace),
        char(':'),
        nom::multi::many1_count(nom::branch::alt((
            recognize(satisfy(plain)),
            recognize((char(':'), satisfy(plain))),
        ))),
    ))
    .parse(i)
}

/// Ends a match at `%%`, as mermaid's `processId` does for inline comments.
fn cut_comment(s: &str) -> &str {
    match s.find("%%") {
        Some(i) => &s[..i],
        None => s,
    }
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.t[self.pos..]
    }

    fn token(&mut self, kind: Tok, len: usize) -> Token {
        Token::consume(kind, &mut self.pos, len)
    }

    /// A token whose meaningful range is a part of what it consumed.
    fn token_range(&mut self, kind: Tok, consumed: usize, range: (usize, usize)) -> Token {
        let start = self.pos;
        self.pos += consumed;
        Token::new(kind, start + range.0, start + range.1)
    }

    /// `word` then a word boundary (jison appends `\b` to rules ending in a letter).
    fn keyword(&self, word: &str) -> bool {
        keyword_at(self.rest(), word, true)
    }

    /// `word\s+`: the length consumed.
    fn keyword_ws(&self, word: &str) -> Option<usize> {
        if !starts_with_ci(self.rest(), word) {
            return None;
        }
        let after = &self.rest()[word.len()..];
        ws1(after).ok().map(|(_, ws)| word.len() + ws.len())
    }

    fn unrecognized(&mut self) -> Token {
        let len = self.rest().chars().next().map_or(0, char::len_utf8);
        let t = self.token(Tok::Unrecognized, len);
        self.pos = self.t.len();
        t
    }

    fn eof(&self) -> Token {
        Token::new(Tok::Eof, self.t.len(), self.t.len())
    }

    fn next(&mut self) -> Token {
        if let Some(t) = self.pending.take() {
            return t;
        }
        loop {
            if self.pos >= self.t.len() {
                return self.eof();
            }
            let token = match self.modes.current() {
                Mode::Initial | Mode::Struct => self.body(),
                Mode::State => self.state(),
                Mode::StateString => {
                    let rest = self.rest();
                    if rest.starts_with('"') {
                        self.modes.pop();
                        self.pos += 1;
                        None
                    } else {
                        let len = rest.find('"').unwrap_or(rest.len());
                        Some(self.token(Tok::StateDescr, len))
                    }
                }
                Mode::StateId => {
                    let rest = self.rest();
                    let len = rest.find(['\n', '{']).unwrap_or(rest.len());
                    let id = cut_comment(&rest[..len]);
                    self.modes.pop();
                    let t = self.token(Tok::Id, id.len());
                    Some(t)
                }
                Mode::Note => self.note(),
                Mode::NoteId => {
                    let rest = self.rest();
                    let ws = rest.len() - rest.trim_start().len();
                    let after = &rest[ws..];
                    match take_while1::<_, &str, nom::error::Error<&str>>(|c: char| {
                        c != ':' && c != '-' && !c.is_whitespace()
                    })
                    .parse(after)
                    {
                        Ok((_, id)) => {
                            let id = cut_comment(id);
                            self.modes.pop();
                            self.modes.push(Mode::NoteText);
                            Some(self.token_range(Tok::Id, ws + id.len(), (ws, ws + id.len())))
                        }
                        Err(_) => Some(self.unrecognized()),
                    }
                }
                Mode::NoteText => self.note_text(),
                Mode::FloatingNote => {
                    let rest = self.rest();
                    let trimmed = rest.trim_start();
                    let ws = rest.len() - trimmed.len();
                    // `get` rather than slicing: the note text may start with a multi-byte character.
                    if trimmed
                        .get(..2)
                        .is_some_and(|w| w.eq_ignore_ascii_case("as"))
                    {
                        let after = &trimmed[2..];
                        let ws2 = after.len() - after.trim_start().len();
                        self.modes.pop();
                        self.modes.push(Mode::FloatingNoteId);
                        Some(self.token(Tok::As, ws + 2 + ws2))
                    } else if rest.starts_with('"') {
                        self.pos += 1;
                        None
                    } else {
                        let len = rest.find('"').unwrap_or(rest.len());
                        Some(self.token(Tok::NoteText, len))
                    }
                }
                Mode::FloatingNoteId => {
                    let rest = self.rest();
                    let len = rest.find('\n').unwrap_or(rest.len());
                    let id = cut_comment(&rest[..len]);
                    self.modes.pop();
                    Some(self.token(Tok::Id, id.len()))
                }
                Mode::ClassDef => {
                    if let Some(len) = self.keyword_ws("default") {
                        self.modes.pop();
                        self.modes.push(Mode::ClassDefId);
                        Some(self.token(Tok::DefaultClassDefId, len))
                    } else if let Ok((_, (id, ws))) =
                        (take_while1(is_js_word), ws1).parse(self.rest())
                    {
                        let (id_len, ws_len) = (id.len(), ws.len());
                        self.modes.pop();
                        self.modes.push(Mode::ClassDefId);
                        Some(self.token_range(Tok::ClassDefId, id_len + ws_len, (0, id_len)))
                    } else {
                        Some(self.unrecognized())
                    }
                }
                Mode::ClassDefId => Some(self.rest_of_line(Tok::ClassDefStyles)),
                Mode::Class => match class_ids(self.rest()) {
                    Ok((_, ids)) => {
                        self.modes.pop();
                        self.modes.push(Mode::ClassStyle);
                        Some(self.token(Tok::ClassIds, ids.len()))
                    }
                    Err(_) => Some(self.unrecognized()),
                },
                Mode::ClassStyle => Some(self.rest_of_line(Tok::ClassName)),
                Mode::Style => {
                    match (take_while1(|c: char| is_js_word(c) || c == ','), ws1).parse(self.rest())
                    {
                        Ok((_, (ids, ws))) => {
                            let (ids_len, ws_len) = (ids.len(), ws.len());
                            self.modes.pop();
                            self.modes.push(Mode::StyleDefStyles);
                            Some(self.token_range(Tok::StyleIds, ids_len + ws_len, (0, ids_len)))
                        }
                        Err(_) => Some(self.unrecognized()),
                    }
                }
                Mode::StyleDefStyles => Some(self.rest_of_line(Tok::StyleOpts)),
                Mode::Scale => {
                    let rest = self.rest();
                    let digits =
                        rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    if digits > 0 {
                        Some(self.token(Tok::Width, digits))
                    } else if let Ok((_, m)) = recognize((ws1, tag_no_case("width"))).parse(rest) {
                        self.modes.pop();
                        self.pos += m.len();
                        None
                    } else {
                        Some(self.unrecognized())
                    }
                }
            };
            if let Some(t) = token {
                return t;
            }
        }
    }

    fn rest_of_line(&mut self, kind: Tok) -> Token {
        let rest = self.rest();
        let len = rest.find('\n').unwrap_or(rest.len());
        self.modes.pop();
        self.token(kind, len)
    }

    /// Same-line whitespace and comments, skipped in the body, `state` and struct modes.
    fn skip_inline(&mut self) -> bool {
        let rest = self.rest();
        let ws = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() && c != '\n')
                .len();
        if ws > 0 {
            self.pos += ws;
            return true;
        }
        if rest.starts_with('#') || (rest.starts_with("%%") && !rest[2..].starts_with('{')) {
            self.pos += rest.find('\n').unwrap_or(rest.len());
            return true;
        }
        false
    }

    fn direction(&mut self) -> Option<Token> {
        let dir = DIRECTIONS[self.directions.first_from(self.pos)?];
        let rest = self.rest();
        let mut t = self.token(Tok::Direction, rest.find('\n').unwrap_or(rest.len()));
        t.value = Some(dir.to_string());
        Some(t)
    }

    fn body(&mut self) -> Option<Token> {
        let in_struct = self.modes.current() == Mode::Struct;
        let rest = self.rest();
        if !in_struct {
            if self.keyword("click") {
                return Some(self.token(Tok::Click, 5));
            }
            if self.keyword("href") {
                return Some(self.token(Tok::Href, 4));
            }
            if let Some(body) = rest.strip_prefix('"') {
                if let Some(close) = body.find('"') {
                    return Some(self.token(Tok::Str, close + 2));
                }
            }
            if self.keyword("default") {
                return Some(self.token(Tok::Default, 7));
            }
            if let Some(t) = self.direction() {
                return Some(t);
            }
            if rest.starts_with('\n') {
                let len = rest.len() - rest.trim_start_matches('\n').len();
                return Some(self.token(Tok::Nl, len));
            }
            let ws = rest.len() - rest.trim_start().len();
            if ws > 0 {
                self.pos += ws;
                return None;
            }
        }
        if self.skip_inline() {
            return None;
        }
        if !in_struct {
            if let Some(len) = self.keyword_ws("scale") {
                self.modes.push(Mode::Scale);
                return Some(self.token(Tok::Scale, len));
            }
            if let Some(t) = self.accessibility() {
                return Some(t);
            }
        }
        if let Some(len) = self.keyword_ws("classDef") {
            self.modes.push(Mode::ClassDef);
            return Some(self.token(Tok::ClassDef, len));
        }
        if let Some(len) = self.keyword_ws("class") {
            self.modes.push(Mode::Class);
            return Some(self.token(Tok::Class, len));
        }
        if let Some(len) = self.keyword_ws("style") {
            self.modes.push(Mode::Style);
            return Some(self.token(Tok::Style, len));
        }
        if let Some(len) = self.keyword_ws("state") {
            self.modes.push(Mode::State);
            self.pos += len;
            return None;
        }
        if in_struct {
            if let Some(t) = self.direction() {
                return Some(t);
            }
        }
        if !in_struct && rest.starts_with('{') {
            self.modes.pop();
            self.modes.push(Mode::Struct);
            return Some(self.token(Tok::StructStart, 1));
        }
        if in_struct {
            if rest.starts_with('}') {
                self.modes.pop();
                return Some(self.token(Tok::StructStop, 1));
            }
            if rest.starts_with('\n') {
                self.pos += 1;
                return None;
            }
        }
        if let Some(len) = self.keyword_ws("note") {
            self.modes.push(Mode::Note);
            return Some(self.token(Tok::Note, len));
        }
        if !in_struct && starts_with_ci(self.rest(), "hide empty description") {
            return Some(self.token(Tok::HideEmpty, 22));
        }
        if rest.starts_with("[*]") {
            return Some(self.token(Tok::EdgeState, 3));
        }
        if let Ok((_, id)) = id_chars(rest) {
            let cut = cut_comment(id);
            if !cut.is_empty() {
                return Some(self.token(Tok::Id, cut.len()));
            }
        }
        if let Ok((_, d)) = description(rest) {
            return Some(self.token(Tok::Descr, d.len()));
        }
        if rest.starts_with("-->") {
            return Some(self.token(Tok::Arrow, 3));
        }
        if in_struct && rest.starts_with("--") {
            return Some(self.token(Tok::Concurrent, 2));
        }
        if rest.starts_with(":::") {
            return Some(self.token(Tok::StyleSep, 3));
        }
        if in_struct {
            return Some(self.unrecognized());
        }
        let len = rest.chars().next().map_or(0, char::len_utf8);
        Some(self.token(Tok::Invalid, len))
    }

    const ACCESSIBILITY: AccessibilityKinds<Tok> = AccessibilityKinds::new(
        Tok::AccTitle,
        Tok::AccDescr,
        Tok::AccValue,
        Tok::AccDescrBlock,
    );

    fn accessibility(&mut self) -> Option<Token> {
        let statement = accessibility(self.rest(), true)?;
        let (token, value, taken) =
            statement.span_tokens(self.rest(), self.pos, &Self::ACCESSIBILITY);
        self.pos += taken;
        if value.is_some() {
            self.pending = value;
        }
        Some(token)
    }

    fn state(&mut self) -> Option<Token> {
        if self.skip_inline() {
            return None;
        }
        let rest = self.rest();
        let line_index = self.directions.line_of(self.pos);
        let found = self.markers.get(line_index).copied().unwrap_or_default();
        for ((marker, kind), last) in MARKERS.iter().zip(found) {
            // `.*<<fork>>`: greedy, so the last marker on the line
            if let Some(at) = last.filter(|&at| at >= self.pos).map(|at| at - self.pos) {
                self.modes.pop();
                let before = &rest[..at];
                let id = before.trim();
                let lead = before.len() - before.trim_start().len();
                return Some(self.token_range(*kind, at + marker.len(), (lead, lead + id.len())));
            }
        }
        if rest.starts_with('"') {
            self.modes.push(Mode::StateString);
            self.pos += 1;
            return None;
        }
        if let Ok((_, m)) =
            recognize((take_while(char::is_whitespace), tag_no_case("as"), ws1)).parse(rest)
        {
            self.modes.push(Mode::StateId);
            return Some(self.token(Tok::As, m.len()));
        }
        if let Some(len) = multi_word_name(self.t, self.pos, &self.braces) {
            return Some(self.token(Tok::MultiWordName, len));
        }
        if let Ok((_, id)) = take_while1::<_, &str, nom::error::Error<&str>>(|c: char| {
            c != '{' && !c.is_whitespace()
        })
        .parse(rest)
        {
            return Some(self.token(Tok::CompositState, id.len()));
        }
        if rest.starts_with('\n') {
            self.modes.pop();
            self.pos += 1;
            return None;
        }
        if rest.starts_with('{') {
            self.modes.pop();
            self.modes.push(Mode::Struct);
            return Some(self.token(Tok::StructStart, 1));
        }
        Some(self.unrecognized())
    }

    fn note(&mut self) -> Option<Token> {
        for (words, kind) in [("left of", Tok::LeftOf), ("right of", Tok::RightOf)] {
            if starts_with_ci(self.rest(), words) {
                self.modes.pop();
                self.modes.push(Mode::NoteId);
                return Some(self.token(kind, words.len()));
            }
        }
        if self.rest().starts_with('"') {
            self.modes.pop();
            self.modes.push(Mode::FloatingNote);
            self.pos += 1;
            return None;
        }
        Some(self.unrecognized())
    }

    fn note_text(&mut self) -> Option<Token> {
        let rest = self.rest();
        let trimmed = rest.trim_start();
        let ws = rest.len() - trimmed.len();
        if let Some(after) = trimmed.strip_prefix(':') {
            let len = after.find([':', '\n', ';']).unwrap_or(after.len());
            if len > 0 {
                self.modes.pop();
                // mermaid drops the first two characters of ` : text` (meant to be the space and
                // the colon), whatever they are
                let consumed = ws + 1 + len;
                let matched = &rest[..consumed];
                let skip = matched.char_indices().nth(2).map_or(consumed, |(i, _)| i);
                let mut t = self.token(Tok::NoteText, consumed);
                t.value = Some(matched[skip..].trim().to_string());
                return Some(t);
            }
        }
        // `[\s\S]*?\n\s*"end note"`
        let mut search = 0;
        while let Some(nl) = rest[search..].find('\n').map(|i| search + i) {
            let after = &rest[nl..];
            let ws = after.len() - after.trim_start().len();
            let word = after.as_bytes().get(ws..ws + 8);
            if word.is_some_and(|w| w.eq_ignore_ascii_case(b"end note")) {
                let consumed = nl + ws + 8;
                self.modes.pop();
                let mut t = self.token(Tok::NoteText, consumed);
                t.value = Some(rest[..nl + ws].trim().to_string());
                return Some(t);
            }
            search = nl + 1;
        }
        Some(self.unrecognized())
    }
}
