//! `StreamingTrait`: a structure containing a stream is only an operation's input or output
//! (input only when the stream `@requiresLength`), never a member target or an error; event
//! stream unions only target structures; streaming blob members are `@required` or have a
//! `@default`, and are the `@httpPayload` when the service's protocol supports payloads.

use super::shared::{closure, protocol_supports, protocols, shapes_of};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use std::collections::{BTreeSet, HashMap};

fn has(model: &Model, id: &str, trait_id: &str) -> bool {
    model
        .shapes
        .get(id)
        .is_some_and(|s| model.has_trait(s, trait_id))
}

/// The shapes whose members target a streaming shape, with that shape.
fn stream_containers<'m>(members: &MemberIndex<'m>) -> Vec<(&'m Shape, &'m str)> {
    let model = members.model;
    let mut out = Vec::new();
    for shape in model.shapes.values() {
        let mut seen = BTreeSet::new();
        for m in members.members(shape) {
            if has(model, &m.target, "smithy.api#streaming") && seen.insert(m.target.as_str()) {
                out.push((shape, m.target.as_str()));
            }
        }
    }
    out
}

/// How a shape refers to a structure that contains a stream.
enum Use<'m> {
    Output(&'m Shape),
    Error(&'m Shape),
    Member(&'m Shape, &'m Member),
}

/// The uses of each container, in shape ID order, found in one walk over the model: walking the
/// model once per container would make this quadratic.
fn uses_of<'m>(
    members: &MemberIndex<'m>,
    containers: &[(&'m Shape, &'m str)],
) -> HashMap<&'m str, Vec<Use<'m>>> {
    let mut uses: HashMap<&'m str, Vec<Use<'m>>> = containers
        .iter()
        .map(|(c, _)| (c.id.as_str(), Vec::new()))
        .collect();
    for shape in members.model.shapes.values() {
        let r = &shape.relations;
        if let Some(list) = r
            .output
            .as_ref()
            .and_then(|o| uses.get_mut(o.target.as_str()))
        {
            list.push(Use::Output(shape));
        }
        let mut errors: Vec<&str> = Vec::new();
        for e in &r.errors {
            if !errors.contains(&e.target.as_str()) {
                errors.push(&e.target);
                if let Some(list) = uses.get_mut(e.target.as_str()) {
                    list.push(Use::Error(shape));
                }
            }
        }
        for m in members.members(shape) {
            if let Some(list) = uses.get_mut(m.target.as_str()) {
                list.push(Use::Member(shape, m));
            }
        }
    }
    uses
}

/// Where a container of a stream is referred to from, and how.
fn check_references(ev: &mut Events, container: &Shape, stream: &str, uses: &[Use]) {
    let requires_length = has(ev.model, stream, "smithy.api#requiresLength");
    for used in uses {
        match *used {
            Use::Output(shape) if requires_length => {
                ev.error("StreamingTrait", &container.location, &container.id, format!(
                    "Structures that contain a reference to a stream marked with the @requiresLength trait can only be used as operation inputs, but this structure is referenced from `{}` as output",
                    shape.id
                ));
            }
            Use::Output(_) => {}
            Use::Error(shape) => {
                ev.error("StreamingTrait", &shape.location, &shape.id, format!(
                    "This shape has an invalid `ERROR` relationship to a structure, `{}`, that contains a stream",
                    container.id
                ));
            }
            Use::Member(shape, m) => {
                ev.error("StreamingTrait", &m.location, &format!("{}${}", shape.id, m.name), format!(
                    "Members cannot target structures that contain a stream, but this member targets {}",
                    container.id
                ));
            }
        }
    }
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let members = ev.members;
    let containers = stream_containers(members);
    if !containers.is_empty() {
        let uses = uses_of(members, &containers);
        for (container, stream) in &containers {
            check_references(ev, container, stream, &uses[container.id.as_str()]);
        }
    }
    for union in shapes_of(model, ShapeType::Union) {
        if !model.has_trait(union, "smithy.api#streaming") {
            continue;
        }
        let invalid: Vec<&str> = members
            .members(union)
            .into_iter()
            .filter(|m| {
                model
                    .shape_type(&m.target)
                    .is_some_and(|t| t != ShapeType::Structure)
            })
            .map(|m| m.name.as_str())
            .collect();
        if !invalid.is_empty() {
            ev.error("StreamingTrait", &union.location, &union.id, format!(
                "Each member of an event stream union must target a structure shape, but the following union members do not: [{}]",
                invalid.join(", ")
            ));
        }
    }
    for service in shapes_of(model, ShapeType::Service) {
        let supports_payload = protocols(model, service)
            .iter()
            .any(|(_, d)| protocol_supports(d, "smithy.api#httpPayload"));
        if !supports_payload {
            continue;
        }
        for id in closure(model, service) {
            let Some(shape) = model.shapes.get(id) else {
                continue;
            };
            for m in members.members(shape) {
                if !m.traits.contains_key("smithy.api#httpPayload")
                    && has(model, &m.target, "smithy.api#streaming")
                {
                    let member_id = format!("{}${}", shape.id, m.name);
                    ev.error("StreamingTrait", &m.location, &member_id, format!(
                        "Member `{member_id}` referencing @streaming shape `{}` must have the @httpPayload trait, as service `{}` has a protocol that supports @httpPayload.",
                        m.target, service.id
                    ));
                }
            }
        }
    }
    for shape in model.shapes.values() {
        for m in members.members(shape) {
            let streaming_blob = model.shape_type(&m.target) == Some(ShapeType::Blob)
                && has(model, &m.target, "smithy.api#streaming");
            if streaming_blob
                && !m.traits.contains_key("smithy.api#required")
                && !m.traits.contains_key("smithy.api#default")
            {
                ev.error("StreamingTrait", &m.location, &format!("{}${}", shape.id, m.name), "Members that target blobs marked with the `streaming` trait MUST also be marked with the `required` or `default` trait.".to_string());
            }
        }
    }
}
