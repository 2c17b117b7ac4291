//! The small pieces of the IDL, as nom combinators: identifiers, shape IDs, numbers, and the
//! processing of quoted strings and text blocks (escapes, incidental whitespace).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1, one_of, satisfy};
use nom::combinator::{opt, recognize};
use nom::multi::many0;
use nom::{IResult, Parser};

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `Identifier = IdentifierStart *IdentifierChars`, `IdentifierStart = 1*"_" (ALPHA / DIGIT) / ALPHA`.
pub fn identifier(input: &str) -> IResult<&str, &str> {
    recognize((
        alt((
            recognize((
                take_while1(|c| c == '_'),
                satisfy(|c| c.is_ascii_alphanumeric()),
            )),
            recognize(satisfy(|c| c.is_ascii_alphabetic())),
        )),
        take_while(is_ident_char),
    ))
    .parse(input)
}

/// `Namespace = Identifier *("." Identifier)`.
pub fn namespace(input: &str) -> IResult<&str, &str> {
    recognize((identifier, many0((char('.'), identifier)))).parse(input)
}

/// `ShapeId = (Namespace "#" Identifier / Identifier) ["$" Identifier]`. A namespace without
/// `#` is accepted here and rejected by the caller, which can then say what is missing.
pub fn shape_id(input: &str) -> IResult<&str, &str> {
    recognize((
        namespace,
        opt((char('#'), identifier)),
        opt((char('$'), identifier)),
    ))
    .parse(input)
}

/// Whether `text` is exactly an identifier (what [`identifier`] reads, byte by byte: loading a
/// JSON AST checks every shape ID and member name written in it).
pub fn is_identifier(text: &str) -> bool {
    let bytes = text.as_bytes();
    let underscores = bytes.iter().take_while(|&&b| b == b'_').count();
    let start_ok = match bytes.get(underscores) {
        Some(b) if underscores > 0 => b.is_ascii_alphanumeric(),
        Some(b) => b.is_ascii_alphabetic(),
        None => false,
    };
    start_ok
        && bytes[underscores + 1..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `text` is exactly an absolute shape ID, `Namespace "#" Identifier`, with a
/// `"$" Identifier` member part when `member` allows one. One pass over the bytes: loading a
/// JSON AST asks this of every shape ID, target and trait ID written in it.
pub fn is_absolute_shape_id(text: &str, member: bool) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    // The namespace: identifiers joined by dots, up to the `#`.
    loop {
        let Some(end) = identifier_end(bytes, at) else {
            return false;
        };
        match bytes.get(end) {
            Some(b'.') => at = end + 1,
            Some(b'#') => {
                at = end + 1;
                break;
            }
            _ => return false,
        }
    }
    let Some(end) = identifier_end(bytes, at) else {
        return false;
    };
    match bytes.get(end) {
        None => true,
        Some(b'$') if member => identifier_end(bytes, end + 1) == Some(bytes.len()),
        Some(_) => false,
    }
}

/// Where the identifier that starts at `start` ends (as [`is_identifier`] reads one), or
/// `None` when none starts there.
fn identifier_end(bytes: &[u8], start: usize) -> Option<usize> {
    let rest = bytes.get(start..)?;
    let underscores = rest.iter().take_while(|&&b| b == b'_').count();
    let first = *rest.get(underscores)?;
    let first_ok = if underscores > 0 {
        first.is_ascii_alphanumeric()
    } else {
        first.is_ascii_alphabetic()
    };
    if !first_ok {
        return None;
    }
    let tail = rest[underscores + 1..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
        .count();
    Some(start + underscores + 1 + tail)
}

/// The characters the reference tokenizer takes into a number token; the token is then checked
/// against [`number`].
pub fn number_token(input: &str) -> IResult<&str, &str> {
    recognize((
        opt(char('-')),
        take_while1(|c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')),
    ))
    .parse(input)
}

/// `Number = [Minus] Int [Frac] [Exp]`.
pub fn number(input: &str) -> IResult<&str, &str> {
    recognize((
        opt(char('-')),
        alt((tag("0"), digit1)),
        opt((char('.'), digit1)),
        opt((one_of("eE"), opt(one_of("+-")), digit1)),
    ))
    .parse(input)
}

/// Why a number token is not a number, in the reference's words.
pub fn number_problem(token: &str) -> String {
    let body = token.strip_prefix('-').unwrap_or(token);
    if let Some(dot) = body.find('.') {
        if !body[dot + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            return format!("Invalid number '{token}': '.' must be followed by a digit");
        }
    }
    if body.ends_with(['e', 'E', '+', '-']) {
        return format!("Invalid number '{token}': 'e', '+', and '-' must be followed by a digit");
    }
    if body.starts_with('0') && body.len() > 1 && body.as_bytes()[1].is_ascii_digit() {
        return format!("Invalid number '{token}': leading zeros are not allowed");
    }
    format!("Invalid number '{token}'")
}

/// Processes the escapes of a quoted string or text block body. `Err` carries the byte offset
/// (into `raw`) of the bad escape and its text.
pub fn unescape(raw: &str) -> Result<String, (usize, String)> {
    if !raw.contains(['\\', '\r']) {
        return Ok(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\r' if matches!(chars.peek(), Some((_, '\n'))) => {}
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return Err((at, "\\".to_string()));
                };
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    '\n' => {}
                    '\r' => {
                        if matches!(chars.peek(), Some((_, '\n'))) {
                            chars.next();
                        }
                    }
                    'u' => {
                        let unit = hex4(&raw[at + 2..]).ok_or((at, raw_escape(raw, at, 6)))?;
                        for _ in 0..4 {
                            chars.next();
                        }
                        let code = if (0xD800..0xDC00).contains(&unit) {
                            // A high surrogate must be followed by an escaped low surrogate.
                            let rest = &raw[at + 6..];
                            let low = rest
                                .strip_prefix("\\u")
                                .and_then(hex4)
                                .filter(|l| (0xDC00..0xE000).contains(l))
                                .ok_or((at, raw_escape(raw, at, 6)))?;
                            for _ in 0..6 {
                                chars.next();
                            }
                            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            unit
                        };
                        out.push(char::from_u32(code).ok_or((at, raw_escape(raw, at, 6)))?);
                    }
                    other => return Err((at, format!("\\{other}"))),
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn raw_escape(raw: &str, at: usize, len: usize) -> String {
    raw[at..].chars().take(len).collect()
}

fn hex4(s: &str) -> Option<u32> {
    let digits = s.get(..4)?;
    if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        u32::from_str_radix(digits, 16).ok()
    } else {
        None
    }
}

/// Removes the incidental whitespace of a text block body (the text between the line break
/// after the opening `"""` and the closing `"""`), before escapes are processed: the smallest
/// indentation of the non-blank lines and of the closing line is removed from every line, and
/// trailing spaces are dropped.
pub fn dedent_text_block(body: &str) -> String {
    // Every line break (`\r\n`, a lone `\r`) is a `\n`.
    let normalized;
    let body = if body.contains('\r') {
        normalized = body.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        body
    };
    let lines: Vec<&str> = body.split('\n').collect();
    let last = lines.len() - 1;
    // Only spaces are incidental. A line of only spaces counts when it is the last one (the
    // closing delimiter's indentation is significant), with all its length.
    let padding = lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| match line.find(|c| c != ' ') {
            Some(spaces) => Some(spaces),
            None if i == last => Some(line.len()),
            None => None,
        })
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(text_block_line(line, padding));
        if i < last {
            out.push('\n');
        }
    }
    out
}

/// One line of a text block without its padding and trailing spaces. As in the reference, the
/// first character is never taken for trailing: with no padding, a line of spaces keeps one.
fn text_block_line(line: &str, padding: usize) -> &str {
    if line.is_empty() {
        return "";
    }
    let bytes = line.as_bytes();
    let start = padding.min(line.len());
    let mut end = line.len() - 1;
    while end > 0 && bytes[end] == b' ' {
        end -= 1;
    }
    // `start` lies in leading spaces and `end` on the last byte of a character.
    if end >= start {
        &line[start..=end]
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_ids() {
        assert_eq!(shape_id("a.b#C$d rest"), Ok((" rest", "a.b#C$d")));
        assert_eq!(shape_id("_1x"), Ok(("", "_1x")));
        assert!(shape_id("_").is_err());
        assert_eq!(shape_id("foo.)"), Ok((".)", "foo")));
    }

    #[test]
    fn absolute_shape_ids() {
        assert!(is_absolute_shape_id("a.b#C", false));
        assert!(is_absolute_shape_id("a.b#C$d", true));
        assert!(!is_absolute_shape_id("a.b#C$d", false));
        for bad in [
            "../../victim/index",
            "a#",
            "#A",
            "a..b#C",
            "a#B/c",
            "a#B$",
            "a#_",
            "a#B#C",
        ] {
            assert!(!is_absolute_shape_id(bad, true), "{bad}");
        }
    }

    /// Whether `text` is exactly a namespace (identifiers joined by dots).
    fn is_namespace(text: &str) -> bool {
        text.split('.').all(is_identifier)
    }

    /// The one-pass shape-ID check agrees with the ID split at `#` and `$` and its parts
    /// checked one by one.
    #[test]
    fn absolute_shape_id_check_agrees_with_its_parts() {
        let by_parts = |text: &str, member: bool| {
            let Some((namespace, name)) = text.split_once('#') else {
                return false;
            };
            match name.split_once('$') {
                Some((root, m)) => {
                    member && is_namespace(namespace) && is_identifier(root) && is_identifier(m)
                }
                None => is_namespace(namespace) && is_identifier(name),
            }
        };
        let parts = [
            "", "a", "_", "_1", "1", "a.b", "a..b", ".", "#", "$", "é", "a-b", "B_2",
        ];
        for ns in parts {
            for name in parts {
                for text in [
                    format!("{ns}#{name}"),
                    format!("{ns}#{name}$m"),
                    format!("{ns}#B${name}"),
                    format!("{ns}{name}"),
                ] {
                    for member in [false, true] {
                        let expected = by_parts(&text, member);
                        assert_eq!(is_absolute_shape_id(&text, member), expected, "{text:?}");
                    }
                }
            }
        }
    }

    /// The byte-by-byte checks accept what the grammar's parsers read whole.
    #[test]
    fn identifier_checks_agree_with_the_parsers() {
        let texts = [
            "",
            "a",
            "A1",
            "_",
            "__",
            "_a",
            "__1",
            "_1_",
            "1a",
            "a-b",
            "a b",
            "é",
            "aé",
            "a.b",
            ".a",
            "a.",
            "a..b",
            "a.b.c",
            "_.a",
            "a._",
            "a._b",
            "a.1",
            "ns.x_y.Z9",
        ];
        let whole = |parsed: IResult<&str, &str>| parsed.is_ok_and(|(rest, _)| rest.is_empty());
        for text in texts {
            assert_eq!(is_identifier(text), whole(identifier(text)), "{text:?}");
            assert_eq!(is_namespace(text), whole(namespace(text)), "{text:?}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number("-1.5e+3"), Ok(("", "-1.5e+3")));
        assert_eq!(number_token("1.e"), Ok(("", "1.e")));
        assert!(number_problem("1.").contains("'.' must be followed"));
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(r#"a\"b\u00e9\n"#).unwrap(), "a\"bé\n");
        assert_eq!(unescape("a\\\nb").unwrap(), "ab");
        assert_eq!(unescape(r"\uD83D\uDE00").unwrap(), "😀");
        assert_eq!(unescape(r"\'"), Err((0, "\\'".to_string())));
    }

    #[test]
    fn text_block_dedent() {
        assert_eq!(
            dedent_text_block("    foo\n      bar\n    "),
            "foo\n  bar\n"
        );
        assert_eq!(dedent_text_block("  a  \n\n  b"), "a\n\nb");
        // Content at column 1 and an indented closing delimiter: nothing is removed, and the
        // closing line keeps one space (the reference never trims a line's first character).
        assert_eq!(
            dedent_text_block("Hello\n  world\n    "),
            "Hello\n  world\n "
        );
        // Tabs are content, not indentation.
        assert_eq!(dedent_text_block("\ta\n  b\n  "), "\ta\n  b\n ");
        assert_eq!(dedent_text_block("  a\r  b\r\n  "), "a\nb\n");
    }
}
