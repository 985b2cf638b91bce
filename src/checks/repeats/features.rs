//! `Features`: what the comparison knows about one sentence, computed from its
//! text alone.
//!
//! The text is normalised (Unicode NFKC, lowercase, straight quotes and
//! apostrophes, dashes as separators), split into words, and reduced to:
//! - the *key*, the words joined by single spaces: two sentences with the
//!   same key are the same sentence (AAM101). Only its 128-bit XXH3 hash is
//!   kept (`Key`): a tenth of the memory of the text at 10 MB, and two
//!   different keys share a hash with a probability of about 2⁻¹²⁸ a pair;
//! - the *words*: the set of content-word stems (stop words aside), numbers,
//!   quantities and units included, compared for AAM102;
//! - the *facts* among them: numbers, dates, percentages, amounts, names;
//! - the number of negations, and opposite words (`rose` ↔ `fell`);
//! - whether the sentence quotes speech.
//!
//! Every field is a pure function of the text, so a caller (the language
//! server) may cache features by the text's hash.

use std::cell::RefCell;
use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::words::{self, WordClass};

/// A word (stem, number, unit) as a 64-bit id: the FxHash of its text.
pub type WordId = u64;

/// A sentence's key (its normalised text, see the module documentation) as
/// its 128-bit XXH3 hash.
pub type Key = u128;

/// The comparable content of one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    key: Key,
    /// The words, then the facts (`words()`, `facts()`): one allocation a
    /// sentence, not two.
    words_then_facts: Box<[WordId]>,
    /// Where the facts start in `words_then_facts`.
    facts_at: u32,
    opposites: Box<[(WordId, WordId)]>,
    /// The words' bits (`signature`).
    signature: u64,
    negations: u16,
    quoted_speech: bool,
}

/// Quotations of at least this many words make a sentence quoted speech.
pub const QUOTED_SPEECH_WORDS: usize = 4;

impl Features {
    /// The features of a sentence's text (reference markers already removed).
    pub fn of(text: &str) -> Features {
        let text = markup_facts(text);
        let normalized = nfkc(&text);
        let quoted_speech = has_quoted_speech(&normalized);
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { key, tokens, builder } = scratch;
            key.clear();
            tokens.clear();
            builder.clear();
            tokenize_into(&normalized, key, tokens);
            STEMS.with_borrow_mut(|cache| {
                if cache.len() > STEM_CACHE_LIMIT {
                    cache.clear();
                }
                let mut previous: &str = "";
                for (idx, token) in tokens.iter().enumerate() {
                    let text = &key[token.range.clone()];
                    builder.token(cache, text, token, idx == 0, previous);
                    previous = text;
                }
            });
            let Builder { words, facts, opposites, negations } = builder;
            words.sort_unstable();
            words.dedup();
            facts.sort_unstable();
            facts.dedup();
            opposites.sort_unstable();
            opposites.dedup();
            Features {
                key: xxhash_rust::xxh3::xxh3_128(key.as_bytes()),
                words_then_facts: words.iter().chain(facts.iter()).copied().collect(),
                facts_at: words.len() as u32,
                opposites: Box::from(&opposites[..]),
                signature: signature(words),
                negations: *negations,
                quoted_speech,
            }
        })
    }

    /// The hash of the normalised text (lowercase words separated by
    /// single spaces, `key_text`): equal for the same sentence.
    pub fn key(&self) -> Key {
        self.key
    }

    /// The normalised text whose hash `Features::of(text).key()` is.
    pub fn key_text(text: &str) -> String {
        let text = markup_facts(text);
        let normalized = nfkc(&text);
        let mut key = String::with_capacity(normalized.len());
        tokenize_into(&normalized, &mut key, &mut Vec::new());
        key
    }

    /// Content words (stems), numbers and units: sorted, without repeats.
    pub fn words(&self) -> &[WordId] {
        &self.words_then_facts[..self.facts_at as usize]
    }

    /// The words that state a fact: numbers, quantities and units, and
    /// capitalised words after the first word (names, months). Sorted; a
    /// subset of `words`.
    pub fn facts(&self) -> &[WordId] {
        &self.words_then_facts[self.facts_at as usize..]
    }

    /// Pairs `(word, opposite)`: the sentence has `word`, and a sentence with
    /// `opposite` instead says the contrary.
    pub fn opposites(&self) -> &[(WordId, WordId)] {
        &self.opposites
    }

    /// The words as bits: `bit(word)` for each of `words`.
    pub fn signature(&self) -> u64 {
        self.signature
    }

    /// `false` when `word` is surely not among `words` (its bit is not in
    /// the signature); `true` when it may be.
    pub fn may_have(&self, word: WordId) -> bool {
        self.signature & bit(word) != 0
    }

    /// How many negations (`not`, `n't`, `never`, `no`, `without` …).
    pub fn negations(&self) -> u16 {
        self.negations
    }

    /// `true` when the sentence contains a quotation of at least
    /// `QUOTED_SPEECH_WORDS` words.
    pub fn quoted_speech(&self) -> bool {
        self.quoted_speech
    }

    /// `true` when the sentence takes part in the comparison: it quotes no
    /// speech and has at least `min_content_words` content words.
    pub fn is_comparable(&self, min_content_words: usize) -> bool {
        !self.quoted_speech && self.words().len() >= min_content_words.max(1)
    }
}

/// `text` in Unicode NFKC, borrowed when it already is (ASCII, or a quick
/// check says so).
fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.into()
    } else {
        text.nfkc().collect::<String>().into()
    }
}

/// What `Features::of` fills for each sentence, kept per thread so that a
/// sentence allocates only its result.
#[derive(Default)]
struct Scratch {
    /// The sentence's key, before it is hashed.
    key: String,
    tokens: Vec<Token>,
    builder: Builder,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// One bit of 64 per word: a word shared by two sentences has its bit in
/// both signatures, so `popcount(a & b)`, plus the words of `b` that share
/// a bit with another word of `b`, bounds the number of shared words; and a
/// word whose bit a signature lacks is not among its words.
pub(super) fn signature(words: &[WordId]) -> u64 {
    words.iter().fold(0u64, |bits, &word| bits | bit(word))
}

/// A word's bit in a signature.
fn bit(word: WordId) -> u64 {
    1u64 << (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

/// The id of a word's text.
pub fn word_id(text: &str) -> WordId {
    let mut hasher = FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.write_u8(0xff);
    hasher.finish()
}

/// What the comparison needs to know of a lowercase word, computed once per
/// thread and word: its class, its id (its stem's, or its digits' for a
/// spelled-out cardinal) and the ids of its opposites.
struct WordInfo {
    class: WordClass,
    id: WordId,
    opposites: Box<[WordId]>,
}

const STEM_CACHE_LIMIT: usize = 1 << 18;

/// The per-thread cache of `WordInfo`s, by lowercase word.
#[derive(Default)]
struct WordCache {
    /// Words of up to 16 bytes, by their bytes zero-padded into a `u128`
    /// (words hold no NUL): no pointer to follow, no string to compare.
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    infos: Vec<WordInfo>,
}

impl WordCache {
    fn len(&self) -> usize {
        self.infos.len()
    }

    fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
        self.infos.clear();
    }

    fn get(&self, word: &str) -> Option<u32> {
        match short_key(word) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(word).copied(),
        }
    }

    fn insert(&mut self, word: &str, info: WordInfo) {
        let idx = self.infos.len() as u32;
        match short_key(word) {
            Some(key) => self.short.insert(key, idx),
            None => self.long.insert(word.into(), idx),
        };
        self.infos.push(info);
    }
}

/// The bytes of a word of up to 16 bytes, zero-padded into a `u128` (little
/// endian), or `None` for a longer word. Read with at most two overlapping
/// loads, not a copy of variable length.
fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    let len = bytes.len();
    let load8 = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let load4 = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes")));
    // The last `n - k` bytes of the `k`-byte load ending at `n`, moved down
    // to follow the first `k` bytes: the bytes `k..n` (for `k ≤ n ≤ 2k`).
    let tail = |last: u64, n: usize, k: usize| if n == k { 0 } else { last >> ((2 * k - n) * 8) };
    Some(match len {
        17.. => return None,
        8..=16 => u128::from(load8(0)) | u128::from(tail(load8(len - 8), len, 8)) << 64,
        4..=7 => u128::from(load4(0) | tail(load4(len - 4), len, 4) << 32),
        _ => bytes.iter().rev().fold(0, |key, &byte| key << 8 | u128::from(byte)),
    })
}

thread_local! {
    static STEMS: RefCell<WordCache> = RefCell::new(WordCache::default());
}

fn word_info<'c>(cache: &'c mut WordCache, word: &str) -> &'c WordInfo {
    if let Some(idx) = cache.get(word) {
        return &cache.infos[idx as usize];
    }
    {
        let class = words::classify(word);
        let stem = words::stem(word);
        let id = match (class, words::cardinal(word)) {
            (WordClass::Quantity, Some(digits)) => word_id(digits),
            (WordClass::Quantity, None) if word == "percent" => word_id("%"),
            _ => word_id(&stem),
        };
        let mut opposite_stems = Vec::new();
        if class == WordClass::Content {
            words::opposites(word, &stem, &mut opposite_stems);
        }
        let opposites = opposite_stems.iter().map(|s| word_id(s)).collect();
        cache.insert(word, WordInfo { class, id, opposites });
    }
    cache.infos.last().expect("just pushed")
}

#[derive(Default)]
struct Builder {
    words: Vec<WordId>,
    facts: Vec<WordId>,
    opposites: Vec<(WordId, WordId)>,
    negations: u16,
}

impl Builder {
    fn clear(&mut self) {
        self.words.clear();
        self.facts.clear();
        self.opposites.clear();
        self.negations = 0;
    }

    fn token(&mut self, cache: &mut WordCache, text: &str, token: &Token, initial: bool, previous: &str) {
        if token.has_digit {
            self.fact(word_id(strip_ordinal(text)));
            return;
        }
        if token.symbol {
            self.fact(word_info(cache, text).id);
            return;
        }
        let mut word = text;
        if let Some(rest) = word.strip_suffix("n't") {
            self.negations += 1;
            word = rest;
        }
        word = word.strip_suffix("'s").or_else(|| word.strip_suffix('\'')).unwrap_or(word);
        if word.is_empty() {
            return;
        }
        if word == "cent" && previous == "per" {
            self.fact(word_id("%"));
            return;
        }
        let info = word_info(cache, word);
        if token.acronym {
            // `US`, `UN`, `EU`: names, even where the lowercase word is a
            // stop word.
            self.fact(info.id);
            return;
        }
        let class = match info.class {
            // `May` the month, not the modal verb.
            WordClass::Stop if word == "may" && token.capitalised && !initial => WordClass::Content,
            class => class,
        };
        match class {
            WordClass::Stop => {}
            WordClass::Negation => self.negations += 1,
            WordClass::Quantity => self.fact(info.id),
            WordClass::Content => {
                self.words.push(info.id);
                if token.capitalised && !initial {
                    self.facts.push(info.id);
                }
                self.opposites.extend(info.opposites.iter().map(|&opposite| (info.id, opposite)));
            }
        }
    }

    fn fact(&mut self, id: WordId) {
        self.words.push(id);
        self.facts.push(id);
    }
}

/// Markdown's code spans, link targets and bare URLs each become one token
/// that is a fact (a word with digits, from the hash of what it stands for):
/// two sentences about different code, or linking to different places, state
/// different facts, and the words of a path (`/reference/components/input`)
/// are not the sentence's words. The same span gives the same token, so an
/// exact repeat stays one.
fn markup_facts(text: &str) -> std::borrow::Cow<'_, str> {
    let interesting = |b: u8| matches!(b, b'`' | b'(' | b':' | b'@' | b'$' | b'.' | b'_');
    if !text.bytes().any(interesting) {
        return std::borrow::Cow::Borrowed(text);
    }
    let token = |span: &str| {
        let mut hasher = FxHasher::default();
        hasher.write(span.as_bytes());
        format!(" x{} ", hasher.finish() % 1_000_000_000_000)
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        let taken = match bytes[at] {
            // A code span, to its closing run of as many backticks.
            b'`' => {
                let ticks = bytes[at..].iter().take_while(|&&b| b == b'`').count();
                let fence = &text[at..at + ticks];
                text[at + ticks..].find(fence).map(|close| ticks + close + ticks)
            }
            // A link target: `](…)`.
            b'(' if at > 0 && bytes[at - 1] == b']' => text[at..].find(')').map(|close| close + 1),
            // A URL: `scheme://…` to the next blank (trailing punctuation aside).
            b':' if text[at..].starts_with("://") => {
                let start = word_start(text, at, |c| c.is_ascii_alphanumeric());
                if start < copied {
                    None
                } else {
                    let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
                    let end =
                        start + text[start..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']).len();
                    out.push_str(&text[copied..start]);
                    out.push_str(&token(&text[start..end]));
                    copied = end;
                    at = end;
                    continue;
                }
            }
            // A handle: `@name`.
            b'@' if bytes.get(at + 1).is_some_and(|b| b.is_ascii_alphanumeric())
                && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric()) =>
            {
                Some(
                    1 + bytes[at + 1..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
                        .count(),
                )
            }
            // Math: `$$…$$`, or `$…$` with no blank inside its ends.
            b'$' => {
                let double = bytes.get(at + 1) == Some(&b'$');
                let open = if double { 2 } else { 1 };
                let close = &text[at..at + open];
                match text[at + open..].find(close) {
                    Some(len)
                        if len > 0
                            && (double
                                || (!bytes[at + 1].is_ascii_whitespace()
                                    && !bytes[at + open + len - 1].is_ascii_whitespace()
                                    && !bytes.get(at + open + len + 1).is_some_and(u8::is_ascii_digit))) =>
                    {
                        Some(open + len + open)
                    }
                    _ => None,
                }
            }
            // An identifier with `.`, `_` or `::` inside (`opt.prof`,
            // `insert_sorted`, `Layer::new_span`): a name.
            b'.' | b'_' | b':' if at > 0 && bytes[at - 1].is_ascii_alphanumeric() => {
                let start = word_start(text, at, |c| c.is_ascii_alphanumeric() || c == '_');
                let end = at
                    + text[at..]
                        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':')))
                        .unwrap_or(text.len() - at);
                let word = text[start..end].trim_end_matches(['.', ':']);
                let parts: Vec<&str> = word.split(['.', '_', ':']).filter(|p| !p.is_empty()).collect();
                if start >= copied
                    && parts.len() >= 2
                    && parts.iter().any(|p| p.len() >= 2)
                    && word.len() >= 4
                {
                    out.push_str(&text[copied..start]);
                    out.push_str(&token(word));
                    copied = start + word.len();
                    at = copied;
                    continue;
                }
                None
            }
            _ => None,
        };
        match taken {
            Some(len) => {
                out.push_str(&text[copied..at]);
                out.push_str(&token(&text[at..at + len]));
                at += len;
                copied = at;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Where the run of characters `inside` that ends at `at` starts.
fn word_start(text: &str, at: usize, inside: impl Fn(char) -> bool) -> usize {
    text[..at].char_indices().rev().find(|&(_, c)| !inside(c)).map_or(0, |(i, c)| i + c.len_utf8())
}

/// `25th` → `25`; other numbers unchanged.
fn strip_ordinal(text: &str) -> &str {
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(number) = text.strip_suffix(suffix)
            && number.ends_with(|c: char| c.is_ascii_digit())
        {
            return number;
        }
    }
    text
}

/// One word of the normalised text, as a range of the key.
#[derive(Debug, Clone)]
struct Token {
    range: std::ops::Range<usize>,
    has_digit: bool,
    /// `%` or a currency sign.
    symbol: bool,
    /// The first letter is uppercase.
    capitalised: bool,
    /// Two or more letters, all uppercase.
    acronym: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_symbol_token(c: char) -> bool {
    matches!(c, '%' | '$' | '€' | '£' | '¥' | '₽' | '₹')
}

/// `ASCII_WORD[byte]`: 0 for a byte that is not an ASCII letter or digit,
/// else `LETTER`, `LETTER | UPPER` or `DIGIT`.
const ASCII_WORD: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            b'a'..=b'z' => LETTER,
            b'A'..=b'Z' => LETTER | UPPER,
            b'0'..=b'9' => DIGIT,
            _ => 0,
        };
        byte += 1;
    }
    table
};
const LETTER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;

/// Splits `text` into words, appending them lowercased and separated by
/// single spaces to `key`. A word is a run of letters and digits; an
/// apostrophe between letters (`Russia’s`, `didn't`) and a `.` between digits
/// (`5.5`) stay inside it, a `,` between digits (`1,000`) is dropped; `%` and
/// currency signs are words of their own. Everything else separates words.
fn tokenize_into(text: &str, key: &mut String, tokens: &mut Vec<Token>) {
    tokenize_with::<true>(text, key, tokens);
}

/// Starts a word at the end of `key` (after a space, unless it is the
/// first).
fn start_word(key: &mut String, tokens: &mut Vec<Token>, capitalised: bool) {
    if !key.is_empty() {
        key.push(' ');
    }
    tokens.push(Token {
        range: key.len()..key.len(),
        has_digit: false,
        symbol: false,
        capitalised,
        acronym: false,
    });
}

/// `tokenize_into`; without `ASCII_RUNS`, one character at a time (the
/// definition the fast path must equal, for tests).
fn tokenize_with<const ASCII_RUNS: bool>(text: &str, key: &mut String, tokens: &mut Vec<Token>) {
    let mut open = false;
    let (mut letters, mut uppercase) = (0usize, 0usize);
    let bytes = text.as_bytes();
    let mut previous: Option<char> = None;
    let mut at = 0;
    while at < bytes.len() {
        if ASCII_RUNS && bytes[at].is_ascii_alphanumeric() {
            // A run of ASCII letters and digits, copied at once: most of a
            // sentence. The same as the character path below, one
            // character at a time.
            if !open {
                start_word(key, tokens, bytes[at].is_ascii_uppercase());
                open = true;
                letters = 0;
                uppercase = 0;
            }
            let start = at;
            let mut digits = 0;
            while let Some(&class) = bytes.get(at).map(|&byte| &ASCII_WORD[usize::from(byte)])
                && class != 0
            {
                digits += usize::from(class & DIGIT);
                uppercase += usize::from(class & UPPER) >> 1;
                at += 1;
            }
            let digits = digits / usize::from(DIGIT);
            letters += at - start - digits;
            let token = tokens.last_mut().expect("a word is open");
            token.has_digit |= digits > 0;
            let copied = key.len();
            key.push_str(&text[start..at]);
            key[copied..].make_ascii_lowercase();
            previous = Some(char::from(bytes[at - 1]));
            continue;
        }
        let (c, width) = match bytes[at] {
            byte if byte.is_ascii() => (byte as char, 1),
            _ => {
                let c = text[at..].chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            }
        };
        at += width;
        if c.is_alphanumeric() {
            if !open {
                start_word(key, tokens, c.is_uppercase());
                open = true;
                letters = 0;
                uppercase = 0;
            }
            let token = tokens.last_mut().expect("a word is open");
            if c.is_ascii() {
                if c.is_ascii_digit() {
                    token.has_digit = true;
                } else {
                    letters += 1;
                    uppercase += usize::from(c.is_ascii_uppercase());
                }
                key.push(c.to_ascii_lowercase());
            } else {
                if c.is_numeric() {
                    token.has_digit = true;
                } else {
                    letters += 1;
                    uppercase += usize::from(c.is_uppercase());
                }
                key.extend(c.to_lowercase());
            }
            previous = Some(c);
            continue;
        }
        let next = || text[at..].chars().next();
        let inside = open
            && ((is_apostrophe(c)
                && previous.is_some_and(char::is_alphabetic)
                && next().is_some_and(char::is_alphabetic))
                || (matches!(c, '.' | ',')
                    && previous.is_some_and(|p| p.is_ascii_digit())
                    && next().is_some_and(|n| n.is_ascii_digit())));
        if inside {
            match c {
                ',' => {}
                '.' => key.push('.'),
                _ => key.push('\''),
            }
        } else {
            if open {
                let token = tokens.last_mut().expect("a word is open");
                token.range.end = key.len();
                token.acronym = letters >= 2 && uppercase == letters;
                open = false;
            }
            if is_symbol_token(c) {
                if !key.is_empty() {
                    key.push(' ');
                }
                let start = key.len();
                key.push(c);
                tokens.push(Token {
                    range: start..key.len(),
                    has_digit: false,
                    symbol: true,
                    capitalised: false,
                    acronym: false,
                });
            }
        }
        previous = Some(c);
    }
    if open {
        let token = tokens.last_mut().expect("a word is open");
        token.range.end = key.len();
        token.acronym = letters >= 2 && uppercase == letters;
    }
}

/// `true` when `text` contains a quotation of `QUOTED_SPEECH_WORDS` words or
/// more: between double quotes (`“…”`, `"…"`, `«…»`, `„…“`) or single
/// curly quotes (`‘…’`). An opening quote left open runs to the end of the
/// sentence, a closing quote with no opening one runs from its start (a
/// quotation of several sentences).
fn has_quoted_speech(text: &str) -> bool {
    quoted_speech_with::<true>(text)
}

/// `has_quoted_speech`; without `MARKS_ONLY`, looking at every character
/// rather than at the quotation marks `memchr` finds (the definition the
/// fast path must equal, for tests).
fn quoted_speech_with<const MARKS_ONLY: bool>(text: &str) -> bool {
    // Every quotation mark is `"` or starts with byte 0xE2 (`“”„‘`) or 0xC2
    // (`«»`).
    if MARKS_ONLY
        && (memchr::memchr3(b'"', 0xE2, 0xC2, text.as_bytes()).is_none()
            || !text.contains(['"', '“', '”', '«', '»', '„', '‘']))
    {
        return false;
    }
    // Byte ranges of the quotations.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    let mut visit = |idx: usize| {
        let Some(c) = text[idx..].chars().next() else { return };
        let previous = || text[..idx].chars().next_back();
        let next = || text[idx + c.len_utf8()..].chars().next();
        let opens = match c {
            '«' | '„' | '‘' => true,
            '“' | '"' => {
                open.is_none()
                    && (c == '“' || previous().is_none_or(|p| p.is_whitespace() || "([{-–—".contains(p)))
            }
            // An apostrophe: `Russia’s`.
            '’' if previous().is_some_and(char::is_alphabetic) && next().is_some_and(char::is_alphabetic) =>
            {
                return;
            }
            '”' | '»' | '’' => false,
            _ => return,
        };
        if opens {
            open.get_or_insert(idx + c.len_utf8());
        } else if c != '’' || open.is_some() {
            spans.push((open.take().unwrap_or(0), idx));
        }
    };
    if MARKS_ONLY {
        // Each of these bytes starts a character.
        memchr::memchr3_iter(b'"', 0xE2, 0xC2, text.as_bytes()).for_each(&mut visit);
    } else {
        text.char_indices().for_each(|(idx, _)| visit(idx));
    }
    if let Some(start) = open {
        spans.push((start, text.len()));
    }
    spans.iter().any(|&(start, end)| {
        text.get(start..end).is_some_and(|quoted| {
            quoted.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
                >= QUOTED_SPEECH_WORDS
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ignores_case_quotes_dashes_and_punctuation() {
        let a = Features::of("“Relations,” he said — were GOOD.");
        let b = Features::of("\"relations\" he said - were good");
        assert_eq!(Features::key_text("“Relations,” he said — were GOOD."), "relations he said were good");
        assert_eq!(a.key(), b.key());
        assert_eq!(Features::of("Russia’s rise").key(), Features::of("Russia's rise").key());
        assert_eq!(Features::key_text("ＡＢＣ costs 1,000"), "abc costs 1000");
        assert_eq!(Features::of("ＡＢＣ costs 1,000").key(), xxhash_rust::xxh3::xxh3_128(b"abc costs 1000"));
    }

    #[test]
    fn numbers_keep_their_decimal_point() {
        assert_ne!(Features::of("It grew 5.5 percent").key(), Features::of("It grew 55 percent").key());
        assert_eq!(Features::of("on June 25th").facts(), Features::of("on June 25").facts());
    }

    #[test]
    fn content_words_and_facts() {
        let f = Features::of("Russia and China have a long history of good relations.");
        assert_eq!(f.words().len(), 6);
        // `China` is a name; `Russia`, the first word, may be any word.
        assert_eq!(f.facts(), &[word_id(&words::stem("china"))]);
        let g = Features::of("Exports rose 5% in 2021.");
        assert_eq!(g.facts().len(), 3);
        assert_eq!(g.words().len(), 5);
        assert_eq!(Features::of("Five ships").facts(), Features::of("5 ships").facts());
        assert_eq!(Features::of("5 percent").words(), Features::of("5%").words());
        assert_eq!(Features::of("5 per cent").words(), Features::of("5%").words());
        assert_eq!(Features::of("officials in the US").facts().len(), 1);
    }

    #[test]
    fn negations() {
        assert_eq!(Features::of("The ministry did comment.").negations(), 0);
        assert_eq!(Features::of("The ministry did not comment.").negations(), 1);
        assert_eq!(Features::of("The ministry didn't comment.").negations(), 1);
        assert_eq!(
            Features::of("The ministry didn't comment.").words(),
            Features::of("The ministry did comment.").words()
        );
    }

    #[test]
    fn quoted_speech() {
        assert!(has_quoted_speech("“This is Russia’s internal affairs,” said a spokesperson."));
        assert!(has_quoted_speech("He said \"we will not back down now\" and left."));
        assert!(has_quoted_speech("“The talks went well, and we will meet again."));
        assert!(has_quoted_speech("We will meet again,” she added."));
        assert!(!has_quoted_speech("an upgrade to a “strategic coordination partnership,” with Russia"));
        assert!(!has_quoted_speech("Russia’s neighbours and China’s partners met."));
        assert!(!has_quoted_speech("He called it an \"armed uprising\" on Sunday."));
    }

    /// Texts of up to 40 of `pieces`, each drawn with repetition.
    fn texts_of(pieces: &[&'static str]) -> impl proptest::strategy::Strategy<Value = String> + use<> {
        use proptest::strategy::Strategy;
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..40)
            .prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #[test]
        fn tokenize_equals_the_character_by_character_definition(text in texts_of(&[
            "a", "Z", "Ab", "5", "07", " ", "  ", "'", "’", "ʼ", ".", ",", "%", "€", "$", "é", "Ä", "ß", "٣", "ǅ",
            "İ", "-", "—", "\"", "“", "\n", "n't", "S", "x1",
        ])) {
            let (mut fast, mut slow) = (String::new(), String::new());
            let mut fast_tokens = Vec::new();
            tokenize_into(&text, &mut fast, &mut fast_tokens);
            let mut slow_tokens = Vec::new();
            tokenize_with::<false>(&text, &mut slow, &mut slow_tokens);
            proptest::prop_assert_eq!(&fast, &slow);
            proptest::prop_assert_eq!(format!("{fast_tokens:?}"), format!("{slow_tokens:?}"));
        }

        #[test]
        fn quoted_speech_equals_the_character_by_character_definition(text in texts_of(&[
            "a", "word", " ", "  ", "\"", "“", "”", "«", "»", "„", "‘", "’", "(", "—", "-", "é", "Â", "5", "\u{a0}",
            "\u{2028}",
        ])) {
            proptest::prop_assert_eq!(has_quoted_speech(&text), quoted_speech_with::<false>(&text), "{:?}", text);
        }
    }

    #[test]
    fn a_short_key_is_the_word_zero_padded() {
        let word = "abcdefghijklmnopq";
        for len in 0..=16 {
            let mut padded = [0u8; 16];
            padded[..len].copy_from_slice(&word.as_bytes()[..len]);
            assert_eq!(short_key(&word[..len]), Some(u128::from_le_bytes(padded)), "length {len}");
        }
        assert_eq!(short_key(word), None);
    }
}
