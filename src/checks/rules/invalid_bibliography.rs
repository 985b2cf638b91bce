//! AAM010 `invalid-bibliography`: a bibliography file that cannot be read
//! or does not parse.

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::bibliography::Source;
use crate::text::TextRange;

/// ## What it does
/// Flags a bibliography that the article names but that cannot be used:
/// a file that does not exist or cannot be read (reported in the article,
/// at its name in the front matter), and each place where a `.bib` or
/// CSL-JSON file does not parse (reported in the bibliography file, at that
/// line and column). The entries that do parse are still used, and the
/// article is still checked.
///
/// ## Why is this bad?
/// Pandoc stops at the first syntax error of a bibliography; the entries
/// after a broken one are lost to BibTeX. Citations of them look
/// unresolved for a reason that is not in the article.
///
/// ## Example
/// ```text
/// @book{knuth1984,
///   title = {The TeXbook}
///   year = 1984,
/// }
/// ```
/// (a comma is missing after the title).
///
/// ## Fix
/// Correct the file at the reported place, or the path in the front matter
/// (relative to the article) or in `aam.toml` (relative to that file).
pub(crate) const RULE: Rule = Rule {
    code: "AAM010",
    name: "invalid-bibliography",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a bibliography file that cannot be read or does not parse",
    check,
    source: include_str!("invalid_bibliography.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let paths = doc.bibliography_paths();
    for unreadable in &doc.library.unreadable {
        let range = paths
            .iter()
            .find(|path| path.path == unreadable.path)
            .map(|path| path.range)
            .or_else(|| doc.front_matter.as_ref().map(|fm| TextRange::empty(fm.range.start())))
            .unwrap_or(TextRange::empty(0));
        acc.push(Diagnostic::new(
            &RULE,
            range,
            format!("bibliography `{}` cannot be read: {}", unreadable.path, unreadable.message),
        ));
    }
}

/// The findings in `source`.
pub(crate) fn check_source(source: &Source, acc: &mut Vec<Diagnostic>) {
    for error in &source.errors {
        acc.push(Diagnostic::new(
            &RULE,
            error.range,
            format!("bibliography does not parse: {}", error.message),
        ));
    }
}
