//! The protocol stays at the edge (STYLE.md §1, §3): only `src/lsp/` may
//! use tower-lsp-server, its LSP types or ropey; `src/ide/` computes plain
//! data on byte offsets.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_src_lsp_speaks_lsp() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found the sources");
    let mut offenders = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        if relative.starts_with("lsp") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for needle in ["tower_lsp_server", "ls_types", "lsp_types", "ropey::"] {
            if text.contains(needle) {
                offenders.push(format!("{} uses {needle}", relative.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
