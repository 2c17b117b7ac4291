//! `MediaType`: the value of `@mediaType` is an RFC 9110 media type,
//! `type "/" subtype *( OWS ";" OWS parameter )`.

use super::http_header_trait::is_tchar;
use super::shared::owners_with;
use super::Events;

/// Why a media type does not parse, if it does not.
fn media_type_problem(value: &str) -> Option<String> {
    let chars: Vec<char> = value.chars().collect();
    let mut at = 0;
    let expected = |at: usize, what: &str| -> String {
        match chars.get(at) {
            Some(c) => format!(
                "Syntax error at column {}: expected {what}, found '{c}'",
                at + 1
            ),
            None => format!(
                "Syntax error at column {}: expected {what}, found end of input",
                at + 1
            ),
        }
    };
    let token = |at: &mut usize| -> Result<(), String> {
        let start = *at;
        while chars.get(*at).is_some_and(|c| is_tchar(*c)) {
            *at += 1;
        }
        if *at == start {
            Err(expected(*at, "a token character"))
        } else {
            Ok(())
        }
    };
    let ws = |at: &mut usize| {
        while chars
            .get(*at)
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
        {
            *at += 1;
        }
    };
    let literal = |at: &mut usize, c: char| -> Result<(), String> {
        if chars.get(*at) == Some(&c) {
            *at += 1;
            Ok(())
        } else {
            Err(expected(*at, &format!("'{c}'")))
        }
    };
    let result = (|| -> Result<(), String> {
        token(&mut at)?;
        literal(&mut at, '/')?;
        token(&mut at)?;
        ws(&mut at);
        while at < chars.len() {
            literal(&mut at, ';')?;
            ws(&mut at);
            token(&mut at)?;
            literal(&mut at, '=')?;
            if chars.get(at) == Some(&'"') {
                at += 1;
                while chars.get(at).is_some_and(|c| *c != '"') {
                    // A backslash quotes the next character.
                    if chars[at] == '\\' {
                        at += 1;
                        if at >= chars.len() {
                            return Err(expected(at, "a character after the escape"));
                        }
                    }
                    at += 1;
                }
                literal(&mut at, '"')?;
            } else {
                token(&mut at)?;
            }
            ws(&mut at);
        }
        Ok(())
    })();
    result.err()
}

pub(super) fn check(ev: &mut Events) {
    for shape in ev.carriers("smithy.api#mediaType") {
        for (owner, _, traits) in owners_with(shape, "smithy.api#mediaType") {
            let Some(tv) = traits.get("smithy.api#mediaType") else {
                continue;
            };
            let Some(value) = tv.value.as_str() else {
                continue;
            };
            if let Some(problem) = media_type_problem(value) {
                ev.error(
                    "MediaType",
                    &tv.location,
                    &owner,
                    format!("Invalid mediaType value, \"{value}\": {problem}"),
                );
            }
        }
    }
}
