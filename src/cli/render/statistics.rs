//! `--statistics`: how many findings each rule produced, most first; `[*]`
//! marks a rule whose findings have a safe fix (`--fix` applies it).

use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use crate::checks::{Applicability, Rule};
use crate::cli::render::{OutputFormat, Run, all_diagnostics};

pub(super) fn render(format: OutputFormat, run: &Run<'_>) -> String {
    let mut counts: FxHashMap<&'static str, (&'static Rule, usize, usize)> = FxHashMap::default();
    for (_, diagnostic) in all_diagnostics(run) {
        let entry = counts.entry(diagnostic.rule.code).or_insert((diagnostic.rule, 0, 0));
        entry.1 += 1;
        if diagnostic.fix.as_ref().is_some_and(|fix| fix.applicability == Applicability::Safe) {
            entry.2 += 1;
        }
    }
    let mut rows: Vec<(&'static Rule, usize, usize)> = counts.into_values().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(b.0.code)));
    if matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|(rule, count, fixable)| {
                serde_json::json!({"code": rule.code, "name": rule.name, "count": count, "fixable": fixable})
            })
            .collect();
        return format!("{}\n", serde_json::to_string_pretty(&items).unwrap_or_default());
    }
    let mut out = String::new();
    for (rule, count, fixable) in rows {
        let mark = if fixable > 0 { "[*]" } else { "   " };
        let _ = writeln!(out, "{count:>5}  {}  {mark} {}", rule.code, rule.name);
    }
    out
}
