use super::*;
use crate::smithy::{load, IdlOrigin, Model, SmithyInput};
use crate::source::SourceText;

const MODEL: &str = r#"$version: "2.0"
namespace ex

@trait(selector: "*")
structure tag {}

@trait
list tags { member: String }

@trait
structure limits { min: Integer, max: Integer }

/// A service.
service Weather {
    version: "2024-01-01"
    operations: [GetForecast]
    resources: [City]
}

resource City {
    identifiers: { cityId: CityId }
    read: GetCity
    operations: [Rename]
}

@readonly
operation GetCity {
    input := { @required cityId: CityId }
    output := { name: String }
}

operation Rename {
    input := { @required cityId: CityId, name: Name }
}

@tag
@readonly
operation GetForecast {
    input: ForecastInput
    output: ForecastOutput
    errors: [NotFound]
}

structure ForecastInput {
    @required
    @tags(["a", "b"])
    cityId: CityId
    days: Days
}

structure ForecastOutput {
    @limits(min: 1, max: 10)
    chance: Integer
    readings: Readings
}

@error("client")
structure NotFound { message: String }

@length(min: 1, max: 8)
@pattern("^[a-z]+$")
string CityId

string Name

@range(min: 1, max: 14)
integer Days

list Readings { member: Reading }

structure Reading { value: Float, when: Timestamp }

map Index { key: String, value: Readings }

enum Color {
    RED
    GREEN = "green"
}
"#;

fn model() -> Model {
    let source = SourceText::whole_file("test.smithy", MODEL.to_string());
    let loaded = load(vec![SmithyInput::Idl {
        source,
        origin: IdlOrigin::StandaloneFile,
    }]);
    loaded.model
}

/// The IDs a selector yields, prelude shapes left out.
fn select(model: &Model, selector: &str) -> Vec<String> {
    let index = ShapeIndex::new(model);
    let s = Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e}"));
    s.select(&index)
        .into_iter()
        .map(|n| index.node(n))
        .filter(|n| !n.prelude)
        .map(|n| n.id().trim_start_matches("ex#").to_string())
        .collect()
}

/// Selectors and the shapes they yield on `MODEL`, as the reference evaluates them.
const SELECTOR_CASES: &[(&str, &[&str])] = &[
    ("service", &["Weather"]),
    ("resource", &["City"]),
    (":is(enum, intEnum)", &["Color"]),
    ("string", &["CityId", "Color", "Name"]),
    ("number", &["Days"]),
    ("collection", &["Readings", "tags"]),
    ("[trait|readonly]", &["GetCity", "GetForecast"]),
    ("[trait|ex#tag]", &["GetForecast"]),
    ("operation [id|name^=Get]", &["GetCity", "GetForecast"]),
    ("operation [id|name^=get i]", &["GetCity", "GetForecast"]),
    ("operation [id|name^=get]", &[]),
    ("[id|member=value]", &["Index$value", "Reading$value"]),
    ("[id=ex#Name]", &["Name"]),
    (
        "structure [id|namespace='ex'][id|name$=Input]",
        &["ForecastInput", "GetCityInput", "RenameInput"],
    ),
    ("[trait|length|max=8]", &["CityId"]),
    ("[trait|range|min>=1][trait|range|max<20]", &["Days"]),
    ("[trait|range|max>14]", &[]),
    ("[trait|error=client]", &["NotFound"]),
    ("[trait|error=server, client]", &["NotFound"]),
    ("[trait|ex#tags|(values)='b']", &["ForecastInput$cityId"]),
    ("[trait|ex#tags|(length)=2]", &["ForecastInput$cityId"]),
    (
        "[trait|(keys)|namespace=ex]",
        &[
            "ForecastOutput$chance",
            "ForecastInput$cityId",
            "GetForecast",
        ],
    ),
    ("[trait|documentation*=serv]", &["Weather"]),
    ("[trait|pattern?=true]", &["CityId"]),
    ("[service|version^=2024]", &["Weather"]),
    (
        "[@trait|ex#limits: @{min} < @{max} && @{max} = 10]",
        &["ForecastOutput$chance"],
    ),
    ("[@trait|ex#limits: @{min} > @{max}]", &[]),
    ("structure > member > string", &["CityId", "Name"]),
    (
        "structure > :test(member > string)",
        &[
            "ForecastInput$cityId",
            "GetCityInput$cityId",
            "GetCityOutput$name",
            "NotFound$message",
            "RenameInput$cityId",
            "RenameInput$name",
        ],
    ),
    (
        "operation -[input]-> structure",
        &["ForecastInput", "GetCityInput", "RenameInput"],
    ),
    ("operation -[error]->", &["NotFound"]),
    ("resource -[read, operation]->", &["GetCity", "Rename"]),
    ("resource -[identifier]->", &["CityId"]),
    (
        "service ~> operation",
        &["GetCity", "GetForecast", "Rename"],
    ),
    ("service ~> structure[trait|error]", &["NotFound"]),
    ("string :not(< member)", &["Color"]),
    (
        "string < member < structure",
        &[
            "ForecastInput",
            "GetCityInput",
            "GetCityOutput",
            "NotFound",
            "RenameInput",
        ],
    ),
    ("operation <-[operation]- service", &["Weather"]),
    (
        "[trait|trait][id|namespace=ex] <-[trait]-",
        &[
            "ForecastInput$cityId",
            "ForecastOutput$chance",
            "GetForecast",
        ],
    ),
    ("list :test(> member > structure)", &["Readings"]),
    (
        ":not(list) :not(map) :not(structure) :not(member) :not(simpleType) :not(serviceType)",
        &[],
    ),
    (":in(service ~> structure)", &[]),
    (
        "structure :in(:root(service ~> structure))",
        &[
            "ForecastInput",
            "ForecastOutput",
            "GetCityInput",
            "GetCityOutput",
            "NotFound",
            "Reading",
            "RenameInput",
        ],
    ),
    (":root(service) :not(*)", &[]),
    (
        "string :in(:root(structure > member > string))",
        &["CityId", "Name"],
    ),
    (
        ":topdown([trait|documentation])",
        &["City", "GetForecast", "Rename", "Weather"],
    ),
    (":topdown(service, resource)", &["GetForecast", "Weather"]),
    ("structure :recursive(> member > structure)", &[]),
    ("list :recursive(> member >) structure", &["Reading"]),
    (
        "$svc(service) ~> operation [@: @{id|namespace} = @{var|svc|id|namespace}][trait|readonly]",
        &["GetCity", "GetForecast"],
    ),
    (
        "service $ops(~> operation) ${ops} [trait|ex#tag]",
        &["GetForecast"],
    ),
    ("member [id|member=RED]", &["Color$RED"]),
    ("[trait|enumValue=green]", &["Color$GREEN"]),
    (":nope(string)", &[]),
    (":each(resource, service)", &["City", "Weather"]),
    ("structure -[bound]->", &[]),
    ("resource -[bound]->", &["Weather"]),
];

#[test]
fn selectors_yield_the_reference_shapes() {
    let model = model();
    let mut failures = Vec::new();
    for (selector, expected) in SELECTOR_CASES {
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        let mut got = select(&model, selector);
        got.sort();
        if got != want {
            failures.push(format!("{selector}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn selecting_among_targets_agrees_with_selecting_from_the_whole_model() {
    let model = model();
    let index = ShapeIndex::new(&model);
    let every: BTreeSet<NodeId> = (0..index.len()).collect();
    for (text, _) in SELECTOR_CASES {
        let Ok(selector) = Selector::parse(text) else {
            continue;
        };
        let whole = selector.select(&index);
        assert_eq!(selector.select_among(&index, &every), whole, "{text}");
        for n in 0..index.len() {
            let one = BTreeSet::from([n]);
            let want: BTreeSet<NodeId> = whole.intersection(&one).copied().collect();
            assert_eq!(
                selector.select_among(&index, &one),
                want,
                "{text} on {}",
                index.node(n).id()
            );
        }
    }
}

#[test]
fn syntax_errors_read_as_the_reference_words_them() {
    let cases = [
        ("", "Syntax error at line 1 column 1, near ``: Unexpected selector EOF; expression: "),
        ("invalid", "Syntax error at line 1 column 8, near ``: Unknown shape type: invalid; expression: invalid"),
        ("[a=b", "Syntax error at line 1 column 5, near ``: Expected: ']', but found '[EOF]'; expression: [a=b"),
        ("[foo^foo]", "Syntax error at line 1 column 6, near `foo]`: Expected: '=', but found 'f'; expression: [foo^foo]"),
        (":is(string", "Syntax error at line 1 column 11, near ``: Found '[EOF]', but expected one of the following tokens: ')' ','; expression: :is(string"),
        ("[foo=']", "Syntax error at line 1 column 8, near ``: Expected ' to close ]; expression: [foo=']"),
        (":not()", "Syntax error at line 1 column 6, near `)`: Unexpected selector character: ); expression: :not()"),
        ("string=b", "Syntax error at line 1 column 7, near `=b`: Unexpected selector character: =; expression: string=b"),
        ("[|]", "Syntax error at line 1 column 2, near `|]`: Expected a valid identifier character, but found '|'; expression: [|]"),
    ];
    for (text, message) in cases {
        assert_eq!(
            Selector::parse(text).unwrap_err().message,
            message,
            "{text}"
        );
    }
}

#[test]
fn nesting_is_limited_instead_of_overflowing_the_stack() {
    let deep = format!("{}string{}", ":is(".repeat(5000), ")".repeat(5000));
    let e = Selector::parse(&deep).unwrap_err();
    assert!(
        e.message.contains("maximum allowed nesting depth of 100"),
        "{e}"
    );
    let ok = format!("{}string{}", ":is(".repeat(50), ")".repeat(50));
    assert!(Selector::parse(&ok).is_ok());
    // A long flat sequence is evaluated without recursion.
    let long = format!("structure{}", " > member <".repeat(5000));
    let s = Selector::parse(&long).unwrap();
    let model = model();
    let index = ShapeIndex::new(&model);
    assert!(!s.select(&index).is_empty());
}

#[test]
fn template_paths_parse() {
    assert_eq!(
        parse_template_path("trait|documentation").unwrap(),
        vec!["trait".to_string(), "documentation".to_string()]
    );
    assert_eq!(
        parse_template_path("var|x|id|(length)").unwrap(),
        vec!["var", "x", "id", "(length)"]
    );
}
