//! Date mentions: extraction from prose and normalisation to calendar values.
//!
//! PLACEHOLDER: the date issue replaces the extraction below.

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
    Day(Date),
    Month { year: i16, month: i8 },
    Year(i16),
    Decade(i16),
    Invalid { year: i16, month: i8, day: i8 },
}

impl DateValue {
    /// ISO 8601 at the precision of the text.
    pub fn iso(&self) -> String {
        match *self {
            DateValue::Day(date) => date.to_string(),
            DateValue::Month { year, month } => format!("{year:04}-{month:02}"),
            DateValue::Year(year) => format!("{year:04}"),
            DateValue::Decade(year) => format!("{:03}X", year / 10),
            DateValue::Invalid { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
        }
    }
}

/// One date in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub range: TextRange,
    pub value: DateValue,
    pub weekday: Option<Weekday>,
    pub weekday_range: Option<TextRange>,
    pub relative: bool,
}

/// What extraction needs beyond the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    pub order: DateOrder,
    pub article_date: Option<Date>,
}

/// Finds the date mentions of `blocks`' prose, in order.
pub fn extract(masked: &str, blocks: &[Block], ctx: &DateContext) -> Vec<DateMention> {
    let _ = (masked, blocks, ctx);
    Vec::new()
}

/// Reads a whole value as one date (front matter `date:`).
pub fn parse_standalone(value: &str, order: DateOrder) -> Option<Date> {
    let _ = order;
    value.trim().parse::<Date>().ok()
}
