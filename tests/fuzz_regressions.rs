//! Inputs the fuzz targets (`fuzz/`) found crashing or breaking an oracle,
//! kept as regression tests: each must now pass the same oracle.

mod oracles;

/// `check_and_render` (2026-11-27): a duplicate note ending the file with a
/// multi-byte character made AAM003's fix (`renumber::line_span`) slice
/// inside that character. Fixed in `src/checks/renumber.rs`.
#[test]
fn duplicate_note_ending_in_a_multibyte_character() {
    for text in ["A.[1]\n[1] a\n[1] é", "A.[1]\n\n[1] x\n[1] 😀"] {
        oracles::check_everything(text).unwrap();
    }
    let found = b"The plan wahroughoed in \xff\xff\xff\xff\xff\xff\xff\xffmid-2022 \x83after the elecA.[6]\0\0\x13\0\0\0\0\0\0\0\ns o[6] Sc\0iA.[6]\0n\0\x13\0\0s.\n\0\0\0\0\0\n[6] Sc\0i.[6] B..[6] B.[1ive\n[6] Sc\0ix\xfc\x7f~\x02\xf4";
    oracles::check_everything(&String::from_utf8_lossy(found)).unwrap();
}

/// `prop_fix` (2026-11-27): a note whose text cites itself (`[12]:[12]`)
/// is renumbered with the reference inside it; the oracle now reads a
/// note's inner references as what they cite.
#[test]
fn a_note_citing_itself_is_renumbered_consistently() {
    assert_eq!(aam::cli::harness::fix_text("[12]:[12]", false).0, "[1]:[1]");
    oracles::fix_invariants("[12]:[12]").unwrap();
}

/// `prop_fix` (2026-11-27): renumbering reorders the notes list by the new
/// numbers, so a dangling Ibid (AAM005: no note before it) could land after
/// a note, which it then cited. Fixed in `src/checks/renumber.rs`: a
/// dangling Ibid keeps its place at the head of the list and is only
/// relabelled, so it still cites nothing (and AAM005 still says so).
#[test]
fn renumbering_gives_a_dangling_ibid_a_source() {
    let text = "A said.[2] A said.[3]\n[3] Ibid., p. 3\n[2] Author, “Title”, Pub, 2023\n";
    let (fixed, converged) = aam::cli::harness::fix_text(text, false);
    assert!(converged);
    assert_eq!(fixed, "A said.[1] A said.[2]\n[2] Ibid., p. 3\n[1] Author, “Title”, Pub, 2023\n");
    oracles::fix_invariants(text).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&aam::cli::harness::check_json("a.aam", &fixed)).unwrap();
    let codes: Vec<&str> = json.as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["AAM005"], "still dangling, and nothing else to fix");
    // Behind the dangling Ibid, the other notes are still sorted.
    let text = "A.[3] B.[2] C.[1]\n\n[2] Ibid.\n[1] One, 2020\n[3] Three, 2021\n";
    let (fixed, _) = aam::cli::harness::fix_text(text, false);
    assert_eq!(fixed, "A.[1] B.[2] C.[3]\n\n[2] Ibid.\n[1] Three, 2021\n[3] One, 2020\n");
    oracles::fix_invariants(text).unwrap();
}

/// `prop_fix` (2026-11-27): an Ibid made explicit carries its locator
/// (`Author, …, p. 5`), and the Ibid after it then cites that text: the
/// same source, so the oracle compares sources by prefix.
#[test]
fn an_ibid_after_an_explicit_ibid() {
    let text =
        "A said.[5] A said.[2] \n[1] Author a, “Title a”, Pub, 2023\n[5] Ibid., p. 5\n[2] Ibid., p. 2\n";
    let (fixed, _) = aam::cli::harness::fix_text(text, false);
    assert!(fixed.contains("[1] Author a, “Title a”, Pub, 2023, p. 5\n[2] Ibid., p. 2\n"), "{fixed}");
    oracles::fix_invariants(text).unwrap();
}

/// `prop_fix` (2026-11-27): renumbering mapped notes by number but
/// references resolve by label text, so the unresolved `[00]` was
/// renumbered as if it were note `[0]` and ended up citing a note. Fixed in
/// `src/model/label.rs`: a zero-padded label is not a number; it is kept as
/// written, like a named label.
#[test]
fn zero_padded_labels_confuse_renumbering() {
    let text = "[00]!\n[2] Note 2, 2022.\n[0]";
    let (fixed, converged) = aam::cli::harness::fix_text(text, false);
    assert!(converged);
    assert_eq!(fixed, "[00]!\n[1] Note 2, 2022.\n[2]");
    assert_eq!(oracles::cited_sources(text), oracles::cited_sources(&fixed));
    oracles::fix_invariants(text).unwrap();
    // `[07]` and `[7]` are two notes, and stay two.
    let text = "A.[07] B.[7] C.[1]\n\n[1] One\n[07] Padded\n[7] Seven\n";
    let (fixed, _) = aam::cli::harness::fix_text(text, false);
    assert_eq!(fixed, "A.[07] B.[1] C.[2]\n\n[1] Seven\n[07] Padded\n[2] One\n");
    oracles::fix_invariants(text).unwrap();
}

/// `fix_renumber` (2026-11-27): a range inside a note (`[2-4]`) is
/// rewritten as a sorted list of its new numbers; the oracle now compares
/// the notes it cites as a set.
#[test]
fn a_range_inside_a_note_becomes_a_list() {
    let text = "A.[3] B.[1, 2] C.2] Two\n[3] Three[2-4]\n\n[1] One\n[2] Two\n[3] Three\n[3] Four\n";
    let (fixed, _) = aam::cli::harness::fix_text(text, false);
    assert!(fixed.contains("[1] Three[1, 3, 4]"), "{fixed}");
    oracles::fix_invariants(text).unwrap();
}

/// `fix_renumber` (2026-11-27): `--fix` also corrects a wrong weekday inside
/// a note (AAM202's safe fix); the oracle reads weekday names as equal.
#[test]
fn a_weekday_fixed_inside_a_note() {
    let text = "Said.[2] Done.[1]\n\n[1] One, 2020\n[2] Report of Wednesday, March 14, 2023\n";
    let (fixed, _) = aam::cli::harness::fix_text(text, false);
    assert!(fixed.contains("[1] Report of Tuesday, March 14, 2023"), "{fixed}");
    oracles::fix_invariants(text).unwrap();
}

/// `fix_renumber` (2026-11-27): a range the model does not expand (too
/// long, `[3-2011]`, or inverted, `[2-1]`) cites its two ends only, and the
/// renumbering left it unchanged while the note it cited was renumbered:
/// `[3-2011]` inside note `[3]`, relabelled `[1]`, then cited nothing. Fixed
/// in `src/checks/renumber.rs`: such a range is rewritten as its two ends'
/// new numbers.
#[test]
fn a_range_the_model_does_not_expand_is_renumbered() {
    let found = "2d.\n[3] [3-2011]20ltcIi\n[3]20";
    assert_eq!(aam::cli::harness::fix_text(found, false).0, "2d.\n[1] [1, 2011]20ltcIi\n[1]20");
    oracles::fix_invariants(found).unwrap();
    for (text, want) in [
        (
            "Said.[2] Done.[1]\n\n[1] One, see [1-2011]\n[2] Two\n",
            "Said.[1] Done.[2]\n\n[1] Two\n[2] One, see [2, 2011]\n",
        ),
        ("A.[2-1]\n\n[1] One\n[2] Two\n", "A.[1-2]\n\n[1] Two\n[2] One\n"),
        ("A.[3] B.[3-1]\n\n[1] One\n[2] Two\n[3] Three\n", "A.[1] B.[1-2]\n\n[1] Three\n[2] One\n[3] Two\n"),
    ] {
        let (fixed, converged) = aam::cli::harness::fix_text(text, false);
        assert!(converged);
        assert_eq!(fixed, want);
        oracles::fix_invariants(text).unwrap();
    }
}

/// `fix_renumber` (2026-11-27, the rerun): a range whose ends are the same
/// number (`[4-4]`) is one reference to the model, and the renumbering
/// rewrote only its first end: `[1-4]`, which cites notes 2 to 4 as well.
/// Fixed in `src/checks/renumber.rs`: both ends are rewritten.
#[test]
fn a_range_with_the_same_ends_is_renumbered_at_both_ends() {
    let found = "[4-4]\n[4]";
    assert_eq!(aam::cli::harness::fix_text(found, false).0, "[1-1]\n[1]");
    oracles::fix_invariants(found).unwrap();
    let text = "A.[2] B.[1, 1–1]\n\n[1] One\n[2] Two\n";
    assert_eq!(aam::cli::harness::fix_text(text, false).0, "A.[1] B.[2, 2–2]\n\n[1] Two\n[2] One\n");
    oracles::fix_invariants(text).unwrap();
}

/// `fix_renumber` (2026-11-27, run 6): a note that opens a comment it does
/// not close (`[2] <!--`) was moved up the notes list, and its comment then
/// swallowed the notes after it. Fixed in `src/checks/renumber.rs`: such a
/// list is relabelled in place, not reordered.
#[test]
fn a_note_with_an_unclosed_comment_is_not_moved() {
    let found = "[2][1]\n[1] a\n[2] <!--";
    assert_eq!(aam::cli::harness::fix_text(found, false).0, "[1][2]\n[2] a\n[1] <!--");
    oracles::fix_invariants(found).unwrap();
}
