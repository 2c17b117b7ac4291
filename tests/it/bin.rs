//! Running the plansmith binary as a user does, from the crate's folder.

use std::path::Path;
use std::process::Command;

/// Runs plansmith in the crate's folder, without colour: (exit status, stdout, stderr).
pub fn plansmith(args: &[&str]) -> (i32, String, String) {
    plansmith_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, "")
}

/// Runs plansmith in `dir` with `stdin` as its standard input: (exit status, stdout, stderr).
pub fn plansmith_in(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_plansmith"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run plansmith");
    if let Some(mut input) = child.stdin.take() {
        // plansmith may not read it all (e.g. when the arguments are refused).
        let _ = input.write_all(stdin.as_bytes());
    }
    let output = child.wait_with_output().expect("run plansmith");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Copies a folder of fixtures into a scratch repository.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
