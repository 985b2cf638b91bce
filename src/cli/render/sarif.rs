//! `sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).
//!
//! One run; `tool.driver.rules` lists every rule (id, name, descriptions,
//! help text and `helpUri`, default level); each result has `ruleId`,
//! `ruleIndex`, `level`, one physical location (1-based lines and columns,
//! `columnKind: unicodeCodePoints`, matching the other formats), related
//! locations and, where a rule offers one, its fix. Files that could not be
//! read are tool execution notifications. Paths are relative URIs when the
//! file was named relative to the current directory, as GitHub requires.

use serde_json::{Value, json};

use crate::checks::{self, Diagnostic};
use crate::cli::render::{FileReport, Run, all_diagnostics, severity_level};
use crate::text::TextRange;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the rules' documentation lives: the crate's `repository` when
/// Cargo.toml names one.
/// FIXME: the project has no public home yet; set `repository` in
/// Cargo.toml and this follows.
fn rules_page() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let repository = if repository.is_empty() { "https://github.com/aam-lint/aam" } else { repository };
    format!("{repository}/blob/main/docs/rules.md")
}

pub(super) fn render(run: &Run<'_>) -> String {
    let rules_page = rules_page();
    let rules: Vec<Value> = checks::all_rules()
        .iter()
        .map(|rule| {
            let documentation = rule.documentation();
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": capitalise(rule.summary)},
                "fullDescription": {"text": first_paragraph(&documentation)},
                "help": {"text": documentation, "markdown": documentation},
                "helpUri": format!("{rules_page}#{}-{}", rule.code.to_lowercase(), rule.name),
                "defaultConfiguration": {"level": severity_level(rule.default_severity)},
                "properties": {"tags": [category(rule.code)]},
            })
        })
        .collect();
    let results: Vec<Value> =
        all_diagnostics(run).map(|(report, diagnostic)| result(report, diagnostic)).collect();
    let notifications: Vec<Value> = run
        .failures
        .iter()
        .map(|failure| {
            json!({
                "level": "error",
                "message": {"text": format!("{}: {}", failure.path, failure.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&failure.path)}}}],
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aam",
                "fullName": "aam, the Annotated Article Markup linter",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": rules_page,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": run.failures.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "automationDetails": {"id": "aam/"},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn result(report: &FileReport, diagnostic: &Diagnostic) -> Value {
    let rule_index =
        checks::all_rules().iter().position(|rule| rule.code == diagnostic.rule.code).unwrap_or(0);
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(idx, related)| {
            json!({
                "id": idx + 1,
                "physicalLocation": physical_location(report, related.range),
                "message": {"text": related.message},
            })
        })
        .collect();
    let mut result = json!({
        "ruleId": diagnostic.rule.code,
        "ruleIndex": rule_index,
        "level": severity_level(diagnostic.severity),
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": physical_location(report, diagnostic.range)}],
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if let Some(fix) = &diagnostic.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| json!({"deletedRegion": region(report, edit.range), "insertedContent": {"text": edit.new_text}}))
            .collect();
        result["fixes"] = json!([{
            "description": {"text": fix.message},
            "artifactChanges": [{"artifactLocation": {"uri": uri(&report.path)}, "replacements": replacements}],
        }]);
    }
    result
}

fn physical_location(report: &FileReport, range: TextRange) -> Value {
    json!({"artifactLocation": {"uri": uri(&report.path)}, "region": region(report, range)})
}

fn region(report: &FileReport, range: TextRange) -> Value {
    let start = report.position(range.start());
    let end = report.position(range.end());
    json!({
        "startLine": start.line.get(),
        "startColumn": start.column.get(),
        "endLine": end.line.get(),
        "endColumn": end.column.get(),
    })
}

/// A relative path as a relative URI reference, an absolute one as a
/// `file://` URI; percent-encoded.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let encoded: String = path
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect();
    if encoded.starts_with('/') { format!("file://{encoded}") } else { encoded }
}

fn first_paragraph(documentation: &str) -> String {
    let body = documentation.strip_prefix("## What it does").unwrap_or(documentation).trim_start();
    let paragraph = body.split("\n\n").next().unwrap_or(body);
    paragraph.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn category(code: &str) -> &'static str {
    match code.as_bytes().get(3) {
        Some(b'0') => "references",
        Some(b'1') => "repetition",
        Some(b'2') => "dates",
        _ => "suppressions",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("a/b c.aam"), "a/b%20c.aam");
        assert_eq!(uri("/tmp/é.aam"), "file:///tmp/%C3%A9.aam");
        assert_eq!(uri("dir\\x.aam"), "dir/x.aam");
    }
}
