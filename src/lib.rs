//! aam: a language server and CI linter for Annotated Article Markup.
//!
//! Layers, each depending only on those before it:
//! `syntax → text → model → checks → ide → {lsp, cli}`; `config` is read by
//! the last two.

pub mod checks;
pub mod cli;
pub mod config;
pub mod ide;
pub mod lsp;
pub mod model;
pub mod syntax;
pub mod text;
