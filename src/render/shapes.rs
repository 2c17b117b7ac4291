//! Flowchart node shapes: every shape mermaid 12 names, with the size each needs around its
//! label and its outline as SVG path data.

use super::draw;
use super::layout::{Point, Rect};
use super::svg::num;
use std::fmt::Write as _;

/// A drawable shape; many of mermaid's names are aliases of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Rect,
    Rounded,
    Stadium,
    Subroutine,
    Cylinder,
    LinedCylinder,
    HorizontalCylinder,
    Circle,
    DoubleCircle,
    SmallCircle,
    FramedCircle,
    FilledCircle,
    CrossedCircle,
    Ellipse,
    Asymmetric,
    Diamond,
    Hexagon,
    LeanRight,
    LeanLeft,
    Trapezoid,
    InvTrapezoid,
    Text,
    NotchedRect,
    LinedRect,
    DividedRect,
    WindowPane,
    TaggedRect,
    StackedRect,
    SlopedRect,
    Document,
    LinedDocument,
    TaggedDocument,
    StackedDocument,
    PaperTape,
    Delay,
    CurvedTrapezoid,
    BowTieRect,
    Triangle,
    FlippedTriangle,
    NotchedPentagon,
    Hourglass,
    Bolt,
    BraceLeft,
    BraceRight,
    Braces,
    ForkBar,
    Cloud,
    Bang,
    Note,
}

impl Shape {
    /// The shape for mermaid's name (bracket syntax names and `@{ shape: ... }` names).
    pub fn from_name(name: Option<&str>) -> Shape {
        let Some(name) = name else {
            return Shape::Rect;
        };
        match name {
            "round" | "rounded" | "event" | "state" => Shape::Rounded,
            "stadium" | "terminal" | "pill" => Shape::Stadium,
            "subroutine" | "fr-rect" | "subprocess" | "subproc" | "framed-rectangle" => {
                Shape::Subroutine
            }
            "cylinder" | "cyl" | "db" | "database" | "datastore" | "data-store" => Shape::Cylinder,
            "lin-cyl" | "disk" | "lined-cylinder" => Shape::LinedCylinder,
            "h-cyl" | "das" | "horizontal-cylinder" => Shape::HorizontalCylinder,
            "circle" | "circ" => Shape::Circle,
            "doublecircle" | "dbl-circ" | "double-circle" => Shape::DoubleCircle,
            "sm-circ" | "start" | "small-circle" => Shape::SmallCircle,
            "fr-circ" | "stop" | "framed-circle" => Shape::FramedCircle,
            "f-circ" | "junction" | "filled-circle" | "anchor" => Shape::FilledCircle,
            "cross-circ" | "summary" | "crossed-circle" => Shape::CrossedCircle,
            "ellipse" => Shape::Ellipse,
            "odd" => Shape::Asymmetric,
            "diamond" | "diam" | "decision" | "question" | "rhombus" | "choice" => Shape::Diamond,
            "hexagon" | "hex" | "prepare" => Shape::Hexagon,
            "lean_right" | "lean-r" | "lean-right" | "in-out" => Shape::LeanRight,
            "lean_left" | "lean-l" | "lean-left" | "out-in" => Shape::LeanLeft,
            "trapezoid" | "trap-b" | "priority" | "trapezoid-bottom" => Shape::Trapezoid,
            "inv_trapezoid" | "inv-trapezoid" | "trap-t" | "manual" | "trapezoid-top" => {
                Shape::InvTrapezoid
            }
            "text" => Shape::Text,
            "notch-rect" | "card" | "notched-rectangle" => Shape::NotchedRect,
            "lin-rect" | "lined-rectangle" | "lined-process" | "lin-proc" | "shaded-process" => {
                Shape::LinedRect
            }
            "div-rect" | "div-proc" | "divided-rectangle" | "divided-process" => Shape::DividedRect,
            "win-pane" | "internal-storage" | "window-pane" => Shape::WindowPane,
            "tag-rect" | "tagged-rectangle" | "tag-proc" | "tagged-process" => Shape::TaggedRect,
            "st-rect" | "procs" | "processes" | "stacked-rectangle" => Shape::StackedRect,
            "sl-rect" | "manual-input" | "sloped-rectangle" => Shape::SlopedRect,
            "doc" | "document" => Shape::Document,
            "lin-doc" | "lined-document" => Shape::LinedDocument,
            "tag-doc" | "tagged-document" => Shape::TaggedDocument,
            "docs" | "documents" | "st-doc" | "stacked-document" => Shape::StackedDocument,
            "flag" | "paper-tape" => Shape::PaperTape,
            "delay" | "half-rounded-rectangle" => Shape::Delay,
            "curv-trap" | "curved-trapezoid" | "display" => Shape::CurvedTrapezoid,
            "bow-rect" | "stored-data" | "bow-tie-rectangle" => Shape::BowTieRect,
            "tri" | "extract" | "triangle" => Shape::Triangle,
            "flip-tri" | "manual-file" | "flipped-triangle" => Shape::FlippedTriangle,
            "notch-pent" | "loop-limit" | "notched-pentagon" => Shape::NotchedPentagon,
            "hourglass" | "collate" => Shape::Hourglass,
            "bolt" | "com-link" | "lightning-bolt" => Shape::Bolt,
            "brace" | "comment" | "brace-l" => Shape::BraceLeft,
            "brace-r" => Shape::BraceRight,
            "braces" => Shape::Braces,
            "fork" | "join" => Shape::ForkBar,
            "cloud" => Shape::Cloud,
            "bang" => Shape::Bang,
            "note" => Shape::Note,
            _ => Shape::Rect,
        }
    }

    /// Shapes drawn as a glyph without their label (mermaid shows none for these).
    pub fn hides_label(self) -> bool {
        matches!(
            self,
            Shape::SmallCircle
                | Shape::FramedCircle
                | Shape::FilledCircle
                | Shape::CrossedCircle
                | Shape::ForkBar
                | Shape::Bolt
        )
    }

    /// The box the shape needs around a label of `w` x `h` (the label box already padded).
    pub fn size(self, w: f64, h: f64, horizontal: bool) -> (f64, f64) {
        match self {
            Shape::Circle => {
                let d = w.max(h);
                (d, d)
            }
            Shape::CrossedCircle => (30.0, 30.0),
            Shape::DoubleCircle => {
                let d = w.max(h) + 10.0;
                (d, d)
            }
            Shape::SmallCircle | Shape::FilledCircle => (14.0, 14.0),
            Shape::FramedCircle => (18.0, 18.0),
            Shape::ForkBar if horizontal => (10.0, 70.0),
            Shape::ForkBar => (70.0, 10.0),
            Shape::Ellipse => (w * 1.3, h * 1.3),
            Shape::Diamond => {
                let s = w + h;
                (s, s)
            }
            Shape::Hexagon => (w + h / 2.0, h),
            Shape::LeanRight | Shape::LeanLeft | Shape::Trapezoid | Shape::InvTrapezoid => {
                (w + h, h)
            }
            Shape::Asymmetric => (w + h / 3.0, h),
            Shape::Stadium => (w + h / 2.0, h),
            Shape::Subroutine => (w + 16.0, h),
            Shape::Cylinder | Shape::LinedCylinder => (w, h + 20.0),
            Shape::HorizontalCylinder => (w + 20.0, h),
            Shape::Document | Shape::LinedDocument | Shape::TaggedDocument => (w, h + 10.0),
            Shape::StackedDocument => (w + 10.0, h + 20.0),
            Shape::StackedRect => (w + 10.0, h + 10.0),
            Shape::PaperTape => (w, h + 16.0),
            Shape::LinedRect => (w + 10.0, h),
            Shape::DividedRect => (w, h + 10.0),
            Shape::WindowPane => (w + 10.0, h + 10.0),
            Shape::SlopedRect => (w, h + 10.0),
            Shape::Delay | Shape::CurvedTrapezoid | Shape::BowTieRect => (w + h / 2.0, h),
            Shape::Triangle | Shape::FlippedTriangle => {
                let s = (w * 1.6).max(h * 2.0);
                (s, s * 0.8)
            }
            Shape::NotchedPentagon => (w + 20.0, h),
            Shape::Hourglass => (w.max(h) + 10.0, h * 1.6),
            Shape::Bolt => (32.0, 50.0),
            Shape::BraceLeft | Shape::BraceRight => (w + 12.0, h),
            Shape::Braces => (w + 24.0, h),
            Shape::Cloud => (w * 1.5, h * 1.8),
            Shape::Bang => (w * 1.3, h * 1.5),
            _ => (w, h),
        }
    }

    /// Where the label's centre goes inside the shape's box.
    pub fn label_centre(self, r: Rect) -> Point {
        let c = r.centre();
        match self {
            Shape::Cylinder | Shape::LinedCylinder => Point {
                x: c.x,
                y: c.y + 5.0,
            },
            Shape::Document | Shape::LinedDocument | Shape::TaggedDocument => Point {
                x: c.x,
                y: c.y - 4.0,
            },
            Shape::StackedDocument => Point {
                x: c.x - 5.0,
                y: c.y + 4.0,
            },
            Shape::StackedRect => Point {
                x: c.x - 5.0,
                y: c.y + 5.0,
            },
            Shape::DividedRect | Shape::SlopedRect => Point {
                x: c.x,
                y: c.y + 5.0,
            },
            Shape::WindowPane => Point {
                x: c.x + 5.0,
                y: c.y + 5.0,
            },
            Shape::Triangle => Point {
                x: c.x,
                y: c.y + r.height * 0.2,
            },
            Shape::FlippedTriangle => Point {
                x: c.x,
                y: c.y - r.height * 0.2,
            },
            _ => c,
        }
    }

    /// The outlines (each filled and stroked, back to front) and the inner lines (stroked
    /// only) of the shape in `r`.
    pub fn paths(self, r: Rect) -> (Vec<String>, String) {
        let mut outlines = Vec::new();
        let mut p = PathBuilder::default();
        let mut lines = PathBuilder::default();
        let (x, y, w, h) = (r.x, r.y, r.width, r.height);
        let (x1, y1) = (x + w, y + h);
        let c = r.centre();
        match self {
            Shape::Rect | Shape::Text | Shape::Note => p.rect(r, 0.0),
            Shape::Rounded => p.rect(r, 5.0),
            Shape::Stadium => p.rect(r, h / 2.0),
            Shape::Subroutine => {
                p.rect(r, 0.0);
                lines.line(x + 8.0, y, x + 8.0, y1);
                lines.line(x1 - 8.0, y, x1 - 8.0, y1);
            }
            Shape::Cylinder | Shape::LinedCylinder => {
                let cap = 8.0;
                let [body, rim] = draw::standing_cylinder(r, cap);
                p.0.push_str(&body);
                lines.0.push_str(&rim);
                if self == Shape::LinedCylinder {
                    let _ = write!(
                        lines.0,
                        " M{},{} a{},{} 0 0,0 {},0",
                        num(x),
                        num(y + 2.5 * cap),
                        num(w / 2.0),
                        num(cap),
                        num(w)
                    );
                }
            }
            Shape::HorizontalCylinder => {
                let [body, rim] = draw::lying_cylinder(r, 8.0);
                p.0.push_str(&body);
                lines.0.push_str(&rim);
            }
            Shape::Circle | Shape::SmallCircle | Shape::FilledCircle => {
                p.ellipse(c, w / 2.0, h / 2.0)
            }
            Shape::DoubleCircle => {
                p.ellipse(c, w / 2.0, h / 2.0);
                lines.ellipse(c, w / 2.0 - 5.0, h / 2.0 - 5.0);
            }
            Shape::FramedCircle => {
                p.ellipse(c, w / 2.0, h / 2.0);
                lines.ellipse(c, w / 2.0 - 4.0, h / 2.0 - 4.0);
            }
            Shape::CrossedCircle => {
                p.ellipse(c, w / 2.0, h / 2.0);
                let d = w / 2.0 * std::f64::consts::FRAC_1_SQRT_2;
                lines.line(c.x - d, c.y - d, c.x + d, c.y + d);
                lines.line(c.x - d, c.y + d, c.x + d, c.y - d);
            }
            Shape::Ellipse => p.ellipse(c, w / 2.0, h / 2.0),
            Shape::NotchedRect => {
                let d = 12.0_f64.min(h / 2.0);
                p.polygon(&[(x + d, y), (x1, y), (x1, y1), (x, y1), (x, y + d)])
            }
            Shape::LinedRect => {
                p.rect(r, 0.0);
                lines.line(x + 8.0, y, x + 8.0, y1);
            }
            Shape::DividedRect => {
                p.rect(r, 0.0);
                lines.line(x, y + 10.0, x1, y + 10.0);
            }
            Shape::WindowPane => {
                p.rect(r, 0.0);
                lines.line(x, y + 10.0, x1, y + 10.0);
                lines.line(x + 10.0, y, x + 10.0, y1);
            }
            Shape::TaggedRect => {
                p.rect(r, 0.0);
                lines.corner_tag(x1, y1, 12.0_f64.min(h / 3.0));
            }
            Shape::StackedRect => {
                let back = Rect {
                    x: x + 10.0,
                    y,
                    width: w - 10.0,
                    height: h - 10.0,
                };
                let middle = Rect {
                    x: x + 5.0,
                    y: y + 5.0,
                    ..back
                };
                let front = Rect {
                    x,
                    y: y + 10.0,
                    ..back
                };
                for sheet in [back, middle] {
                    p.rect(sheet, 0.0);
                    outlines.push(std::mem::take(&mut p.0));
                }
                p.rect(front, 0.0);
            }
            Shape::SlopedRect => p.polygon(&[(x, y + 10.0), (x1, y), (x1, y1), (x, y1)]),
            Shape::Document | Shape::LinedDocument | Shape::TaggedDocument => {
                p.document(x, y, w, h);
                if self == Shape::LinedDocument {
                    lines.line(x + 8.0, y, x + 8.0, y1 - 5.0);
                }
                if self == Shape::TaggedDocument {
                    lines.corner_tag(x1, y1 - 8.0, 12.0_f64.min(h / 3.0));
                }
            }
            Shape::StackedDocument => {
                let (dw, dh) = (w - 10.0, h - 10.0);
                for offset in [10.0, 5.0] {
                    p.document(x + offset, y + 10.0 - offset, dw, dh);
                    outlines.push(std::mem::take(&mut p.0));
                }
                p.document(x, y + 10.0, dw, dh);
            }
            Shape::PaperTape => p.paper_tape(r),
            Shape::Delay => p.delay(r),
            Shape::CurvedTrapezoid => p.curved_trapezoid(r),
            Shape::BowTieRect => p.bow_tie(r),
            Shape::Asymmetric
            | Shape::Diamond
            | Shape::Hexagon
            | Shape::LeanRight
            | Shape::LeanLeft
            | Shape::Trapezoid
            | Shape::InvTrapezoid
            | Shape::Triangle
            | Shape::FlippedTriangle
            | Shape::NotchedPentagon => p.polygon(&self.polygon(r).unwrap_or_default()),
            Shape::Hourglass => p.polygon(&[(x, y), (x1, y), (x, y1), (x1, y1)]),
            Shape::Bolt => p.polygon(&[
                (x + w * 0.35, y),
                (x1, y),
                (x + w * 0.55, y + h * 0.45),
                (x1 - w * 0.1, y + h * 0.45),
                (x, y1),
                (x + w * 0.3, y + h * 0.55),
                (x, y + h * 0.55),
            ]),
            Shape::BraceLeft | Shape::BraceRight | Shape::Braces => {
                // Braces are drawn as open curly brackets on an unfilled box.
                if self != Shape::BraceRight {
                    lines.brace(x + 10.0, y, h, -1.0);
                }
                if self != Shape::BraceLeft {
                    lines.brace(x1 - 10.0, y, h, 1.0);
                }
            }
            Shape::ForkBar => p.rect(r, 2.0),
            Shape::Cloud => p.cloud(r),
            Shape::Bang => p.bang(r),
        }
        if !p.0.is_empty() {
            outlines.push(p.0);
        }
        (outlines, lines.0)
    }

    /// The corners of the shapes that are plain polygons (convex, or nearly: the asymmetric
    /// shape's notch), in `r`.
    fn polygon(self, r: Rect) -> Option<Vec<(f64, f64)>> {
        let (x, y, x1, y1, h) = (r.x, r.y, r.x + r.width, r.y + r.height, r.height);
        let c = r.centre();
        let slant = h / 2.0;
        Some(match self {
            Shape::Asymmetric => vec![(x, y), (x1, y), (x1, y1), (x, y1), (x + h / 3.0, c.y)],
            Shape::Diamond => vec![(c.x, y), (x1, c.y), (c.x, y1), (x, c.y)],
            Shape::Hexagon => {
                let d = h / 4.0;
                vec![
                    (x + d, y),
                    (x1 - d, y),
                    (x1, c.y),
                    (x1 - d, y1),
                    (x + d, y1),
                    (x, c.y),
                ]
            }
            Shape::LeanRight => vec![(x + slant, y), (x1, y), (x1 - slant, y1), (x, y1)],
            Shape::LeanLeft => vec![(x, y), (x1 - slant, y), (x1, y1), (x + slant, y1)],
            Shape::Trapezoid => vec![(x + slant, y), (x1 - slant, y), (x1, y1), (x, y1)],
            Shape::InvTrapezoid => vec![(x, y), (x1, y), (x1 - slant, y1), (x + slant, y1)],
            Shape::Triangle => vec![(c.x, y), (x1, y1), (x, y1)],
            Shape::FlippedTriangle => vec![(x, y), (x1, y), (c.x, y1)],
            Shape::NotchedPentagon => {
                let d = 10.0;
                vec![
                    (x + d, y),
                    (x1 - d, y),
                    (x1, y + d),
                    (x1, y1),
                    (x, y1),
                    (x, y + d),
                ]
            }
            _ => return None,
        })
    }

    /// Where a line from outside towards the centre of `r` meets the outline, for shapes whose
    /// outline is far from their box (so that arrow heads touch the shape).
    pub fn border_point(self, r: Rect, outside: Point) -> Option<Point> {
        let c = r.centre();
        let (dx, dy) = (outside.x - c.x, outside.y - c.y);
        if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
            return None;
        }
        let (a, b) = (r.width / 2.0, r.height / 2.0);
        let t = match self {
            Shape::Circle
            | Shape::DoubleCircle
            | Shape::SmallCircle
            | Shape::FramedCircle
            | Shape::FilledCircle
            | Shape::CrossedCircle
            | Shape::Ellipse => 1.0 / ((dx / a).powi(2) + (dy / b).powi(2)).sqrt(),
            _ => {
                // The nearest crossing of the ray from the centre with a polygon's sides.
                let corners = self.polygon(r)?;
                let mut nearest: Option<f64> = None;
                for (i, &(ax, ay)) in corners.iter().enumerate() {
                    let (bx, by) = corners[(i + 1) % corners.len()];
                    let (ex, ey) = (bx - ax, by - ay);
                    let denominator = dx * ey - dy * ex;
                    if denominator.abs() < 1e-12 {
                        continue;
                    }
                    let t = ((ax - c.x) * ey - (ay - c.y) * ex) / denominator;
                    let u = ((ax - c.x) * dy - (ay - c.y) * dx) / denominator;
                    if t > 0.0 && (-1e-9..=1.0 + 1e-9).contains(&u) {
                        nearest = Some(nearest.map_or(t, |n: f64| n.min(t)));
                    }
                }
                nearest?
            }
        };
        Some(Point {
            x: c.x + dx * t,
            y: c.y + dy * t,
        })
    }
}

#[derive(Default)]
struct PathBuilder(String);

impl PathBuilder {
    fn rect(&mut self, r: Rect, radius: f64) {
        let rr = radius.min(r.width / 2.0).min(r.height / 2.0);
        if rr <= 0.0 {
            self.polygon(&[
                (r.x, r.y),
                (r.x + r.width, r.y),
                (r.x + r.width, r.y + r.height),
                (r.x, r.y + r.height),
            ]);
            return;
        }
        let _ = write!(
            self.0,
            "M{},{} H{} A{rr},{rr} 0 0,1 {},{} V{} A{rr},{rr} 0 0,1 {},{} H{} A{rr},{rr} 0 0,1 {},{} V{} A{rr},{rr} 0 0,1 {},{} z ",
            num(r.x + rr),
            num(r.y),
            num(r.x + r.width - rr),
            num(r.x + r.width),
            num(r.y + rr),
            num(r.y + r.height - rr),
            num(r.x + r.width - rr),
            num(r.y + r.height),
            num(r.x + rr),
            num(r.x),
            num(r.y + r.height - rr),
            num(r.y + rr),
            num(r.x + rr),
            num(r.y),
            rr = num(rr)
        );
    }

    fn polygon(&mut self, points: &[(f64, f64)]) {
        for (i, (px, py)) in points.iter().enumerate() {
            let _ = write!(
                self.0,
                "{}{},{} ",
                if i == 0 { "M" } else { "L" },
                num(*px),
                num(*py)
            );
        }
        self.0.push_str("z ");
    }

    /// A band with wavy top and bottom edges (punched tape).
    fn paper_tape(&mut self, r: Rect) {
        let (x, y, w) = (r.x, r.y, r.width);
        let (x1, y1) = (r.x + r.width, r.y + r.height);
        let a = 8.0;
        let _ = write!(
            self.0,
            "M{},{} q{},{} {},0 t{},0 L{},{} q-{},{} -{},0 t-{},0 z",
            num(x),
            num(y + a),
            num(w / 4.0),
            num(-2.0 * a),
            num(w / 2.0),
            num(w / 2.0),
            num(x1),
            num(y1 - a),
            num(w / 4.0),
            num(2.0 * a),
            num(w / 2.0),
            num(w / 2.0)
        );
    }

    /// A box whose right side is a half circle.
    fn delay(&mut self, r: Rect) {
        let (x, y, h) = (r.x, r.y, r.height);
        let (x1, y1) = (r.x + r.width, r.y + r.height);
        let rr = h / 2.0;
        let _ = write!(
            self.0,
            "M{},{} L{},{} a{},{} 0 0,1 0,{} L{},{} z",
            num(x),
            num(y),
            num(x1 - rr),
            num(y),
            num(rr),
            num(rr),
            num(h),
            num(x),
            num(y1)
        );
    }

    /// A box pointed on the left and rounded on the right (a display).
    fn curved_trapezoid(&mut self, r: Rect) {
        let (x, y, h) = (r.x, r.y, r.height);
        let (x1, y1) = (r.x + r.width, r.y + r.height);
        let c = r.centre();
        let rr = h / 2.0;
        let _ = write!(
            self.0,
            "M{},{} L{},{} L{},{} a{},{} 0 0,1 0,{} L{},{} L{},{} z",
            num(x),
            num(c.y),
            num(x + rr / 2.0),
            num(y),
            num(x1 - rr),
            num(y),
            num(rr),
            num(rr),
            num(h),
            num(x + rr / 2.0),
            num(y1),
            num(x),
            num(c.y)
        );
    }

    /// A box with a concave left side and a convex right one (stored data).
    fn bow_tie(&mut self, r: Rect) {
        let (x, y, h) = (r.x, r.y, r.height);
        let (x1, y1) = (r.x + r.width, r.y + r.height);
        let rr = h / 2.0;
        let _ = write!(
            self.0,
            "M{},{} L{},{} a{},{} 0 0,1 0,{} L{},{} a{},{} 0 0,0 0,-{} z",
            num(x + rr / 2.0),
            num(y),
            num(x1 - rr / 2.0),
            num(y),
            num(rr / 2.0),
            num(rr),
            num(h),
            num(x + rr / 2.0),
            num(y1),
            num(rr / 2.0),
            num(rr),
            num(h)
        );
    }

    /// Bumps: arcs bulging outwards between points around an ellipse.
    fn cloud(&mut self, r: Rect) {
        let (w, h) = (r.width, r.height);
        let c = r.centre();
        let bumps = 9;
        let point = |k: usize| {
            let angle = std::f64::consts::PI * 2.0 * k as f64 / bumps as f64;
            (c.x + angle.cos() * w * 0.4, c.y + angle.sin() * h * 0.4)
        };
        let (sx, sy) = point(0);
        let _ = write!(self.0, "M{},{} ", num(sx), num(sy));
        for k in 1..=bumps {
            let (ax, ay) = point(k - 1);
            let (bx, by) = point(k % bumps);
            let radius = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt() * 0.55;
            let _ = write!(
                self.0,
                "A{r},{r} 0 0,1 {},{} ",
                num(bx),
                num(by),
                r = num(radius)
            );
        }
        self.0.push('z');
    }

    /// A sixteen-pointed burst.
    fn bang(&mut self, r: Rect) {
        let (w, h) = (r.width, r.height);
        let c = r.centre();
        let mut points = Vec::new();
        for k in 0..16 {
            let angle = std::f64::consts::PI * 2.0 * k as f64 / 16.0;
            let scale = if k % 2 == 0 { 0.5 } else { 0.38 };
            points.push((c.x + angle.cos() * w * scale, c.y + angle.sin() * h * scale));
        }
        self.polygon(&points);
    }

    /// The folded corner of a tagged shape: a triangle of side `t` in the corner at
    /// (`right`, `bottom`).
    fn corner_tag(&mut self, right: f64, bottom: f64, t: f64) {
        let _ = write!(
            self.0,
            "M{},{} L{},{} L{},{}",
            num(right - t),
            num(bottom),
            num(right),
            num(bottom - t),
            num(right),
            num(bottom)
        );
    }

    fn ellipse(&mut self, c: Point, rx: f64, ry: f64) {
        let _ = write!(
            self.0,
            "M{},{} a{rx},{ry} 0 1,0 {},0 a{rx},{ry} 0 1,0 -{},0 z ",
            num(c.x - rx),
            num(c.y),
            num(2.0 * rx),
            num(2.0 * rx),
            rx = num(rx),
            ry = num(ry)
        );
    }

    fn line(&mut self, ax: f64, ay: f64, bx: f64, by: f64) {
        let _ = write!(self.0, "M{},{} L{},{} ", num(ax), num(ay), num(bx), num(by));
    }

    /// A wavy-bottomed page.
    fn document(&mut self, x: f64, y: f64, w: f64, h: f64) {
        let a = 8.0;
        let _ = write!(
            self.0,
            "M{},{} L{},{} L{},{} q-{},{} -{},0 t-{},0 z ",
            num(x),
            num(y),
            num(x + w),
            num(y),
            num(x + w),
            num(y + h - a),
            num(w / 4.0),
            num(-2.0 * a),
            num(w / 2.0),
            num(w / 2.0)
        );
    }

    /// A curly bracket of height `h` whose point faces `side` (-1 left, 1 right) at `x`.
    fn brace(&mut self, x: f64, y: f64, h: f64, side: f64) {
        let d = 6.0 * side;
        let m = y + h / 2.0;
        let _ = write!(
            self.0,
            "M{},{} q{},0 {},{} L{},{} q0,{} {},{} q{},0 {},{} L{},{} q0,{} {},{} ",
            num(x - d),
            num(y),
            num(d),
            num(d),
            num(6.0),
            num(x),
            num(m - 6.0),
            num(6.0),
            num(d),
            num(6.0),
            num(-d),
            num(-d),
            num(6.0),
            num(x),
            num(y + h - 6.0),
            num(6.0),
            num(-d),
            num(6.0)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_shapes() {
        assert_eq!(Shape::from_name(None), Shape::Rect);
        assert_eq!(Shape::from_name(Some("cyl")), Shape::Cylinder);
        assert_eq!(Shape::from_name(Some("lean_left")), Shape::LeanLeft);
        assert_eq!(Shape::from_name(Some("docs")), Shape::StackedDocument);
        assert_eq!(Shape::from_name(Some("bolt")), Shape::Bolt);
    }

    #[test]
    fn every_outline_is_a_path_inside_its_box() {
        let r = Rect {
            x: 10.0,
            y: 20.0,
            width: 80.0,
            height: 40.0,
        };
        for name in [
            "rect", "cyl", "doc", "docs", "st-rect", "hex", "bang", "cloud", "bolt", "flag",
        ] {
            let (outlines, _) = Shape::from_name(Some(name)).paths(r);
            assert!(!outlines.is_empty(), "{name}");
            assert!(
                outlines.iter().all(|o| o.starts_with('M')),
                "{name}: {outlines:?}"
            );
            assert!(
                !outlines.iter().any(|o| o.contains("--")),
                "{name}: {outlines:?}"
            );
        }
        let p = Shape::Diamond
            .border_point(r, Point { x: 50.0, y: 0.0 })
            .unwrap();
        assert!((p.y - 20.0).abs() < 1e-9);
        // A parallelogram's left side at mid-height is a quarter of its height in.
        let p = Shape::LeanRight
            .border_point(r, Point { x: -100.0, y: 40.0 })
            .unwrap();
        assert!(
            (p.x - 20.0).abs() < 1e-9 && (p.y - 40.0).abs() < 1e-9,
            "{p:?}"
        );
        assert!(Shape::Rect
            .border_point(r, Point { x: 0.0, y: 0.0 })
            .is_none());
    }
}
