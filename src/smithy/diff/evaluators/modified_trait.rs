//! Traits added, removed or changed on a shape (`ModifiedTrait`), rated by the `diff.*` tags of
//! the trait's definition, and inside trait values tagged `diff.contents`, by the tags of the
//! members the values belong to.

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatModel, FlatShape, Kind};
use crate::smithy::diff::node::ticked;
use crate::smithy::diff::trait_rules::{modified_trait_strategies, strategies_of_tags, DiffType};
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use serde_json::Value;

/// Traits added and removed for compatibility or derived from others.
const IGNORED: [&str; 4] = [
    "smithy.api#box",
    "smithy.api#required",
    "smithy.synthetic#enum",
    "smithy.synthetic#originalShapeId",
];

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in &d.changed {
        for (trait_id, old, new) in change.trait_changes() {
            if IGNORED.contains(&trait_id) {
                continue;
            }
            for strategy in modified_trait_strategies(d.new, trait_id) {
                let check = Check {
                    model: d.new,
                    shape: &change.new.id,
                    trait_id,
                };
                if strategy.diff_type == DiffType::Contents {
                    if let (Some(old), Some(new), Some(definition)) =
                        (old, new, d.new.shapes.get(trait_id))
                    {
                        check.crawl(definition, Some(old), Some(new), "", out);
                    }
                } else {
                    check.validate(strategy.diff_type, "", old, new, strategy.severity, out);
                }
            }
        }
    }
}

/// One trait change being checked: the shape it is on and the trait.
struct Check<'a> {
    model: &'a FlatModel<'a>,
    shape: &'a str,
    trait_id: &'a str,
}

impl Check<'_> {
    fn validate(
        &self,
        diff_type: DiffType,
        path: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        severity: Severity,
        out: &mut Vec<DiffEvent>,
    ) {
        let t = self.trait_id;
        let message = match (diff_type, old, new) {
            (DiffType::Const, _, _) => {
                for each in [DiffType::Add, DiffType::Remove, DiffType::Update] {
                    self.validate(each, path, old, new, severity, out);
                }
                return;
            }
            (DiffType::Add, None, Some(new)) if path.is_empty() => {
                format!("Added trait `{t}` with value {}", ticked(new))
            }
            (DiffType::Add, None, Some(new)) => format!(
                "Added trait contents to `{t}` at path `{path}` with value {}",
                ticked(new)
            ),
            (DiffType::Remove, Some(old), None) if path.is_empty() => {
                format!("Removed trait `{t}`. Previous trait value: {}", ticked(old))
            }
            (DiffType::Remove, Some(old), None) => format!(
                "Removed trait contents from `{t}` at path `{path}`. Removed value: {}",
                ticked(old)
            ),
            (DiffType::Update, Some(old), Some(new)) if old != new => {
                if path.is_empty() {
                    format!(
                        "Changed trait `{t}` from {} to {}",
                        ticked(old),
                        ticked(new)
                    )
                } else {
                    format!(
                        "Changed trait contents of `{t}` at path `{path}` from {} to {}",
                        ticked(old),
                        ticked(new)
                    )
                }
            }
            _ => return,
        };
        let id = format!("ModifiedTrait.{}.{t}", diff_type.title());
        out.push(DiffEvent::new(id, severity, self.shape, message));
    }

    /// Walks a trait value along the shape that defines it, checking each member by its tags.
    fn crawl(
        &self,
        shape: &FlatShape,
        old: Option<&Value>,
        new: Option<&Value>,
        path: &str,
        out: &mut Vec<DiffEvent>,
    ) {
        match shape.kind {
            Kind::Member => {
                for strategy in strategies_of_tags(shape.tags(), false) {
                    self.validate(strategy.diff_type, path, old, new, strategy.severity, out);
                }
                if let Some(target) = shape.target.as_deref().and_then(|t| self.model.get(t)) {
                    self.crawl(target, old, new, path, out);
                }
            }
            Kind::Shape(ShapeType::List | ShapeType::Set) => {
                let (Some(Value::Array(old)), Some(Value::Array(new))) = (old, new) else {
                    return;
                };
                let Some(member) = self.model.member(shape, "member") else {
                    return;
                };
                for (i, element) in old.iter().enumerate() {
                    self.crawl(
                        member,
                        Some(element),
                        new.get(i),
                        &format!("{path}/{i}"),
                        out,
                    );
                }
                for (i, element) in new.iter().enumerate().skip(old.len()) {
                    self.crawl(member, None, Some(element), &format!("{path}/{i}"), out);
                }
            }
            Kind::Shape(ShapeType::Map) => {
                let (Some(Value::Object(old)), Some(Value::Object(new))) = (old, new) else {
                    return;
                };
                let Some(value) = self.model.member(shape, "value") else {
                    return;
                };
                for (key, element) in old {
                    self.crawl(
                        value,
                        Some(element),
                        new.get(key),
                        &format!("{path}/{key}"),
                        out,
                    );
                }
                for (key, element) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
                    self.crawl(value, None, Some(element), &format!("{path}/{key}"), out);
                }
            }
            Kind::Shape(ShapeType::Structure | ShapeType::Union) => {
                let (Some(Value::Object(old)), Some(Value::Object(new))) = (old, new) else {
                    return;
                };
                for member in self.model.members(shape) {
                    let name = member.member_name().unwrap_or_default();
                    let (a, b) = (old.get(name), new.get(name));
                    if a.is_some() || b.is_some() {
                        self.crawl(member, a, b, &format!("{path}/{name}"), out);
                    }
                }
            }
            Kind::Shape(_) => {}
        }
    }
}
