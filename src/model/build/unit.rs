//! One top-level node modelled: its blocks, inline elements, sentences and
//! raw dates.

use super::Part;
use super::cache::{CachedPart, Pieces};
use super::pieces::{Unit, model_long_block};
use super::prose::{has_sentences, mask, split_block, split_sentences};
use super::splice::splice_items;
use super::tree::Builder;
use crate::model::dates::{self, DateContext};
use crate::syntax::Node;
use crate::text::TextRange;

/// Models one top-level node: its blocks, inline elements, sentences and
/// raw date mentions, all in document offsets. Long blocks (16 kB or more)
/// are modelled in pieces, reused from `pieces` where they are there.
pub(super) fn model_unit(
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
pub(super) struct Chunking {
    pub(super) long_block: usize,
    pub(super) piece_min: usize,
}

impl Chunking {
    const DEFAULT: Chunking = Chunking { long_block: 16 * 1024, piece_min: 1024 };
}

pub(super) fn model_unit_with(
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
        mut cites,
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
    cites.sort_by_key(|c| (c.group.start(), c.range.start()));
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
        cites,
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
