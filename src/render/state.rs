//! State diagrams: `[*]` start and end, states as rounded boxes (with description lines under
//! a title), composites as clusters with concurrent regions split by dashed lines, fork/join
//! bars, choice diamonds, notes tied to their state by a dashed line, labelled transitions.

use super::draw::{self, Head, Label, Style};
use super::layout::{
    self, DagreLayout, Direction, LayoutCluster, LayoutEdge, LayoutInput, LayoutNode, LayoutOutput,
    Point, Rect,
};
use super::scene::{Anchor, Cluster, Curve, Edge, Mark, Marker, Node, Scene, Stroke};
use super::shapes::Shape;
use super::svg::num;
use super::theme::Theme;
use super::{RenderContext, Rendered};
use crate::mermaid::link::SafeUrl;
use crate::mermaid::state::{StateDiagram, StateNode, Statement, Transition};
use std::collections::HashMap;

const MAX_LABEL_WIDTH: f64 = 200.0;
const PADDING_X: f64 = 15.0;
const PADDING_Y: f64 = 8.0;
const NOTE_GROUP_SUFFIX: &str = "----parent";
/// Space between a state and a note beside it.
const NOTE_GAP: f64 = 30.0;

/// How a non-group state is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    End,
    Bar,
    Choice,
    Note,
    Plain,
    WithDescriptions,
}

impl Kind {
    fn of(shape: Option<&str>) -> Kind {
        match shape {
            Some("stateStart") => Kind::Start,
            Some("stateEnd") => Kind::End,
            Some("fork") | Some("join") => Kind::Bar,
            Some("choice") => Kind::Choice,
            Some("note") => Kind::Note,
            Some("rectWithTitle") => Kind::WithDescriptions,
            _ => Kind::Plain,
        }
    }

    /// Glyphs carry no label of their own (`[*]` states are named by generated ids).
    fn has_label(self) -> bool {
        matches!(self, Kind::Note | Kind::Plain | Kind::WithDescriptions)
    }
}

struct StateDraw<'a> {
    state: &'a StateNode,
    kind: Kind,
    title: Label,
    descriptions: Label,
    style: Style,
}

/// What the statements say beyond the derived states: descriptions, classes, styles.
#[derive(Default)]
struct Collected {
    descriptions: HashMap<String, Vec<String>>,
    class_defs: HashMap<String, Vec<String>>,
    classes: HashMap<String, Vec<String>>,
    styles: HashMap<String, Vec<String>>,
    /// `click` links by state.
    links: HashMap<String, String>,
    /// `direction` statements inside composites.
    directions: HashMap<String, String>,
}

impl Collected {
    fn walk(&mut self, composite: Option<&str>, statements: &[Statement]) {
        for statement in statements {
            match statement {
                Statement::Direction { value } => {
                    if let Some(id) = composite {
                        self.directions
                            .insert(id.to_string(), value.as_str().to_string());
                    }
                }
                Statement::State(s) => self.state_ref(s),
                Statement::Transition { from, to, .. } => {
                    self.state_ref(from);
                    self.state_ref(to);
                }
                Statement::ClassDef { id, styles } => {
                    for id in id.split(',') {
                        self.class_defs
                            .entry(id.trim().to_string())
                            .or_default()
                            .push(styles.clone());
                    }
                }
                Statement::Style { ids, styles } => {
                    for id in ids.split(',') {
                        self.styles
                            .entry(id.trim().to_string())
                            .or_default()
                            .push(styles.clone());
                    }
                }
                Statement::Click { id, url, .. } => {
                    self.links.insert(id.clone(), url.clone());
                }
                Statement::ApplyClass { ids, class } => {
                    for id in ids.split(',') {
                        self.classes
                            .entry(id.trim().to_string())
                            .or_default()
                            .push(class.clone());
                    }
                }
                _ => {}
            }
        }
    }

    fn state_ref(&mut self, s: &crate::mermaid::state::StateRef) {
        let list = self.descriptions.entry(s.id.clone()).or_default();
        for d in s.descriptions.iter().filter(|d| !d.is_empty()) {
            list.push(d.clone());
        }
        if !s.classes.is_empty() {
            self.classes
                .entry(s.id.clone())
                .or_default()
                .extend(s.classes.iter().cloned());
        }
        if let Some(body) = &s.body {
            self.walk(Some(&s.id), body);
        }
    }

    fn style_of(&self, id: &str) -> Style {
        let classes = self.classes.get(id).into_iter().flatten();
        let own = self.styles.get(id).map_or(&[][..], Vec::as_slice);
        Style::cascade(
            |name| self.class_defs.get(name),
            classes.map(String::as_str),
            own,
        )
    }
}

pub fn render(diagram: &StateDiagram, ctx: &RenderContext<'_>) -> Rendered {
    let theme = &ctx.theme;
    let size = theme.font_size;
    let direction = Direction::from_mermaid(diagram.direction.as_str());
    let mut collected = Collected::default();
    collected.walk(None, &diagram.statements);

    let composites = Composites::of(diagram);
    let states = collect_states(diagram, &collected, direction, size);
    let beside = notes_beside(diagram, &states, direction);
    let titles: Vec<Label> = composites
        .list
        .iter()
        .map(|s| draw::make_label(&s.label, false, size, MAX_LABEL_WIDTH * 1.5))
        .collect();
    let boxes = layout_boxes(&composites, &states, &beside, &titles);
    let transitions = collect_transitions(&composites, &states, &boxes, size * 0.875);
    let input = LayoutInput {
        direction,
        nodes: boxes.nodes,
        clusters: composite_layout_clusters(&composites, &titles),
        edges: transitions.layout_edges,
        node_spacing: 50.0,
        rank_spacing: 50.0,
    };
    let directions = composite_directions(&composites, &collected);
    let out = layout::layout_nested(&DagreLayout, &input, &directions, &transitions.cluster_ends);
    let rects = draw_rects(
        &states.draws,
        &states.sizes,
        &boxes.layout_of,
        &beside.slots,
        &beside.attached,
        &out.nodes,
    );

    let mut edges = transition_edges(
        &transitions.drawn,
        &out,
        &rects,
        &states,
        &beside,
        &composites,
        theme,
    );
    edges.extend(note_link_edges(
        &transitions.note_links,
        &rects,
        &states,
        theme,
    ));
    let nodes = state_nodes(&states, &rects, &collected, ctx);
    let scene = Scene {
        width: out.width,
        height: out.height,
        heading: super::data_common::front_matter_heading(ctx),
        title: diagram.acc_title.clone(),
        description: diagram.acc_descr.clone(),
        background: theme.background.clone(),
        clusters: composite_clusters(&composites.list, &titles, &out.clusters, &collected, ctx),
        edges,
        nodes,
        ..Scene::default()
    };
    Rendered::painted(scene, &ctx.id_prefix, ctx.hooks)
}

/// Composites drawn as boxes around their states (note groups are not: they exist only to
/// tie a note to its state).
fn is_cluster(s: &StateNode) -> bool {
    s.is_group && !matches!(s.shape.as_deref(), Some("note") | Some("noteGroup"))
}

/// The composites drawn as clusters, in diagram order, and the way back from a state's
/// parent to its cluster.
struct Composites<'a> {
    diagram: &'a StateDiagram,
    by_id: HashMap<&'a str, &'a StateNode>,
    list: Vec<&'a StateNode>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Composites<'a> {
    fn of(diagram: &'a StateDiagram) -> Self {
        let by_id = diagram.states.iter().map(|s| (s.id.as_str(), s)).collect();
        let list: Vec<&StateNode> = diagram.states.iter().filter(|s| is_cluster(s)).collect();
        let index = list
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        Composites {
            diagram,
            by_id,
            list,
            index,
        }
    }

    /// The cluster a state with this parent is drawn in. A note group is not drawn: its note
    /// sits in the cluster of the state it annotates.
    fn cluster_of(&self, parent: Option<&str>) -> Option<usize> {
        let parent = parent?;
        if let Some(&i) = self.index.get(parent) {
            return Some(i);
        }
        let noted = parent.strip_suffix(NOTE_GROUP_SUFFIX)?;
        let noted_parent = self.by_id.get(noted)?.parent.as_deref()?;
        self.index.get(noted_parent).copied()
    }
}

/// The states drawn as nodes (every state but composites and note groups), with their sizes.
struct States<'a> {
    draws: Vec<StateDraw<'a>>,
    sizes: Vec<(f64, f64)>,
    index: HashMap<&'a str, usize>,
}

fn collect_states<'a>(
    diagram: &'a StateDiagram,
    collected: &Collected,
    direction: Direction,
    size: f64,
) -> States<'a> {
    let mut states = States {
        draws: Vec::new(),
        sizes: Vec::new(),
        index: HashMap::new(),
    };
    for state in &diagram.states {
        if is_cluster(state) || state.shape.as_deref() == Some("noteGroup") {
            continue;
        }
        let kind = Kind::of(state.shape.as_deref());
        let style = collected.style_of(&state.id);
        let mut title = draw::make_label(&state.label, false, size, MAX_LABEL_WIDTH);
        title.emphasise(&style);
        let descriptions = if kind == Kind::WithDescriptions {
            description_label(state, collected, size)
        } else {
            Label::default()
        };
        states.index.insert(state.id.as_str(), states.draws.len());
        states
            .sizes
            .push(state_size(kind, &title, &descriptions, direction));
        states.draws.push(StateDraw {
            state,
            kind,
            title,
            descriptions,
            style,
        });
    }
    states
}

/// The lines under a state's title. The first description is the title; the others are the
/// lines under it.
fn description_label(state: &StateNode, collected: &Collected, size: f64) -> Label {
    let mut lines: Vec<String> = collected
        .descriptions
        .get(&state.id)
        .cloned()
        .unwrap_or_default();
    if let Some(title) = lines.iter().position(|d| *d == state.label) {
        lines.remove(title);
    }
    draw::make_label(&lines.join("<br>"), false, size * 0.875, MAX_LABEL_WIDTH)
}

fn state_size(kind: Kind, title: &Label, descriptions: &Label, direction: Direction) -> (f64, f64) {
    match kind {
        Kind::Start | Kind::End => (14.0, 14.0),
        Kind::Bar if direction.is_horizontal() => (10.0, 70.0),
        Kind::Bar => (70.0, 10.0),
        Kind::Choice => (28.0, 28.0),
        Kind::WithDescriptions => (
            title.width.max(descriptions.width) + 2.0 * PADDING_X,
            title.height + descriptions.height + 4.0 * PADDING_Y,
        ),
        Kind::Note | Kind::Plain => (
            (title.width + 2.0 * PADDING_X).max(40.0),
            title.height + 2.0 * PADDING_Y,
        ),
    }
}

/// Notes that share a layout box with their state: by state, the note on its left and the
/// note on its right; and for each drawn state, whether it is such a note.
struct NotesBeside {
    slots: HashMap<usize, [Option<usize>; 2]>,
    attached: Vec<bool>,
}

/// In a vertical diagram a note sits beside its state, as in mermaid: the two (or three,
/// with notes on both sides) share one box of the layout.
fn notes_beside(diagram: &StateDiagram, states: &States<'_>, direction: Direction) -> NotesBeside {
    let draws = &states.draws;
    let mut beside = NotesBeside {
        slots: HashMap::new(),
        attached: vec![false; draws.len()],
    };
    if direction.is_horizontal() {
        return beside;
    }
    for t in diagram.transitions.iter().filter(|t| t.is_note) {
        let (Some(&a), Some(&b)) = (
            states.index.get(t.from.as_str()),
            states.index.get(t.to.as_str()),
        ) else {
            continue;
        };
        // `left of` links note to state, `right of` state to note.
        let (note, host, side) = if draws[a].kind == Kind::Note {
            (a, b, 0)
        } else {
            (b, a, 1)
        };
        if draws[note].kind != Kind::Note || draws[host].kind == Kind::Note || beside.attached[note]
        {
            continue;
        }
        let slots = beside.slots.entry(host).or_default();
        if slots[side].is_none() {
            slots[side] = Some(note);
            beside.attached[note] = true;
        }
    }
    beside
}

/// The boxes the layout places: one per state (or per state with its notes beside it), and
/// a placeholder in each empty composite so that it still takes room.
struct LayoutBoxes {
    nodes: Vec<LayoutNode>,
    /// For each drawn state, its box.
    layout_of: Vec<usize>,
    /// For each empty composite (by cluster), its placeholder box.
    placeholder: HashMap<usize, usize>,
}

fn layout_boxes(
    composites: &Composites<'_>,
    states: &States<'_>,
    beside: &NotesBeside,
    titles: &[Label],
) -> LayoutBoxes {
    let sizes = &states.sizes;
    let mut boxes = LayoutBoxes {
        nodes: Vec::new(),
        layout_of: vec![0; states.draws.len()],
        placeholder: HashMap::new(),
    };
    for (i, d) in states.draws.iter().enumerate() {
        if beside.attached[i] {
            continue;
        }
        let (mut w, mut h) = sizes[i];
        for note in beside.slots.get(&i).into_iter().flatten().flatten() {
            w += NOTE_GAP + sizes[*note].0;
            h = h.max(sizes[*note].1);
        }
        boxes.layout_of[i] = boxes.nodes.len();
        boxes.nodes.push(LayoutNode {
            width: w,
            height: h,
            cluster: composites.cluster_of(d.state.parent.as_deref()),
        });
    }
    for (host, slots) in &beside.slots {
        for note in slots.iter().flatten() {
            boxes.layout_of[*note] = boxes.layout_of[*host];
        }
    }
    for (i, cluster) in composites.list.iter().enumerate() {
        let has_content = composites
            .diagram
            .states
            .iter()
            .any(|s| s.parent.as_deref() == Some(cluster.id.as_str()));
        if !has_content {
            boxes.placeholder.insert(i, boxes.nodes.len());
            boxes.nodes.push(LayoutNode {
                width: titles[i].width.max(40.0),
                height: 20.0,
                cluster: Some(i),
            });
        }
    }
    boxes
}

/// Where a transition to `id` attaches: the state drawn (if any) and its box in the layout.
/// A transition to a composite attaches to a state inside it (its start when it has one).
fn representative(
    id: &str,
    composites: &Composites<'_>,
    states: &States<'_>,
    boxes: &LayoutBoxes,
) -> Option<(Option<usize>, usize)> {
    let layout_of = &boxes.layout_of;
    if let Some(&n) = states.index.get(id) {
        return Some((Some(n), layout_of[n]));
    }
    let mut frontier = vec![id];
    for _ in 0..=composites.list.len() {
        let mut next = Vec::new();
        for group in &frontier {
            if let Some(&p) = composites
                .index
                .get(group)
                .and_then(|i| boxes.placeholder.get(i))
            {
                return Some((None, p));
            }
            let children = composites
                .diagram
                .states
                .iter()
                .filter(|s| s.parent.as_deref() == Some(*group));
            let mut first = None;
            for child in children {
                if let Some(&n) = states.index.get(child.id.as_str()) {
                    if child.shape.as_deref() == Some("stateStart") {
                        return Some((Some(n), layout_of[n]));
                    }
                    first = first.or(Some((Some(n), layout_of[n])));
                } else {
                    next.push(child.id.as_str());
                }
            }
            if first.is_some() {
                return first;
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    None
}

/// A transition the layout routes: with its label and the states drawn at its ends.
type DrawnTransition<'a> = (&'a Transition, Label, Option<usize>, Option<usize>);

/// The transitions split into those the layout routes (with the clusters they end on) and
/// the note links drawn beside the layout.
struct Transitions<'a> {
    drawn: Vec<DrawnTransition<'a>>,
    layout_edges: Vec<LayoutEdge>,
    cluster_ends: Vec<(Option<usize>, Option<usize>)>,
    note_links: Vec<(Option<usize>, Option<usize>)>,
}

fn collect_transitions<'a>(
    composites: &Composites<'a>,
    states: &States<'_>,
    boxes: &LayoutBoxes,
    label_size: f64,
) -> Transitions<'a> {
    let mut transitions = Transitions {
        drawn: Vec::new(),
        layout_edges: Vec::new(),
        cluster_ends: Vec::new(),
        note_links: Vec::new(),
    };
    let cluster_index = &composites.index;
    for t in &composites.diagram.transitions {
        let (Some(from), Some(to)) = (
            representative(&t.from, composites, states, boxes),
            representative(&t.to, composites, states, boxes),
        ) else {
            continue;
        };
        if t.is_note && from.1 == to.1 {
            // A note beside its state: a short dashed line, outside the layout.
            transitions.note_links.push((from.0, to.0));
            continue;
        }
        let label = draw::make_label(&t.label, false, label_size, MAX_LABEL_WIDTH);
        let has_label = !label.is_empty();
        transitions.layout_edges.push(LayoutEdge {
            from: from.1,
            to: to.1,
            label_width: if has_label { label.width + 8.0 } else { 0.0 },
            label_height: if has_label { label.height + 4.0 } else { 0.0 },
            min_length: 1,
        });
        transitions.cluster_ends.push((
            cluster_index.get(t.from.as_str()).copied(),
            cluster_index.get(t.to.as_str()).copied(),
        ));
        transitions.drawn.push((t, label, from.0, to.0));
    }
    transitions
}

/// Composites as layout clusters, nested as in the diagram, with room for their titles.
fn composite_layout_clusters(composites: &Composites<'_>, titles: &[Label]) -> Vec<LayoutCluster> {
    composites
        .list
        .iter()
        .enumerate()
        .map(|(i, s)| LayoutCluster {
            parent: composites.cluster_of(s.parent.as_deref()),
            label_width: titles[i].width,
            label_height: if titles[i].is_empty() {
                0.0
            } else {
                titles[i].height + 4.0
            },
        })
        .collect()
}

/// The `direction` each composite asks for, if any.
fn composite_directions(
    composites: &Composites<'_>,
    collected: &Collected,
) -> Vec<Option<Direction>> {
    composites
        .list
        .iter()
        .map(|c| {
            collected
                .directions
                .get(&c.id)
                .map(|d| Direction::from_mermaid(d))
        })
        .collect()
}

/// The routed transitions as edges: ends brought onto the glyphs and composites they reach,
/// kept out of the notes the layout did not see, then stroked and labelled.
fn transition_edges(
    drawn: &[DrawnTransition<'_>],
    out: &LayoutOutput,
    rects: &[Rect],
    states: &States<'_>,
    beside: &NotesBeside,
    composites: &Composites<'_>,
    theme: &Theme,
) -> Vec<Edge> {
    let mut edges = Vec::new();
    for ((t, label, from, to), route) in drawn.iter().zip(&out.edges) {
        if route.points.len() < 2 {
            continue;
        }
        let mut points = route.points.clone();
        fit_ends_to_states(&mut points, [*from, *to], rects, states, beside);
        for (id, at_start) in [(&t.from, true), (&t.to, false)] {
            if let Some(&c) = composites.index.get(id.as_str()) {
                points = draw::clip_to_rect(&points, out.clusters[c], at_start);
            }
        }
        // The layout saw a state and the notes beside it as one box: keep out of the notes.
        let others: Vec<Rect> = rects
            .iter()
            .enumerate()
            .filter(|(i, r)| Some(*i) != *from && Some(*i) != *to && r.width > 0.0)
            .map(|(_, r)| *r)
            .collect();
        super::routing::route_around(&mut points, &others);
        let colour = theme.line_color.as_str();
        let (stroke, end) = if t.is_note {
            (Stroke::solid(colour, 1.0).dashed("4 3"), None)
        } else {
            (
                Stroke::solid(colour, 1.5),
                Some(Marker {
                    head: Head::Arrow,
                    colour: colour.to_string(),
                }),
            )
        };
        let label = match (route.label, label.is_empty()) {
            (Some(at), false) => {
                draw::edge_label(at, label, &theme.edge_label_background, &theme.text_color)
            }
            _ => Vec::new(),
        };
        edges.push(Edge {
            from: t.from.clone(),
            to: t.to.clone(),
            points,
            curve: Curve::Rounded,
            stroke,
            start: None,
            end,
            label,
        });
    }
    edges
}

/// Brings a route's first and last points from the layout box onto the state drawn there:
/// into the state's part of a box shared with notes, and onto the outline of a round or
/// diamond glyph.
fn fit_ends_to_states(
    points: &mut [Point],
    ends: [Option<usize>; 2],
    rects: &[Rect],
    states: &States<'_>,
    beside: &NotesBeside,
) {
    for (index, first) in [(ends[0], true), (ends[1], false)] {
        let Some(index) = index else { continue };
        let n = points.len();
        let (end, next) = if first { (0, 1) } else { (n - 1, n - 2) };
        let rect = rects[index];
        if beside.slots.contains_key(&index) {
            // The route ends on the shared box: bring it onto the state itself.
            points[end] = Point {
                x: points[end].x.clamp(rect.x + 4.0, rect.x + rect.width - 4.0),
                y: points[end].y.clamp(rect.y, rect.y + rect.height),
            };
        }
        let shape = match states.draws[index].kind {
            Kind::Start | Kind::End => Shape::Circle,
            Kind::Choice => Shape::Diamond,
            _ => continue,
        };
        if let Some(p) = shape.border_point(rect, points[next]) {
            points[end] = p;
        }
    }
}

/// A note beside its state: a short dashed line between their facing sides.
fn note_link_edges(
    note_links: &[(Option<usize>, Option<usize>)],
    rects: &[Rect],
    states: &States<'_>,
    theme: &Theme,
) -> Vec<Edge> {
    let mut edges = Vec::new();
    for &(a, b) in note_links {
        let (Some(a), Some(b)) = (a, b) else { continue };
        let (ra, rb) = (rects[a], rects[b]);
        let (left, right) = if ra.x < rb.x { (ra, rb) } else { (rb, ra) };
        edges.push(Edge {
            from: states.draws[a].state.id.clone(),
            to: states.draws[b].state.id.clone(),
            points: vec![
                Point {
                    x: left.x + left.width,
                    y: left.centre().y,
                },
                Point {
                    x: right.x,
                    y: right.centre().y,
                },
            ],
            curve: Curve::Straight,
            stroke: Stroke::solid(&theme.line_color, 1.0).dashed("4 3"),
            start: None,
            end: None,
            label: Vec::new(),
        });
    }
    edges
}

/// The drawn states as scene nodes, with their `click` links when safe.
fn state_nodes(
    states: &States<'_>,
    rects: &[Rect],
    collected: &Collected,
    ctx: &RenderContext<'_>,
) -> Vec<Node> {
    states
        .draws
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let link = collected
                .links
                .get(&d.state.id)
                .and_then(|url| SafeUrl::check(url));
            Node {
                id: d.state.id.clone(),
                label: if d.kind.has_label() {
                    d.title.plain()
                } else {
                    String::new()
                },
                rect: rects[i],
                marks: state_marks(d, rects[i], ctx),
                link,
                link_target: None,
            }
        })
        .collect()
}

/// Where each state is drawn: its own box of the layout, or its part of a box it shares with
/// the notes beside it (left note, state, right note, centred on one line).
fn draw_rects(
    draws: &[StateDraw<'_>],
    sizes: &[(f64, f64)],
    layout_of: &[usize],
    beside: &HashMap<usize, [Option<usize>; 2]>,
    attached: &[bool],
    boxes: &[Rect],
) -> Vec<Rect> {
    let mut rects = vec![Rect::default(); draws.len()];
    for i in 0..draws.len() {
        if attached[i] {
            continue;
        }
        let shared = boxes[layout_of[i]];
        let Some(slots) = beside.get(&i) else {
            rects[i] = shared;
            continue;
        };
        let centre_y = shared.centre().y;
        let mut x = shared.x;
        for index in [slots[0], Some(i), slots[1]].into_iter().flatten() {
            let (w, h) = sizes[index];
            rects[index] = Rect {
                x,
                y: centre_y - h / 2.0,
                width: w,
                height: h,
            };
            x += w + NOTE_GAP;
        }
    }
    rects
}

/// Composites as rounded boxes with a title band; concurrent regions without a border, split
/// by dashed lines.
fn composite_clusters(
    clusters: &[&StateNode],
    titles: &[Label],
    rects: &[Rect],
    collected: &Collected,
    ctx: &RenderContext<'_>,
) -> Vec<Cluster> {
    let theme = &ctx.theme;
    let index: HashMap<&str, usize> = clusters
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(&p) = clusters[i].parent.as_deref().and_then(|p| index.get(p)) {
            d += 1;
            i = p;
            if d > clusters.len() {
                break;
            }
        }
        d
    };
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by_key(|i| depth(*i));
    let mut drawn = Vec::new();
    for i in order {
        let (cluster, rect) = (clusters[i], rects[i]);
        if rect.width <= 0.0 || cluster.shape.as_deref() == Some("divider") {
            continue;
        }
        let style = collected.style_of(&cluster.id);
        let stroke = style
            .stroke
            .as_deref()
            .unwrap_or(&theme.primary_border_color);
        let mut marks = vec![Mark::Box {
            rect,
            rx: 5.0,
            fill: style
                .fill
                .clone()
                .unwrap_or_else(|| theme.background.clone()),
            stroke: Some(style.stroke_in(stroke)),
        }];
        let title = &titles[i];
        if !title.is_empty() {
            let band = title.height + 6.0;
            marks.push(Mark::Outline {
                d: format!(
                    "M{},{} V{} A5,5 0 0,1 {},{} H{} A5,5 0 0,1 {},{} V{} z",
                    num(rect.x),
                    num(rect.y + band),
                    num(rect.y + 5.0),
                    num(rect.x + 5.0),
                    num(rect.y),
                    num(rect.x + rect.width - 5.0),
                    num(rect.x + rect.width),
                    num(rect.y + 5.0),
                    num(rect.y + band)
                ),
                fill: theme.primary_color.clone(),
                stroke: Some(Stroke::solid(stroke, 1.0)),
            });
            marks.push(Mark::Label {
                at: Point {
                    x: rect.x + rect.width / 2.0,
                    y: rect.y + band / 2.0,
                },
                label: title.clone(),
                fill: style
                    .color
                    .as_deref()
                    .unwrap_or(&theme.primary_text_color)
                    .to_string(),
                anchor: Anchor::Middle,
            });
        }
        // Concurrent regions: side by side when no two share a column, else stacked.
        let regions: Vec<Rect> = clusters
            .iter()
            .zip(rects)
            .filter(|(c, r)| {
                c.parent.as_deref() == Some(cluster.id.as_str())
                    && c.shape.as_deref() == Some("divider")
                    && r.width > 0.0
            })
            .map(|(_, r)| *r)
            .collect();
        for (a, b, vertical) in separators(&regions) {
            let (x1, y1, x2, y2) = if vertical {
                let x = (a + b) / 2.0;
                (x, rect.y + title.height + 6.0, x, rect.y + rect.height)
            } else {
                let y = (a + b) / 2.0;
                (rect.x, y, rect.x + rect.width, y)
            };
            marks.push(Mark::Line {
                from: Point { x: x1, y: y1 },
                to: Point { x: x2, y: y2 },
                stroke: Stroke::solid(stroke, 1.0).dashed("6 4"),
            });
        }
        drawn.push(Cluster {
            id: cluster.id.clone(),
            rect,
            marks,
        });
    }
    drawn
}

/// Where the dashed lines between concurrent regions go: `(end of one, start of the next,
/// vertical line?)` for each neighbouring pair.
fn separators(regions: &[Rect]) -> Vec<(f64, f64, bool)> {
    if regions.len() < 2 {
        return Vec::new();
    }
    let mut sorted = regions.to_vec();
    let side_by_side = regions.iter().enumerate().all(|(i, a)| {
        regions[i + 1..]
            .iter()
            .all(|b| a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5)
    });
    if side_by_side {
        sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
        sorted
            .windows(2)
            .map(|w| (w[0].x + w[0].width, w[1].x, true))
            .collect()
    } else {
        sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
        sorted
            .windows(2)
            .map(|w| (w[0].y + w[0].height, w[1].y, false))
            .collect()
    }
}

fn state_marks(d: &StateDraw<'_>, rect: Rect, ctx: &RenderContext<'_>) -> Vec<Mark> {
    let theme = &ctx.theme;
    let fill = d.style.fill.as_deref().unwrap_or(&theme.primary_color);
    let stroke = d
        .style
        .stroke
        .as_deref()
        .unwrap_or(&theme.primary_border_color);
    let stroke_width = d.style.stroke_width.clone().unwrap_or_else(|| "1".into());
    let text_colour = d
        .style
        .color
        .as_deref()
        .unwrap_or(&theme.primary_text_color)
        .to_string();
    let c = rect.centre();
    let circle = |r: f64, fill: &str, stroke: &str| Mark::Circle {
        centre: c,
        r,
        fill: fill.to_string(),
        stroke: Some(Stroke::solid(stroke, 1.0)),
    };
    let label = |at: Point, label: &Label, fill: String, anchor: Anchor| Mark::Label {
        at,
        label: label.clone(),
        fill,
        anchor,
    };
    match d.kind {
        Kind::Start => vec![circle(7.0, &theme.line_color, &theme.line_color)],
        Kind::End => vec![
            circle(7.0, &theme.background, &theme.line_color),
            circle(4.5, &theme.line_color, &theme.line_color),
        ],
        Kind::Bar => vec![Mark::Box {
            rect,
            rx: 2.0,
            fill: theme.line_color.clone(),
            stroke: Some(Stroke::solid(&theme.line_color, 1.0)),
        }],
        Kind::Choice => vec![Mark::Outline {
            d: Shape::Diamond.paths(rect).0.concat(),
            fill: fill.to_string(),
            stroke: Some(Stroke {
                colour: stroke.to_string(),
                width: Some(stroke_width),
                dash: None,
            }),
        }],
        Kind::Note => vec![
            Mark::Box {
                rect,
                rx: 0.0,
                fill: d
                    .style
                    .fill
                    .as_deref()
                    .unwrap_or(&theme.note_bkg_color)
                    .to_string(),
                stroke: Some(Stroke::solid(
                    d.style
                        .stroke
                        .as_deref()
                        .unwrap_or(&theme.note_border_color),
                    1.0,
                )),
            },
            label(
                c,
                &d.title,
                d.style
                    .color
                    .as_deref()
                    .unwrap_or(&theme.note_text_color)
                    .to_string(),
                Anchor::Middle,
            ),
        ],
        Kind::Plain | Kind::WithDescriptions => {
            let mut marks = vec![Mark::Box {
                rect,
                rx: 5.0,
                fill: fill.to_string(),
                stroke: Some(Stroke {
                    colour: stroke.to_string(),
                    width: Some(stroke_width),
                    dash: d.style.stroke_dasharray.clone(),
                }),
            }];
            if d.kind == Kind::Plain {
                marks.push(label(c, &d.title, text_colour, Anchor::Middle));
                return marks;
            }
            let title_centre = rect.y + PADDING_Y + d.title.height / 2.0;
            marks.push(label(
                Point {
                    x: c.x,
                    y: title_centre,
                },
                &d.title,
                text_colour.clone(),
                Anchor::Middle,
            ));
            let line_y = rect.y + 2.0 * PADDING_Y + d.title.height;
            marks.push(Mark::Line {
                from: Point {
                    x: rect.x,
                    y: line_y,
                },
                to: Point {
                    x: rect.x + rect.width,
                    y: line_y,
                },
                stroke: Stroke::solid(stroke, 1.0),
            });
            marks.push(label(
                Point {
                    x: rect.x + PADDING_X,
                    y: line_y + PADDING_Y + d.descriptions.height / 2.0,
                },
                &d.descriptions,
                text_colour,
                Anchor::Start,
            ));
            marks
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_side_by_side_get_vertical_separators() {
        let r = |x: f64, y: f64| Rect {
            x,
            y,
            width: 50.0,
            height: 50.0,
        };
        assert_eq!(
            separators(&[r(100.0, 0.0), r(0.0, 0.0)]),
            [(50.0, 100.0, true)]
        );
        assert_eq!(
            separators(&[r(0.0, 0.0), r(20.0, 80.0)]),
            [(50.0, 80.0, false)]
        );
        assert!(separators(&[r(0.0, 0.0)]).is_empty());
    }
}
