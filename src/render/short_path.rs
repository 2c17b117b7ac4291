//! Path data rewritten in its shortest exact form. Painters write every command with absolute
//! coordinates (`M216.08,184C216.08,191.5 206.97,217.08 216.08,229`): easy to write and to
//! test, but a long route far from the origin repeats five-digit coordinates that differ in
//! their last digits. Each segment here is written absolute or relative, whichever is shorter,
//! a straight piece along an axis as `H`/`V`, a repeated command without its letter, and a
//! number without its leading zero.
//!
//! Before that, [`straighten`] writes a curve that runs straight as a line, and lines that go on
//! in one direction as one line: layered layouts route long edges through points on one rank
//! line after another, and a spline through points in a row is a chain of straight curves.
//!
//! Exactness: painters write numbers with at most two decimals ([`super::svg::num`]), so every
//! coordinate is read as a whole number of hundredths and every relative offset is a difference
//! of two such numbers: the points a reader computes are the very points the painter wrote, and
//! rounding cannot add up along a path. Data this reader does not fully understand (more
//! decimals, an exponent, an unknown command) is left to the caller, unchanged.

use super::layout::Point;

/// A coordinate or parameter in hundredths of a user unit.
type Hundredths = i64;

/// One command of a path, its coordinates absolute.
#[derive(Clone, Copy)]
struct Segment {
    /// The upper-case command letter.
    command: u8,
    /// The first [`arity`] of these are the command's numbers.
    numbers: [Hundredths; 7],
}

impl Segment {
    fn params(&self) -> &[Hundredths] {
        &self.numbers[..arity(self.command).unwrap_or_default()]
    }

    /// Where the segment ends, after `current` in a subpath that started at `start`.
    fn end(&self, current: [Hundredths; 2], start: [Hundredths; 2]) -> [Hundredths; 2] {
        let p = self.params();
        match self.command {
            b'Z' => start,
            b'H' => [p[0], current[1]],
            b'V' => [current[0], p[0]],
            _ => [p[p.len() - 2], p[p.len() - 1]],
        }
    }
}

/// How many numbers one repetition of `command` takes; `None` for a letter that is not a
/// path command.
fn arity(command: u8) -> Option<usize> {
    Some(match command.to_ascii_uppercase() {
        b'Z' => 0,
        b'H' | b'V' => 1,
        b'M' | b'L' | b'T' => 2,
        b'S' | b'Q' => 4,
        b'C' => 6,
        b'A' => 7,
        _ => return None,
    })
}

/// Which parameters of `command` are coordinates, and of which axis: x (`Some(0)`), y
/// (`Some(1)`) or neither (an arc's radii, rotation and flags).
fn axis(command: u8, index: usize) -> Option<usize> {
    match command {
        b'H' => Some(0),
        b'V' => Some(1),
        b'A' => match index {
            5 => Some(0),
            6 => Some(1),
            _ => None,
        },
        _ => Some(index % 2),
    }
}

/// Where a painter's path goes, one command at a time: `letter` (upper-case, absolute) and its
/// points. [`PathText`] writes the text painters used to write; [`Segments`] keeps the numbers
/// for [`write`], so that the shortest form is made without writing and reading the text.
pub(super) trait PathSink {
    fn command(&mut self, letter: u8, points: &[Point]);
}

/// Path data as painters write it: `M1,2 C3,4 5,6 7,8`, every number as [`super::svg::num`]
/// writes it.
pub(super) struct PathText<'a>(pub &'a mut String);

impl PathSink for PathText<'_> {
    fn command(&mut self, letter: u8, points: &[Point]) {
        let out = &mut *self.0;
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(char::from(letter));
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            super::svg::push_num(out, p.x);
            out.push(',');
            super::svg::push_num(out, p.y);
        }
    }
}

/// The segments [`read`] would find in the [`PathText`] of the same commands, and whether it
/// would find them: every number is the whole hundredths [`super::svg::num`] writes, and a
/// command with the wrong number of points, or a number too large, leaves the text to be read.
#[derive(Default)]
pub(super) struct Segments {
    list: Vec<Segment>,
    unreadable: bool,
}

impl PathSink for Segments {
    fn command(&mut self, letter: u8, points: &[Point]) {
        let count = arity(letter).unwrap_or(usize::MAX);
        if self.unreadable || count != 2 * points.len() || count > 7 {
            self.unreadable = true;
            return;
        }
        let mut numbers = [0; 7];
        for (slot, value) in numbers
            .iter_mut()
            .zip(points.iter().flat_map(|p| [p.x, p.y]))
        {
            // As `num` rounds; a value it would not write as an integer of hundredths is one
            // `number` refuses, as it refuses anything beyond 2^40.
            let hundredths = if value.is_finite() {
                (value * 100.0).round()
            } else {
                0.0
            };
            if hundredths.abs() > (1u64 << 40) as f64 {
                self.unreadable = true;
                return;
            }
            *slot = hundredths as Hundredths;
        }
        self.list.push(Segment {
            command: letter,
            numbers,
        });
    }
}

/// Appends the shortest exact form of the path `draw` paints, as [`shorten`] would write it
/// from the path's text (and as that does, the text without needless spaces when it cannot
/// be taken apart).
pub(super) fn shorten_painted(out: &mut String, draw: impl Fn(&mut dyn PathSink)) {
    let mut segments = Segments::default();
    draw(&mut segments);
    if !segments.unreadable {
        write(out, &straighten(&segments.list));
        return;
    }
    let mut text = String::new();
    draw(&mut PathText(&mut text));
    super::svg::push_path_data(out, &text);
}

/// Appends the shortest exact form of `data`, or returns `false` without writing anything when
/// `data` holds something this reader does not take apart.
pub(super) fn shorten(out: &mut String, data: &str) -> bool {
    let Some(segments) = read(data) else {
        return false;
    };
    write(out, &straighten(&segments));
    true
}

/// The segments with each curve that runs straight written as a line, and each line that goes
/// on in the direction of the line before it joined to that line.
///
/// What is painted does not change. A quadratic or cubic curve whose control points lie on the
/// chord from its start to its end, in order from start to end, moves along the chord and never
/// back: it covers the chord once, as the line does, so a stroke, its dashes (laid out by
/// length), its joins and the direction a marker takes at either end are those of the line.
/// Two lines in a row in one direction meet without a visible join. A curve that a following
/// `T` or `S` reflects the control point of stays a curve, and empty segments stay as they are.
/// All of it is decided on whole hundredths, with no rounding.
fn straighten(segments: &[Segment]) -> Vec<Segment> {
    type Point = [Hundredths; 2];
    fn minus(a: Point, b: Point) -> [i128; 2] {
        [i128::from(a[0] - b[0]), i128::from(a[1] - b[1])]
    }
    fn cross(a: [i128; 2], b: [i128; 2]) -> i128 {
        a[0] * b[1] - a[1] * b[0]
    }
    fn dot(a: [i128; 2], b: [i128; 2]) -> i128 {
        a[0] * b[0] + a[1] * b[1]
    }
    // Whether the control points lie on the chord `from`-`to`, in order from `from`.
    fn on_chord(from: Point, controls: &[Point], to: Point) -> bool {
        let chord = minus(to, from);
        let mut reached = 0;
        controls.iter().all(|&control| {
            let offset = minus(control, from);
            let along = dot(offset, chord);
            let in_order =
                cross(offset, chord) == 0 && along >= reached && along <= dot(chord, chord);
            reached = along;
            in_order
        })
    }
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    let (mut current, mut start): (Point, Point) = ([0, 0], [0, 0]);
    // Where the line last written starts, while it is the last segment written.
    let mut line_from: Option<Point> = None;
    for (index, segment) in segments.iter().enumerate() {
        let n = &segment.numbers;
        let end = segment.end(current, start);
        let reflected_next = segments.get(index + 1).map(|next| next.command);
        let straight = end != current
            && match segment.command {
                b'L' | b'H' | b'V' => true,
                b'Q' => reflected_next != Some(b'T') && on_chord(current, &[[n[0], n[1]]], end),
                b'C' => {
                    reflected_next != Some(b'S')
                        && on_chord(current, &[[n[0], n[1]], [n[2], n[3]]], end)
                }
                _ => false,
            };
        if !straight {
            out.push(*segment);
            line_from = None;
        } else {
            let goes_on = line_from.is_some_and(|from| {
                let (before, after) = (minus(current, from), minus(end, current));
                cross(before, after) == 0 && dot(before, after) > 0
            });
            match out.last_mut() {
                Some(line) if goes_on => line.numbers[..2].copy_from_slice(&end),
                _ => {
                    let mut numbers = [0; 7];
                    numbers[..2].copy_from_slice(&end);
                    out.push(Segment {
                        command: b'L',
                        numbers,
                    });
                    line_from = Some(current);
                }
            }
        }
        current = end;
        if segment.command == b'M' {
            start = end;
        }
    }
    out
}

/// The segments of `data`, every coordinate made absolute.
fn read(data: &str) -> Option<Vec<Segment>> {
    let bytes = data.as_bytes();
    let mut at = 0;
    let mut segments: Vec<Segment> = Vec::new();
    let mut command: Option<u8> = None;
    let (mut current, mut start) = ([0, 0], [0, 0]);
    loop {
        while at < bytes.len() && matches!(bytes[at], b' ' | b',' | b'\n' | b'\t') {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        if bytes[at].is_ascii_alphabetic() {
            arity(bytes[at])?;
            command = Some(bytes[at]);
            at += 1;
            if bytes[at - 1].eq_ignore_ascii_case(&b'z') {
                segments.push(Segment {
                    command: b'Z',
                    numbers: [0; 7],
                });
                current = start;
            }
            continue;
        }
        // Numbers without a letter before them repeat the last command (after a move: a line).
        let letter = command?;
        let upper = letter.to_ascii_uppercase();
        if upper == b'Z' {
            return None;
        }
        let relative = letter.is_ascii_lowercase();
        let count = arity(upper)?;
        let mut numbers = [0; 7];
        for (index, slot) in numbers.iter_mut().enumerate().take(count) {
            if index > 0 {
                while at < bytes.len() && matches!(bytes[at], b' ' | b',') {
                    at += 1;
                }
            }
            let (value, used) = number(&bytes[at..])?;
            at += used;
            let offset = match (relative, axis(upper, index)) {
                (true, Some(axis)) => current[axis],
                _ => 0,
            };
            *slot = value + offset;
        }
        let segment = Segment {
            command: upper,
            numbers,
        };
        current = segment.end(current, start);
        if upper == b'M' {
            start = current;
            command = Some(if relative { b'l' } else { b'L' });
        }
        segments.push(segment);
    }
    Some(segments)
}

/// A number at the start of `bytes` in hundredths, and how many bytes it took: an optional
/// minus, digits, and at most two decimals.
fn number(bytes: &[u8]) -> Option<(Hundredths, usize)> {
    let negative = bytes.first() == Some(&b'-');
    let mut at = usize::from(negative);
    let mut value: Hundredths = 0;
    let mut digits = 0;
    while let Some(digit) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
        value = value
            .checked_mul(10)?
            .checked_add(Hundredths::from(digit - b'0'))?;
        at += 1;
        digits += 1;
    }
    let mut decimals = 0;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        while let Some(digit) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
            decimals += 1;
            if decimals > 2 {
                return None;
            }
            value = value
                .checked_mul(10)?
                .checked_add(Hundredths::from(digit - b'0'))?;
            at += 1;
            digits += 1;
        }
    }
    // A point right after a number with decimals starts the next number (`.5.25` is 0.5 and
    // 0.25), as the writer below leaves it; an exponent, or `5..`, is not taken apart.
    let next_starts_badly = match bytes.get(at) {
        Some(b'e' | b'E') => true,
        Some(b'.') => decimals == 0,
        _ => false,
    };
    if digits == 0 || next_starts_badly {
        return None;
    }
    for _ in decimals..2 {
        value = value.checked_mul(10)?;
    }
    // Far beyond any drawing; the checked arithmetic below never needs to fail.
    if value > 1 << 40 {
        return None;
    }
    Some((if negative { -value } else { value }, at))
}

/// How a number in hundredths is written without a leading zero: its length, whether it
/// starts with a minus sign or with a decimal point, and whether it has a point.
struct Shape {
    len: usize,
    minus: bool,
    leading_point: bool,
    point: bool,
}

fn shape(value: Hundredths) -> Shape {
    let n = value.unsigned_abs();
    let (whole, fraction) = (n / 100, n % 100);
    let whole_digits = match whole {
        0 if fraction != 0 => 0,
        0 => 1,
        w => w.ilog10() as usize + 1,
    };
    let decimals = match fraction {
        0 => 0,
        f if f % 10 == 0 => 2,
        _ => 3,
    };
    Shape {
        len: usize::from(value < 0) + whole_digits + decimals,
        minus: value < 0,
        leading_point: whole_digits == 0,
        point: fraction != 0,
    }
}

/// The numbers of one segment, each against `origin` where it is a coordinate: the length of
/// their text, and the shape of the first and whether the last has a point (for what comes
/// before and after them). With `out`, the text is also written.
fn numbers(
    command: u8,
    params: &[Hundredths],
    origin: [Hundredths; 2],
    mut out: Option<&mut String>,
) -> (usize, Shape, bool) {
    let mut len = 0;
    let mut had_point = false;
    let mut first = None;
    for (index, &value) in params.iter().enumerate() {
        let value = match axis(command, index) {
            Some(axis) => value - origin[axis],
            None => value,
        };
        let number = shape(value);
        // No separator before a minus, nor before a leading point after a number with a point.
        let separator = index > 0 && !(number.minus || number.leading_point && had_point);
        len += number.len + usize::from(separator);
        had_point = number.point;
        if let Some(out) = out.as_deref_mut() {
            if separator {
                // A comma within a point, a space between points and parameters.
                let within_point = match command {
                    b'A' => index == 1 || index == 6,
                    _ => index % 2 == 1,
                };
                out.push(if within_point { ',' } else { ' ' });
            }
            super::svg::push_hundredths(out, value, false);
        }
        first.get_or_insert(number);
    }
    let first = first.unwrap_or(Shape {
        len: 0,
        minus: false,
        leading_point: false,
        point: false,
    });
    (len, first, had_point)
}

/// Writes the segments, each in its shorter form.
fn write(out: &mut String, segments: &[Segment]) {
    let mut current = [0, 0];
    let mut start = [0, 0];
    // The last letter written, and whether the number written last has a point.
    let mut last_letter: Option<u8> = None;
    let mut last_point = false;
    for (index, segment) in segments.iter().enumerate() {
        let mut command = segment.command;
        let mut params = segment.params();
        if command == b'Z' {
            out.push('z');
            last_letter = Some(b'z');
            current = start;
            continue;
        }
        // A line along an axis needs one number.
        if command == b'L' && params[1] == current[1] {
            command = b'H';
            params = &params[..1];
        } else if command == b'L' && params[0] == current[0] {
            command = b'V';
            params = &params[1..];
        }
        let absolute = numbers(command, params, [0, 0], None);
        // The first move is absolute whatever its letter; it is written upper-case, as usual.
        let relative = (index > 0)
            .then(|| numbers(command, params, current, None))
            .filter(|relative| relative.0 < absolute.0);
        let (letter, origin, (_, first, point)) = match relative {
            Some(relative) => (command.to_ascii_lowercase(), current, relative),
            None => (command, [0, 0], absolute),
        };
        // A letter repeated, or a line after a move of the same case, may be left out; the
        // numbers then need a separator from the number before them.
        let implied = match last_letter {
            Some(previous) if previous == letter => !matches!(letter, b'M' | b'm'),
            Some(b'M') => letter == b'L',
            Some(b'm') => letter == b'l',
            _ => false,
        };
        if !implied {
            out.push(char::from(letter));
        } else if !(first.minus || first.leading_point && last_point) {
            out.push(' ');
        }
        numbers(command, params, origin, Some(out));
        last_letter = Some(letter);
        last_point = point;
        current = segment.end(current, start);
        if command == b'M' {
            start = current;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(data: &str) -> Option<String> {
        let mut out = String::new();
        shorten(&mut out, data).then_some(out)
    }

    /// Every absolute point of `data` (ends, control points, arc ends), in hundredths, with a
    /// marker for each close: `read` makes the coordinates absolute, this follows `H`, `V` and
    /// closes, so a shortened path and its original can be compared point by point.
    fn points(data: &str) -> Vec<[i64; 2]> {
        let (mut current, mut start) = ([0, 0], [0, 0]);
        let mut out = Vec::new();
        for segment in read(data).expect("readable") {
            let p = segment.params();
            match segment.command {
                b'Z' => {
                    out.push([i64::MIN, i64::MIN]);
                    current = start;
                }
                b'H' => current[0] = p[0],
                b'V' => current[1] = p[0],
                b'A' => current = [p[5], p[6]],
                _ => {
                    out.extend(p.chunks(2).map(|c| [c[0], c[1]]));
                    current = [p[p.len() - 2], p[p.len() - 1]];
                    if segment.command == b'M' {
                        start = current;
                    }
                    continue;
                }
            }
            if segment.command != b'Z' {
                out.push(current);
            }
        }
        out
    }

    #[test]
    fn long_coordinates_become_short_offsets() {
        assert_eq!(
            short("M582.65,29435.06C594.92,29427.06 655.81,29416.36 656.28,29387.06").unwrap(),
            "M582.65,29435.06c12.27-8 73.16-18.7 73.63-48"
        );
        assert_eq!(
            short("M0,0 L10,0 L10,5 L0,10 z").unwrap(),
            "M0,0H10V5L0,10z"
        );
        assert_eq!(short("M1,1 L2,2 L3,4").unwrap(), "M1,1 2,2 3,4");
        assert_eq!(short("M0.5,0.25 L0.75,0.5").unwrap(), "M.5.25.75.5");
        assert_eq!(short("M5,0.5 L6,1.5").unwrap(), "M5,.5l1,1");
        assert_eq!(short("M-0.5,-2 L-1,-3").unwrap(), "M-.5-2-1-3");
        // Shortened data reads back as itself.
        assert_eq!(short("M.5.25.75.5").unwrap(), "M.5.25.75.5");
        assert_eq!(
            short("M100,100 A5,5 0 0,1 105,105").unwrap(),
            "M100,100a5,5 0 0 1 5,5"
        );
    }

    #[test]
    fn relative_input_and_repeated_commands_are_read() {
        assert_eq!(
            short("M10,10 l5,5 5,0 h-10 v-5 z m1,1 l1,1").unwrap(),
            "M10,10l5,5h5H10V10zm1,1 1,1"
        );
        assert_eq!(
            short("M0,0 C1,2 2,2 3,3 4,5 5,5 6,6").unwrap(),
            "M0,0C1,2 2,2 3,3 4,5 5,5 6,6"
        );
    }

    #[test]
    fn straight_curves_become_lines_and_lines_in_a_row_one_line() {
        // A state diagram's long edge: a spline through points on one vertical line.
        assert_eq!(
            short("M139.03,129.5Q139.03,174 139.03,205.25Q139.03,236.5 139.03,263.38Q139.03,290.25 168.38,326").unwrap(),
            "M139.03,129.5V263.38q0,26.87 29.35,62.62"
        );
        // Cubic curves whose controls lie on the chord in order; lines that go on.
        assert_eq!(short("M0,0 C1,1 2,2 3,3 L4,4 L6,6").unwrap(), "M0,0 6,6");
        assert_eq!(short("M0,0 L0,5 L0,10 L5,10").unwrap(), "M0,0V10H5");
        for (data, why) in [
            ("M0,0 C2,2 1,1 3,3", "controls out of order"),
            ("M0,0 Q-1,-1 3,3", "control before the start"),
            ("M0,0 Q4,4 3,3", "control beyond the end"),
            ("M0,0 Q1,1 3,3 T5,5", "reflected by the next"),
            ("M0,0 C1,1 2,2 3,3 S5,5 6,6", "reflected by the next"),
            ("M0,0 Q1,1 0,0", "an empty curve"),
        ] {
            assert!(
                short(data).unwrap().contains(['q', 'Q', 'c', 'C']),
                "{why}: {data}"
            );
        }
        // A line that turns back, or a line after a close or a move, is a line of its own.
        assert_eq!(short("M0,0 L5,0 L2,0").unwrap(), "M0,0H5 2");
        assert_eq!(short("M0,0 L5,0 z L7,0").unwrap(), "M0,0H5zH7");
        assert_eq!(short("M0,0 L5,0 M5,0 L7,0").unwrap(), "M0,0H5M5,0H7");
    }

    #[test]
    fn what_is_not_understood_is_left_alone() {
        for data in [
            "M1.234,5",
            "M1e3,4",
            "M1,2 X3,4",
            "3,4",
            "M1,2 L3",
            "M1..2,3",
        ] {
            assert_eq!(short(data), None, "{data}");
        }
    }

    #[test]
    fn the_points_are_the_same_after_shortening() {
        let cases = [
            "M582.65,29435.06C594.92,29427.06 655.81,29416.36 656.28,29387.06C693,27102.38 778.5,18003.63 802.95,15726.94",
            "M0,0 L10,0 L10,5 L0,10 z M3,3 L4,4 Q5,5 6,6 T7,7 S8,8 9,9 z",
            "M100.5,-3 A5,5 0 0,1 105,105 L105,0.01 L-0.01,0.01",
            "M10,10 l5,5 5,0 h-10 v-5 z m1,1 l1,1",
        ];
        for data in cases {
            let shortened = short(data).unwrap();
            assert!(shortened.len() <= data.len(), "{shortened}");
            assert_eq!(points(&shortened), points(data), "{data} -> {shortened}");
        }
    }

    /// Points along the path `data` (in hundredths): eight per segment, so that a curve and the
    /// line it became can be compared where they run.
    fn samples(data: &str) -> Vec<[f64; 2]> {
        let (mut current, mut start) = ([0.0, 0.0], [0.0, 0.0]);
        let mut out = Vec::new();
        for segment in read(data).expect("readable") {
            let n: Vec<f64> = segment.params().iter().map(|&v| v as f64).collect();
            let controls: Vec<[f64; 2]> = match segment.command {
                b'M' => {
                    current = [n[0], n[1]];
                    start = current;
                    continue;
                }
                b'Z' => vec![start],
                b'H' => vec![[n[0], current[1]]],
                b'V' => vec![[current[0], n[0]]],
                _ => n.chunks(2).map(|c| [c[0], c[1]]).collect(),
            };
            // De Casteljau: the segment's points reduced to one at each parameter.
            for step in 1..=8 {
                let t = f64::from(step) / 8.0;
                let mut row: Vec<[f64; 2]> = std::iter::once(current)
                    .chain(controls.iter().copied())
                    .collect();
                while row.len() > 1 {
                    row = row
                        .windows(2)
                        .map(|w| {
                            [
                                w[0][0] + t * (w[1][0] - w[0][0]),
                                w[0][1] + t * (w[1][1] - w[0][1]),
                            ]
                        })
                        .collect();
                }
                out.push(row[0]);
            }
            current = *controls.last().expect("an end point");
        }
        out
    }

    /// How far `point` is from the polyline through `line`.
    fn distance_to(line: &[[f64; 2]], point: [f64; 2]) -> f64 {
        line.windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                let d = [b[0] - a[0], b[1] - a[1]];
                let length = d[0] * d[0] + d[1] * d[1];
                let t = if length == 0.0 {
                    0.0
                } else {
                    (((point[0] - a[0]) * d[0] + (point[1] - a[1]) * d[1]) / length).clamp(0.0, 1.0)
                };
                (point[0] - a[0] - t * d[0]).hypot(point[1] - a[1] - t * d[1])
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// A segment from the current point: a line, or a curve whose control points are taken
    /// along the chord (in or out of order, before or beyond it) or anywhere.
    fn segment() -> impl proptest::strategy::Strategy<Value = (u8, [i64; 2], [i64; 3], bool)> {
        use proptest::prelude::*;
        (
            prop_oneof![Just(b'L'), Just(b'Q'), Just(b'C')],
            (-3i64..=3, -3i64..=3),
            (-2i64..=10, -2i64..=10, 1i64..=8),
            any::<bool>(),
        )
            .prop_map(|(letter, step, (a, b, k), on_chord)| {
                (letter, [step.0 * 125, step.1 * 50], [a, b, k], on_chord)
            })
    }

    proptest::proptest! {
        #[test]
        fn straightened_paths_run_where_the_painted_ones_do(
            segments in proptest::collection::vec(segment(), 1..8),
            wobble in proptest::collection::vec((-300i64..300, -300i64..300), 8),
        ) {
            let text = |v: i64| format!("{}{}.{:02}", if v < 0 { "-" } else { "" }, v.abs() / 100, v.abs() % 100);
            let point = |p: [i64; 2]| format!("{},{}", text(p[0]), text(p[1]));
            let mut current = [1000, 2000];
            let mut data = format!("M{}", point(current));
            for (index, (letter, step, [a, b, k], on_chord)) in segments.into_iter().enumerate() {
                let at = |j: i64| [current[0] + j * step[0], current[1] + j * step[1]];
                let end = at(k);
                let (w0, w1) = wobble[index % wobble.len()];
                let control = |j: i64| if on_chord { at(j) } else { [current[0] + w0, current[1] + w1] };
                let controls = match letter {
                    b'L' => vec![],
                    b'Q' => vec![control(a)],
                    _ => vec![control(a), control(b)],
                };
                data.push(char::from(letter));
                for c in controls.into_iter().chain([end]) {
                    data.push_str(&point(c));
                    data.push(' ');
                }
                current = end;
            }
            let shortened = short(&data).expect("readable");
            // What the writer wrote, the reader takes back, and finds nothing more to shorten.
            proptest::prop_assert_eq!(short(&shortened), Some(shortened.clone()));
            let (before, after) = (samples(&data), samples(&shortened));
            proptest::prop_assert_eq!(before.last(), after.last());
            let mut outline = vec![[1000.0, 2000.0]];
            outline.extend(&after);
            for p in &before {
                proptest::prop_assert!(distance_to(&outline, *p) < 1e-6, "{} -> {}: {:?}", data, shortened, p);
            }
            let mut painted = vec![[1000.0, 2000.0]];
            painted.extend(&before);
            for p in &after {
                proptest::prop_assert!(distance_to(&painted, *p) < 1e-6, "{} -> {}: {:?}", data, shortened, p);
            }
        }
    }
}
