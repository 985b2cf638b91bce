//! Inlay hints (off unless configured): a short citation after a reference,
//! the weekday after a date that does not name one.

use crate::ide::{group_labels, notes};
use crate::model::Document;
use crate::model::dates::{DateValue, weekday_name};
use crate::text::TextRange;

/// Which hints to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InlayHintConfig {
    pub citations: bool,
    pub weekdays: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintKind {
    Citation,
    Weekday,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint stands: right after the marker or the date.
    pub offset: usize,
    pub label: String,
    pub kind: HintKind,
}

/// Hints whose position lies in `range`.
pub fn inlay_hints(doc: &Document, range: TextRange, config: InlayHintConfig) -> Vec<InlayHint> {
    let mut hints = Vec::new();
    if config.citations {
        let first = doc.references.partition_point(|reference| reference.marker.end() < range.start());
        let mut idx = first;
        while idx < doc.references.len() && doc.references[idx].marker.start() <= range.end() {
            let marker = doc.references[idx].marker;
            let group: Vec<usize> =
                (idx..doc.references.len()).take_while(|&i| doc.references[i].marker == marker).collect();
            idx += group.len();
            if !range.touches(marker.end()) {
                continue;
            }
            let parts: Vec<String> = group_labels(doc, &group)
                .into_iter()
                .filter_map(|label| {
                    doc.note_indices(label).first().map(|&note| notes::short_citation(doc, note as usize))
                })
                .collect();
            if !parts.is_empty() {
                hints.push(InlayHint {
                    offset: marker.end(),
                    label: parts.join("; "),
                    kind: HintKind::Citation,
                });
            }
        }
    }
    if config.weekdays {
        for date in doc.dates.iter().filter(|date| range.touches(date.range.end())) {
            if let (DateValue::Day(day), None) = (date.value, date.weekday) {
                hints.push(InlayHint {
                    offset: date.range.end(),
                    label: weekday_name(day.weekday()).to_owned(),
                    kind: HintKind::Weekday,
                });
            }
        }
    }
    hints.sort_by_key(|hint| hint.offset);
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    #[test]
    fn citation_and_weekday_hints() {
        let text = "On June 25, 2023 it was said.[1, 2]\n[1] “T”, TASS, June 25th, 2023\n[2] Ibid\n";
        let doc = fixture::doc(text);
        let everything = TextRange::new(0, text.find('\n').unwrap());
        let hints = inlay_hints(&doc, everything, InlayHintConfig { citations: true, weekdays: true });
        let labels: Vec<(&str, usize)> =
            hints.iter().map(|hint| (hint.label.as_ref(), hint.offset)).collect();
        assert_eq!(labels, [("Sunday", 16), ("TASS, 2023; Ibid. → [1]", 35)]);
        assert!(inlay_hints(&doc, everything, InlayHintConfig::default()).is_empty());
    }
}
