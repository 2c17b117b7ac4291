//! Dependencies between plans: each Dependencies entry resolved to a plan or an external
//! system, implied edges from Smithy shape use added, and the graph checked for cycles and for
//! review problems (dates, statuses). Also the implementation order, wave by wave.
//!
//! Works on plans already read; reads no files (only asks whether a linked path exists).

mod format;

pub use format::{render_dot, render_json, render_mermaid, render_order, status_colour};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Span};
use crate::layout_budget::LayoutSize;
use crate::plan::metadata::Status;
use crate::plan::{Dependency, DependencyKind, LinkRoot, Plan};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// One use of a shape defined in another plan, found in a plan's Smithy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShapeUse {
    pub from_plan: String,
    pub to_plan: String,
    pub shape: String,
    /// Where the reference stands (in `from_plan`).
    pub at: Span,
    /// Where the shape is defined (in `to_plan`).
    pub defined_at: Span,
}

/// A node of the plan graph: a plan, or an external dependency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The plan's path, or `external:<name>`.
    pub id: String,
    pub label: String,
    pub external: bool,
    pub status: Option<Status>,
}

/// An edge from a plan to what it depends on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub kind: DependencyKind,
    /// Where the edge comes from in the depending plan: its Dependencies entry, or the first
    /// Smithy reference for an implied edge.
    #[serde(skip)]
    pub at: Span,
    pub in_cycle: bool,
}

/// The checked plan graph.
#[derive(Debug, Clone, Default)]
pub struct PlanGraph {
    pub graph: DiGraph<Node, Edge>,
    /// Each cycle as plan paths in cycle order (first plan not repeated at the end).
    pub cycles: Vec<Vec<String>>,
}

/// Entries that mean "no dependencies".
fn is_none_entry(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.');
    ["none", "n/a", "na", "-", "—", "nothing", "no dependencies"]
        .iter()
        .any(|none| t.eq_ignore_ascii_case(none))
}

/// Lowercase letters and digits only: "Order management" and "order-management" meet.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name part of an entry such as "Catalog: product data" or "Stripe API (payments)".
fn entry_name(text: &str) -> &str {
    let cut = [": ", " — ", " – ", " - ", " (", ", "]
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .unwrap_or(text.len());
    text[..cut].trim().trim_end_matches(':')
}

/// Joins a relative link to the folder of `from` and normalises `.` and `..`. `None` when the
/// result would leave the run's root.
pub(crate) fn resolve_link(from: &str, link: &str) -> Option<String> {
    let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
    join_normalised(folder, link)
}

/// The identity a link written from the repository root (`/plans/x.md`, given here without its
/// leading `/`) names, `None` when it leaves the run's root.
pub(crate) fn resolve_root_link(link_root: Option<&LinkRoot>, link: &str) -> Option<String> {
    let Some(link_root) = link_root else {
        return join_normalised("", link);
    };
    let joined = join_normalised(&link_root.base, link)?;
    if link_root.root.is_empty() {
        return Some(joined);
    }
    joined
        .strip_prefix(link_root.root.as_str())
        .and_then(|rest| rest.strip_prefix('/'))
        .map(str::to_string)
}

/// `link` joined to `folder`, with `.` and `..` normalised; `None` when it climbs above
/// `folder`'s top.
fn join_normalised(folder: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for piece in link.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn is_url(link: &str) -> bool {
    let scheme_end = link.find(':').unwrap_or(0);
    scheme_end > 0
        && link[..scheme_end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
}

/// Resolves every plan's dependencies, builds the graph and checks it. `exists` tells whether a
/// link from a plan (plan path, link as written) names a file on disk. Running it again on the
/// same plans gives the same result: what an earlier run resolved or implied is reset first (the
/// language server re-runs it after each edit).
pub fn analyse(
    plans: &mut [Plan],
    shape_uses: &[ShapeUse],
    exists: &dyn Fn(&str, &str) -> bool,
) -> (PlanGraph, Vec<Diagnostic>) {
    for plan in plans.iter_mut() {
        plan.dependencies
            .retain(|d| d.kind != DependencyKind::Implied);
        for dependency in &mut plan.dependencies {
            dependency.target = None;
            dependency.kind = DependencyKind::External;
        }
    }
    let mut diagnostics = Vec::new();
    let index: HashMap<String, usize> = plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    for (i, plan) in plans.iter().enumerate().filter(|(_, p)| p.is_plan) {
        let stem = plan.path.strip_suffix(".md").unwrap_or(&plan.path);
        let folder = stem.strip_suffix("/plan").unwrap_or(stem);
        // A plan is named by the end of its path however deep the run's root lies:
        // `billing`, `team/billing`, `plans/team/billing` all name `plans/team/billing/plan.md`.
        let path_ends = folder
            .char_indices()
            .filter(|(_, c)| *c == '/')
            .map(|(at, _)| &folder[at + 1..]);
        let keys = [plan.name.as_str(), stem, folder, plan.path.as_str()]
            .into_iter()
            .chain(path_ends);
        for key in keys.map(fold) {
            if !key.is_empty() {
                by_key.entry(key).or_insert(i);
            }
        }
    }

    // 1. Resolve declared entries.
    for i in 0..plans.len() {
        let path = plans[i].path.clone();
        let mut kept = Vec::new();
        for mut dep in std::mem::take(&mut plans[i].dependencies) {
            if dep.link.is_none() && is_none_entry(&dep.text) {
                continue;
            }
            resolve_entry(
                &path,
                &mut dep,
                plans,
                &index,
                &by_key,
                exists,
                &mut diagnostics,
            );
            kept.push(dep);
        }
        plans[i].dependencies = kept;
    }

    // 2. Implied edges, and a warning where they were not declared.
    let mut implied: BTreeMap<(String, String), &ShapeUse> = BTreeMap::new();
    for use_ in shape_uses {
        if use_.from_plan != use_.to_plan {
            implied
                .entry((use_.from_plan.clone(), use_.to_plan.clone()))
                .or_insert(use_);
        }
    }
    for ((from, to), use_) in &implied {
        let (Some(&fi), Some(&ti)) = (index.get(from), index.get(to)) else {
            continue;
        };
        let declared = plans[fi]
            .dependencies
            .iter()
            .any(|d| d.target.as_deref() == Some(to.as_str()));
        if !declared {
            let to_name = plans[ti].name.clone();
            let entry = format!("- [{to_name}]({})", relative_link(from, to));
            let mut diagnostic = Diagnostic::new(
                Code::UndeclaredDependencyShape,
                format!(
                    "uses `{}` from plan `{to_name}` ({to}) without declaring the dependency",
                    use_.shape
                ),
                from.clone(),
                use_.at,
            )
            .with_help(format!("add `{entry}` to the Dependencies section"))
            .with_related(
                to.clone(),
                use_.defined_at,
                format!("`{}` is defined here", use_.shape),
            );
            if let Some((at, text)) = dependency_insertion(&plans[fi], &entry) {
                diagnostic = diagnostic.with_fix(at, text);
            }
            diagnostics.push(diagnostic);
            plans[fi].dependencies.push(Dependency {
                text: to_name,
                link: None,
                target: Some(to.clone()),
                kind: DependencyKind::Implied,
                span: use_.at,
            });
        }
    }

    // 3. The graph: plans first (sorted by path, as `plans` is), then externals.
    let mut graph: DiGraph<Node, Edge> = DiGraph::new();
    let mut nodes: HashMap<usize, NodeIndex> = HashMap::new();
    for (i, p) in plans.iter().enumerate().filter(|(_, p)| p.is_plan) {
        let node = Node {
            id: p.path.clone(),
            label: p.name.clone(),
            external: false,
            status: p.status,
        };
        nodes.insert(i, graph.add_node(node));
    }
    let mut externals: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for (i, plan) in plans.iter().enumerate() {
        let Some(&from) = nodes.get(&i) else { continue };
        for dep in &plan.dependencies {
            let target = match dep.target.as_ref().and_then(|t| nodes.get(&index[t])) {
                Some(&node) => node,
                None => {
                    let name = entry_name(&dep.text).to_string();
                    *externals.entry(fold(&name)).or_insert_with(|| {
                        graph.add_node(Node {
                            id: format!("external:{name}"),
                            label: name,
                            external: true,
                            status: None,
                        })
                    })
                }
            };
            if graph.find_edge(from, target).is_none() {
                graph.add_edge(
                    from,
                    target,
                    Edge {
                        kind: dep.kind,
                        at: dep.span,
                        in_cycle: false,
                    },
                );
            }
        }
    }

    let mut result = PlanGraph {
        graph,
        cycles: Vec::new(),
    };
    find_cycles(&mut result, &mut diagnostics);
    review(plans, &index, &mut diagnostics);
    diagnostics.extend(layout_budget(&result, plans));
    (result, diagnostics)
}

impl PlanGraph {
    /// The connected parts of the graph (edges taken both ways): each part's plans by node
    /// index, the parts in the order of their first plans. The drawing lays each part out on
    /// its own: the layered layout's cost grows faster than the graph it is given, and a
    /// thousand plans in groups of a few took a second as one graph.
    pub fn connected_parts(&self) -> Vec<Vec<usize>> {
        let g = &self.graph;
        let mut parts = petgraph::unionfind::UnionFind::<usize>::new(g.node_count());
        for e in g.edge_references() {
            parts.union(e.source().index(), e.target().index());
        }
        let mut part_of_root: HashMap<usize, usize> = HashMap::new();
        let mut found: Vec<Vec<usize>> = Vec::new();
        for node in 0..g.node_count() {
            let next = found.len();
            let part = *part_of_root.entry(parts.find(node)).or_insert(next);
            if part == next {
                found.push(Vec::new());
            }
            found[part].push(node);
        }
        found
    }

    /// The edges of one connected part ([`PlanGraph::connected_parts`]): each edge's index in
    /// the graph, and its ends as positions in `part`.
    pub fn part_edges(&self, part: &[usize]) -> Vec<(usize, usize, usize)> {
        let position: HashMap<usize, usize> =
            part.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        let mut edges: Vec<(usize, usize, usize)> = (part.iter())
            .flat_map(|&n| self.graph.edges(NodeIndex::new(n)))
            .filter_map(|e| {
                let from = *position.get(&e.source().index())?;
                let to = *position.get(&e.target().index())?;
                Some((e.id().index(), from, to))
            })
            .collect();
        // In the graph's order, as a layout of the whole graph takes them.
        edges.sort_unstable();
        edges
    }
}

/// DEP008: a connected part of the plan graph is too large for the layered layout (the measure
/// the renderer takes), so `build` draws it simplified. Reported at the first plan: the graph
/// is everyone's.
fn layout_budget(result: &PlanGraph, plans: &[Plan]) -> Option<Diagnostic> {
    let (excess, size) = result
        .connected_parts()
        .iter()
        .filter_map(|part| {
            let edges: Vec<(usize, usize, usize)> = (result.part_edges(part).into_iter())
                .map(|(_, from, to)| (from, to, 1))
                .collect();
            let excess = LayoutSize::measure(part.len(), &edges).excess()?;
            Some((excess, part.len()))
        })
        .max_by_key(|(_, size)| *size)?;
    let first = plans.iter().map(|p| p.path.as_str()).min()?;
    Some(
        Diagnostic::new(
            Code::DependencyGraphSimplified,
            format!(
                "a connected part of the dependency graph ({size} plans) is too large to lay out ({excess}); `build` draws its plans in rows with straight edges"
            ),
            first.to_string(),
            Span::point(1, 1),
        )
        .with_help("`plansmith graph --format dot` gives the whole graph for other tools"),
    )
}

fn relative_link(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count() - 1].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

#[allow(clippy::too_many_arguments)]
fn resolve_entry(
    path: &str,
    dep: &mut Dependency,
    plans: &[Plan],
    index: &HashMap<String, usize>,
    by_key: &BTreeMap<String, usize>,
    exists: &dyn Fn(&str, &str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(link) = dep
        .link
        .clone()
        .filter(|l| !is_url(l) && !l.starts_with('#'))
    {
        let file = crate::paths::decode_uri_path(link.split('#').next().unwrap_or(""));
        let target = match file.strip_prefix('/') {
            Some(from_root) => {
                let link_root = index.get(path).and_then(|&i| plans[i].link_root.as_ref());
                resolve_root_link(link_root, from_root)
            }
            None => resolve_link(path, &file),
        };
        match target.as_ref().and_then(|t| index.get(t)) {
            Some(&t) if plans[t].is_plan => {
                dep.target = Some(plans[t].path.clone());
                dep.kind = DependencyKind::Plan;
            }
            Some(&t) => diagnostics.push(
                Diagnostic::new(
                    Code::DeadPlanReference,
                    format!("dead plan reference: `{link}` is not a plan ({} has no plan header)", plans[t].path),
                    path,
                    dep.span,
                )
                .with_help("link to a plan file, or drop the link if this names an external system"),
            ),
            None if exists(path, &file) => diagnostics.push(
                Diagnostic::new(
                    Code::LinkedPlanNotChecked,
                    format!("`{link}` is not among the checked files, so its dependencies are not followed"),
                    path,
                    dep.span,
                )
                .with_help("add the folder that holds it to the paths plansmith checks, so that the link is followed"),
            ),
            None => match plan_named_by_leading_words(&dep.text, by_key) {
                // The text names a checked plan: one message with the corrected link, and the
                // entry counts as that plan (no undeclared-use warning, no external node).
                Some(t) => {
                    let named = &plans[t];
                    let new_link = relative_link(path, &named.path);
                    let mut diagnostic = Diagnostic::new(
                        Code::DeadPlanReference,
                        format!(
                            "dead plan reference: `{link}` does not exist, but the entry names plan `{}` ({})",
                            named.name, named.path
                        ),
                        path,
                        dep.span,
                    )
                    .with_help(format!("replace with [{}]({new_link})", named.name));
                    let written = index.get(path).and_then(|&i| link_span(&plans[i], dep.span.line, &link));
                    if let Some(span) = written {
                        diagnostic = diagnostic.with_fix(span, new_link);
                    }
                    diagnostics.push(diagnostic);
                    dep.target = Some(named.path.clone());
                    dep.kind = DependencyKind::Plan;
                }
                None => diagnostics.push(
                    Diagnostic::new(Code::DeadPlanReference, format!("dead plan reference: `{link}` does not exist"), path, dep.span)
                        .with_help("fix the link, or name the plan without a link"),
                ),
            },
        }
        return;
    }
    if let Some(t) = plan_named(&dep.text, by_key) {
        dep.target = Some(plans[t].path.clone());
        dep.kind = DependencyKind::Plan;
    }
}

/// Where a new entry goes in a plan's Dependencies section, and the text to insert there: a line
/// after the last declared entry, else after the section's heading. `None` without the section.
fn dependency_insertion(plan: &Plan, entry: &str) -> Option<(Span, String)> {
    let heading = plan.dependencies_heading?;
    let last_entry = plan
        .dependencies
        .iter()
        .filter(|d| d.kind != DependencyKind::Implied)
        .map(|d| d.span.end_line)
        .max();
    Some(match last_entry {
        Some(line) => (Span::point(line + 1, 1), format!("{entry}\n")),
        None => (Span::point(heading.end_line + 1, 1), format!("\n{entry}\n")),
    })
}

/// The plan an entry's text names ("Identity", "Order management: for orders", "payments").
fn plan_named(text: &str, by_key: &BTreeMap<String, usize>) -> Option<usize> {
    let exact = [fold(text), fold(entry_name(text))]
        .into_iter()
        .find_map(|key| {
            let key = key
                .strip_suffix("plan")
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .unwrap_or(key);
            by_key.get(&key).copied()
        });
    exact
}

/// The plan named by the longest run of leading words of a linked entry's text: the link text
/// comes first (`[Users](../user/plan.md) for the customer`).
fn plan_named_by_leading_words(text: &str, by_key: &BTreeMap<String, usize>) -> Option<usize> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=words.len())
        .rev()
        .find_map(|n| plan_named(&words[..n].join(" "), by_key))
}

/// Where the destination of the link `(link)` stands on a line of a plan.
fn link_span(plan: &Plan, line: u32, link: &str) -> Option<Span> {
    let text = plan
        .source
        .text
        .lines()
        .nth(line.checked_sub(1)? as usize)?;
    let at = text.find(&format!("]({link}"))? + 2;
    let column = text[..at].chars().count() as u32 + 1;
    Some(Span {
        line,
        column,
        end_line: line,
        end_column: column + link.chars().count() as u32,
    })
}

/// Cycle groups up to this many plans are searched for their globally shortest cycle.
const EXHAUSTIVE_CYCLE_SEARCH: usize = 1000;

/// Every strongly connected component of more than one plan, or a plan that depends on itself,
/// is one cycle, reported once with a shortest cycle of the group.
fn find_cycles(result: &mut PlanGraph, diagnostics: &mut Vec<Diagnostic>) {
    let graph = &result.graph;
    let mut components: Vec<Vec<NodeIndex>> = petgraph::algo::tarjan_scc(graph)
        .into_iter()
        .map(|mut c| {
            c.sort_by(|a, b| graph[*a].id.cmp(&graph[*b].id));
            c
        })
        .filter(|c| c.len() > 1 || graph.find_edge(c[0], c[0]).is_some())
        .collect();
    components.sort_by(|a, b| graph[a[0]].id.cmp(&graph[b[0]].id));

    let mut cycle_edges = Vec::new();
    for component in components {
        // The shortest cycle of the whole group, the first by path among equals. Searching from
        // every plan costs a breadth-first search each, so a very large group gets the shortest
        // cycle through its first plan instead.
        let starts = if component.len() <= EXHAUSTIVE_CYCLE_SEARCH {
            &component[..]
        } else {
            &component[..1]
        };
        let mut best: Option<Vec<NodeIndex>> = None;
        for &start in starts {
            if let Some(cycle) = shortest_cycle(graph, start, &component) {
                if best.as_ref().is_none_or(|b| cycle.len() < b.len()) {
                    best = Some(cycle);
                }
            }
        }
        let Some(cycle) = best else { continue };
        let paths: Vec<String> = cycle.iter().map(|n| graph[*n].id.clone()).collect();
        let mut hops = Vec::new();
        for (k, &from) in cycle.iter().enumerate() {
            let to = cycle[(k + 1) % cycle.len()];
            if let Some(e) = graph.find_edge(from, to) {
                cycle_edges.push(e);
                hops.push((from, to, graph[e].kind, graph[e].at));
            }
        }
        let mut shown: Vec<String> = paths.clone();
        shown.push(paths[0].clone());
        let kinds: Vec<String> = hops
            .iter()
            .map(|(f, t, kind, _)| {
                let how = if *kind == DependencyKind::Implied {
                    "implied by Smithy use"
                } else {
                    "declared"
                };
                format!("{} → {} ({how})", graph[*f].id, graph[*t].id)
            })
            .collect();
        let Some(&(closing_from, _, _, closing_at)) = hops.last() else {
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            Code::DependencyCycle,
            format!("dependency cycle: {}; {}", shown.join(" → "), kinds.join(", ")),
            graph[closing_from].id.clone(),
            closing_at,
        )
        .with_help("plans in a cycle cannot be implemented one after the other; remove or invert one dependency");
        for (from, to, _, at) in &hops[..hops.len() - 1] {
            diagnostic = diagnostic.with_related(
                graph[*from].id.clone(),
                *at,
                format!("depends on {}", graph[*to].id),
            );
        }
        if component.len() > cycle.len() {
            let others: Vec<&str> = component
                .iter()
                .filter(|n| !cycle.contains(n))
                .map(|n| graph[*n].id.as_str())
                .collect();
            diagnostic.message.push_str(&format!(
                "; also in this cycle group: {}",
                others.join(", ")
            ));
        }
        diagnostics.push(diagnostic);
        result.cycles.push(paths);
    }
    for e in cycle_edges {
        result.graph[e].in_cycle = true;
    }
}

/// Breadth-first search from `start` back to itself inside `component`, neighbours in path
/// order, so the cycle found is a shortest one and always the same one.
fn shortest_cycle(
    graph: &DiGraph<Node, Edge>,
    start: NodeIndex,
    component: &[NodeIndex],
) -> Option<Vec<NodeIndex>> {
    if graph.find_edge(start, start).is_some() {
        return Some(vec![start]);
    }
    let inside: std::collections::HashSet<NodeIndex> = component.iter().copied().collect();
    let mut previous: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph
            .edges(node)
            .map(|e| e.target())
            .filter(|t| inside.contains(t))
            .collect();
        next.sort_by(|a, b| graph[*a].id.cmp(&graph[*b].id));
        for target in next {
            if target == start {
                let mut cycle = vec![node];
                while let Some(&p) = previous.get(cycle.last().unwrap_or(&start)) {
                    cycle.push(p);
                }
                cycle.reverse();
                return Some(cycle);
            }
            if let std::collections::hash_map::Entry::Vacant(v) = previous.entry(target) {
                v.insert(node);
                queue.push_back(target);
            }
        }
    }
    None
}

/// Review checks on each resolved plan-to-plan dependency.
fn review(plans: &[Plan], index: &HashMap<String, usize>, diagnostics: &mut Vec<Diagnostic>) {
    for plan in plans {
        for dep in &plan.dependencies {
            let Some(target) = dep
                .target
                .as_ref()
                .and_then(|t| index.get(t))
                .map(|&t| &plans[t])
            else {
                continue;
            };
            if target.path == plan.path {
                continue;
            }
            if let (Some(mine), Some(theirs)) = (&plan.target_date, &target.target_date) {
                if mine < theirs {
                    diagnostics.push(Diagnostic::new(
                        Code::TargetDateBeforeDependency,
                        format!("target date {mine} is earlier than {theirs}, the target date of `{}`, which this plan depends on", target.name),
                        plan.path.clone(),
                        dep.span,
                    ));
                }
            }
            if target.status == Some(Status::Cancelled) {
                diagnostics.push(Diagnostic::new(
                    Code::DependsOnCancelledPlan,
                    format!("depends on `{}`, which is Cancelled", target.name),
                    plan.path.clone(),
                    dep.span,
                ));
            } else if let (
                Some(status @ (Status::Completed | Status::Approved)),
                Some(theirs @ (Status::Draft | Status::OnHold)),
            ) = (plan.status, target.status)
            {
                diagnostics.push(Diagnostic::new(
                    Code::FinishedDependsOnUnfinished,
                    format!(
                        "this plan is {status} but depends on `{}`, which is {theirs}",
                        target.name
                    ),
                    plan.path.clone(),
                    dep.span,
                ));
            }
        }
    }
}

/// The implementation order: waves of plans that can proceed in parallel, each wave depending
/// only on earlier ones. A cycle is collapsed into one group, flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wave {
    pub number: usize,
    /// Groups of plans; a group of more than one plan (or a self-dependent one) is a cycle.
    pub groups: Vec<WaveGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveGroup {
    pub plans: Vec<String>,
    pub cycle: bool,
}

pub fn waves(result: &PlanGraph) -> Vec<Wave> {
    let graph = &result.graph;
    let plan_nodes = |n: &NodeIndex| !graph[*n].external;
    let components: Vec<Vec<NodeIndex>> = petgraph::algo::tarjan_scc(graph)
        .into_iter()
        .map(|c| c.into_iter().filter(plan_nodes).collect::<Vec<_>>())
        .filter(|c| !c.is_empty())
        .collect();
    let mut component_of: HashMap<NodeIndex, usize> = HashMap::new();
    for (i, c) in components.iter().enumerate() {
        for n in c {
            component_of.insert(*n, i);
        }
    }
    // tarjan_scc yields components in reverse topological order: dependencies come first.
    let mut level = vec![0usize; components.len()];
    for (i, c) in components.iter().enumerate() {
        let mut depth = 0;
        for n in c {
            for e in graph.edges(*n) {
                if let Some(&j) = component_of.get(&e.target()) {
                    if j != i {
                        depth = depth.max(level[j] + 1);
                    }
                }
            }
        }
        level[i] = depth;
    }
    let mut by_level: BTreeMap<usize, Vec<WaveGroup>> = BTreeMap::new();
    for (i, c) in components.iter().enumerate() {
        let mut plans: Vec<String> = c.iter().map(|n| graph[*n].id.clone()).collect();
        plans.sort();
        let cycle = plans.len() > 1 || graph.find_edge(c[0], c[0]).is_some();
        by_level
            .entry(level[i])
            .or_default()
            .push(WaveGroup { plans, cycle });
    }
    by_level
        .into_iter()
        .map(|(l, mut groups)| {
            groups.sort_by(|a, b| a.plans.cmp(&b.plans));
            Wave {
                number: l + 1,
                groups,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_the_plan() {
        assert_eq!(
            resolve_link("orders/plan.md", "../identity/plan.md").as_deref(),
            Some("identity/plan.md")
        );
        assert_eq!(
            resolve_link("plan.md", "./a/b.md").as_deref(),
            Some("a/b.md")
        );
        assert_eq!(resolve_link("plan.md", "../outside.md"), None);
        assert_eq!(
            relative_link("orders/plan.md", "identity/plan.md"),
            "../identity/plan.md"
        );
        assert_eq!(relative_link("a.md", "b/c.md"), "b/c.md");
    }

    #[test]
    fn entry_names() {
        assert_eq!(entry_name("Catalog: product data"), "Catalog");
        assert_eq!(entry_name("Stripe API (payments)"), "Stripe API");
        assert!(is_none_entry("None."));
        assert!(is_url("https://x.org") && !is_url("../a.md"));
    }
}
