//! Parses each file given on the command line several times and prints the
//! best wall time, bytes per millisecond and visible nodes per line.
//!
//! `cargo run --release --example parse_time -- FILE...` (see bench.sh).

use std::time::{Duration, Instant};

fn main() {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&tree_sitter_aam::LANGUAGE.into()).expect("error loading the AAM grammar");
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
        let mut best = Duration::MAX;
        let mut tree = None;
        for _ in 0..runs {
            let start = Instant::now();
            let parsed = parser.parse(&text, None).expect("parse");
            best = best.min(start.elapsed());
            tree = Some(parsed);
        }
        let tree = tree.expect("at least one run");
        let mut n_nodes = 0usize;
        let mut cursor = tree.walk();
        'walk: loop {
            n_nodes += 1;
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        let n_lines = text.lines().count().max(1);
        println!(
            "{path}: {:.1} MB, {n_lines} lines, best of {runs}: {:.1} ms ({:.0} bytes/ms), \
             {n_nodes} visible nodes ({:.2} per line), errors: {}",
            text.len() as f64 / 1e6,
            best.as_secs_f64() * 1e3,
            text.len() as f64 / (best.as_secs_f64() * 1e3),
            n_nodes as f64 / n_lines as f64,
            tree.root_node().has_error(),
        );
    }
}
