//! Positions between plansmith and the protocol: plansmith counts 1-based lines and columns in
//! characters, LSP counts 0-based lines and columns in UTF-16 code units.

use crate::diagnostic::Span;
use lsp_types::{Position, Range};

/// The lines of one text, for converting positions in both directions.
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// A 0-based line without its line break.
    fn line(&self, line: usize) -> &'t str {
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The protocol position of a 1-based line and character column (clamped to the text).
    pub fn position(&self, line: u32, column: u32) -> Position {
        let line = line.saturating_sub(1) as usize;
        if line >= self.starts.len() {
            let last = self.starts.len() - 1;
            return Position::new(last as u32, utf16_len(self.line(last)));
        }
        let chars = column.saturating_sub(1) as usize;
        let units: usize = self
            .line(line)
            .chars()
            .take(chars)
            .map(char::len_utf16)
            .sum();
        Position::new(line as u32, units as u32)
    }

    pub fn range(&self, span: Span) -> Range {
        let start = self.position(span.line, span.column);
        let end = self.position(span.end_line, span.end_column).max(start);
        Range::new(start, end)
    }

    /// The byte offset of a protocol position (clamped to its line and to the text).
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let start = self.starts[line];
        let mut units = 0;
        for (i, c) in self.line(line).char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + self.line(line).len()
    }

    /// The 1-based line and character column of a protocol position.
    pub fn line_column(&self, position: Position) -> (u32, u32) {
        let offset = self.offset(position);
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() as u32 + 1;
        (line as u32, column)
    }
}

fn utf16_len(text: &str) -> u32 {
    text.chars().map(char::len_utf16).sum::<usize>() as u32
}

/// Whether a 1-based line and column lies in a span (its end included, so that a cursor just
/// after a name still points at it).
pub fn span_contains(span: Span, line: u32, column: u32) -> bool {
    (span.line, span.column) <= (line, column) && (line, column) <= (span.end_line, span.end_column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // `é` is one UTF-16 unit, `𝄞` two.
        let index = LineIndex::new("ab\néx𝄞y\r\nz");
        assert_eq!(index.position(2, 2), Position::new(1, 1));
        assert_eq!(index.position(2, 4), Position::new(1, 4));
        assert_eq!(index.position(2, 99), Position::new(1, 5));
        assert_eq!(index.position(9, 1), Position::new(2, 1));
        assert_eq!(index.line_column(Position::new(1, 4)), (2, 4));
        assert_eq!(index.offset(Position::new(1, 4)), "ab\néx𝄞".len());
        assert_eq!(index.offset(Position::new(7, 0)), index.text.len());
    }
}
