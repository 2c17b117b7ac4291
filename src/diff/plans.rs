//! Plan changes between two checked runs: plans added and removed, metadata changes (a later
//! target date is a slip), dependency edges and new cycles, acceptance progress, and diagrams
//! added, removed or changed with the nodes and edges that changed.

use crate::check::Checked;
use crate::mermaid::detect;
use crate::plan::metadata::parse_date;
use crate::plan::metadata::Status;
use crate::plan::{Block, BlockKind, Plan, Progress};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One change to one plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChange {
    /// The plan's path.
    pub plan: String,
    #[serde(flatten)]
    pub kind: PlanChangeKind,
}

/// A diagram named by where it stands: its section and its position among the section's
/// diagrams (1-based), and its family.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DiagramRef {
    pub section: String,
    pub ordinal: usize,
    pub family: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum PlanChangeKind {
    Added,
    Removed,
    Status {
        from: Option<Status>,
        to: Option<Status>,
    },
    Owner {
        from: Option<String>,
        to: Option<String>,
    },
    TargetDate {
        from: Option<String>,
        to: Option<String>,
        /// The new date is later than the old one.
        slipped: bool,
    },
    DependencyAdded {
        target: String,
    },
    DependencyRemoved {
        target: String,
    },
    /// A dependency cycle the base did not have, as plan paths in cycle order.
    NewCycle {
        plans: Vec<String>,
    },
    Acceptance {
        from: (usize, usize),
        to: (usize, usize),
    },
    DiagramAdded {
        diagram: DiagramRef,
    },
    DiagramRemoved {
        diagram: DiagramRef,
    },
    DiagramChanged {
        diagram: DiagramRef,
        nodes_added: Vec<String>,
        nodes_removed: Vec<String>,
        edges_added: Vec<String>,
        edges_removed: Vec<String>,
    },
}

impl PlanChangeKind {
    /// A new dependency cycle breaks the implementation order.
    pub fn is_breaking(&self) -> bool {
        matches!(self, PlanChangeKind::NewCycle { .. })
    }

    /// A slipped target date deserves attention.
    pub fn is_warning(&self) -> bool {
        matches!(self, PlanChangeKind::TargetDate { slipped: true, .. })
    }
}

impl PlanChange {
    /// One sentence saying what changed.
    pub fn message(&self) -> String {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
        match &self.kind {
            PlanChangeKind::Added => "plan added".to_string(),
            PlanChangeKind::Removed => "plan removed".to_string(),
            PlanChangeKind::Status { from, to } => {
                let label = |v: &Option<Status>| v.map_or("(none)", Status::label);
                format!("status changed from {} to {}", label(from), label(to))
            }
            PlanChangeKind::Owner { from, to } => {
                format!("owner changed from {} to {}", or_none(from), or_none(to))
            }
            PlanChangeKind::TargetDate { from, to, slipped } => format!(
                "target date {} from {} to {}",
                if *slipped { "slipped" } else { "changed" },
                or_none(from),
                or_none(to)
            ),
            PlanChangeKind::DependencyAdded { target } => format!("dependency on {target} added"),
            PlanChangeKind::DependencyRemoved { target } => {
                format!("dependency on {target} removed")
            }
            PlanChangeKind::NewCycle { plans } => {
                let mut cycle = plans.clone();
                cycle.extend(plans.first().cloned());
                format!("new dependency cycle: {}", cycle.join(" → "))
            }
            PlanChangeKind::Acceptance { from, to } => format!(
                "acceptance criteria met: {}/{} → {}/{}",
                from.0, from.1, to.0, to.1
            ),
            PlanChangeKind::DiagramAdded { diagram } => format!("{} added", describe(diagram)),
            PlanChangeKind::DiagramRemoved { diagram } => format!("{} removed", describe(diagram)),
            PlanChangeKind::DiagramChanged {
                diagram,
                nodes_added,
                nodes_removed,
                edges_added,
                edges_removed,
            } => {
                let counts = [
                    (nodes_added.len(), "node", "added"),
                    (nodes_removed.len(), "node", "removed"),
                    (edges_added.len(), "edge", "added"),
                    (edges_removed.len(), "edge", "removed"),
                ];
                let parts: Vec<String> = counts
                    .iter()
                    .filter(|(n, _, _)| *n > 0)
                    .map(|(n, what, how)| {
                        format!("{n} {what}{} {how}", if *n == 1 { "" } else { "s" })
                    })
                    .collect();
                if parts.is_empty() {
                    format!("{} changed (text only)", describe(diagram))
                } else {
                    format!("{} changed: {}", describe(diagram), parts.join(", "))
                }
            }
        }
    }
}

fn describe(diagram: &DiagramRef) -> String {
    let section = if diagram.section.is_empty() {
        "the plan".to_string()
    } else {
        format!("“{}”", diagram.section)
    };
    format!(
        "{} diagram {} of {section}",
        diagram.family, diagram.ordinal
    )
}

/// One side of the comparison: a checked run, and the prefix its plan paths have (the
/// compared folder, relative to the run's root), so that both sides name a plan alike.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub checked: &'a Checked,
    pub prefix: &'a str,
}

impl<'a> Side<'a> {
    pub fn of(checked: &'a Checked, prefix: &'a str) -> Side<'a> {
        Side { checked, prefix }
    }

    /// A path of the run, relative to the compared folder.
    fn key(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            return path.to_string();
        }
        path.strip_prefix(self.prefix)
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(path)
            .to_string()
    }
}

/// Every plan change from `old` to `new`, sorted by plan, then in the order of the kinds.
pub fn compare(old: Side, new: Side) -> Vec<PlanChange> {
    let old_plans = plans(old);
    let new_plans = plans(new);
    let old_edges = edges(old);
    let new_edges = edges(new);
    let mut changes = Vec::new();
    let paths: BTreeSet<&String> = old_plans.keys().chain(new_plans.keys()).collect();
    for path in paths {
        let change = |kind| PlanChange {
            plan: path.clone(),
            kind,
        };
        match (old_plans.get(path), new_plans.get(path)) {
            (None, Some(_)) => changes.push(change(PlanChangeKind::Added)),
            (Some(_), None) => changes.push(change(PlanChangeKind::Removed)),
            (Some(a), Some(b)) => {
                changes.extend(metadata(a, b).into_iter().map(change));
                let no_edges = BTreeSet::new();
                let (before, after) = (
                    old_edges.get(path.as_str()).unwrap_or(&no_edges),
                    new_edges.get(path.as_str()).unwrap_or(&no_edges),
                );
                for target in after.difference(before) {
                    changes.push(change(PlanChangeKind::DependencyAdded {
                        target: target.clone(),
                    }));
                }
                for target in before.difference(after) {
                    changes.push(change(PlanChangeKind::DependencyRemoved {
                        target: target.clone(),
                    }));
                }
                if a.acceptance != b.acceptance {
                    let pair = |p: &Progress| (p.done, p.total);
                    changes.push(change(PlanChangeKind::Acceptance {
                        from: pair(&a.acceptance),
                        to: pair(&b.acceptance),
                    }));
                }
                changes.extend(diagrams(a, b).into_iter().map(change));
            }
            (None, None) => {}
        }
    }
    let cycles = |side: Side| -> Vec<Vec<String>> {
        let graph = &side.checked.graph;
        graph
            .cycles
            .iter()
            .map(|c| c.iter().map(|p| side.key(p)).collect())
            .collect()
    };
    let known: BTreeSet<Vec<String>> = cycles(old).iter().map(|c| sorted(c)).collect();
    for cycle in cycles(new) {
        if !known.contains(&sorted(&cycle)) {
            if let Some(first) = cycle.first().cloned() {
                changes.push(PlanChange {
                    plan: first,
                    kind: PlanChangeKind::NewCycle { plans: cycle },
                });
            }
        }
    }
    changes.sort_by(|a, b| a.plan.cmp(&b.plan));
    changes
}

fn sorted(cycle: &[String]) -> Vec<String> {
    let mut members = cycle.to_vec();
    members.sort();
    members
}

fn plans<'a>(side: Side<'a>) -> BTreeMap<String, &'a Plan> {
    side.checked
        .plans
        .iter()
        .filter(|p| p.is_plan)
        .map(|p| (side.key(&p.path), p))
        .collect()
}

/// Each plan's dependency targets (plan paths, or `external:<name>`).
fn edges(side: Side) -> BTreeMap<String, BTreeSet<String>> {
    let graph = &side.checked.graph.graph;
    let mut by_plan: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for edge in graph.edge_references() {
        let from = side.key(&graph[edge.source()].id);
        let to = side.key(&graph[edge.target()].id);
        by_plan.entry(from).or_default().insert(to);
    }
    by_plan
}

fn metadata(a: &Plan, b: &Plan) -> Vec<PlanChangeKind> {
    let mut changes = Vec::new();
    if a.status != b.status {
        changes.push(PlanChangeKind::Status {
            from: a.status,
            to: b.status,
        });
    }
    if a.owner != b.owner {
        changes.push(PlanChangeKind::Owner {
            from: a.owner.clone(),
            to: b.owner.clone(),
        });
    }
    if a.target_date != b.target_date {
        // Dates in either of the template's forms compare once written as YYYY-MM-DD.
        let iso = |d: Option<&str>| d.and_then(|d| parse_date(d).ok());
        let slipped = match (iso(a.target_date.as_deref()), iso(b.target_date.as_deref())) {
            (Some(from), Some(to)) => to > from,
            _ => false,
        };
        changes.push(PlanChangeKind::TargetDate {
            from: a.target_date.clone(),
            to: b.target_date.clone(),
            slipped,
        });
    }
    changes
}

/// A diagram of a plan: where it stands, and its block (whose nodes and edges are read only
/// when its text changed: a diff side leaves its diagrams unparsed).
struct Diagram<'a> {
    reference: DiagramRef,
    block: &'a Block,
}

impl Diagram<'_> {
    fn text(&self) -> &str {
        &self.block.source.text
    }

    fn parts(&self) -> Parts {
        Parts::of(self.block)
    }
}

/// The nodes of a diagram by id, with what is drawn of each (label, kind, group), and its
/// edges as (from, to, label).
#[derive(Default)]
struct Parts {
    nodes: BTreeMap<String, (String, String, Option<String>)>,
    edges: BTreeSet<(String, String, String)>,
}

impl Parts {
    fn of(block: &Block) -> Parts {
        let Some(parsed) = crate::check::parsed_mermaid(block) else {
            return Parts::default();
        };
        let Some(diagram) = parsed.diagram.as_ref() else {
            return Parts::default();
        };
        let g = diagram.graph().graph;
        let nodes = g
            .node_weights()
            .map(|n| {
                let face = (n.label.clone(), n.kind.clone(), n.group.clone());
                (n.id.clone(), face)
            })
            .collect();
        let edges = g
            .edge_references()
            .map(|e| {
                let (from, to) = (&g[e.source()].id, &g[e.target()].id);
                (from.clone(), to.clone(), e.weight().label.clone())
            })
            .collect();
        Parts { nodes, edges }
    }

    fn node_ids(&self) -> BTreeSet<String> {
        self.nodes.keys().cloned().collect()
    }

    /// The edges as the diff names them: `from → to`, then `: label` when there is one.
    fn edge_names(&self) -> BTreeSet<String> {
        self.edges
            .iter()
            .map(|(from, to, label)| {
                if label.is_empty() {
                    format!("{from} → {to}")
                } else {
                    format!("{from} → {to}: {label}")
                }
            })
            .collect()
    }
}

/// Diagrams are matched between revisions by their section and their position in it.
fn plan_diagrams(plan: &Plan) -> BTreeMap<(String, usize), Diagram<'_>> {
    let mut ordinals: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for block in plan.blocks.iter().filter(|b| b.kind == BlockKind::Mermaid) {
        let section = block.section.clone().unwrap_or_default();
        let ordinal = ordinals.entry(section.clone()).or_default();
        *ordinal += 1;
        // Detected from the text: a diff side leaves its diagrams unparsed.
        let detected = block.diagram().or_else(|| detect(&block.source.text).0);
        let family = detected.map_or("unknown".to_string(), |d| d.name().to_string());
        out.insert(
            (section.clone(), *ordinal),
            Diagram {
                reference: DiagramRef {
                    section,
                    ordinal: *ordinal,
                    family,
                },
                block,
            },
        );
    }
    out
}

/// What `build --base` marks in one drawing of the head: the nodes and edges that the same
/// diagram of the base did not have, or drew otherwise (another label, kind or group). Every
/// node and edge of a new diagram is marked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagramMarks {
    pub nodes: BTreeSet<String>,
    /// Edges by their ends (from, to).
    pub edges: BTreeSet<(String, String)>,
}

impl DiagramMarks {
    fn between(old: &Parts, new: &Parts) -> DiagramMarks {
        let nodes = new
            .nodes
            .iter()
            .filter(|(id, face)| old.nodes.get(*id) != Some(face))
            .map(|(id, _)| id.clone())
            .collect();
        let edges = new
            .edges
            .difference(&old.edges)
            .map(|(from, to, _)| (from.clone(), to.clone()))
            .collect();
        DiagramMarks { nodes, edges }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }
}

/// The marks of every diagram of the head that is new or changed since the base, by the
/// head's plan path (as the head's run names it) and the block's `Block::index`.
pub fn marks(old: Side, new: Side) -> BTreeMap<(String, usize), DiagramMarks> {
    let old_plans = plans(old);
    let mut out = BTreeMap::new();
    for plan in new.checked.plans.iter().filter(|p| p.is_plan) {
        let before = old_plans
            .get(&new.key(&plan.path))
            .map(|p| plan_diagrams(p))
            .unwrap_or_default();
        for (key, diagram) in plan_diagrams(plan) {
            let base = match before.get(&key) {
                Some(b) if b.text() == diagram.text() => continue,
                Some(b) => b.parts(),
                None => Parts::default(),
            };
            let marks = DiagramMarks::between(&base, &diagram.parts());
            if !marks.is_empty() {
                out.insert((plan.path.clone(), diagram.block.index), marks);
            }
        }
    }
    out
}

fn diagrams(a: &Plan, b: &Plan) -> Vec<PlanChangeKind> {
    let old = plan_diagrams(a);
    let new = plan_diagrams(b);
    let keys: BTreeSet<&(String, usize)> = old.keys().chain(new.keys()).collect();
    let mut changes = Vec::new();
    for key in keys {
        match (old.get(key), new.get(key)) {
            (None, Some(d)) => changes.push(PlanChangeKind::DiagramAdded {
                diagram: d.reference.clone(),
            }),
            (Some(d), None) => changes.push(PlanChangeKind::DiagramRemoved {
                diagram: d.reference.clone(),
            }),
            (Some(x), Some(y)) if x.text() != y.text() => {
                let list = |s: std::collections::btree_set::Difference<'_, String>| {
                    s.cloned().collect::<Vec<_>>()
                };
                let diagram = y.reference.clone();
                let (x, y) = (x.parts(), y.parts());
                let (x_nodes, y_nodes) = (x.node_ids(), y.node_ids());
                let (x_edges, y_edges) = (x.edge_names(), y.edge_names());
                changes.push(PlanChangeKind::DiagramChanged {
                    diagram,
                    nodes_added: list(y_nodes.difference(&x_nodes)),
                    nodes_removed: list(x_nodes.difference(&y_nodes)),
                    edges_added: list(y_edges.difference(&x_edges)),
                    edges_removed: list(x_edges.difference(&y_edges)),
                });
            }
            _ => {}
        }
    }
    changes
}
