//! `TextRange`: a half-open byte range into a document.

use std::fmt;
use std::ops::Range;

/// A half-open range `start..end` of UTF-8 byte offsets.
///
/// Offsets are stored as `u32` (documents over 4 GiB are refused at the
/// edges), which halves the size of the model on book-length articles.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    /// Creates `start..end`; `end` is clamped up to `start`.
    pub fn new(start: usize, end: usize) -> TextRange {
        let start = to_u32(start);
        let end = to_u32(end).max(start);
        TextRange { start, end }
    }

    /// An empty range at `offset`.
    pub fn empty(offset: usize) -> TextRange {
        TextRange::new(offset, offset)
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// `true` when `offset` lies in `start..=end` (the end is included, so a
    /// cursor just after a marker still touches it, as editors expect).
    pub fn touches(self, offset: usize) -> bool {
        self.start() <= offset && offset <= self.end()
    }

    /// `true` when `offset` lies in `start..end`.
    pub fn contains(self, offset: usize) -> bool {
        self.start() <= offset && offset < self.end()
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn intersects(self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// This range moved right by `offset` bytes.
    pub fn shifted(self, offset: usize) -> TextRange {
        TextRange::new(self.start() + offset, self.end() + offset)
    }

    pub fn as_range(self) -> Range<usize> {
        self.start()..self.end()
    }
}

impl From<Range<usize>> for TextRange {
    fn from(range: Range<usize>) -> TextRange {
        TextRange::new(range.start, range.end)
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}
