//! AAM007 `unresolved-citation`: a Pandoc citation whose key is in no
//! bibliography.

use crate::checks::{Context, Diagnostic, Rule, Severity};

/// ## What it does
/// Flags a citation, `[@key]`, `[see @key, p. 3]`, `[-@key]` or a narrative
/// `@key`, whose key is in none of the article's bibliographies (the files
/// named by `bibliography:` in the front matter or by `[bibliography]
/// files` in `aam.toml`). An article that names no bibliography is not
/// checked: its `@` words are left alone.
///
/// ## Why is this bad?
/// Pandoc prints the bare key, in bold with a question mark, where the
/// reference should be; the reader cannot find the source. Usually the key
/// is misspelt, or the entry was never added to the `.bib` file.
///
/// ## Example
/// ```text
/// ---
/// bibliography: refs.bib
/// ---
/// The harbour opened in 1911 [@smtih1911].
/// ```
///
/// ## Fix
/// Correct the key (completion after `@` in the editor offers the
/// bibliography's keys), or add the entry to the bibliography.
pub(crate) const RULE: Rule = Rule {
    code: "AAM007",
    name: "unresolved-citation",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a citation `[@key]` or `@key` whose key is in no bibliography",
    check,
    source: include_str!("unresolved_citation.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let library = &doc.library;
    if library.is_unconfigured() {
        return;
    }
    for cite in &doc.cites {
        if library.get(&cite.key).is_some() {
            continue;
        }
        let files: Vec<&str> = library.sources.iter().map(|source| source.path.as_str()).collect();
        let message = if files.is_empty() {
            format!("citation key `@{}` is not in the bibliography (none could be read)", cite.key)
        } else {
            format!("citation key `@{}` is not in the bibliography ({})", cite.key, files.join(", "))
        };
        acc.push(Diagnostic::new(&RULE, cite.range, message));
    }
}
