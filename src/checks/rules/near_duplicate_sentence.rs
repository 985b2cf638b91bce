//! AAM102 `near-duplicate-sentence`: a sentence close to an earlier one.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::checks::diagnostic::Message;
use crate::checks::repeats::Verdict;
use crate::checks::{Context, Diagnostic, Rule, Severity};

/// ## What it does
/// Flags a sentence that says an earlier sentence again in other words: the
/// words reordered, the tense or number changed (`have`/`had`,
/// `relation`/`relations`), a word or two added, dropped or swapped, a
/// clause added. The similarity compares the two sentences' content words
/// (stemmed, stop words aside): the words they share, divided by the length
/// of the shorter one plus a quarter of the difference in length, so a word
/// swapped costs more than a word added. The rule fires at or above
/// `similarity` (`[repeats]` in `aam.toml`, default 0.8).
///
/// Sentences that differ in a fact are not repeats, however similar their
/// words: each has a number, date, percentage, amount or name that the other
/// lacks, one is negated and the other not, or one has a word where the
/// other has its opposite (`rose`/`fell`). The sentences compared are those
/// of `repeated-sentence`: paragraphs and list items, not notes, block
/// quotes, code or quoted speech, and at least `min-content-words` content
/// words. A near duplicate is looked for in the sentence's own section
/// (under the same heading): a changelog's releases and a reference's
/// entries are written alike on purpose, and a rewrite left behind stands
/// next to its new version. Between two items of one list (list items one
/// after the other, with only list items, code and comments between them)
/// a swapped word is not a repeat: a list enumerates parallel things
/// (options, functions, changes) worded alike; an item with the other's
/// words reordered, or with words added, still is.
///
/// ## Why is this bad?
/// Rewrites and reorderings leave the old version behind; the reader reads
/// the same claim twice and wonders whether it is meant as two.
///
/// ## Example
/// ```text
/// Russia and China have a long history of good relations. China and Russia
/// have had a long history of relations.
/// ```
/// The second sentence is 95% similar to the first. "Exports rose 5% in
/// 2021." and "Exports rose 7% in 2022." are different facts and pass.
///
/// ## Fix
/// Keep one of the two sentences, or make the second say something new.
/// There is no automatic fix: which wording to keep is the writer's choice.
pub(crate) const RULE: Rule = Rule {
    code: "AAM102",
    name: "near-duplicate-sentence",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "a sentence close to an earlier one (word order, tense, a word or two changed)",
    check,
    source: include_str!("near_duplicate_sentence.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    let analysis = ctx.repeats();
    acc.reserve(analysis.repeats.len());
    for repeat in &analysis.repeats {
        let Verdict::Near(similarity) = repeat.verdict else { continue };
        let later = &doc.sentences[repeat.later as usize];
        let earlier = &doc.sentences[repeat.earlier as usize];
        if section(doc, earlier.range.start()) != section(doc, later.range.start())
            || (same_list(doc, earlier.block as usize, later.block as usize) && swaps_a_word(later, earlier))
        {
            continue;
        }
        // Rounded down: 99.6% reads 99%; only the same content words read 100%.
        let percent = (similarity * 100.0 + 1e-9).floor() as u32;
        acc.push(
            Diagnostic::new(&RULE, later.range, message(percent))
                .with_related(earlier.range, "similar sentence"),
        );
    }
}

/// `true` when each sentence has a content word the other lacks: a word
/// swapped, not only words reordered or added.
fn swaps_a_word(a: &crate::model::Sentence, b: &crate::model::Sentence) -> bool {
    use crate::checks::repeats::{Features, similarity};
    let (a, b) = (Features::of(&a.text), Features::of(&b.text));
    let shared = similarity::overlap(a.words(), b.words());
    shared < a.words().len().min(b.words().len())
}

/// The number of headings before `offset`: which section it is in.
fn section(doc: &crate::model::Document, offset: usize) -> usize {
    doc.headings.partition_point(|heading| heading.range.start() < offset)
}

/// `true` when blocks `first` to `last` are items of one list: list items,
/// with only code and comments between them.
fn same_list(doc: &crate::model::Document, first: usize, last: usize) -> bool {
    use crate::model::BlockKind;
    let Some(blocks) = doc.blocks.get(first..=last) else { return false };
    blocks.first().is_some_and(|b| b.kind == BlockKind::ListItem)
        && blocks.last().is_some_and(|b| b.kind == BlockKind::ListItem)
        && blocks.iter().all(|b| matches!(b.kind, BlockKind::ListItem | BlockKind::Code | BlockKind::Comment))
}

/// `sentence is {percent}% similar to an earlier one`, written without the
/// formatting machinery (thousands of these are built on every run).
/// The message for `percent`: one string per percentage up to 100 made
/// once (a keystroke in a long article rebuilds thousands of these).
fn message(percent: u32) -> Message {
    static COMMON: LazyLock<Vec<String>> = LazyLock::new(|| (0..=100).map(format_message).collect());
    match COMMON.get(percent as usize) {
        Some(message) => Cow::Borrowed(message.as_str()),
        None => Cow::Owned(format_message(percent)),
    }
}

fn format_message(percent: u32) -> String {
    const HEAD: &str = "sentence is ";
    const TAIL: &str = "% similar to an earlier one";
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut rest = percent;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(HEAD.len() + (digits.len() - at) + TAIL.len());
    out.push_str(HEAD);
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
    out.push_str(TAIL);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_is_the_formatted_one() {
        for percent in [0, 7, 10, 80, 99, 100, 1234, u32::MAX] {
            assert_eq!(super::message(percent), format!("sentence is {percent}% similar to an earlier one"));
        }
    }
}
