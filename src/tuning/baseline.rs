//! Fingerprints that survive moved lines, and the baseline file built from them: a team records
//! today's findings (`--write-baseline`) and is shown only new ones (`--baseline`).

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// FNV-1a, 64 bit: small, stable across platforms and releases.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// A message without the positions some messages quote (`at plan.md:12:3`, `line 4, column
/// 2`), so that moving text does not change a finding's identity.
fn normalized_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        let after_word = ["line ", "column ", "lines "]
            .iter()
            .find_map(|w| rest.strip_prefix(w).map(|r| (*w, r)))
            .filter(|(_, r)| r.starts_with(|c: char| c.is_ascii_digit()));
        if let Some((word, r)) = after_word {
            out.push_str(word);
            out.push('_');
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
            continue;
        }
        // `:12:3` after a path.
        if c == ':' && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            let digits = rest[1..].trim_start_matches(|c: char| c.is_ascii_digit());
            if let Some(col) = digits.strip_prefix(':') {
                if col.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push_str(":_:_");
                    rest = col.trim_start_matches(|c: char| c.is_ascii_digit());
                    continue;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The fingerprint of each diagnostic (in the same order): its code, file, message without
/// positions, and which occurrence of that triple it is in report order (so identical findings
/// in one file stay apart without naming their lines).
pub fn fingerprints(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut seen: BTreeMap<(&str, &str, String), usize> = BTreeMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let message = normalized_message(&d.message);
            let occurrence = seen
                .entry((d.code.as_str(), d.path.as_str(), message.clone()))
                .or_insert(0);
            *occurrence += 1;
            let hash = fnv1a(&[d.code.as_str(), &d.path, &message, &occurrence.to_string()]);
            format!("{hash:016x}")
        })
        .collect()
}

/// One recorded finding. Code, path and message are there for the reader of a review.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Entry {
    path: String,
    code: String,
    message: String,
    fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

const VERSION: u32 = 1;

/// The fingerprints of the findings recorded in a baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                file.version
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// Drops the findings the baseline records.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        let prints = fingerprints(diagnostics);
        let mut prints = prints.iter();
        diagnostics.retain(|_| prints.next().is_none_or(|p| !self.fingerprints.contains(p)));
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// The baseline file recording `diagnostics`: JSON, sorted, the same bytes for the same findings.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .zip(fingerprints(diagnostics))
        .map(|(d, fingerprint)| Entry {
            path: d.path.clone(),
            code: d.code.to_string(),
            message: d.message.clone(),
            fingerprint,
        })
        .collect();
    findings.sort();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Span};

    #[test]
    fn positions_in_messages_do_not_count() {
        assert_eq!(
            normalized_message("defined at a.md:12:3 and line 4, column 7; 2 lines"),
            "defined at a.md:_:_ and line _, column _; 2 lines"
        );
        assert_eq!(
            normalized_message("date 06/30/2027: é"),
            "date 06/30/2027: é"
        );
    }

    #[test]
    fn fingerprints_ignore_lines_but_count_repeats() {
        let at =
            |line| Diagnostic::new(Code::UnfilledPlaceholder, "x", "a.md", Span::point(line, 1));
        let before = fingerprints(&[at(3), at(9)]);
        let after = fingerprints(&[at(5), at(11)]);
        assert_eq!(before, after);
        assert_ne!(before[0], before[1]);
    }

    #[test]
    fn round_trip() {
        let d = Diagnostic::new(
            Code::TargetDateBeforeDependency,
            "late",
            "a.md",
            Span::point(2, 1),
        );
        let baseline = Baseline::parse(&render(std::slice::from_ref(&d))).unwrap();
        let mut again = vec![
            d.clone(),
            Diagnostic {
                message: "new".into(),
                ..d
            },
        ];
        baseline.apply(&mut again);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].message, "new");
        assert!(Baseline::parse("{\"version\": 9, \"findings\": []}").is_err());
    }
}
