//! Inline suppressions: `<!-- aam-disable … -->` comments.
//!
//! Four forms, each followed by rule codes or names (separated by spaces or
//! commas); no code means every rule:
//!
//! - `<!-- aam-disable AAM101 -->` … `<!-- aam-enable AAM101 -->`: findings
//!   that start between the two comments (or after the first, to the end of
//!   the file) are dropped;
//! - `<!-- aam-disable-next-line AAM202 -->`: findings that start on the line
//!   after the comment's last line;
//! - `<!-- aam-disable-file AAM102 -->`: findings anywhere in the file,
//!   wherever the comment stands.
//!
//! `aam-enable CODE` inside an `aam-disable` of every rule re-enables that
//! rule alone (as markdownlint does). A comment that starts with `aam-` but
//! names no known form, and a code that names no rule, are reported by
//! AAM901 `unknown-suppression` (see `rules/unknown_suppression.rs`).

use rustc_hash::FxHashSet;

use crate::checks::{Diagnostic, Rule};
use crate::model::Document;
use crate::text::TextRange;

/// What a suppression comment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableNextLine,
    DisableFile,
    /// A comment starting with `aam-` that is none of the above.
    Unknown,
}

impl DirectiveKind {
    fn parse(word: &str) -> Option<DirectiveKind> {
        match word {
            "aam-disable" => Some(DirectiveKind::Disable),
            "aam-enable" => Some(DirectiveKind::Enable),
            "aam-disable-next-line" => Some(DirectiveKind::DisableNextLine),
            "aam-disable-file" => Some(DirectiveKind::DisableFile),
            _ if word.starts_with("aam-") => Some(DirectiveKind::Unknown),
            _ => None,
        }
    }
}

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The whole comment, `<!--` to `-->`.
    pub range: TextRange,
    /// The `aam-…` word.
    pub keyword: TextRange,
    /// The codes or names it lists; empty means every rule.
    pub codes: Vec<CodeRef>,
}

/// A rule code or name written in a suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRef {
    pub range: TextRange,
    pub text: String,
    /// The rule it names; `None` when it names none.
    pub rule: Option<&'static Rule>,
}

/// Every suppression comment of `doc`, in order.
pub fn directives(doc: &Document) -> Vec<Directive> {
    doc.comments.iter().filter_map(|&range| parse_comment(doc.slice(range), range)).collect()
}

/// Drops the diagnostics that a suppression comment covers.
pub fn apply(doc: &Document, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let directives = directives(doc);
    if directives.is_empty() {
        return diagnostics;
    }
    let suppressions = Suppressions::new(doc, &directives);
    diagnostics.into_iter().filter(|d| !suppressions.covers(d.rule.code, d.range.start())).collect()
}

/// The rules a set of codes names: every rule, or some.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Codes {
    All,
    Some(FxHashSet<&'static str>),
}

impl Codes {
    /// `None` when the directive lists codes but none names a rule: it then
    /// suppresses nothing (AAM901 reports it) rather than everything.
    fn of(directive: &Directive) -> Option<Codes> {
        if directive.codes.is_empty() {
            return Some(Codes::All);
        }
        let known: FxHashSet<&'static str> =
            directive.codes.iter().filter_map(|code| code.rule.map(|rule| rule.code)).collect();
        (!known.is_empty()).then_some(Codes::Some(known))
    }

    fn contains(&self, code: &str) -> bool {
        match self {
            Codes::All => true,
            Codes::Some(codes) => codes.contains(code),
        }
    }
}

/// The state of `aam-disable`/`aam-enable` ranges: either every rule is off
/// except `exceptions`, or only `codes` are off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RangeState {
    all_off: bool,
    /// When `all_off`: rules enabled again; otherwise: rules disabled.
    codes: FxHashSet<&'static str>,
}

impl RangeState {
    fn disabled(&self, code: &str) -> bool {
        self.all_off != self.codes.contains(code)
    }

    fn disable(&mut self, codes: &Codes) {
        match codes {
            Codes::All => *self = RangeState { all_off: true, codes: FxHashSet::default() },
            Codes::Some(codes) if self.all_off => self.codes.retain(|code| !codes.contains(code)),
            Codes::Some(codes) => self.codes.extend(codes.iter().copied()),
        }
    }

    fn enable(&mut self, codes: &Codes) {
        match codes {
            Codes::All => *self = RangeState::default(),
            Codes::Some(codes) if self.all_off => self.codes.extend(codes.iter().copied()),
            Codes::Some(codes) => self.codes.retain(|code| !codes.contains(code)),
        }
    }
}

struct Suppressions<'a> {
    doc: &'a Document,
    file: Codes,
    /// From each offset on, the range state in force (sorted by offset).
    ranges: Vec<(usize, RangeState)>,
    /// (line, codes) pairs of `aam-disable-next-line`.
    next_lines: Vec<(usize, Codes)>,
}

impl<'a> Suppressions<'a> {
    fn new(doc: &'a Document, directives: &[Directive]) -> Suppressions<'a> {
        let mut file_codes: FxHashSet<&'static str> = FxHashSet::default();
        let mut file_all = false;
        let mut state = RangeState::default();
        let mut ranges = Vec::new();
        let mut next_lines = Vec::new();
        for directive in directives {
            let Some(codes) = Codes::of(directive) else { continue };
            match directive.kind {
                DirectiveKind::Disable => {
                    state.disable(&codes);
                    ranges.push((directive.range.end(), state.clone()));
                }
                DirectiveKind::Enable => {
                    state.enable(&codes);
                    ranges.push((directive.range.end(), state.clone()));
                }
                DirectiveKind::DisableNextLine => {
                    let last_line = doc.line_index().line_of(directive.range.end().saturating_sub(1));
                    next_lines.push((last_line + 1, codes));
                }
                DirectiveKind::DisableFile => match codes {
                    Codes::All => file_all = true,
                    Codes::Some(codes) => file_codes.extend(codes),
                },
                DirectiveKind::Unknown => {}
            }
        }
        let file = if file_all { Codes::All } else { Codes::Some(file_codes) };
        Suppressions { doc, file, ranges, next_lines }
    }

    fn covers(&self, code: &str, offset: usize) -> bool {
        if self.file.contains(code) {
            return true;
        }
        let idx = self.ranges.partition_point(|(start, _)| *start <= offset);
        if idx > 0 && self.ranges[idx - 1].1.disabled(code) {
            return true;
        }
        if self.next_lines.is_empty() {
            return false;
        }
        let line = self.doc.line_index().line_of(offset);
        self.next_lines.iter().any(|(next, codes)| *next == line && codes.contains(code))
    }
}

/// Parses `<!-- aam-… CODES -->`; `None` for any other comment.
fn parse_comment(comment: &str, range: TextRange) -> Option<Directive> {
    let inner_start = comment.strip_prefix("<!--").map_or(0, |_| 4);
    let inner_end = comment.strip_suffix("-->").map_or(comment.len(), |rest| rest.len()).max(inner_start);
    let inner = &comment[inner_start..inner_end];
    let mut words = split_words(inner).into_iter();
    let (keyword_offset, keyword) = words.next()?;
    let kind = DirectiveKind::parse(keyword)?;
    let base = range.start() + inner_start;
    let keyword_range = TextRange::new(base + keyword_offset, base + keyword_offset + keyword.len());
    let codes = words
        .map(|(offset, word)| CodeRef {
            range: TextRange::new(base + offset, base + offset + word.len()),
            text: word.to_owned(),
            rule: crate::checks::rule(word),
        })
        .collect();
    Some(Directive { kind, range, keyword: keyword_range, codes })
}

/// Words separated by whitespace or commas, with their offsets.
fn split_words(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (idx, c) in text.char_indices() {
        let separator = c.is_whitespace() || c == ',';
        match (separator, start) {
            (true, Some(from)) => {
                words.push((from, &text[from..idx]));
                start = None;
            }
            (false, None) => start = Some(idx),
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push((from, &text[from..]));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(comment: &str) -> Option<Directive> {
        parse_comment(comment, TextRange::new(0, comment.len()))
    }

    #[test]
    fn comment_forms() {
        let directive = parse("<!-- aam-disable AAM101, repeated-sentence  aam999 -->").unwrap();
        assert_eq!(directive.kind, DirectiveKind::Disable);
        let codes: Vec<(&str, Option<&str>)> =
            directive.codes.iter().map(|c| (c.text.as_str(), c.rule.map(|r| r.code))).collect();
        assert_eq!(codes[0].0, "AAM101");
        assert_eq!(codes[2], ("aam999", None));
        assert_eq!(
            &"<!-- aam-disable AAM101, repeated-sentence  aam999 -->"[directive.codes[2].range.as_range()],
            "aam999"
        );
        assert_eq!(parse("<!--aam-disable-file-->").unwrap().kind, DirectiveKind::DisableFile);
        assert!(parse("<!--aam-disable-file-->").unwrap().codes.is_empty());
        assert_eq!(parse("<!-- aam-disable-next-line\n AAM001 -->").unwrap().codes.len(), 1);
        assert_eq!(parse("<!-- aam-disabel AAM001 -->").unwrap().kind, DirectiveKind::Unknown);
        assert_eq!(parse("<!-- a note to the editor -->"), None);
        assert_eq!(parse("<!---->"), None);
    }

    #[test]
    fn enable_inside_disable_all_reenables_one_rule() {
        let mut state = RangeState::default();
        state.disable(&Codes::All);
        state.enable(&Codes::Some(["AAM001"].into_iter().collect()));
        assert!(!state.disabled("AAM001"));
        assert!(state.disabled("AAM002"));
        state.disable(&Codes::Some(["AAM001"].into_iter().collect()));
        assert!(state.disabled("AAM001"));
        state.enable(&Codes::All);
        assert!(!state.disabled("AAM002"));
        state.disable(&Codes::Some(["AAM002"].into_iter().collect()));
        assert!(state.disabled("AAM002") && !state.disabled("AAM001"));
    }
}
