//! The integration-test binary: one module per area.

mod authoring;
mod bin;
mod build;
mod check;
mod deps;
mod docs;
mod examples;
mod identity;
mod mermaid_conformance;
mod one_message;
mod props;
mod render_conformance;
mod render_data;
mod render_flow;
mod render_golden;
mod render_plans;
mod render_scene;
mod shared;
mod site;
mod smithy_api;
mod smithy_ast;
mod smithy_conformance;
mod smithy_events;
mod smithy_selectors;
mod smithy_validators;
mod tuning;
