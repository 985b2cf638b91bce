//! Front matter: `key: value` lines between `---` delimiters.

use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub range: TextRange,
    pub entries: Vec<FrontMatterEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterEntry {
    pub key: String,
    pub key_range: TextRange,
    pub value: String,
    pub value_range: TextRange,
}

impl FrontMatter {
    /// This front matter as if it started `to - from` bytes later.
    pub(crate) fn moved(&self, from: usize, to: usize) -> FrontMatter {
        let mv = |range: TextRange| TextRange::new(range.start() - from + to, range.end() - from + to);
        FrontMatter {
            range: mv(self.range),
            entries: self
                .entries
                .iter()
                .map(|entry| FrontMatterEntry {
                    key_range: mv(entry.key_range),
                    value_range: mv(entry.value_range),
                    ..entry.clone()
                })
                .collect(),
        }
    }

    /// The value of `key` (the first, when repeated).
    pub fn get(&self, key: &str) -> Option<&FrontMatterEntry> {
        self.entries.iter().find(|entry| entry.key == key)
    }
}

/// Strips matching surrounding quotes from a value (`"June 27, 2023"`).
pub(crate) fn unquote(value: &str) -> &str {
    let value = value.trim();
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”')] {
        if let Some(inner) = value.strip_prefix(open).and_then(|v| v.strip_suffix(close)) {
            return inner.trim();
        }
    }
    value
}
