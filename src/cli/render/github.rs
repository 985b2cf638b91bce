//! `github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request:
//! `::error file=a.aam,line=1,col=6,endLine=1,endColumn=9,title=aam (AAM001)::note [2] is not defined`.
//!
//! Escaping as the runner requires (actions/toolkit `command.ts`): in the
//! message `%`, CR and LF; in property values also `:` and `,`.

use std::fmt::Write as _;

use crate::checks::Severity;
use crate::cli::render::Run;

pub(super) fn render(run: &Run<'_>) -> String {
    let mut out = String::new();
    for report in run.reports {
        for diagnostic in &report.diagnostics {
            let start = report.position(diagnostic.range.start());
            let end = report.position(diagnostic.range.end());
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&report.path),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("aam ({})", diagnostic.rule.code)),
                escape_data(&diagnostic.message)
            );
        }
    }
    for failure in run.failures {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&failure.path),
            escape_property("aam (I/O)"),
            escape_data(&failure.message)
        );
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
