//! Hover data for a date mention: its ISO value, weekday, and for relative
//! phrases what they resolve to and from which anchor. Plain data in byte
//! offsets; `lsp/` renders it.

use jiff::civil::{Date, Weekday};

use crate::model::Document;
use crate::model::dates::{DateMention, DateValue, Precision, RelativeKind, YearSource, prose, weekday_name};
use crate::text::TextRange;

/// What a hover on a date shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateHover {
    /// The mention's range (index `mention` into `Document::dates`).
    pub range: TextRange,
    pub mention: usize,
    /// ISO 8601 at the text's precision: `2023-06-25`, `2023-06`, `195X`.
    pub iso: String,
    /// The value in words: `June 25, 2023`.
    pub prose: String,
    pub precision: Option<Precision>,
    /// The weekday of the day (for day values), whatever the text says.
    pub weekday: Option<Weekday>,
    /// The weekday the text writes, when it differs from the date's.
    pub written_weekday: Option<Weekday>,
    /// `true` for a date the calendar does not have.
    pub invalid: bool,
    /// Where the year came from, when it is not written.
    pub year_from: Option<YearFrom>,
    /// For relative phrases: what they resolve to.
    pub relative: Option<RelativeHover>,
}

/// Where a `June 25` got its year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearFrom {
    /// An earlier date in the text (its range).
    Earlier(TextRange),
    /// The article's date.
    ArticleDate(Date),
    /// Nowhere: no earlier year, no article date.
    Unknown,
}

/// A relative phrase resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeHover {
    /// The phrase: `last Sunday`, `yesterday`, `two days later`.
    pub range: TextRange,
    /// The day it names, when its anchor is known.
    pub resolves_to: Option<Date>,
    /// What it counts from.
    pub anchor: Anchor,
    /// `false` when the phrase and the written date disagree (AAM204).
    pub agrees: bool,
}

/// What a relative phrase counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The article's date (`None` when the article has none).
    ArticleDate(Option<Date>),
    /// Another date of the text (its range).
    Date(TextRange),
    /// An anchored phrase without a date to count from.
    Missing,
}

/// The hover data of the date at `offset` (a cursor just after it counts).
pub fn date_hover(doc: &Document, offset: usize) -> Option<DateHover> {
    let first = doc.dates.partition_point(|date| date.range.end() < offset);
    let idx = (first..doc.dates.len())
        .take_while(|&idx| doc.dates[idx].range.start() <= offset)
        .find(|&idx| doc.dates[idx].range.touches(offset))?;
    Some(hover_for(doc, idx))
}

/// The hover data of mention `idx`.
pub fn hover_for(doc: &Document, idx: usize) -> DateHover {
    let mention: &DateMention = &doc.dates[idx];
    let weekday = match mention.value {
        DateValue::Day(date) => Some(date.weekday()),
        _ => None,
    };
    let year_from = match mention.year_source {
        YearSource::Earlier(earlier) => Some(YearFrom::Earlier(doc.dates[earlier as usize].date_range)),
        YearSource::ArticleDate => doc.article_date.map(YearFrom::ArticleDate),
        YearSource::None if matches!(mention.value, DateValue::MonthDay { .. }) => Some(YearFrom::Unknown),
        _ => None,
    };
    let relative = mention.relative_phrase.map(|rel| {
        let anchor = match (rel.kind, rel.anchor) {
            (RelativeKind::AnchorOffset { .. }, Some(anchor)) => {
                Anchor::Date(doc.dates[anchor as usize].date_range)
            }
            (RelativeKind::AnchorOffset { .. }, None) => Anchor::Missing,
            _ => Anchor::ArticleDate(doc.article_date),
        };
        let agrees = match (rel.resolved, mention.value) {
            (Some(resolved), DateValue::Day(date)) => resolved == date,
            _ => true,
        };
        RelativeHover { range: rel.range, resolves_to: rel.resolved, anchor, agrees }
    });
    DateHover {
        range: mention.range,
        mention: idx,
        iso: mention.value.iso(),
        prose: prose(&mention.value),
        precision: mention.value.precision(),
        weekday,
        written_weekday: mention.weekday.filter(|&written| Some(written) != weekday),
        invalid: mention.is_invalid(),
        year_from,
        relative,
    }
}

impl DateHover {
    /// One line of plain text: `2023-06-25 · Sunday`, `yesterday → 2023-06-26 (Monday)`.
    pub fn summary(&self) -> String {
        let mut out =
            if self.invalid { format!("{} (not a calendar date)", self.iso) } else { self.iso.clone() };
        if let Some(weekday) = self.weekday {
            out.push_str(" · ");
            out.push_str(weekday_name(weekday));
        }
        if let Some(written) = self.written_weekday {
            out.push_str(&format!(" (the text says {})", weekday_name(written)));
        }
        if let Some(relative) = &self.relative
            && let Some(date) = relative.resolves_to
            && !relative.agrees
        {
            out.push_str(&format!(
                " · the relative phrase points to {date} ({})",
                weekday_name(date.weekday())
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelConfig;

    fn doc_with_date(text: &str, article: Option<Date>) -> Document {
        Document::parse(text, &ModelConfig { date_order: None, reference_date: article })
    }

    #[test]
    fn iso_value_and_weekday() {
        let doc = doc_with_date("It was June 25, 2023 then.\n", None);
        let hover = date_hover(&doc, 10).unwrap();
        assert_eq!(hover.iso, "2023-06-25");
        assert_eq!(hover.weekday, Some(Weekday::Sunday));
        assert_eq!(hover.summary(), "2023-06-25 · Sunday");
        assert_eq!(date_hover(&doc, 2), None);
    }

    #[test]
    fn relative_resolution() {
        let article = Date::new(2023, 6, 27).unwrap();
        let doc = doc_with_date("He left yesterday. They met last Sunday, June 18.\n", Some(article));
        let hover = date_hover(&doc, 10).unwrap();
        assert_eq!(hover.iso, "2023-06-26");
        let relative = hover.relative.unwrap();
        assert_eq!(relative.resolves_to, Some(Date::new(2023, 6, 26).unwrap()));
        assert_eq!(relative.anchor, Anchor::ArticleDate(Some(article)));
        let hover = date_hover(&doc, 35).unwrap();
        assert_eq!(hover.iso, "2023-06-18");
        assert!(!hover.relative.as_ref().unwrap().agrees);
        assert_eq!(hover.year_from, Some(YearFrom::ArticleDate(article)));
        assert!(hover.summary().contains("points to 2023-06-25"), "{}", hover.summary());
    }
}
