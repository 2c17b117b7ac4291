//! `build --watch` and `serve`: long-running children started on a scratch copy of
//! `tests/fixtures/live`, driven by editing a plan, and always killed at the end. Every wait
//! has a deadline, so a child that hangs fails the test instead of hanging it.

use crate::bin::copy_tree;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long a child gets for a build (the machine may be busy).
const DEADLINE: Duration = Duration::from_secs(90);

/// A running plansmith; killed when dropped, whatever the test's outcome.
struct Running {
    args: String,
    child: Child,
    stderr: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(dir: &Path, args: &[&str]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plansmith"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start plansmith");
        let (tx, stderr) = channel();
        let pipe = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            args: args.join(" "),
            child,
            stderr,
            seen: Vec::new(),
        }
    }

    /// The next stderr line that `wanted` accepts, failing the test at the deadline.
    fn line(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "plansmith {}: no such line before the deadline; stderr:\n{}",
                    self.args,
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The summary line of the next build.
    fn build_summary(&mut self) -> String {
        self.line(|l| l.contains("artifacts to"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live");
    copy_tree(&fixture, dir.path());
    dir
}

/// Every `.svg` file under `dir`, with its text.
fn drawings(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "svg") {
                found.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    found
}

fn edit_plan(dir: &Path, from: &str, to: &str) {
    let plan = dir.join("plans/orders/plan.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(text.contains(from));
    std::fs::write(&plan, text.replace(from, to)).unwrap();
}

#[test]
fn build_watch_rebuilds_only_what_changed_after_an_edit() {
    // Once with the system's notifications, once with the polling fallback.
    for extra in [&[][..], &["--poll"][..]] {
        let dir = scratch();
        let mut args = vec!["build", "plans", "--out", "site", "--no-config", "--watch"];
        args.extend(extra);
        let mut watching = Running::start(dir.path(), &args);
        let first = watching.build_summary();
        assert!(first.contains("drawings made"), "{first}");
        let before = drawings(&dir.path().join("site"));
        assert!(
            before.iter().any(|(_, svg)| svg.contains("Bravo")),
            "{extra:?}"
        );

        // A poller takes its first look at the files on its own thread: give it time to.
        std::thread::sleep(Duration::from_secs(2));
        edit_plan(dir.path(), "Bravo", "Charlie");
        let second = watching.build_summary();
        // The flowchart changed and is drawn again; the state diagram is taken from the cache.
        assert!(second.contains(" 1 drawings made"), "{extra:?}: {second}");
        let after = drawings(&dir.path().join("site"));
        assert!(
            after.iter().any(|(_, svg)| svg.contains("Charlie")),
            "{extra:?}"
        );
        assert!(
            !after.iter().any(|(_, svg)| svg.contains("Bravo")),
            "{extra:?}"
        );
        let unchanged =
            |(path, svg): &(PathBuf, String)| after.contains(&(path.clone(), svg.clone()));
        assert!(
            before
                .iter()
                .any(|d| d.1.contains("Submitted") && unchanged(d)),
            "{extra:?}"
        );
    }
}

/// One HTTP/1.0 request by hand (no client normalises the path): (status, body).
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("");
    (status, body.to_string())
}

#[test]
fn serve_answers_pages_refuses_traversal_and_signals_a_rebuild() {
    let dir = scratch();
    std::fs::write(dir.path().join("secret.txt"), "not for the browser").unwrap();
    let mut serving = Running::start(
        dir.path(),
        &[
            "serve",
            "plans",
            "--out",
            "site/out",
            "--port",
            "0",
            "--no-config",
        ],
    );
    let ready = serving.line(|l| l.starts_with("serving http://"));
    let address = ready
        .trim_start_matches("serving http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert!(address.starts_with("127.0.0.1:"), "{ready}");
    serving.build_summary();

    let (status, page) = get(&address, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<title>") && page.contains("Orders"),
        "{page}"
    );
    assert!(
        page.contains("/__plansmith/generation"),
        "the reload script is in the page"
    );
    let (status, _) = get(&address, "/no-such-page.html");
    assert_eq!(status, 404);
    for traversal in [
        "/../../secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/..%2f..%2fsecret.txt",
    ] {
        let (status, body) = get(&address, traversal);
        assert_eq!(status, 403, "{traversal}");
        assert!(!body.contains("not for the browser"), "{traversal}");
    }

    // Pages reload when the number changes: once per rebuild that changed the site.
    let generation =
        |address: &str| -> u64 { get(address, "/__plansmith/generation").1.parse().unwrap() };
    let before = generation(&address);
    edit_plan(dir.path(), "Bravo", "Charlie");
    serving.build_summary();
    assert_eq!(generation(&address), before + 1);
    // The redrawn diagram is what is served now.
    let site = dir.path().join("site/out");
    let (path, _) = drawings(&site)
        .into_iter()
        .find(|(_, svg)| svg.contains("Charlie"))
        .expect("the flowchart is redrawn");
    let url = path
        .strip_prefix(&site)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let (status, served) = get(&address, &format!("/{url}"));
    assert_eq!(status, 200, "{url}");
    assert!(
        served.contains("Charlie") && !served.contains("Bravo"),
        "{url}"
    );
}
