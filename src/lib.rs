//! plansmith: reads a folder of Markdown implementation plans, extracts their Smithy interfaces
//! and mermaid diagrams, parses and checks them, and writes artifacts.
//!
//! The pipeline, one module per stage, is described in `ARCHITECTURE.md`.

pub mod build;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod codes;
pub mod deps;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod docs;
pub mod extract;
pub mod layout_budget;
pub mod lsp;
pub mod mermaid;
pub mod new_plan;
pub mod output;
pub mod paths;
pub mod plan;
pub mod render;
pub mod report;
pub mod serve;
pub mod site;
pub mod smithy;
pub mod source;
pub mod suggest;
pub mod tuning;
