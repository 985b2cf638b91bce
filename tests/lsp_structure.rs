//! End-to-end: pulled diagnostics (result ids, unchanged reports), document
//! symbols, folding ranges, document links, semantic tokens and inlay hints.

mod lsp_client;

use lsp_client::{Client, editor_capabilities};
use serde_json::{Value, json};

const URI: &str = "file:///aam-lsp-test/structure.aam";
const TEXT: &str = "---\ntitle: Talks\ndate: 2023-06-27\n---\n# Talks in Beijing\nThey met on June 25, 2023 in Beijing.[1]\n## Reactions\nThe ministry said so.[2] See https://example.org/a.\n# Notes\n[1] “One”, CNN, June 26th, 2023, https://cnn.com/x\n[2] Ibid\n";

fn document() -> Value {
    json!({"textDocument": {"uri": URI}})
}

#[test]
fn pull_diagnostics_with_result_ids() {
    let mut capabilities = editor_capabilities();
    capabilities["textDocument"]["diagnostic"] =
        json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
    let (mut client, result) = Client::start(capabilities, Value::Null);
    assert_eq!(result["capabilities"]["diagnosticProvider"]["identifier"], "aam");
    let text = "Said.[9]\n[1] x\n";
    client.open(URI, 1, text);
    let report = client.result("textDocument/diagnostic", document());
    assert_eq!(report["kind"], "full");
    let codes: Vec<&str> =
        report["items"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["AAM001", "AAM002"]);
    let result_id = report["resultId"].as_str().unwrap().to_owned();

    let mut again = document();
    again["previousResultId"] = json!(result_id);
    let unchanged = client.result("textDocument/diagnostic", again.clone());
    assert_eq!(unchanged, json!({"kind": "unchanged", "resultId": result_id}));

    client.change(URI, 2, json!([{"text": "Said.[1]\n[1] x\n"}]));
    let changed = client.result("textDocument/diagnostic", again);
    assert_eq!(changed["kind"], "full");
    assert_eq!(changed["items"], json!([]));
    // No diagnostics are pushed to a client that pulls.
    assert!(client.drain_diagnostics(URI).is_empty());
    let not_open = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": "file:///aam-lsp-test/other.aam"}}),
    );
    assert_eq!(not_open["error"]["code"], -32602);
    assert!(client.shutdown().success());
}

#[test]
fn symbols_folding_and_links() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(URI, 1, TEXT);
    let symbols = client.result("textDocument/documentSymbol", document());
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Talks in Beijing", "Notes", "Notes"]);
    assert_eq!(symbols[0]["children"][0]["name"], "Reactions");
    assert_eq!(symbols[0]["range"]["start"], json!({"line": 4, "character": 0}));
    let notes = &symbols[2];
    assert_eq!(notes["kind"], 3, "namespace");
    let children: Vec<(&str, &str)> = notes["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(children, [("[1]", "CNN, 2023"), ("[2]", "Ibid. → [1]")]);

    let folds = client.result("textDocument/foldingRange", document());
    let spans: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
        .collect();
    assert!(spans.contains(&(0, 3)), "front matter: {spans:?}");
    assert!(spans.contains(&(4, 7)), "section: {spans:?}");
    assert!(spans.contains(&(9, 10)), "notes list: {spans:?}");

    let links = client.result("textDocument/documentLink", document());
    let targets: Vec<&str> =
        links.as_array().unwrap().iter().map(|l| l["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["https://example.org/a", "https://cnn.com/x"]);
    assert!(client.shutdown().success());
}

/// Decodes LSP's relative token encoding into (line, start, length, type, modifiers).
fn decode(data: &[Value]) -> Vec<(u64, u64, u64, u64, u64)> {
    let numbers: Vec<u64> = data.iter().map(|n| n.as_u64().unwrap()).collect();
    let (mut line, mut start) = (0, 0);
    numbers
        .chunks(5)
        .map(|chunk| {
            if chunk[0] > 0 {
                start = 0;
            }
            line += chunk[0];
            start += chunk[1];
            (line, start, chunk[2], chunk[3], chunk[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_full_and_range() {
    let (mut client, result) = Client::start(editor_capabilities(), Value::Null);
    let legend = &result["capabilities"]["semanticTokensProvider"]["legend"];
    assert_eq!(legend["tokenTypes"], json!(["variable", "number", "namespace", "string"]));
    assert_eq!(legend["tokenModifiers"], json!(["declaration", "unresolved"]));
    client.open(URI, 1, TEXT);
    let full = client.result("textDocument/semanticTokens/full", document());
    let tokens = decode(full["data"].as_array().unwrap());
    // Line 5: `They met on June 25, 2023 in Beijing.[1]`.
    assert!(tokens.contains(&(5, 12, 13, 1, 0)), "the date: {tokens:?}");
    assert!(tokens.contains(&(5, 37, 3, 0, 0)), "the reference: {tokens:?}");
    assert!(tokens.contains(&(9, 0, 3, 0, 1)), "a note label: {tokens:?}");
    assert!(tokens.contains(&(4, 0, 18, 2, 0)), "a heading: {tokens:?}");
    let mut range = document();
    range["range"] = json!({"start": {"line": 5, "character": 0}, "end": {"line": 6, "character": 0}});
    let ranged = client.result("textDocument/semanticTokens/range", range);
    let tokens = decode(ranged["data"].as_array().unwrap());
    assert_eq!(tokens, [(5, 12, 13, 1, 0), (5, 37, 3, 0, 0)]);
    assert!(client.shutdown().success());
}

#[test]
fn inlay_hints_are_off_by_default_and_configurable() {
    let whole = json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 11, "character": 0}}});
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(URI, 1, TEXT);
    assert_eq!(client.result("textDocument/inlayHint", whole.clone()), json!([]));
    assert!(client.shutdown().success());

    let options = json!({"lsp": {"inlay-hints": {"citations": true, "weekdays": true}}});
    let (mut client, _) = Client::start(editor_capabilities(), options);
    client.open(URI, 1, TEXT);
    let hints = client.result("textDocument/inlayHint", whole);
    let labels: Vec<(&str, &Value)> =
        hints.as_array().unwrap().iter().map(|h| (h["label"].as_str().unwrap(), &h["position"])).collect();
    assert_eq!(
        labels,
        [
            ("Sunday", &json!({"line": 5, "character": 25})),
            ("CNN, 2023", &json!({"line": 5, "character": 40})),
            ("Ibid. → [1]", &json!({"line": 7, "character": 24})),
            ("Monday", &json!({"line": 9, "character": 31})),
        ]
    );
    assert!(client.shutdown().success());
}
