//! The shapes of a model by shape ID: hashed look-ups, iteration in ID order. A model of a few
//! hundred services has a hundred thousand shapes whose IDs share long prefixes
//! (`com.amazonaws.service#`); as a `BTreeMap`, every look-up compared a dozen of them byte by
//! byte, and look-ups are what validation does most. Entries are kept in insertion order and the
//! ID order is worked out when an iteration first needs it after a change.

use rustc_hash::FxBuildHasher;
use std::sync::OnceLock;

type Entries<V> = indexmap::IndexMap<String, V, FxBuildHasher>;

pub struct ShapeMap<V> {
    entries: Entries<V>,
    /// Whether `entries` are in key order (they are when inserted in that order).
    in_order: bool,
    /// Positions of `entries` in key order, when they are not in order; reset by every change.
    order: OnceLock<Vec<usize>>,
}

impl<V> Default for ShapeMap<V> {
    fn default() -> Self {
        ShapeMap {
            entries: Entries::default(),
            in_order: true,
            order: OnceLock::new(),
        }
    }
}

impl<V: Clone> Clone for ShapeMap<V> {
    fn clone(&self) -> Self {
        ShapeMap {
            entries: self.entries.clone(),
            in_order: self.in_order,
            order: self.order.clone(),
        }
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for ShapeMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: PartialEq> PartialEq for ShapeMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// The entries of a map in key order.
pub struct Iter<'a, V> {
    order: std::slice::Iter<'a, usize>,
    entries: &'a Entries<V>,
}

impl<'a, V> Iter<'a, V> {
    fn entry(&self, at: usize) -> (&'a String, &'a V) {
        self.entries.get_index(at).expect("a position of the map")
    }
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a String, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.order.next().map(|&at| self.entry(at))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.order.size_hint()
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.order.next_back().map(|&at| self.entry(at))
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

impl<V> ShapeMap<V> {
    pub fn new() -> Self {
        ShapeMap::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.entries.get_mut(key)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Makes room for `more` entries.
    pub fn reserve(&mut self, more: usize) {
        self.entries.reserve(more);
    }

    /// Sets a value; returns the one it replaces.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        if let Some(existing) = self.entries.get_mut(key.as_str()) {
            return Some(std::mem::replace(existing, value));
        }
        if self.entries.last().is_some_and(|(last, _)| *last >= key) {
            self.in_order = false;
        }
        self.order = OnceLock::new();
        self.entries.insert(key, value);
        None
    }

    /// Sets the value of a key that has none (one look-up); else gives the value back with
    /// the one the key has.
    pub fn insert_new(&mut self, key: String, value: V) -> Result<(), (V, &V)> {
        let after_last = self.entries.last().is_none_or(|(last, _)| *last < key);
        match self.entries.entry(key) {
            indexmap::map::Entry::Occupied(present) => Err((value, present.into_mut())),
            indexmap::map::Entry::Vacant(vacant) => {
                self.in_order &= after_last;
                self.order = OnceLock::new();
                vacant.insert(value);
                Ok(())
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        let at = self.entries.get_index_of(key)?;
        if at + 1 != self.entries.len() {
            self.in_order = false;
        }
        self.order = OnceLock::new();
        self.entries.swap_remove_index(at).map(|(_, v)| v)
    }

    /// Keeps the entries `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&String, &mut V) -> bool) {
        let before = self.entries.len();
        // `retain` keeps the order of the entries left.
        self.entries.retain(keep);
        if self.entries.len() != before {
            self.order = OnceLock::new();
        }
    }

    /// Positions of the entries in key order.
    fn order(&self) -> &[usize] {
        self.order.get_or_init(|| {
            if self.in_order {
                return (0..self.entries.len()).collect();
            }
            // A stable sort finds the runs already in order and merges them (keys are unique,
            // so it orders as any sort does): files list their shapes sorted, and the 402 AWS
            // models make 66 runs of 113,000 shapes. On the pool: sorting was serial.
            use rayon::prelude::*;
            let mut keyed: Vec<(&str, usize)> = self
                .entries
                .keys()
                .enumerate()
                .map(|(at, key)| (key.as_str(), at))
                .collect();
            keyed.par_sort_by(|a, b| a.0.cmp(b.0));
            keyed.into_iter().map(|(_, at)| at).collect()
        })
    }

    /// Puts the entries themselves in key order (for iterations that change them).
    fn sort(&mut self) {
        if !self.in_order {
            // Stable for the same reason as in `order`.
            self.entries.sort_keys();
            self.in_order = true;
            self.order = OnceLock::new();
        }
    }

    pub fn iter(&self) -> Iter<'_, V> {
        Iter {
            order: self.order().iter(),
            entries: &self.entries,
        }
    }

    /// [`ShapeMap::values`] on the thread pool; what they are mapped to is collected in key
    /// order.
    pub fn par_values(&self) -> impl rayon::iter::IndexedParallelIterator<Item = &V>
    where
        V: Sync,
    {
        use rayon::prelude::*;
        self.order().par_iter().map(|&at| &self.entries[at])
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.sort();
        self.entries.values_mut()
    }

    /// [`ShapeMap::values_mut`] on the thread pool; what it is mapped to is collected in the same
    /// order.
    pub fn par_values_mut(&mut self) -> impl rayon::iter::IndexedParallelIterator<Item = &mut V>
    where
        V: Send,
    {
        self.sort_on_pool();
        self.entries.par_values_mut()
    }

    /// Puts the entries themselves in key order, sorting on the thread pool: after merging the
    /// files of a model, so that later iterations find them in order.
    pub fn sort_on_pool(&mut self)
    where
        V: Send,
    {
        if !self.in_order {
            // Stable for the same reason as in `order`.
            self.entries.par_sort_keys();
            self.in_order = true;
            self.order = OnceLock::new();
        }
    }
}

impl<V> std::ops::Index<&str> for ShapeMap<V> {
    type Output = V;

    /// The value of a key that is in the map (a missing key panics, as with a `BTreeMap`).
    fn index(&self, key: &str) -> &V {
        self.get(key).expect("key in the map")
    }
}

impl<'a, V> IntoIterator for &'a ShapeMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = Iter<'a, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<V> IntoIterator for ShapeMap<V> {
    type Item = (String, V);
    type IntoIter = indexmap::map::IntoIter<String, V>;

    fn into_iter(mut self) -> Self::IntoIter {
        self.sort();
        self.entries.into_iter()
    }
}

impl<V> FromIterator<(String, V)> for ShapeMap<V> {
    /// Of equal keys, the one given last wins, as with a `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> Self {
        let mut map = ShapeMap::new();
        for (key, value) in entries {
            map.insert(key, value);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_in_key_order_whatever_the_insertion_order() {
        let mut map: ShapeMap<u32> = [("b", 1), ("a", 2), ("b", 3), ("d", 4)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let listed =
            |map: &ShapeMap<u32>| map.iter().map(|(k, v)| (k.clone(), *v)).collect::<Vec<_>>();
        let pairs = |list: &[(&str, u32)]| {
            list.iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(&map), pairs(&[("a", 2), ("b", 3), ("d", 4)]));
        assert_eq!(map.insert("c".into(), 5), None);
        assert_eq!(map.insert("a".into(), 6), Some(2));
        assert_eq!(
            listed(&map),
            pairs(&[("a", 6), ("b", 3), ("c", 5), ("d", 4)])
        );
        assert_eq!(map.remove("a"), Some(6));
        assert_eq!(map.get("c"), Some(&5));
        assert!(!map.contains_key("a"));
        assert_eq!(
            map.keys().rev().map(String::as_str).collect::<Vec<_>>(),
            ["d", "c", "b"]
        );
        for v in map.values_mut() {
            *v += 10;
        }
        assert_eq!(listed(&map), pairs(&[("b", 13), ("c", 15), ("d", 14)]));
        let owned: Vec<(String, u32)> = map.clone().into_iter().collect();
        assert_eq!(owned, pairs(&[("b", 13), ("c", 15), ("d", 14)]));
        assert_eq!(map, owned.into_iter().rev().collect());
    }
}
