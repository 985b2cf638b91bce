//! Whole-article tests: every example parses without ERROR or MISSING nodes,
//! CRLF and LF give the same tree, and incremental reparsing after edits
//! gives the same tree as parsing from scratch.

use std::path::{Path, PathBuf};

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&super::LANGUAGE.into())
        .expect("error loading the AAM grammar");
    parser
}

/// Example articles: `grammar/test/examples/` and the repository's `examples/`.
fn example_files() -> Vec<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [manifest.join("test/examples"), manifest.join("../examples")] {
        collect_files(&dir, &mut files);
    }
    files.sort();
    files
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if matches!(
            path.extension().and_then(|ext| ext.to_str()),
            Some("aam" | "txt" | "md")
        ) {
            files.push(path);
        }
    }
}

/// Every ERROR or MISSING node, as `kind at row:column`.
fn syntax_errors(tree: &Tree) -> Vec<String> {
    let mut errors = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if !node.has_error() {
            continue;
        }
        if node.is_error() || node.is_missing() {
            let start = node.start_position();
            errors.push(format!(
                "{} at {}:{}",
                if node.is_missing() { "MISSING" } else { "ERROR" },
                start.row + 1,
                start.column + 1
            ));
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    errors
}

/// The tree's named nodes with their byte ranges, one per line.
fn shape(node: Node, out: &mut String, depth: usize) {
    if node.is_named() {
        out.push_str(&format!(
            "{:indent$}{} {}..{}\n",
            "",
            node.kind(),
            node.start_byte(),
            node.end_byte(),
            indent = depth * 2
        ));
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        shape(child, out, depth + 1);
    }
}

fn named_shape(tree: &Tree) -> String {
    let mut out = String::new();
    shape(tree.root_node(), &mut out, 0);
    out
}

/// The same shape with byte offsets mapped back from CRLF to LF text.
fn kinds_and_rows(tree: &Tree) -> String {
    let mut out = String::new();
    let mut stack = vec![(tree.root_node(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if node.is_named() {
            out.push_str(&format!(
                "{:indent$}{} {:?}..{:?}\n",
                "",
                node.kind(),
                node.start_position().row,
                node.end_position().row,
                indent = depth * 2
            ));
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        for child in children.into_iter().rev() {
            stack.push((child, depth + 1));
        }
    }
    out
}

#[test]
fn can_load_grammar() {
    parser();
}

#[test]
fn examples_parse_without_errors() {
    let files = example_files();
    assert!(
        files.len() >= 3,
        "expected example articles, found {files:?}"
    );
    let mut parser = parser();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("example is UTF-8");
        let tree = parser.parse(&text, None).expect("parse");
        let errors = syntax_errors(&tree);
        if !errors.is_empty() {
            failures.push(format!("{}: {}", path.display(), errors.join(", ")));
        }
    }
    assert!(failures.is_empty(), "syntax errors:\n{}", failures.join("\n"));
}

#[test]
fn crlf_gives_the_same_tree_as_lf() {
    let mut parser = parser();
    for path in example_files() {
        let text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        let lf_tree = parser.parse(&lf, None).expect("parse");
        let crlf_tree = parser.parse(&crlf, None).expect("parse");
        assert!(syntax_errors(&crlf_tree).is_empty(), "{}", path.display());
        assert_eq!(
            kinds_and_rows(&lf_tree),
            kinds_and_rows(&crlf_tree),
            "CRLF changes the tree of {}",
            path.display()
        );
    }
}

/// A small deterministic generator (xorshift), so the test needs no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn point_at(text: &str, byte: usize) -> Point {
    let before = &text[..byte];
    let row = before.matches('\n').count();
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    Point::new(row, column)
}

fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// Applies random edits (insertions of markup fragments, deletions) and checks
/// that the incrementally reparsed tree equals a fresh parse every time.
#[test]
fn incremental_reparse_matches_fresh_parse() {
    const FRAGMENTS: &[&str] = &[
        "[", "]", "[1]", "[2-4]", "[^a]", "[^a]: ", "\n", "\n\n", "\r\n", "```", "```\n", "~~~\n",
        "<!--", "-->", "`", "# ", "> ", "- ", "1. ", "  ", "---\n", "https://x.org/a", "(", ")",
        "](u)", "![", "[1]: ", "\n[3] ", "\n  ", "text ", "é", "中", "😀", ":", "title: ",
    ];
    let mut fresh_parser = parser();
    let mut incremental_parser = parser();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for path in example_files() {
        let mut text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let mut tree = incremental_parser.parse(&text, None).expect("parse");
        for step in 0..60 {
            let start = floor_char_boundary(&text, rng.below(text.len() + 1));
            let (old_end, inserted) = if rng.below(3) == 0 && start < text.len() {
                let len = 1 + rng.below(40.min(text.len() - start));
                (floor_char_boundary(&text, start + len).max(start), String::new())
            } else {
                (start, FRAGMENTS[rng.below(FRAGMENTS.len())].to_string())
            };
            let edit = InputEdit {
                start_byte: start,
                old_end_byte: old_end,
                new_end_byte: start + inserted.len(),
                start_position: point_at(&text, start),
                old_end_position: point_at(&text, old_end),
                new_end_position: Point::default(),
            };
            let mut new_text = String::with_capacity(text.len() + inserted.len());
            new_text.push_str(&text[..start]);
            new_text.push_str(&inserted);
            new_text.push_str(&text[old_end..]);
            let edit = InputEdit {
                new_end_position: point_at(&new_text, start + inserted.len()),
                ..edit
            };
            tree.edit(&edit);
            let reparsed = incremental_parser.parse(&new_text, Some(&tree)).expect("parse");
            let fresh = fresh_parser.parse(&new_text, None).expect("parse");
            assert_eq!(
                named_shape(&reparsed),
                named_shape(&fresh),
                "incremental reparse differs from a fresh parse of {} after edit {step} \
                 ({edit:?}, inserted {inserted:?})",
                path.display()
            );
            assert!(syntax_errors(&fresh).is_empty(), "{}: {:?}", path.display(), syntax_errors(&fresh));
            text = new_text;
            tree = reparsed;
        }
    }
}
