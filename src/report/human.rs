//! rustc-style output: each diagnostic with a snippet of the Markdown source and its span
//! underlined (annotate-snippets), then a summary line.

use super::disk_path;
use crate::check::Checked;
use crate::diagnostic::{Diagnostic, Severity, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Byte offset of a 1-based line and character column in `text` (clamped).
fn byte_offset(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0;
    for _ in 1..line.max(1) {
        match text[offset..].find('\n') {
            Some(nl) => offset += nl + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[offset..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let in_line: usize = line_text[..line_end]
        .chars()
        .take(column.saturating_sub(1) as usize)
        .map(char::len_utf8)
        .sum();
    offset + in_line
}

fn byte_range(text: &str, span: Span) -> std::ops::Range<usize> {
    let start = byte_offset(text, span.line, span.column);
    let end = byte_offset(text, span.end_line.max(span.line), span.end_column).max(start);
    start..end
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

fn render_one(checked: &Checked, d: &Diagnostic, renderer: &Renderer) -> String {
    let path = disk_path(checked, &d.path);
    let mut group = Group::with_title(
        level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.code.as_str()),
    );
    let mut related_elsewhere = Vec::new();
    match checked.text_of(&d.path) {
        Some(text) => {
            let mut snippet = Snippet::source(text)
                .line_start(1)
                .path(path.clone())
                .annotation(AnnotationKind::Primary.span(byte_range(text, d.span)));
            for related in &d.related {
                if related.path == d.path {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(byte_range(text, related.span))
                            .label(related.message.as_str()),
                    );
                } else {
                    related_elsewhere.push(related);
                }
            }
            group = group.element(snippet);
        }
        None => {
            group = group.element(
                Level::NOTE
                    .no_name()
                    .message(format!("{path}:{}:{}", d.span.line, d.span.column)),
            );
            related_elsewhere.extend(d.related.iter());
        }
    }
    for related in related_elsewhere {
        if let Some(text) = checked.text_of(&related.path) {
            group = group.element(
                Snippet::source(text)
                    .line_start(1)
                    .path(disk_path(checked, &related.path))
                    .annotation(
                        AnnotationKind::Context
                            .span(byte_range(text, related.span))
                            .label(related.message.as_str()),
                    ),
            );
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: [Group<'_>; 1] = [group];
    let mut out = renderer.render(&report);
    out.push_str("\n\n");
    out
}

/// All diagnostics at or above `min`, as snippets.
pub fn render_human(checked: &Checked, min: Severity, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    super::visible(&checked.diagnostics, min)
        .map(|d| render_one(checked, d, &renderer))
        .collect()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `checked 5 plans (23 blocks): 1 error, 2 warnings`.
pub fn summary_line(checked: &Checked) -> String {
    let plans = checked.plans.iter().filter(|p| p.is_plan).count();
    let blocks: usize =
        checked.plans.iter().map(|p| p.blocks.len()).sum::<usize>() + checked.files.len();
    let mut line = format!(
        "checked {} ({})",
        plural(plans, "plan"),
        plural(blocks, "block")
    );
    let others = checked.plans.len() - plans + checked.files.len();
    if others > 0 {
        line.push_str(&format!(" and {}", plural(others, "other file")));
    }
    line.push_str(&format!(
        ": {}, {}, {}",
        plural(checked.count(Severity::Error), "error"),
        plural(checked.count(Severity::Warning), "warning"),
        plural(checked.count(Severity::Note), "note")
    ));
    if checked.baselined > 0 {
        line.push_str(&format!(
            " ({} in the baseline not shown)",
            plural(checked.baselined, "finding")
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_by_line_and_column() {
        let text = "ab\ncdé f\n";
        assert_eq!(byte_offset(text, 1, 1), 0);
        assert_eq!(byte_offset(text, 2, 4), 7);
        assert_eq!(byte_offset(text, 2, 5), 8);
        assert_eq!(byte_offset(text, 9, 1), text.len());
    }
}
