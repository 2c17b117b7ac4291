//! `EmitEachSelector`, a validator a model declares in its `validators` metadata: a DANGER for
//! every shape its `selector` matches. With `bindToTrait`, only for shapes that have that trait,
//! at the trait; with `messageTemplate`, the message is the template with each `@{path}`
//! replaced by that attribute of the match (`@@` is a literal `@`).

use super::metadata_validators::{deserialization_error, node_type, selector_property, RawEvent};
use super::{Events, Level};
use crate::smithy::lexeme::is_absolute_shape_id;
use crate::smithy::model::Location;
use crate::smithy::selector::index::Node;
use crate::smithy::selector::parse::template_scoped_value;
use crate::smithy::selector::Selector;
use serde_json::{Map, Value};

const NAME: &str = "EmitEachSelector";
const CONFIG_TYPE: &str =
    "software.amazon.smithy.model.validation.linters.EmitEachSelectorValidator$Config";

pub(super) struct Config {
    selector: Selector,
    bind_to_trait: Option<String>,
    template: Option<Vec<Part>>,
}

/// A piece of a message template.
enum Part {
    Text(String),
    Attribute(Vec<String>),
}

/// The configuration as the reference maps it onto its `Config` bean: properties in the
/// order written, unknown ones ignored, then `selector` required.
pub(super) fn configure(config: &Map<String, Value>) -> Result<Config, String> {
    let mut selector = None;
    let mut bind_to_trait = None;
    let mut template = None;
    for (key, value) in config {
        match key.as_str() {
            "selector" => selector = selector_property(config, key)?,
            "bindToTrait" => bind_to_trait = Some(shape_id_property(key, value)?),
            "messageTemplate" => {
                let text = match value {
                    Value::String(text) => text,
                    other => {
                        return Err(deserialization_error(
                            &format!("/{key}"),
                            "java.lang.String",
                            other,
                            &format!("Expected string, but found {}.", node_type(other)),
                        ))
                    }
                };
                template = Some(parse_template(text).map_err(|cause| {
                    deserialization_error(
                        "/",
                        CONFIG_TYPE,
                        &Value::Object(config.clone()),
                        &format!(
                            "Unable to deserialize a Node when invoking target constructor: {cause}"
                        ),
                    )
                })?);
            }
            _ => {}
        }
    }
    let selector = selector.ok_or_else(|| "selector is required".to_string())?;
    Ok(Config {
        selector,
        bind_to_trait,
        template,
    })
}

/// An absolute shape ID property (`bindToTrait`).
fn shape_id_property(key: &str, value: &Value) -> Result<String, String> {
    let cause = match value {
        Value::String(id) if is_absolute_shape_id(id, false) => return Ok(id.clone()),
        Value::String(id) => format!("Invalid shape ID: {id}"),
        other => format!("Expected string, but found {}.", node_type(other)),
    };
    Err(deserialization_error(
        &format!("/{key}"),
        "software.amazon.smithy.model.shapes.ShapeId",
        value,
        &format!("Unable to deserialize Node using fromNode method: {cause}"),
    ))
}

/// Splits a template into literal text and `@{path}` attributes.
fn parse_template(text: &str) -> Result<Vec<Part>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            literal.push(chars[i]);
            i += 1;
        } else if chars.get(i + 1) == Some(&'@') {
            literal.push('@');
            i += 2;
        } else {
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            let (path, end) = template_scoped_value(text, i).map_err(|e| {
                format!(
                    "Syntax error at line {} column {} of {NAME} message template: {}",
                    e.line, e.column, e.detail
                )
            })?;
            parts.push(Part::Attribute(path));
            i = end;
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    Ok(parts)
}

/// Where an event about a node goes: the node, or its bound trait (`None` when it lacks it).
fn event_location(node: &Node, bind_to_trait: Option<&str>) -> Option<Location> {
    let shape = node.shape?;
    let member = node.member().and_then(|m| shape.member(m));
    let own = match member {
        Some(m) => &m.location,
        None => &shape.location,
    };
    let Some(trait_id) = bind_to_trait else {
        return Some(own.clone());
    };
    if !node.traits().contains_key(trait_id) {
        return None;
    }
    // An inherited trait has no place of its own on this shape.
    let applied = match member {
        Some(m) => m.traits.get(trait_id),
        None => shape.traits.get(trait_id),
    };
    Some(applied.map_or_else(|| own.clone(), |t| t.location.clone()))
}

pub(super) fn validate(ev: &Events, config: &Config) -> Vec<RawEvent> {
    let index = ev.selector_index();
    let bound = config.bind_to_trait.as_deref();
    // Nothing to report when no shape has the bound trait.
    if bound.is_some_and(|t| index.with_trait(t).is_empty()) {
        return Vec::new();
    }
    let mut events = Vec::new();
    let mut push = |node: &Node, message: String| {
        if let Some(at) = event_location(node, bound) {
            events.push(RawEvent {
                id: NAME.to_string(),
                level: Level::Danger,
                shape: Some(node.id().into_owned()),
                at,
                message,
            });
        }
    };
    match &config.template {
        None => {
            for n in config.selector.select(index) {
                push(
                    index.node(n),
                    format!(
                        "Selector capture matched selector: {}",
                        config.selector.text
                    ),
                );
            }
        }
        Some(parts) => {
            for m in config.selector.matches(index) {
                let message: String = parts
                    .iter()
                    .map(|part| match part {
                        Part::Text(text) => text.clone(),
                        Part::Attribute(path) => config
                            .selector
                            .attribute(index, &m, path)
                            .message_text(index),
                    })
                    .collect();
                push(index.node(m.node), message);
            }
        }
    }
    events
}
