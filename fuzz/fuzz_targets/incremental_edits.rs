//! Fuzz target 2: arbitrary edit sequences through the server's document
//! layer (rope + `Tree::edit` + incremental reparse + model), compared after
//! every analysis with a from-scratch parse, model and check of the same
//! text: same tree S-expression, same model, same diagnostics.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/mod.rs"]
mod oracles;

#[derive(Debug, Arbitrary)]
struct Op {
    kind: Kind,
    insert: String,
    utf8: bool,
    same_batch: bool,
    analyse_after: bool,
}

#[derive(Debug, Arbitrary)]
enum Kind {
    Replace { at: u16, delete: u8 },
    Insert { at: u16 },
    Delete { at: u16, delete: u8 },
    Raw { start: (u8, u8), end: (u8, u8) },
    Full,
}

/// Separates the initial text from the bytes that choose the edits; without
/// it (a seed article) the same bytes serve as both.
const MARKER: &[u8] = b"\n\0EDITS\0";

fuzz_target!(|data: &[u8]| {
    let (text, choices) = match data.windows(MARKER.len()).position(|w| w == MARKER) {
        Some(idx) => (&data[..idx], &data[idx + MARKER.len()..]),
        None => (data, data),
    };
    let initial = String::from_utf8_lossy(text);
    let mut u = Unstructured::new(choices);
    let mut ops: Vec<oracles::EditOp> = Vec::new();
    while ops.len() < 48 {
        let Ok(op) = u.arbitrary::<Op>() else { break };
        let (kind, insert) = match op.kind {
            Kind::Replace { at, delete } => {
                (oracles::EditKind::Replace { at: at.into(), delete: delete.into() }, op.insert)
            }
            Kind::Insert { at } => (oracles::EditKind::Replace { at: at.into(), delete: 0 }, op.insert),
            Kind::Delete { at, delete } => {
                (oracles::EditKind::Replace { at: at.into(), delete: delete.into() }, String::new())
            }
            Kind::Raw { start, end } => (
                oracles::EditKind::Raw {
                    start: (start.0.into(), start.1.into()),
                    end: (end.0.into(), end.1.into()),
                },
                op.insert,
            ),
            Kind::Full => (oracles::EditKind::Full, op.insert),
        };
        ops.push(oracles::EditOp {
            kind,
            insert,
            utf8: op.utf8,
            same_batch: op.same_batch,
            analyse_after: op.analyse_after,
        });
        if u.is_empty() {
            break;
        }
    }
    if let Err(message) = oracles::incremental_invariants(&initial, &ops) {
        panic!("{message}\ninitial: {initial:?}\nops: {ops:?}");
    }
});
