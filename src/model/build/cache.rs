//! The model cache of the language server: the last model's top-level parts, kept
//! across edits and reused where an edit left their bytes alone.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::citations::CitationCache;
use super::pieces::Piece;
use super::unit::model_unit;
use super::{Part, hash};
use crate::model::dates::DateContext;
use crate::syntax::{Node, Tree};

/// Parts of the model kept across edits of one document (see `build`).
#[derive(Debug, Default)]
pub struct ModelCache {
    /// The date context the parts were scanned with.
    pub(super) ctx: Option<DateContext>,
    /// By hash of the node's bytes.
    pub(super) parts: FxHashMap<u64, Arc<CachedPart>>,
    /// The last model's nodes by start, and its text's length.
    pub(super) last: Vec<(usize, Arc<CachedPart>)>,
    pub(super) last_len: usize,
    /// The pieces of long blocks, by hash of their masked bytes.
    pub(super) pieces: Pieces,
    pub(super) citations: CitationCache,
}

pub(super) type Pieces = FxHashMap<u64, Vec<Arc<Piece>>>;

#[derive(Debug)]
pub(super) struct CachedPart {
    /// The hash of `text`.
    pub(super) key: u64,
    pub(super) kind_id: u16,
    pub(super) descendants: usize,
    pub(super) text: Box<str>,
    pub(super) part: Arc<Part>,
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
pub(super) enum TopLevel<'tree> {
    Node(Node<'tree>),
    Kept { start: usize, entry: Arc<CachedPart> },
}

impl TopLevel<'_> {
    pub(super) fn start(&self) -> usize {
        match self {
            TopLevel::Node(node) => node.start_byte(),
            TopLevel::Kept { start, .. } => *start,
        }
    }
}

/// Every top-level node of the tree.
pub(super) fn all_units(root: Node<'_>) -> Vec<TopLevel<'_>> {
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
    pub(super) fn units_after_edit<'tree>(
        &self,
        text: &str,
        tree: &'tree Tree,
    ) -> Option<Vec<TopLevel<'tree>>> {
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
pub(super) fn model_units(
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
