//! What a team tunes: the config file (`plansmith.toml`), which inputs are not plans (excludes,
//! the template), inline suppressions, per-code severities and a baseline of accepted findings.
//!
//! In the `check` pipeline, [`Tuning::select_inputs`] runs right after discovery and
//! [`Tuning::apply`] last, in this order: suppressions, then severities from `[rules]` (`off`
//! removes), then the baseline.

pub mod baseline;
pub mod config;
pub mod rules;
pub mod suppress;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Span};
use crate::discover::InputFile;
use crate::plan::Plan;
pub use baseline::{fingerprints, Baseline};
pub use config::{Config, ConfigChoice, ConfigError, FailOn};
use std::path::{Path, PathBuf};

/// The file name taken for the team's template when the config does not name one.
pub const DEFAULT_TEMPLATE_NAME: &str = "template.md";

#[derive(Debug, Clone, Default)]
pub struct Tuning {
    pub config: Option<Config>,
    pub baseline: Option<Baseline>,
}

impl Tuning {
    /// The inputs to read: without those the config excludes and without the team's template,
    /// unless the file was named on the command line. A note says which file was taken for the
    /// template when no config named it.
    pub fn select_inputs(
        &self,
        inputs: Vec<InputFile>,
        named: &[PathBuf],
    ) -> (Vec<InputFile>, Vec<Diagnostic>) {
        let mut notes = Vec::new();
        let template = self.config.as_ref().and_then(|c| c.template.as_deref());
        let exclude = self
            .config
            .as_ref()
            .and_then(|c| c.exclude.as_ref().zip(Some(&c.dir)));
        let working_dir = std::env::current_dir().unwrap_or_default();
        let kept = inputs
            .into_iter()
            .filter(|input| {
                if input.model_only || named.contains(&input.path) {
                    return true;
                }
                let absolute = || crate::paths::normalise(&working_dir.join(&input.path));
                if let Some((exclude, dir)) = exclude {
                    if excluded(exclude, dir, &absolute(), &input.display) {
                        return false;
                    }
                }
                match template {
                    Some(template) => absolute() != template,
                    None if input.path.file_name() == Some(DEFAULT_TEMPLATE_NAME.as_ref()) => {
                        notes.push(
                            Diagnostic::new(
                                Code::TemplateSkipped,
                                "skipped: a file named template.md is taken for the team's template, not a plan",
                                input.display.clone(),
                                Span::point(1, 1),
                            )
                            .with_help("set `template` in plansmith.toml to name the template (then this file is checked like any plan)"),
                        );
                        false
                    }
                    None => true,
                }
            })
            .collect();
        (kept, notes)
    }

    /// The findings as a team wants them reported: suppressions, severities, baseline. Returns
    /// how many findings the baseline left out.
    pub fn apply(&self, plans: &[Plan], diagnostics: &mut Vec<Diagnostic>) -> usize {
        suppress::apply(plans, diagnostics);
        if let Some(config) = &self.config {
            config.rules.apply(diagnostics);
        }
        // Fingerprints count repeats in report order.
        crate::diagnostic::sort_diagnostics(diagnostics);
        let before = diagnostics.len();
        if let Some(baseline) = &self.baseline {
            baseline.apply(diagnostics);
        }
        before - diagnostics.len()
    }

    /// The IDL version of smithy blocks without `$version`, when the config sets one.
    pub fn smithy_version(&self) -> Option<crate::smithy::ast::IdlVersion> {
        self.config.as_ref().and_then(|c| c.smithy_version)
    }
}

/// Whether an `exclude` glob matches a file or a folder it is in (relative to the config's
/// folder; a file outside that folder is matched by its reported path).
fn excluded(exclude: &globset::GlobSet, dir: &Path, absolute: &Path, display: &str) -> bool {
    let relative = absolute
        .strip_prefix(dir)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| PathBuf::from(display));
    relative
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| exclude.is_match(p))
}
