//! The sentence segmenter against the 48 English "Golden Rules" (pySBD's
//! benchmark, `tests/data/golden_rules_en.json`).

use aam::model::sentences;
use serde::Deserialize;

#[derive(Deserialize)]
struct GoldenCase {
    id: u32,
    rule: String,
    text: String,
    expected: Vec<String>,
}

/// pySBD scores 47/48; this is the floor we hold.
const MIN_PASSING: usize = 44;

#[test]
fn golden_rules() {
    let json = include_str!("data/golden_rules_en.json");
    let cases: Vec<GoldenCase> = serde_json::from_str(json).expect("golden rules parse");
    assert_eq!(cases.len(), 48);

    let mut failures = Vec::new();
    for case in &cases {
        let got: Vec<&str> =
            sentences::split(&case.text).into_iter().map(|range| case.text[range].trim()).collect();
        if got != case.expected {
            failures.push(format!(
                "  #{} {}:\n    expected {:?}\n    got      {:?}",
                case.id, case.rule, case.expected, got
            ));
        }
    }
    let passed = cases.len() - failures.len();
    println!("golden rules: {passed}/{}", cases.len());
    eprintln!("golden rules: {passed}/{}", cases.len());
    for failure in &failures {
        println!("{failure}");
        eprintln!("{failure}");
    }
    assert!(passed >= MIN_PASSING, "golden rules: {passed}/{} (need {MIN_PASSING})", cases.len());
}
