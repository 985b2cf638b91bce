//! End-to-end: diagnostics are checked at once and the latest version
//! wins. Rapid edits with the default settings end with the diagnostics
//! `aam check` reports on the same text; a stale version's diagnostics are
//! never published after a newer version's; a pull after no change answers
//! `unchanged`; `workspace/diagnostic/refresh` is sent only when settings
//! changed what a document reports. Nothing here is timed.

mod lsp_client;

use lsp_client::{Client, Units, editor_capabilities, position, seed};
use serde_json::{Value, json};

const URI: &str = "file:///aam-lsp-test/latest.aam";

/// xorshift64*: deterministic edits.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

const INSERTS: &[&str] = &["x", " ", "[1]", "[9]", ".", "\n", "é", "😀", "June 26, 2023", "Said so."];

/// Sends `n` random one-piece edits to `text` (versions 2..=n+1) without
/// waiting for anything; with `pull`, a pull request after each.
fn type_fast(client: &mut Client, text: &mut String, n: usize, pull: bool) -> (i64, Vec<i64>) {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut version = 1;
    let mut pulls = Vec::new();
    for _ in 0..n {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let start = position(text, at, Units::Utf16);
        version += 1;
        let change = if rng.below(3) == 0 && at < text.len() {
            let mut end = at + 1;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let change =
                json!([{"range": {"start": start, "end": position(text, end, Units::Utf16)}, "text": ""}]);
            text.replace_range(at..end, "");
            change
        } else {
            let insert = INSERTS[rng.below(INSERTS.len())];
            text.insert_str(at, insert);
            json!([{"range": {"start": start, "end": start}, "text": insert}])
        };
        client.change(URI, version, change);
        if pull {
            pulls.push(client.send_request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}})));
        }
    }
    (version, pulls)
}

/// `aam check` on `text`: (code, message, start line, start column), 1-based,
/// columns in Unicode scalar values.
fn cli_findings(text: &str) -> Vec<(String, String, u64, u64)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.aam"), text).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aam"))
        .args(["check", "--isolated", "--output-format", "json", "doc.aam"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).expect("aam check prints JSON");
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The same for LSP diagnostics of `text`.
fn lsp_findings(text: &str, items: &[Value]) -> Vec<(String, String, u64, u64)> {
    items
        .iter()
        .map(|item| {
            let start = &item["range"]["start"];
            let offset = lsp_client::offset(text, start, Units::Utf16);
            let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |idx| idx + 1);
            (
                item["code"].as_str().unwrap().to_owned(),
                item["message"].as_str().unwrap().to_owned(),
                start["line"].as_u64().unwrap() + 1,
                text[line_start..offset].chars().count() as u64 + 1,
            )
        })
        .collect()
}

/// The versions of the `publishDiagnostics` in `messages`, in order.
fn versions(messages: &[Value]) -> Vec<i64> {
    messages.iter().map(|message| message["params"]["version"].as_i64().unwrap()).collect()
}

/// `shutdown`: after its answer, the server publishes nothing more.
fn shut_down(client: &mut Client) {
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null, "{response}");
}

fn exit(mut client: Client) {
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success());
}

fn pull_capabilities() -> Value {
    let mut capabilities = editor_capabilities();
    capabilities["textDocument"]["diagnostic"] =
        json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
    capabilities["workspace"]["diagnostics"] = json!({"refreshSupport": true});
    capabilities
}

#[test]
fn two_hundred_rapid_edits_with_the_default_settings_end_with_aam_check() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let mut text = seed().repeat(4);
    client.open(URI, 1, &text);
    let (last, _) = type_fast(&mut client, &mut text, 200, false);
    let items = client.diagnostics(URI, last);
    assert_eq!(lsp_findings(&text, &items), cli_findings(&text));
    assert!(!items.is_empty(), "the seed article has findings");
    // The server's text is the client's.
    assert_eq!(client.server_document(URI)["text"].as_str(), Some(text.as_str()));
    // Every version published came in order, the last one last: a stale
    // version's diagnostics are never published after a newer one's.
    let mut published = versions(&client.drain_diagnostics(URI));
    published.push(last);
    shut_down(&mut client);
    published.extend(versions(&client.drain_diagnostics(URI)));
    assert!(published.windows(2).all(|pair| pair[0] < pair[1]), "published versions: {published:?}");
    assert_eq!(published.last(), Some(&last), "published versions: {published:?}");
    exit(client);
}

#[test]
fn stale_versions_are_never_published_after_newer_ones() {
    // Bursts of edits, each burst awaited to its last version's diagnostics.
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let mut text = seed().repeat(2);
    client.open(URI, 1, &text);
    let mut published = vec![1];
    client.diagnostics(URI, 1);
    let mut version = 1;
    for burst in 0..10 {
        for _ in 0..=burst {
            let mut at = text.len() / 3;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let start = position(&text, at, Units::Utf16);
            text.insert(at, 'x');
            version += 1;
            client.change(URI, version, json!([{"range": {"start": start, "end": start}, "text": "x"}]));
        }
        let items = client.diagnostics(URI, version);
        published.extend(versions(&client.drain_diagnostics(URI)));
        published.push(version);
        assert_eq!(lsp_findings(&text, &items), cli_findings(&text), "after burst {burst}");
    }
    shut_down(&mut client);
    published.extend(versions(&client.drain_diagnostics(URI)));
    assert!(published.windows(2).all(|pair| pair[0] < pair[1]), "published versions: {published:?}");
    assert_eq!(published.last(), Some(&version));
    exit(client);
}

#[test]
fn rapid_edits_with_pulls_answer_every_pull_and_end_with_aam_check() {
    let (mut client, _) = Client::start(pull_capabilities(), Value::Null);
    let mut text = seed().repeat(4);
    client.open(URI, 1, &text);
    let (_, pulls) = type_fast(&mut client, &mut text, 200, true);
    for id in pulls {
        let response = client.response(id);
        assert_eq!(response["result"]["kind"], "full", "{response}");
    }
    let report = client.result("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}));
    assert_eq!(lsp_findings(&text, report["items"].as_array().unwrap()), cli_findings(&text));
    // Nothing is pushed to a client that pulls.
    assert!(client.drain_diagnostics(URI).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn a_pull_after_no_change_answers_unchanged_and_refresh_only_when_needed() {
    let (mut client, _) = Client::start(pull_capabilities(), Value::Null);
    let text = "Said.[9]\n\nAnother line.\n\n[1] x\n";
    client.open(URI, 1, text);
    let document = json!({"textDocument": {"uri": URI}});
    let full = client.result("textDocument/diagnostic", document.clone());
    assert_eq!(full["kind"], "full");
    assert!(!full["items"].as_array().unwrap().is_empty());
    let result_id = full["resultId"].as_str().unwrap().to_owned();
    let mut again = document.clone();
    again["previousResultId"] = json!(result_id);
    for _ in 0..3 {
        let unchanged = client.result("textDocument/diagnostic", again.clone());
        assert_eq!(unchanged, json!({"kind": "unchanged", "resultId": result_id}));
    }
    // An edit that moves no diagnostic: still unchanged.
    client.change(URI, 2, json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 7}}, "text": "One"}]));
    let unchanged = client.result("textDocument/diagnostic", again.clone());
    assert_eq!(unchanged, json!({"kind": "unchanged", "resultId": result_id}));
    // One that does: a full report with a new id.
    client.change(URI, 3, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "He "}]));
    let changed = client.result("textDocument/diagnostic", again);
    assert_eq!(changed["kind"], "full");
    assert_ne!(changed["resultId"], json!(result_id));
    assert_eq!(changed["items"][0]["range"]["start"], json!({"line": 0, "character": 8}));

    // The same settings again: nothing to refresh. Other settings: refresh.
    let refreshes = |client: &Client| {
        client
            .server_requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(method, _)| method == "workspace/diagnostic/refresh")
            .count()
    };
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"aam": {}}}));
    let _ = client.result("textDocument/diagnostic", document.clone());
    assert_eq!(refreshes(&client), 0);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"aam": {"rules": {"AAM002": "off"}}}}),
    );
    client.wait_for("the refresh request", |message| message["method"] == "workspace/diagnostic/refresh");
    assert_eq!(refreshes(&client), 1);
    let report = client.result("textDocument/diagnostic", document);
    let codes: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["AAM001"]);
    assert!(client.shutdown().success());
}

#[test]
fn a_pull_before_initialize_or_after_shutdown_is_an_error() {
    let mut client = Client::spawn(&[]);
    let early = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}));
    assert!(early.get("error").is_some(), "{early}");
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": pull_capabilities()}),
    );
    assert!(response.get("result").is_some(), "{response}");
    client.notify("initialized", json!({}));
    client.open(URI, 1, "Said.[9]\n");
    let bad = client.request("textDocument/diagnostic", json!({"textDocument": 5}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    let late = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}));
    assert!(late.get("error").is_some(), "{late}");
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success());
}
