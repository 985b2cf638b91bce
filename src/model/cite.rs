//! Pandoc citations in the article: `[see @a, p. 3; -@b]` and `@a says`.
//!
//! Each `@key` is one `Cite`, with its key, the group it stands in and its
//! prefix and locator; the entries they cite are in the bibliography
//! (`model::bibliography`), which the edges load and attach to the
//! document.

use std::sync::Arc;

use crate::model::front_matter::FrontMatter;
use crate::text::TextRange;

/// One cited key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    /// The key without its `@` (shared: the next model reuses it).
    pub key: Arc<str>,
    /// The key itself, without the `@`.
    pub key_range: TextRange,
    /// The narrowest useful range: `@key` (with its `-` when suppressed).
    pub range: TextRange,
    /// The whole group, `[` to `]`; for a narrative citation, `@key`.
    pub group: TextRange,
    /// `see` in `[see @a]`, trimmed.
    pub prefix: Option<TextRange>,
    /// `p. 33` in `[@a, p. 33]`, without the leading comma, trimmed.
    pub locator: Option<TextRange>,
    /// `[-@a]`: the author is not named again.
    pub suppress_author: bool,
    /// `@a says`, outside brackets.
    pub narrative: bool,
}

impl Cite {
    /// This citation with every range moved by `mv` (to where its node
    /// now starts).
    pub(crate) fn moved(&self, mv: impl Fn(TextRange) -> TextRange) -> Cite {
        Cite {
            key_range: mv(self.key_range),
            range: mv(self.range),
            group: mv(self.group),
            prefix: self.prefix.map(&mv),
            locator: self.locator.map(&mv),
            ..self.clone()
        }
    }
}

/// One file named by the front matter's `bibliography:`, as written, and
/// where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BibliographyPath {
    pub path: String,
    pub range: TextRange,
}

/// The files the front matter's `bibliography:` names: one path, a list
/// `[a.bib, b.bib]`, or paths separated by commas; quotes are stripped.
pub fn front_matter_paths(front_matter: Option<&FrontMatter>, text: &str) -> Vec<BibliographyPath> {
    let Some(entry) = front_matter.and_then(|fm| fm.get("bibliography")) else { return Vec::new() };
    let range = entry.value_range;
    let raw = text.get(range.as_range()).unwrap_or("");
    let (inner, base) = match raw.trim_end().strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
        Some(inner) => (inner, range.start() + 1),
        None => (raw, range.start()),
    };
    let mut out = Vec::new();
    let mut at = 0;
    for piece in inner.split(',') {
        let start = base + at + (piece.len() - piece.trim_start().len());
        at += piece.len() + 1;
        let trimmed = piece.trim();
        let unquoted = crate::model::front_matter::unquote(trimmed);
        if unquoted.is_empty() {
            continue;
        }
        out.push(BibliographyPath {
            path: unquoted.to_owned(),
            range: TextRange::new(start, start + trimmed.len()),
        });
    }
    out
}

/// Trims blanks, and a leading comma, off a locator's range.
pub(crate) fn trim_locator(text: &str, range: TextRange) -> Option<TextRange> {
    let slice = text.get(range.as_range())?;
    let lead = slice.len() - slice.trim_start_matches([' ', '\t', ',']).len();
    let body = slice[lead..].trim_end();
    (!body.is_empty()).then(|| TextRange::new(range.start() + lead, range.start() + lead + body.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, ModelConfig};

    fn paths(text: &str) -> Vec<String> {
        let doc = Document::parse(text, &ModelConfig::default());
        let found = front_matter_paths(doc.front_matter.as_ref(), text);
        for path in &found {
            assert!(text[path.range.as_range()].contains(&path.path), "{path:?}");
        }
        found.into_iter().map(|p| p.path).collect()
    }

    #[test]
    fn bibliography_paths_in_the_front_matter() {
        assert_eq!(paths("---\nbibliography: refs.bib\n---\nText.\n"), ["refs.bib"]);
        assert_eq!(paths("---\nbibliography: [a.bib, \"b c.json\"]\n---\nText.\n"), ["a.bib", "b c.json"]);
        assert_eq!(paths("---\ntitle: x\n---\nText.\n"), Vec::<String>::new());
    }

    #[test]
    fn citations_with_their_parts() {
        let text = "As [see @knuth, p. 33; -@b] and @c says, ann@example.org `@d`.\n";
        let doc = Document::parse(text, &ModelConfig::default());
        let keys: Vec<&str> = doc.cites.iter().map(|c| c.key.as_ref()).collect();
        assert_eq!(keys, ["knuth", "b", "c"]);
        let first = &doc.cites[0];
        assert_eq!(doc.slice(first.range), "@knuth");
        assert_eq!(doc.slice(first.group), "[see @knuth, p. 33; -@b]");
        assert_eq!(first.prefix.map(|r| doc.slice(r)), Some("see"));
        assert_eq!(first.locator.map(|r| doc.slice(r)), Some("p. 33"));
        assert!(doc.cites[1].suppress_author && !doc.cites[1].narrative);
        assert_eq!(doc.slice(doc.cites[1].range), "-@b");
        assert!(doc.cites[2].narrative);
        assert_eq!(doc.slice(doc.cites[2].group), "@c");
    }
}
