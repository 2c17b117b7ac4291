//! A model as `smithy diff` compares it: every shape and every member a shape of its own, with
//! the members and traits it inherits from mixins, and its bindings as plain shape IDs (no
//! source locations, so that moving a definition in a file changes nothing).

use crate::smithy::ast::ShapeType;
use crate::smithy::model::{Model, Shape};
use crate::smithy::prelude;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The type of a flattened shape: a shape type, or a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shape(ShapeType),
    Member,
}

impl Kind {
    /// The name the reference prints for the type (`structure`, `intEnum`, `member`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Shape(t) => t.as_str(),
            Kind::Member => "member",
        }
    }
}

/// Operation, service and resource bindings, compared as the reference compares them: sets
/// where the reference keeps sets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bindings {
    pub version: Option<String>,
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: BTreeSet<String>,
    /// Directly bound operations (not lifecycle or collection operations).
    pub operations: BTreeSet<String>,
    /// Every operation of a service or resource: direct, collection and lifecycle.
    pub all_operations: BTreeSet<String>,
    pub resources: BTreeSet<String>,
    /// Identifier name → target, in definition order.
    pub identifiers: Vec<(String, String)>,
    pub properties: BTreeMap<String, String>,
    pub lifecycle: BTreeMap<String, String>,
    pub rename: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FlatShape<'m> {
    pub id: String,
    pub kind: Kind,
    /// A member's target.
    pub target: Option<String>,
    /// Every trait, those inherited from mixins included, by absolute trait ID. Borrowed from
    /// the model: a diff flattens two whole models, and copying every trait value was most of
    /// that work.
    pub traits: BTreeMap<&'m str, Cow<'m, Value>>,
    /// Member names in order (inherited ones first).
    pub members: Vec<String>,
    pub mixins: Vec<String>,
    pub bindings: Bindings,
}

impl FlatShape<'_> {
    pub fn has_trait(&self, id: &str) -> bool {
        self.traits.contains_key(id)
    }

    pub fn shape_type(&self) -> Option<ShapeType> {
        match self.kind {
            Kind::Shape(t) => Some(t),
            Kind::Member => None,
        }
    }

    /// The ID of a member's container.
    pub fn container(&self) -> Option<&str> {
        self.id.split_once('$').map(|(c, _)| c)
    }

    pub fn member_name(&self) -> Option<&str> {
        self.id.split_once('$').map(|(_, m)| m)
    }

    pub fn member_id(&self, name: &str) -> String {
        format!("{}${name}", self.id)
    }

    /// Tags of the shape (the `smithy.api#tags` trait).
    pub fn tags(&self) -> Vec<&str> {
        self.traits
            .get("smithy.api#tags")
            .and_then(|v| v.as_array())
            .map(|t| t.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// A model's shapes and members, flattened, plus the prelude shapes its members target.
pub struct FlatModel<'m> {
    pub model: &'m Model,
    pub shapes: BTreeMap<String, FlatShape<'m>>,
    prelude: BTreeMap<String, FlatShape<'m>>,
}

impl<'m> FlatModel<'m> {
    pub fn new(model: &'m Model) -> FlatModel<'m> {
        let mut shapes = BTreeMap::new();
        let mut prelude = BTreeMap::new();
        for shape in model.shapes.values() {
            let flat = flatten(model, shape);
            for (member, _) in model.members_with_owners(shape) {
                let id = flat.member_id(&member.name);
                // A member re-declared over a mixin keeps the mixin member's traits, its own
                // winning: the loader merged them into its own
                // (`build::inherit_redeclared_member_traits`).
                let traits = member
                    .traits
                    .iter()
                    .map(|(id, t)| (id.as_str(), Cow::Borrowed(&t.value)))
                    .collect();
                if let Some(p) = prelude_shape(&member.target) {
                    prelude.insert(member.target.clone(), p);
                }
                shapes.insert(
                    id.clone(),
                    FlatShape {
                        id,
                        kind: Kind::Member,
                        target: Some(member.target.clone()),
                        traits,
                        members: Vec::new(),
                        mixins: Vec::new(),
                        bindings: Bindings::default(),
                    },
                );
            }
            shapes.insert(shape.id.clone(), flat);
        }
        FlatModel {
            model,
            shapes,
            prelude,
        }
    }

    /// A shape of the model, or a prelude shape one of its members targets.
    pub fn get(&self, id: &str) -> Option<&FlatShape<'m>> {
        self.shapes.get(id).or_else(|| self.prelude.get(id))
    }

    /// The member of a shape by name.
    pub fn member(&self, shape: &FlatShape, name: &str) -> Option<&FlatShape<'m>> {
        self.shapes.get(&shape.member_id(name))
    }

    /// The members of a shape, in order.
    pub fn members<'a>(&'a self, shape: &'a FlatShape) -> impl Iterator<Item = &'a FlatShape<'m>> {
        shape.members.iter().filter_map(|m| self.member(shape, m))
    }

    /// Whether the shape is a trait definition.
    pub fn is_trait_definition(&self, id: &str) -> bool {
        self.get(id)
            .is_some_and(|s| s.has_trait("smithy.api#trait"))
    }
}

/// A prelude shape as a flattened shape: its type, and the default of the `Primitive*` shapes.
fn prelude_shape(id: &str) -> Option<FlatShape<'static>> {
    let shape_type = prelude::absolute_shape_type(id)?;
    let mut traits = BTreeMap::new();
    if id.starts_with("smithy.api#Primitive") {
        let zero = if shape_type == ShapeType::Boolean {
            json!(false)
        } else {
            json!(0)
        };
        traits.insert("smithy.api#default", Cow::Owned(zero));
    }
    if id == "smithy.api#Unit" {
        traits.insert("smithy.api#unitType", Cow::Owned(json!({})));
    }
    Some(FlatShape {
        id: id.to_string(),
        kind: Kind::Shape(shape_type),
        target: None,
        traits,
        members: Vec::new(),
        mixins: Vec::new(),
        bindings: Bindings::default(),
    })
}

fn flatten<'m>(model: &'m Model, shape: &'m Shape) -> FlatShape<'m> {
    let r = &shape.relations;
    let target = |reference: &crate::smithy::model::Reference| reference.target.clone();
    let lifecycle: BTreeMap<String, String> = r
        .lifecycle
        .iter()
        .map(|(name, reference)| (name.clone(), target(reference)))
        .collect();
    let operations: BTreeSet<String> = r.operations.iter().map(target).collect();
    let is_operation = shape.shape_type == ShapeType::Operation;
    let unit = || Some("smithy.api#Unit".to_string());
    let bindings = Bindings {
        version: r.version.clone(),
        input: if is_operation {
            r.input.as_ref().map(target).or_else(unit)
        } else {
            None
        },
        output: if is_operation {
            r.output.as_ref().map(target).or_else(unit)
        } else {
            None
        },
        errors: r.errors.iter().map(target).collect(),
        all_operations: operations
            .iter()
            .cloned()
            .chain(r.collection_operations.iter().map(target))
            .chain(lifecycle.values().cloned())
            .collect(),
        operations,
        resources: r.resources.iter().map(target).collect(),
        identifiers: r
            .identifiers
            .iter()
            .map(|(name, reference)| (name.clone(), target(reference)))
            .collect(),
        properties: r
            .properties
            .iter()
            .map(|(name, reference)| (name.clone(), target(reference)))
            .collect(),
        lifecycle,
        rename: r.rename.iter().cloned().collect(),
    };
    FlatShape {
        id: shape.id.clone(),
        kind: Kind::Shape(shape.shape_type),
        target: None,
        traits: all_traits(model, shape),
        members: model
            .members_of(shape)
            .into_iter()
            .map(|m| m.name.clone())
            .collect(),
        mixins: shape.mixins.iter().map(|m| m.target.clone()).collect(),
        bindings,
    }
}

/// Every trait of a shape: those its mixins pass on (each mixin's own inherited ones first,
/// later mixins over earlier ones), then its own.
fn all_traits<'m>(model: &'m Model, shape: &'m Shape) -> BTreeMap<&'m str, Cow<'m, Value>> {
    let mut traits = BTreeMap::new();
    let mut seen = BTreeSet::from([shape.id.as_str()]);
    inherit(model, shape, &mut traits, &mut seen);
    for (id, t) in &shape.traits {
        traits.insert(id.as_str(), Cow::Borrowed(&t.value));
    }
    traits
}

fn inherit<'m>(
    model: &'m Model,
    shape: &'m Shape,
    traits: &mut BTreeMap<&'m str, Cow<'m, Value>>,
    seen: &mut BTreeSet<&'m str>,
) {
    for mixin in &shape.mixins {
        let Some(m) = model.shapes.get(&mixin.target) else {
            continue;
        };
        if !seen.insert(&m.id) {
            continue;
        }
        inherit(model, m, traits, seen);
        let local: Vec<&str> = m
            .traits
            .get("smithy.api#mixin")
            .and_then(|t| t.value.get("localTraits"))
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (id, t) in &m.traits {
            if id != "smithy.api#mixin" && !local.contains(&id.as_str()) {
                traits.insert(id.as_str(), Cow::Borrowed(&t.value));
            }
        }
    }
}
