//! The model of a document's current version, computed once and shared by
//! every request, and features run on it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::ls_types as lsp;

use super::{Backend, Context, Needs, Shared};
use crate::lsp::documents::{Model, Snapshot};

impl Backend {
    /// Runs `feature` on the analysis of the current text of `uri`; `None`
    /// for a document that is not open (or too large). A panic becomes an
    /// internal-error response.
    pub(super) async fn with_analysis<T>(
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
}

impl Shared {
    pub(super) fn snapshot(&self, uri: &lsp::Uri) -> Option<(Snapshot, Context)> {
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
    pub(super) async fn analysis(
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
    pub(super) fn warm_later(&self, uri: &lsp::Uri, model: &Arc<Model>) {
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
}

/// Runs `compute`, turning a panic into an internal-error response.
pub(super) fn guarded<T>(feature: &'static str, compute: impl FnOnce() -> T) -> jsonrpc::Result<T> {
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

pub(super) fn internal_error(feature: &str, message: &str) -> jsonrpc::Error {
    jsonrpc::Error {
        code: ErrorCode::InternalError,
        message: format!("internal error in {feature}: {message}").into(),
        data: None,
    }
}

pub(super) fn not_open(uri: &lsp::Uri) -> jsonrpc::Error {
    jsonrpc::Error::invalid_params(format!("{} is not open", uri.as_str()))
}
