//! Diagnostics: checked as soon as a document changes, latest version wins,
//! then published (push) or kept for `textDocument/diagnostic` (pull).
//!
//! One checker runs per document at a time (`State::checking`). It checks
//! the newest version; when a newer one arrives meanwhile, it stops at the
//! next stage (model, rules, serialisation), drops what it had, and checks
//! the newest. So a burst of typing queues no work, a stale version's
//! diagnostics are never published, and the last version's arrive as soon
//! as they are computed. `debounce-ms` (default 0) makes it wait until the
//! text has been unchanged that long first.
//!
//! Both modes serialise a model's diagnostics once (`Model::serialised`,
//! from the findings through `convert::WireDiagnostic`) and splice that
//! JSON into the notification or the response. A pulled report's result id
//! is a hash of it: a pull whose `previousResultId` is current is answered
//! `unchanged`. Pull requests do not go through the framework's router,
//! which would build a `serde_json::Value` of every diagnostic:
//! `framing::pump_input` renames them to the notification `PULL`, in
//! order with the other messages, and the answer is written here.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types as lsp;

use super::analysis::{guarded, not_open};
use super::{Backend, Context, Needs, Shared};
use crate::lsp::convert;
use crate::lsp::convert::LineMap;
use crate::lsp::documents::{Model, Serialised};
use crate::lsp::framing;
use crate::lsp::position::{Encoding, PositionTable};

/// How often a pull is answered again for a newer version that arrived
/// while it was computed, before the last computed answer is sent anyway.
const PULL_RETRIES: usize = 3;

/// The parameters of `framing::PULL`: a `textDocument/diagnostic`
/// request's id and parameters.
#[derive(Debug, Deserialize)]
pub struct PullParams {
    id: Value,
    #[serde(default)]
    params: Value,
}

impl Backend {
    /// Checks `uri` now (after the debounce if `edited`), unless its
    /// checker is running: that one picks up the newest version itself.
    pub(super) fn schedule_diagnostics(&self, uri: lsp::Uri, edited: bool) {
        let start = {
            let mut state = self.shared.lock();
            state.docs.contains_key(&uri) && state.checking.insert(uri.clone())
        };
        if start {
            let shared = self.shared.clone();
            let client = self.client.clone();
            tokio::spawn(async move { shared.check_latest(client, uri, edited).await });
        }
    }

    /// `framing::PULL`: answers the `textDocument/diagnostic` request it
    /// carries, off the framework's router.
    pub async fn pull_diagnostic(&self, params: PullParams) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let frame = shared.answer_pull(&params.id, params.params).await;
            let _ = shared.frames.send(frame).await;
        });
    }
}

/// Marks a document's checker as stopped if it ends by a panic.
struct Checking<'a> {
    shared: &'a Shared,
    uri: &'a lsp::Uri,
    stopped: bool,
}

impl Drop for Checking<'_> {
    fn drop(&mut self) {
        if !self.stopped {
            self.shared.lock().checking.remove(self.uri);
        }
    }
}

impl Shared {
    /// The generation `uri` is at, if it is open.
    fn generation(&self, uri: &lsp::Uri) -> Option<u64> {
        self.lock().docs.get(uri).map(|doc| doc.generation)
    }

    fn is_current(&self, uri: &lsp::Uri, generation: u64) -> bool {
        self.generation(uri) == Some(generation)
    }

    /// `is_current`, saying in the log when a check of `version` is dropped.
    fn still_current(&self, uri: &lsp::Uri, generation: u64, version: i32) -> bool {
        let current = self.is_current(uri, generation);
        if !current {
            tracing::debug!("dropped the diagnostics of {} version {version}: edited", uri.as_str());
        }
        current
    }

    /// The checker of `uri`: checks its newest version until no newer one
    /// arrived meanwhile.
    async fn check_latest(self: Arc<Self>, client: Client, uri: lsp::Uri, mut edited: bool) {
        let mut checking = Checking { shared: &self, uri: &uri, stopped: false };
        loop {
            let debounce = self.lock().settings.server.debounce;
            if edited && !debounce.is_zero() {
                self.settle(&uri, debounce).await;
            }
            edited = true;
            let Some(generation) = self.generation(&uri) else { break };
            self.check(&client, &uri, generation).await;
            // Stopped under the lock: a change after this sees no checker
            // and starts one.
            let mut state = self.lock();
            if state.docs.get(&uri).is_none_or(|doc| doc.generation == generation) {
                state.checking.remove(&uri);
                checking.stopped = true;
                return;
            }
        }
        self.lock().checking.remove(&uri);
        checking.stopped = true;
    }

    /// Waits until `uri` has not changed for `delay`.
    async fn settle(&self, uri: &lsp::Uri, delay: Duration) {
        loop {
            let before = self.generation(uri);
            tokio::time::sleep(delay).await;
            if self.generation(uri) == before {
                return;
            }
        }
    }

    /// Computes the diagnostics of `uri` at `generation` and, in push
    /// mode, publishes them; stops as soon as the document has moved on.
    async fn check(self: &Arc<Self>, client: &Client, uri: &lsp::Uri, generation: u64) {
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
        let model = match self.analysis(uri, snapshot.clone(), Needs::Model).await {
            Ok(model) => model,
            Err(err) => {
                tracing::error!("no diagnostics for {}: {}", uri.as_str(), err.message);
                return;
            }
        };
        if !self.still_current(uri, generation, context.version) {
            return;
        }
        let items = match model {
            Some(_) => {
                let model = match self.analysis(uri, snapshot, Needs::Diagnostics).await {
                    Ok(Some(model)) => model,
                    Ok(None) => return,
                    Err(err) => {
                        tracing::error!("no diagnostics for {}: {}", uri.as_str(), err.message);
                        return;
                    }
                };
                if !self.still_current(uri, generation, context.version) {
                    return;
                }
                if serialised(&model, &context).is_err() {
                    return;
                }
                Some(model)
            }
            None => None,
        };
        let push = !self.lock().support.pull_diagnostics;
        if push {
            let frame = match &items {
                Some(model) => match serialised(model, &context) {
                    Ok(serialised) => publish_frame(uri, &serialised.items, model.version),
                    Err(_) => return,
                },
                None => publish_frame(uri, b"[]", context.version),
            };
            self.send_if_current(uri, generation, frame).await;
        }
        // Only now, so that it does not take the cores from the conversion
        // above (at open, the first diagnostics of a 1 MB article).
        if let Some(model) = &items {
            self.warm_later(uri, model);
        }
    }

    /// Queues `frame` if `uri` is still at `generation`. Under the lock: a
    /// change cannot land between the check and the send. The queue has
    /// room but for a client that stopped reading; then the send waits
    /// outside the lock (and the document's checker with it, so that no
    /// newer version's frame can overtake this one).
    async fn send_if_current(&self, uri: &lsp::Uri, generation: u64, frame: Vec<u8>) {
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
    }

    /// The response to a `textDocument/diagnostic` request `id` (a whole
    /// frame): the diagnostics of the document's newest version.
    async fn answer_pull(self: &Arc<Self>, id: &Value, params: Value) -> Vec<u8> {
        let params: lsp::DocumentDiagnosticParams = match serde_json::from_value(params) {
            Ok(params) => params,
            Err(err) => return error_frame(id, &jsonrpc::Error::invalid_params(err.to_string())),
        };
        let uri = params.text_document.uri;
        let previous = params.previous_result_id;
        for attempt in 0.. {
            let Some((snapshot, context)) = self.snapshot(&uri) else {
                return error_frame(id, &not_open(&uri));
            };
            let generation = snapshot.generation;
            let model = match self.analysis(&uri, snapshot, Needs::Diagnostics).await {
                Ok(model) => model,
                Err(err) => return error_frame(id, &err),
            };
            let Some(model) = model else {
                return pull_frame(id, &Serialised::new(b"[]".to_vec()), previous.as_deref());
            };
            let answer = match serialised(&model, &context) {
                Ok(serialised) => pull_frame(id, serialised, previous.as_deref()),
                Err(err) => return error_frame(id, &err),
            };
            self.warm_later(&uri, &model);
            if attempt >= PULL_RETRIES || self.is_current(&uri, generation) {
                return answer;
            }
            tracing::debug!("pull for {}: version {} is stale, answering again", uri.as_str(), model.version);
        }
        unreachable!("the loop returns")
    }
}

/// The diagnostics of `model` serialised (once per model).
fn serialised<'a>(model: &'a Model, context: &Context) -> jsonrpc::Result<&'a Serialised> {
    let started = std::time::Instant::now();
    let mut fresh = false;
    let result = guarded("diagnostics", || {
        model.serialised(|| {
            fresh = true;
            Serialised::new(items_json(model, context))
        })
    });
    if fresh {
        tracing::debug!(
            "converted {} (version {}, {} diagnostics) in {:?}",
            context.uri.as_str(),
            model.version,
            model.diagnostics().len(),
            started.elapsed()
        );
    }
    result
}

/// The JSON array of the diagnostics of `analysis`, serialised from the
/// findings without building `lsp::Diagnostic`s (`WireDiagnostic`).
fn items_json(analysis: &Model, context: &Context) -> Vec<u8> {
    let findings = analysis.diagnostics();
    let table = position_table(analysis, context.encoding);
    let map = LineMap::with_table(&analysis.rope, context.encoding, &table);
    let diagnostics: Vec<_> = findings
        .iter()
        .map(|finding| convert::wire_diagnostic(&map, &context.uri, finding, &context.support))
        .collect();
    serde_json::to_vec(&diagnostics).unwrap_or_else(|_| b"[]".to_vec())
}

/// A whole frame (`Content-Length` header and body) of the pieces of a body.
fn frame_of(pieces: &[&[u8]]) -> Vec<u8> {
    let length: usize = pieces.iter().map(|piece| piece.len()).sum();
    let mut frame = format!("Content-Length: {length}\r\n\r\n").into_bytes();
    frame.reserve(length);
    for piece in pieces {
        frame.extend_from_slice(piece);
    }
    frame
}

fn json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec())
}

/// The `publishDiagnostics` frame of `items` (a JSON array).
fn publish_frame(uri: &lsp::Uri, items: &[u8], version: i32) -> Vec<u8> {
    frame_of(&[
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
        &json(uri),
        br#","diagnostics":"#,
        items,
        br#","version":"#,
        version.to_string().as_bytes(),
        b"}}",
    ])
}

/// The frame of the response `id` to a pull: a full report, or
/// `unchanged` when `previous` is the current result id.
fn pull_frame(id: &Value, serialised: &Serialised, previous: Option<&str>) -> Vec<u8> {
    let id = json(id);
    let result_id = json(&serialised.result_id);
    if previous == Some(serialised.result_id.as_str()) {
        return frame_of(&[
            br#"{"jsonrpc":"2.0","id":"#,
            &id,
            br#","result":{"kind":"unchanged","resultId":"#,
            &result_id,
            b"}}",
        ]);
    }
    frame_of(&[
        br#"{"jsonrpc":"2.0","id":"#,
        &id,
        br#","result":{"kind":"full","resultId":"#,
        &result_id,
        br#","items":"#,
        &serialised.items,
        b"}}",
    ])
}

/// The frame of an error response `id`.
fn error_frame(id: &Value, error: &jsonrpc::Error) -> Vec<u8> {
    framing::encode(&json(&serde_json::json!({"jsonrpc": "2.0", "id": id, "error": error})))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn body(frame: &[u8]) -> Value {
        let start = frame.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let header = std::str::from_utf8(&frame[..start]).unwrap();
        assert_eq!(header, format!("Content-Length: {}\r\n\r\n", frame.len() - start));
        serde_json::from_slice(&frame[start..]).unwrap()
    }

    #[test]
    fn spliced_bodies_are_the_messages_they_stand_for() {
        let uri: lsp::Uri = "file:///a%20b/c.aam".parse().unwrap();
        let items = br#"[{"code":"AAM001"}]"#;
        assert_eq!(
            body(&publish_frame(&uri, items, 7)),
            serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": "file:///a%20b/c.aam", "diagnostics": [{"code": "AAM001"}], "version": 7}})
        );
        let serialised = Serialised::new(items.to_vec());
        let full = body(&pull_frame(&serde_json::json!(3), &serialised, None));
        assert_eq!(
            full,
            serde_json::json!({"jsonrpc": "2.0", "id": 3, "result": {"kind": "full", "resultId": serialised.result_id, "items": [{"code": "AAM001"}]}})
        );
        let unchanged = body(&pull_frame(&serde_json::json!("x"), &serialised, Some(&serialised.result_id)));
        assert_eq!(
            unchanged,
            serde_json::json!({"jsonrpc": "2.0", "id": "x", "result": {"kind": "unchanged", "resultId": serialised.result_id}})
        );
        assert_ne!(Serialised::new(b"[]".to_vec()).result_id, serialised.result_id);
        let error = body(&error_frame(&serde_json::json!(4), &jsonrpc::Error::invalid_params("no")));
        assert_eq!(error["error"]["code"], -32602);
        assert_eq!(error["id"], 4);
    }
}
