//! Diagnostics as plain data.
//!
//! Every stage reports problems as [`Diagnostic`] values: a stable code, a severity, a message
//! and a span in the file the user wrote. Nothing here knows about terminals, colours or exit
//! codes; that is the CLI's business (see `report`).

use serde::Serialize;

/// How serious a finding is. Ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A range in a file, 1-based lines and columns (columns count characters). `end_column` is
/// exclusive: a one-character span at column 5 has `end_column == 6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    /// A zero-width span at a point.
    pub fn point(line: u32, column: u32) -> Span {
        Span {
            line,
            column,
            end_line: line,
            end_column: column,
        }
    }
}

/// A secondary place that explains a diagnostic ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Related {
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
    pub message: String,
}

/// One finding. `code` is stable across releases and documented in `docs/diagnostics.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The file as the user named it (relative to the folder it was found under).
    pub path: String,
    #[serde(flatten)]
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        path: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            path: path.into(),
            span,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(
        mut self,
        path: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.related.push(Related {
            path: path.into(),
            span,
            message: message.into(),
        });
        self
    }

    /// The order in which reports list diagnostics: by file, position, then code and text, so
    /// that output never depends on the order in which parallel work finished.
    pub fn sort_key(&self) -> (&str, Span, &str, &str) {
        (&self.path, self.span, &self.code, &self.message)
    }
}

/// Sorts and de-duplicates diagnostics into report order.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

/// Every diagnostic code plansmith emits, with a short title. `docs/diagnostics.md` documents
/// each one; a test keeps the two in step.
pub const CODES: &[(&str, &str)] = &[
    ("PLAN001", "input cannot be read"),
    ("PLAN002", "status not in the allowed list"),
    ("PLAN003", "target date in an unknown format"),
    ("PLAN004", "target date does not exist"),
    ("PLAN005", "unfilled template placeholder"),
    ("PLAN006", "header field missing or empty"),
    ("PLAN007", "file is not valid UTF-8"),
    ("PLAN008", "code block never closed"),
    ("DEP001", "dead plan reference"),
    ("DEP002", "dependency cycle"),
    ("DEP003", "shape used from an undeclared dependency"),
    ("DEP004", "linked plan not among the checked files"),
    ("DEP005", "target date earlier than a dependency's"),
    ("DEP006", "dependency on a cancelled plan"),
    ("DEP007", "finished plan depends on an unfinished one"),
    ("MMD001", "unknown mermaid diagram type"),
    ("MMD002", "mermaid diagram family recognised but not parsed"),
    (
        "MMD701",
        "click link with an unsafe URL left out of the drawing",
    ),
];
