//! AAM206 `entity-anachronism`: a dated statement about an entity outside
//! the years it existed.

use jiff::civil::Date;

use crate::checks::{Context, Diagnostic, Rule, Severity};
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::model::BlockKind;
use crate::model::dates::entities::{Entity, EntityMatcher};
use crate::model::dates::{DateMention, Preposition, prose};
use crate::text::TextRange;

/// ## What it does
/// Flags a sentence that dates something involving a state, organisation or
/// office outside the span it existed under that name: `an upgrade in 1996 …
/// with the Soviet Union` (dissolved in 1991), `In 1995 Czechoslovakia
/// renewed …` (split in 1993), `the G8 met in 2016`. Entities, their names,
/// aliases and spans come from `data/entities.toml` (about a hundred states,
/// organisations and offices, each with a source) and from `[[entities]]` in
/// `aam.toml`.
///
/// For each entity name in a sentence, the nearest date of the sentence is
/// compared with the entity's span; `since 2001` and `after 2001` reach
/// forward, `before 1991`, `by 1991`, `until 1991` reach back, so `before
/// 1991, when the Soviet Union still existed` is fine. Historical phrasing is
/// left alone: a name right after `former`, `ex-`, `the late`, `post-`, or
/// after `after the`/`since the`/`before the`, and sentences with words like
/// `former(ly)`, `dissolution`, `collapse`, `breakup`, `successor`,
/// `legacy`, `renamed`, `became`, `replaced`, `still`, `no longer`,
/// `existed`, `once`, `inherited`. Notes and block quotes are not checked.
///
/// ## Why is this bad?
/// Naming an entity that did not exist at the time is a factual slip (the
/// Soviet Union for Russia, Burma after 1989) that careful readers notice
/// first.
///
/// ## Example
/// ```text
/// Relations culminated in an upgrade in 1996 with the Soviet Union.
/// ```
///
/// ## Fix
/// Name the entity of that time (`the Russian Federation`), correct the
/// date, or make the historical reference explicit (`the former Soviet
/// Union`).
pub(crate) const RULE: Rule = Rule {
    code: "AAM206",
    name: "entity-anachronism",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a dated statement about an entity outside the years it existed",
    check,
    source: include_str!("entity_anachronism.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    if doc.dates.is_empty() {
        return;
    }
    let mut cache = ctx.dates.entities.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let cache = cache.begin(&ctx.config.entities);
    for sentence in &doc.sentences {
        if matches!(sentence.context, BlockKind::Note | BlockKind::Quote) {
            continue;
        }
        let first = doc.dates.partition_point(|m| m.range.start() < sentence.range.start());
        let inside = doc.dates[first..].iter().take_while(|m| m.range.end() <= sentence.range.end()).count();
        let mentions = || doc.dates[first..first + inside].iter().filter(|m| m.value.precision().is_some());
        if mentions().next().is_none() {
            continue;
        }
        let (matcher, found) = cache.lookup(doc.text(), sentence.range);
        let base = sentence.range.start();
        for (at, &(start, end, entity_idx)) in found.names.iter().enumerate() {
            let name_range = TextRange::new(base + start as usize, base + end as usize);
            if doc.in_code_or_comment(name_range.start()) || found.prefixed[at] {
                continue;
            }
            let Some(mention) = mentions().min_by_key(|m| distance(m.range, name_range)) else {
                continue;
            };
            let Some((first, last)) = reach(mention) else { continue };
            let entity = &matcher.entities()[entity_idx];
            if entity.overlaps(first, last) {
                continue;
            }
            if *found.historical.get_or_insert_with(|| historical_sentence(doc.slice(sentence.range))) {
                break;
            }
            let name = doc.slice(name_range);
            let state = match (&entity.end, &entity.start) {
                (Some(end), _) if end.interval().is_some_and(|(_, end)| first > end) => {
                    format!("no longer existed under that name in {}", prose(&mention.value))
                }
                _ => format!("did not exist yet in {}", prose(&mention.value)),
            };
            let message = format!("{name} {state} (it existed {})", entity.lifespan());
            let mut related = format!("{} existed {}", entity.name, entity.lifespan());
            if let Some(note) = &entity.note {
                related.push_str(&format!(": {note}"));
            }
            if !entity.source.is_empty() {
                related.push_str(&format!(" (source: {})", entity.source));
            }
            acc.push(Diagnostic::new(&RULE, mention.range, message).with_related(name_range, related));
        }
    }
    cache.finish();
}

/// The days a dated statement can refer to, by its preposition.
fn reach(mention: &DateMention) -> Option<(Date, Date)> {
    let (first, last) = mention.value.interval()?;
    Some(match mention.preposition {
        Some(Preposition::Since | Preposition::After | Preposition::From) => (first, Date::MAX),
        Some(Preposition::Before | Preposition::By | Preposition::Until) => (Date::MIN, last),
        _ => (first, last),
    })
}

fn distance(a: TextRange, b: TextRange) -> usize {
    if a.end() <= b.start() {
        b.start() - a.end()
    } else if b.end() <= a.start() {
        a.start() - b.end()
    } else {
        0
    }
}

/// `the former Soviet Union`, `ex-Yugoslavia`, `after the Soviet Union`.
fn historical_prefix(before: &str) -> bool {
    let mut words =
        before.rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty());
    let word1 = words.next().unwrap_or("").to_ascii_lowercase();
    let word2 = words.next().unwrap_or("").to_ascii_lowercase();
    const PREFIXES: &[&str] =
        &["former", "ex", "erstwhile", "defunct", "late", "onetime", "one-time", "post", "pre", "then"];
    if PREFIXES.contains(&word1.as_str()) || (word1 == "the" && PREFIXES.contains(&word2.as_str())) {
        return true;
    }
    word1 == "the" && matches!(word2.as_str(), "after" | "since" | "before" | "until")
}

/// Words that make a sentence speak of an entity as history.
fn historical_sentence(text: &str) -> bool {
    const CUES: &[&str] = &[
        "former",
        "formerly",
        "dissolution",
        "dissolved",
        "collapse",
        "collapsed",
        "breakup",
        "break-up",
        "demise",
        "successor",
        "successors",
        "legacy",
        "remnants",
        "abolished",
        "renamed",
        "became",
        "replaced",
        "reunification",
        "reunified",
        "ceased",
        "defunct",
        "existed",
        "once",
        "still",
        "inherited",
        "heir",
        "disbanded",
        "historically",
        "erstwhile",
    ];
    let lower = text.to_lowercase();
    if lower.contains("no longer") || lower.contains("used to") || lower.contains("fall of") {
        return true;
    }
    lower.split(|c: char| !(c.is_alphanumeric() || c == '-')).any(|word| CUES.contains(&word))
}

/// What AAM206 keeps across runs: the entity names in each sentence text
/// seen in the latest run (with the characters around it, which decide the
/// word boundaries), found with the matcher of the configured entities.
#[derive(Debug, Default)]
pub(crate) struct EntityCache {
    /// The configured entities, and their matcher when there are any.
    extra: Vec<Entity>,
    matcher: Option<EntityMatcher>,
    found: FxHashMap<u64, Vec<Found>>,
    run: u64,
}

#[derive(Debug)]
struct Found {
    before: Option<char>,
    after: Option<char>,
    text: Box<str>,
    /// (start, end) relative to the text, and the entity.
    names: Vec<(u32, u32, usize)>,
    /// By name: whether historical phrasing comes right before it
    /// (`historical_prefix` of the text before it).
    prefixed: Vec<bool>,
    /// `historical_sentence` of the text, once a run needed it.
    historical: Option<bool>,
    run: u64,
}

impl EntityCache {
    fn begin(&mut self, extra: &[Entity]) -> &mut EntityCache {
        if self.extra != extra {
            self.extra = extra.to_vec();
            self.matcher = (!extra.is_empty()).then(|| EntityMatcher::with_extra(extra));
            self.found.clear();
        }
        self.run += 1;
        self
    }

    /// What is kept of `text[range]` (`EntityMatcher::find` in it, and
    /// the historical phrasing around the names): from the cache when the
    /// same text stood between the same characters in the latest run.
    /// Also the matcher, whose entities the names index.
    fn lookup(&mut self, text: &str, range: TextRange) -> (&EntityMatcher, &mut Found) {
        let slice = &text[range.as_range()];
        let before = text[..range.start()].chars().next_back();
        let after = text[range.end()..].chars().next();
        let mut hasher = FxHasher::default();
        (before, slice, after).hash(&mut hasher);
        let hash = hasher.finish();
        let run = self.run;
        let matcher = self.matcher.as_ref().unwrap_or_else(|| EntityMatcher::builtin());
        let bucket = self.found.entry(hash).or_default();
        let at = match bucket.iter().position(|f| f.before == before && f.after == after && *f.text == *slice)
        {
            Some(at) => at,
            None => {
                let names: Vec<(u32, u32, usize)> = matcher
                    .find(text, range)
                    .map(|(name, entity)| {
                        ((name.start() - range.start()) as u32, (name.end() - range.start()) as u32, entity)
                    })
                    .collect();
                let prefixed =
                    names.iter().map(|&(start, _, _)| historical_prefix(&slice[..start as usize])).collect();
                bucket.push(Found {
                    before,
                    after,
                    text: slice.into(),
                    names,
                    prefixed,
                    historical: None,
                    run,
                });
                bucket.len() - 1
            }
        };
        let found = &mut bucket[at];
        found.run = run;
        (matcher, found)
    }

    /// Drops what the latest run did not use.
    fn finish(&mut self) {
        super::retain_run(&mut self.found, self.run, |found| found.run);
    }
}
