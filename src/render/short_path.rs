//! Path data rewritten in its shortest exact form. Painters write every command with absolute
//! coordinates (`M216.08,184C216.08,191.5 206.97,217.08 216.08,229`): easy to write and to
//! test, but a long route far from the origin repeats five-digit coordinates that differ in
//! their last digits. Each segment here is written absolute or relative, whichever is shorter,
//! a straight piece along an axis as `H`/`V`, a repeated command without its letter, and a
//! number without its leading zero.
//!
//! Exactness: painters write numbers with at most two decimals ([`super::svg::num`]), so every
//! coordinate is read as a whole number of hundredths and every relative offset is a difference
//! of two such numbers: the points a reader computes are the very points the painter wrote, and
//! rounding cannot add up along a path. Data this reader does not fully understand (more
//! decimals, an exponent, an unknown command) is left to the caller, unchanged.

/// A coordinate or parameter in hundredths of a user unit.
type Hundredths = i64;

/// One command of a path, its coordinates absolute.
struct Segment {
    /// The upper-case command letter.
    command: u8,
    params: Vec<Hundredths>,
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

/// Appends the shortest exact form of `data`, or returns `false` without writing anything when
/// `data` holds something this reader does not take apart.
pub(super) fn shorten(out: &mut String, data: &str) -> bool {
    let Some(segments) = read(data) else {
        return false;
    };
    write(out, &segments);
    true
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
                    params: Vec::new(),
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
        let mut params = Vec::with_capacity(7);
        for index in 0..arity(upper)? {
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
            params.push(value + offset);
        }
        match upper {
            b'H' => current[0] = params[0],
            b'V' => current[1] = params[0],
            _ => current = [params[params.len() - 2], params[params.len() - 1]],
        }
        if upper == b'M' {
            start = current;
            command = Some(if relative { b'l' } else { b'L' });
        }
        segments.push(Segment {
            command: upper,
            params,
        });
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
    if digits == 0 || matches!(bytes.get(at), Some(b'e' | b'E' | b'.')) {
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

/// Appends `value` (hundredths) as a number: [`super::svg::num`]'s text without a leading zero.
fn push_number(out: &mut String, value: Hundredths) {
    let from = out.len();
    // Exact: a whole number of hundredths below 2^40 survives the division and `push_num`'s
    // rounding.
    super::svg::push_num(out, value as f64 / 100.0);
    let digits = from + usize::from(value < 0);
    if out[digits..].starts_with("0.") {
        out.remove(digits);
    }
}

/// The text of one segment's numbers, each against `origin` where it is a coordinate, with
/// no separator where a reader needs none: before a minus sign, or before a leading decimal
/// point when the number before it already has one.
fn push_numbers(out: &mut String, command: u8, params: &[Hundredths], origin: [Hundredths; 2]) {
    let mut had_point = false;
    for (index, &value) in params.iter().enumerate() {
        let value = match axis(command, index) {
            Some(axis) => value - origin[axis],
            None => value,
        };
        let from = out.len();
        push_number(out, value);
        let text = &out[from..];
        let needed = !(text.starts_with('-') || text.starts_with('.') && had_point);
        had_point = text.contains('.');
        if index > 0 && needed {
            // A comma within a point, a space between points and parameters.
            let within_point = match command {
                b'A' => index == 1 || index == 6,
                _ => index % 2 == 1,
            };
            out.insert(from, if within_point { ',' } else { ' ' });
        }
    }
}

/// Writes the segments, each in its shorter form.
fn write(out: &mut String, segments: &[Segment]) {
    let mut current = [0, 0];
    let mut start = [0, 0];
    // The last letter written.
    let mut last_letter: Option<u8> = None;
    let mut absolute = String::new();
    let mut relative = String::new();
    for (index, segment) in segments.iter().enumerate() {
        let mut command = segment.command;
        let mut params = &segment.params[..];
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
        absolute.clear();
        relative.clear();
        push_numbers(&mut absolute, command, params, [0, 0]);
        push_numbers(&mut relative, command, params, current);
        // The first move is absolute whatever its letter; it is written upper-case, as usual.
        let (letter, numbers) = if index > 0 && relative.len() < absolute.len() {
            (command.to_ascii_lowercase(), &relative)
        } else {
            (command, &absolute)
        };
        // A letter repeated, or a line after a move of the same case, may be left out; the
        // numbers then need a separator from the number before them.
        let implied = match last_letter {
            Some(previous) if previous == letter => !matches!(letter, b'M' | b'm'),
            Some(b'M') => letter == b'L',
            Some(b'm') => letter == b'l',
            _ => false,
        };
        let runs_on = numbers.starts_with('-') || numbers.starts_with('.') && ends_with_point(out);
        if !implied {
            out.push(char::from(letter));
        } else if !runs_on {
            out.push(' ');
        }
        out.push_str(numbers);
        last_letter = Some(letter);
        match command {
            b'H' => current[0] = params[0],
            b'V' => current[1] = params[0],
            _ => current = [params[params.len() - 2], params[params.len() - 1]],
        }
        if command == b'M' {
            start = current;
        }
    }
}

/// Whether `out` ends with a number that has a decimal point.
fn ends_with_point(out: &str) -> bool {
    out.bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .any(|b| b == b'.')
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
            let p = &segment.params;
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
            short("M0,0 C1,1 2,2 3,3 4,4 5,5 6,6").unwrap(),
            "M0,0C1,1 2,2 3,3 4,4 5,5 6,6"
        );
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
}
