//! Semantic tokens: references, note labels, dates, headings, URLs.
//!
//! Tokens come out sorted and disjoint; a heading is cut around the tokens
//! inside it. The server splits multi-line tokens and encodes the deltas.

use crate::model::Document;
use crate::text::TextRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A reference whose note exists.
    Reference,
    /// A reference whose note does not exist.
    UnresolvedReference,
    /// The label of a note definition.
    NoteLabel,
    Date,
    Heading,
    Url,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub range: TextRange,
    pub kind: TokenKind,
}

/// The tokens intersecting `range` (all of them for `None`).
pub fn semantic_tokens(doc: &Document, range: Option<TextRange>) -> Vec<Token> {
    let wanted = |token_range: TextRange| {
        range.is_none_or(|range| {
            token_range.intersects(range) || range.is_empty() && range.start() == token_range.start()
        })
    };
    let mut leaves: Vec<Token> = Vec::new();
    for reference in &doc.references {
        let kind = if doc.note_indices(&reference.label).is_empty() {
            TokenKind::UnresolvedReference
        } else {
            TokenKind::Reference
        };
        leaves.push(Token { range: reference.range, kind });
    }
    leaves.extend(doc.notes.iter().map(|note| Token { range: note.label_range, kind: TokenKind::NoteLabel }));
    leaves.extend(doc.dates.iter().map(|date| Token { range: date.range, kind: TokenKind::Date }));
    leaves.extend(doc.urls.iter().map(|&range| Token { range, kind: TokenKind::Url }));
    leaves.retain(|token| !token.range.is_empty() && wanted(token.range));
    leaves.sort_by_key(|token| (token.range.start(), std::cmp::Reverse(token.range.end())));
    let mut disjoint: Vec<Token> = Vec::with_capacity(leaves.len());
    for token in leaves {
        if disjoint.last().is_none_or(|last| last.range.end() <= token.range.start()) {
            disjoint.push(token);
        }
    }

    let mut headings: Vec<Token> = Vec::new();
    for heading in doc.headings.iter().filter(|heading| wanted(heading.range)) {
        let range = heading.range;
        let first_inside = disjoint.partition_point(|token| token.range.end() <= range.start());
        let mut cursor = range.start();
        for token in disjoint[first_inside..].iter().take_while(|token| token.range.start() < range.end()) {
            if token.range.start() > cursor {
                headings.push(Token {
                    range: TextRange::new(cursor, token.range.start()),
                    kind: TokenKind::Heading,
                });
            }
            cursor = cursor.max(token.range.end());
        }
        let end = range.start() + doc.slice(range).trim_end().len();
        if end > cursor {
            headings.push(Token { range: TextRange::new(cursor, end), kind: TokenKind::Heading });
        }
    }
    disjoint.extend(headings);
    disjoint.sort_by_key(|token| token.range.start());
    disjoint
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    #[test]
    fn tokens_are_sorted_disjoint_and_cut_headings() {
        let text = "# Talks on June 25, 2023\nSaid.[1] Not.[4]\n[1] “T”, X, https://x.org\n";
        let doc = fixture::doc(text);
        let tokens = semantic_tokens(&doc, None);
        let seen: Vec<(&str, TokenKind)> =
            tokens.iter().map(|token| (doc.slice(token.range), token.kind)).collect();
        assert_eq!(
            seen,
            [
                ("# Talks on ", TokenKind::Heading),
                ("June 25, 2023", TokenKind::Date),
                ("[1]", TokenKind::Reference),
                ("[4]", TokenKind::UnresolvedReference),
                ("[1]", TokenKind::NoteLabel),
                ("https://x.org", TokenKind::Url),
            ]
        );
        for pair in tokens.windows(2) {
            assert!(pair[0].range.end() <= pair[1].range.start());
        }
        let second_line = text.find("Said").unwrap();
        let ranged = semantic_tokens(&doc, Some(TextRange::new(second_line, second_line + 10)));
        assert_eq!(ranged.len(), 1);
    }
}
