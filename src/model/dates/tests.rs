//! Unit tests of extraction and resolution.

use jiff::civil::date;

use super::*;
use crate::model::BlockKind;

fn paragraph(text: &str) -> Vec<Block> {
    let range = TextRange::new(0, text.len());
    vec![Block { kind: BlockKind::Paragraph, range, content: range }]
}

fn mentions(text: &str, ctx: &DateContext) -> Vec<(String, String)> {
    extract(text, &paragraph(text), ctx)
        .iter()
        .map(|m| (text[m.range.as_range()].to_owned(), m.value.iso()))
        .collect()
}

fn one(text: &str) -> Vec<(String, String)> {
    mentions(text, &DateContext::default())
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

#[test]
fn month_first_forms() {
    assert_eq!(one("on June 25, 2023 evening"), pairs(&[("June 25, 2023", "2023-06-25")]));
    assert_eq!(one("CNN, June 26th, 2023, https"), pairs(&[("June 26th, 2023", "2023-06-26")]));
    assert_eq!(one("Jun. 25, 2023"), pairs(&[("Jun. 25, 2023", "2023-06-25")]));
    assert_eq!(one("in June 2023 and May 2022"), pairs(&[("June 2023", "2023-06"), ("May 2022", "2022-05")]));
    assert_eq!(one("In 2022 it began on Sept. 5."), pairs(&[("2022", "2022"), ("Sept. 5", "2022-09-05")]));
}

#[test]
fn day_first_and_numeric() {
    assert_eq!(one("on 25 June 2023."), pairs(&[("25 June 2023", "2023-06-25")]));
    assert_eq!(one("the 4th of July 1776"), pairs(&[("4th of July 1776", "1776-07-04")]));
    assert_eq!(one("on 2023-06-25."), pairs(&[("2023-06-25", "2023-06-25")]));
    assert_eq!(one("on 03/04/2023."), pairs(&[("03/04/2023", "2023-03-04")]));
    let dmy = DateContext { order: DateOrder::Dmy, article_date: None };
    assert_eq!(mentions("on 03/04/2023.", &dmy), pairs(&[("03/04/2023", "2023-04-03")]));
    assert_eq!(mentions("31/04/2022", &dmy), pairs(&[("31/04/2022", "2022-04-31")]));
}

#[test]
fn weekdays() {
    let found =
        extract("Tuesday 17 January 2023", &paragraph("Tuesday 17 January 2023"), &DateContext::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].weekday, Some(Weekday::Tuesday));
    assert_eq!(found[0].weekday_range, Some(TextRange::new(0, 7)));
    let text = "On 2 May 2018, a Wednesday, it rained.";
    let found = extract(text, &paragraph(text), &DateContext::default());
    assert_eq!(&text[found[0].range.as_range()], "2 May 2018, a Wednesday");
    assert_eq!(found[0].weekday, Some(Weekday::Wednesday));
}

#[test]
fn years_need_context() {
    assert_eq!(one("in 1996 to a partnership"), pairs(&[("1996", "1996")]));
    assert_eq!(
        one("Since the 1950s, since 2001, by 2019, mid-2022"),
        pairs(&[("1950s", "195X"), ("2001", "2001"), ("2019", "2019"), ("mid-2022", "2022")])
    );
    assert!(one("1,200 people paid $2023 on page 1996; call 555-2023 about 2023 things").is_empty());
    assert!(one("found in 2000 cases").is_empty());
    assert_eq!(one("In 2011   and made"), pairs(&[("2011", "2011")]));
    assert_eq!(one("from 1996 to 1998"), pairs(&[("1996", "1996"), ("1998", "1998")]));
}

#[test]
fn month_day_takes_the_year_before() {
    let text = "It happened on June 25, 2023. Last Sunday, June 25, and the events of June 24.";
    let found = extract(text, &paragraph(text), &DateContext::default());
    let values: Vec<String> = found.iter().map(|m| m.value.iso()).collect();
    assert_eq!(values, ["2023-06-25", "2023-06-25", "2023-06-24"]);
    assert_eq!(found[1].year_source, YearSource::Earlier(0));
    assert!(found[1].relative);
    assert_eq!(found[1].weekday, Some(Weekday::Sunday));
    // No article date: the phrase is kept, unresolved.
    assert_eq!(found[1].relative_phrase.unwrap().resolved, None);
    assert_eq!(one("on June 25"), pairs(&[("June 25", "--06-25")]));
}

#[test]
fn relative_phrases() {
    let ctx = DateContext { order: DateOrder::Mdy, article_date: Some(date(2023, 6, 27)) };
    assert_eq!(
        mentions("Yesterday he left; today he spoke; tomorrow he flies.", &ctx),
        pairs(&[("Yesterday", "2023-06-26"), ("today", "2023-06-27"), ("tomorrow", "2023-06-28")])
    );
    assert_eq!(mentions("He met them last Sunday.", &ctx), pairs(&[("last Sunday", "2023-06-25")]));
    assert_eq!(mentions("They will meet next Monday.", &ctx), pairs(&[("next Monday", "2023-07-03")]));
    assert_eq!(mentions("He spoke on Friday.", &ctx), pairs(&[("on Friday", "2023-06-23")]));
    assert_eq!(mentions("He will speak on Friday.", &ctx), pairs(&[("on Friday", "2023-06-30")]));
    assert_eq!(mentions("three days ago", &ctx), pairs(&[("three days ago", "2023-06-24")]));
    assert_eq!(mentions("It grew last year.", &ctx), pairs(&[("last year", "2022")]));
    assert_eq!(
        mentions("It began on June 24, 2023 and ended two days later.", &ctx),
        pairs(&[("June 24, 2023", "2023-06-24"), ("two days later", "2023-06-26")])
    );
    assert_eq!(
        mentions("They left a day after June 24, 2023.", &ctx),
        pairs(&[("a day after", "2023-06-25"), ("June 24, 2023", "2023-06-24")])
    );
    assert!(mentions("A day after Prighozin ended his uprising", &ctx).is_empty());
    // Without an article date, a relative phrase alone names no date.
    assert!(one("Yesterday he left last Sunday.").is_empty());
    assert!(one("USA Today reported").is_empty());
}

#[test]
fn invalid_dates() {
    assert_eq!(one("February 30, 2021"), pairs(&[("February 30, 2021", "2021-02-30")]));
    assert!(extract("2023-13-01", &paragraph("2023-13-01"), &DateContext::default())[0].is_invalid());
    assert!(
        extract("February 29, 2023", &paragraph("February 29, 2023"), &DateContext::default())[0]
            .is_invalid()
    );
    assert!(
        !extract("February 29, 2024", &paragraph("February 29, 2024"), &DateContext::default())[0]
            .is_invalid()
    );
}

#[test]
fn standalone() {
    assert_eq!(parse_standalone("2023-06-27", DateOrder::Mdy), Some(date(2023, 6, 27)));
    assert_eq!(parse_standalone("June 27, 2023", DateOrder::Mdy), Some(date(2023, 6, 27)));
    assert_eq!(parse_standalone("27 June 2023", DateOrder::Mdy), Some(date(2023, 6, 27)));
    assert_eq!(parse_standalone("06/27/2023", DateOrder::Mdy), Some(date(2023, 6, 27)));
    assert_eq!(parse_standalone("June 2023", DateOrder::Mdy), None);
    assert_eq!(parse_standalone("soon", DateOrder::Mdy), None);
}

#[test]
fn access_dates() {
    let text = "“Title”, Publisher, 2019, accessed on June 30, 2023; retrieved 1 July 2023";
    let found = extract(text, &paragraph(text), &DateContext::default());
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(DateMention::is_access_date));
}

#[test]
fn coarse_comparison() {
    let day = DateValue::Day(date(2023, 6, 26));
    assert_eq!(DateValue::Year(2023).cmp_coarse(&day), Some(Ordering::Equal));
    assert_eq!(DateValue::Month { year: 2023, month: 7 }.cmp_coarse(&day), Some(Ordering::Greater));
    assert_eq!(DateValue::Decade(1950).iso(), "195X");
}

/// Deterministic noise made of date-like pieces never makes extraction
/// panic (byte offsets stay on character boundaries).
#[test]
fn noise_never_panics() {
    const PIECES: &[&str] = &[
        "June",
        " ",
        "25",
        ",",
        "2023",
        "-",
        "–",
        "/",
        ".",
        "’s",
        "'",
        "é",
        "中",
        "😀",
        "\u{a0}",
        "Sunday",
        "last",
        "yesterday",
        "days",
        "later",
        "in",
        "mid-",
        "s",
        "(",
        ")",
        "the",
        "1950",
        "th",
        "of",
        "\n",
        "Sept",
        "a",
        "on",
        "ago",
        "USA",
        "Today",
        "$",
        "#",
        "31",
        "13",
        "0",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let ctx = DateContext { order: DateOrder::Dmy, article_date: Some(date(2023, 6, 27)) };
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..40 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        let found = extract(&text, &paragraph(&text), &ctx);
        for mention in &found {
            assert!(
                text.is_char_boundary(mention.range.start()) && text.is_char_boundary(mention.range.end())
            );
            let _ = mention.value.iso();
        }
    }
}
