//! `build`: everything `check` does, then every artifact: the diagrams as SVG, a map per
//! service, the plan dependency graph, the merged Smithy model, the interface catalogue (JSON
//! and Markdown) and the review site.
//!
//! Artifacts are made in parallel and each is written as soon as it is made: the output is
//! never held in memory as a whole. The plans' diagrams need only the plans' blocks, so they
//! are drawn (one task per plan) while the check builds and validates the Smithy model, which
//! is mostly serial; the rest follows the check, one task per page, per service map and per
//! whole-run file. Paths are claimed before any task runs, in a fixed order, so the output does
//! not depend on the number of threads.
//!
//! The manifest `.plansmith-build` lists what the last build wrote: each file's path, size and
//! fingerprint, and for a drawing (diagram, service map, dependency graph) or `model.json` the
//! key of its input (the source it is drawn from or the Smithy texts, its options and the
//! plansmith version), and for a plan's or a service's page the key of what it shows (see
//! `site_key`); its first line holds the key of the whole run (every input's text, the
//! options and what the check found) and the site's key. It is the build's cache: when the
//! run's key is unchanged and the files are still there, nothing but the check runs; otherwise
//! a drawing whose key is unchanged and whose file is still there is neither laid out nor
//! written again (nor is such a page made again), when the site's key is unchanged no service
//! map is even keyed again (its graph and links are made of what that key covers), and any other
//! file is made, and written only when its fingerprint differs, so a second run over unchanged
//! inputs rewrites nothing. Files a previous build wrote and this one does not are removed
//! (only those).

use crate::catalogue::{catalogue, catalogue_markdown, Catalogue};
use crate::check::{check_alongside, internal_error, CheckOptions, Checked, Inputs};
use crate::diagnostic::{Diagnostic, Span};
use crate::diff::base::Base;
use crate::diff::plans::DiagramMarks;
use crate::diff::Report;
use crate::discover::InputKind;
use crate::mermaid::Detected;
use crate::output::{fingerprint, replace_file, write_atomic, ArtifactPath, Fingerprint};
use crate::plan::{Block, BlockKind, BlockModel, Plan};
use crate::render::layout::take_engine_panic;
use crate::render::marks::mark_changes;
use crate::render::{render_parsed, services, Hooks};
use crate::site::{
    service_map_file, DiagramArtifact, Page, Site, SiteInput, SiteOptions, DEPENDENCY_GRAPH_FILE,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The file listing what the last build wrote.
const MANIFEST: &str = ".plansmith-build";
/// Held (locked) by the build writing into a folder, so that a second one stops with an error
/// instead of mixing its files with the first's.
const LOCK: &str = ".plansmith-build.lock";
/// Every file this build has written so far, one path a line, appended as each is written: a
/// build that is killed leaves it, and the next build removes those files unless it makes them.
const JOURNAL: &str = ".plansmith-build.journal";
/// The start of the manifest's first line, which goes on with the run's key. 4: fingerprints
/// are XXH3 (an older manifest's keys are not read; its files' paths still are).
const MANIFEST_HEADER: &str = "plansmith-build 4";
/// Where the diagrams go; nothing else is written below it.
const DIAGRAMS: &str = "diagrams";
/// Part of every cache key: a new version may draw differently.
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub check: CheckOptions,
    pub out: PathBuf,
    /// `--base`: a git revision (or a folder) of the plans to compare with: the site gets a
    /// Changes page and the drawings mark what changed since.
    pub base: Option<String>,
    /// `--svg-hooks`: every drawing carries its `data-*` hooks, not only those with marks.
    pub svg_hooks: bool,
}

impl BuildOptions {
    /// The hooks of the drawings that have no change marks.
    fn hooks(&self) -> Hooks {
        match self.svg_hooks {
            true => Hooks::Written,
            false => Hooks::Left,
        }
    }
}

#[derive(Debug, Default)]
pub struct BuildResult {
    pub checked: Checked,
    pub artifacts: usize,
    /// Files written (new or different).
    pub changed: usize,
    pub removed: usize,
    /// Drawings made (laid out) in this run; the others were taken from the previous build.
    pub drawn: usize,
    /// Pages made in this run; the other plans' and services' pages were taken from the
    /// previous build.
    pub pages: usize,
}

/// Stages reported to a progress display: (stage name, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// The file name of a service's artifacts: `#` would start a URL fragment, and shape names
/// cannot hold `-`, so `com.example#Orders` becomes `com.example-Orders`.
pub fn service_file_stem(id: &str) -> String {
    id.replace('#', "-")
}

/// What the manifest records of one artifact.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    path: ArtifactPath,
    /// `None` for a drawing whose input renders nothing (an invalid diagram): remembered so that
    /// it is not tried again, but no file.
    file: Option<(u64, u128)>,
    /// The key of a drawing's input.
    key: Option<u128>,
}

/// The previous build's manifest.
#[derive(Default)]
struct Manifest {
    /// The key of everything the previous build's files were made from (see [`run_key`]).
    run_key: Option<u128>,
    /// The key of what the previous build's pages and service maps were made from (see
    /// [`site_key`]).
    site_key: Option<u128>,
    entries: HashMap<String, Entry>,
    /// Lines that are only a path (the first format), for removing stale files.
    paths: Vec<String>,
}

impl Manifest {
    /// Reads the manifest and the journal of an interrupted build; a line that is not an entry
    /// (the first format listed bare paths, the journal lists paths) still names a file to
    /// remove when this build does not make it. A file in the journal may have been replaced
    /// after the manifest was written, so its entry is not trusted, nor is the run's key.
    fn read(out: &Path) -> Manifest {
        let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
        let mut manifest = Manifest::parse(&text);
        let journal = std::fs::read_to_string(out.join(JOURNAL)).unwrap_or_default();
        for path in journal.lines().filter(|l| !l.is_empty()) {
            manifest.run_key = None;
            manifest.entries.remove(path);
            manifest.paths.push(path.to_string());
        }
        manifest
    }

    fn parse(text: &str) -> Manifest {
        let hex = |s: &str| u128::from_str_radix(s, 16).ok();
        let mut manifest = Manifest::default();
        let mut lines = text.lines().peekable();
        // The header: the run's key, then the site's (an older one names one or neither).
        if let Some(header) = lines.next_if(|l| l.starts_with("plansmith-build ")) {
            let mut keys = header
                .strip_prefix(MANIFEST_HEADER)
                .unwrap_or_default()
                .split_whitespace()
                .map(hex);
            manifest.run_key = keys.next().flatten();
            manifest.site_key = keys.next().flatten();
        }
        for line in lines.filter(|l| !l.is_empty()) {
            let fields: Vec<&str> = line.splitn(4, '\t').collect();
            let [size, hash, key, path] = fields[..] else {
                manifest.paths.push(line.to_string());
                continue;
            };
            let file = match (size.parse().ok(), hex(hash)) {
                (Some(size), Some(hash)) => Some((size, hash)),
                _ => None,
            };
            let entry = Entry {
                path: ArtifactPath::new(path),
                file,
                key: hex(key),
            };
            manifest.entries.insert(path.to_string(), entry);
        }
        manifest
    }

    fn paths(&self) -> impl Iterator<Item = &str> {
        self.entries
            .values()
            .filter(|e| e.file.is_some())
            .map(|e| e.path.as_str())
            .chain(self.paths.iter().map(String::as_str))
    }

    fn text(run_key: u128, site_key: Option<u128>, entries: &[Entry]) -> String {
        let mut text = format!("{MANIFEST_HEADER} {run_key:032x}");
        if let Some(site_key) = site_key {
            text.push_str(&format!(" {site_key:032x}"));
        }
        text.push('\n');
        for e in entries {
            let (size, hash) = match e.file {
                Some((size, hash)) => (size.to_string(), format!("{hash:032x}")),
                None => ("-".to_string(), "-".to_string()),
            };
            let key = e.key.map_or("-".to_string(), |k| format!("{k:032x}"));
            text.push_str(&format!("{size}\t{hash}\t{key}\t{}\n", e.path));
        }
        text
    }
}

/// Where artifacts go: a folder (with the previous build's manifest) or memory (for tests and
/// for callers that want the bytes).
trait Sink: Sync {
    /// The previous entry for `path` when it was drawn from `key` and its file is still there.
    fn reusable(&self, path: &ArtifactPath, key: u128) -> Option<Entry>;
    /// The previous entry for `path` when the previous build was made from the same site
    /// (`site_key`), the entry was made without failing and its file is still there.
    fn reusable_in_site(&self, path: &ArtifactPath, site_key: u128) -> Option<Entry>;
    /// Keeps `bytes` as the artifact at `path`; whether a file changed.
    fn store(&self, entry: &Entry, bytes: Vec<u8>) -> std::io::Result<bool>;
}

struct Folder<'a> {
    out: &'a Path,
    previous: &'a Manifest,
    /// Appended to (unbuffered, so that it survives a kill) before each file is written.
    journal: Mutex<std::fs::File>,
}

impl Folder<'_> {
    /// Whether the file at `path` is the one the manifest describes: present, of its size.
    /// One `stat`, no read: the fingerprint in the manifest stands for the bytes.
    fn still_there(&self, entry: &Entry) -> bool {
        match entry.file {
            None => true,
            Some((size, _)) => std::fs::metadata(entry.path.under(self.out))
                .is_ok_and(|m| m.is_file() && m.len() == size),
        }
    }
}

impl Folder<'_> {
    /// The previous build's files other than diagrams, when they are all still there and none
    /// is a drawing that failed (which must be tried, and reported, again).
    fn previous_rest(&self) -> Option<Vec<Entry>> {
        let mut rest: Vec<Entry> = Vec::new();
        let diagrams = format!("{DIAGRAMS}/");
        for entry in self.previous.entries.values() {
            if entry.path.starts_with(&diagrams) {
                continue;
            }
            let failed = entry.file.is_none() && entry.key.is_none();
            if failed || !self.still_there(entry) {
                return None;
            }
            rest.push(entry.clone());
        }
        Some(rest)
    }
}

impl Sink for Folder<'_> {
    fn reusable(&self, path: &ArtifactPath, key: u128) -> Option<Entry> {
        let old = self.previous.entries.get(path.as_str())?;
        (old.key == Some(key) && self.still_there(old)).then(|| old.clone())
    }

    fn reusable_in_site(&self, path: &ArtifactPath, site_key: u128) -> Option<Entry> {
        if self.previous.site_key != Some(site_key) {
            return None;
        }
        let old = self.previous.entries.get(path.as_str())?;
        (old.key.is_some() && self.still_there(old)).then(|| old.clone())
    }

    fn store(&self, entry: &Entry, bytes: Vec<u8>) -> std::io::Result<bool> {
        let unchanged = self
            .previous
            .entries
            .get(entry.path.as_str())
            .is_some_and(|old| {
                old.file.is_some() && old.file == entry.file && self.still_there(old)
            });
        if unchanged {
            return Ok(false);
        }
        {
            use std::io::Write as _;
            let mut journal = self.journal.lock().unwrap_or_else(|e| e.into_inner());
            journal.write_all(format!("{}\n", entry.path).as_bytes())?;
        }
        replace_file(&entry.path.under(self.out), &bytes)?;
        Ok(true)
    }
}

#[derive(Default)]
struct Memory(Mutex<Vec<(ArtifactPath, Vec<u8>)>>);

impl Sink for Memory {
    fn reusable(&self, _: &ArtifactPath, _: u128) -> Option<Entry> {
        None
    }

    fn reusable_in_site(&self, _: &ArtifactPath, _: u128) -> Option<Entry> {
        None
    }

    fn store(&self, entry: &Entry, bytes: Vec<u8>) -> std::io::Result<bool> {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.push((entry.path.clone(), bytes));
        Ok(true)
    }
}

/// One unit of parallel work after the check (the diagrams are drawn during it, see
/// [`draw_diagrams`]).
enum Task<'a> {
    /// A service's map.
    ServiceMap {
        id: &'a str,
        path: ArtifactPath,
    },
    DependencyGraph,
    /// A page; a plan's shows the diagrams drawn of it.
    Page(ArtifactPath, Page<'a>),
    Model,
    CatalogueJson,
    CatalogueMarkdown,
}

/// The counts of one run of the tasks.
#[derive(Default)]
struct Tally {
    entries: Vec<Entry>,
    changed: usize,
    drawn: usize,
    pages: usize,
    /// PLAN009 for drawings that failed.
    diagnostics: Vec<Diagnostic>,
}

impl Tally {
    fn merge(mut self, other: Tally) -> Tally {
        self.entries.extend(other.entries);
        self.diagnostics.extend(other.diagnostics);
        self.changed += other.changed;
        self.drawn += other.drawn;
        self.pages += other.pages;
        self
    }
}

/// The id prefix of a diagram's SVG: from the plan's path, not its position, so adding a plan
/// does not change every other plan's drawings, nor from one version of plansmith to the next;
/// distinct per block, so a page may inline several.
fn diagram_prefix(plan: &Plan, block: &Block) -> String {
    let id = crate::output::name_mark(&plan.path);
    format!("p{:08x}b{}-", id as u32, block.index)
}

/// Where a diagram's SVG goes (the site's gallery shows it from there too).
pub(crate) fn diagram_file(plan: &Plan, block: &Block) -> ArtifactPath {
    let family = block.diagram().map(Detected::name).unwrap_or_default();
    let folder = diagram_folder(&plan.path);
    ArtifactPath::new(&format!("{folder}/{:02}-{family}.svg", block.index))
}

/// The folder of a plan's diagrams: its path without `.md`, below `diagrams/`.
fn diagram_folder(plan_path: &str) -> String {
    let stem = plan_path.strip_suffix(".md").unwrap_or(plan_path);
    format!("{DIAGRAMS}/{stem}")
}

/// The Markdown inputs whose diagram folder is another one's too (`a.MD` and `a.MD.md`). Only
/// their diagrams can claim the same file, so only they are drawn once every plan is read
/// ([`diagram_paths`]); every other plan's are drawn as soon as it is read.
fn sharing_a_diagram_folder(inputs: &Inputs) -> HashSet<String> {
    let mut by_folder: HashMap<ArtifactPath, Vec<&str>> = HashMap::new();
    for input in &inputs.files {
        if input.kind == InputKind::Markdown {
            let folder = ArtifactPath::new(&diagram_folder(&input.display));
            by_folder.entry(folder).or_default().push(&input.display);
        }
    }
    by_folder
        .into_values()
        .filter(|plans| plans.len() > 1)
        .flatten()
        .map(str::to_string)
        .collect()
}

/// Stores a drawing of the input keyed `key`, drawing it only when the previous build's is
/// gone or stale; whether there is a file. A panic while drawing is contained: PLAN009 at
/// `source` and no file; a layout engine that panicked (and drew its grid) gives PLAN009 too,
/// and the drawing is not cached, so that the next build reports it again.
fn drawing(
    sink: &dyn Sink,
    path: &ArtifactPath,
    key: u128,
    at: (&str, Span),
    draw: impl FnOnce() -> Option<String>,
    tally: &mut Tally,
) -> std::io::Result<bool> {
    if let Some(entry) = sink.reusable(path, key) {
        let drawn = entry.file.is_some();
        tally.entries.push(entry);
        return Ok(drawn);
    }
    tally.drawn += 1;
    take_engine_panic();
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(draw));
    let key = if drawn.is_err() || take_engine_panic() {
        tally
            .diagnostics
            .push(internal_error(at.0, at.1, &format!("drawing `{path}`")));
        None
    } else {
        Some(key)
    };
    let Some(svg) = drawn.ok().flatten() else {
        tally.entries.push(Entry {
            path: path.clone(),
            file: None,
            key,
        });
        return Ok(false);
    };
    let bytes = svg.into_bytes();
    let entry = Entry {
        path: path.clone(),
        file: Some((bytes.len() as u64, fingerprint([bytes.as_slice()]))),
        key,
    };
    if sink.store(&entry, bytes)? {
        tally.changed += 1;
    }
    tally.entries.push(entry);
    Ok(true)
}

/// What `--base` marks in the drawings, by plan path and block index.
type Marks = BTreeMap<(String, usize), DiagramMarks>;

/// The diagrams of the plans, drawn before the rest of the artifacts: their manifest entries,
/// and per plan (by path) the diagrams its page shows, in block order.
#[derive(Default)]
struct Diagrams {
    tally: Tally,
    shown: HashMap<String, Vec<DiagramArtifact>>,
}

impl Diagrams {
    fn merge(mut self, other: Diagrams) -> Diagrams {
        self.tally = self.tally.merge(other.tally);
        self.shown.extend(other.shown);
        self
    }
}

/// Every plan's diagram files, in plan order. Nothing else is written below `diagrams/`, so the
/// paths are claimed among themselves: when two plans' names sanitise to the same file, the
/// first plan keeps it.
fn diagram_paths<'p>(plans: &[&'p Plan]) -> Vec<(&'p Plan, Vec<(&'p Block, ArtifactPath)>)> {
    let mut claimed: HashSet<ArtifactPath> = HashSet::new();
    plans
        .iter()
        .map(|&plan| {
            let diagrams = plan_diagram_paths(plan)
                .into_iter()
                .filter(|(_, path)| claimed.insert(path.clone()))
                .collect();
            (plan, diagrams)
        })
        .filter(|(_, diagrams): &(_, Vec<_>)| !diagrams.is_empty())
        .collect()
}

/// One plan's diagram files, in block order.
fn plan_diagram_paths(plan: &Plan) -> Vec<(&Block, ArtifactPath)> {
    (plan.blocks.iter())
        .filter(|b| b.kind == BlockKind::Mermaid)
        .map(|b| (b, diagram_file(plan, b)))
        .collect()
}

/// Draws (or takes from the previous build) the given plans' diagrams into `sink`, one task
/// per plan, in parallel. They need only the plans' blocks, so `build` runs this while the
/// check's cross-file stage (the Smithy model) runs. With `out`, their folders are made first.
fn draw_diagrams(
    plans: &[&Plan],
    marks: &Marks,
    hooks: Hooks,
    sink: &dyn Sink,
    out: Option<&Path>,
    progress: Progress<'_>,
) -> std::io::Result<Diagrams> {
    let plans = diagram_paths(plans);
    if let Some(out) = out {
        let paths = plans.iter().flat_map(|(_, d)| d.iter().map(|(_, p)| p));
        create_folders(out, paths)?;
    }
    let done = AtomicUsize::new(0);
    progress("drawing", 0, plans.len());
    plans
        .par_iter()
        .map(|(plan, diagrams)| {
            let drawn = draw_plan(plan, diagrams, marks, hooks, sink)?;
            progress(
                "drawing",
                done.fetch_add(1, Ordering::Relaxed) + 1,
                plans.len(),
            );
            Ok(drawn)
        })
        .try_reduce(Diagrams::default, |a, b| Ok(a.merge(b)))
}

/// Draws (or takes from the previous build) one plan's diagrams into `sink`; those with marks
/// always with hooks, as the marks' style finds what it outlines by them.
fn draw_plan(
    plan: &Plan,
    diagrams: &[(&Block, ArtifactPath)],
    marks: &Marks,
    hooks: Hooks,
    sink: &dyn Sink,
) -> std::io::Result<Diagrams> {
    let mut drawn = Diagrams::default();
    let mut shown = Vec::new();
    for (block, path) in diagrams {
        let prefix = diagram_prefix(plan, block);
        let marked = marks.get(&(plan.path.clone(), block.index));
        let hooks = if marked.is_some() {
            Hooks::Written
        } else {
            hooks
        };
        let key = Fingerprint::default()
            .part(VERSION.as_bytes())
            .part(b"mermaid")
            .part(prefix.as_bytes())
            .part(block.source.text.as_bytes())
            .debug(&marked)
            .debug(&hooks)
            .finish();
        let draw = || match &block.model {
            BlockModel::Mermaid(parsed) => {
                let svg = render_parsed(&block.source, parsed, &prefix, hooks)?.svg;
                Some(match marked {
                    Some(marks) => mark_changes(&svg, marks),
                    None => svg,
                })
            }
            _ => None,
        };
        let at = (block.source.path.as_str(), block.source.span(0..0));
        if drawing(sink, path, key, at, draw, &mut drawn.tally)? {
            shown.push(DiagramArtifact {
                plan: plan.path.clone(),
                block: block.index,
                line: block.line,
                family: block
                    .diagram()
                    .map(Detected::name)
                    .unwrap_or_default()
                    .to_string(),
                file: path.clone(),
            });
        }
    }
    drawn.shown.insert(plan.path.clone(), shown);
    Ok(drawn)
}

struct Run<'a> {
    checked: &'a Checked,
    catalogue: &'a Catalogue,
    site: &'a Site<'a>,
    sink: &'a dyn Sink,
    /// What each plan's page shows.
    shown: &'a HashMap<String, Vec<DiagramArtifact>>,
    /// The key of the Smithy texts ([`smithy_key`]), when `model.json` may be reused.
    model_key: Option<u128>,
    /// The key of what every plan's and service's page is made from ([`site_key`]), when pages
    /// may be reused.
    site_key: Option<u128>,
    /// `catalogue.json`, made once: the site's key is made from it.
    catalogue_json: &'a [u8],
}

impl Run<'_> {
    /// Stores an artifact that is made every time (cheap, or depending on everything).
    fn store(&self, path: &ArtifactPath, bytes: Vec<u8>, tally: &mut Tally) -> std::io::Result<()> {
        self.store_keyed(path, None, bytes, tally)
    }

    /// Stores an artifact, with the key of what it is made from when it has one.
    fn store_keyed(
        &self,
        path: &ArtifactPath,
        key: Option<u128>,
        bytes: Vec<u8>,
        tally: &mut Tally,
    ) -> std::io::Result<()> {
        let entry = Entry {
            path: path.clone(),
            file: Some((bytes.len() as u64, fingerprint([bytes.as_slice()]))),
            key,
        };
        if self.sink.store(&entry, bytes)? {
            tally.changed += 1;
        }
        tally.entries.push(entry);
        Ok(())
    }

    fn run(&self, task: &Task<'_>) -> std::io::Result<Tally> {
        let mut tally = Tally::default();
        match task {
            Task::ServiceMap { id, path } => {
                let model = &self.checked.model;
                // A map is drawn from the model and the site's links, which the site's key
                // covers: with the previous build's site, not even its own key is made again.
                let same_site = self
                    .site_key
                    .and_then(|key| self.sink.reusable_in_site(path, key));
                if let Some(entry) = same_site {
                    tally.entries.push(entry);
                } else if let Some(service) = model.shapes.get(id) {
                    let graph = services::service_map_graph(model, service);
                    let links = self.site.service_map_links(id);
                    let hooks = self.site.hooks();
                    let key = Fingerprint::default()
                        .part(VERSION.as_bytes())
                        .part(b"service")
                        .debug(&graph)
                        .debug(&links)
                        .debug(&hooks)
                        .finish();
                    let draw = || {
                        let map = services::render_service_map_graph(&graph, "s-", hooks, &links);
                        Some(map.svg)
                    };
                    let at = (&*service.location.path, service.location.span);
                    drawing(self.sink, path, key, at, draw, &mut tally)?;
                }
            }
            Task::DependencyGraph => {
                let graph = &self.checked.graph;
                let links = self.site.dependency_graph_links();
                let mut key = Fingerprint::default();
                key.part(VERSION.as_bytes()).part(b"plans");
                hash_plan_graph(graph, &mut key);
                let hooks = self.site.hooks();
                let key = key.debug(&links).debug(&hooks).finish();
                let draw = || {
                    let drawing =
                        crate::render::plans::render_plan_graph(graph, "g-", hooks, &links);
                    Some(drawing.svg)
                };
                let first = self.checked.plans.first().map_or("", |p| p.path.as_str());
                drawing(
                    self.sink,
                    &ArtifactPath::new(DEPENDENCY_GRAPH_FILE),
                    key,
                    (first, Span::point(1, 1)),
                    draw,
                    &mut tally,
                )?;
            }
            Task::Page(path, page) => {
                let shown = match page {
                    Page::Plan(plan, _) => self.shown.get(&plan.path).map(Vec::as_slice),
                    _ => None,
                };
                let shown = shown.unwrap_or_default();
                let key = self.page_key(path, page, shown);
                match key.and_then(|key| self.sink.reusable(path, key)) {
                    Some(entry) => tally.entries.push(entry),
                    None => {
                        tally.pages += 1;
                        let html = self.site.render(page, path, shown);
                        self.store_keyed(path, key, html.into_bytes(), &mut tally)?;
                    }
                }
            }
            Task::Model => {
                // The model is made of the Smithy texts alone: unchanged texts, unchanged file.
                let path = ArtifactPath::new("model.json");
                let key = self.model_key;
                match key.and_then(|key| self.sink.reusable(&path, key)) {
                    Some(entry) => tally.entries.push(entry),
                    None => {
                        let bytes = json(&self.checked.model.json_ast());
                        self.store_keyed(&path, key, bytes, &mut tally)?;
                    }
                }
            }
            Task::CatalogueJson => self.store(
                &ArtifactPath::new("catalogue.json"),
                self.catalogue_json.to_vec(),
                &mut tally,
            )?,
            Task::CatalogueMarkdown => self.store(
                &ArtifactPath::new("catalogue.md"),
                catalogue_markdown(self.catalogue).into_bytes(),
                &mut tally,
            )?,
        }
        Ok(tally)
    }

    /// The key of a page: the site's key, and for a plan its path, text, diagnostics and drawn
    /// diagrams. The lists of plans, services and operations and the search index are made of
    /// the catalogue alone, which the site's key covers. Other pages (the gallery, whose
    /// entries name diagrams' lines, and the dependency graph's) are made every time.
    fn page_key(
        &self,
        path: &ArtifactPath,
        page: &Page<'_>,
        shown: &[DiagramArtifact],
    ) -> Option<u128> {
        let site_key = self.site_key?.to_le_bytes();
        match page {
            Page::Plan(plan, _) => Some(
                Fingerprint::default()
                    .part(site_key.as_slice())
                    .part(b"plan page")
                    .part(plan.path.as_bytes())
                    .part(plan.source.text.as_bytes())
                    .debug(&self.site.diagnostics_of(&plan.path))
                    .debug(&shown)
                    .finish(),
            ),
            Page::Service(service) => Some(fingerprint([
                site_key.as_slice(),
                b"service page",
                service.id.as_bytes(),
            ])),
            Page::Index | Page::Services | Page::SearchIndex => Some(fingerprint([
                site_key.as_slice(),
                b"listing",
                path.as_bytes(),
            ])),
            _ => None,
        }
    }
}

/// Adds to `key` what the dependency graph's drawing shows: its plans, its edges without the
/// place in a plan each comes from (editing the prose above a Dependencies section moves
/// those), its cycles.
fn hash_plan_graph(graph: &crate::deps::PlanGraph, key: &mut Fingerprint) {
    key.debug(&graph.cycles);
    for node in graph.graph.node_weights() {
        key.debug(node);
    }
    for edge in graph.graph.raw_edges() {
        let ends = [edge.source().index(), edge.target().index()];
        key.debug(&(ends, edge.weight.kind, edge.weight.in_cycle));
    }
}

/// The key of what every plan's and service's page is made from besides the plan itself: the
/// plansmith version, the site's options, the Smithy texts (`model_key`), the catalogue (every
/// plan's name, status, dependencies and counts, every service, resource and operation), what
/// the check found on disk and whether there is a Changes page. Editing one plan's prose
/// changes none of them.
fn site_key(model_key: u128, input: &SiteInput<'_>, catalogue_json: &[u8]) -> u128 {
    let checked = input.checked;
    Fingerprint::default()
        .part(VERSION.as_bytes())
        .part(b"site")
        .part(model_key.to_le_bytes().as_slice())
        .debug(&input.options)
        .debug(&checked.root)
        .debug(&checked.locations)
        .debug(&checked.input_errors)
        // Every page's menu links the Changes page of `build --base`.
        .debug(&input.changes.is_some())
        .part(catalogue_json)
        .finish()
}

/// Compact JSON: these files are read by programs (and by `jq` when a person reads them), and
/// indentation made up half of their bytes.
fn json(value: &impl serde::Serialize) -> Vec<u8> {
    let mut text = serde_json::to_vec(value).unwrap_or_default();
    text.push(b'\n');
    text
}

/// The key of everything the Smithy model is made from: the version, the IDL version of
/// blocks that name none, and every Smithy text (each plan's blocks in order, the model files)
/// with its path.
fn smithy_key(options: &CheckOptions, checked: &Checked) -> u128 {
    let mut key = Fingerprint::default();
    key.part(VERSION.as_bytes())
        .part(b"model")
        .debug(&options.tuning.smithy_version());
    for plan in &checked.plans {
        let blocks = plan.blocks.iter().filter(|b| b.kind == BlockKind::Smithy);
        for block in blocks {
            key.part(plan.path.as_bytes())
                .part(block.source.text.as_bytes());
        }
    }
    for file in checked.files.iter().filter(|f| f.kind == BlockKind::Smithy) {
        key.part(file.source.path.as_bytes())
            .part(file.source.text.as_bytes());
    }
    key.finish()
}

/// The key of everything the artifacts other than diagrams are made from: the plansmith
/// version, the options (but the number of threads), every input's path and text, and what the
/// check found beyond the texts (the diagnostics, among them those of links to files, the
/// dependency graph, the paths on disk). A build whose key is the previous build's makes none
/// of them again.
fn run_key(options: &BuildOptions, site: &SiteOptions, checked: &Checked) -> u128 {
    let mut options = options.clone();
    options.check.jobs = 0;
    let mut key = Fingerprint::default();
    key.part(VERSION.as_bytes())
        .debug(&options)
        .debug(site)
        .debug(&checked.root)
        .debug(&checked.locations)
        .debug(&checked.input_errors)
        .debug(&checked.diagnostics)
        .debug(&checked.graph)
        .debug(&checked.baselined);
    let sources =
        (checked.plans.iter().map(|p| &p.source)).chain(checked.files.iter().map(|f| &f.source));
    for source in sources {
        key.part(source.path.as_bytes())
            .part(source.text.as_bytes());
    }
    key.finish()
}

/// The tasks of a run after the diagrams, each path claimed once: when two plans' names sanitise
/// to the same page, the first in this fixed order keeps it.
fn tasks<'a>(checked: &'a Checked, site: &'a Site<'a>) -> Vec<Task<'a>> {
    let mut claimed: HashSet<ArtifactPath> = HashSet::new();
    let mut claim = |path: &ArtifactPath| claimed.insert(path.clone());
    let mut tasks = vec![
        Task::Model,
        Task::CatalogueJson,
        Task::CatalogueMarkdown,
        Task::DependencyGraph,
    ];
    for path in [
        "model.json",
        "catalogue.json",
        "catalogue.md",
        DEPENDENCY_GRAPH_FILE,
    ] {
        claim(&ArtifactPath::new(path));
    }
    for (path, page) in site.pages() {
        if claim(&path) {
            tasks.push(Task::Page(path, page));
        }
    }
    for service in &site_services(checked) {
        let path = service_map_file(service);
        if claim(&path) {
            tasks.push(Task::ServiceMap { id: service, path });
        }
    }
    tasks
}

/// The services of the model, each of which gets a map.
fn site_services(checked: &Checked) -> Vec<&str> {
    checked
        .model
        .shapes
        .values()
        .filter(|s| s.shape_type == crate::smithy::ast::ShapeType::Service)
        .map(|s| s.id.as_str())
        .collect()
}

/// Runs every task after the diagrams into `sink`, in parallel; the manifest entries (the
/// diagrams' too) sorted by path. With `out`, the folders the tasks write into are made first.
fn run_tasks(
    checked: &Checked,
    (site_options, changes): (&SiteOptions, Option<&Report>),
    model_key: Option<u128>,
    diagrams: Diagrams,
    sink: &dyn Sink,
    out: Option<&Path>,
    progress: Progress<'_>,
) -> std::io::Result<(Tally, Option<u128>)> {
    let catalogue = catalogue(checked);
    let service_maps: BTreeSet<String> = site_services(checked)
        .into_iter()
        .map(str::to_string)
        .collect();
    let input = SiteInput {
        checked,
        catalogue: &catalogue,
        service_maps: &service_maps,
        dependency_graph: true,
        options: site_options,
        changes,
    };
    let site = Site::new(&input);
    let tasks = tasks(checked, &site);
    // The catalogue's JSON (megabytes at thousands of plans) is made while the folders are:
    // one after the other, they would be serial time before the tasks.
    let (catalogue_json, folders) = rayon::join(
        || json(&catalogue),
        || match out {
            Some(out) => create_folders(out, tasks.iter().filter_map(Task::path)),
            None => Ok(()),
        },
    );
    folders?;
    let site_key = model_key.map(|key| site_key(key, &input, &catalogue_json));
    let run = Run {
        checked,
        catalogue: &catalogue,
        site: &site,
        sink,
        shown: &diagrams.shown,
        model_key,
        site_key,
        catalogue_json: &catalogue_json,
    };
    let done = AtomicUsize::new(0);
    progress("building", 0, tasks.len());
    let tally = tasks
        .par_iter()
        .map(|task| {
            let tally = run.run(task);
            progress(
                "building",
                done.fetch_add(1, Ordering::Relaxed) + 1,
                tasks.len(),
            );
            tally
        })
        .try_reduce(Tally::default, |a, b| Ok(a.merge(b)))?;
    let mut tally = diagrams.tally.merge(tally);
    tally.entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((tally, site_key))
}

impl Task<'_> {
    /// The file of a task that writes into a folder of its own making.
    fn path(&self) -> Option<&ArtifactPath> {
        match self {
            Task::ServiceMap { path, .. } | Task::Page(path, _) => Some(path),
            _ => None,
        }
    }
}

/// Creates every folder the given files go into, once each, before any task runs (tasks then
/// write without probing).
fn create_folders<'p>(
    out: &Path,
    paths: impl IntoIterator<Item = &'p ArtifactPath>,
) -> std::io::Result<()> {
    let folders: BTreeSet<PathBuf> = paths
        .into_iter()
        .filter_map(|path| Some(path.under(out).parent()?.to_path_buf()))
        .collect();
    // A folder inside `out` that is a link (to anywhere) is not written through. The same look
    // says which folders are missing, so that only those are made, each once, parents first.
    let mut checked: HashSet<PathBuf> = HashSet::new();
    let mut missing: BTreeSet<PathBuf> = BTreeSet::new();
    // Leaves below something that is neither a folder nor missing: `create_dir_all` gives
    // the error it always gave.
    let mut blocked: Vec<&PathBuf> = Vec::new();
    for folder in &folders {
        for ancestor in folder
            .ancestors()
            .take_while(|a| *a != out && a.starts_with(out))
        {
            if !checked.insert(ancestor.to_path_buf()) {
                break;
            }
            match std::fs::symlink_metadata(ancestor) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(std::io::Error::other(format!(
                        "{} is a symbolic link; build does not write through links",
                        ancestor.display()
                    )));
                }
                Ok(m) if m.is_dir() => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    missing.insert(ancestor.to_path_buf());
                }
                _ => blocked.push(folder),
            }
        }
    }
    blocked.into_iter().try_for_each(std::fs::create_dir_all)?;
    // In sorted order a folder comes before the folders inside it. Another thread may make a
    // shared parent at the same time, as `create_dir_all` tolerates.
    missing
        .iter()
        .try_for_each(|folder| match std::fs::create_dir(folder) {
            Err(_) if folder.is_dir() => Ok(()),
            result => result,
        })
}

/// Every artifact of a checked run, as (relative path, bytes), sorted by path; nothing cached.
pub fn artifacts(checked: &Checked) -> Vec<(ArtifactPath, Vec<u8>)> {
    artifacts_with(checked, &SiteOptions::default())
}

/// [`artifacts`] with the site's options.
pub fn artifacts_with(checked: &Checked, site: &SiteOptions) -> Vec<(ArtifactPath, Vec<u8>)> {
    let memory = Memory::default();
    let no_progress = &|_: &str, _: usize, _: usize| {};
    // Memory never fails.
    let no_marks = Marks::new();
    let plans: Vec<&Plan> = checked.plans.iter().collect();
    let drawn = draw_diagrams(&plans, &no_marks, site.hooks, &memory, None, no_progress);
    if let Ok(diagrams) = drawn {
        let _ = run_tasks(
            checked,
            (site, None),
            None,
            diagrams,
            &memory,
            None,
            no_progress,
        );
    }
    let mut files = memory.0.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Runs the build. Errors in plans do not stop it: everything that can be built is built.
pub fn build(options: &BuildOptions, progress: Progress<'_>) -> std::io::Result<BuildResult> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.check.jobs)
        .build();
    let run = || -> std::io::Result<BuildResult> {
        let out = &options.out;
        std::fs::create_dir_all(out)?;
        let _lock = lock(out)?;
        // Temporary files are only left by a build that was killed, which leaves its journal.
        if out.join(JOURNAL).exists() {
            remove_leftovers(out);
        }
        let previous = Manifest::read(out);
        let journal = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(out.join(JOURNAL))?;
        let folder = Folder {
            out,
            previous: &previous,
            journal: Mutex::new(journal),
        };
        let base = match &options.base {
            Some(name) => {
                progress("reading the base", 0, 1);
                Some(Base::read(name, &options.check).map_err(std::io::Error::other)?)
            }
            None => None,
        };
        progress("checking", 0, 1);
        // Without a base to compare with, a plan's diagrams are drawn as soon as it is read,
        // and their models go: at 10,000 plans, holding them all until the check ended was a
        // fifth of the peak memory. The plans drawn then, with what drawing them gave.
        let drawn_early: Mutex<Vec<(String, std::io::Result<Diagrams>)>> = Mutex::default();
        let draw_early = |inputs: &Inputs| {
            let later = sharing_a_diagram_folder(inputs);
            let no_marks = Marks::new();
            let drawn_early = &drawn_early;
            let folder = &folder;
            let early = base.is_none();
            let hooks = options.hooks();
            move |plan: &Plan| {
                if !early || later.contains(plan.path.as_str()) {
                    return false;
                }
                let paths = plan_diagram_paths(plan);
                if !paths.is_empty() {
                    let drawn = create_folders(out, paths.iter().map(|(_, p)| p))
                        .and_then(|()| draw_plan(plan, &paths, &no_marks, hooks, folder));
                    let mut all = drawn_early.lock().unwrap_or_else(|e| e.into_inner());
                    all.push((plan.path.clone(), drawn));
                }
                true
            }
        };
        let (mut checked, drawn_later) = check_alongside(&options.check, draw_early, |head| {
            let marks = match &base {
                Some(base) => base.marks(head, &options.check),
                None => Marks::new(),
            };
            let early = drawn_early.lock().unwrap_or_else(|e| e.into_inner());
            let early: HashSet<&str> = early.iter().map(|(plan, _)| plan.as_str()).collect();
            let later: Vec<&Plan> = (head.plans.iter())
                .filter(|p| !early.contains(p.path.as_str()))
                .collect();
            draw_diagrams(
                &later,
                &marks,
                options.hooks(),
                &folder,
                Some(out),
                progress,
            )
        });
        // In plan order, as the drawings' findings are reported in it.
        let mut drawn = drawn_early.into_inner().unwrap_or_else(|e| e.into_inner());
        drawn.sort_by(|a, b| a.0.cmp(&b.0));
        let diagrams = (drawn.into_iter())
            .map(|(_, drawn)| drawn)
            .chain([drawn_later])
            .try_fold(Diagrams::default(), |all, drawn| {
                drawn.map(|drawn| all.merge(drawn))
            })?;
        let changes = base.map(|base| base.report(&checked, &options.check));
        // Every diagram is drawn and compared with the base: what the rest of the build asks
        // of a block is its family and whether it was drawn.
        for block in checked.plans.iter_mut().flat_map(|p| p.blocks.iter_mut()) {
            block.model.release_diagram();
        }
        let site = SiteOptions {
            hooks: options.hooks(),
            ..SiteOptions::from_config(options.check.tuning.config.as_ref(), &checked.root.dir)
        };
        let run_key = run_key(options, &site, &checked);
        // A base revision may have moved since the previous build: compared anew every time.
        let unchanged = (folder.previous.run_key == Some(run_key) && changes.is_none())
            .then(|| folder.previous_rest())
            .flatten();
        let (tally, site_key) = match unchanged {
            Some(rest) => {
                let mut tally = diagrams.tally;
                tally.entries.extend(rest);
                tally.entries.sort_by(|a, b| a.path.cmp(&b.path));
                (tally, previous.site_key)
            }
            None => {
                let model_key = smithy_key(&options.check, &checked);
                run_tasks(
                    &checked,
                    (&site, changes.as_ref()),
                    Some(model_key),
                    diagrams,
                    &folder,
                    Some(out),
                    progress,
                )?
            }
        };
        checked
            .diagnostics
            .extend(tally.diagnostics.iter().cloned());
        let removed = remove_stale(out, &previous, &tally.entries, (run_key, site_key))?;
        // The manifest now lists every file written; the journal of this run is no longer needed.
        let _ = std::fs::remove_file(out.join(JOURNAL));
        let artifacts = tally.entries.iter().filter(|e| e.file.is_some()).count();
        Ok(BuildResult {
            checked,
            artifacts,
            changed: tally.changed,
            removed,
            drawn: tally.drawn,
            pages: tally.pages,
        })
    };
    match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Locks `out` for this build (released when the file is dropped, or when the process ends).
///
/// A lock that is busy is tried again for a moment before giving up: the lock belongs to the
/// open file, and a process that another thread of ours forks holds a copy of the descriptor
/// until it executes its program. A build that follows another one in the same process (the
/// language server, tests) would otherwise find its predecessor's lock held by such a child.
fn lock(out: &Path) -> std::io::Result<std::fs::File> {
    const ATTEMPTS: u32 = 100;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(LOCK))?;
    let mut attempt = 1;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if attempt < ATTEMPTS => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::WouldBlock,
                    "another plansmith build is writing into this folder",
                ))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Removes the temporary files (`.NAME.plansmith-PID.tmp`) of builds that were killed while
/// writing. Only this build holds the lock, so none of them is still being written. Links are
/// not followed.
fn remove_leftovers(out: &Path) {
    let mut folders = vec![out.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                folders.push(entry.path());
            } else if kind.is_file()
                && name.starts_with('.')
                && name.ends_with(".tmp")
                && name.contains(".plansmith-")
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The first folder between `out` and `path` (exclusive) that is a symbolic link: writing or
/// removing through it would reach outside `out`.
fn linked_folder(out: &Path, path: &ArtifactPath) -> Option<PathBuf> {
    let mut folder = out.to_path_buf();
    let parts: Vec<&str> = path.as_str().split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        folder.push(part);
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(folder);
        }
    }
    None
}

/// Removes what the previous build wrote and this one did not, then records this build.
fn remove_stale(
    out: &Path,
    previous: &Manifest,
    entries: &[Entry],
    (run_key, site_key): (u128, Option<u128>),
) -> std::io::Result<usize> {
    let current: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.file.is_some())
        .map(|e| e.path.as_str())
        .collect();
    let mut removed = 0;
    let stale: BTreeSet<&str> = previous
        .paths()
        .filter(|p| !p.is_empty() && !current.contains(p))
        .collect();
    for stale in stale {
        // Only paths this tool can have written: those an `ArtifactPath` leaves unchanged.
        let path = ArtifactPath::new(stale);
        if path != stale || linked_folder(out, &path).is_some() {
            continue;
        }
        if std::fs::remove_file(path.under(out)).is_ok() {
            removed += 1;
        }
    }
    write_atomic(
        &out.join(MANIFEST),
        Manifest::text(run_key, site_key, entries).as_bytes(),
    )?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_header_holds_the_run_key_and_then_the_site_key() {
        let entry = Entry {
            path: ArtifactPath::new("index.html"),
            file: Some((3, 7)),
            key: Some(9),
        };
        let both = Manifest::parse(&Manifest::text(1, Some(2), std::slice::from_ref(&entry)));
        assert_eq!((both.run_key, both.site_key), (Some(1), Some(2)));
        assert_eq!(both.entries["index.html"], entry);
        let run_only = Manifest::parse(&Manifest::text(1, None, &[]));
        assert_eq!((run_only.run_key, run_only.site_key), (Some(1), None));
        // An older header names the run's key alone, or no key.
        let older = Manifest::parse(&format!("{MANIFEST_HEADER}\n"));
        assert_eq!((older.run_key, older.site_key), (None, None));
        let unreadable = Manifest::parse(&format!("{MANIFEST_HEADER} 1 zz\n"));
        assert_eq!((unreadable.run_key, unreadable.site_key), (Some(1), None));
    }
}
