//! AAM002 `unused-footnote`: a note that no reference cites.

use crate::checks::renumber::remove_note;
use crate::checks::{Applicability, Context, Diagnostic, Fix, Rule, Severity};
use crate::model::label;

/// ## What it does
/// Flags a note definition, such as `[5] …`, that no reference in the text
/// cites.
///
/// ## Why is this bad?
/// Either a marker was deleted while the claim it supported stayed, or the
/// note is left over from an earlier draft. Readers see a source that supports
/// nothing.
///
/// ## Example
/// ```text
/// Relations improved in 1991.[1]
///
/// [1] “History of relations”, China Power, 2022
/// [2] “An unused source”, TASS, 2023
/// ```
///
/// ## Fix
/// Cite the note where it belongs, or remove it (an unsafe fix: it deletes
/// text).
pub(crate) const RULE: Rule = Rule {
    code: "AAM002",
    name: "unused-footnote",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a definition that no reference cites",
    check,
    source: include_str!("unused_footnote.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for (idx, note) in doc.notes.iter().enumerate() {
        if !doc.reference_indices(&note.label).is_empty() {
            continue;
        }
        let marker = label::marker(&note.label);
        let fix = Fix {
            message: format!("remove note {marker}"),
            edits: vec![remove_note(doc, idx)],
            applicability: Applicability::Unsafe,
        };
        acc.push(
            Diagnostic::new(&RULE, note.label_range, format!("note {marker} is never cited")).with_fix(fix),
        );
    }
}
