//! Sentence segmentation of prose.
//!
//! PLACEHOLDER: the segmentation work replaces `split` with a segmenter that
//! handles abbreviations, initials, decimals, ellipses and quotes.

use std::ops::Range;

/// Splits `text` into sentences: trimmed, non-empty, in order, disjoint.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut idx = 0;
    while idx < bytes.len() {
        if matches!(bytes[idx], b'.' | b'!' | b'?')
            && bytes.get(idx + 1).is_none_or(|b| b.is_ascii_whitespace())
        {
            push_trimmed(text, start..idx + 1, &mut sentences);
            start = idx + 1;
        }
        idx += 1;
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let trimmed_start = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        let start = range.start + trimmed_start;
        out.push(start..start + trimmed.len());
    }
}
