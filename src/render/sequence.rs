//! Sequence diagrams, with their own layout: participants in a row at the top (mirrored at the
//! bottom), spaced so that every message, note and self-message label fits; one row per event
//! below; activation bars, nested fragments, autonumber circles, created and destroyed
//! participants, and boxes around participant groups, drawn as mermaid's classic theme does.
//! Laid out into a [`Scene`], painted by `paint.rs`.

use super::draw::{self, Head, SequenceHead};
use super::layout::{Point, Rect};
use super::scene::{Anchor, Cluster, Curve, Edge, Mark, Marker, Node, Scene, Stroke};
use super::svg::num;
use super::text::{self, LINE_HEIGHT};
use super::theme::is_colour;
use super::{RenderContext, Rendered};
use crate::mermaid::link::SafeUrl;
use crate::mermaid::sequence::{
    Arrow, BlockKind, Event, NotePlacement, Participant, ParticipantBox, SequenceDiagram,
};
use std::collections::HashMap;

/// Outer margin of the drawing.
const MARGIN: f64 = 10.0;
/// Smallest width of a participant's header, as mermaid's.
const ACTOR_MIN_WIDTH: f64 = 150.0;
const ACTOR_MIN_HEIGHT: f64 = 65.0;
/// Horizontal room between two participant headers.
const ACTOR_GAP: f64 = 50.0;
/// Height of the drawn figure of the icon kinds (actor, boundary, control, entity), above the
/// label.
const ICON_HEIGHT: f64 = 44.0;
/// Widest a label may be before it wraps.
const MAX_LABEL_WIDTH: f64 = 300.0;
const MAX_MESSAGE_WIDTH: f64 = 400.0;
const ACTIVATION_WIDTH: f64 = 10.0;
/// How far a fragment reaches beyond what it encloses, per nesting level.
const FRAME_PAD: f64 = 10.0;
/// Width of the loop a self-message draws right of its lifeline.
const SELF_LOOP_WIDTH: f64 = 30.0;
const NOTE_GAP: f64 = 10.0;
const GROUP_PAD: f64 = 10.0;
/// Fragment conditions are set smaller than messages.
const SMALL: f64 = 0.85;

/// A participant's place: its column and the header drawn for it.
struct Column {
    lines: Vec<String>,
    kind: String,
    width: f64,
    height: f64,
    centre: f64,
}

impl Column {
    fn is_icon(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "actor" | "boundary" | "control" | "entity"
        )
    }

    /// The rectangle the header takes with its top at `top`: the box, or the icon and its
    /// label.
    fn header(&self, top: f64) -> Rect {
        Rect {
            x: self.centre - self.width / 2.0,
            y: top,
            width: self.width,
            height: self.height,
        }
    }
}

/// A label as mermaid's sequence renderer sets it: SVG text, split at `<br>` (`label`).
pub(crate) fn clean_label(raw: &str) -> String {
    super::label::plain_lines(raw, super::label::Rules::SVG_TEXT).join("\n")
}

/// A label cleaned and wrapped to `max_width`.
fn label_lines(raw: &str, size: f64, max_width: f64) -> Vec<String> {
    let cleaned = clean_label(raw);
    if cleaned.is_empty() {
        return Vec::new();
    }
    text::wrap(&cleaned, size, false, max_width)
}

fn lines_height(lines: &[String], size: f64) -> f64 {
    lines.len() as f64 * size * LINE_HEIGHT
}

fn lines_width(lines: &[String], size: f64) -> f64 {
    lines
        .iter()
        .map(|l| text::width(l, size, false))
        .fold(0.0, f64::max)
}

/// A message placed on its row.
struct PlacedMessage {
    /// The ids of the sender and the receiver (`data-from`, `data-to`).
    from: String,
    to: String,
    from_x: f64,
    to_x: f64,
    y: f64,
    arrow: Arrow,
    lines: Vec<String>,
    self_loop: bool,
    number: Option<String>,
    central_source: bool,
    central_target: bool,
}

struct PlacedNote {
    rect: Rect,
    lines: Vec<String>,
}

/// A fragment (loop, alt, ...) while its events are placed, then drawn.
struct Frame {
    kind: BlockKind,
    label: String,
    top: f64,
    bottom: f64,
    /// (y of the dashed separator, its label).
    sections: Vec<(f64, String)>,
    left: f64,
    right: f64,
    /// How many fragments enclose this one: outer backgrounds are painted first.
    depth: usize,
}

impl Frame {
    fn rect(&self) -> Rect {
        Rect {
            x: self.left,
            y: self.top,
            width: self.right - self.left,
            height: self.bottom - self.top,
        }
    }
}

struct Activation {
    column: usize,
    depth: usize,
    top: f64,
    bottom: f64,
}

/// Keeps the horizontal reach of the open fragments up to date.
fn widen(frames: &mut [Frame], left: f64, right: f64) {
    for frame in frames {
        frame.left = frame.left.min(left);
        frame.right = frame.right.max(right);
    }
}

/// The activations open on each participant (their tops), innermost last.
type ActivationStacks = Vec<Vec<f64>>;

/// Where a message meets participant `column`'s lifeline, coming from `towards`: the edge of
/// its innermost activation bar when it has one.
fn attach_x(columns: &[Column], stacks: &ActivationStacks, column: usize, towards: f64) -> f64 {
    let centre = columns[column].centre;
    let depth = stacks[column].len();
    if depth == 0 {
        return centre;
    }
    let bar_centre = centre + (depth - 1) as f64 * ACTIVATION_WIDTH / 2.0;
    if towards >= bar_centre {
        bar_centre + ACTIVATION_WIDTH / 2.0
    } else {
        bar_centre - ACTIVATION_WIDTH / 2.0
    }
}

/// An autonumber value as mermaid prints it (`10.01`, `3`).
fn format_number(value: f64) -> String {
    let mut s = format!("{:.6}", (value * 1e6).round() / 1e6);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

/// A setting from the front matter's `config:` or an init directive, the last one written
/// winning: the value's first word, unquoted. Read by key wherever it stands, as both YAML and
/// JSON spell it `key: value` (JSON with the key quoted).
fn config_value(ctx: &RenderContext<'_>, key: &str) -> Option<String> {
    let front = ctx.prepared.front_matter.as_ref().map(|f| f.raw.as_str());
    let directives = ctx
        .prepared
        .directives
        .iter()
        .map(|(_, body)| body.as_str());
    let mut found = None;
    for text in front.into_iter().chain(directives) {
        let mut rest = text;
        while let Some(at) = rest.find(key) {
            // `key` must be a whole name, not the tail of a longer one.
            let whole = !rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            rest = &rest[at + key.len()..];
            let value = rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .strip_prefix(':')
                .map(|v| v.trim_start().trim_start_matches(['"', '\'']));
            if let (true, Some(value)) = (whole, value) {
                let end = value
                    .find(['"', '\'', ',', '}', '\n', '\r'])
                    .unwrap_or(value.len());
                found = Some(value[..end].trim().to_string());
            }
        }
    }
    found
}

/// A boolean setting (`mirrorActors`, `showSequenceNumbers`), see [`config_value`].
fn config_flag(ctx: &RenderContext<'_>, key: &str) -> Option<bool> {
    match config_value(ctx, key)?.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The colours of a sequence diagram: the theme's, overridden by mermaid's sequence theme
/// variables (`actorBkg`, `signalColor`, ...) when they hold plain colours.
struct Palette {
    background: String,
    text: String,
    actor_fill: String,
    actor_border: String,
    actor_text: String,
    lifeline: String,
    signal: String,
    signal_text: String,
    label_box_fill: String,
    label_box_border: String,
    label_text: String,
    loop_text: String,
    activation_fill: String,
    activation_border: String,
    number_text: String,
    note_fill: String,
    note_border: String,
    note_text: String,
    group_border: String,
    rect_fill: String,
}

impl Palette {
    fn for_diagram(ctx: &RenderContext<'_>) -> Palette {
        let t = &ctx.theme;
        let pick = |key: &str, default: &str| {
            config_value(ctx, key)
                .filter(|v| is_colour(v))
                .unwrap_or_else(|| default.to_string())
        };
        Palette {
            background: t.background.clone(),
            text: t.text_color.clone(),
            actor_fill: pick("actorBkg", &t.primary_color),
            actor_border: pick("actorBorder", &t.primary_border_color),
            actor_text: pick("actorTextColor", &t.primary_text_color),
            lifeline: pick("actorLineColor", &t.primary_border_color),
            signal: pick("signalColor", &t.line_color),
            signal_text: pick("signalTextColor", &t.text_color),
            label_box_fill: pick("labelBoxBkgColor", &t.primary_color),
            label_box_border: pick("labelBoxBorderColor", &t.primary_border_color),
            label_text: pick("labelTextColor", &t.text_color),
            loop_text: pick("loopTextColor", &t.text_color),
            activation_fill: pick("activationBkgColor", &t.secondary_color),
            activation_border: pick("activationBorderColor", &t.primary_border_color),
            number_text: pick("sequenceNumberColor", &t.background),
            note_fill: t.note_bkg_color.clone(),
            note_border: t.note_border_color.clone(),
            note_text: t.note_text_color.clone(),
            group_border: t.cluster_border.clone(),
            rect_fill: t.tertiary_color.clone(),
        }
    }
}

/// A participant's column before it is placed: its wrapped label and its header's size.
fn unplaced_column(p: &Participant, size: f64) -> Column {
    let lines = label_lines(&p.label, size, MAX_LABEL_WIDTH);
    let (w, h) = (lines_width(&lines, size), lines_height(&lines, size));
    let mut column = Column {
        lines,
        kind: p.kind.clone(),
        width: (w + 30.0).max(ACTOR_MIN_WIDTH),
        height: (h + 30.0).max(ACTOR_MIN_HEIGHT),
        centre: 0.0,
    };
    if column.is_icon() {
        column.height = ICON_HEIGHT + h + 8.0;
    }
    column
}

/// The least distance between the centres of two columns, left one first.
type Spacing = (usize, usize, f64);

/// The room messages and notes need between columns: a message's label between its ends, a
/// self-message's loop and label right of its column, a note beside or over its participant.
fn event_spacing(d: &SequenceDiagram, index: &HashMap<&str, usize>, size: f64) -> Vec<Spacing> {
    let n = d.participants.len();
    let mut spacing = Vec::new();
    for event in &d.events {
        match event {
            Event::Message {
                from, to, text: t, ..
            } => {
                let (Some(&a), Some(&b)) = (index.get(from.as_str()), index.get(to.as_str()))
                else {
                    continue;
                };
                let lines = label_lines(t, size, MAX_MESSAGE_WIDTH);
                let w = lines_width(&lines, size);
                if a == b {
                    if a + 1 < n {
                        spacing.push((a, a + 1, w + SELF_LOOP_WIDTH + 20.0));
                    }
                } else {
                    spacing.push((a.min(b), a.max(b), w + 40.0 + 2.0 * ACTIVATION_WIDTH));
                }
            }
            Event::Note {
                placement,
                actors,
                text: t,
                no_wrap,
            } => {
                let ids: Vec<usize> = actors
                    .iter()
                    .filter_map(|a| index.get(a.as_str()).copied())
                    .collect();
                let Some(&first) = ids.first() else {
                    continue;
                };
                let wrap_width = if *no_wrap {
                    f64::INFINITY
                } else {
                    MAX_LABEL_WIDTH
                };
                let w = note_width(&label_lines(t, size, wrap_width), size);
                match placement {
                    NotePlacement::LeftOf if first > 0 => {
                        spacing.push((first - 1, first, w + 2.0 * NOTE_GAP))
                    }
                    NotePlacement::RightOf if first + 1 < n => {
                        spacing.push((first, first + 1, w + 2.0 * NOTE_GAP))
                    }
                    NotePlacement::Over if ids.len() == 1 => {
                        if first > 0 {
                            spacing.push((first - 1, first, w / 2.0 + NOTE_GAP));
                        }
                        if first + 1 < n {
                            spacing.push((first, first + 1, w / 2.0 + NOTE_GAP));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    spacing
}

/// The room a group's label needs: it may be wider than its members, and the next column
/// keeps clear of it.
fn group_label_spacing(
    d: &SequenceDiagram,
    index: &HashMap<&str, usize>,
    columns: &[Column],
    size: f64,
) -> Vec<Spacing> {
    let mut spacing = Vec::new();
    for group in &d.boxes {
        let Some(label) = &group.label else {
            continue;
        };
        let members = group
            .members
            .iter()
            .filter_map(|m| index.get(m.as_str()).copied());
        let (Some(first), Some(last)) = (members.clone().min(), members.max()) else {
            continue;
        };
        if last + 1 < columns.len() {
            let label_w = lines_width(&label_lines(label, size, f64::INFINITY), size);
            let distance = label_w + 20.0 + 2.0 * GROUP_PAD + ACTOR_GAP / 2.0
                - columns[first].width / 2.0
                + columns[last + 1].width / 2.0;
            spacing.push((first, last + 1, distance));
        }
    }
    spacing
}

/// The participants' columns: header sizes first, then centres far enough apart for what lies
/// between them (messages, notes, self-message labels, group labels).
fn place_columns(d: &SequenceDiagram, index: &HashMap<&str, usize>, size: f64) -> Vec<Column> {
    let mut columns: Vec<Column> = d
        .participants
        .iter()
        .map(|p| unplaced_column(p, size))
        .collect();
    let mut spacing = event_spacing(d, index, size);
    spacing.extend(group_label_spacing(d, index, &columns, size));
    for j in 0..columns.len() {
        let mut centre = if j == 0 {
            columns[0].width / 2.0
        } else {
            columns[j - 1].centre + (columns[j - 1].width + columns[j].width) / 2.0 + ACTOR_GAP
        };
        for &(a, b, distance) in &spacing {
            if b == j {
                centre = centre.max(columns[a].centre + distance);
            }
        }
        columns[j].centre = centre;
    }
    columns
}

/// Everything placed along the diagram's timeline.
struct Timeline {
    messages: Vec<PlacedMessage>,
    notes: Vec<PlacedNote>,
    frames: Vec<Frame>,
    activations: Vec<Activation>,
    /// Top of a created participant's header, on the row of its creating message.
    created_at: Vec<Option<f64>>,
    /// Where a destroyed participant's lifeline ends in a cross.
    destroyed_at: Vec<Option<f64>>,
    /// The rightmost point reached by labels, notes and fragments.
    right_reach: f64,
    /// Where the mirrored headers start.
    bottom_row: f64,
}

/// Places the events one row each, from `start_y` down: messages, notes, activation bars,
/// fragments with their sections, autonumbers, created and destroyed participants.
fn place_events(
    d: &SequenceDiagram,
    index: &HashMap<&str, usize>,
    columns: &[Column],
    size: f64,
    start_y: f64,
    show_numbers: bool,
) -> Timeline {
    let mut placer = Placer::new(d, index, columns, size, start_y, show_numbers);
    for (event_index, event) in d.events.iter().enumerate() {
        placer.place(event_index, event);
    }
    placer.finish()
}

/// The row-by-row placement under way: where the next row starts, what is still open
/// (fragments, activations) and how the messages are numbered.
struct Placer<'a> {
    d: &'a SequenceDiagram,
    index: &'a HashMap<&'a str, usize>,
    columns: &'a [Column],
    size: f64,
    /// The top of the next row.
    y: f64,
    /// The last message event each participant takes part in: a destroyed participant's
    /// lifeline ends there.
    last_message_of: Vec<Option<usize>>,
    open_frames: Vec<Frame>,
    stacks: ActivationStacks,
    /// Activations start and end at the last message's arrow.
    last_arrow_y: Option<f64>,
    /// The next number and the step. mermaid counts every message, shown or not: `autonumber
    /// off` hides the numbers and a later `autonumber` without a start shows them again from
    /// where the count stands.
    counter: (f64, f64),
    numbers_shown: bool,
    placed: Timeline,
}

impl<'a> Placer<'a> {
    fn new(
        d: &'a SequenceDiagram,
        index: &'a HashMap<&'a str, usize>,
        columns: &'a [Column],
        size: f64,
        start_y: f64,
        show_numbers: bool,
    ) -> Placer<'a> {
        let n = columns.len();
        let mut last_message_of = vec![None; n];
        for (i, event) in d.events.iter().enumerate() {
            if let Event::Message { from, to, .. } = event {
                for id in [from, to] {
                    if let Some(&c) = index.get(id.as_str()) {
                        last_message_of[c] = Some(i);
                    }
                }
            }
        }
        Placer {
            d,
            index,
            columns,
            size,
            y: start_y,
            last_message_of,
            open_frames: Vec::new(),
            stacks: vec![Vec::new(); n],
            last_arrow_y: None,
            counter: (1.0, 1.0),
            numbers_shown: show_numbers,
            placed: Timeline {
                messages: Vec::new(),
                notes: Vec::new(),
                frames: Vec::new(),
                activations: Vec::new(),
                created_at: vec![None; n],
                destroyed_at: vec![None; n],
                right_reach: 0.0,
                bottom_row: 0.0,
            },
        }
    }

    fn column_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    fn place(&mut self, event_index: usize, event: &Event) {
        match event {
            Event::Message { .. } => self.message(event_index, event),
            Event::Note {
                placement,
                actors,
                text,
                no_wrap,
            } => self.note(*placement, actors, text, *no_wrap),
            Event::Activate { actor } => {
                if let Some(c) = self.column_of(actor) {
                    self.stacks[c].push(self.last_arrow_y.unwrap_or(self.y));
                }
            }
            Event::Deactivate { actor } => {
                if let Some(c) = self.column_of(actor) {
                    let at = self.last_arrow_y.unwrap_or(self.y);
                    close_activation(&mut self.stacks, &mut self.placed.activations, c, at);
                }
            }
            Event::CentralConnection { .. } => {}
            Event::Autonumber {
                start,
                step,
                visible,
            } => {
                // A start or step of 0 keeps the current one, as in mermaid (`start || index`).
                let parse = |s: &Option<String>| {
                    s.as_deref()
                        .and_then(|v| v.parse::<f64>().ok())
                        .filter(|v| *v != 0.0)
                };
                self.counter = (
                    parse(start).unwrap_or(self.counter.0),
                    parse(step).unwrap_or(self.counter.1),
                );
                self.numbers_shown = *visible;
            }
            Event::BlockStart { kind, label } => self.open_frame(*kind, label),
            Event::BlockSection { label, .. } => self.section(label),
            Event::BlockEnd { .. } => self.close_frame(),
        }
    }

    /// Widens the open fragments and the drawing to hold `left..right`.
    fn reach(&mut self, left: f64, right: f64) {
        widen(&mut self.open_frames, left, right);
        self.placed.right_reach = self.placed.right_reach.max(right);
    }

    /// A message on its own row: its label above the arrow, which meets the activation bars;
    /// the first message to a created participant brings its header onto the row.
    fn message(&mut self, event_index: usize, event: &Event) {
        // Called with messages only.
        let Event::Message {
            from,
            to,
            arrow,
            text: t,
            activates_target,
            central_source,
            central_target,
            ..
        } = event
        else {
            return;
        };
        let (Some(a), Some(b)) = (self.column_of(from), self.column_of(to)) else {
            return;
        };
        let (columns, size, y) = (self.columns, self.size, self.y);
        let lines = label_lines(t, size, MAX_MESSAGE_WIDTH);
        let mut arrow_y = y + lines_height(&lines, size) + 8.0;
        let number = self.numbers_shown.then(|| format_number(self.counter.0));
        self.counter.0 += self.counter.1;
        let self_loop = a == b;
        let (from_x, mut to_x);
        if self_loop {
            from_x = attach_x(columns, &self.stacks, a, f64::INFINITY);
            to_x = from_x;
            let right = from_x + SELF_LOOP_WIDTH.max(lines_width(&lines, size) + 10.0);
            self.reach(columns[a].centre, right);
        } else {
            from_x = attach_x(columns, &self.stacks, a, columns[b].centre);
            // `A->>+B`: the activation (its own event, next) starts here, and the arrow
            // already meets its bar.
            if *activates_target {
                self.stacks[b].push(y);
            }
            to_x = attach_x(columns, &self.stacks, b, columns[a].centre);
            if *activates_target {
                self.stacks[b].pop();
            }
            widen(&mut self.open_frames, from_x.min(to_x), from_x.max(to_x));
        }
        let first_to_created =
            self.d.participants[b].created && self.placed.created_at[b].is_none();
        if first_to_created && !self_loop {
            arrow_y = arrow_y.max(y + columns[b].height / 2.0 + 4.0);
            self.placed.created_at[b] = Some(arrow_y - columns[b].height / 2.0);
            // An icon is narrower than its column: the arrow stops at the figure.
            let half = if columns[b].is_icon() {
                20.0
            } else {
                columns[b].width / 2.0
            };
            to_x = if from_x < columns[b].centre {
                columns[b].centre - half
            } else {
                columns[b].centre + half
            };
        }
        for c in [a, b] {
            if self.d.participants[c].destroyed && self.last_message_of[c] == Some(event_index) {
                self.placed.destroyed_at[c] = Some(arrow_y);
            }
        }
        self.placed.messages.push(PlacedMessage {
            from: from.clone(),
            to: to.clone(),
            from_x,
            to_x,
            y: arrow_y,
            arrow: *arrow,
            lines,
            self_loop,
            number,
            central_source: *central_source,
            central_target: *central_target,
        });
        self.last_arrow_y = Some(arrow_y);
        let loop_room = if self_loop { 20.0 } else { 0.0 };
        let header_room = if first_to_created {
            columns[b].height / 2.0
        } else {
            0.0
        };
        self.y = arrow_y + loop_room + header_room + 16.0;
    }

    /// A note on its own row, beside or over its participants.
    fn note(&mut self, placement: NotePlacement, actors: &[String], text: &str, no_wrap: bool) {
        let ids: Vec<usize> = actors.iter().filter_map(|a| self.column_of(a)).collect();
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return;
        };
        let (size, columns) = (self.size, self.columns);
        let (left, right) = (
            columns[first].centre.min(columns[last].centre),
            columns[first].centre.max(columns[last].centre),
        );
        // A note over several participants may use all the room they span.
        let wrap_width = if no_wrap {
            f64::INFINITY
        } else if placement == NotePlacement::Over && first != last {
            MAX_LABEL_WIDTH.max(right - left + 30.0)
        } else {
            MAX_LABEL_WIDTH
        };
        let lines = label_lines(text, size, wrap_width);
        let w = note_width(&lines, size);
        let h = lines_height(&lines, size).max(size * LINE_HEIGHT) + 16.0;
        let x = match placement {
            NotePlacement::LeftOf => left - NOTE_GAP - w,
            NotePlacement::RightOf => left + NOTE_GAP,
            NotePlacement::Over if first == last => left - w / 2.0,
            NotePlacement::Over => ((left + right) / 2.0 - w / 2.0).min(left - 25.0),
        };
        let width = match placement {
            NotePlacement::Over if first != last => w.max(right - left + 50.0),
            _ => w,
        };
        let rect = Rect {
            x,
            y: self.y + 4.0,
            width,
            height: h,
        };
        self.reach(rect.x, rect.x + rect.width);
        self.placed.notes.push(PlacedNote { rect, lines });
        self.y = rect.y + rect.height + 12.0;
    }

    /// A fragment opens: its kind tab and condition take the first row.
    fn open_frame(&mut self, kind: BlockKind, label: &str) {
        let (size, small) = (self.size, self.size * SMALL);
        // A `rect`'s label is its colour, taken as written.
        let label = if kind == BlockKind::Rect {
            label.to_string()
        } else {
            clean_label(label)
        };
        let header = if kind == BlockKind::Rect {
            10.0
        } else {
            let condition = label_lines(&label, small, MAX_MESSAGE_WIDTH);
            lines_height(&condition, small).max(size * LINE_HEIGHT) + 14.0
        };
        self.open_frames.push(Frame {
            kind,
            label,
            top: self.y,
            bottom: self.y,
            sections: Vec::new(),
            left: f64::INFINITY,
            right: f64::NEG_INFINITY,
            depth: self.open_frames.len(),
        });
        self.y += header;
    }

    /// A fragment's next section (`else`, `and`, `option`): a dashed line and its condition.
    fn section(&mut self, label: &str) {
        let (size, small) = (self.size, self.size * SMALL);
        let label = clean_label(label);
        let row = if label.is_empty() {
            10.0
        } else {
            let condition = label_lines(&label, small, MAX_MESSAGE_WIDTH);
            lines_height(&condition, small).max(size * LINE_HEIGHT) + 10.0
        };
        if let Some(frame) = self.open_frames.last_mut() {
            frame.sections.push((self.y, label));
        }
        self.y += row;
    }

    /// The innermost fragment closes: it reaches around what it holds and its top line.
    fn close_frame(&mut self) {
        let Some(mut frame) = self.open_frames.pop() else {
            return;
        };
        let small = self.size * SMALL;
        if !frame.left.is_finite() {
            let first = self.columns.first().map_or(0.0, |c| c.centre);
            frame.left = first - ACTOR_MIN_WIDTH / 2.0;
            frame.right = first + ACTOR_MIN_WIDTH / 2.0;
        }
        frame.left -= FRAME_PAD;
        frame.right += FRAME_PAD;
        // Room for the kind tab and the condition on the top line.
        let needed = frame_header_width(&frame, small)
            + frame
                .sections
                .iter()
                .map(|(_, l)| text::width(&format!("[{l}]"), small, false) + 20.0)
                .fold(0.0, f64::max);
        if frame.right - frame.left < needed {
            frame.right = frame.left + needed;
        }
        frame.bottom = self.y;
        self.reach(frame.left, frame.right);
        self.placed.frames.push(frame);
        self.y += 10.0;
    }

    /// The timeline, with the activations still open closed at the bottom (or where a
    /// destroyed participant's lifeline ends).
    fn finish(mut self) -> Timeline {
        // Fragments in nesting order, outer ones first, as they are painted.
        self.placed.frames.sort_by_key(|f| f.depth);
        let bottom_row = self.y + 10.0;
        for (c, stack) in self.stacks.iter_mut().enumerate() {
            while let Some(start) = stack.pop() {
                self.placed.activations.push(Activation {
                    column: c,
                    depth: stack.len(),
                    top: start,
                    bottom: self.placed.destroyed_at[c]
                        .unwrap_or(bottom_row - 10.0)
                        .max(start + 10.0),
                });
            }
        }
        self.placed.bottom_row = bottom_row;
        self.placed
    }
}

/// Each participant's link target: the first of its `link`/`links` entries that is safe (the
/// `link_safety` lint reports the others).
fn participant_links(d: &SequenceDiagram) -> Vec<Option<SafeUrl>> {
    d.participants
        .iter()
        .map(|p| p.links.iter().find_map(|link| SafeUrl::check(&link.url)))
        .collect()
}

pub fn render(d: &SequenceDiagram, ctx: &RenderContext<'_>) -> Rendered {
    Rendered::painted(layout(d, ctx), &ctx.id_prefix, ctx.hooks)
}

/// The bands above and below the timeline: the title, the group labels, the headers, and
/// the mirrored headers at the bottom.
struct Bands {
    title_lines: Vec<String>,
    group_label_height: f64,
    /// The top of the participants' headers.
    top: f64,
    /// The tallest header of a participant there from the start.
    header_height: f64,
    /// Whether every participant, created ones too, is drawn again at the bottom.
    mirrored: bool,
    footer_height: f64,
}

impl Bands {
    fn new(
        d: &SequenceDiagram,
        ctx: &RenderContext<'_>,
        columns: &[Column],
        title: Option<&str>,
        size: f64,
    ) -> Bands {
        let title_lines = title
            .map(|t| label_lines(t, size, f64::INFINITY))
            .unwrap_or_default();
        let title_height = if title_lines.is_empty() {
            0.0
        } else {
            lines_height(&title_lines, size) + 10.0
        };
        let group_label_height = if d.boxes.iter().any(|b| b.label.is_some()) {
            size * LINE_HEIGHT + 6.0
        } else if d.boxes.is_empty() {
            0.0
        } else {
            GROUP_PAD
        };
        let header_height = d
            .participants
            .iter()
            .zip(columns)
            .filter(|(p, _)| !p.created)
            .map(|(_, c)| c.height)
            .fold(ACTOR_MIN_HEIGHT, f64::max);
        let mirrored = config_flag(ctx, "mirrorActors") != Some(false);
        let footer_height = if mirrored {
            columns
                .iter()
                .map(|c| c.height)
                .fold(ACTOR_MIN_HEIGHT, f64::max)
        } else {
            0.0
        };
        Bands {
            title_lines,
            group_label_height,
            top: MARGIN + title_height + group_label_height,
            header_height,
            mirrored,
            footer_height,
        }
    }
}

/// The drawing of a sequence diagram, laid out row by row.
pub fn layout(d: &SequenceDiagram, ctx: &RenderContext<'_>) -> Scene {
    let drawn = SequenceDiagram {
        boxes: d.boxes.iter().map(ParticipantBox::drawn).collect(),
        ..d.clone()
    };
    let d = &drawn;
    let colours = Palette::for_diagram(ctx);
    let size = ctx.theme.font_size;
    let index: HashMap<&str, usize> = d
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let columns = place_columns(d, &index, size);
    // `title` in the diagram, else the front matter's.
    let title = d.title.as_deref().or_else(|| {
        ctx.prepared
            .front_matter
            .as_ref()
            .and_then(|f| f.title.as_deref())
    });
    let bands = Bands::new(d, ctx, &columns, title, size);
    let show_numbers = config_flag(ctx, "showSequenceNumbers") == Some(true);
    let first_row = bands.top + bands.header_height + 20.0;
    let timeline = place_events(d, &index, &columns, size, first_row, show_numbers);
    let group_bottom = timeline.bottom_row + bands.footer_height + GROUP_PAD;
    let group_rects: Vec<Rect> = d
        .boxes
        .iter()
        .map(|group| {
            let rows = bands.top - bands.group_label_height..group_bottom;
            group_rect(group, &index, &columns, size, rows)
        })
        .collect();
    let (min_x, max_x) =
        horizontal_extent(&columns, &timeline, &group_rects, &bands.title_lines, size);
    let width = max_x - min_x + 2.0 * MARGIN;
    let group_pad = if d.boxes.is_empty() { 0.0 } else { GROUP_PAD };
    let height = timeline.bottom_row + bands.footer_height + group_pad + MARGIN;

    // Laid out back to front: the title in the picture's own coordinates; participant groups
    // (the clusters), then `rect` backgrounds, lifelines, activation bars and fragments; messages
    // (with their numbers) as edges; notes over them; participants as nodes.
    let mut scene = Scene {
        width,
        height,
        // Everything moved right of the margin.
        origin: Point {
            x: MARGIN - min_x,
            y: 0.0,
        },
        title: title.or(d.acc_title.as_deref()).map(str::to_string),
        description: d.acc_descr.clone(),
        background: colours.background.clone(),
        ..Scene::default()
    };
    if !bands.title_lines.is_empty() {
        let at = Point {
            x: width / 2.0,
            y: MARGIN + lines_height(&bands.title_lines, size) / 2.0,
        };
        let lines = bands.title_lines.clone();
        let title = Mark::text(at, lines, size, &colours.text, Anchor::Middle);
        scene.fixed.push(title.bold());
    }
    // A group has no id in mermaid: its hook is its place among the groups.
    scene.clusters = (d.boxes.iter().zip(&group_rects).enumerate())
        .map(|(n, (group, rect))| Cluster {
            id: format!("box-{}", n + 1),
            rect: *rect,
            marks: group_marks(group, *rect, &colours, size),
        })
        .collect();
    scene.underlay.extend(timeline_marks(
        &columns, &timeline, bands.top, &colours, size,
    ));
    scene.edges = timeline
        .messages
        .iter()
        .map(|m| message_edge(m, &colours, size))
        .collect();
    scene.overlay = note_marks(&timeline.notes, &colours, size);
    scene.nodes = participant_nodes(d, &columns, &timeline, &bands, &colours, size);
    scene
}

/// What the timeline draws under the messages: `rect` backgrounds first, then lifelines
/// (from the headers, which start at `top` unless created later), activation bars and the
/// other fragments, outer ones first.
fn timeline_marks(
    columns: &[Column],
    timeline: &Timeline,
    top: f64,
    colours: &Palette,
    size: f64,
) -> Vec<Mark> {
    let mut marks = Vec::new();
    for frame in timeline.frames.iter().filter(|f| f.kind == BlockKind::Rect) {
        let fill = if is_colour(&frame.label) {
            frame.label.as_str()
        } else {
            &colours.rect_fill
        };
        marks.push(Mark::Box {
            rect: frame.rect(),
            rx: 0.0,
            fill: fill.to_string(),
            stroke: None,
        });
    }
    for (c, column) in columns.iter().enumerate() {
        let start = timeline.created_at[c].unwrap_or(top) + column.height;
        let end = timeline.destroyed_at[c].unwrap_or(timeline.bottom_row);
        if end > start {
            marks.push(Mark::Line {
                from: Point {
                    x: column.centre,
                    y: start,
                },
                to: Point {
                    x: column.centre,
                    y: end,
                },
                stroke: Stroke::solid(&colours.lifeline, 1.0),
            });
        }
    }
    for bar in &timeline.activations {
        let centre = columns[bar.column].centre + bar.depth as f64 * ACTIVATION_WIDTH / 2.0;
        marks.push(Mark::Box {
            rect: Rect {
                x: centre - ACTIVATION_WIDTH / 2.0,
                y: bar.top,
                width: ACTIVATION_WIDTH,
                height: bar.bottom - bar.top,
            },
            rx: 0.0,
            fill: colours.activation_fill.clone(),
            stroke: Some(Stroke::thin(&colours.activation_border)),
        });
    }
    for frame in timeline.frames.iter().filter(|f| f.kind != BlockKind::Rect) {
        marks.extend(frame_marks(frame, colours, size * SMALL));
    }
    marks
}

/// The notes: each a box with its lines centred in it.
fn note_marks(notes: &[PlacedNote], colours: &Palette, size: f64) -> Vec<Mark> {
    let mut marks = Vec::new();
    for note in notes {
        marks.push(Mark::Box {
            rect: note.rect,
            rx: 0.0,
            fill: colours.note_fill.clone(),
            stroke: Some(Stroke::thin(&colours.note_border)),
        });
        let lines = note.lines.clone();
        let at = note.rect.centre();
        marks.push(Mark::text(
            at,
            lines,
            size,
            &colours.note_text,
            Anchor::Middle,
        ));
    }
    marks
}

/// The participants as nodes: headers at the top (or on their creating row) and mirrored at
/// the bottom; destroyed participants end in a cross instead. A node's box is its top header.
fn participant_nodes(
    d: &SequenceDiagram,
    columns: &[Column],
    timeline: &Timeline,
    bands: &Bands,
    colours: &Palette,
    size: f64,
) -> Vec<Node> {
    let links = participant_links(d);
    let mut nodes = Vec::new();
    for (c, column) in columns.iter().enumerate() {
        let header = column.header(timeline.created_at[c].unwrap_or(bands.top));
        let mut marks = participant_marks(column, header, colours, size);
        match timeline.destroyed_at[c] {
            Some(at) => marks.push(destroyed_cross(column.centre, at, colours)),
            None if bands.mirrored => {
                let footer = column.header(timeline.bottom_row);
                marks.extend(participant_marks(column, footer, colours, size));
            }
            None => {}
        }
        nodes.push(Node {
            id: d.participants[c].id.clone(),
            label: column.lines.join("\n"),
            rect: header,
            marks,
            link: links[c].clone(),
            link_target: None,
        });
    }
    nodes
}

/// The box of a participant group: its members' columns and its label, across `rows`.
fn group_rect(
    group: &ParticipantBox,
    index: &HashMap<&str, usize>,
    columns: &[Column],
    size: f64,
    rows: std::ops::Range<f64>,
) -> Rect {
    let members: Vec<&Column> = group
        .members
        .iter()
        .filter_map(|m| index.get(m.as_str()).map(|&i| &columns[i]))
        .collect();
    let left = members
        .iter()
        .map(|c| c.centre - c.width / 2.0)
        .fold(f64::INFINITY, f64::min);
    let right = members
        .iter()
        .map(|c| c.centre + c.width / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let (left, right) = if left.is_finite() {
        (left, right)
    } else {
        (0.0, 0.0)
    };
    let label_w = group.label.as_deref().map_or(0.0, |l| {
        lines_width(&label_lines(l, size, f64::INFINITY), size) + 20.0
    });
    Rect {
        x: left - GROUP_PAD,
        y: rows.start,
        width: (right - left + 2.0 * GROUP_PAD).max(label_w),
        height: rows.end - rows.start,
    }
}

/// The leftmost and rightmost points of everything drawn (headers, labels, notes, groups,
/// fragments), and wide enough for the title.
fn horizontal_extent(
    columns: &[Column],
    timeline: &Timeline,
    group_rects: &[Rect],
    title_lines: &[String],
    size: f64,
) -> (f64, f64) {
    let mut min_x = f64::INFINITY;
    let mut max_x = timeline.right_reach;
    for c in columns {
        min_x = min_x.min(c.centre - c.width / 2.0);
        max_x = max_x.max(c.centre + c.width / 2.0);
    }
    for r in timeline
        .notes
        .iter()
        .map(|n| n.rect)
        .chain(group_rects.iter().copied())
        .chain(timeline.frames.iter().map(Frame::rect))
    {
        min_x = min_x.min(r.x);
        max_x = max_x.max(r.x + r.width);
    }
    if !min_x.is_finite() {
        // Nothing to draw but perhaps a title.
        min_x = 0.0;
        max_x = max_x.max(ACTOR_MIN_WIDTH);
    }
    let title_width = lines_width(title_lines, size);
    if max_x - min_x < title_width {
        max_x = min_x + title_width;
    }
    (min_x, max_x)
}

/// A participant group's box, filled with its colour, and its label.
fn group_marks(group: &ParticipantBox, rect: Rect, colours: &Palette, size: f64) -> Vec<Mark> {
    let fill = if group.color != "transparent" && is_colour(&group.color) {
        group.color.as_str()
    } else {
        "none"
    };
    let mut marks = vec![Mark::Box {
        rect,
        rx: 0.0,
        fill: fill.to_string(),
        stroke: Some(Stroke::thin(&colours.group_border)),
    }];
    if let Some(label) = &group.label {
        let at = Point {
            x: rect.x + rect.width / 2.0,
            y: rect.y + 3.0 + size * LINE_HEIGHT / 2.0,
        };
        let lines = label_lines(label, size, f64::INFINITY);
        let colour = text_colour_on(fill).unwrap_or(&colours.text);
        marks.push(Mark::text(at, lines, size, colour, Anchor::Middle));
    }
    marks
}

/// The cross that ends a destroyed participant's lifeline at `y`.
fn destroyed_cross(x: f64, y: f64, colours: &Palette) -> Mark {
    let arm = 9.0;
    let cross = format!(
        "M{},{} L{},{} M{},{} L{},{}",
        num(x - arm),
        num(y - arm),
        num(x + arm),
        num(y + arm),
        num(x + arm),
        num(y - arm),
        num(x - arm),
        num(y + arm)
    );
    Mark::Outline {
        d: cross,
        fill: "none".to_string(),
        stroke: Some(Stroke::solid(&colours.signal, 2.0)),
    }
}

/// A text colour that reads on `fill` (dark on light, light on dark), when `fill` is a
/// `#hex` or `rgb()` colour whose lightness can be told.
fn text_colour_on(fill: &str) -> Option<&'static str> {
    let fill = fill.trim();
    const DARK_NAMES: [&str; 16] = [
        "black",
        "blue",
        "brown",
        "darkblue",
        "darkgreen",
        "darkred",
        "darkslategray",
        "gray",
        "green",
        "grey",
        "indigo",
        "maroon",
        "navy",
        "olive",
        "purple",
        "teal",
    ];
    if DARK_NAMES.contains(&fill.to_ascii_lowercase().as_str()) {
        return Some("#eeeeee");
    }
    let (r, g, b) = if let Some(hex) = fill.strip_prefix('#') {
        let digit = |i: usize, len: usize| {
            u8::from_str_radix(hex.get(i * len..i * len + len)?, 16)
                .ok()
                .map(|v| if len == 1 { v * 17 } else { v })
        };
        match hex.len() {
            3 | 4 => (digit(0, 1)?, digit(1, 1)?, digit(2, 1)?),
            6 | 8 => (digit(0, 2)?, digit(1, 2)?, digit(2, 2)?),
            _ => return None,
        }
    } else {
        let args = fill
            .strip_prefix("rgba(")
            .or_else(|| fill.strip_prefix("rgb("))?
            .strip_suffix(')')?;
        let mut channels = args.split(',').map(|c| c.trim().parse::<f64>().ok());
        let mut next = || channels.next().flatten().map(|v| v.clamp(0.0, 255.0) as u8);
        (next()?, next()?, next()?)
    };
    let lightness = (0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b)) / 255.0;
    Some(if lightness > 0.5 {
        "#333333"
    } else {
        "#eeeeee"
    })
}

fn note_width(lines: &[String], size: f64) -> f64 {
    (lines_width(lines, size) + 20.0).max(100.0)
}

/// Ends participant `column`'s innermost activation at `at` (nothing when none is open).
fn close_activation(
    stacks: &mut ActivationStacks,
    activations: &mut Vec<Activation>,
    column: usize,
    at: f64,
) {
    if let Some(top) = stacks[column].pop() {
        activations.push(Activation {
            column,
            depth: stacks[column].len(),
            top,
            bottom: at.max(top + 10.0),
        });
    }
}

fn frame_keyword(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Loop => "loop",
        BlockKind::Rect => "",
        BlockKind::Opt => "opt",
        BlockKind::Alt => "alt",
        BlockKind::Par | BlockKind::ParOver => "par",
        BlockKind::Critical => "critical",
        BlockKind::Break => "break",
    }
}

/// Width of a fragment's top line: the kind tab and the bracketed condition.
fn frame_header_width(frame: &Frame, size: f64) -> f64 {
    let tab = text::width(frame_keyword(frame.kind), size, true) + 24.0;
    let condition = if frame.label.is_empty() {
        0.0
    } else {
        text::width(&format!("[{}]", frame.label), size, false) + 20.0
    };
    tab + condition
}

fn frame_marks(frame: &Frame, colours: &Palette, size: f64) -> Vec<Mark> {
    let mut marks = Vec::new();
    let dashed = |marks: &mut Vec<Mark>, x1: f64, y1: f64, x2: f64, y2: f64| {
        marks.push(Mark::Line {
            from: Point { x: x1, y: y1 },
            to: Point { x: x2, y: y2 },
            stroke: Stroke::solid(&colours.label_box_border, 2.0).dashed("2,2"),
        });
    };
    let (l, r, t, b) = (frame.left, frame.right, frame.top, frame.bottom);
    dashed(&mut marks, l, t, r, t);
    dashed(&mut marks, r, t, r, b);
    dashed(&mut marks, r, b, l, b);
    dashed(&mut marks, l, b, l, t);
    let keyword = frame_keyword(frame.kind);
    let tab_w = text::width(keyword, size, true) + 16.0;
    let tab_h = size * LINE_HEIGHT + 4.0;
    marks.push(Mark::Outline {
        d: format!(
            "M{},{} L{},{} L{},{} L{},{} L{},{} Z",
            num(l),
            num(t),
            num(l + tab_w),
            num(t),
            num(l + tab_w),
            num(t + tab_h - 6.0),
            num(l + tab_w - 6.0),
            num(t + tab_h),
            num(l),
            num(t + tab_h)
        ),
        fill: colours.label_box_fill.clone(),
        stroke: Some(Stroke::thin(&colours.label_box_border)),
    });
    let tab_centre = Point {
        x: l + tab_w / 2.0,
        y: t + tab_h / 2.0,
    };
    let keyword = vec![keyword.to_string()];
    marks.push(
        Mark::text(
            tab_centre,
            keyword,
            size,
            &colours.label_text,
            Anchor::Middle,
        )
        .bold(),
    );
    // A condition in brackets, its block of lines starting 4 below `y`.
    let condition = |label: &str, x: f64, y: f64| {
        let lines = label_lines(&format!("[{label}]"), size, MAX_MESSAGE_WIDTH);
        let at = Point {
            x,
            y: y + 4.0 + lines_height(&lines, size) / 2.0,
        };
        Mark::text(at, lines, size, &colours.loop_text, Anchor::Middle)
    };
    if !frame.label.is_empty() {
        marks.push(condition(&frame.label, (l + tab_w + r) / 2.0, t));
    }
    for (y, label) in &frame.sections {
        dashed(&mut marks, l, *y, r, *y);
        if !label.is_empty() {
            marks.push(condition(label, (l + r) / 2.0, *y));
        }
    }
    marks
}

/// (dotted, head at the start, head at the end) of an arrow type. A head at the start is
/// turned round (`auto-start-reverse`), which swaps its top and bottom halves: the reversed
/// half arrows name the opposite half so as to be drawn on their own side.
fn arrow_style(arrow: Arrow) -> (bool, Option<SequenceHead>, Option<SequenceHead>) {
    use Arrow::*;
    use SequenceHead::{Cross, Filled, HalfBottom, HalfTop, Open};
    let (stick_top, stick_bottom) = (SequenceHead::StickTop, SequenceHead::StickBottom);
    match arrow {
        Solid => (false, None, Some(Filled)),
        Dotted => (true, None, Some(Filled)),
        SolidCross => (false, None, Some(Cross)),
        DottedCross => (true, None, Some(Cross)),
        SolidOpen => (false, None, None),
        DottedOpen => (true, None, None),
        SolidPoint => (false, None, Some(Open)),
        DottedPoint => (true, None, Some(Open)),
        BidirectionalSolid => (false, Some(Filled), Some(Filled)),
        BidirectionalDotted => (true, Some(Filled), Some(Filled)),
        SolidTop => (false, None, Some(HalfTop)),
        SolidBottom => (false, None, Some(HalfBottom)),
        StickTop => (false, None, Some(stick_top)),
        StickBottom => (false, None, Some(stick_bottom)),
        SolidTopReverse => (false, Some(HalfBottom), None),
        SolidBottomReverse => (false, Some(HalfTop), None),
        StickTopReverse => (false, Some(stick_bottom), None),
        StickBottomReverse => (false, Some(stick_top), None),
        SolidTopDotted => (true, None, Some(HalfTop)),
        SolidBottomDotted => (true, None, Some(HalfBottom)),
        StickTopDotted => (true, None, Some(stick_top)),
        StickBottomDotted => (true, None, Some(stick_bottom)),
        SolidTopReverseDotted => (true, Some(HalfBottom), None),
        SolidBottomReverseDotted => (true, Some(HalfTop), None),
        StickTopReverseDotted => (true, Some(stick_bottom), None),
        StickBottomReverseDotted => (true, Some(stick_top), None),
    }
}

/// A message as an edge between its participants: a straight line, or a loop back to its
/// own lifeline; its label above the line, the dots of central connections and its number
/// (`autonumber`) as the edge's label marks.
fn message_edge(m: &PlacedMessage, colours: &Palette, size: f64) -> Edge {
    let (dotted, start, end) = arrow_style(m.arrow);
    let at = |x: f64, y: f64| Point { x, y };
    let (points, curve) = if m.self_loop {
        let (x, bend) = (m.from_x, m.from_x + SELF_LOOP_WIDTH + 30.0);
        let loop_points = vec![
            at(x, m.y),
            at(bend, m.y - 10.0),
            at(bend, m.y + 30.0),
            at(x, m.y + 20.0),
        ];
        (loop_points, Curve::Cubic)
    } else {
        (vec![at(m.from_x, m.y), at(m.to_x, m.y)], Curve::Straight)
    };
    let mut stroke = Stroke::solid(&colours.signal, 1.5);
    if dotted {
        stroke = stroke.dashed("3,3");
    }
    let head = |head: SequenceHead| Marker {
        head: Head::Sequence(head),
        colour: colours.signal.clone(),
    };
    let mut label = Vec::new();
    for (central, x) in [(m.central_source, m.from_x), (m.central_target, m.to_x)] {
        if central {
            label.push(Mark::Circle {
                centre: at(x, m.y),
                r: 4.0,
                fill: colours.signal.clone(),
                stroke: None,
            });
        }
    }
    if !m.lines.is_empty() {
        let h = lines_height(&m.lines, size);
        let (x, anchor) = if m.self_loop {
            (m.from_x + 8.0, Anchor::Start)
        } else {
            ((m.from_x + m.to_x) / 2.0, Anchor::Middle)
        };
        let text_at = at(x, m.y - 6.0 - h / 2.0);
        let lines = m.lines.clone();
        label.push(Mark::text(
            text_at,
            lines,
            size,
            &colours.signal_text,
            anchor,
        ));
    }
    if let Some(number) = m.number.as_deref() {
        let r = (text::width(number, 11.0, false) / 2.0 + 3.0).max(9.0);
        label.push(Mark::Circle {
            centre: at(m.from_x, m.y),
            r,
            fill: colours.signal.clone(),
            stroke: Some(Stroke::thin(&colours.background)),
        });
        let number = vec![number.to_string()];
        let colour = &colours.number_text;
        label.push(Mark::text(
            at(m.from_x, m.y),
            number,
            11.0,
            colour,
            Anchor::Middle,
        ));
    }
    Edge {
        from: m.from.clone(),
        to: m.to.clone(),
        points,
        curve,
        stroke,
        start: start.map(head),
        end: end.map(head),
        label,
    }
}

/// One participant's header: a box, a cylinder, a queue, stacked boxes, or an icon (stick
/// figure, boundary, control, entity) above its label.
fn participant_marks(column: &Column, r: Rect, colours: &Palette, size: f64) -> Vec<Mark> {
    let (mut marks, label_centre) = match column.kind.as_str() {
        "actor" | "boundary" | "control" | "entity" => {
            let marks = icon_marks(&column.kind, column.centre, r.y, colours);
            let label_y = r.y + ICON_HEIGHT + lines_height(&column.lines, size) / 2.0 + 4.0;
            (
                marks,
                Point {
                    x: r.centre().x,
                    y: label_y,
                },
            )
        }
        "database" => database_marks(r, colours),
        "queue" => (queue_marks(r, colours), r.centre()),
        "collections" => collections_marks(r, colours),
        _ => (vec![header_box(r, colours)], r.centre()),
    };
    let lines = column.lines.clone();
    let text = Mark::text(
        label_centre,
        lines,
        size,
        &colours.actor_text,
        Anchor::Middle,
    );
    marks.push(text);
    marks
}

fn header_border(colours: &Palette) -> Stroke {
    Stroke::solid(&colours.actor_border, 1.5)
}

/// A filled outline of a header.
fn header_shape(d: String, colours: &Palette) -> Mark {
    Mark::Outline {
        d,
        fill: colours.actor_fill.clone(),
        stroke: Some(header_border(colours)),
    }
}

/// Strokes of an icon, not filled.
fn header_strokes(d: String, colours: &Palette) -> Mark {
    Mark::Outline {
        d,
        fill: "none".to_string(),
        stroke: Some(header_border(colours)),
    }
}

fn header_box(rect: Rect, colours: &Palette) -> Mark {
    Mark::Box {
        rect,
        rx: 3.0,
        fill: colours.actor_fill.clone(),
        stroke: Some(Stroke::thin(&colours.actor_border)),
    }
}

/// The figure of an icon participant centred on `cx`, from `top` down: a stick figure
/// (`actor`), or a circle with a bar left of it (`boundary`), an arrow on top (`control`) or
/// a line under it (`entity`).
fn icon_marks(kind: &str, cx: f64, top: f64, colours: &Palette) -> Vec<Mark> {
    let circle = |x: f64, y: f64, r: f64| Mark::Circle {
        centre: Point { x, y },
        r,
        fill: colours.actor_fill.clone(),
        stroke: Some(header_border(colours)),
    };
    if kind == "actor" {
        let body = format!(
            "M{cx},{neck} L{cx},{hip} M{l},{arms} L{r},{arms} M{ll},{feet} L{cx},{hip} L{rl},{feet}",
            cx = num(cx),
            neck = num(top + 17.0),
            hip = num(top + 32.0),
            l = num(cx - 13.0),
            r = num(cx + 13.0),
            arms = num(top + 22.0),
            ll = num(cx - 11.0),
            rl = num(cx + 11.0),
            feet = num(top + 42.0),
        );
        return vec![circle(cx, top + 9.0, 8.0), header_strokes(body, colours)];
    }
    let circle_x = if kind == "boundary" { cx + 6.0 } else { cx };
    let (circle_y, radius) = (top + 20.0, 14.0);
    let strokes = match kind {
        "boundary" => format!(
            "M{x},{t} L{x},{b} M{x},{m} L{c},{m}",
            x = num(cx - 22.0),
            t = num(top + 6.0),
            b = num(top + 34.0),
            m = num(circle_y),
            c = num(circle_x - radius)
        ),
        "control" => format!(
            "M{a},{t1} L{p},{t} L{a},{t2}",
            a = num(cx + 5.0),
            p = num(cx - 2.0),
            t = num(circle_y - radius),
            t1 = num(circle_y - radius - 5.0),
            t2 = num(circle_y - radius + 5.0)
        ),
        _ => format!(
            "M{l},{y} L{r},{y}",
            l = num(cx - radius),
            r = num(cx + radius),
            y = num(circle_y + radius + 3.0)
        ),
    };
    vec![
        circle(circle_x, circle_y, radius),
        header_strokes(strokes, colours),
    ]
}

/// A cylinder filling `r`, and where its label goes (a little below the centre, under the
/// top ellipse).
fn database_marks(r: Rect, colours: &Palette) -> (Vec<Mark>, Point) {
    let cap = 8.0;
    let [body, rim] = draw::standing_cylinder(r, cap);
    let mut label_centre = r.centre();
    label_centre.y += cap / 2.0;
    (
        vec![header_shape(body, colours), header_shape(rim, colours)],
        label_centre,
    )
}

/// A queue (a cylinder on its side) filling `r`.
fn queue_marks(r: Rect, colours: &Palette) -> Vec<Mark> {
    let [body, rim] = draw::lying_cylinder(r, 8.0);
    vec![header_shape(body, colours), header_shape(rim, colours)]
}

/// Two stacked boxes filling `r`, and where the label goes (the front box's centre).
fn collections_marks(r: Rect, colours: &Palette) -> (Vec<Mark>, Point) {
    let offset = 5.0;
    let back = Rect {
        x: r.x + offset,
        y: r.y,
        width: r.width - offset,
        height: r.height - offset,
    };
    let front = Rect {
        x: r.x,
        y: r.y + offset,
        width: r.width - offset,
        height: r.height - offset,
    };
    (
        vec![header_box(back, colours), header_box(front, colours)],
        front.centre(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_labels_read_on_their_fill() {
        assert_eq!(text_colour_on("#fff"), Some("#333333"));
        assert_eq!(text_colour_on("rgb(10, 20, 30)"), Some("#eeeeee"));
        assert_eq!(text_colour_on("#ffe4c4"), Some("#333333"));
        assert_eq!(text_colour_on("aqua"), None);
        assert_eq!(text_colour_on("Green"), Some("#eeeeee"));
        assert_eq!(text_colour_on("#zzz"), None);
    }

    #[test]
    fn autonumbers_print_like_mermaid() {
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(10.01 + 0.01), "10.02");
    }
}

#[cfg(test)]
mod layout_tests {
    use super::MARGIN;
    use crate::render::render_mermaid;
    use crate::source::SourceText;

    fn render(text: &str) -> crate::render::Rendered {
        let src = SourceText::whole_file("t.mmd", text);
        let (rendered, diagnostics) = render_mermaid(&src, "t-");
        rendered.unwrap_or_else(|| panic!("not rendered: {diagnostics:?}"))
    }

    #[test]
    fn created_participants_start_at_their_message_and_destroyed_ones_end_in_a_cross() {
        let r = render(
            "sequenceDiagram\nA->>B: hi\ncreate participant C\nA->>C: make\ndestroy C\nA-xC: bye\n",
        );
        let y_of = |id: &str| r.boxes.iter().find(|b| b.id == id).unwrap().rect.y;
        assert_eq!(r.boxes.len(), 3);
        assert!(y_of("C") > y_of("A") + 50.0);
        assert_eq!(y_of("A"), y_of("B"));
        // A and B are mirrored at the bottom; C ends in a cross instead.
        assert_eq!(r.svg.matches(">A</text>").count(), 2);
        assert_eq!(r.svg.matches(">C</text>").count(), 1);
        assert!(r.svg.contains("url(#t-cross)"));
    }

    #[test]
    fn participant_links_are_anchors_and_unsafe_ones_are_dropped() {
        let src = SourceText::whole_file(
            "t.mmd",
            "sequenceDiagram\nA->>B: x\nlink A: Wiki @ https://wiki.example.com/a\nlink B: Bad @ javascript:alert(1)\n",
        );
        let (rendered, diagnostics) = render_mermaid(&src, "t-");
        let svg = rendered.unwrap().svg;
        assert!(svg.contains(" href=\"https://wiki.example.com/a\""));
        assert!(!svg.contains("javascript"));
        let warning = diagnostics.iter().find(|d| d.code == "MMD701").unwrap();
        assert_eq!(warning.span.line, 4);
    }

    #[test]
    fn configuration_can_drop_the_mirrored_headers_and_number_messages() {
        let plain = render("sequenceDiagram\nA->>B: hi\n");
        let configured = render(
            "%%{init: {\"sequence\": {\"mirrorActors\": false, \"showSequenceNumbers\": true}}}%%\nsequenceDiagram\nA->>B: hi\n",
        );
        assert_eq!(plain.svg.matches(">A</text>").count(), 2);
        assert_eq!(configured.svg.matches(">A</text>").count(), 1);
        assert!(configured.height < plain.height);
        assert!(configured.svg.contains(">1</text>") && !plain.svg.contains(">1</text>"));
        let yaml = render(
            "---\nconfig:\n  sequence:\n    mirrorActors: false\n---\nsequenceDiagram\nA->>B: hi\n",
        );
        assert_eq!(yaml.svg.matches(">A</text>").count(), 1);
    }

    #[test]
    fn a_tall_created_participant_fits_at_the_bottom() {
        let r = render(
            "sequenceDiagram\nA->>B: hi\ncreate participant C as one<br>two<br>three<br>four\nA->>C: make\n",
        );
        // The last line of the mirrored header is still inside the drawing.
        let baselines: Vec<f64> = r
            .svg
            .split("<tspan ")
            .filter(|t| t.contains(">four</tspan>"))
            .filter_map(|t| t.split("y=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(baselines.len(), 2);
        assert!(
            baselines[1] < r.height - MARGIN,
            "{baselines:?} {}",
            r.height
        );
    }

    #[test]
    fn sequence_theme_variables_colour_their_parts() {
        let r = render(
            "%%{init: {\"themeVariables\": {\"actorBkg\": \"#123456\", \"signalColor\": \"#abcdef\", \"actorTextColor\": \"url(#x)\"}}}%%\nsequenceDiagram\nA->>B: hi\n",
        );
        let svg = crate::render::style_sheet::inline_classes(&r.svg);
        assert!(svg.contains("fill=\"#123456\""));
        assert!(svg.contains("stroke=\"#abcdef\""));
        // Only plain colours are taken.
        assert!(!r.svg.contains("url(#x)"));
    }

    #[test]
    fn columns_make_room_for_long_messages() {
        let short = render("sequenceDiagram\nA->>B: hi\n");
        let long = render(&format!("sequenceDiagram\nA->>B: {}\n", "word ".repeat(12)));
        let gap = |r: &crate::render::Rendered| r.boxes[1].rect.x - r.boxes[0].rect.x;
        assert!(gap(&long) > gap(&short) + 100.0);
    }

    #[test]
    fn fragments_nest_inside_each_other() {
        let r = render(
            "sequenceDiagram\nloop outer\nalt inner\nA->>B: x\nelse other\nB->>A: y\nend\nend\n",
        );
        assert!(r.svg.contains(">loop</text>") && r.svg.contains(">alt</text>"));
        assert!(r.svg.contains("[inner]") && r.svg.contains("[other]"));
    }
}
