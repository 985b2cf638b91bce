//! Strategies and settings shared by the property tests (`tests/prop_*.rs`):
//! article-shaped text built from the markup's own pieces (and stray bytes
//! of arbitrary text), so that random inputs reach references, notes,
//! Ibids, dates, fences and comments instead of plain noise.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// A deterministic configuration: `cases` cases (or `AAM_PROPTEST_CASES`,
/// for a longer local run), a fixed seed, no files written.
pub fn config(cases: u32) -> Config {
    let cases = std::env::var("AAM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        rng_seed: RngSeed::Fixed(0x00aa_a000_0009),
        max_shrink_iters: 4096,
        ..Config::default()
    }
}

/// Pieces of markup, prose and awkward Unicode.
const PIECES: &[&str] = &[
    "The minister said so.",
    " It was signed in 2001.",
    " Relations were upgraded in 2011",
    "word ",
    "Word",
    ". ",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "---\n",
    "title: A title\n",
    "date: 2023-06-27\n",
    "date-order: dmy\n",
    "# ",
    "## Heading\n",
    "> ",
    "- ",
    "* ",
    "1. ",
    "```\n",
    "```",
    "`",
    "<!-- ",
    " -->",
    "<!-- aam-disable AAM101 -->",
    "<!-- aam-disable-next-line -->\n",
    "[1]",
    "[2]",
    "[3]",
    "[12]",
    "[^a]",
    "[^note-1]",
    "[1, 3]",
    "[1][3]",
    "[2-4]",
    "[2–4]",
    "[0]",
    "[00]",
    "[99999999999999999999]",
    "[sic]",
    "[…]",
    "[text](https://example.org/a)",
    "https://example.org/path?q=1",
    "[",
    "]",
    ":",
    ", ",
    "\n[1] Gan, “China and Russia”, CNN, June 25, 2023, https://cnn.com/x\n",
    "\n[2] Ibid., p. 4\n",
    "\n[3]: TASS, 2023\n",
    "\n[^a]: Id.\n",
    "\n[4]\n",
    "  continued note line\n",
    "Ibid.",
    "“",
    "”",
    "\"",
    "Monday, June 25, 2023",
    "February 30, 2021",
    "2023-13-01",
    "03/04/2023",
    "last Sunday, June 25",
    "yesterday",
    " will meet on July 4, 2024",
    "in 1996",
    "the 1950s",
    " the Soviet Union",
    "😀",
    "é",
    "e\u{301}",
    "中文",
    "שלום",
    "\u{200f}",
    "\u{feff}",
    "\u{2028}",
    "\t",
    "  ",
    "\u{0}",
];

/// One piece: mostly markup, sometimes a random number in brackets or a few
/// arbitrary characters.
pub fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => (0u32..8).prop_map(|n| format!("[{n}]")),
        1 => (0u32..8).prop_map(|n| format!("\n[{n}] Note {n}, 2022.\n")),
        1 => "\\PC{0,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// An article-shaped text of up to `max_pieces` pieces.
pub fn article(max_pieces: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Prose with numeric and labelled references followed by notes in some
/// order (scattered, grouped, duplicated, Ibid, missing), LF or CRLF: the
/// inputs where renumbering has work to do.
pub fn numbered_article() -> impl Strategy<Value = String> {
    let reference = prop_oneof![
        6 => (1u32..7).prop_map(|n| format!("[{n}]")),
        2 => (1u32..7, 1u32..7).prop_map(|(a, b)| format!("[{a}, {b}]")),
        1 => (1u32..7, 1u32..7).prop_map(|(a, b)| format!("[{a}][{b}]")),
        2 => (1u32..6, 1u32..4).prop_map(|(a, len)| format!("[{a}-{}]", a + len)),
        1 => (1u32..6, 1u32..4).prop_map(|(a, len)| format!("[{a}–{}]", a + len)),
        1 => Just("[^x]".to_owned()),
        1 => Just("[^y]".to_owned()),
    ];
    let sentence = (
        proptest::sample::select(&["A", "Bé", "The 😀 minister", "Sources", "In 2011 it"][..]),
        reference,
        proptest::sample::select(&[" ", "\n", " ", "\n\n"][..]),
    )
        .prop_map(|(words, reference, gap)| format!("{words} said.{reference}{gap}"));
    let note = prop_oneof![
        4 => (1u32..8, "[a-z]{1,6}").prop_map(|(n, word)| format!("[{n}] Author {word}, “Title {word}”, Pub, 2023")),
        2 => (1u32..8).prop_map(|n| format!("[{n}] Ibid., p. {n}")),
        1 => (1u32..8).prop_map(|n| format!("[{n}]: Id.")),
        1 => (1u32..8).prop_map(|n| format!("[{n}]")),
        1 => Just("[^x]: Labelled source".to_owned()),
        1 => Just("[^y]: Ibid.".to_owned()),
        1 => (1u32..8).prop_map(|n| format!("[{n}] Two-line note\n  continued {n}")),
    ];
    let separator = proptest::sample::select(&["\n", "\n", "\n\n", "\nMore prose.[2]\n\n"][..]);
    (
        proptest::collection::vec(sentence, 1..8),
        proptest::collection::vec((note, separator), 0..8),
        any::<bool>(),
    )
        .prop_map(|(sentences, notes, crlf)| {
            let mut text = sentences.concat();
            text.push('\n');
            for (note, separator) in notes {
                text.push_str(&note);
                text.push_str(separator);
            }
            if crlf { text.replace('\n', "\r\n") } else { text }
        })
}
