//! Builds a `Document` from the text and its tree.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::citation::{self, Citation, CitationInput};
use rayon::prelude::*;

use crate::model::dates::{self, DateContext, DateValue};
use crate::model::front_matter::{self, FrontMatter, FrontMatterEntry};
use crate::model::{
    Block, BlockKind, Document, Heading, LabelEntry, ModelConfig, Note, Reference, Sentence, label, sentences,
};
use crate::syntax::{Node, Tree, kind};
use crate::text::TextRange;

/// Numbers a range like `[2-4]` expands to at most; longer ranges keep their
/// two ends only (a typo like `[1-99999]` must not allocate millions).
const MAX_RANGE_EXPANSION: u64 = 500;

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
    let dates = dates::resolve_raw(raw_dates, &date_ctx);

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
        comments,
        code,
        urls,
        article_date,
        date_order,
        labels,
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

/// Parts of the model kept across edits of one document (see `build`).
#[derive(Debug, Default)]
pub struct ModelCache {
    /// The date context the parts were scanned with.
    ctx: Option<DateContext>,
    /// By hash of the node's bytes.
    parts: FxHashMap<u64, Arc<CachedPart>>,
    /// The last model's nodes by start, and its text's length.
    last: Vec<(usize, Arc<CachedPart>)>,
    last_len: usize,
    /// The pieces of long blocks, by hash of their masked bytes.
    pieces: Pieces,
    citations: CitationCache,
}

/// Note citations by what they are read from (see `CitationCache::parse`).
///
/// One entry per hash: of two different notes with the same hash (which
/// only a collision gives), the second is read afresh each time.
#[derive(Debug, Default)]
struct CitationCache {
    /// By hash of the note's content.
    entries: FxHashMap<u64, Arc<CachedCitation>>,
    /// The entries used by this build, kept by `finish`.
    used: FxHashMap<u64, Arc<CachedCitation>>,
}

/// A citation with its ranges from the note's content start and its date
/// index from the note's first date.
#[derive(Debug)]
struct CachedCitation {
    content: Box<str>,
    first_url: Option<TextRange>,
    dates: Vec<(TextRange, DateValue)>,
    citation: Citation,
}

impl CitationCache {
    /// `citation::parse(input)`, from the cache when a note with the same
    /// content, first URL and dates (all from the content's start) was read
    /// before. `first_date` is the index of the note's first date.
    fn parse(&mut self, input: &CitationInput<'_>, first_date: u32) -> Citation {
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
    fn finish(&mut self) {
        std::mem::swap(&mut self.entries, &mut self.used);
        self.used.clear();
    }
}

type Pieces = FxHashMap<u64, Vec<Arc<Piece>>>;

#[derive(Debug)]
struct CachedPart {
    /// The hash of `text`.
    key: u64,
    kind_id: u16,
    descendants: usize,
    text: Box<str>,
    part: Arc<Part>,
}

impl ModelCache {
    /// How many parts are kept.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// A top-level node: from the tree, or, after an edit, one of the last
/// model's that the edit left alone (then the tree is not read there).
#[derive(Debug, Clone)]
enum TopLevel<'tree> {
    Node(Node<'tree>),
    Kept { start: usize, entry: Arc<CachedPart> },
}

impl TopLevel<'_> {
    fn start(&self) -> usize {
        match self {
            TopLevel::Node(node) => node.start_byte(),
            TopLevel::Kept { start, .. } => *start,
        }
    }
}

/// Every top-level node of the tree.
fn all_units(root: Node<'_>) -> Vec<TopLevel<'_>> {
    let mut cursor = root.walk();
    root.named_children(&mut cursor).map(TopLevel::Node).collect()
}

impl ModelCache {
    /// The top-level nodes of `tree`, the tree of an edited version of a
    /// text this cache modelled last: the nodes around the edits read from
    /// the tree, the others taken from the last model, moved by the change
    /// in length. `None` when that cannot be told safely; then every node
    /// is read from the tree.
    ///
    /// The last model's nodes whose bytes stand unchanged before the first
    /// changed one (at the same offsets) or after the last one (moved), but
    /// one on each side, are kept. The tree must have a node that starts
    /// exactly where the first node not kept did, nodes that end before
    /// the first kept after the edit, and that one, the same. A node's
    /// extent depends on what follows it up to the next node at most,
    /// except a front matter, which needs its closing line anywhere after
    /// (one closed or opened by the edit spans the edit, so it starts
    /// before the nodes read and is caught there; the tree's first node is
    /// also compared with the last model's, as a cheap second guard).
    fn units_after_edit<'tree>(&self, text: &str, tree: &'tree Tree) -> Option<Vec<TopLevel<'tree>>> {
        let last = &self.last;
        let len = last.len();
        if len == 0 {
            return None;
        }
        let shift = text.len() as isize - self.last_len as isize;
        let same_at = |idx: usize, start: usize| {
            text.get(start..start + last[idx].1.text.len()) == Some(&*last[idx].1.text)
        };
        // Old nodes [first, end) are replaced: those before stand where they
        // were, those after moved by `shift`.
        let mut first = 0;
        while first < len && same_at(first, last[first].0) {
            first += 1;
        }
        let mut end = len;
        while end > first
            && last[end - 1].0.checked_add_signed(shift).is_some_and(|start| same_at(end - 1, start))
        {
            end -= 1;
        }
        let first = first.saturating_sub(1);
        let end = (end + 1).min(len);
        // The tree's nodes from the start of the first node not kept (which
        // stands where it was: it is the one more on that side) to the
        // start of the first kept after it. The cursor is put on a node
        // that starts exactly there (`goto_first_child_for_byte` gives up
        // when a hidden node reaches past the byte but none of its
        // children do).
        let window_start = if first == 0 { 0 } else { last[first].0 };
        let window_end = if end == len { text.len() } else { last[end].0.checked_add_signed(shift)? };
        let root = tree.root_node();
        if first > 0 {
            let node = root.named_child(0)?;
            let (start, entry) = &last[0];
            let same = node.start_byte() == *start
                && node.kind_id() == entry.kind_id
                && node.byte_range().len() == entry.text.len()
                && node.descendant_count() == entry.descendants;
            if !same {
                return None;
            }
        }
        let mut cursor = root.walk();
        let positioned = if first == 0 {
            cursor.goto_first_child()
        } else {
            cursor.goto_first_child_for_byte(window_start).is_some()
        };
        if !positioned && (first > 0 || !text.is_empty()) {
            return None;
        }
        let mut nodes = Vec::new();
        let mut after = None;
        if positioned {
            loop {
                let node = cursor.node();
                if node.is_named() {
                    if node.start_byte() < window_start {
                        return None;
                    }
                    if node.start_byte() >= window_end {
                        after = Some(node);
                        break;
                    }
                    if node.end_byte() > window_end {
                        return None;
                    }
                    nodes.push(TopLevel::Node(node));
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        if first > 0 && nodes.first().is_none_or(|node| node.start() != window_start) {
            return None;
        }
        match (after, last.get(end)) {
            (None, None) => {}
            (Some(node), Some((_, entry))) => {
                let same = node.start_byte() == window_end
                    && node.kind_id() == entry.kind_id
                    && node.byte_range().len() == entry.text.len()
                    && node.descendant_count() == entry.descendants;
                if !same {
                    return None;
                }
            }
            _ => return None,
        }
        let mut units = Vec::with_capacity(first + nodes.len() + (len - end));
        units.extend(
            last[..first].iter().map(|(start, entry)| TopLevel::Kept { start: *start, entry: entry.clone() }),
        );
        units.extend(nodes);
        for (start, entry) in &last[end..] {
            units.push(TopLevel::Kept { start: start.checked_add_signed(shift)?, entry: entry.clone() });
        }
        Some(units)
    }
}

/// The parts of `units`: from `cache` where it has them, the rest modelled
/// in parallel. The cache then keeps exactly these parts.
fn model_units(
    text: &str,
    units: &[TopLevel<'_>],
    ctx: &DateContext,
    cache: Option<&mut ModelCache>,
) -> Vec<(Arc<Part>, usize)> {
    let Some(cache) = cache else {
        return units
            .par_iter()
            .with_min_len(64)
            .map(|unit| match unit {
                TopLevel::Node(node) => {
                    (Arc::new(model_unit(text, *node, ctx, None, None)), node.start_byte())
                }
                TopLevel::Kept { start, entry } => (entry.part.clone(), *start),
            })
            .collect();
    };
    if cache.ctx != Some(*ctx) {
        debug_assert!(
            units.iter().all(|unit| matches!(unit, TopLevel::Node(_))),
            "kept parts of another context"
        );
        cache.parts.clear();
        cache.last.clear();
        cache.pieces.clear();
        cache.ctx = Some(*ctx);
    }
    // Most nodes are where they were, or moved by the edit's length change:
    // looked up there first (a comparison of bytes), by hash otherwise.
    let shift = text.len() as isize - cache.last_len as isize;
    let at = |start: usize| {
        let idx = cache.last.binary_search_by_key(&start, |&(start, _)| start).ok()?;
        Some(&cache.last[idx].1)
    };
    let found: Vec<(u64, Option<Arc<CachedPart>>)> = units
        .iter()
        .map(|unit| {
            let unit = match unit {
                TopLevel::Node(node) => node,
                TopLevel::Kept { entry, .. } => return (entry.key, Some(entry.clone())),
            };
            let bytes = text.get(unit.byte_range()).unwrap_or("");
            let same = |entry: &&Arc<CachedPart>| {
                entry.kind_id == unit.kind_id()
                    && entry.text.len() == bytes.len()
                    && entry.descendants == unit.descendant_count()
                    && *entry.text == *bytes
            };
            let start = unit.start_byte();
            let moved = start.checked_add_signed(-shift);
            if let Some(entry) = at(start).filter(same).or_else(|| moved.and_then(at).filter(same)) {
                return (entry.key, Some(entry.clone()));
            }
            let key = hash(bytes);
            (key, cache.parts.get(&key).filter(same).cloned())
        })
        .collect();
    let parts: Vec<(Arc<Part>, usize)> = units
        .par_iter()
        .zip(&found)
        .with_min_len(64)
        .map(|(unit, (_, found))| {
            let part = match (found, unit) {
                (Some(entry), _) => entry.part.clone(),
                (None, TopLevel::Node(node)) => {
                    // The last version of an edited node, where it started.
                    let previous = at(node.start_byte()).map(|entry| &**entry);
                    Arc::new(model_unit(text, *node, ctx, Some(&cache.pieces), previous))
                }
                (None, TopLevel::Kept { entry, .. }) => entry.part.clone(),
            };
            (part, unit.start())
        })
        .collect();
    // The maps are refilled in place: their memory is reused from edit to
    // edit. One part per hash: of two different nodes with the same hash
    // (which only a collision gives), the second is found by position only.
    let mut kept = std::mem::take(&mut cache.parts);
    kept.clear();
    let mut last = std::mem::take(&mut cache.last);
    last.clear();
    for ((unit, (key, found)), (part, start)) in units.iter().zip(found).zip(&parts) {
        let entry = match (found, unit) {
            (Some(entry), _) => entry,
            (None, TopLevel::Kept { entry, .. }) => entry.clone(),
            (None, TopLevel::Node(node)) => Arc::new(CachedPart {
                key,
                kind_id: node.kind_id(),
                descendants: node.descendant_count(),
                text: text.get(node.byte_range()).unwrap_or("").into(),
                part: part.clone(),
            }),
        };
        last.push((*start, entry.clone()));
        kept.entry(key).or_insert(entry);
    }
    cache.last = last;
    cache.last_len = text.len();
    cache.parts = kept;
    let mut pieces = std::mem::take(&mut cache.pieces);
    pieces.clear();
    for piece in parts.iter().flat_map(|(part, _)| &part.pieces) {
        pieces.entry(piece.key).or_default().push(piece.clone());
    }
    cache.pieces = pieces;
    parts
}

/// The key of a node's or a piece's bytes (XXH3: several times faster
/// than FxHash on the long paragraphs and pieces hashed after each edit).
fn hash(bytes: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes.as_bytes())
}

/// Models one top-level node: its blocks, inline elements, sentences and
/// raw date mentions, all in document offsets. Long blocks (16 kB or more)
/// are modelled in pieces, reused from `pieces` where they are there.
fn model_unit(
    text: &str,
    unit: Node<'_>,
    ctx: &DateContext,
    pieces: Option<&Pieces>,
    previous: Option<&CachedPart>,
) -> Part {
    model_unit_with(text, unit, ctx, pieces, Chunking::DEFAULT, previous)
}

/// When a block is modelled in pieces, and how long they are at least.
#[derive(Debug, Clone, Copy)]
struct Chunking {
    long_block: usize,
    piece_min: usize,
}

impl Chunking {
    const DEFAULT: Chunking = Chunking { long_block: 16 * 1024, piece_min: 1024 };
}

fn model_unit_with(
    text: &str,
    unit: Node<'_>,
    ctx: &DateContext,
    pieces: Option<&Pieces>,
    chunking: Chunking,
    previous: Option<&CachedPart>,
) -> Part {
    let cache_kept = pieces.is_some();
    let spliced = previous.and_then(|previous| splice_items(text, unit, previous));
    let (builder, splice) = match spliced {
        Some((builder, splice)) => (builder, Some(splice)),
        None => {
            let mut builder = Builder::new(text);
            builder.visit_block(unit);
            (builder, None)
        }
    };
    let Builder {
        front_matter,
        headings,
        blocks,
        mut references,
        notes,
        mut comments,
        mut code,
        mut urls,
        mut masks,
        ..
    } = builder;
    comments.sort();
    code.sort();
    urls.sort();
    references.sort_by_key(|r| (r.marker.start(), r.range.start()));
    masks.sort();

    let origin = unit.start_byte();
    let span = TextRange::new(origin, unit.end_byte());
    let masked = mask(text, span, &masks);
    let long: Vec<bool> = blocks
        .iter()
        .map(|block| has_sentences(block.kind) && block.content.len() >= chunking.long_block)
        .collect();
    let (sentences, dates, pieces) = if long.contains(&true) {
        let unit = Unit { text, masked: &masked, origin, references: &references, comments: &comments, ctx };
        let mut sentences = Vec::new();
        let mut long_dates = Vec::new();
        let mut used = Vec::new();
        for (block_idx, block) in blocks.iter().enumerate() {
            if long[block_idx] {
                let (block_sentences, block_dates, block_pieces) = model_long_block(
                    &unit,
                    block_idx as u32,
                    block,
                    pieces,
                    chunking.piece_min,
                    splice.as_ref(),
                );
                sentences.extend(block_sentences);
                long_dates.extend(block_dates);
                used.extend(block_pieces);
            } else {
                sentences.extend(split_block(
                    text,
                    &masked,
                    origin,
                    block_idx as u32,
                    block,
                    &references,
                    &comments,
                ));
            }
        }
        let dates = dates::scan_raw(&masked, origin, &blocks, ctx, |idx| long[idx], long_dates);
        (sentences, dates, used)
    } else {
        // Independent of each other; on a long paragraph (a whole article
        // written without blank lines) each is worth a core.
        let (sentences, dates) = rayon::join(
            || split_sentences(text, &masked, origin, &blocks, &references, &comments),
            || dates::scan_raw(&masked, origin, &blocks, ctx, |_| false, Vec::new()),
        );
        (sentences, dates, Vec::new())
    };
    Part {
        origin,
        front_matter,
        headings,
        blocks,
        references,
        notes,
        comments,
        code,
        urls,
        // Kept for the next edit's splice; a model without a cache (a
        // check) has no next edit.
        masks: if cache_kept { masks } else { Vec::new() },
        sentences,
        dates,
        pieces,
    }
}

/// How an edited paragraph differs from its last version (`splice_items`):
/// the bytes before `start` stand where they stood, those from `end` on
/// stood `shift` bytes earlier (document offsets); the inline elements
/// outside are the last version's, the pieces of its long block too where
/// their bytes are outside (`model_long_block`).
struct Splice<'a> {
    start: usize,
    end: usize,
    shift: isize,
    /// The last version's pieces, in order, and where the first started
    /// then (document offset, before the edit).
    pieces: &'a [Arc<Piece>],
    pieces_start: usize,
}

/// How far on each side of the changed bytes the tree is read again: a
/// token's extent can depend on a few bytes after it (`[3]` before `(` is
/// a link's text); farther, tree-sitter keeps the nodes.
const SPLICE_MARGIN: usize = 64;

/// The inline elements of `unit`, an edited version of the long paragraph
/// `previous` modelled (at the same start), read from the tree only around
/// the change: an 800 kB paragraph has tens of thousands of tokens, and an
/// edit changes a few. `None` when the node is not such a paragraph (or the
/// tree has an error there); then it is read whole.
///
/// The window read is the changed bytes and `SPLICE_MARGIN` on each side,
/// widened until no element of the new tree nor of the last version
/// straddles its ends (a backtick typed can open a code span that reaches
/// back over references; one deleted can free them). Outside it the
/// elements are the last version's, moved by the change in length after it.
fn splice_items<'t, 'p>(
    text: &'t str,
    unit: Node<'_>,
    previous: &'p CachedPart,
) -> Option<(Builder<'t>, Splice<'p>)> {
    let part = &previous.part;
    let single_paragraph = unit.kind() == kind::PARAGRAPH
        && previous.kind_id == unit.kind_id()
        && part.blocks.len() == 1
        && part.blocks[0].kind == BlockKind::Paragraph
        && part.front_matter.is_none()
        && part.headings.is_empty()
        && part.notes.is_empty()
        && !part.pieces.is_empty();
    if !single_paragraph || unit.has_error() || unit.named_child_count() != 1 {
        return None;
    }
    let content = unit.child_by_field_name(kind::FIELD_CONTENT)?;
    let origin = unit.start_byte();
    let new = text.get(unit.byte_range())?;
    let old = &*previous.text;
    let prefix = common_prefix(new.as_bytes(), old.as_bytes());
    let room = new.len().min(old.len()) - prefix;
    let suffix = common_suffix(&new.as_bytes()[prefix..], &old.as_bytes()[prefix..]).min(room);
    let shift = new.len() as isize - old.len() as isize;
    // In unit offsets: new [start, end) replaces old [start, end - shift).
    let mut start = prefix.saturating_sub(SPLICE_MARGIN);
    let mut end = (new.len() - suffix + SPLICE_MARGIN).min(new.len());
    // The last version's masks (every element is one) in unit offsets.
    let old_origin = part.origin;
    let masks: Vec<(usize, usize)> =
        part.masks.iter().map(|m| (m.start() - old_origin, m.end() - old_origin)).collect();
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let count = u32::try_from(content.named_child_count()).ok()?;
    loop {
        let (was_start, was_end) = (start, end);
        let old_end = end.checked_add_signed(-shift)?;
        for &(m_start, m_end) in &masks {
            if m_start < start && m_end > start {
                start = m_start;
            }
            if m_start < old_end && m_end > old_end {
                end = end.max(m_end.checked_add_signed(shift)?);
            }
        }
        // The first element ending after the window's start, by binary
        // search: `named_child` skips hidden subtrees by their counts, so
        // each look-up descends the tree once (a cursor's
        // `goto_first_child_for_byte` gives up inside a hidden run of
        // text with no element after the byte).
        nodes.clear();
        let (mut low, mut high) = (0, count);
        while low < high {
            let mid = low + (high - low) / 2;
            if content.named_child(mid)?.end_byte() > origin + start {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        for idx in low..count {
            let node = content.named_child(idx)?;
            if node.start_byte() >= origin + end {
                break;
            }
            start = start.min(node.start_byte().checked_sub(origin)?);
            end = end.max(node.end_byte() - origin);
            nodes.push(node);
        }
        if (start, end) == (was_start, was_end) {
            break;
        }
    }
    let old_end = end.checked_add_signed(-shift)?;
    let mut builder = Builder::new(text);
    for node in nodes {
        builder.scan_inline(node);
    }
    // The last version's elements outside the window, in document offsets.
    let before = |r: TextRange| r.end() - old_origin <= start;
    let after = |r: TextRange| r.start() - old_origin >= old_end;
    let moved = |r: TextRange| {
        let delta = if after(r) { shift } else { 0 };
        let at = |offset: usize| (offset - old_origin + origin).wrapping_add_signed(delta);
        TextRange::new(at(r.start()), at(r.end()))
    };
    let outside = |r: &TextRange| before(*r) || after(*r);
    builder.references.extend(part.references.iter().filter(|r| outside(&r.marker)).map(|r| Reference {
        range: moved(r.range),
        marker: moved(r.marker),
        ..r.clone()
    }));
    for (mine, theirs) in [
        (&mut builder.code, &part.code),
        (&mut builder.comments, &part.comments),
        (&mut builder.urls, &part.urls),
        (&mut builder.masks, &part.masks),
    ] {
        mine.extend(theirs.iter().filter(|r| outside(r)).map(|&r| moved(r)));
    }
    let range = node_range(unit);
    builder.push_block(BlockKind::Paragraph, range, node_range(content));
    let old_block = part.blocks[0].content;
    let splice = Splice {
        start: origin + start,
        end: origin + end,
        shift,
        pieces: &part.pieces,
        pieces_start: old_block.start() - old_origin + origin,
    };
    Some((builder, splice))
}

/// How many bytes `a` and `b` start with in common (compared a block at
/// a time: the bytes of an 800 kB paragraph one by one took longer than
/// the rest of the splice).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len].iter().zip(&b[at..len]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` end with in common.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut at = len;
    while at >= BLOCK && a[at - BLOCK..at] == b[at - BLOCK..at] {
        at -= BLOCK;
    }
    len - at + a[..at].iter().rev().zip(b[..at].iter().rev()).take_while(|(x, y)| x == y).count()
}

/// What the pieces of a node's long blocks are modelled from.
struct Unit<'a> {
    text: &'a str,
    masked: &'a str,
    origin: usize,
    references: &'a [Reference],
    comments: &'a [TextRange],
    ctx: &'a DateContext,
}

/// A piece of a long block: cut where a sentence ends for sure
/// (`sentences::safe_cuts`), so that its sentences and dates are those the
/// whole block has there, and an edit re-models only the pieces it touched.
#[derive(Debug)]
struct Piece {
    /// What the piece's model depends on: the block kind, its masked and
    /// source bytes, and its reference markers and comments (from its start).
    kind: BlockKind,
    len: usize,
    /// `hash(masked)`, its key in `Pieces` (0 without a cache).
    key: u64,
    masked: Box<str>,
    source: Box<str>,
    skips: Skips,
    scan: sentences::Scan,
    /// And, over the whole block: which of its list-marker candidates start
    /// items, and how far before it the sentence before it starts.
    accepted: Vec<bool>,
    previous: Option<usize>,
    /// Where the piece started when it was modelled.
    origin: usize,
    /// Sentence ranges as `sentences::split` gives them (from the start).
    ranges: Vec<std::ops::Range<usize>>,
    /// In document offsets from `origin`; `block` is 0.
    sentences: Vec<Sentence>,
    dates: Vec<dates::Raw>,
}

/// The sentences and raw dates of a long block, by pieces; with the pieces.
fn model_long_block(
    unit: &Unit<'_>,
    block_idx: u32,
    block: &Block,
    cached: Option<&Pieces>,
    piece_min: usize,
    splice: Option<&Splice<'_>>,
) -> (Vec<Sentence>, Vec<dates::Raw>, Vec<Arc<Piece>>) {
    let base = block.content.start();
    if unit.masked.get(base - unit.origin..block.content.end() - unit.origin).is_none() {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    let (bounds, kept) = match splice {
        Some(splice) if cached.is_some() => spliced_bounds(unit, block, splice, piece_min),
        _ => (cut_bounds(unit, block.content, piece_min), Vec::new()),
    };
    // The pieces as they were: kept by the splice, or where the same bytes
    // were modelled before.
    let keys: Vec<(Skips, Option<Arc<Piece>>)> = bounds
        .par_iter()
        .enumerate()
        .with_min_len(16)
        .map(|(idx, &range)| {
            let skips = skips(unit, range);
            let masked = &unit.masked[range.start() - unit.origin..range.end() - unit.origin];
            if let Some(Some(piece)) = kept.get(idx) {
                debug_assert!(
                    piece.kind == block.kind
                        && *piece.masked == *masked
                        && *piece.source == unit.text[range.as_range()]
                        && piece.skips == skips,
                    "a piece the splice kept has other bytes"
                );
                return (skips, Some(piece.clone()));
            }
            let found = cached.and_then(|pieces| {
                pieces.get(&hash(masked))?.iter().find(|piece| {
                    piece.kind == block.kind
                        && *piece.masked == *masked
                        && *piece.source == unit.text[range.as_range()]
                        && piece.skips == skips
                })
            });
            (skips, found.cloned())
        })
        .collect();
    let fresh: Vec<Option<sentences::Scan>> = bounds
        .par_iter()
        .zip(&keys)
        .with_min_len(16)
        .map(|(&range, (_, found))| {
            found.is_none().then(|| {
                sentences::scan(&unit.masked[range.start() - unit.origin..range.end() - unit.origin])
            })
        })
        .collect();
    let scans: Vec<&sentences::Scan> = fresh
        .iter()
        .zip(&keys)
        .filter_map(|(fresh, (_, found))| fresh.as_ref().or(found.as_ref().map(|piece| &piece.scan)))
        .collect();
    let accepted = sentences::accepted_markers(&scans);
    let mut flags: Vec<&[bool]> = Vec::with_capacity(scans.len());
    let mut rest = &accepted[..];
    for scan in &scans {
        let (mine, after) = rest.split_at(scan.marker_count().min(rest.len()));
        flags.push(mine);
        rest = after;
    }
    // Sentence ranges (document offsets), and where the sentence before
    // each piece starts.
    let ranges: Vec<Vec<std::ops::Range<usize>>> = bounds
        .par_iter()
        .zip(&keys)
        .zip(&scans)
        .zip(&flags)
        .with_min_len(16)
        .map(|(((&range, (_, found)), &scan), &flags)| {
            let local = match found {
                Some(piece) if piece.accepted == flags => piece.ranges.clone(),
                _ => {
                    let masked = &unit.masked[range.start() - unit.origin..range.end() - unit.origin];
                    scan.sentences(masked, flags)
                }
            };
            local.into_iter().map(|r| r.start + range.start()..r.end + range.start()).collect()
        })
        .collect();
    let mut previous: Vec<Option<usize>> = Vec::with_capacity(ranges.len());
    let mut last_start = None;
    for piece_ranges in &ranges {
        previous.push(last_start);
        last_start = piece_ranges.last().map(|r| r.start).or(last_start);
    }
    let flags: Vec<Vec<bool>> = flags.into_iter().map(<[bool]>::to_vec).collect();
    drop(scans);
    let pieces: Vec<Arc<Piece>> = bounds
        .into_par_iter()
        .zip(keys)
        .zip(fresh)
        .zip(ranges)
        .zip(flags)
        .zip(previous)
        .with_min_len(16)
        .map(|(((((range, (skips, found)), fresh), ranges), flags), previous)| {
            let previous = previous.map(|start| range.start() - start);
            if let Some(piece) = &found
                && piece.accepted == flags
                && piece.previous == previous
            {
                return piece.clone();
            }
            let sentences = block_sentences(
                unit.text,
                &ranges,
                range.end(),
                unit.references,
                unit.comments,
                block.kind,
                0,
            );
            let dates = dates::scan_piece_raw(
                unit.masked,
                unit.origin,
                range,
                unit.ctx,
                &ranges,
                previous.map(|distance| range.start() - distance),
            );
            let local = |r: &std::ops::Range<usize>| r.start - range.start()..r.end - range.start();
            // Without a cache the piece is used once: its bytes (the key)
            // are not copied.
            let (masked, source) = if cached.is_some() {
                (
                    &unit.masked[range.start() - unit.origin..range.end() - unit.origin],
                    &unit.text[range.as_range()],
                )
            } else {
                ("", "")
            };
            Arc::new(Piece {
                kind: block.kind,
                len: range.len(),
                key: if cached.is_some() { hash(masked) } else { 0 },
                masked: masked.into(),
                source: source.into(),
                skips,
                scan: fresh.unwrap_or_else(|| found.map(|piece| piece.scan.clone()).unwrap_or_default()),
                accepted: flags,
                previous,
                origin: range.start(),
                ranges: ranges.iter().map(local).collect(),
                sentences,
                dates,
            })
        })
        .collect();
    let mut sentences = Vec::with_capacity(pieces.iter().map(|piece| piece.sentences.len()).sum());
    let mut raw = Vec::with_capacity(pieces.iter().map(|piece| piece.dates.len()).sum());
    let mut start = base;
    for piece in &pieces {
        let (from, to) = (piece.origin, start);
        sentences.extend(piece.sentences.iter().map(|sentence| Sentence {
            range: TextRange::new(sentence.range.start() - from + to, sentence.range.end() - from + to),
            block: block_idx,
            ..sentence.clone()
        }));
        raw.extend(
            piece.dates.iter().map(|date| if from == to { date.clone() } else { date.moved(from, to) }),
        );
        start += piece.len;
    }
    if cached.is_none() {
        return (sentences, raw, Vec::new());
    }
    (sentences, raw, pieces)
}

/// The pieces of the block content `content`, cut at `sentences::safe_cuts`.
fn cut_bounds(unit: &Unit<'_>, content: TextRange, piece_min: usize) -> Vec<TextRange> {
    let base = content.start();
    let prose = &unit.masked[base - unit.origin..content.end() - unit.origin];
    let cuts = sentences::safe_cuts(prose, piece_min, |word| !dates::is_date_word(word));
    std::iter::once(0)
        .chain(cuts.iter().copied())
        .zip(cuts.iter().copied().chain(std::iter::once(prose.len())))
        .map(|(start, end)| TextRange::new(base + start, base + end))
        .collect()
}

/// The pieces of an edited long paragraph (`splice_items`): the last
/// version's before the window, where they were; its last ones after the
/// window, moved; the bytes between cut afresh. With each, the piece
/// kept.
///
/// A cut is safe by the line before it and the byte after it
/// (`sentences::safe_cuts`), so a piece boundary whose line and next byte
/// lie outside the window, with the masks there the same, is still a safe
/// cut; which safe cuts are used does not change the sentences or dates
/// (`model_long_block`), only what is reused.
fn spliced_bounds(
    unit: &Unit<'_>,
    block: &Block,
    splice: &Splice<'_>,
    piece_min: usize,
) -> (Vec<TextRange>, Vec<Option<Arc<Piece>>>) {
    let content = block.content;
    let mut bounds = Vec::new();
    let mut kept = Vec::new();
    let mut from = splice.pieces_start;
    let mut taken = 0;
    if from == content.start() {
        for piece in splice.pieces {
            let to = from + piece.len;
            if to >= splice.start {
                break;
            }
            bounds.push(TextRange::new(from, to));
            kept.push(Some(piece.clone()));
            from = to;
            taken += 1;
        }
    }
    let middle_start = from;
    let masked = unit.masked.as_bytes();
    let mut after = Vec::new();
    let mut to = content.end();
    let old_end = splice.pieces_start + splice.pieces.iter().map(|piece| piece.len).sum::<usize>();
    if old_end.checked_add_signed(splice.shift) == Some(to) {
        for piece in splice.pieces[taken..].iter().rev() {
            let Some(start) = to.checked_sub(piece.len).filter(|&start| start > splice.end) else { break };
            // The line before the cut, and the byte after it, outside the
            // window.
            let line = memchr::memrchr(b'\n', &masked[..start - 1 - unit.origin]).map_or(0, |at| at + 1);
            if line + unit.origin < splice.end || start <= middle_start {
                break;
            }
            after.push((TextRange::new(start, to), piece.clone()));
            to = start;
        }
    }
    if middle_start < to {
        let middle = cut_bounds(unit, TextRange::new(middle_start, to), piece_min);
        kept.extend(middle.iter().map(|_| None));
        bounds.extend(middle);
    }
    for (range, piece) in after.into_iter().rev() {
        bounds.push(range);
        kept.push(Some(piece));
    }
    (bounds, kept)
}

/// Reference markers, then comments, from a piece's start (see `skips`).
type Skips = Vec<(u32, u32)>;

/// The reference markers and comments in `range`, from its start.
fn skips(unit: &Unit<'_>, range: TextRange) -> Skips {
    let local = |r: TextRange| ((r.start() - range.start()) as u32, (r.end() - range.start()) as u32);
    let first = unit.references.partition_point(|r| r.marker.start() < range.start());
    let markers = unit.references[first..]
        .iter()
        .take_while(|r| r.marker.start() < range.end())
        .map(|r| local(TextRange::new(r.marker.start(), r.marker.end().min(range.end()))));
    let first = unit.comments.partition_point(|c| c.end() <= range.start());
    let comments = unit.comments[first..]
        .iter()
        .take_while(|c| c.start() < range.end())
        .map(|c| local(TextRange::new(c.start().max(range.start()), c.end().min(range.end()))));
    markers.chain(std::iter::once((u32::MAX, u32::MAX))).chain(comments).collect()
}

struct Builder<'a> {
    text: &'a str,
    front_matter: Option<FrontMatter>,
    headings: Vec<Heading>,
    blocks: Vec<Block>,
    references: Vec<Reference>,
    notes: Vec<Note>,
    comments: Vec<TextRange>,
    code: Vec<TextRange>,
    urls: Vec<TextRange>,
    /// Ranges blanked out before sentence and date analysis.
    masks: Vec<TextRange>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Builder<'a> {
        Builder {
            text,
            front_matter: None,
            headings: Vec::new(),
            blocks: Vec::new(),
            references: Vec::new(),
            notes: Vec::new(),
            comments: Vec::new(),
            code: Vec::new(),
            urls: Vec::new(),
            masks: Vec::new(),
        }
    }

    fn visit_blocks(&mut self, parent: Node<'_>) {
        let mut cursor = parent.walk();
        for node in parent.named_children(&mut cursor) {
            self.visit_block(node);
        }
    }

    fn visit_block(&mut self, node: Node<'_>) {
        let range = node_range(node);
        match node.kind() {
            kind::FRONT_MATTER => {
                self.front_matter = Some(self.front_matter(node));
                self.push_block(BlockKind::FrontMatter, range, TextRange::empty(range.start()));
            }
            kind::HEADING => {
                let marker = node.child_by_field_name(kind::FIELD_MARKER);
                let level = marker.map_or(1, |m| self.slice(node_range(m)).trim().len().clamp(1, 6));
                let content = node
                    .child_by_field_name(kind::FIELD_CONTENT)
                    .map_or(TextRange::empty(range.end()), node_range);
                if let Some(content_node) = node.child_by_field_name(kind::FIELD_CONTENT) {
                    self.scan_inline(content_node);
                }
                self.headings.push(Heading {
                    level: level as u8,
                    range,
                    content,
                    text: citation::collapse(self.slice(content)),
                });
                self.push_block(BlockKind::Heading, range, content);
            }
            kind::PARAGRAPH => {
                self.scan_inline(node);
                let content = node.child_by_field_name(kind::FIELD_CONTENT).map_or(range, node_range);
                self.push_block(BlockKind::Paragraph, range, content);
            }
            kind::BLOCK_QUOTE => {
                self.scan_inline(node);
                self.push_block(BlockKind::Quote, range, range);
            }
            kind::LIST_ITEM => {
                let content = node.child_by_field_name(kind::FIELD_CONTENT);
                let content_range = content.map_or(TextRange::empty(range.end()), node_range);
                self.push_block(BlockKind::ListItem, range, content_range);
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    match child.kind() {
                        kind::INLINE => self.scan_inline(child),
                        kind::LIST_ITEM | kind::PARAGRAPH | kind::BLOCK_QUOTE | kind::FENCED_CODE_BLOCK => {
                            self.visit_block(child)
                        }
                        _ => self.masks.push(node_range(child)),
                    }
                }
            }
            kind::FENCED_CODE_BLOCK => {
                self.code.push(range);
                self.push_block(BlockKind::Code, range, TextRange::empty(range.start()));
            }
            kind::COMMENT => {
                self.comments.push(range);
                self.push_block(BlockKind::Comment, range, TextRange::empty(range.start()));
            }
            kind::FOOTNOTE_DEFINITION => self.footnote_definition(node),
            _ if node.named_child_count() > 0 => self.visit_blocks(node),
            _ => {}
        }
    }

    fn push_block(&mut self, kind: BlockKind, range: TextRange, content: TextRange) {
        self.blocks.push(Block { kind, range, content });
    }

    fn front_matter(&mut self, node: Node<'_>) -> FrontMatter {
        let mut entries = Vec::new();
        let mut cursor = node.walk();
        for entry in node.named_children(&mut cursor) {
            if entry.kind() != kind::FRONT_MATTER_ENTRY {
                continue;
            }
            let Some(key) = entry.child_by_field_name(kind::FIELD_KEY) else { continue };
            let key_range = node_range(key);
            let value_range = entry
                .child_by_field_name(kind::FIELD_VALUE)
                .map_or(TextRange::empty(node_range(entry).end()), node_range);
            entries.push(FrontMatterEntry {
                key: self.slice(key_range).trim().to_owned(),
                key_range,
                value: front_matter::unquote(self.slice(value_range)).to_owned(),
                value_range,
            });
        }
        FrontMatter { range: node_range(node), entries }
    }

    fn footnote_definition(&mut self, node: Node<'_>) {
        let range = node_range(node);
        let Some(label_node) = node.child_by_field_name(kind::FIELD_LABEL) else {
            self.scan_inline(node);
            return;
        };
        let label_range = node_range(label_node);
        let content_node = node.child_by_field_name(kind::FIELD_CONTENT);
        let content = match content_node {
            Some(content_node) => trim_range(self.text, node_range(content_node)),
            None => TextRange::empty(range.end()),
        };
        if let Some(content_node) = content_node {
            self.scan_inline(content_node);
        }
        let content_text = self.slice(content);
        self.notes.push(Note {
            label: Arc::from(label::from_marker(self.slice(label_range))),
            label_range,
            range,
            content,
            text: citation::collapse(content_text).into(),
            citation: citation::Citation::default(),
            ibid: citation::is_ibid(content_text),
            ibid_of: None,
        });
        self.push_block(BlockKind::Note, range, content);
    }

    /// Collects references, code spans, comments and URLs below `node`.
    fn scan_inline(&mut self, node: Node<'_>) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            let range = node_range(node);
            match node.kind() {
                kind::REFERENCE_GROUP => {
                    self.reference_group(node);
                    self.masks.push(range);
                    continue;
                }
                kind::FOOTNOTE_REFERENCE => {
                    let label = node.named_child(0).map_or_else(
                        || label::from_marker(self.slice(range)).to_owned(),
                        |l| format!("^{}", self.slice(node_range(l))),
                    );
                    let label = if label.starts_with('^') { label } else { format!("^{label}") };
                    self.references.push(Reference {
                        label: label.into(),
                        range,
                        marker: range,
                        in_range: false,
                    });
                    self.masks.push(range);
                    continue;
                }
                kind::CODE_SPAN => {
                    self.code.push(range);
                    self.masks.push(range);
                    continue;
                }
                kind::COMMENT => {
                    self.comments.push(range);
                    self.masks.push(range);
                    continue;
                }
                kind::URL => {
                    self.urls.push(range);
                    self.masks.push(range);
                    continue;
                }
                "block_quote_marker" | "list_marker" => {
                    self.masks.push(range);
                    continue;
                }
                _ => {}
            }
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }

    fn reference_group(&mut self, group: Node<'_>) {
        let marker = node_range(group);
        let mut items = Vec::new();
        let mut cursor = group.walk();
        for child in group.named_children(&mut cursor) {
            match child.kind() {
                kind::REFERENCE_LABEL => items.push((child, None)),
                kind::REFERENCE_RANGE => {
                    let start = child.child_by_field_name(kind::FIELD_START);
                    let end = child.child_by_field_name(kind::FIELD_END);
                    if let (Some(start), Some(end)) = (start, end) {
                        items.push((start, Some((child, end))));
                    }
                }
                _ => {}
            }
        }
        let lone = items.len() == 1 && items[0].1.is_none();
        for (start, range_end) in items {
            let start_range = node_range(start);
            let start_label = self.slice(start_range).trim().to_owned();
            let narrow = if lone { marker } else { start_range };
            let Some((range_node, end)) = range_end else {
                self.references.push(Reference {
                    label: start_label.into(),
                    range: narrow,
                    marker,
                    in_range: false,
                });
                continue;
            };
            let end_range = node_range(end);
            let end_label = self.slice(end_range).trim().to_owned();
            let span = node_range(range_node);
            let (from, to) = (label::numeric(&start_label), label::numeric(&end_label));
            self.references.push(Reference {
                label: start_label.into(),
                range: start_range,
                marker,
                in_range: false,
            });
            if let (Some(from), Some(to)) = (from, to)
                && to > from
                && to - from <= MAX_RANGE_EXPANSION
            {
                for number in from + 1..to {
                    self.references.push(Reference {
                        label: number.to_string().into(),
                        range: span,
                        marker,
                        in_range: true,
                    });
                }
            }
            if end_label != self.references.last().map_or("", |r| r.label.as_ref()) {
                self.references.push(Reference {
                    label: end_label.into(),
                    range: end_range,
                    marker,
                    in_range: false,
                });
            }
        }
    }

    fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or("")
    }
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

/// `masked` is the masked text of the node starting at `origin`.
fn split_sentences(
    text: &str,
    masked: &str,
    origin: usize,
    blocks: &[Block],
    references: &[Reference],
    comments: &[TextRange],
) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (block_idx, block) in blocks.iter().enumerate() {
        out.extend(split_block(text, masked, origin, block_idx as u32, block, references, comments));
    }
    out
}

/// Whether sentences are read from blocks of this kind.
fn has_sentences(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem | BlockKind::Note)
}

/// The sentences of one block.
fn split_block(
    text: &str,
    masked: &str,
    origin: usize,
    block_idx: u32,
    block: &Block,
    references: &[Reference],
    comments: &[TextRange],
) -> Vec<Sentence> {
    if !has_sentences(block.kind) || block.content.is_empty() {
        return Vec::new();
    }
    let base = block.content.start();
    let Some(prose) = masked.get(block.content.start() - origin..block.content.end() - origin) else {
        return Vec::new();
    };
    let ranges: Vec<std::ops::Range<usize>> =
        sentences::split(prose).into_iter().map(|r| r.start + base..r.end + base).collect();
    block_sentences(text, &ranges, block.content.end(), references, comments, block.kind, block_idx)
}

/// Sentences from split ranges (document offsets) ending before `end`.
fn block_sentences(
    text: &str,
    ranges: &[std::ops::Range<usize>],
    end_of_block: usize,
    references: &[Reference],
    comments: &[TextRange],
    kind: BlockKind,
    block_idx: u32,
) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(ranges.len());
    // Reused from sentence to sentence: each then allocates its text only,
    // once (it was built in a string, then copied into its `Arc`).
    let mut skips = Vec::new();
    let mut buffer = String::with_capacity(ranges.iter().map(ExactSizeIterator::len).max().unwrap_or(0));
    for (idx, split) in ranges.iter().enumerate() {
        let start = split.start;
        let mut end = split.end;
        let next_start = ranges.get(idx + 1).map_or(end_of_block, |r| r.start);
        // Reference markers right after the terminal punctuation belong
        // to this sentence (`said.[3] Next`).
        let first = references.partition_point(|r| r.marker.start() < end);
        for reference in &references[first..] {
            if reference.marker.start() >= next_start {
                break;
            }
            end = end.max(reference.marker.end());
        }
        let range = TextRange::new(start, end);
        buffer = sentence_text(text, range, references, comments, &mut skips, buffer);
        out.push(Sentence { range, text: Arc::from(buffer.as_str()), context: kind, block: block_idx });
    }
    out
}

/// The source text of `range` without reference markers and comments, with
/// whitespace collapsed: written into `buffer` (cleared first), with `skips`
/// as scratch.
fn sentence_text(
    text: &str,
    range: TextRange,
    references: &[Reference],
    comments: &[TextRange],
    skips: &mut Vec<TextRange>,
    buffer: String,
) -> String {
    skips.clear();
    let first = references.partition_point(|r| r.marker.end() <= range.start());
    for reference in &references[first..] {
        if reference.marker.start() >= range.end() {
            break;
        }
        if skips.last() != Some(&reference.marker) {
            skips.push(reference.marker);
        }
    }
    let first = comments.partition_point(|c| c.end() <= range.start());
    skips.extend(comments[first..].iter().take_while(|c| c.start() < range.end()).copied());
    skips.sort();

    let mut out = citation::Collapser::reusing(buffer);
    let mut pos = range.start();
    for &skip in skips.iter() {
        if skip.start() > pos {
            out.push(text.get(pos..skip.start().min(range.end())).unwrap_or(""));
        }
        pos = pos.max(skip.end());
    }
    if pos < range.end() {
        out.push(text.get(pos..range.end()).unwrap_or(""));
    }
    out.finish()
}

/// The bytes of `span` with `masks` (inside it) blanked to spaces, byte for
/// byte.
fn mask(text: &str, span: TextRange, masks: &[TextRange]) -> String {
    let source = text.get(span.as_range()).unwrap_or_default();
    let mut out = String::with_capacity(source.len());
    let mut pos = 0;
    for range in masks {
        let end = range.end().min(span.end()).saturating_sub(span.start()).min(source.len());
        if end <= pos {
            continue;
        }
        let start = range.start().saturating_sub(span.start()).max(pos);
        // Masks start and end on node boundaries, which are character
        // boundaries; a mask that does not (only a broken tree) is skipped.
        let (Some(before), Some(masked)) = (source.get(pos..start), source.get(start..end)) else {
            continue;
        };
        out.push_str(before);
        // Each character becomes as many spaces as it has bytes (line
        // breaks stay), so offsets are kept.
        for byte in masked.bytes() {
            out.push(if byte == b'\n' || byte == b'\r' { byte as char } else { ' ' });
        }
        pos = end;
    }
    out.push_str(&source[pos..]);
    out
}

fn trim_range(text: &str, range: TextRange) -> TextRange {
    let slice = text.get(range.as_range()).unwrap_or("");
    let start = range.start() + (slice.len() - slice.trim_start().len());
    TextRange::new(start, start + slice.trim().len())
}

fn node_range(node: Node<'_>) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After a one-character edit in the middle of a 60 kB paragraph
    /// modelled in pieces, the tree is read only in a small window around
    /// the edit; the elements and pieces outside are the last version's.
    #[test]
    fn an_edit_in_a_long_paragraph_reads_the_tree_only_around_it() {
        let seed = include_str!("../../tests/data/seed-article.txt");
        let lines: Vec<&str> =
            seed.lines().filter(|line| !line.trim().is_empty() && !line.starts_with('[')).collect();
        let mut text = String::new();
        while text.len() < 60_000 {
            for line in &lines {
                text.push_str(line);
                text.push('\n');
            }
        }
        let config = ModelConfig::default();
        let tree = crate::syntax::parse(&text);
        let mut cache = ModelCache::default();
        build(text.as_str().into(), &tree, false, &config, Some(&mut cache));
        let previous = cache.last[0].1.clone();
        let at = boundary(&text, text.len() / 2);
        let mut edited = text.clone();
        edited.insert(at, 'x');
        let new = crate::syntax::parse(&edited);
        let unit = new.root_node().named_child(0).expect("the paragraph");
        let (builder, splice) = splice_items(&edited, unit, &previous).expect("spliced");
        // The window: the changed byte and the margin, widened to whole
        // elements; the rest is the last version's.
        assert!(splice.start <= at && at < splice.end && splice.end - splice.start < 4 * SPLICE_MARGIN);
        assert_eq!(splice.shift, 1);
        let mut whole = Builder::new(&edited);
        whole.visit_block(unit);
        let sorted = |mut ranges: Vec<TextRange>| {
            ranges.sort();
            ranges
        };
        assert_eq!(sorted(builder.masks), sorted(whole.masks));
        assert_eq!(builder.references.len(), whole.references.len());
        // The pieces away from the edit are the last version's own.
        let part =
            model_unit(&edited, unit, &date_context(None, &config), Some(&cache.pieces), Some(&previous));
        let kept =
            part.pieces.iter().filter(|piece| previous.part.pieces.iter().any(|old| Arc::ptr_eq(old, piece)));
        assert!(kept.count() + 2 >= part.pieces.len(), "{} pieces", part.pieces.len());
    }

    /// The character boundary at or before `offset`.
    fn boundary(text: &str, mut offset: usize) -> usize {
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    #[test]
    fn common_prefix_and_suffix_count_bytes_across_blocks() {
        let a: Vec<u8> = (0..1000u32).map(|n| (n % 251) as u8).collect();
        for (at, len) in [(0, 1000), (255, 1000), (256, 1000), (999, 1000), (300, 700), (0, 0)] {
            let mut b = a[..len].to_vec();
            if at < len {
                b[at] ^= 1;
            }
            let expected = if at < len { at } else { len };
            assert_eq!(common_prefix(&a, &b), expected, "{at} {len}");
            let mut c = a.clone();
            c[999 - at.min(999)] ^= 1;
            assert_eq!(common_suffix(&a, &c), at.min(999), "{at}");
        }
        assert_eq!(common_suffix(b"abc", b"xbc"), 2);
        assert_eq!(common_suffix(b"bc", b"abc"), 2);
        assert_eq!(common_prefix(b"ab", b"abc"), 2);
    }

    /// After a one-character edit in the middle of an article of 200
    /// paragraphs, the tree is read only around the edit: the paragraph
    /// and one more on each side; the others are the last model's.
    #[test]
    fn an_edit_reads_only_the_nodes_around_it_from_the_tree() {
        let text: String = (0..200).map(|n| format!("Paragraph {n} says a thing.[1]\n\n")).collect();
        let config = ModelConfig::default();
        let tree = crate::syntax::parse(&text);
        let mut cache = ModelCache::default();
        build(text.as_str().into(), &tree, false, &config, Some(&mut cache));
        let at = text.find("Paragraph 100 says").expect("there") + 10;
        let mut edited = text.clone();
        edited.insert(at, '7');
        let mut old = tree.clone();
        let point = crate::syntax::Point { row: 200, column: 10 };
        old.edit(&crate::syntax::InputEdit {
            start_byte: at,
            old_end_byte: at,
            new_end_byte: at + 1,
            start_position: point,
            old_end_position: point,
            new_end_position: crate::syntax::Point { row: 200, column: 11 },
        });
        let new = crate::syntax::reparse(&edited, Some(&old));
        let units = cache.units_after_edit(&edited, &new).expect("an incremental answer");
        assert_eq!(units.len(), 200);
        let read: Vec<usize> = units
            .iter()
            .filter_map(|unit| match unit {
                TopLevel::Node(node) => Some(node.start_byte()),
                TopLevel::Kept { .. } => None,
            })
            .collect();
        let starts: Vec<usize> = all_units(new.root_node()).iter().map(TopLevel::start).collect();
        assert_eq!(read, starts[99..102].to_vec());
        assert_eq!(units.iter().map(TopLevel::start).collect::<Vec<_>>(), starts);
    }

    /// Models each top-level node of `text` whole and in pieces of any
    /// length, with and without the pieces of `previous`; all must agree.
    fn assert_pieces_agree(text: &str, previous: Option<&Pieces>) -> Pieces {
        let tree = crate::syntax::parse(text);
        let root = tree.root_node();
        let mut cursor = root.walk();
        let ctx = DateContext { order: dates::DateOrder::default(), article_date: None };
        let whole = Chunking { long_block: usize::MAX, piece_min: 0 };
        let pieces = Chunking { long_block: 0, piece_min: 1 };
        let mut kept = Pieces::default();
        for unit in root.named_children(&mut cursor) {
            let expected = model_unit_with(text, unit, &ctx, None, whole, None);
            let empty = Pieces::default();
            for cache in [None, Some(previous.unwrap_or(&empty))] {
                let got = model_unit_with(text, unit, &ctx, cache, pieces, None);
                assert_eq!(format!("{:#?}", got.sentences), format!("{:#?}", expected.sentences), "{text:?}");
                assert_eq!(format!("{:#?}", got.dates), format!("{:#?}", expected.dates), "{text:?}");
                for piece in got.pieces {
                    kept.entry(piece.key).or_default().push(piece);
                }
            }
        }
        kept
    }

    /// Lines that end, start or straddle sentences in the ways the splitter
    /// and the date scanner treat specially.
    const LINES: &[&str] = &[
        "The plan failed.",
        "Mr.",
        "Smith went home at 5 a.m.",
        "At 5 a.m. Mr. Smith went.",
        "1. One",
        "2. Two.",
        "3. Three",
        "a) first b) second",
        "• item one",
        "The U.S.",
        "How did it end?",
        "She left the next day.",
        "The next day it rained.",
        "It happened on June 25, 2023.",
        "Sunday.",
        "It was last Sunday.",
        "On Friday, June 23, 2023, they met.",
        "Two days later it ended.",
        "In 1996.",
        "In 1996 the union fell.",
        "etc.",
        "See p.",
        "12 of the report.",
        "“Why?” she asked.",
        "(see below.)",
        "and so on...",
        "The end. . . . The",
        "It said [3] and more.[4]",
        "A comment <!-- x. -->.",
        "Code `a. B` here.",
        "Visit http://example.com/a.b today.",
        "Yahoo! in the news.",
        "He said: 1. go 2. stay.",
        "the summer of.",
        "Of 2019 nothing remains.",
        "June.",
        "25, 2023 was hot.",
        "It was in.",
        "June 2020 was wet.",
        "\u{201C}Quoted.\u{201D}",
        "   ",
        "Ünïcode word.",
        "Final line without a stop",
        "> A quoted line.",
        "> - A listed, quoted line.",
        "- A list item.",
    ];

    #[test]
    fn a_long_block_in_pieces_models_as_a_whole() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |bound: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % bound as u64) as usize
        };
        let mut previous: Option<Pieces> = None;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..next(12) + 1 {
                text.push_str(LINES[next(LINES.len())]);
                text.push_str([" ", "\n", "\n", "  \n", " "][next(5)]);
            }
            text.push_str("\n\n[3] A note.\n");
            previous = Some(assert_pieces_agree(&text, previous.as_ref()));
        }
    }

    #[test]
    fn masks_blank_overlapping_and_nested_ranges_byte_for_byte() {
        let text = "ab [1] <!-- [2] x\ny --> é.";
        let r = |start, end| TextRange::new(start, end);
        let span = r(0, text.len());
        // A comment holding a reference, the reference again, and a mask
        // reaching past the span.
        let masked = mask(text, span, &[r(3, 6), r(7, 23), r(12, 15), r(26, 40)]);
        assert_eq!(masked, "ab               \n      é ");
        assert_eq!(masked.len(), text.len());
        assert_eq!(mask(text, r(3, 9), &[r(0, 4)]), " 1] <!");
    }

    #[test]
    fn the_seed_article_as_one_paragraph_models_as_a_whole() {
        let seed = include_str!("../../tests/data/seed-article.txt");
        let paragraph: String =
            seed.lines().filter(|line| !line.trim().is_empty()).map(|line| format!("{line}\n")).collect();
        let kept = assert_pieces_agree(&paragraph, None);
        assert!(kept.len() > 5, "the seed cuts into pieces: {}", kept.len());
        assert_pieces_agree(&paragraph, Some(&kept));
    }
}
