//! Initialisation, the documents' lifecycle (open, change, close) and
//! settings: the state changes, made synchronously before any `.await`.

use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types as lsp;

use super::capabilities::{capabilities, server_info};
use super::{Backend, State};
use crate::lsp::convert::{self, ClientSupport};
use crate::lsp::documents::{BibliographyPlace, Change, DocumentState};
use crate::lsp::position::Encoding;
use crate::lsp::settings::SettingsStore;
use std::path::Path;
use std::sync::Arc;

impl Backend {
    /// Re-resolves every open document's settings (a source changed) and
    /// refreshes what depends on them.
    pub(super) async fn reconfigure(&self) {
        self.reconfigure_with(false).await;
    }

    /// `reconfigure`; with `bibliographies_changed`, every document is
    /// analysed again (a bibliography file changed on disk).
    pub(super) async fn reconfigure_with(&self, bibliographies_changed: bool) {
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
                if *resolved != *doc.settings || config != doc.config_path || bibliographies_changed {
                    if let Some(place) = &doc.bibliography {
                        doc.bibliography = Some(Arc::new(BibliographyPlace {
                            cache: Arc::clone(&place.cache),
                            article_dir: place.article_dir.clone(),
                            config_dir: config.as_deref().and_then(Path::parent).map(Path::to_path_buf),
                        }));
                    }
                    doc.settings = resolved;
                    doc.config_path = config;
                    *last_generation += 1;
                    doc.invalidate(*last_generation);
                    changed.push(uri.clone());
                }
            }
            (changed, errors, state.support)
        };
        let refresh = !changed.is_empty();
        for uri in changed {
            self.schedule_diagnostics(uri, false);
        }
        for error in errors {
            self.client.show_message(lsp::MessageType::ERROR, format!("aam: {error}")).await;
        }
        // Only when a document's settings changed: a refresh makes the
        // client pull every open document again.
        if refresh && support.pull_diagnostics && support.diagnostic_refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
        if support.inlay_hint_refresh {
            let _ = self.client.inlay_hint_refresh().await;
        }
    }
}

pub(super) async fn initialize(
    backend: &Backend,
    params: lsp::InitializeParams,
) -> jsonrpc::Result<lsp::InitializeResult> {
    let support = ClientSupport::from_capabilities(&params.capabilities);
    let offers_utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
    let encoding = if offers_utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    {
        let mut state = backend.shared.lock();
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

pub(super) async fn initialized(backend: &Backend, _: lsp::InitializedParams) {
    let (messages, support) = {
        let mut state = backend.shared.lock();
        (std::mem::take(&mut state.pending_messages), state.support)
    };
    for message in messages {
        backend.client.show_message(lsp::MessageType::ERROR, format!("aam: {message}")).await;
    }
    if support.watch_files_dynamically {
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: [
                format!("**/{}", crate::config::FILE_NAME),
                "**/*.bib".to_owned(),
                "**/*.json".to_owned(),
            ]
            .into_iter()
            .map(|glob| lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(glob), kind: None })
            .collect(),
        };
        let registration = lsp::Registration {
            id: "aam-config-watcher".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(err) = backend.client.register_capability(vec![registration]).await {
            tracing::warn!("could not register the aam.toml watcher: {}", err.message);
        }
    }
}

pub(super) async fn shutdown(backend: &Backend) -> jsonrpc::Result<()> {
    backend.shared.shutdown_requested.store(true, Ordering::SeqCst);
    Ok(())
}

pub(super) async fn did_open(backend: &Backend, params: lsp::DidOpenTextDocumentParams) {
    let document = params.text_document;
    let error = {
        let mut state = backend.shared.lock();
        let generation = state.next_generation();
        let path = document.uri.to_file_path();
        let config = SettingsStore::config_file_for(path.as_deref());
        let (resolved, error) = state.settings.resolve(config.as_deref());
        let mut doc = DocumentState::new(document.version, &document.text, generation, resolved);
        doc.bibliography = path.as_deref().and_then(Path::parent).map(|dir| {
            Arc::new(BibliographyPlace {
                cache: Arc::clone(&state.bibliographies),
                article_dir: dir.to_path_buf(),
                config_dir: config.as_deref().and_then(Path::parent).map(Path::to_path_buf),
            })
        });
        doc.config_path = config;
        state.too_large_reported.remove(&document.uri);
        state.docs.insert(document.uri.clone(), doc);
        error
    };
    // A document's first diagnostics are not debounced.
    backend.schedule_diagnostics(document.uri, false);
    if let Some(error) = error {
        backend.client.show_message(lsp::MessageType::ERROR, format!("aam: {error}")).await;
    }
}

pub(super) async fn did_change(backend: &Backend, params: lsp::DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    {
        let mut state = backend.shared.lock();
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
    }
    backend.schedule_diagnostics(uri, true);
}

pub(super) async fn did_close(backend: &Backend, params: lsp::DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let push = {
        let mut state = backend.shared.lock();
        state.too_large_reported.remove(&uri);
        state.docs.remove(&uri).is_some() && !state.support.pull_diagnostics
    };
    if push {
        backend.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}

pub(super) async fn did_change_configuration(backend: &Backend, params: lsp::DidChangeConfigurationParams) {
    let mut settings = params.settings;
    let empty = settings.is_null() || settings.as_object().is_some_and(|object| object.is_empty());
    let can_ask = backend.shared.lock().support.configuration;
    if empty && can_ask {
        let item = lsp::ConfigurationItem { scope_uri: None, section: Some("aam".to_owned()) };
        match backend.client.configuration(vec![item]).await {
            Ok(mut values) if !values.is_empty() => settings = values.swap_remove(0),
            Ok(_) => {}
            Err(err) => tracing::warn!("workspace/configuration failed: {}", err.message),
        }
    }
    let result = backend.shared.lock().settings.set_editor(settings);
    match result {
        Ok(()) => backend.reconfigure().await,
        Err(message) => {
            tracing::error!("{message}");
            backend.client.show_message(lsp::MessageType::ERROR, format!("aam: {message}")).await;
        }
    }
}

pub(super) async fn did_change_watched_files(backend: &Backend, params: lsp::DidChangeWatchedFilesParams) {
    let touches_config =
        params.changes.iter().any(|change| change.uri.path().as_str().ends_with(crate::config::FILE_NAME));
    let bibliographies: Vec<std::path::PathBuf> = params
        .changes
        .iter()
        .filter(|change| {
            let path = change.uri.path().as_str().to_ascii_lowercase();
            path.ends_with(".bib") || path.ends_with(".json")
        })
        .filter_map(|change| change.uri.to_file_path().map(|path| path.into_owned()))
        .collect();
    if !bibliographies.is_empty() {
        let cache = Arc::clone(&backend.shared.lock().bibliographies);
        for path in &bibliographies {
            cache.forget(path);
        }
    }
    if touches_config {
        backend.shared.lock().settings.invalidate();
    }
    if touches_config || !bibliographies.is_empty() {
        backend.reconfigure_with(!bibliographies.is_empty()).await;
    }
}
