//! One mistake, one message, for the Smithy of plans.
//!
//! In a folder of plans every smithy block joins one model, so a mistake in one block shows up
//! as errors in others: a statement dropped after a syntax error leaves every reference to the
//! shape it would have defined unresolved (`Target`), and every validator that looks at the
//! referring shapes complains too (`TraitTarget`, `HttpLabelTrait`, `PaginatedTrait`, ...). The
//! reference implementation stops validating after any loader error because further events
//! "only obscure the root cause"; a folder of many plans must go on checking the healthy ones,
//! so [`one_message_per_mistake`] removes only the events a root cause explains.
//!
//! It works on the events as data, not on individual validators, so it covers every validator:
//! an event is about the shape or member the validator named (`Event::subject`, which its
//! message also starts with, in the reference's wording) and stands where it is reported. The rules, for events located in a
//! Markdown plan (standalone models keep the reference's behaviour):
//!
//! - **Would-have-been shapes.** A statement dropped after a syntax error in a plan's block
//!   would have defined a shape (`ns#Name`, and for an operation its inline `NameInput` and
//!   `NameOutput`); a `use` that names no shape is reported once, at the `use` (SMY023, with a
//!   did-you-mean), and the name it imports counts the same way. When a dropped statement's
//!   name cannot be read, every missing shape of the block's namespace counts. Every event
//!   standing at a reference to such a shape, mentioning it, or about a shape or member that
//!   refers to it (an operation also through the members of its input and output) is dropped:
//!   the syntax error or the `use` is the one message.
//! - **Damaged shapes.** A dropped statement made only of traits or documentation belonged to
//!   the shape statement after it, which was defined without them: events about that shape
//!   are dropped.
//! - **Unresolved shapes.** A reference to a shape nobody defines is reported where it is
//!   written (`Target.UnresolvedShape`, or the event of whatever validator stands there); other
//!   events about the referring shape or member are dropped, and so is the
//!   `SyntacticShapeIdTarget` of an unquoted reference at the same place.

use super::ast::ShapeRef;
use super::ast::{ByteRange, IdlFile, ShapeType};
use super::build::ParsedIdl;
use super::model::{Location, Model, Shape};
use super::validate::Event;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Span};
use crate::source::SourceText;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

/// What the root-cause analysis needs of one smithy block of a plan, taken from its syntax
/// tree when the block is handed to the loader, so that the tree can go as soon as its shapes
/// are made.
#[derive(Debug)]
pub struct BlockCauses {
    source: SourceText,
    uses: Vec<ShapeRef>,
    /// Shapes that statements dropped after a syntax error would have defined.
    would_define: Vec<String>,
    /// Shapes defined without the traits of a dropped statement before them.
    damaged: Vec<String>,
    /// The namespace of the block, when it dropped a statement whose name could not be read.
    unknown_in: Option<String>,
}

impl BlockCauses {
    /// `broken`: the parser reported an error in the block.
    pub fn of(parsed: &ParsedIdl, broken: bool) -> BlockCauses {
        let file = &parsed.file;
        let mut causes = BlockCauses {
            source: parsed.source.clone(),
            uses: file.uses.clone(),
            would_define: Vec::new(),
            damaged: Vec::new(),
            unknown_in: None,
        };
        let Some(namespace) = file.namespace.as_deref().filter(|_| broken) else {
            return causes;
        };
        for range in &file.dropped {
            let statement = parsed.source.text.get(range.clone()).unwrap_or("");
            match would_define(statement) {
                WouldDefine::Shape(shape_type, name) => {
                    let mut names = vec![name.to_string()];
                    if shape_type == Some(ShapeType::Operation) {
                        names.push(format!("{name}{}", file.operation_input_suffix));
                        names.push(format!("{name}{}", file.operation_output_suffix));
                    }
                    let ids = names.into_iter().map(|n| format!("{namespace}#{n}"));
                    causes.would_define.extend(ids);
                }
                WouldDefine::TraitsOf => {
                    if let Some(next) = next_shape(file, range) {
                        causes.damaged.push(format!("{namespace}#{next}"));
                    }
                }
                WouldDefine::Unknown => causes.unknown_in = Some(namespace.to_string()),
                WouldDefine::Nothing => {}
            }
        }
        causes
    }
}

/// What became of a referenced shape that is not in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    /// Explained by a root cause reported elsewhere (a syntax error, a bad `use`).
    Explained,
    /// Nobody defines it: the reference itself is the mistake.
    Unresolved,
}

/// The root causes of a model's plans, found from their texts once the model is built: what
/// the later stages' reports are filtered against, so the texts need not live on while the
/// model is validated.
pub struct RootCauses {
    /// The files of the smithy blocks of plans.
    plan_paths: BTreeSet<String>,
    causes: Causes,
    /// SMY023: each `use` of a shape that does not exist.
    undefined_uses: Vec<Diagnostic>,
}

impl RootCauses {
    pub fn find(blocks: &[BlockCauses], model: &Model) -> RootCauses {
        let plan_paths: BTreeSet<String> = blocks.iter().map(|b| b.source.path.clone()).collect();
        let mut causes = Causes::default();
        for block in blocks {
            let missing = block.would_define.iter().filter(|id| !model.contains(id));
            causes.explained.extend(missing.cloned());
            causes.damaged.extend(block.damaged.iter().cloned());
            causes.explained_namespaces.extend(block.unknown_in.clone());
        }
        let mut undefined_uses = Vec::new();
        for block in blocks {
            undefined_uses.extend(causes.add_undefined_uses(block, model));
        }
        RootCauses {
            plan_paths,
            causes,
            undefined_uses,
        }
    }

    /// The reports of later stages (building and validating the model), with the events
    /// that a root cause explains removed, plus one SMY023 per `use` of a shape that does not
    /// exist.
    pub fn one_message_per_mistake(self, model: &Model, events: Vec<Event>) -> Vec<Diagnostic> {
        if self.plan_paths.is_empty() {
            return events.into_iter().map(|event| event.diagnostic).collect();
        }
        let mut out = self.undefined_uses;
        // Nothing to explain away: the taint walks every reference of every shape in the plans.
        if events.is_empty() {
            return out;
        }
        let plan_paths: BTreeSet<&str> = self.plan_paths.iter().map(String::as_str).collect();
        let causes = self.causes;
        // Without a root cause only unresolved references taint, and only those of the shapes
        // the events are about matter: a run has thousands of events and up to a million
        // shapes, whose every reference the walk would look up.
        let about = causes
            .is_empty()
            .then(|| event_shapes(model, &events, &plan_paths));
        let taint = Taint::of(model, &causes, &plan_paths, about.as_ref());
        let kept: Vec<Diagnostic> = events
            .into_iter()
            .filter(|event| {
                let at = event.diagnostic.path.as_str();
                !(plan_paths.contains(at) && taint.explains(event, &causes))
            })
            .map(|event| event.diagnostic)
            .collect();
        // An unquoted ID in a service's or resource's body that names no shape is both a
        // `SyntacticShapeIdTarget` and a `Target.UnresolvedShape` at the same place; the latter
        // says what refers to it, so in a plan it is the one message.
        let place = |d: &Diagnostic| (d.path.clone(), d.span.line, d.span.column);
        let unresolved_at: BTreeSet<_> = kept
            .iter()
            .filter(|d| d.code == "Target.UnresolvedShape" && plan_paths.contains(d.path.as_str()))
            .map(place)
            .collect();
        out.extend(
            kept.into_iter().filter(|d| {
                d.code != "SyntacticShapeIdTarget" || !unresolved_at.contains(&place(d))
            }),
        );
        out
    }
}

#[derive(Default)]
struct Causes {
    /// Shapes that dropped statements or bad `use`s would have provided.
    explained: BTreeSet<String>,
    /// Namespaces of blocks that dropped a statement whose name could not be read.
    explained_namespaces: BTreeSet<String>,
    /// Shapes defined without the traits of a dropped statement before them.
    damaged: BTreeSet<String>,
}

impl Causes {
    /// No dropped statement and no bad `use`: nothing is explained, only unresolved
    /// references taint.
    fn is_empty(&self) -> bool {
        self.explained.is_empty() && self.explained_namespaces.is_empty() && self.damaged.is_empty()
    }

    fn missing(&self, model: &Model, id: &str) -> Option<Missing> {
        let root = id.split('$').next().unwrap_or(id);
        if model.contains(root) {
            return None;
        }
        let namespace = root.split('#').next().unwrap_or("");
        if self.explained.contains(root) || self.explained_namespaces.contains(namespace) {
            Some(Missing::Explained)
        } else {
            Some(Missing::Unresolved)
        }
    }

    /// SMY023 for each `use` of a shape that does not exist (unless a dropped statement
    /// explains it); the imported name then counts as explained.
    fn add_undefined_uses(&mut self, block: &BlockCauses, model: &Model) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for used in &block.uses {
            if self.missing(model, &used.id) != Some(Missing::Unresolved) {
                continue;
            }
            let mut diagnostic = block.source.diagnostic(
                Code::UseOfUndefinedShape,
                format!("use statement refers to undefined shape `{}`", used.id),
                used.range.clone(),
            );
            if let Some(meant) = closest_shape(model, &used.id) {
                diagnostic = diagnostic
                    .with_help(format!(
                        "did you mean `{meant}`? (every use of the name in this block refers to it)"
                    ))
                    .with_fix(block.source.span(used.range.clone()), meant);
            }
            found.push(diagnostic);
            self.explained.insert(used.id.clone());
        }
        found
    }
}

/// The defined shape whose name is closest to a missing one, in its namespace first.
fn closest_shape<'m>(model: &'m Model, missing: &str) -> Option<&'m str> {
    let (namespace, name) = missing.split_once('#')?;
    let in_namespace = model
        .shapes
        .keys()
        .filter(|id| id.split_once('#').is_some_and(|(ns, _)| ns == namespace));
    let by_name = |ids: Vec<&'m String>| {
        let names = ids
            .iter()
            .map(|id| id.split_once('#').map_or("", |(_, n)| n));
        let meant = crate::suggest::closest(name, names)?;
        ids.into_iter()
            .find(|id| id.ends_with(&format!("#{meant}")))
            .map(String::as_str)
    };
    by_name(in_namespace.collect()).or_else(|| by_name(model.shapes.keys().collect()))
}

enum WouldDefine<'t> {
    /// A shape statement (its type when the keyword is one).
    Shape(Option<ShapeType>, &'t str),
    /// Only traits or documentation: they belonged to the next statement.
    TraitsOf,
    /// A control, metadata, namespace, use or apply statement.
    Nothing,
    /// Something whose name cannot be read.
    Unknown,
}

/// What a dropped statement would have defined, read leniently: its first line that starts a
/// statement (at column 0, not a trait or a comment) is `keyword Name ...`. A misspelt keyword
/// (`strucutre Order {`) still names the shape.
fn would_define(statement: &str) -> WouldDefine<'_> {
    for line in statement.lines() {
        if line.trim().is_empty() || line.starts_with([' ', '\t', '@', '/', ')', ']', '}', ',']) {
            continue;
        }
        if line.starts_with('$') {
            return WouldDefine::Nothing;
        }
        let mut words = line.split(|c: char| c.is_whitespace() || c == '{');
        let keyword = words.next().unwrap_or("");
        if matches!(keyword, "namespace" | "use" | "metadata" | "apply") {
            return WouldDefine::Nothing;
        }
        let is_word = |w: &str| {
            w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        let name = words.find(|w| !w.is_empty()).unwrap_or("");
        return if is_word(keyword) && is_word(name) {
            WouldDefine::Shape(ShapeType::from_keyword(keyword), name)
        } else {
            WouldDefine::Unknown
        };
    }
    WouldDefine::TraitsOf
}

/// The name of the first shape statement that starts after a dropped range.
fn next_shape<'f>(file: &'f IdlFile, dropped: &ByteRange) -> Option<&'f str> {
    file.shapes
        .iter()
        .filter(|s| s.range.start >= dropped.end || s.name_range.start >= dropped.end)
        .min_by_key(|s| s.name_range.start)
        .map(|s| s.name.as_str())
}

/// The shapes the events in plans are about (their subjects' shapes) and, for an operation,
/// its input and output, whose members its events also look at.
fn event_shapes<'m>(
    model: &'m Model,
    events: &'m [Event],
    plan_paths: &BTreeSet<&str>,
) -> BTreeSet<&'m str> {
    let mut shapes = BTreeSet::new();
    let in_plans = events
        .iter()
        .filter(|e| plan_paths.contains(e.diagnostic.path.as_str()));
    for subject in in_plans.filter_map(|e| e.subject.as_deref()) {
        let id = subject.split_once('$').map_or(subject, |(shape, _)| shape);
        shapes.insert(id);
        if let Some(shape) = model.shapes.get(id) {
            let io = [&shape.relations.input, &shape.relations.output];
            shapes.extend(io.into_iter().flatten().map(|r| r.target.as_str()));
        }
    }
    shapes
}

/// Which events the missing shapes explain.
#[derive(Default)]
struct Taint {
    /// Shapes and members (`ns#A`, `ns#A$m`) all of whose events a root cause explains.
    explained_subjects: BTreeSet<String>,
    /// Places of references to explained shapes.
    explained_sites: BTreeSet<(String, Span)>,
    /// Shapes and members that refer to an unresolved shape, with the places of those
    /// references: their events are follow-ons, except at those places.
    unresolved_subjects: BTreeMap<String, BTreeSet<(String, Span)>>,
}

impl Taint {
    /// The taint of the shapes of plans (of those named by `only`, when given).
    fn of(
        model: &Model,
        causes: &Causes,
        plan_paths: &BTreeSet<&str>,
        only: Option<&BTreeSet<&str>>,
    ) -> Taint {
        let mut taint = Taint {
            explained_subjects: causes.damaged.clone(),
            ..Taint::default()
        };
        let shapes: Vec<&Shape> = match only {
            Some(only) => only.iter().filter_map(|id| model.shapes.get(id)).collect(),
            None => model.shapes.values().collect(),
        };
        // Looking up every reference is the work (this stage is otherwise serial); the few
        // that name a missing shape are recorded in turn.
        let missing: Vec<(Missing, String, &Location)> = shapes
            .par_iter()
            .filter(|s| plan_paths.contains(&*s.location.path))
            .flat_map_iter(|shape| {
                subject_references(shape)
                    .into_iter()
                    .filter_map(|(subject, target, at)| {
                        Some((causes.missing(model, target)?, subject.name(shape), at))
                    })
            })
            .collect();
        for (missing, subject, at) in missing {
            taint.add(missing, subject, at);
        }
        // An operation's events also look at the members of its input and output.
        let nothing_tainted =
            taint.explained_subjects.is_empty() && taint.unresolved_subjects.is_empty();
        let operations = shapes
            .iter()
            .filter(|s| s.shape_type == ShapeType::Operation && !nothing_tainted);
        for shape in operations {
            let io = [&shape.relations.input, &shape.relations.output];
            for reference in io.into_iter().flatten() {
                let prefix = format!("{}$", reference.target);
                // The members of the shape, found by a range of the sorted subjects.
                let from = (Bound::Included(prefix.as_str()), Bound::Unbounded);
                let explained = taint.explained_subjects.range::<str, _>(from).next();
                if explained.is_some_and(|s| s.starts_with(&prefix)) {
                    taint.explained_subjects.insert(shape.id.clone());
                }
                let sites: BTreeSet<(String, Span)> = taint
                    .unresolved_subjects
                    .range::<str, _>(from)
                    .take_while(|(s, _)| s.starts_with(&prefix))
                    .flat_map(|(_, sites)| sites.iter().cloned())
                    .collect();
                if !sites.is_empty() {
                    taint
                        .unresolved_subjects
                        .entry(shape.id.clone())
                        .or_default()
                        .extend(sites);
                }
            }
        }
        taint
    }

    fn add(&mut self, missing: Missing, subject: String, at: &Location) {
        let site = (at.path.to_string(), at.span);
        match missing {
            Missing::Explained => {
                self.explained_subjects.insert(subject);
                self.explained_sites.insert(site);
            }
            Missing::Unresolved => {
                self.unresolved_subjects
                    .entry(subject)
                    .or_default()
                    .insert(site);
            }
        }
    }

    fn explains(&self, event: &Event, causes: &Causes) -> bool {
        let Event {
            diagnostic: event,
            subject,
        } = event;
        let site = (event.path.clone(), event.span);
        if self.explained_sites.contains(&site)
            || causes
                .explained
                .iter()
                .any(|id| mentions(&event.message, id))
        {
            return true;
        }
        let Some(subject) = subject else {
            return false;
        };
        // A subject is covered by itself and, for a member, by its shape: looked up, not
        // searched for, as a run has thousands of events.
        let shape = subject.split_once('$').map(|(shape, _)| shape);
        let covering = || std::iter::once(subject.as_str()).chain(shape);
        covering().any(|s| self.explained_subjects.contains(s))
            || covering().any(|s| {
                self.unresolved_subjects
                    .get(s)
                    .is_some_and(|sites| !sites.contains(&site))
            })
    }
}

/// What an event about a reference names: the shape, or one of its members.
#[derive(Clone, Copy)]
enum Subject<'s> {
    Shape,
    Member(&'s str),
}

impl Subject<'_> {
    fn name(self, shape: &Shape) -> String {
        match self {
            Subject::Shape => shape.id.clone(),
            Subject::Member(member) => format!("{}${member}", shape.id),
        }
    }
}

/// Every reference of a shape (its target and where it was written) with the subject an
/// event about it would name: the member for member targets and member traits, else the
/// shape. Nothing is copied: most references name a shape that exists and are passed over.
fn subject_references(shape: &Shape) -> Vec<(Subject<'_>, &str, &Location)> {
    let mut found = Vec::new();
    for member in &shape.members {
        let subject = Subject::Member(&member.name);
        found.push((subject, member.target.as_str(), &member.target_location));
        for (id, value) in &member.traits {
            found.push((subject, id.as_str(), &value.location));
        }
    }
    for (id, value) in &shape.traits {
        found.push((Subject::Shape, id.as_str(), &value.location));
    }
    let references = shape.bindings().chain(&shape.for_resource);
    for reference in references {
        found.push((
            Subject::Shape,
            reference.target.as_str(),
            &reference.location,
        ));
    }
    found
}

/// Whether a message names a shape ID as a whole word (not as the start of a longer ID).
fn mentions(message: &str, id: &str) -> bool {
    message.match_indices(id).any(|(at, _)| {
        let before = message[..at].chars().next_back();
        let after = message[at + id.len()..].chars().next();
        let part_of_id = |c: Option<char>| {
            c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '#'))
        };
        !part_of_id(before) && !part_of_id(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_statements_name_what_they_would_define() {
        assert!(matches!(
            would_define("@readonly\noperation GetBill {\n  input := {\n"),
            WouldDefine::Shape(Some(ShapeType::Operation), "GetBill")
        ));
        assert!(matches!(
            would_define("strucutre Order {\n}\n"),
            WouldDefine::Shape(None, "Order")
        ));
        assert!(matches!(
            would_define("@http(method: \"GET\" uri: \"/x\")\n"),
            WouldDefine::TraitsOf
        ));
        assert!(matches!(
            would_define("use a.b#C D\n"),
            WouldDefine::Nothing
        ));
        assert!(matches!(would_define("x: = 3\n"), WouldDefine::Unknown));
    }

    #[test]
    fn mentions_name_whole_ids() {
        assert!(mentions("targets `a.b#X`. Did you mean", "a.b#X"));
        assert!(!mentions("targets `a.b#XY`", "a.b#X"));
    }
}
