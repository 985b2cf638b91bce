//! The cold path of the repeated-sentence rules (`repeats::analyse`, the
//! join computed in one go, used by `checks::check` and `aam check`) against
//! the join state the language server keeps (`RepeatCache`), on the
//! generated 1 MB corpus, where sentences have hundreds of near variants and
//! the join's work limits are reached.

mod common;

use aam::checks::RepeatConfig;
use aam::checks::repeats::{self, Limits, RepeatCache, Thresholds};
use aam::model::{Document, ModelConfig};

/// `bench/gen_corpus.py`'s 1 MB article (deterministic).
fn corpus_1m() -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("python3")
        .arg(common::repo().join("bench/gen_corpus.py"))
        .args(["--out", dir.path().to_str().unwrap(), "--sizes", "1m"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
    std::fs::read_to_string(dir.path().join("article_1m.txt")).expect("corpus file")
}

#[test]
fn cold_analysis_equals_the_kept_join_on_the_1m_corpus() {
    let mut text = corpus_1m();
    let configs = [
        RepeatConfig::default(),
        RepeatConfig { min_content_words: 3, similarity: 0.6 },
        RepeatConfig { min_content_words: 5, similarity: 0.9 },
    ];
    let doc = Document::parse(&text, &ModelConfig::default());
    // The limits bind on this corpus: without them the answer differs.
    let features = repeats::document_features(&doc.sentences);
    let thresholds: Thresholds = (&configs[0]).into();
    let limited = repeats::find_repeats(&features, thresholds);
    let wider = repeats::find_repeats_with_limits(
        &features,
        thresholds,
        Limits { max_postings: 4096, max_compared: 256 },
    );
    assert_ne!(limited, wider, "the default limits are not reached");
    assert!(limited.len() > 1000, "few repeats found: {}", limited.len());

    for config in &configs {
        let cold = repeats::analyse(&doc, config);
        let kept = RepeatCache::default().analyse(&doc, config);
        assert!(cold == kept, "{config:?}: the cold analysis differs from a fresh join state");
    }

    // After edits, with a join state kept across them.
    let mut cache = RepeatCache::default();
    cache.analyse(&doc, &configs[0]);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for step in 0..4 {
        for _ in 0..3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut at = (seed % text.len() as u64) as usize;
            while !(text.is_char_boundary(at) && text[..at].ends_with(|c: char| c.is_ascii_alphabetic())) {
                at = (at + 1) % text.len();
            }
            let typed = ["e", " trade", ". Trade grew again and again. "][(seed % 3) as usize];
            text.insert_str(at, typed);
        }
        let doc = Document::parse(&text, &ModelConfig::default());
        let cold = repeats::analyse(&doc, &configs[0]);
        let kept = cache.analyse(&doc, &configs[0]);
        assert!(cold == kept, "step {step}: the cold analysis differs from the kept join state");
    }
}
