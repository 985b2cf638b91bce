//! End-to-end: every code action the server offers applies cleanly — the
//! rules' quick fixes, "suppress for this line", and the "Renumber notes in
//! reading order" source action — and the cursor lands after a new stub.

mod lsp_client;

use lsp_client::{
    Client, Units, apply_text_edits, editor_capabilities, expected_diagnostics, workspace_edits,
};
use serde_json::{Value, json};

const URI: &str = "file:///aam-lsp-test/actions.aam";
const TEXT: &str = "The minister spoke on Monday, June 25, 2023 in Beijing.[2] The talks were long, detailed and very productive for both sides.[1] Officials said nothing else.[9]
The talks were long, detailed and very productive for both sides.[1]
[1] “First”, CNN, June 26th, 2023
[2] “Second”, TASS, June 25th, 2023
[3] “Unused”, Reuters, 2022
[2] “Duplicate”, AP, 2021
";

struct Session {
    client: Client,
    diagnostics: Vec<Value>,
}

fn session() -> Session {
    let (mut client, _) = Client::start(editor_capabilities(), Value::Null);
    client.open(URI, 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    Session { client, diagnostics }
}

impl Session {
    /// The actions offered at the (last) diagnostic with `code`.
    fn actions_at(&mut self, code: &str) -> Vec<Value> {
        let diagnostic = self.diagnostics.iter().rev().find(|d| d["code"] == code).unwrap_or_else(|| {
            panic!("no {code} among {:#?}", self.diagnostics);
        });
        let params = json!({
            "textDocument": {"uri": URI},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}
        });
        self.client.result("textDocument/codeAction", params).as_array().cloned().unwrap()
    }

    /// Applies the action titled `title` at `code` and returns the text.
    fn apply(&mut self, code: &str, title: &str) -> (String, Value) {
        let actions = self.actions_at(code);
        let action = actions
            .iter()
            .find(|action| action["title"] == title)
            .unwrap_or_else(|| panic!("no `{title}` among {actions:#?}"))
            .clone();
        let edits = workspace_edits(&action["edit"], URI);
        assert_eq!(action["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
        (apply_text_edits(TEXT, &edits, Units::Utf16), action)
    }
}

fn codes(text: &str) -> Vec<String> {
    expected_diagnostics(text).into_iter().map(|(code, _, _)| code).collect()
}

#[test]
fn quick_fixes_of_the_rules_apply_cleanly() {
    let mut session = session();
    let (fixed, action) = session.apply("AAM202", "Change the weekday to Sunday");
    assert_eq!(fixed, TEXT.replace("on Monday, June 25", "on Sunday, June 25"));
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "AAM202");
    assert!(!codes(&fixed).contains(&"AAM202".to_owned()));

    let (fixed, _) = session.apply("AAM101", "Remove the repeated sentence");
    assert_eq!(
        fixed,
        TEXT.replace("The talks were long, detailed and very productive for both sides.[1]\n", "")
    );
    assert!(!codes(&fixed).contains(&"AAM101".to_owned()));

    let (fixed, action) = session.apply("AAM002", "Remove note [3]");
    assert_eq!(fixed, TEXT.replace("[3] “Unused”, Reuters, 2022\n", ""));
    assert!(action.get("isPreferred").is_none(), "an unsafe fix is not preferred");

    let (fixed, _) = session.apply("AAM003", "Remove this definition of [2]");
    assert_eq!(fixed, TEXT.replace("[2] “Duplicate”, AP, 2021\n", ""));
    assert!(!codes(&fixed).contains(&"AAM003".to_owned()));
    assert!(session.client.shutdown().success());
}

#[test]
fn unresolved_reference_stub_and_the_cursor_after_it() {
    let mut session = session();
    let (fixed, action) = session.apply("AAM001", "Add a stub for note [9]");
    assert!(fixed.starts_with(TEXT) && fixed[TEXT.len()..].trim_start_matches('\n') == "[9] ", "{fixed:?}");
    assert_eq!(action["isPreferred"], true);
    assert!(!codes(&fixed).contains(&"AAM001".to_owned()));
    // The command puts the cursor after `[9] ` in the edited text.
    let command = &action["command"];
    assert_eq!(command["command"], "aam.revealPosition");
    let last_line = fixed.lines().count() - 1;
    assert_eq!(command["arguments"], json!([URI, {"line": last_line, "character": 4}]));
    let answer = session.client.result(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(answer, Value::Null);
    let requests = session.client.server_requests.lock().unwrap().clone();
    let (_, show) =
        requests.iter().find(|(method, _)| method == "window/showDocument").expect("showDocument");
    assert_eq!(show["uri"], URI);
    assert_eq!(show["selection"]["start"], json!({"line": last_line, "character": 4}));
    assert_eq!(show["takeFocus"], true);
    assert!(session.client.shutdown().success());
}

#[test]
fn without_show_document_support_the_stub_has_no_command() {
    let mut capabilities = editor_capabilities();
    capabilities["window"] = json!({});
    capabilities["workspace"]["workspaceEdit"] = json!({});
    let (mut client, _) = Client::start(capabilities, Value::Null);
    client.open(URI, 1, TEXT);
    let diagnostics = client.diagnostics(URI, 1);
    let unresolved = diagnostics.iter().find(|d| d["code"] == "AAM001").unwrap();
    let actions = client.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": unresolved["range"], "context": {"diagnostics": [unresolved]}}),
    );
    let stub = actions.as_array().unwrap().iter().find(|a| a["title"] == "Add a stub for note [9]").unwrap();
    assert!(stub.get("command").is_none());
    assert!(stub["edit"]["changes"][URI].is_array(), "plain `changes` without documentChanges support");
    assert!(client.shutdown().success());
}

#[test]
fn suppress_for_this_line() {
    let mut session = session();
    let (fixed, action) = session.apply("AAM001", "Suppress AAM001 for this line");
    assert_eq!(fixed, format!("<!-- aam-disable-next-line AAM001 -->\n{TEXT}"));
    assert_eq!(action["kind"], "quickfix");
    assert!(!codes(&fixed).contains(&"AAM001".to_owned()), "{:?}", codes(&fixed));
    assert!(codes(&fixed).contains(&"AAM202".to_owned()), "only AAM001 is silenced");
    assert!(session.client.shutdown().success());
}

#[test]
fn renumber_notes_source_action_is_the_shared_fix() {
    let mut session = session();
    let actions = session.client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source"]}
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["title"], "Renumber notes in reading order");
    assert_eq!(actions[0]["kind"], "source.renumberNotes");
    let renumbered = apply_text_edits(TEXT, &workspace_edits(&actions[0]["edit"], URI), Units::Utf16);
    let doc = aam::model::Document::parse(TEXT, &aam::model::ModelConfig::default());
    let shared = aam::checks::renumber::renumber_fix(&doc).expect("notes are out of order");
    assert_eq!(renumbered, shared.apply(TEXT));
    assert!(!codes(&renumbered).contains(&"AAM004".to_owned()), "{:?}", codes(&renumbered));

    // Only quick fixes when asked for quick fixes.
    let quick = session.actions_at("AAM202");
    assert!(quick.iter().any(|action| action["title"] == "Renumber notes in reading order"));
    let params = json!({
        "textDocument": {"uri": URI},
        "range": session.diagnostics[0]["range"],
        "context": {"diagnostics": [], "only": ["quickfix"]}
    });
    let only_quick = session.client.result("textDocument/codeAction", params);
    assert!(only_quick.as_array().unwrap().iter().all(|action| action["kind"] == "quickfix"));
    assert!(session.client.shutdown().success());
}

#[test]
fn applying_a_fix_through_the_server_clears_its_diagnostic() {
    let mut session = session();
    let (fixed, action) = session.apply("AAM002", "Remove note [3]");
    let edits = workspace_edits(&action["edit"], URI);
    session.client.change(
        URI,
        2,
        Value::Array(
            edits.iter().map(|edit| json!({"range": edit["range"], "text": edit["newText"]})).collect(),
        ),
    );
    let after = session.client.diagnostics(URI, 2);
    assert!(after.iter().all(|d| d["code"] != "AAM002"), "{after:#?}");
    assert_eq!(session.client.server_document(URI)["text"], fixed);
    assert!(session.client.shutdown().success());
}
