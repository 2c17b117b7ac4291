//! `plansmith build`: the artifacts of the example plans, byte-identical from run to run and
//! for any thread count, a second run rewrites nothing, stale files go, and the merged model
//! reads back through our own loader into the same model. The build's cache: an unchanged
//! rebuild draws nothing, an edit redraws and rewrites only what depends on it, and a
//! missing or altered drawing is drawn again.

use plansmith::build::{artifacts, build, BuildOptions, BuildResult};
use plansmith::check::{check, CheckOptions};
use plansmith::smithy::{load, SmithyInput};
use plansmith::source::SourceText;
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans")
}

fn options(out: &Path, jobs: usize) -> BuildOptions {
    BuildOptions {
        check: CheckOptions {
            paths: vec![examples()],
            model_paths: Vec::new(),
            jobs,
            ..CheckOptions::default()
        },
        out: out.to_path_buf(),
        base: None,
        svg_hooks: false,
    }
}

fn no_progress(_: &str, _: usize, _: usize) {}

#[test]
fn artifacts_are_complete_and_the_same_for_any_thread_count() {
    let one = artifacts(&check(&CheckOptions {
        paths: vec![examples()],
        model_paths: Vec::new(),
        jobs: 1,
        ..CheckOptions::default()
    }));
    let two = artifacts(&check(&CheckOptions {
        paths: vec![examples()],
        model_paths: Vec::new(),
        jobs: 2,
        ..CheckOptions::default()
    }));
    assert!(one == two, "artifacts differ between 1 and 2 threads");
    let names: Vec<&str> = one.iter().map(|(p, _)| p.as_str()).collect();
    for required in [
        "catalogue.json",
        "catalogue.md",
        "dependencies.svg",
        "model.json",
    ] {
        assert!(names.contains(&required), "{required} missing: {names:?}");
    }
    // Every mermaid block of the examples is valid, so each one has its SVG.
    let checked = check(&CheckOptions {
        paths: vec![examples()],
        model_paths: Vec::new(),
        jobs: 1,
        ..CheckOptions::default()
    });
    let mermaid_blocks = checked
        .plans
        .iter()
        .flat_map(|p| &p.blocks)
        .filter(|b| b.kind == plansmith::plan::BlockKind::Mermaid)
        .count();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("diagrams/") && n.ends_with(".svg"))
            .count(),
        mermaid_blocks
    );
    let services = checked
        .model
        .shapes
        .values()
        .filter(|s| s.shape_type == plansmith::smithy::ast::ShapeType::Service)
        .count();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("services/") && n.ends_with(".svg"))
            .count(),
        services
    );
}

/// `build` draws most plans' diagrams as soon as each plan is read, and those of plans whose
/// diagram folder another plan's is too (`x.MD` and `x.MD.md`) once all are read, where the
/// first plan keeps a file both claim: the files are the ones made in memory from the whole
/// check, for any thread count.
#[test]
fn diagrams_drawn_while_reading_are_those_drawn_from_the_whole_check() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    crate::bin::copy_tree(&examples(), &plans);
    for (name, node) in [("x.MD", "First"), ("x.MD.md", "Second")] {
        let plan = format!("# {node}\n\n```mermaid\nflowchart LR\n  {node} --> Done\n```\n");
        std::fs::write(plans.join(name), plan).unwrap();
    }
    let check_options = CheckOptions {
        paths: vec![plans.clone()],
        model_paths: Vec::new(),
        jobs: 2,
        ..CheckOptions::default()
    };
    let in_memory: std::collections::BTreeMap<String, Vec<u8>> = artifacts(&check(&check_options))
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), bytes))
        .collect();
    let shared = in_memory
        .iter()
        .filter(|(path, _)| path.ends_with("x.MD/01-flowchart.svg"))
        .map(|(_, svg)| String::from_utf8_lossy(svg).into_owned())
        .collect::<Vec<_>>();
    assert!(
        shared.len() == 1 && shared[0].contains(">First<"),
        "the first plan keeps the file both claim: {shared:?}"
    );
    for jobs in [1, 2] {
        let out = dir.path().join(format!("site-{jobs}"));
        let options = BuildOptions {
            check: CheckOptions {
                jobs,
                ..check_options.clone()
            },
            out: out.clone(),
            base: None,
            svg_hooks: false,
        };
        build(&options, &no_progress).unwrap();
        let mut written = snapshot(&out);
        written.remove(".plansmith-build.lock");
        assert_eq!(
            differences(&in_memory, &written),
            Vec::<String>::new(),
            "{jobs} thread(s)"
        );
    }
}

#[test]
fn second_run_rewrites_nothing_and_stale_files_go() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let first = build(&options(&out, 2), &no_progress).unwrap();
    assert_eq!(first.changed, first.artifacts);
    let catalogue = out.join("catalogue.json");
    let modified = std::fs::metadata(&catalogue).unwrap().modified().unwrap();
    // A file left by an earlier build that this build does not produce is removed; a file the
    // user put there is not.
    let manifest = std::fs::read_to_string(out.join(".plansmith-build")).unwrap();
    std::fs::write(
        out.join(".plansmith-build"),
        format!("{manifest}diagrams/old.svg\n"),
    )
    .unwrap();
    std::fs::write(out.join("diagrams/old.svg"), "<svg/>").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let second = build(&options(&out, 1), &no_progress).unwrap();
    assert_eq!(second.changed, 0);
    assert_eq!(second.removed, 1);
    assert_eq!(
        std::fs::metadata(&catalogue).unwrap().modified().unwrap(),
        modified
    );
    assert!(!out.join("diagrams/old.svg").exists());
    assert!(out.join("notes.txt").exists());
}

#[test]
fn model_json_round_trips_through_our_loader() {
    let checked = check(&CheckOptions {
        paths: vec![examples()],
        model_paths: Vec::new(),
        jobs: 1,
        ..CheckOptions::default()
    });
    let written = artifacts(&checked);
    let model_json = written
        .iter()
        .find(|(p, _)| p == "model.json")
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .unwrap();
    let loaded = load(vec![SmithyInput::JsonAst {
        source: SourceText::whole_file("model.json", model_json),
    }]);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == plansmith::diagnostic::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(loaded.model.to_json_ast(), checked.model.to_json_ast());
    assert!(!checked.model.shapes.is_empty());
}

#[test]
fn catalogue_lists_every_operation_with_its_plan() {
    let checked = check(&CheckOptions {
        paths: vec![examples()],
        model_paths: Vec::new(),
        jobs: 1,
        ..CheckOptions::default()
    });
    let catalogue = plansmith::catalogue::catalogue(&checked);
    let operations = checked
        .model
        .shapes
        .values()
        .filter(|s| s.shape_type == plansmith::smithy::ast::ShapeType::Operation)
        .count();
    assert_eq!(catalogue.operations.len(), operations);
    for op in &catalogue.operations {
        assert!(op.plan.is_some(), "{} has no plan", op.id);
        assert!(!op.services.is_empty(), "{} belongs to no service", op.id);
    }
    let get_order = catalogue
        .operations
        .iter()
        .find(|o| o.id == "com.harbor.orders#GetOrder")
        .expect("GetOrder");
    let http = get_order.http.as_ref().unwrap();
    assert_eq!(
        (http.method.as_str(), http.uri.as_str()),
        ("GET", "/orders/{orderId}")
    );
    assert!(get_order.readonly);
    let input = get_order.input.as_ref().unwrap();
    let order_id = input.members.iter().find(|m| m.name == "orderId").unwrap();
    assert!(order_id.required);
    assert_eq!(order_id.http.as_deref(), Some("label"));
    insta::assert_snapshot!("catalogue-examples", catalogue_json(&catalogue));
}

fn catalogue_json(catalogue: &plansmith::catalogue::Catalogue) -> String {
    serde_json::to_string_pretty(catalogue).unwrap()
}

#[test]
fn errors_in_plans_do_not_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken");
    let run = |fail_on: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_plansmith"))
            .args([
                "build",
                broken.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--fail-on",
                fail_on,
            ])
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let output = run("error");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Everything that could be built was: the valid diagrams, the site, the catalogue.
    assert!(out.join("index.html").is_file());
    assert!(out.join("catalogue.json").is_file());
    assert!(std::fs::read_dir(out.join("diagrams")).unwrap().count() > 0);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("DEP002") && stderr.contains("wrote"),
        "{stderr}"
    );
    assert_eq!(run("never").status.code(), Some(0));
}

/// Every file below `dir`, relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn build_writes_nothing_outside_out_whatever_the_names() {
    let dir = tempfile::tempdir().unwrap();
    // `work/out` is the output; `work/models` holds a JSON AST naming a service
    // `../../victim/index`; a plan is named through `..` as well.
    let work = dir.path().join("work");
    let models = work.join("models");
    let plans = work.join("plans/inner");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::write(
        models.join("evil.json"),
        r#"{"smithy": "2.0", "shapes": {
            "../../victim/index": {"type": "service", "version": "1"},
            "example.ok#Fine": {"type": "service", "version": "1"}
        }}"#,
    )
    .unwrap();
    std::fs::write(
        plans.join("plan.md"),
        "# Plan\n\n```mermaid\nflowchart LR\n  a --> b\n```\n",
    )
    .unwrap();
    let out = work.join("out");
    let result = build(
        &BuildOptions {
            check: CheckOptions {
                paths: vec![work.join("plans/inner/../inner/../../plans")],
                model_paths: vec![models.clone()],
                jobs: 1,
                ..CheckOptions::default()
            },
            out: out.clone(),
            base: None,
            svg_hooks: false,
        },
        &no_progress,
    )
    .unwrap();
    assert!(
        result
            .checked
            .diagnostics
            .iter()
            .any(|d| d.code == "SMY021" && d.message.contains("../../victim/index")),
        "{:?}",
        result.checked.diagnostics
    );
    let outside: Vec<String> = files_below(dir.path())
        .into_iter()
        .filter(|f| !f.starts_with("work/out/") && !f.starts_with("work/models/"))
        .filter(|f| f != "work/plans/inner/plan.md")
        .collect();
    assert!(outside.is_empty(), "written outside --out: {outside:?}");
    let inside = files_below(&out);
    assert!(
        inside.iter().any(|f| f.starts_with("diagrams/")),
        "{inside:?}"
    );
    assert!(
        inside.contains(&"services/example.ok-Fine.html".to_string()),
        "{inside:?}"
    );
}

/// Every file below `out` with its bytes, the manifest left out.
fn snapshot(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files_below(out)
        .into_iter()
        .filter(|p| p != ".plansmith-build")
        .map(|p| {
            let bytes = std::fs::read(out.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// The files whose bytes differ between two snapshots (added, removed or changed).
fn differences(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let paths: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    paths.into_iter().cloned().collect()
}

/// A build from nothing (into `dir/fresh`) makes what the rebuilds into `options.out` made.
fn assert_same_as_a_fresh_build(dir: &Path, options: &BuildOptions) {
    let fresh = dir.join("fresh");
    let fresh_options = BuildOptions {
        out: fresh.clone(),
        ..options.clone()
    };
    build(&fresh_options, &no_progress).unwrap();
    assert_eq!(snapshot(&fresh), snapshot(&options.out));
}

/// A copy of the example plans to edit, and its build options.
fn editable_examples() -> (tempfile::TempDir, BuildOptions) {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    crate::bin::copy_tree(&examples(), &plans);
    let mut options = options(&dir.path().join("site"), 2);
    options.check.paths = vec![plans];
    (dir, options)
}

/// Builds a copy of the examples, replaces `from` with `to` in the orders plan and builds
/// again: the second build's result and the files whose bytes it changed.
fn rebuild_after_editing_orders(
    from: &str,
    to: &str,
) -> (tempfile::TempDir, BuildOptions, BuildResult, Vec<String>) {
    let (dir, options) = editable_examples();
    build(&options, &no_progress).unwrap();
    let before = snapshot(&options.out);
    let orders = dir.path().join("plans/orders/plan.md");
    let text = std::fs::read_to_string(&orders).unwrap();
    assert!(text.contains(from), "{from} not in the orders plan");
    std::fs::write(&orders, text.replacen(from, to, 1)).unwrap();
    let rebuilt = build(&options, &no_progress).unwrap();
    let changed = differences(&before, &snapshot(&options.out));
    (dir, options, rebuilt, changed)
}

#[test]
fn an_unchanged_rebuild_draws_nothing_and_writes_nothing() {
    let (_dir, options) = editable_examples();
    let first = build(&options, &no_progress).unwrap();
    assert!(first.drawn > 20, "{}", first.drawn);
    let before = snapshot(&options.out);
    let second = build(&options, &no_progress).unwrap();
    assert_eq!((second.drawn, second.changed), (0, 0));
    assert_eq!(second.artifacts, first.artifacts);
    assert_eq!(snapshot(&options.out), before);
}

/// Every drawing of a build: diagrams, service maps and the dependency graph, with its text.
fn drawings(out: &Path) -> Vec<(String, String)> {
    (files_below(out).into_iter())
        .filter(|p| p.ends_with(".svg"))
        .map(|p| {
            let text = std::fs::read_to_string(out.join(&p)).unwrap();
            (p, text)
        })
        .collect()
}

#[test]
fn svg_hooks_are_written_on_request_and_a_rebuild_follows_the_option() {
    let (dir, mut options) = editable_examples();
    let plain = build(&options, &no_progress).unwrap();
    let hookless = drawings(&options.out);
    assert!(hookless.len() > 20, "{hookless:?}");
    for (path, svg) in &hookless {
        assert!(!svg.contains(" data-"), "{path} has hooks");
    }
    // The links of the graph's nodes are still there, around what each node draws.
    let graph = std::fs::read_to_string(options.out.join("dependencies.svg")).unwrap();
    assert!(graph.matches("<a href=").count() >= 6, "{graph}");

    options.svg_hooks = true;
    let hooked = build(&options, &no_progress).unwrap();
    assert_eq!(hooked.drawn, plain.drawn, "every drawing is drawn again");
    let drawn = drawings(&options.out);
    assert_eq!(drawn.len(), hookless.len());
    for (path, svg) in &drawn {
        let hooks = ["data-id=", "data-from=", "data-cluster="];
        assert!(hooks.iter().any(|h| svg.contains(h)), "{path} has no hooks");
    }
    assert_same_as_a_fresh_build(dir.path(), &options);
}

#[test]
fn editing_a_diagram_redraws_only_that_diagram() {
    let (dir, options, rebuilt, changed) = rebuild_after_editing_orders(
        "title Orders service: containers",
        "title Orders service: its containers",
    );
    assert_eq!(rebuilt.drawn, 1);
    assert_eq!(changed, ["diagrams/orders/plan/01-c4.svg"]);
    assert_eq!(rebuilt.changed, 1);
    // The result is what a build from nothing makes.
    assert_same_as_a_fresh_build(dir.path(), &options);
}

#[test]
fn editing_an_interface_redraws_its_service_map_and_rewrites_what_lists_it() {
    let (_dir, _, rebuilt, changed) = rebuild_after_editing_orders(
        "\"/orders/{orderId}/submit\"",
        "\"/orders/{orderId}/submission\"",
    );
    // The plan's page shows its Smithy in the prose.
    assert_eq!(
        rebuilt.drawn, 1,
        "only the Orders service map is drawn again"
    );
    assert_eq!(
        changed,
        [
            "catalogue.json",
            "catalogue.md",
            "index.html",
            "model.json",
            "plans/orders/plan.html",
            "search-index.js",
            "services/com.harbor.orders-OrdersService.html",
            "services/com.harbor.orders-OrdersService.svg",
        ]
    );
}

#[test]
fn a_missing_or_altered_drawing_is_drawn_again() {
    let (_dir, options) = editable_examples();
    build(&options, &no_progress).unwrap();
    let before = snapshot(&options.out);
    let out = &options.out;
    let diagram = out.join("diagrams/orders/plan/01-c4.svg");
    std::fs::remove_file(&diagram).unwrap();
    std::fs::write(out.join("dependencies.svg"), "<svg/>").unwrap();
    let rebuilt = build(&options, &no_progress).unwrap();
    assert_eq!((rebuilt.drawn, rebuilt.changed), (2, 2));
    assert_eq!(snapshot(out), before);
    // A manifest in an unknown format is a cold cache, not an error.
    std::fs::write(out.join(".plansmith-build"), "garbage\tline\n").unwrap();
    let cold = build(&options, &no_progress).unwrap();
    let drawings = before.keys().filter(|p| p.ends_with(".svg")).count();
    assert_eq!(cold.drawn, drawings);
    assert_eq!(snapshot(out), before);
}

/// `build` draws from the models `check` parsed and linted: every unsafe link of the fixture is
/// reported once, at its URL, and no drawing links to it; the safe links are drawn.
#[test]
fn build_reports_unsafe_links_and_draws_only_safe_ones() {
    let dir = tempfile::tempdir().unwrap();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/unsafe-links");
    let plan = std::fs::read_to_string(folder.join("plan.md")).unwrap();
    let result = build(
        &BuildOptions {
            check: CheckOptions {
                paths: vec![folder],
                jobs: 1,
                ..CheckOptions::default()
            },
            out: dir.path().to_path_buf(),
            base: None,
            svg_hooks: false,
        },
        &no_progress,
    )
    .unwrap();
    let unsafe_links: Vec<_> = result
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "MMD701")
        .collect();
    assert_eq!(unsafe_links.len(), 6, "{unsafe_links:#?}");
    let lines: Vec<&str> = plan.lines().collect();
    for d in &unsafe_links {
        let line = lines[d.span.line as usize - 1];
        assert!(line.contains("click") || line.contains("link"), "{line}");
    }
    let mut hrefs = Vec::new();
    for file in files_below(&dir.path().join("diagrams")) {
        let svg = std::fs::read_to_string(dir.path().join("diagrams").join(&file)).unwrap();
        for (i, _) in svg.match_indices("href=\"") {
            let rest = &svg[i + 6..];
            hrefs.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    hrefs.sort();
    hrefs.dedup();
    assert_eq!(
        hrefs,
        [
            "../invoices.md",
            "https://example.com/b",
            "https://example.com/idle",
            "https://shop.example.com",
            "https://wiki.example.com/alice",
        ]
    );
}

/// What a build makes depends on more than the plans' texts: here a link's target appears
/// outside the checked folder, which turns an error into a note. The rebuild makes what a build
/// from nothing makes, although no input's text changed.
#[test]
fn a_rebuild_follows_what_the_check_finds_beyond_the_texts() {
    let (dir, options) = editable_examples();
    let orders = dir.path().join("plans/orders/plan.md");
    let text = std::fs::read_to_string(&orders).unwrap();
    let entry = "- Amazon SQS: the order event stream";
    assert!(text.contains(entry));
    let linked = format!("- [Ledger](../../ledger/plan.md): settlement\n{entry}");
    std::fs::write(&orders, text.replacen(entry, &linked, 1)).unwrap();
    let first = build(&options, &no_progress).unwrap();
    let before = snapshot(&options.out);
    let ledger = dir.path().join("ledger");
    std::fs::create_dir_all(&ledger).unwrap();
    std::fs::write(ledger.join("plan.md"), "# Ledger\n").unwrap();
    let rebuilt = build(&options, &no_progress).unwrap();
    assert_ne!(first.checked.diagnostics, rebuilt.checked.diagnostics);
    let changed = differences(&before, &snapshot(&options.out));
    assert!(
        changed.contains(&"plans/orders/plan.html".to_string()),
        "{changed:?}"
    );
    assert_same_as_a_fresh_build(dir.path(), &options);
}

/// A page missing from the output folder is made again by a rebuild over unchanged inputs.
#[test]
fn an_unchanged_rebuild_restores_a_missing_page() {
    let (_dir, options) = editable_examples();
    build(&options, &no_progress).unwrap();
    let before = snapshot(&options.out);
    std::fs::remove_file(options.out.join("plans/orders/plan.html")).unwrap();
    let rebuilt = build(&options, &no_progress).unwrap();
    assert_eq!((rebuilt.drawn, rebuilt.changed), (0, 1));
    assert_eq!(snapshot(&options.out), before);
}

/// A killed build may have replaced files after the manifest was written; those its journal
/// lists are made again, not trusted (here a diagram replaced by one of the same size).
#[test]
fn files_a_killed_build_listed_in_its_journal_are_made_again() {
    let (_dir, options) = editable_examples();
    build(&options, &no_progress).unwrap();
    let before = snapshot(&options.out);
    let out = &options.out;
    let diagram = "diagrams/orders/plan/01-c4.svg";
    let same_size = vec![b' '; before[diagram].len()];
    std::fs::write(out.join(diagram), same_size).unwrap();
    std::fs::write(out.join(".plansmith-build.journal"), format!("{diagram}\n")).unwrap();
    let rebuilt = build(&options, &no_progress).unwrap();
    assert_eq!(rebuilt.drawn, 1);
    assert_eq!(snapshot(out), before);
}

/// Editing a plan's prose changes its page only: the other plans' and the services' pages are
/// taken from the previous build (not made again), and the result is what a fresh build makes.
#[test]
fn editing_prose_remakes_only_that_plans_page() {
    let (dir, options, rebuilt, changed) = rebuild_after_editing_orders(
        "## Overview\n",
        "## Overview\n\nA sentence <b>added</b> by the test.\n",
    );
    assert_eq!(rebuilt.drawn, 0);
    // The gallery names each diagram's line, which the new sentence moved.
    assert_eq!(changed, ["diagrams.html", "plans/orders/plan.html"]);
    let page = std::fs::read_to_string(options.out.join("plans/orders/plan.html")).unwrap();
    assert!(
        page.contains("A sentence <b>added</b> by the test."),
        "{page}"
    );
    // The orders page and the pages made every time; no other plan's or service's page, and
    // not the lists made of the catalogue alone (index, services, search index): the prose is
    // not in the catalogue.
    let made_every_time = ["diagrams", "dependencies", "style", "script"];
    assert_eq!(rebuilt.pages, 1 + made_every_time.len());
    assert_same_as_a_fresh_build(dir.path(), &options);
}

/// A page whose inputs did not change but whose neighbours did is made again: renaming a plan
/// changes the pages that link to it.
#[test]
fn renaming_a_plan_remakes_the_pages_that_name_it() {
    let (dir, options, rebuilt, changed) = rebuild_after_editing_orders("# Orders", "# Ordering");
    assert!(rebuilt.pages > 7, "{}", rebuilt.pages);
    assert!(
        changed.iter().any(|p| p.starts_with("services/")),
        "{changed:?}"
    );
    assert_same_as_a_fresh_build(dir.path(), &options);
}
