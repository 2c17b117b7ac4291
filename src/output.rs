//! Writing artifacts: atomically (a temporary file in the same folder, then a rename), and not
//! at all when the file already holds the same bytes, so unchanged outputs keep their times.
//!
//! Architecture Invariant: every artifact is written through this module, so a reader never
//! sees half a file; `build` and `extract` name theirs by an [`ArtifactPath`], which cannot
//! leave the output folder.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file's place below an output folder, `/`-separated. It can only be made from components
/// that are sanitised one by one (no separators, no `.`/`..`, no empty or control characters),
/// so however a plan, a file or a shape is named, [`ArtifactPath::under`] stays inside the
/// folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArtifactPath(String);

impl ArtifactPath {
    /// A path of the given components, each sanitised (a `/` in one is not a separator).
    pub fn from_components<'a>(components: impl IntoIterator<Item = &'a str>) -> ArtifactPath {
        let parts: Vec<String> = components.into_iter().map(safe_component).collect();
        if parts.is_empty() {
            return ArtifactPath("_".to_string());
        }
        ArtifactPath(parts.join("/"))
    }

    /// A `/`-separated relative path, each component sanitised: `../x` becomes `__/x`.
    pub fn new(path: &str) -> ArtifactPath {
        ArtifactPath::from_components(path.split('/'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file below `out`, joined component by component.
    pub fn under(&self, out: &Path) -> PathBuf {
        let mut path = out.to_path_buf();
        for component in self.0.split('/') {
            path.push(component);
        }
        path
    }
}

/// One path component that can neither climb nor separate: separators, `:`, and control
/// characters become `_`, as do the dots of a `.` or `..` and an empty component. A component
/// that had to change is marked with a fingerprint of what it was (before its extension), so
/// that two names that clean to the same text (`a:b.md`, `a_b.md`) keep files of their own.
fn safe_component(component: &str) -> String {
    let mut cleaned: String = component
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') {
        cleaned = "_".repeat(cleaned.len().max(1));
    }
    if cleaned == component {
        return cleaned;
    }
    let mark = name_mark(component);
    match cleaned.rfind('.').filter(|&dot| dot > 0) {
        Some(dot) => format!("{}-{mark:016x}{}", &cleaned[..dot], &cleaned[dot..]),
        None => format!("{cleaned}-{mark:016x}"),
    }
}

impl std::ops::Deref for ArtifactPath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<Path> for ArtifactPath {
    fn as_ref(&self) -> &Path {
        Path::new(&self.0)
    }
}

impl std::fmt::Display for ArtifactPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for ArtifactPath {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ArtifactPath {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Whether a write changed the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Changed,
    Unchanged,
}

/// Writes `bytes` to `path` atomically unless the file already holds them; creates the folder.
/// For a few files (`extract`, `render -o`); `build` knows from its manifest what is unchanged
/// and calls [`replace_file`] directly.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<Written> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(Written::Unchanged);
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    replace_file(path, bytes).map(|()| Written::Changed)
}

/// Replaces `path` with `bytes` through a temporary file in the same folder (which must exist)
/// and a rename, so a reader sees the old file or the new one, never a part. No fsync: a crash
/// may lose the new file but never leaves a torn one, and syncing every file costs more than
/// the rest of a build.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.plansmith-{}.tmp", process_id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    // Name the file: "Is a directory" alone does not say which of thousands.
    result.map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// This process's id, asked of the system once: a build names thousands of temporary files
/// with it.
fn process_id() -> u32 {
    static ID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ID.get_or_init(std::process::id)
}

/// A 128-bit fingerprint of the given parts (each length-prefixed, so parts cannot run into each
/// other), stable across runs, platforms and Rust versions: the build's manifest keys its cache
/// and recognises unchanged files with it. Not a defence against crafted collisions.
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u128 {
    let mut print = Fingerprint::default();
    for part in parts {
        print.part(part);
    }
    print.finish()
}

/// A [`fingerprint`] made part by part, where some parts are values' `Debug` text: the text is
/// hashed as it is formatted, never held in a string.
#[derive(Default)]
pub struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Fingerprint {
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The value's `Debug` text as one part, its length after it (it is not known before).
    pub fn debug(&mut self, value: &impl std::fmt::Debug) -> &mut Self {
        struct Counted<'a>(&'a mut xxhash_rust::xxh3::Xxh3, u64);
        impl std::fmt::Write for Counted<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.update(s.as_bytes());
                self.1 += s.len() as u64;
                Ok(())
            }
        }
        let mut sink = Counted(&mut self.0, 0);
        let _ = std::fmt::write(&mut sink, format_args!("{value:?}"));
        let length = sink.1;
        self.0.update(&length.to_le_bytes());
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

/// A short mark of a name, the same in every version of plansmith: it tells apart files whose
/// cleaned names would be equal, and the ids of a plan's drawings; names found in links and ids
/// in committed drawings must not change between releases.
pub fn name_mark(name: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip128::SipHasher13::new_with_keys(0x706c_616e, 0x0073_6d69_7468);
    hasher.write_u64(name.len() as u64);
    hasher.write(name.as_bytes());
    siphasher::sip128::Hasher128::finish128(&hasher).as_u128() as u64
}

/// Writes a file that must not exist yet, atomically: the text is written aside, then linked
/// into place, which fails if a file appeared there meanwhile. Nothing is ever replaced.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn artifact_paths_stay_below_the_folder() {
        assert_eq!(ArtifactPath::new("plans/a/b.html"), "plans/a/b.html");
        // Each component that had to change carries a mark: `-` and 16 hexadecimal digits.
        let marks = |path: &str| {
            let path = ArtifactPath::new(path);
            let components: Vec<String> = path
                .as_str()
                .split('/')
                .map(|c| match c.rsplit_once('-') {
                    Some((kept, mark))
                        if mark.len() == 16 && mark.bytes().all(|b| b.is_ascii_hexdigit()) =>
                    {
                        format!("{kept}-#")
                    }
                    _ => c.to_string(),
                })
                .collect();
            components.join("/")
        };
        assert_eq!(marks("../../victim/index"), "__-#/__-#/victim/index");
        assert_eq!(marks("/etc/passwd"), "_-#/etc/passwd");
        assert_eq!(marks("a/./b\nc"), "a/_-#/b_c-#");
        let service = ArtifactPath::from_components(["services", "../x.html"]);
        assert!(service.as_str().starts_with("services/.._x-"));
        assert!(service.as_str().ends_with(".html"));
        let out = Path::new("/out");
        for hostile in [
            "..",
            "../..",
            "a/../../b",
            "/",
            "",
            "..\\..\\x",
            "a/\u{0}/b",
        ] {
            let path = ArtifactPath::new(hostile).under(out);
            assert!(
                path.starts_with(out)
                    && path
                        .components()
                        .all(|c| !matches!(c, std::path::Component::ParentDir)),
                "{hostile} -> {}",
                path.display()
            );
        }
    }

    #[test]
    fn names_that_clean_to_the_same_text_stay_apart() {
        let names = [
            "a:b.md", "a_b.md", "a\nb.md", "a\\b.md", "a/b.md", "__", "..",
        ];
        let paths: HashSet<ArtifactPath> = names
            .iter()
            .map(|n| ArtifactPath::from_components(["plans", n]))
            .collect();
        assert_eq!(paths.len(), names.len(), "{paths:?}");
        assert_eq!(
            ArtifactPath::from_components(["plans", "a_b.md"]),
            "plans/a_b.md"
        );
    }

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
