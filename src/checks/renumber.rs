//! Renumbering notes in reading order, and removing a note: the edits behind
//! AAM004's fix, `aam check --fix` and the editor's "Renumber notes" action.
//!
//! - Numeric notes are renumbered 1, 2, 3 … in the order of their first
//!   citation (references inside notes count, in reading order); numeric
//!   notes nobody cites follow in the order they are defined. `[^label]`
//!   notes and references are never changed or moved, nor are zero-padded
//!   ones (`[07]`): references resolve by label text, so `[07]` is not `[7]`.
//! - A reference used several times is rewritten everywhere; a group
//!   `[1, 3]` is rewritten label by label. A range `[2-4]` stays a range
//!   when its new numbers are still consecutive (`[5-7]`), and is expanded
//!   into a sorted list otherwise (`[2, 3, 5]`), so it cites the same notes.
//!   A range the model does not expand (inverted, `[5-2]`, or too long,
//!   `[3-2011]`) cites its two ends only, and is rewritten as those
//!   (`[1, 2011]`); one whose ends are the same (`[4-4]`) keeps its form.
//! - When every note stands in one notes list (adjacent definitions, only
//!   blank lines between them), the numeric notes are reordered by their new
//!   numbers; labelled notes keep their places in the list, and so do the
//!   blank lines. Otherwise (or when a note opens a comment it does not
//!   close, which would swallow the notes moved after it) definitions are
//!   relabelled where they stand.
//! - An Ibid note cites the note before it, so reordering could change its
//!   source. When its new predecessor no longer cites the same source, the
//!   Ibid is rewritten to the explicit citation it stood for — the source
//!   note's text, followed by whatever came after `Ibid` (`Ibid., p. 4` →
//!   `Author, “Title”, …, p. 4`). The order of the list follows the numbers;
//!   an Ibid is never moved to keep its antecedent. A dangling Ibid (no
//!   note before it, AAM005) cites nothing and is not moved: it keeps its
//!   place at the head of the list, where it stays dangling, and is only
//!   relabelled.
//! - Renumbering is refused (no fix) when it would change what a reference
//!   cites: when a numeric reference to an undefined note would, after
//!   renumbering, point at a note.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::checks::{Applicability, Edit, Fix, apply_edits};
use crate::model::{BlockKind, Document, Note, label};
use crate::text::TextRange;

/// Old numeric label → new number, in reading order; `None` when the notes
/// are already numbered 1, 2, 3 … in reading order and defined in that order.
pub fn renumbering(doc: &Document) -> Option<FxHashMap<u64, u64>> {
    let mapping = reading_order_mapping(doc);
    let identity = mapping.iter().all(|(old, new)| old == new);
    if identity && numeric_notes_in_order(doc, &mapping) {
        return None;
    }
    Some(mapping)
}

/// The fix that renumbers notes in reading order, if they are not and it is
/// safe to.
pub fn renumber_fix(doc: &Document) -> Option<Fix> {
    let mapping = renumbering(doc)?;
    if would_capture_unresolved(doc, &mapping) {
        return None;
    }
    let reference_edits = reference_edits(doc, &mapping);
    let mut edits: Vec<Edit> = Vec::new();
    match notes_list(doc) {
        Some(list) => {
            edits.extend(reference_edits.iter().filter(|edit| !list.span.intersects(edit.range)).cloned());
            edits.extend(reorder_list(doc, &mapping, &list, &reference_edits));
        }
        None => {
            edits.extend(reference_edits);
            edits.extend(relabel_definitions(doc, &mapping));
        }
    }
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    edits.dedup();
    if edits.is_empty() {
        return None;
    }
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
        // Bytes: `last` may fall inside the note's last character.
        memchr::memchr(b'\n', &text.as_bytes()[last..]).map_or(text.len(), |idx| last + idx + 1)
    };
    TextRange::new(start, end)
}

/// The numeric notes in order of first citation, then uncited ones in
/// definition order.
fn reading_order_mapping(doc: &Document) -> FxHashMap<u64, u64> {
    let mut order: Vec<u64> = Vec::new();
    let mut seen = FxHashSet::default();
    for reference in &doc.references {
        if let Some(number) = label::numeric(&reference.label)
            && !doc.note_indices(&reference.label).is_empty()
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
    order.iter().enumerate().map(|(idx, &old)| (old, idx as u64 + 1)).collect()
}

/// `true` when a reference to an undefined number would resolve after the
/// renumbering (`[1]` undefined, note `[6]` becoming `[1]`).
fn would_capture_unresolved(doc: &Document, mapping: &FxHashMap<u64, u64>) -> bool {
    let new_numbers: FxHashSet<u64> = mapping.values().copied().collect();
    doc.references.iter().any(|reference| {
        label::numeric(&reference.label)
            .is_some_and(|number| !mapping.contains_key(&number) && new_numbers.contains(&number))
    })
}

fn numeric_notes_in_order(doc: &Document, mapping: &FxHashMap<u64, u64>) -> bool {
    let numbers: Vec<u64> = doc
        .notes
        .iter()
        .filter(|note| !dangling_ibid(note))
        .filter_map(|note| label::numeric(&note.label))
        .map(|old| mapping.get(&old).copied().unwrap_or(old))
        .collect();
    numbers.windows(2).all(|pair| pair[0] <= pair[1])
}

/// An Ibid with no note before it (AAM005): it cites nothing, and must not
/// be moved after a note, which it would then cite.
fn dangling_ibid(note: &Note) -> bool {
    note.ibid && note.ibid_of.is_none()
}

fn map_number(mapping: &FxHashMap<u64, u64>, old: &str) -> Option<u64> {
    label::numeric(old).map(|n| mapping.get(&n).copied().unwrap_or(n))
}

/// The digits inside a marker or label range (`[3]:` → `3`).
fn digits_range(doc: &Document, range: TextRange) -> Option<TextRange> {
    let text = doc.slice(range);
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let len = text[start..].find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len() - start);
    Some(TextRange::new(range.start() + start, range.start() + start + len))
}

/// One item of a reference marker: a label, or a range `from-to`.
#[derive(Debug)]
enum Item {
    Label(usize),
    Range {
        from: usize,
        to: usize,
    },
    /// A range whose two ends are the same number (`[4-4]`): the model
    /// gives it one reference, at its first end; `end` is the second.
    SameEnds {
        at: usize,
        end: TextRange,
    },
}

/// The items of the marker whose references are `refs[first..end]`.
fn marker_items(doc: &Document, first: usize, end: usize) -> Vec<Item> {
    let refs = &doc.references;
    let ends: Vec<usize> = (first..end).filter(|&idx| !refs[idx].in_range).collect();
    let mut items = Vec::new();
    let mut pos = 0;
    while pos < ends.len() {
        let idx = ends[pos];
        if let Some(&next) = ends.get(pos + 1) {
            let between =
                TextRange::new(refs[idx].range.end(), refs[next].range.start().max(refs[idx].range.end()));
            let implied = (idx + 1..next).any(|k| refs[k].in_range);
            if implied || matches!(doc.slice(between).trim(), "-" | "–" | "—") {
                items.push(Item::Range { from: idx, to: next });
                pos += 2;
                continue;
            }
        }
        let after_end = ends.get(pos + 1).map_or(refs[idx].marker.end(), |&next| refs[next].range.start());
        match same_end(doc, idx, after_end) {
            Some(end) => items.push(Item::SameEnds { at: idx, end }),
            None => items.push(Item::Label(idx)),
        }
        pos += 1;
    }
    items
}

/// The second end of a range `[4-4]` whose first end is reference `idx`,
/// looked for before `limit`: a dash, then the same label.
fn same_end(doc: &Document, idx: usize, limit: usize) -> Option<TextRange> {
    let reference = &doc.references[idx];
    let start = reference.range.end();
    let after = doc.text().get(start..limit.max(start))?;
    let trimmed = after.trim_start();
    let rest = ["-", "–", "—"].into_iter().find_map(|dash| trimmed.strip_prefix(dash))?.trim_start();
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    if digits == 0 || rest[..digits] != *reference.label {
        return None;
    }
    let at = start + (after.len() - rest.len());
    Some(TextRange::new(at, at + digits))
}

fn reference_edits(doc: &Document, mapping: &FxHashMap<u64, u64>) -> Vec<Edit> {
    let mut edits = Vec::new();
    let refs = &doc.references;
    let mut idx = 0;
    while idx < refs.len() {
        let marker = refs[idx].marker;
        let end = idx + refs[idx..].iter().take_while(|r| r.marker == marker).count();
        let items = marker_items(doc, idx, end);
        idx = end;
        for item in items {
            match item {
                Item::Label(k) => {
                    let reference = &refs[k];
                    let Some(new) = map_number(mapping, &reference.label) else { continue };
                    if label::numeric(&reference.label) == Some(new) {
                        continue;
                    }
                    if let Some(digits) = digits_range(doc, reference.range) {
                        edits.push(Edit::replace(digits, new.to_string()));
                    }
                }
                Item::Range { from, to } => {
                    edits.extend(range_edits(doc, mapping, from, to));
                }
                Item::SameEnds { at, end } => {
                    let reference = &refs[at];
                    let Some(new) = map_number(mapping, &reference.label) else { continue };
                    if label::numeric(&reference.label) == Some(new) {
                        continue;
                    }
                    if let Some(digits) = digits_range(doc, reference.range) {
                        edits.push(Edit::replace(digits, new.to_string()));
                        edits.push(Edit::replace(end, new.to_string()));
                    }
                }
            }
        }
    }
    edits
}

/// The edits that renumber the range whose references are `refs[from..=to]`
/// (its two ends and the numbers between that the model implied), so that
/// it cites the same notes. The numbers it cites are the model's: a range
/// too long to expand, or inverted (`[5-2]`), cites its two ends only.
/// They are written as a range when they are still consecutive, and as a
/// sorted list otherwise; an end that is not a number (`[03-5]`) makes the
/// range cite its ends only, which are then relabelled one by one.
fn range_edits(doc: &Document, mapping: &FxHashMap<u64, u64>, from: usize, to: usize) -> Vec<Edit> {
    let refs = &doc.references[from..=to];
    let old: Option<Vec<u64>> = refs.iter().map(|r| label::numeric(&r.label)).collect();
    let Some(old) = old else {
        return [&doc.references[from], &doc.references[to]]
            .into_iter()
            .filter_map(|reference| relabel(doc, mapping, &reference.label, reference.range))
            .collect();
    };
    let mut numbers: Vec<u64> = old.iter().map(|n| mapping.get(n).copied().unwrap_or(*n)).collect();
    if numbers == old {
        return Vec::new();
    }
    numbers.sort_unstable();
    numbers.dedup();
    let span = TextRange::new(doc.references[from].range.start(), doc.references[to].range.end());
    let consecutive = numbers.windows(2).all(|w| w[1] == w[0] + 1);
    let new_text = if consecutive && numbers.len() > 1 {
        let source = doc.slice(span);
        let dash = ["–", "—"].into_iter().find(|d| source.contains(d)).unwrap_or("-");
        let spaced = source.contains(" -") || source.contains(" –") || source.contains(" —");
        let dash = if spaced { format!(" {dash} ") } else { dash.to_owned() };
        format!("{}{dash}{}", numbers[0], numbers[numbers.len() - 1])
    } else {
        numbers.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
    };
    vec![Edit::replace(span, new_text)]
}

fn relabel_definitions(doc: &Document, mapping: &FxHashMap<u64, u64>) -> Vec<Edit> {
    doc.notes.iter().filter_map(|note| relabel(doc, mapping, &note.label, note.label_range)).collect()
}

/// The edit that gives the label `old` (written in `range`) its new number,
/// if it gets one that differs.
fn relabel(doc: &Document, mapping: &FxHashMap<u64, u64>, old: &str, range: TextRange) -> Option<Edit> {
    let new = map_number(mapping, old)?;
    if label::numeric(old) == Some(new) {
        return None;
    }
    Some(Edit::replace(digits_range(doc, range)?, new.to_string()))
}

/// The notes list: every note, in adjacent blocks with only blank lines
/// between them.
struct NotesList {
    /// From the start of the first note's line to the end of the last's.
    span: TextRange,
    /// Each note's whole lines.
    slots: Vec<TextRange>,
}

fn notes_list(doc: &Document) -> Option<NotesList> {
    let note_blocks: Vec<usize> = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind == BlockKind::Note)
        .map(|(idx, _)| idx)
        .collect();
    if note_blocks.is_empty() || note_blocks.len() != doc.notes.len() {
        return None;
    }
    if !note_blocks.windows(2).all(|w| w[1] == w[0] + 1) {
        return None;
    }
    let text = doc.text();
    let slots: Vec<TextRange> = doc.notes.iter().map(|note| line_span(text, note.range)).collect();
    let separated = slots
        .windows(2)
        .all(|w| w[0].end() <= w[1].start() && text[w[0].end()..w[1].start()].trim().is_empty());
    if !separated {
        return None;
    }
    // A note that opens a comment it does not close (`[2] <!--`) hides
    // whatever follows it: moved up, it would swallow the notes after it.
    let opens_comment = |slot: &TextRange| {
        let slot_text = &text[slot.as_range()];
        slot_text.rfind("<!--").is_some_and(|open| !slot_text[open..].contains("-->"))
    };
    if slots.iter().any(opens_comment) {
        return None;
    }
    Some(NotesList { span: slots[0].cover(slots[slots.len() - 1]), slots })
}

/// `text[range]` with the `edits` that fall inside it applied.
fn render(text: &str, range: TextRange, edits: &[Edit]) -> String {
    let inner: Vec<Edit> = edits
        .iter()
        .filter(|edit| range.contains_range(edit.range))
        .map(|edit| {
            Edit::replace(
                TextRange::new(edit.range.start() - range.start(), edit.range.end() - range.start()),
                edit.new_text.clone(),
            )
        })
        .collect();
    apply_edits(&text[range.as_range()], &inner)
}

/// The new notes list, as one edit (none when nothing changes).
fn reorder_list(
    doc: &Document,
    mapping: &FxHashMap<u64, u64>,
    list: &NotesList,
    reference_edits: &[Edit],
) -> Vec<Edit> {
    let text = doc.text();
    let notes = &doc.notes;

    // Numeric notes take the numeric slots by new number (stable); labelled
    // notes and dangling Ibids keep theirs.
    let numeric_slots: Vec<usize> = (0..notes.len())
        .filter(|&idx| label::numeric(&notes[idx].label).is_some() && !dangling_ibid(&notes[idx]))
        .collect();
    let mut numeric_notes = numeric_slots.clone();
    numeric_notes.sort_by_key(|&idx| (map_number(mapping, &notes[idx].label).unwrap_or(u64::MAX), idx));
    let mut order: Vec<usize> = (0..notes.len()).collect();
    for (slot, note) in numeric_slots.iter().zip(&numeric_notes) {
        order[*slot] = *note;
    }

    // Label edits join the reference edits inside notes.
    let mut edits: Vec<Edit> = reference_edits.to_vec();
    edits.extend(relabel_definitions(doc, mapping));
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));

    // An Ibid keeps citing its source: `identity` is the source cited by the
    // note just before, in the new order.
    let mut identity: Option<usize> = None;
    let mut bodies: Vec<String> = Vec::with_capacity(notes.len());
    for &note_idx in &order {
        let note = &notes[note_idx];
        let slot = list.slots[note_idx];
        let mut body = render(text, slot, &edits);
        if note.ibid {
            let source = note.ibid_of.map(|idx| idx as usize);
            if let Some(source) = source
                && identity != Some(source)
            {
                body = explicit_ibid(doc, note_idx, source, slot, &edits);
            }
            identity = source;
        } else {
            identity = Some(note_idx);
        }
        bodies.push(body);
    }

    let mut new_text = String::with_capacity(list.span.len() + 64);
    for (slot_idx, body) in bodies.iter().enumerate() {
        let slot = list.slots[slot_idx];
        let slot_text = &text[slot.as_range()];
        let ending = if slot_text.ends_with("\r\n") {
            "\r\n"
        } else if slot_text.ends_with('\n') {
            "\n"
        } else {
            ""
        };
        new_text.push_str(body.trim_end_matches(['\n', '\r']));
        new_text.push_str(ending);
        if let Some(next) = list.slots.get(slot_idx + 1) {
            new_text.push_str(&text[slot.end()..next.start()]);
        }
    }
    if new_text == text[list.span.as_range()] {
        return Vec::new();
    }
    vec![Edit::replace(list.span, new_text)]
}

/// The Ibid note `note_idx` rewritten to cite `source` explicitly: the
/// source's text, then what followed `Ibid` (`, p. 4`).
fn explicit_ibid(doc: &Document, note_idx: usize, source: usize, slot: TextRange, edits: &[Edit]) -> String {
    let text = doc.text();
    let note = &doc.notes[note_idx];
    let content = note.content;
    let rest_start = content.start() + ibid_prefix_len(doc.slice(content));
    let rest = render(text, TextRange::new(rest_start, content.end()), edits);
    let rest = rest.trim_start_matches([',', ';', ':', ' ', '\t']).trim_end();
    let mut explicit = render(text, doc.notes[source].content, edits).trim_end().to_owned();
    if !rest.is_empty() {
        explicit.push_str(", ");
        explicit.push_str(rest);
    }
    let mut out = render(text, TextRange::new(slot.start(), content.start()), edits);
    out.push_str(&explicit);
    out.push_str(&render(text, TextRange::new(content.end(), slot.end()), edits));
    out
}

/// The length of the leading `Ibid`, `Ibid.`, `Id.` word (any case).
fn ibid_prefix_len(content: &str) -> usize {
    let lower = content.get(..content.len().min(5)).unwrap_or("").to_ascii_lowercase();
    let word = if lower.starts_with("ibid") {
        4
    } else if lower.starts_with("id") {
        2
    } else {
        return 0;
    };
    if content[word..].starts_with('.') { word + 1 } else { word }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelConfig;

    fn fixed(text: &str) -> String {
        let doc = Document::parse(text, &ModelConfig::default());
        match renumber_fix(&doc) {
            Some(fix) => fix.apply(text),
            None => text.to_owned(),
        }
    }

    /// For every reference marker in reading order, the sources its
    /// references cite (through Ibid), sorted: an Ibid reads as its source's
    /// text followed by what came after `Ibid` (`, p. 4`), as the explicit
    /// citation that may replace it does.
    fn cited_sources(text: &str) -> Vec<Vec<String>> {
        let doc = Document::parse(text, &ModelConfig::default());
        let mut markers: Vec<(TextRange, Vec<String>)> = Vec::new();
        for reference in &doc.references {
            let cited = match doc.note_indices(&reference.label).first() {
                None => format!("unresolved {}", reference.label),
                Some(&idx) => {
                    let source =
                        doc.source_note(idx as usize).map_or(String::new(), |note| note.text.to_string());
                    let own = &doc.notes[idx as usize];
                    let extra = if own.ibid {
                        own.text[ibid_prefix_len(&own.text)..].trim_start_matches([',', ' '])
                    } else {
                        ""
                    };
                    if extra.is_empty() { source } else { format!("{source}, {extra}") }
                }
            };
            match markers.last_mut() {
                Some((marker, cited_here)) if *marker == reference.marker => cited_here.push(cited),
                _ => markers.push((reference.marker, vec![cited])),
            }
        }
        markers
            .into_iter()
            .map(|(_, mut cited)| {
                cited.sort();
                cited
            })
            .collect()
    }

    fn assert_renumbered(before: &str, after: &str) {
        let result = fixed(before);
        assert_eq!(result, after);
        let doc = Document::parse(&result, &ModelConfig::default());
        assert!(renumber_fix(&doc).is_none(), "not stable:\n{result}");
        assert_eq!(cited_sources(before), cited_sources(&result), "every marker cites the same sources");
    }

    #[test]
    fn swapped_notes_are_renumbered_and_reordered() {
        assert_renumbered(
            "A.[2] B.[1] C.[2]\n\n[1] One\n[2] Two\n",
            "A.[1] B.[2] C.[1]\n\n[1] Two\n[2] One\n",
        );
    }

    #[test]
    fn notes_defined_out_of_order_are_sorted() {
        assert_renumbered(
            "A.[1] B.[2] C.[3]\n\n[3] Three\n[1] One\n[2] Two\n",
            "A.[1] B.[2] C.[3]\n\n[1] One\n[2] Two\n[3] Three\n",
        );
    }

    #[test]
    fn groups_and_ranges() {
        assert_renumbered(
            "A.[3] B.[1, 2] C.[2-4]\n\n[1] One\n[2] Two\n[3] Three\n[4] Four\n",
            "A.[1] B.[2, 3] C.[1, 3, 4]\n\n[1] Three\n[2] One\n[3] Two\n[4] Four\n",
        );
        assert_renumbered(
            "A.[4] B.[1–3]\n\n[1] One\n[2] Two\n[3] Three\n[4] Four\n",
            "A.[1] B.[2–4]\n\n[1] Four\n[2] One\n[3] Two\n[4] Three\n",
        );
    }

    #[test]
    fn ranges_the_model_does_not_expand_keep_their_ends() {
        // Too long to expand: `[1-2011]` cites 1 and 2011 only.
        assert_renumbered(
            "A.[2] B.[1-2011]\n\n[1] One\n[2] Two\n",
            "A.[1] B.[2, 2011]\n\n[1] Two\n[2] One\n",
        );
        // Inverted: `[3-1]` cites 3 and 1 only.
        assert_renumbered(
            "A.[2] B.[3-1]\n\n[1] One\n[2] Two\n[3] Three\n",
            "A.[1] B.[2-3]\n\n[1] Two\n[2] Three\n[3] One\n",
        );
        assert_renumbered("A.[2-1]\n\n[1] One\n[2] Two\n", "A.[1-2]\n\n[1] Two\n[2] One\n");
    }

    #[test]
    fn a_range_with_the_same_ends() {
        assert_renumbered("A.[2] B.[1-1]\n\n[1] One\n[2] Two\n", "A.[1] B.[2-2]\n\n[1] Two\n[2] One\n");
        assert_renumbered(
            "A.[2] B.[3, 1 – 1]\n\n[1] One\n[2] Two\n[3] Three\n",
            "A.[1] B.[2, 3 – 3]\n\n[1] Two\n[2] Three\n[3] One\n",
        );
    }

    #[test]
    fn zero_padded_labels_are_not_numbers() {
        assert_renumbered(
            "A.[2] B.[02] C.[1]\n\n[1] One\n[02] Padded\n[2] Two\n",
            "A.[1] B.[02] C.[2]\n\n[1] Two\n[02] Padded\n[2] One\n",
        );
        // An unresolved `[00]` is not `[0]`, and does not block renumbering.
        assert_renumbered(
            "A.[00] B.[2] C.[1]\n\n[1] One\n[2] Two\n",
            "A.[00] B.[1] C.[2]\n\n[1] Two\n[2] One\n",
        );
    }

    #[test]
    fn a_dangling_ibid_stays_at_the_head_of_the_list() {
        assert_renumbered(
            "A.[2] B.[3] C.[1]\n\n[1] Ibid., p. 2\n[2] Two\n[3] Three\n",
            "A.[1] B.[2] C.[3]\n\n[3] Ibid., p. 2\n[1] Two\n[2] Three\n",
        );
        let doc = Document::parse("A.[1] B.[2]\n\n[2] Ibid.\n[1] One\n", &ModelConfig::default());
        assert!(renumbering(&doc).is_none(), "in order behind the dangling Ibid");
    }

    #[test]
    fn labelled_notes_stay_in_place() {
        assert_renumbered(
            "A.[2] B.[^x] C.[1]\n\n[1] One\n[^x]: Ex\n[2] Two\n",
            "A.[1] B.[^x] C.[2]\n\n[1] Two\n[^x]: Ex\n[2] One\n",
        );
    }

    #[test]
    fn ibid_whose_neighbour_moves_is_made_explicit() {
        assert_renumbered(
            "A.[3] B.[1] C.[2]\n\n[1] Gan, “Title”, CNN, 2023\n[2] Ibid., p. 4\n[3] TASS, 2023\n",
            "A.[1] B.[2] C.[3]\n\n[1] TASS, 2023\n[2] Gan, “Title”, CNN, 2023\n[3] Ibid., p. 4\n",
        );
        assert_renumbered(
            "A.[2] B.[3] C.[1]\n\n[1] Gan, CNN, 2023\n[2] Ibid., p. 4\n[3] TASS, 2023\n",
            "A.[1] B.[2] C.[3]\n\n[1] Gan, CNN, 2023, p. 4\n[2] TASS, 2023\n[3] Gan, CNN, 2023\n",
        );
    }

    #[test]
    fn blank_lines_and_crlf_are_kept() {
        assert_renumbered(
            "A.[2] B.[1]\r\n\r\n[1] One\r\n\r\n[2] Two",
            "A.[1] B.[2]\r\n\r\n[1] Two\r\n\r\n[2] One",
        );
    }

    #[test]
    fn scattered_notes_are_relabelled_in_place() {
        assert_renumbered("A.[2]\n\n[2] Two\n\nB.[1]\n\n[1] One\n", "A.[1]\n\n[1] Two\n\nB.[2]\n\n[2] One\n");
    }

    #[test]
    fn an_unresolved_reference_blocks_renumbering() {
        let text = "A.[6] B.[1] C.[5]\n\n[5] Five\n[6] Six\n";
        assert_eq!(fixed(text), text);
    }

    #[test]
    fn notes_in_order_need_nothing() {
        let doc = Document::parse("A.[1] B.[2]\n\n[1] One\n[2] Two\n", &ModelConfig::default());
        assert!(renumbering(&doc).is_none());
        assert!(renumber_fix(&doc).is_none());
    }
}
