//! The consolidated interface catalogue: every service, resource and operation of all plans,
//! each with the plan that defines it, its documentation, HTTP binding, input and output
//! members, errors and flags; plus the plans, external dependencies, cycles and diagnostic
//! counts. Documented in `docs/catalogue.md`; `version` changes when a field changes meaning.

use crate::check::Checked;
use crate::diagnostic::Severity;
use crate::plan::metadata::Status;
use crate::plan::{DependencyKind, Plan};
use crate::smithy::ast::ShapeType;
use crate::smithy::{Model, Shape};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const CATALOGUE_VERSION: u32 = 2;

// Version 2 writes no field that is null, empty, zero or false, and nothing the catalogue
// holds elsewhere: a shape names its plan by path (the plan's entry holds the rest), and the
// inverse lists (a plan's dependents and shapes, an operation's services) are left to readers.
fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(counts: &Counts) -> bool {
    *counts == Counts::default()
}

/// A shape's plan as its path only: the plan's entry in `plans` holds its name, status and
/// dates.
fn plan_path<S: serde::Serializer>(
    plan: &Option<PlanRef>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match plan {
        Some(plan) => serializer.serialize_str(&plan.path),
        None => serializer.serialize_none(),
    }
}

/// The plan a shape comes from, as the catalogue shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRef {
    pub path: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogue {
    pub version: u32,
    pub plans: Vec<PlanEntry>,
    pub services: Vec<ServiceEntry>,
    pub resources: Vec<ResourceEntry>,
    pub operations: Vec<OperationEntry>,
    pub external_dependencies: Vec<ExternalDependency>,
    pub cycles: Vec<Vec<String>>,
    pub diagnostics: Counts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanEntry {
    #[serde(flatten)]
    pub plan: PlanRef,
    pub acceptance: crate::plan::Progress,
    #[serde(skip_serializing_if = "is_zero")]
    pub diagnostics: Counts,
    /// Plans this plan depends on (declared or implied).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Plans that depend on this plan (the inverse of `depends_on`: not written).
    #[serde(skip)]
    pub dependents: Vec<String>,
    /// External dependencies by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub external: Vec<String>,
    /// Services, resources and operations defined in the plan (shape ids; each entry names
    /// its plan, so these are not written).
    #[serde(skip)]
    pub services: Vec<String>,
    #[serde(skip)]
    pub resources: Vec<String>,
    #[serde(skip)]
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceEntry {
    pub id: String,
    #[serde(serialize_with = "plan_path", skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// Every operation the service exposes, directly or through its resources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceEntry {
    pub id: String,
    #[serde(serialize_with = "plan_path", skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub identifiers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
    /// Lifecycle operations by role (`create`, `put`, `read`, `update`, `delete`, `list`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub lifecycle: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub collection_operations: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpBinding {
    pub method: String,
    pub uri: String,
    pub code: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberEntry {
    pub name: String,
    pub target: String,
    #[serde(skip_serializing_if = "is_false")]
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// `length`, `range`, `pattern` (on the member or its target), as the traits hold them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<String, Value>,
    /// Where an HTTP binding puts the member: `label`, `query`, `header`, `payload`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapeEntry {
    pub shape: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorEntry {
    pub shape: String,
    /// `client` or `server`, from `@error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_code: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationEntry {
    pub id: String,
    #[serde(serialize_with = "plan_path", skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanRef>,
    /// The services that expose the operation (the services list their operations: not
    /// written).
    #[serde(skip)]
    pub services: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpBinding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<ShapeEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<ShapeEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorEntry>,
    #[serde(skip_serializing_if = "is_false")]
    pub readonly: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub idempotent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paginated: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExternalDependency {
    pub name: String,
    pub used_by: Vec<String>,
}

/// The id of a prelude trait, written out at compile time: `api!("http")` is
/// `"smithy.api#http"` (looked up for every member of every shape, so never formatted).
macro_rules! api {
    ($name:literal) => {
        concat!("smithy.api#", $name)
    };
}

/// The value of trait `trait_id` (an [`api!`] id) on `shape`, its mixins' included.
fn trait_of<'a>(model: &'a Model, shape: &'a Shape, trait_id: &str) -> Option<&'a Value> {
    model.trait_value(shape, trait_id)
}

fn plan_ref(plan: &Plan) -> PlanRef {
    PlanRef {
        path: plan.path.clone(),
        name: plan.name.clone(),
        status: plan.status,
        owner: plan.owner.clone(),
        target_date: plan.target_date.clone(),
    }
}

impl Counts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
    }
}

fn counts<'a>(diagnostics: impl Iterator<Item = &'a crate::diagnostic::Diagnostic>) -> Counts {
    let mut c = Counts::default();
    for d in diagnostics {
        c.add(d.severity);
    }
    c
}

/// Builds the catalogue of a checked run.
pub fn catalogue(checked: &Checked) -> Catalogue {
    let model = &checked.model;
    let plans_by_path: BTreeMap<&str, &Plan> =
        checked.plans.iter().map(|p| (p.path.as_str(), p)).collect();
    let (services, services_of_operation) = service_entries(model, &plans_by_path);
    let resources = resource_entries(model, &plans_by_path);
    let operations = operation_entries(model, &plans_by_path, &services_of_operation);
    let (dependents, externals) = dependents_and_externals(checked);
    let plans = plan_entries(checked, &dependents);
    Catalogue {
        version: CATALOGUE_VERSION,
        plans,
        services,
        resources,
        operations,
        external_dependencies: externals
            .into_iter()
            .map(|(name, used_by)| ExternalDependency {
                name,
                used_by: used_by.into_iter().collect(),
            })
            .collect(),
        cycles: checked.graph.cycles.clone(),
        diagnostics: counts(checked.diagnostics.iter()),
    }
}

/// The plan a shape is defined in, as the catalogue shows it.
fn plan_of(plans_by_path: &BTreeMap<&str, &Plan>, shape: &Shape) -> Option<PlanRef> {
    plans_by_path
        .get(&*shape.location.path)
        .map(|p| plan_ref(p))
}

fn shapes_of_type(model: &Model, t: ShapeType) -> impl Iterator<Item = &Shape> {
    model.shapes.values().filter(move |s| s.shape_type == t)
}

/// The services, and which services expose each operation (directly or through nested
/// resources).
fn service_entries(
    model: &Model,
    plans_by_path: &BTreeMap<&str, &Plan>,
) -> (Vec<ServiceEntry>, BTreeMap<String, BTreeSet<String>>) {
    let mut services_of_operation: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut services = Vec::new();
    for service in shapes_of_type(model, ShapeType::Service) {
        let (operations, resources) = service_reach(model, service);
        for op in &operations {
            services_of_operation
                .entry(op.clone())
                .or_default()
                .insert(service.id.clone());
        }
        services.push(ServiceEntry {
            id: service.id.clone(),
            plan: plan_of(plans_by_path, service),
            version: service.relations.version.clone(),
            documentation: doc(model, service),
            operations: operations.into_iter().collect(),
            resources,
            errors: service
                .relations
                .errors
                .iter()
                .map(|e| e.target.clone())
                .collect(),
        });
    }
    (services, services_of_operation)
}

/// The operations a service exposes and the resources it reaches, walking nested resources
/// (each once, so that a resource cycle ends).
fn service_reach(model: &Model, service: &Shape) -> (BTreeSet<String>, Vec<String>) {
    let mut operations = BTreeSet::new();
    let mut resources = Vec::new();
    let mut stack: Vec<String> = service
        .relations
        .resources
        .iter()
        .map(|r| r.target.clone())
        .collect();
    operations.extend(
        service
            .relations
            .operations
            .iter()
            .map(|r| r.target.clone()),
    );
    while let Some(id) = stack.pop() {
        if resources.contains(&id) {
            continue;
        }
        if let Some(resource) = model.shapes.get(&id) {
            let r = &resource.relations;
            operations.extend(
                r.operations
                    .iter()
                    .chain(&r.collection_operations)
                    .map(|o| o.target.clone()),
            );
            operations.extend(r.lifecycle.iter().map(|(_, o)| o.target.clone()));
            stack.extend(r.resources.iter().map(|x| x.target.clone()));
        }
        resources.push(id);
    }
    resources.sort();
    (operations, resources)
}

fn resource_entries(model: &Model, plans_by_path: &BTreeMap<&str, &Plan>) -> Vec<ResourceEntry> {
    shapes_of_type(model, ShapeType::Resource)
        .map(|resource| {
            let r = &resource.relations;
            let pairs = |list: &[(String, crate::smithy::Reference)]| -> BTreeMap<String, String> {
                list.iter()
                    .map(|(k, v)| (k.clone(), v.target.clone()))
                    .collect()
            };
            ResourceEntry {
                id: resource.id.clone(),
                plan: plan_of(plans_by_path, resource),
                documentation: doc(model, resource),
                identifiers: pairs(&r.identifiers),
                properties: pairs(&r.properties),
                lifecycle: pairs(&r.lifecycle),
                operations: r.operations.iter().map(|o| o.target.clone()).collect(),
                collection_operations: r
                    .collection_operations
                    .iter()
                    .map(|o| o.target.clone())
                    .collect(),
                resources: r.resources.iter().map(|o| o.target.clone()).collect(),
            }
        })
        .collect()
}

/// Operations are most of a catalogue; each entry is made on its own, in parallel.
fn operation_entries(
    model: &Model,
    plans_by_path: &BTreeMap<&str, &Plan>,
    services_of_operation: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<OperationEntry> {
    let operations: Vec<&Shape> = shapes_of_type(model, ShapeType::Operation).collect();
    operations
        .par_iter()
        .map(|op| OperationEntry {
            id: op.id.clone(),
            plan: plan_of(plans_by_path, op),
            services: services_of_operation
                .get(&op.id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            documentation: doc(model, op),
            http: trait_of(model, op, api!("http")).map(http_binding),
            input: op
                .relations
                .input
                .as_ref()
                .map(|r| shape_entry(model, &r.target)),
            output: op
                .relations
                .output
                .as_ref()
                .map(|r| shape_entry(model, &r.target)),
            errors: op
                .relations
                .errors
                .iter()
                .map(|e| error_entry(model, &e.target))
                .collect(),
            readonly: trait_of(model, op, api!("readonly")).is_some(),
            idempotent: trait_of(model, op, api!("idempotent")).is_some(),
            paginated: trait_of(model, op, api!("paginated")).cloned(),
        })
        .collect::<Vec<_>>()
}

/// An operation's `@http` trait; the code defaults to 200 as in Smithy.
fn http_binding(h: &Value) -> HttpBinding {
    HttpBinding {
        method: h
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        uri: h
            .get("uri")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        code: h.get("code").and_then(Value::as_u64).unwrap_or(200),
    }
}

/// An error an operation can return, with its fault and HTTP code when the model has them.
fn error_entry(model: &Model, target: &str) -> ErrorEntry {
    let shape = model.shapes.get(target);
    ErrorEntry {
        shape: target.to_string(),
        fault: shape
            .and_then(|s| trait_of(model, s, api!("error")))
            .and_then(Value::as_str)
            .map(str::to_string),
        http_code: shape
            .and_then(|s| trait_of(model, s, api!("httpError")))
            .and_then(Value::as_u64),
    }
}

/// The paths of the plans that depend on each key (a plan's path or an external name).
type UsedBy<K> = BTreeMap<K, BTreeSet<String>>;

/// By plan, the plans that depend on it; by external dependency, the plans that use it.
fn dependents_and_externals(checked: &Checked) -> (UsedBy<&str>, UsedBy<String>) {
    let mut dependents: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut externals: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for plan in &checked.plans {
        for dep in &plan.dependencies {
            match (&dep.target, dep.kind) {
                (Some(target), _) => {
                    dependents
                        .entry(target.as_str())
                        .or_default()
                        .insert(plan.path.clone());
                }
                (None, DependencyKind::External) => {
                    externals
                        .entry(dep.text.clone())
                        .or_default()
                        .insert(plan.path.clone());
                }
                _ => {}
            }
        }
    }
    (dependents, externals)
}

fn plan_entries(checked: &Checked, dependents: &UsedBy<&str>) -> Vec<PlanEntry> {
    // One pass over the shapes and one over the diagnostics, grouped by plan: looking them up
    // per plan would cost plans × shapes.
    let mut defined_in: BTreeMap<(&str, ShapeType), Vec<String>> = BTreeMap::new();
    for shape in checked.model.shapes.values() {
        if matches!(
            shape.shape_type,
            ShapeType::Service | ShapeType::Resource | ShapeType::Operation
        ) {
            defined_in
                .entry((&*shape.location.path, shape.shape_type))
                .or_default()
                .push(shape.id.clone());
        }
    }
    let mut diagnostics_of: BTreeMap<&str, Counts> = BTreeMap::new();
    for d in &checked.diagnostics {
        diagnostics_of
            .entry(d.path.as_str())
            .or_default()
            .add(d.severity);
    }
    let mut plan_entries = Vec::new();
    for plan in checked.plans.iter().filter(|p| p.is_plan) {
        let defined = |t: ShapeType| -> Vec<String> {
            defined_in
                .get(&(plan.path.as_str(), t))
                .cloned()
                .unwrap_or_default()
        };
        let mut depends_on: Vec<String> = plan
            .dependencies
            .iter()
            .filter_map(|d| d.target.clone())
            .collect();
        depends_on.sort();
        depends_on.dedup();
        plan_entries.push(PlanEntry {
            plan: plan_ref(plan),
            acceptance: plan.acceptance,
            diagnostics: diagnostics_of
                .get(plan.path.as_str())
                .copied()
                .unwrap_or_default(),
            depends_on,
            dependents: dependents
                .get(plan.path.as_str())
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            external: plan
                .dependencies
                .iter()
                .filter(|d| d.target.is_none())
                .map(|d| d.text.clone())
                .collect(),
            services: defined(ShapeType::Service),
            resources: defined(ShapeType::Resource),
            operations: defined(ShapeType::Operation),
        });
    }
    plan_entries
}

fn doc(model: &Model, shape: &Shape) -> Option<String> {
    trait_of(model, shape, api!("documentation"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// An input or output structure with its members expanded.
pub(crate) fn shape_entry(model: &Model, id: &str) -> ShapeEntry {
    let members = match model.shapes.get(id) {
        Some(shape) => model
            .members_of(shape)
            .into_iter()
            .map(|m| {
                let member_trait = |trait_id: &str| m.traits.get(trait_id).map(|t| &t.value);
                let target = model.shapes.get(&m.target);
                let mut constraints = BTreeMap::new();
                for (name, trait_id) in [
                    ("length", api!("length")),
                    ("range", api!("range")),
                    ("pattern", api!("pattern")),
                ] {
                    let value = member_trait(trait_id)
                        .or_else(|| target.and_then(|t| trait_of(model, t, trait_id)));
                    if let Some(value) = value {
                        constraints.insert(name.to_string(), value.clone());
                    }
                }
                let http = [
                    (api!("httpLabel"), "label"),
                    (api!("httpQuery"), "query"),
                    (api!("httpHeader"), "header"),
                    (api!("httpPayload"), "payload"),
                    (api!("httpPrefixHeaders"), "prefix-headers"),
                    (api!("httpQueryParams"), "query-params"),
                    (api!("httpResponseCode"), "response-code"),
                ]
                .iter()
                .find(|(name, _)| member_trait(name).is_some())
                .map(|(_, place)| place.to_string());
                MemberEntry {
                    name: m.name.clone(),
                    target: m.target.clone(),
                    required: member_trait(api!("required")).is_some(),
                    default: member_trait(api!("default")).cloned(),
                    constraints,
                    http,
                    documentation: member_trait(api!("documentation"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    ShapeEntry {
        shape: id.to_string(),
        members,
    }
}

/// Escapes text for Markdown (inline, also inside table cells), so that plan text can never
/// turn into links, images, HTML or table structure.
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a code span in a table cell: no backtick (it would end the span), `|`
/// escaped (GitHub splits cells at it even in code), no line break (it would end the row).
fn code_span_text(text: &str) -> String {
    text.replace('`', "'")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A Markdown summary that fits a pull-request comment or a CI job summary.
pub fn catalogue_markdown(catalogue: &Catalogue) -> String {
    use std::fmt::Write as _;
    let e = markdown_escape;
    let mut md = String::from("# Plans and interfaces\n\n");
    let d = catalogue.diagnostics;
    let _ = writeln!(
        md,
        "{} plans, {} services, {} operations; {} errors, {} warnings.\n",
        catalogue.plans.len(),
        catalogue.services.len(),
        catalogue.operations.len(),
        d.errors,
        d.warnings
    );
    if !catalogue.cycles.is_empty() {
        md.push_str("**Dependency cycles:**\n\n");
        for cycle in &catalogue.cycles {
            let mut path: Vec<String> = cycle.iter().map(|p| e(p)).collect();
            path.push(e(&cycle[0]));
            let _ = writeln!(md, "- {}", path.join(" → "));
        }
        md.push('\n');
    }
    md.push_str("| Plan | Status | Owner | Target date | Acceptance | Errors | Warnings |\n|---|---|---|---|---|---:|---:|\n");
    for p in &catalogue.plans {
        let _ = writeln!(
            md,
            "| {} (`{}`) | {} | {} | {} | {} of {} | {} | {} |",
            e(&p.plan.name),
            code_span_text(&p.plan.path),
            e(p.plan.status.map_or("—", Status::label)),
            e(p.plan.owner.as_deref().unwrap_or("—")),
            p.plan.target_date.as_deref().unwrap_or("—"),
            p.acceptance.done,
            p.acceptance.total,
            p.diagnostics.errors,
            p.diagnostics.warnings
        );
    }
    if !catalogue.operations.is_empty() {
        md.push_str(
            "\n## Operations\n\n| Operation | Service | HTTP | Plan |\n|---|---|---|---|\n",
        );
        for op in &catalogue.operations {
            let http = op
                .http
                .as_ref()
                .map(|h| format!("{} {}", e(&h.method), e(&h.uri)))
                .unwrap_or_default();
            let services: Vec<String> = op.services.iter().map(|s| e(short_name(s))).collect();
            let plan = op.plan.as_ref().map(|p| e(&p.name)).unwrap_or_default();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                e(short_name(&op.id)),
                services.join(", "),
                http,
                plan
            );
        }
    }
    if !catalogue.external_dependencies.is_empty() {
        md.push_str("\n## External dependencies\n\n");
        for x in &catalogue.external_dependencies {
            let _ = writeln!(
                md,
                "- {} (used by {})",
                e(&x.name),
                x.used_by
                    .iter()
                    .map(|p| e(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    md
}

fn short_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_in_code_spans_keep_the_table_whole() {
        assert_eq!(code_span_text("a`b|c\nd.md"), "a'b\\|c d.md");
    }

    #[test]
    fn markdown_escaping_neutralises_markup() {
        assert_eq!(
            markdown_escape("[x](javascript:alert(1)) <b>|</b>"),
            "\\[x\\](javascript:alert(1)) &lt;b&gt;\\|&lt;/b&gt;"
        );
        assert_eq!(markdown_escape("a\nb"), "a b");
    }
}
