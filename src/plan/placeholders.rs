//! Unfilled template placeholders: the bracketed phrases of the template (`[owner]`,
//! `[describe the risk: who, what]`, also instruction paragraphs over several lines) that a plan
//! still carries. In Markdown they are shortcut references without a definition; in a Smithy
//! block they stand in `///` documentation comments.

use std::ops::Range;

/// A shortcut reference without a definition that reads like a template placeholder: it starts
/// with a letter and is longer than one character; not a task marker (`[x]`), a footnote
/// number (`[1]`) or a GitHub alert (`[!NOTE]`). Any punctuation and length may follow, since
/// the template's instructions are whole sentences.
pub fn is_placeholder(reference: &str) -> bool {
    let r = reference.trim();
    r.chars().count() >= 2 && r.chars().next().is_some_and(char::is_alphabetic)
}

/// The placeholders in the `///` documentation comments of a Smithy block's text, as byte
/// ranges of the text (brackets included).
pub fn in_smithy_doc_comments(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix("///") {
            let comment_start = line_start + (line.len() - trimmed.len()) + 3;
            let mut rest = comment;
            let mut rest_start = comment_start;
            while let Some(open) = rest.find('[') {
                let Some(close) = rest[open..].find(']') else {
                    break;
                };
                let inner = &rest[open + 1..open + close];
                let followed_by_link = rest[open + close + 1..].starts_with(['(', '[']);
                if is_placeholder(inner) && !inner.contains('[') && !followed_by_link {
                    found.push(rest_start + open..rest_start + open + close + 1);
                }
                rest_start += open + close + 1;
                rest = &rest[open + close + 1..];
            }
        }
        line_start += line.len();
    }
    found
}

/// Whether a Dependencies entry is nothing but placeholders (`- [describe a dependency: ...]`):
/// it is unfinished template text, not a dependency. `ranges` are the placeholders' byte ranges
/// in `text`, which runs from `entry.start`.
pub fn only_placeholders(text: &str, entry: Range<usize>, ranges: &[Range<usize>]) -> bool {
    let Some(entry_text) = text.get(entry.clone()) else {
        return false;
    };
    let mut rest = String::with_capacity(entry_text.len());
    let mut covered = false;
    for (i, c) in entry_text.char_indices() {
        let at = entry.start + i;
        if ranges.iter().any(|r| r.contains(&at)) {
            covered = true;
        } else {
            rest.push(c);
        }
    }
    covered
        && rest
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '-' | '*' | '+' | '.' | ',' | ';' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised() {
        assert!(is_placeholder("owner"));
        assert!(is_placeholder(
            "describe a dependency: a link to another plan's plan.md, or a plan's name"
        ));
        assert!(!is_placeholder("x"));
        assert!(!is_placeholder("1"));
        assert!(!is_placeholder("!NOTE"));
        let text = "/// [describe the service]\n/// see [RFC](http://x)\nstring A\n";
        let found = in_smithy_doc_comments(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].clone()], "[describe the service]");
    }

    #[test]
    fn placeholder_only_entries() {
        let text = "- [describe a dependency]\n- Stripe [api]\n";
        assert!(only_placeholders(
            text,
            0..25,
            std::slice::from_ref(&(2..25))
        ));
        assert!(!only_placeholders(
            text,
            26..40,
            std::slice::from_ref(&(35..40))
        ));
    }
}
