//! Reading a Smithy JSON AST document into shapes. Locations point at the shape's key in the
//! JSON text, so diagnostics about JSON-defined shapes land on the right line.

use super::ast::{IdlVersion, ShapeType};
use super::build::dedup;
use super::lexeme::{is_absolute_shape_id, is_identifier};
use super::model::*;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::source::SourceText;
use raw::{ObjectOr, RawDocument, RawMember, RawShape, TypeName};
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

/// Where a quoted text is written as a key (followed by `:`) at or after `from`. memchr's
/// searcher: `str::find` was a good part of reading a large document.
fn find_key(text: &str, quoted: &str, from: usize) -> Option<usize> {
    memchr::memmem::find_iter(&text.as_bytes()[from..], quoted.as_bytes())
        .map(|i| from + i)
        .find(|&at| text[at + quoted.len()..].trim_start().starts_with(':'))
}

/// Finds where the document's own keys (and metadata keys) are written, moving forward
/// through the text: serde_json keeps the order of the document, so each key is searched
/// after the previous one.
struct KeyFinder<'a> {
    reader: &'a ShapeReader<'a>,
    cursor: usize,
}

impl KeyFinder<'_> {
    fn locate(&mut self, key: &str) -> Location {
        self.reader.key_after(key, &mut self.cursor)
    }
}

/// Reads the shapes of one document as the parser hands them over (see `raw`).
pub(crate) struct ShapeReader<'s> {
    source: &'s SourceText,
    /// The file's path, shared by every location read from it.
    path: Arc<str>,
}

/// What one entry of `shapes` gave, kept in document order until the whole document is read.
pub(crate) struct ShapeEntry {
    /// Where its key is written (the first one, for a shape given twice).
    location: Location,
    /// Where the text after its key starts: an invalid ID in it is searched for from there.
    after_key: usize,
    outcome: Outcome,
    /// About properties it may not have; reported after every error of the document.
    warnings: Vec<(Location, String)>,
}

enum Outcome {
    Shape(Shape),
    Apply(JsonApply),
    /// Not loaded, for these reasons.
    Dropped {
        id: String,
        problems: Vec<(Location, String)>,
    },
}

impl ShapeEntry {
    fn id(&self) -> &str {
        match &self.outcome {
            Outcome::Shape(shape) => &shape.id,
            Outcome::Apply((id, _, _)) | Outcome::Dropped { id, .. } => id,
        }
    }
}

impl<'s> ShapeReader<'s> {
    fn location(&self, range: std::ops::Range<usize>) -> Location {
        Location {
            path: Arc::clone(&self.path),
            span: self.source.span(range),
        }
    }

    /// Where a quoted text is written as a key, searched from `from` and then from the start
    /// (an empty span when it is nowhere), with the offset after it when found.
    fn search_key(&self, key: &str, from: usize) -> (Location, Option<usize>) {
        let quoted = format!("\"{key}\"");
        let text = &self.source.text;
        match find_key(text, &quoted, from).or_else(|| find_key(text, &quoted, 0)) {
            Some(at) => {
                let end = at + quoted.len();
                (self.location(at..end), Some(end))
            }
            None => (self.location(0..0), None),
        }
    }

    /// Where a shape's key is written, and moves `cursor` after it. A key without escapes is
    /// a slice of the text (serde_json borrows it), so its place is known; one with escapes
    /// was unescaped into a string of its own and is searched for after the previous key.
    fn locate_shape_key(&self, key: &str, cursor: &mut usize) -> Location {
        let text = self.source.text.as_bytes();
        let in_text = (key.as_ptr() as usize)
            .checked_sub(text.as_ptr() as usize)
            .filter(|&start| start > 0 && start + key.len() < text.len());
        if let Some(start) = in_text {
            let quoted = start - 1..start + key.len() + 1;
            if text[quoted.start] == b'"' && text[quoted.end - 1] == b'"' {
                *cursor = quoted.end;
                return self.location(quoted);
            }
        }
        self.key_after(key, cursor)
    }

    /// Where a quoted text is written as a key, searched from `cursor` (see [`Self::search_key`]);
    /// moves `cursor` after it when found.
    fn key_after(&self, key: &str, cursor: &mut usize) -> Location {
        let (location, end) = self.search_key(key, *cursor);
        *cursor = end.unwrap_or(*cursor);
        location
    }

    /// Where a quoted text is written after `from` (as a key or not); `fallback` when it is not.
    fn peek(&self, text: &str, from: usize, fallback: &Location) -> Location {
        let quoted = format!("\"{text}\"");
        match self.source.text[from..].find(&quoted) {
            Some(i) => self.location(from + i..from + i + quoted.len()),
            None => fallback.clone(),
        }
    }

    /// One entry of `shapes`: the shape `id`, its key written at `location` and ending at
    /// `after_key`.
    fn entry(
        &self,
        id: String,
        location: Location,
        after_key: usize,
        body: RawShape,
    ) -> ShapeEntry {
        let mut warnings = Vec::new();
        let read = ReadShape {
            reader: self,
            location: &location,
            after_key,
        };
        let outcome = read.outcome(id, body, &mut warnings);
        ShapeEntry {
            location,
            after_key,
            outcome,
            warnings,
        }
    }
}

/// What a shape's entry makes when nothing is wrong with it.
enum Made {
    Shape(ShapeParts),
    Apply(Vec<(String, TraitValue)>),
}

/// A shape without its ID.
struct ShapeParts {
    shape_type: ShapeType,
    members: Vec<Member>,
    traits: Traits,
    mixins: Vec<Reference>,
    relations: Relations,
}

impl ShapeParts {
    fn into_shape(self, id: String, location: &Location) -> Shape {
        Shape {
            id,
            shape_type: self.shape_type,
            members: self.members,
            traits: self.traits,
            mixins: self.mixins,
            relations: self.relations,
            for_resource: None,
            location: location.clone(),
            // Set once the document's version is known (it may come after its shapes).
            version: IdlVersion::V2,
        }
    }
}

/// Reading one shape.
struct ReadShape<'r> {
    reader: &'r ShapeReader<'r>,
    location: &'r Location,
    after_key: usize,
}

/// The problems that keep a shape out of the model.
type Problems = Vec<(Location, String)>;

impl ReadShape<'_> {
    fn problem(&self, message: String) -> Problems {
        vec![(self.location.clone(), message)]
    }

    /// The problem of an invalid ID written in the shape's entry.
    fn invalid_id(&self, id: &str, bad: &str) -> Problems {
        let at = self.reader.peek(bad, self.after_key, self.location);
        vec![(at, format!("{id}: Invalid shape ID: {bad}"))]
    }

    fn outcome(
        &self,
        id: String,
        body: RawShape,
        warnings: &mut Vec<(Location, String)>,
    ) -> Outcome {
        let parts = match self.made(&id, body, warnings) {
            Ok(Made::Shape(parts)) => parts,
            Ok(Made::Apply(traits)) => return Outcome::Apply((id, traits, self.location.clone())),
            Err(problems) => return Outcome::Dropped { id, problems },
        };
        let shape = parts.into_shape(id, self.location);
        // As in the reference, a shape with a malformed ID in it is not loaded.
        match invalid_id_in(&shape) {
            Some(bad) => {
                let problems = self.invalid_id(&shape.id, &bad);
                Outcome::Dropped {
                    id: shape.id,
                    problems,
                }
            }
            None => Outcome::Shape(shape),
        }
    }

    /// What the entry makes, but for the IDs written in a shape.
    fn made(
        &self,
        id: &str,
        mut body: RawShape,
        warnings: &mut Vec<(Location, String)>,
    ) -> Result<Made, Problems> {
        let type_name = body.type_name.as_str();
        let apply = matches!(body.type_name, TypeName::Apply);
        // Shape IDs become file names of the build: nothing but the shape-ID grammar passes.
        // A member ID passes here, so that a shape named by one gets the reference's message
        // below.
        if !is_absolute_shape_id(id, true) {
            return Err(self.problem(format!("Invalid shape ID: {id}")));
        }
        let traits = body.traits.take().unwrap_or_default();
        if apply {
            if let Some(bad) = traits.keys().find(|t| !is_absolute_shape_id(t, false)) {
                return Err(self.invalid_id(id, bad));
            }
            return Ok(Made::Apply(traits.into_iter().collect()));
        }
        let TypeName::Known(shape_type) = body.type_name else {
            return Err(self.problem(format!("unknown shape type `{type_name}` for `{id}`")));
        };
        if id.contains('$') {
            return Err(self.problem(format!(
                "{id}: Shapes of type `{type_name}` cannot contain a member in their shape ID. Found `{id}`"
            )));
        }
        self.property_warnings(id, shape_type, &body, warnings);
        if shape_type == ShapeType::Operation {
            operation_references(&body, |message| self.problem(format!("{id}: {message}")))?;
        }
        let members = self.members(shape_type, &mut body);
        let (relations, mixins) = self.relations(&body);
        Ok(Made::Shape(ShapeParts {
            shape_type,
            members,
            traits,
            mixins,
            relations: relations.into(),
        }))
    }

    /// The warnings about properties the shape and its members may not have.
    fn property_warnings(
        &self,
        id: &str,
        shape_type: ShapeType,
        body: &RawShape,
        warnings: &mut Vec<(Location, String)>,
    ) {
        if let Some(message) = additional_properties(body.keys(), allowed_properties(shape_type)) {
            warnings.push((self.location.clone(), format!("{id}: {message}")));
        }
        let mut member_warning = |name: &str, m: &RawMember| {
            let keys = m.additional.iter().map(String::as_str);
            if let Some(message) = additional_properties(keys, &["target", "traits"]) {
                warnings.push((self.location.clone(), format!("{id}${name}: {message}")));
            }
        };
        match single_members(shape_type) {
            [] => {
                for (name, m) in body.members.iter().flatten() {
                    member_warning(name, m);
                }
            }
            names => {
                for name in names {
                    if let Some(m) = body.single_member(name) {
                        member_warning(name, m);
                    }
                }
            }
        }
    }

    /// The members, moved out of the entry.
    fn members(&self, shape_type: ShapeType, body: &mut RawShape) -> Vec<Member> {
        let member = |name: String, m: RawMember| Member {
            name,
            target: m.target,
            traits: m.traits.unwrap_or_default(),
            location: self.location.clone(),
            target_location: self.location.clone(),
        };
        match single_members(shape_type) {
            [] => body
                .members
                .take()
                .into_iter()
                .flatten()
                .map(|(name, m)| member(name, m))
                .collect(),
            names => names
                .iter()
                .filter_map(|n| Some(member(n.to_string(), body.take_single_member(n)?)))
                .collect(),
        }
    }

    /// The relationships and mixins of the entry.
    fn relations(&self, body: &RawShape) -> (RelationLists, Vec<Reference>) {
        let loc = self.location;
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
            let Some(o) = body.get(key).and_then(Value::as_object) else {
                return Vec::new();
            };
            o.iter()
                .filter_map(|(k, v)| {
                    let target = v.as_str().or_else(|| v.get("target")?.as_str())?;
                    let location = loc.clone();
                    let target = target.to_string();
                    Some((k.clone(), Reference { target, location }))
                })
                .collect()
        };
        let rename = body
            .get("rename")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
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
            rename,
        };
        (relations, references("mixins"))
    }
}

/// The members lists, sets and maps have, by name; other shapes have a `members` object.
fn single_members(shape_type: ShapeType) -> &'static [&'static str] {
    match shape_type {
        ShapeType::List | ShapeType::Set => &["member"],
        ShapeType::Map => &["key", "value"],
        _ => &[],
    }
}

/// The problems of an operation's `input`, `output` and `errors` that are not objects, through
/// `problem` (each message without the shape ID).
fn operation_references(
    body: &RawShape,
    problem: impl Fn(String) -> Problems,
) -> Result<(), Problems> {
    let mut problems = Vec::new();
    for key in ["input", "output"] {
        if let Some(v) = body.get(key).filter(|v| !v.is_object()) {
            problems.extend(problem(format!(
                "Expected `{key}` to be an object; found {}",
                json_type(v)
            )));
        }
    }
    let errors = body.get("errors").and_then(Value::as_array);
    if let Some(v) = errors.into_iter().flatten().find(|v| !v.is_object()) {
        problems.extend(problem(format!(
            "Expected object, but found {}.",
            json_type(v)
        )));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

pub fn read_json_ast(source: &SourceText, diagnostics: &mut Vec<Diagnostic>) -> JsonDocument {
    let mut doc = JsonDocument {
        version: IdlVersion::V2,
        metadata: Vec::new(),
        shapes: Vec::new(),
        applies: Vec::new(),
    };
    let reader = ShapeReader {
        source,
        path: Arc::from(source.path.as_str()),
    };
    let read = match raw::read(&reader) {
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
        reader: &reader,
        cursor: 0,
    };
    let ObjectOr::Object(root) = read else {
        let message = "a JSON AST must be an object".to_string();
        push_problem(diagnostics, &finder.locate(""), message);
        return doc;
    };
    let mut warnings = read_root(&root, &mut finder, &mut doc, diagnostics);
    let Some(ObjectOr::Object(shapes)) = root.shapes else {
        push_warnings(diagnostics, warnings);
        return doc;
    };
    doc.shapes.reserve(shapes.entries.len());
    for entry in shapes.entries {
        match entry.outcome {
            Outcome::Shape(mut shape) => {
                shape.version = doc.version;
                doc.shapes.push(shape);
            }
            Outcome::Apply(apply) => doc.applies.push(apply),
            Outcome::Dropped { problems, .. } => {
                for (at, message) in problems {
                    push_problem(diagnostics, &at, message);
                }
            }
        }
        warnings.extend(entry.warnings);
    }
    push_warnings(diagnostics, warnings);
    doc
}

/// Reads the root object's `smithy` version and `metadata` into `doc`, reporting the problems
/// of the root object; returns its warnings.
fn read_root(
    root: &RawDocument,
    finder: &mut KeyFinder,
    doc: &mut JsonDocument,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Location, String)> {
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
            let message = format!("Expected `{key}` to be an object; found {found}");
            push_problem(diagnostics, &loc, message);
        }
    }
    // The version strings and messages of the reference.
    let version_problem = match &root.smithy {
        Some(Value::String(v)) => match v.as_str() {
            "1" | "1.0" => {
                doc.version = IdlVersion::V1;
                None
            }
            "2" | "2.0" => {
                doc.version = IdlVersion::V2;
                None
            }
            _ => Some(format!("Unsupported Smithy version number: {v}")),
        },
        Some(other) => Some(format!(
            "Expected `smithy` member to be a string, but found {}",
            json_type(other)
        )),
        None => Some("a JSON AST needs a `smithy` version string (\"1.0\" or \"2.0\")".to_string()),
    };
    if let Some(message) = version_problem {
        push_problem(diagnostics, &finder.locate("smithy"), message);
    }
    if let Some(Value::Object(meta)) = &root.metadata {
        for (k, v) in meta {
            let loc = finder.locate(k);
            doc.metadata.push((k.clone(), v.clone(), loc));
        }
    }
    warnings
}

/// An error that the document is not a model as the reference reads them.
fn push_problem(diagnostics: &mut Vec<Diagnostic>, loc: &Location, message: String) {
    diagnostics.push(Diagnostic::new(
        Code::JsonAstNotAModel,
        message,
        loc.path.to_string(),
        loc.span,
    ));
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
/// is not. A missing target (empty) is left to the checks that report it as missing.
fn invalid_id_in(shape: &Shape) -> Option<String> {
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
        .find(|t| !is_absolute_shape_id(t, true))
        .cloned()
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

    /// A shape or member given twice keeps its first place and its last value, as a JSON
    /// object does; a key written with an escape is searched for, and is found nowhere.
    #[test]
    fn a_shape_given_twice_keeps_its_first_place_and_last_body() {
        let text = r#"{
  "smithy": "2.0",
  "shapes": {
    "ns#A": { "type": "string" },
    "ns#\u0042": { "type": "integer" },
    "ns#A": {
      "type": "structure",
      "members": { "m": { "target": "ns#B" }, "n": {}, "m": { "target": "ns#A" } }
    }
  }
}"#;
        let source = SourceText::whole_file("model.json", text);
        let mut diagnostics = Vec::new();
        let doc = read_json_ast(&source, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let ids: Vec<&str> = doc.shapes.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["ns#A", "ns#B"]);
        let a = &doc.shapes[0];
        assert_eq!(a.shape_type, ShapeType::Structure);
        assert_eq!((a.location.span.line, a.location.span.column), (4, 5));
        let members: Vec<(&str, &str)> = a
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.target.as_str()))
            .collect();
        assert_eq!(members, [("m", "ns#A"), ("n", "")]);
        let b = &doc.shapes[1];
        assert_eq!((b.location.span.line, b.location.span.column), (1, 1));
    }
}
