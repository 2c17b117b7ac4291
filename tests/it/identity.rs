//! Plan identities and paths: unique for any set of inputs, the same in every report and
//! artifact, absolute inputs shown as proper paths, SARIF URIs percent-encoded against a named
//! root; links across input folders and from the repository root; and no exit status 2 without
//! a message that says why.

use crate::bin::copy_tree;
use plansmith::build::artifacts;
use plansmith::check::{check, CheckOptions, Checked};
use plansmith::extract::extracted_files;
use plansmith::report::render_json;
use plansmith::site::plan_page;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity")
}

/// The two colliding folders: `plans/booking/plan.md` and `plans/payments/plan.md`.
fn colliding() -> [PathBuf; 2] {
    let plans = fixtures().join("colliding/plans");
    [plans.join("booking"), plans.join("payments")]
}

fn check_paths(paths: &[PathBuf]) -> Checked {
    check(&CheckOptions {
        paths: paths.to_vec(),
        jobs: 1,
        ..CheckOptions::default()
    })
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir` (the crate root when `None`).
fn plansmith_in(dir: Option<&Path>, args: &[&str]) -> Run {
    let dir = dir.unwrap_or(Path::new(env!("CARGO_MANIFEST_DIR")));
    let (status, stdout, stderr) = crate::bin::plansmith_in(dir, args, "");
    Run {
        status,
        stdout,
        stderr,
    }
}

fn plansmith(args: &[&str]) -> Run {
    plansmith_in(None, args)
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn colliding_names_in_two_folders_stay_apart() {
    let checked = check_paths(&colliding());
    insta::assert_snapshot!("identity-colliding", render_json(&checked));
    let paths: Vec<&str> = checked.plans.iter().map(|p| p.path.as_str()).collect();
    let booking = "tests/fixtures/identity/colliding/plans/booking/plan.md";
    let payments = "tests/fixtures/identity/colliding/plans/payments/plan.md";
    assert_eq!(paths, [booking, payments]);
    // Each finding at its own file; the cycle between the two found; no "not checked" note.
    let at = |code: &str| -> Vec<&str> {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.path.as_str())
            .collect()
    };
    assert_eq!(at("PLAN002"), [booking]);
    assert_eq!(at("Target.UnresolvedShape"), [payments]);
    assert_eq!(checked.graph.cycles, [vec![booking, payments]]);
    assert!(at("DEP004").is_empty());
}

#[test]
fn names_that_clean_to_the_same_file_name_keep_artifacts_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["a:b.md", "a_b.md", "a\\b.md"];
    for (i, name) in names.iter().enumerate() {
        let plan = format!(
            "# Plan {i}\n\n**Status:** Draft\n\n```mermaid\nflowchart LR\n  N{i} --> M{i}\n```\n"
        );
        std::fs::write(dir.path().join(name), plan).unwrap();
    }
    let checked = check_paths(&[dir.path().to_path_buf()]);
    assert_eq!(checked.plans.len(), names.len());
    let written: Vec<(String, String)> = artifacts(&checked)
        .into_iter()
        .map(|(path, bytes)| {
            (
                path.to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect();
    for plan in &checked.plans {
        let page = plan_page(&plan.path).to_string();
        let Some((_, html)) = written.iter().find(|(path, _)| *path == page) else {
            panic!("no page {page} for {}: {written:?}", plan.path);
        };
        assert!(
            html.contains(&plan.name),
            "{page} is the page of {}",
            plan.path
        );
    }
    let diagrams: Vec<&String> = written
        .iter()
        .filter(|(path, _)| path.starts_with("diagrams/"))
        .map(|(_, svg)| svg)
        .collect();
    assert_eq!(diagrams.len(), names.len());
    for i in 0..names.len() {
        let node = format!(">N{i}<");
        assert_eq!(
            diagrams.iter().filter(|svg| svg.contains(&node)).count(),
            1,
            "{node}"
        );
    }
}

#[test]
fn every_artifact_uses_the_same_identities() {
    let checked = check_paths(&colliding());
    let identities: Vec<String> = checked.plans.iter().map(|p| p.path.clone()).collect();
    let graph: serde_json::Value =
        serde_json::from_str(&plansmith::deps::render_json(&checked.graph)).unwrap();
    let nodes: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["external"] == false)
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(nodes, identities);
    let extracted: Vec<(String, String)> = extracted_files(&checked)
        .into_iter()
        .map(|(file, _)| (file.source, file.file))
        .collect();
    for identity in &identities {
        let stem = identity.strip_suffix(".md").unwrap();
        assert!(
            extracted
                .iter()
                .any(|(source, file)| source == identity && file.starts_with(&format!("{stem}/"))),
            "{identity}: {extracted:?}"
        );
    }
    let written: Vec<String> = artifacts(&checked)
        .into_iter()
        .map(|(p, _)| p.to_string())
        .collect();
    for identity in &identities {
        assert!(
            written.contains(&plan_page(identity).to_string()),
            "{written:?}"
        );
    }
    let catalogue: serde_json::Value = serde_json::from_slice(
        &artifacts(&checked)
            .into_iter()
            .find(|(p, _)| p == "catalogue.json")
            .unwrap()
            .1,
    )
    .unwrap();
    let catalogue = catalogue.to_string();
    for identity in &identities {
        assert!(catalogue.contains(identity.as_str()), "{identity}");
    }
}

#[test]
fn findings_land_at_their_file_in_every_format() {
    let [booking, payments] = colliding().map(|p| {
        p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    });
    let args =
        |format: &'static str| ["check", &booking, &payments, "--format", format].map(String::from);
    let run = |format| {
        let args = args(format);
        plansmith(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let human = run("human");
    assert!(
        human
            .stdout
            .contains(&format!(" --> {booking}/plan.md:3:15")),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains(&format!("  --> {payments}/plan.md:23:13")),
        "{}",
        human.stdout
    );
    let github = run("github");
    assert!(github
        .stdout
        .contains(&format!("::error file={booking}/plan.md,line=3,")));
    assert!(github
        .stdout
        .contains(&format!("::error file={payments}/plan.md,line=23,")));
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif").stdout).unwrap();
    let uris: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert!(
        uris.contains(&("PLAN002", &format!("{booking}/plan.md"))),
        "{uris:?}"
    );
    assert!(
        uris.contains(&("Target.UnresolvedShape", &format!("{payments}/plan.md"))),
        "{uris:?}"
    );
}

#[test]
fn absolute_inputs_outside_the_working_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let [booking, payments] = colliding();
    let run = |format: &str| {
        plansmith_in(
            Some(elsewhere.path()),
            &["check", text(&booking), text(&payments), "--format", format],
        )
    };
    let human = run("human").stdout;
    let booking_file = format!("{}/plan.md", text(&booking));
    assert!(
        human.contains(&format!(" --> {booking_file}:3:15")),
        "{human}"
    );
    assert!(!human.contains("//"), "{human}");
    let github = run("github").stdout;
    assert!(
        github.contains(&format!("file={booking_file},line=3")),
        "{github}"
    );
    assert!(!github.contains("file=//"), "{github}");

    // Paths relative to the inputs' common ancestor, which the reports name.
    let json: serde_json::Value = serde_json::from_str(&run("json").stdout).unwrap();
    let root = fixtures().join("colliding/plans");
    assert_eq!(json["root"], text(&root));
    let paths: Vec<&str> = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["booking/plan.md", "payments/plan.md"]);
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif").stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert_eq!(base, format!("file://{}/", text(&root)));
    for result in run0["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["uriBaseId"], "%SRCROOT%");
        let uri = location["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && root.join(uri).is_file(), "{uri}");
    }
}

/// Where a SARIF artifact location points on disk: the base's file URI joined with the
/// relative URI, percent-decoded.
fn sarif_file(sarif: &serde_json::Value, location: &serde_json::Value) -> PathBuf {
    let base = sarif["runs"][0]["originalUriBaseIds"][location["uriBaseId"].as_str().unwrap()]
        ["uri"]
        .as_str()
        .unwrap();
    let joined = format!("{base}{}", location["uri"].as_str().unwrap());
    let path = joined.strip_prefix("file://").unwrap();
    assert!(
        path.bytes().all(|b| b.is_ascii_graphic() && b != b' '),
        "not encoded: {joined}"
    );
    PathBuf::from(plansmith::paths::decode_uri_path(path))
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let folder = fixtures().join("uri");
    let odd = "50% off é";
    for dir in [None, Some(tempfile::tempdir().unwrap())] {
        let input = match &dir {
            None => "tests/fixtures/identity/uri".to_string(),
            Some(_) => text(&folder).to_string(),
        };
        let run = plansmith_in(
            dir.as_ref().map(|d| d.path()),
            &["check", &input, "--format", "sarif"],
        );
        let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let result = &sarif["runs"][0]["results"][0];
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = location["uri"].as_str().unwrap();
        assert!(uri.ends_with("50%25%20off%20%C3%A9/plan.md"), "{uri}");
        let file = sarif_file(&sarif, location);
        assert!(
            file.ends_with(format!("{odd}/plan.md")),
            "{}",
            file.display()
        );
        assert!(file.is_file(), "{}", file.display());
    }
}

#[test]
fn quiet_filters_the_json_report() {
    let [booking, payments] = colliding();
    let run = plansmith(&[
        "check",
        text(&booking),
        text(&payments),
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(run.status, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let severities: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    // The bad status (PLAN002), the cycle and the unresolved shape; not the date warning.
    assert_eq!(severities, ["error", "error", "error"]);
    assert_eq!(json["summary"]["warnings"], 0);
    assert_eq!(json["summary"]["errors"], 3);
}

/// `/plans/x/plan.md`, as GitHub renders a link from the repository root, resolves from the
/// root of the git repository that holds the plan, else from the inputs' common ancestor.
#[test]
fn links_from_the_repository_root_resolve() {
    let dependencies = |checked: &Checked| -> Vec<(String, Option<String>)> {
        checked
            .plans
            .iter()
            .flat_map(|p| p.dependencies.iter())
            .map(|d| (d.text.clone(), d.target.clone()))
            .collect()
    };
    let codes = |checked: &Checked| -> Vec<String> {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("DEP"))
            .map(|d| format!("{} {}", d.code, d.path))
            .collect()
    };

    // In a git repository, checking the two folders only.
    let repository = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("root-links"), repository.path());
    std::fs::create_dir(repository.path().join(".git")).unwrap();
    let plans = repository.path().join("plans");
    let checked = check_paths(&[plans.join("booking"), plans.join("payments")]);
    assert_eq!(
        dependencies(&checked),
        [
            (
                "Payments: takes the deposit".to_string(),
                Some("payments/plan.md".to_string())
            ),
            (
                "Booking: refunds follow cancelled bookings".to_string(),
                Some("booking/plan.md".to_string())
            ),
            ("Ledger: not written yet".to_string(), None),
        ]
    );
    assert_eq!(
        codes(&checked),
        ["DEP002 payments/plan.md", "DEP001 payments/plan.md"]
    );
    // One folder only: the other plan exists in the repository but is not checked.
    let checked = check_paths(&[plans.join("booking")]);
    assert_eq!(codes(&checked), ["DEP004 plan.md"]);

    // Without git, from the inputs' common ancestor.
    let folder = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("root-links"), folder.path());
    let checked = check_paths(&[folder.path().to_path_buf()]);
    assert_eq!(
        codes(&checked),
        [
            "DEP002 plans/payments/plan.md",
            "DEP001 plans/payments/plan.md"
        ]
    );
}

#[test]
fn every_exit_2_says_why() {
    let missing = "no/such/folder";
    let cases: [&[&str]; 6] = [
        &["check", missing, "--format", "json"],
        &["check", missing, "--format", "sarif"],
        &["graph", missing],
        &["ast", missing],
        &["extract", missing, "--out", "target/never-written"],
        &["build", missing, "--out", "target/never-written"],
    ];
    for args in cases {
        let run = plansmith(args);
        assert_eq!(run.status, 2, "{args:?}");
        // Data formats get one line; `build` reports on stderr as rustc does.
        let line = format!("error: {missing}: cannot read input: ");
        let snippet = "error[PLAN001]: cannot read input: No such file or directory";
        assert!(
            run.stderr.contains(&line)
                || (args[0] == "build"
                    && run.stderr.contains(snippet)
                    && run.stderr.contains(&format!("= {missing}:1:1"))),
            "{args:?}: {}",
            run.stderr
        );
    }
    // A config file that cannot be used, in the data formats too.
    for format in ["json", "sarif", "github"] {
        let run = plansmith(&[
            "check",
            "examples/plans",
            "--format",
            format,
            "--config",
            "no-such.toml",
        ]);
        assert_eq!(run.status, 2, "{format}");
        assert!(
            run.stderr
                .contains("error: no-such.toml: cannot read the config file"),
            "{format}: {}",
            run.stderr
        );
    }
    let run = plansmith(&["check", missing]);
    assert_eq!(run.status, 2);
    assert!(
        run.stdout.contains("error[PLAN001]: cannot read input: "),
        "{}",
        run.stdout
    );
}

#[test]
fn finding_no_plan_is_exit_2_with_a_message() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("notes.txt"), "not a plan").unwrap();
    let dir = text(empty.path());
    for command in ["check", "graph", "ast"] {
        let run = plansmith(&[command, dir]);
        assert_eq!(run.status, 2, "{command}");
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains(&format!(
                "no plan found: `{dir}` holds no .md, .smithy or .mmd file"
            )),
            "{command}: {said}"
        );
    }
    let run = plansmith(&["check", dir, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "PLAN001");
}

#[test]
fn graph_says_why_it_exits_1_on_a_cycle() {
    let [booking, payments] = colliding();
    let run = plansmith(&["graph", text(&booking), text(&payments), "--order"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains(
            "error: dependency cycle: tests/fixtures/identity/colliding/plans/booking/plan.md → \
             tests/fixtures/identity/colliding/plans/payments/plan.md → \
             tests/fixtures/identity/colliding/plans/booking/plan.md"
        ),
        "{}",
        run.stderr
    );
    let acyclic = plansmith(&["graph", "examples/plans"]);
    assert_eq!(acyclic.status, 0);
    assert_eq!(acyclic.stderr, "");
}
