//! The static review site: built through the library for `examples/plans`, parsed with an HTML
//! parser and checked for content, links and escaping; then loaded in a headless browser when
//! one is installed.

use plansmith::build::{artifacts, artifacts_with};
use plansmith::catalogue::catalogue;
use plansmith::check::{check, CheckOptions, Checked};
use plansmith::output::ArtifactPath;
use plansmith::render::Hooks;
use plansmith::site::{plan_page, service_map_file, service_page, SiteOptions};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn check_folder(folder: &Path) -> Checked {
    check(&CheckOptions {
        paths: vec![folder.to_path_buf()],
        model_paths: Vec::new(),
        jobs: 1,
        ..CheckOptions::default()
    })
}

struct Site {
    dir: tempfile::TempDir,
    checked: Checked,
    /// The diagram files of plans (`diagrams/...svg`).
    diagrams: Vec<ArtifactPath>,
    /// Every page (`.html`) and the stylesheet, with their text.
    pages: Vec<(ArtifactPath, String)>,
}

/// Checks `folder`, makes every artifact as the build does and writes them to a temp dir.
fn build_site(folder: &Path) -> Site {
    build_site_with(folder, Hooks::Left)
}

/// [`build_site`], the drawings' hooks written or not (`build --svg-hooks`).
fn build_site_with(folder: &Path, hooks: Hooks) -> Site {
    let checked = check_folder(folder);
    let options = SiteOptions {
        hooks,
        ..SiteOptions::default()
    };
    let files = artifacts_with(&checked, &options);
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in &files {
        let target = path.under(dir.path());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    let diagrams = files
        .iter()
        .filter(|(p, _)| p.starts_with("diagrams/"))
        .map(|(p, _)| p.clone())
        .collect();
    let pages = files
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".css"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
        .collect();
    Site {
        dir,
        checked,
        diagrams,
        pages,
    }
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans")
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The ids of a page's elements, for fragment links.
fn ids(html: &Html) -> Vec<String> {
    select(html, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id").map(str::to_string))
        .collect()
}

#[test]
fn the_examples_site_holds_every_plan_operation_and_diagram() {
    let site = build_site(&examples());
    let catalogue = catalogue(&site.checked);
    let page = |path: &str| -> Html {
        let text = &site.pages.iter().find(|(p, _)| p == path).unwrap().1;
        Html::parse_document(text)
    };

    let index = page("index.html");
    for plan in &catalogue.plans {
        let target = plan_page(&plan.plan.path);
        assert!(
            select(&index, "#plans a[href]")
                .iter()
                .any(|a| a.value().attr("href") == Some(target.as_str())
                    && a.text().collect::<String>() == plan.plan.name),
            "index lacks a link to {target}"
        );
    }
    assert!(!catalogue.operations.is_empty());
    let rows = select(&index, "#operation-table tbody tr");
    assert_eq!(rows.len(), catalogue.operations.len());
    for operation in &catalogue.operations {
        let selector = format!("#operation-table td[title=\"{}\"] a[href]", operation.id);
        assert!(
            !select(&index, &selector).is_empty(),
            "operation {} not listed with a link",
            operation.id
        );
    }

    for plan in &catalogue.plans {
        let stem = plan.plan.path.strip_suffix(".md").unwrap();
        let expected = site
            .diagrams
            .iter()
            .filter(|d| d.starts_with(&format!("diagrams/{stem}/")))
            .count();
        assert!(expected > 0, "{} has no rendered diagram", plan.plan.path);
        let html = page(&plan_page(&plan.plan.path));
        // Each diagram is shown from its SVG file, not inlined again.
        assert_eq!(
            select(
                &html,
                "figure.diagram > .canvas > a.zoom-open > img[src$=\".svg\"]"
            )
            .len(),
            expected,
            "diagrams of {}",
            plan.plan.path
        );
        assert!(select(&html, "svg").is_empty());
        assert_eq!(
            select(&html, "h1")[0].text().collect::<String>(),
            plan.plan.name
        );
    }

    for service in &catalogue.services {
        let html = page(&service_page(&service.id));
        assert_eq!(
            select(&html, "article.operation").len(),
            service.operations.len(),
            "operations of {}",
            service.id
        );
    }
}

#[test]
fn every_link_of_the_examples_sites_resolves_inside_them() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken");
    for site in [build_site(&examples()), build_site(&broken)] {
        let links = assert_links_resolve(&site);
        assert!(links > 50, "only {links} links checked");
    }
}

/// Every page parses without errors, loads no script, and every `href`/`src`/`data` is relative and
/// names a file of the site (and an element of it, for a fragment). Returns how many links
/// there were.
fn assert_links_resolve(site: &Site) -> usize {
    let mut checked_links = 0;
    for (path, text) in &site.pages {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(text);
        assert!(
            html.errors.is_empty(),
            "{path} does not parse cleanly: {:?}",
            html.errors
        );
        for script in select(&html, "script[src]") {
            let src = script.value().attr("src").unwrap();
            assert!(
                src.ends_with("search-index.js") || src.ends_with("site.js"),
                "{path} loads a script other than the search index and the site's: {src}"
            );
        }
        let own_ids = ids(&html);
        let mut unique = own_ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), own_ids.len(), "{path}: an id is used twice");
        for element in select(&html, "[href], [src], object[data]") {
            for attribute in ["href", "src", "data"] {
                let Some(link) = element.value().attr(attribute) else {
                    continue;
                };
                checked_links += 1;
                if link.starts_with("https://") || link.starts_with("http://") {
                    continue;
                }
                assert!(
                    !link.contains("//") && !link.contains(':'),
                    "{path}: absolute link or other scheme {link}"
                );
                let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
                if file.is_empty() {
                    assert!(
                        own_ids.iter().any(|id| id == fragment),
                        "{path}: no element with id {fragment}"
                    );
                    continue;
                }
                assert_file_link_resolves(site, path, link);
            }
        }
    }
    checked_links
}

/// A relative link to another file of the site, from the file at `from` (a site path): the file
/// exists and, for a fragment, holds an element with that id.
fn assert_file_link_resolves(site: &Site, from: &str, link: &str) {
    let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
    let base = Path::new(from).parent().unwrap();
    let target = site.dir.path().join(base).join(percent_decode(file));
    assert!(target.is_file(), "{from}: dead link {link}");
    if !fragment.is_empty() {
        let target_html = Html::parse_document(&std::fs::read_to_string(&target).unwrap());
        assert!(
            ids(&target_html).iter().any(|id| id == fragment),
            "{from}: {link} names no element"
        );
    }
}

/// The linked nodes of a drawing with hooks, as (`data-id`, href); every link opens in the page
/// that shows the drawing. Parsing the SVG as XML also proves it well-formed.
fn node_links(site: &Site, file: &str) -> Vec<(String, String)> {
    let svg = std::fs::read_to_string(site.dir.path().join(file)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            assert_eq!(a.attribute("target"), Some("_top"), "{file}");
            let node = a
                .children()
                .find_map(|g| g.attribute("data-id"))
                .unwrap_or_else(|| panic!("{file}: a link around no node"));
            (node.to_string(), a.attribute("href").unwrap().to_string())
        })
        .collect()
}

#[test]
fn nodes_of_the_graph_and_the_service_maps_link_to_their_pages() {
    let site = build_site_with(&examples(), Hooks::Written);
    let catalogue = catalogue(&site.checked);
    let graph = node_links(&site, "dependencies.svg");
    let plans: Vec<(String, String)> = catalogue
        .plans
        .iter()
        .map(|p| (p.plan.path.clone(), plan_page(&p.plan.path).to_string()))
        .collect();
    // Every plan, and nothing else (external systems have no page).
    assert_eq!(graph, plans);
    for (_, link) in &graph {
        assert_file_link_resolves(&site, "dependencies.svg", link);
    }

    for service in &catalogue.services {
        let map = service_map_file(&service.id);
        let links = node_links(&site, map.as_str());
        // The map sits beside the service's page: its links name the page's file, or, for a
        // shape another service's page defines, that page's.
        let page = service_page(&service.id);
        let own = format!("{}#", page.as_str().strip_prefix("services/").unwrap());
        for (_, link) in &links {
            assert_file_link_resolves(&site, map.as_str(), link);
            assert!(
                link.starts_with(&own) || (!link.contains('/') && link.contains(".html#s-")),
                "{map}: {link} leaves the service pages"
            );
        }
        let linked: Vec<&str> = links.iter().map(|(id, _)| id.as_str()).collect();
        for op in &service.operations {
            assert!(linked.contains(&op.as_str()), "{map}: {op} not linked");
        }
        for resource in &service.resources {
            assert!(linked.contains(&resource.as_str()), "{map}: {resource}");
        }
        assert!(!linked.contains(&service.id.as_str()));
        assert!(
            links.len() > service.operations.len(),
            "{map}: no shape linked"
        );
    }
}

#[test]
fn links_in_drawings_are_percent_encoded_and_escaped() {
    let site = hostile_site("q \"<a>\" & #1");
    let graph = node_links(&site, "dependencies.svg");
    assert_eq!(
        graph,
        [(
            "q \"<a>\" & #1/plan.md".to_string(),
            "plans/q%20%22%3Ca%3E%22%20%26%20%231/plan.html".to_string()
        )]
    );
    assert_file_link_resolves(&site, "dependencies.svg", &graph[0].1);
    let svg = std::fs::read_to_string(site.dir.path().join("dependencies.svg")).unwrap();
    assert!(!svg.contains(SCRIPT) && !svg.contains("\"<a>\""), "{svg}");
    let map = service_map_file("com.example.evil#EvilService");
    let links = node_links(&site, map.as_str());
    assert!(
        links.contains(&(
            "com.example.evil#GetEvil".to_string(),
            "com.example.evil-EvilService.html#o-GetEvil".to_string()
        )),
        "{links:?}"
    );
}

/// The implementation order flags as a cycle only the plans on one: in `deps/cycles`, Alpha,
/// Beta and Gamma reach each other and Delta depends on itself, while Epsilon only depends on
/// Alpha (so on the cycle): it comes in a wave after them, unflagged.
#[test]
fn the_waves_flag_only_the_plans_in_a_cycle() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps/cycles");
    let site = build_site(&fixture);
    let page = Html::parse_document(
        &site
            .pages
            .iter()
            .find(|(p, _)| p == "dependencies.html")
            .unwrap()
            .1,
    );
    let waves: Vec<Vec<(Vec<String>, bool)>> = select(&page, "#waves ol.waves > li")
        .iter()
        .map(|wave| {
            wave.select(&Selector::parse("ul > li").unwrap())
                .map(|group| {
                    let plans = group
                        .select(&Selector::parse("a").unwrap())
                        .map(|a| a.text().collect())
                        .collect();
                    let flagged = group
                        .value()
                        .has_class("alert", scraper::CaseSensitivity::CaseSensitive);
                    assert_eq!(
                        flagged,
                        group.text().collect::<String>().contains("(cycle)")
                    );
                    (plans, flagged)
                })
                .collect()
        })
        .collect();
    let group = |plans: &[&str], flagged| (plans.iter().map(|p| p.to_string()).collect(), flagged);
    assert_eq!(
        waves,
        [
            vec![group(&["Delta"], true)],
            vec![group(&["Alpha", "Beta", "Gamma"], true)],
            vec![group(&["Epsilon"], false)],
        ]
    );
}

#[test]
fn cycles_and_diagnostics_are_shown() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken");
    let site = build_site(&broken);
    let page = |path: &str| -> Html {
        Html::parse_document(&site.pages.iter().find(|(p, _)| p == path).unwrap().1)
    };
    let index = page("index.html");
    let cycle = select(&index, "#cycles li.alert a[href]");
    let targets: Vec<&str> = cycle
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        targets,
        [
            "plans/examples/broken/cycle-a.html",
            "plans/examples/broken/cycle-b.html"
        ]
    );
    let dependencies = page("dependencies.html");
    assert_eq!(select(&dependencies, "#cycles li.alert").len(), 1);
    assert_eq!(select(&dependencies, "#waves li.alert").len(), 1);

    let plan = page("plans/examples/broken/dead-link.html");
    let codes: Vec<String> = select(&plan, "#diagnostics tbody tr td:first-child")
        .iter()
        .map(|td| td.text().collect())
        .collect();
    assert!(codes.iter().any(|c| c == "DEP001"), "{codes:?}");

    // A diagram that does not parse is named, not silently left out.
    let plan = page("plans/examples/broken/mermaid-syntax.html");
    assert_eq!(select(&plan, "figure.diagram .unrendered").len(), 1);
}

#[test]
fn service_maps_and_the_graph_are_shown_from_their_files_once() {
    let site = build_site(&examples());
    for (path, text) in &site.pages {
        let html = Html::parse_document(text);
        assert!(select(&html, "svg").is_empty(), "{path} inlines an SVG");
        let expected = if let Some(name) = path.strip_prefix("services/") {
            let id = name.strip_suffix(".html").unwrap().replacen('-', "#", 1);
            format!("../{}", service_map_file(&id))
        } else if path == "dependencies.html" {
            "dependencies.svg".to_string()
        } else {
            continue;
        };
        // Through `<object>`, so that the links of its nodes work.
        let objects = select(&html, "figure.diagram object[type=\"image/svg+xml\"]");
        assert_eq!(objects.len(), 1, "{path} lacks its map");
        assert_eq!(objects[0].value().attr("data"), Some(expected.as_str()));
        let file = site
            .dir
            .path()
            .join(Path::new(path.as_str()).parent().unwrap())
            .join(&expected);
        assert!(std::fs::read_to_string(file).unwrap().starts_with("<svg"));
    }
}

#[test]
fn the_site_is_deterministic() {
    let first = build_site(&examples());
    let second = build_site(&examples());
    assert_eq!(first.pages, second.pages);
    let paths: Vec<&ArtifactPath> = first.pages.iter().map(|(p, _)| p).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.iter().any(|p| *p == "site.css"));
    assert!(paths.iter().any(|p| *p == "dependencies.html"));
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMAGE: &str = "\"><img src=x onerror=alert(1)>";

fn hostile_plan() -> String {
    format!(
        "# Evil `{SCRIPT}` `{IMAGE}` Technical Implementation Plan

| **Status:** Draft
| **Owner:** Mallory {SCRIPT} {IMAGE}
| **Target Date:** 01-02-2027 |

## Dependencies

- Evil system {SCRIPT} `{IMAGE}`

## Design

```mermaid
flowchart LR
    A[\"<img src=x onerror=alert(1)>\"] --> B[\"{SCRIPT}\"]
```

```smithy
$version: \"2\"
namespace com.example.evil

/// Documentation {SCRIPT} {IMAGE}
service EvilService {{
    version: \"1\"
    operations: [GetEvil]
}}

@readonly
@http(method: \"GET\", uri: \"/evil\")
operation GetEvil {{
    input := {{}}
    output := {{}}
}}
```

## Risks

| Risk | Mitigation |
|---|---|
| {SCRIPT} `{SCRIPT}` | `{IMAGE}` |

## Acceptance criteria

- [x] Escaped {SCRIPT}
- [ ] Still escaped {IMAGE}
"
    )
}

/// The site of the hostile plan, in a folder of the given name; its drawings carry their hooks,
/// which hold more of the plan's text.
fn hostile_site(folder: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join(folder);
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::write(plans.join("plan.md"), hostile_plan()).unwrap();
    build_site_with(dir.path(), Hooks::Written)
}

#[test]
fn plan_text_is_escaped_everywhere() {
    // A folder name that must be percent-encoded in links.
    let site = hostile_site("evil #1 & co");

    // The payloads really reach the pages' inputs, so the assertions below mean something.
    let plan = &site.checked.plans[0];
    for text in [
        plan.name.as_str(),
        plan.owner.as_deref().unwrap_or_default(),
        plan.dependencies[0].text.as_str(),
        plan.tables[0].rows[0][0].as_str(),
        plan.tables[0].rows[0][1].as_str(),
    ] {
        assert!(
            text.contains("<script>") || text.contains("<img"),
            "payload lost before the site: {text:?}"
        );
    }
    assert_eq!(site.diagrams.len(), 1, "the hostile flowchart renders");

    let plan_html = &site
        .pages
        .iter()
        .find(|(p, _)| p == "plans/evil #1 & co/plan.html")
        .unwrap()
        .1;
    // Escaped, by name or by number, depending on the escaper's version.
    assert!(
        plan_html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            || plan_html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    assert!(assert_links_resolve(&site) > 20);
    // The search index holds the names, with `<`, `>` and `&` escaped.
    let index = std::fs::read_to_string(site.dir.path().join("search-index.js")).unwrap();
    assert!(!index.contains('<') && !index.contains('>'), "{index}");
    assert!(search_entries(&site)
        .iter()
        .any(|e| e["t"].as_str().unwrap().contains(SCRIPT)));
    for diagram in &site.diagrams {
        let svg = std::fs::read_to_string(diagram.under(site.dir.path())).unwrap();
        assert!(!svg.contains(SCRIPT) && !svg.contains(IMAGE), "{diagram}");
    }
    for (path, text) in &site.pages {
        assert!(!text.contains(SCRIPT), "{path} holds a raw script tag");
        assert!(!text.contains(IMAGE), "{path} holds a raw img tag");
        let html = Html::parse_document(text);
        // The only images shown are the diagrams' own SVG files (the plan's raw `<img src=x>`
        // keeps no source).
        for img in select(&html, "img") {
            assert!(
                img.value()
                    .attrs()
                    .all(|(name, _)| matches!(name, "src" | "alt" | "loading")),
                "{path}"
            );
            if let Some(src) = img.value().attr("src") {
                assert!(src.ends_with(".svg"), "{path}: {src}");
            }
        }
        for script in select(&html, "script") {
            assert!(
                !script.text().collect::<String>().contains("alert"),
                "{path}"
            );
        }
        for element in select(&html, "*") {
            assert!(
                element
                    .value()
                    .attrs()
                    .all(|(name, _)| !name.starts_with("on")),
                "{path}: event handler attribute on <{}>",
                element.value().name()
            );
        }
    }
}

/// Runs headless chromium on a file and returns the DOM it built, or `None` when chromium is not
/// installed. The browser gets a fresh profile and is killed if it runs too long.
/// With `screenshot`, takes a 1280 px wide picture of the given height instead of dumping the DOM.
fn browser_dom(page: &Path, screenshot: Option<(&Path, u32)>) -> Option<String> {
    let chromium = crate::browser::find_chromium()?;
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new(chromium);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]);
    command.arg(format!("--user-data-dir={}", profile.path().display()));
    match screenshot {
        Some((png, height)) => {
            command.arg(format!("--screenshot={}", png.display()));
            command.arg(format!("--window-size=1280,{height}"));
        }
        None => {
            command.arg("--dump-dom");
        }
    }
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = command
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::from(out.reopen().unwrap()))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            // Only the browser this test started.
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(std::fs::read_to_string(out.path()).unwrap())
}

#[test]
fn a_browser_builds_the_tables_diagrams_and_links() {
    let site = build_site(&examples());
    let index = site.dir.path().join("index.html");
    let Some(dom) = browser_dom(&index, None) else {
        eprintln!("notice: chromium is not on PATH; skipping the browser test");
        return;
    };
    let html = Html::parse_document(&dom);
    assert!(
        select(&html, "#operation-table tbody tr").len() > 5,
        "{dom}"
    );
    assert!(select(&html, "#plan-table a[href^=\"plans/\"]").len() >= 6);
    // The script ran: the filter box is shown and the count filled in.
    assert!(select(&html, "p.filter[hidden]").is_empty(), "{dom}");
    assert!(!select(&html, "#operation-count")[0]
        .text()
        .collect::<String>()
        .is_empty());

    // The search (given in the address, as a shared link gives it) finds an operation and
    // links to its description.
    let search = PathBuf::from(format!("{}?q=submitorder", index.display()));
    let dom = browser_dom(&search, None).unwrap();
    let html = Html::parse_document(&dom);
    let results = select(&html, "#search-results a[href]");
    assert!(!results.is_empty(), "{dom}");
    assert_eq!(
        results[0].value().attr("href"),
        Some("services/com.harbor.orders-OrdersService.html#o-SubmitOrder")
    );

    let plan = site
        .dir
        .path()
        .join(plan_page("examples/plans/orders/plan.md"));
    let dom = browser_dom(&plan, None).unwrap();
    let html = Html::parse_document(&dom);
    assert!(select(&html, "figure.diagram img").len() >= 3, "{dom}");
    assert!(!select(&html, "#plan table").is_empty());
    assert!(!select(&html, "#dependencies a[href$=\".html\"]").is_empty());

    // Screenshots for a person to look at, when asked for.
    if let Some(folder) = std::env::var_os("PLANSMITH_SITE_SCREENSHOTS") {
        let folder = PathBuf::from(folder);
        std::fs::create_dir_all(&folder).unwrap();
        let service = site
            .dir
            .path()
            .join(service_page("com.harbor.orders#OrdersService"));
        let dependencies = site.dir.path().join("dependencies.html");
        let shots = [
            ("index", &index, 1600),
            ("plan", &plan, 1600),
            ("plan-whole", &plan, 6000),
            ("service", &service, 1600),
            ("dependencies", &dependencies, 1600),
        ];
        for (name, page, height) in shots {
            let png = folder.join(format!("{name}.png"));
            browser_dom(page, Some((&png, height)));
        }
        let broken = build_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken"));
        for (name, page) in [
            ("broken-index", "index.html"),
            ("broken-plan", "plans/mermaid-syntax.html"),
            ("broken-dependencies", "dependencies.html"),
        ] {
            let png = folder.join(format!("{name}.png"));
            browser_dom(&broken.dir.path().join(page), Some((&png, 1600)));
        }
    }
}

/// The page of the plan at `path` in a built site.
fn page_of(site: &Site, path: &str) -> Html {
    let page = plan_page(path);
    Html::parse_document(&site.pages.iter().find(|(p, _)| *p == page).unwrap().1)
}

#[test]
fn plan_pages_render_the_prose_with_diagrams_in_place() {
    let site = build_site(&examples());
    for plan in &site.checked.plans {
        let html = page_of(&site, &plan.path);
        // Walk the prose in document order: each diagram stands under the heading of its
        // section, where its fence was.
        let prose = select(&html, "section#plan")[0];
        let mut heading = String::new();
        let mut figures = 0;
        for element in prose.descendants().filter_map(scraper::ElementRef::wrap) {
            let name = element.value().name();
            if matches!(name, "h2" | "h3" | "h4") {
                heading = element.text().collect::<String>().trim().to_string();
            }
            if name == "figure" {
                let id = element.value().attr("id").unwrap();
                let index: usize = id.strip_prefix("s-block-").unwrap().parse().unwrap();
                let block = plan.blocks.iter().find(|b| b.index == index).unwrap();
                assert_eq!(Some(&heading), block.section.as_ref(), "{} {id}", plan.path);
                figures += 1;
            }
        }
        let mermaid = plan
            .blocks
            .iter()
            .filter(|b| b.kind == plansmith::plan::BlockKind::Mermaid)
            .count();
        assert_eq!(figures, mermaid, "{}", plan.path);
        let smithy = plan
            .blocks
            .iter()
            .filter(|b| b.kind == plansmith::plan::BlockKind::Smithy)
            .count();
        assert_eq!(
            select(&html, "#plan pre.smithy > code.language-smithy").len(),
            smithy,
            "{}",
            plan.path
        );
        // Every table of the plan, each in a container that scrolls; lists; headings with ids
        // listed in the table of contents.
        let first_section = plan
            .sections
            .iter()
            .flat_map(|s| std::iter::once(s).chain(&s.children))
            .filter(|s| s.level == 2)
            .map(|s| s.line)
            .min()
            .unwrap_or(u32::MAX);
        assert_eq!(
            select(&html, "#plan div.scroll > table").len(),
            plan.tables
                .iter()
                .filter(|t| t.line > first_section)
                .count(),
            "{}",
            plan.path
        );
        assert!(!select(&html, "#plan li").is_empty(), "{}", plan.path);
        let sections: Vec<String> = select(&html, "#plan > h2")
            .iter()
            .map(|h| format!("#{}", h.value().attr("id").unwrap()))
            .collect();
        let toc: Vec<String> = select(&html, "nav.toc a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .filter(|href| href.starts_with("#s-"))
            .map(str::to_string)
            .collect();
        assert_eq!(toc, sections, "{}", plan.path);
        // The title and the header fields are shown once, above the prose.
        assert!(select(&html, "#plan h1").is_empty());
        let prose_text: String = prose.text().collect();
        assert!(!prose_text.contains("Target Date:"), "{}", plan.path);
    }
    // Links to other plans' files lead to their pages.
    let orders = page_of(&site, "examples/plans/orders/plan.md");
    let hrefs: Vec<&str> = select(&orders, "#plan a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"../../../../plans/examples/plans/identity/plan.html"),
        "{hrefs:?}"
    );
    // Smithy is highlighted.
    assert!(!select(&orders, "#plan pre.smithy span.k").is_empty());
}

#[test]
fn raw_html_in_prose_is_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.md"),
        "# Sly Technical Implementation Plan\n\n| **Status:** Draft\n\n## Overview\n\n\
         <script>alert('block')</script>\n\n\
         Text <img src=x onerror=alert('img')> and <a href=\"javascript:alert('a')\" onclick=\"alert('c')\">a link</a>, \
         [a markdown link](javascript:alert('md')), [a data link](data:text/html,x), \
         <b style=\"background:url(x)\" id=\"diagnostics\">bold</b>, <iframe src=\"https://example.com\"></iframe> \
         <svg onload=alert('svg')></svg> <form action=\"https://example.com\"><input type=text name=p></form>\n\n\
         - [ ] an open task\n- [x] a done task\n\n\
         [web](https://example.com/a?b=1) and [mail](mailto:a@example.com)\n",
    )
    .unwrap();
    let site = build_site(dir.path());
    let html_text = &site
        .pages
        .iter()
        .find(|(p, _)| p.starts_with("plans/"))
        .unwrap()
        .1;
    let html = Html::parse_document(html_text);
    assert!(select(&html, "#plan script").is_empty(), "{html_text}");
    for script in select(&html, "script") {
        assert!(!script.text().collect::<String>().contains("alert"));
    }
    for element in select(&html, "#plan *") {
        for (name, value) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "<{}> {name}",
                element.value().name()
            );
            assert!(name != "style", "<{}> style", element.value().name());
            let lower = value.to_ascii_lowercase();
            assert!(
                !lower.contains("javascript:") && !lower.starts_with("data:"),
                "<{}> {name}={value}",
                element.value().name()
            );
        }
    }
    for tag in ["iframe", "svg", "form", "input[type=text]", "img[src]"] {
        assert!(select(&html, tag).is_empty(), "{tag} left in {html_text}");
    }
    // The plan cannot take an id of the page.
    assert_eq!(select(&html, "#diagnostics").len(), 1);
    assert_eq!(select(&html, "#plan b#s-diagnostics").len(), 1);
    // What is harmless stays: text, links to the web, task-list boxes.
    let prose: String = select(&html, "#plan")[0].text().collect();
    assert!(
        prose.contains("a link") && prose.contains("a markdown link") && prose.contains("bold")
    );
    assert_eq!(
        select(&html, "#plan a[href=\"https://example.com/a?b=1\"]").len(),
        1
    );
    assert_eq!(
        select(&html, "#plan a[href=\"mailto:a@example.com\"]").len(),
        1
    );
    assert_eq!(
        select(&html, "#plan input[type=checkbox][checked]").len(),
        1
    );
    assert_eq!(select(&html, "#plan input[type=checkbox]").len(), 2);
}

#[test]
fn plan_pages_link_their_source_through_the_repository_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plansmith.toml"),
        "repository-url = \"https://git.example.com/org/repo/blob/main/\"\n",
    )
    .unwrap();
    for (name, text) in [
        (
            "a",
            "# A Technical Implementation Plan\n\n## Dependencies\n\n- [B](../b/plan.md)\n\n## Notes\n\nSee [the runbook](../../docs/run%20book.md#restart) and [B's goals](../b/plan.md#goals).\n",
        ),
        ("b", "# B Technical Implementation Plan\n\n## Goals\n\nNone.\n"),
    ] {
        let folder = dir.path().join("plans").join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("plan.md"), text).unwrap();
    }
    let inputs = [dir.path().join("plans")];
    let config = plansmith::tuning::config::resolve(
        &inputs,
        plansmith::tuning::config::ConfigChoice::Discover,
    )
    .unwrap();
    let checked = check(&CheckOptions {
        paths: inputs.to_vec(),
        jobs: 1,
        ..CheckOptions::default()
    });
    let options = plansmith::site::SiteOptions::from_config(config.as_ref(), &checked.root.dir);
    let files = plansmith::build::artifacts_with(&checked, &options);
    let page = |path: &str| {
        let (_, bytes) = files.iter().find(|(p, _)| p == path).unwrap();
        Html::parse_document(std::str::from_utf8(bytes).unwrap())
    };
    let a = page("plans/a/plan.html");
    let source: Vec<&str> = select(&a, ".crumbs a")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert_eq!(
        source,
        [
            "../../index.html#plans",
            "https://git.example.com/org/repo/blob/main/plans/a/plan.md"
        ]
    );
    let prose: Vec<&str> = select(&a, "#plan a")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert_eq!(
        prose,
        [
            "../../plans/b/plan.html",
            "https://git.example.com/org/repo/blob/main/docs/run%20book.md#restart",
            "../../plans/b/plan.html"
        ]
    );
    // Without the setting there is no source link and a link to a file the site does not
    // hold is left as text.
    let files = artifacts(&checked);
    let (_, bytes) = files
        .iter()
        .find(|(p, _)| p == "plans/a/plan.html")
        .unwrap();
    let a = Html::parse_document(std::str::from_utf8(bytes).unwrap());
    assert_eq!(select(&a, ".crumbs a").len(), 1);
    assert_eq!(select(&a, "#plan a").len(), 2);
}

#[test]
fn an_unrendered_diagram_names_its_diagnostic_and_status_sorts_by_lifecycle() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken");
    let site = build_site(&broken);
    let plan = site
        .checked
        .plans
        .iter()
        .find(|p| p.path.ends_with("mermaid-syntax.md"))
        .unwrap();
    let diagnostic = site
        .checked
        .diagnostics
        .iter()
        .find(|d| d.path == plan.path && d.code.starts_with("MMD"))
        .unwrap();
    let html = page_of(&site, &plan.path);
    let boxes = select(&html, "figure.diagram .unrendered");
    assert_eq!(boxes.len(), 1);
    let text: String = boxes[0].text().collect();
    assert!(
        text.contains(&format!(
            "{} at line {}",
            diagnostic.code, diagnostic.span.line
        )),
        "{text}"
    );
    let link = select(&html, "figure.diagram .unrendered a")[0]
        .value()
        .attr("href")
        .unwrap();
    let row = select(&html, link)[0];
    assert!(row.text().collect::<String>().contains(&diagnostic.message));

    let index = Html::parse_document(
        &site
            .pages
            .iter()
            .find(|(p, _)| p == "index.html")
            .unwrap()
            .1,
    );
    let statuses = plansmith::plan::metadata::Status::labels();
    for row in select(&index, "#plan-table tbody tr") {
        let cell = row.child_elements().nth(1).unwrap();
        let text: String = cell.text().collect();
        let rank: usize = cell.value().attr("data-value").unwrap().parse().unwrap();
        let expected = statuses
            .iter()
            .position(|s| *s == text)
            .unwrap_or(statuses.len());
        assert_eq!(rank, expected, "{text}");
    }
}

/// The entries of the search index: (kind, name, searched text, href from the site's root).
fn search_entries(site: &Site) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(site.dir.path().join("search-index.js")).unwrap();
    let json = text
        .strip_prefix("window.plansmithSearch = ")
        .and_then(|t| t.strip_suffix(";\n"))
        .unwrap();
    serde_json::from_str::<Vec<serde_json::Value>>(json).unwrap()
}

#[test]
fn the_search_index_holds_plans_services_operations_and_shapes() {
    let site = build_site(&examples());
    let catalogue = catalogue(&site.checked);
    let entries = search_entries(&site);
    let of_kind = |kind: &str| -> Vec<&serde_json::Value> {
        entries.iter().filter(|e| e["k"] == kind).collect()
    };
    assert_eq!(of_kind("plan").len(), catalogue.plans.len());
    assert_eq!(of_kind("service").len(), catalogue.services.len());
    assert_eq!(of_kind("operation").len(), catalogue.operations.len());
    assert!(of_kind("shape").len() > 10);
    // Every entry leads to an element that exists.
    for entry in &entries {
        let href = entry["h"].as_str().unwrap();
        let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
        let target = site.dir.path().join(percent_decode(file));
        assert!(target.is_file(), "{href}");
        if !fragment.is_empty() {
            let html = Html::parse_document(&std::fs::read_to_string(&target).unwrap());
            assert!(ids(&html).iter().any(|id| id == fragment), "{href}");
        }
    }
}

#[test]
fn service_pages_define_every_shape_their_operations_use() {
    let site = build_site(&examples());
    let model = &site.checked.model;
    let html = Html::parse_document(
        &site
            .pages
            .iter()
            .find(|(p, _)| p == "services/com.harbor.orders-OrdersService.html")
            .unwrap()
            .1,
    );
    // Every member target that is a shape of the model (not the prelude) links to its
    // definition, on the page or, for a shape another service's page defines, on that page
    // (each shape is defined once in the site), and the definition lists its members.
    let page_of = |file: &str| {
        let path = format!("services/{file}");
        let page = site.pages.iter().find(|(p, _)| p.as_str() == path);
        Html::parse_document(&page.unwrap_or_else(|| panic!("no page {path}")).1)
    };
    // The page is about its service's namespace: the shapes of it go by their names (and
    // their anchors are `s-` and the name), the others by their whole ids.
    let namespace = "com.harbor.orders";
    let mut linked = 0;
    let mut by_name = 0;
    let mut elsewhere = 0;
    for cell in select(&html, "table.members td:nth-child(2)") {
        let shown: String = cell.text().collect();
        let target = match shown.contains('#') {
            true => shown.clone(),
            false => format!("{namespace}#{shown}"),
        };
        assert!(
            !shown.starts_with(&format!("{namespace}#")),
            "{shown} is not shown by its name"
        );
        if target.starts_with("smithy.api#") || !model.shapes.contains_key(target.as_str()) {
            continue;
        }
        let link = cell.children().find_map(scraper::ElementRef::wrap);
        let link = link.unwrap_or_else(|| panic!("{target} is not linked"));
        assert_eq!(link.value().name(), "a", "{target} is not linked");
        let href = link.value().attr("href").unwrap();
        let (file, anchor) = href.split_once('#').unwrap();
        let other;
        let holder = if file.is_empty() {
            if shown == target {
                assert!(anchor.contains("--"), "{href}: a whole id's anchor");
            } else {
                assert_eq!(anchor, format!("s-{shown}"));
                by_name += 1;
            }
            &html
        } else {
            elsewhere += 1;
            other = page_of(file);
            &other
        };
        let definition = select(holder, &format!("article.definition#{anchor}"));
        assert_eq!(definition.len(), 1, "{target}");
        assert!(definition[0].text().collect::<String>().contains(&target));
        linked += 1;
    }
    assert!(linked > 5, "{linked}");
    assert!(by_name > 5, "{by_name}");
    // The Orders service uses Identity's shapes, defined on Identity's service page.
    assert!(elsewhere > 0, "{elsewhere}");
    // An enum shows its values.
    let status = select(&html, "article.definition#s-OrderStatus")[0];
    let text: String = status.text().collect();
    assert!(
        text.contains("enum") && text.contains("AWAITING_APPROVAL"),
        "{text}"
    );

    let services = Html::parse_document(
        &site
            .pages
            .iter()
            .find(|(p, _)| p == "services.html")
            .unwrap()
            .1,
    );
    assert_eq!(
        select(&services, "#services tbody tr a[href^=\"services/\"]").len(),
        catalogue(&site.checked).services.len()
    );
}

#[test]
fn the_gallery_shows_every_diagram_by_family_and_plan() {
    for folder in [
        examples(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/broken"),
    ] {
        let site = build_site(&folder);
        let html = Html::parse_document(
            &site
                .pages
                .iter()
                .find(|(p, _)| p == "diagrams.html")
                .unwrap()
                .1,
        );
        let mermaid: Vec<(&str, usize)> = site
            .checked
            .plans
            .iter()
            .flat_map(|p| {
                p.blocks
                    .iter()
                    .filter(|b| b.kind == plansmith::plan::BlockKind::Mermaid)
                    .map(move |b| (p.path.as_str(), b.index))
            })
            .collect();
        let items = select(&html, "ul.gallery > li > a.thumb");
        assert_eq!(items.len(), mermaid.len());
        for (plan, block) in mermaid {
            let target = format!("{}#s-block-{block}", plan_page(plan));
            assert!(
                items
                    .iter()
                    .any(|a| a.value().attr("href") == Some(target.as_str())),
                "{target}"
            );
        }
        // Every drawn diagram's image is there (the link check opens the files).
        assert_eq!(
            select(&html, "a.thumb img").len(),
            site.diagrams.len(),
            "{}",
            folder.display()
        );
    }
}
