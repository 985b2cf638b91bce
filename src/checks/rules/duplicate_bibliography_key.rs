//! AAM009 `duplicate-bibliography-key`: two entries of a bibliography with
//! the same key.

use crate::checks::{Diagnostic, Rule, Severity};
use crate::model::bibliography::Source;

/// ## What it does
/// Flags an entry of a bibliography file (`.bib` or CSL-JSON) whose key an
/// earlier entry of the same file already has. The finding is in the
/// bibliography file, at the repeated key, with the first entry as related
/// information. Across files, the first file the article names wins,
/// silently, as in Pandoc.
///
/// ## Why is this bad?
/// Only one of the two entries can be cited: BibTeX and biber keep the
/// first (and warn), Pandoc stops with an error. The other is unreachable,
/// and a citation may name a different work from the one its writer meant.
///
/// ## Example
/// ```text
/// @book{knuth1984, title = {The TeXbook}}
/// @article{knuth1984, title = {Literate Programming}}
/// ```
///
/// ## Fix
/// Give one of the entries a new key (and update its citations), or remove
/// the copy.
pub(crate) const RULE: Rule = Rule {
    code: "AAM009",
    name: "duplicate-bibliography-key",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a bibliography entry whose key an earlier entry of the same file has",
    check: super::in_bibliography_only,
    source: include_str!("duplicate_bibliography_key.rs"),
};

/// The findings in `source`.
pub(crate) fn check_source(source: &Source, acc: &mut Vec<Diagnostic>) {
    for (dup, first) in source.duplicates() {
        let entry = &source.entries[dup];
        let earlier = &source.entries[first];
        acc.push(
            Diagnostic::new(&RULE, entry.key_range, format!("key `{}` is defined twice", entry.key))
                .with_related(earlier.key_range, "first defined here"),
        );
    }
}
