//! `ShapeClosure`: the `shapeClosures` metadata. Closure IDs are unique and no shape's ID, every
//! closure has roots (`includeNamespaces` or `includeBySelector`), the namespaces and the
//! selector select something (DANGER `ShapeClosure.EmptyNamespace.<id>` and
//! `ShapeClosure.EmptySelector.<id>`), renames change a name, rename shapes of the closure and
//! do not clash, and the names of the closure are case-insensitively unique (WARNING
//! `ShapeClosure.NameConflicts.<id>`). Entries that are not well-formed closures are left to
//! the metadata's type checks, as the reference does.

use super::super::lexeme;
use super::super::model::{Location, Model};
use super::super::selector::Selector;
use super::neighbors::{closure, exists};
use super::Events;
use crate::diagnostic::Severity;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

const ID: &str = "ShapeClosure";

/// One well-formed entry of the `shapeClosures` metadata.
struct ClosureDecl<'m> {
    id: &'m str,
    namespaces: Vec<&'m str>,
    selector: Option<&'m str>,
    /// Shape ID → new name, in the order written.
    rename: Vec<(&'m str, &'m str)>,
}

/// The entry as the reference reads it, or `None` when it would not read it: `id` must be a
/// string, `includeNamespaces` a list of strings, `includeBySelector` a string and `rename` an
/// object of shape IDs to strings.
fn read_decl(entry: &Value) -> Option<ClosureDecl<'_>> {
    let object = entry.as_object()?;
    let id = object.get("id")?.as_str()?;
    let namespaces = match object.get("includeNamespaces") {
        None => Vec::new(),
        Some(list) => list
            .as_array()?
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()?,
    };
    let selector = match object.get("includeBySelector") {
        None => None,
        Some(text) => Some(text.as_str()?),
    };
    let rename = match object.get("rename") {
        None => Vec::new(),
        Some(map) => map
            .as_object()?
            .iter()
            .map(|(from, to)| {
                lexeme::is_absolute_shape_id(from, true).then_some((from.as_str(), to.as_str()?))
            })
            .collect::<Option<_>>()?,
    };
    Some(ClosureDecl {
        id,
        namespaces,
        selector,
        rename,
    })
}

/// Shape IDs in the reference's order: case-insensitively, then case-sensitively.
fn id_order(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// The name of a shape ID (`Name` of `ns#Name`).
fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

/// The roots and every shape reachable from them of one closure, as the reference's closure
/// index computes them (for a closure ID declared twice, from the last declaration).
struct Resolved {
    roots: BTreeSet<String>,
    shapes: BTreeSet<String>,
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let Some(entries) = model
        .metadata
        .get("shapeClosures")
        .and_then(Value::as_array)
    else {
        return;
    };
    let decls: Vec<(usize, ClosureDecl)> = entries
        .iter()
        .enumerate()
        .filter_map(|(position, entry)| Some((position, read_decl(entry)?)))
        .collect();
    let mut last_by_id: HashMap<&str, &ClosureDecl> = HashMap::new();
    for (_, decl) in &decls {
        last_by_id.insert(decl.id, decl);
    }
    let mut resolved: HashMap<&str, Resolved> = HashMap::new();
    let namespaces_in_model = namespaces(model);
    // Each event is placed at its `shapeClosures` entry (an entry the reader skipped has none).
    let entry_locations = model.metadata_locations.get("shapeClosures");
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    for (position, decl) in &decls {
        let id = decl.id;
        let at = entry_locations
            .and_then(|l| l.get(*position).or(l.first()))
            .cloned()
            .unwrap_or_default();
        if let Some(previous) = seen_ids.insert(id, *position) {
            ev.error(ID, &at, "", format!(
                "Shape closure id `{id}` is declared more than once. The previous declaration is entry {previous} of `shapeClosures`."
            ));
            continue;
        }
        if lexeme::is_absolute_shape_id(id, true) && exists(ev.members, id) {
            ev.error(
                ID,
                &at,
                "",
                format!(
                "Shape closure ids must not match the ids of shapes in the model, but `{id}` does."
            ),
            );
        }
        if decl.namespaces.is_empty() && decl.selector.is_none() {
            ev.error(ID, &at, "", format!(
                "Shape closure `{id}` must define at least one of `includeNamespaces` or `includeBySelector`."
            ));
        }
        let mut non_empty_namespaces = BTreeSet::new();
        for namespace in &decl.namespaces {
            if namespaces_in_model.contains(namespace) {
                non_empty_namespaces.insert(*namespace);
            } else {
                ev.danger(
                    &format!("{ID}.EmptyNamespace.{id}"),
                    &at,
                    "",
                    format!("Shape closure `{id}` includes namespace `{namespace}`, which has no shapes in the model."),
                );
            }
        }
        let last = last_by_id[id];
        let closure = resolved.entry(id).or_insert_with(|| resolve(ev, last));
        if !check_selector(ev, decl, &at, &closure.roots, &non_empty_namespaces) {
            continue;
        }
        check_renames(ev, decl, &at, &closure.shapes);
        check_name_conflicts(ev, decl, &at, &closure.shapes);
    }
}

/// Every namespace with a shape in the model, the prelude's included.
fn namespaces(model: &Model) -> HashSet<&str> {
    let mut out: HashSet<&str> = model
        .shapes
        .keys()
        .map(|id| id.split_once('#').map_or(id.as_str(), |(ns, _)| ns))
        .collect();
    out.insert(super::super::prelude::NAMESPACE);
    out
}

/// The roots of a closure (the shapes, members included, of its namespaces and those its
/// selector matches) and everything they reach.
fn resolve(ev: &Events, decl: &ClosureDecl) -> Resolved {
    let index = ev.selector_index();
    let mut roots = BTreeSet::new();
    if !decl.namespaces.is_empty() {
        for node in (0..index.len()).map(|n| index.node(n)) {
            let namespace = node.shape_id().split_once('#').map_or("", |(ns, _)| ns);
            if decl.namespaces.contains(&namespace) {
                roots.insert(node.id().into_owned());
            }
        }
    }
    if let Some(selector) = decl.selector.and_then(|s| Selector::parse(s).ok()) {
        roots.extend(
            selector
                .select(index)
                .into_iter()
                .map(|n| index.node(n).id().into_owned()),
        );
    }
    let shapes = closure(ev.members, roots.iter().map(String::as_str));
    Resolved { roots, shapes }
}

/// The selector's syntax and whether it adds roots; false when the closure cannot be checked
/// further.
fn check_selector(
    ev: &mut Events,
    decl: &ClosureDecl,
    at: &Location,
    roots: &BTreeSet<String>,
    non_empty_namespaces: &BTreeSet<&str>,
) -> bool {
    let Some(text) = decl.selector else {
        return true;
    };
    let id = decl.id;
    if text.is_empty() {
        // The length of the selector is the metadata's type check.
        return false;
    }
    if let Err(e) = Selector::parse(text) {
        ev.error(
            ID,
            at,
            "",
            format!("Shape closure `{id}` has an invalid `includeBySelector`: {e}"),
        );
        return false;
    }
    let sub_id = format!("{ID}.EmptySelector.{id}");
    if non_empty_namespaces.is_empty() && roots.is_empty() {
        ev.danger(
            &sub_id,
            at,
            "",
            format!("Shape closure `{id}` has an `includeBySelector` that matches no shapes in the model."),
        );
    } else if !non_empty_namespaces.is_empty() {
        let outside = roots.iter().any(|root| {
            let namespace = root.split_once('#').map_or("", |(ns, _)| ns);
            !non_empty_namespaces.contains(namespace)
        });
        if !outside {
            ev.danger(
                &sub_id,
                at,
                "",
                format!("Shape closure `{id}` has an `includeBySelector` that matches no shapes in the model that aren't already in an included namespace."),
            );
        }
    }
    true
}

/// Each rename changes the name of a shape of the closure to one no other shape of it has.
fn check_renames(ev: &mut Events, decl: &ClosureDecl, at: &Location, shapes: &BTreeSet<String>) {
    if decl.rename.is_empty() {
        return;
    }
    let id = decl.id;
    let renamed: HashSet<&str> = decl.rename.iter().map(|(from, _)| *from).collect();
    let mut in_order: Vec<&str> = shapes.iter().map(String::as_str).collect();
    in_order.sort_by(|a, b| id_order(a, b));
    let mut non_renamed: HashMap<String, &str> = HashMap::new();
    for shape in in_order {
        if !shape.contains('$') && !renamed.contains(shape) {
            non_renamed
                .entry(shape_name(shape).to_lowercase())
                .or_insert(shape);
        }
    }
    let mut renamed_to: HashMap<String, &str> = HashMap::new();
    for (from, to) in &decl.rename {
        if *to == shape_name(from) {
            ev.error(
                ID,
                at,
                "",
                format!(
                "Shape closure `{id}` rename for `{from}` does not change the name from `{to}`."
            ),
            );
        }
        if !shapes.contains(*from) {
            ev.error(
                ID,
                at,
                "",
                format!(
                "Shape closure `{id}` attempts to rename `{from}`, which is not in the closure."
            ),
            );
            continue;
        }
        let normalized = to.to_lowercase();
        if let Some(previous) = renamed_to.insert(normalized.clone(), from) {
            ev.error(ID, at, "", format!(
                "Shape closure `{id}` rename for `{from}` (\"{to}\") case-insensitively conflicts with the rename for `{previous}`."
            ));
        }
        if let Some(other) = non_renamed.get(&normalized) {
            ev.error(ID, at, "", format!(
                "Shape closure `{id}` rename for `{from}` (\"{to}\") case-insensitively conflicts with non-renamed shape `{other}`."
            ));
        }
    }
}

/// WARNING: shapes of the closure (not renamed) whose names differ only in case.
fn check_name_conflicts(
    ev: &mut Events,
    decl: &ClosureDecl,
    at: &Location,
    shapes: &BTreeSet<String>,
) {
    let renamed: HashSet<&str> = decl.rename.iter().map(|(from, _)| *from).collect();
    let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for shape in shapes.iter().map(String::as_str) {
        if !shape.contains('$') && !renamed.contains(shape) {
            by_name
                .entry(shape_name(shape).to_lowercase())
                .or_default()
                .push(shape);
        }
    }
    let id = decl.id;
    for mut conflicting in by_name.into_values().filter(|ids| ids.len() > 1) {
        conflicting.sort_by(|a, b| id_order(a, b));
        ev.emit(
            &format!("{ID}.NameConflicts.{id}"),
            Severity::Warning,
            at,
            "",
            format!(
                "Shape closure `{id}` contains shapes whose names conflict case-insensitively: [{}]. Shapes in a closure should have case-insensitively unique names regardless of their namespaces. Some code generators or other tools may require this in order to work. The `rename` property may be used to disambiguate them.",
                conflicting.join(", ")
            ),
        );
    }
}
