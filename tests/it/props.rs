//! Property tests: no input makes the readers panic, and the report does not depend on the
//! number of worker threads.

use plansmith::check::{check, CheckOptions};
use plansmith::plan::read_plan;
use plansmith::report::render_json;
use proptest::prelude::*;

/// Pieces that real plans are made of, so that random documents reach deep into the reader
/// (fences in lists and quotes, tables, task lists, header lines, placeholders).
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Title Technical Implementation Plan\n".to_string()),
        Just("| **Status:** Draft <!-- x -->\n".to_string()),
        Just("| **Target Date:** 31-02-2027 |\n".to_string()),
        Just("---\nstatus: Draft\n---\n".to_string()),
        Just("## Dependencies\n".to_string()),
        Just("- [Other](../other/plan.md)\n".to_string()),
        Just("- [ ] task [placeholder]\n".to_string()),
        Just("> ```mermaid\n> flowchart LR\n".to_string()),
        Just("  ~~~smithy\n\tstring X\n".to_string()),
        Just("```\n".to_string()),
        Just("| a | b |\n|---|---|\n| [x] | é |\n".to_string()),
        Just("%%{init: {}}%%\n".to_string()),
        "[ -~\t\n]{0,40}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let text = String::from_utf8_lossy(&bytes);
        let (plan, _) = read_plan("p.md", &text);
        for block in &plan.blocks {
            let _ = plansmith::mermaid::parse(&block.source);
        }
    }

    #[test]
    fn plan_shaped_text_never_panics(parts in proptest::collection::vec(fragment(), 0..40)) {
        let text = parts.concat();
        let (plan, diagnostics) = read_plan("p.md", &text);
        for block in &plan.blocks {
            let parsed = plansmith::mermaid::parse(&block.source);
            for d in parsed.diagnostics {
                prop_assert!(d.span.line >= 1 && d.span.column >= 1);
            }
        }
        for d in diagnostics {
            prop_assert!(d.span.line >= 1 && (d.span.line as usize) <= text.lines().count().max(1) + 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn same_report_for_any_thread_count(
        docs in proptest::collection::vec(proptest::collection::vec(fragment(), 0..12), 1..12),
        jobs in 2usize..6,
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (i, parts) in docs.iter().enumerate() {
            let sub = dir.path().join(format!("p{}", i % 3));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(format!("plan{i}.md")), parts.concat()).unwrap();
        }
        let run = |jobs| render_json(&check(&CheckOptions {
            paths: vec![dir.path().to_path_buf()],
            model_paths: Vec::new(),
            jobs,
            ..CheckOptions::default()
        }));
        prop_assert_eq!(run(1), run(jobs));
    }
}
