//! Word lists and the stemmer: stop words, negations, irregular forms, number
//! and currency words, and opposite pairs.
//!
//! Everything here works on lowercase words. A word's *stem* is its lemma from
//! the irregular table (`had` → `have`, `rose` → `rise`) run through the
//! Snowball (Porter2) English stemmer (`relations` → `relat`).

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

/// The kind of a lowercase word for the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordClass {
    /// Function words: left out of the comparison.
    Stop,
    /// `not`, `never`, `without` …: counted, not compared as words.
    Negation,
    /// A word that states a quantity or a unit (`five`, `million`,
    /// `percent`, `dollars`): a fact, like a number.
    Quantity,
    /// Any other word.
    Content,
}

pub(super) fn classify(word: &str) -> WordClass {
    if NEGATIONS.contains(&word) {
        WordClass::Negation
    } else if STOP_WORDS.contains(word) {
        WordClass::Stop
    } else if QUANTITY_WORDS.contains(word) {
        WordClass::Quantity
    } else {
        WordClass::Content
    }
}

/// Digits for a spelled-out cardinal (`five` → `5`), so that `5` and `five`
/// are the same fact.
pub(super) fn cardinal(word: &str) -> Option<&'static str> {
    CARDINALS.iter().find(|(name, _)| *name == word).map(|(_, digits)| *digits)
}

/// The stem of a lowercase word: its lemma, stemmed.
pub(super) fn stem(word: &str) -> String {
    let lemma = IRREGULAR.get(word).copied().unwrap_or(word);
    STEMMER.stem(lemma).into_owned()
}

/// The stems opposite to a lowercase word's stem: from the table of pairs
/// (`rise` / `fall`), and the word without a negating prefix (`unlikely` →
/// `likely`).
pub(super) fn opposites(word: &str, word_stem: &str, out: &mut Vec<String>) {
    if let Some(list) = OPPOSITES.get(word_stem) {
        out.extend(list.iter().cloned());
    }
    for prefix in NEGATING_PREFIXES {
        if let Some(rest) = word.strip_prefix(prefix)
            && rest.len() >= 4
            && rest.bytes().all(|b| b.is_ascii_lowercase())
        {
            out.push(stem(rest));
        }
    }
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

const NEGATIONS: &[&str] =
    &["not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "without", "cannot"];

const NEGATING_PREFIXES: &[&str] = &["un", "non", "dis", "in", "im", "il", "ir"];

static STOP_WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| STOP_LIST.iter().copied().collect());

/// Function words: articles, pronouns, prepositions, conjunctions,
/// auxiliaries and modal verbs, and a few empty adverbs. Tense lives in the
/// auxiliaries (`has signed`, `had signed`), so leaving them out makes tense
/// changes invisible, as they should be. `before`/`after`, `more`/`less` and
/// the like are *not* stop words: they change a claim.
const STOP_LIST: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "against",
    "ago",
    "all",
    "along",
    "also",
    "although",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "at",
    "be",
    "became",
    "because",
    "become",
    "becomes",
    "been",
    "being",
    "between",
    "both",
    "but",
    "by",
    "ca",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "may",
    "me",
    "might",
    "mine",
    "must",
    "my",
    "myself",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "ones",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "quite",
    "rather",
    "really",
    "same",
    "shall",
    "she",
    "should",
    "since",
    "so",
    "some",
    "somehow",
    "something",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "whatever",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "wo",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

static QUANTITY_WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let mut set: FxHashSet<&'static str> = QUANTITY_LIST.iter().copied().collect();
    set.extend(CARDINALS.iter().map(|(name, _)| *name));
    set
});

/// Words that state a quantity or a unit of an amount; the cardinals are in
/// `CARDINALS`.
const QUANTITY_LIST: &[&str] = &[
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "trillions",
    "dozen",
    "dozens",
    "half",
    "quarter",
    "twice",
    "thrice",
    "double",
    "triple",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "percent",
    "%",
    "dollar",
    "dollars",
    "euro",
    "euros",
    "yuan",
    "renminbi",
    "rouble",
    "roubles",
    "ruble",
    "rubles",
    "yen",
    "rupee",
    "rupees",
    "franc",
    "francs",
    "$",
    "€",
    "£",
    "¥",
    "₽",
    "₹",
];

const CARDINALS: &[(&str, &str)] = &[
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("thirteen", "13"),
    ("fourteen", "14"),
    ("fifteen", "15"),
    ("sixteen", "16"),
    ("seventeen", "17"),
    ("eighteen", "18"),
    ("nineteen", "19"),
    ("twenty", "20"),
    ("thirty", "30"),
    ("forty", "40"),
    ("fifty", "50"),
    ("sixty", "60"),
    ("seventy", "70"),
    ("eighty", "80"),
    ("ninety", "90"),
];

static IRREGULAR: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for (lemma, forms) in IRREGULAR_FORMS {
        for form in forms.split(' ') {
            map.insert(form, *lemma);
        }
    }
    map
});

/// Irregular verbs, nouns and comparatives: lemma, then its other forms. The
/// stemmer handles the regular ones (`signed`, `relations`, `improving`).
const IRREGULAR_FORMS: &[(&str, &str)] = &[
    ("arise", "arose arisen"),
    ("bear", "bore borne"),
    ("beat", "beaten"),
    ("begin", "began begun"),
    ("bend", "bent"),
    ("bid", "bade bidden"),
    ("bind", "bound"),
    ("bite", "bitten"),
    ("blow", "blew blown"),
    ("break", "broke broken"),
    ("bring", "brought"),
    ("build", "built"),
    ("burn", "burnt"),
    ("buy", "bought"),
    ("catch", "caught"),
    ("choose", "chose chosen"),
    ("cling", "clung"),
    ("come", "came"),
    ("creep", "crept"),
    ("deal", "dealt"),
    ("dig", "dug"),
    ("draw", "drew drawn"),
    ("dream", "dreamt"),
    ("drink", "drank drunk"),
    ("drive", "drove driven"),
    ("eat", "ate eaten"),
    ("fall", "fell fallen"),
    ("feed", "fed"),
    ("feel", "felt"),
    ("fight", "fought"),
    ("find", "found"),
    ("flee", "fled"),
    ("fly", "flew flown"),
    ("forbid", "forbade forbidden"),
    ("forecast", "forecasted"),
    ("foresee", "foresaw foreseen"),
    ("forget", "forgot forgotten"),
    ("forgive", "forgave forgiven"),
    ("freeze", "froze frozen"),
    ("get", "got gotten"),
    ("give", "gave given"),
    ("go", "went gone goes"),
    ("grow", "grew grown"),
    ("hang", "hung"),
    ("hear", "heard"),
    ("hide", "hid hidden"),
    ("hold", "held"),
    ("keep", "kept"),
    ("kneel", "knelt"),
    ("know", "knew known"),
    ("lay", "laid"),
    ("lead", "led"),
    ("lean", "leant"),
    ("leave", "left"),
    ("lend", "lent"),
    ("lie", "lain"),
    ("light", "lit"),
    ("lose", "lost"),
    ("make", "made"),
    ("mean", "meant"),
    ("meet", "met"),
    ("mislead", "misled"),
    ("overcome", "overcame"),
    ("oversee", "oversaw overseen"),
    ("overtake", "overtook overtaken"),
    ("overthrow", "overthrew overthrown"),
    ("pay", "paid"),
    ("prove", "proven"),
    ("rebuild", "rebuilt"),
    ("ride", "rode ridden"),
    ("ring", "rang rung"),
    ("rise", "rose risen"),
    ("run", "ran"),
    ("say", "said says"),
    ("see", "saw seen"),
    ("seek", "sought"),
    ("sell", "sold"),
    ("send", "sent"),
    ("shake", "shook shaken"),
    ("shine", "shone"),
    ("shoot", "shot"),
    ("show", "shown"),
    ("shrink", "shrank shrunk"),
    ("sing", "sang sung"),
    ("sink", "sank sunk"),
    ("sit", "sat"),
    ("sleep", "slept"),
    ("slide", "slid"),
    ("speak", "spoke spoken"),
    ("speed", "sped"),
    ("spend", "spent"),
    ("spin", "spun"),
    ("spring", "sprang sprung"),
    ("stand", "stood"),
    ("steal", "stole stolen"),
    ("stick", "stuck"),
    ("sting", "stung"),
    ("strike", "struck stricken"),
    ("strive", "strove striven"),
    ("swear", "swore sworn"),
    ("sweep", "swept"),
    ("swim", "swam swum"),
    ("swing", "swung"),
    ("take", "took taken"),
    ("teach", "taught"),
    ("tear", "tore torn"),
    ("tell", "told"),
    ("think", "thought"),
    ("throw", "threw thrown"),
    ("tread", "trod trodden"),
    ("undergo", "underwent undergone"),
    ("understand", "understood"),
    ("undertake", "undertook undertaken"),
    ("uphold", "upheld"),
    ("wake", "woke woken"),
    ("wear", "wore worn"),
    ("weep", "wept"),
    ("win", "won"),
    ("withdraw", "withdrew withdrawn"),
    ("withhold", "withheld"),
    ("withstand", "withstood"),
    ("write", "wrote written"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("person", "persons"),
    ("foot", "feet"),
    ("tooth", "teeth"),
    ("mouse", "mice"),
    ("analysis", "analyses"),
    ("crisis", "crises"),
    ("thesis", "theses"),
    ("criterion", "criteria"),
    ("phenomenon", "phenomena"),
    ("medium", "media"),
    ("good", "better best"),
    ("bad", "worse worst"),
    ("far", "farther furthest farthest"),
    ("little", "less least"),
    ("much", "more most"),
];

static OPPOSITES: LazyLock<FxHashMap<String, Vec<String>>> = LazyLock::new(|| {
    let mut map: FxHashMap<String, Vec<String>> = FxHashMap::default();
    for (left, right) in OPPOSITE_PAIRS {
        let (left, right) = (stem(left), stem(right));
        map.entry(left.clone()).or_default().push(right.clone());
        map.entry(right).or_default().push(left);
    }
    map
});

/// Pairs of lemmas that turn a claim around: "exports rose" and "exports
/// fell" are not the same sentence written twice.
const OPPOSITE_PAIRS: &[(&str, &str)] = &[
    ("accept", "reject"),
    ("add", "remove"),
    ("after", "before"),
    ("agree", "disagree"),
    ("allow", "forbid"),
    ("allow", "ban"),
    ("approve", "reject"),
    ("ally", "enemy"),
    ("begin", "end"),
    ("confirm", "deny"),
    ("cut", "raise"),
    ("early", "late"),
    ("earlier", "later"),
    ("east", "west"),
    ("enter", "leave"),
    ("fail", "succeed"),
    ("failure", "success"),
    ("friend", "enemy"),
    ("gain", "loss"),
    ("gain", "lose"),
    ("good", "bad"),
    ("high", "low"),
    ("higher", "lower"),
    ("import", "export"),
    ("improve", "worsen"),
    ("increase", "decrease"),
    ("increase", "reduce"),
    ("largest", "smallest"),
    ("large", "small"),
    ("less", "more"),
    ("fewer", "more"),
    ("lift", "impose"),
    ("long", "short"),
    ("lower", "raise"),
    ("major", "minor"),
    ("maximum", "minimum"),
    ("north", "south"),
    ("open", "close"),
    ("past", "future"),
    ("peace", "war"),
    ("praise", "criticize"),
    ("profit", "loss"),
    ("praise", "condemn"),
    ("rise", "fall"),
    ("rise", "drop"),
    ("rise", "decline"),
    ("grow", "shrink"),
    ("grow", "decline"),
    ("strengthen", "weaken"),
    ("strong", "weak"),
    ("support", "oppose"),
    ("true", "false"),
    ("up", "down"),
    ("win", "lose"),
    ("winner", "loser"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tense_and_number_share_a_stem() {
        assert_eq!(stem("relations"), stem("relation"));
        assert_eq!(stem("rose"), stem("rising"));
        assert_eq!(stem("met"), stem("meeting"));
        assert_eq!(stem("signed"), stem("signs"));
        assert_ne!(stem("rise"), stem("fall"));
    }

    #[test]
    fn classes() {
        assert_eq!(classify("had"), WordClass::Stop);
        assert_eq!(classify("never"), WordClass::Negation);
        assert_eq!(classify("million"), WordClass::Quantity);
        assert_eq!(classify("seven"), WordClass::Quantity);
        assert_eq!(classify("history"), WordClass::Content);
        assert_eq!(cardinal("seven"), Some("7"));
    }

    #[test]
    fn opposite_words() {
        let mut out = Vec::new();
        opposites("rose", &stem("rose"), &mut out);
        assert!(out.contains(&stem("fall")), "{out:?}");
        out.clear();
        opposites("unlikely", &stem("unlikely"), &mut out);
        assert!(out.contains(&stem("likely")), "{out:?}");
    }
}
