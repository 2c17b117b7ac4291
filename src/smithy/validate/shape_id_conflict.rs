//! `ShapeIdConflict`: two shape or member IDs differ only in case.

use super::Events;
use crate::smithy::model::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

/// A name compared and hashed without case, so that every ID of the model can be grouped
/// without writing a lower-case copy of it. Shape IDs are ASCII, so ASCII case folding is the
/// whole of it.
#[derive(Clone, Copy)]
struct Caseless<'m>(&'m str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl Hash for Caseless<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Eight bytes at a time: a large model has hundreds of thousands of IDs to hash.
        let mut chunks = self.0.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            state.write_u64(lower_ascii_word(word));
        }
        let mut rest = [0u8; 8];
        let tail = chunks.remainder();
        rest[..tail.len()].copy_from_slice(tail);
        state.write_u64(lower_ascii_word(u64::from_le_bytes(rest)));
        state.write_u8(tail.len() as u8);
    }
}

/// Eight bytes with each ASCII capital made small (other bytes kept), all at once: bit 5 is set
/// in each byte from `A` to `Z`.
fn lower_ascii_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte, the high bit of `b + (0x80 - 'A')` says `b >= 'A'` and that of
    // `b + (0x80 - 'Z' - 1)` says `b > 'Z'`, for bytes below 0x80; bytes from 0x80 are left.
    let ascii = !word & (ONES * 0x80);
    let seven = word & (ONES * 0x7f);
    let at_least_a = seven + ONES * (0x80 - u64::from(b'A'));
    let above_z = seven + ONES * (0x80 - u64::from(b'Z') - 1);
    let capital = at_least_a & !above_z & ascii;
    word | (capital >> 2)
}

/// One ID of the model: a shape (`member` is `None`) or a member of it, by position.
#[derive(Clone, Copy)]
struct Id<'m> {
    shape: &'m Shape,
    member: Option<&'m Member>,
}

impl<'m> Id<'m> {
    fn written(&self) -> String {
        match self.member {
            Some(m) => self.shape.member_id(&m.name),
            None => self.shape.id.clone(),
        }
    }

    fn location(&self) -> &'m Location {
        self.member.map_or(&self.shape.location, |m| &m.location)
    }
}

/// Up to this many names, equal names are found by comparing each pair rather than by hashing.
const COMPARED_PAIRWISE: usize = 16;

/// The groups of two or more names equal without case, each in the order of `names` (given by
/// their positions in it).
fn caseless_groups(names: &[&str]) -> Vec<Vec<usize>> {
    let mut earlier: Vec<Option<usize>> = vec![None; names.len()];
    if names.len() <= COMPARED_PAIRWISE {
        for (at, name) in names.iter().enumerate() {
            earlier[at] = names[..at]
                .iter()
                .position(|n| n.eq_ignore_ascii_case(name));
        }
    } else {
        let mut first: HashMap<Caseless, usize> =
            HashMap::with_capacity_and_hasher(names.len(), Default::default());
        for (at, name) in names.iter().enumerate() {
            let found = *first.entry(Caseless(name)).or_insert(at);
            earlier[at] = (found != at).then_some(found);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // The group of each first name that has one.
    let mut group_of: HashMap<usize, usize> = HashMap::default();
    for (at, first) in earlier.iter().enumerate() {
        let Some(first) = *first else {
            continue;
        };
        let group = *group_of.entry(first).or_insert_with(|| {
            groups.push(vec![first]);
            groups.len() - 1
        });
        groups[group].push(at);
    }
    groups
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    // A member ID meets another without case only where the IDs of their shapes meet and
    // their names meet, so shape IDs are grouped first and member names within each group:
    // hashing every member ID of the model was most of the cost on a large model.
    let shapes: Vec<&Shape> = model.shapes.values().collect();
    let shape_ids: Vec<&str> = shapes.iter().map(|s| s.id.as_str()).collect();
    let mut first: HashMap<Caseless, usize> =
        HashMap::with_capacity_and_hasher(shapes.len(), Default::default());
    // The shapes of each spelling with more than one, by its first shape.
    let mut spelled_alike: HashMap<usize, Vec<usize>> = HashMap::default();
    for (at, id) in shape_ids.iter().enumerate() {
        let earliest = *first.entry(Caseless(id)).or_insert(at);
        if earliest != at {
            spelled_alike
                .entry(earliest)
                .or_insert_with(|| vec![earliest])
                .push(at);
        }
    }
    drop(first);
    // The shapes taken with an earlier one of their spelling.
    let mut later = vec![false; shapes.len()];
    for alike in spelled_alike.values() {
        alike[1..].iter().for_each(|&at| later[at] = true);
    }
    let mut groups: Vec<Vec<Id>> = Vec::new();
    for (at, shape) in shapes.iter().enumerate() {
        let alike = match spelled_alike.get(&at) {
            Some(alike) => alike.as_slice(),
            // A later shape of a spelling is taken with the first one.
            None if shape.members.len() < 2 || later[at] => continue,
            None => std::slice::from_ref(&at),
        };
        if alike.len() > 1 {
            let ids = alike.iter().map(|&s| Id {
                shape: shapes[s],
                member: None,
            });
            groups.push(ids.collect());
        }
        let members: Vec<(&Shape, &Member)> = alike
            .iter()
            .flat_map(|&s| {
                let shape = shapes[s];
                shape.members.iter().map(move |m| (shape, m))
            })
            .collect();
        let names: Vec<&str> = members.iter().map(|(_, m)| m.name.as_str()).collect();
        for group in caseless_groups(&names) {
            let ids = group.iter().map(|&m| Id {
                shape: members[m].0,
                member: Some(members[m].1),
            });
            groups.push(ids.collect());
        }
    }
    let mut conflicts: Vec<Vec<(String, &Location)>> = groups
        .into_iter()
        .map(|group| {
            group
                .iter()
                .map(|id| (id.written(), id.location()))
                .collect()
        })
        .collect();
    conflicts.sort_by_cached_key(|ids| ids[0].0.to_lowercase());
    for ids in conflicts {
        for (id, at) in &ids {
            let others: BTreeSet<String> = ids
                .iter()
                .filter(|(o, _)| o != id)
                .map(|(o, _)| format!("`{o}`"))
                .collect();
            let others: Vec<String> = others.into_iter().collect();
            ev.error(
                "ShapeIdConflict",
                at,
                id,
                format!(
                    "Shape ID `{id}` conflicts with other shape IDs in the model: [{}]",
                    others.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_lose_only_ascii_capitals() {
        let all: Vec<u8> = (0..=255).collect();
        for chunk in all.chunks(8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap());
            let lowered = lower_ascii_word(word).to_le_bytes();
            let expected: Vec<u8> = chunk.iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(lowered.as_slice(), expected.as_slice());
        }
    }

    #[test]
    fn names_are_grouped_without_case_in_order() {
        let few = ["a", "B", "A", "c", "b", "a"];
        assert_eq!(caseless_groups(&few), vec![vec![0, 2, 5], vec![1, 4]]);
        // Past the pairwise limit the same groups come from hashing.
        let many: Vec<String> = (0..40).map(|i| format!("name{}", i % 20)).collect();
        let mut many: Vec<&str> = many.iter().map(String::as_str).collect();
        many[25] = "NAME5";
        let groups = caseless_groups(&many);
        assert_eq!(groups.len(), 20);
        assert_eq!(groups[5], vec![5, 25]);
        assert!(groups.iter().all(|g| g.len() == 2 && g[1] == g[0] + 20));
    }

    #[test]
    fn caseless_keys_hash_alike() {
        use std::hash::BuildHasher;
        let hasher = rustc_hash::FxBuildHasher;
        let pairs = [
            ("com.amazonaws.s3#BucketName", "COM.AMAZONAWS.S3#bucketname"),
            ("a", "A"),
            ("", ""),
        ];
        for (a, b) in pairs {
            assert!(Caseless(a) == Caseless(b));
            assert_eq!(hasher.hash_one(Caseless(a)), hasher.hash_one(Caseless(b)));
        }
        assert!(Caseless("ab") != Caseless("abc"));
    }
}
