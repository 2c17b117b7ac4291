//! Validation of a loaded model, one file per validator (like ruff's one file per rule).
//!
//! Each validator is named as the reference names its event (the diagnostic code, sub-ids after
//! a dot), lives in `<snake_case_event_id>.rs` and exposes
//! `pub(super) fn check(ev: &mut Events)`: it walks `ev.model` itself and reports through
//! [`Events`]. Messages are `shape-id: text`, the text as the reference words it. `shared.rs`
//! holds the helpers more than one validator uses. `validate` runs every `check` (in parallel,
//! each reporting into events of its own, appended in the order of the lists) and then applies
//! suppressions.

mod auth_trait;
mod cors_trait;
mod default_trait;
mod default_value_in_update;
mod deprecated_shape;
mod deprecated_trait;
mod emit_each_selector;
mod emit_none_selector;
mod enum_shape;
mod enum_trait;
mod event_payload_trait;
mod examples_trait;
mod exclusive_structure_member_trait;
mod host_label_trait;
mod http_api_key_auth_trait;
mod http_binding_trait_ignored;
mod http_bindings_missing;
mod http_header_trait;
mod http_label_trait;
mod http_method_semantics;
mod http_payload;
mod http_prefix_headers_trait;
mod http_query_trait;
mod http_response_code_semantics;
mod http_uri_conflict;
mod http_uri_format;
mod http_uri_greedy_label;
mod idempotency_token_ignored;
mod idempotent_trait;
mod json_name;
mod length_trait;
mod media_type;
mod member_should_reference_resource;
mod metadata_trait;
mod metadata_validators;
mod model_deprecation;
pub use model_deprecation::{enum_trait_deprecation, enum_trait_deprecations};
mod neighbors;
mod no_inline_document_support;
mod node_value;
mod operation;
mod paginated_trait;
mod pattern_trait;
mod private_access;
mod private_mixin_member;
mod range_trait;
mod references_trait;
mod request_compression_trait;
mod resource_cycle;
mod resource_identifier;
mod resource_identifier_binding;
mod resource_lifecycle;
mod resource_operation_input_output;
mod service;
mod service_auth_definitions;
mod service_bound_resource_operation;
mod shape_closure;
mod shape_id_conflict;
mod shape_recursion;
mod shared;
mod single_operation_binding;
mod single_resource_binding;
mod streaming_trait;
mod target;
mod trait_breaking_changes;
mod trait_carriers;
mod trait_conflict;
mod trait_target;
mod trait_validators;
mod trait_value;
mod typed_metadata;
mod union;
mod unit_type;
mod unreferenced_shape;
mod unstable_trait;
mod xml_flattened_trait;
mod xml_namespace_trait;

use super::ast::ShapeType;
use super::model::*;
use super::selector::ShapeIndex;
use crate::diagnostic::{Diagnostic, Severity};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The reference runs its validators in tiers. The correctness validators (targets resolve, no
/// resource cycle) come first, and when they report an ERROR nothing else runs: every later
/// event would follow from a broken reference. References to deprecated shapes are found by the
/// reference's target validator, and `@enum` deprecations by its loader, so they are reported
/// whatever the tier finds.
const CORRECTNESS: &[fn(&mut Events)] = &[
    target::check,
    resource_cycle::check,
    deprecated_shape::check,
    model_deprecation::check_enum_trait,
];

/// Then the critical ones (enum shapes, trait placement and values, defaults, shape ID
/// conflicts, exclusive structure members, single operation bindings). `smithy validate` also stops after an ERROR here; its own test runner does not
/// (legacy mode) when a model is expected to have both kinds of events, and neither do we, so
/// that one run shows every independent mistake.
const CRITICAL: &[fn(&mut Events)] = &[
    enum_shape::check,
    trait_target::check,
    trait_value::check,
    trait_conflict::check,
    default_trait::check,
    shape_id_conflict::check,
    exclusive_structure_member_trait::check,
    single_operation_binding::check,
    single_resource_binding::check,
    shape_closure::check,
    union::check,
    trait_breaking_changes::check,
];

/// ... then every other validator.
const VALIDATORS: &[fn(&mut Events)] = &[
    http_label_trait::check,
    paginated_trait::check,
    resource_identifier_binding::check,
    http_uri_conflict::check,
    http_header_trait::check,
    http_query_trait::check,
    http_prefix_headers_trait::check,
    http_payload::check,
    http_bindings_missing::check,
    http_response_code_semantics::check,
    http_method_semantics::check,
    http_uri_greedy_label::check,
    http_uri_format::check,
    host_label_trait::check,
    private_access::check,
    media_type::check,
    cors_trait::check,
    request_compression_trait::check,
    json_name::check,
    idempotent_trait::check,
    enum_trait::check,
    event_payload_trait::check,
    auth_trait::check,
    http_api_key_auth_trait::check,
    no_inline_document_support::check,
    xml_namespace_trait::check,
    streaming_trait::check,
    metadata_trait::check,
    typed_metadata::check,
    operation::check,
    resource_identifier::check,
    resource_lifecycle::check,
    resource_operation_input_output::check,
    service::check,
    shape_recursion::check,
    unit_type::check,
    references_trait::check,
    examples_trait::check,
    range_trait::check,
    length_trait::check,
    trait_validators::check,
    http_binding_trait_ignored::check,
    idempotency_token_ignored::check,
    unstable_trait::check,
    deprecated_trait::check,
    pattern_trait::check,
    model_deprecation::check,
    private_mixin_member::check,
    service_auth_definitions::check,
    xml_flattened_trait::check,
    default_value_in_update::check,
    service_bound_resource_operation::check,
    member_should_reference_resource::check,
];

/// The validators that take longest on 1,000 plans (perf, check -j1), longest first: they
/// are started first. Each is also in one of the lists above.
const LONGEST: &[fn(&mut Events)] = &[
    trait_target::check,
    shape_recursion::check,
    service::check,
    member_should_reference_resource::check,
    private_access::check,
    http_binding_trait_ignored::check,
    target::check,
    trait_conflict::check,
    trait_value::check,
    operation::check,
];

/// What every validator reads (the model and facts computed once) and the events it reports.
pub(super) struct Events<'a> {
    pub(super) model: &'a Model,
    out: Vec<Diagnostic>,
    /// Per event: reported as DANGER by the reference (an error here, but suppressible).
    danger: Vec<bool>,
    /// The services each operation is bound to (in ID order), computed once: asking every
    /// service about every operation would make validation quadratic.
    pub(super) services_by_operation: &'a BTreeMap<String, Vec<&'a Shape>>,
    /// Every shape's members merged with its mixins' once, for look-ups by member ID.
    pub(super) members: &'a MemberIndex<'a>,
    /// Per event: the shape it is about (`None` for an event about the model as a whole).
    subjects: Vec<Option<String>>,
    /// The model as selectors see it, built when a validator first needs it (by whichever
    /// validator thread asks first; the others wait for it).
    selector_index: &'a OnceLock<ShapeIndex<'a>>,
    /// Who refers to each shape, built when a validator first asks.
    reverse_relations: &'a OnceLock<neighbors::ReverseRelations<'a>>,
    /// The shapes that carry each trait, built when a validator first asks.
    trait_carriers: &'a OnceLock<trait_carriers::TraitCarriers<'a>>,
}

/// A severity as the reference rates events. Ours has no DANGER: it is an error that
/// suppressions can silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Note,
    Warning,
    Danger,
    Error,
}

impl<'a> Events<'a> {
    /// No events yet, reading the same model and facts as `self`: each validator reports into
    /// one of its own, so that validators can run in parallel.
    fn fresh(&self) -> Events<'a> {
        Events {
            model: self.model,
            out: Vec::new(),
            danger: Vec::new(),
            services_by_operation: self.services_by_operation,
            members: self.members,
            subjects: Vec::new(),
            selector_index: self.selector_index,
            reverse_relations: self.reverse_relations,
            trait_carriers: self.trait_carriers,
        }
    }

    /// Appends the events of `other` after those of `self`.
    fn append(&mut self, other: Events<'a>) {
        self.out.extend(other.out);
        self.danger.extend(other.danger);
        self.subjects.extend(other.subjects);
    }

    /// The model as selectors see it (built once).
    pub(super) fn selector_index(&self) -> &ShapeIndex<'a> {
        let members = self.members;
        self.selector_index
            .get_or_init(|| ShapeIndex::with_members(members))
    }

    /// Every relationship by target (built once).
    fn reverse_relations(&self) -> &'a neighbors::ReverseRelations<'a> {
        let members = self.members;
        self.reverse_relations
            .get_or_init(|| neighbors::ReverseRelations::new(members))
    }

    /// The shapes, in model order, that may carry `trait_id` on themselves or on a member
    /// (see [`trait_carriers::TraitCarriers::carriers`]); the others carry it nowhere.
    pub(super) fn carriers(&self, trait_id: &str) -> impl Iterator<Item = &'a Shape> + 'a {
        self.shape_lists().carriers(trait_id)
    }

    /// The IDs of the shapes that have `trait_id`, applied or from a mixin (few, as a rule: a
    /// reference is then a look-up in a small set rather than in the model).
    pub(super) fn shapes_having(&self, trait_id: &str) -> rustc_hash::FxHashSet<&'a str> {
        let model = self.model;
        self.carriers(trait_id)
            .filter(|s| model.has_trait(s, trait_id))
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The shapes of one type, in model order.
    pub(super) fn shapes_of(&self, shape_type: ShapeType) -> impl Iterator<Item = &'a Shape> + 'a {
        self.shape_lists().of_type(shape_type)
    }

    fn shape_lists(&self) -> &'a trait_carriers::TraitCarriers<'a> {
        let model = self.model;
        self.trait_carriers
            .get_or_init(|| trait_carriers::TraitCarriers::new(model))
    }

    pub(super) fn emit(
        &mut self,
        id: &str,
        severity: Severity,
        at: &Location,
        shape: &str,
        message: String,
    ) {
        let level = match severity {
            Severity::Note => Level::Note,
            Severity::Warning => Level::Warning,
            Severity::Error => Level::Error,
        };
        self.report(id, level, at, Some(shape), message);
    }

    /// Reports an event about a shape (`shape-id: message`) or about the model as a whole
    /// (the message alone; also when the shape is empty, as for metadata).
    pub(super) fn report(
        &mut self,
        id: &str,
        level: Level,
        at: &Location,
        shape: Option<&str>,
        message: String,
    ) {
        let shape = shape.filter(|s| !s.is_empty());
        let severity = match level {
            Level::Note => Severity::Note,
            Level::Warning => Severity::Warning,
            Level::Danger | Level::Error => Severity::Error,
        };
        let text = match shape {
            Some(shape) => format!("{shape}: {message}"),
            None => message,
        };
        self.out.push(Diagnostic::smithy_event(
            id,
            severity,
            text,
            at.path.to_string(),
            at.span,
        ));
        self.danger.push(level == Level::Danger);
        self.subjects.push(shape.map(str::to_string));
    }

    pub(super) fn error(&mut self, id: &str, at: &Location, shape: &str, message: String) {
        self.emit(id, Severity::Error, at, shape, message);
    }

    /// An event the reference rates DANGER: an error that suppressions can silence.
    pub(super) fn danger(&mut self, id: &str, at: &Location, shape: &str, message: String) {
        self.report(id, Level::Danger, at, Some(shape), message);
    }
}

/// One validation event: the finding as it is reported, and the shape or member it is about
/// (`ns#Shape$member`, also the start of its message), for suppressions and root causes.
#[derive(Debug, Clone)]
pub struct Event {
    pub diagnostic: Diagnostic,
    pub subject: Option<String>,
}

impl Event {
    /// A finding about no shape in particular (a loader's).
    pub fn about_the_model(diagnostic: Diagnostic) -> Event {
        Event {
            diagnostic,
            subject: None,
        }
    }
}

/// Runs the validators; returns the events in no particular order. With `staged`, as the
/// reference does, an ERROR (not a DANGER) of the correctness tier ends validation, and so does
/// one found before it (`broken_before`: malformed validation metadata), after that tier.
pub fn validate(model: &Model, staged: bool, broken_before: bool) -> Vec<Event> {
    let (services_by_operation, members) =
        rayon::join(|| services_by_operation(model), || MemberIndex::new(model));
    let selector_index = OnceLock::new();
    let reverse_relations = OnceLock::new();
    let trait_carriers = OnceLock::new();
    let mut ev = Events {
        model,
        out: Vec::new(),
        danger: Vec::new(),
        subjects: Vec::new(),
        services_by_operation: &services_by_operation,
        members: &members,
        selector_index: &selector_index,
        reverse_relations: &reverse_relations,
        trait_carriers: &trait_carriers,
    };
    // Declared validators are created first: a definition that cannot be is an ERROR that,
    // like a correctness ERROR, ends validation.
    let declared = metadata_validators::load(&mut ev);
    // Unstaged, the correctness tier decides nothing and runs on the pool with the others:
    // alone, its validators left the second thread idle.
    let first: &[fn(&mut Events)] = if staged {
        for check in CORRECTNESS {
            check(&mut ev);
        }
        &[]
    } else {
        CORRECTNESS
    };
    let broken = broken_before
        || ev
            .out
            .iter()
            .zip(&ev.danger)
            .any(|(e, danger)| e.severity == Severity::Error && !danger);
    if !(staged && broken) {
        // Several validators need these indexes: built side by side first, they keep a
        // validator thread from waiting for another to finish building one.
        rayon::join(
            || ev.selector_index(),
            || (ev.reverse_relations(), ev.shape_lists()),
        );
        // The validators are independent: each runs on the pool with events of its own, and
        // their events are appended in the order of the lists, whatever the number of threads.
        let checks: Vec<fn(&mut Events)> = first
            .iter()
            .chain(CRITICAL)
            .chain(VALIDATORS)
            .copied()
            .collect();
        // The longest start first, so that what is left when a thread runs out of work is
        // short; only the running order changes.
        let mut run_order: Vec<usize> = (0..checks.len()).collect();
        run_order.sort_by_key(|&at| {
            LONGEST
                .iter()
                .position(|&long| std::ptr::fn_addr_eq(long, checks[at]))
                .unwrap_or(LONGEST.len())
        });
        // One task per validator: rayon otherwise runs a quarter of the list as one task that
        // no other thread can take a part of, and the second thread sat idle through it.
        let mut reported: Vec<(usize, Events)> = run_order
            .par_iter()
            .with_max_len(1)
            .map(|&at| {
                let mut own = ev.fresh();
                checks[at](&mut own);
                (at, own)
            })
            .collect();
        reported.sort_by_key(|&(at, _)| at);
        for (_, events) in reported {
            ev.append(events);
        }
        metadata_validators::run(&mut ev, &declared);
    }
    // As the reference, only ERROR events are kept for prelude shapes: validators need not
    // skip the prelude, yet a broken prelude would still show.
    let kept: Vec<_> = ev
        .out
        .into_iter()
        .zip(ev.danger)
        .zip(ev.subjects)
        .filter(|((e, danger), subject)| {
            (e.severity == Severity::Error && !danger)
                || !subject
                    .as_deref()
                    .is_some_and(|s| s.starts_with("smithy.api#"))
        })
        .collect();
    let suppressions = Suppressions::new(model);
    // Suppressed events stay visible as notes, as the reference keeps them as SUPPRESSED;
    // the others may be raised by severity overrides. Errors (other than DANGER events) are
    // left as they are.
    kept.into_par_iter()
        .map(|((mut e, danger), subject)| {
            let error = e.severity == Severity::Error && !danger;
            if !error {
                if let Some(reason) = suppressions.silence(e.code.as_str(), subject.as_deref()) {
                    e.severity = Severity::Note;
                    if let Some(reason) = reason {
                        e.message = format!("{} ({reason})", e.message);
                    }
                } else {
                    elevate(model, &mut e, subject.as_deref());
                }
            }
            Event {
                diagnostic: e,
                subject,
            }
        })
        .collect()
}

/// The services each operation is bound to, in the order of the services' IDs.
fn services_by_operation(model: &Model) -> BTreeMap<String, Vec<&Shape>> {
    let mut services_by_operation: BTreeMap<String, Vec<&Shape>> = BTreeMap::new();
    for service in model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Service)
    {
        for operation in shared::service_operations(model, service) {
            services_by_operation
                .entry(operation)
                .or_default()
                .push(service);
        }
    }
    services_by_operation
}

/// Applies the `severityOverrides` metadata: an override (by event ID and namespace) may raise a
/// NOTE or WARNING to WARNING or DANGER; it never lowers a severity.
fn elevate(model: &Model, event: &mut Diagnostic, subject: Option<&str>) {
    for severity in severity_overrides(model, event.code.as_str(), subject) {
        match severity {
            // A DANGER is an error here; it stays suppressible, as it was before.
            "DANGER" => event.severity = Severity::Error,
            "WARNING" if event.severity == Severity::Note => event.severity = Severity::Warning,
            _ => {}
        }
    }
}

/// The severities (`WARNING`, `DANGER`) that the `severityOverrides` metadata asks for an
/// event, by its ID and the shape it is about, in declaration order.
pub(crate) fn severity_overrides<'m>(
    model: &'m Model,
    code: &str,
    subject: Option<&str>,
) -> Vec<&'m str> {
    let Some(overrides) = model
        .metadata
        .get("severityOverrides")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    overrides
        .iter()
        .filter(|o| {
            let id = o.get("id").and_then(Value::as_str).unwrap_or("");
            id_matches(code, id) && namespace_matches(o, subject)
        })
        .filter_map(|o| o.get("severity").and_then(Value::as_str))
        .collect()
}

/// Whether the `namespace` of a suppression or override covers the event's shape: `*` covers
/// every event, a namespace only the events about shapes in it.
fn namespace_matches(rule: &Value, subject: Option<&str>) -> bool {
    namespace_covers(rule.get("namespace").and_then(Value::as_str), subject)
}

/// [`namespace_matches`] for a rule's namespace.
fn namespace_covers(namespace: Option<&str>, subject: Option<&str>) -> bool {
    match namespace {
        Some("*") => true,
        Some(ns) => subject.is_some_and(|shape| shape.split('#').next() == Some(ns)),
        None => false,
    }
}

/// Whether an event ID is `id` or one of its sub-events (`id.something`).
fn id_matches(event: &str, id: &str) -> bool {
    event == id
        || event
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Whether the `@suppress` trait of the shape an event is about or the `suppressions` metadata
/// (by ID and namespace) silences it, and the reason the metadata gives.
pub(crate) fn suppression(
    model: &Model,
    code: &str,
    subject: Option<&str>,
) -> Option<Option<String>> {
    Suppressions::new(model).silence(code, subject)
}

/// The `suppressions` metadata, read once: a model of many services lists hundreds of rules, and
/// every event is held against them.
pub(crate) struct Suppressions<'m> {
    model: &'m Model,
    /// ID, namespace and reason of each rule, in declaration order (the first match wins).
    rules: Vec<(&'m str, Option<&'m str>, Option<&'m str>)>,
    /// The positions in `rules` of each rule ID: an event is held only against the rules
    /// whose ID is its own or a dotted prefix of it (thousands of events, thousands of rules).
    by_id: rustc_hash::FxHashMap<&'m str, Vec<usize>>,
}

impl<'m> Suppressions<'m> {
    pub(crate) fn new(model: &'m Model) -> Suppressions<'m> {
        let text = |rule: &'m Value, key: &str| rule.get(key).and_then(Value::as_str);
        let rules = model
            .metadata
            .get("suppressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|rule| {
                (
                    text(rule, "id").unwrap_or(""),
                    text(rule, "namespace"),
                    text(rule, "reason"),
                )
            })
            .collect::<Vec<_>>();
        let mut by_id: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
        for (at, (id, _, _)) in rules.iter().enumerate() {
            by_id.entry(*id).or_default().push(at);
        }
        Suppressions {
            model,
            rules,
            by_id,
        }
    }

    /// [`suppression`] for one event.
    pub(crate) fn silence(&self, code: &str, subject: Option<&str>) -> Option<Option<String>> {
        if let Some(shape) = subject {
            let root = shape.split('$').next().unwrap_or(shape);
            // As the reference's `hasTrait`: a shape's `@suppress` may come from its mixins, and
            // a member's from the mixin member it inherits or redeclares.
            let by_trait = self.model.shapes.get(root).is_some_and(|s| {
                let suppress = match shape.split_once('$') {
                    Some((_, m)) => self
                        .model
                        .member_declaration(s, m)
                        .and_then(|m| m.traits.get("smithy.api#suppress"))
                        .map(|t| &t.value),
                    None => self.model.trait_value(s, "smithy.api#suppress"),
                };
                suppress.and_then(Value::as_array).is_some_and(|ids| {
                    ids.iter()
                        .filter_map(Value::as_str)
                        .any(|id| id_matches(code, id))
                })
            });
            if by_trait {
                return Some(None);
            }
        }
        // The IDs `id_matches` accepts: the code itself and its prefixes that end before a dot.
        let prefixes = code
            .char_indices()
            .filter(|(_, c)| *c == '.')
            .map(|(at, _)| &code[..at])
            .chain([code]);
        let first = prefixes
            .filter_map(|id| self.by_id.get(id))
            .filter_map(|positions| {
                positions
                    .iter()
                    .copied()
                    .find(|&at| namespace_covers(self.rules[at].1, subject))
            })
            .min()?;
        Some(self.rules[first].2.map(str::to_string))
    }
}
