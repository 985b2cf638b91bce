//! Entities with a lifetime: states, organisations and offices that began,
//! ended or were renamed (`data/entities.toml`, extendable in `aam.toml`).
//! AAM206 reads them.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use super::DateValue;
use crate::text::TextRange;

/// An entity and the span it existed under its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The name used in messages: `Soviet Union`.
    pub name: String,
    /// Other names matched in the text: `USSR`, `Union of Soviet Socialist Republics`.
    pub aliases: Vec<String>,
    /// First day (or month, or year) it existed under these names; `None`
    /// when it only matters that it ended.
    pub start: Option<DateValue>,
    /// Last day (or month, or year); `None` when it still exists.
    pub end: Option<DateValue>,
    /// Where the dates come from.
    pub source: String,
    /// What became of it: `renamed Myanmar`.
    pub note: Option<String>,
}

/// An entity as written in TOML (`data/entities.toml`, `[[entities]]` in
/// `aam.toml`): dates are `1991-12-26`, `1991-12` or `1991`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityFile {
    entities: Vec<EntityDef>,
}

impl Entity {
    /// `1922–1991`, `since 1993`, `until 2018`.
    pub fn lifespan(&self) -> String {
        let year =
            |value: &Option<DateValue>| value.and_then(|v| v.interval()).map(|(first, _)| first.year());
        match (year(&self.start), self.end.and_then(|v| v.interval()).map(|(_, last)| last.year())) {
            (Some(start), Some(end)) => format!("{start}–{end}"),
            (Some(start), None) => format!("since {start}"),
            (None, Some(end)) => format!("until {end}"),
            (None, None) => String::from("always"),
        }
    }

    /// `true` when the entity existed at some point of `value`.
    pub fn overlaps(&self, first: jiff::civil::Date, last: jiff::civil::Date) -> bool {
        let started = self.start.and_then(|v| v.interval()).is_none_or(|(start, _)| last >= start);
        let not_ended = self.end.and_then(|v| v.interval()).is_none_or(|(_, end)| first <= end);
        started && not_ended
    }
}

/// Reads a bound: `1991-12-26`, `1991-12` or `1991`.
pub fn parse_bound(text: &str) -> Option<DateValue> {
    let text = text.trim();
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return Some(DateValue::Day(date));
    }
    let mut parts = text.split('-');
    let year: i16 = parts.next()?.parse().ok()?;
    match (parts.next(), parts.next()) {
        (None, _) if text.len() == 4 => Some(DateValue::Year(year)),
        (Some(month), None) => {
            let month: i8 = month.parse().ok()?;
            (1..=12).contains(&month).then_some(DateValue::Month { year, month })
        }
        _ => None,
    }
}

/// Turns definitions into entities; the error names the first bad one.
pub fn from_defs(defs: &[EntityDef]) -> Result<Vec<Entity>, String> {
    defs.iter()
        .map(|def| {
            let bound = |value: &Option<String>, what: &str| match value {
                None => Ok(None),
                Some(text) => parse_bound(text).map(Some).ok_or_else(|| {
                    format!(
                        "entity `{}`: {what} `{text}` is not a date like 1991-12-26, 1991-12 or 1991",
                        def.name
                    )
                }),
            };
            if def.name.trim().is_empty() {
                return Err(String::from("an entity has an empty name"));
            }
            let start = bound(&def.start, "start")?;
            let end = bound(&def.end, "end")?;
            if start.is_none() && end.is_none() {
                return Err(format!("entity `{}` has neither start nor end", def.name));
            }
            Ok(Entity {
                name: def.name.trim().to_owned(),
                aliases: def.aliases.iter().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect(),
                start,
                end,
                source: def.source.clone().unwrap_or_default(),
                note: def.note.clone(),
            })
        })
        .collect()
}

/// The entities shipped with aam (`data/entities.toml`).
pub fn builtin() -> &'static [Entity] {
    static BUILTIN: LazyLock<Vec<Entity>> = LazyLock::new(|| {
        let file: EntityFile = toml::from_str(include_str!("../../../data/entities.toml"))
            .expect("data/entities.toml is valid TOML");
        from_defs(&file.entities).expect("data/entities.toml has valid entities")
    });
    &BUILTIN
}

/// Finds entity names in text: case-sensitive, whole words, longest first.
#[derive(Debug)]
pub struct EntityMatcher {
    automaton: AhoCorasick,
    /// For each pattern, the index of its entity.
    pattern_entity: Vec<usize>,
    entities: Vec<Entity>,
}

impl EntityMatcher {
    pub fn new(entities: Vec<Entity>) -> EntityMatcher {
        let mut patterns = Vec::new();
        let mut pattern_entity = Vec::new();
        for (idx, entity) in entities.iter().enumerate() {
            for name in std::iter::once(&entity.name).chain(&entity.aliases) {
                patterns.push(name.clone());
                pattern_entity.push(idx);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .expect("entity names form a valid automaton");
        EntityMatcher { automaton, pattern_entity, entities }
    }

    /// The matcher of the built-in entities.
    pub fn builtin() -> &'static EntityMatcher {
        static MATCHER: LazyLock<EntityMatcher> = LazyLock::new(|| EntityMatcher::new(builtin().to_vec()));
        &MATCHER
    }

    /// The built-in entities plus `extra` (which come first, so a
    /// configured entity with a built-in name wins).
    pub fn with_extra(extra: &[Entity]) -> EntityMatcher {
        let mut entities = extra.to_vec();
        entities.extend(builtin().iter().filter(|e| !extra.iter().any(|x| x.name == e.name)).cloned());
        EntityMatcher::new(entities)
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Entity names in `text[range]`, as (range, entity index).
    pub fn find<'a>(
        &'a self,
        text: &'a str,
        range: TextRange,
    ) -> impl Iterator<Item = (TextRange, usize)> + 'a {
        let input = aho_corasick::Input::new(&text[..range.end()]).range(range.start()..range.end());
        self.automaton.find_iter(input).filter_map(move |m| {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let boundary =
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
            boundary
                .then(|| (TextRange::new(m.start(), m.end()), self.pattern_entity[m.pattern().as_usize()]))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_entities_load() {
        let entities = builtin();
        assert!(entities.len() >= 60, "{} entities", entities.len());
        for entity in entities {
            assert!(!entity.source.is_empty(), "{} has no source", entity.name);
        }
        let soviet = entities.iter().find(|e| e.name == "Soviet Union").unwrap();
        assert_eq!(soviet.lifespan(), "1922–1991");
    }

    #[test]
    fn bounds() {
        assert_eq!(parse_bound("1991"), Some(DateValue::Year(1991)));
        assert_eq!(parse_bound("1991-12"), Some(DateValue::Month { year: 1991, month: 12 }));
        assert!(matches!(parse_bound("1991-12-26"), Some(DateValue::Day(_))));
        assert_eq!(parse_bound("1991-13"), None);
        assert_eq!(parse_bound("soon"), None);
    }

    #[test]
    fn matches_whole_words_only() {
        let matcher = EntityMatcher::builtin();
        let text = "the USSR and the Soviet Union, not USSRs or Zaireans";
        let names: Vec<&str> =
            matcher.find(text, TextRange::new(0, text.len())).map(|(r, _)| &text[r.as_range()]).collect();
        assert_eq!(names, ["USSR", "Soviet Union"]);
    }
}
