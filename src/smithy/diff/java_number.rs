//! Numbers as the reference prints them in diff messages. Its parser turns a number lexeme into
//! a `Long` (or a `BigInteger`) when it has no fraction or exponent, otherwise into a `double`
//! when that keeps its value exactly and a `BigDecimal` when it does not; messages print that
//! object's `toString`. So `1e3` is printed `1000.0`, `1e10` is `1.0E10`, and a `@range` bound,
//! which goes through `new BigDecimal(number.toString())`, is `1.0E+10`.

/// A decimal as Java's `BigDecimal` holds it: `digits × 10^-scale`.
#[derive(Debug, Clone, PartialEq)]
struct Decimal {
    negative: bool,
    /// No leading zeros; `"0"` for zero.
    digits: String,
    scale: i64,
}

impl Decimal {
    /// Reads `[+-]digits[.digits][(e|E)[+-]digits]`; `None` for anything else.
    fn parse(lexeme: &str) -> Option<Decimal> {
        let (negative, unsigned) = match lexeme.as_bytes().first()? {
            b'-' => (true, &lexeme[1..]),
            b'+' => (false, &lexeme[1..]),
            _ => (false, lexeme),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i64>().ok()?),
            None => (unsigned, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{whole}{fraction}");
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        Some(Decimal {
            negative,
            digits: if trimmed.is_empty() { "0" } else { trimmed }.to_string(),
            scale: i64::try_from(fraction.len()).ok()?.checked_sub(exponent)?,
        })
    }

    fn is_zero(&self) -> bool {
        self.digits == "0"
    }

    /// The same value with no trailing zeros in its digits, for comparing values.
    fn normalized(&self) -> Decimal {
        if self.is_zero() {
            return Decimal {
                negative: false,
                digits: "0".into(),
                scale: 0,
            };
        }
        let digits = self.digits.trim_end_matches('0');
        let dropped = (self.digits.len() - digits.len()) as i64;
        Decimal {
            negative: self.negative,
            digits: digits.to_string(),
            scale: self.scale - dropped,
        }
    }

    /// `BigDecimal.toString`: plain unless the scale is negative or the value is below 1e-6,
    /// then one digit, the rest after a point, and `E` with a signed exponent.
    fn to_java_string(&self) -> String {
        let sign = if self.negative && !self.is_zero() {
            "-"
        } else {
            ""
        };
        let digits = self.digits.as_str();
        let count = digits.len() as i64;
        let adjusted = (count - 1) - self.scale;
        if self.scale == 0 {
            return format!("{sign}{digits}");
        }
        if self.scale > 0 && adjusted >= -6 {
            let point = count - self.scale;
            return if point > 0 {
                let (whole, fraction) = digits.split_at(point as usize);
                format!("{sign}{whole}.{fraction}")
            } else {
                format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
            };
        }
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        let exponent_sign = if adjusted >= 0 { "+" } else { "" };
        format!("{sign}{first}{point}{rest}E{exponent_sign}{adjusted}")
    }
}

/// `Double.toString`: plain between 1e-3 and 1e7 (with at least one fraction digit), otherwise
/// `d.dddE±n`; the shortest digits that read back as the same double, as Rust prints them.
fn java_double(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    let magnitude = value.abs();
    if magnitude.is_infinite() {
        return format!("{sign}Infinity");
    }
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let plain = magnitude.to_string();
        let point = if plain.contains('.') { "" } else { ".0" };
        return format!("{sign}{plain}{point}");
    }
    let scientific = format!("{magnitude:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let point = if mantissa.contains('.') { "" } else { ".0" };
    format!("{sign}{mantissa}{point}E{exponent}")
}

/// A number lexeme as the reference prints the number its parser made of it.
pub fn number(lexeme: &str) -> String {
    match lexeme {
        "Infinity" | "+Infinity" => return "Infinity".into(),
        "-Infinity" => return "-Infinity".into(),
        "NaN" | "+NaN" | "-NaN" => return "NaN".into(),
        _ => {}
    }
    let Some(decimal) = Decimal::parse(lexeme) else {
        return lexeme.to_string();
    };
    if !lexeme.contains(['.', 'e', 'E']) {
        // A `Long`, or a `BigInteger` beyond it: digits either way.
        return decimal.to_java_string();
    }
    let Ok(double) = lexeme.parse::<f64>() else {
        return lexeme.to_string();
    };
    let printed = java_double(double);
    let exact = Decimal::parse(&printed).map(|d| d.normalized()) == Some(decimal.normalized());
    if double.is_finite() && exact {
        printed
    } else {
        decimal.to_java_string()
    }
}

/// A `@range` or `@length` bound as the reference prints it: `new BigDecimal(n.toString())`.
pub fn bound(lexeme: &str) -> String {
    let printed = number(lexeme);
    match Decimal::parse(&printed) {
        Some(decimal) => decimal.to_java_string(),
        None => printed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lexemes and how the reference prints them, checked against `print`.
    fn expect(print: fn(&str) -> String, cases: &[(&str, &str)]) {
        for (lexeme, printed) in cases {
            assert_eq!(print(lexeme), *printed, "{lexeme}");
        }
    }

    #[test]
    fn integers_print_as_longs_and_big_integers() {
        let big = "123456789012345678901234567890";
        expect(number, &[("42", "42"), ("-0", "0"), (big, big)]);
    }

    #[test]
    fn decimals_print_as_doubles() {
        expect(
            number,
            &[
                ("1.5", "1.5"),
                ("1.50", "1.5"),
                ("1e3", "1000.0"),
                ("1e10", "1.0E10"),
                ("1.25E-5", "1.25E-5"),
                ("0.001", "0.001"),
                ("-2.0", "-2.0"),
                ("0.0", "0.0"),
            ],
        );
    }

    #[test]
    fn decimals_a_double_cannot_hold_print_as_big_decimals() {
        let long = "0.10000000000000000001";
        expect(number, &[(long, long), ("1e400", "1E+400")]);
    }

    #[test]
    fn bounds_print_as_big_decimals_of_the_printed_number() {
        expect(
            bound,
            &[
                ("10", "10"),
                ("1.5", "1.5"),
                ("1e10", "1.0E+10"),
                ("1.5e-5", "0.000015"),
                ("1e-10", "1.0E-10"),
                ("100.0", "100.0"),
            ],
        );
    }
}
