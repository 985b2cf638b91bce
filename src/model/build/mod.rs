//! Builds a `Document` from the text and its tree.
//!
//! - `tree`: the walk over one top-level node's syntax tree (`Builder`);
//! - `prose`: the sentences of its blocks, from its masked text;
//! - `unit`: one top-level node modelled, whole or by `pieces` (long blocks);
//! - `cache`, `splice`, `citations`: what the language server keeps across
//!   edits, so that an edit re-models only what it touched.

mod cache;
mod citations;
mod markdown;
mod pieces;
mod prose;
mod splice;
#[cfg(test)]
mod tests;
mod tree;
mod unit;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use cache::ModelCache;

use crate::model::citation::{self, CitationInput};
use crate::model::dates::{self, DateContext, DateValue};
use crate::model::front_matter::FrontMatter;
use crate::model::{Block, Cite, Document, Heading, LabelEntry, ModelConfig, Note, Reference, Sentence};
use crate::syntax::{Tree, kind};
use crate::text::TextRange;
use cache::{all_units, model_units};
use pieces::Piece;
use tree::Builder;

/// Models `text`. Each top-level node of the tree is modelled on its own
/// (its blocks, references, notes, sentences and raw date mentions), in
/// parallel, or taken from `cache` when a node with the same kind, shape and
/// bytes was modelled before (the language server keeps one cache per open
/// document, so an edit re-models only the nodes it touched). What spans
/// nodes — resolving years and relative dates, note citations, Ibids and the
/// label index — then runs over the whole document.
pub(super) fn build(
    text: Arc<str>,
    tree: &Tree,
    after_edit: bool,
    config: &ModelConfig,
    mut cache: Option<&mut ModelCache>,
) -> Document {
    let root = tree.root_node();

    // Front matter first: it sets the date order and the article's date,
    // which the scanning of every other node depends on. (A front matter
    // nested in another node, which only a broken document has, is found
    // with the parts; the parts are then scanned again in its context.)
    let mut front_matter = None;
    if let Some(unit) = root.named_child(0).filter(|unit| unit.kind() == kind::FRONT_MATTER) {
        let mut builder = Builder::new(&text);
        builder.visit_block(unit);
        front_matter = builder.front_matter.take();
    }
    let mut date_ctx = date_context(front_matter.as_ref(), config);
    // After an edit, only the nodes around it are read from the tree; the
    // others are the last model's (`ModelCache::units_after_edit`).
    let incremental = match cache.as_deref() {
        Some(cache) if after_edit && cache.ctx == Some(date_ctx) => cache.units_after_edit(&text, tree),
        _ => None,
    };
    let mut units = incremental.unwrap_or_else(|| all_units(root));
    let mut parts = model_units(&text, &units, &date_ctx, cache.as_deref_mut());
    if let Some(last) = parts
        .iter()
        .rev()
        .find_map(|(part, start)| Some(part.front_matter.as_ref()?.moved(part.origin, *start)))
        && front_matter.as_ref() != Some(&last)
    {
        front_matter = Some(last);
        let ctx = date_context(front_matter.as_ref(), config);
        if ctx != date_ctx {
            date_ctx = ctx;
            units = all_units(root);
            parts = model_units(&text, &units, &date_ctx, cache.as_deref_mut());
        }
    }
    let DateContext { order: date_order, article_date } = date_ctx;
    let citations = cache.map(|cache| &mut cache.citations);

    // Sized up front: grown push by push, the longest lists were copied
    // over and over after each edit.
    let total = |len: fn(&Part) -> usize| parts.iter().map(|(part, _)| len(part)).sum::<usize>();
    let mut headings = Vec::with_capacity(total(|part| part.headings.len()));
    let mut blocks = Vec::with_capacity(total(|part| part.blocks.len()));
    let mut references = Vec::with_capacity(total(|part| part.references.len()));
    let mut cites = Vec::with_capacity(total(|part| part.cites.len()));
    let mut notes = Vec::with_capacity(total(|part| part.notes.len()));
    let mut comments = Vec::with_capacity(total(|part| part.comments.len()));
    let mut code = Vec::with_capacity(total(|part| part.code.len()));
    let mut urls = Vec::with_capacity(total(|part| part.urls.len()));
    let mut sentences = Vec::with_capacity(total(|part| part.sentences.len()));
    let mut raw_dates = Vec::with_capacity(total(|part| part.dates.len()));
    // The parts stay shared with the cache: their elements are cloned (the
    // texts by a reference count) and moved to where the node now starts.
    for &(ref part, start) in &parts {
        let origin = part.origin;
        let mv =
            |range: TextRange| TextRange::new(range.start() - origin + start, range.end() - origin + start);
        let block_base = blocks.len() as u32;
        headings.extend(part.headings.iter().map(|h| Heading {
            range: mv(h.range),
            content: mv(h.content),
            ..h.clone()
        }));
        blocks.extend(part.blocks.iter().map(|b| Block { range: mv(b.range), content: mv(b.content), ..*b }));
        references.extend(part.references.iter().map(|r| Reference {
            range: mv(r.range),
            marker: mv(r.marker),
            ..r.clone()
        }));
        cites.extend(part.cites.iter().map(|c| c.moved(mv)));
        notes.extend(part.notes.iter().map(|n| Note {
            label_range: mv(n.label_range),
            range: mv(n.range),
            content: mv(n.content),
            ..n.clone()
        }));
        comments.extend(part.comments.iter().map(|&r| mv(r)));
        code.extend(part.code.iter().map(|&r| mv(r)));
        urls.extend(part.urls.iter().map(|&r| mv(r)));
        sentences.extend(part.sentences.iter().map(|s| Sentence {
            range: mv(s.range),
            block: s.block + block_base,
            ..s.clone()
        }));
        if origin == start {
            raw_dates.extend_from_slice(&part.dates);
        } else {
            raw_dates.extend(part.dates.iter().map(|raw| raw.moved(origin, start)));
        }
    }
    drop(parts);
    // Top-level nodes are disjoint and in order, and each part is sorted:
    // the concatenations are sorted.
    debug_assert!(references.is_sorted_by_key(|r| (r.marker.start(), r.range.start())));
    let mut dates = dates::resolve_raw(raw_dates, &date_ctx);
    markdown::tidy(markdown::Parts {
        text: &text,
        blocks: &mut blocks,
        sentences: &mut sentences,
        references: &mut references,
        notes: &mut notes,
        dates: &mut dates,
        code: &mut code,
        urls: &mut urls,
        comments: &comments,
    });

    // What each note's citation is read from: the first URL and the dates
    // in its content. Both lists are sorted by position: the first
    // candidate is found by binary search, not by a scan per note.
    let note_input = |note: &Note, note_dates: &mut Vec<(u32, TextRange, DateValue)>| {
        let url_idx = urls.partition_point(|url: &TextRange| url.start() < note.content.start());
        let first_url = urls.get(url_idx).copied().filter(|url| note.content.contains_range(*url));
        let first = dates.partition_point(|date| date.range.start() < note.content.start());
        let count = dates[first..].iter().take_while(|date| note.content.contains_range(date.range)).count();
        note_dates.clear();
        note_dates.extend(
            dates[first..first + count]
                .iter()
                .enumerate()
                .map(|(offset, date)| ((first + offset) as u32, date.range, date.value)),
        );
        (first_url, first as u32)
    };
    match citations {
        Some(cache) => {
            let mut note_dates = Vec::new();
            for note in &mut notes {
                let (first_url, first) = note_input(note, &mut note_dates);
                let input =
                    CitationInput { text: &text, content: note.content, first_url, dates: &note_dates };
                note.citation = cache.parse(&input, first);
            }
            cache.finish();
        }
        // Nothing to reuse (a check from scratch): the notes in parallel.
        None => notes.par_iter_mut().with_min_len(64).for_each_init(Vec::new, |note_dates, note| {
            let (first_url, _) = note_input(note, note_dates);
            let input = CitationInput { text: &text, content: note.content, first_url, dates: note_dates };
            note.citation = citation::parse(&input);
        }),
    }
    resolve_ibids(&mut notes);

    let mut labels: FxHashMap<Arc<str>, LabelEntry> = FxHashMap::default();
    for (idx, note) in notes.iter().enumerate() {
        labels.entry(note.label.clone()).or_default().notes.push(idx as u32);
    }
    for (idx, reference) in references.iter().enumerate() {
        labels.entry(reference.label.clone()).or_default().references.push(idx as u32);
    }

    let mut cite_keys: FxHashMap<Arc<str>, Vec<u32>> = FxHashMap::default();
    for (idx, cite) in cites.iter().enumerate() {
        cite_keys.entry(cite.key.clone()).or_default().push(idx as u32);
    }

    Document {
        line_index: std::sync::OnceLock::new(),
        text,
        front_matter,
        headings,
        blocks,
        sentences,
        references,
        notes,
        dates,
        cites,
        library: Arc::default(),
        comments,
        code,
        urls,
        article_date,
        date_order,
        labels,
        cite_keys,
    }
}

/// The date order and article date in force.
fn date_context(front_matter: Option<&FrontMatter>, config: &ModelConfig) -> DateContext {
    let order = front_matter
        .and_then(|fm| fm.get("date-order"))
        .and_then(|entry| dates::DateOrder::parse(&entry.value))
        .or(config.date_order)
        .unwrap_or_default();
    let article_date = front_matter
        .and_then(|fm| fm.get("date"))
        .and_then(|entry| dates::parse_standalone(&entry.value, order))
        .or(config.reference_date);
    DateContext { order, article_date }
}

/// The model of one top-level node, in document offsets from `origin` (its
/// start when it was modelled; `build` moves it to where the node is now).
#[derive(Debug, Clone, Default)]
struct Part {
    origin: usize,
    front_matter: Option<FrontMatter>,
    headings: Vec<Heading>,
    blocks: Vec<Block>,
    references: Vec<Reference>,
    cites: Vec<Cite>,
    /// Without citations (they need the resolved dates).
    notes: Vec<Note>,
    comments: Vec<TextRange>,
    code: Vec<TextRange>,
    urls: Vec<TextRange>,
    /// What `mask` blanked (sorted), for the next edit's splice
    /// (`splice_items`).
    masks: Vec<TextRange>,
    /// `block` counts from this part's first block.
    sentences: Vec<Sentence>,
    dates: Vec<dates::Raw>,
    /// The pieces of its long blocks (see `model_long_block`).
    pieces: Vec<Arc<Piece>>,
}

/// The key of a node's or a piece's bytes (XXH3: several times faster
/// than FxHash on the long paragraphs and pieces hashed after each edit).
fn hash(bytes: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes.as_bytes())
}

/// An Ibid note cites the source of the nearest note before it in the notes
/// list; a chain of Ibids leads back to the same source.
fn resolve_ibids(notes: &mut [Note]) {
    let mut source: Option<u32> = None;
    for (idx, note) in notes.iter_mut().enumerate() {
        if note.ibid {
            note.ibid_of = source;
        } else {
            source = Some(idx as u32);
        }
    }
}
