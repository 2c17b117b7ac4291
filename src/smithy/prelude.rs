//! The `smithy.api` prelude, as facts the resolver and the validators need: every prelude shape
//! with its type, and every prelude trait with the type of its value and where it may be applied.
//! Written from the Smithy specification (the prelude section and the trait reference).

use super::ast::ShapeType;
use std::sync::OnceLock;

pub const NAMESPACE: &str = "smithy.api";

/// The prelude shapes that are not traits.
pub const SHAPES: &[(&str, ShapeType)] = &[
    ("AuthTraitReference", ShapeType::String),
    ("BigDecimal", ShapeType::BigDecimal),
    ("BigInteger", ShapeType::BigInteger),
    ("Blob", ShapeType::Blob),
    ("Boolean", ShapeType::Boolean),
    ("Byte", ShapeType::Byte),
    ("ClosureId", ShapeType::String),
    ("CommonMark", ShapeType::String),
    ("Document", ShapeType::Document),
    ("Double", ShapeType::Double),
    ("EnumConstantBodyName", ShapeType::String),
    ("EnumDefinition", ShapeType::Structure),
    ("Example", ShapeType::Structure),
    ("ExampleError", ShapeType::Structure),
    ("Float", ShapeType::Float),
    ("HttpApiKeyLocations", ShapeType::Enum),
    ("IdempotentErrors", ShapeType::List),
    ("Identifier", ShapeType::String),
    ("Integer", ShapeType::Integer),
    ("LocalMixinTrait", ShapeType::String),
    ("LocalMixinTraitList", ShapeType::List),
    ("Long", ShapeType::Long),
    ("Namespaces", ShapeType::List),
    ("NonEmptyString", ShapeType::String),
    ("NonEmptyStringList", ShapeType::List),
    ("NonEmptyStringMap", ShapeType::Map),
    ("PrimitiveBoolean", ShapeType::Boolean),
    ("PrimitiveByte", ShapeType::Byte),
    ("PrimitiveDouble", ShapeType::Double),
    ("PrimitiveFloat", ShapeType::Float),
    ("PrimitiveInteger", ShapeType::Integer),
    ("PrimitiveLong", ShapeType::Long),
    ("PrimitiveShort", ShapeType::Short),
    ("Reference", ShapeType::Structure),
    ("Renames", ShapeType::Map),
    ("RequestCompressionEncodingsList", ShapeType::List),
    ("Severity", ShapeType::Enum),
    ("ShapeClosure", ShapeType::Structure),
    ("ShapeClosures", ShapeType::List),
    ("Short", ShapeType::Short),
    ("String", ShapeType::String),
    ("StructurallyExclusive", ShapeType::Enum),
    ("Timestamp", ShapeType::Timestamp),
    ("TraitChangeType", ShapeType::Enum),
    ("TraitDiffRule", ShapeType::Structure),
    ("TraitDiffRules", ShapeType::List),
    ("TraitShapeId", ShapeType::String),
    ("TraitShapeIdList", ShapeType::List),
    ("TraitValidator", ShapeType::Structure),
    ("Unit", ShapeType::Structure),
];

/// Where a prelude trait may be applied, in a small notation of our own that covers the
/// selectors of the prelude traits:
/// * `*`: anywhere;
/// * `shapes:T1 T2`: root shapes of these types (`simple` = any simple type, `number`);
/// * `member:C`: members of a container of type C (`structure`, `aggregate`, `enum`);
/// * `value:T1 T2`: shapes of these types, or members that target one;
/// * `member-value:T1 T2`: structure members that target one of these types;
/// * `-`: not checked by us;
/// * `default`, `unique-items`, `io-member-structure`, `io-member-or-trait`: the rules of
///   `@default`, `@uniqueItems`, `@nestedProperties` and `@notProperty`, checked in code.
///
/// A `+condition` after the kind adds a condition: `+required` (the member is required),
/// `+default` (it has a default), `+not-input` (its structure is not `@input`), `+error`
/// (the shape is an `@error`), `+not-io` (not `@input`/`@output`), `+put` (the resource has a
/// `put`), `+not-sparse` (the map is not `@sparse`), `+aggregate` (structure or union
/// members).
pub struct PreludeTrait {
    pub name: &'static str,
    pub shape_type: ShapeType,
    pub applies_to: &'static str,
    pub conflicts: &'static [&'static str],
}

const HTTP_BINDINGS: &[&str] = &[
    "httpLabel",
    "httpQuery",
    "httpHeader",
    "httpPrefixHeaders",
    "httpPayload",
    "httpResponseCode",
    "httpQueryParams",
];

const fn t(
    name: &'static str,
    shape_type: ShapeType,
    applies_to: &'static str,
    conflicts: &'static [&'static str],
) -> PreludeTrait {
    PreludeTrait {
        name,
        shape_type,
        applies_to,
        conflicts,
    }
}

use ShapeType as S;

pub const TRAITS: &[PreludeTrait] = &[
    t(
        "addedDefault",
        S::Structure,
        "member+default:structure",
        &[],
    ),
    t("auth", S::List, "shapes:service operation", &[]),
    t("authDefinition", S::Structure, "shapes:structure", &[]),
    t(
        "box",
        S::Structure,
        "value:boolean byte short integer long float double",
        &[],
    ),
    t("clientOptional", S::Structure, "member:structure", &[]),
    t("cors", S::Structure, "shapes:service", &[]),
    t("default", S::Document, "default", &[]),
    t("deprecated", S::Structure, "*", &[]),
    t("documentation", S::String, "*", &[]),
    t("endpoint", S::Structure, "shapes:operation", &[]),
    t("enum", S::List, "shapes:plainstring", &[]),
    t("enumValue", S::Document, "member:enum", &[]),
    t("error", S::Enum, "shapes:structure", &["trait"]),
    t(
        "eventHeader",
        S::Structure,
        "member-value:boolean byte short integer long blob string timestamp",
        &["eventPayload"],
    ),
    t(
        "eventPayload",
        S::Structure,
        "member-value:blob string structure union",
        &["eventHeader"],
    ),
    t("examples", S::List, "shapes:operation", &[]),
    t("externalDocumentation", S::Map, "*", &[]),
    t(
        "hostLabel",
        S::Structure,
        "member-value+required:string",
        &[],
    ),
    t("http", S::Structure, "shapes:operation", &[]),
    t("httpApiKeyAuth", S::Structure, "shapes:service", &[]),
    t("httpBasicAuth", S::Structure, "shapes:service", &[]),
    t("httpBearerAuth", S::Structure, "shapes:service", &[]),
    t(
        "httpChecksumRequired",
        S::Structure,
        "shapes:operation",
        &[],
    ),
    t("httpDigestAuth", S::Structure, "shapes:service", &[]),
    t("httpError", S::Integer, "shapes+error:structure", &[]),
    t(
        "httpHeader",
        S::String,
        "member-value:boolean number string timestamp list",
        HTTP_BINDINGS,
    ),
    t(
        "httpLabel",
        S::Structure,
        "member-value+required:string number boolean timestamp",
        HTTP_BINDINGS,
    ),
    t(
        "httpPayload",
        S::Structure,
        "member:structure",
        HTTP_BINDINGS,
    ),
    t(
        "httpPrefixHeaders",
        S::String,
        "member-value+not-sparse:map",
        HTTP_BINDINGS,
    ),
    t(
        "httpQuery",
        S::String,
        "member-value:string number boolean timestamp list",
        HTTP_BINDINGS,
    ),
    t(
        "httpQueryParams",
        S::Structure,
        "member-value:map",
        HTTP_BINDINGS,
    ),
    t(
        "httpResponseCode",
        S::Structure,
        "member-value+not-input:integer",
        HTTP_BINDINGS,
    ),
    t("idempotencyToken", S::Structure, "member-value:string", &[]),
    t(
        "idempotent",
        S::Structure,
        "shapes:operation",
        &["readonly"],
    ),
    t("idRef", S::Structure, "value:string", &[]),
    t(
        "input",
        S::Structure,
        "shapes:structure",
        &["output", "error"],
    ),
    t("internal", S::Structure, "*", &[]),
    t("jsonName", S::String, "member:aggregate", &[]),
    t("length", S::Structure, "value:list map string blob", &[]),
    t("longPoll", S::Structure, "shapes:operation", &[]),
    t("mediaType", S::String, "shapes:blob string", &[]),
    t(
        "metadata",
        S::Structure,
        "shapes+not-io:simple list set map structure union",
        &[],
    ),
    t("mixin", S::Structure, "shapes:*", &[]),
    t("nestedProperties", S::Structure, "io-member-structure", &[]),
    t("noReplace", S::Structure, "shapes+put:resource", &[]),
    t("notProperty", S::Structure, "io-member-or-trait", &[]),
    t("optionalAuth", S::Structure, "shapes:operation", &[]),
    t(
        "output",
        S::Structure,
        "shapes:structure",
        &["input", "error"],
    ),
    t("paginated", S::Structure, "shapes:service operation", &[]),
    t("pattern", S::String, "value:string", &[]),
    t("private", S::Structure, "*", &[]),
    t(
        "property",
        S::Structure,
        "member:structure",
        &["resourceIdentifier"],
    ),
    t("protocolDefinition", S::Structure, "shapes:structure", &[]),
    t("range", S::Structure, "value:number", &[]),
    t(
        "readonly",
        S::Structure,
        "shapes:operation",
        &["idempotent"],
    ),
    t(
        "recommended",
        S::Structure,
        "member:structure",
        &["required"],
    ),
    t("references", S::List, "shapes:structure string", &[]),
    t("requestCompression", S::Structure, "shapes:operation", &[]),
    t("required", S::Structure, "member:structure", &[]),
    t("requiresLength", S::Structure, "shapes:blob", &[]),
    t("resourceIdentifier", S::String, "member-value:string", &[]),
    t("retryable", S::Structure, "shapes:structure", &[]),
    t(
        "sensitive",
        S::Structure,
        "shapes:simple list set map structure union",
        &[],
    ),
    t("since", S::String, "*", &[]),
    t("sparse", S::Structure, "shapes:list map", &[]),
    t("streaming", S::Structure, "shapes:blob union", &[]),
    t("suppress", S::List, "*", &[]),
    t("tags", S::List, "*", &[]),
    t("timestampFormat", S::Enum, "value:timestamp", &[]),
    t("title", S::String, "*", &[]),
    t(
        "trait",
        S::Structure,
        "shapes:simple list set map structure union",
        &[],
    ),
    t("traitValidators", S::Map, "-", &[]),
    t("uniqueItems", S::Structure, "unique-items", &["sparse"]),
    t("unitType", S::Structure, "-", &[]),
    t("unstable", S::Structure, "*", &[]),
    t(
        "xmlAttribute",
        S::Structure,
        "member-value:boolean number string timestamp",
        &["xmlNamespace"],
    ),
    t(
        "xmlFlattened",
        S::Structure,
        "member-value+aggregate:list set map",
        &[],
    ),
    t("xmlName", S::String, "-", &[]),
    t("xmlNamespace", S::Structure, "-", &["xmlAttribute"]),
];

/// The prelude traits marked `@unstable`.
pub const UNSTABLE_TRAITS: &[&str] = &["httpChecksumRequired", "longPoll"];

/// The selector of each prelude trait as the specification writes it (quoted in messages).
pub const SELECTORS: &[(&str, &str)] = &[
    ("addedDefault", "structure > member [trait|default]"),
    ("auth", ":is(service, operation)"),
    ("authDefinition", "structure[trait|trait]"),
    ("box", ":test(boolean, byte, short, integer, long, float, double, member > :test(boolean, byte, short, integer, long, float, double))"),
    ("clientOptional", "structure > member"),
    ("cors", "service"),
    ("default", ":is(simpleType, list, map, structure > member :test(> :is(simpleType, list, map)))"),
    ("deprecated", "*"),
    ("documentation", "*"),
    ("endpoint", "operation"),
    ("enum", "string :not(enum)"),
    ("enumValue", ":is(enum, intEnum) > member"),
    ("error", "structure"),
    ("eventHeader", "structure > :test(member > :test(boolean, byte, short, integer, long, blob, string, timestamp))"),
    ("eventPayload", "structure > :test(member > :test(blob, string, structure, union))"),
    ("examples", "operation"),
    ("externalDocumentation", "*"),
    ("hostLabel", "structure > :test(member[trait|required] > string)"),
    ("http", "operation"),
    ("httpApiKeyAuth", "service"),
    ("httpBasicAuth", "service"),
    ("httpBearerAuth", "service"),
    ("httpChecksumRequired", "operation"),
    ("httpDigestAuth", "service"),
    ("httpError", "structure[trait|error]"),
    ("httpHeader", "structure > :test(member > :test(boolean, number, string, timestamp, list > member > :test(boolean, number, string, timestamp)))"),
    ("httpLabel", "structure > member[trait|required] :test(> :test(string, number, boolean, timestamp))"),
    ("httpPayload", "structure > member"),
    ("httpPrefixHeaders", "structure > member :test(> map :not([trait|sparse]) > member[id|member=value] > string)"),
    ("httpQuery", "structure > member :test(> :test(string, number, boolean, timestamp), > list > member > :test(string, number, boolean, timestamp))"),
    ("httpQueryParams", "structure > member :test(> map > member[id|member=value] > :test(string, list > member > string))"),
    ("httpResponseCode", "structure :not([trait|input]) > member :test(> integer)"),
    ("idempotencyToken", "structure > :test(member > string)"),
    ("idempotent", "operation"),
    ("idRef", ":test(string, member > string)"),
    ("input", "structure"),
    ("internal", "*"),
    ("jsonName", ":is(structure, union) > member"),
    ("length", ":test(list, map, string, blob, member > :is(list, map, string, blob))"),
    ("longPoll", "operation"),
    ("mediaType", ":is(blob, string)"),
    ("metadata", "dataType :not([trait|input]) :not([trait|output])"),
    ("mixin", ":not(member)"),
    ("nestedProperties", "operation -[input, output]-> structure > member :test(> structure)"),
    ("noReplace", "resource:test(-[put]->)"),
    ("notProperty", ":is(operation -[input, output]-> structure > member, [trait|trait])"),
    ("optionalAuth", "operation"),
    ("output", "structure"),
    ("paginated", ":is(service, operation)"),
    ("pattern", ":test(string, member > string)"),
    ("private", "*"),
    ("property", "structure > member"),
    ("protocolDefinition", "structure[trait|trait]"),
    ("range", ":test(number, member > number)"),
    ("readonly", "operation"),
    ("recommended", "structure > member"),
    ("references", ":is(structure, string)"),
    ("requestCompression", "operation"),
    ("required", "structure > member"),
    ("requiresLength", "blob[trait|streaming]"),
    ("resourceIdentifier", "structure > :test(member[trait|required] > string)"),
    ("retryable", "structure[trait|error]"),
    ("sensitive", ":not(:test(service, operation, resource, member))"),
    ("since", "*"),
    ("sparse", ":is(list, map)"),
    ("streaming", ":is(blob, union)"),
    ("suppress", "*"),
    ("tags", "*"),
    ("timestampFormat", ":test(timestamp, member > timestamp)"),
    ("title", "*"),
    ("trait", ":is(simpleType, list, map, structure, union)"),
    ("traitValidators", "[trait|trait]"),
    ("uniqueItems", "list :not(> member ~> :is(float, double, document))"),
    ("unitType", "[id=smithy.api#Unit]"),
    ("unstable", "*"),
    ("xmlAttribute", "structure > :test(member > :test(boolean, number, string, timestamp))"),
    ("xmlFlattened", ":is(structure, union) > :test(member > :test(list, map))"),
    ("xmlName", ":is(structure, union, member)"),
    ("xmlNamespace", ":is(service, member, simpleType, list, map, structure, union)"),
];

/// The type of a prelude shape or trait, by its name in `smithy.api`.
pub fn shape_type(name: &str) -> Option<ShapeType> {
    static BY_NAME: OnceLock<ByName<ShapeType>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| by_name(SHAPES.iter().map(|(n, t)| (*n, *t))))
        .get(name)
        .copied()
        .or_else(|| trait_def(name).map(|t| t.shape_type))
}

pub fn selector(name: &str) -> Option<&'static str> {
    static BY_NAME: OnceLock<ByName<&'static str>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| by_name(SELECTORS.iter().copied()))
        .get(name)
        .copied()
}

pub fn trait_def(name: &str) -> Option<&'static PreludeTrait> {
    static BY_NAME: OnceLock<ByName<&'static PreludeTrait>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| by_name(TRAITS.iter().map(|t| (t.name, t))))
        .get(name)
        .copied()
}

/// A prelude table by name. Validation asks for prelude traits by name millions of times on a
/// large model; a scan of the table compared the name with dozens of others each time.
type ByName<T> = rustc_hash::FxHashMap<&'static str, T>;

/// The entries of a table by name; for a name listed twice, its first entry, as a scan finds.
fn by_name<T>(entries: impl Iterator<Item = (&'static str, T)>) -> ByName<T> {
    let mut map = ByName::default();
    for (name, value) in entries {
        map.entry(name).or_insert(value);
    }
    map
}

/// The type of an absolute shape ID if it names a prelude shape.
pub fn absolute_shape_type(id: &str) -> Option<ShapeType> {
    id.strip_prefix("smithy.api#").and_then(shape_type)
}

/// The members of the prelude's structure traits that take values, for reporting unknown
/// members. Annotation traits (structures without members) are listed with none; traits not
/// listed are not checked.
pub const TRAIT_MEMBERS: &[(&str, &[(&str, &str)])] = &[
    ("addedDefault", &[]),
    ("authDefinition", &[("traits", "array")]),
    ("box", &[]),
    ("clientOptional", &[]),
    (
        "cors",
        &[
            ("origin", "string"),
            ("origins", "object"),
            ("maxAge", "number"),
            ("additionalAllowedHeaders", "array"),
            ("additionalExposedHeaders", "array"),
        ],
    ),
    ("deprecated", &[("message", "string"), ("since", "string")]),
    ("endpoint", &[("hostPrefix", "!string")]),
    ("eventHeader", &[]),
    ("eventPayload", &[]),
    ("hostLabel", &[]),
    (
        "http",
        &[
            ("method", "!string"),
            ("uri", "!string"),
            ("code", "number"),
        ],
    ),
    (
        "httpApiKeyAuth",
        // `in` is required too, but by the trait's builder, which words it differently.
        &[("name", "!string"), ("in", "string"), ("scheme", "string")],
    ),
    ("httpBasicAuth", &[]),
    ("httpBearerAuth", &[]),
    ("httpChecksumRequired", &[]),
    ("httpDigestAuth", &[]),
    ("httpLabel", &[]),
    ("httpPayload", &[]),
    ("httpQueryParams", &[]),
    ("httpResponseCode", &[]),
    ("idempotencyToken", &[]),
    ("idempotent", &[("exists", "array"), ("notFound", "array")]),
    (
        "idRef",
        &[
            ("failWhenMissing", "boolean"),
            ("selector", "string"),
            ("errorMessage", "string"),
        ],
    ),
    ("input", &[]),
    ("internal", &[]),
    ("length", &[("min", "number"), ("max", "number")]),
    ("longPoll", &[("timeoutMillis", "number")]),
    ("metadata", &[("key", "!string")]),
    ("mixin", &[("localTraits", "array")]),
    ("nestedProperties", &[]),
    ("noReplace", &[]),
    ("notProperty", &[]),
    ("optionalAuth", &[]),
    ("output", &[]),
    (
        "paginated",
        &[
            ("inputToken", "string"),
            ("outputToken", "string"),
            ("items", "string"),
            ("pageSize", "string"),
        ],
    ),
    ("private", &[]),
    ("property", &[("name", "string")]),
    (
        "protocolDefinition",
        &[("traits", "array"), ("noInlineDocumentSupport", "boolean")],
    ),
    ("range", &[("min", "number"), ("max", "number")]),
    ("readonly", &[]),
    ("recommended", &[("reason", "string")]),
    ("requestCompression", &[("encodings", "!array")]),
    ("required", &[]),
    ("requiresLength", &[]),
    ("retryable", &[("throttling", "boolean")]),
    ("sensitive", &[]),
    ("sparse", &[]),
    ("streaming", &[]),
    (
        "trait",
        &[
            ("selector", "string"),
            ("structurallyExclusive", "string"),
            ("conflicts", "array"),
            ("breakingChanges", "array"),
        ],
    ),
    ("uniqueItems", &[]),
    ("unitType", &[]),
    ("unstable", &[]),
    ("xmlAttribute", &[]),
    ("xmlFlattened", &[]),
    ("xmlNamespace", &[("uri", "!string"), ("prefix", "string")]),
];

pub fn trait_members(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    type Members = &'static [(&'static str, &'static str)];
    static BY_NAME: OnceLock<ByName<Members>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| by_name(TRAIT_MEMBERS.iter().copied()))
        .get(name)
        .copied()
}

/// The prelude shapes that metadata values are checked against, with their members and
/// constraint traits (`prelude/value_shapes.smithy`), built once. The other prelude shapes are
/// known by their type alone (see [`SHAPES`]).
pub fn value_shapes() -> &'static super::Model {
    static VALUE_SHAPES: std::sync::OnceLock<super::Model> = std::sync::OnceLock::new();
    VALUE_SHAPES.get_or_init(|| build_value_shapes().0)
}

/// The value shapes as parsing and building them gives them, with what both found.
fn build_value_shapes() -> (super::Model, Vec<crate::diagnostic::Diagnostic>) {
    let source = crate::source::SourceText::whole_file(
        "smithy.api prelude",
        include_str!("prelude/value_shapes.smithy"),
    );
    let parsed = super::ParsedText::parse(source, &super::IdlOrigin::StandaloneFile);
    let mut events = parsed.diagnostics.clone();
    let input = super::build::ParsedInput::Idl(std::sync::Arc::clone(&parsed.idl));
    let model = super::build::build(vec![input], &mut events);
    (model, events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_shapes_build_without_events_and_agree_with_the_shape_table() {
        let (model, events) = build_value_shapes();
        assert!(events.is_empty(), "{events:?}");
        assert!(model.shapes.len() >= 7);
        for (id, shape) in &model.shapes {
            assert_eq!(absolute_shape_type(id), Some(shape.shape_type), "{id}");
        }
        let key = model.shapes["smithy.api#Renames"].member("key").unwrap();
        assert!(key.traits.contains_key("smithy.api#idRef"));
    }
}
