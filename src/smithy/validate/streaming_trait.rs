//! `StreamingTrait`: a structure containing a stream is only an operation's input or output
//! (input only when the stream `@requiresLength`), never a member target or an error; event
//! stream unions only target structures; streaming blob members are `@required` or have a
//! `@default`, and are the `@httpPayload` when the service's protocol supports payloads.

use super::shared::{closure, has_trait, protocol_supports, protocols};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::collections::BTreeSet;

/// A member with the shape it is a member of.
type MemberOf<'m> = (&'m Shape, &'m Member);

/// The shapes whose members target a streaming shape, with that shape; and the members that
/// target a streaming blob without being `@required` or having a `@default`.
fn stream_containers<'m>(
    members: &MemberIndex<'m>,
    streaming: &FxHashSet<&str>,
) -> (Vec<(&'m Shape, &'m str)>, Vec<MemberOf<'m>>) {
    let model = members.model;
    let mut containers = Vec::new();
    let mut optional_blobs = Vec::new();
    for shape in model.shapes.values() {
        let mut seen = BTreeSet::new();
        for m in members.each_member(shape) {
            if !streaming.contains(m.target.as_str()) {
                continue;
            }
            if seen.insert(m.target.as_str()) {
                containers.push((shape, m.target.as_str()));
            }
            if model.shape_type(&m.target) == Some(ShapeType::Blob)
                && !m.traits.contains_key("smithy.api#required")
                && !m.traits.contains_key("smithy.api#default")
            {
                optional_blobs.push((shape, m));
            }
        }
    }
    (containers, optional_blobs)
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
        for m in members.each_member(shape) {
            if let Some(list) = uses.get_mut(m.target.as_str()) {
                list.push(Use::Member(shape, m));
            }
        }
    }
    uses
}

/// Where a container of a stream is referred to from, and how.
fn check_references(ev: &mut Events, container: &Shape, stream: &str, uses: &[Use]) {
    let requires_length = has_trait(ev.model, stream, "smithy.api#requiresLength");
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
                ev.error("StreamingTrait", &m.location, &shape.member_id(&m.name), format!(
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
    let streaming = ev.shapes_having("smithy.api#streaming");
    if streaming.is_empty() {
        return check_unions(ev);
    }
    let (containers, optional_blobs) = stream_containers(members, &streaming);
    if !containers.is_empty() {
        let uses = uses_of(members, &containers);
        for (container, stream) in &containers {
            check_references(ev, container, stream, &uses[container.id.as_str()]);
        }
    }
    check_unions(ev);
    // Only the members that target a stream without `@httpPayload` can break the rule; without
    // one, no service's closure needs walking.
    let unbound: Vec<&str> = containers
        .iter()
        .filter(|(shape, _)| {
            members.each_member(shape).any(|m| {
                streaming.contains(m.target.as_str())
                    && !m.traits.contains_key("smithy.api#httpPayload")
            })
        })
        .map(|(shape, _)| shape.id.as_str())
        .collect();
    if unbound.is_empty() {
        return report_optional_blobs(ev, optional_blobs);
    }
    let reaching = shapes_reaching(ev, &unbound);
    let services = ev.shapes_of(ShapeType::Service);
    for service in services.filter(|s| reaching.as_ref().is_none_or(|r| r.contains(s.id.as_str())))
    {
        let supports_payload = protocols(model, service)
            .iter()
            .any(|(_, d)| protocol_supports(d, "smithy.api#httpPayload"));
        if !supports_payload {
            continue;
        }
        for shape in closure(members, service) {
            for m in members.each_member(shape) {
                if !m.traits.contains_key("smithy.api#httpPayload")
                    && streaming.contains(m.target.as_str())
                {
                    let member_id = shape.member_id(&m.name);
                    ev.error("StreamingTrait", &m.location, &member_id, format!(
                        "Member `{member_id}` referencing @streaming shape `{}` must have the @httpPayload trait, as service `{}` has a protocol that supports @httpPayload.",
                        m.target, service.id
                    ));
                }
            }
        }
    }
    report_optional_blobs(ev, optional_blobs);
}

fn report_optional_blobs(ev: &mut Events, optional_blobs: Vec<MemberOf>) {
    for (shape, m) in optional_blobs {
        ev.error("StreamingTrait", &m.location, &shape.member_id(&m.name), "Members that target blobs marked with the `streaming` trait MUST also be marked with the `required` or `default` trait.".to_string());
    }
}

/// The shapes whose closure (see [`closure`]) holds one of `targets`, found by walking the
/// relationships backwards from them: only the services among them need their closure walked
/// (each service's walk reads its whole closure; the 402 AWS models have 402 of them). `None`
/// when an enum member targets a shape other than `Unit`: a closure follows that member, the
/// relationships do not, and every service must be walked.
fn shapes_reaching<'m>(ev: &Events<'m>, targets: &[&'m str]) -> Option<FxHashSet<&'m str>> {
    let enums = ev
        .shapes_of(ShapeType::Enum)
        .chain(ev.shapes_of(ShapeType::IntEnum));
    let enum_targets = |shape: &'m Shape| ev.members.each_member(shape).map(|m| m.target.as_str());
    if enums.flat_map(enum_targets).any(|t| t != "smithy.api#Unit") {
        return None;
    }
    let reverse = ev.reverse_relations();
    let mut reached: FxHashSet<&str> = targets.iter().copied().collect();
    let mut todo: Vec<&str> = targets.to_vec();
    while let Some(id) = todo.pop() {
        for referrer in reverse.to(id) {
            if reached.insert(&referrer.shape.id) {
                todo.push(&referrer.shape.id);
            }
        }
    }
    Some(reached)
}

/// Event stream unions only target structures.
fn check_unions(ev: &mut Events) {
    let model = ev.model;
    for union in ev.shapes_of(ShapeType::Union) {
        if !model.has_trait(union, "smithy.api#streaming") {
            continue;
        }
        let invalid: Vec<&str> = ev
            .members
            .each_member(union)
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
}
