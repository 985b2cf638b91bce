//! Repeated sentences (AAM101, AAM102): features, similarity and the sentence
//! index.
//!
//! The pipeline, each step usable on its own (the language server caches
//! `Features` by text and keeps a `SentenceIndex` across edits):
//! 1. `Features::of(text)`: a pure function of a sentence's text.
//! 2. `similarity::compare(later, earlier, threshold)`: exact, near, or a
//!    different fact.
//! 3. `SentenceIndex`: finds what a sentence repeats without comparing all
//!    pairs; `find_repeats` runs it over a document in reading order, and
//!    `find_repeats_brute_force` is the all-pairs definition it must equal.
//!
//! Which sentences take part is decided here too: body paragraphs and list
//! items; not notes, block quotes, code, quoted speech or sentences with
//! fewer than `min_content_words` content words. See `docs/repeats.md`.

mod batch;
mod features;
mod index;
mod join;
pub mod similarity;
mod words;

use std::borrow::Borrow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

pub use features::{Features, Key, QUOTED_SPEECH_WORDS, WordId, word_id};
pub use index::{SentenceIndex, Thresholds, TokenOrder, best};
pub use similarity::{Conflict, Verdict};

use join::JoinState;

use crate::checks::RepeatConfig;
use crate::model::{BlockKind, Document, Sentence};

/// A sentence that repeats an earlier one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Repeat {
    /// Index of the later sentence.
    pub later: u32,
    /// Index of the earlier sentence it repeats: the first exact
    /// occurrence, or the most similar one.
    pub earlier: u32,
    /// `Exact` or `Near(similarity)`.
    pub verdict: Verdict,
}

impl From<&RepeatConfig> for Thresholds {
    fn from(config: &RepeatConfig) -> Thresholds {
        Thresholds { min_content_words: config.min_content_words, similarity: config.similarity }
    }
}

/// `true` for the blocks whose sentences are compared: paragraphs and list
/// items. Notes, block quotes and code are left out.
pub fn is_compared_context(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Paragraph | BlockKind::ListItem)
}

/// `true` for the sentences that are compared: in a compared block, and not
/// a line that is only links (`[Back to top](#top)`, an index of pages),
/// and with a letter (`(#420, #425)` after a full stop is not a sentence).
pub fn is_compared(sentence: &Sentence) -> bool {
    is_compared_context(sentence.context)
        && sentence.text.chars().any(char::is_alphabetic)
        && !is_link_only(&sentence.text)
}

/// `true` when `text` is Markdown links (or images) and punctuation only.
fn is_link_only(text: &str) -> bool {
    if !text.contains("](") {
        return false;
    }
    let mut rest = text;
    let mut outside = String::new();
    while let Some(open) = rest.find('[') {
        outside.push_str(&rest[..open]);
        let tail = &rest[open..];
        let Some(mid) = tail.find("](") else { break };
        let Some(close) = tail[mid..].find(')') else { break };
        rest = &tail[mid + close + 1..];
    }
    outside.push_str(rest);
    !outside.chars().any(char::is_alphanumeric)
}

/// The features of a document's sentences, `None` for those outside the
/// compared blocks. Computed in parallel.
pub fn document_features(sentences: &[Sentence]) -> Vec<Option<Features>> {
    sentences
        .par_iter()
        .with_min_len(256)
        .map(|sentence| is_compared(sentence).then(|| Features::of(&sentence.text)))
        .collect()
}

/// Finds, for each sentence in reading order, the earlier sentence it
/// repeats. `None` entries take no part.
///
/// Exact repeats come from a hash map on the key; near duplicates from a
/// prefix-filtering self-join (All-Pairs) over the first occurrence of each
/// key, visiting sentences from the shortest: a sentence is then filed under
/// only the `len − ⌈t·len⌉ + 1` rarest of its words, since every later
/// visitor is at least as long. Equal to `find_repeats_brute_force`.
pub fn find_repeats<F: Borrow<Features>>(features: &[Option<F>], thresholds: Thresholds) -> Vec<Repeat> {
    find_repeats_with_limits(features, thresholds, Limits::DEFAULT)
}

/// How much work one sentence's probe may do (see `Limits::DEFAULT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Postings read at most.
    pub max_postings: usize,
    /// Candidates compared at most (those sharing the most words win).
    pub max_compared: usize,
}

impl Limits {
    /// Real articles stay far below both; a document that repeats one
    /// sentence in hundreds of variants (a generated corpus, a template)
    /// keeps linear time, and each of its repeats is still matched with one
    /// of its closest earlier variants.
    pub const DEFAULT: Limits = Limits { max_postings: 256, max_compared: 16 };
    /// No limit: exactly the all-pairs answer (for tests).
    pub const NONE: Limits = Limits { max_postings: usize::MAX, max_compared: usize::MAX };
}

/// `find_repeats` with explicit limits on the work per sentence.
///
/// Computes the join in one go (`batch::Join`); the answer is the one a
/// `JoinState`, fresh or kept across runs, gives.
pub fn find_repeats_with_limits<F: Borrow<Features>>(
    features: &[Option<F>],
    thresholds: Thresholds,
    limits: Limits,
) -> Vec<Repeat> {
    let features: Vec<Option<&Features>> = features.iter().map(|f| f.as_ref().map(Borrow::borrow)).collect();
    let (best_of, firsts) = exact_repeats(&features, thresholds);
    let pairs = batch::Join::new(&firsts, thresholds, limits).run();
    with_near(best_of, pairs)
}

/// The repeats of `features` with a join state (fresh, or kept from an
/// earlier run: the answer is the same).
fn repeats_with<F: Borrow<Features> + Clone + Sync>(
    features: &[Option<F>],
    join: &mut JoinState<F>,
) -> Vec<Repeat> {
    let (thresholds, _) = join.settings();
    let (best_of, firsts) = exact_repeats(features, thresholds);
    let pairs = join.run(firsts);
    with_near(best_of, pairs)
}

/// The exact repeat of each sentence (the first occurrence of its key), and
/// the first occurrences of the keys, `(sentence index, features)` in
/// reading order, that the join compares.
#[allow(clippy::type_complexity)]
fn exact_repeats<F: Borrow<Features> + Clone>(
    features: &[Option<F>],
    thresholds: Thresholds,
) -> (Vec<Option<(u32, Verdict)>>, Vec<(u32, F)>) {
    let mut best_of: Vec<Option<(u32, Verdict)>> = vec![None; features.len()];
    let mut first_of_key: FxHashMap<Key, u32> = FxHashMap::default();
    let mut firsts: Vec<(u32, F)> = Vec::new();
    for (idx, (f, best)) in features.iter().zip(&mut best_of).enumerate() {
        let Some(f) = f.as_ref() else { continue };
        if !f.borrow().is_comparable(thresholds.min_content_words) {
            continue;
        }
        let f_ref: &Features = f.borrow();
        match first_of_key.entry(f_ref.key()) {
            Entry::Occupied(first) => *best = Some((*first.get(), Verdict::Exact)),
            Entry::Vacant(slot) => {
                slot.insert(idx as u32);
                firsts.push((idx as u32, f.clone()));
            }
        }
    }
    (best_of, firsts)
}

/// The repeats: the exact ones, and the best near pair of each sentence
/// that has no exact one.
fn with_near(mut best_of: Vec<Option<(u32, Verdict)>>, pairs: Vec<(u32, u32, f64)>) -> Vec<Repeat> {
    for (earlier, later, similarity) in pairs {
        let slot = &mut best_of[later as usize];
        *slot = best(slot.iter().copied().chain([(earlier, Verdict::Near(similarity))]));
    }
    best_of
        .into_iter()
        .enumerate()
        .filter_map(|(later, found)| {
            let (earlier, verdict) = found?;
            Some(Repeat { later: later as u32, earlier, verdict })
        })
        .collect()
}

/// The same result as `find_repeats`, by comparing every pair: the
/// definition the index must meet (quadratic; for tests).
pub fn find_repeats_brute_force<F: Borrow<Features>>(
    features: &[Option<F>],
    thresholds: Thresholds,
) -> Vec<Repeat> {
    fn comparable<F: Borrow<Features>>(f: &Option<F>, min_content_words: usize) -> Option<&Features> {
        f.as_ref().map(Borrow::borrow).filter(|f| f.is_comparable(min_content_words))
    }
    let min = thresholds.min_content_words;
    let mut repeats = Vec::new();
    for (later, f) in features.iter().enumerate() {
        let Some(f) = comparable(f, min) else { continue };
        let matches = features[..later].iter().enumerate().filter_map(|(earlier, other)| {
            let other = comparable(other, min)?;
            Some((earlier as u32, similarity::compare(f, other, thresholds.similarity)))
        });
        if let Some((earlier, verdict)) = best(matches) {
            repeats.push(Repeat { later: later as u32, earlier, verdict });
        }
    }
    repeats
}

/// The repeats of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Indices into `Document::sentences`, in reading order of the later
    /// sentence.
    pub repeats: Vec<Repeat>,
}

/// The repeats of `doc`, computed afresh and keeping nothing (`check`
/// shares one analysis between AAM101 and AAM102; `RepeatCache` keeps what
/// it can across runs, for the same answer).
pub fn analyse(doc: &Document, config: &RepeatConfig) -> Analysis {
    let features = document_features(&doc.sentences);
    Analysis { repeats: find_repeats(&features, config.into()) }
}

/// What the repeated-sentence rules keep across runs on successive versions
/// of a document: the features of each sentence text (those the runs no
/// longer use are dropped when they are as many as those used) and the
/// join's state.
#[derive(Default)]
pub struct RepeatCache {
    /// The features of each text, and the latest run known to use them
    /// (brought up to date when the maps are trimmed).
    features: FxHashMap<Box<str>, (Arc<Features>, Arc<AtomicU64>)>,
    /// The same features by the address of the sentence text they were
    /// looked up with (the model shares a sentence's text between versions),
    /// so that an unchanged sentence is found without hashing its text.
    by_text: FxHashMap<usize, ByText>,
    run: u64,
    join: Option<JoinState<Arc<Features>>>,
}

impl std::fmt::Debug for RepeatCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepeatCache")
            .field("features", &self.features.len())
            .field("run", &self.run)
            .field("join", &self.join.as_ref().map(JoinState::len))
            .finish()
    }
}

impl RepeatCache {
    /// The repeats of `doc`: the same as `analyse`, reusing what earlier
    /// runs computed.
    pub fn analyse(&mut self, doc: &Document, config: &RepeatConfig) -> Analysis {
        let features = self.features_of(&doc.sentences);
        let thresholds: Thresholds = config.into();
        let join = match &mut self.join {
            Some(join) if join.settings() == (thresholds, Limits::DEFAULT) => join,
            join => join.insert(JoinState::new(thresholds, Limits::DEFAULT)),
        };
        Analysis { repeats: repeats_with(&features, join) }
    }

    /// `document_features`, from the cache where the text was seen in the
    /// latest run.
    fn features_of(&mut self, sentences: &[Sentence]) -> Vec<Option<Arc<Features>>> {
        self.run += 1;
        let run = self.run;
        let mut out: Vec<Option<Arc<Features>>> = vec![None; sentences.len()];
        let mut missing: Vec<usize> = Vec::new();
        for (idx, sentence) in sentences.iter().enumerate() {
            if !is_compared(sentence) {
                continue;
            }
            let address = text_address(&sentence.text);
            if let Some(entry) = self.by_text.get_mut(&address) {
                // The entry by text is stamped only when the maps are
                // trimmed (below): one store less, in another allocation,
                // for each sentence of each run.
                entry.used = run;
                out[idx] = Some(Arc::clone(&entry.features));
                continue;
            }
            match self.features.get(&*sentence.text) {
                Some((features, stamp)) => {
                    stamp.store(run, Ordering::Relaxed);
                    let entry = ByText {
                        text: Arc::clone(&sentence.text),
                        features: Arc::clone(features),
                        stamp: Arc::clone(stamp),
                        used: run,
                    };
                    out[idx] = Some(Arc::clone(features));
                    self.by_text.insert(address, entry);
                }
                None => missing.push(idx),
            }
        }
        let computed: Vec<Features> =
            missing.par_iter().with_min_len(64).map(|&idx| Features::of(&sentences[idx].text)).collect();
        for (idx, features) in missing.into_iter().zip(computed) {
            let text = &sentences[idx].text;
            let (features, stamp) = match self.features.get(&**text) {
                Some(entry) => entry,
                None => self
                    .features
                    .entry((&**text).into())
                    .or_insert((Arc::new(features), Arc::new(AtomicU64::new(run)))),
            };
            out[idx] = Some(Arc::clone(features));
            let entry = ByText {
                text: Arc::clone(text),
                features: Arc::clone(features),
                stamp: Arc::clone(stamp),
                used: run,
            };
            self.by_text.insert(text_address(text), entry);
        }
        // What this run did not use is dropped once it is as much as what
        // it used: a run over every entry is then paid for by as many
        // entries computed, not by each keystroke.
        let used = out.iter().flatten().count();
        if self.by_text.len() > 2 * used + 64 || self.features.len() > 2 * used + 64 {
            for entry in self.by_text.values() {
                if entry.used == run {
                    entry.stamp.store(run, Ordering::Relaxed);
                }
            }
            self.by_text.retain(|_, entry| entry.used == run);
            self.features.retain(|_, (_, stamp)| stamp.load(Ordering::Relaxed) == run);
        }
        out
    }
}

/// The features of a sentence text found by its address
/// (`RepeatCache::by_text`).
struct ByText {
    /// Held, so that its address names no other text meanwhile.
    #[allow(dead_code)]
    text: Arc<str>,
    features: Arc<Features>,
    /// The run stamp of the features' entry by text, which the trimming
    /// sets for the entries its run used.
    stamp: Arc<AtomicU64>,
    /// The latest run that looked this text up.
    used: u64,
}

/// The address of a sentence text (`RepeatCache::by_text`).
fn text_address(text: &Arc<str>) -> usize {
    Arc::as_ptr(text) as *const u8 as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    const WORDS: &[&str] = &[
        "trade",
        "grew",
        "border",
        "treaty",
        "ministry",
        "talks",
        "exports",
        "pipeline",
        "summit",
        "relations",
        "partnership",
        "cooperation",
        "sanctions",
        "visit",
        "statement",
        "officials",
        "Beijing",
        "Moscow",
        "market",
        "energy",
        "gas",
        "oil",
        "bank",
        "loan",
        "rouble",
        "yuan",
        "troops",
        "exercise",
        "navy",
        "agreement",
        "deal",
        "press",
        "leaders",
        "neighbour",
        "region",
    ];

    fn sentence(rng: &mut Rng) -> String {
        let len = 3 + rng.below(8);
        let words: Vec<&str> = (0..len)
            .map(|_| {
                let bound = 1 + rng.below(WORDS.len());
                WORDS[rng.below(bound)]
            })
            .collect();
        format!("{}.", words.join(" "))
    }

    /// A persistent join state gives the fresh state's answer after every
    /// edit, with limits small enough to be reached all the time.
    #[test]
    fn kept_join_state_equals_a_fresh_one() {
        let mut rng = Rng(0x5EED_1234_ABCD);
        let mut interned: FxHashMap<String, Arc<Features>> = FxHashMap::default();
        let mut intern = |text: &str, rng: &mut Rng| -> Arc<Features> {
            if rng.below(20) == 0 {
                // The same text under another address (a cache that
                // dropped it and computed it again).
                let features = Arc::new(Features::of(text));
                interned.insert(text.to_owned(), Arc::clone(&features));
                return features;
            }
            Arc::clone(interned.entry(text.to_owned()).or_insert_with(|| Arc::new(Features::of(text))))
        };
        let mut texts: Vec<String> = (0..400).map(|_| sentence(&mut rng)).collect();
        for (thresholds, limits) in [
            (
                Thresholds { min_content_words: 3, similarity: 0.8 },
                Limits { max_postings: 12, max_compared: 3 },
            ),
            (
                Thresholds { min_content_words: 2, similarity: 0.6 },
                Limits { max_postings: 40, max_compared: 6 },
            ),
            (Thresholds { min_content_words: 4, similarity: 0.8 }, Limits::DEFAULT),
            (Thresholds { min_content_words: 3, similarity: 0.7 }, Limits::NONE),
        ] {
            let mut kept: JoinState<Arc<Features>> = JoinState::new(thresholds, limits);
            for step in 0..150 {
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(texts.len());
                    match rng.below(8) {
                        0 => texts.insert(at, sentence(&mut rng)),
                        6 if texts.len() > 40 => {
                            // A paragraph moved: many sentences removed and
                            // inserted at once.
                            let from = at.min(texts.len() - 16);
                            let moved: Vec<String> = texts.drain(from..from + 1 + rng.below(15)).collect();
                            let to = rng.below(texts.len());
                            texts.splice(to..to, moved);
                        }
                        1 if texts.len() > 10 => drop(texts.remove(at)),
                        2 => {
                            let copy = texts[rng.below(texts.len())].clone();
                            texts.insert(at, copy);
                        }
                        3 => {
                            let moved = texts.remove(at);
                            let to = rng.below(texts.len());
                            texts.insert(to, moved);
                        }
                        4 => {
                            // A word swapped, dropped or added.
                            let mut words: Vec<String> =
                                texts[at].trim_end_matches('.').split(' ').map(str::to_owned).collect();
                            let word = rng.below(words.len());
                            match rng.below(3) {
                                0 => words[word] = WORDS[rng.below(WORDS.len())].to_owned(),
                                1 if words.len() > 1 => drop(words.remove(word)),
                                _ => words.insert(word, WORDS[rng.below(WORDS.len())].to_owned()),
                            }
                            texts[at] = format!("{}.", words.join(" "));
                        }
                        _ => texts[at] = sentence(&mut rng),
                    }
                }
                let features: Vec<Option<Arc<Features>>> = texts
                    .iter()
                    .enumerate()
                    .map(|(idx, text)| (idx % 13 != 5).then(|| intern(text, &mut rng)))
                    .collect();
                let expected = repeats_with(&features, &mut JoinState::new(thresholds, limits));
                let actual = repeats_with(&features, &mut kept);
                assert_eq!(actual, expected, "step {step} at {thresholds:?}, {limits:?}");
                let batch = find_repeats_with_limits(&features, thresholds, limits);
                assert_eq!(batch, expected, "batch join, step {step} at {thresholds:?}, {limits:?}");
                assert_eq!(kept.len(), features.iter().flatten().count().min(kept.len()));
            }
            // Most probes that read a changed posting are patched.
            assert!(kept.patched() > 1000, "{} probes patched at {thresholds:?}, {limits:?}", kept.patched());
            if limits == Limits::NONE {
                let features: Vec<Option<Features>> = texts.iter().map(|t| Some(Features::of(t))).collect();
                assert_eq!(
                    find_repeats_with_limits(&features, thresholds, limits),
                    find_repeats_brute_force(&features, thresholds)
                );
            }
        }
    }

    /// The features cache keeps what the latest run used, and drops the rest
    /// once it is as much: however many edits replace every sentence.
    #[test]
    fn the_features_cache_stays_bounded() {
        let mut rng = Rng(0xB0B0_CAFE);
        let config = crate::checks::RepeatConfig::default();
        let mut cache = RepeatCache::default();
        for _ in 0..30 {
            let text: Vec<String> = (0..200).map(|_| sentence(&mut rng)).collect();
            let doc = crate::model::Document::parse(&text.join(" "), &crate::model::ModelConfig::default());
            let fresh = analyse(&doc, &config);
            assert_eq!(cache.analyse(&doc, &config).repeats, fresh.repeats);
            let used = doc.sentences.len();
            assert!(cache.by_text.len() <= 2 * used + 64, "{} entries by address", cache.by_text.len());
            assert!(cache.features.len() <= 2 * used + 64, "{} entries by text", cache.features.len());
        }
    }
}
