//! Diagnostics as plain data.
//!
//! Every stage reports problems as [`Diagnostic`] values: a stable code, a severity, a message
//! and a span in the file the user wrote. Nothing here knows about terminals, colours or exit
//! codes; that is the CLI's business (see `report`).

pub use crate::codes::Code;
use serde::Serialize;
use std::fmt;

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

/// A machine-applicable suggestion: replace the text of `span` (in the diagnostic's file) with
/// `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    #[serde(flatten)]
    pub span: Span,
    pub replacement: String,
}

/// What a finding is: one of plansmith's own codes, or the id of a Smithy validation event as
/// the reference implementation names it. Reports print both as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticCode {
    Own(Code),
    SmithyEvent(Box<str>),
}

impl DiagnosticCode {
    pub fn as_str(&self) -> &str {
        match self {
            DiagnosticCode::Own(code) => code.as_str(),
            DiagnosticCode::SmithyEvent(id) => id,
        }
    }

    /// The code, when it is one of ours.
    pub fn own(&self) -> Option<Code> {
        match self {
            DiagnosticCode::Own(code) => Some(*code),
            DiagnosticCode::SmithyEvent(_) => None,
        }
    }
}

/// The id of a Smithy validation event, where a loader reports one under the reference's id.
pub struct SmithyEvent(pub &'static str);

impl From<SmithyEvent> for DiagnosticCode {
    fn from(event: SmithyEvent) -> DiagnosticCode {
        DiagnosticCode::SmithyEvent(event.0.into())
    }
}

impl From<Code> for DiagnosticCode {
    fn from(code: Code) -> DiagnosticCode {
        DiagnosticCode::Own(code)
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DiagnosticCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Reads as its text, as the `String` it replaced did: reports, filters and tests compare and
/// slice it like any code they were given.
impl std::ops::Deref for DiagnosticCode {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<String> for DiagnosticCode {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<str> for DiagnosticCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for DiagnosticCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for DiagnosticCode {
    fn eq(&self, other: &Code) -> bool {
        self.own() == Some(*other)
    }
}

/// One finding. `code` is stable across releases and documented in `docs/diagnostics.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
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
    /// A replacement that fixes the finding, when there is exactly one obvious fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of one of plansmith's own codes, at the code's default severity.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        path: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        Diagnostic::with_code(code.into(), code.default_severity(), message, path, span)
    }

    /// A Smithy validation event, under the reference implementation's id and severity.
    pub fn smithy_event(
        id: &str,
        severity: Severity,
        message: impl Into<String>,
        path: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        let code = DiagnosticCode::SmithyEvent(id.into());
        Diagnostic::with_code(code, severity, message, path, span)
    }

    pub fn with_code(
        code: DiagnosticCode,
        severity: Severity,
        message: impl Into<String>,
        path: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            path: path.into(),
            span,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    /// The same finding at another severity: the check decides it (PLAN005 follows the plan's
    /// status) or the user's configuration does.
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
        });
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
        (&self.path, self.span, self.code.as_str(), &self.message)
    }
}

/// Sorts and de-duplicates diagnostics into report order.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}
