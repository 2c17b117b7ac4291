//! Rendering conformance: every valid corpus diagram of the six families goes through
//! `render_mermaid`, and its SVG is checked: it parses as XML with prefixed ids that resolve,
//! every node label of the model and every drawn box's label is there as text, no two boxes
//! overlap, everything lies inside the viewBox, nothing active or external is in it, and a
//! second rendering is identical.
//!
//! Prints a per-family scoreboard and fails below the floors in `FLOORS`. Set
//! `PLANSMITH_RENDER_REPORT=FILE` to write every failed check to FILE.

use crate::shared::{conformance_dir, read_tsv};
use plansmith::mermaid::{self, Family};
use plansmith::render::layout::Rect;
use plansmith::render::{render_mermaid, text, Rendered};
use plansmith::source::SourceText;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How far (pixels) a shape may stick out of the viewBox before it counts as outside: stroke
/// widths and rounding.
const SLACK: f64 = 1.5;

/// Floors per family, in percent of the valid corpus diagrams: (renders, well-formed, labels,
/// no overlap, inside). Families still drawn by the generic renderer sit at what it reaches;
/// raise a floor whenever a family improves.
const FLOORS: [(Family, [f64; 5]); 6] = [
    (Family::Flowchart, [100.0, 99.5, 97.5, 100.0, 100.0]),
    (Family::Sequence, [100.0, 100.0, 100.0, 100.0, 100.0]),
    (Family::Class, [100.0, 100.0, 100.0, 100.0, 100.0]),
    (Family::Er, [100.0, 100.0, 100.0, 100.0, 100.0]),
    (Family::State, [100.0, 100.0, 99.0, 100.0, 100.0]),
    (Family::C4, [100.0, 100.0, 100.0, 100.0, 100.0]),
];

#[derive(Default)]
struct Score {
    valid: usize,
    renders: usize,
    well_formed: usize,
    labels: usize,
    no_overlap: usize,
    inside: usize,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        100.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

/// Mermaid's label conventions as the renderers apply them, reduced to what the comparison
/// needs: line breaks and tags gone, entity codes decoded, markdown markers and whitespace
/// dropped (wrapping moves whitespace around, so it never counts).
/// Graph-view nodes drawn without a label box of their own, in mermaid as here: pseudo-states
/// (start, end, fork, join, choice), containers drawn as clusters (composite states, regions,
/// note groups, subgraphs), and flowchart glyph shapes whose label mermaid does not show.
const UNLABELLED_KINDS: &[&str] = &[
    "stateStart",
    "stateEnd",
    "fork",
    "join",
    "choice",
    "divider",
    "noteGroup",
    "roundedWithTitle",
    "subgraph",
    "group",
    "bolt",
    "com-link",
    "lightning-bolt",
    "f-circ",
    "filled-circle",
    "sm-circ",
    "small-circle",
    "fr-circ",
    "framed-circle",
    "cross-circ",
    "crossed-circle",
];

/// A label without Font Awesome icon names (`fa:fa-car`), which are drawn as nothing since no
/// icon font is bundled.
fn without_icons(label: &str) -> String {
    label
        .split(' ')
        .filter(|word| {
            !(word.contains(":fa-") && word.split(':').next().is_some_and(|p| p.starts_with("fa")))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn comparable(label: &str) -> String {
    let mut out = String::new();
    let mut rest = label;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            // An HTML tag (`<br/>`, `<b>`) is dropped; a lone `<` is text.
            if let Some(end) = rest.find('>') {
                let inner = &rest[1..end];
                let is_tag = inner
                    .trim_start_matches('/')
                    .starts_with(|c: char| c.is_ascii_alphabetic());
                if is_tag && !inner.contains('<') {
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        if c == '#' || c == '&' {
            if let Some((decoded, len)) = entity(rest) {
                out.push(decoded);
                rest = &rest[len..];
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
        out.push(c);
    }
    squeeze(&out)
}

/// Text without whitespace and markdown markers, on both sides of the label comparison.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '`' | '"'))
        .collect()
}

/// A mermaid entity code (`#quot;`, `#9829;`) or an HTML one (`&amp;`, `&#35;`) at the start
/// of `s`: the character and the code's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s[1..].find(';')? + 1;
    if end > 12 {
        return None;
    }
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        char::from_u32(num.parse().ok()?)?
    } else if name.chars().all(|c| c.is_ascii_digit()) && !name.is_empty() {
        char::from_u32(name.parse().ok()?)?
    } else {
        match name {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "apos" => '\'',
            "nbsp" => ' ',
            "semi" => ';',
            "colon" => ':',
            "hash" => '#',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// The text of every `<text>` element, in document order.
fn drawn_text(doc: &roxmltree::Document<'_>) -> String {
    let mut all = String::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        for t in node.descendants().filter(|n| n.is_text()) {
            all.push_str(t.text().unwrap_or_default());
        }
    }
    squeeze(&all)
}

/// Everything an SVG meant for `<img>` must not hold; `Err` names the first offence.
fn inert(doc: &roxmltree::Document<'_>) -> Result<(), String> {
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if name == "script" || name == "foreignObject" {
            return Err(format!("<{name}>"));
        }
        for attr in node.attributes() {
            let key = attr.name();
            if key.to_ascii_lowercase().starts_with("on") {
                return Err(format!("attribute {key} on <{name}>"));
            }
            if key == "href" {
                let value = attr.value().trim();
                if !value.starts_with('#') && name != "a" {
                    return Err(format!("external href {value:?} on <{name}>"));
                }
                let lower = value.to_ascii_lowercase();
                if name == "a" && !lower.starts_with("http") && lower.contains(':') {
                    return Err(format!("link {value:?}"));
                }
            }
            if key == "style" && attr.value().contains("url(") && !attr.value().contains("url(#") {
                return Err(format!("external url in style on <{name}>"));
            }
        }
    }
    Ok(())
}

/// The id prefix the checks render with.
const ID_PREFIX: &str = "d0-";

/// Every id starts with the diagram's prefix (several diagrams share one HTML page), and every
/// `url(#id)` and `#id` reference names an id of the document.
fn ids_resolve(doc: &roxmltree::Document<'_>, prefix: &str) -> Result<(), String> {
    let ids: std::collections::HashSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    if let Some(id) = ids.iter().find(|id| !id.starts_with(prefix)) {
        return Err(format!("id {id:?} lacks the prefix {prefix:?}"));
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            let value = attr.value();
            let reference = if let Some(rest) = value.trim().strip_prefix("url(#") {
                rest.split(')').next()
            } else if attr.name() == "href" {
                value.strip_prefix('#')
            } else {
                None
            };
            if let Some(target) = reference.filter(|t| !ids.contains(t)) {
                return Err(format!(
                    "{} refers to the missing id {target:?}",
                    attr.name()
                ));
            }
        }
    }
    Ok(())
}

/// The x, y, width, height of the root's viewBox.
fn view_box(doc: &roxmltree::Document<'_>) -> Option<Rect> {
    let v: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    (v.len() == 4).then(|| Rect {
        x: v[0],
        y: v[1],
        width: v[2],
        height: v[3],
    })
}

fn number(node: roxmltree::Node<'_, '_>, name: &str) -> Option<f64> {
    node.attribute(name).and_then(|v| v.trim().parse().ok())
}

/// The sum of the `translate(...)` transforms of `node` and its ancestors; `None` when another
/// kind of transform is involved (the point cannot be placed without more work).
fn offset(node: roxmltree::Node<'_, '_>) -> Option<(f64, f64)> {
    let mut dx = 0.0;
    let mut dy = 0.0;
    for n in node.ancestors().filter(|n| n.is_element()) {
        let Some(t) = n.attribute("transform") else {
            continue;
        };
        let inner = t.trim().strip_prefix("translate(")?.strip_suffix(')')?;
        let v: Vec<f64> = inner
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok())
            .collect::<Option<_>>()?;
        dx += v.first().copied().unwrap_or(0.0);
        dy += v.get(1).copied().unwrap_or(0.0);
    }
    Some((dx, dy))
}

fn font_size(node: roxmltree::Node<'_, '_>) -> f64 {
    node.ancestors()
        .find_map(|n| number(n, "font-size"))
        .unwrap_or(16.0)
}

/// The points a shape reaches (corners of rectangles, path vertices, text extents), in the
/// root's coordinates, for the "inside the viewBox" check.
fn extents(doc: &roxmltree::Document<'_>, out: &mut Vec<(f64, f64)>) {
    for node in doc.descendants().filter(|n| n.is_element()) {
        if node.ancestors().any(|a| {
            matches!(
                a.tag_name().name(),
                "defs" | "marker" | "clipPath" | "title"
            )
        }) {
            continue;
        }
        let Some((dx, dy)) = offset(node) else {
            continue;
        };
        let mut push = |x: f64, y: f64| out.push((x + dx, y + dy));
        let get = |name: &str| number(node, name).unwrap_or(0.0);
        match node.tag_name().name() {
            "rect" => {
                let (x, y) = (get("x"), get("y"));
                push(x, y);
                push(x + get("width"), y + get("height"));
            }
            "line" => {
                push(get("x1"), get("y1"));
                push(get("x2"), get("y2"));
            }
            "circle" => {
                let r = get("r");
                push(get("cx") - r, get("cy") - r);
                push(get("cx") + r, get("cy") + r);
            }
            "ellipse" => {
                let (rx, ry) = (get("rx"), get("ry"));
                push(get("cx") - rx, get("cy") - ry);
                push(get("cx") + rx, get("cy") + ry);
            }
            "polygon" | "polyline" => {
                let v: Vec<f64> = node
                    .attribute("points")
                    .unwrap_or_default()
                    .split([' ', ','])
                    .filter_map(|s| s.parse().ok())
                    .collect();
                for p in v.chunks_exact(2) {
                    push(p[0], p[1]);
                }
            }
            "path" => {
                for (x, y) in crate::svg_path::points(node.attribute("d").unwrap_or_default()) {
                    push(x, y);
                }
            }
            "tspan" | "text" if node.attribute("y").is_some() => {
                let own_text: String = node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                if own_text.trim().is_empty() {
                    continue;
                }
                let size = font_size(node);
                let bold = node
                    .ancestors()
                    .find_map(|n| n.attribute("font-weight"))
                    .is_some_and(|w| w == "bold");
                let w = text::width(&own_text, size, bold);
                let anchor = node
                    .ancestors()
                    .find_map(|n| n.attribute("text-anchor"))
                    .unwrap_or("start");
                let x = get("x");
                let left = match anchor {
                    "middle" => x - w / 2.0,
                    "end" => x - w,
                    _ => x,
                };
                let y = get("y");
                push(left, y - size * 0.8);
                push(left + w, y + size * 0.25);
            }
            _ => {}
        }
    }
}

fn contains(outer: &Rect, x: f64, y: f64) -> bool {
    x >= outer.x - SLACK
        && y >= outer.y - SLACK
        && x <= outer.x + outer.width + SLACK
        && y <= outer.y + outer.height + SLACK
}

/// The checks one rendered diagram passes: (well-formed with resolving prefixed ids, labels,
/// no overlap, inside); `Err` when it holds something active or external, which is never
/// tolerated.
fn check(
    rendered: &Rendered,
    node_labels: &[String],
    why: &mut Vec<String>,
) -> Result<[bool; 4], String> {
    // Classes written back as attributes: the checks read attributes.
    let svg = plansmith::render::style_sheet::inline_classes(&rendered.svg);
    let doc = match roxmltree::Document::parse(&svg) {
        Ok(doc) => doc,
        Err(e) => {
            why.push(format!("not well-formed: {e}"));
            return Ok([false; 4]);
        }
    };
    inert(&doc)?;
    let ids_ok = match ids_resolve(&doc, ID_PREFIX) {
        Ok(()) => true,
        Err(e) => {
            why.push(e);
            false
        }
    };
    let drawn = drawn_text(&doc);
    let missing: Vec<&str> = node_labels
        .iter()
        .map(String::as_str)
        .chain(rendered.boxes.iter().map(|b| b.label.as_str()))
        .filter(|label| !drawn.contains(&comparable(label)))
        .collect();
    let labels = missing.is_empty() && rendered.boxes.len() >= node_labels.len();
    if !missing.is_empty() {
        why.push(format!("labels not drawn: {missing:?}"));
    }
    if rendered.boxes.len() < node_labels.len() {
        why.push(format!(
            "{} boxes for {} nodes",
            rendered.boxes.len(),
            node_labels.len()
        ));
    }
    let mut no_overlap = true;
    for (i, a) in rendered.boxes.iter().enumerate() {
        if let Some(b) = rendered.boxes[i + 1..]
            .iter()
            .find(|b| a.rect.overlaps(&b.rect))
        {
            why.push(format!("boxes {:?} and {:?} overlap", a.id, b.id));
            no_overlap = false;
            break;
        }
    }
    let mut inside = true;
    match view_box(&doc) {
        Some(vb) => {
            let mut points = Vec::new();
            extents(&doc, &mut points);
            let corners = rendered.boxes.iter().flat_map(|b| {
                [
                    (b.rect.x, b.rect.y),
                    (b.rect.x + b.rect.width, b.rect.y + b.rect.height),
                ]
            });
            if let Some((x, y)) = points
                .into_iter()
                .chain(corners)
                .find(|&(x, y)| !contains(&vb, x, y))
            {
                why.push(format!("({x:.1}, {y:.1}) is outside the viewBox {vb:?}"));
                inside = false;
            }
        }
        None => {
            why.push("no viewBox".into());
            inside = false;
        }
    }
    Ok([ids_ok, labels, no_overlap, inside])
}

#[test]
fn render_conformance() {
    let Some(dir) = conformance_dir("mermaid") else {
        return;
    };
    let mut scores: BTreeMap<Family, Score> = BTreeMap::new();
    let mut report = String::new();
    let mut offences = Vec::new();
    for row in read_tsv(&dir.join("expect/verdicts.tsv")) {
        if row["verdict"] != "valid" {
            continue;
        }
        let Some(family) = [
            Family::Flowchart,
            Family::Sequence,
            Family::Class,
            Family::Er,
            Family::State,
            Family::C4,
        ]
        .into_iter()
        .find(|f| f.as_str() == row["type"]) else {
            continue;
        };
        let file = &row["file"];
        let text = std::fs::read_to_string(dir.join("corpus").join(file)).unwrap();
        let src = SourceText::whole_file(file.clone(), text);
        let score = scores.entry(family).or_default();
        score.valid += 1;
        let (rendered, _) = render_mermaid(&src, ID_PREFIX);
        let Some(rendered) = rendered else {
            let _ = writeln!(report, "{file}\tnot rendered");
            continue;
        };
        let again = render_mermaid(&src, ID_PREFIX).0.map(|r| r.svg);
        if again.as_deref() != Some(rendered.svg.as_str()) {
            offences.push(format!("{file}: two renderings differ"));
        }
        score.renders += 1;
        let node_labels: Vec<String> = mermaid::parse(&src)
            .diagram
            .map(|d| {
                let g = d.graph();
                g.graph
                    .node_weights()
                    .filter(|n| !UNLABELLED_KINDS.contains(&n.kind.as_str()))
                    .map(|n| without_icons(&n.label))
                    .collect()
            })
            .unwrap_or_default();
        let mut why = Vec::new();
        match check(&rendered, &node_labels, &mut why) {
            Ok([well_formed, labels, no_overlap, inside]) => {
                score.well_formed += usize::from(well_formed);
                score.labels += usize::from(labels);
                score.no_overlap += usize::from(no_overlap);
                score.inside += usize::from(inside);
            }
            Err(offence) => offences.push(format!("{file}: {offence}")),
        }
        for w in why {
            let _ = writeln!(report, "{file}\t{w}");
        }
    }
    if let Ok(path) = std::env::var("PLANSMITH_RENDER_REPORT") {
        std::fs::write(path, &report).unwrap();
    }
    assert!(
        offences.is_empty(),
        "SVGs with active or external content: {offences:#?}"
    );

    println!("render conformance (valid corpus diagrams):");
    println!(
        "{:<10} {:>5} {:>8} {:>8} {:>8} {:>10} {:>8}",
        "family", "valid", "renders", "xml ok", "labels", "no overlap", "inside"
    );
    let mut failures = Vec::new();
    for (family, s) in &scores {
        let reached = [
            pct(s.renders, s.valid),
            pct(s.well_formed, s.valid),
            pct(s.labels, s.valid),
            pct(s.no_overlap, s.valid),
            pct(s.inside, s.valid),
        ];
        println!(
            "{:<10} {:>5} {:>7.1}% {:>7.1}% {:>7.1}% {:>9.1}% {:>7.1}%",
            family.as_str(),
            s.valid,
            reached[0],
            reached[1],
            reached[2],
            reached[3],
            reached[4]
        );
        let (_, floors) = FLOORS.iter().find(|f| f.0 == *family).unwrap();
        if reached.iter().zip(floors).any(|(r, f)| r < f) {
            failures.push(family.as_str());
        }
    }
    assert!(
        failures.is_empty(),
        "below the rendering floors: {failures:?} (see PLANSMITH_RENDER_REPORT)"
    );
}

#[test]
fn label_comparison_follows_mermaid_conventions() {
    assert_eq!(comparable("a<br/>b #quot;c#quot;"), "abc");
    assert_eq!(comparable("**bold** and #9829;"), "boldand\u{2665}");
    assert_eq!(comparable("x < y > z"), "x<y>z");
}

/// One statement of a random sequence diagram; blocks are balanced afterwards by `balance`.
fn sequence_statement() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let who = || prop_oneof![Just("A"), Just("B"), Just("C"), Just("Dee"), Just("E")];
    let arrow = prop_oneof![
        Just("->>"),
        Just("-->>"),
        Just("->"),
        Just("-->"),
        Just("-x"),
        Just("--x"),
        Just("-)"),
        Just("--)"),
        Just("<<->>"),
        Just("->>+"),
        Just("-->>-"),
    ];
    // (`;` ends a statement in mermaid, so labels stay clear of it.)
    let words = || {
        prop_oneof![
            4 => "[a-z]{1,10}( [a-z#&]{1,9}){0,6}",
            1 => Just("two<br/>lines #quot;quoted#quot; #9829;".to_string()),
        ]
    };
    prop_oneof![
        4 => (who(), arrow, who(), words()).prop_map(|(a, r, b, t)| format!("{a}{r}{b}: {t}")),
        1 => (
            prop_oneof![Just("left of"), Just("right of"), Just("over")],
            who(),
            words()
        )
            .prop_map(|(p, a, t)| format!("Note {p} {a}: {t}")),
        1 => (who(), who(), words()).prop_map(|(a, b, t)| format!("Note over {a},{b}: {t}")),
        1 => prop_oneof![
            Just("loop every minute"),
            Just("alt ok"),
            Just("opt maybe"),
            Just("par both"),
            Just("critical must"),
            Just("break stop"),
            Just("rect rgb(200, 220, 255)"),
        ]
        .prop_map(str::to_string),
        1 => prop_oneof![Just("else other"), Just("and also"), Just("option or"), Just("end")]
            .prop_map(str::to_string),
        1 => (who(), prop_oneof![Just("participant"), Just("actor")], words())
            .prop_map(|(a, k, t)| format!("{k} {a} as {a} {t}")),
        1 => prop_oneof![Just("autonumber"), Just("autonumber 5 5"), Just("autonumber off")]
            .prop_map(str::to_string),
        1 => (who(), words()).prop_map(|(a, t)| {
            format!("create participant Zed as Zed<br/>{t}\n{a}->>Zed: make")
        }),
        1 => (who(), who()).prop_map(|(a, b)| format!("destroy {a}\n{b}-x{a}: bye")),
        1 => (who(), words()).prop_map(|(a, t)| format!("box rgb(200, 230, 255) {t}\nparticipant {a}\nend")),
    ]
}

/// Drops block sections and ends that have no block to belong to, closes open blocks, and
/// keeps deactivations to active participants, so that most random diagrams are valid.
fn balance(statements: &[String]) -> String {
    let mut out = String::from("sequenceDiagram\n");
    let mut open: Vec<String> = Vec::new();
    let mut active: std::collections::HashMap<String, usize> = Default::default();
    for s in statements {
        let mut s = s.clone();
        if let Some((source, _)) = s.split_once("-->>-") {
            match active.get_mut(source).filter(|n| **n > 0) {
                Some(n) => *n -= 1,
                None => s = s.replacen("-->>-", "-->>", 1),
            }
        }
        if let Some((_, rest)) = s.split_once("->>+") {
            let target = rest.split(':').next().unwrap_or_default().to_string();
            *active.entry(target).or_default() += 1;
        }
        let keyword = s.split(' ').next().unwrap_or_default().to_string();
        let innermost = open.last().map(String::as_str);
        let allowed = match keyword.as_str() {
            "end" => open.pop().is_some(),
            "else" => innermost == Some("alt"),
            "and" => innermost == Some("par"),
            "option" => innermost == Some("critical"),
            "loop" | "alt" | "opt" | "par" | "critical" | "break" | "rect" => {
                open.push(keyword);
                true
            }
            _ => true,
        };
        if allowed {
            out.push_str(&s);
            out.push('\n');
        }
    }
    for _ in open {
        out.push_str("end\n");
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// Random sequence diagrams that parse also render cleanly: labels drawn, no overlap,
    /// everything inside the viewBox.
    #[test]
    fn random_sequence_diagrams_render_cleanly(
        statements in proptest::collection::vec(sequence_statement(), 1..30)
    ) {
        let text = balance(&statements);
        let src = SourceText::whole_file("random.mmd", text.clone());
        let (rendered, _) = render_mermaid(&src, ID_PREFIX);
        if let Some(rendered) = rendered {
            let labels: Vec<String> = mermaid::parse(&src)
                .diagram
                .map(|d| d.graph().graph.node_weights().map(|n| n.label.clone()).collect())
                .unwrap_or_default();
            let mut why = Vec::new();
            let passed = check(&rendered, &labels, &mut why);
            proptest::prop_assert_eq!(passed, Ok([true; 4]), "{}\n{:?}", text, why);
        }
    }
}
