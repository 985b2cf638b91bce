//! Reading the bibliographies an article names, for `aam check` and `aam
//! lsp`: the front matter's `bibliography:` (relative to the article), else
//! `aam.toml`'s `[bibliography] files` (relative to that file).
//!
//! Each file is parsed once and kept until it changes (its modification
//! time or length), so a folder of articles that share one `.bib` reads
//! it once, and the language server rereads it only when it was saved.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use crate::model::Document;
use crate::model::bibliography::{Library, Source, Unreadable};

/// Parsed bibliography files by absolute path.
#[derive(Debug, Default)]
pub struct BibliographyCache {
    files: Mutex<FxHashMap<PathBuf, Cached>>,
}

#[derive(Debug)]
struct Cached {
    stamp: (Option<SystemTime>, u64),
    source: Arc<Source>,
}

/// Where an article's bibliographies are looked for.
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    /// The article's directory (front matter paths are relative to it).
    pub article_dir: &'a Path,
    /// The directory of the `aam.toml` in force, and its `[bibliography]
    /// files`.
    pub config_dir: Option<&'a Path>,
    pub config_files: &'a [String],
}

impl BibliographyCache {
    /// The library of `doc`: its front matter's files, else the
    /// configuration's. `shown` gives the path to show for a file.
    pub fn library(&self, doc: &Document, lookup: Lookup<'_>, shown: &dyn Fn(&Path) -> String) -> Library {
        let mut wanted: Vec<(String, PathBuf)> = doc
            .bibliography_paths()
            .into_iter()
            .map(|p| (p.path.clone(), lookup.article_dir.join(&p.path)))
            .collect();
        if wanted.is_empty() {
            let dir = lookup.config_dir.unwrap_or(lookup.article_dir);
            wanted = lookup.config_files.iter().map(|path| (path.clone(), dir.join(path))).collect();
        }
        let mut sources = Vec::new();
        let mut unreadable = Vec::new();
        for (written, path) in wanted {
            match self.load(&path, shown) {
                Ok(source) => sources.push(source),
                Err(message) => unreadable.push(Unreadable { path: written, message }),
            }
        }
        Library::new(sources, unreadable)
    }

    /// The parsed file at `path`, read again only when it changed.
    pub fn load(&self, path: &Path, shown: &dyn Fn(&Path) -> String) -> Result<Arc<Source>, String> {
        let absolute = key(path);
        let metadata = std::fs::metadata(&absolute).map_err(|err| io_message(&err))?;
        if metadata.is_dir() {
            return Err("is a directory".to_owned());
        }
        let stamp = (metadata.modified().ok(), metadata.len());
        if let Some(cached) = self.lock().get(&absolute).filter(|cached| cached.stamp == stamp) {
            return Ok(Arc::clone(&cached.source));
        }
        let bytes = std::fs::read(&absolute).map_err(|err| io_message(&err))?;
        let text = String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())?;
        let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
        let source = Arc::new(Source::parse(shown(path), Arc::from(text)));
        self.lock().insert(absolute, Cached { stamp, source: Arc::clone(&source) });
        Ok(source)
    }

    /// Forgets the file at `path` (the language server, told it changed).
    pub fn forget(&self, path: &Path) {
        self.lock().remove(&key(path));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<PathBuf, Cached>> {
        self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One key per file, however it is reached (`a/../refs.bib`, a link).
fn key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_owned())
}

fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}
