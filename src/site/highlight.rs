//! Smithy IDL as highlighted HTML for the site: comments, strings, traits, keywords and shape
//! ids get a class each. A small scanner, not the parser: it only colours, so an unfinished
//! block still shows (every character is kept, escaped).

/// The classes the highlighter writes (the sanitiser lets exactly these through): short,
/// pygments-style names, since a site of many plans holds hundreds of thousands of them (the
/// stylesheet scopes them to `pre.smithy`).
const COMMENT: &str = "c";
const STRING: &str = "s";
const TRAIT: &str = "nd";
const KEYWORD: &str = "k";
const NUMBER: &str = "m";
pub(super) const CLASSES: [&str; 5] = [COMMENT, STRING, TRAIT, KEYWORD, NUMBER];

const KEYWORDS: &[&str] = &[
    "namespace",
    "use",
    "apply",
    "metadata",
    "service",
    "resource",
    "operation",
    "structure",
    "union",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "string",
    "blob",
    "boolean",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "with",
    "for",
    "input",
    "output",
    "errors",
];

/// `text` with `<`, `>`, `&` and `"` escaped, for element content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` as element content, escaped exactly as the sanitiser's serialiser writes text
/// (`&`, `<`, `>` and no-break space; line ends as LF), so that the highlighted code is a fixed
/// point of the sanitiser and the page can splice it in without passing it through again.
fn push_text(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{A0}' => out.push_str("&nbsp;"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            c => out.push(c),
        }
    }
}

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    push_text(out, text);
    out.push_str("</span>");
}

/// The HTML of a Smithy text, to go inside `<code>`. It needs no sanitising: every character of
/// the text is escaped and the only markup is spans with the classes of [`CLASSES`].
pub(super) fn smithy(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        let taken = if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, COMMENT, &rest[..end]);
            end
        } else if c == '"' {
            let end = string_end(rest);
            span(&mut out, STRING, &rest[..end]);
            end
        } else if c == '@' {
            let end = 1 + word_end(&rest[1..]);
            span(&mut out, TRAIT, &rest[..end]);
            end
        } else if c.is_ascii_digit()
            || (c == '-' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let end = 1 + rest[1..]
                .find(|d: char| !(d.is_ascii_alphanumeric() || d == '.'))
                .unwrap_or(rest.len() - 1);
            span(&mut out, NUMBER, &rest[..end]);
            end
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let end = word_end(rest).max(1);
            let word = &rest[..end];
            if KEYWORDS.contains(&word) {
                span(&mut out, KEYWORD, word);
            } else {
                out.push_str(word);
            }
            end
        } else {
            // Up to the next character that may start a token: one escape call per run of
            // punctuation and space, not per character.
            let end = rest
                .char_indices()
                .skip(1)
                .find(|&(_, d)| {
                    d.is_ascii_alphanumeric() || matches!(d, '"' | '@' | '/' | '-' | '_' | '$')
                })
                .map_or(rest.len(), |(i, _)| i);
            push_text(&mut out, &rest[..end]);
            end
        };
        rest = &rest[taken..];
    }
    out
}

/// The length of the identifier or shape id at the start of `text` (`$`, `.`, `#` included).
fn word_end(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '#' | '$')))
        .unwrap_or(text.len())
}

/// The length of the string at the start of `text` (`"..."` or `"""..."""`), to the end of the
/// text when it is not closed.
fn string_end(text: &str) -> usize {
    if let Some(body) = text.strip_prefix("\"\"\"") {
        return body.find("\"\"\"").map_or(text.len(), |i| i + 6);
    }
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smithy_is_coloured_and_escaped() {
        let html = smithy("// a <b>\n@http(uri: \"/x<y>\")\noperation Get { input: A }\n");
        assert_eq!(
            html,
            "<span class=\"c\">// a &lt;b&gt;</span>\n<span class=\"nd\">@http</span>(uri: <span class=\"s\">\"/x&lt;y&gt;\"</span>)\n<span class=\"k\">operation</span> Get { <span class=\"k\">input</span>: A }\n"
        );
        // Unclosed strings and odd characters keep every character.
        assert_eq!(smithy("\"abc é"), "<span class=\"s\">\"abc é</span>");
        assert_eq!(
            smithy("-1 2.5"),
            "<span class=\"m\">-1</span> <span class=\"m\">2.5</span>"
        );
    }
}
