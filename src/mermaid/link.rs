//! The one rule for links in diagrams: a `click`, `link` or `$link` target may become an
//! `<a href>` only when it is an http(s) URL or a relative one. Anything with another scheme
//! (`javascript:`, `data:`, `vbscript:`, `mailto:`, ...) could run script or leave the page in
//! ways a reviewer does not expect, so it is reported (MMD701, by the `link_safety` lint) and
//! never drawn.

use std::fmt;

/// A link target that passed [`SafeUrl::check`]; nothing else can make one, so a renderer that
/// takes a `SafeUrl` cannot draw an unsafe link.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SafeUrl(String);

impl SafeUrl {
    /// The URL, trimmed, when it is http(s) or relative (no scheme before the first `/`, `?`
    /// or `#`); `None` otherwise, and for an empty URL.
    pub fn check(url: &str) -> Option<SafeUrl> {
        // Browsers skip white space and control characters inside a scheme (`java\tscript:`),
        // so the scheme is looked for without them.
        let squeezed: String = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        if squeezed.is_empty() {
            return None;
        }
        let lower = squeezed.to_ascii_lowercase();
        let web = lower.starts_with("http://") || lower.starts_with("https://");
        let path_start = lower.find(['/', '?', '#']).unwrap_or(lower.len());
        let has_scheme = lower.find(':').is_some_and(|colon| colon < path_start);
        let trimmed = url.trim();
        let control_inside = trimmed.chars().any(char::is_control);
        (web || !has_scheme)
            .then(|| SafeUrl(trimmed.to_string()))
            .filter(|_| !control_inside)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SafeUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::SafeUrl;

    #[test]
    fn only_web_and_relative_links_pass() {
        for url in [
            "https://example.com/a",
            "HTTP://x",
            "/admin?id=1",
            "page.html#x",
            "../up",
            "  https://wiki.example.com/a?b=c ",
            "docs/a:b",
        ] {
            assert!(SafeUrl::check(url).is_some(), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "mailto:a@example.com",
            "https://x/\u{7}",
            "",
            "   ",
        ] {
            assert!(SafeUrl::check(url).is_none(), "{url:?}");
        }
    }

    #[test]
    fn the_url_is_kept_trimmed() {
        let url = SafeUrl::check(" https://example.com/a ").unwrap();
        assert_eq!(url.as_str(), "https://example.com/a");
    }
}
