//! Date mentions: extraction from prose and normalisation to calendar values.
//!
//! `extract` finds every date the rules understand (see `docs/dates.md`) in
//! one pass over the bytes of the prose: ASCII words are looked up in a small
//! table of month and weekday names, `today`/`yesterday`/`tomorrow` and time
//! units, digit runs are noted, and a small hand-written parser reads the
//! date around each such candidate. No regex runs over the text and nothing
//! is allocated per word. A second pass (`resolve`) walks the mentions in document order to
//! give `June 25` its year and relative phrases their dates.

pub mod entities;
mod lexicon;
mod resolve;
mod scan;

use std::cmp::Ordering;

use jiff::civil::{Date, Weekday};

use crate::model::Block;
use crate::text::TextRange;

/// How numeric dates like `03/04/2023` are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    #[default]
    Mdy,
    Dmy,
}

impl DateOrder {
    pub fn parse(value: &str) -> Option<DateOrder> {
        match value.trim().to_ascii_lowercase().as_str() {
            "mdy" => Some(DateOrder::Mdy),
            "dmy" => Some(DateOrder::Dmy),
            _ => None,
        }
    }
}

/// The calendar value a mention names, as precise as its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// `June 25, 2023`, `2023-06-25`.
    Day(Date),
    /// `June 2023`.
    Month { year: i16, month: i8 },
    /// `in 1996`.
    Year(i16),
    /// `the 1950s` (the decade's first year).
    Decade(i16),
    /// `June 25` when no year is known (no earlier year, no article date).
    MonthDay { month: i8, day: i8 },
    /// A day that does not exist: `February 30, 2021`, `2023-13-01`. The
    /// year is `None` for a month and day that never exist (`April 31`).
    Invalid { year: Option<i16>, month: i8, day: i8 },
}

/// How precise a value is, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Decade,
    Year,
    Month,
    Day,
}

impl DateValue {
    /// ISO 8601 at the precision of the text: `2023-06-25`, `2023-06`, `2023`,
    /// `195X`; `--06-25` for a month and day without a year.
    pub fn iso(&self) -> String {
        match *self {
            DateValue::Day(date) => date.to_string(),
            DateValue::Month { year, month } => format!("{year:04}-{month:02}"),
            DateValue::Year(year) => format!("{year:04}"),
            DateValue::Decade(year) => format!("{:03}X", year / 10),
            DateValue::MonthDay { month, day } => format!("--{month:02}-{day:02}"),
            DateValue::Invalid { year: Some(year), month, day } => format!("{year:04}-{month:02}-{day:02}"),
            DateValue::Invalid { year: None, month, day } => format!("--{month:02}-{day:02}"),
        }
    }

    /// The precision of the value; `None` for values that are not on the
    /// calendar (a month and day without year, an invalid date).
    pub fn precision(&self) -> Option<Precision> {
        match self {
            DateValue::Day(_) => Some(Precision::Day),
            DateValue::Month { .. } => Some(Precision::Month),
            DateValue::Year(_) => Some(Precision::Year),
            DateValue::Decade(_) => Some(Precision::Decade),
            DateValue::MonthDay { .. } | DateValue::Invalid { .. } => None,
        }
    }

    /// The year, for values that have one.
    pub fn year(&self) -> Option<i16> {
        match *self {
            DateValue::Day(date) => Some(date.year()),
            DateValue::Month { year, .. } | DateValue::Year(year) => Some(year),
            DateValue::Invalid { year, .. } => year,
            DateValue::Decade(_) | DateValue::MonthDay { .. } => None,
        }
    }

    /// The first and last day the value covers (`1996` covers 1996-01-01 to
    /// 1996-12-31); `None` off the calendar.
    pub fn interval(&self) -> Option<(Date, Date)> {
        match *self {
            DateValue::Day(date) => Some((date, date)),
            DateValue::Month { year, month } => {
                let first = Date::new(year, month, 1).ok()?;
                Some((first, first.last_of_month()))
            }
            DateValue::Year(year) => Some((Date::new(year, 1, 1).ok()?, Date::new(year, 12, 31).ok()?)),
            DateValue::Decade(year) => Some((Date::new(year, 1, 1).ok()?, Date::new(year + 9, 12, 31).ok()?)),
            DateValue::MonthDay { .. } | DateValue::Invalid { .. } => None,
        }
    }

    /// A sortable key of the value cut to `precision`.
    fn key(&self, precision: Precision) -> Option<i64> {
        let (first, _) = self.interval()?;
        let (year, month, day) = (i64::from(first.year()), i64::from(first.month()), i64::from(first.day()));
        Some(match precision {
            Precision::Decade => year.div_euclid(10),
            Precision::Year => year,
            Precision::Month => year * 100 + month,
            Precision::Day => year * 10_000 + month * 100 + day,
        })
    }

    /// Compares two values at the coarser of their precisions: `2023` and
    /// `2023-06-25` are equal, `June 2023` is before `July 1, 2023`.
    pub fn cmp_coarse(&self, other: &DateValue) -> Option<Ordering> {
        let precision = self.precision()?.min(other.precision()?);
        Some(self.key(precision)?.cmp(&other.key(precision)?))
    }
}

/// What the text of a mention looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// A day with its year written: `June 25, 2023`, `2023-06-25`, `03/04/2023`.
    Full,
    /// A month and day whose year comes from the context: `June 25`.
    MonthDay,
    /// `June 2023`.
    MonthYear,
    /// A year where the context says it is one: `in 1996`, `mid-2022`.
    Year,
    /// `the 1950s`, `the '90s`.
    Decade,
    /// A phrase that names a date only relative to another one: `yesterday`,
    /// `last Sunday`, `two days later`, `last year`.
    Relative,
}

/// Where the year of a mention came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YearSource {
    /// Written in the mention.
    Written,
    /// The nearest earlier mention with a written year (its index).
    Earlier(u32),
    /// The article's date.
    ArticleDate,
    /// A relative phrase, resolved.
    Resolved,
    /// Not known (`June 25` with nothing before it and no article date), or
    /// not applicable (a decade).
    None,
}

/// The word right before a mention that says how it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preposition {
    In,
    On,
    At,
    Since,
    By,
    Before,
    After,
    Until,
    From,
    To,
    During,
    Around,
    Of,
    Early,
    Mid,
    Late,
    /// `accessed`, `retrieved`, `archived` (on): the day a citation was
    /// read, not the source's date.
    Accessed,
}

impl Preposition {
    /// `true` for words that make the date a bound rather than an event:
    /// `by 2030`, `until 2019`, `before 1991`.
    pub fn is_bound(self) -> bool {
        matches!(self, Preposition::By | Preposition::Before | Preposition::Until)
    }
}

/// A unit of a relative offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// Which way a weekday phrase points from the article's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WeekdayDirection {
    /// `last Sunday`: the nearest such day strictly before.
    Last,
    /// `next Monday`: the nearest such day strictly after.
    Next,
    /// `this Friday`, `on Friday`: the nearest such day on or before the
    /// article's date, or on or after it when the sentence speaks of the
    /// future (`will meet on Friday`).
    Nearest { future: bool },
}

/// What a relative phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelativeKind {
    /// `today` (0), `yesterday` (-1), `tomorrow` (1), `three days ago` (-3),
    /// `last year` (-1 years): the article's date moved by `amount` `unit`s.
    ArticleOffset { amount: i32, unit: Unit },
    /// `last Sunday`, `next Monday`, `on Friday`.
    Weekday { weekday: Weekday, direction: WeekdayDirection },
    /// `two days later`, `the next day` (anchor before, in the same
    /// sentence), `a day before June 25` (anchor right after).
    AnchorOffset { amount: i32, unit: Unit, anchor_after: bool },
}

/// A relative phrase and what it resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relative {
    /// The phrase: `last Sunday`, `yesterday`, `two days later`.
    pub range: TextRange,
    pub kind: RelativeKind,
    /// The date the phrase names, when its anchor is known.
    pub resolved: Option<Date>,
    /// The mention (index into the mentions) the phrase counts from, for
    /// anchored offsets; `None` when it counts from the article's date.
    pub anchor: Option<u32>,
}

/// One date in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// The whole mention, the weekday and relative phrase included.
    pub range: TextRange,
    /// The calendar part alone (`June 25` in `last Sunday, June 25`); for a
    /// relative phrase on its own, the phrase.
    pub date_range: TextRange,
    pub value: DateValue,
    /// The weekday the text names, if any.
    pub weekday: Option<Weekday>,
    pub weekday_range: Option<TextRange>,
    /// `true` for `yesterday`, `last Sunday` and the like (alone or tied to
    /// a date, as in `last Sunday, June 25`).
    pub relative: bool,
    pub kind: MentionKind,
    pub year_source: YearSource,
    /// The word before the mention (`in 1996`, `before 1991`).
    pub preposition: Option<Preposition>,
    /// The relative phrase, for relative mentions.
    pub relative_phrase: Option<Relative>,
}

impl DateMention {
    /// `true` when the text names a day that the calendar does not have.
    pub fn is_invalid(&self) -> bool {
        matches!(self.value, DateValue::Invalid { .. })
    }

    /// `true` for the access date of a citation (`accessed June 30, 2023`),
    /// which is not the source's date.
    pub fn is_access_date(&self) -> bool {
        self.preposition == Some(Preposition::Accessed)
    }
}

/// What extraction needs beyond the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateContext {
    pub order: DateOrder,
    pub article_date: Option<Date>,
}

/// Finds the date mentions of `blocks`' prose, in order. `masked` is the text
/// with code, comments, URLs and reference markers blanked to spaces (same
/// byte offsets as the source).
pub fn extract(masked: &str, blocks: &[Block], ctx: &DateContext) -> Vec<DateMention> {
    let raw = scan::scan(masked, blocks, ctx, |_| false, Vec::new());
    resolve::resolve(raw, ctx)
}

/// A mention as scanned, before `resolve_raw` (the model scans each
/// top-level node on its own and resolves the whole document at once).
pub(crate) use scan::Raw;

/// The raw mentions of `blocks`' prose; `masked` is the masked text of the
/// node that starts at `origin` and holds the blocks.
pub(crate) fn scan_raw(
    masked: &str,
    origin: usize,
    blocks: &[Block],
    ctx: &DateContext,
    skip: impl Fn(usize) -> bool,
    scanned: Vec<Raw>,
) -> Vec<Raw> {
    let local: Vec<Block> = blocks
        .iter()
        .map(|block| Block {
            range: moved(block.range, origin, 0),
            content: moved(block.content, origin, 0),
            ..*block
        })
        .collect();
    let scanned = scanned.iter().map(|raw| raw.moved(origin, 0)).collect();
    let mut raw = scan::scan(masked, &local, ctx, skip, scanned);
    for item in &mut raw {
        *item = item.moved(0, origin);
    }
    raw
}

/// The raw mentions of the piece `range` (document offsets) of a block
/// whose masked text from `origin` is `masked`; see `scan::scan_piece`.
pub(crate) fn scan_piece_raw(
    masked: &str,
    origin: usize,
    range: TextRange,
    ctx: &DateContext,
    sentences: &[std::ops::Range<usize>],
    previous: Option<usize>,
) -> Vec<Raw> {
    let local = |offset: usize| offset - origin;
    let sentences = sentences.iter().map(|r| local(r.start)..local(r.end)).collect();
    let mut raw = scan::scan_piece(
        masked,
        local(range.start())..local(range.end()),
        ctx,
        sentences,
        previous.map(local),
    );
    for item in &mut raw {
        *item = item.moved(0, origin);
    }
    raw
}

/// Whether a word may matter to a date mention next to it (a lexicon word
/// or a preposition, with or without a final period): such words do not end
/// a piece (`sentences::safe_cuts`).
pub(crate) fn is_date_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    lexicon::word_of(bytes).is_some()
        || lexicon::preposition(bytes).is_some()
        || with_dot(bytes).is_some_and(|dotted| lexicon::preposition(dotted.as_slice()).is_some())
        || lexicon::year_noun(bytes)
        || lexicon::takes_year_after_of(bytes)
        || lexicon::is_count_word(bytes)
}

/// `word` and a dot, for the prepositions written with one (`c.`, `ca.`):
/// on the stack, as this runs for every word where a piece could be cut.
fn with_dot(word: &[u8]) -> Option<smallvec::SmallVec<[u8; 8]>> {
    (word.len() < 8).then(|| word.iter().copied().chain(std::iter::once(b'.')).collect())
}

/// Resolves the raw mentions of a whole document, in order.
pub(crate) fn resolve_raw(raw: Vec<Raw>, ctx: &DateContext) -> Vec<DateMention> {
    resolve::resolve(raw, ctx)
}

/// `range` moved from a node at `from` to the same node at `to`.
fn moved(range: TextRange, from: usize, to: usize) -> TextRange {
    TextRange::new(range.start().saturating_sub(from) + to, range.end().saturating_sub(from) + to)
}

/// Reads a whole value as one date (front matter `date:`): ISO
/// `2023-06-27` or prose `June 27, 2023`, `27 June 2023`, `06/27/2023`.
pub fn parse_standalone(value: &str, order: DateOrder) -> Option<Date> {
    let trimmed = value.trim();
    if let Ok(date) = trimmed.parse::<Date>() {
        return Some(date);
    }
    let ctx = DateContext { order, article_date: None };
    let mentions = scan::scan_prose(trimmed, &ctx);
    let mention = resolve::resolve(mentions, &ctx).into_iter().next()?;
    let covers_all =
        trimmed[mention.range.end()..].trim_matches(|c: char| c.is_whitespace() || c == '.').is_empty()
            && trimmed[..mention.range.start()].trim().is_empty();
    match (mention.value, mention.year_source) {
        (DateValue::Day(date), YearSource::Written) if covers_all => Some(date),
        _ => None,
    }
}

/// The English name of a weekday.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// The English name of a month (1–12); `""` for other numbers.
pub fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    usize::try_from(month - 1).ok().and_then(|idx| NAMES.get(idx)).copied().unwrap_or("")
}

/// A value written in prose: `June 25, 2023`, `June 2023`, `1996`, `the 1950s`.
pub fn prose(value: &DateValue) -> String {
    match *value {
        DateValue::Day(date) => format!("{} {}, {}", month_name(date.month()), date.day(), date.year()),
        DateValue::Month { year, month } => format!("{} {year}", month_name(month)),
        DateValue::Year(year) => year.to_string(),
        DateValue::Decade(year) => format!("the {year}s"),
        DateValue::MonthDay { month, day } => format!("{} {day}", month_name(month)),
        DateValue::Invalid { year: Some(year), month, day } => format!("{} {day}, {year}", month_name(month)),
        DateValue::Invalid { year: None, month, day } => format!("{} {day}", month_name(month)),
    }
}

/// `true` when `text` speaks of the future or of a plan: `will`, `is
/// expected on`, `is scheduled for`, `plans to`, `is due`, `set to`. Used for
/// `on Friday` (which way it points) and by AAM203 (a plan is not a report).
pub fn has_future_cue(text: &str) -> bool {
    lexicon::has_future_cue(text)
}

#[cfg(test)]
mod tests;
