//! AAM004 `footnote-order`: numeric notes not numbered in reading order, or gaps.

use crate::checks::renumber::renumber_fix;
use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::label;
use crate::text::TextRange;

/// ## What it does
/// For numeric notes (`[1]`, `[2]` …), flags a reference that cites a note
/// for the first time out of order — `[4]` before any `[3]` — and a gap in
/// the numbering — notes `[1]`, `[2]`, `[4]` with no `[3]`. Labelled notes
/// (`[^source]`) are not numbered and never flagged.
///
/// ## Why is this bad?
/// Readers expect note numbers to rise as they read; out-of-order or missing
/// numbers suggest a deleted or misplaced note.
///
/// ## Example
/// ```text
/// The treaty was signed in 2001.[2] It was upgraded in 2011.[1]
/// ```
///
/// ## Fix
/// `aam check --fix` (and the editor's "Renumber notes in reading order")
/// renumbers every reference and definition and reorders the notes list.
pub(crate) const RULE: Rule = Rule {
    code: "AAM004",
    name: "footnote-order",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "numeric notes not numbered 1, 2, 3 … in reading order, or gaps in the numbering",
    check,
    source: include_str!("footnote_order.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let mut findings: Vec<Diagnostic> = Vec::new();

    // Out of order: a note cited for the first time while a smaller number
    // is still to be cited for the first time was cited too early.
    let mut seen = rustc_hash::FxHashSet::default();
    let mut first_citations: Vec<(u64, usize)> = Vec::new();
    for (idx, reference) in doc.references.iter().enumerate() {
        let Some(number) = label::numeric(&reference.label) else { continue };
        if !doc.note_indices(&reference.label).is_empty() && seen.insert(number) {
            first_citations.push((number, idx));
        }
    }
    let mut smallest_later = u64::MAX;
    let mut suffix_min = vec![u64::MAX; first_citations.len()];
    for (position, &(number, _)) in first_citations.iter().enumerate().rev() {
        suffix_min[position] = smallest_later;
        smallest_later = smallest_later.min(number);
    }
    for (position, &(number, reference_idx)) in first_citations.iter().enumerate() {
        let expected = suffix_min[position];
        if expected >= number {
            continue;
        }
        let message = format!(
            "note [{number}] is cited before note [{expected}]: notes are not numbered in reading order"
        );
        let reference = &doc.references[reference_idx];
        let mut diagnostic = Diagnostic::new(&RULE, reference.range, message);
        if let Some(&first) = doc.reference_indices(&expected.to_string()).first() {
            diagnostic = diagnostic.with_related(
                doc.references[first as usize].range,
                format!("[{expected}] is first cited here"),
            );
        }
        findings.push(diagnostic);
    }

    // Gaps: defined numbers should run 1, 2, 3 … without holes.
    let mut numbers: Vec<(u64, TextRange)> = doc
        .notes
        .iter()
        .filter_map(|note| label::numeric(&note.label).map(|n| (n, note.label_range)))
        .collect();
    numbers.sort_by_key(|(number, _)| *number);
    numbers.dedup_by_key(|(number, _)| *number);
    let mut previous = 0;
    for (number, range) in numbers {
        if number > previous + 1 {
            let message = if previous == 0 {
                format!("note numbering starts at [{number}], not [1]")
            } else if number == previous + 2 {
                format!("note [{}] is missing between [{previous}] and [{number}]", previous + 1)
            } else {
                format!(
                    "notes [{}] to [{}] are missing between [{previous}] and [{number}]",
                    previous + 1,
                    number - 1
                )
            };
            findings.push(Diagnostic::new(&RULE, range, message));
        }
        previous = number;
    }

    // The renumbering rewrites every note at once: it rides on the first
    // finding only (a copy per finding would cost memory quadratic in the
    // number of notes on a book-length article).
    // The renumbering (a pass over every reference and note) only when
    // there is something to fix.
    let mut fix = if findings.is_empty() { None } else { renumber_fix(doc) };
    for mut diagnostic in findings {
        if let Some(fix) = fix.take() {
            diagnostic = diagnostic.with_fix(fix);
        }
        acc.push(diagnostic);
    }
}
