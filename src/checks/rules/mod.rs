//! The registry: every rule, sorted by code. A test keeps it sorted, unique
//! and complete.

mod citation_anachronism;
mod conflicting_source_dates;
mod dangling_ibid;
mod duplicate_footnote;
mod empty_footnote;
mod entity_anachronism;
mod footnote_order;
mod invalid_date;
mod near_duplicate_sentence;
mod relative_date_mismatch;
mod repeated_sentence;
mod unknown_suppression;
mod unresolved_reference;
mod unused_footnote;
mod weekday_mismatch;

use crate::checks::Rule;

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
