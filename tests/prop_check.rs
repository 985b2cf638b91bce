//! Property (fuzz target 1 in CI): any text parses, models, checks and
//! renders in every output format without a panic, and every range of the
//! model and the diagnostics lies inside the text on character boundaries.

mod oracles;
mod prop_common;

use proptest::prelude::*;

proptest! {
    #![proptest_config(prop_common::config(128))]

    #[test]
    fn article_shaped_text_checks_and_renders(text in prop_common::article(48)) {
        if let Err(message) = oracles::check_everything(&text) {
            prop_assert!(false, "{message}\ninput: {text:?}");
        }
    }

    #[test]
    fn arbitrary_text_checks_and_renders(text in "\\PC{0,64}|[\\[\\]0-9^\\n\\r:>#`-]{0,64}") {
        if let Err(message) = oracles::check_everything(&text) {
            prop_assert!(false, "{message}\ninput: {text:?}");
        }
    }
}
