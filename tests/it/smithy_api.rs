//! Focused tests of the Smithy API: positions in Markdown-mapped text, namespaces inherited
//! between blocks, version defaults, conflicts, JSON AST output and input.

use plansmith::diagnostic::Severity;
use plansmith::smithy::{self, IdlOrigin, ParsedText, SmithyInput};
use plansmith::source::{LineOrigin, SourceText};
use proptest::prelude::*;

fn block(path: &str, text: &str, inherited: Option<&str>) -> SmithyInput {
    SmithyInput::Idl {
        source: SourceText::whole_file(path, text),
        origin: IdlOrigin::MarkdownBlock {
            inherited_namespace: inherited.map(str::to_string),
            idl_version: None,
        },
    }
}

/// A block whose lines sit at line 20 onwards of a Markdown file, indented by four columns
/// (as inside a list item).
fn indented_block(text: &str) -> SourceText {
    let mut lines = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        lines.push(LineOrigin {
            offset,
            line: 20 + i as u32,
            column: 5,
        });
        offset += line.len();
    }
    SourceText::from_lines("plan.md", text, lines)
}

#[test]
fn syntax_error_position_maps_to_the_markdown_file() {
    let source = indented_block("namespace a.b\n\nstructure Foo {\n    bar: String = \n}\n");
    let loaded = smithy::load(vec![SmithyInput::Idl {
        source,
        origin: IdlOrigin::MarkdownBlock {
            inherited_namespace: None,
            idl_version: None,
        },
    }]);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "SMY001");
    assert_eq!(d.path, "plan.md");
    // The line break after `= ` on the block's fourth line: file line 23, and column 5 of
    // the block plus the 18 characters before it.
    assert_eq!((d.span.line, d.span.column), (23, 23), "{d:?}");
    assert!(
        d.message.starts_with("expected a node value") && d.message.ends_with("a line break"),
        "{}",
        d.message
    );
}

#[test]
fn parsing_resumes_after_a_syntax_error() {
    let text = "namespace n\n\n@externalDocumentation(foo:)\nstring Broken\n\nstring Fine\n\nstructure Also {\n  a: \n}\n\ninteger Last\n";
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    let syntax: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "SMY001")
        .map(|d| (d.span.line, d.span.column))
        .collect();
    assert_eq!(syntax, vec![(3, 28), (9, 6)], "{:?}", loaded.diagnostics);
    // The broken trait is dropped; the shape on the next line is parsed without it.
    assert!(loaded.model.shapes["n#Broken"].traits.is_empty());
    assert!(loaded.model.shapes.contains_key("n#Fine"));
    assert!(!loaded.model.shapes.contains_key("n#Also"));
    assert!(loaded.model.shapes.contains_key("n#Last"));
}

#[test]
fn namespace_is_inherited_from_the_previous_block() {
    let first = "namespace example.weather\nstring CityId\n";
    let origin = |inherited: Option<&str>| IdlOrigin::MarkdownBlock {
        inherited_namespace: inherited.map(str::to_string),
        idl_version: None,
    };
    let first = ParsedText::parse(SourceText::whole_file("plan.md", first), &origin(None));
    assert_eq!(first.namespace(), Some("example.weather"));
    let second = ParsedText::parse(
        SourceText::whole_file("plan.md", "structure City { id: CityId }\n"),
        &origin(first.namespace()),
    );
    // A block without `namespace` ends in the one it inherited.
    assert_eq!(second.namespace(), Some("example.weather"));
    let loaded = smithy::load(vec![
        SmithyInput::Parsed(first.into()),
        SmithyInput::Parsed(second.into()),
    ]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let city = &loaded.model.shapes["example.weather#City"];
    assert_eq!(city.members[0].target, "example.weather#CityId");
}

#[test]
fn a_block_without_namespace_and_nothing_to_inherit_is_an_error_with_help() {
    let loaded = smithy::load(vec![block("plan.md", "string Orphan\n", None)]);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.code, "SMY002");
    assert_eq!((d.span.line, d.span.column), (1, 1));
    assert!(d.help.as_deref().unwrap_or("").contains("namespace"));
}

#[test]
fn version_defaults_differ_between_blocks_and_files() {
    let text = "namespace a\nenum Color { RED }\n";
    let as_block = smithy::load(vec![block("plan.md", text, None)]);
    assert!(
        as_block.diagnostics.is_empty(),
        "{:?}",
        as_block.diagnostics
    );
    let as_file = smithy::load(vec![SmithyInput::Idl {
        source: SourceText::whole_file("model.smithy", text),
        origin: IdlOrigin::StandaloneFile,
    }]);
    assert!(as_file
        .diagnostics
        .iter()
        .any(|d| d.code == "SMY004" && d.message.contains("version 1.0")));
}

#[test]
fn identical_definitions_merge_and_different_ones_conflict() {
    let same = smithy::load(vec![
        block("a.md", "namespace n\nstring S\n", None),
        block("b.md", "namespace n\nstring S\n", None),
    ]);
    // Only the reference's note that the second definition is ignored.
    let codes: Vec<(&str, Severity)> = same
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.severity))
        .collect();
    assert_eq!(
        codes,
        [("SMY027", Severity::Note)],
        "{:?}",
        same.diagnostics
    );
    let different = smithy::load(vec![
        block("a.md", "namespace n\nstring S\n", None),
        block("b.md", "namespace n\ninteger S\n", None),
    ]);
    let d = different
        .diagnostics
        .iter()
        .find(|d| d.code == "SMY010")
        .expect("a conflict");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.related.len(), 1);
    assert_ne!(d.path, d.related[0].path);
}

#[test]
fn text_blocks_lose_incidental_indentation() {
    let text = "namespace n\n@documentation(\"\"\"\n    Hello\n      world \\\"x\\\"\n    \"\"\")\nstring S\n";
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let doc = &loaded.model.shapes["n#S"].traits["smithy.api#documentation"].value;
    assert_eq!(doc, "Hello\n  world \"x\"\n");
}

#[test]
fn references_carry_their_positions() {
    let loaded = smithy::load(vec![block(
        "plan.md",
        "namespace n\nstructure A {\n    b: B\n}\nstring B\n",
        None,
    )]);
    let refs = loaded.model.shapes["n#A"].references();
    let b = refs
        .iter()
        .find(|r| r.target == "n#B")
        .expect("reference to B");
    assert_eq!((b.location.span.line, b.location.span.column), (3, 8));
}

const SHOWCASE: &str = r#"$version: "2"
namespace example.showcase

/// A city.
@mixin
structure Named {
    @required
    name: String
}

resource City {
    identifiers: { cityId: CityId }
    read: GetCity
}

@pattern("^[a-z]+$")
string CityId

@readonly
operation GetCity {
    input := for City with [Named] {
        @required
        $cityId
        units: Units = "metric"
    }
    output := {
        temperature: Float
    }
    errors: [NotFound]
}

@error("client")
structure NotFound {}

enum Units {
    METRIC = "metric"
    IMPERIAL = "imperial"
}

intEnum Level {
    LOW = 1
    HIGH = 2
}

apply CityId @documentation("The city's identifier.")
"#;

#[test]
fn json_ast_of_a_showcase_model() {
    let loaded = smithy::load(vec![block("showcase.md", SHOWCASE, None)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    // Compared as serde_json's own pretty text: numbers are kept exact (arbitrary_precision),
    // which insta's JSON serializer does not know about.
    let json = serde_json::to_string_pretty(&loaded.model.to_json_ast()).unwrap();
    insta::assert_snapshot!("smithy_showcase_json_ast", json);
}

#[test]
fn json_ast_reads_back_into_the_same_model() {
    let first = smithy::load(vec![block("showcase.md", SHOWCASE, None)]);
    let json = serde_json::to_string_pretty(&first.model.to_json_ast()).unwrap();
    let again = smithy::load(vec![SmithyInput::JsonAst {
        source: SourceText::whole_file("showcase.json", json),
    }]);
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    assert_eq!(again.model.to_json_ast(), first.model.to_json_ast());
    let city = &again.model.shapes["example.showcase#City"];
    assert_eq!(&*city.location.path, "showcase.json");
    assert!(city.location.span.line > 1);
}

#[test]
fn custom_trait_selectors_are_checked() {
    let text = r#"namespace n
@trait(selector: "service")
structure onlyServices {}
@trait(selector: "structure > member")
structure onlyMembers {}
@trait(selector: "operation -[input]-> structure > member")
structure onInputMembers {}

@onlyServices
@onInputMembers
structure Wrong {
    @onlyMembers
    fine: String
}
"#;
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    let events: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "TraitTarget")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(events.len(), 2, "{:?}", loaded.diagnostics);
    assert!(events[0].starts_with("n#Wrong: Trait `n#onlyServices` cannot be applied"));
    assert!(events[1].starts_with("n#Wrong: Trait `n#onInputMembers` cannot be applied"));
}

#[test]
fn prelude_trait_members_are_checked() {
    let text = "namespace n\n@http(method: 1, uri: \"/x\", cod: 200)\noperation Op {}\n";
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    let codes: Vec<(&str, &str)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.severity.as_str()))
        .collect();
    // As the reference: the trait cannot be created from a method that is no string, so it
    // is a loader error and nothing else sees the trait.
    assert_eq!(codes, vec![("SMY024", "error")], "{:?}", loaded.diagnostics);
    assert!(loaded.diagnostics[0].message.ends_with(
        "Error creating trait `http`: Expected `method` member to be a string, but found number."
    ));
    // With a method that is a string, the unknown member is a warning.
    let text = "namespace n\n@http(method: \"GET\", uri: \"/x\", cod: 200)\noperation Op {}\n";
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.code == "TraitValue.UnknownMember.smithy.api#http.cod"));
}

/// The events of one code, as `shape: message` texts.
fn events_of<'a>(loaded: &'a smithy::LoadedModel, code: &str) -> Vec<&'a str> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn a_label_and_a_greedy_label_at_one_place_do_not_conflict() {
    let text = r#"$version: "2"
namespace n
service S { version: "1", operations: [ByName, ByPath, ByOther] }
@readonly @http(method: "GET", uri: "/x/{name}")
operation ByName { input := { @required @httpLabel name: String } }
@readonly @http(method: "GET", uri: "/x/{path+}")
operation ByPath { input := { @required @httpLabel path: String } }
@readonly @http(method: "GET", uri: "/x/{other}")
operation ByOther { input := { @required @httpLabel other: String } }
"#;
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    let conflicts = events_of(&loaded, "HttpUriConflict");
    assert_eq!(conflicts.len(), 2, "{:?}", loaded.diagnostics);
    assert!(
        conflicts.iter().all(|m| !m.contains("ByPath")),
        "{conflicts:?}"
    );
}

#[test]
fn host_label_patterns_that_rule_out_a_literal_prefix_avoid_a_conflict() {
    let text = r#"$version: "2"
namespace n
service S { version: "1", operations: [Literal, Patterned, Open] }
@endpoint(hostPrefix: "data.") @http(method: "POST", uri: "/r")
operation Literal {}
@endpoint(hostPrefix: "{zone}.") @http(method: "POST", uri: "/r")
operation Patterned { input := { @required @hostLabel @pattern("^[0-9]+$") zone: String } }
@endpoint(hostPrefix: "{zone}.") @http(method: "POST", uri: "/r")
operation Open { input := { @required @hostLabel zone: String } }
"#;
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    let mut conflicts = events_of(&loaded, "HttpUriConflict");
    conflicts.sort();
    assert_eq!(
        conflicts,
        vec![
            "n#Literal: Operation URI, `/r`, conflicts with other operation URIs in the same service: [`n#Open` (/r)]",
            "n#Open: Operation URI, `/r`, conflicts with other operation URIs in the same service: [`n#Literal` (/r), `n#Patterned` (/r)]",
            "n#Patterned: Operation URI, `/r`, conflicts with other operation URIs in the same service: [`n#Open` (/r)]",
        ]
    );
}

#[test]
fn restricted_headers_are_danger_and_suppressible() {
    let text = r#"$version: "2"
namespace n
structure Headers {
    @httpHeader("Content-Length") length: Integer
    @suppress(["HttpHeaderTrait"]) @httpHeader("Host") host: String
    @httpHeader("Not valid!") spaced: String
}
"#;
    let loaded = smithy::load(vec![block("plan.md", text, None)]);
    let errors: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "HttpHeaderTrait" && d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        errors,
        vec![
            "n#Headers$length: `Content-Length` is not an allowed HTTP header binding",
            "n#Headers$spaced: `Not valid!` is not a valid HTTP header field name according to section 5.6.2 of RFC 9110",
        ]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text, however broken, gives diagnostics rather than a panic or a hang.
    #[test]
    fn arbitrary_text_never_panics(text in r#"([a-z$@#:={}\[\]()",./ \n\t\\-]|structure|namespace|apply|"""|///|123|\.5e){0,60}"#) {
        let _ = smithy::load(vec![block("fuzz.md", &text, Some("f"))]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("metadata x = {}\n", "[".repeat(100_000));
    let loaded = smithy::load(vec![block("deep.md", &text, None)]);
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.message.contains("nested deeper")));
}
