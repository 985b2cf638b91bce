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

mod features;
mod index;
pub mod similarity;
mod words;

use std::borrow::Borrow;
use std::cell::RefCell;
use std::sync::{Arc, Weak};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

pub use features::{Features, QUOTED_SPEECH_WORDS, WordId, word_id};
pub use index::{SentenceIndex, Thresholds, TokenOrder, best};
pub use similarity::{Conflict, Verdict};

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

/// The features of a document's sentences, `None` for those outside the
/// compared blocks. Computed in parallel.
pub fn document_features(sentences: &[Sentence]) -> Vec<Option<Features>> {
    sentences
        .par_iter()
        .with_min_len(256)
        .map(|sentence| is_compared_context(sentence.context).then(|| Features::of(&sentence.text)))
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
pub fn find_repeats_with_limits<F: Borrow<Features>>(
    features: &[Option<F>],
    thresholds: Thresholds,
    limits: Limits,
) -> Vec<Repeat> {
    let mut best_of: Vec<Option<(u32, Verdict)>> = vec![None; features.len()];
    // The first occurrence of each key; later ones are exact repeats.
    let mut first_of_key: FxHashMap<&str, u32> = FxHashMap::default();
    let mut firsts: Vec<(u32, &Features)> = Vec::new();
    for (idx, (f, best)) in features.iter().zip(&mut best_of).enumerate() {
        let Some(f) = f.as_ref().map(Borrow::borrow) else { continue };
        if !f.is_comparable(thresholds.min_content_words) {
            continue;
        }
        match first_of_key.entry(f.key()) {
            Entry::Occupied(first) => *best = Some((*first.get(), Verdict::Exact)),
            Entry::Vacant(slot) => {
                slot.insert(idx as u32);
                firsts.push((idx as u32, f));
            }
        }
    }
    drop(first_of_key);

    let join = Join::new(&firsts, thresholds, limits);
    let pairs: Vec<(u32, u32, f64)> = (0..firsts.len())
        .into_par_iter()
        .with_min_len(1024)
        .fold(Vec::new, |mut pairs, visit| {
            join.probe(visit, &mut pairs);
            pairs
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
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

/// The batch self-join over the first occurrences of the keys.
///
/// Words become dense ranks (rarest first), each sentence a sorted run of
/// ranks in one flat array. Sentences are visited by size; each is filed
/// under its `len − ⌈t·len⌉ + 1` rarest words (every partner visited after
/// it is at least as long), and probes with its `len − α(len) + 1` rarest
/// words the sentences visited before it. Probes are independent, so they
/// run in parallel.
struct Join<'a> {
    thresholds: Thresholds,
    limits: Limits,
    /// `(sentence index, features)` in visiting order: by size, then index.
    visits: Vec<(u32, &'a Features)>,
    /// Ranks of each visit's words, sorted: `ranks[starts[v]..starts[v + 1]]`.
    ranks: Vec<u32>,
    starts: Vec<u32>,
    /// Rank → the visits filed under it.
    postings: Vec<PostingList>,
}

/// The sentences filed under one word, in visiting order (so by size), and
/// where each size starts.
#[derive(Debug, Clone, Default)]
struct PostingList {
    entries: Vec<Posting>,
    /// `(size, index of its first entry)`, by size.
    runs: Vec<(u32, u32)>,
}

impl PostingList {
    fn push(&mut self, size: usize, posting: Posting) {
        if self.runs.last().is_none_or(|&(last, _)| last as usize != size) {
            self.runs.push((size as u32, self.entries.len() as u32));
        }
        self.entries.push(posting);
    }

    /// The entries of each size in `min..=max`, with their size.
    fn sizes(&self, min: usize, max: usize) -> impl Iterator<Item = (usize, &[Posting])> {
        let first = self.runs.partition_point(|&(size, _)| (size as usize) < min);
        self.runs[first..].iter().enumerate().take_while(move |(_, (size, _))| *size as usize <= max).map(
            move |(offset, &(size, start))| {
                let end =
                    self.runs.get(first + offset + 1).map_or(self.entries.len(), |&(_, end)| end as usize);
                (size as usize, &self.entries[start as usize..end])
            },
        )
    }
}

/// A sentence filed under one of its words.
#[derive(Debug, Clone, Copy)]
struct Posting {
    visit: u32,
    /// The word's position among the sentence's words, rarest first.
    position: u32,
    /// The sentence's words as bits (`signature`), so that most candidates
    /// are dismissed without reading their words.
    signature: u64,
}

/// One bit of 64 per word: a word shared by two sentences has its bit in
/// both signatures, so `popcount(a & b)`, plus the words of `b` that share
/// a bit with another word of `b`, bounds the number of shared words.
fn signature(ranks: &[u32]) -> u64 {
    ranks.iter().fold(0u64, |bits, &rank| bits | (1u64 << (rank.wrapping_mul(0x9E37_79B9) >> 26)))
}

impl<'a> Join<'a> {
    fn new(firsts: &[(u32, &'a Features)], thresholds: Thresholds, limits: Limits) -> Join<'a> {
        let order = TokenOrder::count(firsts.iter().map(|&(_, f)| f));
        let mut words: Vec<(u32, WordId)> = order.ranked_words();
        words.sort_unstable();
        let rank_of: FxHashMap<WordId, u32> =
            words.iter().enumerate().map(|(rank, &(_, word))| (word, rank as u32)).collect();
        let mut visits = firsts.to_vec();
        visits.sort_by_key(|&(idx, f)| (f.words().len(), idx));
        let mut ranks = Vec::with_capacity(visits.iter().map(|(_, f)| f.words().len()).sum());
        let mut starts = Vec::with_capacity(visits.len() + 1);
        let mut postings: Vec<PostingList> = vec![PostingList::default(); words.len()];
        for (visit, &(_, f)) in visits.iter().enumerate() {
            let start = ranks.len();
            starts.push(start as u32);
            ranks.extend(f.words().iter().map(|word| rank_of[word]));
            ranks[start..].sort_unstable();
            let len = f.words().len();
            let signature = signature(&ranks[start..]);
            for (position, &rank) in
                ranks[start..start + thresholds.prefix_len_for_longer(len)].iter().enumerate()
            {
                postings[rank as usize]
                    .push(len, Posting { visit: visit as u32, position: position as u32, signature });
            }
        }
        starts.push(ranks.len() as u32);
        Join { thresholds, limits, visits, ranks, starts, postings }
    }

    fn words(&self, visit: usize) -> &[u32] {
        &self.ranks[self.starts[visit] as usize..self.starts[visit + 1] as usize]
    }

    /// Appends `(earlier, later, similarity)` for each near duplicate of
    /// `visit` among the visits before it.
    fn probe(&self, visit: usize, out: &mut Vec<(u32, u32, f64)>) {
        let thresholds = self.thresholds;
        let words = self.words(visit);
        let len = words.len();
        let (min_size, _) = thresholds.size_bounds(len);
        let own_signature = signature(words);
        // Words of this sentence whose bit another of its words already set.
        let collisions = len - own_signature.count_ones() as usize;
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        let mut scanned = 0usize;
        'words: for (position, &rank) in words[..thresholds.prefix_len(len)].iter().enumerate() {
            let list = &self.postings[rank as usize];
            // A partner whose first shared word is this one shares at most
            // `len − position` words: that bounds its size from above.
            let max_size = thresholds.max_partner_size(len, position);
            'sizes: for (size, entries) in list.sizes(min_size, max_size) {
                let needed = thresholds.min_shared(size, len);
                // Positional filter: the shared words come at or after this
                // one in both sentences.
                let room = len - position;
                for posting in entries {
                    if posting.visit as usize >= visit {
                        break 'sizes; // visited after this one: it probes for the pair
                    }
                    scanned += 1;
                    if scanned > self.limits.max_postings {
                        break 'words;
                    }
                    let at_most = (size - posting.position as usize).min(room);
                    let bits = (posting.signature & own_signature).count_ones() as usize + collisions;
                    if at_most >= needed && bits >= needed {
                        candidates.push((posting.visit, bits as u32));
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup_by_key(|(other, _)| *other);
        if candidates.len() > self.limits.max_compared {
            // A document that says the same thing hundreds of times (a
            // generated corpus, a template) would make this loop quadratic:
            // compare only the candidates sharing the most signature bits.
            candidates.select_nth_unstable_by_key(self.limits.max_compared, |&(other, bits)| {
                (std::cmp::Reverse(bits), other)
            });
            candidates.truncate(self.limits.max_compared);
            candidates.sort_unstable();
        }
        let (idx, f) = self.visits[visit];
        for &(other, _) in &candidates {
            let other_words = self.words(other as usize);
            if !has_overlap(words, other_words, thresholds.min_shared(len, other_words.len())) {
                continue;
            }
            let (other_idx, other_f) = self.visits[other as usize];
            if let Verdict::Near(similarity) = similarity::compare(f, other_f, thresholds.similarity) {
                out.push((idx.min(other_idx), idx.max(other_idx), similarity));
            }
        }
    }
}

/// `true` when two sorted slices share at least `needed` values (stops as
/// soon as the answer is known).
fn has_overlap(a: &[u32], b: &[u32], needed: usize) -> bool {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if shared + (a.len() - i).min(b.len() - j) < needed {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared >= needed
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

/// The repeats of `doc`. AAM101 and AAM102 both need them: the last result
/// is kept per thread, for the same text and settings, so one `check` run
/// computes them once.
pub fn analyse(doc: &Document, config: &RepeatConfig) -> Arc<Analysis> {
    let text = Arc::downgrade(doc.shared_text());
    let cached = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(last_text, last_config, _)| Weak::ptr_eq(last_text, &text) && last_config == config)
            .map(|(_, _, analysis)| Arc::clone(analysis))
    });
    if let Some(analysis) = cached {
        return analysis;
    }
    let features = document_features(&doc.sentences);
    let analysis = Arc::new(Analysis { repeats: find_repeats(&features, config.into()) });
    LAST.with_borrow_mut(|last| *last = Some((text, config.clone(), Arc::clone(&analysis))));
    analysis
}

/// The last analysis: its text (weakly held, so the allocation, and with it
/// the pointer, cannot be reused while cached), settings and result.
type Last = Option<(Weak<str>, RepeatConfig, Arc<Analysis>)>;

thread_local! {
    static LAST: RefCell<Last> = const { RefCell::new(None) };
}
