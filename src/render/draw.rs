//! Drawing helpers more than one family needs: labels (cleaned by `label`) wrapped and drawn as
//! `<text>` with styled tspans,
//! arrow-head markers by kind, curved edge paths, and `classDef`/`style` values sanitised into
//! presentation attributes.

use super::layout::{Point, Rect};
use super::scene::{Anchor, Mark, Stroke};
use super::short_path::PathSink;
use super::svg::{baselines, escape, num, Svg};
use super::text::{self, LINE_HEIGHT};
use super::theme::is_colour;
use crate::mermaid::link::SafeUrl;
use std::fmt::Write as _;

pub use super::label::Span;
use super::label::{self, span_width, Rules};

/// A label ready to draw: lines of styled runs, measured.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Label {
    pub lines: Vec<Vec<Span>>,
    pub size: f64,
    pub width: f64,
    pub height: f64,
}

impl Label {
    /// The label's text without styling, lines joined by spaces (what the checks look for).
    pub fn plain(&self) -> String {
        self.lines
            .iter()
            .map(|line| line.iter().map(|s| s.text.as_str()).collect::<String>())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Sets every run bold and/or italic (a style's `font-weight`/`font-style`), measuring
    /// again.
    pub fn emphasise(&mut self, style: &Style) {
        if !style.bold && !style.italic {
            return;
        }
        for span in self.lines.iter_mut().flatten() {
            span.bold |= style.bold;
            span.italic |= style.italic;
        }
        self.width = self
            .lines
            .iter()
            .map(|l| l.iter().map(|s| span_width(s, self.size)).sum::<f64>())
            .fold(0.0, f64::max);
    }

    pub fn is_empty(&self) -> bool {
        self.lines
            .iter()
            .all(|l| l.iter().all(|s| s.text.is_empty()))
    }
}

/// Lays out an HTML-surface label (flowchart, state) at `size` pixels, wrapping lines wider
/// than `max_width` at spaces.
pub fn make_label(raw: &str, markdown: bool, size: f64, max_width: f64) -> Label {
    let mut lines = Vec::new();
    for line in label::lines(raw, Rules::HTML.markdown(markdown)) {
        // Words keep their run's style; a line is filled greedily.
        let mut current: Vec<Span> = Vec::new();
        let mut current_width = 0.0;
        for span in line {
            for (k, word) in span.text.split(' ').enumerate() {
                let piece = if k == 0 || current.is_empty() {
                    word.to_string()
                } else {
                    format!(" {word}")
                };
                let w = text::width(&piece, size, span.bold);
                if current_width + w > max_width && current_width > 0.0 {
                    lines.push(std::mem::take(&mut current));
                    let w = text::width(word, size, span.bold);
                    current.push(Span {
                        text: word.to_string(),
                        ..span.clone()
                    });
                    current_width = w;
                    continue;
                }
                match current.last_mut() {
                    Some(last) if last.bold == span.bold && last.italic == span.italic => {
                        last.text.push_str(&piece)
                    }
                    _ => current.push(Span {
                        text: piece,
                        ..span.clone()
                    }),
                }
                current_width += w;
            }
        }
        lines.push(current);
    }
    // A single word wider than the limit is cut, as `text::wrap` does.
    let lines: Vec<Vec<Span>> = lines
        .into_iter()
        .flat_map(|line| {
            let too_wide = line.len() == 1 && span_width(&line[0], size) > max_width;
            if !too_wide {
                return vec![line];
            }
            let span = &line[0];
            text::wrap(&span.text, size, span.bold, max_width)
                .into_iter()
                .map(|piece| {
                    vec![Span {
                        text: piece,
                        ..span.clone()
                    }]
                })
                .collect()
        })
        .collect();
    let width = lines
        .iter()
        .map(|l| l.iter().map(|s| span_width(s, size)).sum::<f64>())
        .fold(0.0, f64::max);
    let height = lines.len().max(1) as f64 * size * LINE_HEIGHT;
    Label {
        lines,
        size,
        width,
        height,
    }
}

/// Draws a label centred vertically on `at`, anchored horizontally by `anchor`: one line as the
/// text's own content, more as one `<tspan>` per line; bold and italic runs as inner tspans.
pub fn draw_label(svg: &mut Svg, at: Point, label: &Label, fill: &str, anchor: &str) {
    let baselines = baselines(at.y, label.size, label.lines.len());
    let single = label.lines.len() == 1;
    svg.text_start(at.x, single.then(|| baselines[0]), label.size, fill, anchor);
    svg.end_start_inline();
    for (line, baseline) in label.lines.iter().zip(baselines) {
        if !single {
            svg.start("tspan");
            svg.num_attr("x", at.x);
            svg.num_attr("y", baseline);
            svg.end_start_inline();
        }
        for span in line {
            if span.bold || span.italic {
                svg.start("tspan");
                if span.bold {
                    svg.attr("font-weight", "bold");
                }
                if span.italic {
                    svg.attr("font-style", "italic");
                }
                svg.end_start_inline();
                svg.text(&span.text);
                svg.close_inline("tspan");
            } else {
                svg.text(&span.text);
            }
        }
        if !single {
            svg.close_inline("tspan");
        }
    }
    svg.close("text");
}

/// An edge's label on its background, centred on `at`.
pub fn edge_label(at: Point, label: &Label, background: &str, colour: &str) -> Vec<Mark> {
    vec![
        Mark::Box {
            rect: Rect {
                x: at.x - label.width / 2.0 - 4.0,
                y: at.y - label.height / 2.0 - 2.0,
                width: label.width + 8.0,
                height: label.height + 4.0,
            },
            rx: 0.0,
            fill: background.to_string(),
            stroke: None,
        },
        Mark::Label {
            at,
            label: label.clone(),
            fill: colour.to_string(),
            anchor: Anchor::Middle,
        },
    ]
}

/// The shape at the end of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Head {
    /// A filled triangle.
    Arrow,
    /// A hollow triangle (UML inheritance).
    HollowTriangle,
    Circle,
    Cross,
    /// A filled diamond (UML composition).
    Diamond,
    /// A hollow diamond (UML aggregation).
    HollowDiamond,
    /// Class diagrams' UML ends, drawn larger, in the line's colour on the background.
    Uml(UmlEnd),
    /// ER diagrams' crow's-foot ends.
    Crow(CrowFoot),
    /// C4 relations' arrow.
    C4Arrow,
    /// Sequence messages' heads.
    Sequence(SequenceHead),
}

/// The head of a sequence message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SequenceHead {
    /// A filled triangle (`->>`).
    Filled,
    /// A cross (`-x`).
    Cross,
    /// An open arrow (`-)`, asynchronous).
    Open,
    /// The halves and sticks of the `-|\\` family.
    HalfTop,
    HalfBottom,
    StickTop,
    StickBottom,
}

/// A class relation's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UmlEnd {
    Extension,
    Composition,
    Aggregation,
    Dependency,
    Lollipop,
}

/// An ER relationship's end: how many of the entity it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CrowFoot {
    OnlyOne,
    ZeroOrOne,
    OneOrMore,
    ZeroOrMore,
    Parent,
}

impl Head {
    /// The id of a marker that has a name of its own (UML and crow's-foot ends, which point
    /// either way through `auto-start-reverse`): the same at either end.
    fn name(self) -> Option<&'static str> {
        Some(match self {
            Head::Uml(UmlEnd::Extension) => "class-extension",
            Head::Uml(UmlEnd::Composition) => "class-composition",
            Head::Uml(UmlEnd::Aggregation) => "class-aggregation",
            Head::Uml(UmlEnd::Dependency) => "class-dependency",
            Head::Uml(UmlEnd::Lollipop) => "class-lollipop",
            Head::Crow(CrowFoot::OnlyOne) => "er-only_one",
            Head::Crow(CrowFoot::ZeroOrOne) => "er-zero_or_one",
            Head::Crow(CrowFoot::OneOrMore) => "er-one_or_more",
            Head::Crow(CrowFoot::ZeroOrMore) => "er-zero_or_more",
            Head::Crow(CrowFoot::Parent) => "er-md_parent",
            Head::C4Arrow => "c4-arrow",
            Head::Sequence(SequenceHead::Filled) => "head",
            Head::Sequence(SequenceHead::Cross) => "cross",
            Head::Sequence(SequenceHead::Open) => "async",
            Head::Sequence(SequenceHead::HalfTop) => "half-top",
            Head::Sequence(SequenceHead::HalfBottom) => "half-bottom",
            Head::Sequence(SequenceHead::StickTop) => "stick-top",
            Head::Sequence(SequenceHead::StickBottom) => "stick-bottom",
            _ => return None,
        })
    }
}

/// Which end of a line a marker sits on (the start's marker points backwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum End {
    Start,
    End,
}

/// The arrow-head markers a drawing uses, defined once each per colour.
#[derive(Debug, Default)]
pub struct Markers {
    prefix: String,
    /// What hollow parts of the named markers are filled with.
    background: String,
    used: Vec<(Head, End, String)>,
}

impl Markers {
    pub fn new(id_prefix: &str, background: &str) -> Markers {
        Markers {
            prefix: id_prefix.to_string(),
            background: background.to_string(),
            used: Vec::new(),
        }
    }

    /// The `url(#...)` reference of a marker, registering it. `colour` must be a checked
    /// colour (a theme value or one that passed `is_colour`).
    pub fn url(&mut self, head: Head, end: End, colour: &str) -> String {
        // A named marker points either way: one definition serves both ends.
        let end = if head.name().is_some() { End::End } else { end };
        let index = match self
            .used
            .iter()
            .position(|(h, e, c)| *h == head && *e == end && c == colour)
        {
            Some(i) => i,
            None => {
                self.used.push((head, end, colour.to_string()));
                self.used.len() - 1
            }
        };
        format!("url(#{})", self.id(index))
    }

    /// The id of the marker registered at `index`: a named one keeps its name (with the
    /// index when another colour of it came first).
    fn id(&self, index: usize) -> String {
        let (head, _, _) = self.used[index];
        match head.name() {
            Some(name) if !self.used[..index].iter().any(|(h, _, _)| *h == head) => {
                format!("{}{name}", self.prefix)
            }
            Some(name) => format!("{}{name}-{index}", self.prefix),
            None => format!("{}marker-{index}", self.prefix),
        }
    }

    /// The `<marker>` definitions for `<defs>`.
    pub fn defs(&self) -> String {
        let mut out = String::new();
        for (index, (head, end, colour)) in self.used.iter().enumerate() {
            if head.name().is_some() {
                out.push_str(&self.named_def(index));
                continue;
            }
            let colour = escape(colour);
            // Drawn pointing right (+x) with the tip at x = 10; the start marker is mirrored.
            let (shape, fill) = match head {
                Head::Arrow => ("M0,0 L10,5 L0,10 z", colour.clone()),
                Head::HollowTriangle => ("M0,0 L10,5 L0,10 z", "#ffffff".to_string()),
                Head::Circle => ("M1,5 a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0 z", colour.clone()),
                Head::Cross => ("M1,1 L9,9 M1,9 L9,1", "none".to_string()),
                Head::Diamond => ("M0,5 L5,1 L10,5 L5,9 z", colour.clone()),
                Head::HollowDiamond => ("M0,5 L5,1 L10,5 L5,9 z", "#ffffff".to_string()),
                Head::Uml(_) | Head::Crow(_) | Head::C4Arrow | Head::Sequence(_) => continue,
            };
            let transform = match end {
                End::End => "",
                End::Start => " transform=\"translate(10,0) scale(-1,1)\"",
            };
            let ref_x = match end {
                End::End => 10,
                End::Start => 0,
            };
            // No viewBox: it would be `0 0 10 10`, the marker's own box, which maps nothing.
            let _ = writeln!(
                out,
                "<marker id=\"{}marker-{index}\" refX=\"{ref_x}\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\"><path d=\"{shape}\" fill=\"{fill}\" stroke=\"{colour}\" stroke-width=\"1.5\"{transform}/></marker>",
                escape(&self.prefix)
            );
        }
        out
    }

    /// The definition of a named marker: UML ends in a 20x20 box, crow's feet in a 30x20 box
    /// whose right edge touches the box they end at (in the marker's own units: no viewBox).
    fn named_def(&self, index: usize) -> String {
        let (head, _, colour) = &self.used[index];
        let id = escape(&self.id(index));
        let (line, background) = (escape(colour), escape(&self.background));
        let none = "none".to_string();
        let arrow = match head {
            Head::Uml(UmlEnd::Extension) => Some(("M1,2 L19,10 L1,18 z", 19, &background)),
            Head::Uml(UmlEnd::Composition) => Some(("M1,10 L10,4.5 L19,10 L10,15.5 z", 19, &line)),
            Head::Uml(UmlEnd::Aggregation) => {
                Some(("M1,10 L10,4.5 L19,10 L10,15.5 z", 19, &background))
            }
            Head::Uml(UmlEnd::Dependency) => Some(("M3,3 L19,10 L3,17", 19, &none)),
            Head::Uml(UmlEnd::Lollipop) => {
                Some(("M3,10 A7,7 0 1,0 17,10 A7,7 0 1,0 3,10 z", 17, &background))
            }
            Head::C4Arrow => Some(("M2,4 L18,10 L2,16 z", 18, &line)),
            _ => None,
        };
        if let Some((shape, tip_x, fill)) = arrow {
            return format!(
                "<marker id=\"{id}\" viewBox=\"0 0 20 20\" refX=\"{tip_x}\" refY=\"10\" markerWidth=\"14\" markerHeight=\"14\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"{shape}\" fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"1\"/></marker>\n"
            );
        }
        if let Head::Sequence(kind) = head {
            let filled = |d: &str| format!("<path d=\"{d}\" fill=\"{line}\" stroke=\"{line}\"/>");
            let stroked = |d: &str| {
                format!("<path d=\"{d}\" fill=\"none\" stroke=\"{line}\" stroke-width=\"1.5\"/>")
            };
            let shape = match kind {
                SequenceHead::Filled => filled("M0,0 L10,5 L0,10 z"),
                SequenceHead::Cross => stroked("M2,1 L9,9 M9,1 L2,9"),
                SequenceHead::Open => stroked("M1,0 L10,5 L1,10"),
                SequenceHead::HalfTop => filled("M0,0 L10,5 L0,5 z"),
                SequenceHead::HalfBottom => filled("M0,10 L10,5 L0,5 z"),
                SequenceHead::StickTop => stroked("M0,0 L10,5"),
                SequenceHead::StickBottom => stroked("M0,10 L10,5"),
            };
            return format!(
                "<marker id=\"{id}\" viewBox=\"-1 -1 12 12\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\">{shape}</marker>\n"
            );
        }
        let circle = |cx: u32| {
            format!(
                "<circle cx=\"{cx}\" cy=\"10\" r=\"5\" fill=\"{background}\" stroke=\"{line}\"/>"
            )
        };
        let (lines, circle) = match head {
            Head::Crow(CrowFoot::OnlyOne) => {
                ("M0,10 L30,10 M18,3 L18,17 M24,3 L24,17", String::new())
            }
            Head::Crow(CrowFoot::ZeroOrOne) => ("M0,10 L30,10 M24,3 L24,17", circle(12)),
            Head::Crow(CrowFoot::OneOrMore) => (
                "M0,10 L30,10 M13,3 L13,17 M18,10 L30,2 M18,10 L30,18",
                String::new(),
            ),
            Head::Crow(CrowFoot::ZeroOrMore) => {
                ("M0,10 L30,10 M16,10 L30,2 M16,10 L30,18", circle(10))
            }
            _ => ("M0,10 L30,10 M22,3 L22,17", String::new()),
        };
        format!(
            "<marker id=\"{id}\" refX=\"30\" refY=\"10\" markerWidth=\"30\" markerHeight=\"20\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"{lines}\" fill=\"none\" stroke=\"{line}\" stroke-width=\"1.2\"/>{circle}</marker>\n"
        )
    }
}

/// Opens an `<a>` around a linked element with SVG 2's plain `href` (every current browser and
/// librsvg read it; the `xlink:href` copy, with its namespace on each link, was a third of a
/// service map's bytes). Close it with `svg.close("a")`.
pub fn open_link(svg: &mut Svg, url: &SafeUrl, target: Option<&str>) {
    let mut attrs = vec![("href", url.to_string())];
    if let Some(target) = target {
        attrs.push(("target", target.to_string()));
    }
    svg.open("a", &attrs);
}

/// The accessible description (`accDescr`) as the drawing's `<desc>`.
pub fn description(svg: &mut Svg, text: Option<&str>) {
    if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
        svg.raw(&format!("<desc>{}</desc>\n", escape(text.trim())));
    }
}

/// A cylinder standing in `r`, its end ellipses `cap` tall: the body's outline (the back half
/// of the top, the sides, the front half of the bottom) and the front rim of the top, the one
/// cylinder of flowchart (`cyl`), C4 (`*Db`) and sequence (`database`) drawings.
pub fn standing_cylinder(r: Rect, cap: f64) -> [String; 2] {
    let (left, right) = (num(r.x), num(r.x + r.width));
    let (top, bottom) = (num(r.y + cap), num(r.y + r.height - cap));
    let (rx, ry) = (num(r.width / 2.0), num(cap));
    [
        format!("M{left},{top} A{rx},{ry} 0 0,1 {right},{top} L{right},{bottom} A{rx},{ry} 0 0,1 {left},{bottom} Z"),
        format!("M{left},{top} A{rx},{ry} 0 0,0 {right},{top}"),
    ]
}

/// A cylinder lying in `r` (a queue), its ends `cap` wide: the body's outline and the front
/// rim of the right end, for flowchart (`h-cyl`), C4 (`*Queue`) and sequence (`queue`).
pub fn lying_cylinder(r: Rect, cap: f64) -> [String; 2] {
    let (left, right) = (num(r.x + cap), num(r.x + r.width - cap));
    let (top, bottom) = (num(r.y), num(r.y + r.height));
    let (rx, ry) = (num(cap), num(r.height / 2.0));
    [
        format!("M{left},{top} L{right},{top} A{rx},{ry} 0 0,1 {right},{bottom} L{left},{bottom} A{rx},{ry} 0 0,1 {left},{top} Z"),
        format!("M{right},{top} A{rx},{ry} 0 0,0 {right},{bottom}"),
    ]
}

/// A smooth path through the route's points: straight ends, quadratic curves through the
/// bends, so that edges look like mermaid's rounded lines.
pub(super) fn curve(points: &[Point], path: &mut dyn PathSink) {
    let Some(first) = points.first() else {
        return;
    };
    path.command(b'M', &[*first]);
    if points.len() > 2 {
        for i in 1..points.len() - 1 {
            let (p, next) = (points[i], points[i + 1]);
            let mid = Point {
                x: (p.x + next.x) / 2.0,
                y: (p.y + next.y) / 2.0,
            };
            let end = if i + 2 == points.len() { next } else { mid };
            path.command(b'Q', &[p, end]);
        }
    } else if let Some(last) = points.get(1) {
        path.command(b'L', &[*last]);
    }
}

/// Cuts a route where it enters `rect` (at its end, or at its start when `at_start`), so that
/// an edge to a cluster stops at the cluster's border. Routes that never enter stay whole.
pub fn clip_to_rect(points: &[Point], rect: Rect, at_start: bool) -> Vec<Point> {
    let inside = |p: &Point| {
        p.x > rect.x && p.x < rect.x + rect.width && p.y > rect.y && p.y < rect.y + rect.height
    };
    let mut ordered: Vec<Point> = points.to_vec();
    if at_start {
        ordered.reverse();
    }
    let Some(first_inside) = ordered.iter().position(inside).filter(|i| *i > 0) else {
        return points.to_vec();
    };
    let (a, b) = (ordered[first_inside - 1], ordered[first_inside]);
    // The largest step from `a` towards `b` that stays outside: bisection is exact enough.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        let p = Point {
            x: a.x + (b.x - a.x) * mid,
            y: a.y + (b.y - a.y) * mid,
        };
        if inside(&p) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    ordered.truncate(first_inside);
    ordered.push(Point {
        x: a.x + (b.x - a.x) * lo,
        y: a.y + (b.y - a.y) * lo,
    });
    if at_start {
        ordered.reverse();
    }
    ordered
}

/// `classDef`/`style`/`linkStyle` properties reduced to what presentation attributes can hold,
/// each value checked, so that a plan cannot smuggle markup or CSS into the SVG.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Style {
    pub fill: Option<String>,
    pub stroke: Option<String>,
    pub stroke_width: Option<String>,
    pub stroke_dasharray: Option<String>,
    /// The text colour (`color:`).
    pub color: Option<String>,
    pub bold: bool,
    pub italic: bool,
}

fn number(value: &str) -> Option<String> {
    let v = value.trim().trim_end_matches("px").trim();
    v.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0 && *n <= 100.0)
        .map(num)
}

impl Style {
    /// The style of an element as mermaid cascades it: `classDef default`, then each of its
    /// `classes` in order, then its `own` declarations. `class_def` gives the declarations
    /// a class name has (none, or several `classDef`s of one name).
    pub fn cascade<'d, D>(
        class_def: impl Fn(&'d str) -> D,
        classes: impl IntoIterator<Item = &'d str>,
        own: &[String],
    ) -> Style
    where
        D: IntoIterator<Item = &'d Vec<String>>,
    {
        let mut style = Style::default();
        for name in std::iter::once("default").chain(classes) {
            for declarations in class_def(name) {
                style.apply(declarations);
            }
        }
        style.apply(own);
        style
    }

    /// An outline's stroke in `colour`, with the style's width (else 1) and dashes.
    pub fn stroke_in(&self, colour: &str) -> Stroke {
        Stroke {
            colour: colour.to_string(),
            width: self.stroke_width.clone().or_else(|| Some("1".into())),
            dash: self.stroke_dasharray.clone(),
        }
    }

    /// Applies `key:value` declarations in order (later ones win). Unknown keys and unsafe
    /// values are ignored.
    pub fn apply<S: AsRef<str>>(&mut self, declarations: &[S]) {
        // Declarations arrive split at commas, which also split `rgb(1,2,3)` and `5,5`:
        // a piece without a key continues the declaration before it.
        let mut merged: Vec<String> = Vec::new();
        for declaration in declarations {
            for part in declaration.as_ref().split([',', ';']) {
                match merged.last_mut() {
                    Some(last) if !part.contains(':') => {
                        last.push(',');
                        last.push_str(part);
                    }
                    _ => merged.push(part.to_string()),
                }
            }
        }
        for part in &merged {
            {
                let Some((key, value)) = part.split_once(':') else {
                    continue;
                };
                let value = value.trim().trim_end_matches("!important").trim();
                let colour = || is_colour(value).then(|| value.to_string());
                match key.trim() {
                    "fill" | "background" | "background-color" => {
                        self.fill = colour().or(self.fill.take())
                    }
                    "stroke" | "border-color" => self.stroke = colour().or(self.stroke.take()),
                    "color" => self.color = colour().or(self.color.take()),
                    "stroke-width" => {
                        self.stroke_width = number(value).or(self.stroke_width.take())
                    }
                    "stroke-dasharray" => {
                        let parts: Option<Vec<String>> = value
                            .split([' ', ','])
                            .filter(|p| !p.is_empty())
                            .map(number)
                            .collect();
                        if let Some(parts) = parts.filter(|p| !p.is_empty()) {
                            self.stroke_dasharray = Some(parts.join(" "));
                        }
                    }
                    "font-weight" => self.bold = matches!(value, "bold" | "700" | "800" | "900"),
                    "font-style" => self.italic = matches!(value, "italic" | "oblique"),
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_labels_wrap_keeping_their_runs() {
        let label = make_label("one **two** three four five six", true, 16.0, 80.0);
        assert!(label.lines.len() > 1);
        assert_eq!(label.plain(), "one two three four five six");
        assert!(label.width <= 80.0);
        assert!(label
            .lines
            .iter()
            .flatten()
            .any(|s| s.bold && s.text == "two"));
    }

    #[test]
    fn routes_stop_at_a_cluster_border() {
        let cluster = Rect {
            x: 0.0,
            y: 100.0,
            width: 100.0,
            height: 100.0,
        };
        let route = [
            Point { x: 50.0, y: 0.0 },
            Point { x: 50.0, y: 150.0 },
            Point { x: 50.0, y: 180.0 },
        ];
        let clipped = clip_to_rect(&route, cluster, false);
        assert_eq!(clipped.len(), 2);
        assert!((clipped[1].y - 100.0).abs() < 0.01);
        let reversed: Vec<Point> = route.iter().rev().copied().collect();
        let clipped = clip_to_rect(&reversed, cluster, true);
        assert!((clipped[0].y - 100.0).abs() < 0.01 && clipped.len() == 2);
    }

    #[test]
    fn markers_are_shared_and_prefixed() {
        let mut markers = Markers::new("p-", "#fff");
        let a = markers.url(Head::Arrow, End::End, "#333");
        assert_eq!(a, markers.url(Head::Arrow, End::End, "#333"));
        assert_ne!(a, markers.url(Head::Arrow, End::Start, "#333"));
        let defs = markers.defs();
        assert_eq!(defs.matches("<marker id=\"p-marker-").count(), 2);
    }

    #[test]
    fn styles_cascade_from_default_through_classes_to_own_declarations() {
        let defs: Vec<(&str, Vec<String>)> = vec![
            ("default", vec!["fill:#eee".into(), "stroke:#111".into()]),
            ("hot", vec!["fill:red".into(), "stroke-width:3".into()]),
            ("hot", vec!["stroke-dasharray:2 1".into()]),
            ("cold", vec!["fill:blue".into()]),
        ];
        let class_def = |name| defs.iter().filter(move |(n, _)| *n == name).map(|(_, d)| d);
        let own = vec!["color:#fff".to_string()];
        let style = Style::cascade(class_def, ["cold", "hot"], &own);
        // The later class wins, every classDef of one name counts, own declarations come last.
        assert_eq!(style.fill.as_deref(), Some("red"));
        assert_eq!(style.stroke.as_deref(), Some("#111"));
        assert_eq!(style.color.as_deref(), Some("#fff"));
        let stroke = style.stroke_in("#222");
        assert_eq!(
            (
                stroke.colour.as_str(),
                stroke.width.as_deref(),
                stroke.dash.as_deref()
            ),
            ("#222", Some("3"), Some("2 1"))
        );
        assert_eq!(
            Style::default().stroke_in("#222").width.as_deref(),
            Some("1")
        );
    }

    #[test]
    fn styles_keep_only_safe_values() {
        let mut style = Style::default();
        style.apply(&[
            "fill:#f9f",
            "stroke:url(#x)",
            "stroke-width:4px",
            "stroke-dasharray: 5",
            "5",
            "stroke:rgb(1",
            "2",
            "3)",
            "color:red\" onload=\"x",
        ]);
        assert_eq!(style.fill.as_deref(), Some("#f9f"));
        assert_eq!(style.stroke.as_deref(), Some("rgb(1,2,3)"));
        assert_eq!(style.stroke_width.as_deref(), Some("4"));
        assert_eq!(style.stroke_dasharray.as_deref(), Some("5 5"));
        assert_eq!(style.color, None);
    }
}
