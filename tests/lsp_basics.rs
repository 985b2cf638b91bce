//! End-to-end: `initialize`, diagnostics on the seed article, hover,
//! definition, references, highlight, completion and rename, against the
//! real `aam lsp` binary over stdio.

mod lsp_client;

use lsp_client::{Client, Units, editor_capabilities, position_of, seed};
use serde_json::{Value, json};

const SEED_URI: &str = "file:///aam-lsp-test/seed-article.aam";

fn start_with_seed() -> (Client, String) {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let text = seed();
    client.open(SEED_URI, 1, &text);
    (client, text)
}

fn at(text: &str, needle: &str, delta: usize) -> Value {
    json!({"textDocument": {"uri": SEED_URI}, "position": position_of(text, needle, delta)})
}

#[test]
fn initialize_announces_capabilities_and_negotiates_utf16() {
    let (client, result) = Client::start(editor_capabilities(), Value::Null);
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "inlayHintProvider",
    ] {
        assert_eq!(capabilities[provider], true, "{provider}");
    }
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
    assert_eq!(capabilities["completionProvider"]["triggerCharacters"], json!(["[", "^", "@"]));
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.renumberNotes"])
    );
    assert_eq!(capabilities["executeCommandProvider"]["commands"], json!(["aam.revealPosition"]));
    assert_eq!(capabilities["semanticTokensProvider"]["range"], true);
    assert!(capabilities.get("diagnosticProvider").is_none(), "push diagnostics for a client without pull");
    assert_eq!(result["serverInfo"]["name"], "aam");
    assert!(client.shutdown().success());
}

#[test]
fn initialize_prefers_utf8_when_offered() {
    let capabilities = json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}});
    let (client, result) = Client::start(capabilities, Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert!(client.shutdown().success());
}

#[test]
fn did_open_publishes_the_seed_diagnostics() {
    let (mut client, text) = start_with_seed();
    let diagnostics = client.diagnostics(SEED_URI, 1);
    assert_eq!(lsp_client::summarise(&diagnostics), lsp_client::expected_diagnostics(&text));
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["source"], "aam");
        let code = diagnostic["code"].as_str().unwrap();
        let rule = aam::checks::rule(code).expect("a known code");
        assert_eq!(diagnostic["data"]["name"], rule.name);
        assert!((1..=4).contains(&diagnostic["severity"].as_i64().unwrap()));
    }
    assert!(client.shutdown().success());
}

#[test]
fn hover_on_a_reference_shows_its_note_and_resolves_ibid() {
    let (mut client, text) = start_with_seed();
    let hover = client.result("textDocument/hover", at(&text, "said.[3]", 5));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(
        markdown.starts_with(
            "**\\[3\\]** *“China, Russia should defend common interests in difficult int’l situation”*"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("TASS · June 25th, 2023 (2023-06-25, Sunday)"), "{markdown}");
    assert!(
        markdown.contains("[https://tass.com/world/1638125](<https://tass.com/world/1638125>)"),
        "{markdown}"
    );
    assert_eq!(hover["range"]["start"], position_of(&text, "said.[3]", 5));
    assert_eq!(hover["range"]["end"], position_of(&text, "said.[3]", 8));

    let hover = client.result("textDocument/hover", at(&text, "added.[2]", 7));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.starts_with("**\\[2\\]** Ibid. — same source as \\[1\\]: *“China throws support behind"),
        "{markdown}"
    );
    assert!(markdown.contains("Nectar Gan · CNN · June 26th, 2023 (2023-06-26, Monday)"), "{markdown}");
    assert!(client.shutdown().success());
}

#[test]
fn hover_on_a_note_label_and_on_plain_text() {
    let (mut client, text) = start_with_seed();
    let hover = client.result("textDocument/hover", at(&text, "[4] “How", 1));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(markdown, "**\\[4\\]** is cited once, on line 7.");
    let nothing = client.result("textDocument/hover", at(&text, "China has dropped", 2));
    assert_eq!(nothing, Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn definition_references_and_highlight() {
    let (mut client, text) = start_with_seed();
    let definition = client.result("textDocument/definition", at(&text, "said.[3]", 6));
    let links = definition.as_array().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["targetUri"], SEED_URI);
    assert_eq!(links[0]["targetSelectionRange"]["start"], position_of(&text, "[3] “China", 0));
    assert_eq!(links[0]["originSelectionRange"]["start"], position_of(&text, "said.[3]", 5));

    let mut params = at(&text, "[1] Nectar", 1);
    params["context"] = json!({"includeDeclaration": false});
    let references = client.result("textDocument/references", params.clone());
    let starts: Vec<&Value> =
        references.as_array().unwrap().iter().map(|location| &location["range"]["start"]).collect();
    assert_eq!(starts, [&position_of(&text, "time.[1]", 5)]);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.result("textDocument/references", params);
    assert_eq!(references.as_array().unwrap().len(), 2);

    let highlights = client.result("textDocument/documentHighlight", at(&text, "time.[1]", 6));
    let kinds: Vec<&Value> =
        highlights.as_array().unwrap().iter().map(|highlight| &highlight["kind"]).collect();
    assert_eq!(kinds, [&json!(2), &json!(3)], "read, then write");
    assert!(client.shutdown().success());
}

#[test]
fn completion_after_an_open_bracket() {
    let (mut client, mut text) = start_with_seed();
    let insert_at = text.find("particularly in Europe").unwrap() + "particularly in Europe".len();
    let position = lsp_client::position(&text, insert_at, Units::Utf16);
    client.change(SEED_URI, 2, json!([{"range": {"start": position, "end": position}, "text": "["}]));
    text.insert(insert_at, '[');
    let mut cursor = position.clone();
    cursor["character"] = json!(position["character"].as_u64().unwrap() + 1);
    let completion = client.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": SEED_URI}, "position": cursor, "context": {"triggerKind": 2, "triggerCharacter": "["}}),
    );
    let items = completion["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|item| item["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert_eq!(items[2]["detail"], "China, Russia should defend common interests in difficult… — TASS, 2023");
    // The client resolves documentation lazily (as VS Code does): the
    // citation comes with `completionItem/resolve`.
    assert_eq!(items[2]["documentation"], json!(null));
    let resolved = client.result("completionItem/resolve", items[2].clone());
    assert!(resolved["documentation"]["value"].as_str().unwrap().contains("https://tass.com/world/1638125"));
    assert_eq!(resolved["label"], "3");
    assert_eq!(items[7]["detail"], "next free number (a new note)");
    assert_eq!(items[0]["textEdit"]["newText"], "1]");
    assert_eq!(items[0]["textEdit"]["range"]["start"], cursor);
    let sort: Vec<&str> = items.iter().map(|item| item["sortText"].as_str().unwrap()).collect();
    let mut sorted = sort.clone();
    sorted.sort();
    assert_eq!(sort, sorted);
    assert!(client.shutdown().success());
}

/// An article citing 300 notes, and a completion after a `[` + `typed` at
/// its start.
fn complete_in_a_long_article(options: Value, typed: &str) -> Value {
    let (mut client, _) = Client::start(editor_capabilities(), options);
    let mut text = format!("Said.[{typed}\n");
    for number in 1..=300 {
        text.push_str(&format!("[{number}] “Title {number}”, CNN, 2023\n"));
    }
    client.open(SEED_URI, 1, &text);
    let cursor = position_of(&text, "[", 1 + typed.len());
    let completion = client
        .result("textDocument/completion", json!({"textDocument": {"uri": SEED_URI}, "position": cursor}));
    assert!(client.shutdown().success());
    completion
}

fn completion_labels(completion: &Value) -> Vec<&str> {
    completion["items"].as_array().unwrap().iter().map(|item| item["label"].as_str().unwrap()).collect()
}

#[test]
fn completion_in_a_long_article_is_cut_to_the_limit_and_incomplete() {
    let completion = complete_in_a_long_article(Value::Null, "");
    let labels = completion_labels(&completion);
    assert_eq!(labels.len(), 100, "the default limit");
    assert_eq!(completion["isIncomplete"], true);
    assert_eq!(labels[..3], ["1", "2", "3"]);
    assert_eq!(labels[99], "301", "the next free number stays");

    // The typed part filters on the server: 7, 70…79.
    let completion = complete_in_a_long_article(Value::Null, "7");
    assert_eq!(
        completion_labels(&completion),
        ["7", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "301"]
    );
    assert_eq!(completion["isIncomplete"], false);

    let completion = complete_in_a_long_article(json!({"lsp": {"completion": {"limit": 20}}}), "");
    assert_eq!(completion_labels(&completion).len(), 20);
    assert_eq!(completion["isIncomplete"], true);
    let completion = complete_in_a_long_article(json!({"lsp": {"completion": {"limit": 0}}}), "");
    assert_eq!(completion_labels(&completion).len(), 301, "0: no limit");
    assert_eq!(completion["isIncomplete"], false);
}

#[test]
fn rename_a_label_everywhere_and_reject_a_used_one() {
    let (mut client, text) = start_with_seed();
    let prepared = client.result("textDocument/prepareRename", at(&text, "said.[3]", 6));
    assert_eq!(prepared["placeholder"], "3");
    assert_eq!(prepared["range"]["start"], position_of(&text, "said.[3]", 6));

    let mut params = at(&text, "said.[3]", 6);
    params["newName"] = json!("30");
    let edit = client.result("textDocument/rename", params.clone());
    let edits = lsp_client::workspace_edits(&edit, SEED_URI);
    assert_eq!(edit["documentChanges"][0]["textDocument"]["version"], 1);
    let renamed = lsp_client::apply_text_edits(&text, &edits, Units::Utf16);
    let expected = text.replace("said.[3]", "said.[30]").replace("\n[3] “China", "\n[30] “China");
    assert_eq!(renamed, expected);

    params["newName"] = json!("5");
    let rejected = client.request("textDocument/rename", params.clone());
    assert_eq!(rejected["error"]["code"], -32803);
    assert_eq!(rejected["error"]["message"], "label [5] is already defined on line 16");
    params["newName"] = json!("a b");
    let rejected = client.request("textDocument/rename", params);
    assert!(rejected["error"]["message"].as_str().unwrap().contains("is not a valid label"), "{rejected}");
    assert!(client.shutdown().success());
}
