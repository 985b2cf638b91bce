//! `aam.toml`: the one definition of the settings, read by `aam check` and
//! `aam lsp`.
//!
//! ```toml
//! [rules]
//! AAM102 = "off"
//! unused-footnote = "error"
//!
//! [repeats]
//! min-content-words = 4
//! similarity = 0.8
//!
//! [dates]
//! date-order = "dmy"
//! reference-date = "2023-06-27"
//!
//! [[entities]]
//! name = "Example Republic"
//! aliases = ["ExRep"]
//! start = "1990-05-01"
//! end = "2004"
//! source = "https://example.org/history"
//!
//! [files]
//! exclude = ["drafts/"]
//! extensions = ["aam", "md"]
//!
//! [bibliography]
//! files = ["refs.bib"]
//! ```
//!
//! Every key is documented on its field below, with a `Default:` line;
//! `docs/configuration.md` is generated from these comments (`docs.rs`), and
//! a test checks each documented default against `Resolved::default()`.
//! Errors from `resolve` start with `[table] key:` so that `layers.rs` can
//! point at the key's line.

pub mod bibliography;
mod docs;
mod layers;

pub use docs::configuration_markdown;
pub use layers::merge_json;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checks::{self, CheckConfig, Level};
use crate::model::{DateOrder, ModelConfig};

pub const FILE_NAME: &str = "aam.toml";

/// The settings as written in `aam.toml` (every field optional).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Rule levels, keyed by code (`AAM102`) or name (`unused-footnote`):
    /// `"error"`, `"warning"`, `"info"`, `"hint"` or `"off"`.
    ///
    /// Default: each rule's own level (see below).
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// Which files `aam check` takes when it walks a directory.
    #[serde(default)]
    pub files: FileSettings,
    /// The repeated-sentence rules, AAM101 and AAM102.
    #[serde(default)]
    pub repeats: RepeatSettings,
    /// How dates are read.
    #[serde(default)]
    pub dates: DateSettings,
    /// Extra entities for AAM206, as in `data/entities.toml`: `[[entities]]`
    /// with `name`, `aliases`, `start`, `end`, `source`, `note`.
    ///
    /// Default: none (only the entities shipped with aam).
    #[serde(default)]
    pub entities: Vec<crate::model::dates::entities::EntityDef>,
    /// Where Pandoc citations (`[@key]`) are looked up.
    #[serde(default)]
    pub bibliography: BibliographySettings,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BibliographySettings {
    /// Bibliography files (BibTeX/BibLaTeX `.bib`, CSL-JSON `.json`),
    /// relative to the directory of `aam.toml`, for the articles whose
    /// front matter names none with `bibliography:`.
    ///
    /// Default: `[]`.
    pub files: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileSettings {
    /// Gitignore-style patterns, relative to the directory of `aam.toml`:
    /// when not empty, only files matching one (or inside a matching
    /// directory) are checked.
    ///
    /// Default: `[]`.
    pub include: Option<Vec<String>>,
    /// Gitignore-style patterns, relative to the directory of `aam.toml`, of
    /// files and directories never checked (`drafts/`, `*.draft.aam`).
    /// Files named on the command line are checked anyway, unless
    /// `--force-exclude` is given.
    ///
    /// Default: `[]`.
    pub exclude: Option<Vec<String>>,
    /// File extensions checked when walking a directory (without the dot).
    /// A file named on the command line is checked whatever its extension,
    /// unless `--force-exclude` is given.
    ///
    /// Default: `["aam"]`.
    pub extensions: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RepeatSettings {
    /// Sentences with fewer content words are not compared.
    ///
    /// Default: `4`.
    pub min_content_words: Option<usize>,
    /// AAM102 fires when two sentences are at least this similar (0 to 1).
    ///
    /// Default: `0.8`.
    pub similarity: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DateSettings {
    /// How numeric dates like `03/04/2023` are read: `"mdy"` or `"dmy"`. An
    /// article's front matter `date-order` wins.
    ///
    /// Default: `"mdy"`.
    pub date_order: Option<String>,
    /// The article's date when its front matter has no `date` (ISO,
    /// `2023-06-27`); relative dates and anachronisms are judged against it.
    ///
    /// Default: none.
    pub reference_date: Option<String>,
}

/// A settings file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// Where in the file, when known: 1-based line and column (in Unicode
    /// scalar values).
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Settings resolved into what the model and the rules consume.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    pub model: ModelConfig,
    pub checks: CheckConfig,
    pub files: FileConfig,
    /// `[bibliography] files`, as written (relative to `aam.toml`).
    pub bibliography: Vec<String>,
}

/// Which files a directory walk takes (`[files]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileConfig {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Without the dot, e.g. `aam`.
    pub extensions: Vec<String>,
}

impl Default for FileConfig {
    fn default() -> FileConfig {
        FileConfig { include: Vec::new(), exclude: Vec::new(), extensions: vec!["aam".to_owned()] }
    }
}

impl Settings {
    /// Parses the text of an `aam.toml`; errors point at the line.
    pub fn parse(text: &str, path: &Path) -> Result<Settings, ConfigError> {
        layers::parse_toml(text, path)
    }

    /// Reads and parses an `aam.toml`.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
            path: path.to_owned(),
            position: None,
            message: layers::io_message(&err),
        })?;
        Settings::parse(&text, path)
    }

    /// Checks values and turns names into codes.
    pub fn resolve(&self) -> Result<Resolved, String> {
        let mut resolved = Resolved::default();
        for (key, value) in &self.rules {
            let rule =
                checks::rule(key).ok_or_else(|| format!("[rules] {key}: no such rule (see `aam rules`)"))?;
            let level = Level::parse(value).ok_or_else(|| {
                format!("[rules] {key}: unknown level `{value}` (expected error, warning, info, hint or off)")
            })?;
            resolved.checks.levels.insert(rule.code, level);
        }
        if let Some(min) = self.repeats.min_content_words {
            resolved.checks.repeats.min_content_words = min;
        }
        if let Some(similarity) = self.repeats.similarity {
            if !(0.0..=1.0).contains(&similarity) {
                return Err(format!("[repeats] similarity: {similarity} is not between 0 and 1"));
            }
            resolved.checks.repeats.similarity = similarity;
        }
        if let Some(order) = &self.dates.date_order {
            resolved.model.date_order = Some(
                DateOrder::parse(order)
                    .ok_or_else(|| format!("[dates] date-order: `{order}` is not mdy or dmy"))?,
            );
        }
        if let Some(date) = &self.dates.reference_date {
            resolved.model.reference_date =
                Some(date.parse().map_err(|_| {
                    format!("[dates] reference-date: `{date}` is not a date like 2023-06-27")
                })?);
        }
        resolved.checks.entities = crate::model::dates::entities::from_defs(&self.entities)
            .map_err(|message| format!("[[entities]]: {message}"))?;
        resolved.files = self.files.resolve()?;
        resolved.bibliography = self.bibliography.files.clone().unwrap_or_default();
        if let Some(bad) = resolved.bibliography.iter().find(|path| path.trim().is_empty()) {
            return Err(format!("[bibliography] files: `{bad}` is not a path"));
        }
        Ok(resolved)
    }
}

impl FileSettings {
    fn resolve(&self) -> Result<FileConfig, String> {
        let mut files = FileConfig::default();
        for (key, patterns, target) in
            [("include", &self.include, &mut files.include), ("exclude", &self.exclude, &mut files.exclude)]
        {
            let Some(patterns) = patterns else { continue };
            for pattern in patterns {
                let mut builder = ignore::gitignore::GitignoreBuilder::new("");
                builder
                    .add_line(None, pattern)
                    .map_err(|err| format!("[files] {key}: invalid pattern `{pattern}`: {err}"))?;
            }
            target.clone_from(patterns);
        }
        if let Some(extensions) = &self.extensions {
            files.extensions = extensions.iter().map(|ext| ext.trim_start_matches('.').to_owned()).collect();
            if let Some(bad) =
                files.extensions.iter().find(|ext| ext.is_empty() || ext.contains(['/', '\\', '*']))
            {
                return Err(format!("[files] extensions: `{bad}` is not a file extension"));
            }
        }
        Ok(files)
    }
}

/// The nearest `aam.toml` in `dir` or its ancestors (a relative `dir` is
/// taken from the current directory, so the walk goes up past it).
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    dir.ancestors().map(|dir| dir.join(FILE_NAME)).find(|candidate| candidate.is_file())
}
