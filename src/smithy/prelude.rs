//! The `smithy.api` prelude, as facts the resolver and the validators need: every prelude shape
//! with its type, and every prelude trait with the type of its value and where it may be applied.
//! Written from the Smithy specification (the prelude section and the trait reference).

use super::ast::ShapeType;

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
/// * `-`: not checked by us.
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
    t("addedDefault", S::Structure, "member:structure", &[]),
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
    t("default", S::Document, "-", &[]),
    t("deprecated", S::Structure, "*", &[]),
    t("documentation", S::String, "*", &[]),
    t("endpoint", S::Structure, "shapes:operation", &[]),
    t("enum", S::List, "shapes:string", &[]),
    t("enumValue", S::Document, "member:enum", &[]),
    t("error", S::Enum, "shapes:structure", &[]),
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
    t("hostLabel", S::Structure, "member-value:string", &[]),
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
    t("httpError", S::Integer, "shapes:structure", &[]),
    t(
        "httpHeader",
        S::String,
        "member-value:boolean number string timestamp list",
        HTTP_BINDINGS,
    ),
    t(
        "httpLabel",
        S::Structure,
        "member-value:string number boolean timestamp",
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
        "member-value:map",
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
        "member-value:integer",
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
    t("metadata", S::Structure, "-", &[]),
    t("mixin", S::Structure, "shapes:*", &[]),
    t("nestedProperties", S::Structure, "member:structure", &[]),
    t("noReplace", S::Structure, "shapes:resource", &[]),
    t("notProperty", S::Structure, "-", &[]),
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
    t("uniqueItems", S::Structure, "shapes:list", &["sparse"]),
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
        "member-value:list set map",
        &[],
    ),
    t("xmlName", S::String, "-", &[]),
    t("xmlNamespace", S::Structure, "-", &["xmlAttribute"]),
];

/// The type of a prelude shape or trait, by its name in `smithy.api`.
pub fn shape_type(name: &str) -> Option<ShapeType> {
    SHAPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .or_else(|| trait_def(name).map(|t| t.shape_type))
}

pub fn trait_def(name: &str) -> Option<&'static PreludeTrait> {
    TRAITS.iter().find(|t| t.name == name)
}

/// The type of an absolute shape ID if it names a prelude shape.
pub fn absolute_shape_type(id: &str) -> Option<ShapeType> {
    id.strip_prefix("smithy.api#").and_then(shape_type)
}
