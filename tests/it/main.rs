//! The integration-test binary: one module per area.

mod mermaid_conformance;
mod shared;
mod smithy_api;
mod smithy_conformance;
