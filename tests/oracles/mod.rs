//! Oracles shared by the property tests (`tests/prop_*.rs`), the bad-input
//! suite and the fuzz targets (`fuzz/fuzz_targets/*.rs` include this file by
//! path): what must hold of any text's model, diagnostics, renderings,
//! incremental analysis, positions and `--fix`. Each returns an error
//! message instead of panicking, so a caller can add the input to it.
#![allow(dead_code)]

use aam::checks::{self, CheckConfig, Diagnostic};
use aam::model::{Document, ModelConfig};
use aam::text::TextRange;

pub type Verdict = Result<(), String>;

fn check_range(text: &str, range: TextRange, what: &str) -> Verdict {
    if range.end() > text.len() {
        return Err(format!("{what} {range:?} ends past the text ({} bytes)", text.len()));
    }
    if range.start() > range.end() {
        return Err(format!("{what} {range:?} is inverted"));
    }
    if !text.is_char_boundary(range.start()) || !text.is_char_boundary(range.end()) {
        return Err(format!("{what} {range:?} splits a character"));
    }
    Ok(())
}

fn check_sorted(ranges: &[TextRange], what: &str) -> Verdict {
    match ranges.windows(2).find(|pair| pair[0].start() > pair[1].start()) {
        Some(pair) => Err(format!("{what} out of order: {:?} then {:?}", pair[0], pair[1])),
        None => Ok(()),
    }
}

/// Every range of the model lies inside the text, on character boundaries;
/// the lists promised "in order" are sorted; indices resolve.
pub fn model_invariants(text: &str, doc: &Document) -> Verdict {
    if doc.text() != text {
        return Err("the model's text differs from the input".to_owned());
    }
    if let Some(front_matter) = &doc.front_matter {
        check_range(text, front_matter.range, "front matter")?;
        for entry in &front_matter.entries {
            check_range(text, entry.key_range, "front matter key")?;
            check_range(text, entry.value_range, "front matter value")?;
        }
    }
    for heading in &doc.headings {
        check_range(text, heading.range, "heading")?;
        check_range(text, heading.content, "heading content")?;
        if !(1..=6).contains(&heading.level) {
            return Err(format!("heading level {}", heading.level));
        }
    }
    for block in &doc.blocks {
        check_range(text, block.range, "block")?;
        check_range(text, block.content, "block content")?;
    }
    for sentence in &doc.sentences {
        check_range(text, sentence.range, "sentence")?;
        if sentence.block as usize >= doc.blocks.len() {
            return Err(format!(
                "sentence {:?} names block {} of {}",
                sentence.range,
                sentence.block,
                doc.blocks.len()
            ));
        }
    }
    let sentence_ranges: Vec<TextRange> = doc.sentences.iter().map(|s| s.range).collect();
    check_sorted(&sentence_ranges, "sentences")?;
    for reference in &doc.references {
        check_range(text, reference.range, "reference")?;
        check_range(text, reference.marker, "reference marker")?;
        if !reference.marker.contains_range(reference.range) {
            return Err(format!("reference {:?} outside its marker {:?}", reference.range, reference.marker));
        }
    }
    let reference_ranges: Vec<TextRange> = doc.references.iter().map(|r| r.range).collect();
    check_sorted(&reference_ranges, "references")?;
    for (idx, note) in doc.notes.iter().enumerate() {
        check_range(text, note.range, "note")?;
        check_range(text, note.label_range, "note label")?;
        check_range(text, note.content, "note content")?;
        if !note.range.contains_range(note.label_range) {
            return Err(format!("note label {:?} outside its note {:?}", note.label_range, note.range));
        }
        if let Some(of) = note.ibid_of
            && of as usize >= doc.notes.len()
        {
            return Err(format!("note {idx} is an Ibid of note {of} of {}", doc.notes.len()));
        }
        if let Some(date) = note.citation.date
            && date as usize >= doc.dates.len()
        {
            return Err(format!("note {idx} has source date {date} of {}", doc.dates.len()));
        }
        for range in note.citation.date_range.iter().chain(&note.citation.url_range) {
            check_range(text, *range, "citation part")?;
        }
    }
    for date in &doc.dates {
        check_range(text, date.range, "date")?;
        check_range(text, date.date_range, "date's calendar part")?;
        if let Some(range) = date.weekday_range {
            check_range(text, range, "weekday")?;
        }
    }
    for (list, what) in [(&doc.comments, "comments"), (&doc.code, "code"), (&doc.urls, "urls")] {
        for range in list {
            check_range(text, *range, what)?;
        }
        check_sorted(list, what)?;
    }
    Ok(())
}

/// Diagnostics point inside the text, are sorted, and carry fixes whose
/// edits are sorted, disjoint and on character boundaries.
pub fn diagnostics_invariants(text: &str, diagnostics: &[Diagnostic]) -> Verdict {
    for diagnostic in diagnostics {
        let code = diagnostic.rule.code;
        check_range(text, diagnostic.range, code)?;
        if diagnostic.message.is_empty() {
            return Err(format!("{code} has an empty message"));
        }
        for related in &diagnostic.related {
            check_range(text, related.range, &format!("{code} related"))?;
        }
        if let Some(fix) = &diagnostic.fix {
            for edit in &fix.edits {
                check_range(text, edit.range, &format!("{code} fix edit"))?;
            }
            if let Some(pair) = fix.edits.windows(2).find(|pair| pair[0].range.end() > pair[1].range.start())
            {
                return Err(format!(
                    "{code} fix edits overlap or are unsorted: {:?} then {:?}",
                    pair[0].range, pair[1].range
                ));
            }
        }
    }
    let keys: Vec<(usize, usize)> = diagnostics.iter().map(|d| (d.range.start(), d.range.end())).collect();
    if keys.windows(2).any(|pair| pair[0] > pair[1]) {
        return Err("diagnostics are not sorted by position".to_owned());
    }
    Ok(())
}

/// The JSON-ish renderings parse, and every format says something about a
/// run that has a failure in it.
pub fn render_invariants(outputs: &[(String, String)]) -> Verdict {
    for (format, output) in outputs {
        let structured = format.starts_with("Json ") || format.starts_with("Sarif ") || format == "dump";
        if structured && !format.ends_with("statistics") {
            serde_json::from_str::<serde_json::Value>(output)
                .map_err(|err| format!("{format} output is not JSON ({err}):\n{output}"))?;
        }
        if format.starts_with("JsonLines ") && !format.ends_with("statistics") {
            for line in output.lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .map_err(|err| format!("{format} line is not JSON ({err}): {line}"))?;
            }
        }
    }
    Ok(())
}

/// Parses, models, checks and renders `text` in every format; checks every
/// invariant above. The whole of fuzz target 1.
pub fn check_everything(text: &str) -> Verdict {
    let doc = Document::parse(text, &ModelConfig::default());
    model_invariants(text, &doc)?;
    let diagnostics = checks::check(&doc, &CheckConfig::default());
    diagnostics_invariants(text, &diagnostics)?;
    render_invariants(&aam::cli::harness::render_every_format("fuzz.aam", text))
}

/// The length of a leading `Ibid`, `Ibid.`, `Id.` (any case), as the
/// renumbering reads it.
fn ibid_prefix_len(content: &str) -> usize {
    let lower = content.get(..content.len().min(5)).unwrap_or("").to_ascii_lowercase();
    let word = if lower.starts_with("ibid") {
        4
    } else if lower.starts_with("id") {
        2
    } else {
        return 0;
    };
    if content[word..].starts_with('.') { word + 1 } else { word }
}

/// What one reference cites: the source note's text (through Ibid),
/// followed by what came after `Ibid` (`, p. 4`), as the explicit citation
/// that may replace an Ibid reads; `unresolved N` for a label with no note;
/// `None` for a dangling Ibid (it cites nothing).
fn cited(doc: &Document, label: &str, depth: usize) -> Option<(String, String)> {
    let Some(&idx) = doc.note_indices(label).first() else {
        return Some((format!("unresolved {label}"), String::new()));
    };
    let own = &doc.notes[idx as usize];
    if own.ibid && own.ibid_of.is_none() {
        return None;
    }
    let source = if own.ibid { own.ibid_of.map_or(idx, |of| of) } else { idx } as usize;
    let source_text = note_text(doc, source, depth);
    let extra = if own.ibid {
        let text = note_text(doc, idx as usize, depth);
        text[ibid_prefix_len(&text)..].trim_start_matches([',', ';', ':', ' ', '\t']).to_owned()
    } else {
        String::new()
    };
    Some((source_text, extra))
}

/// A note's text, whitespace collapsed, with each reference inside it
/// replaced by what it cites (one level deep), so that renumbering those
/// inner references does not count as a change.
fn note_text(doc: &Document, idx: usize, depth: usize) -> String {
    let note = &doc.notes[idx];
    let mut text = String::new();
    let mut pos = note.content.start();
    let mut last_marker = None;
    for reference in doc.references.iter().filter(|r| note.content.contains_range(r.marker)) {
        if last_marker == Some(reference.marker) || reference.marker.start() < pos {
            continue;
        }
        last_marker = Some(reference.marker);
        text.push_str(doc.slice(TextRange::new(pos, reference.marker.start())));
        if depth == 0 {
            let inner: Vec<String> = doc
                .references
                .iter()
                .filter(|r| r.marker == reference.marker)
                .map(|r| match cited(doc, &r.label, depth + 1) {
                    Some((source, extra)) if extra.is_empty() => source,
                    Some((source, extra)) => format!("{source}, {extra}"),
                    None => "dangling".to_owned(),
                })
                .collect();
            // Sorted: renumbering may rewrite a range as a list in a new order.
            let mut inner = inner;
            inner.sort();
            text.push_str(&format!("{{{}}}", inner.join("; ")));
        }
        pos = reference.marker.end();
    }
    text.push_str(doc.slice(TextRange::new(pos, note.content.end())));
    mask_weekdays(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `text` with every weekday name replaced by `WEEKDAY`: `--fix` also
/// corrects weekdays (AAM202, a safe fix), in notes too, and that is not a
/// change of what a reference cites.
fn mask_weekdays(text: &str) -> String {
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let mut out = text.to_owned();
    for day in DAYS {
        for form in [
            day.to_owned(),
            day.to_lowercase(),
            day.to_uppercase(),
            day[..3].to_owned(),
            day[..3].to_lowercase(),
        ] {
            out = out.replace(&form, "WEEKDAY");
        }
    }
    out
}

/// For every reference marker outside the notes, in reading order, what
/// its references cite (see `cited`), sorted. References inside notes are
/// part of their note's text.
pub fn cited_sources(text: &str) -> Vec<Vec<Option<(String, String)>>> {
    /// What each reference of one marker cites.
    type Cites = Vec<Option<(String, String)>>;
    let doc = Document::parse(text, &ModelConfig::default());
    let mut markers: Vec<(TextRange, Cites)> = Vec::new();
    for reference in &doc.references {
        if doc.notes.iter().any(|note| note.range.contains_range(reference.marker)) {
            continue;
        }
        let cited = cited(&doc, &reference.label, 0);
        match markers.last_mut() {
            Some((marker, cited_here)) if *marker == reference.marker => cited_here.push(cited),
            _ => markers.push((reference.marker, vec![cited])),
        }
    }
    markers
        .into_iter()
        .map(|(_, mut cited)| {
            cited.sort();
            cited
        })
        .collect()
}

/// `before` and `after` cite the same: the same source (an explicit
/// citation that replaced an Ibid may carry its own locator, `, p. 5`,
/// after the source's text) with the same locator after `Ibid`; a dangling
/// Ibid (it cites nothing) stays dangling.
fn same_citations(before: &[Vec<Option<(String, String)>>], after: &[Vec<Option<(String, String)>>]) -> bool {
    let same = |b: &Option<(String, String)>, a: &Option<(String, String)>| match (b, a) {
        (None, None) => true,
        (Some((b_source, b_extra)), Some((a_source, a_extra))) => {
            let joined = |source: &str, extra: &str| {
                if extra.is_empty() { source.to_owned() } else { format!("{source}, {extra}") }
            };
            joined(b_source, b_extra) == joined(a_source, a_extra)
                || (a_source.starts_with(b_source.as_str()) && a_extra == b_extra)
        }
        (Some(_), None) | (None, Some(_)) => false,
    };
    before.len() == after.len()
        && before
            .iter()
            .zip(after)
            .all(|(b, a)| b.len() == a.len() && b.iter().zip(a).all(|(b, a)| same(b, a)))
}

/// `--fix` keeps what every marker cites; once the fixes settle and no
/// numeric reference is unresolved, AAM004 is gone; fixing the result again
/// changes nothing.
pub fn fix_invariants(text: &str) -> Verdict {
    let (fixed, converged) = aam::cli::harness::fix_text(text, false);
    let before = cited_sources(text);
    let after = cited_sources(&fixed);
    if !same_citations(&before, &after) {
        return Err(format!(
            "--fix changed what markers cite:\nbefore {before:?}\nafter  {after:?}\nfixed text:\n{fixed}"
        ));
    }
    let doc = Document::parse(&fixed, &ModelConfig::default());
    let diagnostics = checks::check(&doc, &CheckConfig::default());
    let unresolved_numeric = doc
        .references
        .iter()
        .any(|r| aam::model::label::numeric(&r.label).is_some() && doc.note_indices(&r.label).is_empty());
    if converged
        && !unresolved_numeric
        && let Some(left) = diagnostics.iter().find(|d| d.rule.code == "AAM004")
    {
        return Err(format!(
            "AAM004 remains after --fix: {} at {:?}\nfixed text:\n{fixed}",
            left.message, left.range
        ));
    }
    if converged {
        let (again, _) = aam::cli::harness::fix_text(&fixed, false);
        if again != fixed {
            return Err(format!("--fix is not idempotent:\nfirst:\n{fixed}\nsecond:\n{again}"));
        }
    }
    Ok(())
}

/// The LSP position of byte `offset` (a character boundary) of `text`,
/// computed independently of the server: lines break at `\n`, `\r\n` and a
/// lone `\r`; columns count UTF-8 bytes or UTF-16 units.
pub fn lsp_position(text: &str, offset: usize, encoding: aam::lsp::Encoding) -> aam::lsp::LineCol {
    let before = &text[..offset];
    let bytes = before.as_bytes();
    let mut line = 0;
    let mut line_start = 0;
    for (idx, &byte) in bytes.iter().enumerate() {
        let lone_cr = byte == b'\r' && text.as_bytes().get(idx + 1) != Some(&b'\n');
        if byte == b'\n' || lone_cr {
            line += 1;
            line_start = idx + 1;
        }
    }
    let col = match encoding {
        aam::lsp::Encoding::Utf8 => offset - line_start,
        aam::lsp::Encoding::Utf16 => text[line_start..offset].encode_utf16().count(),
    };
    aam::lsp::LineCol { line: line as u32, col: col as u32 }
}

/// A character boundary of `text` near `at` (taken modulo the length),
/// never between the `\r` and `\n` of a CRLF.
pub fn boundary_near(text: &str, at: usize) -> usize {
    let mut offset = at % (text.len() + 1);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text.as_bytes().get(offset) == Some(&b'\n') {
        offset -= 1;
    }
    offset
}

/// One change of an edit sequence sent to the server's document layer.
#[derive(Debug, Clone)]
pub struct EditOp {
    pub kind: EditKind,
    pub insert: String,
    /// Columns in UTF-8 bytes (else UTF-16 units).
    pub utf8: bool,
    /// Sent in the same `didChange` as the change before it.
    pub same_batch: bool,
    /// A request (and so an analysis, whose tree the next reparse reuses)
    /// follows this change.
    pub analyse_after: bool,
}

#[derive(Debug, Clone)]
pub enum EditKind {
    /// Replace `delete` bytes (rounded to characters) at a character
    /// boundary near `at`, with positions a correct client would send.
    Replace { at: usize, delete: usize },
    /// Replace between two raw positions, as a confused client might send
    /// (past the end of a line or the text, inside a surrogate pair,
    /// inverted): the server clamps.
    Raw { start: (u32, u32), end: (u32, u32) },
    /// Replace the whole text.
    Full,
}

/// Applies `ops` through the server's document layer, analysing where asked
/// (so later reparses are incremental), and compares every analysis with a
/// from-scratch parse, model and check of the same text: same tree, same
/// model, same diagnostics. For well-formed changes the text must also match
/// an independent application of the edits.
pub fn incremental_invariants(initial: &str, ops: &[EditOp]) -> Verdict {
    use aam::lsp::harness::OpenDocument;
    use aam::lsp::{Encoding, LineCol};

    let mut document = OpenDocument::open(initial);
    let mut expected = Some(initial.to_owned());
    compare_with_scratch(&mut document, "after open")?;
    let mut batch: Vec<(Option<(LineCol, LineCol)>, String)> = Vec::new();
    let mut batch_encoding = Encoding::Utf16;
    let mut current = initial.to_owned();
    for (idx, op) in ops.iter().enumerate() {
        let encoding = if op.utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        if !batch.is_empty() && (!op.same_batch || encoding != batch_encoding) {
            document.change(&batch, batch_encoding);
            batch.clear();
        }
        batch_encoding = encoding;
        let change = match op.kind {
            EditKind::Replace { at, delete } => {
                let start = boundary_near(&current, at);
                let end = boundary_near(&current, start + delete.min(current.len() - start)).max(start);
                let range = (lsp_position(&current, start, encoding), lsp_position(&current, end, encoding));
                current.replace_range(start..end, &op.insert);
                if let Some(expected) = &mut expected {
                    expected.replace_range(start..end, &op.insert);
                }
                (Some(range), op.insert.clone())
            }
            EditKind::Raw { start, end } => {
                expected = None;
                let range = (LineCol { line: start.0, col: start.1 }, LineCol { line: end.0, col: end.1 });
                // The text after the change is the server's business here:
                // only the analysis is compared.
                (Some(range), op.insert.clone())
            }
            EditKind::Full => {
                current = op.insert.clone();
                expected = Some(op.insert.clone());
                (None, op.insert.clone())
            }
        };
        batch.push(change);
        if op.analyse_after || idx + 1 == ops.len() {
            document.change(&batch, batch_encoding);
            batch.clear();
            current = document.text();
            if let Some(expected) = &expected
                && *expected != current
            {
                return Err(format!(
                    "after change {idx} the server's text is {current:?}, expected {expected:?}"
                ));
            }
            expected = Some(current.clone());
            compare_with_scratch(&mut document, &format!("after change {idx}"))?;
        } else if matches!(op.kind, EditKind::Raw { .. }) {
            // A raw change makes the client's idea of the text unknown until
            // the batch is sent.
            document.change(&batch, batch_encoding);
            batch.clear();
            current = document.text();
            expected = Some(current.clone());
        }
    }
    Ok(())
}

fn compare_with_scratch(document: &mut aam::lsp::harness::OpenDocument, when: &str) -> Verdict {
    let analysed = document.analyse();
    let text = &analysed.text;
    let fresh_tree = aam::syntax::parse(text).root_node().to_sexp();
    if analysed.tree != fresh_tree {
        return Err(format!(
            "{when}: the incremental tree differs from a fresh parse of {text:?}\nincremental: {}\nfresh:       {fresh_tree}",
            analysed.tree
        ));
    }
    let fresh = Document::parse(text, &ModelConfig::default());
    let (ours, theirs) =
        (aam::cli::harness::dump_document(&analysed.doc), aam::cli::harness::dump_document(&fresh));
    if ours != theirs {
        return Err(format!(
            "{when}: the incremental model differs from a fresh one of {text:?}\nincremental: {ours}\nfresh:       {theirs}"
        ));
    }
    let fresh_diagnostics = checks::check(&fresh, &CheckConfig::default());
    if analysed.diagnostics != fresh_diagnostics {
        return Err(format!(
            "{when}: the incremental diagnostics differ from fresh ones of {text:?}\nincremental: {:?}\nfresh:       {fresh_diagnostics:?}",
            analysed.diagnostics
        ));
    }
    model_invariants(text, &analysed.doc)?;
    diagnostics_invariants(text, &analysed.diagnostics)
}

/// The position conversions of the server (and the CLI's line:column):
/// every character boundary round-trips in both encodings and agrees with
/// an independent computation; any offset and any (line, column) a client
/// may send converts without a panic, clamped to a character boundary on
/// the requested line (or the end of the text).
pub fn position_invariants(text: &str, probes: &[(u32, u32)], raw_offsets: &[usize]) -> Verdict {
    use aam::lsp::harness::Positions;
    use aam::lsp::{Encoding, LineCol};

    let positions = Positions::new(text);
    let index = aam::text::LineIndex::new(text);
    let last_line = (index.line_count() - 1) as u32;
    let mut boundaries: Vec<usize> = text.char_indices().map(|(idx, _)| idx).chain([text.len()]).collect();
    if boundaries.len() > 512 {
        let step = boundaries.len() / 512 + 1;
        boundaries = boundaries.into_iter().step_by(step).chain([text.len()]).collect();
    }
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        for &offset in &boundaries {
            let position = positions.to_line_col(offset, encoding);
            let inside_crlf = offset > 0
                && text.as_bytes()[offset - 1] == b'\r'
                && text.as_bytes().get(offset) == Some(&b'\n');
            let independent = lsp_position(text, offset, encoding);
            if !inside_crlf && position != independent {
                return Err(format!(
                    "{encoding:?} offset {offset}: {position:?}, independently {independent:?}"
                ));
            }
            let back = positions.to_offset(position, encoding);
            let want = if inside_crlf { offset - 1 } else { offset };
            if back != want {
                return Err(format!("{encoding:?} offset {offset} -> {position:?} -> {back}"));
            }
            let (line, _) = index.line_col(offset);
            if line as u32 != position.line {
                return Err(format!(
                    "offset {offset}: LineIndex says line {line}, the server {}",
                    position.line
                ));
            }
            let cli = aam::cli::SourcePosition::of(text, &index, offset);
            let line_start = index.line_start(line).unwrap_or(0);
            let scalar_col = text[line_start..offset].chars().count() + 1;
            if cli.line.get() != line + 1 || cli.column.get() != scalar_col {
                return Err(format!(
                    "offset {offset}: CLI {}:{}, expected {}:{scalar_col}",
                    cli.line,
                    cli.column,
                    line + 1
                ));
            }
        }
        for &offset in raw_offsets {
            let position = positions.to_line_col(offset, encoding);
            let back = positions.to_offset(position, encoding);
            if back > text.len() || !text.is_char_boundary(back) {
                return Err(format!(
                    "{encoding:?} raw offset {offset} -> {position:?} -> {back}: not a boundary"
                ));
            }
            let _ = aam::cli::SourcePosition::of(text, &index, offset);
        }
        for &(line, col) in probes {
            let asked = LineCol { line, col };
            let offset = positions.to_offset(asked, encoding);
            if offset > text.len() || !text.is_char_boundary(offset) {
                return Err(format!("{encoding:?} {asked:?} -> {offset}: not a character boundary"));
            }
            let got = positions.to_line_col(offset, encoding);
            if line > last_line {
                if offset != text.len() {
                    return Err(format!(
                        "{encoding:?} {asked:?} past the last line -> {offset}, not the end"
                    ));
                }
            } else if got.line != line || got.col > col {
                return Err(format!(
                    "{encoding:?} {asked:?} -> {offset} -> {got:?}: not clamped on its line"
                ));
            }
            if positions.to_offset(got, encoding) != offset {
                return Err(format!("{encoding:?} {asked:?} -> {offset} -> {got:?} does not round-trip"));
            }
        }
    }
    Ok(())
}
