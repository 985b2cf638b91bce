//! End-to-end over stdio: Pandoc citations with a bibliography on disk —
//! diagnostics (AAM007), hover, completion after `@`, definition into the
//! `.bib` file, references, rename, a reload after the file changes
//! (`workspace/didChangeWatchedFiles`), and a malformed file.

mod lsp_client;

use lsp_client::{Client, editor_capabilities, position_of};
use serde_json::{Value, json};

const BIB: &str = "@book{knuth1984,\n  author = {Donald E. Knuth},\n  title = {The TeXbook},\n  publisher = {Addison-Wesley},\n  date = {1984},\n  doi = {10.1000/texbook},\n}\n\n@article{knuth1992,\n  author = {Knuth, Donald},\n  title = {Literate Programming},\n  year = {1992},\n}\n";

const TEXT: &str = "---\nbibliography: refs.bib\n---\nAs shown [@knuth1984, p. 33] and by @knuth1992, unlike [@lamport94].\n";

struct Setup {
    _dir: tempfile::TempDir,
    bib_path: std::path::PathBuf,
    bib_uri: String,
    uri: String,
}

fn setup(bib: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let bib_path = root.join("refs.bib");
    std::fs::write(&bib_path, bib).unwrap();
    std::fs::write(root.join("a.aam"), TEXT).unwrap();
    let uri = format!("file://{}", root.join("a.aam").display());
    let bib_uri = format!("file://{}", bib_path.display());
    Setup { _dir: dir, bib_path, bib_uri, uri }
}

fn at(uri: &str, needle: &str, delta: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position_of(TEXT, needle, delta)})
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn hover_completion_and_definition() {
    let setup = setup(BIB);
    let (mut client, result) = Client::start(editor_capabilities(), Value::Null);
    assert_eq!(result["capabilities"]["completionProvider"]["triggerCharacters"], json!(["[", "^", "@"]));
    client.open(&setup.uri, 1, TEXT);
    let diagnostics = client.diagnostics(&setup.uri, 1);
    assert_eq!(codes(&diagnostics), ["AAM007"]);
    assert_eq!(diagnostics[0]["range"]["start"], position_of(TEXT, "@lamport94", 0));

    let hover = client.result("textDocument/hover", at(&setup.uri, "@knuth1984", 3));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.starts_with("**Donald E. Knuth** (1984). *The TeXbook*. Addison-Wesley"), "{markdown}");
    assert!(markdown.contains("](https://doi.org/10.1000/texbook)"), "{markdown}");
    assert_eq!(hover["range"]["start"], position_of(TEXT, "@knuth1984", 0));

    // Completion right after `[@`, and after a typed prefix.
    let mut typed = TEXT.replace("[@lamport94]", "[@knuth");
    client.change(&setup.uri, 2, json!([{"text": typed.clone()}]));
    let cursor = position_of(&typed, "[@knuth", 7);
    let completion = client.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": setup.uri}, "position": cursor, "context": {"triggerKind": 1}}),
    );
    let labels: Vec<&str> =
        completion["items"].as_array().unwrap().iter().map(|item| item["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["knuth1984", "knuth1992"]);
    assert_eq!(completion["items"][0]["detail"], "Knuth 1984, The TeXbook");
    typed = TEXT.replace("[@lamport94]", "[@");
    client.change(&setup.uri, 3, json!([{"text": typed.clone()}]));
    let cursor = position_of(&typed, "[@.", 2);
    let completion = client.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": setup.uri}, "position": cursor, "context": {"triggerKind": 2, "triggerCharacter": "@"}}),
    );
    assert_eq!(completion["items"].as_array().unwrap().len(), 2, "{completion}");
    client.change(&setup.uri, 4, json!([{"text": TEXT}]));

    let definition = client.result("textDocument/definition", at(&setup.uri, "@knuth1992", 2));
    assert_eq!(definition[0]["targetUri"], setup.bib_uri);
    assert_eq!(definition[0]["targetSelectionRange"]["start"], json!({"line": 8, "character": 9}));
    assert_eq!(definition[0]["originSelectionRange"]["start"], position_of(TEXT, "@knuth1992", 0));
    assert!(client.shutdown().success());
}

#[test]
fn references_and_rename_of_a_key() {
    let setup = setup(BIB);
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let text = format!("{TEXT}Again [-@knuth1984].\n");
    client.open(&setup.uri, 1, &text);
    let params = json!({"textDocument": {"uri": setup.uri}, "position": position_of(&text, "@knuth1984", 1), "context": {"includeDeclaration": true}});
    let references = client.result("textDocument/references", params);
    let uris: Vec<&str> = references.as_array().unwrap().iter().map(|r| r["uri"].as_str().unwrap()).collect();
    assert_eq!(uris, [setup.uri.as_str(), setup.uri.as_str(), setup.bib_uri.as_str()]);

    let params = json!({"textDocument": {"uri": setup.uri}, "position": position_of(&text, "@knuth1984", 1)});
    let prepared = client.result("textDocument/prepareRename", params.clone());
    assert_eq!(prepared["placeholder"], "knuth1984");
    let mut rename = params;
    rename["newName"] = json!("knuth84");
    let edit = client.result("textDocument/rename", rename);
    assert_eq!(edit["changes"][&setup.uri].as_array().unwrap().len(), 2, "{edit}");
    let entry = &edit["changes"][&setup.bib_uri][0];
    assert_eq!(entry["newText"], "knuth84");
    assert_eq!(entry["range"]["start"], json!({"line": 0, "character": 6}));
    assert!(client.shutdown().success());
}

#[test]
fn a_changed_bibliography_is_read_again() {
    let setup = setup(BIB);
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(&setup.uri, 1, TEXT);
    assert_eq!(codes(&client.diagnostics(&setup.uri, 1)), ["AAM007"]);
    std::fs::write(&setup.bib_path, format!("{BIB}\n@misc{{lamport94, title = {{LaTeX}}}}\n")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": setup.bib_uri, "type": 2}]}));
    let message = client.wait_for("diagnostics after the bibliography changed", |message| {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"] == setup.uri.as_str()
            && message["params"]["diagnostics"] == json!([])
    });
    assert_eq!(message["params"]["version"], 1);
    assert!(client.shutdown().success());
}

#[test]
fn a_malformed_bibliography_does_not_stop_the_server() {
    let setup = setup("@book{knuth1984, title = {The TeXbook}}\n\n@book{knuth1992 title = {x}}\n");
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(&setup.uri, 1, TEXT);
    // The entry before the broken one still resolves; the others do not.
    let diagnostics = client.diagnostics(&setup.uri, 1);
    let messages: Vec<&str> = diagnostics.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(messages.iter().all(|m| !m.contains("knuth1984")), "{messages:?}");
    assert!(codes(&diagnostics).iter().all(|code| code == "AAM007"), "{diagnostics:?}");
    let hover = client.result("textDocument/hover", at(&setup.uri, "@knuth1984", 3));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("The TeXbook"), "{hover}");
    assert!(client.shutdown().success());
}
