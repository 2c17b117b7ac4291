//! Helpers shared by the class, ER, C4 and plan-graph renderers: labels through `label`,
//! arrow-head markers, style lists and edge paths.

use super::label::{self, Rules, Surface};
use super::layout::{EdgeRoute, LayoutOutput, Point, Rect};
use super::scene::{Anchor, Mark, Scene};
use super::short_path::PathSink;
use super::text;
use super::theme::Theme;

/// A class or ER label as plain lines (mermaid draws both as HTML labels); a label wrapped in
/// backticks is a markdown string, its emphasis markers dropped.
pub fn label_lines(label: &str) -> Vec<String> {
    lines_on(Surface::Html, label)
}

/// The label on one line (for the checks and titles).
pub fn label_text(label: &str) -> String {
    text_on(Surface::Html, label)
}

/// A label as plain lines, read as `surface` reads it.
pub fn lines_on(surface: Surface, label: &str) -> Vec<String> {
    let text = label.trim();
    let markdown = text.len() >= 2 && text.starts_with('`') && text.ends_with('`');
    let text = if markdown {
        &text[1..text.len() - 1]
    } else {
        text
    };
    let rules = Rules { surface, markdown };
    label::plain_lines(text, rules)
}

/// A label on one line, read as `surface` reads it.
pub fn text_on(surface: Surface, label: &str) -> String {
    lines_on(surface, label).join(" ").trim().to_string()
}

/// A smooth SVG path through every point (a Catmull-Rom spline as cubic Béziers), so that
/// the line passes through its label, which the layout places on a route point.
pub(super) fn smooth_path(points: &[Point], path: &mut dyn PathSink) {
    let Some(first) = points.first() else {
        return;
    };
    path.command(b'M', &[*first]);
    let n = points.len();
    for i in 0..n.saturating_sub(1) {
        let previous = points[i.saturating_sub(1)];
        let (from, to) = (points[i], points[i + 1]);
        let next = points[(i + 2).min(n - 1)];
        // Tangents are shortened to a third of the segment, so that a short segment next to
        // a long one does not overshoot into a loop.
        let segment = ((to.x - from.x).powi(2) + (to.y - from.y).powi(2)).sqrt();
        let tangent = |dx: f64, dy: f64| {
            let length = (dx * dx + dy * dy).sqrt();
            let scale = if length > segment / 3.0 && length > 0.0 {
                segment / 3.0 / length
            } else {
                1.0
            };
            (dx * scale, dy * scale)
        };
        let (t1x, t1y) = tangent((to.x - previous.x) / 6.0, (to.y - previous.y) / 6.0);
        let (t2x, t2y) = tangent((next.x - from.x) / 6.0, (next.y - from.y) / 6.0);
        let c1 = Point {
            x: from.x + t1x,
            y: from.y + t1y,
        };
        let c2 = Point {
            x: to.x - t2x,
            y: to.y - t2y,
        };
        path.command(b'C', &[c1, c2, to]);
    }
}

/// Where an edge's label goes: the layout's label position, or the nearest route point when
/// the two disagree, so that a label always sits on its own line.
pub fn label_point(route: &EdgeRoute) -> Option<Point> {
    let at = route.label?;
    let distance = |p: &Point| ((p.x - at.x).powi(2) + (p.y - at.y).powi(2)).sqrt();
    let nearest = route
        .points
        .iter()
        .min_by(|a, b| distance(a).total_cmp(&distance(b)))?;
    Some(if distance(nearest) > 4.0 {
        *nearest
    } else {
        at
    })
}

/// Space kept free around labels that reach beyond the layout's own extent.
const LABEL_MARGIN: f64 = 8.0;

/// The scene of a data diagram (class, ER, C4) laid out as `layout`, before its nodes and
/// edges: its size grown and its origin moved so that the edge labels at `labels` (which the
/// layout only knows by their centre) stay inside, the title as its heading, the theme's
/// background.
pub fn data_scene(
    ctx: &super::RenderContext<'_>,
    title: Option<&str>,
    layout: &LayoutOutput,
    labels: &[Rect],
) -> Scene {
    let (mut x0, mut y0, mut x1, mut y1) = (0.0_f64, 0.0_f64, layout.width, layout.height);
    for r in labels.iter().filter(|r| r.x.is_finite() && r.y.is_finite()) {
        x0 = x0.min(r.x - LABEL_MARGIN);
        y0 = y0.min(r.y - LABEL_MARGIN);
        x1 = x1.max(r.x + r.width + LABEL_MARGIN);
        y1 = y1.max(r.y + r.height + LABEL_MARGIN);
    }
    let heading = title.and_then(|title| heading(title, &ctx.theme));
    Scene {
        // A wider title widens the drawing, which stays on the left (not centred under it).
        width: (x1 - x0).max(heading.as_ref().map_or(0.0, super::scene::Heading::width)),
        height: y1 - y0,
        origin: Point { x: -x0, y: -y0 },
        heading,
        background: ctx.theme.background.clone(),
        ..Scene::default()
    }
}

/// An edge's label as lines of text on a box of `fill`, `pad_x` wider than the text on
/// each side, centred on `at`.
pub fn edge_label_marks(
    at: Point,
    lines: &[String],
    size: f64,
    pad_x: f64,
    rx: f64,
    fill: &str,
    colour: &str,
) -> Vec<Mark> {
    let (w, h) = text::block_size(lines, size, false);
    vec![
        Mark::Box {
            rect: Rect {
                x: at.x - w / 2.0 - pad_x,
                y: at.y - h / 2.0,
                width: w + 2.0 * pad_x,
                height: h,
            },
            rx,
            fill: fill.to_string(),
            stroke: None,
        },
        Mark::text(at, lines.to_vec(), size, colour, Anchor::Middle),
    ]
}

/// The rectangle of a block of text centred on `at`.
pub fn text_rect(at: Point, lines: &[String], size: f64) -> Rect {
    let (w, h) = text::block_size(lines, size, false);
    Rect {
        x: at.x - w / 2.0,
        y: at.y - h / 2.0,
        width: w,
        height: h,
    }
}

/// The title a diagram's front matter gives.
pub fn front_matter_title<'a>(ctx: &'a super::RenderContext<'_>) -> Option<&'a str> {
    ctx.prepared
        .front_matter
        .as_ref()
        .and_then(|f| f.title.as_deref())
}

/// The front matter's title as a scene's heading, in the theme's text colour.
pub fn front_matter_heading(ctx: &super::RenderContext<'_>) -> Option<super::scene::Heading> {
    front_matter_title(ctx).and_then(|title| heading(title, &ctx.theme))
}

/// A title as a scene's heading (none when it is blank), in the theme's text colour.
fn heading(title: &str, theme: &Theme) -> Option<super::scene::Heading> {
    Some(label_text(title))
        .filter(|t| !t.is_empty())
        .map(|text| super::scene::Heading {
            text,
            size: theme.font_size * 1.1,
            colour: theme.text_color.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_mermaid_conventions() {
        assert_eq!(label_lines("a<br>b<br/>c<BR />d"), ["a", "b", "c", "d"]);
        assert_eq!(label_lines("<b>bold</b> & x"), ["bold & x"]);
        assert_eq!(label_lines("say #quot;hi#quot; #9829;"), ["say \"hi\" ♥"]);
        assert_eq!(label_lines("`**big** *it*`"), ["big it"]);
        assert_eq!(label_lines("a < b > c"), ["a < b > c"]);
        assert_eq!(label_lines("#notanentity"), ["#notanentity"]);
        // C4 sets SVG text: only `<br>` breaks, other tags and `&amp;` show as written.
        assert_eq!(lines_on(Surface::SvgText, "`**big**`"), ["big"]);
        assert_eq!(
            lines_on(Surface::SvgText, "a<br/><b>x</b> &amp; #quot;"),
            ["a", "<b>x</b> &amp; \""]
        );
    }
}
