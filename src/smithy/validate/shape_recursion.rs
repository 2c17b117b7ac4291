//! `ShapeRecursion`: a list, set or map may only recur through a structure or union; a structure
//! may not recur through required members only; a union must have a member that terminates.

use super::super::ast::ShapeType;
use super::super::model::{MemberIndex, Model, Shape};
use super::neighbors::Node;
use super::Events;
use rustc_hash::FxHashSet as HashSet;

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
                    && !terminates(model, shape, &mut HashSet::default()) =>
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
fn collection_step(members: &MemberIndex, from: Node, _: Node) -> bool {
    match from {
        Node::Member(..) => true,
        Node::Shape(id) => !matches!(
            members.model.shape_type(id),
            Some(ShapeType::Structure | ShapeType::Union)
        ),
    }
}

/// Relationships a structure recursion may go through: members, and from a structure only to its
/// required members.
fn required_step(members: &MemberIndex, from: Node, to: Node) -> bool {
    match (from, to) {
        (Node::Member(..), _) => true,
        (Node::Shape(id), _) if members.model.shape_type(id) != Some(ShapeType::Structure) => false,
        (_, Node::Member(_, m)) => m.traits.contains_key("smithy.api#required"),
        _ => false,
    }
}

fn has_required_member(members: &MemberIndex, shape: &Shape) -> bool {
    members
        .each_member(shape)
        .any(|m| m.traits.contains_key("smithy.api#required"))
}

type Step = dyn Fn(&MemberIndex, Node, Node) -> bool;

/// The walk of [`cycles`]: shapes and members by ID, borrowed from the model.
struct Walk<'m, 's> {
    members: &'m MemberIndex<'m>,
    start: &'m str,
    step: &'s Step,
    path: Vec<Node<'m>>,
    on_path: HashSet<(&'m str, &'m str)>,
    visited: HashSet<(&'m str, &'m str)>,
    found: Vec<Vec<String>>,
}

/// Every path from `start` back to `start` over the allowed relationships that visits no shape
/// twice, each without its first element (`start`).
fn cycles<'m>(members: &'m MemberIndex<'m>, start: &'m str, step: &Step) -> Vec<Vec<String>> {
    let mut walk = Walk {
        members,
        start,
        step,
        path: Vec::new(),
        on_path: HashSet::default(),
        visited: HashSet::default(),
        found: Vec::new(),
    };
    walk.from(Node::Shape(start));
    walk.found
}

impl<'m> Walk<'m, '_> {
    fn from(&mut self, at: Node<'m>) {
        for (_, next) in at.neighbors(self.members) {
            if !(self.step)(self.members, at, next) {
                continue;
            }
            if matches!(next, Node::Shape(id) if id == self.start) {
                let cycle = self.path.iter().chain([&next]).map(|n| n.id()).collect();
                self.found.push(cycle);
                continue;
            }
            // A shape that cannot lead back to the start is not searched twice.
            let key = next.key();
            if self.on_path.contains(&key) || !self.visited.insert(key) {
                continue;
            }
            self.on_path.insert(key);
            self.path.push(next);
            self.from(next);
            self.path.pop();
            self.on_path.remove(&key);
        }
    }
}

/// Whether a value of the shape can be written down finitely (the reference's union check).
fn terminates(model: &Model, shape: &Shape, visited: &mut HashSet<String>) -> bool {
    let members = model.members_of(shape);
    let member_terminates = |visited: &mut HashSet<String>, name: &str, target: &str| {
        if !visited.insert(shape.member_id(name)) {
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
