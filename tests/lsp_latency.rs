//! The server on a large article: open → diagnostics, hover, completion,
//! and edit → diagnostics, each checked against a from-scratch analysis.
//!
//! With `AAM_LSP_BENCH=FILE` it also prints how long each step took (the
//! numbers in `docs/performance.md`):
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py --out /tmp/corpus --sizes 1m
//! AAM_LSP_BENCH=/tmp/corpus/1m.txt cargo test --release --test lsp_latency -- --nocapture
//! ```
//!
//! Without it, the seed article repeated to about 100 KB is used and
//! nothing is timed: tests never assert on durations.

mod lsp_client;

use std::time::{Duration, Instant};

use lsp_client::{Client, Units, editor_capabilities, expected_diagnostics, position, summarise};
use serde_json::json;

const URI: &str = "file:///aam-lsp-test/large.aam";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The durations the server logged (`RUST_LOG=aam=debug`) on lines
/// containing `prefix`, like `modelled URI (version 2, 1000 bytes) in 41.2ms`.
fn logged_durations(log: &str, prefix: &str) -> Vec<Duration> {
    log.lines()
        .filter(|line| line.contains(prefix) && line.contains(URI))
        .filter_map(|line| {
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
            Some(Duration::from_secs_f64(number.parse::<f64>().ok()? * scale))
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
    let started = Instant::now();
    client.open(URI, 1, &text);
    let diagnostics = client.diagnostics(URI, 1);
    report.push(("open → diagnostics, wall".to_owned(), ms(started.elapsed())));
    report.push(("open → diagnostics, server CPU".to_owned(), cpu(cpu_before, client.cpu_time(), 1)));
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));
    report.push(("diagnostics".to_owned(), diagnostics.len().to_string()));

    let reference = text.find("[3]").expect("a reference") + 1;
    let hover_params =
        json!({"textDocument": {"uri": URI}, "position": position(&text, reference, Units::Utf16)});
    let mut hovers = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        let hover = client.result("textDocument/hover", hover_params.clone());
        hovers.push(started.elapsed());
        assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**\\[3\\]**"));
    }
    report.push(("hover (median of 21)".to_owned(), ms(median(hovers))));

    // Typing in the middle: each keystroke's diagnostics awaited.
    let middle = text.len() / 2;
    let middle =
        (middle..text.len()).find(|&idx| text.is_char_boundary(idx) && text[..idx].ends_with(' ')).unwrap();
    let mut edits = Vec::new();
    let cpu_before = client.cpu_time();
    for (version, c) in (2..).zip("Hello ".chars()) {
        let at = middle + (version as usize - 2);
        let pos = position(&text, at, Units::Utf16);
        let started = Instant::now();
        client.change(URI, version, json!([{"range": {"start": pos, "end": pos}, "text": c.to_string()}]));
        client.diagnostics(URI, version);
        edits.push(started.elapsed());
        text.insert(at, c);
    }
    report.push(("keystroke → diagnostics, wall (median of 6)".to_owned(), ms(median(edits))));
    report.push((
        "keystroke → diagnostics, server CPU (mean)".to_owned(),
        cpu(cpu_before, client.cpu_time(), 6),
    ));

    // A hover right after an edit waits for the new analysis.
    let pos = position(&text, middle, Units::Utf16);
    let started = Instant::now();
    client.change(URI, 8, json!([{"range": {"start": pos, "end": pos}, "text": "x"}]));
    text.insert(middle, 'x');
    let reference = text.find("[3]").unwrap() + 1;
    client.result(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": position(&text, reference, Units::Utf16)}),
    );
    report.push(("keystroke → hover".to_owned(), ms(started.elapsed())));

    let diagnostics = client.diagnostics(URI, 8);
    assert_eq!(summarise(&diagnostics), expected_diagnostics(&text));

    // After the diagnostics, so that no analysis runs in the background.
    let bracket = text.find("[3]").unwrap();
    let cpu_before = client.cpu_time();
    let started = Instant::now();
    let completion = client.result(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": position(&text, bracket + 1, Units::Utf16)}),
    );
    report.push(("completion, wall".to_owned(), ms(started.elapsed())));
    report.push(("completion, server CPU".to_owned(), cpu(cpu_before, client.cpu_time(), 1)));
    report.push(("completion items".to_owned(), completion["items"].as_array().unwrap().len().to_string()));
    assert!(!completion["items"].as_array().unwrap().is_empty());

    let log = client.log();
    for (step, prefix) in [
        ("model per version, server log (median)", "modelled "),
        ("rules per version, server log (median)", "checked "),
    ] {
        let times = logged_durations(&log, prefix);
        assert!(!times.is_empty(), "the server logs `{prefix}…`");
        report.push((step.to_owned(), ms(median(times))));
    }
    assert!(client.shutdown().success());

    if let Some(path) = bench {
        println!("\n{path}: {} bytes", text.len());
        for (step, value) in report {
            println!("  {step:<40} {value}");
        }
    }
}
