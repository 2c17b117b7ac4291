//! A Smithy model made of a chain of `n` mixins: each adds a member and mixes in the one
//! before (`M0` … `M{n-1}`), and `Leaf` mixes in the last, so `Leaf` has `n` members. Used by
//! the smithy bench and by a test that a long chain loads.

pub fn mixin_chain(n: usize) -> String {
    let mut text = String::from("$version: \"2.0\"\nnamespace example.chain\n\n");
    for i in 0..n {
        let with = if i == 0 {
            String::new()
        } else {
            format!(" with [M{}]", i - 1)
        };
        text.push_str(&format!(
            "@mixin\nstructure M{i}{with} {{\n    m{i}: String\n}}\n\n"
        ));
    }
    text.push_str(&format!("structure Leaf with [M{}] {{}}\n", n.max(1) - 1));
    text
}
