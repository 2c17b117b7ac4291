//! `Service`: shape names in the closure of a service must be case-insensitively unique (after
//! its renames), and each rename must be valid.

use super::super::ast::ShapeType;
use super::super::model::{MemberIndex, Shape};
use super::super::prelude;
use super::neighbors::{shape_closure, ShapeClosure};
use super::Events;
use crate::diagnostic::Severity;
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in model.shapes.values() {
        if service.shape_type == ShapeType::Service {
            check_service(ev, service);
        }
    }
}

/// The name a shape has in the service: its rename, else its own name.
fn contextual_name<'a>(renames: &'a HashMap<&str, &str>, id: &'a str) -> &'a str {
    renames
        .get(id)
        .copied()
        .unwrap_or_else(|| id.rsplit('#').next().unwrap_or(id))
}

fn check_service(ev: &mut Events, service: &Shape) {
    let model = ev.model;
    let shapes = shape_closure(ev.members, [service.id.as_str()]);
    let renames: HashMap<&str, &str> = service
        .relations
        .rename
        .iter()
        .map(|(from, to)| (from.as_str(), to.as_str()))
        .collect();
    // Grouped by hash, ordered only where names conflict (a few groups of a large closure).
    let mut by_hashed_name: FxHashMap<String, Vec<&str>> = FxHashMap::default();
    for &id in &shapes.shapes {
        by_hashed_name
            .entry(contextual_name(&renames, id).to_lowercase())
            .or_default()
            .push(id);
    }
    let mut by_name: Vec<(String, Vec<&str>)> = by_hashed_name
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .collect();
    by_name.sort_unstable();
    for (_, ids) in &mut by_name {
        ids.sort_unstable();
    }
    let mut detector = ConflictDetector {
        members: ev.members,
        cache: HashMap::new(),
    };
    for (_, ids) in &by_name {
        for subject in ids {
            for other in ids.iter().filter(|o| *o != subject) {
                let severity = detector.detect(subject, other);
                if severity == Some(Severity::Note) || severity.is_none() {
                    // The reference reports benign conflicts of simple shapes as NOTEs; they
                    // are not worth a finding here.
                    continue;
                }
                let mut message = match renames.get(subject) {
                    Some(to) => format!("Renamed shape name \"{to}\""),
                    None => format!("Shape name `{subject}`"),
                };
                message.push_str(&format!(" conflicts with `{other}` "));
                if let Some(to) = renames.get(other) {
                    message.push_str(&format!("(renamed to \"{to}\") "));
                }
                let must = if severity == Some(Severity::Error) {
                    "must"
                } else {
                    "should"
                };
                message.push_str(&format!(
                    "in the `{}` service closure. Shapes in the closure of a service {must} have case-insensitively unique names regardless of their namespaces. Use the `rename` property of the service to disambiguate shape names.",
                    service.id
                ));
                let at = model
                    .shapes
                    .get(subject)
                    .map_or(&service.location, |s| &s.location);
                ev.emit(
                    "Service",
                    severity.unwrap_or(Severity::Error),
                    at,
                    subject,
                    message,
                );
            }
        }
    }
    check_renames(ev, service, &shapes);
}

fn is_identifier(name: &str) -> bool {
    let rest = name.trim_start_matches('_');
    let leading_underscores = rest.len() < name.len();
    let mut chars = rest.chars();
    let first_ok = match chars.next() {
        Some(c) if leading_underscores => c.is_ascii_alphanumeric(),
        Some(c) => c.is_ascii_alphabetic(),
        None => false,
    };
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_renames(ev: &mut Events, service: &Shape, shapes: &ShapeClosure) {
    let model = ev.model;
    let at = &service.location;
    for (from, to) in &service.relations.rename {
        let name = from.rsplit('#').next().unwrap_or(from);
        if !is_identifier(to) {
            ev.error(
                "Service",
                at,
                &service.id,
                format!("Service attempts to rename `{from}` to an invalid identifier, \"{to}\""),
            );
        } else if to == name {
            ev.error(
                "Service",
                at,
                &service.id,
                format!(
                    "Service rename for `{from}` does not actually change the name from `{to}`"
                ),
            );
        }
        if !shapes.contains(from) {
            ev.error(
                "Service",
                at,
                &service.id,
                format!("Service attempts to rename a shape not in the service: {from}"),
            );
            continue;
        }
        let kind = if from.contains('$') {
            Some("member")
        } else {
            match model.shape_type(from) {
                Some(ShapeType::Operation) => Some("operation"),
                Some(ShapeType::Resource) => Some("resource"),
                _ => None,
            }
        };
        if let Some(kind) = kind {
            ev.error("Service", at, &service.id, format!(
                "Service attempts to rename a {kind} shape from `{from}` to \"{to}\"; {kind}s cannot be renamed"
            ));
        }
    }
}

/// What the conflict check compares of a shape: its type ("member" for members), its traits and,
/// for members, its target.
struct View {
    kind: Option<ShapeType>,
    traits: BTreeMap<String, Value>,
    target: Option<String>,
}

fn view(members: &MemberIndex, id: &str) -> Option<View> {
    let model = members.model;
    if id.contains('$') {
        let (_, m) = members.member(id)?;
        return Some(View {
            kind: None,
            traits: m
                .traits
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
            target: Some(m.target.clone()),
        });
    }
    if let Some(shape) = model.shapes.get(id) {
        return Some(View {
            kind: Some(shape.shape_type),
            traits: shape
                .traits
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
            target: None,
        });
    }
    let kind = prelude::absolute_shape_type(id)?;
    let name = id.rsplit('#').next().unwrap_or(id);
    let mut traits = BTreeMap::new();
    if name.starts_with("Primitive") {
        let zero = if kind == ShapeType::Boolean {
            Value::Bool(false)
        } else {
            Value::from(0)
        };
        traits.insert("smithy.api#default".to_string(), zero);
    }
    if name == "Unit" {
        traits.insert(
            "smithy.api#unitType".to_string(),
            Value::Object(Default::default()),
        );
    }
    Some(View {
        kind: Some(kind),
        traits,
        target: None,
    })
}

/// The severity of a name conflict between two shapes, as the reference rates it: an error
/// unless both are simple shapes, lists or sets of the same type with the same traits (and
/// members that do not conflict worse).
struct ConflictDetector<'a> {
    members: &'a MemberIndex<'a>,
    cache: HashMap<(String, String), Option<Severity>>,
}

impl ConflictDetector<'_> {
    fn detect(&mut self, a: &str, b: &str) -> Option<Severity> {
        let key = if a < b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        };
        if let Some(cached) = self.cache.get(&key) {
            return *cached;
        }
        // Guards recursion through members while the answer is being computed.
        self.cache.insert(key.clone(), None);
        let result = self.detect_uncached(a, b);
        self.cache.insert(key, result);
        result
    }

    fn detect_uncached(&mut self, a: &str, b: &str) -> Option<Severity> {
        let (va, vb) = (view(self.members, a)?, view(self.members, b)?);
        let allowed = |v: &View| match v.kind {
            None => true,
            Some(t) => t.is_simple() || matches!(t, ShapeType::List | ShapeType::Set),
        };
        if !allowed(&va) || !allowed(&vb) || va.kind != vb.kind || va.traits != vb.traits {
            return Some(Severity::Error);
        }
        let member_conflict = match (&va.kind, &va.target, &vb.target) {
            (None, Some(ta), Some(tb)) => self.detect(ta, tb),
            (Some(ShapeType::List | ShapeType::Set), _, _) => {
                self.detect(&format!("{a}$member"), &format!("{b}$member"))
            }
            _ => None,
        };
        if let Some(s @ (Severity::Warning | Severity::Error)) = member_conflict {
            return Some(s);
        }
        if va.kind.is_some_and(|t| t.is_simple()) {
            return Some(Severity::Note);
        }
        Some(Severity::Warning)
    }
}
