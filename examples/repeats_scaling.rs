//! Scaling of AAM101/AAM102 on generated articles of 1k, 10k and 100k
//! sentences: `cargo run --release --example repeats_scaling [SIZES…]`.
//!
//! The article is generated deterministically: Zipf-distributed content
//! words mixed with stop words, 8–30 words a sentence, five sentences a
//! paragraph, and 2% of the sentences rewritten from an earlier one (a word
//! swapped, dropped or added, or the words reordered). Prints, per size, the
//! time to parse and model the article (for scale), to compute the sentence
//! features, to find the repeats with the index, and to run both rules
//! through `checks::check` on a fresh document; the medians of three runs.
//! Each time is wall-clock, and CPU time summed over threads in brackets (on
//! a loaded machine the CPU time is the steadier figure; Linux only).

use std::time::{Duration, Instant};

use aam::checks::repeats::{self, Thresholds};
use aam::checks::{self, CheckConfig, Level};
use aam::model::{Document, ModelConfig};

const STOP_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "was", "for", "on", "with", "as", "by", "is", "at", "from",
    "has", "had", "have", "its", "their", "this", "which", "were", "be", "after", "been", "but", "not", "it",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A pronounceable word for a rank: `kalo`, `mevi` …
fn word(rank: usize) -> String {
    const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    let mut n = rank + CONSONANTS.len() * VOWELS.len();
    let mut out = String::new();
    while n > 0 {
        let syllable = n % (CONSONANTS.len() * VOWELS.len());
        out.push(CONSONANTS[syllable / VOWELS.len()] as char);
        out.push(VOWELS[syllable % VOWELS.len()] as char);
        n /= CONSONANTS.len() * VOWELS.len();
    }
    out
}

fn article(n_sentences: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let vocabulary: Vec<String> = (0..20_000).map(word).collect();
    // Zipf weights 1/rank, as a cumulative table.
    let mut cumulative = Vec::with_capacity(vocabulary.len());
    let mut total = 0.0;
    for rank in 1..=vocabulary.len() {
        total += 1.0 / rank as f64;
        cumulative.push(total);
    }
    let mut sentences: Vec<Vec<String>> = Vec::with_capacity(n_sentences);
    for _ in 0..n_sentences {
        let words = if !sentences.is_empty() && rng.below(50) == 0 {
            let mut words = sentences[rng.below(sentences.len())].clone();
            let at = rng.below(words.len());
            match rng.below(4) {
                0 => words[at] = vocabulary[rng.below(vocabulary.len())].clone(),
                1 if words.len() > 8 => {
                    words.remove(at);
                }
                2 => words.insert(at, vocabulary[rng.below(vocabulary.len())].clone()),
                _ => words.rotate_left(at),
            }
            words
        } else {
            let len = 8 + rng.below(23);
            (0..len)
                .map(|_| {
                    if rng.below(5) < 2 {
                        STOP_WORDS[rng.below(STOP_WORDS.len())].to_owned()
                    } else {
                        let target = rng.unit() * total;
                        vocabulary[cumulative.partition_point(|&c| c < target).min(vocabulary.len() - 1)]
                            .clone()
                    }
                })
                .collect()
        };
        sentences.push(words);
    }
    let mut text = String::new();
    for (idx, words) in sentences.iter().enumerate() {
        let mut sentence = words.join(" ");
        if let Some(first) = sentence.get(..1) {
            sentence.replace_range(..1, &first.to_uppercase());
        }
        text.push_str(&sentence);
        text.push('.');
        text.push_str(if idx % 5 == 4 { "\n\n" } else { " " });
    }
    text
}

/// CPU time of the whole process, summed over its threads
/// (`/proc/self/task/*/schedstat`, nanoseconds); zero where unavailable.
fn cpu_time() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return Duration::ZERO };
    let nanos: u64 = tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

/// Runs `f`, returning its result, wall time and CPU time.
fn timed<T>(f: impl FnOnce() -> T) -> (T, (Duration, Duration)) {
    let (wall, cpu) = (Instant::now(), cpu_time());
    let value = f();
    (value, (wall.elapsed(), cpu_time().saturating_sub(cpu)))
}

fn median(mut runs: Vec<(Duration, Duration)>) -> (Duration, Duration) {
    let mut cpu: Vec<Duration> = runs.iter().map(|run| run.1).collect();
    cpu.sort();
    runs.sort();
    (runs[runs.len() / 2].0, cpu[cpu.len() / 2])
}

fn ms((wall, cpu): (Duration, Duration)) -> String {
    format!("{:.1} ms ({:.1})", wall.as_secs_f64() * 1000.0, cpu.as_secs_f64() * 1000.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|arg| arg.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1_000, 10_000, 100_000] } else { sizes };
    let mut config = CheckConfig::default();
    for rule in checks::all_rules() {
        if !matches!(rule.code, "AAM101" | "AAM102") {
            config.levels.insert(rule.code, Level::Off);
        }
    }
    let thresholds = Thresholds::from(&config.repeats);
    println!(
        "| sentences | text | parse + model | features | index + compare | both rules (check) | AAM101 | AAM102 |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for n in sizes {
        let text = article(n, 0xA4A_0000 + n as u64);
        let (mut parse, mut features_time, mut index_time, mut check_time) = (vec![], vec![], vec![], vec![]);
        let (mut n_exact, mut n_near) = (0, 0);
        for _ in 0..3 {
            let (doc, time) = timed(|| Document::parse(&text, &ModelConfig::default()));
            parse.push(time);
            let (features, time) = timed(|| repeats::document_features(&doc.sentences));
            features_time.push(time);
            let (found, time) = timed(|| repeats::find_repeats(&features, thresholds));
            index_time.push(time);
            drop(features);

            // A fresh document, so nothing is cached from above.
            let doc = Document::parse(&text, &ModelConfig::default());
            let (diagnostics, time) = timed(|| checks::check(&doc, &config));
            check_time.push(time);
            n_exact = diagnostics.iter().filter(|d| d.rule.code == "AAM101").count();
            n_near = diagnostics.iter().filter(|d| d.rule.code == "AAM102").count();
            assert_eq!(n_exact + n_near, found.len());
        }
        println!(
            "| {n} | {:.1} MB | {} | {} | {} | {} | {n_exact} | {n_near} |",
            text.len() as f64 / 1e6,
            ms(median(parse)),
            ms(median(features_time)),
            ms(median(index_time)),
            ms(median(check_time)),
        );
    }
}
