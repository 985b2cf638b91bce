//! The shape of a document: symbols (headings nested, the notes list),
//! folding ranges and document links.

use crate::ide::notes;
use crate::model::{BlockKind, Document, label};
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Heading,
    /// The group of every note.
    Notes,
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole section or note.
    pub range: TextRange,
    /// The heading line or the note's label.
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A section under a heading, the notes list, a long note.
    Region,
    /// Front matter.
    FrontMatter,
    Code,
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub range: TextRange,
    pub target: String,
}

/// Headings nested by level, then a "Notes" symbol holding every note.
pub fn document_symbols(doc: &Document) -> Vec<Symbol> {
    let sections = section_ranges(doc);
    // A stack of open headings: (level, symbol).
    let mut roots: Vec<Symbol> = Vec::new();
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    for (heading, section) in doc.headings.iter().zip(sections) {
        let symbol = Symbol {
            name: if heading.text.is_empty() { "(untitled)".to_owned() } else { heading.text.clone() },
            detail: Some("#".repeat(heading.level as usize)),
            kind: SymbolKind::Heading,
            range: section,
            selection_range: heading.range,
            children: Vec::new(),
        };
        while stack.last().is_some_and(|(level, _)| *level >= heading.level) {
            close_top(&mut stack, &mut roots);
        }
        stack.push((heading.level, symbol));
    }
    while !stack.is_empty() {
        close_top(&mut stack, &mut roots);
    }
    if let (Some(first), Some(last)) = (doc.notes.first(), doc.notes.last()) {
        let children = doc
            .notes
            .iter()
            .enumerate()
            .map(|(idx, note)| Symbol {
                name: label::marker(&note.label),
                detail: Some(notes::short_citation(doc, idx)),
                kind: SymbolKind::Note,
                range: note.range,
                selection_range: note.label_range,
                children: Vec::new(),
            })
            .collect();
        roots.push(Symbol {
            name: "Notes".to_owned(),
            detail: Some(format!("{} notes", doc.notes.len())),
            kind: SymbolKind::Notes,
            range: first.range.cover(last.range),
            selection_range: first.label_range,
            children,
        });
    }
    roots
}

/// Sections, the notes list, long notes, front matter, code and comments,
/// without trailing blank lines. Ranges are in bytes; the server drops
/// those on a single line.
pub fn folding_ranges(doc: &Document) -> Vec<Fold> {
    let mut folds: Vec<Fold> =
        section_ranges(doc).into_iter().map(|range| Fold { range, kind: FoldKind::Region }).collect();
    if let Some(front_matter) = &doc.front_matter {
        folds.push(Fold { range: front_matter.range, kind: FoldKind::FrontMatter });
    }
    if let (Some(first), Some(last)) = (doc.notes.first(), doc.notes.last())
        && doc.notes.len() > 1
    {
        folds.push(Fold { range: first.range.cover(last.range), kind: FoldKind::Region });
    }
    folds.extend(
        doc.notes.iter().map(|note| Fold { range: trim_end(doc, note.range), kind: FoldKind::Region }),
    );
    folds.extend(
        doc.blocks
            .iter()
            .filter(|block| block.kind == BlockKind::Code)
            .map(|block| Fold { range: trim_end(doc, block.range), kind: FoldKind::Code }),
    );
    folds.extend(doc.comments.iter().map(|&range| Fold { range, kind: FoldKind::Comment }));
    for fold in &mut folds {
        fold.range = trim_end(doc, fold.range);
    }
    folds.sort_by_key(|fold| (fold.range.start(), std::cmp::Reverse(fold.range.end())));
    folds.dedup_by_key(|fold| fold.range);
    folds
}

/// Every URL in the text and the notes.
pub fn document_links(doc: &Document) -> Vec<Link> {
    doc.urls
        .iter()
        .map(|&range| Link { range, target: doc.slice(range).to_owned() })
        .filter(|link| link.target.contains("://") || link.target.starts_with("mailto:"))
        .collect()
}

/// Each heading's section: from the heading to the next heading of the same
/// or a higher level, or to the notes list, or to the end of the text.
fn section_ranges(doc: &Document) -> Vec<TextRange> {
    let notes_start = doc.notes.first().map(|note| note.range.start());
    doc.headings
        .iter()
        .enumerate()
        .map(|(idx, heading)| {
            let next = doc.headings[idx + 1..]
                .iter()
                .find(|later| later.level <= heading.level)
                .map(|later| later.range.start());
            let mut end = next.unwrap_or(doc.text().len());
            if let Some(notes_start) = notes_start
                && notes_start > heading.range.start()
            {
                end = end.min(notes_start);
            }
            trim_end(doc, TextRange::new(heading.range.start(), end))
        })
        .collect()
}

/// The range without trailing whitespace and line breaks.
fn trim_end(doc: &Document, range: TextRange) -> TextRange {
    let trimmed = doc.slice(range).trim_end();
    TextRange::new(range.start(), range.start() + trimmed.len())
}

fn close_top(stack: &mut Vec<(u8, Symbol)>, roots: &mut Vec<Symbol>) {
    let Some((_, symbol)) = stack.pop() else { return };
    match stack.last_mut() {
        Some((_, parent)) => parent.children.push(symbol),
        None => roots.push(symbol),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    const TEXT: &str = "# Title\nIntro.[1]\n## Part A\nA text.\n## Part B\nB text.[2]\n# Other\nMore.\n[1] “One”, CNN, 2023\n[2] Ibid\n";

    #[test]
    fn headings_nest_and_notes_are_grouped() {
        let doc = fixture::doc(TEXT);
        let symbols = document_symbols(&doc);
        let names: Vec<&str> = symbols.iter().map(|symbol| symbol.name.as_str()).collect();
        assert_eq!(names, ["Title", "Other", "Notes"]);
        let children: Vec<&str> = symbols[0].children.iter().map(|symbol| symbol.name.as_str()).collect();
        assert_eq!(children, ["Part A", "Part B"]);
        assert_eq!(doc.slice(symbols[0].children[1].range), "## Part B\nB text.[2]");
        let notes: Vec<(&str, &str)> = symbols[2]
            .children
            .iter()
            .map(|symbol| (symbol.name.as_str(), symbol.detail.as_deref().unwrap()))
            .collect();
        assert_eq!(notes, [("[1]", "CNN, 2023"), ("[2]", "Ibid. → [1]")]);
    }

    #[test]
    fn folds_sections_notes_and_code() {
        let text = format!("{TEXT}```\ncode\n```\n");
        let doc = fixture::doc(&text);
        let folds = folding_ranges(&doc);
        let slices: Vec<&str> = folds.iter().map(|fold| doc.slice(fold.range)).collect();
        assert!(
            slices.contains(&"# Title\nIntro.[1]\n## Part A\nA text.\n## Part B\nB text.[2]"),
            "{slices:?}"
        );
        assert!(slices.contains(&"```\ncode\n```"), "{slices:?}");
        assert!(folds.iter().any(
            |fold| doc.slice(fold.range).starts_with("[1]") && doc.slice(fold.range).contains("[2] Ibid")
        ));
    }

    #[test]
    fn links_are_urls() {
        let doc = fixture::doc("See https://example.org/a.[1]\n[1] “T”, X, https://tass.com/b\n");
        let targets: Vec<String> = document_links(&doc).into_iter().map(|link| link.target).collect();
        assert_eq!(targets, ["https://example.org/a", "https://tass.com/b"]);
    }
}
