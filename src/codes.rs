//! Every diagnostic code plansmith emits, as a type: the code's text, its default severity and
//! its title in one table (ruff's `codes.rs` is the model), so that a code cannot be misspelt at
//! the place that reports it and its documentation is found from the value.
//!
//! Smithy validation events keep the reference implementation's ids (`Target.UnresolvedShape`,
//! `TraitValue.UnknownMember.http.foo`): they are hierarchical and partly made of shape names, so
//! they are strings; [`SMITHY_EVENT_IDS`] registers the ids (and id patterns) that are documented.

use crate::diagnostic::Severity;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $severity:ident, $title:literal;)*) => {
        /// One of plansmith's own diagnostic codes (`PLAN005`); see `docs/diagnostics.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the documentation.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text of the code, as reports and config files name it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The severity a finding of this code has unless the check that reports it (a
            /// plan's status, for PLAN005) or the user's configuration says otherwise.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// A short title, for SARIF rules and `plansmith explain`.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$variant => $title,)*
                }
            }
        }
    };
}

impl Code {
    /// The code named by `text` exactly (`PLAN005`), if it is one of ours.
    pub fn from_text(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// The Markdown documentation of the code: its section of `docs/diagnostics.md`.
    pub fn documentation(self) -> &'static str {
        crate::docs::section(self.as_str()).unwrap_or_default()
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every registered code and Smithy event id with its title, in the order of the documentation.
pub fn registered() -> impl Iterator<Item = (&'static str, &'static str)> {
    Code::ALL
        .iter()
        .map(|c| (c.as_str(), c.title()))
        .chain(SMITHY_EVENT_IDS.iter().copied())
}

codes! {
    UnreadableInput = "PLAN001", Error, "input cannot be read";
    UnknownStatus = "PLAN002", Error, "status not in the allowed list";
    UnknownDateFormat = "PLAN003", Warning, "target date in an unknown format";
    NoSuchDate = "PLAN004", Warning, "target date does not exist";
    UnfilledPlaceholder = "PLAN005", Warning, "unfilled template placeholder";
    MissingHeaderField = "PLAN006", Warning, "header field missing or empty";
    NotUtf8 = "PLAN007", Error, "file is not valid UTF-8";
    UnclosedFence = "PLAN008", Error, "code block never closed";
    InternalError = "PLAN009", Error, "internal error: a block or drawing skipped";
    DeadPlanReference = "DEP001", Error, "dead plan reference";
    DependencyCycle = "DEP002", Error, "dependency cycle";
    UndeclaredDependencyShape = "DEP003", Warning, "shape used from an undeclared dependency";
    LinkedPlanNotChecked = "DEP004", Note, "linked plan not among the checked files";
    TargetDateBeforeDependency = "DEP005", Warning, "target date earlier than a dependency's";
    DependsOnCancelledPlan = "DEP006", Warning, "dependency on a cancelled plan";
    FinishedDependsOnUnfinished = "DEP007", Warning, "finished plan depends on an unfinished one";
    DependencyGraphSimplified = "DEP008", Note, "dependency graph too large to lay out, drawn simplified";
    UnknownDiagramType = "MMD001", Error, "unknown mermaid diagram type";
    UnparsedDiagramFamily = "MMD002", Note, "mermaid diagram family recognised but not parsed";
    FlowchartSyntax = "MMD101", Error, "flowchart syntax error";
    UnknownFlowchartShape = "MMD102", Error, "unknown flowchart shape name";
    LinkStyleOutOfRange = "MMD103", Error, "linkStyle index out of range";
    UnreadableShapeData = "MMD104", Error, "unreadable shape data";
    FlowchartStyleOnUnusedId = "MMD105", Warning, "style on an unused id";
    TooManyLinks = "MMD106", Error, "more links than mermaid allows";
    FlowchartClassUndefined = "MMD107", Warning, "flowchart class never defined";
    SubgraphIdShared = "MMD108", Warning, "two subgraphs share an id";
    SequenceSyntax = "MMD201", Error, "sequence syntax error";
    DeactivatingInactive = "MMD202", Error, "deactivating an inactive participant";
    ParticipantInTwoBoxes = "MMD203", Error, "participant in two boxes";
    CreatingExistingParticipant = "MMD204", Error, "creating an existing participant";
    CreatedParticipantUnused = "MMD205", Error, "created participant gets no message";
    DestroyedParticipantUnused = "MMD206", Error, "destroyed participant gets no message";
    BadParticipantConfig = "MMD207", Error, "invalid participant configuration";
    UnreadableParticipantLinks = "MMD208", Warning, "unreadable participant links or properties";
    ActivationNeverEnded = "MMD209", Warning, "activation never ended";
    ClassSyntax = "MMD301", Error, "class diagram syntax error";
    AnnotationOfUndeclaredClass = "MMD302", Error, "annotation of an undeclared class";
    CallbackOnUndeclaredClass = "MMD303", Error, "callback or tooltip on an undeclared class";
    MalformedMethod = "MMD304", Error, "malformed method member";
    ClassStyleOnMissingClass = "MMD305", Warning, "style on a class that does not exist";
    ClassNameWordsRunTogether = "MMD306", Warning, "class name words run together";
    ErSyntax = "MMD401", Error, "ER syntax error";
    ErStyleOnMissingEntity = "MMD402", Warning, "style on an entity that does not exist";
    ErClassUndefined = "MMD403", Warning, "ER class never defined";
    ErTitleReadAsEntities = "MMD404", Warning, "title line read as entities";
    StateSyntax = "MMD501", Error, "state diagram syntax error";
    CompositeStateWithDescription = "MMD502", Error, "composite state with descriptions";
    StateClassUndefined = "MMD503", Warning, "state class never defined";
    OneLineNoteLosesText = "MMD504", Warning, "one-line note loses text";
    C4Syntax = "MMD601", Error, "C4 syntax error";
    C4RelationToUndefinedAlias = "MMD602", Error, "C4 relation to an undefined alias";
    C4EmptyRelationDropped = "MMD603", Warning, "empty C4 relation dropped";
    C4StyleUpdateNamesNothing = "MMD604", Warning, "C4 style update names nothing";
    C4AliasRedefined = "MMD605", Warning, "C4 alias defined again";
    C4RelationReplaced = "MMD606", Warning, "C4 relation replaced by a later one";
    UnsafeLink = "MMD701", Warning, "diagram link with an unsafe URL not drawn";
    DiagramSimplified = "MMD702", Warning, "diagram too large to lay out, drawn simplified";
    SmithySyntax = "SMY001", Error, "Smithy syntax error";
    ShapesWithoutNamespace = "SMY002", Error, "shapes without a namespace";
    BadVersion = "SMY003", Error, "bad $version";
    WrongIdlVersionFeature = "SMY004", Error, "feature of the wrong IDL version";
    DuplicateMember = "SMY005", Error, "duplicate member";
    BadControlStatement = "SMY006", Error, "bad control statement";
    BadOperationProperty = "SMY007", Error, "bad operation property";
    ShapeConflict = "SMY010", Error, "conflicting shape definitions";
    TraitConflict = "SMY011", Error, "conflicting trait values";
    UseConflict = "SMY012", Error, "conflicting use statements";
    BadProperty = "SMY013", Error, "bad service or resource property";
    ElidedTargetNotFound = "SMY014", Error, "elided member target not found";
    ApplyToMissingShape = "SMY015", Error, "apply to a missing shape";
    MetadataConflict = "SMY016", Error, "conflicting metadata";
    MissingRequiredMembers = "SMY017", Error, "missing required members";
    UnresolvedTrait = "SMY018", Error, "unresolved trait";
    MixinProblem = "SMY019", Error, "mixin problem";
    JsonAstNotJson = "SMY020", Error, "JSON AST file is not JSON";
    JsonAstNotAModel = "SMY021", Error, "JSON AST document is not a Smithy model";
    UnknownProperty = "SMY022", Warning, "unknown property (ignored)";
    UseOfUndefinedShape = "SMY023", Error, "use statement names an undefined shape";
    PreludeTraitNotBuilt = "SMY024", Error, "prelude trait value cannot be built";
    BadDocumentationComment = "SMY025", Warning, "documentation comment attached to nothing";
    ShapeLeftOutByMixinCycle = "SMY026", Note, "shape left out: its mixins lead back to it";
    EquivalentDefinitionIgnored = "SMY027", Note, "equivalent second definition of a shape ignored";
    ConfigUnusable = "CFG001", Error, "config file cannot be used";
    UnusedSuppression = "CFG002", Warning, "unused suppression";
    UnknownCodeInConfig = "CFG003", Warning, "suppression names an unknown code";
    TemplateSkipped = "CFG004", Note, "template file skipped";
}

/// The Smithy validation event ids plansmith reports, as the reference names them, with a short
/// title. A `<member>` segment stands for any one segment of a refined id.
pub const SMITHY_EVENT_IDS: &[(&str, &str)] = &[
    (
        "Model",
        "bad suppressions, severityOverrides or validators metadata",
    ),
    ("Target", "wrongly typed target"),
    ("Target.UnresolvedShape", "target names no shape"),
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
];
