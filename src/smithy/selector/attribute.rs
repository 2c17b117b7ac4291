//! Attribute values (`id`, `service`, `trait|…`, `var|…`, node values and projections) and the
//! comparators between them, with the semantics of the Smithy specification: string comparators
//! need both sides present, projections match when any of their values matches, `{…}`
//! comparators treat projections as sets.

use super::index::{NodeId, ShapeIndex};
use super::Scope;
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Equals,
    NotEquals,
    StartsWith,
    EndsWith,
    Contains,
    Exists,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Subset,
    ProperSubset,
    SetEquals,
    SetNotEquals,
}

/// Variables of one evaluation path: the shapes each `$name(…)` captured.
pub type Vars = [Option<std::rc::Rc<Vec<NodeId>>>];

#[derive(Debug, Clone)]
pub enum AttrValue<'a> {
    Empty,
    Literal(String),
    Node(&'a Value),
    Projection(Vec<AttrValue<'a>>),
    /// A shape ID (`id`, the keys of `trait|(keys)`; a member's is written when asked).
    Id(Cow<'a, str>),
    Service(NodeId),
    Traits(NodeId),
    Shape(NodeId),
    Variables,
}

impl<'a> AttrValue<'a> {
    pub fn is_present(&self) -> bool {
        match self {
            AttrValue::Empty => false,
            AttrValue::Node(v) => !v.is_null(),
            AttrValue::Projection(values) => !values.is_empty(),
            _ => true,
        }
    }

    /// The value as a string for comparisons: scalars and IDs; objects, arrays and
    /// projections are the empty string.
    pub fn text(&self, index: &ShapeIndex) -> String {
        match self {
            AttrValue::Literal(s) => s.clone(),
            AttrValue::Node(Value::String(s)) => s.clone(),
            AttrValue::Node(Value::Number(n)) => n.to_string(),
            AttrValue::Node(Value::Bool(b)) => b.to_string(),
            AttrValue::Id(id) => id.to_string(),
            AttrValue::Service(n) | AttrValue::Shape(n) => index.node(*n).id().into_owned(),
            _ => String::new(),
        }
    }

    /// The value as the reference prints it in messages (`@{…}` in templates): nodes as
    /// compact JSON, projections as a sorted `[a, b]` list.
    pub fn message_text(&self, index: &ShapeIndex) -> String {
        match self {
            AttrValue::Node(v) => serde_json::to_string(v).unwrap_or_default(),
            AttrValue::Projection(_) => {
                let mut parts: Vec<String> = self
                    .flattened()
                    .iter()
                    .map(|v| v.message_text(index))
                    .collect();
                parts.sort();
                format!("[{}]", parts.join(", "))
            }
            other => other.text(index),
        }
    }

    pub fn flattened(&self) -> Vec<&AttrValue<'a>> {
        match self {
            AttrValue::Projection(values) => values.iter().flat_map(|v| v.flattened()).collect(),
            other => vec![other],
        }
    }

    pub fn property(&self, scope: &Scope<'a>, key: &str) -> AttrValue<'a> {
        let index = scope.index;
        match self {
            AttrValue::Empty => AttrValue::Empty,
            AttrValue::Literal(s) => match key {
                "(length)" => length(s.chars().count()),
                _ => AttrValue::Empty,
            },
            AttrValue::Node(v) => node_property(v, key),
            AttrValue::Projection(values) => {
                if key == "(first)" {
                    return self
                        .flattened()
                        .first()
                        .map_or(AttrValue::Empty, |v| (*v).clone());
                }
                AttrValue::Projection(
                    values
                        .iter()
                        .map(|v| v.property(scope, key))
                        .filter(AttrValue::is_present)
                        .collect(),
                )
            }
            AttrValue::Id(id) => id_property(id, key),
            AttrValue::Service(n) => match key {
                "version" => index
                    .node(*n)
                    .version()
                    .map_or(AttrValue::Empty, |v| AttrValue::Literal(v.to_string())),
                "id" => AttrValue::Id(index.node(*n).id()),
                _ => AttrValue::Empty,
            },
            AttrValue::Traits(n) => {
                let traits = index.node(*n).traits();
                match key {
                    "(keys)" => AttrValue::Projection(
                        traits
                            .keys()
                            .map(|k| AttrValue::Id(Cow::Borrowed(k)))
                            .collect(),
                    ),
                    "(values)" => {
                        AttrValue::Projection(traits.values().map(AttrValue::Node).collect())
                    }
                    "(length)" => length(traits.len()),
                    name => {
                        let absolute = if name.contains('#') {
                            Cow::Borrowed(name)
                        } else {
                            Cow::Owned(format!("smithy.api#{name}"))
                        };
                        traits
                            .get(absolute.as_ref())
                            .map_or(AttrValue::Empty, AttrValue::Node)
                    }
                }
            }
            AttrValue::Shape(n) => match key {
                "trait" => AttrValue::Traits(*n),
                "id" => AttrValue::Id(index.node(*n).id()),
                "service" if index.node(*n).is_service() => AttrValue::Service(*n),
                "var" => AttrValue::Variables,
                _ => AttrValue::Empty,
            },
            AttrValue::Variables => AttrValue::Projection(
                scope
                    .variables
                    .iter()
                    .position(|name| name == key)
                    .and_then(|slot| scope.vars.get(slot).cloned().flatten())
                    .map(|shapes| shapes.iter().map(|s| AttrValue::Shape(*s)).collect())
                    .unwrap_or_default(),
            ),
        }
    }

    pub fn path(self, scope: &Scope<'a>, path: &[String]) -> AttrValue<'a> {
        let mut current = self;
        for key in path {
            if !current.is_present() {
                break;
            }
            current = current.property(scope, key);
        }
        current
    }
}

fn length(n: usize) -> AttrValue<'static> {
    AttrValue::Literal(n.to_string())
}

fn node_property<'a>(v: &'a Value, key: &str) -> AttrValue<'a> {
    match v {
        Value::Object(o) => match key {
            "(keys)" => {
                AttrValue::Projection(o.keys().map(|k| AttrValue::Literal(k.clone())).collect())
            }
            "(values)" => AttrValue::Projection(o.values().map(AttrValue::Node).collect()),
            "(length)" => length(o.len()),
            _ => o.get(key).map_or(AttrValue::Empty, AttrValue::Node),
        },
        Value::Array(a) => match key {
            "(values)" => AttrValue::Projection(a.iter().map(AttrValue::Node).collect()),
            "(length)" => length(a.len()),
            _ => AttrValue::Empty,
        },
        Value::String(s) if key == "(length)" => length(s.chars().count()),
        _ => AttrValue::Empty,
    }
}

fn id_property(id: &str, key: &str) -> AttrValue<'static> {
    let (namespace, rest) = id.split_once('#').unwrap_or(("", id));
    let (name, member) = match rest.split_once('$') {
        Some((n, m)) => (n, Some(m)),
        None => (rest, None),
    };
    match key {
        "name" => AttrValue::Literal(name.to_string()),
        "namespace" => AttrValue::Literal(namespace.to_string()),
        "member" => member.map_or(AttrValue::Empty, |m| AttrValue::Literal(m.to_string())),
        "(length)" => length(id.chars().count()),
        _ => AttrValue::Empty,
    }
}

/// A decimal number's value, for the numeric comparators; `None` when the text is not a number.
fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    let valid = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
    if valid {
        t.parse::<f64>().ok().filter(|n| n.is_finite())
    } else {
        None
    }
}

impl Comparator {
    pub fn compare(
        self,
        index: &ShapeIndex,
        lhs: &AttrValue,
        rhs: &AttrValue,
        case_insensitive: bool,
    ) -> bool {
        match self {
            Comparator::Exists => {
                let want = rhs.text(index);
                (lhs.is_present() && want == "true") || (!lhs.is_present() && want == "false")
            }
            Comparator::Subset => {
                both_projections(lhs, rhs) && subset(index, lhs, rhs, case_insensitive)
            }
            Comparator::ProperSubset => {
                both_projections(lhs, rhs)
                    && subset(index, lhs, rhs, case_insensitive)
                    && !subset(index, rhs, lhs, case_insensitive)
            }
            Comparator::SetEquals => set_equals(index, lhs, rhs, case_insensitive),
            Comparator::SetNotEquals => !set_equals(index, lhs, rhs, case_insensitive),
            _ => lhs.flattened().iter().any(|l| {
                rhs.flattened()
                    .iter()
                    .any(|r| self.compare_scalars(index, l, r, case_insensitive))
            }),
        }
    }

    fn compare_scalars(
        self,
        index: &ShapeIndex,
        lhs: &AttrValue,
        rhs: &AttrValue,
        case_insensitive: bool,
    ) -> bool {
        if !lhs.is_present() || !rhs.is_present() {
            return false;
        }
        let (mut l, mut r) = (lhs.text(index), rhs.text(index));
        if case_insensitive {
            l = l.to_lowercase();
            r = r.to_lowercase();
        }
        let numeric = |want: fn(Ordering) -> bool| match (number(&l), number(&r)) {
            (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(want),
            _ => false,
        };
        match self {
            Comparator::Equals => l == r,
            Comparator::NotEquals => l != r,
            Comparator::StartsWith => l.starts_with(&r),
            Comparator::EndsWith => l.ends_with(&r),
            Comparator::Contains => l.contains(&r),
            Comparator::Greater => numeric(|o| o == Ordering::Greater),
            Comparator::GreaterOrEqual => numeric(|o| o != Ordering::Less),
            Comparator::Less => numeric(|o| o == Ordering::Less),
            Comparator::LessOrEqual => numeric(|o| o != Ordering::Greater),
            _ => false,
        }
    }
}

fn both_projections(a: &AttrValue, b: &AttrValue) -> bool {
    matches!(a, AttrValue::Projection(_)) && matches!(b, AttrValue::Projection(_))
}

/// Every value of `a` equals some value of `b` (projections behave as sets).
fn subset(index: &ShapeIndex, a: &AttrValue, b: &AttrValue, case_insensitive: bool) -> bool {
    let b_values = b.flattened();
    a.flattened().iter().all(|x| {
        b_values
            .iter()
            .any(|y| Comparator::Equals.compare(index, x, y, case_insensitive))
    })
}

fn set_equals(index: &ShapeIndex, a: &AttrValue, b: &AttrValue, case_insensitive: bool) -> bool {
    both_projections(a, b)
        && subset(index, a, b, case_insensitive)
        && subset(index, b, a, case_insensitive)
}
