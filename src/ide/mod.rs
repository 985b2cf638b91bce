//! Editor features on plain offsets: hover, definition, completion …
//!
//! Results are plain data in byte offsets; `lsp/` converts them. Every
//! function here reads an immutable `Document` (and the diagnostics of
//! `checks::check`) and cannot fail: "nothing here" is `None` or an empty
//! list.

pub mod citations;
pub mod code_actions;
pub mod completion;
pub mod dates;
pub mod hover;
pub mod inlay_hints;
pub mod navigation;
pub mod notes;
pub mod rename;
pub mod semantic_tokens;
pub mod structure;

use crate::model::Document;
use crate::text::TextRange;

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One label of a reference (index into `Document::references`).
    Reference(usize),
    /// A marker citing several labels (`[1, 3]`, `[2-4]`) with the cursor on
    /// its punctuation or on a range: indices into `Document::references`.
    Group(Vec<usize>),
    /// The label of a note definition (index into `Document::notes`).
    NoteLabel(usize),
    /// A date mention (index into `Document::dates`).
    Date(usize),
}

impl Target {
    /// The range the target covers in the text.
    pub fn range(&self, doc: &Document) -> TextRange {
        match self {
            Target::Reference(idx) => doc.references[*idx].range,
            Target::Group(refs) => doc.references[refs[0]].marker,
            Target::NoteLabel(idx) => doc.notes[*idx].label_range,
            Target::Date(idx) => doc.dates[*idx].range,
        }
    }
}

/// What is at `offset` (a cursor just after a marker still touches it).
pub fn target_at(doc: &Document, offset: usize) -> Option<Target> {
    reference_target(doc, offset)
        .or_else(|| note_label_target(doc, offset))
        .or_else(|| date_target(doc, offset))
}

/// The label a target names, for navigation and rename.
pub fn target_label<'doc>(doc: &'doc Document, target: &Target) -> Option<&'doc str> {
    match target {
        Target::Reference(idx) => Some(&doc.references[*idx].label),
        Target::NoteLabel(idx) => Some(&doc.notes[*idx].label),
        Target::Group(_) | Target::Date(_) => None,
    }
}

/// Distinct labels of a group, in the order they are written.
pub fn group_labels<'doc>(doc: &'doc Document, refs: &[usize]) -> Vec<&'doc str> {
    let mut labels: Vec<&str> = Vec::new();
    for &idx in refs {
        let label = doc.references[idx].label.as_ref();
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// The range of `label`'s own characters inside `container` (a marker or a
/// definition's label): `3` in `[3]`, `^x` in `[^x]:`.
pub fn label_text_range(doc: &Document, container: TextRange, label: &str) -> TextRange {
    match doc.slice(container).find(label) {
        Some(idx) => TextRange::new(container.start() + idx, container.start() + idx + label.len()),
        None => container,
    }
}

fn reference_target(doc: &Document, offset: usize) -> Option<Target> {
    let refs = &doc.references;
    let first = refs.partition_point(|r| r.marker.end() < offset);
    let touching: Vec<usize> = (first..refs.len())
        .take_while(|&idx| refs[idx].marker.start() <= offset)
        .filter(|&idx| refs[idx].marker.touches(offset))
        .collect();
    if touching.is_empty() {
        return None;
    }
    if let Some(&idx) = touching.iter().find(|&&idx| !refs[idx].in_range && refs[idx].range.contains(offset))
    {
        return Some(Target::Reference(idx));
    }
    // The marker the cursor is inside, else the one it is just after.
    let marker = touching
        .iter()
        .map(|&idx| refs[idx].marker)
        .find(|marker| marker.contains(offset))
        .unwrap_or(refs[touching[0]].marker);
    let group: Vec<usize> = touching.into_iter().filter(|&idx| refs[idx].marker == marker).collect();
    match group.as_slice() {
        [single] => Some(Target::Reference(*single)),
        _ => Some(Target::Group(group)),
    }
}

fn note_label_target(doc: &Document, offset: usize) -> Option<Target> {
    doc.notes.iter().position(|note| note.label_range.touches(offset)).map(Target::NoteLabel)
}

fn date_target(doc: &Document, offset: usize) -> Option<Target> {
    let first = doc.dates.partition_point(|date| date.range.end() < offset);
    (first..doc.dates.len())
        .take_while(|&idx| doc.dates[idx].range.start() <= offset)
        .find(|&idx| doc.dates[idx].range.touches(offset))
        .map(Target::Date)
}

#[cfg(test)]
pub(crate) mod fixture {
    //! Fixtures with markers on their own lines under the text (texlab
    //! style): `|` marks a cursor, `^^^` a range, on the line above.

    use crate::model::{Document, ModelConfig};
    use crate::text::TextRange;

    /// The text without marker lines, the cursors and the ranges.
    pub fn parse(fixture: &str) -> (String, Vec<usize>, Vec<TextRange>) {
        let mut text = String::new();
        let mut cursors = Vec::new();
        let mut ranges = Vec::new();
        let mut previous_line_start = 0;
        for line in fixture.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            let is_marker_line =
                !body.trim().is_empty() && body.chars().all(|c| matches!(c, ' ' | '|' | '^'));
            if is_marker_line {
                let columns = |c: char| body.char_indices().filter(move |&(_, m)| m == c).map(|(idx, _)| idx);
                cursors.extend(columns('|').map(|col| previous_line_start + col));
                let carets: Vec<usize> = columns('^').collect();
                if let (Some(&first), Some(&last)) = (carets.first(), carets.last()) {
                    ranges.push(TextRange::new(previous_line_start + first, previous_line_start + last + 1));
                }
                continue;
            }
            previous_line_start = text.len();
            text.push_str(line);
        }
        (text, cursors, ranges)
    }

    pub fn doc(text: &str) -> Document {
        Document::parse(text, &ModelConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(fixture: &str) -> (Document, Option<Target>) {
        let (text, cursors, _) = fixture::parse(fixture);
        let doc = fixture::doc(&text);
        let target = target_at(&doc, cursors[0]);
        (doc, target)
    }

    #[test]
    fn lone_reference_including_just_after_it() {
        for fixture in
            ["Said.[3]\n     |\n[3] x\n", "Said.[3]\n       |\n[3] x\n", "Said.[3]\n        |\n[3] x\n"]
        {
            let (doc, found) = target(fixture);
            assert_eq!(found, Some(Target::Reference(0)), "{fixture}");
            assert_eq!(&*doc.references[0].label, "3");
        }
    }

    #[test]
    fn adjacent_markers_prefer_the_one_the_cursor_is_in() {
        let (doc, found) = target("Said.[1][3]\n        |\n[1] a\n[3] b\n");
        let Some(Target::Reference(idx)) = found else { panic!("{found:?}") };
        assert_eq!(&*doc.references[idx].label, "3");
    }

    #[test]
    fn group_label_or_whole_group() {
        let (doc, found) = target("Said.[1, 3]\n         |\n[1] a\n[3] b\n");
        let Some(Target::Reference(idx)) = found else { panic!("{found:?}") };
        assert_eq!(&*doc.references[idx].label, "3");
        let (doc, found) = target("Said.[1, 3]\n       |\n[1] a\n[3] b\n");
        let Some(Target::Group(refs)) = found else { panic!("{found:?}") };
        assert_eq!(group_labels(&doc, &refs), ["1", "3"]);
    }

    #[test]
    fn note_label_and_date_and_nothing() {
        let (_, found) = target("Said.[3]\n[3] x\n |\n");
        assert_eq!(found, Some(Target::NoteLabel(0)));
        let (doc, found) = target("It was June 25, 2023 then.\n          |\n");
        let Some(Target::Date(idx)) = found else { panic!("{found:?}") };
        assert_eq!(doc.slice(doc.dates[idx].range), "June 25, 2023");
        let (_, found) = target("Plain words here.\n  |\n");
        assert_eq!(found, None);
    }

    #[test]
    fn label_text_inside_markers() {
        let doc = fixture::doc("A.[^note-1]\n[^note-1]: x\n");
        let reference = &doc.references[0];
        assert_eq!(doc.slice(label_text_range(&doc, reference.marker, &reference.label)), "^note-1");
        let note = &doc.notes[0];
        assert_eq!(doc.slice(label_text_range(&doc, note.label_range, &note.label)), "^note-1");
    }
}
