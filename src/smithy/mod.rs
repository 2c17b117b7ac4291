//! Smithy IDL 2.0 and 1.0: parser, semantic model, JSON AST output and input, name resolution
//! against a prelude shipped in the crate, and first-tier validation.

pub mod ast;
pub mod lexeme;
pub mod parser;
