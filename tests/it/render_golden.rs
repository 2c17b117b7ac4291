//! Golden SVGs: every mermaid block of the example plans rendered, one insta snapshot each, so
//! that any change to a drawing is seen in review.

use crate::shared::markdown_files;
use plansmith::plan::{read_plan, BlockKind};
use plansmith::render::render_mermaid;
use std::path::Path;

#[test]
fn example_diagrams_render_as_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    markdown_files(&root.join("examples/plans"), &mut files);
    let mut rendered_blocks = 0;
    for path in files {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap();
        let (plan, _) = read_plan(&relative, &text);
        for block in plan.blocks.iter().filter(|b| b.kind == BlockKind::Mermaid) {
            let prefix = format!("b{}-", block.index);
            let (rendered, diagnostics) = render_mermaid(&block.source, &prefix);
            let rendered = rendered.unwrap_or_else(|| {
                panic!(
                    "{relative} block {} not rendered: {diagnostics:?}",
                    block.index
                )
            });
            let name = format!(
                "svg-{}-{}",
                relative
                    .trim_start_matches("examples/plans/")
                    .trim_end_matches(".md")
                    .replace('/', "-"),
                block.index
            );
            insta::assert_snapshot!(name, rendered.svg);
            rendered_blocks += 1;
        }
    }
    assert!(
        rendered_blocks >= 10,
        "only {rendered_blocks} example diagrams"
    );
}
