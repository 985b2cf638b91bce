//! `docs/configuration.md`, generated from the settings' definition: every
//! field of `Settings` and of its tables, with the `///` comment above it and
//! its `Default:` line. A test keeps the committed page current; another
//! checks each documented default against `Resolved::default()`.

use crate::checks;

/// The source the documentation is read from.
const SOURCE: &str = include_str!("mod.rs");

/// One documented key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyDoc {
    /// `None` for a top-level key (`rules`, `entities`).
    pub table: Option<String>,
    pub key: String,
    /// The Rust type, as written.
    pub rust_type: String,
    pub description: String,
    /// The text after `Default:`, e.g. `` `4` `` or `none`.
    pub default: String,
}

/// The tables and keys of `Settings`, in definition order.
pub(crate) fn keys() -> Vec<KeyDoc> {
    let mut out = Vec::new();
    for field in struct_fields("Settings") {
        let table_fields = struct_fields(field.rust_type.trim());
        if table_fields.is_empty() {
            let (description, default) = split_default(&field.doc);
            out.push(KeyDoc {
                table: None,
                key: field.key,
                rust_type: field.rust_type,
                description,
                default,
            });
            continue;
        }
        for inner in table_fields {
            let (description, default) = split_default(&inner.doc);
            out.push(KeyDoc {
                table: Some(field.key.clone()),
                key: inner.key,
                rust_type: inner.rust_type,
                description,
                default,
            });
        }
    }
    out
}

/// The documentation of a table (`repeats`): the comment on its field.
fn table_description(table: &str) -> String {
    struct_fields("Settings")
        .into_iter()
        .find(|field| field.key == table)
        .map(|field| field.doc)
        .unwrap_or_default()
}

/// The page.
pub fn configuration_markdown() -> String {
    let mut out = String::from(
        "# Configuration\n\n<!-- Generated from src/config/mod.rs by `UPDATE_DOCS=1 cargo test --test docs`; do not edit. -->\n\n",
    );
    out.push_str(PREAMBLE);
    let keys = keys();
    let mut current_table: Option<&str> = None;
    for key in &keys {
        match key.table.as_deref() {
            Some(table) => {
                if current_table != Some(table) {
                    out.push_str(&format!("\n## `[{table}]`\n\n{}\n", table_description(table)));
                    current_table = Some(table);
                }
                out.push_str(&format!(
                    "\n### `{}`\n\n{}\n\nType: {}. Default: {}\n",
                    key.key,
                    key.description,
                    toml_type(&key.rust_type),
                    key.default
                ));
            }
            None => {
                current_table = None;
                let header = if key.rust_type.starts_with("Vec<") {
                    format!("[[{}]]", key.key)
                } else {
                    format!("[{}]", key.key)
                };
                out.push_str(&format!(
                    "\n## `{header}`\n\n{}\n\nDefault: {}\n",
                    key.description, key.default
                ));
                if key.key == "rules" {
                    out.push_str("\n| code | name | default level |\n| --- | --- | --- |\n");
                    for rule in checks::all_rules() {
                        out.push_str(&format!(
                            "| {} | `{}` | {} |\n",
                            rule.code,
                            rule.name,
                            rule.default_level_name()
                        ));
                    }
                }
            }
        }
    }
    out.push_str(SUPPRESSIONS);
    out
}

const PREAMBLE: &str = "\
`aam check` and `aam lsp` read the same settings from `aam.toml`. For each
article, the nearest `aam.toml` in its directory or a parent directory is used
(one file, not a merge of several); `aam check --config PATH` uses that file
for every article instead, and `--isolated` ignores every `aam.toml`. Paths in
`[files]` are relative to the directory of the `aam.toml` that holds them.

An unknown key, a value of the wrong type or an unknown rule is an error that
names the file, line and column (``aam.toml:5:1: unknown field `minimum`,
expected …``); `aam check` then exits with code 2.

Editors may send the same settings, in the same shape as JSON, as
`initializationOptions` or with `workspace/didChangeConfiguration`, e.g.
`{\"rules\": {\"AAM102\": \"off\"}, \"repeats\": {\"similarity\": 0.9}}`. Where the
editor and `aam.toml` set the same key, the file wins.

```toml
[rules]
AAM102 = \"off\"
unused-footnote = \"error\"

[files]
exclude = [\"drafts/\"]
extensions = [\"aam\", \"md\"]

[repeats]
similarity = 0.9

[dates]
date-order = \"dmy\"
reference-date = \"2023-06-27\"
```
";

const SUPPRESSIONS: &str = "
## Inline suppressions

Comments in an article turn rules off where they stand. Each form takes rule
codes or names, separated by spaces or commas; with none, it applies to every
rule. Codes are matched without regard to case, names exactly.

| comment | effect |
| --- | --- |
| `<!-- aam-disable AAM101 -->` | findings that start after the comment are dropped, up to a matching `aam-enable` or the end of the file |
| `<!-- aam-enable AAM101 -->` | ends an `aam-disable`; after `<!-- aam-disable -->` (every rule), `aam-enable AAM101` turns that one rule back on |
| `<!-- aam-disable-next-line AAM202 -->` | findings that start on the line after the comment |
| `<!-- aam-disable-file AAM102 -->` | findings anywhere in the file, wherever the comment stands |

A comment that starts with `aam-` but is none of these forms, and a code that
names no rule, are reported by AAM901 `unknown-suppression` (a warning); a
comment whose codes are all unknown suppresses nothing. The language server
honours the same comments.
";

/// A `pub name: Type,` field with the `///` comment above it.
struct Field {
    key: String,
    rust_type: String,
    doc: String,
}

/// The fields of `pub struct NAME { … }` in `SOURCE`; none when there is no
/// such struct.
fn struct_fields(name: &str) -> Vec<Field> {
    let header = format!("pub struct {name} {{");
    let Some(start) = SOURCE.find(&header) else { return Vec::new() };
    let body = &SOURCE[start + header.len()..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    let mut fields = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in body.lines().map(str::trim) {
        if let Some(comment) = line.strip_prefix("///") {
            doc.push(comment.strip_prefix(' ').unwrap_or(comment));
        } else if let Some(field) = line.strip_prefix("pub ") {
            let Some((ident, rust_type)) = field.split_once(':') else { continue };
            fields.push(Field {
                key: ident.trim().replace('_', "-"),
                rust_type: rust_type.trim().trim_end_matches(',').to_owned(),
                doc: doc.join("\n").trim().to_owned(),
            });
            doc.clear();
        } else if !line.starts_with("#[") {
            doc.clear();
        }
    }
    fields
}

/// The description, and the text of its `Default:` line.
fn split_default(doc: &str) -> (String, String) {
    let mut description = Vec::new();
    let mut default = String::new();
    for line in doc.lines() {
        match line.strip_prefix("Default:") {
            Some(rest) => default = rest.trim().to_owned(),
            None => description.push(line),
        }
    }
    let description = description.join("\n").trim().replace("\n\n\n", "\n\n");
    (description, default)
}

fn toml_type(rust_type: &str) -> &'static str {
    let inner = rust_type.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')).unwrap_or(rust_type);
    match inner {
        "String" => "string",
        "usize" | "u32" | "u64" | "i64" => "integer",
        "f64" | "f32" => "number",
        "bool" => "boolean",
        _ if inner.starts_with("Vec<String>") => "array of strings",
        _ if inner.starts_with("Vec<") => "array of tables",
        _ => "table",
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::{Resolved, Settings};

    #[test]
    fn every_setting_is_documented_with_a_default() {
        let keys = keys();
        assert!(
            keys.iter().any(|k| k.table.as_deref() == Some("repeats") && k.key == "similarity"),
            "{keys:#?}"
        );
        assert!(keys.iter().any(|k| k.table.is_none() && k.key == "rules"));
        for key in &keys {
            assert!(
                !key.description.is_empty(),
                "`{:?}.{}` has no `///` comment in src/config/mod.rs",
                key.table,
                key.key
            );
            assert!(
                !key.default.is_empty(),
                "`{:?}.{}` has no `Default:` line in src/config/mod.rs",
                key.table,
                key.key
            );
        }
    }

    /// Each documented default (a TOML value in backticks), set explicitly,
    /// resolves to the same settings as leaving it out; and each key the
    /// page documents is one the parser accepts.
    #[test]
    fn documented_defaults_are_the_real_defaults() {
        // No `date-order` and `"mdy"` read numeric dates alike (the model
        // falls back to mdy), so compare the order in force.
        let effective = |mut resolved: Resolved| {
            resolved.model.date_order.get_or_insert_default();
            resolved
        };
        let defaults = effective(Resolved::default());
        assert_eq!(effective(Settings::default().resolve().unwrap()), defaults);
        let mut checked = 0;
        for key in keys() {
            let Some(table) = &key.table else { continue };
            let Some(value) = key.default.strip_prefix('`').and_then(|rest| rest.split('`').next()) else {
                // `none`: the key accepts a value (parsed), without a default to compare.
                continue;
            };
            let text = format!("[{table}]\n{} = {value}\n", key.key);
            let settings =
                Settings::parse(&text, Path::new("aam.toml")).unwrap_or_else(|err| panic!("{text}: {err}"));
            assert_eq!(
                effective(settings.resolve().unwrap()),
                defaults,
                "documented default of [{table}] {}",
                key.key
            );
            checked += 1;
        }
        assert!(checked >= 5, "{checked}");
    }
}
