//! C4 diagrams: people, systems, containers and components (with their database, queue and
//! external variants) in C4's colours, boundaries and deployment nodes as nested dashed
//! clusters, relations with their label and technology. Laid out into a [`Scene`], painted
//! by `paint.rs`.

use super::class::{line_mark, Line};
use super::data_common::{data_scene, front_matter_title, label_point, text_rect};
use super::draw::{self, Head};
use super::label::Surface;
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode,
    LayoutOutput, Point, Rect,
};
use super::scene::{Anchor, Cluster, Curve, Edge, Mark, Marker, Node, Scene, Stroke};
use super::svg::num;
use super::text::{self, LINE_HEIGHT};
use super::theme::{is_colour, Theme};
use super::{RenderContext, Rendered};
use crate::mermaid::c4::{C4Diagram, C4Kind, Element, Relation};
use crate::mermaid::link::SafeUrl;
use std::collections::HashMap;

/// C4 labels as lines: mermaid's C4 renderer sets them as SVG text, split at `<br>`.
fn label_lines(text: &str) -> Vec<String> {
    super::data_common::lines_on(Surface::SvgText, text)
}

/// A C4 label on one line.
fn label_text(text: &str) -> String {
    super::data_common::text_on(Surface::SvgText, text)
}

const ELEMENT_WIDTH: f64 = 216.0;
const MAX_ELEMENT_WIDTH: f64 = 320.0;
const PADDING_X: f64 = 12.0;
const PADDING_Y: f64 = 10.0;
/// Extra height of a person for the head above the body.
const HEAD: f64 = 36.0;
/// Depth of a cylinder's end ellipse.
const CAP: f64 = 10.0;
const BOUNDARY_STROKE: &str = "#444444";
const REL_COLOUR: &str = "#444444";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Person,
    Box,
    Database,
    Queue,
}

/// How an element is drawn, from mermaid's shape name.
struct Look {
    form: Form,
    fill: String,
    stroke: String,
    text: String,
    type_name: &'static str,
}

fn look(element: &Element) -> Look {
    let shape = element.shape.as_str();
    let external = shape.starts_with("external_");
    let base = shape.trim_start_matches("external_");
    let form = if base == "person" {
        Form::Person
    } else if base.ends_with("_db") {
        Form::Database
    } else if base.ends_with("_queue") {
        Form::Queue
    } else {
        Form::Box
    };
    let kind = base.split('_').next().unwrap_or(base);
    let (fill, stroke, text, type_name) = match (kind, external) {
        ("person", false) => ("#08427b", "#073b6f", "#ffffff", "Person"),
        ("person", true) => ("#686868", "#8a8a8a", "#ffffff", "Person"),
        ("container", false) => ("#438dd5", "#3c7fc0", "#ffffff", "Container"),
        ("container", true) => ("#b3b3b3", "#a6a6a6", "#ffffff", "Container"),
        ("component", false) => ("#85bbf0", "#78a8d8", "#000000", "Component"),
        ("component", true) => ("#cccccc", "#bfbfbf", "#000000", "Component"),
        (_, true) => ("#999999", "#8a8a8a", "#ffffff", "Software System"),
        _ => ("#1168bd", "#3c7fc0", "#ffffff", "Software System"),
    };
    let mut look = Look {
        form,
        fill: fill.into(),
        stroke: stroke.into(),
        text: text.into(),
        type_name,
    };
    // UpdateElementStyle settings, kept only when they are plain colours.
    for (key, value) in &element.properties {
        let value = value.trim();
        if !is_colour(value) {
            continue;
        }
        match key.trim_start_matches('$') {
            "bgColor" => look.fill = value.to_string(),
            "borderColor" => look.stroke = value.to_string(),
            "fontColor" => look.text = value.to_string(),
            _ => {}
        }
    }
    look
}

/// An element's text, measured: name lines (bold), the type line, description lines.
struct ElementText {
    name: Vec<String>,
    kind: String,
    description: Vec<String>,
    width: f64,
    height: f64,
}

fn element_text(element: &Element, look: &Look, size: f64) -> ElementText {
    let small = size * 0.8;
    let inner = MAX_ELEMENT_WIDTH - 2.0 * PADDING_X;
    let wrap_all = |text: &str, size: f64, bold: bool| -> Vec<String> {
        label_lines(text)
            .iter()
            .flat_map(|l| text::wrap(l, size, bold, inner))
            .collect()
    };
    let name = wrap_all(&element.label, size, true);
    let kind = match element.techn.as_deref().map(label_text) {
        Some(techn) if !techn.is_empty() => format!("[{}: {techn}]", look.type_name),
        _ => format!("[{}]", look.type_name),
    };
    let description: Vec<String> = element
        .descr
        .as_deref()
        .map(|d| {
            label_lines(d)
                .iter()
                .flat_map(|l| text::wrap(l, small, false, ELEMENT_WIDTH - 2.0 * PADDING_X))
                .collect()
        })
        .unwrap_or_default();
    let (name_w, name_h) = text::block_size(&name, size, true);
    let kind_w = text::width(&kind, small, false);
    let (descr_w, descr_h) = if description.is_empty() {
        (0.0, 0.0)
    } else {
        text::block_size(&description, small, false)
    };
    let width = (name_w.max(kind_w).max(descr_w) + 2.0 * PADDING_X).max(ELEMENT_WIDTH);
    let height = name_h + small * LINE_HEIGHT + descr_h + 2.0 * PADDING_Y + 6.0;
    ElementText {
        name,
        kind,
        description,
        width,
        height,
    }
}

/// The layout size of an element: its text plus room for the shape's head or caps.
fn outer_size(form: Form, t: &ElementText) -> (f64, f64) {
    match form {
        Form::Person => (t.width, t.height + HEAD),
        Form::Database => (t.width, t.height + 2.0 * CAP),
        Form::Queue => (t.width + 2.0 * CAP, t.height),
        Form::Box => (t.width, t.height),
    }
}

pub fn render(d: &C4Diagram, ctx: &RenderContext<'_>) -> Rendered {
    Rendered::painted(layout(d, ctx), &ctx.id_prefix, ctx.hooks)
}

/// The drawing of a C4 diagram: boundaries as clusters, elements as nodes, relations as edges
/// with their label and technology.
pub fn layout(d: &C4Diagram, ctx: &RenderContext<'_>) -> Scene {
    let theme = &ctx.theme;
    let size = theme.font_size * 0.875;
    let small = size * 0.8;
    let looks: Vec<Look> = d.elements.iter().map(look).collect();
    let texts: Vec<ElementText> = d
        .elements
        .iter()
        .zip(&looks)
        .map(|(e, l)| element_text(e, l, size))
        .collect();
    let index = Aliases::of(d);
    let nodes: Vec<LayoutNode> = texts
        .iter()
        .zip(&looks)
        .zip(&d.elements)
        .map(|((t, l), e)| {
            let (width, height) = outer_size(l.form, t);
            LayoutNode {
                width,
                height,
                cluster: e
                    .parent
                    .as_deref()
                    .and_then(|p| index.boundaries.get(p).copied()),
            }
        })
        .collect();
    let clusters = boundary_layout_clusters(d, &index, size, small);
    let mut relations = relation_labels(d, small);
    let mut edges = relation_layout_edges(d, &index, &mut relations, small);
    edges.extend(row_edges(d));
    let out = DagreLayout.layout(&LayoutInput {
        direction: Direction::TopBottom,
        nodes,
        clusters,
        edges,
        node_spacing: 50.0,
        rank_spacing: 70.0,
    });

    let title = d.title.as_deref().or(front_matter_title(ctx));
    let label_rects = relation_label_rects(d, &relations, &out, small);
    let mut scene = data_scene(ctx, title, &out, &label_rects);
    scene.title = d.acc_title.clone();
    let arrow = Marker {
        head: Head::C4Arrow,
        colour: REL_COLOUR.to_string(),
    };
    scene
        .clusters
        .extend(boundary_clusters(d, &out.clusters, size, small, theme));
    scene.edges.extend(relation_edges(
        d, &relations, &index, &out, &arrow, small, ctx,
    ));
    for (((element, l), t), rect) in d.elements.iter().zip(&looks).zip(&texts).zip(&out.nodes) {
        scene.nodes.push(Node {
            id: element.alias.clone(),
            label: label_text(&element.label),
            rect: *rect,
            marks: element_marks(l, t, *rect, size),
            link: element.link.as_deref().and_then(SafeUrl::check),
            link_target: None,
        });
    }
    scene
}

/// Elements and boundaries by alias: their index in the diagram (and so in the layout).
struct Aliases<'a> {
    elements: HashMap<&'a str, usize>,
    boundaries: HashMap<&'a str, usize>,
}

impl<'a> Aliases<'a> {
    fn of(d: &'a C4Diagram) -> Self {
        Aliases {
            elements: d
                .elements
                .iter()
                .enumerate()
                .map(|(i, e)| (e.alias.as_str(), i))
                .collect(),
            boundaries: d
                .boundaries
                .iter()
                .enumerate()
                .map(|(i, b)| (b.alias.as_str(), i))
                .collect(),
        }
    }

    /// Where an element or a drawn boundary is, for relations drawn straight.
    fn rect_of(&self, alias: &str, out: &LayoutOutput) -> Option<Rect> {
        if let Some(&i) = self.elements.get(alias) {
            return out.nodes.get(i).copied();
        }
        self.boundaries
            .get(alias)
            .and_then(|&i| out.clusters.get(i).copied())
            .filter(|r| r.width > 0.0)
    }
}

/// The line under a boundary's title: its kind in brackets.
fn boundary_kind(d: &C4Diagram, i: usize) -> String {
    format!("[{}]", label_text(&d.boundaries[i].kind))
}

/// Boundaries as layout clusters, nested as in the diagram, with room for title and kind.
fn boundary_layout_clusters(
    d: &C4Diagram,
    index: &Aliases<'_>,
    size: f64,
    small: f64,
) -> Vec<LayoutCluster> {
    d.boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| LayoutCluster {
            parent: b
                .parent
                .as_deref()
                .and_then(|p| index.boundaries.get(p).copied()),
            label_width: text::width(&label_text(&b.label), size, true).max(text::width(
                &boundary_kind(d, i),
                small,
                false,
            )),
            label_height: size * LINE_HEIGHT + small * LINE_HEIGHT,
        })
        .collect()
}

/// Per relation: its label's lines (the technology's last), how many of them are
/// technology, and the layout edge it is routed on (none when it touches a boundary).
struct RelationLabels {
    lines: Vec<Vec<String>>,
    techn_lines: Vec<usize>,
    routed: Vec<Option<usize>>,
}

fn relation_labels(d: &C4Diagram, small: f64) -> RelationLabels {
    let wrapped = |text: &str| -> Vec<String> {
        label_lines(text)
            .iter()
            .flat_map(|l| text::wrap(l, small, false, 200.0))
            .filter(|l| !l.is_empty())
            .collect()
    };
    let (lines, techn_lines): (Vec<Vec<String>>, Vec<usize>) = d
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // A dynamic diagram numbers its relations in the order written, as mermaid does.
            let mut lines = if d.kind == C4Kind::Dynamic {
                wrapped(&format!("{}: {}", i + 1, r.label))
            } else {
                wrapped(&r.label)
            };
            let mut techn = r.techn.as_deref().map(wrapped).unwrap_or_default();
            if let (Some(first), Some(last)) = (techn.first().cloned(), techn.last().cloned()) {
                let count = techn.len();
                techn[0] = format!("[{first}");
                techn[count - 1] = format!("{}]", if count == 1 { &techn[0] } else { &last });
            }
            let count = techn.len();
            lines.extend(techn);
            (lines, count)
        })
        .unzip();
    RelationLabels {
        lines,
        techn_lines,
        routed: Vec::new(),
    }
}

/// Relations between elements are laid out; those touching a boundary are drawn straight.
/// Records in `relations.routed` which layout edge each relation became.
fn relation_layout_edges(
    d: &C4Diagram,
    index: &Aliases<'_>,
    relations: &mut RelationLabels,
    small: f64,
) -> Vec<LayoutEdge> {
    let mut edges = Vec::new();
    for (r, lines) in d.relations.iter().zip(&relations.lines) {
        let ends = (
            index.elements.get(r.from.as_str()),
            index.elements.get(r.to.as_str()),
        );
        let (Some(&from), Some(&to)) = ends else {
            relations.routed.push(None);
            continue;
        };
        let (w, h) = if lines.is_empty() {
            (0.0, 0.0)
        } else {
            let (w, h) = text::block_size(lines, small, false);
            (w + 6.0, h + 2.0)
        };
        // Rel_Up and Rel_Back put the target above the source.
        let reversed = matches!(r.kind.as_str(), "rel_u" | "rel_b");
        relations.routed.push(Some(edges.len()));
        edges.push(LayoutEdge {
            from: if reversed { to } else { from },
            to: if reversed { from } else { to },
            label_width: w,
            label_height: h,
            min_length: 1,
        });
    }
    edges
}

/// Where the labels of routed relations land (moved by their offsets), so that the drawing
/// grows to hold them.
fn relation_label_rects(
    d: &C4Diagram,
    relations: &RelationLabels,
    out: &LayoutOutput,
    small: f64,
) -> Vec<Rect> {
    relations
        .routed
        .iter()
        .zip(&relations.lines)
        .zip(&d.relations)
        .filter_map(|((edge, lines), r)| {
            let at = label_point(out.edges.get((*edge)?)?)?;
            let rect = text_rect(at, lines, small);
            let (dx, dy) = label_offset(r, rect.width, rect.height);
            Some(Rect {
                x: rect.x + dx,
                y: rect.y + dy,
                ..rect
            })
        })
        .collect()
}

/// Boundaries as dashed boxes with a bold title and their kind under it, in the colours
/// their properties ask for.
fn boundary_clusters(
    d: &C4Diagram,
    rects: &[Rect],
    size: f64,
    small: f64,
    theme: &Theme,
) -> Vec<Cluster> {
    let mut clusters = Vec::new();
    for (i, (b, rect)) in d.boundaries.iter().zip(rects).enumerate() {
        if rect.width <= 0.0 {
            continue;
        }
        let mut stroke = BOUNDARY_STROKE.to_string();
        let mut font = theme.text_color.clone();
        let mut fill = "none".to_string();
        for (key, value) in &b.properties {
            let value = value.trim();
            match key.trim_start_matches('$') {
                "borderColor" if is_colour(value) => stroke = value.to_string(),
                "fontColor" if is_colour(value) => font = value.to_string(),
                "bgColor" if is_colour(value) => fill = value.to_string(),
                _ => {}
            }
        }
        let centre = rect.x + rect.width / 2.0;
        let title_at = Point {
            x: centre,
            y: rect.y + 6.0 + size * LINE_HEIGHT / 2.0,
        };
        let kind_at = Point {
            x: centre,
            y: rect.y + 6.0 + size * LINE_HEIGHT + small * LINE_HEIGHT / 2.0,
        };
        clusters.push(Cluster {
            id: b.alias.clone(),
            rect: *rect,
            marks: vec![
                Mark::Box {
                    rect: *rect,
                    rx: 2.5,
                    fill,
                    stroke: Some(Stroke::thin(&stroke).dashed("7 7")),
                },
                Mark::text(
                    title_at,
                    vec![label_text(&b.label)],
                    size,
                    &font,
                    Anchor::Middle,
                )
                .bold(),
                Mark::text(
                    kind_at,
                    vec![boundary_kind(d, i)],
                    small,
                    &font,
                    Anchor::Middle,
                ),
            ],
        });
    }
    clusters
}

/// Relations as edges: routed by the layout, or straight between the borders of what they
/// join when that is a boundary; pointing the way their kind says, with their label.
fn relation_edges(
    d: &C4Diagram,
    relations: &RelationLabels,
    index: &Aliases<'_>,
    out: &LayoutOutput,
    arrow: &Marker,
    small: f64,
    ctx: &RenderContext<'_>,
) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (((r, lines), edge), &techn_count) in d
        .relations
        .iter()
        .zip(&relations.lines)
        .zip(&relations.routed)
        .zip(&relations.techn_lines)
    {
        let (line_colour, text_colour) = relation_colours(r);
        let (mut points, label_at) = match edge {
            Some(e) => {
                let route = &out.edges[*e];
                (route.points.clone(), label_point(route))
            }
            None => match (index.rect_of(&r.from, out), index.rect_of(&r.to, out)) {
                (Some(a), Some(b)) => straight_between(a, b),
                _ => continue,
            },
        };
        if points.len() < 2 {
            continue;
        }
        // Laid out from target to source, Rel_Up is turned back to point at its target;
        // Rel_Back points at its first argument, so it stays (and a straight one turns).
        let points_to_source = r.kind == "rel_b";
        let laid_reversed = edge.is_some() && matches!(r.kind.as_str(), "rel_u" | "rel_b");
        if laid_reversed != points_to_source {
            points.reverse();
        }
        let mut drawn = Edge {
            from: r.from.clone(),
            to: r.to.clone(),
            points,
            curve: Curve::Smooth,
            stroke: Stroke::solid(&line_colour, 1.0),
            start: (r.kind == "birel").then(|| arrow.clone()),
            end: Some(arrow.clone()),
            label: Vec::new(),
        };
        if let (Some(at), false) = (label_at, lines.is_empty()) {
            drawn.label = relation_label(r, lines, techn_count, at, small, &text_colour, ctx);
        }
        edges.push(drawn);
    }
    edges
}

/// A relation's line and text colours: its `$lineColor` and `$textColor` when they are
/// colours, else the default.
fn relation_colours(r: &Relation) -> (String, String) {
    let mut line_colour = REL_COLOUR.to_string();
    let mut text_colour = REL_COLOUR.to_string();
    for (key, value) in &r.properties {
        let value = value.trim();
        match key.trim_start_matches('$') {
            "lineColor" if is_colour(value) => line_colour = value.to_string(),
            "textColor" if is_colour(value) => text_colour = value.to_string(),
            _ => {}
        }
    }
    (line_colour, text_colour)
}

/// A straight line between the borders of two boxes, facing each other, and its middle (where
/// the label goes).
fn straight_between(a: Rect, b: Rect) -> (Vec<Point>, Option<Point>) {
    let (p, q) = (border_towards(a, b.centre()), border_towards(b, a.centre()));
    let mid = Point {
        x: (p.x + q.x) / 2.0,
        y: (p.y + q.y) / 2.0,
    };
    (vec![p, q], Some(mid))
}

/// A relation's label on a see-through backdrop, moved by its offsets; the technology lines,
/// last, in italics as C4 sets them.
fn relation_label(
    r: &Relation,
    lines: &[String],
    techn_count: usize,
    at: Point,
    small: f64,
    colour: &str,
    ctx: &RenderContext<'_>,
) -> Vec<Mark> {
    let (w, h) = text::block_size(lines, small, false);
    let (dx, dy) = label_offset(r, w, h);
    let at = Point {
        x: at.x + dx,
        y: at.y + dy,
    };
    let mut marks = vec![Mark::Backdrop {
        rect: Rect {
            x: at.x - w / 2.0 - 2.0,
            y: at.y - h / 2.0,
            width: w + 4.0,
            height: h,
        },
        fill: ctx.theme.background.clone(),
        opacity: 0.85,
    }];
    let first_techn = lines.len() - techn_count;
    let mut top = at.y - h / 2.0;
    for (i, text) in lines.iter().enumerate() {
        let line = Line {
            text: text.clone(),
            bold: false,
            italic: i >= first_techn,
            underline: false,
            size: small,
        };
        marks.push(line_mark(&line, at.x, top, Anchor::Middle, colour));
        top += small * LINE_HEIGHT;
    }
    marks
}

/// Above this many edges between two rows, rows are joined column by column.
const MAX_ROW_LINKS: usize = 64;

/// Mermaid places the elements of each boundary in rows of `shapes_in_row`, then its nested
/// boundaries below in rows of `boundaries_in_row`. Invisible edges from every item of each row
/// to every item of the next make the layered layout wrap the same way.
fn row_edges(d: &C4Diagram) -> Vec<LayoutEdge> {
    // Elements inside each boundary (directly or nested), in order.
    let mut inside: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in d.elements.iter().enumerate() {
        let mut parent = e.parent.as_deref();
        let mut depth = 0;
        while let Some(p) = parent.filter(|_| depth <= d.boundaries.len()) {
            inside.entry(p).or_default().push(i);
            parent = d
                .boundaries
                .iter()
                .find(|b| b.alias == p)
                .and_then(|b| b.parent.as_deref());
            depth += 1;
        }
    }
    // Each item as (top node, bottom node).
    let mut parents: Vec<Option<&str>> = vec![None];
    parents.extend(d.boundaries.iter().map(|b| Some(b.alias.as_str())));
    let mut edges = Vec::new();
    for parent in parents {
        let mut rows: Vec<Vec<(usize, usize)>> = Vec::new();
        let elements: Vec<(usize, usize)> = d
            .elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.parent.as_deref() == parent)
            .map(|(i, _)| (i, i))
            .collect();
        rows.extend(
            elements
                .chunks(d.shapes_in_row.max(1) as usize)
                .map(<[_]>::to_vec),
        );
        let boundaries: Vec<(usize, usize)> = d
            .boundaries
            .iter()
            .filter(|b| b.parent.as_deref() == parent)
            .filter_map(|b| {
                let content = inside.get(b.alias.as_str())?;
                Some((*content.first()?, *content.last()?))
            })
            .collect();
        rows.extend(
            boundaries
                .chunks(d.boundaries_in_row.max(1) as usize)
                .map(<[_]>::to_vec),
        );
        let mut link = |bottom: usize, top: usize| {
            if top != bottom {
                edges.push(LayoutEdge {
                    from: bottom,
                    to: top,
                    min_length: 1,
                    ..LayoutEdge::default()
                });
            }
        };
        for pair in rows.windows(2) {
            if pair[0].len() * pair[1].len() <= MAX_ROW_LINKS {
                for &(_, bottom) in &pair[0] {
                    for &(top, _) in &pair[1] {
                        link(bottom, top);
                    }
                }
            } else {
                // Wide rows (`c4ShapeInRow` in the hundreds) would be joined by a quadratic
                // number of edges: each item hangs below the item of its column instead.
                for (column, &(top, _)) in pair[1].iter().enumerate() {
                    link(pair[0][column % pair[0].len()].1, top);
                }
            }
        }
    }
    edges
}

/// `UpdateRelStyle`'s `offsetX`/`offsetY`: how far the label moves, within reason.
///
/// The offsets are tuned for mermaid's placement of the label, not ours, so they are kept
/// small enough that the label (`width` x `height`) still touches the point on its edge.
fn label_offset(r: &Relation, width: f64, height: f64) -> (f64, f64) {
    let mut offset = (0.0, 0.0);
    for (key, value) in &r.properties {
        let Ok(v) = value.trim().parse::<f64>() else {
            continue;
        };
        let v = if v.is_finite() {
            v.clamp(-500.0, 500.0)
        } else {
            0.0
        };
        match key.trim_start_matches('$') {
            "offsetX" => offset.0 = v,
            "offsetY" => offset.1 = v,
            _ => {}
        }
    }
    let (reach_x, reach_y) = (width / 2.0, height / 2.0);
    (
        offset.0.clamp(-reach_x, reach_x),
        offset.1.clamp(-reach_y, reach_y),
    )
}

/// Where the line from the centre of `r` towards `target` leaves `r`.
fn border_towards(r: Rect, target: Point) -> Point {
    let c = r.centre();
    let (dx, dy) = (target.x - c.x, target.y - c.y);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return c;
    }
    let sx = if dx.abs() > 1e-9 {
        (r.width / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy.abs() > 1e-9 {
        (r.height / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy).min(1.0);
    Point {
        x: c.x + dx * s,
        y: c.y + dy * s,
    }
}

/// One closed or open outline of a shape, in the element's colours.
fn outline(d: String, fill: &str, stroke: &str) -> Mark {
    Mark::Outline {
        d,
        fill: fill.to_string(),
        stroke: Some(Stroke::thin(stroke)),
    }
}

/// An element's shape and its name, type and description.
fn element_marks(l: &Look, t: &ElementText, rect: Rect, size: f64) -> Vec<Mark> {
    let mut marks = Vec::new();
    // The part of the shape the text sits in.
    let body = match l.form {
        Form::Person => {
            let body = Rect {
                y: rect.y + HEAD,
                height: rect.height - HEAD,
                ..rect
            };
            let cx = rect.x + rect.width / 2.0;
            let r = HEAD * 0.75;
            let cy = rect.y + r;
            // Shoulders: a body with a rounded top, then the head resting on it.
            let (x0, x1, y0, y1) = (body.x, body.x + body.width, body.y, body.y + body.height);
            let round = 18.0_f64.min(body.height / 2.0);
            let shoulders = format!(
                "M{},{} L{},{} Q{},{} {},{} L{},{} Q{},{} {},{} L{},{} Q{},{} {},{} L{},{} Q{},{} {},{} Z",
                num(x0), num(y1 - round),
                num(x0), num(y0 + round),
                num(x0), num(y0), num(x0 + round), num(y0),
                num(x1 - round), num(y0),
                num(x1), num(y0), num(x1), num(y0 + round),
                num(x1), num(y1 - round),
                num(x1), num(y1), num(x1 - round), num(y1),
                num(x0 + round), num(y1),
                num(x0), num(y1), num(x0), num(y1 - round),
            );
            marks.push(outline(shoulders, &l.fill, &l.stroke));
            let head = format!(
                "M{},{} A{},{} 0 1,0 {},{} A{},{} 0 1,0 {},{} Z",
                num(cx - r),
                num(cy),
                num(r),
                num(r),
                num(cx + r),
                num(cy),
                num(r),
                num(r),
                num(cx - r),
                num(cy)
            );
            marks.push(outline(head, &l.fill, &l.stroke));
            body
        }
        Form::Database => {
            let [body, rim] = draw::standing_cylinder(rect, CAP);
            marks.push(outline(body, &l.fill, &l.stroke));
            marks.push(outline(rim, "none", &l.stroke));
            Rect {
                y: rect.y + CAP,
                height: rect.height - 2.0 * CAP,
                ..rect
            }
        }
        Form::Queue => {
            let [body, rim] = draw::lying_cylinder(rect, CAP);
            marks.push(outline(body, &l.fill, &l.stroke));
            marks.push(outline(rim, "none", &l.stroke));
            Rect {
                x: rect.x + CAP,
                width: rect.width - 2.0 * CAP,
                ..rect
            }
        }
        Form::Box => {
            marks.push(Mark::Box {
                rect,
                rx: 2.5,
                fill: l.fill.clone(),
                stroke: Some(Stroke::thin(&l.stroke)),
            });
            rect
        }
    };
    let small = size * 0.8;
    let cx = body.x + body.width / 2.0;
    let mut y = body.y + (body.height - t.height) / 2.0 + PADDING_Y;
    let name_h = t.name.len() as f64 * size * LINE_HEIGHT;
    let at = |y: f64| Point { x: cx, y };
    marks.push(
        Mark::text(
            at(y + name_h / 2.0),
            t.name.clone(),
            size,
            &l.text,
            Anchor::Middle,
        )
        .bold(),
    );
    y += name_h;
    let kind_at = at(y + small * LINE_HEIGHT / 2.0);
    marks.push(Mark::text(
        kind_at,
        vec![t.kind.clone()],
        small,
        &l.text,
        Anchor::Middle,
    ));
    y += small * LINE_HEIGHT + 6.0;
    if !t.description.is_empty() {
        let h = t.description.len() as f64 * small * LINE_HEIGHT;
        let lines = t.description.clone();
        marks.push(Mark::text(
            at(y + h / 2.0),
            lines,
            small,
            &l.text,
            Anchor::Middle,
        ));
    }
    marks
}
