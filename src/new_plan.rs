//! `plansmith new`: a plan started from the team's template, with its title, status Draft, an
//! owner and a date filled in. Pure text in, text out; the CLI finds the template, the owner and
//! the date, and writes the file.

use crate::plan::metadata::{self, Field, RawField};

/// The template used when the config names none: the one in `examples/`, which `check` accepts.
pub const BUILT_IN_TEMPLATE: &str = include_str!("../examples/template.md");

/// What goes into the new plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan<'a> {
    pub title: &'a str,
    /// `None` leaves the template's owner placeholder for the author.
    pub owner: Option<&'a str>,
    /// The Target Date, as `(year, month, day)`; written in the template's DD-MM-YYYY form.
    pub date: (i32, u32, u32),
}

/// The template with the title in its first heading and the header fields set. A header field
/// the template lacks is not added: the template decides the plan's shape.
pub fn fill_template(template: &str, plan: &NewPlan) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = header_fields(template)
        .into_iter()
        .filter_map(|field| {
            let value = match field.field {
                Field::Status => "Draft".to_string(),
                Field::Owner => plan.owner?.to_string(),
                Field::TargetDate => {
                    let (y, m, d) = plan.date;
                    format!("{d:02}-{m:02}-{y:04}")
                }
            };
            Some((field.range, one_line(&value)))
        })
        .collect();
    if let Some(edit) = title_edit(template, plan.title) {
        edits.push(edit);
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut text = template.to_string();
    for (range, value) in edits {
        text.replace_range(range, &value);
    }
    text
}

/// The header fields of the template: YAML front matter and bold `**Key:**` lines before the
/// first section.
fn header_fields(text: &str) -> Vec<RawField> {
    let mut fields = Vec::new();
    let mut offset = 0;
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---") {
            fields.extend(metadata::front_matter_fields(&rest[..end + 1], 4));
            offset = 4 + end + 4;
        }
    }
    for line in text[offset..].split_inclusive('\n') {
        if line.starts_with("## ") {
            break;
        }
        if let Some(field) = metadata::header_line(line.trim_end_matches(['\n', '\r']), offset) {
            fields.push(field);
        }
        offset += line.len();
    }
    // One value per field: the first, as `check` reads it.
    let mut seen = Vec::new();
    fields.retain(|f| {
        let first = !seen.contains(&f.field);
        seen.push(f.field);
        first
    });
    fields
}

/// The title goes in place of the first heading's bracketed placeholder (`# [Feature-name]
/// Technical Implementation Plan`), or replaces a heading that has none.
fn title_edit(text: &str, title: &str) -> Option<(std::ops::Range<usize>, String)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("# ") {
            let start = offset + 2;
            let heading = heading.trim_end_matches(['\n', '\r']);
            let title = one_line(title);
            return Some(match (heading.find('['), heading.find(']')) {
                (Some(open), Some(close)) if open < close => {
                    (start + open..start + close + 1, title)
                }
                _ => (start..start + heading.len(), title),
            });
        }
        offset += line.len();
    }
    None
}

/// A value fit for one Markdown line: line breaks become spaces.
fn one_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The folder name of a plan: lower-case words joined by `-` (`Order Export v2` →
/// `order-export-v2`).
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "plan".to_string()
    } else {
        slug.to_string()
    }
}

/// The civil date (UTC) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_date(days_since_epoch: i64) -> (i32, u32, u32) {
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(59), (1970, 3, 1));
        assert_eq!(civil_date(11_016), (2000, 2, 29));
        assert_eq!(civil_date(20_792), (2026, 12, 5));
        assert_eq!(civil_date(-1), (1969, 12, 31));
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Order Export v2"), "order-export-v2");
        assert_eq!(slug("  Über--Café!  "), "über-café");
        assert_eq!(slug("!!!"), "plan");
    }

    #[test]
    fn fills_a_table_header_and_front_matter() {
        let plan = NewPlan {
            title: "Order export",
            owner: Some("Ann Lee"),
            date: (2027, 3, 9),
        };
        let table = "# [Feature] Plan\n\n| **Status:** [status] <!-- x --> |\n| **Owner:** [owner] |\n| **Target Date:** [date] |\n\n## Overview\n**Status:** not a header\n";
        assert_eq!(
            fill_template(table, &plan),
            "# Order export Plan\n\n| **Status:** Draft <!-- x --> |\n| **Owner:** Ann Lee |\n| **Target Date:** 09-03-2027 |\n\n## Overview\n**Status:** not a header\n"
        );
        let yaml = "---\nstatus: \"[status]\"\nowner: [owner]\ntarget_date: TBD\n---\n# Title\n";
        assert_eq!(
            fill_template(yaml, &NewPlan { owner: None, ..plan }),
            "---\nstatus: \"Draft\"\nowner: [owner]\ntarget_date: 09-03-2027\n---\n# Order export\n"
        );
    }
}
