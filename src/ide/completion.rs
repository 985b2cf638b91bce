//! Completion of note labels after `[` and `[^`.

use crate::ide::hover::label_order;
use crate::ide::notes;
use crate::model::{Document, label};
use crate::text::TextRange;

type LabelOrder<'a> = (u8, u64, &'a str);

/// How far back from the cursor an opening `[` is looked for.
const MAX_LOOKBACK: usize = 128;

/// How many items a completion returns unless told otherwise (the LSP
/// default of `lsp.completion.limit`).
pub const DEFAULT_LIMIT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The typed part of the label, replaced by the chosen item.
    pub replace: TextRange,
    /// Best first: the matching labels in label order, the next free number
    /// among them by its value.
    pub items: Vec<CompletionItem>,
    /// `true` when matching labels were left out to keep within the limit:
    /// typing more of the label narrows the list.
    pub incomplete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A label the article defines.
    Existing,
    /// The next number no note uses yet.
    NextFree,
    /// A bibliography entry's key (after `@`).
    Entry,
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
    /// The item's rank, zero-padded so that sorting the texts keeps the
    /// order of `items`.
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

/// What a completion returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletionConfig {
    pub docs: Docs,
    /// The most items returned, the next free number included; `0`: all.
    pub limit: usize,
}

impl Default for CompletionConfig {
    fn default() -> CompletionConfig {
        CompletionConfig { docs: Docs::Eager, limit: 0 }
    }
}

/// Labels to offer at `offset`, when the cursor follows `[`, `[^`, a
/// partial label, or a `, ` inside a group; `None` elsewhere and inside code,
/// comments or front matter. Every item, with its documentation.
pub fn completion(doc: &Document, offset: usize) -> Option<Completion> {
    completion_with(doc, offset, CompletionConfig::default())
}

/// The documentation of the item for `label` (a lazy item's, when shown).
pub fn documentation(doc: &Document, label: &str) -> Option<String> {
    match doc.note_indices(label).first() {
        Some(&idx) => Some(notes::note_markdown(doc, idx as usize)),
        // A citation key's item (`ide::citations::completion`).
        None => doc.library.get(label).map(|(_, entry)| crate::ide::citations::entry_markdown(entry)),
    }
}

/// Whether `offset` is a place in the prose where something can be
/// completed: a character boundary, not in code, a comment or front matter.
pub(crate) fn in_prose(doc: &Document, offset: usize) -> bool {
    let text = doc.text();
    offset <= text.len()
        && text.is_char_boundary(offset)
        && !doc.in_code_or_comment(offset)
        && !doc.in_code_or_comment(offset.saturating_sub(1))
        && !doc.front_matter.as_ref().is_some_and(|front_matter| front_matter.range.contains(offset))
}

/// `completion`, filtered by the typed part of the label (a prefix, case
/// ignored; `fo` also matches `^foo`), cut to `config.limit` items and with
/// each item's documentation now or later. The next free number is always
/// offered (except after `^`): a cut list keeps it and drops the last label.
pub fn completion_with(doc: &Document, offset: usize, config: CompletionConfig) -> Option<Completion> {
    let text = doc.text();
    if !in_prose(doc, offset) {
        return None;
    }
    let prefix_start = typed_label_start(text, offset)?;
    let typed = &text[prefix_start..offset];
    let named_only = typed.starts_with('^');
    let closes = !text[offset..].starts_with([']', ',']);

    // Cheap work for every note (dedupe, match, order); the items' texts
    // only for those returned.
    // Sorted by label, then note: a label defined twice keeps its first note.
    let mut keyed: Vec<(LabelOrder<'_>, usize, &str)> = doc
        .notes
        .iter()
        .enumerate()
        .filter(|(_, note)| matches(&note.label, typed))
        .map(|(idx, note)| (label_order(&note.label), idx, note.label.as_ref()))
        .collect();
    keyed.sort_unstable();
    keyed.dedup_by(|later, first| later.2 == first.2);
    let mut labels: Vec<(&str, usize)> =
        keyed.into_iter().map(|(_, idx, label_text)| (label_text, idx)).collect();
    let next = (!named_only).then(|| next_free_number(doc).to_string());
    let total = labels.len() + usize::from(next.is_some());
    let incomplete = config.limit != 0 && total > config.limit;
    if incomplete {
        labels.truncate(config.limit.saturating_sub(usize::from(next.is_some())));
    }
    // The next free number is larger than every numeric label: it goes
    // after them, before the named ones.
    let next_at = labels.partition_point(|(label_text, _)| label::numeric(label_text).is_some());
    let count = labels.len() + usize::from(next.is_some());
    let width = count.to_string().len();
    let mut items: Vec<CompletionItem> = Vec::with_capacity(count);
    for (idx, (label_text, note_idx)) in labels.into_iter().enumerate() {
        if idx == next_at
            && let Some(next) = &next
        {
            items.push(next_free_item(next, closes));
        }
        items.push(CompletionItem {
            label: label_text.to_owned(),
            insert: with_close(label_text, closes),
            detail: notes::detail(doc, note_idx),
            documentation: (config.docs == Docs::Eager).then(|| notes::note_markdown(doc, note_idx)),
            sort_text: String::new(),
            kind: ItemKind::Existing,
        });
    }
    if let Some(next) = &next
        && items.len() < count
    {
        items.push(next_free_item(next, closes));
    }
    for (rank, item) in items.iter_mut().enumerate() {
        item.sort_text = format!("{rank:0width$}");
    }
    Some(Completion { replace: TextRange::new(prefix_start, offset), items, incomplete })
}

fn next_free_item(next: &str, closes: bool) -> CompletionItem {
    CompletionItem {
        label: next.to_owned(),
        insert: with_close(next, closes),
        detail: "next free number (a new note)".to_owned(),
        documentation: None,
        sort_text: String::new(),
        kind: ItemKind::NextFree,
    }
}

/// Whether `label` continues what was typed: a prefix, case ignored; a
/// named label also matches without its `^`.
fn matches(label_text: &str, typed: &str) -> bool {
    if typed.is_empty() {
        return true;
    }
    starts_with_ignoring_case(label_text, typed)
        || (!typed.starts_with('^')
            && label_text.strip_prefix('^').is_some_and(|name| starts_with_ignoring_case(name, typed)))
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    if text.is_ascii() && prefix.is_ascii() {
        return text.len() >= prefix.len()
            && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
    }
    let mut chars = text.chars().flat_map(char::to_lowercase);
    prefix.chars().flat_map(char::to_lowercase).all(|c| chars.next() == Some(c))
}

/// One more than the largest number any note or reference uses.
pub fn next_free_number(doc: &Document) -> u64 {
    let notes = doc.notes.iter().map(|note| note.label.as_ref());
    let references = doc.references.iter().map(|reference| reference.label.as_ref());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn complete(fixture_text: &str) -> Option<Completion> {
        let (text, cursors, _) = fixture::parse(fixture_text);
        completion(&fixture::doc(&text), cursors[0])
    }

    fn labels(completion: &Completion) -> Vec<&str> {
        completion.items.iter().map(|item| item.label.as_ref()).collect()
    }

    const NOTES: &str = "[10] “Ten”, TASS, 2023\n[2] “Two”, CNN, 2022\n[^x]: X\n";

    #[test]
    fn after_an_open_bracket_offers_labels_sorted_and_the_next_number() {
        let found = complete(&format!("Said.[\n      |\n{NOTES}")).unwrap();
        // The next free number by its value: after the numbers, before
        // the named labels.
        assert_eq!(labels(&found), ["2", "10", "11", "^x"]);
        assert_eq!(found.items[0].insert, "2]");
        assert_eq!(found.items[0].detail, "Two — CNN, 2022");
        assert!(found.items[0].documentation.as_deref().unwrap().contains("*“Two”*"));
        assert_eq!(found.items[2].kind, ItemKind::NextFree);
        assert!(found.replace.is_empty());
        assert!(!found.incomplete);
        let sort: Vec<&str> = found.items.iter().map(|item| item.sort_text.as_str()).collect();
        assert_eq!(sort, ["0", "1", "2", "3"]);
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

    /// An article with notes `[1]`…`[count]` and `[^alpha]`, `[^Beta]`, and
    /// the cursor after `[` + `typed`.
    fn many(count: usize, typed: &str, limit: usize) -> Completion {
        let mut text = format!("Said.[{typed}\n");
        let offset = text.len() - 1;
        for number in (1..=count).rev() {
            text.push_str(&format!("[{number}] “Title {number}”, CNN, 2023\n"));
        }
        text.push_str("[^alpha]: A\n[^Beta]: B\n");
        completion_with(&fixture::doc(&text), offset, CompletionConfig { docs: Docs::Lazy, limit }).unwrap()
    }

    #[test]
    fn the_typed_part_filters_by_prefix() {
        let found = many(30, "2", 0);
        assert_eq!(labels(&found), ["2", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "31"]);
        assert_eq!(found.replace.len(), 1);
        assert!(!found.incomplete);
        // Case ignored; a named label matches with or without its `^`.
        assert_eq!(labels(&many(3, "b", 0)), ["4", "^Beta"]);
        assert_eq!(labels(&many(3, "^B", 0)), ["^Beta"]);
        assert_eq!(labels(&many(3, "^", 0)), ["^Beta", "^alpha"], "byte order, as in hovers");
        // Nothing matches: the next free number still comes.
        let found = many(3, "9", 0);
        assert_eq!(labels(&found), ["4"]);
        assert_eq!(found.items[0].kind, ItemKind::NextFree);
    }

    #[test]
    fn a_limit_cuts_the_list_keeps_the_next_free_number_and_says_so() {
        let found = many(300, "", 10);
        assert_eq!(labels(&found), ["1", "2", "3", "4", "5", "6", "7", "8", "9", "301"]);
        assert!(found.incomplete);
        assert_eq!(found.items[9].kind, ItemKind::NextFree);
        let sort: Vec<&str> = found.items.iter().map(|item| item.sort_text.as_str()).collect();
        assert_eq!(sort, ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09"]);
        // Lazy: the documentation comes with `documentation`.
        assert!(found.items.iter().all(|item| item.documentation.is_none()));
        assert!(!found.items[0].detail.is_empty());

        // Typing narrows it: `29` matches 29 and 290…299.
        let found = many(300, "29", 10);
        assert_eq!(labels(&found), ["29", "290", "291", "292", "293", "294", "295", "296", "297", "301"]);
        assert!(found.incomplete);
        let found = many(300, "29", 12);
        assert_eq!(labels(&found).len(), 12);
        assert!(!found.incomplete, "11 labels and the next free number fit");

        // `0` is no limit; exactly the limit is complete.
        let found = many(300, "", 0);
        assert_eq!(found.items.len(), 303);
        assert!(!found.incomplete);
        assert!(!many(300, "", 303).incomplete);
        assert!(many(300, "", 302).incomplete);

        // After `^` there is no next free number.
        let found = many(300, "^", 1);
        assert_eq!(labels(&found), ["^Beta"]);
        assert!(found.incomplete);
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
