//! The server's settings: the editor's JSON (`initializationOptions`,
//! `workspace/didChangeConfiguration`) layered under the nearest `aam.toml`
//! (the file wins where both speak), plus the server's own `lsp` table.
//!
//! A settings source that cannot be used is reported once and the last good
//! settings stay in force.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::Value;

use crate::config::{self, Resolved, Settings};
use crate::ide::inlay_hints::InlayHintConfig;

/// Default delay between the last change and checking the document: none
/// (a newer version makes the server drop a stale check, so a burst of
/// typing does not queue work).
pub const DEFAULT_DEBOUNCE_MS: u64 = 0;
/// Default size above which a document is not analysed.
pub const DEFAULT_MAX_FILE_MB: u64 = 32;

/// The `lsp` table of the editor's settings (not part of `aam.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSettings {
    pub debounce: Duration,
    pub inlay_hints: InlayHintConfig,
    /// Documents larger than this are kept but not analysed.
    pub max_file_bytes: usize,
    /// The most completion items sent; `0`: all.
    pub completion_limit: usize,
}

impl Default for ServerSettings {
    fn default() -> ServerSettings {
        ServerSettings {
            debounce: Duration::from_millis(DEFAULT_DEBOUNCE_MS),
            inlay_hints: InlayHintConfig::default(),
            max_file_bytes: (DEFAULT_MAX_FILE_MB as usize) << 20,
            completion_limit: crate::ide::completion::DEFAULT_LIMIT,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ServerJson {
    debounce_ms: Option<u64>,
    #[serde(default)]
    inlay_hints: InlayJson,
    max_file_size_mb: Option<u64>,
    #[serde(default)]
    completion: CompletionJson,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CompletionJson {
    limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct InlayJson {
    citations: Option<bool>,
    weekdays: Option<bool>,
}

impl ServerSettings {
    fn from_json(value: Option<Value>) -> Result<ServerSettings, String> {
        let Some(value) = value.filter(|value| !value.is_null()) else {
            return Ok(ServerSettings::default());
        };
        let json: ServerJson = serde_json::from_value(value).map_err(|err| format!("lsp: {err}"))?;
        let defaults = ServerSettings::default();
        Ok(ServerSettings {
            debounce: json.debounce_ms.map_or(defaults.debounce, Duration::from_millis),
            inlay_hints: InlayHintConfig {
                citations: json.inlay_hints.citations.unwrap_or(false),
                weekdays: json.inlay_hints.weekdays.unwrap_or(false),
            },
            max_file_bytes: json
                .max_file_size_mb
                .map_or(defaults.max_file_bytes, |mb| (mb as usize).saturating_mul(1 << 20)),
            completion_limit: json.completion.limit.unwrap_or(defaults.completion_limit),
        })
    }
}

#[derive(Debug, Clone)]
struct CacheEntry {
    resolved: Arc<Resolved>,
    /// `false` once a source changed: the next lookup resolves again.
    fresh: bool,
}

/// Editor settings and the settings resolved per `aam.toml`.
#[derive(Debug, Default)]
pub struct SettingsStore {
    /// The `aam.toml`-shaped part of the editor's settings (last good).
    editor: Option<Value>,
    pub server: ServerSettings,
    /// Last good settings per configuration file (`None`: no file).
    cache: FxHashMap<Option<PathBuf>, CacheEntry>,
}

impl SettingsStore {
    /// Takes new editor settings: the same shape as `aam.toml` as JSON, with
    /// an optional `lsp` table; `{"aam": {…}}` is unwrapped. On an error the
    /// previous settings stay.
    pub fn set_editor(&mut self, value: Value) -> Result<(), String> {
        let mut value = match value {
            Value::Object(mut object) if object.contains_key("aam") => {
                object.remove("aam").unwrap_or(Value::Null)
            }
            other => other,
        };
        if !value.is_null() && !value.is_object() {
            return Err(
                "editor settings: expected an object like {\"rules\": {\"AAM102\": \"off\"}}".to_owned()
            );
        }
        let server_part = value.as_object_mut().and_then(|object| object.remove("lsp"));
        let server = ServerSettings::from_json(server_part)
            .map_err(|message| format!("editor settings: {message}"))?;
        Settings::from_json(&value).map_err(|message| format!("editor settings: {message}"))?;
        self.editor = (!value.is_null()).then_some(value);
        self.server = server;
        self.invalidate();
        Ok(())
    }

    /// Marks every resolved entry stale (a source changed).
    pub fn invalidate(&mut self) {
        for entry in self.cache.values_mut() {
            entry.fresh = false;
        }
    }

    /// The configuration file for a document at `path`, if any.
    pub fn config_file_for(document: Option<&Path>) -> Option<PathBuf> {
        config::discover(document?.parent()?)
    }

    /// Settings under `config_file`; an error message when a source is bad
    /// (reported once per change; the last good settings are returned).
    pub fn resolve(&mut self, config_file: Option<&Path>) -> (Arc<Resolved>, Option<String>) {
        let key = config_file.map(Path::to_owned);
        if let Some(entry) = self.cache.get(&key)
            && entry.fresh
        {
            return (entry.resolved.clone(), None);
        }
        let attempt = Settings::layered(self.editor.as_ref(), config_file)
            .map_err(|err| err.to_string())
            .and_then(|settings| {
                settings.resolve().map_err(|message| format!("{}: {message}", describe(config_file)))
            });
        let (resolved, error) = match attempt {
            Ok(resolved) => (Arc::new(resolved), None),
            Err(message) => {
                let fallback = match self.cache.get(&key) {
                    Some(entry) => entry.resolved.clone(),
                    None => Arc::new(self.editor_only()),
                };
                (fallback, Some(message))
            }
        };
        self.cache.insert(key, CacheEntry { resolved: resolved.clone(), fresh: true });
        (resolved, error)
    }

    fn editor_only(&self) -> Resolved {
        Settings::layered(self.editor.as_ref(), None)
            .ok()
            .and_then(|settings| settings.resolve().ok())
            .unwrap_or_default()
    }
}

fn describe(config_file: Option<&Path>) -> String {
    config_file.map_or_else(|| "editor settings".to_owned(), |path| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{self, Level};
    use serde_json::json;

    fn level(resolved: &Resolved, code: &str) -> Level {
        resolved.checks.level(checks::rule(code).unwrap())
    }

    #[test]
    fn editor_settings_and_the_lsp_table() {
        let mut store = SettingsStore::default();
        store
            .set_editor(json!({"aam": {"rules": {"unused-footnote": "off"}, "lsp": {"debounce-ms": 5, "inlay-hints": {"weekdays": true}, "completion": {"limit": 0}}}}))
            .unwrap();
        assert_eq!(store.server.debounce, Duration::from_millis(5));
        assert_eq!(store.server.completion_limit, 0);
        assert!(store.server.inlay_hints.weekdays && !store.server.inlay_hints.citations);
        let (resolved, error) = store.resolve(None);
        assert_eq!(error, None);
        assert_eq!(level(&resolved, "AAM002"), Level::Off);
    }

    #[test]
    fn bad_editor_settings_keep_the_last_good_ones() {
        let mut store = SettingsStore::default();
        store.set_editor(json!({"rules": {"AAM002": "off"}})).unwrap();
        let error = store.set_editor(json!({"rules": {"AAM002": "loud"}})).unwrap_err();
        assert!(error.starts_with("editor settings: "), "{error}");
        assert!(store.set_editor(json!({"lsp": {"debounce": 1}})).is_err());
        assert_eq!(level(&store.resolve(None).0, "AAM002"), Level::Off);
    }

    #[test]
    fn the_file_wins_and_a_bad_file_keeps_the_last_good_settings() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aam.toml");
        std::fs::write(&file, "[rules]\nAAM002 = \"error\"\n").unwrap();
        let mut store = SettingsStore::default();
        store.set_editor(json!({"rules": {"unused-footnote": "off", "AAM006": "off"}})).unwrap();
        let (resolved, error) = store.resolve(Some(&file));
        assert_eq!(error, None);
        assert_eq!(level(&resolved, "AAM002"), Level::On(checks::Severity::Error));
        assert_eq!(level(&resolved, "AAM006"), Level::Off);

        std::fs::write(&file, "[rules\n").unwrap();
        store.invalidate();
        let (resolved, error) = store.resolve(Some(&file));
        assert!(error.unwrap().contains("aam.toml"));
        assert_eq!(level(&resolved, "AAM002"), Level::On(checks::Severity::Error));
        // Reported once: the next lookup is quiet until a source changes.
        assert_eq!(store.resolve(Some(&file)).1, None);
    }
}
