//! `build`: everything `check` does, then every artifact, in parallel: the diagrams as SVG, a
//! map per service, the plan dependency graph, the merged Smithy model, the interface
//! catalogue (JSON and Markdown) and the review site.
//!
//! Artifacts are produced in memory, sorted by path, and written atomically; a file that
//! already holds the same bytes is left alone, so a second run over unchanged inputs rewrites
//! nothing. Files a previous build wrote and this one does not are removed (only those: the
//! list of written files is kept in `.plansmith-build`).

use crate::catalogue::{catalogue, catalogue_markdown};
use crate::check::{check, CheckOptions, Checked};
use crate::mermaid::Detected;
use crate::output::{write_atomic, ArtifactPath, Written};
use crate::plan::{BlockKind, BlockModel};
use crate::render::{render_parsed, services};
use crate::site::{site_pages, DiagramArtifact, SiteInput};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The file listing what the last build wrote.
const MANIFEST: &str = ".plansmith-build";

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub check: CheckOptions,
    pub out: PathBuf,
}

#[derive(Debug, Default)]
pub struct BuildResult {
    pub checked: Checked,
    pub artifacts: usize,
    pub changed: usize,
    pub removed: usize,
}

/// Stages reported to a progress display: (stage name, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// The file name of a service's artifacts: `#` would start a URL fragment, and shape names
/// cannot hold `-`, so `com.example#Orders` becomes `com.example-Orders`.
pub fn service_file_stem(id: &str) -> String {
    id.replace('#', "-")
}

/// Renders every valid mermaid block of every plan, in parallel, in plan and block order.
pub fn render_diagrams(checked: &Checked) -> Vec<DiagramArtifact> {
    let blocks: Vec<(usize, &crate::plan::Plan, &crate::plan::Block)> = checked
        .plans
        .iter()
        .enumerate()
        .flat_map(|(i, plan)| {
            plan.blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Mermaid)
                .map(move |b| (i, plan, b))
        })
        .collect();
    blocks
        .par_iter()
        .filter_map(|(i, plan, block)| {
            let BlockModel::Mermaid(parsed) = &block.model else {
                return None;
            };
            let rendered = render_parsed(&block.source, parsed, &format!("p{i}b{}-", block.index))?;
            let family = block.diagram().map(Detected::name).unwrap_or_default();
            let stem = plan.path.strip_suffix(".md").unwrap_or(&plan.path);
            Some(DiagramArtifact {
                plan: plan.path.clone(),
                block: block.index,
                line: block.line,
                file: ArtifactPath::new(&format!(
                    "diagrams/{stem}/{:02}-{family}.svg",
                    block.index
                )),
                family: family.to_string(),
                svg: rendered.svg,
            })
        })
        .collect()
}

/// Every artifact of a checked run, as (relative path, bytes), sorted by path.
pub fn artifacts(checked: &Checked) -> Vec<(ArtifactPath, Vec<u8>)> {
    let diagrams = render_diagrams(checked);
    let maps: BTreeMap<String, String> = services::service_maps(&checked.model)
        .into_iter()
        .map(|(id, map)| (id, map.svg))
        .collect();
    let plan_graph = crate::render::plans::render_plan_graph(&checked.graph, "g-").svg;
    let catalogue = catalogue(checked);
    let mut files: Vec<(ArtifactPath, Vec<u8>)> = Vec::new();
    for d in &diagrams {
        files.push((d.file.clone(), d.svg.clone().into_bytes()));
    }
    for (id, svg) in &maps {
        files.push((
            ArtifactPath::from_components(["services", &format!("{}.svg", service_file_stem(id))]),
            svg.clone().into_bytes(),
        ));
    }
    fn json(value: &impl serde::Serialize) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }
    files.push((
        ArtifactPath::new("dependencies.svg"),
        plan_graph.clone().into_bytes(),
    ));
    files.push((
        ArtifactPath::new("model.json"),
        json(&checked.model.json_ast()),
    ));
    files.push((
        ArtifactPath::new("catalogue.json"),
        json(&serde_json::to_value(&catalogue).unwrap_or_default()),
    ));
    files.push((
        ArtifactPath::new("catalogue.md"),
        catalogue_markdown(&catalogue).into_bytes(),
    ));
    let site = SiteInput {
        checked,
        catalogue: &catalogue,
        diagrams: &diagrams,
        service_maps: &maps,
        dependency_graph: Some(&plan_graph),
    };
    files.extend(
        site_pages(&site)
            .into_iter()
            .map(|(path, html)| (path, html.into_bytes())),
    );
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// Runs the build. Errors in plans do not stop it: everything that can be built is built.
pub fn build(options: &BuildOptions, progress: Progress<'_>) -> std::io::Result<BuildResult> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.check.jobs)
        .build();
    let run = || -> std::io::Result<BuildResult> {
        progress("checking", 0, 1);
        let checked = check(&options.check);
        progress("rendering", 0, 1);
        let files = artifacts(&checked);
        progress("writing", 0, files.len());
        let out = &options.out;
        std::fs::create_dir_all(out)?;
        let done = std::sync::atomic::AtomicUsize::new(0);
        let written: Vec<std::io::Result<Written>> = files
            .par_iter()
            .map(|(path, bytes)| {
                let result = write_atomic(&path.under(out), bytes);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress("writing", n, files.len());
                result
            })
            .collect();
        let mut changed = 0;
        for result in written {
            if result? == Written::Changed {
                changed += 1;
            }
        }
        let removed = remove_stale(out, &files)?;
        Ok(BuildResult {
            checked,
            artifacts: files.len(),
            changed,
            removed,
        })
    };
    match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Removes what the previous build wrote and this one did not, then records this build's files.
fn remove_stale(out: &Path, files: &[(ArtifactPath, Vec<u8>)]) -> std::io::Result<usize> {
    let current: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let previous = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
    let mut removed = 0;
    for stale in previous
        .lines()
        .filter(|l| !l.is_empty() && !current.contains(l))
    {
        // Only paths this tool can have written: those an `ArtifactPath` leaves unchanged.
        let path = ArtifactPath::new(stale);
        if path != stale {
            continue;
        }
        if std::fs::remove_file(path.under(out)).is_ok() {
            removed += 1;
        }
    }
    let mut manifest = current.iter().copied().collect::<Vec<_>>().join("\n");
    manifest.push('\n');
    write_atomic(&out.join(MANIFEST), manifest.as_bytes())?;
    Ok(removed)
}
