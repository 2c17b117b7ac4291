//! plansmith: reads a folder of Markdown implementation plans, extracts their Smithy interfaces
//! and mermaid diagrams, parses and checks them, and writes artifacts.
//!
//! The pipeline, one module per stage, is described in `ARCHITECTURE.md`.

pub mod diagnostic;
pub mod mermaid;
pub mod smithy;
pub mod source;
