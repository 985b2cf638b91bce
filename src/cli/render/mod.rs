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

use crate::checks::{Applicability, Diagnostic, Severity};
use crate::cli::SourcePosition;
use crate::model::Document;

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

/// The findings of one file, with the document they point into.
pub(crate) struct FileReport {
    /// As shown to users: relative to the current directory when given so.
    pub path: String,
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn new(path: String, doc: Document, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport { path, doc, diagnostics }
    }

    pub fn position(&self, offset: usize) -> SourcePosition {
        SourcePosition::of(self.doc.text(), self.doc.line_index(), offset)
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
