//! Node values as the reference prints them in diff messages: pretty JSON indented by four
//! spaces, and the "ticked" form (a scalar in backticks, anything longer in a fenced block).
//! Numbers are printed as the reference's Java objects print them (`1e3` is `1000.0`).

use super::java_number;
use serde::Serialize;
use serde_json::Value;

/// The pretty JSON of a value, four spaces an indent level, `"key": value` pairs.
pub fn pretty(value: &Value) -> String {
    let value = &with_java_numbers(value);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The compact JSON of a value.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(&with_java_numbers(value)).unwrap_or_default()
}

/// The value with every number re-written as the reference prints it.
fn with_java_numbers(value: &Value) -> Value {
    match value {
        Value::Number(n) => {
            let printed = java_number::number(&n.to_string());
            printed
                .parse()
                .map_or_else(|_| value.clone(), Value::Number)
        }
        Value::Array(items) => Value::Array(items.iter().map(with_java_numbers).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), with_java_numbers(v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// A value as messages quote it: a one-line value in backticks (a string without its quotes),
/// a longer one in a fenced block on lines of its own.
pub fn ticked(value: &Value) -> String {
    let printed = pretty(value);
    if printed.contains('\n') {
        format!("\n```\n{printed}\n```\n")
    } else if value.is_string() {
        format!("`{}`", &printed[1..printed.len() - 1])
    } else {
        format!("`{printed}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_are_ticked_and_collections_fenced() {
        assert_eq!(ticked(&json!("a")), "`a`");
        assert_eq!(ticked(&json!(4)), "`4`");
        let thousand: Value = serde_json::from_str("1e3").unwrap();
        assert_eq!(ticked(&thousand), "`1000.0`");
        assert_eq!(ticked(&json!([])), "`[]`");
        assert_eq!(ticked(&json!({})), "`{}`");
        assert_eq!(ticked(&json!(["x"])), "\n```\n[\n    \"x\"\n]\n```\n");
        assert_eq!(
            ticked(&json!({"a": 1, "b": [true]})),
            "\n```\n{\n    \"a\": 1,\n    \"b\": [\n        true\n    ]\n}\n```\n"
        );
    }
}
