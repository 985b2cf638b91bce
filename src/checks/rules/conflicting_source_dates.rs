//! AAM205 `conflicting-source-dates`: two notes citing the same source with
//! different dates.

use std::cmp::Ordering;

use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::dates::prose;
use crate::model::{Citation, Note, label};

/// ## What it does
/// Flags a note that cites the same source as an earlier note — the same
/// URL (ignoring the scheme, `www.`, a trailing `/` and a `#fragment`), or
/// the same quoted title and publisher (case, spacing and punctuation
/// ignored; a title of at least four words also matches a note without a
/// publisher) — but gives it a different date. Dates of different
/// precision agree when they agree at the coarser one (`2023` and `June 25,
/// 2023`). `Ibid` notes repeat their source's date and are not compared.
///
/// Entries of the bibliography that the article cites (`[@key]`) count as
/// notes: an entry with the same URL or DOI link, or the same title and
/// publisher (or journal), as a note or an earlier cited entry, but another
/// date, is flagged at its first citation.
///
/// ## Why is this bad?
/// One source has one publication date; two dates for it mean one citation
/// is wrong, and the date checks of AAM203 depend on it.
///
/// ## Example
/// ```text
/// [1] “China, Russia should defend common interests”, TASS, June 25, 2023
/// [4] “China, Russia should defend common interests”, TASS, June 26, 2023
/// ```
///
/// ## Fix
/// Check the source and correct the wrong date (or reuse the first note).
pub(crate) const RULE: Rule = Rule {
    code: "AAM205",
    name: "conflicting-source-dates",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "two notes citing the same source with different dates",
    check,
    source: include_str!("conflicting_source_dates.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let mut cache = ctx.dates.source_keys.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.run += 1;
    let keyed: Vec<(&Note, Arc<Key>)> =
        doc.notes.iter().filter(|note| !note.ibid).map(|note| (note, cache.key(&note.citation))).collect();
    cache.forget_unused();
    drop(cache);
    // Earlier notes by URL and by title. Each group keeps only the first note
    // of every distinct (date, publisher): the earliest earlier note that is
    // the same source with another date always has such a representative at
    // or before it, so the answer is the same as comparing every pair, at a
    // cost bounded per note (the notes list of a book repeats its sources
    // thousands of times).
    let mut by_url: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut by_title: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (later_idx, (later, later_key)) in keyed.iter().enumerate() {
        let (Some(later_value), Some(later_range)) = (later.citation.date_value, later.citation.date_range)
        else {
            continue;
        };
        let url_group = later_key.url.as_deref().and_then(|url| by_url.get(url));
        let title_group = later_key.title.as_deref().and_then(|title| by_title.get(title));
        let found = url_group
            .into_iter()
            .chain(title_group)
            .flatten()
            .copied()
            .filter_map(|earlier_idx| {
                let (earlier, earlier_key) = &keyed[earlier_idx];
                let earlier_value = earlier.citation.date_value?;
                let how = earlier_key.same_source(later_key)?;
                let differs = earlier_value.cmp_coarse(&later_value).is_some_and(|o| o != Ordering::Equal);
                differs.then_some((earlier_idx, how))
            })
            .min_by_key(|(earlier_idx, _)| *earlier_idx);
        if let Some((earlier_idx, how)) = found {
            let earlier = keyed[earlier_idx].0;
            let earlier_value = earlier.citation.date_value.unwrap_or(later_value);
            let earlier_range = earlier.citation.date_range.unwrap_or(later_range);
            let message = format!(
                "note {} cites the same source as note {} ({how}) with another date: {}, not {}",
                label::marker(&later.label),
                label::marker(&earlier.label),
                prose(&later_value),
                prose(&earlier_value)
            );
            acc.push(Diagnostic::new(&RULE, later_range, message).with_related(
                earlier_range,
                format!("date of the same source in note {}", label::marker(&earlier.label)),
            ));
        }
        let is_new = |group: &Vec<usize>| {
            group.len() < MAX_REPRESENTATIVES
                && !group.iter().any(|&idx| {
                    let (note, key) = &keyed[idx];
                    note.citation.date_value == Some(later_value) && key.publisher == later_key.publisher
                })
        };
        if let Some(url) = later_key.url.as_deref() {
            let group = by_url.entry(url).or_default();
            if is_new(group) {
                group.push(later_idx);
            }
        }
        if let Some(title) = later_key.title.as_deref() {
            let group = by_title.entry(title).or_default();
            if is_new(group) {
                group.push(later_idx);
            }
        }
    }
    check_entries(ctx.doc, &keyed, acc);
}

/// The cited bibliography entries against the notes and each other.
fn check_entries(doc: &crate::model::Document, notes: &[(&Note, Arc<Key>)], acc: &mut Vec<Diagnostic>) {
    if doc.cites.is_empty() || doc.library.is_empty() {
        return;
    }
    let mut seen: Vec<(&crate::model::Cite, crate::model::dates::DateValue, Key)> = Vec::new();
    for cite in &doc.cites {
        if seen.iter().any(|(earlier, _, _)| earlier.key == cite.key) {
            continue;
        }
        let Some((_, entry)) = doc.library.get(&cite.key) else { continue };
        let Some(value) = entry.date.filter(|value| value.precision().is_some()) else { continue };
        let citation = Citation {
            title: entry.title.as_deref().map(Arc::from),
            publisher: entry.publisher.as_deref().or(entry.container.as_deref()).map(Arc::from),
            url: entry.link().map(Arc::from),
            ..Citation::default()
        };
        let key = Key::of(&citation);
        let differs = |other: &crate::model::dates::DateValue| {
            other.cmp_coarse(&value).is_some_and(|o| o != Ordering::Equal)
        };
        let note = notes.iter().find_map(|(note, note_key)| {
            let note_value = note.citation.date_value?;
            let how = note_key.same_source(&key)?;
            differs(&note_value).then_some((note, note_value, how))
        });
        if let Some((note, note_value, how)) = note {
            let message = format!(
                "`@{}` cites the same source as note {} ({how}) with another date: {}, not {}",
                cite.key,
                label::marker(&note.label),
                prose(&value),
                prose(&note_value)
            );
            let related = note.citation.date_range.unwrap_or(note.label_range);
            acc.push(Diagnostic::new(&RULE, cite.range, message).with_related(
                related,
                format!("date of the same source in note {}", label::marker(&note.label)),
            ));
        } else if let Some((earlier, earlier_value, how)) =
            seen.iter().find_map(|(earlier, earlier_value, earlier_key)| {
                let how = earlier_key.same_source(&key)?;
                differs(earlier_value).then_some((earlier, earlier_value, how))
            })
        {
            let message = format!(
                "`@{}` cites the same source as `@{}` ({how}) with another date: {}, not {}",
                cite.key,
                earlier.key,
                prose(&value),
                prose(earlier_value)
            );
            acc.push(
                Diagnostic::new(&RULE, cite.range, message)
                    .with_related(earlier.range, format!("`@{}` is cited here", earlier.key)),
            );
        }
        seen.push((cite, value, key));
    }
}

/// Distinct (date, publisher) pairs remembered per URL or title.
/// The source keys of notes, by the citation parts they are made of, kept
/// across runs on one document (normalising them was most of the rule's
/// cost, and an edit changes one note at most).
#[derive(Debug, Default)]
pub(crate) struct SourceKeyCache {
    keys: FxHashMap<u64, Vec<CachedKey>>,
    run: u64,
}

#[derive(Debug)]
struct CachedKey {
    url: Option<Arc<str>>,
    title: Option<Arc<str>>,
    publisher: Option<Arc<str>>,
    key: Arc<Key>,
    run: u64,
}

impl SourceKeyCache {
    fn key(&mut self, citation: &Citation) -> Arc<Key> {
        let parts = (citation.url.as_deref(), citation.title.as_deref(), citation.publisher.as_deref());
        let hash = BuildHasherDefault::<FxHasher>::default().hash_one(parts);
        let entries = self.keys.entry(hash).or_default();
        if let Some(entry) = entries
            .iter_mut()
            .find(|entry| (entry.url.as_deref(), entry.title.as_deref(), entry.publisher.as_deref()) == parts)
        {
            entry.run = self.run;
            return entry.key.clone();
        }
        let key = Arc::new(Key::of(citation));
        entries.push(CachedKey {
            url: citation.url.clone(),
            title: citation.title.clone(),
            publisher: citation.publisher.clone(),
            key: key.clone(),
            run: self.run,
        });
        key
    }

    /// Drops the keys the latest run did not use.
    fn forget_unused(&mut self) {
        super::retain_run(&mut self.keys, self.run, |entry| entry.run);
    }
}

const MAX_REPRESENTATIVES: usize = 32;

/// What identifies a note's source.
#[derive(Debug)]
struct Key {
    url: Option<String>,
    title: Option<String>,
    title_words: usize,
    publisher: Option<String>,
}

impl Key {
    fn of(citation: &Citation) -> Key {
        let title = citation.title.as_deref().map(normalise).filter(|t| !t.is_empty());
        Key {
            url: citation.url.as_deref().map(normalise_url).filter(|u| !u.is_empty()),
            title_words: title.as_deref().map_or(0, |t| t.split(' ').count()),
            title,
            publisher: citation.publisher.as_deref().map(normalise).filter(|p| !p.is_empty()),
        }
    }

    /// How `self` and `other` are the same source, if they are.
    fn same_source(&self, other: &Key) -> Option<&'static str> {
        if self.url.is_some() && self.url == other.url {
            return Some("same URL");
        }
        if self.title.is_none() || self.title != other.title {
            return None;
        }
        match (&self.publisher, &other.publisher) {
            (Some(a), Some(b)) if a == b => Some("same title and publisher"),
            (Some(_), Some(_)) => None,
            _ if self.title_words >= 4 => Some("same title"),
            _ => None,
        }
    }
}

/// Lowercase letters and digits, single spaces.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // One pass, ASCII first (titles are mostly ASCII around curly quotes).
    let mut gap = false;
    for c in text.chars() {
        let alphanumeric = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if !alphanumeric {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn normalise_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once('#').map_or(url, |(base, _)| base);
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (host, path) = url.split_once('/').unwrap_or((url, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    format!("{host}/{}", path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_loosely() {
        assert_eq!(
            normalise_url("https://www.Example.org/a/b/#top"),
            normalise_url("http://example.org/a/b")
        );
        assert_ne!(normalise_url("https://example.org/a?x=1"), normalise_url("https://example.org/a?x=2"));
        assert_eq!(normalise("“China, Russia” talks"), "china russia talks");
        assert_eq!(normalise("  China, Russia -- Talks 2023! "), "china russia talks 2023");
        assert_eq!(normalise("...,"), "");
    }

    /// The one-pass normalisation gives the words, lowercased, joined by
    /// single spaces.
    #[test]
    fn ascii_normalisation_equals_the_general_one() {
        fn general(text: &str) -> String {
            let words: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                .collect();
            words.join(" ")
        }
        for text in [
            "",
            " ",
            "a",
            "A b",
            "--x--y--",
            "The Harbour Report, 2nd ed. (2023)",
            "  lead  trail  ",
            "UN/EU-talks",
        ] {
            assert_eq!(normalise(text), general(text), "{text:?}");
        }
    }
}
