//! Citation text of a note, read best effort: `Author(s), “Title”, Publisher, Date, URL`.

use std::sync::Arc;

use crate::model::dates::DateValue;
use crate::text::TextRange;

/// The parts of a note's citation. Any part may be missing.
///
/// The texts are shared: a citation read before is reused by the next model
/// without copies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Citation {
    pub authors: Option<Arc<str>>,
    pub title: Option<Arc<str>>,
    pub publisher: Option<Arc<str>>,
    /// The source's date: the first date in the note.
    pub date: Option<u32>,
    /// The source's date value (also set for a bare year like `1987`, which
    /// is a date only in this position).
    pub date_value: Option<DateValue>,
    pub date_range: Option<TextRange>,
    /// The source's link: the first URL in the note.
    pub url: Option<Arc<str>>,
    pub url_range: Option<TextRange>,
}

/// What the model already found inside the note.
pub(crate) struct CitationInput<'a> {
    pub text: &'a str,
    /// The note's content range in the document.
    pub content: TextRange,
    pub first_url: Option<TextRange>,
    /// The date mentions in the content, in order: index, range, value.
    pub dates: &'a [(u32, TextRange, DateValue)],
}

pub(crate) fn parse(input: &CitationInput<'_>) -> Citation {
    let content = input.text.get(input.content.as_range()).unwrap_or("");
    let base = input.content.start();
    let mut citation = Citation {
        url: input.first_url.map(|range| Arc::from(&input.text[range.as_range()])),
        url_range: input.first_url,
        ..Citation::default()
    };
    // The source's date is the first date that is not an access date
    // (`accessed July 1, 2023`, `retrieved …`).
    let source_date = input.dates.iter().find(|(_, range, _)| {
        let before = input.text.get(input.content.start()..range.start()).unwrap_or("");
        !is_access_date_prefix(before)
    });
    if let Some(&(idx, range, value)) = source_date {
        citation.date = Some(idx);
        citation.date_range = Some(range);
        citation.date_value = Some(value);
    }

    let title = find_title(content);
    let (before, after) = match title {
        Some((start, end, inner)) => {
            citation.title = Some(collapse(inner).into());
            (&content[..start], &content[end..])
        }
        None => ("", content),
    };
    let authors = before.trim().trim_end_matches(',').trim();
    if !authors.is_empty() {
        citation.authors = Some(collapse(authors).into());
    }

    // After the title: comma-separated segments; the first that is neither
    // the date nor the URL is the publisher.
    let after_offset = base + (content.len() - after.len());
    let mut segment_start = 0;
    for segment in after.split(',') {
        let seg_abs =
            TextRange::new(after_offset + segment_start, after_offset + segment_start + segment.len());
        segment_start += segment.len() + 1;
        let trimmed = segment.trim().trim_end_matches('.').trim();
        if trimmed.is_empty() {
            continue;
        }
        let is_date = citation.date_range.is_some_and(|r| r.intersects(seg_abs));
        let is_url = citation.url_range.is_some_and(|r| r.intersects(seg_abs));
        // A bare year (`…, Bina Cipta, 1987`) is the source's date when it
        // comes before any other date.
        let before_date = citation.date_range.is_none_or(|r| seg_abs.end() <= r.start());
        if before_date && is_bare_year(trimmed) {
            citation.date = None;
            let lead = segment.len() - segment.trim_start().len();
            let start = seg_abs.start() + lead;
            citation.date_range = Some(TextRange::new(start, start + 4));
            citation.date_value = trimmed.parse().ok().map(DateValue::Year);
            continue;
        }
        if is_date || is_url || citation.publisher.is_some() || title.is_none() {
            continue;
        }
        citation.publisher = Some(collapse(trimmed).into());
    }
    citation
}

/// `true` when the text before a date ends with `accessed`, `retrieved` or a
/// similar word: that date is when the source was read, not published.
fn is_access_date_prefix(before: &str) -> bool {
    let word = before.trim_end().trim_end_matches([':', ',']).trim_end();
    let last = word.rsplit(|c: char| c.is_whitespace() || c == ',' || c == '(').next().unwrap_or("");
    ["accessed", "retrieved", "viewed", "consulted", "archived", "visited", "downloaded"]
        .iter()
        .any(|prefix| last.eq_ignore_ascii_case(prefix))
        || word.to_ascii_lowercase().ends_with("last accessed")
        || word.to_ascii_lowercase().ends_with("accessed on")
        || word.to_ascii_lowercase().ends_with("retrieved on")
}

/// `true` for a note that cites the source of the note before it.
pub(crate) fn is_ibid(content: &str) -> bool {
    let trimmed = content.trim_start();
    let head: String = trimmed.chars().take(4).flat_map(char::to_lowercase).collect();
    if head == "ibid" {
        return !trimmed.chars().nth(4).is_some_and(char::is_alphanumeric);
    }
    trimmed.starts_with("Id.") || trimmed.starts_with("id.")
}

/// The first quoted title: its byte span (quotes included) and inner text.
/// A title may contain a nested opening quote; it ends at the first closing
/// quote followed by a comma, a period or the end.
fn find_title(content: &str) -> Option<(usize, usize, &str)> {
    let (open_idx, open) = content.char_indices().find(|&(_, c)| c == '“' || c == '"')?;
    let inner_start = open_idx + open.len_utf8();
    let rest = &content[inner_start..];
    let mut fallback = None;
    for (rel, c) in rest.char_indices() {
        let is_close = c == '”' || (c == '"' && open == '"') || (c == '"' && open == '“');
        if !is_close {
            continue;
        }
        let after = rest[rel + c.len_utf8()..].trim_start();
        let end = inner_start + rel + c.len_utf8();
        if after.is_empty() || after.starts_with([',', '.', ';']) {
            return Some((open_idx, end, &content[inner_start..inner_start + rel]));
        }
        fallback.get_or_insert((open_idx, end, &content[inner_start..inner_start + rel]));
    }
    fallback
}

fn is_bare_year(segment: &str) -> bool {
    segment.len() == 4
        && segment.bytes().all(|b| b.is_ascii_digit())
        && matches!(segment.as_bytes()[0], b'1' | b'2')
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse(text: &str) -> String {
    let mut collapser = Collapser::with_capacity(text.len());
    collapser.push(text);
    collapser.finish()
}

/// Builds a string from pieces with whitespace runs collapsed to one space
/// and no space at either end; pieces join with a space only where
/// whitespace separates them.
///
/// The hot path of the model (every sentence of a book-length article goes
/// through it), so ASCII is handled byte by byte and only non-ASCII
/// characters are decoded.
pub(crate) struct Collapser {
    out: String,
    pending_space: bool,
}

impl Collapser {
    pub(crate) fn with_capacity(capacity: usize) -> Collapser {
        Collapser { out: String::with_capacity(capacity), pending_space: false }
    }

    /// A collapser writing into `buffer`'s memory (its text is dropped).
    pub(crate) fn reusing(mut buffer: String) -> Collapser {
        buffer.clear();
        Collapser { out: buffer, pending_space: false }
    }

    pub(crate) fn push(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        let mut idx = 0;
        while idx < bytes.len() {
            let (is_space, len) = char_at(piece, idx);
            if is_space {
                self.pending_space = true;
                idx += len;
                continue;
            }
            // Copy the run up to the next whitespace that is not a single
            // ASCII space between two other characters (prose is mostly
            // such runs: a sentence is usually copied in one piece).
            let start = idx;
            idx += len;
            while idx < bytes.len() {
                match SPACE_CLASS[usize::from(bytes[idx])] {
                    PLAIN => idx += 1,
                    SPACE => match bytes.get(idx + 1) {
                        Some(&next) if SPACE_CLASS[usize::from(next)] == PLAIN => idx += 2,
                        _ => break,
                    },
                    _ => {
                        let (is_space, len) = char_at(piece, idx);
                        if is_space {
                            break;
                        }
                        idx += len;
                    }
                }
            }
            if self.pending_space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.pending_space = false;
            self.out.push_str(&piece[start..idx]);
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Whether the character at `idx` is whitespace, and its length.
fn char_at(piece: &str, idx: usize) -> (bool, usize) {
    let byte = piece.as_bytes()[idx];
    if byte < 0x80 {
        (is_ascii_space(byte), 1)
    } else {
        let c = piece[idx..].chars().next().unwrap_or(' ');
        (c.is_whitespace(), c.len_utf8())
    }
}

/// `true` for a byte that may start a whitespace character: ASCII
/// whitespace, and the lead bytes of every non-ASCII one (U+0085 and U+00A0
/// start with 0xC2, U+1680 with 0xE1, U+2000–U+205F with 0xE2, U+3000 with
/// 0xE3). Continuation bytes never start one.
const fn may_be_space(byte: u8) -> bool {
    is_ascii_space(byte) || matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// `SPACE_CLASS[byte]`: `SPACE` for `' '`, `MAYBE_SPACE` for the other
/// bytes `may_be_space` accepts, `PLAIN` for the rest.
const SPACE_CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    let mut byte = 0;
    while byte < 256 {
        if byte == b' ' as usize {
            table[byte] = SPACE;
        } else if may_be_space(byte as u8) {
            table[byte] = MAYBE_SPACE;
        }
        byte += 1;
    }
    table
};
const PLAIN: u8 = 0;
const SPACE: u8 = 1;
const MAYBE_SPACE: u8 = 2;

/// `char::is_whitespace` for ASCII: space, tab, LF, VT, FF, CR.
const fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Citation {
        parse(&CitationInput { text, content: TextRange::new(0, text.len()), first_url: None, dates: &[] })
    }

    #[test]
    fn collapsing_equals_joining_the_words() {
        let pieces = [
            "a", " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{2009}", "\u{3000}", "\u{85}", "“", "—", "é",
            "中", "😀", "word", ".", "\u{1680}", "\u{202f}", "x y",
        ];
        let mut state = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            let mut splits = vec![0];
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
                if state.is_multiple_of(3) {
                    splits.push(text.len());
                }
            }
            splits.push(text.len());
            // Pushed in pieces, as a sentence around removed markers is.
            let mut collapser = Collapser::with_capacity(0);
            for pair in splits.windows(2) {
                collapser.push(&text[pair[0]..pair[1]]);
            }
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapser.finish(), expected, "{text:?} pushed as {splits:?}");
        }
    }

    #[test]
    fn author_title_publisher() {
        let citation = parse_text(
            "Nectar Gan, “China throws support behind ‘strategic partner’ Russia”, CNN, June 26th, 2023",
        );
        assert_eq!(citation.authors.as_deref(), Some("Nectar Gan"));
        assert_eq!(citation.title.as_deref(), Some("China throws support behind ‘strategic partner’ Russia"));
        assert_eq!(citation.publisher.as_deref(), Some("CNN"));
    }

    #[test]
    fn nested_quote_in_title() {
        let citation = parse_text(
            "“Joint Statement on the “Sino-Russian Treaty of Good Neighborliness, Friendship”, Ministry, 2011",
        );
        assert_eq!(
            citation.title.as_deref(),
            Some("Joint Statement on the “Sino-Russian Treaty of Good Neighborliness, Friendship")
        );
        assert_eq!(citation.publisher.as_deref(), Some("Ministry"));
        assert_eq!(citation.date_value, Some(DateValue::Year(2011)));
    }

    #[test]
    fn access_dates_are_not_source_dates() {
        assert!(is_access_date_prefix("“Title”, CNN, https://x.example/a, accessed "));
        assert!(is_access_date_prefix("“Title”, Retrieved: "));
        assert!(is_access_date_prefix("“Title” (accessed on "));
        assert!(!is_access_date_prefix("“Title”, CNN, "));
        let text = "Kusumohamidjojo, “Hubungan”, Jakarta: Bina Cipta, 1987, accessed July 1, 2023";
        let accessed = text.find("July").unwrap();
        let date = DateValue::Day(jiff::civil::date(2023, 7, 1));
        let dates = [(0, TextRange::new(accessed, text.len()), date)];
        let citation = parse(&CitationInput {
            text,
            content: TextRange::new(0, text.len()),
            first_url: None,
            dates: &dates,
        });
        assert_eq!(citation.date_value, Some(DateValue::Year(1987)));
        assert_eq!(citation.date, None);
    }

    #[test]
    fn collapse_whitespace() {
        assert_eq!(collapse("  a \t b\r\n\u{a0}c\u{2003} "), "a b c");
        assert_eq!(collapse("“é”  中😀"), "“é” 中😀");
        assert_eq!(collapse(""), "");
        let mut collapser = Collapser::with_capacity(0);
        for piece in ["said. ", "", " Next", "word", " end ", "\0"] {
            collapser.push(piece);
        }
        let out = collapser.finish();
        assert_eq!(out, "said. Nextword end \0");
    }

    #[test]
    fn ibid_forms() {
        for text in ["Ibid", "Ibid.", "ibid., p. 4", "IBID", "Id. at 5"] {
            assert!(is_ibid(text), "{text}");
        }
        for text in ["Ibidem Press, “Title”", "Idaho Statesman", ""] {
            assert!(!is_ibid(text), "{text}");
        }
    }
}
