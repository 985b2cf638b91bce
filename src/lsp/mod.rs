//! The language server: the only place that speaks LSP.
//!
//! `run` serves `aam lsp` on stdio: a framing layer (`framing`) checks every
//! frame before tower-lsp-server sees it, `server` implements the protocol,
//! `documents` keeps the open texts, `settings` the configuration,
//! `position` and `convert` translate between byte offsets and LSP
//! positions. Features themselves live in `crate::ide`.

mod convert;
mod documents;
mod framing;
#[doc(hidden)]
pub mod harness;
mod position;
mod retire;
mod server;
mod settings;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::mpsc;
use tower_lsp_server::{LspService, Server};

pub use position::{Encoding, LineCol};

/// How long the server may take to finish its work once its input ended.
const GRACE: Duration = Duration::from_secs(2);

/// Options of `aam lsp`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Also write the log to this file.
    pub log_file: Option<PathBuf>,
}

/// How the server ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `shutdown` came before `exit` (or before the input ended).
    Clean,
    /// The client left without `shutdown`.
    WithoutShutdown,
}

/// Serves LSP on stdin/stdout until `exit` or the end of stdin. Logs go to
/// stderr (and `--log-file`), filtered by `RUST_LOG` (default `info`).
pub fn run(options: &Options) -> anyhow::Result<Exit> {
    init_logging(options)?;
    std::panic::set_hook(Box::new(|info| tracing::error!("{info}")));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    runtime.block_on(serve(shutdown_requested.clone()));
    // A read of stdin may still be blocked in a runtime thread: do not wait.
    runtime.shutdown_background();
    tracing::info!("server stopped");
    Ok(if shutdown_requested.load(Ordering::SeqCst) { Exit::Clean } else { Exit::WithoutShutdown })
}

async fn serve(shutdown_requested: Arc<AtomicBool>) {
    let (to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let (frames, frames_rx) = mpsc::channel::<Vec<u8>>(64);

    let writer =
        tokio::task::spawn_blocking(move || framing::write_frames(frames_rx, std::io::stdout().lock()));
    let forward = tokio::spawn(framing::pump_output(from_server, frames.clone()));
    let input = tokio::spawn(framing::pump_input(tokio::io::stdin(), to_server, frames.clone()));

    let (service, socket) =
        LspService::build(|client| server::Backend::new(client, shutdown_requested, frames))
            .custom_method(server::DEBUG_DOCUMENT, server::Backend::debug_document)
            .custom_method(framing::PULL, server::Backend::pull_diagnostic)
            .finish();
    tracing::info!("aam {} language server started", env!("CARGO_PKG_VERSION"));
    // Boxed, so that it can be dropped (with the service and its sender of
    // frames) before waiting for the writer to drain.
    let mut serve = Box::pin(Server::new(server_input, server_output, socket).serve(service));
    let mut input = input;
    tokio::select! {
        () = &mut serve => {}
        ended = &mut input => {
            if let Ok(Err(err)) = ended {
                tracing::error!("reading stdin failed: {err}");
            }
            // After `exit` or the end of stdin the framework stops reading,
            // but it waits for every handler, and a handler waiting for the
            // client's answer to a request of ours would wait forever.
            if tokio::time::timeout(GRACE, &mut serve).await.is_err() {
                tracing::warn!("handlers still running {GRACE:?} after the input ended; stopping anyway");
            }
        }
    }
    input.abort();
    drop(serve);
    match tokio::time::timeout(GRACE, forward).await {
        Ok(Ok(Err(err))) => tracing::error!("reading the server's output failed: {err}"),
        Err(_) => tracing::warn!("the server's output did not end"),
        _ => {}
    }
    if let Ok(Ok(Err(err))) = tokio::time::timeout(GRACE, writer).await {
        tracing::error!("writing to stdout failed: {err}");
    }
}

fn init_logging(options: &Options) -> anyhow::Result<()> {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    use tracing_subscriber::{EnvFilter, fmt};

    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = fmt::layer().with_writer(std::io::stderr).with_ansi(false);
    let file = match &options.log_file {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open the log file {}", path.display()))?;
            Some(fmt::layer().with_writer(std::sync::Mutex::new(file)).with_ansi(false))
        }
        None => None,
    };
    // A second `run` in one process keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(filter).with(stderr).with(file).try_init();
    Ok(())
}
