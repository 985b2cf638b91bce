//! The language server models each version of a document reusing the parts
//! of the last model that an edit did not touch (`ModelCache`): the result
//! must equal a model built from scratch, whatever was edited — a
//! paragraph, a note, the front matter that sets the date context, or text
//! that merges or splits top-level nodes.

mod common;

use aam::model::{Document, ModelCache, ModelConfig};

use common::{Rng, boundary};

/// Models `text` through `cache` and from scratch; both must be equal in
/// every field (`Debug` prints them all).
fn assert_same(text: &str, cache: &mut ModelCache, config: &ModelConfig, context: &str) {
    let tree = aam::syntax::parse(text);
    let cached = Document::from_tree_cached(text.into(), &tree, config, cache);
    let fresh = Document::from_tree(text.into(), &tree, config);
    let (cached, fresh) = (format!("{cached:#?}"), format!("{fresh:#?}"));
    if cached != fresh {
        let line = cached.lines().zip(fresh.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{context}: the cached model differs from a fresh one near line {line} of its dump:\ncached: {:?}\nfresh:  {:?}\ntext: {text:?}",
            cached.lines().nth(line),
            fresh.lines().nth(line)
        );
    }
}

/// An article of separate paragraphs (so most top-level nodes survive an
/// edit and move), with dates, relative dates, notes, Ibids and a heading.
fn article() -> String {
    let seed = common::seed();
    let mut text = String::from("---\ntitle: Cache\ndate: 2023-06-27\n---\n\n# Heading\n\n");
    for (idx, line) in seed.lines().filter(|line| !line.trim().is_empty()).enumerate() {
        text.push_str(line);
        text.push_str(if idx % 3 == 2 { "\n\n" } else { "\n" });
    }
    text
}

#[test]
fn random_edits_model_as_from_scratch() {
    random_edits(article());
}

/// The seed's paragraphs as one long paragraph (no blank line), as the
/// generated corpus writes them: modelled in pieces, which edits must keep
/// equal to a model from scratch.
#[test]
fn random_edits_in_one_long_paragraph_model_as_from_scratch() {
    let seed = common::seed();
    let lines: Vec<&str> =
        seed.lines().filter(|line| !line.trim().is_empty() && !line.starts_with('[')).collect();
    let mut text = String::new();
    while text.len() < 40_000 {
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str("\n[1] A note, June 25, 2023.\n");
    random_edits(text);
}

fn random_edits(article: String) {
    let inserts = [
        "x",
        "\n\n",
        "\n",
        " June 25, 2023",
        "last Sunday",
        "[3]",
        "[^a]",
        ". Next",
        "<!-- c -->",
        "`code`",
        "\n[9] Ibid.\n",
        "two days later",
        "---",
        "# H\n",
        "> ",
        "- ",
        "\u{1F600}",
        "Mr. ",
        "1. ",
    ];
    let config = ModelConfig::default();
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut text = article.clone();
        let mut cache = ModelCache::default();
        assert_same(&text, &mut cache, &config, "open");
        for step in 0..40 {
            let at = boundary(&text, rng.below(text.len() + 1));
            let end = boundary(&text, at + rng.below(12)).max(at);
            let insert = if rng.below(3) == 0 { "" } else { inserts[rng.below(inserts.len())] };
            text.replace_range(at..end, insert);
            assert_same(&text, &mut cache, &config, &format!("seed {seed}, step {step}"));
        }
    }
}

#[test]
fn a_changed_front_matter_date_rescans_every_part() {
    let config = ModelConfig::default();
    let mut cache = ModelCache::default();
    let text = article();
    assert_same(&text, &mut cache, &config, "open");
    let before =
        Document::from_tree_cached(text.as_str().into(), &aam::syntax::parse(&text), &config, &mut cache);
    // `last Sunday` resolves from the article's date, which lives in the
    // front matter: every part's dates depend on it.
    let changed = text.replace("date: 2023-06-27", "date: 2023-07-04");
    assert_same(&changed, &mut cache, &config, "front matter date changed");
    let after = Document::from_tree_cached(
        changed.as_str().into(),
        &aam::syntax::parse(&changed),
        &config,
        &mut cache,
    );
    assert_ne!(format!("{:?}", before.dates), format!("{:?}", after.dates));
    let order = ModelConfig { date_order: Some(aam::model::DateOrder::Dmy), ..ModelConfig::default() };
    assert_same(&changed, &mut cache, &order, "date order from the settings");
}

#[test]
fn the_cache_keeps_only_the_parts_of_the_last_version() {
    let config = ModelConfig::default();
    let mut cache = ModelCache::default();
    let mut text = article();
    for round in 0..20 {
        text.push_str(&format!("\nParagraph number {round} adds a sentence.\n"));
        assert_same(&text, &mut cache, &config, "append");
    }
    let tree = aam::syntax::parse(&text);
    let top_level = tree.root_node().named_child_count();
    assert!(cache.len() <= top_level, "{} parts kept for {top_level} top-level nodes", cache.len());
    assert!(cache.len() > 20, "the appended paragraphs are kept: {}", cache.len());
}
