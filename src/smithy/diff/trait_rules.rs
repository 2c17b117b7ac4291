//! What a trait definition says about changes to its values: the `breakingChanges` rules of
//! `@trait` and the `diff.*` tags, for traits of the model and of the prelude.

use super::flat::FlatModel;
use super::{prelude_rules, Severity};
use serde_json::Value;

/// The kinds of change a `breakingChanges` rule names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeType {
    Add,
    Remove,
    Update,
    Presence,
    Any,
}

impl ChangeType {
    fn parse(text: &str) -> Option<ChangeType> {
        Some(match text {
            "add" => ChangeType::Add,
            "remove" => ChangeType::Remove,
            "update" => ChangeType::Update,
            "presence" => ChangeType::Presence,
            "any" => ChangeType::Any,
            _ => return None,
        })
    }

    /// The name in event IDs (`Add`, `Remove`, `Update`).
    pub fn title(self) -> &'static str {
        match self {
            ChangeType::Add => "Add",
            ChangeType::Remove => "Remove",
            ChangeType::Update => "Update",
            ChangeType::Presence => "Presence",
            ChangeType::Any => "Any",
        }
    }
}

/// One `breakingChanges` rule, with the path split into its segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub path: &'static [&'static str],
    pub change: ChangeType,
    pub severity: Severity,
    pub message: Option<&'static str>,
}

/// A rule read from a model: the same, with owned text.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedRule {
    pub path: Vec<String>,
    pub change: ChangeType,
    pub severity: Severity,
    pub message: Option<String>,
}

impl From<&Rule> for OwnedRule {
    fn from(rule: &Rule) -> OwnedRule {
        OwnedRule {
            path: rule.path.iter().map(|s| s.to_string()).collect(),
            change: rule.change,
            severity: rule.severity,
            message: rule.message.map(str::to_string),
        }
    }
}

/// The `breakingChanges` rules of a trait as the new model defines it (none when the model
/// does not define the trait).
pub fn breaking_rules(model: &FlatModel, trait_id: &str) -> Option<Vec<OwnedRule>> {
    if let Some(shape) = model.shapes.get(trait_id) {
        let definition = shape.traits.get("smithy.api#trait")?;
        let rules = definition
            .get("breakingChanges")
            .and_then(Value::as_array)
            .map(|rules| rules.iter().filter_map(read_rule).collect())
            .unwrap_or_default();
        return Some(rules);
    }
    if crate::smithy::prelude::trait_def(trait_id.strip_prefix("smithy.api#")?).is_some()
        || trait_id == "smithy.api#enumValue"
    {
        let rules = prelude_rules::rules(trait_id).unwrap_or(&[]);
        return Some(rules.iter().map(OwnedRule::from).collect());
    }
    None
}

fn read_rule(value: &Value) -> Option<OwnedRule> {
    let change = ChangeType::parse(value.get("change")?.as_str()?)?;
    let path = value
        .get("path")
        .and_then(Value::as_str)
        .map(json_pointer)
        .unwrap_or_default();
    let severity = value
        .get("severity")
        .and_then(Value::as_str)
        .and_then(Severity::parse)
        .unwrap_or(Severity::Error);
    Some(OwnedRule {
        path,
        change,
        severity,
        message: value
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// The segments of a JSON pointer (`/a/b~1c` → `a`, `b/c`); the empty pointer has none.
fn json_pointer(pointer: &str) -> Vec<String> {
    match pointer.strip_prefix('/') {
        None => Vec::new(),
        Some(rest) => rest
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    }
}

/// How `ModifiedTrait` checks a kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffType {
    Add,
    Remove,
    Update,
    Const,
    Contents,
}

impl DiffType {
    pub fn title(self) -> &'static str {
        match self {
            DiffType::Add => "Add",
            DiffType::Remove => "Remove",
            DiffType::Update => "Update",
            DiffType::Const => "Const",
            DiffType::Contents => "Contents",
        }
    }
}

/// A `diff.*` tag: the check and its severity (`diff.contents` has none of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strategy {
    pub diff_type: DiffType,
    pub severity: Severity,
}

/// The strategies of a list of tags; `diff.contents` only where contents may be crawled (on
/// a trait definition, not on its members).
pub fn strategies_of_tags<'a>(
    tags: impl IntoIterator<Item = &'a str>,
    allow_contents: bool,
) -> Vec<Strategy> {
    tags.into_iter()
        .filter_map(|tag| {
            if tag == "diff.contents" {
                return allow_contents.then_some(Strategy {
                    diff_type: DiffType::Contents,
                    severity: Severity::Note,
                });
            }
            let rest = tag.strip_prefix("diff.")?;
            let (severity, kind) = rest.split_once('.')?;
            let severity = match severity {
                "error" => Severity::Error,
                "danger" => Severity::Danger,
                "warning" => Severity::Warning,
                _ => return None,
            };
            let diff_type = match kind {
                "add" => DiffType::Add,
                "remove" => DiffType::Remove,
                "update" => DiffType::Update,
                "const" => DiffType::Const,
                _ => return None,
            };
            Some(Strategy {
                diff_type,
                severity,
            })
        })
        .collect()
}

const DEFAULT_STRATEGIES: [Strategy; 3] = [
    Strategy {
        diff_type: DiffType::Add,
        severity: Severity::Note,
    },
    Strategy {
        diff_type: DiffType::Update,
        severity: Severity::Note,
    },
    Strategy {
        diff_type: DiffType::Remove,
        severity: Severity::Warning,
    },
];

/// How `ModifiedTrait` checks changes to a trait: its definition's diff tags; nothing when
/// the definition has `breakingChanges` rules (`TraitBreakingChange` reports those); notes
/// and a warning on removal for other defined traits; a warning on any change to a trait the
/// new model does not define.
pub fn modified_trait_strategies(model: &FlatModel, trait_id: &str) -> Vec<Strategy> {
    let Some(rules) = breaking_rules(model, trait_id) else {
        return vec![Strategy {
            diff_type: DiffType::Const,
            severity: Severity::Warning,
        }];
    };
    let tagged = match model.shapes.get(trait_id) {
        Some(shape) => strategies_of_tags(shape.tags(), true),
        None => strategies_of_tags(prelude_rules::tags(trait_id).iter().copied(), true),
    };
    if !tagged.is_empty() {
        tagged
    } else if !rules.is_empty() {
        Vec::new()
    } else {
        DEFAULT_STRATEGIES.to_vec()
    }
}
