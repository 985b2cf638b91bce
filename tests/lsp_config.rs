//! End-to-end: settings from `initializationOptions`,
//! `workspace/didChangeConfiguration` (pushed or pulled) and the nearest
//! `aam.toml`, which wins where both speak and is reloaded when it changes;
//! a bad source is reported and the last good settings stay.

mod lsp_client;

use lsp_client::{Client, editor_capabilities};
use serde_json::{Value, json};

/// An unused note (AAM002) and an empty one (AAM006).
const TEXT: &str = "Cited.[1]\n[1] “One”, CNN, 2023\n[2] “Two”, TASS, 2022\n[3]\n";

fn severity_of(diagnostics: &[Value], code: &str) -> Option<i64> {
    diagnostics.iter().find(|d| d["code"] == code).map(|d| d["severity"].as_i64().unwrap())
}

fn show_message(client: &mut Client) -> String {
    let message = client.wait_for("window/showMessage", |message| message["method"] == "window/showMessage");
    message["params"]["message"].as_str().unwrap().to_owned()
}

#[test]
fn initialization_options_set_rule_levels() {
    let (mut client, _) =
        Client::start(editor_capabilities(), json!({"rules": {"unused-footnote": "off", "AAM006": "hint"}}));
    let uri = "file:///aam-lsp-test/config/a.aam";
    client.open(uri, 1, TEXT);
    let diagnostics = client.diagnostics(uri, 1);
    assert_eq!(severity_of(&diagnostics, "AAM002"), None);
    assert_eq!(severity_of(&diagnostics, "AAM006"), Some(4));
    assert!(client.shutdown().success());
}

#[test]
fn did_change_configuration_republishes() {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    let uri = "file:///aam-lsp-test/config/b.aam";
    client.open(uri, 1, TEXT);
    assert_eq!(severity_of(&client.diagnostics(uri, 1), "AAM002"), Some(2));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"aam": {"rules": {"AAM002": "error"}}}}),
    );
    assert_eq!(severity_of(&client.diagnostics(uri, 1), "AAM002"), Some(1));
    // A bad value is reported and the last good settings stay.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"aam": {"rules": {"AAM002": "loud"}}}}),
    );
    let message = show_message(&mut client);
    assert!(message.contains("editor settings") && message.contains("loud"), "{message}");
    // Pulled settings: an empty notification makes the server ask.
    *client.configuration.lock().unwrap() = json!({"rules": {"AAM002": "info"}});
    client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    assert_eq!(severity_of(&client.diagnostics(uri, 1), "AAM002"), Some(3));
    let asked = client.server_requests.lock().unwrap().iter().any(|(method, params)| {
        method == "workspace/configuration" && params["items"][0]["section"] == "aam"
    });
    assert!(asked);
    assert!(client.shutdown().success());
}

#[test]
fn bad_initialization_options_are_reported_after_initialized() {
    let (mut client, _) = Client::start(editor_capabilities(), json!({"rules": {"AAM999": "off"}}));
    let message = show_message(&mut client);
    assert!(message.contains("AAM999"), "{message}");
    let uri = "file:///aam-lsp-test/config/c.aam";
    client.open(uri, 1, TEXT);
    assert_eq!(severity_of(&client.diagnostics(uri, 1), "AAM002"), Some(2), "defaults apply");
    assert!(client.shutdown().success());
}

#[test]
fn the_nearest_aam_toml_wins_and_is_reloaded_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aam.toml");
    std::fs::write(&config, "[rules]\nunused-footnote = \"hint\"\n").unwrap();
    std::fs::create_dir(dir.path().join("articles")).unwrap();
    let article = dir.path().join("articles/article.aam");
    std::fs::write(&article, TEXT).unwrap();
    let uri = format!("file://{}", article.display());
    let config_uri = format!("file://{}", config.display());

    let (mut client, _) =
        Client::start(editor_capabilities(), json!({"rules": {"AAM002": "off", "AAM006": "off"}}));
    let registration =
        client.wait_for("the aam.toml watcher", |message| message["method"] == "client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(registered["registerOptions"]["watchers"][0]["globPattern"], "**/aam.toml");

    client.open(&uri, 1, TEXT);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(severity_of(&diagnostics, "AAM002"), Some(4), "the file wins over the editor");
    assert_eq!(severity_of(&diagnostics, "AAM006"), None, "the editor's other settings stay");

    // A broken file: reported, and the last good settings stay.
    std::fs::write(&config, "[rules\nunused-footnote = \"error\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config_uri, "type": 2}]}));
    let message = show_message(&mut client);
    assert!(message.contains("aam.toml"), "{message}");
    let still = client.result("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(still["kind"], "full");
    assert_eq!(severity_of(still["items"].as_array().unwrap(), "AAM002"), Some(4));

    // Fixed: the new level is published.
    std::fs::write(&config, "[rules]\nunused-footnote = \"error\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config_uri, "type": 2}]}));
    assert_eq!(severity_of(&client.diagnostics(&uri, 1), "AAM002"), Some(1));

    // Deleted: the editor's settings alone.
    std::fs::remove_file(&config).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": config_uri, "type": 3}]}));
    assert_eq!(severity_of(&client.diagnostics(&uri, 1), "AAM002"), None);
    assert!(client.shutdown().success());
}

/// A document's first diagnostics are not debounced: with a debounce far
/// longer than the client's timeout they still arrive.
#[test]
fn opening_publishes_without_the_debounce() {
    let (mut client, _) = Client::start(editor_capabilities(), json!({"lsp": {"debounce-ms": 3_600_000}}));
    client.open("file:///open.aam", 1, "Cited.[1] Uncited.[2]\n\n[1] A source.\n");
    let diagnostics = client.diagnostics("file:///open.aam", 1);
    assert!(diagnostics.iter().any(|d| d["code"] == "AAM001"), "{diagnostics:#?}");
    client.shutdown();
}
