//! `plansmith graph --format svg`: the plan dependency graph drawn as a well-formed SVG with
//! every plan, cycle edges in red and external dependencies dashed.

use std::path::Path;
use std::process::Command;

#[test]
fn graph_command_draws_svg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps");
    for (case, cycle) in [("cycles", true), ("resolution", false)] {
        let output = Command::new(env!("CARGO_BIN_EXE_plansmith"))
            .args(["graph", "--format", "svg"])
            .arg(root.join(case))
            .output()
            .unwrap();
        let svg = String::from_utf8(output.stdout).unwrap();
        // Classes written back as attributes: the checks read attributes.
        let svg = plansmith::render::style_sheet::inline_classes(&svg);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{case}: {e}"));
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("tspan") || n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        let json = Command::new(env!("CARGO_BIN_EXE_plansmith"))
            .args(["graph", "--format", "json"])
            .arg(root.join(case))
            .output()
            .unwrap();
        let graph: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let nodes = graph["nodes"].as_array().expect("nodes in the JSON graph");
        assert!(!nodes.is_empty());
        for node in nodes {
            let label = node["label"].as_str().unwrap();
            assert!(texts.contains(&label), "{case}: {label} not drawn");
        }
        let red = doc.descendants().any(|n| {
            n.has_tag_name("path")
                && n.attribute("marker-end").is_some()
                && n.attribute("stroke") == Some("#dc2626")
        });
        assert_eq!(
            red, cycle,
            "{case}: cycle edges red only when there is a cycle"
        );
        let external = nodes.iter().any(|n| n["external"] == true);
        let dashed_box = doc
            .descendants()
            .any(|n| n.has_tag_name("rect") && n.attribute("stroke-dasharray").is_some());
        assert_eq!(dashed_box, external, "{case}: external dependencies dashed");
        for status in ["Draft", "Completed", "Cancelled"] {
            assert!(texts.contains(&status), "{case}: legend lacks {status}");
        }
    }
}
