//! Golden SVGs: every mermaid block of the example plans rendered, one insta snapshot each, so
//! that any change to a drawing is seen in review.

use plansmith::plan::{read_plan, BlockKind};
use plansmith::render::render_mermaid;
use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

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
