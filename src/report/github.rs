//! GitHub Actions workflow commands: `::error file=...,line=...::message`.

use super::disk_path;
use crate::check::Checked;
use crate::diagnostic::{Diagnostic, Severity};

/// Escapes a command's message as the runner requires.
/// Other control characters (ESC, BEL, ...) are percent-encoded too: the runner shows them as
/// written instead of passing them to the terminal of whoever reads the log.
pub(super) fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            c if c.is_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (also `:` and `,`, which delimit properties).
pub(super) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(checked: &Checked, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(&disk_path(checked, &d.path)),
        d.span.line,
        d.span.column,
        d.span.end_line,
        d.span.end_column,
        escape_property(d.code.as_str()),
        escape_data(&message)
    )
}

pub fn render_github(checked: &Checked, min: Severity) -> String {
    super::visible(&checked.diagnostics, min)
        .map(|d| command(checked, d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_requires() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(escape_data("\u{1b}]0;x\u{7}\r\t"), "%1B]0;x%07%0D%09");
    }
}
