//! Fuzz target 1: arbitrary bytes → parse, model, every rule, every output
//! format and the `aam dump` JSON; no panic, and every range of the model
//! and the diagnostics lies inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/mod.rs"]
mod oracles;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 never reaches the model (the CLI reports and skips such
    // files, the server only receives strings): read it lossily.
    let text = String::from_utf8_lossy(data);
    if let Err(message) = oracles::check_everything(&text) {
        panic!("{message}\ninput: {text:?}");
    }
});
