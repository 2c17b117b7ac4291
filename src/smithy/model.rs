//! The semantic model: shapes keyed by absolute shape ID, traits as node values, and for every
//! shape and reference the place it was written. Serialises to the Smithy JSON AST.

use super::ast::{IdlVersion, ShapeType};
pub use super::shape_map::ShapeMap;
pub use super::sorted_map::SortedMap;
use crate::diagnostic::Span;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where something was written: the file as the user named it and a span in it. The path is
/// shared by everything read from one file (a large model has millions of locations).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub path: Arc<str>,
    pub span: Span,
}

/// A reference from a shape to another shape, with where the reference was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub target: String,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TraitValue {
    pub value: Value,
    pub location: Location,
}

/// Traits by absolute trait shape ID, in ID order.
pub type Traits = SortedMap<String, TraitValue>;

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: String,
    pub target: String,
    /// Every trait of the member: applied to it and, when it redeclares a member of its
    /// container's mixins, inherited from that member (see
    /// [`Model::inherited_member_traits`]).
    pub traits: Traits,
    pub location: Location,
    pub target_location: Location,
}

/// The relationships of a shape: only services, resources and operations have any, so a
/// shape keeps them boxed and absent when there are none (a plain structure or member-less
/// shape was 530 bytes, 330 of them empty lists; a model of 10,000 plans has 600,000 shapes).
/// Reads see the empty lists; a write makes the box.
#[derive(Clone, Default)]
pub struct Relations(Option<Box<RelationLists>>);

/// What reading the relations of a shape that has none sees.
static NO_RELATIONS: RelationLists = RelationLists {
    version: None,
    input: None,
    output: None,
    errors: Vec::new(),
    operations: Vec::new(),
    resources: Vec::new(),
    collection_operations: Vec::new(),
    identifiers: Vec::new(),
    properties: Vec::new(),
    lifecycle: Vec::new(),
    rename: Vec::new(),
};

impl std::ops::Deref for Relations {
    type Target = RelationLists;

    fn deref(&self) -> &RelationLists {
        self.0.as_deref().unwrap_or(&NO_RELATIONS)
    }
}

impl std::ops::DerefMut for Relations {
    fn deref_mut(&mut self) -> &mut RelationLists {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<RelationLists> for Relations {
    fn from(lists: RelationLists) -> Relations {
        Relations((lists != NO_RELATIONS).then(|| Box::new(lists)))
    }
}

impl PartialEq for Relations {
    fn eq(&self, other: &Relations) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Relations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// The relationships of services, resources and operations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelationLists {
    pub version: Option<String>,
    pub input: Option<Reference>,
    pub output: Option<Reference>,
    pub errors: Vec<Reference>,
    pub operations: Vec<Reference>,
    pub resources: Vec<Reference>,
    pub collection_operations: Vec<Reference>,
    pub identifiers: Vec<(String, Reference)>,
    pub properties: Vec<(String, Reference)>,
    /// `create`, `put`, `read`, `update`, `delete`, `list`, in that order.
    pub lifecycle: Vec<(String, Reference)>,
    /// Absolute shape ID → new name.
    pub rename: Vec<(String, String)>,
}

/// Each trait's ID and where it was applied.
fn trait_places(traits: &Traits) -> impl Iterator<Item = (&str, &Location)> {
    traits
        .iter()
        .map(|(id, value)| (id.as_str(), &value.location))
}

/// A reference's target and where it was written.
fn place(reference: &Reference) -> (&str, &Location) {
    (reference.target.as_str(), &reference.location)
}

pub const LIFECYCLE: [&str; 6] = ["create", "put", "read", "update", "delete", "list"];

#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub id: String,
    pub shape_type: ShapeType,
    /// Members defined on this shape (not those inherited from mixins), in definition order.
    /// Lists and sets have `member`, maps `key` and `value`.
    pub members: Vec<Member>,
    pub traits: Traits,
    pub mixins: Vec<Reference>,
    pub relations: Relations,
    /// The resource a structure is bound to with `for` (target elision).
    pub for_resource: Option<Reference>,
    pub location: Location,
    /// The IDL version of the file that defined the shape.
    pub version: IdlVersion,
}

impl Shape {
    /// The ID of this shape's member `name` (`ns#Shape$name`).
    pub fn member_id(&self, name: &str) -> String {
        format!("{}${name}", self.id)
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The shapes this shape names besides its members and traits: mixins, then its operation,
    /// service and resource bindings, in the one order every walk over them uses.
    pub fn bindings(&self) -> impl Iterator<Item = &Reference> {
        let r = &self.relations;
        let named = r
            .identifiers
            .iter()
            .chain(&r.properties)
            .chain(&r.lifecycle)
            .map(|(_, reference)| reference);
        self.mixins
            .iter()
            .chain(&r.input)
            .chain(&r.output)
            .chain(&r.errors)
            .chain(&r.operations)
            .chain(&r.resources)
            .chain(&r.collection_operations)
            .chain(named)
    }

    /// Every shape this shape refers to, with the place of the reference: member targets,
    /// mixins, relationships and applied traits.
    pub fn references(&self) -> Vec<Reference> {
        self.referenced()
            .map(|(target, location)| Reference {
                target: target.to_string(),
                location: location.clone(),
            })
            .collect()
    }

    /// [`Shape::references`] without copies: each target and where it was written.
    pub fn referenced(&self) -> impl Iterator<Item = (&str, &Location)> {
        let members = self.members.iter().flat_map(move |m| {
            std::iter::once((m.target.as_str(), &m.target_location)).chain(trait_places(&m.traits))
        });
        let r = &self.relations;
        let named = r
            .identifiers
            .iter()
            .chain(&r.properties)
            .chain(&r.lifecycle)
            .map(|(_, reference)| reference);
        let relations = r
            .input
            .iter()
            .chain(&r.output)
            .chain(&r.errors)
            .chain(&r.operations)
            .chain(&r.resources)
            .chain(&r.collection_operations)
            .chain(named);
        members
            .chain(self.mixins.iter().map(place))
            .chain(trait_places(&self.traits))
            .chain(relations.map(place))
    }

    /// The shape as a JSON AST shape of a model of `model_version`: a 2.0 model has no sets,
    /// so a set (of a 1.0 file) is written as the list it is upgraded to.
    pub fn to_json(&self, model_version: IdlVersion) -> Value {
        self.to_json_in(
            model_version,
            &HashMap::default(),
            &HashSet::default(),
            None,
        )
    }

    /// [`Shape::to_json`] leaving out the traits its members only inherit (see
    /// [`Model::inherited_member_traits`]) and the members `merged` from several mixins that
    /// introduce none (see [`Model::merged_mixin_members`]), and writing `own_relations`, when
    /// given, for the relations (see [`Model::own_relations`]).
    pub fn to_json_in(
        &self,
        model_version: IdlVersion,
        inherited: &HashMap<String, Vec<String>>,
        merged: &HashSet<String>,
        own_relations: Option<&Relations>,
    ) -> Value {
        let member_json = |m: &Member| {
            let only_inherited = match inherited.is_empty() {
                true => None,
                false => inherited.get(&self.member_id(&m.name)),
            };
            member_json(m, only_inherited.map_or(&[][..], Vec::as_slice))
        };
        let mut out = Map::new();
        let shape_type = match self.shape_type {
            ShapeType::Set if model_version == IdlVersion::V2 => ShapeType::List,
            t => t,
        };
        out.insert("type".into(), Value::String(shape_type.as_str().into()));
        let r = own_relations.unwrap_or(&self.relations);
        let refs = |list: &[Reference]| {
            Value::Array(list.iter().map(|x| target_json(&x.target)).collect())
        };
        let named = |list: &[(String, Reference)]| {
            Value::Object(
                list.iter()
                    .map(|(n, x)| (n.clone(), target_json(&x.target)))
                    .collect(),
            )
        };
        match self.shape_type {
            ShapeType::Service => {
                if let Some(v) = &r.version {
                    out.insert("version".into(), Value::String(v.clone()));
                }
                insert_non_empty(&mut out, "operations", refs(&r.operations));
                insert_non_empty(&mut out, "resources", refs(&r.resources));
                insert_non_empty(&mut out, "errors", refs(&r.errors));
                let rename: Map<String, Value> = r
                    .rename
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                insert_non_empty(&mut out, "rename", Value::Object(rename));
            }
            ShapeType::Resource => {
                insert_non_empty(&mut out, "identifiers", named(&r.identifiers));
                insert_non_empty(&mut out, "properties", named(&r.properties));
                for (name, reference) in &r.lifecycle {
                    out.insert(name.clone(), target_json(&reference.target));
                }
                insert_non_empty(&mut out, "operations", refs(&r.operations));
                insert_non_empty(
                    &mut out,
                    "collectionOperations",
                    refs(&r.collection_operations),
                );
                insert_non_empty(&mut out, "resources", refs(&r.resources));
            }
            ShapeType::Operation => {
                if let Some(i) = &r.input {
                    out.insert("input".into(), target_json(&i.target));
                }
                if let Some(o) = &r.output {
                    out.insert("output".into(), target_json(&o.target));
                }
                insert_non_empty(&mut out, "errors", refs(&r.errors));
            }
            ShapeType::List | ShapeType::Set | ShapeType::Map => {
                for m in &self.members {
                    out.insert(m.name.clone(), member_json(m));
                }
            }
            ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
                let members: Map<String, Value> = self
                    .members
                    .iter()
                    .map(|m| (m.name.clone(), member_json(m)))
                    // A member merged from several mixins that introduces no trait is not
                    // written (the reference writes nothing for it).
                    .filter(|(name, json)| {
                        merged.is_empty()
                            || json.get("traits").is_some()
                            || !merged.contains(self.member_id(name).as_str())
                    })
                    .collect();
                out.insert("members".into(), Value::Object(members));
            }
            _ => {}
        }
        insert_non_empty(&mut out, "mixins", refs(&self.mixins));
        insert_non_empty(&mut out, "traits", traits_json(&self.traits));
        Value::Object(out)
    }
}

fn insert_non_empty(out: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if !empty {
        out.insert(key.into(), value);
    }
}

fn target_json(target: &str) -> Value {
    let mut m = Map::new();
    m.insert("target".into(), Value::String(target.into()));
    Value::Object(m)
}

/// A member as JSON, without the traits it only inherits (`inherited`).
fn member_json(member: &Member, inherited: &[String]) -> Value {
    let mut m = Map::new();
    m.insert("target".into(), Value::String(member.target.clone()));
    let traits = match inherited.is_empty() {
        true => traits_json(&member.traits),
        false => Value::Object(
            member
                .traits
                .iter()
                .filter(|(k, _)| !inherited.contains(k))
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
        ),
    };
    insert_non_empty(&mut m, "traits", traits);
    Value::Object(m)
}

fn traits_json(traits: &Traits) -> Value {
    Value::Object(
        traits
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect(),
    )
}

/// A loaded model: the shapes of all inputs (the prelude is not among them).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// `1.0` when every input was IDL 1.0 / a 1.0 JSON AST, else `2.0`.
    pub version: IdlVersion,
    pub metadata: BTreeMap<String, Value>,
    /// Where each metadata value was written: for a list (lists of several files are
    /// concatenated), one location per element; else one.
    pub metadata_locations: BTreeMap<String, Vec<Location>>,
    pub shapes: ShapeMap<Shape>,
    /// By member ID, the IDs of the traits a member redeclared over a mixin member only
    /// inherits from it (applied to it, a trait is its own): the JSON AST leaves them out, as
    /// the reference writes a member's introduced traits. Kept here, not on each member, as
    /// few members have any.
    pub inherited_member_traits: HashMap<String, Vec<String>>,
    /// The IDs of the members a shape has from several of its mixins without declaring them,
    /// added to it with the traits of all of them (see `Builder::merge_members_of_several_mixins`):
    /// the JSON AST writes such a member only when it introduces a trait.
    pub merged_mixin_members: HashSet<String>,
    /// By shape ID, the relations a service, resource or operation declares itself, kept for
    /// the shapes whose `relations` also hold those inherited from their mixins (the
    /// reference's `errors`, `operations`, ... include them; its JSON AST writes the
    /// introduced ones only). Empty for a model without such mixins.
    pub own_relations: HashMap<String, Relations>,
}

impl Default for Model {
    fn default() -> Model {
        Model {
            version: IdlVersion::V2,
            metadata: BTreeMap::new(),
            metadata_locations: BTreeMap::new(),
            shapes: ShapeMap::new(),
            inherited_member_traits: HashMap::default(),
            merged_mixin_members: HashSet::default(),
            own_relations: HashMap::default(),
        }
    }
}

impl Model {
    /// The model as a Smithy JSON AST document: prelude left out, shapes and traits in sorted
    /// order, members in definition order. IDL 1.0 models are written as `"smithy": "1.0"`
    /// without the 1.0 → 2.0 upgrade.
    pub fn to_json_ast(&self) -> Value {
        serde_json::to_value(self.json_ast()).unwrap_or(Value::Null)
    }

    /// The JSON AST as something serde writes shape by shape, so that a large model is never
    /// held twice (see [`Model::to_json_ast`]).
    pub fn json_ast(&self) -> JsonAst<'_> {
        JsonAst(self)
    }

    /// The type of a shape of the model or of the prelude.
    pub fn shape_type(&self, id: &str) -> Option<ShapeType> {
        match self.shapes.get(id) {
            Some(s) => Some(s.shape_type),
            None => super::prelude::absolute_shape_type(id),
        }
    }

    /// Whether an absolute shape ID (member IDs included) names a shape of the model or the
    /// prelude.
    pub fn contains(&self, id: &str) -> bool {
        match id.split_once('$') {
            Some((root, member)) => self
                .shapes
                .get(root)
                .is_some_and(|s| self.members_of(s).iter().any(|m| m.name == member)),
            None => self.shape_type(id).is_some(),
        }
    }

    /// Whether a shape has a trait, applied to it or inherited from its mixins (which pass on
    /// every trait except `@mixin` and the traits listed in its `localTraits`).
    pub fn has_trait(&self, shape: &Shape, trait_id: &str) -> bool {
        self.trait_value(shape, trait_id).is_some()
    }

    /// A trait's value on a shape, applied to it or inherited from its mixins.
    pub fn trait_value<'a>(&'a self, shape: &'a Shape, trait_id: &str) -> Option<&'a Value> {
        self.trait_entry(shape, trait_id).map(|t| &t.value)
    }

    /// [`Model::trait_value`] with where the trait was applied (on the mixin, for an inherited
    /// trait: the reference copies the trait, and its place, into the shape that mixes it in).
    pub fn trait_entry<'a>(&'a self, shape: &'a Shape, trait_id: &str) -> Option<&'a TraitValue> {
        if shape.mixins.is_empty() {
            return shape.traits.get(trait_id);
        }
        let mut seen = HashSet::default();
        self.trait_entry_inner(shape, trait_id, true, &mut seen)
    }

    /// The IDs of the traits a shape gets from its mixins and does not carry itself, by the
    /// rules of [`Model::trait_entry`] (`@mixin` and a mixin's `localTraits` stay behind).
    pub fn inherited_trait_ids(&self, shape: &Shape) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::default();
        let mut queue: Vec<&str> = shape.mixins.iter().map(|m| m.target.as_str()).collect();
        while let Some(id) = queue.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(mixin) = self.shapes.get(id) else {
                continue;
            };
            queue.extend(mixin.mixins.iter().map(|m| m.target.as_str()));
            for trait_id in mixin.traits.keys() {
                if !shape.traits.contains_key(trait_id)
                    && !found.contains(trait_id)
                    && self.has_trait(shape, trait_id)
                {
                    found.push(trait_id.clone());
                }
            }
        }
        found
    }

    fn trait_entry_inner<'a>(
        &'a self,
        shape: &'a Shape,
        trait_id: &str,
        local: bool,
        seen: &mut HashSet<&'a str>,
    ) -> Option<&'a TraitValue> {
        if !seen.insert(&shape.id) {
            return None;
        }
        if let Some(t) = shape.traits.get(trait_id) {
            let passes_on = trait_id != "smithy.api#mixin"
                && !shape
                    .traits
                    .get("smithy.api#mixin")
                    .and_then(|m| m.value.get("localTraits"))
                    .and_then(Value::as_array)
                    .is_some_and(|l| l.iter().any(|x| x.as_str() == Some(trait_id)));
            if local || passes_on {
                return Some(t);
            }
        }
        shape.mixins.iter().rev().find_map(|m| {
            let mixin = self.shapes.get(&m.target)?;
            self.trait_entry_inner(mixin, trait_id, false, seen)
        })
    }

    /// The declaration of member `name` as [`Model::members_of`] gives it: the shape's own, else
    /// that of its last mixin to have one (mixins' own before their mixins'). Walks the mixins
    /// of one shape only, for a look-up by name where merging every member would be wasted.
    pub fn member_declaration<'a>(&'a self, shape: &'a Shape, name: &str) -> Option<&'a Member> {
        if let Some(m) = shape.member(name) {
            return Some(m);
        }
        if shape.mixins.is_empty() {
            return None;
        }
        let mut seen = HashSet::from_iter([shape.id.as_str()]);
        self.mixin_member_declaration(shape, name, &mut seen)
    }

    fn mixin_member_declaration<'a>(
        &'a self,
        shape: &'a Shape,
        name: &str,
        seen: &mut HashSet<&'a str>,
    ) -> Option<&'a Member> {
        for mixin in shape.mixins.iter().rev() {
            let Some(m) = self.shapes.get(&mixin.target) else {
                continue;
            };
            if !seen.insert(&m.id) {
                continue;
            }
            if let Some(found) = m
                .member(name)
                .or_else(|| self.mixin_member_declaration(m, name, seen))
            {
                return Some(found);
            }
        }
        None
    }

    /// The members of a shape, those inherited from mixins included (local ones win).
    pub fn members_of<'a>(&'a self, shape: &'a Shape) -> Vec<&'a Member> {
        if shape.mixins.is_empty() {
            return shape.members.iter().collect();
        }
        self.members_with_owners(shape)
            .into_iter()
            .map(|(member, _)| member)
            .collect()
    }

    /// The members of a shape as [`Model::members_of`] gives them, each with the ID of the
    /// shape that defines it. One walk over the mixin graph, with hashed look-ups, so that a
    /// long chain of mixins costs what its members cost.
    pub fn members_with_owners<'a>(&'a self, shape: &'a Shape) -> Vec<(&'a Member, &'a str)> {
        let mut merged = MergedMembers::default();
        let mut seen = HashSet::from_iter([shape.id.as_str()]);
        self.collect_mixin_members(shape, &mut merged, &mut seen);
        merged.add(shape);
        merged.members
    }

    fn collect_mixin_members<'a>(
        &'a self,
        shape: &'a Shape,
        merged: &mut MergedMembers<'a>,
        seen: &mut HashSet<&'a str>,
    ) {
        for mixin in &shape.mixins {
            let Some(m) = self.shapes.get(&mixin.target) else {
                continue;
            };
            // Mixin cycles and diamonds: every mixin counts once.
            if !seen.insert(&m.id) {
                continue;
            }
            self.collect_mixin_members(m, merged, seen);
            merged.add(m);
        }
    }
}

/// The members of every shape that has mixins, merged with the inherited ones once: looking a
/// member up by its ID is then a hash look-up, where merging the mixins on every look-up made a
/// chain of `n` mixins cost `n³`.
pub struct MemberIndex<'m> {
    pub model: &'m Model,
    merged: HashMap<&'m str, MergedMembers<'m>>,
}

impl<'m> MemberIndex<'m> {
    pub fn new(model: &'m Model) -> MemberIndex<'m> {
        let mut merged: HashMap<&'m str, MergedMembers<'m>> = HashMap::default();
        for shape in model.shapes.values() {
            // A shape with one mixin has that mixin's merged members and then its own, so a
            // chain of single mixins is merged from its bottom up, each link once. Shapes with
            // several mixins (and cycles) are merged by walking their mixins.
            let mut chain: Vec<&'m Shape> = Vec::new();
            let mut on_chain: HashSet<&'m str> = HashSet::default();
            let mut at = Some(shape);
            let mut cyclic = false;
            while let Some(s) = at {
                if s.mixins.is_empty() || merged.contains_key(s.id.as_str()) {
                    break;
                }
                if !on_chain.insert(&s.id) {
                    cyclic = true;
                    break;
                }
                chain.push(s);
                at = match s.mixins.as_slice() {
                    [only] => model.shapes.get(&only.target),
                    _ => None,
                };
            }
            for s in chain.into_iter().rev() {
                let single = match s.mixins.as_slice() {
                    [only] => model.shapes.get(&only.target),
                    _ => None,
                };
                // In a cycle every shape is merged by the walk, which stops where it began.
                let mut members = match single.filter(|_| !cyclic) {
                    Some(m) if m.mixins.is_empty() => {
                        let mut members = MergedMembers::default();
                        members.add(m);
                        members
                    }
                    Some(m) if merged.contains_key(m.id.as_str()) => merged[m.id.as_str()].clone(),
                    None if !cyclic && s.mixins.len() == 1 => MergedMembers::default(),
                    _ => {
                        let mut members = MergedMembers::default();
                        let mut seen = HashSet::from_iter([s.id.as_str()]);
                        model.collect_mixin_members(s, &mut members, &mut seen);
                        members
                    }
                };
                members.add(s);
                merged.insert(&s.id, members);
            }
        }
        MemberIndex { model, merged }
    }

    /// The members of a shape, inherited ones included, as [`Model::members_of`] gives them.
    pub fn members(&self, shape: &'m Shape) -> Vec<&'m Member> {
        match self.merged_of(shape) {
            Some(merged) => merged.members.iter().map(|(m, _)| *m).collect(),
            None => shape.members.iter().collect(),
        }
    }

    /// The merged members of a shape with mixins (only those are merged: the others need no
    /// hashed look-up).
    fn merged_of(&self, shape: &Shape) -> Option<&MergedMembers<'m>> {
        if shape.mixins.is_empty() {
            return None;
        }
        self.merged.get(shape.id.as_str())
    }

    /// [`MemberIndex::members`] without collecting them: validators walk every member of every
    /// shape, and a vector per shape was a good part of what that cost.
    pub fn each_member(&self, shape: &'m Shape) -> impl Iterator<Item = &'m Member> + '_ {
        let merged = self.merged_of(shape);
        let inherited = merged
            .into_iter()
            .flat_map(|m| m.members.iter().map(|(m, _)| *m));
        let own = merged
            .is_none()
            .then_some(&shape.members)
            .into_iter()
            .flatten();
        inherited.chain(own)
    }

    /// A member by its member ID (`shape$name`), with its container; inherited members included.
    pub fn member(&self, id: &str) -> Option<(&'m Shape, &'m Member)> {
        let (root, name) = id.split_once('$')?;
        let shape = self.model.shapes.get(root)?;
        let member = match self.merged.get(root) {
            Some(merged) => merged.position.get(name).map(|&at| merged.members[at].0),
            None => shape.member(name),
        }?;
        Some((shape, member))
    }
}

/// Members in first-definition order; a later definition of a name replaces the earlier one.
#[derive(Default, Clone)]
struct MergedMembers<'a> {
    members: Vec<(&'a Member, &'a str)>,
    position: HashMap<&'a str, usize>,
}

impl<'a> MergedMembers<'a> {
    fn add(&mut self, owner: &'a Shape) {
        for member in &owner.members {
            match self.position.get(member.name.as_str()) {
                Some(&at) => self.members[at] = (member, &owner.id),
                None => {
                    self.position.insert(&member.name, self.members.len());
                    self.members.push((member, &owner.id));
                }
            }
        }
    }
}

/// A model serialised as a JSON AST document, one shape at a time.
pub struct JsonAst<'a>(&'a Model);

impl Serialize for JsonAst<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let model = self.0;
        let mut doc = serializer.serialize_map(None)?;
        doc.serialize_entry("smithy", model.version.as_str())?;
        if !model.metadata.is_empty() {
            doc.serialize_entry("metadata", &model.metadata)?;
        }
        doc.serialize_entry("shapes", &JsonAstShapes(model))?;
        doc.end()
    }
}

struct JsonAstShapes<'a>(&'a Model);

impl Serialize for JsonAstShapes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let model = self.0;
        let mut shapes = serializer.serialize_map(Some(model.shapes.len()))?;
        for (id, shape) in &model.shapes {
            shapes.serialize_entry(
                id,
                &shape.to_json_in(
                    model.version,
                    &model.inherited_member_traits,
                    &model.merged_mixin_members,
                    match model.own_relations.is_empty() {
                        true => None,
                        false => model.own_relations.get(id),
                    },
                ),
            )?;
        }
        shapes.end()
    }
}
