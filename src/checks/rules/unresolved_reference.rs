//! AAM001 `unresolved-reference`: a reference whose label has no note.

use crate::checks::{Applicability, Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::model::{Document, label};

/// ## What it does
/// Flags a reference such as `[7]` or `[^label]` when the article defines no
/// note with that label.
///
/// ## Why is this bad?
/// A reader who follows the marker finds nothing: the claim it should support
/// has no visible source.
///
/// ## Example
/// ```text
/// The ministry confirmed the visit.[7]
///
/// [1] “Statement on the visit”, Ministry, June 25, 2023
/// ```
///
/// ## Fix
/// Add the missing note, or correct the marker. In an editor, the quick fix
/// adds a stub `[7] ` at the end of the notes list.
pub(crate) const RULE: Rule = Rule {
    code: "AAM001",
    name: "unresolved-reference",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a reference whose label has no definition",
    check,
    source: include_str!("unresolved_reference.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for reference in &doc.references {
        if doc.note(&reference.label).is_some() {
            continue;
        }
        let message = format!("note {} is not defined", label::marker(&reference.label));
        acc.push(Diagnostic::new(&RULE, reference.range, message).with_fix(add_stub(doc, &reference.label)));
    }
}

/// A stub definition after the last note (or at the end of the text).
fn add_stub(doc: &Document, label: &str) -> Fix {
    let text = doc.text();
    let (offset, prefix) = match doc.notes.last() {
        Some(note) => (note.range.end(), "\n"),
        None if text.is_empty() || text.ends_with("\n\n") => (text.len(), ""),
        None if text.ends_with('\n') => (text.len(), "\n"),
        None => (text.len(), "\n\n"),
    };
    // A note's range may or may not include its line break.
    let (offset, new_text) = match text[offset..].strip_prefix('\n') {
        Some(_) if prefix == "\n" => (offset + 1, format!("{} \n", label::marker(label))),
        _ => (offset, format!("{prefix}{} ", label::marker(label))),
    };
    Fix {
        message: format!("add a stub for note {}", label::marker(label)),
        edits: vec![Edit::insert(offset, new_text)],
        applicability: Applicability::DisplayOnly,
    }
}
