//! AAM005 `dangling-ibid`: an Ibid note with no note before it.

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::label;
use crate::text::TextRange;

/// ## What it does
/// Flags a note that starts with `Ibid` (or `Id.`) when no note comes before
/// it in the notes list.
///
/// ## Why is this bad?
/// "Ibid" means "the same source as the note before". With no note before
/// it, the citation names no source at all — usually the notes were
/// reordered or the first note was deleted.
///
/// ## Example
/// ```text
/// [1] Ibid., p. 4
/// [2] Nectar Gan, “China throws support behind Russia”, CNN, June 26, 2023
/// ```
///
/// ## Fix
/// Replace the Ibid with the full citation.
pub(crate) const RULE: Rule = Rule {
    code: "AAM005",
    name: "dangling-ibid",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "an Ibid note with no note before it",
    check,
    source: include_str!("dangling_ibid.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    for note in &ctx.doc.notes {
        if !note.ibid || note.ibid_of.is_some() {
            continue;
        }
        let word_len = ctx
            .doc
            .slice(note.content)
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(note.content.len());
        let range = TextRange::new(note.content.start(), note.content.start() + word_len);
        let message = format!("note {} says Ibid, but no note comes before it", label::marker(&note.label));
        acc.push(Diagnostic::new(&RULE, range, message));
    }
}
