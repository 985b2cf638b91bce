//! Tree-sitter grammar for AAM (Annotated Article Markup).
//!
//! Use [`LANGUAGE`] with a tree-sitter [`Parser`]:
//!
//! ```
//! let text = "A claim.[1]\n[1] A source, 2023.\n";
//! let mut parser = tree_sitter::Parser::new();
//! parser
//!     .set_language(&tree_sitter_aam::LANGUAGE.into())
//!     .expect("error loading the AAM grammar");
//! let tree = parser.parse(text, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```
//!
//! [`Parser`]: https://docs.rs/tree-sitter/latest/tree_sitter/struct.Parser.html

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_aam() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for AAM.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_aam) };

/// The content of the grammar's `node-types.json`.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The syntax highlighting query (`queries/highlights.scm`).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// The language injection query (`queries/injections.scm`): code blocks by info string.
pub const INJECTIONS_QUERY: &str = include_str!("../../queries/injections.scm");

/// The folding query (`queries/folds.scm`).
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

#[cfg(test)]
mod tests;
