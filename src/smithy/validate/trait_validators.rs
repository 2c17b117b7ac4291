//! `TraitValidators`: the `@traitValidators` of a trait definition. Every key must be a valid
//! event ID (a namespace: dot-separated identifiers); when all are, each validator's selector
//! runs from every shape the trait is applied to, and each shape it yields gets an event with
//! the key as its ID, the validator's severity (ERROR unless given) and message.

use super::trait_target::trait_location;
use super::Events;
use crate::diagnostic::Severity;
use crate::smithy::lexeme;
use crate::smithy::model::{Location, Model};
use crate::smithy::selector::{NodeId, Selector, ShapeIndex};
use serde_json::{Map, Value};

const TRAIT_VALIDATORS: &str = "smithy.api#traitValidators";

/// One entry of `@traitValidators`, ready to run.
struct Constraint<'a> {
    event_id: &'a str,
    selector: Selector,
    severity: &'a str,
    message: Option<&'a str>,
}

/// An event found, before it is reported (the selector index borrows the events).
struct Found {
    event_id: String,
    severity: String,
    at: Location,
    shape: String,
    message: String,
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let index = ev.selector_index();
    let mut found = Vec::new();
    for &definition in index.with_trait(TRAIT_VALIDATORS) {
        let node = index.node(definition);
        let Some(validators) = node
            .traits()
            .get(TRAIT_VALIDATORS)
            .and_then(|v| v.as_object())
        else {
            continue;
        };
        let invalid: Vec<&String> = validators.keys().filter(|k| !is_event_id(k)).collect();
        for key in &invalid {
            found.push(Found {
                event_id: "TraitValidators".to_string(),
                severity: "ERROR".to_string(),
                at: trait_location(model, &node.id(), TRAIT_VALIDATORS),
                shape: node.id().into_owned(),
                message: format!("`{TRAIT_VALIDATORS}` key is not a valid event ID: `{key}`"),
            });
        }
        if !invalid.is_empty() {
            continue;
        }
        let constraints = constraints(validators);
        for &applied in index.with_trait(&node.id()) {
            let applied_id = index.node(applied).id();
            for c in &constraints {
                let suffix = c.message.map_or(String::new(), |m| format!(": {m}"));
                let message = format!(
                    "Found an incompatible shape when validating the constraints of the `{}` trait attached to `{applied_id}`{suffix}",
                    node.id()
                );
                for shape in c.selector.select_from(index, std::iter::once(applied)) {
                    found.push(Found {
                        event_id: c.event_id.to_string(),
                        severity: c.severity.to_string(),
                        at: node_location(model, index, shape),
                        shape: index.node(shape).id().into_owned(),
                        message: message.clone(),
                    });
                }
            }
        }
    }
    for f in found {
        let (id, at, shape, message) = (&f.event_id, &f.at, &f.shape, f.message);
        match f.severity.as_str() {
            "DANGER" => ev.danger(id, at, shape, message),
            "WARNING" => ev.emit(id, Severity::Warning, at, shape, message),
            "NOTE" | "SUPPRESSED" => ev.emit(id, Severity::Note, at, shape, message),
            _ => ev.error(id, at, shape, message),
        }
    }
}

/// The validators with a selector that parses (one that does not makes the trait value
/// invalid, which the trait value check reports).
fn constraints(validators: &Map<String, Value>) -> Vec<Constraint<'_>> {
    validators
        .iter()
        .filter_map(|(key, validator)| {
            let text = validator.get("selector")?.as_str()?;
            Some(Constraint {
                event_id: key,
                selector: Selector::parse(text).ok()?,
                severity: validator
                    .get("severity")
                    .and_then(Value::as_str)
                    .unwrap_or("ERROR"),
                message: validator.get("message").and_then(Value::as_str),
            })
        })
        .collect()
}

/// An event ID as the reference accepts it: a namespace (`Identifier *("." Identifier)`).
fn is_event_id(key: &str) -> bool {
    lexeme::namespace(key).is_ok_and(|(rest, _)| rest.is_empty())
}

/// Where a shape (or member, possibly inherited from a mixin) of the selector index was defined.
pub(super) fn node_location(model: &Model, index: &ShapeIndex, node: NodeId) -> Location {
    let n = index.node(node);
    let Some(shape) = n.shape else {
        return Location::default();
    };
    match n.member() {
        Some(name) => model
            .members_of(shape)
            .into_iter()
            .find(|m| m.name == name)
            .map_or_else(|| shape.location.clone(), |m| m.location.clone()),
        None => shape.location.clone(),
    }
}
