//! The one painter: a [`Scene`] to SVG. Every element of a scene is written here, through
//! `svg.rs` (which escapes every value), with the hooks users and tests find things by:
//! `data-id` on each node's group, `data-from`/`data-to` on each edge's, `data-cluster` on each
//! cluster's.

use super::data_common::smooth_path;
use super::draw::{self, End, Markers};
use super::generic::path_data;
use super::layout::Point;
use super::scene::{Curve, Edge, LinkTarget, Mark, Scene, Stroke};
use super::svg::{escape, num, Svg, TextStyle};

/// The SVG document of `scene`; every id it defines starts with `id_prefix`.
pub fn paint(scene: &Scene, id_prefix: &str) -> String {
    let mut svg = Svg::with_id_prefix(id_prefix);
    let mut markers = Markers::new(id_prefix, &scene.background);
    for marker in &scene.marker_set {
        markers.url(marker.head, End::End, &marker.colour);
    }
    if let Some(text) = scene.description.as_deref() {
        draw::description(&mut svg, Some(text));
    }
    let (width, height) = scene.outer_size();
    svg.background(width, height, &scene.background);
    marks(&mut svg, &scene.fixed);
    if let Some(heading) = &scene.heading {
        svg.text_block(
            Point {
                x: width / 2.0,
                y: heading.band() / 2.0 + 2.0,
            },
            std::slice::from_ref(&heading.text),
            &TextStyle {
                size: heading.size,
                bold: true,
                fill: &heading.colour,
                anchor: "middle",
            },
        );
    }
    let shift = scene.shift();
    let shifted = shift != Point::default();
    if shifted {
        svg.open(
            "g",
            &[(
                "transform",
                format!("translate({},{})", num(shift.x), num(shift.y)),
            )],
        );
    }
    for cluster in &scene.clusters {
        svg.open("g", &[("data-cluster", cluster.id.clone())]);
        marks(&mut svg, &cluster.marks);
        svg.close("g");
    }
    marks(&mut svg, &scene.underlay);
    for edge in &scene.edges {
        paint_edge(&mut svg, &mut markers, edge);
    }
    marks(&mut svg, &scene.overlay);
    for node in &scene.nodes {
        if let Some(link) = &node.link {
            let target = node
                .link_target
                .or(scene.links_open_in_page.then_some(LinkTarget::Top));
            draw::open_link(&mut svg, link, target.map(LinkTarget::as_str));
        }
        svg.open("g", &[("data-id", node.id.clone())]);
        marks(&mut svg, &node.marks);
        svg.close("g");
        if node.link.is_some() {
            svg.close("a");
        }
    }
    marks(&mut svg, &scene.marks);
    if shifted {
        svg.close("g");
    }
    svg.def(&markers.defs());
    svg.finish(width, height, scene.title.as_deref())
}

/// A stroke's attributes; none for no stroke (SVG's default, and no group of ours sets one
/// for its children to inherit).
fn stroke_attrs(stroke: Option<&Stroke>) -> Vec<(&'static str, String)> {
    let Some(stroke) = stroke else {
        return Vec::new();
    };
    let mut attrs = vec![("stroke", stroke.colour.clone())];
    if let Some(width) = &stroke.width {
        attrs.push(("stroke-width", width.clone()));
    }
    if let Some(dash) = &stroke.dash {
        attrs.push(("stroke-dasharray", dash.clone()));
    }
    attrs
}

fn paint_edge(svg: &mut Svg, markers: &mut Markers, edge: &Edge) {
    svg.open(
        "g",
        &[
            ("data-from", edge.from.clone()),
            ("data-to", edge.to.clone()),
        ],
    );
    if edge.points.len() >= 2 {
        let d = match edge.curve {
            Curve::Straight => path_data(&edge.points),
            Curve::Rounded => draw::curve(&edge.points),
            Curve::Smooth => smooth_path(&edge.points),
            Curve::Cubic => cubic_path(&edge.points),
        };
        let mut attrs = vec![("d", d), ("fill", "none".to_string())];
        attrs.extend(stroke_attrs(Some(&edge.stroke)));
        for (marker, end, name) in [
            (&edge.start, End::Start, "marker-start"),
            (&edge.end, End::End, "marker-end"),
        ] {
            if let Some(m) = marker {
                attrs.push((name, markers.url(m.head, end, &m.colour)));
            }
        }
        svg.element("path", &attrs);
    }
    marks(svg, &edge.label);
    svg.close("g");
}

/// Path data of cubic Béziers: the first point, then each two control points and an end.
fn cubic_path(points: &[Point]) -> String {
    let mut d = format!("M{},{}", num(points[0].x), num(points[0].y));
    for curve in points[1..].chunks(3) {
        let coordinates: Vec<String> = curve
            .iter()
            .map(|p| format!("{},{}", num(p.x), num(p.y)))
            .collect();
        d.push_str(&format!(" C{}", coordinates.join(" ")));
    }
    d
}

pub(super) fn marks(svg: &mut Svg, marks: &[Mark]) {
    for mark in marks {
        match mark {
            Mark::Box {
                rect,
                rx,
                fill,
                stroke,
            } => {
                let mut attrs = vec![
                    ("x", num(rect.x)),
                    ("y", num(rect.y)),
                    ("width", num(rect.width)),
                    ("height", num(rect.height)),
                ];
                // A corner radius of 0 is SVG's default.
                if num(*rx) != "0" {
                    attrs.push(("rx", num(*rx)));
                }
                attrs.push(("fill", fill.clone()));
                attrs.extend(stroke_attrs(stroke.as_ref()));
                svg.element("rect", &attrs);
            }
            Mark::Outline { d, fill, stroke } => {
                let mut attrs = vec![("d", d.clone()), ("fill", fill.clone())];
                attrs.extend(stroke_attrs(stroke.as_ref()));
                svg.element("path", &attrs);
            }
            Mark::Text {
                at,
                lines,
                size,
                bold,
                fill,
                anchor,
                emphasis,
            } => {
                let mut extra = String::new();
                if emphasis.italic {
                    extra.push_str(" font-style=\"italic\"");
                }
                if emphasis.underline {
                    extra.push_str(" text-decoration=\"underline\"");
                }
                svg.text_block_with(
                    *at,
                    lines,
                    &TextStyle {
                        size: *size,
                        bold: *bold,
                        fill,
                        anchor: anchor.as_svg(),
                    },
                    &extra,
                )
            }
            Mark::Label {
                at,
                label,
                fill,
                anchor,
            } => draw::draw_label(svg, *at, label, fill, anchor.as_svg()),
            Mark::Backdrop {
                rect,
                fill,
                opacity,
            } => svg.element(
                "rect",
                &[
                    ("x", num(rect.x)),
                    ("y", num(rect.y)),
                    ("width", num(rect.width)),
                    ("height", num(rect.height)),
                    ("fill", fill.clone()),
                    ("fill-opacity", num(*opacity)),
                ],
            ),
            Mark::Tooltip(text) => svg.raw(&format!("<title>{}</title>\n", escape(text))),
            Mark::Circle {
                centre,
                r,
                fill,
                stroke,
            } => {
                let mut attrs = vec![
                    ("cx", num(centre.x)),
                    ("cy", num(centre.y)),
                    ("r", num(*r)),
                    ("fill", fill.clone()),
                ];
                attrs.extend(stroke_attrs(stroke.as_ref()));
                svg.element("circle", &attrs);
            }
            Mark::Line { from, to, stroke } => {
                let mut attrs = vec![
                    ("x1", num(from.x)),
                    ("y1", num(from.y)),
                    ("x2", num(to.x)),
                    ("y2", num(to.y)),
                ];
                attrs.extend(stroke_attrs(Some(stroke)));
                svg.element("line", &attrs);
            }
        }
    }
}
