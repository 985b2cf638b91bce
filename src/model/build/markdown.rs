//! Markdown and Pandoc constructs the grammar reads as plain AAM blocks,
//! set right over the whole document after its nodes are modelled.
//!
//! The grammar reads what AAM needs (notes, references, fences at the start
//! of a line); a Markdown file has more, and each of these would otherwise
//! be read as prose or as a citation:
//!
//! - **link definitions** `[12]: https://…` (a label, a colon and a lone
//!   link target, maybe with a title): not notes; a bracket with their label
//!   (`PR [12]`, `[text][12]`) is a link, not a reference;
//! - **reference-style links** `[text][1]`, `[1][text]`, `[1][]`: the
//!   bracket beside another bracket is a link label or text, not a citation
//!   (`[1][3]`, two references side by side, stays two references);
//! - **code** in every position: fences inside list items, quotes and notes
//!   (at any indentation), indented code blocks (four spaces after a blank
//!   line, not continuing a list item or a note), and HTML `<pre>`,
//!   `<script>`, `<style>`, `<textarea>` elements: no sentences, references
//!   or dates are read in them;
//! - **HTML blocks** (a paragraph that starts with a block-level tag or a
//!   line holding one tag alone, as CommonMark reads them): raw markup, not
//!   prose;
//! - **tables** (GFM: a `|` row then a delimiter row): their references are
//!   citations, their cells are not sentences;
//! - **multi-paragraph notes**: a paragraph indented by four spaces after a
//!   note continues it (its text is the note's, not prose).

use rustc_hash::FxHashSet;
use std::sync::Arc;

use crate::model::dates::DateMention;
use crate::model::{Block, BlockKind, Note, Reference, Sentence, citation};
use crate::text::TextRange;

/// Everything `tidy` may change, borrowed from the document being built.
pub(super) struct Parts<'a> {
    pub text: &'a str,
    pub blocks: &'a mut Vec<Block>,
    pub sentences: &'a mut Vec<Sentence>,
    pub references: &'a mut Vec<Reference>,
    pub notes: &'a mut Vec<Note>,
    pub dates: &'a mut Vec<DateMention>,
    pub code: &'a mut Vec<TextRange>,
    pub urls: &'a mut Vec<TextRange>,
    pub comments: &'a [TextRange],
}

/// Sets the Markdown constructs of the module's list right.
pub(super) fn tidy(parts: Parts<'_>) {
    let Parts { text, blocks, sentences, references, notes, dates, code, urls, comments } = parts;

    // Notes listed as list items: `- [3] text`, `- **[3]** text`.
    list_item_notes(text, blocks, sentences, references, notes);

    // Link definitions are not notes; brackets with their labels are links.
    let mut link_labels: FxHashSet<Arc<str>> = FxHashSet::default();
    let mut link_ranges: Vec<TextRange> = Vec::new();
    notes.retain(|note| {
        if is_link_definition(text, note) {
            link_labels.insert(note.label.clone());
            link_ranges.push(note.range);
            false
        } else {
            true
        }
    });
    for block in blocks.iter_mut() {
        if block.kind == BlockKind::Note && link_ranges.binary_search(&block.range).is_ok() {
            block.kind = BlockKind::LinkDefinition;
            block.content = TextRange::empty(block.range.start());
        }
    }
    // Paragraphs of link definitions with other labels (`[docs]: https://…`).
    for block in blocks.iter_mut() {
        if block.kind == BlockKind::Paragraph && is_link_definition_paragraph(text, block.range) {
            block.kind = BlockKind::LinkDefinition;
            link_ranges.push(block.range);
        }
    }
    link_ranges.sort();
    if !link_ranges.is_empty() {
        sentences.retain(|s| !overlaps_any(&link_ranges, s.range));
    }
    let note_labels: FxHashSet<&str> = notes.iter().map(|note| note.label.as_ref()).collect();
    let markers: FxHashSet<(usize, usize)> =
        references.iter().map(|r| (r.marker.start(), r.marker.end())).collect();
    let marker_ends: FxHashSet<usize> = markers.iter().map(|&(_, end)| end).collect();
    let marker_starts: FxHashSet<usize> = markers.iter().map(|&(start, _)| start).collect();
    references.retain(|reference| {
        let (start, end) = (reference.marker.start(), reference.marker.end());
        if link_labels.contains(&reference.label) && !note_labels.contains(reference.label.as_ref()) {
            return false;
        }
        let bytes = text.as_bytes();
        // `[text][1]`: the bracket before is a link's text.
        let after_bracket = start > 0 && bytes[start - 1] == b']' && !marker_ends.contains(&start);
        // `[1][text]`, `[1][]`: this bracket is a link's text.
        let before_bracket = bytes.get(end) == Some(&b'[') && !marker_starts.contains(&end);
        !(after_bracket || before_bracket)
    });

    // Multi-paragraph notes: an indented paragraph after a note continues it.
    merge_note_paragraphs(text, blocks, sentences, notes);

    // Code and HTML in positions the grammar reads as text.
    let mut regions = code_regions(text, blocks);
    for block in blocks.iter() {
        if block.kind == BlockKind::Paragraph {
            let line = first_line(text, block.range);
            if is_html_block(line) || is_template_line(line) {
                regions.push(block.range);
            }
        }
    }
    if let Some(front_matter) = toml_front_matter(text) {
        regions.push(front_matter);
    }
    let regions = merge(regions);
    if !regions.is_empty() {
        sentences.retain(|s| !overlaps_any(&regions, s.range));
        references.retain(|r| !overlaps_any(&regions, r.marker));
        dates.retain(|d| !overlaps_any(&regions, d.range));
        urls.retain(|u| !overlaps_any(&regions, *u));
        code.extend(regions);
        *code = merge(std::mem::take(code));
    }

    // A bare URL right after a sentence (`Fix it by @a in https://…/12`) is
    // part of what it says: two such lines about different links differ.
    with_trailing_urls(text, sentences, references, comments, urls);

    // Math: no references or dates inside `$…$` and `$$…$$`.
    let math = math_regions(text, blocks);
    if !math.is_empty() {
        references.retain(|r| !overlaps_any(&math, r.marker));
        dates.retain(|d| !overlaps_any(&math, d.range));
    }

    // Tables: cells are not sentences (their references stay citations).
    let tables: Vec<TextRange> = blocks
        .iter()
        .filter(|block| block.kind == BlockKind::Paragraph && is_table(text, block.range))
        .map(|block| block.range)
        .collect();
    if !tables.is_empty() {
        sentences.retain(|s| !overlaps_any(&tables, s.range));
    }
}

/// Turns a list item that starts with a lone reference (`- [3] text`,
/// `- **[3]** text`, `- [3]: text`) into the definition of that note.
fn list_item_notes(
    text: &str,
    blocks: &mut [Block],
    sentences: &mut [Sentence],
    references: &mut Vec<Reference>,
    notes: &mut Vec<Note>,
) {
    let mut made: Vec<(usize, Note)> = Vec::new();
    let mut drop: Vec<TextRange> = Vec::new();
    for (block_idx, block) in blocks.iter_mut().enumerate() {
        if block.kind != BlockKind::ListItem || block.content.is_empty() {
            continue;
        }
        let start = block.content.start();
        let bold = text[start..].starts_with("**");
        let marker_start = if bold { start + 2 } else { start };
        let idx = references.partition_point(|r| r.marker.start() < marker_start);
        let Some(reference) = references.get(idx).filter(|r| r.marker.start() == marker_start) else {
            continue;
        };
        let lone = references.get(idx + 1).is_none_or(|next| next.marker != reference.marker)
            && reference.range == reference.marker;
        if !lone || reference.label.starts_with('^') {
            continue;
        }
        let mut after = reference.marker.end();
        if bold {
            if !text[after..].starts_with("**") {
                continue;
            }
            after += 2;
        }
        if text[after..].starts_with(':') {
            after += 1;
        }
        if !text[after..].starts_with([' ', '\t']) {
            continue;
        }
        let content = super::tree::trim_range(text, TextRange::new(after, block.content.end()));
        if content.is_empty() {
            continue;
        }
        let content_text = text.get(content.as_range()).unwrap_or("");
        made.push((
            block_idx,
            Note {
                label: reference.label.clone(),
                label_range: reference.marker,
                range: block.range,
                content,
                text: citation::collapse(content_text).into(),
                citation: citation::Citation::default(),
                ibid: citation::is_ibid(content_text),
                ibid_of: None,
            },
        ));
        drop.push(reference.marker);
        block.kind = BlockKind::Note;
    }
    if made.is_empty() {
        return;
    }
    references.retain(|r| drop.binary_search(&r.marker).is_err());
    for sentence in sentences.iter_mut() {
        if made.iter().any(|(idx, _)| *idx == sentence.block as usize) {
            sentence.context = BlockKind::Note;
        }
    }
    notes.extend(made.into_iter().map(|(_, note)| note));
    notes.sort_by_key(|note| note.range.start());
}

/// A paragraph whose every line is a link definition: `[label]: target`.
fn is_link_definition_paragraph(text: &str, range: TextRange) -> bool {
    let slice = text.get(line_start(text, range.start())..range.end()).unwrap_or("");
    let mut any = false;
    for line in slice.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        any = true;
        let Some(rest) = line.strip_prefix('[') else { return false };
        let Some((label, target)) = rest.split_once("]:") else { return false };
        if label.is_empty() || label.contains('[') || target.trim().is_empty() {
            return false;
        }
    }
    any
}

/// Extends each sentence over a bare URL that follows it with only blanks
/// between, before the next sentence.
fn with_trailing_urls(
    text: &str,
    sentences: &mut [Sentence],
    references: &[Reference],
    comments: &[TextRange],
    urls: &[TextRange],
) {
    if urls.is_empty() {
        return;
    }
    let mut skips = Vec::new();
    for idx in 0..sentences.len() {
        let end = sentences[idx].range.end();
        let next = sentences.get(idx + 1).map_or(text.len(), |s| s.range.start());
        let at = urls.partition_point(|u| u.start() < end);
        let Some(url) = urls.get(at).filter(|u| u.end() <= next) else { continue };
        if !text
            .get(end..url.start())
            .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\t' || c == '\n'))
        {
            continue;
        }
        if text[end..url.start()].matches('\n').count() > 1 {
            continue;
        }
        let range = TextRange::new(sentences[idx].range.start(), url.end());
        let buffer =
            super::prose::sentence_text(text, range, references, comments, &mut skips, String::new());
        sentences[idx].range = range;
        sentences[idx].text = buffer.into();
    }
}

/// TeX math in blocks of text: `$$…$$`, and `$…$` as Pandoc reads it (no
/// blank after the opening `$` or before the closing one, no digit right
/// after the closing one), within one block.
fn math_regions(text: &str, blocks: &[Block]) -> Vec<TextRange> {
    let mut out = Vec::new();
    // One SIMD scan of the whole text spares a scan of every block in the
    // common case (a keystroke rebuilds the model: this runs each time).
    if memchr::memchr(b'$', text.as_bytes()).is_none() {
        return out;
    }
    for block in blocks {
        if !matches!(
            block.kind,
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote | BlockKind::Note
        ) {
            continue;
        }
        let slice = text.get(block.range.as_range()).unwrap_or("");
        if memchr::memchr(b'$', slice.as_bytes()).is_none() {
            continue;
        }
        let bytes = slice.as_bytes();
        let mut at = 0;
        while let Some(found) = slice[at..].find('$') {
            let start = at + found;
            let double = bytes.get(start + 1) == Some(&b'$');
            let open = if double { 2 } else { 1 };
            let close = if double { "$$" } else { "$" };
            let Some(len) = slice[start + open..].find(close) else { break };
            let end = start + open + len + open;
            let inner = &slice[start + open..start + open + len];
            let ok = !inner.is_empty()
                && (double
                    || (!inner.starts_with(char::is_whitespace)
                        && !inner.ends_with(char::is_whitespace)
                        && !bytes.get(end).is_some_and(u8::is_ascii_digit)
                        && !inner.contains("\n\n")));
            if ok {
                out.push(TextRange::new(block.range.start() + start, block.range.start() + end));
                at = end;
            } else {
                at = start + open;
            }
        }
    }
    merge(out)
}

/// `[12]: https://example.com "Title"`: a numeric label with a colon, then
/// one link target and at most a title.
fn is_link_definition(text: &str, note: &Note) -> bool {
    let colon = text.as_bytes().get(note.label_range.end()) == Some(&b':')
        || text.get(note.label_range.as_range()).is_some_and(|label| label.ends_with(':'));
    if note.label.starts_with('^') || !colon {
        return false;
    }
    let content = text.get(note.content.as_range()).unwrap_or("").trim();
    let (target, rest) = match content.strip_prefix('<') {
        Some(inner) => match inner.split_once('>') {
            Some((target, rest)) => (target, rest),
            None => return false,
        },
        None => content.split_once(char::is_whitespace).unwrap_or((content, "")),
    };
    let looks_like_target = target.contains("://")
        || target.starts_with('/')
        || target.starts_with('#')
        || target.starts_with("./")
        || target.starts_with("../")
        || target.starts_with("mailto:")
        || (!target.is_empty()
            && !target.contains(char::is_whitespace)
            && target.contains('.')
            && target.contains('/'));
    if !looks_like_target {
        return false;
    }
    let rest = rest.trim();
    rest.is_empty()
        || (rest.len() >= 2
            && matches!(
                (rest.as_bytes()[0], rest.as_bytes()[rest.len() - 1]),
                (b'"', b'"') | (b'\'', b'\'') | (b'(', b')')
            ))
}

/// Appends to a note the paragraphs indented by four spaces (or a tab) that
/// follow it, as Pandoc and GFM read a note of several paragraphs.
fn merge_note_paragraphs(text: &str, blocks: &mut [Block], sentences: &mut [Sentence], notes: &mut [Note]) {
    let mut note_idx = 0usize;
    let mut open: Option<usize> = None;
    for (idx, block) in blocks.iter_mut().enumerate() {
        match block.kind {
            BlockKind::Note => {
                while note_idx < notes.len() && notes[note_idx].range.start() < block.range.start() {
                    note_idx += 1;
                }
                open = (note_idx < notes.len() && notes[note_idx].range == block.range).then_some(note_idx);
            }
            BlockKind::Paragraph if open.is_some() && indented_by(text, block.range, 4) => {
                let note = &mut notes[open.unwrap_or_default()];
                note.range = TextRange::new(note.range.start(), block.range.end());
                let end = super::tree::trim_range(text, block.range).end();
                note.content = TextRange::new(
                    note.content.start().min(block.range.start()),
                    end.max(note.content.end()),
                );
                note.text = citation::collapse(text.get(note.content.as_range()).unwrap_or("")).into();
                block.kind = BlockKind::Note;
                for sentence in sentences.iter_mut().filter(|s| s.block as usize == idx) {
                    sentence.context = BlockKind::Note;
                }
            }
            BlockKind::Paragraph | BlockKind::Heading | BlockKind::ListItem | BlockKind::Quote => open = None,
            _ => {}
        }
    }
}

/// Sorted, disjoint: overlapping and nested ranges become their union.
fn merge(mut ranges: Vec<TextRange>) -> Vec<TextRange> {
    ranges.sort();
    let mut merged: Vec<TextRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start() < last.end() => {
                *last = TextRange::new(last.start(), last.end().max(range.end()));
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// The ranges of code the grammar read as text: fences that do not start in
/// the first column (inside list items, quotes, notes, or indented), indented
/// code blocks, and HTML elements whose content is raw.
fn code_regions(text: &str, blocks: &[Block]) -> Vec<TextRange> {
    let mut out = Vec::new();
    // Fences the grammar did not see: inside blocks that hold text. A fence
    // spanning blank lines inside a list item is split into several blocks
    // by the grammar; the region found from the first covers the others.
    // Whole-text SIMD scans first: most articles have neither, and then no
    // block is searched (a keystroke rebuilds the model: this runs each time).
    let (any_fence, any_raw_html) = fence_or_raw_html(text);
    let mut covered_until = 0;
    for block in blocks {
        if !(any_fence || any_raw_html)
            || !matches!(
                block.kind,
                BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote | BlockKind::Note
            )
            || block.range.start() < covered_until
        {
            continue;
        }
        let found = out.len();
        let slice = text.get(block.range.as_range()).unwrap_or("");
        if any_fence && (has(slice, "```") || has(slice, "~~~")) {
            nested_fences(text, block.range, &mut out);
        }
        if any_raw_html && ["<pre", "<script", "<style", "<textarea"].iter().any(|tag| has(slice, tag)) {
            raw_html(text, block.range, &mut out);
        }
        covered_until = out[found..]
            .iter()
            .map(|r: &TextRange| r.end())
            .max()
            .unwrap_or(covered_until)
            .max(covered_until);
    }
    // Indented code: a paragraph indented by four that does not continue a
    // list item or a note (a blank line before it, nothing else between).
    let mut continues = false;
    for block in blocks {
        match block.kind {
            BlockKind::ListItem | BlockKind::Note => continues = true,
            BlockKind::Paragraph if indented_by(text, block.range, 4) => {
                if !continues {
                    out.push(block.range);
                }
            }
            BlockKind::Comment | BlockKind::LinkDefinition => {}
            _ => continues = false,
        }
    }
    out
}

/// Whether `text` has a fence (```` ``` ````, `~~~`) and an element whose
/// content is raw (`<pre`, `<script`, `<style`, `<textarea`) anywhere: one
/// SIMD scan for the three bytes that can start them.
fn fence_or_raw_html(text: &str) -> (bool, bool) {
    let bytes = text.as_bytes();
    let (mut fence, mut raw_html) = (false, false);
    for at in memchr::memchr3_iter(b'`', b'~', b'<', bytes) {
        let rest = &bytes[at..];
        match rest[0] {
            b'`' => fence |= rest.starts_with(b"```"),
            b'~' => fence |= rest.starts_with(b"~~~"),
            _ => {
                raw_html |= [&b"<pre"[..], b"<script", b"<style", b"<textarea"]
                    .iter()
                    .any(|tag| rest.starts_with(tag))
            }
        }
        if fence && raw_html {
            break;
        }
    }
    (fence, raw_html)
}

/// Whether `needle` occurs in `haystack` (memchr's SIMD search).
fn has(haystack: &str, needle: &str) -> bool {
    memchr::memmem::find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Fences inside `range` (a block), at any indentation or after quote
/// markers; one left open runs to the first closing line after it, or to
/// the end of the block when none follows in the text.
fn nested_fences(text: &str, range: TextRange, out: &mut Vec<TextRange>) {
    let mut pos = line_start(text, range.start());
    let mut open: Option<(usize, u8, usize)> = None; // (start, char, length)
    let mut indent = 0;
    let end_limit = text.len();
    while pos < end_limit {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..line_end];
        let body = strip_quote_and_indent(line);
        match open {
            None => {
                if pos >= range.end() {
                    break;
                }
                if let Some((ch, len)) = fence(body) {
                    open = Some((pos, ch, len));
                    indent = line.len() - line.trim_start_matches([' ', '\t']).len();
                }
            }
            Some((start, ch, len)) => {
                if let Some((close_ch, close_len)) = fence(body)
                    && close_ch == ch
                    && close_len >= len
                    && body.trim_end().bytes().all(|b| b == ch)
                {
                    out.push(TextRange::new(start, line_end));
                    open = None;
                } else if pos >= range.end()
                    && (indent == 0
                        || !(line.trim().is_empty()
                            || line.len() - line.trim_start_matches([' ', '\t']).len() >= indent))
                {
                    // The fence's block is over: the code ran to its end.
                    out.push(TextRange::new(start, pos));
                    open = None;
                    break;
                }
            }
        }
        pos = line_end;
    }
    if let Some((start, _, _)) = open {
        out.push(TextRange::new(start, pos.min(text.len())));
    }
}

/// `<pre>…</pre>` (and `script`, `style`, `textarea`) inside `range`, to the
/// closing tag wherever it is.
fn raw_html(text: &str, range: TextRange, out: &mut Vec<TextRange>) {
    let lower_slice = text.get(range.as_range()).unwrap_or("");
    for tag in ["pre", "script", "style", "textarea"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        let mut from = 0;
        while let Some(found) = lower_slice[from..].find(&open) {
            let start = range.start() + from + found;
            let after = text.as_bytes().get(start + open.len()).copied();
            if !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
                from += found + open.len();
                continue;
            }
            let end = text[start..].find(&close).map_or(range.end(), |i| start + i + close.len());
            out.push(TextRange::new(start, end));
            if end >= range.end() {
                break;
            }
            from = end - range.start();
        }
    }
}

/// A fence opening: three or more backticks or tildes.
fn fence(body: &str) -> Option<(u8, usize)> {
    let ch = *body.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = body.bytes().take_while(|&b| b == ch).count();
    // A backtick fence's info string has no backtick (else it is a code span).
    let info_ok = ch != b'`' || !body[len..].contains('`');
    (len >= 3 && info_ok).then_some((ch, len))
}

/// A line without its `>` markers and leading blanks.
fn strip_quote_and_indent(line: &str) -> &str {
    let mut body = line.trim_start_matches([' ', '\t']);
    while let Some(rest) = body.strip_prefix('>') {
        body = rest.trim_start_matches([' ', '\t']);
    }
    // A list marker before the fence (`- ```rust`).
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = body.strip_prefix(marker) {
            return rest.trim_start_matches([' ', '\t']);
        }
    }
    body
}

/// `true` when every non-blank line of `range` starts with `width` spaces or
/// a tab.
fn indented_by(text: &str, range: TextRange, width: usize) -> bool {
    let start = line_start(text, range.start());
    let slice = text.get(start..range.end()).unwrap_or("");
    let mut any = false;
    for line in slice.lines() {
        if line.trim().is_empty() {
            continue;
        }
        any = true;
        let spaces = line.bytes().take_while(|&b| b == b' ').count();
        if spaces < width && !line[spaces..].starts_with('\t') {
            return false;
        }
    }
    any
}

/// A paragraph that starts with a Liquid tag or a Hugo shortcode
/// (`{% include … %}`, `{{< figure … >}}`, `{{% note %}}`): template markup.
fn is_template_line(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("{%") || line.starts_with("{{<") || line.starts_with("{{%")
}

/// TOML front matter (Hugo, Zola): `+++` on the first line, closed by a
/// `+++` line. Not read (its keys are not AAM's), and not prose.
fn toml_front_matter(text: &str) -> Option<TextRange> {
    let rest = text.strip_prefix("+++")?;
    let first_end = rest.find('\n')?;
    if !rest[..first_end].trim().is_empty() {
        return None;
    }
    let mut pos = 3 + first_end + 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim() == "+++" {
            return Some(TextRange::new(0, end));
        }
        pos = end;
    }
    None
}

/// CommonMark HTML block starts (types 1, 6 and 7): a block-level tag, or a
/// line holding one complete tag alone.
fn is_html_block(line: &str) -> bool {
    let line = line.trim_start_matches(' ');
    let Some(rest) = line.strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let after = rest.as_bytes().get(name.len()).copied();
    let lower = name.to_ascii_lowercase();
    if BLOCK_TAGS.contains(&lower.as_str())
        && matches!(after, None | Some(b' ' | b'\t' | b'>' | b'/' | b'\n' | b'\r'))
    {
        return true;
    }
    // Type 7: a complete open or closing tag and nothing else on the line.
    let trimmed = line.trim_end();
    trimmed.ends_with('>') && !trimmed[1..].contains('<') && matches!(after, Some(b' ' | b'\t' | b'>' | b'/'))
}

/// CommonMark's block-level tag names (type 6) and the raw ones (type 1).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// A GFM table: a first row with a `|`, then a delimiter row (`|---|:-:|`).
fn is_table(text: &str, range: TextRange) -> bool {
    let slice = text.get(line_start(text, range.start())..range.end()).unwrap_or("");
    let mut lines = slice.lines();
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else { return false };
    if !first.contains('|') {
        return false;
    }
    let second = second.trim();
    second.contains('-')
        && second.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
        && (second.contains('|') || first.trim_start().starts_with('|'))
}

fn first_line(text: &str, range: TextRange) -> &str {
    let slice = text.get(line_start(text, range.start())..range.end()).unwrap_or("");
    slice.lines().next().unwrap_or("")
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// `true` when `range` overlaps one of the sorted `ranges`.
fn overlaps_any(ranges: &[TextRange], range: TextRange) -> bool {
    let idx = ranges.partition_point(|r| r.end() <= range.start());
    ranges.get(idx).is_some_and(|r| r.start() < range.end().max(range.start() + 1))
}
