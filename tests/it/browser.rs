//! The review site of `examples/` in a real browser: headless chromium, driven over the
//! DevTools protocol (a websocket), opens every page at 1366×900 and at 390×844 from `file://`
//! and checks what a reviewer would see: no horizontal overflow of the page, every link, image,
//! object, script and stylesheet resolves to a file of the site (or to the repository's URL), no
//! console error or uncaught exception, the search box finds an operation, and a click on a
//! diagram opens it at full size.
//!
//! Skipped with a notice when no chromium is installed; with `PLANSMITH_REQUIRE_BROWSER=1` it
//! fails instead. Every wait has a deadline, and the browser (started with a profile of its own
//! in a temporary folder) is closed, or killed, when the test ends or fails.

use scraper::{Html, Selector};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// The sizes a reviewer opens the site at: a laptop and a phone (CSS pixels).
const SIZES: [(u32, u32, bool); 2] = [(1366, 900, false), (390, 844, true)];

/// The longest a single step (a command, a page load, a condition) may take.
const STEP: Duration = Duration::from_secs(20);

/// The longest the page may take to reach a state after an action (a click, typing).
const CONDITION: Duration = Duration::from_secs(5);

/// Where the plans' sources are shown: the only external URLs the site may link to.
const REPOSITORY: &str = "https://git.example.com/harbor/plans/blob/main";

/// The chromium to use: `PLANSMITH_CHROMIUM`, else the first of the usual names that runs.
pub(crate) fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PLANSMITH_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(PathBuf::from)
}

/// A headless chromium with one page, attached over the DevTools protocol.
struct Browser {
    socket: WebSocket<TcpStream>,
    /// The page's session (flattened sessions: every page command carries it).
    session: String,
    next_id: u64,
    /// The page's events since the last navigation.
    events: Vec<Value>,
    // Dropped in this order, after `Browser::drop` asked the browser to close: the process,
    // then its profile.
    _process: Process,
    _profile: tempfile::TempDir,
}

/// The browser's process: when dropped, given `grace` to end, then killed (only this child).
struct Process {
    child: Child,
    grace: Duration,
}

impl Process {
    /// Fails, with what chromium said, when it has ended or the deadline has passed.
    fn check_alive(&mut self, profile: &Path, deadline: Instant) {
        if let Some(status) = self.child.try_wait().unwrap() {
            let log = std::fs::read_to_string(profile.join("stderr.log")).unwrap_or_default();
            panic!("chromium exited ({status}) before it listened:\n{log}");
        }
        assert!(
            Instant::now() < deadline,
            "chromium did not start listening within {STEP:?}"
        );
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let deadline = Instant::now() + self.grace;
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn launch(chromium: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let log = std::fs::File::create(profile.path().join("stderr.log")).unwrap();
        let child = Command::new(chromium)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--remote-debugging-port=0",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-gpu",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--mute-audio",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
        let mut process = Process {
            child,
            grace: Duration::ZERO,
        };
        // Chromium writes its port and the browser's websocket path into the profile.
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + STEP;
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break (port.to_string(), path.to_string());
                }
            }
            process.check_alive(profile.path(), deadline);
            std::thread::sleep(Duration::from_millis(50));
        };
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        // The handshake may wait as long as a step; later reads wake up often, so that every
        // wait can watch its deadline.
        stream.set_read_timeout(Some(STEP)).unwrap();
        let url = format!("ws://127.0.0.1:{port}{path}");
        let (socket, _) = tungstenite::client::client(url.as_str(), stream)
            .unwrap_or_else(|e| panic!("no DevTools websocket at {url}: {e}"));
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(250)))
            .unwrap();
        process.grace = Duration::from_secs(2);
        let mut browser = Browser {
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            _process: process,
            _profile: profile,
        };
        let target = browser.command(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.command(
            None,
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.call(domain, json!({}));
        }
        browser
    }

    /// Sends a command (to the page's session, or to the browser with `None`) and returns its
    /// result, keeping the page's events that arrive meanwhile.
    fn command(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.try_command(session, method, params)
            .unwrap_or_else(|error| panic!("{method} failed: {error}"))
    }

    /// [`Browser::command`], its error returned.
    fn try_command(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        let deadline = Instant::now() + STEP;
        loop {
            let Some(reply) = self.receive(deadline, method) else {
                continue;
            };
            if reply["id"].as_u64() == Some(id) {
                if let Some(error) = reply.get("error") {
                    return Err(error.clone());
                }
                return Ok(reply["result"].clone());
            }
            self.keep(reply);
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.command(Some(&session), method, params)
    }

    /// The next message, or `None` when none came within the socket's read timeout.
    fn receive(&mut self, deadline: Instant, waiting_for: &str) -> Option<Value> {
        assert!(
            Instant::now() < deadline,
            "the browser did not answer {waiting_for} within {STEP:?}"
        );
        match self.socket.read() {
            Ok(Message::Text(text)) => Some(serde_json::from_str(text.as_str()).unwrap()),
            Ok(_) => None,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) =>
            {
                None
            }
            Err(e) => panic!("DevTools connection lost while waiting for {waiting_for}: {e}"),
        }
    }

    /// Keeps an event of the page's session.
    fn keep(&mut self, message: Value) {
        if message.get("method").is_some() && message["sessionId"] == json!(self.session) {
            self.events.push(message);
        }
    }

    /// Waits for an event of the page, kept or still to come.
    fn wait_event(&mut self, method: &str) {
        let deadline = Instant::now() + STEP;
        while !self.events.iter().any(|e| e["method"] == method) {
            if let Some(message) = self.receive(deadline, method) {
                self.keep(message);
            }
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression} threw {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until a JavaScript condition holds in the page; when it never does, says so with
    /// the value of `state`, which shows why.
    fn wait_until(&mut self, condition: &str, state: &str) -> Result<(), String> {
        let deadline = Instant::now() + CONDITION;
        // A navigation the wait is for can close the page under an evaluation, which then
        // fails: that is "not yet", asked again on the next page.
        let session = self.session.clone();
        let params = json!({"expression": condition, "returnByValue": true});
        while !(self.try_command(Some(&session), "Runtime.evaluate", params.clone()))
            .is_ok_and(|result| result["result"]["value"] == json!(true))
        {
            if Instant::now() > deadline {
                let state = self.eval(state);
                return Err(format!(
                    "not within {CONDITION:?}: {condition}\nin the state {state}"
                ));
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        Ok(())
    }

    fn resize(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// Opens a page and waits until it and everything it loads have loaded.
    fn open(&mut self, url: &str) {
        self.events.clear();
        let navigated = self.call("Page.navigate", json!({"url": url}));
        if let Some(error) = navigated.get("errorText") {
            panic!("cannot open {url}: {error}");
        }
        self.wait_event("Page.loadEventFired");
    }

    /// A left click at a point of the viewport, as a person's mouse makes it.
    fn click(&mut self, x: f64, y: f64) {
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Console errors, uncaught exceptions and error log entries (failed loads among them)
    /// since the page was opened.
    fn errors(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|event| {
                let params = &event["params"];
                match event["method"].as_str()? {
                    "Runtime.consoleAPICalled"
                        if matches!(params["type"].as_str(), Some("error" | "assert")) =>
                    {
                        Some(format!("console.error: {}", params["args"]))
                    }
                    "Runtime.exceptionThrown" => Some(format!(
                        "exception: {}",
                        params["exceptionDetails"]["exception"]["description"]
                    )),
                    "Log.entryAdded" if params["entry"]["level"] == "error" => Some(format!(
                        "log: {} {}",
                        params["entry"]["text"], params["entry"]["url"]
                    )),
                    _ => None,
                }
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ask it to close; `process` then waits for it, or kills it.
        self.next_id += 1;
        let close = json!({"id": self.next_id, "method": "Browser.close"});
        let _ = self.socket.send(Message::text(close.to_string()));
        let _ = self.socket.flush();
    }
}

/// The examples' plans, template and config copied into `dir`, the config naming
/// [`REPOSITORY`], so that pages link to their sources.
fn copy_examples(dir: &Path) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let copy = dir.join("examples");
    for entry in ignore::WalkBuilder::new(&examples).hidden(false).build() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&examples).unwrap();
        if relative.starts_with("broken") {
            continue;
        }
        let target = copy.join(relative);
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let config = copy.join("plansmith.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.insert_str(0, &format!("repository-url = \"{REPOSITORY}\"\n"));
    std::fs::write(&config, text).unwrap();
    copy
}

/// A `file://` URL of a path (percent-encoded as a browser writes it).
fn file_url(path: &Path) -> String {
    format!(
        "file://{}",
        plansmith::paths::encode_uri_path(&path.to_string_lossy())
    )
}

/// The file a `file://` URL names and its fragment (decoded); query left out.
fn url_file(url: &str) -> Option<(PathBuf, String)> {
    let rest = url.strip_prefix("file://")?;
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let path = rest.split('?').next().unwrap_or_default();
    Some((
        PathBuf::from(plansmith::paths::decode_uri_path(path)),
        plansmith::paths::decode_uri_path(fragment),
    ))
}

/// The ids of the elements of the site's files, read once each.
#[derive(Default)]
struct Ids(HashMap<PathBuf, Vec<String>>);

impl Ids {
    fn holds(&mut self, file: &Path, id: &str) -> bool {
        self.0
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                let html = Html::parse_document(&text);
                let selector = Selector::parse("[id]").unwrap();
                html.select(&selector)
                    .filter_map(|e| e.value().attr("id").map(str::to_string))
                    .collect()
            })
            .iter()
            .any(|known| known == id)
    }
}

/// Checks one resolved URL found on `page`: a file of the site (and an element of it, for a
/// fragment of an HTML page), or the repository.
fn check_url(site: &Path, page: &str, what: &str, url: &str, ids: &mut Ids) -> Option<String> {
    if url.starts_with(&format!("{REPOSITORY}/")) {
        return None;
    }
    let Some((file, fragment)) = url_file(url) else {
        return Some(format!("{page}: {what} leaves the site: {url}"));
    };
    if !file.starts_with(site) || !file.is_file() {
        return Some(format!("{page}: {what} names no file of the site: {url}"));
    }
    let html = file.extension().is_some_and(|e| e == "html");
    if !fragment.is_empty() && html && !ids.holds(&file, &fragment) {
        return Some(format!("{page}: {what} names no element: {url}"));
    }
    None
}

/// Every URL the page loads or links to, resolved by the browser: (what, URL).
const PAGE_URLS: &str = r##"(() => {
  const urls = [];
  for (const a of document.querySelectorAll("a[href]")) urls.push(["link", a.href]);
  for (const i of document.querySelectorAll("img[src]")) urls.push(["image", i.src]);
  for (const o of document.querySelectorAll("object[data]")) urls.push(["object", o.data]);
  for (const s of document.querySelectorAll("script[src]")) urls.push(["script", s.src]);
  for (const l of document.querySelectorAll("link[href]")) urls.push(["stylesheet", l.href]);
  return urls;
})()"##;

/// Whether the page is wider than the window (of `width` CSS pixels, as the window was set;
/// a phone's browser may zoom out to show a wide page whole, and its `innerWidth` grows with it),
/// and if so which elements stick out.
const OVERFLOW: &str = r##"(width => {
  const limit = Math.min(window.innerWidth, width);
  const page = document.documentElement.scrollWidth;
  const wider = [];
  if (page > limit) {
    // Elements that stick out and are not inside a box that clips or scrolls them.
    const clipped = e => {
      for (let p = e.parentElement; p; p = p.parentElement)
        if (getComputedStyle(p).overflowX !== "visible") return true;
      return false;
    };
    for (const e of document.querySelectorAll("body *")) {
      const box = e.getBoundingClientRect();
      if (box.right > limit + 0.5 && wider.length < 8 && !clipped(e))
        wider.push(e.tagName.toLowerCase() + (e.className ? "." + e.className : "") +
          (e.id ? "#" + e.id : "") + " right=" + Math.round(box.right));
    }
  }
  return page > limit ? `the page is ${page} px wide in a ${limit} px window: ${wider.join(", ")}` : null;
})"##;

/// Says how the page overflows the window, if it does.
fn overflow(browser: &mut Browser, width: u32) -> Option<String> {
    browser
        .eval(&format!("({OVERFLOW})({width})"))
        .as_str()
        .map(str::to_string)
}

/// The drawings a page shows through `<object>` are shown whole: their boxes have the
/// drawings' proportions (a box that crops or squashes a drawing does not).
fn drawings_keep_their_shape(browser: &mut Browser, page: &str, size: &str) -> Vec<String> {
    let shown = browser.eval(
        r##"Array.from(document.querySelectorAll("object[data]")).map(o =>
  [o.data, o.getBoundingClientRect().width, o.getBoundingClientRect().height])"##,
    );
    let mut problems = Vec::new();
    for object in shown.as_array().unwrap() {
        let Some((svg, _)) = url_file(object[0].as_str().unwrap()).filter(|(f, _)| f.is_file())
        else {
            continue;
        };
        let text = std::fs::read_to_string(&svg).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let length = |name: &str| -> f64 {
            doc.root_element()
                .attribute(name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        let (width, height) = (object[1].as_f64().unwrap(), object[2].as_f64().unwrap());
        let natural = length("width") / length("height");
        if height < 1.0 || ((width / height) / natural - 1.0).abs() > 0.02 {
            problems.push(format!(
                "{page} at {size}: {} is shown {width}×{height}, not in its proportions {}×{}",
                svg.display(),
                length("width"),
                length("height")
            ));
        }
    }
    problems
}

/// Clicks the first linked node of the drawing the page shows through `<object>` and checks
/// that the page (not the drawing's frame) goes where the node's link says.
fn a_node_click_follows_its_link(browser: &mut Browser, page: &str, size: &str) -> Vec<String> {
    let data = browser.eval("document.querySelector('object[data]').data");
    let Some((svg, _)) = data.as_str().and_then(url_file) else {
        return vec![format!("{page} at {size}: no drawing through <object>")];
    };
    let text = std::fs::read_to_string(&svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let svg_width: f64 = doc
        .root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap();
    // The first link around a node whose box is a rect, in the drawing's coordinates.
    let Some((href, [x, y, w, h])) =
        doc.descendants()
            .filter(|n| n.has_tag_name("a"))
            .find_map(|a| {
                let rect = a.descendants().find(|n| n.has_tag_name("rect"))?;
                let number = |name: &str| rect.attribute(name).and_then(|v| v.parse::<f64>().ok());
                Some((
                    a.attribute("href")?.to_string(),
                    [
                        number("x")?,
                        number("y")?,
                        number("width")?,
                        number("height")?,
                    ],
                ))
            })
    else {
        return vec![format!("{page} at {size}: {} links no node", svg.display())];
    };
    // Scroll the node's middle into sight (the page down, the drawing's box sideways), then
    // click it there. The drawing inside the `<object>` loads on its own: a click that comes
    // before its links are live goes nowhere, so it is tried again a few times.
    let mut failure = String::new();
    for _ in 0..3 {
        let at = browser.eval(&format!(
            r##"((x, y) => {{
  const object = document.querySelector("object[data]");
  const scale = object.getBoundingClientRect().width / {svg_width};
  const canvas = object.parentElement;
  canvas.scrollLeft = Math.max(0, x * scale - canvas.clientWidth / 2);
  let box = object.getBoundingClientRect();
  window.scrollBy(0, box.top + y * scale - innerHeight / 2);
  box = object.getBoundingClientRect();
  const at = [box.left + x * scale, box.top + y * scale];
  return [at[0], at[1], document.elementFromPoint(at[0], at[1]) === object];
}})({}, {})"##,
            x + w / 2.0,
            y + h / 2.0
        ));
        if at[2] != json!(true) {
            return vec![format!(
                "{page} at {size}: the node linking to {href} is not in sight to click"
            )];
        }
        browser.click(at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        let arrived = browser.wait_until(
            &format!("location.href === new URL({}, {data}).href", json!(href)),
            "location.href",
        );
        match arrived {
            Ok(()) => return Vec::new(),
            Err(e) => failure = e,
        }
    }
    vec![format!(
        "{page} at {size}: a click on the node linking to {href} did not follow it: {failure}"
    )]
}

/// The links inside an SVG file: each resolves from the SVG's folder (an `<object>` resolves
/// them against the SVG, not the page).
fn svg_links(svg: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(svg).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|a| a.attribute("href").map(str::to_string))
        .collect()
}

#[test]
fn the_examples_site_works_in_a_real_browser() {
    let Some(chromium) = find_chromium() else {
        if std::env::var("PLANSMITH_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("no chromium found, and PLANSMITH_REQUIRE_BROWSER=1");
        }
        eprintln!("notice: no chromium found (set PLANSMITH_CHROMIUM); skipping the browser test");
        return;
    };
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let examples = copy_examples(dir.path());
    let site = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_plansmith"))
        .args(["build", "--quiet", "--fail-on", "never", "--out"])
        .arg(&site)
        .arg(examples.join("plans"))
        .current_dir(&examples)
        .status()
        .unwrap();
    assert!(status.success());
    let site = site.canonicalize().unwrap();
    let mut pages: Vec<String> = ignore::WalkBuilder::new(&site)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let relative = e.path().strip_prefix(&site).unwrap();
            relative.to_string_lossy().into_owned()
        })
        .collect();
    pages.sort();
    assert!(pages.len() > 8, "{pages:?}");
    // An operation of the examples, to search for.
    let catalogue: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("catalogue.json")).unwrap())
            .unwrap();
    let operation = catalogue["operations"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let operation = operation.rsplit('#').next().unwrap().to_string();
    let built = started.elapsed();

    let mut browser = Browser::launch(&chromium);
    let launched = started.elapsed();
    let mut problems = Vec::new();
    let mut ids = Ids::default();
    let mut zoomed = 0;
    for (width, height, mobile) in SIZES {
        browser.resize(width, height, mobile);
        let size = format!("{width}×{height}");
        for page in &pages {
            let url = file_url(&site.join(page));
            browser.open(&url);
            if let Some(overflow) = overflow(&mut browser, width) {
                problems.push(format!("{page} at {size}: {overflow}"));
            }
            for pair in browser.eval(PAGE_URLS).as_array().unwrap() {
                let (what, url) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
                problems.extend(check_url(&site, page, what, url, &mut ids));
                if what == "object" {
                    let Some((svg, _)) = url_file(url).filter(|(f, _)| f.is_file()) else {
                        continue;
                    };
                    let base = file_url(svg.parent().unwrap());
                    for link in svg_links(&svg) {
                        let resolved = format!("{base}/{link}");
                        let from = format!("{page} (drawing {})", svg.display());
                        problems.extend(check_url(&site, &from, "node link", &resolved, &mut ids));
                    }
                }
            }
            problems.extend(drawings_keep_their_shape(&mut browser, page, &size));
            if browser.eval("document.querySelector('a.zoom-open') !== null") == json!(true) {
                problems.extend(zoom_opens_full_size(&mut browser, page, &size));
                zoomed += 1;
            }
            for error in browser.errors() {
                problems.push(format!("{page} at {size}: {error}"));
            }
        }
        // A click on a node of the dependency graph and of a service map leads to its page.
        let service = pages.iter().find(|p| p.starts_with("services/")).unwrap();
        for page in ["dependencies.html", service.as_str()] {
            browser.open(&file_url(&site.join(page)));
            problems.extend(a_node_click_follows_its_link(&mut browser, page, &size));
        }
        // The search, from a page below the site's root, as a person types into it.
        let plan = pages.iter().find(|p| p.starts_with("plans/")).unwrap();
        browser.open(&file_url(&site.join(plan)));
        problems.extend(search_finds(
            &mut browser,
            &site,
            plan,
            &operation,
            (width, &size),
            &mut ids,
        ));
        // A link to an anchor lands below the sticky header, not under it.
        for page in [plan.as_str(), service.as_str()] {
            browser.open(&file_url(&site.join(page)));
            problems.extend(an_anchor_clears_the_header(&mut browser, page, &size));
        }
    }
    let checked = started.elapsed();
    drop(browser);
    eprintln!(
        "browser test: {} pages at {} sizes, {zoomed} zooms; site built in {:.1} s, chromium up at \
         {:.1} s, pages checked at {:.1} s, closed at {:.1} s",
        pages.len(),
        SIZES.len(),
        built.as_secs_f64(),
        launched.as_secs_f64(),
        checked.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(zoomed >= 2 * 6, "only {zoomed} diagrams zoomed");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Jumps to an anchor in the middle of the page (an operation, a shape, a section) as a link to
/// it does, and checks that the target's top is not hidden under the sticky header.
fn an_anchor_clears_the_header(browser: &mut Browser, page: &str, size: &str) -> Vec<String> {
    const JUMP: &str = r##"(() => {
      const targets = [...document.querySelectorAll("main [id]")]
        .filter(e => e.getClientRects().length > 0);
      const target = targets[Math.floor(targets.length / 2)];
      if (!target) return null;
      location.hash = "#" + target.id;
      const header = document.querySelector("header.top").getBoundingClientRect();
      return [target.id, target.getBoundingClientRect().top, header.bottom, window.scrollY];
    })()"##;
    let jumped = browser.eval(JUMP);
    let Some([id, top, header, scrolled]) = jumped.as_array().map(Vec::as_slice) else {
        return vec![format!("{page} at {size}: no anchor to jump to")];
    };
    let (id, top, header, scrolled) = (
        id.as_str().unwrap(),
        top.as_f64().unwrap(),
        header.as_f64().unwrap(),
        scrolled.as_f64().unwrap(),
    );
    if scrolled <= 0.0 {
        return vec![format!(
            "{page} at {size}: the jump to #{id} did not scroll"
        )];
    }
    if top < header - 0.5 {
        return vec![format!(
            "{page} at {size}: #{id} starts at {top:.0} px, under the header that ends at {header:.0} px"
        )];
    }
    Vec::new()
}

/// Where the page is and what its first full-size view shows, when a wait fails.
const ZOOM_STATE: &str = r##"(() => {
  const view = document.querySelector(".zoom");
  const image = view && view.querySelector("img");
  return [location.href, view && getComputedStyle(view).display,
    image && [image.complete, image.naturalWidth, image.currentSrc]];
})()"##;

/// Clicks the page's first diagram and checks that its full-size view shows it at its natural
/// size, then closes the view again.
fn zoom_opens_full_size(browser: &mut Browser, page: &str, size: &str) -> Vec<String> {
    // A person clicks on the picture they see: scrolled to, and loaded (it loads lazily).
    browser.eval("document.querySelector('a.zoom-open').scrollIntoView({block: 'center'})");
    let wait = |browser: &mut Browser, condition: &str| {
        browser
            .wait_until(condition, ZOOM_STATE)
            .map_err(|e| vec![format!("{page} at {size}: {e}")])
    };
    if let Err(problem) = wait(
        browser,
        "(i => i.complete && i.naturalWidth > 0)(document.querySelector('a.zoom-open img'))",
    ) {
        return problem;
    }
    // The middle of the part of the picture in sight, below the page's sticky header; it must
    // be the picture there, not something over it.
    let at = browser.eval(
        r##"(() => {
  const open = document.querySelector("a.zoom-open");
  const box = open.getBoundingClientRect();
  const header = document.querySelector("header").getBoundingClientRect();
  const top = Math.max(box.top, header.bottom), bottom = Math.min(box.bottom, innerHeight);
  const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
  const x = (left + right) / 2, y = (top + bottom) / 2;
  const hit = document.elementFromPoint(x, y);
  return [x, y, !!hit && open.contains(hit), hit ? hit.outerHTML.slice(0, 120) : ""];
})()"##,
    );
    if at[2] != json!(true) {
        return vec![format!(
            "{page} at {size}: the diagram cannot be clicked: {} is over it",
            at[3]
        )];
    }
    browser.click(at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    if let Err(problem) = wait(
        browser,
        r##"(() => {
  const view = document.querySelector(".zoom:target");
  const image = view && view.querySelector("img");
  return !!image && getComputedStyle(view).display !== "none" && image.complete &&
    image.naturalWidth > 0;
})()"##,
    ) {
        return problem;
    }
    let shown = browser.eval(
        r##"(() => {
  const image = document.querySelector(".zoom:target img");
  const box = image.getBoundingClientRect();
  return [box.width, box.height, image.naturalWidth, image.naturalHeight];
})()"##,
    );
    let mut problems = Vec::new();
    let number = |i: usize| shown[i].as_f64().unwrap();
    if (number(0) - number(2)).abs() > 1.0 || (number(1) - number(3)).abs() > 1.0 {
        problems.push(format!(
            "{page} at {size}: the full-size view shows the diagram at {}×{}, not at its natural {}×{}",
            number(0),
            number(1),
            number(2),
            number(3)
        ));
    }
    let close = browser.eval(
        r##"(() => {
  const close = document.querySelector(".zoom:target a.zoom-close").getBoundingClientRect();
  return [close.left + close.width / 2, close.top + close.height / 2];
})()"##,
    );
    browser.click(close[0].as_f64().unwrap(), close[1].as_f64().unwrap());
    if let Err(mut problem) = wait(browser, "document.querySelector('.zoom:target') === null") {
        problems.append(&mut problem);
    }
    problems
}

/// Types the operation's name into the search box and checks that the results list it, with a
/// link to its description.
fn search_finds(
    browser: &mut Browser,
    site: &Path,
    page: &str,
    operation: &str,
    (width, size): (u32, &str),
    ids: &mut Ids,
) -> Vec<String> {
    browser.eval("document.getElementById('site-search').focus()");
    browser.call("Input.insertText", json!({"text": operation}));
    if let Err(e) = browser.wait_until(
        "!document.getElementById('search-results').hidden",
        "[document.activeElement.id, document.getElementById('site-search').value]",
    ) {
        return vec![format!(
            "{page} at {size}: the search shows no results: {e}"
        )];
    }
    let results = browser.eval(
        r##"Array.from(document.querySelectorAll("#search-results a")).map(a =>
  [a.querySelector(".kind").textContent, a.querySelector("strong").textContent, a.href])"##,
    );
    let mut problems = Vec::new();
    let found = results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == "operation" && r[1] == operation);
    match found {
        Some(result) => {
            let url = result[2].as_str().unwrap();
            problems.extend(check_url(site, page, "search result", url, ids));
        }
        None => problems.push(format!(
            "{page} at {size}: searching for {operation} finds {results}"
        )),
    }
    if let Some(overflow) = overflow(browser, width) {
        problems.push(format!("{page} at {size}, with search results: {overflow}"));
    }
    problems.extend(
        browser
            .errors()
            .into_iter()
            .map(|e| format!("{page} at {size}: {e}")),
    );
    problems
}
