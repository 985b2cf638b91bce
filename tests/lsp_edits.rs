//! End-to-end: incremental edits (after an emoji, in a CRLF file, in UTF-8
//! and UTF-16 columns) and 500 rapid edits whose final text, tree and
//! diagnostics equal a from-scratch analysis.

mod lsp_client;

use lsp_client::{Client, Units, editor_capabilities, expected_diagnostics, range, summarise};
use serde_json::{Value, json};

const URI: &str = "file:///aam-lsp-test/edits.aam";

/// Sends one ranged change and applies it to `text` the same way.
fn edit(
    client: &mut Client,
    text: &mut String,
    version: i64,
    start: usize,
    end: usize,
    new_text: &str,
    units: Units,
) {
    client.change(URI, version, json!([{"range": range(text, start, end, units), "text": new_text}]));
    text.replace_range(start..end, new_text);
}

/// The server's text and tree equal `text` and a fresh parse of it.
fn assert_server_has(client: &mut Client, text: &str, version: i64) {
    let document = client.server_document(URI);
    assert_eq!(document["version"], version);
    assert_eq!(document["text"], text);
    assert_eq!(document["tree"], aam::syntax::parse(text).root_node().to_sexp(), "incremental tree differs");
}

#[test]
fn edit_after_an_emoji_in_utf16_columns() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let mut text = "A 😀 said so.[1] Then 😀😀 left.[2]\n[1] “Note”, X, 2023\n".to_owned();
    client.open(URI, 1, &text);
    let said = text.find("said").unwrap();
    edit(&mut client, &mut text, 2, said, said + 4, "wrote", Units::Utf16);
    let left = text.find("left").unwrap();
    edit(&mut client, &mut text, 3, left, left + 4, "went", Units::Utf16);
    assert_eq!(text, "A 😀 wrote so.[1] Then 😀😀 went.[2]\n[1] “Note”, X, 2023\n");
    assert_server_has(&mut client, &text, 3);
    let diagnostics = client.diagnostics(URI, 3);
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));
    let unresolved = diagnostics.iter().find(|d| d["code"] == "AAM001").expect("[2] is unresolved");
    // `[2]` starts after `A 😀 wrote so.[1] Then 😀😀 went.`: 33 UTF-16 units
    // (each emoji is two).
    assert_eq!(unresolved["range"]["start"], json!({"line": 0, "character": 33}));
    assert!(client.shutdown().success());
}

#[test]
fn edit_after_an_emoji_in_utf8_columns() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}});
    let (mut client, result) = Client::start(capabilities, Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let mut text = "é 中 😀 said.[1]\n[1] x\n".to_owned();
    client.open(URI, 1, &text);
    let said = text.find("said").unwrap();
    edit(&mut client, &mut text, 2, said, said + 4, "wrote", Units::Utf8);
    assert_server_has(&mut client, &text, 2);
    let hover = client.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": lsp_client::position(&text, text.find("[1]").unwrap() + 1, Units::Utf8)}),
    );
    // `é 中 😀 wrote.` is 2+1+3+1+4+1+6 = 18 bytes.
    assert_eq!(hover["range"]["start"], json!({"line": 0, "character": 18}));
    assert!(client.shutdown().success());
}

#[test]
fn edits_in_a_crlf_file() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let mut text = lsp_client::seed().replace('\n', "\r\n");
    client.open(URI, 1, &text);
    assert_eq!(summarise(&client.diagnostics(URI, 1)), expected_diagnostics(&text));
    // A new unresolved reference at the end of line 3, then a line break
    // typed in the middle of line 2.
    let line_three_end = text.match_indices("\r\n").nth(2).unwrap().0;
    edit(&mut client, &mut text, 2, line_three_end, line_three_end, " Added.[9]", Units::Utf16);
    let middle = text.find("said a spokesperson").unwrap();
    edit(&mut client, &mut text, 3, middle, middle, "\r\n", Units::Utf16);
    assert_server_has(&mut client, &text, 3);
    let diagnostics = client.diagnostics(URI, 3);
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));
    let unresolved = diagnostics.iter().find(|d| d["code"] == "AAM001").expect("[9] is unresolved");
    assert_eq!(unresolved["range"]["start"]["line"], 3);
    assert!(client.shutdown().success());
}

#[test]
fn several_changes_in_one_notification_apply_in_order() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let text = "One.[1]\n[1] a\n";
    client.open(URI, 1, text);
    // The second change's range is in the text the first one produced.
    client.change(
        URI,
        2,
        json!([
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}}, "text": "Uno dos"},
            {"range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 7}}, "text": "tres"},
            {"text": "Replaced.[2]\n[2] b\n"},
            {"range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 8}}, "text": "!"}
        ]),
    );
    assert_server_has(&mut client, "Replaced!.[2]\n[2] b\n", 2);
    assert!(client.shutdown().success());
}

#[test]
fn stale_versions_are_dropped() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(URI, 5, "Five.\n");
    client.change(URI, 5, json!([{"text": "Same version.\n"}]));
    client.change(URI, 4, json!([{"text": "Older version.\n"}]));
    assert_server_has(&mut client, "Five.\n", 5);
    assert!(client.shutdown().success());
}

/// A deterministic pseudo-random sequence (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// A character boundary near `offset` that does not split a CRLF.
fn boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset)
        || (text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
    {
        offset -= 1;
    }
    offset
}

#[test]
fn five_hundred_rapid_edits_end_where_a_fresh_analysis_does() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let mut text = lsp_client::seed();
    client.open(URI, 1, &text);
    let inserts = [
        "[",
        "]",
        "3",
        "[2]",
        "[9]",
        "😀",
        "é",
        "中",
        " ",
        "\n",
        ".",
        "Ibid",
        "\r\n",
        "[^n]",
        "June 25, 2023",
    ];
    let mut random = Lcg(0x5eed);
    for version in 2..=501 {
        let mut changes = Vec::new();
        // Every seventh notification carries two changes.
        for _ in 0..(1 + usize::from(version % 7 == 0)) {
            let start = boundary(&text, random.next(text.len() + 1));
            let (end, new_text) = if random.next(3) == 0 {
                (boundary(&text, start + 1 + random.next(12)).max(start), "")
            } else {
                (start, inserts[random.next(inserts.len())])
            };
            changes.push(json!({"range": range(&text, start, end, Units::Utf16), "text": new_text}));
            text.replace_range(start..end, new_text);
        }
        client.change(URI, version as i64, Value::Array(changes));
    }
    // Every publication in the order it arrived, up to version 501's. The
    // server may publish a version while it is the newest (checking starts
    // at once); it must never publish one after a newer version's.
    let mut versions = Vec::new();
    let diagnostics = loop {
        let message = client.wait_for("the diagnostics of version 501", |message| {
            message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == URI
        });
        let version = message["params"]["version"].as_i64().unwrap();
        versions.push(version);
        if version == 501 {
            break message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
    };
    assert!(versions.is_sorted(), "diagnostics published out of order: {versions:?}");
    assert_server_has(&mut client, &text, 501);
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));
    // Nothing published after version 501's was older.
    let late: Vec<i64> = client
        .drain_diagnostics(URI)
        .iter()
        .map(|message| message["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(late.iter().all(|&version| version >= 501), "late diagnostics of old versions: {late:?}");
    assert!(client.shutdown().success());
}

/// After a document's first diagnostics (computed without the rules cache),
/// the server fills the cache in the background, once the notification is
/// on its way, so that the next edit is checked incrementally.
#[test]
fn the_rules_cache_is_filled_after_the_first_diagnostics_are_sent() {
    let (mut client, _) = Client::start(editor_capabilities(), json!({"lsp": {"debounce-ms": 0}}));
    let text = lsp_client::seed();
    client.open(URI, 1, &text);
    assert_eq!(summarise(&client.diagnostics(URI, 1)), expected_diagnostics(&text));
    let log = client.wait_for_log("warmed the rules cache of");
    let converted = log.find("converted ").expect("the conversion is logged");
    let warmed = log.find("warmed the rules cache of").expect("just found");
    assert!(converted < warmed, "{log}");
    assert!(client.shutdown().success());
}
