//! AAM008 `unused-bibliography-entry`: a bibliography entry that no article
//! cites (off by default).

use crate::checks::{Diagnostic, Rule, Severity};
use crate::model::bibliography::Source;

/// ## What it does
/// Flags an entry of a bibliography file whose key no checked article
/// cites. The finding is in the bibliography file, at the entry's key. An
/// article that cites `@*` via `nocite` is not understood: the rule is off
/// by default, as texlab's is, because one bibliography usually serves
/// many articles.
///
/// ## Why is this bad?
/// With `suppress-bibliography` off, Pandoc lists only cited entries, so an
/// unused entry is dead weight at best; at worst the citation that should
/// name it was lost in an edit.
///
/// ## Example
/// ```text
/// @book{knuth1984, title = {The TeXbook}}
/// @book{never1999, title = {Cited by nobody}}
/// ```
///
/// ## Fix
/// Cite the entry, or remove it. Turn the rule on with
/// `unused-bibliography-entry = "warning"` in `[rules]`, or `--select
/// AAM008`.
pub(crate) const RULE: Rule = Rule {
    code: "AAM008",
    name: "unused-bibliography-entry",
    default_severity: Severity::Warning,
    enabled_by_default: false,
    summary: "a bibliography entry that no checked article cites",
    check: super::in_bibliography_only,
    source: include_str!("unused_bibliography_entry.rs"),
};

/// The findings in `source`, given which keys the articles that use it cite.
pub(crate) fn check_source(source: &Source, cited: &dyn Fn(&str) -> bool, acc: &mut Vec<Diagnostic>) {
    let duplicates: Vec<usize> = source.duplicates().into_iter().map(|(dup, _)| dup).collect();
    for (idx, entry) in source.entries.iter().enumerate() {
        if cited(&entry.key) || duplicates.contains(&idx) {
            continue;
        }
        acc.push(Diagnostic::new(&RULE, entry.key_range, format!("entry `{}` is never cited", entry.key)));
    }
}
