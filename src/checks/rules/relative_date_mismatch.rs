//! AAM204 `relative-date-mismatch`: a relative phrase tied to a date that
//! the article's own date contradicts.

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::BlockKind;
use crate::model::dates::{DateValue, MentionKind, prose};

/// ## What it does
/// Flags a relative phrase written next to an explicit date when, counted
/// from the article's date, the phrase lands on another day: `yesterday,
/// March 12` in an article dated March 14; `last Sunday, June 25` when the
/// Sunday before the article's date is not June 25.
///
/// `yesterday`, `today`, `tomorrow` move the article's date by a day;
/// `last Sunday` is the nearest Sunday strictly before it, `next Monday` the
/// nearest Monday strictly after it. The rule runs only when the article has
/// a date (front matter `date`, or `reference-date` in `aam.toml`), and not
/// in notes or block quotes, whose relative words belong to someone else.
///
/// ## Why is this bad?
/// The phrase and the date tell the reader two different days; usually the
/// article was dated (or published) later than it was written.
///
/// ## Example
/// ```text
/// ---
/// date: 2023-03-14
/// ---
/// The minister resigned yesterday, March 12.
/// ```
///
/// ## Fix
/// Correct the date, drop the relative phrase, or fix the article's date.
pub(crate) const RULE: Rule = Rule {
    code: "AAM204",
    name: "relative-date-mismatch",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a relative phrase tied to a date that the article's own date contradicts",
    check,
    source: include_str!("relative_date_mismatch.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let Some(article_date) = doc.article_date else { return };
    let article_entry =
        doc.front_matter.as_ref().and_then(|fm| fm.get("date")).map(|entry| entry.value_range);
    for mention in &doc.dates {
        let Some(rel) = mention.relative_phrase else { continue };
        let (Some(resolved), DateValue::Day(written), true) =
            (rel.resolved, mention.value, mention.kind != MentionKind::Relative)
        else {
            continue;
        };
        if resolved == written || rel.anchor.is_some() {
            continue;
        }
        let context = doc.sentence_at(mention.range.start()).map(|s| s.context);
        if matches!(context, Some(BlockKind::Note | BlockKind::Quote)) {
            continue;
        }
        let phrase = doc.slice(rel.range);
        let message = format!(
            "`{phrase}` in an article dated {} is {}, not {}",
            prose(&DateValue::Day(article_date)),
            prose(&DateValue::Day(resolved)),
            prose(&mention.value)
        );
        let mut diagnostic = Diagnostic::new(&RULE, mention.range, message);
        if let Some(range) = article_entry {
            diagnostic = diagnostic.with_related(range, "the article's date");
        }
        acc.push(diagnostic);
    }
}
