//! Sentence segmentation of prose: a rule-based splitter in the spirit of
//! pySBD and pragmatic_segmenter, written as one pass over bytes.
//!
//! The input is one block's prose with reference markers, URLs, inline code,
//! comments and quote markers already blanked to spaces (same byte offsets),
//! so a line break or a blanked `[3]` is just whitespace here.
//!
//! How a boundary is decided:
//!
//! - A *terminal cluster* is a run of `.`, `…`, `!`, `?` (and `‽`, `؟`, `।`,
//!   fullwidth `！？。`), including a spaced ellipsis `. . .`. Closing quotes and
//!   brackets right after it belong to the sentence it ends (`said.”`,
//!   `done.)`). A boundary needs whitespace (or the end) after them, so
//!   `example.com`, `3.5`, `mean...see` and `Jr.'s` never split. Only the CJK
//!   full stops split without whitespace.
//! - What follows decides ambiguous cases: the *next word* is the first
//!   character after the whitespace and any opening quotes or brackets, and is
//!   upper case, lower case, a digit, or other (caseless scripts, symbols).
//! - `!` and `?` end a sentence unless a lower-case word follows
//!   (`Yahoo! in`, `“Why?” she asked`).
//! - A period after a quote or bracket closer followed by a lower-case word
//!   does not end a sentence: it closes an embedded sentence
//!   (`'This is great.' she said`, `(… as an engineer.) at the`).
//! - A period after an ordinary word ends a sentence even when a lower-case
//!   word follows. This is pySBD's choice and ours: edited text rarely starts
//!   a sentence in lower case, but when it does (`side by side. side smiling.`
//!   in the seed article) the period is still a full stop. Lower case after a
//!   period only rescues the periods that are ambiguous anyway: known
//!   abbreviations, initials, acronyms, ellipses, quotes and brackets. The
//!   golden rules do not test an ordinary word before a lower-case one, so
//!   either choice scores the same there.
//! - Before a digit, a period ends a sentence after an ordinary word
//!   (`ended. 1996 saw`), not after a number abbreviation (`p. 55`, `Fig. 3`,
//!   `N°. 1026`) or a number (`3. 4`). Inline numbered lists are handled
//!   separately.
//! - Abbreviations, by the token before the period (case-insensitive):
//!   titles and `e.g.`-like ones never end a sentence (`Mr.`, `Dr.`, `St.`,
//!   `vs.`); number abbreviations do not before a digit (`p. 55`, `No. 5`,
//!   `Sept. 11`); the rest (`etc.`, `Co.`, `Inc.`, `Jr.`) end one only before
//!   an upper-case word, as pySBD does; `a.m.`/`p.m.` end one before an
//!   upper-case word unless the sentence so far is only a time phrase
//!   (`At 5 a.m. Mr. Smith went` is one sentence).
//! - Acronyms written with periods (`U.S.`, `E.U.`) and single upper-case
//!   letters (`E.`, `I.`) end a sentence only before a common sentence
//!   starter (`The`, `It`, `How`, `Did` …): `U.S. Government` and
//!   `Albert I. Jones` stay together, `the U.S. How` and `you and I. Did` split.
//! - A number ends a sentence before an upper-case word (`$100.00. It`).
//! - Ellipses: a free-standing `...`/`. . .`/`…` (after whitespace or an
//!   opening bracket, as in `[...]`) is an omission inside the sentence; four
//!   dots there are an ellipsis plus a full stop and end the sentence before an
//!   upper-case word. An ellipsis attached to a word (`that....`, `hesitated…`)
//!   ends the sentence before an upper-case word. A period attached to a word
//!   followed by a spaced ellipsis (`compounds. . . . The`) ends the sentence at
//!   the period and the ellipsis opens the next one.
//! - Inline lists: markers `1.`, `1.)`, `1)`, `a.`, `a)` (one or two digits or
//!   one lower-case letter, after whitespace) start an item when they form a
//!   run 1, 2, 3 … (a, b, c …) whose first marker opens the text or follows a
//!   sentence end or a colon, when they follow a bullet (`•`, `⁃`, `◦` …), or
//!   when one opens the text. A bullet after whitespace always starts an item.
//!   Upper-case letter lists (`A. … B. …`) are not recognised: they are
//!   indistinguishable from initials.
//! - A piece with no letters or digits (a stray `.` or `”`) joins the sentence
//!   before it (or after it, at the start).

use std::ops::Range;

/// Splits `text` into sentences: byte ranges into `text`, trimmed, non-empty,
/// in order, disjoint, on char boundaries.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let scan = scan(text);
    let accepted = accepted_markers(&[&scan]);
    scan.sentences(text, &accepted)
}

/// The local half of `split`: the boundaries decided at each terminal
/// cluster and bullet, and the inline list-marker candidates, whose fate is
/// decided over the whole text (`accepted_markers`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    splits: Vec<usize>,
    markers: Vec<ListMarker>,
}

/// Scans `text` for boundaries and list-marker candidates.
pub fn scan(text: &str) -> Scan {
    let mut scanner = Scanner { text, splits: Vec::new(), markers: Vec::new() };
    scanner.scan();
    Scan { splits: scanner.splits, markers: scanner.markers }
}

impl Scan {
    /// How many list-marker candidates the scan found.
    pub fn marker_count(&self) -> usize {
        self.markers.len()
    }

    /// The sentences of the text this scan was made from, given whether each
    /// of its markers starts a list item (`accepted`, one per marker).
    pub fn sentences(&self, text: &str, accepted: &[bool]) -> Vec<Range<usize>> {
        let splits = merge_sorted(self.splits.clone(), list_splits(&self.markers, accepted));
        assemble(text, splits)
    }
}

/// Where a text may be cut into pieces that split into the same sentences
/// on their own as they do together (so each piece can be split, and
/// cached, apart): starts of lines that follow a line ending in one `.`, `!`
/// or `?` right after an ordinary word of two or more ASCII letters (and any
/// closing quotes, brackets and spaces), and that start with an ASCII
/// upper-case letter. `word_ok` may refuse more words. Cuts are at least
/// `min_len` bytes apart; the first piece starts at 0, which is not listed.
///
/// Why the pieces split alone as they do together, rule by rule:
/// - the boundary at the cut is made in both: a period after an ordinary
///   word ends a sentence whatever follows, and `!`/`?` end one unless a
///   lower-case word follows; the cluster is one character followed only by
///   closers and whitespace, so `cluster` and `next_word` read nothing
///   beyond the cut on the left; the word before the period has two
///   letters, so the period is no list marker;
/// - on the right, every decision reads backwards only to whitespace (the
///   token before a period, a marker's label), or to the previous boundary,
///   which is the cut (`a.m.`, counting words over whitespace only); a
///   marker is never first on the piece (it starts with a letter), so
///   `at_start` is false in both, and `after_break` reads within the piece;
/// - which markers start list items depends on all markers in order, so
///   the caller decides that over all pieces (`accepted_markers`);
/// - the first piece on the right starts with a letter, so it is a sentence
///   of its own and never joins the one before it.
pub fn safe_cuts(text: &str, min_len: usize, word_ok: impl Fn(&str) -> bool) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut last = 0;
    for newline in memchr::memchr_iter(b'\n', bytes) {
        let cut = newline + 1;
        if cut - last < min_len || !bytes.get(cut).is_some_and(u8::is_ascii_uppercase) {
            continue;
        }
        if ends_sentence_for_sure(text, newline, &word_ok) {
            cuts.push(cut);
            last = cut;
        }
    }
    cuts
}

/// Whether the line ending at the line break at `newline` ends with a
/// boundary that does not depend on what follows (see `safe_cuts`).
fn ends_sentence_for_sure(text: &str, newline: usize, word_ok: &impl Fn(&str) -> bool) -> bool {
    let head = text[..newline].trim_end_matches([' ', '\t', '\r']);
    let head = head.trim_end_matches(is_closer);
    let Some(terminal) = head.bytes().next_back() else { return false };
    if !matches!(terminal, b'.' | b'!' | b'?') {
        return false;
    }
    let before = &head[..head.len() - 1];
    let bytes = before.as_bytes();
    if bytes.len() < 2 || !bytes[bytes.len() - 2..].iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let scanner = Scanner { text, splits: Vec::new(), markers: Vec::new() };
    let (token, _) = scanner.token_before(before.len());
    let word_start = bytes.iter().rposition(|b| !b.is_ascii_alphabetic()).map_or(0, |idx| idx + 1);
    classify(token) == TokenClass::Word && word_ok(&before[word_start..])
}

/// Which list-marker candidates start items, over the scans of consecutive
/// pieces of one text in order (one flag per marker, in order).
pub fn accepted_markers(scans: &[&Scan]) -> Vec<bool> {
    let markers: Vec<&ListMarker> = scans.iter().flat_map(|scan| &scan.markers).collect();
    if markers.is_empty() {
        return Vec::new();
    }
    let mut accepted: Vec<bool> = markers.iter().map(|m| m.bulleted || m.at_start).collect();
    for series in [MarkerSeries::Number, MarkerSeries::Letter] {
        for style in [MarkerStyle::Dot, MarkerStyle::DotParen, MarkerStyle::Paren] {
            let mut chain: Vec<usize> = Vec::new();
            let mut last = 0;
            for (idx, marker) in markers.iter().enumerate() {
                if marker.series != series || marker.style != style {
                    continue;
                }
                if !chain.is_empty() && marker.value == last + 1 {
                    chain.push(idx);
                    last = marker.value;
                } else if marker.bulleted || marker.at_start || (marker.value == 1 && marker.after_break) {
                    accept_chain(&chain, &mut accepted);
                    chain = vec![idx];
                    last = marker.value;
                }
            }
            accept_chain(&chain, &mut accepted);
        }
    }
    accepted
}

/// Sentences from the boundaries: trimmed pieces; a piece with no letters or
/// digits joins the sentence before it (or after it, at the start).
fn assemble(text: &str, splits: Vec<usize>) -> Vec<Range<usize>> {
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut pending_start: Option<usize> = None;
    let mut prev = 0;
    for end in splits.into_iter().chain(std::iter::once(text.len())) {
        if end <= prev {
            continue;
        }
        let piece = trimmed(text, prev..end);
        prev = end;
        let Some(piece) = piece else { continue };
        if text[piece.clone()].chars().any(char::is_alphanumeric) {
            let start = pending_start.take().unwrap_or(piece.start);
            sentences.push(start..piece.end);
        } else if let Some(last) = sentences.last_mut() {
            last.end = piece.end;
        } else {
            pending_start.get_or_insert(piece.start);
        }
    }
    if let Some(start) = pending_start
        && let Some(piece) = trimmed(text, start..text.len())
    {
        sentences.push(piece);
    }
    sentences
}

/// What the token before a single period is, for boundary purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenClass {
    /// An ordinary word, URL, e-mail address or nothing at all.
    Word,
    /// Ends in a digit: `1991`, `$100.00`, `1026.253.553`.
    Number,
    /// Never ends a sentence: titles (`Mr`, `St`) and `e.g`, `vs`.
    Never,
    /// Not before a digit (`p. 55`, `No. 5`, `Sept. 11`); else like `Abbr`.
    NumberAbbr,
    /// Ends a sentence only before an upper-case word (`etc`, `Co`).
    Abbr,
    /// `a.m` / `p.m`.
    AmPm,
    /// Letters joined by periods: `U.S`, `E.U`, `U.S.A`.
    Acronym,
    /// A single upper-case letter: an initial, or the pronoun `I`.
    Initial,
}

/// The first thing after a terminal cluster and its closers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Nothing but whitespace follows.
    End,
    /// No whitespace after the cluster: `example.com`, `3.5`, `Jr.'s`.
    Glued,
    /// An upper-case letter; `starter` when the word is a common sentence
    /// starter (`The`, `It`, `How` …).
    Upper {
        starter: bool,
    },
    Lower,
    Digit,
    /// A caseless letter, a symbol or punctuation.
    Other,
}

/// A run of terminal punctuation.
#[derive(Debug, Clone, Copy)]
struct Cluster {
    end: usize,
    /// Periods, with `…` counting three.
    dots: u32,
    /// Contains `!`, `?` or a script's question mark or danda.
    bang: bool,
    /// Contains a CJK full stop, which needs no whitespace after it.
    hard: bool,
    /// A spaced ellipsis: `. . .`.
    spaced: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerSeries {
    Number,
    Letter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerStyle {
    /// `1.`
    Dot,
    /// `1.)`
    DotParen,
    /// `1)`
    Paren,
}

/// A possible inline list marker such as `2.` in `1. One 2. Two`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListMarker {
    start: usize,
    series: MarkerSeries,
    style: MarkerStyle,
    value: u32,
    /// Right after a bullet (`• 9.`): an item whatever its number.
    bulleted: bool,
    /// The first thing in the text: an item whatever its number.
    at_start: bool,
    /// After a sentence end or a colon, so it may open a run at 1 (or `a`).
    after_break: bool,
    /// The boundary the marker's period makes if it is not a list marker.
    fallback: Option<usize>,
}

struct Scanner<'a> {
    text: &'a str,
    /// Boundaries in increasing order: a sentence ends before each.
    splits: Vec<usize>,
    markers: Vec<ListMarker>,
}

/// Bytes the scan stops at: terminal punctuation, `)` for list markers, and
/// the lead bytes of the non-ASCII terminals and bullets.
const INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    table[b'.' as usize] = true;
    table[b'!' as usize] = true;
    table[b'?' as usize] = true;
    table[b')' as usize] = true;
    table[0xD8] = true; // ؟
    table[0xE0] = true; // । ॥
    table[0xE2] = true; // … ‽ ‼ ⁇ ⁈ ⁉ and the bullets
    table[0xE3] = true; // 。
    table[0xEF] = true; // ！ ？ ｡
    table
};

/// Longest token looked up as an abbreviation, in bytes.
const MAX_ABBR_LEN: usize = 12;
/// How far back a token is read, in chars.
const MAX_TOKEN_CHARS: usize = 64;

impl Scanner<'_> {
    fn scan(&mut self) {
        let bytes = self.text.as_bytes();
        let mut pos = 0;
        loop {
            pos = next_candidate(bytes, pos);
            let Some(&byte) = bytes.get(pos) else { break };
            if !INTERESTING[usize::from(byte)] {
                pos += 1;
                continue;
            }
            pos = match byte {
                b'.' | b'!' | b'?' => self.terminal(pos),
                b')' => {
                    self.paren_marker(pos);
                    pos + 1
                }
                _ => {
                    // A lead byte, so `pos` is on a char boundary.
                    let Some(c) = self.char_at(pos) else { break };
                    if is_terminal(c) {
                        self.terminal(pos)
                    } else {
                        if is_bullet(c) {
                            self.bullet(pos, c);
                        }
                        pos + c.len_utf8()
                    }
                }
            };
        }
    }

    /// Handles the terminal cluster starting at `start`; returns where the
    /// scan continues.
    fn terminal(&mut self, start: usize) -> usize {
        let cluster = self.cluster(start);
        let mut after = cluster.end;
        while let Some(c) = self.char_at(after)
            && is_closer(c)
        {
            after += c.len_utf8();
        }
        let closed = after > cluster.end;
        let next = self.next_word(after);

        let split = if cluster.hard {
            Some(after)
        } else if next == Next::Glued {
            None
        } else if cluster.bang {
            (next != Next::Lower).then_some(after)
        } else if cluster.dots >= 2 {
            self.ellipsis(start, &cluster, after, next)
        } else {
            self.period(start, closed, after, next)
        };

        if let Some(marker) = self.dot_marker(start, &cluster, split) {
            self.markers.push(marker);
        } else if let Some(split) = split {
            self.splits.push(split);
        }
        after
    }

    fn cluster(&self, start: usize) -> Cluster {
        let bytes = self.text.as_bytes();
        let mut cluster = Cluster { end: start, dots: 0, bang: false, hard: false, spaced: false };
        let mut pos = start;
        let mut last_was_dot = false;
        while let Some(c) = self.char_at(pos) {
            match c {
                '.' => {
                    cluster.dots += 1;
                    last_was_dot = true;
                }
                '…' => {
                    cluster.dots += 3;
                    last_was_dot = true;
                }
                '!' | '?' | '‽' | '‼' | '⁇' | '⁈' | '⁉' | '؟' | '।' | '॥' => {
                    cluster.bang = true;
                    last_was_dot = false;
                }
                '。' | '｡' | '！' | '？' => {
                    cluster.hard = true;
                    last_was_dot = false;
                }
                ' ' if last_was_dot
                    && bytes.get(pos + 1) == Some(&b'.')
                    && self.char_at(pos + 2).is_none_or(|c| !c.is_alphanumeric()) =>
                {
                    cluster.spaced = true;
                    last_was_dot = false;
                }
                _ => break,
            }
            pos += c.len_utf8();
        }
        cluster.end = pos;
        cluster
    }

    /// Two or more dots (or `…`), no `!`/`?`.
    fn ellipsis(&self, start: usize, cluster: &Cluster, after: usize, next: Next) -> Option<usize> {
        let standalone = self.char_before(start).is_none_or(|c| c.is_whitespace() || is_opener(c));
        let upper = matches!(next, Next::Upper { .. });
        if standalone {
            // `. . .` mid-sentence; `. . . .` is an ellipsis and a full stop.
            (cluster.dots >= 4 && (upper || matches!(next, Next::Other | Next::End))).then_some(after)
        } else if cluster.spaced && cluster.dots >= 4 && self.text.as_bytes()[start] == b'.' {
            // `compounds. . . . The`: the period ends the sentence, the
            // ellipsis opens the next.
            upper.then_some(start + 1)
        } else {
            upper.then_some(after)
        }
    }

    /// A single period.
    fn period(&self, start: usize, closed: bool, after: usize, next: Next) -> Option<usize> {
        if closed && next == Next::Lower {
            return None;
        }
        let upper = matches!(next, Next::Upper { .. });
        let starter = matches!(next, Next::Upper { starter: true });
        let (token, token_start) = self.token_before(start);
        let ends = match classify(token) {
            TokenClass::Word => true,
            TokenClass::Number => upper || matches!(next, Next::Other | Next::End),
            TokenClass::Never => false,
            TokenClass::NumberAbbr | TokenClass::Abbr => upper,
            TokenClass::AmPm => {
                let sentence_start = self.splits.last().copied().unwrap_or(0);
                upper && self.words_between(sentence_start, token_start, 3) >= 3
            }
            TokenClass::Acronym | TokenClass::Initial => starter,
        };
        ends.then_some(after)
    }

    /// The token before `end`, trimmed of leading punctuation, and where the
    /// whole whitespace-delimited token starts.
    fn token_before(&self, end: usize) -> (&str, usize) {
        let head = &self.text[..end];
        let mut token_start = end;
        for (idx, c) in head.char_indices().rev().take(MAX_TOKEN_CHARS) {
            if c.is_whitespace() {
                break;
            }
            token_start = idx;
        }
        let token = head[token_start..].trim_start_matches(|c: char| !c.is_alphanumeric());
        (token, token_start)
    }

    /// Counts whitespace-separated words in `from..to`, stopping at `limit`.
    fn words_between(&self, from: usize, to: usize, limit: usize) -> usize {
        let Some(span) = self.text.get(from..to) else { return 0 };
        span.split_whitespace().rev().take(limit).count()
    }

    fn next_word(&self, at: usize) -> Next {
        let rest = &self.text[at..];
        let mut chars = rest.char_indices().peekable();
        match chars.peek() {
            None => return Next::End,
            Some(&(_, c)) if !c.is_whitespace() => return Next::Glued,
            Some(_) => {}
        }
        let Some((offset, first)) = chars.find(|&(_, c)| !c.is_whitespace() && !is_opener(c)) else {
            return Next::End;
        };
        if first.is_numeric() {
            Next::Digit
        } else if first.is_uppercase() {
            Next::Upper { starter: is_starter(&rest[offset..]) }
        } else if first.is_lowercase() {
            Next::Lower
        } else {
            Next::Other
        }
    }

    /// Records a list marker whose period starts at `dot`, when it is one.
    fn dot_marker(&self, dot: usize, cluster: &Cluster, fallback: Option<usize>) -> Option<ListMarker> {
        if cluster.dots != 1 || cluster.bang || cluster.hard || cluster.end != dot + 1 {
            return None;
        }
        let bytes = self.text.as_bytes();
        let (style, after) = match bytes.get(dot + 1) {
            Some(b')') => (MarkerStyle::DotParen, dot + 2),
            _ => (MarkerStyle::Dot, dot + 1),
        };
        if !self.char_at(after).is_some_and(char::is_whitespace) {
            return None;
        }
        self.marker_before(dot, style, fallback)
    }

    /// `1)` or `a)` ending at the `)` at `paren`.
    fn paren_marker(&mut self, paren: usize) {
        if !self.char_at(paren + 1).is_some_and(char::is_whitespace) {
            return;
        }
        if let Some(marker) = self.marker_before(paren, MarkerStyle::Paren, None) {
            self.markers.push(marker);
        }
    }

    /// A marker label (`12`, `b`) ending at `end`, after whitespace, a bullet,
    /// the start of the text, or `(` for `(1)`.
    fn marker_before(&self, end: usize, style: MarkerStyle, fallback: Option<usize>) -> Option<ListMarker> {
        let bytes = self.text.as_bytes();
        let n_digits = bytes[..end].iter().rev().take(3).take_while(|b| b.is_ascii_digit()).count();
        let (series, value, label_start) = match n_digits {
            1 | 2 => {
                let label = &bytes[end - n_digits..end];
                let value = label.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0'));
                (MarkerSeries::Number, value, end - n_digits)
            }
            0 if end >= 1 && bytes[end - 1].is_ascii_lowercase() => {
                (MarkerSeries::Letter, u32::from(bytes[end - 1] - b'a') + 1, end - 1)
            }
            _ => return None,
        };
        if value == 0 {
            return None;
        }
        let mut start = label_start;
        if style == MarkerStyle::Paren && label_start >= 1 && bytes[label_start - 1] == b'(' {
            start -= 1;
        }
        let before = self.char_before(start);
        let bulleted = before.is_some_and(is_bullet)
            || (before.is_some_and(char::is_whitespace)
                && self.text[..start].trim_end().chars().next_back().is_some_and(is_bullet));
        if !(before.is_none_or(char::is_whitespace) || bulleted) {
            return None;
        }
        let previous = self.text[..start].trim_end().chars().next_back();
        Some(ListMarker {
            start,
            series,
            style,
            value,
            bulleted,
            at_start: previous.is_none(),
            after_break: previous.is_some_and(|c| is_terminal(c) || c == ':' || is_closer(c)),
            fallback,
        })
    }

    fn bullet(&mut self, pos: usize, bullet: char) {
        let before_ok = self.char_before(pos).is_none_or(char::is_whitespace);
        let after_ok =
            self.char_at(pos + bullet.len_utf8()).is_some_and(|c| c.is_whitespace() || c.is_alphanumeric());
        if before_ok && after_ok {
            self.splits.push(pos);
        }
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..)?.chars().next()
    }

    fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(..pos)?.chars().next_back()
    }
}

/// The first position at or after `from` whose byte is `.`, `!`, `?`, `)` or
/// a lead byte of U+0600 or above (a superset of `INTERESTING`). Tests 16
/// bytes at a time; the compiler vectorises the chunk test.
fn next_candidate(bytes: &[u8], mut from: usize) -> usize {
    const CHUNK: usize = 16;
    while let Some(chunk) = bytes.get(from..).and_then(<[u8]>::first_chunk::<CHUNK>) {
        let mut mask = 0u32;
        for (idx, &byte) in chunk.iter().enumerate() {
            let hit = (byte == b'.') | (byte == b'!') | (byte == b'?') | (byte == b')') | (byte >= 0xD8);
            mask |= u32::from(hit) << idx;
        }
        if mask != 0 {
            return from + mask.trailing_zeros() as usize;
        }
        from += CHUNK;
    }
    let tail = bytes.get(from..).unwrap_or_default();
    tail.iter().position(|&byte| INTERESTING[usize::from(byte)]).map_or(bytes.len(), |idx| from + idx)
}

/// The boundaries the list markers add or keep, given which start items.
fn list_splits(markers: &[ListMarker], accepted: &[bool]) -> Vec<usize> {
    let mut splits: Vec<usize> = markers
        .iter()
        .zip(accepted)
        .filter_map(|(marker, &accepted)| {
            if !accepted {
                marker.fallback
            } else if marker.bulleted {
                // The bullet already split.
                None
            } else {
                Some(marker.start)
            }
        })
        .collect();
    splits.sort_unstable();
    splits
}

fn accept_chain(chain: &[usize], accepted: &mut [bool]) {
    if chain.len() >= 2 {
        for &idx in chain {
            accepted[idx] = true;
        }
    }
}

fn merge_sorted(left: Vec<usize>, right: Vec<usize>) -> Vec<usize> {
    if right.is_empty() {
        return left;
    }
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut left, mut right) = (left.into_iter().peekable(), right.into_iter().peekable());
    loop {
        let next = match (left.peek(), right.peek()) {
            (Some(&l), Some(&r)) if l <= r => left.next(),
            (Some(_), Some(_)) | (None, Some(_)) => right.next(),
            (Some(_), None) => left.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = text.get(range.clone())?;
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    (start < end).then_some(start..end)
}

fn classify(token: &str) -> TokenClass {
    let Some(last) = token.chars().next_back() else { return TokenClass::Word };
    if last.is_numeric() {
        return TokenClass::Number;
    }
    if matches!(token, "N°" | "n°" | "Nº" | "nº") {
        return TokenClass::NumberAbbr;
    }
    if token.len() <= MAX_ABBR_LEN && token.is_ascii() {
        let mut buffer = [0u8; MAX_ABBR_LEN];
        let lower = &mut buffer[..token.len()];
        lower.copy_from_slice(token.as_bytes());
        lower.make_ascii_lowercase();
        if let Some(class) = abbreviation(lower) {
            return class;
        }
        if is_acronym(lower) {
            return TokenClass::Acronym;
        }
    }
    let mut chars = token.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_uppercase() => TokenClass::Initial,
        (Some(c), None) if c.is_lowercase() => TokenClass::Abbr,
        _ => TokenClass::Word,
    }
}

/// Known abbreviations, lower case, without the final period.
fn abbreviation(lower: &[u8]) -> Option<TokenClass> {
    let class = match lower {
        // Titles and other prepositive abbreviations, and Latin ones that
        // always lead into more text.
        b"mr" | b"mrs" | b"ms" | b"mx" | b"messrs" | b"mme" | b"mlle" | b"dr" | b"drs" | b"prof"
        | b"profs" | b"gen" | b"gens" | b"sen" | b"sens" | b"rep" | b"reps" | b"gov" | b"pres" | b"st"
        | b"mt" | b"lt" | b"col" | b"capt" | b"cmdr" | b"sgt" | b"cpl" | b"maj" | b"adm" | b"brig"
        | b"rev" | b"hon" | b"supt" | b"insp" | b"det" | b"atty" | b"attys" | b"e.g" | b"i.e" | b"cf"
        | b"viz" | b"vs" | b"v" | b"approx" => TokenClass::Never,
        // Before a number.
        b"p" | b"pp" | b"no" | b"nos" | b"nr" | b"vol" | b"vols" | b"art" | b"arts" | b"ch" | b"chap"
        | b"fig" | b"figs" | b"sec" | b"secs" | b"para" | b"paras" | b"eq" | b"eqs" | b"n" | b"nn" | b"l"
        | b"ll" | b"pt" | b"tab" | b"ser" | b"c" | b"ca" | b"op" | b"ex" | b"fn" | b"ref" | b"refs"
        | b"cl" | b"reg" | b"regs" | b"pl" | b"jan" | b"feb" | b"mar" | b"apr" | b"jun" | b"jul" | b"aug"
        | b"sep" | b"sept" | b"oct" | b"nov" | b"dec" => TokenClass::NumberAbbr,
        b"etc" | b"co" | b"corp" | b"inc" | b"ltd" | b"llc" | b"plc" | b"bros" | b"jr" | b"sr" | b"esq"
        | b"dept" | b"univ" | b"assn" | b"ave" | b"blvd" | b"rd" | b"ed" | b"eds" | b"trans" | b"est"
        | b"govt" | b"al" | b"ibid" | b"misc" | b"ph.d" | b"min" | b"hr" | b"hrs" | b"sq" | b"cit"
        | b"loc" => TokenClass::Abbr,
        b"a.m" | b"p.m" => TokenClass::AmPm,
        _ => return None,
    };
    Some(class)
}

/// Single letters joined by periods: `u.s`, `e.u`, `u.s.a`.
fn is_acronym(lower: &[u8]) -> bool {
    lower.len() >= 3
        && lower.len() % 2 == 1
        && lower
            .iter()
            .enumerate()
            .all(|(idx, &b)| if idx % 2 == 0 { b.is_ascii_alphabetic() } else { b == b'.' })
}

/// Whether `rest` starts with a word that commonly starts a sentence (and is
/// not an initial like `A.`).
fn is_starter(rest: &str) -> bool {
    let word_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &rest[..word_len];
    if rest[word_len..].chars().next().is_some_and(|c| c == '.' || c.is_alphanumeric()) {
        return false;
    }
    is_starter_word(word)
}

/// Words that commonly start a sentence (pySBD's list, extended with
/// pronouns, determiners and connectives). Surnames are kept out: these
/// decide whether `U.S.` or an initial ends a sentence.
fn is_starter_word(word: &str) -> bool {
    matches!(
        word,
        "A" | "After"
            | "Also"
            | "Although"
            | "An"
            | "And"
            | "Are"
            | "As"
            | "At"
            | "Before"
            | "Being"
            | "But"
            | "Can"
            | "Could"
            | "Despite"
            | "Did"
            | "Do"
            | "Does"
            | "During"
            | "For"
            | "From"
            | "Had"
            | "Has"
            | "Have"
            | "He"
            | "Her"
            | "Here"
            | "His"
            | "How"
            | "However"
            | "I"
            | "If"
            | "In"
            | "Indeed"
            | "Is"
            | "It"
            | "Its"
            | "Meanwhile"
            | "Millions"
            | "More"
            | "Moreover"
            | "My"
            | "Nevertheless"
            | "Nor"
            | "Not"
            | "Now"
            | "On"
            | "Or"
            | "Our"
            | "She"
            | "Since"
            | "So"
            | "That"
            | "The"
            | "Their"
            | "Then"
            | "There"
            | "Therefore"
            | "These"
            | "They"
            | "This"
            | "Those"
            | "Though"
            | "Thus"
            | "Today"
            | "Was"
            | "We"
            | "Were"
            | "What"
            | "When"
            | "Where"
            | "Whether"
            | "Which"
            | "While"
            | "Who"
            | "Why"
            | "Yet"
            | "You"
            | "Your"
    )
}

fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '…'
            | '!'
            | '?'
            | '‽'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '؟'
            | '।'
            | '॥'
            | '。'
            | '｡'
            | '！'
            | '？'
    )
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '」' | '』' | '）')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '„' | '«' | '‹' | '¿' | '¡' | '「' | '『' | '（')
}

fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '‣' | '⁃' | '◦' | '▪' | '●')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|range| &text[range]).collect()
    }

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(sentences(text), expected, "input: {text:?}");
    }

    #[test]
    fn terminal_punctuation() {
        check("Hello World. My name is Jonas.", &["Hello World.", "My name is Jonas."]);
        check("What is your name? My name is Jonas.", &["What is your name?", "My name is Jonas."]);
        check("There it is! I found it.", &["There it is!", "I found it."]);
        check("Hello?! Is that you?", &["Hello?!", "Is that you?"]);
        check("Hello!! Long time no see.", &["Hello!!", "Long time no see."]);
        check("He waited… Then he left.", &["He waited…", "Then he left."]);
        check("她来了。他走了。", &["她来了。", "他走了。"]);
        check("No punctuation at all", &["No punctuation at all"]);
    }

    #[test]
    fn closing_quotes_and_brackets() {
        check("She said, “It is done.” Then she left.", &["She said, “It is done.”", "Then she left."]);
        check("It was done (as planned.) Next we ate.", &["It was done (as planned.)", "Next we ate."]);
        check("“Why?” she asked.", &["“Why?” she asked."]);
        check("“Why?” She left.", &["“Why?”", "She left."]);
        check("'This is great.' she said.", &["'This is great.' she said."]);
        check(
            "He taught (he had worked as an engineer.) at the school.",
            &["He taught (he had worked as an engineer.) at the school."],
        );
        check(
            "She works at Yahoo! in the accounting department.",
            &["She works at Yahoo! in the accounting department."],
        );
    }

    #[test]
    fn lower_case_after_an_ordinary_word_still_splits() {
        check("walking side by side. side smiling.", &["walking side by side.", "side smiling."]);
    }

    #[test]
    fn titles_never_end_a_sentence() {
        check("Mr. Smith met Mrs. Jones and Dr. Who.", &["Mr. Smith met Mrs. Jones and Dr. Who."]);
        check(
            "Prof. Li and Gen. Gerasimov met Sen. Kim and Rep. Ng.",
            &["Prof. Li and Gen. Gerasimov met Sen. Kim and Rep. Ng."],
        );
        check(
            "St. Michael's Church is on 5th st. near the light.",
            &["St. Michael's Church is on 5th st. near the light."],
        );
        check(
            "Roe v. Wade vs. Doe, e.g. Texas, i.e. The Law.",
            &["Roe v. Wade vs. Doe, e.g. Texas, i.e. The Law."],
        );
    }

    #[test]
    fn postpositive_abbreviations() {
        check(
            "He met John Smith Jr. and Tom Smith Sr. yesterday.",
            &["He met John Smith Jr. and Tom Smith Sr. yesterday."],
        );
        check("That is JFK Jr.'s book.", &["That is JFK Jr.'s book."]);
        check("Pitt, Briggs & Co. It closed yesterday.", &["Pitt, Briggs & Co.", "It closed yesterday."]);
        check("Apple Inc. and Acme Ltd. merged.", &["Apple Inc. and Acme Ltd. merged."]);
    }

    #[test]
    fn etc_ends_a_sentence_before_a_capitalised_word() {
        check("Apples, pears, etc. are fruit.", &["Apples, pears, etc. are fruit."]);
        check(
            "Apples, pears, etc. The market sells them.",
            &["Apples, pears, etc.", "The market sells them."],
        );
    }

    #[test]
    fn number_abbreviations() {
        check("Please turn to p. 55.", &["Please turn to p. 55."]);
        check(
            "See pp. 12–14 and vol. 3, No. 5, Nos. 6 and 7.",
            &["See pp. 12–14 and vol. 3, No. 5, Nos. 6 and 7."],
        );
        check("The 2nd ed. was better.", &["The 2nd ed. was better."]);
        check(
            "It opened on Sept. 11 and closed on Jan. 5, 2023.",
            &["It opened on Sept. 11 and closed on Jan. 5, 2023."],
        );
        check("It costs approx. $5 today.", &["It costs approx. $5 today."]);
        check("No. It was not.", &["No.", "It was not."]);
        check("Op. cit. p. 4. Ibid. The next note.", &["Op. cit. p. 4.", "Ibid.", "The next note."]);
    }

    #[test]
    fn acronyms() {
        check(
            "I work for the U.S. Government in Virginia.",
            &["I work for the U.S. Government in Virginia."],
        );
        check("I live in the U.S. How about you?", &["I live in the U.S.", "How about you?"]);
        check("The U.K. and the E.U. agreed.", &["The U.K. and the E.U. agreed."]);
        check("I visited the U.S.A. last year.", &["I visited the U.S.A. last year."]);
    }

    #[test]
    fn times_of_day() {
        check("At 5 a.m. Mr. Smith went to the bank.", &["At 5 a.m. Mr. Smith went to the bank."]);
        check(
            "He left the bank at 6 P.M. Mr. Smith then went home.",
            &["He left the bank at 6 P.M.", "Mr. Smith then went home."],
        );
        check("The talks ended at 5 p.m. on Monday.", &["The talks ended at 5 p.m. on Monday."]);
    }

    #[test]
    fn initials() {
        check("J. R. R. Tolkien wrote it.", &["J. R. R. Tolkien wrote it."]);
        check("My name is Jonas E. Smith.", &["My name is Jonas E. Smith."]);
        check(
            "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
            &["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"],
        );
        check("See section A. The next part is B.", &["See section A.", "The next part is B."]);
        check(
            "Nectar Gan, “China throws support behind ‘strategic partner’ Russia”, CNN, June 26th, 2023",
            &["Nectar Gan, “China throws support behind ‘strategic partner’ Russia”, CNN, June 26th, 2023"],
        );
    }

    #[test]
    fn numbers() {
        check("It rose 3.5 percent to $1.2 billion.", &["It rose 3.5 percent to $1.2 billion."]);
        check("She has $100.00. It is in her bag.", &["She has $100.00.", "It is in her bag."]);
        check("It was founded in 1991. The war ended.", &["It was founded in 1991.", "The war ended."]);
        check("The war ended. 1996 saw a treaty.", &["The war ended.", "1996 saw a treaty."]);
        check(
            "See fn. 3 and N°. 4, Fig. 2 and Table 3. 4 rows.",
            &["See fn. 3 and N°. 4, Fig. 2 and Table 3. 4 rows."],
        );
        check("It is at N°. 1026.253.553. That is where.", &["It is at N°. 1026.253.553.", "That is where."]);
        check("1. Introduction", &["1. Introduction"]);
    }

    #[test]
    fn ellipses() {
        check(
            "I never meant that.... She left the store.",
            &["I never meant that....", "She left the store."],
        );
        check(
            "I wasn’t really ... well, what I mean...see . . . the thing is . . . I didn’t mean it.",
            &["I wasn’t really ... well, what I mean...see . . . the thing is . . . I didn’t mean it."],
        );
        check("It was … fine, I think.", &["It was … fine, I think."]);
        check(
            "\"Bohr [...] used stairways [...]\" (Smith 55).",
            &["\"Bohr [...] used stairways [...]\" (Smith 55)."],
        );
        check("a period . . . . Next sentence.", &["a period . . . .", "Next sentence."]);
        check(
            "into compounds. . . . The practice was not abandoned. . . .",
            &["into compounds.", ". . . The practice was not abandoned. . . ."],
        );
    }

    #[test]
    fn emails_urls_and_domains() {
        check(
            "Her email is Jane.Doe@example.com. I sent her an email.",
            &["Her email is Jane.Doe@example.com.", "I sent her an email."],
        );
        check(
            "Visit example.com for more. Or www.example.org today.",
            &["Visit example.com for more.", "Or www.example.org today."],
        );
        check(
            "The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out.",
            &[
                "The site is: https://www.example.50.com/new-site/awesome_content.html.",
                "Please check it out.",
            ],
        );
    }

    #[test]
    fn blanked_markers_and_line_breaks() {
        // `said.[3] Next` arrives as `said.    Next`; a blanked URL leaves a
        // period after spaces.
        check("He said.    Next one.", &["He said.", "Next one."]);
        check("Read it at                    . The next.", &["Read it at                    .", "The next."]);
        check("A line that\nwraps here. And\nanother.", &["A line that\nwraps here.", "And\nanother."]);
    }

    #[test]
    fn inline_lists() {
        check("1.) The first item 2.) The second item", &["1.) The first item", "2.) The second item"]);
        check("1) The first item. 2) The second item.", &["1) The first item.", "2) The second item."]);
        check("1. The first item 2. The second item", &["1. The first item", "2. The second item"]);
        check("Steps: 1. Mix 2. Bake 3. Eat.", &["Steps:", "1. Mix", "2. Bake", "3. Eat."]);
        check("• 9. The first item • 10. The second item", &["• 9. The first item", "• 10. The second item"]);
        check("⁃9. The first item ⁃10. The second item", &["⁃9. The first item", "⁃10. The second item"]);
        check(
            "a. The first item b. The second item c. The third",
            &["a. The first item", "b. The second item", "c. The third"],
        );
        check("(1) One (2) Two", &["(1) One", "(2) Two"]);
        // Numbers that merely end sentences in order are not a list.
        check(
            "He scored 2. Then she scored 3. The end.",
            &["He scored 2.", "Then she scored 3.", "The end."],
        );
    }

    #[test]
    fn seed_article_sentences() {
        check(
            "If you look at the relationship between the two, Russia and China have a long history of good \
             relations. China and Russia have had a long history of relations.",
            &[
                "If you look at the relationship between the two, Russia and China have a long history of good \
                 relations.",
                "China and Russia have had a long history of relations.",
            ],
        );
        let one = "Since the 1950s, relations between the two began to improve only after Chinese leader Jiang \
                   Zemin reciprocated with a visit to Moscow in 1991, where the two countries agreed to resolve \
                   parts of their long-held border dispute.";
        check(one, &[one]);
        let quote = "“This is Russia’s internal affairs,” said a spokesperson for the Chinese Foreign Ministry in \
                     a brief statement posted online on June 25, 2023 evening local time.";
        check(quote, &[quote]);
    }

    #[test]
    fn punctuation_only_pieces_join_a_neighbour() {
        check("Wait. .", &["Wait. ."]);
        check(". Hello.", &[". Hello."]);
        check("...", &["..."]);
        check("", &[]);
        check("   \n  ", &[]);
    }

    /// Every range is non-empty, trimmed, on char boundaries, in order and
    /// disjoint.
    #[track_caller]
    fn assert_valid(text: &str) {
        let mut prev_end = 0;
        for range in split(text) {
            assert!(range.start < range.end, "{range:?} in {text:?}");
            assert!(range.start >= prev_end, "{range:?} overlaps in {text:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?}");
            let slice = &text[range.clone()];
            assert_eq!(slice, slice.trim(), "untrimmed {range:?} in {text:?}");
            prev_end = range.end;
        }
    }

    #[test]
    fn never_panics_and_ranges_are_valid() {
        let nasty = [
            "",
            ".",
            "!?…",
            ". . . . . .",
            "\0.\0. \0",
            "…… … …. ‽ ؟ । 。",
            "مرحبا. كيف حالك؟ أنا بخير.",
            "שלום. מה שלומך?",
            "e\u{301}. A\u{301}. \u{301}. \u{200d}.",
            "😀. 👍🏽! 🇺🇳? 中文。日本語！",
            "• ⁃ ◦ • 1. • a)",
            "1. 2. 3. a. b. c. 1) 2) (1) (2) 1.) 2.)",
            "U.S. e.g. a.m. p.m. Mr. Jr.'s “”’‘«»",
            "\u{a0}.\u{a0}Hello.\u{2028}World.\u{3000}Again.",
            "x.y.z. . .. ... .... ..... .'.\".)",
        ];
        for text in nasty {
            assert_valid(text);
            for (idx, _) in text.char_indices() {
                assert_valid(&text[idx..]);
                assert_valid(&text[..idx]);
            }
        }
    }

    #[test]
    fn long_text_without_punctuation_is_one_sentence() {
        let text = "word ".repeat(1_000_000);
        let ranges = split(&text);
        assert_eq!(ranges, vec![0..text.len() - 1]);
        let dots = ". ".repeat(100_000);
        assert_valid(&dots);
        let spaces = format!("a.m. B{}a.m. B", " ".repeat(1_000_000));
        assert_valid(&spaces);
    }
}
