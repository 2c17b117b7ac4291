//! Helpers used by more than one validator.

use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn describe(model: &Model, id: &str) -> String {
    let t = if id.contains('$') {
        "member"
    } else {
        model.shape_type(id).map_or("unknown", ShapeType::as_str)
    };
    format!("({t}: `{id}`)")
}

pub(super) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

pub(super) fn has_trait(model: &Model, id: &str, trait_id: &str) -> bool {
    model
        .shapes
        .get(id)
        .is_some_and(|s| model.has_trait(s, trait_id))
}

pub(super) fn trait_display(id: &str) -> String {
    match id.strip_prefix("smithy.api#") {
        Some(short) => short.to_string(),
        None => id.to_string(),
    }
}

// ---- HttpLabelTrait and HttpUriConflict ----

pub(super) struct UriPattern {
    /// Path segments: literal text, or a label (`Some(greedy)`).
    pub(super) segments: Vec<(String, Option<bool>)>,
    pub(super) query: String,
    /// The URI as written.
    pub(super) text: String,
}

impl UriPattern {
    /// The URI as written, as the reference prints a pattern.
    pub(super) fn full(&self) -> &str {
        &self.text
    }
}

pub(super) fn parse_uri(uri: &str) -> UriPattern {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                Some(label) => match label.strip_suffix('+') {
                    Some(l) => (l.to_string(), Some(true)),
                    None => (label.to_string(), Some(false)),
                },
                None => (s.to_string(), None),
            },
        )
        .collect();
    UriPattern {
        segments,
        query: query.to_string(),
        text: uri.to_string(),
    }
}

pub(super) fn http_trait(model: &Model, op: &Shape) -> Option<(String, UriPattern)> {
    let http = model.trait_value(op, "smithy.api#http")?;
    let method = http.get("method")?.as_str()?.to_string();
    let uri = http.get("uri")?.as_str()?;
    Some((method, parse_uri(uri)))
}

pub(super) fn service_operations(model: &Model, service: &Shape) -> BTreeSet<String> {
    let mut ops: BTreeSet<String> = service
        .relations
        .operations
        .iter()
        .map(|r| r.target.clone())
        .collect();
    for res in service_resources(model, service) {
        let r = &res.relations;
        ops.extend(
            r.operations
                .iter()
                .chain(&r.collection_operations)
                .chain(r.lifecycle.iter().map(|(_, x)| x))
                .map(|x| x.target.clone()),
        );
    }
    ops
}

/// The resources of the model a service binds, directly or through other resources, in ID
/// order (the reference's contained resources).
pub(super) fn service_resources<'a>(model: &'a Model, service: &Shape) -> Vec<&'a Shape> {
    let mut found: BTreeMap<&str, &Shape> = BTreeMap::new();
    let mut todo: Vec<&str> = service
        .relations
        .resources
        .iter()
        .map(|r| r.target.as_str())
        .collect();
    while let Some(id) = todo.pop() {
        let Some(res) = model.shapes.get(id) else {
            continue;
        };
        if res.shape_type != ShapeType::Resource || found.insert(&res.id, res).is_some() {
            continue;
        }
        todo.extend(res.relations.resources.iter().map(|x| x.target.as_str()));
    }
    found.into_values().collect()
}

/// The shape or member a trait is applied to. Its ID is written only when an event names it:
/// a validator that looks at every shape and member of a large model would otherwise format a
/// million member IDs for the few it reports.
#[derive(Clone, Copy)]
pub(super) struct Owner<'m> {
    shape: &'m Shape,
    member: Option<&'m Member>,
}

impl<'m> Owner<'m> {
    pub(super) fn shape(shape: &'m Shape) -> Owner<'m> {
        Owner {
            shape,
            member: None,
        }
    }

    pub(super) fn member(shape: &'m Shape, member: &'m Member) -> Owner<'m> {
        Owner {
            shape,
            member: Some(member),
        }
    }

    /// The shape, then each of its members, with the traits applied to each.
    pub(super) fn all_of(shape: &'m Shape) -> impl Iterator<Item = (Owner<'m>, &'m Traits)> {
        let members = shape.members.iter();
        std::iter::once((Owner::shape(shape), &shape.traits))
            .chain(members.map(move |m| (Owner::member(shape, m), &m.traits)))
    }

    /// `ns#Shape` or `ns#Shape$member`.
    pub(super) fn id(&self) -> String {
        match self.member {
            Some(m) => format!("{}${}", self.shape.id, m.name),
            None => self.shape.id.clone(),
        }
    }
}

/// [`owners`] that carry one trait: the member IDs of the others are never needed.
pub(super) fn owners_with<'a>(
    shape: &'a Shape,
    trait_id: &'a str,
) -> impl Iterator<Item = (String, Option<&'a Member>, &'a Traits)> {
    let itself = shape
        .traits
        .contains_key(trait_id)
        .then(|| (shape.id.clone(), None, &shape.traits));
    let members = shape
        .members
        .iter()
        .filter(move |m| m.traits.contains_key(trait_id))
        .map(|m| (shape.member_id(&m.name), Some(m), &m.traits));
    itself.into_iter().chain(members)
}

/// `` `a`, `b` ``: the items sorted and ticked, as the reference lists them.
pub(super) fn ticked<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let mut items: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    items.sort();
    let ticked: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    ticked.join(", ")
}

/// The structure an operation's `input` (or `output`) targets; `None` for `Unit`.
pub(super) fn io_shape<'a>(model: &'a Model, op: &Shape, input: bool) -> Option<&'a Shape> {
    let r = if input {
        &op.relations.input
    } else {
        &op.relations.output
    };
    r.as_ref().and_then(|r| model.shapes.get(&r.target))
}

/// Where the location of a trait on a shape or member is, else the owner's.
pub(super) fn trait_at(traits: &Traits, trait_id: &str, owner: &Location) -> Location {
    traits
        .get(trait_id)
        .map_or_else(|| owner.clone(), |t| t.location.clone())
}

/// Where a member of a structure is bound in an HTTP message.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum HttpLocation {
    Header,
    PrefixHeaders,
    Query,
    QueryParams,
    Payload,
    Label,
    ResponseCode,
    /// Serialized in the body document.
    Document,
    /// Not bound at all, because another member is the `@httpPayload`.
    Unbound,
}

/// The HTTP bindings of a request (input) or response (output or error) structure, as the
/// reference's `HttpBindingIndex` computes them.
pub(super) fn http_bindings<'a>(
    model: &'a Model,
    structure: Option<&'a Shape>,
    request: bool,
) -> Vec<(&'a Member, HttpLocation)> {
    let Some(structure) = structure else {
        return Vec::new();
    };
    let mut bindings = Vec::new();
    let mut found_payload = false;
    for m in model.members_of(structure) {
        let has = |t: &str| m.traits.contains_key(t);
        let location = if has("smithy.api#httpHeader") {
            HttpLocation::Header
        } else if has("smithy.api#httpPrefixHeaders") {
            HttpLocation::PrefixHeaders
        } else if request && has("smithy.api#httpQuery") {
            HttpLocation::Query
        } else if request && has("smithy.api#httpQueryParams") {
            HttpLocation::QueryParams
        } else if has("smithy.api#httpPayload") {
            found_payload = true;
            HttpLocation::Payload
        } else if request && has("smithy.api#httpLabel") {
            HttpLocation::Label
        } else if !request && has("smithy.api#httpResponseCode") {
            HttpLocation::ResponseCode
        } else {
            HttpLocation::Document
        };
        bindings.push((m, location));
    }
    if found_payload {
        for (_, location) in &mut bindings {
            if *location == HttpLocation::Document {
                *location = HttpLocation::Unbound;
            }
        }
    }
    bindings
}

/// The shapes a service's protocol traits (traits whose definition is a
/// `@protocolDefinition`) are, with the protocol definition's value, in ID order.
pub(super) fn protocols<'a>(
    model: &'a Model,
    service: &Shape,
) -> Vec<(&'a str, &'a serde_json::Value)> {
    service
        .traits
        .keys()
        .filter_map(|id| {
            let def = model.shapes.get(id)?;
            let value = model.trait_value(def, "smithy.api#protocolDefinition")?;
            Some((def.id.as_str(), value))
        })
        .collect()
}

/// Whether a protocol definition lists a trait among the traits it supports.
pub(super) fn protocol_supports(definition: &serde_json::Value, trait_id: &str) -> bool {
    definition
        .get("traits")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|traits| traits.iter().any(|t| t.as_str() == Some(trait_id)))
}

/// Every shape of the model reachable from a shape through members, mixins and relationships
/// (not traits), the shape itself included, in no particular order. Hashed: IDs share long
/// prefixes, and an ordered set compared them on every step of every service's walk.
pub(super) fn closure<'a>(members: &MemberIndex<'a>, start: &'a Shape) -> Vec<&'a Shape> {
    let model = members.model;
    let mut seen: FxHashSet<&str> = FxHashSet::from_iter([start.id.as_str()]);
    let mut found = Vec::new();
    let mut todo = vec![start];
    while let Some(shape) = todo.pop() {
        found.push(shape);
        let member_targets = members.each_member(shape).map(|m| m.target.as_str());
        let bound = shape.bindings().map(|x| x.target.as_str());
        for id in member_targets.chain(bound) {
            if seen.insert(id) {
                todo.extend(model.shapes.get(id));
            }
        }
    }
    found
}
