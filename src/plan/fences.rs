//! Code fences that are never closed. A forgotten closing fence swallows what follows: to the
//! end of the container, or (when a later block has one) to the next block's closing fence,
//! taking that block's opening fence line as content. Either way the swallowed text is no
//! diagram and no Smithy, so the plan reader reports the fence once and reads the plan again
//! with the fence line blanked (see `read_plan`), which gives back the sections, header fields
//! and blocks that followed it.

use std::ops::Range;

/// A fence that opens a block that is never closed.
#[derive(Debug, Clone)]
pub struct UnclosedFence {
    /// The opening fence line (fence and info string), as a byte range of the file.
    pub fence_line: Range<usize>,
    /// The fence characters (```` ``` ````, `~~~~`, ...).
    pub fence: String,
    /// The fence line of the next block that the unclosed one swallowed (file line and column,
    /// and the line as written), when there is one.
    pub swallowed_fence: Option<(u32, u32, String)>,
    /// File lines of the swallowed text that was not meant as part of the block: from the line
    /// after the fence to the line before the next fence or heading, inclusive.
    pub swallowed_lines: (u32, u32),
}

/// The byte offset (in `content`) of the first line that opens a new fenced block: a run of the
/// same fence character at least as long as `fence`, indented at most three spaces, followed by
/// an info string. CommonMark reads such a line as content of the open block, but nobody writes
/// one on purpose inside a block fenced the same way: it means the block's closing fence was
/// forgotten.
pub fn inner_opening_fence(content: &str, fence: &str) -> Option<usize> {
    let fence_char = fence.chars().next()?;
    let mut offset = 0;
    for line in content.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        let run = body.len() - body.trim_start_matches(fence_char).len();
        let info = body[run..].trim();
        if indent <= 3
            && run >= fence.len()
            && !info.is_empty()
            && !(fence_char == '`' && info.contains('`'))
        {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Whether a line of a block's content is an ATX heading (`## Interfaces`): Smithy and mermaid
/// lines never are, so the swallowed prose of an unclosed block ends before it.
pub fn is_heading_line(line: &str) -> bool {
    let body = line.trim_start_matches(' ');
    let hashes = body.len() - body.trim_start_matches('#').len();
    (1..=6).contains(&hashes)
        && line.len() - body.len() <= 3
        && body[hashes..].starts_with([' ', '\t', '\n', '\r'])
}

/// `text` with the characters of `range` (one fence line, without its line break) replaced by
/// spaces, so that every other byte keeps its offset.
pub fn blank(text: &mut String, range: Range<usize>) {
    let Some(line) = text.get(range.clone()) else {
        return;
    };
    let spaces = " ".repeat(line.len());
    text.replace_range(range, &spaces);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_fences() {
        assert_eq!(
            inner_opening_fence("A --> B\n```smithy\nx\n", "```"),
            Some(8)
        );
        assert_eq!(inner_opening_fence("A --> B\n```\n", "```"), None);
        assert_eq!(inner_opening_fence("```smithy\n", "````"), None);
        assert_eq!(inner_opening_fence("~~~smithy\n", "```"), None);
        assert!(is_heading_line("## Interfaces\n"));
        assert!(!is_heading_line("#hash\n"));
        let mut text = "a\n```x\nb".to_string();
        blank(&mut text, 2..6);
        assert_eq!(text, "a\n    \nb");
    }
}
