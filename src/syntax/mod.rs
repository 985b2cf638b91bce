//! The tree-sitter grammar of AAM (`grammar/`), wrapped: parsing never fails.
//!
//! This is the only parser of the markup. The model walks the tree it
//! returns; the language server keeps the previous tree for incremental
//! reparsing.

pub mod kind;

use std::cell::RefCell;

pub use tree_sitter::{InputEdit, Node, Point, Tree};

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(new_parser());
}

fn new_parser() -> tree_sitter::Parser {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&language())
        .expect("the bundled grammar's ABI is supported by the tree-sitter runtime");
    parser
}

/// The AAM language.
pub fn language() -> tree_sitter::Language {
    tree_sitter_aam::LANGUAGE.into()
}

/// Parses `text` from scratch.
pub fn parse(text: &str) -> Tree {
    reparse(text, None)
}

/// Parses `text`, reusing `old` (already `edit`ed to match `text`) when given.
pub fn reparse(text: &str, old: Option<&Tree>) -> Tree {
    PARSER.with(|parser| {
        let mut parser = parser.borrow_mut();
        match parser.parse(text, old) {
            Some(tree) => tree,
            // Only a cancellation or a missing language make tree-sitter give
            // up; neither is configured, but a fresh parser is a safe retry.
            None => {
                *parser = new_parser();
                parser.parse(text, None).expect("a fresh parser with no timeout always returns a tree")
            }
        }
    })
}

/// The children of `node` with a name (skipping punctuation and text tokens).
pub fn named_children<'tree>(node: Node<'tree>) -> impl Iterator<Item = Node<'tree>> {
    let mut cursor = node.walk();
    let children: Vec<Node<'tree>> = node.named_children(&mut cursor).collect();
    children.into_iter()
}

/// `true` when the tree has an ERROR or MISSING node anywhere.
pub fn has_errors(tree: &Tree) -> bool {
    tree.root_node().has_error()
}
