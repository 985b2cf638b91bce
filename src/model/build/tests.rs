//! Tests of the incremental model: splices, pieces and the cache.

use std::sync::Arc;

use super::cache::{Pieces, TopLevel, all_units};
use super::prose::mask;
use super::splice::{SPLICE_MARGIN, common_prefix, common_suffix, splice_items};
use super::tree::Builder;
use super::unit::{Chunking, model_unit, model_unit_with};
use super::*;

/// After a one-character edit in the middle of a 60 kB paragraph
/// modelled in pieces, the tree is read only in a small window around
/// the edit; the elements and pieces outside are the last version's.
#[test]
fn an_edit_in_a_long_paragraph_reads_the_tree_only_around_it() {
    let seed = include_str!("../../../tests/data/seed-article.txt");
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
    let part = model_unit(&edited, unit, &date_context(None, &config), Some(&cache.pieces), Some(&previous));
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
    let seed = include_str!("../../../tests/data/seed-article.txt");
    let paragraph: String =
        seed.lines().filter(|line| !line.trim().is_empty()).map(|line| format!("{line}\n")).collect();
    let kept = assert_pieces_agree(&paragraph, None);
    assert!(kept.len() > 5, "the seed cuts into pieces: {}", kept.len());
    assert_pieces_agree(&paragraph, Some(&kept));
}
