//! AAM201–AAM206 on fixtures that carry their expectations: a line of `^`
//! under a line of text marks the range of an expected diagnostic, followed
//! by its code and, optionally, words its message must contain.
//!
//! ```text
//! The talks opened on Monday, June 25, 2023.
//!                     ^^^^^^^^^^^^^^^^^^^^^ AAM202 is a Sunday
//! ```
//!
//! Every date diagnostic (AAM2xx) the fixture produces must be marked, and
//! every mark must be produced.

use aam::checks::{self, CheckConfig, Diagnostic};
use aam::model::dates::entities::{self, EntityDef};
use aam::model::{Document, ModelConfig};
use aam::text::TextRange;

struct Expected {
    range: TextRange,
    code: String,
    message: String,
}

/// The text without mark lines, and the marks.
fn parse(fixture: &str) -> (String, Vec<Expected>) {
    let mut text = String::new();
    let mut expected = Vec::new();
    let mut previous_line_start = 0;
    let mut previous_line = "";
    for line in fixture.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let trimmed = body.trim_start();
        if trimmed.starts_with('^') {
            // Columns count characters of the line above.
            let column = body.len() - trimmed.len();
            let carets = trimmed.chars().take_while(|&c| c == '^').count();
            let byte_at =
                |col: usize| previous_line.char_indices().nth(col).map_or(previous_line.len(), |(i, _)| i);
            let rest = trimmed[carets..].trim();
            let (code, message) = rest.split_once(' ').unwrap_or((rest, ""));
            expected.push(Expected {
                range: TextRange::new(
                    previous_line_start + byte_at(column),
                    previous_line_start + byte_at(column + carets),
                ),
                code: code.to_owned(),
                message: message.to_owned(),
            });
            continue;
        }
        previous_line_start = text.len();
        previous_line = body;
        text.push_str(line);
    }
    (text, expected)
}

fn date_diagnostics(text: &str, model: &ModelConfig, config: &CheckConfig) -> Vec<Diagnostic> {
    let doc = Document::parse(text, model);
    checks::check(&doc, config).into_iter().filter(|d| d.rule.code.starts_with("AAM2")).collect()
}

fn check_with(fixture: &str, model: &ModelConfig, config: &CheckConfig) {
    let (text, expected) = parse(fixture);
    let found = date_diagnostics(&text, model, config);
    let show = |d: &Diagnostic| {
        format!("{} {:?} `{}`: {}", d.rule.code, d.range, &text[d.range.as_range()], d.message)
    };
    for mark in &expected {
        let hit = found.iter().find(|d| d.rule.code == mark.code && d.range == mark.range);
        let Some(hit) = hit else {
            panic!(
                "expected {} on `{}` ({:?}); found:\n{}",
                mark.code,
                &text[mark.range.as_range()],
                mark.range,
                found.iter().map(show).collect::<Vec<_>>().join("\n")
            );
        };
        assert!(hit.message.contains(&mark.message), "message `{}` lacks `{}`", hit.message, mark.message);
    }
    for diagnostic in &found {
        assert!(
            expected.iter().any(|m| m.code == diagnostic.rule.code && m.range == diagnostic.range),
            "unexpected {}",
            show(diagnostic)
        );
    }
}

fn check(fixture: &str) {
    check_with(fixture, &ModelConfig::default(), &CheckConfig::default());
}

// ---- AAM201 invalid-date --------------------------------------------------

#[test]
fn invalid_date_fires() {
    check(
        "The treaty was signed on February 30, 2021.
                         ^^^^^^^^^^^^^^^^^ AAM201 February has 29 days
It was filed as 2023-13-01 by mistake.
                ^^^^^^^^^^ AAM201 no month 13
The leap day February 29, 2023 never came.
             ^^^^^^^^^^^^^^^^^ AAM201 not a leap year
Nothing happened on April 31 either.
                    ^^^^^^^^ AAM201 April has 30 days
A day-first date 30/04/2022 in an mdy article.
                 ^^^^^^^^^^ AAM201 set `date-order: dmy`
",
    );
    check(
        "---
date-order: dmy
---
The form was stamped 31/04/2022 by the clerk.
                     ^^^^^^^^^^ AAM201 April has 30 days
",
    );
}

#[test]
fn invalid_date_traps() {
    check(
        "The leap day February 29, 2024 came. In 2021, 30/04 is a fraction.
In 2023 the session ended; on February 29 the minutes were lost.
More than 1,200 people, a 3/4 majority, $2023 and page 1996 are not dates.
",
    );
}

// ---- AAM202 weekday-mismatch ----------------------------------------------

#[test]
fn weekday_mismatch_fires_with_a_fix() {
    check(
        "The talks opened on Monday, June 25, 2023.
                    ^^^^^^^^^^^^^^^^^^^^^ AAM202 June 25, 2023 is a Sunday, not a Monday
The vote took place on 2 May 2018, a Thursday, after weeks of debate.
                       ^^^^^^^^^^^^^^^^^^^^^^ AAM202 is a Wednesday, not a Thursday
They met on Mon., June 25, 2023 again.
            ^^^^^^^^^^^^^^^^^^^ AAM202 is a Sunday
",
    );
    let text = "The talks opened on Mon., June 25, 2023.\n";
    let found = date_diagnostics(text, &ModelConfig::default(), &CheckConfig::default());
    let fix = found[0].fix.as_ref().expect("a quick fix");
    assert_eq!(fix.apply(text), "The talks opened on Sun., June 25, 2023.\n");
}

#[test]
fn weekday_mismatch_names_an_inferred_year() {
    check(
        "It started on June 24, 2023. They met on Monday, June 25.
                                         ^^^^^^^^^^^^^^^ AAM202 taken from `June 24, 2023`
",
    );
}

#[test]
fn correct_weekdays_in_every_form() {
    check(
        "They met on Sunday, June 25, 2023 and on Sun., June 25, 2023.
The ceasefire began on Tuesday 17 January 2023 and on Tuesday, 17 January 2023.
The vote was on 2 May 2018, a Wednesday, or 2 May 2018, which was a Wednesday.
It was June 25, 2023 (Sunday), also written Sunday (June 25, 2023).
ISO: Sunday, 2023-06-25; numeric: Sunday, 06/25/2023.
Russia's envoy flew in last Sunday, June 25, to meet Qin.
The talks of June 24, 2023 led to a pact in 2024. They had met on Sunday, June 25.
",
    );
}

// ---- AAM203 citation-anachronism ------------------------------------------

const NOTES: &str =
    "[1] Nectar Gan, “China throws support behind Russia”, CNN, June 26th, 2023, https://edition.cnn.com/a
[2] Ibid
[3] “Joint Statement on the 10th Anniversary”, Ministry of Foreign Affairs, June 17th, 2011
[4] “How Has the China-Russia Relationship Evolved?”, China Power, May 10th, 2022
[5] Kusumohamidjojo, “Hubungan Internasional”, Jakarta: Bina Cipta, 1987
";

#[test]
fn citation_anachronism_fires() {
    check(&format!(
        "The ministers met again on June 28, 2023.[1]
                           ^^^^^^^^^^^^^ AAM203 note [1]
Both sides agreed on July 2, 2023.[2]
                     ^^^^^^^^^^^^ AAM203 Ibid
The treaty was renewed in 2012[3] and extended later.
                          ^^^^ AAM203
The theory was refined in 1990.[5]
                          ^^^^ AAM203 1987
{NOTES}"
    ));
}

#[test]
fn citation_anachronism_traps() {
    check(&format!(
        "The statement was posted on June 25, 2023 evening local time.[1]
The treaty was upgraded In 2011[3] and made a joint statement in 2019 by a joint statement.
The summit will be held on July 1, 2023.[1] The visit is scheduled for July 3, 2023.[2]
Beijing plans to host the talks in 2024.[4] The next round is due in 2025.[4]
The relationship grew closer in 2023.[1] Emissions must fall by 2030.[4]
Trade rose on June 1, 2023.[4][1] and fell on June 2, 2023.[4, 1]
The Chinese side spoke in 2019.[6] More than 2024 delegates met, 1,2025 votes were cast.[1]
{NOTES}[6] A note without a date
"
    ));
}

// ---- AAM204 relative-date-mismatch ----------------------------------------

#[test]
fn relative_date_mismatch_fires() {
    check(
        "---
date: 2023-03-14
---
The minister resigned yesterday, March 12, after the vote.
                      ^^^^^^^^^^^^^^^^^^^ AAM204 is March 13, 2023, not March 12, 2023
",
    );
    check(
        "---
date: June 27, 2023
---
Rudenko flew to Beijing last Sunday, June 18, to meet Qin.
                        ^^^^^^^^^^^^^^^^^^^^ AAM204 June 25, 2023
",
    );
}

#[test]
fn relative_date_mismatch_traps() {
    // Right relative phrases; no article date; a quote and a note.
    check(
        "---
date: 2023-06-27
---
Rudenko flew to Beijing last Sunday, June 25, and the results came yesterday, June 26.
> The minister said: yesterday, June 20, we met.

He left.[1]
[1] “Report”, TASS, published yesterday, June 20, 2023
",
    );
    check("The minister resigned yesterday, March 12, after the vote.\n");
    let model = ModelConfig { date_order: None, reference_date: Some("2023-03-14".parse().unwrap()) };
    let (text, _) = parse("The minister resigned yesterday, March 12.\n");
    let found = date_diagnostics(&text, &model, &CheckConfig::default());
    assert_eq!(found.len(), 1, "a configured reference date counts as the article's date");
    assert_eq!(found[0].rule.code, "AAM204");
}

// ---- AAM205 conflicting-source-dates --------------------------------------

#[test]
fn conflicting_source_dates_fires() {
    check(
        "Trade rose.[1] Trade fell.[2] Trade held.[3] Trade ended.[4]
[1] “China, Russia should defend common interests”, TASS, June 25, 2023, https://tass.com/world/1638125
[2] “Another story”, Reuters, June 1, 2023
[3] “Other title”, TASS, June 26, 2023, http://www.tass.com/world/1638125/
                         ^^^^^^^^^^^^^ AAM205 same URL
[4] “Another story”, Reuters, June 2, 2023
                              ^^^^^^^^^^^^ AAM205 same title and publisher
",
    );
}

#[test]
fn conflicting_source_dates_traps() {
    check(
        "Trade rose.[1] Trade fell.[2] Trade held.[3] Trade ended.[4] Again.[5]
[1] “China, Russia should defend common interests”, TASS, June 25, 2023, https://tass.com/world/1638125
[2] “China, Russia should defend common interests”, TASS, 2023, https://tass.com/world/1638125
[3] Ibid., June 30, 2023
[4] “Statement”, Reuters, June 2, 2023
[5] “Statement”, Xinhua, June 3, 2023
",
    );
}

// ---- AAM206 entity-anachronism --------------------------------------------

#[test]
fn entity_anachronism_fires() {
    check(
        "These developments culminated in an upgrade in 1996 to a “strategic coordination partnership,” with the Soviet Union.
                                               ^^^^ AAM206 Soviet Union no longer existed
In 1995 Czechoslovakia renewed its treaty with Austria.
   ^^^^ AAM206 1918–1992
The G8 met in Germany in June 2015.
                         ^^^^^^^^^ AAM206 G8
Since 2003 the Organisation of African Unity has met yearly.
      ^^^^ AAM206
The ministers of the Eurasian Economic Union met in 2012.
                                                    ^^^^ AAM206 did not exist yet
",
    );
}

#[test]
fn entity_anachronism_traps() {
    check(
        "Before 1991, when the Soviet Union still existed, trade was planned.
In 1996 the former Soviet Union had fifteen successor states.
In 1996, Russia inherited the Soviet Union's seat at the United Nations.
Since the collapse of the Soviet Union in 1991, relations have changed.
In 1985 the Soviet Union began reforms, and since 1985 the USSR opened up.
Relations improved after the Soviet Union in 1996 and beyond.
The Soviet Union lost 2000 tanks; the Soviet Union had 1,200 airfields.
In 2003 the Sovietologist wrote a book about USSRs.
Myanmar held elections in 2010 and Eswatini in 2018.
",
    );
}

#[test]
fn entity_anachronism_configured_entities() {
    let defs = [EntityDef {
        name: String::from("Example Republic"),
        aliases: vec![String::from("ExRep")],
        start: Some(String::from("1990")),
        end: Some(String::from("2004-06")),
        source: Some(String::from("test")),
        note: None,
    }];
    let config = CheckConfig { entities: entities::from_defs(&defs).unwrap(), ..CheckConfig::default() };
    check_with(
        "In 2005 ExRep signed the treaty. In 2003 the Example Republic did too.
   ^^^^ AAM206 ExRep no longer existed
",
        &ModelConfig::default(),
        &config,
    );
}

#[test]
fn entities_from_aam_toml() {
    let toml = r#"
[[entities]]
name = "Example Republic"
aliases = ["ExRep"]
start = "1990"
end = "2004-06"
source = "https://example.org/history"
"#;
    let settings = aam::config::Settings::parse(toml, std::path::Path::new("aam.toml")).unwrap();
    let resolved = settings.resolve().unwrap();
    assert_eq!(resolved.checks.entities.len(), 1);
    check_with(
        "ExRep signed a treaty in 2009.
                         ^^^^ AAM206 ExRep no longer existed
",
        &resolved.model,
        &resolved.checks,
    );
    let bad = "[[entities]]\nname = \"X\"\nend = \"soon\"\n";
    assert!(aam::config::Settings::parse(bad, std::path::Path::new("aam.toml")).is_err());
}

// ---- the seed article -------------------------------------------------------

#[test]
fn seed_article_has_one_date_finding() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/examples/seed-article.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        // FIXME: the seed lives outside the repository.
        assert!(!std::path::Path::new(path).exists());
        return;
    };
    let found = date_diagnostics(&text, &ModelConfig::default(), &CheckConfig::default());
    let summary: Vec<(&str, &str)> = found.iter().map(|d| (d.rule.code, &text[d.range.as_range()])).collect();
    assert_eq!(summary, [("AAM206", "1996")]);
    let sentence_start = text.find("These developments culminated").unwrap();
    assert!(found[0].range.start() > sentence_start);
    // With an article date, `last Sunday, June 25` is checked and passes.
    let dated = ModelConfig { date_order: None, reference_date: Some("2023-06-27".parse().unwrap()) };
    let found = date_diagnostics(&text, &dated, &CheckConfig::default());
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn conflicting_source_dates_on_a_long_notes_list() {
    // 400 notes citing one source, alternating two dates: every note after
    // the first has an earlier one with the other date (the index keeps one
    // representative per date, the answer is that of comparing all pairs).
    let mut text = String::from("Claim.");
    for idx in 1..=400 {
        text.push_str(&format!("[{idx}]"));
    }
    text.push_str("\n\n");
    for idx in 1..=400 {
        let day = if idx % 2 == 0 { 2 } else { 1 };
        text.push_str(&format!(
            "[{idx}] “Same report on the harbour”, Herald, March {day}, 2023, https://example.com/r\n"
        ));
    }
    let doc = Document::parse(&text, &ModelConfig::default());
    let found: Vec<Diagnostic> = checks::check(&doc, &CheckConfig::default())
        .into_iter()
        .filter(|d| d.rule.code == "AAM205")
        .collect();
    assert_eq!(found.len(), 399);
    assert!(
        found[0].message.starts_with("note [2] cites the same source as note [1] (same URL)"),
        "{}",
        found[0].message
    );
    assert!(
        found[1].message.starts_with("note [3] cites the same source as note [2]"),
        "{}",
        found[1].message
    );
}
