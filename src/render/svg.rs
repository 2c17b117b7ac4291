//! A small SVG writer: every attribute value and text node is escaped here, numbers are written
//! the same way on every machine (at most two decimals, no trailing zeros), and nothing but
//! presentation attributes and one style sheet of classes is used (no `<foreignObject>`, no script), so
//! browsers, GitHub's `<img>`, rsvg and resvg all draw the same picture. What SVG gives by
//! default or by inheritance (the font family, set once on `<svg>`; a corner radius of 0) is not
//! written again on every element: diagrams are a large part of a build's output.
//!
//! Architecture Invariant: with `paint`, the only code that writes SVG markup; every value from
//! a plan passes its escaping, so no label, id or link can add markup to a drawing.

use super::layout::{Point, Rect};
use super::short_path::PathSink;
use super::style_sheet::{OpenTag, Part};
use super::text::FONT_FAMILY;
use std::fmt::Write as _;

/// Escapes text for an XML text node or a double-quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends [`escape`]'s text for `text`. Most values (numbers, colours, ids) need no escaping:
/// they are copied whole, without looking at each character.
pub fn push_escaped(out: &mut String, text: &str) {
    if !needs_escaping(text) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids, whatever a plan holds.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A number as SVG wants it: at most two decimals, no trailing zeros, no `-0`.
pub fn num(value: f64) -> String {
    let mut text = String::with_capacity(8);
    push_num(&mut text, value);
    text
}

/// Appends [`num`]'s text for `value`. Drawings write hundreds of numbers each: the value is
/// rounded to hundredths and written as an integer with two decimals, without formatting a
/// float, which cost more than the rest of writing a number.
pub fn push_num(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push('0');
        return;
    }
    let hundredths = (value * 100.0).round();
    // Below 1e14 hundredths the float nearest `hundredths / 100` is within 1e-4 of it, so its
    // two decimals are those of the integer; larger values take the float's own formatting.
    if hundredths.abs() >= 1e14 {
        let mut text = format!("{:.2}", hundredths / 100.0);
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            text.pop();
        }
        out.push_str(&text);
        return;
    }
    push_hundredths(out, hundredths as i64, true);
}

/// Appends a whole number of hundredths as a decimal number: at most two decimals, no trailing
/// zeros, no `-0`; `0.5` as `.5` unless `leading_zero`. Integers only: no float formatting.
pub(super) fn push_hundredths(out: &mut String, hundredths: i64, leading_zero: bool) {
    let n = hundredths.unsigned_abs();
    if n == 0 {
        out.push('0');
        return;
    }
    if hundredths < 0 {
        out.push('-');
    }
    let (whole, fraction) = (n / 100, n % 100);
    if whole != 0 || leading_zero || fraction == 0 {
        // The whole part's digits, without the formatting machinery (a third of the cost).
        let mut digits = [0u8; 20];
        let mut first = digits.len();
        let mut rest = whole;
        loop {
            first -= 1;
            digits[first] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        out.push_str(std::str::from_utf8(&digits[first..]).unwrap_or_default());
    }
    if fraction != 0 {
        out.push('.');
        out.push(char::from(b'0' + (fraction / 10) as u8));
        if fraction % 10 != 0 {
            out.push(char::from(b'0' + (fraction % 10) as u8));
        }
    }
}

/// The text anchor set on `<svg>` and inherited by every text that does not name its own: most
/// labels are centred.
const DEFAULT_ANCHOR: &str = "middle";

/// The baselines of `count` lines of text of font size `size` centred vertically on `middle`.
pub fn baselines(middle: f64, size: f64, count: usize) -> Vec<f64> {
    let line_height = size * super::text::LINE_HEIGHT;
    let top = middle - line_height * count as f64 / 2.0;
    // The baseline sits a little below the middle of the line's box.
    (0..count)
        .map(|i| top + line_height * i as f64 + line_height / 2.0 + size * 0.35)
        .collect()
}

/// Whether [`num`] writes `value` as `0`.
pub fn is_zero(value: f64) -> bool {
    !value.is_finite() || (value * 100.0).round() == 0.0
}

/// Fill and stroke of a shape.
#[derive(Debug, Clone, Copy)]
pub struct Paint<'a> {
    pub fill: &'a str,
    pub stroke: &'a str,
}

/// How a block of text is set.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle<'a> {
    pub size: f64,
    pub bold: bool,
    pub fill: &'a str,
    /// `start`, `middle` or `end`.
    pub anchor: &'a str,
}

/// Builds one SVG document.
///
/// The markup is written compact (path data shortened, a rectangle's corner radius of 0 left
/// out, see [`compact`]), and each start tag's presentation attributes are noted for the style
/// sheet as they are written: nothing reads the drawing's markup again. Markup that a caller
/// built ([`Svg::raw`], [`Svg::def`]) is read once, by [`compact`].
#[derive(Debug, Default)]
pub struct Svg {
    defs: String,
    body: Part,
    /// The id of the `<svg>` element, which scopes its style sheet (pages may inline documents).
    id: Option<String>,
}

impl Svg {
    pub fn new() -> Svg {
        Svg::default()
    }

    /// A document whose ids start with `id_prefix`: its style sheet applies below
    /// `#{id_prefix}svg` only, so documents inlined in one page keep their own classes.
    pub fn with_id_prefix(id_prefix: &str) -> Svg {
        let identifier = id_prefix.starts_with(|c: char| c.is_ascii_alphabetic())
            && id_prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        Svg {
            id: identifier.then(|| format!("{id_prefix}svg")),
            ..Svg::default()
        }
    }

    /// Appends raw markup that the caller built from escaped pieces.
    pub fn raw(&mut self, markup: &str) {
        compact_into(&mut self.body, markup);
    }

    /// Appends a definition (marker, gradient) to `<defs>`.
    pub fn def(&mut self, markup: &str) {
        self.defs.push_str(markup);
    }

    /// An element with attributes (values escaped here) and no children.
    pub fn element(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.start_tag(name, attrs);
        self.end_empty();
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.start_tag(name, attrs);
        self.end_start();
    }

    /// `<name` and the attributes, values escaped; the caller closes the tag.
    fn start_tag(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.start(name);
        for (key, value) in attrs {
            self.attr(key, value);
        }
    }

    /// `<name`, left open: attributes follow through [`Svg::attr`] and [`Svg::num_attr`],
    /// and [`Svg::end_empty`] or [`Svg::end_start`] closes the tag. Painting writes most
    /// elements this way, without building their values as strings first.
    pub fn start(&mut self, name: &str) {
        self.body.start_tag(name);
    }

    /// ` key="value"`, the value escaped; path data (`d`) in its shortest form.
    pub fn attr(&mut self, key: &str, value: &str) {
        if key == "d" {
            let escaped = if needs_escaping(value) {
                std::borrow::Cow::Owned(escape(value))
            } else {
                std::borrow::Cow::Borrowed(value)
            };
            self.body
                .attribute(key, |out| push_path_data(out, &escaped));
        } else {
            self.body.attribute(key, |out| push_escaped(out, value));
        }
    }

    /// ` key="value"` for a number, written as [`num`] writes it.
    pub fn num_attr(&mut self, key: &str, value: f64) {
        self.body.attribute(key, |out| push_num(out, value));
    }

    /// ` d="..."`: the path that `draw` paints, in its shortest exact form (as [`Svg::attr`]
    /// writes the same path given as text, without writing and reading that text).
    pub(super) fn path_attr(&mut self, draw: impl Fn(&mut dyn PathSink)) {
        self.body
            .attribute("d", |out| super::short_path::shorten_painted(out, draw));
    }

    /// Ends an element without children.
    pub fn end_empty(&mut self) {
        self.body.end_tag("/>\n");
    }

    /// Ends a start tag; children follow.
    pub fn end_start(&mut self) {
        self.body.end_tag(">\n");
    }

    /// Ends a start tag whose text follows on the same line (`<text>`, `<tspan>`).
    pub fn end_start_inline(&mut self) {
        self.body.end_tag(">");
    }

    pub fn close(&mut self, name: &str) {
        self.close_inline(name);
        self.body.markup.push('\n');
    }

    /// `</name>`, with no line break after it.
    pub fn close_inline(&mut self, name: &str) {
        let markup = &mut self.body.markup;
        markup.push_str("</");
        markup.push_str(name);
        markup.push('>');
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) {
        push_escaped(&mut self.body.markup, text);
    }

    /// The start tag of a `<text>` element, left open for more attributes: its position (`y`
    /// only when the text is one line, else each line's `<tspan>` has its own), size and
    /// colour, and its anchor when it is not the document's. The font family is the
    /// document's, inherited.
    pub fn text_start(&mut self, x: f64, y: Option<f64>, size: f64, fill: &str, anchor: &str) {
        self.start("text");
        self.num_attr("x", x);
        if let Some(y) = y {
            self.num_attr("y", y);
        }
        self.num_attr("font-size", size);
        self.attr("fill", fill);
        if anchor != DEFAULT_ANCHOR {
            self.attr("text-anchor", anchor);
        }
    }

    /// A rectangle; a corner radius of 0 and a stroke of `none` are SVG's defaults and left out
    /// (no group of ours sets a stroke for its children to inherit).
    pub fn rect(&mut self, r: Rect, rx: f64, paint: Paint<'_>) {
        self.start_rect(r);
        if !is_zero(rx) {
            self.num_attr("rx", rx);
        }
        self.attr("fill", paint.fill);
        if paint.stroke != "none" {
            self.attr("stroke", paint.stroke);
        }
        self.end_empty();
    }

    /// `<rect` with its place and size; the caller adds the rest and ends it.
    pub fn start_rect(&mut self, r: Rect) {
        self.start("rect");
        self.num_attr("x", r.x);
        self.num_attr("y", r.y);
        self.num_attr("width", r.width);
        self.num_attr("height", r.height);
    }

    /// A straight line, dashed when `dasharray` is given.
    pub fn line(
        &mut self,
        from: Point,
        to: Point,
        stroke: &str,
        stroke_width: f64,
        dasharray: Option<&str>,
    ) {
        self.start("line");
        self.num_attr("x1", from.x);
        self.num_attr("y1", from.y);
        self.num_attr("x2", to.x);
        self.num_attr("y2", to.y);
        self.attr("stroke", stroke);
        self.num_attr("stroke-width", stroke_width);
        if let Some(dasharray) = dasharray {
            self.attr("stroke-dasharray", dasharray);
        }
        self.end_empty();
    }

    /// The canvas: a rectangle from the origin in the diagram's background colour, drawn
    /// first so everything else lies on it.
    pub fn background(&mut self, width: f64, height: f64, fill: &str) {
        self.rect(
            Rect {
                x: 0.0,
                y: 0.0,
                width,
                height,
            },
            0.0,
            Paint {
                fill,
                stroke: "none",
            },
        );
    }

    /// Lines of text centred vertically on `at` (the middle of the block), anchored horizontally
    /// as the style says: one line as the text itself, more as one `<tspan>` per line.
    pub fn text_block(&mut self, at: Point, lines: &[String], style: &TextStyle<'_>) {
        self.text_block_with(at, lines, style, &[]);
    }

    /// [`Svg::text_block`] with more attributes on the `<text>` (`font-style="italic"`),
    /// values escaped here.
    pub fn text_block_with(
        &mut self,
        at: Point,
        lines: &[String],
        style: &TextStyle<'_>,
        extra: &[(&str, &str)],
    ) {
        let baselines = baselines(at.y, style.size, lines.len());
        let single = lines.len() == 1;
        self.text_start(
            at.x,
            single.then(|| baselines[0]),
            style.size,
            style.fill,
            style.anchor,
        );
        if style.bold {
            self.attr("font-weight", "bold");
        }
        for (key, value) in extra {
            self.attr(key, value);
        }
        self.end_start_inline();
        for (line, baseline) in lines.iter().zip(baselines) {
            if !single {
                self.start("tspan");
                self.num_attr("x", at.x);
                self.num_attr("y", baseline);
                self.end_start_inline();
            }
            self.text(line);
            if !single {
                self.close_inline("tspan");
            }
        }
        self.close("text");
    }

    /// The finished document: `width` x `height` pixels, viewBox from the origin. Presentation
    /// attributes that many elements repeat become classes of one style sheet
    /// ([`super::style_sheet`]).
    pub fn finish(self, width: f64, height: f64, title: Option<&str>) -> String {
        let defs = compact(&self.defs);
        let body = &self.body;
        let hoisted = super::style_sheet::hoist(&[&defs, body], self.id.as_deref());
        let mut out = String::with_capacity(
            body.markup.len() + defs.markup.len() + hoisted.sheet.len() + 300,
        );
        let id = match &self.id {
            Some(id) if !hoisted.sheet.is_empty() => format!(" id=\"{id}\""),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"{id} width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}\" text-anchor=\"{DEFAULT_ANCHOR}\">",
            escape(FONT_FAMILY),
            w = num(width),
            h = num(height)
        );
        if let Some(title) = title {
            let _ = writeln!(out, "<title>{}</title>", escape(title));
        }
        if !hoisted.sheet.is_empty() {
            let _ = write!(out, "<style>\n{}</style>\n", hoisted.sheet);
        }
        if !defs.markup.is_empty() {
            out.push_str("<defs>\n");
            hoisted.write(0, &defs, &mut out);
            out.push_str("</defs>\n");
        }
        hoisted.write(1, body, &mut out);
        out.push_str("</svg>\n");
        out
    }
}

impl Part {
    /// `<name`, its start tag open: attributes follow through [`Part::attribute`], and
    /// [`Part::end_tag`] ends it.
    fn start_tag(&mut self, name: &str) {
        self.markup.push('<');
        self.markup.push_str(name);
        self.open = Some(OpenTag {
            attributes: self.markup.len(),
            style: self.pairs.len(),
            written: self.written.len(),
            all_plain: true,
            rect: name == "rect",
            svg: name == "svg",
        });
    }

    /// ` name="value"` on the open start tag, `value` written (escaped) by `write`; a
    /// rectangle's corner radius of 0, SVG's default, is left out.
    fn attribute(&mut self, name: &str, write: impl FnOnce(&mut String)) {
        let lead = self.markup.len();
        self.markup.push(' ');
        self.markup.push_str(name);
        let name_range = lead + 1..self.markup.len();
        self.markup.push_str("=\"");
        let value_start = self.markup.len();
        write(&mut self.markup);
        let value = value_start..self.markup.len();
        let rect = self.open.as_ref().is_some_and(|open| open.rect);
        if rect && matches!(name, "rx" | "ry") && &self.markup[value.clone()] == "0" {
            self.markup.truncate(lead);
            return;
        }
        self.markup.push('"');
        self.note_attribute(name_range, value);
    }
}

/// Whether [`push_escaped`] may change `text`: it holds markup, a control character, or the
/// lead byte of U+FFFE/U+FFFF.
fn needs_escaping(text: &str) -> bool {
    !text.bytes().all(|b| {
        !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF)
            && (b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
    })
}

/// Path data (escaped) in its shortest exact form ([`super::short_path`]), or else without
/// the spaces its commands do not need (`M1,2 L3,4 z` is `M1,2L3,4z`).
pub(super) fn push_path_data(out: &mut String, data: &str) {
    if !super::short_path::shorten(out, data) {
        compact_path(out, data);
    }
}

/// The markup with the same geometry in fewer bytes, as [`Svg`] writes its own: path data in
/// its shortest form ([`push_path_data`]), and a rectangle's corner radius of 0, SVG's
/// default, left out; each start tag's presentation attributes noted for the style sheet.
pub(super) fn compact(markup: &str) -> Part {
    let mut part = Part {
        markup: String::with_capacity(markup.len()),
        ..Part::default()
    };
    compact_into(&mut part, markup);
    part
}

/// Appends [`compact`]'s markup for `markup` to `part`. Attribute values and text are escaped
/// (no `"` or `<` inside them), so a `<` starts a tag and each attribute is the next `="` and
/// the `"` after it.
fn compact_into(part: &mut Part, markup: &str) {
    use super::style_sheet::raw_attributes;
    let bytes = markup.as_bytes();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let name_start = at + offset + 1;
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        let close = (name_end > name_start)
            .then(|| memchr::memchr(b'>', &bytes[name_end..]))
            .flatten();
        let Some(close) = close.map(|close| name_end + close) else {
            // An end tag: copied as it is.
            part.markup.push_str(&markup[at..name_start]);
            at = name_start;
            continue;
        };
        part.markup.push_str(&markup[at..name_start - 1]);
        part.start_tag(&markup[name_start..name_end]);
        let text_end = if bytes[close - 1] == b'/' {
            close - 1
        } else {
            close
        };
        let text = &markup[name_end..text_end];
        let rect = part.open.as_ref().is_some_and(|open| open.rect);
        let mut read = 0;
        for (lead, value) in raw_attributes(text) {
            read += lead.len() + value.len() + 3;
            if rect && value == "0" && (lead == " rx" || lead == " ry") {
                continue;
            }
            let out = &mut part.markup;
            let lead_start = out.len();
            out.push_str(lead);
            let trimmed = lead.trim_start();
            let name_start = lead_start + lead.len() - trimmed.len();
            let name = name_start..name_start + trimmed.trim_end().len();
            out.push_str("=\"");
            let value_start = out.len();
            if lead.ends_with(" d") {
                push_path_data(out, value);
            } else {
                out.push_str(value);
            }
            let value_range = value_start..out.len();
            out.push('"');
            part.note_attribute(name, value_range);
        }
        part.markup.push_str(&text[read..]);
        part.end_tag(&markup[text_end..=close]);
        at = close + 1;
    }
    part.markup.push_str(&markup[at..]);
}

/// Appends path data with a space only where two numbers would otherwise run together: none
/// around a command letter, none before a minus sign.
fn compact_path(out: &mut String, data: &str) {
    let is_command = |c: char| c.is_ascii_alphabetic();
    // The last character this path wrote.
    let mut last: Option<char> = None;
    let mut chars = data.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied();
            let after_command = last.is_some_and(is_command);
            match next {
                Some(n) if n == ' ' || n == ',' || n == '-' || is_command(n) || after_command => {}
                Some(_) if last == Some(',') => {}
                _ => {
                    out.push(' ');
                    last = Some(' ');
                }
            }
        } else if c == ',' && last == Some(' ') {
            out.pop();
            out.push(',');
            last = Some(',');
        } else {
            out.push(c);
            last = Some(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(data: &str) -> String {
        let mut out = String::new();
        compact_path(&mut out, data);
        out
    }

    #[test]
    fn paths_lose_only_spaces_they_do_not_need() {
        assert_eq!(path("M0,0 L10,5 L0,10 z "), "M0,0L10,5L0,10z");
        assert_eq!(path("M 1 2 Q 3 -4 5 6"), "M1 2Q3-4 5 6");
        assert_eq!(path("M1.5 , 2 l-3,4"), "M1.5,2l-3,4");
        assert_eq!(
            compact(
                "<rect x=\"1\" rx=\"0\" class=\"a\"/>\n<path d=\"M1,2 L3,4\"/><circle r=\"0\"/>"
            )
            .markup,
            "<rect x=\"1\" class=\"a\"/>\n<path d=\"M1,2 3,4\"/><circle r=\"0\"/>"
        );
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("a\u{1}b"), "a\u{FFFD}b");
        assert_eq!(
            escape("a\u{FFFE}\u{FFFF}\u{FFFD}é\t"),
            "a\u{FFFD}\u{FFFD}\u{FFFD}é\t"
        );
        assert_eq!(escape("#333 M1,2L3,4"), "#333 M1,2L3,4");
    }

    #[test]
    fn numbers() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(-0.05), "-0.05");
        assert_eq!(num(-2.5), "-2.5");
        assert_eq!(num(1e20), "100000000000000000000");
    }

    /// What `num` wrote by formatting the rounded float: the integer arithmetic must agree.
    fn num_by_float_formatting(value: f64) -> String {
        if !value.is_finite() {
            return "0".to_string();
        }
        let rounded = (value * 100.0).round() / 100.0;
        let mut s = format!("{rounded:.2}");
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
        if s == "-0" {
            s = "0".to_string();
        }
        s
    }

    #[test]
    fn numbers_agree_with_float_formatting() {
        let mut values = vec![
            0.0,
            -0.0,
            0.005,
            -0.005,
            0.015,
            0.125,
            1.005,
            2.675,
            99.995,
            -99.995,
            0.1,
            0.7,
            1e12,
            9.99e11,
            999_999_999_999.99,
            1e13,
            -1e13,
            1e15,
            123.456e10,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
        ];
        // Values of every magnitude from a fixed pseudo-random sequence.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (state % 34) as i32 - 16;
            let sign = if state & (1 << 10) == 0 { 1.0 } else { -1.0 };
            values.push(sign * mantissa * 10f64.powi(exponent));
            // Numbers near a half hundredth, as layouts make them.
            values.push(sign * ((state % 100_000) as f64 / 200.0));
        }
        for value in values {
            assert_eq!(num(value), num_by_float_formatting(value), "{value:e}");
        }
    }

    #[test]
    fn defaults_are_left_out() {
        let style = TextStyle {
            size: 14.0,
            bold: true,
            fill: "#333",
            anchor: "start",
        };
        let mut svg = Svg::new();
        svg.text_block(Point { x: 1.0, y: 20.0 }, &["one".to_string()], &style);
        svg.rect(
            Rect {
                x: 0.5,
                y: 0.0,
                width: 2.0,
                height: 3.0,
            },
            0.0,
            Paint {
                fill: "#fff",
                stroke: "none",
            },
        );
        svg.text_block(
            Point { x: 1.0, y: 20.0 },
            &["a".to_string(), "b".to_string()],
            &style,
        );
        let doc = super::super::style_sheet::inline_classes(&svg.finish(20.0, 20.0, None));
        let body: Vec<&str> = doc.lines().skip(1).collect();
        assert_eq!(
            body,
            [
                "<text x=\"1\" y=\"24.9\" font-size=\"14\" fill=\"#333\" text-anchor=\"start\" font-weight=\"bold\">one</text>",
                "<rect x=\"0.5\" y=\"0\" width=\"2\" height=\"3\" fill=\"#fff\"/>",
                "<text x=\"1\" font-size=\"14\" fill=\"#333\" text-anchor=\"start\" font-weight=\"bold\"><tspan x=\"1\" y=\"16.15\">a</tspan><tspan x=\"1\" y=\"33.65\">b</tspan></text>",
                "</svg>",
            ]
        );
        assert_eq!(doc.matches("font-family").count(), 1);
    }

    #[test]
    fn document_is_escaped() {
        let mut svg = Svg::new();
        let style = TextStyle {
            size: 14.0,
            bold: false,
            fill: "#000",
            anchor: "middle",
        };
        svg.text_block(
            Point { x: 10.0, y: 10.0 },
            &["<b>\"x\"</b>".to_string()],
            &style,
        );
        svg.element("a", &[("href", "x\" onload=\"y".to_string())]);
        let doc = svg.finish(20.0, 20.0, Some("t<"));
        assert!(doc.contains("&lt;b&gt;&quot;x&quot;&lt;/b&gt;"));
        assert!(doc.contains("href=\"x&quot; onload=&quot;y\""));
        assert!(doc.contains("<title>t&lt;</title>"));
    }
}
