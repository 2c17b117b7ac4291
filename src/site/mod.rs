//! The static review site: an index of plans and operations, a page per plan, per service and
//! for the dependency graph, plus one stylesheet. Pages are askama templates compiled into the
//! binary (`templates/site/`), so every value from a plan is HTML-escaped; the only markup
//! inserted as is comes from our own SVG renderer, wrapped in [`RendererSvg`].
//!
//! Links are relative (each page knows how far it is from the site's root), so the site works
//! from `file://` and from any sub-path. Output is deterministic: everything is taken from sorted
//! inputs and no page holds a time.

mod pages;

use crate::catalogue::Catalogue;
use crate::check::Checked;
use crate::output::ArtifactPath;
use std::collections::BTreeMap;

/// One rendered diagram of a plan, as the build writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramArtifact {
    /// The plan's path, as in `Plan::path`.
    pub plan: String,
    /// The block's 1-based index among the plan's blocks.
    pub block: usize,
    /// The file line of the block's first content line.
    pub line: u32,
    pub family: String,
    /// Where the SVG file is, relative to the site's folder (e.g. `diagrams/orders/plan/03-sequence.svg`).
    pub file: ArtifactPath,
    /// The SVG text, as our renderer wrote it.
    pub svg: String,
}

/// Everything the site shows.
pub struct SiteInput<'a> {
    pub checked: &'a Checked,
    pub catalogue: &'a Catalogue,
    /// Sorted by plan, then block.
    pub diagrams: &'a [DiagramArtifact],
    /// Service shape id -> SVG text of its service map.
    pub service_maps: &'a BTreeMap<String, String>,
    /// SVG text of the plan graph.
    pub dependency_graph: Option<&'a str>,
}

/// Every page of the site: (path relative to the site's folder with `/` separators, contents).
/// Same input, same bytes.
pub fn site_pages(input: &SiteInput<'_>) -> Vec<(ArtifactPath, String)> {
    let directory = pages::Directory::new(input);
    let mut pages = vec![
        (ArtifactPath::new(STYLESHEET), pages::STYLE.to_string()),
        (
            ArtifactPath::new("index.html"),
            pages::index(input, &directory),
        ),
        (
            ArtifactPath::new("dependencies.html"),
            pages::dependencies(input, &directory),
        ),
    ];
    let plans: BTreeMap<&str, &crate::plan::Plan> = input
        .checked
        .plans
        .iter()
        .map(|p| (p.path.as_str(), p))
        .collect();
    for entry in &input.catalogue.plans {
        if let Some(plan) = plans.get(entry.plan.path.as_str()) {
            let path = plan_page(&plan.path);
            let html = pages::plan(&directory, plan, entry, &path);
            pages.push((path, html));
        }
    }
    for service in &input.catalogue.services {
        let path = service_page(&service.id);
        let html = pages::service(input, &directory, service, &path);
        pages.push((path, html));
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    pages
}

/// The shared stylesheet, next to `index.html`.
pub const STYLESHEET: &str = "site.css";

/// SVG markup produced by our renderer (`crate::render`, `crate::deps`), which escapes every
/// label it draws. The templates insert it without escaping; nothing else is marked so, and no
/// template uses `|safe`.
#[derive(Debug, Clone, PartialEq)]
pub struct RendererSvg(String);

impl RendererSvg {
    fn from_renderer(svg: &str) -> RendererSvg {
        // An XML prolog is not allowed inside HTML; the rest of the document is.
        let svg = svg.trim_start();
        let svg = match svg.strip_prefix("<?xml") {
            Some(rest) => rest
                .find("?>")
                .map_or(svg, |end| rest[end + 2..].trim_start()),
            None => svg,
        };
        RendererSvg(svg.to_string())
    }
}

impl std::fmt::Display for RendererSvg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for RendererSvg {}

/// The page of a plan: `plans/<path with .md replaced by .html>` (a `..` in the path becomes
/// `__`: every page stays inside the site).
pub fn plan_page(plan_path: &str) -> ArtifactPath {
    let stem = plan_path
        .strip_suffix(".md")
        .or_else(|| plan_path.strip_suffix(".markdown"))
        .unwrap_or(plan_path);
    ArtifactPath::new(&format!("plans/{stem}.html"))
}

/// The page of a service: `services/<namespace>-<name>.html`.
pub fn service_page(service_id: &str) -> ArtifactPath {
    let name = format!("{}.html", service_id.replace('#', "-"));
    ArtifactPath::from_components(["services", &name])
}

/// The fragment id of an operation on a page.
fn operation_anchor(operation_id: &str) -> String {
    shape_anchor("op-", operation_id)
}

/// The fragment id of a resource on its service's page.
fn resource_anchor(resource_id: &str) -> String {
    shape_anchor("res-", resource_id)
}

/// A fragment id from a shape id, plain in any URL: `.` becomes `-`, `#` becomes `--` and `$`
/// `---`. Smithy identifiers hold only ASCII letters, digits and `_`, so distinct ids give
/// distinct anchors.
fn shape_anchor(prefix: &str, shape_id: &str) -> String {
    let mut anchor = String::from(prefix);
    for c in shape_id.chars() {
        match c {
            '.' => anchor.push('-'),
            '#' => anchor.push_str("--"),
            '$' => anchor.push_str("---"),
            c if c.is_ascii_alphanumeric() || c == '_' => anchor.push(c),
            _ => anchor.push('-'),
        }
    }
    anchor
}

/// `../` once per folder between `page` and the site's root.
fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// A relative link from a page at `root` to a site path, with an optional fragment.
fn href(root: &str, target: &str, fragment: Option<&str>) -> String {
    let mut link = format!("{root}{}", crate::paths::encode_uri_path(target));
    if let Some(fragment) = fragment {
        link.push('#');
        link.push_str(fragment);
    }
    link
}

/// The name after `#` in a shape id.
fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_and_links() {
        assert_eq!(plan_page("orders/plan.md"), "plans/orders/plan.html");
        assert_eq!(plan_page("top.markdown"), "plans/top.html");
        assert_eq!(
            service_page("com.harbor.orders#OrderService"),
            "services/com.harbor.orders-OrderService.html"
        );
        assert_eq!(root_of("plans/orders/plan.html"), "../../");
        assert_eq!(root_of("index.html"), "");
        assert_eq!(
            href("../", "plans/a b#c/plan.html", Some("op-x")),
            "../plans/a%20b%23c/plan.html#op-x"
        );
        assert_eq!(operation_anchor("a.b#Get"), "op-a-b--Get");
        assert_ne!(operation_anchor("a_b#Get"), operation_anchor("a.b#Get"));
        assert_eq!(resource_anchor("a.b#Order"), "res-a-b--Order");
    }

    #[test]
    fn xml_prolog_is_dropped() {
        let svg = RendererSvg::from_renderer("<?xml version=\"1.0\"?>\n<svg></svg>");
        assert_eq!(svg.to_string(), "<svg></svg>");
        assert_eq!(RendererSvg::from_renderer("<svg/>").to_string(), "<svg/>");
    }
}
