//! Hostile inputs, generated here so that their size is a parameter: layouts too large for the
//! layered layout are reported (MMD702 for a diagram, DEP008 for the plan graph) and drawn in
//! rows with straight edges, every node still there. How long they take is measured by
//! `benches/hostile.py`, not asserted here.

use plansmith::build::{artifacts, artifacts_with};
use plansmith::check::{check, CheckOptions, Checked};
use plansmith::render::Hooks;
use plansmith::site::SiteOptions;
use std::fmt::Write;
use std::path::Path;

/// A plan with the given Markdown body (and Dependencies section, when there are any).
fn plan_text(title: &str, deps: &[String], body: &str) -> String {
    let mut text = format!(
        "# {title}\n\n| **Status:** Draft\n| **Owner:** Test\n| **Target Date:** 2027-01-01 |\n\n## Overview\n\nGenerated.\n\n"
    );
    if !deps.is_empty() {
        text.push_str("## Dependencies\n\n");
        for d in deps {
            writeln!(text, "- [{d}](../{d}/plan.md)").unwrap();
        }
        text.push('\n');
    }
    text + body
}

fn write_plan(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join(name)).unwrap();
    std::fs::write(dir.join(name).join("plan.md"), text).unwrap();
}

fn check_folder(dir: &Path) -> Checked {
    check(&CheckOptions {
        paths: vec![dir.to_path_buf()],
        jobs: 1,
        ..CheckOptions::default()
    })
}

/// A one-plan folder holding one mermaid diagram of the given lines.
fn diagram_plan(dir: &Path, lines: &[String]) {
    let body = format!("## Design\n\n```mermaid\n{}\n```\n", lines.join("\n"));
    write_plan(dir, "big", &plan_text("Big", &[], &body));
}

/// A chain of `n` nodes plus edges from the first to every second node: long edges.
fn long_edges(header: &str, n: usize, edge: &dyn Fn(usize, usize) -> String) -> Vec<String> {
    let mut lines = vec![header.to_string()];
    lines.extend((0..n - 1).map(|i| edge(i, i + 1)));
    lines.extend((2..n).step_by(2).map(|i| edge(0, i)));
    lines
}

#[test]
fn diagrams_too_large_to_lay_out_are_reported_and_drawn_simplified() {
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "state, long edges",
            long_edges("stateDiagram-v2", 320, &|a, b| format!("    s{a} --> s{b}")),
            "s319",
        ),
        (
            "class, too many classes",
            std::iter::once("classDiagram".to_string())
                .chain((0..2100).map(|i| format!("    class C{i}")))
                .chain((0..2099).map(|i| format!("    C{i} <|-- C{}", i + 1)))
                .collect(),
            "C2099",
        ),
        (
            "er, long edges",
            long_edges("erDiagram", 320, &|a, b| {
                format!("    E{a} ||--o{{ E{b} : has")
            }),
            "E319",
        ),
        (
            "flowchart, too many nodes",
            std::iter::once("flowchart TD".to_string())
                .chain((0..2100).map(|i| format!("    n{i}")))
                .collect(),
            "n2099",
        ),
        (
            "c4, too many systems",
            std::iter::once("C4Context".to_string())
                .chain((0..2100).map(|i| format!("    System(s{i}, \"System {i}\")")))
                .collect(),
            "System 2099",
        ),
    ];
    for (name, lines, last_node) in cases {
        let dir = tempfile::tempdir().unwrap();
        diagram_plan(dir.path(), &lines);
        let checked = check_folder(dir.path());
        let found: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "MMD702")
            .collect();
        assert_eq!(found.len(), 1, "{name}: {:#?}", checked.diagnostics);
        // At the diagram's first line, the line after the fence.
        let text = std::fs::read_to_string(dir.path().join("big/plan.md")).unwrap();
        let fence = text.lines().position(|l| l == "```mermaid").unwrap();
        assert_eq!(found[0].span.line as usize, fence + 2, "{name}");
        let files = artifacts(&checked);
        let (_, svg) = files
            .iter()
            .find(|(p, _)| p.as_str().starts_with("diagrams/big/"))
            .unwrap_or_else(|| panic!("{name}: no drawing"));
        let svg = String::from_utf8_lossy(svg);
        assert!(svg.contains(last_node), "{name}: {last_node} not drawn");
    }
}

#[test]
fn a_diagram_within_the_budget_is_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    diagram_plan(
        dir.path(),
        &long_edges("stateDiagram-v2", 60, &|a, b| format!("    s{a} --> s{b}")),
    );
    let checked = check_folder(dir.path());
    assert!(!checked.diagnostics.iter().any(|d| d.code == "MMD702"));
}

#[test]
fn a_plan_graph_too_large_to_lay_out_is_reported_and_drawn_simplified() {
    // A chain of plans, the last depending on every other one: long edges across every rank.
    let dir = tempfile::tempdir().unwrap();
    let n = 260;
    let name = |i: usize| format!("p{i:03}");
    for i in 0..n {
        let deps: Vec<String> = match i {
            0 => Vec::new(),
            i if i == n - 1 => (0..i).map(name).collect(),
            i => vec![name(i - 1)],
        };
        write_plan(dir.path(), &name(i), &plan_text(&name(i), &deps, ""));
    }
    let checked = check_folder(dir.path());
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "DEP008")
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", found);
    assert_eq!(found[0].path, "p000/plan.md");
    // With hooks, to count the edges by them.
    let options = SiteOptions {
        hooks: Hooks::Written,
        ..SiteOptions::default()
    };
    let files = artifacts_with(&checked, &options);
    let (_, svg) = files
        .iter()
        .find(|(p, _)| p.as_str() == "dependencies.svg")
        .unwrap();
    let svg = String::from_utf8_lossy(svg);
    let edges = 2 * n - 3;
    assert_eq!(svg.matches("data-from=").count(), edges);
}

fn small_plans() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let body = "## Design\n\n```mermaid\nflowchart LR\n    a --> b\n```\n";
    write_plan(dir.path(), "one", &plan_text("One", &[], body));
    dir
}

fn build_into(plans: &Path, out: &Path) -> std::io::Result<plansmith::build::BuildResult> {
    plansmith::build::build(
        &plansmith::build::BuildOptions {
            check: CheckOptions {
                paths: vec![plans.to_path_buf()],
                jobs: 1,
                ..CheckOptions::default()
            },
            out: out.to_path_buf(),
            base: None,
            svg_hooks: false,
        },
        &|_, _, _| {},
    )
}

#[test]
fn the_next_build_cleans_up_after_an_interrupted_one() {
    let plans = small_plans();
    let out = tempfile::tempdir().unwrap();
    build_into(plans.path(), out.path()).unwrap();
    assert!(!out.path().join(".plansmith-build.journal").exists());
    // As a killed build leaves it: a file it wrote (listed only in its journal) and a
    // temporary file it had not renamed yet.
    std::fs::write(out.path().join("diagrams/orphan.svg"), "<svg/>").unwrap();
    std::fs::write(
        out.path().join(".plansmith-build.journal"),
        "diagrams/orphan.svg\n",
    )
    .unwrap();
    let tmp = out.path().join("diagrams/.x.svg.plansmith-4242.tmp");
    std::fs::write(&tmp, "part").unwrap();
    let mine = out.path().join("diagrams/mine.svg");
    std::fs::write(&mine, "a file of the user's").unwrap();
    let result = build_into(plans.path(), out.path()).unwrap();
    assert_eq!(result.removed, 1);
    assert!(!out.path().join("diagrams/orphan.svg").exists());
    assert!(!tmp.exists());
    assert!(mine.exists(), "a file no build wrote is kept");
    assert!(!out.path().join(".plansmith-build.journal").exists());
}

#[test]
fn a_second_build_into_the_same_folder_stops_with_an_error() {
    let plans = small_plans();
    let out = tempfile::tempdir().unwrap();
    let held = std::fs::File::create(out.path().join(".plansmith-build.lock")).unwrap();
    held.lock().unwrap();
    let error = build_into(plans.path(), out.path()).unwrap_err();
    assert!(
        error.to_string().contains("another plansmith build"),
        "{error}"
    );
    drop(held);
    build_into(plans.path(), out.path()).unwrap();
}

#[cfg(unix)]
#[test]
fn folders_linked_inside_out_are_neither_written_nor_cleaned_through() {
    let plans = small_plans();
    let out = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out.path().join("diagrams")).unwrap();
    let error = build_into(plans.path(), out.path()).unwrap_err();
    assert!(error.to_string().contains("symbolic link"), "{error}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    // A link made after a build: the stale file behind it is not removed.
    std::fs::remove_file(out.path().join("diagrams")).unwrap();
    build_into(plans.path(), out.path()).unwrap();
    let drawn = std::fs::read_dir(out.path().join("diagrams/one/plan"))
        .unwrap()
        .count();
    assert_eq!(drawn, 1);
    std::fs::rename(out.path().join("diagrams"), elsewhere.path().join("d")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("d"), out.path().join("diagrams")).unwrap();
    std::fs::remove_dir_all(plans.path().join("one")).unwrap();
    write_plan(plans.path(), "two", &plan_text("Two", &[], ""));
    let _ = build_into(plans.path(), out.path());
    assert!(elsewhere
        .path()
        .join("d/one/plan/01-flowchart.svg")
        .exists());
}

#[test]
fn a_byte_order_mark_does_not_hide_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("\u{feff}{}", plan_text("Marked Title", &[], "Text `x`\n"));
    write_plan(dir.path(), "bom", &text);
    let checked = check_folder(dir.path());
    assert_eq!(checked.plans[0].name, "Marked Title");
}

#[test]
fn structures_recursive_through_required_members_only_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let body = "```smithy\n$version: \"2\"\nnamespace ex.r\n\nstructure A {\n    @required\n    b: B\n}\n\nstructure B {\n    @required\n    a: A\n}\n\nstructure Fine {\n    next: Fine\n}\n```\n";
    write_plan(dir.path(), "rec", &plan_text("Rec", &[], body));
    let checked = check_folder(dir.path());
    let found: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "ShapeRecursion")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().all(|m| m.contains("required members")),
        "{found:?}"
    );
    assert!(!found.iter().any(|m| m.contains("Fine")), "{found:?}");
}

#[test]
fn a_folder_where_a_page_goes_is_named_in_the_error() {
    let plans = small_plans();
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(out.path().join("plans/one/plan.html")).unwrap();
    let error = build_into(plans.path(), out.path()).unwrap_err();
    assert!(error.to_string().contains("plan.html"), "{error}");
}
