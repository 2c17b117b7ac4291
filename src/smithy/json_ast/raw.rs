//! The JSON AST document as read, straight from its text: a generic JSON tree of a document of a
//! hundred thousand shapes cost a quarter of loading it (a hashed map per object, every key
//! copied). Each shape is read into the structures below and handed to [`ShapeReader::entry`]
//! as soon as its object ends, with its members and traits already in the model's types: no
//! map of all the shapes is built and walked afterwards. Only trait values and the small
//! relationship properties are JSON values. Objects keep their properties in document order,
//! and a property given twice keeps its first place and its last value, as a JSON object map
//! does.
//!
//! A shape is located at its key from where the parser found the key: a key without escapes is
//! borrowed from the text, so its offset is known without searching for it.

use super::{ShapeEntry, ShapeReader};
use crate::smithy::ast::ShapeType;
use crate::smithy::model::{Location, TraitValue, Traits};
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use std::hash::BuildHasher;

/// With `arbitrary_precision`, serde_json hands a number to a visitor as a map of this one
/// key; every reader of "any value" here must tell it from an object.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Every property name a shape of any type may have; others are only counted as additional.
pub(super) const SHAPE_PROPERTIES: &[&str] = &[
    "collectionOperations",
    "create",
    "delete",
    "errors",
    "identifiers",
    "input",
    "key",
    "list",
    "member",
    "members",
    "mixins",
    "operations",
    "output",
    "properties",
    "put",
    "read",
    "rename",
    "resources",
    "traits",
    "type",
    "update",
    "value",
    "version",
];

/// A JSON value that is an object read as `T`, or else the JSON type name of what it is.
pub(super) enum ObjectOr<T> {
    Object(T),
    Other(&'static str),
}

impl<T> ObjectOr<T> {
    pub(super) fn into_object(self) -> Option<T> {
        match self {
            ObjectOr::Object(t) => Some(t),
            ObjectOr::Other(_) => None,
        }
    }
}

/// The root object of a document.
#[derive(Default)]
pub(super) struct RawDocument {
    pub(super) smithy: Option<Value>,
    pub(super) metadata: Option<Value>,
    pub(super) shapes: Option<ObjectOr<ShapeEntries>>,
    /// Every property name, in document order.
    pub(super) keys: Vec<String>,
}

/// The shapes of a document as [`ShapeReader::entry`] made them, in document order.
#[derive(Default)]
pub(super) struct ShapeEntries {
    pub(super) entries: Vec<ShapeEntry>,
    /// The position of the first entry of each ID's hash (a shape given twice is replaced).
    by_hash: FxHashMap<u64, usize>,
    /// Where the last shape key found ends: a key with escapes is searched for after it.
    cursor: usize,
}

impl ShapeEntries {
    /// Where the shape `id` already is.
    fn position(&self, id: &str, hash: u64) -> Option<usize> {
        let &at = self.by_hash.get(&hash)?;
        if self.entries[at].id() == id {
            return Some(at);
        }
        // Two IDs with one hash: look at every entry.
        self.entries.iter().position(|e| e.id() == id)
    }
}

/// The type a shape says it has.
#[derive(Default)]
pub(super) enum TypeName {
    /// Absent, or not a string.
    #[default]
    Missing,
    Apply,
    Known(ShapeType),
    Other(String),
}

impl TypeName {
    fn of(text: &str) -> TypeName {
        match text {
            "apply" => TypeName::Apply,
            _ => ShapeType::from_keyword(text)
                .map_or_else(|| TypeName::Other(text.into()), TypeName::Known),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            TypeName::Missing => "",
            TypeName::Apply => "apply",
            TypeName::Known(t) => t.as_str(),
            TypeName::Other(text) => text,
        }
    }
}

/// One entry of `shapes`: its members and traits read, the other properties as JSON values.
#[derive(Default)]
pub(super) struct RawShape {
    /// The properties of [`SHAPE_PROPERTIES`] it has, one bit each by position.
    known: u32,
    /// The names of the other properties, once each.
    unknown: Vec<String>,
    pub(super) type_name: TypeName,
    pub(super) traits: Option<Traits>,
    /// `members`, when it is an object.
    pub(super) members: Option<Vec<(String, RawMember)>>,
    /// `member`, `key` and `value`.
    pub(super) member: Option<RawMember>,
    pub(super) key: Option<RawMember>,
    pub(super) value: Option<RawMember>,
    /// The other known properties (`input`, `errors`, ...).
    rest: Vec<(&'static str, Value)>,
}

impl RawShape {
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.rest.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Every property name (once each, in no particular order).
    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        let known = SHAPE_PROPERTIES
            .iter()
            .enumerate()
            .filter(|(bit, _)| self.known & (1 << bit) != 0)
            .map(|(_, name)| *name);
        known.chain(self.unknown.iter().map(String::as_str))
    }

    /// `member`, `key` or `value`.
    pub(super) fn single_member(&self, name: &str) -> Option<&RawMember> {
        match name {
            "member" => self.member.as_ref(),
            "key" => self.key.as_ref(),
            "value" => self.value.as_ref(),
            _ => None,
        }
    }

    pub(super) fn take_single_member(&mut self, name: &str) -> Option<RawMember> {
        match name {
            "member" => self.member.take(),
            "key" => self.key.take(),
            "value" => self.value.take(),
            _ => None,
        }
    }
}

/// A member: its target (empty when it is not a string) and traits (located at its shape); a
/// member that is not an object has neither.
#[derive(Default)]
pub(super) struct RawMember {
    pub(super) target: String,
    pub(super) traits: Option<Traits>,
    /// The names of properties other than `target` and `traits`.
    pub(super) additional: Vec<String>,
}

/// Reads a whole document, each shape through `reader`; the error is serde_json's (with its
/// line and column).
pub(super) fn read(reader: &ShapeReader) -> Result<ObjectOr<RawDocument>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(&reader.source.text);
    let doc = ObjectOf(DocumentFields { reader }).deserialize(&mut de)?;
    de.end()?;
    Ok(doc)
}

/// Reads the fields of one kind of object, property by property.
trait Fields: Sized {
    type Out: Default;
    fn expecting() -> &'static str;
    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut Self::Out,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// A property name, borrowed from the text unless it has escapes: most names are compared
/// and dropped (`type`, `target`, `traits`), and a document has millions of them.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_string()))
    }

    fn visit_string<E>(self, key: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key))
    }
}

/// Any JSON value: an object read with `F`, else its type name.
struct ObjectOf<F>(F);

impl<'de, F: Fields> DeserializeSeed<'de> for ObjectOf<F> {
    type Value = ObjectOr<F::Out>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: Fields> Visitor<'de> for ObjectOf<F> {
    type Value = ObjectOr<F::Out>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(F::expecting())
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("boolean"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("string"))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("null"))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(ObjectOr::Other("null"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ObjectOr::Other("array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = F::Out::default();
        let mut first = true;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if first && key == NUMBER_TOKEN {
                map.next_value::<IgnoredAny>()?;
                return Ok(ObjectOr::Other("number"));
            }
            first = false;
            self.0.field(&mut out, key, &mut map)?;
        }
        Ok(ObjectOr::Object(out))
    }
}

/// Sets `slot` to the next value read by `seed`, replacing an earlier one.
fn replace<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    slot: &mut Option<S::Value>,
    map: &mut A,
    seed: S,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value_seed(seed)?);
    Ok(())
}

/// Of entries with equal names, keeps the first one's place and the last one's value, as a
/// JSON object map does.
fn keep_last_values<T>(entries: &mut Vec<(String, T)>) {
    // The position of an earlier entry of the same name, for each entry.
    let earlier: Vec<Option<usize>> = if entries.len() <= 8 {
        (0..entries.len())
            .map(|i| entries[..i].iter().position(|(n, _)| *n == entries[i].0))
            .collect()
    } else {
        let mut first: FxHashMap<&str, usize> = FxHashMap::default();
        first.reserve(entries.len());
        entries
            .iter()
            .enumerate()
            .map(|(i, (name, _))| first.try_insert_or_get(name, i).err())
            .collect()
    };
    if earlier.iter().all(Option::is_none) {
        return;
    }
    for (i, at) in earlier.iter().enumerate() {
        if let Some(at) = *at {
            let (head, tail) = entries.split_at_mut(i);
            std::mem::swap(&mut head[at].1, &mut tail[0].1);
        }
    }
    let mut i = 0;
    entries.retain(|_| {
        i += 1;
        earlier[i - 1].is_none()
    });
}

/// `HashMap::try_insert`, which is not stable.
trait TryInsert<'a> {
    fn try_insert_or_get(&mut self, key: &'a str, at: usize) -> Result<(), usize>;
}

impl<'a> TryInsert<'a> for FxHashMap<&'a str, usize> {
    fn try_insert_or_get(&mut self, key: &'a str, at: usize) -> Result<(), usize> {
        match self.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => Err(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(at);
                Ok(())
            }
        }
    }
}

struct DocumentFields<'r> {
    reader: &'r ShapeReader<'r>,
}

impl Fields for DocumentFields<'_> {
    type Out = RawDocument;

    fn expecting() -> &'static str {
        "a JSON AST document"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut RawDocument,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match &*key {
            "smithy" => out.smithy = Some(map.next_value()?),
            "metadata" => out.metadata = Some(map.next_value()?),
            "shapes" => {
                let reader = self.reader;
                replace(&mut out.shapes, map, ObjectOf(ShapesFields { reader }))?
            }
            _ => map.next_value::<IgnoredAny>().map(drop)?,
        }
        if !out.keys.iter().any(|k| *k == *key) {
            out.keys.push(key.into_owned());
        }
        Ok(())
    }
}

struct ShapesFields<'r> {
    reader: &'r ShapeReader<'r>,
}

impl Fields for ShapesFields<'_> {
    type Out = ShapeEntries;

    fn expecting() -> &'static str {
        "the shapes of a JSON AST"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut ShapeEntries,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let reader = self.reader;
        let hash = FxBuildHasher.hash_one(&*key);
        let earlier = out.position(&key, hash);
        let (location, after_key) = match earlier {
            Some(at) => (out.entries[at].location.clone(), out.entries[at].after_key),
            None => (reader.locate_shape_key(&key, &mut out.cursor), out.cursor),
        };
        let body = map
            .next_value_seed(ObjectOf(ShapeFields {
                location: &location,
            }))?
            .into_object()
            .unwrap_or_default();
        let entry = reader.entry(key.into_owned(), location, after_key, body);
        match earlier {
            Some(at) => out.entries[at] = entry,
            None => {
                out.by_hash.entry(hash).or_insert(out.entries.len());
                out.entries.push(entry);
            }
        }
        Ok(())
    }
}

struct ShapeFields<'l> {
    /// Where the shape is: its traits and members are located there.
    location: &'l Location,
}

impl Fields for ShapeFields<'_> {
    type Out = RawShape;

    fn expecting() -> &'static str {
        "a shape of a JSON AST"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut RawShape,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let Some(bit) = SHAPE_PROPERTIES.iter().position(|k| *k == &*key) else {
            map.next_value::<IgnoredAny>()?;
            if !out.unknown.iter().any(|k| *k == *key) {
                out.unknown.push(key.into_owned());
            }
            return Ok(());
        };
        out.known |= 1 << bit;
        let location = self.location;
        match SHAPE_PROPERTIES[bit] {
            "type" => out.type_name = map.next_value_seed(TypeSeed)?,
            "traits" => out.traits = map.next_value_seed(TraitsSeed { location })?,
            "members" => {
                out.members = map
                    .next_value_seed(ObjectOf(MembersFields { location }))?
                    .into_object()
                    .map(|mut members| {
                        keep_last_values(&mut members);
                        members
                    })
            }
            "member" => replace(&mut out.member, map, MemberSeed { location })?,
            "key" => replace(&mut out.key, map, MemberSeed { location })?,
            "value" => replace(&mut out.value, map, MemberSeed { location })?,
            name => {
                let value: Value = map.next_value()?;
                match out.rest.iter_mut().find(|(k, _)| *k == name) {
                    Some(slot) => slot.1 = value,
                    None => out.rest.push((name, value)),
                }
            }
        }
        Ok(())
    }
}

/// A shape's `type`: its text when it is a string, read without copying it.
struct TypeSeed;

impl<'de> DeserializeSeed<'de> for TypeSeed {
    type Value = TypeName;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<TypeName, D::Error> {
        d.deserialize_any(TypeSeed)
    }
}

impl<'de> Visitor<'de> for TypeSeed {
    type Value = TypeName;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a shape type")
    }

    fn visit_str<E>(self, text: &str) -> Result<TypeName, E> {
        Ok(TypeName::of(text))
    }

    fn visit_bool<E>(self, _: bool) -> Result<TypeName, E> {
        Ok(TypeName::Missing)
    }

    fn visit_i64<E>(self, _: i64) -> Result<TypeName, E> {
        Ok(TypeName::Missing)
    }

    fn visit_u64<E>(self, _: u64) -> Result<TypeName, E> {
        Ok(TypeName::Missing)
    }

    fn visit_f64<E>(self, _: f64) -> Result<TypeName, E> {
        Ok(TypeName::Missing)
    }

    fn visit_unit<E>(self) -> Result<TypeName, E> {
        Ok(TypeName::Missing)
    }

    fn visit_none<E>(self) -> Result<TypeName, E> {
        Ok(TypeName::Missing)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TypeName, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TypeName::Missing)
    }

    /// An object, or a number (see [`NUMBER_TOKEN`]).
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TypeName, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(TypeName::Missing)
    }
}

/// A trait map: its values located at the shape, the last of a trait given twice kept (`None`
/// when it is not an object).
struct TraitsSeed<'l> {
    location: &'l Location,
}

impl<'de> DeserializeSeed<'de> for TraitsSeed<'_> {
    type Value = Option<Traits>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Traits>, D::Error> {
        let location = self.location;
        let entries = ObjectOf(TraitsFields { location }).deserialize(d)?;
        // From the vector itself, so that the map is collected at its exact size.
        Ok(entries
            .into_object()
            .map(|entries| entries.into_iter().collect()))
    }
}

struct TraitsFields<'l> {
    location: &'l Location,
}

impl Fields for TraitsFields<'_> {
    type Out = Vec<(String, TraitValue)>;

    fn expecting() -> &'static str {
        "an object"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut Self::Out,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let value = map.next_value()?;
        let location = self.location.clone();
        // Grown one entry at a time while small, as `SortedMap::insert` grows: the map keeps
        // this vector, and most hold one or two traits for the whole run.
        if out.len() == out.capacity() && out.len() < 4 {
            out.reserve_exact(1);
        }
        out.push((key.into_owned(), TraitValue { value, location }));
        Ok(())
    }
}

struct MembersFields<'l> {
    location: &'l Location,
}

impl Fields for MembersFields<'_> {
    type Out = Vec<(String, RawMember)>;

    fn expecting() -> &'static str {
        "the members of a shape"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut Self::Out,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let location = self.location;
        let member = map.next_value_seed(MemberSeed { location })?;
        out.push((key.into_owned(), member));
        Ok(())
    }
}

/// A member, whatever JSON value it is.
struct MemberSeed<'l> {
    location: &'l Location,
}

impl<'de> DeserializeSeed<'de> for MemberSeed<'_> {
    type Value = RawMember;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawMember, D::Error> {
        let location = self.location;
        Ok(ObjectOf(MemberFields { location })
            .deserialize(d)?
            .into_object()
            .unwrap_or_default())
    }
}

struct MemberFields<'l> {
    location: &'l Location,
}

impl Fields for MemberFields<'_> {
    type Out = RawMember;

    fn expecting() -> &'static str {
        "a member of a shape"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut RawMember,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match &*key {
            "target" => {
                out.target = match map.next_value()? {
                    Value::String(target) => target,
                    _ => String::new(),
                }
            }
            "traits" => {
                let location = self.location;
                out.traits = map.next_value_seed(TraitsSeed { location })?
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
                if !out.additional.iter().any(|k| *k == *key) {
                    out.additional.push(key.into_owned());
                }
            }
        }
        Ok(())
    }
}
