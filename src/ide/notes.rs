//! How a note reads in the editor: its citation as Markdown (hover,
//! completion documentation) and as a short label (completion detail, inlay
//! hints, document symbols).

use crate::model::dates::{DateValue, weekday_name};
use crate::model::{Document, Note, label};

/// Longest note text shown when a note has no recognisable citation parts.
const MAX_PLAIN_TEXT: usize = 400;

/// The note at `note_idx` as Markdown: a bold marker, then its citation;
/// an Ibid note is resolved to the source it cites.
pub fn note_markdown(doc: &Document, note_idx: usize) -> String {
    let note = &doc.notes[note_idx];
    let marker = escape(&label::marker(&note.label));
    if !note.ibid {
        return format!("**{marker}** {}", citation_markdown(doc, note));
    }
    let Some(source) = note.ibid_of.map(|idx| &doc.notes[idx as usize]) else {
        return format!(
            "**{marker}** {}\n\n*Ibid. with no note before it: it cites nothing.*",
            escape(&note.text)
        );
    };
    let mut out = format!(
        "**{marker}** Ibid. — same source as {}: {}",
        escape(&label::marker(&source.label)),
        citation_markdown(doc, source)
    );
    let rest = ibid_rest(&note.text);
    if !rest.is_empty() {
        out.push_str(&format!("\n\nThis note adds: {}", escape(rest)));
    }
    out
}

/// Title, then authors · publisher · date, then the link, as Markdown
/// paragraphs. Falls back to the note's text when no title was recognised.
pub fn citation_markdown(doc: &Document, note: &Note) -> String {
    let citation = &note.citation;
    let mut paragraphs = Vec::new();
    match &citation.title {
        Some(title) => paragraphs.push(format!("*“{}”*", escape(title))),
        None => paragraphs.push(escape(&truncate(&note.text, MAX_PLAIN_TEXT))),
    }
    let mut facts: Vec<String> = Vec::new();
    if citation.title.is_some() {
        facts.extend(citation.authors.iter().map(|authors| escape(authors)));
        facts.extend(citation.publisher.iter().map(|publisher| escape(publisher)));
    }
    if let Some(date) = source_date_text(doc, note) {
        facts.push(date);
    }
    if !facts.is_empty() {
        paragraphs.push(facts.join(" · "));
    }
    if let Some(url) = &citation.url {
        paragraphs.push(link(url));
    }
    paragraphs.join("\n\n")
}

/// A few words naming the source: `CNN, 2023`, `Ibid. → [1]`.
pub fn short_citation(doc: &Document, note_idx: usize) -> String {
    let note = &doc.notes[note_idx];
    if note.ibid {
        return match note.ibid_of {
            Some(source) => format!("Ibid. → {}", label::marker(&doc.notes[source as usize].label)),
            None => "Ibid. (dangling)".to_owned(),
        };
    }
    let citation = &note.citation;
    let who = citation
        .publisher
        .as_deref()
        .or(citation.authors.as_deref())
        .or(citation.title.as_deref())
        .map(|who| truncate(who, 40))
        .unwrap_or_else(|| truncate(&note.text, 40));
    match citation.date_value.and_then(|value| value.year()) {
        Some(year) if !who.is_empty() => format!("{who}, {year}"),
        Some(year) => year.to_string(),
        None => who,
    }
}

/// The title (or text) and the short citation, for completion details.
pub fn detail(doc: &Document, note_idx: usize) -> String {
    let note = &doc.notes[note_idx];
    match (&note.citation.title, note.ibid) {
        (Some(title), false) => format!("{} — {}", truncate(title, 60), short_citation(doc, note_idx)),
        _ => short_citation(doc, note_idx),
    }
}

/// `2023-06-25, Sunday` for a day, the ISO value otherwise.
pub fn describe_value(value: &DateValue) -> String {
    match value {
        DateValue::Day(date) => format!("{date}, {}", weekday_name(date.weekday())),
        other => other.iso(),
    }
}

/// Escapes the characters Markdown would read as syntax.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown link to `url` showing the URL itself.
pub fn link(url: &str) -> String {
    if url.contains(['<', '>', '\n', ' ']) {
        return escape(url);
    }
    format!("[{}](<{url}>)", escape(url))
}

/// `text` cut to at most `max` characters, at a word boundary when one is
/// near, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let Some((idx, _)) = text.char_indices().nth(max) else {
        return text.to_owned();
    };
    let cut = &text[..idx];
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if cut[..space].chars().count() >= max / 2 => &cut[..space],
        _ => cut,
    };
    format!("{}…", cut.trim_end().trim_end_matches([',', ';', ':']))
}

/// The source date as written, with its ISO value: `June 25th, 2023
/// (2023-06-25, Sunday)`.
fn source_date_text(doc: &Document, note: &Note) -> Option<String> {
    let citation = &note.citation;
    let value = citation.date_value?;
    let written = citation.date_range.map(|range| doc.slice(range).trim().to_owned()).unwrap_or_default();
    let described = describe_value(&value);
    if written.is_empty() || written == value.iso() {
        Some(described)
    } else {
        Some(format!("{} ({described})", escape(&written)))
    }
}

/// What an Ibid note says beyond `Ibid.`: `p. 4` of `Ibid., p. 4`.
fn ibid_rest(text: &str) -> &str {
    let trimmed = text.trim_start();
    let head_len = if trimmed.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("ibid")) {
        4
    } else if trimmed.get(..3).is_some_and(|head| head.eq_ignore_ascii_case("id.")) {
        3
    } else {
        0
    };
    trimmed[head_len..].trim_start_matches(['.', ',', ';', ':']).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ModelConfig;

    #[test]
    fn escapes_markdown_and_links_urls() {
        assert_eq!(escape("a_b *c* [1]"), "a\\_b \\*c\\* \\[1\\]");
        assert_eq!(link("https://x.org/a_(b)"), "[https://x.org/a\\_(b)](<https://x.org/a_(b)>)");
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate("中中中中", 2), "中中…");
        assert_eq!(truncate("one two three four", 12), "one two…");
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn ibid_rest_is_what_follows_ibid() {
        assert_eq!(ibid_rest("Ibid., p. 4"), "p. 4");
        assert_eq!(ibid_rest("Ibid"), "");
        assert_eq!(ibid_rest("Id. at 5"), "at 5");
    }

    #[test]
    fn ibid_note_resolves_to_its_source() {
        let text = "Text.[1] More.[2]\n[1] Ann Lee, “A title”, CNN, June 26th, 2023, https://cnn.com/x\n[2] Ibid., p. 4\n";
        let doc = Document::parse(text, &ModelConfig::default());
        let markdown = note_markdown(&doc, 1);
        assert!(
            markdown.starts_with("**\\[2\\]** Ibid. — same source as \\[1\\]: *“A title”*"),
            "{markdown}"
        );
        assert!(markdown.contains("Ann Lee · CNN · June 26th, 2023 (2023-06-26, Monday)"), "{markdown}");
        assert!(markdown.contains("[https://cnn.com/x](<https://cnn.com/x>)"), "{markdown}");
        assert!(markdown.ends_with("This note adds: p. 4"), "{markdown}");
        assert_eq!(short_citation(&doc, 0), "CNN, 2023");
        assert_eq!(short_citation(&doc, 1), "Ibid. → [1]");
    }
}
