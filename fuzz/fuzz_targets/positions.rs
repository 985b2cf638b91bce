//! Fuzz target 3: position conversions (server: UTF-8 and UTF-16 columns;
//! CLI: 1-based scalar columns) on arbitrary text with astral characters,
//! CR, LF and CRLF: every boundary round-trips, any position a client sends
//! is clamped, nothing panics.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/mod.rs"]
mod oracles;

#[derive(Debug, Arbitrary)]
enum Probe {
    Small(u8, u8),
    Any(u32, u32),
    Offset(usize),
    SmallOffset(u16),
}

fuzz_target!(|data: &[u8]| {
    // The text is the input itself (so seed articles are texts); the same
    // bytes, read again, choose the probes.
    let text = String::from_utf8_lossy(data);
    let mut u = Unstructured::new(data);
    let mut probes = Vec::new();
    let mut offsets = Vec::new();
    for _ in 0..64 {
        match u.arbitrary::<Probe>() {
            Ok(Probe::Small(line, col)) => probes.push((u32::from(line), u32::from(col))),
            Ok(Probe::Any(line, col)) => probes.push((line, col)),
            Ok(Probe::Offset(offset)) => offsets.push(offset),
            Ok(Probe::SmallOffset(offset)) => offsets.push(usize::from(offset)),
            Err(_) => break,
        }
    }
    if let Err(message) = oracles::position_invariants(&text, &probes, &offsets) {
        panic!("{message}\ntext: {text:?}");
    }
});
