//! The Smithy conformance suite (`../shared/conformance/smithy`): prints a scoreboard and fails
//! below the floors in `FLOORS` (and above `MAX_FALSE_ERROR_FILES`). The error files are scored
//! per expected ERROR/DANGER event ID (`errors-<Id>`, matched by ID and shape; see
//! [`error_matches`]). Set `PLANSMITH_SMITHY_REPORT=FILE` to write every
//! disagreement to FILE.
//!
//! JSON ASTs are compared after the normalisation of `spec/json-ast-summary.md`, implemented
//! here in [`normalize`].

use crate::shared::conformance_dir;
use plansmith::diagnostic::{Diagnostic, Severity};
use plansmith::smithy::{self, LoadedModel, SmithyInput};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// What has been reached; a change that falls below a floor fails the test.
const FLOORS: &[(&str, usize)] = &[
    ("ref-accepts", 526),
    ("realworld-parse", 302),
    ("valid-pairs", 62),
    ("aws-models", 7),
    ("protocol-closure", 1),
    ("aws-json-input", 7),
    ("syntax-rejects", 161),
    ("reject-positions", 144),
    ("loader-rejects", 59),
    ("realworld-clean", 8),
    ("no-false-errors", 43),
    // The ERROR/DANGER scoreboard of the error files (id and shape), per event ID and overall.
    ("errors-AuthTrait", 1),
    ("errors-com", 3),
    ("errors-CorsTrait", 2),
    ("errors-DefaultTrait", 14),
    ("errors-EnumShape", 11),
    ("errors-EnumTrait", 3),
    ("errors-EventPayloadTrait", 1),
    ("errors-ExamplesTrait", 8),
    ("errors-ExclusiveStructureMemberTrait", 8),
    ("errors-HostLabelTrait", 7),
    ("errors-HttpApiKeyAuthTrait", 1),
    ("errors-HttpBindingsMissing", 2),
    ("errors-HttpHeaderTrait", 6),
    ("errors-HttpLabelTrait", 5),
    ("errors-HttpMethodSemantics", 3),
    ("errors-HttpPayload", 2),
    ("errors-HttpPrefixHeadersTrait", 4),
    ("errors-HttpQueryTrait", 5),
    ("errors-HttpResponseCodeSemantics", 4),
    ("errors-HttpUriConflict", 12),
    ("errors-HttpUriFormat", 1),
    ("errors-HttpUriGreedyLabel", 3),
    ("errors-IdempotentTrait", 3),
    ("errors-JsonName", 2),
    ("errors-LengthTrait", 4),
    ("errors-MediaType", 7),
    ("errors-MetadataTrait", 8),
    ("errors-Model", 149),
    ("errors-NoInlineDocumentSupport", 1),
    ("errors-OperationInputOutputMisuse", 6),
    ("errors-PaginatedTrait", 24),
    ("errors-PrivateAccess", 8),
    ("errors-RangeTrait", 22),
    ("errors-ReferencesTrait", 9),
    ("errors-RequestCompressionTrait", 4),
    ("errors-ResourceCycle", 4),
    ("errors-ResourceIdentifier", 4),
    ("errors-ResourceIdentifierBinding", 15),
    ("errors-ResourceLifecycle", 10),
    ("errors-ResourceOperationInputOutput", 8),
    ("errors-Service", 23),
    ("errors-ShapeClosure", 11),
    ("errors-ShapeIdConflict", 10),
    ("errors-ShapeRecursion", 14),
    ("errors-SingleOperationBinding", 2),
    ("errors-SingleResourceBinding", 1),
    ("errors-StreamingTrait", 9),
    ("errors-SyntacticShapeIdTarget", 2),
    ("errors-Target", 42),
    ("errors-TraitBreakingChanges", 4),
    ("errors-TraitConflict", 9),
    ("errors-TraitTarget", 48),
    ("errors-TraitValidators", 7),
    ("errors-TraitValue", 22),
    ("errors-TypedMetadata", 10),
    ("errors-Union", 1),
    ("errors-UnitType", 3),
    ("errors-XmlNamespaceTrait", 1),
    // Events of the validators the error files declare in their `validators` metadata.
    ("errors-BadShape", 1),
    ("errors-NoLengthTraits", 1),
    ("errors-NoListsPlease", 1),
    ("errors-NoteTheInteger", 1),
    ("errors-NoteTheList", 1),
    ("errors-any", 3),
    ("errors-blob", 1),
    ("errors-boolean", 1),
    ("errors-float", 1),
    ("errors-identifier", 1),
    ("errors-integer", 1),
    ("errors-list", 1),
    ("errors-long", 1),
    ("errors-map", 1),
    ("errors-member", 7),
    ("errors-memberTargetsString", 4),
    ("errors-not", 16),
    ("errors-number", 3),
    ("errors-operation", 2),
    ("errors-resource", 1),
    ("errors-serviceChild", 1),
    ("errors-serviceVersion", 1),
    ("errors-shapeId", 2),
    ("errors-shapeMember", 1),
    ("errors-shapeName", 4),
    ("errors-simpleType", 9),
    ("errors-traitContains", 2),
    ("errors-traitContainsCaseInsensitive", 1),
    ("errors-traitEndsWith", 1),
    ("errors-traitEqualTo", 1),
    ("errors-traitEqualToCaseInsensitive", 1),
    ("errors-traitEqualToCaseInsensitiveNoQuotes", 1),
    ("errors-traitExists", 1),
    ("errors-traitStartsWith", 1),
    ("errors-valid-neighbor-only", 19),
    ("errors-all", 708),
    ("errors-all-message", 708),
    ("warnings-all", 148),
    ("warnings-all-message", 148),
    ("loader-messages", 173),
    ("errorfiles-exact", 214),
];

/// The model of the AWS smoke-test vendor parameters (not among `expect/trait-defs.txt`).
const AWS_SMOKE_TEST_MODEL: &str =
    "realworld/smithy-lang_smithy/trait-defs/smithy-aws-smoke-test-model/aws.test.smithy";

/// At most this many error files may have an error the reference does not raise.
const MAX_FALSE_ERROR_FILES: usize = 0;

/// At most this many error files may have a warning the reference does not raise.
const MAX_FALSE_WARNING_FILES: usize = 1;

fn read_list(dir: &Path, name: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn input(dir: &Path, rel: &str) -> SmithyInput {
    crate::shared::smithy_input(dir, rel)
}

/// Syntax and loader problems (our `SMY` codes), as opposed to validation events.
fn loader_errors(loaded: &LoadedModel) -> Vec<&Diagnostic> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code.starts_with("SMY"))
        .collect()
}

/// Problems found by the parser alone.
fn parse_errors(loaded: &LoadedModel) -> Vec<&Diagnostic> {
    const PARSER_CODES: [&str; 7] = [
        "SMY001", "SMY002", "SMY003", "SMY004", "SMY005", "SMY006", "SMY007",
    ];
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && PARSER_CODES.contains(&d.code.as_str()))
        .collect()
}

fn describe(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{} {} {}",
        d.path, d.span.line, d.span.column, d.code, d.message
    )
}

// ---- normalisation (N1..N7 and mixin flattening) ----

fn number_key(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(exact_decimal(&n.to_string())),
        Value::Array(a) => Value::Array(a.iter().map(number_key).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), number_key(v))).collect())
        }
        other => other.clone(),
    }
}

/// A number's exact value in one spelling: `1`, `1.0` and `1e0` all become `1e0`.
fn exact_decimal(text: &str) -> String {
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let mut exponent = exponent - frac.len() as i64;
    let trimmed_end = digits.trim_end_matches('0');
    exponent += (digits.len() - trimmed_end.len()) as i64;
    let significant = trimmed_end.trim_start_matches('0');
    if significant.is_empty() {
        return "0".to_string();
    }
    format!(
        "{}{significant}e{exponent}",
        if negative { "-" } else { "" }
    )
}

fn member_names(shape: &Value) -> Vec<String> {
    match shape["type"].as_str() {
        Some("list" | "set") => vec!["member".into()],
        Some("map") => vec!["key".into(), "value".into()],
        _ => shape["members"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default(),
    }
}

fn get_member<'a>(shape: &'a Value, name: &str) -> Option<&'a Value> {
    match shape["type"].as_str() {
        Some("list" | "set" | "map") => shape.get(name),
        _ => shape.get("members")?.get(name),
    }
}

fn set_member(shape: &mut Value, name: &str, member: Value) {
    match shape["type"].as_str() {
        Some("list" | "set" | "map") => {
            shape[name] = member;
        }
        _ => {
            if !shape["members"].is_object() {
                shape["members"] = Value::Object(Map::new());
            }
            shape["members"][name] = member;
        }
    }
}

fn inherited_members(
    shapes: &Map<String, Value>,
    id: &str,
    seen: &mut HashSet<String>,
) -> Vec<(String, Value)> {
    if !seen.insert(id.to_string()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let Some(shape) = shapes.get(id) else {
        return out;
    };
    for mixin in shape["mixins"].as_array().into_iter().flatten() {
        let Some(mid) = mixin["target"].as_str() else {
            continue;
        };
        out.extend(inherited_members(shapes, mid, seen));
        if let Some(m) = shapes.get(mid) {
            for name in member_names(m) {
                if let Some(member) = get_member(m, &name) {
                    out.push((name, member.clone()));
                }
            }
        }
    }
    out
}

fn merge_traits(member: &mut Value, traits: &Value) {
    if !member["traits"].is_object() {
        member["traits"] = Value::Object(Map::new());
    }
    for (k, v) in traits.as_object().into_iter().flatten() {
        member["traits"][k] = v.clone();
    }
}

/// Brings a JSON AST into the normal form in which equal models are equal values.
fn normalize(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let version = match doc["smithy"].as_str().unwrap_or("") {
        "1" => "1.0".to_string(),
        "2" => "2.0".to_string(),
        v => v.to_string(),
    };
    doc["smithy"] = Value::String(version);
    let mut shapes = doc["shapes"].as_object().cloned().unwrap_or_default();
    let applies: Vec<(String, Value)> = shapes
        .iter()
        .filter(|(_, s)| s["type"] == "apply")
        .map(|(k, s)| (k.clone(), s.clone()))
        .collect();
    for (id, _) in &applies {
        shapes.remove(id);
    }
    for (id, apply) in applies {
        let traits = apply["traits"].clone();
        match id.split_once('$') {
            Some((root, name)) => {
                let inherited = inherited_members(&shapes, root, &mut HashSet::new());
                let Some(shape) = shapes.get_mut(root) else {
                    shapes.insert(id, apply);
                    continue;
                };
                let mut member = match get_member(shape, name) {
                    Some(m) => m.clone(),
                    None => match inherited.iter().rev().find(|(n, _)| n == name) {
                        Some((_, m)) => serde_json::json!({"target": m["target"]}),
                        None => {
                            shapes.insert(id, apply);
                            continue;
                        }
                    },
                };
                merge_traits(&mut member, &traits);
                set_member(shape, name, member);
            }
            None => match shapes.get_mut(&id) {
                Some(shape) => merge_traits(shape, &traits),
                None => {
                    shapes.insert(id, apply);
                }
            },
        }
    }
    // Flatten mixins: inherited members appear in every shape (target only, local traits kept).
    let ids: Vec<String> = shapes.keys().cloned().collect();
    for id in &ids {
        let inherited = inherited_members(&shapes, id, &mut HashSet::new());
        let shape = shapes.get_mut(id).expect("listed");
        for (name, m) in inherited {
            if get_member(shape, &name).is_none() {
                set_member(shape, &name, serde_json::json!({"target": m["target"]}));
            }
        }
    }
    for shape in shapes.values_mut() {
        let t = shape["type"].as_str().unwrap_or("").to_string();
        // The reference loader upgrades 1.0 models, so a missing input/output is Unit in both.
        if t == "operation" {
            for io in ["input", "output"] {
                if shape.get(io).is_none() {
                    shape[io] = serde_json::json!({"target": "smithy.api#Unit"});
                }
            }
        }
        if t == "enum" {
            if let Some(members) = shape["members"].as_object_mut() {
                for (name, m) in members.iter_mut() {
                    if !m["traits"].is_object() {
                        m["traits"] = Value::Object(Map::new());
                    }
                    if m["traits"].get("smithy.api#enumValue").is_none() {
                        m["traits"]["smithy.api#enumValue"] = Value::String(name.clone());
                    }
                }
            }
        }
        let obj = shape.as_object_mut().expect("shape object");
        obj.retain(|_, v| match v {
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            _ => true,
        });
        // The reference keeps these bindings as sets and writes them sorted.
        if matches!(t.as_str(), "service" | "resource" | "operation") {
            for key in ["operations", "resources", "collectionOperations", "errors"] {
                if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
                    list.sort_by_key(|v| v["target"].as_str().unwrap_or("").to_string());
                    list.dedup();
                }
            }
        }
        for (k, v) in obj.iter_mut() {
            let is_member = matches!(k.as_str(), "member" | "key" | "value");
            if is_member {
                drop_empty_traits(v);
            }
            if k == "members" {
                for m in v.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
                    drop_empty_traits(m);
                }
            }
        }
    }
    doc["shapes"] = Value::Object(shapes);
    let obj = doc.as_object_mut().expect("document object");
    obj.retain(|k, v| {
        !(k == "metadata" || k == "shapes") || v.as_object().is_some_and(|o| !o.is_empty())
    });
    number_key(&doc)
}

fn drop_empty_traits(member: &mut Value) {
    if let Some(o) = member.as_object_mut() {
        if o.get("traits")
            .and_then(Value::as_object)
            .is_some_and(|t| t.is_empty())
        {
            o.remove("traits");
        }
    }
}

/// The first difference between two normalised documents, for the report.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let p = format!("{path}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(va), Some(vb)) => {
                        if let Some(d) = first_difference(va, vb, &p) {
                            return Some(d);
                        }
                    }
                    (Some(_), None) => return Some(format!("{p}: only in ours")),
                    (None, Some(_)) => return Some(format!("{p}: only in expected")),
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (va, vb))| first_difference(va, vb, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: ours {a} expected {b}")),
    }
}

fn merge_json_docs(docs: &[Value]) -> Value {
    let mut shapes = Map::new();
    let mut metadata = Map::new();
    for d in docs {
        for (k, v) in d["shapes"].as_object().into_iter().flatten() {
            shapes.insert(k.clone(), v.clone());
        }
        for (k, v) in d["metadata"].as_object().into_iter().flatten() {
            metadata.insert(k.clone(), v.clone());
        }
    }
    serde_json::json!({"smithy": docs[0]["smithy"].clone(), "metadata": metadata, "shapes": shapes})
}

struct Board {
    lines: Vec<String>,
    report: String,
    reached: BTreeMap<&'static str, usize>,
}

impl Board {
    fn score(&mut self, key: &'static str, label: &str, ok: usize, total: usize) {
        let line = format!(
            "{label:<48} {ok:>4}/{total:<4} ({:.1}%)",
            if total == 0 {
                100.0
            } else {
                100.0 * ok as f64 / total as f64
            }
        );
        println!("{line}");
        self.lines.push(line);
        self.reached.insert(key, ok);
    }
}

#[test]
fn smithy_conformance() {
    let Some(dir) = conformance_dir("smithy") else {
        return;
    };
    let mut board = Board {
        lines: Vec::new(),
        report: String::new(),
        reached: BTreeMap::new(),
    };

    // 1. Files the reference accepts, each loaded alone.
    let accepts = read_list(&dir, "expect/ref-accepts.txt");
    let mut ok = 0;
    for f in &accepts {
        let loaded = smithy::load(vec![input(&dir, f)]);
        match loader_errors(&loaded).first() {
            None => ok += 1,
            Some(d) => writeln!(board.report, "ref-accepts: {}", describe(d)).unwrap(),
        }
    }
    board.score(
        "ref-accepts",
        "ref-accepts: load without syntax/loader error",
        ok,
        accepts.len(),
    );

    // 2. Real-world files parse.
    let realworld = read_list(&dir, "expect/realworld.txt");
    let mut ok = 0;
    for f in &realworld {
        let loaded = smithy::load(vec![input(&dir, f)]);
        match parse_errors(&loaded).first() {
            None => ok += 1,
            Some(d) => writeln!(board.report, "realworld: {}", describe(d)).unwrap(),
        }
    }
    board.score(
        "realworld-parse",
        "real-world files parse",
        ok,
        realworld.len(),
    );

    // 3. IDL → JSON AST pairs.
    let pairs = read_list(&dir, "expect/valid-pairs.txt");
    let shared_rel = "suite/smithy-model/loader/valid/__shared.json";
    let shared: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(shared_rel)).unwrap()).unwrap();
    let mut ok = 0;
    for f in &pairs {
        let json_rel = f.replace(".smithy", ".json");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&json_rel)).unwrap()).unwrap();
        let expected = normalize(&merge_json_docs(&[expected, shared.clone()]));
        let loaded = smithy::load(vec![input(&dir, f), input(&dir, shared_rel)]);
        let ours = normalize(&loaded.model.to_json_ast());
        let errors = loader_errors(&loaded);
        if ours == expected && errors.is_empty() {
            ok += 1;
        } else {
            let why = first_difference(&ours, &expected, "").unwrap_or_else(|| {
                errors
                    .iter()
                    .map(|d| describe(d))
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            writeln!(board.report, "valid-pair {f}: {why}").unwrap();
        }
    }
    board.score(
        "valid-pairs",
        "valid pairs: JSON AST equal",
        ok,
        pairs.len(),
    );

    // 4. The AWS models (with the trait definitions), and the protocol-test closure.
    let trait_defs = read_list(&dir, "expect/trait-defs.txt");
    let trait_def_inputs = || {
        trait_defs
            .iter()
            .map(|f| input(&dir, f))
            .collect::<Vec<_>>()
    };
    // The AWS models name `aws.test#AwsVendorParams` in their `@smokeTests` (an `@idRef` with
    // `failWhenMissing`): the reference validates them with the smoke-test model that defines
    // it, so they are loaded with it too.
    let aws_trait_def_inputs = || {
        let mut inputs = trait_def_inputs();
        inputs.push(input(&dir, AWS_SMOKE_TEST_MODEL));
        inputs
    };
    let trait_def_model = smithy::load(aws_trait_def_inputs()).model;
    let aws = read_list(&dir, "expect/realworld-aws-idl.txt");
    let mut clean_models = 0;
    let mut json_ok = 0;
    let mut ok = 0;
    for f in &aws {
        let model_dir = Path::new(f).parent().unwrap();
        let service = model_dir.file_name().unwrap().to_str().unwrap();
        let mut inputs = aws_trait_def_inputs();
        let mut files: Vec<_> = std::fs::read_dir(dir.join(model_dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".smithy"))
            .collect();
        files.sort();
        for name in files {
            inputs.push(input(&dir, &format!("{}/{name}", model_dir.display())));
        }
        let loaded = smithy::load(inputs);
        note_false_errors(&mut board.report, &mut clean_models, &loaded, service);
        let ours = without(loaded.model.to_json_ast(), &trait_def_model);
        let json_path = dir.join(format!("realworld/aws-sdk-models-json/{service}.json"));
        let Ok(text) = std::fs::read_to_string(&json_path) else {
            writeln!(board.report, "aws {service}: no published JSON").unwrap();
            continue;
        };
        let expected: Value = serde_json::from_str(&text).unwrap();
        // The published JSON read as a JSON AST input must give the same model back.
        let rel = format!("realworld/aws-sdk-models-json/{service}.json");
        let mut json_inputs = trait_def_inputs();
        json_inputs.push(input(&dir, &rel));
        let from_json = smithy::load(json_inputs);
        let read_back = without(from_json.model.to_json_ast(), &trait_def_model);
        if normalize(&read_back) == normalize(&expected) && loader_errors(&from_json).is_empty() {
            json_ok += 1;
        } else {
            writeln!(board.report, "aws json {service}: read back differs").unwrap();
        }
        let (ours, expected) = (normalize(&ours), normalize(&expected));
        let errors = loader_errors(&loaded);
        if ours == expected && errors.is_empty() {
            ok += 1;
        } else {
            let why = first_difference(&ours, &expected, "").unwrap_or_else(|| {
                errors
                    .iter()
                    .take(3)
                    .map(|d| describe(d))
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            writeln!(board.report, "aws {service}: {why}").unwrap();
        }
    }
    board.score(
        "aws-models",
        "AWS models: JSON AST equal to published",
        ok,
        aws.len(),
    );
    board.score(
        "aws-json-input",
        "AWS JSON ASTs read back unchanged",
        json_ok,
        aws.len(),
    );

    let mut inputs = trait_def_inputs();
    let mut protocol_files = Vec::new();
    for sub in [
        "smithy-aws-protocol-tests/model",
        "smithy-protocol-tests/model",
    ] {
        collect_smithy_files(
            &dir.join("realworld/smithy-lang_smithy").join(sub),
            &mut protocol_files,
        );
    }
    protocol_files.sort();
    for p in &protocol_files {
        let rel = p.strip_prefix(&dir).unwrap().to_str().unwrap().to_string();
        inputs.push(input(&dir, &rel));
    }
    let loaded = smithy::load(inputs);
    note_false_errors(
        &mut board.report,
        &mut clean_models,
        &loaded,
        "protocol tests",
    );
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expect/realworld-protocol-tests+traitdefs.ast.json"))
            .unwrap(),
    )
    .unwrap();
    let (ours, expected) = (normalize(&loaded.model.to_json_ast()), normalize(&expected));
    let equal = ours == expected;
    if !equal {
        writeln!(
            board.report,
            "protocol closure: {}",
            first_difference(&ours, &expected, "").unwrap_or_default()
        )
        .unwrap();
    }
    board.score(
        "protocol-closure",
        &format!(
            "protocol-test closure equal ({} files)",
            protocol_files.len()
        ),
        usize::from(equal),
        1,
    );

    board.score(
        "realworld-clean",
        "real-world models (AWS + protocol tests): no errors",
        clean_models,
        aws.len() + 1,
    );

    // 5. Syntax errors are rejected, at the line and column the reference gives.
    let rejects = read_list(&dir, "expect/ref-syntax-rejects.txt");
    let (mut ok, mut positioned, mut at_place) = (0, 0, 0);
    for f in &rejects {
        let loaded = smithy::load(vec![input(&dir, f)]);
        let errors = loader_errors(&loaded);
        if errors.is_empty() {
            writeln!(board.report, "syntax-reject accepted: {f}").unwrap();
            continue;
        }
        ok += 1;
        if !f.contains("loader/invalid/") {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        let first = text.lines().next().unwrap_or("");
        let Some(expected) = expected_position(first) else {
            continue;
        };
        positioned += 1;
        let hit = errors
            .iter()
            .any(|d| d.span.line == expected.0 && expected.1.is_none_or(|c| c == d.span.column));
        if hit {
            at_place += 1;
        } else {
            writeln!(
                board.report,
                "position {f}: want {expected:?}, got {}",
                describe(errors[0])
            )
            .unwrap();
        }
    }
    board.score(
        "syntax-rejects",
        "syntax-invalid files rejected",
        ok,
        rejects.len(),
    );
    board.score(
        "reject-positions",
        "  ... at the reference's line and column",
        at_place,
        positioned,
    );

    // 6. Files that parse but that the reference's loader rejects.
    let loader_rejects = read_list(&dir, "expect/ref-loader-rejects.txt");
    let mut ok = 0;
    for f in &loader_rejects {
        let loaded = smithy::load(vec![input(&dir, f)]);
        if loaded
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            ok += 1;
        } else {
            writeln!(board.report, "loader-reject accepted: {f}").unwrap();
        }
    }
    board.score(
        "loader-rejects",
        "loader-invalid files rejected",
        ok,
        loader_rejects.len(),
    );

    // 7. No false errors on error files that expect no events.
    let errorfiles = read_list(&dir, "expect/errorfiles.txt");
    let mut empty = 0;
    let mut ok = 0;
    for f in &errorfiles {
        let errors_path = dir.join(f).with_extension("errors");
        let expected = std::fs::read_to_string(&errors_path).unwrap_or_default();
        // The runner's own meta-tests under `testrunner/invalid` are meant to fail.
        if !expected.trim().is_empty() || f.contains("testrunner/invalid/") {
            continue;
        }
        empty += 1;
        let loaded = smithy::load(vec![input(&dir, f)]);
        let bad: Vec<&Diagnostic> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning && !is_deprecation_event(d))
            .collect();
        if bad.is_empty() {
            ok += 1;
        } else {
            writeln!(board.report, "false event: {}", describe(bad[0])).unwrap();
        }
    }
    board.score(
        "no-false-errors",
        "error files expecting no events: none reported",
        ok,
        empty,
    );

    // 8. The ERROR/DANGER scoreboard of the error files, per event ID.
    let scoreboard = error_scoreboard(&dir, &errorfiles, &mut board.report);
    println!(
        "{:<44} {:>7} {:>7} {:>7}",
        "ERROR/DANGER events by id", "reached", "+msg", "total"
    );
    for (id, score) in &scoreboard.per_id {
        println!(
            "  {id:<42} {:>7} {:>7} {:>7}",
            score.reached, score.with_message, score.total
        );
        let key: &'static str = Box::leak(format!("errors-{id}").into_boxed_str());
        board.reached.insert(key, score.reached);
    }
    let all = scoreboard.overall();
    board.score(
        "errors-all",
        "ERROR/DANGER events: id and shape",
        all.reached,
        all.total,
    );
    board.score(
        "errors-all-message",
        "  ... and message prefix",
        all.with_message,
        all.total,
    );
    board.score(
        "warnings-all",
        "WARNING events: id and shape",
        scoreboard.warnings.reached,
        scoreboard.warnings.total,
    );
    board.score(
        "warnings-all-message",
        "  ... and message prefix",
        scoreboard.warnings.with_message,
        scoreboard.warnings.total,
    );
    board.score(
        "loader-messages",
        "loader (`Model`) events worded as the reference",
        scoreboard.loader_messages.with_message,
        scoreboard.loader_messages.total,
    );
    board.score(
        "errorfiles-exact",
        "files expecting errors: exactly right",
        scoreboard.exact_files,
        scoreboard.files_with_errors,
    );
    println!(
        "files with an error the reference does not raise: {} (ceiling {MAX_FALSE_ERROR_FILES})",
        scoreboard.false_error_files
    );

    println!(
        "files with a warning the reference does not raise: {} (ceiling {MAX_FALSE_WARNING_FILES})",
        scoreboard.false_warning_files
    );

    if let Ok(path) = std::env::var("PLANSMITH_SMITHY_REPORT") {
        std::fs::write(path, &board.report).unwrap();
    }
    let mut failures = Vec::new();
    for (key, floor) in FLOORS {
        let reached = board.reached.get(key).copied().unwrap_or(0);
        if reached < *floor {
            failures.push(format!("{key}: {reached} < floor {floor}"));
        }
    }
    if scoreboard.false_warning_files > MAX_FALSE_WARNING_FILES {
        failures.push(format!(
            "files with a false warning: {} > ceiling {MAX_FALSE_WARNING_FILES}",
            scoreboard.false_warning_files
        ));
    }
    if scoreboard.false_error_files > MAX_FALSE_ERROR_FILES {
        failures.push(format!(
            "files with a false error: {} > ceiling {MAX_FALSE_ERROR_FILES}",
            scoreboard.false_error_files
        ));
    }
    assert!(
        failures.is_empty(),
        "below the floors: {failures:?}\n{}",
        board.lines.join("\n")
    );
}

/// Deprecation warnings, which the reference's test runner does not hold against a file that
/// does not expect them (vendors may deprecate traits and shapes without breaking consumers).
fn is_deprecation_event(d: &Diagnostic) -> bool {
    ["ModelDeprecation", "DeprecatedTrait", "DeprecatedShape"]
        .iter()
        .any(|id| d.code == *id || d.code.starts_with(&format!("{id}.")))
}

struct ExpectedEvent {
    severity: String,
    shape: String,
    message: String,
    id: String,
}

impl ExpectedEvent {
    fn base_id(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }
}

/// `[SEVERITY] shape: message | EventId`.
fn parse_expected(line: &str) -> Option<ExpectedEvent> {
    let rest = line.strip_prefix('[')?;
    let (severity, rest) = rest.split_once("] ")?;
    let (shape, rest) = rest.split_once(':')?;
    let (message, id) = rest.rsplit_once(" | ")?;
    Some(ExpectedEvent {
        severity: severity.to_string(),
        shape: shape.to_string(),
        message: message.strip_prefix(' ').unwrap_or(message).to_string(),
        id: id.trim().to_string(),
    })
}

/// Whether one of our diagnostics is the expected ERROR/DANGER event: an error whose code is the
/// expected ID or one of its sub-IDs (a `Model` event may be any loader error of ours, `SMY…`),
/// about the same shape. Our messages are `shape: text`; loader messages name the shape
/// anywhere.
fn error_matches(e: &ExpectedEvent, d: &Diagnostic) -> bool {
    d.severity == Severity::Error && id_and_shape_match(e, d)
}

/// Loader events of the reference with a sub-ID, and the one loader code of ours that is each.
const LOADER_SUB_IDS: [(&str, &str); 1] = [("Model.BadDocumentationComment", "SMY025")];

/// The expected event's ID (or a sub-ID of it; a loader error for `Model`) and shape.
fn id_and_shape_match(e: &ExpectedEvent, d: &Diagnostic) -> bool {
    let loader_event = e.id == "Model"
        || LOADER_SUB_IDS
            .iter()
            .any(|(id, code)| e.id == *id && d.code == *code);
    if loader_event && d.code.starts_with("SMY") {
        return e.shape == "-" || d.message.contains(&e.shape);
    }
    let id_ok = d.code == e.id || d.code.starts_with(&format!("{}.", e.id));
    let shape_ok = e.shape == "-"
        || d.message
            .split_once(": ")
            .is_some_and(|(s, _)| s == e.shape);
    id_ok && shape_ok
}

/// As [`error_matches`], and the message starts with the expected text, as the reference's
/// runner requires.
fn message_matches(e: &ExpectedEvent, d: &Diagnostic) -> bool {
    error_matches(e, d) && message_prefix_matches(e, d)
}

/// Whether the message starts with the expected text (a loader code of ours for a `Model`
/// event is taken as it is). Escaped line breaks compare as the reference's runner compares
/// them.
fn message_prefix_matches(e: &ExpectedEvent, d: &Diagnostic) -> bool {
    if d.code.starts_with("SMY") {
        return true;
    }
    let message = if e.shape == "-" {
        d.message.as_str()
    } else {
        d.message.split_once(": ").map_or("", |(_, m)| m)
    };
    message.replace('\n', "\\n").starts_with(&e.message)
}

/// Whether one of our loader diagnostics words the expected loader event as the reference
/// does: its message, after the shape it names if any, starts with the expected text.
fn loader_message_matches(e: &ExpectedEvent, d: &Diagnostic) -> bool {
    let message = d.message.replace('\n', "\\n");
    let loader_code = d.code.starts_with("SMY") || d.code.split('.').next() == Some("Model");
    loader_code
        && (message.starts_with(&e.message)
            || message
                .split_once(": ")
                .is_some_and(|(_, m)| m.starts_with(&e.message)))
}

#[derive(Default, Clone, Copy)]
struct IdScore {
    reached: usize,
    with_message: usize,
    total: usize,
}

#[derive(Default)]
struct Scoreboard {
    /// Keyed by the expected event ID's first segment (`Target` for `Target.UnresolvedShape`).
    per_id: BTreeMap<String, IdScore>,
    files_with_errors: usize,
    exact_files: usize,
    false_error_files: usize,
    /// The expected WARNING events, matched by severity, ID and shape.
    warnings: IdScore,
    /// Files with a WARNING the reference does not raise.
    false_warning_files: usize,
    /// The loader's events (`Model`, of any severity), matched by their text: those of ours
    /// (`SMY…`) pass the other counts whatever they say.
    loader_messages: IdScore,
}

impl Scoreboard {
    fn overall(&self) -> IdScore {
        self.per_id
            .values()
            .fold(IdScore::default(), |a, s| IdScore {
                reached: a.reached + s.reached,
                with_message: a.with_message + s.with_message,
                total: a.total + s.total,
            })
    }
}

/// Loads every error file alone and scores the expected ERROR and DANGER events; writes every
/// miss and every error the reference does not raise to `report`.
fn error_scoreboard(dir: &Path, errorfiles: &[String], report: &mut String) -> Scoreboard {
    let mut board = Scoreboard::default();
    for f in errorfiles {
        // The runner's own meta-tests under `testrunner/invalid` are meant to fail.
        if f.contains("testrunner/invalid/") {
            continue;
        }
        let expected_text =
            std::fs::read_to_string(dir.join(f).with_extension("errors")).unwrap_or_default();
        let expected: Vec<ExpectedEvent> = expected_text
            .lines()
            .filter_map(parse_expected)
            .filter(|e| matches!(e.severity.as_str(), "ERROR" | "DANGER"))
            .collect();
        let loaded = smithy::load(vec![input(dir, f)]);
        for e in expected_text
            .lines()
            .filter_map(parse_expected)
            .filter(|e| e.base_id() == "Model")
        {
            board.loader_messages.total += 1;
            if loaded
                .diagnostics
                .iter()
                .any(|d| loader_message_matches(&e, d))
            {
                board.loader_messages.with_message += 1;
            } else {
                writeln!(report, "loader message {f}: {} | {}", e.message, e.id).unwrap();
            }
        }
        for e in expected_text
            .lines()
            .filter_map(parse_expected)
            .filter(|e| e.severity == "WARNING")
        {
            board.warnings.total += 1;
            let warnings = || {
                loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Warning && id_and_shape_match(&e, d))
            };
            if warnings().any(|d| message_prefix_matches(&e, d)) {
                board.warnings.with_message += 1;
            }
            if warnings().next().is_some() {
                board.warnings.reached += 1;
            } else {
                writeln!(
                    report,
                    "missed warning {f}: {}: {} | {}",
                    e.shape, e.message, e.id
                )
                .unwrap();
            }
        }
        let mut exact = true;
        for e in &expected {
            let slot = board.per_id.entry(e.base_id().to_string()).or_default();
            slot.total += 1;
            if loaded.diagnostics.iter().any(|d| message_matches(e, d)) {
                slot.with_message += 1;
            }
            if loaded.diagnostics.iter().any(|d| error_matches(e, d)) {
                slot.reached += 1;
            } else {
                exact = false;
                writeln!(
                    report,
                    "missed error {f}: [{}] {}: {} | {}",
                    e.severity, e.shape, e.message, e.id
                )
                .unwrap();
            }
        }
        // An `.errors` file lists every event of WARNING and above the reference raises.
        let all_expected: Vec<ExpectedEvent> =
            expected_text.lines().filter_map(parse_expected).collect();
        let false_warnings: Vec<&Diagnostic> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning && !is_deprecation_event(d))
            .filter(|d| !all_expected.iter().any(|e| id_and_shape_match(e, d)))
            .collect();
        for d in &false_warnings {
            writeln!(
                report,
                "warning not raised by the reference {f}: {}",
                describe(d)
            )
            .unwrap();
        }
        board.false_warning_files += usize::from(!false_warnings.is_empty());
        let false_errors: Vec<&Diagnostic> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| !expected.iter().any(|e| error_matches(e, d)))
            .collect();
        for d in &false_errors {
            writeln!(
                report,
                "error not raised by the reference {f}: {}",
                describe(d)
            )
            .unwrap();
        }
        if !false_errors.is_empty() {
            board.false_error_files += 1;
            exact = false;
        }
        if !expected.is_empty() {
            board.files_with_errors += 1;
            board.exact_files += usize::from(exact);
        }
    }
    board
}

/// Counts a real-world model as clean when loading it reported no error at all.
fn note_false_errors(report: &mut String, clean: &mut usize, loaded: &LoadedModel, name: &str) {
    let errors: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        *clean += 1;
    }
    for d in errors.iter().take(5) {
        writeln!(report, "real-world error ({name}): {}", describe(d)).unwrap();
    }
}

/// A JSON AST without the shapes and metadata that come from `defs` (the trait definitions
/// loaded alongside a model).
fn without(mut doc: Value, defs: &smithy::Model) -> Value {
    if let Some(shapes) = doc["shapes"].as_object_mut() {
        shapes.retain(|id, _| !defs.shapes.contains_key(id));
    }
    if let Some(meta) = doc["metadata"].as_object_mut() {
        for (key, theirs) in &defs.metadata {
            match (meta.get_mut(key), theirs) {
                (Some(Value::Array(list)), Value::Array(from_defs)) => {
                    for d in from_defs {
                        if let Some(i) = list.iter().position(|x| x == d) {
                            list.remove(i);
                        }
                    }
                    if list.is_empty() {
                        meta.remove(key);
                    }
                }
                (Some(v), d) if v == d => {
                    meta.remove(key);
                }
                _ => {}
            }
        }
    }
    doc
}

fn collect_smithy_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_smithy_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "smithy") {
            out.push(p);
        }
    }
}

/// `line L, column C` in the expected message of an invalid-model file.
fn expected_position(first_line: &str) -> Option<(u32, Option<u32>)> {
    let at = first_line.find("line ")?;
    let mut numbers = first_line[at..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u32>().ok());
    let line = numbers.next()??;
    let column = if first_line[at..].contains("column") {
        numbers.next().flatten()
    } else {
        None
    };
    Some((line, column))
}
