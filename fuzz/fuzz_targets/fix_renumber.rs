//! Fuzz target 4: `aam check --fix` (the renumbering) keeps what every
//! reference cites, leaves no AAM004 once it settles, and is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/mod.rs"]
mod oracles;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(message) = oracles::fix_invariants(&text) {
        panic!("{message}\ninput: {text:?}");
    }
});
