//! Builds the [`Model`] from parsed IDL files and JSON AST documents: name resolution (`use`,
//! then the namespace across all files, then the prelude), shape ID conflicts, `apply`, target
//! elision, inline operation I/O and the values of traits written without one.

use super::ast::*;
use super::json_ast::JsonDocument;
use super::model::*;
use super::prelude;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, DiagnosticCode, Severity, SmithyEvent};
use crate::source::SourceText;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug)]
pub struct ParsedIdl {
    pub source: SourceText,
    pub file: IdlFile,
}

struct PendingApply {
    target: String,
    traits: Vec<(String, TraitValue)>,
    location: Location,
}

/// An IDL file's text with its path made once: every location in the file shares it.
struct FileText<'a> {
    text: &'a SourceText,
    path: Arc<str>,
}

/// How two definitions of one ID differ, as the reference lists it (`; ` between parts): the
/// left is the later definition. Traits are merged rather than compared, so they are not listed.
fn definition_differences(left: &Shape, right: &Shape) -> String {
    let mut parts = Vec::new();
    if left.shape_type != right.shape_type {
        parts.push(format!(
            "Left is {}, right is {}",
            left.shape_type.as_str(),
            right.shape_type.as_str()
        ));
    }
    let mixins = |s: &Shape| {
        let ids: Vec<&str> = s.mixins.iter().map(|m| m.target.as_str()).collect();
        format!("[{}]", ids.join(", "))
    };
    if mixins(left) != mixins(right) {
        parts.push(format!(
            "Left mixins: {}, right mixins: {}",
            mixins(left),
            mixins(right)
        ));
    }
    let members = |s: &Shape| -> Vec<(String, String)> {
        s.members
            .iter()
            .map(|m| (m.name.clone(), m.target.clone()))
            .collect()
    };
    if members(left) != members(right) {
        let names = |s: &Shape| {
            let names: Vec<&str> = s.members.iter().map(|m| m.name.as_str()).collect();
            format!("[{}]", names.join(", "))
        };
        parts.push(format!(
            "Members differ: {} vs {}",
            names(left),
            names(right)
        ));
    }
    parts.join("; ")
}

/// The node of `id` in a graph whose nodes are kept in the order they were added.
fn add_node<'a>(
    index: &mut HashMap<&'a str, usize>,
    nodes: &mut Vec<&'a str>,
    dependents: &mut Vec<Vec<usize>>,
    id: &'a str,
) -> usize {
    *index.entry(id).or_insert_with(|| {
        nodes.push(id);
        dependents.push(Vec::new());
        nodes.len() - 1
    })
}

/// The strongly connected groups of two or more nodes, found by Tarjan's algorithm started
/// from each node in order and following `edges` in order, each group in the order its nodes
/// leave the stack. Without recursion, so a long chain cannot overflow the stack.
fn tarjan_groups(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let count = edges.len();
    let mut order: Vec<Option<usize>> = vec![None; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut groups = Vec::new();
    let mut next = 0;
    for start in 0..count {
        if order[start].is_some() {
            continue;
        }
        // (node, how many of its edges were followed)
        let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
        order[start] = Some(next);
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (node, ref mut followed)) = calls.last_mut() {
            if let Some(&to) = edges[node].get(*followed) {
                *followed += 1;
                match order[to] {
                    None => {
                        order[to] = Some(next);
                        low[to] = next;
                        next += 1;
                        stack.push(to);
                        on_stack[to] = true;
                        calls.push((to, 0));
                    }
                    Some(seen) if on_stack[to] => low[node] = low[node].min(seen),
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            if let Some(&(caller, _)) = calls.last() {
                low[caller] = low[caller].min(low[node]);
            }
            if Some(low[node]) == order[node] {
                let mut group = Vec::new();
                while let Some(top) = stack.pop() {
                    on_stack[top] = false;
                    group.push(top);
                    if top == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    groups.push(group);
                }
            }
        }
    }
    groups
}

/// How many buckets a Java `HashMap` filled by `computeIfAbsent` has: 16 at the first call,
/// doubled at the start of a call that finds more entries than three quarters of them.
struct JavaHashMapCapacity {
    capacity: usize,
    size: usize,
}

impl Default for JavaHashMapCapacity {
    fn default() -> Self {
        JavaHashMapCapacity {
            capacity: 16,
            size: 0,
        }
    }
}

impl JavaHashMapCapacity {
    fn compute_if_absent(&mut self, inserted: bool) {
        if self.size > self.capacity / 4 * 3 {
            self.capacity *= 2;
        }
        self.size += usize::from(inserted);
    }
}

/// `String.hashCode` of Java: over UTF-16 units, wrapping.
fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The reference's `ShapeId.hashCode` of a shape ID without a member.
fn java_shape_id_hash(id: &str) -> i32 {
    let (namespace, name) = id.split_once('#').unwrap_or(("", id));
    17i32
        .wrapping_add(
            31i32
                .wrapping_mul(java_string_hash(namespace))
                .wrapping_mul(31),
        )
        .wrapping_add(java_string_hash(name).wrapping_mul(17))
}

/// The bucket of a key with hash `hash` in a Java `HashMap` of `capacity` buckets.
fn java_hash_map_bucket(hash: i32, capacity: usize) -> usize {
    let spread = (hash as u32) ^ ((hash as u32) >> 16);
    spread as usize & (capacity - 1)
}

/// A place as the reference writes it in its messages: `path [line, column]`.
fn written_at(at: &Location) -> String {
    format!("{} [{}, {}]", at.path, at.span.line, at.span.column)
}

fn location(source: &FileText, range: ByteRange) -> Location {
    Location {
        path: Arc::clone(&source.path),
        span: source.text.span(range),
    }
}

/// Resolution of relative shape IDs in one IDL file.
struct Resolver<'a> {
    namespace: &'a str,
    uses: HashMap<&'a str, &'a str>,
    types: &'a ShapeTypes<'a>,
    /// Unquoted shape IDs in node values that name no shape, and those that name a shape of
    /// this namespace, which a body that fails may leave unbuilt (see `lower_idl`): (as
    /// written, resolved, where, whether it names a shape).
    syntactic_ids: RefCell<Vec<(String, String, ByteRange, bool)>>,
}

impl Resolver<'_> {
    fn known(&self, id: &str) -> bool {
        self.types.contains_key(id) || prelude::absolute_shape_type(id).is_some()
    }

    /// `use`, then the current namespace, then the prelude, else the current namespace.
    fn resolve(&self, id: &str) -> String {
        if id.contains('#') {
            return id.to_string();
        }
        let (root, member) = match id.split_once('$') {
            Some((r, m)) => (r, Some(m)),
            None => (id, None),
        };
        let local = format!("{}#{root}", self.namespace);
        let absolute = if let Some(imported) = self.uses.get(root) {
            imported.to_string()
        } else if self.types.contains_key(local.as_str()) {
            local
        } else if prelude::shape_type(root).is_some() {
            format!("{}#{root}", prelude::NAMESPACE)
        } else {
            local
        };
        match member {
            Some(m) => format!("{absolute}${m}"),
            None => absolute,
        }
    }

    /// An unquoted shape ID in a node value becomes an absolute ID as the reference resolves
    /// it, whether or not it names a shape: `use`, then the current namespace, then the
    /// prelude, else the current namespace (the prelude's where no namespace is set, as in
    /// metadata, which comes before the namespace statement). Also tells whether it names a
    /// shape.
    fn resolve_syntactic(&self, id: &str) -> (String, bool) {
        let resolved = if self.namespace.is_empty() && !id.contains('#') {
            format!("{}#{id}", prelude::NAMESPACE)
        } else {
            self.resolve(id)
        };
        let root = resolved.split('$').next().unwrap_or(&resolved);
        let known = self.known(root);
        (resolved, known)
    }

    /// The absolute ID of an unquoted shape ID in a node value (a trait value, or a service's
    /// or resource's body), noted for a `SyntacticShapeIdTarget` should it name no shape.
    fn syntactic(&self, written: &str, node: &Node) -> String {
        let (resolved, known) = self.resolve_syntactic(written);
        let own =
            || (resolved.strip_prefix(self.namespace)).is_some_and(|rest| rest.starts_with('#'));
        if known && !own() {
            return resolved;
        }
        self.syntactic_ids.borrow_mut().push((
            written.to_string(),
            resolved.clone(),
            node.range.clone(),
            known,
        ));
        resolved
    }

    fn node(&self, node: &Node) -> Value {
        match &node.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => number_value(n),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::ShapeId(s) => Value::String(self.syntactic(s, node)),
            NodeKind::Array(items) => Value::Array(items.iter().map(|i| self.node(i)).collect()),
            NodeKind::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), self.node(&e.value)))
                    .collect(),
            ),
        }
    }
}

/// What is wrong with the value of a metadata key that configures validation (`suppressions`,
/// `severityOverrides`, `validators`), in the reference's words.
fn validation_metadata_problem(key: &str, value: &Value) -> Option<String> {
    let required: &[&str] = match key {
        "suppressions" => &["id", "namespace"],
        "severityOverrides" => &["id", "namespace", "severity"],
        "validators" => &[],
        _ => return None,
    };
    use super::json_ast::json_type;
    let Some(items) = value.as_array() else {
        return Some(if key == "validators" {
            format!("validators must be an array. Found {}.", json_type(value))
        } else {
            format!("Expected array, but found {}.", json_type(value))
        });
    };
    if key == "validators" {
        // Each definition is read (and reported) where validation creates its validator.
        return None;
    }
    for (i, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            return super::trait_creation::element_problem(i, item, "object");
        };
        // Read member by member, as the reference reads them.
        for member in required {
            let Some(found) = object.get(*member) else {
                return Some(format!("Missing expected member `{member}`."));
            };
            if !found.is_string() {
                let found = json_type(found);
                return Some(format!(
                    "Expected `{member}` member to be a string, but found {found}."
                ));
            }
        }
        if key == "severityOverrides" {
            let severity = object.get("severity").and_then(Value::as_str).unwrap_or("");
            if !matches!(severity, "DANGER" | "WARNING") {
                return Some(format!(
                    "Expected one of `DANGER`, `WARNING`; got `{severity}`."
                ));
            }
        }
        if let Some(reason) = object.get("reason").filter(|r| !r.is_string()) {
            return Some(format!(
                "Expected `reason` to be a string; found {}",
                json_type(reason)
            ));
        }
    }
    None
}

/// A number literal as a JSON number with exactly the value written (serde_json keeps
/// numbers as decimal text with `arbitrary_precision`).
fn number_value(literal: &str) -> Value {
    serde_json::from_str::<Number>(literal).map_or(Value::Null, Value::Number)
}

/// Bindings and errors are sets in the reference (kept in first-seen order): each target once.
pub(crate) fn dedup(list: Vec<Reference>) -> Vec<Reference> {
    let mut seen = HashSet::default();
    list.into_iter()
        .filter(|r| seen.insert(r.target.clone()))
        .collect()
}

/// The value of a trait written without one: `{}` for structures and maps, `[]` for lists,
/// `null` otherwise.
fn omitted_value(trait_type: Option<ShapeType>) -> Value {
    match trait_type {
        Some(ShapeType::List | ShapeType::Set) => Value::Array(Vec::new()),
        Some(ShapeType::Structure | ShapeType::Map) | None => Value::Object(Map::new()),
        Some(_) => Value::Null,
    }
}

/// Shape IDs and their types, to resolve names with.
type ShapeTypes<'i> = HashMap<Cow<'i, str>, ShapeType>;

struct Builder<'a> {
    model: Model,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The type of every shape the inputs define, for name resolution (empty when merging).
    types: &'a ShapeTypes<'a>,
    applies: Vec<PendingApply>,
    /// Members whose target is elided: (shape id, member name).
    elided: Vec<(String, String)>,
    /// The elided members that no bound resource gave a target, in the order they were
    /// written: a mixin gives them one, or nothing does (an error, reported after the mixin
    /// checks, which may report on the member instead).
    elided_from_mixins: Vec<ElidedMember>,
    /// Each shape ID in the order it was first defined, and the number of buckets the
    /// reference's map of definitions has: its order of mixin cycles depends on both.
    load_order: Vec<String>,
    definition_buckets: JavaHashMapCapacity,
    /// Where the second and later definitions of an ID are (merged or in conflict).
    later_definitions: HashMap<String, Vec<Location>>,
    /// Set by a service's or resource's body with a property of the wrong type: the
    /// reference stops reading the file there.
    body_failed: bool,
}

/// See [`Builder::elided_from_mixins`].
struct ElidedMember {
    shape: String,
    name: String,
    location: Location,
    /// Whether a mixin had a member of that name.
    resolved: bool,
}

/// One IDL file turned into shapes on its own (in parallel with the other files), with what
/// that found in the order a sequential build finds it; merging the files in input order
/// gives the same model and the same findings for any number of threads.
struct LoweredIdl {
    /// `use` conflicts, found before anything else of the file.
    first: Vec<Diagnostic>,
    /// Metadata (key, value, where, where each list element is), in file order.
    metadata: Vec<(String, Value, Location, Vec<Location>)>,
    /// Each shape with the findings of making it.
    shapes: Vec<(Shape, Vec<Diagnostic>)>,
    applies: Vec<PendingApply>,
    elided: Vec<(String, String)>,
    /// Unquoted shape IDs in node values that name no shape, reported after the file.
    last: Vec<Diagnostic>,
}

/// An input ready to be merged into the model.
enum Lowered {
    Idl(LoweredIdl),
    Json(JsonDocument),
}

/// One parsed input of a model.
// IDL texts are most inputs; boxing them would only add an allocation per text.
#[allow(clippy::large_enum_variant)]
pub enum ParsedInput {
    /// Shared with the block that keeps it (see [`super::ParsedText`]).
    Idl(Arc<ParsedIdl>),
    Json(JsonDocument),
}

/// Builds the model of the inputs, taken in the order given (metadata lists are concatenated
/// in that order) and by value, so that JSON shapes move into the model without a copy.
pub fn build(inputs: Vec<ParsedInput>, diagnostics: &mut Vec<Diagnostic>) -> Model {
    // The IDL texts and the JSON documents apart, with the order they came in (`true`: IDL).
    let mut is_idl = Vec::with_capacity(inputs.len());
    let mut idl_inputs = Vec::new();
    let mut json_inputs = Vec::new();
    for input in inputs {
        match input {
            ParsedInput::Idl(p) => {
                is_idl.push(true);
                idl_inputs.push(p);
            }
            ParsedInput::Json(doc) => {
                is_idl.push(false);
                json_inputs.push(doc);
            }
        }
    }
    // IDs of JSON shapes are borrowed: a hundred thousand of them were copied only to be looked
    // up while the IDL files are lowered.
    let mut types = ShapeTypes::default();
    // The IDs are written out on the pool, file by file; only the map is filled in turn.
    let idl_ids: Vec<Vec<(String, ShapeType)>> = idl_inputs
        .par_iter()
        .map(|p| match &p.file.namespace {
            Some(ns) => p
                .file
                .shapes
                .iter()
                .map(|s| (format!("{ns}#{}", s.name), s.shape_type))
                .collect(),
            None => Vec::new(),
        })
        .collect();
    for (id, shape_type) in idl_ids.into_iter().flatten() {
        types.entry(Cow::Owned(id)).or_insert(shape_type);
    }
    for doc in &json_inputs {
        for s in &doc.shapes {
            types
                .entry(Cow::Borrowed(s.id.as_str()))
                .or_insert(s.shape_type);
        }
    }
    let shape_count = types.len();
    let any_v2 = idl_inputs.iter().any(|p| p.file.version == IdlVersion::V2)
        || json_inputs.iter().any(|doc| doc.version == IdlVersion::V2);
    let version = if any_v2 || is_idl.is_empty() {
        IdlVersion::V2
    } else {
        IdlVersion::V1
    };
    // Each file's shapes are made on their own, in parallel; only merging them is serial. Each
    // syntax tree goes as soon as its file is lowered (unless a caller keeps it): holding every
    // tree until every file was lowered made the two together the peak of a large check's
    // memory (10,000 plans: 0.7 GB of trees and 0.5 GB of lowered files).
    let lowered_idl: Vec<LoweredIdl> = idl_inputs
        .into_par_iter()
        .map(|p| lower_idl(&p, &types))
        .collect();
    drop(types);
    let mut lowered_idl = lowered_idl.into_iter();
    let mut json_inputs = json_inputs.into_iter();
    let lowered = is_idl.into_iter().filter_map(|idl| {
        if idl {
            lowered_idl.next().map(Lowered::Idl)
        } else {
            json_inputs.next().map(Lowered::Json)
        }
    });
    let no_types = ShapeTypes::default();
    let mut b = Builder {
        model: Model {
            version,
            ..Model::default()
        },
        diagnostics,
        types: &no_types,
        applies: Vec::new(),
        elided: Vec::new(),
        elided_from_mixins: Vec::new(),
        load_order: Vec::new(),
        definition_buckets: JavaHashMapCapacity::default(),
        later_definitions: HashMap::default(),
        body_failed: false,
    };
    // Room for every shape at once: growing the map moves every shape read so far.
    b.model.shapes.reserve(shape_count);
    for input in lowered {
        match input {
            Lowered::Idl(file) => b.merge_idl(file),
            Lowered::Json(doc) => b.add_json(doc),
        }
    }
    b.resolve_elided();
    let applies = std::mem::take(&mut b.applies);
    for apply in applies {
        b.apply(apply);
    }
    // In key order once, on the pool: the passes below iterate in that order, and working it
    // out (then sorting the entries themselves for `create_prelude_traits`) was serial.
    b.model.shapes.sort_on_pool();
    b.check_traits_resolve();
    b.create_prelude_traits();
    b.drop_mixin_cycles();
    b.check_mixins();
    b.check_enums_have_members();
    b.check_mixins_resolve();
    b.report_unresolved_elided();
    // After the passes that report on applied traits, which would report an inherited one
    // again.
    b.inherit_redeclared_member_traits();
    b.merge_members_of_several_mixins();
    b.inherit_mixin_relations();
    super::upgrade::upgrade_v1_shapes(&mut b.model);
    b.model
}

/// The traits a mixin's member passes on to a member that has it as a mixin: all but `@mixin`,
/// which is never passed on, to a member either.
fn passed_on(traits: &Option<Traits>) -> impl Iterator<Item = (&String, &TraitValue)> {
    traits
        .iter()
        .flat_map(|t| t.iter())
        .filter(|(id, _)| *id != "smithy.api#mixin")
}

/// Why a shape that is its own mixin is not in the model.
fn own_mixin_note(id: &str) -> String {
    format!("{id}: left out of the model, as the Smithy reference does: it is its own mixin")
}

/// [`Builder::lower_idl`] on a builder of its own: what a thread does with one file.
fn lower_idl(p: &ParsedIdl, types: &ShapeTypes<'_>) -> LoweredIdl {
    let mut diagnostics = Vec::new();
    let mut lowering = Builder {
        model: Model::default(),
        diagnostics: &mut diagnostics,
        types,
        applies: Vec::new(),
        elided: Vec::new(),
        elided_from_mixins: Vec::new(),
        load_order: Vec::new(),
        definition_buckets: JavaHashMapCapacity::default(),
        later_definitions: HashMap::default(),
        body_failed: false,
    };
    lowering.lower_idl(p)
}

/// What creating a shape's prelude traits found (see [`Builder::prelude_trait_problems`]).
enum TraitCreation {
    /// A trait the reference cannot create from its value: where, and the message.
    Failed(Location, String),
    /// An `@enum` of a 2.0 file that was not created: where, and the shape.
    EnumDeprecated(Location, String),
}

impl Builder<'_> {
    fn error(
        &mut self,
        code: impl Into<DiagnosticCode>,
        location: &Location,
        message: String,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::with_code(
            code.into(),
            Severity::Error,
            message,
            location.path.to_string(),
            location.span,
        ));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// The reference's loader warning for unknown properties of an object.
    fn warn_additional_properties(
        &mut self,
        at: &Location,
        shape: &str,
        allowed: &[&str],
        found: &[String],
    ) {
        let ticked = |names: &mut dyn Iterator<Item = &str>| {
            names
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let message = format!(
            "{shape}: Expected an object with possible properties of {}, but found additional properties: {}",
            ticked(&mut allowed.iter().copied()),
            ticked(&mut found.iter().map(String::as_str))
        );
        self.diagnostics.push(Diagnostic::new(
            Code::UnknownProperty,
            message,
            at.path.to_string(),
            at.span,
        ));
    }

    /// `elements`: where each element of a list value was written, when known (else the
    /// key's location stands for them).
    fn add_metadata(&mut self, key: &str, value: Value, loc: Location, elements: Vec<Location>) {
        if let Some(message) = validation_metadata_problem(key, &value) {
            // Named as the reference names it: found while validating, so not a loader error.
            self.error(SmithyEvent("Model"), &loc, message);
        }
        let places = value.as_array().map_or(1, Vec::len);
        let mut elements = elements.into_iter();
        let places: Vec<Location> = (0..places)
            .map(|_| elements.next().unwrap_or_else(|| loc.clone()))
            .collect();
        let first_definition = self
            .model
            .metadata_locations
            .get(key)
            .and_then(|places| places.first())
            .cloned();
        self.model
            .metadata_locations
            .entry(key.to_string())
            .or_default()
            .extend(places);
        match self.model.metadata.get_mut(key) {
            None => {
                self.model.metadata.insert(key.to_string(), value);
            }
            Some(Value::Array(existing)) if value.is_array() => {
                if let Value::Array(more) = value {
                    existing.extend(more);
                }
            }
            Some(existing) if *existing == value => {}
            Some(_) => {
                let previous = first_definition.as_ref().unwrap_or(&loc);
                self.error(
                    Code::MetadataConflict,
                    &loc,
                    format!(
                        "Metadata conflict for key `{key}`. Defined in both `{}` and `{}`",
                        written_at(&loc),
                        written_at(previous)
                    ),
                );
            }
        }
    }

    fn add_trait(&mut self, owner: &str, traits: &mut Traits, id: String, value: TraitValue) {
        match traits.get_mut(&id) {
            None => {
                traits.insert(id, value);
            }
            Some(existing) => match (&mut existing.value, value.value) {
                (Value::Array(a), Value::Array(b)) => a.extend(b),
                (a, b) if *a == b => {}
                _ => {
                    let previous = existing.location.clone();
                    let message = format!(
                        "{owner}: Conflicting `{id}` trait found on shape `{owner}`. The previous trait was defined at `{}`, and a conflicting trait was defined at `{}`.",
                        written_at(&previous),
                        written_at(&value.location)
                    );
                    self.error(Code::TraitConflict, &value.location, message)
                        .related
                        .push(crate::diagnostic::Related {
                            path: previous.path.to_string(),
                            span: previous.span,
                            message: "the other value of the trait".to_string(),
                        });
                }
            },
        }
    }

    fn trait_value(
        &self,
        r: &Resolver,
        source: &FileText,
        t: &TraitApplication,
    ) -> (String, TraitValue) {
        let id = r.resolve(&t.id.id);
        let value = match &t.value {
            Some(node) => r.node(node),
            None => omitted_value(
                r.types
                    .get(id.as_str())
                    .copied()
                    .or_else(|| prelude::absolute_shape_type(&id)),
            ),
        };
        (
            id,
            TraitValue {
                value,
                location: location(source, t.range.clone()),
            },
        )
    }

    fn add_json(&mut self, doc: JsonDocument) {
        for (key, value, location) in doc.metadata {
            self.add_metadata(&key, value, location, Vec::new());
        }
        for shape in doc.shapes {
            self.check_required_members(&shape);
            self.insert_shape(shape);
        }
        for (target, traits, location) in doc.applies {
            self.applies.push(PendingApply {
                target,
                traits,
                location,
            });
        }
    }

    /// The shapes, metadata and `apply` statements of one IDL file, with their findings
    /// (see [`LoweredIdl`]); the model is left alone.
    fn lower_idl(&mut self, p: &ParsedIdl) -> LoweredIdl {
        let file = &p.file;
        let source = &FileText {
            text: &p.source,
            path: p.source.path.as_str().into(),
        };
        let ns = file.namespace.as_deref().unwrap_or_default();
        let mut uses: HashMap<&str, &str> = HashMap::default();
        for u in &file.uses {
            let name = u.id.rsplit('#').next().unwrap_or(&u.id);
            if let Some(previous) = uses.insert(name, &u.id) {
                if previous != u.id {
                    self.error(
                        Code::UseConflict,
                        &location(source, u.range.clone()),
                        format!("Cannot use name `{name}` because it conflicts with `{previous}`"),
                    );
                }
            }
        }
        for s in &file.shapes {
            if let Some(imported) = uses.get(s.name.as_str()) {
                if *imported != format!("{ns}#{}", s.name) {
                    self.error(
                        Code::UseConflict,
                        &location(source, s.name_range.clone()),
                        format!(
                            "Shape name `{}` conflicts with imported shape `{imported}`",
                            s.name
                        ),
                    );
                }
            }
        }
        let first = std::mem::take(self.diagnostics);
        let r = Resolver {
            namespace: ns,
            uses,
            types: self.types,
            syntactic_ids: RefCell::new(Vec::new()),
        };
        // Metadata comes before the namespace statement and any `use`: the reference resolves
        // its unquoted shape IDs against the prelude.
        let before_namespace = Resolver {
            namespace: "",
            uses: HashMap::default(),
            types: self.types,
            syntactic_ids: RefCell::new(Vec::new()),
        };
        let mut metadata = Vec::with_capacity(file.metadata.len());
        for (key, range, value) in &file.metadata {
            let v = before_namespace.node(value);
            let elements = match &value.kind {
                NodeKind::Array(items) => items
                    .iter()
                    .map(|item| location(source, item.range.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            metadata.push((key.clone(), v, location(source, range.clone()), elements));
        }
        (r.syntactic_ids.borrow_mut()).extend(before_namespace.syntactic_ids.take());
        for value in &file.dropped_trait_values {
            r.node(value);
        }
        let mut inline_io: HashMap<&str, &str> = HashMap::default();
        for s in &file.shapes {
            if let Some(op) = &s.operation {
                for (io, which) in [(&op.input, "input"), (&op.output, "output")] {
                    if let Some(OperationIo::Inline { name, .. }) = io {
                        inline_io.insert(name, which);
                    }
                }
            }
        }
        let mut shapes = Vec::with_capacity(file.shapes.len());
        // Where the reference stops reading the file, and the shapes it has not built then
        // (the one it stopped at, and those after it).
        let mut stopped_at = usize::MAX;
        let mut not_built: HashSet<String> = HashSet::default();
        for (at, s) in file.shapes.iter().enumerate() {
            let shape =
                self.shape_from_idl(&r, source, file, s, inline_io.get(s.name.as_str()).copied());
            shapes.push((shape, std::mem::take(self.diagnostics)));
            if std::mem::take(&mut self.body_failed) {
                stopped_at = s.range.end;
                let rest = file.shapes[at..].iter();
                not_built.extend(rest.map(|s| format!("{}#{}", r.namespace, s.name)));
                break;
            }
        }
        let applies = file
            .applies
            .iter()
            .filter(|a| a.range.start < stopped_at)
            .map(|a| PendingApply {
                target: r.resolve(&a.target.id),
                traits: a
                    .traits
                    .iter()
                    .map(|t| self.trait_value(&r, source, t))
                    .collect(),
                location: location(source, a.target.range.clone()),
            })
            .collect();
        // A body that failed notes again the IDs that were noted as they were read.
        let mut reported: HashSet<ByteRange> = HashSet::default();
        let unresolved =
            (r.syntactic_ids.take().into_iter()).filter(|(_, resolved, range, known)| {
                let root = resolved.split('$').next().unwrap_or(resolved);
                let names_shape = *known && !not_built.contains(root);
                range.start < stopped_at && !names_shape && reported.insert(range.clone())
            });
        for (written, resolved, range, _) in unresolved {
            // A DANGER in the reference, which does not stop validation.
            self.error(
                SmithyEvent("SyntacticShapeIdTarget"),
                &location(source, range),
                format!("Syntactic shape ID `{written}` does not resolve to a valid shape ID: `{resolved}`. Did you mean to quote this string? Are you missing a model file?"),
            );
        }
        LoweredIdl {
            first,
            metadata,
            shapes,
            applies,
            elided: std::mem::take(&mut self.elided),
            last: std::mem::take(self.diagnostics),
        }
    }

    /// Adds a lowered file to the model, reporting its findings where a sequential build
    /// would: metadata first, then each shape (its findings, then a conflict with a shape of an
    /// earlier file), then the unresolved shape IDs.
    fn merge_idl(&mut self, file: LoweredIdl) {
        self.diagnostics.extend(file.first);
        for (key, value, at, elements) in file.metadata {
            self.add_metadata(&key, value, at, elements);
        }
        for (shape, found) in file.shapes {
            self.diagnostics.extend(found);
            self.insert_shape(shape);
        }
        self.applies.extend(file.applies);
        self.elided.extend(file.elided);
        self.diagnostics.extend(file.last);
    }

    fn shape_from_idl(
        &mut self,
        r: &Resolver,
        source: &FileText,
        file: &IdlFile,
        s: &ShapeDef,
        inline_io: Option<&str>,
    ) -> Shape {
        let id = format!("{}#{}", r.namespace, s.name);
        let reference = |x: &ShapeRef| Reference {
            target: r.resolve(&x.id),
            location: location(source, x.range.clone()),
        };
        let mut traits = Traits::new();
        if let Some((doc, range)) = &s.documentation {
            traits.insert(
                "smithy.api#documentation".into(),
                TraitValue {
                    value: Value::String(doc.clone()),
                    location: location(source, range.clone()),
                },
            );
        }
        if let Some(which) = inline_io {
            traits.insert(
                format!("smithy.api#{which}"),
                TraitValue {
                    value: Value::Object(Map::new()),
                    location: location(source, s.name_range.clone()),
                },
            );
        }
        for t in &s.traits {
            let (tid, tv) = self.trait_value(r, source, t);
            self.gate_trait(file, &id, &tid, &tv.location);
            self.add_trait(&id, &mut traits, tid, tv);
        }
        let mut members = Vec::new();
        for m in &s.members {
            let member_id = format!("{id}${}", m.name);
            let mut mtraits = Traits::new();
            if let Some((doc, range)) = &m.documentation {
                mtraits.insert(
                    "smithy.api#documentation".into(),
                    TraitValue {
                        value: Value::String(doc.clone()),
                        location: location(source, range.clone()),
                    },
                );
            }
            for t in &m.traits {
                let (tid, tv) = self.trait_value(r, source, t);
                self.gate_trait(file, &member_id, &tid, &tv.location);
                self.add_trait(&member_id, &mut mtraits, tid, tv);
            }
            let is_enum = matches!(s.shape_type, ShapeType::Enum | ShapeType::IntEnum);
            if let Some(value) = &m.value {
                let trait_id = if is_enum {
                    "smithy.api#enumValue"
                } else {
                    "smithy.api#default"
                };
                let v = r.node(value);
                let loc = location(source, value.range.clone());
                self.add_trait(
                    &member_id,
                    &mut mtraits,
                    trait_id.into(),
                    TraitValue {
                        value: v,
                        location: loc,
                    },
                );
            } else if s.shape_type == ShapeType::Enum
                && !mtraits.contains_key("smithy.api#enumValue")
                // With mixins, a member may redeclare one that has a value: it is implied
                // once the mixins are known (`inherit_redeclared_member_traits`).
                && s.mixins.is_empty()
            {
                mtraits.insert(
                    "smithy.api#enumValue".into(),
                    TraitValue {
                        value: Value::String(m.name.clone()),
                        location: location(source, m.name_range.clone()),
                    },
                );
            }
            let (target, target_location) = if is_enum {
                (
                    "smithy.api#Unit".to_string(),
                    location(source, m.name_range.clone()),
                )
            } else if let Some(t) = &m.target {
                (r.resolve(&t.id), location(source, t.range.clone()))
            } else {
                self.elided.push((id.clone(), m.name.clone()));
                (String::new(), location(source, m.name_range.clone()))
            };
            members.push(Member {
                name: m.name.clone(),
                target,
                traits: mtraits,
                location: location(source, m.range.clone()),
                target_location,
            });
        }
        let mut relations = RelationLists::default();
        if let Some(body) = &s.entity_body {
            self.entity_relations(r, source, file, &id, s.shape_type, body, &mut relations);
        }
        if let Some(op) = &s.operation {
            for (io, slot) in [
                (&op.input, &mut relations.input),
                (&op.output, &mut relations.output),
            ] {
                *slot = io.as_ref().map(|io| match io {
                    OperationIo::Target(t) => reference(t),
                    OperationIo::Inline { name, range } => Reference {
                        target: format!("{}#{name}", r.namespace),
                        location: location(source, range.clone()),
                    },
                });
            }
            if let Some(errors) = &op.errors {
                relations.errors = dedup(errors.iter().map(reference).collect());
            }
        }
        let shape = Shape {
            id,
            shape_type: s.shape_type,
            members,
            traits,
            mixins: s.mixins.iter().map(reference).collect(),
            relations: relations.into(),
            for_resource: s.for_resource.as_ref().map(reference),
            location: location(source, s.name_range.clone()),
            version: file.version,
        };
        self.check_required_members(&shape);
        shape
    }

    fn gate_trait(&mut self, file: &IdlFile, owner: &str, trait_id: &str, loc: &Location) {
        let message = match (file.version, trait_id) {
            (IdlVersion::V2, "smithy.api#box") => {
                format!("{owner}: The @box trait can only be used in Smithy IDL 1.0")
            }
            (IdlVersion::V1, "smithy.api#default") => {
                format!("{owner}: The @default trait can only be used in Smithy 2.0 or later")
            }
            (IdlVersion::V1, "smithy.api#mixin") => format!(
                "Mixins can only be used in Smithy 2.0 or later. Attempted to apply a @mixin trait to `{owner}` in a model file using version `1.0`."
            ),
            _ => return,
        };
        self.error(Code::WrongIdlVersionFeature, loc, message);
    }

    fn check_required_members(&mut self, shape: &Shape) {
        let required: &[&str] = match shape.shape_type {
            ShapeType::List | ShapeType::Set => &["member"],
            ShapeType::Map => &["key", "value"],
            _ => &[],
        };
        if required.is_empty() {
            return;
        }
        if shape.mixins.is_empty() {
            let missing: Vec<&str> = required
                .iter()
                .copied()
                .filter(|n| shape.member(n).is_none())
                .collect();
            if !missing.is_empty() {
                let plural = if missing.len() > 1 { "s" } else { "" };
                self.error(
                    Code::MissingRequiredMembers,
                    &shape.location,
                    format!(
                        "{}: Missing required member{plural} of shape `{}`: {}",
                        shape.id,
                        shape.id,
                        missing.join(", ")
                    ),
                );
            }
        }
        for m in &shape.members {
            if !required.contains(&m.name.as_str()) {
                self.error(
                    Code::BadProperty,
                    &m.location,
                    match shape.shape_type {
                        ShapeType::Map => format!(
                            "{}: Map shapes may only have `key` and `value` members, but found `{}`",
                            shape.id, m.name
                        ),
                        ShapeType::Set => format!(
                            "{}: Set shapes may only have a `member` member, but found `{}`",
                            shape.id, m.name
                        ),
                        _ => format!(
                            "{}: List shapes may only have a `member` member, but found `{}`",
                            shape.id, m.name
                        ),
                    },
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn entity_relations(
        &mut self,
        r: &Resolver,
        source: &FileText,
        file: &IdlFile,
        id: &str,
        shape_type: ShapeType,
        body: &Node,
        out: &mut RelationLists,
    ) {
        let NodeKind::Object(entries) = &body.kind else {
            return;
        };
        let mut unknown: Vec<String> = Vec::new();
        let mut failed = false;
        for e in entries {
            let loc = location(source, e.key_range.clone());
            let single = |node: &Node| -> Option<Reference> {
                let target = match &node.kind {
                    NodeKind::ShapeId(s) => r.syntactic(s, node),
                    _ => r.resolve(node.as_str()?),
                };
                Some(Reference {
                    target,
                    location: location(source, node.range.clone()),
                })
            };
            let list = |node: &Node| -> Option<Vec<Reference>> {
                match &node.kind {
                    NodeKind::Array(items) => items.iter().map(single).collect(),
                    _ => None,
                }
            };
            let named = |node: &Node| -> Option<Vec<(String, Reference)>> {
                match &node.kind {
                    NodeKind::Object(items) => items
                        .iter()
                        .map(|i| single(&i.value).map(|x| (i.key.clone(), x)))
                        .collect(),
                    _ => None,
                }
            };
            let key = e.key.as_str();
            let ok = match (shape_type, key) {
                (ShapeType::Service, "version") => match &e.value.kind {
                    NodeKind::String(v) => {
                        out.version = Some(v.clone());
                        true
                    }
                    // An unquoted version is a string too, and a syntactic shape ID.
                    NodeKind::ShapeId(v) => {
                        r.syntactic(v, &e.value);
                        out.version = Some(v.clone());
                        true
                    }
                    _ => false,
                },
                (ShapeType::Service, "rename") => match &e.value.kind {
                    NodeKind::Object(items) => {
                        // Read as the reference reads them: each key an absolute shape ID,
                        // each value a string; the first that is not fails the body.
                        for i in items {
                            let (at, problem) =
                                if !super::lexeme::is_absolute_shape_id(&i.key, true) {
                                    (&i.key_range, format!("Invalid shape ID: {}", i.key))
                                } else if let Some(name) = i.value.as_str() {
                                    out.rename.push((i.key.clone(), name.to_string()));
                                    continue;
                                } else {
                                    let found = i.value.type_name();
                                    (
                                        &i.value.range,
                                        format!("Expected string, but found {found}."),
                                    )
                                };
                            self.error(Code::BadProperty, &location(source, at.clone()), problem);
                            failed = true;
                            break;
                        }
                        true
                    }
                    _ => false,
                },
                (_, "operations") => list(&e.value).map(|l| out.operations = dedup(l)).is_some(),
                (_, "resources") => list(&e.value).map(|l| out.resources = dedup(l)).is_some(),
                (ShapeType::Service, "errors") => {
                    list(&e.value).map(|l| out.errors = dedup(l)).is_some()
                }
                (ShapeType::Resource, "collectionOperations") => list(&e.value)
                    .map(|l| out.collection_operations = dedup(l))
                    .is_some(),
                (ShapeType::Resource, "identifiers") => {
                    named(&e.value).map(|l| out.identifiers = l).is_some()
                }
                (ShapeType::Resource, "properties") => {
                    if file.version == IdlVersion::V1 {
                        self.error(
                            Code::WrongIdlVersionFeature,
                            &loc,
                            "Resource properties can only be used with Smithy version 2 or later."
                                .to_string(),
                        );
                    }
                    named(&e.value).map(|l| out.properties = l).is_some()
                }
                (ShapeType::Resource, k) if LIFECYCLE.contains(&k) => single(&e.value)
                    .map(|x| out.lifecycle.push((k.to_string(), x)))
                    .is_some(),
                _ => {
                    // Not read, but its unquoted shape IDs are checked all the same.
                    r.node(&e.value);
                    unknown.push(key.to_string());
                    continue;
                }
            };
            if !ok {
                failed = true;
                self.error(
                    Code::BadProperty,
                    &location(source, e.value.range.clone()),
                    format!("Invalid value for the `{key}` property of {id}"),
                );
            }
        }
        if failed {
            // The reference builds no shape from the body and reads no further in the file
            // (see `lower_idl`); every unquoted shape ID of the body is checked, those in the
            // properties it could not read too.
            self.body_failed = true;
            r.node(body);
        }
        if !unknown.is_empty() {
            // Like the reference, a warning: the model is still usable.
            let allowed: &[&str] = if shape_type == ShapeType::Service {
                &[
                    "errors",
                    "operations",
                    "rename",
                    "resources",
                    "type",
                    "version",
                ]
            } else {
                &[
                    "collectionOperations",
                    "create",
                    "delete",
                    "identifiers",
                    "list",
                    "operations",
                    "properties",
                    "put",
                    "read",
                    "resources",
                    "type",
                    "update",
                ]
            };
            unknown.sort();
            self.warn_additional_properties(
                &location(source, body.range.clone()),
                id,
                allowed,
                &unknown,
            );
        }
        out.lifecycle
            .sort_by_key(|(k, _)| LIFECYCLE.iter().position(|l| l == k));
    }

    /// Adds a shape; a second definition of an ID must define the same shape. As in the
    /// reference, traits belong to the ID rather than to one definition: they are left out of
    /// the comparison and merged (lists concatenated, equal values once, other values a
    /// conflict), so a copy with documentation or one more trait is no conflict.
    fn insert_shape(&mut self, shape: Shape) {
        let id = shape.id.clone();
        let result = self.model.shapes.insert_new(shape.id.clone(), shape);
        self.definition_buckets.compute_if_absent(result.is_ok());
        match result {
            Ok(()) => self.load_order.push(id),
            Err((mut shape, existing)) => {
                self.later_definitions
                    .entry(shape.id.clone())
                    .or_default()
                    .push(shape.location.clone());
                // A definition that is its own mixin is never built, and in the reference
                // it takes the other definitions of its ID with it, without a conflict: the
                // one kept is the one that is its own mixin, which `drop_mixin_cycles` leaves
                // out with a note.
                let own_mixin = |s: &Shape| s.mixins.iter().any(|m| m.target == s.id);
                if own_mixin(&shape) || own_mixin(existing) {
                    let id = shape.id.clone();
                    let message = if own_mixin(&shape) && own_mixin(existing) {
                        own_mixin_note(&id)
                    } else {
                        format!("{id}: left out of the model, as the Smithy reference does: another definition of it is its own mixin")
                    };
                    let gone = if own_mixin(existing) {
                        shape.location.clone()
                    } else {
                        let gone = existing.location.clone();
                        self.model.shapes.insert(id, shape);
                        gone
                    };
                    self.left_out(&gone, message);
                    return;
                }
                // A second definition is rare: the first is copied so the model can change.
                let existing = existing.clone();
                let version = self.model.version;
                let without_traits = |s: &Shape| {
                    let mut bare = s.clone();
                    bare.traits = Traits::new();
                    for m in &mut bare.members {
                        m.traits = Traits::new();
                    }
                    bare.to_json(version)
                };
                if without_traits(&existing) == without_traits(&shape) {
                    let id = shape.id.clone();
                    if shape.location != existing.location {
                        self.diagnostics.push(Diagnostic::with_code(
                            Code::EquivalentDefinitionIgnored.into(),
                            Severity::Note,
                            format!(
                                "{id}: Ignoring duplicate but equivalent shape definition: {id} defined at {} and {}",
                                written_at(&shape.location),
                                written_at(&existing.location)
                            ),
                            existing.location.path.to_string(),
                            existing.location.span,
                        ));
                    }
                    let mut merged = existing.traits.clone();
                    for (trait_id, value) in std::mem::take(&mut shape.traits) {
                        self.add_trait(&id, &mut merged, trait_id.to_string(), value);
                    }
                    let mut member_traits = Vec::new();
                    for m in &mut shape.members {
                        let owner = format!("{id}${}", m.name);
                        let mut traits = existing
                            .member(&m.name)
                            .map(|e| e.traits.clone())
                            .unwrap_or_default();
                        for (trait_id, value) in std::mem::take(&mut m.traits) {
                            self.add_trait(&owner, &mut traits, trait_id.to_string(), value);
                        }
                        member_traits.push((m.name.clone(), traits));
                    }
                    if let Some(existing) = self.model.shapes.get_mut(&id) {
                        existing.traits = merged;
                        for (name, traits) in member_traits {
                            if let Some(m) = existing.members.iter_mut().find(|m| m.name == name) {
                                m.traits = traits;
                            }
                        }
                    }
                } else {
                    // Worded and placed as the reference: at the first definition, with the
                    // later one on the left of its small diff.
                    let message = format!(
                        "{}: Conflicting shape definition for `{}` found at `{}` and `{}`. {}",
                        shape.id,
                        shape.id,
                        written_at(&shape.location),
                        written_at(&existing.location),
                        definition_differences(&shape, &existing)
                    );
                    self.error(Code::ShapeConflict, &existing.location, message)
                        .related
                        .push(crate::diagnostic::Related {
                            path: shape.location.path.to_string(),
                            span: shape.location.span,
                            message: "defined again here".to_string(),
                        });
                }
            }
        }
    }

    /// Gives elided members (`$id`) the target of the bound resource's identifier or property
    /// of that name, else of the mixin member of that name.
    fn resolve_elided(&mut self) {
        let mut pending: Vec<(usize, String, String)> = std::mem::take(&mut self.elided)
            .into_iter()
            .enumerate()
            .map(|(at, (shape_id, name))| (at, shape_id, name))
            .collect();
        // Those a mixin resolved, by their place in `pending`.
        let mut from_mixins: Vec<(usize, String, String)> = Vec::new();
        // Mixins may themselves have elided members, so go round until nothing changes.
        loop {
            let before = pending.len();
            pending.retain(|(at, shape_id, name)| {
                let Some(shape) = self.model.shapes.get(shape_id) else {
                    return false;
                };
                let mut found = None;
                if let Some(res) = &shape.for_resource {
                    if let Some(resource) = self.model.shapes.get(&res.target) {
                        let rel = &resource.relations;
                        found = rel
                            .identifiers
                            .iter()
                            .chain(&rel.properties)
                            .find(|(n, _)| n == name)
                            .map(|(_, x)| x.target.clone());
                    }
                }
                if found.is_none() {
                    found = self.mixin_member_target(shape, name);
                    if found.is_some() {
                        from_mixins.push((*at, shape_id.clone(), name.clone()));
                    }
                }
                match found {
                    Some(target) => {
                        if let Some(m) = self
                            .model
                            .shapes
                            .get_mut(shape_id)
                            .and_then(|s| s.members.iter_mut().find(|m| m.name == *name))
                        {
                            m.target = target;
                        }
                        false
                    }
                    None => true,
                }
            });
            if pending.len() == before {
                break;
            }
        }
        let mut elided = Vec::new();
        for (at, shape_id, name) in from_mixins {
            let member = self
                .model
                .shapes
                .get(&shape_id)
                .and_then(|s| s.member(&name));
            if let Some(member) = member {
                let location = member.location.clone();
                elided.push((at, shape_id, name, location, true));
            }
        }
        for (at, shape_id, name) in pending {
            // A shape whose mixins lead round a cycle is never built, so the reference never
            // resolves its elided members either; `drop_mixin_cycles` leaves it out.
            if self.reaches_mixin_cycle(&shape_id) {
                continue;
            }
            let Some(shape) = self.model.shapes.get_mut(&shape_id) else {
                continue;
            };
            let Some(pos) = shape.members.iter().position(|m| m.name == name) else {
                continue;
            };
            let member = shape.members.remove(pos);
            elided.push((at, shape_id, name, member.location, false));
        }
        elided.sort_by_key(|e| e.0);
        self.elided_from_mixins = elided
            .into_iter()
            .map(|(_, shape, name, location, resolved)| ElidedMember {
                shape,
                name,
                location,
                resolved,
            })
            .collect();
    }

    /// The reference's error for a shape whose mixin `mixin` is not in the model (or was not
    /// built), the first such of its mixins. Its loader gives elided members their targets
    /// first, a mixin at a time in order, and gives up on the shape at the first member that
    /// meets the missing mixin before a mixin with a member of its name: the error is then
    /// about that member, at it, and the shape's other members are not looked at.
    fn mixin_not_found(&mut self, shape_id: &str, mixin: &str) {
        let Some(shape) = self.model.shapes.get(shape_id) else {
            return;
        };
        let before_missing: Vec<&str> = shape
            .mixins
            .iter()
            .map(|m| m.target.as_str())
            .take_while(|m| *m != mixin)
            .collect();
        let stopped_at = self.elided_from_mixins.iter().position(|e| {
            e.shape == shape_id
                && !before_missing
                    .iter()
                    .any(|m| self.mixin_member_target_from(m, &e.name).is_some())
        });
        let (location, subject) = match stopped_at {
            Some(at) => {
                let e = &self.elided_from_mixins[at];
                (e.location.clone(), format!("{shape_id}${}", e.name))
            }
            None => (shape.location.clone(), shape_id.to_string()),
        };
        // Its elided members are not reported: the reference never built the shape.
        self.elided_from_mixins.retain(|e| e.shape != shape_id);
        self.error(
            Code::MixinProblem,
            &location,
            format!("{shape_id}: Cannot apply mixin to {subject}: {mixin} not found"),
        );
    }

    /// Elided members that neither a bound resource nor a mixin gave a target, once the
    /// mixin checks have reported the shapes that were not built.
    fn report_unresolved_elided(&mut self) {
        for e in std::mem::take(&mut self.elided_from_mixins) {
            if e.resolved {
                continue;
            }
            self.error(
                Code::ElidedTargetNotFound,
                &e.location,
                format!(
                    "{}${}: Member target was elided, but no bound resource or mixin contained a matching identifier or member name.",
                    e.shape, e.name
                ),
            );
        }
    }

    /// The target of member `name` that `shape` inherits from a mixin, if one has it.
    fn mixin_member_target(&self, shape: &Shape, name: &str) -> Option<String> {
        let mixins = shape.mixins.iter().map(|m| m.target.as_str()).collect();
        self.member_target_along(HashSet::from_iter([shape.id.as_str()]), mixins, name)
    }

    /// The target of member `name` of the mixin `mixin`, its own or inherited.
    fn mixin_member_target_from(&self, mixin: &str, name: &str) -> Option<String> {
        self.member_target_along(HashSet::default(), vec![mixin], name)
    }

    /// The target of the first member `name` found walking from `queue` through mixins.
    fn member_target_along<'a>(
        &'a self,
        mut seen: HashSet<&'a str>,
        mut queue: Vec<&'a str>,
        name: &str,
    ) -> Option<String> {
        while let Some(id) = queue.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(mixin) = self.model.shapes.get(id) else {
                continue;
            };
            if let Some(m) = mixin.member(name).filter(|m| !m.target.is_empty()) {
                return Some(m.target.clone());
            }
            queue.extend(mixin.mixins.iter().map(|m| m.target.as_str()));
        }
        None
    }

    /// Whether the shape's mixins lead to a shape whose mixins lead back to it (the shape
    /// itself or another): such a shape is never built. A walk of its mixins, depth first,
    /// that meets a shape still on its path; linear in the shapes it reaches.
    fn reaches_mixin_cycle<'a>(&'a self, id: &'a str) -> bool {
        let mut done: HashSet<&str> = HashSet::default();
        let mut path: HashSet<&str> = HashSet::from_iter([id]);
        let mut stack: Vec<(&str, usize)> = vec![(id, 0)];
        while let Some((at, next)) = stack.pop() {
            let mixins = self.model.shapes.get(at).map_or(&[][..], |s| &s.mixins[..]);
            let Some(mixin) = mixins.get(next) else {
                path.remove(at);
                done.insert(at);
                continue;
            };
            stack.push((at, next + 1));
            let target = mixin.target.as_str();
            if path.contains(target) {
                return true;
            }
            if done.insert(target) {
                path.insert(target);
                stack.push((target, 0));
            }
        }
        false
    }

    fn apply(&mut self, apply: PendingApply) {
        let (root, member) = match apply.target.split_once('$') {
            Some((r, m)) => (r.to_string(), Some(m.to_string())),
            None => (apply.target.clone(), None),
        };
        // Found while the shape is in the model: the walk of its mixins may come back to it. A
        // shape whose mixins lead to a mixin cycle is never built in the reference, so it has
        // no inherited member to apply to (its own members are known).
        let inherited_target = member.as_deref().and_then(|name| {
            let shape = self.model.shapes.get(&root)?;
            match shape.member(name) {
                Some(_) => None,
                None if self.reaches_mixin_cycle(&root) => None,
                None => self.mixin_member_target(shape, name),
            }
        });
        // Taken out and put back, so that a large shape is not copied per `apply`.
        let Some(mut shape) = self.model.shapes.remove(&root) else {
            if prelude::absolute_shape_type(&root).is_some() {
                // As the reference: one error per trait, at the trait.
                for (id, tv) in &apply.traits {
                    self.error(
                        Code::ApplyToMissingShape,
                        &tv.location,
                        format!(
                            "{}: Cannot apply `{id}` to an immutable prelude shape defined in `smithy.api`.",
                            apply.target
                        ),
                    );
                }
            } else {
                self.traits_to_unknown_shape(&apply);
            }
            return;
        };
        match &member {
            None => {
                let mut traits = std::mem::take(&mut shape.traits);
                for (id, tv) in apply.traits {
                    self.add_trait(&apply.target, &mut traits, id, tv);
                }
                shape.traits = traits;
            }
            Some(name) => {
                if shape.member(name).is_none() {
                    // A member inherited from a mixin gets a local definition carrying the
                    // applied traits.
                    match inherited_target {
                        Some(target) => shape.members.push(Member {
                            name: name.clone(),
                            target,
                            traits: Traits::new(),
                            location: apply.location.clone(),
                            target_location: apply.location.clone(),
                        }),
                        None => {
                            self.traits_to_unknown_shape(&apply);
                            self.model.shapes.insert(root, shape);
                            return;
                        }
                    }
                }
                let idx = shape
                    .members
                    .iter()
                    .position(|m| m.name == *name)
                    .expect("member ensured above");
                let mut traits = std::mem::take(&mut shape.members[idx].traits);
                for (id, tv) in apply.traits {
                    self.add_trait(&apply.target, &mut traits, id, tv);
                }
                shape.members[idx].traits = traits;
            }
        }
        self.model.shapes.insert(root, shape);
    }

    /// The reference's error for traits applied to a shape or member that is not in the model:
    /// one per trait, at the trait, named as a model names it (`documentation`, `ns#custom`).
    fn traits_to_unknown_shape(&mut self, apply: &PendingApply) {
        for (id, tv) in &apply.traits {
            let name = id.strip_prefix("smithy.api#").unwrap_or(id);
            self.error(
                Code::ApplyToMissingShape,
                &tv.location,
                format!("Trait `{name}` applied to unknown shape `{}`", apply.target),
            );
        }
    }

    /// Every applied trait must name a trait shape: a prelude trait or a model shape with
    /// `@trait`.
    fn check_traits_resolve(&mut self) {
        let model = &self.model;
        let problems: Vec<Vec<(Location, String)>> = model
            .shapes
            .par_values()
            // The traits found to resolve (per task): a model applies a few hundred traits a
            // million times.
            .map_init(HashSet::default, |resolved, shape| {
                Self::unresolved_traits(model, shape, resolved)
            })
            .collect();
        for (loc, message) in problems.into_iter().flatten() {
            self.error(Code::UnresolvedTrait, &loc, message);
        }
    }

    /// Where `shape` and its members apply a trait that is not defined, or a shape that is not
    /// a trait, with the reference's message; `resolved` remembers the traits that are.
    fn unresolved_traits<'m>(
        model: &'m Model,
        shape: &'m Shape,
        resolved: &mut HashSet<&'m str>,
    ) -> Vec<(Location, String)> {
        let mut problems = Vec::new();
        // The owner is named only when one of its traits is reported.
        let owned = std::iter::once((None, &shape.traits)).chain(
            shape
                .members
                .iter()
                .map(|m| (Some(m.name.as_str()), &m.traits)),
        );
        for (member, traits) in owned {
            let owner = || match member {
                None => shape.id.clone(),
                Some(name) => shape.member_id(name),
            };
            for (id, tv) in traits {
                if resolved.contains(id.as_str()) {
                    continue;
                }
                let message = match model.shapes.get(id) {
                    Some(t) if model.has_trait(t, "smithy.api#trait") => {
                        resolved.insert(id);
                        continue;
                    }
                    // Reported on the shape applied, as the reference does.
                    Some(_) => format!(
                        "{id}: Shape `{id}` cannot be applied as a trait. If this is a custom trait, please add `@trait` to this shape."
                    ),
                    None if id.strip_prefix("smithy.api#").is_some_and(|n| prelude::trait_def(n).is_some()) => {
                        resolved.insert(id);
                        continue;
                    }
                    None => format!(
                        "{}: Unable to resolve trait `{id}`. If this is a custom trait, then it must be defined before it can be used in a model.",
                        owner()
                    ),
                };
                problems.push((tv.location.clone(), message));
            }
        }
        problems
    }

    /// Prelude traits whose value the reference's trait factory rejects are reported and left
    /// off their shape, as the reference leaves them off.
    fn create_prelude_traits(&mut self) {
        let findings: Vec<Vec<TraitCreation>> = self
            .model
            .shapes
            .par_values_mut()
            .map(Self::prelude_trait_problems)
            .collect();
        for finding in findings.into_iter().flatten() {
            match finding {
                TraitCreation::Failed(at, message) => {
                    self.error(Code::PreludeTraitNotBuilt, &at, message);
                }
                TraitCreation::EnumDeprecated(at, shape) => self
                    .diagnostics
                    .push(super::validate::enum_trait_deprecation(&shape, &at)),
            }
        }
    }

    /// Takes a shape's (and its members') prelude traits whose values the reference cannot
    /// create off them, with what it reports for each.
    fn prelude_trait_problems(shape: &mut Shape) -> Vec<TraitCreation> {
        let mut problems = Vec::new();
        let shape_id = &shape.id;
        let v2 = shape.version == IdlVersion::V2;
        let owned = std::iter::once((None, &mut shape.traits)).chain(
            shape
                .members
                .iter_mut()
                .map(|m| (Some(m.name.as_str()), &mut m.traits)),
        );
        for (member, traits) in owned {
            // The owner is named only when one of its traits is reported.
            let owner = || match member {
                None => shape_id.clone(),
                Some(name) => format!("{shape_id}${name}"),
            };
            traits.retain(|id, tv| {
                let Some(name) = id.strip_prefix("smithy.api#") else {
                    return true;
                };
                let Some(problem) = super::trait_creation::prelude_trait_problem(name, &tv.value)
                else {
                    return true;
                };
                // The reference's loader warns of an `@enum` in a 2.0 file as it applies it,
                // before creating it; left off, validation cannot warn of it.
                if name == "enum" && member.is_none() && v2 {
                    problems.push(TraitCreation::EnumDeprecated(tv.location.clone(), owner()));
                }
                problems.push(TraitCreation::Failed(
                    tv.location.clone(),
                    format!("{}: Error creating trait `{name}`: {problem}", owner()),
                ));
                false
            });
        }
        problems
    }

    fn check_mixins(&mut self) {
        let mut problems: Vec<(Location, String)> = Vec::new();
        // (shape, the first of its mixins that is not in the model)
        let mut missing: Vec<(String, String)> = Vec::new();
        for shape in self.model.shapes.values() {
            let is_mixin = shape.traits.contains_key("smithy.api#mixin");
            if is_mixin && shape.shape_type == ShapeType::Operation {
                let non_unit = |r: &Option<Reference>| {
                    r.as_ref().is_some_and(|x| x.target != "smithy.api#Unit")
                };
                if non_unit(&shape.relations.input) || non_unit(&shape.relations.output) {
                    problems.push((shape.location.clone(), format!(
                        "Operation shapes with the mixin trait MUST target `smithy.api#Unit` for their input and output. Operation mixin shape `{}` defines one or both of these properties.",
                        shape.id
                    )));
                }
            }
            if is_mixin
                && shape.shape_type == ShapeType::Resource
                && !(shape.relations.properties.is_empty()
                    && shape.relations.identifiers.is_empty())
            {
                problems.push((shape.location.clone(), format!(
                    "Resource shapes with the mixin trait may not define any properties. Resource mixin shape `{}` defines one or more properties.",
                    shape.id
                )));
            }
            if shape.mixins.is_empty() {
                continue;
            }
            let mut wrong_type = Vec::new();
            for mixin in &shape.mixins {
                // Of any type, `@mixin` or not, as the reference's loader checks it; a shape of
                // the right type without `@mixin` is reported by the Target validator.
                if let Some(m) = self.model.shapes.get(&mixin.target) {
                    if m.shape_type != shape.shape_type {
                        wrong_type.push(format!("`{}`", m.id));
                    }
                }
            }
            let first_missing =
                (shape.mixins.iter()).find(|m| !self.model.shapes.contains_key(&m.target));
            if let Some(mixin) = first_missing {
                missing.push((shape.id.clone(), mixin.target.clone()));
            }
            if !wrong_type.is_empty() {
                let t = shape.shape_type.as_str();
                problems.push((shape.location.clone(), format!(
                    "Mixins may only be mixed into shapes of the same type. The following mixins were applied to the {t} shape `{}` which are not {t} shapes: [{}]",
                    shape.id,
                    wrong_type.join(", ")
                )));
            }
            // Members inherited twice, or redefined locally, must keep their target.
            let mut inherited: HashMap<&str, (&str, String)> = HashMap::default();
            for mixin in &shape.mixins {
                let Some(m) = self.model.shapes.get(&mixin.target) else {
                    continue;
                };
                for (member, owner) in self.model.members_with_owners(m) {
                    match inherited.get(member.name.as_str()) {
                        Some((target, _)) if *target != member.target => {
                            problems.push((
                                shape.location.clone(),
                                format!(
                                "{}${}: Member conflicts with an inherited mixin member: `{owner}${}`",
                                shape.id, member.name, member.name
                            ),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            inherited.insert(
                                &member.name,
                                (&member.target, format!("{owner}${}", member.name)),
                            );
                        }
                    }
                }
            }
            for local in &shape.members {
                if let Some((target, owner)) = inherited.get(local.name.as_str()) {
                    if *target != local.target && !local.target.is_empty() {
                        problems.push((
                            local.location.clone(),
                            format!(
                                "{}${}: Member conflicts with an inherited mixin member: `{owner}`",
                                shape.id, local.name
                            ),
                        ));
                    }
                }
            }
        }
        for (loc, message) in problems {
            self.error(Code::MixinProblem, &loc, message);
        }
        for (shape, mixin) in missing {
            self.mixin_not_found(&shape, &mixin);
        }
    }

    /// The shapes a shape reaches through its mixins, transitively.
    fn mixin_closure(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue: Vec<&str> = vec![id];
        while let Some(next) = queue.pop() {
            let Some(shape) = self.model.shapes.get(next) else {
                continue;
            };
            for m in &shape.mixins {
                if seen.insert(m.target.clone()) {
                    queue.push(&m.target);
                }
            }
        }
        seen
    }

    /// Shapes whose mixins lead back to themselves are never built, as in the reference: its
    /// loader sorts shapes by their mixins and builds only the shapes the sort reaches. Each
    /// shape of a cycle of two or more is reported; a shape that is its own mixin is not, and
    /// the shapes that mix a cyclic shape in are left out without a word. They are removed
    /// here, before the mixin checks that would report on them, with a note of ours on each
    /// (otherwise the first sign of a shape gone would be the references to it).
    fn drop_mixin_cycles(&mut self) {
        let closures: BTreeMap<&str, BTreeSet<String>> = self
            .model
            .shapes
            .values()
            .filter(|s| !s.mixins.is_empty())
            .map(|s| (s.id.as_str(), self.mixin_closure(&s.id)))
            .collect();
        let cyclic: BTreeSet<&str> = closures
            .iter()
            .filter(|(id, reach)| reach.contains(**id))
            .map(|(id, _)| *id)
            .collect();
        if cyclic.is_empty() {
            return;
        }
        let cycle_order = self.reference_mixin_cycles();
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let mut dropped: Vec<&str> = Vec::new();
        for (id, reach) in &closures {
            let location = self.model.shapes[*id].location.clone();
            if !cyclic.contains(id) {
                // A shape that reaches a cycle through its mixins is never sorted either.
                if let Some(on_cycle) = reach.iter().find(|m| cyclic.contains(m.as_str())) {
                    dropped.push(id);
                    notes.push((location, format!(
                        "{id}: left out of the model, as the Smithy reference does: its mixins lead to {on_cycle}, which is in a mixin cycle"
                    )));
                }
                continue;
            }
            dropped.push(id);
            let partners: Vec<&str> = match cycle_order.iter().find(|c| c.contains(id)) {
                Some(cycle) => cycle.iter().copied().filter(|o| o != id).collect(),
                None => reach
                    .iter()
                    .filter(|o| {
                        *o != id && closures.get(o.as_str()).is_some_and(|r| r.contains(*id))
                    })
                    .map(String::as_str)
                    .collect(),
            };
            if partners.is_empty() {
                notes.push((location, own_mixin_note(id)));
            } else {
                // One error per definition of the ID, as the reference.
                let message = format!(
                    "{id}: Unable to resolve mixins; cycles detected between this shape and [{}]",
                    partners.join(", ")
                );
                let later = self.later_definitions.get(*id).into_iter().flatten();
                for at in std::iter::once(&location).chain(later) {
                    problems.push((at.clone(), message.clone()));
                }
            }
        }
        let dropped: Vec<String> = dropped.into_iter().map(str::to_string).collect();
        for (location, message) in problems {
            self.error(Code::MixinProblem, &location, message);
        }
        for (location, message) in notes {
            self.left_out(&location, message);
        }
        for id in dropped {
            self.model.shapes.remove(&id);
        }
    }

    /// The mixin cycles (strongly connected groups of two or more shapes) in the order the
    /// reference lists them in its messages. Its loader puts every shape in a graph of
    /// dependencies (a structure's `for` resource, then its mixins), visiting the shapes in the
    /// order of a Java `HashMap` keyed by shape ID, and finds the groups with Tarjan's
    /// algorithm over the reverse edges: a group is listed as its shapes leave the stack.
    fn reference_mixin_cycles(&self) -> Vec<Vec<&str>> {
        // The shapes in the map's iteration order: by bucket, and in a bucket the last one
        // inserted first (`computeIfAbsent` puts a new key at the head of its bucket).
        let capacity = self.definition_buckets.capacity;
        let mut entries: Vec<(usize, &str)> = self
            .load_order
            .iter()
            .rev()
            .map(|id| {
                (
                    java_hash_map_bucket(java_shape_id_hash(id), capacity),
                    id.as_str(),
                )
            })
            .collect();
        entries.sort_by_key(|(bucket, _)| *bucket);
        // The graph's nodes in the order they were added, and each node's dependents.
        let mut index: HashMap<&str, usize> = HashMap::default();
        let mut nodes: Vec<&str> = Vec::new();
        let mut dependents: Vec<Vec<usize>> = Vec::new();
        for (_, id) in &entries {
            let what = add_node(&mut index, &mut nodes, &mut dependents, id);
            let Some(shape) = self.model.shapes.get(id) else {
                continue;
            };
            let mut dependencies: Vec<&str> = Vec::new();
            for dependency in shape.for_resource.iter().chain(&shape.mixins) {
                if !dependencies.contains(&dependency.target.as_str()) {
                    dependencies.push(&dependency.target);
                }
            }
            // The dependencies of an ID defined more than once are gathered in a `HashSet`.
            if self.later_definitions.contains_key(*id) {
                let mut capacity = 16;
                while dependencies.len() > capacity / 4 * 3 {
                    capacity *= 2;
                }
                dependencies.sort_by_key(|d| java_hash_map_bucket(java_shape_id_hash(d), capacity));
            }
            for dependency in dependencies {
                let on = add_node(&mut index, &mut nodes, &mut dependents, dependency);
                dependents[on].push(what);
            }
        }
        tarjan_groups(&dependents)
            .into_iter()
            .map(|group| group.into_iter().map(|n| nodes[n]).collect())
            .collect()
    }

    /// Our note (SMY026) on a definition left out of the model, saying why.
    fn left_out(&mut self, location: &Location, message: String) {
        self.diagnostics.push(Diagnostic::with_code(
            Code::ShapeLeftOutByMixinCycle.into(),
            Severity::Note,
            message,
            location.path.to_string(),
            location.span,
        ));
    }

    /// A shape whose mixin could not be built (a loader error of its own) cannot be built
    /// either: the reference reports its mixin as not found, transitively.
    fn check_mixins_resolve(&mut self) {
        // The shapes so far not built: a mixin not found (shapes of mixin cycles, and those
        // that mix them in, are gone already) or required members missing. Either message
        // names its shape first.
        let mut failed: BTreeSet<String> = self
            .diagnostics
            .iter()
            .filter(|d| {
                (d.code == Code::MixinProblem && d.message.contains(": Cannot apply mixin to "))
                    || (d.severity == Severity::Error && d.code == Code::MissingRequiredMembers)
            })
            .filter_map(|d| {
                let (shape, _) = d.message.split_once(": ")?;
                self.model
                    .shapes
                    .contains_key(shape)
                    .then(|| shape.to_string())
            })
            .collect();
        loop {
            let mut problems = Vec::new();
            for shape in self.model.shapes.values() {
                if failed.contains(&shape.id) {
                    continue;
                }
                if let Some(m) = shape.mixins.iter().find(|m| failed.contains(&m.target)) {
                    problems.push((shape.id.clone(), m.target.clone()));
                }
            }
            if problems.is_empty() {
                break;
            }
            for (id, mixin) in problems {
                self.mixin_not_found(&id, &mixin);
                failed.insert(id);
            }
        }
    }

    /// A member redeclared over a member of its container's mixins has that member as its own
    /// mixin in the reference (`NamedMemberUtils.computeMixinMembers`), and so its traits, its
    /// own winning: they are merged into it here, once, and listed as inherited. A string enum
    /// member of a shape with mixins gets the value its name implies only when it inherits
    /// none. Linear: only the names declared by more than one shape that has or is a mixin can
    /// be redeclared, and each is merged once per shape along the mixins.
    fn inherit_redeclared_member_traits(&mut self) {
        let shapes = &self.model.shapes;
        let mixin_ids: HashSet<&str> = shapes
            .values()
            .flat_map(|s| s.mixins.iter().map(|m| m.target.as_str()))
            .collect();
        if mixin_ids.is_empty() {
            return;
        }
        let mut declared: HashSet<&str> = HashSet::default();
        let mut redeclared: HashSet<&str> = HashSet::default();
        for shape in shapes.values() {
            if shape.mixins.is_empty() && !mixin_ids.contains(shape.id.as_str()) {
                continue;
            }
            for m in &shape.members {
                if !declared.insert(&m.name) {
                    redeclared.insert(&m.name);
                }
            }
        }
        let mut memo = HashMap::default();
        // Shape ID, member position and the traits the member inherits; every member of an
        // enum with mixins, which may need its implied value.
        let mut updates: Vec<(String, usize, Traits)> = Vec::new();
        for shape in shapes.values().filter(|s| !s.mixins.is_empty()) {
            let is_enum = shape.shape_type == ShapeType::Enum;
            for (at, m) in shape.members.iter().enumerate() {
                let mut inherited = Traits::new();
                if redeclared.contains(m.name.as_str()) {
                    for mixin in &shape.mixins {
                        let mut visiting = HashSet::from_iter([shape.id.as_str()]);
                        let found = self.mixin_member_traits(
                            &mixin.target,
                            &m.name,
                            &mut memo,
                            &mut visiting,
                        );
                        for (id, t) in passed_on(&found) {
                            inherited.insert(id.clone(), t.clone());
                        }
                    }
                }
                if !inherited.is_empty() || is_enum {
                    updates.push((shape.id.clone(), at, inherited));
                }
            }
        }
        for (id, at, inherited) in updates {
            let Some(shape) = self.model.shapes.get_mut(&id) else {
                continue;
            };
            let is_enum = shape.shape_type == ShapeType::Enum;
            let m = &mut shape.members[at];
            let mut names = Vec::new();
            for (trait_id, t) in inherited.iter() {
                if !m.traits.contains_key(trait_id.as_str()) {
                    m.traits.insert(trait_id.clone(), t.clone());
                    names.push(trait_id.clone());
                }
            }
            if is_enum && !m.traits.contains_key("smithy.api#enumValue") {
                m.traits
                    .insert("smithy.api#enumValue".into(), implied_enum_value(m));
            }
            if !names.is_empty() {
                let member_id = format!("{id}${}", m.name);
                self.model.inherited_member_traits.insert(member_id, names);
            }
        }
    }

    /// A service, resource or operation has the relations of its mixins (of its own type)
    /// before its own, as the reference computes them (`ServiceShape`, `EntityShape`,
    /// `OperationShape`): a service their version (its own, when it has one, winning), renames,
    /// errors, operations and resources; a resource their operations and resources; an
    /// operation their errors. They are merged into `relations` here, once, mixins before the
    /// shapes that use them, so that every validator sees them; the declared relations are
    /// kept in [`Model::own_relations`] for the JSON AST. Linear: only shapes of those types
    /// with mixins are visited, each once.
    fn inherit_mixin_relations(&mut self) {
        let shapes = &self.model.shapes;
        let with_mixins: Vec<&str> = shapes
            .values()
            .filter(|s| {
                !s.mixins.is_empty()
                    && matches!(
                        s.shape_type,
                        ShapeType::Service | ShapeType::Resource | ShapeType::Operation
                    )
            })
            .map(|s| s.id.as_str())
            .collect();
        if with_mixins.is_empty() {
            return;
        }
        // Mixins first (depth first, after their own mixins); a cycle (reported already) is
        // cut where it closes.
        let mut order: Vec<String> = Vec::new();
        let mut state: HashMap<&str, bool> = HashMap::default();
        for id in with_mixins {
            let mut stack: Vec<(&str, usize)> = vec![(id, 0)];
            if state.contains_key(id) {
                continue;
            }
            state.insert(id, false);
            while let Some((at, next)) = stack.pop() {
                let shape = &shapes[at];
                match shape.mixins.get(next) {
                    Some(mixin) => {
                        stack.push((at, next + 1));
                        let target = mixin.target.as_str();
                        let Some(m) = shapes.get(target) else {
                            continue;
                        };
                        if m.shape_type == shape.shape_type
                            && !m.mixins.is_empty()
                            && !state.contains_key(target)
                        {
                            state.insert(&m.id, false);
                            stack.push((&m.id, 0));
                        }
                    }
                    None => {
                        state.insert(at, true);
                        order.push(at.to_string());
                    }
                }
            }
        }
        for id in order {
            let shape = &self.model.shapes[id.as_str()];
            let mut merged = RelationLists::default();
            for mixin in &shape.mixins {
                let Some(m) = self.model.shapes.get(&mixin.target) else {
                    continue;
                };
                if m.shape_type != shape.shape_type {
                    continue;
                }
                add_relations(&mut merged, &m.relations, shape.shape_type);
            }
            add_relations(&mut merged, &shape.relations, shape.shape_type);
            // What the shape does not inherit stays its own.
            let own = &shape.relations;
            merged.input = own.input.clone();
            merged.output = own.output.clone();
            if shape.shape_type == ShapeType::Resource {
                merged.identifiers = own.identifiers.clone();
                merged.properties = own.properties.clone();
                merged.lifecycle = own.lifecycle.clone();
                merged.collection_operations = own.collection_operations.clone();
            }
            let merged = Relations::from(merged);
            if merged == shape.relations {
                continue;
            }
            let Some(shape) = self.model.shapes.get_mut(id.as_str()) else {
                continue;
            };
            let own = std::mem::replace(&mut shape.relations, merged);
            self.model.own_relations.insert(id, own);
        }
    }

    /// A member that several mixins of a shape have, and the shape does not declare, is one
    /// member with each of those mixin members as a mixin in the reference
    /// (`NamedMemberUtils.computeMixinMembers`): their traits merged in mixin order, a later
    /// mixin's winning. Plansmith would otherwise see the last mixin's member only, so such a
    /// member is added to the shape with the merged traits and listed in
    /// [`Model::merged_mixin_members`]; the JSON AST writes it only with the traits the mixins
    /// after the first bring, as the reference's serializer does (its introduced traits).
    /// Mixins that disagree on the target are left to the mixin checks. Only shapes with two
    /// mixins or more are visited.
    fn merge_members_of_several_mixins(&mut self) {
        let shapes = &self.model.shapes;
        let mut memo = HashMap::default();
        // Shape ID, the member, and the IDs of the traits only its first mixin gives it.
        let mut added: Vec<(String, Member, Vec<String>)> = Vec::new();
        let structured =
            |s: &&Shape| matches!(s.shape_type, ShapeType::Structure | ShapeType::Union);
        for shape in shapes
            .values()
            .filter(|s| s.mixins.len() > 1)
            .filter(structured)
        {
            // Each name with the mixins that have it, in mixin order.
            let mut providers: Vec<(&str, Vec<&Shape>)> = Vec::new();
            for mixin in &shape.mixins {
                let Some(mixin) = shapes.get(&mixin.target) else {
                    continue;
                };
                for member in self.model.members_of(mixin) {
                    if shape.member(&member.name).is_some() {
                        continue;
                    }
                    match providers.iter_mut().find(|(n, _)| *n == member.name) {
                        Some((_, list)) => list.push(mixin),
                        None => providers.push((&member.name, vec![mixin])),
                    }
                }
            }
            for (name, mixins) in providers.into_iter().filter(|(_, l)| l.len() > 1) {
                let declarations: Vec<&Member> = mixins
                    .iter()
                    .filter_map(|m| self.model.member_declaration(m, name))
                    .collect();
                let Some(last) = declarations.last() else {
                    continue;
                };
                if declarations.iter().any(|d| d.target != last.target) {
                    continue;
                }
                let mut merged = Traits::new();
                // The IDs of the traits the mixins after the first bring.
                let mut introduced: HashSet<String> = HashSet::default();
                for (at, mixin) in mixins.iter().enumerate() {
                    let mut visiting = HashSet::from_iter([shape.id.as_str()]);
                    let found = self.mixin_member_traits(&mixin.id, name, &mut memo, &mut visiting);
                    for (id, t) in passed_on(&found) {
                        merged.insert(id.clone(), t.clone());
                        if at > 0 {
                            introduced.insert(id.clone());
                        }
                    }
                }
                let only_inherited = merged
                    .keys()
                    .filter(|id| !introduced.contains(id.as_str()))
                    .cloned()
                    .collect();
                let member = Member {
                    name: name.to_string(),
                    target: last.target.clone(),
                    traits: merged,
                    location: last.location.clone(),
                    target_location: last.target_location.clone(),
                };
                added.push((shape.id.clone(), member, only_inherited));
            }
        }
        for (id, member, only_inherited) in added {
            let member_id = format!("{id}${}", member.name);
            let Some(shape) = self.model.shapes.get_mut(&id) else {
                continue;
            };
            shape.members.push(member);
            if !only_inherited.is_empty() {
                self.model
                    .inherited_member_traits
                    .insert(member_id.clone(), only_inherited);
            }
            self.model.merged_mixin_members.insert(member_id);
        }
    }

    /// The traits of member `name` of shape `id` with those it inherits from its mixins
    /// (`None` when neither it nor its mixins have one), memoised per shape and name.
    fn mixin_member_traits<'m>(
        &'m self,
        id: &'m str,
        name: &'m str,
        memo: &mut HashMap<(&'m str, &'m str), Option<Traits>>,
        visiting: &mut HashSet<&'m str>,
    ) -> Option<Traits> {
        let shape = self.model.shapes.get(id)?;
        let own = shape.member(name);
        if shape.mixins.is_empty() {
            return own.map(|m| m.traits.clone());
        }
        if let Some(done) = memo.get(&(id, name)) {
            return done.clone();
        }
        // A mixin cycle (reported already) ends the walk.
        if !visiting.insert(id) {
            return None;
        }
        let mut out: Option<Traits> = None;
        for mixin in &shape.mixins {
            if let Some(found) = self.mixin_member_traits(&mixin.target, name, memo, visiting) {
                let merged = out.get_or_insert_with(Traits::new);
                for (trait_id, t) in found.iter() {
                    merged.insert(trait_id.clone(), t.clone());
                }
            }
        }
        if let Some(m) = own {
            let merged = out.get_or_insert_with(Traits::new);
            for (trait_id, t) in m.traits.iter() {
                merged.insert(trait_id.clone(), t.clone());
            }
            // Not yet implied for the members of enums with mixins.
            if shape.shape_type == ShapeType::Enum && !merged.contains_key("smithy.api#enumValue") {
                merged.insert("smithy.api#enumValue".into(), implied_enum_value(m));
            }
        }
        visiting.remove(id);
        memo.insert((id, name), out.clone());
        out
    }

    fn check_enums_have_members(&mut self) {
        let mut problems = Vec::new();
        for shape in self.model.shapes.values() {
            if matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum)
                && self.model.members_of(shape).is_empty()
                && shape.mixins.is_empty()
            {
                // The reference's two wordings.
                let message = if shape.shape_type == ShapeType::IntEnum {
                    "intEnum shapes must have at least one member"
                } else {
                    "enum must have at least one entry"
                };
                problems.push((shape.location.clone(), format!("{}: {message}", shape.id)));
            }
        }
        for (loc, message) in problems {
            self.error(Code::MissingRequiredMembers, &loc, message);
        }
    }
}

/// The `@enumValue` a string enum member without one has: its name, written where the name is
/// (an enum member's target location).
fn implied_enum_value(member: &Member) -> TraitValue {
    TraitValue {
        value: Value::String(member.name.clone()),
        location: member.target_location.clone(),
    }
}

/// Adds to `into` the relations of `from` that a shape of type `kind` inherits from a mixin
/// or keeps of its own: lists without repeats, renames by shape ID (a later one replacing the
/// name), a non-empty version replacing the version.
fn add_relations(into: &mut RelationLists, from: &RelationLists, kind: ShapeType) {
    fn union(into: &mut Vec<Reference>, from: &[Reference]) {
        for r in from {
            if !into.iter().any(|x| x.target == r.target) {
                into.push(r.clone());
            }
        }
    }
    union(&mut into.errors, &from.errors);
    if kind == ShapeType::Operation {
        return;
    }
    union(&mut into.operations, &from.operations);
    union(&mut into.resources, &from.resources);
    if kind == ShapeType::Resource {
        return;
    }
    if let Some(v) = from.version.as_ref().filter(|v| !v.is_empty()) {
        into.version = Some(v.clone());
    }
    for (shape, name) in &from.rename {
        match into.rename.iter_mut().find(|(s, _)| s == shape) {
            Some(entry) => entry.1 = name.clone(),
            None => into.rename.push((shape.clone(), name.clone())),
        }
    }
}
