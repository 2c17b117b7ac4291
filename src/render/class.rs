//! Class diagrams: UML boxes with a name, attribute and method compartment, namespaces as
//! clusters, notes, and relations with UML's ends (triangle, diamonds, arrow, lollipop) and
//! cardinalities. Laid out into a [`Scene`], painted by `paint.rs`.

use super::data_common::{
    data_scene, edge_label_marks, front_matter_title, label_lines, label_point, label_text,
    text_rect,
};
use super::draw::{Head, Style, UmlEnd};
use super::generic::group_box;
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode,
    LayoutOutput, Point, Rect,
};
use super::scene::{
    Anchor, Cluster, Curve, Edge, Emphasis, LinkTarget, Mark, Marker, Node, Scene, Stroke,
};
use super::text::{self, LINE_HEIGHT};
use super::theme::Theme;
use super::{RenderContext, Rendered};
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
    let mut rendered = Rendered::painted(layout(d, ctx), &ctx.id_prefix, ctx.hooks);
    // Notes, the last nodes of the scene, are not nodes of the model.
    let classes = rendered.boxes.len().saturating_sub(d.notes.len());
    rendered.boxes.truncate(classes);
    rendered
}

/// The UML end drawn for a relation's end.
fn uml_end(end: RelationEnd) -> Head {
    Head::Uml(match end {
        RelationEnd::Extension => UmlEnd::Extension,
        RelationEnd::Composition => UmlEnd::Composition,
        RelationEnd::Aggregation => UmlEnd::Aggregation,
        RelationEnd::Dependency => UmlEnd::Dependency,
        RelationEnd::Lollipop => UmlEnd::Lollipop,
    })
}

/// The drawing of a class diagram: namespaces as clusters, classes, interfaces and notes as
/// nodes, note links and relations as edges.
pub fn layout(d: &ClassDiagram, ctx: &RenderContext<'_>) -> Scene {
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
    let mut graph = ClassGraph::default();
    graph.add_classes_and_interfaces(d, &boxes, &namespace_index, size);
    graph.add_notes(d, &note_lines, size);
    let small = size * 0.85;
    graph.add_relations(d, small);
    let clusters = namespace_layout_clusters(d, &namespace_index, size);
    let ends: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    let out = DagreLayout.layout(&LayoutInput {
        direction: Direction::from_mermaid(d.direction.as_str()),
        nodes: graph.nodes,
        clusters,
        edges: graph.edges,
        node_spacing: 50.0,
        rank_spacing: 60.0,
    });

    let line = theme.line_color.as_str();
    let label_rects = relation_label_rects(d, &graph.relation_edges, &out, small);
    let mut scene = data_scene(ctx, front_matter_title(ctx), &out, &label_rects);
    scene.title = d.acc_title.clone();
    let ids: Vec<String> = graph
        .items
        .iter()
        .map(|item| match *item {
            Item::Class(i) => d.classes[i].id.clone(),
            Item::Interface(i) => d.interfaces[i].id.clone(),
            Item::Note(i) => format!("note{i}"),
        })
        .collect();
    let routes = Routes {
        out: &out,
        ends: &ends,
        ids: &ids,
    };
    scene
        .clusters
        .extend(namespace_clusters(d, &out.clusters, size, theme));
    for &e in &graph.note_edges {
        if out.edges[e].points.len() >= 2 {
            scene
                .edges
                .push(routes.edge(e, Stroke::thin(line).dashed("2 2")));
        }
    }
    scene.edges.extend(relation_edges(
        d,
        &graph.relation_edges,
        &routes,
        small,
        theme,
    ));
    for ((item, rect), id) in graph.items.iter().zip(&out.nodes).zip(&ids) {
        let node = item_node(d, item, *rect, id, &boxes, &note_lines, ctx);
        scene.nodes.push(node);
    }
    scene
}

/// A relation's end marker in the line colour.
fn relation_marker(end: RelationEnd, colour: &str) -> Marker {
    Marker {
        head: uml_end(end),
        colour: colour.to_string(),
    }
}

/// The layout's input, built item by item: which class, interface or note each node is,
/// and which edges are note links and which relations.
#[derive(Default)]
struct ClassGraph<'a> {
    items: Vec<Item>,
    nodes: Vec<LayoutNode>,
    node_of: HashMap<&'a str, usize>,
    edges: Vec<LayoutEdge>,
    /// Layout edges that tie a note to its class.
    note_edges: Vec<usize>,
    /// `(relation, layout edge, label lines)`.
    relation_edges: Vec<(usize, usize, Vec<String>)>,
}

impl<'a> ClassGraph<'a> {
    fn add_classes_and_interfaces(
        &mut self,
        d: &'a ClassDiagram,
        boxes: &[ClassBox],
        namespace_index: &HashMap<&str, usize>,
        size: f64,
    ) {
        for (i, class) in d.classes.iter().enumerate() {
            let (w, h) = boxes[i].size();
            self.node_of.insert(class.id.as_str(), self.nodes.len());
            self.items.push(Item::Class(i));
            self.nodes.push(LayoutNode {
                width: w,
                height: h,
                cluster: class
                    .namespace
                    .as_deref()
                    .and_then(|n| namespace_index.get(n).copied()),
            });
        }
        for (i, interface) in d.interfaces.iter().enumerate() {
            self.node_of.insert(interface.id.as_str(), self.nodes.len());
            self.items.push(Item::Interface(i));
            let label = label_text(&interface.label);
            self.nodes.push(LayoutNode {
                width: text::width(&label, size, false) + 8.0,
                height: size * LINE_HEIGHT + 4.0,
                cluster: None,
            });
        }
    }

    /// Notes after the classes they may point at, each linked to its class by an edge.
    fn add_notes(&mut self, d: &ClassDiagram, note_lines: &[Vec<String>], size: f64) {
        for (i, note) in d.notes.iter().enumerate() {
            let (w, h) = text::block_size(&note_lines[i], size, false);
            let node = self.nodes.len();
            self.items.push(Item::Note(i));
            self.nodes.push(LayoutNode {
                width: w + 2.0 * PADDING_X,
                height: h + 2.0 * PADDING_Y,
                cluster: None,
            });
            if let Some(&class) = note.class.as_deref().and_then(|c| self.node_of.get(c)) {
                self.note_edges.push(self.edges.len());
                self.edges.push(LayoutEdge {
                    from: node,
                    to: class,
                    min_length: 1,
                    ..LayoutEdge::default()
                });
            }
        }
    }

    /// Relations between known classes and interfaces, with room for their labels.
    fn add_relations(&mut self, d: &ClassDiagram, small: f64) {
        for (i, r) in d.relations.iter().enumerate() {
            let (Some(&from), Some(&to)) = (
                self.node_of.get(r.from.as_str()),
                self.node_of.get(r.to.as_str()),
            ) else {
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
            self.relation_edges.push((i, self.edges.len(), label));
            self.edges.push(LayoutEdge {
                from,
                to,
                label_width: w,
                label_height: h,
                min_length: 1,
            });
        }
    }
}

/// Namespaces as layout clusters, nested as in the diagram, with room for their bold titles.
fn namespace_layout_clusters(
    d: &ClassDiagram,
    namespace_index: &HashMap<&str, usize>,
    size: f64,
) -> Vec<LayoutCluster> {
    d.namespaces
        .iter()
        .map(|n| LayoutCluster {
            parent: n
                .parent
                .as_deref()
                .and_then(|p| namespace_index.get(p).copied()),
            label_width: text::width(&label_text(&n.label), size, true),
            label_height: size * LINE_HEIGHT,
        })
        .collect()
}

/// Where relation labels and cardinalities land, so that the drawing grows to hold them.
fn relation_label_rects(
    d: &ClassDiagram,
    relation_edges: &[(usize, usize, Vec<String>)],
    out: &LayoutOutput,
    small: f64,
) -> Vec<Rect> {
    let mut label_rects = Vec::new();
    for (i, e, label) in relation_edges {
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
    label_rects
}

/// Namespaces as boxes with a bold title at the top.
fn namespace_clusters(d: &ClassDiagram, rects: &[Rect], size: f64, theme: &Theme) -> Vec<Cluster> {
    let mut clusters = Vec::new();
    for (ns, rect) in d.namespaces.iter().zip(rects) {
        if rect.width <= 0.0 {
            continue;
        }
        let title_at = Point {
            x: rect.x + rect.width / 2.0,
            y: rect.y + 6.0 + size * LINE_HEIGHT / 2.0,
        };
        let title = Mark::text(
            title_at,
            vec![label_text(&ns.label)],
            size,
            &theme.text_color,
            Anchor::Middle,
        )
        .bold();
        let border = Stroke::thin(&theme.cluster_border);
        clusters.push(group_box(ns.id.clone(), *rect, border, title, theme));
    }
    clusters
}

/// The laid-out edges with the ids of the nodes at their ends.
struct Routes<'a> {
    out: &'a LayoutOutput,
    ends: &'a [(usize, usize)],
    ids: &'a [String],
}

impl Routes<'_> {
    /// The edge laid out as `e`, routed: its ends' ids and its points.
    fn edge(&self, e: usize, stroke: Stroke) -> Edge {
        let (from, to) = self.ends[e];
        Edge {
            from: self.ids[from].clone(),
            to: self.ids[to].clone(),
            points: self.out.edges[e].points.clone(),
            curve: Curve::Smooth,
            stroke,
            start: None,
            end: None,
            label: Vec::new(),
        }
    }
}

/// Relations as edges: dotted or solid, with their UML ends, label and cardinalities.
fn relation_edges(
    d: &ClassDiagram,
    relation_edges: &[(usize, usize, Vec<String>)],
    routes: &Routes<'_>,
    small: f64,
    theme: &Theme,
) -> Vec<Edge> {
    let line = theme.line_color.as_str();
    let mut edges = Vec::new();
    for (i, e, label) in relation_edges {
        let r = &d.relations[*i];
        let route = &routes.out.edges[*e];
        if route.points.len() < 2 {
            continue;
        }
        let mut stroke = Stroke::solid(line, 1.2);
        if r.line == LineStyle::Dotted {
            stroke = stroke.dashed("4 3");
        }
        let mut drawn = Edge {
            start: r.from_end.map(|end| relation_marker(end, line)),
            end: r.to_end.map(|end| relation_marker(end, line)),
            ..routes.edge(*e, stroke)
        };
        if let Some(at) = label_point(route) {
            drawn.label = edge_label_marks(
                at,
                label,
                small,
                3.0,
                2.0,
                &theme.edge_label_background,
                &theme.text_color,
            );
        }
        for (cardinality, tip, next) in cardinality_ends(r, &route.points) {
            let text = label_text(cardinality);
            let at = cardinality_position(tip, next, text::width(&text, small, false), small);
            drawn.label.push(Mark::text(
                at,
                vec![text],
                small,
                &theme.text_color,
                Anchor::Middle,
            ));
        }
        edges.push(drawn);
    }
    edges
}

/// The scene node of a class (its box, link and tooltip), an interface (its name) or a note.
fn item_node(
    d: &ClassDiagram,
    item: &Item,
    rect: Rect,
    id: &str,
    boxes: &[ClassBox],
    note_lines: &[Vec<String>],
    ctx: &RenderContext<'_>,
) -> Node {
    let theme = &ctx.theme;
    let size = theme.font_size * 0.875;
    let mut node = Node {
        id: id.to_string(),
        label: String::new(),
        rect,
        marks: Vec::new(),
        link: None,
        link_target: None,
    };
    match *item {
        Item::Class(i) => {
            let class = &d.classes[i];
            node.link = class.link.as_deref().and_then(SafeUrl::check);
            node.link_target = class.link_target.as_deref().and_then(LinkTarget::parse);
            node.label = label_text(&class.label);
            // A tooltip is the group's title, which viewers show on hover.
            let tooltip = class.tooltip.as_deref().map(label_text);
            if let Some(tip) = tooltip.filter(|t| !t.is_empty()) {
                node.marks.push(Mark::Tooltip(tip));
            }
            node.marks
                .extend(class_marks(d, class, &boxes[i], rect, ctx));
        }
        Item::Interface(i) => {
            // The circle is the relation's lollipop end; the node is its name.
            node.label = label_text(&d.interfaces[i].label);
            node.marks.push(Mark::text(
                rect.centre(),
                vec![node.label.clone()],
                size,
                &theme.text_color,
                Anchor::Middle,
            ));
        }
        Item::Note(i) => {
            node.marks = vec![
                Mark::Box {
                    rect,
                    rx: 0.0,
                    fill: theme.note_bkg_color.clone(),
                    stroke: Some(Stroke::thin(&theme.note_border_color)),
                },
                // Notes read left-aligned, as in mermaid.
                Mark::text(
                    Point {
                        x: rect.x + PADDING_X,
                        y: rect.y + rect.height / 2.0,
                    },
                    note_lines[i].clone(),
                    size,
                    &theme.note_text_color,
                    Anchor::Start,
                ),
            ];
        }
    }
    node
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
fn class_marks(
    d: &ClassDiagram,
    class: &Class,
    content: &ClassBox,
    rect: Rect,
    ctx: &RenderContext<'_>,
) -> Vec<Mark> {
    let theme = &ctx.theme;
    let style = Style::cascade(
        |name| {
            d.style_classes
                .iter()
                .find(|s| s.id == name)
                .map(|s| &s.styles)
        },
        class.css_classes.iter().map(String::as_str),
        &class.styles,
    );
    let fill = style.fill.as_deref().unwrap_or(&theme.primary_color);
    let stroke = style
        .stroke
        .as_deref()
        .unwrap_or(&theme.primary_border_color);
    let text_fill = style.color.as_deref().unwrap_or(&theme.primary_text_color);
    let mut marks = vec![Mark::Box {
        rect,
        rx: 0.0,
        fill: fill.to_string(),
        stroke: Some(style.stroke_in(stroke)),
    }];
    let header_h = compartment_height(&content.header);
    let attributes_h = compartment_height(&content.attributes);
    let centre = rect.x + rect.width / 2.0;
    let left = rect.x + PADDING_X;
    let compartments = [
        (&content.header, centre, Anchor::Middle, rect.y),
        (&content.attributes, left, Anchor::Start, rect.y + header_h),
        (
            &content.methods,
            left,
            Anchor::Start,
            rect.y + header_h + attributes_h,
        ),
    ];
    for (i, (lines, x, anchor, top)) in compartments.into_iter().enumerate() {
        let mut y = top + PADDING_Y;
        for line in lines {
            marks.push(line_mark(line, x, y, anchor, text_fill));
            y += line.size * LINE_HEIGHT;
        }
        if i == 0 {
            for divider in [rect.y + header_h, rect.y + header_h + attributes_h] {
                marks.push(Mark::Line {
                    from: Point {
                        x: rect.x,
                        y: divider,
                    },
                    to: Point {
                        x: rect.x + rect.width,
                        y: divider,
                    },
                    stroke: Stroke::thin(stroke),
                });
            }
        }
    }
    marks
}

/// One line of text whose box starts at `top`.
pub(super) fn line_mark(line: &Line, x: f64, top: f64, anchor: Anchor, fill: &str) -> Mark {
    let at = Point {
        x,
        y: top + line.size * LINE_HEIGHT / 2.0,
    };
    let mut mark = Mark::text(at, vec![line.text.clone()], line.size, fill, anchor);
    if let Mark::Text { bold, emphasis, .. } = &mut mark {
        *bold = line.bold;
        *emphasis = Emphasis {
            italic: line.italic,
            underline: line.underline,
        };
    }
    mark
}
