//! `aam check --fix`, `--unsafe-fixes` and `--diff` through the whole
//! command: the renumbering hard cases (the result re-checks clean and every
//! reference still cites the same source text), the seed with two notes
//! swapped, overlapping fixes, standard input.

mod common;

use aam::model::{Document, ModelConfig};
use common::{aam, aam_stdin, seed, stdout, transcript, tree};

/// References used several times, notes defined out of order, a group, a
/// range whose numbers stop being consecutive, a labelled note among the
/// numbered ones, an Ibid that keeps its antecedent and one that loses it.
const HARD_CASES: &str = "\
# Hard cases

First claim.[3] Second claim.[1][2] Third, again citing three.[3]
A range.[2-4] A page of four.[6] Labelled.[^src] Four itself.[5]
A group.[7, 1]

[1] Gan, “Title one”, CNN, June 26th, 2023, https://cnn.example/1
[2] Ibid., p. 4
[3] “Title three”, TASS, June 25th, 2023
[^src]: A labelled source, 2020
[5] “Title four”, China Power, May 10th, 2022
[6] Ibid., p. 9
[4] “Title five”, Ministry, June 17th, 2011
[7] “Title seven”, Kremlin, February 4th, 2022
";

/// For every reference marker in reading order, the sources its references
/// cite (through Ibid), sorted; an Ibid reads as its source's text followed
/// by what came after `Ibid` (`, p. 4`), as an explicit rewrite does.
fn cited(text: &str) -> Vec<Vec<String>> {
    let doc = Document::parse(text, &ModelConfig::default());
    let mut markers: Vec<(aam::text::TextRange, Vec<String>)> = Vec::new();
    for reference in &doc.references {
        let cited = match doc.note_indices(&reference.label).first() {
            None => format!("unresolved {}", reference.label),
            Some(&idx) => {
                let note = &doc.notes[idx as usize];
                let source =
                    doc.source_note(idx as usize).map_or(String::new(), |source| source.text.to_string());
                let extra = if note.ibid {
                    note.text
                        .trim_start_matches(|c: char| c.is_alphabetic() || c == '.')
                        .trim_start_matches([',', ' '])
                } else {
                    ""
                };
                if extra.is_empty() { source } else { format!("{source}, {extra}") }
            }
        };
        match markers.last_mut() {
            Some((marker, here)) if *marker == reference.marker => here.push(cited),
            _ => markers.push((reference.marker, vec![cited])),
        }
    }
    markers
        .into_iter()
        .map(|(_, mut here)| {
            here.sort();
            here
        })
        .collect()
}

fn assert_same_sources(before: &str, after: &str) {
    assert_eq!(cited(before), cited(after), "every marker cites the same sources");
}

#[test]
fn renumbering_hard_cases() {
    let dir = tree(&[("hard.aam", HARD_CASES)]);
    let output = aam(dir.path(), &["check", "--fix", "--select", "AAM0,AAM9", "hard.aam"]);
    let fixed = std::fs::read_to_string(dir.path().join("hard.aam")).unwrap();
    insta::assert_snapshot!(format!("{}\n--- hard.aam\n{fixed}", transcript(&output)));
    assert_eq!(output.status.code(), Some(0));
    assert_same_sources(HARD_CASES, &fixed);
    let recheck = aam(dir.path(), &["check", "--select", "AAM0,AAM9", "hard.aam"]);
    assert_eq!(stdout(&recheck), "", "re-checks clean");
    assert_eq!(recheck.status.code(), Some(0));
}

#[test]
fn seed_with_notes_three_and_four_swapped_is_fixed_to_a_clean_result() {
    let original = seed();
    let swapped = original
        .replacen("the Chinese Foreign Ministry said.[3]", "the Chinese Foreign Ministry said.[4]", 1)
        .replacen("with the Soviet Union.[4]", "with the Soviet Union.[3]", 1);
    assert_ne!(swapped, original);
    let dir = tree(&[("seed.txt", &swapped), ("original.txt", &original)]);
    let before = aam(dir.path(), &["check", "--output-format", "concise", "original.txt"]);
    let output = aam(dir.path(), &["check", "--fix", "--output-format", "concise", "seed.txt"]);
    let fixed = std::fs::read_to_string(dir.path().join("seed.txt")).unwrap();
    // The body cites 1, 2, 3, 4 in order again; the notes list follows the
    // new numbers, so each claim keeps its source (TASS and China Power
    // trade numbers: the swap in the body was a change of sources).
    let body = |text: &str| text[..text.find("\n[1] ").unwrap()].to_owned();
    assert_eq!(body(&fixed), body(&original), "the body reads [3] then [4] again");
    assert_ne!(fixed, original);
    assert!(
        common::stderr(&output).starts_with("seed.txt: fixed: renumber notes in reading order [AAM004"),
        "{}",
        common::stderr(&output)
    );
    assert_eq!(
        stdout(&output).replace("seed.txt", "original.txt"),
        stdout(&before),
        "the same result as the seed's own"
    );
    assert_eq!(output.status.code(), before.status.code());
    assert_same_sources(&swapped, &fixed);
}

#[test]
fn diff_shows_the_change_and_writes_nothing() {
    let text = "A.[2] B.[1]\n\n[1] One\n[2] Two\n";
    let dir = tree(&[("a.aam", text)]);
    let output = aam(dir.path(), &["check", "--diff", "a.aam"]);
    insta::assert_snapshot!(transcript(&output));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.aam")).unwrap(), text);
    let clean = tree(&[("a.aam", "A.[1]\n\n[1] One\n")]);
    assert_eq!(aam(clean.path(), &["check", "--diff", "a.aam"]).status.code(), Some(0));
}

#[test]
fn unsafe_fixes_only_when_asked_and_overlapping_fixes_settle() {
    // Renumbering rewrites the notes list; removing the unused note [3]
    // overlaps it, so it waits for the next pass.
    let text = "A.[2] B.[1]\n\n[1] One\n[2] Two\n[3] Unused\n";
    let dir = tree(&[("a.aam", text)]);
    let safe = aam(dir.path(), &["check", "--fix", "--select", "AAM0", "a.aam"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.aam")).unwrap(),
        "A.[1] B.[2]\n\n[1] Two\n[2] One\n[3] Unused\n"
    );
    assert_eq!(stdout(&safe), "a.aam:5:1: warning[AAM002] note [3] is never cited\n");
    std::fs::write(dir.path().join("a.aam"), text).unwrap();
    let all = aam(dir.path(), &["check", "--fix", "--unsafe-fixes", "--select", "AAM0", "a.aam"]);
    insta::assert_snapshot!(transcript(&all));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.aam")).unwrap(),
        "A.[1] B.[2]\n\n[1] Two\n[2] One\n"
    );
}

#[test]
fn a_weekday_is_a_safe_fix() {
    let text = "The talks began on Monday, June 25, 2023.\n";
    let dir = tree(&[("a.aam", text)]);
    let fixed = aam(dir.path(), &["check", "--fix", "--select", "AAM202", "a.aam"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.aam")).unwrap(),
        "The talks began on Sunday, June 25, 2023.\n"
    );
    assert_eq!(fixed.status.code(), Some(0), "{}", transcript(&fixed));
}

#[test]
fn stdin_fix_prints_the_fixed_text() {
    let dir = tree(&[]);
    let output = aam_stdin(
        dir.path(),
        &["check", "--fix", "--stdin-filename", "draft.aam"],
        b"A.[2] B.[1] C.[9]\n\n[1] One\n[2] Two\n",
    );
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn stdin_excluded_by_force_exclude_is_echoed_unchanged() {
    let dir = tree(&[("aam.toml", "[files]\nexclude = [\"drafts/\"]\n")]);
    let input = b"A.[2] B.[1]\n\n[1] One\n[2] Two\n";
    let args = ["check", "--fix", "--force-exclude", "--stdin-filename", "drafts/x.aam"];
    let output = aam_stdin(dir.path(), &args, input);
    assert_eq!(output.stdout, input);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_byte_order_mark_and_crlf_survive() {
    let text = "\u{feff}A.[2] B.[1]\r\n\r\n[1] One\r\n[2] Two\r\n";
    let dir = tree(&[("a.aam", text)]);
    let output = aam(dir.path(), &["check", "--fix", "a.aam"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.aam")).unwrap(),
        "\u{feff}A.[1] B.[2]\r\n\r\n[1] Two\r\n[2] One\r\n"
    );
}
