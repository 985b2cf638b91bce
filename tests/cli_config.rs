//! `aam check` with `aam.toml`: discovery (the nearest file wins),
//! `--config`, `--isolated`, errors with their line, `[files]`, ignore
//! files, rule selection and exit codes.

mod common;

use common::{aam, stderr, stdout, transcript, tree};

/// Two findings: AAM001 (error) and AAM002 (warning).
const ARTICLE: &str = "Claim.[2]\n\n[1] Unused source\n";

fn codes(output: &std::process::Output) -> Vec<String> {
    stdout(output).lines().map(str::to_owned).collect()
}

#[test]
fn the_nearest_aam_toml_wins() {
    let dir = tree(&[
        ("aam.toml", "[rules]\nunused-footnote = \"error\"\n"),
        ("top.aam", ARTICLE),
        ("sub/aam.toml", "[rules]\nAAM002 = \"off\"\n"),
        ("sub/inner.aam", ARTICLE),
        ("sub/deeper/deep.aam", ARTICLE),
        ("other/plain.aam", ARTICLE),
    ]);
    let output = aam(dir.path(), &["check"]);
    insta::assert_snapshot!(transcript(&output));
    // Run from a subdirectory: the walk up still finds the parent's file.
    let output = aam(&dir.path().join("other"), &["check", "plain.aam"]);
    assert_eq!(
        codes(&output),
        [
            "plain.aam:1:7: error[AAM001] note [2] is not defined",
            "plain.aam:3:1: error[AAM002] note [1] is never cited"
        ]
    );
}

#[test]
fn explicit_config_and_isolated() {
    let dir = tree(&[
        ("aam.toml", "[rules]\nAAM002 = \"off\"\n"),
        ("strict.toml", "[rules]\nAAM002 = \"error\"\n"),
        ("a.aam", ARTICLE),
    ]);
    let discovered = aam(dir.path(), &["check", "a.aam"]);
    assert_eq!(codes(&discovered), ["a.aam:1:7: error[AAM001] note [2] is not defined"]);
    let explicit = aam(dir.path(), &["check", "--config", "strict.toml", "a.aam"]);
    assert_eq!(codes(&explicit)[1], "a.aam:3:1: error[AAM002] note [1] is never cited");
    let isolated = aam(dir.path(), &["check", "--isolated", "a.aam"]);
    assert_eq!(codes(&isolated)[1], "a.aam:3:1: warning[AAM002] note [1] is never cited");
    let missing = aam(dir.path(), &["check", "--config", "nope.toml", "a.aam"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(stderr(&missing), "aam: error: nope.toml: no such file\n");
}

#[test]
fn unknown_keys_and_wrong_types_name_the_line() {
    let dir = tree(&[
        ("unknown/aam.toml", "[rules]\nAAM001 = \"warning\"\n\n[repeats]\nminimum-words = 3\n"),
        ("unknown/a.aam", ARTICLE),
        ("unknown/b.aam", ARTICLE),
        ("types/aam.toml", "[repeats]\nsimilarity = \"high\"\n"),
        ("types/a.aam", ARTICLE),
        ("rules/aam.toml", "[rules]\nAAM999 = \"off\"\n"),
        ("rules/a.aam", ARTICLE),
        ("good/a.aam", ARTICLE),
    ]);
    let output = aam(dir.path(), &["check"]);
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn files_include_exclude_and_extensions() {
    let dir = tree(&[
        ("aam.toml", "[files]\nexclude = [\"drafts/\", \"*.skip.aam\"]\nextensions = [\"aam\", \"md\"]\n"),
        ("a.aam", ARTICLE),
        ("b.md", ARTICLE),
        ("c.txt", ARTICLE),
        ("old.skip.aam", ARTICLE),
        ("drafts/d.aam", ARTICLE),
        ("only/aam.toml", "[files]\ninclude = [\"chapters/\"]\n"),
        ("only/chapters/e.aam", ARTICLE),
        ("only/f.aam", ARTICLE),
    ]);
    let output = aam(dir.path(), &["check", "--select", "AAM001"]);
    insta::assert_snapshot!(transcript(&output));

    // Named on the command line: checked anyway, unless --force-exclude.
    let named = aam(dir.path(), &["check", "--select", "AAM001", "drafts/d.aam", "c.txt"]);
    assert_eq!(codes(&named).len(), 2, "{}", stdout(&named));
    let forced = aam(
        dir.path(),
        &["check", "--select", "AAM001", "--force-exclude", "drafts/d.aam", "c.txt", "a.aam"],
    );
    assert_eq!(codes(&forced), ["a.aam:1:7: error[AAM001] note [2] is not defined"]);
}

#[test]
fn gitignore_and_ignore_files_are_honoured() {
    let dir = tree(&[
        (".gitignore", "build/\n"),
        (".ignore", "vendor.aam\n"),
        ("a.aam", ARTICLE),
        ("build/b.aam", ARTICLE),
        ("vendor.aam", ARTICLE),
        (".hidden/c.aam", ARTICLE),
    ]);
    let output = aam(dir.path(), &["check", "--select", "AAM001"]);
    assert_eq!(codes(&output), ["a.aam:1:7: error[AAM001] note [2] is not defined"]);
}

#[test]
fn select_extend_select_and_ignore() {
    let dir = tree(&[("a.aam", ARTICLE), ("aam.toml", "[rules]\nAAM002 = \"off\"\n")]);
    let run = |args: &[&str]| {
        let mut all = vec!["check", "a.aam"];
        all.extend_from_slice(args);
        codes(&aam(dir.path(), &all))
            .iter()
            .map(|line| line.split(' ').nth(1).unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&[]), ["error[AAM001]"]);
    assert_eq!(
        run(&["--select", "AAM002"]),
        ["warning[AAM002]"],
        "an exact selector turns on a rule that is off"
    );
    assert_eq!(run(&["--select", "AAM0"]), ["error[AAM001]"], "a prefix keeps the file's off");
    assert_eq!(
        run(&["--select", "unresolved-reference", "--extend-select", "AAM002"]),
        ["error[AAM001]", "warning[AAM002]"]
    );
    assert!(run(&["--ignore", "AAM0"]).is_empty());
    assert_eq!(run(&["--select", "AAM001", "--ignore", "AAM0"]), ["error[AAM001]"], "the more specific wins");
    let bad = aam(dir.path(), &["check", "--select", "AAM7", "a.aam"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(stderr(&bad), "aam: error: unknown rule or prefix `AAM7` (see `aam rules`)\n");
}

#[test]
fn exit_codes_follow_the_failing_level() {
    let dir = tree(&[("warn.aam", "Fine.\n\n[1] Unused\n"), ("err.aam", "Bad.[3]\n")]);
    let code = |args: &[&str]| aam(dir.path(), args).status.code().unwrap();
    assert_eq!(code(&["check", "warn.aam"]), 0);
    assert_eq!(code(&["check", "--deny", "warnings", "warn.aam"]), 1);
    assert_eq!(code(&["check", "--error-on", "warning", "warn.aam"]), 1);
    assert_eq!(code(&["check", "--error-on", "error", "warn.aam"]), 0);
    assert_eq!(code(&["check", "err.aam"]), 1);
    assert_eq!(code(&["check", "--exit-zero", "err.aam"]), 0);
    assert_eq!(code(&["check", "--exit-zero", "err.aam", "missing.aam"]), 2, "I/O errors still fail");
    assert_eq!(
        code(&["check", "--deny", "warnings", "--error-on", "hint", "warn.aam"]),
        2,
        "conflicting flags"
    );
}
