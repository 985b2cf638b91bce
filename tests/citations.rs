//! Pandoc citations and bibliographies through `aam check` and `aam dump`:
//! AAM007–AAM010 firing and not firing, a malformed `.bib` (a finding at
//! its place, the article still checked), CSL-JSON, `aam.toml`'s
//! `[bibliography] files`.

mod common;

use common::{aam, stdout, tree};

const BIB: &str = "@book{knuth1984,\n  author = {Donald E. Knuth},\n  title = {The TeXbook},\n  date = {1984},\n}\n\n@article{lamport94,\n  author = {Leslie Lamport},\n  title = {LaTeX},\n  year = {1994},\n}\n";

fn lines(output: &std::process::Output) -> Vec<String> {
    stdout(output).lines().map(str::to_owned).collect()
}

#[test]
fn unresolved_citations_are_errors_and_resolved_ones_are_not() {
    let article = "---\nbibliography: refs.bib\n---\nAs shown [@knuth1984, p. 33; see @nope] and @lamport94 says, ann@example.org.\n";
    let dir = tree(&[("a.aam", article), ("refs.bib", BIB)]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a.aam"]);
    assert_eq!(
        lines(&output),
        ["a.aam:4:34: error[AAM007] citation key `@nope` is not in the bibliography (refs.bib)"]
    );
    assert_eq!(output.status.code(), Some(1));
    // Every key resolves: nothing to report.
    let fixed = article.replace("@nope", "@knuth1984");
    std::fs::write(dir.path().join("a.aam"), fixed).unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a.aam"]);
    assert_eq!(lines(&output), Vec::<String>::new());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_article_without_a_bibliography_is_not_checked_for_keys() {
    let dir = tree(&[("a.aam", "Follow @harbour_news for [@updates].\n")]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a.aam"]);
    assert_eq!(lines(&output), Vec::<String>::new());
}

#[test]
fn unused_entries_only_when_turned_on() {
    let article = "---\nbibliography: refs.bib\n---\nAs shown [@knuth1984].\n";
    let dir = tree(&[("a.aam", article), ("refs.bib", BIB)]);
    let output = aam(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(lines(&output), Vec::<String>::new(), "AAM008 is off by default");
    std::fs::write(dir.path().join("aam.toml"), "[rules]\nunused-bibliography-entry = \"warning\"\n")
        .unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(lines(&output), ["refs.bib:7:10: warning[AAM008] entry `lamport94` is never cited"]);
    // Cited by another article that uses the same file: used.
    std::fs::write(dir.path().join("b.aam"), "---\nbibliography: refs.bib\n---\n@lamport94 agrees.\n")
        .unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(lines(&output), Vec::<String>::new());
}

#[test]
fn duplicate_keys_are_reported_in_the_bibliography() {
    let bib = format!("{BIB}\n@misc{{knuth1984, title = {{Again}}}}\n");
    let dir = tree(&[
        ("a.aam", "---\nbibliography: refs.bib\n---\nAs shown [@knuth1984; @lamport94].\n"),
        ("refs.bib", &bib),
    ]);
    let output = aam(dir.path(), &["check", "--output-format", "json", "a.aam"]);
    let found: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "AAM009");
    assert_eq!(found[0]["path"], "refs.bib");
    assert_eq!(found[0]["start"], serde_json::json!({"line": 13, "column": 7}));
    assert_eq!(found[0]["related"][0]["start"], serde_json::json!({"line": 1, "column": 7}));
    assert_eq!(output.status.code(), Some(1));
    // Without the copy: nothing.
    let dir = tree(&[
        ("a.aam", "---\nbibliography: refs.bib\n---\nAs shown [@knuth1984; @lamport94].\n"),
        ("refs.bib", BIB),
    ]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a.aam"]);
    assert_eq!(lines(&output), Vec::<String>::new());
}

#[test]
fn a_malformed_bib_is_a_finding_at_its_place_and_the_article_is_still_checked() {
    let bib = "@book{good, title = {Good}}\n\n@book{broken,\n  title = {No comma}\n  year = 1999,\n}\n\n@book{after, title = {After}}\n";
    let article = "---\nbibliography: refs.bib\n---\nSee [@good; @after] and [@broken]. Claim.[1]\n";
    let dir = tree(&[("a.aam", article), ("refs.bib", bib)]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a.aam"]);
    assert_eq!(
        lines(&output),
        [
            "a.aam:4:26: error[AAM007] citation key `@broken` is not in the bibliography (refs.bib)",
            "a.aam:4:42: error[AAM001] note [1] is not defined",
            "refs.bib:5:3: error[AAM010] bibliography does not parse: expected comma",
        ]
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_missing_bibliography_is_reported_at_its_name() {
    let dir = tree(&[
        ("a.aam", "---\nbibliography: [refs.bib, gone.bib]\n---\nSee [@knuth1984].\n"),
        ("refs.bib", BIB),
    ]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "a.aam"]);
    assert_eq!(
        lines(&output),
        ["a.aam:2:26: error[AAM010] bibliography `gone.bib` cannot be read: no such file"]
    );
}

#[test]
fn csl_json_and_aam_toml_files() {
    let json = r#"[{"id": "doe2020", "title": "On Harbours", "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}}]"#;
    let dir = tree(&[
        ("aam.toml", "[bibliography]\nfiles = [\"sources/refs.json\"]\n"),
        ("sources/refs.json", json),
        ("articles/a.aam", "As @doe2020 shows [@roe2021].\n"),
    ]);
    let output = aam(dir.path(), &["check", "--output-format", "concise"]);
    assert_eq!(
        lines(&output),
        [format!(
            "articles{}a.aam:1:20: error[AAM007] citation key `@roe2021` is not in the bibliography (sources{}refs.json)",
            std::path::MAIN_SEPARATOR,
            std::path::MAIN_SEPARATOR
        )]
    );
}

#[test]
fn dump_lists_citations_and_bibliographies() {
    let article = "---\nbibliography: refs.bib\n---\nAs [see @knuth1984, p. 33; -@nope] says.\n";
    let dir = tree(&[("a.aam", article), ("refs.bib", BIB)]);
    let output = aam(dir.path(), &["dump", "a.aam"]);
    let dump: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let citations = dump["citations"].as_array().unwrap();
    assert_eq!(citations.len(), 2);
    assert_eq!(citations[0]["key"], "knuth1984");
    assert_eq!(citations[0]["prefix"], "see");
    assert_eq!(citations[0]["locator"], "p. 33");
    assert_eq!(citations[0]["entry"]["title"], "The TeXbook");
    assert_eq!(citations[0]["entry"]["date"], "1984");
    assert_eq!(citations[1]["suppress_author"], true);
    assert!(citations[1]["entry"].is_null());
    assert_eq!(dump["bibliographies"], serde_json::json!([{"path": "refs.bib", "entries": 2, "errors": 0}]));
}

const DATED: &str = "@report{review2022,\n  title = {Harbour Review},\n  institution = {City of Westport},\n  date = {2022-11-08},\n  url = {https://example.com/review},\n}\n\n@report{copy2023,\n  title = {Harbour Review},\n  institution = {City of Westport},\n  date = {2023},\n}\n";

#[test]
fn entries_are_sources_for_the_anachronism_rule() {
    let article = "---\nbibliography: refs.bib\n---\nThe berth opened in March 2023 [@review2022]. The review was approved in 2021 [@review2022]. @review2022 reports that the berth opened in May 2024. It will open in June 2025 [@review2022].\n";
    let dir = tree(&[("a.aam", article), ("refs.bib", DATED)]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "--select", "AAM203", "a.aam"]);
    assert_eq!(
        lines(&output),
        [
            "a.aam:4:21: warning[AAM203] March 2023 happened after the source `@review2022` was published (November 8, 2022): a source cannot report it",
            "a.aam:4:139: warning[AAM203] May 2024 happened after the source `@review2022` was published (November 8, 2022): a source cannot report it",
        ]
    );
}

#[test]
fn entries_and_notes_with_one_source_and_two_dates() {
    let article = "---\nbibliography: refs.bib\n---\nA claim [@review2022]. Another.[1] A third [@copy2023].\n\n[1] “Harbour Review”, City of Westport, March 2023, https://example.com/review\n";
    let dir = tree(&[("a.aam", article), ("refs.bib", DATED)]);
    let output = aam(dir.path(), &["check", "--output-format", "concise", "--select", "AAM205", "a.aam"]);
    assert_eq!(
        lines(&output),
        [
            "a.aam:4:10: warning[AAM205] `@review2022` cites the same source as note [1] (same URL) with another date: November 8, 2022, not March 2023",
            "a.aam:4:45: warning[AAM205] `@copy2023` cites the same source as `@review2022` (same title and publisher) with another date: 2023, not November 8, 2022",
        ]
    );
    // The same dates: nothing.
    let agreeing = article.replace("March 2023", "November 8, 2022").replace("[@copy2023]", "[@review2022]");
    std::fs::write(dir.path().join("a.aam"), agreeing).unwrap();
    let output = aam(dir.path(), &["check", "--output-format", "concise", "--select", "AAM205", "a.aam"]);
    assert_eq!(lines(&output), Vec::<String>::new());
}
