//! The integration-test binary: one module per area.

mod check;
mod deps;
mod docs;
mod examples;
mod mermaid_conformance;
mod props;
mod shared;
mod site;
mod smithy_api;
mod smithy_conformance;
