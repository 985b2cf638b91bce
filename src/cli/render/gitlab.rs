//! `gitlab`: a GitLab Code Quality report (the Code Climate JSON subset
//! GitLab reads): an array of `{description, check_name, fingerprint,
//! severity, location: {path, lines: {begin, end}}}`.
//!
//! The fingerprint identifies a finding across commits, so it hashes the
//! path, the rule, the message, the text the finding points at and how many
//! identical findings came before it — not the line number, which moves
//! when text is added above.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use serde_json::{Value, json};

use crate::checks::Severity;
use crate::cli::render::{Run, all_diagnostics};

pub(super) fn render(run: &Run<'_>) -> String {
    let mut occurrences: FxHashMap<u64, usize> = FxHashMap::default();
    let items: Vec<Value> = all_diagnostics(run)
        .map(|(report, diagnostic)| {
            let mut hasher = FxHasher::default();
            (report.path.as_str(), diagnostic.rule.code, &*diagnostic.message, report.slice(diagnostic.range))
                .hash(&mut hasher);
            let base = hasher.finish();
            let occurrence = occurrences.entry(base).or_default();
            *occurrence += 1;
            let mut hasher = FxHasher::default();
            (base, *occurrence).hash(&mut hasher);
            let start = report.position(diagnostic.range.start());
            let end = report.position(diagnostic.range.end());
            json!({
                "description": format!("{}: {}", diagnostic.rule.code, diagnostic.message),
                "check_name": diagnostic.rule.code,
                "fingerprint": format!("{:016x}", hasher.finish()),
                "severity": match diagnostic.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info | Severity::Hint => "info",
                },
                "location": {"path": report.path, "lines": {"begin": start.line.get(), "end": end.line.get()}},
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}
