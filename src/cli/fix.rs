//! `aam check --fix`: apply fixes until the text is stable, then write it
//! atomically; `--diff` shows the change instead.
//!
//! Each pass checks the text, takes the applicable fixes in diagnostic
//! order, skips any that overlaps one already taken (the next pass sees the
//! new text and offers it again if still needed), and applies the rest. It
//! stops when no fix applies, after `MAX_PASSES`, or when a text repeats (two
//! fixes undoing each other), as ruff does.

use std::io::Write as _;
use std::path::Path;

use crate::checks::{self, Applicability, CheckConfig, Edit, Fix, apply_edits};
use crate::model::{Document, ModelConfig};
use crate::text::TextRange;

/// Passes before giving up on reaching a stable text.
pub(crate) const MAX_PASSES: usize = 10;

/// What `fix_text` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FixResult {
    pub text: String,
    /// In the order applied.
    pub applied: Vec<AppliedFix>,
    /// `false` when fixes were still offered after `MAX_PASSES` or cycled.
    pub converged: bool,
}

/// One fix applied, and how many findings it resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppliedFix {
    pub code: &'static str,
    pub message: String,
    pub problems: usize,
}

/// Applies the safe fixes (and the unsafe ones when `unsafe_fixes`) to
/// `text` until none applies.
pub(crate) fn fix_text(
    text: &str,
    model: &ModelConfig,
    config: &CheckConfig,
    unsafe_fixes: bool,
) -> FixResult {
    let allowed = |applicability: Applicability| match applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => unsafe_fixes,
        Applicability::DisplayOnly => false,
    };
    let mut current = text.to_owned();
    let mut applied: Vec<AppliedFix> = Vec::new();
    let mut seen: Vec<String> = vec![current.clone()];
    for _ in 0..MAX_PASSES {
        let doc = Document::parse(&current, model);
        let diagnostics = checks::check(&doc, config);
        // Identical fixes (AAM004 attaches one renumbering to each finding)
        // count once, with every finding they resolve.
        let mut offered: Vec<(&Fix, &'static str, usize)> = Vec::new();
        for diagnostic in &diagnostics {
            let Some(fix) = &diagnostic.fix else { continue };
            if !allowed(fix.applicability) || fix.edits.is_empty() {
                continue;
            }
            match offered.iter_mut().find(|(other, code, _)| *other == fix && *code == diagnostic.rule.code) {
                Some(entry) => entry.2 += 1,
                None => offered.push((fix, diagnostic.rule.code, 1)),
            }
        }
        let mut taken: Vec<Edit> = Vec::new();
        let mut pass: Vec<AppliedFix> = Vec::new();
        for (fix, code, problems) in offered {
            if fix.edits.iter().any(|edit| taken.iter().any(|other| conflict(edit.range, other.range))) {
                continue;
            }
            taken.extend(fix.edits.iter().cloned());
            pass.push(AppliedFix { code, message: fix.message.clone(), problems });
        }
        if taken.is_empty() {
            return FixResult { text: current, applied, converged: true };
        }
        taken.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
        let next = apply_edits(&current, &taken);
        if seen.contains(&next) {
            return FixResult { text: current, applied, converged: false };
        }
        seen.push(next.clone());
        current = next;
        applied.extend(pass);
    }
    let doc = Document::parse(&current, model);
    let pending = checks::check(&doc, config)
        .iter()
        .any(|d| d.fix.as_ref().is_some_and(|fix| allowed(fix.applicability) && !fix.edits.is_empty()));
    FixResult { text: current, applied, converged: !pending }
}

/// Two edits conflict when they overlap or insert at the same place.
fn conflict(a: TextRange, b: TextRange) -> bool {
    (a.start() < b.end() && b.start() < a.end()) || a.start() == b.start()
}

/// Writes `contents` over `path` atomically: a temporary file in the same
/// directory, its permissions set to the original's, flushed to disk, then
/// renamed over it. A symlink is followed (the link stays, its target
/// changes). When the file no longer holds `expected` (edited while aam
/// ran), nothing is written.
pub(crate) fn write_atomic(path: &Path, expected: &[u8], contents: &[u8]) -> Result<(), String> {
    let target = std::fs::canonicalize(path).map_err(|err| crate::cli::input::io_message(&err))?;
    let dir = target.parent().ok_or_else(|| "has no parent directory".to_owned())?;
    let permissions =
        std::fs::metadata(&target).map_err(|err| crate::cli::input::io_message(&err))?.permissions();
    let mut temporary =
        tempfile::Builder::new().prefix(".aam-fix-").suffix(".tmp").tempfile_in(dir).map_err(|err| {
            format!("cannot create a temporary file beside it: {}", crate::cli::input::io_message(&err))
        })?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().set_permissions(permissions))
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|err| format!("cannot write the fixed text: {}", crate::cli::input::io_message(&err)))?;
    let now = std::fs::read(&target).map_err(|err| crate::cli::input::io_message(&err))?;
    if now != expected {
        return Err("changed on disk while aam was checking it; not overwritten".to_owned());
    }
    temporary
        .persist(&target)
        .map_err(|err| format!("cannot replace the file: {}", crate::cli::input::io_message(&err.error)))?;
    // The rename itself is durable once the directory is flushed.
    if let Ok(directory) = std::fs::File::open(dir) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// A unified diff of the change, with `a/` and `b/` headers.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumbering_converges_in_one_pass() {
        let text = "A.[2] B.[1]\n\n[1] One\n[2] Two\n";
        let result = fix_text(text, &ModelConfig::default(), &CheckConfig::default(), false);
        assert_eq!(result.text, "A.[1] B.[2]\n\n[1] Two\n[2] One\n");
        assert!(result.converged);
        assert_eq!(result.applied.len(), 1);
        assert_eq!(result.applied[0].code, "AAM004");
    }

    #[test]
    fn unsafe_fixes_only_when_asked() {
        let text = "A.[1]\n\n[1] One\n[2] Unused\n";
        let safe = fix_text(text, &ModelConfig::default(), &CheckConfig::default(), false);
        assert_eq!(safe.text, text);
        assert!(safe.applied.is_empty());
        let all = fix_text(text, &ModelConfig::default(), &CheckConfig::default(), true);
        assert_eq!(all.text, "A.[1]\n\n[1] One\n");
        assert_eq!(all.applied[0].code, "AAM002");
    }

    #[test]
    fn conflicts() {
        assert!(conflict(TextRange::new(0, 5), TextRange::new(4, 6)));
        assert!(conflict(TextRange::new(3, 3), TextRange::new(3, 6)));
        assert!(conflict(TextRange::new(4, 4), TextRange::new(3, 6)));
        assert!(!conflict(TextRange::new(6, 6), TextRange::new(3, 6)));
        assert!(!conflict(TextRange::new(0, 3), TextRange::new(3, 6)));
    }

    #[test]
    fn a_file_changed_on_disk_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.aam");
        std::fs::write(&path, "edited meanwhile").unwrap();
        let err = write_atomic(&path, b"as read", b"fixed").unwrap_err();
        assert_eq!(err, "changed on disk while aam was checking it; not overwritten");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited meanwhile");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_and_symlinks_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.aam");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.aam");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        write_atomic(&link, b"old", b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
    }
}
