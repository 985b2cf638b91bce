//! The `LanguageServer` implementation: document lifecycle, settings,
//! diagnostics (checked at once, latest version wins; pushed or pulled),
//! and the editor features,
//! one module per concern:
//!
//! - `lifecycle`: initialisation, opening, editing and closing documents,
//!   configuration and watched files;
//! - `analysis`: the model of a document's current version, shared by
//!   requests, and running a feature on it;
//! - `diagnostics`: one checker per document, and pushed and pulled
//!   diagnostics;
//! - `features`: hover, navigation, completion, code actions and the rest;
//! - `capabilities`: what the server announces.
//!
//! Ordering (STYLE.md §6): tower-lsp-server runs handlers concurrently, so
//! `did_open`, `did_change`, `did_close` and settings changes mutate state
//! under a plain mutex before their first `.await`; a change whose version is
//! not newer is dropped; features and diagnostics are computed on an
//! immutable snapshot; a publish happens under the same mutex, only while the
//! document is still at the generation the diagnostics were computed for.
//! A document's diagnostics are computed by one task at a time (its
//! checker, `State::checking`), which always takes the newest version.

mod analysis;
mod capabilities;
mod diagnostics;
mod features;
mod lifecycle;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

use crate::ide;
use crate::lsp::convert::ClientSupport;
use crate::lsp::documents::DocumentState;
use crate::lsp::position::Encoding;
use crate::lsp::settings::SettingsStore;

/// The command a code action runs to put the cursor after an inserted stub.
pub const REVEAL_POSITION: &str = "aam.revealPosition";
/// The custom request returning a document's text and syntax tree.
pub const DEBUG_DOCUMENT: &str = "aam/debugDocument";
/// Source action kind of "Renumber notes in reading order".
pub const RENUMBER_KIND: &str = "source.renumberNotes";
/// LSP `RequestFailed`.
const REQUEST_FAILED: i64 = -32803;

pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    shutdown_requested: Arc<AtomicBool>,
    /// A feature that panics on purpose (`AAM_LSP_TEST_PANIC`), so that the
    /// end-to-end tests can check the server survives a panic.
    panic_on: Option<String>,
    /// The writer's queue of whole frames: diagnostics are published through
    /// it directly, serialised once (the framework would first build a
    /// `serde_json::Value` of thousands of diagnostics, which costs more
    /// than checking the document).
    frames: mpsc::Sender<Vec<u8>>,
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    support: ClientSupport,
    settings: SettingsStore,
    docs: FxHashMap<lsp::Uri, DocumentState>,
    last_generation: u64,
    /// Messages found before `initialized`, shown then.
    pending_messages: Vec<String>,
    /// Documents already reported as too large to analyse.
    too_large_reported: FxHashSet<lsp::Uri>,
    /// The bibliography files the open documents cite from, parsed once.
    bibliographies: Arc<crate::config::bibliography::BibliographyCache>,
    /// Documents whose checker runs (`diagnostics`).
    checking: FxHashSet<lsp::Uri>,
}

impl State {
    fn next_generation(&mut self) -> u64 {
        self.last_generation += 1;
        self.last_generation
    }
}

/// What a request needs computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// The model alone (hover, completion, navigation …).
    Model,
    /// The model and the rules' diagnostics (code actions, diagnostics).
    Diagnostics,
}

/// What a feature needs besides the model.
struct Context {
    uri: lsp::Uri,
    version: i32,
    encoding: Encoding,
    support: ClientSupport,
    inlay_hints: ide::inlay_hints::InlayHintConfig,
    completion_limit: usize,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DebugDocumentParams {
    text_document: lsp::TextDocumentIdentifier,
}

impl Backend {
    /// `frames` is the stdout writer's queue of encoded frames.
    pub fn new(
        client: Client,
        shutdown_requested: Arc<AtomicBool>,
        frames: mpsc::Sender<Vec<u8>>,
    ) -> Backend {
        let panic_on = std::env::var("AAM_LSP_TEST_PANIC").ok().filter(|feature| !feature.is_empty());
        Backend {
            client,
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                shutdown_requested,
                panic_on,
                frames,
            }),
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> jsonrpc::Result<lsp::InitializeResult> {
        lifecycle::initialize(self, params).await
    }

    async fn initialized(&self, params: lsp::InitializedParams) {
        lifecycle::initialized(self, params).await
    }

    async fn shutdown(&self) -> jsonrpc::Result<()> {
        lifecycle::shutdown(self).await
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        lifecycle::did_open(self, params).await
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        lifecycle::did_change(self, params).await
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        lifecycle::did_close(self, params).await
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        lifecycle::did_change_configuration(self, params).await
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        lifecycle::did_change_watched_files(self, params).await
    }

    async fn hover(&self, params: lsp::HoverParams) -> jsonrpc::Result<Option<lsp::Hover>> {
        features::hover(self, params).await
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> jsonrpc::Result<Option<lsp::GotoDefinitionResponse>> {
        features::goto_definition(self, params).await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> jsonrpc::Result<Option<Vec<lsp::Location>>> {
        features::references(self, params).await
    }

    async fn document_highlight(
        &self,
        params: lsp::DocumentHighlightParams,
    ) -> jsonrpc::Result<Option<Vec<lsp::DocumentHighlight>>> {
        features::document_highlight(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> jsonrpc::Result<Option<lsp::PrepareRenameResponse>> {
        features::prepare_rename(self, params).await
    }

    async fn rename(&self, params: lsp::RenameParams) -> jsonrpc::Result<Option<lsp::WorkspaceEdit>> {
        features::rename(self, params).await
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> jsonrpc::Result<Option<lsp::CompletionResponse>> {
        features::completion(self, params).await
    }

    async fn completion_resolve(&self, item: lsp::CompletionItem) -> jsonrpc::Result<lsp::CompletionItem> {
        features::completion_resolve(self, item).await
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> jsonrpc::Result<Option<lsp::CodeActionResponse>> {
        features::code_action(self, params).await
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> jsonrpc::Result<Option<Value>> {
        features::execute_command(self, params).await
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> jsonrpc::Result<Option<lsp::DocumentSymbolResponse>> {
        features::document_symbol(self, params).await
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> jsonrpc::Result<Option<Vec<lsp::FoldingRange>>> {
        features::folding_range(self, params).await
    }

    async fn document_link(
        &self,
        params: lsp::DocumentLinkParams,
    ) -> jsonrpc::Result<Option<Vec<lsp::DocumentLink>>> {
        features::document_link(self, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: lsp::SemanticTokensParams,
    ) -> jsonrpc::Result<Option<lsp::SemanticTokensResult>> {
        features::semantic_tokens_full(self, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: lsp::SemanticTokensRangeParams,
    ) -> jsonrpc::Result<Option<lsp::SemanticTokensRangeResult>> {
        features::semantic_tokens_range(self, params).await
    }

    async fn inlay_hint(&self, params: lsp::InlayHintParams) -> jsonrpc::Result<Option<Vec<lsp::InlayHint>>> {
        features::inlay_hint(self, params).await
    }
}
