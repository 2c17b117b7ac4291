//! Plan identities and the paths and URIs made of them.
//!
//! Every input file is named by its path relative to one root folder, the same for the whole
//! run, so that names are unique for any set of inputs and the same in every report and
//! artifact. The root is the working directory when every input is under it (identities are
//! then the paths a user types and a CI job's checkout knows), else the deepest folder that
//! holds every input.

use std::path::{Component, Path, PathBuf};

/// The folder identities are relative to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Root {
    /// Absolute, without `.` or `..`.
    pub dir: PathBuf,
    /// Whether `dir` is the working directory: identities are then paths the user can open.
    pub is_working_dir: bool,
    /// The deepest folder holding every input (absolute): where links written from the
    /// repository root start when no git repository holds a plan.
    pub inputs_ancestor: PathBuf,
}

impl Root {
    /// The root for inputs whose folders (a folder given, or the folder of a file given) are
    /// `anchors`, all absolute and normalised.
    pub fn for_inputs(working_dir: &Path, anchors: &[PathBuf]) -> Root {
        let inputs_ancestor = common_ancestor(anchors).unwrap_or_else(|| working_dir.into());
        if anchors.iter().all(|a| a.starts_with(working_dir)) {
            Root {
                dir: working_dir.to_path_buf(),
                is_working_dir: true,
                inputs_ancestor,
            }
        } else {
            Root {
                dir: inputs_ancestor.clone(),
                is_working_dir: false,
                inputs_ancestor,
            }
        }
    }

    /// The identity of an absolute, normalised path under the root; `None` outside it, and for
    /// a run that never got to its inputs (no root).
    pub fn identity(&self, path: &Path) -> Option<String> {
        if !self.dir.has_root() {
            return None;
        }
        let relative = path.strip_prefix(&self.dir).ok()?;
        let identity = slash_path(relative);
        (!identity.is_empty()).then_some(identity)
    }

    /// Where a reader finds the file of an identity: the identity itself when the root is the
    /// working directory, else the absolute path.
    pub fn display(&self, identity: &str) -> String {
        if self.is_working_dir {
            identity.to_string()
        } else {
            slash_path(&self.dir.join(identity))
        }
    }

    /// The root as reports name it: `.` for the working directory, else its absolute path.
    pub fn name(&self) -> String {
        if self.is_working_dir {
            ".".to_string()
        } else {
            slash_path(&self.dir)
        }
    }

    /// The root as a `file:` URI ending in `/`, so that relative references resolve under it.
    pub fn uri(&self) -> String {
        let mut uri = file_uri(&self.dir);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// `path` made absolute against the working directory, with `.` and `..` removed lexically
/// (the path is only a name here; nothing is read through it).
pub fn absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    normalise(&absolute)
}

/// `.` and `..` removed lexically; `..` never climbs above the start of the path.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The deepest folder that holds every path (component-wise), or `None` for no paths.
pub fn common_ancestor(paths: &[PathBuf]) -> Option<PathBuf> {
    let (first, rest) = paths.split_first()?;
    let mut ancestor = first.clone();
    for path in rest {
        while !path.starts_with(&ancestor) {
            if !ancestor.pop() {
                return Some(PathBuf::new());
            }
        }
    }
    Some(ancestor)
}

/// A path with `/` separators, without `.` components; an absolute path keeps one leading `/`.
pub fn slash_path(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        let piece = match component {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(prefix) => {
                out.push_str(&prefix.as_os_str().to_string_lossy());
                continue;
            }
            Component::ParentDir => "..".into(),
            Component::Normal(name) => name.to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&piece);
    }
    out
}

/// A `/`-separated path as it may stand in a URI or an `href`: every byte outside the
/// unreserved set and `/` percent-encoded (spaces, `%`, `#`, `:`, non-ASCII as UTF-8 bytes).
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Percent-decoding of a link as written in Markdown (`a%20b.md` names `a b.md`); a `%` not
/// followed by two hex digits stays, and bytes that do not form UTF-8 are replaced.
pub fn decode_uri_path(link: &str) -> String {
    let bytes = link.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `file:` URI of an absolute path.
pub fn file_uri(path: &Path) -> String {
    let slashed = slash_path(path);
    // A Windows drive (`C:`) keeps its colon; everything else is encoded.
    let (drive, rest) = match slashed.as_bytes() {
        [letter, b':', ..] if letter.is_ascii_alphabetic() => slashed.split_at(2),
        _ => ("", slashed.as_str()),
    };
    let separator = if drive.is_empty() { "" } else { "/" };
    format!("file://{separator}{drive}{}", encode_uri_path(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_paths_keep_one_leading_slash() {
        assert_eq!(slash_path(Path::new("/abs/plans/a.md")), "/abs/plans/a.md");
        assert_eq!(slash_path(Path::new("./plans/a.md")), "plans/a.md");
        assert_eq!(slash_path(Path::new("/")), "/");
    }

    #[test]
    fn normalising_and_ancestors() {
        assert_eq!(normalise(Path::new("/a/b/../c/./d")), Path::new("/a/c/d"));
        assert_eq!(normalise(Path::new("/../a")), Path::new("/a"));
        let paths = [
            PathBuf::from("/w/plans/booking"),
            PathBuf::from("/w/plans/pay"),
        ];
        assert_eq!(common_ancestor(&paths), Some(PathBuf::from("/w/plans")));
        let apart = [PathBuf::from("/w/a"), PathBuf::from("/x/b")];
        assert_eq!(common_ancestor(&apart), Some(PathBuf::from("/")));
    }

    #[test]
    fn root_is_the_working_directory_when_it_holds_every_input() {
        let cwd = Path::new("/w");
        let inside = Root::for_inputs(cwd, &[PathBuf::from("/w/plans/a")]);
        assert!(inside.is_working_dir);
        assert_eq!(
            inside.identity(Path::new("/w/plans/a/x.md")).unwrap(),
            "plans/a/x.md"
        );
        assert_eq!(inside.name(), ".");
        let outside = Root::for_inputs(cwd, &[PathBuf::from("/t/a"), PathBuf::from("/t/b")]);
        assert_eq!(outside.dir, Path::new("/t"));
        assert_eq!(outside.display("a/x.md"), "/t/a/x.md");
        assert_eq!(outside.uri(), "file:///t/");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri_path("a b/50%/é#:x"), "a%20b/50%25/%C3%A9%23%3Ax");
        assert_eq!(decode_uri_path("a%20b/%C3%A9%zz"), "a b/é%zz");
        assert_eq!(file_uri(Path::new("/t/a b")), "file:///t/a%20b");
    }
}
