//! `aam check` output formats on a small article tree: one whole-command
//! snapshot (exit code, stdout, stderr) per format, and the SARIF shape.

mod common;

use common::{aam, stdout, transcript, tree};

/// Three articles: out-of-order notes and a missing note; a missing and an
/// uncited labelled note, after accents and an emoji (columns count Unicode
/// scalar values), in a file whose name needs escaping; a clean one. Only the
/// reference rules and AAM901 run, so other rules' changes do not move these
/// snapshots.
fn articles() -> tempfile::TempDir {
    tree(&[
        (
            "harbour.aam",
            "# Harbour report\n\nThe pier opened in 2011.[2] It was extended in 2015.[1] Crowds came.[3]\n\n[1] “Pier extension”, Harbour Times, 2015\n[2] “Pier opens”, Harbour Times, 2011\n",
        ),
        (
            "notes/odd, name.aam",
            "Café 😀 text.[^src] Gone.[^gone]\n\n[^src]: A source, 2020\n[^old]: Unused source, 2019\n",
        ),
        ("notes/clean.aam", "All is well.[1]\n\n[1] A source, 2020\n"),
    ])
}

fn check(format: &str) -> String {
    let dir = articles();
    transcript(&aam(dir.path(), &["check", "--select", "AAM0,AAM9", "--output-format", format]))
}

#[test]
fn full() {
    insta::assert_snapshot!(check("full"));
}

#[test]
fn concise() {
    insta::assert_snapshot!(check("concise"));
}

#[test]
fn json() {
    insta::assert_snapshot!(check("json"));
}

#[test]
fn json_lines() {
    let out = check("json-lines");
    insta::assert_snapshot!(out);
    let dir = articles();
    let output = aam(dir.path(), &["check", "--select", "AAM0,AAM9", "--output-format", "json-lines"]);
    for line in stdout(&output).lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(value["code"].is_string(), "{line}");
    }
}

#[test]
fn github() {
    insta::assert_snapshot!(check("github"));
}

/// The results and the run; the rules' documentation is checked by
/// `sarif_shape`, and only their ids are kept here so that editing a rule's
/// text does not move this snapshot.
#[test]
fn sarif() {
    let out = check("sarif");
    let (head, json) = out.split_at(out.find('{').unwrap());
    let (json, tail) = json.split_at(json.rfind('}').unwrap() + 1);
    let mut log: serde_json::Value = serde_json::from_str(json).unwrap();
    let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
    let ids: Vec<serde_json::Value> =
        rules.as_array().unwrap().iter().map(|rule| rule["id"].clone()).collect();
    *rules = serde_json::Value::Array(ids);
    insta::assert_snapshot!(format!("{head}{}{tail}", serde_json::to_string_pretty(&log).unwrap()));
}

#[test]
fn gitlab() {
    insta::assert_snapshot!(check("gitlab"));
}

#[test]
fn junit() {
    insta::assert_snapshot!(check("junit"));
}

#[test]
fn statistics() {
    let dir = articles();
    insta::assert_snapshot!(transcript(&aam(
        dir.path(),
        &["check", "--select", "AAM0,AAM9", "--statistics"]
    )));
}

#[test]
fn default_format_is_concise_when_not_a_terminal() {
    assert_eq!(check("concise"), {
        let dir = articles();
        transcript(&aam(dir.path(), &["check", "--select", "AAM0,AAM9"]))
    });
}

#[test]
fn output_file() {
    let dir = articles();
    let output =
        aam(dir.path(), &["check", "--select", "AAM0,AAM9", "--output-format", "json", "-o", "report.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(written.as_array().unwrap().len(), 4);
}

/// The fields GitHub code scanning and the SARIF 2.1.0 schema require.
#[test]
fn sarif_shape() {
    let dir = articles();
    let output = aam(dir.path(), &["check", "--select", "AAM0,AAM9", "--output-format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "aam");
    let rules = driver["rules"].as_array().unwrap();
    let registry = aam::checks::all_rules();
    assert_eq!(rules.len(), registry.len(), "every rule, not only those that fired");
    for (rule, registered) in rules.iter().zip(registry) {
        assert_eq!(rule["id"], registered.code);
        assert_eq!(rule["name"], registered.name);
        assert!(!rule["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(
            ["error", "warning", "note"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(' '), "relative, encoded: {uri}");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key} is 1-based");
        }
        for related in result["relatedLocations"].as_array().into_iter().flatten() {
            assert!(related["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(related["message"]["text"].is_string());
        }
    }
    let order = results.iter().find(|r| r["ruleId"] == "AAM004").unwrap();
    assert_eq!(order["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 3);
    assert_eq!(runs[0]["columnKind"], "unicodeCodePoints");
    assert_eq!(runs[0]["invocations"][0]["executionSuccessful"], true);
}
