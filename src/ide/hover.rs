//! Hover: the cited note on a reference, where a note is cited on its label,
//! the calendar value of a date.

use crate::ide::dates::{self, Anchor, YearFrom};
use crate::ide::notes::{self, escape};
use crate::ide::{Target, group_labels, target_at};
use crate::model::dates::weekday_name;
use crate::model::{Document, label};
use crate::text::TextRange;

/// How many citing lines a note's hover lists before "…".
const MAX_LINES_LISTED: usize = 20;
/// How many defined labels an unresolved reference's hover lists.
const MAX_LABELS_LISTED: usize = 30;

/// Markdown for the range the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

pub fn hover(doc: &Document, offset: usize) -> Option<Hover> {
    let target = target_at(doc, offset)?;
    let range = target.range(doc);
    let markdown = match &target {
        Target::Reference(idx) => label_markdown(doc, &doc.references[*idx].label),
        Target::Group(refs) => group_labels(doc, refs)
            .into_iter()
            .map(|label| label_markdown(doc, label))
            .collect::<Vec<_>>()
            .join("\n\n---\n\n"),
        Target::NoteLabel(idx) => citing_markdown(doc, *idx),
        Target::Date(idx) => date_markdown(doc, *idx),
    };
    Some(Hover { range, markdown })
}

/// The note a label cites, or why there is none.
fn label_markdown(doc: &Document, label_text: &str) -> String {
    let notes = doc.note_indices(label_text);
    let Some(&first) = notes.first() else {
        return unresolved_markdown(doc, label_text);
    };
    let mut markdown = notes::note_markdown(doc, first as usize);
    if notes.len() > 1 {
        markdown.push_str(&format!(
            "\n\n*{} is defined {} times; this is the first definition.*",
            escape(&label::marker(label_text)),
            notes.len()
        ));
    }
    markdown
}

fn unresolved_markdown(doc: &Document, label_text: &str) -> String {
    let marker = escape(&label::marker(label_text));
    let mut labels: Vec<&str> = doc.notes.iter().map(|note| note.label.as_ref()).collect();
    labels.sort_by(|a, b| label_order(a).cmp(&label_order(b)));
    labels.dedup();
    if labels.is_empty() {
        return format!("**{marker}**: no note {marker} is defined, and the article defines no notes.");
    }
    let listed = compress_labels(&labels, MAX_LABELS_LISTED);
    format!("**{marker}**: no note {marker} is defined.\n\nDefined notes: {listed}")
}

/// Where the note at `note_idx` is cited.
fn citing_markdown(doc: &Document, note_idx: usize) -> String {
    let note = &doc.notes[note_idx];
    let marker = escape(&label::marker(&note.label));
    let references = doc.reference_indices(&note.label);
    if references.is_empty() {
        return format!("**{marker}** is never cited.");
    }
    let mut lines: Vec<usize> = references
        .iter()
        .map(|&idx| doc.line_index().line_of(doc.references[idx as usize].range.start()) + 1)
        .collect();
    lines.dedup();
    let times = if references.len() == 1 { "once".to_owned() } else { format!("{} times", references.len()) };
    let noun = if lines.len() == 1 { "line" } else { "lines" };
    let mut listed: Vec<String> = lines.iter().take(MAX_LINES_LISTED).map(usize::to_string).collect();
    if lines.len() > MAX_LINES_LISTED {
        listed.push("…".to_owned());
    }
    format!("**{marker}** is cited {times}, on {noun} {}.", listed.join(", "))
}

fn date_markdown(doc: &Document, idx: usize) -> String {
    let hover = dates::hover_for(doc, idx);
    let written = escape(doc.slice(hover.range).trim());
    let line_of = |range: TextRange| doc.line_index().line_of(range.start()) + 1;
    let mut paragraphs = vec![if hover.invalid {
        format!("**{written}** is not a day of the calendar ({}).", hover.iso)
    } else {
        match hover.weekday {
            Some(weekday) => format!("**{written}**: {} · {}", hover.iso, weekday_name(weekday)),
            None => format!("**{written}**: {}", hover.iso),
        }
    }];
    if let (Some(written_weekday), Some(weekday)) = (hover.written_weekday, hover.weekday) {
        paragraphs.push(format!(
            "The text says {}, but {} is a {}.",
            weekday_name(written_weekday),
            hover.iso,
            weekday_name(weekday)
        ));
    }
    match &hover.year_from {
        Some(YearFrom::Earlier(range)) => paragraphs.push(format!(
            "The year comes from *{}* (line {}).",
            escape(doc.slice(*range).trim()),
            line_of(*range)
        )),
        Some(YearFrom::ArticleDate(date)) => {
            paragraphs.push(format!("The year comes from the article's date, {date}."))
        }
        Some(YearFrom::Unknown) => {
            paragraphs.push("No year: no earlier date names one and the article has no date.".to_owned())
        }
        None => {}
    }
    if let Some(relative) = &hover.relative {
        let phrase = escape(doc.slice(relative.range).trim());
        let from = match &relative.anchor {
            Anchor::ArticleDate(Some(date)) => format!("counting from the article's date, {date}"),
            Anchor::ArticleDate(None) => {
                "counting from the article's date, which it does not give".to_owned()
            }
            Anchor::Date(range) => {
                format!("counting from *{}* (line {})", escape(doc.slice(*range).trim()), line_of(*range))
            }
            Anchor::Missing => "with no date before it to count from".to_owned(),
        };
        paragraphs.push(match relative.resolves_to {
            Some(date) => format!("*{phrase}* is {date}, a {}, {from}.", weekday_name(date.weekday())),
            None => format!("*{phrase}* cannot be resolved, {from}."),
        });
        if !relative.agrees {
            paragraphs.push("That is not the date written here.".to_owned());
        }
    }
    paragraphs.join("\n\n")
}

/// Sort key of a label: numbers by value first, then named labels.
pub(crate) fn label_order(label_text: &str) -> (u8, u64, &str) {
    match label::numeric(label_text) {
        Some(number) => (0, number, ""),
        None => (1, 0, label_text),
    }
}

/// `[1]–[7], [9], [^a]`: runs of consecutive numbers shortened.
fn compress_labels(sorted: &[&str], max: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut idx = 0;
    while idx < sorted.len() {
        let mut end = idx;
        if let Some(start) = label::numeric(sorted[idx]) {
            while end + 1 < sorted.len()
                && label::numeric(sorted[end + 1]) == Some(start + (end + 1 - idx) as u64)
            {
                end += 1;
            }
        }
        let first = escape(&label::marker(sorted[idx]));
        parts.push(match end - idx {
            0 => first,
            1 => format!("{first}, {}", escape(&label::marker(sorted[end]))),
            _ => format!("{first}–{}", escape(&label::marker(sorted[end]))),
        });
        idx = end + 1;
    }
    if parts.len() > max {
        parts.truncate(max);
        parts.push("…".to_owned());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn hover_at(fixture_text: &str) -> Hover {
        let (text, cursors, _) = fixture::parse(fixture_text);
        let doc = fixture::doc(&text);
        hover(&doc, cursors[0]).expect("a hover")
    }

    const NOTES: &str = "[1] Ann Lee, “First”, CNN, June 26th, 2023, https://cnn.com/a\n[2] Ibid\n[3] “Third”, TASS, June 25th, 2023, https://tass.com/b\n";

    #[test]
    fn reference_shows_its_note() {
        let hover = hover_at(&format!("Said.[3] Again.[2]\n      |\n{NOTES}"));
        assert!(
            hover
                .markdown
                .starts_with("**\\[3\\]** *“Third”*\n\nTASS · June 25th, 2023 (2023-06-25, Sunday)"),
            "{}",
            hover.markdown
        );
        assert!(hover.markdown.contains("[https://tass.com/b](<https://tass.com/b>)"));
        assert_eq!(hover.range.len(), 3);
    }

    #[test]
    fn ibid_reference_resolves_to_the_note_before() {
        let hover = hover_at(&format!("Said.[3] Again.[2]\n                |\n{NOTES}"));
        assert!(
            hover.markdown.starts_with("**\\[2\\]** Ibid. — same source as \\[1\\]: *“First”*"),
            "{}",
            hover.markdown
        );
    }

    #[test]
    fn group_shows_every_note() {
        let hover = hover_at(&format!("Said.[1, 3]\n          |\n{NOTES}"));
        assert!(
            hover.markdown.contains("*“First”*") && hover.markdown.contains("*“Third”*"),
            "{}",
            hover.markdown
        );
        assert!(hover.markdown.contains("\n\n---\n\n"));
    }

    #[test]
    fn unresolved_reference_lists_defined_labels() {
        let hover = hover_at(&format!("Said.[9]\n      |\n{NOTES}[^x]: y\n"));
        assert_eq!(
            hover.markdown,
            "**\\[9\\]**: no note \\[9\\] is defined.\n\nDefined notes: \\[1\\]–\\[3\\], \\[^x\\]"
        );
    }

    #[test]
    fn note_label_lists_citing_lines() {
        let hover = hover_at("Said.[1]\nAnd.[1] Also.[3]\n[1] a\n |\n[3] b\n");
        assert_eq!(hover.markdown, "**\\[1\\]** is cited 2 times, on lines 1, 2.");
        let hover = hover_at("Said.[1]\nAnd.[1] Also.[3]\n[1] a\n[3] b\n |\n");
        assert_eq!(hover.markdown, "**\\[3\\]** is cited once, on line 2.");
        let hover = hover_at("Said.\n[4] x\n |\n");
        assert_eq!(hover.markdown, "**\\[4\\]** is never cited.");
    }

    #[test]
    fn date_shows_iso_value_and_weekday() {
        let hover = hover_at("It was June 25, 2023 then.\n          |\n");
        assert_eq!(hover.markdown, "**June 25, 2023**: 2023-06-25 · Sunday");
        let hover = hover_at("It was Monday, June 25, 2023 then.\n          |\n");
        assert!(
            hover.markdown.ends_with("The text says Monday, but 2023-06-25 is a Sunday."),
            "{}",
            hover.markdown
        );
        let hover =
            hover_at("---\ndate: 2023-06-27\n---\nThey met last Sunday, June 18.\n                   |\n");
        assert_eq!(
            hover.markdown,
            "**last Sunday, June 18**: 2023-06-18 · Sunday\n\nThe year comes from the article's date, 2023-06-27.\n\n\
             *last Sunday* is 2023-06-25, a Sunday, counting from the article's date, 2023-06-27.\n\n\
             That is not the date written here."
        );
    }

    #[test]
    fn compresses_runs() {
        assert_eq!(compress_labels(&["1", "2", "4", "5", "6"], 10), "\\[1\\], \\[2\\], \\[4\\]–\\[6\\]");
    }
}
