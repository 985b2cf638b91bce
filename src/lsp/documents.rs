//! Open documents: text in a rope, the last syntax tree kept up to date with
//! `Tree::edit`, and analyses of immutable snapshots.
//!
//! Every change is applied here synchronously, in the order the client sent
//! it (STYLE.md §6): the rope and the tree are edited together, so a snapshot
//! (a cheap clone of both) is always consistent. Parsing, modelling and
//! checking run later on such a snapshot, off the async runtime; the tree of
//! the newest model is kept for the next incremental reparse. A `Model` is
//! what hover, completion and the other features need; its diagnostics are
//! computed on first use, so a feature never waits for the rules.

use std::sync::{Arc, Mutex, OnceLock};

use ropey::Rope;
use tokio::sync::OnceCell;

use crate::checks::{self, Diagnostic};
use crate::config::Resolved;
use crate::config::bibliography::{BibliographyCache, Lookup};
use crate::lsp::position::{self, Encoding, LineCol};
use crate::lsp::retire;
use crate::model::{Document, ModelCache};
use crate::syntax::{self, InputEdit, Point, Tree};
use crate::text::TextRange;
use std::path::PathBuf;

/// One change sent by the client: replace `range` (or everything) by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `None` replaces the whole document.
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// An open document.
#[derive(Debug)]
pub struct DocumentState {
    pub version: i32,
    /// Bumped by every change of text or settings: an analysis or a publish
    /// is current only while the generation it was made for is.
    pub generation: u64,
    pub rope: Rope,
    /// A tree of an earlier text, edited (`Tree::edit`) to match `rope`;
    /// `None` after a full replacement.
    tree: Option<Tree>,
    pub settings: Arc<Resolved>,
    /// Where the settings came from (the `aam.toml` in force, if any).
    pub config_path: Option<std::path::PathBuf>,
    /// Where the document's bibliographies are read (a file on disk only).
    pub bibliography: Option<Arc<BibliographyPlace>>,
    model: Arc<OnceCell<Arc<Model>>>,
    /// The parts of earlier models, reused by the next one.
    cache: Arc<Mutex<ModelCache>>,
    /// What the rules kept from their last run on this document.
    checks: Arc<Mutex<checks::Cache>>,
}

/// What an analysis needs, cut from a `DocumentState` at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: i32,
    pub generation: u64,
    pub rope: Rope,
    tree: Option<Tree>,
    pub settings: Arc<Resolved>,
    bibliography: Option<Arc<BibliographyPlace>>,
    /// The model of this generation, computed once and shared.
    pub model: Arc<OnceCell<Arc<Model>>>,
    cache: Arc<Mutex<ModelCache>>,
    checks: Arc<Mutex<checks::Cache>>,
}

/// Where a document on disk finds its bibliographies: its directory, the
/// directory of its `aam.toml`, and the server's cache of parsed files.
#[derive(Debug)]
pub struct BibliographyPlace {
    pub cache: Arc<BibliographyCache>,
    pub article_dir: PathBuf,
    pub config_dir: Option<PathBuf>,
}

/// The parsed and modelled text of one snapshot; its diagnostics are
/// computed on first use.
#[derive(Debug)]
pub struct Model {
    pub version: i32,
    pub generation: u64,
    /// The text modelled, for position conversion of the results.
    pub rope: Rope,
    pub tree: Tree,
    pub doc: Document,
    settings: Arc<Resolved>,
    diagnostics: OnceLock<Vec<Diagnostic>>,
    /// The diagnostics as the client receives them, serialised once for
    /// both `publishDiagnostics` and `textDocument/diagnostic`.
    serialised: OnceLock<Serialised>,
    checks: Arc<Mutex<checks::Cache>>,
    /// Set by the first `claim_warm`: the server warms a model's cache once.
    warm_claimed: std::sync::atomic::AtomicBool,
}

/// A model's diagnostics serialised for the client.
#[derive(Debug)]
pub struct Serialised {
    /// The JSON array of the diagnostics.
    pub items: Vec<u8>,
    /// A hash of `items`: the result id of a pulled report, equal for equal
    /// diagnostics.
    pub result_id: String,
}

impl Serialised {
    pub fn new(items: Vec<u8>) -> Serialised {
        use std::hash::Hasher;
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(&items);
        hasher.write_usize(items.len());
        let result_id = format!("{:016x}", hasher.finish());
        Serialised { items, result_id }
    }
}

/// The model and diagnostics of one snapshot, computed together (for the
/// fuzz and property harness, which checks both after every edit).
#[derive(Debug)]
pub struct Analysis {
    pub generation: u64,
    /// The text analysed, for position conversion of the results.
    pub rope: Rope,
    pub tree: Tree,
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

impl DocumentState {
    pub fn new(version: i32, text: &str, generation: u64, settings: Arc<Resolved>) -> DocumentState {
        DocumentState {
            version,
            generation,
            rope: Rope::from_str(text),
            tree: None,
            settings,
            config_path: None,
            bibliography: None,
            model: Arc::new(OnceCell::new()),
            cache: Arc::default(),
            checks: Arc::default(),
        }
    }

    /// Applies `changes` in order; `encoding` is the unit of their columns.
    pub fn apply(&mut self, version: i32, changes: &[Change], encoding: Encoding, generation: u64) {
        for change in changes {
            match change.range {
                None => {
                    self.rope = Rope::from_str(&change.text);
                    self.tree = None;
                }
                Some((start, end)) => {
                    let start = position::to_offset(&self.rope, start, encoding);
                    let end = position::to_offset(&self.rope, end, encoding).max(start);
                    self.replace(TextRange::new(start, end), &change.text);
                }
            }
        }
        self.version = version;
        self.invalidate(generation);
    }

    /// Forgets the analysis (the text or the settings changed).
    pub fn invalidate(&mut self, generation: u64) {
        self.generation = generation;
        // The last model (its diagnostics above all) is freed in the
        // background, not before the next one can start.
        retire::later(std::mem::replace(&mut self.model, Arc::new(OnceCell::new())));
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            version: self.version,
            generation: self.generation,
            rope: self.rope.clone(),
            tree: self.tree.clone(),
            settings: self.settings.clone(),
            bibliography: self.bibliography.clone(),
            model: self.model.clone(),
            cache: self.cache.clone(),
            checks: self.checks.clone(),
        }
    }

    /// Keeps the tree of an analysis of the current text for the next
    /// incremental reparse.
    pub fn adopt_tree(&mut self, analysis: &Analysis) {
        self.adopt(analysis.generation, &analysis.tree);
    }

    /// Keeps the tree of a model of the current text.
    pub fn adopt_model(&mut self, model: &Model) {
        self.adopt(model.generation, &model.tree);
    }

    fn adopt(&mut self, generation: u64, tree: &Tree) {
        if generation == self.generation {
            self.tree = Some(tree.clone());
        }
    }

    /// The current text (a copy).
    #[cfg(test)]
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    fn replace(&mut self, range: TextRange, text: &str) {
        let start_point = ts_point(&self.rope, range.start());
        let old_end_point = ts_point(&self.rope, range.end());
        let start_char = self.rope.byte_to_char(range.start());
        let end_char = self.rope.byte_to_char(range.end());
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, text);
        if let Some(tree) = &mut self.tree {
            tree.edit(&InputEdit {
                start_byte: range.start(),
                old_end_byte: range.end(),
                new_end_byte: range.start() + text.len(),
                start_position: start_point,
                old_end_position: old_end_point,
                new_end_position: point_after(start_point, text),
            });
        }
    }
}

impl Snapshot {
    /// Parses (reusing the edited tree) and models the snapshot (reusing
    /// the parts of the last model that the edits did not touch).
    pub fn model(&self) -> Model {
        let text: Arc<str> = Arc::from(String::from(&self.rope));
        let tree = syntax::reparse(&text, self.tree.as_ref());
        // Taken out while in use: a model of another version computed at
        // the same time starts from an empty cache, and the last one to
        // finish keeps its parts.
        let mut cache =
            std::mem::take(&mut *self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let mut doc = Document::from_edited_tree_cached(text, &tree, &self.settings.model, &mut cache);
        *self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = cache;
        if let Some(place) = &self.bibliography {
            // Each file is stat'ed, and parsed again only when it changed.
            let lookup = Lookup {
                article_dir: &place.article_dir,
                config_dir: place.config_dir.as_deref(),
                config_files: &self.settings.bibliography,
            };
            let library = place.cache.library(&doc, lookup, &|path| path.display().to_string());
            doc = doc.with_library(Arc::new(library));
        }
        Model {
            version: self.version,
            generation: self.generation,
            rope: self.rope.clone(),
            tree,
            doc,
            settings: self.settings.clone(),
            diagnostics: OnceLock::new(),
            serialised: OnceLock::new(),
            checks: self.checks.clone(),
            warm_claimed: Default::default(),
        }
    }

    /// Parses, models and checks the snapshot.
    pub fn analyse(&self) -> Analysis {
        let model = self.model();
        model.diagnostics();
        model.warm();
        let Model { generation, rope, tree, doc, diagnostics, .. } = model;
        Analysis { generation, rope, tree, doc, diagnostics: diagnostics.into_inner().unwrap_or_default() }
    }
}

impl Model {
    /// The findings of the rules (computed on the first call).
    ///
    /// While the document's rules cache is cold (its first diagnostics),
    /// they come from `checks::check`, which is several times cheaper than
    /// filling the cache; `warm` fills it afterwards, off the path to the
    /// first diagnostics.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics.get_or_init(|| {
            // As with the model's cache: taken out while in use, so that a
            // concurrent check of another version starts empty, not blocked.
            let mut cache = take(&self.checks);
            if cache.is_cold() {
                return checks::check(&self.doc, &self.settings.checks);
            }
            let diagnostics = checks::check_cached(&self.doc, &self.settings.checks, &mut cache);
            put_back(&self.checks, cache);
            diagnostics
        })
    }

    /// Whether the document's rules cache is still cold (`warm` fills it).
    pub fn needs_warm(&self) -> bool {
        lock(&self.checks).is_cold()
    }

    /// `needs_warm`, and no one claimed this model's warm-up before: the
    /// server calls it for every request that needs diagnostics, and warms
    /// once.
    pub fn claim_warm(&self) -> bool {
        self.needs_warm() && !self.warm_claimed.swap(true, std::sync::atomic::Ordering::Relaxed)
    }

    /// Fills the document's rules cache from this model, if no other run
    /// has, so that the next edit is checked incrementally. The server runs
    /// it in the background after a document's first diagnostics; `true` if
    /// it filled the cache.
    pub fn warm(&self) -> bool {
        let mut cache = take(&self.checks);
        if !cache.is_cold() {
            put_back(&self.checks, cache);
            return false;
        }
        checks::check_cached(&self.doc, &self.settings.checks, &mut cache);
        put_back(&self.checks, cache);
        true
    }

    /// The diagnostics serialised by `serialise` (on the first call).
    pub fn serialised(&self, serialise: impl FnOnce() -> Serialised) -> &Serialised {
        self.serialised.get_or_init(serialise)
    }

    /// `true` once the diagnostics are computed.
    pub fn has_diagnostics(&self) -> bool {
        self.diagnostics.get().is_some()
    }
}

/// Locks a cache (a panic while one was held leaves it usable: a cache's
/// content never affects results, only their cost).
fn lock<T>(cache: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Puts a rules cache back unless a warmer one took its place meanwhile.
fn put_back(slot: &Mutex<checks::Cache>, cache: checks::Cache) {
    let mut slot = lock(slot);
    if slot.is_cold() || !cache.is_cold() {
        *slot = cache;
    }
}

/// Takes a cache's content out, leaving it empty.
fn take<T: Default>(cache: &Mutex<T>) -> T {
    std::mem::take(&mut *lock(cache))
}

/// A tree-sitter point (row, byte column) for `offset`.
///
/// FIXME: rows follow the rope's line breaks, so a lone `\r` (which
/// tree-sitter does not count) shifts the rows after it; byte offsets, which
/// are all the model uses, are exact.
fn ts_point(rope: &Rope, offset: usize) -> Point {
    let row = rope.byte_to_line(offset);
    Point { row, column: offset - rope.line_to_byte(row) }
}

/// The point where `text` ends when inserted at `start`.
fn point_after(start: Point, text: &str) -> Point {
    let mut rows = 0;
    let mut last_break_end = None;
    let bytes = text.as_bytes();
    for (idx, &byte) in bytes.iter().enumerate() {
        let is_break = byte == b'\n' || (byte == b'\r' && bytes.get(idx + 1) != Some(&b'\n'));
        if is_break {
            rows += 1;
            last_break_end = Some(idx + 1);
        }
    }
    match last_break_end {
        Some(end) => Point { row: start.row + rows, column: text.len() - end },
        None => Point { row: start.row, column: start.column + text.len() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    fn edit(start: LineCol, end: LineCol, text: &str) -> Change {
        Change { range: Some((start, end)), text: text.to_owned() }
    }

    fn state(text: &str) -> DocumentState {
        let mut state = DocumentState::new(1, text, 1, Arc::new(Resolved::default()));
        let analysis = state.snapshot().analyse();
        state.adopt_tree(&analysis);
        state
    }

    /// The incremental tree must equal a parse from scratch.
    fn assert_tree_matches(state: &DocumentState) {
        let analysis = state.snapshot().analyse();
        let fresh = syntax::parse(&state.text());
        assert_eq!(analysis.tree.root_node().to_sexp(), fresh.root_node().to_sexp());
    }

    /// A document's first diagnostics come from the cold path and leave the
    /// rules cache cold; `warm` fills it, and the diagnostics after an edit
    /// (from the filled cache) equal a fresh check.
    #[test]
    fn first_diagnostics_are_cold_and_warm_fills_the_cache() {
        let text = "It said the council approved the harbour budget after a long debate.[1] It said the council approved the harbour budget after a long debate.[1] The vote was held on 2023-02-30.\n\n[1] A source, 2020.\n";
        let mut state = DocumentState::new(1, text, 1, Arc::new(Resolved::default()));
        let model = state.snapshot().model();
        let first = model.diagnostics().to_vec();
        assert_eq!(first, checks::check(&model.doc, &Resolved::default().checks));
        assert!(model.needs_warm(), "the first diagnostics must not fill the cache");
        // Every request that needs diagnostics asks; one warms.
        assert!(model.claim_warm());
        assert!(!model.claim_warm(), "a model's warm-up is claimed once");
        assert!(model.warm());
        assert!(!model.needs_warm());
        assert!(!model.warm(), "a warm cache is not filled again");
        state.adopt_model(&model);

        state.apply(2, &[edit(lc(0, 0), lc(0, 2), "It")], Encoding::Utf16, 2);
        state.apply(3, &[edit(lc(0, 0), lc(0, 0), "Yes. ")], Encoding::Utf16, 3);
        let model = state.snapshot().model();
        let after = model.diagnostics().to_vec();
        assert!(!model.needs_warm());
        assert_eq!(after, checks::check(&model.doc, &Resolved::default().checks));
        assert!(after.iter().any(|d| d.rule.code == "AAM101"), "{after:#?}");
    }

    #[test]
    fn edits_after_an_emoji_in_utf16_and_utf8() {
        let mut doc = state("A 😀 said.[1]\n[1] x\n");
        // Replace `said` (UTF-16 columns 5..9: the emoji is two units).
        doc.apply(2, &[edit(lc(0, 5), lc(0, 9), "wrote")], Encoding::Utf16, 2);
        assert_eq!(doc.text(), "A 😀 wrote.[1]\n[1] x\n");
        // The same place in UTF-8 columns (the emoji is four bytes).
        doc.apply(3, &[edit(lc(0, 7), lc(0, 12), "said")], Encoding::Utf8, 3);
        assert_eq!(doc.text(), "A 😀 said.[1]\n[1] x\n");
        assert_tree_matches(&doc);
    }

    #[test]
    fn edits_in_a_crlf_file_and_several_changes_in_order() {
        let mut doc = state("One.[1]\r\nTwo.[2]\r\n[1] a\r\n[2] b\r\n");
        doc.apply(
            2,
            &[
                edit(lc(1, 4), lc(1, 7), ""),
                edit(lc(0, 7), lc(0, 7), " Added.[2]"),
                edit(lc(9, 0), lc(9, 0), "[3] c"),
            ],
            Encoding::Utf16,
            2,
        );
        assert_eq!(doc.text(), "One.[1] Added.[2]\r\nTwo.\r\n[1] a\r\n[2] b\r\n[3] c");
        assert_tree_matches(&doc);
        // A column past the end of a line is clamped before its CRLF.
        doc.apply(3, &[edit(lc(1, 99), lc(1, 99), "!")], Encoding::Utf16, 3);
        assert_eq!(doc.text(), "One.[1] Added.[2]\r\nTwo.!\r\n[1] a\r\n[2] b\r\n[3] c");
        assert_tree_matches(&doc);
    }

    #[test]
    fn full_replacement_drops_the_tree() {
        let mut doc = state("Old.[1]\n");
        doc.apply(2, &[Change { range: None, text: "New.[2]\n[2] b\n".to_owned() }], Encoding::Utf16, 2);
        assert_eq!(doc.text(), "New.[2]\n[2] b\n");
        assert!(doc.tree.is_none());
        assert_tree_matches(&doc);
    }

    #[test]
    fn points_after_inserted_text() {
        let start = Point { row: 2, column: 4 };
        assert_eq!(point_after(start, "abc"), Point { row: 2, column: 7 });
        assert_eq!(point_after(start, "a\r\nbc"), Point { row: 3, column: 2 });
        assert_eq!(point_after(start, "a\n"), Point { row: 3, column: 0 });
    }
}
