#![no_main]
//! The Markdown plan reader: header, sections, dependencies, fences, tables, placeholders.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = plansmith::plan::read_plan("plan.md", &plansmith_fuzz::text_of(data));
});
