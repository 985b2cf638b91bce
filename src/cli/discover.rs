//! Which files `aam check` takes, and with which settings.
//!
//! - A directory is walked with the `ignore` crate: `.gitignore` (also
//!   outside a git repository), `.ignore`, hidden files skipped, symlinks
//!   followed (a loop is reported, not followed).
//! - Each file gets the settings of the nearest `aam.toml` in its directory
//!   or above (`--config` for all, `--isolated` for none); that file's
//!   `[files]` decides: extensions, then `include`, then `exclude`
//!   (gitignore-style patterns relative to the `aam.toml`'s directory). An
//!   excluded directory is not walked.
//! - A file named on the command line is checked whatever its extension or
//!   `exclude`, unless `--force-exclude` is given (for pre-commit, which
//!   names every changed file).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rustc_hash::FxHashMap;

use crate::checks::{self, CheckConfig, Level, Rule};
use crate::cli::display_path;
use crate::cli::input::io_message;
use crate::cli::render::Failure;
use crate::config::{self, ConfigError, Resolved, Settings};

/// The settings in force for a set of files: one `aam.toml`, resolved.
#[derive(Debug)]
pub(crate) struct ConfigEntry {
    pub resolved: Resolved,
    /// The rule levels after `--select`/`--ignore`.
    pub checks: CheckConfig,
    /// Where `[files]` patterns are rooted (the `aam.toml`'s directory).
    root: PathBuf,
    include: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

impl ConfigEntry {
    fn new(resolved: Resolved, root: PathBuf, selection: &Selection) -> Result<ConfigEntry, String> {
        let build = |patterns: &[String]| -> Result<Option<Gitignore>, String> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = GitignoreBuilder::new(&root);
            for pattern in patterns {
                builder
                    .add_line(None, pattern)
                    .map_err(|err| format!("[files]: invalid pattern `{pattern}`: {err}"))?;
            }
            builder.build().map(Some).map_err(|err| err.to_string())
        };
        let include = build(&resolved.files.include)?;
        let exclude = build(&resolved.files.exclude)?;
        let checks = selection.apply(&resolved.checks);
        Ok(ConfigEntry { resolved, checks, root, include, exclude })
    }

    /// The directory of the `aam.toml` in force (where its relative paths
    /// start).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `true` when `--force-exclude` drops a file named on the command line:
    /// excluded, or not taken by `[files]`.
    pub fn skips_named(&self, absolute: &Path) -> bool {
        self.excludes(absolute, false) || !self.takes(absolute)
    }

    /// `true` when `[files] exclude` names `path` or a directory above it.
    fn excludes(&self, absolute: &Path, is_dir: bool) -> bool {
        let Some(exclude) = &self.exclude else { return false };
        let Ok(relative) = absolute.strip_prefix(&self.root) else { return false };
        !relative.as_os_str().is_empty() && exclude.matched_path_or_any_parents(relative, is_dir).is_ignore()
    }

    /// `true` when the file's extension and `[files] include` let it in.
    fn takes(&self, absolute: &Path) -> bool {
        let extension = absolute.extension().and_then(|ext| ext.to_str()).unwrap_or("");
        if !self.resolved.files.extensions.iter().any(|ext| ext.eq_ignore_ascii_case(extension)) {
            return false;
        }
        let Some(include) = &self.include else { return true };
        let Ok(relative) = absolute.strip_prefix(&self.root) else { return true };
        include.matched_path_or_any_parents(relative, false).is_ignore()
    }
}

/// How settings are found.
pub(crate) enum ConfigMode {
    /// The nearest `aam.toml` of each file.
    Discover,
    /// `--config PATH` for every file.
    Explicit(PathBuf),
    /// `--isolated`: defaults only.
    Isolated,
}

/// The settings of one `aam.toml`, or why it cannot be used.
type EntryResult = Result<Arc<ConfigEntry>, ConfigError>;

/// Finds and caches the settings of each directory.
pub(crate) struct ConfigResolver {
    mode: ConfigMode,
    selection: Selection,
    cwd: PathBuf,
    /// Directory → the `aam.toml` that governs it.
    nearest: Mutex<FxHashMap<PathBuf, Option<PathBuf>>>,
    /// `aam.toml` (or `None` for defaults) → its entry.
    entries: Mutex<FxHashMap<Option<PathBuf>, EntryResult>>,
}

impl ConfigResolver {
    pub fn new(mode: ConfigMode, selection: Selection) -> ConfigResolver {
        ConfigResolver {
            mode,
            selection,
            cwd: std::env::current_dir().unwrap_or_default(),
            nearest: Mutex::default(),
            entries: Mutex::default(),
        }
    }

    /// The settings for files in `dir` (absolute).
    pub fn for_dir(&self, dir: &Path) -> Result<Arc<ConfigEntry>, ConfigError> {
        let file = match &self.mode {
            ConfigMode::Isolated => None,
            ConfigMode::Explicit(path) => Some(path.clone()),
            ConfigMode::Discover => self.nearest(dir),
        };
        if let Some(entry) = self.entries.lock().ok().and_then(|entries| entries.get(&file).cloned()) {
            return entry;
        }
        let entry = self.load(file.as_deref());
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(file, entry.clone());
        }
        entry
    }

    /// The settings for the file at `path` (absolute).
    pub fn for_file(&self, path: &Path) -> Result<Arc<ConfigEntry>, ConfigError> {
        self.for_dir(path.parent().unwrap_or(Path::new("/")))
    }

    fn nearest(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.nearest.lock().ok().and_then(|cache| cache.get(dir).cloned()) {
            return found;
        }
        let found = config::discover(dir);
        if let Ok(mut cache) = self.nearest.lock() {
            cache.insert(dir.to_owned(), found.clone());
        }
        found
    }

    fn load(&self, file: Option<&Path>) -> Result<Arc<ConfigEntry>, ConfigError> {
        let (settings, root) = match file {
            Some(path) => {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
                let root = absolute.parent().map_or_else(|| self.cwd.clone(), Path::to_path_buf);
                (Settings::load(path).map_err(|err| self.shown(err))?, root)
            }
            None => (Settings::default(), self.cwd.clone()),
        };
        let error = |message: String| ConfigError {
            path: file.map_or_else(|| PathBuf::from("settings"), |path| self.relative(path)),
            position: None,
            message,
        };
        let resolved = settings.resolve().map_err(error)?;
        ConfigEntry::new(resolved, root, &self.selection).map(Arc::new).map_err(error)
    }

    /// The error with its path shown relative to the current directory.
    fn shown(&self, mut err: ConfigError) -> ConfigError {
        err.path = self.relative(&err.path);
        err
    }

    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        absolute.strip_prefix(&self.cwd).map_or(absolute.clone(), Path::to_path_buf)
    }
}

/// One file to check.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// As the user named it, or as the walk found it.
    pub path: PathBuf,
    /// The same, absolute (for settings and writing).
    pub absolute: PathBuf,
}

/// What the walk found: files to check, and problems.
#[derive(Default)]
pub(crate) struct Found {
    pub files: Vec<Candidate>,
    pub failures: Vec<Failure>,
    /// Invalid settings files, each reported once.
    pub config_errors: Vec<ConfigError>,
    /// Problems that do not fail the run (a bad `.gitignore` line).
    pub warnings: Vec<String>,
}

impl Found {
    fn config_error(&mut self, err: ConfigError) {
        if !self.config_errors.contains(&err) {
            self.config_errors.push(err);
        }
    }
}

/// Collects the files under `paths`, sorted by path, without repeats.
pub(crate) fn collect(paths: &[PathBuf], resolver: &Arc<ConfigResolver>, force_exclude: bool) -> Found {
    let mut found = Found::default();
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(err) => {
                found.failures.push(Failure { path: display_path(path), message: io_message(&err) });
                continue;
            }
        };
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        if metadata.is_dir() {
            walk(path, resolver, &mut found);
            continue;
        }
        if force_exclude {
            match resolver.for_file(&absolute) {
                Ok(entry) if entry.skips_named(&absolute) => continue,
                Ok(_) => {}
                Err(err) => {
                    found.config_error(err);
                    continue;
                }
            }
        }
        found.files.push(Candidate { path: path.clone(), absolute });
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut seen = rustc_hash::FxHashSet::default();
    found.files.retain(|candidate| seen.insert(candidate.absolute.clone()));
    found
}

fn walk(root: &Path, resolver: &Arc<ConfigResolver>, found: &mut Found) {
    let filter_resolver = Arc::clone(resolver);
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |entry| {
            // Prune excluded directories; files are judged below.
            if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            let absolute = std::path::absolute(entry.path()).unwrap_or_else(|_| entry.path().to_owned());
            match filter_resolver.for_dir(absolute.parent().unwrap_or(Path::new("/"))) {
                Ok(config) => !config.excludes(&absolute, true),
                Err(_) => true,
            }
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                walk_error(&err, root, found);
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let absolute = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        match resolver.for_file(&absolute) {
            Ok(config) => {
                if config.takes(&absolute) && !config.excludes(&absolute, false) {
                    found.files.push(Candidate { path, absolute });
                }
            }
            Err(err) => found.config_error(err),
        }
    }
}

/// Reports a walk error: a symlink loop or an unreadable directory fails
/// the run; a bad line in an ignore file is a warning.
fn walk_error(err: &ignore::Error, root: &Path, found: &mut Found) {
    let mut path: Option<&Path> = None;
    let mut inner = err;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p);
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } => inner = err,
            _ => break,
        }
    }
    let shown = display_path(path.unwrap_or(root));
    match inner {
        ignore::Error::Loop { ancestor, child } => found.failures.push(Failure {
            path: display_path(child),
            message: format!(
                "symlink loop (points to its ancestor {}), not followed",
                relative_to_cwd(ancestor)
            ),
        }),
        ignore::Error::Io(io) => found.failures.push(Failure { path: shown, message: io_message(io) }),
        ignore::Error::Partial(_) | ignore::Error::WithLineNumber { .. } | ignore::Error::Glob { .. } => {
            found.warnings.push(format!("{shown}: {}", inner.to_string().to_lowercase()));
        }
        other => found.failures.push(Failure { path: shown, message: other.to_string().to_lowercase() }),
    }
}

/// `path` relative to the current directory when it lies below it (`.` for
/// the directory itself), else as it is.
pub(crate) fn relative_to_cwd(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    match path.strip_prefix(&cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
        Ok(relative) => display_path(relative),
        Err(_) => display_path(&path),
    }
}

/// `--select`, `--extend-select`, `--ignore`: codes, names or code prefixes.
///
/// The most specific selector wins (`--select AAM101 --ignore AAM1` runs
/// AAM101); at equal specificity `--ignore` wins. Without `--select` every
/// rule is selected. A rule set to `off` in `aam.toml` runs (at its default
/// level) only when a selector names it exactly, by code or name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    select: Vec<String>,
    extend_select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    pub fn new(select: &[String], extend_select: &[String], ignore: &[String]) -> Result<Selection, String> {
        Ok(Selection {
            select: normalise(select)?,
            extend_select: normalise(extend_select)?,
            ignore: normalise(ignore)?,
        })
    }

    /// The longest selector of `list` matching `rule`.
    fn best(list: &[String], rule: &Rule) -> Option<usize> {
        list.iter().filter(|prefix| rule.code.starts_with(prefix.as_str())).map(String::len).max()
    }

    pub fn apply(&self, config: &CheckConfig) -> CheckConfig {
        let mut config = config.clone();
        for rule in checks::all_rules() {
            let chosen = Selection::best(&self.select, rule).max(Selection::best(&self.extend_select, rule));
            let selected = if self.select.is_empty() { chosen.or(Some(0)) } else { chosen };
            let ignored = Selection::best(&self.ignore, rule);
            let runs = match (selected, ignored) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(selected), Some(ignored)) => selected > ignored,
            };
            if !runs {
                config.levels.insert(rule.code, Level::Off);
            } else if chosen == Some(rule.code.len()) && config.level(rule) == Level::Off {
                config.levels.insert(rule.code, Level::On(rule.default_severity));
            }
        }
        config
    }
}

fn normalise(items: &[String]) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| {
            if let Some(rule) = checks::rule(item) {
                return Ok(rule.code.to_owned());
            }
            let upper = item.to_ascii_uppercase();
            if upper == "ALL" {
                return Ok("AAM".to_owned());
            }
            if checks::all_rules().iter().any(|rule| rule.code.starts_with(&upper)) {
                Ok(upper)
            } else {
                Err(format!("unknown rule or prefix `{item}` (see `aam rules`)"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(selection: &Selection, config: &CheckConfig, code: &str) -> bool {
        let rule = checks::rule(code).unwrap();
        selection.apply(config).level(rule) != Level::Off
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn most_specific_selector_wins() {
        let config = CheckConfig::default();
        let selection = Selection::new(&strings(&["AAM0"]), &[], &strings(&["unused-footnote"])).unwrap();
        assert!(runs(&selection, &config, "AAM001"));
        assert!(!runs(&selection, &config, "AAM002"));
        assert!(!runs(&selection, &config, "AAM901"));
        let selection = Selection::new(&strings(&["AAM001"]), &[], &strings(&["AAM0"])).unwrap();
        assert!(runs(&selection, &config, "AAM001"));
        assert!(!runs(&selection, &config, "AAM003"));
        let selection = Selection::new(&[], &[], &strings(&["AAM00"])).unwrap();
        assert!(!runs(&selection, &config, "AAM003"));
        assert!(runs(&selection, &config, "AAM901"));
        let selection = Selection::new(&strings(&["AAM001"]), &strings(&["AAM901"]), &[]).unwrap();
        assert!(runs(&selection, &config, "AAM901"));
        assert!(!runs(&selection, &config, "AAM002"));
        assert!(Selection::new(&strings(&["XYZ"]), &[], &[]).is_err());
    }

    #[test]
    fn off_in_the_file_needs_an_exact_selector() {
        let mut config = CheckConfig::default();
        config.levels.insert("AAM002", Level::Off);
        assert!(!runs(&Selection::new(&strings(&["AAM0"]), &[], &[]).unwrap(), &config, "AAM002"));
        assert!(runs(&Selection::new(&[], &strings(&["unused-footnote"]), &[]).unwrap(), &config, "AAM002"));
    }
}
