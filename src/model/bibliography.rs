//! Bibliographies: the entries that Pandoc citations (`model::cite`) cite.
//!
//! BibTeX and BibLaTeX files (`.bib`) are read with the `biblatex` crate,
//! CSL-JSON files (`.json`) with serde. Reading never fails: a file that
//! does not parse keeps the entries that do, and its errors, each at its
//! place in the file (AAM010). The edges (CLI, language server) read the
//! files and attach the `Library` to the document; nothing here touches the
//! file system.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::model::dates::DateValue;
use crate::text::TextRange;

/// Every bibliography an article uses, with one index of their keys.
#[derive(Debug, Default)]
pub struct Library {
    pub sources: Vec<Arc<Source>>,
    /// Files that could not be read: the path as written and why.
    pub unreadable: Vec<Unreadable>,
    /// By key, the first entry with it: (source, entry) indices.
    index: FxHashMap<Arc<str>, (u32, u32)>,
}

/// A bibliography file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// As written in the front matter or `aam.toml`.
    pub path: String,
    pub message: String,
}

/// One bibliography file, parsed.
#[derive(Debug)]
pub struct Source {
    /// As shown to users (the edge decides: relative or absolute).
    pub path: String,
    pub text: Arc<str>,
    pub format: Format,
    /// In file order, duplicates included.
    pub entries: Vec<Entry>,
    /// Where the file does not parse.
    pub errors: Vec<SyntaxError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// BibTeX or BibLaTeX.
    Bib,
    /// CSL-JSON: an array of items.
    CslJson,
}

/// A place where a bibliography file does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// One entry, with what hover, completion and the date rules use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    pub key: Arc<str>,
    /// The key in the file.
    pub key_range: TextRange,
    /// The whole entry in the file.
    pub range: TextRange,
    /// `article`, `book`, `article-journal` …
    pub kind: String,
    /// Authors (or editors when there are none) as `Given Family`.
    pub authors: Vec<String>,
    /// Their family names, for `Knuth and Lamport`, `Knuth et al.`.
    pub family_names: Vec<String>,
    pub title: Option<String>,
    /// The journal or book it appears in.
    pub container: Option<String>,
    pub publisher: Option<String>,
    /// The publication date, as precise as the file gives it.
    pub date: Option<DateValue>,
    /// Where the date (or year) is written in the file.
    pub date_range: Option<TextRange>,
    pub url: Option<String>,
    pub doi: Option<String>,
}

impl Entry {
    /// `Knuth`, `Knuth and Lamport`, `Knuth et al.`; empty without authors.
    pub fn short_authors(&self) -> String {
        match self.family_names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [one, two] => format!("{one} and {two}"),
            [one, ..] => format!("{one} et al."),
        }
    }

    pub fn year(&self) -> Option<i16> {
        self.date.as_ref().and_then(DateValue::year)
    }

    /// `Knuth 1984, The TeXbook`: what completion shows beside a key.
    pub fn author_year_title(&self) -> String {
        let mut out = self.short_authors();
        if let Some(year) = self.year() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&year.to_string());
        }
        if let Some(title) = &self.title {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(title);
        }
        out
    }

    /// The link to show: the DOI's, else the URL.
    pub fn link(&self) -> Option<String> {
        match (&self.doi, &self.url) {
            (Some(doi), _) => Some(doi_url(doi)),
            (None, Some(url)) => Some(url.clone()),
            (None, None) => None,
        }
    }
}

/// `https://doi.org/10.1000/x` for `10.1000/x` (or a DOI given as a link).
pub fn doi_url(doi: &str) -> String {
    let doi = doi.trim();
    if doi.starts_with("http://") || doi.starts_with("https://") {
        return doi.to_owned();
    }
    format!("https://doi.org/{}", doi.trim_start_matches("doi:"))
}

impl Library {
    /// The library of `sources` (in the order the article names them) and
    /// the files that could not be read.
    pub fn new(sources: Vec<Arc<Source>>, unreadable: Vec<Unreadable>) -> Library {
        let mut index = FxHashMap::default();
        for (source_idx, source) in sources.iter().enumerate() {
            for (entry_idx, entry) in source.entries.iter().enumerate() {
                index.entry(entry.key.clone()).or_insert((source_idx as u32, entry_idx as u32));
            }
        }
        Library { sources, unreadable, index }
    }

    /// `true` when the article names no bibliography at all.
    pub fn is_unconfigured(&self) -> bool {
        self.sources.is_empty() && self.unreadable.is_empty()
    }

    /// The entry cited as `key`, and its file.
    pub fn get(&self, key: &str) -> Option<(&Source, &Entry)> {
        let &(source_idx, entry_idx) = self.index.get(key)?;
        let source = &self.sources[source_idx as usize];
        Some((source, &source.entries[entry_idx as usize]))
    }

    /// Every entry that a key resolves to (the first of duplicates), in
    /// file order.
    pub fn entries(&self) -> impl Iterator<Item = (&Source, &Entry)> {
        self.sources.iter().enumerate().flat_map(move |(source_idx, source)| {
            source.entries.iter().enumerate().filter_map(move |(entry_idx, entry)| {
                let first = self.index.get(&entry.key) == Some(&(source_idx as u32, entry_idx as u32));
                first.then_some((&**source, entry))
            })
        })
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

impl Source {
    /// Parses `text` as the format its path's extension names (`.json`:
    /// CSL-JSON, anything else: BibTeX/BibLaTeX).
    pub fn parse(path: String, text: Arc<str>) -> Source {
        let format = if path.to_ascii_lowercase().ends_with(".json") { Format::CslJson } else { Format::Bib };
        // No input may take aam down: should a parser panic, the file is
        // one error at its start, and the article is still checked.
        let parsed = std::panic::catch_unwind(|| match format {
            Format::Bib => parse_bib(&text),
            Format::CslJson => parse_csl_json(&text),
        });
        let (entries, errors) = parsed.unwrap_or_else(|_| {
            let range = error_range(&text, 0, 0);
            (
                Vec::new(),
                vec![SyntaxError { range, message: "the bibliography parser failed on this file".into() }],
            )
        });
        Source { path, text, format, entries, errors }
    }

    /// The entries that repeat an earlier entry's key in this file: (the
    /// repeat, the first) indices.
    pub fn duplicates(&self) -> Vec<(usize, usize)> {
        let mut first: FxHashMap<&str, usize> = FxHashMap::default();
        let mut out = Vec::new();
        for (idx, entry) in self.entries.iter().enumerate() {
            match first.get(entry.key.as_ref()) {
                Some(&earlier) => out.push((idx, earlier)),
                None => {
                    first.insert(&entry.key, idx);
                }
            }
        }
        out
    }
}

// ------------------------------------------------------------ BibTeX

fn parse_bib(text: &str) -> (Vec<Entry>, Vec<SyntaxError>) {
    match biblatex::RawBibliography::parse(text) {
        Ok(raw) => (bib_entries(raw, 0), Vec::new()),
        // The file does not parse: each entry on its own (from an `@` at a
        // line start to the next), so that one broken entry costs only
        // itself.
        Err(_) => {
            let mut entries = Vec::new();
            let mut errors = Vec::new();
            let starts = entry_starts(text);
            for (idx, &start) in starts.iter().enumerate() {
                let end = starts.get(idx + 1).copied().unwrap_or(text.len());
                let chunk = &text[start..end];
                match biblatex::RawBibliography::parse(chunk) {
                    Ok(raw) => entries.extend(bib_entries(raw, start)),
                    Err(err) => {
                        // An error at the chunk's end (a missing `}`) points at
                        // its last character, not at the next entry.
                        let body = chunk.trim_end();
                        let range = error_range(body, err.span.start, err.span.end);
                        errors.push(SyntaxError {
                            range: TextRange::new(start + range.start(), start + range.end()),
                            message: err.kind.to_string(),
                        });
                    }
                }
            }
            (entries, errors)
        }
    }
}

/// Offsets of the `@` that starts a line (after blanks).
fn entry_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.starts_with('@') {
            out.push(line_start + line.len() - trimmed.len());
        }
        line_start += line.len();
    }
    if out.first() != Some(&0) && text[..out.first().copied().unwrap_or(text.len())].contains('@') {
        out.insert(0, 0);
    }
    out
}

/// A non-empty range at `start..end` within `text` (an error at the end
/// covers the last character).
fn error_range(text: &str, start: usize, end: usize) -> TextRange {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if start == end {
        if let Some(c) = text[start..].chars().next().filter(|c| *c != '\n' && *c != '\r') {
            end = start + c.len_utf8();
        } else if let Some(c) = text[..start].chars().next_back() {
            start -= c.len_utf8();
        }
    }
    TextRange::new(start, end)
}

/// The entries of a raw bibliography found at `base` in the file, in file
/// order, with their fields read through `biblatex` (abbreviations and
/// cross-references resolved where the file allows it).
fn bib_entries(raw: biblatex::RawBibliography<'_>, base: usize) -> Vec<Entry> {
    let shell = |entry: &biblatex::Spanned<biblatex::RawEntry<'_>>| Entry {
        key: Arc::from(entry.v.key.v),
        key_range: TextRange::new(base + entry.v.key.span.start, base + entry.v.key.span.end),
        range: TextRange::new(base + entry.span.start, base + entry.span.end),
        kind: entry.v.kind.v.to_ascii_lowercase(),
        ..Entry::default()
    };
    let mut entries: Vec<Entry> = raw.entries.iter().map(shell).collect();
    // `from_raw` refuses duplicate keys: the first of each only.
    let mut seen: FxHashMap<&str, ()> = FxHashMap::default();
    let mut unique = raw.clone();
    unique.entries.retain(|entry| seen.insert(entry.v.key.v, ()).is_none());
    let parsed = match biblatex::Bibliography::from_raw(unique) {
        Ok(bibliography) => bibliography,
        // A cross-reference or an abbreviation does not resolve: each
        // entry alone, so that the others keep their fields.
        Err(_) => {
            let mut bibliography = biblatex::Bibliography::new();
            for entry in &raw.entries {
                let single = biblatex::RawBibliography {
                    preamble: String::new(),
                    entries: vec![entry.clone()],
                    abbreviations: raw.abbreviations.clone(),
                };
                if let Ok(one) = biblatex::Bibliography::from_raw(single) {
                    for parsed in one.into_vec() {
                        if bibliography.get(&parsed.key).is_none() {
                            bibliography.insert(parsed);
                        }
                    }
                }
            }
            bibliography
        }
    };
    for entry in &mut entries {
        if let Some(parsed) = parsed.get(&entry.key) {
            fill_bib_entry(entry, parsed, base);
        }
    }
    entries
}

fn fill_bib_entry(entry: &mut Entry, parsed: &biblatex::Entry, base: usize) {
    use biblatex::ChunksExt;
    let field = |name: &str| {
        parsed.get(name).map(|chunks| collapse(&chunks.format_verbatim())).filter(|value| !value.is_empty())
    };
    let mut people = parsed.author().unwrap_or_default();
    if people.is_empty() {
        people = parsed
            .editors()
            .ok()
            .and_then(|mut eds| eds.drain(..).next())
            .map(|(p, _)| p)
            .unwrap_or_default();
    }
    entry.authors = people.iter().map(person_name).filter(|name| !name.is_empty()).collect();
    entry.family_names = people
        .iter()
        .map(|p| collapse(&format!("{} {}", p.prefix, p.name)))
        .filter(|name| !name.is_empty())
        .collect();
    entry.title = field("title");
    entry.container = field("journaltitle").or_else(|| field("journal")).or_else(|| field("booktitle"));
    entry.publisher = field("publisher").or_else(|| field("organization")).or_else(|| field("institution"));
    entry.url = field("url");
    entry.doi = field("doi");
    if let Ok(biblatex::PermissiveType::Typed(date)) = parsed.date() {
        entry.date = bib_date(&date.value);
    }
    let date_field = parsed.get("date").or_else(|| parsed.get("year"));
    if let Some(chunks) = date_field.filter(|chunks| !chunks.is_empty()) {
        let spans = chunks.iter().filter(|chunk| !chunk.is_detached());
        let start = spans.clone().map(|chunk| chunk.span.start).min();
        let end = spans.map(|chunk| chunk.span.end).max();
        if let (Some(start), Some(end)) = (start, end) {
            entry.date_range = Some(TextRange::new(base + start, base + end));
        }
    }
}

fn bib_date(value: &biblatex::DateValue) -> Option<DateValue> {
    let at = match value {
        biblatex::DateValue::At(at)
        | biblatex::DateValue::After(at)
        | biblatex::DateValue::Between(at, _) => at,
        biblatex::DateValue::Before(at) => at,
    };
    // `biblatex` counts months and days from zero.
    date_value(at.year, at.month.map(|m| i32::from(m) + 1), at.day.map(|d| i32::from(d) + 1))
}

/// A date value from a year and, when known, a month and day (from 1).
fn date_value(year: i32, month: Option<i32>, day: Option<i32>) -> Option<DateValue> {
    let year = i16::try_from(year).ok()?;
    match (month, day) {
        (Some(month), Some(day)) => {
            let (month, day) = (i8::try_from(month).ok()?, i8::try_from(day).ok()?);
            Some(match jiff::civil::Date::new(year, month, day) {
                Ok(date) => DateValue::Day(date),
                Err(_) => DateValue::Invalid { year: Some(year), month, day },
            })
        }
        (Some(month), None) if (1..=12).contains(&month) => {
            Some(DateValue::Month { year, month: month as i8 })
        }
        _ => Some(DateValue::Year(year)),
    }
}

fn person_name(person: &biblatex::Person) -> String {
    collapse(&format!("{} {} {} {}", person.given_name, person.prefix, person.name, person.suffix))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ------------------------------------------------------------ CSL-JSON

#[derive(serde::Deserialize)]
struct CslItem {
    id: serde_json::Value,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(rename = "container-title", default)]
    container_title: Option<serde_json::Value>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    author: Option<Vec<CslName>>,
    #[serde(default)]
    editor: Option<Vec<CslName>>,
    #[serde(default)]
    issued: Option<CslDate>,
    #[serde(rename = "URL", default)]
    url: Option<String>,
    #[serde(rename = "DOI", default)]
    doi: Option<String>,
}

#[derive(serde::Deserialize)]
struct CslName {
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    given: Option<String>,
    #[serde(default)]
    literal: Option<String>,
}

#[derive(serde::Deserialize)]
struct CslDate {
    #[serde(rename = "date-parts", default)]
    date_parts: Option<Vec<Vec<serde_json::Value>>>,
    #[serde(default)]
    raw: Option<String>,
}

fn parse_csl_json(text: &str) -> (Vec<Entry>, Vec<SyntaxError>) {
    let items: Vec<serde_json::Value> = match serde_json::from_str(text) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => {
            let range = error_range(text, 0, 0);
            return (
                Vec::new(),
                vec![SyntaxError { range, message: "expected an array of CSL items".into() }],
            );
        }
        Err(err) => {
            let at = offset_of(text, err.line(), err.column());
            return (
                Vec::new(),
                vec![SyntaxError { range: error_range(text, at, at), message: err.to_string() }],
            );
        }
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut search_from = 0;
    for item in items {
        let parsed: CslItem = match serde_json::from_value(item) {
            Ok(parsed) => parsed,
            Err(err) => {
                let at = text[search_from..].find('{').map_or(search_from, |i| search_from + i);
                errors.push(SyntaxError { range: error_range(text, at, at + 1), message: err.to_string() });
                continue;
            }
        };
        let key = match &parsed.id {
            serde_json::Value::String(id) => id.clone(),
            other => other.to_string(),
        };
        // serde keeps no positions: the key is found after the last one.
        let quoted = serde_json::to_string(&key).unwrap_or_default();
        let key_range = match text[search_from..].find(&quoted) {
            Some(at) => {
                let start = search_from + at;
                search_from = start + quoted.len();
                TextRange::new(start + 1, start + quoted.len() - 1)
            }
            None => TextRange::empty(search_from),
        };
        let names = parsed.author.as_ref().filter(|a| !a.is_empty()).or(parsed.editor.as_ref());
        let names = names.map(Vec::as_slice).unwrap_or(&[]);
        let container = match parsed.container_title {
            Some(serde_json::Value::String(title)) => Some(title),
            Some(serde_json::Value::Array(titles)) => {
                titles.first().and_then(|t| t.as_str()).map(str::to_owned)
            }
            _ => None,
        };
        entries.push(Entry {
            key: Arc::from(key),
            key_range,
            range: key_range,
            kind: parsed.kind.unwrap_or_default(),
            authors: names
                .iter()
                .map(|n| match &n.literal {
                    Some(literal) => literal.clone(),
                    None => collapse(&format!(
                        "{} {}",
                        n.given.as_deref().unwrap_or(""),
                        n.family.as_deref().unwrap_or("")
                    )),
                })
                .filter(|name| !name.is_empty())
                .collect(),
            family_names: names
                .iter()
                .filter_map(|n| n.family.clone().or_else(|| n.literal.clone()))
                .collect(),
            title: parsed.title.map(|t| collapse(&t)).filter(|t| !t.is_empty()),
            container,
            publisher: parsed.publisher,
            date: parsed.issued.as_ref().and_then(csl_date),
            date_range: None,
            url: parsed.url,
            doi: parsed.doi,
        });
    }
    (entries, errors)
}

fn csl_date(date: &CslDate) -> Option<DateValue> {
    let part = |value: &serde_json::Value| match value {
        serde_json::Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    if let Some(first) = date.date_parts.as_ref().and_then(|parts| parts.first()) {
        let year = first.first().and_then(part)?;
        return date_value(year, first.get(1).and_then(part), first.get(2).and_then(part));
    }
    let raw = date.raw.as_deref()?;
    let year: i32 = raw.get(..4)?.parse().ok()?;
    Some(DateValue::Year(i16::try_from(year).ok()?))
}

/// The byte offset of a 1-based line and column (serde_json's, in chars).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &text[line_start.min(text.len())..];
    line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = r#"@string{tug = "TeX Users Group"}

@book{knuth1984,
  author = {Donald E. Knuth},
  title = {The {TeX}book},
  publisher = tug,
  date = {1984-06},
  doi = {10.1000/texbook},
}

@article{lamport94,
  author = {Lamport, Leslie and Knuth, Donald},
  title = {A Document Preparation System},
  journaltitle = {Software Journal},
  year = {1994},
  url = {https://example.org/latex},
}

@misc{knuth1984, title = {Again}}
"#;

    #[test]
    fn bibtex_entries_with_their_fields() {
        let source = Source::parse("refs.bib".into(), Arc::from(BIB));
        assert!(source.errors.is_empty(), "{:?}", source.errors);
        let keys: Vec<&str> = source.entries.iter().map(|e| e.key.as_ref()).collect();
        assert_eq!(keys, ["knuth1984", "lamport94", "knuth1984"]);
        let knuth = &source.entries[0];
        assert_eq!(&BIB[knuth.key_range.as_range()], "knuth1984");
        assert_eq!(knuth.authors, ["Donald E. Knuth"]);
        assert_eq!(knuth.title.as_deref(), Some("The TeXbook"));
        assert_eq!(knuth.publisher.as_deref(), Some("TeX Users Group"));
        assert_eq!(knuth.date, Some(DateValue::Month { year: 1984, month: 6 }));
        assert_eq!(&BIB[knuth.date_range.unwrap().as_range()], "1984-06");
        assert_eq!(knuth.link().as_deref(), Some("https://doi.org/10.1000/texbook"));
        let lamport = &source.entries[1];
        assert_eq!(lamport.author_year_title(), "Lamport and Knuth 1994, A Document Preparation System");
        assert_eq!(lamport.container.as_deref(), Some("Software Journal"));
        assert_eq!(source.duplicates(), [(2, 0)]);
        let library = Library::new(vec![Arc::new(source)], Vec::new());
        assert_eq!(library.len(), 2);
        assert_eq!(library.get("knuth1984").unwrap().1.title.as_deref(), Some("The TeXbook"));
        assert_eq!(library.entries().count(), 2);
    }

    #[test]
    fn a_broken_entry_is_an_error_at_its_place_and_the_others_stay() {
        let text = "@book{a, title = {A}}\n\n@book{b, title = {B}\n\n@book{c, title = {C}}\n";
        let source = Source::parse("refs.bib".into(), Arc::from(text));
        let keys: Vec<&str> = source.entries.iter().map(|e| e.key.as_ref()).collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(source.errors.len(), 1, "{:?}", source.errors);
        let error = &source.errors[0];
        assert!(error.range.start() >= text.find("@book{b").unwrap(), "{error:?}");
        assert!(error.range.end() <= text.find("@book{c").unwrap(), "{error:?}");
    }

    #[test]
    fn csl_json_items() {
        let text = r#"[
  {"id": "doe2020", "type": "article-journal", "title": "On Harbours",
   "author": [{"family": "Doe", "given": "Jane"}], "container-title": "Port Studies",
   "issued": {"date-parts": [[2020, 5, 1]]}, "DOI": "10.1/x"},
  {"id": "roe", "title": "Undated", "URL": "https://example.org"}
]"#;
        let source = Source::parse("refs.json".into(), Arc::from(text));
        assert!(source.errors.is_empty(), "{:?}", source.errors);
        assert_eq!(source.entries.len(), 2);
        let doe = &source.entries[0];
        assert_eq!(&text[doe.key_range.as_range()], "doe2020");
        assert_eq!(doe.author_year_title(), "Doe 2020, On Harbours");
        assert_eq!(doe.date, Some(DateValue::Day(jiff::civil::date(2020, 5, 1))));
        assert_eq!(source.entries[1].link().as_deref(), Some("https://example.org"));
        let broken = Source::parse("refs.json".into(), Arc::from("[\n  {\"id\": \"a\",,}\n]"));
        assert_eq!(broken.errors.len(), 1);
        assert_eq!(broken.errors[0].range.start(), 15, "{:?}", broken.errors);
        assert_eq!(&broken.text[15..16], ",");
    }
}
