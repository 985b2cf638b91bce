//! `SentenceIndex`: finds the sentences a sentence repeats without comparing
//! every pair.
//!
//! - Exact repeats: a hash map on the normalised key.
//! - Near duplicates: prefix filtering (Chaudhuri et al. 2006; Bayardo et
//!   al.'s All-Pairs, 2007). Order all words by a fixed global order, rarest
//!   first. Two sets that share at least `α` words share one among the
//!   `|x| − α + 1` first words of each. The threshold gives, for a set of
//!   `n` words, the fewest words `α(n)` it shares with any set similar
//!   enough, so each sentence is filed under its `n − α(n) + 1` rarest
//!   words only, and a query looks only at the sentences filed under its own
//!   such words, of a size that can reach the threshold. The candidates are
//!   then compared in full. The result is exactly that of comparing all pairs
//!   (a test checks it); only the work differs.
//!
//! The order can be any fixed order: rarest-first (by the frequencies of a
//! snapshot of the document, `TokenOrder::count`) keeps posting lists short.
//! Words the snapshot has not seen rank as the rarest. An index keeps its
//! order for its lifetime: a long-lived index (the language server's) stays
//! exact as sentences come and go, and can be rebuilt with fresh counts when
//! it has drifted.

use std::borrow::Borrow;

use rustc_hash::FxHashMap;

use super::features::{Features, Key, WordId};
use super::similarity::{self, Verdict};

/// A fixed total order on words: by frequency in a snapshot, then by id.
#[derive(Debug, Clone, Default)]
pub struct TokenOrder {
    frequency: FxHashMap<WordId, u32>,
}

impl TokenOrder {
    /// Counts, for each word, the sentences that have it.
    pub fn count<'a>(features: impl IntoIterator<Item = &'a Features>) -> TokenOrder {
        let mut frequency: FxHashMap<WordId, u32> = FxHashMap::default();
        for features in features {
            for &word in features.words() {
                *frequency.entry(word).or_insert(0) += 1;
            }
        }
        TokenOrder { frequency }
    }

    /// The sort key of a word: rarer words first.
    pub fn rank(&self, word: WordId) -> (u32, WordId) {
        (self.frequency.get(&word).copied().unwrap_or(0), word)
    }

    /// The `len` first words of `words` in this order.
    pub(super) fn prefix(&self, words: &[WordId], len: usize, out: &mut Vec<(u32, WordId)>) {
        out.clear();
        out.extend(words.iter().map(|&word| self.rank(word)));
        if len < out.len() {
            out.select_nth_unstable(len);
            out.truncate(len);
        }
    }
}

/// The thresholds of a comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Sentences with fewer content words take no part.
    pub min_content_words: usize,
    /// The minimum similarity (0–1, see `similarity::similarity`) of a
    /// near-duplicate.
    pub similarity: f64,
}

/// Rounding slack: bounds are widened by this much so that floating-point
/// error never loses a pair.
const SLACK: f64 = 1e-9;

impl Thresholds {
    /// With `t` the threshold and `w` the length weight, a pair of sizes
    /// `shorter ≤ longer` can reach `t` only if the shorter one is all shared:
    /// `shorter ≥ t·(shorter + w·(longer − shorter))`, that is
    /// `longer − shorter ≤ shorter · stretch` with `stretch = (1 − t) / (t·w)`.
    /// `None` when any length difference can reach `t`.
    fn stretch(self) -> Option<f64> {
        let t = self.similarity.clamp(0.0, 1.0);
        let tw = t * similarity::LENGTH_WEIGHT;
        (tw > 0.0).then(|| (1.0 - t) / tw)
    }

    /// The sizes of sets that can reach the threshold with a set of `len`.
    pub(super) fn size_bounds(self, len: usize) -> (usize, usize) {
        let Some(stretch) = self.stretch() else { return (1, usize::MAX) };
        let len = len as f64;
        let min = (len / (1.0 + stretch) - SLACK).ceil().max(1.0);
        let max = (len * (1.0 + stretch) + SLACK).floor();
        (min as usize, max as usize)
    }

    /// The fewest words a set of `len` shares with any set that reaches the
    /// threshold with it: `t·(w·len + (1 − w)·min_size)`, at the smallest
    /// partner size (a larger partner needs at least `t·len`, which is more).
    fn min_overlap(self, len: usize) -> usize {
        let t = self.similarity.clamp(0.0, 1.0);
        let w = similarity::LENGTH_WEIGHT;
        let min_size = match self.stretch() {
            Some(stretch) => len as f64 / (1.0 + stretch),
            None => 0.0,
        };
        let needed = t * (w * len as f64 + (1.0 - w) * min_size) - SLACK;
        (needed.ceil().max(1.0)) as usize
    }

    /// How many of its rarest words a set of `len` is filed under: any two
    /// sets sharing `α` words share one among their `len − α + 1` rarest.
    pub(super) fn prefix_len(self, len: usize) -> usize {
        (len + 1).saturating_sub(self.min_overlap(len)).clamp(1, len.max(1))
    }

    /// The fewest words two sets of `len_a` and `len_b` words share when
    /// they reach the threshold: `⌈t·(shorter + w·(longer − shorter))⌉`.
    pub(super) fn min_shared(self, len_a: usize, len_b: usize) -> usize {
        let t = self.similarity.clamp(0.0, 1.0);
        let (shorter, longer) = (len_a.min(len_b) as f64, len_a.max(len_b) as f64);
        let needed = t * (shorter + similarity::LENGTH_WEIGHT * (longer - shorter)) - SLACK;
        (needed.ceil().max(1.0)) as usize
    }

    /// The largest partner, no longer than `len`, that can reach the
    /// threshold when its first word shared with a set of `len` is at
    /// `position` in that set (so at most `len − position` are shared):
    /// `t·(m + w·(len − m)) ≤ len − position`.
    pub(super) fn max_partner_size(self, len: usize, position: usize) -> usize {
        let t = self.similarity.clamp(0.0, 1.0);
        let w = similarity::LENGTH_WEIGHT;
        if t <= 0.0 || w >= 1.0 {
            return len;
        }
        let room = (len - position) as f64;
        let max = ((room - t * w * len as f64) / (t * (1.0 - w)) + SLACK).floor();
        if max < 0.0 { 0 } else { (max as usize).min(len) }
    }

    /// The prefix length when every partner is at least as long (the batch
    /// join visits sets by size): such a partner shares at least `t·len`.
    pub(super) fn prefix_len_for_longer(self, len: usize) -> usize {
        let t = self.similarity.clamp(0.0, 1.0);
        let needed = ((t * len as f64 - SLACK).ceil().max(1.0)) as usize;
        (len + 1).saturating_sub(needed).clamp(1, len.max(1))
    }
}

/// Sentences indexed for exact and near repeats, by caller-chosen ids
/// (small integers: the index stores entries in a vector by id).
#[derive(Debug, Clone)]
pub struct SentenceIndex<F> {
    thresholds: Thresholds,
    order: TokenOrder,
    entries: Vec<Option<F>>,
    exact: FxHashMap<Key, Vec<u32>>,
    /// Word → (id, number of words) of the sentences filed under it.
    postings: FxHashMap<WordId, Vec<(u32, u32)>>,
    scratch: Vec<(u32, WordId)>,
}

impl<F: Borrow<Features>> SentenceIndex<F> {
    pub fn new(order: TokenOrder, thresholds: Thresholds) -> SentenceIndex<F> {
        SentenceIndex {
            thresholds,
            order,
            entries: Vec::new(),
            exact: FxHashMap::default(),
            postings: FxHashMap::default(),
            scratch: Vec::new(),
        }
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Adds a sentence under `id` (replacing one with the same id). Returns
    /// `false`, and keeps nothing, when the sentence takes no part in the
    /// comparison (quoted speech, too few content words).
    pub fn insert(&mut self, id: u32, features: F) -> bool {
        self.remove(id);
        let f = features.borrow();
        if !f.is_comparable(self.thresholds.min_content_words) {
            return false;
        }
        let ids = self.exact.entry(f.key()).or_default();
        let at = ids.partition_point(|&other| other < id);
        ids.insert(at, id);
        let mut prefix = std::mem::take(&mut self.scratch);
        self.order.prefix(f.words(), self.thresholds.prefix_len(f.words().len()), &mut prefix);
        let size = f.words().len() as u32;
        for &(_, word) in &prefix {
            self.postings.entry(word).or_default().push((id, size));
        }
        self.scratch = prefix;
        let slot = id as usize;
        if self.entries.len() <= slot {
            self.entries.resize_with(slot + 1, || None);
        }
        self.entries[slot] = Some(features);
        true
    }

    /// Removes the sentence filed under `id`, and returns it.
    pub fn remove(&mut self, id: u32) -> Option<F> {
        let features = self.entries.get_mut(id as usize)?.take()?;
        let f = features.borrow();
        if let Some(ids) = self.exact.get_mut(&f.key()) {
            ids.retain(|&other| other != id);
        }
        let mut prefix = Vec::new();
        self.order.prefix(f.words(), self.thresholds.prefix_len(f.words().len()), &mut prefix);
        for (_, word) in prefix {
            if let Some(list) = self.postings.get_mut(&word) {
                list.retain(|&(other, _)| other != id);
            }
        }
        Some(features)
    }

    /// The indexed sentence under `id`.
    pub fn get(&self, id: u32) -> Option<&F> {
        self.entries.get(id as usize)?.as_ref()
    }

    /// Every indexed sentence that `features` repeats, exactly or nearly,
    /// sorted by id. Empty when the sentence takes no part.
    pub fn matches(&self, features: &Features) -> Vec<(u32, Verdict)> {
        let mut out = Vec::new();
        if !features.is_comparable(self.thresholds.min_content_words) {
            return out;
        }
        if let Some(ids) = self.exact.get(&features.key()) {
            for &id in ids {
                if self.get(id).is_some_and(|other| other.borrow().key() == features.key()) {
                    out.push((id, Verdict::Exact));
                }
            }
        }
        for id in self.candidates(features) {
            let Some(other) = self.get(id) else { continue };
            match similarity::compare(features, other.borrow(), self.thresholds.similarity) {
                Verdict::Exact => {} // found above
                Verdict::Different => {}
                near => out.push((id, near)),
            }
        }
        out.sort_by_key(|&(id, _)| id);
        out
    }

    /// The sentence `features` repeats most: the first exact repeat, else
    /// the most similar near-duplicate (the first of equals), among the
    /// indexed sentences with an id below `before`.
    pub fn best_match(&self, features: &Features, before: u32) -> Option<(u32, Verdict)> {
        best(self.matches(features).into_iter().filter(|&(id, _)| id < before))
    }

    /// Ids of the sentences that share a prefix word with `features` and
    /// have a size that can reach the threshold.
    fn candidates(&self, features: &Features) -> Vec<u32> {
        let len = features.words().len();
        let (min, max) = self.thresholds.size_bounds(len);
        let mut prefix = Vec::new();
        self.order.prefix(features.words(), self.thresholds.prefix_len(len), &mut prefix);
        let mut ids = Vec::new();
        for (_, word) in prefix {
            let Some(list) = self.postings.get(&word) else { continue };
            ids.extend(
                list.iter().filter(|&&(_, size)| (min..=max).contains(&(size as usize))).map(|&(id, _)| id),
            );
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The best of some matches: the first exact one, else the most similar,
/// the first of equals.
pub fn best(matches: impl IntoIterator<Item = (u32, Verdict)>) -> Option<(u32, Verdict)> {
    let mut best: Option<(u32, Verdict)> = None;
    for (id, verdict) in matches {
        let better = match (best, verdict) {
            (None, Verdict::Exact | Verdict::Near(_)) => true,
            (_, Verdict::Different) => false,
            (Some((best_id, Verdict::Exact)), Verdict::Exact) => id < best_id,
            (Some((_, Verdict::Exact)), Verdict::Near(_)) => false,
            (Some((_, Verdict::Near(_))), Verdict::Exact) => true,
            (Some((best_id, Verdict::Near(best_sim))), Verdict::Near(sim)) => {
                sim > best_sim || (sim == best_sim && id < best_id)
            }
            (Some((_, Verdict::Different)), _) => true,
        };
        if better {
            best = Some((id, verdict));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_lengths() {
        let t = Thresholds { min_content_words: 1, similarity: 0.8 };
        // At 0.8 a partner of a 6-word set has 3 to 12 words and shares at
        // least 3 of them: any 4 of its words meet every match.
        assert_eq!(t.size_bounds(6), (3, 12));
        assert_eq!(t.min_overlap(6), 3);
        assert_eq!(t.prefix_len(6), 4);
        let exact = Thresholds { min_content_words: 1, similarity: 1.0 };
        assert_eq!(exact.size_bounds(6), (6, 6));
        assert_eq!(exact.prefix_len(6), 1);
        let any = Thresholds { min_content_words: 1, similarity: 0.0 };
        assert_eq!(any.prefix_len(6), 6);
    }

    #[test]
    fn insert_query_remove() {
        let thresholds = Thresholds { min_content_words: 4, similarity: 0.8 };
        let a = Features::of("Russia and China have a long history of good relations.");
        let b = Features::of("China and Russia have had a long history of relations.");
        let c = Features::of("RUSSIA and China have a long history of “good” relations!");
        let order = TokenOrder::count([&a, &b, &c]);
        let mut index: SentenceIndex<&Features> = SentenceIndex::new(order, thresholds);
        assert!(index.insert(0, &a));
        let near = index.best_match(&b, 1);
        assert!(matches!(near, Some((0, Verdict::Near(_)))), "{near:?}");
        assert!(index.insert(1, &b));
        assert_eq!(index.best_match(&c, 2), Some((0, Verdict::Exact)));
        index.remove(0);
        assert!(matches!(index.best_match(&c, 2), Some((1, Verdict::Near(_)))));
        assert!(!index.insert(2, &Features::of("Short one here.")));
    }
}
