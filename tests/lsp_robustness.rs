//! End-to-end: the server answers malformed input with an error or `null`
//! and keeps serving; it exits on `exit` and when stdin closes.

mod lsp_client;

use lsp_client::{Client, editor_capabilities, frame};
use serde_json::{Value, json};

const URI: &str = "file:///aam-lsp-test/robust.aam";
const TEXT: &str = "Said.[1]\n[1] “Note”, TASS, June 25th, 2023\n";

fn started() -> Client {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(URI, 1, TEXT);
    client
}

/// A hover on `[1]` is still answered.
fn assert_still_serving(client: &mut Client) {
    let hover = client.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 6}}),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().contains("TASS"), "{hover}");
}

/// The next error response with a `null` id.
fn null_id_error(client: &mut Client) -> Value {
    client.wait_for("an error response with a null id", |message| {
        message["id"].is_null() && message.get("error").is_some()
    })
}

#[test]
fn invalid_json_gets_a_parse_error_and_the_server_keeps_serving() {
    let mut client = started();
    client.send_raw(&frame("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": "));
    assert_eq!(null_id_error(&mut client)["error"]["code"], -32700);
    assert_still_serving(&mut client);
    // Invalid UTF-8 in a body.
    client.send_raw(b"Content-Length: 4\r\n\r\n\xff\xfe{}");
    assert_eq!(null_id_error(&mut client)["error"]["code"], -32700);
    assert_still_serving(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn a_json_array_or_a_non_jsonrpc_object_is_an_invalid_request() {
    let mut client = started();
    client.send_raw(&frame("[{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"shutdown\"}]"));
    assert_eq!(null_id_error(&mut client)["error"]["code"], -32600);
    client.send_raw(&frame("{\"jsonrpc\": \"1.0\", \"id\": 77, \"method\": \"textDocument/hover\"}"));
    let answer = client.response(77);
    assert_eq!(answer["error"]["code"], -32600);
    client.send_raw(&frame("42"));
    assert_eq!(null_id_error(&mut client)["error"]["code"], -32600);
    assert_still_serving(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn broken_headers_are_answered_and_skipped() {
    let mut client = started();
    client.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    assert_eq!(null_id_error(&mut client)["error"]["code"], -32700);
    client.send_raw(b"Content-Length: many\r\n\r\n");
    assert_eq!(null_id_error(&mut client)["error"]["code"], -32700);
    assert_still_serving(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn unknown_methods() {
    let mut client = started();
    let answer = client.request("aam/noSuchRequest", json!({}));
    assert_eq!(answer["error"]["code"], -32601);
    client.notify("aam/noSuchNotification", json!({"x": 1}));
    client.notify("$/someExtension", json!({}));
    let answer = client.request("textDocument/hover", json!({"no": "params of a hover"}));
    assert_eq!(answer["error"]["code"], -32602);
    assert_still_serving(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn requests_for_a_document_that_is_not_open() {
    let mut client = started();
    let other = json!({"textDocument": {"uri": "file:///aam-lsp-test/never-opened.aam"}, "position": {"line": 0, "character": 0}});
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/prepareRename",
    ] {
        assert_eq!(client.result(method, other.clone()), Value::Null, "{method}");
    }
    let mut rename = other.clone();
    rename["newName"] = json!("4");
    assert_eq!(client.result("textDocument/rename", rename), Value::Null);
    let symbols =
        client.result("textDocument/documentSymbol", json!({"textDocument": other["textDocument"]}));
    assert_eq!(symbols, Value::Null);
    let pull = client.request("aam/debugDocument", json!({"textDocument": other["textDocument"]}));
    assert_eq!(pull["error"]["code"], -32602);
    client.change("file:///aam-lsp-test/never-opened.aam", 2, json!([{"text": "x"}]));
    client.notify("textDocument/didClose", json!({"textDocument": other["textDocument"]}));
    assert_still_serving(&mut client);
    assert!(client.shutdown().success());
}

#[test]
fn positions_out_of_range_are_clamped() {
    let mut client = started();
    let far = json!({"textDocument": {"uri": URI}, "position": {"line": 9999, "character": 9999}});
    assert_eq!(client.result("textDocument/hover", far.clone()), Value::Null);
    let past_line_end = json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 500}});
    // Clamped to the end of line 0, which touches `[1]`.
    let hover = client.result("textDocument/hover", past_line_end);
    assert!(hover["contents"]["value"].as_str().unwrap().contains("TASS"));
    client.change(
        URI,
        2,
        json!([{"range": {"start": {"line": 0, "character": 99}, "end": {"line": 0, "character": 99}}, "text": " More."},
               {"range": {"start": {"line": 70, "character": 3}, "end": {"line": 80, "character": 0}}, "text": "End."}]),
    );
    let document = client.server_document(URI);
    assert_eq!(document["text"], format!("Said.[1] More.\n{}End.", &TEXT["Said.[1]\n".len()..]));
    let inverted = json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 1, "character": 5}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}});
    assert!(client.result("textDocument/codeAction", inverted).is_array());
    assert!(client.shutdown().success());
}

#[test]
fn a_fifty_megabyte_document_is_kept_but_not_analysed() {
    let mut client = started();
    let seed = lsp_client::seed();
    let copies = 50 * 1024 * 1024 / seed.len() + 1;
    let huge = seed.repeat(copies);
    assert!(huge.len() > 50 << 20);
    let huge_uri = "file:///aam-lsp-test/huge.aam";
    client.open(huge_uri, 1, &huge);
    let warning =
        client.wait_for("a warning about the size", |message| message["method"] == "window/showMessage");
    assert!(warning["params"]["message"].as_str().unwrap().contains("is larger than 32 MB"), "{warning}");
    assert_eq!(client.diagnostics(huge_uri, 1), Vec::<Value>::new());
    let hover = client.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": huge_uri}, "position": {"line": 1, "character": 10}}),
    );
    assert_eq!(hover, Value::Null);
    // Edits still apply.
    client.change(huge_uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}}, "text": "X"}]));
    assert_eq!(client.diagnostics(huge_uri, 2), Vec::<Value>::new());
    assert_still_serving(&mut client);
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": huge_uri}}));
    assert!(client.shutdown().success());
}

#[test]
fn a_panic_in_a_feature_is_an_internal_error_and_the_server_survives() {
    let (mut client, _) =
        Client::start_with_env(editor_capabilities(), Value::Null, &[("AAM_LSP_TEST_PANIC", "hover")]);
    client.open(URI, 1, TEXT);
    let position = json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 6}});
    for _ in 0..2 {
        let answer = client.request("textDocument/hover", position.clone());
        assert_eq!(answer["error"]["code"], -32603, "{answer}");
        assert!(
            answer["error"]["message"].as_str().unwrap().starts_with("internal error in hover"),
            "{answer}"
        );
    }
    let definition = client.result("textDocument/definition", position);
    assert_eq!(definition.as_array().unwrap().len(), 1);
    assert_eq!(client.diagnostics(URI, 1), Vec::<Value>::new());
    assert!(client.log().contains("hover panicked"), "{}", client.log());
    assert!(client.shutdown().success());
}

#[test]
fn exit_without_shutdown_ends_with_status_one() {
    let mut client = started();
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn the_server_exits_when_stdin_closes() {
    let mut client = started();
    assert_still_serving(&mut client);
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut client = Client::spawn(&[]);
    let answer = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(answer["error"]["code"], -32002);
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn log_file_receives_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("aam-lsp.log");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_aam"))
        .args(["lsp", "--log-file"])
        .arg(&log)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "stdin closed without shutdown");
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(written.contains("language server started"), "{written}");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_aam"))
        .args(["lsp", "--log-file", "/nonexistent-dir/x.log"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot open the log file"));
}
