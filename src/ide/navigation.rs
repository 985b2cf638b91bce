//! Navigation between references and notes: definition, references,
//! document highlight.

use crate::ide::{Target, group_labels, target_at, target_label};
use crate::model::Document;
use crate::text::TextRange;

/// A place to jump to: the whole note, and its label to put the cursor on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavTarget {
    pub full_range: TextRange,
    pub focus_range: TextRange,
}

/// Definitions found from `offset`, with the range the request started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definitions {
    pub origin: TextRange,
    pub targets: Vec<NavTarget>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightKind {
    /// A reference citing the label.
    Read,
    /// The label's definition.
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// Reference → its note (every definition, when a label is defined twice);
/// a group → every cited note; a note's label → the note itself.
pub fn definition(doc: &Document, offset: usize) -> Option<Definitions> {
    let target = target_at(doc, offset)?;
    let labels: Vec<&str> = match &target {
        Target::Group(refs) => group_labels(doc, refs),
        Target::Date(_) => return None,
        other => vec![target_label(doc, other)?],
    };
    let targets: Vec<NavTarget> = labels
        .into_iter()
        .flat_map(|label| doc.note_indices(label))
        .map(|&idx| {
            let note = &doc.notes[idx as usize];
            NavTarget { full_range: note.range, focus_range: note.label_range }
        })
        .collect();
    (!targets.is_empty()).then(|| Definitions { origin: target.range(doc), targets })
}

/// Every citation of the label at `offset` (and its definitions when
/// `include_declaration`), in document order.
pub fn references(doc: &Document, offset: usize, include_declaration: bool) -> Option<Vec<TextRange>> {
    let highlights = highlights(doc, offset)?;
    Some(
        highlights
            .into_iter()
            .filter(|highlight| include_declaration || highlight.kind == HighlightKind::Read)
            .map(|highlight| highlight.range)
            .collect(),
    )
}

/// The label at `offset` everywhere it occurs: references read it,
/// definitions write it.
pub fn highlights(doc: &Document, offset: usize) -> Option<Vec<Highlight>> {
    let target = target_at(doc, offset)?;
    let label = target_label(doc, &target)?;
    let mut out: Vec<Highlight> =
        doc.reference_indices(label)
            .iter()
            .map(|&idx| Highlight { range: doc.references[idx as usize].range, kind: HighlightKind::Read })
            .chain(doc.note_indices(label).iter().map(|&idx| Highlight {
                range: doc.notes[idx as usize].label_range,
                kind: HighlightKind::Write,
            }))
            .collect();
    out.sort_by_key(|highlight| (highlight.range.start(), highlight.range.end()));
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    const TEXT: &str = "One.[1] Two.[3]\nThree.[1, 3]\n[1] a\n[3] b\n[3] c\n";

    #[test]
    fn definition_of_a_reference_and_of_a_group() {
        let doc = fixture::doc(TEXT);
        let found = definition(&doc, TEXT.find("[3]").unwrap() + 1).unwrap();
        assert_eq!(found.targets.len(), 2, "both definitions of [3]");
        assert_eq!(doc.slice(found.targets[0].focus_range), "[3]");
        assert_eq!(doc.slice(found.targets[0].full_range).trim_end(), "[3] b");
        assert_eq!(doc.slice(found.origin), "[3]");
        let group = TEXT.find("[1, 3]").unwrap();
        let found = definition(&doc, group + 2).unwrap();
        assert_eq!(found.targets.len(), 3);
        assert_eq!(definition(&doc, 1), None);
    }

    #[test]
    fn references_with_and_without_declaration() {
        let doc = fixture::doc(TEXT);
        let note_one = TEXT.find("[1] a").unwrap();
        let without = references(&doc, note_one + 1, false).unwrap();
        let texts: Vec<&str> = without.iter().map(|&range| doc.slice(range)).collect();
        assert_eq!(texts, ["[1]", "1"]);
        let with = references(&doc, note_one + 1, true).unwrap();
        assert_eq!(with.len(), 3);
        assert_eq!(with[2].start(), note_one);
    }

    #[test]
    fn highlights_mark_definitions_as_writes() {
        let doc = fixture::doc(TEXT);
        let found = highlights(&doc, TEXT.find("[1]").unwrap()).unwrap();
        let kinds: Vec<HighlightKind> = found.iter().map(|highlight| highlight.kind).collect();
        assert_eq!(kinds, [HighlightKind::Read, HighlightKind::Read, HighlightKind::Write]);
    }
}
