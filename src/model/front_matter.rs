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
