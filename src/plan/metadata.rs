//! The plan header: Status, Owner and Target Date, in every form the template and real plans
//! use (bold header lines, a two-column table, YAML front matter), and their values' checks.

use crate::diagnostic::Severity;
use serde::Serialize;
use std::ops::Range;

/// A status the template allows. The order is the lifecycle's, which listings sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Draft,
    InReview,
    Approved,
    InProgress,
    Completed,
    OnHold,
    Cancelled,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::InReview,
        Status::Approved,
        Status::InProgress,
        Status::Completed,
        Status::OnHold,
        Status::Cancelled,
    ];

    /// The canonical spelling, as the template writes it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::InReview => "In Review",
            Status::Approved => "Approved",
            Status::InProgress => "In Progress",
            Status::Completed => "Completed",
            Status::OnHold => "On Hold",
            Status::Cancelled => "Cancelled",
        }
    }

    /// The status a header value names (case-insensitive, surrounding emphasis ignored).
    pub fn parse(value: &str) -> Option<Status> {
        let value =
            value.trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c.is_whitespace());
        Status::ALL
            .into_iter()
            .find(|s| s.label().eq_ignore_ascii_case(value))
    }

    /// Approved and being (or done being) built: unfinished content is an error from here on.
    pub fn is_committed(self) -> bool {
        matches!(
            self,
            Status::Approved | Status::InProgress | Status::Completed
        )
    }

    /// Every label, for messages that list the allowed statuses.
    pub fn labels() -> [&'static str; 7] {
        Status::ALL.map(Status::label)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// A metadata field of the plan header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Status,
    Owner,
    TargetDate,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Status, Field::Owner, Field::TargetDate];

    pub fn label(self) -> &'static str {
        match self {
            Field::Status => "Status",
            Field::Owner => "Owner",
            Field::TargetDate => "Target Date",
        }
    }

    /// The field a key names: `Status`, `owner`, `Target Date`, `target_date`, `targetDate`.
    pub fn from_key(key: &str) -> Option<Field> {
        let folded: String = key
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match folded.as_str() {
            "status" => Some(Field::Status),
            "owner" => Some(Field::Owner),
            "targetdate" => Some(Field::TargetDate),
            _ => None,
        }
    }
}

/// A field's raw value and where it stands in the file (byte range of the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField {
    pub field: Field,
    pub value: String,
    pub range: Range<usize>,
}

/// Reads a header line such as `| **Status:** Draft <!-- ... -->` or `**Owner**: Ann |`.
/// The key must be bold, as in the template: a plain `Status: ...` line is prose.
/// `line` is one line of the file starting at byte `offset`.
pub fn header_line(line: &str, offset: usize) -> Option<RawField> {
    let body = line.trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '>');
    let rest = body.strip_prefix("**")?;
    // `**Status:**` or `**Status**:`
    let close = rest.find("**")?;
    let key = rest[..close].trim_end_matches(':');
    let after_key = rest[close + 2..]
        .strip_prefix(':')
        .unwrap_or(&rest[close + 2..]);
    let field = Field::from_key(key)?;
    // The value ends at an HTML comment or a closing pipe.
    let mut value = after_key;
    if let Some(comment) = value.find("<!--") {
        value = &value[..comment];
    }
    let value = value.trim_end().trim_end_matches('|').trim();
    let start =
        offset + (line.len() - after_key.len()) + (after_key.len() - after_key.trim_start().len());
    Some(RawField {
        field,
        value: value.to_string(),
        range: start..start + value.len(),
    })
}

/// The allowed status a mistyped one most likely means (`aproved`, `InProgress`).
pub fn status_suggestion(value: &str) -> Option<&'static str> {
    crate::suggest::closest(value, Status::labels())
}

/// How serious unfinished content (placeholders, missing or empty header fields) is in a plan
/// with this status: a warning while the plan is being written or reviewed (or is on hold,
/// cancelled, or has no readable status yet), an error once it is approved and worked on.
pub fn unfinished_severity(status: Option<Status>) -> Severity {
    match status {
        Some(s) if s.is_committed() => Severity::Error,
        _ => Severity::Warning,
    }
}

/// A US-ordered date (`06/30/2027`, month first) rewritten in the template's DD-MM-YYYY form,
/// when the value is impossible as DD-MM-YYYY but a real day read month first.
pub fn us_date_as_template(value: &str) -> Option<String> {
    let value = value.trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c.is_whitespace());
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    let [month, day, year] = parts.as_slice() else {
        return None;
    };
    if parse_date(value) != Err(DateError::Impossible) {
        return None;
    }
    let swapped = format!("{day}-{month}-{year}");
    parse_date(&swapped).ok().map(|_| swapped)
}

/// Why a Target Date was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Neither DD-MM-YYYY nor YYYY-MM-DD.
    Format,
    /// The right shape, but no such day (31-02-2027).
    Impossible,
}

/// Parses DD-MM-YYYY or YYYY-MM-DD (also with `/` or `.`) into `YYYY-MM-DD`.
pub fn parse_date(value: &str) -> Result<String, DateError> {
    let value = value.trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c.is_whitespace());
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(DateError::Format);
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let (year, month, day) = if digits(a, 4) && digits(b, 2) && digits(c, 2) {
        (a, b, c)
    } else if digits(a, 2) && digits(b, 2) && digits(c, 4) {
        (c, b, a)
    } else {
        return Err(DateError::Format);
    };
    let (y, m, d): (u32, u32, u32) = (
        year.parse().unwrap_or(0),
        month.parse().unwrap_or(0),
        day.parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(DateError::Impossible),
    };
    if d == 0 || d > days_in_month || y == 0 {
        return Err(DateError::Impossible);
    }
    Ok(format!("{year}-{month}-{day}"))
}

/// Reads `key: value` lines of YAML front matter (flat keys only, which is all the header
/// needs). `offset` is the byte offset of `yaml` in the file.
pub fn front_matter_fields(yaml: &str, offset: usize) -> Vec<RawField> {
    let mut fields = Vec::new();
    let mut line_start = offset;
    for line in yaml.split_inclusive('\n') {
        if !line.starts_with([' ', '\t', '#', '-']) {
            if let Some(colon) = line.find(':') {
                if let Some(field) = Field::from_key(&line[..colon]) {
                    let raw = &line[colon + 1..];
                    let trimmed = raw.trim();
                    let unquoted = trimmed
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .or_else(|| {
                            trimmed
                                .strip_prefix('\'')
                                .and_then(|v| v.strip_suffix('\''))
                        })
                        .unwrap_or(trimmed);
                    let start = line_start + colon + 1 + (raw.len() - raw.trim_start().len());
                    let start = start + usize::from(unquoted.len() != trimmed.len());
                    fields.push(RawField {
                        field,
                        value: unquoted.to_string(),
                        range: start..start + unquoted.len(),
                    });
                }
            }
        }
        line_start += line.len();
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_in_every_form() {
        let f = header_line("| **Status:** In Review <!-- Draft | In Review -->", 10).unwrap();
        assert_eq!(
            (f.field, f.value.as_str(), f.range),
            (Field::Status, "In Review", 24..33)
        );
        let f = header_line(
            "| **Target Date:** 01-02-2027 <!-- ISO format: DD-MM-YYYY --> |",
            0,
        )
        .unwrap();
        assert_eq!(
            (f.field, f.value.as_str()),
            (Field::TargetDate, "01-02-2027")
        );
        let f = header_line("**Owner**: Ann Lee |", 0).unwrap();
        assert_eq!(
            (f.field, f.value.as_str(), f.range),
            (Field::Owner, "Ann Lee", 11..18)
        );
        assert!(header_line("Owner: Ann", 0).is_none());
        assert!(header_line("**Note:** prose", 0).is_none());
    }

    #[test]
    fn statuses() {
        assert_eq!(Status::parse("in progress"), Some(Status::InProgress));
        assert_eq!(Status::parse("**Approved**"), Some(Status::Approved));
        assert_eq!(Status::parse("Almost done"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("01-02-2027"), Ok("2027-02-01".into()));
        assert_eq!(parse_date("2027-02-01"), Ok("2027-02-01".into()));
        assert_eq!(parse_date("29-02-2028"), Ok("2028-02-29".into()));
        assert_eq!(parse_date("29-02-2027"), Err(DateError::Impossible));
        assert_eq!(parse_date("31-04-2027"), Err(DateError::Impossible));
        assert_eq!(parse_date("2027-13-01"), Err(DateError::Impossible));
        assert_eq!(parse_date("March 3rd"), Err(DateError::Format));
        assert_eq!(parse_date("1-2-2027"), Err(DateError::Format));
    }

    #[test]
    fn hints() {
        assert_eq!(
            us_date_as_template("06/30/2027").as_deref(),
            Some("30-06-2027")
        );
        assert_eq!(us_date_as_template("06-12-2027"), None);
        assert_eq!(us_date_as_template("31-02-2027"), None);
        assert_eq!(status_suggestion("aproved"), Some("Approved"));
        assert_eq!(unfinished_severity(Some(Status::Draft)), Severity::Warning);
        assert_eq!(
            unfinished_severity(Some(Status::InProgress)),
            Severity::Error
        );
        assert_eq!(unfinished_severity(None), Severity::Warning);
    }

    #[test]
    fn front_matter() {
        let yaml = "status: Draft\nowner: \"Ann\"\ntarget_date: 2027-03-01\nother: x\n";
        let fields = front_matter_fields(yaml, 4);
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[1].value, "Ann");
        assert_eq!(&format!("----{yaml}")[fields[1].range.clone()], "Ann");
    }
}
