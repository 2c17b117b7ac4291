#![no_main]
//! The state parser (and the lints over its model), from preprocessing on.

use libfuzzer_sys::fuzz_target;
use plansmith::mermaid::Family;

fuzz_target!(|data: &[u8]| plansmith_fuzz::parse_as(Family::State, "stateDiagram-v2", data));
