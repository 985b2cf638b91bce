//! `full`: the source lines with the range underlined, like rustc
//! (annotate-snippets), then a one-line summary.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::checks::{Diagnostic, Severity};
use crate::cli::render::{FileReport, Run, summary};
use crate::text::TextRange;

pub(super) fn render(run: &Run<'_>) -> String {
    let renderer = if run.color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for report in run.reports {
        for diagnostic in &report.diagnostics {
            let _ = writeln!(out, "{}\n", renderer.render(&groups(report, diagnostic)));
        }
    }
    let _ = writeln!(out, "{}", summary(run));
    out
}

fn groups<'a>(report: &'a FileReport, diagnostic: &'a Diagnostic) -> Vec<Group<'a>> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP,
    };
    let mut group = level.primary_title(&*diagnostic.message).id(diagnostic.rule.code).element(snippet(
        report,
        diagnostic.range,
        AnnotationKind::Primary,
        diagnostic.rule.name,
    ));
    for related in &diagnostic.related {
        group = group.element(snippet(report, related.range, AnnotationKind::Context, &related.message));
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
    let text = report.text();
    let index = report.line_index();
    let first_line = index.line_of(range.start());
    let last_line = index.line_of(range.end().saturating_sub(1).max(range.start()));
    let start = index.line_start(first_line).unwrap_or(0);
    let end =
        index.line_range(last_line, text).map_or(text.len(), |r| r.end).max(range.end().min(text.len()));
    let source = &text[start..end];
    let span = range.start() - start..(range.end().min(end)) - start;
    Snippet::source(source)
        .line_start(first_line + 1)
        .path(report.path.as_str())
        .annotation(kind.span(span).label(label))
}
