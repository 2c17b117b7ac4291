//! `HttpQueryTrait`: one query parameter is bound by one member of a structure, and not also a
//! literal in the query of the `@http` URI of an operation that uses the structure as input.

use super::shared::{http_trait, shapes_of, ticked};
use super::Events;
use crate::smithy::ast::ShapeType;
use std::collections::BTreeMap;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for structure in shapes_of(model, ShapeType::Structure) {
        let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for m in model.members_of(structure) {
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
        for op in shapes_of(model, ShapeType::Operation) {
            if op.relations.input.as_ref().map(|r| r.target.as_str()) != Some(&structure.id) {
                continue;
            }
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
