//! Text that a parser reads, with the map back to the file it came from.
//!
//! A fenced block inside a list item or a block quote loses a different prefix on every line,
//! so a block's text is not a plain slice of its Markdown file. [`SourceText`] keeps, for each
//! line of the text, where that line starts in the file; parsers work with byte offsets into
//! `text` and turn them into file lines and columns through it.
//!
//! Architecture Invariant: positions are exact. File lines and columns are computed here and
//! nowhere else, so a diagnostic points at the right column even in a block indented under a list
//! item or quoted with `>`.

use crate::diagnostic::{Code, Diagnostic, Span};
use std::ops::Range;
use std::sync::Arc;

/// Where one line of a [`SourceText`] starts in the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineOrigin {
    /// Byte offset of the line's first byte in `SourceText::text`.
    pub offset: usize,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column (in characters) in the file of the line's first character.
    pub column: u32,
}

/// The text and its tables are shared: a clone (a model file is read once and then kept for
/// both the report and the loader) copies no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The file as the user named it, used in diagnostics.
    pub path: String,
    pub text: Arc<String>,
    lines: Arc<LineTable>,
    /// Characters before every `CHECKPOINT`-th byte, so that a column on a long line is found
    /// without counting the line from its start (one 2 MB line with thousands of findings).
    /// Empty for ASCII text, where characters are bytes.
    checkpoints: Arc<Vec<usize>>,
}

/// Where the lines of a text start in the file.
#[derive(Debug, PartialEq, Eq)]
enum LineTable {
    /// A whole file (of less than 4 GiB): line `n` starts at column one, at offset
    /// `starts[n - 1]`. Four bytes a line: the 402 AWS models are 3.1 million lines, and as
    /// [`LineOrigin`]s their tables were 50 MB, written while reading and kept for the run.
    WholeFile(Vec<u32>),
    /// Text assembled from pieces of a file: each line's origin, sorted by offset.
    Origins(Vec<LineOrigin>),
}

/// Bytes between two entries of `SourceText::checkpoints`.
const CHECKPOINT: usize = 1024;

/// Whether a byte starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: &u8) -> bool {
    (*b & 0xC0) != 0x80
}

/// The offsets of a text's `\n`s.
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

fn checkpoints(text: &str) -> Vec<usize> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut counts = Vec::with_capacity(text.len() / CHECKPOINT + 1);
    let mut total = 0;
    for block in text.as_bytes().chunks(CHECKPOINT) {
        counts.push(total);
        total += block.iter().filter(|b| starts_char(b)).count();
    }
    // The end of a text whose length is a multiple of `CHECKPOINT` starts a block of its own.
    counts.push(total);
    counts
}

impl SourceText {
    /// A whole file: line `n` of the text is line `n` of the file, starting at column 1.
    pub fn whole_file(path: impl Into<String>, text: impl Into<String>) -> SourceText {
        let text = text.into();
        let Ok(_) = u32::try_from(text.len()) else {
            let starts = std::iter::once(0).chain(line_breaks(&text).map(|at| at + 1));
            let lines = starts.enumerate().map(|(n, offset)| LineOrigin {
                offset,
                line: n as u32 + 1,
                column: 1,
            });
            let lines = lines.collect();
            return SourceText::from_lines(path, text, lines);
        };
        // Sized exactly: a plan's line table lives as long as the run, so growth slack stays.
        let mut starts = Vec::with_capacity(1 + line_breaks(&text).count());
        starts.push(0);
        starts.extend(line_breaks(&text).map(|at| at as u32 + 1));
        SourceText {
            path: path.into(),
            checkpoints: Arc::new(checkpoints(&text)),
            text: Arc::new(text),
            lines: Arc::new(LineTable::WholeFile(starts)),
        }
    }

    /// Text assembled from pieces of a file; `lines` must start at offset 0 and be sorted.
    pub fn from_lines(
        path: impl Into<String>,
        text: impl Into<String>,
        mut lines: Vec<LineOrigin>,
    ) -> SourceText {
        if lines.first().map(|l| l.offset) != Some(0) {
            let first = lines.first().map_or(1, |l| l.line);
            lines.insert(
                0,
                LineOrigin {
                    offset: 0,
                    line: first,
                    column: 1,
                },
            );
        }
        let text = text.into();
        SourceText {
            path: path.into(),
            checkpoints: Arc::new(checkpoints(&text)),
            text: Arc::new(text),
            lines: Arc::new(LineTable::Origins(lines)),
        }
    }

    /// The same path with no text: for a block whose text no later stage reads (a `check`
    /// run keeps of each parsed block of a plan only what the report shows, and its plan's
    /// text, which holds the block's text too).
    pub fn without_text(&self) -> SourceText {
        SourceText::whole_file(self.path.clone(), String::new())
    }

    /// Where the lines of a whole file start (line `n` at index `n - 1`); `None` for text
    /// assembled from pieces.
    pub fn whole_file_lines(&self) -> Option<&[u32]> {
        match &*self.lines {
            LineTable::WholeFile(starts) => Some(starts),
            LineTable::Origins(_) => None,
        }
    }

    /// The per-line origins (for tests and for stages that slice the text further).
    pub fn line_origins(&self) -> Vec<LineOrigin> {
        match &*self.lines {
            LineTable::WholeFile(starts) => (starts.iter().enumerate())
                .map(|(n, &offset)| LineOrigin {
                    offset: offset as usize,
                    line: n as u32 + 1,
                    column: 1,
                })
                .collect(),
            LineTable::Origins(origins) => origins.clone(),
        }
    }

    /// File line and column of a byte offset into `text` (clamped to the text, and moved back
    /// to a character boundary, so any offset is safe).
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let origin = match &*self.lines {
            LineTable::WholeFile(starts) => {
                // The first line starts at 0, so at least one line starts by `offset`.
                let n = starts.partition_point(|&start| start as usize <= offset);
                LineOrigin {
                    offset: starts[n.max(1) - 1] as usize,
                    line: n.max(1) as u32,
                    column: 1,
                }
            }
            LineTable::Origins(origins) => {
                let idx = match origins.binary_search_by(|l| l.offset.cmp(&offset)) {
                    Ok(i) => i,
                    Err(i) => i.saturating_sub(1),
                };
                origins[idx]
            }
        };
        let start = origin.offset.min(offset);
        (
            origin.line,
            origin.column + self.chars_between(start, offset) as u32,
        )
    }

    /// The number of characters in `text[start..end]`: counted directly on a short stretch
    /// (most lines are shorter than a checkpoint, and counting from two checkpoints read up to
    /// two of them for every position), else through the checkpoints.
    fn chars_between(&self, start: usize, end: usize) -> usize {
        if self.checkpoints.is_empty() {
            end - start
        } else if end - start <= CHECKPOINT {
            self.text.as_bytes()[start..end]
                .iter()
                .filter(|b| starts_char(b))
                .count()
        } else {
            self.chars_before(end) - self.chars_before(start)
        }
    }

    /// The number of characters in `text[..offset]`, counted from the nearest checkpoint.
    fn chars_before(&self, offset: usize) -> usize {
        if self.checkpoints.is_empty() {
            return offset;
        }
        let block = offset / CHECKPOINT;
        let base = self.checkpoints.get(block).copied().unwrap_or(0);
        let from = (block * CHECKPOINT).min(offset);
        base + self.text.as_bytes()[from..offset]
            .iter()
            .filter(|b| starts_char(b))
            .count()
    }

    /// The file span of a byte range of `text`. A range ending in the `\r` of a CRLF line
    /// ending ends before it: the column is where the line's text ends.
    pub fn span(&self, range: Range<usize>) -> Span {
        let (line, column) = self.position(range.start);
        let mut end = range.end.max(range.start).min(self.text.len());
        if end > range.start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        let (end_line, end_column) = self.position(end);
        Span {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// A diagnostic of `code` at its default severity, at a byte range of `text`.
    pub fn diagnostic(
        &self,
        code: Code,
        message: impl Into<String>,
        range: Range<usize>,
    ) -> Diagnostic {
        Diagnostic::new(code, message, self.path.clone(), self.span(range))
    }

    /// The text with every line break a `\n`, as mermaid reads a diagram: a `\r\n` loses its
    /// `\r`, a lone `\r` becomes `\n`. The line table moves with the text, so every offset
    /// still maps to its file line and column: a removed `\r` only ever ends a line. The same
    /// text (shared, not copied) when it has no `\r`.
    pub fn with_lf_line_breaks(&self) -> SourceText {
        if memchr::memchr(b'\r', self.text.as_bytes()).is_none() {
            return self.clone();
        }
        let bytes = self.text.as_bytes();
        let mut text = Vec::with_capacity(bytes.len());
        // Offsets (in `text`) of the `\r`s removed, in order.
        let mut removed = Vec::new();
        for (at, &b) in bytes.iter().enumerate() {
            match b {
                b'\r' if bytes.get(at + 1) == Some(&b'\n') => removed.push(at),
                b'\r' => text.push(b'\n'),
                _ => text.push(b),
            }
        }
        let mut lines: Vec<LineOrigin> = self
            .line_origins()
            .iter()
            .map(|origin| {
                let offset = origin.offset - removed.partition_point(|&r| r < origin.offset);
                // A `\n` with an origin of its own (a Markdown reader may hand it out as a
                // piece) now stands where its `\r` stood, and the line's text ends there.
                if origin.offset > 0 && removed.binary_search(&(origin.offset - 1)).is_ok() {
                    let (line, column) = self.position(origin.offset - 1);
                    LineOrigin {
                        offset,
                        line,
                        column,
                    }
                } else {
                    LineOrigin { offset, ..*origin }
                }
            })
            .collect();
        // An origin at a removed `\r` and one at its `\n` are now at one offset: the first
        // (the `\r`'s position) is the one.
        lines.dedup_by_key(|origin| origin.offset);
        // Only ASCII bytes were removed or replaced, so the text is still UTF-8.
        let text = String::from_utf8(text).expect("only ASCII line-break bytes changed");
        SourceText::from_lines(self.path.clone(), text, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_text_a_whole_number_of_checkpoints_long() {
        // Found by the mermaid_c4 fuzz target: the end offset of such a text had no
        // checkpoint, counted as zero characters, and a span ending there underflowed.
        let s = SourceText::whole_file("a.mmd", "é".repeat(CHECKPOINT / 2));
        assert_eq!(s.position(CHECKPOINT), (1, CHECKPOINT as u32 / 2 + 1));
        let span = s.span(4..CHECKPOINT);
        assert_eq!((span.line, span.column), (1, 3));
        assert_eq!(span.end_column, CHECKPOINT as u32 / 2 + 1);
    }

    #[test]
    fn ascii_text_counts_bytes_as_characters() {
        let s = SourceText::whole_file("a.json", "{\n  \"a\": 1\n}".repeat(500));
        assert!(s.checkpoints.is_empty());
        assert_eq!(s.position(3 + 12 * 400), (802, 2));
        assert_eq!(s.span(2..5).end_column, 4);
    }

    #[test]
    fn whole_file_positions() {
        let s = SourceText::whole_file("a.smithy", "ab\ncdé\nf");
        assert_eq!(s.position(0), (1, 1));
        assert_eq!(s.position(1), (1, 2));
        assert_eq!(s.position(3), (2, 1));
        assert_eq!(s.position(7), (2, 4)); // after the two-byte é
        assert_eq!(s.position(8), (3, 1));
        assert_eq!(s.position(99), (3, 2));
    }

    #[test]
    fn columns_on_a_long_line_count_characters() {
        let line = "é".repeat(3000) + "x" + &"a".repeat(5000);
        let s = SourceText::whole_file("a.md", format!("top\n{line}"));
        assert_eq!(s.position(4 + 6000), (2, 3001));
        assert_eq!(s.position(4 + 6001 + 2500), (2, 5502));
        // Inside a character: moved back to its start.
        assert_eq!(s.position(4 + 1001), (2, 501));
    }

    #[test]
    fn a_span_ends_before_a_carriage_return() {
        let s = SourceText::whole_file("a.md", "ab\r\ncd");
        assert_eq!(s.span(0..3).end_column, 3);
        assert_eq!(s.span(0..2).end_column, 3);
    }

    #[test]
    fn lf_line_breaks_keep_file_positions() {
        let crlf = SourceText::whole_file("a.md", "ab\r\ncdé\r\n\r\nf\rg");
        let lf = crlf.with_lf_line_breaks();
        assert_eq!(lf.text.as_str(), "ab\ncdé\n\nf\ng");
        // Every character of the LF text is where it was in the file.
        for (offset, original) in [(0, 0), (1, 1), (3, 4), (5, 6), (8, 10), (9, 12), (10, 13)] {
            assert_eq!(lf.position(offset), crlf.position(original), "{offset}");
        }
        // A lone `\r` was inside its file line, and its line break stays there.
        assert_eq!(lf.position(11), (4, 3));
        // A span ending at a line's end ends where the line's text ends, as before.
        assert_eq!(lf.span(0..2), crlf.span(0..3));
        // A line break handed out as a piece of its own, with an origin at its `\n`: that
        // origin moves to where the `\r` was.
        let origin = |offset, line, column| LineOrigin {
            offset,
            line,
            column,
        };
        let pieces = SourceText::from_lines(
            "a.md",
            "ab\r\ncd",
            vec![origin(0, 3, 5), origin(3, 3, 8), origin(4, 4, 5)],
        );
        let lf = pieces.with_lf_line_breaks();
        assert_eq!(
            lf.line_origins(),
            [origin(0, 3, 5), origin(2, 3, 7), origin(3, 4, 5)]
        );
        assert_eq!(lf.position(2), (3, 7));
        assert_eq!(lf.span(0..2).end_column, 7);
        // Nothing to change: the same shared text.
        let plain = SourceText::whole_file("a.md", "ab\ncd");
        assert!(Arc::ptr_eq(&plain.with_lf_line_breaks().text, &plain.text));
    }

    #[test]
    fn mapped_lines() {
        let lines = vec![
            LineOrigin {
                offset: 0,
                line: 10,
                column: 5,
            },
            LineOrigin {
                offset: 4,
                line: 11,
                column: 7,
            },
        ];
        let s = SourceText::from_lines("plan.md", "abc\ndef\n", lines);
        assert_eq!(s.position(1), (10, 6));
        assert_eq!(s.position(5), (11, 8));
        assert_eq!(
            s.span(4..7),
            Span {
                line: 11,
                column: 7,
                end_line: 11,
                end_column: 10
            }
        );
    }
}
