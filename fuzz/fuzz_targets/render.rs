#![no_main]
//! The renderer: any diagram a family parser accepts, laid out and drawn to SVG.

use libfuzzer_sys::fuzz_target;
use plansmith::source::SourceText;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::whole_file("f.mmd", plansmith_fuzz::text_of(data));
    let _ = plansmith::render::render_mermaid(&source, "f");
});
