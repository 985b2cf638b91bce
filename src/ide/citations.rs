//! Pandoc citations in the editor: hover (the entry), completion of keys
//! after `@`, definition (into the bibliography file), references and
//! rename of a key.
//!
//! Ranges in a bibliography file are its own byte offsets; `lsp/` converts
//! them with that file's text (`BibLocation::text`).

use std::sync::Arc;

use crate::checks::Edit;
use crate::ide::completion::{Completion, CompletionConfig, CompletionItem, Docs, ItemKind};
use crate::ide::hover::Hover;
use crate::ide::notes::escape;
use crate::model::Document;
use crate::model::bibliography::{Entry, Source};
use crate::model::dates::prose;
use crate::text::TextRange;

/// How far back from the cursor an `@` is looked for.
const MAX_KEY_LOOKBACK: usize = 256;

/// A place in a bibliography file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BibLocation {
    /// The file's path as the library holds it.
    pub path: String,
    /// Its text, for converting the ranges.
    pub text: Arc<str>,
    /// The entry's key.
    pub focus_range: TextRange,
    /// The whole entry.
    pub full_range: TextRange,
}

/// The rename of a key: the article's edits, and the entry's in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRename {
    pub edits: Vec<Edit>,
    pub entry: Option<(BibLocation, Edit)>,
}

/// The citation (index into `doc.cites`) whose `@key` the cursor touches.
pub fn cite_at(doc: &Document, offset: usize) -> Option<usize> {
    let first = doc.cites.partition_point(|cite| cite.group.end() < offset);
    (first..doc.cites.len())
        .take_while(|&idx| doc.cites[idx].group.start() <= offset)
        .find(|&idx| doc.cites[idx].range.touches(offset))
}

/// The entry of a citation as Markdown, or why there is none.
pub fn hover(doc: &Document, offset: usize) -> Option<Hover> {
    let idx = cite_at(doc, offset)?;
    let cite = &doc.cites[idx];
    let markdown = match doc.library.get(&cite.key) {
        Some((source, entry)) => {
            let mut markdown = entry_markdown(entry);
            if let Some(locator) = cite.locator {
                markdown.push_str(&format!("\n\nCited at: {}", escape(doc.slice(locator))));
            }
            markdown.push_str(&format!("\n\n*`@{}` in {}*", cite.key, escape(file_name(&source.path))));
            markdown
        }
        None if doc.library.is_unconfigured() => format!(
            "`@{}`: the article names no bibliography (`bibliography:` in the front matter, or `[bibliography] files` in `aam.toml`)",
            cite.key
        ),
        None => format!("`@{}` is not in the bibliography", cite.key),
    };
    Some(Hover { range: cite.range, markdown })
}

/// `**Knuth, Donald E.** (1984). *The TeXbook*. Journal. Publisher. <link>`
pub fn entry_markdown(entry: &Entry) -> String {
    let mut out = String::new();
    if !entry.authors.is_empty() {
        out.push_str(&format!("**{}**", escape(&entry.authors.join(", "))));
    }
    if let Some(date) = &entry.date {
        let when = match date.year() {
            Some(year) if date.precision() != Some(crate::model::dates::Precision::Year) => {
                format!("{year}; {}", prose(date))
            }
            _ => prose(date),
        };
        out.push_str(&format!("{}({when})", if out.is_empty() { "" } else { " " }));
    }
    if let Some(title) = &entry.title {
        out.push_str(&format!("{}*{}*", if out.is_empty() { "" } else { ". " }, escape(title)));
    }
    for part in [&entry.container, &entry.publisher].into_iter().flatten() {
        out.push_str(&format!("{}{}", if out.is_empty() { "" } else { ". " }, escape(part)));
    }
    if out.is_empty() {
        out.push_str(&format!("`{}`", entry.key));
    }
    if let Some(link) = entry.link() {
        out.push_str(&format!("\n\n[{}]({link})", escape(&link)));
    }
    out
}

/// Keys to offer after `@` (in a group or narrative): those starting with
/// what was typed, case ignored, by key; at most `config.limit` (`0`: all),
/// each with its entry as documentation now or when shown.
pub fn completion(doc: &Document, offset: usize, config: CompletionConfig) -> Option<Completion> {
    let limit = config.limit;
    let text = doc.text();
    if !super::completion::in_prose(doc, offset) {
        return None;
    }
    let key_start = typed_key_start(text, offset)?;
    if doc.library.is_empty() {
        return None;
    }
    let typed = &text[key_start..offset];
    let mut keys: Vec<(&Source, &Entry)> =
        doc.library.entries().filter(|(_, entry)| starts_with_ignoring_case(&entry.key, typed)).collect();
    let incomplete = limit != 0 && keys.len() > limit;
    if incomplete {
        // The `limit` first keys, without sorting them all.
        keys.select_nth_unstable_by(limit - 1, |a, b| a.1.key.cmp(&b.1.key));
        keys.truncate(limit);
    }
    keys.sort_unstable_by(|a, b| a.1.key.cmp(&b.1.key));
    let width = keys.len().to_string().len();
    let items = keys
        .into_iter()
        .enumerate()
        .map(|(rank, (_, entry))| CompletionItem {
            label: entry.key.to_string(),
            insert: entry.key.to_string(),
            detail: entry.author_year_title(),
            documentation: (config.docs == Docs::Eager).then(|| entry_markdown(entry)),
            sort_text: format!("{rank:0width$}"),
            kind: ItemKind::Entry,
        })
        .collect();
    Some(Completion { replace: TextRange::new(key_start, offset), items, incomplete })
}

/// The start of the key typed before `offset`, right after an `@` that
/// starts a citation (after a blank, `[`, `;`, `-`, `(` or the line start).
fn typed_key_start(text: &str, offset: usize) -> Option<usize> {
    let mut start = offset.saturating_sub(MAX_KEY_LOOKBACK);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[start..offset];
    for (idx, c) in before.char_indices().rev() {
        let absolute = start + idx;
        match c {
            '@' => {
                let previous = text[..absolute].chars().next_back();
                let starts = previous.is_none_or(|p| !(p.is_alphanumeric() || p == '_'));
                return starts.then_some(absolute + 1);
            }
            c if c.is_alphanumeric() || "_:.#$%&+?<>~/-".contains(c) => {}
            _ => return None,
        }
    }
    None
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
        || (!prefix.is_ascii() && text.to_lowercase().starts_with(&prefix.to_lowercase()))
}

/// The entry the citation at `offset` cites, in its file; with the range
/// of the citation.
pub fn definition(doc: &Document, offset: usize) -> Option<(TextRange, BibLocation)> {
    let cite = &doc.cites[cite_at(doc, offset)?];
    let (source, entry) = doc.library.get(&cite.key)?;
    Some((cite.range, location(source, entry)))
}

fn location(source: &Source, entry: &Entry) -> BibLocation {
    BibLocation {
        path: source.path.clone(),
        text: Arc::clone(&source.text),
        focus_range: entry.key_range,
        full_range: entry.range,
    }
}

/// Every citation of the key at `offset` (their keys), and with
/// `include_declaration` the entry.
pub fn references(
    doc: &Document,
    offset: usize,
    include_declaration: bool,
) -> Option<(Vec<TextRange>, Option<BibLocation>)> {
    let cite = &doc.cites[cite_at(doc, offset)?];
    let ranges = doc.cite_indices(&cite.key).iter().map(|&idx| doc.cites[idx as usize].key_range).collect();
    let entry = include_declaration
        .then(|| doc.library.get(&cite.key).map(|(source, entry)| location(source, entry)))
        .flatten();
    Some((ranges, entry))
}

/// The key at `offset` and its range, for an editor's rename box.
pub fn prepare_rename(doc: &Document, offset: usize) -> Option<(TextRange, String)> {
    let cite = &doc.cites[cite_at(doc, offset)?];
    Some((cite.key_range, cite.key.to_string()))
}

/// Renames the key at `offset`: every citation of it, and the entry's key
/// in its bibliography file when it has one there.
pub fn rename(doc: &Document, offset: usize, new_name: &str) -> Result<KeyRename, String> {
    let cite = &doc.cites[cite_at(doc, offset).ok_or_else(|| "there is no citation key here".to_owned())?];
    let new = new_name.trim().trim_start_matches('@');
    let valid = new.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && new.chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && new.chars().all(|c| c.is_alphanumeric() || "_:.#$%&+?<>~/-".contains(c));
    if !valid {
        return Err(format!(
            "`{new_name}` is not a citation key (letters, digits, `_` and inner punctuation)"
        ));
    }
    if new == &*cite.key {
        return Ok(KeyRename { edits: Vec::new(), entry: None });
    }
    if doc.library.get(new).is_some() {
        return Err(format!("the bibliography already has an entry `{new}`"));
    }
    let edits = doc
        .cite_indices(&cite.key)
        .iter()
        .map(|&idx| Edit::replace(doc.cites[idx as usize].key_range, new))
        .collect();
    let entry = doc
        .library
        .get(&cite.key)
        .map(|(source, entry)| (location(source, entry), Edit::replace(entry.key_range, new)));
    Ok(KeyRename { edits, entry })
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;
    use crate::model::bibliography::Library;

    const BIB: &str = "@book{knuth1984,\n  author = {Donald E. Knuth},\n  title = {The TeXbook},\n  date = {1984},\n  doi = {10.1000/tex},\n}\n@article{knuth1992, title = {Literate Programming}, year = 1992}\n@misc{lamport94, title = {LaTeX}}\n";

    fn doc_with_bib(text: &str) -> Document {
        let source = Source::parse("/refs/refs.bib".into(), Arc::from(BIB));
        fixture::doc(text).with_library(Arc::new(Library::new(vec![Arc::new(source)], Vec::new())))
    }

    fn at(fixture_text: &str) -> (Document, usize) {
        let (text, cursors, _) = fixture::parse(fixture_text);
        (doc_with_bib(&text), cursors[0])
    }

    #[test]
    fn hover_shows_the_entry_with_its_link() {
        let (doc, offset) = at("See [@knuth1984, p. 33].\n        |\n");
        let shown = hover(&doc, offset).unwrap();
        assert_eq!(doc.slice(shown.range), "@knuth1984");
        assert!(
            shown.markdown.starts_with("**Donald E. Knuth** (1984). *The TeXbook*"),
            "{}",
            shown.markdown
        );
        assert!(shown.markdown.contains("(https://doi.org/10.1000/tex)"), "{}", shown.markdown);
        assert!(shown.markdown.contains("Cited at: p. 33"), "{}", shown.markdown);
        let (doc, offset) = at("As @nobody says.\n     |\n");
        assert_eq!(hover(&doc, offset).unwrap().markdown, "`@nobody` is not in the bibliography");
        let (doc, offset) = at("Plain words.\n  |\n");
        assert_eq!(hover(&doc, offset), None);
    }

    #[test]
    fn completion_after_an_at_filters_by_prefix() {
        let (doc, offset) = at("See [@knu\n         |\n");
        let found = completion(&doc, offset, CompletionConfig::default()).unwrap();
        let labels: Vec<&str> = found.items.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(labels, ["knuth1984", "knuth1992"]);
        assert_eq!(found.items[0].detail, "Knuth 1984, The TeXbook");
        assert_eq!(doc.slice(found.replace), "knu");
        let (doc, offset) = at("As @\n    |\n");
        let found = completion(&doc, offset, CompletionConfig { docs: Docs::Lazy, limit: 2 }).unwrap();
        assert_eq!(found.items[0].documentation, None);
        assert_eq!(found.items.len(), 2);
        assert!(found.incomplete);
        let (doc, offset) = at("Mail ann@ex\n           |\n");
        assert_eq!(completion(&doc, offset, CompletionConfig::default()), None);
    }

    #[test]
    fn definition_references_and_rename() {
        let (doc, offset) = at("[@knuth1984] and @knuth1984 and [@lamport94].\n  |\n");
        let (origin, target) = definition(&doc, offset).unwrap();
        assert_eq!(doc.slice(origin), "@knuth1984");
        assert_eq!(&target.text[target.focus_range.as_range()], "knuth1984");
        let (ranges, entry) = references(&doc, offset, true).unwrap();
        assert_eq!(ranges.len(), 2);
        assert!(entry.is_some());
        let renamed = rename(&doc, offset, "knuth84").unwrap();
        assert_eq!(renamed.edits.len(), 2);
        let (location, edit) = renamed.entry.unwrap();
        assert_eq!(&location.text[edit.range.as_range()], "knuth1984");
        assert!(rename(&doc, offset, "lamport94").is_err());
        assert!(rename(&doc, offset, "bad key").is_err());
    }
}
