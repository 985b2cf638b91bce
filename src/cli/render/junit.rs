//! `junit`: JUnit XML, as CI systems (GitLab, Jenkins, Azure) display test
//! results: one test suite per file, one failing test case per finding, a
//! passing case for a clean file, an error case for a file that could not
//! be read.

use std::fmt::Write as _;

use crate::cli::render::{Run, all_diagnostics};

pub(super) fn render(run: &Run<'_>) -> String {
    let n_findings = all_diagnostics(run).count();
    let n_clean = run.reports.iter().filter(|report| report.diagnostics.is_empty()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"aam\" tests=\"{}\" failures=\"{n_findings}\" errors=\"{}\">",
        n_findings + n_clean + run.failures.len(),
        run.failures.len()
    );
    for report in run.reports {
        let path = escape(&report.path);
        let n = report.diagnostics.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{n}\" errors=\"0\">",
            n.max(1)
        );
        if n == 0 {
            let _ = writeln!(out, "    <testcase name=\"no problems\" classname=\"{path}\"/>");
        }
        for diagnostic in &report.diagnostics {
            let start = report.position(diagnostic.range.start());
            let _ = writeln!(
                out,
                "    <testcase name=\"{code} at {line}:{column}\" classname=\"{path}\" file=\"{path}\" line=\"{line}\">",
                code = diagnostic.rule.code,
                line = start.line,
                column = start.column,
            );
            let _ = writeln!(
                out,
                "      <failure message=\"{message}\" type=\"{code}\">{path}:{line}:{column}: {severity}[{code}] {message}</failure>",
                message = escape(&diagnostic.message),
                code = diagnostic.rule.code,
                severity = diagnostic.severity.as_str(),
                line = start.line,
                column = start.column,
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    for failure in run.failures {
        let path = escape(&failure.path);
        let _ = writeln!(out, "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">");
        let _ = writeln!(out, "    <testcase name=\"read\" classname=\"{path}\">");
        let _ = writeln!(out, "      <error message=\"{}\"/>", escape(&failure.message));
        out.push_str("    </testcase>\n  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text safe in XML attributes and content; characters XML 1.0 forbids
/// (most control characters) become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b & \"c\" 'd'>\u{1}"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}");
    }
}
