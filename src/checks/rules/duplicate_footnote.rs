//! AAM003 `duplicate-footnote`: a label defined more than once.

use crate::checks::renumber::remove_note;
use crate::checks::{Applicability, Context, Diagnostic, Fix, Rule, Severity};
use crate::model::label;

/// ## What it does
/// Flags every definition of a label that is defined more than once, such as
/// two lines starting with `[3]`. Each diagnostic points at the other
/// definitions.
///
/// ## Why is this bad?
/// A reference to `[3]` is ambiguous: readers, renderers and this tool can
/// only pick one of the notes, and the other source is silently lost.
///
/// ## Example
/// ```text
/// [3] “China, Russia should defend common interests”, TASS, June 25th, 2023
/// [3] “How Has the China-Russia Relationship Evolved?”, China Power, 2022
/// ```
///
/// ## Fix
/// Renumber one of the notes (and its references), or remove the duplicate.
pub(crate) const RULE: Rule = Rule {
    code: "AAM003",
    name: "duplicate-footnote",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a label defined twice (both places)",
    check,
    source: include_str!("duplicate_footnote.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for (idx, note) in doc.notes.iter().enumerate() {
        let all = doc.note_indices(&note.label);
        if all.len() < 2 {
            continue;
        }
        let marker = label::marker(&note.label);
        let message = format!("note {marker} is defined {} times", all.len());
        let mut diagnostic = Diagnostic::new(&RULE, note.label_range, message);
        for &other in all.iter().filter(|&&other| other as usize != idx) {
            let other = &doc.notes[other as usize];
            diagnostic = diagnostic.with_related(other.label_range, format!("{marker} is also defined here"));
        }
        if all[0] as usize != idx {
            diagnostic = diagnostic.with_fix(Fix {
                message: format!("remove this definition of {marker}"),
                edits: vec![remove_note(doc, idx)],
                applicability: Applicability::Unsafe,
            });
        }
        acc.push(diagnostic);
    }
}
