//! Hover and go to definition: Smithy shape IDs (where a shape, a member or a reference is
//! written, or a shape's name anywhere in a plan's text) and Markdown links to other files.

use super::position::{span_contains, LineIndex};
use super::workspace::Workspace;
use crate::smithy::{Member, Model, Shape};
use lsp_types::{Hover, HoverContents, Location, MarkupContent, MarkupKind, Position, Range, Url};
use std::collections::BTreeSet;

/// What the cursor points at.
pub struct ShapeAt<'m> {
    pub shape: &'m Shape,
    pub member: Option<&'m Member>,
}

/// The shape or member at a position of a file: a definition or reference the model recorded
/// there, else a shape ID or name under the cursor.
pub fn shape_at<'m>(
    model: &'m Model,
    identity: &str,
    text: &str,
    position: Position,
) -> Option<ShapeAt<'m>> {
    let index = LineIndex::new(text);
    let (line, column) = index.line_column(position);
    let in_file = || {
        model
            .shapes
            .values()
            .filter(|s| &*s.location.path == identity)
    };
    for shape in in_file() {
        if span_contains(shape.location.span, line, column) {
            return Some(ShapeAt {
                shape,
                member: None,
            });
        }
        for reference in shape.references() {
            if &*reference.location.path == identity
                && span_contains(reference.location.span, line, column)
            {
                if let Some(target) = model.shapes.get(&reference.target) {
                    return Some(ShapeAt {
                        shape: target,
                        member: None,
                    });
                }
            }
        }
        // A member's span holds its target, so references are looked at first.
        for member in &shape.members {
            if span_contains(member.location.span, line, column) {
                return Some(ShapeAt {
                    shape,
                    member: Some(member),
                });
            }
        }
    }
    let word = word_at(text, index.offset(position))?;
    let (id, member_name) = match word.split_once('$') {
        Some((id, member)) => (id, Some(member)),
        None => (word, None),
    };
    let shape = if id.contains('#') {
        model.shapes.get(id)?
    } else {
        // A relative name: in a namespace this file defines shapes in, else the prelude's.
        let namespaces: BTreeSet<&str> = in_file()
            .filter_map(|s| s.id.split_once('#').map(|(ns, _)| ns))
            .chain(["smithy.api"])
            .collect();
        namespaces
            .into_iter()
            .find_map(|ns| model.shapes.get(&format!("{ns}#{id}")))?
    };
    let member = member_name.and_then(|name| shape.members.iter().find(|m| m.name == name));
    Some(ShapeAt { shape, member })
}

/// The shape ID, or name, that the byte offset stands in.
fn word_at(text: &str, offset: usize) -> Option<&str> {
    let is_id = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '#' | '$');
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_id(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_id(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = text[start..end].trim_matches('.');
    (!word.is_empty()).then_some(word)
}

/// The hover text of a shape or member: its kind and ID, where it is defined, its documentation.
pub fn hover(at: &ShapeAt<'_>) -> Hover {
    let shape = at.shape;
    let mut value = match at.member {
        Some(member) => format!(
            "```smithy\n{}${}: {}\n```\n",
            shape.id, member.name, member.target
        ),
        None => format!(
            "```smithy\n{} {}\n```\n",
            shape.shape_type.as_str(),
            shape.id
        ),
    };
    let location = at.member.map_or(&shape.location, |m| &m.location);
    if !location.path.is_empty() {
        value.push_str(&format!(
            "\nDefined in `{}`, line {}\n",
            location.path, location.span.line
        ));
    }
    let traits = at.member.map_or(&shape.traits, |m| &m.traits);
    if let Some(documentation) = traits
        .get("smithy.api#documentation")
        .and_then(|t| t.value.as_str())
    {
        value.push_str("\n---\n\n");
        value.push_str(documentation);
        value.push('\n');
    }
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// Where a shape or member is defined.
pub fn definition(workspace: &Workspace, at: &ShapeAt<'_>) -> Option<Location> {
    let location = at.member.map_or(&at.shape.location, |m| &m.location);
    let text = workspace.text(&location.path)?;
    Some(Location {
        uri: workspace.uri(&location.path)?,
        range: LineIndex::new(&text).range(location.span),
    })
}

/// The file a Markdown link under the cursor points to (`[text](target)` on the cursor's line),
/// when it exists.
pub fn link_target(
    workspace: &Workspace,
    identity: &str,
    text: &str,
    position: Position,
) -> Option<Location> {
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let cursor = offset - line_start;
    let mut from = 0;
    while let Some(found) = line[from..].find("](") {
        let middle = from + found;
        let open = line[..middle].rfind('[').unwrap_or(middle);
        let close = line[middle..].find(')').map_or(line.len(), |i| middle + i);
        if (open..=close).contains(&cursor) {
            let destination = line[middle + 2..close].trim();
            let destination = destination
                .strip_prefix('<')
                .and_then(|d| d.strip_suffix('>'))
                .unwrap_or_else(|| destination.split_whitespace().next().unwrap_or(""));
            return resolve_link(workspace, identity, destination);
        }
        from = middle + 2;
    }
    None
}

fn resolve_link(workspace: &Workspace, identity: &str, destination: &str) -> Option<Location> {
    let file = destination.split('#').next()?;
    if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
        return None;
    }
    let file = crate::paths::decode_uri_path(file);
    let path = match file.strip_prefix('/') {
        Some(from_root) => workspace.root().join(from_root),
        None => workspace.root().join(identity).parent()?.join(&file),
    };
    let path = crate::paths::normalise(&path);
    if !path.is_file() {
        return None;
    }
    Some(Location {
        uri: Url::from_file_path(path).ok()?,
        range: Range::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::word_at;

    #[test]
    fn words_are_shape_ids() {
        let text = "    invoice: com.example#Invoice$id\n";
        assert_eq!(word_at(text, 6), Some("invoice"));
        assert_eq!(word_at(text, 20), Some("com.example#Invoice$id"));
        assert_eq!(word_at(text, text.len()), None);
        assert_eq!(word_at("a. ", 2), Some("a"));
    }
}
