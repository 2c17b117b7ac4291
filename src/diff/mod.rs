//! `plansmith diff`: what changed between two revisions of the plans. Both sides are checked
//! as `check` checks a folder ([`crate::check::check`]); the Smithy models are compared as
//! `smithy diff` compares them ([`crate::smithy::diff`]) and the plans by their metadata,
//! dependencies, acceptance checklists and diagrams ([`plans`]).
//!
//! Architecture Invariant: this module produces data (a [`Report`]); the formats it is printed
//! in live in `report::diff`, and exit codes in the CLI.

pub mod base;
pub mod plans;
pub mod revision;

use crate::check::Checked;
use crate::smithy::diff::{self as smithy_diff, DiffEvent};
use crate::smithy::model::{Location, Model};
pub use plans::{PlanChange, PlanChangeKind};
use std::collections::BTreeMap;

/// Everything that changed from one side to the other.
#[derive(Debug, Clone)]
pub struct Report {
    /// How the user named the two sides (a revision or a path).
    pub base: String,
    pub head: String,
    /// Smithy changes, most severe first.
    pub smithy: Vec<DiffEvent>,
    /// Plan changes, by plan path.
    pub plans: Vec<PlanChange>,
    /// Where each shape of a Smithy event is defined: in the head, or in the base for shapes
    /// that are gone.
    pub locations: BTreeMap<String, Location>,
    /// The compared folder's path relative to the head run's root (plan changes name plans
    /// relative to the compared folder).
    pub head_prefix: String,
}

/// What makes a diff fail: `breaking` changes (ERROR or DANGER Smithy events, a new
/// dependency cycle), also `warning`s (WARNING events, slipped target dates), or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Breaking,
    Warning,
    Never,
}

impl Report {
    /// Compares two checked runs of one folder (`old_prefix` and `new_prefix`: the folder's
    /// path relative to each run's root, empty when it is the root).
    pub fn new(
        base: String,
        head: String,
        (old, old_prefix): (&Checked, &str),
        (new, new_prefix): (&Checked, &str),
    ) -> Report {
        let side = |checked, prefix| plans::Side { checked, prefix };
        // The model and the plans are compared independently, at once.
        let (smithy, plans) = rayon::join(
            || smithy_diff::compare(&old.model, &new.model),
            || plans::compare(side(old, old_prefix), side(new, new_prefix)),
        );
        let locations = smithy
            .iter()
            .filter_map(|e| e.shape.as_deref())
            .filter_map(|shape| {
                let at = locate(&new.model, shape).or_else(|| locate(&old.model, shape))?;
                Some((shape.to_string(), at))
            })
            .collect();
        Report {
            base,
            head,
            smithy,
            plans,
            locations,
            head_prefix: new_prefix.to_string(),
        }
    }

    /// The head run's path of a plan a plan change names.
    pub fn head_path(&self, plan: &str) -> String {
        if self.head_prefix.is_empty() {
            plan.to_string()
        } else {
            format!("{}/{plan}", self.head_prefix)
        }
    }

    /// Whether anything breaking changed.
    pub fn is_breaking(&self) -> bool {
        smithy_diff::is_breaking(&self.smithy) || self.plans.iter().any(|c| c.kind.is_breaking())
    }

    /// Whether something changed that deserves a warning (breaking changes included).
    pub fn has_warnings(&self) -> bool {
        self.is_breaking()
            || self
                .smithy
                .iter()
                .any(|e| e.severity == smithy_diff::Severity::Warning)
            || self.plans.iter().any(|c| c.kind.is_warning())
    }

    /// Whether the diff fails under the given rule.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Breaking => self.is_breaking(),
            FailOn::Warning => self.has_warnings(),
            FailOn::Never => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.smithy.is_empty() && self.plans.is_empty()
    }
}

/// Where a shape or member is defined in a model.
fn locate(model: &Model, id: &str) -> Option<Location> {
    let (root, member) = match id.split_once('$') {
        Some((root, member)) => (root, Some(member)),
        None => (id, None),
    };
    let shape = model.shapes.get(root)?;
    match member {
        Some(name) => model
            .members_of(shape)
            .into_iter()
            .find(|m| m.name == name)
            .map(|m| m.location.clone()),
        None => Some(shape.location.clone()),
    }
}
