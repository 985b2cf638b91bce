//! The second pass: years for `June 25`, dates for relative phrases.
//!
//! Mentions are walked in document order. A month and day takes the year of
//! the nearest earlier mention whose year is written (`June 25, 2023`, `June
//! 2023`, `in 1996`), else the article's year. Relative phrases count from
//! the article's date (`yesterday`, `last Sunday`) or from an anchor date
//! (`two days later`); a relative phrase on its own whose anchor is unknown
//! names no date and is dropped.

use jiff::ToSpan;
use jiff::civil::Date;

use super::scan::{Raw, RawValue};
use super::{
    DateContext, DateMention, DateValue, Relative, RelativeKind, Unit, WeekdayDirection, YearSource,
};

pub(super) fn resolve(raw: Vec<Raw>, ctx: &DateContext) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::with_capacity(raw.len());
    // Mentions that count from a date after them, resolved at the end.
    let mut deferred: Vec<(usize, usize)> = Vec::new();
    let mut last_year: Option<(i16, u32)> = None;

    for item in &raw {
        let idx = out.len() as u32;
        let mut relative =
            item.relative.map(|(range, kind)| Relative { range, kind, resolved: None, anchor: None });
        let (value, year_source) = match item.value {
            RawValue::Ymd { year: Some(year), month, day } => {
                last_year = Some((year, idx));
                (day_value(Some(year), month, day), YearSource::Written)
            }
            RawValue::Ymd { year: None, month, day } => {
                let year = last_year
                    .map(|(year, at)| (year, YearSource::Earlier(at)))
                    .or_else(|| ctx.article_date.map(|date| (date.year(), YearSource::ArticleDate)));
                match year {
                    Some((year, source)) => (day_value(Some(year), month, day), source),
                    None => (day_value(None, month, day), YearSource::None),
                }
            }
            RawValue::Ym { year, month } => {
                last_year = Some((year, idx));
                (DateValue::Month { year, month }, YearSource::Written)
            }
            RawValue::Y(year) => {
                last_year = Some((year, idx));
                (DateValue::Year(year), YearSource::Written)
            }
            RawValue::Decade(year) => (DateValue::Decade(year), YearSource::None),
            // Filled in below; `Year(0)` never survives.
            RawValue::Relative => (DateValue::Year(0), YearSource::Resolved),
        };
        if let Some(rel) = &mut relative {
            match rel.kind {
                RelativeKind::AnchorOffset { anchor_after: true, .. } => {
                    deferred.push((out.len(), item.anchor_bound))
                }
                RelativeKind::AnchorOffset { amount, unit, anchor_after: false } => {
                    let anchor = out
                        .iter()
                        .enumerate()
                        .rev()
                        .take_while(|(_, m)| m.range.start() >= item.anchor_bound)
                        .find(|(_, m)| {
                            m.range.end() <= item.range.start()
                                && m.value.precision().is_some()
                                && !is_placeholder(m)
                        });
                    if let Some((anchor_idx, anchor)) = anchor {
                        rel.anchor = Some(anchor_idx as u32);
                        rel.resolved = offset_value(anchor.value, amount, unit).and_then(day_of);
                    }
                }
                _ => rel.resolved = resolve_from_article(rel.kind, ctx.article_date),
            }
        }
        let value = match (item.value, relative) {
            (RawValue::Relative, Some(rel)) => match relative_value(&rel, &out, ctx.article_date) {
                Some(value) => value,
                None if matches!(rel.kind, RelativeKind::AnchorOffset { anchor_after: true, .. }) => value,
                None => {
                    out.push(placeholder(item));
                    continue;
                }
            },
            _ => value,
        };
        out.push(DateMention {
            range: item.range,
            date_range: item.date_range,
            value,
            weekday: item.weekday.map(|(weekday, _)| weekday),
            weekday_range: item.weekday.map(|(_, range)| range),
            relative: relative.is_some(),
            kind: item.kind,
            year_source,
            preposition: item.preposition,
            relative_phrase: relative,
        });
    }

    for (idx, anchor_start) in deferred {
        let anchor = out.iter().enumerate().position(|(other, m)| {
            other != idx
                && (m.range.start() == anchor_start || m.date_range.start() == anchor_start)
                && m.value.precision().is_some()
                && !is_placeholder(m)
        });
        let Some(mut rel) = out[idx].relative_phrase else { continue };
        if let (Some(anchor_idx), RelativeKind::AnchorOffset { amount, unit, .. }) = (anchor, rel.kind) {
            rel.anchor = Some(anchor_idx as u32);
            let value = offset_value(out[anchor_idx].value, amount, unit);
            rel.resolved = value.and_then(day_of);
            out[idx].relative_phrase = Some(rel);
            match value {
                Some(value) => out[idx].value = value,
                None => out[idx] = placeholder_mention(&out[idx]),
            }
        } else {
            out[idx] = placeholder_mention(&out[idx]);
        }
    }

    compact(out)
}

/// The value of a relative phrase on its own.
fn relative_value(rel: &Relative, out: &[DateMention], article_date: Option<Date>) -> Option<DateValue> {
    match rel.kind {
        RelativeKind::ArticleOffset { amount, unit } => {
            let article = article_date?;
            match unit {
                Unit::Day | Unit::Week => rel.resolved.map(DateValue::Day),
                Unit::Month => {
                    let date = article.first_of_month().checked_add(amount.months()).ok()?;
                    Some(DateValue::Month { year: date.year(), month: date.month() })
                }
                Unit::Year => Some(DateValue::Year(article.year().checked_add(i16::try_from(amount).ok()?)?)),
            }
        }
        RelativeKind::Weekday { .. } => rel.resolved.map(DateValue::Day),
        RelativeKind::AnchorOffset { amount, unit, .. } => {
            let anchor = &out[rel.anchor? as usize];
            offset_value(anchor.value, amount, unit)
        }
    }
}

/// Where a phrase that counts from the article's date lands.
fn resolve_from_article(kind: RelativeKind, article_date: Option<Date>) -> Option<Date> {
    let article = article_date?;
    match kind {
        RelativeKind::ArticleOffset { amount, unit: Unit::Day } => article.checked_add(amount.days()).ok(),
        RelativeKind::ArticleOffset { amount, unit: Unit::Week } => article.checked_add(amount.weeks()).ok(),
        RelativeKind::ArticleOffset { .. } => None,
        RelativeKind::Weekday { weekday, direction } => match direction {
            WeekdayDirection::Last => article.nth_weekday(-1, weekday).ok(),
            WeekdayDirection::Next => article.nth_weekday(1, weekday).ok(),
            WeekdayDirection::Nearest { .. } if article.weekday() == weekday => Some(article),
            WeekdayDirection::Nearest { future: false } => article.nth_weekday(-1, weekday).ok(),
            WeekdayDirection::Nearest { future: true } => article.nth_weekday(1, weekday).ok(),
        },
        RelativeKind::AnchorOffset { .. } => None,
    }
}

/// `anchor` moved by `amount` `unit`s, at the anchor's precision where the
/// unit allows it (`two years later` than `1996` is `1998`).
fn offset_value(anchor: DateValue, amount: i32, unit: Unit) -> Option<DateValue> {
    match (anchor, unit) {
        (DateValue::Day(date), Unit::Day) => date.checked_add(amount.days()).ok().map(DateValue::Day),
        (DateValue::Day(date), Unit::Week) => date.checked_add(amount.weeks()).ok().map(DateValue::Day),
        (DateValue::Day(date), Unit::Month) => date.checked_add(amount.months()).ok().map(DateValue::Day),
        (DateValue::Day(date), Unit::Year) => date.checked_add(amount.years()).ok().map(DateValue::Day),
        (DateValue::Month { year, month }, Unit::Month | Unit::Year) => {
            let months = if unit == Unit::Year { amount * 12 } else { amount };
            let date = Date::new(year, month, 1).ok()?.checked_add(months.months()).ok()?;
            Some(DateValue::Month { year: date.year(), month: date.month() })
        }
        (DateValue::Year(year), Unit::Year) => {
            Some(DateValue::Year(year.checked_add(i16::try_from(amount).ok()?)?))
        }
        _ => None,
    }
}

fn day_of(value: DateValue) -> Option<Date> {
    match value {
        DateValue::Day(date) => Some(date),
        _ => None,
    }
}

/// A day, or `Invalid` when the calendar has no such day.
fn day_value(year: Option<i16>, month: i8, day: i8) -> DateValue {
    match year {
        Some(year) => match Date::new(year, month, day) {
            Ok(date) if (1..=12).contains(&month) => DateValue::Day(date),
            _ => DateValue::Invalid { year: Some(year), month, day },
        },
        None => {
            // February 29 exists in leap years; April 31 never does.
            let max = Date::new(2024, month.clamp(1, 12), 1).map_or(0, |d| d.days_in_month());
            if (1..=12).contains(&month) && (1..=max).contains(&day) {
                DateValue::MonthDay { month, day }
            } else {
                DateValue::Invalid { year: None, month, day }
            }
        }
    }
}

/// A slot for a mention that is dropped (kept until the end so indices stay
/// valid while resolving).
fn placeholder(item: &Raw) -> DateMention {
    DateMention {
        range: item.range,
        date_range: item.date_range,
        value: DateValue::Year(i16::MIN),
        weekday: None,
        weekday_range: None,
        relative: true,
        kind: item.kind,
        year_source: YearSource::None,
        preposition: None,
        relative_phrase: None,
    }
}

fn placeholder_mention(mention: &DateMention) -> DateMention {
    DateMention { value: DateValue::Year(i16::MIN), relative_phrase: None, ..mention.clone() }
}

fn is_placeholder(mention: &DateMention) -> bool {
    mention.value == DateValue::Year(i16::MIN)
}

/// Drops the placeholders and renumbers the indices that point into the list.
fn compact(out: Vec<DateMention>) -> Vec<DateMention> {
    if !out.iter().any(is_placeholder) {
        return out;
    }
    let mut new_index = Vec::with_capacity(out.len());
    let mut next = 0u32;
    for mention in &out {
        new_index.push(next);
        if !is_placeholder(mention) {
            next += 1;
        }
    }
    let remap = |idx: u32| new_index[idx as usize];
    out.into_iter()
        .filter(|m| !is_placeholder(m))
        .map(|mut m| {
            if let YearSource::Earlier(idx) = m.year_source {
                m.year_source = YearSource::Earlier(remap(idx));
            }
            if let Some(rel) = &mut m.relative_phrase {
                rel.anchor = rel.anchor.map(remap);
            }
            m
        })
        .collect()
}
