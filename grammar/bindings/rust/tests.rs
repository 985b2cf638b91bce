//! Whole-article tests: every example parses without ERROR or MISSING nodes,
//! CRLF and LF give the same tree, and incremental reparsing after edits
//! gives the same tree as parsing from scratch.

use std::path::{Path, PathBuf};

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser.set_language(&super::LANGUAGE.into()).expect("error loading the AAM grammar");
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
        } else if matches!(path.extension().and_then(|ext| ext.to_str()), Some("aam" | "txt" | "md")) {
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
    assert!(files.len() >= 3, "expected example articles, found {files:?}");
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

/// A count from the environment (to run longer searches by hand), or a default.
fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
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
        "[",
        "]",
        "[1]",
        "[2-4]",
        "[^a]",
        "[^a]: ",
        "\n",
        "\n\n",
        "\r\n",
        "```",
        "```\n",
        "~~~\n",
        "<!--",
        "-->",
        "`",
        "# ",
        "> ",
        "- ",
        "1. ",
        "  ",
        "---\n",
        "https://x.org/a",
        "(",
        ")",
        "](u)",
        "![",
        "[1]: ",
        "\n[3] ",
        "\n  ",
        "text ",
        "é",
        "中",
        "😀",
        ":",
        "title: ",
    ];
    let mut fresh_parser = parser();
    let mut incremental_parser = parser();
    let mut rng = Rng(env_count("AAM_SEED", 0x9e37_79b9_7f4a_7c15) as u64 | 1);
    for path in example_files() {
        let mut text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let mut tree = incremental_parser.parse(&text, None).expect("parse");
        for step in 0..env_count("AAM_EDIT_STEPS", 60) {
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
            let edit = InputEdit { new_end_position: point_at(&new_text, start + inserted.len()), ..edit };
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

/// Random documents built from markup-significant pieces never produce an
/// ERROR or MISSING node: the grammar degrades to text instead.
#[test]
fn random_markup_never_produces_errors() {
    const PIECES: &[&str] = &[
        "[",
        "]",
        "[1]",
        "[12]",
        "[1, 3]",
        "[2-4]",
        "[2–4]",
        "[^a]",
        "[^",
        "^",
        "[1]:",
        "[^x]:",
        ":",
        "(",
        ")",
        "](",
        "![",
        "!",
        "`",
        "``",
        "```",
        "~~~",
        "<",
        "<!--",
        "-->",
        "-",
        "--",
        "---",
        "*",
        "#",
        "# ",
        "> ",
        ">",
        "- ",
        "* ",
        "1. ",
        "1.",
        "h",
        "http://",
        "https://a.b/c",
        ".",
        ",",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\\",
        "a",
        "word ",
        "é",
        "中文",
        "😀",
        "\u{200f}",
        "\u{feff}",
        "\0",
        "title: ",
        "x",
    ];
    let mut parser = parser();
    let mut rng = Rng(env_count("AAM_SEED", 0x2545_f491_4f6c_dd1d) as u64 | 1);
    let mut failures = Vec::new();
    for case in 0..env_count("AAM_FUZZ_CASES", 3000) {
        let n_pieces = 1 + rng.below(40);
        let mut text = String::new();
        for _ in 0..n_pieces {
            text.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let tree = parser.parse(&text, None).expect("parse");
        let errors = syntax_errors(&tree);
        if !errors.is_empty() && failures.len() < 10 {
            failures.push(format!("case {case}: {text:?}: {errors:?}\n{}", tree.root_node().to_sexp()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The source text of every node of `kind`, in document order.
fn texts_of<'a>(source: &'a str, kind: &str) -> Vec<&'a str> {
    let tree = parser().parse(source, None).expect("parse");
    assert!(syntax_errors(&tree).is_empty(), "{source:?}: {}", tree.root_node().to_sexp());
    let mut found = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind() == kind {
            found.push((node.start_byte(), &source[node.byte_range()]));
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    found.sort();
    found.into_iter().map(|(_, text)| text).collect()
}

#[test]
fn url_ranges_stop_before_trailing_punctuation() {
    let source = "See https://example.com/a. Or https://x.org/b, (https://w.org/e). \
                  https://en.wikipedia.org/wiki/Foo_(bar) “https://q.org/c” https://r.org/d?x=1&y=2; \
                  https://s.org/report.pdf[3] <https://t.org/a> http://en.kremlin.ru/supplement/5770?s=08\n";
    assert_eq!(
        texts_of(source, "url"),
        [
            "https://example.com/a",
            "https://x.org/b",
            "https://w.org/e",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "https://q.org/c",
            "https://r.org/d?x=1&y=2",
            "https://s.org/report.pdf",
            "https://t.org/a",
            "http://en.kremlin.ru/supplement/5770?s=08",
        ]
    );
}

#[test]
fn reference_labels_and_note_labels() {
    let source = "A[1] b[ 2 ] c[3, 14-16] d[7–9] e[^note_a-1].\n[1] One.\n[14]: Two.\n[^note_a-1]: Three.\n";
    assert_eq!(texts_of(source, "reference_label"), ["1", "2", "3", "14", "16", "7", "9", "note_a-1"]);
    assert_eq!(texts_of(source, "reference_group"), ["[1]", "[ 2 ]", "[3, 14-16]", "[7–9]"]);
    assert_eq!(texts_of(source, "footnote_reference"), ["[^note_a-1]"]);
    assert_eq!(texts_of(source, "note_label"), ["[1]", "[14]", "[^note_a-1]"]);
    assert_eq!(texts_of(source, "inline")[1..], ["One.", "Two.", "Three."]);
}

#[test]
fn blanks_after_markers_and_labels_are_outside_the_inline() {
    // The scanner skips these blanks (they are padding, not a token): the
    // colon of a note must touch its label, and no inline starts with a blank.
    let source = "[1] :x\n[^a]\t: y\n[2]:  z\n#   Head\n> >  q\n-   item\n```  py\nc\n```\n[3]   \n#  \n";
    assert_eq!(texts_of(source, "inline"), [":x", "[^a]\t: y", "z", "Head", "q", "item"]);
    assert_eq!(texts_of(source, ":"), [":"]);
    assert_eq!(texts_of(source, "note_label"), ["[1]", "[2]", "[3]"]);
    assert_eq!(texts_of(source, "info_string"), ["py"]);
    assert_eq!(texts_of(source, "heading"), ["#   Head\n", "#  \n"]);
    assert_eq!(texts_of(source, "footnote_definition")[2], "[3]   \n");
}

/// Every one-character insertion and deletion in a text with blanks after
/// markers, reparsed incrementally, gives the tree of a fresh parse (a reused
/// run of quote markers once let the text after it swallow the blanks).
#[test]
fn reparse_after_edits_next_to_blanks_after_markers() {
    let source = "# Head\n> >  q\n>\tr\n-  item\n[1]:  note\n[^a]: n\n```  py\nc\n```\n";
    let mut parser = parser();
    let old = parser.parse(source, None).expect("parse");
    for at in 0..=source.len() {
        for (deleted, inserted) in [(0, " "), (0, ")"), (0, ">"), (0, "\n"), (1, "")] {
            if at + deleted > source.len() {
                continue;
            }
            let text = format!("{}{inserted}{}", &source[..at], &source[at + deleted..]);
            let mut tree = old.clone();
            tree.edit(&InputEdit {
                start_byte: at,
                old_end_byte: at + deleted,
                new_end_byte: at + inserted.len(),
                start_position: point_at(source, at),
                old_end_position: point_at(source, at + deleted),
                new_end_position: point_at(&text, at + inserted.len()),
            });
            let reparsed = parser.parse(&text, Some(&tree)).expect("parse");
            let fresh = parser.parse(&text, None).expect("parse");
            assert_eq!(named_shape(&reparsed), named_shape(&fresh), "{text:?}");
        }
    }
}

#[test]
fn paragraph_inline_covers_its_lines_without_the_final_newline() {
    assert_eq!(texts_of("one\ntwo [1]\nthree\n\nfour\n", "inline"), ["one\ntwo [1]\nthree", "four"]);
    assert_eq!(texts_of("one\r\ntwo\r\n\r\nthree", "inline"), ["one\r\ntwo", "three"]);
    assert_eq!(
        texts_of("[1] note\n  more\n\tand more\nnext\n", "inline"),
        ["note\n  more\n\tand more", "next"]
    );
    assert_eq!(texts_of("- item\n  more\n- b\n", "inline"), ["item\n  more", "b"]);
}

#[test]
fn block_token_ranges() {
    let source = "---\ntitle: A \"t\" \ndate-order: dmy\n---\n## Head [1] \n```rust  \nfn f() {}\n```\n\
                  <!-- c1 -->\nText <!-- c2\nstill --> [link text](http://x.org/a (t)) ![alt](i.png)\n> > quoted\n";
    assert_eq!(texts_of(source, "front_matter_key"), ["title", "date-order"]);
    assert_eq!(texts_of(source, "front_matter_value"), ["A \"t\"", "dmy"]);
    assert_eq!(texts_of(source, "front_matter_delimiter"), ["---", "---"]);
    assert_eq!(texts_of(source, "heading_marker"), ["##"]);
    assert_eq!(texts_of(source, "info_string"), ["rust"]);
    assert_eq!(texts_of(source, "code_content"), ["fn f() {}\n"]);
    assert_eq!(texts_of(source, "code_fence_delimiter"), ["```", "```"]);
    assert_eq!(texts_of(source, "comment"), ["<!-- c1 -->", "<!-- c2\nstill -->"]);
    assert_eq!(texts_of(source, "link_text"), ["link text", "alt"]);
    assert_eq!(texts_of(source, "link_destination"), ["http://x.org/a (t)", "i.png"]);
    assert_eq!(texts_of(source, "link"), ["[link text](http://x.org/a (t))", "![alt](i.png)"]);
    assert_eq!(texts_of(source, "block_quote_marker"), [">", ">"]);
    assert_eq!(texts_of(source, "code_span"), Vec::<&str>::new());
    assert_eq!(texts_of("Use `a [1] b` now", "code_span"), ["`a [1] b`"]);
    assert_eq!(texts_of("  - x\n10. y\n", "list_marker"), ["-", "10."]);
}

#[test]
fn a_large_article_stays_a_small_tree() {
    let seed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("test/examples/seed-article.txt"))
            .expect("seed article");
    let text = seed.repeat(50);
    let tree = parser().parse(&text, None).expect("parse");
    let mut n_nodes = 0usize;
    let mut cursor = tree.walk();
    'walk: loop {
        n_nodes += 1;
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    let n_lines = text.lines().count();
    assert!(n_nodes <= 4 * n_lines, "{n_nodes} visible nodes for {n_lines} lines");
}

#[test]
fn invalid_utf8_and_byte_order_mark_are_text() {
    let mut parser = parser();
    let bytes: &[u8] = b"abc \xff\xfe [1] \xc3\n\xe2\x80 x[2]\n[1] n\xf0\x9f\n";
    let tree = parser.parse(bytes, None).expect("parse");
    assert!(syntax_errors(&tree).is_empty(), "{}", tree.root_node().to_sexp());
    assert_eq!(
        tree.root_node().to_sexp(),
        "(document (paragraph content: (inline (reference_group (reference_label)) \
         (reference_group (reference_label)))) (footnote_definition label: (note_label) content: (inline)))"
    );
    assert_eq!(texts_of("\u{feff}---\ntitle: x\n---\nText.\n", "front_matter_key"), ["title"]);
    assert_eq!(texts_of("\u{feff}[1] Note.\n", "note_label"), ["[1]"]);
}

/// Whether the scanner cuts a paragraph's lines before a line starting with
/// `line` (the rule in `chunk_boundary`, src/scanner.c: its first run of at
/// most 16 plain characters, at least 6, hashes to 0 modulo 16).
fn starts_a_chunk(line: &str) -> bool {
    let mut hash: u32 = 2_166_136_261;
    let mut n = 0;
    for c in
        line.chars().take_while(|&c| !matches!(c, '\n' | '\r' | '[' | '`' | '<' | 'h' | '!' | '\\')).take(16)
    {
        hash = (hash ^ c as u32).wrapping_mul(16_777_619);
        n += 1;
    }
    n >= 6 && (hash >> 16).is_multiple_of(16)
}

/// A paragraph whose last run is one text item, after a chunk: a reparse
/// reuses that run whole, and the line break after it must still be decided
/// as in a fresh parse when the next line stops being a note.
#[test]
fn a_reused_last_run_still_continues_the_paragraph() {
    let tail =
        (0..1000).map(|n| format!("Closing {n} words")).find(|line| starts_a_chunk(line)).expect("a cut");
    let text = format!("Opening words of the paragraph.[1]\n{tail}\n[3]  A note.\n[3] More.\n");
    let mut parser = parser();
    let mut tree = parser.parse(&text, None).expect("parse");
    let mut current = text.clone();
    // An edit inside the first run, then the note's `]` deleted: its line
    // goes on the paragraph.
    let note = text.find("[3]  ").expect("a note") - 2;
    for (start, end) in [(2, 4), (note + 2, note + 3)] {
        let new_text = format!("{}{}", &current[..start], &current[end..]);
        tree.edit(&InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: start,
            start_position: point_at(&current, start),
            old_end_position: point_at(&current, end),
            new_end_position: point_at(&new_text, start),
        });
        tree = parser.parse(&new_text, Some(&tree)).expect("parse");
        let fresh = parser.parse(&new_text, None).expect("parse");
        assert_eq!(named_shape(&tree), named_shape(&fresh), "after the edit {start}..{end}: {new_text:?}");
        current = new_text;
    }
    assert_eq!(tree.root_node().child(0).map(|n| n.kind()), Some("paragraph"));
}
