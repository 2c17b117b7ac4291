//! `TraitValue`: trait values agree with the shape of their trait: custom traits through the
//! node validator (`node_value.rs`: types, members, constraint traits), prelude traits by
//! their member types and the prelude's constraints.

use super::node_value::NodeValidator;
use super::shared::{trait_display, Owner};
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::json_ast::json_type as node_type;
use crate::smithy::model::*;
use crate::smithy::prelude;
use serde_json::Value;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        for (owner, traits) in Owner::all_of(shape) {
            for (id, tv) in traits {
                if model.shapes.contains_key(id) {
                    let name = trait_display(id);
                    let mut values = NodeValidator::new(model, "TraitValue", false);
                    let context = format!("Error validating trait `{name}`");
                    values.check_shape(id, &tv.value, &context);
                    for e in values.events {
                        ev.emit(&e.id, e.severity, &tv.location, &owner.id(), e.message);
                    }
                    continue;
                }
                let Some(short) = id.strip_prefix("smithy.api#") else {
                    continue;
                };
                if prelude::trait_def(short).is_some() {
                    check_prelude_value(ev, owner, short, tv);
                }
            }
        }
    }
}

/// One step from a value to the structures nested in it: every element of a list or value of a
/// map, or one member.
enum Step {
    Each,
    Member(&'static str),
    /// The keys of a map (only as the last step of [`NON_EMPTY_STRINGS`]).
    Keys,
}

/// A prelude structure nested in a prelude trait's value, and its members.
struct NestedStructure {
    trait_name: &'static str,
    path: &'static [Step],
    shape: &'static str,
    members: &'static [&'static str],
}

/// The structures inside prelude trait values (the prelude's definitions); a key that is none
/// of their members is a warning, as for the traits' own members.
const NESTED_STRUCTURES: &[NestedStructure] = &[
    NestedStructure {
        trait_name: "examples",
        path: &[Step::Each],
        shape: "Example",
        members: &[
            "title",
            "documentation",
            "input",
            "output",
            "error",
            "allowConstraintErrors",
        ],
    },
    NestedStructure {
        trait_name: "examples",
        path: &[Step::Each, Step::Member("error")],
        shape: "ExampleError",
        members: &["shapeId", "content"],
    },
    NestedStructure {
        trait_name: "enum",
        path: &[Step::Each],
        shape: "EnumDefinition",
        members: &["value", "name", "documentation", "tags", "deprecated"],
    },
    NestedStructure {
        trait_name: "references",
        path: &[Step::Each],
        shape: "Reference",
        members: &["resource", "ids", "service", "rel"],
    },
    NestedStructure {
        trait_name: "traitValidators",
        path: &[Step::Each],
        shape: "TraitValidator",
        members: &["selector", "message", "severity"],
    },
    NestedStructure {
        trait_name: "trait",
        path: &[Step::Member("breakingChanges"), Step::Each],
        shape: "TraitDiffRule",
        members: &["path", "change", "severity", "message"],
    },
];

/// The values at `path` inside a trait value, each with its path as the reference writes it
/// in messages (`.0.error`).
fn values_at<'v>(value: &'v Value, path: &[Step]) -> Vec<(String, &'v Value)> {
    let mut found: Vec<(String, &Value)> = vec![(String::new(), value)];
    for step in path {
        found = found
            .into_iter()
            .flat_map(|(at, value)| -> Vec<(String, &Value)> {
                match (step, value) {
                    (Step::Each, Value::Array(items)) => items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (format!("{at}.{i}"), item))
                        .collect(),
                    (Step::Each, Value::Object(entries)) => entries
                        .iter()
                        .map(|(key, item)| (format!("{at}.{key}"), item))
                        .collect(),
                    (Step::Member(member), _) => value
                        .get(member)
                        .map(|item| (format!("{at}.{member}"), item))
                        .into_iter()
                        .collect(),
                    _ => Vec::new(),
                }
            })
            .collect();
    }
    found
}

/// Unknown members of the structures nested in a prelude trait's value, each at its path
/// (`examples`.0.error), as the reference's node validator words them.
fn nested_unknown_members(ev: &mut Events, owner: Owner, name: &str, tv: &TraitValue) {
    for nested in NESTED_STRUCTURES.iter().filter(|n| n.trait_name == name) {
        for (path, value) in values_at(&tv.value, nested.path) {
            let Some(entries) = value.as_object() else {
                continue;
            };
            for key in entries
                .keys()
                .filter(|k| !nested.members.contains(&k.as_str()))
            {
                let shape = nested.shape;
                ev.emit(
                    &format!("TraitValue.UnknownMember.smithy.api#{shape}.{key}"),
                    Severity::Warning,
                    &tv.location,
                    &owner.id(),
                    format!("Error validating trait `{name}`{path}: Member `{key}` does not exist in `smithy.api#{shape}`"),
                );
            }
        }
    }
}

/// The strings inside prelude trait values that may not be empty: the prelude types them
/// `NonEmptyString` (the shape the message names), or gives them `@length(min: 1)` themselves.
const NON_EMPTY_STRINGS: &[(&str, &[Step], &str)] = &[
    ("trait", &[Step::Member("conflicts"), Step::Each], NON_EMPTY),
    ("externalDocumentation", &[Step::Each], NON_EMPTY),
    ("httpApiKeyAuth", &[Step::Member("name")], NON_EMPTY),
    ("httpApiKeyAuth", &[Step::Member("scheme")], NON_EMPTY),
    ("xmlNamespace", &[Step::Member("uri")], NON_EMPTY),
    ("xmlNamespace", &[Step::Member("prefix")], NON_EMPTY),
    (
        "references",
        &[Step::Each, Step::Member("resource")],
        NON_EMPTY,
    ),
    (
        "references",
        &[Step::Each, Step::Member("ids"), Step::Each],
        NON_EMPTY,
    ),
    (
        "references",
        &[Step::Each, Step::Member("service")],
        NON_EMPTY,
    ),
    ("references", &[Step::Each, Step::Member("rel")], NON_EMPTY),
    ("enum", &[Step::Each, Step::Member("value")], NON_EMPTY),
    (
        "enum",
        &[Step::Each, Step::Member("tags"), Step::Each],
        NON_EMPTY,
    ),
    ("paginated", &[Step::Member("inputToken")], NON_EMPTY),
    ("paginated", &[Step::Member("outputToken")], NON_EMPTY),
    ("paginated", &[Step::Member("items")], NON_EMPTY),
    ("paginated", &[Step::Member("pageSize")], NON_EMPTY),
    ("http", &[Step::Member("method")], NON_EMPTY),
    ("http", &[Step::Member("uri")], NON_EMPTY),
    ("cors", &[Step::Member("origin")], NON_EMPTY),
    ("cors", &[Step::Member("origins"), Step::Each], NON_EMPTY),
    (
        "cors",
        &[Step::Member("additionalAllowedHeaders"), Step::Each],
        NON_EMPTY,
    ),
    (
        "cors",
        &[Step::Member("additionalExposedHeaders"), Step::Each],
        NON_EMPTY,
    ),
    ("endpoint", &[Step::Member("hostPrefix")], NON_EMPTY),
    (
        "metadata",
        &[Step::Member("key")],
        "smithy.api#metadata$key",
    ),
    ("suppress", &[Step::Each], "smithy.api#suppress$member"),
    (
        "traitValidators",
        &[Step::Keys],
        "smithy.api#traitValidators$key",
    ),
    ("resourceIdentifier", &[], "smithy.api#resourceIdentifier"),
];

const NON_EMPTY: &str = "smithy.api#NonEmptyString";

/// Empty strings where the prelude asks for at least one character.
fn empty_strings(ev: &mut Events, owner: Owner, name: &str, tv: &TraitValue) {
    for (_, path, shape) in NON_EMPTY_STRINGS.iter().filter(|(t, ..)| *t == name) {
        let (keys, path) = match path.split_last() {
            Some((Step::Keys, to_map)) => (true, to_map),
            _ => (false, *path),
        };
        for (at, value) in values_at(&tv.value, path) {
            let empty = match value {
                Value::Object(entries) if keys => entries.contains_key(""),
                _ => !keys && value.as_str() == Some(""),
            };
            if empty {
                let at = if keys { format!("{at}. (map-key)") } else { at };
                ev.error("TraitValue", &tv.location, &owner.id(), format!(
                    "Error validating trait `{name}`{at}: String value provided for `{shape}` must be >= 1 characters, but the provided value is only 0 characters."
                ));
            }
        }
    }
}

/// A shape ID inside a prelude trait's value that the prelude marks with `@idRef`.
struct PreludeIdRef {
    trait_name: &'static str,
    path: &'static [Step],
    /// One of the three selectors these use: `[trait|trait]`, `[trait|error]`,
    /// `structure[trait|error]`.
    selector: &'static str,
    fail_when_missing: bool,
    error_message: Option<&'static str>,
}

const PRELUDE_ID_REFS: &[PreludeIdRef] = &[
    PreludeIdRef {
        trait_name: "protocolDefinition",
        path: &[Step::Member("traits"), Step::Each],
        selector: "[trait|trait]",
        fail_when_missing: true,
        error_message: None,
    },
    PreludeIdRef {
        trait_name: "authDefinition",
        path: &[Step::Member("traits"), Step::Each],
        selector: "[trait|trait]",
        fail_when_missing: true,
        error_message: None,
    },
    PreludeIdRef {
        trait_name: "mixin",
        path: &[Step::Member("localTraits"), Step::Each],
        selector: "[trait|trait]",
        fail_when_missing: true,
        error_message: Some(
            "Strings provided to the localTraits property of a mixin trait must target a valid trait.",
        ),
    },
    PreludeIdRef {
        trait_name: "idempotent",
        path: &[Step::Member("exists"), Step::Each],
        selector: "[trait|error]",
        fail_when_missing: false,
        error_message: None,
    },
    PreludeIdRef {
        trait_name: "idempotent",
        path: &[Step::Member("notFound"), Step::Each],
        selector: "[trait|error]",
        fail_when_missing: false,
        error_message: None,
    },
    PreludeIdRef {
        trait_name: "examples",
        path: &[Step::Each, Step::Member("error"), Step::Member("shapeId")],
        selector: "structure[trait|error]",
        fail_when_missing: false,
        error_message: None,
    },
];

/// Shape IDs in prelude trait values that do not name what the prelude's `@idRef` asks for.
fn prelude_id_refs(ev: &mut Events, owner: Owner, name: &str, tv: &TraitValue) {
    let model = ev.model;
    for id_ref in PRELUDE_ID_REFS.iter().filter(|r| r.trait_name == name) {
        let mut definition = serde_json::Map::new();
        definition.insert("selector".into(), Value::from(id_ref.selector));
        definition.insert(
            "failWhenMissing".into(),
            Value::from(id_ref.fail_when_missing),
        );
        if let Some(message) = id_ref.error_message {
            definition.insert("errorMessage".into(), Value::from(message));
        }
        let definition = Value::Object(definition);
        for (path, value) in values_at(&tv.value, id_ref.path) {
            let Some(id) = value.as_str() else {
                continue;
            };
            let matches = |selector: &str| {
                let shape = model.shapes.get(id);
                match selector {
                    "[trait|trait]" => shape.map_or_else(
                        || {
                            id.strip_prefix("smithy.api#")
                                .is_some_and(|n| prelude::trait_def(n).is_some())
                        },
                        |s| model.has_trait(s, "smithy.api#trait"),
                    ),
                    "[trait|error]" => {
                        shape.is_some_and(|s| model.has_trait(s, "smithy.api#error"))
                    }
                    _ => shape.is_some_and(|s| {
                        s.shape_type == ShapeType::Structure
                            && model.has_trait(s, "smithy.api#error")
                    }),
                }
            };
            if let Some(problem) = id_ref_problem(model, id, &definition, matches) {
                ev.error(
                    "TraitValue",
                    &tv.location,
                    &owner.id(),
                    format!("Error validating trait `{name}`{path}: {problem}"),
                );
            }
        }
    }
}

/// A prelude trait value that the loader could build (see `trait_creation`): its members'
/// node types, unknown members (a warning), and the prelude's constraints.
fn check_prelude_value(ev: &mut Events, owner: Owner, name: &str, tv: &TraitValue) {
    let v = &tv.value;
    if let (Some(known), Some(o)) = (prelude::trait_members(name), v.as_object()) {
        for (key, value) in o {
            match known.iter().find(|(n, _)| n == key) {
                None => ev.emit(
                    &format!("TraitValue.UnknownMember.smithy.api#{name}.{key}"),
                    Severity::Warning,
                    &tv.location,
                    &owner.id(),
                    format!("Error validating trait `{name}`: Member `{key}` does not exist in `smithy.api#{name}`"),
                ),
                Some((_, kind)) if node_type(value) != kind.trim_start_matches('!') => ev.error(
                    "TraitValue",
                    &tv.location,
                    &owner.id(),
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
    nested_unknown_members(ev, owner, name, tv);
    empty_strings(ev, owner, name, tv);
    prelude_id_refs(ev, owner, name, tv);
    check_prelude_constraints(ev, owner, name, tv);
    const TIMESTAMP_FORMATS: [&str; 3] = ["date-time", "epoch-seconds", "http-date"];
    if let (true, Some(s)) = (name == "timestampFormat", v.as_str()) {
        if !TIMESTAMP_FORMATS.contains(&s) {
            let values: Vec<String> = TIMESTAMP_FORMATS.iter().map(|e| format!("`{e}`")).collect();
            ev.error("TraitValue", &tv.location, &owner.id(), format!(
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
fn check_prelude_constraints(ev: &mut Events, owner: Owner, name: &str, tv: &TraitValue) {
    let v = &tv.value;
    let at = &tv.location;
    match name {
        "longPoll" => {
            if let Some(n) = v.get("timeoutMillis").and_then(Value::as_f64) {
                if n < 1.0 {
                    ev.error("TraitValue.Member.InvalidRange", at, &owner.id(), format!(
                        "Error validating trait `longPoll`.timeoutMillis: Value provided for `smithy.api#longPoll$timeoutMillis` must be greater than or equal to 1, but found {}",
                        v["timeoutMillis"]
                    ));
                }
            }
        }
        "externalDocumentation" if v.as_object().is_some_and(|o| o.is_empty()) => {
            ev.error("TraitValue", at, &owner.id(), "Error validating trait `externalDocumentation`: Value provided for `smithy.api#externalDocumentation` must have at least 1 entries, but the provided value only has 0 entries".to_string());
        }
        "xmlName" if v.as_str().is_some_and(|s| !is_xml_name(s)) => {
            ev.error("TraitValue", at, &owner.id(), "Error validating trait `xmlName`: String value provided for `smithy.api#xmlName` must match regular expression: ^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$".to_string());
        }
        "xmlNamespace" => {
            let prefix = v.get("prefix").and_then(Value::as_str);
            if prefix.is_some_and(|p| p.contains(':') || !is_xml_name(p)) {
                ev.error("TraitValue", at, &owner.id(), "Error validating trait `xmlNamespace`.prefix: String value provided for `smithy.api#xmlNamespace$prefix` must match regular expression: ^[a-zA-Z_][a-zA-Z_0-9-]*$".to_string());
            }
        }
        "enum" => {
            for (i, entry) in v.as_array().into_iter().flatten().enumerate() {
                if entry
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| !is_enum_constant_name(n))
                {
                    ev.error("TraitValue", at, &owner.id(), format!(
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
                    ev.error("TraitValue", at, &owner.id(), format!(
                        "Error validating trait `auth`.{i}: Shape ID `{id}` does not match selector `[trait|authDefinition]`"
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Whether a shape matches a selector of the simple forms `idRef` selectors use: `*`, a type
/// name, `number`, `simpleType`, `[trait|name]`; `None` for other selectors, and for
/// `[trait|name]` on a shape that is not the model's.
pub(super) fn simple_selector_match(model: &Model, id: &str, selector: &str) -> Option<bool> {
    let selector = selector.trim();
    if selector == "*" {
        return Some(true);
    }
    if id.contains('$') {
        // Members are left to the selector engine.
        return None;
    }
    if let Some(name) = selector
        .strip_prefix("[trait|")
        .and_then(|s| s.strip_suffix(']'))
    {
        let trait_id = if name.contains('#') {
            name.to_string()
        } else {
            format!("smithy.api#{name}")
        };
        // A prelude shape (`smithy.api#httpBasicAuth` has `@authDefinition`) is left to the
        // selector engine, whose index knows the prelude's traits.
        return model.shapes.get(id).map(|s| model.has_trait(s, &trait_id));
    }
    let Some(t) = model.shape_type(id) else {
        return Some(true);
    };
    match selector {
        "number" => Some(t.is_number()),
        "simpleType" => Some(t.is_simple()),
        other => ShapeType::from_keyword(other)
            .map(|want| want == t || (want == ShapeType::String && t == ShapeType::Enum)),
    }
}

/// What is wrong with a string value under `@idRef` (a valid absolute shape ID, present when
/// `failWhenMissing`, matching the selector), as the reference words it; a custom
/// `errorMessage` replaces the last two. `matches` tells whether the shape matches a selector.
pub(super) fn id_ref_problem(
    model: &Model,
    value: &str,
    id_ref: &Value,
    matches: impl FnOnce(&str) -> bool,
) -> Option<String> {
    let valid =
        value.contains('#') && matches!(crate::smithy::lexeme::shape_id(value), Ok(("", _)));
    if !valid {
        return Some(format!("Invalid shape ID: {value}"));
    }
    let problem = if model.contains(value) {
        let selector = id_ref
            .get("selector")
            .and_then(Value::as_str)
            .unwrap_or("*");
        (!matches(selector))
            .then(|| format!("Shape ID `{value}` does not match selector `{selector}`"))?
    } else {
        (id_ref.get("failWhenMissing").and_then(Value::as_bool) == Some(true))
            .then(|| format!("Shape ID `{value}` was not found in the model"))?
    };
    let custom = id_ref.get("errorMessage").and_then(Value::as_str);
    Some(custom.map_or(problem, str::to_string))
}
