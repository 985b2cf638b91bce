//! `aam check`: find articles, check them in parallel, report, exit 0/1/2.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::checks::{self, Diagnostic, Severity};
use crate::cli::render::{self, FileReport};
use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, OutputFormat, display_path, io_message, read_text};
use crate::config::{self, Resolved, Settings};
use crate::model::Document;

/// Extensions checked when walking a directory.
const DEFAULT_EXTENSIONS: &[&str] = &["aam"];

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Files or directories to check (default: the current directory); `-`
    /// reads standard input.
    paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum)]
    output_format: Option<OutputFormat>,
    /// Only these rules (codes, names or code prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (codes, names or code prefixes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// `warnings`: warnings also fail the run (exit 1).
    #[arg(long, value_name = "warnings")]
    deny: Option<DenyLevel>,
    /// The name to report for standard input (implies reading it).
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
    /// Use this settings file instead of discovering `aam.toml`.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore every `aam.toml`.
    #[arg(long)]
    isolated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DenyLevel {
    Warnings,
}

/// One input and what became of it.
enum Outcome {
    Checked(Box<FileReport>),
    Failed { path: String, message: String },
}

pub(crate) fn run(args: CheckArgs) -> u8 {
    let mut errors: Vec<(String, String)> = Vec::new();
    let explicit_config = match (&args.config, args.isolated) {
        (Some(path), false) => match Settings::load(path) {
            Ok(settings) => Some(settings),
            Err(err) => {
                eprintln!("aam: error: {err}");
                return EXIT_ERROR;
            }
        },
        _ => None,
    };
    let selection = match Selection::new(&args.select, &args.ignore) {
        Ok(selection) => selection,
        Err(message) => {
            eprintln!("aam: error: {message}");
            return EXIT_ERROR;
        }
    };
    let resolver = ConfigResolver { explicit: explicit_config, isolated: args.isolated, cache: Mutex::default() };

    let mut inputs: Vec<Input> = Vec::new();
    let read_stdin = args.stdin_filename.is_some() || args.paths.iter().any(|p| p.as_os_str() == "-");
    if read_stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
        let mut bytes = Vec::new();
        match std::io::stdin().read_to_end(&mut bytes) {
            Ok(_) => inputs.push(Input::Stdin { name, bytes }),
            Err(err) => errors.push(("-".to_owned(), io_message(&err))),
        }
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() && !read_stdin {
        vec![PathBuf::from(".")]
    } else {
        args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect()
    };
    for path in paths {
        collect(&path, &mut inputs, &mut errors);
    }

    let outcomes: Vec<Outcome> = inputs.into_par_iter().map(|input| check_input(input, &resolver, &selection)).collect();
    let mut reports = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(report) => reports.push(*report),
            Outcome::Failed { path, message } => errors.push((path, message)),
        }
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort();

    let format = args.output_format.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Full
    } else {
        OutputFormat::Concise
    });
    let rendered = render::render(format, &reports);
    let mut stdout = std::io::stdout().lock();
    let write_failed = stdout.write_all(rendered.as_bytes()).and_then(|()| stdout.flush()).is_err();
    for (path, message) in &errors {
        eprintln!("aam: error: {path}: {message}");
    }

    let deny_warnings = args.deny == Some(DenyLevel::Warnings);
    let failing = reports.iter().flat_map(|r| &r.diagnostics).any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    if !errors.is_empty() || write_failed {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

enum Input {
    File(PathBuf),
    Stdin { name: PathBuf, bytes: Vec<u8> },
}

/// Adds `path` (a file, or the articles under a directory) to `inputs`.
fn collect(path: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<(String, String)>) {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) => {
            errors.push((display_path(path), io_message(&err)));
            return;
        }
    };
    if !metadata.is_dir() {
        // A file named on the command line is checked whatever its extension.
        inputs.push(Input::File(path.to_owned()));
        return;
    }
    let walker = ignore::WalkBuilder::new(path).require_git(false).follow_links(true).build();
    let mut found = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                let extension = entry.path().extension().and_then(|e| e.to_str()).unwrap_or("");
                if is_file && DEFAULT_EXTENSIONS.contains(&extension) {
                    found.push(entry.into_path());
                }
            }
            Err(err) => {
                let message = err.to_string();
                errors.push((display_path(path), message.to_lowercase()));
            }
        }
    }
    found.sort();
    inputs.extend(found.into_iter().map(Input::File));
}

fn check_input(input: Input, resolver: &ConfigResolver, selection: &Selection) -> Outcome {
    let (path, text) = match input {
        Input::File(path) => match read_text(&path) {
            Ok(text) => (path, text),
            Err(message) => return Outcome::Failed { path: display_path(&path), message },
        },
        Input::Stdin { name, bytes } => match crate::cli::decode(bytes) {
            Ok(text) => (name, text),
            Err(message) => return Outcome::Failed { path: display_path(&name), message },
        },
    };
    let resolved = match resolver.for_file(&path) {
        Ok(resolved) => resolved,
        Err(message) => return Outcome::Failed { path: display_path(&path), message },
    };
    let doc = Document::parse(&text, &resolved.model);
    let diagnostics: Vec<Diagnostic> =
        checks::check(&doc, &resolved.checks).into_iter().filter(|d| selection.includes(d.rule)).collect();
    Outcome::Checked(Box::new(FileReport::new(display_path(&path), doc, diagnostics)))
}

/// Finds (and caches, per directory) the settings for each file.
struct ConfigResolver {
    explicit: Option<Settings>,
    isolated: bool,
    cache: Mutex<FxHashMap<PathBuf, Result<Resolved, String>>>,
}

impl ConfigResolver {
    fn for_file(&self, path: &Path) -> Result<Resolved, String> {
        if self.isolated {
            return Ok(Resolved::default());
        }
        if let Some(settings) = &self.explicit {
            return settings.resolve();
        }
        let dir = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        if let Some(cached) = self.cache.lock().ok().and_then(|cache| cache.get(&dir).cloned()) {
            return cached;
        }
        let resolved = match config::discover(&dir) {
            Some(file) => Settings::load(&file).and_then(|s| {
                s.resolve().map_err(|message| config::ConfigError { path: file.clone(), message })
            }),
            None => Ok(Settings::default()).map(|s| s.resolve().unwrap_or_default()),
        }
        .map_err(|err| format!("invalid configuration {err}"));
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(dir, resolved.clone());
        }
        resolved
    }
}

/// `--select` / `--ignore`: codes, names or code prefixes.
struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    fn new(select: &[String], ignore: &[String]) -> Result<Selection, String> {
        let normalise = |items: &[String]| -> Result<Vec<String>, String> {
            items
                .iter()
                .map(|item| item.trim())
                .filter(|item| !item.is_empty())
                .map(|item| {
                    if let Some(rule) = checks::rule(item) {
                        return Ok(rule.code.to_owned());
                    }
                    let upper = item.to_ascii_uppercase();
                    if checks::all_rules().iter().any(|rule| rule.code.starts_with(&upper)) {
                        Ok(upper)
                    } else {
                        Err(format!("unknown rule or prefix `{item}` (see `aam rules`)"))
                    }
                })
                .collect()
        };
        Ok(Selection { select: normalise(select)?, ignore: normalise(ignore)? })
    }

    fn includes(&self, rule: &checks::Rule) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|p| rule.code.starts_with(p.as_str()));
        selected && !self.ignore.iter().any(|p| rule.code.starts_with(p.as_str()))
    }
}
