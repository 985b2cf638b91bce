//! The command line: the only place that prints.

pub(crate) mod alloc;
mod check;
mod discover;
mod dump;
mod fix;
#[doc(hidden)]
pub mod harness;
mod input;
mod position;
mod render;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use position::{OneIndexed, SourcePosition};

/// Exit code: nothing at error level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at error level (or warnings with `--deny warnings`).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: a usage or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "aam", version = env!("AAM_VERSION_LONG"), about = "Language server and linter for Annotated Article Markup")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check articles and report findings (the CI linter).
    Check(check::CheckArgs),
    /// Print the document model as the rules see it.
    Dump(dump::DumpArgs),
    /// List every rule with its code, name and default severity.
    Rules {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the documentation of a rule.
    Explain {
        /// A rule code (`AAM001`) or name (`unresolved-reference`).
        rule: String,
    },
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Also write the log to this file (`RUST_LOG` sets the level).
        #[arg(long, value_name = "PATH")]
        log_file: Option<std::path::PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Dump(args) => dump::run(args),
        Command::Rules { json } => rules(json),
        Command::Explain { rule } => explain(&rule),
        Command::Lsp { log_file } => lsp(log_file),
    };
    ExitCode::from(code)
}

fn lsp(log_file: Option<std::path::PathBuf>) -> u8 {
    match crate::lsp::run(&crate::lsp::Options { log_file }) {
        Ok(crate::lsp::Exit::Clean) => EXIT_OK,
        Ok(crate::lsp::Exit::WithoutShutdown) => 1,
        Err(err) => {
            eprintln!("aam: error: {err:#}");
            EXIT_ERROR
        }
    }
}

fn rules(json: bool) -> u8 {
    let rules = crate::checks::all_rules();
    let mut out = std::io::stdout().lock();
    let result = if json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|rule| {
                serde_json::json!({
                    "code": rule.code,
                    "name": rule.name,
                    "default_severity": rule.default_severity.as_str(),
                    "enabled_by_default": rule.enabled_by_default,
                    "summary": rule.summary,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default())
    } else {
        rules.iter().try_for_each(|rule| {
            writeln!(out, "{:<8}{:<28}{:<9}{}", rule.code, rule.name, rule.default_level_name(), rule.summary)
        })
    };
    if result.is_err() { EXIT_ERROR } else { EXIT_OK }
}

fn explain(code: &str) -> u8 {
    let Some(rule) = crate::checks::rule(code) else {
        eprintln!("aam: error: no rule `{code}` (see `aam rules`)");
        return EXIT_ERROR;
    };
    let text = format!(
        "# {} {}\n\nDefault severity: {}. Fires on {}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.default_level_name(),
        rule.summary,
        rule.documentation()
    );
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() { EXIT_ERROR } else { EXIT_OK }
}

/// Reads a file as UTF-8 text, naming the problem when it cannot be
/// checked (see `input.rs`).
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, String> {
    input::Source::read(path).map(|source| source.text.to_string())
}

pub(crate) fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_owned()
}
