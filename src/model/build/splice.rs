//! An edited long paragraph read from the tree only around the edit.

use std::sync::Arc;

use super::cache::CachedPart;
use super::pieces::Piece;
use super::tree::{Builder, node_range};
use crate::model::{BlockKind, Reference};
use crate::syntax::{Node, kind};
use crate::text::TextRange;

/// How an edited paragraph differs from its last version (`splice_items`):
/// the bytes before `start` stand where they stood, those from `end` on
/// stood `shift` bytes earlier (document offsets); the inline elements
/// outside are the last version's, the pieces of its long block too where
/// their bytes are outside (`model_long_block`).
pub(super) struct Splice<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) shift: isize,
    /// The last version's pieces, in order, and where the first started
    /// then (document offset, before the edit).
    pub(super) pieces: &'a [Arc<Piece>],
    pub(super) pieces_start: usize,
}

/// How far on each side of the changed bytes the tree is read again: a
/// token's extent can depend on a few bytes after it (`[3]` before `(` is
/// a link's text); farther, tree-sitter keeps the nodes.
pub(super) const SPLICE_MARGIN: usize = 64;

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
pub(super) fn splice_items<'t, 'p>(
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
    builder.cites.extend(part.cites.iter().filter(|c| outside(&c.group)).map(|c| c.moved(moved)));
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
pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len].iter().zip(&b[at..len]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` end with in common.
pub(super) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut at = len;
    while at >= BLOCK && a[at - BLOCK..at] == b[at - BLOCK..at] {
        at -= BLOCK;
    }
    len - at + a[..at].iter().rev().zip(b[..at].iter().rev()).take_while(|(x, y)| x == y).count()
}
