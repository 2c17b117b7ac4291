//! Document symbols: the sections of a plan with the Smithy shapes and the diagrams they hold;
//! the shapes of a `.smithy` file; the diagram of a `.mmd` file.

use super::position::LineIndex;
use crate::diagnostic::Span;
use crate::plan::{Block, BlockKind, Section};
use crate::smithy::ast::ShapeType;
use crate::smithy::{Model, Shape};
use lsp_types::{DocumentSymbol, Range, SymbolKind};

/// A symbol that belongs in the section holding its line.
struct Item {
    line: u32,
    symbol: DocumentSymbol,
}

/// The symbols of one file: `sections` (empty for files that are not plans), the shapes the
/// model records for it and its diagram blocks.
pub fn document_symbols(
    text: &str,
    identity: &str,
    sections: &[Section],
    blocks: &[Block],
    model: &Model,
) -> Vec<DocumentSymbol> {
    let index = LineIndex::new(text);
    let mut items: Vec<Item> = model
        .shapes
        .values()
        .filter(|s| &*s.location.path == identity)
        .map(|shape| Item {
            line: shape.location.span.line,
            symbol: shape_symbol(&index, shape),
        })
        .collect();
    items.extend(
        blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Mermaid)
            .map(|block| Item {
                line: block.line,
                symbol: diagram_symbol(&index, block),
            }),
    );
    items.sort_by_key(|item| item.line);
    let last_line = index.position(u32::MAX, 1).line + 1;
    let mut symbols = section_symbols(&index, sections, last_line, &mut items);
    // What stands before the first heading.
    symbols.extend(items.into_iter().map(|item| item.symbol));
    symbols.sort_by_key(|s| s.range.start);
    symbols
}

/// Each section from its heading to the line before the next heading of its level or above,
/// holding its subsections and the items in it (taken out of `items`).
fn section_symbols(
    index: &LineIndex<'_>,
    sections: &[Section],
    end_line: u32,
    items: &mut Vec<Item>,
) -> Vec<DocumentSymbol> {
    sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let last = sections
                .get(i + 1)
                .map_or(end_line, |next| next.line.saturating_sub(1));
            let mut children = section_symbols(index, &section.children, last, items);
            let (inside, outside): (Vec<Item>, Vec<Item>) = std::mem::take(items)
                .into_iter()
                .partition(|item| (section.line..=last).contains(&item.line));
            *items = outside;
            children.extend(inside.into_iter().map(|item| item.symbol));
            children.sort_by_key(|s| s.range.start);
            let heading = index.range(Span {
                line: section.line,
                column: 1,
                end_line: section.line,
                end_column: u32::MAX,
            });
            let whole = Range::new(heading.start, index.position(last, u32::MAX));
            symbol(
                section.title.clone(),
                Some(format!("h{}", section.level)),
                SymbolKind::STRING,
                whole,
                heading,
                children,
            )
        })
        .collect()
}

fn shape_symbol(index: &LineIndex<'_>, shape: &Shape) -> DocumentSymbol {
    let name = index.range(shape.location.span);
    let members: Vec<DocumentSymbol> = shape
        .members
        .iter()
        .filter(|m| m.location.path == shape.location.path)
        .map(|member| {
            let range = index.range(member.location.span);
            symbol(
                member.name.clone(),
                Some(member.target.clone()),
                SymbolKind::FIELD,
                range,
                range,
                Vec::new(),
            )
        })
        .collect();
    let end = members.iter().map(|m| m.range.end).fold(name.end, Ord::max);
    let short_name = shape.id.split_once('#').map_or(&*shape.id, |(_, n)| n);
    symbol(
        short_name.to_string(),
        Some(shape.shape_type.as_str().to_string()),
        shape_kind(shape.shape_type),
        Range::new(name.start, end),
        name,
        members,
    )
}

fn shape_kind(shape_type: ShapeType) -> SymbolKind {
    match shape_type {
        ShapeType::Structure | ShapeType::Union => SymbolKind::STRUCT,
        ShapeType::Enum | ShapeType::IntEnum => SymbolKind::ENUM,
        ShapeType::Service => SymbolKind::INTERFACE,
        ShapeType::Resource => SymbolKind::CLASS,
        ShapeType::Operation => SymbolKind::FUNCTION,
        ShapeType::List | ShapeType::Set | ShapeType::Map => SymbolKind::ARRAY,
        _ => SymbolKind::TYPE_PARAMETER,
    }
}

/// A diagram: named by its family, spanning the block's lines.
fn diagram_symbol(index: &LineIndex<'_>, block: &Block) -> DocumentSymbol {
    let family = block.diagram().map_or("mermaid", |d| d.name());
    let lines = block.source.text.lines().count().max(1) as u32;
    let first = index.range(Span {
        line: block.line,
        column: 1,
        end_line: block.line,
        end_column: u32::MAX,
    });
    let whole = Range::new(
        first.start,
        index.position(block.line + lines - 1, u32::MAX),
    );
    symbol(
        format!("{family} diagram"),
        block.section.clone(),
        SymbolKind::OBJECT,
        whole,
        first,
        Vec::new(),
    )
}

#[allow(deprecated)] // `deprecated` is a field of the protocol's struct, left unset
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    selection_range: Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}
