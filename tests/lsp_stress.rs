//! The server under stress: 20 documents, 5,000 random incremental edits
//! interleaved with hovers, completions, pull-diagnostic requests and
//! cancellations, sent as fast as the pipe takes them. Then every request
//! has been answered, each document's text and diagnostics equal what
//! `aam check` says about the same text, memory is back near its level
//! before the documents were opened, and the server exits cleanly. The
//! PRNG is a fixed xorshift: every run sends the same messages.

mod lsp_client;

use std::collections::BTreeMap;

use lsp_client::{Client, Units, position, seed};
use serde_json::{Value, json};

const N_DOCUMENTS: usize = 20;
const N_EDITS: usize = 5_000;

/// xorshift64*: small, deterministic, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// What edits insert: markup, prose and characters that are more than one
/// UTF-16 unit or more than one byte.
const INSERTS: &[&str] = &[
    "[1]",
    "[2]",
    "[7]",
    "[^x]",
    "[1, 3]",
    "[2-4]",
    "\n[5] New note, June 1, 2023\n",
    "\n",
    "\r\n",
    " word",
    "Said so.",
    "😀",
    "é",
    "中",
    "\n\n# Heading\n",
    "Monday, June 26, 2023",
    "Ibid.",
    "<!-- c -->",
    "`x`",
    "",
];

/// Pull diagnostics (the client asks), UTF-16 positions.
fn capabilities() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}, "publishDiagnostics": {"relatedInformation": true}}
    })
}

fn uri(idx: usize) -> String {
    format!("file:///aam-stress/doc{idx:02}.aam")
}

/// The resident set size of process `pid` in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// The process id of the server this thread just started: the children of
/// a thread are listed in `/proc/thread-self/children` (the test client does
/// not expose its `Child`).
fn server_pid() -> u32 {
    let children = std::fs::read_to_string("/proc/thread-self/children").expect("/proc/thread-self/children");
    let pids: Vec<u32> = children.split_whitespace().map(|pid| pid.parse().unwrap()).collect();
    assert_eq!(pids.len(), 1, "one child: the server ({children:?})");
    pids[0]
}

/// A character boundary of `text` at or before `at`, never inside a CRLF.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

/// Opens the documents, runs `n_edits` edits with requests, closes them;
/// returns the texts as they were before closing and the diagnostics the
/// server reported for them (pulled after the last edit).
fn stress_round(client: &mut Client, rng: &mut Rng, n_edits: usize) -> Vec<(String, Vec<Value>)> {
    let base = seed();
    let mut texts: Vec<String> = (0..N_DOCUMENTS)
        .map(|idx| match idx % 4 {
            0 => base.clone(),
            1 => base.replace('\n', "\r\n"),
            2 => format!("# Doc {idx}\n\nA claim.[1] Another 😀 claim.[2]\n\n[1] One\n[2] Ibid.\n"),
            _ => String::new(),
        })
        .collect();
    let mut versions = [1i64; N_DOCUMENTS];
    for (idx, text) in texts.iter().enumerate() {
        client.open(&uri(idx), 1, text);
    }
    let mut pending: Vec<(i64, &'static str)> = Vec::new();
    for step in 0..n_edits {
        let doc = rng.below(N_DOCUMENTS);
        let text = &mut texts[doc];
        let start = boundary(text, rng.below(text.len() + 1));
        let end = boundary(text, start + rng.below(12)).max(start);
        let insert = rng.pick(INSERTS);
        let range =
            json!({"start": position(text, start, Units::Utf16), "end": position(text, end, Units::Utf16)});
        text.replace_range(start..end, insert);
        versions[doc] += 1;
        client.change(&uri(doc), versions[doc], json!([{"range": range, "text": insert}]));

        let text = &texts[doc];
        let at = position(text, boundary(text, rng.below(text.len() + 1)), Units::Utf16);
        let document = json!({"uri": uri(doc)});
        match rng.below(8) {
            0 => pending.push((
                client.send_request("textDocument/hover", json!({"textDocument": document, "position": at})),
                "hover",
            )),
            1 => pending.push((
                client.send_request(
                    "textDocument/completion",
                    json!({"textDocument": document, "position": at}),
                ),
                "completion",
            )),
            2 => pending.push((
                client.send_request("textDocument/diagnostic", json!({"textDocument": document})),
                "diagnostic",
            )),
            3 if step % 3 == 0 => {
                let id = client
                    .send_request("textDocument/hover", json!({"textDocument": document, "position": at}));
                client.notify("$/cancelRequest", json!({"id": id}));
                pending.push((id, "cancelled"));
            }
            4 if step % 16 == 0 => pending.push((
                client.send_request(
                    "textDocument/documentHighlight",
                    json!({"textDocument": document, "position": at}),
                ),
                "panics",
            )),
            _ => {}
        }
    }
    // Every request is answered: a result, or an error for a cancelled one
    // (RequestCancelled) or one that panics on purpose (InternalError).
    let mut answered: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, kind) in pending {
        let response = client.response(id);
        match (kind, response.get("error")) {
            (_, None) => {}
            ("cancelled", Some(error)) => assert_eq!(error["code"], -32800, "{response}"),
            ("panics", Some(error)) => assert_eq!(error["code"], -32603, "{response}"),
            (_, Some(_)) => panic!("{kind} failed: {response}"),
        }
        *answered.entry(kind).or_default() += 1;
    }
    assert!(answered.len() >= 5, "every kind of request was sent: {answered:?}");
    eprintln!("requests answered after {n_edits} edits: {answered:?}");

    let mut finals = Vec::new();
    for (idx, text) in texts.iter().enumerate() {
        let server = client.server_document(&uri(idx));
        assert_eq!(server["text"].as_str(), Some(text.as_str()), "document {idx}: the server's text");
        assert_eq!(server["version"], versions[idx]);
        let report = client.result("textDocument/diagnostic", json!({"textDocument": {"uri": uri(idx)}}));
        assert_eq!(report["kind"], "full");
        finals.push((text.clone(), report["items"].as_array().cloned().unwrap_or_default()));
    }
    for idx in 0..N_DOCUMENTS {
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(idx)}}));
    }
    finals
}

/// Diagnostics as (code, message, start line, start column, end line, end
/// column), 1-based with columns in Unicode scalar values, as `aam check`
/// reports them.
type Finding = (String, String, u64, u64, u64, u64);

fn lsp_findings(text: &str, items: &[Value]) -> Vec<Finding> {
    let cli_position = |position: &Value| {
        let offset = lsp_client::offset(text, position, Units::Utf16);
        let line = position["line"].as_u64().unwrap();
        let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |idx| idx + 1);
        (line + 1, text[line_start..offset].chars().count() as u64 + 1)
    };
    items
        .iter()
        .map(|item| {
            let (start_line, start_column) = cli_position(&item["range"]["start"]);
            let (end_line, end_column) = cli_position(&item["range"]["end"]);
            let code = item["code"].as_str().unwrap().to_owned();
            (
                code,
                item["message"].as_str().unwrap().to_owned(),
                start_line,
                start_column,
                end_line,
                end_column,
            )
        })
        .collect()
}

fn cli_findings(json: &Value) -> Vec<Finding> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
                d["end"]["line"].as_u64().unwrap(),
                d["end"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn twenty_documents_five_thousand_edits() {
    let (mut client, _) = Client::start_with_env(
        capabilities(),
        Value::Null,
        &[("AAM_LSP_TEST_PANIC", "documentHighlight"), ("RUST_LOG", "warn")],
    );
    let pid = server_pid();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    // A short round first, so that the allocator's arenas and the runtime's
    // threads exist before the baseline is taken.
    stress_round(&mut client, &mut rng, 200);
    let _ = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(0)}}));
    let baseline = rss_kib(pid);

    let finals = stress_round(&mut client, &mut rng, N_EDITS);
    // After closing, a request for a closed document is an error, not a
    // stale answer: the server has forgotten it.
    let closed = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri(0)}}));
    assert!(closed.get("error").is_some(), "{closed}");
    let after = rss_kib(pid);

    // Each document's diagnostics equal `aam check` on its final text.
    let dir = tempfile::tempdir().unwrap();
    for (idx, (text, _)) in finals.iter().enumerate() {
        std::fs::write(dir.path().join(format!("doc{idx:02}.aam")), text).unwrap();
    }
    for (idx, (text, items)) in finals.iter().enumerate() {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_aam"))
            .args(["check", "--isolated", "--output-format", "json", &format!("doc{idx:02}.aam")])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&output.stdout).expect("aam check prints JSON");
        assert_eq!(lsp_findings(text, items), cli_findings(&json), "document {idx}");
    }

    eprintln!("VmRSS: {baseline} KiB before 5,000 edits on 20 documents, {after} KiB after closing them");
    // Memory back near where it was before 5,000 edits on 20 documents (a
    // leaked analysis per edit would be hundreds of megabytes).
    assert!(
        after < baseline + 48 * 1024,
        "VmRSS {after} KiB after closing, {baseline} KiB before the big round"
    );
    // The panics were logged, and the server kept serving after them.
    assert!(client.log().contains("documentHighlight panicked"), "{}", client.log());
    assert!(client.shutdown().success());
}

#[test]
fn the_server_exits_when_stdin_closes_under_load() {
    let (mut client, _) = Client::start(capabilities(), Value::Null);
    let text = seed();
    client.open(&uri(0), 1, &text);
    // Requests in flight when the input ends.
    for line in 0..50 {
        client.send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(0)}, "position": {"line": line % 12, "character": 5}}),
        );
    }
    client.close_stdin();
    let status = client.wait_exit();
    // Without `shutdown` first, LSP says exit code 1.
    assert_eq!(status.code(), Some(1));
}
