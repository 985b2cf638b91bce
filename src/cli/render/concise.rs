//! `concise`: `path:line:col: severity[CODE] message`, one line per finding.

use std::fmt::Write as _;

use crate::cli::render::Run;

pub(super) fn render(run: &Run<'_>) -> String {
    let mut out = String::new();
    for report in run.reports {
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
