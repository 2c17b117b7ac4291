//! Drawing defects found comparing with mermaid's own drawings, one test each: what mermaid
//! shows, shown here too.

use plansmith::render::layout::{Point, Rect};
use plansmith::render::{render_mermaid, Rendered};
use plansmith::source::SourceText;

fn render(text: &str) -> Rendered {
    let src = SourceText::whole_file("fix.mmd", text.to_string());
    let (rendered, diagnostics) = render_mermaid(&src, "f-");
    rendered.unwrap_or_else(|| panic!("not rendered: {diagnostics:?}"))
}

/// The lines of text drawn: each `<text>` or `<tspan>` element's own text, in document order.
fn lines(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("tspan") || n.has_tag_name("text"))
        .map(|n| {
            n.children()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<String>()
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

fn rect_of(rendered: &Rendered, id: &str) -> Rect {
    rendered
        .boxes
        .iter()
        .find(|b| b.id == id)
        .unwrap_or_else(|| panic!("no box {id}"))
        .rect
}

fn distance_to(rect: Rect, p: Point) -> f64 {
    let dx = (rect.x - p.x).max(p.x - rect.x - rect.width).max(0.0);
    let dy = (rect.y - p.y).max(p.y - rect.y - rect.height).max(0.0);
    (dx * dx + dy * dy).sqrt()
}

/// The last point of the path data `d`.
fn last_point(d: &str) -> Point {
    let (x, y) = *crate::svg_path::points(d).last().expect("a point");
    Point { x, y }
}

#[test]
fn front_matter_title_is_drawn_for_flowcharts() {
    let titled = render("---\ntitle: Checkout flow\n---\nflowchart LR\n  a --> b\n");
    let plain = render("flowchart LR\n  a --> b\n");
    assert!(lines(&titled.svg).contains(&"Checkout flow".to_string()));
    assert!(titled.height > plain.height);
    // The boxes move down with the drawing, under the title.
    assert!(rect_of(&titled, "a").y > rect_of(&plain, "a").y);
}

#[test]
fn flowchart_nodes_edges_and_subgraphs_carry_hooks() {
    let r = render("flowchart LR\n  subgraph Shop\n    a[Basket] --> b[Order]\n  end\n  b --> c\n");
    let doc = roxmltree::Document::parse(&r.svg).unwrap();
    let values = |name: &str| -> Vec<&str> {
        doc.descendants()
            .filter_map(|n| n.attribute(name))
            .collect()
    };
    assert_eq!(values("data-id"), ["a", "b", "c"]);
    assert_eq!(values("data-from"), ["a", "b"]);
    assert_eq!(values("data-to"), ["b", "c"]);
    assert_eq!(values("data-cluster"), ["Shop"]);
}

#[test]
fn sequence_autonumber_resumes_its_count_after_off() {
    let r = render(
        "sequenceDiagram\nautonumber\nA->>B: one\nautonumber off\nA->>B: two\nautonumber\nA->>B: three\n",
    );
    let texts = lines(&r.svg);
    // mermaid counts the unnumbered message too: 1, (2 hidden), 3.
    assert!(texts.contains(&"1".to_string()));
    assert!(!texts.contains(&"2".to_string()));
    assert!(texts.contains(&"3".to_string()), "{texts:?}");
}

#[test]
fn sequence_box_colour_names_are_read_in_any_case_when_drawn() {
    let r = render(
        "sequenceDiagram\nbox Purple Alice & John\nparticipant A\nparticipant J\nend\nA->>J: hi\n",
    );
    let texts = lines(&r.svg);
    assert!(texts.contains(&"Alice & John".to_string()), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("Purple")), "{texts:?}");
    let doc = roxmltree::Document::parse(&r.svg).unwrap();
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("purple")),
        "no purple box"
    );
    // A first word that names no colour stays in the label, and the box is not filled.
    let plain = render("sequenceDiagram\nbox Payments team\nparticipant A\nend\nA->>A: hi\n");
    assert!(lines(&plain.svg).contains(&"Payments team".to_string()));
}

#[test]
fn sequence_nowrap_notes_keep_their_line() {
    let long = "this note is long enough that it would be wrapped onto several lines otherwise";
    let wrapped = render(&format!(
        "sequenceDiagram\nA->>B: hi\nNote over A: {long}\n"
    ));
    let kept = render(&format!(
        "sequenceDiagram\nA->>B: hi\nNote over A: nowrap: {long}\n"
    ));
    assert!(!lines(&wrapped.svg).contains(&long.to_string()));
    assert!(lines(&kept.svg).contains(&long.to_string()));
}

#[test]
fn c4_dynamic_relations_are_numbered_in_order() {
    let r = render(
        "C4Dynamic\nPerson(u, \"User\")\nSystem(s, \"Shop\")\nSystem(p, \"Payments\")\n\
         Rel(u, s, \"Orders\")\nRel(s, p, \"Charges\")\n",
    );
    let texts = lines(&r.svg);
    assert!(texts.contains(&"1: Orders".to_string()), "{texts:?}");
    assert!(texts.contains(&"2: Charges".to_string()));
    let context =
        render("C4Context\nPerson(u, \"User\")\nSystem(s, \"Shop\")\nRel(u, s, \"Orders\")\n");
    assert!(lines(&context.svg).contains(&"Orders".to_string()));
}

#[test]
fn c4_technology_breaks_at_br() {
    let r = render(
        "C4Context\nPerson(u, \"User\")\nSystem(s, \"Shop\")\nRel(u, s, \"Orders\", \"HTTPS<br/>JSON\")\n",
    );
    let texts = lines(&r.svg);
    assert!(texts.contains(&"[HTTPS".to_string()), "{texts:?}");
    assert!(texts.contains(&"JSON]".to_string()));
}

#[test]
fn c4_rel_back_points_at_its_first_argument() {
    let r = render(
        "C4Context\nPerson(u, \"User\")\nSystem(s, \"Shop\")\nRel_Back(u, s, \"Notifies\")\n",
    );
    let doc = roxmltree::Document::parse(&r.svg).unwrap();
    let path = doc
        .descendants()
        .find(|n| n.has_tag_name("path") && n.attribute("marker-end").is_some())
        .unwrap();
    // The SVG's coordinates are those of the boxes moved by the drawing's translation.
    let (dx, dy) = doc
        .descendants()
        .filter_map(|n| n.attribute("transform"))
        .find_map(|t| {
            let inner = t.strip_prefix("translate(")?.strip_suffix(')')?;
            let (x, y) = inner.split_once(',')?;
            Some((x.parse::<f64>().ok()?, y.parse::<f64>().ok()?))
        })
        .unwrap_or((0.0, 0.0));
    let tip = last_point(path.attribute("d").unwrap());
    let tip = Point {
        x: tip.x + dx,
        y: tip.y + dy,
    };
    assert!(
        distance_to(rect_of(&r, "u"), tip) < distance_to(rect_of(&r, "s"), tip),
        "the arrow ends at {tip:?}"
    );
}

#[test]
fn c4_label_offsets_keep_the_label_at_its_edge() {
    let text = "C4Context\nPerson(u, \"User\")\nSystem(s, \"Shop\")\nRel(u, s, \"Orders\")\n";
    let base = render(text);
    let moved = render(&format!(
        "{text}UpdateRelStyle(u, s, $offsetX=\"-400\", $offsetY=\"300\")\n"
    ));
    let label_x = |r: &Rendered| -> f64 {
        let doc = roxmltree::Document::parse(&r.svg).unwrap();
        doc.descendants()
            .find(|n| n.text() == Some("Orders"))
            .and_then(|n| n.attribute("x"))
            .unwrap()
            .parse()
            .unwrap()
    };
    // The label's size: 16 px theme text at C4's 0.875 and its relations' 0.8.
    let width = plansmith::render::text::width("Orders", 16.0 * 0.875 * 0.8, false);
    // Moved left, but by no more than half the label's width: it still touches its edge.
    let shift = label_x(&base) - label_x(&moved);
    assert!(
        shift > 0.0 && shift <= width / 2.0 + 0.5,
        "moved by {shift}"
    );
}
