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
//! ```

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
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    #[serde(default)]
    pub repeats: RepeatSettings,
    #[serde(default)]
    pub dates: DateSettings,
    /// Extra entities for AAM206, as in `data/entities.toml`: `[[entities]]`
    /// with `name`, `aliases`, `start`, `end`, `source`, `note`.
    #[serde(default)]
    pub entities: Vec<crate::model::dates::entities::EntityDef>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RepeatSettings {
    pub min_content_words: Option<usize>,
    pub similarity: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DateSettings {
    pub date_order: Option<String>,
    pub reference_date: Option<String>,
}

/// A settings file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Settings resolved into what the model and the rules consume.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    pub model: ModelConfig,
    pub checks: CheckConfig,
}

impl Settings {
    /// Parses the text of an `aam.toml`.
    pub fn parse(text: &str, path: &Path) -> Result<Settings, ConfigError> {
        let settings: Settings =
            toml::from_str(text).map_err(|err| ConfigError { path: path.to_owned(), message: one_line(&err) })?;
        settings.resolve().map_err(|message| ConfigError { path: path.to_owned(), message })?;
        Ok(settings)
    }

    /// Reads and parses an `aam.toml`.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| ConfigError { path: path.to_owned(), message: err.to_string() })?;
        Settings::parse(&text, path)
    }

    /// Checks values and turns names into codes.
    pub fn resolve(&self) -> Result<Resolved, String> {
        let mut resolved = Resolved::default();
        for (key, value) in &self.rules {
            let rule = checks::rule(key).ok_or_else(|| format!("[rules]: unknown rule `{key}`"))?;
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
                DateOrder::parse(order).ok_or_else(|| format!("[dates] date-order: `{order}` is not mdy or dmy"))?,
            );
        }
        if let Some(date) = &self.dates.reference_date {
            resolved.model.reference_date = Some(
                date.parse().map_err(|_| format!("[dates] reference-date: `{date}` is not a date like 2023-06-27"))?,
            );
        }
        resolved.checks.entities = crate::model::dates::entities::from_defs(&self.entities)
            .map_err(|message| format!("[[entities]]: {message}"))?;
        Ok(resolved)
    }
}

/// The nearest `aam.toml` in `dir` or its ancestors.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|dir| dir.join(FILE_NAME)).find(|candidate| candidate.is_file())
}

fn one_line(err: &toml::de::Error) -> String {
    err.to_string().lines().filter(|line| !line.trim().is_empty()).collect::<Vec<_>>().join(": ")
}
