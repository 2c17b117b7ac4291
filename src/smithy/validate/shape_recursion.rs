//! `ShapeRecursion`: a list, set or map may only recur through a structure or union; a structure
//! may not recur through required members only; a union must have a member that terminates.

use super::super::ast::ShapeType;
use super::super::model::{MemberIndex, Model, Shape};
use super::neighbors::{neighbors, Relationship};
use super::Events;
use std::collections::HashSet;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        match shape.shape_type {
            ShapeType::List | ShapeType::Set | ShapeType::Map => {
                for path in cycles(ev.members, &shape.id, &collection_step) {
                    ev.error("ShapeRecursion", &shape.location, &shape.id, format!(
                        "Found invalid shape recursion: {}. A recursive list, set, or map shape is only valid if an intermediate reference is through a union or structure.",
                        path.join(" > ")
                    ));
                }
            }
            // The first step out of a structure is to one of its required members: without
            // one there is no cycle to look for (most structures of a large model).
            ShapeType::Structure if has_required_member(ev.members, shape) => {
                for path in cycles(ev.members, &shape.id, &required_step) {
                    ev.error("ShapeRecursion", &shape.location, &shape.id, format!(
                        "Found invalid shape recursion: {}. A structure cannot be mutually recursive through all required members.",
                        path.join(" > ")
                    ));
                }
            }
            ShapeType::Union
                if !model.members_of(shape).is_empty()
                    && !terminates(model, shape, &mut HashSet::new()) =>
            {
                ev.error(
                    "ShapeRecursion",
                    &shape.location,
                    &shape.id,
                    "It is impossible to create instances of this recursive union".to_string(),
                );
            }
            _ => {}
        }
    }
}

/// Relationships a list, set or map recursion may go through: none leaving a structure or union.
fn collection_step(members: &MemberIndex, from: &str, _: Relationship, _: &str) -> bool {
    from.contains('$')
        || !matches!(
            members.model.shape_type(from),
            Some(ShapeType::Structure | ShapeType::Union)
        )
}

/// Relationships a structure recursion may go through: members, and from a structure only to its
/// required members.
fn required_step(members: &MemberIndex, from: &str, _: Relationship, to: &str) -> bool {
    if from.contains('$') {
        return true;
    }
    if members.model.shape_type(from) == Some(ShapeType::Structure) {
        return members
            .member(to)
            .is_some_and(|(_, m)| m.traits.contains_key("smithy.api#required"));
    }
    false
}

fn has_required_member(members: &MemberIndex, shape: &Shape) -> bool {
    members
        .members(shape)
        .iter()
        .any(|m| m.traits.contains_key("smithy.api#required"))
}

type Step = dyn Fn(&MemberIndex, &str, Relationship, &str) -> bool;

/// Every path from `start` back to `start` over the allowed relationships that visits no shape
/// twice, each without its first element (`start`).
fn cycles(members: &MemberIndex, start: &str, step: &Step) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut on_path: HashSet<String> = HashSet::new();
    let mut visited: HashSet<String> = HashSet::new();
    walk(
        members,
        start,
        start,
        step,
        &mut path,
        &mut on_path,
        &mut visited,
        &mut found,
    );
    found
}

#[allow(clippy::too_many_arguments)]
fn walk(
    members: &MemberIndex,
    start: &str,
    at: &str,
    step: &Step,
    path: &mut Vec<String>,
    on_path: &mut HashSet<String>,
    visited: &mut HashSet<String>,
    found: &mut Vec<Vec<String>>,
) {
    for (kind, next) in neighbors(members, at) {
        if !step(members, at, kind, &next) {
            continue;
        }
        if next == start {
            let mut cycle = path.clone();
            cycle.push(next);
            found.push(cycle);
            continue;
        }
        // A shape that cannot lead back to the start is not searched twice.
        if on_path.contains(&next) || !visited.insert(next.clone()) {
            continue;
        }
        on_path.insert(next.clone());
        path.push(next.clone());
        walk(members, start, &next, step, path, on_path, visited, found);
        path.pop();
        on_path.remove(&next);
    }
}

/// Whether a value of the shape can be written down finitely (the reference's union check).
fn terminates(model: &Model, shape: &Shape, visited: &mut HashSet<String>) -> bool {
    let members = model.members_of(shape);
    let member_terminates = |visited: &mut HashSet<String>, name: &str, target: &str| {
        if !visited.insert(format!("{}${name}", shape.id)) {
            return false;
        }
        match model.shapes.get(target) {
            Some(t) => terminates(model, t, visited),
            None => true,
        }
    };
    match shape.shape_type {
        ShapeType::Structure => {
            let required =
                |m: &&&super::super::model::Member| m.traits.contains_key("smithy.api#required");
            if members.is_empty() || members.iter().any(|m| !required(&m)) {
                return true;
            }
            members
                .iter()
                .any(|m| member_terminates(visited, &m.name, &m.target))
        }
        ShapeType::Union => members
            .iter()
            .any(|m| member_terminates(visited, &m.name, &m.target)),
        _ => true,
    }
}
