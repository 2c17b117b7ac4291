//! The one painter: a [`Scene`] to SVG. Every element of a scene is written here, through
//! `svg.rs` (which escapes every value), with the hooks users and tests find things by when the
//! drawing asks for them ([`Hooks::Written`]): `data-id` on each node's group,
//! `data-from`/`data-to` on each edge's, `data-cluster` on each cluster's. Without hooks an
//! element's marks are written ungrouped, unless a tooltip needs the group it names.

use super::data_common::smooth_path;
use super::draw::{self, End, Markers};
use super::generic::path_data;
use super::layout::Point;
use super::scene::{Curve, Edge, LinkTarget, Mark, Scene, Stroke};
use super::short_path::PathSink;
use super::svg::{escape, is_zero, num, Svg, TextStyle};
use super::Hooks;

/// The SVG document of `scene`; every id it defines starts with `id_prefix`.
pub fn paint(scene: &Scene, id_prefix: &str, hooks: Hooks) -> String {
    let mut svg = Svg::with_id_prefix(id_prefix);
    // Only the markers an edge uses are defined (mermaid defines a family's whole set).
    let mut markers = Markers::new(id_prefix, &scene.background);
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
        let group = open_group(
            &mut svg,
            hooks,
            &[("data-cluster", &cluster.id)],
            &cluster.marks,
        );
        marks(&mut svg, &cluster.marks);
        close_group(&mut svg, group);
    }
    marks(&mut svg, &scene.underlay);
    for edge in &scene.edges {
        paint_edge(&mut svg, &mut markers, edge, hooks);
    }
    marks(&mut svg, &scene.overlay);
    for node in &scene.nodes {
        if let Some(link) = &node.link {
            let target = node
                .link_target
                .or(scene.links_open_in_page.then_some(LinkTarget::Top));
            draw::open_link(&mut svg, link, target.map(LinkTarget::as_str));
        }
        let group = open_group(&mut svg, hooks, &[("data-id", &node.id)], &node.marks);
        marks(&mut svg, &node.marks);
        close_group(&mut svg, group);
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
fn stroke_attrs(svg: &mut Svg, stroke: Option<&Stroke>) {
    let Some(stroke) = stroke else {
        return;
    };
    svg.attr("stroke", &stroke.colour);
    if let Some(width) = &stroke.width {
        svg.attr("stroke-width", width);
    }
    if let Some(dash) = &stroke.dash {
        svg.attr("stroke-dasharray", dash);
    }
}

/// Opens the group of one element of the scene when it needs one: for its hooks, or for a
/// tooltip among its `marks` (a `<title>` names its parent). Returns whether it did.
fn open_group(svg: &mut Svg, hooks: Hooks, hook_attrs: &[(&str, &str)], marks: &[Mark]) -> bool {
    let tooltip = marks.iter().any(|m| matches!(m, Mark::Tooltip(_)));
    if hooks == Hooks::Left && !tooltip {
        return false;
    }
    svg.start("g");
    if hooks == Hooks::Written {
        for (key, value) in hook_attrs {
            svg.attr(key, value);
        }
    }
    svg.end_start();
    true
}

fn close_group(svg: &mut Svg, opened: bool) {
    if opened {
        svg.close("g");
    }
}

fn paint_edge(svg: &mut Svg, markers: &mut Markers, edge: &Edge, hooks: Hooks) {
    let hook_attrs = [
        ("data-from", edge.from.as_str()),
        ("data-to", edge.to.as_str()),
    ];
    let group = open_group(svg, hooks, &hook_attrs, &edge.label);
    if edge.points.len() >= 2 {
        let points = &edge.points;
        svg.start("path");
        svg.path_attr(|path| match edge.curve {
            Curve::Straight => path_data(points, path),
            Curve::Rounded => draw::curve(points, path),
            Curve::Smooth => smooth_path(points, path),
            Curve::Cubic => cubic_path(points, path),
        });
        svg.attr("fill", "none");
        stroke_attrs(svg, Some(&edge.stroke));
        for (marker, end, name) in [
            (&edge.start, End::Start, "marker-start"),
            (&edge.end, End::End, "marker-end"),
        ] {
            if let Some(m) = marker {
                svg.attr(name, &markers.url(m.head, end, &m.colour));
            }
        }
        svg.end_empty();
    }
    marks(svg, &edge.label);
    close_group(svg, group);
}

/// Path data of cubic Béziers: the first point, then each two control points and an end.
fn cubic_path(points: &[Point], path: &mut dyn PathSink) {
    path.command(b'M', &points[..1]);
    for curve in points[1..].chunks(3) {
        path.command(b'C', curve);
    }
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
                svg.start_rect(*rect);
                // A corner radius of 0 is SVG's default.
                if !is_zero(*rx) {
                    svg.num_attr("rx", *rx);
                }
                svg.attr("fill", fill);
                stroke_attrs(svg, stroke.as_ref());
                svg.end_empty();
            }
            Mark::Outline { d, fill, stroke } => {
                svg.start("path");
                svg.attr("d", d);
                svg.attr("fill", fill);
                stroke_attrs(svg, stroke.as_ref());
                svg.end_empty();
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
                let mut extra = Vec::new();
                if emphasis.italic {
                    extra.push(("font-style", "italic"));
                }
                if emphasis.underline {
                    extra.push(("text-decoration", "underline"));
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
            } => {
                svg.start_rect(*rect);
                svg.attr("fill", fill);
                svg.num_attr("fill-opacity", *opacity);
                svg.end_empty();
            }
            Mark::Tooltip(text) => svg.raw(&format!("<title>{}</title>\n", escape(text))),
            Mark::Circle {
                centre,
                r,
                fill,
                stroke,
            } => {
                svg.start("circle");
                svg.num_attr("cx", centre.x);
                svg.num_attr("cy", centre.y);
                svg.num_attr("r", *r);
                svg.attr("fill", fill);
                stroke_attrs(svg, stroke.as_ref());
                svg.end_empty();
            }
            Mark::Line { from, to, stroke } => {
                svg.start("line");
                svg.num_attr("x1", from.x);
                svg.num_attr("y1", from.y);
                svg.num_attr("x2", to.x);
                svg.num_attr("y2", to.y);
                stroke_attrs(svg, Some(stroke));
                svg.end_empty();
            }
        }
    }
}
