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
use std::ops::Range;

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
/// at-sign, so it can neither end the rule nor start another or an import (an underscore, as in
/// `url(#p-er-zero_or_more)`, can do neither).
pub(super) fn plain(value: &str) -> bool {
    !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b'#' | b'.' | b',' | b'%' | b'(' | b')' | b'_' | b'-'
                )
        })
        && (!value.contains('(')
            || value.starts_with("url(#")
            || value.starts_with("rgb")
            || value.starts_with("hsl"))
}

/// The presentation attributes of one element, in order, as (name, value).
type Style<'a> = [(&'a str, &'a str)];

/// One part of a document (its `<defs>` or its body) as `Svg` writes it: the compacted markup,
/// and each start tag whose presentation attributes may move into the sheet, noted as the tag
/// was written (see `svg.rs`), so that nothing reads the markup again to find them.
#[derive(Debug, Default)]
pub(super) struct Part {
    pub markup: String,
    pub tags: Vec<StyledTag>,
    /// The (name, value) pairs of every tag's style, one tag after the other, as byte ranges
    /// of [`Part::markup`]: compaction leaves presentation attributes as they are.
    pub pairs: Vec<(Range<usize>, Range<usize>)>,
    /// Every attribute of every styled tag as compaction wrote it, one tag after the other, so
    /// that [`Hoisted::write`] need not read the tags again.
    pub written: Vec<WrittenAttribute>,
    /// The start tag being written, until its end.
    pub open: Option<OpenTag>,
}

/// An attribute of a styled tag: where its name and value are in [`Part::markup`], and
/// whether a class may stand for it.
#[derive(Debug)]
pub(super) struct WrittenAttribute {
    pub name: Range<usize>,
    pub value: Range<usize>,
    pub presentation: bool,
}

/// A start tag with presentation attributes, all of them plain (else the element keeps them).
#[derive(Debug)]
pub(super) struct StyledTag {
    /// Byte range of the tag's attribute text in [`Part::markup`] (after the name, before `>`
    /// or `/>`).
    pub attributes: Range<usize>,
    /// Its presentation attributes, in order: a range of [`Part::pairs`].
    pub style: Range<usize>,
    /// All its attributes, in order: a range of [`Part::written`].
    pub written: Range<usize>,
}

/// A start tag of a [`Part`] whose attributes are still being written.
#[derive(Debug)]
pub(super) struct OpenTag {
    /// Where its attribute text starts in [`Part::markup`].
    pub attributes: usize,
    /// Where its entries of [`Part::pairs`] and [`Part::written`] start.
    pub style: usize,
    pub written: usize,
    /// Whether every presentation value so far can stand in a rule.
    pub all_plain: bool,
    /// A `<rect>`, whose corner radius of 0 is left out; the `<svg>` element itself, which
    /// keeps its attributes.
    pub rect: bool,
    pub svg: bool,
}

impl Part {
    /// Notes an attribute of the open start tag, its name and value already in the markup.
    pub(super) fn note_attribute(&mut self, name: Range<usize>, value: Range<usize>) {
        let Some(open) = &mut self.open else {
            return;
        };
        let presentation = is_presentation(&self.markup[name.clone()]);
        if presentation {
            open.all_plain &= plain(&self.markup[value.clone()]);
            self.pairs.push((name.clone(), value.clone()));
        }
        self.written.push(WrittenAttribute {
            name,
            value,
            presentation,
        });
    }

    /// Ends the open start tag with `ending` (`>` or `/>` and what follows): it is kept as a
    /// styled tag when it has presentation attributes and all of them are plain.
    pub(super) fn end_tag(&mut self, ending: &str) {
        if let Some(open) = self.open.take() {
            let attributes = open.attributes..self.markup.len();
            if open.all_plain && self.pairs.len() > open.style && !open.svg {
                self.tags.push(StyledTag {
                    attributes,
                    style: open.style..self.pairs.len(),
                    written: open.written..self.written.len(),
                });
            } else {
                self.pairs.truncate(open.style);
                self.written.truncate(open.written);
            }
        }
        self.markup.push_str(ending);
    }
}

/// Whether an attribute is a presentation attribute a class may stand for.
pub(super) fn is_presentation(name: &str) -> bool {
    unit(name).is_some()
}

/// The attributes of a start tag's attribute text, each as the text before its `="` (the name
/// with the space before it) and its value; the pieces follow each other, `="` and `"` apart.
/// Values are escaped (no `"` in them), so each pair is the next `="` and the `"` after it.
pub(super) fn raw_attributes(text: &str) -> impl Iterator<Item = (&str, &str)> {
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
        let lead = &rest[..equals];
        let after = &rest[equals + 2..];
        let close = memchr::memchr(b'"', after.as_bytes())?;
        let value = &after[..close];
        rest = &after[close + 1..];
        Some((lead, value))
    })
}

/// The `name="value"` pairs of a start tag's attribute text.
#[cfg(test)]
fn attributes(text: &str) -> impl Iterator<Item = (&str, &str)> {
    raw_attributes(text).map(|(lead, value)| (lead.trim(), value))
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

/// The classes of one document: its style sheet (empty when nothing was worth it), and for
/// each start tag of its parts the class that stands for its presentation attributes, if any.
pub(super) struct Hoisted {
    pub sheet: String,
    /// By style (in order of first use): its class name, if it has one.
    names: Vec<Option<String>>,
    /// By part, by styled tag: its style.
    styles: Vec<Vec<usize>>,
}

/// The presentation attributes that `parts` (the `<defs>` and the body of one document) repeat,
/// as classes of one sheet, its rules scoped to `#root_id` when given.
pub(super) fn hoist(parts: &[&Part], root_id: Option<&str>) -> Hoisted {
    // Each part's pairs as text, so that a tag's style is a slice of them.
    let pairs: Vec<Vec<(&str, &str)>> = parts
        .iter()
        .map(|part| {
            let text = |range: &Range<usize>| &part.markup[range.clone()];
            (part.pairs.iter())
                .map(|(name, value)| (text(name), text(value)))
                .collect()
        })
        .collect();
    let mut index: FxHashMap<&Style<'_>, usize> = FxHashMap::default();
    let mut uses: Vec<(&Style<'_>, usize)> = Vec::new();
    let styles = parts
        .iter()
        .zip(&pairs)
        .map(|(part, pairs)| {
            part.tags
                .iter()
                .map(|tag| {
                    let style = &pairs[tag.style.clone()];
                    let id = *index.entry(style).or_insert_with(|| {
                        uses.push((style, 0));
                        uses.len() - 1
                    });
                    uses[id].1 += 1;
                    id
                })
                .collect()
        })
        .collect();
    // Most used first (the shortest names), ties by their text, so the output is deterministic.
    // A style used once never gets a class, so it is not ranked (nor its rule written).
    let mut ranked: Vec<(usize, String)> = uses
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| *n >= 2)
        .map(|(id, (style, _))| (id, declarations(style)))
        .collect();
    ranked.sort_by(|a, b| uses[b.0].1.cmp(&uses[a.0].1).then_with(|| a.1.cmp(&b.1)));
    let scope = root_id.map(|id| format!("#{id} ")).unwrap_or_default();
    let mut names = vec![None; uses.len()];
    let mut classes = 0;
    let mut sheet = String::new();
    for (id, rule) in ranked {
        let (style, n) = uses[id];
        let name = class_name(classes);
        let inline: usize = style.iter().map(|(k, v)| k.len() + v.len() + 4).sum();
        let saved = n as isize * (inline as isize - (name.len() as isize + 9));
        let cost = (scope.len() + name.len() + rule.len() + 3) as isize;
        if n < 2 || saved <= cost {
            continue;
        }
        for piece in [scope.as_str(), ".", &name, "{", &rule, "}\n"] {
            sheet.push_str(piece);
        }
        names[id] = Some(name);
        classes += 1;
    }
    Hoisted {
        sheet,
        names,
        styles,
    }
}

impl Hoisted {
    /// Appends part `index` (`part`, as given to [`hoist`]) to `out`, each styled tag's
    /// presentation attributes replaced by its class.
    pub(super) fn write(&self, index: usize, part: &Part, out: &mut String) {
        let mut copied = 0;
        for (tag, &style) in part.tags.iter().zip(&self.styles[index]) {
            let Some(class) = &self.names[style] else {
                continue;
            };
            out.push_str(&part.markup[copied..tag.attributes.start]);
            // The class takes the place of the first attribute it stands for.
            let mut placed = false;
            for attribute in &part.written[tag.written.clone()] {
                if !attribute.presentation {
                    let name = &part.markup[attribute.name.clone()];
                    let value = &part.markup[attribute.value.clone()];
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
        out.push_str(&part.markup[copied..]);
    }
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

    /// [`hoist`] over one part as `Svg::finish` makes it: the sheet and the rewritten markup.
    fn hoisted(markup: &str, root_id: Option<&str>) -> (String, String) {
        let part = super::super::svg::compact(markup);
        let hoisted = hoist(&[&part], root_id);
        let mut out = String::new();
        hoisted.write(0, &part, &mut out);
        (hoisted.sheet, out)
    }

    #[test]
    fn repeated_styles_become_classes() {
        let body = "<rect x=\"1\" fill=\"#333\" stroke=\"#000\" stroke-width=\"1.5\"/>\n\
                    <rect x=\"2\" fill=\"#333\" stroke=\"#000\" stroke-width=\"1.5\"/>\n\
                    <rect x=\"3\" fill=\"#333\" stroke=\"#000\" stroke-width=\"1.5\"/>\n\
                    <text x=\"4\" font-size=\"12\" fill=\"#f00\">a &lt; b</text>\n";
        let (sheet, out) = hoisted(body, Some("p-svg"));
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
        let (sheet, out) = hoisted(&body, None);
        assert!(sheet.is_empty());
        assert_eq!(out, body);
        assert!(!plain("url(http://x)"));
        assert!(!plain("a;b"));
        assert!(plain("url(#p1-marker-0)"));
        // ER markers are named as mermaid names them.
        assert!(plain("url(#p1-er-zero_or_more)"));
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
