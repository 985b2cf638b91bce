//! The real-world corpus: public Markdown and Pandoc documents nobody here
//! wrote (`tests/realworld/corpus/`, sources in `tests/realworld/SOURCES.md`),
//! checked with every output format and dumped. The test fails on a panic, a
//! tree-sitter ERROR or MISSING node, or a finding that appears or
//! disappears against `tests/realworld/findings.tsv`, where every finding is
//! labelled by hand as a true (`TP`) or false (`FP`) positive with a reason.
//!
//! After a change that moves findings, `AAM_REALWORLD_BLESS=1 cargo test
//! --test realworld` rewrites the file: labels of findings that stay are
//! kept, new findings are written as `??` and fail the test until a person
//! labels them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::repo;

const FORMATS: &[&str] = &["full", "concise", "json", "json-lines", "github", "sarif", "gitlab", "junit"];

/// The findings file's header (comment lines start with `#`).
const HEADER: &str = "\
# Every finding aam reports on tests/realworld/corpus, labelled by hand.
# Columns (tab-separated): path, line:column, code, verdict (TP = true positive,
# FP = false positive), reason (one line), message.
# Regenerate with `AAM_REALWORLD_BLESS=1 cargo test --test realworld`: labels of
# findings that stay are kept, new findings get `??` and must be labelled by hand.
";

/// Rules that must reach the precision bar once they fire this often.
const PRECISION_MIN_FINDINGS: usize = 5;
const PRECISION_BAR: f64 = 0.95;

/// Rules known to be below the bar on this corpus (see the closing
/// note): the test fails when one of them reaches it (remove it here then)
/// and when any other rule falls below it.
const KNOWN_BELOW_BAR: &[&str] = &["AAM102"];

fn corpus_dir() -> PathBuf {
    repo().join("tests/realworld/corpus")
}

fn findings_file() -> PathBuf {
    repo().join("tests/realworld/findings.tsv")
}

/// Every `.md` file of the corpus, relative to the repository root, sorted.
fn corpus_files() -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![corpus_dir()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory") {
            let path = entry.expect("corpus entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                let relative = path.strip_prefix(repo()).expect("inside the repository");
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    files
}

/// One finding: where, which rule; and what it said.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    path: String,
    line: u64,
    column: u64,
    code: String,
}

#[derive(Debug, Clone)]
struct Label {
    verdict: String,
    reason: String,
    message: String,
}

fn run_check(files: &[String], format: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aam"))
        .arg("check")
        .arg("--isolated")
        .arg("--exit-zero")
        .arg("--output-format")
        .arg(format)
        .args(files)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("run aam check")
}

/// Runs `aam check` once per output format (two at a time) and returns the
/// findings read from the `json-lines` run, after checking every run.
fn check_all_formats(files: &[String]) -> BTreeMap<Key, (String, String)> {
    let outputs: Vec<(&str, std::process::Output)> = std::thread::scope(|scope| {
        let halves: Vec<_> = [0, 1]
            .into_iter()
            .map(|half| {
                scope.spawn(move || {
                    FORMATS
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == half)
                        .map(|(_, format)| (*format, run_check(files, format)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().expect("check thread")).collect()
    });
    let mut findings = BTreeMap::new();
    let mut counts = BTreeMap::new();
    for (format, output) in &outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "aam check --output-format {format} failed: {stderr}");
        assert!(!stderr.contains("panicked"), "aam check --output-format {format} panicked: {stderr}");
        assert!(stderr.trim().is_empty(), "aam check --output-format {format} wrote to stderr: {stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let count = match *format {
            "json" | "gitlab" => serde_json::from_str::<serde_json::Value>(&stdout)
                .unwrap_or_else(|err| panic!("{format} output is not JSON: {err}"))
                .as_array()
                .expect("an array")
                .len(),
            "sarif" => {
                let value: serde_json::Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
                value["runs"][0]["results"].as_array().expect("SARIF results").len()
            }
            "concise" => stdout.lines().filter(|line| !line.trim().is_empty()).count(),
            "github" => stdout.lines().filter(|line| line.starts_with("::")).count(),
            "junit" => stdout.matches("<failure").count(),
            "json-lines" => {
                for line in stdout.lines() {
                    let value: serde_json::Value =
                        serde_json::from_str(line).expect("json-lines line is JSON");
                    let key = Key {
                        path: value["path"].as_str().expect("path").to_owned(),
                        line: value["start"]["line"].as_u64().expect("line"),
                        column: value["start"]["column"].as_u64().expect("column"),
                        code: value["code"].as_str().expect("code").to_owned(),
                    };
                    let severity = value["severity"].as_str().expect("severity").to_owned();
                    let message = value["message"].as_str().expect("message").to_owned();
                    findings.insert(key, (severity, message));
                }
                stdout.lines().count()
            }
            // `full` shows each finding with its snippet: one `[AAM` header line each.
            _ => stdout
                .lines()
                .filter(|line| {
                    ["error[", "warning[", "info[", "hint["].iter().any(|head| line.starts_with(head))
                })
                .count(),
        };
        counts.insert(*format, count);
    }
    let lines = counts["json-lines"];
    assert_eq!(findings.len(), lines, "two findings at the same place with the same code");
    for (format, count) in &counts {
        assert_eq!(*count, lines, "`{format}` shows {count} findings, `json-lines` {lines}");
    }
    findings
}

/// `aam dump` of every file succeeds and gives the model's JSON.
fn dump_all(files: &[String]) {
    std::thread::scope(|scope| {
        for half in [0, 1] {
            scope.spawn(move || {
                for file in files.iter().skip(half).step_by(2) {
                    let output = Command::new(env!("CARGO_BIN_EXE_aam"))
                        .args(["dump", file, "--format", "json"])
                        .current_dir(repo())
                        .output()
                        .expect("run aam dump");
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    assert_eq!(output.status.code(), Some(0), "aam dump {file} failed: {stderr}");
                    let value: serde_json::Value = serde_json::from_slice(&output.stdout)
                        .unwrap_or_else(|err| panic!("dump {file}: {err}"));
                    assert!(value["sentences"].is_array(), "dump {file} has no sentences array");
                }
            });
        }
    });
}

fn read_labels(path: &Path) -> BTreeMap<Key, Label> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut labels = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 6, "findings.tsv line {}: expected 6 tab-separated fields: {line}", n + 1);
        let (line_no, column) = fields[1].split_once(':').expect("line:column");
        let key = Key {
            path: fields[0].to_owned(),
            line: line_no.parse().expect("line number"),
            column: column.parse().expect("column number"),
            code: fields[2].to_owned(),
        };
        let label = Label {
            verdict: fields[3].to_owned(),
            reason: fields[4].to_owned(),
            message: fields[5].to_owned(),
        };
        assert!(labels.insert(key, label).is_none(), "findings.tsv line {}: listed twice", n + 1);
    }
    labels
}

fn write_labels(path: &Path, labels: &BTreeMap<Key, Label>) {
    let mut text = String::from(HEADER);
    for (key, label) in labels {
        text.push_str(&format!(
            "{}\t{}:{}\t{}\t{}\t{}\t{}\n",
            key.path, key.line, key.column, key.code, label.verdict, label.reason, label.message
        ));
    }
    std::fs::write(path, text).expect("write findings.tsv");
}

/// Per rule: (true positives, all findings).
fn precision(labels: &BTreeMap<Key, Label>) -> BTreeMap<String, (usize, usize)> {
    let mut per_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (key, label) in labels {
        let entry = per_rule.entry(key.code.clone()).or_default();
        entry.1 += 1;
        if label.verdict == "TP" {
            entry.0 += 1;
        }
    }
    per_rule
}

#[test]
fn corpus_is_checked_without_surprises() {
    let files = corpus_files();
    assert!(files.len() >= 300, "the corpus has {} files, fewer than 300", files.len());

    // No ERROR or MISSING node anywhere: every construct of these files is
    // one the grammar tolerates.
    let mut with_errors = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(repo().join(file)).expect("corpus file is UTF-8");
        if aam::syntax::has_errors(&aam::syntax::parse(&text)) {
            with_errors.push(file.clone());
        }
    }
    assert!(with_errors.is_empty(), "ERROR or MISSING nodes in: {with_errors:#?}");

    dump_all(&files);
    let found = check_all_formats(&files);

    let path = findings_file();
    let labels = read_labels(&path);
    let bless = std::env::var_os("AAM_REALWORLD_BLESS").is_some();
    let appeared: Vec<&Key> = found.keys().filter(|key| !labels.contains_key(key)).collect();
    let disappeared: Vec<&Key> = labels.keys().filter(|key| !found.contains_key(key)).collect();
    if bless {
        let mut blessed = BTreeMap::new();
        for (key, (_severity, message)) in &found {
            let label = match labels.get(key) {
                Some(label) => Label { message: message.clone(), ..label.clone() },
                None => Label { verdict: "??".into(), reason: "??".into(), message: message.clone() },
            };
            blessed.insert(key.clone(), label);
        }
        write_labels(&path, &blessed);
    }
    let show = |keys: &[&Key]| -> String {
        keys.iter().map(|k| format!("  {}:{}:{} {}\n", k.path, k.line, k.column, k.code)).collect()
    };
    assert!(
        appeared.is_empty() && disappeared.is_empty(),
        "findings moved against tests/realworld/findings.tsv\nnew ({}):\n{}gone ({}):\n{}\
         (rerun with AAM_REALWORLD_BLESS=1 to rewrite the file, then label the new ones by hand)",
        appeared.len(),
        show(&appeared),
        disappeared.len(),
        show(&disappeared),
    );

    let unlabelled: Vec<&Key> = labels
        .iter()
        .filter(|(_, label)| label.verdict != "TP" && label.verdict != "FP")
        .map(|(key, _)| key)
        .collect();
    assert!(unlabelled.is_empty(), "findings without a TP/FP label:\n{}", show(&unlabelled));
    let no_reason: Vec<&Key> =
        labels.iter().filter(|(_, label)| label.reason.trim().is_empty()).map(|(key, _)| key).collect();
    assert!(no_reason.is_empty(), "findings labelled without a reason:\n{}", show(&no_reason));

    // A false positive at error level fails a user's CI: none is allowed.
    let error_fps: Vec<&Key> = labels
        .iter()
        .filter(|(key, label)| {
            label.verdict == "FP" && found.get(*key).is_some_and(|(severity, _)| severity == "error")
        })
        .map(|(key, _)| key)
        .collect();
    assert!(error_fps.is_empty(), "false positives at error level:\n{}", show(&error_fps));

    for (code, (true_positives, all)) in precision(&labels) {
        let value = true_positives as f64 / all as f64;
        let below = all >= PRECISION_MIN_FINDINGS && value < PRECISION_BAR;
        eprintln!(
            "{code}: {true_positives}/{all} true positives ({value:.2}){}",
            if below { ", below the bar" } else { "" }
        );
        assert_eq!(
            below,
            KNOWN_BELOW_BAR.contains(&code.as_str()),
            "{code}: precision {true_positives}/{all} against the bar {PRECISION_BAR} (KNOWN_BELOW_BAR lists {KNOWN_BELOW_BAR:?})"
        );
    }
}
