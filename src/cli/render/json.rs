//! `json`: an array, one object per diagnostic, in the contract's shape
//! (design section 4). `json-lines` prints the same objects one per line.

use serde::Serialize;

use crate::checks::Diagnostic;
use crate::cli::SourcePosition;
use crate::cli::render::{FileReport, Run, all_diagnostics, applicability_str};

#[derive(Serialize)]
pub(super) struct JsonDiagnostic<'a> {
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

pub(super) fn object<'a>(report: &'a FileReport, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
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
            applicability: applicability_str(fix.applicability),
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
    }
}

pub(super) fn render(run: &Run<'_>) -> String {
    let items: Vec<JsonDiagnostic<'_>> = all_diagnostics(run).map(|(report, d)| object(report, d)).collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}
