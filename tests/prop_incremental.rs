//! Property (fuzz target 2 in CI): edit sequences applied through the
//! server's document layer (rope, `Tree::edit`, incremental reparse, model,
//! checks) give the same tree, model and diagnostics as a from-scratch
//! analysis of the same text, after every request; well-formed changes give
//! the text an independent application of the edits gives.

mod oracles;
mod prop_common;

use oracles::{EditKind, EditOp};
use proptest::prelude::*;

fn edit_op() -> impl Strategy<Value = EditOp> {
    let kind = prop_oneof![
        12 => (any::<u16>(), 0usize..12).prop_map(|(at, delete)| EditKind::Replace { at: at.into(), delete }),
        1 => (0u32..30, 0u32..90, 0u32..30, 0u32..90)
            .prop_map(|(l1, c1, l2, c2)| EditKind::Raw { start: (l1, c1), end: (l2, c2) }),
        1 => Just(EditKind::Full),
    ];
    (kind, prop_common::article(4), any::<bool>(), any::<bool>(), proptest::bool::weighted(0.3)).prop_map(
        |(kind, insert, utf8, same_batch, analyse_after)| EditOp {
            kind,
            insert,
            utf8,
            same_batch,
            analyse_after,
        },
    )
}

proptest! {
    #![proptest_config(prop_common::config(64))]

    #[test]
    fn incremental_analysis_equals_a_fresh_one(
        initial in prop_common::article(40),
        ops in proptest::collection::vec(edit_op(), 1..24),
    ) {
        if let Err(message) = oracles::incremental_invariants(&initial, &ops) {
            prop_assert!(false, "{message}\ninitial: {initial:?}\nops: {ops:?}");
        }
    }

    #[test]
    fn edits_in_the_seed_article(
        ops in proptest::collection::vec(edit_op(), 1..16),
        crlf in any::<bool>(),
    ) {
        let seed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-article.txt")).unwrap();
        let initial = if crlf { seed.replace('\n', "\r\n") } else { seed };
        if let Err(message) = oracles::incremental_invariants(&initial, &ops) {
            prop_assert!(false, "{message}\nops: {ops:?}");
        }
    }
}
