//! Rendering diagrams to self-contained SVG without a browser.
//!
//! `text` measures labels with the metrics of the bundled font table, `svg` writes escaped,
//! deterministic markup. Layout and the drawing of each family build on these.

#[rustfmt::skip]
mod font_metrics;
pub mod svg;
pub mod text;
