//! Geometry of the drawings, checked on their scenes: no edge runs through a node it does not
//! join (every corpus diagram, every example diagram, the plan dependency graphs and the service
//! maps), and the hooks `data-id`, `data-from`/`data-to` and `data-cluster` are in the SVG.

use crate::shared::{conformance_dir, markdown_files, read_tsv};
use plansmith::check::{check, CheckOptions};
use plansmith::plan::{read_plan, BlockKind};
use plansmith::render::draw::{CrowFoot, Head, SequenceHead, UmlEnd};
use plansmith::render::scene::{Crossing, Curve, Mark, Scene};
use plansmith::render::theme::Theme;
use plansmith::render::{generic, plans, render_mermaid, render_parsed, services, Hooks};
use plansmith::source::SourceText;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The crossings of one scene, as lines naming the drawing.
fn crossings(name: &str, scene: &Scene) -> Vec<String> {
    described(name, "", scene.crossings())
}

/// The edges of one scene that run through a cluster holding neither end (a subgraph, a
/// namespace, a boundary, a composite state), as lines naming the drawing.
fn cluster_crossings(name: &str, scene: &Scene) -> Vec<String> {
    described(name, "cluster ", scene.cluster_crossings())
}

fn described(name: &str, what: &str, found: Vec<Crossing>) -> Vec<String> {
    found
        .into_iter()
        .map(|c| {
            format!(
                "{name}: edge {} -> {} runs through {what}{}",
                c.from, c.to, c.through
            )
        })
        .collect()
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example_plans() -> PathBuf {
    manifest().join("examples/plans")
}

#[test]
fn no_edge_runs_through_a_node_of_a_corpus_or_example_diagram() {
    let mut found = Vec::new();
    // Per family: diagrams and edges checked, so that an empty scene cannot pass unseen.
    let mut checked: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut sources: Vec<SourceText> = Vec::new();
    let mut namespaced_class_diagrams = 0;
    if let Some(dir) = conformance_dir("mermaid") {
        for row in read_tsv(&dir.join("expect/verdicts.tsv")) {
            if row["verdict"] == "valid" {
                let text = std::fs::read_to_string(dir.join("corpus").join(&row["file"])).unwrap();
                sources.push(SourceText::whole_file(row["file"].clone(), text));
            }
        }
    }
    let mut files = Vec::new();
    markdown_files(&example_plans(), &mut files);
    for path in files {
        let (plan, _) = read_plan(
            &path.to_string_lossy(),
            &std::fs::read_to_string(&path).unwrap(),
        );
        for block in plan.blocks.iter().filter(|b| b.kind == BlockKind::Mermaid) {
            sources.push(block.source.clone());
        }
    }
    for src in &sources {
        let (Some(rendered), _) = render_mermaid(src, "d0-") else {
            continue;
        };
        let family = plansmith::mermaid::prepare(src)
            .detected
            .map(|f| f.name().to_string())
            .unwrap_or_default();
        let entry = checked.entry(family.clone()).or_default();
        entry.0 += 1;
        entry.1 += rendered.scene.edges.len();
        found.extend(crossings(&src.path, &rendered.scene));
        // Class edges between namespaces go around the namespaces they do not join. (Flowchart
        // subgraphs may stand side by side across the whole drawing, as mermaid draws them, and
        // then an edge has no way around.)
        if family == "class" && !rendered.scene.clusters.is_empty() {
            namespaced_class_diagrams += 1;
            found.extend(cluster_crossings(&src.path, &rendered.scene));
        }
    }
    println!("class diagrams with namespaces checked: {namespaced_class_diagrams}");
    println!("scenes checked for crossings (family: diagrams, edges): {checked:?}");
    // Every family with edges has its routes in its scene.
    if conformance_dir("mermaid").is_some() {
        for family in ["flowchart", "state", "class", "er", "c4", "sequence"] {
            let edges = checked.get(family).map_or(0, |c| c.1);
            assert!(edges > 0, "no {family} edges were checked");
        }
        assert!(
            namespaced_class_diagrams > 0,
            "no class namespaces were checked"
        );
    }
    assert!(found.is_empty(), "{} crossings: {found:#?}", found.len());
}

#[test]
fn class_edges_go_around_the_namespaces_they_do_not_join() {
    // Web sits above Core and Data below it: the edges from Web to Data must pass Core by.
    let text = "classDiagram\nnamespace Web {\n  class Controller\n  class View\n}\n\
        namespace Core {\n  class Service\n  class Repo\n  class Cache\n  class Queue\n}\n\
        namespace Data {\n  class Table\n  class Index\n}\n\
        Controller --> Table\nView --> Index\nController --> Service\nService --> Repo\n\
        Repo --> Table\nCache --> Queue\n";
    let src = SourceText::whole_file("layers.mmd".to_string(), text.to_string());
    let (Some(rendered), _) = render_mermaid(&src, "d0-") else {
        panic!("the diagram was not drawn");
    };
    let scene = &rendered.scene;
    let core = scene.clusters.iter().find(|c| c.id == "Core").unwrap();
    let table = scene.nodes.iter().find(|n| n.id == "Table").unwrap();
    let controller = scene.nodes.iter().find(|n| n.id == "Controller").unwrap();
    // The layout put Core between the two ends, so going around it is a real constraint.
    assert!(controller.rect.y < core.rect.y && core.rect.y + core.rect.height < table.rect.y);
    assert_eq!(cluster_crossings("layers.mmd", scene), Vec::<String>::new());
    assert_eq!(crossings("layers.mmd", scene), Vec::<String>::new());
}

#[test]
fn no_edge_runs_through_a_plan_or_a_service_map_box() {
    let mut found = Vec::new();
    let mut edges = 0;
    for dir in [
        example_plans(),
        manifest().join("tests/fixtures/deps/cycles"),
        manifest().join("tests/fixtures/deps/resolution"),
    ] {
        let run = check(&CheckOptions {
            paths: vec![dir.clone()],
            model_paths: Vec::new(),
            jobs: 1,
            ..CheckOptions::default()
        });
        let graph = plans::layout_plan_graph(&run.graph);
        edges += graph.edges.len();
        found.extend(crossings(&format!("{} plan graph", dir.display()), &graph));
        for (service, map) in services::service_maps(&run.model) {
            edges += map.scene.edges.len();
            found.extend(crossings(&service, &map.scene));
        }
    }
    assert!(edges > 20, "only {edges} edges checked");
    assert!(found.is_empty(), "{found:#?}");
}

/// The values of attribute `name` in document order.
fn attribute_values(svg: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter_map(|n| n.attribute(name).map(str::to_string))
        .collect()
}

/// The `(data-from, data-to)` pairs of an SVG, sorted.
fn edge_hooks(svg: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut pairs: Vec<(String, String)> = doc
        .descendants()
        .filter_map(|n| Some((n.attribute("data-from")?, n.attribute("data-to")?)))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn every_drawn_node_and_edge_of_the_corpus_carries_its_hooks() {
    let Some(dir) = conformance_dir("mermaid") else {
        return;
    };
    let mut failures = Vec::new();
    let mut families = BTreeMap::new();
    for row in read_tsv(&dir.join("expect/verdicts.tsv")) {
        if row["verdict"] != "valid" {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("corpus").join(&row["file"])).unwrap();
        let src = SourceText::whole_file(row["file"].clone(), text);
        let (Some(rendered), _) = render_mermaid(&src, "d0-") else {
            continue;
        };
        if rendered.scene.nodes.is_empty() {
            continue;
        }
        *families.entry(row["type"].clone()).or_insert(0) += 1;
        let ids = attribute_values(&rendered.svg, "data-id");
        for node in &rendered.scene.nodes {
            if !ids.contains(&node.id) {
                failures.push(format!("{}: no data-id {:?}", src.path, node.id));
            }
        }
        let mut edges: Vec<(String, String)> = rendered
            .scene
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone()))
            .collect();
        edges.sort();
        if edge_hooks(&rendered.svg) != edges {
            failures.push(format!("{}: edge hooks differ from the scene", src.path));
        }
    }
    for family in ["flowchart", "state", "class", "er", "c4", "sequence"] {
        assert!(
            families.contains_key(family),
            "no {family} diagram: {families:?}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures: {failures:#?}",
        failures.len()
    );
}

#[test]
fn svg_hooks_name_nodes_edges_and_clusters() {
    let text =
        "flowchart LR\n  subgraph Shop\n    a[Basket] --> b[Order]\n  end\n  b --> c[Invoice]\n";
    let src = SourceText::whole_file("hooks.mmd", text.to_string());
    let graph = plansmith::mermaid::parse(&src).diagram.unwrap().graph();
    let plain = generic::render_styled(&graph, &Theme::default(), "h-", Default::default());
    let hooks = |svg: &str| {
        [
            attribute_values(svg, "data-id"),
            attribute_values(svg, "data-from"),
            attribute_values(svg, "data-to"),
            attribute_values(svg, "data-cluster"),
        ]
    };
    let expected = [
        vec!["a", "b", "c"],
        vec!["a", "b"],
        vec!["b", "c"],
        vec!["Shop"],
    ];
    assert_eq!(hooks(&plain.svg), expected);
}

#[test]
fn class_er_and_c4_drawings_carry_hooks_too() {
    let hooks = |text: &str| {
        let src = SourceText::whole_file("hooks.mmd", text.to_string());
        let (rendered, diagnostics) = render_mermaid(&src, "h-");
        let svg = rendered.unwrap_or_else(|| panic!("{diagnostics:?}")).svg;
        [
            attribute_values(&svg, "data-id"),
            attribute_values(&svg, "data-from"),
            attribute_values(&svg, "data-to"),
            attribute_values(&svg, "data-cluster"),
        ]
    };
    assert_eq!(
        hooks("classDiagram\nnamespace Shop {\n  class Basket\n}\nBasket --> Order\n"),
        [
            vec!["Basket", "Order"],
            vec!["Basket"],
            vec!["Order"],
            vec!["Shop"]
        ]
    );
    assert_eq!(
        hooks("erDiagram\nCUSTOMER ||--o{ ORDER : places\n"),
        [
            vec!["CUSTOMER", "ORDER"],
            vec!["CUSTOMER"],
            vec!["ORDER"],
            vec![]
        ]
    );
    assert_eq!(
        hooks("C4Context\nPerson(user, \"User\")\nSystem_Boundary(b, \"Shop\") {\n  System(web, \"Web\")\n}\nRel(user, web, \"uses\")\n"),
        [vec!["user", "web"], vec!["user"], vec!["web"], vec!["b"]]
    );
}

#[test]
fn without_hooks_a_drawing_is_the_same_picture_ungrouped_but_for_tooltips() {
    // A class with a tooltip (a `<title>`, which names its parent) and a link, in a namespace.
    let text = "classDiagram\nnamespace Shop {\n  class Basket\n}\nBasket --> Order\n\
        link Basket \"https://example.com\" \"The basket\"\n";
    let src = SourceText::whole_file("hooks.mmd", text.to_string());
    let parsed = plansmith::mermaid::parse(&src);
    let draw = |hooks| render_parsed(&src, &parsed, "h-", hooks).unwrap().svg;
    let (with, without) = (draw(Hooks::Written), draw(Hooks::Left));
    assert!(!without.contains(" data-"), "{without}");
    assert!(
        without.contains("<g>\n<title>The basket</title>"),
        "{without}"
    );
    // The hooks, and the groups that held nothing else, are all that differ.
    let strip = |svg: &str| {
        let hookless = svg
            .lines()
            .filter(|l| !l.starts_with("<g data-") && *l != "<g>" && *l != "</g>")
            .collect::<Vec<_>>();
        hookless.join("\n")
    };
    assert_eq!(strip(&with), strip(&without));
    assert!(with.len() > without.len());
}

/// The texts of marks, in order.
fn texts(marks: &[Mark]) -> Vec<String> {
    marks
        .iter()
        .filter_map(|m| match m {
            Mark::Text { lines, .. } => Some(lines.join("\n")),
            _ => None,
        })
        .collect()
}

#[test]
fn class_er_and_c4_scenes_hold_everything_drawn() {
    let scene = |text: &str| {
        let src = SourceText::whole_file("scene.mmd", text.to_string());
        render_mermaid(&src, "s-").0.unwrap().scene
    };
    // A class: its name, members in their compartments between two dividers; a relation with
    // its UML end and label; a namespace as a cluster with its title.
    let class = scene(
        "classDiagram\nnamespace Shop {\n  class Basket {\n    +items List\n    +total()$ int\n  }\n}\nBasket *-- Item : holds\n",
    );
    let basket = class.nodes.iter().find(|n| n.id == "Basket").unwrap();
    assert_eq!(
        texts(&basket.marks),
        ["Basket", "+items List", "+total() : int"]
    );
    let dividers = basket
        .marks
        .iter()
        .filter(|m| matches!(m, Mark::Line { .. }));
    assert_eq!(dividers.count(), 2);
    assert!(basket.marks.iter().any(|m| matches!(
        m,
        Mark::Text { emphasis, lines, .. } if emphasis.underline && lines[0].starts_with("+total")
    )));
    let relation = &class.edges[0];
    assert_eq!(
        (relation.from.as_str(), relation.to.as_str()),
        ("Basket", "Item")
    );
    assert_eq!(
        relation.start.as_ref().map(|m| m.head),
        Some(Head::Uml(UmlEnd::Composition))
    );
    assert_eq!(texts(&relation.label), ["holds"]);
    assert_eq!(texts(&class.clusters[0].marks), ["Shop"]);
    // An entity: its name and each attribute cell; crow's feet at both ends.
    let er = scene("erDiagram\nCUSTOMER ||--o{ ORDER : places\nCUSTOMER {\n  string name PK\n}\n");
    let customer = er.nodes.iter().find(|n| n.id == "CUSTOMER").unwrap();
    assert_eq!(texts(&customer.marks), ["CUSTOMER", "string", "name", "PK"]);
    let heads = (
        er.edges[0].start.as_ref().map(|m| m.head),
        er.edges[0].end.as_ref().map(|m| m.head),
    );
    assert_eq!(
        heads,
        (
            Some(Head::Crow(CrowFoot::OnlyOne)),
            Some(Head::Crow(CrowFoot::ZeroOrMore))
        )
    );
    // A boundary as a cluster holding its element; a relation's label and technology.
    let c4 = scene(
        "C4Context\nSystem_Boundary(b, \"Shop\") {\n  System(web, \"Web\")\n}\nPerson(user, \"User\")\nRel(user, web, \"uses\", \"HTTPS\")\n",
    );
    let boundary = &c4.clusters[0];
    let web = c4.nodes.iter().find(|n| n.id == "web").unwrap();
    let (outer, inner) = (boundary.rect, web.rect);
    assert!(
        outer.x <= inner.x
            && outer.y <= inner.y
            && inner.x + inner.width <= outer.x + outer.width
            && inner.y + inner.height <= outer.y + outer.height
    );
    assert_eq!(texts(&c4.edges[0].label), ["uses", "[HTTPS]"]);
    assert!(c4.crossings().is_empty());
}

/// The texts a drawing shows, one entry per `<text>` (its lines joined), sorted.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut found: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let spans: Vec<&str> = n
                .children()
                .filter(|c| c.has_tag_name("tspan"))
                .filter_map(|c| c.text())
                .collect();
            if spans.is_empty() {
                n.text().unwrap_or_default().to_string()
            } else {
                spans.join("\n")
            }
        })
        .collect();
    found.sort();
    found
}

/// How many shapes a drawing paints outside its marker definitions, its background left out.
fn svg_shape_count(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let shapes = doc.descendants().filter(|n| {
        ["rect", "circle", "line", "path"]
            .iter()
            .any(|tag| n.has_tag_name(*tag))
            && !n.ancestors().any(|a| a.has_tag_name("defs"))
    });
    shapes.count() - 1
}

/// Every mark of a scene, wherever it is held.
fn all_marks(scene: &Scene) -> Vec<&Mark> {
    let mut marks: Vec<&Mark> = Vec::new();
    marks.extend(&scene.fixed);
    marks.extend(&scene.underlay);
    marks.extend(scene.clusters.iter().flat_map(|c| &c.marks));
    marks.extend(scene.edges.iter().flat_map(|e| &e.label));
    marks.extend(&scene.overlay);
    marks.extend(scene.nodes.iter().flat_map(|n| &n.marks));
    marks.extend(&scene.marks);
    marks
}

#[test]
fn sequence_scenes_hold_everything_drawn() {
    let Some(dir) = conformance_dir("mermaid") else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in read_tsv(&dir.join("expect/verdicts.tsv")) {
        if row["verdict"] != "valid" || row["type"] != "sequence" {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("corpus").join(&row["file"])).unwrap();
        let src = SourceText::whole_file(row["file"].clone(), text);
        let (Some(rendered), _) = render_mermaid(&src, "d0-") else {
            continue;
        };
        checked += 1;
        let scene = &rendered.scene;
        let marks = all_marks(scene);
        // Every text of the drawing is a text mark of the scene.
        let mut scene_texts: Vec<String> = marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text { lines, .. } if !lines.is_empty() => Some(lines.join("\n")),
                _ => None,
            })
            .collect();
        scene_texts.sort();
        if svg_texts(&rendered.svg) != scene_texts {
            failures.push(format!("{}: texts differ from the scene", src.path));
        }
        // Every shape is a mark or an edge's line.
        let shapes = marks
            .iter()
            .filter(|m| !matches!(m, Mark::Text { .. } | Mark::Label { .. } | Mark::Tooltip(_)))
            .count()
            + scene.edges.iter().filter(|e| e.points.len() >= 2).count();
        if svg_shape_count(&rendered.svg) != shapes {
            failures.push(format!(
                "{}: {} shapes drawn, {shapes} in the scene",
                src.path,
                svg_shape_count(&rendered.svg)
            ));
        }
    }
    assert!(checked > 100, "only {checked} sequence diagrams checked");
    assert!(
        failures.is_empty(),
        "{} failures: {failures:#?}",
        failures.len()
    );
}

#[test]
fn a_sequence_scene_holds_participants_messages_notes_and_fragments() {
    let text = "---\ntitle: Checkout\n---\nsequenceDiagram\nautonumber\nparticipant A as Alice\n\
        actor B as Bob\nloop every minute\nA->>+B: ping\nB-->>-A: pong\nend\nB->>B: think\n\
        Note right of B: busy\nA-xB: stop\n";
    let src = SourceText::whole_file("scene.mmd", text.to_string());
    let (rendered, diagnostics) = render_mermaid(&src, "s-");
    let scene = rendered.unwrap_or_else(|| panic!("{diagnostics:?}")).scene;
    // Participants as nodes, each with its header and the mirrored one at the bottom.
    let ids: Vec<&str> = scene.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["A", "B"]);
    assert_eq!(texts(&scene.nodes[0].marks), ["Alice", "Alice"]);
    assert_eq!(texts(&scene.nodes[1].marks), ["Bob", "Bob"]);
    // Messages as edges in order, with their heads, labels and numbers.
    let ends: Vec<(&str, &str)> = scene
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(ends, [("A", "B"), ("B", "A"), ("B", "B"), ("A", "B")]);
    let heads: Vec<Option<Head>> = scene
        .edges
        .iter()
        .map(|e| e.end.as_ref().map(|m| m.head))
        .collect();
    let (filled, cross) = (
        Some(Head::Sequence(SequenceHead::Filled)),
        Some(Head::Sequence(SequenceHead::Cross)),
    );
    assert_eq!(heads, [filled, filled, filled, cross]);
    assert_eq!(texts(&scene.edges[0].label), ["ping", "1"]);
    assert_eq!(texts(&scene.edges[2].label), ["think", "3"]);
    assert!(scene.edges[1].stroke.dash.is_some() && scene.edges[0].stroke.dash.is_none());
    // A message runs level from one lifeline to the other; a self-message loops back.
    let ping = &scene.edges[0];
    assert_eq!((ping.curve, ping.points.len()), (Curve::Straight, 2));
    assert_eq!(ping.points[0].y, ping.points[1].y);
    let think = &scene.edges[2];
    assert_eq!((think.curve, think.points.len()), (Curve::Cubic, 4));
    assert_eq!(think.points[0].x, think.points[3].x);
    // The note over the messages, the fragment and the activation bar under them, the
    // title in the picture's own coordinates.
    assert_eq!(texts(&scene.overlay), ["busy"]);
    assert_eq!(texts(&scene.underlay), ["loop", "[every minute]"]);
    let bars = scene
        .underlay
        .iter()
        .filter(|m| matches!(m, Mark::Box { rect, .. } if rect.width == 10.0));
    assert_eq!(bars.count(), 1);
    assert_eq!(texts(&scene.fixed), ["Checkout"]);
    assert!(scene.crossings().is_empty());
}

#[test]
fn no_message_runs_through_a_participant_it_does_not_join() {
    // C is created on its row, its column between B and D: the messages on later rows
    // between A and D pass its column below its header.
    let text =
        "sequenceDiagram\nparticipant A\nparticipant B\nA->>B: early\ncreate participant C\n\
        B->>C: make\nparticipant D\nA->>D: across\nD-->>A: back\n";
    let src = SourceText::whole_file("created.mmd", text.to_string());
    let (rendered, diagnostics) = render_mermaid(&src, "c-");
    let scene = rendered.unwrap_or_else(|| panic!("{diagnostics:?}")).scene;
    let c = scene.nodes.iter().find(|n| n.id == "C").unwrap().rect;
    let spans_c = scene
        .edges
        .iter()
        .filter(|e| {
            let (left, right) = (
                e.points[0].x.min(e.points[1].x),
                e.points[0].x.max(e.points[1].x),
            );
            e.from != "C" && e.to != "C" && left < c.x && c.x + c.width < right
        })
        .count();
    assert_eq!(spans_c, 2, "the messages do not pass C's column");
    assert_eq!(crossings("created.mmd", &scene), Vec::<String>::new());
}

#[test]
fn sequence_drawings_carry_hooks() {
    let text = "sequenceDiagram\nbox Aqua Front\nparticipant A\nend\nparticipant B\nbox Back\n\
                participant C\nend\nA->>B: hi\nB-->>A: ok\n";
    let src = SourceText::whole_file("hooks.mmd", text.to_string());
    let (rendered, diagnostics) = render_mermaid(&src, "h-");
    let svg = rendered.unwrap_or_else(|| panic!("{diagnostics:?}")).svg;
    assert_eq!(attribute_values(&svg, "data-id"), ["A", "B", "C"]);
    assert_eq!(attribute_values(&svg, "data-from"), ["A", "B"]);
    assert_eq!(attribute_values(&svg, "data-to"), ["B", "A"]);
    // Participant groups are the clusters, numbered in text order (mermaid gives them no id),
    // painted first: under the lifelines.
    assert_eq!(attribute_values(&svg, "data-cluster"), ["box-1", "box-2"]);
    let first_line = svg.find("<line").expect("a lifeline");
    assert!(svg.find("data-cluster=\"box-2\"").unwrap() < first_line);
}
