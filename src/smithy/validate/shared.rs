//! Helpers used by more than one validator.

use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use std::collections::BTreeSet;

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
    pub(super) path: String,
    /// Path segments: literal text, or a label (`Some(greedy)`).
    pub(super) segments: Vec<(String, Option<bool>)>,
    pub(super) query: String,
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
        path: path.to_string(),
        segments,
        query: query.to_string(),
    }
}

pub(super) fn http_trait(model: &Model, op: &Shape) -> Option<(String, UriPattern)> {
    let http = model.trait_value(op, "smithy.api#http")?;
    let method = http.get("method")?.as_str()?.to_string();
    let uri = http.get("uri")?.as_str()?;
    Some((method, parse_uri(uri)))
}

pub(super) fn service_operations(model: &Model, service: &Shape) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    let mut resources: Vec<String> = Vec::new();
    ops.extend(
        service
            .relations
            .operations
            .iter()
            .map(|r| r.target.clone()),
    );
    resources.extend(service.relations.resources.iter().map(|r| r.target.clone()));
    let mut seen = BTreeSet::new();
    while let Some(id) = resources.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(res) = model.shapes.get(&id) else {
            continue;
        };
        let r = &res.relations;
        ops.extend(
            r.operations
                .iter()
                .chain(&r.collection_operations)
                .chain(r.lifecycle.iter().map(|(_, x)| x))
                .map(|x| x.target.clone()),
        );
        resources.extend(r.resources.iter().map(|x| x.target.clone()));
    }
    ops
}

/// The shape and each of its members, with their IDs and traits.
pub(super) fn owners(shape: &Shape) -> impl Iterator<Item = (String, Option<&Member>, &Traits)> {
    std::iter::once((shape.id.clone(), None, &shape.traits)).chain(
        shape
            .members
            .iter()
            .map(|m| (format!("{}${}", shape.id, m.name), Some(m), &m.traits)),
    )
}
