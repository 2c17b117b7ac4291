//! Rendering of flowchart and state diagrams: every valid corpus diagram and mutant renders to
//! well-formed SVG that holds every node's label as text, with no two node boxes overlapping and nothing
//! outside the viewBox; unsafe `click` links are dropped with MMD701.

use crate::shared::{conformance_dir, read_tsv};
use plansmith::render::{render_mermaid, Rendered};
use plansmith::source::SourceText;

/// A diagram drawn, its classes written back as attributes (these tests look for attributes).
fn render(text: &str) -> (Option<Rendered>, Vec<plansmith::diagnostic::Diagnostic>) {
    let src = SourceText::whole_file("test.mmd".to_string(), text.to_string());
    let (mut rendered, diagnostics) = render_mermaid(&src, "t-");
    if let Some(rendered) = &mut rendered {
        rendered.svg = plansmith::render::style_sheet::inline_classes(&rendered.svg);
    }
    (rendered, diagnostics)
}

/// Every text node of the document, concatenated with spaces.
fn all_text(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The problems of one rendering (empty when it passes every check).
fn problems(rendered: &Rendered) -> Vec<String> {
    let mut found = Vec::new();
    let doc = match roxmltree::Document::parse(&rendered.svg) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("not well-formed: {e}")],
    };
    let text: String = all_text(&doc).split_whitespace().collect();
    for b in &rendered.boxes {
        let label: String = b.label.split_whitespace().collect();
        if !text.contains(&label) {
            found.push(format!("label {:?} of {} not drawn", b.label, b.id));
        }
        let r = b.rect;
        if r.x < 0.0
            || r.y < 0.0
            || r.x + r.width > rendered.width + 0.01
            || r.y + r.height > rendered.height + 0.01
        {
            found.push(format!("{} lies outside the viewBox", b.id));
        }
    }
    for (i, a) in rendered.boxes.iter().enumerate() {
        for b in &rendered.boxes[i + 1..] {
            if a.rect.overlaps(&b.rect) {
                found.push(format!("{} overlaps {}", a.id, b.id));
            }
        }
    }
    for forbidden in ["<foreignObject", "<script", "<style", "javascript:"] {
        if rendered.svg.contains(forbidden) {
            found.push(format!("contains {forbidden}"));
        }
    }
    found
}

#[test]
fn corpus_flowcharts_and_state_diagrams_render_cleanly() {
    let Some(dir) = conformance_dir("mermaid") else {
        return;
    };
    let mut rows = Vec::new();
    for (verdicts, folder) in [
        ("expect/verdicts.tsv", "corpus"),
        ("expect/verdicts-mutants.tsv", "mutants"),
    ] {
        for row in read_tsv(&dir.join(verdicts)) {
            rows.push((folder, row));
        }
    }
    let mut total = [0usize; 2];
    let mut clean = [0usize; 2];
    let mut failures = Vec::new();
    for (folder, row) in &rows {
        let family = match row["type"].as_str() {
            "flowchart" => 0,
            "state" => 1,
            _ => continue,
        };
        if row["verdict"] != "valid" {
            continue;
        }
        let file = &row["file"];
        let text = std::fs::read_to_string(dir.join(folder).join(file)).unwrap();
        total[family] += 1;
        match render(&text).0 {
            None => failures.push(format!("{file}: not rendered")),
            Some(rendered) => {
                let found = problems(&rendered);
                if found.is_empty() {
                    clean[family] += 1;
                } else {
                    failures.push(format!("{file}: {}", found.join("; ")));
                }
            }
        }
    }
    // Speed is measured by the `render` bench, not here.
    eprintln!(
        "render: flowchart {}/{} clean, state {}/{} clean",
        clean[0], total[0], clean[1], total[1]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shapes_styles_and_links() {
    let (rendered, diagnostics) = render(
        "flowchart LR\n  a[Start] --> b{Decide?}\n  b -->|yes| c[(Store)]\n  b -.-> d((Done))\n  \
         c ==> e@{ shape: docs, label: \"Reports\" }\n  e --o f>Flag] --x g[/Lean/]\n  \
         classDef hot fill:#f96,stroke:#333,stroke-width:4px\n  class c hot\n  \
         style d fill:red,color:#zz9\n  linkStyle 0 stroke:#ff3,stroke-dasharray: 5\n  \
         click a \"https://example.com\"\n  click g \"javascript:alert(1)\"\n",
    );
    let rendered = rendered.unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(problems(&rendered).is_empty(), "{:?}", problems(&rendered));
    let svg = &rendered.svg;
    assert!(svg.contains("href=\"https://example.com\""));
    assert!(!svg.contains("javascript"));
    let warnings: Vec<_> = diagnostics.iter().filter(|d| d.code == "MMD701").collect();
    assert_eq!(warnings.len(), 1, "{diagnostics:?}");
    // The warning points at the URL of the `click` statement (line 12).
    assert_eq!((warnings[0].span.line, warnings[0].span.column), (12, 12));
    assert!(svg.contains("fill=\"#f96\"") && svg.contains("stroke-width=\"4\""));
    assert!(svg.contains("fill=\"red\"") && !svg.contains("#zz9"));
    assert!(svg.contains("stroke=\"#ff3\"") && svg.contains("stroke-dasharray=\"5\""));
    // Markers are prefixed, and a dotted edge is dashed.
    assert!(svg.contains("id=\"t-marker-0\""));
    assert!(svg.contains("stroke-dasharray=\"3 3\""));
    assert_eq!(rendered.boxes.len(), 7);
}

#[test]
fn labels_are_cleaned_and_escaped() {
    let (rendered, _) = render(
        "flowchart TD\n  a[\"one<br>two <b>bold</b> #quot;q#quot; <script>x</script>\"] --> b[\"`**strong** *em*`\"]\n",
    );
    let svg = rendered.unwrap().svg;
    // DOMPurify drops `<script>` with its content, so `x` is not drawn.
    assert!(svg.contains(">one</tspan>") && svg.contains(">two bold &quot;q&quot;</tspan>"));
    assert!(!svg.contains("<b>") && !svg.contains("<script"));
    assert!(svg.contains("<tspan font-weight=\"bold\">strong</tspan>"));
    assert!(svg.contains("<tspan font-style=\"italic\">em</tspan>"));
}

#[test]
fn state_diagram_parts() {
    let (rendered, diagnostics) = render(
        "stateDiagram-v2\n  [*] --> Active\n  state Active {\n    [*] --> A\n    A --> B\n    --\n    [*] --> C\n  }\n  \
         Active --> fork_state\n  state fork_state <<fork>>\n  fork_state --> D\n  state pick <<choice>>\n  D --> pick\n  \
         pick --> [*]: done\n  note right of D: a note\n  D: first line\n  D: second line\n  \
         click D href \"https://example.com/d\"\n  click A href \"javascript:alert(1)\"\n",
    );
    let rendered = rendered.unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(
        diagnostics.iter().filter(|d| d.code == "MMD701").count(),
        1,
        "{diagnostics:?}"
    );
    assert!(problems(&rendered).is_empty(), "{:?}", problems(&rendered));
    let svg = &rendered.svg;
    assert!(
        svg.contains("stroke-dasharray=\"6 4\""),
        "concurrency separator"
    );
    assert!(svg.contains("fill=\"#fff5ad\""), "note colour");
    assert!(svg.contains(">second line</text>"));
    assert!(svg.contains(">done</text>"));
    assert!(svg.contains("<circle"));
    assert!(svg.contains("href=\"https://example.com/d\"") && !svg.contains("javascript"));
    // `note right of D` sits beside D in this top-to-bottom diagram.
    let state = rendered.boxes.iter().find(|b| b.id == "D").unwrap().rect;
    let note = rendered
        .boxes
        .iter()
        .find(|b| b.id.starts_with("D----note"))
        .unwrap()
        .rect;
    assert!((state.centre().y - note.centre().y).abs() < 1.0);
    assert!(note.x >= state.x + state.width);
}

#[test]
fn subgraph_direction_is_kept_only_without_links_crossing_it() {
    let (rendered, _) = render(
        "flowchart LR\n  subgraph one\n    direction TB\n    t1[top] --> b1[bottom]\n  end\n  \
         subgraph two\n    direction TB\n    t2[top] --> b2[bottom]\n  end\n  out --> one\n  out --> t2\n",
    );
    let rendered = rendered.unwrap();
    assert!(problems(&rendered).is_empty(), "{:?}", problems(&rendered));
    let centre = |id: &str| {
        let b = rendered.boxes.iter().find(|b| b.id == id).unwrap();
        b.rect.centre()
    };
    // `one` is only linked as a whole: top to bottom inside.
    assert!(centre("b1").y > centre("t1").y + 20.0);
    assert!((centre("b1").x - centre("t1").x).abs() < 1.0);
    // `two` has a link to a node inside: the diagram's left to right wins.
    assert!(centre("b2").x > centre("t2").x + 20.0);
}

#[test]
fn theme_variables_colour_the_drawing() {
    let (rendered, _) = render(
        "%%{init: {'theme': 'dark', 'themeVariables': {'primaryColor': '#123456'}}}%%\nflowchart TD\n  a --> b\n",
    );
    let svg = rendered.unwrap().svg;
    assert!(svg.contains("fill=\"#123456\""));
    assert!(svg.contains("fill=\"#333333\""), "dark background");
}

#[test]
fn degenerate_diagrams_render() {
    for text in [
        "flowchart TD\n",
        "flowchart LR\n  subgraph empty\n  end\n",
        "flowchart TD\n  a --> a\n  a --> a\n",
        "flowchart TD\n  subgraph A\n    direction LR\n    subgraph B\n      direction TB\n      x --> y\n    end\n  end\n  A --> B\n",
        "stateDiagram-v2\n  state Empty {\n  }\n",
        "stateDiagram-v2\n  [*] --> [*]\n",
        "stateDiagram-v2\n  direction LR\n  note left of A : n\n  A --> A\n",
    ] {
        let (rendered, diagnostics) = render(text);
        let rendered = rendered.unwrap_or_else(|| panic!("{text}: {diagnostics:?}"));
        assert!(
            problems(&rendered).is_empty(),
            "{text}: {:?}",
            problems(&rendered)
        );
    }
}
