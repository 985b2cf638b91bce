//! The language server: the only place that speaks LSP.
