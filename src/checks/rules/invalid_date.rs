//! AAM201 `invalid-date`: a calendar date that does not exist.

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::dates::{DateValue, YearSource, month_name};

/// ## What it does
/// Flags a date whose day is not on the calendar: `February 30, 2021`,
/// `April 31`, `2023-13-01`, `31/04/2022` under `date-order: dmy`, and
/// February 29 in a year that is not a leap year.
///
/// February 29 of a `June 25`-style date whose year is not written (it comes
/// from an earlier date or the article's date) is not flagged: the inferred
/// year may be wrong. A day that no year has (`April 31`) always is.
///
/// ## Why is this bad?
/// A date that does not exist is a typo in the day, the month or the year —
/// or a numeric date read in the other order — and the reader cannot tell
/// which.
///
/// ## Example
/// ```text
/// The treaty was signed on February 29, 2023.
/// ```
///
/// ## Fix
/// Check the date against the source and correct it. For a numeric date with
/// a month above 12, set `date-order: dmy` in the front matter or `aam.toml`
/// if the article writes the day first.
pub(crate) const RULE: Rule = Rule {
    code: "AAM201",
    name: "invalid-date",
    default_severity: Severity::Error,
    enabled_by_default: true,
    summary: "a calendar date that does not exist",
    check,
    source: include_str!("invalid_date.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for mention in &doc.dates {
        let DateValue::Invalid { year, month, day } = mention.value else { continue };
        let text = doc.slice(mention.date_range);
        let message = if !(1..=12).contains(&month) {
            let mut message = format!("`{text}` is not a date: there is no month {month}");
            if (1..=12).contains(&day) {
                message.push_str(&format!(
                    " (read {} first; if the article writes the day first, set `date-order: {}`)",
                    match doc.date_order {
                        crate::model::DateOrder::Mdy => "the month",
                        crate::model::DateOrder::Dmy => "the day",
                    },
                    match doc.date_order {
                        crate::model::DateOrder::Mdy => "dmy",
                        crate::model::DateOrder::Dmy => "mdy",
                    }
                ));
            }
            message
        } else {
            let name = month_name(month);
            let days_in_any_year = max_days(month);
            match year {
                Some(year) if day <= days_in_any_year => {
                    if mention.year_source != YearSource::Written {
                        // `February 29` with an inferred year: not sure enough.
                        continue;
                    }
                    format!("`{text}` is not a date: {year} is not a leap year, so {name} has 28 days")
                }
                _ => format!("`{text}` is not a date: {name} has {days_in_any_year} days"),
            }
        };
        acc.push(Diagnostic::new(&RULE, mention.date_range, message));
    }
}

/// The most days `month` has in any year.
fn max_days(month: i8) -> i8 {
    jiff::civil::Date::new(2024, month, 1).map_or(31, |date| date.days_in_month())
}
