//! The integration-test binary: one module per area.

mod check;
mod deps;
mod docs;
mod examples;
mod mermaid_conformance;
mod props;
mod render_conformance;
mod render_golden;
mod shared;
