//! `TraitValue`: trait values agree with the shape of their trait (node kinds, required
//! members, enum values, `@idRef`, and the prelude's constraints).

use super::shared::{owners, trait_display};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use crate::smithy::prelude;
use crate::smithy::trait_creation::node_type;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        for (owner, _, traits) in owners(shape) {
            for (id, tv) in traits {
                let name = trait_display(id);
                if model.shapes.contains_key(id) {
                    check_value(ev, &owner, &name, &tv.location, &tv.value, id, true);
                    continue;
                }
                let Some(short) = id.strip_prefix("smithy.api#") else {
                    continue;
                };
                if prelude::trait_def(short).is_some() {
                    check_prelude_value(ev, &owner, short, tv);
                }
            }
        }
    }
}

/// The node kind a shape type takes.
fn expected_kind(t: ShapeType) -> Option<&'static str> {
    Some(match t {
        ShapeType::String | ShapeType::Enum | ShapeType::Blob => "string",
        ShapeType::Boolean => "boolean",
        ShapeType::List | ShapeType::Set => "array",
        ShapeType::Map | ShapeType::Structure | ShapeType::Union => "object",
        t if t.is_number() => "number",
        _ => return None,
    })
}

/// A prelude trait value that the loader could build (see `trait_creation`): its members'
/// node types, unknown members (a warning), and the prelude's constraints.
fn check_prelude_value(ev: &mut Events, owner: &str, name: &str, tv: &TraitValue) {
    let v = &tv.value;
    if let (Some(known), Some(o)) = (prelude::trait_members(name), v.as_object()) {
        for (key, value) in o {
            match known.iter().find(|(n, _)| n == key) {
                None => ev.emit(
                    &format!("TraitValue.UnknownMember.smithy.api#{name}.{key}"),
                    Severity::Warning,
                    &tv.location,
                    owner,
                    format!("Error validating trait `{name}`: Member `{key}` does not exist in `smithy.api#{name}`"),
                ),
                Some((_, kind)) if node_type(value) != kind.trim_start_matches('!') => ev.error(
                    "TraitValue",
                    &tv.location,
                    owner,
                    format!(
                        "Error validating trait `{name}`.{key}: Expected {} value for `smithy.api#{name}${key}`; found {} value, `{value}`",
                        kind.trim_start_matches('!'),
                        node_type(value)
                    ),
                ),
                Some(_) => {}
            }
        }
    }
    check_prelude_constraints(ev, owner, name, tv);
    const TIMESTAMP_FORMATS: [&str; 3] = ["date-time", "epoch-seconds", "http-date"];
    if let (true, Some(s)) = (name == "timestampFormat", v.as_str()) {
        if !TIMESTAMP_FORMATS.contains(&s) {
            let values: Vec<String> = TIMESTAMP_FORMATS.iter().map(|e| format!("`{e}`")).collect();
            ev.error("TraitValue", &tv.location, owner, format!(
                "Error validating trait `{name}`: String value provided for `smithy.api#{name}` must be one of the following values: {}",
                values.join(", ")
            ));
        }
    }
}

/// `^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$`: an XML name with an optional prefix.
fn is_xml_name(s: &str) -> bool {
    let part = |p: &str| {
        let mut chars = p.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    match s.split_once(':') {
        Some((prefix, local)) => part(prefix) && part(local),
        None => part(s),
    }
}

/// `^[a-zA-Z_]+[a-zA-Z_0-9]*$`: the name of an `@enum` entry.
fn is_enum_constant_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The constraints the prelude puts on some trait values (ranges, patterns, lengths, IDs).
fn check_prelude_constraints(ev: &mut Events, owner: &str, name: &str, tv: &TraitValue) {
    let v = &tv.value;
    let at = &tv.location;
    match name {
        "longPoll" => {
            if let Some(n) = v.get("timeoutMillis").and_then(Value::as_f64) {
                if n < 1.0 {
                    ev.error("TraitValue.Member.InvalidRange", at, owner, format!(
                        "Error validating trait `longPoll`.timeoutMillis: Value provided for `smithy.api#longPoll$timeoutMillis` must be greater than or equal to 1, but found {}",
                        v["timeoutMillis"]
                    ));
                }
            }
        }
        "externalDocumentation" if v.as_object().is_some_and(|o| o.is_empty()) => {
            ev.error("TraitValue", at, owner, "Error validating trait `externalDocumentation`: Value provided for `smithy.api#externalDocumentation` must have at least 1 entries, but the provided value only has 0 entries".to_string());
        }
        "xmlName" if v.as_str().is_some_and(|s| !is_xml_name(s)) => {
            ev.error("TraitValue", at, owner, "Error validating trait `xmlName`: String value provided for `smithy.api#xmlName` must match regular expression: ^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$".to_string());
        }
        "enum" => {
            for (i, entry) in v.as_array().into_iter().flatten().enumerate() {
                if entry
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| !is_enum_constant_name(n))
                {
                    ev.error("TraitValue", at, owner, format!(
                        "Error validating trait `enum`.{i}.name: String value provided for `smithy.api#EnumConstantBodyName` must match regular expression: ^[a-zA-Z_]+[a-zA-Z_0-9]*$"
                    ));
                }
            }
        }
        "auth" => {
            for (i, id) in v.as_array().into_iter().flatten().enumerate() {
                let Some(id) = id.as_str() else { continue };
                let is_auth = ev
                    .model
                    .shapes
                    .get(id)
                    .is_some_and(|s| ev.model.has_trait(s, "smithy.api#authDefinition"))
                    || prelude::trait_def(id.strip_prefix("smithy.api#").unwrap_or(""))
                        .is_some_and(|_| id.ends_with("Auth"));
                if !is_auth {
                    ev.error("TraitValue", at, owner, format!(
                        "Error validating trait `auth`.{i}: Shape ID `{id}` does not match selector `[trait|authDefinition]`"
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Whether a shape matches a selector of the simple forms `idRef` selectors use: `*`, a type
/// name, `number`, `simpleType`, `[trait|name]`. Other selectors match everything.
fn matches_simple_selector(model: &Model, id: &str, selector: &str) -> bool {
    let selector = selector.trim();
    if let Some(name) = selector
        .strip_prefix("[trait|")
        .and_then(|s| s.strip_suffix(']'))
    {
        let trait_id = if name.contains('#') {
            name.to_string()
        } else {
            format!("smithy.api#{name}")
        };
        return model
            .shapes
            .get(id)
            .is_some_and(|s| model.has_trait(s, &trait_id));
    }
    let Some(t) = model.shape_type(id) else {
        return true;
    };
    match selector {
        "*" => true,
        "number" => t.is_number(),
        "simpleType" => t.is_simple(),
        other => match ShapeType::from_keyword(other) {
            Some(want) => want == t || (want == ShapeType::String && t == ShapeType::Enum),
            None => true,
        },
    }
}

/// The `@idRef` rules for a string value: a valid absolute shape ID, present when
/// `failWhenMissing`, matching the selector.
fn check_id_ref(
    ev: &mut Events,
    owner: &str,
    trait_name: &str,
    at: &Location,
    value: &str,
    id_ref: &Value,
) {
    let model = ev.model;
    let custom = id_ref.get("errorMessage").and_then(Value::as_str);
    let fail = |ev: &mut Events, message: String| {
        let message = custom.map_or(message, str::to_string);
        ev.error(
            "TraitValue",
            at,
            owner,
            format!("Error validating trait `{trait_name}`: {message}"),
        );
    };
    let valid =
        value.contains('#') && matches!(crate::smithy::lexeme::shape_id(value), Ok(("", _)));
    if !valid {
        fail(ev, format!("Invalid shape ID: {value}"));
        return;
    }
    if !model.contains(value) {
        if id_ref.get("failWhenMissing").and_then(Value::as_bool) == Some(true) {
            fail(ev, format!("Shape ID `{value}` was not found in the model"));
        }
        return;
    }
    let selector = id_ref
        .get("selector")
        .and_then(Value::as_str)
        .unwrap_or("*");
    if !matches_simple_selector(model, value, selector) {
        fail(
            ev,
            format!("Shape ID `{value}` does not match selector `{selector}`"),
        );
    }
}

/// Checks a trait value against a trait shape defined in the model: node kinds, required
/// structure members, enum values. Reports the first problem.
fn check_value(
    ev: &mut Events,
    owner: &str,
    trait_name: &str,
    at: &Location,
    v: &Value,
    shape_id: &str,
    top: bool,
) -> bool {
    let model = ev.model;
    let Some(shape) = model.shapes.get(shape_id) else {
        return true;
    };
    let t = shape.shape_type;
    let Some(expected) = expected_kind(t) else {
        return true;
    };
    let empty_annotation =
        top && expected == "object" && v.as_object().is_some_and(|o| o.is_empty());
    if node_type(v) != expected {
        let shown = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        ev.error("TraitValue", at, owner, format!(
            "Error validating trait `{trait_name}`: Expected {expected} value for {} shape, `{shape_id}`; found {} value, `{shown}`",
            t.as_str(),
            node_type(v)
        ));
        return false;
    }
    let members = model.members_of(shape);
    match (t, v) {
        (ShapeType::Structure, Value::Object(o)) => {
            for m in &members {
                if m.traits.contains_key("smithy.api#required")
                    && !o.contains_key(&m.name)
                    && !empty_annotation
                {
                    ev.error("TraitValue", at, owner, format!(
                        "Error validating trait `{trait_name}`: Missing required structure member `{}` for `{shape_id}`",
                        m.name
                    ));
                    return false;
                }
            }
            for (k, x) in o {
                if let Some(m) = members.iter().find(|m| m.name == *k) {
                    if !check_value(ev, owner, trait_name, at, x, &m.target, false) {
                        return false;
                    }
                }
            }
        }
        (ShapeType::List | ShapeType::Set, Value::Array(items)) => {
            if let Some(m) = members.iter().find(|m| m.name == "member") {
                for x in items {
                    if !check_value(ev, owner, trait_name, at, x, &m.target, false) {
                        return false;
                    }
                }
            }
        }
        (ShapeType::String, Value::String(s)) => {
            if let Some(id_ref) = model.trait_value(shape, "smithy.api#idRef") {
                check_id_ref(ev, owner, trait_name, at, s, id_ref);
            }
        }
        (ShapeType::Enum, Value::String(s)) => {
            let values: Vec<&str> = members
                .iter()
                .filter_map(|m| m.traits.get("smithy.api#enumValue")?.value.as_str())
                .collect();
            if !values.is_empty() && !values.contains(&s.as_str()) {
                let listed: Vec<String> = values.iter().map(|e| format!("`{e}`")).collect();
                ev.error("TraitValue", at, owner, format!(
                    "Error validating trait `{trait_name}`: String value provided for `{shape_id}` must be one of the following values: {}",
                    listed.join(", ")
                ));
                return false;
            }
        }
        _ => {}
    }
    true
}
