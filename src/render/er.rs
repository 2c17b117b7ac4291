//! Entity-relationship diagrams: entities as tables (name header; type, name, keys and comment
//! columns), relationships with crow's-foot ends, identifying ones solid and the rest dashed.
//! Laid out into a [`Scene`], painted by `paint.rs`.

use super::data_common::{
    data_scene, edge_label_marks, front_matter_title, label_lines, label_point, label_text,
    text_rect,
};
use super::draw::{CrowFoot, Head, Style};
use super::layout::{
    DagreLayout, Direction, LayeredLayout, LayoutEdge, LayoutInput, LayoutNode, Point, Rect,
};
use super::scene::{Anchor, Curve, Edge, Mark, Marker, Node, Scene, Stroke};
use super::svg::num;
use super::text::{self, LINE_HEIGHT};
use super::{RenderContext, Rendered};
use crate::mermaid::er::{Cardinality, Entity, ErDiagram, Identification};
use std::fmt::Write as _;

const CELL_PADDING_X: f64 = 8.0;
const CELL_PADDING_Y: f64 = 4.0;
const HEADER_PADDING_Y: f64 = 8.0;
const MIN_WIDTH: f64 = 100.0;
const MIN_HEIGHT: f64 = 50.0;

/// An entity's table, measured.
struct Table {
    title: Vec<String>,
    /// Each row's four cells, each cell its lines (`<br>` breaks a comment).
    rows: Vec<[Vec<String>; 4]>,
    /// Widths of the four columns (0 for a column no row uses).
    columns: [f64; 4],
    header_height: f64,
    /// The height of each row.
    row_heights: Vec<f64>,
    width: f64,
    height: f64,
}

fn table(entity: &Entity, size: f64) -> Table {
    let title = label_lines(entity.alias.as_deref().unwrap_or(&entity.name));
    let (title_w, title_h) = text::block_size(&title, size, true);
    let rows: Vec<[Vec<String>; 4]> = entity
        .attributes
        .iter()
        .map(|a| {
            let comment = a.comment.as_deref().map(label_lines).unwrap_or_default();
            [
                vec![label_text(&a.ty)],
                vec![label_text(&a.name)],
                vec![a.keys.join(", ")],
                comment.into_iter().filter(|l| !l.is_empty()).collect(),
            ]
        })
        .collect();
    let mut columns = [0.0; 4];
    for row in &rows {
        for (c, cell) in row.iter().enumerate() {
            if cell.iter().any(|l| !l.is_empty()) {
                let (w, _) = text::block_size(cell, size, false);
                columns[c] = f64::max(columns[c], w + 2.0 * CELL_PADDING_X);
            }
        }
    }
    let header_height = title_h + 2.0 * HEADER_PADDING_Y;
    let row_heights: Vec<f64> = rows
        .iter()
        .map(|row| {
            let lines = row.iter().map(Vec::len).max().unwrap_or(1).max(1);
            lines as f64 * size * LINE_HEIGHT + 2.0 * CELL_PADDING_Y
        })
        .collect();
    let mut width = columns
        .iter()
        .sum::<f64>()
        .max(title_w + 2.0 * CELL_PADDING_X);
    width = width.max(MIN_WIDTH);
    // Spare width goes to the last column in use, so rows span the whole box.
    let spare = width - columns.iter().sum::<f64>();
    if let Some(last) = (0..4).rev().find(|c| columns[*c] > 0.0) {
        columns[last] += spare;
    }
    let height = (header_height + row_heights.iter().sum::<f64>()).max(MIN_HEIGHT);
    Table {
        title,
        columns,
        // Without attributes the name is centred in the whole box.
        header_height: if rows.is_empty() {
            height
        } else {
            header_height
        },
        rows,
        row_heights,
        width,
        height,
    }
}

pub fn render(d: &ErDiagram, ctx: &RenderContext<'_>) -> Rendered {
    Rendered::painted(layout(d, ctx), &ctx.id_prefix, ctx.hooks)
}

/// The crow's foot drawn for a cardinality.
fn crow_foot(cardinality: Cardinality) -> Head {
    Head::Crow(match cardinality {
        Cardinality::OnlyOne => CrowFoot::OnlyOne,
        Cardinality::ZeroOrOne => CrowFoot::ZeroOrOne,
        Cardinality::OneOrMore => CrowFoot::OneOrMore,
        Cardinality::ZeroOrMore => CrowFoot::ZeroOrMore,
        Cardinality::MdParent => CrowFoot::Parent,
    })
}

/// The drawing of an ER diagram: each entity a table, each relationship a route with its
/// crow's feet and label.
pub fn layout(d: &ErDiagram, ctx: &RenderContext<'_>) -> Scene {
    let theme = &ctx.theme;
    let size = theme.font_size * 0.8;
    let tables: Vec<Table> = d.entities.iter().map(|e| table(e, size)).collect();
    let nodes: Vec<LayoutNode> = tables
        .iter()
        .map(|t| LayoutNode {
            width: t.width,
            height: t.height,
            cluster: None,
        })
        .collect();
    let labels: Vec<Vec<String>> = d
        .relationships
        .iter()
        .map(|r| label_lines(&r.label))
        .map(|l| {
            if l.iter().all(String::is_empty) {
                Vec::new()
            } else {
                l
            }
        })
        .collect();
    let edges: Vec<LayoutEdge> = d
        .relationships
        .iter()
        .zip(&labels)
        .map(|(r, label)| {
            let (w, h) = if label.is_empty() {
                (0.0, 0.0)
            } else {
                let (w, h) = text::block_size(label, size, false);
                (w + 8.0, h + 4.0)
            };
            LayoutEdge {
                from: r.from,
                to: r.to,
                label_width: w,
                label_height: h,
                min_length: 1,
            }
        })
        .collect();
    let out = DagreLayout.layout(&LayoutInput {
        direction: Direction::from_mermaid(d.direction.as_str()),
        nodes,
        clusters: Vec::new(),
        edges,
        node_spacing: 60.0,
        rank_spacing: 70.0,
    });

    let line = theme.line_color.as_str();
    let label_rects: Vec<Rect> = out
        .edges
        .iter()
        .zip(&labels)
        .filter_map(|(route, label)| Some(text_rect(label_point(route)?, label, size)))
        .collect();
    let mut scene = data_scene(ctx, front_matter_title(ctx), &out, &label_rects);
    scene.title = d.acc_title.clone();
    // Hooks name entities as the diagram does.
    let ids: Vec<String> = d.entities.iter().map(|e| e.name.clone()).collect();
    for ((r, route), label) in d.relationships.iter().zip(&out.edges).zip(&labels) {
        if route.points.len() < 2 {
            continue;
        }
        let mut stroke = Stroke::solid(line, 1.0);
        if r.identification == Identification::NonIdentifying {
            stroke = stroke.dashed("8 8");
        }
        let end = |c: Cardinality| {
            Some(Marker {
                head: crow_foot(c),
                colour: line.to_string(),
            })
        };
        let label = match label_point(route) {
            Some(at) if !label.is_empty() => edge_label_marks(
                at,
                label,
                size,
                2.0,
                0.0,
                &theme.background,
                &theme.text_color,
            ),
            _ => Vec::new(),
        };
        scene.edges.push(Edge {
            from: ids[r.from].clone(),
            to: ids[r.to].clone(),
            points: route.points.clone(),
            curve: Curve::Smooth,
            stroke,
            start: end(r.from_cardinality),
            end: end(r.to_cardinality),
            label,
        });
    }
    for ((entity, t), rect) in d.entities.iter().zip(&tables).zip(&out.nodes) {
        let style = Style::cascade(
            |name| {
                d.class_defs
                    .iter()
                    .find(|c| c.name == name)
                    .map(|c| &c.styles)
            },
            entity.classes.iter().map(String::as_str),
            &entity.styles,
        );
        scene.nodes.push(Node {
            id: entity.name.clone(),
            label: t.title.join(" "),
            rect: *rect,
            marks: table_marks(t, *rect, &style, ctx, size),
            link: None,
            link_target: None,
        });
    }
    scene
}

/// An entity's table: the frame, the name, a box per row and the lines between columns.
fn table_marks(
    t: &Table,
    rect: Rect,
    style: &Style,
    ctx: &RenderContext<'_>,
    size: f64,
) -> Vec<Mark> {
    let theme = &ctx.theme;
    let fill = style.fill.as_deref().unwrap_or(&theme.primary_color);
    let stroke = style
        .stroke
        .as_deref()
        .unwrap_or(&theme.primary_border_color);
    let text_fill = style.color.as_deref().unwrap_or(&theme.text_color);
    let cell = |rect: Rect, fill: &str| Mark::Box {
        rect,
        rx: 0.0,
        fill: fill.to_string(),
        stroke: Some(Stroke::thin(stroke)),
    };
    let mut marks = vec![
        cell(rect, fill),
        Mark::text(
            Point {
                x: rect.x + rect.width / 2.0,
                y: rect.y + t.header_height / 2.0,
            },
            t.title.clone(),
            size,
            text_fill,
            Anchor::Middle,
        )
        .bold(),
    ];
    let mut top = rect.y + t.header_height;
    for (i, (row, &row_height)) in t.rows.iter().zip(&t.row_heights).enumerate() {
        // Rows alternate white and light grey, as mermaid's classic theme does; on a dark
        // background the theme's own fills keep the text readable.
        let row_fill = match (is_dark(&theme.background), i % 2 == 0) {
            (false, true) => "#ffffff",
            (false, false) => "#f2f2f2",
            (true, true) => theme.primary_color.as_str(),
            (true, false) => theme.secondary_color.as_str(),
        };
        // One box per row; the columns are parted by the lines drawn after the last row.
        marks.push(cell(
            Rect {
                x: rect.x,
                y: top,
                width: rect.width,
                height: row_height,
            },
            row_fill,
        ));
        let mut x = rect.x;
        for (c, lines) in row.iter().enumerate() {
            let w = t.columns[c];
            if w <= 0.0 {
                continue;
            }
            if lines.iter().any(|l| !l.is_empty()) {
                marks.push(Mark::text(
                    Point {
                        x: x + CELL_PADDING_X,
                        y: top + row_height / 2.0,
                    },
                    lines.clone(),
                    size,
                    text_fill,
                    Anchor::Start,
                ));
            }
            x += w;
        }
        top += row_height;
    }
    // The borders between columns, one path for the whole table: the same lines a box per
    // cell draws (each cell's border over its neighbour's), in less than half the markup.
    let rows_top = rect.y + t.header_height;
    if top > rows_top {
        let mut d = String::new();
        let mut x = rect.x;
        let used: Vec<f64> = t.columns.iter().copied().filter(|w| *w > 0.0).collect();
        for w in used.iter().take(used.len().saturating_sub(1)) {
            x += w;
            let _ = write!(d, "M{},{}V{}", num(x), num(rows_top), num(top));
        }
        if !d.is_empty() {
            marks.push(Mark::Outline {
                d,
                fill: "none".to_string(),
                stroke: Some(Stroke::thin(stroke)),
            });
        }
    }
    marks
}

/// Whether a `#rgb`/`#rrggbb` colour is dark (named colours count as light).
fn is_dark(colour: &str) -> bool {
    let hex = colour.trim().trim_start_matches('#');
    if !hex.is_ascii() {
        return false;
    }
    let channel = |s: &str| u8::from_str_radix(s, 16).ok().map(f64::from);
    let rgb = match hex.len() {
        3 => (0..3)
            .map(|i| channel(&hex[i..i + 1].repeat(2)))
            .collect::<Option<Vec<f64>>>(),
        6 => (0..3)
            .map(|i| channel(&hex[2 * i..2 * i + 2]))
            .collect::<Option<Vec<f64>>>(),
        _ => None,
    };
    rgb.is_some_and(|c| 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] < 128.0)
}
