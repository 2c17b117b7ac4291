//! First-tier validation of a loaded model. Each event is named as the reference names it (the
//! diagnostic code) and its message is `shape-id: text`, the text as the reference words it.

use super::ast::ShapeType;
use super::model::*;
use super::prelude;
use crate::diagnostic::{Diagnostic, Severity};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

struct Events<'a> {
    model: &'a Model,
    out: Vec<Diagnostic>,
    /// Per event: reported as DANGER by the reference (an error here, but suppressible).
    danger: Vec<bool>,
    /// Structures used as the input or output of an operation.
    io_structures: BTreeSet<String>,
}

impl Events<'_> {
    fn emit(&mut self, id: &str, severity: Severity, at: &Location, shape: &str, message: String) {
        self.danger.push(false);
        self.out.push(Diagnostic::new(
            id,
            severity,
            format!("{shape}: {message}"),
            at.path.clone(),
            at.span,
        ));
    }

    fn error(&mut self, id: &str, at: &Location, shape: &str, message: String) {
        self.emit(id, Severity::Error, at, shape, message);
    }

    /// An event the reference rates DANGER: an error that suppressions can silence.
    fn danger(&mut self, id: &str, at: &Location, shape: &str, message: String) {
        self.emit(id, Severity::Error, at, shape, message);
        if let Some(last) = self.danger.last_mut() {
            *last = true;
        }
    }
}

/// Runs every validator; returns the events in no particular order.
pub fn validate(model: &Model) -> Vec<Diagnostic> {
    let io_structures = model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Operation)
        .flat_map(|s| [&s.relations.input, &s.relations.output])
        .flatten()
        .map(|r| r.target.clone())
        .collect();
    let mut ev = Events {
        model,
        out: Vec::new(),
        danger: Vec::new(),
        io_structures,
    };
    for shape in model.shapes.values() {
        targets(&mut ev, shape);
        trait_targets_and_values(&mut ev, shape);
        trait_conflicts(&mut ev, shape);
        http_labels(&mut ev, shape);
        paginated(&mut ev, shape);
        resource_identifier_bindings(&mut ev, shape);
    }
    shape_id_conflicts(&mut ev);
    http_uri_conflicts(&mut ev);
    let mut events = ev.out;
    // Suppressed events stay visible as notes, as the reference keeps them as SUPPRESSED.
    // Errors (other than DANGER events) cannot be suppressed.
    for (e, danger) in events.iter_mut().zip(ev.danger) {
        if (e.severity != Severity::Error || danger) && suppressed(model, e) {
            e.severity = Severity::Note;
        }
    }
    events
}

/// Whether an event ID is `id` or one of its sub-events (`id.something`).
fn id_matches(event: &str, id: &str) -> bool {
    event == id
        || event
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Events silenced by the `suppressions` metadata (by ID and namespace) or by the `@suppress`
/// trait of the shape they are about.
fn suppressed(model: &Model, event: &Diagnostic) -> bool {
    let shape = event.message.split_once(": ").map_or("", |(s, _)| s);
    let namespace = shape.split('#').next().unwrap_or("");
    let by_metadata = model
        .metadata
        .get("suppressions")
        .and_then(Value::as_array)
        .is_some_and(|list| {
            list.iter().any(|s| {
                let id = s.get("id").and_then(Value::as_str).unwrap_or("");
                let ns = s.get("namespace").and_then(Value::as_str).unwrap_or("");
                id_matches(&event.code, id) && (ns == "*" || ns == namespace)
            })
        });
    let root = shape.split('$').next().unwrap_or(shape);
    let by_trait = model.shapes.get(root).is_some_and(|s| {
        let traits = match shape.split_once('$') {
            Some((_, m)) => s.member(m).map(|m| &m.traits),
            None => Some(&s.traits),
        };
        traits
            .and_then(|t| t.get("smithy.api#suppress"))
            .and_then(|t| t.value.as_array())
            .is_some_and(|ids| {
                ids.iter()
                    .filter_map(Value::as_str)
                    .any(|id| id_matches(&event.code, id))
            })
    });
    by_metadata || by_trait
}

fn describe(model: &Model, id: &str) -> String {
    let t = if id.contains('$') {
        "member"
    } else {
        model.shape_type(id).map_or("unknown", ShapeType::as_str)
    };
    format!("({t}: `{id}`)")
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn has_trait(model: &Model, id: &str, trait_id: &str) -> bool {
    model
        .shapes
        .get(id)
        .is_some_and(|s| model.has_trait(s, trait_id))
}

// ---- Target ----

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// `. Did you mean a, b?`: the shapes of the same namespace whose names are closest to the
/// unresolved one (within two edits).
fn suggestions(model: &Model, missing: &str) -> String {
    let Some((ns, name)) = missing.split_once('#') else {
        return String::new();
    };
    let mut best: Vec<&str> = Vec::new();
    let mut best_distance = 3;
    for id in model.shapes.keys() {
        let Some((other_ns, other)) = id.split_once('#') else {
            continue;
        };
        if other_ns != ns {
            continue;
        }
        let d = edit_distance(&name.to_lowercase(), &other.to_lowercase());
        if d < best_distance {
            best_distance = d;
            best.clear();
        }
        if d == best_distance {
            best.push(id);
        }
    }
    if best.is_empty() {
        String::new()
    } else {
        format!(". Did you mean {}?", best.join(", "))
    }
}

fn targets(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    for m in &shape.members {
        if m.target.is_empty() || matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum) {
            continue;
        }
        let member_id = format!("{}${}", shape.id, m.name);
        let at = &m.target_location;
        if m.target.contains('$') {
            ev.error(
                "Target",
                at,
                &member_id,
                format!(
                    "Members cannot target member shapes, but found {}",
                    describe(model, &m.target)
                ),
            );
            continue;
        }
        let Some(t) = model.shape_type(&m.target) else {
            ev.error(
                "Target",
                at,
                &member_id,
                format!(
                    "member shape targets an unresolved shape `{}`{}",
                    m.target,
                    suggestions(model, &m.target)
                ),
            );
            continue;
        };
        if matches!(
            t,
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation
        ) {
            ev.error(
                "Target",
                at,
                &member_id,
                format!(
                    "Members cannot target {} shapes, but found {}",
                    t.as_str(),
                    describe(model, &m.target)
                ),
            );
        } else if has_trait(model, &m.target, "smithy.api#trait") {
            ev.error("Target", at, &member_id, format!(
                "Found a MEMBER_TARGET reference to trait definition `{}`. Trait definitions cannot be targeted by members or referenced by shapes in any other context other than applying them as traits.",
                m.target
            ));
        } else if model
            .shapes
            .get(&m.target)
            .is_some_and(|s| s.traits.contains_key("smithy.api#mixin"))
        {
            ev.error("Target", at, &member_id, format!(
                "Illegal MEMBER_TARGET reference to mixin `{}`; shapes marked with the mixin trait can only be referenced to apply them as a mixin.",
                m.target
            ));
        } else if shape.shape_type == ShapeType::Map
            && m.name == "key"
            && !matches!(t, ShapeType::String | ShapeType::Enum)
        {
            ev.error(
                "Target",
                &shape.location,
                &shape.id,
                format!(
                    "Map key member targets {}, but is expected to target a string",
                    describe(model, &m.target)
                ),
            );
        }
    }
    for mixin in &shape.mixins {
        if let Some(m) = model.shapes.get(&mixin.target) {
            if !m.traits.contains_key("smithy.api#mixin") {
                ev.error(
                    "Target",
                    &mixin.location,
                    &shape.id,
                    format!(
                        "Attempted to use {} as a mixin, but it is not marked with the mixin trait",
                        mixin.target
                    ),
                );
            }
        }
    }
    let r = &shape.relations;
    let kind = shape.shape_type.as_str();
    let check = |ev: &mut Events, rel: &str, reference: &Reference, expected: &[ShapeType]| {
        match model.shape_type(&reference.target) {
            None => ev.error(
                "Target",
                &reference.location,
                &shape.id,
                format!(
                    "{kind} shape has {} `{rel}` relationship to an unresolved shape `{}`{}",
                    article(rel),
                    reference.target,
                    suggestions(model, &reference.target)
                ),
            ),
            Some(t) if !expected.contains(&t) => {
                let want = expected[0].as_str();
                let message = if LIFECYCLE.contains(&rel) {
                    format!(
                        "Resource {rel} lifecycle operation must target an operation, but found {}",
                        describe(model, &reference.target)
                    )
                } else {
                    format!(
                        "{kind} shape `{rel}` relationships must target a {want} shape, but found {}",
                        describe(model, &reference.target)
                    )
                };
                ev.error("Target", &reference.location, &shape.id, message);
            }
            Some(_) => {}
        }
    };
    const STRUCT: &[ShapeType] = &[ShapeType::Structure];
    const OP: &[ShapeType] = &[ShapeType::Operation];
    const RES: &[ShapeType] = &[ShapeType::Resource];
    const STR: &[ShapeType] = &[ShapeType::String, ShapeType::Enum];
    match shape.shape_type {
        ShapeType::Operation => {
            for (rel, io) in [("input", &r.input), ("output", &r.output)] {
                let Some(io) = io else { continue };
                check(ev, rel, io, STRUCT);
                if has_trait(model, &io.target, "smithy.api#error") {
                    let which = if rel == "input" { "input" } else { "output" };
                    ev.error("Target", &io.location, &shape.id, format!(
                        "Operation {which} targets an invalid structure `{}` that is marked with the `error` trait.",
                        io.target
                    ));
                }
            }
            for e in &r.errors {
                check(ev, "error", e, STRUCT);
                if model.shape_type(&e.target) == Some(ShapeType::Structure)
                    && !has_trait(model, &e.target, "smithy.api#error")
                {
                    ev.error("Target", &e.location, &shape.id, format!(
                        "`{}` cannot be bound as an error because it is not marked with the `error` trait.",
                        e.target
                    ));
                }
            }
        }
        ShapeType::Service | ShapeType::Resource => {
            for o in &r.operations {
                check(ev, "operation", o, OP);
            }
            for x in &r.resources {
                check(ev, "resource", x, RES);
            }
            for e in &r.errors {
                check(ev, "error", e, STRUCT);
                if model.shape_type(&e.target) == Some(ShapeType::Structure)
                    && !has_trait(model, &e.target, "smithy.api#error")
                {
                    ev.error("Target", &e.location, &shape.id, format!(
                        "`{}` cannot be bound as an error because it is not marked with the `error` trait.",
                        e.target
                    ));
                }
            }
            for o in &r.collection_operations {
                check(ev, "collection_operation", o, OP);
            }
            for (_, x) in &r.identifiers {
                check(ev, "identifier", x, STR);
            }
            for (rel, x) in &r.lifecycle {
                check(ev, rel, x, OP);
            }
        }
        _ => {}
    }
}

// ---- TraitTarget and TraitValue ----

/// Whether a type is in a space-separated list of type names (with `simple`, `number` and
/// `plainstring` as classes).
fn type_in(list: &str, t: ShapeType) -> bool {
    list.split(' ').any(|w| match w {
        "*" => true,
        "simple" => t.is_simple(),
        "number" => t.is_number(),
        "list" => matches!(t, ShapeType::List | ShapeType::Set),
        "string" => matches!(t, ShapeType::String | ShapeType::Enum),
        "plainstring" => t == ShapeType::String,
        "integer" => matches!(t, ShapeType::Integer | ShapeType::IntEnum),
        other => t.as_str() == other,
    })
}

/// Whether a shape reaches a float, double or document through its members.
fn reaches_inexact(model: &Model, id: &str, seen: &mut BTreeSet<String>) -> bool {
    if !seen.insert(id.to_string()) {
        return false;
    }
    match model.shape_type(id) {
        Some(ShapeType::Float | ShapeType::Double | ShapeType::Document) => true,
        _ => model.shapes.get(id).is_some_and(|s| {
            model
                .members_of(s)
                .iter()
                .any(|m| reaches_inexact(model, &m.target, seen))
        }),
    }
}

/// Whether a prelude trait's placement rule (see [`prelude::PreludeTrait::applies_to`]) admits
/// the shape or member.
fn placement_ok(
    model: &Model,
    io_structures: &BTreeSet<String>,
    rule: &str,
    container: &Shape,
    member: Option<&Member>,
) -> bool {
    let target_type = |m: &Member| model.shape_type(&m.target);
    let has = |t: &str| model.has_trait(container, t);
    let collection = |t: ShapeType| {
        t.is_simple() || matches!(t, ShapeType::List | ShapeType::Set | ShapeType::Map)
    };
    match rule {
        "*" | "-" => return true,
        "default" => {
            return match member {
                None => collection(container.shape_type),
                Some(m) => {
                    container.shape_type == ShapeType::Structure
                        && target_type(m).is_none_or(collection)
                }
            }
        }
        "io-member-structure" => {
            return member.is_some_and(|m| {
                io_structures.contains(&container.id)
                    && model.shape_type(&m.target) == Some(ShapeType::Structure)
            });
        }
        "io-member-or-trait" => {
            return match member {
                Some(_) => io_structures.contains(&container.id),
                None => has("smithy.api#trait"),
            };
        }
        "unique-items" => {
            return member.is_none()
                && matches!(container.shape_type, ShapeType::List | ShapeType::Set)
                && !container
                    .member("member")
                    .is_some_and(|m| reaches_inexact(model, &m.target, &mut BTreeSet::new()));
        }
        _ => {}
    }
    let Some((head, list)) = rule.split_once(':') else {
        return true;
    };
    let mut parts = head.split('+');
    let kind = parts.next().unwrap_or("");
    let condition_ok = parts.all(|c| match c {
        "required" => member.is_some_and(|m| m.traits.contains_key("smithy.api#required")),
        "default" => member.is_some_and(|m| m.traits.contains_key("smithy.api#default")),
        "not-input" => !has("smithy.api#input"),
        "error" => has("smithy.api#error"),
        "not-io" => !has("smithy.api#input") && !has("smithy.api#output"),
        "put" => container
            .relations
            .lifecycle
            .iter()
            .any(|(k, _)| k == "put"),
        "not-sparse" => member
            .and_then(|m| model.shapes.get(&m.target))
            .is_none_or(|map| !map.traits.contains_key("smithy.api#sparse")),
        "aggregate" => matches!(
            container.shape_type,
            ShapeType::Structure | ShapeType::Union
        ),
        _ => true,
    });
    if !condition_ok {
        return false;
    }
    match (kind, member) {
        ("shapes", None) => type_in(list, container.shape_type),
        ("shapes", Some(_)) | ("member", None) | ("member-value", None) => false,
        ("member", Some(_)) => match list {
            "structure" => container.shape_type == ShapeType::Structure,
            "aggregate" => matches!(
                container.shape_type,
                ShapeType::Structure | ShapeType::Union
            ),
            "enum" => matches!(container.shape_type, ShapeType::Enum | ShapeType::IntEnum),
            _ => true,
        },
        ("value", None) => type_in(list, container.shape_type),
        ("value", Some(m)) => target_type(m).is_none_or(|t| type_in(list, t)),
        ("member-value", Some(m)) => {
            let container_ok = container.shape_type == ShapeType::Structure
                || (head.contains("aggregate") && container.shape_type == ShapeType::Union);
            container_ok && target_type(m).is_none_or(|t| type_in(list, t))
        }
        _ => true,
    }
}

fn trait_display(id: &str) -> String {
    match id.strip_prefix("smithy.api#") {
        Some(short) => short.to_string(),
        None => id.to_string(),
    }
}

fn trait_targets_and_values(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    let owners = std::iter::once((shape.id.clone(), None, &shape.traits)).chain(
        shape
            .members
            .iter()
            .map(|m| (format!("{}${}", shape.id, m.name), Some(m), &m.traits)),
    );
    for (owner, member, traits) in owners {
        for (id, tv) in traits {
            let name = trait_display(id);
            if let Some(def) = model.shapes.get(id) {
                if def.traits.contains_key("smithy.api#mixin") {
                    ev.error(
                        "TraitTarget",
                        &tv.location,
                        &owner,
                        format!("Trait `{id}` is a mixin and cannot be applied to `{owner}`."),
                    );
                }
                let selector = model
                    .trait_value(def, "smithy.api#trait")
                    .and_then(|t| t.get("selector"))
                    .and_then(Value::as_str);
                if let Some(selector) = selector.filter(|s| !s.trim().is_empty()) {
                    if super::selector::matches(model, selector, shape, member) == Some(false) {
                        ev.error("TraitTarget", &tv.location, &owner, format!(
                            "Trait `{id}` cannot be applied to `{owner}`. This trait may only be applied to shapes that match the following selector: {selector}"
                        ));
                    }
                }
                check_value(ev, &owner, &name, &tv.location, &tv.value, id, true);
                continue;
            }
            let Some(short) = id.strip_prefix("smithy.api#") else {
                continue;
            };
            let Some(def) = prelude::trait_def(short) else {
                continue;
            };
            if !placement_ok(model, &ev.io_structures, def.applies_to, shape, member) {
                let selector = prelude::selector(short).unwrap_or("*");
                ev.error("TraitTarget", &tv.location, &owner, format!(
                    "Trait `{name}` cannot be applied to `{owner}`. This trait may only be applied to shapes that match the following selector: {selector}"
                ));
            }
            check_prelude_value(ev, &owner, short, def.shape_type, tv);
        }
    }
}

fn node_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
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

fn check_prelude_value(ev: &mut Events, owner: &str, name: &str, t: ShapeType, tv: &TraitValue) {
    let v = &tv.value;
    let enumerated: &[&str] = match name {
        "timestampFormat" => &["date-time", "epoch-seconds", "http-date"],
        "error" => &["client", "server"],
        _ => &[],
    };
    if let Some(expected) = expected_kind(t) {
        // Annotation traits written without a value are fine whatever their shape.
        let empty_annotation = v.as_object().is_some_and(|o| o.is_empty()) || v.is_null();
        if node_kind(v) != expected && !(empty_annotation && expected == "object") {
            ev.error("TraitValue", &tv.location, owner, format!(
                "Error validating trait `{name}`: Expected {expected} value for {} shape, `smithy.api#{name}`; found {} value",
                t.as_str(),
                node_kind(v)
            ));
            return;
        }
    }
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
                Some((_, kind)) if node_kind(value) != kind.trim_start_matches('!') => ev.error(
                    "TraitValue",
                    &tv.location,
                    owner,
                    format!(
                        "Error validating trait `{name}`.{key}: Expected {} value for `smithy.api#{name}${key}`; found {} value, `{value}`",
                        kind.trim_start_matches('!'),
                        node_kind(value)
                    ),
                ),
                Some(_) => {}
            }
        }
        for (member, _) in known
            .iter()
            .filter(|(m, k)| k.starts_with('!') && !o.contains_key(*m))
        {
            ev.error(
                "TraitValue",
                &tv.location,
                owner,
                format!("Error validating trait `{name}`: Missing required structure member `{member}` for `smithy.api#{name}`"),
            );
        }
    }
    check_prelude_constraints(ev, owner, name, tv);
    if let (false, Some(s)) = (enumerated.is_empty(), v.as_str()) {
        if !enumerated.contains(&s) {
            let values: Vec<String> = enumerated.iter().map(|e| format!("`{e}`")).collect();
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
    let valid = value.contains('#') && matches!(super::lexeme::shape_id(value), Ok(("", _)));
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
    if node_kind(v) != expected {
        let shown = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        ev.error("TraitValue", at, owner, format!(
            "Error validating trait `{trait_name}`: Expected {expected} value for {} shape, `{shape_id}`; found {} value, `{shown}`",
            t.as_str(),
            node_kind(v)
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

// ---- TraitConflict ----

fn trait_conflicts(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    let owners = std::iter::once((shape.id.clone(), shape.shape_type.as_str(), &shape.traits))
        .chain(
            shape
                .members
                .iter()
                .map(|m| (format!("{}${}", shape.id, m.name), "member", &m.traits)),
        );
    for (owner, kind, traits) in owners {
        let mut pairs: Vec<String> = Vec::new();
        for (id, tv) in traits {
            let conflicts: Vec<String> = match id.strip_prefix("smithy.api#") {
                Some(short) => prelude::trait_def(short)
                    .map(|d| {
                        d.conflicts
                            .iter()
                            .map(|c| format!("smithy.api#{c}"))
                            .collect()
                    })
                    .unwrap_or_default(),
                None => model
                    .shapes
                    .get(id)
                    .and_then(|s| s.traits.get("smithy.api#trait"))
                    .and_then(|t| t.value.get("conflicts"))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            let mut present: Vec<&String> = conflicts
                .iter()
                .filter(|c| *c != id && traits.contains_key(*c))
                .collect();
            present.sort();
            for c in present {
                pairs.push(format!(
                    "`{}` conflicts with `{}`",
                    trait_display(id),
                    trait_display(c)
                ));
            }
            let _ = tv;
        }
        if !pairs.is_empty() {
            let at = traits
                .values()
                .next()
                .map(|t| t.location.clone())
                .unwrap_or_default();
            ev.error(
                "TraitConflict",
                &at,
                &owner,
                format!(
                    "Found conflicting traits on {kind} shape: {}",
                    pairs.join(", ")
                ),
            );
        }
    }
}

// ---- ShapeIdConflict ----

fn shape_id_conflicts(ev: &mut Events) {
    let model = ev.model;
    let mut by_lower: BTreeMap<String, Vec<(String, Location)>> = BTreeMap::new();
    for shape in model.shapes.values() {
        by_lower
            .entry(shape.id.to_lowercase())
            .or_default()
            .push((shape.id.clone(), shape.location.clone()));
        for m in &shape.members {
            let id = format!("{}${}", shape.id, m.name);
            by_lower
                .entry(id.to_lowercase())
                .or_default()
                .push((id, m.location.clone()));
        }
    }
    for ids in by_lower.values().filter(|v| v.len() > 1) {
        for (id, at) in ids {
            let others: BTreeSet<String> = ids
                .iter()
                .filter(|(o, _)| o != id)
                .map(|(o, _)| format!("`{o}`"))
                .collect();
            let others: Vec<String> = others.into_iter().collect();
            ev.error(
                "ShapeIdConflict",
                at,
                id,
                format!(
                    "Shape ID `{id}` conflicts with other shape IDs in the model: [{}]",
                    others.join(", ")
                ),
            );
        }
    }
}

// ---- HttpLabelTrait and HttpUriConflict ----

struct UriPattern {
    path: String,
    /// Path segments: literal text, or a label (`Some(greedy)`).
    segments: Vec<(String, Option<bool>)>,
    query: String,
}

fn parse_uri(uri: &str) -> UriPattern {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                Some(label) => match label.strip_suffix('+') {
                    Some(l) => (l.to_string(), Some(true)),
                    None => (label.to_string(), Some(false)),
                },
                None => (s.to_string(), None),
            },
        )
        .collect();
    UriPattern {
        path: path.to_string(),
        segments,
        query: query.to_string(),
    }
}

fn http_trait(model: &Model, op: &Shape) -> Option<(String, UriPattern)> {
    let http = model.trait_value(op, "smithy.api#http")?;
    let method = http.get("method")?.as_str()?.to_string();
    let uri = http.get("uri")?.as_str()?;
    Some((method, parse_uri(uri)))
}

fn http_labels(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    if shape.shape_type != ShapeType::Operation {
        return;
    }
    let Some((_, uri)) = http_trait(model, shape) else {
        return;
    };
    let input_id = shape
        .relations
        .input
        .as_ref()
        .map_or("smithy.api#Unit".to_string(), |r| r.target.clone());
    let input = model.shapes.get(&input_id);
    let members: Vec<&Member> = input.map(|s| model.members_of(s)).unwrap_or_default();
    let labelled: Vec<&&Member> = members
        .iter()
        .filter(|m| m.traits.contains_key("smithy.api#httpLabel"))
        .collect();
    let missing: Vec<String> = uri
        .segments
        .iter()
        .filter_map(|(name, label)| label.map(|_| name))
        .filter(|name| !labelled.iter().any(|m| m.name == **name))
        .map(|n| format!("`{n}`"))
        .collect();
    if !missing.is_empty() {
        ev.error("HttpLabelTrait", &shape.location, &shape.id, format!(
            "This operation uses `{input_id}` as input, but the following URI labels found in the operation's `http` trait do not have a corresponding member marked with the `httpLabel` trait: {}",
            missing.join(", ")
        ));
    }
    for m in labelled {
        let member_id = format!("{input_id}${}", m.name);
        match uri.segments.iter().find(|(n, l)| l.is_some() && *n == m.name) {
            None => ev.error("HttpLabelTrait", &m.location, &member_id, format!(
                "This `{}` structure member is marked with the `httpLabel` trait, but no corresponding `http` URI label could be found when used as the input of the `{}` operation.",
                m.name, shape.id
            )),
            Some((_, Some(true))) => {
                if !matches!(model.shape_type(&m.target), Some(ShapeType::String | ShapeType::Enum)) {
                    ev.error("HttpLabelTrait", &m.location, &member_id, format!(
                        "The `{}` structure member corresponds to a greedy label when used as the input of the `{}` operation. This member targets {}, but greedy labels must target string shapes.",
                        m.name,
                        shape.id,
                        describe(model, &m.target)
                    ));
                }
            }
            Some(_) => {}
        }
    }
}

/// Two patterns conflict when they have the same number of segments and every pair of
/// segments is the same literal or two labels, and their query literals do not tell them
/// apart.
fn uris_conflict(a: &UriPattern, b: &UriPattern) -> bool {
    if a.segments.len() != b.segments.len() {
        let greedy = |p: &UriPattern| p.segments.iter().any(|(_, l)| *l == Some(true));
        if !(greedy(a) || greedy(b)) {
            return false;
        }
    }
    let same = a
        .segments
        .iter()
        .zip(&b.segments)
        .all(|(x, y)| match (&x.1, &y.1) {
            (None, None) => x.0 == y.0,
            (Some(_), Some(_)) => true,
            _ => false,
        });
    if !same || a.segments.len() != b.segments.len() {
        return false;
    }
    let literals = |q: &str| -> BTreeSet<String> {
        q.split('&')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    literals(&a.query) == literals(&b.query)
}

/// Host prefixes (`@endpoint`) can route to the same host when they are both absent, or when
/// each dot-separated part is equal or a `{label}` on either side.
/// A label whose input member is constrained by `@pattern` is assumed to tell the hosts apart.
fn hosts_conflict(a: Option<&HostPrefix>, b: Option<&HostPrefix>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let (pa, pb): (Vec<&str>, Vec<&str>) =
                (a.text.split('.').collect(), b.text.split('.').collect());
            let open = |p: &str, host: &HostPrefix| {
                p.strip_prefix('{')
                    .and_then(|l| l.strip_suffix('}'))
                    .is_some_and(|l| !host.patterned.contains(l))
            };
            pa.len() == pb.len()
                && pa
                    .iter()
                    .zip(&pb)
                    .all(|(x, y)| x == y || open(x, a) || open(y, b))
        }
        _ => false,
    }
}

/// An `@endpoint` host prefix and its labels bound to `@pattern`-constrained members.
struct HostPrefix {
    text: String,
    patterned: BTreeSet<String>,
}

fn host_prefix(model: &Model, op: &Shape) -> Option<HostPrefix> {
    let text = model
        .trait_value(op, "smithy.api#endpoint")?
        .get("hostPrefix")?
        .as_str()?
        .to_string();
    let input = op
        .relations
        .input
        .as_ref()
        .and_then(|r| model.shapes.get(&r.target));
    let patterned = input
        .map(|i| {
            model
                .members_of(i)
                .into_iter()
                .filter(|m| {
                    m.traits.contains_key("smithy.api#pattern")
                        || model
                            .shapes
                            .get(&m.target)
                            .is_some_and(|t| t.traits.contains_key("smithy.api#pattern"))
                })
                .map(|m| m.name.clone())
                .collect()
        })
        .unwrap_or_default();
    Some(HostPrefix { text, patterned })
}

fn service_operations(model: &Model, service: &Shape) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    let mut resources: Vec<String> = Vec::new();
    ops.extend(
        service
            .relations
            .operations
            .iter()
            .map(|r| r.target.clone()),
    );
    resources.extend(service.relations.resources.iter().map(|r| r.target.clone()));
    let mut seen = BTreeSet::new();
    while let Some(id) = resources.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(res) = model.shapes.get(&id) else {
            continue;
        };
        let r = &res.relations;
        ops.extend(
            r.operations
                .iter()
                .chain(&r.collection_operations)
                .chain(r.lifecycle.iter().map(|(_, x)| x))
                .map(|x| x.target.clone()),
        );
        resources.extend(r.resources.iter().map(|x| x.target.clone()));
    }
    ops
}

fn http_uri_conflicts(ev: &mut Events) {
    let model = ev.model;
    for service in model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Service)
    {
        let ops: Vec<(&Shape, String, UriPattern, Option<HostPrefix>)> =
            service_operations(model, service)
                .iter()
                .filter_map(|id| model.shapes.get(id))
                .filter_map(|op| {
                    let (method, uri) = http_trait(model, op)?;
                    let host = host_prefix(model, op);
                    Some((op, method, uri, host))
                })
                .collect();
        for (op, method, uri, host) in &ops {
            let conflicts: Vec<String> = ops
                .iter()
                .filter(|(other, m, u, h)| {
                    other.id != op.id
                        && m == method
                        && hosts_conflict(h.as_ref(), host.as_ref())
                        && uris_conflict(uri, u)
                })
                .map(|(other, _, u, _)| {
                    let full = if u.query.is_empty() {
                        u.path.clone()
                    } else {
                        format!("{}?{}", u.path, u.query)
                    };
                    format!("`{}` ({full})", other.id)
                })
                .collect();
            if !conflicts.is_empty() {
                let full = if uri.query.is_empty() {
                    uri.path.clone()
                } else {
                    format!("{}?{}", uri.path, uri.query)
                };
                ev.error("HttpUriConflict", &op.location, &op.id, format!(
                    "Operation URI, `{full}`, conflicts with other operation URIs in the same service: [{}]",
                    conflicts.join(", ")
                ));
            }
        }
    }
}

// ---- PaginatedTrait ----

fn paginated(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    if shape.shape_type != ShapeType::Operation {
        return;
    }
    let Some(own) = model.trait_value(shape, "smithy.api#paginated") else {
        return;
    };
    // Service-level defaults fill in what the operation leaves out.
    let strings = |v: Option<&Value>| -> BTreeMap<String, String> {
        v.and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let own = strings(Some(own));
    let mut settings = own.clone();
    let at_trait = model
        .shapes
        .get(&shape.id)
        .and_then(|s| s.traits.get("smithy.api#paginated"))
        .map_or(shape.location.clone(), |t| t.location.clone());
    for service in model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Service)
    {
        if !service_operations(model, service).contains(&shape.id) {
            continue;
        }
        let mut merged = strings(model.trait_value(service, "smithy.api#paginated"));
        merged.extend(own.clone());
        for key in ["inputToken", "outputToken"] {
            if !merged.contains_key(key) {
                ev.error(
                    "PaginatedTrait",
                    &at_trait,
                    &shape.id,
                    format!(
                    "When bound within the `{}` service, paginated trait `{key}` is not configured",
                    service.id
                ),
                );
            }
        }
        settings = merged;
    }
    let io = |r: &Option<Reference>| r.as_ref().and_then(|x| model.shapes.get(&x.target));
    let input = io(&shape.relations.input);
    let output = io(&shape.relations.output);
    let at = model
        .shapes
        .get(&shape.id)
        .and_then(|s| s.traits.get("smithy.api#paginated"))
        .map_or(shape.location.clone(), |t| t.location.clone());
    for (key, on_input, kinds) in [
        ("inputToken", true, &["map", "string"][..]),
        ("outputToken", false, &["map", "string"][..]),
        ("items", false, &["list", "map"][..]),
        ("pageSize", true, &["byte", "integer", "long", "short"][..]),
    ] {
        let Some(path) = settings.get(key) else {
            continue;
        };
        if matches!(key, "pageSize" | "inputToken") && path.contains('.') {
            ev.error(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!("paginated trait `{key}` does not allow path values"),
            );
            continue;
        }
        let parts: Vec<&str> = path.split('.').collect();
        if parts.len() > 2 {
            ev.emit(
                &format!("PaginatedTrait.DeeplyNested.{key}"),
                Severity::Warning,
                &at,
                &shape.id,
                format!("paginated trait `{key}` contains a path with more than two parts, which can make your API cumbersome to use"),
            );
        }
        let mut container = if on_input { input } else { output };
        let mut found: Option<&Member> = None;
        for part in &parts {
            let Some(c) = container else {
                found = None;
                break;
            };
            found = model.members_of(c).into_iter().find(|m| m.name == *part);
            container = found.and_then(|m| model.shapes.get(&m.target));
        }
        let Some(member) = found else {
            ev.error(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` targets a member `{}` that does not exist",
                    parts.last().unwrap_or(&"")
                ),
            );
            continue;
        };
        let target_type = model.shape_type(&member.target);
        // An unresolved target is the Target validator's business.
        let type_ok = target_type.is_none_or(|t| {
            kinds.iter().any(|k| match *k {
                "string" => matches!(t, ShapeType::String | ShapeType::Enum),
                "list" => matches!(t, ShapeType::List | ShapeType::Set),
                "integer" => matches!(t, ShapeType::Integer | ShapeType::IntEnum),
                other => t.as_str() == other,
            })
        });
        if !type_ok {
            let listed: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
            ev.error("PaginatedTrait", &at, &shape.id, format!(
                "paginated trait `{key}` member `{}` targets a {} shape, but must target one of the following: [{}]",
                member.name,
                target_type.map_or("unknown", ShapeType::as_str),
                listed.join(", ")
            ));
        }
        // Types that are allowed but discouraged.
        let discouraged = match (key, target_type) {
            ("inputToken" | "outputToken", Some(ShapeType::Map)) => Some(("string", true)),
            ("pageSize", Some(ShapeType::Byte | ShapeType::Short | ShapeType::Long)) => {
                Some(("integer", false))
            }
            _ => None,
        };
        if let (Some((better, sub_id)), Some(t)) = (discouraged, target_type) {
            let id = if sub_id {
                format!("PaginatedTrait.WrongShapeType.{key}")
            } else {
                "PaginatedTrait".to_string()
            };
            ev.danger(&id, &at, &shape.id, format!(
                "paginated trait `{key}` member `{}` targets a {} shape, but this is not recommended. One of [`{better}`] SHOULD be targeted.",
                member.name,
                t.as_str()
            ));
        }
        let required = member.traits.contains_key("smithy.api#required");
        if required && key == "outputToken" {
            ev.danger(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` member `{}` should not be required",
                    member.name
                ),
            );
        }
        if required && key == "inputToken" {
            ev.error(
                "PaginatedTrait",
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` member `{}` must not be required",
                    member.name
                ),
            );
        }
        if required && key == "pageSize" {
            ev.emit(
                "PaginatedTrait.ShouldNotBeRequired.pageSize",
                Severity::Warning,
                &at,
                &shape.id,
                format!(
                    "paginated trait `{key}` member `{}` should not be required",
                    member.name
                ),
            );
        }
    }
}

// ---- ResourceIdentifierBinding ----

/// The identifiers an operation's input binds (name → members binding it): members marked
/// `@resourceIdentifier("name")`, else required members named like an identifier.
fn bound_identifiers(
    model: &Model,
    op: &Shape,
    identifiers: &[(String, Reference)],
) -> BTreeMap<String, Vec<String>> {
    let mut explicit: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut implicit: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(input) = op
        .relations
        .input
        .as_ref()
        .and_then(|r| model.shapes.get(&r.target))
    else {
        return explicit;
    };
    for m in model.members_of(input) {
        if let Some(name) = m
            .traits
            .get("smithy.api#resourceIdentifier")
            .and_then(|t| t.value.as_str())
        {
            explicit
                .entry(name.to_string())
                .or_default()
                .push(m.name.clone());
        } else if identifiers
            .iter()
            .any(|(n, t)| *n == m.name && t.target == m.target)
            && m.traits.contains_key("smithy.api#required")
        {
            implicit
                .entry(m.name.clone())
                .or_default()
                .push(m.name.clone());
        }
    }
    for (name, members) in implicit {
        explicit.entry(name).or_insert(members);
    }
    explicit
}

fn resource_operations(r: &Relations) -> impl Iterator<Item = (&Reference, bool)> {
    let instance = r
        .lifecycle
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "read" | "update" | "delete" | "put"))
        .map(|(_, x)| (x, true))
        .chain(r.operations.iter().map(|x| (x, true)));
    let collection = r
        .lifecycle
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "create" | "list"))
        .map(|(_, x)| (x, false))
        .chain(r.collection_operations.iter().map(|x| (x, false)));
    instance.chain(collection)
}

fn resource_identifier_bindings(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    if shape.shape_type != ShapeType::Resource {
        return;
    }
    let r = &shape.relations;
    let ids: BTreeSet<String> = r.identifiers.iter().map(|(n, _)| n.clone()).collect();
    let mut inputs_checked = BTreeSet::new();
    for (op_ref, instance) in resource_operations(r) {
        let Some(op) = model.shapes.get(&op_ref.target) else {
            continue;
        };
        let bound = bound_identifiers(model, op, &r.identifiers);
        if let Some(input) = op
            .relations
            .input
            .as_ref()
            .and_then(|x| model.shapes.get(&x.target))
        {
            if inputs_checked.insert(input.id.clone()) {
                binding_conflicts(ev, input);
            }
        }
        let bound_names: BTreeSet<String> = bound.keys().cloned().collect();
        if ids.is_empty() {
            continue;
        }
        if instance && !ids.is_subset(&bound_names) {
            let expected: Vec<String> = r
                .identifiers
                .iter()
                .map(|(n, t)| format!("required member named `{n}` that targets `{}`", t.target))
                .collect();
            let found: Vec<String> = bound_names.iter().map(|i| format!("`{i}`")).collect();
            ev.error("ResourceIdentifierBinding", &op_ref.location, &op.id, format!(
                "This operation does not form a valid instance operation when bound to resource `{}`. All of the identifiers of the resource were not implicitly or explicitly bound to the input of the operation. Expected the following identifier bindings: [{}]. Found the following identifier bindings: [{}]",
                shape.id,
                expected.join(", "),
                found.join(", ")
            ));
        }
        if !instance && ids.is_subset(&bound_names) {
            ev.error("ResourceIdentifierBinding", &op_ref.location, &op.id, format!(
                "This operation is bound as a collection operation on the `{}` resource, but it improperly binds all of the identifiers of the resource to members of the operation input.",
                shape.id
            ));
        }
    }
    // Operations of child resources must also bind the identifiers of this resource.
    for child_ref in &r.resources {
        let Some(child) = model.shapes.get(&child_ref.target) else {
            continue;
        };
        for (op_ref, _) in resource_operations(&child.relations) {
            let Some(op) = model.shapes.get(&op_ref.target) else {
                continue;
            };
            let bound = bound_identifiers(model, op, &r.identifiers);
            let missing: Vec<String> = ids
                .iter()
                .filter(|i| !bound.contains_key(*i))
                .map(|i| format!("`{i}`"))
                .collect();
            if !missing.is_empty() {
                ev.error("ResourceIdentifierBinding", &op_ref.location, &op.id, format!(
                    "This operation is bound to the `{}` resource, which is a child of the `{}` resource, and it is missing the following resource identifier bindings of `{}`: [{}]",
                    child.id,
                    shape.id,
                    shape.id,
                    missing.join(", ")
                ));
            }
        }
    }
}

/// Two members bound to one identifier, or an implicit binding hidden by an explicit one.
fn binding_conflicts(ev: &mut Events, input: &Shape) {
    let model = ev.model;
    let members = model.members_of(input);
    let mut explicit: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &members {
        if let Some(name) = m
            .traits
            .get("smithy.api#resourceIdentifier")
            .and_then(|t| t.value.as_str())
        {
            explicit
                .entry(name.to_string())
                .or_default()
                .push(m.name.clone());
        }
    }
    for (id, bound_by) in &explicit {
        let listed: Vec<String> = bound_by.iter().map(|m| format!("'{m}'")).collect();
        if bound_by.len() > 1 {
            ev.error("ResourceIdentifierBinding", &input.location, &input.id, format!(
                "Conflicting resource identifier member bindings found for identifier '{id}' between members: {}",
                listed.join(", ")
            ));
        }
        if members.iter().any(|m| m.name == *id) && !bound_by.contains(id) {
            ev.emit("ResourceIdentifierBinding", Severity::Warning, &input.location, &input.id, format!(
                "Implicit resource identifier for '{id}' is overridden by `resourceIdentifier` trait on members: {}",
                listed.join(", ")
            ));
        }
    }
}
