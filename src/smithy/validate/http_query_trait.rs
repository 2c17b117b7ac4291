//! `HttpQueryTrait`: one query parameter is bound by one member of a structure, and not also a
//! literal in the query of the `@http` URI of an operation that uses the structure as input.

use super::shared::{http_trait, ticked};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::Shape;
use std::collections::{BTreeMap, HashMap};

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // The operations that take each structure as input (in ID order), found once: asking every
    // operation about every structure would make this quadratic.
    let mut by_input: HashMap<&str, Vec<&Shape>> = HashMap::new();
    for op in ev.shapes_of(ShapeType::Operation) {
        if let Some(input) = &op.relations.input {
            by_input.entry(input.target.as_str()).or_default().push(op);
        }
    }
    let structures = ev.carriers("smithy.api#httpQuery");
    for structure in structures.filter(|s| s.shape_type == ShapeType::Structure) {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for m in ev.members.members(structure) {
            if let Some(name) = m
                .traits
                .get("smithy.api#httpQuery")
                .and_then(|t| t.value.as_str())
            {
                by_name.entry(name).or_default().push(&m.name);
            }
        }
        if by_name.is_empty() {
            continue;
        }
        for (name, members) in by_name.iter().filter(|(_, m)| m.len() > 1) {
            ev.error("HttpQueryTrait", &structure.location, &structure.id, format!(
                "`httpQuery` parameter name binding conflicts found for the `{name}` parameter in the following structure members: {}",
                ticked(members)
            ));
        }
        let users = by_input.get(structure.id.as_str()).into_iter().flatten();
        for &op in users {
            let Some((_, uri)) = http_trait(model, op) else {
                continue;
            };
            let literals = uri.query.split('&').filter(|q| !q.is_empty());
            for key in literals.map(|q| q.split_once('=').map_or(q, |(k, _)| k)) {
                if by_name.contains_key(key) {
                    let full = uri.full();
                    ev.error("HttpQueryTrait", &structure.location, &structure.id, format!(
                        "`httpQuery` name `{key}` conflicts with the `http` trait of the `{}` operation: `{full}`",
                        op.id
                    ));
                }
            }
        }
    }
}
