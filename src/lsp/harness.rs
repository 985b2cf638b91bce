//! Entry points for the fuzz targets (`fuzz/`) and the property tests
//! (`tests/prop_*.rs`): the server's document layer (incremental edits,
//! reparse and analysis) and its position conversions, without a client.
//! Not a stable API.

use std::sync::Arc;

use ropey::Rope;

use crate::checks::Diagnostic;
use crate::config::Resolved;
use crate::lsp::documents::{Change, DocumentState};
use crate::lsp::position::{self, Encoding, LineCol};
use crate::lsp::retire;
use crate::model::Document;

/// An open document as the server keeps it.
#[derive(Debug)]
pub struct OpenDocument {
    state: DocumentState,
    generation: u64,
}

/// What the server's analysis of an open document saw.
#[derive(Debug)]
pub struct Analysed {
    pub text: String,
    /// The syntax tree as an S-expression.
    pub tree: String,
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

impl OpenDocument {
    /// `didOpen` with `text`, default settings.
    pub fn open(text: &str) -> OpenDocument {
        OpenDocument { state: DocumentState::new(1, text, 1, Arc::new(Resolved::default())), generation: 1 }
    }

    /// One `didChange` carrying `changes` (`None` range: the whole text),
    /// columns in `encoding`.
    pub fn change(&mut self, changes: &[(Option<(LineCol, LineCol)>, String)], encoding: Encoding) {
        let changes: Vec<Change> =
            changes.iter().map(|(range, text)| Change { range: *range, text: text.clone() }).collect();
        self.generation += 1;
        let version = self.state.version + 1;
        self.state.apply(version, &changes, encoding, self.generation);
    }

    /// The current text.
    pub fn text(&self) -> String {
        self.state.rope.to_string()
    }

    /// Analyses the current text as a request would (reusing the edited
    /// tree), and keeps the new tree for the next incremental reparse.
    pub fn analyse(&mut self) -> Analysed {
        let analysis = self.state.snapshot().analyse();
        self.state.adopt_tree(&analysis);
        Analysed {
            text: String::from(&analysis.rope),
            tree: analysis.tree.root_node().to_sexp(),
            doc: analysis.doc,
            diagnostics: analysis.diagnostics,
        }
    }
}

/// How long one analysis took, by phase (for `benches/keystrokes.rs`).
#[derive(Debug, Clone, Copy)]
pub struct Phases {
    /// Reparse (incremental) and model.
    pub model: std::time::Duration,
    /// The rules.
    pub checks: std::time::Duration,
    /// Filling the rules cache after a document's first diagnostics (in
    /// the background in the server; zero once it is warm).
    pub warm: std::time::Duration,
    pub diagnostics: usize,
}

impl OpenDocument {
    /// Analyses the current text as the server does after a change, timing
    /// the model and the rules separately.
    pub fn analyse_timed(&mut self) -> Phases {
        let started = std::time::Instant::now();
        let model = self.state.snapshot().model();
        let modelled = started.elapsed();
        let diagnostics = model.diagnostics().len();
        let checks = started.elapsed() - modelled;
        // The server fills a cold rules cache in the background after
        // publishing; timed apart.
        let warmed = std::time::Instant::now();
        let warm = if model.warm() { warmed.elapsed() } else { std::time::Duration::ZERO };
        self.state.adopt_model(&model);
        // As the server does when the next edit replaces it.
        retire::later(model);
        Phases { model: modelled, checks, warm, diagnostics }
    }

    /// The byte length of the text.
    pub fn len(&self) -> usize {
        self.state.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The LSP position (UTF-16) of byte `offset`.
    pub fn position(&self, offset: usize) -> LineCol {
        position::to_line_col(&self.state.rope, offset, Encoding::Utf16)
    }
}

/// The LSP position of byte `offset` of `text` (clamped).
pub fn to_line_col(text: &str, offset: usize, encoding: Encoding) -> LineCol {
    position::to_line_col(&Rope::from_str(text), offset, encoding)
}

/// The byte offset of an LSP position in `text` (clamped).
pub fn to_offset(text: &str, position: LineCol, encoding: Encoding) -> usize {
    position::to_offset(&Rope::from_str(text), position, encoding)
}

/// Both conversions on one rope, for many positions in one text.
pub struct Positions {
    rope: Rope,
}

impl Positions {
    pub fn new(text: &str) -> Positions {
        Positions { rope: Rope::from_str(text) }
    }

    pub fn to_line_col(&self, offset: usize, encoding: Encoding) -> LineCol {
        position::to_line_col(&self.rope, offset, encoding)
    }

    pub fn to_offset(&self, position: LineCol, encoding: Encoding) -> usize {
        position::to_offset(&self.rope, position, encoding)
    }

    /// The length of `text` in columns of `encoding`.
    pub fn len_in(text: &str, encoding: Encoding) -> usize {
        position::len_in(text, encoding)
    }
}
