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
    let normalized;
    let body = if body.contains('\r') {
        normalized = body.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        body
    };
    let lines: Vec<&str> = body.split('\n').collect();
    let last = lines.len() - 1;
    let indent_of = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == last || !l.trim_start_matches([' ', '\t']).is_empty())
        .map(|(_, l)| indent_of(l))
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let stripped = if line.len() >= indent && line.is_char_boundary(indent) {
            &line[indent..]
        } else {
            ""
        };
        out.push_str(stripped.trim_end_matches([' ', '\t']));
    }
    out
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
    }
}
