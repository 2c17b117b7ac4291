//! "Did you mean ...?": the known word closest to a misspelt one, for the hints of diagnostics.

/// The candidate closest to `word`, compared without case and without separators (so
/// `in-progress` matches `In Progress` and `aproved` matches `Approved`), when it is close
/// enough to be a likely misspelling: at most one edit in three characters, and at most three.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    if folded.is_empty() {
        return None;
    }
    let limit = (folded.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|candidate| (strsim::levenshtein(&folded, &fold(candidate)), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn fold(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn close_words_are_suggested() {
        let statuses = ["Draft", "In Review", "Approved", "In Progress"];
        assert_eq!(closest("aproved", statuses), Some("Approved"));
        assert_eq!(closest("in-progress", statuses), Some("In Progress"));
        assert_eq!(closest("InReveiw", statuses), Some("In Review"));
        assert_eq!(closest("Almost done", statuses), None);
        assert_eq!(closest("", statuses), None);
        assert_eq!(closest("Invoce", ["Invoice", "Order"]), Some("Invoice"));
    }
}
