//! Renderers: one `Diagnostic`, many output formats. Each format is a file;
//! each takes the reports in their final order (sorted by path, then
//! position) and returns the whole output as a string.

mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod json_lines;
mod junit;
mod sarif;
mod statistics;

use std::sync::Arc;

use crate::checks::{Applicability, Diagnostic, Severity};
use crate::cli::SourcePosition;
use crate::model::Document;
use crate::text::{LineIndex, TextRange};

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// Source lines with the range underlined, like rustc (default on a terminal).
    Full,
    /// `path:line:col: severity[CODE] message` (default otherwise).
    Concise,
    /// A JSON array, one object per diagnostic.
    Json,
    /// One JSON object per line, one line per diagnostic.
    JsonLines,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// A GitLab Code Quality report (Code Climate JSON).
    Gitlab,
    /// JUnit XML, one test case per finding.
    Junit,
}

/// The findings of one file, with the text they point into.
///
/// Only the text and its line index are kept, not the whole model: `aam
/// check` holds every report until the end of the run, and a folder of
/// thousands of articles should not hold thousands of models.
pub(crate) struct FileReport {
    /// As shown to users: relative to the current directory when given so.
    pub path: String,
    text: Arc<str>,
    line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl Default for FileReport {
    /// An empty report (what `std::mem::take` leaves behind).
    fn default() -> FileReport {
        FileReport {
            path: String::new(),
            text: Arc::from(""),
            line_index: LineIndex::new(""),
            diagnostics: Vec::new(),
        }
    }
}

impl FileReport {
    /// The report of `diagnostics` found in `doc` (the model itself is not kept).
    pub fn new(path: String, doc: &Document, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport {
            path,
            text: Arc::clone(doc.shared_text()),
            line_index: doc.line_index().clone(),
            diagnostics,
        }
    }

    /// The report of `diagnostics` found in another file than an article
    /// (a bibliography).
    pub fn of_text(path: String, text: Arc<str>, diagnostics: Vec<Diagnostic>) -> FileReport {
        let line_index = LineIndex::new(&text);
        FileReport { path, text, line_index, diagnostics }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_index(&self) -> &LineIndex {
        &self.line_index
    }

    /// The text of `range` (empty when out of bounds).
    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or("")
    }

    pub fn position(&self, offset: usize) -> SourcePosition {
        SourcePosition::of(&self.text, &self.line_index, offset)
    }
}

/// A file that could not be checked, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Failure {
    pub path: String,
    pub message: String,
}

/// Everything a renderer may show.
pub(crate) struct Run<'a> {
    pub reports: &'a [FileReport],
    pub failures: &'a [Failure],
    /// Colour (only `full`; the caller decides from the destination).
    pub color: bool,
}

pub(crate) fn render(format: OutputFormat, run: &Run<'_>) -> String {
    match format {
        OutputFormat::Full => full::render(run),
        OutputFormat::Concise => concise::render(run),
        OutputFormat::Json => json::render(run),
        OutputFormat::JsonLines => json_lines::render(run),
        OutputFormat::Github => github::render(run),
        OutputFormat::Sarif => sarif::render(run),
        OutputFormat::Gitlab => gitlab::render(run),
        OutputFormat::Junit => junit::render(run),
    }
}

/// `--statistics`: counts per rule instead of the findings.
pub(crate) fn render_statistics(format: OutputFormat, run: &Run<'_>) -> String {
    statistics::render(format, run)
}

pub(crate) fn applicability_str(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
        Applicability::DisplayOnly => "display-only",
    }
}

/// Every diagnostic of the run, with its report.
pub(crate) fn all_diagnostics<'a>(
    run: &'a Run<'a>,
) -> impl Iterator<Item = (&'a FileReport, &'a Diagnostic)> + 'a {
    run.reports.iter().flat_map(|report| report.diagnostics.iter().map(move |d| (report, d)))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `Found 3 problems (1 error, 2 warnings, 0 other) in 2 files.`
pub(crate) fn summary(run: &Run<'_>) -> String {
    let mut counts = [0usize; 4];
    for (_, diagnostic) in all_diagnostics(run) {
        counts[diagnostic.severity as usize] += 1;
    }
    let [errors, warnings, infos, hints] = counts;
    let total = errors + warnings + infos + hints;
    let files = run.reports.len();
    if total == 0 {
        format!("No problems found in {files} file{}.", plural(files))
    } else {
        format!(
            "Found {total} problem{} ({errors} error{}, {warnings} warning{}, {} other) in {files} file{}.",
            plural(total),
            plural(errors),
            plural(warnings),
            infos + hints,
            plural(files)
        )
    }
}

/// Severity as SARIF and GitHub name it.
pub(crate) fn severity_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}
