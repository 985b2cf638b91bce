//! The server on a large article: open → diagnostics, hover, completion,
//! and edit → diagnostics, each checked against a from-scratch analysis.
//!
//! With `AAM_LSP_BENCH=FILE` it also prints how long each step took (the
//! numbers in `docs/performance.md`):
//!
//! ```sh
//! python3 bench/gen_corpus.py --out /tmp/corpus --sizes 1m
//! AAM_LSP_BENCH=/tmp/corpus/article_1m.txt cargo test --release --test lsp_latency -- --nocapture
//! AAM_LSP_BENCH=/tmp/corpus/article_1m.md cargo test --release --test lsp_latency -- --nocapture
//! ```
//!
//! A notification's wall time is reported twice: when its frame had been
//! read whole (*received*: the server's work, its writing and the pipe),
//! and when the test client had parsed it into a `serde_json::Value` (at
//! 1 MB, 3,435 diagnostics and 1.3 MB of JSON, the client's parse is most
//! of that figure, on the same two cores as the server).
//!
//! Then it types on a fresh server for each of the ways editors get
//! diagnostics — push with the default settings, push with
//! `debounce-ms = 0`, and pull (`textDocument/diagnostic` after each change,
//! with the last result id) — and prints them side by side: each
//! keystroke timed to the frame read whole, the server's CPU a keystroke and
//! its memory; each mode's last diagnostics are checked against a fresh
//! analysis.
//!
//! Without it, the seed article repeated to about 100 KB is used and
//! nothing is timed: tests never assert on durations.

mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::{Client, Units, editor_capabilities, expected_diagnostics, position, summarise};
use serde_json::{Value, json};

const URI: &str = "file:///aam-lsp-test/large.aam";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The durations the server logged (`RUST_LOG=aam=debug`) on lines
/// containing `prefix`, like `modelled URI (version 2, 1000 bytes) in 41.2ms`,
/// with the version they name.
fn logged_durations(log: &str, prefix: &str) -> Vec<(i64, Duration)> {
    log.lines()
        .filter(|line| line.contains(prefix) && line.contains(URI))
        .filter_map(|line| {
            let version = line.split("(version ").nth(1)?;
            let version = version[..version.find([',', ')'])?].parse().ok()?;
            let value = line.rsplit(" in ").next()?.trim();
            let (number, scale) = if let Some(n) = value.strip_suffix("ms") {
                (n, 1e-3)
            } else if let Some(n) = value.strip_suffix("µs") {
                (n, 1e-6)
            } else if let Some(n) = value.strip_suffix("ns") {
                (n, 1e-9)
            } else {
                (value.strip_suffix('s')?, 1.0)
            };
            Some((version, Duration::from_secs_f64(number.parse::<f64>().ok()? * scale)))
        })
        .collect()
}

/// CPU time used between two readings, per step.
fn cpu(before: Option<Duration>, after: Option<Duration>, steps: u32) -> String {
    match (before, after) {
        (Some(before), Some(after)) => ms((after - before) / steps),
        _ => "n/a".to_owned(),
    }
}

/// `median / p95 / p99 / max`.
fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    format!(
        "{} / {} / {} / {}  (median / p95 / p99 / max)",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(*samples.last().unwrap())
    )
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

#[test]
fn large_article_open_hover_edit() {
    let bench = std::env::var("AAM_LSP_BENCH").ok();
    let mut text = match &bench {
        Some(path) => std::fs::read_to_string(path).expect("read AAM_LSP_BENCH"),
        None => lsp_client::seed().repeat(100_000 / lsp_client::seed().len() + 1),
    };
    let mut report: Vec<(String, String)> = Vec::new();

    // Debounce 0: the edit latencies below are the server's own work.
    let (mut client, _) = Client::start(editor_capabilities(), json!({"lsp": {"debounce-ms": 0}}));
    let cpu_before = client.cpu_time();
    // The 1 MB notification is serialised before the clock starts: that is
    // the client's work.
    let open = lsp_client::frame(
        &json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": URI, "languageId": "aam", "version": 1, "text": text}},
        })
        .to_string(),
    );
    let started = Instant::now();
    client.send_raw(&open);
    let diagnostics = client.diagnostics(URI, 1);
    let parsed = started.elapsed();
    let arrived = client.arrival(URI, 1).expect("the notification's arrival") - started;
    report.push(("open → diagnostics received, wall".to_owned(), ms(arrived)));
    report.push(("open → diagnostics parsed by the test client, wall".to_owned(), ms(parsed)));
    report.push(("open → diagnostics, server CPU".to_owned(), cpu(cpu_before, client.cpu_time(), 1)));
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));
    report.push(("diagnostics".to_owned(), diagnostics.len().to_string()));

    // The generated `.md` articles use Markdown footnotes (`[^3]`).
    let marker = if text.contains("[^3]") { "[^3]" } else { "[3]" };
    let hover_title = format!("**\\{}\\]**", &marker[..marker.len() - 1]);
    let reference = text.find(marker).expect("a reference") + 1;
    let hover_params =
        json!({"textDocument": {"uri": URI}, "position": position(&text, reference, Units::Utf16)});
    let mut hovers = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let hover = client.result("textDocument/hover", hover_params.clone());
        hovers.push(started.elapsed());
        assert!(hover["contents"]["value"].as_str().unwrap().starts_with(&hover_title), "{hover}");
    }
    report.push(("hover (median of 21)".to_owned(), ms(median(hovers))));

    // Typing all over the document: an even keystroke types `x`, the odd
    // one after it deletes it again; each keystroke's diagnostics are
    // awaited, then a hover on the nearest reference is answered.
    let keystrokes = if bench.is_some() { 200 } else { 20 };
    let mut edits = Vec::new();
    let mut received = Vec::new();
    let mut hovers_after = Vec::new();
    let cpu_before = client.cpu_time();
    let mut version = 1;
    let mut at = 0;
    for idx in 0..keystrokes {
        // Positions and the client's own copy are computed outside the
        // timed part: the client shares the machine with the server.
        let change = keystroke(&mut text, idx, keystrokes, &mut at);
        version += 1;
        let started = Instant::now();
        client.change(URI, version, change);
        client.diagnostics(URI, version);
        edits.push(started.elapsed());
        received.push(client.arrival(URI, version).expect("the notification's arrival") - started);
        let reference = text[at..].find("[").map_or_else(|| text.find('[').unwrap(), |found| at + found) + 1;
        let hover =
            json!({"textDocument": {"uri": URI}, "position": position(&text, reference, Units::Utf16)});
        let started = Instant::now();
        client.result("textDocument/hover", hover);
        hovers_after.push(started.elapsed());
    }
    report.push((format!("keystroke → diagnostics received, wall ({keystrokes})"), percentiles(received)));
    report.push((
        format!("keystroke → diagnostics parsed by the test client ({keystrokes})"),
        percentiles(edits),
    ));
    report.push((format!("hover after it, wall ({keystrokes})"), percentiles(hovers_after)));
    report.push((
        "keystroke → diagnostics, server CPU (mean)".to_owned(),
        cpu(cpu_before, client.cpu_time(), keystrokes as u32),
    ));

    // A hover right after an edit waits for the new analysis.
    let middle = text.len() / 2;
    let middle =
        (middle..text.len()).find(|&idx| text.is_char_boundary(idx) && text[..idx].ends_with(' ')).unwrap();
    let pos = position(&text, middle, Units::Utf16);
    let started = Instant::now();
    version += 1;
    client.change(URI, version, json!([{"range": {"start": pos, "end": pos}, "text": "x"}]));
    text.insert(middle, 'x');
    let reference = text.find(marker).unwrap() + 1;
    client.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": position(&text, reference, Units::Utf16)}),
    );
    report.push(("keystroke → hover".to_owned(), ms(started.elapsed())));

    let diagnostics = client.diagnostics(URI, version);
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));

    // After the diagnostics, so that no analysis runs in the background.
    // Right after `[` (`[^` in Markdown), where a label is typed.
    let opener = &marker[..marker.len() - 2];
    let bracket = text.find(marker).unwrap();
    let at_bracket = json!({
        "textDocument": {"uri": URI},
        "position": position(&text, bracket + opener.len(), Units::Utf16),
    });
    let cpu_before = client.cpu_time();
    let mut completions = Vec::new();
    let mut completion = Value::Null;
    for _ in 0..21 {
        let started = Instant::now();
        completion = client.result("textDocument/completion", at_bracket.clone());
        completions.push(started.elapsed());
    }
    report.push((format!("completion after `{opener}` (21)"), percentiles(completions)));
    report.push(("completion, server CPU (mean)".to_owned(), cpu(cpu_before, client.cpu_time(), 21)));
    let items = completion["items"].as_array().unwrap();
    report.push(("completion items".to_owned(), items.len().to_string()));
    assert!(!items.is_empty());
    let started = Instant::now();
    let resolved = client.result("completionItem/resolve", items[0].clone());
    report.push(("completionItem/resolve".to_owned(), ms(started.elapsed())));
    assert!(resolved["documentation"]["value"].is_string(), "{resolved}");
    let mut definitions = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let definition = client.result("textDocument/definition", at_bracket.clone());
        definitions.push(started.elapsed());
        assert!(!definition.is_null());
    }
    report.push(("definition (21)".to_owned(), percentiles(definitions)));

    if let Some((rss, peak)) = client.memory_kib() {
        report.push((
            "server memory: resident / peak".to_owned(),
            format!("{} MB / {} MB", rss / 1024, peak / 1024),
        ));
    }
    let log = client.log();
    for (step, prefix) in
        [("parse + model", "modelled "), ("rules", "checked "), ("to LSP diagnostics", "converted ")]
    {
        let (open, edits): (Vec<_>, Vec<_>) =
            logged_durations(&log, prefix).into_iter().partition(|&(v, _)| v == 1);
        assert!(!open.is_empty() && !edits.is_empty(), "the server logs `{prefix}…`");
        report.push((format!("open: {step}, server log"), ms(open[0].1)));
        report.push((
            format!("keystrokes: {step}, server log"),
            percentiles(edits.into_iter().map(|(_, time)| time).collect()),
        ));
    }
    assert!(client.shutdown().success());

    if let Some(path) = &bench {
        println!("\n{path}: {} bytes", text.len());
        for (step, value) in report {
            println!("  {step:<44} {value}");
        }
    }

    // The three ways editors get diagnostics, one after the other, each on
    // a fresh server: what a keystroke costs the editor and the server.
    let original = match &bench {
        Some(path) => std::fs::read_to_string(path).expect("read AAM_LSP_BENCH"),
        None => lsp_client::seed().repeat(100_000 / lsp_client::seed().len() + 1),
    };
    let rows: Vec<(&str, Typed)> =
        Mode::ALL.iter().map(|&mode| (mode.label(), typing(mode, original.clone(), keystrokes))).collect();
    if bench.is_some() {
        println!(
            "  keystroke → diagnostics, {keystrokes} one-character edits each awaited, frame read (before the client parses it):"
        );
        for (label, typed) in rows {
            println!("    {label:<42} {}", typed.received);
            println!(
                "    {:<42} server CPU {} a keystroke, {} for open + edits; {}",
                "", typed.cpu_per_keystroke, typed.cpu_total, typed.memory
            );
        }
    }
}

/// How a client gets its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Pushed, with the server's default settings.
    PushDefault,
    /// Pushed, `debounce-ms = 0`.
    PushNoDebounce,
    /// Pulled (`textDocument/diagnostic` after each change, with the last
    /// result id), as vscode-languageclient does when the server offers it.
    Pull,
}

impl Mode {
    const ALL: [Mode; 3] = [Mode::PushDefault, Mode::PushNoDebounce, Mode::Pull];

    fn label(self) -> &'static str {
        match self {
            Mode::PushDefault => "push, default settings",
            Mode::PushNoDebounce => "push, debounce-ms = 0",
            Mode::Pull => "pull (textDocument/diagnostic)",
        }
    }
}

struct Typed {
    received: String,
    cpu_per_keystroke: String,
    cpu_total: String,
    memory: String,
}

/// `textDocument/diagnostic` with `previous` as the previous result id:
/// the request's id and its result.
fn pull(client: &mut Client, previous: &Option<String>) -> (i64, Value) {
    let mut params = json!({"textDocument": {"uri": URI}});
    if let Some(previous) = previous {
        params["previousResultId"] = json!(previous);
    }
    let id = client.send_request("textDocument/diagnostic", params);
    let response = client.response(id);
    match response.get("result") {
        Some(result) => (id, result.clone()),
        None => panic!("textDocument/diagnostic failed: {response}"),
    }
}

/// Opens `text` on a fresh server in `mode`, types `keystrokes` one-character
/// edits spread over it (an `x` typed, then deleted), each awaited to its
/// diagnostics, and checks the last diagnostics against a fresh analysis.
fn typing(mode: Mode, mut text: String, keystrokes: usize) -> Typed {
    let mut capabilities = editor_capabilities();
    if mode == Mode::Pull {
        capabilities["textDocument"]["diagnostic"] =
            json!({"dynamicRegistration": false, "relatedDocumentSupport": false});
    }
    let options = match mode {
        Mode::PushNoDebounce => json!({"lsp": {"debounce-ms": 0}}),
        Mode::PushDefault | Mode::Pull => Value::Null,
    };
    let (mut client, _) = Client::start(capabilities, options);
    let cpu_open = client.cpu_time();
    client.open(URI, 1, &text);
    // Pull: the last result id is sent back; an `unchanged` answer keeps
    // the items the client has.
    let mut result_id: Option<String> = None;
    let mut items;
    if mode == Mode::Pull {
        let (_, report) = pull(&mut client, &result_id);
        assert_eq!(report["kind"], "full", "{report}");
        result_id = report["resultId"].as_str().map(str::to_owned);
        items = report["items"].as_array().cloned().unwrap_or_default();
    } else {
        items = client.diagnostics(URI, 1);
    }
    // The rules cache is filled in the background after the first
    // diagnostics: not part of a keystroke.
    client.wait_for_log("warmed the rules cache");
    let cpu_before = client.cpu_time();
    let mut received = Vec::new();
    let mut version = 1;
    let mut at = 0;
    for idx in 0..keystrokes {
        let change = keystroke(&mut text, idx, keystrokes, &mut at);
        version += 1;
        let change = lsp_client::frame(
            &json!({
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": URI, "version": version}, "contentChanges": change},
            })
            .to_string(),
        );
        let started = Instant::now();
        client.send_raw(&change);
        if mode == Mode::Pull {
            let (id, report) = pull(&mut client, &result_id);
            received.push(client.response_arrival(id).expect("the response's arrival") - started);
            result_id = report["resultId"].as_str().map(str::to_owned);
            if report["kind"] == "full" {
                items = report["items"].as_array().cloned().unwrap_or_default();
            } else {
                assert_eq!(report["kind"], "unchanged", "{report}");
            }
        } else {
            items = client.diagnostics(URI, version);
            received.push(client.arrival(URI, version).expect("the notification's arrival") - started);
        }
    }
    let cpu_after = client.cpu_time();
    assert_eq!(summarise(&items), expected_diagnostics(&text), "{mode:?}: the last diagnostics");
    let memory = match client.memory_kib() {
        Some((rss, peak)) => format!("{} MB resident, {} MB peak", rss / 1024, peak / 1024),
        None => "memory n/a".to_owned(),
    };
    assert!(client.shutdown().success());
    Typed {
        received: percentiles(received),
        cpu_per_keystroke: cpu(cpu_before, cpu_after, keystrokes as u32),
        cpu_total: cpu(cpu_open, cpu_after, 1),
        memory,
    }
}

/// Keystroke `idx` of `keystrokes`, applied to `text` and returned as the
/// `contentChanges` of a didChange: an `x` inserted at evenly spaced places
/// (`at`), then removed again by the next keystroke.
fn keystroke(text: &mut String, idx: usize, keystrokes: usize, at: &mut usize) -> serde_json::Value {
    if idx.is_multiple_of(2) {
        *at = text.len() * (idx / 2) / (keystrokes / 2);
        while !text.is_char_boundary(*at) {
            *at -= 1;
        }
    }
    let start = position(text, *at, Units::Utf16);
    if idx.is_multiple_of(2) {
        text.insert(*at, 'x');
        json!([{"range": {"start": start, "end": start}, "text": "x"}])
    } else {
        let end = position(text, *at + 1, Units::Utf16);
        text.remove(*at);
        json!([{"range": {"start": start, "end": end}, "text": ""}])
    }
}
