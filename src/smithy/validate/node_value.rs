//! Node values checked against the shape they are for, as the reference's node validation
//! visitor does: node types, whole numbers within the bounds of their type, structure members
//! (required, unknown), unions with one member, list and map elements, and the constraint
//! traits of each shape and member on the way (`@length`, `@range`, `@pattern`, enum values,
//! `@uniqueItems`, `@idRef`, timestamp formats). `TraitValue` uses it for the values of custom
//! traits, `DefaultTrait` for `@default` values, `ExamplesTrait` for example inputs, outputs
//! and errors.

use super::shared::ticked;
use crate::diagnostic::Severity;
use crate::smithy::ast::ShapeType;
use crate::smithy::json_ast::json_type as node_type;
use crate::smithy::model::{Member, Model, Shape};
use crate::smithy::prelude;
use crate::smithy::selector::{NodeId, Selector, ShapeIndex};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One problem found in a value: the event ID (with sub-parts), severity and message (after
/// the path of the value).
pub(super) struct NodeEvent {
    pub id: String,
    pub severity: Severity,
    pub message: String,
}

/// A compiled `@pattern`: only ever asked whether a value matches.
pub(super) type Pattern = std::sync::Arc<regex_automata::meta::Regex>;

/// `pattern` compiled, or `None` when this engine does not take it. Compiled once per process:
/// a validator is made per trait value, and a large model repeats the same few patterns on
/// thousands of values (compiling them was a twentieth of checking 400 AWS models).
///
/// The syntax, match kind and size limit are `regex::Regex::new`'s; what serves only long
/// haystacks or capture groups is left out: the lazy DFAs (they need a reverse NFA, built as
/// dearly as the forward one), the one-pass DFA and the explicit groups' states. Trait and
/// example values are short, and the backtracker or PikeVM answers `is_match` the same.
///
/// The shorthand classes `\d`, `\w` and `\s` (and their negations) are ASCII, as in the
/// reference's `java.util.regex` (see [`ascii_shorthands`]).
pub(super) fn compiled_pattern(pattern: &str) -> Option<Pattern> {
    type Cache = std::sync::Mutex<HashMap<String, Option<Pattern>>>;
    static COMPILED: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = COMPILED.get_or_init(Cache::default);
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return known;
    }
    use regex_automata::{meta, nfa::thompson::WhichCaptures, util::syntax, MatchKind};
    let config = meta::Config::new()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .which_captures(WhichCaptures::Implicit)
        .hybrid(false)
        .dfa(false)
        .onepass(false);
    let compiled = meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().utf8(true))
        .build(&ascii_shorthands(pattern))
        .ok()
        .map(Pattern::new);
    if let Ok(mut c) = cache.lock() {
        c.insert(pattern.to_string(), compiled.clone());
    }
    compiled
}

/// `pattern` with each shorthand class written as the ASCII class Java gives it: `\d` is
/// `[0-9]`, `\w` `[0-9A-Za-z_]`, `\s` `[\t\n\v\f\r ]`, as POSIX classes (`[[:digit:]]`
/// outside a bracket, `[:digit:]` inside one), which the regex crate reads as ASCII in any mode.
/// Escaped characters and POSIX classes already written are copied as they are.
fn ascii_shorthands(pattern: &str) -> std::borrow::Cow<'_, str> {
    if !pattern.contains(['d', 'D', 'w', 'W', 's', 'S']) || !pattern.contains('\\') {
        return std::borrow::Cow::Borrowed(pattern);
    }
    let mut out = String::with_capacity(pattern.len() + 16);
    // How many brackets are open: inside one, a class is an item, not an atom.
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(escaped) = chars.next() else {
                    out.push(c);
                    break;
                };
                let class = match escaped {
                    'd' => Some(":digit:"),
                    'D' => Some(":^digit:"),
                    'w' => Some(":word:"),
                    'W' => Some(":^word:"),
                    's' => Some(":space:"),
                    'S' => Some(":^space:"),
                    _ => None,
                };
                match (class, depth) {
                    (Some(class), 0) => {
                        out.push_str("[[");
                        out.push_str(class);
                        out.push_str("]]");
                    }
                    (Some(class), _) => {
                        out.push('[');
                        out.push_str(class);
                        out.push(']');
                    }
                    (None, _) => {
                        out.push(c);
                        out.push(escaped);
                    }
                }
            }
            '[' if depth > 0 && chars.peek() == Some(&':') => {
                // A POSIX class inside a bracket: copied up to its `:]`.
                out.push(c);
                while let Some(inner) = chars.next() {
                    out.push(inner);
                    if inner == ':' && chars.peek() == Some(&']') {
                        out.push(']');
                        chars.next();
                        break;
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
                // A `]` first in a bracket (after an optional `^`) is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

pub(super) struct NodeValidator<'a> {
    model: &'a Model,
    event_id: &'a str,
    /// `@range` violations by a zero value are warnings (for `@default`: 1.0 models upgraded to
    /// 2.0 get zero defaults that may fall outside a range).
    zero_range_warning: bool,
    /// Violated constraints (`@length` of strings, blobs and maps, `@pattern`, `@range`, missing
    /// required members) are warnings: an example that shows a constraint error on purpose.
    allow_constraint_errors: bool,
    /// Blob values must be base64 (metadata values; trait values are not held to it).
    require_base64_blobs: bool,
    /// The model as selectors see it, for `@idRef` selectors beyond the simple forms; without
    /// it those selectors match every shape.
    selector_index: Option<&'a ShapeIndex<'a>>,
    /// The shapes each such selector selects, evaluated once (`None`: it does not parse).
    selected: HashMap<String, Option<BTreeSet<NodeId>>>,
    /// Each `@pattern` compiled once (`None`: this engine does not take it).
    patterns: HashMap<String, Option<Pattern>>,
    pub events: Vec<NodeEvent>,
}

/// The shape a value is checked against: one of the model, or of the prelude (no traits).
struct Subject<'a> {
    id: String,
    shape_type: ShapeType,
    shape: Option<&'a Shape>,
}

/// The traits that constrain a value, of a shape or of a member.
type TraitLookup<'t> = dyn Fn(&str) -> Option<&'t Value> + 't;

impl<'a> NodeValidator<'a> {
    pub fn new(model: &'a Model, event_id: &'a str, zero_range_warning: bool) -> Self {
        NodeValidator {
            model,
            event_id,
            zero_range_warning,
            allow_constraint_errors: false,
            require_base64_blobs: false,
            selector_index: None,
            selected: HashMap::new(),
            patterns: HashMap::new(),
            events: Vec::new(),
        }
    }

    /// Holds blob values to base64, and measures their `@length` in decoded bytes.
    pub fn requiring_base64_blobs(mut self) -> Self {
        self.require_base64_blobs = true;
        self
    }

    /// Reports violated constraints as warnings from now on, or as errors again (the
    /// reference's `ALLOW_CONSTRAINT_ERRORS`).
    pub fn allow_constraint_errors(&mut self, allow: bool) {
        self.allow_constraint_errors = allow;
    }

    /// Evaluates every `@idRef` selector with the selector engine.
    pub fn with_selector_index(mut self, index: &'a ShapeIndex<'a>) -> Self {
        self.selector_index = Some(index);
        self
    }

    /// Checks `value` against the shape `id` (of the model or the prelude).
    pub fn check_shape(&mut self, id: &str, value: &Value, context: &str) {
        if let Some(subject) = self.subject(id) {
            self.visit(&subject, value, context, false);
        }
    }

    /// Checks `value` against a member of `container`: the member's own constraints, then its
    /// target.
    pub fn check_member(
        &mut self,
        container: &Shape,
        member: &Member,
        value: &Value,
        context: &str,
    ) {
        let Some(target) = self.subject(&member.target) else {
            return;
        };
        let member_id = format!("{}${}", container.id, member.name);
        let traits = |t: &str| member.traits.get(t).map(|tv| &tv.value);
        self.plugins(&member_id, true, target.shape_type, &traits, value, context);
        if value.is_null() {
            self.check_null_member(container, member, context);
        }
        let member_format = member.traits.contains_key("smithy.api#timestampFormat");
        self.visit(&target, value, context, member_format);
    }

    fn report(&mut self, severity: Severity, context: &str, message: String, parts: &[&str]) {
        let mut id = self.event_id.to_string();
        for part in parts {
            id.push('.');
            id.push_str(part);
        }
        let message = if context.is_empty() {
            message
        } else {
            format!("{context}: {message}")
        };
        self.events.push(NodeEvent {
            id,
            severity,
            message,
        });
    }

    fn error(&mut self, context: &str, message: String) {
        self.report(Severity::Error, context, message, &[]);
    }

    /// The severity of a violated constraint trait or a missing required member.
    fn constraint_severity(&self) -> Severity {
        if self.allow_constraint_errors {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// A violated constraint, as [`Self::constraint_severity`] rates it.
    fn constraint(&mut self, context: &str, message: String) {
        self.report(self.constraint_severity(), context, message, &[]);
    }

    /// A shape of the model, or a prelude shape whose members and traits we know.
    fn shape(&self, id: &str) -> Option<&'a Shape> {
        self.model
            .shapes
            .get(id)
            .or_else(|| prelude::value_shapes().shapes.get(id))
    }

    fn subject(&self, id: &str) -> Option<Subject<'a>> {
        match self.shape(id) {
            Some(shape) => Some(Subject {
                id: id.to_string(),
                shape_type: shape.shape_type,
                shape: Some(shape),
            }),
            None => prelude::absolute_shape_type(id).map(|shape_type| Subject {
                id: id.to_string(),
                shape_type,
                shape: None,
            }),
        }
    }

    fn check_null_member(&mut self, container: &Shape, member: &Member, context: &str) {
        let sparse = self.model.has_trait(container, "smithy.api#sparse");
        let message = match container.shape_type {
            ShapeType::List | ShapeType::Set if !sparse => format!(
                "Non-sparse list shape `{}` cannot contain null values",
                container.id
            ),
            ShapeType::Map if !sparse => format!(
                "Non-sparse map shape `{}` cannot contain null values",
                container.id
            ),
            ShapeType::Structure
                if member.traits.contains_key("smithy.api#required")
                    && !member.traits.contains_key("smithy.api#clientOptional") =>
            {
                format!(
                    "Required structure member `{}` for `{}` cannot be null",
                    member.name, container.id
                )
            }
            _ => return,
        };
        self.error(context, message);
    }

    fn invalid(&mut self, subject: &Subject, expected: &str, value: &Value, context: &str) {
        let mut message = format!(
            "Expected {expected} value for {} shape, `{}`; found {} value",
            subject.shape_type.as_str(),
            subject.id,
            node_type(value)
        );
        match value {
            Value::String(s) => message.push_str(&format!(", `{s}`")),
            Value::Number(_) | Value::Bool(_) => message.push_str(&format!(", `{value}`")),
            _ => {}
        }
        self.error(context, message);
    }

    /// The checks of a shape's type; `member_format`: the member that led here has its own
    /// `@timestampFormat`, which then decides alone.
    fn visit(&mut self, subject: &Subject<'a>, value: &Value, context: &str, member_format: bool) {
        let model = self.model;
        let shape = subject.shape;
        let lookup = |t: &str| shape.and_then(|s| model.trait_value(s, t));
        let t = subject.shape_type;
        let id = subject.id.as_str();
        let expected = match t {
            ShapeType::Blob | ShapeType::String | ShapeType::Enum if !value.is_string() => "string",
            ShapeType::Boolean if !value.is_boolean() => "boolean",
            ShapeType::Float | ShapeType::Double if !(value.is_number() || value.is_string()) => {
                "number"
            }
            ShapeType::BigDecimal if !value.is_number() => "number",
            ShapeType::List | ShapeType::Set if !value.is_array() => "array",
            ShapeType::Map | ShapeType::Structure | ShapeType::Union if !value.is_object() => {
                "object"
            }
            ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::IntEnum
            | ShapeType::Long
            | ShapeType::BigInteger => {
                if !value.is_number() {
                    "number"
                } else {
                    if self.natural_number(subject, value, context) {
                        self.shape_plugins(id, t, &lookup, value, context, member_format);
                    }
                    return;
                }
            }
            ShapeType::Document => return,
            ShapeType::Operation | ShapeType::Resource | ShapeType::Service => {
                self.error(
                    context,
                    format!("Encountered invalid shape type: {}", t.as_str()),
                );
                return;
            }
            _ => "",
        };
        if !expected.is_empty() {
            self.invalid(subject, expected, value, context);
            return;
        }
        if let (true, ShapeType::Blob, Value::String(s)) = (self.require_base64_blobs, t, value) {
            if !super::default_trait::is_base64(s) {
                self.error(
                    context,
                    "Blob value must be a valid base64 string".to_string(),
                );
                return;
            }
        }
        self.shape_plugins(id, t, &lookup, value, context, member_format);
        let Some(shape) = shape else {
            // A prelude structure without members (`smithy.api#Unit`).
            if let (ShapeType::Structure, Value::Object(entries)) = (t, value) {
                for key in entries.keys() {
                    self.unknown_member(id, key, Severity::Warning, context);
                }
            }
            return;
        };
        let members = model.members_of(shape);
        let member = |name: &str| members.iter().copied().find(|m| m.name == name);
        match (t, value) {
            (ShapeType::List | ShapeType::Set, Value::Array(items)) => {
                if let Some(m) = member("member") {
                    for (i, item) in items.iter().enumerate() {
                        self.check_member(shape, m, item, &path(context, &i.to_string()));
                    }
                }
            }
            (ShapeType::Map, Value::Object(entries)) => {
                for (key, item) in entries {
                    if let Some(k) = member("key") {
                        let key_value = Value::String(key.clone());
                        let at = path(context, &format!("{key} (map-key)"));
                        self.check_member(shape, k, &key_value, &at);
                    }
                    if let Some(v) = member("value") {
                        self.check_member(shape, v, item, &path(context, key));
                    }
                }
            }
            (ShapeType::Structure, Value::Object(entries)) => {
                for (key, item) in entries {
                    match member(key) {
                        Some(m) => self.check_member(shape, m, item, &path(context, key)),
                        None => self.unknown_member(id, key, Severity::Warning, context),
                    }
                }
                for m in &members {
                    if m.traits.contains_key("smithy.api#required")
                        && !entries.contains_key(&m.name)
                    {
                        self.constraint(
                            context,
                            format!("Missing required structure member `{}` for `{id}`", m.name),
                        );
                    }
                }
            }
            (ShapeType::Union, Value::Object(entries)) => {
                if entries.len() > 1 {
                    self.error(
                        context,
                        "union values can contain a value for only a single member".to_string(),
                    );
                    return;
                }
                for (key, item) in entries {
                    match member(key) {
                        Some(m) => self.check_member(shape, m, item, &path(context, key)),
                        None => self.unknown_member(id, key, Severity::Error, context),
                    }
                }
            }
            _ => {}
        }
    }

    fn unknown_member(&mut self, id: &str, name: &str, severity: Severity, context: &str) {
        self.report(
            severity,
            context,
            format!("Member `{name}` does not exist in `{id}`"),
            &["UnknownMember", id, name],
        );
    }

    /// Whole numbers: no fraction, within the bounds of the type. Whether to go on.
    fn natural_number(&mut self, subject: &Subject, value: &Value, context: &str) -> bool {
        let text = value.to_string();
        let type_name = subject.shape_type.as_str();
        if text.contains(['.', 'e', 'E']) {
            self.error(
                context,
                format!(
                    "{type_name} shapes must not have floating point values, but found `{text}` provided for `{}`",
                    subject.id
                ),
            );
            return false;
        }
        let bounds: Option<(i64, i64)> = match subject.shape_type {
            ShapeType::Byte => Some((i8::MIN.into(), i8::MAX.into())),
            ShapeType::Short => Some((i16::MIN.into(), i16::MAX.into())),
            ShapeType::Integer | ShapeType::IntEnum => Some((i32::MIN.into(), i32::MAX.into())),
            ShapeType::Long => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        let (Some((min, max)), Ok(n)) = (bounds, text.parse::<i128>()) else {
            return true;
        };
        if n < i128::from(min) {
            self.error(
                context,
                format!("{type_name} value must be > {min}, but found {n}"),
            );
            return false;
        }
        if n > i128::from(max) {
            self.error(
                context,
                format!("{type_name} value must be < {max}, but found {n}"),
            );
            return false;
        }
        true
    }

    fn shape_plugins(
        &mut self,
        id: &str,
        t: ShapeType,
        traits: &TraitLookup,
        value: &Value,
        context: &str,
        member_format: bool,
    ) {
        self.plugins(id, false, t, traits, value, context);
        if t == ShapeType::Timestamp && !member_format {
            self.timestamp(id, traits("smithy.api#timestampFormat"), value, context);
        }
        let model = self.model;
        let Some(shape) = self.shape(id) else {
            return;
        };
        match (t, value) {
            (ShapeType::Enum, Value::String(s)) => {
                let values: Vec<String> = model
                    .members_of(shape)
                    .iter()
                    .map(|m| {
                        m.traits
                            .get("smithy.api#enumValue")
                            .and_then(|v| v.value.as_str())
                            .map_or_else(|| m.name.clone(), str::to_string)
                    })
                    .collect();
                if !values.contains(s) {
                    self.error(
                        context,
                        format!(
                            "String value provided for `{id}` must be one of the following values: {}",
                            ticked(&values)
                        ),
                    );
                }
            }
            (ShapeType::String, Value::String(s)) => {
                let Some(entries) = traits("smithy.api#enum").and_then(Value::as_array) else {
                    return;
                };
                let values: Vec<&str> = entries
                    .iter()
                    .filter_map(|e| e.get("value").and_then(Value::as_str))
                    .collect();
                if !values.contains(&s.as_str()) {
                    self.error(
                        context,
                        format!(
                            "String value provided for `{id}` must be one of the following values: {}",
                            ticked(&values)
                        ),
                    );
                }
            }
            (ShapeType::IntEnum, Value::Number(n)) => {
                let values: Vec<i64> = model
                    .members_of(shape)
                    .iter()
                    .filter_map(|m| m.traits.get("smithy.api#enumValue")?.value.as_i64())
                    .collect();
                if n.as_i64().is_some_and(|n| !values.contains(&n)) {
                    let listed: Vec<String> = values.iter().map(i64::to_string).collect();
                    self.error(
                        context,
                        format!(
                            "Integer value provided for `{id}` must be one of the following values: {}, but found {n}",
                            ticked(&listed)
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    /// `@length` of a blob, list or map: the reference words all three alike, by their unit.
    /// `severity`: a list's length is an error even where other constraints are allowed to fail.
    fn size_within_length(
        &mut self,
        id: &str,
        size: f64,
        (min, max): (Option<f64>, Option<f64>),
        (unit, severity): (&str, Severity),
        context: &str,
    ) {
        if let Some(min) = min.filter(|m| size < *m) {
            self.report(severity, context, format!(
                "Value provided for `{id}` must have at least {min} {unit}, but the provided value only has {size} {unit}"
            ), &[]);
        }
        if let Some(max) = max.filter(|m| size > *m) {
            self.report(severity, context, format!(
                "Value provided for `{id}` must have no more than {max} {unit}, but the provided value has {size} {unit}"
            ), &[]);
        }
    }

    /// The constraint traits that apply to shapes and members alike.
    fn plugins(
        &mut self,
        id: &str,
        is_member: bool,
        t: ShapeType,
        traits: &TraitLookup,
        value: &Value,
        context: &str,
    ) {
        let bound = |name: &str| {
            traits("smithy.api#length")
                .and_then(|l| l.get(name))
                .and_then(Value::as_f64)
        };
        let (min, max) = (bound("min"), bound("max"));
        match (t, value) {
            (ShapeType::String | ShapeType::Enum, Value::String(s)) => {
                if t == ShapeType::String {
                    let length = s.encode_utf16().count() as f64;
                    if let Some(min) = min.filter(|m| length < *m) {
                        self.constraint(context, format!(
                            "String value provided for `{id}` must be >= {min} characters, but the provided value is only {length} characters."
                        ));
                    }
                    if let Some(max) = max.filter(|m| length > *m) {
                        self.constraint(context, format!(
                            "String value provided for `{id}` must be <= {max} characters, but the provided value is {length} characters."
                        ));
                    }
                }
                if let Some(pattern) = traits("smithy.api#pattern").and_then(Value::as_str) {
                    // A pattern Java accepts and this engine does not is left unchecked.
                    let matches = self
                        .patterns
                        .entry(pattern.to_string())
                        .or_insert_with(|| compiled_pattern(pattern))
                        .as_ref()
                        .is_none_or(|re| re.is_match(s));
                    if !matches {
                        self.constraint(context, format!(
                            "String value provided for `{id}` must match regular expression: {pattern}"
                        ));
                    }
                }
                if let Some(id_ref) = traits("smithy.api#idRef") {
                    let model = self.model;
                    let matches = |selector: &str| self.selector_matches(s, selector);
                    if let Some(problem) =
                        super::trait_value::id_ref_problem(model, s, id_ref, matches)
                    {
                        self.error(context, problem);
                    }
                }
            }
            (ShapeType::Blob, Value::String(s)) => {
                let size = if self.require_base64_blobs {
                    base64_decoded_len(s)
                } else {
                    s.len()
                } as f64;
                let severity = self.constraint_severity();
                self.size_within_length(id, size, (min, max), ("bytes", severity), context);
            }
            (ShapeType::List | ShapeType::Set, Value::Array(items)) => {
                let size = items.len() as f64;
                let unit = ("elements", Severity::Error);
                self.size_within_length(id, size, (min, max), unit, context);
                if traits("smithy.api#uniqueItems").is_some() {
                    let mut seen = HashSet::new();
                    let mut duplicates: Vec<&Value> = Vec::new();
                    for item in items {
                        if !seen.insert(item.to_string()) && !duplicates.contains(&item) {
                            duplicates.push(item);
                        }
                    }
                    // The reference prints a string as it is, without quotes.
                    let duplicates: Vec<String> = duplicates
                        .iter()
                        .map(|d| d.as_str().map_or_else(|| d.to_string(), str::to_string))
                        .collect();
                    if !duplicates.is_empty() {
                        self.error(context, format!(
                            "Value provided for `{id}` must have unique items, but the following items had multiple entries: [`{}`]",
                            duplicates.join("`, `")
                        ));
                    }
                }
            }
            (ShapeType::Map, Value::Object(entries)) => {
                let size = entries.len() as f64;
                let severity = self.constraint_severity();
                self.size_within_length(id, size, (min, max), ("entries", severity), context);
            }
            (ShapeType::Float | ShapeType::Double, Value::String(s))
                if !NON_NUMERIC_FLOATS.contains(&s.as_str()) =>
            {
                self.error(context, format!(
                    "Value for `{id}` must either be numeric or one of the following strings: [\"NaN\", \"Infinity\", \"-Infinity\"], but was \"{s}\""
                ));
            }
            _ => {}
        }
        if t.is_number() {
            self.range(id, is_member, traits("smithy.api#range"), value, context);
        }
    }

    /// Whether the shape `id` (of the model) matches an `@idRef` selector.
    fn selector_matches(&mut self, id: &str, selector: &str) -> bool {
        if let Some(answer) = super::trait_value::simple_selector_match(self.model, id, selector) {
            return answer;
        }
        let Some(index) = self.selector_index else {
            return true;
        };
        let Some(node) = index.lookup(id) else {
            return true;
        };
        self.selected
            .entry(selector.to_string())
            .or_insert_with(|| Selector::parse(selector).ok().map(|s| s.select(index)))
            .as_ref()
            .is_none_or(|selected| selected.contains(&node))
    }

    fn range(
        &mut self,
        id: &str,
        is_member: bool,
        range: Option<&Value>,
        value: &Value,
        context: &str,
    ) {
        let Some(range) = range else {
            return;
        };
        let kind = if is_member { "Member" } else { "Target" };
        let parts = [kind, "InvalidRange"];
        let bound = |name: &str| range.get(name).and_then(Value::as_number).cloned();
        match value {
            Value::Number(n) => {
                let Some(v) = n.as_f64() else {
                    return;
                };
                let severity = if self.zero_range_warning && v == 0.0 {
                    Severity::Warning
                } else {
                    self.constraint_severity()
                };
                if let Some(min) = bound("min").filter(|m| m.as_f64().is_some_and(|m| v < m)) {
                    self.report(severity, context, format!(
                        "Value provided for `{id}` must be greater than or equal to {min}, but found {n}"
                    ), &parts);
                }
                if let Some(max) = bound("max").filter(|m| m.as_f64().is_some_and(|m| v > m)) {
                    self.report(severity, context, format!(
                        "Value provided for `{id}` must be less than or equal to {max}, but found {n}"
                    ), &parts);
                }
            }
            Value::String(s) => {
                if s == "NaN" {
                    self.constraint(context, format!(
                        "Value provided for `{id}` must be a number because the `smithy.api#range` trait is applied, but found \"{s}\""
                    ));
                }
                let severity = self.constraint_severity();
                if let (Some(min), "-Infinity") = (bound("min"), s.as_str()) {
                    self.report(severity, context, format!(
                        "Value provided for `{id}` must be greater than or equal to {min}, but found \"{s}\""
                    ), &parts);
                }
                if let (Some(max), "Infinity") = (bound("max"), s.as_str()) {
                    self.report(severity, context, format!(
                        "Value provided for `{id}` must be less than or equal to {max}, but found \"{s}\""
                    ), &parts);
                }
            }
            _ => {}
        }
    }

    /// Timestamps: epoch seconds or an RFC 3339 date-time by default, else as `@timestampFormat`
    /// says.
    fn timestamp(&mut self, id: &str, format: Option<&Value>, value: &Value, context: &str) {
        let found = node_type(value);
        let message = match format.and_then(Value::as_str) {
            None => match value {
                Value::Number(_) => None,
                Value::String(s) => date_time_problem(id, s),
                _ => Some(format!(
                    "Invalid {found} value provided for timestamp, `{id}`. Expected a number that contains epoch seconds with optional millisecond precision, or a string that contains an RFC 3339 formatted timestamp (e.g., \"1985-04-12T23:20:50.52Z\")"
                )),
            },
            Some("date-time") => match value {
                Value::String(s) => date_time_problem(id, s),
                _ => Some("Expected a string value for a date-time timestamp (e.g., \"1985-04-12T23:20:50.52Z\")".to_string()),
            },
            Some("epoch-seconds") => (!value.is_number()).then(|| {
                format!("Invalid {found} value provided for a timestamp with a `epoch-seconds` format.")
            }),
            Some("http-date") => {
                let shown = value.as_str().map_or(found.to_string(), str::to_string);
                (!value.as_str().is_some_and(is_http_date)).then(|| format!(
                    "Invalid value provided for http-date formatted timestamp. Expected a string value that matches the IMF-fixdate production of RFC 9110 section-5.6.7. Found: {shown}"
                ))
            }
            Some(_) => None,
        };
        if let Some(message) = message {
            self.error(context, message);
        }
    }
}

/// The number of bytes a base64 text decodes to.
fn base64_decoded_len(s: &str) -> usize {
    let body = s.trim_end_matches('=').len();
    body / 4 * 3 + (body % 4).saturating_sub(1)
}

const NON_NUMERIC_FLOATS: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

fn path(context: &str, segment: &str) -> String {
    if context.is_empty() {
        segment.to_string()
    } else {
        format!("{context}.{segment}")
    }
}

fn date_time_problem(id: &str, s: &str) -> Option<String> {
    (!is_date_time(s)).then(|| format!(
        "Invalid string value, `{s}`, provided for timestamp, `{id}`. Expected an RFC 3339 formatted timestamp (e.g., \"1985-04-12T23:20:50.52Z\")"
    ))
}

/// An RFC 3339 instant in UTC (`Z`), as Java's ISO instant parser reads it.
fn is_date_time(s: &str) -> bool {
    static DATE_TIME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    DATE_TIME
        .get_or_init(|| {
            regex::Regex::new(
                r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?Z$",
            )
            .expect("valid pattern")
        })
        .is_match(s)
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn is_http_date(s: &str) -> bool {
    static HTTP_DATE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    HTTP_DATE
        .get_or_init(|| {
            regex::Regex::new(
                r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$",
            )
            .expect("valid pattern")
        })
        .is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, value: &str) -> bool {
        compiled_pattern(pattern)
            .expect("the pattern compiles")
            .is_match(value)
    }

    #[test]
    fn shorthand_classes_are_ascii_as_in_java() {
        assert!(matches(r"^\w+$", "snake_case_9"));
        assert!(!matches(r"^\w+$", "café"));
        assert!(matches(r"^\W$", "é"));
        assert!(!matches(r"^\d+$", "١٢٣"));
        assert!(matches(r"^\D+$", "١٢٣"));
        assert!(!matches(r"^\s$", "\u{a0}"));
        assert!(matches(r"^\S$", "\u{a0}"));
        assert!(matches(r"^[\w-]+$", "a-b_1"));
        assert!(!matches(r"^[\w-]+$", "a-é"));
        assert!(matches(r"^[^\d]+$", "abc"));
        assert!(!matches(r"^[^\d]+$", "ab1"));
        assert!(matches(r"^[]\d]+$", "]1"));
        assert!(matches(r"^[[:alpha:]\d]+$", "a1"));
        assert!(matches(r"^\\d$", r"\d"));
        assert!(matches(r"^\[\d\]$", "[1]"));
    }

    #[test]
    fn patterns_without_shorthands_are_left_as_they_are() {
        for pattern in [r"^[a-z]+$", r"^\.\*$", "^[^:/?#]+://", r"\p{Lu}"] {
            assert_eq!(ascii_shorthands(pattern), pattern);
        }
        assert_eq!(ascii_shorthands(r"[\w.]\d"), r"[[:word:].][[:digit:]]");
    }
}
