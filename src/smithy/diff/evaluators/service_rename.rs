//! Service `rename` entries removed, changed, or added for shapes already in the service's
//! closure (`ServiceRename`).

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::{FlatModel, FlatShape, Kind};
use crate::smithy::diff::{DiffEvent, Differences, Severity};
use std::collections::BTreeSet;

pub fn run(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&[Kind::Shape(ShapeType::Service)]) {
        let (old, new) = (&change.old.bindings.rename, &change.new.bindings.rename);
        if old == new {
            continue;
        }
        let service = &change.new.id;
        for (shape, old_name) in old {
            let message = match new.get(shape) {
                None => format!("Service rename of `{shape}` to `{old_name}` was removed"),
                Some(new_name) if new_name != old_name => format!(
                    "Service rename of `{shape}` was changed from `{old_name}` to `{new_name}`"
                ),
                Some(_) => continue,
            };
            out.push(DiffEvent::new(
                "ServiceRename",
                Severity::Error,
                service,
                message,
            ));
        }
        let closure = closure(d.old, change.old);
        for (shape, new_name) in new {
            if !old.contains_key(shape) && closure.contains(shape.as_str()) {
                let message = format!(
                    "Service rename of `{shape}` to `{new_name}` was added to an old shape"
                );
                out.push(DiffEvent::new(
                    "ServiceRename",
                    Severity::Error,
                    service,
                    message,
                ));
            }
        }
    }
}

/// Every shape reachable from a shape: members, their targets, bindings, mixins.
fn closure<'a>(model: &'a FlatModel, root: &'a FlatShape) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack = vec![root.id.as_str()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(shape) = model.get(id) else {
            continue;
        };
        let b = &shape.bindings;
        stack.extend(shape.target.as_deref());
        stack.extend(shape.members.iter().filter_map(|m| {
            model
                .shapes
                .get_key_value(&shape.member_id(m))
                .map(|(k, _)| k.as_str())
        }));
        stack.extend(shape.mixins.iter().map(String::as_str));
        stack.extend(b.input.as_deref());
        stack.extend(b.output.as_deref());
        stack.extend(b.errors.iter().map(String::as_str));
        stack.extend(b.all_operations.iter().map(String::as_str));
        stack.extend(b.resources.iter().map(String::as_str));
        stack.extend(b.identifiers.iter().map(|(_, t)| t.as_str()));
        stack.extend(b.properties.values().map(String::as_str));
    }
    seen
}
