#![no_main]
//! The Smithy JSON AST loader: read the document, build the model, resolve names, validate.

use libfuzzer_sys::fuzz_target;
use plansmith::smithy::{self, SmithyInput};
use plansmith::source::SourceText;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::whole_file("model.json", plansmith_fuzz::text_of(data));
    let _ = smithy::load(vec![SmithyInput::JsonAst { source }]);
});
