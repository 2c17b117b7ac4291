//! `@{ ... }` shape data: the properties and the shape names mermaid 12 renders.

/// Every shape name mermaid's renderer knows that a diagram may use: names with capitals or
/// underscores exist internally but are refused in shape data.
const SHAPE_NAMES: &[&str] = &[
    // shapes without a documented short name
    "state",
    "choice",
    "note",
    "icon",
    "anchor",
    // short names, then their aliases
    "rect",
    "proc",
    "process",
    "rectangle",
    "rounded",
    "event",
    "stadium",
    "terminal",
    "pill",
    "fr-rect",
    "subprocess",
    "subproc",
    "framed-rectangle",
    "subroutine",
    "cyl",
    "db",
    "database",
    "cylinder",
    "datastore",
    "data-store",
    "circle",
    "circ",
    "bang",
    "cloud",
    "diam",
    "decision",
    "diamond",
    "question",
    "hex",
    "hexagon",
    "prepare",
    "lean-r",
    "lean-right",
    "in-out",
    "lean-l",
    "lean-left",
    "out-in",
    "trap-b",
    "priority",
    "trapezoid-bottom",
    "trapezoid",
    "trap-t",
    "manual",
    "trapezoid-top",
    "inv-trapezoid",
    "dbl-circ",
    "double-circle",
    "doublecircle",
    "text",
    "notch-rect",
    "card",
    "notched-rectangle",
    "lin-rect",
    "lined-rectangle",
    "lined-process",
    "lin-proc",
    "shaded-process",
    "sm-circ",
    "start",
    "small-circle",
    "fr-circ",
    "stop",
    "framed-circle",
    "fork",
    "join",
    "hourglass",
    "collate",
    "brace",
    "comment",
    "brace-l",
    "brace-r",
    "braces",
    "bolt",
    "com-link",
    "lightning-bolt",
    "doc",
    "document",
    "delay",
    "half-rounded-rectangle",
    "h-cyl",
    "das",
    "horizontal-cylinder",
    "lin-cyl",
    "disk",
    "lined-cylinder",
    "curv-trap",
    "curved-trapezoid",
    "display",
    "div-rect",
    "div-proc",
    "divided-rectangle",
    "divided-process",
    "tri",
    "extract",
    "triangle",
    "win-pane",
    "internal-storage",
    "window-pane",
    "f-circ",
    "junction",
    "filled-circle",
    "notch-pent",
    "loop-limit",
    "notched-pentagon",
    "flip-tri",
    "manual-file",
    "flipped-triangle",
    "sl-rect",
    "manual-input",
    "sloped-rectangle",
    "docs",
    "documents",
    "st-doc",
    "stacked-document",
    "st-rect",
    "procs",
    "processes",
    "stacked-rectangle",
    "bow-rect",
    "stored-data",
    "bow-tie-rectangle",
    "cross-circ",
    "summary",
    "crossed-circle",
    "tag-doc",
    "tagged-document",
    "tag-rect",
    "tagged-rectangle",
    "tag-proc",
    "tagged-process",
    "flag",
    "paper-tape",
    "odd",
    "lin-doc",
    "lined-document",
];

/// Mermaid's verdict on a shape name, with its wording.
pub fn check_shape(name: &str) -> Result<(), String> {
    if name != name.to_lowercase() || name.contains('_') {
        return Err(format!(
            "no such shape: `{name}`; shape names are lowercase, with `-` between words"
        ));
    }
    if !SHAPE_NAMES.contains(&name) {
        return Err(format!("no such shape: `{name}`"));
    }
    Ok(())
}

/// Reads `key: value` pairs separated by commas or line breaks (the YAML subset shape data
/// uses), including `key: |` and `key: >` block values. Values lose their quotes.
pub fn parse_properties(data: &str) -> Result<Vec<(String, String)>, String> {
    let mut props = Vec::new();
    let mut flow = String::new();
    let lines: Vec<&str> = data.split('\n').collect();
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let block = line.trim().split_once(':').and_then(|(key, value)| {
            let style = value.trim();
            ["|", "|-", "|+", ">", ">-", ">+"]
                .contains(&style)
                .then(|| (key.trim().to_string(), style.to_string()))
        });
        let Some((key, style)) = block else {
            flow.push_str(line);
            flow.push('\n');
            i += 1;
            continue;
        };
        let indent = indent_of(line);
        let mut j = i + 1;
        while j < lines.len() && (lines[j].trim().is_empty() || indent_of(lines[j]) > indent) {
            j += 1;
        }
        let body: Vec<&str> = lines[i + 1..j].to_vec();
        let common = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| indent_of(l))
            .min()
            .unwrap_or(0);
        let body: Vec<&str> = body
            .iter()
            .map(|l| l.get(common..).unwrap_or("").trim_end())
            .collect();
        let mut value = if style.starts_with('|') {
            body.join("\n")
        } else {
            body.join(" ")
        };
        let value_trimmed = value.trim_end_matches('\n').len();
        value.truncate(value_trimmed);
        if !style.ends_with('-') {
            value.push('\n');
        }
        props.push((key, value));
        i = j;
    }
    for (key, value) in flow_properties(&flow)? {
        if props.iter().any(|(k, _)| *k == key) {
            return Err(format!("the key `{key}` appears twice"));
        }
        props.push((key, value));
    }
    Ok(props)
}

/// `key: value` pairs separated by commas or line breaks.
fn flow_properties(data: &str) -> Result<Vec<(String, String)>, String> {
    let mut entries = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in data.chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                current.push(c);
            }
            None if c == ',' || c == '\n' => entries.push(std::mem::take(&mut current)),
            None => current.push(c),
        }
    }
    if let Some(q) = quote {
        return Err(format!("a {q} quote is not closed"));
    }
    entries.push(current);
    let mut props = Vec::new();
    for entry in entries {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let Some(colon) = entry.find(':') else {
            continue;
        };
        let key = entry[..colon].trim();
        let value = entry[colon + 1..].trim();
        let unquoted = if value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"'))
                || (value.starts_with('\'') && value.ends_with('\'')))
        {
            &value[1..value.len() - 1]
        } else {
            value
        };
        if props.iter().any(|(k, _): &(String, String)| k == key) {
            return Err(format!("the key `{key}` appears twice"));
        }
        props.push((key.to_string(), unquoted.to_string()));
    }
    Ok(props)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_names() {
        assert!(check_shape("cyl").is_ok());
        assert!(check_shape("lean_right").is_err());
        assert!(check_shape("squareRect").is_err());
        assert!(check_shape("nope").is_err());
    }

    #[test]
    fn properties() {
        let p = parse_properties(r#" shape: rect, label: "a, b" "#).unwrap();
        let block = parse_properties("\n  label: |\n    one\n    two\n  shape: rect\n").unwrap();
        assert_eq!(block[0], ("label".to_string(), "one\ntwo\n".to_string()));
        assert_eq!(p[1], ("label".to_string(), "a, b".to_string()));
        assert!(parse_properties("label: \"open").is_err());
    }
}
