//! `plansmith.toml`: found upward from the inputs (or named with `--config`), read with serde so
//! that an unknown key, an unknown code or a bad value is a diagnostic at its line and column.

use super::rules::Rules;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::paths::{absolute, common_ancestor, normalise};
use crate::smithy::ast::IdlVersion;
use crate::source::SourceText;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name looked for in the inputs' folders and their parents.
pub const CONFIG_FILE_NAME: &str = "plansmith.toml";

/// The lowest severity that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

/// A severity a team may give a code in `[rules]`; `off` removes its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RuleSetting {
    Off,
    Note,
    Warning,
    Error,
}

impl RuleSetting {
    fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Off => None,
            RuleSetting::Note => Some(Severity::Note),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Error => Some(Severity::Error),
        }
    }
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    fail_on: Option<FailOn>,
    template: Option<String>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    model_paths: Vec<String>,
    smithy_version: Option<Spanned<String>>,
    repository_url: Option<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RuleSetting>,
}

/// A config file read and checked; paths in it are resolved against its folder.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the file is, as it is shown in messages.
    pub display: String,
    /// Its folder, absolute: the root of `exclude` globs and of the paths it names.
    pub dir: PathBuf,
    pub fail_on: Option<FailOn>,
    /// The team's template (absolute), which is not a plan.
    pub template: Option<PathBuf>,
    pub exclude: Option<globset::GlobSet>,
    /// Models plans may use, relative to the working directory where possible.
    pub model_paths: Vec<PathBuf>,
    /// The IDL version of smithy blocks without `$version`.
    pub smithy_version: Option<IdlVersion>,
    /// Where the site links each plan's source: an http(s) URL standing for this file's folder
    /// (`https://github.com/org/repo/blob/main`), without a trailing `/`.
    pub repository_url: Option<String>,
    pub rules: Rules,
}

/// A config file that cannot be used: the run stops with exit status 2.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The file's text, for a snippet (empty when it could not be read).
    pub text: String,
    pub diagnostic: Diagnostic,
}

/// How the command line chose the config file.
#[derive(Debug, Clone, Copy)]
pub enum ConfigChoice<'a> {
    /// `--config FILE`.
    File(&'a Path),
    /// `--no-config`.
    Disabled,
    /// Neither: look for `plansmith.toml` upward from the inputs.
    Discover,
}

/// The config of a run, or `None` when there is none.
pub fn resolve(
    inputs: &[PathBuf],
    choice: ConfigChoice,
) -> Result<Option<Config>, Box<ConfigError>> {
    let path = match choice {
        ConfigChoice::Disabled => return Ok(None),
        ConfigChoice::File(path) => path.to_path_buf(),
        ConfigChoice::Discover => match discover(inputs) {
            Some(path) => path,
            None => return Ok(None),
        },
    };
    let display = relative_to_working_dir(&absolute(&path))
        .to_string_lossy()
        .replace('\\', "/");
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return Err(Box::new(ConfigError {
                text: String::new(),
                diagnostic: Diagnostic::new(
                    Code::ConfigUnusable,
                    format!("cannot read the config file: {e}"),
                    display,
                    Span::point(1, 1),
                ),
            }))
        }
    };
    let dir = absolute(&path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    parse(&display, &dir, &text)
        .map(Some)
        .map_err(|diagnostic| {
            Box::new(ConfigError {
                text,
                diagnostic: *diagnostic,
            })
        })
}

/// The nearest `plansmith.toml` in the inputs' common folder or above it, up to the root of the
/// git repository that folder is in (or the file-system root).
pub fn discover(inputs: &[PathBuf]) -> Option<PathBuf> {
    let folders: Vec<PathBuf> = inputs
        .iter()
        .map(|input| {
            let input = absolute(input);
            if input.is_dir() {
                input
            } else {
                input.parent().map(Path::to_path_buf).unwrap_or(input)
            }
        })
        .collect();
    let common = common_ancestor(&folders)?;
    for dir in common.ancestors() {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(relative_to_working_dir(&candidate));
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Reads a config file's text; the error is a diagnostic at the offending key or value.
pub fn parse(display: &str, dir: &Path, text: &str) -> Result<Config, Box<Diagnostic>> {
    let source = SourceText::whole_file(display, text);
    let error = |range: std::ops::Range<usize>, message: String| {
        Box::new(source.diagnostic(Code::ConfigUnusable, message, range))
    };
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        error(
            e.span().unwrap_or(0..0),
            format!("bad config file: {message}"),
        )
    })?;

    let mut rules = BTreeMap::new();
    for (code, setting) in &file.rules {
        if !crate::docs::is_known_code(code.get_ref()) {
            let mut diagnostic = error(
                code.span(),
                format!("unknown diagnostic code `{}` in [rules]", code.get_ref()),
            );
            if let Some(best) = crate::docs::closest_codes(code.get_ref()).first() {
                diagnostic.help = Some(format!("did you mean `{best}`?"));
            }
            return Err(diagnostic);
        }
        rules.insert(code.get_ref().clone(), setting.severity());
    }

    let exclude = if file.exclude.is_empty() {
        None
    } else {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in &file.exclude {
            let glob = globset::Glob::new(pattern.get_ref().trim_end_matches('/'))
                .map_err(|e| error(pattern.span(), format!("bad exclude pattern: {}", e.kind())))?;
            builder.add(glob);
        }
        Some(
            builder
                .build()
                .map_err(|e| error(0..0, format!("bad exclude patterns: {e}")))?,
        )
    };

    let smithy_version = match &file.smithy_version {
        None => None,
        Some(version) => Some(match version.get_ref().as_str() {
            "1" | "1.0" => IdlVersion::V1,
            "2" | "2.0" => IdlVersion::V2,
            other => {
                return Err(error(
                    version.span(),
                    format!("bad smithy-version `{other}`: expected \"1.0\" or \"2.0\""),
                ))
            }
        }),
    };

    let repository_url = match &file.repository_url {
        None => None,
        Some(url) => {
            let text = url.get_ref().trim().trim_end_matches('/');
            let scheme_ok = ["https://", "http://"]
                .iter()
                .any(|scheme| text.len() > scheme.len() && text.starts_with(scheme));
            if !scheme_ok || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(error(
                    url.span(),
                    format!(
                        "bad repository-url `{}`: expected an http(s) URL",
                        url.get_ref()
                    ),
                ));
            }
            Some(text.to_string())
        }
    };

    Ok(Config {
        display: display.to_string(),
        dir: dir.to_path_buf(),
        fail_on: file.fail_on,
        template: file.template.map(|t| normalise(&dir.join(t))),
        exclude,
        model_paths: file
            .model_paths
            .iter()
            .map(|p| relative_to_working_dir(&normalise(&dir.join(p))))
            .collect(),
        smithy_version,
        repository_url,
        rules: Rules::new(rules),
    })
}

/// An absolute path shown relative to the working directory when it lies under it.
fn relative_to_working_dir(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    match path.strip_prefix(normalise(&cwd)) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> Diagnostic {
        *parse("plansmith.toml", Path::new("/r"), text).unwrap_err()
    }

    #[test]
    fn unknown_keys_and_bad_values_point_into_the_file() {
        let d = error_of("fail-on = \"error\"\nfial-on = 1\n");
        assert_eq!(
            (d.code.as_str(), d.span.line, d.span.column),
            ("CFG001", 2, 1)
        );
        assert!(d.message.contains("fial-on"), "{}", d.message);

        let d = error_of("[rules]\nDEP005 = \"loud\"\n");
        assert_eq!((d.span.line, d.span.column), (2, 10));
        assert!(d.message.contains("loud"), "{}", d.message);

        let d = error_of("[rules]\nDEP05 = \"off\"\n");
        assert_eq!((d.span.line, d.span.column), (2, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `DEP005`?"));

        let d = error_of("smithy-version = \"3.0\"\n");
        assert_eq!((d.span.line, d.span.column), (1, 18));

        let d = error_of("exclude = [\"a/[b\"]\n");
        assert_eq!((d.span.line, d.span.column), (1, 12));

        let d = error_of("repository-url = \"javascript:alert(1)\"\n");
        assert_eq!((d.span.line, d.span.column), (1, 18));
    }

    #[test]
    fn the_repository_url_loses_its_trailing_slash() {
        let config = parse(
            "plansmith.toml",
            Path::new("/r"),
            "repository-url = \"https://example.com/org/repo/blob/main/\"\n",
        )
        .unwrap();
        assert_eq!(
            config.repository_url.as_deref(),
            Some("https://example.com/org/repo/blob/main")
        );
    }

    #[test]
    fn settings_are_read() {
        let config = parse(
            "plansmith.toml",
            Path::new("/r"),
            "fail-on = \"warning\"\ntemplate = \"docs/../template.md\"\nexclude = [\"drafts/**\"]\nsmithy-version = \"1.0\"\n[rules]\nDEP005 = \"off\"\nPLAN005 = \"error\"\n\"TraitValue.UnknownMember\" = \"note\"\n",
        )
        .unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(
            config.template.as_deref(),
            Some(Path::new("/r/template.md"))
        );
        assert!(config.exclude.unwrap().is_match("drafts/a.md"));
        assert_eq!(config.smithy_version, Some(IdlVersion::V1));
        assert_eq!(config.rules.setting("DEP005"), Some(None));
        assert_eq!(config.rules.setting("PLAN005"), Some(Some(Severity::Error)));
        assert_eq!(
            config.rules.setting("TraitValue.UnknownMember.http.x"),
            Some(Some(Severity::Note))
        );
        assert_eq!(config.rules.setting("TraitValue"), None);
    }
}
