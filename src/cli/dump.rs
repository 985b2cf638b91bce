//! `aam dump FILE --format json`: the document model as the rules see it.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::{EXIT_ERROR, EXIT_OK, SourcePosition, display_path, read_text};
use crate::config::bibliography::{BibliographyCache, Lookup};
use crate::config::{self, Settings};
use crate::model::Document;
use crate::text::TextRange;

#[derive(Debug, clap::Args)]
pub(crate) struct DumpArgs {
    /// The article to dump.
    file: PathBuf,
    /// Output format (only `json`).
    #[arg(long, value_enum, default_value = "json")]
    format: DumpFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DumpFormat {
    Json,
}

pub(crate) fn run(args: DumpArgs) -> u8 {
    let text = match read_text(&args.file) {
        Ok(text) => text,
        Err(message) => {
            eprintln!("aam: error: {}: {message}", display_path(&args.file));
            return EXIT_ERROR;
        }
    };
    let dir = args
        .file
        .parent()
        .map(|p| if p.as_os_str().is_empty() { PathBuf::from(".") } else { p.to_path_buf() });
    let config_path = dir.as_deref().and_then(config::discover);
    let resolved = match &config_path {
        Some(path) => match Settings::load(path).and_then(|s| {
            s.resolve().map_err(|message| config::ConfigError {
                path: path.to_owned(),
                position: None,
                message,
            })
        }) {
            Ok(resolved) => resolved,
            Err(err) => {
                eprintln!("aam: error: invalid configuration: {err}");
                return EXIT_ERROR;
            }
        },
        None => Default::default(),
    };
    let doc = Document::parse(&text, &resolved.model);
    let article_dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let lookup = Lookup {
        article_dir: &article_dir,
        config_dir: config_path.as_deref().and_then(Path::parent),
        config_files: &resolved.bibliography,
    };
    let library = BibliographyCache::default()
        .library(&doc, lookup, &|path| crate::cli::discover::relative_to_cwd(path));
    let doc = doc.with_library(std::sync::Arc::new(library));
    let value = to_json(&doc);
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{}", serde_json::to_string_pretty(&value).unwrap_or_default()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_ERROR,
    }
}

/// The dump of a document (section 5 of the contract).
pub fn to_json(doc: &Document) -> Value {
    let pos = |offset: usize| SourcePosition::of(doc.text(), doc.line_index(), offset);
    let span = |range: TextRange| (pos(range.start()), pos(range.end()));

    let front_matter: serde_json::Map<String, Value> = doc
        .front_matter
        .iter()
        .flat_map(|fm| &fm.entries)
        .map(|entry| (entry.key.clone(), Value::String(entry.value.clone())))
        .collect();
    let headings: Vec<Value> = doc
        .headings
        .iter()
        .map(|heading| {
            let (start, end) = span(heading.range);
            json!({"level": heading.level, "text": heading.text, "start": start, "end": end})
        })
        .collect();
    let sentences: Vec<Value> = doc
        .sentences
        .iter()
        .map(|sentence| {
            let (start, end) = span(sentence.range);
            json!({"text": &*sentence.text, "start": start, "end": end})
        })
        .collect();
    let references: Vec<Value> = doc
        .references
        .iter()
        .map(|reference| {
            let (start, end) = span(reference.range);
            json!({"label": reference.label, "start": start, "end": end})
        })
        .collect();
    let footnotes: Vec<Value> = doc
        .notes
        .iter()
        .map(|note| {
            let (start, end) = span(note.range);
            let citation = &note.citation;
            json!({
                "label": note.label,
                "text": note.text,
                "authors": citation.authors,
                "title": citation.title,
                "publisher": citation.publisher,
                "source_date": citation.date_value.map(|value| value.iso()),
                "url": citation.url,
                "ibid_of": note.ibid_of.map(|idx| doc.notes[idx as usize].label.clone()),
                "start": start,
                "end": end,
            })
        })
        .collect();
    let dates: Vec<Value> = doc
        .dates
        .iter()
        .map(|date| {
            let (start, end) = span(date.range);
            json!({
                "text": doc.slice(date.range),
                "value": date.value.iso(),
                "weekday": date.weekday.map(|w| format!("{w:?}")),
                "relative": date.relative,
                "start": start,
                "end": end,
            })
        })
        .collect();
    let citations: Vec<Value> = doc
        .cites
        .iter()
        .map(|cite| {
            let (start, end) = span(cite.range);
            let entry = doc.library.get(&cite.key).map(|(source, entry)| {
                json!({
                    "path": source.path,
                    "authors": entry.authors,
                    "title": entry.title,
                    "container": entry.container,
                    "date": entry.date.map(|value| value.iso()),
                    "url": entry.url,
                    "doi": entry.doi,
                })
            });
            json!({
                "key": &*cite.key,
                "prefix": cite.prefix.map(|range| doc.slice(range)),
                "locator": cite.locator.map(|range| doc.slice(range)),
                "suppress_author": cite.suppress_author,
                "narrative": cite.narrative,
                "entry": entry,
                "start": start,
                "end": end,
            })
        })
        .collect();
    let bibliographies: Vec<Value> = doc
        .library
        .sources
        .iter()
        .map(|source| json!({"path": source.path, "entries": source.entries.len(), "errors": source.errors.len()}))
        .chain(doc.library.unreadable.iter().map(|file| json!({"path": file.path, "error": file.message})))
        .collect();
    json!({
        "front_matter": front_matter,
        "headings": headings,
        "sentences": sentences,
        "references": references,
        "footnotes": footnotes,
        "dates": dates,
        "citations": citations,
        "bibliographies": bibliographies,
    })
}
