//! Note citations kept across edits, by what they are read from.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::hash;
use crate::model::citation::{self, Citation, CitationInput};
use crate::model::dates::DateValue;
use crate::text::TextRange;

/// Note citations by what they are read from (see `CitationCache::parse`).
///
/// One entry per hash: of two different notes with the same hash (which
/// only a collision gives), the second is read afresh each time.
#[derive(Debug, Default)]
pub(super) struct CitationCache {
    /// By hash of the note's content.
    pub(super) entries: FxHashMap<u64, Arc<CachedCitation>>,
    /// The entries used by this build, kept by `finish`.
    pub(super) used: FxHashMap<u64, Arc<CachedCitation>>,
}

/// A citation with its ranges from the note's content start and its date
/// index from the note's first date.
#[derive(Debug)]
pub(super) struct CachedCitation {
    pub(super) content: Box<str>,
    pub(super) first_url: Option<TextRange>,
    pub(super) dates: Vec<(TextRange, DateValue)>,
    pub(super) citation: Citation,
}

impl CitationCache {
    /// `citation::parse(input)`, from the cache when a note with the same
    /// content, first URL and dates (all from the content's start) was read
    /// before. `first_date` is the index of the note's first date.
    pub(super) fn parse(&mut self, input: &CitationInput<'_>, first_date: u32) -> Citation {
        let base = input.content.start();
        let local = |range: TextRange| TextRange::new(range.start() - base, range.end() - base);
        let content = input.text.get(input.content.as_range()).unwrap_or("");
        let first_url = input.first_url.map(local);
        let key = hash(content);
        let same = |entry: &CachedCitation| {
            *entry.content == *content
                && entry.first_url == first_url
                && entry.dates.len() == input.dates.len()
                && entry
                    .dates
                    .iter()
                    .zip(input.dates)
                    .all(|(&(range, value), &(_, at, found))| range == local(at) && value == found)
        };
        let found =
            self.used.get(&key).or_else(|| self.entries.get(&key)).filter(|entry| same(entry)).cloned();
        let entry = match found {
            Some(entry) => entry,
            None => {
                let citation = citation::parse(input);
                Arc::new(CachedCitation {
                    content: content.into(),
                    first_url,
                    dates: input.dates.iter().map(|&(_, range, value)| (local(range), value)).collect(),
                    citation: Citation {
                        date: citation.date.map(|idx| idx - first_date),
                        date_range: citation.date_range.map(local),
                        url_range: citation.url_range.map(local),
                        ..citation
                    },
                })
            }
        };
        let moved = |range: TextRange| TextRange::new(range.start() + base, range.end() + base);
        let citation = Citation {
            date: entry.citation.date.map(|idx| idx + first_date),
            date_range: entry.citation.date_range.map(moved),
            url_range: entry.citation.url_range.map(moved),
            ..entry.citation.clone()
        };
        self.used.entry(key).or_insert(entry);
        citation
    }

    /// Keeps the entries this build used, for the next (and the maps'
    /// memory, so that a build allocates only for what is new).
    pub(super) fn finish(&mut self) {
        std::mem::swap(&mut self.entries, &mut self.used);
        self.used.clear();
    }
}
