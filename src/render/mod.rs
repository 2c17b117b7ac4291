//! Rendering diagrams to self-contained SVG without a browser.
//!
//! `text` measures labels with the metrics of the bundled font table, `svg` writes escaped,
//! deterministic markup, `layout` places boxes (dagre through dugong, behind our own trait),
//! `theme` holds the colours a diagram asks for. Each family has its own drawing module;
//! `generic` draws a plain graph (the Smithy service maps of `services`), `plans` the plan graph.

pub mod draw;
mod flowchart;
#[rustfmt::skip]
mod font_metrics;
mod c4;
mod class;
mod data_common;
mod er;
pub mod generic;
pub mod label;
pub mod layout;
pub mod marks;
mod paint;
pub mod plans;
mod routing;
pub mod scene;
mod sequence;
pub mod services;
mod shapes;
mod short_path;
mod state;
pub mod style_sheet;
pub mod svg;
pub mod text;
pub mod theme;

use crate::diagnostic::Diagnostic;
use crate::mermaid::{self, Diagram, ParsedDiagram, Prepared};
use crate::source::SourceText;
use layout::Rect;
use theme::Theme;

/// A box drawn for a node of the model (a flowchart node, participant, class, entity, state or
/// C4 element), for the checks that every label is drawn and that no two boxes overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledBox {
    pub id: String,
    pub label: String,
    pub rect: Rect,
}

/// Whether a drawing names what each of its groups draws, through `data-*` attributes
/// (`data-id` on a node's group, `data-from`/`data-to` on an edge's, `data-cluster` on a
/// cluster's). Change marks (`build --base`), tests and users' scripts find elements by them;
/// a picture alone does not need them, and in `build`'s drawings they were a tenth of the
/// bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Hooks {
    Written,
    /// `build`'s default (`--svg-hooks` writes them).
    #[default]
    Left,
}

/// One rendered diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub svg: String,
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<LabelledBox>,
    /// What was drawn, before it became SVG.
    pub scene: scene::Scene,
}

impl Rendered {
    /// The drawing of `scene`, painted with ids prefixed by `id_prefix`.
    pub fn painted(scene: scene::Scene, id_prefix: &str, hooks: Hooks) -> Rendered {
        let (width, height) = scene.outer_size();
        // Boxes as they are on the picture, under the heading's band.
        let shift = scene.shift();
        let (dx, dy) = (shift.x, shift.y);
        let boxes = scene
            .nodes
            .iter()
            .map(|n| LabelledBox {
                id: n.id.clone(),
                label: n.label.clone(),
                rect: layout::Rect {
                    x: n.rect.x + dx,
                    y: n.rect.y + dy,
                    ..n.rect
                },
            })
            .collect();
        Rendered {
            svg: paint::paint(&scene, id_prefix, hooks),
            width,
            height,
            boxes,
            scene,
        }
    }
}

/// What every drawing function gets besides its model.
#[derive(Debug, Clone)]
pub struct RenderContext<'a> {
    pub src: &'a SourceText,
    pub prepared: &'a Prepared,
    pub theme: Theme,
    /// Prefix of every id in the SVG (markers, clip paths), so that several diagrams inlined in
    /// one HTML page never share an id.
    pub id_prefix: String,
    pub hooks: Hooks,
}

/// Parses and renders one mermaid diagram, hooks written: [`render_parsed`] after
/// [`mermaid::parse`]. The diagnostics are the parser's and the lints'.
pub fn render_mermaid(src: &SourceText, id_prefix: &str) -> (Option<Rendered>, Vec<Diagnostic>) {
    let parsed = mermaid::parse(src);
    let rendered = render_parsed(src, &parsed, id_prefix, Hooks::Written);
    (rendered, parsed.diagnostics)
}

/// Renders a diagram parsed before (by `check`). `None` when the text is not a valid diagram
/// of a supported family; its diagnostics say why. Drawing reports nothing: what is wrong with
/// a diagram is known once it is parsed and linted.
pub fn render_parsed(
    src: &SourceText,
    parsed: &ParsedDiagram,
    id_prefix: &str,
    hooks: Hooks,
) -> Option<Rendered> {
    let diagram = parsed.diagram.as_ref().filter(|_| parsed.is_valid())?;
    let prepared = &parsed.prepared;
    let directives: Vec<String> = prepared
        .directives
        .iter()
        .map(|(_, body)| body.clone())
        .collect();
    let theme = Theme::for_diagram(
        &directives,
        prepared.front_matter.as_ref().map(|f| f.raw.as_str()),
    );
    let ctx = RenderContext {
        src,
        prepared,
        theme,
        id_prefix: id_prefix.to_string(),
        hooks,
    };
    Some(render_diagram(diagram, &ctx))
}

/// Draws a parsed diagram with its family's renderer.
pub fn render_diagram(diagram: &Diagram, ctx: &RenderContext<'_>) -> Rendered {
    match diagram {
        Diagram::Sequence(d) => sequence::render(d, ctx),
        Diagram::Class(d) => class::render(d, ctx),
        Diagram::Er(d) => er::render(d, ctx),
        Diagram::C4(d) => c4::render(d, ctx),
        Diagram::Flowchart(d) => flowchart::render(d, ctx),
        Diagram::State(d) => state::render(d, ctx),
    }
}
