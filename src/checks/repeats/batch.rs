//! The prefix-filtering self-join computed in one go, for a run that keeps
//! nothing for the next one (`check`, `aam check`).
//!
//! It computes exactly what a fresh `JoinState` computes (a test checks it,
//! with the limits reached): the same word order (rarest first by the
//! number of sentences that have the word, then by id), the same visiting
//! order (by size, then reading order), the same filing and probing words,
//! the same id-based signatures, and the same candidates under the limits.
//! Only the representation differs: words become dense ranks in one flat
//! array, posting lists are vectors by rank with the start of each size,
//! and the probes, independent of each other, run in parallel.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Limits;
use super::features::{Features, WordId};
use super::index::Thresholds;
use super::similarity::{self, Verdict};

/// The batch self-join over the first occurrences of the keys.
pub(super) struct Join<'a> {
    thresholds: Thresholds,
    limits: Limits,
    /// `(sentence index, features)` in visiting order: by size, then index.
    visits: Vec<(u32, &'a Features)>,
    /// Ranks of each visit's words, sorted: `ranks[starts[v]..starts[v + 1]]`.
    ranks: Vec<u32>,
    starts: Vec<u32>,
    /// Each visit's signature (of its word ids).
    signatures: Vec<u64>,
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

impl<'a> Join<'a> {
    /// `firsts`: `(sentence index, features)` of the first occurrence of
    /// each key, in reading order, all comparable.
    pub(super) fn new(firsts: &[(u32, &'a Features)], thresholds: Thresholds, limits: Limits) -> Join<'a> {
        let mut visits = firsts.to_vec();
        visits.sort_unstable_by_key(|&(idx, f)| (f.words().len(), idx));
        // Dense ids in order of first sight, and the count of each.
        let total: usize = visits.iter().map(|(_, f)| f.words().len()).sum();
        let mut dense_of: FxHashMap<WordId, u32> = FxHashMap::default();
        let mut words: Vec<(u32, WordId)> = Vec::new();
        let mut ranks: Vec<u32> = Vec::with_capacity(total);
        let mut starts: Vec<u32> = Vec::with_capacity(visits.len() + 1);
        for &(_, f) in &visits {
            starts.push(ranks.len() as u32);
            for &word in f.words() {
                let dense = *dense_of.entry(word).or_insert_with(|| {
                    words.push((0, word));
                    (words.len() - 1) as u32
                });
                words[dense as usize].0 += 1;
                ranks.push(dense);
            }
        }
        starts.push(ranks.len() as u32);
        drop(dense_of);
        // Rank: rarest first, then by id (the order `JoinState` keeps).
        let mut by_rank: Vec<u32> = (0..words.len() as u32).collect();
        by_rank.sort_unstable_by_key(|&dense| words[dense as usize]);
        let mut rank_of = vec![0u32; words.len()];
        for (rank, &dense) in by_rank.iter().enumerate() {
            rank_of[dense as usize] = rank as u32;
        }
        drop(by_rank);
        drop(words);
        let signatures: Vec<u64> = visits.iter().map(|(_, f)| f.signature()).collect();
        // Each visit's words as ranks, sorted (in parallel).
        let mut own_ranks: Vec<&mut [u32]> = Vec::with_capacity(visits.len());
        let mut rest = ranks.as_mut_slice();
        for pair in starts.windows(2) {
            let (own, after) = rest.split_at_mut((pair[1] - pair[0]) as usize);
            own_ranks.push(own);
            rest = after;
        }
        own_ranks.par_iter_mut().with_min_len(1024).for_each(|own| {
            for rank in own.iter_mut() {
                *rank = rank_of[*rank as usize];
            }
            own.sort_unstable();
        });
        drop(own_ranks);
        let mut postings: Vec<PostingList> = vec![PostingList::default(); rank_of.len()];
        for visit in 0..visits.len() {
            let own = &ranks[starts[visit] as usize..starts[visit + 1] as usize];
            let len = own.len();
            let signature = signatures[visit];
            for (position, &rank) in own[..thresholds.prefix_len_for_longer(len)].iter().enumerate() {
                postings[rank as usize]
                    .push(len, Posting { visit: visit as u32, position: position as u32, signature });
            }
        }
        Join { thresholds, limits, visits, ranks, starts, signatures, postings }
    }

    fn words(&self, visit: usize) -> &[u32] {
        &self.ranks[self.starts[visit] as usize..self.starts[visit + 1] as usize]
    }

    /// `(earlier, later, similarity)` for each near pair, in no particular
    /// order.
    pub(super) fn run(&self) -> Vec<(u32, u32, f64)> {
        (0..self.visits.len())
            .into_par_iter()
            .with_min_len(1024)
            .fold(
                || (Vec::new(), Vec::new()),
                |(mut pairs, mut candidates), visit| {
                    self.probe(visit, &mut candidates, &mut pairs);
                    (pairs, candidates)
                },
            )
            .map(|(pairs, _)| pairs)
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            })
    }

    /// Appends `(earlier, later, similarity)` for each near duplicate of
    /// `visit` among the visits before it (`candidates` is scratch space).
    fn probe(&self, visit: usize, candidates: &mut Vec<(u32, u32)>, out: &mut Vec<(u32, u32, f64)>) {
        let thresholds = self.thresholds;
        let words = self.words(visit);
        let len = words.len();
        let (min_size, _) = thresholds.size_bounds(len);
        let own_signature = self.signatures[visit];
        // Words of this sentence whose bit another of its words already set.
        let collisions = len - own_signature.count_ones() as usize;
        candidates.clear();
        let mut scanned = 0usize;
        'words: for (position, &rank) in words[..thresholds.prefix_len(len)].iter().enumerate() {
            let list = &self.postings[rank as usize];
            // A partner whose first shared word is this one shares at most
            // `len − position` words: that bounds its size from above.
            let max_size = thresholds.max_partner_size(len, position);
            // Positional filter: the shared words come at or after this one
            // in both sentences.
            let room = len - position;
            'sizes: for (size, entries) in list.sizes(min_size, max_size) {
                let needed = thresholds.min_shared(size, len);
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
        // A visit read under two words is one candidate (with the same
        // bits). Deduplicated by marks, not by a sort of up to
        // `max_postings` candidates: the few kept are sorted below.
        super::join::SEEN
            .with_borrow_mut(|seen| seen.dedup(candidates, self.visits.len(), |&(other, _)| other));
        if candidates.len() > self.limits.max_compared {
            // A document that says the same thing hundreds of times (a
            // generated corpus, a template) would make this loop quadratic:
            // compare only the candidates sharing the most signature bits
            // (the earliest visits of equals, as `JoinState` picks).
            candidates.select_nth_unstable_by_key(self.limits.max_compared, |&(other, bits)| {
                (std::cmp::Reverse(bits), other)
            });
            candidates.truncate(self.limits.max_compared);
        }
        candidates.sort_unstable();
        let (idx, f) = self.visits[visit];
        for &(other, _) in candidates.iter() {
            let other_words = self.words(other as usize);
            // `JoinState` compares the candidates that pass `has_overlap`
            // with `similarity::compare`; this is the same test, reading
            // the overlap from the ranks (a bijection of the ids) and the
            // features only for the pairs at or above the threshold.
            let needed = thresholds.min_shared(len, other_words.len());
            let Some(shared) = super::join::overlap_at_least(words, other_words, needed) else { continue };
            let (other_idx, other_f) = self.visits[other as usize];
            let similarity = similarity::score(shared, len, other_words.len());
            if similarity > 0.0
                && similarity >= thresholds.similarity
                && f.key() != other_f.key()
                && similarity::conflict(f, other_f).is_none()
            {
                debug_assert_eq!(
                    similarity::compare(f, other_f, thresholds.similarity),
                    Verdict::Near(similarity)
                );
                out.push((idx.min(other_idx), idx.max(other_idx), similarity));
            } else {
                debug_assert!(!matches!(
                    similarity::compare(f, other_f, thresholds.similarity),
                    Verdict::Near(_)
                ));
            }
        }
    }
}
