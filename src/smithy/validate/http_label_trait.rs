//! `HttpLabelTrait`: every label of an operation's `@http` URI has an input member marked
//! `@httpLabel`, and every such member has a label.

use super::shared::{describe, http_trait};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;

pub(super) fn check(ev: &mut Events) {
    for shape in ev.shapes_of(ShapeType::Operation) {
        check_shape(ev, shape);
    }
}

fn check_shape(ev: &mut Events, shape: &Shape) {
    let model = ev.model;
    if shape.shape_type != ShapeType::Operation {
        return;
    }
    let Some((_, uri)) = http_trait(model, shape) else {
        return;
    };
    let input_id = shape
        .relations
        .input
        .as_ref()
        .map_or("smithy.api#Unit".to_string(), |r| r.target.clone());
    let input = model.shapes.get(&input_id);
    let members: Vec<&Member> = input.map(|s| model.members_of(s)).unwrap_or_default();
    let labelled: Vec<&&Member> = members
        .iter()
        .filter(|m| m.traits.contains_key("smithy.api#httpLabel"))
        .collect();
    let missing: Vec<String> = uri
        .segments
        .iter()
        .filter_map(|(name, label)| label.map(|_| name))
        .filter(|name| !labelled.iter().any(|m| m.name == **name))
        .map(|n| format!("`{n}`"))
        .collect();
    if !missing.is_empty() {
        ev.error("HttpLabelTrait", &shape.location, &shape.id, format!(
            "This operation uses `{input_id}` as input, but the following URI labels found in the operation's `http` trait do not have a corresponding member marked with the `httpLabel` trait: {}",
            missing.join(", ")
        ));
    }
    for m in labelled {
        let member_id = format!("{input_id}${}", m.name);
        match uri.segments.iter().find(|(n, l)| l.is_some() && *n == m.name) {
            None => ev.error("HttpLabelTrait", &m.location, &member_id, format!(
                "This `{}` structure member is marked with the `httpLabel` trait, but no corresponding `http` URI label could be found when used as the input of the `{}` operation.",
                m.name, shape.id
            )),
            Some((_, Some(true))) => {
                if !matches!(model.shape_type(&m.target), Some(ShapeType::String | ShapeType::Enum)) {
                    ev.error("HttpLabelTrait", &m.location, &member_id, format!(
                        "The `{}` structure member corresponds to a greedy label when used as the input of the `{}` operation. This member targets {}, but greedy labels must target string shapes.",
                        m.name,
                        shape.id,
                        describe(model, &m.target)
                    ));
                }
            }
            Some(_) => {}
        }
    }
}
