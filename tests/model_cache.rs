//! The language server models each version of a document reusing the parts
//! of the last model that an edit did not touch (`ModelCache`): the result
//! must equal a model built from scratch, whatever was edited — a
//! paragraph, a note, the front matter that sets the date context, or text
//! that merges or splits top-level nodes.

mod common;

use aam::model::{Document, ModelCache, ModelConfig};
use aam::syntax::{InputEdit, Point};

use common::{Rng, boundary};

/// Models `text` through `cache` and from scratch; both must be equal in
/// every field (`Debug` prints them all).
fn assert_same(text: &str, cache: &mut ModelCache, config: &ModelConfig, context: &str) {
    let tree = aam::syntax::parse(text);
    let cached = Document::from_tree_cached(text.into(), &tree, config, cache);
    let fresh = Document::from_tree(text.into(), &tree, config);
    assert_dumps_equal(&format!("{cached:#?}"), &format!("{fresh:#?}"), text, context);
}

/// Two models' dumps must be equal; the first line that differs is shown.
fn assert_dumps_equal(cached: &str, fresh: &str, text: &str, context: &str) {
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
        "\n```\n",
        // Halves of elements, which an edit can complete or break far
        // from the edit (a long paragraph's splice must see it).
        "`",
        "<!--",
        "-->",
        "[",
        "]",
        "(https://example.org)",
        "<https://example.org/a>",
        "\n",
    ];
    let config = ModelConfig::default();
    for seed in 1..=12u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut text = article.clone();
        let mut cache = ModelCache::default();
        // A second cache follows the language server's path: the edited
        // tree of the last version is reparsed, and only the nodes around
        // the edit are read from the new tree.
        let mut reparsed = ModelCache::default();
        let mut tree = aam::syntax::parse(&text);
        Document::from_tree_cached(text.as_str().into(), &tree, &config, &mut reparsed);
        assert_same(&text, &mut cache, &config, "open");
        for step in 0..40 {
            let at = boundary(&text, rng.below(text.len() + 1));
            let end = boundary(&text, at + rng.below(12)).max(at);
            let insert = if rng.below(3) == 0 { "" } else { inserts[rng.below(inserts.len())] };
            let edit = InputEdit {
                start_byte: at,
                old_end_byte: end,
                new_end_byte: at + insert.len(),
                start_position: point_at(&text, at),
                old_end_position: point_at(&text, end),
                new_end_position: point_at(&format!("{}{insert}", &text[..at]), at + insert.len()),
            };
            text.replace_range(at..end, insert);
            let context = format!("seed {seed}, step {step}, {at}..{end} -> {insert:?}, len {}", text.len());
            assert_same(&text, &mut cache, &config, &context);
            tree.edit(&edit);
            let new_tree = aam::syntax::reparse(&text, Some(&tree));
            let incremental =
                Document::from_edited_tree_cached(text.as_str().into(), &new_tree, &config, &mut reparsed);
            let fresh = Document::from_tree(text.as_str().into(), &aam::syntax::parse(&text), &config);
            assert_dumps_equal(
                &format!("{incremental:#?}"),
                &format!("{fresh:#?}"),
                &text,
                &format!("{context} (reparsed)"),
            );
            tree = new_tree;
        }
    }
}

/// The tree-sitter point (row, byte column) of `offset` in `text`.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text[..offset];
    let row = before.matches('\n').count();
    let column = offset - before.rfind('\n').map_or(0, |at| at + 1);
    Point { row, column }
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

/// A front matter needs its closing line, which may come anywhere after:
/// an edit far below the first line can make the first node a front matter
/// (or stop it being one). The edited model must see it.
#[test]
fn an_edit_far_below_can_close_the_front_matter() {
    let config = ModelConfig::default();
    let body: String = (0..50).map(|n| format!("Paragraph {n} on June 25, 2023.\n\n")).collect();
    // A title only: the date context stays, so the edited model is built
    // from the cache.
    let text = format!("---\ntitle: Closed later\n\n{body}");
    let mut cache = ModelCache::default();
    let tree = aam::syntax::parse(&text);
    let before = Document::from_tree_cached(text.as_str().into(), &tree, &config, &mut cache);
    assert!(before.front_matter.is_none());
    let closed = format!("{text}---\n");
    let edit = InputEdit {
        start_byte: text.len(),
        old_end_byte: text.len(),
        new_end_byte: closed.len(),
        start_position: point_at(&text, text.len()),
        old_end_position: point_at(&text, text.len()),
        new_end_position: point_at(&closed, closed.len()),
    };
    let mut old = tree.clone();
    old.edit(&edit);
    let tree = aam::syntax::reparse(&closed, Some(&old));
    let after = Document::from_edited_tree_cached(closed.as_str().into(), &tree, &config, &mut cache);
    assert!(after.front_matter.is_some());
    let fresh = Document::from_tree(closed.as_str().into(), &aam::syntax::parse(&closed), &config);
    assert_dumps_equal(&format!("{after:#?}"), &format!("{fresh:#?}"), &closed, "closed");
}
