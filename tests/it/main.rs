//! The integration-test binary: one module per area.

mod check;
mod deps;
mod docs;
mod examples;
mod mermaid_conformance;
mod props;
mod render_flow;
mod shared;
