//! Class, ER and C4 diagrams of the mermaid corpus (and its valid mutants) rendered: each SVG well-formed, one box per
//! model node with its label drawn as text, no two boxes overlapping, everything inside the
//! viewBox. `PLANSMITH_RENDER_DUMP=DIR` writes every SVG to DIR for looking at.

use crate::shared::{conformance_dir, read_tsv};
use plansmith::mermaid;
use plansmith::render::{render_mermaid, style_sheet};
use plansmith::source::SourceText;

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn number(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// `translate(x,y)` as a pair.
fn translation(transform: &str) -> Option<(f64, f64)> {
    let inner = transform.strip_prefix("translate(")?.strip_suffix(')')?;
    let (x, y) = inner.split_once(',')?;
    Some((x.trim().parse().ok()?, y.trim().parse().ok()?))
}

/// Checks one rendered diagram; `Err` says what is wrong.
fn check_rendered(src: &SourceText) -> Result<(), String> {
    let parsed = mermaid::parse(src);
    let diagram = parsed.diagram.as_ref().ok_or("not parsed")?;
    let (rendered, _) = render_mermaid(src, "t-");
    let rendered = rendered.ok_or("not rendered")?;
    if let Ok(dir) = std::env::var("PLANSMITH_RENDER_DUMP") {
        let name = src.path.replace('/', "__").replace(".mmd", ".svg");
        std::fs::write(std::path::Path::new(&dir).join(name), &rendered.svg)
            .map_err(|e| e.to_string())?;
    }
    if style_sheet::sheet(&rendered.svg).is_some_and(|sheet| !style_sheet::is_own_sheet(sheet)) {
        return Err("a style sheet beyond classes of presentation attributes".into());
    }
    // Classes written back as attributes: the checks below read attributes.
    let svg = style_sheet::inline_classes(&rendered.svg);
    let doc = roxmltree::Document::parse(&svg).map_err(|e| e.to_string())?;
    if doc.descendants().any(|n| {
        n.has_tag_name("foreignObject") || n.has_tag_name("script") || n.has_tag_name("style")
    }) {
        return Err("markup outside presentation attributes".into());
    }
    // Text anchors inside the viewBox, with the translations of enclosing groups.
    let placed = doc.descendants().filter(|n| {
        n.has_tag_name("tspan") || (n.has_tag_name("text") && n.attribute("y").is_some())
    });
    for t in placed {
        let (mut x, mut y) = (number(t, "x"), number(t, "y"));
        for g in t.ancestors() {
            if let Some((dx, dy)) = g.attribute("transform").and_then(translation) {
                x += dx;
                y += dy;
            }
        }
        if x < 0.0 || y < 0.0 || x > rendered.width + 0.01 || y > rendered.height + 0.01 {
            return Err(format!("text {:?} outside the viewBox", t.text()));
        }
    }
    let texts: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    let texts = squeeze(&texts);
    // C4 relations may end at a boundary or an undefined alias: the graph view gives those a
    // node, but they are not elements of the model.
    let graph = diagram.graph();
    let nodes = graph
        .graph
        .node_weights()
        .filter(|n| !matches!(n.kind.as_str(), "boundary" | "undefined"))
        .count();
    if rendered.boxes.len() != nodes {
        return Err(format!("{} boxes for {nodes} nodes", rendered.boxes.len()));
    }
    for b in &rendered.boxes {
        if !texts.contains(&squeeze(&b.label)) {
            return Err(format!("label {:?} not drawn", b.label));
        }
        let r = b.rect;
        if r.x < 0.0
            || r.y < 0.0
            || r.x + r.width > rendered.width + 0.01
            || r.y + r.height > rendered.height + 0.01
        {
            return Err(format!("{:?} outside the viewBox", b.label));
        }
    }
    for (i, a) in rendered.boxes.iter().enumerate() {
        for b in &rendered.boxes[i + 1..] {
            if a.rect.overlaps(&b.rect) {
                return Err(format!("{:?} overlaps {:?}", a.label, b.label));
            }
        }
    }
    Ok(())
}

#[test]
fn class_er_c4_corpus_renders() {
    let Some(dir) = conformance_dir("mermaid") else {
        return;
    };
    let mut failures = Vec::new();
    let mut total = 0;
    // The corpus, and the mutants that are still valid diagrams.
    let rows = read_tsv(&dir.join("expect/verdicts.tsv"))
        .into_iter()
        .map(|row| ("corpus", row))
        .chain(
            read_tsv(&dir.join("expect/verdicts-mutants.tsv"))
                .into_iter()
                .map(|row| ("mutants", row)),
        );
    for (folder, row) in rows {
        if !matches!(row["type"].as_str(), "class" | "er" | "c4") || row["verdict"] != "valid" {
            continue;
        }
        let file = &row["file"];
        let text = std::fs::read_to_string(dir.join(folder).join(file)).unwrap();
        let src = SourceText::whole_file(file.clone(), text);
        if !mermaid::parse(&src).is_valid() {
            continue;
        }
        total += 1;
        if let Err(why) = check_rendered(&src) {
            failures.push(format!("{file}: {why}"));
        }
    }
    eprintln!(
        "class/er/c4 rendering: {}/{total} pass",
        total - failures.len()
    );
    // Speed is measured by the `render` bench, not here.
    assert!(total > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Renders a diagram written inline, asserting it is valid.
fn render(
    text: &str,
) -> (
    plansmith::render::Rendered,
    Vec<plansmith::diagnostic::Diagnostic>,
) {
    let src = SourceText::whole_file("inline.mmd".to_string(), text.to_string());
    let (rendered, diagnostics) = render_mermaid(&src, "p-");
    let mut rendered = rendered.unwrap_or_else(|| panic!("{diagnostics:?}"));
    // Classes written back as attributes: these tests look for attributes.
    rendered.svg = style_sheet::inline_classes(&rendered.svg);
    (rendered, diagnostics)
}

/// The ids the `marker-start`/`marker-end` attributes of the drawn paths refer to.
fn markers_used(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("path"))
        .flat_map(|n| [n.attribute("marker-start"), n.attribute("marker-end")])
        .flatten()
        .map(|m| {
            m.trim_start_matches("url(#")
                .trim_end_matches(')')
                .to_string()
        })
        .collect()
}

#[test]
fn class_relations_get_uml_ends_and_members_their_style() {
    let (r, diagnostics) = render(
        "classDiagram\nclass Shape~T~ {\n  <<interface>>\n  +area()* double\n  +int count$\n}\n\
         Shape <|-- Circle\nCar *-- Wheel : has\nPond o-- Duck\nA ..> B\nC ..|> Shape\n\
         Shape \"1\" --> \"many\" Circle\nlollipop ()-- Circle\n\
         click Circle href \"javascript:alert(1)\"\n",
    );
    let used = markers_used(&r.svg);
    for kind in [
        "extension",
        "composition",
        "aggregation",
        "dependency",
        "lollipop",
    ] {
        assert!(
            used.contains(&format!("p-class-{kind}")),
            "{kind} not used: {used:?}"
        );
    }
    for text in ["Shape<T>", "«interface»", "1", "many", "has"] {
        assert!(
            r.svg.contains(&format!(
                ">{}<",
                text.replace('<', "&lt;").replace('>', "&gt;")
            )),
            "{text}"
        );
    }
    assert!(r.svg.contains("font-style=\"italic\">+area() : double<"));
    assert!(r.svg.contains("text-decoration=\"underline\">+int count<"));
    assert!(!r.svg.contains("javascript"));
    assert!(diagnostics.iter().any(|d| d.code == "MMD701"));
}

#[test]
fn er_relationships_get_crows_feet_and_identifying_lines() {
    let (r, _) = render(
        "erDiagram\nCUSTOMER ||--o{ ORDER : places\nORDER }|..|| PRODUCT : lists\n\
         ORDER |o--|{ LINE : has\nCUSTOMER[\"Customer\"] {\n  string id PK \"the key\"\n  string ref UK, FK\n}\n",
    );
    let used = markers_used(&r.svg);
    for kind in ["only_one", "zero_or_more", "one_or_more", "zero_or_one"] {
        assert!(used.contains(&format!("p-er-{kind}")), "{kind}: {used:?}");
    }
    let doc = roxmltree::Document::parse(&r.svg).unwrap();
    let lines: Vec<bool> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("marker-end").is_some())
        .map(|n| n.attribute("stroke-dasharray").is_some())
        .collect();
    assert_eq!(
        lines,
        [false, true, false],
        "identifying solid, others dashed"
    );
    assert!(r.boxes.iter().any(|b| b.label == "Customer"), "alias shown");
    for cell in ["PK", "UK, FK", "the key", "string"] {
        assert!(r.svg.contains(&format!(">{cell}<")), "{cell}");
    }
}

#[test]
fn c4_elements_take_c4_colours_and_safe_style_updates() {
    let (r, _) = render(
        "C4Context\ntitle Banking\nPerson(p, \"Customer\", \"Banks\")\nSystem_Ext(mail, \"Mail\")\n\
         System_Boundary(b, \"Bank\") {\n  ContainerDb(db, \"DB\", \"Postgres\", \"Stores\")\n  \
         ContainerQueue(q, \"Queue\", \"Kafka\")\n}\nRel(p, db, \"Reads\", \"SQL\")\n\
         UpdateElementStyle(mail, $bgColor=\"red\")\nUpdateElementStyle(q, $bgColor=\"url(javascript:x)\")\n\
         UpdateRelStyle(p, db, $lineColor=\"#00ff00\")\n",
    );
    let svg = &r.svg;
    for expected in [
        "fill=\"#08427b\"",
        "fill=\"red\"",
        "fill=\"#438dd5\"",
        "stroke=\"#00ff00\"",
        ">[Container: Postgres]<",
        ">[SYSTEM]<",
        ">[SQL]<",
        ">Banking<",
        "stroke-dasharray=\"7 7\"",
    ] {
        assert!(svg.contains(expected), "{expected} missing");
    }
    assert!(!svg.contains("javascript"));
    assert_eq!(r.boxes.len(), 4);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever a label holds (markup, entity codes, markdown, any script), the SVG stays
    /// well-formed and carries no markup of its own making.
    #[test]
    fn any_label_gives_well_formed_svg(label in "[a-zA-Z0-9 <>&#;/*`'!=:.é漢-]{0,40}") {
        let diagrams = [
            format!("classDiagram\nclass A[\"{label}\"]\nA <|-- B : \"{label}\"\nnote for A \"{label}\"\n"),
            format!("erDiagram\nA ||--o{{ B : \"{label}\"\nA {{\n  string x PK \"{label}\"\n}}\n"),
            format!("C4Context\ntitle {label}\nPerson(a, \"{label}\", \"{label}\")\nSystem(b, \"b\")\nRel(a, b, \"{label}\", \"{label}\")\n"),
        ];
        for text in diagrams {
            let src = SourceText::whole_file("p.mmd".to_string(), text);
            let (rendered, _) = render_mermaid(&src, "p-");
            let Some(rendered) = rendered else { continue };
            let sheet = style_sheet::sheet(&rendered.svg).unwrap_or_default();
            proptest::prop_assert!(style_sheet::is_own_sheet(sheet), "{}", rendered.svg);
            let svg = style_sheet::inline_classes(&rendered.svg);
            let doc = roxmltree::Document::parse(&svg);
            proptest::prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), svg);
            let doc = doc.unwrap();
            let unexpected = doc.descendants().find(|n| {
                n.is_element()
                    && !matches!(
                        n.tag_name().name(),
                        "svg" | "title" | "defs" | "marker" | "path" | "circle" | "rect"
                            | "line" | "text" | "tspan" | "g" | "a"
                    )
            });
            proptest::prop_assert!(unexpected.is_none(), "{:?}", unexpected);
        }
    }
}
