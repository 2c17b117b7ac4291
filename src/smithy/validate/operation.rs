//! The reference's operation validator: `OperationInputOutputMisuse` (a structure marked
//! `@input` or `@output` serves one operation in that role only), and the warnings
//! `OperationInputOutputName.input|output` and `OperationNameAmbiguity`.

use super::super::ast::ShapeType;
use super::super::model::Shape;
use super::neighbors::Relationship;
use super::Events;
use crate::diagnostic::Severity;
use std::collections::{BTreeSet, HashSet};

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let marked: HashSet<&str> = [Role::Input, Role::Output]
        .iter()
        .flat_map(|r| {
            let marked = ev.carriers(r.trait_id());
            marked.filter(|s| model.has_trait(s, r.trait_id()))
        })
        .map(|s| s.id.as_str())
        .collect();
    let reverse = ev.reverse_relations().to_any(marked.iter().copied());
    for role in [Role::Input, Role::Output] {
        for shape in ev.carriers(role.trait_id()) {
            if !model.has_trait(shape, role.trait_id()) {
                continue;
            }
            let mut operations = BTreeSet::new();
            for (source, kind) in reverse.get(&shape.id).into_iter().flatten() {
                let Some(source_shape) = model.shapes.get(source) else {
                    // A member: members may not target input or output structures.
                    if *kind == Relationship::MemberTarget {
                        let at = ev
                            .members
                            .member(source)
                            .map_or(&shape.location, |(_, m)| &m.target_location);
                        ev.error(
                            "OperationInputOutputMisuse",
                            at,
                            source,
                            format!(
                                "Members cannot target structures marked with the @{} trait: {}",
                                role.name(),
                                shape.id
                            ),
                        );
                    }
                    continue;
                };
                if *kind == role.relationship() {
                    operations.insert(source.as_str());
                    let op_name = local_name(source);
                    if !local_name(&shape.id).starts_with(op_name) {
                        ev.emit(
                            &format!("OperationInputOutputName.{}", role.name()),
                            Severity::Warning,
                            &source_shape.location,
                            source,
                            format!(
                                "The {} of this operation should target a shape that starts with the operation's name, '{op_name}', but the targeted shape is `{}`",
                                role.name(),
                                shape.id
                            ),
                        );
                    }
                } else if *kind == role.other().relationship() {
                    ev.error(
                        "OperationInputOutputMisuse",
                        &source_shape.location,
                        source,
                        format!(
                        "Operation `{}` cannot target structures marked with the `@{}` trait: `{}`",
                        role.other().name(),
                        role.name(),
                        shape.id
                    ),
                    );
                }
            }
            if operations.len() > 1 {
                let listed: Vec<String> = operations.iter().map(|o| format!("`{o}`")).collect();
                ev.error("OperationInputOutputMisuse", &shape.location, &shape.id, format!(
                    "Shapes marked with the @{0} trait cannot be used as {0} by multiple operations: {1}",
                    role.name(),
                    listed.join(", ")
                ));
            }
        }
    }
    for op in model.shapes.values() {
        if op.shape_type == ShapeType::Operation {
            name_ambiguity(ev, op);
        }
    }
}

fn local_name(id: &str) -> &str {
    id.rsplit('#').next().unwrap_or(id)
}

#[derive(Clone, Copy)]
enum Role {
    Input,
    Output,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Input => "input",
            Role::Output => "output",
        }
    }
    fn trait_id(self) -> &'static str {
        match self {
            Role::Input => "smithy.api#input",
            Role::Output => "smithy.api#output",
        }
    }
    fn relationship(self) -> Relationship {
        match self {
            Role::Input => Relationship::Input,
            Role::Output => Relationship::Output,
        }
    }
    fn other(self) -> Role {
        match self {
            Role::Input => Role::Output,
            Role::Output => Role::Input,
        }
    }
}

/// `OperationNameAmbiguity`: a shape named like the operation's input or output
/// (`<Op>Input`, `<Op>Request`, `<Op>Output`, `<Op>Response`) that the operation does not use.
fn name_ambiguity(ev: &mut Events, op: &Shape) {
    let model = ev.model;
    let (ns, name) = op.id.split_once('#').unwrap_or(("", &op.id));
    let roles = [
        ("input", &op.relations.input, ["Input", "Request"]),
        ("output", &op.relations.output, ["Output", "Response"]),
    ];
    for (role, used, suffixes) in roles {
        let used = used
            .as_ref()
            .map_or("smithy.api#Unit", |r| r.target.as_str());
        for suffix in suffixes {
            let candidate = format!("{ns}#{name}{suffix}");
            if candidate == used {
                continue;
            }
            if let Some(shape) = model.shapes.get(&candidate) {
                ev.emit("OperationNameAmbiguity", Severity::Warning, &shape.location, &shape.id, format!(
                    "The name of this shape implies that it is the {role} of {0}, but that operation uses {used} for {role}. This kind of ambiguity can confuse developers calling this operation and can cause issues in code generators that use similar naming conventions to generate {role} types.",
                    op.id
                ));
            }
        }
    }
}
