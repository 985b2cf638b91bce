//! Property (fuzz target 4 in CI): `aam check --fix` renumbering keeps what
//! every reference cites (through Ibid), leaves no AAM004 once the fixes
//! settle (unless a numeric reference is unresolved, which blocks
//! renumbering), and fixing the result again changes nothing.

mod oracles;
mod prop_common;

use proptest::prelude::*;

proptest! {
    #![proptest_config(prop_common::config(160))]

    #[test]
    fn renumbering_keeps_citations(text in prop_common::numbered_article()) {
        if let Err(message) = oracles::fix_invariants(&text) {
            prop_assert!(false, "{message}\ninput: {text:?}");
        }
    }

    #[test]
    fn fixing_any_article_keeps_citations(text in prop_common::article(32)) {
        if let Err(message) = oracles::fix_invariants(&text) {
            prop_assert!(false, "{message}\ninput: {text:?}");
        }
    }
}
