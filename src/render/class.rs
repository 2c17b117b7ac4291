//! Class diagrams: UML boxes with a name, attribute and method compartment, namespaces as
//! clusters, notes, and relations with UML's ends (triangle, diamonds, arrow, lollipop) and
//! cardinalities.

use super::data_common::{
    draw_group, front_matter_title, label_lines, label_point, label_text, marker, outline,
    smooth_path, text_rect, Canvas, StyleColours,
};
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode,
    Point, Rect,
};
use super::svg::{escape, num, text_start, Paint, Svg, TextStyle};
use super::text::{self, LINE_HEIGHT};
use super::{LabelledBox, RenderContext, Rendered};
use crate::mermaid::class::{generic_types, Class, ClassDiagram, LineStyle, Member, RelationEnd};
use crate::mermaid::link::SafeUrl;
use std::collections::HashMap;
use std::fmt::Write as _;

const PADDING_X: f64 = 10.0;
const PADDING_Y: f64 = 6.0;
const MAX_NOTE_WIDTH: f64 = 220.0;

/// One line of a class box: its text and how it is set.
pub(super) struct Line {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub size: f64,
}

/// A class box's three compartments.
struct ClassBox {
    header: Vec<Line>,
    attributes: Vec<Line>,
    methods: Vec<Line>,
}

fn member_line(member: &Member, size: f64) -> Line {
    Line {
        text: member.display(),
        bold: false,
        italic: member.classifier == Some('*'),
        underline: member.classifier == Some('$'),
        size,
    }
}

fn class_box(class: &Class, size: f64) -> ClassBox {
    let mut header: Vec<Line> = class
        .annotations
        .iter()
        .map(|a| Line {
            text: format!("«{}»", label_text(a)),
            bold: false,
            italic: false,
            underline: false,
            size: size * 0.85,
        })
        .collect();
    let mut name = label_lines(&class.label);
    if let Some(generic) = class.generic.as_deref().filter(|g| !g.is_empty()) {
        if let Some(last) = name.last_mut() {
            let _ = write!(last, "<{}>", generic_types(generic));
        }
    }
    header.extend(name.into_iter().map(|text| Line {
        text,
        bold: true,
        italic: false,
        underline: false,
        size,
    }));
    ClassBox {
        header,
        attributes: class.members.iter().map(|m| member_line(m, size)).collect(),
        methods: class.methods.iter().map(|m| member_line(m, size)).collect(),
    }
}

fn lines_height(lines: &[Line]) -> f64 {
    lines.iter().map(|l| l.size * LINE_HEIGHT).sum()
}

fn lines_width(lines: &[Line]) -> f64 {
    lines
        .iter()
        .map(|l| text::width(&l.text, l.size, l.bold))
        .fold(0.0, f64::max)
}

/// Height of a compartment: its lines, or a sliver when it is empty.
fn compartment_height(lines: &[Line]) -> f64 {
    if lines.is_empty() {
        2.0 * PADDING_Y
    } else {
        lines_height(lines) + 2.0 * PADDING_Y
    }
}

impl ClassBox {
    fn size(&self) -> (f64, f64) {
        let w = lines_width(&self.header)
            .max(lines_width(&self.attributes))
            .max(lines_width(&self.methods))
            + 2.0 * PADDING_X;
        let h = compartment_height(&self.header)
            + compartment_height(&self.attributes)
            + compartment_height(&self.methods);
        (w.max(60.0), h)
    }
}

/// What a layout node stands for.
enum Item {
    Class(usize),
    Interface(usize),
    Note(usize),
}

pub fn render(d: &ClassDiagram, ctx: &RenderContext<'_>) -> Rendered {
    let theme = &ctx.theme;
    let size = theme.font_size * 0.875;
    let boxes: Vec<ClassBox> = d.classes.iter().map(|c| class_box(c, size)).collect();
    let note_lines: Vec<Vec<String>> = d
        .notes
        .iter()
        .map(|n| {
            label_lines(&n.text)
                .iter()
                .flat_map(|l| text::wrap(l, size, false, MAX_NOTE_WIDTH))
                .collect()
        })
        .collect();

    let namespace_index: HashMap<&str, usize> = d
        .namespaces
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut items = Vec::new();
    let mut nodes = Vec::new();
    let mut node_of: HashMap<&str, usize> = HashMap::new();
    for (i, class) in d.classes.iter().enumerate() {
        let (w, h) = boxes[i].size();
        node_of.insert(class.id.as_str(), nodes.len());
        items.push(Item::Class(i));
        nodes.push(LayoutNode {
            width: w,
            height: h,
            cluster: class
                .namespace
                .as_deref()
                .and_then(|n| namespace_index.get(n).copied()),
        });
    }
    for (i, interface) in d.interfaces.iter().enumerate() {
        node_of.insert(interface.id.as_str(), nodes.len());
        items.push(Item::Interface(i));
        let label = label_text(&interface.label);
        nodes.push(LayoutNode {
            width: text::width(&label, size, false) + 8.0,
            height: size * LINE_HEIGHT + 4.0,
            cluster: None,
        });
    }
    let mut edges = Vec::new();
    let mut note_edges = Vec::new();
    for (i, note) in d.notes.iter().enumerate() {
        let (w, h) = text::block_size(&note_lines[i], size, false);
        let node = nodes.len();
        items.push(Item::Note(i));
        nodes.push(LayoutNode {
            width: w + 2.0 * PADDING_X,
            height: h + 2.0 * PADDING_Y,
            cluster: None,
        });
        if let Some(&class) = note.class.as_deref().and_then(|c| node_of.get(c)) {
            note_edges.push(edges.len());
            edges.push(LayoutEdge {
                from: node,
                to: class,
                min_length: 1,
                ..LayoutEdge::default()
            });
        }
    }
    let small = size * 0.85;
    let mut relation_edges = Vec::new();
    for (i, r) in d.relations.iter().enumerate() {
        let (Some(&from), Some(&to)) = (node_of.get(r.from.as_str()), node_of.get(r.to.as_str()))
        else {
            continue;
        };
        let label = r.label.as_deref().map(label_lines).unwrap_or_default();
        let (w, h) = if label.iter().any(|l| !l.is_empty()) {
            let lines: Vec<String> = label.clone();
            let (w, h) = text::block_size(&lines, small, false);
            (w + 8.0, h)
        } else {
            (0.0, 0.0)
        };
        relation_edges.push((i, edges.len(), label));
        edges.push(LayoutEdge {
            from,
            to,
            label_width: w,
            label_height: h,
            min_length: 1,
        });
    }
    let clusters: Vec<LayoutCluster> = d
        .namespaces
        .iter()
        .map(|n| LayoutCluster {
            parent: n
                .parent
                .as_deref()
                .and_then(|p| namespace_index.get(p).copied()),
            label_width: text::width(&label_text(&n.label), size, true),
            label_height: size * LINE_HEIGHT,
        })
        .collect();
    let ends: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let out = DagreLayout.layout(&LayoutInput {
        direction: Direction::from_mermaid(&d.direction),
        nodes,
        clusters,
        edges,
        node_spacing: 50.0,
        rank_spacing: 60.0,
    });

    let mut svg = Svg::with_id_prefix(&ctx.id_prefix);
    let id = |name: &str| format!("{}class-{name}", ctx.id_prefix);
    let line = theme.line_color.as_str();
    let background = theme.background.as_str();
    svg.def(&marker(
        &id("extension"),
        "M1,2 L19,10 L1,18 z",
        19.0,
        background,
        line,
    ));
    svg.def(&marker(
        &id("composition"),
        "M1,10 L10,4.5 L19,10 L10,15.5 z",
        19.0,
        line,
        line,
    ));
    svg.def(&marker(
        &id("aggregation"),
        "M1,10 L10,4.5 L19,10 L10,15.5 z",
        19.0,
        background,
        line,
    ));
    svg.def(&marker(
        &id("dependency"),
        "M3,3 L19,10 L3,17",
        19.0,
        "none",
        line,
    ));
    svg.def(&marker(
        &id("lollipop"),
        "M3,10 A7,7 0 1,0 17,10 A7,7 0 1,0 3,10 z",
        17.0,
        background,
        line,
    ));
    let mut label_rects = Vec::new();
    for (i, e, label) in &relation_edges {
        let r = &d.relations[*i];
        let route = &out.edges[*e];
        if let Some(at) = label_point(route) {
            label_rects.push(text_rect(at, label, small));
        }
        for (cardinality, tip, next) in cardinality_ends(r, &route.points) {
            let text = label_text(cardinality);
            let at = cardinality_position(tip, next, text::width(&text, small, false), small);
            label_rects.push(text_rect(at, &[text], small));
        }
    }
    let canvas = Canvas::begin(&mut svg, theme, front_matter_title(ctx), &out, &label_rects);

    let label_style = TextStyle {
        size,
        bold: true,
        fill: &theme.text_color,
        anchor: "middle",
    };
    let ids: Vec<String> = items
        .iter()
        .map(|item| match *item {
            Item::Class(i) => d.classes[i].id.clone(),
            Item::Interface(i) => d.interfaces[i].id.clone(),
            Item::Note(i) => format!("note{i}"),
        })
        .collect();
    // `data-from`/`data-to` of the edge laid out as `e`.
    let ends_of = |e: usize| {
        let (from, to) = ends[e];
        [
            ("data-from", ids[from].clone()),
            ("data-to", ids[to].clone()),
        ]
    };
    for (ns, rect) in d.namespaces.iter().zip(&out.clusters) {
        if rect.width <= 0.0 {
            continue;
        }
        svg.open("g", &[("data-cluster", ns.id.clone())]);
        draw_group(
            &mut svg,
            theme,
            *rect,
            label_text(&ns.label),
            6.0,
            &label_style,
        );
        svg.close("g");
    }

    for &e in &note_edges {
        let route = &out.edges[e];
        let [from, to] = ends_of(e);
        if route.points.len() >= 2 {
            svg.element(
                "path",
                &[
                    ("d", smooth_path(&route.points)),
                    ("fill", "none".into()),
                    ("stroke", line.to_string()),
                    ("stroke-dasharray", "2 2".into()),
                    from,
                    to,
                ],
            );
        }
    }
    let edge_text = TextStyle {
        size: small,
        bold: false,
        fill: &theme.text_color,
        anchor: "middle",
    };
    for (i, e, label) in &relation_edges {
        let r = &d.relations[*i];
        let route = &out.edges[*e];
        if route.points.len() < 2 {
            continue;
        }
        let end_marker = |end: Option<RelationEnd>| match end {
            Some(RelationEnd::Extension) => Some(id("extension")),
            Some(RelationEnd::Composition) => Some(id("composition")),
            Some(RelationEnd::Aggregation) => Some(id("aggregation")),
            Some(RelationEnd::Dependency) => Some(id("dependency")),
            Some(RelationEnd::Lollipop) => Some(id("lollipop")),
            None => None,
        };
        let mut attrs = vec![
            ("d", smooth_path(&route.points)),
            ("fill", "none".to_string()),
            ("stroke", line.to_string()),
            ("stroke-width", "1.2".to_string()),
        ];
        attrs.extend(ends_of(*e));
        if r.line == LineStyle::Dotted {
            attrs.push(("stroke-dasharray", "4 3".to_string()));
        }
        if let Some(m) = end_marker(r.from_end) {
            attrs.push(("marker-start", format!("url(#{m})")));
        }
        if let Some(m) = end_marker(r.to_end) {
            attrs.push(("marker-end", format!("url(#{m})")));
        }
        svg.element("path", &attrs);
        if let Some(at) = label_point(route) {
            let (w, h) = text::block_size(label, small, false);
            svg.rect(
                Rect {
                    x: at.x - w / 2.0 - 3.0,
                    y: at.y - h / 2.0,
                    width: w + 6.0,
                    height: h,
                },
                2.0,
                Paint {
                    fill: &theme.edge_label_background,
                    stroke: "none",
                },
            );
            svg.text_block(at, label, &edge_text);
        }
        for (cardinality, tip, next) in cardinality_ends(r, &route.points) {
            let text = label_text(cardinality);
            let at = cardinality_position(tip, next, text::width(&text, small, false), small);
            svg.text_block(at, &[text], &edge_text);
        }
    }

    let mut labelled = Vec::new();
    for ((item, rect), id) in items.iter().zip(&out.nodes).zip(&ids) {
        svg.open("g", &[("data-id", id.clone())]);
        match *item {
            Item::Class(i) => {
                let class = &d.classes[i];
                let link = class.link.as_deref().and_then(SafeUrl::check);
                if let Some(url) = &link {
                    let mut attrs = vec![("href", url.to_string())];
                    let targets = ["_blank", "_self", "_parent", "_top"];
                    if let Some(target) =
                        class.link_target.as_deref().filter(|t| targets.contains(t))
                    {
                        attrs.push(("target", target.to_string()));
                    }
                    svg.open("a", &attrs);
                }
                // A tooltip is the group's title, which viewers show on hover.
                let tooltip = class.tooltip.as_deref().map(label_text);
                if let Some(tip) = tooltip.as_deref().filter(|t| !t.is_empty()) {
                    svg.open("g", &[]);
                    svg.raw(&format!("<title>{}</title>\n", escape(tip)));
                }
                draw_class(&mut svg, d, class, &boxes[i], *rect, ctx);
                if tooltip.as_deref().is_some_and(|t| !t.is_empty()) {
                    svg.close("g");
                }
                if link.is_some() {
                    svg.close("a");
                }
                labelled.push(LabelledBox {
                    id: class.id.clone(),
                    label: label_text(&class.label),
                    rect: *rect,
                });
            }
            Item::Interface(i) => {
                // The circle is the relation's lollipop end; the node is its name.
                let interface = &d.interfaces[i];
                let label = label_text(&interface.label);
                svg.text_block(
                    rect.centre(),
                    std::slice::from_ref(&label),
                    &TextStyle {
                        bold: false,
                        ..label_style
                    },
                );
                labelled.push(LabelledBox {
                    id: interface.id.clone(),
                    label,
                    rect: *rect,
                });
            }
            Item::Note(i) => {
                svg.rect(
                    *rect,
                    0.0,
                    Paint {
                        fill: &theme.note_bkg_color,
                        stroke: &theme.note_border_color,
                    },
                );
                // Notes read left-aligned, as in mermaid.
                svg.text_block(
                    Point {
                        x: rect.x + PADDING_X,
                        y: rect.y + rect.height / 2.0,
                    },
                    &note_lines[i],
                    &TextStyle {
                        size,
                        bold: false,
                        fill: &theme.note_text_color,
                        anchor: "start",
                    },
                );
            }
        }
        svg.close("g");
    }
    let routes = ends
        .iter()
        .zip(&out.edges)
        .map(|(&(from, to), route)| (ids[from].clone(), ids[to].clone(), route.points.clone()));
    let outline = outline(&out, &ids, routes);
    canvas.finish(svg, labelled, outline, d.acc_title.as_deref())
}

/// The cardinalities of a relation with the end point of the route they belong to and the
/// point next to it.
fn cardinality_ends<'a>(
    r: &'a crate::mermaid::class::Relation,
    points: &[Point],
) -> Vec<(&'a str, Point, Point)> {
    if points.len() < 2 {
        return Vec::new();
    }
    let n = points.len();
    [
        (r.from_cardinality.as_deref(), points[0], points[1]),
        (r.to_cardinality.as_deref(), points[n - 1], points[n - 2]),
    ]
    .into_iter()
    .filter_map(|(c, tip, next)| Some((c?, tip, next)))
    .collect()
}

/// Where a cardinality sits: a little way along the edge from its end, beside the line (to
/// its right, or above a horizontal line), clear of the end marker.
fn cardinality_position(tip: Point, next: Point, width: f64, size: f64) -> Point {
    let (dx, dy) = (next.x - tip.x, next.y - tip.y);
    let length = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / length, dy / length);
    let along = 24.0_f64.min(length / 2.0);
    let (mut nx, mut ny) = (-uy, ux);
    if nx < -0.01 || (nx.abs() <= 0.01 && ny > 0.0) {
        nx = -nx;
        ny = -ny;
    }
    Point {
        x: tip.x + ux * along + nx * (width / 2.0 + 5.0),
        y: tip.y + uy * along + ny * (size * 0.8),
    }
}

/// A class box: the frame, the dividers and the three compartments.
fn draw_class(
    svg: &mut Svg,
    d: &ClassDiagram,
    class: &Class,
    content: &ClassBox,
    rect: Rect,
    ctx: &RenderContext<'_>,
) {
    let theme = &ctx.theme;
    let mut style = StyleColours::default();
    // `classDef default` applies to every class, before the class's own.
    let default = std::iter::once("default".to_string());
    for css in default.chain(class.css_classes.iter().cloned()) {
        if let Some(def) = d.style_classes.iter().find(|s| s.id == css) {
            style.apply(&def.styles);
        }
    }
    style.apply(&class.styles);
    let fill = style.fill.as_deref().unwrap_or(&theme.primary_color);
    let stroke = style
        .stroke
        .as_deref()
        .unwrap_or(&theme.primary_border_color);
    let text_fill = style.color.as_deref().unwrap_or(&theme.primary_text_color);
    let mut attrs = vec![
        ("x", num(rect.x)),
        ("y", num(rect.y)),
        ("width", num(rect.width)),
        ("height", num(rect.height)),
        ("fill", fill.to_string()),
        ("stroke", stroke.to_string()),
        (
            "stroke-width",
            num(style.stroke_width.unwrap_or(1.0)).to_string(),
        ),
    ];
    if style.dashed {
        attrs.push(("stroke-dasharray", "5 3".into()));
    }
    svg.element("rect", &attrs);
    let header_h = compartment_height(&content.header);
    let attributes_h = compartment_height(&content.attributes);
    let mut y = rect.y + PADDING_Y;
    for line in &content.header {
        y = draw_line(svg, line, rect.x + rect.width / 2.0, y, "middle", text_fill);
    }
    for divider in [rect.y + header_h, rect.y + header_h + attributes_h] {
        svg.element(
            "line",
            &[
                ("x1", num(rect.x)),
                ("y1", num(divider)),
                ("x2", num(rect.x + rect.width)),
                ("y2", num(divider)),
                ("stroke", stroke.to_string()),
            ],
        );
    }
    let left = rect.x + PADDING_X;
    let mut y = rect.y + header_h + PADDING_Y;
    for line in &content.attributes {
        y = draw_line(svg, line, left, y, "start", text_fill);
    }
    let mut y = rect.y + header_h + attributes_h + PADDING_Y;
    for line in &content.methods {
        y = draw_line(svg, line, left, y, "start", text_fill);
    }
}

/// One line of text whose box starts at `top`; returns the top of the next line.
pub(super) fn draw_line(
    svg: &mut Svg,
    line: &Line,
    x: f64,
    top: f64,
    anchor: &str,
    fill: &str,
) -> f64 {
    let height = line.size * LINE_HEIGHT;
    let baseline = top + height / 2.0 + line.size * 0.35;
    let mut markup = text_start(x, Some(baseline), line.size, fill, anchor);
    if line.bold {
        markup.push_str(" font-weight=\"bold\"");
    }
    if line.italic {
        markup.push_str(" font-style=\"italic\"");
    }
    if line.underline {
        markup.push_str(" text-decoration=\"underline\"");
    }
    let _ = writeln!(markup, ">{}</text>", escape(&line.text));
    svg.raw(&markup);
    top + height
}
