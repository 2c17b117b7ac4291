//! `HttpUriConflict`: two operations of one service route the same method and URI pattern
//! (and host prefix) to different operations.

use super::shared::{http_trait, io_shape, service_operations, UriPattern};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use std::collections::BTreeMap;

/// The query literals of a URI: `key` and `key=` both mean the empty value.
fn query_literals(query: &str) -> BTreeMap<&str, &str> {
    query
        .split('&')
        .filter(|x| !x.is_empty())
        .map(|x| x.split_once('=').unwrap_or((x, "")))
        .collect()
}

/// Two patterns conflict when they have the same number of segments, each pair of segments
/// is two greedy labels, two plain labels or the same literal, and their query literals are
/// the same (so `/x/{name}` and `/x/{path+}` do not conflict).
fn uris_conflict(a: &UriPattern, b: &UriPattern) -> bool {
    a.segments.len() == b.segments.len()
        && a.segments
            .iter()
            .zip(&b.segments)
            .all(|(x, y)| match (x.1, y.1) {
                (None, None) => x.0 == y.0,
                (Some(g), Some(h)) => g == h,
                _ => false,
            })
        && query_literals(&a.query) == query_literals(&b.query)
}

/// An `@endpoint` host prefix: its literal and label segments (`{name}`), and the `@pattern`
/// of each `@hostLabel` input member that has one.
struct HostPrefix {
    segments: Vec<(String, bool)>,
    patterns: BTreeMap<String, String>,
}

fn host_segments(prefix: &str) -> Vec<(String, bool)> {
    let mut segments = Vec::new();
    let mut rest = prefix;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let Some(close) = rest.find('}') else {
                    segments.push((rest.to_string(), false));
                    break;
                };
                segments.push((rest[1..close].to_string(), true));
                rest = &rest[close + 1..];
            }
            Some(open) => {
                segments.push((rest[..open].to_string(), false));
                rest = &rest[open..];
            }
            None => {
                segments.push((rest.to_string(), false));
                rest = "";
            }
        }
    }
    segments
}

fn host_prefix(model: &Model, op: &Shape) -> Option<HostPrefix> {
    let text = model
        .trait_value(op, "smithy.api#endpoint")?
        .get("hostPrefix")?
        .as_str()?;
    let patterns = io_shape(model, op, true)
        .map(|input| {
            model
                .members_of(input)
                .into_iter()
                .filter(|m| m.traits.contains_key("smithy.api#hostLabel"))
                .filter_map(|m| {
                    let pattern = m.traits.get("smithy.api#pattern")?.value.as_str()?;
                    Some((m.name.clone(), pattern.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(HostPrefix {
        segments: host_segments(text),
        patterns,
    })
}

/// Host prefixes can route to the same host when both are absent, or when, position by
/// position up to the first pair of different literals, every place where one has a label and
/// the other a literal is not ruled out by the label's `@pattern`.
fn hosts_conflict(a: Option<&HostPrefix>, b: Option<&HostPrefix>) -> bool {
    let (a, b) = match (a, b) {
        (None, None) => return true,
        (Some(a), Some(b)) => (a, b),
        _ => return false,
    };
    let mut pairs = Vec::new();
    for (x, y) in a.segments.iter().zip(&b.segments) {
        if x.1 != y.1 {
            pairs.push((x, y));
        } else if !x.1 && x.0 != y.0 {
            break;
        }
    }
    if pairs.is_empty() {
        return true;
    }
    let ruled_out = |(x, y): &(&(String, bool), &(String, bool))| {
        let (label, literal, patterns) = if x.1 {
            (&x.0, &y.0, &a.patterns)
        } else {
            (&y.0, &x.0, &b.patterns)
        };
        patterns
            .get(label)
            .and_then(|p| super::node_value::compiled_pattern(p))
            .is_some_and(|p| !p.is_match(literal))
    };
    !pairs.iter().all(ruled_out)
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in model
        .shapes
        .values()
        .filter(|s| s.shape_type == ShapeType::Service)
    {
        let ops: Vec<(&Shape, String, UriPattern, Option<HostPrefix>)> =
            service_operations(model, service)
                .iter()
                .filter_map(|id| model.shapes.get(id))
                .filter_map(|op| {
                    let (method, uri) = http_trait(model, op)?;
                    let host = host_prefix(model, op);
                    Some((op, method, uri, host))
                })
                .collect();
        for (op, method, uri, host) in &ops {
            let mut conflicts: Vec<String> = ops
                .iter()
                .filter(|(other, m, u, h)| {
                    other.id != op.id
                        && m == method
                        && hosts_conflict(h.as_ref(), host.as_ref())
                        && uris_conflict(uri, u)
                })
                .map(|(other, _, u, _)| format!("`{}` ({})", other.id, u.full()))
                .collect();
            if !conflicts.is_empty() {
                conflicts.sort();
                let full = uri.full();
                ev.error("HttpUriConflict", &op.location, &op.id, format!(
                    "Operation URI, `{full}`, conflicts with other operation URIs in the same service: [{}]",
                    conflicts.join(", ")
                ));
            }
        }
    }
}
