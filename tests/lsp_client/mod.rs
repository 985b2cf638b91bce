//! A small JSON-RPC client that drives the real `aam lsp` binary over its
//! stdio, for the end-to-end tests (`tests/lsp_*.rs`).
//!
//! A reader thread parses the server's frames, answers the server's own
//! requests (`client/registerCapability`, `window/showDocument`,
//! `workspace/configuration`) and queues every message. Tests wait for a
//! specific message with a generous timeout; nothing depends on timing.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single expected message may take (debug builds on a busy
/// two-core machine are slow; a healthy server answers in milliseconds).
pub const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Client {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    messages: Receiver<Value>,
    /// Messages received but not consumed yet, in arrival order.
    backlog: Vec<Value>,
    next_id: i64,
    stderr: Arc<Mutex<String>>,
    /// What `workspace/configuration` answers.
    pub configuration: Arc<Mutex<Value>>,
    /// Server-to-client requests seen (method, params).
    pub server_requests: Arc<Mutex<Vec<(String, Value)>>>,
    /// When each `publishDiagnostics` frame had been read whole, before
    /// the client parsed its JSON: `(uri, version, instant)`.
    arrivals: Arc<Mutex<Vec<(String, i64, Instant)>>>,
    /// When each response's frame had been read whole: `(id, instant)`.
    response_arrivals: Arc<Mutex<Vec<(i64, Instant)>>>,
}

impl Client {
    /// Starts `aam lsp` (without initializing it).
    pub fn spawn(env: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_aam"));
        command.arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command.env("RUST_LOG", "aam=debug,info");
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start aam lsp");
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().expect("stdout");
        let stderr_pipe = child.stderr.take().expect("stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr_pipe).lines() {
                    let Ok(line) = line else { break };
                    let mut log = stderr.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let (sender, messages) = mpsc::channel();
        let configuration = Arc::new(Mutex::new(Value::Null));
        let server_requests = Arc::new(Mutex::new(Vec::new()));
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let response_arrivals = Arc::new(Mutex::new(Vec::new()));
        {
            let stdin = stdin.clone();
            let configuration = configuration.clone();
            let server_requests = server_requests.clone();
            let arrivals = arrivals.clone();
            let response_arrivals = response_arrivals.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stdout);
                while let Some((message, arrived)) = read_message(&mut reader) {
                    if message["method"] == "textDocument/publishDiagnostics"
                        && let (Some(uri), Some(version)) =
                            (message["params"]["uri"].as_str(), message["params"]["version"].as_i64())
                    {
                        arrivals.lock().unwrap().push((uri.to_owned(), version, arrived));
                    }
                    if message.get("method").is_none()
                        && let Some(id) = message.get("id").and_then(Value::as_i64)
                    {
                        response_arrivals.lock().unwrap().push((id, arrived));
                    }
                    if let (Some(method), Some(id)) =
                        (message.get("method").and_then(Value::as_str), message.get("id"))
                    {
                        server_requests.lock().unwrap().push((method.to_owned(), message["params"].clone()));
                        let result = match method {
                            "window/showDocument" => json!({"success": true}),
                            "workspace/configuration" => json!([configuration.lock().unwrap().clone()]),
                            _ => Value::Null,
                        };
                        let response = json!({"jsonrpc": "2.0", "id": id, "result": result});
                        if let Some(stdin) = stdin.lock().unwrap().as_mut() {
                            let _ = stdin.write_all(&frame(&response.to_string()));
                            let _ = stdin.flush();
                        }
                    }
                    if sender.send(message).is_err() {
                        break;
                    }
                }
            });
        }
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
            stderr,
            configuration,
            server_requests,
            arrivals,
            response_arrivals,
        }
    }

    /// Starts and initializes a server with `capabilities` and
    /// `initializationOptions`; returns the `initialize` result.
    pub fn start(capabilities: Value, options: Value) -> (Client, Value) {
        Client::start_with_env(capabilities, options, &[])
    }

    pub fn start_with_env(capabilities: Value, options: Value, env: &[(&str, &str)]) -> (Client, Value) {
        let mut client = Client::spawn(env);
        let response = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        let result =
            response.get("result").cloned().unwrap_or_else(|| panic!("initialize failed: {response}"));
        client.notify("initialized", json!({}));
        (client, result)
    }

    /// Writes raw bytes to the server's stdin.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut stdin = self.stdin.lock().unwrap();
        let stdin = stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        self.send_raw(&frame(&message.to_string()));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// The `result` of a request that must succeed.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        match response.get("result") {
            Some(result) => result.clone(),
            None => panic!("{method} failed: {response}"),
        }
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |message| {
            message.get("id") == Some(&json!(id)) && message.get("method").is_none()
        })
    }

    /// Waits for (and consumes) the first message matching `predicate`.
    pub fn wait_for(&mut self, what: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        if let Some(idx) = self.backlog.iter().position(&predicate) {
            return self.backlog.remove(idx);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if predicate(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(RecvTimeoutError::Timeout) => {
                    panic!(
                        "timed out waiting for {what}; received {:#?}\nserver log:\n{}",
                        self.backlog,
                        self.log()
                    )
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "the server closed its output while waiting for {what}\nserver log:\n{}",
                        self.log()
                    )
                }
            }
        }
    }

    /// Waits for `publishDiagnostics` for `uri` at `version`; returns its
    /// diagnostics. Earlier versions' notifications are consumed on the way.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics of {uri} version {version}"), |message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// When the `publishDiagnostics` frame for `uri` at `version` had been
    /// read whole, before the client parsed it (the client's JSON parse of
    /// a large notification is its own work, not the server's).
    pub fn arrival(&self, uri: &str, version: i64) -> Option<Instant> {
        let arrivals = self.arrivals.lock().unwrap();
        arrivals.iter().find(|(u, v, _)| u == uri && *v == version).map(|&(_, _, arrived)| arrived)
    }

    /// When the response to request `id` had been read whole, before the
    /// client parsed it.
    pub fn response_arrival(&self, id: i64) -> Option<Instant> {
        let arrivals = self.response_arrivals.lock().unwrap();
        arrivals.iter().rev().find(|(i, _)| *i == id).map(|&(_, arrived)| arrived)
    }

    /// Every `publishDiagnostics` received so far for `uri`, consumed.
    pub fn drain_diagnostics(&mut self, uri: &str) -> Vec<Value> {
        while let Ok(message) = self.messages.try_recv() {
            self.backlog.push(message);
        }
        let (matching, rest): (Vec<Value>, Vec<Value>) =
            std::mem::take(&mut self.backlog).into_iter().partition(|message| {
                message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
            });
        self.backlog = rest;
        matching
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "aam", "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// The server's own text and tree of a document (`aam/debugDocument`).
    pub fn server_document(&mut self, uri: &str) -> Value {
        self.result("aam/debugDocument", json!({"textDocument": {"uri": uri}}))
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time (user + system) the server has used so far, from
    /// `/proc/PID/stat` (Linux; `None` elsewhere).
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        // Clock ticks are 1/100 s on Linux.
        Some(Duration::from_millis(ticks * 10))
    }

    /// The server's resident and peak resident memory in KiB
    /// (`VmRSS`, `VmHWM`), if readable.
    pub fn memory_kib(&self) -> Option<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let field = |name: &str| -> Option<u64> {
            status.lines().find_map(|line| line.strip_prefix(name))?.split_whitespace().next()?.parse().ok()
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until the server's log contains `needle` (for work the server
    /// does in the background, which nothing else announces).
    pub fn wait_for_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            assert!(Instant::now() < deadline, "timed out waiting for `{needle}` in the server log:\n{log}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown`, `exit`, and the exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Waits for the process to end (without closing stdin).
    pub fn wait_exit(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit\nserver log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Closes the server's stdin.
    pub fn close_stdin(&mut self) {
        self.stdin.lock().unwrap().take();
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The next message, and when its bytes had all been read.
fn read_message(reader: &mut impl BufRead) -> Option<(Value, Instant)> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    let arrived = Instant::now();
    Some((serde_json::from_slice(&body).expect("the server writes JSON"), arrived))
}

/// Client capabilities of a typical editor: UTF-16 only, push diagnostics,
/// related information, `documentChanges`, links, hierarchical symbols,
/// `window/showDocument`, dynamic file watching.
pub fn editor_capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true, "tagSupport": {"valueSet": [1, 2]}},
            "definition": {"linkSupport": true},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            "rename": {"prepareSupport": true},
            "completion": {"completionItem": {"resolveSupport": {"properties": ["documentation", "detail"]}}}
        },
        "workspace": {
            "workspaceEdit": {"documentChanges": true},
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "configuration": true
        },
        "window": {"showDocument": {"support": true}}
    })
}

/// The encoding a test speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    Utf8,
    Utf16,
}

/// An LSP position for byte `offset` of `text` (an implementation
/// independent of the server's).
pub fn position(text: &str, offset: usize, units: Units) -> Value {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |idx| idx + 1);
    let line = count_breaks(before);
    let column = match units {
        Units::Utf8 => offset - line_start,
        Units::Utf16 => text[line_start..offset].encode_utf16().count(),
    };
    json!({"line": line, "character": column})
}

/// The position of the first `needle` in `text`, plus `delta` bytes.
pub fn position_of(text: &str, needle: &str, delta: usize) -> Value {
    let offset = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in the text")) + delta;
    position(text, offset, Units::Utf16)
}

/// The byte offset of an LSP position in `text` (no clamping: tests send
/// valid positions).
pub fn offset(text: &str, position: &Value, units: Units) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let mut line_start = 0;
    for _ in 0..line {
        let rest = &text[line_start..];
        let idx = rest.find(['\n', '\r']).expect("line exists");
        line_start += idx + if rest[idx..].starts_with("\r\n") { 2 } else { 1 };
    }
    match units {
        Units::Utf8 => line_start + character,
        Units::Utf16 => {
            let mut units_seen = 0;
            for (idx, c) in text[line_start..].char_indices() {
                if units_seen >= character {
                    return line_start + idx;
                }
                units_seen += c.len_utf16();
            }
            text.len()
        }
    }
}

/// A `Range` value for bytes `start..end`.
pub fn range(text: &str, start: usize, end: usize, units: Units) -> Value {
    json!({"start": position(text, start, units), "end": position(text, end, units)})
}

/// Applies LSP `TextEdit`s (non-overlapping, any order) to `text`.
pub fn apply_text_edits(text: &str, edits: &[Value], units: Units) -> String {
    let mut resolved: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|edit| {
            let start = offset(text, &edit["range"]["start"], units);
            let end = offset(text, &edit["range"]["end"], units);
            (start, end, edit["newText"].as_str().unwrap().to_owned())
        })
        .collect();
    resolved.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::new();
    let mut cursor = 0;
    for (start, end, new_text) in resolved {
        assert!(start >= cursor, "overlapping edits");
        out.push_str(&text[cursor..start]);
        out.push_str(&new_text);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The text edits for `uri` in a `WorkspaceEdit` (`changes` or
/// `documentChanges`).
pub fn workspace_edits(edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(changes) = edit.get("changes") {
        return changes[uri].as_array().cloned().unwrap_or_default();
    }
    let mut out = Vec::new();
    for change in edit["documentChanges"].as_array().expect("changes or documentChanges") {
        if change["textDocument"]["uri"] == uri {
            out.extend(change["edits"].as_array().unwrap().iter().cloned());
        }
    }
    out
}

fn count_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(idx, &byte)| byte == b'\n' || (byte == b'\r' && bytes.get(idx + 1) != Some(&b'\n')))
        .count()
}

/// The diagnostics of a from-scratch analysis with the library, as
/// (code, start, end) in UTF-16 positions.
pub fn expected_diagnostics(text: &str) -> Vec<(String, Value, Value)> {
    let doc = aam::model::Document::parse(text, &aam::model::ModelConfig::default());
    let config = aam::config::Resolved::default();
    aam::checks::check(&doc, &config.checks)
        .iter()
        .map(|finding| {
            (
                finding.rule.code.to_owned(),
                position(text, finding.range.start(), Units::Utf16),
                position(text, finding.range.end(), Units::Utf16),
            )
        })
        .collect()
}

/// Published diagnostics as (code, start, end).
pub fn summarise(diagnostics: &[Value]) -> Vec<(String, Value, Value)> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            (
                diagnostic["code"].as_str().unwrap().to_owned(),
                diagnostic["range"]["start"].clone(),
                diagnostic["range"]["end"].clone(),
            )
        })
        .collect()
}

/// The seed article.
pub fn seed() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-article.txt"))
        .expect("seed")
}
