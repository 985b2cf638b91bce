//! AAM006 `empty-footnote`: a note definition with no text.

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::label;

/// ## What it does
/// Flags a note definition that has a label and nothing else, such as a line
/// `[4]` or `[^source]:` alone.
///
/// ## Why is this bad?
/// The reference that cites it promises a source and delivers none; usually a
/// stub that was never filled in.
///
/// ## Example
/// ```text
/// [4]
/// ```
///
/// ## Fix
/// Write the citation, or remove the note and its references.
pub(crate) const RULE: Rule = Rule {
    code: "AAM006",
    name: "empty-footnote",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a definition with no text",
    check,
    source: include_str!("empty_footnote.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    for note in &ctx.doc.notes {
        if !note.text.is_empty() {
            continue;
        }
        let message = format!("note {} has no text", label::marker(&note.label));
        acc.push(Diagnostic::new(&RULE, note.label_range, message));
    }
}
