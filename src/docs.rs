//! The diagnostics documentation (`docs/diagnostics.md`), compiled into the binary: one section
//! per code, for `plansmith explain`, SARIF rule help and the codes a config file may name.

use crate::codes;

const DIAGNOSTICS_MD: &str = include_str!("../docs/diagnostics.md");

/// Where `docs/diagnostics.md` is published; SARIF `helpUri`s point at its headings.
pub const DIAGNOSTICS_URL: &str =
    "https://github.com/plansmith/plansmith/blob/main/docs/diagnostics.md";

/// The registered code a reported code belongs to: the code itself, or for a refined code such
/// as `TraitValue.UnknownMember.http.foo` the most specific registered code it refines (a
/// `<member>` segment of a registered code stands for any one segment).
pub fn registered_code(code: &str) -> Option<&'static str> {
    let segments: Vec<&str> = code.split('.').collect();
    codes::registered()
        .map(|(registered, _)| registered)
        .filter(|registered| {
            let parts: Vec<&str> = registered.split('.').collect();
            parts.len() <= segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(part, segment)| part == segment || is_wildcard(part))
        })
        .max_by_key(|registered| registered.split('.').count())
}

/// Whether a config file or a suppression may name `code`: a registered code, or a refinement
/// of a Smithy validation event (`TraitValue.UnknownMember`), whose ids are hierarchical.
pub fn is_known_code(code: &str) -> bool {
    match registered_code(code) {
        Some(registered) => registered == code || !is_numbered(registered),
        None => false,
    }
}

/// plansmith's own codes (`PLAN005`): letters then three digits; they have no refinements.
fn is_numbered(code: &str) -> bool {
    let letters = code.trim_end_matches(|c: char| c.is_ascii_digit());
    code.len() - letters.len() == 3 && letters.chars().all(|c| c.is_ascii_uppercase())
}

fn is_wildcard(segment: &str) -> bool {
    segment.starts_with('<') && segment.ends_with('>')
}

/// The short title of a code (or of the code it refines).
pub fn title(code: &str) -> Option<&'static str> {
    let registered = registered_code(code)?;
    codes::registered()
        .find(|(c, _)| *c == registered)
        .map(|(_, title)| title)
}

/// The Markdown body of a code's section (without its heading), trimmed.
pub fn section(code: &str) -> Option<&'static str> {
    let registered = registered_code(code)?;
    let mut lines = DIAGNOSTICS_MD.split_inclusive('\n');
    let mut start = 0;
    let mut offset = 0;
    for line in lines.by_ref() {
        offset += line.len();
        if line.strip_prefix("### ").map(str::trim) == Some(registered) {
            start = offset;
            break;
        }
    }
    if start == 0 {
        return None;
    }
    let mut end = start;
    for line in lines {
        if line.starts_with('#') {
            break;
        }
        end += line.len();
    }
    Some(DIAGNOSTICS_MD[start..end].trim())
}

/// The anchor GitHub gives a heading: lowercase, spaces to `-`, other punctuation dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Every heading anchor of the compiled-in documentation.
pub fn anchors() -> Vec<String> {
    DIAGNOSTICS_MD
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| anchor(l.trim_start_matches('#')))
        .collect()
}

/// The documentation link of a code: its section's heading anchor.
pub fn help_uri(code: &str) -> String {
    let heading = registered_code(code).unwrap_or(code);
    format!("{DIAGNOSTICS_URL}#{}", anchor(heading))
}

/// Markdown reduced to plain text for readers that show text only (SARIF `text` fields):
/// emphasis and code marks dropped, the lines of a paragraph joined.
pub fn plain_text(markdown: &str) -> String {
    markdown
        .replace("**", "")
        .replace('`', "")
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The registered codes closest to an unknown one (for "did you mean"), best first.
pub fn closest_codes(unknown: &str) -> Vec<&'static str> {
    let unknown = unknown.to_ascii_lowercase();
    let mut scored: Vec<(usize, &'static str)> = codes::registered()
        .map(|(code, _)| {
            (
                strsim::levenshtein(&unknown, &code.to_ascii_lowercase()),
                code,
            )
        })
        .filter(|(distance, code)| *distance <= 2.max(code.len() / 3))
        .collect();
    scored.sort();
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| *d == best)
        .map(|(_, code)| code)
        .collect()
}

/// A code as the user typed it, matched without regard to case.
pub fn lookup(code: &str) -> Option<&'static str> {
    registered_code(code).or_else(|| {
        codes::registered()
            .map(|(c, _)| c)
            .find(|c| c.eq_ignore_ascii_case(code))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refined_codes_find_their_section() {
        assert_eq!(registered_code("PLAN005"), Some("PLAN005"));
        assert_eq!(
            registered_code("TraitValue.UnknownMember.http.foo"),
            Some("TraitValue")
        );
        assert_eq!(
            registered_code("PaginatedTrait.DeeplyNested.items"),
            Some("PaginatedTrait.DeeplyNested.<member>")
        );
        assert_eq!(registered_code("PLAN5"), None);
        assert!(section("PLAN005")
            .unwrap()
            .starts_with("**warning or error**"));
    }

    #[test]
    fn anchors_as_github_makes_them() {
        assert_eq!(anchor("PLAN005"), "plan005");
        assert_eq!(
            anchor("PaginatedTrait.DeeplyNested.<member>"),
            "paginatedtraitdeeplynestedmember"
        );
        assert_eq!(anchor(" Reading plans"), "reading-plans");
    }

    #[test]
    fn plain_text_joins_paragraph_lines() {
        assert_eq!(plain_text("**a** `b`\nc\n\nd"), "a b c\n\nd");
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(closest_codes("PLAN05"), ["PLAN005"]);
        assert_eq!(lookup("plan005"), Some("PLAN005"));
        assert!(closest_codes("completely-different").is_empty());
    }
}
