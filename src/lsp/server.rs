//! The `LanguageServer` implementation: document lifecycle, settings,
//! diagnostics (pushed after a debounce, or pulled), and the editor features.
//!
//! Ordering (STYLE.md §6): tower-lsp-server runs handlers concurrently, so
//! `did_open`, `did_change`, `did_close` and settings changes mutate state
//! under a plain mutex before their first `.await`; a change whose version is
//! not newer is dropped; features and diagnostics are computed on an
//! immutable snapshot; a publish happens under the same mutex, only while the
//! document is still at the generation the diagnostics were computed for.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

use crate::ide;
use crate::lsp::convert::{self, ClientSupport, LineMap};
use crate::lsp::documents::{Change, DocumentState, Model, Snapshot};
use crate::lsp::framing;
use crate::lsp::position::{Encoding, PositionTable};
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

    /// `aam/debugDocument`: the server's text of a document, its version and
    /// its syntax tree as an S-expression (for tests and bug reports).
    pub async fn debug_document(&self, params: DebugDocumentParams) -> jsonrpc::Result<Value> {
        let uri = params.text_document.uri;
        let Some((snapshot, _)) = self.shared.snapshot(&uri) else {
            return Err(not_open(&uri));
        };
        let Some(analysis) = self.shared.analysis(&uri, snapshot, Needs::Model).await? else {
            return Err(jsonrpc::Error::invalid_params("the document is too large to analyse"));
        };
        Ok(json!({
            "version": analysis.version,
            "text": String::from(&analysis.rope),
            "tree": analysis.tree.root_node().to_sexp(),
        }))
    }

    /// Runs `feature` on the analysis of the current text of `uri`; `None`
    /// for a document that is not open (or too large). A panic becomes an
    /// internal-error response.
    async fn with_analysis<T>(
        &self,
        uri: &lsp::Uri,
        feature: &'static str,
        needs: Needs,
        compute: impl FnOnce(&Model, &Context) -> T,
    ) -> jsonrpc::Result<Option<T>> {
        let Some((snapshot, context)) = self.shared.snapshot(uri) else {
            tracing::debug!("{feature}: {} is not open", uri.as_str());
            return Ok(None);
        };
        let Some(analysis) = self.shared.analysis(uri, snapshot, needs).await? else {
            return Ok(None);
        };
        let panic_on = self.shared.panic_on.as_deref();
        let computed = guarded(feature, || {
            if panic_on == Some(feature) {
                panic!("AAM_LSP_TEST_PANIC: {feature}");
            }
            compute(&analysis, &context)
        });
        if needs == Needs::Diagnostics {
            self.shared.warm_later(uri, &analysis);
        }
        computed.map(Some)
    }

    /// Publishes diagnostics for `uri` once `generation` has been current
    /// for the debounce delay (push mode only).
    fn schedule_diagnostics(&self, uri: lsp::Uri, generation: u64) {
        let debounce = self.shared.lock().settings.server.debounce;
        self.publish_after(uri, generation, debounce);
    }

    /// Publishes diagnostics for `uri` after `delay` if `generation` is
    /// still current then (push mode only).
    fn publish_after(&self, uri: lsp::Uri, generation: u64, delay: std::time::Duration) {
        if self.shared.lock().support.pull_diagnostics {
            return;
        }
        let client = self.client.clone();
        let shared = self.shared.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            shared.publish(&client, &uri, generation).await;
        });
    }

    /// Re-resolves every open document's settings (a source changed) and
    /// refreshes what depends on them.
    async fn reconfigure(&self) {
        let (changed, errors, support) = {
            let mut state = self.shared.lock();
            let State { settings, docs, last_generation, .. } = &mut *state;
            let mut changed = Vec::new();
            let mut errors: Vec<String> = Vec::new();
            for (uri, doc) in docs.iter_mut() {
                let path = uri.to_file_path();
                let config = SettingsStore::config_file_for(path.as_deref());
                let (resolved, error) = settings.resolve(config.as_deref());
                errors.extend(error.filter(|error| !errors.contains(error)));
                if *resolved != *doc.settings || config != doc.config_path {
                    doc.settings = resolved;
                    doc.config_path = config;
                    *last_generation += 1;
                    doc.invalidate(*last_generation);
                    changed.push((uri.clone(), *last_generation));
                }
            }
            (changed, errors, state.support)
        };
        for (uri, generation) in changed {
            self.schedule_diagnostics(uri, generation);
        }
        for error in errors {
            self.client.show_message(lsp::MessageType::ERROR, format!("aam: {error}")).await;
        }
        if support.pull_diagnostics && support.diagnostic_refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
        if support.inlay_hint_refresh {
            let _ = self.client.inlay_hint_refresh().await;
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn snapshot(&self, uri: &lsp::Uri) -> Option<(Snapshot, Context)> {
        let state = self.lock();
        let doc = state.docs.get(uri)?;
        let context = Context {
            uri: uri.clone(),
            version: doc.version,
            encoding: state.encoding,
            support: state.support,
            inlay_hints: state.settings.server.inlay_hints,
            completion_limit: state.settings.server.completion_limit,
        };
        Some((doc.snapshot(), context))
    }

    /// The model of `snapshot`, computed once per generation (off the async
    /// runtime) and shared by every request that needs it; with
    /// `Needs::Diagnostics`, its diagnostics computed too. `None` for a
    /// document above the size limit.
    async fn analysis(
        self: &Arc<Self>,
        uri: &lsp::Uri,
        snapshot: Snapshot,
        needs: Needs,
    ) -> jsonrpc::Result<Option<Arc<Model>>> {
        let limit = self.lock().settings.server.max_file_bytes;
        if snapshot.rope.len_bytes() > limit {
            return Ok(None);
        }
        let cell = snapshot.model.clone();
        let shared = self.clone();
        let model_uri = uri.clone();
        let model = cell
            .get_or_try_init(|| async move {
                let started = std::time::Instant::now();
                let uri = model_uri;
                let model = tokio::task::spawn_blocking(move || snapshot.model()).await.map_err(|err| {
                    tracing::error!("modelling {} failed: {err}", uri.as_str());
                    internal_error("model", &err.to_string())
                })?;
                tracing::debug!(
                    "modelled {} (version {}, {} bytes) in {:?}",
                    uri.as_str(),
                    model.version,
                    model.rope.len_bytes(),
                    started.elapsed()
                );
                let model = Arc::new(model);
                if let Some(doc) = shared.lock().docs.get_mut(&uri) {
                    doc.adopt_model(&model);
                }
                Ok::<_, jsonrpc::Error>(model)
            })
            .await?
            .clone();
        if needs == Needs::Diagnostics && !model.has_diagnostics() {
            let started = std::time::Instant::now();
            let checked = model.clone();
            tokio::task::spawn_blocking(move || {
                checked.diagnostics();
            })
            .await
            .map_err(|err| {
                tracing::error!("checking {} failed: {err}", uri.as_str());
                internal_error("checks", &err.to_string())
            })?;
            tracing::debug!(
                "checked {} (version {}) in {:?}",
                uri.as_str(),
                model.version,
                started.elapsed()
            );
        }
        Ok(Some(model))
    }

    /// Fills the rules cache of `model` in the background, if its first
    /// diagnostics came from the cold path, for the next edit.
    fn warm_later(&self, uri: &lsp::Uri, model: &Arc<Model>) {
        if !model.claim_warm() {
            return;
        }
        let warmed = model.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            if warmed.warm() {
                tracing::debug!("warmed the rules cache of {} in {:?}", uri.as_str(), started.elapsed());
            }
        });
    }

    /// Computes and publishes the diagnostics of `uri` if it is still at
    /// `generation`.
    async fn publish(self: &Arc<Self>, client: &Client, uri: &lsp::Uri, generation: u64) {
        let Some((snapshot, context)) = self.snapshot(uri) else { return };
        if snapshot.generation != generation {
            return;
        }
        let too_large = {
            let mut state = self.lock();
            let limit = state.settings.server.max_file_bytes;
            (snapshot.rope.len_bytes() > limit && state.too_large_reported.insert(uri.clone())).then(|| {
                format!("aam: {} is larger than {} MB and is not analysed", uri.as_str(), limit >> 20)
            })
        };
        if let Some(message) = too_large {
            tracing::warn!("{message}");
            client.show_message(lsp::MessageType::WARNING, message).await;
        }
        let analysis = match self.analysis(uri, snapshot, Needs::Diagnostics).await {
            Ok(analysis) => analysis,
            Err(err) => {
                tracing::error!("no diagnostics for {}: {}", uri.as_str(), err.message);
                return;
            }
        };
        let body = match &analysis {
            Some(analysis) => {
                let started = std::time::Instant::now();
                let converted = guarded("diagnostics", || publish_body(analysis, &context));
                tracing::debug!(
                    "converted {} (version {}, {} diagnostics) in {:?}",
                    uri.as_str(),
                    analysis.version,
                    analysis.diagnostics().len(),
                    started.elapsed()
                );
                match converted {
                    Ok(body) => body,
                    Err(_) => return,
                }
            }
            None => notification_body(
                PUBLISH_DIAGNOSTICS,
                &convert::WirePublish { uri, diagnostics: Vec::new(), version: Some(context.version) },
            ),
        };
        let frame = framing::encode(&body);
        // Publish under the lock: a change cannot land between the check
        // and the send. The queue has room but for a client that stopped
        // reading; then the send waits outside the lock.
        let unsent = {
            let state = self.lock();
            if state.docs.get(uri).map(|doc| doc.generation) != Some(generation) {
                None
            } else {
                match self.frames.try_send(frame) {
                    Ok(()) | Err(mpsc::error::TrySendError::Closed(_)) => None,
                    Err(mpsc::error::TrySendError::Full(frame)) => Some(frame),
                }
            }
        };
        if let Some(frame) = unsent {
            let _ = self.frames.send(frame).await;
        }
        // Only now, so that it does not take the cores from the conversion
        // above (at open, the first diagnostics of a 1 MB article).
        if let Some(analysis) = &analysis {
            self.warm_later(uri, analysis);
        }
    }
}

/// The JSON of a notification, serialised straight from `params`.
fn notification_body(method: &str, params: &impl serde::Serialize) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    serde_json::to_vec(&Notification { jsonrpc: "2.0", method, params }).unwrap_or_default()
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: lsp::InitializeParams) -> jsonrpc::Result<lsp::InitializeResult> {
        let support = ClientSupport::from_capabilities(&params.capabilities);
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        {
            let mut state = self.shared.lock();
            state.support = support;
            state.encoding = encoding;
            if let Some(options) = params.initialization_options
                && let Err(message) = state.settings.set_editor(options)
            {
                tracing::error!("{message}");
                state.pending_messages.push(message);
            }
        }
        tracing::info!(
            "initialize: position encoding {encoding:?}, pull diagnostics {}",
            support.pull_diagnostics
        );
        Ok(lsp::InitializeResult {
            capabilities: capabilities(encoding, &support),
            server_info: Some(server_info()),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        let (messages, support) = {
            let mut state = self.shared.lock();
            (std::mem::take(&mut state.pending_messages), state.support)
        };
        for message in messages {
            self.client.show_message(lsp::MessageType::ERROR, format!("aam: {message}")).await;
        }
        if support.watch_files_dynamically {
            let options = lsp::DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String(format!("**/{}", crate::config::FILE_NAME)),
                    kind: None,
                }],
            };
            let registration = lsp::Registration {
                id: "aam-config-watcher".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(err) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("could not register the aam.toml watcher: {}", err.message);
            }
        }
    }

    async fn shutdown(&self) -> jsonrpc::Result<()> {
        self.shared.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let document = params.text_document;
        let (generation, error) = {
            let mut state = self.shared.lock();
            let generation = state.next_generation();
            let path = document.uri.to_file_path();
            let config = SettingsStore::config_file_for(path.as_deref());
            let (resolved, error) = state.settings.resolve(config.as_deref());
            let mut doc = DocumentState::new(document.version, &document.text, generation, resolved);
            doc.config_path = config;
            state.too_large_reported.remove(&document.uri);
            state.docs.insert(document.uri.clone(), doc);
            (generation, error)
        };
        // Nothing to wait for: a document's first diagnostics are published
        // as soon as they are ready (edits are debounced).
        self.publish_after(document.uri, generation, std::time::Duration::ZERO);
        if let Some(error) = error {
            self.client.show_message(lsp::MessageType::ERROR, format!("aam: {error}")).await;
        }
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let generation = {
            let mut state = self.shared.lock();
            let generation = state.next_generation();
            let encoding = state.encoding;
            let Some(doc) = state.docs.get_mut(&uri) else {
                tracing::warn!("didChange for {}, which is not open: ignored", uri.as_str());
                return;
            };
            if version <= doc.version {
                tracing::warn!(
                    "didChange for {} version {version} after version {}: ignored",
                    uri.as_str(),
                    doc.version
                );
                return;
            }
            let changes: Vec<Change> = params
                .content_changes
                .into_iter()
                .map(|change| Change {
                    range: change
                        .range
                        .map(|range| (convert::line_col(range.start), convert::line_col(range.end))),
                    text: change.text,
                })
                .collect();
            doc.apply(version, &changes, encoding, generation);
            generation
        };
        self.schedule_diagnostics(uri, generation);
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let push = {
            let mut state = self.shared.lock();
            state.too_large_reported.remove(&uri);
            state.docs.remove(&uri).is_some() && !state.support.pull_diagnostics
        };
        if push {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let mut settings = params.settings;
        let empty = settings.is_null() || settings.as_object().is_some_and(|object| object.is_empty());
        let can_ask = self.shared.lock().support.configuration;
        if empty && can_ask {
            let item = lsp::ConfigurationItem { scope_uri: None, section: Some("aam".to_owned()) };
            match self.client.configuration(vec![item]).await {
                Ok(mut values) if !values.is_empty() => settings = values.swap_remove(0),
                Ok(_) => {}
                Err(err) => tracing::warn!("workspace/configuration failed: {}", err.message),
            }
        }
        let result = self.shared.lock().settings.set_editor(settings);
        match result {
            Ok(()) => self.reconfigure().await,
            Err(message) => {
                tracing::error!("{message}");
                self.client.show_message(lsp::MessageType::ERROR, format!("aam: {message}")).await;
            }
        }
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let touches_config = params
            .changes
            .iter()
            .any(|change| change.uri.path().as_str().ends_with(crate::config::FILE_NAME));
        if touches_config {
            self.shared.lock().settings.invalidate();
            self.reconfigure().await;
        }
    }

    async fn hover(&self, params: lsp::HoverParams) -> jsonrpc::Result<Option<lsp::Hover>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let hover = self
            .with_analysis(&uri, "hover", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                ide::hover::hover(&analysis.doc, map.offset(position))
                    .map(|hover| convert::hover(&map, hover))
            })
            .await?;
        Ok(hover.flatten())
    }

    async fn goto_definition(
        &self,
        params: lsp::GotoDefinitionParams,
    ) -> jsonrpc::Result<Option<lsp::GotoDefinitionResponse>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let response = self
            .with_analysis(&uri, "definition", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let found = ide::navigation::definition(&analysis.doc, map.offset(position))?;
                Some(if context.support.definition_links {
                    let origin = map.range(found.origin);
                    lsp::GotoDefinitionResponse::Link(
                        found
                            .targets
                            .iter()
                            .map(|target| lsp::LocationLink {
                                origin_selection_range: Some(origin),
                                target_uri: context.uri.clone(),
                                target_range: map.range(target.full_range),
                                target_selection_range: map.range(target.focus_range),
                            })
                            .collect(),
                    )
                } else {
                    lsp::GotoDefinitionResponse::Array(
                        found
                            .targets
                            .iter()
                            .map(|target| {
                                lsp::Location::new(context.uri.clone(), map.range(target.focus_range))
                            })
                            .collect(),
                    )
                })
            })
            .await?;
        Ok(response.flatten())
    }

    async fn references(&self, params: lsp::ReferenceParams) -> jsonrpc::Result<Option<Vec<lsp::Location>>> {
        let position = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let include_declaration = params.context.include_declaration;
        let locations = self
            .with_analysis(&uri, "references", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let ranges =
                    ide::navigation::references(&analysis.doc, map.offset(position), include_declaration)?;
                Some(
                    ranges
                        .into_iter()
                        .map(|range| lsp::Location::new(context.uri.clone(), map.range(range)))
                        .collect(),
                )
            })
            .await?;
        Ok(locations.flatten())
    }

    async fn document_highlight(
        &self,
        params: lsp::DocumentHighlightParams,
    ) -> jsonrpc::Result<Option<Vec<lsp::DocumentHighlight>>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let highlights = self
            .with_analysis(&uri, "documentHighlight", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let found = ide::navigation::highlights(&analysis.doc, map.offset(position))?;
                Some(
                    found
                        .into_iter()
                        .map(|highlight| lsp::DocumentHighlight {
                            range: map.range(highlight.range),
                            kind: Some(match highlight.kind {
                                ide::navigation::HighlightKind::Read => lsp::DocumentHighlightKind::READ,
                                ide::navigation::HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
                            }),
                        })
                        .collect(),
                )
            })
            .await?;
        Ok(highlights.flatten())
    }

    async fn prepare_rename(
        &self,
        params: lsp::TextDocumentPositionParams,
    ) -> jsonrpc::Result<Option<lsp::PrepareRenameResponse>> {
        let position = params.position;
        let uri = params.text_document.uri;
        let response = self
            .with_analysis(&uri, "prepareRename", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let target = ide::rename::prepare_rename(&analysis.doc, map.offset(position))?;
                Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
                    range: map.range(target.range),
                    placeholder: target.label,
                })
            })
            .await?;
        Ok(response.flatten())
    }

    async fn rename(&self, params: lsp::RenameParams) -> jsonrpc::Result<Option<lsp::WorkspaceEdit>> {
        let position = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let new_name = params.new_name;
        let result = self
            .with_analysis(&uri, "rename", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                ide::rename::rename(&analysis.doc, map.offset(position), &new_name).map(|edits| {
                    convert::workspace_edit(&map, &context.uri, context.version, &edits, &context.support)
                })
            })
            .await?;
        match result {
            None => Ok(None),
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(jsonrpc::Error {
                code: ErrorCode::ServerError(REQUEST_FAILED),
                message: message.into(),
                data: None,
            }),
        }
    }

    async fn completion(
        &self,
        params: lsp::CompletionParams,
    ) -> jsonrpc::Result<Option<lsp::CompletionResponse>> {
        let position = params.text_document_position.position;
        let uri = params.text_document_position.text_document.uri;
        let response = self
            .with_analysis(&uri, "completion", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                // A long article has hundreds of notes: their citations are
                // sent when the client shows one, if it can ask.
                let docs = if context.support.resolve_documentation {
                    ide::completion::Docs::Lazy
                } else {
                    ide::completion::Docs::Eager
                };
                let config = ide::completion::CompletionConfig { docs, limit: context.completion_limit };
                ide::completion::completion_with(&analysis.doc, map.offset(position), config)
                    .map(|completion| convert::completion(&map, &uri, completion))
            })
            .await?;
        Ok(response.flatten())
    }

    async fn completion_resolve(
        &self,
        mut item: lsp::CompletionItem,
    ) -> jsonrpc::Result<lsp::CompletionItem> {
        let uri = item
            .data
            .as_ref()
            .and_then(|data| data["uri"].as_str())
            .and_then(|uri| uri.parse::<lsp::Uri>().ok());
        let Some(uri) = uri else { return Ok(item) };
        let label = item.label.clone();
        let documentation = self
            .with_analysis(&uri, "completionItem/resolve", Needs::Model, |analysis, _| {
                ide::completion::documentation(&analysis.doc, &label)
            })
            .await?
            .flatten();
        if let Some(value) = documentation {
            item.documentation = Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }));
        }
        Ok(item)
    }

    async fn code_action(
        &self,
        params: lsp::CodeActionParams,
    ) -> jsonrpc::Result<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri;
        let filter = action_filter(params.context.only.as_deref());
        let range = params.range;
        let response = self
            .with_analysis(&uri, "codeAction", Needs::Diagnostics, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let actions = ide::code_actions::code_actions(
                    &analysis.doc,
                    analysis.diagnostics(),
                    map.text_range(range),
                    filter,
                );
                actions
                    .into_iter()
                    .map(|action| code_action(analysis, context, &map, action))
                    .collect::<Vec<_>>()
            })
            .await?;
        Ok(response)
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> jsonrpc::Result<Option<Value>> {
        if params.command != REVEAL_POSITION {
            return Err(jsonrpc::Error::invalid_params(format!("unknown command `{}`", params.command)));
        }
        let parsed = match params.arguments.as_slice() {
            [uri, position] => serde_json::from_value::<lsp::Uri>(uri.clone())
                .ok()
                .zip(serde_json::from_value::<lsp::Position>(position.clone()).ok()),
            _ => None,
        };
        let Some((uri, position)) = parsed else {
            return Err(jsonrpc::Error::invalid_params(format!(
                "{REVEAL_POSITION} takes a URI and a position"
            )));
        };
        let show = lsp::ShowDocumentParams {
            uri,
            external: Some(false),
            take_focus: Some(true),
            selection: Some(lsp::Range::new(position, position)),
        };
        if let Err(err) = self.client.show_document(show).await {
            tracing::warn!("window/showDocument failed: {}", err.message);
        }
        Ok(None)
    }

    async fn document_symbol(
        &self,
        params: lsp::DocumentSymbolParams,
    ) -> jsonrpc::Result<Option<lsp::DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        self.with_analysis(&uri, "documentSymbol", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let symbols = ide::structure::document_symbols(&analysis.doc);
            convert::symbols(&map, &context.uri, symbols, context.support.hierarchical_symbols)
        })
        .await
    }

    async fn folding_range(
        &self,
        params: lsp::FoldingRangeParams,
    ) -> jsonrpc::Result<Option<Vec<lsp::FoldingRange>>> {
        let uri = params.text_document.uri;
        self.with_analysis(&uri, "foldingRange", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            convert::folding_ranges(&map, ide::structure::folding_ranges(&analysis.doc))
        })
        .await
    }

    async fn document_link(
        &self,
        params: lsp::DocumentLinkParams,
    ) -> jsonrpc::Result<Option<Vec<lsp::DocumentLink>>> {
        let uri = params.text_document.uri;
        self.with_analysis(&uri, "documentLink", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            convert::document_links(&map, ide::structure::document_links(&analysis.doc))
        })
        .await
    }

    async fn semantic_tokens_full(
        &self,
        params: lsp::SemanticTokensParams,
    ) -> jsonrpc::Result<Option<lsp::SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let tokens = self
            .with_analysis(&uri, "semanticTokens", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let tokens = ide::semantic_tokens::semantic_tokens(&analysis.doc, None);
                lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens {
                    result_id: None,
                    data: convert::semantic_tokens(&map, &tokens),
                })
            })
            .await?;
        Ok(tokens)
    }

    async fn semantic_tokens_range(
        &self,
        params: lsp::SemanticTokensRangeParams,
    ) -> jsonrpc::Result<Option<lsp::SemanticTokensRangeResult>> {
        let uri = params.text_document.uri;
        let range = params.range;
        let tokens = self
            .with_analysis(&uri, "semanticTokens", Needs::Model, |analysis, context| {
                let map = LineMap::new(&analysis.rope, context.encoding);
                let tokens =
                    ide::semantic_tokens::semantic_tokens(&analysis.doc, Some(map.text_range(range)));
                lsp::SemanticTokensRangeResult::Tokens(lsp::SemanticTokens {
                    result_id: None,
                    data: convert::semantic_tokens(&map, &tokens),
                })
            })
            .await?;
        Ok(tokens)
    }

    async fn inlay_hint(&self, params: lsp::InlayHintParams) -> jsonrpc::Result<Option<Vec<lsp::InlayHint>>> {
        let uri = params.text_document.uri;
        let range = params.range;
        self.with_analysis(&uri, "inlayHint", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let hints =
                ide::inlay_hints::inlay_hints(&analysis.doc, map.text_range(range), context.inlay_hints);
            convert::inlay_hints(&map, hints)
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: lsp::DocumentDiagnosticParams,
    ) -> jsonrpc::Result<lsp::DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let previous = params.previous_result_id;
        if self.shared.snapshot(&uri).is_none() {
            return Err(not_open(&uri));
        }
        let items = self
            .with_analysis(&uri, "diagnostic", Needs::Diagnostics, diagnostics)
            .await?
            .unwrap_or_default();
        let result_id = result_id(&items);
        let report = if previous.as_deref() == Some(result_id.as_str()) {
            lsp::DocumentDiagnosticReport::Unchanged(lsp::RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id },
            })
        } else {
            lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                    result_id: Some(result_id),
                    items,
                },
            })
        };
        Ok(lsp::DocumentDiagnosticReportResult::Report(report))
    }
}

fn capabilities(encoding: Encoding, support: &ClientSupport) -> lsp::ServerCapabilities {
    let code_action_kinds = vec![lsp::CodeActionKind::QUICKFIX, lsp::CodeActionKind::new(RENUMBER_KIND)];
    lsp::ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            ..Default::default()
        })),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["[".to_owned(), "^".to_owned()]),
            resolve_provider: Some(true),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_highlight_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(code_action_kinds),
            ..Default::default()
        })),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_link_provider: Some(lsp::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![REVEAL_POSITION.to_owned()],
            ..Default::default()
        }),
        semantic_tokens_provider: Some(lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
            lsp::SemanticTokensOptions {
                legend: lsp::SemanticTokensLegend {
                    token_types: convert::TOKEN_TYPES.to_vec(),
                    token_modifiers: convert::TOKEN_MODIFIERS.to_vec(),
                },
                full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                range: Some(true),
                ..Default::default()
            },
        )),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        diagnostic_provider: support.pull_diagnostics.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("aam".to_owned()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..Default::default()
            })
        }),
        ..Default::default()
    }
}

fn server_info() -> lsp::ServerInfo {
    lsp::ServerInfo { name: "aam".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) }
}

const PUBLISH_DIAGNOSTICS: &str = "textDocument/publishDiagnostics";

/// The `publishDiagnostics` notification of `analysis`, serialised from
/// the findings without building `lsp::Diagnostic`s (`WireDiagnostic`).
fn publish_body(analysis: &Model, context: &Context) -> Vec<u8> {
    let findings = analysis.diagnostics();
    let table = position_table(analysis, context.encoding);
    let map = LineMap::with_table(&analysis.rope, context.encoding, &table);
    let diagnostics = findings
        .iter()
        .map(|finding| convert::wire_diagnostic(&map, &context.uri, finding, &context.support))
        .collect();
    notification_body(
        PUBLISH_DIAGNOSTICS,
        &convert::WirePublish { uri: &context.uri, diagnostics, version: Some(analysis.version) },
    )
}

/// The positions of every finding's ranges, computed in one sweep.
fn position_table(analysis: &Model, encoding: Encoding) -> PositionTable {
    let offsets = analysis.diagnostics().iter().flat_map(|finding| {
        std::iter::once(finding.range)
            .chain(finding.related.iter().map(|related| related.range))
            .flat_map(|range| [range.start(), range.end()])
    });
    PositionTable::new(analysis.doc.text(), offsets, encoding)
}

fn diagnostics(analysis: &Model, context: &Context) -> Vec<lsp::Diagnostic> {
    let table = position_table(analysis, context.encoding);
    let map = LineMap::with_table(&analysis.rope, context.encoding, &table);
    analysis
        .diagnostics()
        .iter()
        .map(|finding| convert::diagnostic(&map, &context.uri, finding, &context.support))
        .collect()
}

fn code_action(
    analysis: &Model,
    context: &Context,
    map: &LineMap<'_>,
    action: ide::code_actions::Action,
) -> lsp::CodeActionOrCommand {
    use ide::code_actions::ActionKind;
    let kind = match action.kind {
        ActionKind::QuickFix | ActionKind::Suppress => lsp::CodeActionKind::QUICKFIX,
        ActionKind::RenumberNotes => lsp::CodeActionKind::new(RENUMBER_KIND),
    };
    let diagnostics = action.diagnostic.map(|idx| {
        vec![convert::diagnostic(map, &context.uri, &analysis.diagnostics()[idx], &context.support)]
    });
    let command = action.cursor.filter(|_| context.support.show_document).map(|cursor| {
        let position = convert::position_after_edits(&analysis.rope, &action.edits, cursor, context.encoding);
        lsp::Command {
            title: "Go to the new note".to_owned(),
            command: REVEAL_POSITION.to_owned(),
            arguments: Some(vec![json!(context.uri.as_str()), json!(position)]),
        }
    });
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: action.title,
        kind: Some(kind),
        diagnostics,
        edit: Some(convert::workspace_edit(
            map,
            &context.uri,
            context.version,
            &action.edits,
            &context.support,
        )),
        command,
        is_preferred: action.preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// Which action families a `context.only` list asks for.
fn action_filter(only: Option<&[lsp::CodeActionKind]>) -> ide::code_actions::ActionFilter {
    let Some(only) = only else { return ide::code_actions::ActionFilter::default() };
    let wants = |kind: &str| {
        only.iter().any(|requested| {
            let requested = requested.as_str();
            kind == requested || kind.starts_with(&format!("{requested}."))
        })
    };
    ide::code_actions::ActionFilter { quick_fixes: wants("quickfix"), source: wants(RENUMBER_KIND) }
}

/// A stable id of a diagnostics report, for `previousResultId`.
fn result_id(items: &[lsp::Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    serde_json::to_string(items).unwrap_or_default().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Runs `compute`, turning a panic into an internal-error response.
fn guarded<T>(feature: &'static str, compute: impl FnOnce() -> T) -> jsonrpc::Result<T> {
    catch_unwind(AssertUnwindSafe(compute)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        tracing::error!("{feature} panicked: {message}");
        internal_error(feature, &message)
    })
}

fn internal_error(feature: &str, message: &str) -> jsonrpc::Error {
    jsonrpc::Error {
        code: ErrorCode::InternalError,
        message: format!("internal error in {feature}: {message}").into(),
        data: None,
    }
}

fn not_open(uri: &lsp::Uri) -> jsonrpc::Error {
    jsonrpc::Error::invalid_params(format!("{} is not open", uri.as_str()))
}
