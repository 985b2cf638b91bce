//! In-process keystroke latency of the language server's document layer on
//! a large article (run by hand; see docs/performance.md):
//!
//! ```sh
//! python3 bench/gen_corpus.py --out /tmp/corpus --sizes 1m
//! cargo bench --bench keystrokes -- /tmp/corpus/article_1m.txt
//! cargo bench --bench keystrokes -- /tmp/corpus/article_1m.txt --edits 50
//! cargo bench --bench keystrokes -- /tmp/corpus/article_1m.txt --idle
//! ```
//!
//! Opens the article, analyses it once (as `didOpen` does), then applies
//! 200 one-character edits spread evenly over the text — each an insertion
//! followed, on the next keystroke, by its deletion, as typing and
//! backspacing — and after each runs what the server runs before it can
//! publish: the incremental reparse and model, then the rules. Prints the
//! median, p95, p99 and maximum of each phase.
//!
//! By default the keystrokes run back to back, so each finds the last one's
//! data in the caches and the thread pool awake. A typist's keystrokes come
//! at least a debounce apart: `--idle` sleeps 100 ms before each one (the
//! workers fall asleep, other processes take the cores and their caches),
//! and `--cold-caches` also writes over 64 MB between them.

use std::time::{Duration, Instant};

use aam::lsp::harness::{OpenDocument, Phases};
use aam::lsp::{Encoding, LineCol};

/// The allocator of `aam lsp` (`src/main.rs`), to measure what it does.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let edits_at = args.iter().position(|arg| arg == "--edits");
    // Between keystrokes, write over more memory than the caches hold, as
    // the editor and everything else on the machine do while the user
    // types (keystrokes run back to back otherwise find the server's data
    // in the caches).
    let mut evict = args.iter().any(|arg| arg == "--cold-caches").then(|| vec![0u8; 64 << 20]);
    // Between keystrokes, leave the threads idle as long as a typist does
    // (the thread pools' workers fall asleep and must be woken).
    let idle = args.iter().any(|arg| arg == "--idle");
    let edits: usize = edits_at.and_then(|idx| args.get(idx + 1)?.parse().ok()).unwrap_or(200).max(2) / 2 * 2;
    let path = args
        .iter()
        .enumerate()
        .find(|&(idx, arg)| !arg.starts_with('-') && edits_at.is_none_or(|at| idx != at + 1))
        .map_or_else(|| "/tmp/corpus/article_1m.txt".to_owned(), |(_, arg)| arg.clone());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("keystrokes: cannot read {path}: {err} (generate it with bench/gen_corpus.py)");
            std::process::exit(2);
        }
    };
    let mut doc = OpenDocument::open(&text);
    let first = doc.analyse_timed();
    println!(
        "{path}: {} bytes; open → diagnostics {} (model {}, rules {}, {} diagnostics); then the rules cache filled in the background in {}",
        text.len(),
        ms(first.model + first.checks),
        ms(first.model),
        ms(first.checks),
        first.diagnostics,
        ms(first.warm)
    );

    let mut phases: Vec<Phases> = Vec::with_capacity(edits);
    let mut totals: Vec<Duration> = Vec::with_capacity(edits);
    for idx in 0..edits {
        // Spread over the document; an even keystroke types `x`, the odd
        // one after it deletes it again.
        let at = boundary(&text, text.len() * (idx / 2) / (edits / 2));
        let start = doc.position(at);
        let change = if idx % 2 == 0 {
            (Some((start, start)), "x".to_owned())
        } else {
            (Some((start, LineCol { line: start.line, col: start.col + 1 })), String::new())
        };
        if let Some(buffer) = &mut evict {
            for (n, byte) in buffer.iter_mut().enumerate().step_by(64) {
                *byte = byte.wrapping_add(n as u8);
            }
            std::hint::black_box(&buffer);
        }
        if idle {
            std::thread::sleep(Duration::from_millis(100));
        }
        let began = Instant::now();
        doc.change(&[change], Encoding::Utf16);
        let timed = doc.analyse_timed();
        totals.push(began.elapsed());
        phases.push(timed);
    }
    println!("{edits} one-character edits:");
    println!("{:<28} {:>9} {:>9} {:>9} {:>9}", "phase", "median", "p95", "p99", "max");
    report("edit + reparse + model", phases.iter().map(|p| p.model).collect());
    report("rules", phases.iter().map(|p| p.checks).collect());
    report("total (diagnostics ready)", totals);
}

/// The character boundary at or before `offset`.
fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<28} {:>9} {:>9} {:>9} {:>9}",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(*samples.last().unwrap())
    );
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}
