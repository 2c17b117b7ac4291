//! Reading one plan: the Markdown file parsed once with pulldown-cmark (with source offsets),
//! and everything later stages need taken out of it: identity, header metadata, sections,
//! dependencies, fenced blocks with exact positions, tables, task lists and unfilled template
//! placeholders.
//!
//! This module reads text it is handed; it does no I/O and parses no block contents (`check`
//! parses them and stores the result in [`Block::model`]).
//!
//! Architecture Invariant: reading a plan cannot fail. Any bytes give a [`Plan`] (perhaps empty)
//! and diagnostics; an unclosed fence costs one diagnostic, never a cascade.

mod fences;
pub mod metadata;
mod placeholders;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::mermaid::{Detected, ParsedDiagram};
use crate::smithy::ParsedText;
use crate::source::{LineOrigin, SourceText};
use fences::UnclosedFence;
use metadata::{DateError, Field, RawField};
use placeholders::is_placeholder;
use pulldown_cmark::{
    BrokenLink, CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd,
};
use serde::{Serialize, Serializer};
use std::ops::Range;
use std::sync::Arc;

/// What a fenced block holds, by its info string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Smithy,
    Mermaid,
    /// Any other language (kept for the report), or none.
    Other,
}

/// A fenced code block (or a whole standalone `.smithy`/`.mmd` file).
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// 1-based position among the plan's blocks.
    pub index: usize,
    pub kind: BlockKind,
    /// The language as written (first word of the info string), lowercased; `mmd` stays `mmd`.
    pub lang: String,
    /// File line and column of the block's first content line.
    pub line: u32,
    pub column: u32,
    /// The title of the section the block stands in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// What `check` parsed the block into; serialized as the diagram family of a mermaid
    /// block (`flowchart`, `gantt`, ...).
    #[serde(rename = "diagram", skip_serializing_if = "BlockModel::has_no_family")]
    pub model: BlockModel,
    #[serde(skip)]
    pub source: SourceText,
}

impl Block {
    /// For mermaid blocks, the diagram family once detected.
    pub fn diagram(&self) -> Option<Detected> {
        self.model.family()
    }
}

/// A block's content as `check` parsed it, once; later stages (`build`, the site) use it
/// instead of parsing again.
#[derive(Debug, Clone, Default)]
pub enum BlockModel {
    /// Not parsed (yet, or not a language plansmith reads).
    #[default]
    Unparsed,
    Mermaid(Arc<ParsedDiagram>),
    /// A mermaid block whose parsed model was let go, by a run that draws nothing
    /// ([`crate::check::CheckOptions::release_diagrams`]) or by `build` once it is drawn: its
    /// family, and whether it is drawn (a known family, parsed without errors).
    MermaidFamily {
        detected: Option<Detected>,
        drawable: bool,
    },
    /// Kept by the language server, which loads the model again after an edit; a run
    /// (`check::check`) lets it go once the model is built and leaves the block `Unparsed`.
    Smithy(Arc<ParsedText>),
}

impl BlockModel {
    fn family(&self) -> Option<Detected> {
        match self {
            BlockModel::Mermaid(parsed) => parsed.detected,
            BlockModel::MermaidFamily { detected, .. } => *detected,
            _ => None,
        }
    }

    /// Whether the block is a mermaid diagram that is drawn.
    pub fn is_drawable(&self) -> bool {
        match self {
            BlockModel::Mermaid(parsed) => parsed.is_drawable(),
            BlockModel::MermaidFamily { drawable, .. } => *drawable,
            _ => false,
        }
    }

    /// Lets a mermaid block's parsed model go, keeping what later stages ask of it.
    pub fn release_diagram(&mut self) {
        if let BlockModel::Mermaid(parsed) = self {
            *self = BlockModel::MermaidFamily {
                detected: parsed.detected,
                drawable: parsed.is_drawable(),
            };
        }
    }

    fn has_no_family(&self) -> bool {
        self.family().is_none()
    }
}

impl Serialize for BlockModel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.family().serialize(serializer)
    }
}

/// A heading and the headings under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub level: u8,
    pub title: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Section>,
}

/// An entry of the Dependencies section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dependency {
    pub text: String,
    /// The target of the first Markdown link in the entry, as written.
    pub link: Option<String>,
    /// The path of the plan this entry resolves to (set by the `deps` stage).
    pub target: Option<String>,
    /// What the entry names (set by the `deps` stage).
    pub kind: DependencyKind,
    #[serde(flatten)]
    pub span: Span,
}

/// What a dependency entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DependencyKind {
    /// Another plan among the checked files.
    Plan,
    /// A system, contract or team outside the checked plans.
    #[default]
    External,
    /// Not declared: found because the plan's Smithy uses another plan's shapes.
    Implied,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub section: Option<String>,
    pub line: u32,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub section: Option<String>,
    pub line: u32,
    pub text: String,
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// Where links written from the repository root (`/plans/x/plan.md`, as GitHub renders them)
/// start for a plan, as plain names: that folder (`base`) and the run's root (`root`), both
/// relative to the deepest folder that holds the two.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkRoot {
    pub base: String,
    pub root: String,
}

/// Everything read from one Markdown file.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The plan's identity: its path relative to the run's root (see `paths::Root`), with `/`
    /// separators.
    pub path: String,
    /// The first level-1 heading without "technical implementation plan", else the file stem.
    pub name: String,
    /// Whether the file looks like a plan (a header field, a Dependencies section or a title
    /// ending in "technical implementation plan"), as opposed to other Markdown.
    pub is_plan: bool,
    /// The status, when it is one of the allowed ones.
    pub status: Option<metadata::Status>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`, when the date was readable and possible.
    pub target_date: Option<String>,
    pub sections: Vec<Section>,
    pub dependencies: Vec<Dependency>,
    /// Where the Dependencies section's heading is, when the plan has one.
    #[serde(skip)]
    pub dependencies_heading: Option<Span>,
    pub blocks: Vec<Block>,
    pub tables: Vec<Table>,
    pub tasks: Vec<Task>,
    pub acceptance: Progress,
    #[serde(skip)]
    pub source: SourceText,
    /// Set by the caller that knows the disk; `None` means the run's root.
    #[serde(skip)]
    pub link_root: Option<LinkRoot>,
}

const PLAN_SUFFIX: &str = "technical implementation plan";

/// How many times a plan is read again with unclosed fences blanked; each round blanks every
/// unclosed fence found, so more rounds are only needed for fences that the blanked ones hid.
const FENCE_REPAIR_ROUNDS: usize = 4;

/// Reads one Markdown plan. Never fails: problems are returned as diagnostics.
///
/// A fence that is never closed is reported once (PLAN008); the plan is then read again with
/// that fence line blanked, so that the text it swallowed is read as the Markdown it was meant
/// to be (sections, header fields, the next blocks) and never as diagram or Smithy lines.
/// Findings inside the swallowed lines (the would-be block's content read as prose) are dropped.
pub fn read_plan(path: &str, text: &str) -> (Plan, Vec<Diagnostic>) {
    let file = SourceText::whole_file(path, text);
    let mut repaired = text.to_string();
    let mut fence_diagnostics = Vec::new();
    let mut swallowed: Vec<(u32, u32)> = Vec::new();
    let mut round = 0;
    loop {
        let (mut plan, mut diagnostics, unclosed) = Reader::new(path, &repaired).read();
        for fence in &unclosed {
            fence_diagnostics.push(unclosed_fence_diagnostic(&file, fence));
            swallowed.push(fence.swallowed_lines);
        }
        round += 1;
        if unclosed.is_empty() || round > FENCE_REPAIR_ROUNDS {
            diagnostics.retain(|d| {
                !swallowed
                    .iter()
                    .any(|(first, last)| (*first..=*last).contains(&d.span.line))
            });
            diagnostics.extend(fence_diagnostics);
            plan.source = file;
            return (plan, diagnostics);
        }
        for fence in unclosed {
            fences::blank(&mut repaired, fence.fence_line);
        }
    }
}

fn unclosed_fence_diagnostic(file: &SourceText, fence: &UnclosedFence) -> Diagnostic {
    let opening = file.text[fence.fence_line.clone()].trim();
    let diagnostic = file.diagnostic(
        Code::UnclosedFence,
        format!("this {opening} code block is never closed"),
        fence.fence_line.clone(),
    );
    match &fence.swallowed_fence {
        Some((line, column, next)) => {
            let mut d = diagnostic
                .with_help(format!(
                    "close it with a line of {} before line {line}; its content is not checked \
                     until then",
                    fence.fence
                ))
                .with_related(
                    file.path.clone(),
                    Span::point(*line, *column),
                    format!(
                        "{} opens the next block inside the unclosed one",
                        next.trim()
                    ),
                );
            d.message.push_str(&format!(
                ": it swallows the text up to the next block's closing fence, including the \
                 {} line {line}",
                next.trim()
            ));
            d
        }
        None => diagnostic.with_help(format!(
            "close it with a line of {} after its last line; its content is not checked until then",
            fence.fence
        )),
    }
}

/// Reads a standalone `.smithy` or `.mmd` file as a one-block document.
pub fn read_standalone(path: &str, text: impl Into<String>, kind: BlockKind) -> Block {
    let lang = match kind {
        BlockKind::Smithy => "smithy",
        BlockKind::Mermaid => "mmd",
        BlockKind::Other => "",
    };
    Block {
        index: 1,
        kind,
        lang: lang.to_string(),
        line: 1,
        column: 1,
        section: None,
        model: BlockModel::Unparsed,
        source: SourceText::whole_file(path, text),
    }
}

/// The block kind an info string's language names.
pub fn kind_of_lang(lang: &str) -> BlockKind {
    match lang {
        "smithy" => BlockKind::Smithy,
        "mermaid" | "mmd" => BlockKind::Mermaid,
        _ => BlockKind::Other,
    }
}

struct OpenBlock {
    kind: BlockKind,
    lang: String,
    range: Range<usize>,
    text: String,
    lines: Vec<LineOrigin>,
    fence: String,
}

struct OpenItem {
    text: String,
    link: Option<String>,
    range: Range<usize>,
    task: Option<bool>,
    /// Set while inside a nested list: its text belongs to the nested items.
    nested_depth: usize,
}

/// What is open while the Markdown events are read.
#[derive(Default)]
struct OpenParts {
    /// Level, title so far and range.
    heading: Option<(u8, String, Range<usize>)>,
    block: Option<OpenBlock>,
    in_metadata: bool,
    table: Option<Table>,
    cell: Option<(String, Range<usize>)>,
    row: Vec<(String, Range<usize>)>,
    list_depth: usize,
    items: Vec<OpenItem>,
    /// Past the first level-2 heading, where the plan's header ends.
    header_done: bool,
}

struct Reader<'a> {
    path: &'a str,
    text: &'a str,
    file: SourceText,
    diagnostics: Vec<Diagnostic>,
    headings: Vec<(u8, String, u32, Range<usize>)>,
    /// Titles of the enclosing headings, outermost first, with their levels.
    heading_stack: Vec<(u8, String)>,
    blocks: Vec<Block>,
    tables: Vec<Table>,
    tasks: Vec<Task>,
    dependencies: Vec<Dependency>,
    dependencies_heading: Option<Span>,
    fields: Vec<RawField>,
    code_ranges: Vec<Range<usize>>,
    /// Byte ranges of the unfilled template placeholders of the Markdown.
    placeholders: Vec<Range<usize>>,
    /// Placeholders in the documentation comments of Smithy blocks, with their text.
    block_placeholders: Vec<(Span, String)>,
    unclosed: Vec<UnclosedFence>,
}

impl<'a> Reader<'a> {
    fn new(path: &'a str, text: &'a str) -> Reader<'a> {
        Reader {
            path,
            text,
            file: SourceText::whole_file(path, text),
            diagnostics: Vec::new(),
            headings: Vec::new(),
            heading_stack: Vec::new(),
            blocks: Vec::new(),
            tables: Vec::new(),
            tasks: Vec::new(),
            dependencies: Vec::new(),
            dependencies_heading: None,
            fields: Vec::new(),
            code_ranges: Vec::new(),
            placeholders: Vec::new(),
            block_placeholders: Vec::new(),
            unclosed: Vec::new(),
        }
    }

    fn current_section(&self) -> Option<String> {
        self.heading_stack.last().map(|(_, t)| t.clone())
    }

    fn read(mut self) -> (Plan, Vec<Diagnostic>, Vec<UnclosedFence>) {
        let events = self.markdown_events();
        let mut open = OpenParts::default();
        for (event, range) in events {
            self.event(&mut open, event, range);
        }
        if let Some(block) = open.block.take() {
            self.close_block(block);
        }
        self.read_header_lines();
        let plan = self.finish();
        (plan, self.diagnostics, self.unclosed)
    }

    /// The Markdown's events with their byte ranges. Unfilled `[placeholder]` references
    /// show up only as broken links, so they are noted on the way.
    fn markdown_events(&mut self) -> Vec<(Event<'a>, Range<usize>)> {
        let mut placeholders: Vec<(Range<usize>, String)> = Vec::new();
        let mut on_broken = |link: BrokenLink<'_>| {
            placeholders.push((link.span.clone(), link.reference.to_string()));
            None
        };
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_FOOTNOTES;
        let parser =
            Parser::new_with_broken_link_callback(self.text, options, Some(&mut on_broken));
        let events: Vec<(Event<'a>, Range<usize>)> = parser.into_offset_iter().collect();
        self.placeholders = placeholders
            .into_iter()
            .filter(|(_, reference)| is_placeholder(reference))
            .map(|(range, _)| range)
            .collect();
        events
    }

    /// One Markdown event: opens or closes a heading, code block, table or list item, or adds
    /// text to what is open.
    fn event(&mut self, open: &mut OpenParts, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open.heading = Some((heading_level(level), String::new(), range));
            }
            Event::End(TagEnd::Heading(_)) => self.close_heading(open),
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => {
                open.in_metadata = true
            }
            Event::End(TagEnd::MetadataBlock(_)) => open.in_metadata = false,
            Event::Start(Tag::CodeBlock(kind)) => open.block = Some(self.open_block(&kind, range)),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = open.block.take() {
                    self.close_block(block);
                }
            }
            Event::Text(text) | Event::Code(text) => self.add_text(open, &text, range),
            Event::SoftBreak | Event::HardBreak => {
                if let Some(item) = open.items.last_mut() {
                    item.text.push(' ');
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(item) = open.items.last_mut() {
                    if item.link.is_none() && item.nested_depth == 0 {
                        item.link = Some(dest_url.to_string());
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                let (line, _) = self.file.position(range.start);
                open.table = Some(Table {
                    section: self.current_section(),
                    line,
                    header: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::Start(Tag::TableCell) => open.cell = Some((String::new(), range)),
            Event::End(TagEnd::TableCell) => {
                if let Some(c) = open.cell.take() {
                    open.row.push(c);
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = open.table.as_mut() {
                    t.header = open
                        .row
                        .drain(..)
                        .map(|(text, _)| text.trim().to_string())
                        .collect();
                }
            }
            Event::End(TagEnd::TableRow) => self.close_table_row(open),
            Event::End(TagEnd::Table) => {
                if let Some(t) = open.table.take() {
                    self.tables.push(t);
                }
            }
            Event::Start(Tag::List(_)) => {
                open.list_depth += 1;
                if let Some(item) = open.items.last_mut() {
                    item.nested_depth += 1;
                }
            }
            Event::End(TagEnd::List(_)) => {
                open.list_depth = open.list_depth.saturating_sub(1);
                if let Some(item) = open.items.last_mut() {
                    item.nested_depth = item.nested_depth.saturating_sub(1);
                }
            }
            Event::Start(Tag::Item) => {
                open.items.push(OpenItem {
                    text: String::new(),
                    link: None,
                    range,
                    task: None,
                    nested_depth: 0,
                });
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = open.items.last_mut() {
                    item.task = Some(done);
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = open.items.pop() {
                    self.close_item(item, open.list_depth);
                }
            }
            _ => {}
        }
    }

    /// A heading ends: it becomes the current section (closing deeper ones), and the first
    /// level-2 heading ends the plan's header.
    fn close_heading(&mut self, open: &mut OpenParts) {
        let Some((level, title, range)) = open.heading.take() else {
            return;
        };
        let title = title.trim().to_string();
        let (line, _) = self.file.position(range.start);
        if level == 2 {
            open.header_done = true;
        }
        while self.heading_stack.last().is_some_and(|(l, _)| *l >= level) {
            self.heading_stack.pop();
        }
        if title.eq_ignore_ascii_case("dependencies") {
            self.dependencies_heading = Some(
                self.file
                    .span(range.start..range.end.min(self.line_end(range.start))),
            );
        }
        self.heading_stack.push((level, title.clone()));
        self.headings.push((level, title, line, range));
    }

    /// A code block starts: its language (lower case) and fence from the opening line.
    fn open_block(&self, kind: &CodeBlockKind<'_>, range: Range<usize>) -> OpenBlock {
        let (lang, fence) = match kind {
            CodeBlockKind::Fenced(info) => {
                let lang = info
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let opening = &self.text[range.clone()];
                let fence: String = opening
                    .chars()
                    .take_while(|c| *c == '`' || *c == '~')
                    .collect();
                (lang, fence)
            }
            CodeBlockKind::Indented => (String::new(), String::new()),
        };
        OpenBlock {
            kind: kind_of_lang(&lang),
            lang,
            range,
            text: String::new(),
            lines: Vec::new(),
            fence,
        }
    }

    /// Text goes to the open code block, else to the front matter, else to whatever heading,
    /// table cell and list item are open.
    fn add_text(&mut self, open: &mut OpenParts, text: &str, range: Range<usize>) {
        if let Some(block) = open.block.as_mut() {
            append_mapped(block, text, range, self.text, &self.file);
        } else if open.in_metadata {
            self.fields
                .extend(metadata::front_matter_fields(text, range.start));
        } else {
            if let Some((_, title, _)) = open.heading.as_mut() {
                title.push_str(text);
            }
            if let Some((cell_text, _)) = open.cell.as_mut() {
                cell_text.push_str(text);
            }
            if let Some(item) = open.items.last_mut() {
                if item.nested_depth == 0 {
                    item.text.push_str(text);
                }
            }
        }
    }

    /// A table row ends. In the header, a two-column row whose first cell names a field is
    /// that field (`| Status: | Draft |`).
    fn close_table_row(&mut self, open: &mut OpenParts) {
        let row = &mut open.row;
        if !open.header_done && row.len() == 2 {
            if let Some(field) = Field::from_key(row[0].0.trim().trim_end_matches(':')) {
                let value_range = trimmed_range(self.text, row[1].1.clone());
                self.fields.push(RawField {
                    field,
                    value: row[1].0.trim().to_string(),
                    range: value_range,
                });
            }
        }
        if let Some(t) = open.table.as_mut() {
            t.rows.push(
                row.drain(..)
                    .map(|(text, _)| text.trim().to_string())
                    .collect(),
            );
        }
        row.clear();
    }

    /// Header lines outside code, before the first level-2 heading.
    fn read_header_lines(&mut self) {
        let header_end = self
            .headings
            .iter()
            .find(|(level, ..)| *level == 2)
            .map_or(self.text.len(), |(.., range)| range.start);
        let mut offset = 0;
        for line in self.text[..header_end].split_inclusive('\n') {
            let inside_code = self.code_ranges.iter().any(|r| r.contains(&offset));
            if !inside_code {
                if let Some(field) =
                    metadata::header_line(line.trim_end_matches(['\n', '\r']), offset)
                {
                    self.fields.push(field);
                }
            }
            offset += line.len();
        }
    }

    fn line_end(&self, offset: usize) -> usize {
        self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |e| offset + e)
    }

    fn close_block(&mut self, open: OpenBlock) {
        self.code_ranges.push(open.range.clone());
        let source_of_block = &self.text[open.range.clone()];
        // A fenced block whose last line is not a closing fence ran to the end of its container.
        let last_line = source_of_block.trim_end().rsplit('\n').next().unwrap_or("");
        let last = last_line.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
        let closed = open.fence.is_empty()
            || (source_of_block.trim_end().contains('\n')
                && last.starts_with(&open.fence)
                && last
                    .trim_end()
                    .chars()
                    .all(|c| c == open.fence.chars().next().unwrap_or('`')));
        let inner_fence = if open.fence.is_empty() {
            None
        } else {
            fences::inner_opening_fence(&open.text, &open.fence)
        };
        if !closed || inner_fence.is_some() {
            self.record_unclosed(open, inner_fence);
            return;
        }
        // Position of the first content line: the line after the opening fence.
        let (line, column) = match open.lines.first() {
            Some(first) => (first.line, first.column),
            None => {
                let (l, _) = self.file.position(open.range.start);
                (l + 1, 1)
            }
        };
        let source = SourceText::from_lines(self.path, open.text, open.lines);
        if open.kind == BlockKind::Smithy {
            for range in placeholders::in_smithy_doc_comments(&source.text) {
                let text = source.text[range.clone()].to_string();
                self.block_placeholders.push((source.span(range), text));
            }
        }
        self.blocks.push(Block {
            index: self.blocks.len() + 1,
            kind: open.kind,
            lang: open.lang,
            line,
            column,
            section: self.current_section(),
            model: BlockModel::Unparsed,
            source,
        });
    }

    /// Records a block whose closing fence is missing (`inner_fence`: the offset in its content
    /// of the next block's opening fence, which it swallowed). The block is not kept.
    fn record_unclosed(&mut self, open: OpenBlock, inner_fence: Option<usize>) {
        let fence_line = open.range.start..self.line_end(open.range.start);
        let source = SourceText::from_lines(self.path, open.text, open.lines);
        let (fence_line_number, _) = self.file.position(open.range.start);
        // The swallowed text ends before the next fence, or before the first heading.
        let content = &source.text;
        let mut end = inner_fence.unwrap_or(content.len());
        let mut offset = 0;
        for line in content[..end].split_inclusive('\n') {
            if fences::is_heading_line(line) {
                end = offset;
                break;
            }
            offset += line.len();
        }
        let last_line = if end == 0 {
            fence_line_number
        } else {
            source.position(end - 1).0
        };
        let swallowed_fence = inner_fence.map(|at| {
            let (line, column) = source.position(at);
            let text = content[at..].lines().next().unwrap_or("").to_string();
            (line, column, text)
        });
        self.unclosed.push(UnclosedFence {
            fence_line,
            fence: open.fence,
            swallowed_fence,
            swallowed_lines: (fence_line_number + 1, last_line.max(fence_line_number)),
        });
    }

    fn close_item(&mut self, item: OpenItem, list_depth: usize) {
        let text = item.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (line, _) = self.file.position(item.range.start);
        if let Some(done) = item.task {
            self.tasks.push(Task {
                section: self.current_section(),
                line,
                text: text.clone(),
                done,
            });
        }
        let in_dependencies = self
            .heading_stack
            .last()
            .is_some_and(|(_, t)| t.eq_ignore_ascii_case("dependencies"));
        // Only the top-level entries of the list are dependencies (list_depth is already the
        // depth of the list that holds this item).
        let unfilled =
            placeholders::only_placeholders(self.text, item.range.clone(), &self.placeholders);
        if in_dependencies
            && list_depth == 1
            && (!text.is_empty() || item.link.is_some())
            && !unfilled
        {
            let end = self.line_end(item.range.start);
            let start = item.range.start
                + self.text[item.range.start..end]
                    .find(|c: char| !(c.is_whitespace() || c == '-' || c == '*' || c == '+'))
                    .unwrap_or(0);
            self.dependencies.push(Dependency {
                text,
                link: item.link,
                target: None,
                kind: DependencyKind::External,
                span: self.file.span(start..end),
            });
        }
    }

    /// One PLAN005 per placeholder, as serious as unfinished content is for the plan's status;
    /// a placeholder standing for the Status itself is an error.
    fn report_placeholders(&mut self, status_range: Option<Range<usize>>, unfinished: Severity) {
        const HELP: &str = "replace the placeholder with the plan's own text";
        for range in self.placeholders.clone() {
            let is_status = status_range
                .as_ref()
                .is_some_and(|s| s.start < range.end && range.start < s.end);
            let (severity, help) = if is_status {
                (
                    Severity::Error,
                    format!(
                        "set the Status to one of: {}",
                        metadata::Status::labels().join(", ")
                    ),
                )
            } else {
                (unfinished, HELP.to_string())
            };
            let name = self.text[range.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            self.diagnostics.push(
                self.file
                    .diagnostic(
                        Code::UnfilledPlaceholder,
                        format!("unfilled template placeholder `{name}`"),
                        range,
                    )
                    .with_severity(severity)
                    .with_help(help),
            );
        }
        for (span, name) in std::mem::take(&mut self.block_placeholders) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::UnfilledPlaceholder,
                    format!("unfilled template placeholder `{name}`"),
                    self.path,
                    span,
                )
                .with_severity(unfinished)
                .with_help(HELP),
            );
        }
    }

    fn finish(&mut self) -> Plan {
        let title = self
            .headings
            .iter()
            .find(|(level, ..)| *level == 1)
            .map(|(_, t, ..)| t.clone());
        let name = match &title {
            Some(t) => strip_plan_suffix(t),
            None => file_stem(self.path),
        };
        let titled_as_plan = title
            .as_deref()
            .is_some_and(|t| t.to_ascii_lowercase().trim_end().ends_with(PLAN_SUFFIX));
        let is_plan =
            titled_as_plan || !self.fields.is_empty() || self.dependencies_heading.is_some();

        let fields = std::mem::take(&mut self.fields);
        let raw_status = fields.iter().find(|f| f.field == Field::Status);
        let status = raw_status.and_then(|raw| metadata::Status::parse(&raw.value));
        let unfinished = metadata::unfinished_severity(status);
        self.report_placeholders(raw_status.map(|raw| raw.range.clone()), unfinished);

        let mut owner = None;
        let mut target_date = None;
        for field in Field::ALL {
            let Some(raw) = fields.iter().find(|f| f.field == field) else {
                if is_plan {
                    self.diagnostics.push(
                        self.file
                            .diagnostic(
                                Code::MissingHeaderField,
                                format!("the plan has no {} field", field.label()),
                                0..0,
                            )
                            .with_severity(unfinished)
                            .with_help(format!(
                                "add a header line `| **{}:** ...` under the title",
                                field.label()
                            )),
                    );
                }
                continue;
            };
            // An unfilled Status is an error whatever else the plan says: the status decides
            // what the plan must have finished.
            let unfilled_severity = if field == Field::Status {
                Severity::Error
            } else {
                unfinished
            };
            let value = raw.value.trim();
            let is_placeholder =
                (value.starts_with('[') && value.ends_with(']')) || value.is_empty();
            if is_placeholder {
                // Reported once, as a placeholder, unless the link callback could not see it
                // (front matter) or the field is empty.
                let seen = self
                    .placeholders
                    .iter()
                    .any(|r| r.start < raw.range.end && raw.range.start < r.end);
                if !seen {
                    let message = if value.is_empty() {
                        format!("the {} field is empty", field.label())
                    } else {
                        format!("unfilled template placeholder `{value}`")
                    };
                    let code = if value.is_empty() {
                        Code::MissingHeaderField
                    } else {
                        Code::UnfilledPlaceholder
                    };
                    self.diagnostics.push(
                        self.file
                            .diagnostic(code, message, raw.range.clone())
                            .with_severity(unfilled_severity),
                    );
                }
                continue;
            }
            match field {
                Field::Status => {
                    if status.is_none() {
                        let meant = metadata::status_suggestion(value);
                        let help = match meant {
                            Some(meant) => format!("did you mean `{meant}`?"),
                            None => format!("use one of: {}", metadata::Status::labels().join(", ")),
                        };
                        let mut diagnostic = self
                            .file
                            .diagnostic(
                                Code::UnknownStatus,
                                format!("status `{value}` is not one of the allowed statuses"),
                                raw.range.clone(),
                            )
                            .with_help(help);
                        if let Some(meant) = meant {
                            let span = diagnostic.span;
                            diagnostic = diagnostic.with_fix(span, meant);
                        }
                        self.diagnostics.push(diagnostic);
                    }
                }
                Field::Owner => owner = Some(value.to_string()),
                Field::TargetDate => match metadata::parse_date(value) {
                    Ok(date) => target_date = Some(date),
                    Err(DateError::Format) => self.diagnostics.push(
                        self.file
                            .diagnostic(Code::UnknownDateFormat, format!("target date `{value}` is not a date in DD-MM-YYYY or YYYY-MM-DD form"), raw.range.clone())
                            .with_help("write the date as DD-MM-YYYY (the template's form) or YYYY-MM-DD"),
                    ),
                    Err(DateError::Impossible) => {
                        let mut d = self.file.diagnostic(
                            Code::NoSuchDate,
                            format!("target date `{value}` does not exist"),
                            raw.range.clone(),
                        );
                        if let Some(date) = metadata::us_date_as_template(value) {
                            d = d.with_help(format!(
                                "this reads as month first (US order); the template's form is DD-MM-YYYY: `{date}`"
                            ));
                        }
                        self.diagnostics.push(d);
                    }
                },
            }
        }

        let acceptance_tasks: Vec<&Task> = {
            let in_acceptance: Vec<&Task> = self
                .tasks
                .iter()
                .filter(|t| {
                    t.section
                        .as_deref()
                        .is_some_and(|s| s.to_ascii_lowercase().contains("acceptance"))
                })
                .collect();
            if in_acceptance.is_empty() {
                self.tasks.iter().collect()
            } else {
                in_acceptance
            }
        };
        let acceptance = Progress {
            done: acceptance_tasks.iter().filter(|t| t.done).count(),
            total: acceptance_tasks.len(),
        };

        Plan {
            path: self.path.to_string(),
            name,
            is_plan,
            status,
            owner,
            target_date,
            sections: section_tree(&self.headings),
            dependencies: std::mem::take(&mut self.dependencies),
            dependencies_heading: self.dependencies_heading,
            blocks: std::mem::take(&mut self.blocks),
            tables: std::mem::take(&mut self.tables),
            tasks: std::mem::take(&mut self.tasks),
            acceptance,
            source: self.file.clone(),
            link_root: None,
        }
    }
}

/// Appends one text event of a code block, recording where each of its lines starts in the
/// file. pulldown-cmark hands code text out line by line inside containers, with the source
/// range of each piece; a piece whose text differs from its source (tab expansion) is mapped
/// to where it stands.
fn append_mapped(
    open: &mut OpenBlock,
    text: &str,
    range: Range<usize>,
    file_text: &str,
    file: &SourceText,
) {
    let exact = file_text.get(range.clone()) == Some(text);
    let mut local = 0;
    // Every piece starts either an event or a line, so each gets its own origin.
    for piece in text.split_inclusive('\n') {
        let mut file_offset = if exact {
            range.start + local
        } else {
            range.start
        };
        // A CR LF is handed out as its `\n`; the line break stands where the line's text
        // ends, at the `\r`, as it does in a file read whole (`SourceText::span`).
        if piece.starts_with('\n')
            && file_offset > 0
            && file_text.as_bytes().get(file_offset - 1) == Some(&b'\r')
        {
            file_offset -= 1;
        }
        let (line, column) = file.position(file_offset);
        open.lines.push(LineOrigin {
            offset: open.text.len(),
            line,
            column,
        });
        open.text.push_str(piece);
        local += piece.len();
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn section_tree(headings: &[(u8, String, u32, Range<usize>)]) -> Vec<Section> {
    fn insert(into: &mut Vec<Section>, section: Section) {
        match into.last_mut() {
            Some(last) if last.level < section.level => insert(&mut last.children, section),
            _ => into.push(section),
        }
    }
    let mut roots = Vec::new();
    for (level, title, line, _) in headings {
        insert(
            &mut roots,
            Section {
                level: *level,
                title: title.clone(),
                line: *line,
                children: Vec::new(),
            },
        );
    }
    roots
}

/// Strips a trailing "technical implementation plan" (and separators before it) from a title.
fn strip_plan_suffix(title: &str) -> String {
    let lower = title.to_ascii_lowercase();
    let trimmed = lower.trim_end();
    let name = if trimmed.ends_with(PLAN_SUFFIX) {
        &title[..trimmed.len() - PLAN_SUFFIX.len()]
    } else {
        title
    };
    let name = name
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '|'));
    if name.is_empty() {
        title.trim().to_string()
    } else {
        name.trim().to_string()
    }
}

fn file_stem(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.')
        .map_or(file, |(stem, _)| stem)
        .to_string()
}

/// The range without surrounding whitespace.
fn trimmed_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    start..start + slice.trim().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# [Feature-name] Technical Implementation Plan\n\n| **Status:** [status] <!-- Draft | In Review -->\n| **Owner:** Ann\n| **Target Date:** 31-02-2027 |\n\n## Dependencies\n\n- [Identity](../identity/plan.md) for user ids\n- Stripe API\n  - nested note\n\n## Design\n\n- item\n  ```smithy\n  a\n\n\tb\n  ```\n> ~~~mermaid\n> x\n>   y\n> ~~~\n\n## Acceptance Criteria\n\n- [ ] todo\n- [x] done\n\n| Risk | Impact |\n|---|---|\n| [risk] | high |\n";

    #[test]
    fn reads_the_template_shape() {
        let (plan, diags) = read_plan("orders/plan.md", SAMPLE);
        assert_eq!(plan.name, "[Feature-name]");
        assert!(plan.is_plan);
        assert_eq!(plan.owner.as_deref(), Some("Ann"));
        assert_eq!(plan.status, None);
        assert_eq!(plan.dependencies.len(), 2);
        assert_eq!(
            plan.dependencies[0].link.as_deref(),
            Some("../identity/plan.md")
        );
        assert_eq!(plan.dependencies[0].text, "Identity for user ids");
        assert_eq!(plan.dependencies[1].text, "Stripe API");
        assert_eq!(plan.dependencies[1].span.line, 10);
        assert_eq!(plan.acceptance, Progress { done: 1, total: 2 });
        assert_eq!(plan.tables.len(), 1);
        let codes: Vec<(&str, u32)> = diags
            .iter()
            .map(|d| (d.code.as_str(), d.span.line))
            .collect();
        assert!(codes.contains(&("PLAN005", 1)), "{codes:?}");
        assert!(codes.contains(&("PLAN005", 3)), "{codes:?}");
        assert!(codes.contains(&("PLAN004", 5)), "{codes:?}");
        assert!(codes.contains(&("PLAN005", 33)), "{codes:?}");
        assert!(!codes.iter().any(|(c, _)| *c == "PLAN002"), "{codes:?}");
    }

    #[test]
    fn block_positions_map_to_the_file() {
        let (plan, _) = read_plan("p.md", SAMPLE);
        let smithy = &plan.blocks[0];
        assert_eq!(
            (smithy.kind.clone(), smithy.line, smithy.column),
            (BlockKind::Smithy, 17, 3)
        );
        assert_eq!(smithy.source.text.as_str(), "a\n\n  b\n");
        let b = smithy.source.text.find('b').unwrap();
        assert_eq!(smithy.source.position(b).0, 19);
        let mermaid = &plan.blocks[1];
        assert_eq!((mermaid.line, mermaid.column), (22, 3));
        let y = mermaid.source.text.find('y').unwrap();
        assert_eq!(mermaid.source.position(y), (23, 5));
    }

    #[test]
    fn front_matter_and_table_metadata() {
        let fm = "---\nstatus: in progress\nowner: Bo\ntarget_date: 2027-03-01\n---\n# Payments technical implementation plan\n";
        let (plan, diags) = read_plan("p.md", fm);
        assert_eq!(plan.name, "Payments");
        assert_eq!(plan.status, Some(metadata::Status::InProgress));
        assert_eq!(plan.target_date.as_deref(), Some("2027-03-01"));
        assert!(diags.is_empty(), "{diags:?}");
        let table = "# X\n\n| Field | Value |\n|---|---|\n| **Status** | Approved |\n| Owner | Cy |\n| Target Date | 01-12-2026 |\n";
        let (plan, diags) = read_plan("p.md", table);
        assert_eq!(plan.status, Some(metadata::Status::Approved));
        assert_eq!(plan.target_date.as_deref(), Some("2026-12-01"));
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn unclosed_fence_is_reported() {
        let (plan, diags) = read_plan("p.md", "# T\n\n```mermaid\nflowchart LR\n");
        assert!(plan.blocks.is_empty(), "the unclosed block is not parsed");
        let fence: Vec<_> = diags.iter().filter(|d| d.code == "PLAN008").collect();
        assert_eq!(fence.len(), 1, "{diags:?}");
        assert_eq!(
            (fence[0].span.line, fence[0].severity),
            (3, Severity::Error)
        );
        assert_eq!(
            plan.source.text.as_str(),
            "# T\n\n```mermaid\nflowchart LR\n"
        );
    }
}
