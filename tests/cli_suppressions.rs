//! Inline suppression comments, through the whole command: each form, codes
//! and names, no code meaning every rule, and unknown codes (AAM901).

mod common;

use common::{aam, stdout, transcript, tree};

fn findings(text: &str) -> Vec<String> {
    let dir = tree(&[("a.aam", text)]);
    let output = aam(dir.path(), &["check", "--select", "AAM0,AAM9", "a.aam"]);
    stdout(&output).lines().map(str::to_owned).collect()
}

#[test]
fn disable_and_enable_a_range() {
    let text = "One.[7]\n<!-- aam-disable AAM001 -->\nTwo.[8]\n<!-- aam-enable AAM001 -->\nThree.[9]\n";
    assert_eq!(
        findings(text),
        [
            "a.aam:1:5: error[AAM001] note [7] is not defined",
            "a.aam:5:7: error[AAM001] note [9] is not defined"
        ]
    );
}

#[test]
fn disable_without_enable_runs_to_the_end() {
    let text = "One.[7]\n<!-- aam-disable unresolved-reference -->\nTwo.[8]\n\nThree.[9]\n";
    assert_eq!(findings(text), ["a.aam:1:5: error[AAM001] note [7] is not defined"]);
}

#[test]
fn disable_everything_then_enable_one_rule() {
    let text = "<!-- aam-disable -->\nOne.[7]\n\n[1] Unused\n<!-- aam-enable AAM002 -->\n[2] Unused too\n";
    assert_eq!(findings(text), ["a.aam:6:1: warning[AAM002] note [2] is never cited"]);
}

#[test]
fn disable_next_line() {
    let text = "<!-- aam-disable-next-line AAM001 -->\nOne.[7]\nTwo.[8]\n";
    assert_eq!(findings(text), ["a.aam:3:5: error[AAM001] note [8] is not defined"]);
    let other_rule = "<!-- aam-disable-next-line AAM002 -->\nOne.[7]\n";
    assert_eq!(findings(other_rule), ["a.aam:2:5: error[AAM001] note [7] is not defined"]);
    let every_rule = "Text.\n<!-- aam-disable-next-line -->\n[1] Unused\n";
    assert!(findings(every_rule).is_empty());
}

#[test]
fn disable_file_anywhere() {
    let text = "One.[7]\n\n[1] Unused\n\n<!-- aam-disable-file AAM001, AAM002 -->\n";
    assert!(findings(text).is_empty());
    let all = "One.[7]\n<!-- aam-disable-file -->\n";
    assert!(findings(all).is_empty());
}

#[test]
fn unknown_codes_and_forms_are_reported() {
    let dir = tree(&[(
        "a.aam",
        "<!-- aam-disable-next-line AAM999 -->\nOne.[7]\n<!-- aam-disabel AAM001 -->\n<!-- aam-disable-file repeated-sentense, AAM002 -->\n\n[1] Unused\n<!-- just a comment -->\n",
    )]);
    let output = aam(dir.path(), &["check", "--select", "AAM0,AAM9", "a.aam"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn codes_are_case_insensitive_and_comments_in_code_do_nothing() {
    let text =
        "<!-- aam-disable-next-line aam001 -->\nOne.[7]\n\n```\n<!-- aam-disable-file -->\n```\nTwo.[8]\n";
    assert_eq!(findings(text), ["a.aam:7:5: error[AAM001] note [8] is not defined"]);
}
