//! The scanner: finds date candidates (lexicon words and digit runs) and
//! reads the date around each with a small parser over bytes.
//!
//! Candidates come from one pass over the bytes of each block: every ASCII
//! word that is in the lexicon (month and weekday names, `today`, time units;
//! looked up by first letter and length) and every run of ASCII digits. A
//! candidate inside a mention already read is skipped. Values are raw here
//! (`June 25` has no year yet);
//! `resolve` completes them.

use std::ops::Range;

use jiff::civil::Weekday;

use super::lexicon::{self, Word};
use super::{DateContext, DateOrder, MentionKind, Preposition, RelativeKind, Unit, WeekdayDirection};
use crate::model::{Block, BlockKind};
use crate::text::TextRange;

/// A mention as read, before years and relative phrases are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub range: TextRange,
    pub date_range: TextRange,
    pub value: RawValue,
    pub kind: MentionKind,
    pub weekday: Option<(Weekday, TextRange)>,
    pub relative: Option<(TextRange, RelativeKind)>,
    pub preposition: Option<Preposition>,
    /// For an anchored offset: the earliest offset an anchor before it may
    /// start at (its sentence's start, or the previous sentence's for `the
    /// next day`), or the exact start of the anchor after it.
    pub anchor_bound: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawValue {
    Ymd {
        year: Option<i16>,
        month: i8,
        day: i8,
    },
    Ym {
        year: i16,
        month: i8,
    },
    Y(i16),
    Decade(i16),
    /// A relative phrase alone.
    Relative,
}

/// The calendar part of a mention.
#[derive(Debug, Clone, Copy)]
struct Core {
    start: usize,
    end: usize,
    value: RawValue,
    kind: MentionKind,
}

impl Raw {
    /// This mention in a node moved from offset `from` to `to`.
    pub(crate) fn moved(&self, from: usize, to: usize) -> Raw {
        let mv = |range: TextRange| super::moved(range, from, to);
        Raw {
            range: mv(self.range),
            date_range: mv(self.date_range),
            weekday: self.weekday.map(|(weekday, range)| (weekday, mv(range))),
            relative: self.relative.map(|(range, kind)| (mv(range), kind)),
            anchor_bound: (self.anchor_bound + to).saturating_sub(from),
            ..self.clone()
        }
    }
}

/// Scans the prose blocks of a document.
pub(super) fn scan(
    masked: &str,
    blocks: &[Block],
    ctx: &DateContext,
    skip: impl Fn(usize) -> bool,
    mut out: Vec<Raw>,
) -> Vec<Raw> {
    for (idx, block) in blocks.iter().enumerate() {
        if skip(idx) {
            continue;
        }
        if !matches!(
            block.kind,
            BlockKind::Paragraph
                | BlockKind::Heading
                | BlockKind::Quote
                | BlockKind::ListItem
                | BlockKind::Note
        ) || block.content.is_empty()
        {
            continue;
        }
        let range = block.content.as_range();
        if range.end > masked.len()
            || !masked.is_char_boundary(range.start)
            || !masked.is_char_boundary(range.end)
        {
            continue;
        }
        Scanner::new(masked, range, ctx).run(&mut out);
    }
    // Blocks may nest; keep the first of overlapping mentions.
    out.sort_by_key(|raw| (raw.range.start(), std::cmp::Reverse(raw.range.end())));
    let mut last_end = 0;
    out.retain(|raw| {
        let keep = raw.range.start() >= last_end;
        if keep {
            last_end = raw.range.end();
        }
        keep
    });
    out
}

/// Scans `range` of `masked`, a piece of a block cut where a sentence ends
/// for sure (`sentences::safe_cuts`): `sentences` are the piece's sentences
/// as the whole block splits them, `previous` where the sentence before them
/// starts. Gives what scanning the whole block gives in the piece.
pub(super) fn scan_piece(
    masked: &str,
    range: Range<usize>,
    ctx: &DateContext,
    sentences: Vec<Range<usize>>,
    previous: Option<usize>,
) -> Vec<Raw> {
    let mut out = Vec::new();
    if range.end <= masked.len() && masked.is_char_boundary(range.start) && masked.is_char_boundary(range.end)
    {
        let mut scanner = Scanner::new(masked, range, ctx);
        scanner.sentences = Some(sentences);
        scanner.previous = previous;
        scanner.run(&mut out);
    }
    out
}

/// Scans one piece of prose (a front matter value).
pub(super) fn scan_prose(text: &str, ctx: &DateContext) -> Vec<Raw> {
    let mut out = Vec::new();
    Scanner::new(text, 0..text.len(), ctx).run(&mut out);
    out
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    lo: usize,
    hi: usize,
    ctx: &'t DateContext,
    /// Sentence ranges of the block, computed when first needed.
    sentences: Option<Vec<Range<usize>>>,
    /// Where the sentence before the first one starts, when the scanned
    /// range is a piece of a block (`scan_piece`).
    previous: Option<usize>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, range: Range<usize>, ctx: &'t DateContext) -> Scanner<'t> {
        Scanner {
            text,
            bytes: text.as_bytes(),
            lo: range.start,
            hi: range.end,
            ctx,
            sentences: None,
            previous: None,
        }
    }

    /// One pass over the block's bytes: each ASCII word of the lexicon and
    /// each digit run is a candidate; a candidate inside a mention already
    /// read is skipped.
    fn run(&mut self, out: &mut Vec<Raw>) {
        let bytes = self.bytes;
        let hi = self.hi;
        let mut pos = self.lo;
        let mut consumed = self.lo;
        while pos < hi {
            let byte = bytes[pos];
            let start = pos;
            if byte.is_ascii_alphabetic() {
                pos += 1;
                while pos < hi && bytes[pos].is_ascii_alphabetic() {
                    pos += 1;
                }
                if start < consumed {
                    continue;
                }
                let Some(word) = lexicon::word_of(&bytes[start..pos]) else { continue };
                if !self.is_word_boundary(start, pos) {
                    continue;
                }
                let before = out.len();
                self.word(start, pos, word, out);
                consumed = out[before..].iter().map(|raw| raw.range.end()).max().unwrap_or(consumed);
            } else if byte.is_ascii_digit() {
                pos += 1;
                while pos < hi && bytes[pos].is_ascii_digit() {
                    pos += 1;
                }
                if start < consumed {
                    continue;
                }
                let before = out.len();
                self.digits(start, pos, out);
                consumed = out[before..].iter().map(|raw| raw.range.end()).max().unwrap_or(consumed);
            } else {
                pos += 1;
            }
        }
    }

    // ---- candidates ------------------------------------------------------

    fn word(&mut self, start: usize, end: usize, word: Word, out: &mut Vec<Raw>) {
        match word {
            Word::Month { month, abbrev } => {
                if let Some(core) = self.month_first(start, end, month, abbrev) {
                    self.emit_core(core, None, None, out);
                }
            }
            Word::Weekday { weekday, abbrev } => self.weekday_candidate(start, end, weekday, abbrev, out),
            Word::Today => self.relative_word(start, end, 0, out),
            Word::Yesterday => self.relative_word(start, end, -1, out),
            Word::Tomorrow => self.relative_word(start, end, 1, out),
            Word::Unit(unit) => self.unit_candidate(start, end, unit, out),
        }
    }

    fn digits(&mut self, start: usize, end: usize, out: &mut Vec<Raw>) {
        let n_digits = end - start;
        // `mid-2022`.
        if n_digits == 4 && start >= self.lo + 4 && self.bytes[start - 4..start].eq_ignore_ascii_case(b"mid-")
        {
            if self.is_word_start(start - 4)
                && let Some(year) = self.context_year_value(start, end)
            {
                self.emit_year(start - 4, end, year, Some(Preposition::Mid), out);
            }
            return;
        }
        if !matches!(n_digits, 1 | 2 | 4) || self.blocked_by_char(start) || self.blocked_by_word(start) {
            return;
        }
        if n_digits == 4 {
            if let Some(core) = self.iso(start, end) {
                self.emit_core(core, None, None, out);
            } else if let Some(core) = self.decade(start, end) {
                self.emit_core(core, None, None, out);
            } else if let Some(preposition) = self.year_context(start)
                && let Some(year) = self.context_year_value(start, end)
            {
                self.emit_year(start, end, year, preposition, out);
            }
        } else if n_digits <= 2 {
            if let Some(core) = self.numeric(start, end).or_else(|| self.day_first(start, end)) {
                self.emit_core(core, None, None, out);
            } else if let Some(core) = self.short_decade(start, end) {
                self.emit_core(core, None, None, out);
            }
        }
    }

    /// A weekday: the prefix of a date (`Sunday, June 25`, `last Sunday, June
    /// 25`), or a relative day on its own (`last Sunday`, `on Friday`).
    fn weekday_candidate(
        &mut self,
        start: usize,
        end: usize,
        weekday: Weekday,
        abbrev: bool,
        out: &mut Vec<Raw>,
    ) {
        if !self.bytes[start].is_ascii_uppercase() {
            return;
        }
        let modifier = self.prev_word(start).map(|(ws, we)| (ws, &self.bytes[ws..we]));
        if abbrev && modifier.is_some_and(|(_, w)| w.eq_ignore_ascii_case(b"the")) {
            return;
        }
        let mut pos = end;
        let has_dot = abbrev && self.byte(pos) == Some(b'.');
        if has_dot {
            pos += 1;
        }
        let weekday_range = TextRange::new(start, if has_dot { end + 1 } else { end });
        // The date after it: `Sunday, June 25`, `Tuesday 17 January 2023`, `Sunday (June 25)`.
        if let Some((core, close)) = self.date_after(pos, true) {
            let relative = modifier.and_then(|(ws, w)| {
                let direction = match_direction(w)?;
                Some((TextRange::new(ws, end), RelativeKind::Weekday { weekday, direction }))
            });
            let mention_start = relative.map_or(start, |(range, _)| range.start());
            self.emit_core_full(core, mention_start, close, Some((weekday, weekday_range)), relative, out);
            return;
        }
        if abbrev {
            return;
        }
        // A weekday alone counts only after `last`, `next`, `this`, `on`.
        let Some((ws, w)) = modifier else { return };
        let direction = if w.eq_ignore_ascii_case(b"on")
            || w.eq_ignore_ascii_case(b"this")
            || w.eq_ignore_ascii_case(b"coming")
        {
            let (sentence_start, _) = self.sentence_bounds(start);
            WeekdayDirection::Nearest { future: lexicon::has_future_cue(&self.text[sentence_start..start]) }
        } else {
            match match_direction(w) {
                Some(direction) => direction,
                None => return,
            }
        };
        let possessive = self.possessive_end(end);
        let range = TextRange::new(ws, end);
        out.push(Raw {
            range: TextRange::new(ws, possessive.unwrap_or(end)),
            date_range: range,
            value: RawValue::Relative,
            kind: MentionKind::Relative,
            weekday: Some((weekday, TextRange::new(start, end))),
            relative: Some((range, RelativeKind::Weekday { weekday, direction })),
            preposition: None,
            anchor_bound: 0,
        });
    }

    /// `today`, `yesterday`, `tomorrow`, alone or tied to a date
    /// (`yesterday, March 12`, `yesterday (Sunday, June 25)`).
    fn relative_word(&mut self, start: usize, end: usize, days: i32, out: &mut Vec<Raw>) {
        // `USA Today`, `Russia Today`: a capitalised name, not a day.
        if self.bytes[start].is_ascii_uppercase()
            && let Some((ws, _)) = self.prev_word(start)
            && self.bytes[ws].is_ascii_uppercase()
            && !self.text[ws..start].contains(['.', '!', '?', '“', '"'])
        {
            return;
        }
        let kind = RelativeKind::ArticleOffset { amount: days, unit: Unit::Day };
        let phrase = TextRange::new(start, end);
        let after = self.possessive_end(end).unwrap_or(end);
        let comma = self.byte(after) == Some(b',');
        let sep_end = if comma { after + 1 } else { after };
        let probe = self.skip_ws(sep_end);
        if probe > sep_end || comma {
            let paren = self.byte(probe) == Some(b'(');
            let inner = if paren { self.skip_ws(probe + 1) } else { probe };
            let mut weekday = None;
            let mut core_at = inner;
            if let Some((ws, we, Word::Weekday { weekday: day, abbrev })) = self.word_at(inner)
                && self.bytes[ws].is_ascii_uppercase()
            {
                let we = if abbrev && self.byte(we) == Some(b'.') { we + 1 } else { we };
                weekday = Some((day, TextRange::new(ws, we)));
                let after_weekday = if self.byte(we) == Some(b',') { we + 1 } else { we };
                core_at = self.skip_ws(after_weekday);
                if core_at == after_weekday {
                    core_at = usize::MAX;
                }
            }
            if core_at != usize::MAX
                && let Some((core, close)) = self.date_after_at(core_at, true, paren)
            {
                self.emit_core_full(core, start, close, weekday, Some((phrase, kind)), out);
                return;
            }
            if let Some((day, range)) = weekday {
                // `yesterday, Sunday`: the weekday names the relative day.
                let close = if paren { self.closing_paren(range.end()) } else { None };
                out.push(Raw {
                    range: TextRange::new(start, close.unwrap_or(range.end())),
                    date_range: phrase,
                    value: RawValue::Relative,
                    kind: MentionKind::Relative,
                    weekday: Some((day, range)),
                    relative: Some((phrase, kind)),
                    preposition: None,
                    anchor_bound: 0,
                });
                return;
            }
        }
        out.push(Raw {
            range: TextRange::new(start, after),
            date_range: phrase,
            value: RawValue::Relative,
            kind: MentionKind::Relative,
            weekday: None,
            relative: Some((phrase, kind)),
            preposition: None,
            anchor_bound: 0,
        });
    }

    /// `two days later`, `a week earlier`, `three days ago`, `the next day`,
    /// `a day after June 24`, `last year`.
    fn unit_candidate(&mut self, start: usize, end: usize, unit: Unit, out: &mut Vec<Raw>) {
        let Some((w1s, w1e)) = self.prev_word(start) else { return };
        let w1 = &self.bytes[w1s..w1e];
        let next = self.next_word(end);
        let next_word = next.map_or(&b""[..], |(s, e)| &self.bytes[s..e]);
        let w0 = self.prev_word(w1s).map(|(s, e)| &self.bytes[s..e]);
        let singular = !self.bytes[end - 1].eq_ignore_ascii_case(&b's');

        // `last year`, `this month`, `next year`.
        if matches!(unit, Unit::Year | Unit::Month)
            && singular
            && !w0.is_some_and(|w| w.eq_ignore_ascii_case(b"the"))
        {
            let amount = if w1.eq_ignore_ascii_case(b"last") {
                Some(-1)
            } else if w1.eq_ignore_ascii_case(b"this") {
                Some(0)
            } else if w1.eq_ignore_ascii_case(b"next") {
                Some(1)
            } else {
                None
            };
            if let Some(amount) = amount {
                let range = TextRange::new(w1s, end);
                out.push(relative_raw(range, RelativeKind::ArticleOffset { amount, unit }, 0));
                return;
            }
        }

        // `the next day`, `the following day`, `the previous day`.
        if unit == Unit::Day && singular && w0.is_some_and(|w| w.eq_ignore_ascii_case(b"the")) {
            let amount = if w1.eq_ignore_ascii_case(b"next") || w1.eq_ignore_ascii_case(b"following") {
                Some(1)
            } else if w1.eq_ignore_ascii_case(b"previous") || w1.eq_ignore_ascii_case(b"preceding") {
                Some(-1)
            } else {
                None
            };
            if let Some(amount) = amount {
                let the_start = self.prev_word(w1s).map_or(w1s, |(s, _)| s);
                let (_, previous_sentence) = self.sentence_bounds(the_start);
                let range = TextRange::new(the_start, end);
                let kind = RelativeKind::AnchorOffset { amount, unit, anchor_after: false };
                out.push(relative_raw(range, kind, previous_sentence));
                return;
            }
        }

        // `the day after June 24`, `the day before`.
        let amount = if unit == Unit::Day && singular && w1.eq_ignore_ascii_case(b"the") {
            Some(1)
        } else {
            lexicon::amount(w1).filter(|_| singular == (lexicon::amount(w1) == Some(1)))
        };
        let Some(amount) = amount else { return };
        if w1.iter().all(u8::is_ascii_digit) && self.blocked_prefix(w1s) {
            return;
        }
        let Some((_, ne)) = next else { return };
        if next_word.eq_ignore_ascii_case(b"ago") {
            if w1.eq_ignore_ascii_case(b"the") {
                return;
            }
            let range = TextRange::new(w1s, ne);
            out.push(relative_raw(range, RelativeKind::ArticleOffset { amount: -amount, unit }, 0));
            return;
        }
        let sign = if next_word.eq_ignore_ascii_case(b"later") || next_word.eq_ignore_ascii_case(b"after") {
            1
        } else if next_word.eq_ignore_ascii_case(b"earlier") || next_word.eq_ignore_ascii_case(b"before") {
            -1
        } else {
            return;
        };
        let is_preposition =
            next_word.eq_ignore_ascii_case(b"after") || next_word.eq_ignore_ascii_case(b"before");
        let range = TextRange::new(w1s, ne);
        if is_preposition {
            // The anchor is the date right after: `a day after June 24`.
            let date_start = self.skip_ws(ne);
            if date_start > ne && self.date_after_at(date_start, false, false).is_some() {
                let kind = RelativeKind::AnchorOffset { amount: sign * amount, unit, anchor_after: true };
                out.push(relative_raw(range, kind, date_start));
                return;
            }
            // `the day before` on its own counts from the date before it;
            // `a day after Prighozin ended …` names no date.
            if !w1.eq_ignore_ascii_case(b"the") {
                return;
            }
        }
        let (sentence_start, _) = self.sentence_bounds(w1s);
        let kind = RelativeKind::AnchorOffset { amount: sign * amount, unit, anchor_after: false };
        out.push(relative_raw(range, kind, sentence_start));
    }

    // ---- date cores ------------------------------------------------------

    /// The date at `pos` (after optional `,` and spaces), for a weekday or
    /// relative prefix. Returns the core and the end of a closing paren.
    fn date_after(&self, pos: usize, allow_paren: bool) -> Option<(Core, Option<usize>)> {
        let sep_end = if self.byte(pos) == Some(b',') { pos + 1 } else { pos };
        let start = self.skip_ws(sep_end);
        if start == sep_end {
            return None;
        }
        let paren = allow_paren && self.byte(start) == Some(b'(');
        let inner = if paren { self.skip_ws(start + 1) } else { start };
        self.date_after_at(inner, true, paren)
    }

    /// The date core starting exactly at `pos` that has a day.
    fn date_after_at(&self, pos: usize, day_only: bool, paren: bool) -> Option<(Core, Option<usize>)> {
        let core = self.core_at(pos)?;
        if day_only && !matches!(core.value, RawValue::Ymd { .. }) {
            return None;
        }
        let close = if paren { Some(self.closing_paren(core.end)?) } else { None };
        Some((core, close))
    }

    /// The end of `)` after `pos` (spaces allowed).
    fn closing_paren(&self, pos: usize) -> Option<usize> {
        let close = self.skip_ws(pos);
        (self.byte(close) == Some(b')')).then_some(close + 1)
    }

    /// Any date core starting exactly at `pos`.
    fn core_at(&self, pos: usize) -> Option<Core> {
        let byte = self.byte(pos)?;
        if byte.is_ascii_digit() {
            let end = pos + self.bytes[pos..self.hi].iter().take_while(|b| b.is_ascii_digit()).count();
            if self.blocked_prefix(pos) {
                return None;
            }
            return match end - pos {
                4 => self.iso(pos, end),
                1 | 2 => self.numeric(pos, end).or_else(|| self.day_first(pos, end)),
                _ => None,
            };
        }
        let (start, end, word) = self.word_at(pos)?;
        match word {
            Word::Month { month, abbrev } => self.month_first(start, end, month, abbrev),
            _ => None,
        }
    }

    /// `June 25, 2023`, `Jun. 25`, `June 25th`, `June 2023`, `June of 2023`.
    fn month_first(&self, start: usize, end: usize, month: i8, abbrev: bool) -> Option<Core> {
        if !self.bytes[start].is_ascii_uppercase() {
            return None;
        }
        let mut pos = end;
        let has_dot = abbrev && self.byte(pos) == Some(b'.');
        if has_dot {
            pos += 1;
        }
        let after_comma = if !has_dot && self.byte(pos) == Some(b',') { pos + 1 } else { pos };
        let num = self.skip_ws(after_comma);
        if num == after_comma && !has_dot {
            return None;
        }
        if let Some((digits_end, value)) = self.number(num) {
            let n_digits = digits_end - num;
            if n_digits <= 2 && after_comma == pos && (1..=31).contains(&value) {
                let day_end = self.ordinal_end(digits_end)?;
                let mut range_end = day_end;
                // `June 25–27`: a range of days; the mention keeps its first day.
                if let Some(dash) = self.dash_len(day_end)
                    && let Some((second_end, second)) = self.number(day_end + dash)
                    && second_end - (day_end + dash) <= 2
                    && second > value
                    && second <= 31
                    && let Some(end) = self.ordinal_end(second_end)
                {
                    range_end = end;
                }
                let (year, end) = match self.year_after(range_end) {
                    Some((year, end)) => (Some(year), end),
                    None => (None, day_end),
                };
                let end = if year.is_some() { end } else { day_end };
                let kind = if year.is_some() { MentionKind::Full } else { MentionKind::MonthDay };
                return Some(Core {
                    start,
                    end,
                    value: RawValue::Ymd { year, month, day: value as i8 },
                    kind,
                });
            }
            if n_digits == 4 && value >= 1000 && self.year_end_ok(digits_end) {
                return Some(Core {
                    start,
                    end: digits_end,
                    value: RawValue::Ym { year: value as i16, month },
                    kind: MentionKind::MonthYear,
                });
            }
            return None;
        }
        // `June of 2023`.
        let (ws, we, _) = self.ascii_word_at(num)?;
        if &self.bytes[ws..we] == b"of" {
            let year_start = self.skip_ws(we);
            let (year_end, year) = self.number(year_start)?;
            if year_end - year_start == 4 && self.year_end_ok(year_end) {
                return Some(Core {
                    start,
                    end: year_end,
                    value: RawValue::Ym { year: year as i16, month },
                    kind: MentionKind::MonthYear,
                });
            }
        }
        None
    }

    /// `25 June 2023`, `25th of June`, `2 May 2018`.
    fn day_first(&self, start: usize, end: usize) -> Option<Core> {
        let day = self.value_of(start, end)?;
        if !(1..=31).contains(&day) {
            return None;
        }
        let day_end = self.ordinal_end(end)?;
        let mut pos = self.skip_ws(day_end);
        if pos == day_end {
            return None;
        }
        if let Some((ws, we, _)) = self.ascii_word_at(pos)
            && &self.bytes[ws..we] == b"of"
        {
            pos = self.skip_ws(we);
        }
        let (ms, me, Word::Month { month, abbrev }) = self.word_at(pos)? else { return None };
        if !self.bytes[ms].is_ascii_uppercase() {
            return None;
        }
        let month_end = if abbrev && self.byte(me) == Some(b'.') { me + 1 } else { me };
        let (year, end) = match self.year_after(month_end) {
            Some((year, end)) => (Some(year), end),
            None => (None, me),
        };
        let kind = if year.is_some() { MentionKind::Full } else { MentionKind::MonthDay };
        Some(Core { start, end, value: RawValue::Ymd { year, month, day: day as i8 }, kind })
    }

    /// `2023-06-25`, `2023/06/25`; `2023-13-01` is read (and invalid).
    fn iso(&self, start: usize, end: usize) -> Option<Core> {
        let sep = self.byte(end).filter(|b| matches!(b, b'-' | b'/'))?;
        let (month_end, month) = self.number(end + 1)?;
        if !(1..=2).contains(&(month_end - end - 1)) || self.byte(month_end) != Some(sep) {
            return None;
        }
        let (day_end, day) = self.number(month_end + 1)?;
        if !(1..=2).contains(&(day_end - month_end - 1)) || !self.number_end_ok(day_end, sep) {
            return None;
        }
        if month == 0 || !(1..=31).contains(&day) {
            return None;
        }
        let year = self.value_of(start, end)?;
        Some(Core {
            start,
            end: day_end,
            value: RawValue::Ymd { year: Some(year as i16), month: month.min(99) as i8, day: day as i8 },
            kind: MentionKind::Full,
        })
    }

    /// `03/04/2023`, `25.06.2023`, `6/25/23`, read by the date order.
    fn numeric(&self, start: usize, end: usize) -> Option<Core> {
        let sep = self.byte(end).filter(|b| matches!(b, b'/' | b'-' | b'.'))?;
        let (second_end, second) = self.number(end + 1)?;
        if !(1..=2).contains(&(second_end - end - 1)) || self.byte(second_end) != Some(sep) {
            return None;
        }
        let (year_end, year) = self.number(second_end + 1)?;
        let year = match year_end - second_end - 1 {
            4 => year,
            2 if sep == b'/' => {
                if year < 50 {
                    2000 + year
                } else {
                    1900 + year
                }
            }
            _ => return None,
        };
        if !self.number_end_ok(year_end, sep) {
            return None;
        }
        let first = self.value_of(start, end)?;
        let (month, day) = match self.ctx.order {
            DateOrder::Mdy => (first, second),
            DateOrder::Dmy => (second, first),
        };
        if month == 0 || day == 0 || day > 31 || month > 31 {
            return None;
        }
        Some(Core {
            start,
            end: year_end,
            value: RawValue::Ymd { year: Some(year as i16), month: month as i8, day: day as i8 },
            kind: MentionKind::Full,
        })
    }

    /// `1950s`, `1950's`.
    fn decade(&self, start: usize, end: usize) -> Option<Core> {
        let year = self.value_of(start, end)?;
        if year % 10 != 0 || !(1000..=2990).contains(&year) {
            return None;
        }
        let suffix_end = self.plural_s_end(end)?;
        Some(Core { start, end: suffix_end, value: RawValue::Decade(year as i16), kind: MentionKind::Decade })
    }

    /// `the '90s`, `the 90s`.
    fn short_decade(&self, start: usize, end: usize) -> Option<Core> {
        let value = self.value_of(start, end)?;
        if end - start != 2 || value % 10 != 0 {
            return None;
        }
        let suffix_end = self.plural_s_end(end)?;
        let apostrophe = self.text[self.lo..start].chars().next_back().filter(|c| matches!(c, '\'' | '’'));
        let mention_start = match apostrophe {
            Some(c) => start - c.len_utf8(),
            None => {
                let (ws, we) = self.prev_word(start)?;
                if !self.bytes[ws..we].eq_ignore_ascii_case(b"the") {
                    return None;
                }
                start
            }
        };
        let year = if value >= 20 { 1900 + value } else { 2000 + value };
        Some(Core {
            start: mention_start,
            end: suffix_end,
            value: RawValue::Decade(year as i16),
            kind: MentionKind::Decade,
        })
    }

    // ---- emitting --------------------------------------------------------

    fn emit_core(
        &mut self,
        core: Core,
        weekday: Option<(Weekday, TextRange)>,
        relative: Option<(TextRange, RelativeKind)>,
        out: &mut Vec<Raw>,
    ) {
        self.emit_core_full(core, core.start, None, weekday, relative, out);
    }

    fn emit_core_full(
        &mut self,
        core: Core,
        mention_start: usize,
        close: Option<usize>,
        weekday: Option<(Weekday, TextRange)>,
        relative: Option<(TextRange, RelativeKind)>,
        out: &mut Vec<Raw>,
    ) {
        let mut end = close.unwrap_or(core.end);
        let mut weekday = weekday;
        if weekday.is_none()
            && matches!(core.value, RawValue::Ymd { .. })
            && let Some((day, range, suffix_end)) = self.suffix_weekday(end)
        {
            weekday = Some((day, range));
            end = suffix_end;
        }
        let preposition = self.preposition_before(mention_start);
        out.push(Raw {
            range: TextRange::new(mention_start, end),
            date_range: TextRange::new(core.start, core.end),
            value: core.value,
            kind: core.kind,
            weekday,
            relative,
            preposition,
            anchor_bound: 0,
        });
    }

    fn emit_year(
        &mut self,
        mention_start: usize,
        end: usize,
        year: i16,
        preposition: Option<Preposition>,
        out: &mut Vec<Raw>,
    ) {
        out.push(Raw {
            range: TextRange::new(mention_start, end),
            date_range: TextRange::new(mention_start, end),
            value: RawValue::Y(year),
            kind: MentionKind::Year,
            weekday: None,
            relative: None,
            preposition,
            anchor_bound: 0,
        });
        // The second year of a range: `1996–1998`, `1996–98`, `1990 to 1995`.
        let (second_start, dash) = match self.dash_len(end) {
            Some(len) => (end + len, true),
            None => {
                let Some((ws, we)) = self.next_word(end) else { return };
                let word = &self.bytes[ws..we];
                let joins = [&b"to"[..], b"and", b"through", b"until", b"till"];
                if !joins.iter().any(|j| j.eq_ignore_ascii_case(word)) {
                    return;
                }
                (self.skip_ws(we), false)
            }
        };
        let Some((second_end, second)) = self.number(second_start) else { return };
        let n_digits = second_end - second_start;
        let second = match n_digits {
            4 => second as i16,
            2 if dash => (year / 100) * 100 + second as i16,
            _ => return,
        };
        if second <= year || second > 2100 || !self.year_end_ok(second_end) {
            return;
        }
        out.push(Raw {
            range: TextRange::new(second_start, second_end),
            date_range: TextRange::new(second_start, second_end),
            value: RawValue::Y(second),
            kind: MentionKind::Year,
            weekday: None,
            relative: None,
            preposition: Some(Preposition::To),
            anchor_bound: 0,
        });
    }

    /// `, a Wednesday`, `(Wednesday)`, `, which was a Wednesday` after a date.
    fn suffix_weekday(&self, pos: usize) -> Option<(Weekday, TextRange, usize)> {
        let mut pos = pos;
        let comma = self.byte(pos) == Some(b',');
        if comma {
            pos += 1;
        }
        let start = self.skip_ws(pos);
        if self.byte(start) == Some(b'(') {
            let inner = self.skip_ws(start + 1);
            let (ws, we, Word::Weekday { weekday, abbrev }) = self.word_at(inner)? else { return None };
            let we = if abbrev && self.byte(we) == Some(b'.') { we + 1 } else { we };
            let close = self.closing_paren(we)?;
            return Some((weekday, TextRange::new(ws, we), close));
        }
        if !comma {
            return None;
        }
        let mut word_pos = start;
        let mut saw_article = false;
        for filler in [&b"which"[..], b"was", b"a"] {
            if let Some((ws, we, _)) = self.ascii_word_at(word_pos)
                && self.bytes[ws..we].eq_ignore_ascii_case(filler)
            {
                word_pos = self.skip_ws(we);
                saw_article |= filler == b"a";
            }
        }
        if !saw_article {
            return None;
        }
        let (ws, we, Word::Weekday { weekday, abbrev: false }) = self.word_at(word_pos)? else { return None };
        if !self.bytes[ws].is_ascii_uppercase() {
            return None;
        }
        Some((weekday, TextRange::new(ws, we), we))
    }

    // ---- context ---------------------------------------------------------

    /// Why the 4-digit number at `start` is a year, if the context says so.
    fn year_context(&self, start: usize) -> Option<Option<Preposition>> {
        let (ws, we) = self.prev_word_with_dot(start)?;
        let word = &self.bytes[ws..we];
        if let Some((preposition, year)) = lexicon::preposition(word) {
            if year {
                return Some(Some(preposition));
            }
            if preposition == Preposition::Of
                && let Some((ps, pe)) = self.prev_word(ws)
                && lexicon::takes_year_after_of(&self.bytes[ps..pe])
            {
                return Some(Some(Preposition::Of));
            }
            return None;
        }
        if lexicon::year_noun(word) {
            return Some(None);
        }
        None
    }

    /// The year value of the 4-digit run, when what follows keeps it a year
    /// (`in 2000 cases` is a count).
    fn context_year_value(&self, start: usize, end: usize) -> Option<i16> {
        let year = self.value_of(start, end)?;
        if !(1000..=2100).contains(&year) || !self.year_end_ok(end) {
            return None;
        }
        if let Some((ws, we)) = self.next_word(end)
            && self.skip_ws(end) == ws
            && lexicon::is_count_word(&self.bytes[ws..we])
            && self.text[end..ws].trim().is_empty()
        {
            return None;
        }
        Some(year as i16)
    }

    /// The year after a day or month: `, 2023`, ` 2023`.
    fn year_after(&self, pos: usize) -> Option<(i16, usize)> {
        let mut year_start = pos;
        if self.byte(year_start) == Some(b',') {
            year_start += 1;
        }
        let year_start = self.skip_ws(year_start);
        if year_start == pos {
            return None;
        }
        let (year_end, year) = self.number(year_start)?;
        if year_end - year_start != 4 || !self.year_end_ok(year_end) || year < 1000 {
            return None;
        }
        Some((year as i16, year_end))
    }

    /// The preposition right before a mention.
    fn preposition_before(&self, start: usize) -> Option<Preposition> {
        if start >= self.lo + 4 && self.bytes[start - 4..start].eq_ignore_ascii_case(b"mid-") {
            return Some(Preposition::Mid);
        }
        let (ws, we) = self.prev_word_with_dot(start)?;
        let preposition = lexicon::preposition(&self.bytes[ws..we]).map(|(p, _)| p);
        // `accessed on June 30, 2023`.
        if preposition == Some(Preposition::On)
            && let Some((ps, pe)) = self.prev_word(ws)
            && lexicon::preposition(&self.bytes[ps..pe]).is_some_and(|(p, _)| p == Preposition::Accessed)
        {
            return Some(Preposition::Accessed);
        }
        preposition
    }

    /// Sentence start of `pos` and of the sentence before it.
    fn sentence_bounds(&mut self, pos: usize) -> (usize, usize) {
        let lo = self.lo;
        let text = &self.text[self.lo..self.hi];
        let sentences = self.sentences.get_or_insert_with(|| {
            crate::model::sentences::split(text).into_iter().map(|r| r.start + lo..r.end + lo).collect()
        });
        let idx = sentences.partition_point(|r| r.end <= pos);
        let start = sentences.get(idx).map_or(lo, |r| r.start.min(pos));
        let previous = match idx.checked_sub(1) {
            Some(before) => sentences.get(before).map_or(start, |r| r.start),
            None => self.previous.unwrap_or(start),
        };
        (start, previous)
    }

    // ---- bytes -----------------------------------------------------------

    fn byte(&self, pos: usize) -> Option<u8> {
        (pos < self.hi).then(|| self.bytes[pos])
    }

    fn value_of(&self, start: usize, end: usize) -> Option<u32> {
        if end - start > 9 {
            return None;
        }
        self.text[start..end].parse().ok()
    }

    /// The digit run at `pos` and its value.
    fn number(&self, pos: usize) -> Option<(usize, u32)> {
        let len = self.bytes.get(pos..self.hi)?.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return None;
        }
        Some((pos + len, self.value_of(pos, pos + len)?))
    }

    /// After a day number: the end of an ordinal suffix (`25th`) or the
    /// number itself; `None` when letters or more digits follow (`25kg`).
    fn ordinal_end(&self, pos: usize) -> Option<usize> {
        let rest = &self.bytes[pos..self.hi];
        let suffix = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let end = match suffix {
            0 => pos,
            2 if [&b"st"[..], b"nd", b"rd", b"th"].iter().any(|s| rest[..2].eq_ignore_ascii_case(s)) => {
                pos + 2
            }
            _ => return None,
        };
        if self.char_at(end).is_some_and(char::is_alphanumeric) {
            return None;
        }
        // `June 1,200` and `June 2.5` are numbers.
        if matches!(self.byte(end), Some(b',' | b'.' | b':'))
            && self.byte(end + 1).is_some_and(|b| b.is_ascii_digit())
        {
            return None;
        }
        Some(end)
    }

    /// `true` when a year ending at `pos` stands alone: no letters, no
    /// `2023.5`, `2023,000`, `2023%` after it.
    fn year_end_ok(&self, pos: usize) -> bool {
        if self.char_at(pos).is_some_and(|c| c.is_alphanumeric() || c == '%') {
            return false;
        }
        !(matches!(self.byte(pos), Some(b',' | b'.' | b':' | b'/'))
            && self.byte(pos + 1).is_some_and(|b| b.is_ascii_digit()))
    }

    /// `true` when a numeric date ending at `pos` is not part of a longer
    /// number (`1.2.2023.4`, `12-05-2023-7`).
    fn number_end_ok(&self, pos: usize, sep: u8) -> bool {
        if self.char_at(pos).is_some_and(char::is_alphanumeric) {
            return false;
        }
        !(matches!(self.byte(pos), Some(b) if b == sep || b == b'.' || b == b',')
            && self.byte(pos + 1).is_some_and(|b| b.is_ascii_digit()))
    }

    /// `true` when the number at `start` is part of something else: `$2023`,
    /// `A380`, `1,200`, `555-2023`, `#12`, `COVID-19`, `page 12`.
    fn blocked_prefix(&self, start: usize) -> bool {
        self.blocked_by_char(start) || self.blocked_by_word(start)
    }

    fn blocked_by_char(&self, start: usize) -> bool {
        let Some(prev) = self.char_before(start) else { return false };
        if prev.is_alphanumeric() || matches!(prev, '$' | '€' | '£' | '¥' | '#' | '+' | '№' | '_' | '@')
        {
            return true;
        }
        if matches!(prev, '-' | '.' | ',' | '/' | ':' | '–') {
            let before = start - prev.len_utf8();
            if self.char_before(before).is_some_and(char::is_alphanumeric) {
                return true;
            }
        }
        false
    }

    /// `page 1996`, `p. 12`, `No. 5`.
    fn blocked_by_word(&self, start: usize) -> bool {
        if let Some((ws, we)) = self.prev_word_with_dot(start) {
            let word = &self.bytes[ws..we];
            const NUMBERED: &[&str] = &[
                "page",
                "pages",
                "p.",
                "pp.",
                "no.",
                "nos.",
                "number",
                "room",
                "flight",
                "route",
                "highway",
                "model",
                "version",
                "v.",
                "vol.",
                "volume",
                "chapter",
                "ch.",
                "section",
                "article",
                "art.",
                "figure",
                "fig.",
                "table",
                "item",
                "line",
                "lines",
                "paragraph",
                "para.",
                "resolution",
                "law",
                "code",
                "bus",
                "tel.",
                "phone",
                "fax",
                "ext.",
                "box",
                "suite",
                "apt.",
                "unit",
                "exit",
                "gate",
                "platform",
                "track",
                "episode",
                "season",
                "issue",
                "isbn",
                "issn",
                "id",
            ];
            if NUMBERED.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(word)) {
                return true;
            }
        }
        false
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..self.hi)?.chars().next()
    }

    fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(self.lo..pos)?.chars().next_back()
    }

    fn is_word_boundary(&self, start: usize, end: usize) -> bool {
        self.is_word_start(start) && !self.char_at(end).is_some_and(char::is_alphanumeric)
    }

    fn is_word_start(&self, start: usize) -> bool {
        !self.char_before(start).is_some_and(char::is_alphanumeric)
    }

    /// Skips spaces, tabs, line breaks and no-break spaces.
    fn skip_ws(&self, pos: usize) -> usize {
        let mut pos = pos;
        while pos < self.hi {
            match self.bytes[pos] {
                b' ' | b'\t' | b'\n' | b'\r' => pos += 1,
                0xC2 if self.bytes.get(pos + 1) == Some(&0xA0) => pos += 2,
                _ => break,
            }
        }
        pos
    }

    fn skip_ws_back(&self, pos: usize) -> usize {
        let mut pos = pos;
        while pos > self.lo {
            match self.bytes[pos - 1] {
                b' ' | b'\t' | b'\n' | b'\r' => pos -= 1,
                0xA0 if pos >= self.lo + 2 && self.bytes[pos - 2] == 0xC2 => pos -= 2,
                _ => break,
            }
        }
        pos
    }

    /// The ASCII word (letters, `'`) starting at `pos`, with the lexicon
    /// word it is, if any.
    fn ascii_word_at(&self, pos: usize) -> Option<(usize, usize, Option<Word>)> {
        if !self.byte(pos)?.is_ascii_alphabetic() || !self.is_word_start(pos) {
            return None;
        }
        let len = self.bytes[pos..self.hi].iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let end = pos + len;
        if self.char_at(end).is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some((pos, end, lexicon::word_of(&self.bytes[pos..end])))
    }

    /// The lexicon word at `pos`.
    fn word_at(&self, pos: usize) -> Option<(usize, usize, Word)> {
        let (start, end, word) = self.ascii_word_at(pos)?;
        Some((start, end, word?))
    }

    /// The ASCII word before `pos` (spaces skipped).
    fn prev_word(&self, pos: usize) -> Option<(usize, usize)> {
        let end = self.skip_ws_back(pos);
        let len = self.bytes[self.lo..end].iter().rev().take_while(|b| b.is_ascii_alphabetic()).count();
        if len == 0 {
            return None;
        }
        let start = end - len;
        if self.char_before(start).is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some((start, end))
    }

    /// Like `prev_word`, with a final `.` kept (`c.`, `p.`, `No.`).
    fn prev_word_with_dot(&self, pos: usize) -> Option<(usize, usize)> {
        let end = self.skip_ws_back(pos);
        if end > self.lo && self.bytes[end - 1] == b'.' {
            let (start, word_end) = self.prev_word(end - 1)?;
            return (word_end == end - 1).then_some((start, end));
        }
        self.prev_word(pos)
    }

    /// The ASCII word after `pos` (spaces skipped).
    fn next_word(&self, pos: usize) -> Option<(usize, usize)> {
        let start = self.skip_ws(pos);
        let (ws, we, _) = self.ascii_word_at(start)?;
        Some((ws, we))
    }

    /// The end of `'s` / `’s` at `pos`.
    fn possessive_end(&self, pos: usize) -> Option<usize> {
        let rest = &self.bytes[pos..self.hi];
        let len = if rest.starts_with(b"'s") {
            2
        } else if rest.starts_with("’s".as_bytes()) {
            4
        } else {
            return None;
        };
        (!self.char_at(pos + len).is_some_and(char::is_alphanumeric)).then_some(pos + len)
    }

    /// The end of `s` / `'s` / `’s` closing a decade (`1950s`).
    fn plural_s_end(&self, pos: usize) -> Option<usize> {
        if self.byte(pos) == Some(b's') && !self.char_at(pos + 1).is_some_and(char::is_alphanumeric) {
            return Some(pos + 1);
        }
        self.possessive_end(pos)
    }

    /// The length of a dash (`-`, `–`, `—`) at `pos`.
    fn dash_len(&self, pos: usize) -> Option<usize> {
        let rest = self.bytes.get(pos..self.hi)?;
        if rest.starts_with(b"-") {
            Some(1)
        } else if rest.starts_with("–".as_bytes()) || rest.starts_with("—".as_bytes()) {
            Some(3)
        } else {
            None
        }
    }
}

fn match_direction(word: &[u8]) -> Option<WeekdayDirection> {
    if word.eq_ignore_ascii_case(b"last") || word.eq_ignore_ascii_case(b"past") {
        Some(WeekdayDirection::Last)
    } else if word.eq_ignore_ascii_case(b"next") {
        Some(WeekdayDirection::Next)
    } else {
        None
    }
}

fn relative_raw(range: TextRange, kind: RelativeKind, anchor_bound: usize) -> Raw {
    Raw {
        range,
        date_range: range,
        value: RawValue::Relative,
        kind: MentionKind::Relative,
        weekday: None,
        relative: Some((range, kind)),
        preposition: None,
        anchor_bound,
    }
}
