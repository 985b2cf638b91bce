//! The document model: one plain-data index per document, built from the tree.
//!
//! Everything here is byte ranges and owned strings; there are no LSP or CLI
//! types. Checks and IDE features read a `Document`; nothing mutates it.

pub mod bibliography;
mod build;
pub mod citation;
pub mod cite;
pub mod dates;
pub mod front_matter;
pub mod label;
pub mod sentences;

use std::sync::Arc;

use rustc_hash::FxHashMap;

pub use bibliography::Library;
pub use build::ModelCache;
pub use citation::Citation;
pub use cite::Cite;
pub use dates::{DateMention, DateOrder};
pub use front_matter::FrontMatter;

use crate::text::{LineIndex, TextRange};

/// What the model needs to know beyond the text itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelConfig {
    /// Order of numeric dates like `03/04/2023`; front matter `date-order` wins.
    pub date_order: Option<DateOrder>,
    /// The article's date when its front matter has none (`aam.toml`).
    pub reference_date: Option<jiff::civil::Date>,
}

/// The model of one article.
#[derive(Debug, Clone)]
pub struct Document {
    text: Arc<str>,
    /// Built on first use: the language server's keystrokes need none (its
    /// positions come from the rope), and it is a pass over the whole text.
    line_index: std::sync::OnceLock<LineIndex>,
    pub front_matter: Option<FrontMatter>,
    pub headings: Vec<Heading>,
    pub blocks: Vec<Block>,
    pub sentences: Vec<Sentence>,
    pub references: Vec<Reference>,
    pub notes: Vec<Note>,
    pub dates: Vec<DateMention>,
    /// Pandoc citations `[@key]` and `@key`, in order.
    pub cites: Vec<Cite>,
    /// The bibliographies the article cites from: empty until an edge (the
    /// CLI, the language server) reads them and attaches them
    /// (`with_library`).
    pub library: Arc<Library>,
    /// Every `<!-- … -->` comment, in order (suppressions live here).
    pub comments: Vec<TextRange>,
    /// Fenced code blocks and inline code spans, in order.
    pub code: Vec<TextRange>,
    /// Bare URLs and link targets, in order.
    pub urls: Vec<TextRange>,
    /// The article's date: front matter `date`, else the configured one.
    pub article_date: Option<jiff::civil::Date>,
    /// The numeric date order in force.
    pub date_order: DateOrder,
    labels: FxHashMap<Arc<str>, LabelEntry>,
    /// Indices into `cites`, by key.
    cite_keys: FxHashMap<Arc<str>, Vec<u32>>,
}

/// The kind of a top-level (or nested) block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    FrontMatter,
    Heading,
    Paragraph,
    Quote,
    ListItem,
    Code,
    Comment,
    Note,
    /// A Markdown link definition, `[12]: https://…` (not a note).
    LinkDefinition,
}

/// A block and the range of its prose (`content`, empty for code/comments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub range: TextRange,
    pub content: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 6 for `######`.
    pub level: u8,
    pub range: TextRange,
    pub content: TextRange,
    pub text: String,
}

/// One sentence of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Source range, from the first character to the terminal punctuation,
    /// closing quotes and any reference markers right after it.
    pub range: TextRange,
    /// Source text with reference markers and comments removed and
    /// whitespace collapsed (shared: a model of the next version reuses it).
    pub text: Arc<str>,
    /// The kind of block the sentence stands in.
    pub context: BlockKind,
    /// Index into `Document::blocks`.
    pub block: u32,
}

/// One cited label: `[3]`, each number of `[1, 3]` or `[2-4]`, or `[^x]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `3` for `[3]`, `^x` for `[^x]` (shared: the next model reuses it).
    pub label: Arc<str>,
    /// The narrowest range: the whole marker for a lone reference, the label
    /// (or the `2-4` of a range) inside a group.
    pub range: TextRange,
    /// The whole marker, `[` to `]`.
    pub marker: TextRange,
    /// `true` for the numbers a range like `[2-4]` implies.
    pub in_range: bool,
}

/// One footnote definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// `3` for `[3]`, `^x` for `[^x]:` (shared, as the texts below).
    pub label: Arc<str>,
    /// The `[3]` or `[^x]` at the start of the definition.
    pub label_range: TextRange,
    /// The whole definition, continuation lines included.
    pub range: TextRange,
    /// The note's text after the label (and colon); may be empty.
    pub content: TextRange,
    /// The content with whitespace collapsed.
    pub text: Arc<str>,
    pub citation: Citation,
    /// `true` when the note starts with `Ibid` or `Id.`.
    pub ibid: bool,
    /// For an Ibid note, the index (into `Document::notes`) of the note whose
    /// source it cites, followed through chains of Ibids; `None` when dangling.
    pub ibid_of: Option<u32>,
}

#[derive(Debug, Clone, Default)]
struct LabelEntry {
    notes: Vec<u32>,
    references: Vec<u32>,
}

impl Document {
    /// Parses and models `text`.
    pub fn parse(text: &str, config: &ModelConfig) -> Document {
        Document::parse_shared(Arc::from(text), config)
    }

    /// `parse`, keeping `text` rather than a copy of it.
    pub fn parse_shared(text: Arc<str>, config: &ModelConfig) -> Document {
        let tree = crate::syntax::parse(&text);
        Document::from_tree(text, &tree, config)
    }

    /// Models `text` from its (already parsed) tree.
    pub fn from_tree(text: Arc<str>, tree: &crate::syntax::Tree, config: &ModelConfig) -> Document {
        build::build(text, tree, false, config, None)
    }

    /// Models `text` from its tree, reusing the parts of `cache` (the model
    /// of an earlier version of the same document) that did not change, and
    /// keeping this version's parts in it. The result equals `from_tree`'s.
    pub fn from_tree_cached(
        text: Arc<str>,
        tree: &crate::syntax::Tree,
        config: &ModelConfig,
        cache: &mut ModelCache,
    ) -> Document {
        build::build(text, tree, false, config, Some(cache))
    }

    /// `from_tree_cached` for the tree of an edited version of the text the
    /// cache modelled last (the language server after a change): only the
    /// top-level nodes around the edits are read from the tree, the others
    /// are the cache's. The result equals `from_tree`'s.
    pub fn from_edited_tree_cached(
        text: Arc<str>,
        tree: &crate::syntax::Tree,
        config: &ModelConfig,
        cache: &mut ModelCache,
    ) -> Document {
        build::build(text, tree, true, config, Some(cache))
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> &Arc<str> {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or("")
    }

    /// The first definition of `label`.
    pub fn note(&self, label: &str) -> Option<&Note> {
        self.note_indices(label).first().map(|&idx| &self.notes[idx as usize])
    }

    /// Indices (into `notes`) of every definition of `label`.
    pub fn note_indices(&self, label: &str) -> &[u32] {
        self.labels.get(label).map_or(&[], |entry| &entry.notes)
    }

    /// Indices (into `references`) of every citation of `label`.
    pub fn reference_indices(&self, label: &str) -> &[u32] {
        self.labels.get(label).map_or(&[], |entry| &entry.references)
    }

    /// The note whose source an Ibid note cites, or the note itself.
    pub fn source_note(&self, note_idx: usize) -> Option<&Note> {
        let note = self.notes.get(note_idx)?;
        if note.ibid { note.ibid_of.map(|idx| &self.notes[idx as usize]) } else { Some(note) }
    }

    /// The source date of a note (through Ibid), as an index into `dates`.
    pub fn source_date(&self, note_idx: usize) -> Option<&DateMention> {
        let source = self.source_note(note_idx)?;
        source.citation.date.map(|idx| &self.dates[idx as usize])
    }

    /// This document citing from `library`.
    pub fn with_library(mut self, library: Arc<Library>) -> Document {
        self.library = library;
        self
    }

    /// Indices (into `cites`) of every citation of `key`.
    pub fn cite_indices(&self, key: &str) -> &[u32] {
        self.cite_keys.get(key).map_or(&[], Vec::as_slice)
    }

    /// The files the front matter's `bibliography:` names.
    pub fn bibliography_paths(&self) -> Vec<cite::BibliographyPath> {
        cite::front_matter_paths(self.front_matter.as_ref(), &self.text)
    }

    /// The sentence containing `offset`.
    pub fn sentence_at(&self, offset: usize) -> Option<&Sentence> {
        let idx = self.sentences.partition_point(|s| s.range.end() <= offset);
        self.sentences.get(idx).filter(|s| s.range.contains(offset))
    }

    /// `true` when `range` lies inside code or a comment.
    pub fn in_code_or_comment(&self, offset: usize) -> bool {
        contains_sorted(&self.code, offset) || contains_sorted(&self.comments, offset)
    }
}

/// `true` when one of the sorted, disjoint `ranges` contains `offset`.
pub fn contains_sorted(ranges: &[TextRange], offset: usize) -> bool {
    let idx = ranges.partition_point(|r| r.end() <= offset);
    ranges.get(idx).is_some_and(|r| r.contains(offset))
}
