//! AAM101 `repeated-sentence`: a sentence that repeats an earlier one.

use crate::checks::repeats::Verdict;
use crate::checks::{Applicability, Context, Diagnostic, Edit, Fix, Rule, Severity};
use crate::model::{BlockKind, Document, Sentence, label};
use crate::text::TextRange;

/// ## What it does
/// Flags a sentence that repeats an earlier sentence of the article word for
/// word once case, whitespace, punctuation, straight or curly quotes, dashes
/// and reference markers are set aside (and Unicode compatibility forms are
/// unified, NFKC).
///
/// Only the writer's own prose is compared: sentences of paragraphs and list
/// items with at least `min-content-words` content words (`[repeats]` in
/// `aam.toml`, default 4). Notes, block quotes, code and sentences that
/// quote speech are left out.
///
/// ## Why is this bad?
/// A sentence written twice is a leftover of pasting or reordering; a reader
/// who meets it again stops trusting the editing of the rest.
///
/// ## Example
/// ```text
/// Relations improved after 1991.[1] Trade grew. Relations improved after 1991.[2]
/// ```
///
/// ## Fix
/// Remove one occurrence. The quick fix (unsafe: it deletes text) removes the
/// later sentence with the space or the line around it, never leaving a
/// double space or an empty paragraph. Its reference markers are kept: those
/// the first occurrence does not already carry move to the end of it, so no
/// note loses its citation (the notes may then be out of order, which
/// `footnote-order` reports and renumbers).
pub(crate) const RULE: Rule = Rule {
    code: "AAM101",
    name: "repeated-sentence",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a sentence that repeats an earlier one after normalisation",
    check,
    source: include_str!("repeated_sentence.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let analysis = ctx.repeats();
    for repeat in &analysis.repeats {
        if repeat.verdict != Verdict::Exact {
            continue;
        }
        let later = &doc.sentences[repeat.later as usize];
        let earlier = &doc.sentences[repeat.earlier as usize];
        acc.push(
            Diagnostic::new(&RULE, later.range, "sentence repeats an earlier one")
                .with_related(earlier.range, "first occurrence")
                .with_fix(remove_repeat(doc, later, earlier)),
        );
    }
}

/// Removes `later`, moving its citations that `earlier` lacks to the end of
/// `earlier`.
fn remove_repeat(doc: &Document, later: &Sentence, earlier: &Sentence) -> Fix {
    // References are in document order: those inside `range` are a run.
    let cited_in = |range: TextRange| {
        let first = doc.references.partition_point(|r| r.marker.start() < range.start());
        doc.references[first..]
            .iter()
            .take_while(move |r| r.marker.start() <= range.end())
            .filter(move |r| range.contains_range(r.marker))
            .map(|r| r.label.as_ref())
    };
    let mut moved: Vec<&str> = Vec::new();
    for label in cited_in(later.range) {
        if !moved.contains(&label) && !cited_in(earlier.range).any(|other| other == label) {
            moved.push(label);
        }
    }
    let mut edits = Vec::new();
    let mut message = String::from("remove the repeated sentence");
    if !moved.is_empty() {
        let markers: String = moved.iter().map(|label| label::marker(label)).collect();
        message = format!("remove the repeated sentence, moving {markers} to the first occurrence");
        edits.push(Edit::insert(earlier.range.end(), markers));
    }
    let in_list_item = doc.blocks.get(later.block as usize).filter(|block| block.kind == BlockKind::ListItem);
    edits.push(Edit::delete(removal_range(doc.text(), later.range, in_list_item.map(|block| block.range))));
    Fix { message, edits, applicability: Applicability::Unsafe }
}

/// What to delete to remove the sentence at `range` cleanly:
/// - alone on its lines (after a list marker, for a one-line list item):
///   the lines, and one blank line when blank lines would meet;
/// - followed by text on its last line: the sentence and the spaces after it;
/// - ending its line after other text: the spaces before it and the
///   sentence;
/// - after a list marker, with the item going on below: the sentence and the
///   line break and indentation after it.
fn removal_range(text: &str, range: TextRange, list_item: Option<TextRange>) -> TextRange {
    let (start, end) = (range.start(), range.end());
    let first_line = line_start(text, start);
    let last_line_end = line_content_end(text, end);
    let before = &text[first_line..start];
    let after = &text[end..last_line_end];
    if !after.trim().is_empty() {
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        return TextRange::new(start, end + spaces);
    }
    if !before.trim().is_empty() && !list_item.is_some_and(|_| is_list_marker(before.trim())) {
        let kept = before.trim_end_matches([' ', '\t']).len();
        return TextRange::new(first_line + kept, last_line_end);
    }
    let next_line = next_line_start(text, last_line_end);
    if let Some(item) = list_item
        && !before.trim().is_empty()
        && item.end() > next_line
    {
        // `- Repeated.\n  More of the item.` → `- More of the item.`
        let rest = &text[next_line..];
        let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        return TextRange::new(start, next_line + indent);
    }
    let (mut remove_start, mut remove_end) = (first_line, next_line);
    let previous_blank = remove_start == 0 || is_blank_line(text, line_start(text, remove_start - 1));
    let next_blank = remove_end == text.len() || is_blank_line(text, remove_end);
    if previous_blank && next_blank {
        if remove_end < text.len() {
            remove_end = next_line_start(text, line_content_end(text, remove_end));
        } else if remove_start > 0 {
            remove_start = line_start(text, remove_start - 1);
        }
    }
    TextRange::new(remove_start, remove_end)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |idx| idx + 1)
}

/// The end of the line's content: before its `\n` or `\r\n`, or the end of
/// the text.
fn line_content_end(text: &str, offset: usize) -> usize {
    match text[offset..].find('\n') {
        Some(idx) if idx > 0 && text.as_bytes()[offset + idx - 1] == b'\r' => offset + idx - 1,
        Some(idx) => offset + idx,
        None => text.len(),
    }
}

/// The start of the next line after a line's content end.
fn next_line_start(text: &str, content_end: usize) -> usize {
    text[content_end..].find('\n').map_or(text.len(), |idx| content_end + idx + 1)
}

fn is_blank_line(text: &str, line_start: usize) -> bool {
    text[line_start..line_content_end(text, line_start)].trim().is_empty()
}

/// `-`, `*`, `+`, `1.` or `1)`.
fn is_list_marker(text: &str) -> bool {
    matches!(text, "-" | "*" | "+")
        || text
            .strip_suffix(['.', ')'])
            .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removes the sentence marked by `«…»` in `marked`; `item_lines` is the
    /// number of lines of its list item, if it stands in one.
    fn remove(marked: &str, item_lines: Option<usize>) -> String {
        let start = marked.find('«').unwrap();
        let end = marked.find('»').unwrap() - '«'.len_utf8();
        let text = marked.replace(['«', '»'], "");
        let item = item_lines.map(|lines| {
            let item_start = line_start(&text, start);
            let item_end =
                (0..lines).fold(item_start, |at, _| next_line_start(&text, line_content_end(&text, at)));
            TextRange::new(item_start, item_end)
        });
        let range = removal_range(&text, TextRange::new(start, end), item);
        format!("{}{}", &text[..range.start()], &text[range.end()..])
    }

    #[test]
    fn inside_a_line() {
        assert_eq!(remove("One here. «Two here.» Three here.\n", None), "One here. Three here.\n");
        assert_eq!(remove("«Two here.»  Three here.\n", None), "Three here.\n");
        assert_eq!(remove("One here. «Two here.»\nThree.\n", None), "One here.\nThree.\n");
        assert_eq!(remove("One here. «Two here.[3]» \r\nThree.\r\n", None), "One here.\r\nThree.\r\n");
    }

    #[test]
    fn whole_lines() {
        assert_eq!(remove("One here.\n«Two here.»\nThree.\n", None), "One here.\nThree.\n");
        assert_eq!(remove("One.\n\n«Two here.»\n\nThree.\n", None), "One.\n\nThree.\n");
        assert_eq!(remove("One.\n\n«Two here.»\n", None), "One.\n");
        assert_eq!(remove("«Two here.»\n\nThree.\n", None), "Three.\n");
        assert_eq!(remove("One.\n\n«Two here.»", None), "One.\n");
    }

    #[test]
    fn list_items() {
        assert_eq!(remove("- One.\n- «Two here.»\n- Three.\n", Some(1)), "- One.\n- Three.\n");
        assert_eq!(remove("- One.\n1. «Two here.»\n", Some(1)), "- One.\n");
        assert_eq!(remove("- «Two here.»\n  More of it.\n", Some(2)), "- More of it.\n");
        assert_eq!(remove("- One. «Two here.»\n", Some(1)), "- One.\n");
    }
}
