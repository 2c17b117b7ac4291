//! The validators a model declares in its `validators` metadata, as the reference's loader
//! reads them: each definition names a validator that may be declared (`EmitEachSelector`,
//! `EmitNoneSelector`, `UnreferencedShape`), configures it, and may rename its events (`id`,
//! keeping sub-ids), set their severity and message (`{super}` is the original message), and
//! keep only the events about shapes in `namespaces` or matched by `selector`.
//!
//! A definition that cannot be read or whose validator cannot be created is a `Model` ERROR
//! (`Error creating `…` validator: …`); an unknown name is the WARNING
//! `UnknownValidator_<name>`.

use super::{emit_each_selector, emit_none_selector, unreferenced_shape, Events, Level};
pub(super) use crate::smithy::json_ast::json_type as node_type;
use crate::smithy::model::Location;
use crate::smithy::selector::Selector;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashSet;

const MODEL: &str = "Model";
const SEVERITIES: [&str; 3] = ["DANGER", "WARNING", "NOTE"];

/// An event as a declared validator reports it, before its definition maps it.
pub(super) struct RawEvent {
    pub(super) id: String,
    pub(super) level: Level,
    pub(super) shape: Option<String>,
    pub(super) at: Location,
    pub(super) message: String,
}

/// A validator created from its configuration.
enum Declared {
    EmitEach(emit_each_selector::Config),
    EmitNone(emit_none_selector::Config),
    Unreferenced(unreferenced_shape::Config),
}

/// One entry of the `validators` metadata.
pub(super) struct Definition {
    name: String,
    id: String,
    message: Option<String>,
    level: Option<Level>,
    namespaces: Vec<String>,
    selector: Option<Selector>,
    validator: Declared,
    at: Location,
}

/// The reference's message for a configuration property that cannot become the Java type it
/// sets (`pointer` is the JSON pointer of the property).
pub(super) fn deserialization_error(
    pointer: &str,
    java_type: &str,
    value: &Value,
    cause: &str,
) -> String {
    format!(
        "Deserialization error at ({pointer}): unable to create {java_type} from {}: {cause}",
        serde_json::to_string(value).unwrap_or_default()
    )
}

/// A selector-valued configuration property (absent: `None`).
pub(super) fn selector_property(
    config: &Map<String, Value>,
    key: &str,
) -> Result<Option<Selector>, String> {
    let Some(value) = config.get(key) else {
        return Ok(None);
    };
    let parsed = match value {
        Value::String(text) => Selector::parse(text).map_err(|e| e.message),
        other => Err(format!("Expected string, but found {}.", node_type(other))),
    };
    parsed.map(Some).map_err(|cause| {
        deserialization_error(
            &format!("/{key}"),
            "software.amazon.smithy.model.selector.Selector",
            value,
            &format!("Unable to deserialize Node using fromNode method: {cause}"),
        )
    })
}

/// Reads every definition and creates its validator; reports those that cannot be.
pub(super) fn load(ev: &mut Events) -> Vec<Definition> {
    let model = ev.model;
    let Some(Value::Array(entries)) = model.metadata.get("validators") else {
        return Vec::new();
    };
    let places = model.metadata_locations.get("validators");
    let mut definitions = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = places.and_then(|p| p.get(i)).cloned().unwrap_or_default();
        let Some(object) = entry.as_object() else {
            let message = format!(
                "Each element of `validators` must be an object. Found {}.",
                node_type(entry)
            );
            ev.report(MODEL, Level::Error, &at, None, message);
            continue;
        };
        match read_definition(object, at.clone()) {
            Ok(Some(definition)) => definitions.push(definition),
            Ok(None) => {
                // Unknown validators do not fail the build (the specification names the event).
                let name = object.get("name").and_then(Value::as_str).unwrap_or("");
                ev.report(
                    &format!("UnknownValidator_{name}"),
                    Level::Warning,
                    &at,
                    None,
                    format!("Unable to locate a validator named `{name}`"),
                );
            }
            Err(message) => ev.report(MODEL, Level::Error, &at, None, message),
        }
    }
    definitions
}

/// A string member, if present (the reference's `getStringMember`).
fn string_member<'v>(object: &'v Map<String, Value>, key: &str) -> Result<Option<&'v str>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "Expected `{key}` to be a string; found {}",
            node_type(other)
        )),
    }
}

/// One definition: `Ok(None)` for a validator name nobody knows (reported as a WARNING).
fn read_definition(
    object: &Map<String, Value>,
    at: Location,
) -> Result<Option<Definition>, String> {
    let Some(name) = string_member(object, "name")? else {
        return Err("Missing expected member `name`.".to_string());
    };
    let id = string_member(object, "id")?.unwrap_or(name).to_string();
    let message = string_member(object, "message")?.map(str::to_string);
    let level = match string_member(object, "severity")? {
        None => None,
        Some("DANGER") => Some(Level::Danger),
        Some("WARNING") => Some(Level::Warning),
        Some("NOTE") => Some(Level::Note),
        Some(other) => {
            let mut allowed = SEVERITIES.map(|s| format!("`{s}`"));
            allowed.sort();
            return Err(format!(
                "Expected one of {}; got `{other}`.",
                allowed.join(", ")
            ));
        }
    };
    let namespaces = match object.get("namespaces") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!("Expected string, but found {}.", node_type(other))),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "Expected `namespaces` to be an array of strings. Found {}.",
                node_type(other)
            ))
        }
    };
    let empty = Map::new();
    let configuration = match object.get("configuration") {
        None => &empty,
        Some(Value::Object(c)) => c,
        Some(other) => {
            return Err(format!(
                "Expected `configuration` to be an object; found {}",
                node_type(other)
            ))
        }
    };
    let selector = match string_member(object, "selector")? {
        None => None,
        Some(text) => Some(Selector::parse(text).map_err(|e| e.message)?),
    };
    let created = match name {
        "EmitEachSelector" => emit_each_selector::configure(configuration).map(Declared::EmitEach),
        "EmitNoneSelector" => emit_none_selector::configure(configuration).map(Declared::EmitNone),
        "UnreferencedShape" => {
            unreferenced_shape::configure(configuration).map(Declared::Unreferenced)
        }
        _ => return Ok(None),
    };
    let validator = created.map_err(|e| format!("Error creating `{name}` validator: {e}"))?;
    Ok(Some(Definition {
        name: name.to_string(),
        id,
        message,
        level,
        namespaces,
        selector,
        validator,
        at,
    }))
}

/// Runs every declared validator and maps its events through its definition.
pub(super) fn run(ev: &mut Events, definitions: &[Definition]) {
    for definition in definitions {
        let raw = match &definition.validator {
            Declared::EmitEach(config) => emit_each_selector::validate(ev, config),
            Declared::EmitNone(config) => emit_none_selector::validate(ev, config, &definition.at),
            Declared::Unreferenced(config) => unreferenced_shape::validate(ev, config),
        };
        let candidates: Option<HashSet<Cow<str>>> = definition.selector.as_ref().map(|selector| {
            let index = ev.selector_index();
            selector
                .select(index)
                .into_iter()
                .map(|n| index.node(n).id())
                .collect()
        });
        let mut kept = Vec::new();
        for event in raw {
            if let Some(shape) = &event.shape {
                let namespace = shape.split('#').next().unwrap_or("");
                if !definition.namespaces.is_empty()
                    && !definition.namespaces.iter().any(|n| n == namespace)
                {
                    continue;
                }
                if candidates
                    .as_ref()
                    .is_some_and(|c| !c.contains(shape.as_str()))
                {
                    continue;
                }
            }
            kept.push(definition.map(event));
        }
        for event in kept {
            ev.report(
                &event.id,
                event.level,
                &event.at,
                event.shape.as_deref(),
                event.message,
            );
        }
    }
}

impl Definition {
    /// The event renamed (its sub-ids kept), with the definition's severity and message.
    fn map(&self, mut event: RawEvent) -> RawEvent {
        if self.name == self.id && self.level.is_none() && self.message.is_none() {
            return event;
        }
        event.id = match event.id.split_once('.') {
            Some((_, sub)) => format!("{}.{sub}", self.id),
            None => self.id.clone(),
        };
        event.level = self.level.unwrap_or(event.level);
        if let Some(message) = &self.message {
            event.message = message.replace("{super}", &event.message);
        }
        event
    }
}
