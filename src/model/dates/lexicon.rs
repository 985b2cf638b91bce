//! The words dates are made of: month and weekday names, relative words,
//! prepositions, number words, and the cues that make a number a year or a
//! sentence a plan.

use std::sync::LazyLock;

use jiff::civil::Weekday;

use super::{Preposition, Unit};

/// A word the scanner stops at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Word {
    Month { month: i8, abbrev: bool },
    Weekday { weekday: Weekday, abbrev: bool },
    Today,
    Yesterday,
    Tomorrow,
    Unit(Unit),
}

const WORDS: &[(&str, Word)] = &[
    ("january", month(1, false)),
    ("jan", month(1, true)),
    ("february", month(2, false)),
    ("feb", month(2, true)),
    ("march", month(3, false)),
    ("mar", month(3, true)),
    ("april", month(4, false)),
    ("apr", month(4, true)),
    ("may", month(5, false)),
    ("june", month(6, false)),
    ("jun", month(6, true)),
    ("july", month(7, false)),
    ("jul", month(7, true)),
    ("august", month(8, false)),
    ("aug", month(8, true)),
    ("september", month(9, false)),
    ("sept", month(9, true)),
    ("sep", month(9, true)),
    ("october", month(10, false)),
    ("oct", month(10, true)),
    ("november", month(11, false)),
    ("nov", month(11, true)),
    ("december", month(12, false)),
    ("dec", month(12, true)),
    ("monday", weekday(Weekday::Monday, false)),
    ("mon", weekday(Weekday::Monday, true)),
    ("tuesday", weekday(Weekday::Tuesday, false)),
    ("tues", weekday(Weekday::Tuesday, true)),
    ("tue", weekday(Weekday::Tuesday, true)),
    ("wednesday", weekday(Weekday::Wednesday, false)),
    ("wed", weekday(Weekday::Wednesday, true)),
    ("thursday", weekday(Weekday::Thursday, false)),
    ("thurs", weekday(Weekday::Thursday, true)),
    ("thur", weekday(Weekday::Thursday, true)),
    ("thu", weekday(Weekday::Thursday, true)),
    ("friday", weekday(Weekday::Friday, false)),
    ("fri", weekday(Weekday::Friday, true)),
    ("saturday", weekday(Weekday::Saturday, false)),
    ("sat", weekday(Weekday::Saturday, true)),
    ("sunday", weekday(Weekday::Sunday, false)),
    ("sun", weekday(Weekday::Sunday, true)),
    ("today", Word::Today),
    ("yesterday", Word::Yesterday),
    ("tomorrow", Word::Tomorrow),
    ("day", Word::Unit(Unit::Day)),
    ("days", Word::Unit(Unit::Day)),
    ("week", Word::Unit(Unit::Week)),
    ("weeks", Word::Unit(Unit::Week)),
    ("month", Word::Unit(Unit::Month)),
    ("months", Word::Unit(Unit::Month)),
    ("year", Word::Unit(Unit::Year)),
    ("years", Word::Unit(Unit::Year)),
];

const fn month(month: i8, abbrev: bool) -> Word {
    Word::Month { month, abbrev }
}

const fn weekday(weekday: Weekday, abbrev: bool) -> Word {
    Word::Weekday { weekday, abbrev }
}

/// The words of one first letter and length.
type Slot = Vec<(&'static [u8], Word)>;

/// The lexicon indexed by first letter and length (3 to 9 letters): a word
/// is compared with the two or three entries of its slot at most.
static TABLE: LazyLock<Vec<Slot>> = LazyLock::new(|| {
    let mut table = vec![Vec::new(); 26 * 10];
    for &(text, word) in WORDS {
        table[slot(text.as_bytes()).expect("lexicon words have 3 to 9 ASCII letters")]
            .push((text.as_bytes(), word));
    }
    table
});

fn slot(word: &[u8]) -> Option<usize> {
    let first = word.first()?.to_ascii_lowercase();
    (first.is_ascii_lowercase() && (3..=9).contains(&word.len()))
        .then(|| usize::from(first - b'a') * 10 + word.len())
}

/// The lexicon word `word` is (ASCII case-insensitive), if any.
pub(super) fn word_of(word: &[u8]) -> Option<Word> {
    TABLE[slot(word)?].iter().find(|(text, _)| text.eq_ignore_ascii_case(word)).map(|&(_, word)| word)
}

/// A preposition or qualifier right before a date, and whether it makes a
/// bare 4-digit number a year (`in 1996`, `since 2001`, `mid-2022`).
pub(super) fn preposition(word: &[u8]) -> Option<(Preposition, bool)> {
    const TABLE: &[(&str, Preposition, bool)] = &[
        ("in", Preposition::In, true),
        ("on", Preposition::On, false),
        ("at", Preposition::At, false),
        ("since", Preposition::Since, true),
        ("by", Preposition::By, true),
        ("before", Preposition::Before, true),
        ("after", Preposition::After, true),
        ("until", Preposition::Until, true),
        ("till", Preposition::Until, true),
        ("from", Preposition::From, true),
        ("between", Preposition::From, true),
        ("to", Preposition::To, false),
        ("through", Preposition::To, false),
        ("during", Preposition::During, true),
        ("throughout", Preposition::During, true),
        ("circa", Preposition::Around, true),
        ("around", Preposition::Around, true),
        ("c.", Preposition::Around, true),
        ("ca.", Preposition::Around, true),
        ("of", Preposition::Of, false),
        ("early", Preposition::Early, true),
        ("mid", Preposition::Mid, true),
        ("late", Preposition::Late, true),
        ("accessed", Preposition::Accessed, false),
        ("retrieved", Preposition::Accessed, false),
        ("archived", Preposition::Accessed, false),
        ("visited", Preposition::Accessed, false),
    ];
    TABLE.iter().find(|(text, ..)| text.as_bytes().eq_ignore_ascii_case(word)).map(|&(_, p, year)| (p, year))
}

/// Words after which `of 1996` is a year: `the summer of 1996`, `the end of 2019`.
pub(super) fn takes_year_after_of(word: &[u8]) -> bool {
    const WORDS: &[&str] = &[
        "end",
        "beginning",
        "start",
        "middle",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "half",
        "quarter",
        "year",
        "as",
        "course",
        "months",
        "weeks",
        "days",
        "election",
        "elections",
    ];
    WORDS.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

/// Words right before a year that make it one without a preposition:
/// `the year 2000`, `Spring 2020`, `fiscal 2021`.
pub(super) fn year_noun(word: &[u8]) -> bool {
    const WORDS: &[&str] = &["year", "spring", "summer", "autumn", "fall", "winter", "fiscal", "FY"];
    WORDS.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

/// Words after a number that make it a count, not a year: `in 2000 cases`.
pub(super) fn is_count_word(word: &[u8]) -> bool {
    const WORDS: &[&str] = &[
        "people",
        "persons",
        "person",
        "cases",
        "deaths",
        "dead",
        "units",
        "votes",
        "troops",
        "soldiers",
        "members",
        "workers",
        "employees",
        "students",
        "residents",
        "times",
        "years",
        "months",
        "weeks",
        "days",
        "hours",
        "minutes",
        "seconds",
        "meters",
        "metres",
        "km",
        "kilometers",
        "kilometres",
        "miles",
        "feet",
        "foot",
        "tons",
        "tonnes",
        "pages",
        "words",
        "copies",
        "dollars",
        "euros",
        "yuan",
        "rubles",
        "roubles",
        "pounds",
        "yen",
        "rupees",
        "percent",
        "per",
        "more",
        "other",
        "others",
        "of",
        "new",
        "additional",
        "items",
        "homes",
        "houses",
        "vehicles",
        "cars",
        "tanks",
        "aircraft",
        "planes",
        "jobs",
        "patients",
        "refugees",
        "civilians",
        "points",
        "signatures",
        "participants",
        "delegates",
        "seats",
        "cubic",
        "square",
        "acres",
        "hectares",
        "barrels",
        "lives",
        "children",
        "women",
        "men",
        "families",
        "households",
        "shares",
        "kg",
        "mg",
        "ml",
        "mm",
        "cm",
        "mph",
        "gb",
        "mb",
        "calories",
        "visitors",
        "users",
        "fans",
        "protesters",
        "officers",
        "police",
        "ships",
        "guns",
        "rounds",
        "bc",
        "bce",
        "ad",
        "ce",
        "b.c.",
        "a.d.",
        "million",
        "billion",
        "thousand",
        "hundred",
    ];
    WORDS.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

/// `a`, `one` … `twelve`, or digits: the amount in `two days later`.
pub(super) fn amount(word: &[u8]) -> Option<i32> {
    const WORDS: &[(&str, i32)] = &[
        ("a", 1),
        ("an", 1),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
    ];
    if !word.is_empty() && word.len() <= 3 && word.iter().all(u8::is_ascii_digit) {
        return std::str::from_utf8(word).ok()?.parse().ok();
    }
    WORDS.iter().find(|(text, _)| text.as_bytes().eq_ignore_ascii_case(word)).map(|&(_, n)| n)
}

/// Words of future or scheduled phrasing.
pub(super) fn has_future_cue(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "will",
        "shall",
        "won't",
        "won’t",
        "expected",
        "expects",
        "scheduled",
        "schedule",
        "plans",
        "plan",
        "planned",
        "planning",
        "due",
        "upcoming",
        "forthcoming",
        "intends",
        "intend",
        "aims",
        "aim",
        "would",
        "'ll",
        "’ll",
        "tentatively",
        "slated",
    ];
    let mut prev: &str = "";
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
        if word.is_empty() {
            continue;
        }
        let lower_match = |w: &str| word.eq_ignore_ascii_case(w);
        if WORDS.iter().any(|w| lower_match(w)) || word.ends_with("'ll") || word.ends_with("’ll") {
            return true;
        }
        // `set to`, `is to be held`, `going to`.
        if (prev.eq_ignore_ascii_case("set") || prev.eq_ignore_ascii_case("going")) && lower_match("to") {
            return true;
        }
        if prev.eq_ignore_ascii_case("to") && lower_match("be") {
            return true;
        }
        prev = word;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn future_cues() {
        for text in [
            "The summit will open",
            "is scheduled for",
            "is expected on",
            "plans to visit",
            "is due",
            "set to meet",
            "is to be held",
            "they'll meet",
        ] {
            assert!(has_future_cue(text), "{text}");
        }
        for text in ["The summit opened", "the settlement", "a willow", "the sunset", "Tobe said"] {
            assert!(!has_future_cue(text), "{text}");
        }
    }

    #[test]
    fn words() {
        assert_eq!(word_of(b"Sept"), Some(Word::Month { month: 9, abbrev: true }));
        assert_eq!(word_of(b"SUNDAY"), Some(Word::Weekday { weekday: Weekday::Sunday, abbrev: false }));
        assert_eq!(word_of(b"Sundays"), None);
        assert_eq!(amount(b"two"), Some(2));
        assert_eq!(amount(b"12"), Some(12));
    }
}
