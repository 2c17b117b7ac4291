//! A map kept as a vector sorted by key. Shapes and members carry one to three traits as a rule,
//! and every `BTreeMap` node has room for eleven entries: as `BTreeMap`s, trait maps were most
//! of the memory of a large model. Look-ups are binary searches, iteration is in key order, and
//! a later insert of a key replaces its value, as with a `BTreeMap`.
//!
//! Validation asks every shape and member whether it has one trait or another, millions of
//! times, and nearly always it has not: each map keeps a 64-bit summary of its keys (one bit per
//! key, from the key's length and two of its bytes), so most misses are answered without
//! reading the entries.

use std::borrow::Borrow;

/// Up to this many entries, look-ups scan rather than search.
const SCANNED: usize = 8;

/// Keys whose bytes the summary is computed from.
pub trait KeyBytes {
    fn key_bytes(&self) -> &[u8];
}

impl KeyBytes for str {
    #[inline]
    fn key_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl KeyBytes for String {
    #[inline]
    fn key_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<T: KeyBytes + ?Sized> KeyBytes for &T {
    #[inline]
    fn key_bytes(&self) -> &[u8] {
        (**self).key_bytes()
    }
}

/// The summary bit of a key. Trait IDs share their namespace, so the bytes are taken from the
/// end and the middle, where they differ.
#[inline]
fn key_bit<Q: KeyBytes + ?Sized>(key: &Q) -> u64 {
    let bytes = key.key_bytes();
    let (last, middle) = match bytes {
        [] => (0, 0),
        _ => (bytes[bytes.len() - 1], bytes[bytes.len() / 2]),
    };
    let mixed = bytes.len() * 7 + usize::from(last) * 31 + usize::from(middle);
    1 << (mixed % 64)
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
    /// The bits of every key (see [`key_bit`]).
    summary: u64,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
            summary: 0,
        }
    }
}

impl<K: Ord + KeyBytes, V> SortedMap<K, V> {
    pub fn new() -> Self {
        SortedMap::default()
    }

    fn summarise(&mut self) {
        self.summary = self
            .entries
            .iter()
            .fold(0, |bits, (k, _)| bits | key_bit(k));
    }

    fn position<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Where `key` is, for a look-up. Small maps (nearly all of them) are scanned for an equal
    /// key: trait IDs share long prefixes (`smithy.api#`), so ordering them compares those
    /// prefixes every time, where equality mostly stops at the length. Validation looks traits
    /// up millions of times.
    #[inline]
    fn find<Q: Ord + KeyBytes + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        if self.summary & key_bit(key) == 0 {
            return None;
        }
        if self.entries.len() <= SCANNED {
            self.entries.iter().position(|(k, _)| k.borrow() == key)
        } else {
            self.position(key).ok()
        }
    }

    pub fn get<Q: Ord + KeyBytes + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + KeyBytes + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + KeyBytes + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_some()
    }

    /// Sets a value; returns the one it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                // Grown one entry at a time while small: `Vec`'s first growth makes room for
                // four, and most maps hold one or two entries for the whole run.
                if self.entries.len() == self.entries.capacity() && self.entries.len() < 4 {
                    self.entries.reserve_exact(1);
                }
                self.summary |= key_bit(&key);
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let removed = self.position(key).ok().map(|i| self.entries.remove(i).1);
        self.summarise();
        removed
    }

    /// Keeps the entries `keep` says yes to, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let before = self.entries.len();
        self.entries.retain_mut(|(k, v)| keep(k, v));
        // Loading retains the traits of every shape and member, and nearly always keeps them.
        if self.entries.len() != before {
            self.summarise();
        }
    }
}

impl<K: Ord + KeyBytes + Borrow<Q>, Q: Ord + KeyBytes + ?Sized, V> std::ops::Index<&Q>
    for SortedMap<K, V>
{
    type Output = V;

    /// The value of a key that is in the map (a missing key panics, as with a `BTreeMap`).
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("key in the map")
    }
}

impl<K, V> SortedMap<K, V> {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

pub type Iter<'a, K, V> =
    std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Ord + KeyBytes, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

impl<K: Ord + KeyBytes, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut all: Vec<(K, V)> = entries.into_iter().collect();
        // Most maps come in order (a JSON AST lists traits sorted) and hold one entry: those
        // need neither a sort nor a second vector.
        if !all.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            // Stable: of equal keys, the one given last stays last, and wins below.
            all.sort_by(|a, b| a.0.cmp(&b.0));
            // In place: `all[..kept]` is the map so far; a key equal to its last replaces it.
            let mut kept = 0;
            for at in 0..all.len() {
                if kept > 0 && all[kept - 1].0 == all[at].0 {
                    all.swap(kept - 1, at);
                } else {
                    all.swap(kept, at);
                    kept += 1;
                }
            }
            all.truncate(kept);
        }
        // An iterator without an exact length leaves room to grow; a model keeps its maps.
        all.shrink_to_fit();
        let mut map = SortedMap {
            entries: all,
            summary: 0,
        };
        map.summarise();
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_an_ordered_map() {
        let mut map: SortedMap<String, u32> = [("b", 1), ("a", 2), ("b", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(
            map.iter()
                .map(|(k, v)| (k.as_str(), *v))
                .collect::<Vec<_>>(),
            [("a", 2), ("b", 3)]
        );
        assert_eq!(map.insert("c".into(), 4), None);
        assert_eq!(map.insert("a".into(), 5), Some(2));
        assert_eq!(map.get("a"), Some(&5));
        assert!(map.contains_key("c") && !map.contains_key("d"));
        assert_eq!(map.remove("b"), Some(3));
        assert_eq!(
            map.keys().map(String::as_str).collect::<Vec<_>>(),
            ["a", "c"]
        );
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn the_last_of_equal_keys_wins_wherever_they_are() {
        let pairs = [
            ("b", 1),
            ("a", 2),
            ("b", 3),
            ("a", 4),
            ("c", 5),
            ("b", 6),
            ("d", 7),
        ];
        let map: SortedMap<&str, u32> = pairs.into_iter().collect();
        let entries: Vec<(&str, u32)> = map.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(entries, [("a", 4), ("b", 6), ("c", 5), ("d", 7)]);
        let in_order: SortedMap<&str, u32> = [("a", 1), ("b", 2)].into_iter().collect();
        assert!(in_order.contains_key("a") && in_order.contains_key("b"));
        assert!(!in_order.contains_key("c"));
    }

    #[test]
    fn finds_keys_of_small_and_large_maps() {
        for size in [1, SCANNED, SCANNED + 1, 40] {
            let map: SortedMap<String, usize> =
                (0..size).rev().map(|i| (format!("k{i:03}"), i)).collect();
            for i in 0..size {
                assert_eq!(map.get(format!("k{i:03}").as_str()), Some(&i));
            }
            assert!(!map.contains_key("k") && !map.contains_key("k999"));
            // The summary follows removals: what is left is found, the rest is not.
            let mut odd = map.clone();
            odd.retain(|_, i| *i % 2 == 1);
            for i in 0..size {
                let key = format!("k{i:03}");
                assert_eq!(odd.contains_key(key.as_str()), i % 2 == 1);
            }
        }
    }
}
