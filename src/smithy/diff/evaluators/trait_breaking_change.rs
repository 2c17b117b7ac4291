//! Trait changes that the trait's definition declares breaking with `breakingChanges` rules
//! (`TraitBreakingChange`), for traits of the model and of the prelude.

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatModel, FlatShape, Kind};
use crate::smithy::diff::node::ticked;
use crate::smithy::diff::trait_rules::{breaking_rules, ChangeType, OwnedRule};
use crate::smithy::diff::{DiffEvent, Differences};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in &d.changed {
        for (trait_id, old, new) in change.trait_changes() {
            let Some(rules) = breaking_rules(d.new, trait_id) else {
                continue;
            };
            let definition = d.new.shapes.get(trait_id);
            for rule in &rules {
                let checker = PathChecker {
                    model: d.new,
                    trait_id,
                    definition,
                    shape: &change.new.id,
                    rule,
                };
                checker.check(
                    old.unwrap_or(&Value::Null),
                    new.unwrap_or(&Value::Null),
                    out,
                );
            }
        }
    }
}

struct PathChecker<'a> {
    model: &'a FlatModel<'a>,
    trait_id: &'a str,
    /// The trait's shape in the model; `None` for prelude traits, whose values are walked by
    /// their JSON structure.
    definition: Option<&'a FlatShape<'a>>,
    shape: &'a str,
    rule: &'a OwnedRule,
}

impl PathChecker<'_> {
    fn check(&self, old: &Value, new: &Value, out: &mut Vec<DiffEvent>) {
        // Nested paths are only compared while the trait is still there.
        if new.is_null() && !self.rule.path.is_empty() {
            return;
        }
        let mut old_values = BTreeMap::new();
        let mut new_values = BTreeMap::new();
        self.extract(&mut old_values, self.definition, 0, old, String::new());
        self.extract(&mut new_values, self.definition, 0, new, String::new());
        for (path, old_value) in &old_values {
            let new_value = new_values.get(path).copied().unwrap_or(&Value::Null);
            self.compare(path, old_value, new_value, out);
        }
        for (path, new_value) in &new_values {
            if !old_values.contains_key(path) {
                self.compare(path, &Value::Null, new_value, out);
            }
        }
    }

    /// The values the rule's path selects, by their concrete path (`/items/0/name`).
    fn extract<'v>(
        &self,
        result: &mut BTreeMap<String, &'v Value>,
        shape: Option<&FlatShape>,
        position: usize,
        value: &'v Value,
        path: String,
    ) {
        let Some(segment) = self.rule.path.get(position).filter(|s| !s.is_empty()) else {
            result.insert(path, value);
            return;
        };
        let Some(shape) = shape else {
            // A prelude trait: objects are structures, arrays lists.
            match value {
                Value::Array(items) if segment == "member" => {
                    for (i, item) in items.iter().enumerate() {
                        self.extract(result, None, position + 1, item, format!("{path}/{i}"));
                    }
                }
                Value::Object(members) => {
                    let next = members.get(segment.as_str()).unwrap_or(&Value::Null);
                    self.extract(
                        result,
                        None,
                        position + 1,
                        next,
                        format!("{path}/{segment}"),
                    );
                }
                _ => {}
            }
            return;
        };
        let Some(next) = self
            .model
            .member(shape, segment)
            .and_then(|m| m.target.as_deref())
            .and_then(|t| self.model.get(t))
        else {
            return;
        };
        match (shape.kind, value) {
            (Kind::Shape(ShapeType::List | ShapeType::Set), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.extract(
                        result,
                        Some(next),
                        position + 1,
                        item,
                        format!("{path}/{i}"),
                    );
                }
            }
            (Kind::Shape(ShapeType::Map), Value::Object(entries)) => {
                for (key, item) in entries {
                    self.extract(
                        result,
                        Some(next),
                        position + 1,
                        item,
                        format!("{path}/{key}"),
                    );
                }
            }
            (Kind::Shape(ShapeType::Structure | ShapeType::Union), Value::Object(members)) => {
                let item = members.get(segment.as_str()).unwrap_or(&Value::Null);
                self.extract(
                    result,
                    Some(next),
                    position + 1,
                    item,
                    format!("{path}/{segment}"),
                );
            }
            _ => {}
        }
    }

    fn compare(&self, path: &str, old: &Value, new: &Value, out: &mut Vec<DiffEvent>) {
        if old.is_null() && new.is_null() {
            return;
        }
        let Some(change) = breaking_change(self.rule.change, old, new) else {
            return;
        };
        let mut message = self.message(change, path, old, new);
        if let Some(extra) = &self.rule.message {
            if !message.ends_with('.') {
                message.push_str("; ");
            }
            message.push_str(extra);
        }
        let id = format!("TraitBreakingChange.{}.{}", change.title(), self.trait_id);
        out.push(DiffEvent::new(id, self.rule.severity, self.shape, message));
    }

    fn message(&self, change: ChangeType, path: &str, old: &Value, new: &Value) -> String {
        let t = self.trait_id;
        let empty = |v: &Value| v.as_object().is_some_and(|o| o.is_empty());
        match change {
            ChangeType::Add if !path.is_empty() => format!(
                "Added trait contents to `{t}` at path `{path}` with value {}",
                ticked(new)
            ),
            ChangeType::Add if empty(new) => format!("Added trait `{t}`"),
            ChangeType::Add => format!("Added trait `{t}` with value {}", ticked(new)),
            ChangeType::Remove if !path.is_empty() => format!(
                "Removed trait contents from `{t}` at path `{path}`. Removed value: {}",
                ticked(old)
            ),
            ChangeType::Remove if empty(old) => format!("Removed trait `{t}`"),
            ChangeType::Remove => {
                format!("Removed trait `{t}`. Previous trait value: {}", ticked(old))
            }
            _ if !path.is_empty() => format!(
                "Changed trait contents of `{t}` at path `{path}` from {} to {}",
                ticked(old),
                ticked(new)
            ),
            _ => format!(
                "Changed trait `{t}` from {} to {}",
                ticked(old),
                ticked(new)
            ),
        }
    }
}

/// Which change (add, remove, update) a rule's change type finds between two values.
fn breaking_change(rule: ChangeType, old: &Value, new: &Value) -> Option<ChangeType> {
    let candidates: &[ChangeType] = match rule {
        ChangeType::Any => &[ChangeType::Add, ChangeType::Remove, ChangeType::Update],
        ChangeType::Presence => &[ChangeType::Add, ChangeType::Remove],
        ChangeType::Add => &[ChangeType::Add],
        ChangeType::Remove => &[ChangeType::Remove],
        ChangeType::Update => &[ChangeType::Update],
    };
    candidates.iter().copied().find(|c| match c {
        ChangeType::Add => old.is_null() && !new.is_null(),
        ChangeType::Remove => new.is_null() && !old.is_null(),
        ChangeType::Update => !old.is_null() && !new.is_null() && old != new,
        ChangeType::Presence | ChangeType::Any => false,
    })
}
