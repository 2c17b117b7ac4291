//! The reference's operation validator: `OperationInputOutputMisuse` (a structure marked
//! `@input` or `@output` serves one operation in that role only), and the warnings
//! `OperationInputOutputName.input|output` and `OperationNameAmbiguity`.

use super::super::ast::ShapeType;
use super::super::model::Shape;
use super::neighbors::Relationship;
use super::Events;
use crate::diagnostic::Severity;
use std::collections::BTreeSet;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // Who refers to each marked structure, as borrowed referrers: the IDs of the referring
    // shapes are the model's, and a member's ID is written only for an event.
    let reverse = ev.reverse_relations();
    for role in [Role::Input, Role::Output] {
        for shape in ev.carriers(role.trait_id()) {
            if !model.has_trait(shape, role.trait_id()) {
                continue;
            }
            let mut operations = BTreeSet::new();
            for referrer in reverse.to(&shape.id) {
                let kind = &referrer.kind;
                if referrer.member.is_some() {
                    // A member: members may not target input or output structures.
                    if *kind == Relationship::MemberTarget {
                        let source = referrer.source_id();
                        let at = ev
                            .members
                            .member(&source)
                            .map_or(&shape.location, |(_, m)| &m.target_location);
                        ev.error(
                            "OperationInputOutputMisuse",
                            at,
                            &source,
                            format!(
                                "Members cannot target structures marked with the @{} trait: {}",
                                role.name(),
                                shape.id
                            ),
                        );
                    }
                    continue;
                }
                let source_shape = referrer.shape;
                let source = source_shape.id.as_str();
                if *kind == role.relationship() {
                    operations.insert(source);
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
    for op in ev.shapes_of(ShapeType::Operation) {
        name_ambiguity(ev, op);
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
