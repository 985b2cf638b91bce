//! AAM101 `repeated-sentence` and AAM102 `near-duplicate-sentence`: fixtures
//! firing and not firing, the labelled pairs, and the index against the
//! all-pairs definition.

mod common;

use aam::checks::repeats::{
    self, Features, Limits, Repeat, Thresholds, Verdict, find_repeats, find_repeats_brute_force,
    find_repeats_with_limits,
};
use aam::checks::{self, CheckConfig, Diagnostic, Level, RepeatConfig};
use aam::model::{Document, ModelConfig};

/// `(code, flagged sentence, related sentence)` of the AAM101/AAM102
/// diagnostics of `text`.
fn findings_with(text: &str, config: &CheckConfig) -> Vec<(&'static str, String, String)> {
    let doc = Document::parse(text, &ModelConfig::default());
    repeat_diagnostics(&doc, config)
        .iter()
        .map(|d| {
            let related = d.related.first().map_or(String::new(), |r| doc.slice(r.range).to_owned());
            (d.rule.code, doc.slice(d.range).to_owned(), related)
        })
        .collect()
}

fn findings(text: &str) -> Vec<(&'static str, String, String)> {
    findings_with(text, &CheckConfig::default())
}

fn repeat_diagnostics(doc: &Document, config: &CheckConfig) -> Vec<Diagnostic> {
    checks::check(doc, config).into_iter().filter(|d| matches!(d.rule.code, "AAM101" | "AAM102")).collect()
}

fn finding(code: &'static str, flagged: &str, related: &str) -> (&'static str, String, String) {
    (code, flagged.to_owned(), related.to_owned())
}

#[test]
fn seed_article_has_one_near_duplicate() {
    let text = common::seed();
    let doc = Document::parse(&text, &ModelConfig::default());
    let found = repeat_diagnostics(&doc, &CheckConfig::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    let diagnostic = &found[0];
    assert_eq!(diagnostic.rule.code, "AAM102");
    assert_eq!(doc.slice(diagnostic.range), "China and Russia have had a long history of relations.");
    assert_eq!(diagnostic.message, "sentence is 83% similar to an earlier one");
    assert_eq!(diagnostic.related.len(), 1);
    let related = doc.slice(diagnostic.related[0].range);
    assert!(related.ends_with("Russia and China have a long history of good relations."), "{related}");
    assert!(diagnostic.fix.is_none());
}

#[test]
fn exact_repeat_differing_in_case_quotes_and_markers() {
    let text = "The ministry called the talks “frank and useful” on Sunday.[1] Trade grew. \
                THE MINISTRY called the talks \"frank and useful\" on Sunday.[2]\n\n\
                [1] TASS, June 25, 2023\n[2] CNN, June 26, 2023\n";
    assert_eq!(
        findings(text),
        [finding(
            "AAM101",
            "THE MINISTRY called the talks \"frank and useful\" on Sunday.[2]",
            "The ministry called the talks “frank and useful” on Sunday.[1]"
        )]
    );
}

#[test]
fn exact_repeat_fix_removes_the_sentence_and_keeps_its_citation() {
    let text = "Relations improved after the border deal was signed.[1] Trade grew fast. \
                Relations improved after the border deal was signed.[2] Prices fell.\n\n\
                [1] TASS, June 25, 2023\n[2] CNN, June 26, 2023\n";
    let doc = Document::parse(text, &ModelConfig::default());
    let found = repeat_diagnostics(&doc, &CheckConfig::default());
    assert_eq!(found.len(), 1);
    let fix = found[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.applicability, checks::Applicability::Unsafe);
    assert_eq!(fix.message, "remove the repeated sentence, moving [2] to the first occurrence");
    assert_eq!(
        fix.apply(text),
        "Relations improved after the border deal was signed.[1][2] Trade grew fast. Prices fell.\n\n\
         [1] TASS, June 25, 2023\n[2] CNN, June 26, 2023\n"
    );
}

#[test]
fn exact_repeat_alone_in_its_paragraph_removes_the_paragraph() {
    let text = "Relations improved after the border deal was signed.[1]\n\n\
                Trade grew fast in the following years.\n\n\
                Relations improved after the border deal was signed.[1]\n\n\
                Prices fell across the region.\n\n[1] TASS, June 25, 2023\n";
    let doc = Document::parse(text, &ModelConfig::default());
    let found = repeat_diagnostics(&doc, &CheckConfig::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    let fix = found[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.message, "remove the repeated sentence");
    assert_eq!(
        fix.apply(text),
        "Relations improved after the border deal was signed.[1]\n\n\
         Trade grew fast in the following years.\n\n\
         Prices fell across the region.\n\n[1] TASS, June 25, 2023\n"
    );
}

#[test]
fn repeats_in_list_items() {
    let text = "- The port handled more container traffic this year.\n\
                - The harbour fees were raised twice.\n\
                - This year the port handled more container traffic.\n";
    assert_eq!(
        findings(text),
        [finding(
            "AAM102",
            "This year the port handled more container traffic.",
            "The port handled more container traffic this year."
        )]
    );
}

#[test]
fn different_facts_are_not_repeats() {
    let text = "Exports of grain rose 5% in 2021 across the region. \
                Exports of grain rose 7% in 2022 across the region. \
                The treaty was signed on June 25, 2023 in Beijing. \
                The treaty was signed on June 26, 2023 in Beijing. \
                Russia and China signed a new agreement on energy exports. \
                Russia and India signed a new agreement on energy exports. \
                The minister did attend the summit in Brussels. \
                The minister did not attend the summit in Brussels. \
                Grain prices rose sharply after the harvest failed. \
                Grain prices fell sharply after the harvest failed. \
                The city spent $4 million on the new sports hall. \
                The city spent $9 million on the new sports hall.\n";
    assert_eq!(findings(text), []);
}

#[test]
fn left_out_notes_quotes_code_quoted_speech_and_short_sentences() {
    let text = "The ministry said relations with Beijing remain strong and stable.[1]\n\n\
                > The ministry said relations with Beijing remain strong and stable.\n\n\
                ```\nThe ministry said relations with Beijing remain strong and stable.\n```\n\n\
                “We will not accept any outside interference here,” the spokesperson said.\n\
                “We will not accept any outside interference here,” the spokesperson said.\n\n\
                Thank you all. Thank you all.\n\n\
                [1] The ministry said relations with Beijing remain strong and stable.\n";
    assert_eq!(findings(text), []);
}

#[test]
fn near_duplicates_point_at_the_most_similar_earlier_sentence() {
    let text = "The council approved the budget for the new library in the old town. \
                Parks were cleaned. \
                The council approved the budget for the new library. \
                The new library budget was approved by the council.\n";
    assert_eq!(
        findings(text),
        [
            finding(
                "AAM102",
                "The council approved the budget for the new library.",
                "The council approved the budget for the new library in the old town."
            ),
            finding(
                "AAM102",
                "The new library budget was approved by the council.",
                "The council approved the budget for the new library."
            ),
        ]
    );
}

#[test]
fn settings_change_what_fires() {
    let text = common::seed();
    let strict = CheckConfig {
        repeats: RepeatConfig { similarity: 0.9, ..RepeatConfig::default() },
        ..CheckConfig::default()
    };
    assert_eq!(findings_with(&text, &strict), []);
    let long_only = CheckConfig {
        repeats: RepeatConfig { min_content_words: 6, ..RepeatConfig::default() },
        ..CheckConfig::default()
    };
    assert_eq!(findings_with(&text, &long_only), []);
    let mut off = CheckConfig::default();
    off.levels.insert("AAM102", Level::Off);
    assert_eq!(findings_with(&text, &off), []);

    let settings = aam::config::Settings::parse(
        "[repeats]\nmin-content-words = 6\nsimilarity = 0.9\n",
        "aam.toml".as_ref(),
    )
    .unwrap();
    let resolved = settings.resolve().unwrap();
    assert_eq!(resolved.checks.repeats, RepeatConfig { min_content_words: 6, similarity: 0.9 });
    assert_eq!(RepeatConfig::default(), RepeatConfig { min_content_words: 4, similarity: 0.8 });
}

/// The labelled pairs of `tests/data/near_duplicates.tsv`, judged at the
/// default settings: precision and recall must both reach 0.9.
#[test]
fn labelled_pairs_precision_and_recall() {
    let data = std::fs::read_to_string(common::repo().join("tests/data/near_duplicates.tsv")).unwrap();
    let config = RepeatConfig::default();
    let thresholds = Thresholds::from(&config);
    let (mut true_pos, mut false_pos, mut false_neg, mut true_neg) = (0, 0, 0, 0);
    let mut mistakes = Vec::new();
    for line in data.lines().filter(|line| !line.starts_with('#')).skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 4, "{line}");
        let (label, kind, first, second) = (columns[0], columns[1], columns[2], columns[3]);
        let features = [Some(Features::of(first)), Some(Features::of(second))];
        let flagged = !find_repeats(&features, thresholds).is_empty();
        match (label, flagged) {
            ("repeat", true) => true_pos += 1,
            ("repeat", false) => {
                false_neg += 1;
                mistakes.push(format!("missed ({kind}): {second}"));
            }
            ("trap", true) => {
                false_pos += 1;
                mistakes.push(format!("false alarm ({kind}): {second}"));
            }
            ("trap", false) => true_neg += 1,
            _ => panic!("unknown label {label}"),
        }
    }
    assert!(true_pos + false_neg >= 30 && false_pos + true_neg >= 30, "at least 30 pairs of each");
    let precision = true_pos as f64 / (true_pos + false_pos) as f64;
    let recall = true_pos as f64 / (true_pos + false_neg) as f64;
    println!(
        "labelled pairs at similarity {}: precision {precision:.3}, recall {recall:.3} \
         ({true_pos} found, {false_pos} false alarms, {false_neg} missed, {true_neg} traps passed)",
        config.similarity
    );
    for mistake in &mistakes {
        println!("  {mistake}");
    }
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}

/// A deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const VOCABULARY: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "was",
    "not",
    "ministry",
    "talks",
    "border",
    "trade",
    "exports",
    "rose",
    "fell",
    "grain",
    "port",
    "city",
    "council",
    "budget",
    "library",
    "river",
    "flood",
    "harvest",
    "relations",
    "relation",
    "history",
    "long",
    "good",
    "Russia",
    "China",
    "Beijing",
    "Moscow",
    "signed",
    "signs",
    "treaty",
    "agreement",
    "energy",
    "security",
    "support",
    "oppose",
    "region",
    "northern",
    "southern",
    "minister",
    "visited",
    "visit",
    "summit",
    "prices",
    "wages",
    "teachers",
    "strike",
    "school",
    "road",
    "bridge",
    "2021",
    "2022",
    "5%",
    "7%",
    "$4",
    "million",
    "three",
    "two",
    "never",
    "new",
    "old",
    "town",
    "plan",
    "approved",
    "rejected",
    "railway",
    "freight",
    "passengers",
    "ceasefire",
    "announced",
    "troops",
    "army",
    "withdrew",
];

/// `n` sentences: random ones, and a third made from an earlier one by a
/// few edits (swap, drop, add, replace a word).
fn generated_sentences(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut sentences: Vec<Vec<&str>> = Vec::with_capacity(n);
    for _ in 0..n {
        let words = if !sentences.is_empty() && rng.below(3) == 0 {
            let mut words = sentences[rng.below(sentences.len())].clone();
            for _ in 0..=rng.below(3) {
                let at = rng.below(words.len());
                match rng.below(4) {
                    0 => {
                        let other = rng.below(words.len());
                        words.swap(at, other);
                    }
                    1 if words.len() > 3 => {
                        words.remove(at);
                    }
                    2 => words.insert(at, VOCABULARY[rng.below(VOCABULARY.len())]),
                    _ => words[at] = VOCABULARY[rng.below(VOCABULARY.len())],
                }
            }
            words
        } else {
            let len = 3 + rng.below(10);
            // Skewed towards the start of the vocabulary, like real text.
            (0..len)
                .map(|_| {
                    let bound = 1 + rng.below(VOCABULARY.len());
                    VOCABULARY[rng.below(bound)]
                })
                .collect()
        };
        sentences.push(words);
    }
    sentences.iter().map(|words| format!("{}.", words.join(" "))).collect()
}

#[test]
fn index_equals_all_pairs() {
    let sentences = generated_sentences(3000, 0x5EED_AAA1);
    let features: Vec<Option<Features>> =
        sentences.iter().enumerate().map(|(idx, s)| (idx % 17 != 0).then(|| Features::of(s))).collect();
    for (min_content_words, similarity) in [(4, 0.8), (3, 0.6), (4, 0.9), (2, 1.0), (5, 0.7), (1, 0.0)] {
        let thresholds = Thresholds { min_content_words, similarity };
        let fast = find_repeats_with_limits(&features, thresholds, Limits::NONE);
        let slow = find_repeats_brute_force(&features, thresholds);
        let exact = fast.iter().filter(|r| r.verdict == Verdict::Exact).count();
        assert!(fast.len() > 100 && exact > 0, "the sample must have repeats ({} / {exact})", fast.len());
        assert_eq!(fast, slow, "index and all pairs differ at {thresholds:?}");
    }
}

#[test]
fn default_limits_find_most_repeats_without_false_ones() {
    // The generated sample repeats a tiny vocabulary thousands of times, far
    // beyond real prose, so the per-sentence limits are reached: every
    // repeat found is a real one (same verdict class as all pairs), and few
    // are lost.
    let sentences = generated_sentences(3000, 0x5EED_AAA1);
    let features: Vec<Option<Features>> = sentences.iter().map(|s| Some(Features::of(s))).collect();
    let thresholds = Thresholds { min_content_words: 4, similarity: 0.8 };
    let limited = find_repeats(&features, thresholds);
    let all = find_repeats_brute_force(&features, thresholds);
    let flagged: std::collections::HashSet<u32> = all.iter().map(|r| r.later).collect();
    assert!(limited.iter().all(|r| flagged.contains(&r.later)), "a repeat the full comparison does not find");
    assert!(limited.len() * 100 >= all.len() * 90, "{} of {} repeats found", limited.len(), all.len());
}

#[test]
fn incremental_index_updates_match_a_rebuild() {
    let sentences = generated_sentences(600, 42);
    let features: Vec<Features> = sentences.iter().map(|s| Features::of(s)).collect();
    let thresholds = Thresholds { min_content_words: 4, similarity: 0.8 };
    // A language server's index: built once, then sentences edited in place.
    let order = repeats::TokenOrder::count(features.iter());
    let mut index: repeats::SentenceIndex<Features> = repeats::SentenceIndex::new(order, thresholds);
    for (idx, f) in features.iter().enumerate() {
        index.insert(idx as u32, f.clone());
    }
    let mut current = features.clone();
    for (step, idx) in [5usize, 77, 300, 301, 599].into_iter().enumerate() {
        let edited = Features::of(&sentences[(idx * 7 + step) % sentences.len()]);
        index.insert(idx as u32, edited.clone());
        current[idx] = edited;
    }
    let expected: Vec<Repeat> =
        find_repeats_brute_force(&current.iter().cloned().map(Some).collect::<Vec<_>>(), thresholds);
    let actual: Vec<Repeat> = (0..current.len() as u32)
        .filter_map(|idx| {
            let (earlier, verdict) = index.best_match(&current[idx as usize], idx)?;
            Some(Repeat { later: idx, earlier, verdict })
        })
        .collect();
    assert_eq!(actual, expected);
}
