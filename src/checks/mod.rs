//! The rules: a sorted registry, one file per rule, and the runner.
//!
//! A rule's code, name, default severity, message and documentation live in
//! its own file; the documentation is the `///` comment above its `RULE`
//! constant, which `aam explain` and `docs/rules.md` print.

mod diagnostic;
pub mod renumber;
pub mod repeats;
mod rules;
pub mod suppression;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Message, Related, Severity, apply_edits};

use rustc_hash::FxHashMap;

use crate::model::Document;

/// A rule: permanent code, kebab-case name, default severity, and the check.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// `false` for a rule that runs only when `aam.toml` (or `--select`)
    /// turns it on, at `default_severity` unless a level is given.
    pub enabled_by_default: bool,
    /// One line: what the rule fires on.
    pub summary: &'static str,
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
    /// The rule's source file, from which its documentation is read.
    pub(crate) source: &'static str,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).field("name", &self.name).finish()
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

impl Rule {
    /// The level the rule runs at when nothing configures it.
    pub fn default_level(&self) -> Level {
        if self.enabled_by_default { Level::On(self.default_severity) } else { Level::Off }
    }

    /// `error`, `warning` …, or `off` for a rule off by default.
    pub fn default_level_name(&self) -> &'static str {
        if self.enabled_by_default { self.default_severity.as_str() } else { "off" }
    }

    /// The rule's documentation in Markdown: the `///` comment above its
    /// `RULE` constant.
    pub fn documentation(&self) -> String {
        let Some(end) = self.source.find("pub(crate) const RULE") else {
            return String::new();
        };
        let mut lines: Vec<&str> = self.source[..end]
            .lines()
            .rev()
            .skip_while(|line| line.trim().is_empty() || line.trim_start().starts_with("#["))
            .take_while(|line| line.trim_start().starts_with("///"))
            .collect();
        lines.reverse();
        let doc: Vec<&str> = lines
            .iter()
            .map(|line| {
                let line = line.trim_start().trim_start_matches("///");
                line.strip_prefix(' ').unwrap_or(line)
            })
            .collect();
        doc.join("\n")
    }
}

/// The level a rule runs at: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(value: &str) -> Option<Level> {
        match value {
            "off" => Some(Level::Off),
            _ => Severity::parse(value).map(Level::On),
        }
    }
}

/// Settings of the rules (built from `aam.toml` by `config`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckConfig {
    /// Levels that differ from a rule's default, by code.
    pub levels: FxHashMap<&'static str, Level>,
    pub repeats: RepeatConfig,
    /// Entities added in `aam.toml` (`[[entities]]`) for AAM206, on top of
    /// the built-in `data/entities.toml`.
    pub entities: Vec<crate::model::dates::entities::Entity>,
}

/// Settings of AAM101/AAM102.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatConfig {
    /// Sentences with fewer content words are not compared.
    pub min_content_words: usize,
    /// AAM102 fires at or above this similarity of the content words (0–1,
    /// `checks::repeats::similarity`). Default 0.8: see `docs/repeats.md`
    /// for the precision and recall behind it.
    pub similarity: f64,
}

impl Default for RepeatConfig {
    fn default() -> RepeatConfig {
        RepeatConfig { min_content_words: 4, similarity: 0.8 }
    }
}

impl CheckConfig {
    pub fn level(&self, rule: &Rule) -> Level {
        self.levels.get(rule.code).copied().unwrap_or(rule.default_level())
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub config: &'a CheckConfig,
    /// The repeats of the document, when AAM101 or AAM102 runs.
    pub(crate) repeats: Option<&'a repeats::Analysis>,
    /// What the date rules keep across runs.
    pub(crate) dates: &'a DateCache,
}

impl Context<'_> {
    /// The repeats of the document: the run's shared analysis, or (a rule
    /// run on its own) one computed now.
    pub(crate) fn repeats(&self) -> std::borrow::Cow<'_, repeats::Analysis> {
        match self.repeats {
            Some(analysis) => std::borrow::Cow::Borrowed(analysis),
            None => std::borrow::Cow::Owned(repeats::analyse(self.doc, &self.config.repeats)),
        }
    }
}

/// What the rules keep across runs on successive versions of one document
/// (the language server keeps one per open document): results of pure
/// functions of a sentence's or note's text, and the repeated-sentence
/// join's state. Whatever it holds, `check_cached` returns what `check`
/// returns; what the latest run did not use is dropped, so it does not grow
/// with edits.
#[derive(Debug, Default)]
pub struct Cache {
    repeats: repeats::RepeatCache,
    dates: DateCache,
    /// Whether `check_cached` has run with it.
    filled: bool,
}

impl Cache {
    /// `true` until `check_cached` has run with it. On a cold cache `check`
    /// is the cheaper way to the same result (a batch join on two threads
    /// instead of building the join's state); the language server uses it
    /// for a document's first diagnostics and fills the cache afterwards.
    pub fn is_cold(&self) -> bool {
        !self.filled
    }
}

/// The date rules' part of `Cache`.
#[derive(Debug, Default)]
pub(crate) struct DateCache {
    entities: std::sync::Mutex<rules::EntityCache>,
    source_keys: std::sync::Mutex<rules::SourceKeyCache>,
}

/// The rules whose work `check` runs beside the others'.
const REPEAT_RULES: [&str; 2] = ["AAM101", "AAM102"];

/// The findings in one bibliography file (AAM008, AAM009, AAM010), whose
/// ranges are in `source.text`; `cited` tells whether an article that uses
/// the file cites a key. Suppression comments do not apply: they are in
/// the articles.
pub fn check_bibliography(
    source: &crate::model::bibliography::Source,
    cited: &dyn Fn(&str) -> bool,
    config: &CheckConfig,
) -> Vec<Diagnostic> {
    rules::check_bibliography(source, cited, config)
}

/// Every rule, sorted by code.
pub fn all_rules() -> &'static [&'static Rule] {
    rules::RULES
}

/// The rule with this code or name.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

/// Runs every enabled rule, applies inline suppressions, and returns the
/// diagnostics sorted by position.
///
/// Keeps nothing for a next run: the repeated-sentence analysis is computed
/// in one go (`repeats::analyse`), for the answer `check_cached` gives.
pub fn check(doc: &Document, config: &CheckConfig) -> Vec<Diagnostic> {
    run(doc, config, None, &DateCache::default())
}

/// `check`, reusing what `cache` kept from earlier runs (on this document's
/// earlier versions, or any other). The result is exactly `check`'s.
pub fn check_cached(doc: &Document, config: &CheckConfig, cache: &mut Cache) -> Vec<Diagnostic> {
    let Cache { repeats, dates, filled } = cache;
    *filled = true;
    run(doc, config, Some(repeats), dates)
}

/// The rules, with the repeats' cache or without one.
///
/// The repeated-sentence analysis runs beside the other rules (two threads
/// of the rayon pool); the diagnostics come out in the same order.
fn run(
    doc: &Document,
    config: &CheckConfig,
    repeat_cache: Option<&mut repeats::RepeatCache>,
    dates: &DateCache,
) -> Vec<Diagnostic> {
    let enabled = |code: &str| rule(code).is_some_and(|rule| config.level(rule) != Level::Off);
    let (analysis, mut per_rule) = rayon::join(
        || {
            REPEAT_RULES.iter().any(|code| enabled(code)).then(|| match repeat_cache {
                Some(cache) => cache.analyse(doc, &config.repeats),
                None => repeats::analyse(doc, &config.repeats),
            })
        },
        || {
            let ctx = Context { doc, config, repeats: None, dates };
            run_rules(&ctx, |rule| !REPEAT_RULES.contains(&rule.code))
        },
    );
    let ctx = Context { doc, config, repeats: analysis.as_ref(), dates };
    for (slot, found) in per_rule.iter_mut().zip(run_rules(&ctx, |rule| REPEAT_RULES.contains(&rule.code))) {
        if found.is_some() {
            *slot = found;
        }
    }
    let mut diagnostics: Vec<Diagnostic> = Vec::with_capacity(per_rule.iter().flatten().map(Vec::len).sum());
    for found in per_rule.into_iter().flatten() {
        diagnostics.extend(found);
    }
    sorted(suppression::apply(doc, diagnostics))
}

/// The diagnostics sorted by position, then rule code, in the order given
/// among equals (a stable sort: the keys are sorted, then the diagnostics
/// moved once each, rather than moved around by the sort).
fn sorted(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.range.start(), d.range.end(), d.rule.code);
    if diagnostics.windows(2).all(|pair| key(&pair[0]) <= key(&pair[1])) {
        return diagnostics;
    }
    let mut order: Vec<(usize, usize, &'static str, u32)> = diagnostics
        .iter()
        .enumerate()
        .map(|(at, d)| (d.range.start(), d.range.end(), d.rule.code, at as u32))
        .collect();
    // Each rule's findings mostly come in order: a stable sort merges the
    // runs (ties keep the order given, as `at` would).
    order.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    let mut slots: Vec<Option<Diagnostic>> = diagnostics.into_iter().map(Some).collect();
    order.into_iter().map(|(_, _, _, at)| slots[at as usize].take().expect("each diagnostic once")).collect()
}

/// Runs the enabled rules that `select` picks: each one's diagnostics, or
/// `None`, in registry order.
fn run_rules(ctx: &Context<'_>, select: impl Fn(&Rule) -> bool) -> Vec<Option<Vec<Diagnostic>>> {
    all_rules()
        .iter()
        .map(|rule| {
            let Level::On(severity) = ctx.config.level(rule) else { return None };
            if !select(rule) {
                return None;
            }
            let mut found = Vec::new();
            (rule.check)(ctx, &mut found);
            for diagnostic in &mut found {
                diagnostic.severity = severity;
            }
            Some(found)
        })
        .collect()
}

/// `docs/rules.md`: every rule's documentation, generated from the rule
/// files (a test keeps the committed copy current).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule files by `UPDATE_DOCS=1 cargo test --test docs`; do not edit. -->\n\n",
    );
    out.push_str("| code | name | default | fires on |\n| --- | --- | --- | --- |\n");
    for rule in all_rules() {
        out.push_str(&format!(
            "| [{code}](#{anchor}) | `{name}` | {severity} | {summary} |\n",
            code = rule.code,
            anchor = format!("{}-{}", rule.code, rule.name).to_lowercase(),
            name = rule.name,
            severity = rule.default_level_name(),
            summary = rule.summary,
        ));
    }
    for rule in all_rules() {
        let body = rule.documentation().replace("\n## ", "\n### ");
        let body = body.strip_prefix("## ").map_or(body.clone(), |rest| format!("### {rest}"));
        out.push_str(&format!(
            "\n## {} {}\n\nDefault severity: {}.\n\n{}\n",
            rule.code,
            rule.name,
            if rule.enabled_by_default {
                rule.default_severity.as_str().to_owned()
            } else {
                format!("off ({} when turned on)", rule.default_severity.as_str())
            },
            body.trim_end()
        ));
    }
    out
}
