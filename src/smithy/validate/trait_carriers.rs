//! The shapes that carry each trait, and the shapes of each type, found in one walk over the
//! model: a validator about one trait (`@length`, `@httpHeader`, ...) or one type of shape
//! (services, operations) then visits the few shapes that concern it instead of reading every
//! shape and member of the model. On the 402 AWS service models (113,000 shapes, 228,000
//! members) each such walk read every shape, or every trait map, once more.

use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use rustc_hash::FxHashMap as HashMap;

pub(super) struct TraitCarriers<'m> {
    /// Every shape, in model order.
    shapes: Vec<&'m Shape>,
    /// The positions in `shapes` of the shapes that carry a trait themselves or on one of their
    /// own members, by trait ID, ascending.
    by_trait: HashMap<&'m str, Vec<u32>>,
    /// The positions of the shapes with mixins, ascending: they inherit traits and members.
    with_mixins: Vec<u32>,
    /// The positions of the shapes of each type, ascending.
    by_type: HashMap<ShapeType, Vec<u32>>,
}

impl<'m> TraitCarriers<'m> {
    pub(super) fn new(model: &'m Model) -> TraitCarriers<'m> {
        let shapes: Vec<&Shape> = model.shapes.values().collect();
        let mut by_trait: HashMap<&str, Vec<u32>> = HashMap::default();
        let mut with_mixins = Vec::new();
        let mut by_type: HashMap<ShapeType, Vec<u32>> = HashMap::default();
        for (at, shape) in shapes.iter().enumerate() {
            let at = at as u32;
            by_type.entry(shape.shape_type).or_default().push(at);
            if !shape.mixins.is_empty() {
                with_mixins.push(at);
            }
            let own = shape.traits.keys();
            let of_members = shape.members.iter().flat_map(|m| m.traits.keys());
            for trait_id in own.chain(of_members) {
                let carriers = by_trait.entry(trait_id.as_str()).or_default();
                // A shape is listed once, however many of its members carry the trait.
                if carriers.last() != Some(&at) {
                    carriers.push(at);
                }
            }
        }
        TraitCarriers {
            shapes,
            by_trait,
            with_mixins,
            by_type,
        }
    }

    /// The shapes, in model order, that may carry `trait_id` themselves or on a member (their
    /// own, or one [`Model::members_of`] gives them): those that carry it, and every shape
    /// with mixins. A shape not listed has it neither on itself nor on any member.
    pub(super) fn carriers(&self, trait_id: &str) -> impl Iterator<Item = &'m Shape> + '_ {
        let carrying = self.by_trait.get(trait_id).map_or(&[][..], Vec::as_slice);
        merged(carrying, &self.with_mixins).map(|at| self.shapes[at as usize])
    }

    /// The shapes of type `shape_type`, in model order.
    pub(super) fn of_type(&self, shape_type: ShapeType) -> impl Iterator<Item = &'m Shape> + '_ {
        let listed = self.by_type.get(&shape_type).map_or(&[][..], Vec::as_slice);
        listed.iter().map(|&at| self.shapes[at as usize])
    }
}

/// Two ascending lists as one, without repeats.
fn merged<'l>(a: &'l [u32], b: &'l [u32]) -> impl Iterator<Item = u32> + 'l {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if y < x => {
                j += 1;
                return Some(y);
            }
            (Some(&x), _) => x,
            (None, Some(&y)) => {
                j += 1;
                return Some(y);
            }
            (None, None) => return None,
        };
        i += 1;
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::merged;

    #[test]
    fn merged_lists_keep_order_and_drop_repeats() {
        let all: Vec<u32> = merged(&[1, 4, 6, 9], &[0, 4, 7]).collect();
        assert_eq!(all, [0, 1, 4, 6, 7, 9]);
        assert_eq!(merged(&[], &[2, 3]).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(merged(&[5], &[]).collect::<Vec<_>>(), [5]);
    }
}
