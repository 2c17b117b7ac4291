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
        for b in self.bytes() {
            state.write_u8(b);
        }
    }
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    let mut by_caseless: HashMap<CaselessId, Vec<(CaselessId, &Location)>> = HashMap::default();
    let mut add = |id, at| by_caseless.entry(id).or_default().push((id, at));
    for shape in model.shapes.values() {
        let shape_id = CaselessId {
            shape: &shape.id,
            member: None,
        };
        add(shape_id, &shape.location);
        for m in &shape.members {
            let member_id = CaselessId {
                shape: &shape.id,
                member: Some(&m.name),
            };
            add(member_id, &m.location);
        }
    }
    let mut conflicts: Vec<Vec<(String, &Location)>> = by_caseless
        .into_values()
        .filter(|ids| ids.len() > 1)
        .map(|ids| ids.iter().map(|(id, at)| (id.written(), *at)).collect())
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
