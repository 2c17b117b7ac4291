//! `build --base`: marks the nodes and edges of a drawing that are new or changed since the
//! base. The drawing itself is not laid out again: a `<style>` element right after the `<svg>`
//! tag outlines them through the hooks every family writes (`data-id` on a node's or a
//! participant's group, `data-from`/`data-to` on an edge's or a message's).
//!
//! This is the one place a drawing uses CSS: the rules are attribute and descendant selectors
//! only, which browsers and resvg read alike, and they override presentation attributes only.

use super::svg::escape;
use crate::diff::plans::DiagramMarks;
use std::fmt::Write as _;

/// The outline of what changed: an orange that none of the themes uses for lines.
pub const CHANGED_COLOUR: &str = "#e8590c";

/// What a node's or an edge's outline is drawn with.
const OUTLINED: [&str; 7] = [
    "rect", "circle", "ellipse", "polygon", "path", "line", "polyline",
];

/// `svg` with `marks` outlined; unchanged when there is nothing to mark or no `<svg>` tag.
pub fn mark_changes(svg: &str, marks: &DiagramMarks) -> String {
    let Some(end_of_tag) = svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| start + end + 1))
    else {
        return svg.to_string();
    };
    if marks.is_empty() {
        return svg.to_string();
    }
    let mut groups: Vec<String> = marks
        .nodes
        .iter()
        .map(|id| format!("g[data-id=\"{}\"]", css_string(id)))
        .collect();
    groups.extend(marks.edges.iter().map(|(from, to)| {
        format!(
            "g[data-from=\"{}\"][data-to=\"{}\"]",
            css_string(from),
            css_string(to)
        )
    }));
    let mut selectors = Vec::with_capacity(groups.len() * OUTLINED.len());
    for group in &groups {
        for shape in OUTLINED {
            selectors.push(format!("{group} {shape}"));
        }
    }
    let mut rule = selectors.join(",");
    let _ = write!(rule, "{{stroke:{CHANGED_COLOUR};stroke-width:3px}}");
    // Escaped as any text node: the XML reader gives the CSS reader the rule back unchanged,
    // and no identifier from a plan can close the element.
    format!(
        "{}<style>{}</style>{}",
        &svg[..end_of_tag],
        escape(&rule),
        &svg[end_of_tag..]
    )
}

/// A CSS string's content: quotes and backslashes escaped, every other character below a
/// space (and DEL) as a hexadecimal escape, which a line break inside an id needs.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn marks(nodes: &[&str], edges: &[(&str, &str)]) -> DiagramMarks {
        DiagramMarks {
            nodes: nodes.iter().map(|n| n.to_string()).collect(),
            edges: edges
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<BTreeSet<_>>(),
        }
    }

    #[test]
    fn the_style_follows_the_svg_tag_and_names_nodes_and_edges_by_their_hooks() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><g data-id="a"/></svg>"#;
        let marked = mark_changes(svg, &marks(&["a"], &[("a", "b")]));
        assert!(marked.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg"><style>"#));
        assert!(marked.contains("g[data-id=&quot;a&quot;] rect,"));
        assert!(marked.contains("g[data-from=&quot;a&quot;][data-to=&quot;b&quot;] path,"));
        assert!(marked.ends_with(r#"</style><g data-id="a"/></svg>"#));
    }

    #[test]
    fn nothing_to_mark_leaves_the_drawing_as_it_is() {
        let svg = "<svg><g/></svg>";
        assert_eq!(mark_changes(svg, &DiagramMarks::default()), svg);
        assert_eq!(mark_changes("not svg", &marks(&["a"], &[])), "not svg");
    }

    #[test]
    fn an_id_cannot_close_the_style_or_the_selector() {
        let svg = "<svg><g/></svg>";
        let marked = mark_changes(
            svg,
            &marks(&["x\"]</style><script>alert(1)</script>\n"], &[]),
        );
        let style = &marked[marked.find("<style>").unwrap()..marked.find("</style>").unwrap()];
        assert!(!style[1..].contains('<'));
        assert!(style.contains(r#"x\&quot;]&lt;/style&gt;&lt;script&gt;"#));
        assert!(style.contains(r"\a &quot;]"));
        assert_eq!(marked.matches("</style>").count(), 1);
    }
}
