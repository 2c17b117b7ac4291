#![no_main]
//! The Smithy IDL loader: parse, build the model, resolve names, validate.

use libfuzzer_sys::fuzz_target;
use plansmith::smithy::{self, IdlOrigin, SmithyInput};
use plansmith::source::SourceText;

fuzz_target!(|data: &[u8]| {
    let source = SourceText::whole_file("model.smithy", plansmith_fuzz::text_of(data));
    let _ = smithy::load(vec![SmithyInput::Idl {
        source,
        origin: IdlOrigin::StandaloneFile,
    }]);
});
