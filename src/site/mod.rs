//! The static review site: an index of plans and operations, a page per plan, per service and
//! for the dependency graph, plus one stylesheet. Pages are askama templates compiled into the
//! binary (`templates/site/`), so every value from a plan is HTML-escaped. Diagrams are not
//! inlined: pages show the SVG files the build writes (`diagrams/` through `<img>`; `services/`
//! and `dependencies.svg`, whose nodes link to pages, through `<object>`), so no SVG is stored
//! twice and no markup is inserted unescaped.
//!
//! Links are relative (each page knows how far it is from the site's root), so the site works
//! from `file://` and from any sub-path. Output is deterministic: everything is taken from sorted
//! inputs and no page holds a time.
//!
//! Architecture Invariant: a plan cannot put markup or script into a page. Every value passes
//! askama's escaping; the one fragment inserted as markup, a plan's prose, passes ammonia's
//! whitelist after it is made (`prose`).

mod highlight;
mod pages;
mod prose;

use crate::catalogue::Catalogue;
use crate::check::Checked;
use crate::mermaid::link::SafeUrl;
use crate::output::ArtifactPath;
use std::collections::{BTreeMap, BTreeSet};

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
}

/// Everything the site shows.
pub struct SiteInput<'a> {
    pub checked: &'a Checked,
    pub catalogue: &'a Catalogue,
    /// The services that have a map file ([`service_map_file`]).
    pub service_maps: &'a BTreeSet<String>,
    /// Whether `dependencies.svg` is written.
    pub dependency_graph: bool,
    pub options: &'a SiteOptions,
    /// `build --base`: what changed since the base, shown on `changes.html`.
    pub changes: Option<&'a crate::diff::Report>,
}

/// What a run's config says about the site.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Where each plan's source file is shown (the config's `repository-url`).
    pub repository: Option<Repository>,
    /// Whether the drawings (diagrams, service maps, the dependency graph) carry their
    /// `data-*` hooks (`build --svg-hooks`); a drawing with change marks always does.
    pub hooks: crate::render::Hooks,
}

impl SiteOptions {
    /// The options a config gives a run whose identities are relative to `root`.
    pub fn from_config(
        config: Option<&crate::tuning::config::Config>,
        root: &std::path::Path,
    ) -> SiteOptions {
        SiteOptions {
            repository: config.and_then(|c| {
                Some(Repository {
                    url: c.repository_url.clone()?,
                    folder: c.dir.clone(),
                    root: root.to_path_buf(),
                })
            }),
            hooks: crate::render::Hooks::default(),
        }
    }
}

/// A repository browser's URL for the folder of the config file, and where identities start.
#[derive(Debug, Clone)]
pub struct Repository {
    /// An http(s) URL without a trailing `/`, standing for `folder`.
    pub url: String,
    /// The config file's folder (absolute).
    pub folder: std::path::PathBuf,
    /// The folder identities are relative to (absolute).
    pub root: std::path::PathBuf,
}

impl Repository {
    /// The URL of the file with this identity, `None` when it is not under the config's folder.
    pub fn file_url(&self, identity: &str) -> Option<String> {
        self.url_of(&self.root.join(identity))
    }

    /// The URL of the file a relative link in the plan `from` (an identity) names, which may
    /// lie outside the plans' folder.
    pub fn link_url(&self, from: &str, link: &str) -> Option<String> {
        let folder = self.root.join(from);
        self.url_of(&folder.parent()?.join(link))
    }

    fn url_of(&self, file: &std::path::Path) -> Option<String> {
        let file = crate::paths::normalise(file);
        let relative = file.strip_prefix(&self.folder).ok()?;
        let relative = crate::paths::slash_path(relative);
        (!relative.is_empty())
            .then(|| format!("{}/{}", self.url, crate::paths::encode_uri_path(&relative)))
    }
}

/// One page of the site, to be made on its own (the build makes pages in parallel and writes
/// each as soon as it is made).
pub enum Page<'a> {
    Style,
    Script,
    Index,
    Services,
    Diagrams,
    Dependencies,
    Changes(&'a crate::diff::Report),
    SearchIndex,
    Plan(&'a crate::plan::Plan, &'a crate::catalogue::PlanEntry),
    Service(&'a crate::catalogue::ServiceEntry),
}

/// The site of one run: what every page looks up, indexed once.
pub struct Site<'a> {
    input: &'a SiteInput<'a>,
    directory: pages::Directory<'a>,
}

impl<'a> Site<'a> {
    pub fn new(input: &'a SiteInput<'a>) -> Site<'a> {
        Site {
            input,
            directory: pages::Directory::new(input),
        }
    }

    /// Every page with its path, sorted by path.
    pub fn pages(&self) -> Vec<(ArtifactPath, Page<'a>)> {
        let input = self.input;
        let mut pages = vec![
            (ArtifactPath::new(STYLESHEET), Page::Style),
            (ArtifactPath::new("index.html"), Page::Index),
            (ArtifactPath::new("dependencies.html"), Page::Dependencies),
            (ArtifactPath::new("services.html"), Page::Services),
            (ArtifactPath::new("diagrams.html"), Page::Diagrams),
            (ArtifactPath::new(SEARCH_INDEX), Page::SearchIndex),
            (ArtifactPath::new(SCRIPT), Page::Script),
        ];
        if let Some(report) = input.changes {
            pages.push((ArtifactPath::new(CHANGES_PAGE), Page::Changes(report)));
        }
        let plans: BTreeMap<&str, &crate::plan::Plan> = input
            .checked
            .plans
            .iter()
            .map(|p| (p.path.as_str(), p))
            .collect();
        for entry in &input.catalogue.plans {
            if let Some(plan) = plans.get(entry.plan.path.as_str()) {
                pages.push((plan_page(&plan.path), Page::Plan(plan, entry)));
            }
        }
        for service in &input.catalogue.services {
            pages.push((service_page(&service.id), Page::Service(service)));
        }
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        pages
    }

    /// The diagnostics a plan's page shows.
    pub fn diagnostics_of(&self, plan: &str) -> &[&'a crate::diagnostic::Diagnostic] {
        self.directory.diagnostics_of(plan)
    }

    /// The links of the dependency graph's nodes (by plan path), relative to its file.
    pub fn dependency_graph_links(&self) -> BTreeMap<String, SafeUrl> {
        safe_links(pages::dependency_graph_links(&self.directory))
    }

    /// Whether the site's drawings carry their hooks.
    pub fn hooks(&self) -> crate::render::Hooks {
        self.input.options.hooks
    }

    /// The links of the nodes (by shape id) of a service's map, relative to the map's file;
    /// none for a service without a page.
    pub fn service_map_links(&self, service_id: &str) -> BTreeMap<String, SafeUrl> {
        match self.directory.service_entry(service_id) {
            Some(service) => safe_links(pages::service_map_links(
                self.input,
                &self.directory,
                service,
            )),
            None => BTreeMap::new(),
        }
    }

    /// The HTML of one page at `path`; a plan's page shows `diagrams`, the plan's rendered
    /// diagrams in block order (ignored for other pages).
    pub fn render(
        &self,
        page: &Page<'_>,
        path: &ArtifactPath,
        diagrams: &[DiagramArtifact],
    ) -> String {
        match page {
            Page::Style => pages::STYLE.to_string(),
            Page::Script => pages::SCRIPT_TEXT.to_string(),
            Page::Index => pages::index(self.input, &self.directory),
            Page::Dependencies => pages::dependencies(self.input, &self.directory),
            Page::Services => pages::services(self.input, &self.directory),
            Page::Diagrams => pages::gallery(self.input, &self.directory),
            Page::SearchIndex => pages::search_index(self.input, &self.directory),
            Page::Changes(report) => pages::changes(self.input, &self.directory, report),
            Page::Plan(plan, entry) => {
                pages::plan(self.input, &self.directory, plan, entry, path, diagrams)
            }
            Page::Service(service) => pages::service(self.input, &self.directory, service, path),
        }
    }
}

/// Links made from site paths (percent-encoded, relative) as drawings take them.
fn safe_links(links: BTreeMap<String, String>) -> BTreeMap<String, SafeUrl> {
    links
        .into_iter()
        .filter_map(|(id, link)| Some((id, SafeUrl::check(&link)?)))
        .collect()
}

/// Every page of the site: (path relative to the site's folder with `/` separators, contents),
/// with the given diagrams (sorted by plan, then block). Same input, same bytes.
pub fn site_pages(
    input: &SiteInput<'_>,
    diagrams: &[DiagramArtifact],
) -> Vec<(ArtifactPath, String)> {
    let site = Site::new(input);
    site.pages()
        .into_iter()
        .map(|(path, page)| {
            let own: Vec<DiagramArtifact> = match &page {
                Page::Plan(plan, _) => diagrams
                    .iter()
                    .filter(|d| d.plan == plan.path)
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            };
            let html = site.render(&page, &path, &own);
            (path, html)
        })
        .collect()
}

/// The SVG file of a service's map: `services/<namespace>-<name>.svg`.
pub fn service_map_file(service_id: &str) -> ArtifactPath {
    let name = format!("{}.svg", service_id.replace('#', "-"));
    ArtifactPath::from_components(["services", &name])
}

/// The SVG file of the plan dependency graph.
pub const DEPENDENCY_GRAPH_FILE: &str = "dependencies.svg";

/// The search index every page loads: a script that sets `window.plansmithSearch`, so that it
/// loads from `file://` too (where a page cannot fetch JSON).
pub const SEARCH_INDEX: &str = "search-index.js";
/// The search box's script, shared by every page (one file, not a copy per page).
pub const SCRIPT: &str = "site.js";
/// `build --base`'s page of what changed since the base.
pub const CHANGES_PAGE: &str = "changes.html";

/// The shared stylesheet, next to `index.html`.
pub const STYLESHEET: &str = "site.css";

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

/// The fragment id of an operation on a page whose own namespace is `page_namespace` (see
/// [`page_anchor`]).
fn operation_anchor(page_namespace: Option<&str>, operation_id: &str) -> String {
    page_anchor("o-", page_namespace, operation_id)
}

/// The fragment id of a resource on its service's page.
fn resource_anchor(page_namespace: Option<&str>, resource_id: &str) -> String {
    page_anchor("r-", page_namespace, resource_id)
}

/// The fragment id of a shape on a page. A service's page is about one namespace, its
/// service's (`page_namespace`): a shape of it is `prefix` and its name (`o-GetOrder`); any
/// other shape, and every shape on a page of no namespace (`None`, a plan's page), is `prefix`
/// and the whole id as [`shape_anchor`] writes it (`o-com-example-orders--GetOrder`). A name
/// holds no `-` and a whole id always holds `--`, so the two forms never meet; ids are unique,
/// so neither form repeats on a page.
fn page_anchor(prefix: &str, page_namespace: Option<&str>, shape_id: &str) -> String {
    match shape_id.rsplit_once('#') {
        Some((namespace, name)) if Some(namespace) == page_namespace => format!("{prefix}{name}"),
        _ => shape_anchor(prefix, shape_id),
    }
}

/// A fragment id from a shape id, plain in any URL: `.` becomes `-`, `#` becomes `--` and `$`
/// `---`. Smithy identifiers hold only ASCII letters, digits and `_`, so distinct ids give
/// distinct anchors.
fn shape_anchor(prefix: &str, shape_id: &str) -> String {
    // Room for the longest: each `$` of a member id written as three characters.
    let mut anchor = String::with_capacity(prefix.len() + shape_id.len() + 4);
    anchor.push_str(prefix);
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

/// The namespace of a shape id (before `#`).
fn namespace_of(id: &str) -> &str {
    id.split_once('#').map_or(id, |(namespace, _)| namespace)
}

/// A shape id as a page of `page_namespace` shows it: by its name when it is of that namespace
/// (the page says which namespace it is about), else whole.
fn shown_id<'i>(page_namespace: Option<&str>, shape_id: &'i str) -> &'i str {
    match shape_id.rsplit_once('#') {
        Some((namespace, name)) if Some(namespace) == page_namespace => name,
        _ => shape_id,
    }
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
        assert_eq!(operation_anchor(None, "a.b#Get"), "o-a-b--Get");
        assert_ne!(
            operation_anchor(None, "a_b#Get"),
            operation_anchor(None, "a.b#Get")
        );
        assert_eq!(resource_anchor(Some("x"), "a.b#Order"), "r-a-b--Order");
        // On a page of a namespace, its shapes go by their names; the others keep theirs whole,
        // a form a name (no `-`) never takes.
        assert_eq!(operation_anchor(Some("a.b"), "a.b#Get"), "o-Get");
        assert_eq!(page_anchor("s-", Some("a.b"), "a.b#a"), "s-a");
        assert_eq!(page_anchor("s-", Some("a.b"), "a#b"), "s-a--b");
        assert_eq!(page_anchor("s-", Some("a"), "a.b#a"), "s-a-b--a");
        assert_eq!(shown_id(Some("a.b"), "a.b#Get"), "Get");
        assert_eq!(
            shown_id(Some("a.b"), "smithy.api#String"),
            "smithy.api#String"
        );
        assert_eq!(shown_id(None, "a.b#Get"), "a.b#Get");
    }
}
