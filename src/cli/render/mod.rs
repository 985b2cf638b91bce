//! Renderers: one `Diagnostic`, many output formats.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::checks::{Diagnostic, Severity};
use crate::cli::{OutputFormat, SourcePosition};
use crate::model::Document;
use crate::text::TextRange;

/// The findings of one file, with the document they point into.
pub(crate) struct FileReport {
    pub path: String,
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn new(path: String, doc: Document, diagnostics: Vec<Diagnostic>) -> FileReport {
        FileReport { path, doc, diagnostics }
    }

    fn position(&self, offset: usize) -> SourcePosition {
        SourcePosition::of(self.doc.text(), self.doc.line_index(), offset)
    }
}

pub(crate) fn render(format: OutputFormat, reports: &[FileReport]) -> String {
    match format {
        OutputFormat::Full => full(reports),
        OutputFormat::Concise => concise(reports),
        OutputFormat::Json => json(reports),
    }
}

fn concise(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for diagnostic in &report.diagnostics {
            let start = report.position(diagnostic.range.start());
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                report.path,
                start.line,
                start.column,
                diagnostic.severity.as_str(),
                diagnostic.rule.code,
                diagnostic.message
            );
        }
    }
    out
}

fn full(reports: &[FileReport]) -> String {
    let color = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for report in reports {
        for diagnostic in &report.diagnostics {
            counts[diagnostic.severity as usize] += 1;
            let _ = writeln!(out, "{}\n", renderer.render(&full_report(report, diagnostic)));
        }
    }
    let [errors, warnings, infos, hints] = counts;
    let total = errors + warnings + infos + hints;
    if total == 0 {
        let _ = writeln!(out, "No problems found in {} file{}.", reports.len(), plural(reports.len()));
    } else {
        let _ = writeln!(
            out,
            "Found {total} problem{} ({errors} error{}, {warnings} warning{}, {} other) in {} file{}.",
            plural(total),
            plural(errors),
            plural(warnings),
            infos + hints,
            reports.len(),
            plural(reports.len())
        );
    }
    out
}

fn full_report<'a>(report: &'a FileReport, diagnostic: &'a Diagnostic) -> Vec<Group<'a>> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP,
    };
    let mut group = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.rule.code)
        .element(snippet(report, diagnostic.range, AnnotationKind::Primary, diagnostic.rule.name));
    for related in &diagnostic.related {
        group = group.element(snippet(report, related.range, AnnotationKind::Context, related.message.as_str()));
    }
    let mut groups = vec![group];
    if let Some(fix) = &diagnostic.fix {
        groups.push(Group::with_title(Level::HELP.secondary_title(fix.message.as_str())));
    }
    groups
}

/// The lines around `range`, with `range` annotated.
fn snippet<'a>(
    report: &'a FileReport,
    range: TextRange,
    kind: AnnotationKind,
    label: &'a str,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let doc = &report.doc;
    let text = doc.text();
    let index = doc.line_index();
    let first_line = index.line_of(range.start());
    let last_line = index.line_of(range.end().saturating_sub(1).max(range.start()));
    let start = index.line_start(first_line).unwrap_or(0);
    let end = index.line_range(last_line, text).map_or(text.len(), |r| r.end).max(range.end().min(text.len()));
    let source = &text[start..end];
    let span = range.start() - start..(range.end().min(end)) - start;
    Snippet::source(source)
        .line_start(first_line + 1)
        .path(report.path.as_str())
        .annotation(kind.span(span).label(label))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    start: SourcePosition,
    end: SourcePosition,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    start: SourcePosition,
    end: SourcePosition,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: SourcePosition,
    end: SourcePosition,
    content: &'a str,
}

fn json(reports: &[FileReport]) -> String {
    let mut items = Vec::new();
    for report in reports {
        for diagnostic in &report.diagnostics {
            items.push(JsonDiagnostic {
                path: &report.path,
                code: diagnostic.rule.code,
                name: diagnostic.rule.name,
                severity: diagnostic.severity.as_str(),
                message: &diagnostic.message,
                start: report.position(diagnostic.range.start()),
                end: report.position(diagnostic.range.end()),
                related: diagnostic
                    .related
                    .iter()
                    .map(|related| JsonRelated {
                        path: &report.path,
                        start: report.position(related.range.start()),
                        end: report.position(related.range.end()),
                        message: &related.message,
                    })
                    .collect(),
                fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                    message: &fix.message,
                    applicability: match fix.applicability {
                        crate::checks::Applicability::Safe => "safe",
                        crate::checks::Applicability::Unsafe => "unsafe",
                        crate::checks::Applicability::DisplayOnly => "display-only",
                    },
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| JsonEdit {
                            start: report.position(edit.range.start()),
                            end: report.position(edit.range.end()),
                            content: &edit.new_text,
                        })
                        .collect(),
                }),
            });
        }
    }
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}
