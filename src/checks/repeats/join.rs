//! The prefix-filtering self-join over the first occurrences of the keys,
//! kept up to date across runs.
//!
//! Words are ordered rarest first (by the number of sentences that have
//! them, then by id). Sentences are visited by size, then reading order;
//! each is filed under its `len − ⌈t·len⌉ + 1` rarest words (every partner
//! visited after it is at least as long), and probes with its
//! `len − α(len) + 1` rarest words the sentences visited before it, within
//! the work limits (`Limits`).
//!
//! A `JoinState` keeps the posting lists, the word counts and each
//! sentence's probe result between runs. When the next run's sentences are
//! mostly the same (the language server, after an edit), it removes and
//! inserts the sentences that changed and probes again only the sentences
//! whose probe could read something different:
//! - the sentences inserted;
//! - the sentences whose words changed order (a word of theirs changed
//!   count): their filing and probing words may differ;
//! - the sentences filed under a word whose posting list gained, lost or
//!   changed an entry that their scan reads: visited before them, within
//!   their size bounds for that word, and before the posting at which the
//!   work limit stopped their latest scan, if it did (the limits make the
//!   scan depend on every entry before that point, and on none after it).
//!
//! It also keeps, for each sentence, the probers that found it and its best
//! pair with an earlier sentence, and recomputes that pair only for the
//! sentences whose pairs changed, so that a run returns the best pairs
//! without reading every pair.
//!
//! A probe reads nothing else (its own words' order, those posting lists up
//! to itself, and the features of its candidates, which never change), and
//! the visiting order among the sentences kept is their reading order, which
//! an edit preserves. So the state after a run, and every probe result, is
//! the one a fresh state would compute for the same sentences: the result is
//! exactly that of the full run, whatever ran before (a test checks it).

use std::borrow::Borrow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use std::cell::RefCell;

use super::Limits;
use super::features::{Features, WordId};
use super::index::Thresholds;
use super::similarity::{self, Verdict};

/// Where a sentence stands in the visiting order: by size, then reading
/// order. `label` grows with the reading order and stays put while the
/// sentence does (new sentences get labels between their neighbours').
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct VisitKey {
    len: u32,
    label: u64,
}

/// A sentence filed under one of its words.
#[derive(Debug, Clone, Copy)]
struct Posting {
    key: VisitKey,
    slot: u32,
    /// The word's position among the sentence's words, rarest first.
    position: u32,
    /// The sentence's words as bits (`signature`), so that most candidates
    /// are dismissed without reading their words.
    signature: u64,
}

#[derive(Debug, Default)]
struct Word {
    /// The sentences that have the word (their number is its count).
    containing: Vec<u32>,
    /// The sentences filed under it, in visiting order.
    postings: Vec<Posting>,
    /// The sentences that probe with it.
    probers: Vec<u32>,
}

#[derive(Debug)]
struct Slot<F> {
    features: F,
    label: u64,
    /// The words, rarest first.
    order: Box<[WordId]>,
    signature: u64,
    /// The probe's result: the earlier visits it is near, and how near.
    pairs: Vec<(u32, f64)>,
    /// Where the probe's scan stopped at the work limit: the position of
    /// the word (among its probing words) and the visit key of the first
    /// posting it did not read. `None` when it read all it could.
    stop: Option<(u32, VisitKey)>,
    /// When the probe hit neither work limit: the candidates it compared
    /// (slots, each once) and the postings it read, so that a change in
    /// those postings can be patched in (`JoinState::patch`) instead of
    /// probing again.
    scan: Option<Scan>,
    /// The candidates the latest probe compared (at most
    /// `Limits::max_compared`): when the probe runs again, a candidate
    /// compared before, and not a new sentence since, gives the same
    /// verdict, which `pairs` holds.
    compared: Box<[u32]>,
}

/// What a probe that hit no work limit read (`Slot::scan`).
#[derive(Debug, Clone)]
struct Scan {
    candidates: Box<[u32]>,
    postings: u32,
}

/// A posting that an edit added to or removed from a word's list.
#[derive(Debug, Clone, Copy)]
struct Change {
    word: WordId,
    posting: Posting,
    added: bool,
}

impl<F: Borrow<Features>> Slot<F> {
    fn key(&self) -> VisitKey {
        VisitKey { len: self.order.len() as u32, label: self.label }
    }
}

/// A probe's result: its pairs, where the work limit stopped its scan, and
/// what it read when no limit stopped it (`Slot::pairs`, `Slot::stop`,
/// `Slot::scan`).
type Probed = (Vec<(u32, f64)>, Option<(u32, VisitKey)>, Option<Scan>, Box<[u32]>);

/// Spacing of the labels given on a rebuild.
const LABEL_STEP: u64 = 1 << 32;

/// The join's state across runs (see the module documentation).
#[derive(Debug)]
pub(crate) struct JoinState<F> {
    thresholds: Thresholds,
    limits: Limits,
    slots: Vec<Option<Slot<F>>>,
    /// By slot, what the passes over every slot read (a slot is over a
    /// hundred bytes; these sixteen keep a run's sweeps in the caches).
    hot: Vec<Hot>,
    free: Vec<u32>,
    words: FxHashMap<WordId, Word>,
    /// Slot of each sentence's features, by address.
    by_address: FxHashMap<usize, u32>,
    /// By slot: the probers whose pairs name it.
    named_by: Vec<Vec<u32>>,
    /// By slot: its best pair with a sentence before it in reading order
    /// (that sentence's slot, and the similarity), the most similar, the
    /// first of equals.
    best: Vec<Option<(u32, f64)>>,
    /// Probes patched rather than run again, over the state's life (for
    /// tests and measurements).
    patched: u64,
}

/// A slot's label and its sentence's index in the latest run (`label` 0:
/// a free slot).
#[derive(Debug, Clone, Copy, Default)]
struct Hot {
    label: u64,
    idx: u32,
}

impl Hot {
    fn is_live(self) -> bool {
        self.label != 0
    }
}

fn address(f: &Features) -> usize {
    f as *const Features as usize
}

impl<F: Borrow<Features> + Sync> JoinState<F> {
    pub(crate) fn new(thresholds: Thresholds, limits: Limits) -> JoinState<F> {
        JoinState {
            thresholds,
            limits,
            slots: Vec::new(),
            hot: Vec::new(),
            free: Vec::new(),
            words: FxHashMap::default(),
            by_address: FxHashMap::default(),
            named_by: Vec::new(),
            best: Vec::new(),
            patched: 0,
        }
    }

    /// The number of sentences held.
    pub(crate) fn len(&self) -> usize {
        self.by_address.len()
    }

    pub(crate) fn settings(&self) -> (Thresholds, Limits) {
        (self.thresholds, self.limits)
    }

    /// How many probes were patched rather than run again.
    #[cfg(test)]
    pub(crate) fn patched(&self) -> u64 {
        self.patched
    }

    fn slot(&self, slot: u32) -> &Slot<F> {
        self.slots[slot as usize].as_ref().expect("a live slot")
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.hot.clear();
        self.free.clear();
        self.words.clear();
        self.by_address.clear();
        self.named_by.clear();
        self.best.clear();
    }

    /// Runs the join over `firsts`, `(sentence index, features)` of the first
    /// occurrence of each key, in reading order, all comparable. Returns
    /// `(earlier, later, similarity)` for the best near pair of each sentence
    /// that has one with an earlier sentence (the most similar, the first of
    /// equals): what `with_near` keeps of all the pairs.
    pub(crate) fn run(&mut self, firsts: Vec<(u32, F)>) -> Vec<(u32, u32, f64)> {
        // Which sentences are kept: those seen last time, in the same
        // relative order.
        let mut kept: Vec<Option<u32>> =
            firsts.iter().map(|(_, f)| self.by_address.get(&address(f.borrow())).copied()).collect();
        let mut last_label = 0;
        for slot in kept.iter_mut() {
            if let Some(id) = *slot {
                let label = self.hot[id as usize].label;
                if label <= last_label {
                    *slot = None;
                } else {
                    last_label = label;
                }
            }
        }
        let Some(labels) = self.new_labels(&kept) else {
            self.clear();
            let kept = vec![None; firsts.len()];
            let labels = (1..=firsts.len() as u64).map(|n| n * LABEL_STEP).collect();
            return self.apply(firsts, kept, labels);
        };
        self.apply(firsts, kept, labels)
    }

    /// Labels for the sentences not kept, between their kept neighbours';
    /// `None` when there is no room.
    fn new_labels(&self, kept: &[Option<u32>]) -> Option<Vec<u64>> {
        let mut labels = vec![0; kept.len()];
        let mut at = 0;
        let mut before = 0u64;
        while at < kept.len() {
            if let Some(id) = kept[at] {
                before = self.hot[id as usize].label;
                labels[at] = before;
                at += 1;
                continue;
            }
            let run_end = kept[at..].iter().position(Option::is_some).map_or(kept.len(), |n| at + n);
            let after = match kept.get(run_end) {
                Some(&Some(id)) => self.hot[id as usize].label,
                _ => before.checked_add(LABEL_STEP * (run_end - at + 1) as u64)?,
            };
            let count = (run_end - at) as u128;
            let gap = (after - before) as u128;
            if gap <= count {
                return None;
            }
            for (n, label) in labels[at..run_end].iter_mut().enumerate() {
                *label = (before as u128 + gap * (n as u128 + 1) / (count + 1)) as u64;
            }
            at = run_end;
        }
        Some(labels)
    }

    fn apply(
        &mut self,
        firsts: Vec<(u32, F)>,
        kept: Vec<Option<u32>>,
        labels: Vec<u64>,
    ) -> Vec<(u32, u32, f64)> {
        let thresholds = self.thresholds;
        let mut is_kept = vec![false; self.slots.len()];
        for &id in kept.iter().flatten() {
            is_kept[id as usize] = true;
        }
        // Entries of posting lists that changed: all the removals (taken out
        // first), then all the additions.
        let mut changed: Vec<Change> = Vec::new();
        // Counts before this run, of the words whose count moved.
        let mut old_counts: FxHashMap<WordId, u32> = FxHashMap::default();
        // Slots whose best pair may change, and probers that named a
        // removed slot.
        let mut touched: Vec<u32> = Vec::new();
        let mut orphaned: Vec<u32> = Vec::new();
        self.named_by.resize_with(self.slots.len(), Vec::new);
        self.best.resize(self.slots.len(), None);
        // Removed sentences.
        for id in 0..self.slots.len() as u32 {
            if self.hot[id as usize].is_live() && !is_kept[id as usize] {
                self.unfile(id, &mut changed);
                let slot = self.slots[id as usize].take().expect("a live slot");
                self.hot[id as usize] = Hot::default();
                for &word in slot.order.iter() {
                    let entry = self.words.get_mut(&word).expect("a counted word");
                    old_counts.entry(word).or_insert(entry.containing.len() as u32);
                    let at = entry.containing.iter().position(|&s| s == id).expect("listed");
                    entry.containing.swap_remove(at);
                }
                self.by_address.remove(&address(slot.features.borrow()));
                for &(other, _) in &slot.pairs {
                    if let Some(named_by) = self.named_by.get_mut(other as usize) {
                        forget(named_by, id);
                    }
                    touched.push(other);
                }
                // Those that named it read its postings: probed again below.
                orphaned.append(&mut self.named_by[id as usize]);
                self.best[id as usize] = None;
                self.free.push(id);
            }
        }
        // New sentences, and the index of every sentence in this run.
        let mut refile: Vec<u32> = Vec::new();
        let mut is_new = vec![false; self.slots.len()];
        for (((idx, features), kept), label) in firsts.into_iter().zip(kept).zip(labels) {
            if let Some(id) = kept {
                self.hot[id as usize].idx = idx;
                continue;
            }
            let id = match self.free.pop() {
                Some(id) => id,
                None => {
                    self.slots.push(None);
                    self.hot.push(Hot::default());
                    self.named_by.push(Vec::new());
                    self.best.push(None);
                    (self.slots.len() - 1) as u32
                }
            };
            let f = features.borrow();
            for &word in f.words() {
                let entry = self.words.entry(word).or_default();
                old_counts.entry(word).or_insert(entry.containing.len() as u32);
                entry.containing.push(id);
            }
            self.by_address.insert(address(f), id);
            let order = f.words().into();
            let signature = f.signature();
            debug_assert_ne!(label, 0, "labels start at LABEL_STEP, new ones lie above their predecessor's");
            self.hot[id as usize] = Hot { label, idx };
            self.slots[id as usize] = Some(Slot {
                features,
                label,
                order,
                signature,
                pairs: Vec::new(),
                stop: None,
                scan: None,
                compared: Box::default(),
            });
            if is_new.len() <= id as usize {
                is_new.resize(id as usize + 1, false);
            }
            is_new[id as usize] = true;
            refile.push(id);
        }
        is_new.resize(self.slots.len(), false);
        // Sentences with a word whose count moved may have their words in
        // another order.
        let mut checked = vec![false; self.slots.len()];
        let mut reorder: Vec<u32> = Vec::new();
        for (&word, &old) in &old_counts {
            let Some(entry) = self.words.get(&word) else { continue };
            if entry.containing.len() as u32 == old {
                continue;
            }
            for &id in &entry.containing {
                if !is_new[id as usize] && !checked[id as usize] {
                    checked[id as usize] = true;
                    reorder.push(id);
                }
            }
        }
        for &word in old_counts.keys() {
            if self.words.get(&word).is_some_and(|entry| entry.containing.is_empty()) {
                self.words.remove(&word);
            }
        }
        let rank = |words: &FxHashMap<WordId, Word>, word: WordId| {
            (words.get(&word).map_or(0, |entry| entry.containing.len()), word)
        };
        for id in reorder {
            let slot = self.slot(id);
            // Still sorted by the new counts: the same order.
            if slot.order.windows(2).all(|pair| rank(&self.words, pair[0]) < rank(&self.words, pair[1])) {
                continue;
            }
            let mut order = slot.order.to_vec();
            order.sort_unstable_by_key(|&word| rank(&self.words, word));
            // The postings and the probe read only the words it is filed
            // and probes under: when those stay, in the same order, only
            // the rest of its order moved, and nothing it filed or found.
            let len = order.len();
            let read = thresholds.prefix_len_for_longer(len).max(thresholds.prefix_len(len));
            if order[..read] == slot.order[..read] {
                self.slots[id as usize].as_mut().expect("a live slot").order = order.into();
                continue;
            }
            self.unfile(id, &mut changed);
            self.slots[id as usize].as_mut().expect("a live slot").order = order.into();
            refile.push(id);
        }
        for &id in &refile {
            if is_new[id as usize] {
                let slot = self.slots[id as usize].as_mut().expect("a live slot");
                let mut order = std::mem::take(&mut slot.order).into_vec();
                order.sort_unstable_by_key(|&word| rank(&self.words, word));
                self.slots[id as usize].as_mut().expect("a live slot").order = order.into();
            }
        }
        // File in visiting order, so that a rebuild appends.
        refile.sort_unstable_by_key(|&id| self.slot(id).key());
        for &id in &refile {
            let slot = self.slots[id as usize].as_ref().expect("a live slot");
            let key = slot.key();
            let len = slot.order.len();
            for (position, &word) in slot.order[..thresholds.prefix_len_for_longer(len)].iter().enumerate() {
                let list = &mut self.words.get_mut(&word).expect("a counted word").postings;
                let at = list.partition_point(|p| p.key < key);
                let posting = Posting { key, slot: id, position: position as u32, signature: slot.signature };
                list.insert(at, posting);
                changed.push(Change { word, posting, added: true });
            }
            for &word in &slot.order[..thresholds.prefix_len(len)] {
                self.words.get_mut(&word).expect("a counted word").probers.push(id);
            }
        }
        // The probes to run again.
        let mut dirty = vec![false; self.slots.len()];
        let mut probes: Vec<u32> = Vec::new();
        for &id in &refile {
            dirty[id as usize] = true;
            probes.push(id);
        }
        for id in orphaned {
            if self.hot[id as usize].is_live() && !dirty[id as usize] {
                dirty[id as usize] = true;
                probes.push(id);
            }
        }
        // The probes that read a changed posting: patched with the changes
        // they read when their last run hit no work limit, else run again.
        let mut patches: Vec<(u32, u32)> = Vec::new();
        for (at, change) in changed.iter().enumerate() {
            let Some(entry) = self.words.get(&change.word) else { continue };
            for &prober in &entry.probers {
                if dirty[prober as usize] || !self.reads(prober, change.word, change.posting.key) {
                    continue;
                }
                if self.slot(prober).scan.is_some() {
                    patches.push((prober, at as u32));
                } else {
                    dirty[prober as usize] = true;
                    probes.push(prober);
                }
            }
        }
        // By prober, each one's changes in order (removals first).
        patches.sort_unstable();
        let patched: Vec<(u32, Probed)> = patches
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| !dirty[group[0].0 as usize])
            .filter_map(|group| {
                let changes: Vec<&Change> = group.iter().map(|&(_, at)| &changed[at as usize]).collect();
                Some((group[0].0, self.patch(group[0].0, &changes)?))
            })
            .collect();
        self.patched += patched.len() as u64;
        let mut is_patched = vec![false; self.slots.len()];
        for &(id, _) in &patched {
            is_patched[id as usize] = true;
        }
        // Those a limit would stop now are run again.
        for group in patches.chunk_by(|a, b| a.0 == b.0) {
            let id = group[0].0;
            if !dirty[id as usize] && !is_patched[id as usize] {
                dirty[id as usize] = true;
                probes.push(id);
            }
        }
        let mut results: Vec<Probed> =
            probes.par_iter().with_min_len(256).map(|&id| self.probe(id, &is_new)).collect();
        for (id, result) in patched {
            probes.push(id);
            results.push(result);
        }
        // The pairs named before go, the new ones come.
        for &id in &probes {
            let slot = self.slots[id as usize].as_ref().expect("a live slot");
            for &(other, _) in &slot.pairs {
                if let Some(named_by) = self.named_by.get_mut(other as usize) {
                    forget(named_by, id);
                }
                touched.push(other);
            }
        }
        for (&id, (pairs, stop, scan, compared)) in probes.iter().zip(results) {
            for &(other, _) in &pairs {
                self.named_by[other as usize].push(id);
                touched.push(other);
            }
            touched.push(id);
            let slot = self.slots[id as usize].as_mut().expect("a live slot");
            slot.pairs = pairs;
            slot.stop = stop;
            slot.scan = scan;
            slot.compared = compared;
        }
        touched.sort_unstable();
        touched.dedup();
        for id in touched {
            if self.hot[id as usize].is_live() {
                self.best[id as usize] = self.best_pair(id);
            }
        }
        let mut out = Vec::new();
        for (hot, best) in self.hot.iter().zip(&self.best) {
            if let Some((other, similarity)) = best
                && hot.is_live()
            {
                out.push((self.hot[*other as usize].idx, hot.idx, *similarity));
            }
        }
        out
    }

    /// The best pair of `id` with a sentence before it in reading order:
    /// among those its probe found and those whose probe found it.
    fn best_pair(&self, id: u32) -> Option<(u32, f64)> {
        let slot = self.slot(id);
        let found = slot.pairs.iter().copied();
        let found_by = self.named_by[id as usize].iter().filter_map(|&prober| {
            let similarity = self.slot(prober).pairs.iter().find(|&&(other, _)| other == id)?.1;
            Some((prober, similarity))
        });
        let mut best: Option<(u32, f64, u64)> = None;
        for (other, similarity) in found.chain(found_by) {
            let label = self.hot[other as usize].label;
            if label >= slot.label {
                continue;
            }
            if best.is_none_or(|(_, best_similarity, best_label)| {
                similarity > best_similarity || (similarity == best_similarity && label < best_label)
            }) {
                best = Some((other, similarity, label));
            }
        }
        best.map(|(other, similarity, _)| (other, similarity))
    }

    /// Takes a sentence out of the posting lists and the probers.
    fn unfile(&mut self, id: u32, changed: &mut Vec<Change>) {
        let thresholds = self.thresholds;
        let slot = self.slots[id as usize].as_ref().expect("a live slot");
        let key = slot.key();
        let len = slot.order.len();
        for &word in &slot.order[..thresholds.prefix_len_for_longer(len)] {
            let list = &mut self.words.get_mut(&word).expect("a counted word").postings;
            let at = list.partition_point(|p| p.key < key);
            debug_assert_eq!(list[at].slot, id);
            let posting = list.remove(at);
            changed.push(Change { word, posting, added: false });
        }
        for &word in &slot.order[..thresholds.prefix_len(len)] {
            let probers = &mut self.words.get_mut(&word).expect("a counted word").probers;
            let at = probers.iter().position(|&s| s == id).expect("listed");
            probers.swap_remove(at);
        }
    }

    /// Whether the latest probe of `prober` (which probes with `word`, and
    /// whose words kept their order) read, or would now read, the posting
    /// of `word` at `key`: the probe reads the postings of each of its words
    /// within its size bounds and before its own visit, in that order, until
    /// the work limit. A posting added or removed elsewhere changes nothing
    /// it reads, so it would find the same.
    fn reads(&self, prober: u32, word: WordId, key: VisitKey) -> bool {
        let thresholds = self.thresholds;
        let slot = self.slot(prober);
        if slot.key() <= key {
            return false;
        }
        let len = slot.order.len();
        let Some(position) = slot.order[..thresholds.prefix_len(len)].iter().position(|&w| w == word) else {
            return true;
        };
        let (min_size, _) = thresholds.size_bounds(len);
        let size = key.len as usize;
        if size < min_size || size > thresholds.max_partner_size(len, position) {
            return false;
        }
        // Stopped at the limit before this posting: the postings it read
        // are still the first ones.
        match slot.stop {
            Some((stop_position, stop_key)) => (position as u32, key) <= (stop_position, stop_key),
            None => true,
        }
    }

    /// The near duplicates of a sentence among those visited before it, and
    /// where its scan stopped at the work limit (see `Slot::stop`).
    /// `is_new` (by slot): the sentences filed this run, whose verdicts the
    /// probe's last run cannot have seen.
    fn probe(&self, id: u32, is_new: &[bool]) -> Probed {
        let thresholds = self.thresholds;
        let slot = self.slot(id);
        let key = slot.key();
        let words = &slot.order;
        let len = words.len();
        let (min_size, _) = thresholds.size_bounds(len);
        let own_signature = slot.signature;
        // Words of this sentence whose bit another of its words already set.
        let collisions = len - own_signature.count_ones() as usize;
        let mut candidates: Vec<(VisitKey, u32, u32)> = Vec::with_capacity(self.limits.max_postings.min(256));
        let mut scanned = 0usize;
        let mut stop = None;
        'words: for (position, word) in words[..thresholds.prefix_len(len)].iter().enumerate() {
            let Some(entry) = self.words.get(word) else { continue };
            let list = &entry.postings;
            // A partner whose first shared word is this one shares at most
            // `len − position` words: that bounds its size from above.
            let max_size = thresholds.max_partner_size(len, position);
            let first = list.partition_point(|p| (p.key.len as usize) < min_size);
            // Positional filter: the shared words come at or after this one
            // in both sentences.
            let room = len - position;
            // The list is sorted by size: the overlap needed changes only
            // with it (a float computation, once per size, not per posting).
            let mut needed_at = (usize::MAX, 0);
            for posting in &list[first..] {
                let size = posting.key.len as usize;
                if size > max_size || posting.key >= key {
                    break; // visited after this one: it probes for the pair
                }
                scanned += 1;
                if scanned > self.limits.max_postings {
                    stop = Some((position as u32, posting.key));
                    break 'words;
                }
                if needed_at.0 != size {
                    needed_at = (size, thresholds.min_shared(size, len));
                }
                let needed = needed_at.1;
                let at_most = (size - posting.position as usize).min(room);
                let bits = (posting.signature & own_signature).count_ones() as usize + collisions;
                if at_most >= needed && bits >= needed {
                    candidates.push((posting.key, posting.slot, bits as u32));
                }
            }
        }
        // A sentence read under two words is one candidate (the same slot
        // has the same key and bits). Deduplicated by marks, not by a sort
        // of up to `max_postings` candidates: the few kept are sorted below.
        SEEN.with_borrow_mut(|seen| seen.dedup(&mut candidates, self.slots.len(), |&(_, slot, _)| slot));
        let fits = stop.is_none() && candidates.len() <= self.limits.max_compared;
        if candidates.len() > self.limits.max_compared {
            // A document that says the same thing hundreds of times (a
            // generated corpus, a template) would make this loop quadratic:
            // compare only the candidates sharing the most signature bits.
            candidates.select_nth_unstable_by_key(self.limits.max_compared, |&(key, _, bits)| {
                (std::cmp::Reverse(bits), key)
            });
            candidates.truncate(self.limits.max_compared);
        }
        candidates.sort_unstable_by_key(|&(key, _, _)| key);
        let scan = fits.then(|| Scan {
            candidates: candidates.iter().map(|&(_, slot, _)| slot).collect(),
            postings: scanned as u32,
        });
        let f = slot.features.borrow();
        let mut out = Vec::new();
        // A sentence that kept its slot kept its features, and so did each
        // candidate compared last time that is not new: same verdict.
        let known =
            |other: u32| !is_new[id as usize] && !is_new[other as usize] && slot.compared.contains(&other);
        for &(_, other, _) in &candidates {
            if known(other) {
                if let Some(&pair) = slot.pairs.iter().find(|&&(named, _)| named == other) {
                    out.push(pair);
                }
                continue;
            }
            let other_f = self.slot(other).features.borrow();
            if !has_overlap(f.words(), other_f.words(), thresholds.min_shared(len, other_f.words().len())) {
                continue;
            }
            if let Verdict::Near(similarity) = similarity::compare(f, other_f, thresholds.similarity) {
                out.push((other, similarity));
            }
        }
        let compared = candidates.iter().map(|&(_, other, _)| other).collect();
        (out, stop, scan, compared)
    }

    /// What `probe(id)` now finds, from what its last run read (which hit
    /// no work limit) and the `changes` to the postings it reads (all of
    /// them, removals first; `id` kept its words, order and visit): the
    /// candidates of a removed posting go, those of an added posting that
    /// passes the probe's filters come and are compared. `None` when a
    /// work limit would now stop the scan or cut the candidates: then the
    /// probe runs again. Equal to `probe(id)`, pair for pair: a probe's
    /// candidates are the postings it reads that pass filters of the two
    /// sentences alone, and it compares all of them when they are few.
    fn patch(&self, id: u32, changes: &[&Change]) -> Option<Probed> {
        let thresholds = self.thresholds;
        let slot = self.slot(id);
        let scan = slot.scan.as_ref()?;
        let len = slot.order.len();
        let probing = &slot.order[..thresholds.prefix_len(len)];
        let collisions = len - slot.signature.count_ones() as usize;
        let mut postings = scan.postings as usize;
        let mut candidates = scan.candidates.to_vec();
        let mut pairs = slot.pairs.clone();
        let mut removed: Vec<u32> = Vec::new();
        let mut added: Vec<u32> = Vec::new();
        for change in changes {
            let posting = &change.posting;
            if !change.added {
                postings = postings.checked_sub(1)?;
                removed.push(posting.slot);
                continue;
            }
            if !removed.is_empty() {
                candidates.retain(|other| !removed.contains(other));
                pairs.retain(|(other, _)| !removed.contains(other));
                removed.clear();
            }
            postings += 1;
            if postings > self.limits.max_postings {
                return None;
            }
            let position = probing.iter().position(|&word| word == change.word)?;
            let size = posting.key.len as usize;
            let needed = thresholds.min_shared(size, len);
            let at_most = (size - posting.position as usize).min(len - position);
            let bits = (posting.signature & slot.signature).count_ones() as usize + collisions;
            if at_most >= needed && bits >= needed && !candidates.contains(&posting.slot) {
                candidates.push(posting.slot);
                added.push(posting.slot);
            }
        }
        if !removed.is_empty() {
            candidates.retain(|other| !removed.contains(other));
            pairs.retain(|(other, _)| !removed.contains(other));
        }
        if candidates.len() > self.limits.max_compared {
            return None;
        }
        let f = slot.features.borrow();
        for other in added {
            let other_f = self.slot(other).features.borrow();
            if !has_overlap(f.words(), other_f.words(), thresholds.min_shared(len, other_f.words().len())) {
                continue;
            }
            if let Verdict::Near(similarity) = similarity::compare(f, other_f, thresholds.similarity) {
                pairs.push((other, similarity));
            }
        }
        // In visiting order, as `probe` returns them.
        candidates.sort_unstable_by_key(|&other| self.slot(other).key());
        pairs.sort_unstable_by_key(|&(other, _)| self.slot(other).key());
        let candidates: Box<[u32]> = candidates.into();
        Some((
            pairs,
            None,
            Some(Scan { candidates: candidates.clone(), postings: postings as u32 }),
            candidates,
        ))
    }
}

/// `true` when two sorted slices share at least `needed` values (stops as
/// soon as the answer is known).
pub(super) fn has_overlap<T: Ord>(a: &[T], b: &[T], needed: usize) -> bool {
    overlap_at_least(a, b, needed).is_some()
}

/// The number of values two sorted slices share, when it is at least
/// `needed` (stops as soon as it cannot be).
pub(super) fn overlap_at_least<T: Ord>(a: &[T], b: &[T], needed: usize) -> Option<usize> {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if shared + (a.len() - i).min(b.len() - j) < needed {
            return None;
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
    (shared >= needed).then_some(shared)
}

/// Takes `prober` out of a sentence's `named_by` (where a probe names each
/// sentence once; the order there does not matter, so the last takes its
/// place rather than all after it moving up: on the generated corpus a
/// sentence is named by hundreds).
fn forget(named_by: &mut Vec<u32>, prober: u32) {
    if let Some(at) = named_by.iter().position(|&p| p == prober) {
        named_by.swap_remove(at);
    }
}

thread_local! {
    /// The marks `Seen::dedup` uses, one set per probing thread.
    pub(super) static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
}

/// Which slots a probe has already listed: a stamp per slot, the probe's
/// stamp marking those it listed (no clearing between probes).
#[derive(Debug, Default)]
pub(super) struct Seen {
    stamp: u32,
    marks: Vec<u32>,
}

impl Seen {
    /// Keeps the first candidate of each slot (`slot_of`, below `slots`), in
    /// order.
    pub(super) fn dedup<T>(&mut self, candidates: &mut Vec<T>, slots: usize, slot_of: impl Fn(&T) -> u32) {
        if self.marks.len() < slots {
            self.marks.resize(slots, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.marks.fill(0);
            self.stamp = 1;
        }
        let (stamp, marks) = (self.stamp, &mut self.marks);
        candidates
            .retain(|candidate| std::mem::replace(&mut marks[slot_of(candidate) as usize], stamp) != stamp);
    }
}
