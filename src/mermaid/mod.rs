//! Mermaid diagrams: preprocessing as mermaid does it, family detection, and one parser per
//! supported family.
//!
//! Offsets are preserved throughout: [`prepare`] single-quotes the attributes of HTML tags and
//! blanks front matter, directives and comments with spaces instead of removing them, so a byte
//! offset into [`Prepared::text`] is the same offset into the block's [`SourceText`], and every
//! diagnostic maps to the Markdown file.
//!
//! Architecture Invariant: a parser consumes input on every step or stops, and never fails as a
//! whole: any text gives a model (perhaps partial) and diagnostics at the offending tokens.

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceText;
use serde::Serialize;
use std::ops::Range;

pub mod c4;
pub mod class;
pub mod er;
pub mod flowchart;
mod jison_rules;
pub mod link;
mod lint;
pub mod sequence;
pub mod state;
mod syntax_error;
#[cfg(test)]
mod test_support;
pub(crate) mod token_input;

/// The diagram families plansmith parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Flowchart,
    Sequence,
    Class,
    Er,
    State,
    C4,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Flowchart => "flowchart",
            Family::Sequence => "sequence",
            Family::Class => "class",
            Family::Er => "er",
            Family::State => "state",
            Family::C4 => "c4",
        }
    }
}

/// The direction a diagram or group is laid out in, as mermaid's words name it. `TD` stays
/// apart from `TB` where mermaid keeps the word as written (a flowchart subgraph's
/// `direction TD`); both mean top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Direction {
    #[default]
    #[serde(rename = "TB")]
    TopToBottom,
    #[serde(rename = "TD")]
    TopDown,
    #[serde(rename = "BT")]
    BottomToTop,
    #[serde(rename = "LR")]
    LeftToRight,
    #[serde(rename = "RL")]
    RightToLeft,
}

impl Direction {
    /// The direction a word names: `TB`, `TD`, `BT`, `LR` or `RL`, as written.
    pub fn from_word(word: &str) -> Option<Direction> {
        Some(match word {
            "TB" => Direction::TopToBottom,
            "TD" => Direction::TopDown,
            "BT" => Direction::BottomToTop,
            "LR" => Direction::LeftToRight,
            "RL" => Direction::RightToLeft,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::TopToBottom => "TB",
            Direction::TopDown => "TD",
            Direction::BottomToTop => "BT",
            Direction::LeftToRight => "LR",
            Direction::RightToLeft => "RL",
        }
    }
}

/// What the first keyword of a diagram says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Detected {
    /// One of the families we parse.
    Supported(Family),
    /// A family mermaid knows and plansmith does not parse (named by its keyword's family).
    Unsupported(&'static str),
}

impl Detected {
    pub fn name(self) -> &'static str {
        match self {
            Detected::Supported(f) => f.as_str(),
            Detected::Unsupported(name) => name,
        }
    }
}

/// Keywords in the order mermaid's detectors try them (longest first where one is a prefix of
/// another). Each entry: keyword, what it detects.
const KEYWORDS: &[(&str, Detected)] = &[
    ("C4Context", Detected::Supported(Family::C4)),
    ("C4Container", Detected::Supported(Family::C4)),
    ("C4Component", Detected::Supported(Family::C4)),
    ("C4Dynamic", Detected::Supported(Family::C4)),
    ("C4Deployment", Detected::Supported(Family::C4)),
    ("flowchart-elk", Detected::Supported(Family::Flowchart)),
    ("flowchart", Detected::Supported(Family::Flowchart)),
    ("graph", Detected::Supported(Family::Flowchart)),
    ("sequenceDiagram", Detected::Supported(Family::Sequence)),
    ("classDiagram-v2", Detected::Supported(Family::Class)),
    ("classDiagram", Detected::Supported(Family::Class)),
    ("erDiagram", Detected::Supported(Family::Er)),
    ("stateDiagram-v2", Detected::Supported(Family::State)),
    ("stateDiagram", Detected::Supported(Family::State)),
    ("gantt", Detected::Unsupported("gantt")),
    ("pie", Detected::Unsupported("pie")),
    ("gitGraph", Detected::Unsupported("gitgraph")),
    ("journey", Detected::Unsupported("journey")),
    ("requirementDiagram", Detected::Unsupported("requirement")),
    ("requirement", Detected::Unsupported("requirement")),
    ("mindmap", Detected::Unsupported("mindmap")),
    ("timeline", Detected::Unsupported("timeline")),
    ("quadrantChart", Detected::Unsupported("quadrant")),
    ("sankey-beta", Detected::Unsupported("sankey")),
    ("sankey", Detected::Unsupported("sankey")),
    ("xychart-beta", Detected::Unsupported("xychart")),
    ("xychart", Detected::Unsupported("xychart")),
    ("block-beta", Detected::Unsupported("block")),
    ("block", Detected::Unsupported("block")),
    ("packet-beta", Detected::Unsupported("packet")),
    ("packet", Detected::Unsupported("packet")),
    ("architecture-beta", Detected::Unsupported("architecture")),
    ("architecture", Detected::Unsupported("architecture")),
    ("kanban", Detected::Unsupported("kanban")),
    ("radar-beta", Detected::Unsupported("radar")),
    ("treemap-beta", Detected::Unsupported("treemap")),
    ("treemap", Detected::Unsupported("treemap")),
    ("treeView-beta", Detected::Unsupported("treeview")),
    ("ishikawa-beta", Detected::Unsupported("ishikawa")),
    ("ishikawa", Detected::Unsupported("ishikawa")),
    ("venn-beta", Detected::Unsupported("venn")),
    ("wardley-beta", Detected::Unsupported("wardley")),
    ("eventmodeling", Detected::Unsupported("eventmodeling")),
    ("zenuml", Detected::Unsupported("zenuml")),
    ("info", Detected::Unsupported("info")),
];

/// A diagram after mermaid's preprocessing, ready for a family parser.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The block's text with every line break a `\n` (mermaid's first clean-up, done here for
    /// every family), and its map to the file: the offsets of `text` and of every model's
    /// ranges are offsets into it, and its diagnostics are made through it.
    pub source: SourceText,
    /// `source`'s text with front matter, `%%{...}%%` directives and `%%` comment lines
    /// replaced by spaces (newlines kept): same length, same offsets.
    pub text: String,
    /// The detected family, if any keyword matched.
    pub detected: Option<Detected>,
    /// The byte range of the diagram keyword in `text`.
    pub keyword: Range<usize>,
    /// Front matter, when present.
    pub front_matter: Option<FrontMatter>,
    /// The raw bodies of `%%{ ... }%%` directives, with their ranges.
    pub directives: Vec<(Range<usize>, String)>,
}

/// The YAML front matter of a diagram (`---` ... `---`). Only the keys plansmith uses are
/// interpreted; the raw text is kept for renderers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub range: Range<usize>,
    pub raw: String,
    pub title: Option<String>,
}

/// Blanks `range` of `text` with spaces, keeping newlines (and so every offset) intact.
fn blank(text: &mut [u8], range: Range<usize>) {
    for b in &mut text[range] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

/// Mermaid's preprocessing. See the module documentation.
pub fn prepare(src: &SourceText) -> Prepared {
    // Mermaid turns `\r\n` and a lone `\r` into `\n` before anything else. A map that kept
    // offsets could not do the same (a `\r` kept as a space or a second `\n` changes a
    // multi-line quoted label), so the text is rewritten and its line table with it.
    let source = src.with_lf_line_breaks();
    let cleaned = single_quote_attributes(&source.text);
    let original = cleaned.as_str();
    let mut bytes = original.as_bytes().to_vec();
    let mut front_matter = None;

    // Front matter: `---` on the first line, closed by a line of `---`.
    let first_line_end = original.find('\n').unwrap_or(original.len());
    if original[..first_line_end].trim_end() == "---" {
        let mut pos = first_line_end + 1;
        while pos < original.len() {
            let end = original[pos..]
                .find('\n')
                .map_or(original.len(), |e| pos + e);
            if original[pos..end].trim_end() == "---" {
                let raw = original[first_line_end + 1..pos].to_string();
                let title = raw.lines().find_map(|l| {
                    l.strip_prefix("title:")
                        .map(|t| unquote(t.trim()).to_string())
                });
                front_matter = Some(FrontMatter {
                    range: 0..end,
                    raw,
                    title,
                });
                blank(&mut bytes, 0..end);
                break;
            }
            pos = end + 1;
        }
    }

    // Directives `%%{ ... }%%`, which may span lines.
    let mut directives = Vec::new();
    let mut search = 0;
    while let Some(start) = original[search..].find("%%{").map(|s| s + search) {
        let Some(close) = original[start + 3..].find("}%%") else {
            break;
        };
        let end = start + 3 + close + 3;
        directives.push((start..end, original[start + 3..end - 3].to_string()));
        blank(&mut bytes, start..end);
        search = end;
    }

    // Comment lines: `%%` as the first non-blank characters of a line.
    let mut line_start = 0;
    for line in original.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("%%") && !trimmed.starts_with("%%{") {
            let end = line_start + line.trim_end_matches('\n').len();
            blank(&mut bytes, line_start..end);
        }
        line_start += line.len();
    }

    // Only ASCII bytes inside whole blanked regions were touched, and every blanked region
    // starts and ends on a character boundary, so the text stays valid UTF-8.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let (detected, keyword) = detect(&text);
    Prepared {
        source,
        text,
        detected,
        keyword,
        front_matter,
        directives,
    }
}

/// `<tag a="x">` becomes `<tag a='x'>`, as mermaid's clean-up does before any diagram is
/// parsed (its parsers would end a quoted label at the attribute's `"`). Same length, same
/// offsets.
fn single_quote_attributes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            let Some(close) = bytes[i..].iter().position(|&b| b == b'>') else {
                break;
            };
            let tag = &bytes[i..i + close];
            let mut j = 0;
            while j + 1 < tag.len() {
                if tag[j] == b'=' && tag[j + 1] == b'"' {
                    if let Some(end) = tag[j + 2..].iter().position(|&b| b == b'"') {
                        out[i + j + 1] = b'\'';
                        out[i + j + 2 + end] = b'\'';
                        j += 2 + end + 1;
                        continue;
                    }
                }
                j += 1;
            }
            i += close + 1;
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn unquote(s: &str) -> &str {
    let quoted = s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')));
    if quoted {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// Detects the family from the first keyword, as mermaid's detectors do (`^\s*keyword`).
pub fn detect(text: &str) -> (Option<Detected>, Range<usize>) {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    for (keyword, detected) in KEYWORDS {
        if rest.starts_with(keyword) {
            return (Some(*detected), start..start + keyword.len());
        }
    }
    let word_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    (None, start..start + word_end)
}

/// The diagnostic for a diagram whose keyword names no family mermaid knows.
pub fn unknown_family(prepared: &Prepared) -> Diagnostic {
    let word = &prepared.text[prepared.keyword.clone()];
    let message = if word.is_empty() {
        "empty mermaid diagram: no diagram type keyword".to_string()
    } else {
        format!("unknown mermaid diagram type `{word}`")
    };
    prepared
        .source
        .diagnostic(Code::UnknownDiagramType, message, prepared.keyword.clone())
        .with_help(
        "start the diagram with a type keyword such as flowchart, sequenceDiagram, classDiagram, erDiagram, stateDiagram-v2 or C4Context",
    )
}

/// A parsed diagram of one of the supported families.
#[derive(Debug, Clone)]
pub enum Diagram {
    Sequence(sequence::SequenceDiagram),
    Class(class::ClassDiagram),
    Er(er::ErDiagram),
    C4(c4::C4Diagram),
    Flowchart(flowchart::Flowchart),
    State(state::StateDiagram),
}

impl Diagram {
    /// The graph view of the diagram, for checks and layered layout.
    pub fn graph(&self) -> DiagramGraph {
        match self {
            Diagram::Sequence(d) => d.graph(),
            Diagram::Class(d) => d.graph(),
            Diagram::Er(d) => d.graph(),
            Diagram::C4(d) => d.graph(),
            Diagram::Flowchart(d) => d.graph(),
            Diagram::State(d) => d.graph(),
        }
    }
}

/// A node of a [`DiagramGraph`]: a flowchart node, participant, class, entity, state or C4
/// element.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    /// The family's own name for the node's kind or shape (`rect`, `participant`, `person`, ...).
    pub kind: String,
    /// The id of the innermost group (subgraph, boundary, composite state, namespace, box).
    pub group: Option<String>,
}

/// An edge of a [`DiagramGraph`]: a link, message, relation or transition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    /// The family's own name for the edge type (`arrow_point`, `solid_open`, `inheritance`, ...).
    pub kind: String,
    pub label: String,
}

/// A group of nodes, possibly nested.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphGroup {
    pub id: String,
    pub label: String,
    pub parent: Option<String>,
}

/// The family-independent graph of a diagram. Node and edge order follow the source.
#[derive(Debug, Clone, Default)]
pub struct DiagramGraph {
    pub graph: petgraph::graph::DiGraph<GraphNode, GraphEdge>,
    pub groups: Vec<GraphGroup>,
}

/// The outcome of parsing one mermaid block, kept by the block from `check` to `build`.
#[derive(Debug, Clone)]
pub struct ParsedDiagram {
    /// The text after mermaid's preprocessing, with its front matter and directives.
    pub prepared: Prepared,
    pub detected: Option<Detected>,
    /// The model, when the family is supported and the text parsed (possibly with warnings).
    pub diagram: Option<Diagram>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedDiagram {
    /// Whether the diagram is drawn: parsed into a model, and valid.
    pub fn is_drawable(&self) -> bool {
        self.diagram.is_some() && self.is_valid()
    }

    /// Valid as mermaid judges it: a known family and no error.
    pub fn is_valid(&self) -> bool {
        self.detected.is_some()
            && !self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }
}

/// Preprocesses, detects and parses one diagram, then runs the lints over the model. Never
/// panics; every problem is a diagnostic.
pub fn parse(src: &SourceText) -> ParsedDiagram {
    let prepared = prepare(src);
    let src = &prepared.source;
    let mut diagnostics = Vec::new();
    let diagram = match prepared.detected {
        None => {
            diagnostics.push(unknown_family(&prepared));
            None
        }
        Some(Detected::Unsupported(name)) => {
            diagnostics.push(src.diagnostic(
                Code::UnparsedDiagramFamily,
                format!("`{name}` diagrams are recognised but not parsed"),
                prepared.keyword.clone(),
            ));
            None
        }
        Some(Detected::Supported(Family::Sequence)) => {
            let (model, mut found) = sequence::parse(&prepared);
            diagnostics.append(&mut found);
            model.map(Diagram::Sequence)
        }
        Some(Detected::Supported(Family::Class)) => {
            let (model, mut found) = class::parse(&prepared);
            diagnostics.append(&mut found);
            model.map(Diagram::Class)
        }
        Some(Detected::Supported(Family::Er)) => {
            let (model, found) = er::parse(&prepared);
            diagnostics.extend(found);
            model.map(Diagram::Er)
        }
        Some(Detected::Supported(Family::C4)) => {
            let (model, found) = c4::parse(&prepared);
            diagnostics.extend(found);
            model.map(Diagram::C4)
        }
        Some(Detected::Supported(Family::Flowchart)) => {
            let (model, found) = flowchart::parse(&prepared);
            diagnostics.extend(found);
            model.map(Diagram::Flowchart)
        }
        Some(Detected::Supported(Family::State)) => {
            let (model, found) = state::parse(&prepared);
            diagnostics.extend(found);
            model.map(Diagram::State)
        }
    };
    if let Some(diagram) = &diagram {
        diagnostics.extend(lint::lint(diagram, src));
    }
    ParsedDiagram {
        detected: prepared.detected,
        prepared,
        diagram,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_attributes_are_single_quoted_as_mermaid_does() {
        for (text, expected) in [
            (
                r#"A["<a href="x" target="_blank">y</a>"]"#,
                r#"A["<a href='x' target='_blank'>y</a>"]"#,
            ),
            // Only inside a tag: a `>` ends it, an unclosed value is left alone.
            (r#"<a b="x>y">"#, r#"<a b="x>y">"#),
            (r#"say="hi" <b c="d""#, r#"say="hi" <b c="d""#),
            (r#"< b="x">"#, r#"< b="x">"#),
            ("<i\ntitle=\"p\">", "<i\ntitle='p'>"),
        ] {
            assert_eq!(single_quote_attributes(text), expected, "{text}");
        }
    }

    #[test]
    fn prepare_blanks_and_keeps_offsets() {
        let text = "---\ntitle: \"Orders\"\n---\n%% a comment\n%%{init: {'theme':'dark'}}%%\nflowchart LR\n  A --> B\n";
        let src = SourceText::whole_file("d.mmd", text);
        let p = prepare(&src);
        assert_eq!(p.text.len(), text.len());
        assert_eq!(p.detected, Some(Detected::Supported(Family::Flowchart)));
        assert_eq!(&text[p.keyword.clone()], "flowchart");
        assert_eq!(p.front_matter.unwrap().title.as_deref(), Some("Orders"));
        assert_eq!(p.directives.len(), 1);
        assert!(!p.text.contains("comment"));
    }

    /// One diagram of each family with a multi-line quoted label (mermaid keeps its line break
    /// as written), and a broken line after it.
    const LINE_BREAK_CASES: [(&str, &str); 6] = [
        (
            "flowchart LR\n  A[\"two\nlines\"] --> B\n  %% a comment\n  B --> C\n",
            "  C --> --> é\n",
        ),
        (
            "sequenceDiagram\n  participant A as Äpfel\n  A->>B: one\n  Note over A: x\n",
            "  A->>B\n",
        ),
        (
            "classDiagram\n  class A\n  note \"two\nlines\"\n  A <|-- B\n",
            "  class Broken.\n",
        ),
        (
            "stateDiagram-v2\n  state \"two\nlines\" as S\n  [*] --> S\n",
            "  S --> --> T\n",
        ),
        (
            "erDiagram\n  A ||--o{ B : \"two\nlines\"\n  A {\n    int id\n  }\n",
            "  A ||--o{\n",
        ),
        (
            "C4Context\n  Person(a, \"two\nlines\")\n  System(s, \"S\")\n  Rel(a, s, \"uses\")\n",
            "  Person(b, \"x\"\n",
        ),
    ];

    fn with_crlf(text: &str) -> String {
        text.replace('\n', "\r\n")
    }

    #[test]
    fn crlf_line_breaks_read_as_lf_in_every_family() {
        for (valid, broken_line) in LINE_BREAK_CASES {
            let lf = crate::mermaid::test_support::parse_text(valid);
            assert!(lf.is_valid(), "{valid}: {:?}", lf.diagnostics);
            let crlf = crate::mermaid::test_support::parse_text(&with_crlf(valid));
            assert!(crlf.is_valid(), "{valid}: {:?}", crlf.diagnostics);
            // The same model, ranges included: the label keeps one `\n`, as mermaid's does.
            assert_eq!(format!("{:?}", lf.diagram), format!("{:?}", crlf.diagram));
            assert!(!format!("{:?}", crlf.diagram).contains("\\r"), "{valid}");

            let broken = format!("{valid}{broken_line}");
            let lf = crate::mermaid::test_support::parse_text(&broken);
            let crlf = crate::mermaid::test_support::parse_text(&with_crlf(&broken));
            assert!(!lf.diagnostics.is_empty(), "{broken}");
            assert_eq!(lf.diagnostics, crlf.diagnostics, "{broken}");
        }
    }

    #[test]
    fn directions_read_and_written_as_mermaid_words() {
        for word in ["TB", "TD", "BT", "LR", "RL"] {
            let direction = Direction::from_word(word).unwrap();
            assert_eq!(direction.as_str(), word);
            assert_eq!(
                serde_json::to_string(&direction).unwrap(),
                format!("\"{word}\"")
            );
        }
        assert_eq!(Direction::from_word("lr"), None);
        assert_eq!(Direction::default(), Direction::TopToBottom);
    }

    #[test]
    fn detection_order() {
        assert_eq!(
            detect("stateDiagram-v2\n").0,
            Some(Detected::Supported(Family::State))
        );
        assert_eq!(
            detect("  gitGraph:\n").0,
            Some(Detected::Unsupported("gitgraph"))
        );
        assert_eq!(detect("flowchrt LR").0, None);
    }
}
