//! The 1.0 → 2.0 upgrade of shapes from IDL 1.0 files in a model that is 2.0 (some input is
//! 2.0), as the reference loader does it: in 1.0 the number and boolean shapes had a zero
//! value unless boxed, which 2.0 spells as `@default`. Sets gain `@uniqueItems` here and are
//! written as lists (see `Shape::to_json`).

use super::ast::{IdlVersion, ShapeType};
use super::model::{Location, Model, Shape, TraitValue, Traits};
use super::prelude;
use serde_json::{Map, Value};

const DEFAULT: &str = "smithy.api#default";
const BOX: &str = "smithy.api#box";

/// The shape types that had a zero value in IDL 1.0: booleans and the numbers but the big ones.
fn had_zero_value(t: ShapeType) -> bool {
    t == ShapeType::Boolean
        || (t.is_number() && !matches!(t, ShapeType::BigInteger | ShapeType::BigDecimal))
}

fn zero_value(t: ShapeType) -> Value {
    match t {
        ShapeType::Boolean => Value::Bool(false),
        ShapeType::Blob | ShapeType::String => Value::String(String::new()),
        _ => Value::Number(0.into()),
    }
}

/// Whether a 2.0 default is the 1.0 zero value of the type (`false`, or a number equal to 0).
fn is_zero_default(value: Option<&Value>, t: ShapeType) -> bool {
    match (value, t) {
        (Some(Value::Bool(b)), ShapeType::Boolean) => !b,
        (Some(Value::Number(n)), _) if t != ShapeType::Boolean => {
            n.as_f64().is_some_and(|x| x == 0.0)
        }
        _ => false,
    }
}

fn synthetic(value: Value, location: &Location) -> TraitValue {
    TraitValue {
        value,
        location: location.clone(),
    }
}

/// What the upgrade needs to know of a member's target.
struct Target {
    shape_type: ShapeType,
    /// Boxed in 1.0 terms: `@box` (1.0), or a 2.0 or prelude shape without a zero default.
    boxed: bool,
    streaming_blob: bool,
}

fn target(model: &Model, id: &str) -> Option<Target> {
    if let Some(shape) = model.shapes.get(id) {
        let boxed = match shape.version {
            IdlVersion::V1 => shape.traits.contains_key(BOX),
            IdlVersion::V2 => {
                shape.traits.contains_key(BOX)
                    || !is_zero_default(
                        shape.traits.get(DEFAULT).map(|t| &t.value),
                        shape.shape_type,
                    )
            }
        };
        return Some(Target {
            shape_type: shape.shape_type,
            boxed,
            streaming_blob: shape.shape_type == ShapeType::Blob
                && shape.traits.contains_key("smithy.api#streaming"),
        });
    }
    let shape_type = prelude::absolute_shape_type(id)?;
    let name = id.strip_prefix("smithy.api#").unwrap_or(id);
    Some(Target {
        shape_type,
        // Of the prelude, only the `Primitive*` shapes have a zero default.
        boxed: !name.starts_with("Primitive"),
        streaming_blob: false,
    })
}

/// Upgrades the 1.0 shapes of a 2.0 model in place. Does nothing to a 1.0 model: that one is
/// written as 1.0.
pub fn upgrade_v1_shapes(model: &mut Model) {
    if model.version != IdlVersion::V2 {
        return;
    }
    let mut member_defaults: Vec<(String, usize, Value)> = Vec::new();
    for shape in model.shapes.values() {
        if shape.version != IdlVersion::V1 || shape.shape_type != ShapeType::Structure {
            continue;
        }
        for (index, member) in shape.members.iter().enumerate() {
            let Some(target) = target(model, &member.target) else {
                continue;
            };
            let member_boxed = member.traits.contains_key(BOX);
            let needs_zero = (had_zero_value(target.shape_type)
                || (target.streaming_blob && !member.traits.contains_key("smithy.api#required")))
                && !member.traits.contains_key(DEFAULT)
                && !member_boxed
                && !target.boxed;
            if needs_zero {
                member_defaults.push((shape.id.clone(), index, zero_value(target.shape_type)));
            } else if member_boxed {
                member_defaults.push((shape.id.clone(), index, Value::Null));
            }
        }
    }
    for (shape_id, index, value) in member_defaults {
        if let Some(member) = model
            .shapes
            .get_mut(&shape_id)
            .and_then(|s| s.members.get_mut(index))
        {
            let location = member.location.clone();
            member
                .traits
                .insert(DEFAULT.to_string(), synthetic(value, &location));
        }
    }
    for shape in model.shapes.values_mut() {
        if shape.version == IdlVersion::V1 {
            upgrade_root(shape);
        }
    }
}

/// A root number or boolean shape without `@box` gets its zero `@default`; a set gets
/// `@uniqueItems`.
fn upgrade_root(shape: &mut Shape) {
    let traits: &mut Traits = &mut shape.traits;
    if had_zero_value(shape.shape_type)
        && !traits.contains_key(BOX)
        && !traits.contains_key(DEFAULT)
    {
        let zero = synthetic(zero_value(shape.shape_type), &shape.location);
        traits.insert(DEFAULT.to_string(), zero);
    }
    let unique = "smithy.api#uniqueItems";
    if shape.shape_type == ShapeType::Set && !traits.contains_key(unique) {
        let marker = synthetic(Value::Object(Map::new()), &shape.location);
        traits.insert(unique.to_string(), marker);
    }
}
