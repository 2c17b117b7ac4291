//! `extract`: writes each smithy and mermaid block of every plan to its own file, plus an
//! `index.json` that maps each written file back to its plan and line.

use crate::check::Checked;
use crate::output::{write_atomic, ArtifactPath};
use crate::plan::BlockKind;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExtractedFile {
    /// Relative to the output folder.
    pub file: String,
    pub source: String,
    pub line: u32,
    pub column: u32,
    pub lang: String,
}

/// The relative file names `extract` writes, in order: `<plan path without .md>/<nn>-<lang>.<ext>`.
pub fn extracted_files(checked: &Checked) -> Vec<(ExtractedFile, &str)> {
    let mut files = Vec::new();
    for plan in &checked.plans {
        let stem = plan
            .path
            .strip_suffix(".md")
            .or_else(|| plan.path.strip_suffix(".markdown"))
            .unwrap_or(&plan.path);
        for block in &plan.blocks {
            let (lang, ext) = match block.kind {
                BlockKind::Smithy => ("smithy", "smithy"),
                BlockKind::Mermaid => ("mermaid", "mmd"),
                BlockKind::Other => continue,
            };
            // Sanitised: a plan named through `..` still lands inside the output folder.
            let file =
                ArtifactPath::new(&format!("{stem}/{:02}-{lang}.{ext}", block.index)).to_string();
            let entry = ExtractedFile {
                file,
                source: plan.path.clone(),
                line: block.line,
                column: block.column,
                lang: lang.to_string(),
            };
            files.push((entry, block.source.text.as_str()));
        }
    }
    files
}

/// Writes the blocks and `index.json` under `out`. Returns the number of files written.
pub fn extract(checked: &Checked, out: &Path) -> std::io::Result<usize> {
    let files = extracted_files(checked);
    for (entry, text) in &files {
        // Identities are relative to the run's root; the path type makes sure of it.
        write_atomic(&ArtifactPath::new(&entry.file).under(out), text.as_bytes())?;
    }
    let index: Vec<&ExtractedFile> = files.iter().map(|(e, _)| e).collect();
    let mut json =
        serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "files": index }))
            .unwrap_or_default();
    json.push('\n');
    write_atomic(&out.join("index.json"), json.as_bytes())?;
    Ok(files.len())
}
