#![no_main]
//! The whole `check` of a folder holding one plan: discovery, the plan reader, every block's
//! parser, the Smithy model, dependencies, tuning.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| plansmith_fuzz::check_one_plan(data));
