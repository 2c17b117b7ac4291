//! A small subset of Smithy selectors, enough for the `selector` of most custom traits:
//! shape types and classes (`service`, `member`, `simpleType`, `number`, `*`), `[trait|id]`,
//! `:is(...)`/`:test(...)` lists, juxtaposition (both must hold) and `>` between a container
//! and its members or between a member and its target. Anything else (relationships such as
//! `-[input]->` or `~>`, `:not`, other attributes) makes the selector unknown, and unknown
//! selectors are treated as matching, so that they never cause a false error.

use super::ast::ShapeType;
use super::model::{Member, Model, Shape};

#[derive(Debug, Clone, PartialEq)]
enum Selector {
    Any,
    Type(String),
    Trait(String),
    All(Vec<Selector>),
    AnyOf(Vec<Selector>),
    Child(Box<Selector>, Box<Selector>),
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.text.len() && self.text[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s.as_bytes()) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// `sequence := compound ((">" | " ") compound)*`, stopping at `,` or `)`.
    fn sequence(&mut self) -> Option<Selector> {
        self.skip_ws();
        let mut current = self.compound()?;
        loop {
            let before = self.pos;
            self.skip_ws();
            if self.pos >= self.text.len() || matches!(self.text[self.pos], b',' | b')') {
                return Some(current);
            }
            if self.eat(">") {
                self.skip_ws();
                let right = self.compound()?;
                current = Selector::Child(Box::new(current), Box::new(right));
            } else if self.pos > before {
                let next = self.compound()?;
                current = Selector::All(vec![current, next]);
            } else {
                return None;
            }
        }
    }

    /// A run of simple selectors without spaces: `structure[trait|error]`, `:test(a, b)`.
    fn compound(&mut self) -> Option<Selector> {
        let mut parts = Vec::new();
        loop {
            if self.pos >= self.text.len() {
                break;
            }
            let c = self.text[self.pos];
            if c == b'*' {
                self.pos += 1;
                parts.push(Selector::Any);
            } else if self.eat("[trait|") {
                let start = self.pos;
                while self.pos < self.text.len() && self.text[self.pos] != b']' {
                    self.pos += 1;
                }
                let id = std::str::from_utf8(&self.text[start..self.pos])
                    .ok()?
                    .to_string();
                if !self.eat("]") || id.contains(['=', '|', ' ']) {
                    return None;
                }
                parts.push(Selector::Trait(id));
            } else if self.eat(":test(") || self.eat(":is(") {
                let mut alternatives = vec![self.sequence()?];
                loop {
                    self.skip_ws();
                    if self.eat(",") {
                        alternatives.push(self.sequence()?);
                    } else if self.eat(")") {
                        break;
                    } else {
                        return None;
                    }
                }
                parts.push(Selector::AnyOf(alternatives));
            } else if c.is_ascii_alphabetic() {
                let start = self.pos;
                while self.pos < self.text.len() && self.text[self.pos].is_ascii_alphanumeric() {
                    self.pos += 1;
                }
                let word = std::str::from_utf8(&self.text[start..self.pos]).ok()?;
                parts.push(Selector::Type(word.to_string()));
            } else {
                break;
            }
        }
        match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Selector::All(parts)),
        }
    }
}

fn parse(selector: &str) -> Option<Selector> {
    let mut p = Parser {
        text: selector.as_bytes(),
        pos: 0,
    };
    let s = p.sequence()?;
    p.skip_ws();
    (p.pos == p.text.len()).then_some(s)
}

/// The thing a selector is tested against: a root shape, or a member of one.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Shape(&'a Shape),
    Member(&'a Shape, &'a Member),
}

fn type_matches(word: &str, t: ShapeType) -> Option<bool> {
    Some(match word {
        "simpleType" => t.is_simple(),
        "number" => t.is_number(),
        "collection" => matches!(t, ShapeType::List | ShapeType::Set),
        "member" => false,
        "string" => matches!(t, ShapeType::String | ShapeType::Enum),
        "integer" => matches!(t, ShapeType::Integer | ShapeType::IntEnum),
        "list" => matches!(t, ShapeType::List | ShapeType::Set),
        other => t == ShapeType::from_keyword(other)?,
    })
}

fn eval(model: &Model, s: &Selector, subject: Subject) -> Option<bool> {
    match s {
        Selector::Any => Some(true),
        Selector::Type(word) => match subject {
            Subject::Member(..) => Some(word == "member"),
            Subject::Shape(shape) => type_matches(word, shape.shape_type),
        },
        Selector::Trait(id) => {
            let id = if id.contains('#') {
                id.clone()
            } else {
                format!("smithy.api#{id}")
            };
            Some(match subject {
                Subject::Shape(shape) => model.has_trait(shape, &id),
                Subject::Member(_, m) => m.traits.contains_key(&id),
            })
        }
        Selector::All(parts) => {
            let mut result = true;
            for p in parts {
                result &= eval(model, p, subject)?;
            }
            Some(result)
        }
        Selector::AnyOf(parts) => {
            let mut result = false;
            for p in parts {
                result |= eval(model, p, subject)?;
            }
            Some(result)
        }
        Selector::Child(left, right) => match subject {
            // `container > member`: the member's container matches the left side.
            Subject::Member(container, member) if mentions_member(right) => Some(
                eval(model, right, Subject::Member(container, member))?
                    && eval(model, left, Subject::Shape(container))?,
            ),
            // `member > target`: the member matches the left side, its target the right.
            Subject::Member(container, member) => {
                if !eval(model, left, Subject::Member(container, member))? {
                    return Some(false);
                }
                match model.shapes.get(&member.target) {
                    Some(target) => eval(model, right, Subject::Shape(target)),
                    None => {
                        let t = model.shape_type(&member.target)?;
                        match right.as_ref() {
                            Selector::Type(word) => type_matches(word, t),
                            _ => None,
                        }
                    }
                }
            }
            Subject::Shape(_) => Some(false),
        },
    }
}

fn mentions_member(s: &Selector) -> bool {
    match s {
        Selector::Type(w) => w == "member",
        Selector::All(parts) => parts.iter().any(mentions_member),
        _ => false,
    }
}

/// Whether a shape (or one of its members) matches a selector; `None` when the selector uses
/// syntax this subset does not cover.
pub fn matches(
    model: &Model,
    selector: &str,
    shape: &Shape,
    member: Option<&Member>,
) -> Option<bool> {
    let s = parse(selector.trim())?;
    let subject = match member {
        Some(m) => Subject::Member(shape, m),
        None => Subject::Shape(shape),
    };
    eval(model, &s, subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_subset() {
        assert!(parse("service").is_some());
        assert!(parse(":test(service, resource, operation)").is_some());
        assert!(parse("structure > member").is_some());
        assert!(parse("service [trait|xmlNamespace]").is_some());
        assert!(parse("member[trait|required] :test(> :test(string, long))").is_none());
        assert!(parse("operation -[input]-> structure > member").is_none());
        assert!(parse(":not(service)").is_none());
    }
}
