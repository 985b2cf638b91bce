//! Long blocks modelled in pieces cut where a sentence ends for sure.

use std::sync::Arc;

use rayon::prelude::*;

use super::cache::Pieces;
use super::hash;
use super::prose::block_sentences;
use super::splice::Splice;
use crate::model::dates::{self, DateContext};
use crate::model::{Block, BlockKind, Reference, Sentence, sentences};
use crate::text::TextRange;

/// What the pieces of a node's long blocks are modelled from.
pub(super) struct Unit<'a> {
    pub(super) text: &'a str,
    pub(super) masked: &'a str,
    pub(super) origin: usize,
    pub(super) references: &'a [Reference],
    pub(super) comments: &'a [TextRange],
    pub(super) ctx: &'a DateContext,
}

/// A piece of a long block: cut where a sentence ends for sure
/// (`sentences::safe_cuts`), so that its sentences and dates are those the
/// whole block has there, and an edit re-models only the pieces it touched.
#[derive(Debug)]
pub(super) struct Piece {
    /// What the piece's model depends on: the block kind, its masked and
    /// source bytes, and its reference markers and comments (from its start).
    pub(super) kind: BlockKind,
    pub(super) len: usize,
    /// `hash(masked)`, its key in `Pieces` (0 without a cache).
    pub(super) key: u64,
    pub(super) masked: Box<str>,
    pub(super) source: Box<str>,
    pub(super) skips: Skips,
    pub(super) scan: sentences::Scan,
    /// And, over the whole block: which of its list-marker candidates start
    /// items, and how far before it the sentence before it starts.
    pub(super) accepted: Vec<bool>,
    pub(super) previous: Option<usize>,
    /// Where the piece started when it was modelled.
    pub(super) origin: usize,
    /// Sentence ranges as `sentences::split` gives them (from the start).
    pub(super) ranges: Vec<std::ops::Range<usize>>,
    /// In document offsets from `origin`; `block` is 0.
    pub(super) sentences: Vec<Sentence>,
    pub(super) dates: Vec<dates::Raw>,
}

/// The sentences and raw dates of a long block, by pieces; with the pieces.
pub(super) fn model_long_block(
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
pub(super) fn cut_bounds(unit: &Unit<'_>, content: TextRange, piece_min: usize) -> Vec<TextRange> {
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
pub(super) fn spliced_bounds(
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
pub(super) type Skips = Vec<(u32, u32)>;

/// The reference markers and comments in `range`, from its start.
pub(super) fn skips(unit: &Unit<'_>, range: TextRange) -> Skips {
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
