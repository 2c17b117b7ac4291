//! Smithy selectors, the whole language of the specification ("Selectors"): shape types and
//! classes, attributes with every comparator, scoped attributes, neighbours (`>`, `<`,
//! `-[…]->`, `<-[…]-`, `~>`), the functions `:is`, `:not`, `:test`, `:in`, `:root`,
//! `:topdown`, `:recursive` (and the old `:each`), and variables.
//!
//! [`Selector::parse`] checks the syntax (nesting is limited, see [`parse::MAX_NESTING`]);
//! [`ShapeIndex::new`] builds the model view once, and [`Selector::select`] and friends
//! evaluate against it.

pub mod attribute;
mod eval;
pub mod index;
pub mod parse;

pub use attribute::AttrValue;
use eval::{Env, Eval, Flow};
pub use index::{NodeId, ShapeIndex};
use parse::Parsed;
pub use parse::SyntaxError;
use std::collections::BTreeSet;

/// What attribute paths are resolved against: the index, and the variables of one match.
pub struct Scope<'a> {
    pub index: &'a ShapeIndex<'a>,
    pub variables: &'a [String],
    pub vars: &'a attribute::Vars,
}

/// A parsed selector.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    pub text: String,
    parsed: Parsed,
}

/// One result of a selector, with the variables in force when it was reached.
pub struct Match {
    pub node: NodeId,
    vars: Env,
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, SyntaxError> {
        Ok(Selector {
            text: text.to_string(),
            parsed: parse::parse(text)?,
        })
    }

    /// The shapes among `targets` that [`Selector::select`] yields, evaluated only from the
    /// shapes that can reach them when the selector allows (a trait's selector is checked
    /// against the few shapes that carry the trait, not a model of a million shapes).
    pub fn select_among(&self, index: &ShapeIndex, targets: &BTreeSet<NodeId>) -> BTreeSet<NodeId> {
        let targets: Vec<NodeId> = targets.iter().copied().collect();
        let starts = eval::possible_starts(index, &self.parsed.seq, &targets);
        // Marks by node, not ordered sets: the targets may be a large part of the model.
        let mut wanted = vec![false; index.len()];
        for &n in &targets {
            if let Some(w) = wanted.get_mut(n) {
                *w = true;
            }
        }
        let mut hit = vec![false; index.len()];
        let eval = Eval::new(index, &self.parsed);
        let mut mark = |n: NodeId, _: &Env| {
            if wanted[n] {
                hit[n] = true;
            }
            Flow::Continue
        };
        match starts {
            Some(starts) => {
                let starts = starts.into_iter().map(|n| (n, eval.empty.clone()));
                eval.run(&self.parsed.seq, starts, &mut mark)
            }
            None => {
                let starts = (0..index.len()).map(|n| (n, eval.empty.clone()));
                eval.run(&self.parsed.seq, starts, &mut mark)
            }
        };
        targets
            .into_iter()
            .filter(|&n| hit.get(n) == Some(&true))
            .collect()
    }

    /// Every shape the selector yields when it starts from every shape of the model.
    pub fn select(&self, index: &ShapeIndex) -> BTreeSet<NodeId> {
        self.select_from(index, 0..index.len())
    }

    /// The shapes the selector yields when it starts from the given shapes.
    pub fn select_from(
        &self,
        index: &ShapeIndex,
        starts: impl Iterator<Item = NodeId>,
    ) -> BTreeSet<NodeId> {
        let eval = Eval::new(index, &self.parsed);
        let mut found = BTreeSet::new();
        let starts = starts.map(|n| (n, eval.empty.clone()));
        eval.run(&self.parsed.seq, starts, &mut |n, _| {
            found.insert(n);
            Flow::Continue
        });
        found
    }

    /// Every result with its variables (one per distinct result and variables), in shape order.
    pub fn matches(&self, index: &ShapeIndex) -> Vec<Match> {
        let eval = Eval::new(index, &self.parsed);
        let mut found = Vec::new();
        let starts = (0..index.len()).map(|n| (n, eval.empty.clone()));
        eval.run(&self.parsed.seq, starts, &mut |n, vars| {
            found.push(Match {
                node: n,
                vars: vars.clone(),
            });
            Flow::Continue
        });
        found.sort_by_key(|m| m.node);
        found
    }

    /// Resolves an attribute path (`id|name`, `trait|documentation`, `var|x|id`, …) of a
    /// match, as message templates do with `@{…}`.
    pub fn attribute<'a>(
        &'a self,
        index: &'a ShapeIndex<'a>,
        m: &'a Match,
        path: &[String],
    ) -> AttrValue<'a> {
        let scope = Scope {
            index,
            variables: &self.parsed.variables,
            vars: &m.vars,
        };
        AttrValue::Shape(m.node).path(&scope, path)
    }
}

/// Parses the `@{path}` of a message template (the text between the braces), for the
/// validators that format messages from matches.
pub fn parse_template_path(inner: &str) -> Result<Vec<String>, SyntaxError> {
    // The path of `[@path: …]` uses the same grammar; `@{}` paths start at the shape.
    let text = format!("[@{inner}: @{{id}} ?= true]");
    match parse::parse(&text)?.seq.pop() {
        Some(parse::Sel::Scoped { path, .. }) => Ok(path),
        _ => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests;
