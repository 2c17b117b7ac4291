//! `build --watch` (and the rebuilds of `serve`): build once, then build again after every
//! change to the inputs. Changes are seen with the notify crate (inotify, FSEvents, ...) behind
//! a debouncer (notify-debouncer-full, which keeps the kind of each event), so that an editor's burst of writes makes one rebuild; where the platform's
//! watcher cannot be had (or with `--poll`), the folders are polled. Each rebuild reuses the
//! build cache (`.plansmith-build`): only drawings whose source changed are laid out again and
//! only files whose bytes changed are written.

use crate::build::{build, BuildOptions, BuildResult};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, DebouncedEvent, Debouncer, NoCache,
    RecommendedCache,
};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// How long the inputs must be quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// How often the polling watcher looks at the inputs.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Which kind of watcher to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    /// The platform's notifications, else polling.
    Native,
    /// Polling only (network and container file systems that send no notifications).
    Poll,
}

/// A watcher of either kind; kept alive as long as changes are wanted.
enum AnyDebouncer {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl AnyDebouncer {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            AnyDebouncer::Native(d) => d.watch(path, mode),
            AnyDebouncer::Poll(d) => d.watch(path, mode),
        }
    }
}

/// Builds, reports the build to `after_build`, then rebuilds after each change to the inputs
/// (the paths and model paths of `options.check`) and reports again. Returns only when the
/// inputs cannot be watched.
pub fn watch(
    options: &BuildOptions,
    mode: WatchMode,
    after_build: &mut dyn FnMut(std::io::Result<BuildResult>),
) -> notify::Result<()> {
    let quiet = &|_: &str, _: usize, _: usize| {};
    // Watching starts before the first build, so that no change made during it is missed; the
    // output folder is made first so that its real path is known (the build reports failures).
    let _ = std::fs::create_dir_all(&options.out);
    let out = absolute(&options.out);
    let (_watcher, changes) = start_watching(options, mode)?;
    after_build(build(options, quiet));
    while let Ok(events) = changes.recv() {
        let mut relevant = changes_input(&events, &out);
        // What is already queued is seen by this rebuild too.
        while let Ok(more) = changes.try_recv() {
            relevant |= changes_input(&more, &out);
        }
        if relevant {
            after_build(build(options, quiet));
        }
    }
    Ok(())
}

/// Whether a batch of events may change the build (a watcher error may hide a change).
fn changes_input(events: &DebounceEventResult, out: &Path) -> bool {
    match events {
        Ok(events) => events.iter().any(|event| is_input_change(event, out)),
        Err(_) => true,
    }
}

/// Starts watching every input; the receiver gets debounced batches of changed paths.
fn start_watching(
    options: &BuildOptions,
    mode: WatchMode,
) -> notify::Result<(AnyDebouncer, Receiver<DebounceEventResult>)> {
    let roots: Vec<PathBuf> = options
        .check
        .paths
        .iter()
        .chain(&options.check.model_paths)
        .map(|p| absolute(p))
        .collect();
    if mode == WatchMode::Native {
        let (tx, rx) = channel();
        let native = new_debouncer(DEBOUNCE, None, tx)
            .map(AnyDebouncer::Native)
            .and_then(|mut watcher| watch_all(&mut watcher, &roots).map(|()| watcher));
        // No notifications to be had (no inotify, too many watches): poll instead.
        if let Ok(watcher) = native {
            return Ok((watcher, rx));
        }
    }
    let (tx, rx) = channel();
    let mut poller = new_debouncer_opt::<_, PollWatcher, NoCache>(
        DEBOUNCE,
        None,
        tx,
        NoCache::new(),
        notify::Config::default().with_poll_interval(POLL_INTERVAL),
    )
    .map(AnyDebouncer::Poll)?;
    watch_all(&mut poller, &roots)?;
    Ok((poller, rx))
}

fn watch_all(watcher: &mut AnyDebouncer, roots: &[PathBuf]) -> notify::Result<()> {
    for root in roots {
        let mode = if root.is_dir() {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        watcher.watch(root, mode)?;
    }
    Ok(())
}

/// Whether an event can change the build: a file was made, changed or removed (reading one,
/// as every build does, is no change), not in the build's own output (the output folder may lie
/// inside a watched folder) nor in a version-control folder. notify names paths under the
/// (absolute, resolved) roots it was given.
fn is_input_change(event: &DebouncedEvent, out: &Path) -> bool {
    !matches!(event.kind, EventKind::Access(_))
        && event.paths.iter().any(|path| {
            !path.starts_with(out)
                && !path
                    .components()
                    .any(|c| c == Component::Normal(".git".as_ref()))
        })
}

/// The path made absolute and lexically normalised, with its real location where it exists
/// (so `out` and the paths notify reports compare equal through symbolic links).
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| crate::paths::absolute(path))
}
