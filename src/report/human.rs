//! rustc-style output: each diagnostic with a snippet of the Markdown source and its span
//! underlined (annotate-snippets), then a summary line.

use super::disk_path;
use crate::check::Checked;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::source::SourceText;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use rayon::prelude::*;

/// A text with where each of its lines starts, computed once per file: a large file with many
/// diagnostics would otherwise be scanned from its start for every one of them.
struct Lines<'t> {
    text: &'t str,
    starts: LineStarts<'t>,
}

/// Byte offset of each line; the first line starts at 0.
enum LineStarts<'t> {
    /// Those the source knows, for a whole file (read with it: a JSON AST model file with
    /// warnings is a hundred megabytes of text, scanned once is enough).
    Known(&'t [u32]),
    Counted(Vec<usize>),
}

impl LineStarts<'_> {
    fn get(&self, line: usize) -> Option<usize> {
        match self {
            LineStarts::Known(starts) => starts.get(line).map(|&s| s as usize),
            LineStarts::Counted(starts) => starts.get(line).copied(),
        }
    }

    /// The number of lines that start at or before `offset`.
    fn starting_by(&self, offset: usize) -> usize {
        match self {
            LineStarts::Known(starts) => starts.partition_point(|&s| s as usize <= offset),
            LineStarts::Counted(starts) => starts.partition_point(|&s| s <= offset),
        }
    }
}

impl<'t> Lines<'t> {
    /// The lines of a source: those it knows for a whole file, else counted.
    fn of(source: &'t SourceText) -> Lines<'t> {
        match source.whole_file_lines() {
            Some(starts) => Lines {
                text: source.text.as_str(),
                starts: LineStarts::Known(starts),
            },
            None => Lines::new(source.text.as_str()),
        }
    }

    fn new(text: &'t str) -> Lines<'t> {
        let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
        Lines {
            text,
            starts: LineStarts::Counted(std::iter::once(0).chain(newlines).collect()),
        }
    }

    /// Byte offset of a 1-based line and character column (clamped to the line, or to the
    /// end of the text for a line past it).
    fn byte_offset(&self, line: u32, column: u32) -> usize {
        let Some(start) = self.starts.get(line.max(1) as usize - 1) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        let line_end = line_text.find('\n').unwrap_or(line_text.len());
        let in_line: usize = line_text[..line_end]
            .chars()
            .take(column.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum();
        start + in_line
    }

    fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        let start = self.byte_offset(span.line, span.column);
        let end = self
            .byte_offset(span.end_line.max(span.line), span.end_column)
            .max(start);
        start..end
    }

    /// The whole lines that `spans` touch, as a snippet source: the excerpt, its first line
    /// number and the spans as ranges of the excerpt. The renderer shows no other lines, and
    /// handing it the whole file would make it walk the file for every diagnostic.
    fn excerpt(&self, spans: &[Span]) -> (&'t str, usize, Vec<std::ops::Range<usize>>) {
        let ranges: Vec<_> = spans.iter().map(|&s| self.byte_range(s)).collect();
        let low = ranges.iter().map(|r| r.start).min().unwrap_or(0);
        let high = ranges.iter().map(|r| r.end).max().unwrap_or(0);
        let line = self.starts.starting_by(low).max(1);
        let from = self.starts.get(line - 1).unwrap_or(0);
        let to = self.text[high..]
            .find('\n')
            .map_or(self.text.len(), |i| high + i + 1);
        if from >= to {
            return (self.text, 1, ranges);
        }
        let shifted = ranges
            .iter()
            .map(|r| r.start - from..r.end - from)
            .collect();
        (&self.text[from..to], line, shifted)
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

/// The texts of the files diagnostics point into, with their line starts, by path.
type LinesByPath<'c> = std::collections::HashMap<&'c str, Option<Lines<'c>>>;

fn lines_of<'c, 'p>(
    checked: &'c Checked,
    cache: &'p mut LinesByPath<'c>,
    path: &'c str,
) -> Option<&'p Lines<'c>> {
    cache
        .entry(path)
        .or_insert_with(|| checked.source_of(path).map(Lines::of))
        .as_ref()
}

/// Whether the renderer writes a text as it is: no control characters (it shows them as
/// symbols) and no bidirectional overrides.
fn written_as_is(text: &str) -> bool {
    !text.chars().any(|c| {
        c < ' '
            || c == '\u{7f}'
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

/// A diagnostic that underlines part of one short line of plain text, with nothing related
/// and no help, written directly, byte for byte as the plain renderer writes it (the test
/// below holds the two together); `None` for any other. A large model has tens of thousands
/// of such warnings, and the renderer lays out each one from scratch (a twentieth of
/// checking 400 AWS models).
fn single_line_plain(lines: &Lines, d: &Diagnostic, path: &str) -> Option<String> {
    if !d.related.is_empty() || d.help.is_some() || d.code.as_str().is_empty() {
        return None;
    }
    if !written_as_is(&d.message) || !written_as_is(path) || !written_as_is(d.code.as_str()) {
        return None;
    }
    let range = lines.byte_range(d.span);
    let line_number = lines.starts.starting_by(range.start).max(1);
    let from = lines.starts.get(line_number - 1)?;
    let rest = &lines.text[from..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let (start, end) = (range.start.checked_sub(from)?, range.end.checked_sub(from)?);
    if start >= end || end > line.len() {
        return None;
    }
    // Printable ASCII (one column a byte), no trailing blank, nothing the renderer would
    // trim: at most 20 leading blanks before the span, and the line within its width.
    let digits = line_number.to_string().len();
    let leading = line.len() - line.trim_start_matches(' ').len();
    let plain = line.bytes().all(|b| (b' '..=b'~').contains(&b));
    if !plain || line.ends_with(' ') || leading.min(start) > 20 || line.len() + digits + 3 > 130 {
        return None;
    }
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let pad = " ".repeat(digits);
    Some(format!(
        "{label}[{code}]: {message}\n{pad}--> {path}:{line_number}:{column}\n{pad} |\n{line_number} | {line}\n{pad} | {blank}{carets}\n\n",
        code = d.code.as_str(),
        message = d.message,
        column = start + 1,
        blank = " ".repeat(start),
        carets = "^".repeat(end - start),
    ))
}

fn render_one<'c>(
    checked: &'c Checked,
    d: &'c Diagnostic,
    renderer: &Renderer,
    plain: bool,
    cache: &mut LinesByPath<'c>,
) -> String {
    let path = disk_path(checked, &d.path);
    if plain {
        let lines = lines_of(checked, cache, &d.path);
        if let Some(out) = lines.and_then(|lines| single_line_plain(lines, d, &path)) {
            return out;
        }
    }
    let mut group = Group::with_title(
        level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.code.as_str()),
    );
    let mut related_elsewhere = Vec::new();
    match lines_of(checked, cache, &d.path) {
        Some(lines) => {
            let here: Vec<_> = d.related.iter().filter(|r| r.path == d.path).collect();
            let spans: Vec<Span> = std::iter::once(d.span)
                .chain(here.iter().map(|r| r.span))
                .collect();
            let (text, line_start, ranges) = lines.excerpt(&spans);
            let mut snippet = Snippet::source(text)
                .line_start(line_start)
                .path(path.clone())
                .annotation(AnnotationKind::Primary.span(ranges[0].clone()));
            for (related, range) in here.iter().zip(&ranges[1..]) {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(range.clone())
                        .label(related.message.as_str()),
                );
            }
            related_elsewhere.extend(d.related.iter().filter(|r| r.path != d.path));
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
        if let Some(lines) = lines_of(checked, cache, &related.path) {
            let (text, line_start, ranges) = lines.excerpt(&[related.span]);
            group = group.element(
                Snippet::source(text)
                    .line_start(line_start)
                    .path(disk_path(checked, &related.path))
                    .annotation(
                        AnnotationKind::Context
                            .span(ranges[0].clone())
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
    let visible: Vec<&Diagnostic> = super::visible(&checked.diagnostics, min).collect();
    // Diagnostics come sorted by file: each file's are rendered as one task on the pool, which
    // finds the file's lines once, and the tasks' texts are joined in order.
    let by_file: Vec<&[&Diagnostic]> = visible.chunk_by(|a, b| a.path == b.path).collect();
    by_file
        .into_par_iter()
        .map(|diagnostics| {
            let mut cache = LinesByPath::new();
            diagnostics
                .iter()
                .map(|d| render_one(checked, d, &renderer, !color, &mut cache))
                .collect::<String>()
        })
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
        let lines = Lines::new(text);
        assert_eq!(lines.byte_offset(1, 1), 0);
        assert_eq!(lines.byte_offset(2, 4), 7);
        assert_eq!(lines.byte_offset(2, 5), 8);
        assert_eq!(lines.byte_offset(9, 1), text.len());
    }

    /// The direct rendering of one-line diagnostics is the renderer's, byte for byte, over
    /// lines and spans near each of its conditions (width, leading blanks, line-number digits,
    /// characters), and it declines what it does not cover.
    #[test]
    fn single_line_rendering_is_the_renderers() {
        let shapes = [
            String::new(),
            "x".to_string(),
            "    \"com.example#Shape\": {".to_string(),
            format!("{}\"target\": \"a#B\",", " ".repeat(20)),
            format!("{}\"target\": \"a#B\",", " ".repeat(21)),
            format!("{}\"deep\": 1", " ".repeat(40)),
            "y".repeat(120),
            "z".repeat(126),
            "w".repeat(160),
            "trailing blank ".to_string(),
            "\ttab".to_string(),
            "caf\u{e9} \u{4e16}\u{754c} wide".to_string(),
            "cr at the end\r".to_string(),
            "   ".to_string(),
        ];
        // Lines of every shape, far enough down for line numbers of one to five digits.
        let mut text = String::new();
        let mut numbers = Vec::new();
        for n in 1..=10_050u32 {
            let wanted = [1, 9, 10, 99, 100, 999, 1000, 9999, 10_000];
            let shape = &shapes[n as usize % shapes.len()];
            if wanted
                .iter()
                .any(|w| n >= *w && n < w + shapes.len() as u32)
            {
                numbers.push((n, shape.chars().count() as u32));
            }
            text.push_str(shape);
            text.push('\n');
        }
        let span = |line, column, end_line, end_column| Span {
            line,
            column,
            end_line,
            end_column,
        };
        let messages = [
            "ns#A: a plain message",
            "ns#A: caf\u{e9} \u{4e16}\u{754c}",
            "two\nlines",
            "tab\there",
        ];
        let mut diagnostics = Vec::new();
        for &(line, length) in &numbers {
            let columns = [
                (1, 2),
                (1, length + 1),
                (5, 9),
                (21, 30),
                (22, 24),
                (30, 40),
            ];
            for (i, &(from, to)) in columns.iter().enumerate() {
                let severity = [Severity::Error, Severity::Warning, Severity::Note][i % 3];
                let message = messages[(line as usize + i) % messages.len()];
                let at = span(line, from, line, to);
                diagnostics.push(Diagnostic::smithy_event(
                    "Some.Event",
                    severity,
                    message,
                    "m.json",
                    at,
                ));
            }
            let wide = span(line, 1, line + 1, 3);
            diagnostics.push(Diagnostic::smithy_event(
                "E",
                Severity::Warning,
                "m",
                "m.json",
                wide,
            ));
            let empty = span(line, 3, line, 3);
            diagnostics.push(Diagnostic::smithy_event(
                "E",
                Severity::Warning,
                "m",
                "m.json",
                empty,
            ));
            let helped = Diagnostic::smithy_event(
                "E",
                Severity::Error,
                "m",
                "m.json",
                span(line, 1, line, 2),
            );
            diagnostics.push(helped.with_help("a help"));
        }
        let checked = Checked::default();
        let renderer = Renderer::plain();
        let mut cache = LinesByPath::new();
        cache.insert("m.json", Some(Lines::new(&text)));
        let (mut direct, mut declined) = (0, 0);
        for d in &diagnostics {
            let rendered = render_one(&checked, d, &renderer, false, &mut cache);
            let lines = cache["m.json"].as_ref().expect("the text");
            match single_line_plain(lines, d, "m.json") {
                Some(fast) => {
                    assert_eq!(fast, rendered, "{d:?}");
                    direct += 1;
                }
                None => declined += 1,
            }
        }
        assert!(
            direct > 50 && declined > 50,
            "{direct} direct, {declined} declined"
        );
    }

    /// A whole file's lines are taken from its source, and are those counted in its text.
    #[test]
    fn a_whole_files_lines_are_its_sources() {
        let text = "a\n\nbé\r\nc\n";
        let source = SourceText::whole_file("f.md", text);
        let known = Lines::of(&source);
        assert!(matches!(known.starts, LineStarts::Known(_)));
        let counted = Lines::new(text);
        for line in 0..7 {
            assert_eq!(known.starts.get(line), counted.starts.get(line), "{line}");
        }
        for offset in 0..=text.len() {
            let by = |l: &Lines| l.starts.starting_by(offset);
            assert_eq!(by(&known), by(&counted), "{offset}");
        }
    }

    #[test]
    fn excerpt_is_the_lines_the_spans_touch() {
        let lines = Lines::new("one\ntwo\nthree\nfour");
        let span = |line, column, end_line, end_column| Span {
            line,
            column,
            end_line,
            end_column,
        };
        let (text, first, ranges) = lines.excerpt(&[span(2, 2, 2, 4), span(3, 1, 3, 3)]);
        assert_eq!((text, first), ("two\nthree\n", 2));
        assert_eq!(ranges, vec![1..3, 4..6]);
        // The last line, without a newline after it.
        let (text, first, ranges) = lines.excerpt(&[span(4, 1, 4, 5)]);
        assert_eq!((text, first), ("four", 4));
        assert_eq!((ranges.len(), ranges[0].clone()), (1, 0..4));
    }
}
