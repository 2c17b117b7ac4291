//! MMD701: a link whose URL [`SafeUrl::check`] refuses. Renderers draw only `SafeUrl`s, so the
//! link is left out of the drawing; this lint says so, at the URL.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::mermaid::link::SafeUrl;
use crate::mermaid::state::Statement;
use crate::mermaid::Diagram;
use crate::source::SourceText;
use std::ops::Range;

/// A link as a diagram writes it: whose it is, the URL, and where it is written.
struct WrittenLink<'d> {
    owner: &'d str,
    url: &'d str,
    range: Range<usize>,
}

pub fn check(diagram: &Diagram, src: &SourceText) -> Vec<Diagnostic> {
    links(diagram)
        .into_iter()
        // An empty URL is no link at all: there is nothing to follow and nothing to drop.
        .filter(|link| !link.url.trim().is_empty() && SafeUrl::check(link.url).is_none())
        .map(|link| {
            let mut shown: String = link.url.trim().chars().take(40).collect();
            if link.url.trim().chars().count() > 40 {
                shown.push('…');
            }
            src.diagnostic(
                Code::UnsafeLink,
                format!(
                    "the link `{shown}` of `{}` is not an http(s) or relative URL; it is left out of the drawing",
                    link.owner
                ),
                link.range,
            )
            .with_help("link to an http:// or https:// address, or to a relative path")
        })
        .collect()
}

/// Every link of the diagram, in model order.
fn links(diagram: &Diagram) -> Vec<WrittenLink<'_>> {
    let mut found = Vec::new();
    match diagram {
        Diagram::Flowchart(d) => {
            for node in &d.nodes {
                if let Some(url) = &node.link {
                    found.push(WrittenLink {
                        owner: &node.id,
                        url,
                        range: node.link_range.clone().unwrap_or(node.range.clone()),
                    });
                }
            }
        }
        Diagram::Class(d) => {
            for class in &d.classes {
                if let (Some(url), Some(range)) = (&class.link, &class.link_range) {
                    found.push(WrittenLink {
                        owner: &class.id,
                        url,
                        range: range.clone(),
                    });
                }
            }
        }
        Diagram::Sequence(d) => {
            for participant in &d.participants {
                for link in &participant.links {
                    found.push(WrittenLink {
                        owner: &participant.id,
                        url: &link.url,
                        range: link.range.clone(),
                    });
                }
            }
        }
        Diagram::State(d) => state_links(&d.statements, &mut found),
        Diagram::C4(d) => {
            let elements = d.elements.iter().map(|e| (&e.alias, &e.link, &e.range));
            let boundaries = d.boundaries.iter().map(|b| (&b.alias, &b.link, &b.range));
            for (owner, link, range) in elements.chain(boundaries) {
                if let Some(url) = link {
                    found.push(WrittenLink {
                        owner,
                        url,
                        range: range.clone(),
                    });
                }
            }
            for relation in &d.relations {
                if let Some(url) = &relation.link {
                    found.push(WrittenLink {
                        owner: &relation.from,
                        url,
                        range: relation.range.clone(),
                    });
                }
            }
        }
        Diagram::Er(_) => {}
    }
    found
}

/// The `click` links of state statements, composite bodies included.
fn state_links<'d>(statements: &'d [Statement], found: &mut Vec<WrittenLink<'d>>) {
    for statement in statements {
        match statement {
            Statement::Click { id, url, url_range } => found.push(WrittenLink {
                owner: id,
                url,
                range: url_range.clone(),
            }),
            Statement::State(state) => {
                if let Some(body) = &state.body {
                    state_links(body, found);
                }
            }
            _ => {}
        }
    }
}
