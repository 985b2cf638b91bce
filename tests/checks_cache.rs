//! `checks::check_cached` against `checks::check`: after random edits of the
//! example articles and of a larger generated one, a cache kept across the
//! edits (and shared between documents and settings) gives exactly the
//! diagnostics of a fresh run.

mod common;

use aam::checks::{self, Cache, CheckConfig, Level, RepeatConfig};
use aam::model::{Document, ModelCache, ModelConfig};

use common::{Rng, boundary};

/// One random edit: typing, deleting, pasting a line again, or adding a
/// note, a date or a repeated sentence.
fn edit(text: &mut String, rng: &mut Rng) {
    let at = boundary(text, rng.below(text.len() + 1));
    match rng.below(10) {
        0..=3 => {
            let typed = ["e", "x", " ", ".", "7", "[", "]", "’", "\n", "A"][rng.below(10)];
            text.insert_str(at, typed);
        }
        4 | 5 => {
            let end = boundary(text, at + 1 + rng.below(24));
            text.replace_range(at..end, "");
        }
        6 => {
            // A line pasted again elsewhere.
            let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            let line = format!("{}\n", &text[start..end]);
            let to = boundary(text, rng.below(text.len() + 1));
            let to = text[..to].rfind('\n').map_or(0, |n| n + 1);
            text.insert_str(to, &line);
        }
        7 => {
            let note = format!(
                "\n[{}] Reuters, “Border trade talks resume”, June {}, 2021\n",
                rng.below(40),
                1 + rng.below(30)
            );
            text.push_str(&note);
        }
        8 => {
            // A date, or a dated entity (AAM206), with or without historical
            // phrasing.
            let inserted = [
                " On Sunday, June 25, 2023 the ministry met again. ",
                " In 1995 Czechoslovakia renewed its trade talks. ",
                " Relations culminated in an upgrade in 1996 with the Soviet Union. ",
                " In 1996 the former Soviet Union signed a deal. ",
                " The successor of the Soviet Union met the G8 in 2016. ",
            ][rng.below(5)];
            text.insert_str(at, inserted);
        }
        _ => text.insert_str(at, " China and Russia have had a long history of good relations. "),
    }
}

fn configs() -> Vec<CheckConfig> {
    let strict = CheckConfig {
        repeats: RepeatConfig { min_content_words: 3, similarity: 0.6 },
        ..CheckConfig::default()
    };
    let mut no_near = CheckConfig::default();
    no_near.levels.insert("AAM102", Level::Off);
    let mut only_repeats = CheckConfig::default();
    for rule in checks::all_rules() {
        if !rule.code.starts_with("AAM1") {
            only_repeats.levels.insert(rule.code, Level::Off);
        }
    }
    vec![CheckConfig::default(), strict, no_near, only_repeats]
}

/// The seed article 24 times, each copy with some words changed, so
/// that every sentence has many near duplicates (enough to reach the join's
/// work limits).
fn generated() -> String {
    let seed = common::seed();
    let mut rng = Rng(0xA11C_E5ED);
    let mut out = String::new();
    for copy in 0..24 {
        for line in seed.lines() {
            let words: Vec<&str> = line.split(' ').collect();
            let kept: Vec<&str> = words.iter().copied().filter(|_| rng.below(9) != 0).collect();
            out.push_str(&kept.join(" "));
            if copy % 3 == 1 && rng.below(4) == 0 {
                out.push_str(" Trade grew again.");
            }
            out.push('\n');
        }
    }
    out
}

fn run(name: &str, text: String, steps: usize, seed: u64, other: &mut Cache) {
    let configs = configs();
    let mut rng = Rng(seed);
    let mut text = text;
    let mut cache = Cache::default();
    // Most versions are modelled as the language server models them,
    // sharing the texts of the sentences an edit left alone with the model
    // before (which the rules cache finds by address).
    let mut models = ModelCache::default();
    for step in 0..steps {
        let config = &configs[if rng.below(4) == 0 { rng.below(configs.len()) } else { 0 }];
        if rng.below(12) == 0 {
            // A cache filled from another document.
            std::mem::swap(&mut cache, other);
        }
        let doc = if rng.below(5) == 0 {
            Document::parse(&text, &ModelConfig::default())
        } else {
            let tree = aam::syntax::parse(&text);
            Document::from_tree_cached(text.as_str().into(), &tree, &ModelConfig::default(), &mut models)
        };
        let expected = checks::check(&doc, config);
        let actual = checks::check_cached(&doc, config, &mut cache);
        assert!(actual == expected, "{name}, step {step}: check_cached differs from check\n{text}");
        for _ in 0..1 + rng.below(2) {
            edit(&mut text, &mut rng);
        }
    }
}

#[test]
fn cached_equals_fresh_on_the_examples() {
    let repo = common::repo();
    let mut other = Cache::default();
    let files =
        ["examples/harbour-report.aam", "tests/data/seed-article.txt", "tests/data/dates_extraction.txt"];
    for (n, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(repo.join(file)).expect("example");
        run(file, text, 60, 0x5EED + n as u64, &mut other);
    }
}

#[test]
fn cached_equals_fresh_on_a_generated_article() {
    run("generated", generated(), 40, 0xC0FFEE, &mut Cache::default());
}

/// AAM205 keeps the source keys of notes across runs: a note whose title,
/// URL or publisher changes is compared by its new key, and a note that
/// comes back is found again.
#[test]
fn source_keys_follow_edited_notes() {
    let versions = [
        "Talks.[1] Again.[2]\n\n[1] Reuters, “Border trade talks resume”, June 1, 2021\n[2] Reuters, “Border trade talks resume”, June 9, 2021\n",
        "Talks.[1] Again.[2]\n\n[1] Reuters, “Border trade talks resume”, June 1, 2021\n[2] Reuters, “Border trade talks end”, June 9, 2021\n",
        "Talks.[1] Again.[2]\n\n[1] Reuters, “Border trade talks resume”, June 1, 2021\n[2] AP, “Border trade talks resume”, June 9, 2021, https://example.org/a\n",
        "Talks.[1] Again.[2]\n\n[1] Reuters, “Border trade talks resume”, June 1, 2021\n[2] Reuters, “Border trade talks resume”, June 9, 2021\n",
    ];
    let mut cache = Cache::default();
    let mut found = Vec::new();
    for text in versions {
        let doc = Document::parse(text, &ModelConfig::default());
        let cached = checks::check_cached(&doc, &CheckConfig::default(), &mut cache);
        assert_eq!(cached, checks::check(&doc, &CheckConfig::default()), "{text}");
        found.push(cached.iter().filter(|d| d.rule.code == "AAM205").count());
    }
    // The third version names another author before the same four-word
    // title: still the same source.
    assert_eq!(found, [1, 0, 1, 1]);
}
