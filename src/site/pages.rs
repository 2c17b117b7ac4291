//! The pages: view models built from the checked plans and the catalogue, rendered with the
//! askama templates under `templates/site/`. Views hold plain text (escaped by askama on output),
//! and hrefs built here from site paths (diagrams are shown from their SVG files).

use super::highlight::{self, escape};
use super::prose::{self, BlockMarkup, ProseHost, ID_PREFIX};
use super::Repository;
use super::{
    href, namespace_of, operation_anchor, page_anchor, plan_page, resource_anchor, root_of,
    service_map_file, service_page, shape_name, shown_id, DiagramArtifact, SiteInput, CHANGES_PAGE,
    DEPENDENCY_GRAPH_FILE, SCRIPT, SEARCH_INDEX, STYLESHEET,
};
use crate::catalogue::{
    Counts, ErrorEntry, MemberEntry, OperationEntry, PlanEntry, ServiceEntry, ShapeEntry,
};
use crate::deps::{status_colour, waves};
use crate::diagnostic::Diagnostic;
use crate::plan::metadata::Status as PlanStatus;
use crate::plan::{Block, BlockKind, DependencyKind, Plan};
use askama::Template;
use serde_json::Value;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

pub(super) const STYLE: &str = include_str!("../../templates/site/site.css");
pub(super) const SCRIPT_TEXT: &str = include_str!("../../templates/site/search.js");

/// A rendered page. Writing into a `String` cannot fail: every value displayed is a `String`,
/// or a number, whose `Display` never errors.
fn render(template: &impl Template) -> String {
    let mut html = template
        .render()
        .expect("rendering into a String with infallible Display values cannot fail");
    if !html.ends_with('\n') {
        html.push('\n');
    }
    html
}

/// What every page's frame needs.
struct Frame {
    title: String,
    /// `../` back to the site's root.
    root: String,
    stylesheet: String,
    search_index: String,
    script: String,
    /// The navigation item of this page: `plans`, `operations`, `dependencies` or none.
    current: &'static str,
    /// Whether the site has a Changes page (`build --base`).
    changes: bool,
}

impl Frame {
    fn new(input: &SiteInput<'_>, page: &str, title: String, current: &'static str) -> Frame {
        let root = root_of(page);
        Frame {
            stylesheet: href(&root, STYLESHEET, None),
            search_index: href(&root, SEARCH_INDEX, None),
            script: href(&root, SCRIPT, None),
            title,
            root,
            current,
            changes: input.changes.is_some(),
        }
    }

    fn link(&self, target: &str) -> String {
        href(&self.root, target, None)
    }
}

struct Link {
    href: String,
    text: String,
}

struct Status {
    text: String,
    colour: &'static str,
    /// The place in the lifecycle (Draft first, no or an unknown status last), for sorting.
    rank: usize,
}

fn status(value: Option<PlanStatus>) -> Status {
    Status {
        text: value.map_or("No status", PlanStatus::label).to_string(),
        colour: status_colour(value),
        rank: value.map_or(PlanStatus::ALL.len(), |s| s as usize),
    }
}

struct Progress {
    done: usize,
    total: usize,
    percent: usize,
}

fn progress(p: crate::plan::Progress) -> Progress {
    Progress {
        done: p.done,
        total: p.total,
        percent: (p.done * 100).checked_div(p.total).unwrap_or(0).min(100),
    }
}

/// What the pages look up, indexed once for the whole site: where things live (for links),
/// shape documentation, and each plan's diagnostics.
pub(super) struct Directory<'a> {
    /// Plan path -> plan name, for every plan that has a page.
    plans: BTreeMap<&'a str, &'a str>,
    /// Service id -> its catalogue entry.
    services: BTreeMap<&'a str, &'a ServiceEntry>,
    operations: BTreeMap<&'a str, &'a OperationEntry>,
    /// Resource id -> the first service (by id) that holds it, whose page lists it.
    resource_services: BTreeMap<&'a str, &'a str>,
    /// Shape id -> documentation, for services, resources and operations.
    documentation: BTreeMap<&'a str, &'a str>,
    diagnostics: BTreeMap<&'a str, Vec<&'a Diagnostic>>,
    /// Shape id -> the service whose page defines it: of the services whose operations reach
    /// the shape, the first (by id) in the shape's namespace, else the first. Every other
    /// service's page links there, so a shared shape is defined once in the site.
    shape_homes: BTreeMap<String, &'a str>,
}

impl<'a> Directory<'a> {
    pub(super) fn service_entry(&self, id: &str) -> Option<&'a ServiceEntry> {
        self.services.get(id).copied()
    }

    pub(super) fn diagnostics_of(&self, plan: &str) -> &[&'a Diagnostic] {
        self.diagnostics.get(plan).map_or(&[], Vec::as_slice)
    }

    pub(super) fn new(input: &SiteInput<'a>) -> Directory<'a> {
        let catalogue = input.catalogue;
        let documentation = catalogue
            .services
            .iter()
            .map(|s| (s.id.as_str(), s.documentation.as_deref()))
            .chain(
                catalogue
                    .resources
                    .iter()
                    .map(|r| (r.id.as_str(), r.documentation.as_deref())),
            )
            .chain(
                catalogue
                    .operations
                    .iter()
                    .map(|o| (o.id.as_str(), o.documentation.as_deref())),
            )
            .filter_map(|(id, doc)| Some((id, doc?)))
            .collect();
        let mut resource_services = BTreeMap::new();
        for service in &catalogue.services {
            for resource in &service.resources {
                resource_services
                    .entry(resource.as_str())
                    .or_insert(service.id.as_str());
            }
        }
        let mut diagnostics: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &input.checked.diagnostics {
            diagnostics.entry(d.path.as_str()).or_default().push(d);
        }
        let mut directory = Directory {
            plans: catalogue
                .plans
                .iter()
                .map(|p| (p.plan.path.as_str(), p.plan.name.as_str()))
                .collect(),
            services: catalogue
                .services
                .iter()
                .map(|s| (s.id.as_str(), s))
                .collect(),
            operations: catalogue
                .operations
                .iter()
                .map(|o| (o.id.as_str(), o))
                .collect(),
            resource_services,
            documentation,
            diagnostics,
            shape_homes: BTreeMap::new(),
        };
        let mut shape_homes: BTreeMap<String, &'a str> = BTreeMap::new();
        for service in &catalogue.services {
            for shape in service_shapes(input, &directory, service) {
                let own = namespace_of(&shape) == namespace_of(&service.id);
                match shape_homes.entry(shape) {
                    Entry::Vacant(home) => {
                        home.insert(service.id.as_str());
                    }
                    Entry::Occupied(mut home) => {
                        if own && namespace_of(home.get()) != namespace_of(home.key()) {
                            home.insert(service.id.as_str());
                        }
                    }
                }
            }
        }
        directory.shape_homes = shape_homes;
        directory
    }

    /// A link to a plan's page by its name, or `None` when the path has no page.
    fn plan(&self, frame: &Frame, path: &str) -> Option<Link> {
        self.plans.get(path).map(|name| Link {
            href: frame.link(&plan_page(path)),
            text: (*name).to_string(),
        })
    }

    /// A plan's name linked when it has a page, else its path as text.
    fn plan_or_text(&self, frame: &Frame, path: &str) -> Link {
        self.plan(frame, path).unwrap_or_else(|| Link {
            href: String::new(),
            text: path.to_string(),
        })
    }

    fn service(&self, frame: &Frame, id: &str) -> Option<Link> {
        self.services.contains_key(id).then(|| Link {
            href: frame.link(&service_page(id)),
            text: shape_name(id).to_string(),
        })
    }

    /// A resource, linked to its place on its service's page when a service holds it.
    fn resource(&self, frame: &Frame, id: &str) -> Link {
        Link {
            href: self
                .resource_services
                .get(id)
                .map(|service| {
                    href(
                        &frame.root,
                        &service_page(service),
                        Some(&resource_anchor(Some(namespace_of(service)), id)),
                    )
                })
                .unwrap_or_default(),
            text: shape_name(id).to_string(),
        }
    }

    /// A shape (or member) of a change, linked to its service's page or to where its
    /// operation is described when it is one of those.
    fn shape(&self, frame: &Frame, id: &str) -> Link {
        let root = id.split('$').next().unwrap_or(id);
        let href = match self.service(frame, root) {
            Some(service) => service.href,
            None if self.operations.contains_key(root) => self.operation(frame, root).href,
            None => String::new(),
        };
        Link {
            href,
            text: id.to_string(),
        }
    }

    /// Where an operation is described: on its first service's page, else on its plan's page.
    fn operation(&self, frame: &Frame, id: &str) -> Link {
        let operation = self.operations.get(id);
        let target = operation
            .and_then(|o| o.services.first())
            .filter(|s| self.services.contains_key(s.as_str()))
            .map(|s| (service_page(s), Some(namespace_of(s))))
            .or_else(|| {
                operation
                    .and_then(|o| o.plan.as_ref())
                    .filter(|p| self.plans.contains_key(p.path.as_str()))
                    .map(|p| (plan_page(&p.path), None))
            });
        Link {
            href: target.map_or_else(String::new, |(page, namespace)| {
                href(&frame.root, &page, Some(&operation_anchor(namespace, id)))
            }),
            text: shape_name(id).to_string(),
        }
    }
}

// ---------------------------------------------------------------- index

struct PlanRow {
    link: Link,
    status: Status,
    owner: String,
    target_date: String,
    progress: Progress,
    counts: Counts,
}

struct OperationRow {
    id: String,
    link: Link,
    service: Option<Link>,
    plan: Option<Link>,
    method: String,
    uri: String,
    readonly: bool,
    idempotent: bool,
    paginated: bool,
}

struct ExternalRow {
    name: String,
    used_by: Vec<Link>,
}

#[derive(Template)]
#[template(path = "site/index.html", whitespace = "minimize")]
struct IndexPage {
    frame: Frame,
    plans: Vec<PlanRow>,
    operations: Vec<OperationRow>,
    externals: Vec<ExternalRow>,
    cycles: Vec<Vec<Link>>,
    counts: Counts,
    service_count: usize,
}

pub(super) fn index(input: &SiteInput<'_>, directory: &Directory<'_>) -> String {
    let frame = Frame::new(input, "index.html", "Plans".to_string(), "plans");
    let catalogue = input.catalogue;
    let plans = catalogue
        .plans
        .iter()
        .map(|entry| PlanRow {
            link: directory.plan_or_text(&frame, &entry.plan.path),
            status: status(entry.plan.status),
            owner: entry.plan.owner.clone().unwrap_or_default(),
            target_date: entry.plan.target_date.clone().unwrap_or_default(),
            progress: progress(entry.acceptance),
            counts: entry.diagnostics,
        })
        .collect();
    let operations = catalogue
        .operations
        .iter()
        .map(|op| OperationRow {
            id: op.id.clone(),
            link: directory.operation(&frame, &op.id),
            service: op
                .services
                .first()
                .and_then(|s| directory.service(&frame, s)),
            plan: op
                .plan
                .as_ref()
                .and_then(|p| directory.plan(&frame, &p.path)),
            method: op
                .http
                .as_ref()
                .map(|h| h.method.clone())
                .unwrap_or_default(),
            uri: op.http.as_ref().map(|h| h.uri.clone()).unwrap_or_default(),
            readonly: op.readonly,
            idempotent: op.idempotent,
            paginated: op.paginated.is_some(),
        })
        .collect();
    let externals = catalogue
        .external_dependencies
        .iter()
        .map(|e| ExternalRow {
            name: e.name.clone(),
            used_by: e
                .used_by
                .iter()
                .map(|p| directory.plan_or_text(&frame, p))
                .collect(),
        })
        .collect();
    let cycles = cycle_links(directory, &frame, &catalogue.cycles);
    render(&IndexPage {
        frame,
        plans,
        operations,
        externals,
        cycles,
        counts: catalogue.diagnostics,
        service_count: catalogue.services.len(),
    })
}

fn cycle_links(directory: &Directory<'_>, frame: &Frame, cycles: &[Vec<String>]) -> Vec<Vec<Link>> {
    cycles
        .iter()
        .map(|cycle| {
            cycle
                .iter()
                .map(|p| directory.plan_or_text(frame, p))
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------- plan page

struct DiagnosticView {
    code: String,
    severity: &'static str,
    line: u32,
    column: u32,
    message: String,
    help: String,
}

/// A diagram in the prose: its SVG file, or why there is none.
struct DiagramView {
    family: String,
    line: u32,
    block: usize,
    /// The SVG file's href; empty for a mermaid block that could not be rendered.
    file: String,
    /// For an unrendered diagram, the first diagnostic inside the block: (its row on the page,
    /// code, line, message).
    reason: Option<(usize, String, u32, String)>,
}

impl DiagramView {
    /// The figure that takes the place of the block's fence. Its canvas is also the full-size
    /// view (CSS shows it over the page while it is the target), so the page names the
    /// picture once. Ids are written bare and hrefs to them with the prose's prefix (the
    /// sanitiser adds it to ids).
    fn markup(&self, code: &str) -> BlockMarkup {
        let block = self.block;
        let family = escape(&self.family);
        let caption = format!("{family} diagram · block {block}, line {}", self.line);
        if self.file.is_empty() {
            let reason = match &self.reason {
                Some((row, code, line, message)) => format!(
                    "Not rendered: <a href=\"#diag-{row}\">{} at line {line}</a>: {}",
                    escape(code),
                    escape(message)
                ),
                None => format!("Not rendered (block starting at line {})", self.line),
            };
            return BlockMarkup::Sanitised(format!(
                "<figure class=\"diagram\" id=\"block-{block}\"><div class=\"canvas unrendered\">{reason}</div><figcaption>{caption}</figcaption></figure><pre><code>{}</code></pre>",
                escape(code)
            ));
        }
        let file = escape(&self.file);
        let alt = format!("{family} diagram, block {block}");
        let markup = format!(
            "<figure class=\"diagram\" id=\"block-{block}\"><div class=\"canvas zoom\" id=\"zoom-{block}\"><a class=\"zoom-open\" href=\"#{ID_PREFIX}zoom-{block}\" title=\"Show at full size\"><img src=\"{file}\" alt=\"{alt}\" loading=\"lazy\"></a><a class=\"zoom-close\" href=\"#{ID_PREFIX}block-{block}\" title=\"Close\">Close ✕</a></div><figcaption>{caption} · <a href=\"{file}\">SVG file</a></figcaption></figure>"
        );
        // What the sanitiser makes of it (ids prefixed, `rel` on links), written here when the
        // file and family need no escaping and the file passes the image filter.
        let plain_file = self.file.ends_with(".svg")
            && !self.file.starts_with("//")
            && self
                .file
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/._~%-".contains(&b));
        let plain_family = self
            .family
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !(plain_file && plain_family) {
            return BlockMarkup::Sanitised(markup);
        }
        let sanitised = format!(
            "<figure class=\"diagram\" id=\"{ID_PREFIX}block-{block}\"><div class=\"canvas zoom\" id=\"{ID_PREFIX}zoom-{block}\"><a class=\"zoom-open\" href=\"#{ID_PREFIX}zoom-{block}\" title=\"Show at full size\" rel=\"noopener noreferrer\"><img src=\"{file}\" alt=\"{alt}\" loading=\"lazy\"></a><a class=\"zoom-close\" href=\"#{ID_PREFIX}block-{block}\" title=\"Close\" rel=\"noopener noreferrer\">Close ✕</a></div><figcaption>{caption} · <a href=\"{file}\" rel=\"noopener noreferrer\">SVG file</a></figcaption></figure>"
        );
        BlockMarkup::Known { markup, sanitised }
    }
}

struct InterfaceView {
    link: Link,
    id: String,
    /// The fragment id operations get, for links from pages that have no service for them.
    anchor: String,
    documentation: String,
}

struct InterfaceGroup {
    title: &'static str,
    items: Vec<InterfaceView>,
}

struct DependencyView {
    text: String,
    plan: Option<Link>,
    kind: &'static str,
}

#[derive(Template)]
#[template(path = "site/plan.html", whitespace = "minimize")]
struct PlanPage {
    frame: Frame,
    name: String,
    path: String,
    /// The plan's file in the repository browser, when the config names one.
    source: Option<String>,
    status: Status,
    owner: String,
    target_date: String,
    progress: Progress,
    counts: Counts,
    /// The plan's Markdown, sanitised (see `prose`).
    prose: String,
    /// The sections of the prose, for the table of contents: (href, title).
    sections: Vec<(String, String)>,
    diagnostics: Vec<DiagnosticView>,
    interfaces: Vec<InterfaceGroup>,
    depends_on: Vec<DependencyView>,
    dependents: Vec<Link>,
}

/// What the prose of one plan's page needs: its diagrams by block line, and where links lead.
struct PlanProse<'a> {
    plan: &'a Plan,
    frame: &'a Frame,
    directory: &'a Directory<'a>,
    repository: Option<&'a Repository>,
    diagrams: Vec<DiagramView>,
}

impl ProseHost for PlanProse<'_> {
    fn block(&self, line: u32, lang: &str, code: &str) -> Option<BlockMarkup> {
        let block = self.plan.blocks.iter().find(|b| b.line == line)?;
        match block.kind {
            BlockKind::Mermaid => self
                .diagrams
                .iter()
                .find(|d| d.block == block.index)
                .map(|d| d.markup(code)),
            BlockKind::Smithy => Some(BlockMarkup::Clean(format!(
                "<pre class=\"smithy\"><code class=\"language-smithy\">{}</code></pre>",
                highlight::smithy(code)
            ))),
            BlockKind::Other => {
                let _ = lang;
                None
            }
        }
    }

    fn link(&self, destination: &str) -> Option<String> {
        if let Some(scheme_end) = destination.find(':') {
            let scheme = destination[..scheme_end].to_ascii_lowercase();
            let safe = matches!(scheme.as_str(), "http" | "https" | "mailto");
            // Only a scheme before any `/`, `?` or `#`; else the `:` is part of a path.
            if !destination[..scheme_end].contains(['/', '?', '#']) {
                return safe.then(|| destination.to_string());
            }
        }
        if destination.starts_with("//") {
            return None;
        }
        let (file, fragment) = destination
            .split_once('#')
            .map_or((destination, None), |(f, g)| (f, Some(g)));
        let file = crate::paths::decode_uri_path(file.split('?').next().unwrap_or(""));
        let identity = match file.strip_prefix('/') {
            Some(from_root) => {
                crate::deps::resolve_root_link(self.plan.link_root.as_ref(), from_root)
            }
            None => crate::deps::resolve_link(&self.plan.path, &file),
        };
        if let Some(page) = identity.and_then(|i| self.directory.plan(self.frame, &i)) {
            return Some(page.href);
        }
        let repository = self.repository?;
        let url = match file.strip_prefix('/') {
            Some(from_root) => {
                let identity =
                    crate::deps::resolve_root_link(self.plan.link_root.as_ref(), from_root)?;
                repository.file_url(&identity)?
            }
            None => repository.link_url(&self.plan.path, &file)?,
        };
        Some(match fragment {
            Some(fragment) => format!("{url}#{}", crate::paths::encode_uri_path(fragment)),
            None => url,
        })
    }

    fn image(&self, destination: &str) -> Option<String> {
        (destination.starts_with("https://") || destination.starts_with("http://"))
            .then(|| destination.to_string())
    }
}

/// The last line of a block (its closing fence, or the end of the text).
fn block_end_line(block: &Block) -> u32 {
    block.line + block.source.text.matches('\n').count() as u32
}

pub(super) fn plan(
    input: &SiteInput<'_>,
    directory: &Directory<'_>,
    plan: &Plan,
    entry: &PlanEntry,
    page: &str,
    rendered: &[DiagramArtifact],
) -> String {
    let frame = Frame::new(input, page, plan.name.clone(), "plans");
    let documentation_of = |id: &str| -> String {
        directory
            .documentation
            .get(id)
            .copied()
            .unwrap_or_default()
            .to_string()
    };
    let interface = |id: &String, link: Link| InterfaceView {
        link,
        id: id.clone(),
        anchor: String::new(),
        documentation: documentation_of(id),
    };
    let services: Vec<InterfaceView> = entry
        .services
        .iter()
        .map(|id| {
            let link = directory.service(&frame, id).unwrap_or_else(|| Link {
                href: String::new(),
                text: shape_name(id).to_string(),
            });
            interface(id, link)
        })
        .collect();
    let resources: Vec<InterfaceView> = entry
        .resources
        .iter()
        .map(|id| interface(id, directory.resource(&frame, id)))
        .collect();
    let operations: Vec<InterfaceView> = entry
        .operations
        .iter()
        .map(|id| InterfaceView {
            anchor: operation_anchor(None, id),
            ..interface(id, directory.operation(&frame, id))
        })
        .collect();
    let interfaces = [
        ("Services", services),
        ("Resources", resources),
        ("Operations", operations),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(title, items)| InterfaceGroup { title, items })
    .collect();
    let depends_on = plan
        .dependencies
        .iter()
        .map(|dep| DependencyView {
            text: dep.text.clone(),
            plan: dep
                .target
                .as_deref()
                .and_then(|t| directory.plan(&frame, t)),
            kind: match dep.kind {
                DependencyKind::Plan => "plan",
                DependencyKind::External => "external",
                DependencyKind::Implied => "implied",
            },
        })
        .collect();
    let plan_diagnostics = directory.diagnostics_of(&plan.path);
    let diagnostics = plan_diagnostics
        .iter()
        .map(|d| DiagnosticView {
            code: d.code.to_string(),
            severity: d.severity.as_str(),
            line: d.span.line,
            column: d.span.column,
            message: d.message.clone(),
            help: d.help.clone().unwrap_or_default(),
        })
        .collect();
    let diagrams = plan
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Mermaid)
        .map(|b| {
            let drawn = rendered.iter().find(|d| d.block == b.index);
            let reason = match drawn {
                Some(_) => None,
                None => {
                    let lines = b.line.saturating_sub(1)..=block_end_line(b);
                    plan_diagnostics
                        .iter()
                        .enumerate()
                        .find(|(_, d)| lines.contains(&d.span.line))
                        .map(|(row, d)| (row, d.code.clone(), d.span.line, d.message.clone()))
                }
            };
            DiagramView {
                family: b.diagram().map_or("mermaid", |d| d.name()).to_string(),
                line: b.line,
                block: b.index,
                file: drawn.map_or_else(String::new, |d| href(&frame.root, &d.file, None)),
                reason: reason
                    .map(|(row, code, line, message)| (row, code.to_string(), line, message)),
            }
        })
        .collect();
    let repository = input.options.repository.as_ref();
    let host = PlanProse {
        plan,
        frame: &frame,
        directory,
        repository,
        diagrams,
    };
    let prose = prose::render(&plan.source.text, &host);
    let sections = prose
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| (format!("#{}", h.id), h.title.clone()))
        .collect();
    let dependents = entry
        .dependents
        .iter()
        .map(|p| directory.plan_or_text(&frame, p))
        .collect();
    render(&PlanPage {
        name: plan.name.clone(),
        path: plan.path.clone(),
        source: repository.and_then(|r| r.file_url(&plan.path)),
        status: status(plan.status),
        owner: plan.owner.clone().unwrap_or_default(),
        target_date: plan.target_date.clone().unwrap_or_default(),
        progress: progress(plan.acceptance),
        counts: entry.diagnostics,
        prose: prose.html,
        sections,
        diagnostics,
        interfaces,
        depends_on,
        dependents,
        frame,
    })
}

// ---------------------------------------------------------------- service page

struct MemberView {
    name: String,
    target: String,
    /// The target's definition (`#s-...` on the page, or on another service's page), when it is
    /// one.
    target_href: String,
    /// An enum member's value.
    value: String,
    required: bool,
    default: String,
    constraints: String,
    http: String,
    documentation: String,
}

/// A table of members without the columns no member fills (most members have no default,
/// HTTP binding or documentation, and service pages are made of these tables).
struct MemberTable {
    rows: Vec<MemberView>,
    default: bool,
    constraints: bool,
    http: bool,
    documentation: bool,
}

impl MemberTable {
    fn new(rows: Vec<MemberView>) -> MemberTable {
        let any = |column: fn(&MemberView) -> &String| rows.iter().any(|m| !column(m).is_empty());
        MemberTable {
            default: any(|m| &m.default),
            constraints: any(|m| &m.constraints),
            http: any(|m| &m.http),
            documentation: any(|m| &m.documentation),
            rows,
        }
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

struct ShapeView {
    /// `Input` or `Output`.
    title: &'static str,
    shape: String,
    members: MemberTable,
}

struct ErrorView {
    shape: String,
    /// The error's definition on the page.
    href: String,
    fault: String,
    http_code: String,
}

struct OperationView {
    anchor: String,
    name: String,
    id: String,
    method: String,
    uri: String,
    code: String,
    documentation: String,
    readonly: bool,
    idempotent: bool,
    paginated: bool,
    /// Input, then output, when the operation has them.
    shapes: Vec<ShapeView>,
    errors: Vec<ErrorView>,
}

#[derive(Template)]
#[template(path = "site/service.html", whitespace = "minimize")]
struct ServicePage {
    frame: Frame,
    name: String,
    id: String,
    /// The service's namespace: the page shows the shapes of it by their names.
    namespace: String,
    plan: Option<Link>,
    version: String,
    documentation: String,
    /// The href of the service map's SVG file.
    map: Option<String>,
    /// (shape id as shown, fragment id).
    resources: Vec<(String, String)>,
    errors: Vec<String>,
    operations: Vec<OperationView>,
    /// Every shape the operations use (besides their input and output), defined once.
    definitions: Vec<DefinitionView>,
}

/// A shape the service's operations use, as an API portal shows it.
struct DefinitionView {
    anchor: String,
    name: String,
    id: String,
    kind: &'static str,
    documentation: String,
    /// `length`, `range` and `pattern` of the shape itself.
    constraints: String,
    members: MemberTable,
    /// Whether the members are enum values (shown with their values, without targets).
    is_enum: bool,
}

fn operations_of<'a>(directory: &Directory<'a>, service: &ServiceEntry) -> Vec<&'a OperationEntry> {
    service
        .operations
        .iter()
        .filter_map(|id| directory.operations.get(id.as_str()).copied())
        .collect()
}

/// The shapes a service's page defines: those its operations' members and errors use.
fn service_shapes(
    input: &SiteInput<'_>,
    directory: &Directory<'_>,
    service: &ServiceEntry,
) -> BTreeSet<String> {
    let operations = operations_of(directory, service);
    let mut roots: Vec<&str> = service.errors.iter().map(String::as_str).collect();
    for op in &operations {
        for shape in op.input.iter().chain(&op.output) {
            roots.extend(shape.members.iter().map(|m| m.target.as_str()));
        }
        roots.extend(op.errors.iter().map(|e| e.shape.as_str()));
    }
    reachable_shapes(&input.checked.model, roots)
}

/// Where each node of a service's map leads, as hrefs relative to the map's file: operations,
/// resources and defined shapes to their place on the service's page, an operation's input and
/// output to the operation. The service's own box has no link (it is the page itself).
pub(super) fn service_map_links(
    input: &SiteInput<'_>,
    directory: &Directory<'_>,
    service: &ServiceEntry,
) -> BTreeMap<String, String> {
    // The map sits in the folder of the service's page: its links name the page's file only.
    debug_assert_eq!(
        root_of(&service_map_file(&service.id)),
        root_of(&service_page(&service.id))
    );
    let page = service_page(&service.id);
    let file = page.as_str().rsplit('/').next().unwrap_or(page.as_str());
    let at = |anchor: String| href("", file, Some(&anchor));
    let defined = Definitions {
        service: &service.id,
        directory,
    };
    let namespace = defined.namespace();
    let mut links: BTreeMap<String, String> = service_shapes(input, directory, service)
        .into_iter()
        .map(|id| {
            let link = match defined.href(&id) {
                own if own.starts_with('#') => at(definition_anchor(namespace, &id)),
                elsewhere => elsewhere,
            };
            (id, link)
        })
        .collect();
    for resource in &service.resources {
        links.insert(resource.clone(), at(resource_anchor(namespace, resource)));
    }
    for op in operations_of(directory, service) {
        let link = at(operation_anchor(namespace, &op.id));
        for shape in op.input.iter().chain(&op.output) {
            links
                .entry(shape.shape.clone())
                .or_insert_with(|| link.clone());
        }
        links.insert(op.id.clone(), link);
    }
    links
}

/// Where each plan of the dependency graph leads (by path), as hrefs relative to the graph's
/// file: every plan with a page, to its page.
pub(super) fn dependency_graph_links(directory: &Directory<'_>) -> BTreeMap<String, String> {
    let root = root_of(DEPENDENCY_GRAPH_FILE);
    directory
        .plans
        .keys()
        .map(|path| (path.to_string(), href(&root, &plan_page(path), None)))
        .collect()
}

/// The fragment id of a shape's definition on the page of a service of `page_namespace`.
fn definition_anchor(page_namespace: Option<&str>, id: &str) -> String {
    page_anchor("s-", page_namespace, id)
}

/// Where the shapes a service's page shows are defined: on the page itself (`#anchor`) or on
/// the page of the service that defines them (`Other.html#anchor`: service pages share one
/// folder).
struct Definitions<'d, 'a> {
    service: &'d str,
    directory: &'d Directory<'a>,
}

impl<'d> Definitions<'d, '_> {
    /// The namespace of the page's service: its shapes go by their names on the page.
    fn namespace(&self) -> Option<&'d str> {
        Some(namespace_of(self.service))
    }

    /// A shape id as the page shows it.
    fn shown(&self, id: &str) -> String {
        shown_id(self.namespace(), id).to_string()
    }

    /// Whether this service's page holds the shape's definition.
    fn here(&self, shape: &str) -> bool {
        self.directory.shape_homes.get(shape).copied() == Some(self.service)
    }

    /// The link to a shape's definition, relative to a page (or map) in `services/`; empty
    /// for a shape no page defines (the prelude's, a service's).
    fn href(&self, shape: &str) -> String {
        let Some(home) = self.directory.shape_homes.get(shape) else {
            return String::new();
        };
        let anchor = definition_anchor(Some(namespace_of(home)), shape);
        if *home == self.service {
            format!("#{anchor}")
        } else {
            let page = service_page(home);
            let file = page.as_str().rsplit('/').next().unwrap_or(page.as_str());
            href("", file, Some(&anchor))
        }
    }
}

/// The shapes reachable from `roots` through members, prelude shapes and services, resources
/// and operations left out; sorted by id.
fn reachable_shapes<'m>(model: &'m crate::smithy::Model, roots: Vec<&'m str>) -> BTreeSet<String> {
    use crate::smithy::ast::ShapeType;
    let mut seen = BTreeSet::new();
    let mut queue = roots;
    while let Some(id) = queue.pop() {
        if id.starts_with("smithy.api#") || seen.contains(id) {
            continue;
        }
        let Some(shape) = model.shapes.get(id) else {
            continue;
        };
        if matches!(
            shape.shape_type,
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation
        ) {
            continue;
        }
        seen.insert(id.to_string());
        queue.extend(
            model
                .members_of(shape)
                .into_iter()
                .map(|m| m.target.as_str()),
        );
    }
    seen
}

fn definition_view(
    model: &crate::smithy::Model,
    id: &str,
    defined: &Definitions<'_, '_>,
) -> Option<DefinitionView> {
    use crate::smithy::ast::ShapeType;
    let shape = model.shapes.get(id)?;
    let api_trait = |name: &str| model.trait_value(shape, &format!("smithy.api#{name}"));
    let is_enum = matches!(shape.shape_type, ShapeType::Enum | ShapeType::IntEnum);
    let members = crate::catalogue::shape_entry(model, id)
        .members
        .iter()
        .zip(model.members_of(shape))
        .map(|(entry, member)| {
            let mut view = member_view(entry, defined);
            if is_enum {
                view.value = member
                    .traits
                    .get("smithy.api#enumValue")
                    .map(|t| value_text(&t.value))
                    .unwrap_or_else(|| entry.name.clone());
            }
            view
        })
        .collect();
    let members = MemberTable::new(members);
    Some(DefinitionView {
        anchor: definition_anchor(defined.namespace(), id),
        name: shape_name(id).to_string(),
        id: id.to_string(),
        kind: shape.shape_type.as_str(),
        documentation: api_trait("documentation")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        constraints: ["length", "range", "pattern"]
            .iter()
            .filter_map(|name| Some(format!("{name}: {}", value_text(api_trait(name)?))))
            .collect::<Vec<_>>()
            .join("; "),
        members,
        is_enum,
    })
}

/// A trait value as the page shows it: strings bare, objects as `key value` pairs (`min 1,
/// max 64` for a length), anything else as compact JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(fields) => fields
            .iter()
            .map(|(key, value)| format!("{key} {}", value_text(value)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn member_view(member: &MemberEntry, defined: &Definitions<'_, '_>) -> MemberView {
    MemberView {
        name: member.name.clone(),
        target: defined.shown(&member.target),
        target_href: defined.href(&member.target),
        value: String::new(),
        required: member.required,
        default: member.default.as_ref().map(value_text).unwrap_or_default(),
        constraints: member
            .constraints
            .iter()
            .map(|(name, value)| format!("{name}: {}", value_text(value)))
            .collect::<Vec<_>>()
            .join("; "),
        http: member.http.clone().unwrap_or_default(),
        documentation: member.documentation.clone().unwrap_or_default(),
    }
}

fn shape_view(title: &'static str, shape: &ShapeEntry, defined: &Definitions<'_, '_>) -> ShapeView {
    ShapeView {
        title,
        shape: defined.shown(&shape.shape),
        members: MemberTable::new(
            shape
                .members
                .iter()
                .map(|m| member_view(m, defined))
                .collect(),
        ),
    }
}

fn error_view(error: &ErrorEntry, defined: &Definitions<'_, '_>) -> ErrorView {
    ErrorView {
        href: defined.href(&error.shape),
        shape: defined.shown(&error.shape),
        fault: error.fault.clone().unwrap_or_default(),
        http_code: error.http_code.map(|c| c.to_string()).unwrap_or_default(),
    }
}

pub(super) fn service(
    input: &SiteInput<'_>,
    directory: &Directory<'_>,
    service: &ServiceEntry,
    page: &str,
) -> String {
    let name = shape_name(&service.id).to_string();
    let frame = Frame::new(input, page, name.clone(), "services");
    let model = &input.checked.model;
    let service_operations = operations_of(directory, service);
    let defined = Definitions {
        service: &service.id,
        directory,
    };
    // Shapes that another service's page defines are linked there, not defined again.
    let definitions = service_shapes(input, directory, service)
        .iter()
        .filter(|id| defined.here(id))
        .filter_map(|id| definition_view(model, id, &defined))
        .collect();
    let operations = service_operations
        .iter()
        .map(|op| OperationView {
            anchor: operation_anchor(defined.namespace(), &op.id),
            name: shape_name(&op.id).to_string(),
            id: op.id.clone(),
            method: op
                .http
                .as_ref()
                .map(|h| h.method.clone())
                .unwrap_or_default(),
            uri: op.http.as_ref().map(|h| h.uri.clone()).unwrap_or_default(),
            code: op
                .http
                .as_ref()
                .map(|h| h.code.to_string())
                .unwrap_or_default(),
            documentation: op.documentation.clone().unwrap_or_default(),
            readonly: op.readonly,
            idempotent: op.idempotent,
            paginated: op.paginated.is_some(),
            shapes: [("Input", &op.input), ("Output", &op.output)]
                .into_iter()
                .filter_map(|(title, shape)| shape.as_ref().map(|s| shape_view(title, s, &defined)))
                .collect(),
            errors: op.errors.iter().map(|e| error_view(e, &defined)).collect(),
        })
        .collect();
    render(&ServicePage {
        id: service.id.clone(),
        plan: service
            .plan
            .as_ref()
            .and_then(|p| directory.plan(&frame, &p.path)),
        version: service.version.clone().unwrap_or_default(),
        documentation: service.documentation.clone().unwrap_or_default(),
        map: input
            .service_maps
            .contains(&service.id)
            .then(|| href(&frame.root, &service_map_file(&service.id), None)),
        resources: service
            .resources
            .iter()
            .map(|r| (defined.shown(r), resource_anchor(defined.namespace(), r)))
            .collect(),
        errors: service.errors.iter().map(|e| defined.shown(e)).collect(),
        namespace: namespace_of(&service.id).to_string(),
        operations,
        definitions,
        name,
        frame,
    })
}

// ---------------------------------------------------------------- services index

struct ServiceRow {
    link: Link,
    id: String,
    version: String,
    plan: Option<Link>,
    operations: usize,
    resources: usize,
    documentation: String,
}

#[derive(Template)]
#[template(path = "site/services.html", whitespace = "minimize")]
struct ServicesPage {
    frame: Frame,
    services: Vec<ServiceRow>,
}

pub(super) fn services(input: &SiteInput<'_>, directory: &Directory<'_>) -> String {
    let frame = Frame::new(input, "services.html", "Services".to_string(), "services");
    let services = input
        .catalogue
        .services
        .iter()
        .filter_map(|s| {
            Some(ServiceRow {
                link: directory.service(&frame, &s.id)?,
                id: s.id.clone(),
                version: s.version.clone().unwrap_or_default(),
                plan: s
                    .plan
                    .as_ref()
                    .and_then(|p| directory.plan(&frame, &p.path)),
                operations: s.operations.len(),
                resources: s.resources.len(),
                documentation: s.documentation.clone().unwrap_or_default(),
            })
        })
        .collect();
    render(&ServicesPage { frame, services })
}

// ---------------------------------------------------------------- diagrams gallery

struct GalleryItem {
    plan: Link,
    section: String,
    line: u32,
    /// The diagram on its plan's page.
    href: String,
    /// The SVG file; empty when the diagram cannot be drawn.
    image: String,
}

struct GalleryFamily {
    family: String,
    items: Vec<GalleryItem>,
}

#[derive(Template)]
#[template(path = "site/diagrams.html", whitespace = "minimize")]
struct GalleryPage {
    frame: Frame,
    families: Vec<GalleryFamily>,
}

/// Every diagram of every plan, by family, then plan.
pub(super) fn gallery(input: &SiteInput<'_>, directory: &Directory<'_>) -> String {
    let frame = Frame::new(input, "diagrams.html", "Diagrams".to_string(), "diagrams");
    let mut families: BTreeMap<String, Vec<GalleryItem>> = BTreeMap::new();
    for plan in &input.checked.plans {
        let Some(plan_link) = directory.plan(&frame, &plan.path) else {
            continue;
        };
        for block in plan.blocks.iter().filter(|b| b.kind == BlockKind::Mermaid) {
            let drawable = block.model.is_drawable();
            let family = block.diagram().map_or("mermaid", |d| d.name()).to_string();
            families.entry(family).or_default().push(GalleryItem {
                plan: Link {
                    href: plan_link.href.clone(),
                    text: plan_link.text.clone(),
                },
                section: block.section.clone().unwrap_or_default(),
                line: block.line,
                href: format!("{}#{ID_PREFIX}block-{}", plan_link.href, block.index),
                image: if drawable {
                    href(&frame.root, &crate::build::diagram_file(plan, block), None)
                } else {
                    String::new()
                },
            });
        }
    }
    render(&GalleryPage {
        families: families
            .into_iter()
            .map(|(family, items)| GalleryFamily { family, items })
            .collect(),
        frame,
    })
}

// ---------------------------------------------------------------- search index

/// One thing the search finds: its kind, name, the text searched besides the name, and its
/// page (a site path with fragment, relative to the site's root).
#[derive(serde::Serialize)]
struct SearchEntry {
    k: &'static str,
    t: String,
    d: String,
    h: String,
}

/// The search index as a script. JSON is valid JavaScript; `<`, `>` and `&` are written as
/// `\u003c`, `\u003e` and `\u0026`, so that no text from a plan reads as markup anywhere.
pub(super) fn search_index(input: &SiteInput<'_>, directory: &Directory<'_>) -> String {
    let root = Frame::new(input, "index.html", String::new(), "");
    let catalogue = input.catalogue;
    let mut entries: Vec<SearchEntry> = Vec::new();
    for plan in &catalogue.plans {
        if let Some(link) = directory.plan(&root, &plan.plan.path) {
            entries.push(SearchEntry {
                k: "plan",
                t: link.text,
                d: format!(
                    "{} {}",
                    plan.plan.path,
                    plan.plan.owner.as_deref().unwrap_or_default()
                ),
                h: link.href,
            });
        }
    }
    for service in &catalogue.services {
        if let Some(link) = directory.service(&root, &service.id) {
            entries.push(SearchEntry {
                k: "service",
                t: link.text,
                d: service.id.clone(),
                h: link.href,
            });
        }
    }
    for op in &catalogue.operations {
        let link = directory.operation(&root, &op.id);
        if link.href.is_empty() {
            continue;
        }
        let http = op
            .http
            .as_ref()
            .map(|h| format!(" {} {}", h.method, h.uri))
            .unwrap_or_default();
        entries.push(SearchEntry {
            k: "operation",
            t: link.text,
            d: format!("{}{http}", op.id),
            h: link.href,
        });
    }
    // Each shape once, at the page that defines it.
    let mut defined_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (shape, home) in &directory.shape_homes {
        defined_by.entry(home).or_default().push(shape);
    }
    for service in &catalogue.services {
        let page = super::service_page(&service.id);
        for id in defined_by.remove(service.id.as_str()).unwrap_or_default() {
            entries.push(SearchEntry {
                k: "shape",
                t: shape_name(id).to_string(),
                h: href(
                    "",
                    &page,
                    Some(&definition_anchor(Some(namespace_of(&service.id)), id)),
                ),
                d: id.to_string(),
            });
        }
    }
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string());
    let json = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("window.plansmithSearch = {json};\n")
}

// ---------------------------------------------------------------- dependencies page

struct WaveView {
    number: usize,
    groups: Vec<GroupView>,
}

struct GroupView {
    plans: Vec<Link>,
    cycle: bool,
}

#[derive(Template)]
#[template(path = "site/dependencies.html", whitespace = "minimize")]
struct DependenciesPage {
    frame: Frame,
    /// The href of the graph's SVG file.
    graph: Option<String>,
    waves: Vec<WaveView>,
    cycles: Vec<Vec<Link>>,
}

pub(super) fn dependencies(input: &SiteInput<'_>, directory: &Directory<'_>) -> String {
    let frame = Frame::new(
        input,
        "dependencies.html",
        "Dependencies".to_string(),
        "dependencies",
    );
    let waves = waves(&input.checked.graph)
        .into_iter()
        .map(|wave| WaveView {
            number: wave.number,
            groups: wave
                .groups
                .iter()
                .map(|g| GroupView {
                    plans: g
                        .plans
                        .iter()
                        .map(|p| directory.plan_or_text(&frame, p))
                        .collect(),
                    cycle: g.cycle,
                })
                .collect(),
        })
        .collect();
    let cycles = cycle_links(directory, &frame, &input.catalogue.cycles);
    render(&DependenciesPage {
        graph: input
            .dependency_graph
            .then(|| href(&frame.root, DEPENDENCY_GRAPH_FILE, None)),
        waves,
        cycles,
        frame,
    })
}

// ---------------------------------------------------------------- changes page (`build --base`)

struct EventView {
    severity: &'static str,
    /// The `count` class the severity is shown with.
    class: &'static str,
    breaking: bool,
    id: String,
    shape: Option<Link>,
    message: String,
}

struct ChangeView {
    text: String,
    breaking: bool,
}

struct PlanChangesView {
    plan: Link,
    changes: Vec<ChangeView>,
}

#[derive(Template)]
#[template(path = "site/changes.html", whitespace = "minimize")]
struct ChangesPage {
    frame: Frame,
    base: String,
    head: String,
    breaking: usize,
    warnings: usize,
    events: Vec<EventView>,
    plans: Vec<PlanChangesView>,
}

pub(super) fn changes(
    input: &SiteInput<'_>,
    directory: &Directory<'_>,
    report: &crate::diff::Report,
) -> String {
    use crate::smithy::diff::Severity;
    let frame = Frame::new(input, CHANGES_PAGE, "Changes".to_string(), "changes");
    let events: Vec<EventView> = report
        .smithy
        .iter()
        .map(|event| {
            let (class, breaking) = match event.severity {
                Severity::Error | Severity::Danger => ("error", true),
                Severity::Warning => ("warning", false),
                _ => ("note", false),
            };
            EventView {
                severity: event.severity.name(),
                class,
                breaking,
                id: event.id.clone(),
                shape: event.shape.as_deref().map(|id| directory.shape(&frame, id)),
                message: event.message.clone(),
            }
        })
        .collect();
    // The changes come sorted by plan: one list per plan.
    let mut by_plan: Vec<(&str, PlanChangesView)> = Vec::new();
    for change in &report.plans {
        if by_plan.last().is_none_or(|(plan, _)| *plan != change.plan) {
            let view = PlanChangesView {
                plan: directory.plan_or_text(&frame, &report.head_path(&change.plan)),
                changes: Vec::new(),
            };
            by_plan.push((&change.plan, view));
        }
        if let Some((_, view)) = by_plan.last_mut() {
            view.changes.push(ChangeView {
                text: change.message(),
                breaking: change.kind.is_breaking(),
            });
        }
    }
    let plans = by_plan.into_iter().map(|(_, view)| view).collect();
    let plan_warnings = report.plans.iter().filter(|c| c.kind.is_warning()).count();
    let breaking = events.iter().filter(|e| e.breaking).count()
        + report.plans.iter().filter(|c| c.kind.is_breaking()).count();
    let warnings = events.iter().filter(|e| e.class == "warning").count() + plan_warnings;
    render(&ChangesPage {
        frame,
        base: report.base.clone(),
        head: report.head.clone(),
        breaking,
        warnings,
        events,
        plans,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagrams_known_markup_is_what_the_sanitiser_makes_of_it() {
        let view = |file: &str, family: &str| DiagramView {
            family: family.to_string(),
            line: 12,
            block: 3,
            file: file.to_string(),
            reason: None,
        };
        let BlockMarkup::Known { markup, sanitised } =
            view("../../diagrams/g0/a%20b/plan/03-flowchart.svg", "flowchart").markup("")
        else {
            panic!("a plain file and family have a known sanitised form");
        };
        assert_eq!(prose::sanitised(&markup), sanitised);
        for (file, family) in [
            ("../x&y.svg", "flowchart"),
            ("javascript:x.svg", "flowchart"),
            ("../x.png", "flowchart"),
            ("../x.svg", "a\"b"),
        ] {
            assert!(
                matches!(view(file, family).markup(""), BlockMarkup::Sanitised(_)),
                "{file} {family}"
            );
        }
    }
}
