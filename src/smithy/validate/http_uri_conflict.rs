//! `HttpUriConflict`: two operations of one service route the same method and URI pattern
//! (and host prefix) to different operations.

use super::shared::{http_trait, service_operations, UriPattern};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use std::collections::BTreeSet;

/// Two patterns conflict when they have the same number of segments and every pair of
/// segments is the same literal or two labels, and their query literals do not tell them
/// apart.
fn uris_conflict(a: &UriPattern, b: &UriPattern) -> bool {
    if a.segments.len() != b.segments.len() {
        let greedy = |p: &UriPattern| p.segments.iter().any(|(_, l)| *l == Some(true));
        if !(greedy(a) || greedy(b)) {
            return false;
        }
    }
    let same = a
        .segments
        .iter()
        .zip(&b.segments)
        .all(|(x, y)| match (&x.1, &y.1) {
            (None, None) => x.0 == y.0,
            (Some(_), Some(_)) => true,
            _ => false,
        });
    if !same || a.segments.len() != b.segments.len() {
        return false;
    }
    let literals = |q: &str| -> BTreeSet<String> {
        q.split('&')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    literals(&a.query) == literals(&b.query)
}

/// Host prefixes (`@endpoint`) can route to the same host when they are both absent, or when
/// each dot-separated part is equal or a `{label}` on either side.
/// A label whose input member is constrained by `@pattern` is assumed to tell the hosts apart.
fn hosts_conflict(a: Option<&HostPrefix>, b: Option<&HostPrefix>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let (pa, pb): (Vec<&str>, Vec<&str>) =
                (a.text.split('.').collect(), b.text.split('.').collect());
            let open = |p: &str, host: &HostPrefix| {
                p.strip_prefix('{')
                    .and_then(|l| l.strip_suffix('}'))
                    .is_some_and(|l| !host.patterned.contains(l))
            };
            pa.len() == pb.len()
                && pa
                    .iter()
                    .zip(&pb)
                    .all(|(x, y)| x == y || open(x, a) || open(y, b))
        }
        _ => false,
    }
}

/// An `@endpoint` host prefix and its labels bound to `@pattern`-constrained members.
struct HostPrefix {
    text: String,
    patterned: BTreeSet<String>,
}

fn host_prefix(model: &Model, op: &Shape) -> Option<HostPrefix> {
    let text = model
        .trait_value(op, "smithy.api#endpoint")?
        .get("hostPrefix")?
        .as_str()?
        .to_string();
    let input = op
        .relations
        .input
        .as_ref()
        .and_then(|r| model.shapes.get(&r.target));
    let patterned = input
        .map(|i| {
            model
                .members_of(i)
                .into_iter()
                .filter(|m| {
                    m.traits.contains_key("smithy.api#pattern")
                        || model
                            .shapes
                            .get(&m.target)
                            .is_some_and(|t| t.traits.contains_key("smithy.api#pattern"))
                })
                .map(|m| m.name.clone())
                .collect()
        })
        .unwrap_or_default();
    Some(HostPrefix { text, patterned })
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
            let conflicts: Vec<String> = ops
                .iter()
                .filter(|(other, m, u, h)| {
                    other.id != op.id
                        && m == method
                        && hosts_conflict(h.as_ref(), host.as_ref())
                        && uris_conflict(uri, u)
                })
                .map(|(other, _, u, _)| {
                    let full = if u.query.is_empty() {
                        u.path.clone()
                    } else {
                        format!("{}?{}", u.path, u.query)
                    };
                    format!("`{}` ({full})", other.id)
                })
                .collect();
            if !conflicts.is_empty() {
                let full = if uri.query.is_empty() {
                    uri.path.clone()
                } else {
                    format!("{}?{}", uri.path, uri.query)
                };
                ev.error("HttpUriConflict", &op.location, &op.id, format!(
                    "Operation URI, `{full}`, conflicts with other operation URIs in the same service: [{}]",
                    conflicts.join(", ")
                ));
            }
        }
    }
}
