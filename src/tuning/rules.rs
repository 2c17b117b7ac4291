//! Per-code severities from `[rules]`: the last change to the findings before they are reported.

use crate::diagnostic::{Diagnostic, Severity};
use std::collections::BTreeMap;

/// Whether a code named in a config file or a suppression covers a reported code: the same
/// code, or a refinement of it (`TraitValue` covers `TraitValue.UnknownMember.http.foo`).
pub fn covers(named: &str, code: &str) -> bool {
    code == named
        || code
            .strip_prefix(named)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Code → severity (`None` = off).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules(BTreeMap<String, Option<Severity>>);

impl Rules {
    pub fn new(settings: BTreeMap<String, Option<Severity>>) -> Rules {
        Rules(settings)
    }

    /// The setting of the most specific configured code that covers `code`.
    pub fn setting(&self, code: &str) -> Option<Option<Severity>> {
        self.0
            .iter()
            .filter(|(named, _)| covers(named, code))
            .max_by_key(|(named, _)| named.len())
            .map(|(_, severity)| *severity)
    }

    /// Gives each finding its configured severity and drops the ones turned off.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.0.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| match self.setting(d.code.as_str()) {
            None => true,
            Some(None) => false,
            Some(Some(severity)) => {
                d.severity = severity;
                true
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_codes_and_their_refinements_only() {
        assert!(covers("TraitValue", "TraitValue"));
        assert!(covers("TraitValue", "TraitValue.UnknownMember.x"));
        assert!(!covers("TraitValue", "TraitValueX"));
        assert!(!covers("DEP00", "DEP005"));
    }
}
