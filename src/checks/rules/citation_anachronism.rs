//! AAM203 `citation-anachronism`: a note cited for something that happened
//! after its source was published.

use std::cmp::Ordering;

use crate::checks::{Context, Diagnostic, Rule, Severity};
use crate::model::dates::{DateValue, has_future_cue, prose};
use crate::model::{BlockKind, Document, Reference, label};
use crate::text::TextRange;

/// ## What it does
/// Flags a date in text that a note supports when that date is later than
/// the source date of the note (its first date, or a bare trailing year
/// like `Bina Cipta, 1987`; through `Ibid` to the source it repeats).
///
/// A citation supports what precedes it: a marker at the end of a sentence
/// covers the sentence, a marker inside a sentence covers the text from the
/// sentence start — or from the previous marker — up to it. In
/// `upgraded In 2011[5] and made a joint statement in 2019`, note 5 supports
/// 2011, not 2019. A group of markers (`[1, 3]`, `[1][3]`) supports the text
/// if any of its sources could have reported it.
///
/// Dates are compared at the coarser precision of the two (`2023` is not
/// later than `June 26, 2023`). Plans and forecasts are not reports: text
/// with `will`, `would`, `is expected`, `is scheduled`, `plans`, `is due`,
/// `set to`, `to be` is skipped, as are bounds (`by 2030`, `until 2025`,
/// `before 2030`). Notes without a date, and block quotes, are skipped.
///
/// Pandoc citations count as notes whose source date is the bibliography
/// entry's date: `[@key]` supports what precedes it as a marker does (a
/// group `[@a; @b]` as a group of markers), and a narrative `@key says …`
/// supports the rest of its sentence.
///
/// ## Why is this bad?
/// A source cannot report what happened after it was published: either the
/// date in the text is wrong, the note's date is wrong, or the claim needs
/// another source.
///
/// ## Example
/// ```text
/// The ministers met on June 28, 2023.[1]
///
/// [1] “China, Russia hold talks”, TASS, June 25, 2023
/// ```
///
/// ## Fix
/// Cite a source published after the event, or correct the date.
pub(crate) const RULE: Rule = Rule {
    code: "AAM203",
    name: "citation-anachronism",
    default_severity: Severity::Warning,
    enabled_by_default: true,
    summary: "text supported by a note that reports a date later than the note's source date",
    check,
    source: include_str!("citation_anachronism.rs"),
};

fn check(ctx: &Context<'_>, acc: &mut Vec<Diagnostic>) {
    let doc = ctx.doc;
    for sentence in &doc.sentences {
        if matches!(sentence.context, BlockKind::Note | BlockKind::Quote) {
            continue;
        }
        let first = doc.references.partition_point(|r| r.marker.start() < sentence.range.start());
        let in_sentence: Vec<&Reference> =
            doc.references[first..].iter().take_while(|r| r.marker.start() < sentence.range.end()).collect();
        let mut segment_start = sentence.range.start();
        let mut idx = 0;
        while idx < in_sentence.len() {
            // A group: markers with nothing but spaces between them.
            let group_start = in_sentence[idx].marker;
            let mut group_end = group_start.end();
            let mut labels: Vec<&str> = Vec::new();
            while idx < in_sentence.len() {
                let marker = in_sentence[idx].marker;
                if marker.start() > group_end
                    && !doc.slice(TextRange::new(group_end, marker.start())).trim().is_empty()
                {
                    break;
                }
                group_end = group_end.max(marker.end());
                labels.push(&in_sentence[idx].label);
                idx += 1;
            }
            let segment = TextRange::new(segment_start, group_start.start());
            check_segment(doc, segment, &labels, acc);
            segment_start = group_end;
        }
    }
    check_cites(doc, acc);
}

/// The citations from a bibliography: each group supports the text before
/// it in its sentence (back to the previous marker), a narrative citation
/// the text after it.
fn check_cites(doc: &Document, acc: &mut Vec<Diagnostic>) {
    if doc.cites.is_empty() || doc.library.is_empty() {
        return;
    }
    let mut idx = 0;
    while idx < doc.cites.len() {
        let group = doc.cites[idx].group;
        let narrative = doc.cites[idx].narrative;
        let mut end = idx + 1;
        while end < doc.cites.len() && doc.cites[end].group == group {
            end += 1;
        }
        let cites = &doc.cites[idx..end];
        idx = end;
        // The sentence the group stands in, or the one it follows.
        let at = doc.sentences.partition_point(|s| s.range.end() <= group.start());
        // A narrative citation that starts a sentence is masked out of it:
        // the sentence starts after it.
        let holds = |s: &&crate::model::Sentence| {
            s.range.contains(group.start())
                || (narrative
                    && s.range.start() >= group.end()
                    && doc.slice(TextRange::new(group.end(), s.range.start())).trim().is_empty())
        };
        let sentence = match doc.sentences.get(at).filter(holds) {
            Some(sentence) => sentence,
            None if narrative => continue,
            None => match at.checked_sub(1).and_then(|before| doc.sentences.get(before)) {
                Some(sentence) => sentence,
                None => continue,
            },
        };
        if matches!(sentence.context, BlockKind::Note | BlockKind::Quote) {
            continue;
        }
        let markers = || {
            let references = doc.references.iter().map(|r| r.marker);
            let groups = doc.cites.iter().map(|c| c.group);
            references.chain(groups).filter(|m| sentence.range.contains_range(*m) && *m != group)
        };
        let segment = if narrative {
            let stop = markers().map(|m| m.start()).filter(|&start| start >= group.end()).min();
            TextRange::new(group.end(), stop.unwrap_or(sentence.range.end()))
        } else {
            let end = group.start().min(sentence.range.end());
            let start = markers().map(|m| m.end()).filter(|&e| e <= end).max();
            TextRange::new(start.unwrap_or(sentence.range.start()).max(sentence.range.start()), end)
        };
        check_cited_segment(doc, segment, cites, acc);
    }
}

fn check_cited_segment(
    doc: &Document,
    segment: TextRange,
    cites: &[crate::model::Cite],
    acc: &mut Vec<Diagnostic>,
) {
    if segment.is_empty() {
        return;
    }
    let mut sources = Vec::new();
    for cite in cites {
        let Some((_, entry)) = doc.library.get(&cite.key) else { return };
        let Some(value) = entry.date.filter(|value| value.precision().is_some()) else { return };
        sources.push((cite, value));
    }
    let first = doc.dates.partition_point(|m| m.range.start() < segment.start());
    let mentions = doc.dates[first..].iter().take_while(|m| m.range.end() <= segment.end());
    let mut future: Option<bool> = None;
    for mention in mentions {
        if mention.value.precision().is_none() || mention.preposition.is_some_and(|p| p.is_bound()) {
            continue;
        }
        let later_than_all =
            sources.iter().all(|(_, value)| mention.value.cmp_coarse(value) == Some(Ordering::Greater));
        if !later_than_all {
            continue;
        }
        if *future.get_or_insert_with(|| has_future_cue(doc.slice(segment))) {
            return;
        }
        let (cite, value) = &sources[0];
        let message = format!(
            "{} happened after the source `@{}` was published ({}): a source cannot report it",
            prose(&mention.value),
            cite.key,
            prose(value)
        );
        let mut diagnostic = Diagnostic::new(&RULE, mention.range, message);
        for (cite, value) in &sources {
            diagnostic =
                diagnostic.with_related(cite.range, format!("`@{}`, published {}", cite.key, prose(value)));
        }
        acc.push(diagnostic);
    }
}

/// A cited source: its note, the note whose citation it repeats, and the date.
struct Source {
    label: std::sync::Arc<str>,
    via_ibid: Option<std::sync::Arc<str>>,
    value: DateValue,
    range: TextRange,
}

fn check_segment(doc: &Document, segment: TextRange, labels: &[&str], acc: &mut Vec<Diagnostic>) {
    if segment.is_empty() {
        return;
    }
    let mut sources = Vec::new();
    for &label in labels {
        let Some(&note_idx) = doc.note_indices(label).first() else { return };
        let note = &doc.notes[note_idx as usize];
        let Some(source) = doc.source_note(note_idx as usize) else { return };
        let (Some(value), Some(range)) = (source.citation.date_value, source.citation.date_range) else {
            return;
        };
        if value.precision().is_none() {
            return;
        }
        let via_ibid = note.ibid.then(|| source.label.clone());
        sources.push(Source { label: note.label.clone(), via_ibid, value, range });
    }
    if sources.is_empty() {
        return;
    }
    let first = doc.dates.partition_point(|m| m.range.start() < segment.start());
    let mentions = doc.dates[first..].iter().take_while(|m| m.range.end() <= segment.end());
    let mut future: Option<bool> = None;
    for mention in mentions {
        if mention.value.precision().is_none() || mention.preposition.is_some_and(|p| p.is_bound()) {
            continue;
        }
        let later_than_all =
            sources.iter().all(|s| mention.value.cmp_coarse(&s.value) == Some(Ordering::Greater));
        if !later_than_all {
            continue;
        }
        if *future.get_or_insert_with(|| has_future_cue(doc.slice(segment))) {
            return;
        }
        let source = &sources[0];
        let cited = match &source.via_ibid {
            Some(origin) => format!(
                "note {} (Ibid, the source of note {})",
                label::marker(&source.label),
                label::marker(origin)
            ),
            None => format!("note {}", label::marker(&source.label)),
        };
        let message = format!(
            "{} happened after the source of {cited} was published ({}): a source cannot report it",
            prose(&mention.value),
            prose(&source.value)
        );
        let mut diagnostic = Diagnostic::new(&RULE, mention.range, message);
        for source in &sources {
            diagnostic = diagnostic
                .with_related(source.range, format!("source date of note {}", label::marker(&source.label)));
        }
        acc.push(diagnostic);
    }
}
