//! Reading a Smithy JSON AST document into shapes. Locations point at the shape's key in the
//! JSON text, so diagnostics about JSON-defined shapes land on the right line.

use super::ast::{IdlVersion, ShapeType};
use super::build::dedup;
use super::lexeme::{is_absolute_shape_id, is_identifier};
use super::model::*;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::SourceText;
use raw::ObjectOr;
use rustc_hash::FxHashSet;
use serde_json::Value;
use std::sync::Arc;

mod raw;

/// The JSON type name the reference uses in its messages.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The properties a JSON AST object of this kind may have.
fn allowed_properties(shape_type: ShapeType) -> &'static [&'static str] {
    match shape_type {
        ShapeType::List | ShapeType::Set => &["member", "mixins", "traits", "type"],
        ShapeType::Map => &["key", "mixins", "traits", "type", "value"],
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            &["members", "mixins", "traits", "type"]
        }
        ShapeType::Service => &[
            "errors",
            "mixins",
            "operations",
            "rename",
            "resources",
            "traits",
            "type",
            "version",
        ],
        ShapeType::Resource => &[
            "collectionOperations",
            "create",
            "delete",
            "identifiers",
            "list",
            "mixins",
            "operations",
            "properties",
            "put",
            "read",
            "resources",
            "traits",
            "type",
            "update",
        ],
        ShapeType::Operation => &["errors", "input", "mixins", "output", "traits", "type"],
        _ => &["mixins", "traits", "type"],
    }
}

/// The reference's warning for properties an object may not have, or `None`.
fn additional_properties<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    allowed: &[&str],
) -> Option<String> {
    let mut extra: Vec<&str> = keys.into_iter().filter(|k| !allowed.contains(k)).collect();
    if extra.is_empty() {
        return None;
    }
    extra.sort_unstable();
    extra.dedup();
    let ticked = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(format!(
        "Expected an object with possible properties of {}, but found additional properties: {}",
        ticked(allowed),
        ticked(&extra)
    ))
}

/// An `"type": "apply"` entry: target, traits, location.
pub type JsonApply = (String, Vec<(String, TraitValue)>, Location);

/// A read JSON AST document.
pub struct JsonDocument {
    pub version: IdlVersion,
    pub metadata: Vec<(String, Value, Location)>,
    pub shapes: Vec<Shape>,
    pub applies: Vec<JsonApply>,
}

/// Finds where keys are written, moving forward through the text: serde_json keeps the order
/// of the document, so each key is searched after the previous one.
struct KeyFinder<'a> {
    source: &'a SourceText,
    /// The file's path, shared by every location read from it.
    path: Arc<str>,
    cursor: usize,
    /// The key being searched for, in quotes (one buffer for all of them).
    quoted: String,
}

impl KeyFinder<'_> {
    /// Where a quoted text is written after the cursor, without moving the cursor; `fallback`
    /// when it is not found.
    fn peek(&self, text: &str, fallback: &Location) -> Location {
        let quoted = format!("\"{text}\"");
        match self.source.text[self.cursor..].find(&quoted) {
            Some(i) => {
                let at = self.cursor + i;
                Location {
                    path: Arc::clone(&self.path),
                    span: self.source.span(at..at + quoted.len()),
                }
            }
            None => fallback.clone(),
        }
    }

    fn locate(&mut self, key: &str) -> Location {
        self.quoted.clear();
        self.quoted.push('"');
        self.quoted.push_str(key);
        self.quoted.push('"');
        let quoted = &self.quoted;
        let text = &self.source.text;
        // The first place the quoted text is a key (followed by `:`), not a value such as a
        // `"target"` naming the shape about to be read. memchr's searcher: `str::find` was a
        // good part of reading a large document.
        let key_at = |from: usize| {
            memchr::memmem::find_iter(&text.as_bytes()[from..], quoted.as_bytes())
                .map(|i| from + i)
                .find(|&at| text[at + quoted.len()..].trim_start().starts_with(':'))
        };
        let found = key_at(self.cursor).or_else(|| key_at(0));
        let range = match found {
            Some(at) => {
                self.cursor = at + quoted.len();
                at..at + quoted.len()
            }
            None => 0..0,
        };
        Location {
            path: Arc::clone(&self.path),
            span: self.source.span(range),
        }
    }
}

pub fn read_json_ast(source: &SourceText, diagnostics: &mut Vec<Diagnostic>) -> JsonDocument {
    let mut doc = JsonDocument {
        version: IdlVersion::V2,
        metadata: Vec::new(),
        shapes: Vec::new(),
        applies: Vec::new(),
    };
    let read = match raw::read(&source.text) {
        Ok(read) => read,
        Err(e) => {
            let offset = line_column_offset(&source.text, e.line(), e.column());
            diagnostics.push(source.diagnostic(
                Code::JsonAstNotJson,
                format!("invalid JSON: {e}"),
                offset..offset,
            ));
            return doc;
        }
    };
    let mut finder = KeyFinder {
        source,
        path: Arc::from(source.path.as_str()),
        cursor: 0,
        quoted: String::new(),
    };
    let mut problem = |loc: &Location, message: String| {
        diagnostics.push(Diagnostic::new(
            Code::JsonAstNotAModel,
            message,
            loc.path.to_string(),
            loc.span,
        ));
    };
    let ObjectOr::Object(root) = read else {
        problem(&finder.locate(""), "a JSON AST must be an object".into());
        return doc;
    };
    let mut warnings: Vec<(Location, String)> = Vec::new();
    let root_keys = root.keys.iter().map(String::as_str);
    if let Some(message) = additional_properties(root_keys, &["metadata", "shapes", "smithy"]) {
        warnings.push((finder.locate("smithy"), message));
    }
    let shapes_type = match &root.shapes {
        Some(ObjectOr::Other(found)) => Some(*found),
        _ => None,
    };
    let metadata_type = root
        .metadata
        .as_ref()
        .filter(|v| !v.is_object())
        .map(json_type);
    for (key, found) in [("metadata", metadata_type), ("shapes", shapes_type)] {
        if let Some(found) = found {
            let loc = finder.locate(key);
            problem(
                &loc,
                format!("Expected `{key}` to be an object; found {found}"),
            );
        }
    }
    match root.smithy.as_ref().and_then(Value::as_str) {
        Some(v) if v.starts_with('1') => doc.version = IdlVersion::V1,
        Some(v) if v.starts_with('2') => doc.version = IdlVersion::V2,
        _ => {
            let loc = finder.locate("smithy");
            problem(
                &loc,
                "a JSON AST needs a `smithy` version string (\"1.0\" or \"2.0\")".into(),
            );
        }
    }
    if let Some(Value::Object(meta)) = root.metadata {
        for (k, v) in meta {
            let loc = finder.locate(&k);
            doc.metadata.push((k, v, loc));
        }
    }
    let Some(ObjectOr::Object(shapes)) = root.shapes else {
        push_warnings(diagnostics, warnings);
        return doc;
    };
    finder.cursor = 0;
    doc.shapes.reserve(shapes.len());
    // The IDs found valid so far: a document names the same few traits and targets on most
    // of its shapes.
    let mut valid_ids: FxHashSet<String> = FxHashSet::default();
    for (id, mut body) in shapes {
        let id = &id;
        let loc = finder.locate(id);
        let traits_entries = body.traits.take();
        let type_name = body.get("type").and_then(Value::as_str).unwrap_or("");
        // Shape IDs become file names of the build: nothing but the shape-ID grammar passes.
        if !is_absolute_shape_id(id, type_name == "apply") {
            problem(&loc, format!("Invalid shape ID: {id}"));
            continue;
        }
        let traits = read_traits(traits_entries, &loc);
        if type_name == "apply" {
            if let Some(bad) = traits.keys().find(|t| !is_absolute_shape_id(t, false)) {
                let at = finder.peek(bad, &loc);
                problem(&at, format!("{id}: Invalid shape ID: {bad}"));
                continue;
            }
            doc.applies
                .push((id.clone(), traits.into_iter().collect(), loc));
            continue;
        }
        let Some(shape_type) = ShapeType::from_keyword(type_name) else {
            problem(&loc, format!("unknown shape type `{type_name}` for `{id}`"));
            continue;
        };
        if id.contains('$') {
            problem(&loc, format!(
                "{id}: Shapes of type `{type_name}` cannot contain a member in their shape ID. Found `{id}`"
            ));
            continue;
        }
        let body_keys = body.keys.iter().map(|k| k.as_ref());
        if let Some(message) = additional_properties(body_keys, allowed_properties(shape_type)) {
            warnings.push((loc.clone(), format!("{id}: {message}")));
        }
        let single_members: &[&str] = match shape_type {
            ShapeType::List | ShapeType::Set => &["member"],
            ShapeType::Map => &["key", "value"],
            _ => &[],
        };
        let member_names: Vec<(&str, &raw::RawMember)> = if single_members.is_empty() {
            body.members
                .iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), v))
                .collect()
        } else {
            single_members
                .iter()
                .filter_map(|n| Some((*n, body.single_member(n)?)))
                .collect()
        };
        for (name, m) in member_names {
            let keys = m.additional.iter().map(String::as_str);
            if let Some(message) = additional_properties(keys, &["target", "traits"]) {
                warnings.push((loc.clone(), format!("{id}${name}: {message}")));
            }
        }
        if shape_type == ShapeType::Operation {
            let mut bad_reference = false;
            for key in ["input", "output"] {
                if let Some(v) = body.get(key).filter(|v| !v.is_object()) {
                    problem(
                        &loc,
                        format!(
                            "{id}: Expected `{key}` to be an object; found {}",
                            json_type(v)
                        ),
                    );
                    bad_reference = true;
                }
            }
            let errors = body.get("errors").and_then(Value::as_array);
            if let Some(v) = errors.into_iter().flatten().find(|v| !v.is_object()) {
                problem(
                    &loc,
                    format!("{id}: Expected object, but found {}.", json_type(v)),
                );
                bad_reference = true;
            }
            if bad_reference {
                continue;
            }
        }
        let member = |name: String, m: raw::RawMember| Member {
            name,
            target: m.target,
            traits: read_traits(m.traits, &loc),
            location: loc.clone(),
            target_location: loc.clone(),
        };
        let members: Vec<Member> = if single_members.is_empty() {
            body.members
                .take()
                .into_iter()
                .flatten()
                .map(|(name, m)| member(name, m))
                .collect()
        } else {
            single_members
                .iter()
                .filter_map(|n| Some(member(n.to_string(), body.take_single_member(n)?)))
                .collect()
        };
        let body = &body;
        let reference = |v: &Value| -> Option<Reference> {
            v.get("target").and_then(Value::as_str).map(|t| Reference {
                target: t.to_string(),
                location: loc.clone(),
            })
        };
        // Bindings and errors are sets: a target listed twice counts once.
        let references = |key: &str| -> Vec<Reference> {
            body.get(key)
                .and_then(Value::as_array)
                .map(|a| dedup(a.iter().filter_map(reference).collect()))
                .unwrap_or_default()
        };
        let named = |key: &str| -> Vec<(String, Reference)> {
            body.get(key)
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| {
                            let target = v.as_str().or_else(|| v.get("target")?.as_str())?;
                            Some((
                                k.clone(),
                                Reference {
                                    target: target.to_string(),
                                    location: loc.clone(),
                                },
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let relations = RelationLists {
            version: body
                .get("version")
                .and_then(Value::as_str)
                .map(str::to_string),
            input: body.get("input").and_then(reference),
            output: body.get("output").and_then(reference),
            errors: references("errors"),
            operations: references("operations"),
            resources: references("resources"),
            collection_operations: references("collectionOperations"),
            identifiers: named("identifiers"),
            properties: named("properties"),
            lifecycle: LIFECYCLE
                .iter()
                .filter_map(|k| Some((k.to_string(), reference(body.get(k)?)?)))
                .collect(),
            rename: body
                .get("rename")
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let mixins = references("mixins");
        let shape = Shape {
            id: id.clone(),
            shape_type,
            members,
            traits,
            mixins,
            relations: relations.into(),
            for_resource: None,
            location: loc.clone(),
            version: doc.version,
        };
        // As in the reference, a shape with a malformed ID in it is not loaded.
        if let Some(bad) = invalid_id_in(&shape, &mut valid_ids) {
            let at = finder.peek(&bad, &loc);
            problem(&at, format!("{id}: Invalid shape ID: {bad}"));
            continue;
        }
        doc.shapes.push(shape);
    }
    push_warnings(diagnostics, warnings);
    doc
}

/// The warnings about properties an object may not have, reported after the errors.
fn push_warnings(diagnostics: &mut Vec<Diagnostic>, warnings: Vec<(Location, String)>) {
    for (loc, message) in warnings {
        diagnostics.push(Diagnostic::new(
            Code::UnknownProperty,
            message,
            loc.path.to_string(),
            loc.span,
        ));
    }
}

/// The first text in a shape read from JSON that should be a shape ID (or a member name) and
/// is not. A missing target (empty) is left to the checks that report it as missing. `valid`
/// holds the IDs found valid before, and takes those found valid now.
fn invalid_id_in(shape: &Shape, valid: &mut FxHashSet<String>) -> Option<String> {
    if let Some(m) = shape.members.iter().find(|m| !is_identifier(&m.name)) {
        return Some(m.name.clone());
    }
    // What `Shape::references` lists, in its order, without copying a reference.
    let members = shape
        .members
        .iter()
        .flat_map(|m| std::iter::once(&m.target).chain(m.traits.keys()));
    let mixins = shape.mixins.iter().map(|r| &r.target);
    let relations = shape.bindings().skip(shape.mixins.len()).map(|r| &r.target);
    let renamed = shape.relations.rename.iter().map(|(from, _)| from);
    members
        .chain(mixins)
        .chain(shape.traits.keys())
        .chain(relations)
        .filter(|t| !t.is_empty())
        .chain(renamed)
        // A member may be targeted (the Target validator says it may not).
        .find(|t| {
            if valid.contains(t.as_str()) {
                return false;
            }
            let ok = is_absolute_shape_id(t, true);
            if ok {
                valid.insert(t.to_string());
            }
            !ok
        })
        .cloned()
}

/// The traits of a shape or member, their values moved out of the document.
fn read_traits(entries: Option<Vec<(String, Value)>>, loc: &Location) -> Traits {
    // From the vector itself, so that the map is collected at its exact size.
    entries
        .unwrap_or_default()
        .into_iter()
        .map(|(id, value)| {
            let location = loc.clone();
            (id, TraitValue { value, location })
        })
        .collect()
}

fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shape is found at its key, not at a `"target"` of an earlier shape that names it.
    #[test]
    fn a_shape_is_located_at_its_key_not_at_a_reference_to_it() {
        let text = r#"{
  "smithy": "2.0",
  "shapes": {
    "ns#A": {
      "type": "structure",
      "members": { "b": { "target": "ns#B" } }
    },
    "ns#B" : { "type": "string" }
  }
}"#;
        let source = SourceText::whole_file("model.json", text);
        let mut diagnostics = Vec::new();
        let doc = read_json_ast(&source, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let b = doc.shapes.iter().find(|s| s.id == "ns#B").expect("ns#B");
        assert_eq!((b.location.span.line, b.location.span.column), (8, 5));
    }
}
