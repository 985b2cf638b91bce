//! Bad inputs and standard input through the whole command: each is named
//! with a clear reason, nothing panics, the other files are still checked,
//! and the output order does not depend on thread timing.

mod common;

use common::{aam, aam_stdin, stderr, stdout, transcript, tree};

#[test]
fn bad_files_are_named_and_the_rest_is_checked() {
    let dir = tree(&[("good.aam", "Text.[2]\n"), ("empty.aam", "")]);
    std::fs::write(dir.path().join("latin1.aam"), b"caf\xe9 [1]\n").unwrap();
    std::fs::write(dir.path().join("binary.aam"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(dir.path().join("nul.aam"), b"text\0more").unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise"]);
    insta::assert_snapshot!(transcript(&output));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed() {
    let dir = tree(&[("a/good.aam", "Text.[2]\n")]);
    std::os::unix::fs::symlink("..", dir.path().join("a/up")).unwrap();
    std::os::unix::fs::symlink("self.aam", dir.path().join("self.aam")).unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a", "self.aam"]);
    insta::assert_snapshot!(transcript(&output));
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("locked.aam", "Text.[2]\n"), ("good.aam", "Text.[3]\n")]);
    let locked = dir.path().join("locked.aam");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise"]);
    // Root reads any file; everyone else gets "permission denied".
    if std::fs::read(&locked).is_ok() {
        assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
        assert_eq!(stdout(&output).lines().count(), 2);
    } else {
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(stderr(&output), "aam: error: locked.aam: permission denied\n");
        assert_eq!(stdout(&output), "good.aam:1:5: error[AAM001] note [3] is not defined\n");
    }
}

#[test]
fn a_missing_path_fails_and_a_named_directory_is_walked() {
    let dir = tree(&[("d/a.aam", "Fine.[5]\n")]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "d", "missing.aam"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "aam: error: missing.aam: no such file or directory\n");
    assert_eq!(stdout(&output), "d/a.aam:1:6: error[AAM001] note [5] is not defined\n");
}

/// A 50 MB article is read, parsed and reported without trouble. Most of it
/// is a fenced block (the seed's body over and over), which the rules skip,
/// so the test stays quick in a debug build; a release build checks 50 MB of
/// prose in about 5 s with the reference rules (see docs/ci.md).
#[test]
fn a_50_mb_file() {
    let seed = common::seed();
    let body = &seed[..seed.find("\n[1] ").unwrap() + 1];
    let mut text = String::from("# Big\n\nIntro.[1] Outro.[2]\n\n```\n");
    while text.len() < 50_000_000 {
        text.push_str(body);
    }
    text.push_str("```\n\nLast claim.[1]\n\n[1] A note, 2020\n");
    let dir = tree(&[("big.aam", &text)]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "big.aam"]);
    assert_eq!(stdout(&output), "big.aam:3:17: error[AAM001] note [2] is not defined\n");
    assert_eq!(stderr(&output), "");
    assert_eq!(output.status.code(), Some(1));
    assert!(text.len() >= 50_000_000);
}

#[test]
fn stdin_with_a_name_dash_and_bad_bytes() {
    let dir = tree(&[("aam.toml", "[rules]\nAAM001 = \"warning\"\n")]);
    let named = aam_stdin(dir.path(), &["check", "--stdin-filename", "draft.aam"], b"Claim.[4]\n");
    assert_eq!(
        stdout(&named),
        "draft.aam:1:7: warning[AAM001] note [4] is not defined\n",
        "settings found from the name"
    );
    assert_eq!(named.status.code(), Some(0));
    let dash = aam_stdin(dir.path(), &["check", "--output-format", "json", "-"], b"Claim.[4]\n");
    let json: serde_json::Value = serde_json::from_slice(&dash.stdout).unwrap();
    assert_eq!(json[0]["path"], "-");
    let bad = aam_stdin(dir.path(), &["check", "-"], b"caf\xe9\n");
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(stderr(&bad), "aam: error: -: not valid UTF-8 (invalid byte at offset 3)\n");
}

/// The same output whatever the number of threads.
#[test]
fn output_order_is_stable() {
    let files: Vec<(String, String)> = (0..40)
        .map(|idx| {
            (format!("d{}/f{:02}.aam", idx % 4, (idx * 7) % 40), format!("Claim {idx}.[{}]\n", idx + 1))
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(name, text)| (name.as_str(), text.as_str())).collect();
    let dir = tree(&refs);
    let run = |threads: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_aam"))
            .args(["check", "--output-format", "concise"])
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        stdout(&output)
    };
    let one = run("1");
    assert_eq!(one.lines().count(), 40);
    let mut sorted: Vec<&str> = one.lines().collect();
    sorted.sort_by_key(|line| std::path::PathBuf::from(line.split(':').next().unwrap()));
    assert_eq!(one.lines().collect::<Vec<_>>(), sorted);
    for threads in ["2", "8"] {
        assert_eq!(run(threads), one);
    }
}
