//! The typed syntax tree of one Smithy IDL text, as written: relative shape IDs are kept as
//! written and resolved later (see `build`). Every node carries the byte range it came from in
//! its [`SourceText`](crate::source::SourceText).

use std::ops::Range;

/// Byte range into the parsed text.
pub type ByteRange = Range<usize>;

/// A node value (trait values, metadata, service and resource bodies).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub range: ByteRange,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number as written, so that its exact value survives.
    Number(String),
    /// A quoted string or text block, escapes already processed.
    String(String),
    /// An unquoted shape ID: a "syntactic shape ID", resolved against the model later.
    ShapeId(String),
    Array(Vec<Node>),
    Object(Vec<ObjectEntry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectEntry {
    pub key: String,
    pub key_range: ByteRange,
    pub value: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) | NodeKind::ShapeId(s) => Some(s),
            _ => None,
        }
    }

    /// The kind of value, in the reference's words (`Expected string, but found number.`).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) | NodeKind::ShapeId(_) => "string",
            NodeKind::Array(_) => "array",
            NodeKind::Object(_) => "object",
        }
    }
}

/// A shape ID as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeRef {
    pub id: String,
    pub range: ByteRange,
}

/// `@id(value)`. `value` is `None` for `@id` and `@id()`: its meaning depends on the trait's
/// shape (`{}`, `[]` or `null`), known only once the model is complete.
#[derive(Debug, Clone, PartialEq)]
pub struct TraitApplication {
    pub id: ShapeRef,
    pub value: Option<Node>,
    pub range: ByteRange,
}

/// The IDL version a text is parsed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdlVersion {
    V1,
    V2,
}

impl IdlVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            IdlVersion::V1 => "1.0",
            IdlVersion::V2 => "2.0",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShapeType {
    Blob,
    Boolean,
    Document,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Enum,
    IntEnum,
    List,
    Set,
    Map,
    Structure,
    Union,
    Service,
    Resource,
    Operation,
}

impl ShapeType {
    /// Every type, with service, resource and operation last (`validate/target.rs` relies on it).
    pub const ALL: [ShapeType; 23] = [
        ShapeType::Blob,
        ShapeType::Boolean,
        ShapeType::Document,
        ShapeType::String,
        ShapeType::Byte,
        ShapeType::Short,
        ShapeType::Integer,
        ShapeType::Long,
        ShapeType::Float,
        ShapeType::Double,
        ShapeType::BigInteger,
        ShapeType::BigDecimal,
        ShapeType::Timestamp,
        ShapeType::Enum,
        ShapeType::IntEnum,
        ShapeType::List,
        ShapeType::Set,
        ShapeType::Map,
        ShapeType::Structure,
        ShapeType::Union,
        ShapeType::Service,
        ShapeType::Resource,
        ShapeType::Operation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ShapeType::Blob => "blob",
            ShapeType::Boolean => "boolean",
            ShapeType::Document => "document",
            ShapeType::String => "string",
            ShapeType::Byte => "byte",
            ShapeType::Short => "short",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Enum => "enum",
            ShapeType::IntEnum => "intEnum",
            ShapeType::List => "list",
            ShapeType::Set => "set",
            ShapeType::Map => "map",
            ShapeType::Structure => "structure",
            ShapeType::Union => "union",
            ShapeType::Service => "service",
            ShapeType::Resource => "resource",
            ShapeType::Operation => "operation",
        }
    }

    pub fn from_keyword(word: &str) -> Option<ShapeType> {
        ShapeType::ALL.into_iter().find(|t| t.as_str() == word)
    }

    pub fn is_simple(self) -> bool {
        matches!(
            self,
            ShapeType::Blob
                | ShapeType::Boolean
                | ShapeType::Document
                | ShapeType::String
                | ShapeType::Byte
                | ShapeType::Short
                | ShapeType::Integer
                | ShapeType::Long
                | ShapeType::Float
                | ShapeType::Double
                | ShapeType::BigInteger
                | ShapeType::BigDecimal
                | ShapeType::Timestamp
                | ShapeType::Enum
                | ShapeType::IntEnum
        )
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            ShapeType::Byte
                | ShapeType::Short
                | ShapeType::Integer
                | ShapeType::Long
                | ShapeType::Float
                | ShapeType::Double
                | ShapeType::BigInteger
                | ShapeType::BigDecimal
                | ShapeType::IntEnum
        )
    }
}

/// One parsed text.
#[derive(Debug, Clone, PartialEq)]
pub struct IdlFile {
    pub version: IdlVersion,
    /// Control statements other than `$version`, as written.
    pub control: Vec<(String, Node)>,
    pub metadata: Vec<(String, ByteRange, Node)>,
    /// The namespace shapes are defined in (declared, or inherited from a previous block).
    pub namespace: Option<String>,
    /// Whether the namespace came from a `namespace` statement of this text.
    pub namespace_declared: bool,
    pub uses: Vec<ShapeRef>,
    pub shapes: Vec<ShapeDef>,
    pub applies: Vec<Apply>,
    pub operation_input_suffix: String,
    pub operation_output_suffix: String,
    /// Statements dropped after a syntax error: from where each started to where parsing
    /// resumed, so that later stages know what the text would have defined.
    pub dropped: Vec<ByteRange>,
    /// The trait values a dropped statement had read before its syntax error: the reference
    /// resolves their unquoted shape IDs as it reads them.
    pub dropped_trait_values: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Apply {
    pub target: ShapeRef,
    pub traits: Vec<TraitApplication>,
    pub range: ByteRange,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShapeDef {
    pub shape_type: ShapeType,
    pub name: String,
    pub name_range: ByteRange,
    /// The whole statement, traits included.
    pub range: ByteRange,
    pub documentation: Option<(String, ByteRange)>,
    pub traits: Vec<TraitApplication>,
    pub mixins: Vec<ShapeRef>,
    pub for_resource: Option<ShapeRef>,
    pub members: Vec<MemberDef>,
    /// The body of a service or resource.
    pub entity_body: Option<Node>,
    pub operation: Option<OperationBody>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberDef {
    pub name: String,
    pub name_range: ByteRange,
    /// `None` when the target is elided (`$name`).
    pub target: Option<ShapeRef>,
    pub documentation: Option<(String, ByteRange)>,
    pub traits: Vec<TraitApplication>,
    /// `= value`: the default of a structure member or the value of an enum member.
    pub value: Option<Node>,
    pub range: ByteRange,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationBody {
    pub input: Option<OperationIo>,
    pub output: Option<OperationIo>,
    pub errors: Option<Vec<ShapeRef>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OperationIo {
    Target(ShapeRef),
    /// `input := ...`: a structure defined in place (also listed in [`IdlFile::shapes`]).
    Inline {
        name: String,
        range: ByteRange,
    },
}
