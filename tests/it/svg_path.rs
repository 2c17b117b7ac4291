//! SVG path data read the way a browser reads it, for the tests that check where drawings put
//! their lines. Written apart from the renderer's own shortening (`render::short_path`), so a
//! mistake there shows here as points in the wrong place: absolute and relative commands,
//! `H`/`V`, letters left out after the first, numbers like `.5` and `1.5.5` (1.5 and .5).

/// Every point the path passes through or is steered by (ends and control points; an arc's
/// end), absolute, in order.
pub fn points(d: &str) -> Vec<(f64, f64)> {
    let tokens = tokens(d);
    let mut out = Vec::new();
    let (mut current, mut start) = ((0.0, 0.0), (0.0, 0.0));
    let mut command = 'M';
    let mut at = 0;
    while at < tokens.len() {
        if let Token::Command(c) = tokens[at] {
            command = c;
            at += 1;
            if c.eq_ignore_ascii_case(&'z') {
                current = start;
            }
            continue;
        }
        let upper = command.to_ascii_uppercase();
        let count = match upper {
            'H' | 'V' => 1,
            'M' | 'L' | 'T' => 2,
            'S' | 'Q' => 4,
            'C' => 6,
            'A' => 7,
            _ => panic!("numbers after {command} in {d}"),
        };
        let numbers: Vec<f64> = tokens[at..at + count]
            .iter()
            .map(|t| match t {
                Token::Number(n) => *n,
                Token::Command(c) => panic!("{c} among the numbers of {command} in {d}"),
            })
            .collect();
        at += count;
        let relative = command.is_ascii_lowercase();
        let (ox, oy) = if relative { current } else { (0.0, 0.0) };
        match upper {
            'H' => current.0 = numbers[0] + ox,
            'V' => current.1 = numbers[0] + oy,
            'A' => current = (numbers[5] + ox, numbers[6] + oy),
            _ => {
                for pair in numbers.chunks(2) {
                    out.push((pair[0] + ox, pair[1] + oy));
                }
                current = *out.last().unwrap();
            }
        }
        if matches!(upper, 'H' | 'V' | 'A') {
            out.push(current);
        }
        if upper == 'M' {
            start = current;
            command = if relative { 'l' } else { 'L' };
        }
    }
    out
}

enum Token {
    Command(char),
    Number(f64),
}

fn tokens(d: &str) -> Vec<Token> {
    let chars: Vec<char> = d.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_whitespace() || c == ',' {
            i += 1;
        } else if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            out.push(Token::Command(c));
            i += 1;
        } else {
            // sign? digits* (. digits*)? (e sign? digits)?
            let begin = i;
            if matches!(chars[i], '-' | '+') {
                i += 1;
            }
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < chars.len() && matches!(chars[i], 'e' | 'E') {
                i += 1;
                if matches!(chars.get(i), Some('-' | '+')) {
                    i += 1;
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars[begin..i].iter().collect();
            out.push(Token::Number(
                text.parse()
                    .unwrap_or_else(|_| panic!("not a number: {text:?} in {d}")),
            ));
        }
    }
    out
}

#[test]
fn reads_every_form_a_browser_reads() {
    assert_eq!(
        points("M1,2 L3,-4 C5 6 7 8 9 10"),
        [(1.0, 2.0), (3.0, -4.0), (5.0, 6.0), (7.0, 8.0), (9.0, 10.0)]
    );
    assert_eq!(
        points("M10,10l5,5h5V20zm1,1 1,1"),
        [
            (10.0, 10.0),
            (15.0, 15.0),
            (20.0, 15.0),
            (20.0, 20.0),
            (11.0, 11.0),
            (12.0, 12.0)
        ]
    );
    assert_eq!(points("M.5.25.75.5"), [(0.5, 0.25), (0.75, 0.5)]);
    assert_eq!(points("M1-2a5,5 0 0 1 5,5"), [(1.0, -2.0), (6.0, 3.0)]);
}
