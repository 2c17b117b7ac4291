//! Creating the prelude's traits, as the reference's trait factories do while loading: a value
//! they cannot build a trait from is a loader error ("Error creating trait"), and the trait is
//! left off the shape, so no validator sees it. Values that build are checked later, against
//! the trait's shape (`validate/trait_value.rs`).

use super::ast::ShapeType;
use super::json_ast::json_type as node_type;
use super::prelude;
use serde_json::Value;

/// Why the prelude trait `name` (without `smithy.api#`) cannot be created from `value`, in the
/// reference's words; `None` when it can (or when `name` is not a prelude trait).
pub fn prelude_trait_problem(name: &str, value: &Value) -> Option<String> {
    let definition = prelude::trait_def(name)?;
    let found = node_type(value);
    let members = prelude::trait_members(name);
    match definition.shape_type {
        ShapeType::Structure if !value.is_object() => {
            return Some(if members.is_some_and(<[_]>::is_empty) {
                format!(
                    "Annotation traits  must be an object or omitted in the IDL, but found {found}"
                )
            } else {
                format!("Expected object, but found {found}.")
            });
        }
        ShapeType::Map if !value.is_object() => {
            return Some(format!("Expected object, but found {found}."));
        }
        ShapeType::String | ShapeType::Enum if !value.is_string() => {
            return Some(format!("Expected string, but found {found}."));
        }
        ShapeType::Integer if !value.is_number() => {
            return Some(format!("Expected number, but found {found}."));
        }
        ShapeType::List if !value.is_array() => {
            return Some(match name {
                "tags" | "suppress" => format!(
                    "Expected `smithy.api#{name}` to be an array of strings. Found {found}."
                ),
                _ => format!("Expected array, but found {found}."),
            });
        }
        _ => {}
    }
    if let (Some(members), Some(object)) = (members, value.as_object()) {
        // Required members are read with `expectMember`.
        if let Some((missing, _)) = members
            .iter()
            .find(|(m, kind)| kind.starts_with('!') && !object.contains_key(*m))
        {
            return Some(format!("Missing expected member `{missing}`."));
        }
        // Trait classes read their members with typed getters, which throw on another kind
        // of value: required members (`expect…Member`) and optional ones word it differently.
        for (key, member) in object {
            let Some((_, kind)) = members.iter().find(|(m, _)| m == key) else {
                continue;
            };
            let want = kind.trim_start_matches('!');
            let found = node_type(member);
            if found == want {
                continue;
            }
            let a_want = format!("{} {want}", article(want));
            return Some(match (name, key.as_str()) {
                ("range", _)
                | ("trait", "selector")
                | ("cors", "additionalAllowedHeaders" | "additionalExposedHeaders") => {
                    format!("Expected {want}, but found {found}.")
                }
                _ if kind.starts_with('!') => {
                    format!("Expected `{key}` member to be {a_want}, but found {found}.")
                }
                _ => optional_member_problem(object, key, want)?,
            });
        }
    }
    value_problem(name, value)
}

/// The checks particular trait classes make when they are constructed.
fn value_problem(name: &str, value: &Value) -> Option<String> {
    // A member the trait's builder requires (rather than its node reader): Java's builders
    // name their class in the message.
    let unset = |member: &str, class: &str| {
        format!("{member} was not set on the builder (builder class is probably software.amazon.smithy.model.traits.{class})")
    };
    match name {
        "longPoll" => (!value.as_object()?.contains_key("timeoutMillis"))
            .then(|| unset("timeoutMillis", "LongPollTrait")),
        "httpApiKeyAuth" => {
            (!value.as_object()?.contains_key("in")).then(|| unset("in", "HttpApiKeyAuthTrait"))
        }
        "error" => {
            let v = value.as_str()?;
            (v != "client" && v != "server")
                .then(|| format!("error trait must be set to client or server, found `{v}`"))
        }
        "length" | "range" => {
            let o = value.as_object()?;
            (!o.contains_key("min") && !o.contains_key("max"))
                .then(|| "One of 'min' or 'max' must be provided.".to_string())
        }
        "httpHeader" => (value.as_str() == Some(""))
            .then(|| "httpHeader field name binding must not be empty".to_string()),
        "httpQuery" => (value.as_str() == Some(""))
            .then(|| "httpQuery parameter name binding must not be empty".to_string()),
        "enum" => {
            let entries = value.as_array()?;
            if entries.is_empty() {
                return Some("enum must have at least one entry".to_string());
            }
            entries.iter().enumerate().find_map(|(at, entry)| {
                object_element(at, entry).map_or_else(Some, enum_definition_problem)
            })
        }
        "auth" => value.as_array()?.iter().find_map(shape_id_problem),
        // The errors meaning "not found" are read as shape IDs.
        "idempotent" => value
            .get("notFound")?
            .as_array()?
            .iter()
            .find_map(shape_id_problem),
        "tags" | "suppress" => string_elements_problem(value.as_array()?),
        "requestCompression" => string_elements_problem(value.get("encodings")?.as_array()?),
        // The traits a protocol or an auth scheme uses are read as shape IDs.
        "protocolDefinition" | "authDefinition" => value
            .get("traits")?
            .as_array()?
            .iter()
            .find_map(shape_id_problem),
        "references" => value
            .as_array()?
            .iter()
            .enumerate()
            .find_map(|(at, entry)| object_element(at, entry).map_or_else(Some, reference_problem)),
        "traitValidators" => value
            .as_object()?
            .values()
            .find_map(trait_validator_problem),
        "examples" => value
            .as_array()?
            .iter()
            .enumerate()
            .find_map(|(at, entry)| object_element(at, entry).map_or_else(Some, example_problem)),
        // Every value is read as a string before any is checked as a URL.
        "externalDocumentation" => {
            let urls = value.as_object()?;
            if let Some(other) = urls.values().find(|url| !url.is_string()) {
                return Some(format!("Expected string, but found {}.", node_type(other)));
            }
            urls.iter().find_map(|(title, url)| {
                let url = url.as_str()?;
                (!is_url(url)).then(|| {
                    format!("Each externalDocumentation value must be a valid URL. Found \"{url}\" for name \"{title}\"")
                })
            })
        }
        "trait" => trait_definition_problem(value.as_object()?),
        // The origins are read as a map of strings.
        "cors" => value
            .get("origins")?
            .as_object()?
            .values()
            .find_map(|origin| {
                (!origin.is_string())
                    .then(|| format!("Expected string, but found {}.", node_type(origin)))
            }),
        "http" => uri_pattern_problem(value.get("uri")?.as_str()?),
        "endpoint" => host_prefix_problem(value.get("hostPrefix")?.as_str()?),
        _ => None,
    }
}

/// Element `at` of a list read as objects, or why it is none: the reference reads the elements
/// by a cast, which Java words this way.
fn object_element(at: usize, element: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    element
        .as_object()
        .ok_or_else(|| element_problem(at, element, "object").unwrap_or_default())
}

/// Why element `at` of a list is not a `want`, when it is not: the reference reads list
/// elements by a cast, which Java words this way (`a object` included).
pub(super) fn element_problem(at: usize, element: &Value, want: &str) -> Option<String> {
    let found = node_type(element);
    (found != want)
        .then(|| format!("Expected array element {at} to be a {want} but found {found}."))
}

/// The first element of a list read as strings that is not one, in the reference's words.
fn string_elements_problem(elements: &[Value]) -> Option<String> {
    (elements.iter().enumerate()).find_map(|(at, element)| element_problem(at, element, "string"))
}

/// Why the optional member `key` of `object`, when present, is not a `want`: the words of the
/// reference's typed getters (`getStringMember` and the like).
fn optional_member_problem(
    object: &serde_json::Map<String, Value>,
    key: &str,
    want: &str,
) -> Option<String> {
    let found = node_type(object.get(key)?);
    (found != want).then(|| {
        format!(
            "Expected `{key}` to be {} {want}; found {found}",
            article(want)
        )
    })
}

/// The article of a node type in the reference's messages.
fn article(kind: &str) -> &'static str {
    match kind {
        "array" | "object" => "an",
        _ => "a",
    }
}

/// Why a value read as an absolute shape ID is none.
fn shape_id_problem(id: &Value) -> Option<String> {
    match id.as_str() {
        None => Some(format!("Expected string, but found {}.", node_type(id))),
        Some(s) if !super::lexeme::is_absolute_shape_id(s, true) => {
            Some(format!("Invalid shape ID: {s}"))
        }
        Some(_) => None,
    }
}

/// What reading one `@examples` entry rejects, in the reference's order: `title` and
/// `documentation` as strings, `input` and `output` as objects, `error` as an object with a
/// shape ID `shapeId` (required) and an object `content`, `allowConstraintErrors` as a
/// boolean; then the title, which the example cannot be built without.
fn example_problem(entry: &serde_json::Map<String, Value>) -> Option<String> {
    let typed = |key: &str, want: &str| optional_member_problem(entry, key, want);
    typed("title", "string")
        .or_else(|| typed("documentation", "string"))
        .or_else(|| typed("input", "object"))
        .or_else(|| typed("output", "object"))
        .or_else(|| entry.get("error").and_then(error_example_problem))
        .or_else(|| typed("allowConstraintErrors", "boolean"))
        .or_else(|| {
            (!entry.contains_key("title")).then(|| "Example title must not be null".to_string())
        })
}

/// What reading the `error` of an example rejects.
fn error_example_problem(error: &Value) -> Option<String> {
    let Some(error) = error.as_object() else {
        return Some(format!("Expected object, but found {}.", node_type(error)));
    };
    let Some(shape_id) = error.get("shapeId") else {
        return Some("Missing expected member `shapeId`.".to_string());
    };
    if let Some(problem) = shape_id_problem(shape_id) {
        return Some(problem);
    }
    optional_member_problem(error, "content", "object")
}

/// What reading one `@references` entry rejects, in the reference's order: `resource`
/// (required, a shape ID), `ids` (an object of strings), `service` (a shape ID), `rel`.
fn reference_problem(entry: &serde_json::Map<String, Value>) -> Option<String> {
    let Some(resource) = entry.get("resource") else {
        return Some("Missing expected member `resource`.".to_string());
    };
    if let Some(problem) = shape_id_problem(resource) {
        return Some(problem);
    }
    if let Some(problem) = optional_member_problem(entry, "ids", "object") {
        return Some(problem);
    }
    if let Some(ids) = entry.get("ids").and_then(Value::as_object) {
        if let Some(id) = ids.values().find(|id| !id.is_string()) {
            return Some(format!("Expected string, but found {}.", node_type(id)));
        }
    }
    if let Some(problem) = entry.get("service").and_then(shape_id_problem) {
        return Some(problem);
    }
    optional_member_problem(entry, "rel", "string")
}

/// What reading one validator of `@traitValidators` rejects: an object, with a `selector` that
/// parses, then a string `message` and a `severity`.
fn trait_validator_problem(validator: &Value) -> Option<String> {
    let Some(validator) = validator.as_object() else {
        return Some(format!(
            "Expected object, but found {}.",
            node_type(validator)
        ));
    };
    let Some(selector) = validator.get("selector") else {
        return Some("Missing expected member `selector`.".to_string());
    };
    let Some(selector) = selector.as_str() else {
        let found = node_type(selector);
        return Some(format!(
            "Expected `selector` member to be a string, but found {found}."
        ));
    };
    if let Err(e) = super::selector::Selector::parse(selector) {
        return Some(e.message);
    }
    optional_member_problem(validator, "message", "string")
        .or_else(|| optional_member_problem(validator, "severity", "string"))
        .or_else(|| one_of(validator.get("severity")?.as_str()?, &SEVERITIES))
}

/// The reference's `expectOneOf`: the allowed values are listed sorted.
fn one_of(value: &str, allowed: &[&str]) -> Option<String> {
    (!allowed.contains(&value)).then(|| {
        let mut sorted = allowed.to_vec();
        sorted.sort_unstable();
        format!("Expected one of `{}`; got `{value}`.", sorted.join("`, `"))
    })
}

/// The names of the reference's severities.
const SEVERITIES: [&str; 5] = ["SUPPRESSED", "NOTE", "WARNING", "DANGER", "ERROR"];

/// Why an `@http` URI is no URI pattern, in the reference's words and order: the whole URI,
/// then each path segment (at its offset from the first `/`), the query string, and labels
/// defined twice (case-insensitively).
fn uri_pattern_problem(uri: &str) -> Option<String> {
    if uri.ends_with('?') {
        return Some(format!("URI patterns must not end with '?'. Found {uri}"));
    }
    if !uri.starts_with('/') {
        return Some(format!("URI pattern must start with '/'. Found {uri}"));
    }
    if uri.contains('#') {
        return Some(format!(
            "URI pattern must not contain a fragment. Found {uri}"
        ));
    }
    let (path, query) = match uri.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (uri, None),
    };
    // Java's `split` drops trailing empty strings: `/a/` has the one segment `a`.
    let mut segments: Vec<&str> = path.split('/').skip(1).collect();
    while segments.last() == Some(&"") {
        segments.pop();
    }
    let mut labels: Vec<&str> = Vec::new();
    let mut offset = 1;
    for segment in segments {
        let at = format!(" at index {offset}");
        offset += segment.len() + 1;
        let label = (segment.len() >= 2 && segment.starts_with('{') && segment.ends_with('}'))
            .then(|| {
                let inner = &segment[1..segment.len() - 1];
                inner.strip_suffix('+').unwrap_or(inner)
            });
        match label {
            None if segment.is_empty() => return Some(format!("Segments must not be empty{at}")),
            None if segment.contains(['{', '}']) => {
                return Some(format!(
                    "Literal segments must not contain `{{` or `}}` characters. Found segment `{segment}`{at}"
                ))
            }
            None => {}
            Some(name) => {
                if let Some(problem) = label_name_problem(name, &at) {
                    return Some(problem);
                }
                labels.push(name);
            }
        }
    }
    if let Some(query) = query {
        if query.contains(['{', '}']) {
            return Some(format!(
                "URI labels must not appear in the query string. Found {uri}"
            ));
        }
        let mut keys: Vec<&str> = query.split('&').collect();
        while keys.last() == Some(&"") {
            keys.pop();
        }
        let mut seen = std::collections::HashSet::new();
        for pair in keys {
            let key = pair.split_once('=').map_or(pair, |(key, _)| key);
            if !seen.insert(key) {
                return Some(format!(
                    "Literal query parameters must not be repeated: {uri}"
                ));
            }
        }
    }
    label_defined_twice(labels, uri)
}

/// Why a pattern's label (`{name}` or `{name+}`, at ` at index N`) cannot be: empty, or not
/// an identifier.
fn label_name_problem(name: &str, at: &str) -> Option<String> {
    if name.is_empty() {
        return Some(format!("Empty label declaration in pattern{at}."));
    }
    (!super::lexeme::is_identifier(name)).then(|| {
        format!(
            "Invalid label name in pattern: '{name}'{at}. Labels must contain value identifiers."
        )
    })
}

/// The reference's error for the first label of `pattern` given twice (case-insensitively).
fn label_defined_twice<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    pattern: &str,
) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    labels
        .into_iter()
        .find(|label| !seen.insert(label.to_lowercase()))
        .map(|label| format!("Label `{label}` is defined more than once in pattern: {pattern}"))
}

/// Why an `@endpoint` host prefix is no host pattern, in the reference's words and order: it
/// reads the prefix as literals and `{label}`s split at braces (offsets in UTF-16 units, as
/// Java counts), then looks for labels defined twice and for a greedy label.
fn host_prefix_problem(prefix: &str) -> Option<String> {
    let mut tokens = Vec::new();
    let mut rest = prefix;
    while let Some(at) = rest.find(['{', '}']) {
        if at > 0 {
            tokens.push(&rest[..at]);
        }
        tokens.push(&rest[at..at + 1]);
        rest = &rest[at + 1..];
    }
    if !rest.is_empty() {
        tokens.push(rest);
    }
    let mut tokens = tokens.into_iter();
    let mut position = 0;
    // (label name, greedy) of each label so far, and whether the last segment was one.
    let mut labels: Vec<(String, bool)> = Vec::new();
    let mut last_was_label = false;
    while let Some(first) = tokens.next() {
        let mut token = first.to_string();
        if first == "{" {
            if last_was_label {
                return Some(format!(
                    "Host labels must not be adjacent in a pattern. Found {prefix}"
                ));
            }
            for _ in 0..2 {
                let Some(next) = tokens.next() else {
                    return Some(format!("Unclosed label found in pattern at: .{position}"));
                };
                token.push_str(next);
            }
        } else if first == "}" {
            return Some(format!(
                "Literal segments must not contain `}}`. Found at: {position}"
            ));
        }
        let at = format!(" at index {position}");
        let label = (token.len() >= 2 && token.starts_with('{') && token.ends_with('}'))
            .then(|| &token[1..token.len() - 1]);
        match label {
            Some(inner) => {
                let (name, greedy) = match inner.strip_suffix('+') {
                    Some(name) => (name, true),
                    None => (inner, false),
                };
                if let Some(problem) = label_name_problem(name, &at) {
                    return Some(problem);
                }
                labels.push((name.to_string(), greedy));
                last_was_label = true;
            }
            None => {
                if token.contains(['{', '}']) {
                    return Some(format!(
                        "Literal segments must not contain `{{` or `}}` characters. Found segment `{token}`{at}"
                    ));
                }
                last_was_label = false;
            }
        }
        position += token.encode_utf16().count();
    }
    if let Some(problem) = label_defined_twice(labels.iter().map(|(name, _)| name.as_str()), prefix)
    {
        return Some(problem);
    }
    labels
        .iter()
        .any(|(_, greedy)| *greedy)
        .then(|| format!("Pattern must not contain a greedy label. Found {prefix}"))
}

/// What reading one `@enum` entry rejects, member by member in the order the reference reads
/// them: `value` (required), `name`, `documentation`, `deprecated`, `tags`.
fn enum_definition_problem(entry: &serde_json::Map<String, Value>) -> Option<String> {
    let Some(value) = entry.get("value") else {
        return Some("Missing expected member `value`.".to_string());
    };
    if !value.is_string() {
        let found = node_type(value);
        return Some(format!(
            "Expected `value` member to be a string, but found {found}."
        ));
    }
    let optional = [
        ("name", "string"),
        ("documentation", "string"),
        ("deprecated", "boolean"),
        ("tags", "array"),
    ];
    if let Some(problem) =
        (optional.iter()).find_map(|(m, want)| optional_member_problem(entry, m, want))
    {
        return Some(problem);
    }
    string_elements_problem(entry.get("tags").and_then(Value::as_array)?)
}

/// What reading a trait definition's `selector`, `structurallyExclusive`, `conflicts` (shape
/// IDs) and `breakingChanges` rejects, in the order the reference reads them (each rule:
/// `path`, `severity`, then `change`).
fn trait_definition_problem(definition: &serde_json::Map<String, Value>) -> Option<String> {
    if let Some(Value::String(selector)) = definition.get("selector") {
        if let Err(e) = super::selector::Selector::parse(selector) {
            return Some(e.message);
        }
    }
    if let Some(Value::String(exclusive)) = definition.get("structurallyExclusive") {
        if let Some(problem) = one_of(exclusive, &["member", "target"]) {
            return Some(problem);
        }
    }
    let conflicts = definition.get("conflicts").and_then(Value::as_array);
    if let Some(problem) = conflicts.into_iter().flatten().find_map(shape_id_problem) {
        return Some(problem);
    }
    let rules = definition.get("breakingChanges")?.as_array()?;
    rules.iter().find_map(|rule| {
        let Some(rule) = rule.as_object() else {
            return Some(format!("Expected object, but found {}.", node_type(rule)));
        };
        if let Some(problem) = optional_member_problem(rule, "path", "string") {
            return Some(problem);
        }
        if let Some(path) = rule.get("path").and_then(Value::as_str) {
            // A JSON pointer, after any leading `#`s.
            let pointer = path.trim_start_matches('#');
            if !pointer.is_empty() && !pointer.starts_with('/') {
                return Some(format!("Expected a string containing a valid JSON pointer: JSON pointer must start with '/': {pointer}"));
            }
        }
        if let Some(problem) = optional_member_problem(rule, "severity", "string") {
            return Some(problem);
        }
        if let Some(severity) = rule.get("severity").and_then(Value::as_str) {
            if let Some(problem) = one_of(severity, &SEVERITIES) {
                return Some(problem);
            }
        }
        let Some(change) = rule.get("change") else {
            return Some("Missing expected member `change`.".to_string());
        };
        let Some(change) = change.as_str() else {
            return Some(format!("Expected `change` member to be a string, but found {}.", node_type(change)));
        };
        const CHANGES: [&str; 5] = ["ADD", "REMOVE", "PRESENCE", "UPDATE", "ANY"];
        let constant = change.to_uppercase();
        if !CHANGES.contains(&constant.as_str()) {
            return Some(format!("Expected a string containing a valid trait diff type: No enum constant software.amazon.smithy.model.traits.TraitDefinition.ChangeType.{constant}"));
        }
        (rule.get("severity").and_then(Value::as_str) == Some("SUPPRESSED"))
            .then(|| "Invalid severity".to_string())
    })
}

/// What Java's `new URL(…)` accepts: a scheme it has a handler for, then anything.
fn is_url(text: &str) -> bool {
    const SCHEMES: [&str; 6] = ["http", "https", "ftp", "file", "jar", "mailto"];
    text.split_once(':')
        .is_some_and(|(scheme, _)| SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoint_host_prefixes_are_read_as_the_reference_reads_them() {
        let cases = [
            ("foo.{bar}.", None),
            ("{x+}", Some("Pattern must not contain a greedy label. Found {x+}")),
            ("{a}{b}", Some("Host labels must not be adjacent in a pattern. Found {a}{b}")),
            ("{a", Some("Unclosed label found in pattern at: .0")),
            ("a}b", Some("Literal segments must not contain `}`. Found at: 1")),
            ("{a}.{A}.", Some("Label `A` is defined more than once in pattern: {a}.{A}.")),
            ("x{}y", Some("Literal segments must not contain `{` or `}` characters. Found segment `{}y` at index 1")),
        ];
        for (prefix, expected) in cases {
            assert_eq!(host_prefix_problem(prefix).as_deref(), expected, "{prefix}");
        }
    }

    #[test]
    fn factories_reject_what_they_cannot_build() {
        let problem = |name: &str, v: Value| prelude_trait_problem(name, &v);
        assert_eq!(
            problem("deprecated", json!("soon")).as_deref(),
            Some("Expected object, but found string.")
        );
        assert_eq!(
            problem("requestCompression", json!({})).as_deref(),
            Some("Missing expected member `encodings`.")
        );
        assert_eq!(
            problem("length", json!({})).as_deref(),
            Some("One of 'min' or 'max' must be provided.")
        );
        assert_eq!(
            problem("auth", json!(["not an id"])).as_deref(),
            Some("Invalid shape ID: not an id")
        );
        assert!(
            problem("sensitive", json!(true)).is_some_and(|m| m.starts_with("Annotation traits"))
        );
        assert!(problem(
            "externalDocumentation",
            json!({"Home": "https://x.example"})
        )
        .is_none());
        assert!(problem("externalDocumentation", json!({"Home": "x.example"})).is_some());
        assert!(problem("longPoll", json!({}))
            .is_some_and(|m| m.starts_with("timeoutMillis was not set on the builder")));
        assert!(problem("longPoll", json!({"timeoutMillis": 10})).is_none());
        assert!(problem("httpApiKeyAuth", json!({"name": "k"}))
            .is_some_and(|m| m.starts_with("in was not set on the builder")));
        assert_eq!(
            problem("httpApiKeyAuth", json!({"in": "header"})).as_deref(),
            Some("Missing expected member `name`.")
        );
        assert_eq!(
            problem("enum", json!([{"value": "a"}, {"name": "B"}])).as_deref(),
            Some("Missing expected member `value`.")
        );
        assert_eq!(
            problem("deprecated", json!({"message": true})).as_deref(),
            Some("Expected `message` to be a string; found boolean")
        );
        assert_eq!(
            problem("xmlNamespace", json!({"uri": 1})).as_deref(),
            Some("Expected `uri` member to be a string, but found number.")
        );
        assert_eq!(
            problem("protocolDefinition", json!({"traits": "x"})).as_deref(),
            Some("Expected `traits` to be an array; found string")
        );
        assert_eq!(
            problem("range", json!({"min": "x"})).as_deref(),
            Some("Expected number, but found string.")
        );
        assert!(problem("error", json!("client")).is_none());
        assert!(problem("documentation", json!("text")).is_none());
        assert!(problem("customThing", json!(1)).is_none());
    }
}
