//! Renumbering notes in reading order, and removing a note: the edits behind
//! AAM004's fix, `aam check --fix` and the editor's "Renumber notes" action.
//!
//! Numeric notes are renumbered 1, 2, 3 … in the order of their first
//! citation; uncited numeric notes follow in the order they are defined.
//! `[^label]` notes are left alone. When the numeric notes form one
//! contiguous notes list, it is reordered to match; an Ibid note whose
//! antecedent would change is rewritten to the full citation it stood for, so
//! renumbering never changes what a note cites.

use rustc_hash::FxHashMap;

use crate::checks::{Applicability, Edit, Fix};
use crate::model::{BlockKind, Document, label};
use crate::text::TextRange;

/// Old numeric label → new number, in reading order; `None` when the notes
/// are already numbered 1, 2, 3 … in reading order.
pub fn renumbering(doc: &Document) -> Option<FxHashMap<u64, u64>> {
    let mut order: Vec<u64> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    let defined = |number: u64| !doc.note_indices(&number.to_string()).is_empty();
    for reference in &doc.references {
        if let Some(number) = label::numeric(&reference.label)
            && defined(number)
            && seen.insert(number)
        {
            order.push(number);
        }
    }
    for note in &doc.notes {
        if let Some(number) = label::numeric(&note.label)
            && seen.insert(number)
        {
            order.push(number);
        }
    }
    let mapping: FxHashMap<u64, u64> =
        order.iter().enumerate().map(|(idx, &old)| (old, idx as u64 + 1)).collect();
    let identity = mapping.iter().all(|(old, new)| old == new);
    let sorted = numeric_notes_in_order(doc, &mapping);
    (!identity || !sorted).then_some(mapping)
}

/// The fix that renumbers notes in reading order, if they are not.
pub fn renumber_fix(doc: &Document) -> Option<Fix> {
    let mapping = renumbering(doc)?;
    let mut edits = reference_edits(doc, &mapping);
    edits.extend(definition_edits(doc, &mapping));
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    edits.dedup();
    Some(Fix {
        message: "renumber notes in reading order".to_owned(),
        edits,
        applicability: Applicability::Safe,
    })
}

/// The edit that deletes note `idx` with its whole lines.
pub fn remove_note(doc: &Document, idx: usize) -> Edit {
    Edit::delete(line_span(doc.text(), doc.notes[idx].range))
}

/// From the start of the line of `range.start` to the end of the line of its
/// last character, the line break included.
pub fn line_span(text: &str, range: TextRange) -> TextRange {
    let start = text[..range.start().min(text.len())].rfind('\n').map_or(0, |idx| idx + 1);
    let last = range.end().max(range.start() + 1).min(text.len()).saturating_sub(1).max(start);
    let end = if text.as_bytes().get(last) == Some(&b'\n') {
        last + 1
    } else {
        text[last..].find('\n').map_or(text.len(), |idx| last + idx + 1)
    };
    TextRange::new(start, end)
}

fn numeric_notes_in_order(doc: &Document, mapping: &FxHashMap<u64, u64>) -> bool {
    let numbers: Vec<u64> = doc
        .notes
        .iter()
        .filter_map(|note| label::numeric(&note.label))
        .map(|old| mapping.get(&old).copied().unwrap_or(old))
        .collect();
    numbers.windows(2).all(|pair| pair[0] <= pair[1])
}

fn map_label(mapping: &FxHashMap<u64, u64>, old: &str) -> Option<String> {
    label::numeric(old).and_then(|n| mapping.get(&n)).map(u64::to_string)
}

fn reference_edits(doc: &Document, mapping: &FxHashMap<u64, u64>) -> Vec<Edit> {
    let mut edits = Vec::new();
    let refs = &doc.references;
    let mut idx = 0;
    while idx < refs.len() {
        let marker = refs[idx].marker;
        let group_end = idx + refs[idx..].iter().take_while(|r| r.marker == marker).count();
        let group = &refs[idx..group_end];
        idx = group_end;
        let has_range = group.iter().any(|r| r.in_range) || group.iter().any(|r| doc.slice(r.range).contains(['-', '–']));
        if !has_range {
            for reference in group {
                let Some(new) = map_label(mapping, &reference.label) else { continue };
                if new == reference.label {
                    continue;
                }
                let new_text = if reference.range == marker { label::marker(&new) } else { new };
                edits.push(Edit::replace(reference.range, new_text));
            }
            continue;
        }
        // A group with a range: rewrite it whole, as a range again when the
        // new numbers are still consecutive, else as a list.
        let numbers: Vec<String> =
            group.iter().map(|r| map_label(mapping, &r.label).unwrap_or_else(|| r.label.clone())).collect();
        let parsed: Vec<Option<u64>> = numbers.iter().map(|n| n.parse().ok()).collect();
        let consecutive = parsed.windows(2).all(|w| matches!(w, [Some(a), Some(b)] if *b == a + 1));
        let dash = if doc.slice(marker).contains('–') { "–" } else { "-" };
        let new_text = if consecutive && numbers.len() > 1 {
            format!("[{}{dash}{}]", numbers[0], numbers[numbers.len() - 1])
        } else {
            format!("[{}]", numbers.join(", "))
        };
        if new_text != doc.slice(marker) {
            edits.push(Edit::replace(marker, new_text));
        }
    }
    edits
}

fn definition_edits(doc: &Document, mapping: &FxHashMap<u64, u64>) -> Vec<Edit> {
    let text = doc.text();
    let relabel = |idx: usize| -> Option<String> {
        let note = &doc.notes[idx];
        map_label(mapping, &note.label).filter(|new| *new != note.label)
    };
    let Some(run) = contiguous_notes_list(doc) else {
        return (0..doc.notes.len())
            .filter_map(|idx| relabel(idx).map(|new| Edit::replace(doc.notes[idx].label_range, label::marker(&new))))
            .collect();
    };

    // Reorder the notes list: numeric notes by new number, others keep their
    // place after them.
    let line_ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut entries: Vec<(u64, usize, String)> = Vec::new();
    for (position, &note_idx) in run.notes.iter().enumerate() {
        let note = &doc.notes[note_idx];
        let span = line_span(text, note.range);
        let mut body = text[span.as_range()].trim_end_matches(['\n', '\r']).to_owned();
        let label_offset = note.label_range.start() - span.start();
        let new_label = relabel(note_idx).map(|new| label::marker(&new));
        if let Some(new_label) = &new_label {
            body.replace_range(label_offset..label_offset + note.label_range.len(), new_label);
        }
        let key = label::numeric(&note.label).and_then(|old| mapping.get(&old).copied()).unwrap_or(u64::MAX);
        entries.push((key, position, body));
    }
    let old_order: Vec<usize> = run.notes.clone();
    entries.sort_by_key(|(key, position, _)| (*key, *position));
    let new_order: Vec<usize> = entries.iter().map(|(_, position, _)| run.notes[*position]).collect();

    // An Ibid keeps citing the same source: if its antecedent changes, it is
    // replaced by the full citation of its source.
    for (new_pos, &note_idx) in new_order.iter().enumerate() {
        let note = &doc.notes[note_idx];
        if !note.ibid {
            continue;
        }
        let old_source = note.ibid_of;
        let new_source = new_order[..new_pos].iter().rev().find(|&&idx| !doc.notes[idx].ibid).map(|&idx| idx as u32);
        if old_source != new_source
            && let Some(source) = old_source
        {
            let span = line_span(text, note.range);
            let (_, _, body) = &mut entries[new_pos];
            let content_start = note.content.start() - span.start();
            let content_end = (note.content.end() - span.start()).min(body.len());
            if content_start <= content_end && body.is_char_boundary(content_start) && body.is_char_boundary(content_end) {
                let source_text = doc.slice(doc.notes[source as usize].content).to_owned();
                body.replace_range(content_start..content_end, &source_text);
            }
        }
    }
    if old_order == new_order && entries.iter().zip(&run.notes).all(|((_, _, body), &idx)| {
        text[line_span(text, doc.notes[idx].range).as_range()].trim_end_matches(['\n', '\r']) == body
    }) {
        return Vec::new();
    }
    let mut new_text = entries.into_iter().map(|(_, _, body)| body).collect::<Vec<_>>().join(line_ending);
    if text[run.span.as_range()].ends_with('\n') {
        new_text.push_str(line_ending);
    }
    vec![Edit::replace(run.span, new_text)]
}

struct NotesRun {
    span: TextRange,
    notes: Vec<usize>,
}

/// The notes list, when every note stands in one run of adjacent note blocks
/// (only blank lines between them).
fn contiguous_notes_list(doc: &Document) -> Option<NotesRun> {
    let note_blocks: Vec<usize> =
        doc.blocks.iter().enumerate().filter(|(_, b)| b.kind == BlockKind::Note).map(|(idx, _)| idx).collect();
    if note_blocks.is_empty() || note_blocks.len() != doc.notes.len() {
        return None;
    }
    let adjacent = note_blocks.windows(2).all(|w| w[1] == w[0] + 1);
    let between_blank = doc.notes.windows(2).all(|w| doc.slice(TextRange::new(w[0].range.end(), w[1].range.start())).trim().is_empty());
    if !adjacent || !between_blank {
        return None;
    }
    let text = doc.text();
    let first = line_span(text, doc.notes[0].range);
    let last = line_span(text, doc.notes[doc.notes.len() - 1].range);
    Some(NotesRun { span: first.cover(last), notes: (0..doc.notes.len()).collect() })
}
