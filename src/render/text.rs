//! Text measurement with the advance widths of DejaVu Sans (`font_metrics.rs`), so that boxes
//! fit their labels without a browser, and the same on every machine.

use super::font_metrics::{BOLD, REGULAR, UNITS_PER_EM};

/// The font every SVG names first; its metrics are the ones measured here.
pub const FONT_FAMILY: &str = "'DejaVu Sans', Verdana, Arial, sans-serif";

/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.25;

fn advance(table: &[(u32, &[u16])], c: char) -> Option<u16> {
    let cp = c as u32;
    table.iter().find_map(|(start, widths)| {
        let i = cp.checked_sub(*start)? as usize;
        widths.get(i).copied().filter(|w| *w > 0)
    })
}

/// Width of one character in ems. Characters outside the table: wide (CJK, emoji) count one em,
/// combining marks nothing, the rest the width of `n`.
fn char_em(c: char, bold: bool) -> f64 {
    let table = if bold { BOLD } else { REGULAR };
    if let Some(w) = advance(table, c) {
        return f64::from(w) / UNITS_PER_EM;
    }
    let cp = c as u32;
    if (0x0300..0x0370).contains(&cp) || (0x200B..=0x200F).contains(&cp) {
        0.0
    } else if cp >= 0x1100 {
        1.0
    } else {
        f64::from(advance(table, 'n').unwrap_or(1300)) / UNITS_PER_EM
    }
}

/// Width in pixels of `text` on one line at `size` pixels.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    text.chars().map(|c| char_em(c, bold)).sum::<f64>() * size
}

/// Whether `text` is wider than `max_width`, as `width` says; reads only as far as the width
/// lasts, so that cutting a long word into pieces stays linear.
fn wider_than(text: &str, size: f64, bold: bool, max_width: f64) -> bool {
    let mut ems = 0.0;
    text.chars().any(|c| {
        ems += char_em(c, bold);
        ems * size > max_width
    })
}

/// Breaks `text` into lines no wider than `max_width`, at spaces where possible (a word longer
/// than a line is cut). Explicit line breaks (`\n`) are kept. The width of the line being
/// filled is carried along (summed as `width` sums it), so a long line costs linear time.
pub fn wrap(text: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_ems = 0.0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let mut candidate_ems = if line.is_empty() {
                0.0
            } else {
                line_ems + char_em(' ', bold)
            };
            for c in word.chars() {
                candidate_ems += char_em(c, bold);
            }
            if candidate_ems * size <= max_width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_ems = candidate_ems;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut into pieces that fit.
            let mut pieces = cut_word(word, size, bold, max_width);
            line = pieces.pop().unwrap_or_default();
            line_ems = line.chars().map(|c| char_em(c, bold)).sum();
            lines.extend(pieces);
        }
        lines.push(line);
    }
    lines
}

/// Characters after which a long word breaks before it is cut anywhere: the joints of names
/// and paths (`order-service`, `snake_case`, `com.example.Order`, `a/b/c`).
const WORD_JOINTS: [char; 4] = ['-', '_', '.', '/'];

/// A word wider than `max_width` in pieces that fit: each piece ends after the last joint that
/// leaves it narrow enough, or where the width runs out when it has no joint (never empty).
fn cut_word(word: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = word;
    while wider_than(rest, size, bold, max_width) {
        let mut fits = 0;
        let mut wide = 0.0;
        for (i, c) in rest.char_indices() {
            wide += width(c.encode_utf8(&mut [0; 4]), size, bold);
            if wide > max_width && fits > 0 {
                break;
            }
            fits = i + c.len_utf8();
        }
        let joint = rest[..fits]
            .char_indices()
            .rev()
            .filter(|(_, c)| WORD_JOINTS.contains(c))
            .map(|(i, c)| i + c.len_utf8())
            .find(|end| *end < rest.len());
        let cut = joint.unwrap_or(fits);
        pieces.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    pieces.push(rest.to_string());
    pieces
}

/// The size of a block of lines: (widest line, total height).
pub fn block_size(lines: &[String], size: f64, bold: bool) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| width(l, size, bold))
        .fold(0.0, f64::max);
    (w, lines.len().max(1) as f64 * size * LINE_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `wrap` as it was written first: every candidate line measured whole (quadratic).
    fn wrap_measuring_every_line(text: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if width(&candidate, size, bold) <= max_width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut pieces = cut_word(word, size, bold, max_width);
                line = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
            }
            lines.push(line);
        }
        lines
    }

    proptest::proptest! {
        #[test]
        fn carried_widths_wrap_as_measuring_every_line_does(
            text in "[a-zA-Z_./ WiI\u{301}日\n-]{0,120}",
            max_width in 5.0f64..200.0,
            bold: bool,
        ) {
            proptest::prop_assert_eq!(
                wrap(&text, 13.0, bold, max_width),
                wrap_measuring_every_line(&text, 13.0, bold, max_width)
            );
        }
    }

    #[test]
    fn widths_follow_the_font() {
        // DejaVu Sans: `i` is narrow, `W` wide, and bold is wider.
        assert!(width("i", 16.0, false) < width("W", 16.0, false));
        assert!(width("Hello", 16.0, true) > width("Hello", 16.0, false));
        assert!((width("m", 10.0, false) - 10.0 * 1995.0 / 2048.0).abs() < 1e-9);
        assert_eq!(width("", 16.0, false), 0.0);
        assert_eq!(width("漢", 10.0, false), 10.0);
    }

    #[test]
    fn wrapping_fits_and_keeps_every_character() {
        let text = "an order is placed when the buyer confirms the basket";
        let lines = wrap(text, 14.0, false, 120.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 14.0, false) <= 120.0));
        assert_eq!(lines.join(" "), text);
        let long = wrap("supercalifragilisticexpialidocious", 14.0, false, 60.0);
        assert!(long.len() > 1 && long.concat() == "supercalifragilisticexpialidocious");
        assert_eq!(wrap("a\nb", 14.0, false, 500.0), ["a", "b"]);
    }

    #[test]
    fn long_words_break_at_joints_before_anywhere() {
        let width_of = |s: &str| width(s, 14.0, false);
        let max = width_of("order-service-") + 1.0;
        assert_eq!(
            wrap("order-service-gateway", 14.0, false, max),
            ["order-service-", "gateway"]
        );
        assert_eq!(
            wrap(
                "com.example.orders",
                14.0,
                false,
                width_of("com.example.") + 1.0
            ),
            ["com.example.", "orders"]
        );
        assert_eq!(
            wrap(
                "plans/orders/plan.md",
                14.0,
                false,
                width_of("plans/orders/") + 1.0
            ),
            ["plans/orders/", "plan.md"]
        );
        // No joint: cut where the width runs out, every character kept.
        let cut = wrap("abcdefghijklmnop", 14.0, false, width_of("abcdefgh") + 0.5);
        assert_eq!(cut, ["abcdefgh", "ijklmnop"]);
    }
}
