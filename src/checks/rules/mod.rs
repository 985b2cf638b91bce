//! The registry: every rule, sorted by code. A test keeps it sorted, unique
//! and complete.

mod citation_anachronism;
mod conflicting_source_dates;
mod dangling_ibid;
mod duplicate_bibliography_key;
mod duplicate_footnote;
mod empty_footnote;
mod entity_anachronism;
mod footnote_order;
mod invalid_bibliography;
mod invalid_date;
mod near_duplicate_sentence;
mod relative_date_mismatch;
mod repeated_sentence;
mod unknown_suppression;
mod unresolved_citation;
mod unresolved_reference;
mod unused_bibliography_entry;
mod unused_footnote;
mod weekday_mismatch;

use crate::checks::{Context, Diagnostic, Level, Rule};
use crate::model::bibliography::Source;

pub(crate) use conflicting_source_dates::SourceKeyCache;
pub(crate) use entity_anachronism::EntityCache;

/// Keeps the entries of a cache, in buckets by hash, that the run `run`
/// used (what a run stamps on an entry is read by `run_of`).
fn retain_run<T>(buckets: &mut rustc_hash::FxHashMap<u64, Vec<T>>, run: u64, run_of: impl Fn(&T) -> u64) {
    buckets.retain(|_, bucket| {
        bucket.retain(|entry| run_of(entry) == run);
        !bucket.is_empty()
    });
}

pub(super) static RULES: &[&Rule] = &[
    &unresolved_reference::RULE,
    &unused_footnote::RULE,
    &duplicate_footnote::RULE,
    &footnote_order::RULE,
    &dangling_ibid::RULE,
    &empty_footnote::RULE,
    &unresolved_citation::RULE,
    &unused_bibliography_entry::RULE,
    &duplicate_bibliography_key::RULE,
    &invalid_bibliography::RULE,
    &repeated_sentence::RULE,
    &near_duplicate_sentence::RULE,
    &invalid_date::RULE,
    &weekday_mismatch::RULE,
    &citation_anachronism::RULE,
    &relative_date_mismatch::RULE,
    &conflicting_source_dates::RULE,
    &entity_anachronism::RULE,
    &unknown_suppression::RULE,
];

/// The article-side check of a rule whose findings are all in a
/// bibliography file (`check_bibliography`).
fn in_bibliography_only(_: &Context<'_>, _: &mut Vec<Diagnostic>) {}

/// The findings in one bibliography file, at their levels in `config`:
/// where it does not parse (AAM010), repeated keys (AAM009), and entries
/// that `cited` says no article cites (AAM008, off by default).
pub(crate) fn check_bibliography(
    source: &Source,
    cited: &dyn Fn(&str) -> bool,
    config: &crate::checks::CheckConfig,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in
        [&invalid_bibliography::RULE, &duplicate_bibliography_key::RULE, &unused_bibliography_entry::RULE]
    {
        let Level::On(severity) = config.level(rule) else { continue };
        let mut found = Vec::new();
        match rule.code {
            "AAM010" => invalid_bibliography::check_source(source, &mut found),
            "AAM009" => duplicate_bibliography_key::check_source(source, &mut found),
            _ => unused_bibliography_entry::check_source(source, cited, &mut found),
        }
        for diagnostic in &mut found {
            diagnostic.severity = severity;
        }
        out.extend(found);
    }
    out.sort_by_key(|d| (d.range.start(), d.range.end(), d.rule.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        let codes: Vec<&str> = RULES.iter().map(|rule| rule.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted, "the registry must be sorted by code, without repeats");
        for rule in RULES {
            assert!(rule.code.len() == 6 && rule.code.starts_with("AAM"), "{}", rule.code);
            assert!(rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", rule.name);
            assert!(!rule.documentation().is_empty(), "{} has no documentation", rule.code);
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks/rules");
        let registry = include_str!("mod.rs");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(module) = name.strip_suffix(".rs") else { continue };
            if module == "mod" {
                continue;
            }
            assert!(registry.contains(&format!("&{module}::RULE")), "{module} is not in RULES");
        }
    }
}
