//! Evaluation: shapes are pushed through a sequence stage by stage from a work list (so a long
//! sequence such as `* > * > …` needs no deep recursion), each (stage, shape, variables) once, so
//! that neighbours reached on many paths cost nothing extra. Functions recurse, bounded by the
//! parser's nesting limit.

use super::attribute::{AttrValue, Vars};
use super::index::{Kind, NodeId, ShapeIndex};
use super::parse::{Parsed, ScopedValue, Sel, TypeTest};
use super::Scope;
use crate::smithy::ast::ShapeType;
use rustc_hash::FxHashSet;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

/// The variables of one evaluation path, shared until a `$name(…)` changes them.
pub type Env = Rc<Vec<Option<Rc<Vec<NodeId>>>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

pub struct Eval<'a> {
    pub index: &'a ShapeIndex<'a>,
    pub parsed: &'a Parsed,
    /// The results of the `:root(…)` functions, computed before anything else.
    pub roots: Vec<HashSet<NodeId>>,
    pub empty: Env,
}

fn type_matches(test: &TypeTest, kind: Kind) -> bool {
    let Kind::Shape(t) = kind else {
        return *test == TypeTest::Member;
    };
    use ShapeType as S;
    match test {
        TypeTest::Exact(want) => {
            t == *want
                || matches!(
                    (want, t),
                    (S::String, S::Enum) | (S::Integer, S::IntEnum) | (S::List, S::Set)
                )
        }
        TypeTest::Member => false,
        TypeTest::Number => t.is_number(),
        TypeTest::Simple => t.is_simple(),
        TypeTest::Collection => matches!(t, S::List | S::Set),
        TypeTest::Aggregate => matches!(t, S::List | S::Set | S::Map | S::Structure | S::Union),
        TypeTest::ServiceType => matches!(t, S::Service | S::Operation | S::Resource),
        TypeTest::Data => {
            t.is_simple() || matches!(t, S::List | S::Set | S::Map | S::Structure | S::Union)
        }
    }
}

/// One side of a scoped comparison, resolved within one value of the scope.
fn scoped_value<'s>(scope: &Scope<'s>, v: &ScopedValue, within: &AttrValue<'s>) -> AttrValue<'s> {
    match v {
        ScopedValue::Path(p) => within.clone().path(scope, p),
        ScopedValue::Literal(s) => AttrValue::Literal(s.clone()),
    }
}

/// From this many starting shapes on, [`Eval::run`] records visits in bits rather than hashed.
const DENSE_FROM: usize = 256;

/// Labels of the resource relationships that bind instance operations.
const INSTANCE_OPERATION_LABELS: [&str; 5] = ["put", "read", "update", "delete", "operation"];

impl<'a> Eval<'a> {
    pub fn new(index: &'a ShapeIndex<'a>, parsed: &'a Parsed) -> Eval<'a> {
        let mut eval = Eval {
            index,
            parsed,
            roots: Vec::new(),
            empty: Rc::new(vec![None; parsed.variables.len()]),
        };
        // A root may use the roots before it (they are numbered as they close).
        for i in 0..parsed.roots.len() {
            let mut found = HashSet::new();
            let starts = (0..index.len()).map(|n| (n, eval.empty.clone()));
            eval.run(&parsed.roots[i], starts, &mut |n, _| {
                found.insert(n);
                Flow::Continue
            });
            eval.roots.push(found);
        }
        eval
    }

    fn scope<'s>(&'s self, vars: &'s Vars) -> Scope<'s> {
        Scope {
            index: self.index,
            variables: &self.parsed.variables,
            vars,
        }
    }

    /// Pushes the starting shapes (each given once) through `seq` and hands every result to
    /// `emit`.
    pub fn run(
        &self,
        seq: &[Sel],
        starts: impl Iterator<Item = (NodeId, Env)>,
        emit: &mut dyn FnMut(NodeId, &Env) -> Flow,
    ) -> Flow {
        let mut work: Vec<(usize, NodeId, Env)> = starts.map(|(n, e)| (0, n, e)).collect();
        // What later stages have seen (the starts are distinct: a selector over the whole
        // model starts from every shape, and recording those would be most of its cost).
        let mut seen: FxHashSet<(usize, NodeId, usize)> = FxHashSet::default();
        // From many starts, what later stages have seen without variables is kept as one bit
        // per stage and shape: hashing each was most of the cost of a trait's selector.
        let shapes = self.index.len();
        let mut seen_plain: Vec<u64> = match work.len() >= DENSE_FROM {
            true => vec![0; (seq.len() * shapes).div_ceil(64)],
            false => Vec::new(),
        };
        // Keeps every environment in `seen` alive, so that no address is reused.
        let mut alive: Vec<Env> = Vec::new();
        let mut next: Vec<(NodeId, Env)> = Vec::new();
        while let Some((stage, node, env)) = work.pop() {
            if stage > 0 {
                let plain = Rc::ptr_eq(&env, &self.empty);
                if plain && !seen_plain.is_empty() {
                    let bit = (stage - 1) * shapes + node;
                    let (word, mask) = (bit / 64, 1u64 << (bit % 64));
                    if seen_plain[word] & mask != 0 {
                        continue;
                    }
                    seen_plain[word] |= mask;
                } else {
                    let key = (stage, node, Rc::as_ptr(&env) as usize);
                    if !seen.insert(key) {
                        continue;
                    }
                    if !plain {
                        alive.push(env.clone());
                    }
                }
            }
            let Some(sel) = seq.get(stage) else {
                if emit(node, &env) == Flow::Stop {
                    return Flow::Stop;
                }
                continue;
            };
            self.apply(sel, node, &env, &mut |n, e| {
                next.push((n, e));
                Flow::Continue
            });
            work.extend(next.drain(..).map(|(n, e)| (stage + 1, n, e)));
        }
        Flow::Continue
    }

    fn emits_any(&self, seq: &[Sel], node: NodeId, env: &Env) -> bool {
        self.run(seq, std::iter::once((node, env.clone())), &mut |_, _| {
            Flow::Stop
        }) == Flow::Stop
    }

    fn apply(
        &self,
        sel: &Sel,
        node: NodeId,
        env: &Env,
        out: &mut dyn FnMut(NodeId, Env) -> Flow,
    ) -> Flow {
        let index = self.index;
        let pass = |out: &mut dyn FnMut(NodeId, Env) -> Flow, yes: bool| {
            if yes {
                out(node, env.clone())
            } else {
                Flow::Continue
            }
        };
        match sel {
            Sel::Type(test) => pass(out, type_matches(test, index.node(node).kind)),
            Sel::Attribute { path, comparison } => {
                let scope = self.scope(env);
                let value = AttrValue::Shape(node).path(&scope, path);
                let yes = match comparison {
                    None => value.is_present(),
                    Some((comparator, expected, insensitive)) => expected.iter().any(|e| {
                        comparator.compare(
                            index,
                            &value,
                            &AttrValue::Literal(e.clone()),
                            *insensitive,
                        )
                    }),
                };
                pass(out, yes)
            }
            Sel::Scoped { path, assertions } => {
                let scope = self.scope(env);
                let value = AttrValue::Shape(node).path(&scope, path);
                let yes = value.is_present()
                    && value.flattened().into_iter().any(|within| {
                        assertions.iter().all(|a| {
                            let lhs = scoped_value(&scope, &a.lhs, within);
                            a.rhs.iter().any(|r| {
                                a.comparator.compare(
                                    index,
                                    &lhs,
                                    &scoped_value(&scope, r, within),
                                    a.case_insensitive,
                                )
                            })
                        })
                    });
                pass(out, yes)
            }
            Sel::Neighbor { reverse, labels } => {
                self.neighbors(node, env, *reverse, labels.as_deref(), out)
            }
            Sel::RecursiveNeighbor => {
                let mut visited = HashSet::from([node]);
                let mut queue = VecDeque::from([node]);
                while let Some(current) = queue.pop_front() {
                    for (_, n) in index.forward(current) {
                        if visited.insert(n) {
                            if out(n, env.clone()) == Flow::Stop {
                                return Flow::Stop;
                            }
                            queue.push_back(n);
                        }
                    }
                }
                Flow::Continue
            }
            Sel::Not(seq) => pass(out, !self.emits_any(seq, node, env)),
            Sel::Test(seqs) => pass(out, seqs.iter().any(|s| self.emits_any(s, node, env))),
            Sel::Is(seqs) => {
                for seq in seqs {
                    let flow = self.run(seq, std::iter::once((node, env.clone())), &mut |n, e| {
                        out(n, e.clone())
                    });
                    if flow == Flow::Stop {
                        return Flow::Stop;
                    }
                }
                Flow::Continue
            }
            Sel::In(seq) => {
                let found = self.run(seq, std::iter::once((node, env.clone())), &mut |n, _| {
                    if n == node {
                        Flow::Stop
                    } else {
                        Flow::Continue
                    }
                });
                pass(out, found == Flow::Stop)
            }
            Sel::Root(i) => {
                let mut found: Vec<NodeId> = self.roots[*i].iter().copied().collect();
                found.sort_unstable();
                for n in found {
                    if out(n, env.clone()) == Flow::Stop {
                        return Flow::Stop;
                    }
                }
                Flow::Continue
            }
            Sel::TopDown(qualifier, disqualifier) => {
                self.top_down(node, env, qualifier, disqualifier.as_deref(), out)
            }
            Sel::Recursive(seq) => {
                let mut visited = HashSet::new();
                let mut queue = VecDeque::from([node]);
                while let Some(current) = queue.pop_front() {
                    let flow =
                        self.run(seq, std::iter::once((current, env.clone())), &mut |n, e| {
                            if visited.insert(n) {
                                queue.push_back(n);
                                return out(n, e.clone());
                            }
                            Flow::Continue
                        });
                    if flow == Flow::Stop {
                        return Flow::Stop;
                    }
                }
                Flow::Continue
            }
            Sel::VarStore(slot, seq) => {
                let mut captured = Vec::new();
                self.run(seq, std::iter::once((node, env.clone())), &mut |n, _| {
                    captured.push(n);
                    Flow::Continue
                });
                captured.sort_unstable();
                captured.dedup();
                let mut vars = (**env).clone();
                vars[*slot] = Some(Rc::new(captured));
                out(node, Rc::new(vars))
            }
            Sel::VarGet(slot) => {
                let shapes = env.get(*slot).cloned().flatten().unwrap_or_default();
                for &n in shapes.iter() {
                    if out(n, env.clone()) == Flow::Stop {
                        return Flow::Stop;
                    }
                }
                Flow::Continue
            }
            Sel::Nothing => Flow::Continue,
        }
    }

    fn neighbors(
        &self,
        node: NodeId,
        env: &Env,
        reverse: bool,
        labels: Option<&[String]>,
        out: &mut dyn FnMut(NodeId, Env) -> Flow,
    ) -> Flow {
        let index = self.index;
        let edges = index.relationships(node, reverse);
        let wants = |label: &str| labels.is_none_or(|l| l.iter().any(|x| x == label));
        for (label, n) in edges.clone() {
            if wants(label) && out(n, env.clone()) == Flow::Stop {
                return Flow::Stop;
            }
        }
        let Some(labels) = labels else {
            return Flow::Continue;
        };
        let has = |l: &str| labels.iter().any(|x| x == l);
        if has("trait") {
            let traits: &mut dyn Iterator<Item = NodeId> = if reverse {
                &mut index.trait_reverse(node).iter().copied()
            } else {
                &mut index.trait_forward(node)
            };
            for n in traits {
                if out(n, env.clone()) == Flow::Stop {
                    return Flow::Stop;
                }
            }
        }
        let is_resource = index.node(node).kind == Kind::Shape(ShapeType::Resource);
        // `bound` (deprecated): from a resource to the services and resources that bind it.
        if has("bound") && is_resource {
            for (label, n) in index.reverse(node) {
                if label == "resource" && out(n, env.clone()) == Flow::Stop {
                    return Flow::Stop;
                }
            }
        }
        // `instanceOperation` (deprecated): the instance operations of a resource.
        if has("instanceOperation") && is_resource {
            for (label, n) in edges {
                if INSTANCE_OPERATION_LABELS.contains(&label) && out(n, env.clone()) == Flow::Stop {
                    return Flow::Stop;
                }
            }
        }
        Flow::Continue
    }

    /// `:topdown(q, d)`: services, resources and operations where `q` matched on the shape or
    /// on a service or resource above it, unless `d` matched closer to it.
    fn top_down(
        &self,
        start: NodeId,
        env: &Env,
        qualifier: &[Sel],
        disqualifier: Option<&[Sel]>,
        out: &mut dyn FnMut(NodeId, Env) -> Flow,
    ) -> Flow {
        let is_scope = |n: NodeId| {
            matches!(
                self.index.node(n).kind,
                Kind::Shape(ShapeType::Service | ShapeType::Resource | ShapeType::Operation)
            )
        };
        if !is_scope(start) {
            return Flow::Continue;
        }
        let mut visited = HashSet::new();
        let mut stack = vec![(start, false)];
        while let Some((node, mut qualified)) = stack.pop() {
            if !visited.insert(node) {
                continue;
            }
            if !qualified && self.emits_any(qualifier, node, env) {
                qualified = true;
            }
            if qualified && disqualifier.is_some_and(|d| self.emits_any(d, node, env)) {
                qualified = false;
            }
            if qualified && out(node, env.clone()) == Flow::Stop {
                return Flow::Stop;
            }
            let children: Vec<NodeId> = self
                .index
                .forward(node)
                .filter(|(label, n)| matches!(*label, "resource" | "operation") && *n != node)
                .map(|(_, n)| n)
                .collect();
            stack.extend(children.into_iter().rev().map(|n| (n, qualified)));
        }
        Flow::Continue
    }
}

/// A superset of the shapes from which `seq` can yield one of `targets` (sorted, distinct),
/// found by walking the stages backwards (filters keep their input, neighbours step back over
/// every relationship they could have followed); `None` when a stage can yield shapes
/// unrelated to its input (`:root`, variables read, recursion, `:topdown`), which only the
/// whole model answers. Sorted vectors, not ordered sets: a trait carried by a hundred
/// thousand members steps back over all of them.
pub fn possible_starts(index: &ShapeIndex, seq: &[Sel], targets: &[NodeId]) -> Option<Vec<NodeId>> {
    let mut current = targets.to_vec();
    for sel in seq.iter().rev() {
        current = match sel {
            Sel::Type(_)
            | Sel::Attribute { .. }
            | Sel::Scoped { .. }
            | Sel::Not(_)
            | Sel::Test(_)
            | Sel::In(_)
            | Sel::VarStore(..)
            | Sel::Nothing => current,
            Sel::Neighbor { reverse, labels } => {
                predecessors(index, &current, *reverse, labels.as_deref())
            }
            Sel::Is(seqs) => {
                let mut union = Vec::new();
                for s in seqs {
                    union.extend(possible_starts(index, s, &current)?);
                }
                sorted_distinct(union)
            }
            _ => return None,
        };
    }
    Some(current)
}

fn sorted_distinct(mut nodes: Vec<NodeId>) -> Vec<NodeId> {
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// The shapes from which one neighbour step (as [`Eval::neighbors`] takes it) can reach one of
/// `reached`.
fn predecessors(
    index: &ShapeIndex,
    reached: &[NodeId],
    reverse: bool,
    labels: Option<&[String]>,
) -> Vec<NodeId> {
    let follows_traits = labels.is_some_and(|l| l.iter().any(|x| x == "trait"));
    let mut found = Vec::new();
    for &n in reached {
        if reverse {
            // `<`, and `bound`/`instanceOperation` backwards, follow the reverse edges.
            found.extend(index.forward(n).map(|(_, m)| m));
            if follows_traits {
                found.extend(index.trait_forward(n));
            }
        } else {
            found.extend(index.reverse(n).map(|(_, m)| m));
            if follows_traits {
                found.extend(index.trait_reverse(n).iter().copied());
            }
            // `bound` goes from a resource to the shapes binding it: back along their edges.
            if labels.is_some_and(|l| l.iter().any(|x| x == "bound")) {
                found.extend(index.forward(n).map(|(_, m)| m));
            }
        }
    }
    sorted_distinct(found)
}
