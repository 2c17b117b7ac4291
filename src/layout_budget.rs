//! How large a graph the layered layout takes on.
//!
//! dagre's cost grows with the boxes plus one dummy node per rank each edge spans, times the
//! crossing-reduction sweeps: a few thousand boxes joined by long edges make millions of dummy
//! nodes (seconds to minutes, gigabytes). [`LayoutBudget::measure`] estimates that size in
//! linear time, before any layout runs, so that `check` can report a drawing that is too large
//! (MMD702 for a diagram, DEP008 for the plan graph) and the renderer can draw it with its
//! linear fallback instead. Both call the same function on the same graph, so they agree.

/// The limits of one layout.
pub const MAX_NODES: usize = 2_000;
pub const MAX_EDGES: usize = 4_000;
pub const MAX_RANKS: usize = 500;
/// Boxes plus dummy nodes (one per rank an edge crosses): what the layout's sweeps work on.
pub const MAX_LAYOUT_NODES: usize = 20_000;

/// The size of a graph as the layered layout would see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayoutSize {
    pub nodes: usize,
    pub edges: usize,
    pub ranks: usize,
    /// Estimated dummy nodes: the ranks each edge crosses, with ranks by longest path.
    pub dummies: usize,
}

impl LayoutSize {
    /// Measures a graph of `nodes` boxes and `edges` (from, to, minimum length), in time linear
    /// in its size. Cycles are broken at the edges a depth-first search finds going back, as
    /// the layout does; ranks are longest paths, each source pulled down next to its nearest
    /// successor (an upper bound on what the layout's ranking gives, tight for most graphs).
    pub fn measure(nodes: usize, edges: &[(usize, usize, usize)]) -> LayoutSize {
        let mut size = LayoutSize {
            nodes,
            edges: edges.len(),
            ..LayoutSize::default()
        };
        if nodes == 0 || size.edges > MAX_EDGES || nodes > MAX_NODES {
            return size;
        }
        let valid: Vec<(usize, usize, usize)> = edges
            .iter()
            .copied()
            .filter(|(a, b, _)| *a < nodes && *b < nodes && a != b)
            .collect();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); nodes];
        for (k, (a, _, _)) in valid.iter().enumerate() {
            out[*a].push(k);
        }
        // Iterative DFS: an edge to a node still on the stack goes back and is reversed.
        let mut state = vec![0u8; nodes]; // 0 new, 1 on stack, 2 done
        let mut forward: Vec<(usize, usize, usize)> = Vec::with_capacity(valid.len());
        let mut order: Vec<usize> = Vec::with_capacity(nodes); // post-order
        for start in 0..nodes {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some((v, next)) = stack.last_mut() {
                let v = *v;
                if let Some(&k) = out[v].get(*next) {
                    *next += 1;
                    let (_, to, len) = valid[k];
                    match state[to] {
                        1 => forward.push((to, v, len)),
                        0 => {
                            forward.push((v, to, len));
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        _ => forward.push((v, to, len)),
                    }
                } else {
                    state[v] = 2;
                    order.push(v);
                    stack.pop();
                }
            }
        }
        // Reverse post-order is a topological order of the acyclic graph.
        order.reverse();
        let mut succ: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nodes];
        let mut has_pred = vec![false; nodes];
        for (a, b, len) in &forward {
            succ[*a].push((*b, (*len).max(1)));
            has_pred[*b] = true;
        }
        let mut rank = vec![0usize; nodes];
        for v in &order {
            for (w, len) in &succ[*v] {
                rank[*w] = rank[*w].max(rank[*v] + len);
            }
        }
        // A source sits just above its nearest successor.
        for v in 0..nodes {
            if !has_pred[v] {
                if let Some(r) = succ[v]
                    .iter()
                    .map(|(w, len)| rank[*w].saturating_sub(*len))
                    .min()
                {
                    rank[v] = r;
                }
            }
        }
        size.ranks = rank.iter().max().map_or(0, |r| r + 1);
        size.dummies = forward
            .iter()
            .map(|(a, b, _)| rank[*a].abs_diff(rank[*b]).saturating_sub(1))
            .sum();
        size
    }

    /// Whether the layered layout may take this graph on.
    pub fn fits(&self) -> bool {
        self.nodes <= MAX_NODES
            && self.edges <= MAX_EDGES
            && self.ranks <= MAX_RANKS
            && self.nodes + self.dummies <= MAX_LAYOUT_NODES
    }

    /// What is over the budget, for a diagnostic: `None` when it fits.
    pub fn excess(&self) -> Option<String> {
        if self.nodes > MAX_NODES {
            Some(format!("{} boxes, at most {MAX_NODES}", self.nodes))
        } else if self.edges > MAX_EDGES {
            Some(format!("{} edges, at most {MAX_EDGES}", self.edges))
        } else if self.ranks > MAX_RANKS {
            Some(format!("{} ranks, at most {MAX_RANKS}", self.ranks))
        } else if self.nodes + self.dummies > MAX_LAYOUT_NODES {
            Some(format!(
                "{} boxes and {} edge bends across ranks, at most {MAX_LAYOUT_NODES} in all",
                self.nodes, self.dummies
            ))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_has_one_rank_per_node_and_no_dummies() {
        let edges: Vec<_> = (0..9).map(|i| (i, i + 1, 1)).collect();
        let size = LayoutSize::measure(10, &edges);
        assert_eq!((size.ranks, size.dummies), (10, 0));
        assert!(size.fits());
    }

    #[test]
    fn long_edges_count_the_ranks_they_cross_and_cycles_end() {
        let mut edges: Vec<_> = (0..99).map(|i| (i, i + 1, 1)).collect();
        edges.push((0, 99, 1));
        edges.push((99, 0, 1));
        let size = LayoutSize::measure(100, &edges);
        assert_eq!(size.ranks, 100);
        assert_eq!(size.dummies, 2 * 98);
    }

    #[test]
    fn a_source_sits_next_to_its_successor() {
        // 0 -> 1 -> 2 -> 3, and 4 -> 3: 4 goes in rank 2, not 0.
        let edges = [(0, 1, 1), (1, 2, 1), (2, 3, 1), (4, 3, 1)];
        assert_eq!(LayoutSize::measure(5, &edges).dummies, 0);
    }

    #[test]
    fn too_many_long_edges_do_not_fit() {
        let mut edges: Vec<_> = (0..399).map(|i| (i, i + 1, 1)).collect();
        edges.extend((2..400).step_by(2).map(|i| (0, i, 1)));
        let size = LayoutSize::measure(400, &edges);
        assert_eq!(size.ranks, 400);
        assert!(!size.fits());
        assert!(size.excess().unwrap().contains("edge bends"));
    }
}
