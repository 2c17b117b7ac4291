//! Presentation attributes that many elements of one document repeat, moved into one `<style>`
//! sheet of classes: a diagram draws dozens of boxes, edges and labels in the same few colours,
//! widths and font sizes, and those attributes were a third of its bytes.
//!
//! The markup is ours (written through `svg.rs`, so every attribute value is escaped and double
//! quoted, text holds no `<`), which lets a start tag be read by scanning. An element's class
//! stands for exactly the presentation attributes it had, so what it inherits and what it passes
//! on are unchanged. Only values made of plain characters (colours, numbers, keywords, `url(#id)`
//! of our own markers) go into the sheet: nothing from a plan can end a rule or add one.

use rustc_hash::FxHashMap;

/// The unit CSS needs for a bare number of a presentation attribute that is also a CSS property
/// (SVG's user unit is the pixel), or `None` for any other attribute. Asked of every attribute
/// of every drawing, so a `match` rather than a search of a table.
fn unit(name: &str) -> Option<&'static str> {
    match name {
        "stroke-width" | "font-size" => Some("px"),
        "fill" | "fill-opacity" | "stroke" | "stroke-dasharray" | "stroke-opacity"
        | "stroke-linecap" | "stroke-linejoin" | "opacity" | "font-weight" | "font-style"
        | "text-anchor" | "marker-end" => Some(""),
        // `marker-start` goes with `marker-end` (most edges name both or neither).
        "marker-start" => Some(""),
        _ => None,
    }
}

/// Whether a value can stand in a rule as it is: no quote, escape, brace, semicolon, slash or
/// at-sign, so it can neither end the rule nor start another or an import.
fn plain(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" #.,%()-".contains(&b))
        && (!value.contains('(')
            || value.starts_with("url(#")
            || value.starts_with("rgb")
            || value.starts_with("hsl"))
}

/// The presentation attributes of one element, in order, as (name, value).
type Style<'a> = [(&'a str, &'a str)];

/// One start tag found in the markup: where its attributes lie and which of them are hoistable.
struct StartTag<'a> {
    /// Byte range of the whole tag's attribute text (after the name, before `>` or `/>`).
    attributes: std::ops::Range<usize>,
    /// The hoistable attributes, in order, as (name, value).
    style: Vec<(&'a str, &'a str)>,
}

/// Every start tag of `markup` but `<svg>`, with its hoistable attributes (none when one of
/// its presentation values is not plain: then the element keeps all of them).
fn start_tags(markup: &str) -> Vec<StartTag<'_>> {
    let bytes = markup.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset + 1;
        at = start;
        let name_end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        if name_end == start || &markup[start..name_end] == "svg" {
            continue;
        }
        let Some(close) = memchr::memchr(b'>', &bytes[name_end..]) else {
            break;
        };
        let mut end = name_end + close;
        at = end;
        if bytes[end - 1] == b'/' {
            end -= 1;
        }
        let mut style = Vec::new();
        let mut safe = true;
        for (name, value) in attributes(&markup[name_end..end]) {
            if unit(name).is_some() {
                safe &= plain(value);
                style.push((name, value));
            }
        }
        if safe && !style.is_empty() {
            tags.push(StartTag {
                attributes: name_end..end,
                style,
            });
        }
    }
    tags
}

/// The `name="value"` pairs of a start tag's attribute text. Values are escaped (no `"` in
/// them), so each pair is the next `="` and the `"` after it.
fn attributes(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let bytes = rest.as_bytes();
        let mut from = 0;
        let equals = loop {
            let at = from + memchr::memchr(b'=', &bytes[from..])?;
            if bytes.get(at + 1) == Some(&b'"') {
                break at;
            }
            from = at + 1;
        };
        let name = &rest[..equals];
        let after = &rest[equals + 2..];
        let close = memchr::memchr(b'"', after.as_bytes())?;
        let value = &after[..close];
        rest = &after[close + 1..];
        Some((name.trim(), value))
    })
}

/// The rule text of a set of attributes, e.g. `fill:#333;stroke-width:1.5px`.
fn declarations(style: &Style<'_>) -> String {
    let mut text = String::new();
    for (name, value) in style {
        if !text.is_empty() {
            text.push(';');
        }
        let unit = unit(name).unwrap_or_default();
        let number = value.parse::<f64>().is_ok();
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        if number && !unit.is_empty() {
            text.push_str(unit);
        }
    }
    text
}

/// The short class names, in order: `a`..`z`, then `ba`..`zz` and so on (never a digit first).
fn class_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'a' + (index % 26) as u8);
        index /= 26;
        if index == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Rewrites `parts` (the `<defs>` and the body of one document) with the repeated presentation
/// attributes replaced by classes; returns the style sheet (empty when nothing was worth it),
/// its rules scoped to `#root_id` when given, and the rewritten parts.
pub fn hoist<const N: usize>(parts: [&str; N], root_id: Option<&str>) -> (String, [String; N]) {
    let tags: Vec<Vec<StartTag<'_>>> = parts.iter().map(|part| start_tags(part)).collect();
    let mut uses: FxHashMap<&Style<'_>, usize> = FxHashMap::default();
    for tag in tags.iter().flatten() {
        *uses.entry(tag.style.as_slice()).or_default() += 1;
    }
    // Most used first (the shortest names), ties by their text, so the output is deterministic.
    let mut ranked: Vec<(&Style<'_>, usize, String)> = uses
        .into_iter()
        .map(|(style, n)| (style, n, declarations(style)))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    let scope = root_id.map(|id| format!("#{id} ")).unwrap_or_default();
    let mut classes: FxHashMap<&Style<'_>, String> = FxHashMap::default();
    let mut sheet = String::new();
    for (style, n, rule) in ranked {
        let name = class_name(classes.len());
        let inline: usize = style.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
        let saved = n as isize * (inline as isize - (name.len() as isize + 9));
        let cost = (scope.len() + name.len() + rule.len() + 3) as isize;
        if n < 2 || saved <= cost {
            continue;
        }
        for piece in [scope.as_str(), ".", &name, "{", &rule, "}\n"] {
            sheet.push_str(piece);
        }
        classes.insert(style, name);
    }
    let rewritten = std::array::from_fn(|i| {
        let (part, tags) = (parts[i], &tags[i]);
        let mut out = String::with_capacity(part.len());
        let mut copied = 0;
        for tag in tags {
            let Some(class) = classes.get(tag.style.as_slice()) else {
                continue;
            };
            out.push_str(&part[copied..tag.attributes.start]);
            // The class takes the place of the first attribute it stands for.
            let mut placed = false;
            for (name, value) in attributes(&part[tag.attributes.clone()]) {
                if unit(name).is_none() {
                    for piece in [" ", name, "=\"", value, "\""] {
                        out.push_str(piece);
                    }
                } else if !placed {
                    for piece in [" class=\"", class, "\""] {
                        out.push_str(piece);
                    }
                    placed = true;
                }
            }
            copied = tag.attributes.end;
        }
        out.push_str(&part[copied..]);
        out
    });
    (sheet, rewritten)
}

/// The style sheet of a document, if it has one.
pub fn sheet(document: &str) -> Option<&str> {
    let (_, rest) = document.split_once("<style>\n")?;
    Some(rest.split_once("</style>\n")?.0)
}

/// Whether every rule of `sheet` is one [`hoist`] writes: one class (below an id or not) with
/// declarations of presentation properties whose values are plain.
pub fn is_own_sheet(sheet: &str) -> bool {
    let identifier = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    sheet.lines().all(|rule| {
        let Some((selector, body)) = rule.split_once('{') else {
            return false;
        };
        let class = match selector.split_once(' ') {
            Some((id, class)) if id.strip_prefix('#').is_some_and(identifier) => class,
            Some(_) => return false,
            None => selector,
        };
        class
            .strip_prefix('.')
            .is_some_and(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()))
            && body.strip_suffix('}').is_some_and(|body| {
                body.split(';').all(|declaration| {
                    declaration
                        .split_once(':')
                        .is_some_and(|(name, value)| unit(name).is_some() && plain(value))
                })
            })
    })
}

/// `document` with each class replaced by the attributes it stands for and without its style
/// sheet: what the markup was before [`hoist`], for tests that look for an attribute.
pub fn inline_classes(document: &str) -> String {
    let Some((before, rest)) = document.split_once("<style>\n") else {
        return document.to_string();
    };
    let Some((sheet, after)) = rest.split_once("</style>\n") else {
        return document.to_string();
    };
    let mut out = format!("{before}{after}");
    for rule in sheet.lines() {
        let Some((selector, body)) = rule.split_once('{') else {
            continue;
        };
        let name = selector.rsplit('.').next().unwrap_or_default().trim();
        let mut attributes = String::new();
        for (property, value) in body
            .trim_end_matches('}')
            .split(';')
            .filter_map(|d| d.split_once(':'))
        {
            let value = match value.strip_suffix("px") {
                Some(number) if number.parse::<f64>().is_ok() => number,
                _ => value,
            };
            attributes.push_str(&format!(" {property}=\"{value}\""));
        }
        out = out.replace(&format!(" class=\"{name}\""), &attributes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_styles_become_classes() {
        let body = "<rect x=\"1\" fill=\"#333\" stroke=\"#000\" stroke-width=\"1.5\"/>\n\
                    <rect x=\"2\" fill=\"#333\" stroke=\"#000\" stroke-width=\"1.5\"/>\n\
                    <rect x=\"3\" fill=\"#333\" stroke=\"#000\" stroke-width=\"1.5\"/>\n\
                    <text x=\"4\" font-size=\"12\" fill=\"#f00\">a &lt; b</text>\n";
        let (sheet, [out]) = hoist([body], Some("p-svg"));
        assert_eq!(
            sheet,
            "#p-svg .a{fill:#333;stroke:#000;stroke-width:1.5px}\n"
        );
        assert_eq!(out.matches("class=\"a\"").count(), 3);
        assert!(out.contains("<rect x=\"2\" class=\"a\"/>"));
        // Used once: stays as it was.
        assert!(out.contains("<text x=\"4\" font-size=\"12\" fill=\"#f00\">a &lt; b</text>"));
        assert!(is_own_sheet(&sheet));
        assert!(!is_own_sheet("@import url(x);\n"));
        assert!(!is_own_sheet(".a{fill:red}\n.b{x:y}\n"));
        let document = format!("<svg id=\"p-svg\">\n<style>\n{sheet}</style>\n{out}</svg>\n");
        assert_eq!(
            inline_classes(&document),
            format!("<svg id=\"p-svg\">\n{body}</svg>\n")
        );
    }

    #[test]
    fn values_that_are_not_plain_stay_attributes() {
        let tag = "<path d=\"M0,0\" fill=\"x}*{fill:red\"/>\n";
        let body = tag.repeat(5);
        let (sheet, [out]) = hoist([body.as_str()], None);
        assert!(sheet.is_empty());
        assert_eq!(out, body);
        assert!(!plain("url(http://x)"));
        assert!(!plain("a;b"));
        assert!(plain("url(#p1-marker-0)"));
        assert!(plain("rgb(1, 2, 3)"));
    }

    #[test]
    fn attributes_are_read_pair_by_pair() {
        let pairs: Vec<_> =
            attributes(" x=\"1\" href=\"a=b\" data-q=\"=\" fill=\"#333\" ").collect();
        assert_eq!(
            pairs,
            [
                ("x", "1"),
                ("href", "a=b"),
                ("data-q", "="),
                ("fill", "#333")
            ]
        );
        assert_eq!(attributes(" x=1 y=\"2").count(), 0);
        assert_eq!(unit("stroke-width"), Some("px"));
        assert_eq!(unit("marker-start"), Some(""));
        assert_eq!(unit("x"), None);
    }

    #[test]
    fn class_names_never_start_with_a_digit() {
        assert_eq!(class_name(0), "a");
        assert_eq!(class_name(25), "z");
        assert_eq!(class_name(26), "ba");
    }
}
