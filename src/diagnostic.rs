//! Diagnostics as plain data.
//!
//! Every stage reports problems as [`Diagnostic`] values: a stable code, a severity, a message
//! and a span in the file the user wrote. Nothing here knows about terminals, colours or exit
//! codes; that is the CLI's business (see `report`).

use serde::Serialize;

/// How serious a finding is. Ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A range in a file, 1-based lines and columns (columns count characters). `end_column` is
/// exclusive: a one-character span at column 5 has `end_column == 6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    /// A zero-width span at a point.
    pub fn point(line: u32, column: u32) -> Span {
        Span {
            line,
            column,
            end_line: line,
            end_column: column,
        }
    }
}

/// A secondary place that explains a diagnostic ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Related {
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
    pub message: String,
}

/// A machine-applicable suggestion: replace the text of `span` (in the diagnostic's file) with
/// `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    #[serde(flatten)]
    pub span: Span,
    pub replacement: String,
}

/// One finding. `code` is stable across releases and documented in `docs/diagnostics.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The file as the user named it (relative to the folder it was found under).
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// A replacement that fixes the finding, when there is exactly one obvious fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        path: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            path: path.into(),
            span,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub fn with_related(
        mut self,
        path: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.related.push(Related {
            path: path.into(),
            span,
            message: message.into(),
        });
        self
    }

    /// The order in which reports list diagnostics: by file, position, then code and text, so
    /// that output never depends on the order in which parallel work finished.
    pub fn sort_key(&self) -> (&str, Span, &str, &str) {
        (&self.path, self.span, &self.code, &self.message)
    }
}

/// Sorts and de-duplicates diagnostics into report order.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Every diagnostic code plansmith emits, with a short title. `docs/diagnostics.md` documents
/// each one; a test keeps the two in step.
pub const CODES: &[(&str, &str)] = &[
    ("PLAN001", "input cannot be read"),
    ("PLAN002", "status not in the allowed list"),
    ("PLAN003", "target date in an unknown format"),
    ("PLAN004", "target date does not exist"),
    ("PLAN005", "unfilled template placeholder"),
    ("PLAN006", "header field missing or empty"),
    ("PLAN007", "file is not valid UTF-8"),
    ("PLAN008", "code block never closed"),
    ("PLAN009", "internal error: a block or drawing skipped"),
    ("DEP001", "dead plan reference"),
    ("DEP002", "dependency cycle"),
    ("DEP003", "shape used from an undeclared dependency"),
    ("DEP004", "linked plan not among the checked files"),
    ("DEP005", "target date earlier than a dependency's"),
    ("DEP006", "dependency on a cancelled plan"),
    ("DEP007", "finished plan depends on an unfinished one"),
    (
        "DEP008",
        "dependency graph too large to lay out, drawn simplified",
    ),
    ("MMD001", "unknown mermaid diagram type"),
    ("MMD002", "mermaid diagram family recognised but not parsed"),
    ("MMD101", "flowchart syntax error"),
    ("MMD102", "unknown flowchart shape name"),
    ("MMD103", "linkStyle index out of range"),
    ("MMD104", "unreadable shape data"),
    ("MMD105", "style on an unused id"),
    ("MMD106", "more links than mermaid allows"),
    ("MMD107", "flowchart class never defined"),
    ("MMD108", "two subgraphs share an id"),
    ("MMD201", "sequence syntax error"),
    ("MMD202", "deactivating an inactive participant"),
    ("MMD203", "participant in two boxes"),
    ("MMD204", "creating an existing participant"),
    ("MMD205", "created participant gets no message"),
    ("MMD206", "destroyed participant gets no message"),
    ("MMD207", "invalid participant configuration"),
    ("MMD208", "unreadable participant links or properties"),
    ("MMD209", "activation never ended"),
    ("MMD301", "class diagram syntax error"),
    ("MMD302", "annotation of an undeclared class"),
    ("MMD303", "callback or tooltip on an undeclared class"),
    ("MMD304", "malformed method member"),
    ("MMD305", "style on a class that does not exist"),
    ("MMD306", "class name words run together"),
    ("MMD401", "ER syntax error"),
    ("MMD402", "style on an entity that does not exist"),
    ("MMD403", "ER class never defined"),
    ("MMD404", "title line read as entities"),
    ("MMD501", "state diagram syntax error"),
    ("MMD502", "composite state with descriptions"),
    ("MMD503", "state class never defined"),
    ("MMD504", "one-line note loses text"),
    ("MMD601", "C4 syntax error"),
    ("MMD602", "C4 relation to an undefined alias"),
    ("MMD603", "empty C4 relation dropped"),
    ("MMD604", "C4 style update names nothing"),
    ("MMD605", "C4 alias defined again"),
    ("MMD606", "C4 relation replaced by a later one"),
    ("SMY001", "Smithy syntax error"),
    ("SMY002", "shapes without a namespace"),
    ("SMY003", "bad $version"),
    ("SMY004", "feature of the wrong IDL version"),
    ("SMY005", "duplicate member"),
    ("SMY006", "bad control statement"),
    ("SMY007", "bad operation property"),
    ("SMY010", "conflicting shape definitions"),
    ("SMY011", "conflicting trait values"),
    ("SMY012", "conflicting use statements"),
    ("SMY013", "bad service or resource property"),
    ("SMY014", "elided member target not found"),
    ("SMY015", "apply to a missing shape"),
    ("SMY016", "conflicting metadata"),
    ("SMY017", "missing required members"),
    ("SMY018", "unresolved trait"),
    ("SMY019", "mixin problem"),
    ("SMY020", "JSON AST file is not JSON"),
    ("SMY021", "JSON AST document is not a Smithy model"),
    ("SMY022", "unknown property (ignored)"),
    ("SMY023", "use statement names an undefined shape"),
    ("SMY024", "prelude trait value cannot be built"),
    ("SMY025", "documentation comment attached to nothing"),
    (
        "Model",
        "bad suppressions, severityOverrides or validators metadata",
    ),
    ("Target", "unresolved or wrongly typed target"),
    ("TraitTarget", "trait applied where its selector forbids"),
    ("TraitValue", "trait value does not fit the trait"),
    (
        "TraitValue.Member.InvalidRange",
        "trait member out of range",
    ),
    ("TraitConflict", "conflicting traits"),
    ("ShapeIdConflict", "shape ids differ only in case"),
    ("EnumShape", "bad enum value"),
    ("ResourceIdentifierBinding", "resource identifier not bound"),
    ("HttpLabelTrait", "@http label without @httpLabel member"),
    ("HttpUriConflict", "conflicting HTTP routes"),
    ("PaginatedTrait", "bad @paginated member"),
    (
        "PaginatedTrait.DeeplyNested.<member>",
        "deeply nested @paginated path",
    ),
    (
        "PaginatedTrait.ShouldNotBeRequired.pageSize",
        "required pageSize member",
    ),
    ("HttpHeaderTrait", "bad or restricted @httpHeader"),
    ("HttpQueryTrait", "conflicting @httpQuery"),
    (
        "HttpPrefixHeadersTrait",
        "@httpHeader inside an @httpPrefixHeaders prefix",
    ),
    ("HttpPayload", "members not bound beside @httpPayload"),
    ("HttpBindingsMissing", "operation without @http"),
    ("HttpResponseCodeSemantics", "status code out of range"),
    (
        "HttpMethodSemantics",
        "HTTP method used against its semantics",
    ),
    (
        "HttpMethodSemantics.UnexpectedPayload",
        "request payload on GET, HEAD, DELETE or TRACE",
    ),
    (
        "HttpMethodSemantics.MissingReadonlyTrait",
        "GET without @readonly",
    ),
    (
        "HttpMethodSemantics.UnnecessaryReadonlyTrait",
        "@readonly on a non-reading method",
    ),
    (
        "HttpMethodSemantics.MissingIdempotentTrait",
        "PUT or DELETE without @idempotent",
    ),
    (
        "HttpMethodSemantics.UnnecessaryIdempotentTrait",
        "@idempotent on GET",
    ),
    ("HttpMethodSemantics.OPTIONS", "modelled OPTIONS operation"),
    (
        "HttpUriGreedyLabel.MultipleGreedyLabels",
        "two greedy labels",
    ),
    (
        "HttpUriGreedyLabel.GreedyLabelIsNotLastLabel",
        "greedy label before another label",
    ),
    ("HttpUriFormat", "non-ASCII @http URI"),
    ("HostLabelTrait", "bad @endpoint host prefix"),
    (
        "ExclusiveStructureMemberTrait",
        "exclusive trait on several members",
    ),
    (
        "PrivateAccess",
        "@private shape used from another namespace",
    ),
    ("MediaType", "invalid @mediaType"),
    ("CorsTrait", "@cors origin and origins"),
    ("RangeTrait", "@range bounds do not fit"),
    ("LengthTrait", "@length bounds do not fit"),
    (
        "TraitValidators",
        "invalid @traitValidators event ID (a validator's own events use its key)",
    ),
    ("RequestCompressionTrait", "bad @requestCompression"),
    ("JsonName", "conflicting JSON names"),
    ("IdempotentTrait", "bad @idempotent errors"),
    (
        "SingleOperationBinding",
        "operation bound twice in a service",
    ),
    ("EnumTrait", "bad @enum entries"),
    ("EnumTrait.<name>", "enum name not UPPER_SNAKE_CASE"),
    ("EnumNamesPresent", "@enum entries without names"),
    (
        "HttpBindingTraitIgnored.<context>",
        "HTTP binding trait where it has no effect",
    ),
    (
        "IdempotencyTokenIgnored",
        "@idempotencyToken where it has no effect",
    ),
    (
        "DefaultValueInUpdate",
        "@default on the input of an update operation",
    ),
    (
        "ServiceBoundResourceOperation.<service>.<operation>",
        "a service operation that looks like a resource's",
    ),
    (
        "UnstableTrait.<trait>",
        "a trait marked @unstable is applied",
    ),
    ("DeprecatedTrait", "a trait marked @deprecated is applied"),
    (
        "DeprecatedShape.<shape>",
        "a reference to a @deprecated shape",
    ),
    ("PatternTrait", "@pattern not anchored"),
    ("ModelDeprecation", "a construct IDL 2.0 deprecates"),
    ("PrivateMixinMember", "@private on a mixin member"),
    (
        "ServiceAuthDefinitions",
        "several auth schemes without @auth",
    ),
    (
        "XmlFlattenedTrait",
        "@xmlFlattened hides the list member's @xmlName",
    ),
    ("EventPayloadTrait", "event members beside @eventPayload"),
    ("AuthTrait", "@auth scheme not on the service"),
    (
        "HttpApiKeyAuthTrait",
        "@httpApiKeyAuth scheme outside a header",
    ),
    (
        "NoInlineDocumentSupport",
        "document shape under a protocol without documents",
    ),
    ("XmlNamespaceTrait", "invalid @xmlNamespace URI"),
    ("StreamingTrait", "misused stream"),
    ("Service", "shape names conflict in a service closure"),
    ("ShapeRecursion", "invalid recursive shape"),
    ("ResourceLifecycle", "lifecycle operation lacks its traits"),
    ("ResourceIdentifier", "resource identifiers do not fit"),
    ("ResourceCycle", "resource hierarchy has a cycle"),
    (
        "ResourceOperationInputOutput",
        "resource operation member is no property",
    ),
    (
        "OperationInputOutputMisuse",
        "@input/@output structure misused",
    ),
    (
        "OperationInputOutputName.input",
        "input not named after its operation",
    ),
    (
        "OperationInputOutputName.output",
        "output not named after its operation",
    ),
    (
        "OperationNameAmbiguity",
        "shape named like an unused input/output",
    ),
    ("UnitType", "smithy.api#Unit used where it may not be"),
    ("ShapeClosure", "a shapeClosures entry that is invalid"),
    (
        "SingleResourceBinding",
        "a resource bound twice into a service",
    ),
    ("Union", "a union without members"),
    (
        "TraitBreakingChanges",
        "a breakingChanges path naming no member",
    ),
    ("MetadataTrait", "conflicting @metadata keys"),
    (
        "TypedMetadata.<key>",
        "metadata value does not fit its @metadata type",
    ),
    (
        "EmitEachSelector",
        "declared validator: a shape its selector matches",
    ),
    (
        "EmitNoneSelector",
        "declared validator: its selector matches no shape",
    ),
    (
        "UnreferencedShape",
        "declared validator: a shape connected to no root",
    ),
    ("DefaultTrait", "bad @default value"),
    (
        "ExamplesTrait",
        "an @examples value that does not fit its operation",
    ),
    (
        "MemberShouldReferenceResource",
        "identifier-like member without @references",
    ),
    ("SyntacticShapeIdTarget", "unquoted value names no shape"),
    ("MMD701", "diagram link with an unsafe URL not drawn"),
    ("MMD702", "diagram too large to lay out, drawn simplified"),
    ("CFG001", "config file cannot be used"),
    ("CFG002", "unused suppression"),
    ("CFG003", "suppression names an unknown code"),
    ("CFG004", "template file skipped"),
];
