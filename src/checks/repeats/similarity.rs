//! Comparing two sentences' features: similarity of their content words, and
//! the differences in fact that make two similar sentences different claims.

use super::features::{Features, WordId};

/// How one sentence relates to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// The same sentence after normalisation (AAM101).
    Exact,
    /// Close enough: the similarity, at or above the threshold (AAM102).
    Near(f64),
    /// Below the threshold, or a different fact.
    Different,
}

/// Why two sentences with similar words say different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Each has a number, date, amount or name that the other lacks.
    Facts,
    /// One is negated and the other not (`did` / `did not`).
    Negation,
    /// One has a word where the other has its opposite (`rose` / `fell`).
    Opposites,
}

/// How much a difference in length counts against similarity, per word,
/// against 1 for a word swapped. See `similarity`.
pub const LENGTH_WEIGHT: f64 = 0.25;

/// The similarity of two sentences' content words, 0 to 1:
///
/// ```text
/// shared / (shorter + LENGTH_WEIGHT · (longer − shorter))
/// ```
///
/// where `shared` is the number of stems the sentences have in common and
/// `shorter`, `longer` their numbers of stems. A word swapped costs a full
/// word; a word one sentence adds costs a quarter, so a sentence that
/// restates another with a clause added is still close to it. (With a weight
/// of ½ this is the Dice coefficient, which scores the seed article's pair,
/// 5 shared stems of 5 and 9, at 0.71; this scores it 0.83.)
pub fn similarity(a: &Features, b: &Features) -> f64 {
    score(overlap(a.words(), b.words()), a.words().len(), b.words().len())
}

/// The similarity from the overlap and the two set sizes.
pub fn score(overlap: usize, len_a: usize, len_b: usize) -> f64 {
    let (shorter, longer) = (len_a.min(len_b) as f64, len_a.max(len_b) as f64);
    if shorter == 0.0 {
        return 0.0;
    }
    overlap as f64 / (shorter + LENGTH_WEIGHT * (longer - shorter))
}

/// The number of ids two sorted, deduplicated slices share.
pub fn overlap(a: &[WordId], b: &[WordId]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The difference in fact between two sentences, if any.
///
/// Facts conflict when *each* sentence has a fact the other lacks
/// (`5%`/`7%`, `2021`/`2022`, `Beijing`/`Moscow`); a sentence that only adds
/// a fact to the other restates it. Sentence-initial words count as words,
/// not names: "Russia and China …" and "China and Russia …" name the same
/// countries.
pub fn conflict(a: &Features, b: &Features) -> Option<Conflict> {
    if a.negations() != b.negations() {
        return Some(Conflict::Negation);
    }
    if has_missing(a, b) && has_missing(b, a) {
        return Some(Conflict::Facts);
    }
    if turns_around(a, b) || turns_around(b, a) {
        return Some(Conflict::Opposites);
    }
    None
}

/// Compares a sentence with an earlier one. `threshold` is the minimum
/// similarity of a near-duplicate; sentences with no word in common are
/// never near-duplicates, whatever the threshold.
pub fn compare(later: &Features, earlier: &Features, threshold: f64) -> Verdict {
    if later.key() == earlier.key() {
        return Verdict::Exact;
    }
    let similarity = similarity(later, earlier);
    if similarity <= 0.0 || similarity < threshold || conflict(later, earlier).is_some() {
        return Verdict::Different;
    }
    Verdict::Near(similarity)
}

/// `true` when `a` has a fact missing from `b`'s words. A fact whose bit
/// `b`'s signature lacks is missing without a search.
fn has_missing(a: &Features, b: &Features) -> bool {
    a.facts().iter().any(|&fact| !b.may_have(fact) || b.words().binary_search(&fact).is_err())
}

/// `true` when `a` has a word whose opposite `b` has instead.
fn turns_around(a: &Features, b: &Features) -> bool {
    a.opposites().iter().any(|&(word, opposite)| {
        b.may_have(opposite)
            && b.words().binary_search(&opposite).is_ok()
            && !(b.may_have(word) && b.words().binary_search(&word).is_ok())
            && !(a.may_have(opposite) && a.words().binary_search(&opposite).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(a: &str, b: &str) -> Verdict {
        compare(&Features::of(a), &Features::of(b), 0.8)
    }

    #[test]
    fn seed_pair_is_near() {
        let a = Features::of("Russia and China have a long history of good relations.");
        let b = Features::of("China and Russia have had a long history of relations.");
        assert_eq!(conflict(&b, &a), None);
        // 5 shared stems of 6 and 5.
        assert!((similarity(&a, &b) - 5.0 / 5.25).abs() < 1e-9);
    }

    #[test]
    fn exact_after_normalisation() {
        assert_eq!(
            verdict("“Exports rose,” sharply in 2021.", "\"exports ROSE\" sharply in 2021"),
            Verdict::Exact
        );
    }

    #[test]
    fn different_facts() {
        let a = Features::of("Exports rose 5% in 2021 across the region.");
        let b = Features::of("Exports rose 7% in 2022 across the region.");
        assert_eq!(conflict(&a, &b), Some(Conflict::Facts));
        assert_eq!(
            verdict("The minister did visit the new plant.", "The minister did not visit the new plant."),
            Verdict::Different
        );
        let rose = Features::of("Exports to the region rose sharply last year.");
        let fell = Features::of("Exports to the region fell sharply last year.");
        assert_eq!(conflict(&rose, &fell), Some(Conflict::Opposites));
    }

    #[test]
    fn an_added_fact_is_a_restatement() {
        let a = Features::of("The treaty on border cooperation was signed by both countries.");
        let b = Features::of("The treaty on border cooperation was signed by both countries in 2001.");
        assert_eq!(conflict(&a, &b), None);
    }
}
