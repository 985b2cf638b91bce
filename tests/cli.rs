//! Whole-command tests of `aam check`, `aam dump`, `aam rules`, `aam explain`.

mod common;

use common::{aam, seed, stderr, stdout, tree};

fn concise(dir: &std::path::Path, file: &str) -> (i32, String) {
    let output = aam(dir, &["check", "--output-format", "concise", file]);
    (output.status.code().unwrap(), stdout(&output))
}

fn lines_with(output: &str, code: &str) -> Vec<String> {
    output.lines().filter(|line| line.contains(code)).map(str::to_owned).collect()
}

#[test]
fn seed_has_no_reference_findings() {
    let dir = tree(&[("seed.txt", &seed())]);
    let (code, out) = concise(dir.path(), "seed.txt");
    for rule in ["AAM001", "AAM002", "AAM003", "AAM004", "AAM005", "AAM006"] {
        assert!(lines_with(&out, rule).is_empty(), "{rule} in:\n{out}");
    }
    assert_eq!(code, 0, "{out}");
}

#[test]
fn added_reference_is_unresolved_at_its_position() {
    let text = seed().replacen("side by side. side smiling.", "side by side.[8] side smiling.", 1);
    let dir = tree(&[("seed.txt", &text)]);
    let (code, out) = concise(dir.path(), "seed.txt");
    let line = text.lines().nth(2).unwrap();
    let column = line.split("[8]").next().unwrap().chars().count() + 1;
    assert_eq!(
        lines_with(&out, "AAM001"),
        [format!("seed.txt:3:{column}: error[AAM001] note [8] is not defined")]
    );
    assert_eq!(code, 1);
}

#[test]
fn deleted_note_leaves_its_reference_unresolved() {
    let text: String =
        seed().lines().filter(|line| !line.starts_with("[5]")).map(|l| format!("{l}\n")).collect();
    let dir = tree(&[("seed.txt", &text)]);
    let (code, out) = concise(dir.path(), "seed.txt");
    let line = text.lines().position(|l| l.contains("2011[5]")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().split("2011[5]").next().unwrap().chars().count() + 5;
    assert_eq!(
        lines_with(&out, "AAM001"),
        [format!("seed.txt:{line}:{column}: error[AAM001] note [5] is not defined")]
    );
    assert_eq!(code, 1);
}

#[test]
fn duplicate_definition_is_reported_at_both() {
    let mut text = seed();
    text.push_str("\n[3] “A second note three”, TASS, June 25th, 2023");
    let dir = tree(&[("seed.txt", &text)]);
    let (code, out) = concise(dir.path(), "seed.txt");
    let found = lines_with(&out, "AAM003");
    assert_eq!(found.len(), 2, "{out}");
    assert!(found[0].starts_with("seed.txt:14:1: error[AAM003] note [3] is defined 2 times"), "{out}");
    assert!(found[1].starts_with("seed.txt:19:1: error[AAM003]"), "{out}");
    assert_eq!(code, 1);
}

#[test]
fn shuffled_notes_are_out_of_order() {
    let text = seed()
        .replace("the Chinese Foreign Ministry said.[3]", "the Chinese Foreign Ministry said.[4]")
        .replacen("with the Soviet Union.[4]", "with the Soviet Union.[3]", 1);
    let dir = tree(&[("seed.txt", &text)]);
    let (_, out) = concise(dir.path(), "seed.txt");
    let found = lines_with(&out, "AAM004");
    assert_eq!(found.len(), 1, "{out}");
    assert!(found[0].contains("note [4] is cited before note [3]"), "{out}");
}

#[test]
fn json_output_has_the_contract_fields() {
    let dir = tree(&[("a.aam", "Text.[2]\n\n[1] Note one\n")]);
    let output = aam(dir.path(), &["check", "--output-format", "json", "a.aam"]);
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let items = value.as_array().unwrap();
    let unresolved = items.iter().find(|d| d["code"] == "AAM001").expect("AAM001");
    assert_eq!(unresolved["path"], "a.aam");
    assert_eq!(unresolved["name"], "unresolved-reference");
    assert_eq!(unresolved["severity"], "error");
    assert_eq!(unresolved["start"], serde_json::json!({"line": 1, "column": 6}));
    assert_eq!(unresolved["end"], serde_json::json!({"line": 1, "column": 9}));
    assert!(unresolved["related"].as_array().unwrap().is_empty());
    let unused = items.iter().find(|d| d["code"] == "AAM002").expect("AAM002");
    assert_eq!(unused["start"], serde_json::json!({"line": 3, "column": 1}));
    assert_eq!(unused["fix"]["edits"][0]["content"], "");
}

#[test]
fn full_output_underlines_the_range() {
    let dir = tree(&[("a.aam", "Text.[2]\n")]);
    let output = aam(dir.path(), &["check", "--output-format", "full", "a.aam"]);
    let out = stdout(&output);
    assert!(out.contains("error[AAM001]: note [2] is not defined"), "{out}");
    assert!(out.contains("a.aam:1:6"), "{out}");
    assert!(out.contains("^^^"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when NO_COLOR is set or not a terminal:\n{out}");
}

#[test]
fn exit_codes() {
    let dir = tree(&[("ok.aam", "Fine.[1]\n\n[1] A note\n"), ("warn.aam", "Fine.\n\n[1] Unused\n")]);
    assert_eq!(aam(dir.path(), &["check", "ok.aam"]).status.code(), Some(0));
    assert_eq!(aam(dir.path(), &["check", "warn.aam"]).status.code(), Some(0));
    assert_eq!(aam(dir.path(), &["check", "--deny", "warnings", "warn.aam"]).status.code(), Some(1));
    assert_eq!(aam(dir.path(), &["check", "--bogus"]).status.code(), Some(2));
}

#[test]
fn unreadable_inputs_are_named_and_the_rest_is_checked() {
    let dir = tree(&[("good.aam", "Text.[2]\n")]);
    std::fs::write(dir.path().join("bad.aam"), b"caf\xe9 [1]\n").unwrap();
    let output =
        aam(dir.path(), &["check", "--output-format", "concise", "missing.aam", "bad.aam", "good.aam"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("missing.aam: no such file or directory"), "{err}");
    assert!(err.contains("bad.aam: not valid UTF-8 (invalid byte at offset 3)"), "{err}");
    assert!(stdout(&output).contains("good.aam:1:6: error[AAM001]"), "{}", stdout(&output));
}

#[test]
fn directories_are_walked_for_aam_files() {
    let dir =
        tree(&[("a/one.aam", "One.[1]\n"), ("a/b/two.aam", "Two.[2]\n"), ("a/skip.txt", "Three.[3]\n")]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a"]);
    let out = stdout(&output);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "a/b/two.aam:1:5: error[AAM001] note [2] is not defined",
            "a/one.aam:1:5: error[AAM001] note [1] is not defined"
        ]
    );
}

#[test]
fn stdin_is_read_with_a_name() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aam"))
        .args(["check", "--output-format", "concise", "--stdin-filename", "draft.aam"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Claim.[4]\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(stdout(&output), "draft.aam:1:7: error[AAM001] note [4] is not defined\n");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn dump_of_the_seed() {
    let dir = tree(&[("seed.txt", &seed())]);
    let output = aam(dir.path(), &["dump", "seed.txt", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let dump: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let labels: Vec<&str> =
        dump["references"].as_array().unwrap().iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["1", "2", "3", "4", "5", "6", "7"]);
    let notes = dump["footnotes"].as_array().unwrap();
    assert_eq!(notes.len(), 7);
    assert_eq!(
        notes[0]["title"],
        "China throws support behind ‘strategic partner’ Russia after Wagner insurrection challenges Putin"
    );
    assert_eq!(
        notes[0]["url"],
        "https://edition.cnn.com/2023/06/25/china/china-russia-wagner-insurrection-intl-hnk/index.html"
    );
    assert_eq!(notes[1]["ibid_of"], "1");
    assert_eq!(notes[2]["publisher"], "TASS");
    assert_eq!(notes[6]["authors"], "Kusumohamidjojo");
    let sentences: Vec<&str> =
        dump["sentences"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert!(sentences.contains(&"China and Russia have had a long history of relations."), "{sentences:#?}");
    assert!(sentences.iter().all(|s| !s.contains("[4]")), "markers are removed from sentence text");
    for key in ["front_matter", "headings", "dates"] {
        assert!(dump.get(key).is_some(), "{key}");
    }
}

#[test]
fn rules_and_explain() {
    let dir = tree(&[]);
    let out = stdout(&aam(dir.path(), &["rules"]));
    assert!(out.lines().next().unwrap().starts_with("AAM001  unresolved-reference"), "{out}");
    let output = aam(dir.path(), &["explain", "AAM002"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("## What it does"));
    assert!(stdout(&aam(dir.path(), &["explain", "dangling-ibid"])).starts_with("# AAM005 dangling-ibid"));
    assert_eq!(aam(dir.path(), &["explain", "AAM999"]).status.code(), Some(2));
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let output = common::aam(&common::repo(), &["--version"]);
    assert!(output.status.success());
    let line = common::stdout(&output);
    let line = line.trim();
    let version = concat!("aam ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(version), "{line}");
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=9", "HEAD"])
        .current_dir(common::repo())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    match head {
        // In a checkout: `aam 0.1.0 (1a2b3c4d5 2026-12-07)`.
        Some(head) => {
            let rest = &line[version.len()..];
            assert!(rest.starts_with(&format!(" ({head} ")), "{line} should name {head}");
            assert!(rest.ends_with(")"), "{line}");
        }
        // Built outside a checkout: the version alone.
        None => assert_eq!(line, version),
    }
}
