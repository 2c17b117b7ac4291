//! Colours, as mermaid's classic themes define them, and the theme a diagram asks for through
//! `%%{init: {"theme": ..., "themeVariables": {...}}}%%` or its front matter `config:`.

/// The colours drawing code uses. Field names follow mermaid's theme variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub background: String,
    pub primary_color: String,
    pub primary_border_color: String,
    pub primary_text_color: String,
    pub secondary_color: String,
    pub tertiary_color: String,
    pub line_color: String,
    pub text_color: String,
    pub cluster_bkg: String,
    pub cluster_border: String,
    pub edge_label_background: String,
    pub note_bkg_color: String,
    pub note_border_color: String,
    pub note_text_color: String,
    pub font_size: f64,
}

impl Theme {
    /// One of mermaid's named themes (`default`, `neutral`, `dark`, `forest`; `base` is
    /// `default`); an unknown name gives `default`.
    pub fn named(name: &str) -> Theme {
        let default = Theme {
            background: "#ffffff".into(),
            primary_color: "#ECECFF".into(),
            primary_border_color: "#9370DB".into(),
            primary_text_color: "#131300".into(),
            secondary_color: "#ffffde".into(),
            tertiary_color: "#fff0f0".into(),
            line_color: "#333333".into(),
            text_color: "#333333".into(),
            cluster_bkg: "#ffffde".into(),
            cluster_border: "#aaaa33".into(),
            edge_label_background: "#e8e8e8".into(),
            note_bkg_color: "#fff5ad".into(),
            note_border_color: "#aaaa33".into(),
            note_text_color: "#333333".into(),
            font_size: 16.0,
        };
        match name {
            "neutral" => Theme {
                primary_color: "#eeeeee".into(),
                primary_border_color: "#999999".into(),
                primary_text_color: "#111111".into(),
                secondary_color: "#f4f4f4".into(),
                line_color: "#666666".into(),
                cluster_bkg: "#f4f4f4".into(),
                cluster_border: "#999999".into(),
                edge_label_background: "#ffffff".into(),
                note_bkg_color: "#fff5ad".into(),
                note_border_color: "#999999".into(),
                ..default
            },
            "dark" => Theme {
                background: "#333333".into(),
                primary_color: "#1f2020".into(),
                primary_border_color: "#cccccc".into(),
                primary_text_color: "#e0dfdf".into(),
                secondary_color: "#2d2d2d".into(),
                tertiary_color: "#303030".into(),
                line_color: "#d3d3d3".into(),
                text_color: "#cccccc".into(),
                cluster_bkg: "#2d2d2d".into(),
                cluster_border: "#aaaaaa".into(),
                edge_label_background: "#585858".into(),
                note_bkg_color: "#585858".into(),
                note_border_color: "#999999".into(),
                note_text_color: "#e0dfdf".into(),
                ..default
            },
            "forest" => Theme {
                primary_color: "#cde498".into(),
                primary_border_color: "#13540c".into(),
                primary_text_color: "#000000".into(),
                secondary_color: "#cdffb2".into(),
                line_color: "#008000".into(),
                text_color: "#000000".into(),
                cluster_bkg: "#cdffb2".into(),
                cluster_border: "#6eaa49".into(),
                edge_label_background: "#e8e8e8".into(),
                note_bkg_color: "#fff5ad".into(),
                note_border_color: "#6eaa49".into(),
                ..default
            },
            _ => default,
        }
    }

    /// The theme a diagram asks for: its init directives (raw bodies of `%%{...}%%`) and front
    /// matter (raw YAML), later settings winning.
    pub fn for_diagram(directives: &[String], front_matter: Option<&str>) -> Theme {
        let mut settings: Vec<(String, String)> = Vec::new();
        if let Some(yaml) = front_matter {
            for line in yaml.lines() {
                if let Some((key, value)) = line.trim().split_once(':') {
                    settings.push((key.trim().to_string(), value.trim().to_string()));
                }
            }
        }
        for directive in directives {
            settings.extend(key_values(directive));
        }
        let name = settings
            .iter()
            .rev()
            .find(|(k, _)| k == "theme")
            .map(|(_, v)| unquote(v))
            .unwrap_or_default();
        let mut theme = Theme::named(&name);
        for (key, value) in &settings {
            theme.set(key, &unquote(value));
        }
        theme
    }

    /// Sets one theme variable by mermaid's name. Values that are not plain colours are ignored,
    /// so that a plan cannot put arbitrary text into an attribute.
    fn set(&mut self, key: &str, value: &str) {
        if key == "fontSize" {
            if let Ok(size) = value.trim_end_matches("px").parse::<f64>() {
                if (6.0..=48.0).contains(&size) {
                    self.font_size = size;
                }
            }
            return;
        }
        if !is_colour(value) {
            return;
        }
        let field = match key {
            "background" => &mut self.background,
            "primaryColor" | "mainBkg" => &mut self.primary_color,
            "primaryBorderColor" | "nodeBorder" => &mut self.primary_border_color,
            "primaryTextColor" => &mut self.primary_text_color,
            "secondaryColor" => &mut self.secondary_color,
            "tertiaryColor" => &mut self.tertiary_color,
            "lineColor" => &mut self.line_color,
            "textColor" => &mut self.text_color,
            "clusterBkg" => &mut self.cluster_bkg,
            "clusterBorder" => &mut self.cluster_border,
            "edgeLabelBackground" => &mut self.edge_label_background,
            "noteBkgColor" => &mut self.note_bkg_color,
            "noteBorderColor" => &mut self.note_border_color,
            "noteTextColor" => &mut self.note_text_color,
            _ => return,
        };
        *field = value.to_string();
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::named("default")
    }
}

/// A colour a presentation attribute may hold: `#rgb`/`#rrggbb(aa)`, `rgb(...)`, `rgba(...)`,
/// `hsl(...)`, `hsla(...)`, or a colour keyword.
pub fn is_colour(value: &str) -> bool {
    let v = value.trim();
    if let Some(hex) = v.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    for function in ["rgb(", "rgba(", "hsl(", "hsla("] {
        if let Some(args) = v.strip_prefix(function).and_then(|r| r.strip_suffix(')')) {
            return args
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | ' ' | '-'));
        }
    }
    !v.is_empty() && v.len() <= 24 && v.chars().all(|c| c.is_ascii_alphabetic())
}

fn unquote(value: &str) -> String {
    value
        .trim()
        .trim_end_matches(',')
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_string()
}

/// Every `key: value` pair of a JSON-like directive body, at any depth (mermaid's directives are
/// JSON with single quotes allowed), with `theme` from `init`/`initialize` included.
fn key_values(body: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut chars = body.char_indices().peekable();
    let mut tokens: Vec<String> = Vec::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                let mut s = String::new();
                for (_, d) in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    s.push(d);
                }
                tokens.push(s);
            }
            ':' => tokens.push(":".into()),
            '{' | '}' | ',' | '[' | ']' => tokens.push(c.to_string()),
            c if c.is_whitespace() => {}
            c => {
                let mut s = c.to_string();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_whitespace()
                        || matches!(d, ':' | ',' | '{' | '}' | '[' | ']' | '"' | '\'')
                    {
                        break;
                    }
                    s.push(d);
                    chars.next();
                }
                tokens.push(s);
            }
        }
    }
    for w in tokens.windows(3) {
        if w[1] == ":" && !matches!(w[2].as_str(), "{" | "[") {
            pairs.push((w[0].clone(), w[2].clone()));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_directive_sets_theme_and_variables() {
        let t = Theme::for_diagram(&["init: {'theme': 'forest', 'themeVariables': { 'primaryColor': '#ff0000', 'lineColor': 'x\" onload=\"y' }}".to_string()], None);
        assert_eq!(t.primary_color, "#ff0000");
        assert_eq!(t.line_color, "#008000", "an unsafe value is ignored");
        let t = Theme::for_diagram(
            &[],
            Some("config:\n  theme: dark\n  themeVariables:\n    noteBkgColor: \"#123456\"\n"),
        );
        assert_eq!(t.background, "#333333");
        assert_eq!(t.note_bkg_color, "#123456");
    }

    #[test]
    fn colours() {
        assert!(is_colour("#fff") && is_colour("rgb(1, 2, 3)") && is_colour("lightblue"));
        assert!(!is_colour("url(#x)") && !is_colour("red;stroke:1") && !is_colour("#ggg"));
    }
}
