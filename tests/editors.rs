//! The editor integrations agree with the Rust side: the VS Code settings
//! with `aam.toml`'s settings definition (`aam::config::Settings`), the
//! rule list with the registry, and Neovim's queries with the grammar's.
//! `UPDATE_EDITORS=1 cargo test --test editors` rewrites the generated parts
//! (the `aam.rules` properties in package.json, `editors/neovim/queries/aam`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use aam::checks::{Level, all_rules};
use aam::config::Settings;
use serde_json::{Value, json};

/// Settings the extension reads itself and never sends to the server.
const CLIENT_ONLY: &[&str] = &["server.path", "trace.server"];

/// `aam.toml` tables deliberately not offered in the editor, with the reason.
const NOT_IN_EDITOR: &[(&str, &str)] = &[
    ("files", "which files `aam check` takes when it walks a directory; an editor checks the files it opens"),
    (
        "bibliography",
        "paths relative to aam.toml; an article names its own with `bibliography:` in the front matter",
    ),
];

const LEVELS: &[&str] = &["error", "warning", "info", "hint", "off"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn update() -> bool {
    std::env::var_os("UPDATE_EDITORS").is_some()
}

fn package_json_path() -> PathBuf {
    repo().join("editors/vscode/package.json")
}

fn package_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(package_json_path()).unwrap()).unwrap()
}

/// The `aam.*` settings of package.json that go to the server, keyed without
/// the `aam.` prefix.
fn server_settings(package: &Value) -> BTreeMap<String, Value> {
    package["contributes"]["configuration"]["properties"]
        .as_object()
        .expect("contributes.configuration.properties")
        .iter()
        .map(|(key, schema)| {
            let key = key.strip_prefix("aam.").unwrap_or_else(|| panic!("setting {key} is not under aam."));
            (key.to_owned(), schema.clone())
        })
        .filter(|(key, _)| !CLIENT_ONLY.contains(&key.as_str()))
        .collect()
}

/// `{"dates": {"date-order": v}}` from `dates.date-order` = v: what the
/// extension sends (editors/vscode/src/extension.ts, `serverSettings`).
fn nest(values: &BTreeMap<String, Value>) -> Value {
    let mut root = json!({});
    for (key, value) in values {
        let parts: Vec<&str> = key.split('.').collect();
        let mut table = &mut root;
        for part in &parts[..parts.len() - 1] {
            table = table.as_object_mut().unwrap().entry(*part).or_insert_with(|| json!({}));
        }
        table[parts[parts.len() - 1]] = value.clone();
    }
    root
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The fields serde expects at `path` in `Settings`, read from its
/// `deny_unknown_fields` error; `None` when the value there is not a struct.
fn rust_fields(path: &[&str], in_array: bool) -> Option<Vec<String>> {
    let mut probe = json!({ "__probe__": 1 });
    if in_array {
        probe = json!([probe]);
    }
    for part in path.iter().rev() {
        probe = json!({ *part: probe });
    }
    let err = serde_json::from_value::<Settings>(probe).expect_err("a probe field was accepted").to_string();
    // "expected one of `a`, `b`", "expected `a` or `b`", "expected `a`".
    let rest = err.strip_prefix("unknown field `__probe__`, ")?;
    let fields = rest.split('`').skip(1).step_by(2).map(str::to_owned).collect();
    Some(fields)
}

/// Every leaf setting of `aam.toml` as a dotted key (`dates.date-order`),
/// with whether it is an array of tables (`entities`).
fn rust_leaves() -> BTreeMap<String, bool> {
    fn walk(path: &mut Vec<String>, leaves: &mut BTreeMap<String, bool>) {
        let borrowed: Vec<&str> = path.iter().map(String::as_str).collect();
        let fields = rust_fields(&borrowed, false).expect("Settings is a struct");
        for field in fields {
            path.push(field);
            let borrowed: Vec<&str> = path.iter().map(String::as_str).collect();
            if rust_fields(&borrowed, false).is_some() {
                walk(path, leaves);
            } else {
                leaves.insert(path.join("."), rust_fields(&borrowed, true).is_some());
            }
            path.pop();
        }
    }
    let mut leaves = BTreeMap::new();
    walk(&mut Vec::new(), &mut leaves);
    leaves
}

#[test]
fn the_probe_reads_the_settings_definition() {
    let leaves = rust_leaves();
    for key in [
        "rules",
        "repeats.min-content-words",
        "repeats.similarity",
        "dates.date-order",
        "dates.reference-date",
    ] {
        assert!(leaves.contains_key(key), "{key} not found in {leaves:?}");
    }
    assert_eq!(leaves.get("rules"), Some(&false));
}

#[test]
fn vscode_settings_are_the_settings_of_aam_toml() {
    let package = package_json();
    let editor: BTreeSet<String> = server_settings(&package).into_keys().collect();
    let excluded = |key: &str| {
        NOT_IN_EDITOR.iter().any(|(table, _)| key == *table || key.starts_with(&format!("{table}.")))
    };
    let rust: BTreeSet<String> = rust_leaves().into_keys().filter(|key| !excluded(key)).collect();
    let missing: Vec<&String> = rust.difference(&editor).collect();
    let unknown: Vec<&String> = editor.difference(&rust).collect();
    assert!(
        missing.is_empty(),
        "aam.toml settings missing from editors/vscode/package.json (add them as aam.KEY, or to NOT_IN_EDITOR with a reason): {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "editors/vscode/package.json has settings that aam.toml does not: {unknown:?}"
    );
}

#[test]
fn vscode_settings_deserialize_and_resolve_as_aam_toml() {
    // Every setting with a sample value (its default, else its first
    // example) makes one object, as the extension sends it; serde's
    // `deny_unknown_fields` and `resolve` accept it.
    let package = package_json();
    let mut samples = BTreeMap::new();
    for (key, schema) in server_settings(&package) {
        let sample = [&schema["default"], &schema["examples"][0]].into_iter().find(|v| !is_empty(v)).cloned();
        let sample =
            sample.unwrap_or_else(|| panic!("aam.{key}: give it a non-empty default or an `examples` entry"));
        samples.insert(key, sample);
    }
    let sent = nest(&samples);
    let settings: Settings = serde_json::from_value(sent.clone())
        .unwrap_or_else(|err| panic!("{sent:#}\nis not aam.toml's shape: {err}"));
    settings.resolve().unwrap_or_else(|err| panic!("{sent:#}\ndoes not resolve: {err}"));
    assert!(!settings.rules.is_empty(), "aam.rules has no example");
}

#[test]
fn vscode_defaults_are_the_rust_defaults() {
    let package = package_json();
    let settings = server_settings(&package);
    let resolved = aam::config::Resolved::default();
    let default_order = aam::model::DateOrder::default();
    for (key, schema) in &settings {
        let default = &schema["default"];
        match key.as_str() {
            "repeats.min-content-words" => {
                assert_eq!(
                    default.as_u64(),
                    Some(resolved.checks.repeats.min_content_words as u64),
                    "aam.{key}"
                )
            }
            "repeats.similarity" => {
                assert_eq!(default.as_f64(), Some(resolved.checks.repeats.similarity), "aam.{key}")
            }
            "dates.date-order" => {
                let order = default.as_str().and_then(aam::model::DateOrder::parse);
                assert_eq!(order, Some(default_order), "aam.{key}");
                let choices: Vec<&str> =
                    schema["enum"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
                assert!(
                    choices.iter().all(|c| aam::model::DateOrder::parse(c).is_some()),
                    "aam.{key}: {choices:?}"
                );
            }
            _ => assert!(
                is_empty(default),
                "aam.{key}: a default of {default} that this test does not check against Rust"
            ),
        }
    }
}

#[test]
fn vscode_entity_items_are_entity_definitions() {
    let package = package_json();
    let settings = server_settings(&package);
    let Some(schema) = settings.get("entities") else {
        return assert!(!rust_leaves().contains_key("entities"), "aam.entities missing");
    };
    let items: BTreeSet<String> =
        schema["items"]["properties"].as_object().unwrap().keys().cloned().collect();
    let rust: BTreeSet<String> = rust_fields(&["entities"], true).unwrap().into_iter().collect();
    assert_eq!(items, rust, "aam.entities item properties vs EntityDef fields");
}

/// The `properties` of `aam.rules`: one entry per rule, generated.
fn rule_properties() -> Value {
    let mut properties = serde_json::Map::new();
    for rule in all_rules() {
        properties.insert(
            rule.code.to_owned(),
            json!({
                "type": "string",
                "enum": LEVELS,
                "markdownDescription": format!(
                    "`{}`: {} Default: `{}`.",
                    rule.name,
                    rule.summary.trim_end_matches('.').to_owned() + ".",
                    rule.default_level_name()
                ),
            }),
        );
    }
    Value::Object(properties)
}

/// Replaces the value of `"properties"` inside `"aam.rules"` in the text of
/// package.json, keeping the rest of the file as it is.
fn splice_rule_properties(text: &str, properties: &Value) -> String {
    let rules = text.find("\"aam.rules\": {").expect("\"aam.rules\" in package.json");
    let key = rules + text[rules..].find("\"properties\": ").expect("aam.rules has \"properties\"");
    let start = key + "\"properties\": ".len();
    let indent = text[..key].rsplit('\n').next().unwrap();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut end = start;
    for (offset, ch) in text[start..].char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    end = start + offset + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    let pretty = serde_json::to_string_pretty(properties).unwrap().replace('\n', &format!("\n{indent}"));
    format!("{}{}{}", &text[..start], pretty, &text[end..])
}

#[test]
fn vscode_rule_levels_list_every_rule() {
    for level in LEVELS {
        assert!(Level::parse(level).is_some(), "{level} is not a level");
    }
    let expected = rule_properties();
    let path = package_json_path();
    if update() {
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, splice_rule_properties(&text, &expected)).unwrap();
    }
    let package = package_json();
    let rules = &package["contributes"]["configuration"]["properties"]["aam.rules"];
    assert_eq!(
        rules["additionalProperties"]["enum"],
        json!(LEVELS),
        "aam.rules accepts rule names with any level"
    );
    assert!(
        rules["properties"] == expected,
        "the aam.rules properties in editors/vscode/package.json are out of date: run `UPDATE_EDITORS=1 cargo test --test editors`"
    );
}

#[test]
fn splicing_keeps_the_rest_of_package_json() {
    let text = "{\n  \"aam.rules\": {\n    \"x\": \"}\",\n    \"properties\": {\"old\": {\"a\": 1}},\n    \"after\": 1\n  }\n}\n";
    let spliced = splice_rule_properties(text, &json!({ "AAM001": { "type": "string" } }));
    assert_eq!(
        spliced,
        "{\n  \"aam.rules\": {\n    \"x\": \"}\",\n    \"properties\": {\n      \"AAM001\": {\n        \"type\": \"string\"\n      }\n    },\n    \"after\": 1\n  }\n}\n"
    );
}

fn scm_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "scm"))
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect()
}

#[test]
fn neovim_queries_are_the_grammars() {
    let grammar = repo().join("grammar/queries");
    let neovim = repo().join("editors/neovim/queries/aam");
    if update() {
        for (name, _) in scm_files(&neovim) {
            std::fs::remove_file(neovim.join(name)).unwrap();
        }
        for (name, text) in scm_files(&grammar) {
            std::fs::write(neovim.join(name), text).unwrap();
        }
    }
    let expected = scm_files(&grammar);
    assert!(expected.contains_key("highlights.scm"));
    assert!(
        scm_files(&neovim) == expected,
        "editors/neovim/queries/aam differs from grammar/queries: run `UPDATE_EDITORS=1 cargo test --test editors`"
    );
}

#[test]
fn helix_configuration_runs_aam_lsp_on_aam_files() {
    let text = std::fs::read_to_string(repo().join("editors/helix/languages.toml")).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(config["language-server"]["aam"]["command"].as_str(), Some("aam"));
    assert_eq!(config["language-server"]["aam"]["args"], toml::Value::Array(vec!["lsp".into()]));
    let language =
        config["language"].as_array().unwrap().iter().find(|l| l["name"].as_str() == Some("aam")).unwrap();
    assert_eq!(language["file-types"], toml::Value::Array(vec!["aam".into()]));
    assert_eq!(language["scope"].as_str(), Some("text.aam"));
    let grammar =
        config["grammar"].as_array().unwrap().iter().find(|g| g["name"].as_str() == Some("aam")).unwrap();
    assert!(grammar["source"]["path"].as_str().is_some_and(|path| path.ends_with("/grammar")));
}

/// The README's lazy.nvim block is the spec the headless test loads.
#[test]
fn neovim_readme_lazy_spec_is_the_tested_one() {
    let spec = std::fs::read_to_string(repo().join("editors/neovim/lazy.lua")).unwrap();
    let table = &spec[spec.find("return {").expect("lazy.lua returns a table") + "return ".len()..];
    let expected = format!("```lua\n{},\n```", table.trim_end());
    let readme = std::fs::read_to_string(repo().join("editors/neovim/README.md")).unwrap();
    let section = &readme[readme.find("## With lazy.nvim").expect("a lazy.nvim section")..];
    assert!(
        section.contains(&expected),
        "editors/neovim/README.md's lazy.nvim block differs from editors/neovim/lazy.lua"
    );
}
