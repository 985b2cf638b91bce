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

/// Every rule, from nothing (`checks::check`).
#[divan::bench(args = SIZES, sample_count = 10)]
fn rules_all(bencher: divan::Bencher, size: &str) {
    let doc = Document::parse(&text(size), &ModelConfig::default());
    let config = CheckConfig::default();
    bencher.bench(|| checks::check(&doc, &config));
}

/// Every rule after a one-character edit, with the cache the language server
/// keeps (`checks::check_cached`): each sample types one more letter into a
/// word somewhere in the text, and only the rules are timed.
#[divan::bench(args = ["1m", "10m"], sample_count = 20)]
fn rules_after_edit(bencher: divan::Bencher, size: &str) {
    let config = CheckConfig::default();
    let text = std::sync::Mutex::new((text(size).to_string(), 0x2545_F491_4F6C_DD1Du64));
    let mut cache = checks::Cache::default();
    checks::check_cached(
        &Document::parse(&text.lock().unwrap().0, &ModelConfig::default()),
        &config,
        &mut cache,
    );
    let cache = std::cell::RefCell::new(cache);
    bencher
        .with_inputs(|| {
            let (text, seed) = &mut *text.lock().unwrap();
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            // A letter inserted after a letter: the edit of typing in a word.
            let mut at = (*seed % text.len() as u64) as usize;
            while !(text.is_char_boundary(at) && text[..at].ends_with(|c: char| c.is_ascii_alphabetic())) {
                at = (at + 1) % text.len();
            }
            text.insert(at, 'e');
            Document::parse(text, &ModelConfig::default())
        })
        .bench_local_values(|doc| checks::check_cached(&doc, &config, &mut cache.borrow_mut()));
}
