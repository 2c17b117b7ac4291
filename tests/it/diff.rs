//! `plansmith diff` as a user runs it: two git revisions of a plans repository (the working
//! tree left as it was), two folders, the formats and the exit status.

use crate::bin::{copy_tree, plansmith_in};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The example plans committed, then changed in the working tree: a slipped date, a new
/// status, a removed dependency, a new cycle, an ER entity, and a member no longer required.
fn changed_repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let plans = repo.path().join("plans");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans"),
        &plans,
    );
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "plans"]);
    let orders = plans.join("orders/plan.md");
    edit(&orders, "31-03-2027", "30-04-2027");
    edit(&orders, "In Review", "Approved");
    edit(&orders, "- Amazon SQS: the order event stream\n", "");
    edit(&orders, "@required lineId: LineId", "lineId: LineId");
    edit(
        &orders,
        "    ORDERS ||--o{ ORDER_TRANSITIONS : \"moves through\"\n",
        "    ORDERS ||--o{ ORDER_TRANSITIONS : \"moves through\"\n    ORDERS ||--o{ ORDER_NOTES : \"annotated by\"\n",
    );
    edit(
        &plans.join("identity/plan.md"),
        "- None\n",
        "- [Orders](../orders/plan.md): order ids\n",
    );
    repo
}

fn changes_of<'a>(report: &'a Value, plan: &str) -> Vec<&'a str> {
    report["plans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["plan"] == plan)
        .map(|c| c["change"].as_str().unwrap())
        .collect()
}

#[test]
fn a_revision_against_the_working_tree() {
    let repo = changed_repository();
    let plans = repo.path().join("plans");
    let status_before = git(repo.path(), &["status", "--porcelain"]);
    let (code, stdout, stderr) = plansmith_in(&plans, &["diff", "HEAD", "--format", "json"], "");
    assert_eq!(code, 1, "breaking changes fail the diff: {stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["breaking"], true);
    assert_eq!(
        changes_of(&report, "orders/plan.md"),
        [
            "status",
            "target-date",
            "dependency-removed",
            "diagram-changed"
        ]
    );
    assert_eq!(
        changes_of(&report, "identity/plan.md"),
        ["dependency-added", "new-cycle"]
    );
    let slip = report["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["change"] == "target-date")
        .unwrap();
    assert_eq!(slip["slipped"], true);
    let diagram = report["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["change"] == "diagram-changed")
        .unwrap();
    assert_eq!(diagram["nodes_added"], serde_json::json!(["ORDER_NOTES"]));
    let events: Vec<(&str, &str, &str)> = report["smithy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["severity"].as_str().unwrap(),
                e["id"].as_str().unwrap(),
                e["shape"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [(
            "ERROR",
            "ChangedNullability.RemovedRequiredTrait",
            "com.harbor.orders#OrderLineDetails$lineId"
        )]
    );
    // The revision was read without touching the working tree or the index.
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), status_before);

    let (code, _, _) = plansmith_in(&plans, &["diff", "HEAD", "--fail-on", "never"], "");
    assert_eq!(code, 0);
    let (code, stdout, _) = plansmith_in(&plans, &["diff", "HEAD", "HEAD"], "");
    assert_eq!((code, stdout.trim()), (0, "No changes from HEAD to HEAD."));
}

#[test]
fn folders_and_formats() {
    let repo = changed_repository();
    let base = repo.path().join("base");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans"),
        &base,
    );
    let (code, markdown, _) = plansmith_in(
        repo.path(),
        &["diff", "base", "plans", "--format", "markdown"],
        "",
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("diff_markdown", markdown);
    let (_, sarif, _) = plansmith_in(
        repo.path(),
        &["diff", "base", "plans", "--format", "sarif"],
        "",
    );
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "only breaking Smithy changes");
    assert_eq!(results[0]["ruleId"], "ChangedNullability");
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
    assert_eq!(uri, Some("plans/orders/plan.md"));
    let (_, github, _) = plansmith_in(
        repo.path(),
        &["diff", "base", "plans", "--format", "github"],
        "",
    );
    assert!(
        github.starts_with("::error file=plans/orders/plan.md,line="),
        "{github}"
    );
}

#[test]
fn an_unknown_revision_is_trouble() {
    let repo = changed_repository();
    let (code, _, stderr) = plansmith_in(repo.path(), &["diff", "no-such-branch"], "");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`no-such-branch` is neither a path nor a git revision"),
        "{stderr}"
    );
}

#[test]
fn model_files_compare_as_smithy_diff_does() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "a.smithy",
        "$version: \"2.0\"\nnamespace ex\n\nstructure S {\n    a: Integer\n}\n",
    );
    write(
        "b.smithy",
        "$version: \"2.0\"\nnamespace ex\n\nstructure S {\n    a: String\n}\n",
    );
    let (code, stdout, stderr) = plansmith_in(dir.path(), &["diff", "a.smithy", "b.smithy"], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("ERROR      ChangedMemberTarget ex#S$a: The shape targeted by the member `ex#S$a` changed from `smithy.api#Integer` (integer) to `smithy.api#String` (string). The type of the targeted shape changed from integer to string."),
        "{stdout}"
    );
}

/// A member a shape re-declares over a mixin keeps the mixin member's traits, as the
/// reference merges them: adding documentation to it must not read as `@required` removed.
#[test]
fn redeclared_mixin_member_keeps_the_mixin_members_traits() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    let mixin = "$version: \"2.0\"\nnamespace ex\n\n@mixin\nstructure Named {\n    @required\n    name: String\n}\n\n";
    write(
        "a.smithy",
        &format!("{mixin}structure S with [Named] {{}}\n"),
    );
    write(
        "b.smithy",
        &format!("{mixin}structure S with [Named] {{\n    /// The name.\n    name: String\n}}\n"),
    );
    let (code, stdout, stderr) = plansmith_in(
        dir.path(),
        &["diff", "a.smithy", "b.smithy", "--format", "json"],
        "",
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = report["smithy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["ModifiedTrait.Add.smithy.api#documentation"],
        "{stdout}"
    );
}

/// The one drawing of `folder` whose file name ends with `suffix`.
fn drawing(folder: &Path, suffix: &str) -> String {
    let mut found: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(found.len(), 1, "{suffix} in {}", folder.display());
    std::fs::read_to_string(found.remove(0)).unwrap()
}

#[test]
fn build_with_a_base_writes_a_changes_page_and_marks_what_changed_in_the_drawings() {
    let repo = changed_repository();
    let plans = repo.path().join("plans");
    let out = repo.path().join("site");
    let out_arg = out.to_str().unwrap();
    let (code, stdout, stderr) =
        plansmith_in(&plans, &["build", "--base", "HEAD", "-o", out_arg], "");
    assert_ne!(code, 2, "{stdout}{stderr}");

    let changes = std::fs::read_to_string(out.join("changes.html")).unwrap();
    assert!(
        changes.contains("Changes since <code>HEAD</code>"),
        "{changes}"
    );
    // The interface change, linked to where its shape is described, and breaking first.
    assert!(changes.contains("ChangedNullability"), "{changes}");
    assert!(changes.contains("class=\"breaking\""), "{changes}");
    // Plan changes, under a link to the plan's page.
    assert!(
        changes.contains("href=\"plans/orders/plan.html\""),
        "{changes}"
    );
    assert!(changes.contains("target date"), "{changes}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"changes.html\""),
        "the navigation leads there"
    );

    // The ER diagram of the orders plan gained an entity and a relation: both are outlined;
    // the unchanged diagrams of the identity plan are drawn as they were.
    let orders = drawing(&out.join("diagrams/orders/plan"), "-er.svg");
    // The outline rule is the one that strokes in the marks' colour.
    const MARKED: &str = "{stroke:#e8590c;stroke-width:3px}";
    let end = orders.find(MARKED).expect("an outline rule") + MARKED.len();
    let style = &orders[orders[..end].rfind("<style>").expect("a style")..end];
    assert!(
        style.contains("g[data-id=&quot;ORDER_NOTES&quot;] rect"),
        "{style}"
    );
    assert!(
        style.contains("g[data-from=&quot;ORDERS&quot;][data-to=&quot;ORDER_NOTES&quot;] path"),
        "{style}"
    );
    assert!(
        !style.contains("data-id=&quot;ORDERS&quot;"),
        "unchanged nodes stay: {style}"
    );
    // The rules find what they outline: the marked drawing carries its hooks, the others none.
    assert!(orders.contains("<g data-id=\"ORDER_NOTES\">"), "{orders}");
    assert!(orders.contains("<g data-from=\"ORDERS\" data-to=\"ORDER_NOTES\">"));
    for entry in std::fs::read_dir(out.join("diagrams/identity/plan")).unwrap() {
        let svg = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!svg.contains(MARKED), "nothing changed there");
        assert!(!svg.contains(" data-"), "no hooks without marks");
    }

    // Without a base the page goes and the drawing is drawn plain again, without its hooks.
    let (code, stdout, stderr) = plansmith_in(&plans, &["build", "-o", out_arg], "");
    assert_ne!(code, 2, "{stdout}{stderr}");
    assert!(!out.join("changes.html").exists());
    let plain = drawing(&out.join("diagrams/orders/plan"), "-er.svg");
    assert!(
        !plain.contains(MARKED) && !plain.contains(" data-"),
        "{plain}"
    );
}

#[test]
fn build_with_a_base_that_is_no_revision_stops_with_a_message() {
    let repo = changed_repository();
    let plans = repo.path().join("plans");
    let out = repo.path().join("site");
    let (code, _, stderr) = plansmith_in(
        &plans,
        &[
            "build",
            "--base",
            "no-such-rev",
            "-o",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no-such-rev"), "{stderr}");
}
