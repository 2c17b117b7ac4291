//! Pieces shared by the lexers of all mermaid families, which follow the rules of mermaid's
//! generated (jison) lexers: JavaScript's idea of whitespace and word characters,
//! case-insensitive keywords that must end at a word boundary, entity codes, the mode stack,
//! the token shapes, the per-line `direction` look-ahead, and (for the ER and C4 token
//! functions) a nom error that remembers the offending token and what was expected there.

use super::syntax_error::{SyntaxError, TextPlace};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceText;
use std::cell::Cell;
use std::ops::Range;

/// JavaScript's `\s`.
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// JavaScript's `\w` (ASCII only).
pub fn is_js_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` starts with `word`, ignoring ASCII case.
pub fn starts_with_ci(text: &str, word: &str) -> bool {
    text.len() >= word.len() && text.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
}

/// Whether `text` contains `word`, ignoring ASCII case.
pub fn contains_ci(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

thread_local! {
    /// Positions known to hold no `direction` before their line end, as lengths of the rest of
    /// the text `(shortest, longest]`: the lexers read suffixes of one text, so a rest's length
    /// says where it starts.
    static NO_DIRECTION: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Forgets what [`line_may_hold_direction`] learnt; each parse starts with this, as the memo is
/// keyed by positions in one text.
pub fn reset_direction_memo() {
    NO_DIRECTION.with(|m| m.set((0, 0)));
}

/// Whether the rest of the line from `rest` (up to `\n`, `\r`, U+2028 or U+2029) contains
/// `direction` in any case. Mermaid's lexers try their `.*direction` rule at every token; a
/// failed look-up holds for every later token of the same line, so it is remembered, which keeps
/// a long line from being scanned once per token.
pub fn line_may_hold_direction(rest: &str) -> bool {
    let from_end = rest.len();
    let (shortest, longest) = NO_DIRECTION.with(Cell::get);
    if shortest < from_end && from_end <= longest {
        return false;
    }
    let line_end = rest
        .find(['\n', '\r', '\u{2028}', '\u{2029}'])
        .unwrap_or(rest.len());
    if contains_ci(&rest[..line_end], "direction") {
        return true;
    }
    NO_DIRECTION.with(|m| m.set((from_end - line_end.max(1).min(from_end), from_end)));
    false
}

/// `word` at the start of `text` and then a word boundary (jison appends `\b` to rules ending
/// in a letter); `ignore_case` follows the lexer's `case-insensitive` option.
pub fn keyword_at(text: &str, word: &str, ignore_case: bool) -> bool {
    let starts = if ignore_case {
        starts_with_ci(text, word)
    } else {
        text.starts_with(word)
    };
    starts && !text[word.len()..].chars().next().is_some_and(is_js_word)
}

/// The opening of an accessibility statement, as every family's lexer reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Accessibility {
    /// `accTitle:` (`descr` false) or `accDescr:`: the text after the colon starts at byte
    /// `value` and runs to the line end.
    Line { descr: bool, value: usize },
    /// `accDescr {`: the text after the brace starts at byte `body`; `close` is where the `}`
    /// is, when there is one.
    Block { body: usize, close: Option<usize> },
}

impl Accessibility {
    /// The statement at the start of `text` read as one token, as the sequence and class
    /// lexers do: whether it is `accDescr`, the bytes it takes and its trimmed text.
    pub fn whole(self, text: &str) -> (bool, usize, &str) {
        match self {
            Accessibility::Line { descr, value } => {
                let len = text[value..].find('\n').unwrap_or(text.len() - value);
                (descr, value + len, text[value..value + len].trim())
            }
            Accessibility::Block { body, close } => {
                let end = close.unwrap_or(text.len());
                let taken = close.map_or(text.len(), |c| c + 1);
                (true, taken, text[body..end].trim())
            }
        }
    }
}

/// The token kinds the flowchart and state lexers give accessibility statements.
pub struct AccessibilityKinds<K> {
    pub title: K,
    pub descr: K,
    /// The text of an `accTitle:`/`accDescr:` line.
    pub value: K,
    /// The body of `accDescr { ... }`.
    pub block: K,
}

impl<K> AccessibilityKinds<K> {
    pub const fn new(title: K, descr: K, value: K, block: K) -> Self {
        AccessibilityKinds {
            title,
            descr,
            value,
            block,
        }
    }
}

impl Accessibility {
    /// The statement at byte `pos` of the lexed text (`text` starts there) split as the
    /// flowchart and state lexers do: the head (keyword, colon and the space after it) and the
    /// value to the line end, or the block's body from its first non-space character; and the
    /// bytes the statement takes.
    pub fn span_tokens<K: Copy>(
        self,
        text: &str,
        pos: usize,
        kinds: &AccessibilityKinds<K>,
    ) -> (SpanToken<K>, Option<SpanToken<K>>, usize) {
        match self {
            Accessibility::Line { descr, value } => {
                let kind = if descr { kinds.descr } else { kinds.title };
                let head = value + leading_space(&text[value..]);
                let line = text[head..].find('\n').unwrap_or(text.len() - head);
                let value = SpanToken::new(kinds.value, pos + head, pos + head + line);
                (
                    SpanToken::new(kind, pos, pos + head),
                    Some(value),
                    head + line,
                )
            }
            Accessibility::Block { body, close } => {
                let start = pos + body + leading_space(&text[body..]);
                let end = pos + close.unwrap_or(text.len());
                let taken = close.map_or(text.len(), |c| c + 1);
                (SpanToken::new(kinds.block, start, end), None, taken)
            }
        }
    }
}

/// The accessibility statement at the start of `text`, if any; `ignore_case` follows the
/// lexer's `case-insensitive` option.
pub fn accessibility(text: &str, ignore_case: bool) -> Option<Accessibility> {
    for (word, descr) in [("accTitle", false), ("accDescr", true)] {
        let starts = if ignore_case {
            starts_with_ci(text, word)
        } else {
            text.starts_with(word)
        };
        if !starts {
            continue;
        }
        let punct = word.len() + leading_space(&text[word.len()..]);
        if text[punct..].starts_with(':') {
            return Some(Accessibility::Line {
                descr,
                value: punct + 1,
            });
        }
        if descr && text[punct..].starts_with('{') {
            let body = punct + 1;
            let close = text[body..].find('}').map(|c| body + c);
            return Some(Accessibility::Block { body, close });
        }
    }
    None
}

/// Length in bytes of the leading whitespace of `text`.
pub fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// The first rule of `rules` whose keyword [`keyword_at`] the start of `text`, as jison picks
/// the first rule that matches: its kind and the keyword's length.
pub fn first_keyword<K: Copy>(
    text: &str,
    rules: &[(&str, K)],
    ignore_case: bool,
) -> Option<(K, usize)> {
    rules
        .iter()
        .find(|(word, _)| keyword_at(text, word, ignore_case))
        .map(|(word, kind)| (*kind, word.len()))
}

/// JavaScript's `\b` at byte `at` of `text`, where `text` starts at the token's first character
/// (the lexer sees no character before it).
pub fn word_boundary_at(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back().is_some_and(is_js_word);
    let after = text[at..].chars().next().is_some_and(is_js_word);
    before != after
}

/// Length in bytes of the leading run of characters satisfying `pred`.
pub fn run_len(text: &str, pred: impl Fn(char) -> bool) -> usize {
    text.find(|c| !pred(c)).unwrap_or(text.len())
}

pub fn ascii_digits(text: &str) -> usize {
    run_len(text, |c| c.is_ascii_digit())
}

/// `"` then characters satisfying `inner` then `"`: the length including both quotes.
pub fn quoted(text: &str, inner: impl Fn(char) -> bool) -> Option<usize> {
    let body = text.strip_prefix('"')?;
    let len = run_len(body, inner);
    body[len..].starts_with('"').then_some(len + 2)
}

/// `keyword\s*punct\s*`: the accessibility openers. `ignore_case` follows the lexer's
/// `case-insensitive` option (the ER lexer has it, the C4 lexer not).
pub fn acc_keyword(text: &str, keyword: &str, punct: char, ignore_case: bool) -> Option<usize> {
    let matches = if ignore_case {
        starts_with_ci(text, keyword)
    } else {
        text.starts_with(keyword)
    };
    if !matches {
        return None;
    }
    let after = &text[keyword.len()..];
    let gap = run_len(after, is_js_space);
    let after_punct = after[gap..].strip_prefix(punct)?;
    let trailing = run_len(after_punct, is_js_space);
    Some(keyword.len() + gap + punct.len_utf8() + trailing)
}

/// JavaScript's `\w` for one byte of UTF-8 text (a non-ASCII byte is never a word byte).
pub fn is_js_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `#name;` at the start of `bytes`: an HTML entity code, which mermaid replaces before lexing
/// (so its `#` starts no comment and its `;` ends no statement). Its length, or `None`.
pub fn entity_len(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'#') {
        return None;
    }
    let name = bytes[1..]
        .iter()
        .take_while(|b| is_js_word_byte(**b))
        .count();
    (name > 0 && bytes.get(1 + name) == Some(&b';')).then_some(name + 2)
}

/// Mermaid replaces every entity code (`#name;`) by placeholder characters before lexing (its
/// `encodeEntities`), so that the code's `#` starts no comment and its `;` ends no statement.
/// This does the same and keeps every offset: the `#` and `;` of each code become
/// [`ENTITY_START`] and [`ENTITY_END`]. Token texts get them back with [`unmask_entities`].
pub fn mask_entities(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while i < bytes.len() {
        match entity_len(&bytes[i..]) {
            Some(len) => {
                bytes[i] = ENTITY_START;
                bytes[i + len - 1] = ENTITY_END;
                i += len;
            }
            None => i += 1,
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The `#` of an entity code masked by [`mask_entities`].
pub const ENTITY_START: u8 = 0x0e;
/// The `;` of an entity code masked by [`mask_entities`].
pub const ENTITY_END: u8 = 0x0f;

/// The text of a token of masked text as written.
pub fn unmask_entities(text: &str) -> String {
    text.replace(ENTITY_START as char, "#")
        .replace(ENTITY_END as char, ";")
}

/// The start conditions of a jison lexer: a stack of modes whose top decides which rules
/// apply. Popping the last mode leaves `base`, as jison's `popState` does on its `INITIAL`.
#[derive(Debug)]
pub struct ModeStack<M> {
    stack: Vec<M>,
    base: M,
}

impl<M: Copy> ModeStack<M> {
    /// A stack holding `first`; `base` is what remains once everything is popped.
    pub fn new(first: M, base: M) -> Self {
        ModeStack {
            stack: vec![first],
            base,
        }
    }

    pub fn current(&self) -> M {
        *self.stack.last().unwrap_or(&self.base)
    }

    pub fn push(&mut self, mode: M) {
        self.stack.push(mode);
    }

    pub fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        } else {
            self.stack = vec![self.base];
        }
    }
}

/// A token whose meaning is its kind and a byte range, with an assembled value where the
/// source slice is not the value (flowchart and state lexers).
#[derive(Debug, Clone, PartialEq)]
pub struct SpanToken<K> {
    pub kind: K,
    pub start: usize,
    pub end: usize,
    /// Assembled values (shape data, direction) where the source slice is not the value.
    pub value: Option<String>,
}

impl<K> SpanToken<K> {
    pub fn new(kind: K, start: usize, end: usize) -> Self {
        SpanToken {
            kind,
            start,
            end,
            value: None,
        }
    }

    /// The token of `len` bytes at `*pos`; `pos` moves past it.
    pub fn consume(kind: K, pos: &mut usize, len: usize) -> Self {
        let start = *pos;
        *pos += len;
        SpanToken::new(kind, start, *pos)
    }
}

/// A token carrying its text (sequence and class lexers).
#[derive(Debug, Clone, PartialEq)]
pub struct TextToken<K> {
    pub kind: K,
    /// Byte range in the diagram text of the whole token.
    pub range: Range<usize>,
    /// The token's value (trimmed name, text after a colon, ...).
    pub text: String,
}

impl<K> TextToken<K> {
    /// The token of `len` bytes at `*pos` with value `text`; `pos` moves past it.
    pub fn consume(kind: K, pos: &mut usize, len: usize, text: impl Into<String>) -> Self {
        let start = *pos;
        *pos += len;
        TextToken {
            kind,
            range: start..*pos,
            text: text.into(),
        }
    }
}

/// Every token `next` yields, up to and including the first that `ends` (end of input or a
/// lexing error, after which mermaid's lexer gives up).
pub fn lex_all<T>(mut next: impl FnMut() -> T, ends: impl Fn(&T) -> bool) -> Vec<T> {
    let mut tokens = Vec::new();
    loop {
        let token = next();
        let stop = ends(&token);
        tokens.push(token);
        if stop {
            return tokens;
        }
    }
}

/// For every line of a text, for each of a list of directions, the last offset where
/// `direction\s+<DIR>` starts: mermaid's `.*direction\s+<DIR>[^\n]*` rules look to the end of
/// the line at every token, and this keeps that linear.
pub struct DirectionLines<const N: usize> {
    line_starts: Vec<usize>,
    found: Vec<[Option<usize>; N]>,
}

impl<const N: usize> DirectionLines<N> {
    /// `directions` in the lexer's rule order; `ignore_case` follows its `case-insensitive`
    /// option.
    pub fn new(text: &str, directions: [&str; N], ignore_case: bool) -> Self {
        let mut line_starts = vec![0];
        let mut found = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let mut on_line = [None; N];
            for (i, after) in direction_words(line, ignore_case) {
                let trimmed = after.trim_start();
                if trimmed.len() < after.len() {
                    for (d, dir) in directions.iter().enumerate() {
                        let here = if ignore_case {
                            starts_with_ci(trimmed, dir)
                        } else {
                            trimmed.starts_with(dir)
                        };
                        if here {
                            on_line[d] = Some(start + i);
                        }
                    }
                }
            }
            found.push(on_line);
            start += line.len();
            line_starts.push(start);
        }
        DirectionLines { line_starts, found }
    }

    /// The index of the line holding byte `pos`.
    pub fn line_of(&self, pos: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= pos)
            .saturating_sub(1)
    }

    /// The first direction, in rule order, whose `direction` word starts at or after `pos` on
    /// its line.
    pub fn first_from(&self, pos: usize) -> Option<usize> {
        self.found
            .get(self.line_of(pos))?
            .iter()
            .position(|at| at.is_some_and(|at| at >= pos))
    }
}

/// Where the word `direction` starts in `line`, with what follows it.
fn direction_words(line: &str, ignore_case: bool) -> Vec<(usize, &str)> {
    let at: Vec<usize> = if ignore_case {
        line.to_ascii_lowercase()
            .match_indices("direction")
            .map(|(i, _)| i)
            .collect()
    } else {
        line.match_indices("direction").map(|(i, _)| i).collect()
    };
    at.into_iter().map(|i| (i, &line[i + 9..])).collect()
}

/// A token of a lexer that reads the text in place (ER, C4): its kind, its text, and where it
/// starts, as the length of the text from there to the end. The lexers are handed suffixes of
/// one text, so a position is that text's length minus `from_end`.
#[derive(Debug, Clone, Copy)]
pub struct Lexed<'a, K> {
    pub tok: K,
    pub text: &'a str,
    pub from_end: usize,
}

impl<'a, K> Lexed<'a, K> {
    /// The token of the first `len` bytes of `rest`, and the text after it.
    pub fn split(tok: K, rest: &'a str, len: usize) -> (Self, &'a str) {
        let (text, after) = rest.split_at(len);
        let lexed = Lexed {
            tok,
            text,
            from_end: rest.len(),
        };
        (lexed, after)
    }
}

/// Byte positions in a text read as suffixes (see [`Lexed`]).
#[derive(Debug, Clone, Copy)]
pub struct Positions {
    pub text_len: usize,
}

impl Positions {
    /// Where `rest`, a suffix of the text, starts.
    pub fn of_rest(self, rest: &str) -> usize {
        self.text_len.saturating_sub(rest.len())
    }

    /// The byte range of a token.
    pub fn of<K>(self, lexed: &Lexed<'_, K>) -> Range<usize> {
        let start = self.text_len.saturating_sub(lexed.from_end);
        start..start + lexed.text.len()
    }
}

/// A syntax error of a text grammar (ER, C4): at a place in the text.
pub type TextError<'a> = SyntaxError<TextPlace<'a>>;

impl<'a> TextError<'a> {
    /// At the start of `rest` (a suffix of the parsed text), showing its first `len` bytes.
    pub fn in_text(rest: &'a str, len: usize, expected: &'static str, at_end: bool) -> Self {
        let place = TextPlace {
            shown: &rest[..len],
            from_end: rest.len(),
            at_end,
        };
        SyntaxError::new(place, expected)
    }

    /// At a token.
    pub fn at_token<K>(lexed: &Lexed<'a, K>, expected: &'static str, at_end: bool) -> Self {
        let place = TextPlace {
            shown: lexed.text,
            from_end: lexed.from_end,
            at_end,
        };
        SyntaxError::new(place, expected)
    }

    /// The same place, expecting `what` instead, and at the end of the diagram if `at_end`.
    pub fn expecting(self, what: &'static str, at_end: bool) -> Self {
        let mut error = self.instead(what);
        error.at.at_end = at_end;
        error
    }

    /// The diagnostic, positioned at the token of a text of `text_len` bytes.
    pub fn diagnostic(&self, src: &SourceText, text_len: usize, code: Code) -> Diagnostic {
        let TextPlace {
            shown,
            from_end,
            at_end,
        } = self.at;
        let start = text_len.saturating_sub(from_end);
        let found = if at_end || shown.is_empty() {
            "the end of the diagram".to_string()
        } else if shown.starts_with('\n') {
            "a line break".to_string()
        } else {
            let shown: String = shown.chars().take(40).collect();
            format!("`{shown}`")
        };
        src.diagnostic(code, self.message(&found), start..start + shown.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_and_keywords() {
        assert!(word_boundary_at("to B", 2));
        assert!(!word_boundary_at("total", 2));
        assert!(word_boundary_at("|o-", 2));
        assert_eq!(
            acc_keyword("accTitle :  x", "accTitle", ':', false),
            Some(12)
        );
        assert_eq!(acc_keyword("acctitle: x", "accTitle", ':', false), None);
        assert_eq!(acc_keyword("acctitle: x", "accTitle", ':', true), Some(10));
        assert_eq!(acc_keyword("accDescr {\n", "accDescr", '{', true), Some(11));
        assert_eq!(quoted("\"ab\" c", |c| c != '"'), Some(4));
        assert_eq!(quoted("\"ab", |c| c != '"'), None);
    }

    #[test]
    fn entities_modes_and_directions() {
        assert_eq!(entity_len(b"#amp; x"), Some(5));
        assert_eq!(entity_len(b"#; x"), None);
        assert_eq!(entity_len(b"#amp x"), None);

        let mut modes = ModeStack::new('d', 'i');
        modes.push('t');
        modes.pop();
        assert_eq!(modes.current(), 'd');
        modes.pop();
        assert_eq!(modes.current(), 'i');
        modes.pop();
        assert_eq!(modes.current(), 'i');

        let text = "a\nx direction  lr y\nDIRECTION TB\n";
        let exact = DirectionLines::new(text, ["TB", "LR"], false);
        let any_case = DirectionLines::new(text, ["TB", "LR"], true);
        assert_eq!(exact.line_of(4), 1);
        assert_eq!(exact.first_from(2), None);
        assert_eq!(any_case.first_from(2), Some(1));
        assert_eq!(any_case.first_from(5), None);
        assert_eq!(any_case.first_from(20), Some(0));
    }

    #[test]
    fn accessibility_statements() {
        assert_eq!(
            accessibility("accTitle :  T\n", false),
            Some(Accessibility::Line {
                descr: false,
                value: 10
            })
        );
        assert_eq!(accessibility("acctitle: T", false), None);
        let block = accessibility("ACCDESCR { ab }x", true).unwrap();
        assert_eq!(
            block,
            Accessibility::Block {
                body: 10,
                close: Some(14)
            }
        );
        assert_eq!(block.whole("ACCDESCR { ab }x"), (true, 15, "ab"));
        assert_eq!(
            accessibility("accDescr {ab", false).map(|a| a.whole("accDescr {ab")),
            Some((true, 12, "ab"))
        );
        assert_eq!(accessibility("accTitle {x}", false), None);

        let kinds = AccessibilityKinds {
            title: 't',
            descr: 'd',
            value: 'v',
            block: 'b',
        };
        let text = "accDescr:  two words\nnext";
        let line = accessibility(text, false).unwrap();
        let (head, value, taken) = line.span_tokens(text, 100, &kinds);
        assert_eq!((head.kind, head.start, head.end), ('d', 100, 111));
        let value = value.unwrap();
        assert_eq!(
            (value.kind, value.start, value.end, taken),
            ('v', 111, 120, 20)
        );
        let (body, value, taken) = block.span_tokens("ACCDESCR { ab }x", 0, &kinds);
        assert_eq!((body.kind, body.start, body.end, taken), ('b', 11, 14, 15));
        assert!(value.is_none());
    }
}
