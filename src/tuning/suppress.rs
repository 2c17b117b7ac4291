//! Inline suppressions in plans, as markdownlint writes them:
//! `<!-- plansmith-disable-next-line DEP005 -->` silences the codes on the next line,
//! `<!-- plansmith-disable CODE -->` ... `<!-- plansmith-enable CODE -->` a region (to the end of
//! the file when it is not enabled again). No codes means every code. A suppression that silences
//! nothing is reported (CFG002), and so is a code that does not exist (CFG003).

use super::rules::covers;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Span};
use crate::plan::Plan;
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::BTreeMap;
use std::ops::Range;

const PREFIX: &str = "plansmith-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NextLine,
    Disable,
    Enable,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::NextLine => "plansmith-disable-next-line",
            Kind::Disable => "plansmith-disable",
            Kind::Enable => "plansmith-enable",
        }
    }
}

/// One `<!-- plansmith-... -->` comment.
#[derive(Debug, Clone)]
struct Directive {
    kind: Kind,
    /// The codes named; empty means all.
    codes: Vec<String>,
    /// Where each of `codes` is written, for the fix of an unknown one.
    code_spans: Vec<Span>,
    span: Span,
}

/// Which lines a directive (or one code of it) silences.
#[derive(Debug, Clone)]
struct Scope {
    directive: usize,
    /// `None`: every code.
    code: Option<String>,
    lines: Range<u32>,
    used: bool,
}

/// The suppression comments of a plan's Markdown (only HTML comments, so an example in a code
/// block or in inline code is not taken for one).
fn directives(plan: &Plan) -> Vec<Directive> {
    let text = plan.source.text.as_str();
    if !text.contains(PREFIX) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let html = matches!(event, Event::InlineHtml(_) | Event::Start(Tag::HtmlBlock));
        if !html {
            continue;
        }
        let mut at = range.start;
        while let Some(open) = text[at..range.end].find("<!--") {
            let start = at + open;
            // The body starts after `<!--` (so `<!-->` is an empty comment, not a panic).
            let body_start = (start + 4).min(range.end);
            let Some(close) = text[body_start..range.end].find("-->") else {
                break;
            };
            let end = body_start + close + 3;
            if let Some((kind, words)) = directive(&text[body_start..end - 3]) {
                let (codes, code_spans) = words
                    .into_iter()
                    .map(|(at, code)| {
                        let from = body_start + at;
                        (code.to_string(), plan.source.span(from..from + code.len()))
                    })
                    .unzip();
                found.push(Directive {
                    kind,
                    codes,
                    code_spans,
                    span: plan.source.span(start..end),
                });
            }
            at = end;
        }
    }
    found
}

/// `plansmith-disable-next-line A, B` → (kind, codes, each with its offset in `comment`).
fn directive(comment: &str) -> Option<(Kind, Vec<(usize, &str)>)> {
    let mut words = words(comment);
    let (_, keyword) = words.next()?;
    let kind = [Kind::NextLine, Kind::Disable, Kind::Enable]
        .into_iter()
        .find(|k| k.keyword() == keyword)?;
    Some((kind, words.collect()))
}

/// The words of a comment separated by white space or commas, with their offsets.
fn words(comment: &str) -> impl Iterator<Item = (usize, &str)> {
    let separator = |c: char| c.is_whitespace() || c == ',';
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + comment[at..].find(|c: char| !separator(c))?;
        let end = comment[start..]
            .find(separator)
            .map_or(comment.len(), |n| start + n);
        at = end;
        Some((start, &comment[start..end]))
    })
}

/// The lines each directive silences, and the `enable` comments that end no region.
fn scopes(directives: &[Directive]) -> (Vec<Scope>, Vec<usize>) {
    let mut scopes = Vec::new();
    let mut open: BTreeMap<Option<String>, usize> = BTreeMap::new();
    let mut idle_enables = Vec::new();
    let keys = |d: &Directive| -> Vec<Option<String>> {
        if d.codes.is_empty() {
            vec![None]
        } else {
            d.codes.iter().cloned().map(Some).collect()
        }
    };
    for (index, d) in directives.iter().enumerate() {
        match d.kind {
            Kind::NextLine => {
                for code in keys(d) {
                    let next = d.span.end_line + 1;
                    scopes.push(Scope {
                        directive: index,
                        code,
                        lines: next..next + 1,
                        used: false,
                    });
                }
            }
            Kind::Disable => {
                for code in keys(d) {
                    open.entry(code.clone()).or_insert_with(|| {
                        scopes.push(Scope {
                            directive: index,
                            code,
                            lines: d.span.line..u32::MAX,
                            used: false,
                        });
                        scopes.len() - 1
                    });
                }
            }
            Kind::Enable => {
                let closing: Vec<Option<String>> = if d.codes.is_empty() {
                    open.keys().cloned().collect()
                } else {
                    keys(d)
                };
                let mut closed = false;
                for code in closing {
                    if let Some(scope) = open.remove(&code) {
                        scopes[scope].lines.end = d.span.line + 1;
                        closed = true;
                    }
                }
                if !closed {
                    idle_enables.push(index);
                }
            }
        }
    }
    (scopes, idle_enables)
}

/// A plan's suppression comments and what they silence.
struct PlanSuppressions {
    directives: Vec<Directive>,
    scopes: Vec<Scope>,
    idle_enables: Vec<usize>,
}

/// Drops the findings a plan's suppression comments silence, and adds a warning for each
/// suppression that silenced nothing or names an unknown code.
pub fn apply(plans: &[Plan], diagnostics: &mut Vec<Diagnostic>) {
    let mut by_plan: BTreeMap<&str, PlanSuppressions> = BTreeMap::new();
    for plan in plans {
        let directives = directives(plan);
        if !directives.is_empty() {
            let (scopes, idle_enables) = scopes(&directives);
            let suppressions = PlanSuppressions {
                directives,
                scopes,
                idle_enables,
            };
            by_plan.insert(plan.path.as_str(), suppressions);
        }
    }
    if by_plan.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let Some(suppressions) = by_plan.get_mut(d.path.as_str()) else {
            return true;
        };
        let mut silenced = false;
        for scope in suppressions.scopes.iter_mut() {
            let code_matches = scope
                .code
                .as_deref()
                .is_none_or(|c| covers(c, d.code.as_str()));
            if code_matches && scope.lines.contains(&d.span.line) {
                scope.used = true;
                silenced = true;
            }
        }
        !silenced
    });
    for (path, suppressions) in by_plan {
        diagnostics.extend(findings_about(path, &suppressions));
    }
}

/// CFG003 for codes that do not exist, CFG002 for what silenced nothing.
fn findings_about(path: &str, suppressions: &PlanSuppressions) -> Vec<Diagnostic> {
    let PlanSuppressions {
        directives,
        scopes,
        idle_enables,
    } = suppressions;
    let mut found = Vec::new();
    for (index, d) in directives.iter().enumerate() {
        let keyword = d.kind.keyword();
        let unknown: Vec<&String> = d
            .codes
            .iter()
            .filter(|c| !crate::docs::is_known_code(c))
            .collect();
        for (code, at) in d.codes.iter().zip(&d.code_spans) {
            if !unknown.contains(&code) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                Code::UnknownCodeInConfig,
                format!("`{keyword}` names `{code}`, which is not a plansmith code"),
                path,
                d.span,
            );
            let closest = crate::docs::closest_codes(code);
            if let Some(best) = closest.first() {
                diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
            }
            // Only one code is that close: it is the one meant.
            if let [meant] = closest[..] {
                diagnostic = diagnostic.with_fix(*at, meant);
            }
            found.push(diagnostic);
        }
        let unused: Vec<Option<&String>> = scopes
            .iter()
            .filter(|s| s.directive == index && !s.used)
            .map(|s| s.code.as_ref())
            .filter(|code| code.is_none_or(|c| !unknown.contains(&c)))
            .collect();
        let place = match d.kind {
            Kind::NextLine => "on the next line",
            Kind::Disable | Kind::Enable => "in its region",
        };
        if !unused.is_empty() {
            let what = if unused.contains(&None) {
                "no finding".to_string()
            } else {
                let codes: Vec<String> =
                    unused.iter().flatten().map(|c| format!("`{c}`")).collect();
                format!("no {} finding", codes.join(" or "))
            };
            found.push(
                Diagnostic::new(
                    Code::UnusedSuppression,
                    format!("unused suppression: {what} {place}"),
                    path,
                    d.span,
                )
                .with_help("remove the suppression, or the codes that are no longer reported"),
            );
        }
        if idle_enables.contains(&index) {
            let what = if d.codes.is_empty() {
                "any region".to_string()
            } else {
                format!("a region of {}", d.codes.join(", "))
            };
            found.push(Diagnostic::new(
                Code::UnusedSuppression,
                format!("unused suppression: `{keyword}` ends no open region: no `plansmith-disable` opened {what}"),
                path,
                d.span,
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, reported: &[(u32, &str)]) -> Vec<(u32, String)> {
        let code = |text: &str| Code::from_text(text).expect("a code of ours");
        let (plan, _) = crate::plan::read_plan("p.md", text);
        let mut diagnostics: Vec<Diagnostic> = reported
            .iter()
            .map(|(line, text)| Diagnostic::new(code(text), "m", "p.md", Span::point(*line, 1)))
            .collect();
        apply(&[plan], &mut diagnostics);
        diagnostics
            .iter()
            .map(|d| (d.span.line, d.code.to_string()))
            .collect()
    }

    #[test]
    fn next_line_silences_only_the_next_line_and_named_codes() {
        let text =
            "# P\n\n<!-- plansmith-disable-next-line DEP005, PLAN005 -->\nline four\nline five\n";
        let left = run(text, &[(4, "DEP005"), (4, "PLAN006"), (5, "DEP005")]);
        assert_eq!(
            left,
            [
                (4, "PLAN006".into()),
                (5, "DEP005".into()),
                (3, "CFG002".into())
            ]
        );
    }

    #[test]
    fn regions_end_at_enable_or_at_the_end() {
        let text = "# P\n\n<!-- plansmith-disable -->\n\nx\n\n<!-- plansmith-enable -->\n\ny\n\n<!-- plansmith-disable PLAN005 -->\n\nz\n";
        let left = run(text, &[(5, "DEP001"), (9, "DEP001"), (13, "PLAN005")]);
        assert_eq!(left, [(9, "DEP001".into())]);
    }

    #[test]
    fn unknown_codes_and_idle_enables_are_reported() {
        let text = "# P\n\n<!-- plansmith-enable PLAN005 -->\n\n<!-- plansmith-disable-next-line PLAN05 -->\nx\n";
        let left = run(text, &[]);
        assert_eq!(left, [(3, "CFG002".into()), (5, "CFG003".into())]);
    }

    #[test]
    fn an_unknown_code_with_one_closest_code_is_fixed_to_it() {
        let text = "# P\n\n<!-- plansmith-disable-next-line DEP001,PLAN05 XYZ123 -->\nx\n";
        let (plan, _) = crate::plan::read_plan("p.md", text);
        let mut diagnostics = vec![Diagnostic::new(
            Code::DeadPlanReference,
            "m",
            "p.md",
            Span::point(4, 1),
        )];
        apply(&[plan], &mut diagnostics);
        let unknown: Vec<_> = diagnostics.iter().filter(|d| d.code == "CFG003").collect();
        assert_eq!(unknown.len(), 2, "{diagnostics:?}");
        let fix = unknown[0].fix.as_ref().expect("a fix for PLAN05");
        assert_eq!(fix.replacement, "PLAN005");
        let column = text.lines().nth(2).unwrap().find("PLAN05").unwrap() as u32 + 1;
        assert_eq!(
            (fix.span.line, fix.span.column, fix.span.end_column),
            (3, column, column + 6)
        );
        // No code is close to this one: nothing to replace it with.
        assert_eq!(unknown[1].fix, None);
    }

    #[test]
    fn a_suppression_of_every_code_that_silences_nothing() {
        let (plan, _) = crate::plan::read_plan("p.md", "# P\n\n<!-- plansmith-disable -->\n");
        let mut diagnostics = Vec::new();
        apply(&[plan], &mut diagnostics);
        assert_eq!(
            diagnostics[0].message,
            "unused suppression: no finding in its region"
        );
    }

    #[test]
    fn odd_comments_are_no_trouble() {
        for text in [
            "<!-->plansmith-",
            "<!--->plansmith-",
            "a <!--plansmith- x",
            "<!--plansmith-enable",
        ] {
            run(text, &[]);
        }
        let text = "# P\n\n<!-- plansmith-disable-next-line --><!-- plansmith-disable-next-line DEP001 -->\nx\n";
        assert_eq!(run(text, &[(4, "DEP001")]), []);
    }

    #[test]
    fn comments_in_code_are_not_suppressions() {
        let text = "# P\n\n```html\n<!-- plansmith-disable -->\n```\n\nx\n";
        assert_eq!(run(text, &[(7, "DEP001")]), [(7, "DEP001".into())]);
    }
}
