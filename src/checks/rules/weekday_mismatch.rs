//! AAM202 `weekday-mismatch`: a weekday that is not the weekday of its date.

use jiff::civil::Weekday;

use crate::checks::{Applicability, Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::model::dates::{DateValue, YearSource, prose, weekday_name};
use crate::text::TextRange;

/// ## What it does
/// Flags a weekday written with a date when the calendar disagrees:
/// `Monday, June 25, 2023` (a Sunday), `2 May 2018, a Thursday` (a
/// Wednesday), `yesterday, Sunday` in an article whose yesterday is a
/// Monday. Prefix (`Sunday, June 25`, `Tuesday 17 January 2023`, `Sun.,
/// June 25`) and suffix forms (`June 25 (Sunday)`, `2 May 2018, a
/// Wednesday`) are read. A `June 25` without a year takes the year of the
/// nearest earlier date (or the article's); the message then says so, and
/// the rule stays silent when the weekday fits the article's year or one of
/// the last three years written before the date (the inferred year may be
/// the wrong one).
///
/// ## Why is this bad?
/// Either the weekday or the date is wrong, and readers who check one against
/// the other stop trusting both.
///
/// ## Example
/// ```text
/// The talks opened on Monday, June 25, 2023.
/// ```
///
/// ## Fix
/// Check which of the two is right. The fix replaces the weekday with the
/// date's own. It is a safe fix (`aam check --fix` applies it, as the CI
/// contract asks): the calendar decides the weekday of a full date, and a
/// writer who meant another date sees the changed line in the diff.
pub(crate) const RULE: Rule = Rule {
    code: "AAM202",
    name: "weekday-mismatch",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a weekday that is not the weekday of the date it names",
    check,
    source: include_str!("weekday_mismatch.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for (idx, mention) in doc.dates.iter().enumerate() {
        let (Some(written), Some(weekday_range), DateValue::Day(date)) =
            (mention.weekday, mention.weekday_range, mention.value)
        else {
            continue;
        };
        let actual = date.weekday();
        if actual == written || other_year_fits(ctx, idx, date, written) {
            continue;
        }
        let what = if mention.relative_phrase.is_some_and(|rel| rel.range == mention.date_range) {
            format!("`{}` ({})", doc.slice(mention.date_range), prose(&mention.value))
        } else {
            prose(&mention.value)
        };
        let mut message = format!("{what} is a {}, not a {}", weekday_name(actual), weekday_name(written));
        match mention.year_source {
            YearSource::Earlier(idx) => {
                let earlier = &doc.dates[idx as usize];
                message.push_str(&format!(
                    " (the year is taken from `{}` before it)",
                    doc.slice(earlier.date_range)
                ));
            }
            YearSource::ArticleDate => message.push_str(" (the year is the article's)"),
            _ => {}
        }
        let mut range = weekday_range.cover(mention.date_range);
        // `June 25 (Sunday)`: the closing paren belongs to the weekday.
        if weekday_range.start() > mention.date_range.start() {
            range = range.cover(TextRange::new(range.start(), mention.range.end()));
        }
        let replacement = spelled_like(doc.slice(weekday_range), actual);
        acc.push(Diagnostic::new(&RULE, range, message).with_fix(Fix {
            message: format!("change the weekday to {replacement}"),
            edits: vec![Edit::replace(weekday_range, replacement)],
            applicability: Applicability::Safe,
        }));
    }
}

/// For a date whose year is not written: `true` when the weekday fits the
/// month and day in the article's year or in one of the last three years
/// written before it — the inferred year is a guess, and an article that
/// moves between years (a history section, pasted copies) makes it a wrong
/// one.
fn other_year_fits(ctx: &Context<'_>, idx: usize, date: jiff::civil::Date, written: Weekday) -> bool {
    let doc = ctx.doc;
    if doc.dates[idx].year_source == YearSource::Written
        || doc.dates[idx].relative_phrase.is_some_and(|r| r.range == doc.dates[idx].date_range)
    {
        return false;
    }
    let mut years: Vec<i16> = doc.article_date.map(|d| d.year()).into_iter().collect();
    for earlier in doc.dates[..idx].iter().rev() {
        if years.len() >= 4 {
            break;
        }
        if earlier.year_source == YearSource::Written
            && let Some(year) = earlier.value.year()
            && !years.contains(&year)
        {
            years.push(year);
        }
    }
    years.iter().any(|&year| {
        jiff::civil::Date::new(year, date.month(), date.day()).is_ok_and(|other| other.weekday() == written)
    })
}

/// `weekday` written the way `written` is: `Sunday`, `Sun.`, `SUNDAY`.
fn spelled_like(written: &str, weekday: Weekday) -> String {
    let name = weekday_name(weekday);
    let letters = written.trim_end_matches('.');
    let mut out = if letters.len() < 6 {
        // Abbreviations: Sun, Tue(s), Thu(rs): keep their length where the
        // new name has a common form of it, else three letters.
        name[..3].to_owned()
    } else {
        name.to_owned()
    };
    if letters.len() > 1 && letters.chars().all(|c| c.is_ascii_uppercase()) {
        out = out.to_ascii_uppercase();
    }
    if written.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_keeps_the_form() {
        assert_eq!(spelled_like("Monday", Weekday::Sunday), "Sunday");
        assert_eq!(spelled_like("Mon.", Weekday::Sunday), "Sun.");
        assert_eq!(spelled_like("MONDAY", Weekday::Sunday), "SUNDAY");
    }
}
