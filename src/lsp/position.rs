//! Position encodings at the LSP edge: byte offsets ⇄ (line, column) in UTF-8
//! or UTF-16 code units, both directions through the same rope lookups.
//!
//! Lines break at `\n`, `\r\n` and a lone `\r` (ropey's `cr_lines`), as LSP
//! says. A column past the end of its line is clamped to the line's end, a
//! line past the end of the text to the end of the text, and a column inside
//! a character (the second half of a surrogate pair, the middle of a UTF-8
//! sequence) to the start of that character: nothing here panics on input a
//! client sends.

use ropey::Rope;

/// The unit of a column, negotiated in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8 (`positionEncoding: "utf-8"`).
    Utf8,
    /// UTF-16 code units, the LSP default.
    #[default]
    Utf16,
}

/// A 0-based line and column in some `Encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The line and column of byte `offset` (clamped to the text, and down to a
/// character boundary).
pub fn to_line_col(rope: &Rope, offset: usize, encoding: Encoding) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start_char = rope.line_to_char(line);
    let col = match encoding {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start_char),
    };
    LineCol { line: saturate(line), col: saturate(col) }
}

/// The byte offset of `position`, clamped as described in the module
/// documentation; always a character boundary.
pub fn to_offset(rope: &Rope, position: LineCol, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_slice = rope.line(line);
    let break_len = line_break_len(&line_slice);
    let line_start_char = rope.line_to_char(line);
    let char_idx = match encoding {
        Encoding::Utf8 => {
            let line_start = rope.line_to_byte(line);
            let content_len = line_slice.len_bytes() - break_len;
            rope.byte_to_char(line_start + (position.col as usize).min(content_len))
        }
        Encoding::Utf16 => {
            let line_start_cu = rope.char_to_utf16_cu(line_start_char);
            let content_cu = line_slice.len_utf16_cu() - break_len;
            rope.utf16_cu_to_char(line_start_cu + (position.col as usize).min(content_cu))
        }
    };
    rope.char_to_byte(char_idx)
}

/// The length of `text` in the columns of `encoding`.
pub fn len_in(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        // One unit a character (its lead byte: not 0b10xxxxxx), two for a
        // character beyond the BMP (lead byte 0b11110xxx): a count over
        // bytes, which vectorises, not a decode of each character.
        Encoding::Utf16 => text.bytes().map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0)).sum(),
    }
}

/// The positions of many offsets of one text, found in one pass over it
/// (publishing thousands of diagnostics would otherwise walk the rope for
/// each end of each range). Equal to `to_line_col` for every offset.
#[derive(Debug, Clone, Default)]
pub struct PositionTable {
    /// Sorted by offset, no duplicates.
    entries: Vec<(usize, LineCol)>,
}

impl PositionTable {
    pub fn new(text: &str, offsets: impl IntoIterator<Item = usize>, encoding: Encoding) -> PositionTable {
        let mut offsets: Vec<usize> = offsets.into_iter().map(|offset| offset.min(text.len())).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let bytes = text.as_bytes();
        let mut entries = Vec::with_capacity(offsets.len());
        // The sweep: `pos` is where counting stopped, `line` and
        // `line_start` the line it is on, `col` the column of `pos`.
        let (mut pos, mut line, mut line_start, mut col) = (0usize, 0usize, 0usize, 0usize);
        for offset in offsets {
            let mut target = offset;
            while !text.is_char_boundary(target) {
                target -= 1;
            }
            while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[pos..target]) {
                let at = pos + found;
                // A CRLF breaks after its `\n`: an offset between the two
                // is still on the line the `\r` ends.
                let end =
                    if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
                if end > target {
                    break;
                }
                line += 1;
                line_start = end;
                pos = end;
                col = 0;
            }
            col += match encoding {
                Encoding::Utf8 => target - pos,
                Encoding::Utf16 => len_in(&text[pos..target], Encoding::Utf16),
            };
            pos = target;
            debug_assert!(line_start <= pos);
            entries.push((offset, LineCol { line: saturate(line), col: saturate(col) }));
        }
        PositionTable { entries }
    }

    /// The position of `offset`, if it was one of the table's.
    pub fn get(&self, offset: usize) -> Option<LineCol> {
        let idx = self.entries.binary_search_by_key(&offset, |&(offset, _)| offset).ok()?;
        Some(self.entries[idx].1)
    }
}

/// The bytes (all ASCII, so also UTF-16 code units) of the line break that
/// ends `line`: 2 for `\r\n`, 1 for `\n` or `\r`, 0 on the last line.
fn line_break_len(line: &ropey::RopeSlice<'_>) -> usize {
    let len = line.len_chars();
    if len == 0 {
        return 0;
    }
    match line.char(len - 1) {
        '\n' if len >= 2 && line.char(len - 2) == '\r' => 2,
        '\n' | '\r' => 1,
        _ => 0,
    }
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "ab\né中😀x\r\n😀\rlast";

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn round_trips_every_character_boundary_in_both_encodings() {
        let rope = Rope::from_str(MIXED);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (offset, _) in MIXED.char_indices().chain([(MIXED.len(), ' ')]) {
                let position = to_line_col(&rope, offset, encoding);
                // The `\n` of a CRLF belongs to the `\r`'s position's line end.
                let back = to_offset(&rope, position, encoding);
                if MIXED[..offset].ends_with('\r') && MIXED[offset..].starts_with('\n') {
                    assert_eq!(back, offset - 1, "{encoding:?} inside CRLF");
                } else {
                    assert_eq!(back, offset, "{encoding:?} offset {offset} -> {position:?}");
                }
            }
        }
    }

    #[test]
    fn known_columns() {
        let rope = Rope::from_str(MIXED);
        let x = MIXED.find('x').unwrap();
        // `é` is 2 bytes / 1 unit, `中` 3 bytes / 1 unit, `😀` 4 bytes / 2 units.
        assert_eq!(to_line_col(&rope, x, Encoding::Utf8), lc(1, 9));
        assert_eq!(to_line_col(&rope, x, Encoding::Utf16), lc(1, 4));
        let last = MIXED.find("last").unwrap();
        assert_eq!(to_line_col(&rope, last, Encoding::Utf16), lc(3, 0));
        assert_eq!(to_line_col(&rope, last - 1, Encoding::Utf16), lc(2, 2)); // the lone `\r`
        assert_eq!(to_offset(&rope, lc(1, 9), Encoding::Utf8), x);
        assert_eq!(to_offset(&rope, lc(1, 4), Encoding::Utf16), x);
    }

    #[test]
    fn clamps_instead_of_panicking() {
        let rope = Rope::from_str(MIXED);
        let crlf = MIXED.find('\r').unwrap();
        // Past the end of a line: the line's end, before its break.
        assert_eq!(to_offset(&rope, lc(1, 500), Encoding::Utf16), crlf);
        assert_eq!(to_offset(&rope, lc(1, 500), Encoding::Utf8), crlf);
        assert_eq!(to_offset(&rope, lc(0, 2), Encoding::Utf8), 2);
        assert_eq!(to_offset(&rope, lc(0, 3), Encoding::Utf8), 2);
        // Inside a surrogate pair or a UTF-8 sequence: the character's start.
        let emoji = MIXED.find('😀').unwrap();
        assert_eq!(to_offset(&rope, lc(1, 3), Encoding::Utf16), emoji);
        assert_eq!(to_offset(&rope, lc(1, 7), Encoding::Utf8), emoji);
        // Past the last line: the end of the text.
        assert_eq!(to_offset(&rope, lc(99, 0), Encoding::Utf16), MIXED.len());
        assert_eq!(to_offset(&rope, lc(u32::MAX, u32::MAX), Encoding::Utf8), MIXED.len());
        assert_eq!(to_line_col(&rope, usize::MAX, Encoding::Utf16), lc(3, 4));
        // An offset inside a character counts from that character's start.
        assert_eq!(to_line_col(&rope, emoji + 1, Encoding::Utf16), lc(1, 2));
    }

    #[test]
    fn empty_text_and_trailing_break() {
        let empty = Rope::from_str("");
        assert_eq!(to_line_col(&empty, 0, Encoding::Utf16), lc(0, 0));
        assert_eq!(to_offset(&empty, lc(3, 3), Encoding::Utf16), 0);
        let trailing = Rope::from_str("a\r\n");
        assert_eq!(to_line_col(&trailing, 3, Encoding::Utf16), lc(1, 0));
        assert_eq!(to_offset(&trailing, lc(1, 0), Encoding::Utf16), 3);
        assert_eq!(to_offset(&trailing, lc(0, 9), Encoding::Utf16), 1);
    }

    #[test]
    fn a_table_equals_single_lookups() {
        let mut text = String::from(MIXED);
        for idx in 0..40 {
            text.push_str(["a\r\n", "é", "\r", "😀", "\n", "中 x", "\r\r\n\n"][idx % 7]);
        }
        let rope = Rope::from_str(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            // Every offset, inside characters and past the end included,
            // given out of order and twice.
            let offsets: Vec<usize> = (0..text.len() + 3).rev().chain(0..text.len()).collect();
            let table = PositionTable::new(&text, offsets.iter().copied(), encoding);
            for &offset in &offsets {
                assert_eq!(
                    table.get(offset.min(text.len())),
                    Some(to_line_col(&rope, offset, encoding)),
                    "{encoding:?} offset {offset}"
                );
            }
        }
    }

    #[test]
    fn length_in_each_encoding() {
        assert_eq!(len_in("é中😀", Encoding::Utf8), 9);
        assert_eq!(len_in("é中😀", Encoding::Utf16), 4);
    }
}
