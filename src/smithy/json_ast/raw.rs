//! The JSON AST document as read, straight from its text: a generic JSON tree of a document of a
//! hundred thousand shapes cost a quarter of loading it (a hashed map per object, every key
//! copied). The shapes and their members are read into the structures below; only trait values
//! and the small relationship properties stay JSON values. Objects keep their properties in
//! document order, and a property given twice keeps its first place and its last value, as a
//! JSON object map does.

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// With `arbitrary_precision`, serde_json hands a number to a visitor as a map of this one
/// key; every reader of "any value" here must tell it from an object.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Every property name a shape of any type may have; others are only counted as additional.
const SHAPE_PROPERTIES: &[&str] = &[
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
    pub(super) shapes: Option<ObjectOr<Shapes>>,
    /// Every property name, in document order.
    pub(super) keys: Vec<String>,
}

pub(super) type Shapes = IndexMap<String, RawShape, FxBuildHasher>;

/// One entry of `shapes`: its members and traits read, the other properties as JSON values.
#[derive(Default)]
pub(super) struct RawShape {
    /// Every property name (an object's entry may not be an object: then it has none).
    pub(super) keys: Vec<Cow<'static, str>>,
    pub(super) traits: Option<Vec<(String, Value)>>,
    /// `members`, when it is an object.
    pub(super) members: Option<IndexMap<String, RawMember, FxBuildHasher>>,
    /// `member`, `key` and `value`.
    pub(super) member: Option<RawMember>,
    pub(super) key: Option<RawMember>,
    pub(super) value: Option<RawMember>,
    /// The other known properties (`type`, `input`, `errors`, ...).
    rest: Vec<(&'static str, Value)>,
}

impl RawShape {
    pub(super) fn get(&self, key: &str) -> Option<&Value> {
        self.rest.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
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

/// A member: its target (empty when it is not a string) and traits; a member that is not an
/// object has neither.
#[derive(Default)]
pub(super) struct RawMember {
    pub(super) target: String,
    pub(super) traits: Option<Vec<(String, Value)>>,
    /// The names of properties other than `target` and `traits`.
    pub(super) additional: Vec<String>,
}

/// Reads a whole document; the error is serde_json's (with its line and column).
pub(super) fn read(text: &str) -> Result<ObjectOr<RawDocument>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = ObjectOf(DocumentFields).deserialize(&mut de)?;
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

struct DocumentFields;

impl Fields for DocumentFields {
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
            "shapes" => replace(&mut out.shapes, map, ObjectOf(ShapesFields))?,
            _ => map.next_value::<IgnoredAny>().map(drop)?,
        }
        if !out.keys.iter().any(|k| *k == *key) {
            out.keys.push(key.into_owned());
        }
        Ok(())
    }
}

struct ShapesFields;

impl Fields for ShapesFields {
    type Out = Shapes;

    fn expecting() -> &'static str {
        "the shapes of a JSON AST"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut Shapes,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let shape = map
            .next_value_seed(ObjectOf(ShapeFields))?
            .into_object()
            .unwrap_or_default();
        out.insert(key.into_owned(), shape);
        Ok(())
    }
}

struct ShapeFields;

impl Fields for ShapeFields {
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
        let known = SHAPE_PROPERTIES.iter().find(|k| **k == &*key).copied();
        match known {
            Some("traits") => {
                out.traits = map.next_value_seed(ObjectOf(EntriesFields))?.into_object()
            }
            Some("members") => {
                out.members = map.next_value_seed(ObjectOf(MembersFields))?.into_object()
            }
            Some("member") => replace(&mut out.member, map, MemberSeed)?,
            Some("key") => replace(&mut out.key, map, MemberSeed)?,
            Some("value") => replace(&mut out.value, map, MemberSeed)?,
            Some(name) => {
                let value: Value = map.next_value()?;
                match out.rest.iter_mut().find(|(k, _)| *k == name) {
                    Some(slot) => slot.1 = value,
                    None => out.rest.push((name, value)),
                }
            }
            None => map.next_value::<IgnoredAny>().map(drop)?,
        }
        let key = known.map_or_else(|| Cow::Owned(key.into_owned()), Cow::Borrowed);
        if !out.keys.contains(&key) {
            out.keys.push(key);
        }
        Ok(())
    }
}

/// An object's entries in document order (a trait map: duplicates are resolved by its reader).
struct EntriesFields;

impl Fields for EntriesFields {
    type Out = Vec<(String, Value)>;

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
        out.push((key.into_owned(), value));
        Ok(())
    }
}

struct MembersFields;

impl Fields for MembersFields {
    type Out = IndexMap<String, RawMember, FxBuildHasher>;

    fn expecting() -> &'static str {
        "the members of a shape"
    }

    fn field<'de, A: MapAccess<'de>>(
        &self,
        out: &mut Self::Out,
        key: Cow<'de, str>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let member = map.next_value_seed(MemberSeed)?;
        out.insert(key.into_owned(), member);
        Ok(())
    }
}

/// A member, whatever JSON value it is.
struct MemberSeed;

impl<'de> DeserializeSeed<'de> for MemberSeed {
    type Value = RawMember;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawMember, D::Error> {
        Ok(ObjectOf(MemberFields)
            .deserialize(d)?
            .into_object()
            .unwrap_or_default())
    }
}

struct MemberFields;

impl Fields for MemberFields {
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
            "traits" => out.traits = map.next_value_seed(ObjectOf(EntriesFields))?.into_object(),
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
