//! `ShapeIdConflict`: two shape or member IDs differ only in case.

use super::Events;
use crate::smithy::model::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

/// A shape ID (`shape` alone) or member ID (`shape$member`) compared and hashed without case,
/// so that every ID of the model can be grouped without writing a lower-case copy of it.
/// Shape IDs are ASCII, so ASCII case folding is the whole of it.
#[derive(Clone, Copy)]
struct CaselessId<'m> {
    shape: &'m str,
    member: Option<&'m str>,
}

impl CaselessId<'_> {
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let member = self
            .member
            .into_iter()
            .flat_map(|m| std::iter::once(b'$').chain(m.bytes()));
        self.shape
            .bytes()
            .chain(member)
            .map(|b| b.to_ascii_lowercase())
    }

    fn written(&self) -> String {
        match self.member {
            Some(member) => format!("{}${member}", self.shape),
            None => self.shape.to_string(),
        }
    }
}

impl PartialEq for CaselessId<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes().eq(other.bytes())
    }
}

impl Eq for CaselessId<'_> {}

impl Hash for CaselessId<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Eight bytes at a time: a large model has hundreds of thousands of IDs to hash.
        let mut word = 0u64;
        let mut filled = 0;
        for b in self.bytes() {
            word = (word << 8) | u64::from(b);
            filled += 1;
            if filled == 8 {
                state.write_u64(word);
                (word, filled) = (0, 0);
            }
        }
        state.write_u64(word);
        state.write_u8(filled);
    }
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let count = model.shapes.len()
        + model
            .shapes
            .values()
            .map(|s| s.members.len())
            .sum::<usize>();
    let mut ids: Vec<(CaselessId, &Location)> = Vec::with_capacity(count);
    for shape in model.shapes.values() {
        let shape_id = CaselessId {
            shape: &shape.id,
            member: None,
        };
        ids.push((shape_id, &shape.location));
        for m in &shape.members {
            let member_id = CaselessId {
                shape: &shape.id,
                member: Some(&m.name),
            };
            ids.push((member_id, &m.location));
        }
    }
    // The first ID of each caseless spelling, and a group only where another meets it: a
    // vector per ID was most of the cost on a large model.
    let mut first: HashMap<CaselessId, usize> =
        HashMap::with_capacity_and_hasher(count, Default::default());
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
    for (at, (id, _)) in ids.iter().enumerate() {
        let earliest = *first.entry(*id).or_insert(at);
        if earliest != at {
            groups
                .entry(earliest)
                .or_insert_with(|| vec![earliest])
                .push(at);
        }
    }
    let mut conflicts: Vec<Vec<(String, &Location)>> = groups
        .into_values()
        .map(|group| {
            group
                .iter()
                .map(|&at| (ids[at].0.written(), ids[at].1))
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
