//! The selector grammar of the Smithy specification ("Selectors"), parsed by hand into
//! [`Sel`] sequences. Errors are worded and positioned as the reference words them
//! (`Syntax error at line 1 column 5, near `…`: …; expression: …`).

use super::attribute::Comparator;
use crate::smithy::ast::ShapeType;

/// Nesting deeper than this (functions and variables inside each other) is a syntax error, as
/// in the reference; it also keeps the recursive parser and evaluator off the end of the stack.
pub const MAX_NESTING: usize = 100;

/// A sequence of selectors; each one filters or maps the shapes the previous one sends on.
/// The empty sequence is `*`.
pub type Seq = Vec<Sel>;

#[derive(Debug, Clone, PartialEq)]
pub enum TypeTest {
    /// A shape type; `string` also matches `enum`, `integer` `intEnum`, `list` `set`.
    Exact(ShapeType),
    Member,
    Number,
    Simple,
    Collection,
    Aggregate,
    ServiceType,
    Data,
}

/// One side of a scoped comparison: `@{path}` or a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum ScopedValue {
    Path(Vec<String>),
    Literal(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    pub lhs: ScopedValue,
    pub comparator: Comparator,
    pub rhs: Vec<ScopedValue>,
    pub case_insensitive: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Sel {
    Type(TypeTest),
    /// `[path]` or `[path op values i]`.
    Attribute {
        path: Vec<String>,
        comparison: Option<(Comparator, Vec<String>, bool)>,
    },
    /// `[@path: assertion && …]`.
    Scoped {
        path: Vec<String>,
        assertions: Vec<Assertion>,
    },
    /// `>` / `<` (no labels) or `-[labels]->` / `<-[labels]-`.
    Neighbor {
        reverse: bool,
        labels: Option<Vec<String>>,
    },
    /// `~>`
    RecursiveNeighbor,
    Not(Seq),
    Test(Vec<Seq>),
    Is(Vec<Seq>),
    In(Seq),
    /// `:root(…)`, evaluated once over the whole model; the index of [`Parsed::roots`].
    Root(usize),
    TopDown(Seq, Option<Seq>),
    Recursive(Seq),
    VarStore(usize, Seq),
    VarGet(usize),
    /// An unknown function: the reference accepts it and it matches nothing.
    Nothing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub seq: Seq,
    pub roots: Vec<Seq>,
    pub variables: Vec<String>,
}

/// A selector syntax error, with the reference's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    /// Where the problem is (1-based) and what it is, without the framing of `message`, for
    /// callers that frame it themselves (message templates).
    pub line: usize,
    pub column: usize,
    pub detail: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

const RELATIONSHIP_LABELS: &[&str] = &[
    "resource",
    "operation",
    "collectionOperation",
    "instanceOperation",
    "bound",
    "put",
    "create",
    "read",
    "update",
    "delete",
    "list",
    "identifier",
    "property",
    "input",
    "output",
    "error",
    "member",
    "trait",
    "mixin",
];

pub fn is_known_label(label: &str) -> bool {
    RELATIONSHIP_LABELS.contains(&label)
}

struct Parser<'a> {
    expression: &'a str,
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    roots: Vec<Seq>,
    variables: Vec<String>,
}

type Result<T> = std::result::Result<T, SyntaxError>;

pub fn parse(expression: &str) -> Result<Parsed> {
    let mut p = Parser {
        expression,
        chars: expression.chars().collect(),
        pos: 0,
        depth: 0,
        roots: Vec::new(),
        variables: Vec::new(),
    };
    let seq = p.sequence()?;
    p.ws();
    if !p.eof() {
        return Err(p.error(format!("Unexpected selector character: {}", p.peek())));
    }
    Ok(Parsed {
        seq,
        roots: p.roots,
        variables: p.variables,
    })
}

/// Reads the scoped value `@{path}` of a message template that starts at `text[start..]` (char
/// indices): its path and the char index just after its `}`.
pub fn template_scoped_value(text: &str, start: usize) -> Result<(Vec<String>, usize)> {
    let mut p = Parser {
        expression: text,
        chars: text.chars().collect(),
        pos: start,
        depth: 0,
        roots: Vec::new(),
        variables: Vec::new(),
    };
    p.expect('@')?;
    p.expect('{')?;
    let mut path = vec![p.path_segment()?];
    path.extend(p.path_rest()?);
    p.expect('}')?;
    Ok((path, p.pos))
}

fn is_identifier_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

fn is_identifier_char(c: char) -> bool {
    is_identifier_start(c) || c.is_ascii_digit()
}

impl Parser<'_> {
    fn eof(&self) -> bool {
        self.pos >= self.chars.len()
    }

    /// The next character, `\0` at the end (as the reference's parser does).
    fn peek(&self) -> char {
        self.chars.get(self.pos).copied().unwrap_or('\0')
    }

    fn shown(&self) -> String {
        if self.eof() {
            "[EOF]".to_string()
        } else {
            self.peek().to_string()
        }
    }

    fn skip(&mut self) {
        self.pos += 1;
    }

    fn ws(&mut self) {
        while matches!(self.peek(), ' ' | '\t' | '\r' | '\n') {
            self.skip();
        }
    }

    fn error(&self, message: impl std::fmt::Display) -> SyntaxError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: usize, message: impl std::fmt::Display) -> SyntaxError {
        let before = &self.chars[..pos.min(self.chars.len())];
        let line = 1 + before.iter().filter(|c| **c == '\n').count();
        let column = 1 + before.iter().rev().take_while(|c| **c != '\n').count();
        let near: String = self.chars[pos.min(self.chars.len())..].iter().collect();
        SyntaxError {
            message: format!(
                "Syntax error at line {line} column {column}, near `{near}`: {message}; expression: {}",
                self.expression
            ),
            line,
            column,
            detail: message.to_string(),
        }
    }

    fn expect(&mut self, c: char) -> Result<()> {
        if self.peek() == c && !self.eof() {
            self.skip();
            Ok(())
        } else {
            Err(self.error(format!("Expected: '{c}', but found '{}'", self.shown())))
        }
    }

    fn expect_one_of(&mut self, options: &[char]) -> Result<char> {
        let c = self.peek();
        if !self.eof() && options.contains(&c) {
            self.skip();
            return Ok(c);
        }
        let listed: Vec<String> = options.iter().map(|o| format!("'{o}'")).collect();
        Err(self.error(format!(
            "Found '{}', but expected one of the following tokens: {}",
            self.shown(),
            listed.join(" ")
        )))
    }

    fn identifier(&mut self) -> Result<String> {
        let start = self.pos;
        let invalid = |p: &Self| {
            p.error(format!(
                "Expected a valid identifier character, but found '{}'",
                p.shown()
            ))
        };
        if self.peek() == '_' {
            while self.peek() == '_' {
                self.skip();
            }
            if !is_identifier_char(self.peek()) {
                return Err(invalid(self));
            }
        } else if !self.peek().is_ascii_alphabetic() {
            return Err(invalid(self));
        }
        self.skip();
        while is_identifier_char(self.peek()) {
            self.skip();
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    /// `selector *(selector)` up to `,`, `]`, `)` or the end.
    fn sequence(&mut self) -> Result<Seq> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error(format!(
                "Selector exceeds the maximum allowed nesting depth of {MAX_NESTING}"
            )));
        }
        let mut seq = Vec::new();
        if let Some(s) = self.selector()? {
            seq.push(s);
        }
        self.ws();
        while !self.eof() && !matches!(self.peek(), ',' | ']' | ')') {
            if let Some(s) = self.selector()? {
                seq.push(s);
            }
            self.ws();
        }
        self.depth -= 1;
        Ok(seq)
    }

    /// One selector; `None` for `*`, which passes every shape on.
    fn selector(&mut self) -> Result<Option<Sel>> {
        self.ws();
        let c = self.peek();
        if self.eof() {
            return Err(self.error("Unexpected selector EOF"));
        }
        Ok(Some(match c {
            ':' => {
                self.skip();
                self.function()?
            }
            '[' => {
                self.skip();
                if self.peek() == '@' {
                    self.skip();
                    self.scoped_attribute()?
                } else {
                    self.attribute()?
                }
            }
            '>' => {
                self.skip();
                Sel::Neighbor {
                    reverse: false,
                    labels: None,
                }
            }
            '<' => {
                self.skip();
                if self.peek() == '-' {
                    self.skip();
                    self.expect('[')?;
                    let labels = self.relationship_labels()?;
                    self.expect('-')?;
                    Sel::Neighbor {
                        reverse: true,
                        labels: Some(labels),
                    }
                } else {
                    Sel::Neighbor {
                        reverse: true,
                        labels: None,
                    }
                }
            }
            '~' => {
                self.skip();
                self.expect('>')?;
                Sel::RecursiveNeighbor
            }
            '-' => {
                self.skip();
                self.expect('[')?;
                let labels = self.relationship_labels()?;
                self.expect('-')?;
                self.expect('>')?;
                Sel::Neighbor {
                    reverse: false,
                    labels: Some(labels),
                }
            }
            '*' => {
                self.skip();
                return Ok(None);
            }
            '$' => {
                self.skip();
                self.variable()?
            }
            c if is_identifier_start(c) => {
                let word = self.identifier()?;
                Sel::Type(match word.as_str() {
                    "number" => TypeTest::Number,
                    "simpleType" => TypeTest::Simple,
                    "collection" => TypeTest::Collection,
                    "aggregateType" => TypeTest::Aggregate,
                    "serviceType" => TypeTest::ServiceType,
                    "dataType" => TypeTest::Data,
                    "member" => TypeTest::Member,
                    other => match ShapeType::from_keyword(other) {
                        Some(t) => TypeTest::Exact(t),
                        None => return Err(self.error(format!("Unknown shape type: {other}"))),
                    },
                })
            }
            c => return Err(self.error(format!("Unexpected selector character: {c}"))),
        }))
    }

    fn variable_slot(&mut self, name: String) -> usize {
        match self.variables.iter().position(|v| *v == name) {
            Some(i) => i,
            None => {
                self.variables.push(name);
                self.variables.len() - 1
            }
        }
    }

    fn variable(&mut self) -> Result<Sel> {
        self.ws();
        if self.peek() == '{' {
            self.skip();
            self.ws();
            let name = self.identifier()?;
            self.ws();
            self.expect('}')?;
            return Ok(Sel::VarGet(self.variable_slot(name)));
        }
        let name = self.identifier()?;
        self.ws();
        self.expect('(')?;
        self.ws();
        let seq = self.sequence()?;
        self.ws();
        self.expect(')')?;
        let slot = self.variable_slot(name);
        Ok(Sel::VarStore(slot, seq))
    }

    /// `label *("," label) "]"`; unknown labels are kept (they match nothing), as the reference
    /// only warns about them.
    fn relationship_labels(&mut self) -> Result<Vec<String>> {
        let mut labels = Vec::new();
        loop {
            self.ws();
            labels.push(self.identifier()?);
            self.ws();
            if self.expect_one_of(&[']', ','])? == ']' {
                return Ok(labels);
            }
        }
    }

    fn function(&mut self) -> Result<Sel> {
        let start = self.pos;
        let name = self.identifier()?;
        self.ws();
        self.expect('(')?;
        let mut args = Vec::new();
        loop {
            args.push(self.sequence()?);
            self.ws();
            if self.expect_one_of(&[')', ','])? == ')' {
                break;
            }
        }
        let single = |p: &Self, args: &mut Vec<Seq>| -> Result<Seq> {
            if args.len() == 1 {
                Ok(args.pop().unwrap_or_default())
            } else {
                Err(p.error_at(
                    start,
                    format!("The :{name} function requires a single selector argument"),
                ))
            }
        };
        Ok(match name.as_str() {
            "not" => Sel::Not(single(self, &mut args)?),
            "test" => Sel::Test(args),
            "is" | "each" => Sel::Is(args),
            "in" => Sel::In(single(self, &mut args)?),
            "root" => {
                let seq = single(self, &mut args)?;
                self.roots.push(seq);
                Sel::Root(self.roots.len() - 1)
            }
            "recursive" => Sel::Recursive(single(self, &mut args)?),
            "topdown" => {
                if args.len() > 2 {
                    return Err(self.error_at(
                        start,
                        format!(
                            "The :topdown function accepts 1 or 2 selectors, but found {}",
                            args.len()
                        ),
                    ));
                }
                let disqualifier = (args.len() == 2).then(|| args.pop().unwrap_or_default());
                Sel::TopDown(args.pop().unwrap_or_default(), disqualifier)
            }
            _ => Sel::Nothing,
        })
    }

    fn attribute(&mut self) -> Result<Sel> {
        self.ws();
        let path = self.attribute_path()?;
        self.ws();
        // Projection comparators (`{=}` …) are only for scoped attributes, as in the reference.
        let c = self.expect_one_of(&[']', '=', '!', '^', '$', '*', '?', '>', '<'])?;
        if c == ']' {
            return Ok(Sel::Attribute {
                path,
                comparison: None,
            });
        }
        let comparator = self.comparator(c)?;
        let mut values = vec![self.attribute_value()?];
        self.ws();
        while self.peek() == ',' {
            self.skip();
            values.push(self.attribute_value()?);
            self.ws();
        }
        let case_insensitive = self.case_insensitive();
        self.expect(']')?;
        Ok(Sel::Attribute {
            path,
            comparison: Some((comparator, values, case_insensitive)),
        })
    }

    fn case_insensitive(&mut self) -> bool {
        self.ws();
        let yes = self.peek() == 'i';
        if yes {
            self.skip();
            self.ws();
        }
        yes
    }

    fn comparator(&mut self, first: char) -> Result<Comparator> {
        let c = match first {
            '=' => Comparator::Equals,
            '!' | '^' | '$' | '*' | '?' => {
                self.expect('=')?;
                match first {
                    '!' => Comparator::NotEquals,
                    '^' => Comparator::StartsWith,
                    '$' => Comparator::EndsWith,
                    '*' => Comparator::Contains,
                    _ => Comparator::Exists,
                }
            }
            '>' if self.peek() == '=' => {
                self.skip();
                Comparator::GreaterOrEqual
            }
            '>' => Comparator::Greater,
            '<' if self.peek() == '=' => {
                self.skip();
                Comparator::LessOrEqual
            }
            '<' => Comparator::Less,
            '{' => {
                let c = match self.expect_one_of(&['<', '=', '!'])? {
                    '<' if self.peek() == '<' => {
                        self.skip();
                        Comparator::ProperSubset
                    }
                    '<' => Comparator::Subset,
                    '=' => Comparator::SetEquals,
                    _ => {
                        self.expect('=')?;
                        Comparator::SetNotEquals
                    }
                };
                self.expect('}')?;
                c
            }
            other => {
                return Err(self.error(format!("Unknown attribute comparator token '{other}'")))
            }
        };
        self.ws();
        Ok(c)
    }

    fn scoped_attribute(&mut self) -> Result<Sel> {
        self.ws();
        let path = self.attribute_path()?;
        self.ws();
        self.expect(':')?;
        self.ws();
        let mut assertions = vec![self.scoped_assertion()?];
        self.ws();
        while self.peek() == '&' {
            self.expect('&')?;
            self.expect('&')?;
            self.ws();
            assertions.push(self.scoped_assertion()?);
        }
        self.expect(']')?;
        Ok(Sel::Scoped { path, assertions })
    }

    fn scoped_assertion(&mut self) -> Result<Assertion> {
        let lhs = self.scoped_value()?;
        let next = self.peek();
        if self.eof() {
            return Err(self.error("Unexpected selector EOF"));
        }
        self.skip();
        let comparator = self.comparator(next)?;
        let mut rhs = vec![self.scoped_value()?];
        while self.peek() == ',' {
            self.skip();
            rhs.push(self.scoped_value()?);
        }
        let case_insensitive = self.case_insensitive();
        Ok(Assertion {
            lhs,
            comparator,
            rhs,
            case_insensitive,
        })
    }

    fn scoped_value(&mut self) -> Result<ScopedValue> {
        self.ws();
        let value = if self.peek() == '@' {
            self.skip();
            self.expect('{')?;
            let mut path = vec![self.path_segment()?];
            path.extend(self.path_rest()?);
            self.expect('}')?;
            ScopedValue::Path(path)
        } else {
            ScopedValue::Literal(self.attribute_value()?)
        };
        self.ws();
        Ok(value)
    }

    /// `name *("|" segment)`; `[@:` has the empty path (the shape itself).
    fn attribute_path(&mut self) -> Result<Vec<String>> {
        self.ws();
        if self.peek() == ':' {
            return Ok(Vec::new());
        }
        let mut path = vec![self.identifier()?];
        path.extend(self.path_rest()?);
        Ok(path)
    }

    fn path_rest(&mut self) -> Result<Vec<String>> {
        self.ws();
        let mut out = Vec::new();
        while self.peek() == '|' {
            self.skip();
            out.push(self.path_segment()?);
        }
        Ok(out)
    }

    /// A quoted string, number, shape ID or `(function)` key.
    fn path_segment(&mut self) -> Result<String> {
        self.ws();
        if self.peek() == '(' {
            self.skip();
            let name = self.identifier()?;
            self.expect(')')?;
            return Ok(format!("({name})"));
        }
        self.attribute_value()
    }

    fn attribute_value(&mut self) -> Result<String> {
        self.ws();
        match self.peek() {
            q @ ('\'' | '"') => {
                self.skip();
                let start = self.pos;
                while !self.eof() {
                    if self.peek() == q {
                        let value: String = self.chars[start..self.pos].iter().collect();
                        self.skip();
                        self.ws();
                        return Ok(value);
                    }
                    self.skip();
                }
                let rest: String = self.chars[start..].iter().collect();
                Err(self.error(format!("Expected {q} to close {rest}")))
            }
            '-' | '0'..='9' => self.number(),
            _ => self.root_shape_id(),
        }
    }

    fn number(&mut self) -> Result<String> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.peek().is_ascii_digit() {
                p.skip();
            }
            p.pos - from
        };
        let invalid = |p: &Self, why: &str| {
            let lexeme: String = p.chars[start..p.pos].iter().collect();
            p.error(format!("Invalid number '{lexeme}': {why}"))
        };
        if self.peek() == '-' {
            self.skip();
            if !self.peek().is_ascii_digit() {
                return Err(invalid(self, "'-' must be followed by a digit"));
            }
        }
        digits(self);
        if self.peek() == '.' {
            self.skip();
            if digits(self) == 0 {
                return Err(invalid(self, "'.' must be followed by a digit"));
            }
        }
        if matches!(self.peek(), 'e' | 'E') {
            self.skip();
            if matches!(self.peek(), '+' | '-') {
                self.skip();
            }
            if digits(self) == 0 {
                return Err(invalid(
                    self,
                    "'e', '+', and '-' must be followed by a digit",
                ));
            }
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    /// `namespace#Name` or a bare identifier (no member).
    fn root_shape_id(&mut self) -> Result<String> {
        let start = self.pos;
        self.identifier()?;
        while self.peek() == '.' {
            self.skip();
            self.identifier()?;
        }
        if self.peek() == '#' {
            self.skip();
            self.identifier()?;
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }
}
