//! Writing artifacts: atomically (a temporary file in the same folder, then a rename), and not
//! at all when the file already holds the same bytes, so unchanged outputs keep their times.

use std::io::Write;
use std::path::Path;

/// Whether a write changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Changed,
    Unchanged,
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<Written> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(Written::Unchanged);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.plansmith-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|()| Written::Changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_write_of_same_bytes_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        assert_eq!(write_atomic(&path, b"x").unwrap(), Written::Changed);
        assert_eq!(write_atomic(&path, b"x").unwrap(), Written::Unchanged);
        assert_eq!(write_atomic(&path, b"y").unwrap(), Written::Changed);
        assert_eq!(std::fs::read(&path).unwrap(), b"y");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
