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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// How many nodes of the old tree a reparse after inserting `x` at
    /// `at` shifts whole (tree-sitter's `reuse_node` events).
    fn reused_after_insert(text: &str, at: usize) -> usize {
        let mut parser = new_parser();
        let mut old = parser.parse(text, None).expect("a tree");
        let mut edited = text.to_owned();
        edited.insert(at, 'x');
        let point = Point { row: 0, column: 0 };
        old.edit(&InputEdit {
            start_byte: at,
            old_end_byte: at,
            new_end_byte: at + 1,
            start_position: point,
            old_end_position: point,
            new_end_position: Point { row: 0, column: 1 },
        });
        let reused = Arc::new(Mutex::new(0));
        let count = reused.clone();
        parser.set_logger(Some(Box::new(move |_, message| {
            if message.starts_with("reuse_node") {
                *count.lock().expect("not poisoned") += 1;
            }
        })));
        let new = parser.parse(&edited, Some(&old)).expect("a tree");
        assert_eq!(new.root_node().to_sexp(), parse(&edited).root_node().to_sexp());
        *reused.lock().expect("not poisoned")
    }

    /// The blocks are grouped in chunks from heading to heading, which a
    /// reparse reuses whole: an edit in an article of 300 sections of three
    /// paragraphs shifts about one node per section and the blocks of its
    /// own section, not the 2,400 blocks and blank lines one by one.
    #[test]
    fn a_reparse_reuses_whole_sections() {
        let section =
            "## A heading\n\nA paragraph of text.[1]\n\nAnother one, on\ntwo lines.\n\n- a list item\n\n";
        let text = format!("Before the first heading.\n\n{}[1]: A note.\n", section.repeat(300));
        let at = text.len() / 2 + text[text.len() / 2..].find("text").expect("a paragraph");
        let reused = reused_after_insert(&text, at);
        assert!(reused < 400, "{reused} nodes shifted one by one");
        // The blocks before the first heading are reused one by one.
        assert!(reused_after_insert(&text, 2) < 400);
    }

    /// A long paragraph's lines are grouped in chunks cut at lines the
    /// scanner picks by their first characters, which a reparse reuses
    /// whole: an edit in a paragraph of 3,000 lines (three tokens each)
    /// shifts a few hundred nodes, not its 9,000 tokens one by one.
    #[test]
    fn a_reparse_reuses_whole_chunks_of_a_long_paragraph() {
        let lines: Vec<String> = (0..3000)
            .map(|n| format!("Officials {n} counted ships in the port,[{}] as the report says.\n", n % 7 + 1))
            .collect();
        let text = format!("{}\n[1]: A note.\n", lines.concat());
        let tree = parse(&text);
        let paragraph = tree.root_node().child(0).expect("a paragraph");
        assert_eq!(paragraph.kind(), "paragraph");
        assert_eq!(paragraph.end_byte(), text.find("\n\n").expect("a blank line") + 1);
        let at = text.len() / 2 + text[text.len() / 2..].find("ships").expect("a line");
        let reused = reused_after_insert(&text, at);
        assert!(reused < 600, "{reused} nodes shifted one by one");
    }

    /// Notes (and list items, paragraphs) between two headings are cut into
    /// chunks too, after a line the scanner picks by its first characters:
    /// an edit among 3,000 notes shifts a few hundred nodes, not every note.
    #[test]
    fn a_reparse_reuses_whole_chunks_of_notes() {
        let notes: Vec<String> =
            (1..=3000).map(|n| format!("[{n}] Agency {n}, “Report”, June {}, 2023.\n", n % 28 + 1)).collect();
        let text = format!("A paragraph.[1]\n\n{}", notes.concat());
        let half = (text.len() / 2..).find(|&at| text.is_char_boundary(at)).expect("a boundary");
        let at = half + text[half..].find("Report").expect("a note");
        let reused = reused_after_insert(&text, at);
        assert!(reused < 600, "{reused} nodes shifted one by one");
        // A note continued on an indented line, and a cut before a list item
        // and a paragraph, keep the tree a fresh parse gives.
        let mixed = format!(
            "{}\n  continued\n- an item\n\nA paragraph.\n{}",
            notes[..40].concat(),
            notes[40..80].concat()
        );
        for at in (0..mixed.len()).step_by(97).filter(|&at| mixed.is_char_boundary(at)) {
            reused_after_insert(&mixed, at);
        }
    }
}
