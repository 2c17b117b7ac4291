//! `UnreferencedShape`, a validator a model declares in its `validators` metadata: a NOTE for
//! every shape of the model (not a member) that nothing connects to a root shape. The roots
//! are the shapes `rootShapeSelector` matches (default `service`); trait definitions and
//! `@metadata` types, and what they reach, count as referenced.

use super::metadata_validators::{node_type, RawEvent};
use super::neighbors;
use super::shared::has_trait;
use super::{Events, Level};
use crate::smithy::selector::Selector;
use serde_json::{Map, Value};
use std::borrow::Cow;

pub(super) struct Config {
    root_shape_selector: Selector,
}

pub(super) fn configure(config: &Map<String, Value>) -> Result<Config, String> {
    let mut extra: Vec<String> = config
        .keys()
        .filter(|k| *k != "rootShapeSelector")
        .map(|k| format!("`{k}`"))
        .collect();
    if !extra.is_empty() {
        extra.sort();
        return Err(format!(
            "Expected an object with possible properties of `rootShapeSelector`, but found additional properties: {}",
            extra.join(", ")
        ));
    }
    let text = match config.get("rootShapeSelector") {
        None => "service",
        Some(Value::String(text)) => text,
        Some(other) => {
            return Err(format!(
                "Expected `rootShapeSelector` to be a string; found {}",
                node_type(other)
            ))
        }
    };
    let root_shape_selector = Selector::parse(text)
        .map_err(|e| format!("Error parsing `rootShapeSelector`: {}", e.message))?;
    Ok(Config {
        root_shape_selector,
    })
}

pub(super) fn validate(ev: &Events, config: &Config) -> Vec<RawEvent> {
    let model = ev.model;
    let index = ev.selector_index();
    let selected: Vec<Cow<str>> = config
        .root_shape_selector
        .select(index)
        .into_iter()
        .map(|n| index.node(n).id())
        .collect();
    let roots: Vec<&str> = selected
        .iter()
        .map(|id| id.as_ref())
        .chain(
            model
                .shapes
                .values()
                .filter(|s| {
                    has_trait(model, &s.id, "smithy.api#trait")
                        || has_trait(model, &s.id, "smithy.api#metadata")
                })
                .map(|s| s.id.as_str()),
        )
        .collect();
    let connected = neighbors::closure(ev.members, roots);
    model
        .shapes
        .values()
        .filter(|s| !connected.contains(&s.id))
        .map(|s| RawEvent {
            id: "UnreferencedShape".to_string(),
            level: Level::Note,
            shape: Some(s.id.clone()),
            at: s.location.clone(),
            message: format!(
                "This shape is unreferenced. It has no modeled connections to shapes that match the following selector: `{}`",
                config.root_shape_selector.text
            ),
        })
        .collect()
}
