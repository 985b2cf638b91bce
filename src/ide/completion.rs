//! Completion of note labels after `[` and `[^`.

use crate::ide::hover::label_order;
use crate::ide::notes;
use crate::model::{Document, label};
use crate::text::TextRange;

/// How far back from the cursor an opening `[` is looked for.
const MAX_LOOKBACK: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The typed part of the label, replaced by the chosen item.
    pub replace: TextRange,
    pub items: Vec<CompletionItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A label the article defines.
    Existing,
    /// The next number no note uses yet.
    NextFree,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    /// The label: `3`, `^note`.
    pub label: String,
    /// What replaces the typed part: the label, with `]` when none follows.
    pub insert: String,
    pub detail: String,
    /// The note's citation as Markdown.
    pub documentation: Option<String>,
    /// Sorts items by label: numbers by value, then named labels.
    pub sort_text: String,
    pub kind: ItemKind,
}

/// Whether items carry their documentation, or the client asks for it when
/// it shows an item (`completionItem/resolve`, see `documentation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Docs {
    Eager,
    Lazy,
}

/// Labels to offer at `offset`, when the cursor follows `[`, `[^`, a
/// partial label, or a `, ` inside a group; `None` elsewhere and inside code,
/// comments or front matter.
pub fn completion(doc: &Document, offset: usize) -> Option<Completion> {
    completion_with(doc, offset, Docs::Eager)
}

/// The documentation of the item for `label` (a lazy item's, when shown).
pub fn documentation(doc: &Document, label: &str) -> Option<String> {
    let idx = *doc.note_indices(label).first()?;
    Some(notes::note_markdown(doc, idx as usize))
}

/// `completion`, with each item's documentation now or later.
pub fn completion_with(doc: &Document, offset: usize, docs: Docs) -> Option<Completion> {
    let text = doc.text();
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    if doc.in_code_or_comment(offset) || doc.in_code_or_comment(offset.saturating_sub(1)) {
        return None;
    }
    if doc.front_matter.as_ref().is_some_and(|front_matter| front_matter.range.contains(offset)) {
        return None;
    }
    let prefix_start = typed_label_start(text, offset)?;
    let typed = &text[prefix_start..offset];
    let named_only = typed.starts_with('^');
    let closes = !text[offset..].starts_with([']', ',']);

    let mut labels: Vec<(&str, usize)> = Vec::new();
    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for (idx, note) in doc.notes.iter().enumerate() {
        if seen.insert(&note.label) {
            labels.push((&note.label, idx));
        }
    }
    labels.sort_by(|a, b| label_order(a.0).cmp(&label_order(b.0)));
    let mut items: Vec<CompletionItem> = labels
        .into_iter()
        .filter(|(label_text, _)| !named_only || label_text.starts_with('^'))
        .map(|(label_text, note_idx)| CompletionItem {
            label: label_text.to_owned(),
            insert: with_close(label_text, closes),
            detail: notes::detail(doc, note_idx),
            documentation: (docs == Docs::Eager).then(|| notes::note_markdown(doc, note_idx)),
            sort_text: sort_text(label_text),
            kind: ItemKind::Existing,
        })
        .collect();
    if !named_only {
        let next = next_free_number(doc).to_string();
        items.push(CompletionItem {
            insert: with_close(&next, closes),
            detail: "next free number (a new note)".to_owned(),
            documentation: None,
            sort_text: sort_text(&next),
            label: next,
            kind: ItemKind::NextFree,
        });
    }
    Some(Completion { replace: TextRange::new(prefix_start, offset), items })
}

/// One more than the largest number any note or reference uses.
pub fn next_free_number(doc: &Document) -> u64 {
    let notes = doc.notes.iter().map(|note| note.label.as_str());
    let references = doc.references.iter().map(|reference| reference.label.as_str());
    notes.chain(references).filter_map(label::numeric).max().map_or(1, |max| max.saturating_add(1))
}

/// The start of the label being typed before `offset`, if an opening `[`
/// (or a group's `, `) comes before it with only label characters between.
fn typed_label_start(text: &str, offset: usize) -> Option<usize> {
    let mut start = offset.saturating_sub(MAX_LOOKBACK);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[start..offset];
    let mut label_start = offset;
    for (idx, c) in before.char_indices().rev() {
        let absolute = offset - before.len() + idx;
        match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => label_start = absolute,
            '^' => {
                label_start = absolute;
                return (absolute > 0 && text.as_bytes()[absolute - 1] == b'[').then_some(label_start);
            }
            '[' => return Some(label_start),
            ',' | ' ' => return in_group(text, absolute, offset).then_some(label_start),
            _ => return None,
        }
    }
    None
}

/// `true` when `sep` (a `,` or space) separates labels of a group that
/// opened with `[` before it: `[1, |`.
fn in_group(text: &str, sep: usize, offset: usize) -> bool {
    let line_start = text[..sep].rfind(['\n', '\r']).map_or(0, |idx| idx + 1);
    let Some(open) = text[line_start..sep].rfind('[') else { return false };
    let inside = &text[line_start + open + 1..offset];
    !inside.is_empty() && inside.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '-' | '–'))
}

fn with_close(label_text: &str, closes: bool) -> String {
    if closes { format!("{label_text}]") } else { label_text.to_owned() }
}

fn sort_text(label_text: &str) -> String {
    match label::numeric(label_text) {
        Some(number) => format!("0{number:020}"),
        None => format!("1{label_text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn complete(fixture_text: &str) -> Option<Completion> {
        let (text, cursors, _) = fixture::parse(fixture_text);
        completion(&fixture::doc(&text), cursors[0])
    }

    fn labels(completion: &Completion) -> Vec<&str> {
        completion.items.iter().map(|item| item.label.as_str()).collect()
    }

    const NOTES: &str = "[10] “Ten”, TASS, 2023\n[2] “Two”, CNN, 2022\n[^x]: X\n";

    #[test]
    fn after_an_open_bracket_offers_labels_sorted_and_the_next_number() {
        let found = complete(&format!("Said.[\n      |\n{NOTES}")).unwrap();
        assert_eq!(labels(&found), ["2", "10", "^x", "11"]);
        assert_eq!(found.items[0].insert, "2]");
        assert_eq!(found.items[0].detail, "Two — CNN, 2022");
        assert!(found.items[0].documentation.as_deref().unwrap().contains("*“Two”*"));
        assert_eq!(found.items[3].kind, ItemKind::NextFree);
        assert!(found.replace.is_empty());
    }

    #[test]
    fn after_a_caret_offers_named_labels_only() {
        let found = complete(&format!("Said.[^]\n       |\n{NOTES}")).unwrap();
        assert_eq!(labels(&found), ["^x"]);
        assert_eq!(found.items[0].insert, "^x");
        assert_eq!(found.replace.len(), 1);
    }

    #[test]
    fn partial_labels_and_groups() {
        let found = complete(&format!("Said.[1\n       |\n{NOTES}")).unwrap();
        assert_eq!(found.replace.len(), 1);
        let found = complete(&format!("Said.[2, \n         |\n{NOTES}")).unwrap();
        assert!(found.replace.is_empty());
        assert_eq!(labels(&found)[0], "2");
    }

    #[test]
    fn nothing_in_code_comments_or_plain_text() {
        assert_eq!(complete(&format!("Said `[\n        |\n{NOTES}")), None);
        assert_eq!(complete(&format!("<!-- [ -->\n      |\n{NOTES}")), None);
        assert_eq!(complete(&format!("---\ntitle: [\n        |\n---\nText.\n{NOTES}")), None);
        assert_eq!(complete(&format!("Said so\n      |\n{NOTES}")), None);
        assert_eq!(complete(&format!("Said, so\n        |\n{NOTES}")), None);
    }
}
