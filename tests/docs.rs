//! Generated documentation stays current: `UPDATE_DOCS=1 cargo test --test docs` rewrites it.

use std::path::PathBuf;

fn check_generated(path: &str, expected: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is out of date: run `UPDATE_DOCS=1 cargo test --test docs`",
        path.display()
    );
}

#[test]
fn rules_md_is_current() {
    check_generated("docs/rules.md", &aam::checks::rules_markdown());
}

#[test]
fn configuration_md_is_current() {
    check_generated("docs/configuration.md", &aam::config::configuration_markdown());
}
