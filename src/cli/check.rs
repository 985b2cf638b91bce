//! `aam check`: find articles, check (and fix) them in parallel, report in
//! a stable order, exit 0/1/2.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::checks::{self, Severity};
use crate::cli::discover::{self, Candidate, ConfigEntry, ConfigMode, ConfigResolver, Selection};
use crate::cli::fix::{self, AppliedFix};
use crate::cli::input::Source;
use crate::cli::render::{self, Failure, FileReport, OutputFormat, Run};
use crate::cli::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, display_path};
use crate::config::ConfigError;
use crate::config::bibliography::{BibliographyCache, Lookup};
use crate::model::Document;
use crate::model::bibliography::Source as Bibliography;

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Files or directories to check (default: the current directory); `-`
    /// reads standard input.
    paths: Vec<PathBuf>,
    /// How to print findings [default: full on a terminal, else concise].
    #[arg(long, value_enum)]
    output_format: Option<OutputFormat>,
    /// Write the findings to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Only these rules (codes, names or code prefixes like `AAM2`, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// These rules in addition to the selected ones.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_select: Vec<String>,
    /// Skip these rules (codes, names or code prefixes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// `warnings`: warnings also fail the run (exit 1); same as `--error-on warning`.
    #[arg(long, value_name = "warnings")]
    deny: Option<DenyLevel>,
    /// The least severe level that fails the run (exit 1).
    #[arg(long, value_name = "LEVEL", conflicts_with = "deny")]
    error_on: Option<ErrorOn>,
    /// Exit 0 even when findings are at a failing level (I/O and usage errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Apply the safe fixes (renumbering notes) and write the files.
    #[arg(long)]
    fix: bool,
    /// With `--fix` or `--diff`, also apply unsafe fixes (correct a weekday,
    /// remove a repeated sentence or an unused note).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the changes `--fix` would make as a unified diff, and write
    /// nothing (exit 1 when there are changes).
    #[arg(long)]
    diff: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// The name to report for standard input (implies reading it).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Use this settings file for every article instead of discovering `aam.toml`.
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every `aam.toml`.
    #[arg(long)]
    isolated: bool,
    /// Apply `[files]` exclude and extensions even to files named on the
    /// command line (for pre-commit).
    #[arg(long)]
    force_exclude: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DenyLevel {
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ErrorOn {
    Error,
    Warning,
    Info,
    Hint,
}

/// What to do with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FixMode {
    None,
    Write,
    Diff,
}

/// One input and what became of it.
enum Outcome {
    Checked(Box<Checked>),
    Failed(Failure),
    /// The file's `aam.toml` is invalid (reported once per file).
    ConfigFailed(ConfigError),
    /// Excluded (`--force-exclude` with `--stdin-filename`); with `--fix`,
    /// the input to echo unchanged.
    Skipped(Option<Vec<u8>>),
}

struct Checked {
    report: FileReport,
    /// The bibliographies the article cites from, the keys it cites, and
    /// the rule levels in force for it (AAM008–AAM010 in those files).
    bibliographies: Vec<Arc<Bibliography>>,
    cited: Vec<Arc<str>>,
    checks: Option<checks::CheckConfig>,
    applied: Vec<AppliedFix>,
    converged: bool,
    diff: Option<String>,
    /// Standard input with `--fix`: the fixed text (with its byte order
    /// mark), printed instead of written.
    fixed_stdin: Option<Vec<u8>>,
}

enum Input {
    File(Candidate),
    Stdin { name: PathBuf, bytes: Vec<u8> },
}

pub(crate) fn run(args: CheckArgs) -> u8 {
    let selection = match Selection::new(&args.select, &args.extend_select, &args.ignore) {
        Ok(selection) => selection,
        Err(message) => {
            eprintln!("aam: error: {message}");
            return EXIT_ERROR;
        }
    };
    let mode = match (&args.config, args.isolated) {
        (_, true) => ConfigMode::Isolated,
        (Some(path), false) => {
            if let Err(err) = crate::config::Settings::load(path) {
                eprintln!("aam: error: {err}");
                return EXIT_ERROR;
            }
            ConfigMode::Explicit(path.clone())
        }
        (None, false) => ConfigMode::Discover,
    };
    let fix_mode = if args.diff {
        FixMode::Diff
    } else if args.fix {
        FixMode::Write
    } else {
        FixMode::None
    };
    let resolver = Arc::new(ConfigResolver::new(mode, selection));

    let mut failures: Vec<Failure> = Vec::new();
    let mut inputs: Vec<Input> = Vec::new();
    let read_stdin = args.stdin_filename.is_some() || args.paths.iter().any(|p| p.as_os_str() == "-");
    if read_stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
        let mut bytes = Vec::new();
        match std::io::stdin().read_to_end(&mut bytes) {
            Ok(_) => inputs.push(Input::Stdin { name, bytes }),
            Err(err) => {
                failures.push(Failure { path: "-".to_owned(), message: crate::cli::input::io_message(&err) })
            }
        }
    }
    let paths: Vec<PathBuf> = if args.paths.is_empty() && !read_stdin {
        vec![PathBuf::from(".")]
    } else {
        args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect()
    };
    let found = discover::collect(&paths, &resolver, args.force_exclude);
    failures.extend(found.failures);
    let mut config_errors = found.config_errors;
    for warning in &found.warnings {
        eprintln!("aam: warning: {warning}");
    }
    inputs.extend(found.files.into_iter().map(Input::File));

    let one_input = inputs.len() == 1;
    let bibliographies = BibliographyCache::default();
    let job = Job {
        resolver: &resolver,
        bibliographies: &bibliographies,
        fix_mode,
        unsafe_fixes: args.unsafe_fixes,
        force_exclude: args.force_exclude,
    };
    if one_input {
        super::alloc::return_freed_memory_at_once();
    }
    let outcomes: Vec<Outcome> = inputs.into_par_iter().map(|input| job.run(input)).collect();
    let mut checked: Vec<Checked> = Vec::new();
    let mut echoed: Option<Vec<u8>> = None;
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(item) => checked.push(*item),
            Outcome::Failed(failure) => failures.push(failure),
            Outcome::ConfigFailed(err) => {
                if !config_errors.contains(&err) {
                    config_errors.push(err);
                }
            }
            Outcome::Skipped(echo) => echoed = echo,
        }
    }
    checked.extend(bibliography_reports(&checked));
    checked.sort_by(|a, b| Path::new(&a.report.path).cmp(Path::new(&b.report.path)));
    failures.sort();
    config_errors.sort_by(|a, b| a.path.cmp(&b.path));
    for err in &config_errors {
        eprintln!("aam: error: invalid configuration: {err}");
    }

    let mut write_failed = false;
    let mut stdout = std::io::stdout().lock();

    // Standard input with --fix: the fixed text goes to stdout, findings to stderr.
    let fixed_stdin = checked.iter().find_map(|c| c.fixed_stdin.clone()).or(echoed);
    if let Some(bytes) = &fixed_stdin {
        write_failed |= stdout.write_all(bytes).is_err();
    }

    if fix_mode == FixMode::Diff {
        let mut n_files = 0;
        let mut n_problems = 0;
        for item in &checked {
            if let Some(diff) = &item.diff {
                write_failed |= stdout.write_all(diff.as_bytes()).is_err();
                n_files += 1;
                n_problems += item.applied.iter().map(|a| a.problems).sum::<usize>();
            }
        }
        let _ = stdout.flush();
        report_failures(&failures);
        eprintln!(
            "Would fix {n_problems} problem{} in {n_files} file{}.",
            if n_problems == 1 { "" } else { "s" },
            if n_files == 1 { "" } else { "s" }
        );
        return if !failures.is_empty() || !config_errors.is_empty() || write_failed {
            EXIT_ERROR
        } else if n_files > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
    }

    let to_file = args.output_file.is_some();
    let format = args.output_format.unwrap_or(if !to_file && std::io::stdout().is_terminal() {
        OutputFormat::Full
    } else {
        OutputFormat::Concise
    });
    let color = !to_file
        && format == OutputFormat::Full
        && fixed_stdin.is_none()
        && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let reports: Vec<FileReport> = checked.iter_mut().map(|c| std::mem::take(&mut c.report)).collect();
    let run = Run { reports: &reports, failures: &failures, color };
    let rendered =
        if args.statistics { render::render_statistics(format, &run) } else { render::render(format, &run) };
    match &args.output_file {
        Some(path) => {
            if let Err(err) = std::fs::write(path, rendered.as_bytes()) {
                eprintln!("aam: error: {}: {}", display_path(path), crate::cli::input::io_message(&err));
                write_failed = true;
            }
        }
        None if fixed_stdin.is_some() => eprint!("{rendered}"),
        None => write_failed |= stdout.write_all(rendered.as_bytes()).and_then(|()| stdout.flush()).is_err(),
    }
    drop(stdout);

    if fix_mode == FixMode::Write {
        report_fixes(&checked, &reports);
    }
    report_failures(&failures);

    let fail_at = match (args.error_on, args.deny) {
        (Some(ErrorOn::Hint), _) => Severity::Hint,
        (Some(ErrorOn::Info), _) => Severity::Info,
        (Some(ErrorOn::Warning), _) | (None, Some(DenyLevel::Warnings)) => Severity::Warning,
        (Some(ErrorOn::Error), _) | (None, None) => Severity::Error,
    };
    let failing = reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity <= fail_at);
    if one_input {
        // Freeing a large report's many small allocations only delays the
        // exit (the model itself is freed before the output is rendered,
        // which then reuses its memory).
        std::mem::forget((reports, checked, rendered));
    }
    if !failures.is_empty() || !config_errors.is_empty() || write_failed {
        EXIT_ERROR
    } else if failing && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn report_failures(failures: &[Failure]) {
    for failure in failures {
        eprintln!("aam: error: {}: {}", failure.path, failure.message);
    }
}

/// `a.aam: fixed renumber notes in reading order [AAM004 ×2]`, then a summary.
fn report_fixes(checked: &[Checked], reports: &[FileReport]) {
    let mut n_fixed = 0;
    let mut n_files = 0;
    for (item, report) in checked.iter().zip(reports) {
        if item.applied.is_empty() {
            continue;
        }
        n_files += 1;
        for applied in &item.applied {
            n_fixed += applied.problems;
            let count = if applied.problems > 1 { format!(" ×{}", applied.problems) } else { String::new() };
            eprintln!("{}: fixed: {} [{}{count}]", report.path, applied.message, applied.code);
        }
        if !item.converged {
            eprintln!(
                "aam: warning: {}: fixes did not settle after {} passes; some may remain",
                report.path,
                fix::MAX_PASSES
            );
        }
    }
    let remaining: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    eprintln!(
        "Fixed {n_fixed} problem{} in {n_files} file{}; {remaining} remaining.",
        if n_fixed == 1 { "" } else { "s" },
        if n_files == 1 { "" } else { "s" }
    );
}

/// The findings in the bibliographies the articles use, one report per
/// file, judged with the levels of the first article that uses it and the
/// keys that all of them cite.
fn bibliography_reports(checked: &[Checked]) -> Vec<Checked> {
    let mut by_path: Vec<(Arc<Bibliography>, &checks::CheckConfig, rustc_hash::FxHashSet<&str>)> = Vec::new();
    for item in checked {
        let Some(config) = &item.checks else { continue };
        for source in &item.bibliographies {
            // By path: two articles checked at once may each have parsed it.
            let at = match by_path.iter().position(|(known, _, _)| known.path == source.path) {
                Some(at) => at,
                None => {
                    by_path.push((Arc::clone(source), config, Default::default()));
                    by_path.len() - 1
                }
            };
            by_path[at].2.extend(item.cited.iter().map(|key| key.as_ref()));
        }
    }
    by_path
        .into_iter()
        .filter_map(|(source, config, cited)| {
            let diagnostics = checks::check_bibliography(&source, &|key| cited.contains(key), config);
            (!diagnostics.is_empty()).then(|| Checked {
                report: FileReport::of_text(source.path.clone(), Arc::clone(&source.text), diagnostics),
                bibliographies: Vec::new(),
                cited: Vec::new(),
                checks: None,
                applied: Vec::new(),
                converged: true,
                diff: None,
                fixed_stdin: None,
            })
        })
        .collect()
}

struct Job<'a> {
    resolver: &'a Arc<ConfigResolver>,
    bibliographies: &'a BibliographyCache,
    fix_mode: FixMode,
    unsafe_fixes: bool,
    force_exclude: bool,
}

impl Job<'_> {
    fn run(&self, input: Input) -> Outcome {
        match input {
            Input::File(candidate) => {
                let shown = display_path(&candidate.path);
                let source = match Source::read(&candidate.path) {
                    Ok(source) => source,
                    Err(message) => return Outcome::Failed(Failure { path: shown, message }),
                };
                let entry = match self.resolver.for_file(&candidate.absolute) {
                    Ok(entry) => entry,
                    Err(err) => return Outcome::ConfigFailed(err),
                };
                self.check(shown, Some(&candidate.path), &source, &entry)
            }
            Input::Stdin { name, bytes } => {
                let shown = display_path(&name);
                let source = match Source::decode(bytes) {
                    Ok(source) => source,
                    Err(message) => return Outcome::Failed(Failure { path: shown, message }),
                };
                let absolute = std::path::absolute(&name).unwrap_or_else(|_| name.clone());
                let entry = match self.resolver.for_file(&absolute) {
                    Ok(entry) => entry,
                    Err(err) => return Outcome::ConfigFailed(err),
                };
                if self.force_exclude && name.as_os_str() != "-" && entry.skips_named(&absolute) {
                    return Outcome::Skipped((self.fix_mode == FixMode::Write).then(|| source.original()));
                }
                let mut outcome = self.check(shown, None, &source, &entry);
                if let Outcome::Checked(checked) = &mut outcome
                    && self.fix_mode == FixMode::Write
                {
                    checked.fixed_stdin = Some(source.encode(checked.report.text()));
                }
                outcome
            }
        }
    }

    /// Checks (and fixes) one text; `path` is where to write fixes (`None`
    /// for standard input).
    fn check(&self, shown: String, path: Option<&Path>, source: &Source, entry: &ConfigEntry) -> Outcome {
        let model = &entry.resolved.model;
        let (text, applied, converged) = if self.fix_mode == FixMode::None {
            (source.text.clone(), Vec::new(), true)
        } else {
            let result = fix::fix_text(&source.text, model, &entry.checks, self.unsafe_fixes);
            (std::sync::Arc::from(result.text), result.applied, result.converged)
        };
        let changed = *text != *source.text;
        let mut diff = None;
        if changed {
            match (self.fix_mode, path) {
                (FixMode::Diff, _) => diff = Some(fix::unified_diff(&shown, &source.text, &text)),
                (FixMode::Write, Some(path)) => {
                    if let Err(message) = fix::write_atomic(path, &source.original(), &source.encode(&text)) {
                        return Outcome::Failed(Failure { path: shown, message });
                    }
                }
                _ => {}
            }
        }
        let doc = Document::parse_shared(text, model);
        let article_dir = match path.and_then(Path::parent) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let lookup = Lookup {
            article_dir: &article_dir,
            config_dir: Some(entry.root()),
            config_files: &entry.resolved.bibliography,
        };
        let library = self.bibliographies.library(&doc, lookup, &|path| discover::relative_to_cwd(path));
        let doc = doc.with_library(Arc::new(library));
        let diagnostics = checks::check(&doc, &entry.checks);
        let report = FileReport::new(shown, &doc, diagnostics);
        let mut cited: Vec<Arc<str>> = doc.cites.iter().map(|cite| Arc::clone(&cite.key)).collect();
        cited.sort();
        cited.dedup();
        Outcome::Checked(Box::new(Checked {
            report,
            bibliographies: doc.library.sources.clone(),
            cited,
            checks: Some(entry.checks.clone()),
            applied,
            converged,
            diff,
            fixed_stdin: None,
        }))
    }
}
