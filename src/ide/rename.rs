//! Rename a note label: every reference and every definition.
//!
//! A reference inside a range marker (`[2-4]`) cannot be renamed in place;
//! the marker is rewritten as a list (`[2, 9, 4]`).

use rustc_hash::FxHashSet;

use crate::checks::Edit;
use crate::ide::{Target, label_text_range, target_at, target_label};
use crate::model::{Document, label};
use crate::text::TextRange;

/// The label under the cursor, and the range an editor selects to rename it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameTarget {
    pub range: TextRange,
    pub label: String,
}

/// The label at `offset`, if the cursor is on one (`None` on a group's
/// punctuation, a date, plain text).
pub fn prepare_rename(doc: &Document, offset: usize) -> Option<RenameTarget> {
    let target = target_at(doc, offset)?;
    let label_text = target_label(doc, &target)?.to_owned();
    let container = match target {
        Target::Reference(idx) if doc.references[idx].in_range => return None,
        Target::Reference(idx) => doc.references[idx].range,
        Target::NoteLabel(idx) => doc.notes[idx].label_range,
        Target::Group(_) | Target::Date(_) => return None,
    };
    Some(RenameTarget { range: label_text_range(doc, container, &label_text), label: label_text })
}

/// The edits that rename the label at `offset` to `new_name`, or why not.
pub fn rename(doc: &Document, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
    let target =
        prepare_rename(doc, offset).ok_or_else(|| "there is no note label here to rename".to_owned())?;
    let old = target.label.as_ref();
    let new = normalise(old, new_name)?;
    if new == old {
        return Ok(Vec::new());
    }
    if let Some(&idx) = doc.note_indices(&new).first() {
        let line = doc.line_index().line_of(doc.notes[idx as usize].range.start()) + 1;
        return Err(format!("label {} is already defined on line {line}", label::marker(&new)));
    }
    if let Some(&idx) = doc.reference_indices(&new).first() {
        let line = doc.line_index().line_of(doc.references[idx as usize].range.start()) + 1;
        return Err(format!("label {} is already cited on line {line}", label::marker(&new)));
    }

    let mut edits = Vec::new();
    let mut rewritten_markers: FxHashSet<TextRange> = FxHashSet::default();
    for &idx in doc.reference_indices(old) {
        let reference = &doc.references[idx as usize];
        let marker = reference.marker;
        let group: Vec<&crate::model::Reference> =
            doc.references.iter().filter(|r| r.marker == marker).collect();
        if group.iter().any(|r| r.in_range || doc.slice(r.range).contains(['-', '–'])) {
            if rewritten_markers.insert(marker) {
                edits.push(Edit::replace(marker, list_marker(&group, old, &new)));
            }
            continue;
        }
        edits.push(Edit::replace(label_text_range(doc, reference.range, old), new.clone()));
    }
    for &idx in doc.note_indices(old) {
        let note = &doc.notes[idx as usize];
        edits.push(Edit::replace(label_text_range(doc, note.label_range, old), new.clone()));
    }
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    edits.dedup();
    Ok(edits)
}

/// The label a user typed, as a label: brackets and a trailing colon
/// dropped, a missing `^` added when renaming a `^` label.
fn normalise(old: &str, typed: &str) -> Result<String, String> {
    let trimmed = typed.trim();
    let trimmed = trimmed.strip_suffix(':').unwrap_or(trimmed);
    let inner = trimmed.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')).unwrap_or(trimmed).trim();
    let candidate =
        if old.starts_with('^') && !inner.starts_with('^') && label::is_valid(&format!("^{inner}")) {
            format!("^{inner}")
        } else {
            inner.to_owned()
        };
    if label::is_valid(&candidate) {
        Ok(candidate)
    } else {
        Err(format!(
            "`{}` is not a valid label: use a number like 7, or ^ and letters, digits, _ or - like ^note-1",
            typed.trim()
        ))
    }
}

/// A group marker with `old` replaced, written as a plain list.
fn list_marker(group: &[&crate::model::Reference], old: &str, new: &str) -> String {
    let labels: Vec<&str> =
        group.iter().map(|r| if *r.label == *old { new } else { r.label.as_ref() }).collect();
    format!("[{}]", labels.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::apply_edits;
    use crate::ide::fixture;

    fn renamed(text: &str, at: &str, new: &str) -> Result<String, String> {
        let doc = fixture::doc(text);
        let edits = rename(&doc, text.find(at).unwrap() + 1, new)?;
        Ok(apply_edits(text, &edits))
    }

    #[test]
    fn renames_references_and_definitions() {
        let text = "One.[1] Two.[3] Both.[1, 3]\n[1] a\n[3] b\n";
        assert_eq!(renamed(text, "[3]", "7").unwrap(), "One.[1] Two.[7] Both.[1, 7]\n[1] a\n[7] b\n");
        assert_eq!(renamed(text, "[3] b", "[8]").unwrap(), "One.[1] Two.[8] Both.[1, 8]\n[1] a\n[8] b\n");
    }

    #[test]
    fn renames_named_labels_with_or_without_caret() {
        let text = "One.[^a] Two.[^a]\n[^a]: x\n";
        assert_eq!(renamed(text, "[^a]", "src-2").unwrap(), "One.[^src-2] Two.[^src-2]\n[^src-2]: x\n");
        assert_eq!(renamed(text, "[^a]", "^b").unwrap(), "One.[^b] Two.[^b]\n[^b]: x\n");
    }

    #[test]
    fn rewrites_a_range_as_a_list() {
        let text = "Many.[2-4]\n[2] a\n[3] b\n[4] c\n";
        assert_eq!(renamed(text, "[3] b", "9").unwrap(), "Many.[2, 9, 4]\n[2] a\n[9] b\n[4] c\n");
    }

    #[test]
    fn rejects_used_and_invalid_names() {
        let text = "One.[1] Two.[3]\n[1] a\n[3] b\n";
        assert_eq!(renamed(text, "[3]", "1"), Err("label [1] is already defined on line 2".to_owned()));
        assert!(renamed(text, "[3]", "a b").unwrap_err().contains("`a b` is not a valid label"));
        let doc = fixture::doc(text);
        assert_eq!(prepare_rename(&doc, 1), None);
        let target = prepare_rename(&doc, text.find("[3]").unwrap() + 2).unwrap();
        assert_eq!(doc.slice(target.range), "3");
    }
}
