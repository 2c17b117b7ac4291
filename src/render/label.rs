//! The one label cleaner every family uses: mermaid's label text as the reader sees it, as
//! lines of styled runs. Wrapping is a separate step on the cleaned lines (`text::wrap`,
//! `draw::make_label`).
//!
//! Mermaid draws labels on one of two surfaces, and what a label's characters mean depends on
//! which:
//! - HTML labels (flowchart, state, class, ER): the browser reads the label as HTML, so a `br`
//!   element in any spelling breaks the line, other tags are markup and not shown (DOMPurify
//!   drops `<script>` and `<style>` with their content), `&amp;`-style character references
//!   are decoded, a written-out `\n` breaks the line outside markdown strings
//!   (`nonMarkdownToHTML`) and Font Awesome names (`fa:fa-car`) are icons.
//! - SVG text (sequence, C4): the label is split at mermaid's `lineBreakRegex` (`<br>`,
//!   `<br/>`, `<br />`, any case) and set as text, so every other tag and every `&amp;` is
//!   shown as written.
//!
//! On both, mermaid's own entity codes are decoded: before parsing, `encodeEntities` turns each
//! `#word;` into a placeholder that becomes `&#word;` when the word is a number and `&word;`
//! otherwise, and the browser reads that reference in the finished SVG. So `#35;` is `#`,
//! `#quot;` is `"`, and a word that names no entity (`#x41;`, `#foo;`) shows as `&x41;`.

use super::text;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Span {
    fn plain(text: String) -> Span {
        Span {
            text,
            bold: false,
            italic: false,
        }
    }
}

/// Where mermaid draws a family's labels, which decides how tags and `&` references read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// HTML in a `foreignObject`: flowchart, state, class, ER.
    Html,
    /// SVG `<text>`: sequence, C4.
    SvgText,
}

/// How one label is read: its family's surface, and whether it is a markdown string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub surface: Surface,
    pub markdown: bool,
}

impl Rules {
    pub const HTML: Rules = Rules {
        surface: Surface::Html,
        markdown: false,
    };
    pub const HTML_MARKDOWN: Rules = Rules {
        surface: Surface::Html,
        markdown: true,
    };
    pub const SVG_TEXT: Rules = Rules {
        surface: Surface::SvgText,
        markdown: false,
    };

    /// The same surface, reading the label as a markdown string when `markdown`.
    pub fn markdown(self, markdown: bool) -> Rules {
        Rules { markdown, ..self }
    }
}

/// The lines of a label as mermaid shows them: line breaks split, tags read as the surface
/// reads them, entities decoded, icon names left out (HTML), each line trimmed, emphasis as
/// styled runs in markdown strings. Every line holds at least one run.
pub fn lines(raw: &str, rules: Rules) -> Vec<Vec<Span>> {
    let html = rules.surface == Surface::Html;
    let mut text = clean(raw, rules.surface);
    if html {
        text = strip_icons(&text);
        if !rules.markdown {
            text = text.replace("\\n", "\n");
        }
    }
    text.split('\n')
        .map(|line| {
            let line = line.trim();
            if rules.markdown {
                markdown_spans(line)
            } else {
                vec![Span::plain(line.to_string())]
            }
        })
        .collect()
}

/// The lines of a label without styling (emphasis markers of markdown strings removed).
pub fn plain_lines(raw: &str, rules: Rules) -> Vec<String> {
    lines(raw, rules)
        .into_iter()
        .map(|line| line.into_iter().map(|s| s.text).collect())
        .collect()
}

/// One pass over the label: tags and line breaks, then entity codes, left to right, so that a
/// decoded `<` or `#` is text and never starts another tag or code.
fn clean(raw: &str, surface: Surface) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(['<', '&', '#']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let consumed = match rest.as_bytes()[0] {
            b'<' => match surface {
                Surface::Html => html_tag(rest, &mut out),
                Surface::SvgText => svg_line_break(rest).inspect(|_| out.push('\n')),
            },
            b'&' if surface == Surface::Html => html_reference(rest).map(|(c, len)| {
                out.push(c);
                len
            }),
            b'#' => mermaid_code(rest, &mut out),
            _ => None,
        };
        match consumed {
            Some(len) => rest = &rest[len..],
            None => {
                out.push(rest.as_bytes()[0] as char);
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Mermaid's `lineBreakRegex` (`<br\s*\/?>`, any case) at the start of `s`: its length.
fn svg_line_break(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 4 || !b[1..3].eq_ignore_ascii_case(b"br") {
        return None;
    }
    let mut i = 3 + s[3..].len() - s[3..].trim_start().len();
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    (b.get(i) == Some(&b'>')).then_some(i + 1)
}

/// An HTML tag at the start of `s` as a browser reads it: `<` then a letter, `/` or `!`, up to
/// the next `>`. A `br` element (`<br>`, `<BR class=x>`, even `</br>`) breaks the line;
/// `<script>` and `<style>` go with their content, as DOMPurify removes them; other tags leave
/// nothing. Returns the length consumed, or `None` when `<` is plain text.
fn html_tag(s: &str, out: &mut String) -> Option<usize> {
    let after = &s[1..];
    let opens_tag = after
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
    if !opens_tag {
        return None;
    }
    let close = after.find('>')?;
    let inner = &after[..close];
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let mut len = close + 2;
    if name == "br" {
        out.push('\n');
    } else if !closing && matches!(name.as_str(), "script" | "style") {
        // Raw text up to the end tag, dropped with the element (to the end when unclosed).
        let end_tag = format!("</{name}");
        let body = &s[len..];
        len += match find_ignore_case(body, &end_tag) {
            Some(end) => end + body[end..].find('>').map_or(body.len() - end, |g| g + 1),
            None => body.len(),
        };
    }
    Some(len)
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring ASCII case.
fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A character reference at the start of `s` (`&amp;`, `&#35;`, `&#x2665;`): the character
/// and the reference's length.
fn html_reference(s: &str) -> Option<(char, usize)> {
    let end = s.find(';').filter(|end| *end <= 40)?;
    let body = &s[1..end];
    let c = if let Some(number) = body.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).unwrap_or(u32::MAX)
            }
            _ if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                number.parse().unwrap_or(u32::MAX)
            }
            _ => return None,
        };
        numeric_character(value)
    } else {
        named_entity(body)?
    };
    Some((c, end + 1))
}

/// The character a numeric reference stands for: NUL, surrogates and values beyond Unicode
/// are U+FFFD, as the HTML parser reads them.
fn numeric_character(value: u32) -> char {
    if value == 0 {
        return '\u{fffd}';
    }
    char::from_u32(value).unwrap_or('\u{fffd}')
}

/// Mermaid's entity code (`#\w+;`) at the start of `s`: the decoded character, or, when the
/// word names no entity, the `&word;` reference the browser shows as written. Returns the
/// code's length; `None` when `#` is plain text.
fn mermaid_code(s: &str, out: &mut String) -> Option<usize> {
    let word_len = s[1..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    if word_len == 0 || s.as_bytes().get(1 + word_len) != Some(&b';') {
        return None;
    }
    let word = &s[1..1 + word_len];
    let decoded = if word.bytes().all(|b| b.is_ascii_digit()) {
        Some(numeric_character(word.parse().unwrap_or(u32::MAX)))
    } else {
        named_entity(word)
    };
    match decoded {
        Some(c) => out.push(c),
        None => {
            out.push('&');
            out.push_str(word);
            out.push(';');
        }
    }
    Some(word_len + 2)
}

/// HTML's named character references that labels use (the rest are left as written).
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "semi" => ';',
        "colon" => ':',
        "num" => '#',
        "equals" => '=',
        "lpar" => '(',
        "rpar" => ')',
        "lsqb" => '[',
        "rsqb" => ']',
        "lcub" => '{',
        "rcub" => '}',
        "verbar" => '|',
        "excl" => '!',
        "quest" => '?',
        "commat" => '@',
        "ast" => '*',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "micro" => 'µ',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "middot" => '·',
        "bull" => '•',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "infin" => '∞',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "lArr" => '⇐',
        "rArr" => '⇒',
        "hArr" => '⇔',
        "hearts" => '♥',
        "check" => '✓',
        _ => return None,
    })
}

/// Font Awesome icon names (`fa:fa-car`, `fab:fa-github`) are icons in mermaid's HTML labels;
/// without the icon font they are left out rather than shown as words.
fn strip_icons(text: &str) -> String {
    if !text.contains(":fa-") {
        return text.to_string();
    }
    let is_icon = |word: &str| {
        word.split_once(":fa-").is_some_and(|(prefix, name)| {
            matches!(prefix, "fa" | "fab" | "fas" | "far" | "fal" | "fak")
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    };
    text.split('\n')
        .map(|line| {
            line.split(' ')
                .filter(|w| !is_icon(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits one line of a markdown string into runs: `**bold**`, `__bold__`, `*italic*`,
/// `_italic_` (markers without a partner stay as written).
pub(super) fn markdown_spans(line: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let (mut bold, mut italic) = (false, false);
    let mut current = String::new();
    let chars: Vec<char> = line.chars().collect();
    // Where each marker last starts, so that whether one closes later is one comparison (a
    // label of thousands of markers is not scanned again for each).
    let last_start = |c: char, double: bool| {
        (0..chars.len())
            .rev()
            .find(|k| chars[*k] == c && (!double || chars.get(k + 1) == Some(&c)))
    };
    let last = [
        last_start('*', false),
        last_start('*', true),
        last_start('_', false),
        last_start('_', true),
    ];
    let closes = |from: usize, c: char, double: bool| -> bool {
        let k = usize::from(c == '_') * 2 + usize::from(double);
        last[k].is_some_and(|at| at >= from)
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '*' || c == '_' {
            let double = chars.get(i + 1) == Some(&c);
            let width = if double { 2 } else { 1 };
            let open = if double { bold } else { italic };
            if open || closes(i + width, c, double) {
                if !current.is_empty() {
                    spans.push(Span {
                        text: std::mem::take(&mut current),
                        bold,
                        italic,
                    });
                }
                if double {
                    bold = !bold;
                } else {
                    italic = !italic;
                }
                i += width;
                continue;
            }
        }
        current.push(c);
        i += 1;
    }
    if !current.is_empty() || spans.is_empty() {
        spans.push(Span {
            text: current,
            bold,
            italic,
        });
    }
    spans
}

/// A span's width at `size` pixels.
pub fn span_width(span: &Span, size: f64) -> f64 {
    text::width(&span.text, size, span.bold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(raw: &str) -> Vec<String> {
        plain_lines(raw, Rules::HTML)
    }

    fn svg_text(raw: &str) -> Vec<String> {
        plain_lines(raw, Rules::SVG_TEXT)
    }

    #[test]
    fn br_in_every_spelling_breaks_the_line_on_both_surfaces() {
        assert_eq!(html("a<br>b<br/>c<BR />d"), ["a", "b", "c", "d"]);
        assert_eq!(svg_text("a<br>b<br/>c<BR  />d"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn html_labels_read_any_br_element_as_a_break_as_the_browser_does() {
        // `<br class=x>` and `</br>` are br elements to the HTML parser.
        assert_eq!(html("a<br class=\"x\">b</br>c"), ["a", "b", "c"]);
        // A tag that merely starts with `br` is not one (the ER/class cleaner broke there).
        assert_eq!(html("a<bread>b"), ["ab"]);
    }

    #[test]
    fn svg_text_breaks_only_at_mermaids_line_break_regex() {
        // sequence and C4 split at `<br\s*\/?>` and set the rest as text.
        assert_eq!(svg_text("a<br class=x>b"), ["a<br class=x>b"]);
        assert_eq!(svg_text("<b>bold</b> x < y"), ["<b>bold</b> x < y"]);
    }

    #[test]
    fn html_labels_hide_tags_and_drop_script_and_style_with_their_content() {
        // DOMPurify removes script and style elements whole (FORBID_TAGS style).
        assert_eq!(html("<b>bold</b> 1 < 2"), ["bold 1 < 2"]);
        assert_eq!(html("<script>x()</script>y<STYLE>p{}</style>"), ["y"]);
        assert_eq!(html("a <b and c> d"), ["a  d"]);
    }

    #[test]
    fn mermaid_entity_codes_decode_on_both_surfaces() {
        for clean in [html, svg_text] {
            assert_eq!(clean("say #quot;hi#quot; #9829; #35;"), ["say \"hi\" ♥ #"]);
            assert_eq!(clean("#1 and #tag and # ;"), ["#1 and #tag and # ;"]);
            // A decoded `<` is text, never a tag.
            assert_eq!(clean("#lt;br#gt;"), ["<br>"]);
        }
    }

    #[test]
    fn a_mermaid_code_naming_no_entity_shows_as_the_reference_encode_entities_makes() {
        // `#x41;` becomes `&x41;` (only all-digit words become `&#…;`), which names nothing.
        assert_eq!(html("#x41; #foo_bar;"), ["&x41; &foo_bar;"]);
        assert_eq!(svg_text("#hash;"), ["&hash;"]);
    }

    #[test]
    fn html_references_decode_in_html_labels_only() {
        assert_eq!(
            html("&amp; &lt; &#35; &#x2665; &#X41; &bogus; &"),
            ["& < # ♥ A &bogus; &"]
        );
        assert_eq!(html("&#0;"), ["\u{fffd}"]);
        // sequence and C4 set text, so a reference is shown as written.
        assert_eq!(svg_text("a &amp; b"), ["a &amp; b"]);
    }

    #[test]
    fn written_out_newlines_break_html_labels_outside_markdown() {
        // nonMarkdownToHTML replaces `\n` with `<br />`.
        assert_eq!(html("a\\nb"), ["a", "b"]);
        assert_eq!(svg_text("a\\nb"), ["a\\nb"]);
        assert_eq!(plain_lines("a\\nb", Rules::HTML_MARKDOWN), ["a\\nb"]);
    }

    #[test]
    fn icons_are_left_out_of_html_labels() {
        assert_eq!(
            html("fa:fa-car Car<br>fab:fa-github x:fa-y"),
            ["Car", "x:fa-y"]
        );
        assert_eq!(svg_text("fa:fa-car Car"), ["fa:fa-car Car"]);
    }

    #[test]
    fn markdown_emphasis_becomes_styled_runs() {
        let spans = markdown_spans("a **b** *c* d*");
        assert_eq!(
            spans
                .iter()
                .map(|s| (s.text.as_str(), s.bold, s.italic))
                .collect::<Vec<_>>(),
            [
                ("a ", false, false),
                ("b", true, false),
                (" ", false, false),
                ("c", false, true),
                (" d*", false, false)
            ]
        );
        assert_eq!(
            plain_lines("**big** _it_", Rules::HTML_MARKDOWN),
            ["big it"]
        );
    }
}
