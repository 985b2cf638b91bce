//! Entry points for the fuzz targets (`fuzz/`) and the property tests
//! (`tests/prop_*.rs`): the CLI's renderers and `--fix` on a text, without a
//! process or a file system. Not a stable API.

use clap::ValueEnum as _;

use crate::checks::{self, CheckConfig};
use crate::cli::render::{self, Failure, FileReport, OutputFormat, Run};
use crate::model::{Document, ModelConfig};

/// Checks `text` with the default settings and renders the findings in every
/// output format (with and without colour, and as `--statistics`), then the
/// `aam dump` JSON; returns `(format, output)` pairs.
pub fn render_every_format(path: &str, text: &str) -> Vec<(String, String)> {
    let model = ModelConfig::default();
    let config = CheckConfig::default();
    let doc = Document::parse(text, &model);
    let diagnostics = checks::check(&doc, &config);
    let dump = crate::cli::dump::to_json(&doc);
    let reports = vec![FileReport::new(path.to_owned(), &doc, diagnostics)];
    let failures =
        vec![Failure { path: format!("{path}.unreadable"), message: "not valid UTF-8".to_owned() }];
    let mut out = Vec::new();
    for &format in OutputFormat::value_variants() {
        for color in [false, true] {
            let run = Run { reports: &reports, failures: &failures, color };
            out.push((format!("{format:?} color={color}"), render::render(format, &run)));
        }
        let run = Run { reports: &reports, failures: &failures, color: false };
        out.push((format!("{format:?} statistics"), render::render_statistics(format, &run)));
    }
    out.push(("dump".to_owned(), serde_json::to_string(&dump).unwrap_or_default()));
    out
}

/// The `aam dump` JSON of `text` (default settings).
pub fn dump_json(text: &str) -> serde_json::Value {
    dump_document(&Document::parse(text, &ModelConfig::default()))
}

/// The `aam dump` JSON of a model.
pub fn dump_document(doc: &Document) -> serde_json::Value {
    crate::cli::dump::to_json(doc)
}

/// The `aam check --output-format json` output for `text` (default
/// settings), as `aam check` prints it for a file named `path`.
pub fn check_json(path: &str, text: &str) -> String {
    let doc = Document::parse(text, &ModelConfig::default());
    let diagnostics = checks::check(&doc, &CheckConfig::default());
    let reports = vec![FileReport::new(path.to_owned(), &doc, diagnostics)];
    render::render(OutputFormat::Json, &Run { reports: &reports, failures: &[], color: false })
}

/// What `aam check --fix` (with `--unsafe-fixes` when `unsafe_fixes`)
/// writes for `text`: the fixed text, and whether the fixes settled.
pub fn fix_text(text: &str, unsafe_fixes: bool) -> (String, bool) {
    let result =
        crate::cli::fix::fix_text(text, &ModelConfig::default(), &CheckConfig::default(), unsafe_fixes);
    (result.text, result.converged)
}

/// `aam check --fix`'s file write: replaces `path` (whose bytes were
/// `expected` when read) with `contents` atomically.
pub fn write_atomic(path: &std::path::Path, expected: &[u8], contents: &[u8]) -> Result<(), String> {
    crate::cli::fix::write_atomic(path, expected, contents)
}
