#![no_main]
//! The class parser (and the lints over its model), from preprocessing on.

use libfuzzer_sys::fuzz_target;
use plansmith::mermaid::Family;

fuzz_target!(|data: &[u8]| plansmith_fuzz::parse_as(Family::Class, "classDiagram", data));
