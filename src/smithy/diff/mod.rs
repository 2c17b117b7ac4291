//! `smithy diff` of two models: which shapes, traits, bindings and metadata changed, reported
//! with the reference's event IDs, severities and messages (the diff evaluators of
//! smithy-lang/smithy's `smithy-diff`), suppressions and severity overrides of the new model
//! applied.
//!
//! The models are flattened first ([`flat`]): members are shapes of their own and mixins are
//! applied, as the reference compares them. Each evaluator (one file per kind of change under
//! `evaluators/`) reads the [`Differences`] and adds events; it never reads source text.

mod evaluators;
pub mod flat;
mod java_number;
mod node;
mod prelude_rules;
mod trait_rules;

use crate::smithy::model::Model;
use flat::{FlatModel, FlatShape};
use serde_json::Value;

/// The severities of diff events, least severe first (the reference's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Suppressed,
    Note,
    Warning,
    Danger,
    Error,
}

impl Severity {
    /// The name the reference prints (`NOTE`, `DANGER`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Suppressed => "SUPPRESSED",
            Severity::Note => "NOTE",
            Severity::Warning => "WARNING",
            Severity::Danger => "DANGER",
            Severity::Error => "ERROR",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text {
            "SUPPRESSED" => Severity::Suppressed,
            "NOTE" => Severity::Note,
            "WARNING" => Severity::Warning,
            "DANGER" => Severity::Danger,
            "ERROR" => Severity::Error,
            _ => return None,
        })
    }

    /// Whether a change of this severity breaks clients (`smithy diff` fails on it).
    pub fn is_breaking(self) -> bool {
        self >= Severity::Danger
    }
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiffEvent {
    pub severity: Severity,
    /// The reference's event ID, with its sub-parts (`ModifiedTrait.Update.smithy.api#tags`).
    pub id: String,
    /// The shape the change is about (members as `ns#Shape$member`).
    pub shape: Option<String>,
    pub message: String,
    /// The reason of the suppression that silenced the event.
    pub reason: Option<String>,
}

impl DiffEvent {
    fn new(id: impl Into<String>, severity: Severity, shape: &str, message: String) -> DiffEvent {
        DiffEvent {
            severity,
            id: id.into(),
            shape: Some(shape.to_string()),
            message,
            reason: None,
        }
    }

    fn without_shape(id: impl Into<String>, severity: Severity, message: String) -> DiffEvent {
        DiffEvent {
            severity,
            id: id.into(),
            shape: None,
            message,
            reason: None,
        }
    }
}

/// A shape present in both models and not equal in them.
#[derive(Clone, Copy)]
pub struct Changed<'a> {
    pub old: &'a FlatShape<'a>,
    pub new: &'a FlatShape<'a>,
}

/// A trait that differs between two versions of a shape: its ID, old value, new value.
pub type TraitChange<'a> = (&'a str, Option<&'a Value>, Option<&'a Value>);

impl<'a> Changed<'a> {
    /// The traits added, removed or changed, by trait ID.
    pub fn trait_changes(&self) -> Vec<TraitChange<'a>> {
        let mut changes: Vec<TraitChange<'a>> = Vec::new();
        for (id, old) in &self.old.traits {
            match self.new.traits.get(id) {
                None => changes.push((id, Some(old), None)),
                Some(new) if new != old => changes.push((id, Some(old), Some(new))),
                Some(_) => {}
            }
        }
        for (id, new) in &self.new.traits {
            if !self.old.traits.contains_key(id) {
                changes.push((id, None, Some(new)));
            }
        }
        changes.sort_by(|a, b| a.0.cmp(b.0));
        changes
    }

    pub fn trait_added(&self, id: &str) -> bool {
        !self.old.has_trait(id) && self.new.has_trait(id)
    }

    pub fn trait_removed(&self, id: &str) -> bool {
        self.old.has_trait(id) && !self.new.has_trait(id)
    }

    pub fn trait_in_both(&self, id: &str) -> bool {
        self.old.has_trait(id) && self.new.has_trait(id)
    }

    /// Both versions' values of a trait, when both have it and they differ.
    pub fn changed_trait(&self, id: &str) -> Option<(&'a Value, &'a Value)> {
        let old = self.old.traits.get(id)?;
        let new = self.new.traits.get(id)?;
        (old != new).then_some((old, new))
    }
}

/// What differs between two models; evaluators read it.
pub struct Differences<'a> {
    pub old: &'a FlatModel<'a>,
    pub new: &'a FlatModel<'a>,
    pub added: Vec<&'a FlatShape<'a>>,
    pub removed: Vec<&'a FlatShape<'a>>,
    pub changed: Vec<Changed<'a>>,
    /// Whether metadata removals and changes are part of these differences (they are not in
    /// the narrower differences `ChangedMemberTarget` evaluates again).
    pub with_metadata: bool,
}

impl<'a> Differences<'a> {
    /// Every difference between two flattened models.
    pub fn detect(old: &'a FlatModel<'a>, new: &'a FlatModel<'a>) -> Differences<'a> {
        let mut removed = Vec::new();
        let mut changed = Vec::new();
        for (id, old_shape) in &old.shapes {
            match new.shapes.get(id) {
                None => removed.push(old_shape),
                Some(new_shape) => {
                    if !same_shape(old, old_shape, new, new_shape) {
                        changed.push(Changed {
                            old: old_shape,
                            new: new_shape,
                        });
                    }
                }
            }
        }
        let added = new
            .shapes
            .iter()
            .filter(|(id, _)| !old.shapes.contains_key(*id))
            .map(|(_, s)| s)
            .collect();
        Differences {
            old,
            new,
            added,
            removed,
            changed,
            with_metadata: true,
        }
    }

    /// The changed shapes whose both versions are of one of the given kinds.
    pub fn changed_of<'s>(
        &'s self,
        kinds: &'s [flat::Kind],
    ) -> impl Iterator<Item = &'s Changed<'a>> + 's {
        self.changed
            .iter()
            .filter(move |c| kinds.contains(&c.old.kind) && kinds.contains(&c.new.kind))
    }
}

/// Shapes are equal when their type, members (in order, and each member), traits, mixins and
/// bindings are; where they are written does not count.
fn same_shape(old: &FlatModel, a: &FlatShape, new: &FlatModel, b: &FlatShape) -> bool {
    a == b
        && a.members.iter().all(|m| {
            let id = a.member_id(m);
            old.shapes.get(&id) == new.shapes.get(&id)
        })
}

/// The changes from `old` to `new`, as `smithy diff` reports them, suppressions and severity
/// overrides of the new model applied; sorted by severity (most severe first), ID, shape and
/// message.
pub fn compare(old: &Model, new: &Model) -> Vec<DiffEvent> {
    // The two sides are independent: flatten them at once.
    let (old, new) = rayon::join(|| FlatModel::new(old), || FlatModel::new(new));
    let differences = Differences::detect(&old, &new);
    let mut events = evaluate(&differences);
    events.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.shape.cmp(&b.shape))
            .then_with(|| a.message.cmp(&b.message))
    });
    events
}

/// Runs every evaluator, in the reference's order, and applies the new model's suppressions
/// and severity overrides.
fn evaluate(differences: &Differences) -> Vec<DiffEvent> {
    let mut events = Vec::new();
    for evaluator in evaluators::ALL {
        evaluator(differences, &mut events);
    }
    let model = differences.new.model;
    for event in &mut events {
        decorate(model, event);
    }
    events
}

/// Suppressions (the `@suppress` trait, the `suppressions` metadata) turn an event other than
/// an ERROR into a SUPPRESSED one; severity overrides may raise it.
fn decorate(model: &Model, event: &mut DiffEvent) {
    use crate::smithy::validate::{severity_overrides, suppression};
    if event.severity == Severity::Error || event.severity == Severity::Suppressed {
        return;
    }
    let subject = event.shape.as_deref();
    if let Some(reason) = suppression(model, &event.id, subject) {
        event.severity = Severity::Suppressed;
        event.reason = reason;
        return;
    }
    for raised in severity_overrides(model, &event.id, subject) {
        if let Some(raised) = Severity::parse(raised) {
            event.severity = event.severity.max(raised);
        }
    }
}

/// Whether a change report fails `smithy diff`: an ERROR or DANGER event.
pub fn is_breaking(events: &[DiffEvent]) -> bool {
    events.iter().any(|e| e.severity.is_breaking())
}
