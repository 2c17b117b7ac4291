//! `plansmith serve`: builds the review site, serves the output folder on 127.0.0.1 and
//! rebuilds it (see [`watch`]) when an input changes; open pages reload themselves after a
//! rebuild that changed something.
//!
//! Only files inside the output folder are served: a request path is percent-decoded and
//! split into segments, a `..` segment (or a backslash, a NUL, a drive letter) is refused, and
//! the file found is checked to lie inside the folder once symbolic links are resolved. HTML
//! pages get a small script before `</body>` that asks [`GENERATION_PATH`] once a second and
//! reloads the page when the number there changes; no page on disk is modified.

pub mod watch;

use crate::build::{BuildOptions, BuildResult};
use std::io::Cursor;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, Server};
pub use watch::WatchMode;

/// Answers the number of rebuilds that changed the site so far (reload script).
pub const GENERATION_PATH: &str = "/__plansmith/generation";

/// The script added to every served HTML page.
const RELOAD_SCRIPT: &str = concat!(
    "<script>(function(){var seen=null;function poll(){fetch('/__plansmith/generation',",
    "{cache:'no-store'}).then(function(r){return r.text();}).then(function(g){",
    "if(seen!==null&&g!==seen){location.reload();}seen=g;}).catch(function(){})",
    ".then(function(){setTimeout(poll,1000);});}poll();})();</script>"
);

/// A running server: its address, and the count of site changes that pages watch.
pub struct Site {
    pub address: SocketAddr,
    generation: Arc<AtomicU64>,
}

impl Site {
    /// Tells open pages to reload when a build wrote or removed a file.
    pub fn built(&self, result: &BuildResult) {
        if result.changed > 0 || result.removed > 0 {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Binds 127.0.0.1:`port` (0: any free port) and serves `out` on a thread of its own.
pub fn start(out: &Path, port: u16) -> std::io::Result<Site> {
    let server = Server::http(("127.0.0.1", port)).map_err(std::io::Error::other)?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| std::io::Error::other("the server has no IP address"))?;
    let generation = Arc::new(AtomicU64::new(0));
    let root = out.to_path_buf();
    let count = Arc::clone(&generation);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            // A client that went away is no reason to stop serving the others.
            let _ = answer(request, &root, &count);
        }
    });
    Ok(Site {
        address,
        generation,
    })
}

/// Serves `options`' site: builds, starts the server, calls `ready` with its address, then
/// rebuilds on every change, calling `after_build` with each build. Returns only on failure.
pub fn serve(
    options: &BuildOptions,
    port: u16,
    mode: WatchMode,
    ready: &mut dyn FnMut(SocketAddr),
    after_build: &mut dyn FnMut(&std::io::Result<BuildResult>),
) -> std::io::Result<()> {
    // The folder must exist before the server resolves paths under it.
    std::fs::create_dir_all(&options.out)?;
    let site = start(&options.out, port)?;
    ready(site.address);
    let mut report = |result: std::io::Result<BuildResult>| {
        if let Ok(result) = &result {
            site.built(result);
        }
        after_build(&result);
    };
    watch::watch(options, mode, &mut report).map_err(std::io::Error::other)
}

fn answer(request: Request, root: &Path, generation: &AtomicU64) -> std::io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(text(405, "only GET and HEAD are served"));
    }
    let url = request.url();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == GENERATION_PATH {
        let count = generation.load(Ordering::SeqCst).to_string();
        return request.respond(text(200, &count).with_header(header("Cache-Control", "no-store")));
    }
    let Some(file) = file_for(root, path) else {
        return request.respond(text(403, "outside the site"));
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let content_type = content_type(&file);
            let body = if content_type.starts_with("text/html") {
                with_reload_script(bytes)
            } else {
                bytes
            };
            request.respond(
                Response::from_data(body)
                    .with_header(header("Content-Type", content_type))
                    .with_header(header("Cache-Control", "no-cache"))
                    .with_header(header("X-Content-Type-Options", "nosniff")),
            )
        }
        Err(_) => request.respond(text(404, "not found")),
    }
}

/// The file a request path names under `root` (`index.html` for a folder), or `None` when the
/// path would leave `root`. A file that does not exist is returned as is (it answers 404).
pub fn file_for(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = crate::paths::decode_uri_path(url_path);
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        if segment.contains(['\\', '\0']) {
            return None;
        }
        match Path::new(segment).components().next() {
            None | Some(Component::CurDir) => {}
            Some(Component::Normal(name)) if Path::new(segment).components().count() == 1 => {
                file.push(name)
            }
            // `..`, a root, a drive prefix.
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    // A symbolic link inside the site may point outside it.
    if let (Ok(real_root), Ok(real_file)) = (root.canonicalize(), file.canonicalize()) {
        if !real_file.starts_with(real_root) {
            return None;
        }
    }
    Some(file)
}

fn with_reload_script(mut page: Vec<u8>) -> Vec<u8> {
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    page.splice(at..at, RELOAD_SCRIPT.bytes());
    page
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn text(status: u16, body: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    // Both are ASCII constants here, which `from_bytes` always accepts.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        let root = Path::new("/site");
        for refused in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/a%2f..%2f..%2fx",
            "/a\\..\\x",
            "/%00",
        ] {
            assert_eq!(file_for(root, refused), None, "{refused}");
        }
        assert_eq!(
            file_for(root, "/p/a%20b.svg"),
            Some(PathBuf::from("/site/p/a b.svg"))
        );
        assert_eq!(
            file_for(root, "/./p//x.html"),
            Some(PathBuf::from("/site/p/x.html"))
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_last_body_end() {
        let page = with_reload_script(b"<p></body></BODY>".to_vec());
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<p></body><script>"), "{page}");
        assert!(page.ends_with("</script></BODY>"));
    }
}
