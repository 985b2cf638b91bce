//! Sentences of blocks, their texts, and the masked text they are split in.

use std::sync::Arc;

use crate::model::citation;
use crate::model::{Block, BlockKind, Reference, Sentence, sentences};
use crate::text::TextRange;

/// `masked` is the masked text of the node starting at `origin`.
pub(super) fn split_sentences(
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
pub(super) fn has_sentences(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem | BlockKind::Note)
}

/// The sentences of one block.
pub(super) fn split_block(
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
pub(super) fn block_sentences(
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
pub(super) fn sentence_text(
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
pub(super) fn mask(text: &str, span: TextRange, masks: &[TextRange]) -> String {
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
