//! Edge routes that keep out of boxes they do not join.
//!
//! The layered layout routes an edge through the ranks between its ends, but a straight piece
//! from a box's border to the first bend can still cut through a neighbour in a wide rank (and
//! the composition of separately laid-out clusters knows nothing of the other scopes). Here a
//! route that enters a box it does not join is led around that box along a rectangle a little
//! larger than it, the shorter way round.

use super::layout::{Point, Rect};

/// How far a detour keeps from the box it avoids, at most.
const DETOUR_MARGIN: f64 = 10.0;
/// Boxes one route is led around, at most.
const MAX_DETOURS: usize = 12;
/// A route that only grazes a box (rounding, strokes) does not count as entering it.
const GRAZE: f64 = 1.0;

/// Where the segment `a`-`b` runs through the inside of `rect`, as parameters `0 <= t0 < t1 <=
/// 1` along the segment (Liang-Barsky clipping); `None` when it stays outside.
pub fn segment_inside(a: Point, b: Point, rect: Rect) -> Option<(f64, f64)> {
    if rect.width <= 0.0 || rect.height <= 0.0 {
        return None;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    let checks = [
        (-dx, a.x - rect.x),
        (dx, rect.x + rect.width - a.x),
        (-dy, a.y - rect.y),
        (dy, rect.y + rect.height - a.y),
    ];
    for (p, q) in checks {
        if p == 0.0 {
            if q <= 0.0 {
                return None;
            }
            continue;
        }
        let t = q / p;
        if p < 0.0 {
            t0 = t0.max(t);
        } else {
            t1 = t1.min(t);
        }
        if t0 >= t1 {
            return None;
        }
    }
    Some((t0, t1))
}

/// `rect` grown (or shrunk, for a negative `by`) on every side.
pub fn inflate(rect: Rect, by: f64) -> Rect {
    Rect {
        x: rect.x - by,
        y: rect.y - by,
        width: rect.width + 2.0 * by,
        height: rect.height + 2.0 * by,
    }
}

/// Whether the polyline enters the inside of `rect` (more than grazing it).
pub fn route_enters(points: &[Point], rect: Rect) -> bool {
    let inner = inflate(rect, -GRAZE);
    points
        .windows(2)
        .any(|w| segment_inside(w[0], w[1], inner).is_some())
}

fn lerp(a: Point, b: Point, t: f64) -> Point {
    Point {
        x: a.x + (b.x - a.x) * t,
        y: a.y + (b.y - a.y) * t,
    }
}

/// Position of a point on the border of `r`, measured clockwise from its top-left corner.
fn perimeter_position(r: Rect, p: Point) -> f64 {
    let (w, h) = (r.width, r.height);
    let near = |a: f64, b: f64| (a - b).abs() < 1e-6;
    if near(p.y, r.y) {
        p.x - r.x
    } else if near(p.x, r.x + w) {
        w + (p.y - r.y)
    } else if near(p.y, r.y + h) {
        w + h + (r.x + w - p.x)
    } else {
        2.0 * w + h + (r.y + h - p.y)
    }
}

/// The corners of `r` passed going from `from` to `to` along its border, clockwise or not,
/// whichever way is shorter (clockwise on a tie, so that the result is deterministic).
fn corners_between(r: Rect, from: Point, to: Point) -> Vec<Point> {
    let (w, h) = (r.width, r.height);
    let perimeter = 2.0 * (w + h);
    let corners = [
        (0.0, Point { x: r.x, y: r.y }),
        (w, Point { x: r.x + w, y: r.y }),
        (
            w + h,
            Point {
                x: r.x + w,
                y: r.y + h,
            },
        ),
        (2.0 * w + h, Point { x: r.x, y: r.y + h }),
    ];
    let (s0, s1) = (perimeter_position(r, from), perimeter_position(r, to));
    let clockwise = (s1 - s0).rem_euclid(perimeter);
    let ahead = |s: f64| (s - s0).rem_euclid(perimeter);
    let mut passed: Vec<(f64, Point)> = corners
        .iter()
        .filter(|(s, _)| ahead(*s) > 1e-9 && ahead(*s) < clockwise)
        .map(|(s, p)| (ahead(*s), *p))
        .collect();
    if clockwise <= perimeter - clockwise {
        passed.sort_by(|a, b| a.0.total_cmp(&b.0));
        return passed.into_iter().map(|(_, p)| p).collect();
    }
    let mut other: Vec<(f64, Point)> = corners
        .iter()
        .filter(|(s, _)| ahead(*s) >= clockwise || ahead(*s) <= 1e-9)
        .map(|(s, p)| {
            let back = (s0 - s).rem_euclid(perimeter);
            (back, *p)
        })
        .collect();
    other.sort_by(|a, b| a.0.total_cmp(&b.0));
    other.into_iter().map(|(_, p)| p).collect()
}

/// Each corner of a detour replaced by two points just before and after it, so that a curve
/// drawn through the route rounds the corner outside the box instead of cutting across it.
fn chamfer(before: Point, corners: &[Point], after: Point, cut: f64) -> Vec<Point> {
    let mut out = Vec::new();
    let mut previous = before;
    for (i, corner) in corners.iter().enumerate() {
        let next = corners.get(i + 1).copied().unwrap_or(after);
        // At most halfway to the neighbouring point, so that two cuts never cross.
        let towards = |p: Point| {
            let d = ((p.x - corner.x).powi(2) + (p.y - corner.y).powi(2)).sqrt();
            let t = if d == 0.0 { 0.0 } else { (cut / d).min(0.5) };
            lerp(*corner, p, t)
        };
        out.push(towards(previous));
        out.push(towards(next));
        previous = *corner;
    }
    out
}

/// The smallest rectangle holding every point.
fn bounds(points: &[Point]) -> Rect {
    let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
    let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in points {
        (x0, y0) = (x0.min(p.x), y0.min(p.y));
        (x1, y1) = (x1.max(p.x), y1.max(p.y));
    }
    Rect {
        x: x0,
        y: y0,
        width: x1 - x0,
        height: y1 - y0,
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height
}

/// Leads `points` around every rectangle of `obstacles` it enters. Routes that enter none are
/// left as they are; a crossing that cannot be avoided (the route starts or ends inside the
/// box) is left too. Bounded, so that boxes packed too tightly never make it loop.
pub fn route_around(points: &mut Vec<Point>, obstacles: &[Rect]) {
    Obstacles::new(obstacles.to_vec()).route_around(points, &[], &[]);
}

/// The boxes that routes keep out of, indexed by their tops: a plan graph has thousands of
/// boxes and thousands of routes, and a route can only enter the boxes level with it.
pub struct Obstacles {
    rects: Vec<Rect>,
    /// Indices of the rectangles with a finite top, by top (index on a tie).
    by_top: Vec<usize>,
    /// The rectangles of `by_top`, in its order: the search and the overlap test read them in
    /// a row rather than through the indices.
    sorted: Vec<Rect>,
    tallest: f64,
}

impl Obstacles {
    pub fn new(rects: Vec<Rect>) -> Obstacles {
        let mut by_top: Vec<usize> = (0..rects.len())
            .filter(|&k| rects[k].y.is_finite())
            .collect();
        by_top.sort_by(|&a, &b| rects[a].y.total_cmp(&rects[b].y).then(a.cmp(&b)));
        let sorted = by_top.iter().map(|&k| rects[k]).collect();
        let tallest = by_top
            .iter()
            .map(|&k| rects[k].height)
            .filter(|h| h.is_finite())
            .fold(0.0, f64::max);
        Obstacles {
            rects,
            by_top,
            sorted,
            tallest,
        }
    }

    /// The indexed boxes that overlap `area`. A box without a finite top or height never
    /// overlaps anything, so the index leaving some out loses nothing; the slack keeps rounding
    /// of the bounds from losing a box the exact test keeps.
    fn overlapping(&self, area: Rect) -> impl Iterator<Item = usize> + '_ {
        let low = area.y - self.tallest - 1.0;
        let high = area.y + area.height + 1.0;
        let first = self.sorted.partition_point(|r| r.y < low);
        let end = self.sorted.partition_point(|r| r.y <= high).max(first);
        (first..end)
            .filter(move |&i| overlaps(self.sorted[i], area))
            .map(|i| self.by_top[i])
    }

    /// The first piece of the route that enters one of the boxes, indexed or `extra`, that are
    /// `usable`: (piece, box), the box met first along the piece (the lower number on a tie).
    /// Only a box that overlaps a piece's bounding box can be entered by it.
    fn first_entry(
        &self,
        points: &[Point],
        extra: &[Rect],
        usable: impl Fn(usize) -> bool,
    ) -> Option<(usize, usize)> {
        let indexed = self.rects.len();
        let rect = |k: usize| {
            if k < indexed {
                self.rects[k]
            } else {
                extra[k - indexed]
            }
        };
        for (i, w) in points.windows(2).enumerate() {
            let finite = w.iter().all(|p| p.x.is_finite() && p.y.is_finite());
            // A piece without finite ends looks at every box level with the rest of the route.
            let area = if finite { bounds(w) } else { bounds(points) };
            // The box entered first along the piece, the lower number on a tie: the order in
            // which boxes are looked at does not matter.
            let mut hit: Option<(f64, usize)> = None;
            let mut consider = |k: usize| {
                let rect = rect(k);
                if !usable(k) || rect.width <= 0.0 {
                    return;
                }
                let Some((t0, _)) = segment_inside(w[0], w[1], inflate(rect, -GRAZE)) else {
                    return;
                };
                let first = hit.is_none_or(|(best, j)| t0.total_cmp(&best).then(k.cmp(&j)).is_lt());
                if first {
                    hit = Some((t0, k));
                }
            };
            if finite {
                self.overlapping(area).for_each(&mut consider);
            } else {
                (0..indexed)
                    .filter(|&k| overlaps(self.rects[k], area))
                    .for_each(&mut consider);
            }
            (indexed..indexed + extra.len())
                .filter(|&k| overlaps(extra[k - indexed], area))
                .for_each(&mut consider);
            if let Some((_, k)) = hit {
                return Some((i, k));
            }
        }
        None
    }

    /// Leads `points` around every box it enters, as [`route_around`] does, among the indexed
    /// boxes other than `except` (a route's own ends) and the boxes of `extra`, which are
    /// numbered after the indexed ones (the lower number goes first when a piece enters two
    /// boxes at once).
    ///
    /// The pieces before a detour entered none of the boxes still in play, so each search starts
    /// at the detour.
    ///
    /// Says whether it moved the route: a route it leaves as it was is one it would leave
    /// again, as the search depends on nothing else.
    pub fn route_around(&self, points: &mut Vec<Point>, except: &[usize], extra: &[Rect]) -> bool {
        let indexed = self.rects.len();
        let rect = |k: usize| {
            if k < indexed {
                self.rects[k]
            } else {
                extra[k - indexed]
            }
        };
        let excluded = except
            .iter()
            .enumerate()
            .filter(|&(i, k)| *k < indexed && !except[..i].contains(k))
            .count();
        let count = indexed - excluded + extra.len();
        if points.len() < 2 || count == 0 {
            return false;
        }
        // Kept from the first detour on, for a route that gives up; most routes need none.
        let mut original: Option<Vec<Point>> = None;
        // The boxes no detour could be found around: few, if any.
        let mut skipped: Vec<usize> = Vec::new();
        let mut from = 0;
        let mut detours = 0;
        for _ in 0..4 * count + 4 {
            let usable = |k: usize| !(skipped.contains(&k) || (k < indexed && except.contains(&k)));
            let Some((i, k)) = self.first_entry(&points[from..], extra, usable) else {
                if detours > 0 {
                    drop_collinear(points);
                }
                return detours > 0;
            };
            detours += 1;
            if detours > MAX_DETOURS {
                // A route along a column of boxes would wind around each of them (a thousand
                // points in a large plan graph): it keeps its layout route instead.
                if let Some(original) = original {
                    *points = original;
                }
                return false;
            }
            let i = i + from;
            from = i;
            let (a, b) = (points[i], points[i + 1]);
            let obstacle = rect(k);
            // The widest margin at which both ends of the piece stay outside the detour.
            let detour = [DETOUR_MARGIN, 6.0, 3.0, GRAZE * 1.5]
                .into_iter()
                .map(|m| inflate(obstacle, m))
                .find(|r| {
                    let outside = |p: Point| {
                        p.x <= r.x || p.x >= r.x + r.width || p.y <= r.y || p.y >= r.y + r.height
                    };
                    outside(a) && outside(b)
                });
            let Some(around) = detour else {
                skipped.push(k);
                continue;
            };
            let Some((t0, t1)) = segment_inside(a, b, around) else {
                skipped.push(k);
                continue;
            };
            let (entry, exit) = (lerp(a, b, t0), lerp(a, b, t1));
            let corners = corners_between(around, entry, exit);
            let cut = ((around.width - obstacle.width) / 2.0).max(1.0);
            let mut detour_points = vec![entry];
            detour_points.extend(chamfer(entry, &corners, exit, cut));
            detour_points.push(exit);
            original.get_or_insert_with(|| points.clone());
            points.splice(i + 1..i + 1, detour_points);
            points.dedup_by(|p, q| (p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9);
        }
        true
    }
}

/// Removes the points of a route that lie on the straight line between their neighbours.
fn drop_collinear(points: &mut Vec<Point>) {
    if points.len() < 3 {
        return;
    }
    let mut kept: Vec<Point> = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let (Some(a), Some(b)) = (kept.last(), points.get(i + 1)) else {
            kept.push(*p);
            continue;
        };
        let cross = (p.x - a.x) * (b.y - a.y) - (p.y - a.y) * (b.x - a.x);
        let length = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        let between = (p.x - a.x) * (b.x - p.x) + (p.y - a.y) * (b.y - p.y) >= 0.0;
        if !(between && cross.abs() <= 1e-6 * length.max(1.0)) {
            kept.push(*p);
        }
    }
    *points = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn a_straight_route_through_a_box_goes_around_it() {
        let obstacle = rect(40.0, -10.0, 20.0, 30.0);
        let mut points = vec![Point { x: 0.0, y: 0.0 }, Point { x: 100.0, y: 0.0 }];
        assert!(route_enters(&points, obstacle));
        route_around(&mut points, &[obstacle]);
        assert!(!route_enters(&points, obstacle), "{points:?}");
        assert_eq!(points.first(), Some(&Point { x: 0.0, y: 0.0 }));
        assert_eq!(points.last(), Some(&Point { x: 100.0, y: 0.0 }));
        // The shorter way round: over the top, which is nearer to the route.
        assert!(points.iter().all(|p| p.y <= 0.0 + 1e-9));
    }

    #[test]
    fn a_route_past_a_long_column_of_boxes_keeps_its_points() {
        let column: Vec<Rect> = (0..100)
            .map(|i| rect(-10.0, 20.0 + 40.0 * i as f64, 20.0, 30.0))
            .collect();
        let mut points = vec![Point { x: 0.0, y: 0.0 }, Point { x: 0.0, y: 4100.0 }];
        let before = points.clone();
        route_around(&mut points, &column);
        assert_eq!(points, before);
    }

    #[test]
    fn indexed_boxes_skip_the_route_ends_and_count_the_extra_ones() {
        let p = |x, y| Point { x, y };
        // Three boxes in a column and a route from the top one to the bottom one, straight
        // through the middle one; an extra box sits on the route's way back up.
        let column = Obstacles::new(vec![
            rect(-10.0, 0.0, 20.0, 20.0),
            rect(-10.0, 100.0, 20.0, 20.0),
            rect(-10.0, 200.0, 20.0, 20.0),
        ]);
        let mut down = vec![p(0.0, 20.0), p(0.0, 200.0)];
        assert!(column.route_around(&mut down, &[0, 2], &[]));
        assert!(
            !route_enters(&down, rect(-10.0, 100.0, 20.0, 20.0)),
            "{down:?}"
        );
        assert_eq!(
            (down.first(), down.last()),
            (Some(&p(0.0, 20.0)), Some(&p(0.0, 200.0)))
        );
        // The same route with the middle box as one of its ends is left as it was.
        let mut own = vec![p(0.0, 20.0), p(0.0, 100.0)];
        assert!(!column.route_around(&mut own, &[0, 1], &[]));
        assert_eq!(own, vec![p(0.0, 20.0), p(0.0, 100.0)]);
        // An extra box is avoided like an indexed one.
        let mut beside = vec![p(100.0, 0.0), p(100.0, 300.0)];
        let extra = [rect(90.0, 140.0, 20.0, 20.0)];
        assert!(column.route_around(&mut beside, &[], &extra));
        assert!(!route_enters(&beside, extra[0]), "{beside:?}");
    }

    #[test]
    fn collinear_points_are_dropped() {
        let p = |x, y| Point { x, y };
        let mut points = vec![
            p(0.0, 0.0),
            p(5.0, 0.0),
            p(10.0, 0.0),
            p(10.0, 5.0),
            p(10.0, 10.0),
        ];
        drop_collinear(&mut points);
        assert_eq!(points, vec![p(0.0, 0.0), p(10.0, 0.0), p(10.0, 10.0)]);
    }

    #[test]
    fn routes_clear_of_boxes_stay_as_they_are() {
        let mut points = vec![Point { x: 0.0, y: 0.0 }, Point { x: 100.0, y: 0.0 }];
        let before = points.clone();
        route_around(&mut points, &[rect(40.0, 5.0, 20.0, 20.0)]);
        assert_eq!(points, before);
        // Touching a border is not entering.
        assert!(!route_enters(&points, rect(40.0, 0.0, 20.0, 20.0)));
    }

    #[test]
    fn several_boxes_in_a_row_are_all_avoided() {
        let boxes = [
            rect(20.0, -15.0, 20.0, 30.0),
            rect(60.0, -15.0, 20.0, 30.0),
            rect(100.0, -15.0, 20.0, 30.0),
        ];
        let mut points = vec![Point { x: 0.0, y: 0.0 }, Point { x: 140.0, y: 0.0 }];
        route_around(&mut points, &boxes);
        for b in boxes {
            assert!(!route_enters(&points, b), "{points:?}");
        }
    }

    #[test]
    fn a_route_starting_inside_a_box_is_left_alone() {
        let obstacle = rect(-10.0, -10.0, 20.0, 20.0);
        let mut points = vec![Point { x: 0.0, y: 0.0 }, Point { x: 100.0, y: 0.0 }];
        route_around(&mut points, &[obstacle]);
        assert_eq!(points.len(), 2);
    }
}
