//! Reading settings from their sources — the text of `aam.toml`, an editor's
//! JSON (`initializationOptions`, `workspace/didChangeConfiguration`) — and
//! layering them: where both speak, the file wins.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::checks;
use crate::config::{ConfigError, Settings};

impl Settings {
    /// Settings sent by an editor, in the same shape as `aam.toml`
    /// (`{"rules": {"AAM102": "off"}, "repeats": {"similarity": 0.9}}`);
    /// `null` means none.
    pub fn from_json(value: &Value) -> Result<Settings, String> {
        if value.is_null() {
            return Ok(Settings::default());
        }
        let settings: Settings = serde_json::from_value(value.clone()).map_err(|err| err.to_string())?;
        settings.resolve()?;
        Ok(settings)
    }

    /// The editor's settings under the file's: each key the file sets wins,
    /// the editor's others stay. Errors name the file, or `editor settings`.
    pub fn layered(editor: Option<&Value>, file: Option<&Path>) -> Result<Settings, ConfigError> {
        let editor_error =
            |message: String| ConfigError { path: PathBuf::from("editor settings"), position: None, message };
        let editor = match editor.filter(|value| !value.is_null()) {
            Some(value) => {
                Settings::from_json(value).map_err(editor_error)?;
                Some(canonical_rule_keys(value.clone()))
            }
            None => None,
        };
        let file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
                    path: path.to_owned(),
                    position: None,
                    message: io_message(&err),
                })?;
                parse_toml(&text, path)?;
                let table: toml::Table =
                    toml::from_str(&text).map_err(|err| toml_error(&text, path, &err))?;
                Some(canonical_rule_keys(toml_to_json(&toml::Value::Table(table))))
            }
            None => None,
        };
        match (editor, file) {
            (None, None) => Ok(Settings::default()),
            (Some(only), None) | (None, Some(only)) => Settings::from_json(&only).map_err(editor_error),
            (Some(editor), Some(file)) => {
                Settings::from_json(&merge_json(&editor, &file)).map_err(editor_error)
            }
        }
    }
}

/// `upper` over `lower`: tables merge key by key, any other value of
/// `upper` (an array, a number …) replaces `lower`'s; `null` in `upper`
/// keeps `lower`'s.
pub fn merge_json(lower: &Value, upper: &Value) -> Value {
    match (lower, upper) {
        (Value::Object(lower), Value::Object(upper)) => {
            let mut merged = lower.clone();
            for (key, value) in upper {
                let combined = match merged.get(key) {
                    Some(below) => merge_json(below, value),
                    None => value.clone(),
                };
                merged.insert(key.clone(), combined);
            }
            Value::Object(merged)
        }
        (lower, Value::Null) => lower.clone(),
        (_, upper) => upper.clone(),
    }
}

/// `[rules]` keyed by code, so that `AAM102` in one layer and
/// `near-duplicate-sentence` in another are the same key.
fn canonical_rule_keys(mut value: Value) -> Value {
    if let Some(Value::Object(rules)) = value.get_mut("rules") {
        let entries: Vec<(String, Value)> = std::mem::take(rules).into_iter().collect();
        for (key, level) in entries {
            let key = checks::rule(&key).map_or(key, |rule| rule.code.to_owned());
            rules.insert(key, level);
        }
    }
    value
}

fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text.clone()),
        toml::Value::Integer(number) => Value::from(*number),
        toml::Value::Float(number) => Value::from(*number),
        toml::Value::Boolean(flag) => Value::Bool(*flag),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.iter().map(|(key, value)| (key.clone(), toml_to_json(value))).collect())
        }
    }
}

/// Parses and checks the text of an `aam.toml`; errors point at the line.
pub(super) fn parse_toml(text: &str, path: &Path) -> Result<Settings, ConfigError> {
    let settings: Settings = toml::from_str(text).map_err(|err| toml_error(text, path, &err))?;
    settings.resolve().map_err(|message| ConfigError {
        path: path.to_owned(),
        position: locate(text, &message).map(|offset| line_column(text, offset)),
        message,
    })?;
    Ok(settings)
}

fn toml_error(text: &str, path: &Path, err: &toml::de::Error) -> ConfigError {
    let message = err.message().trim().replace('\n', " ");
    ConfigError {
        path: path.to_owned(),
        position: err.span().map(|span| line_column(text, span.start)),
        message,
    }
}

pub(super) fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8".to_owned(),
        _ => err.to_string(),
    }
}

/// The offset of the key a `resolve` error names: messages start with
/// `[table] key:`, `[table]:` or `[[table]]:`.
fn locate(text: &str, message: &str) -> Option<usize> {
    let (table, key) = if let Some(rest) = message.strip_prefix("[[") {
        (rest.split_once("]]")?.0, None)
    } else {
        let (table, rest) = message.strip_prefix('[')?.split_once(']')?;
        let key = rest.strip_prefix(' ').and_then(|rest| rest.split_once(':')).map(|(key, _)| key.trim());
        (table, key)
    };
    let document = toml::de::DeTable::parse(text).ok()?;
    let (table_key, table_value) = document.get_ref().get_key_value(table)?;
    let Some(key) = key else {
        return Some(table_key.span().start);
    };
    match table_value.get_ref() {
        toml::de::DeValue::Table(entries) => {
            entries.get_key_value(key).map(|(key, _)| key.span().start).or(Some(table_key.span().start))
        }
        _ => Some(table_key.span().start),
    }
}

/// 1-based line and column (in Unicode scalar values) of `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |idx| idx + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        Settings::parse(text, Path::new("aam.toml")).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            error("[rules]\nAAM001 = \"error\"\n\n[repeats]\nminimum = 3\n"),
            "aam.toml:5:1: unknown field `minimum`, expected `min-content-words` or `similarity`"
        );
        assert_eq!(
            error("[repeats]\nsimilarity = \"high\"\n"),
            "aam.toml:2:14: invalid type: string \"high\", expected f64"
        );
        assert_eq!(
            error("[rules]\nAAM001 = \"error\"\nAAM999 = \"off\"\n"),
            "aam.toml:3:1: [rules] AAM999: no such rule (see `aam rules`)"
        );
        assert_eq!(
            error("[dates]\n\ndate-order = \"ymd\"\n"),
            "aam.toml:3:1: [dates] date-order: `ymd` is not mdy or dmy"
        );
        assert_eq!(error("colour = true\n"), error("colour = true\n"));
        assert!(
            error("colour = true\n").starts_with("aam.toml:1:1: unknown field `colour`"),
            "{}",
            error("colour = true\n")
        );
        assert!(error("[rules\n").starts_with("aam.toml:1:"), "{}", error("[rules\n"));
    }

    #[test]
    fn the_file_wins_over_the_editor() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aam.toml");
        std::fs::write(
            &path,
            "[rules]\nnear-duplicate-sentence = \"warning\"\n[repeats]\nsimilarity = 0.9\n",
        )
        .unwrap();
        let editor = serde_json::json!({
            "rules": {"AAM102": "off", "AAM101": "error"},
            "repeats": {"similarity": 0.5, "min-content-words": 6}
        });
        let settings = Settings::layered(Some(&editor), Some(&path)).unwrap();
        assert_eq!(settings.rules.get("AAM102").map(String::as_str), Some("warning"));
        assert_eq!(settings.rules.get("AAM101").map(String::as_str), Some("error"));
        assert_eq!(settings.repeats.similarity, Some(0.9));
        assert_eq!(settings.repeats.min_content_words, Some(6));
        assert_eq!(Settings::layered(None, None).unwrap(), Settings::default());
        let bad = serde_json::json!({"repeats": {"similarity": "x"}});
        assert!(
            Settings::layered(Some(&bad), None)
                .unwrap_err()
                .to_string()
                .starts_with("editor settings: invalid type")
        );
    }

    #[test]
    fn json_has_the_shape_of_the_file() {
        let settings = Settings::from_json(&serde_json::json!({"dates": {"date-order": "dmy"}})).unwrap();
        assert_eq!(settings.dates.date_order.as_deref(), Some("dmy"));
        assert!(Settings::from_json(&serde_json::json!({"bogus": 1})).is_err());
        assert_eq!(Settings::from_json(&Value::Null).unwrap(), Settings::default());
    }

    #[test]
    fn merge_keeps_lower_keys() {
        let merged = merge_json(
            &serde_json::json!({"a": {"b": 1, "c": 2}, "d": [1]}),
            &serde_json::json!({"a": {"b": 3}, "d": [2], "e": null}),
        );
        assert_eq!(merged, serde_json::json!({"a": {"b": 3, "c": 2}, "d": [2], "e": null}));
    }
}
