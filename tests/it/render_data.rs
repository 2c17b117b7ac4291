//! Class, ER and C4 diagrams of the mermaid corpus rendered: each SVG well-formed, one box per
//! model node with its label drawn as text, no two boxes overlapping, everything inside the
//! viewBox. `PLANSMITH_RENDER_DUMP=DIR` writes every SVG to DIR for looking at.

use crate::shared::{conformance_dir, read_tsv};
use plansmith::mermaid;
use plansmith::render::render_mermaid;
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
    let doc = roxmltree::Document::parse(&rendered.svg).map_err(|e| e.to_string())?;
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
    let mut timings: Vec<(String, std::time::Duration)> = Vec::new();
    for row in read_tsv(&dir.join("expect/verdicts.tsv")) {
        if !matches!(row["type"].as_str(), "class" | "er" | "c4") || row["verdict"] != "valid" {
            continue;
        }
        let file = &row["file"];
        let text = std::fs::read_to_string(dir.join("corpus").join(file)).unwrap();
        let src = SourceText::whole_file(file.clone(), text);
        if !mermaid::parse(&src).is_valid() {
            continue;
        }
        total += 1;
        let start = std::time::Instant::now();
        let _ = render_mermaid(&src, "t-");
        timings.push((row["type"].clone(), start.elapsed()));
        if let Err(why) = check_rendered(&src) {
            failures.push(format!("{file}: {why}"));
        }
    }
    eprintln!(
        "class/er/c4 rendering: {}/{total} pass",
        total - failures.len()
    );
    // Parse and render time per family (meaningful in release builds only).
    for family in ["class", "er", "c4"] {
        let mut times: Vec<_> = timings
            .iter()
            .filter(|(f, _)| f == family)
            .map(|(_, t)| *t)
            .collect();
        times.sort();
        if let Some(median) = times.get(times.len() / 2) {
            eprintln!(
                "{family}: median {median:?}, max {:?} over {}",
                times[times.len() - 1],
                times.len()
            );
        }
    }
    assert!(total > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
