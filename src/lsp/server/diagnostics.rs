//! Diagnostics: published after a change (push) or answered when asked
//! (`textDocument/diagnostic`, pull).

use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types as lsp;

use super::analysis::{guarded, not_open};
use super::{Backend, Context, Needs, Shared};
use crate::lsp::convert;
use crate::lsp::convert::LineMap;
use crate::lsp::documents::Model;
use crate::lsp::framing;
use crate::lsp::position::{Encoding, PositionTable};

impl Backend {
    /// Publishes diagnostics for `uri` once `generation` has been current
    /// for the debounce delay (push mode only).
    pub(super) fn schedule_diagnostics(&self, uri: lsp::Uri, generation: u64) {
        let debounce = self.shared.lock().settings.server.debounce;
        self.publish_after(uri, generation, debounce);
    }

    /// Publishes diagnostics for `uri` after `delay` if `generation` is
    /// still current then (push mode only).
    pub(super) fn publish_after(&self, uri: lsp::Uri, generation: u64, delay: std::time::Duration) {
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
}

impl Shared {
    /// Computes and publishes the diagnostics of `uri` if it is still at
    /// `generation`.
    pub(super) async fn publish(self: &Arc<Self>, client: &Client, uri: &lsp::Uri, generation: u64) {
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
pub(super) fn notification_body(method: &str, params: &impl serde::Serialize) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    serde_json::to_vec(&Notification { jsonrpc: "2.0", method, params }).unwrap_or_default()
}

pub(super) async fn diagnostic(
    backend: &Backend,
    params: lsp::DocumentDiagnosticParams,
) -> jsonrpc::Result<lsp::DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let previous = params.previous_result_id;
    if backend.shared.snapshot(&uri).is_none() {
        return Err(not_open(&uri));
    }
    let items =
        backend.with_analysis(&uri, "diagnostic", Needs::Diagnostics, diagnostics).await?.unwrap_or_default();
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

pub(super) const PUBLISH_DIAGNOSTICS: &str = "textDocument/publishDiagnostics";

/// The `publishDiagnostics` notification of `analysis`, serialised from
/// the findings without building `lsp::Diagnostic`s (`WireDiagnostic`).
pub(super) fn publish_body(analysis: &Model, context: &Context) -> Vec<u8> {
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
pub(super) fn position_table(analysis: &Model, encoding: Encoding) -> PositionTable {
    let offsets = analysis.diagnostics().iter().flat_map(|finding| {
        std::iter::once(finding.range)
            .chain(finding.related.iter().map(|related| related.range))
            .flat_map(|range| [range.start(), range.end()])
    });
    PositionTable::new(analysis.doc.text(), offsets, encoding)
}

pub(super) fn diagnostics(analysis: &Model, context: &Context) -> Vec<lsp::Diagnostic> {
    let table = position_table(analysis, context.encoding);
    let map = LineMap::with_table(&analysis.rope, context.encoding, &table);
    analysis
        .diagnostics()
        .iter()
        .map(|finding| convert::diagnostic(&map, &context.uri, finding, &context.support))
        .collect()
}

/// A stable id of a diagnostics report, for `previousResultId`.
pub(super) fn result_id(items: &[lsp::Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    serde_json::to_string(items).unwrap_or_default().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
