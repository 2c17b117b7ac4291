//! `plansmith lsp` driven over its protocol: the binary is started on a copy of
//! `tests/fixtures/lsp` and spoken to in JSON-RPC as an editor would.

use super::bin::{copy_tree, plansmith_in};
use lsp_types::Url;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(120);

/// A diagnostic as compared with `check`'s: code, severity, message, start and end (0-based).
type Seen = (String, u64, String, u64, u64, u64, u64);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    root: PathBuf,
    /// The last diagnostics published for each file, by identity (files without any left out).
    latest: BTreeMap<String, Vec<Value>>,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plansmith"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start plansmith lsp");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = channel();
        std::thread::spawn(move || loop {
            let mut length = None;
            loop {
                let mut header = String::new();
                if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim();
                if header.is_empty() {
                    break;
                }
                if let Some(n) = header.strip_prefix("Content-Length: ") {
                    length = n.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("Content-Length header")];
            stdout.read_exact(&mut body).unwrap();
            if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
            root: root.to_path_buf(),
            latest: BTreeMap::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its answer: (result, the notifications that came first).
    /// The server publishes what an edit changed before it answers, so a request after an edit
    /// collects the edit's diagnostics.
    fn request(&mut self, method: &str, params: Value) -> (Value, Vec<Value>) {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let mut notifications = Vec::new();
        loop {
            let message = self
                .messages
                .recv_timeout(TIMEOUT)
                .expect("the server answers");
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return (message["result"].clone(), notifications);
            }
            self.record(&message);
            notifications.push(message);
        }
    }

    fn record(&mut self, message: &Value) {
        for (identity, diagnostics) in self.published(std::slice::from_ref(message)) {
            if diagnostics.is_empty() {
                self.latest.remove(&identity);
            } else {
                self.latest.insert(identity, diagnostics);
            }
        }
    }

    /// Every file's diagnostics as the editor shows them now, compared as `check`'s are.
    fn seen(&self) -> BTreeMap<String, Vec<Seen>> {
        let n = |v: &Value| v.as_u64().unwrap();
        self.latest
            .iter()
            .map(|(identity, diagnostics)| {
                let seen = diagnostics.iter().map(|d| {
                    (
                        d["code"].as_str().unwrap().to_string(),
                        n(&d["severity"]),
                        d["message"].as_str().unwrap().to_string(),
                        n(&d["range"]["start"]["line"]),
                        n(&d["range"]["start"]["character"]),
                        n(&d["range"]["end"]["line"]),
                        n(&d["range"]["end"]["character"]),
                    )
                });
                (identity.clone(), seen.collect())
            })
            .collect()
    }

    /// Initializes the server on its root folder, as an editor does first.
    fn initialize(&mut self) -> Value {
        let root_uri = Url::from_file_path(&self.root).unwrap().to_string();
        let (initialized, _) = self.request(
            "initialize",
            json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        initialized
    }

    /// Asks for a document's symbols: (the symbols, the notifications that came first).
    fn symbols(&mut self, identity: &str) -> (Value, Vec<Value>) {
        let document = json!({"textDocument": {"uri": self.uri(identity)}});
        self.request("textDocument/documentSymbol", document)
    }

    /// What the server published until it answered a request sent now (it publishes what the
    /// edits before a request changed before it answers), by identity.
    fn published_by_now(&mut self, identity: &str) -> BTreeMap<String, Vec<Value>> {
        let (_, notifications) = self.request("textDocument/hover", self.at(identity, 0, 0));
        self.published(&notifications)
    }

    /// The codes published for `identity` until a request sent now is answered.
    fn codes_by_now(&mut self, identity: &str) -> String {
        codes(&self.published_by_now(identity)[identity]).join(" ")
    }

    /// Waits for the next publication of `identity`'s diagnostics.
    fn next_publication(&mut self, identity: &str) -> Vec<Value> {
        let uri = self.uri(identity);
        loop {
            let message = self
                .messages
                .recv_timeout(TIMEOUT)
                .expect("the server publishes");
            self.record(&message);
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// Shuts the server down and waits for it to exit with success.
    fn shut_down(mut self) {
        let (shutdown, _) = self.request("shutdown", Value::Null);
        assert_eq!(shutdown, Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}");
                break;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn uri(&self, identity: &str) -> String {
        Url::from_file_path(self.root.join(identity))
            .unwrap()
            .to_string()
    }

    fn identity(&self, uri: &str) -> String {
        let path = Url::parse(uri).unwrap().to_file_path().unwrap();
        let relative = path.strip_prefix(&self.root).unwrap();
        relative.to_string_lossy().replace('\\', "/")
    }

    fn at(&self, identity: &str, line: usize, character: usize) -> Value {
        json!({"textDocument": {"uri": self.uri(identity)},
               "position": {"line": line, "character": character}})
    }

    fn open(&mut self, identity: &str, text: &str) {
        let uri = self.uri(identity);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, identity: &str, version: i32, text: &str) {
        let uri = self.uri(identity);
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    /// The diagnostics published among `notifications`, by identity (the last publication of
    /// each file).
    fn published(&self, notifications: &[Value]) -> BTreeMap<String, Vec<Value>> {
        notifications
            .iter()
            .filter(|n| n["method"] == "textDocument/publishDiagnostics")
            .map(|n| {
                let diagnostics = n["params"]["diagnostics"].as_array().unwrap().clone();
                (
                    self.identity(n["params"]["uri"].as_str().unwrap()),
                    diagnostics,
                )
            })
            .collect()
    }
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

/// (line, character) of the first occurrence of `needle` (ASCII text).
fn find(text: &str, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, line)| line.find(needle).map(|c| (i, c)))
        .unwrap_or_else(|| panic!("{needle} not in the text"))
}

/// Applies text edits (ranges in ASCII text) from the last to the first.
fn apply(text: &str, edits: &[(Value, String)]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + character
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|(range, new)| (offset(&range["start"]), offset(&range["end"]), new.as_str()))
        .collect();
    edits.sort();
    let mut result = text.to_string();
    for (start, end, new) in edits.into_iter().rev() {
        result.replace_range(start..end, new);
    }
    result
}

/// Every symbol name with the names of the symbols it is nested in, outermost first.
fn symbol_paths(symbols: &Value, outer: &[String], into: &mut Vec<Vec<String>>) {
    for symbol in symbols.as_array().into_iter().flatten() {
        let mut path = outer.to_vec();
        path.push(symbol["name"].as_str().unwrap().to_string());
        into.push(path.clone());
        symbol_paths(&symbol["children"], &path, into);
    }
}

/// What `check` reports for the folder, by file, as the editor would show it.
fn check_report(root: &Path) -> BTreeMap<String, Vec<Seen>> {
    let (_, report, _) = plansmith_in(root, &["check", ".", "--format", "json"], "");
    let report: Value = serde_json::from_str(&report).unwrap();
    let mut expected: BTreeMap<String, Vec<Seen>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let severity = match d["severity"].as_str().unwrap() {
            "error" => 1,
            "warning" => 2,
            _ => 3,
        };
        let at = |key: &str| d[key].as_u64().unwrap() - 1;
        expected
            .entry(d["path"].as_str().unwrap().to_string())
            .or_default()
            .push((
                d["code"].as_str().unwrap().to_string(),
                severity,
                d["message"].as_str().unwrap().to_string(),
                at("line"),
                at("column"),
                at("end_line"),
                at("end_column"),
            ));
    }
    expected
}

/// A scratch copy of `tests/fixtures/lsp` (and its canonical path, as the server sees it).
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path().canonicalize().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp"),
        &root,
    );
    (scratch, root)
}

#[test]
fn language_server_speaks_the_protocol() {
    let (_scratch, root) = workspace();
    let orders_path = "orders/plan.md";
    let orders = std::fs::read_to_string(root.join(orders_path)).unwrap();
    let mut client = Client::start(&root);

    let initialized = client.initialize();
    let capabilities = &initialized["capabilities"];
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "documentSymbolProvider",
        "codeActionProvider",
    ] {
        assert_eq!(capabilities[provider], json!(true), "{provider}");
    }

    // The workspace is checked at start: every file's diagnostics are those of `check`, with
    // the same codes, severities, messages and places.
    let (_, start) = client.symbols("catalog/plan.md");
    client.published(&start);
    assert!(
        check_report(&root).contains_key(orders_path),
        "orders has findings"
    );
    assert_eq!(client.seen(), check_report(&root));

    // Opening the plan publishes its diagnostics.
    client.open(orders_path, &orders);
    let found = client.codes_by_now(orders_path);
    for code in FIXED {
        assert!(found.contains(code), "{code} in {found}");
    }

    // Each of them carries a quick fix; applied, they fix the plan.
    let (actions, _) = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": client.uri(orders_path)},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    let mut edits = Vec::new();
    let mut fixed_codes = Vec::new();
    for action in actions.as_array().unwrap() {
        assert_eq!(action["kind"], "quickfix");
        fixed_codes.push(
            action["diagnostics"][0]["code"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        let changes = &action["edit"]["changes"][client.uri(orders_path)];
        for edit in changes.as_array().unwrap() {
            edits.push((
                edit["range"].clone(),
                edit["newText"].as_str().unwrap().to_string(),
            ));
        }
    }
    fixed_codes.sort();
    assert_eq!(fixed_codes, FIXED);
    let (status_line, status_column) = find(&orders, "Aproved");
    assert!(edits.contains(&(
        json!({"start": {"line": status_line, "character": status_column},
               "end": {"line": status_line, "character": status_column + 7}}),
        "Approved".to_string()
    )));
    let (catalog_entry, _) = find(&orders, "- [Catalog]");
    assert!(edits.contains(&(
        json!({"start": {"line": catalog_entry + 1, "character": 0},
               "end": {"line": catalog_entry + 1, "character": 0}}),
        "- [Billing](../billing/plan.md)\n".to_string()
    )));
    let fixed = apply(&orders, &edits);
    assert!(
        fixed.contains("use com.example.catalog#Product\n"),
        "{fixed}"
    );
    let (unknown_line, unknown_column) = find(&orders, "PLAN05 ");
    assert!(edits.contains(&(
        json!({"start": {"line": unknown_line, "character": unknown_column},
               "end": {"line": unknown_line, "character": unknown_column + 6}}),
        "PLAN005".to_string()
    )));
    client.change(orders_path, 2, &fixed);
    let after_fix = client.codes_by_now(orders_path);
    // The suppression, its code fixed, silences the placeholder under it.
    for code in FIXED.iter().chain(&["PLAN005"]) {
        assert!(
            !after_fix.contains(code),
            "{code} left after the fixes: {after_fix}"
        );
    }

    // An edit of one plan republishes the other plans whose diagnostics it changes: billing's
    // Invoice renamed leaves orders' reference unresolved, and renamed back resolves it.
    let billing_path = "billing/plan.md";
    let billing = std::fs::read_to_string(root.join(billing_path)).unwrap();
    client.open(billing_path, &billing);
    client.change(
        billing_path,
        2,
        &billing.replace("structure Invoice", "structure Bill"),
    );
    let orders_after_rename = client.codes_by_now(orders_path);
    assert!(
        orders_after_rename.contains("Target"),
        "{orders_after_rename}"
    );
    client.change(billing_path, 3, &billing);
    let orders_restored = client.codes_by_now(orders_path);
    assert!(!orders_restored.contains("Target"), "{orders_restored}");

    // What the edits published, without a save, is what `check` reports for the same texts.
    std::fs::write(root.join(orders_path), &fixed).unwrap();
    assert_eq!(client.seen(), check_report(&root));

    // Hover and go to definition on a shape ID: the shape in the catalog plan.
    let reference = "    product: com.example.catalog#Product";
    let (product_line, product_column) = find(&fixed, reference);
    let on_product = client.at(
        orders_path,
        product_line,
        product_column + reference.len() - 3,
    );
    let (hover, _) = client.request("textDocument/hover", on_product.clone());
    let hover_text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        hover_text.contains("structure com.example.catalog#Product"),
        "{hover_text}"
    );
    assert!(hover_text.contains("A product for sale."), "{hover_text}");
    let (definition, _) = client.request("textDocument/definition", on_product);
    let catalog = std::fs::read_to_string(root.join("catalog/plan.md")).unwrap();
    let (shape_line, shape_column) = find(&catalog, "Product {");
    assert_eq!(definition["uri"], client.uri("catalog/plan.md"));
    assert_eq!(
        definition["range"]["start"],
        json!({"line": shape_line, "character": shape_column})
    );

    // Go to definition on a link to another plan: that plan.
    let (link_line, link_column) = find(&fixed, "../catalog/plan.md");
    let (definition, _) = client.request(
        "textDocument/definition",
        client.at(orders_path, link_line, link_column + 3),
    );
    assert_eq!(definition["uri"], client.uri("catalog/plan.md"));

    // Document symbols: sections, with the shapes and diagrams they hold.
    let (symbols, _) = client.symbols(orders_path);
    let mut paths = Vec::new();
    symbol_paths(&symbols, &[], &mut paths);
    let title = "Orders Technical Implementation Plan".to_string();
    for expected in [
        vec![title.clone(), "Dependencies".to_string()],
        vec![title.clone(), "Interfaces".to_string(), "Order".to_string()],
        vec![
            title.clone(),
            "Interfaces".to_string(),
            "Order".to_string(),
            "invoice".to_string(),
        ],
        vec![
            title.clone(),
            "Flow".to_string(),
            "flowchart diagram".to_string(),
        ],
    ] {
        assert!(paths.contains(&expected), "{expected:?} in {paths:?}");
    }

    client.shut_down();
}

/// The codes of the orders fixture that carry a fix, sorted.
const FIXED: [&str; 4] = ["CFG003", "DEP003", "PLAN002", "SMY023"];

/// A save starts the whole check on a thread of its own: a request sent after the save is
/// answered before the check is done and the saved plan's diagnostics are published. The
/// workspace is made large enough for the whole check to take a while (the order of the two is
/// what is asserted, not a time).
#[test]
fn requests_are_answered_while_the_whole_check_runs() {
    let (_scratch, root) = workspace();
    for n in 0..300 {
        let plan = format!(
            "# Service {n} Technical Implementation Plan\n\n| **Status:** Draft\n\
             | **Owner:** Ann\n| **Target Date:** 2027-03-01 |\n\n## Dependencies\n\n\
             - [Catalog](../catalog/plan.md)\n\n## Interfaces\n\n```smithy\n\
             namespace com.example.s{n}\n\nuse com.example.catalog#Product\n\n\
             /// An item of service {n}.\nstructure Item {{\n    product: Product\n    \
             name: String\n}}\n\n@readonly\noperation GetItem {{\n    \
             input := {{ @required id: String }}\n    output := {{ item: Item }}\n}}\n```\n"
        );
        let folder = root.join(format!("s{n:03}"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("plan.md"), plan).unwrap();
    }
    let orders_path = "orders/plan.md";
    let orders = std::fs::read_to_string(root.join(orders_path)).unwrap();
    let mut client = Client::start(&root);
    client.initialize();
    client.open(orders_path, &orders);
    client.published_by_now(orders_path);

    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": client.uri(orders_path)}}),
    );
    let reference = "    product: com.example.catalog#Product";
    let (line, column) = find(&orders, reference);
    let (hover, before_answer) = client.request(
        "textDocument/hover",
        client.at(orders_path, line, column + reference.len() - 3),
    );
    let hover_text = hover["contents"]["value"].as_str().unwrap();
    assert!(hover_text.contains("A product for sale."), "{hover_text}");
    assert!(
        !client.published(&before_answer).contains_key(orders_path),
        "the whole check was done before the request was answered"
    );
    let after_save = codes(&client.next_publication(orders_path)).join(" ");
    assert!(after_save.contains("PLAN002"), "{after_save}");
    client.shut_down();
}

/// A finding outside an edit's neighbourhood follows once the author pauses: a new plan declares
/// a validator (in its metadata, naming no namespace) that reports every structure of the model;
/// the edit's own check loads only the new plan, and the whole check after the pause in typing
/// publishes the finding at the catalog plan's structure, with no save and no request.
#[test]
fn a_pause_in_typing_brings_the_whole_check() {
    let (_scratch, root) = workspace();
    let mut client = Client::start(&root);
    client.initialize();
    client.symbols("catalog/plan.md");
    let rules_path = "rules/plan.md";
    let rules = "# Rules Technical Implementation Plan\n\n| **Status:** Draft\n\
                 | **Owner:** Ann\n| **Target Date:** 2027-03-01 |\n\n## Dependencies\n\n\
                 - None\n\n## Interfaces\n\n```smithy\n$version: \"2\"\n\n\
                 metadata validators = [\n    {\n        name: \"EmitEachSelector\"\n        \
                 id: \"EveryStructure\"\n        severity: \"WARNING\"\n        \
                 message: \"a structure\"\n        \
                 configuration: { selector: \"structure\" }\n    }\n]\n\n\
                 namespace com.example.rules\n```\n";
    client.open(rules_path, rules);
    let catalog = loop {
        let published = client.next_publication("catalog/plan.md");
        if codes(&published).contains(&"EveryStructure") {
            break published;
        }
    };
    let catalog_text = std::fs::read_to_string(root.join("catalog/plan.md")).unwrap();
    let (line, _) = find(&catalog_text, "structure Product");
    let finding = catalog
        .iter()
        .find(|d| d["code"] == "EveryStructure")
        .unwrap();
    assert_eq!(finding["range"]["start"]["line"], json!(line), "{finding}");
    client.shut_down();
}
