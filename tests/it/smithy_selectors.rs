//! The selector cases of the Smithy suite (`selectorTests` metadata in
//! `suite/smithy-model/selector/**`): each selector's matches over the file's model (the
//! prelude included unless `skipPreludeShapes`) must equal the listed shape IDs. Prints the
//! score and every disagreement; fails below `FLOOR`.

use crate::shared::conformance_dir;
use plansmith::smithy;
use plansmith::smithy::selector::{Selector, ShapeIndex};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Cases that agree with the reference; a change that falls below fails.
const FLOOR: usize = 90;

fn smithy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            smithy_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "smithy" || e == "json") {
            out.push(p);
        }
    }
}

#[test]
fn selector_cases_match_the_reference() {
    let Some(dir) = conformance_dir("smithy") else {
        return;
    };
    let mut files = Vec::new();
    smithy_files(&dir.join("suite/smithy-model/selector"), &mut files);
    files.sort();
    let (mut ok, mut total) = (0, 0);
    let mut report = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let input = crate::shared::smithy_input(Path::new(""), &name);
        let loaded = smithy::load(vec![input]);
        let Some(cases) = loaded
            .model
            .metadata
            .get("selectorTests")
            .and_then(Value::as_array)
        else {
            continue;
        };
        let index = ShapeIndex::new(&loaded.model);
        for case in cases {
            total += 1;
            let text = case["selector"].as_str().unwrap_or_default();
            let skip_prelude = case["skipPreludeShapes"].as_bool() == Some(true);
            let want: BTreeSet<String> = case["matches"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let selector = match Selector::parse(text) {
                Ok(s) => s,
                Err(e) => {
                    report.push(format!("{name}: {text}: {e}"));
                    continue;
                }
            };
            let got: BTreeSet<String> = selector
                .select(&index)
                .into_iter()
                .map(|n| index.node(n))
                .filter(|n| !(skip_prelude && n.prelude))
                .map(|n| n.id().into_owned())
                .collect();
            if got == want {
                ok += 1;
            } else {
                let extra: Vec<&String> = got.difference(&want).collect();
                let missing: Vec<&String> = want.difference(&got).collect();
                report.push(format!(
                    "{name}: {text}: extra {extra:?}, missing {missing:?}"
                ));
            }
        }
    }
    println!("selector cases: {ok}/{total}");
    for line in &report {
        println!("  {line}");
    }
    assert!(ok >= FLOOR, "{ok}/{total} below floor {FLOOR}");
}

mod never_panics {
    use plansmith::smithy::selector::{Selector, ShapeIndex};
    use plansmith::smithy::{self, IdlOrigin, SmithyInput};
    use plansmith::source::SourceText;
    use proptest::prelude::*;

    const MODEL: &str = r#"$version: "2.0"
namespace ex
@trait(selector: "structure > member")
structure tag {}
service S { version: "1", operations: [Op], resources: [R] }
resource R { identifiers: { id: String }, read: Read }
@readonly operation Read { input := { @required id: String }, output := { @tag v: L } }
operation Op { input: I, errors: [E] }
structure I { @length(min: 1) a: String, b: M }
@error("client") structure E { message: String }
list L { member: I }
map M { key: String, value: L }
enum C {
    A
    B = "b"
}
"#;

    /// Pieces of the selector grammar, so that random selectors reach every branch.
    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("*".to_string()),
            Just(" ".to_string()),
            Just("structure".to_string()),
            Just("member".to_string()),
            Just("> ".to_string()),
            Just("<".to_string()),
            Just("~>".to_string()),
            Just("-[input, output]->".to_string()),
            Just("<-[member]-".to_string()),
            Just(":is(".to_string()),
            Just(":not(".to_string()),
            Just(":test(".to_string()),
            Just(":in(".to_string()),
            Just(":root(".to_string()),
            Just(":topdown(".to_string()),
            Just(":recursive(".to_string()),
            Just(")".to_string()),
            Just(",".to_string()),
            Just("[trait|length|min>=1]".to_string()),
            Just("[id|name^='I' i]".to_string()),
            Just("[@trait|length: @{min} < @{max}]".to_string()),
            Just("[@: @{trait|(keys)} {<} @{var|x|trait|(keys)}]".to_string()),
            Just("$x(".to_string()),
            Just("${x}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            "[ -~]{0,6}",
        ]
    }

    fn check(text: &str) {
        let source = SourceText::whole_file("m.smithy", MODEL.to_string());
        let loaded = smithy::load(vec![SmithyInput::Idl {
            source,
            origin: IdlOrigin::StandaloneFile,
        }]);
        let index = ShapeIndex::new(&loaded.model);
        if let Ok(s) = Selector::parse(text) {
            let _ = s.select(&index);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn selector_strings_never_panic(parts in proptest::collection::vec(token(), 0..30)) {
            check(&parts.concat());
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,60}") {
            check(&text);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [
            (":is(", ")"),
            ("$x(", ")"),
            (":not(", ")"),
            (":test(* > ", ")"),
        ] {
            let text = format!("{}string{}", open.repeat(5000), close.repeat(5000));
            let e = Selector::parse(&text).unwrap_err();
            assert!(e.message.contains("maximum allowed nesting depth"), "{e}");
        }
        check(&"* > ".repeat(5000));
        check(&format!("{}*", "* > ".repeat(5000)));
    }
}
