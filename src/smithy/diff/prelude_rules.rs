//! The `breakingChanges` rules and diff tags of the prelude's trait definitions, as facts taken
//! from the Smithy prelude: which changes of a prelude trait `smithy diff` reports, and how.

use super::trait_rules::{ChangeType, Rule};
use super::Severity;

const fn rule(change: ChangeType) -> Rule {
    Rule {
        path: &[],
        change,
        severity: Severity::Error,
        message: None,
    }
}

const fn at(path: &'static [&'static str], change: ChangeType) -> Rule {
    Rule {
        path,
        change,
        severity: Severity::Error,
        message: None,
    }
}

const fn rated(mut r: Rule, severity: Severity, message: Option<&'static str>) -> Rule {
    r.severity = severity;
    r.message = message;
    r
}

use ChangeType::{Add, Any, Presence, Remove, Update};

const PRESENCE: &[Rule] = &[rule(Presence)];
const REMOVE: &[Rule] = &[rule(Remove)];
const ANY: &[Rule] = &[rule(Any)];

/// Prelude traits (by name in `smithy.api`) and their `breakingChanges` rules.
pub const RULES: &[(&str, &[Rule])] = &[
    (
        "trait",
        &[
            rule(Presence),
            at(&["structurallyExclusive"], Any),
            rated(
                at(&["conflicts"], Update),
                Severity::Note,
                Some("Adding more conflicts to a trait could cause previously written models to fail validation."),
            ),
        ],
    ),
    ("protocolDefinition", PRESENCE),
    ("authDefinition", PRESENCE),
    ("httpBasicAuth", REMOVE),
    ("httpDigestAuth", REMOVE),
    ("httpBearerAuth", REMOVE),
    ("httpApiKeyAuth", REMOVE),
    ("addedDefault", REMOVE),
    ("optionalAuth", REMOVE),
    ("error", ANY),
    ("retryable", REMOVE),
    ("readonly", REMOVE),
    ("idempotent", REMOVE),
    ("idempotencyToken", REMOVE),
    (
        "internal",
        &[rated(
            rule(Remove),
            Severity::Warning,
            Some("Removing the @internal trait makes a shape externally visible."),
        )],
    ),
    ("jsonName", ANY),
    ("xmlAttribute", ANY),
    ("xmlFlattened", ANY),
    ("xmlName", ANY),
    ("xmlNamespace", ANY),
    ("mediaType", REMOVE),
    ("resourceIdentifier", REMOVE),
    ("streaming", ANY),
    ("requiresLength", PRESENCE),
    ("enum", PRESENCE),
    (
        "pattern",
        &[
            rated(
                rule(Add),
                Severity::Warning,
                Some("The @pattern trait should only be added if the string already had adhered to the pattern."),
            ),
            rated(
                rule(Update),
                Severity::Note,
                Some("Changes to the @pattern trait should generally make the string more permissive, not less."),
            ),
        ],
    ),
    ("property", &[rule(Remove), rule(Update)]),
    ("notProperty", &[rule(Add)]),
    ("nestedProperties", ANY),
    ("sparse", PRESENCE),
    ("uniqueItems", &[rated(rule(Presence), Severity::Warning, None)]),
    (
        "paginated",
        &[
            rule(Remove),
            at(&["inputToken"], Update),
            at(&["outputToken"], Update),
            at(&["items"], Remove),
            rated(at(&["items"], Add), Severity::Note, None),
            rated(at(&["items"], Update), Severity::Note, None),
            at(&["pageSize"], Update),
            at(&["pageSize"], Remove),
        ],
    ),
    (
        "http",
        &[
            rule(Remove),
            at(&["method"], Update),
            at(&["uri"], Update),
            at(&["code"], Update),
            rated(
                at(&["code"], Presence),
                Severity::Danger,
                Some("Adding or removing is backward compatible only if the value is the default value of 200"),
            ),
        ],
    ),
    ("httpLabel", PRESENCE),
    ("httpQuery", ANY),
    ("httpQueryParams", ANY),
    ("httpHeader", ANY),
    ("httpPrefixHeaders", ANY),
    ("httpPayload", PRESENCE),
    ("httpError", ANY),
    ("httpResponseCode", ANY),
    ("cors", REMOVE),
    ("eventPayload", ANY),
    ("eventHeader", ANY),
    ("timestampFormat", ANY),
    ("endpoint", ANY),
    ("hostLabel", ANY),
    ("input", PRESENCE),
    ("output", PRESENCE),
    (
        "requestCompression",
        &[
            rated(
                rule(Remove),
                Severity::Danger,
                Some("Trait was removed so newly generated clients will no longer compress requests, but the service MUST continue to support removed compression algorithms in `encodings`."),
            ),
            rated(
                at(&["encodings"], Remove),
                Severity::Error,
                Some("`encodings` was removed, but is required for the requestCompression trait."),
            ),
            rated(
                at(&["encodings", "member"], Add),
                Severity::Note,
                Some("Members of `encodings` were added. Once a compression algorithm is added, the service MUST support the compression algorithm."),
            ),
            rated(
                at(&["encodings", "member"], Remove),
                Severity::Danger,
                Some("Members of `encodings` were removed so newly generated clients will no longer compress requests for removed compression algorithms. The service MUST continue to support old clients by supporting removed compression algorithms."),
            ),
            rated(
                at(&["encodings", "member"], Update),
                Severity::Danger,
                Some("Members of `encodings` were updated so newly generated clients will no longer compress requests for compression algorithms prior to the updates. The service MUST continue to support old clients by supporting compression algorithms prior to the updates."),
            ),
        ],
    ),
];

/// The `diff.*` tags of prelude trait definitions (only `enumValue` has one).
pub const TAGS: &[(&str, &[&str])] = &[("enumValue", &["diff.error.const"])];

/// The rules of a prelude trait, by its absolute ID.
pub fn rules(trait_id: &str) -> Option<&'static [Rule]> {
    let name = trait_id.strip_prefix("smithy.api#")?;
    RULES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

/// The diff tags of a prelude trait definition, by its absolute ID.
pub fn tags(trait_id: &str) -> &'static [&'static str] {
    trait_id
        .strip_prefix("smithy.api#")
        .and_then(|name| TAGS.iter().find(|(n, _)| *n == name))
        .map_or(&[], |(_, t)| *t)
}
