//! Property (fuzz target 3 in CI): the server's position conversions (UTF-8
//! and UTF-16 columns) and the CLI's 1-based scalar columns on text with
//! astral characters, CR, LF and CRLF: every character boundary round-trips
//! and agrees with an independent computation; any offset or (line,
//! column) a client sends is clamped to a character boundary; nothing
//! panics.

mod oracles;
mod prop_common;

use proptest::prelude::*;

fn line_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(&["a", "é", "中", "😀", "𝄞", "\r", "\n", "\r\n", "\u{301}", "\u{200f}", " ", "\t"][..])
            .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(prop_common::config(256))]

    #[test]
    fn positions_round_trip_and_clamp(
        text in line_text(),
        probes in proptest::collection::vec((0u32..20, 0u32..100), 0..24),
        wild in proptest::collection::vec((any::<u32>(), any::<u32>()), 0..4),
        offsets in proptest::collection::vec(any::<usize>(), 0..8),
        near in proptest::collection::vec(0usize..200, 0..16),
    ) {
        let mut probes = probes;
        probes.extend(wild);
        let mut offsets = offsets;
        offsets.extend(near);
        if let Err(message) = oracles::position_invariants(&text, &probes, &offsets) {
            prop_assert!(false, "{message}\ntext: {text:?}");
        }
    }
}
