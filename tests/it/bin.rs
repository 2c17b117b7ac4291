//! Running the plansmith binary as a user does, from the crate's folder.

use std::process::Command;

/// Runs plansmith in the crate's folder, without colour: (exit status, stdout, stderr).
pub fn plansmith(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_plansmith"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run plansmith");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
