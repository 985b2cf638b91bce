//! `aam check --fix` never loses text: when writing the fixed file fails or
//! the process is killed in the middle of the write, the original file is
//! intact (the fix goes to a temporary file beside it, renamed over the
//! original only once complete).
#![cfg(unix)]

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Output};

use common::{stderr, transcript, tree};

/// An article whose notes need renumbering, about 1 MB (most of it a fenced
/// block, which the rules skip, so a debug build stays quick).
fn big_article() -> String {
    let mut text = String::from("Second.[2] First.[1]\n\n```\n");
    while text.len() < 1_000_000 {
        text.push_str("A line of code that the checks skip, kept to make the file large.\n");
    }
    text.push_str("```\n\n[1] One, 2020\n[2] Two, 2021\n");
    text
}

/// Runs `aam check --fix a.aam` in `dir` under `sh` with the file size
/// limit set to `blocks` 512-byte blocks, after the shell `prelude`.
fn fix_with_file_size_limit(dir: &Path, blocks: u32, prelude: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{prelude} ulimit -f {blocks} && exec \"$0\" check --fix --isolated --output-format concise a.aam"
        ))
        .arg(env!("CARGO_BIN_EXE_aam"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh")
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "a.aam")
        .collect();
    names.sort();
    names
}

#[test]
fn killed_in_the_middle_of_the_write() {
    let text = big_article();
    let dir = tree(&[("a.aam", &text)]);
    // 64 blocks (32 KiB): the kernel kills the process with SIGXFSZ when the
    // temporary file grows past it, in the middle of writing the fix.
    let output = fix_with_file_size_limit(dir.path(), 64, "");
    assert_eq!(output.status.signal(), Some(25), "SIGXFSZ: {}", transcript(&output));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.aam")).unwrap(), text, "the original is intact");
    // FIXME: a process killed mid-write cannot remove its temporary file; it
    // is left beside the article as `.aam-fix-*.tmp` (hidden, and not an
    // article extension, so later runs skip it).
    let left = leftovers(dir.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".aam-fix-") && left[0].ends_with(".tmp"), "{left:?}");
}

#[test]
fn a_failing_write_is_reported_and_the_original_kept() {
    let text = big_article();
    let dir = tree(&[("a.aam", &text)]);
    // With SIGXFSZ ignored, the write fails with EFBIG instead ("disk full"
    // behaves the same way): the error names the file, nothing is replaced.
    let output = fix_with_file_size_limit(dir.path(), 64, "trap '' XFSZ;");
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(
        stderr(&output).contains("aam: error: a.aam: cannot write the fixed text: file too large"),
        "{}",
        transcript(&output)
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("a.aam")).unwrap(), text, "the original is intact");
    assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "the temporary file is removed");
}

#[test]
fn a_fix_that_fits_is_written_whole() {
    // The same limit, a small file: the fix is written (the limit above is
    // what broke the write, not the command line).
    let text = "Second.[2] First.[1]\n\n[1] One, 2020\n[2] Two, 2021\n";
    let dir = tree(&[("a.aam", text)]);
    let output = fix_with_file_size_limit(dir.path(), 64, "");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.aam")).unwrap(),
        "Second.[1] First.[2]\n\n[1] Two, 2021\n[2] One, 2020\n"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_read_only_directory() {
    use std::os::unix::fs::PermissionsExt;
    let text = "Second.[2] First.[1]\n\n[1] One, 2020\n[2] Two, 2021\n";
    let dir = tree(&[("a.aam", text)]);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let output = common::aam(dir.path(), &["check", "--fix", "--isolated", "a.aam"]);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let now = std::fs::read_to_string(dir.path().join("a.aam")).unwrap();
    if is_root() {
        // Root ignores the directory's mode: the fix is written whole.
        assert_eq!(now, "Second.[1] First.[2]\n\n[1] Two, 2021\n[2] One, 2020\n", "{}", transcript(&output));
    } else {
        assert_eq!(now, text, "the original is intact");
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains("a.aam: cannot create a temporary file beside it: permission denied"),
            "{}",
            transcript(&output)
        );
    }
}

/// `true` when this process runs as root (from `/proc`, without libc).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|line| line.starts_with("Uid:")).map(str::to_owned))
        .is_some_and(|line| line.split_whitespace().nth(2) == Some("0"))
}
