//! `concise`: `path:line:col: severity[CODE] message`, one line per finding.

use crate::cli::render::Run;

pub(super) fn render(run: &Run<'_>) -> String {
    let mut out = String::new();
    // Pushed piece by piece, not through `format_args!`: a 10 MB article
    // has tens of thousands of findings.
    let mut number = itoa::Buffer::new();
    for report in run.reports {
        for diagnostic in &report.diagnostics {
            let start = report.position(diagnostic.range.start());
            out.push_str(&report.path);
            out.push(':');
            out.push_str(number.format(start.line.get()));
            out.push(':');
            out.push_str(number.format(start.column.get()));
            out.push_str(": ");
            out.push_str(diagnostic.severity.as_str());
            out.push('[');
            out.push_str(diagnostic.rule.code);
            out.push_str("] ");
            out.push_str(&diagnostic.message);
            out.push('\n');
        }
    }
    out
}
