//! The IDL parser: statements and node values, over a cursor that uses the combinators of
//! [`lexeme`](super::lexeme) for the tokens. The grammar we accept is `grammars/smithy-idl.abnf`.
//!
//! A syntax error is reported where the offending token starts, saying what was expected and
//! what was found; the statement is dropped and parsing resumes at the next line that can start
//! a statement (as the reference's error recovery does). Version-gated features are reported
//! and parsing goes on.

use super::ast::*;
use super::lexeme;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceText;
use std::collections::HashSet;

/// How a text is parsed.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// The version of a text without `$version`.
    pub default_version: IdlVersion,
    /// The namespace of a text without a `namespace` statement (a Markdown block continuing
    /// the previous block of its plan).
    pub inherited_namespace: Option<String>,
}

struct SyntaxError {
    at: usize,
    end: usize,
    message: String,
    help: Option<String>,
    code: Code,
}

type PResult<T> = Result<T, SyntaxError>;

/// Parses one IDL text. Always returns a file (possibly partial) and the problems found.
pub fn parse_idl(source: &SourceText, options: &ParseOptions) -> (IdlFile, Vec<Diagnostic>) {
    let mut parser = Cursor {
        control_seen: HashSet::new(),
        src: &source.text,
        pos: 0,
        depth: 0,
        docs: Vec::new(),
        stray_docs: Vec::new(),
        stray_docs_queued_until: 0,
        last_ws_end: usize::MAX,
        diagnostics: Vec::new(),
        source,
        file: IdlFile {
            version: options.default_version,
            control: Vec::new(),
            metadata: Vec::new(),
            namespace: None,
            namespace_declared: false,
            uses: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
            operation_input_suffix: "Input".to_string(),
            operation_output_suffix: "Output".to_string(),
            dropped: Vec::new(),
            dropped_trait_values: Vec::new(),
        },
        trait_bodies: Vec::new(),
    };
    parser.idl(options);
    (parser.file, parser.diagnostics)
}

/// How deep arrays and objects may nest in a node value.
const MAX_NESTING: usize = 128;

/// The sections of a text, in the order they must come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Control,
    Metadata,
    Namespace,
    Use,
    Shapes,
}

/// The features of IDL 2.0 that the parser finds in a 1.0 file.
#[derive(Clone, Copy)]
enum Feature {
    ForResource,
    ElidedMember,
    Mixins,
}

struct Cursor<'a> {
    control_seen: HashSet<String>,
    src: &'a str,
    pos: usize,
    depth: usize,
    /// Documentation comment lines seen since the last token.
    docs: Vec<(String, ByteRange)>,
    /// Every `///` line passed since documentation was last taken or reported, wherever it
    /// stands: the reference queues them all and warns about those that end up attached to
    /// nothing (at a statement's end, before `{`, after a member's traits, before `}`).
    stray_docs: Vec<(String, ByteRange)>,
    /// `///` lines before this offset are already queued (a statement's trailing comment).
    stray_docs_queued_until: usize,
    last_ws_end: usize,
    diagnostics: Vec<Diagnostic>,
    source: &'a SourceText,
    file: IdlFile,
    /// Where each trait value the current statement has read opens (its `(`): read again,
    /// only when the statement fails, for `IdlFile::dropped_trait_values`.
    trait_bodies: Vec<usize>,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    /// Runs a nom combinator at the cursor; advances on success.
    fn lex(&mut self, p: fn(&str) -> nom::IResult<&str, &str>) -> Option<(&'a str, ByteRange)> {
        let start = self.pos;
        let (rest, out) = p(self.rest()).ok()?;
        self.pos = self.src.len() - rest.len();
        Some((out, start..self.pos))
    }

    fn describe_at(&self, at: usize) -> (String, usize) {
        let rest = &self.src[at.min(self.src.len())..];
        let Some(c) = rest.chars().next() else {
            return ("end of input".to_string(), at);
        };
        if c == '\n' || c == '\r' {
            return ("a line break".to_string(), at + 1);
        }
        if rest.starts_with("\"\"\"") {
            return ("a text block".to_string(), at + 3);
        }
        if c == '"' {
            return ("a string".to_string(), at + 1);
        }
        if let Ok((r, word)) = lexeme::identifier(rest) {
            return (format!("`{word}`"), self.src.len() - r.len());
        }
        if c.is_ascii_digit() || c == '-' {
            if let Ok((r, n)) = lexeme::number_token(rest) {
                return (format!("number `{n}`"), self.src.len() - r.len());
            }
        }
        if rest.starts_with(":=") {
            return ("`:=`".to_string(), at + 2);
        }
        (format!("`{c}`"), at + c.len_utf8())
    }

    fn describe_position(&self, at: usize) -> String {
        let (line, column) = self.source.position(at);
        format!("line {line}, column {column}")
    }

    fn error_at(&self, at: usize, expected: &str) -> SyntaxError {
        let (found, end) = self.describe_at(at);
        SyntaxError {
            at,
            end,
            message: format!("expected {expected}, found {found}"),
            help: None,
            code: Code::SmithySyntax,
        }
    }

    fn error(&self, expected: &str) -> SyntaxError {
        self.error_at(self.pos, expected)
    }

    /// A message worded as the reference words its IDL syntax errors, for the errors whose
    /// text we take from it: `Syntax error at line L, column C: text`, at our place in the file.
    fn reference_syntax_error(&self, at: usize, text: &str) -> String {
        let (line, column) = self.source.position(at);
        format!("Syntax error at line {line}, column {column}: {text}")
    }

    fn fail(&self, code: Code, range: ByteRange, message: String) -> SyntaxError {
        SyntaxError {
            at: range.start,
            end: range.end,
            message,
            help: None,
            code,
        }
    }

    /// A non-fatal problem: reported, and parsing goes on.
    fn report(&mut self, code: Code, severity: Severity, range: ByteRange, message: String) {
        let d = self
            .source
            .diagnostic(code, message, range)
            .with_severity(severity);
        self.diagnostics.push(d);
    }

    /// A feature of IDL 2.0 used in a 1.0 file, reported in the reference's words.
    fn gate_v2(&mut self, range: ByteRange, feature: Feature) {
        if self.file.version != IdlVersion::V1 {
            return;
        }
        let message = match feature {
            Feature::ForResource => "Structures can only be bound to resources with Smithy version 2 or later. Attempted to bind a structure to a resource with version `1.0`.".to_string(),
            Feature::ElidedMember => "Members can only elide targets in IDL version 2 or later".to_string(),
            Feature::Mixins => self.reference_syntax_error(
                range.start,
                "Mixins can only be used with Smithy version 2 or later. Attempted to use mixins with version `1.0`.",
            ),
        };
        self.report(
            Code::WrongIdlVersionFeature,
            Severity::Error,
            range,
            message,
        );
    }

    /// `SP`: spaces and tabs.
    fn sp(&mut self) -> bool {
        let start = self.pos;
        let n = self
            .rest()
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        self.pos += n;
        self.pos > start
    }

    /// `WS`: spaces, line breaks, commas and comments. Collects documentation comments.
    fn ws(&mut self) {
        if self.pos != self.last_ws_end {
            self.docs.clear();
        }
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => self.pos += 1,
                b'/' if bytes.get(self.pos + 1) == Some(&b'/') => {
                    let start = self.pos;
                    let end = self
                        .rest()
                        .find('\n')
                        .map_or(self.src.len(), |i| self.pos + i);
                    let line = self.src[start..end].trim_end_matches('\r');
                    self.queue_stray_doc(start, line);
                    // A documentation comment must start its line; one that ends a statement's
                    // line is an ordinary comment.
                    let line_start = self.src[..start]
                        .trim_end_matches([' ', '\t'])
                        .ends_with('\n')
                        || self.src[..start].trim_end_matches([' ', '\t']).is_empty();
                    if let Some(doc) = line.strip_prefix("///").filter(|_| line_start) {
                        let doc = doc.strip_prefix(' ').unwrap_or(doc);
                        self.docs.push((doc.to_string(), start..start + line.len()));
                    }
                    self.pos = end;
                }
                _ => break,
            }
        }
        self.last_ws_end = self.pos;
    }

    /// Queues a `///` line (once) for the stray documentation warning.
    fn queue_stray_doc(&mut self, start: usize, line: &str) {
        if start < self.stray_docs_queued_until {
            return;
        }
        if let Some(doc) = line.strip_prefix("///") {
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            self.stray_docs
                .push((doc.to_string(), start..start + line.len()));
            self.stray_docs_queued_until = start + line.len();
        }
    }

    /// Warns about the queued `///` lines, which documented nothing (the reference's
    /// `Model.BadDocumentationComment`), and empties the queue.
    fn report_stray_docs(&mut self) {
        let (Some(first), Some(last)) = (self.stray_docs.first(), self.stray_docs.last()) else {
            return;
        };
        let range = first.1.start..last.1.end;
        let lines: Vec<String> = self.stray_docs.drain(..).map(|(t, _)| t).collect();
        self.report(
            Code::BadDocumentationComment,
            Severity::Warning,
            range,
            format!(
                "Found documentation comments ('///') attached to nothing. Documentation comments \
                 must appear on their own lines, directly before shapes and members, and before \
                 any traits. The invalid comments were: {}",
                lines.join("\n")
            ),
        );
    }

    /// At a statement's line break: a `///` comment ending the line is queued too, then the
    /// queue is reported, as the reference does at each `BR`.
    fn report_stray_docs_at_line_end(&mut self) {
        if self.starts_with("///") {
            let end = self
                .rest()
                .find('\n')
                .map_or(self.src.len(), |i| self.pos + i);
            let line = self.src[self.pos..end].trim_end_matches('\r');
            self.queue_stray_doc(self.pos, line);
        }
        self.report_stray_docs();
    }

    /// Takes the documentation comments that precede a shape or member; whatever `///` lines
    /// were queued become its documentation (or, not starting their lines, are dropped), as the
    /// reference consumes its whole queue there.
    fn take_docs(&mut self) -> Option<(String, ByteRange)> {
        self.stray_docs.clear();
        if self.pos != self.last_ws_end || self.docs.is_empty() {
            self.docs.clear();
            return None;
        }
        let docs = std::mem::take(&mut self.docs);
        let range = docs[0].1.start..docs[docs.len() - 1].1.end;
        let text = docs
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join("\n");
        Some((text, range))
    }

    /// `BR`: the end of a statement: a line break or comment (or the end of the text), then
    /// whitespace.
    fn br(&mut self) -> PResult<()> {
        self.sp();
        if !(self.at_eof()
            || self.starts_with("\n")
            || self.starts_with("\r\n")
            || self.starts_with("//"))
        {
            return Err(self.error("a line break"));
        }
        self.report_stray_docs_at_line_end();
        self.ws();
        Ok(())
    }

    fn expect_char(&mut self, c: char) -> PResult<()> {
        if c == ':' && self.starts_with(":=") {
            return Err(self.error("`:`"));
        }
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            Ok(())
        } else {
            Err(self.error(&format!("`{c}`")))
        }
    }

    fn identifier(&mut self) -> PResult<(String, ByteRange)> {
        let start = self.pos;
        self.id_part()?;
        Ok((self.src[start..self.pos].to_string(), start..self.pos))
    }

    /// Whether the next token is the keyword `word` (keywords are not reserved, so this is an
    /// identifier comparison).
    fn peek_keyword(&self, word: &str) -> bool {
        matches!(lexeme::identifier(self.rest()), Ok((_, w)) if w == word)
    }

    /// One identifier of a shape ID; the error points where the reference's tokenizer stops.
    fn id_part(&mut self) -> PResult<()> {
        if self.lex(lexeme::identifier).is_some() {
            return Ok(());
        }
        let underscores = self.rest().bytes().take_while(|b| *b == b'_').count();
        if underscores > 0 {
            return Err(self.error_at(self.pos + underscores, "a letter or digit after `_`"));
        }
        Err(self.error("an identifier"))
    }

    /// `Namespace "#" Identifier` or `Identifier`, without a member.
    fn root_shape_id(&mut self, absolute: bool) -> PResult<()> {
        self.id_part()?;
        let mut dotted = false;
        while self.peek() == Some('.') {
            self.pos += 1;
            dotted = true;
            self.id_part()?;
        }
        if self.peek() == Some('#') {
            self.pos += 1;
            self.id_part()?;
        } else if dotted || absolute {
            return Err(self.error("`#` after the namespace of a shape ID"));
        }
        Ok(())
    }

    fn shape_id(&mut self) -> PResult<ShapeRef> {
        let start = self.pos;
        self.root_shape_id(false)?;
        if self.peek() == Some('$') {
            self.pos += 1;
            self.id_part()?;
        }
        Ok(ShapeRef {
            id: self.src[start..self.pos].to_string(),
            range: start..self.pos,
        })
    }

    /// The whole text, statement by statement. After a syntax error the parser skips to the
    /// next line that starts with `$`, `@`, `///` or an identifier and goes on from there, so
    /// that one mistake does not hide the rest of the text.
    fn idl(&mut self, options: &ParseOptions) {
        if self.starts_with("\u{feff}") {
            self.pos += 3;
        }
        self.ws();
        let mut phase = Phase::Control;
        while !self.at_eof() {
            let statement_start = self.pos;
            self.trait_bodies.clear();
            if let Err(e) = self.statement(options, &mut phase) {
                let fatal = e.code == Code::ShapesWithoutNamespace;
                let at = e.at;
                let mut d = self.source.diagnostic(e.code, e.message, e.at..e.end);
                d.help = e.help;
                self.diagnostics.push(d);
                self.keep_dropped_trait_values();
                let resumed = !fatal && self.recover(at);
                let dropped_end = if resumed { self.pos } else { self.src.len() };
                self.file.dropped.push(statement_start.min(at)..dropped_end);
                if !resumed {
                    break;
                }
            }
        }
        // Comments at the end of the text; the reference checks for them only once a `use`
        // or shape statement has been read.
        let statement_read = !(self.file.uses.is_empty()
            && self.file.shapes.is_empty()
            && self.file.applies.is_empty());
        if statement_read {
            self.report_stray_docs();
        }
    }

    /// Reads again the trait values the failed statement had read (they parsed once, so they
    /// parse again), leaving the cursor as it was; `recover` moves it on.
    fn keep_dropped_trait_values(&mut self) {
        let opens = std::mem::take(&mut self.trait_bodies);
        if opens.is_empty() {
            return;
        }
        let saved = (
            self.pos,
            self.depth,
            self.docs.clone(),
            self.stray_docs.clone(),
            self.stray_docs_queued_until,
            self.last_ws_end,
            self.diagnostics.len(),
        );
        for open in opens {
            self.pos = open + 1;
            self.ws();
            if let Ok(value) = self.trait_body(open) {
                self.file.dropped_trait_values.push(value);
            }
        }
        let (pos, depth, docs, stray, queued, last_ws, diagnostics) = saved;
        (self.pos, self.depth, self.docs, self.stray_docs) = (pos, depth, docs, stray);
        (self.stray_docs_queued_until, self.last_ws_end) = (queued, last_ws);
        self.diagnostics.truncate(diagnostics);
    }

    /// Moves to the start of the next line (after `at`) that can begin a statement.
    fn recover(&mut self, at: usize) -> bool {
        self.pos = at.min(self.src.len());
        loop {
            match self.rest().find('\n') {
                None => {
                    self.pos = self.src.len();
                    return false;
                }
                Some(i) => self.pos += i + 1,
            }
            let rest = self.rest();
            if rest.starts_with(['$', '@'])
                || rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                || rest.starts_with("///")
            {
                self.docs.clear();
                self.stray_docs.clear();
                self.last_ws_end = usize::MAX;
                self.ws();
                return true;
            }
        }
    }

    /// Whether the next token is the statement keyword `word`; consumes it and the space that
    /// must follow.
    fn statement_keyword(&mut self, word: &str) -> PResult<bool> {
        if !self.peek_keyword(word) {
            return Ok(false);
        }
        let save = self.pos;
        self.pos += word.len();
        if !self.sp() {
            let e = self.error(&format!("a space after `{word}`"));
            self.pos = save;
            return Err(e);
        }
        self.pos = save;
        Ok(true)
    }

    fn out_of_order(&self, what: &str, before: &str) -> SyntaxError {
        let (_, end) = self.describe_at(self.pos);
        self.fail(
            Code::SmithySyntax,
            self.pos..end,
            format!("{what} must come before {before}"),
        )
    }

    fn statement(&mut self, options: &ParseOptions, phase: &mut Phase) -> PResult<()> {
        if self.peek() == Some('$') && *phase == Phase::Control {
            return self.control_statement();
        }
        if self.peek() == Some('$') {
            return Err(self.out_of_order(
                "control statements",
                "metadata, namespace, use and shape statements",
            ));
        }
        if self.statement_keyword("metadata")? {
            if *phase > Phase::Metadata {
                return Err(self.out_of_order(
                    "metadata statements",
                    "the namespace, use and shape statements",
                ));
            }
            *phase = Phase::Metadata;
            return self.metadata_statement();
        }
        if self.statement_keyword("namespace")? {
            if *phase > Phase::Metadata {
                return Err(self.fail(
                    Code::SmithySyntax,
                    self.pos..self.pos + "namespace".len(),
                    "a text can have only one namespace statement, before its use and shape statements"
                        .to_string(),
                ));
            }
            *phase = Phase::Namespace;
            self.pos += "namespace".len();
            self.sp();
            let ns_start = self.pos;
            self.id_part()?;
            while self.peek() == Some('.') {
                self.pos += 1;
                self.id_part()?;
            }
            self.file.namespace = Some(self.src[ns_start..self.pos].to_string());
            self.file.namespace_declared = true;
            return self.br();
        }
        if *phase < Phase::Namespace {
            // Shapes (or `use`) without a namespace statement of their own.
            match &options.inherited_namespace {
                Some(ns) => self.file.namespace = Some(ns.clone()),
                None => {
                    let mut e = self.error("a namespace statement");
                    e.code = Code::ShapesWithoutNamespace;
                    e.help = Some(
                        "start the shapes with `namespace com.example` (a Markdown block may omit \
                         it only when an earlier smithy block of the same plan declares one)"
                            .to_string(),
                    );
                    return Err(e);
                }
            }
            *phase = Phase::Namespace;
        }
        if self.statement_keyword("use")? {
            if *phase > Phase::Use {
                return Err(self.out_of_order("use statements", "shape statements"));
            }
            *phase = Phase::Use;
            self.pos += 3;
            self.sp();
            let start = self.pos;
            self.root_shape_id(true)?;
            self.file.uses.push(ShapeRef {
                id: self.src[start..self.pos].to_string(),
                range: start..self.pos,
            });
            return self.br();
        }
        *phase = Phase::Shapes;
        self.shape_or_apply()?;
        self.br()
    }

    fn control_statement(&mut self) -> PResult<()> {
        let start = self.pos;
        self.pos += 1;
        let (key, _) = self.node_object_key()?;
        self.sp();
        self.expect_char(':')?;
        self.sp();
        let value = self.node_value()?;
        let range = start..value.range.end;
        self.br()?;
        if !self.control_seen.insert(key.clone()) {
            return Err(self.fail(
                Code::BadControlStatement,
                value.range.clone(),
                format!("duplicate control statement `{key}`"),
            ));
        }
        match key.as_str() {
            "version" => match &value.kind {
                NodeKind::String(v) => match v.as_str() {
                    "1" | "1.0" => self.file.version = IdlVersion::V1,
                    "2" | "2.0" => self.file.version = IdlVersion::V2,
                    _ => {
                        return Err(self.fail(
                            Code::BadVersion,
                            value.range.end..value.range.end,
                            format!("unsupported Smithy version number: `{v}`"),
                        ))
                    }
                },
                _ => {
                    return Err(self.fail(
                        Code::BadVersion,
                        value.range.clone(),
                        format!(
                            "The $version control statement must have a string value, but found {}",
                            &self.src[value.range.clone()]
                        ),
                    ))
                }
            },
            "operationInputSuffix" | "operationOutputSuffix" => match &value.kind {
                NodeKind::String(s) => {
                    if key == "operationInputSuffix" {
                        self.file.operation_input_suffix = s.clone();
                    } else {
                        self.file.operation_output_suffix = s.clone();
                    }
                }
                _ => {
                    return Err(self.fail(
                        Code::BadControlStatement,
                        value.range.clone(),
                        format!("the ${key} control statement needs a string value"),
                    ))
                }
            },
            _ => self.report(
                Code::BadControlStatement,
                Severity::Warning,
                range,
                format!("unknown control statement `{key}`"),
            ),
        }
        self.file.control.push((key, value));
        Ok(())
    }

    fn metadata_statement(&mut self) -> PResult<()> {
        self.pos += "metadata".len();
        if !self.sp() {
            return Err(self.error("a space after `metadata`"));
        }
        let (key, key_range) = self.node_object_key()?;
        self.sp();
        self.expect_char('=')?;
        self.sp();
        let value = self.node_value()?;
        self.file.metadata.push((key, key_range, value));
        self.br()
    }

    /// Whether a quoted string or identifier (a possible object key) starts here.
    fn at_object_key(&self) -> bool {
        (self.peek() == Some('"') && !self.starts_with("\"\"\""))
            || lexeme::identifier(self.rest()).is_ok()
    }

    fn node_object_key(&mut self) -> PResult<(String, ByteRange)> {
        if self.starts_with("\"") && !self.starts_with("\"\"\"") {
            let node = self.quoted_text()?;
            let range = node.range.clone();
            return Ok((node.as_str().unwrap_or_default().to_string(), range));
        }
        match self.lex(lexeme::identifier) {
            Some((id, range)) => Ok((id.to_string(), range)),
            None => Err(self.error("a string or identifier key")),
        }
    }

    fn node_value(&mut self) -> PResult<Node> {
        // Nesting is bounded so that hostile input cannot exhaust the stack.
        if self.depth >= MAX_NESTING {
            return Err(self.fail(
                Code::SmithySyntax,
                self.pos..self.pos + 1,
                format!("node values nested deeper than {MAX_NESTING} levels"),
            ));
        }
        self.depth += 1;
        let value = self.node_value_inner();
        self.depth -= 1;
        value
    }

    fn node_value_inner(&mut self) -> PResult<Node> {
        let start = self.pos;
        match self.peek() {
            Some('[') => {
                self.pos += 1;
                self.ws();
                let mut items = Vec::new();
                while self.peek() != Some(']') {
                    if self.at_eof() {
                        return Err(self.error("`]`"));
                    }
                    items.push(self.node_value()?);
                    self.ws();
                }
                self.pos += 1;
                Ok(Node {
                    kind: NodeKind::Array(items),
                    range: start..self.pos,
                })
            }
            Some('{') => self.node_object(),
            Some('"') if self.starts_with("\"\"\"") => self.text_block(),
            Some('"') => self.quoted_text(),
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let (token, range) = self
                    .lex(lexeme::number_token)
                    .ok_or_else(|| self.error("a number"))?;
                match lexeme::number(token) {
                    Ok(("", _)) => Ok(Node {
                        kind: NodeKind::Number(token.to_string()),
                        range,
                    }),
                    _ => Err(self.fail(Code::SmithySyntax, range, lexeme::number_problem(token))),
                }
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let id = self.shape_id()?;
                let kind = match id.id.as_str() {
                    "true" => NodeKind::Bool(true),
                    "false" => NodeKind::Bool(false),
                    "null" => NodeKind::Null,
                    _ => NodeKind::ShapeId(id.id),
                };
                Ok(Node {
                    kind,
                    range: id.range,
                })
            }
            _ => {
                Err(self.error("a node value (string, text block, number, identifier, `{` or `[`)"))
            }
        }
    }

    /// `key: value` entries up to (not including) `close`, shared by node objects and
    /// structured trait values; a key given twice is an error at its second place.
    fn object_entries(&mut self, close: char, expected: &str) -> PResult<Vec<ObjectEntry>> {
        let mut entries: Vec<ObjectEntry> = Vec::new();
        while self.peek() != Some(close) {
            if !self.at_object_key() {
                return Err(self.error(expected));
            }
            let (key, key_range) = self.node_object_key()?;
            self.ws();
            self.expect_char(':')?;
            self.ws();
            let value = self.node_value()?;
            if entries.iter().any(|e| e.key == key) {
                // The reference's words, which name a structured trait value's keys apart.
                let message = if close == ')' {
                    format!("Duplicate member of trait: '{key}'")
                } else {
                    format!("Duplicate member: '{key}'")
                };
                return Err(self.fail(Code::SmithySyntax, key_range, message));
            }
            entries.push(ObjectEntry {
                key,
                key_range,
                value,
            });
            self.ws();
        }
        Ok(entries)
    }

    fn node_object(&mut self) -> PResult<Node> {
        let start = self.pos;
        self.expect_char('{')?;
        self.ws();
        let entries = self.object_entries('}', "`}` or an object key")?;
        self.pos += 1;
        Ok(Node {
            kind: NodeKind::Object(entries),
            range: start..self.pos,
        })
    }

    /// The offset after the closing quote of the quoted string starting at `start`.
    fn quoted_end(&self, start: usize) -> Option<usize> {
        let bytes = self.src.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        (i < bytes.len()).then_some(i + 1)
    }

    fn quoted_text(&mut self) -> PResult<Node> {
        let start = self.pos;
        let body_start = start + 1;
        let bytes = self.src.as_bytes();
        let mut i = body_start;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        if i >= bytes.len() {
            let end = self.src.len();
            return Err(self.fail(
                Code::SmithySyntax,
                end..end,
                format!(
                    "unclosed string starting at {}: expected a closing `\"`, found end of input",
                    self.describe_position(start)
                ),
            ));
        }
        let raw = &self.src[body_start..i];
        let value = lexeme::unescape(raw).map_err(|(_, esc)| {
            self.fail(
                Code::SmithySyntax,
                start..i + 1,
                format!("invalid escape found in string: `{esc}`"),
            )
        })?;
        self.pos = i + 1;
        Ok(Node {
            kind: NodeKind::String(value),
            range: start..self.pos,
        })
    }

    fn text_block(&mut self) -> PResult<Node> {
        let start = self.pos;
        self.pos += 3;
        self.sp();
        if self.starts_with("\r\n") {
            self.pos += 2;
        } else if self.starts_with("\n") {
            self.pos += 1;
        } else {
            let message = if self.starts_with("\"\"\"") {
                "a text block cannot be empty: expected a line break after the opening `\"\"\"`"
            } else {
                "a text block must start with a line break after the opening `\"\"\"`"
            };
            return Err(self.fail(Code::SmithySyntax, start..self.pos, message.to_string()));
        }
        let body_start = self.pos;
        let bytes = self.src.as_bytes();
        let mut i = body_start;
        loop {
            if i >= bytes.len() {
                let end = self.src.len();
                return Err(self.fail(
                    Code::SmithySyntax,
                    end..end,
                    format!(
                        "unclosed text block starting at {}: expected a closing `\"\"\"`, found end of input",
                        self.describe_position(start)
                    ),
                ));
            }
            if bytes[i] == b'\\' {
                i += 2;
            } else if bytes[i..].starts_with(b"\"\"\"") {
                break;
            } else {
                i += 1;
            }
        }
        let body = lexeme::dedent_text_block(&self.src[body_start..i]);
        let value = lexeme::unescape(&body).map_err(|(_, esc)| {
            self.fail(
                Code::SmithySyntax,
                start..i + 3,
                format!("invalid escape found in text block: `{esc}`"),
            )
        })?;
        self.pos = i + 3;
        Ok(Node {
            kind: NodeKind::String(value),
            range: start..self.pos,
        })
    }

    /// `TraitStatements = *(Trait [WS])`.
    fn trait_statements(&mut self) -> PResult<Vec<TraitApplication>> {
        let mut traits = Vec::new();
        while self.peek() == Some('@') {
            traits.push(self.trait_application()?);
            self.ws();
        }
        Ok(traits)
    }

    fn trait_application(&mut self) -> PResult<TraitApplication> {
        let start = self.pos;
        self.pos += 1;
        let id = self.shape_id()?;
        let mut value = None;
        if self.peek() == Some('(') {
            let open = self.pos;
            self.pos += 1;
            self.ws();
            if self.peek() != Some(')') {
                value = Some(self.trait_body(open)?);
                self.trait_bodies.push(open);
            }
            self.expect_char(')')?;
        }
        Ok(TraitApplication {
            id,
            value,
            range: start..self.pos,
        })
    }

    /// The inside of `( ... )`: either `key: value` pairs (an object without braces) or one
    /// node value.
    fn trait_body(&mut self, open: usize) -> PResult<Node> {
        let save = self.pos;
        // A key is a quoted string or identifier followed by `:`; look ahead without building
        // the string.
        let key_end = if self.peek() == Some('"') && !self.starts_with("\"\"\"") {
            self.quoted_end(self.pos)
        } else {
            lexeme::identifier(self.rest())
                .ok()
                .filter(|(r, _)| !r.starts_with(['.', '#', '$']))
                .map(|(r, _)| self.src.len() - r.len())
        };
        if let Some(end) = key_end {
            let after = self.src[end..].trim_start_matches([' ', '\t', '\n', '\r', ',']);
            let structured = after.starts_with(':') || after.starts_with("//");
            let structured = structured && {
                self.pos = end;
                self.ws();
                let colon = self.peek() == Some(':');
                self.pos = save;
                self.last_ws_end = usize::MAX;
                colon
            };
            if structured {
                let entries = self.object_entries(')', "`)` or a key")?;
                return Ok(Node {
                    kind: NodeKind::Object(entries),
                    range: open..self.pos + 1,
                });
            }
        }
        let value = self.node_value()?;
        self.ws();
        Ok(value)
    }

    fn shape_or_apply(&mut self) -> PResult<()> {
        if self.peek_keyword("apply") {
            // The reference builds a warning for documentation before `apply` but never
            // emits it: the comments are dropped silently.
            self.stray_docs.clear();
            return self.apply_statement();
        }
        let start = self.pos;
        let documentation = self.take_docs();
        let traits = self.trait_statements()?;
        let Some((word, word_range)) = self.lex(lexeme::identifier) else {
            return Err(self.error("a shape definition"));
        };
        let Some(shape_type) = ShapeType::from_keyword(word) else {
            let message = if traits.is_empty() {
                format!("expected a shape type or `apply`, found `{word}`")
            } else {
                format!("expected a shape type after the traits, found `{word}`")
            };
            return Err(self.fail(Code::SmithySyntax, word_range, message));
        };
        match shape_type {
            ShapeType::Enum | ShapeType::IntEnum if self.file.version == IdlVersion::V1 => self
                .report(
                    Code::WrongIdlVersionFeature,
                    Severity::Error,
                    word_range.clone(),
                    format!("{word} shapes cannot be used in Smithy version 1.0"),
                ),
            ShapeType::Set if self.file.version == IdlVersion::V2 => self.report(
                Code::WrongIdlVersionFeature,
                Severity::Error,
                word_range.clone(),
                "set shapes cannot be used in Smithy version 2.0; use a list with @uniqueItems"
                    .to_string(),
            ),
            _ => {}
        }
        if !self.sp() {
            return Err(self.error("a space after the shape type"));
        }
        let (name, name_range) = self.identifier()?;
        let mut shape = ShapeDef {
            shape_type,
            name,
            name_range,
            range: start..start,
            documentation,
            traits,
            mixins: Vec::new(),
            for_resource: None,
            members: Vec::new(),
            entity_body: None,
            operation: None,
        };
        let aggregate = matches!(
            shape_type,
            ShapeType::List
                | ShapeType::Set
                | ShapeType::Map
                | ShapeType::Structure
                | ShapeType::Union
        );
        if aggregate {
            shape.for_resource = self.for_resource()?;
        }
        shape.mixins = self.mixins()?;
        match shape_type {
            t if t.is_simple() && !matches!(t, ShapeType::Enum | ShapeType::IntEnum) => {}
            ShapeType::Enum | ShapeType::IntEnum => {
                self.ws();
                shape.members = self.members(&shape.name, true)?;
            }
            ShapeType::Service | ShapeType::Resource => {
                self.ws();
                shape.entity_body = Some(self.node_object()?);
            }
            ShapeType::Operation => {
                self.ws();
                shape.operation = Some(self.operation_body(&shape.name)?);
            }
            _ => {
                self.ws();
                shape.members = self.members(&shape.name, false)?;
            }
        }
        shape.range = start..self.pos;
        self.file.shapes.push(shape);
        Ok(())
    }

    /// `ForResource = SP "for" SP ShapeId`.
    fn for_resource(&mut self) -> PResult<Option<ShapeRef>> {
        let save = self.pos;
        self.sp();
        if !self.peek_keyword("for") {
            self.pos = save;
            return Ok(None);
        }
        let kw = self.pos..self.pos + 3;
        self.pos += 3;
        if !self.sp() {
            return Err(self.error("a space after `for`"));
        }
        self.gate_v2(kw, Feature::ForResource);
        Ok(Some(self.shape_id()?))
    }

    /// `Mixins = [SP] "with" [WS] "[" [WS] 1*(ShapeId [WS]) "]"`.
    fn mixins(&mut self) -> PResult<Vec<ShapeRef>> {
        let save = self.pos;
        self.sp();
        if !self.peek_keyword("with") {
            self.pos = save;
            return Ok(Vec::new());
        }
        let kw = self.pos..self.pos + 4;
        self.pos += 4;
        self.gate_v2(kw, Feature::Mixins);
        self.ws();
        self.expect_char('[')?;
        self.ws();
        let mut mixins = Vec::new();
        while self.peek() != Some(']') {
            if self.at_eof() {
                return Err(self.error("`]`"));
            }
            mixins.push(self.shape_id()?);
            self.ws();
        }
        self.pos += 1;
        if mixins.is_empty() {
            return Err(self.fail(
                Code::SmithySyntax,
                self.pos - 1..self.pos,
                "expected at least one mixin between `[` and `]`".to_string(),
            ));
        }
        Ok(mixins)
    }

    /// `{ members }` of aggregates, enums and inline structures.
    fn members(&mut self, shape_name: &str, enum_members: bool) -> PResult<Vec<MemberDef>> {
        // Comments between the shape's name and `{` document nothing.
        self.report_stray_docs();
        self.expect_char('{')?;
        self.ws();
        let mut members: Vec<MemberDef> = Vec::new();
        while self.peek() != Some('}') {
            if self.at_eof() {
                return Err(self.error("`}`"));
            }
            let member = self.member(enum_members)?;
            if members.iter().any(|m| m.name == member.name) {
                let ns = self.file.namespace.as_deref().unwrap_or_default();
                // The reference's two wordings: enums' members are read by their own loop.
                let text = if enum_members {
                    format!("Found conflicting member name, `{}`", member.name)
                } else {
                    format!("Duplicate member of `{ns}#{shape_name}`: '{}'", member.name)
                };
                let at = member.name_range.start;
                let message = format!(
                    "{ns}#{shape_name}: {}",
                    self.reference_syntax_error(at, &text)
                );
                return Err(self.fail(Code::DuplicateMember, member.name_range.clone(), message));
            }
            members.push(member);
            self.ws();
        }
        // Comments after the last member, before `}`.
        self.report_stray_docs();
        self.pos += 1;
        Ok(members)
    }

    fn member(&mut self, enum_member: bool) -> PResult<MemberDef> {
        let start = self.pos;
        let documentation = self.take_docs();
        let traits = self.trait_statements()?;
        // Comments after a member's traits document nothing.
        self.report_stray_docs();
        let (name, name_range, target) = if enum_member {
            let (name, range) = self.identifier()?;
            (name, range, None)
        } else if self.peek() == Some('$') {
            let dollar = self.pos;
            self.pos += 1;
            let (name, range) = self.identifier()?;
            self.gate_v2(dollar..range.end, Feature::ElidedMember);
            (name, range, None)
        } else {
            let (name, range) = self.identifier()?;
            self.sp();
            self.expect_char(':')?;
            self.sp();
            (name, range, Some(self.shape_id()?))
        };
        let save = self.pos;
        self.sp();
        let value = if self.peek() == Some('=') {
            if self.file.version == IdlVersion::V1 && !enum_member {
                return Err(self.fail(
                    Code::WrongIdlVersionFeature,
                    self.pos..self.pos + 1,
                    "@default assignment is only supported in IDL version 2 or later".to_string(),
                ));
            }
            self.pos += 1;
            self.sp();
            let value = self.node_value()?;
            self.sp();
            if self.peek() == Some(',') {
                self.pos += 1;
            }
            let end = self.pos;
            self.br_in_body()?;
            self.pos = end;
            Some(value)
        } else {
            self.pos = save;
            None
        };
        Ok(MemberDef {
            name,
            name_range,
            target,
            documentation,
            traits,
            value,
            range: start..self.pos,
        })
    }

    /// The line break a value assignment needs; the closing brace of the body may follow on
    /// the same line only after a line break, as the reference requires.
    fn br_in_body(&mut self) -> PResult<()> {
        self.sp();
        if self.at_eof()
            || self.starts_with("\n")
            || self.starts_with("\r\n")
            || self.starts_with("//")
        {
            self.report_stray_docs_at_line_end();
            Ok(())
        } else {
            Err(self.error("a line break after the assigned value"))
        }
    }

    fn operation_body(&mut self, operation: &str) -> PResult<OperationBody> {
        self.expect_char('{')?;
        self.ws();
        let mut body = OperationBody::default();
        while self.peek() != Some('}') {
            if self.at_eof() {
                return Err(self.error("`}`"));
            }
            let (word, word_range) = self.identifier()?;
            self.ws();
            let duplicate = match word.as_str() {
                "input" => body.input.is_some(),
                "output" => body.output.is_some(),
                "errors" => body.errors.is_some(),
                _ => {
                    return Err(self.fail(
                        Code::BadOperationProperty,
                        word_range,
                        format!(
                            "Unknown property {word} for {}#{operation}; expected input, output or errors",
                            self.file.namespace.as_deref().unwrap_or("")
                        ),
                    ))
                }
            };
            if duplicate {
                return Err(self.fail(
                    Code::BadOperationProperty,
                    word_range,
                    format!(
                        "Duplicate operation {word} property for `{}#{operation}`",
                        self.file.namespace.as_deref().unwrap_or("")
                    ),
                ));
            }
            if word == "errors" {
                self.expect_char(':')?;
                self.ws();
                self.expect_char('[')?;
                self.ws();
                let mut errors = Vec::new();
                while self.peek() != Some(']') {
                    if self.at_eof() {
                        return Err(self.error("`]`"));
                    }
                    errors.push(self.shape_id()?);
                    self.ws();
                }
                self.pos += 1;
                body.errors = Some(errors);
            } else {
                let io = if self.starts_with(":=") {
                    // The reference drops comments queued before `:=` silently.
                    self.stray_docs.clear();
                    let walrus = self.pos..self.pos + 2;
                    if self.file.version == IdlVersion::V1 {
                        self.report(
                            Code::WrongIdlVersionFeature,
                            Severity::Error,
                            walrus.clone(),
                            "Inlined operation inputs and outputs can only be used with Smithy \
                             version 2 or later. Attempted to use inlined IO with version `1.0`."
                                .to_string(),
                        );
                    }
                    self.pos += 2;
                    self.ws();
                    self.inline_structure(operation, &word, walrus.start)?
                } else {
                    self.expect_char(':')?;
                    self.ws();
                    OperationIo::Target(self.shape_id()?)
                };
                if word == "input" {
                    body.input = Some(io);
                } else {
                    body.output = Some(io);
                }
            }
            // As in the reference, a property ends with whitespace, a comma or a comment:
            // `output := {…}}` and `input: A}` are syntax errors.
            let at_separator = matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r' | ','))
                || (self.starts_with("//") && !self.starts_with("///"));
            if !at_separator {
                return Err(self.error("whitespace after the operation property"));
            }
            self.ws();
        }
        self.pos += 1;
        Ok(body)
    }

    fn inline_structure(
        &mut self,
        operation: &str,
        which: &str,
        start: usize,
    ) -> PResult<OperationIo> {
        let documentation = self.take_docs();
        let traits = self.trait_statements()?;
        let suffix = if which == "input" {
            &self.file.operation_input_suffix
        } else {
            &self.file.operation_output_suffix
        };
        let name = format!("{operation}{suffix}");
        let for_resource = if self.peek_keyword("for") {
            let kw = self.pos..self.pos + 3;
            self.pos += 3;
            if !self.sp() {
                return Err(self.error("a space after `for`"));
            }
            self.gate_v2(kw, Feature::ForResource);
            Some(self.shape_id()?)
        } else {
            None
        };
        let mixins = self.mixins()?;
        self.ws();
        let members = self.members(&name, false)?;
        let range = start..self.pos;
        self.file.shapes.push(ShapeDef {
            shape_type: ShapeType::Structure,
            name: name.clone(),
            name_range: start..start + 2,
            range: range.clone(),
            documentation,
            traits,
            mixins,
            for_resource,
            members,
            entity_body: None,
            operation: None,
        });
        Ok(OperationIo::Inline { name, range })
    }

    fn apply_statement(&mut self) -> PResult<()> {
        let start = self.pos;
        self.pos += "apply".len();
        if !self.sp() {
            return Err(self.error("a space after `apply`"));
        }
        let target = self.shape_id()?;
        let before_ws = self.pos;
        self.ws();
        if self.pos == before_ws {
            return Err(self.error("whitespace after the shape ID of `apply`"));
        }
        let traits = if self.peek() == Some('{') {
            self.pos += 1;
            self.ws();
            let traits = self.trait_statements()?;
            self.expect_char('}')?;
            traits
        } else if self.peek() == Some('@') {
            vec![self.trait_application()?]
        } else {
            return Err(self.error("`@` or `{` after the shape ID of `apply`"));
        };
        self.file.applies.push(Apply {
            target,
            traits,
            range: start..self.pos,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (IdlFile, Vec<Diagnostic>) {
        let src = SourceText::whole_file("t.smithy", text);
        parse_idl(
            &src,
            &ParseOptions {
                default_version: IdlVersion::V2,
                inherited_namespace: None,
            },
        )
    }

    #[test]
    fn apply_needs_line_break() {
        let (_, d) = parse("namespace a\napply S @deprecated apply S @sensitive\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].span.line, d[0].span.column), (2, 21));
    }

    #[test]
    fn doc_comments_attach() {
        let (f, d) = parse("namespace a\n/// One\n///   two\n@sensitive\nstring S\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.shapes[0].documentation.as_ref().unwrap().0, "One\n  two");
    }

    #[test]
    fn default_and_enum_values() {
        let (f, d) = parse(
            "namespace a\nstructure S {\n  a: String = \"x\", \n  b: Integer\n}\nenum E { A = \"a\"\n B }\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.shapes.len(), 2);
        assert!(f.shapes[0].members[0].value.is_some());
    }
}
