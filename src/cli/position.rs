//! 1-based line:column positions for humans and scripts (columns counted in
//! Unicode scalar values).

use serde::Serialize;

use crate::text::LineIndex;

/// A 1-based number; `OneIndexed::from_zero_indexed(0)` is 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OneIndexed(usize);

impl OneIndexed {
    pub fn from_zero_indexed(value: usize) -> OneIndexed {
        OneIndexed(value + 1)
    }

    pub fn get(self) -> usize {
        self.0
    }
}

impl std::fmt::Display for OneIndexed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SourcePosition {
    pub line: OneIndexed,
    pub column: OneIndexed,
}

impl SourcePosition {
    /// The position of byte `offset` in `text`.
    pub fn of(text: &str, index: &LineIndex, offset: usize) -> SourcePosition {
        let (line, byte_col) = index.line_col(offset);
        let line_start = index.line_start(line).unwrap_or(0);
        let mut end = (line_start + byte_col).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[line_start..end].chars().count();
        SourcePosition {
            line: OneIndexed::from_zero_indexed(line),
            column: OneIndexed::from_zero_indexed(column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values() {
        let text = "é😀x\r\nab";
        let index = LineIndex::new(text);
        let pos = SourcePosition::of(text, &index, "é😀".len());
        assert_eq!((pos.line.get(), pos.column.get()), (1, 3));
        let pos = SourcePosition::of(text, &index, text.len() - 1);
        assert_eq!((pos.line.get(), pos.column.get()), (2, 2));
    }
}
