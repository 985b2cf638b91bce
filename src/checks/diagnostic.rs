//! `Diagnostic`, the one finding type every renderer and the server consume.

use std::borrow::Cow;

use smallvec::SmallVec;

use crate::checks::Rule;
use crate::text::TextRange;

/// A message: most are fixed texts, borrowed rather than allocated for
/// each of thousands of findings (the language server rebuilds them all
/// after each edit).
pub type Message = Cow<'static, str>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn parse(value: &str) -> Option<Severity> {
        match value {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    /// The rule's level in force (set by the runner).
    pub severity: Severity,
    pub range: TextRange,
    pub message: Message,
    /// Other places involved: the first occurrence, the other definition
    /// (rarely more than one: kept inline).
    pub related: SmallVec<[Related; 1]>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, range: TextRange, message: impl Into<Message>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity,
            range,
            message: message.into(),
            related: SmallVec::new(),
            fix: None,
        }
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<Message>) -> Diagnostic {
        self.related.push(Related { range, message: message.into() });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: Message,
}

/// A change that resolves a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub message: String,
    /// Non-overlapping edits, sorted by position.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// Which fixes `aam check --fix` may apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps the meaning: applied by `--fix`.
    Safe,
    /// Removes or changes text: applied by `--fix --unsafe-fixes`.
    Unsafe,
    /// Only offered in the editor (a stub to fill in).
    DisplayOnly,
}

/// Replace `range` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit { range, new_text: new_text.into() }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit::replace(range, "")
    }

    pub fn insert(offset: usize, new_text: impl Into<String>) -> Edit {
        Edit::replace(TextRange::empty(offset), new_text)
    }
}

impl Fix {
    /// Applies the edits to `text` (edits must be sorted and disjoint;
    /// overlapping ones are skipped).
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, &self.edits)
    }
}

/// Applies sorted, disjoint `edits` to `text`; an edit overlapping the one
/// before it is skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for edit in edits {
        if edit.range.start() < pos || edit.range.end() > text.len() {
            continue;
        }
        out.push_str(&text[pos..edit.range.start()]);
        out.push_str(&edit.new_text);
        pos = edit.range.end();
    }
    out.push_str(&text[pos..]);
    out
}
