//! `LineIndex`: byte offset ⇄ (line, byte column), with LF, CRLF and CR breaks.

/// The start offset of every line of a text.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r`, the three that LSP
/// recognises; nothing else (not U+2028, not form feed) ends a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0);
        for pos in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                continue;
            }
            line_starts.push((pos + 1) as u32);
        }
        LineIndex { line_starts, len: bytes.len() as u32 }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = (offset as u32).min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The 0-based line and byte column of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let offset = offset.min(self.len as usize);
        (line, offset - self.line_starts[line] as usize)
    }

    /// The byte offset where `line` starts; `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).map(|&start| start as usize)
    }

    /// The byte range of `line` without its line break.
    pub fn line_range(&self, line: usize, text: &str) -> Option<std::ops::Range<usize>> {
        let start = self.line_start(line)?;
        let mut end = self.line_start(line + 1).unwrap_or(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_on_lf_crlf_and_cr() {
        let text = "a\nbc\r\nd\re";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_col(0), (0, 0));
        assert_eq!(index.line_col(3), (1, 1));
        assert_eq!(index.line_col(4), (1, 2)); // the `\r` of CRLF stays on line 1
        assert_eq!(index.line_col(6), (2, 0));
        assert_eq!(index.line_col(8), (3, 0));
        assert_eq!(index.line_range(1, text), Some(2..4));
        assert_eq!(index.line_range(3, text), Some(8..9));
        assert_eq!(index.line_col(100), (3, 1));
    }

    #[test]
    fn trailing_newline_gives_an_empty_last_line() {
        let index = LineIndex::new("x\n");
        assert_eq!(index.line_count(), 2);
        assert_eq!(index.line_col(2), (1, 0));
    }
}
