//! Benchmarks of the pipeline phases on the generated corpus (run by hand:
//! `cargo bench --bench check`; see docs/performance.md).
//!
//! The corpus is written by `bench/gen_corpus.py` into `target/bench-corpus`
//! on first use (or read from `$AAM_BENCH_CORPUS`).

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use aam::checks::{self, CheckConfig, Level};
use aam::model::{Document, ModelConfig};

const SIZES: &[&str] = &["10k", "1m", "10m"];

fn main() {
    divan::main();
}

fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AAM_BENCH_CORPUS") {
        return PathBuf::from(dir);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-corpus");
    if !dir.join("article_10m.txt").exists() {
        let status = std::process::Command::new("python3")
            .arg(root.join("bench/gen_corpus.py"))
            .args(["--out", dir.to_str().unwrap(), "--sizes", "10k,1m,10m"])
            .status()
            .expect("python3 runs bench/gen_corpus.py");
        assert!(status.success(), "gen_corpus.py failed");
    }
    dir
}

static TEXTS: LazyLock<Vec<(String, Arc<str>)>> = LazyLock::new(|| {
    let dir = corpus_dir();
    SIZES
        .iter()
        .map(|size| {
            let text = std::fs::read_to_string(dir.join(format!("article_{size}.txt"))).expect("corpus file");
            (size.to_string(), Arc::from(text))
        })
        .collect()
});

fn text(size: &str) -> Arc<str> {
    TEXTS.iter().find(|(name, _)| name == size).map(|(_, text)| text.clone()).unwrap()
}

/// Only the rules whose code starts with one of `prefixes`.
fn only(prefixes: &[&str]) -> CheckConfig {
    let mut config = CheckConfig::default();
    for rule in checks::all_rules() {
        if !prefixes.iter().any(|prefix| rule.code.starts_with(prefix)) {
            config.levels.insert(rule.code, Level::Off);
        }
    }
    config
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn parse(bencher: divan::Bencher, size: &str) {
    let text = text(size);
    bencher.bench(|| aam::syntax::parse(&text));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn model(bencher: divan::Bencher, size: &str) {
    let text = text(size);
    let tree = aam::syntax::parse(&text);
    bencher.bench(|| Document::from_tree(text.clone(), &tree, &ModelConfig::default()));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn rules_references(bencher: divan::Bencher, size: &str) {
    let doc = Document::parse(&text(size), &ModelConfig::default());
    let config = only(&["AAM0"]);
    bencher.bench(|| checks::check(&doc, &config));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn rules_repeats(bencher: divan::Bencher, size: &str) {
    let doc = Document::parse(&text(size), &ModelConfig::default());
    let config = only(&["AAM1"]);
    bencher.bench(|| checks::check(&doc, &config));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn rules_dates(bencher: divan::Bencher, size: &str) {
    let doc = Document::parse(&text(size), &ModelConfig::default());
    let config = only(&["AAM2"]);
    bencher.bench(|| checks::check(&doc, &config));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn whole_check(bencher: divan::Bencher, size: &str) {
    let text = text(size);
    bencher.bench(|| {
        let doc = Document::parse(&text, &ModelConfig::default());
        checks::check(&doc, &CheckConfig::default())
    });
}
