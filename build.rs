//! Puts the commit into `aam --version` (`aam 0.1.0 (1a2b3c4d5 2026-12-07)`),
//! as rust-analyzer and ruff do. The commit comes from `AAM_COMMIT_HASH` and
//! `AAM_COMMIT_DATE` when the release script sets them, else from git; a
//! crate built outside a checkout (from crates.io) shows the version alone.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=AAM_COMMIT_HASH");
    println!("cargo:rerun-if-env-changed=AAM_COMMIT_DATE");
    // Rebuilt when the commit changes. Only files that exist are named: cargo
    // reruns a build script on every build for a path that is missing.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for path in watched {
        if let Some(file) = git(&["rev-parse", "--path-format=absolute", "--git-path", &path])
            && std::path::Path::new(&file).is_file()
        {
            println!("cargo:rerun-if-changed={file}");
        }
    }

    let hash = std::env::var("AAM_COMMIT_HASH").ok().or_else(|| git(&["rev-parse", "--short=9", "HEAD"]));
    let date =
        std::env::var("AAM_COMMIT_DATE").ok().or_else(|| git(&["log", "-1", "--date=short", "--format=%cd"]));
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let long = match (hash, date) {
        (Some(hash), Some(date)) => format!("{version} ({hash} {date})"),
        (Some(hash), None) => format!("{version} ({hash})"),
        _ => version,
    };
    println!("cargo:rustc-env=AAM_VERSION_LONG={long}");
}

/// One line of git's output, or `None` when git is missing, fails, or the
/// sources are not a checkout.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let line = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (!line.is_empty()).then_some(line)
}
